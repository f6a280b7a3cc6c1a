"""Static analysis of a loaded rubric (``perfscore check``): what can go wrong before any facts.

`check_rubric` reports every finding at once, each located at file:line:col, with a severity and
a stable code (docs/errors.md, "Check findings"):

* facts and derived values no formula, template, tier or check reads;
* band tables over the range their measure can take (from the facts' declared bounds, see
  `_bounds`): values in no band, bands partly or fully shadowed by earlier ones, bands the
  measure never reaches;
* divisions by a value that may be 0 and means of lists that may be empty, unless a condition
  around them rules it out (``a / b if b > 0 else 0``);
* checklist items and checks whose condition can never hold, checklists that can deduct more than
  their points, per-unit deductions that never apply, and grades no total reaches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from perfscore._bounds import (
    FULL,
    INF,
    Analysis,
    ListInfo,
    Scope,
    Span,
    add,
    div,
    hull,
    largest,
    meet,
    minus,
    mul,
    names_read,
    neg,
    point,
    show,
    smallest,
    to_step,
)
from perfscore._errors import Location
from perfscore._facts import DEFAULT_MAX_ITEMS
from perfscore._model import FactSpec, FieldSpec, Group, Indicator, Interval, Rounding
from perfscore._rubric import Rubric

__all__ = ["FINDINGS", "SEVERITIES", "Finding", "check_rubric"]

#: Severities, most serious first.
SEVERITIES = ("error", "warning", "note")

#: Every check finding's code and its severity; docs/errors.md has a section per code.
FINDINGS: dict[str, str] = {
    "unused-fact": "warning",
    "unused-optional-fact": "note",
    "unused-derived": "warning",
    "band-gap": "warning",
    "band-overlap": "warning",
    "band-shadowed": "error",
    "band-unreachable": "warning",
    "otherwise-unreachable": "note",
    "possible-zero-division": "warning",
    "possible-empty-list": "warning",
    "never-applies": "warning",
    "per-unit-never-deducts": "warning",
    "checklist-exceeds-max": "note",
    "unreachable-grade": "note",
}

Path = tuple[str | int, ...]
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Finding:
    """One thing `perfscore check` found: where, how serious, a stable code and a message."""

    severity: str
    code: str
    message: str
    location: Location
    subject: str | None = None
    hint: str | None = None

    def render(self) -> str:
        """``file:line:col: severity: subject: message [code]``, then a ``hint:`` line."""
        subject = f"{self.subject}: " if self.subject else ""
        text = f"{self.location}: {self.severity}: {subject}{self.message} [{self.code}]"
        return text + (f"\n    hint: {self.hint}" if self.hint else "")

    def to_dict(self) -> dict[str, object]:
        """The finding as JSON-ready data, for editors and CI."""
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity,
            "code": self.code,
            "subject": self.subject,
            "message": self.message,
            "hint": self.hint,
        }


def check_rubric(rubric: Rubric) -> list[Finding]:
    """Analyse a loaded rubric without facts.

    Args:
        rubric: a rubric from `load_rubric` (loading already rejected every hard error).

    Returns:
        Every finding, in file order.
    """
    return _Checker(rubric).run()


# --- helpers -----------------------------------------------------------------------------------


def _fraction(value: Decimal | int) -> Fraction:
    return Fraction(Decimal(value))


def _bounds_of(spec: FactSpec | FieldSpec) -> Span | None:
    """The span of a number, integer or percent fact or field; None for other types."""
    if spec.type not in ("number", "integer", "percent"):
        return None
    low = spec.min if spec.min is not None else (Decimal(0) if spec.type == "percent" else None)
    high = spec.max if spec.max is not None else (Decimal(100) if spec.type == "percent" else None)
    return Span(
        -INF if low is None else _fraction(low),
        INF if high is None else _fraction(high),
        low is not None,
        high is not None,
        Fraction(1) if spec.type == "integer" else None,
    )


def _span_of(interval: Interval) -> Span:
    return Span(
        -INF if interval.low is None else _fraction(interval.low),
        INF if interval.high is None else _fraction(interval.high),
        interval.low_inclusive,
        interval.high_inclusive,
    )


def _cut(pieces: Sequence[Span], cutters: Sequence[Span]) -> list[Span]:
    """The parts of `pieces` outside every cutter."""
    out = list(pieces)
    for cutter in cutters:
        out = [part for piece in out for part in minus(piece, cutter)]
    return out


def _live(pieces: Sequence[Span], step: Fraction | None) -> list[Span]:
    """Each piece narrowed to the measure's lattice; pieces holding no value dropped."""
    out = []
    for piece in pieces:
        tight = replace(piece, step=step).tight()
        if tight is not None:
            out.append(tight)
    return out


def _listed(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _is_one(pieces: Sequence[Span]) -> bool:
    return len(pieces) == 1 and pieces[0].is_point


def _describe(pieces: Sequence[Span]) -> str:
    """``values in [85, 90)``, ``the value 3``, ``the values 1 and 4``, ``values in {1} and
    [4, 5]``."""
    if all(p.is_point for p in pieces):
        shown = _listed([show(p.lo) for p in pieces])
        return f"the value{'s' if len(pieces) > 1 else ''} {shown}"
    return "values in " + _listed(
        ["{" + show(p.lo) + "}" if p.is_point else str(p) for p in pieces]
    )


def _bands(indexes: Sequence[int]) -> str:
    return _listed([f"band[{j}]" for j in indexes])


def _template_names(text: str) -> list[str]:
    escaped = text.replace("{{", "").replace("}}", "")
    return [m.group(1).strip() for m in _PLACEHOLDER.finditer(escaped)]


def _identifiers(value: object) -> set[str]:
    """Every identifier-like word in the text of a (nested) model dump."""
    if isinstance(value, str):
        return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", value))
    if isinstance(value, dict):
        return {n for v in value.values() for n in _identifiers(v)}
    if isinstance(value, (list, tuple)):
        return {n for v in value for n in _identifiers(v)}
    return set()


# --- the checker -------------------------------------------------------------------------------


class _Checker:
    """One analysis of one rubric."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.model = rubric.model
        self.findings: list[Finding] = []
        self.reads: set[str] = set()
        self.derived_reads: dict[str, set[str]] = {}
        self.leaf_spans: dict[str, Span] = {}
        numbers: dict[str, Span] = {}
        lists: dict[str, ListInfo] = {}
        for fact_id, spec in self.model.facts.items():
            span = _bounds_of(spec)
            if span is not None:
                numbers[fact_id] = span
            elif spec.type == "list":
                fields = {
                    name: s
                    for name, f in (spec.fields or {}).items()
                    if (s := _bounds_of(f)) is not None
                }
                limit = spec.max_items if spec.max_items is not None else DEFAULT_MAX_ITEMS
                lists[fact_id] = ListInfo(limit, fields)
        self.scope = Scope(numbers, lists)

    def add(
        self,
        code: str,
        message: str,
        path: Path,
        subject: str | None,
        hint: str | None = None,
        *,
        key: bool = False,
    ) -> None:
        location = self.rubric.document.locate(path, key=key)
        self.findings.append(Finding(FINDINGS[code], code, message, location, subject, hint))

    def run(self) -> list[Finding]:
        self.derived()
        for indicator, path in self.leaves():
            self.leaf_spans[indicator.id] = self.indicator(indicator, path)
        bonus = point(Fraction(0))
        for i, item in enumerate(self.model.bonus):
            subject = f"indicator {item.id!r}"
            raw = self.formula(item.formula, ("bonus", i, "formula"), subject)
            span = self.finish(raw, item.min, item.max, self.rounding(item.rounding))
            bonus = add(bonus, span)
        self.checks()
        self.unused()
        self.grades(bonus)
        order = {s: i for i, s in enumerate(SEVERITIES)}
        files = {
            name: i for i, name in enumerate(dict.fromkeys(f.location.file for f in self.findings))
        }
        return sorted(
            self.findings,
            key=lambda f: (
                files[f.location.file],  # an extending rubric's findings stay with their file
                f.location.line or 0,
                f.location.column or 0,
                order[f.severity],
            ),
        )

    def leaves(self) -> Iterator[tuple[Indicator, Path]]:
        def walk(group: Group, path: Path) -> Iterator[tuple[Indicator, Path]]:
            records = getattr(group, "records", None)
            if records is not None:  # indicators listed in the facts: their rules read fields
                self.reads.update(_identifiers(records.model_dump()))
            for j, child in enumerate(group.children or ()):
                child_path = (*path, "children", j)
                if isinstance(child, Group):
                    yield from walk(child, child_path)
                else:
                    yield child, child_path

        for i, group in enumerate(self.model.groups):
            yield from walk(group, ("groups", i))

    # --- formulas

    def formula(
        self,
        source: str,
        path: Path,
        subject: str,
        scope: Scope | None = None,
        *,
        reads: set[str] | None = None,
    ) -> Span:
        """Analyse one formula: record what it reads, report its hazards, return its span."""
        analysis = Analysis(source)
        span = analysis.number(analysis.tree, scope or self.scope)
        self.hazards(analysis, path, subject)
        (self.reads if reads is None else reads).update(names_read(analysis.tree))
        return span or FULL

    def hazards(self, analysis: Analysis, path: Path, subject: str) -> None:
        for hazard in analysis.hazards:
            if hazard.kind == "division":
                assert hazard.span is not None
                guard = ">" if hazard.span.lo >= 0 else "!="
                hint = f"guard it: '... if {hazard.operand} {guard} 0 else ...'"
                if hazard.operand in self.model.facts:
                    hint += f", or give fact {hazard.operand!r} a min above 0"
                self.add(
                    "possible-zero-division",
                    f"'{hazard.source}' divides by '{hazard.operand}', which may be 0 "
                    f"(it lies in {hazard.span})",
                    path,
                    subject,
                    hint,
                )
            else:
                self.add(
                    "possible-empty-list",
                    f"'{hazard.source}' fails when list {hazard.operand!r} has no records",
                    path,
                    subject,
                    f"guard it: '... if count({hazard.operand}) > 0 else ...'",
                )

    def template(self, text: str | None) -> None:
        if text:
            self.reads.update(_template_names(text))

    def derived(self) -> None:
        numbers = dict(self.scope.numbers)
        for name, compiled in self.rubric.plan.derived:
            reads: set[str] = set()
            scope = Scope(numbers, self.scope.lists)
            path: Path = ("derived", name, "formula")
            span = self.formula(
                self.model.derived[name].formula,
                path,
                f"derived value {name!r}",
                scope,
                reads=reads,
            )
            self.derived_reads[name] = reads
            if compiled.type.kind == "number":
                numbers[name] = span
        self.scope = Scope(numbers, self.scope.lists)

    # --- indicators

    def rounding(self, declared: Rounding | str | None) -> Rounding | None:
        if declared == "none":
            return None
        if isinstance(declared, Rounding):
            return declared
        return self.model.rounding

    def finish(self, span: Span, low: Decimal, high: Decimal, rounding: Rounding | None) -> Span:
        """The span after clamping to [low, high] and rounding, as `_plan._finish` does."""
        bounds = (point(_fraction(low)), point(_fraction(high)))
        span = smallest([largest([span, bounds[0]]), bounds[1]])
        if rounding is not None:
            span = to_step(span, _fraction(rounding.step))
            span = smallest([largest([span, bounds[0]]), bounds[1]])
        return span

    def indicator(self, ind: Indicator, path: Path) -> Span:
        subject = f"indicator {ind.id!r}"
        method = ind.method
        mpath = (*path, method)
        top = _fraction(ind.max)
        if ind.formula is not None:
            raw = self.formula(ind.formula, mpath, subject)
        elif ind.bands is not None:
            raw = self.bands(ind, mpath, subject)
        elif ind.per_unit is not None:
            raw = self.per_unit(ind, mpath, subject)
        elif ind.ratio is not None:
            raw = self.ratio(ind, mpath, subject)
        elif ind.checklist is not None:
            raw = self.checklist(ind, mpath, subject)
        elif ind.tiers is not None:
            t = ind.tiers
            self.reads.update([t.level, *([t.score] if t.score else [])])
            raw = point(Fraction(0))
            for tier in t.table:
                low = _fraction(tier.range.low) if tier.range.low is not None else Fraction(0)
                high = _fraction(tier.range.high) if tier.range.high is not None else Fraction(100)
                raw = hull(raw, Span(low * top / 100, high * top / 100, True, True))
        else:  # a method this analysis does not know: count its names as read, bound nothing
            block = getattr(ind, method).model_dump()
            self.reads.update(_identifiers(block))
            raw = FULL
        span = self.finish(raw, Decimal(0), ind.max, self.rounding(ind.rounding))
        if ind.not_applicable == "full":
            span = hull(span, point(top))
        return span

    def bands(self, ind: Indicator, mpath: Path, subject: str) -> Span:
        b = ind.bands
        assert b is not None
        analysis = Analysis(b.measure)
        measure = analysis.number(analysis.tree, self.scope) or FULL
        self.hazards(analysis, (*mpath, "measure"), subject)
        self.reads.update(names_read(analysis.tree))
        whole = measure.tight() or measure
        rows = [_span_of(band.range) for band in b.table]
        scores: Span | None = None
        taken: list[list[Span]] = []  # the values each row actually scores
        measure_text = f"the measure '{analysis.source}' lies in {whole}"
        for i, (band, row) in enumerate(zip(b.table, rows, strict=True)):
            rpath = (*mpath, "table", i, "range")
            mine = _cut([row], rows[:i])
            live = _live([meet(p, whole) for p in mine], whole.step)
            taken.append(live)
            earlier = [j for j in range(i) if not meet(row, rows[j]).continuous_empty]
            if not mine:
                self.add(
                    "band-shadowed",
                    f"band[{i}] {row} can never match: {_bands(earlier)} "
                    f"{'covers' if len(earlier) == 1 else 'cover'} all its values "
                    "(the first matching band wins)",
                    rpath,
                    subject,
                    "remove the band or move it above the bands that shadow it",
                )
            elif not live:
                inside = _live([meet(row, whole)], whole.step)
                if not inside:
                    message = f"band[{i}] {row} can never match: {measure_text}"
                else:
                    message = (
                        f"band[{i}] {row} can never match: within the measure's range {whole}, "
                        f"{_bands(earlier)} take{'s' if len(earlier) == 1 else ''} all its values"
                    )
                self.add("band-unreachable", message, rpath, subject)
            else:
                for j in earlier:
                    shared = _live([meet(p, row) for p in taken[j]], whole.step)
                    if shared:
                        self.add(
                            "band-overlap",
                            f"band[{i}] {row} overlaps band[{j}] {rows[j]}: "
                            f"{_describe(shared)} score by band[{j}] "
                            "(the first matching band wins)",
                            rpath,
                            subject,
                            "make the ranges disjoint, or reorder them if the overlap is meant",
                        )
            scope = self.scope.restrict(analysis.tree, row)
            score = self.formula(band.score, (*mpath, "table", i, "score"), subject, scope)
            if live:
                scores = score if scores is None else hull(scores, score)
        gaps = _live(_cut([whole], rows), whole.step)
        if b.otherwise is None:
            if gaps:
                self.add(
                    "band-gap",
                    f"{_describe(gaps)} {'falls' if _is_one(gaps) else 'fall'} in no band",
                    (*mpath, "table"),
                    subject,
                    f"{measure_text}; add a band for these values or an 'otherwise' score "
                    "(without one such a value stops scoring: no-band)",
                    key=True,
                )
        else:
            otherwise = self.formula(b.otherwise, (*mpath, "otherwise"), subject)
            if gaps:
                scores = otherwise if scores is None else hull(scores, otherwise)
            else:
                self.add(
                    "otherwise-unreachable",
                    f"'otherwise' can never apply: the bands cover every value of the measure "
                    f"'{analysis.source}' ({whole})",
                    (*mpath, "otherwise"),
                    subject,
                )
        return scores if scores is not None else FULL

    def per_unit(self, ind: Indicator, mpath: Path, subject: str) -> Span:
        p = ind.per_unit
        assert p is not None
        measure = self.formula(p.measure, (*mpath, "measure"), subject)
        self.template(p.reason)
        unit = _fraction(p.unit)
        if p.partial == "whole":
            never = measure.hi < unit or (measure.hi == unit and not measure.hi_closed)
            reach = f"never reaches one unit ({show(unit)})"
        else:
            never = measure.hi <= 0
            reach = "is never above 0"
        if never:
            self.add(
                "per-unit-never-deducts",
                f"the measure '{p.measure.strip()}' lies in {measure}: it {reach}, "
                "so the deduction never applies",
                (*mpath, "measure"),
                subject,
                "check the sign of the measure (units short, such as 100 - rate, are positive)",
            )
        units = div(largest([measure, point(Fraction(0))]), point(unit))
        if p.partial != "exact":
            units = to_step(units, Fraction(1))
        deduction = mul(units, point(_fraction(p.points)))
        raw = add(point(_fraction(ind.max)), neg(deduction))
        return largest([raw, point(_fraction(p.floor))])

    def ratio(self, ind: Indicator, mpath: Path, subject: str) -> Span:
        r = ind.ratio
        assert r is not None
        actual = self.formula(r.actual, (*mpath, "actual"), subject)
        target = self.formula(r.target, (*mpath, "target"), subject)
        span = mul(point(_fraction(ind.max)), div(actual, target))
        if target.contains(Fraction(0)):
            if r.when_target_zero is None:
                self.add(
                    "possible-zero-division",
                    f"ratio target '{r.target.strip()}' may be 0 (it lies in {target}) and "
                    "there is no when_target_zero",
                    (*mpath, "target"),
                    subject,
                    "declare when_target_zero (the score for a zero target)",
                )
            else:
                zero = self.formula(r.when_target_zero, (*mpath, "when_target_zero"), subject)
                span = hull(span, zero)
        elif r.when_target_zero is not None:
            self.formula(r.when_target_zero, (*mpath, "when_target_zero"), subject)
        return span

    def checklist(self, ind: Indicator, mpath: Path, subject: str) -> Span:
        c = ind.checklist
        assert c is not None
        total = point(Fraction(0))
        for i, item in enumerate(c.items):
            ipath = (*mpath, "items", i)
            isub = f"{subject}, item {item.id!r}"
            when = Analysis(item.when)
            holds = when.truth(when.tree, self.scope)
            self.hazards(when, (*ipath, "when"), isub)
            names = names_read(when.tree)
            self.reads.update(names)
            if holds is False:
                spans = [
                    f"{n} lies in {self.scope.numbers[n]}" for n in names if n in self.scope.numbers
                ]
                why = f" ({'; '.join(spans)})" if spans else ""
                self.add(
                    "never-applies",
                    f"'{when.source}' can never be true{why}, so the item never deducts",
                    (*ipath, "when"),
                    isub,
                )
            scope = when.assume(when.tree, self.scope, holds=True)
            points = self.formula(item.points, (*ipath, "points"), isub, scope)
            self.template(item.reason)
            if holds is not False:
                amount = largest([points, point(Fraction(0))])
                total = add(total, amount if holds else hull(point(Fraction(0)), amount))
        top, floor = _fraction(ind.max), _fraction(c.floor)
        if total.hi > top - floor:
            most = "an unbounded amount" if total.hi == INF else f"up to {show(total.hi)}"
            self.add(
                "checklist-exceeds-max",
                f"items can deduct {most} in total, more than the {show(top - floor)} points "
                f"between max {show(top)} and floor {show(floor)}; the floor stops the "
                "deduction (扣完为止)",
                mpath,
                subject,
                key=True,
            )
        return largest([add(point(top), neg(total)), point(floor)])

    # --- checks, usage, grades

    def checks(self) -> None:
        for i, check in enumerate(self.model.checks):
            subject = f"check {check.id!r}"
            when = Analysis(check.when)
            holds = when.truth(when.tree, self.scope)
            self.hazards(when, ("checks", i, "when"), subject)
            names = names_read(when.tree)
            self.reads.update(names)
            self.template(check.message)
            if holds is False:
                spans = [
                    f"{n} lies in {self.scope.numbers[n]}" for n in names if n in self.scope.numbers
                ]
                why = f" ({'; '.join(spans)})" if spans else ""
                self.add(
                    "never-applies",
                    f"'{when.source}' can never be true{why}, so the check never warns",
                    ("checks", i, "when"),
                    subject,
                )

    def unused(self) -> None:
        used = set(self.reads)
        stack = [n for n in used if n in self.derived_reads]
        while stack:
            for name in self.derived_reads[stack.pop()]:
                if name not in used:
                    used.add(name)
                    if name in self.derived_reads:
                        stack.append(name)
        for kind, names in (("fact", self.model.facts), ("derived value", self.model.derived)):
            section = "facts" if kind == "fact" else "derived"
            for name in names:
                if name in used:
                    continue
                readers = sorted(d for d, r in self.derived_reads.items() if name in r)
                many = len(readers) > 1
                only = (
                    f" (only the unused derived value{'s' if many else ''} "
                    f"{_listed([repr(r) for r in readers])} {'do' if many else 'does'})"
                    if readers
                    else ""
                )
                code = "unused-derived"
                hint = "remove it, or read it where it was meant to count"
                if kind == "fact":
                    spec = self.model.facts[name]
                    optional = not spec.required or "default" in spec.model_fields_set
                    code = "unused-optional-fact" if optional else "unused-fact"
                    if not optional:
                        hint += "; documents must still give it"
                self.add(
                    code,
                    f"no indicator, check or template reads it{only}",
                    (section, name),
                    f"{kind} {name!r}",
                    None if code == "unused-optional-fact" else hint,
                    key=True,
                )

    def group(self, group: Group) -> Span:
        total = point(Fraction(0))
        spread = group.children is None  # a records group: bounded by its max only
        for child in group.children or ():
            if isinstance(child, Group):
                span = self.group(child)
            else:
                span = self.leaf_spans[child.id]
                if child.not_applicable == "redistribute":
                    spread = True
                    span = Span(Fraction(0), span.hi, True, span.hi_closed)
            total = add(total, span)
        top = point(_fraction(group.max))
        if spread:  # kept indicators are scaled up, never past the group's max
            return Span(total.lo, top.hi, total.lo_closed, True)
        return smallest([total, top])

    def grades(self, bonus: Span) -> None:
        base = point(Fraction(0))
        for group in self.model.groups:
            base = add(base, self.group(group))
        total = add(base, bonus)
        policy = self.model.total
        if policy is not None and policy.cap is not None:
            total = smallest([total, point(_fraction(policy.cap))])
        floor = policy.floor if policy is not None else Decimal(0)
        total = largest([total, point(_fraction(floor))])
        above: Fraction | None = None
        for i, grade in enumerate(self.model.grades):
            low = _fraction(grade.min) if grade.min is not None else None
            needs = Span(
                -INF if low is None else low,
                INF if above is None else above,
                low is not None,
                False,
            )
            if meet(needs, total).continuous_empty:
                self.add(
                    "unreachable-grade",
                    f"no total can get grade {grade.grade!r}, which needs a total in {needs}: "
                    f"totals lie in {total}",
                    ("grades", i),
                    "grades",
                )
            if low is not None:
                above = low
