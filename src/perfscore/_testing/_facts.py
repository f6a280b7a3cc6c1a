"""Valid facts for a rubric, drawn from its fact schema: `facts_for`.

Also the readings of a rubric's model the other strategies share: the bounds a number fact's
values lie in, which facts may be left out, and the declared leaves in rubric order.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from perfscore import Rubric
from perfscore._load._facts import DEFAULT_MAX_ITEMS, MAX_MAGNITUDE
from perfscore._load._model import (
    NUMBER_TYPES,
    FactSpec,
    FieldSpec,
    Group,
    Indicator,
    Interval,
    RecordsSpec,
    TiersMethod,
)
from perfscore._numbers import CONTEXT

#: Numbers without a declared bound are drawn within ±DEFAULT_SPAN.
DEFAULT_SPAN = Decimal(10) ** 9

#: Arithmetic wide enough for any bound a fact can declare, scaled by any number of places.
WIDE = decimal.Context(prec=80, Emax=10_000, Emin=-10_000)
EPOCH_LOW, EPOCH_HIGH = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
# Text a document could hold: no control, format, surrogate or separator characters.
_TEXT = st.text(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=30)


def number_bounds(spec: FactSpec | FieldSpec) -> tuple[Decimal, Decimal]:
    """The inclusive range valid values of a number, integer or percent fact are drawn from."""
    declared_low, declared_high = spec.bounds
    low = -DEFAULT_SPAN if declared_low is None else declared_low
    high = DEFAULT_SPAN if declared_high is None else declared_high
    low, high = max(low, -MAX_MAGNITUDE), min(high, MAX_MAGNITUDE)
    if spec.type == "integer":
        with decimal.localcontext(WIDE):
            low = low.to_integral_value(decimal.ROUND_CEILING)
            high = high.to_integral_value(decimal.ROUND_FLOOR)
    return low, high


def _scaled(low: Decimal, high: Decimal, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals in [low, high] with exactly `places` decimal places (nothing if none fit)."""
    with decimal.localcontext(WIDE):
        lo = int((low.scaleb(places)).to_integral_value(decimal.ROUND_CEILING))
        hi = int((high.scaleb(places)).to_integral_value(decimal.ROUND_FLOOR))
    if lo > hi:
        return st.nothing()
    return st.integers(lo, hi).map(lambda n: Decimal(n).scaleb(-places))


def numbers(spec: FactSpec | FieldSpec, name: str) -> st.SearchStrategy[object]:
    """Valid values of a number-like fact, weighted towards its edges and zero."""
    low, high = number_bounds(spec)
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


def _enum_values(spec: FactSpec | FieldSpec, name: str) -> st.SearchStrategy[object]:
    assert spec.values is not None
    return st.sampled_from(spec.values)


def _list_values(spec: FactSpec | FieldSpec, name: str) -> st.SearchStrategy[object]:
    assert isinstance(spec, FactSpec)
    record = record_values(spec, name)
    limit = DEFAULT_MAX_ITEMS if spec.max_items is None else spec.max_items
    lists = st.lists(record, max_size=min(limit, 4))
    if 4 < limit <= 20:  # a list exactly at its limit is an edge worth drawing
        lists = st.one_of(lists, st.lists(record, min_size=limit, max_size=limit))
    return lists.map(list)


_DAYS = st.dates(EPOCH_LOW, EPOCH_HIGH)
_DATES = st.one_of(_DAYS.map(dt.date.isoformat), _DAYS)

#: Valid values of each fact type, by the type's name in the rubric format (a test keeps the
#: keys and the format's fact types in step).
VALUES: Mapping[str, Callable[[FactSpec | FieldSpec, str], st.SearchStrategy[object]]] = {
    **dict.fromkeys(NUMBER_TYPES, numbers),
    "boolean": lambda spec, name: st.booleans(),
    "date": lambda spec, name: _DATES,
    "enum": _enum_values,
    "text": lambda spec, name: _TEXT,
    "list": _list_values,
}


def field_values(spec: FactSpec | FieldSpec, name: str) -> st.SearchStrategy[object]:
    """Valid values of one fact or record field."""
    return VALUES[spec.type](spec, name)


_ABSENT = object()


def _present(record: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in record.items() if v is not _ABSENT}


def record_values(spec: FactSpec, name: str) -> st.SearchStrategy[dict[str, object]]:
    """Valid records of list fact `spec`; each optional field is left out one time in four.

    Records often have several optional fields that rules read behind ``given()``; leaving each
    out half the time (as for optional facts) would leave few records complete enough to score.
    """
    assert spec.fields is not None
    fields: dict[str, st.SearchStrategy[object]] = {}
    for key, sub in spec.fields.items():
        values = field_values(sub, f"{name}.{key}")
        fields[key] = (
            st.one_of(st.just(_ABSENT), values, values, values) if is_optional(sub) else values
        )
    return st.fixed_dictionaries(fields).map(_present)


def is_optional(spec: FactSpec | FieldSpec) -> bool:
    return not spec.required or "default" in spec.model_fields_set


def facts_schema(rubric: Rubric) -> Mapping[str, FactSpec]:
    if not isinstance(rubric, Rubric):
        raise InvalidArgument(
            f"expected a perfscore.Rubric, got {type(rubric).__name__}; "
            "load one with perfscore.load_rubric(path) or perfscore.parse_rubric(text)"
        )
    return rubric.model.facts


def schema_facts(schema: Mapping[str, FactSpec]) -> st.SearchStrategy[dict[str, object]]:
    required = {k: field_values(v, k) for k, v in schema.items() if not is_optional(v)}
    optional = {k: field_values(v, k) for k, v in schema.items() if is_optional(v)}
    return st.fixed_dictionaries(required, optional=optional).map(dict)


@dataclass(frozen=True)
class _TierRule:
    """A tiers indicator as facts_for sees it: which facts it reads and its ranges in points."""

    level: str
    score: str
    ranges: Mapping[str, Interval]
    #: the levels that score without an assessed score (their tier has a default)
    defaults: frozenset[str] = frozenset()


def _nodes(rubric: Rubric) -> Iterator[Group | Indicator]:
    """Every declared group and leaf indicator, in rubric order, each before its children."""
    stack: list[Group | Indicator] = list(reversed(rubric.model.groups))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Group):
            stack.extend(reversed(node.children or ()))


def walk(rubric: Rubric) -> Iterator[Indicator]:
    """Every declared leaf indicator, in rubric order (records groups declare none)."""
    for node in _nodes(rubric):
        if isinstance(node, Indicator):
            yield node


def records_groups(rubric: Rubric) -> Iterator[tuple[Group, RecordsSpec]]:
    """Every records group with its spec, in rubric order (the engine settles them in it)."""
    for node in _nodes(rubric):
        if isinstance(node, Group) and node.records is not None:
            yield node, node.records


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
    for group, spec in records_groups(rubric):
        tiers = {
            kind: _TierRule(
                rule.tiers.level,
                rule.tiers.score or "",
                _tier_ranges(rule.tiers, Decimal(100)),
                _tier_defaults(rule.tiers),
            )
            for kind, rule in spec.rules.items()
            if rule.tiers is not None
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
    draw: st.DrawFn, group: _RecordsRule, spec: FactSpec, rows: list[object], weight: Decimal
) -> None:
    """Give `rows` points that total `weight` exactly, when the points field allows it."""
    field = (spec.fields or {}).get(group.max_field)
    if field is None or weight <= 0:
        return
    low, high = number_bounds(field)
    places = Decimal(1) if field.type == "integer" else Decimal("0.01")
    shares = draw(st.lists(_SHARES, min_size=len(rows), max_size=len(rows)))
    whole = sum(shares)
    with decimal.localcontext(WIDE):
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
    rows: list[object],
    weight: Decimal,
    facts: Mapping[str, object],
) -> None:
    """Put each record's assessed score inside its tier, as scored against the record's points.

    A level the record leaves out is its field's default, as the engine reads it; a tier with a
    default may go without a score, one without always gets a score inside it.
    """
    fields = spec.fields or {}
    records = [r for r in rows if isinstance(r, dict)]
    given = [r.get(group.max_field) for r in records]
    points = [Decimal(p) for p in given if isinstance(p, (int, Decimal))]
    if len(points) != len(given) or not all(p > 0 for p in points):
        return
    with decimal.localcontext(CONTEXT):  # the engine's arithmetic for `full`
        total = sum(points, Decimal(0))
        factor = weight / total if group.sum == "rescale" and total != weight else Decimal(1)
    kinds = list(group.tiers) if group.select is None else []
    for record, own in zip(records, points, strict=True):
        kind = record.get(group.select) if group.select else (kinds[0] if kinds else None)
        rule = group.tiers.get(kind) if isinstance(kind, str) else None
        if rule is None:
            continue
        level = (
            _level_of(record, rule.level, fields[rule.level])
            if rule.level in fields
            else facts.get(rule.level)
        )
        if rule.score not in fields:  # no score to give: the level must have a default
            if level not in rule.defaults and rule.level in fields and rule.defaults:
                record[rule.level] = draw(st.sampled_from(sorted(rule.defaults)))
            continue
        percent = rule.ranges.get(level) if isinstance(level, str) else None
        if percent is None:
            continue
        with decimal.localcontext(CONTEXT):
            full = own * factor
        value = draw(_inside(_scale_interval(percent, full), fields[rule.score]))
        if value is None or (level in rule.defaults and _one_in(draw, 3)):
            record.pop(rule.score, None)  # scored from the tier's default
        else:
            record[rule.score] = value


def _level_of(record: Mapping[str, object], name: str, field: FieldSpec | None) -> object:
    """The level a record's tiers rule reads: its own field, else that field's default."""
    if name in record:
        return record[name]
    return field.default if field is not None and field.has_default else None


_POINTS = tuple(Decimal(p) for p in ("1", "2.5", "5", "10", "20"))


def _usable_records(
    draw: st.DrawFn, rule: _RecordsRule, spec: FactSpec, rows: object
) -> list[dict[str, object]] | None:
    """`rows` made into records a records group can score: ids, positive points, not empty."""
    limit = DEFAULT_MAX_ITEMS if spec.max_items is None else spec.max_items
    fields = spec.fields or {}
    if limit < 1 or rule.max_field not in fields:
        return None
    records = [dict(r) for r in rows] if isinstance(rows, list) else []
    if not records:
        records = draw(st.lists(record_values(spec, rule.list), min_size=1, max_size=min(limit, 3)))
    low, high = number_bounds(fields[rule.max_field])
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


def _tier_defaults(tiers: TiersMethod) -> frozenset[str]:
    return frozenset(tier.level for tier in tiers.table if tier.default is not None)


def _tier_rules(rubric: Rubric) -> list[_TierRule]:
    rules = []
    for leaf in walk(rubric):
        tiers = leaf.tiers
        if tiers is None:
            continue
        rules.append(
            _TierRule(
                tiers.level, tiers.score or "", _tier_ranges(tiers, leaf.max), _tier_defaults(tiers)
            )
        )
    return rules


@st.composite
def _inside(draw: st.DrawFn, interval: Interval, spec: FactSpec | FieldSpec) -> Decimal | None:
    """A valid value of number fact `spec` inside `interval`, or None when none exists."""
    low, high = number_bounds(spec)
    if interval.low is not None:
        low = max(low, interval.low)
    if interval.high is not None:
        high = min(high, interval.high)
    if low > high:
        return None
    candidates = [v for v in (low, high, (low + high) / 2) if interval.contains(v)]
    value = draw(st.one_of(_scaled(low, high, 2), st.sampled_from(candidates or [low])))
    return value if interval.contains(value) else (candidates[0] if candidates else None)


def _declared_tiers(
    draw: st.DrawFn,
    rules: Sequence[_TierRule],
    schema: Mapping[str, FactSpec],
    facts: dict[str, object],
) -> None:
    """Give the declared tiers indicators that read one level fact a level, and scores inside it.

    The level is one every indicator can score (a tier a valid score fits, or with a default);
    a tier without a default always gets a score, one with a default sometimes goes without.
    """
    name = rules[0].level
    level_spec = schema.get(name)
    if level_spec is None:
        return
    level = facts.get(name)
    if not isinstance(level, str) and level_spec.has_default:
        level = level_spec.default
    fits: list[dict[str, Decimal | None]] = []
    for rule in rules:
        spec = schema.get(rule.score)
        fits.append(
            {
                tier: value
                for tier in rule.ranges
                if (value := None if spec is None else draw(_inside(rule.ranges[tier], spec)))
                is not None
                or tier in rule.defaults
            }
        )
    common = sorted(set.intersection(*(set(f) for f in fits)))
    if not common:
        return
    if level not in common:
        level = draw(st.sampled_from(common))
        facts[name] = level
    assert isinstance(level, str)
    for rule, fit in zip(rules, fits, strict=True):
        spec = schema.get(rule.score)
        if spec is None:
            continue
        value = fit[level]
        if value is None or (level in rule.defaults and is_optional(spec) and _one_in(draw, 3)):
            facts.pop(rule.score, None)
        else:
            facts[rule.score] = value


def facts_for(rubric: Rubric) -> st.SearchStrategy[dict[str, object]]:
    """Valid ``facts`` mappings for `rubric`, drawn from its fact schema.

    Numbers are `Decimal` with up to four decimal places (integer facts also as `int`), within
    the declared bounds (percent facts default to [0, 100]; unbounded numbers lie within
    ±`DEFAULT_SPAN`), with the bounds themselves, 0, 1 and -1 drawn often where they are allowed.
    Dates are ISO text or `datetime.date`; list facts are lists of dicts, empty lists included;
    facts that may be omitted (``required: false`` or with a ``default``) are sometimes left out.
    Every constraint the rubric declares holds, so that examples are spent on scoring: where a
    ``tiers`` indicator reads an assessed score fact, the score lies inside the chosen tier's
    range, and a tier without a default always has one (a level no valid score fits is never
    chosen). The list fact of a ``records`` group holds at least one record, with ids that make
    valid indicator ids (or none) and points greater than 0 that, four times in five, add up to
    exactly what the group must total (its max, plus what empty groups give it); a group with a
    ``when_empty`` remedy is sometimes left empty; assessed scores of records scored by
    ``tiers`` lie inside their tier (a level left out read as its field's default). What only a
    formula decides (a zero divisor, a deduction that a rule computes as negative) is not
    foreseen: such facts are valid, and scoring them may still stop with a data-dependent error.

    Args:
        rubric: a loaded `perfscore.Rubric`.

    Returns:
        A strategy of dicts to pass to `Rubric.evaluate`.

    Raises:
        InvalidArgument: `rubric` is not a Rubric, or a fact's bounds admit no value.
    """
    schema = facts_schema(rubric)
    base = schema_facts(schema)
    rules = _tier_rules(rubric)
    records = [r for r in _records_rules(rubric) if schema.get(r.list) is not None]
    if not rules and not records:
        return base

    @st.composite
    def consistent(draw: st.DrawFn) -> dict[str, object]:
        facts = draw(base)
        for group in records:
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
            # sum: error refuses points that do not add up; otherwise four times in five they do
            if group.sum == "error" or not _one_in(draw, 5):
                _split_points(draw, group, schema[group.list], rows, weights[group.group])
            _assessed_in_tier(draw, group, schema[group.list], rows, weights[group.group], facts)
        for level in dict.fromkeys(rule.level for rule in rules):
            _declared_tiers(draw, [r for r in rules if r.level == level], schema, facts)
        return facts

    return consistent()


# --- unknown values ----------------------------------------------------------------------------

#: Where an unknown value stands: a fact id, or (list fact, record index, field).
Hole = str | tuple[str, int, str]
UNKNOWN: Mapping[str, object] = {"unknown": True}


def _structural(rubric: Rubric) -> dict[str, set[str]]:
    """Each records group's list fact with the fields that make its rows (never unknown)."""
    out: dict[str, set[str]] = {}
    for _, spec in records_groups(rubric):
        fields = {spec.name, spec.max, *(f for f in (spec.id, spec.select) if f)}
        out.setdefault(spec.list, set()).update(fields)
    return out


def unknowns_in(rubric: Rubric, facts: Mapping[str, object]) -> st.SearchStrategy[list[Hole]]:
    """Some of the places in `facts` that may be declared unknown: scalar facts, record
    fields that do not make a records group's row, and list facts that no records group
    expands."""
    schema = facts_schema(rubric)
    structural = _structural(rubric)
    places: list[Hole] = []
    for name, value in facts.items():
        if isinstance(value, (list, tuple)):
            if name not in structural:
                places.append(name)
            skip = structural.get(name, set())
            for i, record in enumerate(value):
                if isinstance(record, Mapping):
                    places.extend((name, i, key) for key in record if key not in skip)
        elif name in schema:
            places.append(name)
    if not places:
        return st.just([])
    return st.lists(st.sampled_from(places), min_size=1, max_size=3, unique=True)


def with_unknowns(facts: Mapping[str, object], holes: Sequence[Hole]) -> dict[str, object]:
    """`facts` with the values at `holes` replaced by ``{unknown: true}``."""
    out: dict[str, object] = dict(facts)
    for hole in holes:
        if isinstance(hole, str):
            out[hole] = dict(UNKNOWN)
    for hole in holes:
        if isinstance(hole, tuple) and not isinstance(out[hole[0]], Mapping):
            name, index, key = hole
            records = [dict(r) for r in out[name]]  # type: ignore[attr-defined]
            records[index][key] = dict(UNKNOWN)
            out[name] = records
    return out


def fillings(rubric: Rubric, holes: Sequence[Hole]) -> st.SearchStrategy[dict[Hole, object]]:
    """A value for each hole, drawn like any valid value of its fact or field (bounds
    included), so that filling the holes in gives a valid facts mapping."""
    schema = facts_schema(rubric)
    parts: dict[Hole, st.SearchStrategy[object]] = {}
    for hole in holes:
        if isinstance(hole, str):
            parts[hole] = field_values(schema[hole], hole)
        else:
            fields = schema[hole[0]].fields or {}
            parts[hole] = field_values(fields[hole[2]], f"{hole[0]}.{hole[2]}")
    return st.fixed_dictionaries(parts)


def filled(facts: Mapping[str, object], values: Mapping[Hole, object]) -> dict[str, object]:
    """`facts` with each hole's value set to the filling's."""
    out: dict[str, object] = dict(facts)
    for hole, value in values.items():
        if isinstance(hole, str):
            out[hole] = value
    for hole, value in values.items():
        if isinstance(hole, tuple) and hole[0] not in values:
            name, index, key = hole
            records = [dict(r) for r in out[name]]  # type: ignore[attr-defined]
            records[index][key] = value
            out[name] = records
    return out


def facts_with_unknowns(
    rubric: Rubric,
) -> st.SearchStrategy[tuple[dict[str, object], list[Hole]]]:
    """Valid facts for `rubric` with one to three values declared ``{unknown: true}``, and
    where they stand (a fact id, or ``(list, index, field)``). `fillings` draws values for
    them and `filled` puts those in, giving the valid facts whose scores the ranges must hold.
    """
    facts_schema(rubric)  # argument check

    @st.composite
    def marked(draw: st.DrawFn) -> tuple[dict[str, object], list[Hole]]:
        facts = draw(facts_for(rubric))
        holes = draw(unknowns_in(rubric, facts))
        return with_unknowns(facts, holes), holes

    return marked()
