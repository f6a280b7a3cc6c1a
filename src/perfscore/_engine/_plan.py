"""Compile a validated rubric model into an immutable plan, and run the plan on fact values.

The plan is the only seam evaluation goes through: `compile_plan` does every check that can be
done without facts (names, types, group sums, grades, templates), and `Plan.run` does nothing but
arithmetic and, when asked, trace records.
"""

from __future__ import annotations

import ast
import decimal
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from perfscore._engine._records import RecordsPlan
from perfscore._errors import (
    ErrorCode,
    ExpressionError,
    FactsError,
    Location,
    Problem,
    RubricError,
    ScoringError,
    suggest,
)
from perfscore._lang._expr import Formula, compile_formula
from perfscore._load._facts import validate_values
from perfscore._load._model import (
    Bonus,
    FactSpec,
    Group,
    Indicator,
    Interval,
    Rounding,
    RubricModel,
)
from perfscore._numbers import CONTEXT, ZERO, format_decimal, quantize_step
from perfscore._output._words import phrase
from perfscore._values import BOOL, DATE, NUMBER, TEXT, Records, ValueType, list_of, text_of

__all__ = ["Plan", "Step", "compile_plan"]

Locate = Callable[[tuple[str | int, ...]], Location]


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of an indicator's trace; `value` is the running score after the step.

    kinds: ``start`` (the value a method starts from), ``band``, ``deduction`` (minus `amount`),
    ``floor`` and ``clamp`` (bounded), ``round``, ``scale`` (not-applicable redistribution),
    ``not_applicable``, ``tier``.
    """

    kind: str
    value: Decimal
    detail: str
    amount: Decimal | None = None
    rule: str | None = None


@dataclass(frozen=True)
class LeafResult:
    """The computed score of one leaf or bonus indicator."""

    id: str
    score: Decimal
    min: Decimal
    max: Decimal
    applicable: bool
    inputs: Mapping[str, object] | None
    steps: tuple[Step, ...] | None
    rules: tuple[str, ...]


@dataclass(frozen=True)
class GroupResult:
    """A group's subtotal."""

    id: str
    score: Decimal
    max: Decimal


@dataclass(frozen=True)
class RunResult:
    """Everything `Plan.run` computes; the scorecard is built from it."""

    values: Mapping[str, object]
    leaves: Mapping[str, LeafResult]
    groups: Mapping[str, GroupResult]
    base_total: Decimal
    bonus_total: Decimal
    total: Decimal
    total_steps: tuple[Step, ...]
    grade: str
    warnings: tuple[tuple[str, str], ...]
    #: every leaf (declared or expanded from records) in rubric order, bonus excluded
    order: tuple[LeafPlan, ...] = ()
    #: claimed scores carried by records (``claimed`` field of a records group)
    claims: Mapping[str, Decimal] = field(default_factory=dict)
    max_total: Decimal = ZERO


# --- templates ---------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Template:
    """A message with ``{name}`` placeholders for facts, derived values and method values."""

    parts: tuple[tuple[bool, str], ...]
    language: str = "zh"

    def render(self, env: Mapping[str, object]) -> str:
        """Fill the placeholders from `env` (booleans and lists in the rubric's language)."""
        return "".join(
            show(env[text], self.language) if is_name else text for is_name, text in self.parts
        )


def compile_template(
    text: str,
    names: Sequence[str],
    problems: list[Problem],
    location: Location,
    subject: str,
    language: str = "zh",
) -> Template:
    """Split a template into literal and name parts; report unknown placeholders."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    escaped = text.replace("{{", "\0").replace("}}", "\1")
    for match in _PLACEHOLDER.finditer(escaped):
        parts.append((False, _unescape(escaped[pos : match.start()])))
        name = match.group(1).strip()
        if name not in names:
            problems.append(
                Problem(
                    "template",
                    f"template names {name!r}, which is not a fact or derived value",
                    location,
                    subject,
                    hint=suggest(name, names),
                )
            )
        parts.append((True, name))
        pos = match.end()
    rest = escaped[pos:]
    if "{" in rest or "}" in rest:
        problems.append(
            Problem(
                "template",
                "unbalanced '{' or '}' in template",
                location,
                subject,
                hint="write '{{' or '}}' for a literal brace",
            )
        )
    parts.append((False, _unescape(rest)))
    return Template(tuple(p for p in parts if p[1] or p[0]), language)


def _unescape(text: str) -> str:
    return text.replace("\0", "{").replace("\1", "}")


def show(value: object, language: str = "en") -> str:
    """Render a value for a message: numbers as written (0.90 stays 0.90), ISO dates, booleans
    and list sizes in the rubric's language."""
    if isinstance(value, bool):
        if language == "zh":
            return "是" if value else "否"
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if value.as_tuple().exponent < -6:  # type: ignore[operator]
            # a long quotient; the trace inputs keep the exact value
            return "≈" + format_decimal(value.quantize(Decimal("0.0001")))
        return format(value.copy_abs() if value.is_zero() else value, "f")
    if isinstance(value, Records):
        return f"{len(value)} 条" if language == "zh" else f"{len(value)} records"
    if value is None:
        return "—"
    return str(value)


# --- scorers -----------------------------------------------------------------------------------


class _Scorer:
    """Computes an indicator's raw score and appends trace steps."""

    formulas: tuple[Formula, ...] = ()
    rules: tuple[str, ...] = ()
    lang: str = "zh"
    #: fact, derived-value and field labels, so traces read 全年执行数 rather than exec_spent
    labels: Mapping[str, str] = MappingProxyType({})
    #: the rubric's own words on what the score rests on (`explain:`), rendered after scoring
    explain: Template | None = None

    def note(
        self, value: Decimal, top: Decimal, env: Mapping[str, object], steps: list[Step] | None
    ) -> None:
        """Append the `explain` note; it changes no value."""
        if self.explain is not None and steps is not None:
            text = self.explain.render({**env, "score": value, "full": top})
            steps.append(Step("note", value, text))

    def describe(self, names: Sequence[str], env: Mapping[str, object]) -> str:
        """``label value`` for each name, in the rubric's language."""
        parts = [
            f"{self.labels.get(n, n)} {show(env.get(n), self.lang)}" for n in names if n in env
        ]
        return ("，" if self.lang == "zh" else ", ").join(parts)

    def raw(
        self, env: Mapping[str, object], top: Decimal, steps: list[Step] | None, fired: list[str]
    ) -> Decimal:
        raise NotImplementedError

    def _floor(
        self, value: Decimal, floor: Decimal, steps: list[Step] | None, fired: list[str]
    ) -> Decimal:
        """Deductions stop at `floor` (扣完为止); the stop is a rule of its own in the trace."""
        if value >= floor:
            return value
        fired.append("floor")
        if steps is not None:
            steps.append(
                Step("floor", floor, phrase(self.lang, "floor", floor=show(floor)), rule="floor")
            )
        return floor


def _num(formula: Formula, env: Mapping[str, object]) -> Decimal:
    value = formula.run(env)
    assert isinstance(value, Decimal)
    return value


@dataclass(frozen=True)
class _FormulaScorer(_Scorer):
    formula: Formula

    def __post_init__(self) -> None:
        object.__setattr__(self, "formulas", (self.formula,))
        object.__setattr__(self, "rules", ("formula",))

    def raw(
        self, env: Mapping[str, object], top: Decimal, steps: list[Step] | None, fired: list[str]
    ) -> Decimal:
        value = _num(self.formula, env)
        fired.append("formula")
        if steps is not None:
            reads = self.formula.reads
            detail = (
                phrase(self.lang, "formula", inputs=self.describe(reads, env), score=show(value))
                if reads
                else f"{self.formula.source} = {show(value)}"
            )
            steps.append(Step("start", value, detail, rule="formula"))
        return value


@dataclass(frozen=True)
class _BandsScorer(_Scorer):
    measure: Formula
    table: tuple[tuple[Interval, Formula, str | None], ...]
    otherwise: Formula | None
    location: Location
    subject: str

    def __post_init__(self) -> None:
        formulas = [self.measure, *(f for _, f, _ in self.table)]
        if self.otherwise is not None:
            formulas.append(self.otherwise)
        object.__setattr__(self, "formulas", tuple(formulas))
        rules = [f"band[{i}]" for i in range(len(self.table))]
        if self.otherwise is not None:
            rules.append("otherwise")
        object.__setattr__(self, "rules", tuple(rules))

    def raw(
        self, env: Mapping[str, object], top: Decimal, steps: list[Step] | None, fired: list[str]
    ) -> Decimal:
        measure = _num(self.measure, env)
        for i, (interval, score, label) in enumerate(self.table):
            if interval.contains(measure):
                value = _num(score, env)
                fired.append(f"band[{i}]")
                if steps is not None:
                    if label:
                        detail = phrase(
                            self.lang,
                            "band_label",
                            label=label,
                            value=show(measure),
                            score=show(value),
                        )
                    else:
                        detail = phrase(
                            self.lang,
                            "band",
                            measure=self.measure.source,
                            value=show(measure),
                            range=interval,
                            label="",
                            score=show(value),
                        )
                    steps.append(
                        Step(
                            "band",
                            value,
                            detail,
                            rule=f"band[{i}]",
                        )
                    )
                return value
        if self.otherwise is None:
            raise ScoringError(
                Problem(
                    "no-band",
                    f"no band holds {self.measure.source} = {show(measure)}",
                    self.location,
                    self.subject,
                    hint="add a band for this value or an 'otherwise' score",
                )
            )
        value = _num(self.otherwise, env)
        fired.append("otherwise")
        if steps is not None:
            steps.append(
                Step(
                    "band",
                    value,
                    phrase(
                        self.lang,
                        "no_band",
                        measure=self.measure.source,
                        value=show(measure),
                        score=show(value),
                    ),
                    rule="otherwise",
                )
            )
        return value


@dataclass(frozen=True)
class _PerUnitScorer(_Scorer):
    measure: Formula
    unit: Decimal
    points: Decimal
    partial: str
    floor: Decimal
    reason: Template | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "formulas", (self.measure,))
        object.__setattr__(self, "rules", ("deduction", "floor"))

    def raw(
        self, env: Mapping[str, object], top: Decimal, steps: list[Step] | None, fired: list[str]
    ) -> Decimal:
        measure = _num(self.measure, env)
        units = max(measure, ZERO) / self.unit
        if self.partial == "whole":
            units = units.to_integral_value(rounding=decimal.ROUND_FLOOR)
        elif self.partial == "started":
            units = units.to_integral_value(rounding=decimal.ROUND_CEILING)
        deduction = units * self.points
        value = top - deduction
        if steps is not None:
            steps.append(Step("start", top, phrase(self.lang, "start_max", max=show(top))))
        if deduction > 0:
            fired.append("deduction")
            if steps is not None:
                reason = (
                    self.reason.render(
                        {**env, "measure": measure, "units": units, "deduction": deduction}
                    )
                    if self.reason
                    else ""
                )
                if reason:
                    detail = phrase(
                        self.lang, "per_unit_reason", reason=reason, deduction=show(deduction)
                    )
                else:
                    detail = phrase(
                        self.lang,
                        "per_unit",
                        measure=self.measure.source,
                        value=show(measure),
                        units=show(units),
                        unit=show(self.unit),
                        points=show(self.points),
                    )
                steps.append(
                    Step(
                        "deduction",
                        value,
                        detail,
                        amount=deduction,
                        rule="deduction",
                    )
                )
        return self._floor(value, self.floor, steps, fired)


@dataclass(frozen=True)
class _RatioScorer(_Scorer):
    actual: Formula
    target: Formula
    when_target_zero: Formula | None
    location: Location
    subject: str

    def __post_init__(self) -> None:
        formulas = [self.actual, self.target]
        rules = ["ratio"]
        if self.when_target_zero is not None:
            formulas.append(self.when_target_zero)
            rules.append("target_zero")
        object.__setattr__(self, "formulas", tuple(formulas))
        object.__setattr__(self, "rules", tuple(rules))

    def raw(
        self, env: Mapping[str, object], top: Decimal, steps: list[Step] | None, fired: list[str]
    ) -> Decimal:
        actual = _num(self.actual, env)
        target = _num(self.target, env)
        if target.is_zero():
            if self.when_target_zero is None:
                raise ExpressionError(
                    Problem(
                        "zero-division",
                        "ratio target is zero",
                        self.location,
                        self.subject,
                        details=(
                            ("actual", f"{self.actual.source} = {show(actual)}"),
                            ("target", f"{self.target.source} = 0"),
                        ),
                        hint="declare when_target_zero for this indicator",
                    )
                )
            value = _num(self.when_target_zero, env)
            fired.append("target_zero")
            if steps is not None:
                steps.append(
                    Step(
                        "start",
                        value,
                        phrase(self.lang, "target_zero", score=show(value)),
                        rule="target_zero",
                    )
                )
            return value
        value = top * actual / target
        fired.append("ratio")
        if steps is not None:
            steps.append(
                Step(
                    "start",
                    value,
                    phrase(
                        self.lang,
                        "ratio",
                        top=show(top),
                        actual=self._named(self.actual, actual),
                        target=self._named(self.target, target),
                        score=show(value),
                    ),
                    rule="ratio",
                )
            )
        return value

    def _named(self, formula: Formula, value: Decimal) -> str:
        """``label value`` when the formula is a bare name, else the value."""
        name = formula.source.strip()
        if name in self.labels:
            return f"{self.labels[name]} {show(value)}"
        return show(value)


@dataclass(frozen=True)
class _ChecklistScorer(_Scorer):
    items: tuple[tuple[str, Formula, Formula, Template], ...]
    floor: Decimal
    location: Location
    subject: str
    floor_reachable: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "formulas", tuple(f for _, w, p, _ in self.items for f in (w, p)))
        floor = ("floor",) if self.floor_reachable else ()
        object.__setattr__(self, "rules", (*(f"item:{i}" for i, *_ in self.items), *floor))

    def raw(
        self, env: Mapping[str, object], top: Decimal, steps: list[Step] | None, fired: list[str]
    ) -> Decimal:
        value = top
        if steps is not None:
            steps.append(Step("start", top, phrase(self.lang, "start_max", max=show(top))))
        for item_id, when, points, reason in self.items:
            if when.run(env) is not True:
                continue
            amount = _num(points, env)
            if amount < 0:
                raise ScoringError(
                    Problem(
                        "invalid-operation",
                        f"item {item_id!r} deducts a negative amount ({show(amount)})",
                        self.location,
                        self.subject,
                        details=(("points", points.source),),
                    )
                )
            fired.append(f"item:{item_id}")
            value -= amount
            if steps is not None:
                steps.append(
                    Step(
                        "deduction",
                        value,
                        reason.render(env),
                        amount=amount,
                        rule=f"item:{item_id}",
                    )
                )
        return self._floor(value, self.floor, steps, fired)


@dataclass(frozen=True)
class _TiersScorer(_Scorer):
    level: str
    score: str | None
    table: Mapping[str, tuple[Interval, Decimal | None, str | None]]
    location: Location
    subject: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(f"tier:{t}" for t in self.table))

    def raw(
        self, env: Mapping[str, object], top: Decimal, steps: list[Step] | None, fired: list[str]
    ) -> Decimal:
        level = env.get(self.level)
        if not isinstance(level, str):
            raise FactsError(
                Problem(
                    "missing-value",
                    f"{self.level!r} has no value: the assessed tier is needed to score this",
                    self.location,
                    self.subject,
                    hint=f"give one of {', '.join(map(repr, self.table))}",
                )
            )
        interval, default, label = self.table[level]
        assessed = env[self.score] if self.score else None
        low = None if interval.low is None else top * interval.low / 100
        high = None if interval.high is None else top * interval.high / 100
        scaled = Interval(
            low=low,
            low_inclusive=interval.low_inclusive,
            high=high,
            high_inclusive=interval.high_inclusive,
        )
        if isinstance(assessed, Decimal):
            if not scaled.contains(assessed):
                raise FactsError(
                    Problem(
                        "tier-mismatch",
                        f"assessed score {show(assessed)} is outside tier "
                        f"{level!r}, which allows {scaled}",
                        self.location,
                        self.subject,
                        hint=f"give a score in {scaled} or another level",
                    )
                )
            value, how = assessed, "tier_assessed"
        elif default is not None:
            value, how = top * default / 100, "tier_default"
        else:
            raise FactsError(
                Problem(
                    "missing-fact",
                    f"tier {level!r} needs an assessed score"
                    + (f" in fact {self.score!r}" if self.score else ""),
                    self.location,
                    self.subject,
                    hint=f"give a score in {scaled}",
                )
            )
        fired.append(f"tier:{level}")
        if steps is not None:
            name = label or level
            steps.append(
                Step(
                    "tier",
                    value,
                    phrase(
                        self.lang,
                        how,
                        tier=name,
                        range=scaled,
                        score=show(value),
                        percent=show(default),
                    ),
                    rule=f"tier:{level}",
                )
            )
        return value


# --- plan --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeafPlan:
    """How one indicator is scored."""

    id: str
    name: str
    max: Decimal
    min: Decimal
    parent: str | None
    scorer: _Scorer
    rounding: Rounding | None
    not_applicable: str
    is_bonus: bool
    reads: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class GroupPlan:
    """A group and its children's ids, in rubric order."""

    id: str
    name: str
    max: Decimal
    parent: str | None
    children: tuple[str, ...]
    depth: int


@dataclass(frozen=True)
class CheckPlan:
    """A consistency check."""

    id: str
    when: Formula
    message: Template


@dataclass(frozen=True)
class Plan:
    """The compiled, immutable form of a rubric."""

    facts: Mapping[str, FactSpec]
    derived: tuple[tuple[str, Formula], ...]
    leaves: tuple[LeafPlan, ...]
    groups: tuple[GroupPlan, ...]
    top: tuple[str, ...]
    bonus: tuple[LeafPlan, ...]
    cap: Decimal | None
    floor: Decimal
    grades: tuple[tuple[str, Decimal | None], ...]
    checks: tuple[CheckPlan, ...]
    language: str = "zh"
    scale_to: Decimal | None = None
    leaf_index: Mapping[str, LeafPlan] = field(default_factory=dict)
    #: groups whose indicators come from list facts, by group id
    records: Mapping[str, RecordsPlan] = field(default_factory=dict)
    #: rubric order: a declared leaf, or the id of a records group standing for its records
    slots: tuple[LeafPlan | str, ...] = ()

    def validate(
        self, facts: Mapping[str, object], *, document: Any = None, name: str = "facts"
    ) -> dict[str, object]:
        """Validate fact values against the schema (see `_facts.validate_values`)."""
        return validate_values(self.facts, facts, document=document, name=name)

    def run(
        self,
        values: Mapping[str, object],
        *,
        not_applicable: frozenset[str] = frozenset(),
        trace: bool = True,
    ) -> RunResult:
        """Score validated values. The same arithmetic runs whether or not `trace` is on."""
        with decimal.localcontext(CONTEXT):
            try:
                return self._run(values, not_applicable, trace)
            except (decimal.DecimalException, ArithmeticError) as exc:
                raise ScoringError(
                    Problem(
                        "number-too-large",
                        f"arithmetic failed: {type(exc).__name__}",
                    )
                ) from exc

    def _run(self, values: Mapping[str, object], na: frozenset[str], trace: bool) -> RunResult:
        env: dict[str, object] = dict(values)
        for name, formula in self.derived:
            env[name] = formula.run(env)
        leaves: dict[str, LeafResult] = {}
        for leaf in self.leaves:
            leaves[leaf.id] = self._leaf(leaf, env, leaf.id in na, trace)
        children = {g.id: g.children for g in self.groups}
        expanded: dict[str, tuple[LeafPlan, ...]] = {}
        record_warnings: list[tuple[str, str]] = []
        claims: dict[str, Decimal] = {}
        group_max: dict[str, Decimal] = {}
        for gid, expected in self._record_weights(env).items():
            out = self.records[gid].expand(env, expected, trace, self.language)
            leaves.update(out.results)
            children[gid] = tuple(p.id for p in out.plans)
            expanded[gid] = out.plans
            record_warnings.extend(out.warnings)
            claims.update(out.claims)
            group_max[gid] = out.max
        for group in self.groups:
            self._redistribute(group, leaves, children)
        groups: dict[str, GroupResult] = {}
        for group in reversed(self.groups):  # children before parents
            score = ZERO
            top = ZERO
            for child in children[group.id]:
                part = leaves.get(child) or groups[child]
                score += part.score
                top += part.max
            # a group's max is what its children carry (after any redistribution); an empty
            # records group carries what its remedy left it
            group_top = top if children[group.id] else group_max.get(group.id, top)
            groups[group.id] = GroupResult(group.id, _canon(score), _canon(group_top))
        base = _canon(sum((groups[g].score for g in self.top), ZERO))
        bonus_total = ZERO
        for leaf in self.bonus:
            result = self._leaf(leaf, env, False, trace)
            leaves[leaf.id] = result
            bonus_total += result.score
        bonus_total = _canon(bonus_total)
        max_total = sum((groups[g].max for g in self.top), ZERO)
        total = base + bonus_total
        steps: list[Step] = [
            Step(
                "start",
                total,
                phrase(self.language, "total", base=show(base), bonus=show(bonus_total)),
            )
        ]
        if self.scale_to is not None and max_total != self.scale_to and max_total > 0:
            # a sheet whose points do not add up to 100 is converted to 100 (base only)
            total = base * self.scale_to / max_total + bonus_total
            steps.append(
                Step(
                    "scale",
                    total,
                    phrase(
                        self.language,
                        "total_scaled",
                        max=show(max_total),
                        scale=show(self.scale_to),
                    ),
                )
            )
        if self.cap is not None and total > self.cap:
            total = self.cap
            steps.append(
                Step("clamp", total, phrase(self.language, "total_cap", bound=show(self.cap)))
            )
        if total < self.floor:
            total = self.floor
            steps.append(
                Step("clamp", total, phrase(self.language, "total_floor", bound=show(self.floor)))
            )
        grade = self._grade(total)
        warnings = tuple(
            (check.id, check.message.render(env))
            for check in self.checks
            if check.when.run(env) is True
        )
        order = tuple(
            leaf
            for slot in self.slots
            for leaf in ((slot,) if isinstance(slot, LeafPlan) else expanded.get(slot, ()))
        )
        return RunResult(
            env,
            leaves,
            groups,
            _canon(base),
            _canon(bonus_total),
            _canon(total),
            tuple(steps),
            grade,
            (*record_warnings, *warnings),
            order,
            claims,
            max_total,
        )

    def _record_weights(self, env: Mapping[str, object]) -> dict[str, Decimal]:
        """What each records group's indicators must total: its max, plus what empty groups
        give to it; an empty group without a remedy is an error."""
        declared = {gid: self._group_max(gid) for gid in self.records}
        weights = dict(declared)
        empty = {gid for gid, plan in self.records.items() if not len(plan.records(env))}
        for gid, plan in self.records.items():
            if gid not in empty:
                continue
            if plan.when_empty == "error":
                raise ScoringError(
                    Problem(
                        "empty-records",
                        f"group {gid!r} ({plan.name}) lists no indicators in {plan.list_fact!r}",
                        plan.location,
                        f"group {gid!r}",
                        hint="add the sheet's indicators, or declare records.when_empty",
                    )
                )
            # points pass along give_to until a group that has indicators takes them; a chain
            # that ends in an empty group loses them. Declaration order does not matter.
            target, seen = plan.give_to, {gid}
            while target is not None and target in empty and target not in seen:
                seen.add(target)
                target = self.records[target].give_to
            if target is not None and target not in empty:
                weights[target] += declared[gid]
        for gid in empty:
            weights[gid] = ZERO
        return weights

    def _grade(self, total: Decimal) -> str:
        for grade, low in self.grades:
            if low is None or total >= low:
                return grade
        return self.grades[-1][0]  # compile_plan guarantees the last band catches everything

    def _leaf(self, leaf: LeafPlan, env: Mapping[str, object], na: bool, trace: bool) -> LeafResult:
        steps: list[Step] | None = [] if trace else None
        fired: list[str] = []
        inputs = {name: env[name] for name in leaf.reads} if trace else None
        if na:
            if leaf.not_applicable == "full":
                if steps is not None:
                    steps.append(
                        Step(
                            "not_applicable",
                            leaf.max,
                            phrase(self.language, "na_full"),
                            rule="not_applicable",
                        )
                    )
                return LeafResult(
                    leaf.id,
                    leaf.max,
                    leaf.min,
                    leaf.max,
                    True,
                    inputs,
                    _tuple(steps),
                    ("not_applicable",),
                )
            if steps is not None:
                steps.append(
                    Step(
                        "not_applicable",
                        ZERO,
                        phrase(self.language, "na_excluded"),
                        rule="not_applicable",
                    )
                )
            return LeafResult(
                leaf.id, ZERO, ZERO, ZERO, False, inputs, _tuple(steps), ("not_applicable",)
            )
        value = leaf.scorer.raw(env, leaf.max, steps, fired)
        value = _finish(value, leaf.min, leaf.max, leaf.rounding, steps, fired, self.language)
        leaf.scorer.note(value, leaf.max, env, steps)
        return LeafResult(
            leaf.id, value, leaf.min, leaf.max, True, inputs, _tuple(steps), tuple(fired)
        )

    def _redistribute(
        self, group: GroupPlan, leaves: dict[str, LeafResult], children: Mapping[str, Any]
    ) -> None:
        """Spread the points of not-applicable children over the rest of the group.

        Every leaf under a kept child, nested groups included, is scaled by group max / kept
        max, computed on declared maxima, so each level's factor is independent of the others.
        """
        excluded = [c for c in group.children if c in leaves and not leaves[c].applicable]
        if not excluded:
            return
        kept = [c for c in group.children if c not in excluded]
        kept_max = sum(
            (self.leaf_index[c].max if c in self.leaf_index else self._group_max(c) for c in kept),
            ZERO,
        )
        if kept_max.is_zero():
            raise ScoringError(
                Problem(
                    "invalid-operation",
                    f"every indicator of group {group.id!r} is not applicable",
                    subject=f"group {group.id!r}",
                )
            )
        factor = group.max / kept_max
        order: list[str] = []
        stack = list(reversed(kept))
        while stack:
            child = stack.pop()
            if child in leaves:
                order.append(child)
            else:
                stack.extend(reversed(children.get(child, ())))
        # Scaled maxima must add up to the group's max exactly, but a factor such as 40/30 has
        # no exact decimal: the last leaf takes what the others leave, so full marks stay full.
        tops = [leaves[c].max * factor for c in order]
        if tops:
            tops[-1] = group.max - sum(tops[:-1], ZERO)
        for child, top in zip(order, tops, strict=True):
            old = leaves[child]
            plan = self.leaf_index.get(child)
            steps = list(old.steps) if old.steps is not None else None
            value = old.score * top / old.max if old.max else ZERO
            if steps is not None:
                steps.append(
                    Step(
                        "scale",
                        value,
                        phrase(self.language, "scale", factor=show(factor)),
                        rule="scale",
                    )
                )
            fired = [*old.rules, "scale"]
            rounding = plan.rounding if plan is not None else None
            value = _finish(value, ZERO, top, rounding, steps, fired, self.language)
            leaves[child] = LeafResult(
                old.id, value, old.min, top, True, old.inputs, _tuple(steps), tuple(fired)
            )

    def _group_max(self, group_id: str) -> Decimal:
        return next(g.max for g in self.groups if g.id == group_id)


def _tuple(steps: list[Step] | None) -> tuple[Step, ...] | None:
    return tuple(steps) if steps is not None else None


def _canon(value: Decimal) -> Decimal:
    """The same value without trailing zeros (5.50 -> 5.5, 103.0 -> 103), never -0.

    Arithmetic keeps the scale of its operands, so a total could print as 103.0 beside a max of
    100; scores are shown and compared as plain values.
    """
    if value.is_zero():
        return ZERO
    if value == value.to_integral_value():
        return value.quantize(_ONE)
    return value.normalize()


_ONE = Decimal(1)


def _finish(
    value: Decimal,
    low: Decimal,
    high: Decimal,
    rounding: Rounding | None,
    steps: list[Step] | None,
    fired: list[str],
    lang: str,
) -> Decimal:
    """Clamp to [low, high], round to the declared step, clamp again; trace each change."""
    value = _clamp(value, low, high, steps, fired, lang)
    if rounding is not None:
        rounded = quantize_step(value, rounding.step, rounding.mode)
        if rounded != value:
            fired.append("round")
            if steps is not None:
                steps.append(
                    Step(
                        "round",
                        rounded,
                        phrase(
                            lang,
                            "round",
                            step=show(rounding.step),
                            mode=_MODE_WORDS.get(lang, {}).get(rounding.mode, rounding.mode),
                        ),
                        rule="round",
                    )
                )
        value = _clamp(rounded, low, high, steps, fired, lang)
    return _canon(value)


_MODE_WORDS = {
    "zh": {
        "floor": "向下",
        "ceiling": "向上",
        "half_up": "四舍五入",
        "half_even": "四舍六入五成双",
        "half_down": "五舍六入",
        "down": "向零",
        "up": "远离零",
    },
}


def _clamp(
    value: Decimal,
    low: Decimal,
    high: Decimal,
    steps: list[Step] | None,
    fired: list[str],
    lang: str,
) -> Decimal:
    if value > high or value < low:
        fired.append("clamp")
    if value > high:
        if steps is not None:
            steps.append(
                Step(
                    "clamp",
                    high,
                    phrase(lang, "clamp_high", value=show(value), bound=show(high)),
                    rule="clamp",
                )
            )
        return high
    if value < low:
        if steps is not None:
            steps.append(
                Step(
                    "clamp",
                    low,
                    phrase(lang, "clamp_low", value=show(value), bound=show(low)),
                    rule="clamp",
                )
            )
        return low
    return value


# --- compilation -------------------------------------------------------------------------------


def fact_type(spec: Any) -> ValueType:
    """The static type of a fact (or record field) spec."""
    kind = spec.type
    if kind in ("number", "integer", "percent"):
        base = NUMBER
    elif kind == "boolean":
        base = BOOL
    elif kind == "date":
        base = DATE
    elif kind == "enum":
        base = text_of(frozenset(spec.values))
    elif kind == "text":
        base = TEXT
    else:
        base = list_of({k: fact_type(v) for k, v in spec.fields.items()})
    if getattr(spec, "required", True) is False and "default" not in spec.model_fields_set:
        return ValueType(base.kind, base.values, base.fields, optional=True)
    return base


class _Compiler:
    def __init__(self, model: RubricModel, locate: Locate) -> None:
        self.model = model
        self.locate = locate
        self.problems: list[Problem] = []
        self.names: dict[str, ValueType] = {k: fact_type(v) for k, v in model.facts.items()}
        #: specs of the names a tiers method may name: facts, or a record's fields in a rule
        self.specs: Mapping[str, Any] = model.facts
        self.labels: dict[str, str] = {
            **{k: v.label for k, v in model.facts.items()},
            **{k: v.label for k, v in model.derived.items()},
        }
        self.mode = model.rounding.mode if model.rounding else "half_up"
        #: derived values whose formulas failed to compile
        self.broken: set[str] = set()

    def about_broken(self, problem: Problem) -> bool:
        """Whether a problem only repeats that a broken derived value is unavailable."""
        return problem.code in ("unknown-name", "template") and any(
            f"'{name}'" in problem.message for name in self.broken
        )

    def formula(
        self,
        source: str,
        path: tuple[str | int, ...],
        subject: str,
        expect: str | None = "number",
        names: Mapping[str, ValueType] | None = None,
    ) -> Formula | None:
        try:
            return compile_formula(
                source,
                names=names if names is not None else self.names,
                expect=expect,
                rounding_mode=self.mode,
                location=self.locate(path),
                subject=subject,
            )
        except RubricError as exc:
            self.problems.extend(exc.problems)
            return None

    def add(
        self,
        code: ErrorCode,
        message: str,
        path: tuple[str | int, ...],
        subject: str | None,
        hint: str | None = None,
    ) -> None:
        self.problems.append(Problem(code, message, self.locate(path), subject, hint))


def compile_plan(model: RubricModel, locate: Locate, name: str | None = None) -> Plan:
    """Check everything that needs no facts and build the plan; raise RubricError if not sound."""
    c = _Compiler(model, locate)
    _check_defaults(c)
    derived = _compile_derived(c)
    leaves: list[LeafPlan] = []
    groups: list[GroupPlan] = []
    seen: dict[str, tuple[str | int, ...]] = {}

    def claim(item_id: str, path: tuple[str | int, ...], kind: str = "indicator") -> None:
        if item_id in seen:
            c.add(
                "duplicate-id",
                f"id {item_id!r} is used twice (first at {c.locate(seen[item_id])})",
                (*path, "id"),
                f"{kind} {item_id!r}",
            )
        else:
            seen[item_id] = path

    def walk(group: Group, path: tuple[str | int, ...], parent: str | None, depth: int) -> None:
        claim(group.id, path, "group")
        if group.children is None:
            groups.append(GroupPlan(group.id, group.name, group.max, parent, (), depth))
            plan = compile_records(c, group, path)
            if plan is not None:
                records[group.id] = plan
                slots.append(group.id)
            return
        groups.append(
            GroupPlan(
                group.id,
                group.name,
                group.max,
                parent,
                tuple(ch.id for ch in group.children),
                depth,
            )
        )
        total = sum((ch.max for ch in group.children), ZERO)
        if total != group.max:
            parts = " + ".join(format_decimal(ch.max) for ch in group.children)
            c.add(
                "group-sum",
                f"max {format_decimal(group.max)} is not the sum of its children's "
                f"max ({parts} = {format_decimal(total)})",
                (*path, "max"),
                f"group {group.id!r}",
            )
        for i, child in enumerate(group.children):
            child_path = (*path, "children", i)
            if isinstance(child, Group):
                walk(child, child_path, group.id, depth + 1)
            else:
                claim(child.id, child_path)
                leaf = _compile_leaf(c, child, child_path, group.id)
                if leaf is not None:
                    leaves.append(leaf)
                    slots.append(leaf)

    records: dict[str, RecordsPlan] = {}
    slots: list[LeafPlan | str] = []
    for i, group in enumerate(model.groups):
        walk(group, ("groups", i), None, 0)
    bonus: list[LeafPlan] = []
    for i, item in enumerate(model.bonus):
        claim(item.id, ("bonus", i))
        leaf = _compile_bonus(c, item, ("bonus", i))
        if leaf is not None:
            bonus.append(leaf)
    if model.bonus and model.total is None:
        c.add(
            "missing-key",
            "a rubric with bonus indicators must declare 'total: {cap: ...}' "
            "(null lets the total exceed the base)",
            ("bonus",),
            None,
        )
    for plan in records.values():
        if plan.give_to is not None and plan.give_to not in records:
            c.add(
                "invalid-value",
                f"when_empty.give_to must name another records group, got {plan.give_to!r}",
                (*_path_of(model, plan.group), "records", "when_empty"),
                f"group {plan.group!r}",
                hint=suggest(plan.give_to, list(records)),
            )
    grades = _compile_grades(c, model)
    checks = _compile_checks(c, model)
    # a derived value whose formula failed is reported once, not again wherever it is read
    c.problems = [p for p in c.problems if not c.about_broken(p)]
    if c.problems:
        raise RubricError(
            c.problems,
            summary=f"{name or c.locate(()).file}: {len(c.problems)} problem(s) in the rubric",
        )
    total = model.total
    return Plan(
        facts=model.facts,
        derived=derived,
        leaves=tuple(leaves),
        groups=tuple(groups),
        top=tuple(g.id for g in model.groups),
        bonus=tuple(bonus),
        cap=total.cap if total else None,
        floor=total.floor if total else ZERO,
        scale_to=total.scale_to if total else None,
        grades=grades,
        checks=checks,
        language=model.language,
        leaf_index={leaf.id: leaf for leaf in leaves},
        records=records,
        slots=tuple(slots),
    )


def _path_of(model: RubricModel, group_id: str) -> tuple[str | int, ...]:
    """The YAML path of a group by id."""

    def find(items: Sequence[Any], path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
        for i, item in enumerate(items):
            if item.id == group_id:
                return (*path, i)
            if isinstance(item, Group) and item.children:
                found = find(item.children, (*path, i, "children"))
                if found is not None:
                    return found
        return None

    return find(model.groups, ("groups",)) or ("groups",)


def _check_defaults(c: _Compiler) -> None:
    for fact_id, spec in c.model.facts.items():
        if "default" in spec.model_fields_set:
            try:
                validate_values({fact_id: spec}, {fact_id: spec.default}, document=None)
            except FactsError as exc:
                for p in exc.problems:
                    c.add(
                        "invalid-value",
                        f"default: {p.message}",
                        ("facts", fact_id, "default"),
                        f"fact {fact_id!r}",
                    )


def _compile_derived(c: _Compiler) -> tuple[tuple[str, Formula], ...]:
    specs = c.model.derived
    for name in specs:
        if name in c.model.facts:
            c.add(
                "shadowed-name",
                f"derived value {name!r} has the same id as a fact",
                ("derived", name),
                f"derived value {name!r}",
                hint="rename one of them; a formula could not tell them apart",
            )
    deps = {name: _names_in(spec.formula) & set(specs) for name, spec in specs.items()}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, stack: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*stack[stack.index(name) :], name]
            c.add(
                "cycle",
                f"derived values form a cycle: {' -> '.join(cycle)}",
                ("derived", name, "formula"),
                f"derived value {name!r}",
                hint="a derived value cannot depend on itself, directly or through others",
            )
            return
        state[name] = 1
        for dep in sorted(deps[name]):
            visit(dep, [*stack, name])
        state[name] = 2
        order.append(name)

    for name in specs:
        visit(name, [])
    if any(p.code == "cycle" for p in c.problems):
        return ()
    compiled = []
    for name in order:
        formula = c.formula(
            specs[name].formula,
            ("derived", name, "formula"),
            f"derived value {name!r}",
            expect=None,
        )
        if formula is not None:
            c.names[name] = formula.type
            compiled.append((name, formula))
        else:
            c.broken.add(name)
    return tuple(compiled)


def _names_in(source: str) -> set[str]:
    if len(source) > 2000:
        return set()
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _rounding(c: _Compiler, item: Any) -> Rounding | None:
    """The rounding of an indicator, bonus or records rule: its own, or the rubric's."""
    if item.rounding == "none":
        return None
    if isinstance(item.rounding, Rounding):
        return item.rounding
    return c.model.rounding


def _compile_leaf(
    c: _Compiler, ind: Indicator, path: tuple[str | int, ...], parent: str
) -> LeafPlan | None:
    subject = f"indicator {ind.id!r}"
    count = len(c.problems)
    scorer = _scorer(c, ind, path, subject)
    if scorer is not None:
        object.__setattr__(scorer, "lang", c.model.language)
        object.__setattr__(scorer, "labels", MappingProxyType(c.labels))
        _set_explain(c, scorer, ind.explain, (*path, "explain"), subject)
    if ind.monotonic:
        for name in ind.monotonic:
            if name not in c.model.facts:
                c.add(
                    "unknown-name",
                    f"monotonic names {name!r}, which is not a fact",
                    (*path, "monotonic", name),
                    subject,
                    hint=suggest(name, list(c.model.facts)),
                )
    if scorer is None or len(c.problems) > count:
        return None
    reads = _reads(c, scorer.formulas)
    if isinstance(scorer, _TiersScorer):
        reads = tuple(dict.fromkeys([scorer.level, *([scorer.score] if scorer.score else [])]))
    return LeafPlan(
        ind.id,
        ind.name,
        ind.max,
        ZERO,
        parent,
        scorer,
        _rounding(c, ind),
        ind.not_applicable,
        False,
        reads,
        c.locate(path),
    )


def _set_explain(
    c: _Compiler, scorer: _Scorer, text: str | None, path: tuple[str | int, ...], subject: str
) -> None:
    """Compile an `explain:` template (names: facts, derived values, `score`, `full`)."""
    if text is not None:
        names = [*c.names, "score", "full"]
        template = compile_template(
            text, names, c.problems, c.locate(path), subject, language=c.model.language
        )
        object.__setattr__(scorer, "explain", template)


def _reads(c: _Compiler, formulas: Sequence[Formula]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for f in formulas:
        for n in sorted(f.names):
            names[n] = None
    return tuple(names)


def _scorer(c: _Compiler, ind: Any, path: tuple[str | int, ...], subject: str) -> _Scorer | None:
    """The scorer of an indicator, or of a records group's rule (which has no fixed max)."""
    loc = c.locate(path)
    method = ind.method
    mpath = (*path, method)
    if ind.formula is not None:
        f = c.formula(ind.formula, mpath, subject)
        return _FormulaScorer(f) if f else None
    if ind.bands is not None:
        b = ind.bands
        measure = c.formula(b.measure, (*mpath, "measure"), subject)
        table = []
        for i, band in enumerate(b.table):
            score = c.formula(band.score, (*mpath, "table", i, "score"), subject)
            if score is not None:
                table.append((band.range, score, band.label))
        otherwise = (
            c.formula(b.otherwise, (*mpath, "otherwise"), subject)
            if b.otherwise is not None
            else None
        )
        if measure is None or len(table) != len(b.table):
            return None
        return _BandsScorer(measure, tuple(table), otherwise, loc, subject)
    if ind.per_unit is not None:
        p = ind.per_unit
        measure = c.formula(p.measure, (*mpath, "measure"), subject)
        names = [*c.names, "measure", "units", "deduction"]
        reason = (
            compile_template(
                p.reason,
                names,
                c.problems,
                c.locate((*mpath, "reason")),
                subject,
                c.model.language,
            )
            if p.reason
            else None
        )
        if getattr(ind, "max", None) is not None and p.floor > ind.max:
            c.add(
                "invalid-value",
                f"floor {format_decimal(p.floor)} is above max {format_decimal(ind.max)}",
                (*mpath, "floor"),
                subject,
            )
        return (
            _PerUnitScorer(measure, p.unit, p.points, p.partial, p.floor, reason)
            if measure
            else None
        )
    if ind.ratio is not None:
        r = ind.ratio
        actual = c.formula(r.actual, (*mpath, "actual"), subject)
        target = c.formula(r.target, (*mpath, "target"), subject)
        zero = (
            c.formula(r.when_target_zero, (*mpath, "when_target_zero"), subject)
            if r.when_target_zero is not None
            else None
        )
        if actual is None or target is None:
            return None
        return _RatioScorer(actual, target, zero, loc, subject)
    if ind.checklist is not None:
        items = []
        item_ids: set[str] = set()
        for i, item in enumerate(ind.checklist.items):
            ipath = (*mpath, "items", i)
            isub = f"{subject}, item {item.id!r}"
            if item.id in item_ids:
                c.add("duplicate-id", f"item id {item.id!r} is used twice", (*ipath, "id"), isub)
            item_ids.add(item.id)
            when = c.formula(item.when, (*ipath, "when"), isub, expect="bool")
            points = c.formula(item.points, (*ipath, "points"), isub)
            reason = compile_template(
                item.reason,
                list(c.names),
                c.problems,
                c.locate((*ipath, "reason")),
                isub,
                c.model.language,
            )
            if when is not None and points is not None:
                items.append((item.id, when, points, reason))
        top = getattr(ind, "max", None)
        if top is not None and ind.checklist.floor > top:
            c.add("invalid-value", "floor is above max", (*mpath, "floor"), subject)
        if len(items) != len(ind.checklist.items):
            return None
        # with constant points that cannot add up past the floor, the floor is no rule to test
        constants = [p.constant for _, _, p, _ in items]
        reachable = (
            top is None
            or any(v is None for v in constants)
            or (sum((v for v in constants if v is not None), ZERO) > top - ind.checklist.floor)
        )
        return _ChecklistScorer(tuple(items), ind.checklist.floor, loc, subject, reachable)
    assert ind.tiers is not None
    return _tiers(c, ind, mpath, subject, loc)


from perfscore._engine._records import compile_records  # noqa: E402 - _records builds on this module


def _tiers(
    c: _Compiler, ind: Indicator, mpath: tuple[str | int, ...], subject: str, loc: Location
) -> _Scorer | None:
    t = ind.tiers
    assert t is not None
    spec = c.specs.get(t.level)
    ok = True
    if spec is None or spec.type != "enum":
        c.add(
            "invalid-value",
            f"tiers.level must name an enum fact, got {t.level!r}",
            (*mpath, "level"),
            subject,
            hint=suggest(t.level, list(c.specs)),
        )
        ok = False
    if t.score is not None:
        score_spec = c.specs.get(t.score)
        if score_spec is None or score_spec.type not in ("number", "integer", "percent"):
            c.add(
                "invalid-value",
                f"tiers.score must name a number fact, got {t.score!r}",
                (*mpath, "score"),
                subject,
                hint=suggest(t.score, list(c.specs)),
            )
            ok = False
    table: dict[str, tuple[Interval, Decimal | None, str | None]] = {}
    for i, tier in enumerate(t.table):
        if tier.level in table:
            c.add(
                "duplicate-id",
                f"tier {tier.level!r} is listed twice",
                (*mpath, "table", i, "level"),
                subject,
            )
        if tier.default is not None and not tier.range.contains(tier.default):
            c.add(
                "invalid-value",
                f"default {format_decimal(tier.default)} lies outside the "
                f"tier's range {tier.range}",
                (*mpath, "table", i, "default"),
                subject,
            )
        if (tier.range.low is not None and tier.range.low < 0) or (
            tier.range.high is not None and tier.range.high > 100
        ):
            c.add(
                "band-range",
                f"tier range {tier.range} must lie within [0, 100] (percent of max)",
                (*mpath, "table", i, "range"),
                subject,
            )
        table[tier.level] = (tier.range, tier.default, tier.label)
    if ok and spec is not None and spec.values is not None:
        missing = [v for v in spec.values if v not in table]
        extra = [v for v in table if v not in spec.values]
        if missing or extra:
            c.add(
                "invalid-value",
                f"tiers must match the values of fact {t.level!r}: "
                f"missing {missing}, unknown {extra}",
                (*mpath, "table"),
                subject,
            )
            ok = False
    return _TiersScorer(t.level, t.score, table, loc, subject) if ok else None


def _compile_bonus(c: _Compiler, item: Bonus, path: tuple[str | int, ...]) -> LeafPlan | None:
    subject = f"indicator {item.id!r}"
    f = c.formula(item.formula, (*path, "formula"), subject)
    if f is None:
        return None
    scorer = _FormulaScorer(f)
    object.__setattr__(scorer, "lang", c.model.language)
    object.__setattr__(scorer, "labels", MappingProxyType(c.labels))
    _set_explain(c, scorer, item.explain, (*path, "explain"), subject)
    return LeafPlan(
        item.id,
        item.name,
        item.max,
        item.min,
        None,
        scorer,
        _rounding(c, item),
        "forbidden",
        True,
        _reads(c, scorer.formulas),
        c.locate(path),
    )


def _compile_grades(c: _Compiler, model: RubricModel) -> tuple[tuple[str, Decimal | None], ...]:
    grades = model.grades
    previous: Decimal | None = None
    names: set[str] = set()
    for i, band in enumerate(grades):
        if band.grade in names:
            c.add(
                "duplicate-id",
                f"grade {band.grade!r} is listed twice",
                ("grades", i, "grade"),
                "grades",
            )
        names.add(band.grade)
        last = i == len(grades) - 1
        if band.min is None and not last:
            c.add("missing-key", "only the last grade may omit 'min'", ("grades", i), "grades")
        if band.min is not None and previous is not None and band.min >= previous:
            c.add(
                "invalid-value",
                f"grade {band.grade!r}: min {format_decimal(band.min)} must be "
                f"below the previous grade's min {format_decimal(previous)} (list grades from "
                "best to worst)",
                ("grades", i, "min"),
                "grades",
            )
        if band.min is not None:
            previous = band.min
    lowest = model.total.floor if model.total else ZERO
    last_min = grades[-1].min
    if last_min is not None and last_min > lowest:
        c.add(
            "invalid-value",
            f"grades leave totals below {format_decimal(last_min)} without a grade",
            ("grades", len(grades) - 1),
            "grades",
            hint="omit 'min' on the last grade so it catches every lower total",
        )
    return tuple((g.grade, g.min) for g in grades)


def _compile_checks(c: _Compiler, model: RubricModel) -> tuple[CheckPlan, ...]:
    out = []
    ids: set[str] = set()
    for i, check in enumerate(model.checks):
        if check.id in ids:
            c.add(
                "duplicate-id",
                f"check id {check.id!r} is used twice",
                ("checks", i, "id"),
                f"check {check.id!r}",
            )
        ids.add(check.id)
        compiled = compile_check(c, check, ("checks", i))
        if compiled is not None:
            out.append(compiled)
    return tuple(out)


def compile_check(c: _Compiler, check: Any, path: tuple[str | int, ...]) -> CheckPlan | None:
    """Compile one consistency check against the compiler's current names."""
    subject = f"check {check.id!r}"
    when = c.formula(check.when, (*path, "when"), subject, expect="bool")
    message = compile_template(
        check.message,
        list(c.names),
        c.problems,
        c.locate((*path, "message")),
        subject,
        c.model.language,
    )
    return CheckPlan(check.id, when, message) if when is not None else None
