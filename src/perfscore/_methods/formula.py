"""The ``formula`` method: the score is the value of one formula (also every bonus indicator)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from perfscore._lang._bounds import Span
from perfscore._lang._expr import Formula
from perfscore._methods._base import (
    AnalysisContext,
    CompileContext,
    Method,
    Named,
    Node,
    Path,
    Reach,
    Recorder,
    Scored,
    number,
    reads_of,
)

__all__ = ["METHOD", "FormulaNode", "compile_source"]


@dataclass(frozen=True, slots=True)
class FormulaNode(Node):
    formula: Formula
    #: the label of each name the formula reads, in order of appearance
    labels: tuple[str | None, ...]


def compile_source(
    source: str, ctx: CompileContext, path: Path, subject: str
) -> FormulaNode | None:
    """The node of a formula's text; a bonus indicator is scored by one too."""
    f = ctx.formula(source, path, subject)
    if f is None:
        return None
    labels = tuple(ctx.labels.get(n, n) for n in f.reads)
    return FormulaNode((f,), ("formula",), reads_of([f]), f, labels)


def _compile(
    spec: Scored, ctx: CompileContext, path: Path, subject: str, top: Decimal | None
) -> FormulaNode | None:
    assert spec.formula is not None
    return compile_source(spec.formula, ctx, path, subject)


def _run(node: FormulaNode, env: Mapping[str, object], top: Decimal, rec: Recorder) -> Decimal:
    value = number(node.formula, env)
    rec.fire("formula")
    if rec.tracing:
        reads = node.formula.reads
        inputs = tuple(
            Named(label, env[n]) for n, label in zip(reads, node.labels, strict=True) if n in env
        )
        source = None if reads else node.formula.source
        args = {"inputs": inputs, "source": source, "score": value}
        rec.step("start", value, "formula", args, rule="formula")
    return value


def _analyse(spec: Scored, ctx: AnalysisContext, path: Path, subject: str, top: Span) -> Span:
    assert spec.formula is not None
    return ctx.formula(spec.formula, path, subject)


def _reach(node: FormulaNode, reach: Reach, top: Decimal) -> Span:
    return reach.number(node.formula)


METHOD = Method("formula", _compile, _run, _analyse, _reach)
