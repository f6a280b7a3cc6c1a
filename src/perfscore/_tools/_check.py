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

import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction

from perfscore._engine._finish import effective_rounding
from perfscore._engine._finish import finish as finish_score
from perfscore._engine._trace import NullRecorder
from perfscore._errors import FINDINGS, SEVERITIES, ErrorCode, Finding, Location, Problem
from perfscore._lang._bounds import (
    FULL,
    INF,
    Analysis,
    ListInfo,
    Scope,
    Span,
    add,
    hull,
    largest,
    meet,
    names_read,
    point,
    show,
    smallest,
    to_step,
)
from perfscore._load._facts import DEFAULT_MAX_ITEMS
from perfscore._load._model import (
    NUMBER_TYPES,
    Check,
    FactSpec,
    FieldSpec,
    GiveTo,
    Group,
    Indicator,
    Interval,
    RecordsSpec,
    Rounding,
    iter_nodes,
)
from perfscore._messages import Message
from perfscore._methods import REGISTRY
from perfscore._methods._base import Scored, fraction, listed, template_names
from perfscore._numbers import format_decimal
from perfscore._rubric import Rubric, as_rubric

__all__ = ["FINDINGS", "SEVERITIES", "Finding", "check_rubric", "unknown_effects"]

Path = tuple[str | int, ...]


def check_rubric(rubric: Rubric | str | os.PathLike[str]) -> list[Finding]:
    """Analyse a loaded rubric without facts.

    Args:
        rubric: a rubric from `load_rubric` (loading already rejected every hard error), or a
            rubric file's path or bundled ``id@version``, loaded with `load_rubric`.

    Returns:
        Every finding, in file order.

    Raises:
        UsageError: `rubric` is none of these (``bad-argument``).
    """
    return _Checker(as_rubric("check_rubric", "rubric", rubric)).run()


# --- helpers -----------------------------------------------------------------------------------


def property_finding(rubric: Rubric, indicator: str, fact: str, message: str) -> Finding:
    """A broken ``monotonic`` promise (found by ``check --properties``), at its declaration."""
    path: Path = ()
    for node in iter_nodes(rubric.model):
        if node.node.id == indicator:
            path = (*node.path, "monotonic", fact)
    message = message.removeprefix(f"indicator {indicator!r} ")
    return Problem(
        "monotonic-broken",
        message,
        rubric.document.locate(path, key=True),
        Message("check-subject-indicator", name=indicator),
        Message("check-monotonic-hint"),
        severity=FINDINGS["monotonic-broken"],
    )


def _at(finding: Finding) -> Location:
    """Where a finding is; `_Checker.add` locates every one."""
    return finding.location or Location()


def _bounds_of(spec: FactSpec | FieldSpec) -> Span | None:
    """The span of a number, integer or percent fact or field; None for other types."""
    if spec.type not in NUMBER_TYPES:
        return None
    low, high = spec.bounds
    return Span(
        -INF if low is None else fraction(low),
        INF if high is None else fraction(high),
        low is not None,
        high is not None,
        Fraction(1) if spec.type == "integer" else None,
    )


#: the keys whose text is a template of the rubric's own words
_TEMPLATE_KEYS = frozenset({"explain", "reason", "message"})
_BRACES = frozenset("\uff5b\uff5d")  # ｛ ｝
#: Chinese punctuation is written full-width on purpose; in values only the rest is suspect
_PUNCTUATION = frozenset("\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f")  # ！（），：；？


#: numbers too common to be a constant's (a full score, a percent's end): not reported
_PLAIN_NUMBERS = frozenset({Decimal(0), Decimal(1), Decimal(100)})
#: keys whose text is a formula or a range, where a number may stand for a constant
_NUMERIC_TEXT = frozenset(
    {"formula", "when", "measure", "score", "points", "actual", "target", "floor", "unit"}
    | {"range", "plausible", "when_target_zero"}
)
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])-?[0-9]+(?:\.[0-9]+)?(?![A-Za-z0-9_.])")


def formula_texts(node: object, path: Path) -> Iterator[tuple[Path, str, str]]:
    """Every formula or range written as text in the rubric data: (path, key, text)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and key in _NUMERIC_TEXT:
                yield (*path, key), str(key), value
            else:
                yield from formula_texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from formula_texts(value, (*path, i))


def code_of(text: str) -> str:
    """`text` without its quoted literals."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", " ", text)


def _numbers_in(text: str, *, ranged: bool) -> list[Fraction]:
    """The numbers written in a formula (outside text literals) or a range's edges."""
    source = text if ranged else code_of(text)
    out = []
    for token in _NUMBER.findall(source):
        number = Decimal(token)
        if number not in _PLAIN_NUMBERS:
            out.append(fraction(number))
    return out


def _holds_integer(interval: Interval) -> bool:
    """True when some integer lies in `interval`."""
    if interval.low is None or interval.high is None:
        return True
    low = math.ceil(interval.low) if interval.low_inclusive else math.floor(interval.low) + 1
    high = math.floor(interval.high) if interval.high_inclusive else math.ceil(interval.high) - 1
    return low <= high


def _full_width(text: str) -> list[str]:
    """The full-width forms of ASCII (and the ideographic space) in `text`, except Chinese
    punctuation, once each."""
    found = [
        ch
        for ch in text
        if ("\uff01" <= ch <= "\uff5e" and ch not in _PUNCTUATION) or ch == "\u3000"
    ]
    return list(dict.fromkeys(found))


def _joined(parts: list[Message]) -> Message:
    """Messages one after another, ``a; b; c`` (``a；b；c`` in Chinese), said in one language."""
    joined = parts[-1]
    for part in reversed(parts[:-1]):
        joined = Message("check-then", first=part, rest=joined)
    return joined


def _listed(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (``a、b和c``), said in the language of the message."""
    if len(parts) == 1:
        return parts[0]
    head = parts[0]
    for part in parts[1:-1]:
        head = Message("check-comma", first=head, rest=part)
    return Message("check-and", first=head, last=parts[-1])


def _shown(chars: list[str]) -> str:
    return ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in chars)


def _subject_of(data: object, path: Path) -> str | None:
    """The fact, check, indicator or group a value of the rubric document stands in."""
    if len(path) >= 2 and path[0] == "facts":
        return Message("check-subject-fact", name=path[1])
    subject = None
    node = data
    for i, part in enumerate(path):
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            kind = "check" if path[:1] == ("checks",) and i == 2 else "indicator"
            if "children" in node or "records" in node:
                kind = "group"
            subject = Message(f"check-subject-{kind}", name=node["id"])
        try:
            node = node[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            break
    return subject


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
            subject = Message("check-subject-indicator", name=item.id)
            raw = self.formula(item.formula, ("bonus", i, "formula"), subject)
            low, high = point(fraction(item.min)), point(fraction(item.max))
            rounding = self.rounding(item.rounding)
            span = self.finish(raw, low, high, rounding)
            bounds = (item.min, item.max)
            self.clamped("formula", raw, ("bonus", i, "formula"), subject, bounds, rounding)
            bonus = add(bonus, span)
        self.totals = self.total_spans(bonus)
        self.checks()
        self.unused()
        self.constants()
        self.overrides()
        self.plausible()
        self.grades(bonus)
        self.full_width(self.rubric.document.data, ())
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

    def full_width(self, node: object, path: Path) -> None:
        """Full-width characters typed where ASCII is meant (docs/errors.md,
        full-width-character): braces in templates, letters, digits and symbols in values that
        facts must match."""
        if isinstance(node, dict):
            for key, value in node.items():
                here = (*path, key)
                if key in _TEMPLATE_KEYS and isinstance(value, str):
                    if braces := [ch for ch in dict.fromkeys(value) if ch in _BRACES]:
                        self.add(
                            "full-width-character",
                            Message("check-full-width-template", chars=_shown(braces)),
                            here,
                            _subject_of(self.rubric.document.data, here),
                            hint=Message("check-full-width-template-hint"),
                        )
                elif key == "rules" and path[-1:] == ("records",) and isinstance(value, dict):
                    for rule in value:
                        self.full_width_value(rule, (*here, rule), key=True)
                elif (key == "default" and path[:1] == ("facts",)) or (
                    key == "level" and "range" in node
                ):
                    self.full_width_value(value, here)
                elif key == "values" and path[:1] == ("facts",) and isinstance(value, list):
                    for i, item in enumerate(value):
                        self.full_width_value(item, (*here, i))
                self.full_width(value, here)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                self.full_width(item, (*path, i))

    def full_width_value(self, value: object, path: Path, *, key: bool = False) -> None:
        if not isinstance(value, str) or not (chars := _full_width(value)):
            return
        ascii_form = "".join(chr(ord(ch) - 0xFEE0) if ch != "\u3000" else " " for ch in chars)
        self.add(
            "full-width-character",
            Message("check-full-width-value", value=value, chars=_shown(chars)),
            path,
            _subject_of(self.rubric.document.data, path),
            hint=Message("check-full-width-value-hint", ascii=ascii_form),
            key=key,
        )

    def leaves(self) -> Iterator[tuple[Indicator, Path]]:
        for node, path, _ in iter_nodes(self.model):
            if isinstance(node, Indicator):
                yield node, path
            elif node.records is not None:  # indicators listed in the facts: analysed later
                self.records_groups.append((node, path))

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
                hint = Message("check-guard-division", operand=hazard.operand, guard=guard)
                if hazard.operand in self.model.facts:
                    hint = Message("check-or-fact-min", hint=hint, fact=hazard.operand)
                elif hazard.operand in self.fields:
                    list_id, field_spec = self.fields[hazard.operand]
                    if not field_spec.required:
                        hint = Message("check-guard-given", operand=hazard.operand, guard=guard)
                    hint = Message(
                        "check-or-field-min", hint=hint, field=hazard.operand, list=list_id
                    )
                self.add(
                    "possible-zero-division",
                    Message(
                        "check-zero-division",
                        source=hazard.source,
                        operand=hazard.operand,
                        span=str(hazard.span),
                    ),
                    path,
                    subject,
                    hint,
                )
            else:
                self.add(
                    "possible-empty-list",
                    Message("check-empty-list", source=hazard.source, list=hazard.operand),
                    path,
                    subject,
                    Message("check-guard-count", list=hazard.operand),
                )

    def template(self, text: str | None) -> None:
        if text:
            self.reads.update(template_names(text))

    def derived(self) -> None:
        numbers = dict(self.scope.numbers)
        for name, value_type in self.rubric.plan.derived_types():
            if name in self.model.constants:  # its exact value, read through wherever it is
                numbers[name] = point(fraction(self.model.constants[name].value))
                self.derived_reads[name] = set()
                continue
            reads: set[str] = set()
            scope = Scope(numbers, self.scope.lists)
            path: Path = ("derived", name, "formula")
            span = self.formula(
                self.model.derived[name].formula,
                path,
                Message("check-subject-derived", name=name),
                scope,
                reads=reads,
            )
            self.derived_reads[name] = reads
            if value_type.kind == "number":
                numbers[name] = span
        self.scope = Scope(numbers, self.scope.lists)

    # --- indicators

    def rounding(self, declared: Rounding | str | None) -> Rounding | None:
        return effective_rounding(declared, self.model.rounding)

    def finish(self, span: Span, low: Span, high: Span, rounding: Rounding | None) -> Span:
        """The span after clamping to [low, high] and rounding, as the engine's `finish` does."""
        span = smallest([largest([span, low]), high])
        if rounding is not None:
            step = fraction(rounding.step)
            span = _rounded_top(to_step(span, step), span.hi, step, rounding.mode)
            span = smallest([largest([span, low]), high])
        return span

    def indicator(self, ind: Indicator, path: Path) -> Span:
        top = point(fraction(ind.max))
        mpath = (*path, ind.method)
        subject = Message("check-subject-indicator", name=ind.id)
        raw = self.method(ind, mpath, subject, top)
        rounding = self.rounding(ind.rounding)
        span = self.finish(raw, point(Fraction(0)), top, rounding)
        self.clamped(ind.method, raw, mpath, subject, (Decimal(0), ind.max), rounding)
        self.short_of_max(ind.method, raw, span, mpath, subject, ind.max)
        if ind.not_applicable == "full":
            span = hull(span, top)
        return span

    def short_of_max(
        self, method: str, raw: Span, span: Span, path: Path, subject: str, most: Decimal
    ) -> None:
        """A finished score that is below the max for every value the facts' bounds allow
        (docs/errors.md, max-unreachable): a best band of 4.5 under a max of 5, a formula of
        ``4 * x / 100``, a rounding step of 3 under a max of 10. The analysis bounds every
        method's score from above soundly, so a best end below the max is never reached."""
        if raw.continuous_empty or span.continuous_empty:
            return
        best = span.hi
        if not isinstance(best, Fraction):
            return
        top = fraction(most)
        if best > top or (best == top and span.hi_closed):
            return
        shown = show(best) if span.hi_closed else f"< {show(best)}"
        message = Message(
            "check-max-unreachable", method=method, best=shown, max=format_decimal(most)
        )
        hint = Message("check-max-unreachable-hint")
        self.add("max-unreachable", message, path, subject, hint, key=method != "formula")

    def method(self, ind: Scored, mpath: Path, subject: str, top: Span) -> Span:
        """The raw span of an indicator's or a records rule's scoring method; `top` is its max
        (a point for an indicator, the span of ``full`` for a rule)."""
        return REGISTRY[ind.method].analyse(ind, self, mpath, subject, top)

    def clamped(
        self,
        method: str,
        raw: Span,
        path: Path,
        subject: str,
        bounds: tuple[Decimal, Decimal] | Span,
        rounding: Rounding | None = None,
    ) -> None:
        """A raw score outside what the score is clamped to for every value the facts' bounds
        allow: each document scores the same end (docs/errors.md, always-clamped). `bounds`
        are an indicator's [0, max] or a bonus's [min, max], or, for a records rule, the span
        of ``full`` (clamped to [0, full]). A raw span only partly outside is ordinary clamping
        and no finding. The analysis bounds every method's raw score soundly, so the test is
        the same for all of them."""
        if raw.continuous_empty:
            return
        if isinstance(bounds, Span):
            low, high = point(Fraction(0)), bounds
        else:
            low, high = point(fraction(bounds[0])), point(fraction(bounds[1]))
        above = raw.lo > high.hi or (raw.lo == high.hi and not (raw.lo_closed and high.hi_closed))
        below = raw.hi < low.lo or (raw.hi == low.lo and not (raw.hi_closed and low.lo_closed))
        if not above and not below:
            return
        shown = str(raw.tight() or raw)
        if isinstance(bounds, Span):  # a records rule: every record scores its full points, or 0
            kind = "above-record" if above else "below-record"
            message = Message(f"check-always-{kind}", method=method, span=shown, max=show(high.hi))
        else:
            least, most = bounds
            score = finish_score(most if above else least, least, most, rounding, NullRecorder())
            ends = {"method": method, "span": shown, "score": format_decimal(score)}
            if above:
                message = Message("check-always-above", max=format_decimal(most), **ends)
            elif least == 0:
                message = Message("check-always-below", **ends)
            else:  # a bonus with a min of its own
                message = Message("check-always-below-min", min=format_decimal(least), **ends)
        hint = Message(f"check-always-{'above' if above else 'below'}-hint")
        self.add("always-clamped", message, path, subject, hint, key=method != "formula")

    # --- checks, usage, grades

    def checks(self) -> None:
        for i, check in enumerate(self.model.checks):
            self.check(check, ("checks", i), Message("check-subject-check", name=check.id))

    def check(self, check: Check, path: Path, subject: str) -> None:
        if check.for_each is not None and check.for_each in self.model.facts:
            # once per record: the fields (with their bounds) and `row` are names
            self.reads.add(check.for_each)
            fact = self.model.facts[check.for_each]
            numbers = dict(self.scope.numbers)
            for name, spec in (fact.fields or {}).items():
                span = _bounds_of(spec)
                if span is not None:
                    numbers[name] = span
            limit = fact.max_items if fact.max_items is not None else DEFAULT_MAX_ITEMS
            numbers["row"] = Span(Fraction(1), Fraction(limit), True, True, Fraction(1))
            fields = {n: (check.for_each, s) for n, s in (fact.fields or {}).items()}
            with self.within(Scope(numbers, self.scope.lists), fields):
                self.check(check.model_copy(update={"for_each": None}), path, subject)
            return
        if check.reads is not None:  # the totals, over what the rubric lets them reach
            numbers = {**self.scope.numbers, **self.totals}
            with self.within(Scope(numbers, self.scope.lists), self.fields):
                self.check(check.model_copy(update={"reads": None}), path, subject)
            return
        when = Analysis(check.when)
        holds = when.truth(when.tree, self.scope)
        self.hazards(when, (*path, "when"), subject)
        names = names_read(when.tree)
        self.reads.update(names)
        self.template(check.message)
        if holds is False:
            spans = [
                Message("check-lies-in", name=n, span=str(self.scope.numbers[n]))
                for n in names
                if n in self.scope.numbers
            ]
            why = Message("check-never-why", spans=_joined(spans)) if spans else ""
            self.add(
                "never-applies",
                Message("check-never-applies", source=when.source, why=why),
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
        subject = Message("check-subject-group", name=group.id)
        with self.within(Scope(numbers, self.scope.lists), named):
            for key, rule in spec.rules.items():
                rsub = Message("check-subject-rule", subject=subject, rule=key)
                mpath = (*rpath, "rules", key, rule.method)
                raw = self.method(rule, mpath, rsub, full)
                self.clamped(rule.method, raw, mpath, rsub, full)
                self.template(rule.explain)
        numbers["score"] = Span(Fraction(0), full.hi, True, full.hi_closed)
        with self.within(Scope(numbers, self.scope.lists), named):
            for i, check in enumerate(spec.checks):
                sub = Message("check-subject-group-check", subject=subject, check=check.id)
                self.check(check, (*rpath, "checks", i), sub)

    def full(self, group: Group, spec: RecordsSpec, fields: dict[str, FieldSpec]) -> Span:
        """The span of ``full``, a record's points: above 0, and at most what the group's records
        must total (its max and the max of every empty group giving to it), unless they keep
        the sheet's points (``sum: warn``); without rescaling, within the max field's bounds."""
        high: Fraction | float = INF
        if spec.sum != "warn":
            high = fraction(group.max) + self.received(group.id, {group.id})
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
                total += fraction(other.max) + self.received(other.id, seen)
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
                    Message(
                        "check-unused-only-many" if many else "check-unused-only-one",
                        names=listed([repr(r) for r in readers]),
                    )
                    if readers
                    else ""
                )
                code: ErrorCode = "unused-derived"
                hint = Message("check-unused-hint")
                if kind == "fact":
                    spec = self.model.facts[name]
                    optional = not spec.required or "default" in spec.model_fields_set
                    code = "unused-optional-fact" if optional else "unused-fact"
                    if not optional:
                        hint = Message("check-unused-fact-hint")
                self.add(
                    code,
                    Message("check-unused", only=only),
                    (section, name),
                    Message(f"check-subject-{'fact' if kind == 'fact' else 'derived'}", name=name),
                    None if code == "unused-optional-fact" else hint,
                    key=True,
                )

    def overrides(self) -> None:
        """An extends override that gives a method block replaces it whole: keys of the base's
        block it does not repeat (a reason, a floor) are gone, which is rarely meant."""
        for item_id, method, lost, where in getattr(self.rubric.document, "dropped", ()):
            self.findings.append(
                Problem(
                    "override-drops-keys",
                    f"override of {method} replaces the base's block whole and drops "
                    f"{listed([repr(k) for k in lost])}",
                    where,
                    Message("check-subject-indicator", name=item_id),
                    "repeat the keys to keep, or write the change under 'patch:' (merged key "
                    "by key into the base's block)",
                    severity=FINDINGS["override-drops-keys"],
                )
            )

    def constants(self) -> None:
        """A constant is written once: a number equal to one written out elsewhere (a band
        edge, a formula) would be left behind when the constant moves. Ranges that name a
        constant are read with its value, so the raw text is what is looked at."""
        values: dict[Fraction, list[str]] = {}
        for name, spec in self.model.constants.items():
            if spec.value not in _PLAIN_NUMBERS:
                values.setdefault(fraction(spec.value), []).append(name)
        named: set[str] = set()
        for path, key, text in formula_texts(self.rubric.document.data, ()):
            if path[:1] == ("constants",):
                continue
            words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", code_of(text)))
            named.update(words & set(self.model.constants))
            for number in _numbers_in(text, ranged=key in ("range", "plausible")):
                names = values.get(number)
                if names:
                    written = Decimal(number.numerator) / Decimal(number.denominator)
                    self.add(
                        "constant-literal",
                        Message(
                            "check-constant-literal",
                            key=key,
                            text=text.strip(),
                            written=format_decimal(written),
                            names=_listed([repr(n) for n in names]),
                        ),
                        path,
                        None,
                        Message("check-constant-literal-hint", name=names[0]),
                    )
        for name in self.model.constants:
            if name not in named and name not in self.reads:
                self.add(
                    "unused-constant",
                    Message("check-unused-constant"),
                    ("constants", name),
                    Message("check-subject-constant", name=name),
                    Message("check-unused-constant-hint"),
                    key=True,
                )

    def plausible(self) -> None:
        """A plausible range inside the bounds can still hold no value an integer may take
        (``(1, 2)``): it would question every value given."""
        for fact_id, spec in self.model.facts.items():
            specs: list[tuple[FactSpec | FieldSpec, Path]] = [(spec, ("facts", fact_id))]
            specs.extend(
                (f, ("facts", fact_id, "fields", name)) for name, f in (spec.fields or {}).items()
            )
            for each, path in specs:
                if (
                    each.plausible is None
                    or each.type != "integer"
                    or _holds_integer(each.plausible)
                ):
                    continue
                self.add(
                    "dead-plausible-range",
                    Message("check-dead-plausible", range=str(each.plausible)),
                    (*path, "plausible"),
                    Message("check-subject-fact", name=fact_id),
                    Message("check-dead-plausible-hint"),
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
        top = point(fraction(group.max))
        if spread:  # kept indicators are scaled up, never past the group's max
            return Span(total.lo, top.hi, total.lo_closed, True)
        return smallest([total, top])

    def total_spans(self, bonus: Span) -> dict[str, Span]:
        """What the totals a check may read (`reads: totals`) can reach: base, bonus, the total
        after scaling, cap and floor, and the base maximum."""
        base = point(Fraction(0))
        for group in self.model.groups:
            base = add(base, self.group(group))
        top = point(sum((fraction(g.max) for g in self.model.groups), Fraction(0)))
        total = add(base, bonus)
        policy = self.model.total
        if policy is not None and policy.scale_to is not None:
            scaled = point(fraction(policy.scale_to))
            total = add(Span(Fraction(0), scaled.hi, True, True), bonus)
            total = hull(total, add(base, bonus))  # not scaled when the maximum is scale_to
        if policy is not None and policy.cap is not None:
            total = smallest([total, point(fraction(policy.cap))])
        floor = policy.floor if policy is not None else Decimal(0)
        total = largest([total, point(fraction(floor))])
        return {"total": total, "base_total": base, "bonus_total": bonus, "max_total": top}

    def grades(self, bonus: Span) -> None:
        base = point(Fraction(0))
        for group in self.model.groups:
            base = add(base, self.group(group))
        total = add(base, bonus)
        policy = self.model.total
        if policy is not None and policy.cap is not None:
            total = smallest([total, point(fraction(policy.cap))])
        floor = policy.floor if policy is not None else Decimal(0)
        total = largest([total, point(fraction(floor))])
        above: Fraction | None = None
        for i, grade in enumerate(self.model.grades):
            low = fraction(grade.min) if grade.min is not None else None
            needs = Span(
                -INF if low is None else low,
                INF if above is None else above,
                low is not None,
                False,
            )
            if meet(needs, total).continuous_empty:
                self.add(
                    "unreachable-grade",
                    Message(
                        "check-unreachable-grade",
                        grade=grade.grade,
                        needs=str(needs),
                        total=str(total),
                    ),
                    ("grades", i),
                    "grades",
                )
            if low is not None:
                above = low


# --- unknown values ----------------------------------------------------------------------------


def unknown_effects(rubric: Rubric) -> list[Finding]:
    """For each fact (and each field of a list a records group expands), the indicators that
    become a range when a facts document declares it unknown (``perfscore check --unknowns``).

    An indicator depends on a fact when its method reads it, or reads a derived value that
    does (transitively); a records group's rows depend on the fields their rules read. A note
    per fact that any indicator reads, at the fact's declaration, in rubric order.
    """
    plan = rubric.plan
    derived: dict[str, set[str]] = {}
    for name, formula in plan.derived:
        found: set[str] = set()
        for read in formula.names:
            found |= derived.get(read, {read})
        derived[name] = found

    def facts_of(names: Iterator[str] | tuple[str, ...] | frozenset[str]) -> set[str]:
        out: set[str] = set()
        for name in names:
            out |= derived.get(name, {name})
        return out

    readers: dict[str, list[str]] = {}
    for leaf in (*plan.leaves, *plan.bonus):
        for fact in sorted(facts_of(leaf.reads)):
            readers.setdefault(fact, []).append(leaf.id)
    rows: dict[str, list[str]] = {}
    for gid, group in plan.records.items():
        fields: set[str] = set()
        for rule in group.rules.values():
            fields |= set(rule.node.reads)
        for field in sorted(fields):
            if field in (plan.facts[group.list_fact].fields or {}):
                rows.setdefault(f"{group.list_fact}.{field}", []).append(f"{gid}.*")
            else:
                for fact in sorted(facts_of((field,))):
                    readers.setdefault(fact, []).append(f"{gid}.*")
    findings: list[Finding] = []
    document = rubric.document
    for fact_id, spec in plan.facts.items():
        whole = readers.get(fact_id, [])
        if whole:
            findings.append(
                _unknown_note(
                    document.locate(("facts", fact_id), key=True), fact_id, spec.label, whole
                )
            )
        for field_id, field_spec in (spec.fields or {}).items():
            some = rows.get(f"{fact_id}.{field_id}", [])
            if some:
                location = document.locate(("facts", fact_id, "fields", field_id), key=True)
                findings.append(
                    _unknown_note(location, f"{fact_id}.{field_id}", field_spec.label, some)
                )
    return findings


def _unknown_note(location: Location, name: str, label: str, ids: list[str]) -> Finding:
    unique = list(dict.fromkeys(ids))
    shown = _listed(
        [
            Message("check-record-row", group=i.removesuffix(".*")) if i.endswith(".*") else i
            for i in unique
        ]
    )
    return Problem(
        "unknown-effect",
        Message(f"check-unknown-effect-{'one' if len(unique) == 1 else 'many'}", shown=shown),
        location,
        Message("check-subject-fact-label", name=name, label=label),
        severity=FINDINGS["unknown-effect"],
    )


def _rounded_top(span: Span, top: object, step: Fraction, mode: str) -> Span:
    """`span` (rounded to `step` in any mode) with its upper end where `mode` rounds `top`, the
    upper end before rounding: ``floor`` takes 10 to 9 on a step of 3, where rounding in any
    mode could give 12. Still an upper end of every score: each mode is monotone."""
    if not isinstance(top, Fraction) or not isinstance(span.hi, Fraction):
        return span
    units = top / step
    if mode == "floor" or (mode == "down" and units >= 0) or (mode == "up" and units < 0):
        high = math.floor(units)
    elif mode in ("half_up", "half_even") or (mode == "half_down" and units < 0):
        high = math.floor(units + Fraction(1, 2))
    elif mode == "half_down":
        high = math.ceil(units - Fraction(1, 2))
    else:  # ceiling, or away from zero above it, or toward zero below it
        high = math.ceil(units)
    hi = step * high
    if hi >= span.hi or hi < span.lo:
        return span
    return Span(span.lo, hi, span.lo_closed, True, span.step)
