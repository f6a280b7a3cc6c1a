"""Compile a validated rubric model into a `Plan`: every check that can be done without facts.

Names, types, group sums, grades, templates and each scoring method's own rules are checked
here (the methods' through `perfscore._methods.REGISTRY`); every problem is collected and
raised as one `RubricError`. Records groups are compiled here too: their rules are ordinary
methods compiled in a scope that adds the record's fields and ``full``.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from perfscore._engine._codegen import formulas_of, generate
from perfscore._engine._finish import effective_rounding
from perfscore._engine._plan import (
    TOTALS,
    CheckPlan,
    Grade,
    GroupPlan,
    LeafPlan,
    Plan,
    PlausibleFact,
    RecordRulePlan,
    RecordsPlan,
)
from perfscore._errors import ErrorCode, FactsError, Location, Problem, RubricError, suggest
from perfscore._lang._expr import (
    FUNCTIONS,
    MAX_FORMULA_LENGTH,
    Formula,
    compile_formula,
    indicators_read,
)
from perfscore._load._facts import validate_values
from perfscore._load._model import (
    Bonus,
    Check,
    FactSpec,
    FieldSpec,
    GiveTo,
    Group,
    Indicator,
    RubricModel,
)
from perfscore._messages import Message
from perfscore._methods import REGISTRY
from perfscore._methods._base import Node, Path, Scored, Template, compile_template
from perfscore._methods.formula import compile_source
from perfscore._numbers import ZERO, format_decimal
from perfscore._values import BOOL, DATE, NUMBER, TEXT, ValueType, list_of, text_of

__all__ = ["compile_plan", "fact_type"]

Locate = Callable[[Path], Location]

#: names a records rule may read besides facts, derived values and the record's fields: `full`
#: is the record's points (after any rescaling); checks may also read the computed `score`
RESERVED = ("full", "score")

#: names a record field may not take: a field called `min` would hide the function `min` from
#: every rule of its group, and `True`/`False` are the language's own constants
_NOT_FIELD_NAMES = (*RESERVED, *FUNCTIONS, "True", "False", "None")


def fact_type(spec: FactSpec | FieldSpec) -> ValueType:
    """The static type of a fact (or record field) spec."""
    kind = spec.type
    if kind in ("number", "integer", "percent"):
        base = NUMBER
    elif kind == "boolean":
        base = BOOL
    elif kind == "date":
        base = DATE
    elif kind == "enum":
        base = text_of(frozenset(spec.values or ()))
        if spec.ordered is not None:
            values = tuple(spec.values or ())
            order = values if spec.ordered == "ascending" else values[::-1]
            base = ValueType("text", base.values, order=order)
    elif kind == "text":
        base = TEXT
    else:
        assert isinstance(spec, FactSpec)
        base = list_of({k: fact_type(v) for k, v in (spec.fields or {}).items()})
    if getattr(spec, "required", True) is False and "default" not in spec.model_fields_set:
        return ValueType(base.kind, base.values, base.fields, optional=True, order=base.order)
    return base


class _Scope:
    """The names in scope while compiling, with their types, specs and labels; a records
    rule's scope adds the record's fields. Implements `perfscore._methods.CompileContext`."""

    def __init__(
        self,
        locate: Locate,
        problems: list[Problem],
        broken: set[str],
        mode: str,
        names: dict[str, ValueType],
        specs: Mapping[str, FactSpec | FieldSpec],
        labels: Mapping[str, str | None],
    ) -> None:
        self.locate = locate
        self.problems = problems
        #: derived values whose formulas failed to compile
        self.broken = broken
        self.mode = mode
        self.names = names
        self.specs = specs
        self.labels = labels

    def within(
        self,
        names: Mapping[str, ValueType],
        specs: Mapping[str, FactSpec | FieldSpec],
        labels: Mapping[str, str | None],
    ) -> _Scope:
        """A scope with more names, reporting to the same problems."""
        return _Scope(
            self.locate,
            self.problems,
            self.broken,
            self.mode,
            {**self.names, **names},
            {**self.specs, **specs},
            {**self.labels, **labels},
        )

    def formula(
        self, source: str, path: Path, subject: str, expect: str | None = "number"
    ) -> Formula | None:
        try:
            return compile_formula(
                source,
                names=self.names,
                expect=expect,
                rounding_mode=self.mode,
                location=self.locate(path),
                subject=subject,
            )
        except RubricError as exc:
            # a derived value whose formula failed is reported once, not wherever it is read
            unavailable = {f"unknown name {name!r}" for name in self.broken}
            self.problems.extend(
                p
                for p in exc.problems
                if not (p.code == "unknown-name" and p.message in unavailable)
            )
            return None

    def template(self, text: str, extra: Sequence[str], path: Path, subject: str) -> Template:
        names = [*self.names, *extra]
        broken = frozenset(self.broken)
        return compile_template(text, names, self.problems, self.locate(path), subject, broken)

    def add(
        self,
        code: ErrorCode,
        message: str,
        path: Path,
        subject: str | None,
        hint: str | None = None,
    ) -> None:
        self.problems.append(Problem(code, message, self.locate(path), subject, hint))

    def method(
        self, item: Scored, path: Path, subject: str, top: Decimal | None
    ) -> tuple[Node, Template | None] | None:
        """The node of an indicator's or records rule's method, and its `explain` template."""
        node = REGISTRY[item.method].compile(item, self, (*path, item.method), subject, top)
        if node is None:
            return None
        return node, self.explain(item.explain, (*path, "explain"), subject)

    def explain(self, text: str | None, path: Path, subject: str) -> Template | None:
        """An `explain:` template (names: those in scope, `score`, `full`)."""
        return None if text is None else self.template(text, ["score", "full"], path, subject)

    def check(self, check: Check, path: Path) -> CheckPlan | None:
        """Compile one consistency check against the names in scope."""
        subject = Message("subject-check", id=check.id)
        scope = self.totals_scope(check, path, subject)
        if scope is None:
            return None
        if check.for_each is not None:
            return scope.each_check(check, path, subject)
        when = scope.formula(check.when, (*path, "when"), subject, expect="bool")
        message = scope.template(check.message, [], (*path, "message"), subject)
        if when is None:
            return None
        return CheckPlan(check.id, when, message, check.severity, reads_totals=scope is not self)

    def totals_scope(self, check: Check, path: Path, subject: str) -> _Scope | None:
        """The scope of a check: with `reads: totals`, the totals are names too; a check that
        reads one without declaring it is told to (None: the check is not compiled)."""
        if check.reads is None:
            read = _names_in(check.when)
            missing = [n for n in TOTALS if n in read and n not in self.names]
            if missing:
                names = " and ".join(repr(n) for n in missing)
                self.add(
                    "unknown-name",
                    f"unknown name{'s' if len(missing) > 1 else ''} {names}",
                    (*path, "when"),
                    subject,
                    hint="a check reads the totals only when it declares 'reads: totals'",
                )
            return None if missing else self
        clash = [n for n in TOTALS if n in self.names]
        for name in clash:
            self.add(
                "shadowed-name",
                f"the check reads totals, and {name!r} is also a fact, constant or derived value",
                (*path, "reads"),
                subject,
                hint=f"rename {name!r}; the check could not tell it from the total",
            )
        if clash:
            return None
        return self.within(dict.fromkeys(TOTALS, NUMBER), {}, dict.fromkeys(TOTALS))

    def each_check(self, check: Check, path: Path, subject: str) -> CheckPlan | None:
        """A check run once per record of a list fact: its fields (which hide facts of the
        same name) and `row`, the record's 1-based position, are names."""
        name = check.for_each
        assert name is not None
        spec = self.specs.get(name)
        if not isinstance(spec, FactSpec) or spec.type != "list" or spec.fields is None:
            lists = [
                k for k, v in self.specs.items() if isinstance(v, FactSpec) and v.type == "list"
            ]
            self.add(
                "invalid-value",
                Message("rubric-for-each-not-list", name=name),
                (*path, "for_each"),
                subject,
                hint=suggest(name, lists)
                or (Message("rubric-hint-list-facts", names=", ".join(lists)) if lists else None),
            )
            return None
        types: dict[str, ValueType] = {k: fact_type(v) for k, v in spec.fields.items()}
        labels: dict[str, str | None] = {k: v.label for k, v in spec.fields.items()}
        scope = self.within({**types, "row": NUMBER}, spec.fields, {**labels, "row": None})
        when = scope.formula(check.when, (*path, "when"), subject, expect="bool")
        message = scope.template(check.message, [], (*path, "message"), subject)
        if when is None:
            return None
        reads = check.reads is not None
        return CheckPlan(check.id, when, message, check.severity, name, spec.label, reads)


class _Compiler(_Scope):
    def __init__(self, model: RubricModel, locate: Locate) -> None:
        labels: dict[str, str | None] = {
            **{k: v.label for k, v in model.facts.items()},
            **{k: v.label for k, v in model.constants.items()},
            **{k: v.label for k, v in model.derived.items()},
        }
        super().__init__(
            locate,
            [],
            set(),
            model.rounding.mode if model.rounding else "half_up",
            {k: fact_type(v) for k, v in model.facts.items()},
            model.facts,
            labels,
        )
        self.model = model


def compile_plan(model: RubricModel, locate: Locate, name: str | None = None) -> Plan:
    """Check everything that needs no facts and build the plan; raise RubricError if not sound."""
    c = _Compiler(model, locate)
    _check_defaults(c)
    derived = (*_compile_constants(c), *_compile_derived(c))
    leaves: list[LeafPlan] = []
    groups: list[GroupPlan] = []
    records: dict[str, RecordsPlan] = {}
    slots: list[LeafPlan | str] = []
    seen: dict[str, Path] = {}

    def claim(item_id: str, path: Path, kind: str = "indicator") -> None:
        if item_id in seen:
            c.add(
                "duplicate-id",
                Message("rubric-duplicate-id", id=item_id, first=str(c.locate(seen[item_id]))),
                (*path, "id"),
                Message("subject-" + kind, id=item_id),
            )
        else:
            seen[item_id] = path

    def walk(group: Group, path: Path, parent: str | None, depth: int) -> None:
        claim(group.id, path, "group")
        if group.children is None:
            groups.append(GroupPlan(group.id, group.name, group.max, parent, (), depth))
            plan = _compile_records(c, group, path)
            if plan is not None:
                records[group.id] = plan
                slots.append(group.id)
            return
        children = tuple(ch.id for ch in group.children)
        groups.append(GroupPlan(group.id, group.name, group.max, parent, children, depth))
        total = sum((ch.max for ch in group.children), ZERO)
        if total != group.max:
            parts = " + ".join(format_decimal(ch.max) for ch in group.children)
            c.add(
                "group-sum",
                Message(
                    "rubric-group-sum",
                    max=format_decimal(group.max),
                    parts=parts,
                    total=format_decimal(total),
                ),
                (*path, "max"),
                Message("subject-group", id=group.id),
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
            Message("rubric-bonus-needs-total"),
            ("bonus",),
            None,
        )
    for plan in records.values():
        if plan.give_to is not None and plan.give_to not in records:
            c.add(
                "invalid-value",
                Message("rubric-give-to", name=plan.give_to),
                (*_path_of(model, plan.group), "records", "when_empty"),
                Message("subject-group", id=plan.group),
                hint=suggest(plan.give_to, list(records)),
            )
    grades = _compile_grades(c, model)
    checks = _compile_checks(c, model)
    total = model.total
    compiled = Plan(
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
        leaf_index={leaf.id: leaf for leaf in leaves},
        records=records,
        slots=tuple(slots),
        plausible=_plausible_facts(model),
    )
    _check_marked_reads(c, compiled)
    if c.problems:
        raise RubricError(
            c.problems,
            summary=Message(
                "rubric-problems", name=name or c.locate(()).file, count=len(c.problems)
            ),
        )
    # the formulas' fast path, generated once from the checked trees (the interpreter stays)
    return dataclasses.replace(compiled, generated=generate(compiled))


def _check_marked_reads(c: _Compiler, plan: Plan) -> None:
    """Each ``not_applicable('id')`` names an indicator a document may mark 不涉及."""
    markable = [leaf.id for leaf in plan.leaves if leaf.not_applicable != "forbidden"]
    for formula in formulas_of(plan):
        for indicator in indicators_read(formula):
            if indicator in markable:
                continue
            hint = suggest(indicator, markable) or (
                "indicators that may be: " + ", ".join(markable)
                if markable
                else "no indicator declares not_applicable: full or redistribute"
            )
            if indicator in plan.leaf_index:
                hint = f"give indicator {indicator!r} 'not_applicable: full' or 'redistribute'"
            c.problems.append(
                Problem(
                    "formula-arguments",
                    f"not_applicable({indicator!r}) names no indicator a document may mark "
                    "not applicable",
                    formula.location,
                    formula.subject,
                    hint,
                )
            )


def _plausible_facts(model: RubricModel) -> tuple[PlausibleFact, ...]:
    out = []
    for fact_id, spec in model.facts.items():
        fields = tuple(
            (name, f) for name, f in (spec.fields or {}).items() if f.plausible is not None
        )
        if spec.plausible is not None or fields:
            out.append(PlausibleFact(fact_id, spec, fields))
    return tuple(out)


def _path_of(model: RubricModel, group_id: str) -> Path:
    """The YAML path of a group by id."""

    def find(items: Sequence[Any], path: Path) -> Path | None:
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
                        Message("rubric-default", problem=p.message),
                        ("facts", fact_id, "default"),
                        Message("subject-fact", id=fact_id),
                    )


def _compile_constants(c: _Compiler) -> tuple[tuple[str, Formula], ...]:
    """Constants are values like derived ones whose formula is their number: every formula,
    template and trace reads them by name, and `check` sees their exact value."""
    compiled = []
    for name, spec in c.model.constants.items():
        other = Message("rubric-what-fact") if name in c.model.facts else None
        other = other or (Message("rubric-what-derived") if name in c.model.derived else None)
        if other is not None:
            c.add(
                "shadowed-name",
                Message("rubric-constant-shadowed", id=name, other=other),
                ("constants", name),
                Message("subject-constant", id=name),
                hint=Message("rubric-hint-rename"),
            )
            continue
        formula = c.formula(
            format_decimal(spec.value),
            ("constants", name),
            Message("subject-constant", id=name),
            expect=None,
        )
        if formula is not None:
            c.names[name] = formula.type
            compiled.append((name, formula))
    return tuple(compiled)


def _compile_derived(c: _Compiler) -> tuple[tuple[str, Formula], ...]:
    specs = c.model.derived
    for name in specs:
        if name in c.model.facts:
            c.add(
                "shadowed-name",
                Message("rubric-derived-shadowed", id=name),
                ("derived", name),
                Message("subject-derived", id=name),
                hint=Message("rubric-hint-rename"),
            )
    deps = {name: _names_in(spec.formula) & set(specs) for name, spec in specs.items()}
    order: list[str] = []
    state: dict[str, int] = {}
    in_cycle: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*stack[stack.index(name) :], name]
            in_cycle.update(cycle)
            c.add(
                "cycle",
                Message("rubric-cycle", cycle=" -> ".join(cycle)),
                ("derived", name, "formula"),
                Message("subject-derived", id=name),
                hint=Message("rubric-hint-cycle"),
            )
            return
        state[name] = 1
        for dep in sorted(deps[name]):
            visit(dep, [*stack, name])
        state[name] = 2
        order.append(name)

    for name in specs:
        visit(name, [])
    # the values of a cycle are reported once, as the cycle: a formula or template that reads
    # one is not told the name is unknown (with a did-you-mean for a name that is declared)
    c.broken.update(in_cycle)
    compiled = []
    for name in order:
        if name in in_cycle:
            continue
        formula = c.formula(
            specs[name].formula,
            ("derived", name, "formula"),
            Message("subject-derived", id=name),
            expect=None,
        )
        if formula is not None:
            c.names[name] = formula.type
            compiled.append((name, formula))
        else:
            c.broken.add(name)
    return tuple(compiled)


def _names_in(source: str) -> set[str]:
    if len(source) > MAX_FORMULA_LENGTH:
        return set()
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _compile_leaf(c: _Compiler, ind: Indicator, path: Path, parent: str) -> LeafPlan | None:
    subject = Message("subject-indicator", id=ind.id)
    count = len(c.problems)
    compiled = c.method(ind, path, subject, ind.max)
    if ind.monotonic:
        for name in ind.monotonic:
            if name not in c.model.facts:
                c.add(
                    "unknown-name",
                    Message("rubric-monotonic-unknown", name=name),
                    (*path, "monotonic", name),
                    subject,
                    hint=suggest(name, list(c.model.facts)),
                )
    if compiled is None or len(c.problems) > count:
        return None
    node, explain = compiled
    return LeafPlan(
        ind.id,
        ind.name,
        ind.max,
        ZERO,
        parent,
        ind.method,
        node,
        explain,
        effective_rounding(ind.rounding, c.model.rounding),
        ind.not_applicable,
        False,
        c.locate(path),
    )


def _compile_bonus(c: _Compiler, item: Bonus, path: Path) -> LeafPlan | None:
    subject = Message("subject-indicator", id=item.id)
    node = compile_source(item.formula, c, (*path, "formula"), subject)
    if node is None:
        return None
    explain = c.explain(item.explain, (*path, "explain"), subject)
    return LeafPlan(
        item.id,
        item.name,
        item.max,
        item.min,
        None,
        "formula",
        node,
        explain,
        effective_rounding(item.rounding, c.model.rounding),
        "forbidden",
        True,
        c.locate(path),
    )


def _compile_grades(c: _Compiler, model: RubricModel) -> tuple[Grade, ...]:
    grades = model.grades
    previous: Decimal | None = None
    names: set[str] = set()
    for i, band in enumerate(grades):
        if band.grade in names:
            c.add(
                "duplicate-id",
                Message("rubric-grade-twice", grade=band.grade),
                ("grades", i, "grade"),
                Message("subject-grades"),
            )
        names.add(band.grade)
        last = i == len(grades) - 1
        if band.min is None and not last:
            message = Message("rubric-grade-min-last")
            c.add("missing-key", message, ("grades", i), Message("subject-grades"))
        if band.min is not None and previous is not None and band.min >= previous:
            c.add(
                "invalid-value",
                Message(
                    "rubric-grade-order",
                    grade=band.grade,
                    min=format_decimal(band.min),
                    previous=format_decimal(previous),
                ),
                ("grades", i, "min"),
                Message("subject-grades"),
            )
        if band.min is not None:
            previous = band.min
    lowest = model.total.floor if model.total else ZERO
    last_min = grades[-1].min
    if last_min is not None and last_min > lowest:
        c.add(
            "invalid-value",
            Message("rubric-grades-gap", min=format_decimal(last_min)),
            ("grades", len(grades) - 1),
            Message("subject-grades"),
            hint=Message("rubric-hint-grades-gap"),
        )
    return tuple(Grade(g.grade, g.min) for g in grades)


def _compile_checks(c: _Compiler, model: RubricModel) -> tuple[CheckPlan, ...]:
    out = []
    ids: set[str] = set()
    for i, check in enumerate(model.checks):
        if check.id in ids:
            c.add(
                "duplicate-id",
                Message("rubric-check-twice", id=check.id),
                ("checks", i, "id"),
                Message("subject-check", id=check.id),
            )
        ids.add(check.id)
        compiled = c.check(check, ("checks", i))
        if compiled is not None:
            out.append(compiled)
    return tuple(out)


# --- records groups ----------------------------------------------------------------------------

_FIELD_KINDS = {
    "id": ("text",),
    "name": ("text",),
    "max": ("number", "integer", "percent"),
    "claimed": ("number", "integer", "percent"),
    "select": ("enum",),
}


def _compile_records(c: _Compiler, group: Group, path: Path) -> RecordsPlan | None:
    """Check a records group and compile one method per rule."""
    spec = group.records
    assert spec is not None
    rpath = (*path, "records")
    subject = Message("subject-group", id=group.id)
    count = len(c.problems)
    fact = c.model.facts.get(spec.list)
    if fact is None or fact.type != "list" or not fact.fields:
        c.add(
            "invalid-value",
            Message("rubric-records-list", name=spec.list),
            (*rpath, "list"),
            subject,
            hint=suggest(spec.list, list(c.model.facts)),
        )
        return None
    fields = fact.fields
    for key, kinds in _FIELD_KINDS.items():
        name = getattr(spec, key)
        if name is None:
            continue
        found = fields.get(name)
        if found is None or found.type not in kinds:
            c.add(
                "invalid-value",
                Message(
                    "formula-records-field-kind",
                    key=key,
                    kinds=Message("formula-kinds-" + "-".join(kinds)),
                    list=spec.list,
                    name=name,
                ),
                (*rpath, key),
                subject,
                hint=suggest(name, list(fields)),
            )
    field_types: dict[str, ValueType] = {k: fact_type(v) for k, v in fields.items()}
    for name in field_types:
        if name in c.names or name in RESERVED:
            c.add(
                "shadowed-name",
                Message("formula-records-field-shadows", name=name, list=spec.list),
                ("facts", spec.list, "fields", name),
                subject,
                hint=Message("formula-hint-rename-field"),
            )
        elif name in _NOT_FIELD_NAMES:
            what = Message(
                "formula-what-function" if name in FUNCTIONS else "formula-what-constant"
            )
            c.add(
                "shadowed-name",
                Message("formula-records-field-shadows-what", name=name, list=spec.list, what=what),
                ("facts", spec.list, "fields", name),
                subject,
                hint=Message("formula-hint-rename-field-named", name=name),
            )
    select = fields.get(spec.select) if spec.select else None
    if select is not None and select.values is not None:
        missing = [v for v in select.values if v not in spec.rules]
        unknown = [k for k in spec.rules if k not in select.values]
        if missing or unknown:
            c.add(
                "invalid-value",
                Message(
                    "formula-records-rules", select=spec.select, missing=missing, unknown=unknown
                ),
                (*rpath, "rules"),
                subject,
            )
    elif spec.select is None and len(spec.rules) != 1:
        c.add(
            "invalid-value",
            Message("formula-records-one-rule"),
            (*rpath, "rules"),
            subject,
        )
    if len(c.problems) > count:
        return None
    # `full` has no label of its own: the words name a record's points in the rubric's language
    labels: dict[str, str | None] = {k: v.label for k, v in fields.items()}
    labels["full"] = None
    scope = c.within({**field_types, "full": NUMBER}, fields, labels)
    rules: dict[str, RecordRulePlan] = {}
    for key, rule in spec.rules.items():
        rule_path = (*rpath, "rules", key)
        compiled = scope.method(
            rule, rule_path, Message("subject-rule", subject=subject, key=key), None
        )

        if compiled is None:
            continue
        node, explain = compiled
        rounding = effective_rounding(rule.rounding, c.model.rounding)
        rules[key] = RecordRulePlan(key, rule.method, node, explain, rounding, c.locate(rule_path))
    checked = scope.within({"score": NUMBER}, {}, {})
    for i, item in enumerate(spec.checks):
        if item.for_each is not None:
            c.add(
                "invalid-value",
                Message("formula-records-check-for-each"),
                (*rpath, "checks", i, "for_each"),
                subject,
                hint=Message("formula-hint-records-check-for-each"),
            )
        if item.reads is not None:
            c.add(
                "invalid-value",
                Message("formula-records-check-reads"),
                (*rpath, "checks", i, "reads"),
                subject,
                hint=Message("formula-hint-records-check-reads"),
            )
    checks = tuple(
        check
        for i, item in enumerate(spec.checks)
        if item.reads is None and (check := checked.check(item, (*rpath, "checks", i))) is not None
    )
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
