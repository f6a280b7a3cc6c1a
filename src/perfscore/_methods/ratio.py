"""The ``ratio`` method: max × actual / target, with a score of its own for a zero target."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from perfscore._errors import ExpressionError, Location, Problem
from perfscore._lang._bounds import Span, div, hull, mul, point
from perfscore._lang._expr import Formula
from perfscore._messages import Message
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
    figure,
    number,
    reads_of,
)

__all__ = ["METHOD", "RatioNode"]


@dataclass(frozen=True, slots=True)
class RatioNode(Node):
    actual: Formula
    target: Formula
    when_target_zero: Formula | None
    #: labels of the sides that are a bare name, so the trace reads 全年执行数 3703.85
    labels: Mapping[str, str | None]
    location: Location
    subject: str


def _compile(
    spec: Scored, ctx: CompileContext, path: Path, subject: str, top: Decimal | None
) -> RatioNode | None:
    r = spec.ratio
    assert r is not None
    actual = ctx.formula(r.actual, (*path, "actual"), subject)
    target = ctx.formula(r.target, (*path, "target"), subject)
    zero = (
        ctx.formula(r.when_target_zero, (*path, "when_target_zero"), subject)
        if r.when_target_zero is not None
        else None
    )
    if actual is None or target is None:
        return None
    formulas = (actual, target) if zero is None else (actual, target, zero)
    rules = ("ratio",) if zero is None else ("ratio", "target_zero")
    sides = (actual.source.strip(), target.source.strip())
    labels = {name: ctx.labels[name] for name in sides if name in ctx.labels}
    return RatioNode(
        formulas,
        rules,
        reads_of(formulas),
        actual,
        target,
        zero,
        labels,
        ctx.locate(path[:-1]),
        subject,
    )


def _named(node: RatioNode, formula: Formula, value: Decimal) -> object:
    name = formula.source.strip()
    return Named(node.labels[name], value) if name in node.labels else value


def _run(node: RatioNode, env: Mapping[str, object], top: Decimal, rec: Recorder) -> Decimal:
    actual = number(node.actual, env)
    target = number(node.target, env)
    if target.is_zero():
        if node.when_target_zero is None:
            raise ExpressionError(
                Problem(
                    "zero-division",
                    Message("method-ratio-target-zero"),
                    node.location,
                    node.subject,
                    details=(
                        (
                            Message("method-detail-actual"),
                            f"{node.actual.source} = {figure(actual)}",
                        ),
                        (Message("method-detail-target"), f"{node.target.source} = 0"),
                    ),
                    hint=Message("method-hint-when-target-zero"),
                )
            )
        value = number(node.when_target_zero, env)
        rec.fire("target_zero")
        rec.step("start", value, "target_zero", {"score": value}, rule="target_zero")
        return value
    value = top * actual / target
    rec.fire("ratio")
    if rec.tracing:
        args = {
            "top": top,
            "actual": _named(node, node.actual, actual),
            "target": _named(node, node.target, target),
            "score": value,
        }
        rec.step("start", value, "ratio", args, rule="ratio")
    return value


def _analyse(spec: Scored, ctx: AnalysisContext, path: Path, subject: str, top: Span) -> Span:
    r = spec.ratio
    assert r is not None
    actual = ctx.formula(r.actual, (*path, "actual"), subject)
    target = ctx.formula(r.target, (*path, "target"), subject)
    span = mul(top, div(actual, target))
    if target.contains(Fraction(0)):
        if r.when_target_zero is None:
            ctx.add(
                "possible-zero-division",
                Message("check-ratio-zero-target", target=r.target.strip(), span=str(target)),
                (*path, "target"),
                subject,
                Message("check-ratio-zero-target-hint"),
            )
        else:
            zero = ctx.formula(r.when_target_zero, (*path, "when_target_zero"), subject)
            span = hull(span, zero)
    elif r.when_target_zero is not None:
        ctx.formula(r.when_target_zero, (*path, "when_target_zero"), subject)
    return span


def _reach(node: RatioNode, reach: Reach, top: Decimal) -> Span:
    """max × actual / target over the values each side can take; exact at both ends when the
    target is known (the score is linear in the actual value)."""
    actual = reach.number(node.actual)
    target = reach.number(node.target)
    zero = Fraction(0)
    if target.is_point and target.lo == zero:
        return reach.number(node.when_target_zero) if node.when_target_zero else Span()
    span = mul(point(Fraction(top)), div(actual, target))
    if target.contains(zero) and node.when_target_zero is not None:
        span = hull(span, reach.number(node.when_target_zero))
    return span


METHOD = Method("ratio", _compile, _run, _analyse, _reach)
