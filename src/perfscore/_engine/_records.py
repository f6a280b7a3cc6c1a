"""Groups whose indicators come from the facts: one indicator per record of a list fact.

A 项目支出绩效自评表 lists its own output and outcome indicators, each with points, a direction,
a target and an actual value; the rubric fixes how each kind is scored and what the group must
total. The compiled `RecordsPlan` expands the records into ordinary leaves when scoring, so they
appear in the scorecard, trace, review and JSON exactly like declared indicators.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

from perfscore._errors import FactsError, Location, PerfscoreError, Problem, ScoringError, suggest
from perfscore._load._model import GiveTo, Group, Rounding
from perfscore._numbers import ZERO
from perfscore._output._words import phrase
from perfscore._values import NUMBER, Records, ValueType

if TYPE_CHECKING:
    from perfscore._engine._plan import CheckPlan, LeafPlan, LeafResult, _Compiler, _Scorer

__all__ = ["Expansion", "RecordRulePlan", "RecordsPlan", "compile_records"]

_SUFFIX = re.compile(r"[A-Za-z0-9_]+\Z", re.ASCII)
#: names a rule may read besides facts, derived values and the record's fields: `full` is the
#: record's points (after any rescaling); checks may also read the computed `score`
RESERVED = ("full", "score")


@dataclass(frozen=True)
class RecordRulePlan:
    """The scorer for records whose `select` field has one value."""

    value: str
    scorer: _Scorer
    rounding: Rounding | None
    reads: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class Expansion:
    """The leaves one records group produced for one fact set."""

    plans: tuple[LeafPlan, ...]
    results: Mapping[str, LeafResult]
    warnings: tuple[tuple[str, str], ...]
    claims: Mapping[str, Decimal]
    max: Decimal


@dataclass(frozen=True)
class RecordsPlan:
    """How a records group turns records into scored leaves."""

    group: str
    name: str
    list_fact: str
    id_field: str | None
    name_field: str
    max_field: str
    claimed_field: str | None
    select_field: str | None
    rules: Mapping[str, RecordRulePlan]
    sum_policy: str
    when_empty: str
    give_to: str | None
    checks: tuple[CheckPlan, ...]
    location: Location

    @property
    def rule_names(self) -> tuple[str, ...]:
        """Every rule of every kind, as coverage names them (``>=:ratio``)."""
        return tuple(f"{v}:{r}" for v, rule in self.rules.items() for r in rule.scorer.rules)

    def records(self, env: Mapping[str, object]) -> Records:
        """The group's records in this fact set."""
        value = env[self.list_fact]
        assert isinstance(value, Records)
        return value

    def expand(
        self, env: Mapping[str, object], expected: Decimal, trace: bool, language: str
    ) -> Expansion:
        """Score every record as a leaf of this group, whose points must total `expected`."""
        from perfscore._engine._plan import LeafPlan, LeafResult, Step, _finish

        records = list(self.records(env))
        ids = self._ids(records)
        points = [self._points(r, i) for i, r in enumerate(records)]
        total = sum(points, ZERO)
        warnings: list[tuple[str, str]] = []
        factor = Decimal(1)
        group_max = expected
        if records and total != expected:
            if self.sum_policy == "error":
                raise ScoringError(
                    Problem(
                        "group-sum",
                        f"the indicators of group {self.group!r} ({self.name}) carry {total} "
                        f"points; the group must total {expected}",
                        self.location,
                        f"group {self.group!r}",
                        hint="correct the points on the sheet, or declare records.sum: "
                        "rescale or warn",
                    )
                )
            key = "records_rescaled" if self.sum_policy == "rescale" else "records_sum"
            warnings.append(
                (
                    f"{self.group}_sum",
                    phrase(language, key, group=self.name, total=total, expected=expected),
                )
            )
            if self.sum_policy == "rescale":
                factor = expected / total
            else:
                group_max = total
        plans: list[LeafPlan] = []
        results: dict[str, LeafResult] = {}
        claims: dict[str, Decimal] = {}
        tops = [p * factor for p in points]
        if self.sum_policy == "rescale" and tops and total != expected:
            # a factor such as 20 / 1.69 has no exact decimal: the last record takes what the
            # others leave, so the group totals exactly its max
            tops[-1] = expected - sum(tops[:-1], ZERO)
        for record, leaf_id, top in zip(records, ids, tops, strict=True):
            kind = str(record[self.select_field]) if self.select_field else next(iter(self.rules))
            rule = self.rules.get(kind)
            if rule is None:
                raise ScoringError(
                    Problem(
                        "invalid-value",
                        f"no rule scores {self.select_field} = {kind!r}",
                        self.location,
                        f"group {self.group!r}",
                        hint=suggest(kind, list(self.rules)),
                    )
                )
            renv = {**env, **record, "full": top}
            steps: list[Step] | None = [] if trace else None
            fired: list[str] = []
            name = record[self.name_field]
            try:
                raw = rule.scorer.raw(renv, top, steps, fired)
            except (ScoringError, FactsError) as exc:
                raise _in_record(exc, leaf_id, name) from exc
            score = _finish(raw, ZERO, top, rule.rounding, steps, fired, language)
            rule.scorer.note(score, top, renv, steps)
            if steps is not None:
                steps = [
                    Step(
                        s.kind, s.value, s.detail, s.amount, f"{kind}:{s.rule}" if s.rule else None
                    )
                    for s in steps
                ]
            plan = LeafPlan(
                leaf_id,
                str(name),
                top,
                ZERO,
                self.group,
                rule.scorer,
                rule.rounding,
                "forbidden",
                False,
                rule.reads,
                rule.location,
            )
            plans.append(plan)
            inputs = {n: renv[n] for n in rule.reads} if trace else None
            results[leaf_id] = LeafResult(
                leaf_id,
                score,
                ZERO,
                top,
                True,
                inputs,
                tuple(steps) if steps is not None else None,
                tuple(f"{kind}:{r}" for r in fired),
            )
            if self.claimed_field is not None:
                claimed = record.get(self.claimed_field)
                if isinstance(claimed, Decimal):
                    claims[leaf_id] = claimed
            check_env = {**renv, "score": score}
            try:
                for check in self.checks:
                    if check.when.run(check_env) is True:
                        warnings.append((check.id, check.message.render(check_env)))
            except (ScoringError, FactsError) as exc:
                raise _in_record(exc, leaf_id, name) from exc
        return Expansion(tuple(plans), results, tuple(warnings), claims, group_max)

    def _ids(self, records: list[Mapping[str, object]]) -> list[str]:
        ids: list[str] = []
        for i, record in enumerate(records):
            given = record.get(self.id_field) if self.id_field else None
            suffix = str(i + 1) if given is None else str(given)
            if not _SUFFIX.match(suffix):
                raise ScoringError(
                    Problem(
                        "invalid-id",
                        f"record {i} of {self.list_fact!r} has id {suffix!r}; ids are ASCII "
                        "letters, digits and '_'",
                        self.location,
                        f"group {self.group!r}",
                    )
                )
            leaf_id = f"{self.group}.{suffix}"
            if leaf_id in ids:
                raise ScoringError(
                    Problem(
                        "duplicate-id",
                        f"two records of {self.list_fact!r} have the id {suffix!r}",
                        self.location,
                        f"group {self.group!r}",
                    )
                )
            ids.append(leaf_id)
        return ids

    def _points(self, record: Mapping[str, object], index: int) -> Decimal:
        value = record[self.max_field]
        if not isinstance(value, Decimal) or value <= 0:
            raise ScoringError(
                Problem(
                    "invalid-value",
                    f"record {index} of {self.list_fact!r} has {self.max_field} "
                    f"{value}; an indicator's points must be greater than 0",
                    self.location,
                    f"group {self.group!r}",
                )
            )
        return value


def _in_record(exc: ScoringError | FactsError, leaf_id: str, name: object) -> PerfscoreError:
    """The same error, naming the record's indicator so a reviewer finds the row."""
    subject = f"indicator {leaf_id!r} ({name})"
    return type(exc)([dataclasses.replace(p, subject=subject) for p in exc.problems])


def compile_records(c: _Compiler, group: Group, path: tuple[str | int, ...]) -> RecordsPlan | None:
    """Check a records group and compile one scorer per rule."""
    from perfscore._engine._plan import (
        _reads,
        _rounding,
        _scorer,
        _set_explain,
        compile_check,
        fact_type,
    )

    spec = group.records
    assert spec is not None
    rpath = (*path, "records")
    subject = f"group {group.id!r}"
    count = len(c.problems)
    fact = c.model.facts.get(spec.list)
    if fact is None or fact.type != "list" or not fact.fields:
        c.add(
            "invalid-value",
            f"records.list must name a list fact, got {spec.list!r}",
            (*rpath, "list"),
            subject,
            hint=suggest(spec.list, list(c.model.facts)),
        )
        return None
    fields = fact.fields
    wanted = {
        "id": ("text",),
        "name": ("text",),
        "max": ("number", "integer", "percent"),
        "claimed": ("number", "integer", "percent"),
        "select": ("enum",),
    }
    for key, kinds in wanted.items():
        name = getattr(spec, key)
        if name is None:
            continue
        found = fields.get(name)
        if found is None or found.type not in kinds:
            c.add(
                "invalid-value",
                f"records.{key} must name a {' or '.join(kinds)} field of "
                f"{spec.list!r}, got {name!r}",
                (*rpath, key),
                subject,
                hint=suggest(name, list(fields)),
            )
    field_types: dict[str, ValueType] = {k: fact_type(v) for k, v in fields.items()}
    for name in field_types:
        if name in c.names or name in RESERVED:
            c.add(
                "shadowed-name",
                f"field {name!r} of {spec.list!r} has the name of a fact, "
                "derived value or reserved name",
                ("facts", spec.list, "fields", name),
                subject,
                hint="rename the field: a rule could not tell them apart",
            )
    select = fields.get(spec.select) if spec.select else None
    if select is not None and select.values is not None:
        missing = [v for v in select.values if v not in spec.rules]
        unknown = [k for k in spec.rules if k not in select.values]
        if missing or unknown:
            c.add(
                "invalid-value",
                f"records.rules must give one rule per value of "
                f"{spec.select!r}: missing {missing}, unknown {unknown}",
                (*rpath, "rules"),
                subject,
            )
    elif spec.select is None and len(spec.rules) != 1:
        c.add(
            "invalid-value",
            "without records.select there must be exactly one rule",
            (*rpath, "rules"),
            subject,
        )
    if len(c.problems) > count:
        return None
    names = {**c.names, **field_types, "full": NUMBER}
    saved = c.names, c.specs
    c.names, c.specs = names, {**c.model.facts, **fields}
    rules: dict[str, RecordRulePlan] = {}
    try:
        for key, rule in spec.rules.items():
            rule_path = (*rpath, "rules", key)
            scorer = _scorer(c, rule, rule_path, f"{subject}, rule {key!r}")
            if scorer is None:
                continue
            object.__setattr__(scorer, "lang", c.model.language)
            labels = {**c.labels, **{k: v.label for k, v in fields.items()}}
            labels["full"] = "满分" if c.model.language == "zh" else "points"
            object.__setattr__(scorer, "labels", MappingProxyType(labels))
            _set_explain(
                c, scorer, rule.explain, (*rule_path, "explain"), f"{subject}, rule {key!r}"
            )
            reads = _reads(c, scorer.formulas)
            if rule.tiers is not None:
                reads = tuple(
                    dict.fromkeys(
                        [rule.tiers.level, *([rule.tiers.score] if rule.tiers.score else [])]
                    )
                )
            rules[key] = RecordRulePlan(key, scorer, _rounding(c, rule), reads, c.locate(rule_path))
        check_names = {**names, "score": NUMBER}
        c.names = check_names
        checks = tuple(
            check
            for i, item in enumerate(spec.checks)
            if (check := compile_check(c, item, (*rpath, "checks", i))) is not None
        )
    finally:
        c.names, c.specs = saved
    if len(c.problems) > count:
        return None
    empty = spec.when_empty
    return RecordsPlan(
        group=group.id,
        name=group.name,
        list_fact=spec.list,
        id_field=spec.id,
        name_field=spec.name,
        max_field=spec.max,
        claimed_field=spec.claimed,
        select_field=spec.select,
        rules=rules,
        sum_policy=spec.sum,
        when_empty="give_to" if isinstance(empty, GiveTo) else empty,
        give_to=empty.give_to if isinstance(empty, GiveTo) else None,
        checks=checks,
        location=c.locate(rpath),
    )
