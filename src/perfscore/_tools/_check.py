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

The rules and checks of a records group (one indicator per record of a list fact) get the same
analyses, with the record's fields bounded by the list's field specs, ``full`` (the record's
points) and, in its checks, ``score`` in [0, full].
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from perfscore._errors import FINDINGS, SEVERITIES, ErrorCode, Finding, Location, Problem
from perfscore._lang._bounds import (
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
from perfscore._load._facts import DEFAULT_MAX_ITEMS
from perfscore._load._model import (
    Check,
    FactSpec,
    FieldSpec,
    GiveTo,
    Group,
    Indicator,
    Interval,
    RecordRule,
    RecordsSpec,
    Rounding,
)
from perfscore._rubric import Rubric

__all__ = ["FINDINGS", "SEVERITIES", "Finding", "check_rubric"]

Path = tuple[str | int, ...]
Scored = Indicator | RecordRule
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def check_rubric(rubric: Rubric) -> list[Finding]:
    """Analyse a loaded rubric without facts.

    Args:
        rubric: a rubric from `load_rubric` (loading already rejected every hard error).

    Returns:
        Every finding, in file order.
    """
    return _Checker(rubric).run()


# --- helpers -----------------------------------------------------------------------------------


def _at(finding: Finding) -> Location:
    """Where a finding is; `_Checker.add` locates every one."""
    return finding.location or Location()


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
        self.records_groups: list[tuple[Group, Path]] = []
        #: while a records group is analysed, its list's fields: name -> (list fact id, spec)
        self.fields: dict[str, tuple[str, FieldSpec]] = {}
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
        code: ErrorCode,
        message: str,
        path: Path,
        subject: str | None,
        hint: str | None = None,
        *,
        key: bool = False,
    ) -> None:
        location = self.rubric.document.locate(path, key=key)
        self.findings.append(
            Problem(code, message, location, subject, hint, severity=FINDINGS[code])
        )

    def run(self) -> list[Finding]:
        self.derived()
        for indicator, path in self.leaves():
            self.leaf_spans[indicator.id] = self.indicator(indicator, path)
        for group, path in self.records_groups:
            self.records(group, path)
        bonus = point(Fraction(0))
        for i, item in enumerate(self.model.bonus):
            subject = f"indicator {item.id!r}"
            raw = self.formula(item.formula, ("bonus", i, "formula"), subject)
            low, high = point(_fraction(item.min)), point(_fraction(item.max))
            span = self.finish(raw, low, high, self.rounding(item.rounding))
            bonus = add(bonus, span)
        self.checks()
        self.unused()
        self.grades(bonus)
        order = {s: i for i, s in enumerate(SEVERITIES)}
        files = {
            name: i for i, name in enumerate(dict.fromkeys(_at(f).file for f in self.findings))
        }
        return sorted(
            self.findings,
            key=lambda f: (
                files[_at(f).file],  # an extending rubric's findings stay with their file
                _at(f).line or 0,
                _at(f).column or 0,
                order[f.severity],
            ),
        )

    def leaves(self) -> Iterator[tuple[Indicator, Path]]:
        def walk(group: Group, path: Path) -> Iterator[tuple[Indicator, Path]]:
            if group.records is not None:  # indicators listed in the facts: analysed later
                self.records_groups.append((group, path))
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
                elif hazard.operand in self.fields:
                    list_id, field_spec = self.fields[hazard.operand]
                    if not field_spec.required:
                        hint = (
                            f"guard it: '... if given({hazard.operand}) and "
                            f"{hazard.operand} {guard} 0 else ...'"
                        )
                    hint += f", or give field {hazard.operand!r} of {list_id!r} a min above 0"
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

    def finish(self, span: Span, low: Span, high: Span, rounding: Rounding | None) -> Span:
        """The span after clamping to [low, high] and rounding, as `_plan._finish` does."""
        span = smallest([largest([span, low]), high])
        if rounding is not None:
            span = to_step(span, _fraction(rounding.step))
            span = smallest([largest([span, low]), high])
        return span

    def indicator(self, ind: Indicator, path: Path) -> Span:
        top = point(_fraction(ind.max))
        raw = self.method(ind, (*path, ind.method), f"indicator {ind.id!r}", top)
        span = self.finish(raw, point(Fraction(0)), top, self.rounding(ind.rounding))
        if ind.not_applicable == "full":
            span = hull(span, top)
        return span

    def method(self, ind: Scored, mpath: Path, subject: str, top: Span) -> Span:
        """The raw span of an indicator's or a records rule's scoring method; `top` is its max
        (a point for an indicator, the span of ``full`` for a rule)."""
        if ind.formula is not None:
            return self.formula(ind.formula, mpath, subject)
        if ind.bands is not None:
            return self.bands(ind, mpath, subject)
        if ind.per_unit is not None:
            return self.per_unit(ind, mpath, subject, top)
        if ind.ratio is not None:
            return self.ratio(ind, mpath, subject, top)
        if ind.checklist is not None:
            return self.checklist(ind, mpath, subject, top)
        if ind.tiers is not None:
            t = ind.tiers
            self.reads.update([t.level, *([t.score] if t.score else [])])
            raw = point(Fraction(0))
            for tier in t.table:
                low = _fraction(tier.range.low) if tier.range.low is not None else Fraction(0)
                high = _fraction(tier.range.high) if tier.range.high is not None else Fraction(100)
                raw = hull(raw, mul(top, Span(low / 100, high / 100, True, True)))
            return raw
        # a method this analysis does not know: count its names as read, bound nothing
        block = getattr(ind, ind.method).model_dump()
        self.reads.update(_identifiers(block))
        return FULL

    def bands(self, ind: Scored, mpath: Path, subject: str) -> Span:
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

    def per_unit(self, ind: Scored, mpath: Path, subject: str, top: Span) -> Span:
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
        raw = add(top, neg(deduction))
        return largest([raw, point(_fraction(p.floor))])

    def ratio(self, ind: Scored, mpath: Path, subject: str, top: Span) -> Span:
        r = ind.ratio
        assert r is not None
        actual = self.formula(r.actual, (*mpath, "actual"), subject)
        target = self.formula(r.target, (*mpath, "target"), subject)
        span = mul(top, div(actual, target))
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

    def checklist(self, ind: Scored, mpath: Path, subject: str, top: Span) -> Span:
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
        floor = _fraction(c.floor)
        if total.hi > top.hi - floor:
            most = "an unbounded amount" if total.hi == INF else f"up to {show(total.hi)}"
            if top.is_point:
                room = (
                    f"the {show(top.hi - floor)} points between max {show(top.hi)} and floor "
                    f"{show(floor)}"
                )
            else:  # a records rule: its max is the record's points, full
                room = (
                    f"the record's points (full, at most {show(top.hi)}) above floor {show(floor)}"
                )
            self.add(
                "checklist-exceeds-max",
                f"items can deduct {most} in total, more than {room}; the floor stops the "
                "deduction (扣完为止)",
                mpath,
                subject,
                key=True,
            )
        return largest([add(top, neg(total)), point(floor)])

    # --- checks, usage, grades

    def checks(self) -> None:
        for i, check in enumerate(self.model.checks):
            self.check(check, ("checks", i), f"check {check.id!r}")

    def check(self, check: Check, path: Path, subject: str) -> None:
        when = Analysis(check.when)
        holds = when.truth(when.tree, self.scope)
        self.hazards(when, (*path, "when"), subject)
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
                (*path, "when"),
                subject,
            )

    # --- records groups

    @contextmanager
    def within(self, scope: Scope, fields: dict[str, tuple[str, FieldSpec]]) -> Iterator[None]:
        """Analyse with `scope` (and a list's `fields` named in hints) in place of the rubric's."""
        saved = self.scope, self.fields
        self.scope, self.fields = scope, fields
        try:
            yield
        finally:
            self.scope, self.fields = saved

    def records(self, group: Group, path: Path) -> None:
        """Analyse each rule (one per value of `select`) and check of a records group, with the
        record's fields, ``full`` and, in checks, ``score`` as names."""
        spec = group.records
        assert spec is not None
        rpath = (*path, "records")
        self.reads.add(spec.list)  # its fields are no facts: one no rule reads is no finding
        fact = self.model.facts.get(spec.list)
        fields = dict(fact.fields or {}) if fact is not None else {}
        numbers = dict(self.scope.numbers)
        for name, field_spec in fields.items():
            span = _bounds_of(field_spec)
            if span is not None:
                numbers[name] = span
        full = self.full(group, spec, fields)
        numbers["full"] = full
        named = {name: (spec.list, f) for name, f in fields.items()}
        subject = f"group {group.id!r}"
        with self.within(Scope(numbers, self.scope.lists), named):
            for key, rule in spec.rules.items():
                rsub = f"{subject}, rule {key!r}"
                self.method(rule, (*rpath, "rules", key, rule.method), rsub, full)
                self.template(rule.explain)
        numbers["score"] = Span(Fraction(0), full.hi, True, full.hi_closed)
        with self.within(Scope(numbers, self.scope.lists), named):
            for i, check in enumerate(spec.checks):
                self.check(check, (*rpath, "checks", i), f"{subject}, check {check.id!r}")

    def full(self, group: Group, spec: RecordsSpec, fields: dict[str, FieldSpec]) -> Span:
        """The span of ``full``, a record's points: above 0, and at most what the group's records
        must total (its max and the max of every empty group giving to it), unless they keep
        the sheet's points (``sum: warn``); without rescaling, within the max field's bounds."""
        high: Fraction | float = INF
        if spec.sum != "warn":
            high = _fraction(group.max) + self.received(group.id, {group.id})
        span = Span(Fraction(0), high, False, high != INF)
        given = fields.get(spec.max)
        bounds = _bounds_of(given) if given is not None else None
        if bounds is not None and spec.sum != "rescale":
            span = meet(span, bounds)
        return span.tight() or span

    def received(self, group_id: str, seen: set[str]) -> Fraction:
        """The most points empty records groups can give to a group (when_empty: give_to)."""
        total = Fraction(0)
        for other, _ in self.records_groups:
            empty = other.records.when_empty if other.records is not None else None
            if isinstance(empty, GiveTo) and empty.give_to == group_id and other.id not in seen:
                seen.add(other.id)
                total += _fraction(other.max) + self.received(other.id, seen)
        return total

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
                code: ErrorCode = "unused-derived"
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
