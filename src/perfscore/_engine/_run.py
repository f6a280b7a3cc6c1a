"""Run a plan on validated fact values: derived values, each leaf through its method, records
expanded into leaves, not-applicable points redistributed, totals, grade and checks.

The result is plain data (`RunResult`): scores, the rules that fired and, with traces on, the
events of each indicator. It holds no plan objects, so the scorecard is assembled from it alone.
"""

from __future__ import annotations

import dataclasses
import decimal
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Literal, NamedTuple

from perfscore._engine._finish import allocate, canon, finish
from perfscore._engine._plan import (
    TOTALS,
    CheckPlan,
    GroupPlan,
    LeafPlan,
    Plan,
    PlausibleFact,
    RecordRulePlan,
    RecordsPlan,
)
from perfscore._engine._ranges import Marks, grades_possible, is_marked
from perfscore._engine._trace import Event, NullRecorder, Recorder
from perfscore._errors import PerfscoreError, Problem, ScoringError, suggest
from perfscore._lang._bounds import Scope, Span
from perfscore._lang._expr import _RECORDING, NOT_APPLICABLE
from perfscore._load._model import FactSpec, FieldSpec, Interval, Rounding
from perfscore._messages import Message
from perfscore._methods import REGISTRY
from perfscore._methods._base import FactValueError, Reach, Template
from perfscore._numbers import CONTEXT, ZERO, format_decimal
from perfscore._values import Records, Unknown

__all__ = ["GroupResult", "LeafResult", "Notice", "RunResult", "complete", "run", "run_plain"]

#: a record's own id follows the id rule (a letter first), so it can never be taken for the
#: automatic number of another record (`output.2`)
_RECORD_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z", re.ASCII)


class LeafResult(NamedTuple):
    """The computed score of one indicator (declared, expanded from a record, or bonus)."""

    id: str
    name: str
    group: str | None
    kind: Literal["indicator", "bonus"]
    min: Decimal
    max: Decimal
    score: Decimal
    applicable: bool
    #: the values the indicator read (traces on)
    inputs: Mapping[str, object] | None
    #: what it did, step by step (traces on)
    events: tuple[Event, ...] | None
    #: the rules that fired, in order
    rules: tuple[str, ...]
    #: in a records group, the rule (value of `select`) that scored the record
    record_rule: str | None = None
    #: (least, greatest) reachable score when the indicator reads an unknown value; `score` is
    #: then the least
    range: tuple[Decimal, Decimal] | None = None
    #: the doubtful values it read, each with the document's reason
    doubtful: tuple[tuple[str, str], ...] = ()


class GroupResult(NamedTuple):
    """A group's subtotal."""

    id: str
    name: str
    parent: str | None
    score: Decimal
    max: Decimal
    #: (least, greatest) when an indicator under it has a range; `score` is then the least
    range: tuple[Decimal, Decimal] | None = None


class Notice(NamedTuple):
    """A check that fired, or a records group whose points did not add up: its id and the
    makings of its message (`phrase` ``template`` for the rubric's own words)."""

    check: str
    phrase: str
    args: Mapping[str, object]
    #: info, warning or error
    severity: str = "warning"


class RunResult(NamedTuple):
    """Everything a run computes; the scorecard is assembled from it (a NamedTuple, like the
    records it holds: the generated plan builds it with ``tuple.__new__``, without a Python
    ``__init__``)."""

    values: Mapping[str, object]
    #: every indicator by id: declared, expanded from records, and bonus
    leaves: Mapping[str, LeafResult]
    #: the same in scorecard order: the base's in rubric order, then the bonus
    indicators: tuple[LeafResult, ...]
    #: every group by id, in rubric order
    groups: Mapping[str, GroupResult]
    base_total: Decimal
    bonus_total: Decimal
    total: Decimal
    total_events: tuple[Event, ...] | None
    grade: str
    warnings: tuple[Notice, ...]
    #: claimed scores carried by records (``claimed`` field of a records group)
    claims: Mapping[str, Decimal] = MappingProxyType({})
    max_total: Decimal = ZERO
    #: with unknown values: the reachable totals (`total` is then the least), the grades they
    #: give, and the ranges of the base and the bonus (None when exact)
    total_range: tuple[Decimal, Decimal] | None = None
    grades_possible: tuple[str, ...] | None = None
    base_range: tuple[Decimal, Decimal] | None = None
    bonus_range: tuple[Decimal, Decimal] | None = None
    #: set only by the generated plans (`run_plain` returns it so): the function that makes
    #: `leaves`, `indicators` and `groups` (None until then) from what it takes, which
    #: `complete` calls; a scorecard asks for them only when one of its parts is first read
    pending: tuple[Callable[[tuple[object, ...]], _Records], tuple[object, ...]] | None = None


#: what `RunResult.pending` makes: the fields `leaves`, `indicators` and `groups`
_Records = tuple[Mapping[str, LeafResult], tuple[LeafResult, ...], Mapping[str, GroupResult]]


def complete(result: RunResult) -> RunResult:
    """`result` with its records made, when they are pending; the result itself otherwise."""
    pending = result.pending
    if pending is None:
        return result
    make, kept = pending
    leaves, indicators, groups = make(kept)
    return tuple.__new__(RunResult, (result[0], leaves, indicators, groups, *result[4:-1], None))


def run(
    plan: Plan,
    values: Mapping[str, object],
    *,
    not_applicable: frozenset[str] = frozenset(),
    trace: bool = True,
    plain: bool = False,
) -> RunResult:
    """Score validated values. The same arithmetic runs whether or not `trace` is on.

    `plain` says the values came from the happy-path validator, so none is unknown or
    doubtful (the generated plan then skips looking).

    Raises:
        ScoringError: a formula or a rule failed on these values (the first failure).
    """
    with decimal.localcontext(CONTEXT):
        try:
            usual = not (not_applicable or _RECORDING[0])
            fast = plan.fast.get("run_traced" if trace else "run") if usual else None
            if fast is not None:  # the plan generated as one function (`_plancode`)
                try:
                    result: RunResult | None = fast(values, plain)
                except Exception:  # noqa: BLE001  # the interpreter below decides, located
                    result = None
                if result is not None:
                    return complete(result)
            return _run(plan, values, not_applicable, trace)
        except (decimal.DecimalException, ArithmeticError) as exc:
            raise ScoringError(
                Problem(
                    "number-too-large",
                    Message("formula-arithmetic-failed", error=type(exc).__name__),
                )
            ) from exc


def run_plain(
    plan: Plan, facts: Mapping[str, object], trace: bool
) -> tuple[dict[str, object], RunResult] | None:
    """The usual call in one step: plainly valid facts, nothing marked not applicable, typed
    by the generated validator and scored by the generated plan, both in the evaluation
    context. None when either is missing or declines (or fails: the general path, `validate`
    then `run`, judges those facts again and says what is wrong, located).

    Returns:
        The validated values and the run's result. With traces off its records may be
        pending (`RunResult.pending`): `complete` makes them.
    """
    fast = plan.fast
    validate = fast.get("facts")
    score = fast.get("run_traced" if trace else "run")
    if validate is None or score is None or _RECORDING[0]:
        return None
    # `CONTEXT`, as `decimal.localcontext(CONTEXT)` would give it, but a copy kept for the
    # thread instead of one made on every call (0.3 µs of 45): only its flags change, and
    # nothing reads them
    try:
        context = _CONTEXTS.context
    except AttributeError:
        context = _CONTEXTS.context = CONTEXT.copy()
    outer = _getcontext()
    _setcontext(context)
    try:
        values = validate(facts)
        if values is None:
            return None
        result: RunResult | None = score(values, True)
    except Exception:  # noqa: BLE001  # the general path decides, located
        return None
    finally:
        _setcontext(outer)
    return None if result is None else (values, result)


#: each thread's copy of `CONTEXT` for `run_plain`
_CONTEXTS = threading.local()
_getcontext, _setcontext = decimal.getcontext, decimal.setcontext


def _recorder(trace: bool, prefix: str = "") -> Recorder:
    return Recorder(prefix) if trace else NullRecorder(prefix)


def _run(plan: Plan, values: Mapping[str, object], na: frozenset[str], trace: bool) -> RunResult:
    marks = Marks.of(plan, values) if is_marked(values) else None
    env: dict[str, object] = dict(values if marks is None else marks.values)
    if na:  # read by not_applicable('id'); taken out again before the values are returned
        env[NOT_APPLICABLE] = na
    for name, formula in plan.derived:
        if marks is not None and marks.reads_unknown(formula.names, env, formula.fields_read):
            marks.derive(name, formula.source, env)
            env[name] = Unknown()
        else:
            env[name] = formula.run(env)
    leaves: dict[str, LeafResult] = {}
    # each leaf's rounding, a records row's by the rule that scored it: redistribution
    # rounds every scaled score again, whichever kind of leaf it is
    rounding: dict[str, Rounding | None] = {}
    for leaf in plan.leaves:
        leaves[leaf.id] = _leaf(leaf, env, leaf.id in na, trace, marks)
        rounding[leaf.id] = leaf.rounding
    children = {g.id: g.children for g in plan.groups}
    warnings: list[Notice] = list(_implausible(plan.plausible, values))
    claims: dict[str, Decimal] = {}
    group_max: dict[str, Decimal] = {}
    for gid, expected in _record_weights(plan, env).items():
        out = _expand(plan.records[gid], env, expected, trace, marks, plan.facts)
        leaves.update((r.id, r) for r in out.results)
        rounding.update(out.rounding)
        children[gid] = tuple(r.id for r in out.results)
        warnings.extend(out.warnings)
        claims.update(out.claims)
        group_max[gid] = out.max
    for group in plan.groups:
        _redistribute(plan, group, leaves, children, rounding)
    groups: dict[str, GroupResult] = {}
    for group in reversed(plan.groups):  # children before parents
        score = ZERO
        top = ZERO
        high: Decimal | None = None
        for child in children[group.id]:
            part = leaves.get(child) or groups[child]
            score += part.score
            top += part.max
            if part.range is not None or high is not None:
                high = (score - part.score if high is None else high) + _high(part)
        # a group's max is what its children carry (after any redistribution); an empty
        # records group carries what its remedy left it
        group_top = top if children[group.id] else group_max.get(group.id, top)
        groups[group.id] = GroupResult(
            group.id, group.name, group.parent, canon(score), canon(group_top),
            None if high is None else (canon(score), canon(high)),
        )  # fmt: skip
    base = canon(sum((groups[g].score for g in plan.top), ZERO))
    base_high = _sum_high([groups[g] for g in plan.top])
    bonus: list[LeafResult] = []
    bonus_total = ZERO
    for leaf in plan.bonus:
        result = _leaf(leaf, env, False, trace, marks)
        leaves[leaf.id] = result
        bonus.append(result)
        bonus_total += result.score
    bonus_total = canon(bonus_total)
    bonus_high = _sum_high(bonus)
    max_total = sum((groups[g].max for g in plan.top), ZERO)
    total = base + bonus_total
    rec = _recorder(trace)
    rec.step("start", total, "total", {"base": base, "bonus": bonus_total})
    if plan.scale_to is not None and max_total != plan.scale_to and max_total > 0:
        # a sheet whose points do not add up to 100 is converted to 100 (base only)
        total = base * plan.scale_to / max_total + bonus_total
        rec.step("scale", total, "total_scaled", {"max": max_total, "scale": plan.scale_to})
    if plan.cap is not None and total > plan.cap:
        total = plan.cap
        rec.step("clamp", total, "total_cap", {"bound": plan.cap})
    if total < plan.floor:
        total = plan.floor
        rec.step("clamp", total, "total_floor", {"bound": plan.floor})
    grade = plan.grade(total)
    total_range = grades = None
    if base_high is not None or bonus_high is not None:
        high = _total(
            plan,
            base if base_high is None else base_high,
            bonus_total if bonus_high is None else bonus_high,
            max_total,
        )
        total_range = (canon(total), canon(high))
        grades = grades_possible(plan, total, high)
        rec.step("range", total, "total_range", {"low": total, "high": high})
    check_env: Mapping[str, object] = env
    if any(c.reads_totals for c in plan.checks):
        ends = (total_range or (total, None), (base, base_high), (bonus_total, bonus_high))
        check_env = _with_totals(env, (*ends, (max_total, None)), marks)
    warnings.extend(_checks(tuple(c for c in plan.checks if c.for_each is None), check_env, marks))
    for check in plan.checks:
        if check.for_each is not None:
            warnings.extend(_each(check, check_env, marks, plan.facts))
    if marks is not None:
        warnings.extend(_doubtful_notices(leaves, plan.leaf_index))
    env.pop(NOT_APPLICABLE, None)
    order = [
        leaf_id
        for slot in plan.slots
        for leaf_id in ((slot.id,) if isinstance(slot, LeafPlan) else children.get(slot, ()))
    ]
    return RunResult(
        env,
        leaves,
        (*(leaves[i] for i in order), *bonus),
        {g.id: groups[g.id] for g in plan.groups},
        canon(base),
        canon(bonus_total),
        canon(total),
        rec.trace(),
        grade,
        tuple(warnings),
        claims,
        max_total,
        total_range,
        grades,
        None if base_high is None else (base, canon(base_high)),
        None if bonus_high is None else (bonus_total, canon(bonus_high)),
    )


def _with_totals(
    env: Mapping[str, object],
    ends: tuple[tuple[Decimal, Decimal | None], ...],
    marks: Marks | None,
) -> dict[str, object]:
    """The environment of checks that read totals (`reads: totals`): the values, and each
    total as the scorecard has it; a total that is a range is unknown over its ends."""
    out: dict[str, object] = dict(env)
    for name, (low, high) in zip(TOTALS, ends, strict=True):
        if high is None or high == low or marks is None:
            out[name] = canon(low)
        else:
            out[name] = Unknown()
            marks.unknown[name] = None
            marks.spans[name] = Span(Fraction(low), Fraction(high), True, True)
    return out


def _high(part: LeafResult | GroupResult) -> Decimal:
    return part.score if part.range is None else part.range[1]


def _sum_high(parts: list[LeafResult] | list[GroupResult]) -> Decimal | None:
    """The greatest sum of `parts` when one of them has a range, else None."""
    if all(p.range is None for p in parts):
        return None
    return sum((_high(p) for p in parts), ZERO)


def _total(plan: Plan, base: Decimal, bonus: Decimal, max_total: Decimal) -> Decimal:
    """The total of a base and a bonus, scaled and capped as the rubric says (monotone)."""
    total = base + bonus
    if plan.scale_to is not None and max_total != plan.scale_to and max_total > 0:
        total = base * plan.scale_to / max_total + bonus
    if plan.cap is not None and total > plan.cap:
        total = plan.cap
    return max(total, plan.floor)


def _checks(
    checks: tuple[CheckPlan, ...],
    env: Mapping[str, object],
    marks: Marks | None,
    scope: Scope | None = None,
) -> list[Notice]:
    """The checks that fire; with unknown values, a check reading one that may fire or not
    says it cannot be decided, and one that surely fires does."""
    out = []
    for check in checks:
        when = check.when
        read = marks.reads_unknown(when.names, env, when.fields_read) if marks else None
        if marks is not None and read:
            # a record's unknown field or score is unknown here too, over `scope`'s span for it
            unknown = frozenset(marks.unknown).union(read)
            holds = Reach(env, unknown, scope or marks.scope(env)).truth(check.when)
            if holds is None:  # cannot be told: a note, whatever the check's own severity
                out.append(Notice(check.id, "check_unknown", {"check": check.id}, "info"))
                continue
            if holds is False:
                continue
        elif check.when.run(env) is not True:
            continue
        if marks is not None and marks.reads_unknown(check.message.names, env):
            args = {"check": check.id}
            out.append(Notice(check.id, "check_unknown_fired", args, check.severity))
        else:
            out.append(_notice(check.id, check.message, env, check.severity))
    return out


def _doubtful_notices(
    leaves: Mapping[str, LeafResult], index: Mapping[str, LeafPlan]
) -> list[Notice]:
    """One finding for each indicator that read a doubtful value."""
    return [
        Notice(
            f"doubtful:{leaf.id}",
            "doubtful",
            {"name": leaf.name, "id": leaf.id, "facts": ", ".join(f for f, _ in leaf.doubtful)},
        )
        for leaf in leaves.values()
        if leaf.doubtful
    ]


def _implausible(facts: tuple[PlausibleFact, ...], values: Mapping[str, object]) -> list[Notice]:
    """A warning for each value outside its declared plausible range, in rubric order. The
    value is scored as given: a plausible range only asks a reviewer to look again."""
    notices: list[Notice] = []
    for fact in facts:
        spec, value = fact.spec, values.get(fact.id)
        if spec.plausible is not None:
            notice = _plausible(f"plausible:{fact.id}", spec, value, {"label": spec.label})
            if notice is not None:
                notices.append(notice)
        if not isinstance(value, Records):
            continue
        for name, field_spec in fact.fields:
            for row, record in enumerate(value, start=1):
                args = {"label": field_spec.label, "list": spec.label, "row": row}
                notice = _plausible(
                    f"plausible:{fact.id}.{name}", field_spec, record.get(name), args
                )
                if notice is not None:
                    notices.append(notice)
    return notices


def _plausible(
    check: str, spec: FactSpec | FieldSpec, value: object, args: Mapping[str, object]
) -> Notice | None:
    plausible = spec.plausible
    if plausible is None or isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    number = Decimal(value)
    if plausible.contains(number):
        return None
    key = "plausible_row" if "row" in args else "plausible"
    filled = {**args, "value": format_decimal(number), "range": str(plausible)}
    if spec.type == "percent" and _meant_percent(number, plausible):
        key += "_percent"
        filled["percent"] = format_decimal(number * 100)
    return Notice(check, key, filled)


def _meant_percent(value: Decimal, plausible: Interval) -> bool:
    """True when `value` reads as a fraction of a percent that would be plausible."""
    return plausible.contains(value * 100)


def _each(
    check: CheckPlan,
    env: Mapping[str, object],
    marks: Marks | None = None,
    facts: Mapping[str, FactSpec] | None = None,
) -> list[Notice]:
    """A check over each record of a list: one notice per record it holds for, naming it.

    With unknown values, an unknown list gives a note that the check cannot be decided,
    whatever the check's own severity; a record whose fields the check reads are unknown is
    decided as any check reading an unknown value, each field over its declared bounds.
    """
    out = []
    records = env.get(check.for_each or "")
    if marks is not None and not isinstance(records, Records):
        return [Notice(check.id, "check_unknown", {"check": check.id}, "info")]
    for i, record in enumerate(records if isinstance(records, Records) else ()):
        local = {**env, **record, "row": Decimal(i + 1)}
        if marks is not None and marks.reads_unknown(
            check.when.names, local, check.when.fields_read
        ):
            # decided as any check is: fires when it surely holds, else silent or a note
            spec = (facts or {}).get(check.for_each or "")
            scope = marks.scope(local, spec.fields if spec is not None else None)
            decided = _checks((check,), local, marks, scope)
            if not decided or decided[0].phrase != "template":
                row = {"list": check.for_each_label, "row": i + 1}
                out.extend(_naming(decided, "record_", row))
                continue
        elif check.when.run(local) is not True:
            continue
        notice = _notice(check.id, check.message, local, check.severity)
        args = {**notice.args, "list": check.for_each_label, "row": i + 1}
        out.append(Notice(check.id, "record_template", args, check.severity))
    return out


def _naming(notices: list[Notice], prefix: str, row: Mapping[str, object]) -> list[Notice]:
    """`notices` of a check over one record, those that cannot say what they found (it reads
    an unknown value) naming the record as `row` gives it (its name, or its list and number)."""
    return [
        Notice(n.check, prefix + n.phrase, {**n.args, **row}, n.severity)
        if n.phrase in ("check_unknown", "check_unknown_fired")
        else n
        for n in notices
    ]


def _notice(
    check: str, message: Template, env: Mapping[str, object], severity: str = "warning"
) -> Notice:
    return Notice(check, "template", {"template": message, "values": message.values(env)}, severity)


def _note(
    explain: Template | None, value: Decimal, top: Decimal, env: Mapping[str, object], rec: Recorder
) -> None:
    """The rubric's own words on the score (`explain:`); it changes no value."""
    if explain is not None and rec.tracing:
        values = explain.values({**env, "score": value, "full": top})
        rec.step("note", value, "template", {"template": explain, "values": values})


def _leaf(
    leaf: LeafPlan, env: Mapping[str, object], na: bool, trace: bool, marks: Marks | None = None
) -> LeafResult:
    rec = Recorder() if trace else NullRecorder()
    inputs = {name: env[name] for name in leaf.reads} if trace else None
    kind: Literal["indicator", "bonus"] = "bonus" if leaf.is_bonus else "indicator"
    if marks is not None and not na:
        return _marked_leaf(leaf, env, trace, marks, inputs, kind)
    if na:
        rule = ("not_applicable",)
        if leaf.not_applicable == "full":
            rec.step("not_applicable", leaf.max, "na_full", rule="not_applicable")
            return LeafResult(
                leaf.id, leaf.name, leaf.parent, kind, leaf.min, leaf.max, leaf.max, True,
                inputs, rec.trace(), rule,
            )  # fmt: skip
        rec.step("not_applicable", ZERO, "na_excluded", rule="not_applicable")
        return LeafResult(
            leaf.id, leaf.name, leaf.parent, kind, ZERO, ZERO, ZERO, False, inputs, rec.trace(),
            rule,
        )  # fmt: skip
    raw = REGISTRY[leaf.method].run(leaf.node, env, leaf.max, rec)
    value = finish(raw, leaf.min, leaf.max, leaf.rounding, rec)
    if trace:
        _note(leaf.explain, value, leaf.max, env, rec)
        events: tuple[Event, ...] | None = tuple(rec.events)
    else:
        events = None
    return LeafResult(
        leaf.id, leaf.name, leaf.parent, kind, leaf.min, leaf.max, value, True, inputs, events,
        tuple(rec.fired),
    )  # fmt: skip


def _marked_leaf(
    leaf: LeafPlan,
    env: Mapping[str, object],
    trace: bool,
    marks: Marks,
    inputs: Mapping[str, object] | None,
    kind: Literal["indicator", "bonus"],
) -> LeafResult:
    """A leaf scored in a document with unknown or doubtful values: a range when it reads an
    unknown value, else its score; either way a note for each doubtful value it read."""
    doubtful = marks.doubtful_read(leaf.reads)
    unknown = marks.node_reads_unknown(leaf.node, env)
    if not unknown:
        plain = _leaf(leaf, env, False, trace)
        if not doubtful:
            return plain
        events = plain.events
        if events is not None:
            events = (*events, *_doubtful_events(doubtful, plain.score, marks.labels))
        return plain._replace(events=events, doubtful=doubtful)
    low, high = marks.reach(leaf.method, leaf.node, env, leaf.max, leaf.min, leaf.rounding)
    rec = _recorder(trace)
    rec.fire("range")
    words = marks.named(unknown, marks.labels, env)
    rec.step("range", low, "range", {"unknown": words, "low": low, "high": high}, rule="range")
    events = (*rec.events, *_doubtful_events(doubtful, low, marks.labels)) if trace else None
    return LeafResult(
        leaf.id, leaf.name, leaf.parent, kind, leaf.min, leaf.max, low, True, inputs, events,
        ("range",), range=(low, high) if low != high else None, doubtful=doubtful,
    )  # fmt: skip


def _doubtful_events(
    doubtful: tuple[tuple[str, str], ...], value: Decimal, labels: Mapping[str, str]
) -> tuple[Event, ...]:
    rec = Recorder()
    for name, reason in doubtful:
        args = {"label": labels.get(name, name), "reason": reason}
        rec.step("note", value, "doubtful_input", args)
    return tuple(rec.events)


def _group_max(plan: Plan, group_id: str) -> Decimal:
    return next(g.max for g in plan.groups if g.id == group_id)


def _redistribute(
    plan: Plan,
    group: GroupPlan,
    leaves: dict[str, LeafResult],
    children: Mapping[str, tuple[str, ...]],
    rounding: Mapping[str, Rounding | None],
) -> None:
    """Spread the points of not-applicable children over the rest of the group.

    Every leaf under a kept child, nested groups included, is scaled by group max / kept
    max, computed on declared maxima, so each level's factor is independent of the others.
    A scaled score is finished again with the leaf's own rounding (a records row's is its
    rule's), so it lands on the same step as an unscaled one.
    """
    excluded = [c for c in group.children if c in leaves and not leaves[c].applicable]
    if not excluded:
        return
    kept = [c for c in group.children if c not in excluded]
    kept_max = sum(
        (plan.leaf_index[c].max if c in plan.leaf_index else _group_max(plan, c) for c in kept),
        ZERO,
    )
    if kept_max.is_zero():
        raise ScoringError(
            Problem(
                "invalid-operation",
                Message("formula-group-all-not-applicable", id=group.id),
                subject=Message("subject-group", id=group.id),
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
    tops = allocate([leaves[c].max for c in order], factor, group.max)
    for child, top in zip(order, tops, strict=True):
        old = leaves[child]
        rec = _recorder(old.events is not None)
        rec.events.extend(old.events or ())
        rec.fired.extend(old.rules)
        value = old.score * top / old.max if old.max else ZERO
        rec.fire("scale")
        rec.step("scale", value, "scale", {"factor": factor}, rule="scale")
        value = finish(value, ZERO, top, rounding.get(child), rec)
        scaled = None
        if old.range is not None:  # scaling is monotone: both ends scale alike
            high = old.range[1] * top / old.max if old.max else ZERO
            high = finish(high, ZERO, top, rounding.get(child), NullRecorder())
            scaled = (value, high)
        leaves[child] = old._replace(
            max=top, score=value, applicable=True, events=rec.trace(), rules=tuple(rec.fired),
            range=scaled,
        )  # fmt: skip


# --- records groups ----------------------------------------------------------------------------


def _records(plan: RecordsPlan, env: Mapping[str, object]) -> Records:
    value = env[plan.list_fact]
    assert isinstance(value, Records)
    return value


def _record_weights(plan: Plan, env: Mapping[str, object]) -> dict[str, Decimal]:
    """What each records group's indicators must total: its max, plus what empty groups
    give to it; an empty group without a remedy is an error."""
    declared = {gid: _group_max(plan, gid) for gid in plan.records}
    for gid, group in plan.records.items():
        if isinstance(env.get(group.list_fact), Unknown):
            raise FactValueError(
                Problem(
                    "unknown-not-allowed",
                    Message(
                        "formula-records-list-unknown",
                        list=group.list_fact,
                        id=gid,
                        name=group.name,
                    ),
                    group.location,
                    Message("subject-group", id=gid),
                    hint=Message("formula-hint-records-list-unknown"),
                ),
                path=(group.list_fact,),
            )
    weights = dict(declared)
    empty = {gid for gid, group in plan.records.items() if not len(_records(group, env))}
    for gid, group in plan.records.items():
        if gid not in empty:
            continue
        if group.when_empty == "error":
            raise ScoringError(
                Problem(
                    "empty-records",
                    Message("formula-records-empty", id=gid, name=group.name, list=group.list_fact),
                    group.location,
                    Message("subject-group", id=gid),
                    hint=Message("formula-hint-records-empty"),
                )
            )
        # points pass along give_to until a group that has indicators takes them; a chain
        # that ends in an empty group loses them. Declaration order does not matter.
        target, seen = group.give_to, {gid}
        while target is not None and target in empty and target not in seen:
            seen.add(target)
            target = plan.records[target].give_to
        if target is not None and target not in empty:
            weights[target] += declared[gid]
    for gid in empty:
        weights[gid] = ZERO
    return weights


@dataclass(frozen=True, slots=True)
class _Expansion:
    """The indicators one records group produced for one fact set."""

    results: tuple[LeafResult, ...]
    warnings: tuple[Notice, ...]
    claims: Mapping[str, Decimal]
    max: Decimal
    #: each indicator's rounding: its rule's
    rounding: Mapping[str, Rounding | None]


def _expand(
    plan: RecordsPlan,
    env: Mapping[str, object],
    expected: Decimal,
    trace: bool,
    marks: Marks | None = None,
    facts: Mapping[str, FactSpec] | None = None,
) -> _Expansion:
    """Score every record as an indicator of its group, whose points must total `expected`."""
    warnings: list[Notice] = []
    claims: dict[str, Decimal] = {}
    records = list(_records(plan, env))
    if marks is not None:
        _known_shape(plan, records)
    ids = _ids(plan, records)
    points = [_points(plan, r, i) for i, r in enumerate(records)]
    total = sum(points, ZERO)
    group_max = expected
    tops = points
    if records and total != expected:
        if plan.sum_policy == "error":
            raise ScoringError(
                Problem(
                    "group-sum",
                    Message(
                        "formula-records-sum",
                        id=plan.group,
                        name=plan.name,
                        total=total,
                        expected=expected,
                    ),
                    plan.location,
                    Message("subject-group", id=plan.group),
                    hint=Message("formula-hint-records-sum"),
                )
            )
        key = "records_rescaled" if plan.sum_policy == "rescale" else "records_sum"
        args = {"group": plan.name, "total": total, "expected": expected}
        warnings.append(Notice(f"{plan.group}_sum", key, args))
        if plan.sum_policy == "rescale":
            tops = allocate(points, expected / total, expected)
        else:
            group_max = total
    results = []
    rounding: dict[str, Rounding | None] = {}
    for index, (record, leaf_id, top) in enumerate(zip(records, ids, tops, strict=True)):
        kind = str(record[plan.select_field]) if plan.select_field else next(iter(plan.rules))
        rule = plan.rules.get(kind)
        if rule is None:
            raise ScoringError(
                Problem(
                    "invalid-value",
                    Message("formula-records-no-rule", field=plan.select_field, kind=kind),
                    plan.location,
                    Message("subject-group", id=plan.group),
                    hint=suggest(kind, list(plan.rules)),
                )
            )
        name = record[plan.name_field]
        rounding[leaf_id] = rule.rounding
        renv = {**env, **record, "full": top}
        try:
            unknown = marks.node_reads_unknown(rule.node, renv) if marks is not None else []
            span: tuple[Decimal, Decimal] | None = None
            if marks is not None and unknown:
                spec = (facts or {}).get(plan.list_fact)
                fields = spec.fields if spec is not None and spec.fields else {}
                labels = {**marks.labels, **{k: f.label for k, f in fields.items()}}
                low, high = marks.reach(
                    rule.method, rule.node, renv, top, ZERO, rule.rounding, fields
                )
                score, rec = low, _recorder(trace, f"{kind}:")
                rec.fire("range")
                args = {"unknown": marks.named(unknown, labels, renv), "low": low, "high": high}
                rec.step("range", low, "range", args, rule="range")
                span = (low, high) if low != high else None
            else:
                score, rec = _record(rule, renv, top, trace, f"{kind}:")
            inputs = {n: renv[n] for n in rule.node.reads} if trace else None
            doubtful = (
                marks.doubtful_read(rule.node.reads, (plan.list_fact, index)) if marks else ()
            )
            if doubtful and rec.tracing:
                rec.events.extend(_doubtful_events(doubtful, score, marks.labels if marks else {}))
            results.append(
                LeafResult(
                    leaf_id,
                    str(name),
                    plan.group,
                    "indicator",
                    ZERO,
                    top,
                    score,
                    True,
                    inputs,
                    rec.trace(),
                    tuple(rec.fired),
                    kind,
                    span,
                    doubtful,
                )
            )
            if plan.claimed_field is not None:
                claimed = record.get(plan.claimed_field)
                if isinstance(claimed, Decimal):
                    claims[leaf_id] = claimed
            check_env: dict[str, object] = {**renv, "score": score}
            if span is not None:
                check_env["score"] = Unknown()
            if marks is None:
                warnings.extend(
                    _notice(check.id, check.message, check_env, check.severity)
                    for check in plan.checks
                    if check.when.run(check_env) is True
                )
            else:
                spec = (facts or {}).get(plan.list_fact)
                scope = marks.scope(check_env, spec.fields if spec is not None else None)
                if span is not None:  # a ranged row's score: over its range, not any number
                    ends = Span(Fraction(span[0]), Fraction(span[1]), True, True)
                    scope = dataclasses.replace(scope, numbers={**scope.numbers, "score": ends})
                decided = _checks(plan.checks, check_env, marks, scope)
                warnings.extend(_naming(decided, "row_", {"name": name}))
        except ScoringError as exc:
            raise _in_record(exc, leaf_id, name, (plan.list_fact, index, record)) from exc
    return _Expansion(tuple(results), tuple(warnings), claims, group_max, rounding)


def _known_shape(plan: RecordsPlan, records: list[Mapping[str, object]]) -> None:
    """A record's id, name, points and kind make the scorecard's row: they cannot be unknown."""
    for i, record in enumerate(records):
        for name in (plan.id_field, plan.name_field, plan.max_field, plan.select_field):
            if name is not None and isinstance(record.get(name), Unknown):
                raise FactValueError(
                    Problem(
                        "unknown-not-allowed",
                        Message(
                            "formula-record-unknown-shape",
                            number=i + 1,
                            list=plan.list_fact,
                            name=name,
                        ),
                        plan.location,
                        Message("subject-group", id=plan.group),
                        hint=Message("formula-hint-record-unknown-shape"),
                    ),
                    path=(plan.list_fact, i, name),
                )


def _record(
    rule: RecordRulePlan, env: Mapping[str, object], top: Decimal, trace: bool, prefix: str
) -> tuple[Decimal, Recorder]:
    rec = _recorder(trace, prefix)
    raw = REGISTRY[rule.method].run(rule.node, env, top, rec)
    score = finish(raw, ZERO, top, rule.rounding, rec)
    _note(rule.explain, score, top, env, rec)
    return score, rec


def _ids(plan: RecordsPlan, records: list[Mapping[str, object]]) -> list[str]:
    """Each record's leaf id: ``<group>.<id field>``, or ``<group>.<n>`` without one. A bad or
    repeated id is an error at the record's id in the facts, where it is fixed."""
    ids: list[str] = []
    for i, record in enumerate(records):
        given = record.get(plan.id_field) if plan.id_field else None
        suffix = str(i + 1) if given is None else str(given)
        path = (plan.list_fact, i, plan.id_field) if given is not None and plan.id_field else ()
        if given is not None and not _RECORD_ID.match(suffix):
            raise FactValueError(
                Problem(
                    "invalid-id",
                    Message("formula-record-bad-id", number=i + 1, list=plan.list_fact, id=suffix),
                    plan.location,
                    Message("subject-group", id=plan.group),
                    hint=Message("formula-hint-for-example", example=_id_example(suffix, i)),
                ),
                path=path,
            )
        leaf_id = f"{plan.group}.{suffix}"
        if leaf_id in ids:
            raise FactValueError(
                Problem(
                    "duplicate-id",
                    Message("formula-record-duplicate-id", list=plan.list_fact, id=suffix),
                    plan.location,
                    Message("subject-group", id=plan.group),
                ),
                path=path,
            )
        ids.append(leaf_id)
    return ids


def _id_example(given: str, index: int) -> str:
    """An id in the rule built from what was written: `1.1` -> `r1_1`, `a b` -> `a_b`."""
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", given).strip("_")
    if not cleaned:
        return f"r{index + 1}"
    return cleaned if cleaned[0].isascii() and cleaned[0].isalpha() else f"r{cleaned}"


def _points(plan: RecordsPlan, record: Mapping[str, object], index: int) -> Decimal:
    value = record[plan.max_field]
    if not isinstance(value, Decimal) or value <= 0:
        raise ScoringError(
            Problem(
                "invalid-value",
                Message(
                    "formula-record-bad-points",
                    number=index + 1,
                    list=plan.list_fact,
                    field=plan.max_field,
                    value=value,
                ),
                plan.location,
                Message("subject-group", id=plan.group),
            )
        )
    return value


def _in_record(
    exc: ScoringError,
    leaf_id: str,
    name: object,
    row: tuple[str, int, Mapping[str, object]],
) -> PerfscoreError:
    """The same error, naming the record's indicator so a reviewer finds the row; a fact value's
    path then leads into the record (`row`: list fact, index, record) when it is a field."""
    subject = Message("formula-subject-record", id=leaf_id, name=name)
    problems = [dataclasses.replace(p, subject=subject) for p in exc.problems]
    if isinstance(exc, FactValueError):
        list_fact, index, record = row
        field_path = exc.path and exc.path[0] in record
        path = (list_fact, index, *exc.path) if field_path else exc.path
        return FactValueError(problems, exc.summary, path=path)
    return type(exc)(problems)
