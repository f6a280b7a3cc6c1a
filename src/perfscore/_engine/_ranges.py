"""Scoring with unknown and doubtful values: score ranges.

A facts document may declare a value unknown (``{unknown: <reason>}``) or doubtful (``{value: 93,
doubtful: <reason>}``). A doubtful value is scored as given and every indicator that reads it
says so. An indicator that reads an unknown value gets a range instead of a score: its method's
range rule (``Method.reach``, the interval analysis of ``perfscore check`` over the unknown
values' declared bounds, known values as points), then clamp and rounding applied to both ends,
which are monotone. Subtotals, redistribution, totals, the cap and the grade follow the ends.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction

from perfscore._engine._finish import canon, finish
from perfscore._engine._plan import Plan
from perfscore._engine._trace import NullRecorder, Recorder
from perfscore._lang._bounds import FULL, Analysis, ListInfo, Scope, Span, add, hull, point
from perfscore._lang._expr import NOT_APPLICABLE
from perfscore._load._model import FactSpec, FieldSpec, Rounding
from perfscore._methods import REGISTRY
from perfscore._methods._base import Node, Reach
from perfscore._values import Doubtful, Records, Unknown, has_marks

__all__ = ["Marks", "Range", "grades_possible", "is_marked", "span_range"]

#: A score that is not known exactly: its least and greatest reachable values.
Range = tuple[Decimal, Decimal]


def is_marked(values: Mapping[str, object]) -> bool:
    """True when some validated value is unknown or doubtful (a cheap scan of the values)."""
    return any(has_marks(v) for v in values.values())


def _bounds_span(spec: FactSpec | FieldSpec) -> Span:
    low, high = spec.bounds
    step = Fraction(1) if spec.type == "integer" else None
    return Span(
        -math.inf if low is None else Fraction(low),
        math.inf if high is None else Fraction(high),
        low is not None,
        high is not None,
        step,
    )


@dataclass
class Marks:
    """The unknown and doubtful values of one run: which names they are, why, and the spans the
    range rules read."""

    #: the values with doubtful ones unwrapped; unknown ones stay `Unknown`
    values: dict[str, object]
    #: unknown fact and derived names, with the reason given (None: no reason)
    unknown: dict[str, str | None] = field(default_factory=dict)
    #: doubtful facts (``id``, or ``list[i].field``) with the reason given
    doubtful: dict[str, str] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)
    #: the label of each fact
    labels: dict[str, str] = field(default_factory=dict)
    #: unknown list facts: any length up to their limit, each field within its bounds
    lists: dict[str, ListInfo] = field(default_factory=dict)
    #: of a known list fact, the span of each field unknown in some record: its bounds
    field_spans: dict[str, dict[str, Span]] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Plan, values: Mapping[str, object]) -> Marks:
        """Unwrap doubtful values, note unknown ones, and give each unknown fact its bounds."""
        marks = cls({}, labels={name: spec.label for name, spec in plan.facts.items()})
        for name, given in values.items():
            spec = plan.facts.get(name)
            value = given
            if isinstance(given, Doubtful):
                marks.doubtful[name] = given.reason
                value = given.value
            elif isinstance(given, Unknown):
                marks.unknown[name] = given.reason
                if spec is not None and spec.type == "list":
                    marks.lists[name] = _any_list(spec)
                elif spec is not None:
                    marks.spans[name] = _bounds_span(spec)
            elif isinstance(given, Records):
                value = Records([marks._record(name, i, r) for i, r in enumerate(given)])
                fields = spec.fields if spec is not None else None
                for record in value:
                    for key, field_value in record.items():
                        if isinstance(field_value, Unknown) and fields and key in fields:
                            spans = marks.field_spans.setdefault(name, {})
                            spans[key] = _bounds_span(fields[key])
            marks.values[name] = value
        return marks

    def _record(self, name: str, index: int, record: Mapping[str, object]) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in record.items():
            if isinstance(value, Doubtful):
                self.doubtful[f"{name}[{index}].{key}"] = value.reason
                out[key] = value.value
            else:
                out[key] = value
        return out

    def doubtful_read(
        self, names: tuple[str, ...], row: tuple[str, int] | None = None
    ) -> tuple[tuple[str, str], ...]:
        """The doubtful values among `names` (a list fact's doubtful fields count as the list;
        in a records row `row`, its own doubtful fields), each with its reason."""
        found = []
        for name in names:
            here = f"{row[0]}[{row[1]}].{name}" if row is not None else None
            for key, reason in self.doubtful.items():
                if key in (name, here) or key.startswith(f"{name}["):
                    found.append((key, reason))
        return tuple(dict.fromkeys(found))

    def derive(self, name: str, source: str, env: Mapping[str, object]) -> None:
        """A derived value that reads an unknown one is unknown, spanning what it can compute."""
        analysis = Analysis(source)
        span = analysis.number(analysis.tree, self.scope(env))
        self.unknown[name] = None
        if span is not None:
            self.spans[name] = span

    def reads_unknown(
        self,
        names: tuple[str, ...] | frozenset[str],
        env: Mapping[str, object],
        fields: Mapping[str, frozenset[str]] | None = None,
    ) -> list[str]:
        """The names among `names` whose value in `env` is unknown.

        A list with an unknown field in some record is not read exactly either
        (``count(rows, k, 'a')`` over a row whose k is unknown may be 1 or 2), unless `fields`
        (the fields read of each list, `Formula.fields_read`) says no unknown field is read:
        ``sum(rows, paid)`` is exact beside a row whose ``note`` is unknown, and so is
        ``count(rows)``. None: every field counts.
        """
        out = []
        for n in names:
            value = env.get(n)
            if fields is not None and type(value) is Records:
                read = fields.get(n, frozenset())
                if any(isinstance(r.get(k), Unknown) for r in value for k in read):
                    out.append(n)
            elif has_marks(value, Unknown):
                out.append(n)
        return out

    def node_reads_unknown(self, node: Node, env: Mapping[str, object]) -> list[str]:
        """`reads_unknown` of what a method's node reads, with the fields its formulas read
        (every field, when it reads a name other than through a formula)."""
        fields: dict[str, set[str]] = {}
        through: set[str] = set()
        for formula in node.formulas:
            through.update(formula.names)
            for name, read in formula.fields_read.items():
                fields.setdefault(name, set()).update(read)
        if not through.issuperset(node.reads):
            return self.reads_unknown(node.reads, env)
        return self.reads_unknown(node.reads, env, {k: frozenset(v) for k, v in fields.items()})

    def scope(
        self, env: Mapping[str, object], fields: Mapping[str, FieldSpec] | None = None
    ) -> Scope:
        """Known numbers as points, unknown ones over their bounds, known booleans as truths,
        known lists by their length and the span of each number field."""
        numbers: dict[str, Span] = {}
        truths: dict[str, bool] = {}
        lists: dict[str, ListInfo] = {}
        given: dict[str, bool] = {}
        for name, value in env.items():
            # an unknown value is given: the sheet has it, it cannot be read
            given[name] = value is not None
            if isinstance(value, bool):
                truths[name] = value
            elif isinstance(value, Decimal):
                numbers[name] = point(Fraction(value))
            elif isinstance(value, Unknown):
                spec = (fields or {}).get(name)
                if name in self.lists and spec is None:
                    lists[name] = self.lists[name]
                else:
                    numbers[name] = (
                        _bounds_span(spec) if spec is not None else self.spans.get(name, FULL)
                    )
            elif isinstance(value, Records):
                lists[name] = self._list_info(name, value)
        marked = env.get(NOT_APPLICABLE)
        marked = marked if isinstance(marked, frozenset) else None
        return Scope(numbers, lists, frozenset(), truths, given, marked)

    def _list_info(self, name: str, records: Records) -> ListInfo:
        spans: dict[str, Span] = {}
        totals: dict[str, Span] = {}
        counted: dict[str, int] = {}
        for record in records:
            for key, value in record.items():
                if isinstance(value, Decimal):
                    here = point(Fraction(value))
                elif isinstance(value, Unknown):
                    here = self.field_spans.get(name, {}).get(key, FULL)
                else:
                    continue
                spans[key] = hull(spans[key], here) if key in spans else here
                totals[key] = add(totals[key], here) if key in totals else here
                counted[key] = counted.get(key, 0) + 1
        # a field's sum is known to its span only when every record has a number there
        whole = {k: t for k, t in totals.items() if counted[k] == len(records)}
        return ListInfo(len(records), spans, exact=True, totals=whole)

    def reach(
        self,
        method: str,
        node: Node,
        env: Mapping[str, object],
        top: Decimal,
        low: Decimal,
        rounding: Rounding | None,
        fields: Mapping[str, FieldSpec] | None = None,
    ) -> Range:
        """The range of a score whose method reads unknown values."""
        unknown = frozenset(n for n, v in env.items() if has_marks(v, Unknown))
        rule = REGISTRY[method].reach
        span = FULL
        if rule is not None:
            span = rule(node, Reach(env, unknown, self.scope(env, fields)), top)
        return span_range(span, low, top, rounding)

    def named(
        self, names: list[str], labels: Mapping[str, str], env: Mapping[str, object]
    ) -> tuple[tuple[str, str | None], ...]:
        """The unknown names an indicator read: (label, the document's reason) each."""
        out = []
        facts = [n for n in names if n in labels]
        for name in facts or names:  # a derived value is named by the facts it reads
            value = env.get(name)
            reason = value.reason if isinstance(value, Unknown) else None
            out.append((labels.get(name, name), reason or self.unknown.get(name)))
        return tuple(out)


def _any_list(spec: FactSpec) -> ListInfo:
    """What an unknown list can be: up to its `max_items` records, fields within bounds."""
    fields = {
        name: _bounds_span(f)
        for name, f in (spec.fields or {}).items()
        if f.type in ("number", "integer", "percent")
    }
    return ListInfo(spec.max_items if spec.max_items is not None else 1000, fields)


def _end(value: Fraction | float, up: bool) -> Decimal | None:
    """An end of a span as a decimal rounded outwards (None: infinite)."""
    if not isinstance(value, Fraction):
        return None
    with localcontext() as ctx:
        ctx.prec = 34
        ctx.rounding = ROUND_CEILING if up else ROUND_FLOOR
        return Decimal(value.numerator) / Decimal(value.denominator)


def span_range(span: Span, low: Decimal, high: Decimal, rounding: Rounding | None) -> Range:
    """A raw score's span finished like a score: clamped to [low, high], rounded, clamped.

    Clamping and rounding are monotone, so finishing the ends gives the finished range. An
    empty span (no filling scores at all) is the whole of [low, high].
    """
    if span.continuous_empty:
        span = FULL
    lo, hi = _end(span.lo, False), _end(span.hi, True)
    if rounding is not None:  # an open end is not reached: round what lies just inside it
        if lo is not None and not span.lo_closed:
            lo += _INSIDE
        if hi is not None and not span.hi_closed:
            hi -= _INSIDE
    rec: Recorder = NullRecorder()
    first = finish(low if lo is None else lo, low, high, rounding, rec)
    last = finish(high if hi is None else hi, low, high, rounding, rec)
    return canon(first), canon(last)


#: how far inside an open end a value lies (well below any rounding step, within 34 digits)
_INSIDE = Decimal("1e-20")


def grades_possible(plan: Plan, low: Decimal, high: Decimal) -> tuple[str, ...]:
    """The grades of the totals in [low, high], in the rubric's order of grades."""
    found = {plan.grade(low), plan.grade(high)}
    for grade in plan.grades:
        if grade.min is not None and low <= grade.min <= high:
            found.add(plan.grade(grade.min))
    return tuple(g.name for g in plan.grades if g.name in found)
