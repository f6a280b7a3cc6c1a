"""What every scoring method shares: its compiled node, the contexts it is compiled and analysed
in, the recorder it reports to, and the templates of the rubric's own words.

A method module holds three functions and nothing else of the engine: ``compile(spec, ctx, ...)``
builds a frozen node (complete at construction), ``run(node, env, top, rec)`` computes the raw
score and tells the recorder which rules fired and what it read, and ``analyse(spec, ctx, ...)``
bounds the score for ``perfscore check``. The contexts are protocols: the engine's compiler and
the checker implement them, so this room imports neither.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Generic, Literal, NamedTuple, Protocol, TypeVar

from perfscore._errors import ErrorCode, Location, Problem, ScoringError, suggest
from perfscore._lang._bounds import FULL, INF, Analysis, Scope, Span, point
from perfscore._lang._expr import Formula
from perfscore._load._model import FactSpec, FieldSpec, Indicator, Interval, RecordRule
from perfscore._messages import Message
from perfscore._numbers import CONTEXT, format_decimal
from perfscore._values import ValueType

__all__ = [
    "AnalysisContext",
    "CompileContext",
    "FactValueError",
    "Method",
    "Named",
    "Node",
    "Path",
    "Reach",
    "Recorder",
    "Scored",
    "StepKind",
    "Template",
    "compile_template",
    "figure",
    "floor_at",
    "fraction",
    "listed",
    "number",
    "reads_of",
    "span_of",
    "template_names",
]

Path = tuple[str | int, ...]
#: An indicator or the rule of a records group: both carry exactly one scoring method.
Scored = Indicator | RecordRule
#: The kinds of trace step (docs/scorecard-json.md).
StepKind = Literal[
    "start", "band", "deduction", "floor", "clamp", "round", "scale", "not_applicable", "tier",
    "note", "range",
]  # fmt: skip


# --- templates ---------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Template:
    """A message of the rubric's own words with ``{name}`` placeholders; filled when the trace
    is put into words, from the values recorded when it was used."""

    parts: tuple[tuple[bool, str], ...]
    #: each placeholder's name once, in order of appearance
    names: tuple[str, ...]

    def values(self, env: Mapping[str, object]) -> dict[str, object]:
        """The values the placeholders read, as the trace records them."""
        return {name: env[name] for name in self.names}

    def fill(self, values: Mapping[str, object], show: Callable[[object], str]) -> str:
        """The text, each placeholder's value written by `show`, or by its format spec
        (``{rate:.2f}``, ``{share:.1%}``) when it has one and the value is a number."""
        out = []
        for is_name, text in self.parts:
            if not is_name:
                out.append(text)
                continue
            name, _, spec = text.partition(":")
            value = values[name]
            out.append(
                apply_spec(value, spec) if spec and isinstance(value, Decimal) else show(value)
            )
        return "".join(out)


#: The format specs a template placeholder may carry: ``.Nf`` (N decimals) and ``.N%`` (the
#: value × 100 with N decimals and a percent sign), N from 0 to 6, rounded half up.
_SPEC = re.compile(r"\.([0-6])([f%])\Z")


def apply_spec(value: Decimal, spec: str) -> str:
    """`value` written by an allow-listed format spec (see `_SPEC`)."""
    match = _SPEC.match(spec)
    assert match is not None  # checked when the template compiled
    places, kind = int(match.group(1)), match.group(2)
    with decimal.localcontext(CONTEXT):
        number = value * 100 if kind == "%" else value
        text = format(
            number.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP), "f"
        )
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # no -0.00
    return text + ("%" if kind == "%" else "")


def template_names(text: str) -> list[str]:
    """The placeholder names of a template, in order (``{{`` and ``}}`` are literal braces)."""
    escaped = text.replace("{{", "\0").replace("}}", "\1")
    return [m.group(1).partition(":")[0].strip() for m in _PLACEHOLDER.finditer(escaped)]


def compile_template(
    text: str,
    names: Sequence[str],
    problems: list[Problem],
    location: Location,
    subject: str,
    unavailable: frozenset[str] = frozenset(),
) -> Template:
    """Split a template into literal and name parts; report unknown placeholders (except those
    in `unavailable`, names already reported as broken)."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    escaped = text.replace("{{", "\0").replace("}}", "\1")
    for match in _PLACEHOLDER.finditer(escaped):
        parts.append((False, _unescape(escaped[pos : match.start()])))
        name, colon, spec = match.group(1).partition(":")
        name, spec = name.strip(), spec.strip()
        if colon and not _SPEC.match(spec):
            problems.append(
                Problem(
                    "template",
                    Message("method-template-format", placeholder=match.group(1), spec=spec),
                    location,
                    subject,
                    hint=Message("method-hint-template-formats"),
                )
            )
        if name not in names and name not in unavailable:
            problems.append(
                Problem(
                    "template",
                    Message("method-template-unknown-name", name=name),
                    location,
                    subject,
                    hint=suggest(name, names),
                )
            )
        parts.append((True, f"{name}:{spec}" if colon else name))
        pos = match.end()
    rest = escaped[pos:]
    if "{" in rest or "}" in rest:
        problems.append(
            Problem(
                "template",
                Message("method-template-unbalanced"),
                location,
                subject,
                hint=Message("method-hint-template-brace"),
            )
        )
    parts.append((False, _unescape(rest)))
    kept = tuple(p for p in parts if p[1] or p[0])
    return Template(
        kept, tuple(dict.fromkeys(t.partition(":")[0] for is_name, t in kept if is_name))
    )


def _unescape(text: str) -> str:
    return text.replace("\0", "{").replace("\1", "}")


# --- the trace ---------------------------------------------------------------------------------


class Named(NamedTuple):
    """A value the trace shows beside its label; label None is a record's points (``full``),
    which the words name in the rubric's language."""

    label: str | None
    value: object


class Recorder(Protocol):
    """Where a method reports what it did: the rules that fired (always) and, when traces are
    on, each step with the raw values and labels it used."""

    @property
    def tracing(self) -> bool:
        """Whether steps are kept (fired rules always are)."""
        ...

    def fire(self, rule: str) -> None:
        """A rule fired."""

    def step(
        self,
        kind: StepKind,
        value: Decimal,
        phrase: str,
        args: Mapping[str, object] | None = None,
        *,
        amount: Decimal | None = None,
        rule: str | None = None,
    ) -> None:
        """A trace step: `value` is the running score after it, `phrase` names its words."""


def floor_at(value: Decimal, floor: Decimal, rec: Recorder) -> Decimal:
    """Deductions stop at `floor` (扣完为止); the stop is a rule of its own in the trace."""
    if value >= floor:
        return value
    rec.fire("floor")
    rec.step("floor", floor, "floor", {"floor": floor}, rule="floor")
    return floor


def number(formula: Formula, env: Mapping[str, object]) -> Decimal:
    """Run a formula the compiler typed as a number."""
    value = formula.run(env)
    assert isinstance(value, Decimal)
    return value


def figure(value: Decimal) -> str:
    """A number as an error message writes it: as computed (0.90 stays 0.90), long quotients
    shortened."""
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        return "≈" + format_decimal(value.quantize(Decimal("0.0001")))
    return format(value.copy_abs() if value.is_zero() else value, "f")


class FactValueError(ScoringError):
    """Scoring stopped on one fact's value (an assessed score outside its tier, say).

    A method knows the fact but not the facts document, so its problem stands at the rule;
    `path` leads to the value from the document's ``facts`` section (a fact id, or a list fact,
    a record index and a field), and whoever holds the document moves the problem there. It
    never reaches a caller as this class: `Rubric.evaluate` raises a plain `ScoringError`.
    """

    def __init__(
        self,
        problems: Problem | Sequence[Problem],
        summary: str | None = None,
        *,
        path: tuple[str | int, ...] = (),
    ) -> None:
        super().__init__(problems, summary)
        self.path = path


# --- nodes and methods -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """A compiled scoring method: what every method's node carries."""

    #: every formula the method runs
    formulas: tuple[Formula, ...]
    #: every rule that can fire, as coverage and case files name them
    rules: tuple[str, ...]
    #: the names the method reads, which the trace records as inputs
    reads: tuple[str, ...]


def reads_of(formulas: Sequence[Formula]) -> tuple[str, ...]:
    """The names some formulas read: each formula's names sorted, in formula order."""
    names: dict[str, None] = {}
    for f in formulas:
        for n in sorted(f.names):
            names[n] = None
    return tuple(names)


class CompileContext(Protocol):
    """What a method's compile step may use: the names in scope, their labels and specs, formula
    and template compilation, and a place for problems."""

    @property
    def names(self) -> Mapping[str, ValueType]:
        """The names a formula may read, with their types."""
        ...

    @property
    def specs(self) -> Mapping[str, FactSpec | FieldSpec]:
        """The specs of the facts (and, in a records rule, the record's fields)."""
        ...

    @property
    def labels(self) -> Mapping[str, str | None]:
        """The label of each name (None: a record's points, named by the words)."""
        ...

    def locate(self, path: Path) -> Location:
        """The rubric location of a path."""
        ...

    def formula(
        self, source: str, path: Path, subject: str, expect: str | None = "number"
    ) -> Formula | None:
        """Compile a formula; None (with its problems reported) when it does not compile."""
        ...

    def template(self, text: str, extra: Sequence[str], path: Path, subject: str) -> Template:
        """Compile a template that may name what is in scope and `extra`."""
        ...

    def add(
        self,
        code: ErrorCode,
        message: str,
        path: Path,
        subject: str | None,
        hint: str | None = None,
    ) -> None:
        """Report a problem."""


class AnalysisContext(Protocol):
    """What a method's static analysis may use (``perfscore check``)."""

    @property
    def scope(self) -> Scope:
        """The spans of the names in scope."""
        ...

    @property
    def reads(self) -> set[str]:
        """The names read so far; a method adds what it reads outside formulas."""
        ...

    def formula(self, source: str, path: Path, subject: str, scope: Scope | None = None) -> Span:
        """Analyse one formula: record what it reads, report its hazards, return its span."""
        ...

    def hazards(self, analysis: Analysis, path: Path, subject: str) -> None:
        """Report the divisions and empty-list means of an analysed formula."""

    def template(self, text: str | None) -> None:
        """Record the names a template reads."""

    def add(
        self,
        code: ErrorCode,
        message: str,
        path: Path,
        subject: str | None,
        hint: str | None = None,
        *,
        key: bool = False,
    ) -> None:
        """Report a finding."""


class Reach:
    """What a method's range rule reads when some inputs are unknown: a formula that reads no
    unknown value is run exactly; one that does is bounded by the interval analysis of
    ``perfscore check`` over `scope` (known numbers as points, unknown ones over their bounds)."""

    def __init__(self, env: Mapping[str, object], unknown: frozenset[str], scope: Scope) -> None:
        self.env = env
        self.unknown = unknown
        self.scope = scope

    def number(self, formula: Formula, scope: Scope | None = None) -> Span:
        """The values a numeric formula can take."""
        if not formula.names & self.unknown:
            return point(fraction(number(formula, self.env)))
        analysis = Analysis(formula.source)
        return analysis.number(analysis.tree, scope or self.scope) or FULL

    def truth(self, formula: Formula) -> bool | None:
        """Whether a condition holds, never holds, or may either way (None)."""
        if not formula.names & self.unknown:
            return formula.run(self.env) is True
        analysis = Analysis(formula.source)
        return analysis.truth(analysis.tree, self.scope)

    def assume(self, formula: Formula, *, holds: bool) -> Scope:
        """The scope narrowed by a condition holding (or not)."""
        if not formula.names & self.unknown:
            return self.scope
        analysis = Analysis(formula.source)
        return analysis.assume(analysis.tree, self.scope, holds=holds)


N = TypeVar("N", bound=Node)


@dataclass(frozen=True)
class Method(Generic[N]):
    """One scoring method: the name of its block in the rubric and its three steps."""

    name: str
    #: (indicator or rule, context, path of the method block, subject, max or None) -> node
    compile: Callable[[Scored, CompileContext, Path, str, Decimal | None], N | None]
    #: (node, values, max, recorder) -> the raw score, before clamping and rounding
    run: Callable[[N, Mapping[str, object], Decimal, Recorder], Decimal]
    #: (indicator or rule, context, path of the method block, subject, span of max) -> span
    analyse: Callable[[Scored, AnalysisContext, Path, str, Span], Span]
    #: (node, reach, max) -> the span of the raw score when some inputs are unknown; None:
    #: the score may be anything its bounds allow
    reach: Callable[[N, Reach, Decimal], Span] | None = None


# --- spans -------------------------------------------------------------------------------------


def fraction(value: Decimal | int) -> Fraction:
    """A decimal as the exact fraction the analysis computes with."""
    return Fraction(Decimal(value))


def span_of(interval: Interval) -> Span:
    """The span of a band's or tier's range."""
    return Span(
        -INF if interval.low is None else fraction(interval.low),
        INF if interval.high is None else fraction(interval.high),
        interval.low_inclusive,
        interval.high_inclusive,
    )


def listed(parts: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
