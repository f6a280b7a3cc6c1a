"""Facts broken in exactly one place, each with the error code it must give: `invalid_facts_for`."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping
from decimal import Decimal

import hypothesis
from hypothesis import strategies as st

from perfscore import Rubric
from perfscore._load._facts import DEFAULT_MAX_ITEMS, MAX_MAGNITUDE, MAX_TEXT_LENGTH
from perfscore._load._model import NUMBER_TYPES, FactSpec, FieldSpec
from perfscore._testing._facts import (
    WIDE,
    facts_schema,
    is_optional,
    number_bounds,
    record_values,
    schema_facts,
)

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
    low, high = number_bounds(spec)
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
        (MAX_MAGNITUDE + step, "out-of-bounds"),
        (-MAX_MAGNITUDE - step, "out-of-bounds"),
    ]
    declared_low = spec.min if spec.min is not None else (0 if spec.type == "percent" else None)
    declared_high = spec.max if spec.max is not None else (100 if spec.type == "percent" else None)
    if declared_low is not None and declared_low - step >= -MAX_MAGNITUDE:
        below = Decimal(declared_low) - step
        if spec.type == "integer":
            with decimal.localcontext(WIDE):
                below = below.to_integral_value(decimal.ROUND_FLOOR)
        wrong.append((below, "out-of-bounds"))
    if declared_high is not None and declared_high + step <= MAX_MAGNITUDE:
        above = Decimal(declared_high) + step
        if spec.type == "integer":
            with decimal.localcontext(WIDE):
                above = above.to_integral_value(decimal.ROUND_CEILING)
        wrong.append((above, "out-of-bounds"))
    if spec.type == "integer" and low + Decimal("0.5") <= high:
        wrong.append((low + Decimal("0.5"), "fact-type"))
    return wrong


_TZ = dt.timezone(dt.timedelta(hours=8))
_WRONG_BOOLEANS: list[tuple[object, str]] = [
    (v, "fact-type") for v in ("no", "yes", "true", "是", 1, 0, None)
]
_WRONG_DATES: list[tuple[object, str]] = [
    (v, "fact-type")
    for v in (
        "2022/01/30",
        "2022-02-30",
        "30-01-2022",
        "2022-1-5",
        "2022-01-30T00:00:00+08:00",
        20220130,
        dt.datetime(2022, 1, 30, tzinfo=_TZ),
        dt.datetime(2022, 1, 30),  # a naive datetime is the wrong type too
        None,
    )
]
_WRONG_TEXTS: list[tuple[object, str]] = [
    (5, "fact-type"),
    (True, "fact-type"),
    (None, "fact-type"),
    ("x" * (MAX_TEXT_LENGTH + 1), "out-of-bounds"),
]
_WRONG_LISTS: list[tuple[object, str]] = [
    ({}, "fact-type"),
    ("rows", "fact-type"),
    (5, "fact-type"),
    (None, "fact-type"),
]


def _wrong_enum(spec: FactSpec | FieldSpec) -> list[tuple[object, str]]:
    assert spec.values is not None
    near = spec.values[0].upper()
    while near in spec.values:
        near += "x"
    return [(near, "fact-type"), (1, "fact-type"), (True, "fact-type"), (None, "fact-type")]


#: Values that break a fact of each type in one way, each with the error code it must give, by
#: the type's name in the rubric format (a test keeps the keys and the format's types in step).
WRONG: Mapping[str, Callable[[FactSpec | FieldSpec], list[tuple[object, str]]]] = {
    **dict.fromkeys(NUMBER_TYPES, _wrong_number),
    "boolean": lambda spec: _WRONG_BOOLEANS,
    "date": lambda spec: _WRONG_DATES,
    "enum": _wrong_enum,
    "text": lambda spec: _WRONG_TEXTS,
    "list": lambda spec: _WRONG_LISTS,
}


def _wrong_values(spec: FactSpec | FieldSpec) -> list[tuple[object, str]]:
    """Values that break `spec` in one way, each with the error code it must give."""
    return WRONG[spec.type](spec)


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
        if not is_optional(spec):

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
    limit = DEFAULT_MAX_ITEMS if spec.max_items is None else spec.max_items
    out: list[tuple[str, _Mutation]] = []
    record = record_values(spec, name)

    def too_long(draw: st.DrawFn, facts: dict[str, object]) -> str:
        facts[name] = [draw(record)] * (limit + 1)
        return "out-of-bounds"

    if limit < 5_000:
        out.append((f"{name} over max_items", too_long))
    if limit < 1:
        return out

    def one_record(
        draw: st.DrawFn, facts: dict[str, object]
    ) -> tuple[list[object], dict[str, object]]:
        given = facts.get(name)
        rows: list[object] = list(given) if isinstance(given, list) and given else [draw(record)]
        i = draw(st.integers(0, len(rows) - 1))
        chosen = rows[i]
        assert isinstance(chosen, dict)  # valid facts: every record is a mapping
        rows[i] = row = dict(chosen)
        facts[name] = rows
        return rows, row

    def field_wrong(draw: st.DrawFn, facts: dict[str, object]) -> str:
        _, row = one_record(draw, facts)
        key = draw(st.sampled_from(sorted(fields)))
        value, code = draw(st.sampled_from(_wrong_values(fields[key])))
        row[key] = value
        return code

    required = sorted(k for k, v in fields.items() if not is_optional(v))

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
    schema = facts_schema(rubric)
    valid = schema_facts(schema)

    @st.composite
    def broken(draw: st.DrawFn) -> tuple[dict[str, object], str]:
        facts = draw(valid)
        options = _mutations(schema, facts)
        label, mutate = draw(st.sampled_from(options))
        hypothesis.note(f"breakage: {label}")
        code = mutate(draw, facts)
        return facts, code

    return broken()
