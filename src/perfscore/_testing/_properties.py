"""Property checks: every arithmetic promise about a scorecard, and the `assert_*` runners."""

from __future__ import annotations

import decimal
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

import hypothesis
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import BaseModel

from perfscore import (
    IndicatorScore,
    PerfscoreError,
    Rubric,
    Scorecard,
    ScoringError,
    TraceStep,
)
from perfscore._engine._finish import effective_rounding
from perfscore._load._model import (
    NUMBER_TYPES,
    Bonus,
    FactSpec,
    Indicator,
    Interval,
    RecordsSpec,
    Rounding,
)
from perfscore._numbers import CONTEXT
from perfscore._testing._facts import (
    EPOCH_HIGH,
    EPOCH_LOW,
    WIDE,
    facts_for,
    filled,
    fillings,
    numbers,
    records_groups,
    unknowns_in,
    walk,
    with_unknowns,
)

_T = TypeVar("_T")


def is_data_dependent(error: BaseException) -> bool:
    """True for errors random valid facts may legitimately cause: every `ScoringError`.

    Those are zero-division, no-band, invalid-operation (a negative deduction, the mean of an
    empty list), number-too-large, and a tier that cannot be scored: an assessed score outside
    its tier (``tier-mismatch``) or a tier without a default and no assessed score
    (``missing-fact``).
    """
    return isinstance(error, ScoringError)


def replay_trace(steps: Sequence[TraceStep]) -> Decimal:
    """Replay a trace: the first step's value, minus each deduction, else each step's value.

    Raises:
        AssertionError: the trace is empty, a deduction has no amount, or a deduction's
            recorded running value differs from the replayed one.
    """
    if not steps:
        raise AssertionError("the trace has no steps")
    with decimal.localcontext(CONTEXT):  # the engine's own arithmetic
        return _replay(steps)


def _replay(steps: Sequence[TraceStep]) -> Decimal:
    value = steps[0].value
    for i, step in enumerate(steps[1:], 1):
        if step.kind == "deduction":
            if step.amount is None:
                raise AssertionError(f"step {i} is a deduction without an amount")
            value -= step.amount
            if value != step.value:
                raise AssertionError(
                    f"step {i}: {value} after deducting {step.amount}, but the trace says "
                    f"{step.value}"
                )
        else:
            value = step.value
    return value


def _effective_rounding(rubric: Rubric) -> dict[str, Rounding | None]:
    default = rubric.model.rounding
    items: list[Indicator | Bonus] = [*walk(rubric), *rubric.model.bonus]
    return {item.id: effective_rounding(item.rounding, default) for item in items}


def _records_specs(rubric: Rubric) -> dict[str, RecordsSpec]:
    """Every records group's spec, by group id."""
    return {group.id: spec for group, spec in records_groups(rubric)}


def _record_rounding(rubric: Rubric, spec: RecordsSpec, ind: IndicatorScore) -> Rounding | None:
    """The rounding of a record's rule, found by the kind its trace rules are prefixed with."""
    if ind.trace is None:
        return None
    fired = [s.rule for s in ind.trace.steps if s.rule]
    kinds = [k for k in spec.rules if fired and fired[0].startswith(f"{k}:")]
    if not kinds:
        return None
    return effective_rounding(spec.rules[max(kinds, key=len)].rounding, rubric.model.rounding)


def _fail(message: str) -> None:
    raise AssertionError(message)


def check_scorecard(rubric: Rubric, card: Scorecard, *, not_applicable: Sequence[str] = ()) -> None:
    """Check one scorecard against the rubric's arithmetic promises.

    Every leaf score lies in [0, max] (bonus in [min, max]) and is a multiple of its rounding
    step (a records leaf: its rule's) unless it sits on a bound; a leaf not marked not
    applicable keeps its declared max; the leaves of a records group carry exactly the group's
    max; each group is the sum of its children and lies in [0, max]; the base total is the sum
    of the top-level groups; the total is base + bonus (the base converted by ``scale_to`` when
    declared) under the cap and floor; the grade is the first whose min the total reaches;
    every trace replays to its score.

    Raises:
        AssertionError: naming the indicator or group and the numbers that disagree.
    """
    with decimal.localcontext(CONTEXT):  # sums as the engine forms them
        if card.total_range is not None or any(i.range for i in card.indicators):
            _check_ranges(card)
            return
        _check_indicators(rubric, card, not_applicable)
        _check_groups(rubric, card)


def _check_ranges(card: Scorecard) -> None:
    """A scorecard with ranges: each range within its bounds, low below high, a range in place
    of a score and never both, groups and the total spanning what their parts span."""
    for ind in card.indicators:
        where = f"indicator {ind.id!r}"
        if (ind.score is None) == (ind.range is None):
            _fail(f"{where}: has both a score and a range, or neither")
        if not ind.min <= ind.low <= ind.high <= ind.max:
            _fail(f"{where}: range [{ind.low}, {ind.high}] outside [{ind.min}, {ind.max}]")
    low = {g.id: Decimal(0) for g in card.groups}
    high = dict(low)
    for ind in card.indicators:
        if ind.group is not None:
            low[ind.group] += ind.low
            high[ind.group] += ind.high
    for group in reversed(card.groups):
        g_low = group.range.min if group.range else _d(group.score)
        g_high = group.range.max if group.range else _d(group.score)
        if (g_low, g_high) != (low[group.id], high[group.id]):
            _fail(f"group {group.id!r}: [{g_low}, {g_high}] is not the sum of its children")
        if group.parent is not None:
            low[group.parent] += g_low
            high[group.parent] += g_high
    if card.total_range is not None and card.total is not None:
        _fail("a scorecard with a total range has a total too")


def _d(value: Decimal | None) -> Decimal:
    """A score of an exact scorecard (never None there)."""
    if value is None:
        _fail("an exact scorecard has a score of None")
    assert value is not None
    return value


def _check_indicators(rubric: Rubric, card: Scorecard, not_applicable: Sequence[str]) -> None:
    declared = {leaf.id: leaf for leaf in walk(rubric)}
    bonus = {item.id: item for item in rubric.model.bonus}
    rounding = _effective_rounding(rubric)
    records = _records_specs(rubric)
    na = set(not_applicable)
    for ind in card.indicators:
        if ind.id not in rounding and ind.group in records:
            rounding[ind.id] = _record_rounding(rubric, records[ind.group], ind)
        where = f"indicator {ind.id!r}"
        if not ind.min <= _d(ind.score) <= ind.max:
            _fail(f"{where}: score {_d(ind.score)} outside [{ind.min}, {ind.max}]")
        if ind.kind == "bonus":
            item = bonus[ind.id]
            if (ind.min, ind.max) != (item.min, item.max):
                _fail(f"{where}: bounds [{ind.min}, {ind.max}] are not the declared ones")
        else:
            if ind.min != 0:
                _fail(f"{where}: min is {ind.min}, not 0")
            leaf = declared.get(ind.id)
            if not na and leaf is not None and ind.max != leaf.max:
                _fail(f"{where}: max {ind.max} is not the declared {leaf.max}")
            if ind.id in na and not ind.applicable and (_d(ind.score) != 0 or ind.max != 0):
                _fail(f"{where}: excluded but scored {_d(ind.score)} of {ind.max}")
        step = rounding.get(ind.id)
        if step is not None and _d(ind.score) not in (ind.min, ind.max) and ind.applicable:
            with decimal.localcontext(WIDE):
                if _d(ind.score) % step.step:
                    _fail(f"{where}: score {_d(ind.score)} is not a multiple of {step.step}")
        if ind.trace is not None:
            replayed = replay_trace(ind.trace.steps)
            if replayed != _d(ind.score):
                _fail(f"{where}: the trace replays to {replayed}, the score is {_d(ind.score)}")


def _check_groups(rubric: Rubric, card: Scorecard) -> None:
    children: dict[str, Decimal] = {g.id: Decimal(0) for g in card.groups}
    for ind in card.indicators:
        if ind.group is not None:
            children[ind.group] += _d(ind.score)
    for group in card.groups:
        if group.parent is not None:
            children[group.parent] += _d(group.score)
    leaf_max: dict[str, Decimal] = {}
    for ind in card.indicators:
        if ind.group is not None:
            leaf_max[ind.group] = leaf_max.get(ind.group, Decimal(0)) + ind.max
    records = _records_specs(rubric)
    for group in card.groups:
        if group.id in records and group.id in leaf_max and leaf_max[group.id] != group.max:
            _fail(
                f"group {group.id!r}: its records carry {leaf_max[group.id]} points, "
                f"its max is {group.max}"
            )
        if _d(group.score) != children[group.id]:
            _fail(
                f"group {group.id!r}: score {_d(group.score)} is not the sum of its children "
                f"({children[group.id]})"
            )
        if not 0 <= _d(group.score) <= group.max:
            _fail(f"group {group.id!r}: score {_d(group.score)} outside [0, {group.max}]")
    tops = [g for g in card.groups if g.parent is None]
    base = sum((_d(g.score) for g in tops), Decimal(0))
    if _d(card.base_total) != base:
        _fail(f"base total {card.base_total} is not the sum of the top-level groups ({base})")
    top_max = sum((g.max for g in tops), Decimal(0))
    if card.max_total != top_max:
        _fail(f"max total {card.max_total} is not the sum of the top-level maxima ({top_max})")
    bonus = sum((_d(i.score) for i in card.indicators if i.kind == "bonus"), Decimal(0))
    if _d(card.bonus_total) != bonus:
        _fail(f"bonus total {card.bonus_total} is not the sum of the bonus scores ({bonus})")
    total = base + bonus
    policy = rubric.model.total
    cap, floor = (policy.cap, policy.floor) if policy else (None, Decimal(0))
    scale_to = policy.scale_to if policy else None
    if scale_to is not None and top_max != scale_to and top_max > 0:
        total = base * scale_to / top_max + bonus
    if cap is not None and total > cap:
        total = cap
    total = max(total, floor)
    if _d(card.total) != total:
        _fail(
            f"total {_d(card.total)}, expected {total} (base {base} + bonus {bonus}, cap {cap}, "
            f"floor {floor})"
        )
    if card.total_trace is not None and card.total_trace[-1].value != _d(card.total):
        _fail(
            f"the total trace ends at {card.total_trace[-1].value}, the total is {_d(card.total)}"
        )
    grade = next(
        (g.grade for g in rubric.model.grades if g.min is None or _d(card.total) >= g.min),
        rubric.model.grades[-1].grade,
    )
    if card.grade != grade:
        _fail(f"grade {card.grade!r} for total {_d(card.total)}, the bands give {grade!r}")


def _settings(max_examples: int, parent: hypothesis.settings | None) -> hypothesis.settings:
    if max_examples < 1:
        raise InvalidArgument(f"max_examples={max_examples} must be at least 1")
    return hypothesis.settings(
        parent,
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[
            *(parent.suppress_health_check if parent is not None else ()),
            hypothesis.HealthCheck.too_slow,
            hypothesis.HealthCheck.data_too_large,
            hypothesis.HealthCheck.filter_too_much,
        ],
    )


def _evaluate(
    rubric: Rubric, facts: Mapping[str, object], not_applicable: Sequence[str] = ()
) -> Scorecard | None:
    """Evaluate; None (and a Hypothesis event) for a data-dependent error, else re-raise."""
    try:
        return rubric.evaluate(facts, not_applicable=not_applicable)
    except PerfscoreError as exc:
        if not is_data_dependent(exc):
            raise
        hypothesis.event(f"data-dependent error: {exc.code}")
        return None


def _not_applicable_choices(rubric: Rubric) -> list[str]:
    return [leaf.id for leaf in walk(rubric) if leaf.not_applicable != "forbidden"]


def assert_within_bounds(
    rubric: Rubric, *, max_examples: int = 100, settings: hypothesis.settings | None = None
) -> None:
    """Check `check_scorecard` on random valid facts (and random not-applicable marks).

    Data-dependent scoring errors (see `is_data_dependent`) are allowed; any other perfscore
    error for valid facts, and any exception that is not a perfscore error, fails.

    Args:
        rubric: the rubric under test.
        max_examples: how many facts documents to try.
        settings: Hypothesis settings to start from (default: the active profile), e.g.
            ``hypothesis.settings(derandomize=True)``; `max_examples` and ``deadline=None``
            apply on top.

    Raises:
        AssertionError: with the falsifying facts.
    """
    facts = facts_for(rubric)
    choices = _not_applicable_choices(rubric)
    marks = st.lists(st.sampled_from(choices), unique=True) if choices else st.just([])

    @_settings(max_examples, settings)
    @hypothesis.given(facts=facts, na=marks)
    def within_bounds(facts: dict[str, object], na: list[str]) -> None:
        card = _evaluate(rubric, facts, not_applicable=na)
        if card is not None:
            check_scorecard(rubric, card, not_applicable=na)

    within_bounds()


def _shuffled(value: _T, rng: random.Random) -> _T:
    """The same data with every mapping's keys in a random order."""
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}  # type: ignore[return-value]
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]  # type: ignore[return-value]
    return value


def assert_deterministic(
    rubric: Rubric, *, max_examples: int = 50, settings: hypothesis.settings | None = None
) -> None:
    """Check that scoring is a function of the facts alone.

    Evaluating the same facts twice, with the keys of the facts (and of each list record) in
    another order, and with traces off, gives equal scorecards, identical JSON and the same
    ``facts_sha256``; a data-dependent error is raised every time or never.

    Raises:
        AssertionError: with the falsifying facts.
    """

    @_settings(max_examples, settings)
    @hypothesis.given(facts=facts_for(rubric), seed=st.integers(0, 2**32 - 1))
    def deterministic(facts: dict[str, object], seed: int) -> None:
        shuffled = _shuffled(facts, random.Random(seed))  # noqa: S311 - not for security
        outcomes: list[Scorecard | PerfscoreError] = []
        for attempt in (facts, facts, shuffled):
            try:
                outcomes.append(rubric.evaluate(attempt))
            except PerfscoreError as exc:
                if not is_data_dependent(exc):
                    raise
                outcomes.append(exc)
        first = outcomes[0]
        if isinstance(first, PerfscoreError):
            for other in outcomes[1:]:
                if not isinstance(other, PerfscoreError) or str(other) != str(first):
                    _fail(f"the same facts raised {first} once and gave {other!r} another time")
            return
        text = first.to_json()
        for other in outcomes[1:]:
            if not isinstance(other, Scorecard) or other != first or other.to_json() != text:
                _fail("the same facts (keys reordered or not) gave different scorecards")
        untraced = rubric.evaluate(facts, trace=False)
        for a, b in zip(first.indicators, untraced.indicators, strict=True):
            if a.score != b.score:
                _fail(f"indicator {a.id!r}: {a.score} with traces, {b.score} without")
        if (untraced.total, untraced.grade) != (first.total, first.grade):
            _fail("traces on and off gave different totals or grades")

    deterministic()


def _ordered(spec: FactSpec) -> st.SearchStrategy[object] | None:
    """Values of a fact that can be ordered for a monotonicity check, or None."""
    if spec.type in NUMBER_TYPES:
        return numbers(spec, "fact")
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "date":
        return st.dates(EPOCH_LOW, EPOCH_HIGH)
    return None


def _edges(rubric: Rubric) -> list[Decimal]:
    """The numbers where scores may step: band and plausible range edges, and constants."""
    found: set[Decimal] = {c.value for c in rubric.model.constants.values()}
    stack: list[object] = [rubric.model]
    while stack:
        node = stack.pop()
        if isinstance(node, Interval):
            found.update(e for e in (node.low, node.high) if e is not None)
        elif isinstance(node, BaseModel):
            stack.extend(getattr(node, name) for name in type(node).model_fields)
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return sorted(found)


def _pairs(
    strategy: st.SearchStrategy[object], near: Sequence[Decimal]
) -> st.SearchStrategy[list[object]]:
    """Two values of a fact: from `strategy`, or (half the time) two of `near` close by."""
    anywhere = st.lists(strategy, min_size=2, max_size=2)
    if len(near) < 2:
        return anywhere

    def close(i: int) -> st.SearchStrategy[list[object]]:
        return st.sampled_from(near[i + 1 : i + 7]).map(lambda b: [near[i], b])

    nearby = st.integers(0, len(near) - 2).flatmap(close)
    return st.integers(0, 1).flatmap(lambda pick: nearby if pick else anywhere)


def _near_edges(spec: FactSpec, edges: Sequence[Decimal]) -> list[Decimal]:
    """Valid values of a number fact at and just beside each edge."""
    if spec.type not in NUMBER_TYPES:
        return []
    low, high = spec.bounds
    steps = (Decimal(1),) if spec.type == "integer" else (Decimal("0.01"), Decimal(1))
    out: set[Decimal] = set()
    for edge in edges:
        for value in (edge, *(edge - s for s in steps), *(edge + s for s in steps)):
            if spec.type == "integer" and value != value.to_integral_value():
                continue
            if (low is None or value >= low) and (high is None or value <= high):
                out.add(value)
    return sorted(out)


def check_properties(rubric: Rubric, *, max_examples: int = 100) -> list[tuple[str, str, str]]:
    """Run every declared ``monotonic`` promise (`assert_monotonic`), each on its own, with
    the same examples on every run (derandomized, no example database).

    Returns:
        (indicator, fact, the counterexample in a sentence) for each broken promise.
    """
    failures: list[tuple[str, str, str]] = []
    quiet = hypothesis.settings(database=None, derandomize=True, print_blob=False)
    for declaration in _declarations(rubric):
        try:
            _monotonic(rubric, [declaration], max_examples, quiet)
        except AssertionError as exc:
            sentence = str(exc).strip().splitlines()[0]
            failures.append((declaration[0], declaration[1], sentence))
    return failures


def _declarations(rubric: Rubric) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for leaf in walk(rubric):
        for fact, direction in (leaf.monotonic or {}).items():
            out.append((leaf.id, fact, direction))
    return out


def _score(card: Scorecard, indicator: str) -> Decimal:
    found: IndicatorScore = card.indicator(indicator)
    return _d(found.score)


def assert_monotonic(
    rubric: Rubric, *, max_examples: int = 100, settings: hypothesis.settings | None = None
) -> None:
    """Check every ``monotonic: {fact: increasing|decreasing}`` declaration.

    For random facts and two values ``a < b`` of the declared fact (all else equal), the
    indicator's score with ``b`` is not below (``increasing``) or above (``decreasing``) its
    score with ``a``. Booleans order false < true and dates by time. A rubric without
    declarations passes trivially.

    Raises:
        AssertionError: naming the indicator, the fact, both values and both scores.
        InvalidArgument: a declaration names a fact whose type has no order.
    """
    _monotonic(rubric, _declarations(rubric), max_examples, settings)


def _monotonic(
    rubric: Rubric,
    declarations: list[tuple[str, str, str]],
    max_examples: int,
    settings: hypothesis.settings | None,
) -> None:
    if not declarations:
        return
    schema = rubric.model.facts
    values: dict[str, st.SearchStrategy[list[object]]] = {}
    edges = _edges(rubric)
    for _, fact, _ in declarations:
        strategy = _ordered(schema[fact])
        if strategy is None:
            raise InvalidArgument(f"monotonic fact {fact!r} is {schema[fact].type}, not ordered")
        # pairs of values at and beside the rubric's own cut points, a few cut points apart,
        # find a band that steps the wrong way in a few examples where uniform values would
        # need hundreds; the other half of the pairs are drawn from the whole range
        values[fact] = _pairs(strategy, _near_edges(schema[fact], edges))

    @_settings(max_examples, settings)
    @hypothesis.given(
        facts=facts_for(rubric), declaration=st.sampled_from(declarations), data=st.data()
    )
    def monotonic(
        facts: dict[str, object], declaration: tuple[str, str, str], data: st.DataObject
    ) -> None:
        indicator, fact, direction = declaration
        a, b = data.draw(values[fact])
        low, high = sorted((a, b))  # type: ignore[type-var]
        cards = []
        for value in (low, high):
            card = _evaluate(rubric, {**facts, fact: value})
            if card is None:
                return
            cards.append(_score(card, indicator))
        before, after = cards
        wrong = after < before if direction == "increasing" else after > before
        if wrong:
            _fail(
                f"indicator {indicator!r} is declared {direction} in {fact!r}, but "
                f"{fact}={low} scores {before} and {fact}={high} scores {after}"
            )

    monotonic()


def assert_trace_replays(
    rubric: Rubric, *, max_examples: int = 100, settings: hypothesis.settings | None = None
) -> None:
    """Check that every indicator's trace, replayed (see `replay_trace`), gives its score.

    Raises:
        AssertionError: naming the indicator, the replayed value and the score.
    """

    @_settings(max_examples, settings)
    @hypothesis.given(facts=facts_for(rubric))
    def replays(facts: dict[str, object]) -> None:
        card = _evaluate(rubric, facts)
        if card is None:
            return
        for ind in card.indicators:
            if ind.trace is None:
                raise AssertionError(f"indicator {ind.id!r} has no trace")
            replayed = replay_trace(ind.trace.steps)
            if replayed != ind.score:
                _fail(f"indicator {ind.id!r}: the trace replays to {replayed}, not {ind.score}")

    replays()


def _within(where: str, exact: Decimal | None, low: Decimal, high: Decimal) -> None:
    if exact is None or not low <= exact <= high:
        _fail(f"{where}: the filled-in score {exact} lies outside the range [{low}, {high}]")


def check_range_holds(ranged: Scorecard, exact: Scorecard) -> None:
    """Check that `exact`, a scorecard of facts whose unknown values were filled in, lies
    within `ranged`, the scorecard of the facts with those values unknown: every indicator,
    group and total inside its range (or equal to its score), its grade a possible grade.

    Raises:
        AssertionError: naming the indicator, group or total and the numbers that disagree.
    """
    scores = {i.id: i for i in exact.indicators}
    if set(scores) != {i.id for i in ranged.indicators}:
        _fail("filling the unknown values in changed the indicators")
    for ind in ranged.indicators:
        _within(f"indicator {ind.id!r}", scores[ind.id].score, ind.low, ind.high)
    groups = {g.id: g for g in exact.groups}
    for group in ranged.groups:
        low = group.range.min if group.range else _d(group.score)
        high = group.range.max if group.range else _d(group.score)
        _within(f"group {group.id!r}", groups[group.id].score, low, high)
    if ranged.total_range is not None:
        _within("total", exact.total, ranged.total_range.min, ranged.total_range.max)
        if exact.grade not in (ranged.grades_possible or ()):
            _fail(f"grade {exact.grade!r} is not among {ranged.grades_possible}")
    else:
        _within("total", exact.total, _d(ranged.total), _d(ranged.total))
        if exact.grade != ranged.grade:
            _fail(f"grade {exact.grade!r}, the scorecard without fillings says {ranged.grade!r}")


def assert_ranges_hold(
    rubric: Rubric,
    *,
    max_examples: int = 100,
    fillings_per_example: int = 3,
    settings: hypothesis.settings | None = None,
) -> None:
    """Check that declaring values unknown gives ranges that hold every filling.

    Random valid facts get one to three values (facts, record fields, lists no records group
    expands) declared ``{unknown: true}``; the scorecard of those facts must hold, in its
    ranges, the scorecard of the original values and of `fillings_per_example` other fillings
    drawn within each value's bounds (`check_range_holds`). Data-dependent scoring errors are
    allowed, as in the other checks.

    Raises:
        AssertionError: with the falsifying facts, holes and filling.
    """
    if fillings_per_example < 0:
        raise InvalidArgument(f"fillings_per_example={fillings_per_example} must be at least 0")

    @hypothesis.settings(_settings(max_examples, settings))
    @hypothesis.given(st.data())
    def ranges_hold(data: st.DataObject) -> None:
        facts = data.draw(facts_for(rubric), label="facts")
        holes = data.draw(unknowns_in(rubric, facts), label="unknown")
        if not holes:
            return
        ranged = _evaluate(rubric, with_unknowns(facts, holes))
        if ranged is None:
            return
        check_scorecard(rubric, ranged)
        tries = [facts] + [
            filled(facts, data.draw(fillings(rubric, holes), label=f"filling {i}"))
            for i in range(fillings_per_example)
        ]
        for values in tries:
            exact = _evaluate(rubric, values)
            if exact is not None:
                check_range_holds(ranged, exact)

    ranges_hold()
