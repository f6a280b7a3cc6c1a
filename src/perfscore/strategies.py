"""Hypothesis strategies for perfscore rubrics and facts, and ready-made property checks.

Needs the ``hypothesis`` extra (``pip install 'perfscore[hypothesis]'``).

Strategies:

* `facts_for(rubric)`: valid ``facts`` mappings for a rubric, drawn from its fact schema, edges
  included (the bounds themselves, zero where the bounds allow it, empty lists, optional facts
  left out).
* `invalid_facts_for(rubric)`: ``(facts, code)`` pairs, each mapping wrong in exactly one place,
  with the error code `Rubric.evaluate` must raise.
* `rubric_documents()` / `rubrics()`: random well-formed rubrics, as plain data or as YAML/JSON
  text that `perfscore.parse_rubric` accepts.

Property checks, each a plain function that runs a Hypothesis test and raises AssertionError
(with the falsifying example) when the rubric or perfscore breaks a promise::

    import perfscore
    from perfscore import strategies

    RUBRIC = perfscore.load_rubric("rubric/my-rubric/2024.1.yaml")

    def test_scores_stay_within_bounds():
        strategies.assert_within_bounds(RUBRIC)

    def test_scores_are_deterministic():
        strategies.assert_deterministic(RUBRIC, max_examples=50)

    def test_declared_monotonicity_holds():
        strategies.assert_monotonic(RUBRIC)   # indicators with `monotonic: {fact: ...}`

    def test_traces_replay():
        strategies.assert_trace_replays(RUBRIC)

Or write your own properties with the strategies::

    from hypothesis import given

    @given(strategies.facts_for(RUBRIC))
    def test_spend_rate_never_exceeds_six(facts):
        card = RUBRIC.evaluate(facts)
        assert card.indicator("spend_rate").score <= 6

Call the ``assert_*`` functions from plain test functions, not from inside another ``@given``
test. They run under the active Hypothesis settings profile, or the ``settings=`` you pass, with
`max_examples` and ``deadline=None`` on top. Scoring errors that depend on the data (a zero
division, a value in no band, an assessed score outside its tier; see `is_data_dependent`) are
legitimate outcomes of random facts and do not fail the checks; any other perfscore error for
valid facts, and any exception that is not a perfscore error, does.

Building blocks for your own properties: `check_scorecard` (every arithmetic promise about one
scorecard), `replay_trace` (an indicator's trace replayed to its score) and `dump_rubric`
(rubric data to YAML or JSON text with exact decimals).

`rubrics()` covers the rubric format of docs/rubric-format.md except ``extends``, records
groups (``records=True`` for always) and ``total.scale_to`` included; `facts_for` handles
rubrics that use them, and draws records whose points mostly add up to their group's max.
"""

from __future__ import annotations

try:
    import hypothesis
    from hypothesis import strategies as st
except ImportError as _exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "perfscore.strategies needs Hypothesis; install it with "
        "`pip install 'perfscore[hypothesis]'`"
    ) from _exc

import datetime as dt
import decimal
import functools
import itertools
import json
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TypeVar

import yaml
from hypothesis.errors import InvalidArgument

from perfscore._errors import FactsError, PerfscoreError, ScoringError
from perfscore._load import _facts
from perfscore._load._model import (
    FactSpec,
    FieldSpec,
    Group,
    Indicator,
    Interval,
    RecordsSpec,
    Rounding,
    TiersMethod,
)
from perfscore._numbers import CONTEXT
from perfscore._output._scorecard import IndicatorScore, Scorecard, TraceStep
from perfscore._rubric import Rubric

__all__ = [
    "DEFAULT_SPAN",
    "assert_deterministic",
    "assert_monotonic",
    "assert_trace_replays",
    "assert_within_bounds",
    "check_scorecard",
    "dump_rubric",
    "facts_for",
    "invalid_facts_for",
    "is_data_dependent",
    "replay_trace",
    "rubric_documents",
    "rubrics",
]

#: Numbers without a declared bound are drawn within ±DEFAULT_SPAN.
DEFAULT_SPAN = Decimal(10) ** 9

_T = TypeVar("_T")
_WIDE = decimal.Context(prec=80, Emax=10_000, Emin=-10_000)
_EPOCH_LOW, _EPOCH_HIGH = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
# Text a document could hold: no control, format, surrogate or separator characters.
_TEXT = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=30)


# --------------------------------------------------------------------------- facts


def _number_bounds(spec: FactSpec | FieldSpec) -> tuple[Decimal, Decimal]:
    """The inclusive range valid values of a number, integer or percent fact are drawn from."""
    percent = spec.type == "percent"
    low = spec.min if spec.min is not None else (Decimal(0) if percent else -DEFAULT_SPAN)
    high = spec.max if spec.max is not None else (Decimal(100) if percent else DEFAULT_SPAN)
    low, high = max(low, -_facts.MAX_MAGNITUDE), min(high, _facts.MAX_MAGNITUDE)
    if spec.type == "integer":
        with decimal.localcontext(_WIDE):
            low = low.to_integral_value(decimal.ROUND_CEILING)
            high = high.to_integral_value(decimal.ROUND_FLOOR)
    return low, high


def _scaled(low: Decimal, high: Decimal, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals in [low, high] with exactly `places` decimal places (nothing if none fit)."""
    with decimal.localcontext(_WIDE):
        lo = int((low.scaleb(places)).to_integral_value(decimal.ROUND_CEILING))
        hi = int((high.scaleb(places)).to_integral_value(decimal.ROUND_FLOOR))
    if lo > hi:
        return st.nothing()
    return st.integers(lo, hi).map(lambda n: Decimal(n).scaleb(-places))


def _numbers(spec: FactSpec | FieldSpec, name: str) -> st.SearchStrategy[object]:
    """Valid values of a number-like fact, weighted towards its edges and zero."""
    low, high = _number_bounds(spec)
    if low > high:
        raise InvalidArgument(
            f"fact {name!r}: no {spec.type} value lies within [{spec.min}, {spec.max}]; "
            "fix the fact's bounds"
        )
    edges = [low, high]
    for special in (Decimal(0), Decimal(1), Decimal(-1)):
        if low <= special <= high:
            edges.append(special)
    places = (0,) if spec.type == "integer" else (0, 1, 2, 3, 4)
    inner = st.one_of(*(_scaled(low, high, p) for p in places))
    # one draw in four is an edge: often enough to reach every bound and zero denominator,
    # rarely enough that a rubric dividing by several facts still scores most examples
    numbers = st.one_of(st.sampled_from(edges), inner, inner, inner)
    if spec.type == "integer":  # documents give ints; Python callers give either
        return st.one_of(numbers, numbers.map(int))
    return numbers


def _field_values(spec: FactSpec | FieldSpec, name: str) -> st.SearchStrategy[object]:
    """Valid values of one fact or record field."""
    kind = spec.type
    if kind in ("number", "integer", "percent"):
        return _numbers(spec, name)
    if kind == "boolean":
        return st.booleans()
    if kind == "date":
        days = st.dates(_EPOCH_LOW, _EPOCH_HIGH)
        return st.one_of(days.map(dt.date.isoformat), days)
    if kind == "enum":
        assert spec.values is not None
        return st.sampled_from(spec.values)
    if kind == "text":
        return _TEXT
    assert isinstance(spec, FactSpec)
    record = _record(spec, name)
    limit = _facts.DEFAULT_MAX_ITEMS if spec.max_items is None else spec.max_items
    lists = st.lists(record, max_size=min(limit, 4))
    if 4 < limit <= 20:  # a list exactly at its limit is an edge worth drawing
        lists = st.one_of(lists, st.lists(record, min_size=limit, max_size=limit))
    return lists.map(list)


_ABSENT = object()


def _present(record: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in record.items() if v is not _ABSENT}


def _record(spec: FactSpec, name: str) -> st.SearchStrategy[dict[str, object]]:
    """Valid records of list fact `spec`; each optional field is left out one time in four.

    Records often have several optional fields that rules read behind ``given()``; leaving each
    out half the time (as for optional facts) would leave few records complete enough to score.
    """
    assert spec.fields is not None
    fields: dict[str, st.SearchStrategy[object]] = {}
    for key, sub in spec.fields.items():
        values = _field_values(sub, f"{name}.{key}")
        fields[key] = (
            st.one_of(st.just(_ABSENT), values, values, values) if _optional(sub) else values
        )
    return st.fixed_dictionaries(fields).map(_present)


def _optional(spec: FactSpec | FieldSpec) -> bool:
    return not spec.required or "default" in spec.model_fields_set


def _facts_schema(rubric: Rubric) -> Mapping[str, FactSpec]:
    if not isinstance(rubric, Rubric):
        raise InvalidArgument(
            f"expected a perfscore.Rubric, got {type(rubric).__name__}; "
            "load one with perfscore.load_rubric(path) or perfscore.parse_rubric(text)"
        )
    return rubric.model.facts


def _schema_facts(schema: Mapping[str, FactSpec]) -> st.SearchStrategy[dict[str, object]]:
    required = {k: _field_values(v, k) for k, v in schema.items() if not _optional(v)}
    optional = {k: _field_values(v, k) for k, v in schema.items() if _optional(v)}
    return st.fixed_dictionaries(required, optional=optional).map(dict)


@dataclass(frozen=True)
class _TierRule:
    """A tiers indicator as facts_for sees it: which facts it reads and its ranges in points."""

    level: str
    score: str
    ranges: Mapping[str, Interval]


def _walk(rubric: Rubric) -> Iterator[Indicator]:
    """Every declared leaf indicator, in rubric order (records groups declare none)."""
    stack: list[Group | Indicator] = list(reversed(rubric.model.groups))
    while stack:
        node = stack.pop()
        if isinstance(node, Group):
            stack.extend(reversed(node.children or ()))
        else:
            yield node


@dataclass(frozen=True)
class _RecordsRule:
    """A records group as facts_for sees it: its list fact, fields, points and remedies."""

    group: str
    list: str
    id_field: str | None
    max_field: str
    max: Decimal
    select: str | None
    sum: str
    when_empty: str | None  # None: give_to
    give_to: str | None
    #: the rules that read an assessed score, by kind, with their tier ranges in percent
    tiers: Mapping[str, _TierRule]


def _records_rules(rubric: Rubric) -> list[_RecordsRule]:
    """Every records group, in rubric order (the order the engine settles empty groups in)."""
    rules = []
    stack = list(reversed(rubric.model.groups))
    while stack:
        group = stack.pop()
        stack.extend(reversed([c for c in group.children or () if isinstance(c, Group)]))
        spec = group.records
        if spec is None:
            continue
        tiers = {
            kind: _TierRule(
                rule.tiers.level, rule.tiers.score, _tier_ranges(rule.tiers, Decimal(100))
            )
            for kind, rule in spec.rules.items()
            if rule.tiers is not None and rule.tiers.score is not None
        }
        empty = spec.when_empty
        rules.append(
            _RecordsRule(
                group.id,
                spec.list,
                spec.id,
                spec.max,
                group.max,
                spec.select,
                spec.sum,
                empty if isinstance(empty, str) else None,
                None if isinstance(empty, str) else empty.give_to,
                tiers,
            )
        )
    return rules


def _record_weights(
    groups: Sequence[_RecordsRule], facts: Mapping[str, object]
) -> dict[str, Decimal]:
    """What each records group's records must total, as the engine settles empty groups."""
    weights = {g.group: g.max for g in groups}
    for g in groups:
        rows = facts.get(g.list)
        if isinstance(rows, list) and not rows and g.when_empty != "error":
            if g.give_to in weights:
                weights[g.give_to] += weights[g.group]
            weights[g.group] = Decimal(0)
    return weights


_SHARES = st.integers(1, 4)


@functools.lru_cache(maxsize=32)
def _uniform(n: int) -> st.SearchStrategy[int]:
    return st.sampled_from(range(n))


def _one_in(draw: st.DrawFn, n: int) -> bool:
    """True about one time in `n`.

    Hypothesis draws the simplest choice (index 0) far more often than 1 in `n`, so the rare
    outcome is the last index: the common outcome is also what a failure shrinks towards.
    """
    return draw(_uniform(n)) == n - 1


def _split_points(
    draw: st.DrawFn, group: _RecordsRule, spec: FactSpec, rows: list[Any], weight: Decimal
) -> None:
    """Give `rows` points that total `weight` exactly, when the points field allows it."""
    field = (spec.fields or {}).get(group.max_field)
    if field is None or weight <= 0:
        return
    low, high = _number_bounds(field)
    places = Decimal(1) if field.type == "integer" else Decimal("0.01")
    shares = draw(st.lists(_SHARES, min_size=len(rows), max_size=len(rows)))
    whole = sum(shares)
    with decimal.localcontext(_WIDE):
        parts = [(weight * k / whole).quantize(places, decimal.ROUND_DOWN) for k in shares[:-1]]
        parts.append(weight - sum(parts, Decimal(0)))
    if field.type == "integer" and parts[-1] != parts[-1].to_integral_value():
        return
    if all(p > 0 and low <= p <= high for p in parts):
        for row, part in zip(rows, parts, strict=True):
            if isinstance(row, dict):
                row[group.max_field] = part


def _assessed_in_tier(
    draw: st.DrawFn,
    group: _RecordsRule,
    spec: FactSpec,
    rows: list[Any],
    weight: Decimal,
    facts: Mapping[str, object],
) -> None:
    """Put each record's assessed score inside its tier, as scored against the record's points.

    Nine times in ten; a score outside its tier (``tier-mismatch``) is a legitimate outcome.
    """
    fields = spec.fields or {}
    records = [r for r in rows if isinstance(r, dict)]
    points = [r.get(group.max_field) for r in records]
    if not all(isinstance(p, (int, Decimal)) and p > 0 for p in points):
        return
    with decimal.localcontext(CONTEXT):  # the engine's arithmetic for `full`
        total = sum((Decimal(p) for p in points), Decimal(0))  # type: ignore[arg-type]
        factor = weight / total if group.sum == "rescale" and total != weight else Decimal(1)
    kinds = list(group.tiers) if group.select is None else []
    for record, given in zip(records, points, strict=True):
        kind = record.get(group.select) if group.select else (kinds[0] if kinds else None)
        rule = group.tiers.get(kind) if isinstance(kind, str) else None
        if rule is None or rule.score not in fields or _one_in(draw, 10):
            continue
        level = record.get(rule.level, facts.get(rule.level))
        percent = rule.ranges.get(level) if isinstance(level, str) else None
        if percent is None:
            continue
        with decimal.localcontext(CONTEXT):
            full = Decimal(given) * factor  # type: ignore[arg-type]
        value = draw(_inside(_scale_interval(percent, full), fields[rule.score]))
        if value is not None:
            record[rule.score] = value


_POINTS = tuple(Decimal(p) for p in ("1", "2.5", "5", "10", "20"))


def _usable_records(
    draw: st.DrawFn, rule: _RecordsRule, spec: FactSpec, rows: object
) -> list[dict[str, object]] | None:
    """`rows` made into records a records group can score: ids, positive points, not empty."""
    limit = _facts.DEFAULT_MAX_ITEMS if spec.max_items is None else spec.max_items
    fields = spec.fields or {}
    if limit < 1 or rule.max_field not in fields:
        return None
    records = [dict(r) for r in rows] if isinstance(rows, list) else []
    if not records:
        records = draw(st.lists(_record(spec, rule.list), min_size=1, max_size=min(limit, 3)))
    low, high = _number_bounds(fields[rule.max_field])
    points = [p for p in _POINTS if low <= p <= high and p > 0]
    for i, record in enumerate(records):
        if rule.id_field is not None:
            if draw(st.integers(0, 4)):
                record[rule.id_field] = f"r{i + 1}"
            else:  # without an id the record is numbered by its position
                record.pop(rule.id_field, None)
        value = record.get(rule.max_field)
        if points and not (isinstance(value, (int, Decimal)) and value > 0):
            record[rule.max_field] = draw(st.sampled_from(points))
    return records


def _scale_interval(r: Interval, top: Decimal) -> Interval:
    """A tier's range, given in percent, in points of an indicator worth `top`."""
    return Interval(
        low=None if r.low is None else top * r.low / 100,
        low_inclusive=r.low_inclusive,
        high=None if r.high is None else top * r.high / 100,
        high_inclusive=r.high_inclusive,
    )


def _tier_ranges(tiers: TiersMethod, top: Decimal) -> dict[str, Interval]:
    return {tier.level: _scale_interval(tier.range, top) for tier in tiers.table}


def _tier_rules(rubric: Rubric) -> list[_TierRule]:
    rules = []
    for leaf in _walk(rubric):
        tiers = leaf.tiers
        if tiers is None or tiers.score is None:
            continue
        rules.append(_TierRule(tiers.level, tiers.score, _tier_ranges(tiers, leaf.max)))
    return rules


@st.composite
def _inside(draw: st.DrawFn, interval: Interval, spec: FactSpec | FieldSpec) -> Decimal | None:
    """A valid value of number fact `spec` inside `interval`, or None when none exists."""
    low, high = _number_bounds(spec)
    if interval.low is not None:
        low = max(low, interval.low)
    if interval.high is not None:
        high = min(high, interval.high)
    if low > high:
        return None
    candidates = [v for v in (low, high, (low + high) / 2) if interval.contains(v)]
    value = draw(st.one_of(_scaled(low, high, 2), st.sampled_from(candidates or [low])))
    return value if interval.contains(value) else (candidates[0] if candidates else None)


def facts_for(rubric: Rubric) -> st.SearchStrategy[dict[str, object]]:
    """Valid ``facts`` mappings for `rubric`, drawn from its fact schema.

    Numbers are `Decimal` with up to four decimal places (integer facts also as `int`), within
    the declared bounds (percent facts default to [0, 100]; unbounded numbers lie within
    ±`DEFAULT_SPAN`), with the bounds themselves, 0, 1 and -1 drawn often where they are allowed.
    Dates are ISO text or `datetime.date`; list facts are lists of dicts, empty lists included;
    facts that may be omitted (``required: false`` or with a ``default``) are sometimes left out.
    Where a ``tiers`` indicator reads an assessed score fact, the score usually lies inside the
    chosen tier's range, so that most examples score; sometimes it does not (``tier-mismatch``).
    Likewise the list fact of a ``records`` group usually holds at least one record, with ids
    that make valid indicator ids (or none) and points greater than 0 that, four times in five,
    add up to exactly what the group must total (its max, plus what empty groups give it); a
    group with a ``when_empty`` remedy is sometimes left empty, and assessed scores of records
    scored by ``tiers`` mostly lie inside their tier.

    Args:
        rubric: a loaded `perfscore.Rubric`.

    Returns:
        A strategy of dicts to pass to `Rubric.evaluate`.

    Raises:
        InvalidArgument: `rubric` is not a Rubric, or a fact's bounds admit no value.
    """
    schema = _facts_schema(rubric)
    base = _schema_facts(schema)
    rules = _tier_rules(rubric)
    records = [r for r in _records_rules(rubric) if schema.get(r.list) is not None]
    if not rules and not records:
        return base

    @st.composite
    def consistent(draw: st.DrawFn) -> dict[str, object]:
        facts = draw(base)
        for group in records:
            if _one_in(draw, 20):
                continue  # one time in twenty, leave whatever was drawn
            if group.when_empty != "error" and _one_in(draw, 8):
                facts[group.list] = []  # an empty sheet, so that its remedy applies
                continue
            usable = _usable_records(draw, group, schema[group.list], facts.get(group.list))
            if usable is not None:
                facts[group.list] = usable
        weights = _record_weights(records, facts)
        for group in records:
            rows = facts.get(group.list)
            if not isinstance(rows, list) or not rows:
                continue
            if not _one_in(draw, 5):  # four times in five the points add up to the group's
                _split_points(draw, group, schema[group.list], rows, weights[group.group])
            _assessed_in_tier(draw, group, schema[group.list], rows, weights[group.group], facts)
        for rule in rules:
            level, spec = facts.get(rule.level), schema.get(rule.score)
            if not isinstance(level, str) or spec is None or not draw(st.integers(0, 9)):
                continue  # one time in ten, leave whatever was drawn
            interval = rule.ranges.get(level)
            if interval is not None:
                value = draw(_inside(interval, spec))
                if value is not None:
                    facts[rule.score] = value
        return facts

    return consistent()


# --------------------------------------------------------------------------- invalid facts

_Mutation = Callable[[st.DrawFn, dict[str, object]], str]


def _homoglyph(name: str, known: Mapping[str, object]) -> str:
    """A name that looks like `name` but is not a declared id."""
    swaps = {"e": "\u0435", "a": "\u0430", "o": "\u043e", "p": "\u0440", "c": "\u0441"}
    for latin, cyrillic in swaps.items():
        if latin in name:
            candidate = name.replace(latin, cyrillic, 1)
            if candidate not in known:
                return candidate
    candidate = name + "_x"
    while candidate in known:
        candidate += "x"
    return candidate


def _wrong_number(spec: FactSpec | FieldSpec) -> list[tuple[object, str]]:
    low, high = _number_bounds(spec)
    step = Decimal(1) if spec.type == "integer" else Decimal("0.5")
    sample = low
    wrong: list[tuple[object, str]] = [
        (format(sample, "f"), "fact-type"),
        (f"{format(sample, 'f')}%", "fact-type"),
        ("3,703.85", "fact-type"),
        ("1e3", "fact-type"),
        ("１２", "fact-type"),
        ("12 万元", "fact-type"),
        (True, "fact-type"),
        (float(sample) + 0.5, "fact-type"),
        (None, "fact-type"),
        ([], "fact-type"),
        (Decimal("NaN"), "not-finite"),
        (Decimal("-Infinity"), "not-finite"),
        (_facts.MAX_MAGNITUDE + step, "out-of-bounds"),
        (-_facts.MAX_MAGNITUDE - step, "out-of-bounds"),
    ]
    declared_low = spec.min if spec.min is not None else (0 if spec.type == "percent" else None)
    declared_high = spec.max if spec.max is not None else (100 if spec.type == "percent" else None)
    if declared_low is not None and declared_low - step >= -_facts.MAX_MAGNITUDE:
        below = Decimal(declared_low) - step
        if spec.type == "integer":
            with decimal.localcontext(_WIDE):
                below = below.to_integral_value(decimal.ROUND_FLOOR)
        wrong.append((below, "out-of-bounds"))
    if declared_high is not None and declared_high + step <= _facts.MAX_MAGNITUDE:
        above = Decimal(declared_high) + step
        if spec.type == "integer":
            with decimal.localcontext(_WIDE):
                above = above.to_integral_value(decimal.ROUND_CEILING)
        wrong.append((above, "out-of-bounds"))
    if spec.type == "integer" and low + Decimal("0.5") <= high:
        wrong.append((low + Decimal("0.5"), "fact-type"))
    return wrong


def _wrong_values(spec: FactSpec | FieldSpec) -> list[tuple[object, str]]:
    """Values that break `spec` in one way, each with the error code it must give."""
    kind = spec.type
    if kind in ("number", "integer", "percent"):
        return _wrong_number(spec)
    if kind == "boolean":
        return [(v, "fact-type") for v in ("no", "yes", "true", "是", 1, 0, None)]
    if kind == "date":
        tz = dt.timezone(dt.timedelta(hours=8))
        return [
            (v, "fact-type")
            for v in (
                "2022/01/30",
                "2022-02-30",
                "30-01-2022",
                "2022-1-5",
                "2022-01-30T00:00:00+08:00",
                20220130,
                dt.datetime(2022, 1, 30, tzinfo=tz),
                dt.datetime(2022, 1, 30),  # a naive datetime is the wrong type too
                None,
            )
        ]
    if kind == "enum":
        assert spec.values is not None
        near = spec.values[0].upper()
        while near in spec.values:
            near += "x"
        return [(near, "fact-type"), (1, "fact-type"), (True, "fact-type"), (None, "fact-type")]
    if kind == "text":
        return [
            (5, "fact-type"),
            (True, "fact-type"),
            (None, "fact-type"),
            ("x" * (_facts.MAX_TEXT_LENGTH + 1), "out-of-bounds"),
        ]
    return [({}, "fact-type"), ("rows", "fact-type"), (5, "fact-type"), (None, "fact-type")]


def _mutations(
    schema: Mapping[str, FactSpec], facts: dict[str, object]
) -> list[tuple[str, _Mutation]]:
    """Every single-point breakage applicable to `facts`, by name."""
    out: list[tuple[str, _Mutation]] = []

    def unknown(draw: st.DrawFn, facts: dict[str, object]) -> str:
        name = draw(st.sampled_from(sorted(schema))) if schema else "fact"
        facts[_homoglyph(name, schema)] = draw(st.sampled_from([Decimal(1), "x", True]))
        return "unknown-fact"

    out.append(("unknown fact", unknown))
    for name, spec in schema.items():
        if not _optional(spec):

            def missing(draw: st.DrawFn, facts: dict[str, object], name: str = name) -> str:
                del facts[name]
                return "missing-fact"

            out.append((f"missing {name}", missing))

        def wrong(
            draw: st.DrawFn, facts: dict[str, object], name: str = name, spec: FactSpec = spec
        ) -> str:
            value, code = draw(st.sampled_from(_wrong_values(spec)))
            facts[name] = value
            return code

        out.append((f"wrong {name}", wrong))
        if spec.type == "list":
            out.extend(_record_mutations(name, spec))
    return out


def _record_mutations(name: str, spec: FactSpec) -> list[tuple[str, _Mutation]]:
    assert spec.fields is not None
    fields = spec.fields
    limit = _facts.DEFAULT_MAX_ITEMS if spec.max_items is None else spec.max_items
    out: list[tuple[str, _Mutation]] = []
    record = _record(spec, name)

    def too_long(draw: st.DrawFn, facts: dict[str, object]) -> str:
        facts[name] = [draw(record)] * (limit + 1)
        return "out-of-bounds"

    if limit < 5_000:
        out.append((f"{name} over max_items", too_long))
    if limit < 1:
        return out

    def one_record(draw: st.DrawFn, facts: dict[str, object]) -> tuple[list[Any], dict[str, Any]]:
        rows = list(facts.get(name) or [draw(record)])  # type: ignore[call-overload]
        i = draw(st.integers(0, len(rows) - 1))
        rows[i] = dict(rows[i])
        facts[name] = rows
        return rows, rows[i]

    def field_wrong(draw: st.DrawFn, facts: dict[str, object]) -> str:
        _, row = one_record(draw, facts)
        key = draw(st.sampled_from(sorted(fields)))
        value, code = draw(st.sampled_from(_wrong_values(fields[key])))
        row[key] = value
        return code

    required = sorted(k for k, v in fields.items() if not _optional(v))

    def field_missing(draw: st.DrawFn, facts: dict[str, object]) -> str:
        _, row = one_record(draw, facts)
        row.pop(draw(st.sampled_from(required)), None)
        return "missing-fact"

    def field_unknown(draw: st.DrawFn, facts: dict[str, object]) -> str:
        _, row = one_record(draw, facts)
        row[_homoglyph(draw(st.sampled_from(sorted(fields))), fields)] = Decimal(1)
        return "unknown-fact"

    def not_a_record(draw: st.DrawFn, facts: dict[str, object]) -> str:
        rows, _ = one_record(draw, facts)
        rows[draw(st.integers(0, len(rows) - 1))] = draw(st.sampled_from([5, "x", [], None]))
        return "fact-type"

    out += [
        (f"{name} record field wrong", field_wrong),
        (f"{name} record field unknown", field_unknown),
        (f"{name} record not a mapping", not_a_record),
    ]
    if required:
        out.append((f"{name} record field missing", field_missing))
    return out


def invalid_facts_for(rubric: Rubric) -> st.SearchStrategy[tuple[dict[str, object], str]]:
    """Facts mappings that break `rubric`'s fact schema in exactly one place, with the code.

    Each example starts from a valid mapping (`facts_for`) and applies one breakage: a missing
    required fact, an unknown fact (often a look-alike of a declared id, such as a Cyrillic
    ``е``), a wrong type (text or a float where a number belongs, ``"no"`` for a boolean, a
    non-ISO or impossible date, a datetime, a value an enum does not allow), a number out of its
    bounds or beyond ±10^15, NaN or infinity, an integer with a fraction, a list longer than its
    ``max_items``, or a list record with a wrong, missing or unknown field.

    Returns:
        A strategy of ``(facts, code)``: `Rubric.evaluate(facts)` must raise a `FactsError`
        with exactly one problem, whose code is `code`.
    """
    schema = _facts_schema(rubric)
    valid = _schema_facts(schema)

    @st.composite
    def broken(draw: st.DrawFn) -> tuple[dict[str, object], str]:
        facts = draw(valid)
        options = _mutations(schema, facts)
        label, mutate = draw(st.sampled_from(options))
        hypothesis.note(f"breakage: {label}")
        code = mutate(draw, facts)
        return facts, code

    return broken()


# --------------------------------------------------------------------------- rubrics

# Generating a rubric takes about a thousand small draws; building each strategy once and
# reusing it keeps generation several times faster than the scoring it feeds.


@functools.lru_cache(maxsize=1024)
def _sampled(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


@functools.lru_cache(maxsize=256)
def _integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


_BOOLEANS = st.booleans()


def _pick(draw: st.DrawFn, options: Sequence[_T]) -> _T:
    """One of `options`, through a cached strategy where the options are hashable."""
    try:
        strategy: st.SearchStrategy[_T] = _sampled(tuple(options))
    except TypeError:  # unhashable options, such as mappings
        strategy = st.sampled_from(options)
    return draw(strategy)


def _int(draw: st.DrawFn, low: int, high: int) -> int:
    return draw(_integers(low, high))


def _coin(draw: st.DrawFn) -> bool:
    return draw(_BOOLEANS)


_LITERALS = ("0", "1", "2", "0.5", "3.75", "10", "60", "100", "0.01")
_STEPS = ("0.5", "0.01", "1", "0.1", "0.25", "0.3")
_MODES = ("half_up", "half_even", "half_down", "floor", "ceiling", "down", "up")
_MAXES = ("0.5", "1", "2", "2.5", "3", "4", "5", "6", "10", "20")
_CUTS = ("-10", "0", "10", "50", "60", "80", "90", "100", "1000")
_NAMES = ("预算执行", "产出数量", "效益", "满意度", "合规性", "Output", "Budget")


@dataclass
class _Scope:
    """What formulas being generated may read, by type."""

    numbers: list[str] = field(default_factory=list)
    bools: list[str] = field(default_factory=list)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    lists: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # n, v, k
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    every: list[str] = field(default_factory=list)  # facts and derived values, for templates
    counter: int = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


def _num_literal(draw: st.DrawFn) -> str:
    return _pick(draw, _LITERALS)


def _num_expr(draw: st.DrawFn, scope: _Scope, depth: int) -> str:
    """A number-typed formula over the scope."""
    leaf = st.sampled_from(scope.numbers) if scope.numbers else st.sampled_from(_LITERALS)
    if depth <= 0:
        return draw(st.one_of(leaf, st.sampled_from(_LITERALS)))
    kinds = ["name", "literal", "arith", "arith", "div", "minmax", "abs", "clamp", "round", "if"]
    if scope.lists:
        kinds.append("list")
    if scope.dates:
        kinds.append("days")
    kind = _pick(draw, kinds)
    sub = depth - 1
    if kind == "name":
        return draw(leaf)
    if kind == "literal":
        text = _num_literal(draw)
        return f"-{text}" if _coin(draw) and text != "0" else text
    if kind == "arith":
        op = _pick(draw, "+-*")
        return f"({_num_expr(draw, scope, sub)} {op} {_num_expr(draw, scope, sub)})"
    if kind == "div":
        top, bottom = _num_expr(draw, scope, sub), draw(leaf)
        if _int(draw, 0, 9) == 0:  # now and then unguarded: zero-division is legitimate
            return f"({top} / {bottom})"
        return f"({top} / {bottom} if {bottom} != 0 else {_num_literal(draw)})"
    if kind == "minmax":
        args = [_num_expr(draw, scope, sub) for _ in range(_int(draw, 2, 3))]
        return f"{_pick(draw, ['min', 'max'])}({', '.join(args)})"
    if kind == "abs":
        return f"abs({_num_expr(draw, scope, sub)})"
    if kind == "clamp":
        low, high = sorted(
            Decimal(x) for x in draw(st.lists(st.sampled_from(_LITERALS), min_size=2, max_size=2))
        )
        return f"clamp({_num_expr(draw, scope, sub)}, {low}, {high})"
    if kind == "round":
        func = _pick(draw, ["round", "floor", "ceil"])
        step = f", {_pick(draw, _STEPS)}" if _coin(draw) else ""
        return f"{func}({_num_expr(draw, scope, sub)}{step})"
    if kind == "if":
        cond = _bool_expr(draw, scope, sub)
        return f"({_num_expr(draw, scope, sub)} if {cond} else {_num_expr(draw, scope, sub)})"
    if kind == "days":
        start, end = draw(st.lists(st.sampled_from(scope.dates), min_size=2, max_size=2))
        return f"days({start}, {end})"
    name = _pick(draw, sorted(scope.lists))
    n, v, k = scope.lists[name]
    choice = _int(draw, 0, 4)
    if choice == 0:
        return f"count({name})"
    if choice == 1:
        return f"sum({name}, {v})"
    if choice == 2:
        return f"(mean({name}, {v}) if count({name}) > 0 else 0)"
    if choice == 3 and k is not None:
        return f"count({name}, {k}, 'a')"
    return f"(weighted_mean({name}, {v}, {n}) if sum({name}, {n}) > 0 else 0)"


def _bool_expr(draw: st.DrawFn, scope: _Scope, depth: int) -> str:
    """A bool-typed formula over the scope."""
    kinds = ["compare", "compare"]
    if scope.bools:
        kinds += ["name", "name"]
    if scope.enums:
        kinds.append("enum")
    if scope.texts:
        kinds.append("text")
    if len(scope.dates) >= 1:
        kinds.append("date")
    if depth > 0:
        kinds += ["not", "andor"]
    kind = _pick(draw, kinds)
    sub = max(depth - 1, 0)
    if kind == "name":
        return _pick(draw, scope.bools)
    if kind == "enum":
        name = _pick(draw, sorted(scope.enums))
        value = _pick(draw, scope.enums[name])
        return f"{name} {_pick(draw, ['==', '!='])} '{value}'"
    if kind == "text":
        return f"{_pick(draw, scope.texts)} == '{_pick(draw, ['', 'x'])}'"
    if kind == "date":
        start, end = draw(st.lists(st.sampled_from(scope.dates), min_size=2, max_size=2))
        return f"{start} <= {end}"
    if kind == "not":
        return f"not ({_bool_expr(draw, scope, sub)})"
    if kind == "andor":
        op = _pick(draw, ["and", "or"])
        return f"({_bool_expr(draw, scope, sub)} {op} {_bool_expr(draw, scope, sub)})"
    op = _pick(draw, ["<", "<=", ">", ">=", "==", "!="])
    return f"{_num_expr(draw, scope, sub)} {op} {_num_expr(draw, scope, sub)}"


def _number_fact(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": kind, "label": _pick(draw, ["金额", "比率", "数量"])}
    bounds: tuple[int | str | None, int | str | None]
    if kind == "integer":
        bounds = _pick(draw, [(0, None), (0, 50), (None, None), (1, 10)])
    elif kind == "percent":
        bounds = _pick(draw, [(None, None), (None, None), ("50", "100"), (0, "120")])
    else:
        bounds = draw(
            st.sampled_from(
                [(None, None), (0, None), (0, "1000"), ("-100", "100"), (None, "50"), (0, 0)]
            )
        )
    for key, value in zip(("min", "max"), bounds, strict=True):
        if value is not None:
            spec[key] = Decimal(value)
    if _int(draw, 0, 4) == 0:
        spec["default"] = Decimal(bounds[0]) if bounds[0] is not None else 0
    if _coin(draw):
        spec["unit"] = _pick(draw, ["万元", "%", "项"])
    return spec


def _facts_section(draw: st.DrawFn, scope: _Scope) -> dict[str, dict[str, Any]]:
    facts: dict[str, dict[str, Any]] = {}
    for i in range(_int(draw, 1, 3)):
        facts[f"amount{i}"] = _number_fact(draw, "number")
    for i in range(_int(draw, 0, 2)):
        facts[f"rate{i}"] = _number_fact(draw, "percent")
    for i in range(_int(draw, 0, 2)):
        facts[f"count{i}"] = _number_fact(draw, "integer")
    for i in range(_int(draw, 0, 2)):
        spec: dict[str, Any] = {"type": "boolean", "label": "是否"}
        if _coin(draw):
            spec["default"] = _coin(draw)
        facts[f"flag{i}"] = spec
    for i in range(_int(draw, 0, 2)):
        values = draw(
            st.lists(st.sampled_from(["achieved", "partial", "none"]), min_size=1, unique=True)
        )
        facts[f"level{i}"] = {"type": "enum", "label": "程度", "values": values}
    for i in range(_int(draw, 0, 2)):
        facts[f"day{i}"] = {"type": "date", "label": "日期"}
    if _coin(draw):
        text: dict[str, Any] = {"type": "text", "label": "说明"}
        if _coin(draw):
            text["default"] = ""
        facts["note"] = text
    if _coin(draw):
        fields: dict[str, Any] = {
            "n": {"type": "integer", "label": "份数", "min": _pick(draw, [0, 1])},
            "v": _number_fact(draw, _pick(draw, ["percent", "number"])),
            "k": {"type": "enum", "label": "类", "values": ["a", "b"]},
        }
        fields["v"].pop("default", None)
        rows: dict[str, Any] = {"type": "list", "label": "明细", "fields": fields}
        max_items = _pick(draw, [None, 0, 1, 3, 10])
        if max_items is not None:
            rows["max_items"] = max_items
        facts["rows"] = rows
    for i in range(_int(draw, 0, 2)):
        assessed: dict[str, Any] = {"type": "number", "label": "评分", "required": False}
        if _coin(draw):
            assessed["min"] = 0
        facts[f"assessed{i}"] = assessed
    if _coin(draw):  # an optional fact no formula may read, only templates
        facts["remark"] = {"type": "text", "label": "备注", "required": False}
    for name, spec in facts.items():
        scope.facts[name] = spec
        scope.every.append(name)
        readable = spec.get("required", True)
        kind = spec["type"]
        if not readable:
            continue
        if kind in ("number", "integer", "percent"):
            scope.numbers.append(name)
        elif kind == "boolean":
            scope.bools.append(name)
        elif kind == "enum":
            scope.enums[name] = tuple(spec["values"])
        elif kind == "text":
            scope.texts.append(name)
        elif kind == "date":
            scope.dates.append(name)
        elif kind == "list":
            scope.lists[name] = ("n", "v", "k")
    return facts


def _derived_section(draw: st.DrawFn, scope: _Scope) -> dict[str, dict[str, Any]]:
    derived: dict[str, dict[str, Any]] = {}
    for _ in range(_int(draw, 0, 3)):
        name = scope.fresh("calc")
        if _int(draw, 0, 3) == 0:
            derived[name] = {"formula": _bool_expr(draw, scope, 1), "label": "条件"}
            scope.bools.append(name)
        else:
            derived[name] = {"formula": _num_expr(draw, scope, 2), "label": "计算值"}
            scope.numbers.append(name)
        scope.every.append(name)
    items = list(derived.items())
    items = draw(st.permutations(items))  # the plan puts them in dependency order itself
    return dict(items)


def _template(draw: st.DrawFn, scope: _Scope, extra: Sequence[str] = ()) -> str:
    names = [*scope.every, *extra]
    parts = [_pick(draw, ["扣分", "说明 ", "{{literal}} ", "reason: "])]
    for _ in range(_int(draw, 0, 2)):
        parts.append(f"{{{_pick(draw, names)}}}")
    return "".join(parts)


def _range_text(draw: st.DrawFn, low: str | None, high: str | None) -> str:
    """A band range between two cut points (None: unbounded), each edge open or closed."""
    opening = "(" if low is None else _pick(draw, "[[(")
    closing = ")" if high is None else _pick(draw, "))]")
    return f"{opening}{low or '-inf'}, {high or 'inf'}{closing}"


def _cuts(draw: st.DrawFn) -> list[str]:
    """One to three distinct cut points of a band table, ascending."""
    chosen = draw(st.lists(st.sampled_from(_CUTS), min_size=1, max_size=3, unique=True))
    return sorted(chosen, key=Decimal)


def _monotone(
    draw: st.DrawFn, scope: _Scope, top: Decimal
) -> tuple[dict[str, Any], dict[str, str]] | None:
    """A scoring method provably monotone in one number fact, with its declaration."""
    candidates = [n for n in scope.numbers if n in scope.facts]
    if not candidates:
        return None
    fact = _pick(draw, candidates)
    k = _pick(draw, ["0.5", "1", "2", "0.01"])
    c = _pick(draw, ["0", "1", "3", "60"])
    form = _int(draw, 0, 5)
    if form == 0:
        return {"formula": f"{k} * {fact} + {c}"}, {fact: "increasing"}
    if form == 1:
        return {"formula": f"{c} - {k} * {fact}"}, {fact: "decreasing"}
    if form == 2:
        sign = _coin(draw)
        method = {
            "measure": f"{fact} - {c}" if sign else f"{c} - {fact}",
            "points": Decimal(k),
            "partial": _pick(draw, ["exact", "whole", "started"]),
        }
        return {"per_unit": method}, {fact: "decreasing" if sign else "increasing"}
    if form == 3:
        cuts = _cuts(draw)
        edges: list[str | None] = [None, *cuts, None]
        table = []
        for i in range(len(edges) - 1):
            score = (top * i / len(cuts)).quantize(Decimal("0.01"), decimal.ROUND_FLOOR)
            table.append({"range": _range_text(draw, edges[i], edges[i + 1]), "score": score})
        return {"bands": {"measure": fact, "table": table}}, {fact: "increasing"}
    if form == 4:
        method = {"actual": fact, "target": Decimal(_pick(draw, ["1", "10", "100"]))}
        return {"ratio": method}, {fact: "increasing"}
    items = [
        {"id": f"i{j}", "when": f"{fact} > {cut}", "points": Decimal(k), "reason": "超出"}
        for j, cut in enumerate(
            draw(st.lists(st.sampled_from(_CUTS), min_size=1, max_size=2, unique=True))
        )
    ]
    return {"checklist": {"items": items}}, {fact: "decreasing"}


def _bands(draw: st.DrawFn, scope: _Scope, top: Decimal) -> dict[str, Any]:
    edges: list[str | None] = [None, *_cuts(draw), None]
    table = []
    for low, high in itertools.pairwise(edges):
        if _int(draw, 0, 4) == 0:
            continue  # leave a gap: no-band unless 'otherwise' catches it
        score: object = _pick(draw, [Decimal(0), top / 2, top, top + 1])
        if _int(draw, 0, 3) == 0:
            score = _num_expr(draw, scope, 1)
        table.append({"range": _range_text(draw, low, high), "score": score})
    if not table:
        table.append({"range": "(-inf, inf)", "score": top})
    if _coin(draw):
        table.reverse()
    bands: dict[str, Any] = {"measure": _num_expr(draw, scope, 1), "table": table}
    if _coin(draw):
        bands["otherwise"] = _pick(draw, [Decimal(0), "0"])
    return {"bands": bands}


def _per_unit(draw: st.DrawFn, scope: _Scope, top: Decimal) -> dict[str, Any]:
    per: dict[str, Any] = {
        "measure": _num_expr(draw, scope, 1),
        "points": Decimal(_pick(draw, ["0.1", "0.5", "1", "2"])),
        "partial": _pick(draw, ["exact", "whole", "started"]),
    }
    if _coin(draw):
        per["unit"] = Decimal(_pick(draw, ["1", "5", "0.5"]))
    if _coin(draw):
        per["floor"] = _pick(draw, [Decimal(0), top / 2, top])
    if _coin(draw):
        per["reason"] = _template(draw, scope, ("measure", "units", "deduction"))
    return {"per_unit": per}


def _ratio(draw: st.DrawFn, scope: _Scope, top: Decimal) -> dict[str, Any]:
    ratio: dict[str, Any] = {
        "actual": _num_expr(draw, scope, 1),
        "target": _num_expr(draw, scope, 1),
    }
    if _int(draw, 0, 3):
        ratio["when_target_zero"] = _pick(draw, [Decimal(0), top, "0"])
    return {"ratio": ratio}


def _checklist(draw: st.DrawFn, scope: _Scope, top: Decimal) -> dict[str, Any]:
    items = []
    for j in range(_int(draw, 1, 3)):
        points: object = _pick(draw, [Decimal("0.5"), Decimal(1), top, top * 2])
        if _int(draw, 0, 3) == 0:
            points = _num_expr(draw, scope, 1)  # may be negative: a legitimate scoring error
        items.append(
            {
                "id": f"item{j}",
                "when": _bool_expr(draw, scope, 1),
                "points": points,
                "reason": _template(draw, scope),
            }
        )
    checklist: dict[str, Any] = {"items": items}
    if _coin(draw):
        checklist["floor"] = _pick(draw, [Decimal(0), top / 2])
    return {"checklist": checklist}


def _tiers(draw: st.DrawFn, scope: _Scope, top: Decimal) -> dict[str, Any]:
    level = _pick(draw, sorted(scope.enums))
    values = scope.enums[level]
    inner = draw(
        st.lists(
            st.sampled_from(["20", "40", "50", "60", "80", "90"]),
            min_size=len(values) - 1,
            max_size=len(values) - 1,
            unique=True,
        )
    )
    edges = ["0", *sorted(inner, key=Decimal), "100"]
    table = []
    for i, value in enumerate(draw(st.permutations(values))):
        last = i == len(values) - 1
        tier: dict[str, Any] = {
            "level": value,
            "range": f"[{edges[i]}, {edges[i + 1]}{']' if last else ')'}",
        }
        if _int(draw, 0, 3):
            tier["default"] = Decimal(edges[i])
        if _coin(draw):
            tier["label"] = _pick(draw, ["达成", "部分达成", "未达成"])
        table.append(tier)
    tiers: dict[str, Any] = {"level": level, "table": table}
    scores = [n for n, f in scope.facts.items() if f["type"] == "number" and "required" in f]
    if scores and _int(draw, 0, 3) != 0:
        tiers["score"] = _pick(draw, scores)
    return {"tiers": tiers}


_METHODS: dict[str, Callable[[st.DrawFn, _Scope, Decimal], dict[str, Any]]] = {
    "formula": lambda draw, scope, _top: {"formula": _num_expr(draw, scope, 2)},
    "bands": _bands,
    "per_unit": _per_unit,
    "ratio": _ratio,
    "checklist": _checklist,
    "tiers": _tiers,
}


def _method(draw: st.DrawFn, scope: _Scope, top: Decimal) -> dict[str, Any]:
    """One scoring method over the scope (tiers only when an enum fact exists)."""
    names = [m for m in _METHODS if m != "tiers" or scope.enums]
    return _METHODS[_pick(draw, names)](draw, scope, top)


def _rounding(draw: st.DrawFn) -> dict[str, Any]:
    return {"step": Decimal(_pick(draw, _STEPS)), "mode": _pick(draw, _MODES)}


def _indicator(draw: st.DrawFn, scope: _Scope) -> dict[str, Any]:
    top = Decimal(_pick(draw, _MAXES))
    leaf: dict[str, Any] = {"id": scope.fresh("ind"), "name": _pick(draw, _NAMES)}
    leaf["max"] = top
    monotone = _monotone(draw, scope, top) if _int(draw, 0, 2) == 0 else None
    if monotone is not None:
        method, declared = monotone
        leaf.update(method)
        leaf["monotonic"] = declared
    else:
        leaf.update(_method(draw, scope, top))
    choice = _int(draw, 0, 5)
    if choice == 0:
        leaf["rounding"] = "none"
    elif choice == 1:
        leaf["rounding"] = _rounding(draw)
    if _int(draw, 0, 3) == 0:
        leaf["not_applicable"] = _pick(draw, ["forbidden", "full", "redistribute"])
    if _int(draw, 0, 4) == 0:
        leaf["basis"] = draw(
            st.sampled_from(["惠湾财绩〔2023〕1号", {"kind": "assumption", "text": "no source"}])
        )
    if _int(draw, 0, 7) == 0:
        leaf["explain"] = _template(draw, scope, ("score", "full"))
    return leaf


def _group(draw: st.DrawFn, scope: _Scope, depth: int) -> dict[str, Any]:
    group: dict[str, Any] = {"id": scope.fresh("grp"), "name": _pick(draw, _NAMES)}
    children = []
    for _ in range(_int(draw, 1, 3)):
        if depth == 0 and _int(draw, 0, 3) == 0:
            children.append(_group(draw, scope, depth + 1))
        else:
            children.append(_indicator(draw, scope))
    group["max"] = sum((Decimal(c["max"]) for c in children), Decimal(0))
    group["children"] = children
    return group


_KINDS = (">=", "<=", "=", "qualitative")


def _records_fields(draw: st.DrawFn, with_id: bool) -> dict[str, dict[str, Any]]:
    """The fields of a records group's list fact: name, points, numbers, enums, optionals."""
    points: dict[str, Any] = {"type": "number", "label": "分值"}
    low, high = _pick(draw, [(None, None), ("0", None), ("0", "100"), ("0.5", "60")])
    if low is not None:
        points["min"] = Decimal(low)
    if high is not None:
        points["max"] = Decimal(high)
    fields: dict[str, dict[str, Any]] = {
        "nm": {"type": "text", "label": "指标"},
        "pts": points,
    }
    if with_id:
        fields["code"] = {"type": "text", "label": "编号", "required": False}
    for name in ("xa", "xb", "xc")[: _int(draw, 1, 3)]:
        spec = _number_fact(draw, _pick(draw, ["number", "percent", "integer"]))
        fields[name] = spec
    if _coin(draw):
        fields["opt"] = {"type": "number", "label": "选填值", "required": False}
    if _coin(draw):
        values = draw(
            st.lists(st.sampled_from(["达成", "部分达成", "未达成"]), min_size=1, unique=True)
        )
        fields["lvl"] = {"type": "enum", "label": "达成程度", "values": values}
        judged: dict[str, Any] = {"type": "number", "label": "评定得分", "required": False}
        if _coin(draw):
            judged["min"] = Decimal(0)
        fields["judged"] = judged
    if _coin(draw):
        fields["flagged"] = {"type": "boolean", "label": "是否", "default": _coin(draw)}
    return fields


def _rule_scope(scope: _Scope, fields: Mapping[str, dict[str, Any]]) -> _Scope:
    """What a records rule may read: the scope, the record's fields and `full`."""
    rule = _Scope(
        numbers=[*scope.numbers, "full"],
        bools=list(scope.bools),
        enums=dict(scope.enums),
        texts=[*scope.texts, "nm"],
        dates=list(scope.dates),
        lists=dict(scope.lists),
        facts=dict(fields),  # tiers read an assessed score from the record, not from the facts
        every=[*scope.every, *fields, "full"],
    )
    for name, spec in fields.items():
        kind, optional = spec["type"], spec.get("required", True) is False
        if kind in ("number", "integer", "percent") and name != "judged":
            # an optional field is read behind given(), as docs/rubric-format.md requires
            rule.numbers.append(f"({name} if given({name}) else 1)" if optional else name)
        elif kind == "enum":
            rule.enums[name] = tuple(spec["values"])
        elif kind == "boolean":
            rule.bools.append(name)
    return rule


def _records_group(
    draw: st.DrawFn, scope: _Scope, facts: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """A group whose indicators are the records of a new list fact (docs: records groups)."""
    gid = scope.fresh("sheet")
    with_id = _coin(draw)
    fields = _records_fields(draw, with_id)
    select: str | None = None
    kinds: list[str] = ["default"]
    if _int(draw, 0, 3):
        select = "kind"
        kinds = draw(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=4, unique=True))
        fields[select] = {"type": "enum", "label": "指标性质", "values": kinds}
    claimed = _coin(draw)
    if claimed:
        fields["claim"] = {"type": "number", "label": "自评得分", "required": False}
    items: dict[str, Any] = {"type": "list", "label": "指标表", "fields": fields}
    if _coin(draw):
        items["max_items"] = _pick(draw, [2, 4, 8])
    facts[f"{gid}_rows"] = items
    rules_scope = _rule_scope(scope, fields)
    rules: dict[str, Any] = {}
    for kind in kinds:
        top = Decimal(_pick(draw, _MAXES))
        rule: dict[str, Any] = _method(draw, rules_scope, top)
        if _int(draw, 0, 3) == 0:
            rule["rounding"] = _pick(draw, ["none", _rounding(draw)])
        if _int(draw, 0, 2) == 0:
            rule["explain"] = _template(draw, rules_scope, ("score",))
        if _int(draw, 0, 5) == 0:
            rule["basis"] = {"kind": "inferred", "text": "seed"}
        rules[kind] = rule
    spec: dict[str, Any] = {"list": f"{gid}_rows"}
    if with_id:
        spec["id"] = "code"
    spec.update(name="nm", max="pts")
    if claimed:
        spec["claimed"] = "claim"
    if select is not None:
        spec["select"] = select
    spec["rules"] = rules
    spec["sum"] = _pick(draw, ["error", "rescale", "warn"])
    spec["when_empty"] = _pick(draw, ["error", "zero", "zero"])  # give_to: decided by the caller
    if _coin(draw):
        checks_scope = _rule_scope(scope, fields)
        checks_scope.numbers.append("score")
        checks_scope.every.append("score")
        spec["checks"] = [
            {
                "id": scope.fresh("rcheck"),
                "when": _bool_expr(draw, checks_scope, 1),
                "message": _template(draw, checks_scope),
            }
            for _ in range(_int(draw, 1, 2))
        ]
    group_max = Decimal(_pick(draw, ["5", "10", "20", "30", "50"]))
    return {
        "id": gid,
        "name": _pick(draw, ["产出指标", "效益指标", "满意度指标"]),
        "max": group_max,
        "records": spec,
    }


def _add_records_groups(
    draw: st.DrawFn, scope: _Scope, facts: dict[str, dict[str, Any]], groups: list[dict[str, Any]]
) -> None:
    """Add one or two records groups, at the top level or inside a group, to `groups`."""
    made = [_records_group(draw, scope, facts) for _ in range(_int(draw, 1, 2))]
    if len(made) == 2 and _coin(draw):
        giver, taker = draw(st.permutations(made))
        giver["records"]["when_empty"] = {"give_to": taker["id"]}
    for group in made:
        hosts = [g for g in groups if "children" in g]
        if hosts and _int(draw, 0, 3) == 0:
            host = _pick(draw, hosts)
            host["children"].insert(_int(draw, 0, len(host["children"])), group)
            host["max"] += group["max"]
        else:
            groups.insert(_int(draw, 0, len(groups)), group)


def _bonus(draw: st.DrawFn, scope: _Scope) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": scope.fresh("bonus"),
        "name": "加减分",
        "min": Decimal(_pick(draw, ["0", "-2", "-5", "-0.5"])),
        "max": Decimal(_pick(draw, ["0", "1", "3", "10"])),
        "formula": _num_expr(draw, scope, 2),
    }
    if _int(draw, 0, 2) == 0:
        item["rounding"] = _pick(draw, ["none", _rounding(draw)])
    return item


def _grades(draw: st.DrawFn, top: Decimal, floor: Decimal) -> list[dict[str, Any]]:
    names = _pick(draw, [["优", "良", "中", "差"], ["A", "B", "C", "D"]])
    fractions = sorted(
        set(draw(st.lists(st.sampled_from(["0.9", "0.8", "0.6", "0.3", "0.95"]), max_size=3))),
        key=Decimal,
        reverse=True,
    )
    grades: list[dict[str, Any]] = [
        {"grade": names[i], "min": top * Decimal(f)} for i, f in enumerate(fractions)
    ]
    last: dict[str, Any] = {"grade": names[len(grades)]}
    below = grades[-1]["min"] if grades else None
    if _int(draw, 0, 3) == 0 and (below is None or floor < below):
        last["min"] = floor
    grades.append(last)
    return grades


@st.composite
def rubric_documents(draw: st.DrawFn, *, records: bool | None = None) -> dict[str, Any]:
    """Random well-formed rubrics as plain data (numbers as `Decimal`), before dumping to text.

    Trees of one or two levels of groups whose maxima sum correctly; leaves using every scoring
    method (formula, bands, per_unit, ratio, checklist, tiers) over facts of every type; derived
    values listed out of dependency order; bonus indicators with caps and total policies;
    rounding with various steps and modes and per-indicator overrides (``none`` included);
    grades; not_applicable rules; checks with templates; ``explain`` templates; and
    ``monotonic`` declarations on indicators whose method is monotone in that fact by
    construction.

    About one rubric in four also has one or two ``records`` groups (indicators listed in a list
    fact, docs/rubric-format.md), at the top level or inside a group: random number, enum,
    boolean and optional fields (read behind ``given()``), one rule per value of an enum
    ``select`` field using any scoring method over the fields and ``full``, ``sum: error``,
    ``rescale`` or ``warn``, ``when_empty: error``, ``zero`` or ``give_to`` the other records
    group, claimed scores, per-record checks and ``explain`` templates; a third of those
    rubrics convert the base with ``total.scale_to: 100``.

    Args:
        records: True for rubrics that always have records groups, False for never; by default
            about one in four.

    Formulas mostly guard their divisions; now and then one does not, and band tables sometimes
    leave gaps, so some facts legitimately end in ``zero-division`` or ``no-band``.
    """
    scope = _Scope()
    doc: dict[str, Any] = {
        "perfscore": 1,
        "id": "generated",
        "version": _pick(draw, ["1", "2022.1", "1.10"]),
        "title": _pick(draw, ["部门整体支出绩效自评", "Generated rubric"]),
    }
    if _coin(draw):
        doc["language"] = _pick(draw, ["zh", "en"])
    if _coin(draw):
        doc["rounding"] = _rounding(draw)
    doc["facts"] = _facts_section(draw, scope)
    derived = _derived_section(draw, scope)
    if derived:
        doc["derived"] = derived
    groups = [_group(draw, scope, 0) for _ in range(_int(draw, 1, 3))]
    with_records = _int(draw, 0, 3) == 0 if records is None else records
    if with_records:
        _add_records_groups(draw, scope, doc["facts"], groups)
    doc["groups"] = groups
    top = sum((g["max"] for g in groups), Decimal(0))
    bonus = [_bonus(draw, scope) for _ in range(_int(draw, 0, 2))]
    floor = Decimal(0)
    scale_to = with_records and _int(draw, 0, 2) == 0
    if len(bonus) > 0 or scale_to or _coin(draw) is True:
        if bonus:
            doc["bonus"] = bonus
        if scale_to:  # the base is converted to 100 whatever its maximum on the sheet
            top = Decimal(100)
        floor = _pick(draw, [Decimal(0), Decimal(0), Decimal(-3), top / 10])
        cap = _pick(draw, [None, top, top + 5])
        doc["total"] = {"cap": cap, "floor": floor}
        if scale_to:
            doc["total"]["scale_to"] = Decimal(100)
    doc["grades"] = _grades(draw, top, floor)
    checks = []
    for i in range(_int(draw, 0, 2)):
        checks.append(
            {
                "id": f"check{i}",
                "when": _bool_expr(draw, scope, 1),
                "message": _template(draw, scope),
            }
        )
    if checks:
        doc["checks"] = checks
    return doc


class _Dumper(yaml.SafeDumper):
    """A YAML dumper writing Decimals as exact plain numbers, and shared values in full."""

    def ignore_aliases(self, data: Any) -> bool:  # perfscore rejects anchors and aliases
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def _json(value: object, out: list[str]) -> None:
    """Write `value` as JSON with Decimals as their exact text."""
    if isinstance(value, Decimal):
        out.append(format(value, "f"))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(", " if i else "")
            out.append(json.dumps(key, ensure_ascii=False) + ": ")
            _json(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            out.append(", " if i else "")
            _json(item, out)
        out.append("]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def dump_rubric(data: Mapping[str, Any], format: Literal["yaml", "json"] = "yaml") -> str:
    """Write rubric data (with Decimal numbers) as YAML or JSON text with exact numbers."""
    if format == "json":
        out: list[str] = []
        _json(data, out)
        return "".join(out)
    text: str = yaml.dump(
        dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=2**16
    )
    return text


def rubrics(
    format: Literal["yaml", "json"] | None = None, *, records: bool | None = None
) -> st.SearchStrategy[str]:
    """Random well-formed rubric texts that `perfscore.parse_rubric` accepts.

    Args:
        format: ``"yaml"`` (block style) or ``"json"`` (which is also valid YAML); by default
            either. Numbers are exact decimal literals in both.
        records: passed to `rubric_documents`: True for rubrics that always have records
            groups, False for never; by default about one in four.

    Returns:
        A strategy of rubric texts; see `rubric_documents` for what they contain.
    """
    if format not in (None, "yaml", "json"):
        raise InvalidArgument(f"format must be 'yaml', 'json' or None, got {format!r}")
    formats: list[Literal["yaml", "json"]] = [format] if format else ["yaml", "json"]
    return st.tuples(rubric_documents(records=records), st.sampled_from(formats)).map(
        lambda pair: dump_rubric(pair[0], pair[1])
    )


# --------------------------------------------------------------------------- checks


def is_data_dependent(error: BaseException) -> bool:
    """True for errors random valid facts may legitimately cause.

    Those are `ScoringError` (zero-division, no-band, invalid-operation such as a negative
    deduction or the mean of an empty list, number-too-large) and the `FactsError`s an indicator
    raises while scoring: an assessed score outside its tier (``tier-mismatch``) or a tier
    without a default and no assessed score (``missing-fact`` about an indicator or group).
    """
    if isinstance(error, ScoringError):
        return True
    if isinstance(error, FactsError) and len(error.problems) == 1:
        problem = error.problems[0]
        scoring = (problem.subject or "").startswith(("indicator ", "group "))
        return problem.code == "tier-mismatch" or (problem.code == "missing-fact" and scoring)
    return False


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
    items: list[Any] = [*_walk(rubric), *rubric.model.bonus]
    out: dict[str, Rounding | None] = {}
    for item in items:
        rounding = item.rounding
        out[item.id] = None if rounding == "none" else (rounding or default)
    return out


def _records_specs(rubric: Rubric) -> dict[str, RecordsSpec]:
    """Every records group's spec, by group id."""
    out: dict[str, RecordsSpec] = {}
    stack = list(rubric.model.groups)
    while stack:
        group = stack.pop()
        stack.extend(c for c in group.children or () if isinstance(c, Group))
        if group.records is not None:
            out[group.id] = group.records
    return out


def _record_rounding(rubric: Rubric, spec: RecordsSpec, ind: IndicatorScore) -> Rounding | None:
    """The rounding of a record's rule, found by the kind its trace rules are prefixed with."""
    if ind.trace is None:
        return None
    fired = [s.rule for s in ind.trace.steps if s.rule]
    kinds = [k for k in spec.rules if fired and fired[0].startswith(f"{k}:")]
    if not kinds:
        return None
    rounding = spec.rules[max(kinds, key=len)].rounding
    return None if rounding == "none" else (rounding or rubric.model.rounding)


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
        _check_indicators(rubric, card, not_applicable)
        _check_groups(rubric, card)


def _check_indicators(rubric: Rubric, card: Scorecard, not_applicable: Sequence[str]) -> None:
    declared = {leaf.id: leaf for leaf in _walk(rubric)}
    bonus = {item.id: item for item in rubric.model.bonus}
    rounding = _effective_rounding(rubric)
    records = _records_specs(rubric)
    na = set(not_applicable)
    for ind in card.indicators:
        if ind.id not in rounding and ind.group in records:
            rounding[ind.id] = _record_rounding(rubric, records[ind.group], ind)
        where = f"indicator {ind.id!r}"
        if not ind.min <= ind.score <= ind.max:
            _fail(f"{where}: score {ind.score} outside [{ind.min}, {ind.max}]")
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
            if ind.id in na and not ind.applicable and (ind.score != 0 or ind.max != 0):
                _fail(f"{where}: excluded but scored {ind.score} of {ind.max}")
        step = rounding.get(ind.id)
        if step is not None and ind.score not in (ind.min, ind.max) and ind.applicable:
            with decimal.localcontext(_WIDE):
                if ind.score % step.step:
                    _fail(f"{where}: score {ind.score} is not a multiple of {step.step}")
        if ind.trace is not None:
            replayed = replay_trace(ind.trace.steps)
            if replayed != ind.score:
                _fail(f"{where}: the trace replays to {replayed}, the score is {ind.score}")


def _check_groups(rubric: Rubric, card: Scorecard) -> None:
    children: dict[str, Decimal] = {g.id: Decimal(0) for g in card.groups}
    for ind in card.indicators:
        if ind.group is not None:
            children[ind.group] += ind.score
    for group in card.groups:
        if group.parent is not None:
            children[group.parent] += group.score
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
        if group.score != children[group.id]:
            _fail(
                f"group {group.id!r}: score {group.score} is not the sum of its children "
                f"({children[group.id]})"
            )
        if not 0 <= group.score <= group.max:
            _fail(f"group {group.id!r}: score {group.score} outside [0, {group.max}]")
    tops = [g for g in card.groups if g.parent is None]
    base = sum((g.score for g in tops), Decimal(0))
    if card.base_total != base:
        _fail(f"base total {card.base_total} is not the sum of the top-level groups ({base})")
    top_max = sum((g.max for g in tops), Decimal(0))
    if card.max_total != top_max:
        _fail(f"max total {card.max_total} is not the sum of the top-level maxima ({top_max})")
    bonus = sum((i.score for i in card.indicators if i.kind == "bonus"), Decimal(0))
    if card.bonus_total != bonus:
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
    if card.total != total:
        _fail(
            f"total {card.total}, expected {total} (base {base} + bonus {bonus}, cap {cap}, "
            f"floor {floor})"
        )
    if card.total_trace is not None and card.total_trace[-1].value != card.total:
        _fail(f"the total trace ends at {card.total_trace[-1].value}, the total is {card.total}")
    grade = next(
        (g.grade for g in rubric.model.grades if g.min is None or card.total >= g.min),
        rubric.model.grades[-1].grade,
    )
    if card.grade != grade:
        _fail(f"grade {card.grade!r} for total {card.total}, the bands give {grade!r}")


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


def _evaluate(rubric: Rubric, facts: Mapping[str, object], **kwargs: Any) -> Scorecard | None:
    """Evaluate; None (and a Hypothesis event) for a data-dependent error, else re-raise."""
    try:
        return rubric.evaluate(facts, **kwargs)
    except PerfscoreError as exc:
        if not is_data_dependent(exc):
            raise
        hypothesis.event(f"data-dependent error: {exc.code}")
        return None


def _not_applicable_choices(rubric: Rubric) -> list[str]:
    return [leaf.id for leaf in _walk(rubric) if leaf.not_applicable != "forbidden"]


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
    if spec.type in ("number", "integer", "percent"):
        return _numbers(spec, "fact")
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "date":
        return st.dates(_EPOCH_LOW, _EPOCH_HIGH)
    return None


def _declarations(rubric: Rubric) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for leaf in _walk(rubric):
        for fact, direction in (leaf.monotonic or {}).items():
            out.append((leaf.id, fact, direction))
    return out


def _score(card: Scorecard, indicator: str) -> Decimal:
    found: IndicatorScore = card.indicator(indicator)
    return found.score


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
    declarations = _declarations(rubric)
    if not declarations:
        return
    schema = rubric.model.facts
    values: dict[str, st.SearchStrategy[object]] = {}
    for _, fact, _ in declarations:
        strategy = _ordered(schema[fact])
        if strategy is None:
            raise InvalidArgument(f"monotonic fact {fact!r} is {schema[fact].type}, not ordered")
        values[fact] = strategy

    @_settings(max_examples, settings)
    @hypothesis.given(
        facts=facts_for(rubric), declaration=st.sampled_from(declarations), data=st.data()
    )
    def monotonic(
        facts: dict[str, object], declaration: tuple[str, str, str], data: st.DataObject
    ) -> None:
        indicator, fact, direction = declaration
        a, b = data.draw(st.lists(values[fact], min_size=2, max_size=2))
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
