"""The plan: a compiled rubric as immutable data, ready to run (`perfscore._engine._run`).

`compile_plan` (`_compile`) builds it after every check that needs no facts; nothing here
computes a score. The few questions other parts of perfscore ask of a plan (which rules an
indicator has, which checks exist, the type of each derived value, the grade of a total) are
its public methods, so nothing outside the engine reads its parts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any, Literal

from perfscore._errors import Location
from perfscore._lang._expr import Formula
from perfscore._load._facts import validate_values, validate_values_fast
from perfscore._load._model import FactSpec, FieldSpec, Rounding
from perfscore._methods._base import Node, Template
from perfscore._numbers import CONTEXT
from perfscore._values import ValueType

__all__ = [
    "TOTALS",
    "CheckPlan",
    "Grade",
    "GroupPlan",
    "LeafPlan",
    "Plan",
    "RecordRulePlan",
    "RecordsPlan",
]

#: the names a check declaring `reads: totals` reads, as the scorecard names them
TOTALS = ("total", "base_total", "bonus_total", "max_total")

NotApplicable = Literal["forbidden", "full", "redistribute"]


@dataclass(frozen=True, slots=True)
class LeafPlan:
    """How one declared indicator (or bonus indicator) is scored."""

    id: str
    name: str
    max: Decimal
    min: Decimal
    parent: str | None
    #: the scoring method's name (a key of `perfscore._methods.REGISTRY`) and compiled node
    method: str
    node: Node
    #: the rubric's own words on what the score rests on (`explain:`)
    explain: Template | None
    rounding: Rounding | None
    not_applicable: NotApplicable
    is_bonus: bool
    location: Location

    @property
    def reads(self) -> tuple[str, ...]:
        """The names the trace records as the indicator's inputs."""
        return self.node.reads


@dataclass(frozen=True, slots=True)
class GroupPlan:
    """A group and its children's ids, in rubric order."""

    id: str
    name: str
    max: Decimal
    parent: str | None
    children: tuple[str, ...]
    depth: int


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade for totals at or above `min`; the last grade has no min and catches the rest."""

    name: str
    min: Decimal | None


@dataclass(frozen=True, slots=True)
class CheckPlan:
    """A consistency check."""

    id: str
    when: Formula
    message: Template
    #: info, warning or error: how serious the finding is when the check fires
    severity: str = "warning"
    #: the list fact it runs over, once per record (its label names the record in the message)
    for_each: str | None = None
    for_each_label: str | None = None
    #: reads the totals (`TOTALS`): run with them in its environment
    reads_totals: bool = False


@dataclass(frozen=True, slots=True)
class RecordRulePlan:
    """How the records whose `select` field has one value are scored."""

    value: str
    method: str
    node: Node
    explain: Template | None
    rounding: Rounding | None
    location: Location


@dataclass(frozen=True, slots=True)
class RecordsPlan:
    """How a records group turns the records of a list fact into scored indicators."""

    group: str
    name: str
    list_fact: str
    id_field: str | None
    name_field: str
    max_field: str
    claimed_field: str | None
    select_field: str | None
    rules: Mapping[str, RecordRulePlan]
    sum_policy: Literal["error", "rescale", "warn"]
    when_empty: Literal["error", "zero", "give_to"]
    give_to: str | None
    checks: tuple[CheckPlan, ...]
    location: Location

    @property
    def rule_names(self) -> tuple[str, ...]:
        """Every rule of every kind, as coverage names them (``>=:ratio``)."""
        return tuple(f"{v}:{r}" for v, rule in self.rules.items() for r in rule.node.rules)


@dataclass(frozen=True, slots=True)
class PlausibleFact:
    """A fact that declares a plausible range on itself or on fields of its records."""

    id: str
    spec: FactSpec
    #: its list fields that declare one, in rubric order
    fields: tuple[tuple[str, FieldSpec], ...]


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
    grades: tuple[Grade, ...]
    checks: tuple[CheckPlan, ...]
    scale_to: Decimal | None = None
    leaf_index: Mapping[str, LeafPlan] = field(default_factory=dict)
    #: groups whose indicators come from list facts, by group id
    records: Mapping[str, RecordsPlan] = field(default_factory=dict)
    #: rubric order: a declared leaf, or the id of a records group standing for its records
    slots: tuple[LeafPlan | str, ...] = ()
    #: the facts a value may lie outside the plausible range of, in rubric order
    plausible: tuple[PlausibleFact, ...] = ()
    #: the Python generated for the plan's formulas (`perfscore._engine._codegen`)
    generated: str = field(default="", repr=False, compare=False)
    #: the generated functions installed at load, by role (``facts``: the happy-path
    #: validator; ``run``: the whole plan with traces off); empty on the interpreter alone
    fast: dict[str, Callable[..., Any]] = field(default_factory=dict, repr=False, compare=False)

    def validate(
        self,
        facts: Mapping[str, object],
        *,
        document: Any = None,
        name: str = "facts",
        labels: Mapping[str, Mapping[str, str]] | None = None,
    ) -> dict[str, object]:
        """Validate fact values against the schema (see `_facts.validate_values`)."""
        return validate_values(self.facts, facts, document=document, name=name, labels=labels)

    def validate_fast(self, facts: Mapping[str, object]) -> dict[str, object] | None:
        """`validate`'s result for plainly valid facts; None when `validate` must judge them
        (it alone reports problems)."""
        fast = self.fast.get("facts")
        if fast is None:
            return validate_values_fast(self.facts, facts)
        # the generated validator runs in the evaluation context: a NaN it meets raises there
        # (and flags nothing of the caller's), and any exception leaves the facts to `validate`
        with localcontext(CONTEXT):
            try:
                typed: dict[str, object] | None = fast(facts)
            except Exception:  # noqa: BLE001  # the full validator judges, with located problems
                return None
        return typed

    def grade(self, total: Decimal) -> str:
        """The grade the rubric gives a total."""
        for grade in self.grades:
            if grade.min is None or total >= grade.min:
                return grade.name
        return self.grades[-1].name  # compile_plan guarantees the last band catches everything

    def names(self) -> dict[str, str]:
        """The name of each declared and bonus indicator, by id, in rubric order."""
        return {leaf.id: leaf.name for leaf in (*self.leaves, *self.bonus)}

    def not_applicable(self, indicator: str) -> NotApplicable | None:
        """What marking a declared indicator not applicable does; None for no such indicator
        (bonus indicators and a records group's indicators cannot be marked)."""
        leaf = self.leaf_index.get(indicator)
        return leaf.not_applicable if leaf is not None else None

    def emptied_groups(self, not_applicable: frozenset[str]) -> dict[str, tuple[str, ...]]:
        """The groups that marking `not_applicable` would leave with no points to share out,
        innermost first, each with the indicators marked in it: every child is an indicator
        whose points are redistributed, or such a group. A group of only full-marks or
        records children always keeps its points."""
        emptied: dict[str, tuple[str, ...]] = {}
        for group in reversed(self.groups):  # children before parents
            if not group.children or group.id in self.records:
                continue
            marked: list[str] = []
            for child in group.children:
                if child in emptied:
                    marked.extend(emptied[child])
                elif child in not_applicable and self.not_applicable(child) == "redistribute":
                    marked.append(child)
                else:
                    break
            else:
                emptied[group.id] = tuple(marked)
        return emptied

    def group_ids(self) -> tuple[str, ...]:
        """Every group's id, in rubric order."""
        return tuple(g.id for g in self.groups)

    def group_names(self) -> tuple[str, ...]:
        """Every group's name, in rubric order."""
        return tuple(g.name for g in self.groups)

    def records_groups(self) -> frozenset[str]:
        """The ids of the groups whose indicators are listed in the facts."""
        return frozenset(self.records)

    def rules(self) -> dict[str, tuple[str, ...]]:
        """The rules each declared and bonus indicator can fire, by indicator id; a records
        group's (``kind:rule``) by group id, since its indicators exist only per fact set."""
        out = {leaf.id: leaf.node.rules for leaf in (*self.leaves, *self.bonus)}
        out.update({gid: plan.rule_names for gid, plan in self.records.items()})
        return out

    def check_ids(self) -> tuple[str, ...]:
        """Every consistency check's id: the rubric's, then each records group's."""
        own = [c.id for c in self.checks]
        return (*own, *(c.id for plan in self.records.values() for c in plan.checks))

    def derived_types(self) -> tuple[tuple[str, ValueType], ...]:
        """Each derived value's type, in the order they are computed."""
        return tuple((name, formula.type) for name, formula in self.derived)
