"""The fast paths of evaluate give exactly what the reference paths give.

Two shortcuts keep `Rubric.evaluate` and `Scorecard.to_json` fast: a happy-path facts
validator (`_load/_facts.validate_values_fast`) that hands anything not plainly valid to the
full validator, and a JSON writer that reads the scorecard's objects directly instead of
dumping them first. Each is checked here against its reference on random rubrics and facts
(`perfscore.strategies`), valid and invalid, and on a table of hostile values. The ``ci``
profile runs a short sample; ``--hypothesis-profile long`` runs 10,000 examples a property.
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
from collections import OrderedDict
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import perfscore
from _differential import examples as _profile_examples
from perfscore import FactsDocument, FactsError, PerfscoreError
from perfscore._load._document import FORBIDDEN_CHARACTERS
from perfscore._load._facts import freeze, validate_values, validate_values_fast
from perfscore._output._scorecard import _drop_exact, _write, canonical_json, sha256_of
from perfscore._values import Records
from perfscore.strategies import facts_for, invalid_facts_for, rubrics

pytestmark = pytest.mark.properties


def _reference_json(data: object, indent: int | None = 2, sort_keys: bool = False) -> str:
    """The writer every JSON text came from before the fast one: recursive, over plain data."""
    out: list[str] = []
    _write(data, out, indent, sort_keys, 0)
    return "".join(out)


def _dumped(card: perfscore.Scorecard) -> dict[str, Any]:
    """The model's dump as the JSON contract has it: the range keys only where a score is a
    range (docs/scorecard-json.md)."""
    data = card.model_dump(mode="python")
    _drop_exact(data)
    return data


def _shape(value: object) -> object:
    """A value with its exact type and text, records opened up: equal only when identical."""
    if isinstance(value, Records):
        return ("records", [[(k, _shape(v)) for k, v in r.items()] for r in value])
    return (type(value).__name__, str(value))


def _same_values(fast: Mapping[str, object], full: Mapping[str, object]) -> None:
    assert list(fast) == list(full)
    for key in full:
        assert _shape(fast[key]) == _shape(full[key]), key


@st.composite
def _rubric_and_facts(draw: st.DrawFn) -> tuple[perfscore.Rubric, dict[str, object]]:
    text = draw(rubrics())
    note(text)
    rubric = perfscore.parse_rubric(text, name="<rubric>")
    return rubric, draw(facts_for(rubric))


@st.composite
def _rubric_and_invalid(draw: st.DrawFn) -> tuple[perfscore.Rubric, dict[str, object], str]:
    text = draw(rubrics())
    note(text)
    rubric = perfscore.parse_rubric(text, name="<rubric>")
    facts, code = draw(invalid_facts_for(rubric))
    return rubric, facts, code


# ------------------------------------------------------------------ the happy-path validator


@_profile_examples(50)
@given(_rubric_and_facts())
def test_fast_validator_gives_the_full_validators_values(
    case: tuple[perfscore.Rubric, dict[str, object]],
) -> None:
    rubric, facts = case
    full = validate_values(rubric.plan.facts, facts, document=None)
    fast = validate_values_fast(rubric.plan.facts, facts)
    assert fast is not None  # valid facts of the declared Python types take the fast path
    _same_values(fast, full)


@_profile_examples(50)
@given(_rubric_and_invalid())
def test_fast_validator_defers_every_invalid_document(
    case: tuple[perfscore.Rubric, dict[str, object], str],
) -> None:
    rubric, facts, _code = case
    try:
        full = validate_values(rubric.plan.facts, facts, document=None)
    except FactsError:
        assert validate_values_fast(rubric.plan.facts, facts) is None
    else:  # the breakage shows only when scoring (a tier's range, say): same values then
        fast = validate_values_fast(rubric.plan.facts, facts)
        if fast is not None:
            _same_values(fast, full)


@_profile_examples(40)
@given(_rubric_and_invalid())
def test_evaluate_reports_invalid_facts_exactly_as_the_full_validator(
    case: tuple[perfscore.Rubric, dict[str, object], str],
) -> None:
    rubric, facts, _code = case
    try:
        validate_values(rubric.plan.facts, facts, document=None)
    except FactsError as exc:
        expected = [(p.code, str(p.location), p.message) for p in exc.problems]
    else:
        return
    with pytest.raises(FactsError) as raised:
        rubric.evaluate(facts)
    got = [(p.code, str(p.location), p.message) for p in raised.value.problems]
    assert got[-len(expected) :] == expected  # a rubric-mismatch note may come first


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HOUR = dt.datetime(2022, 3, 1, 12, 0)


class _Text(str):
    __slots__ = ()


class _Number(Decimal):
    __slots__ = ()


HOSTILE_RUBRIC = """\
perfscore: 1
id: hostile
version: "1"
title: 敌意输入
facts:
  amount: {type: number, label: 金额, min: 0, max: 1000}
  count: {type: integer, label: 个数, min: 0, default: 0}
  rate: {type: percent, label: 比率}
  done: {type: boolean, label: 完成}
  day: {type: date, label: 日期}
  level: {type: enum, label: 等级, values: [a, b]}
  note: {type: text, label: 说明, required: false}
  rows:
    type: list
    label: 记录
    fields:
      n: {type: integer, label: 数, min: 0}
groups:
  - id: g
    name: 全部
    max: 100
    children:
      - {id: only, name: 唯一, max: 100, formula: "min(amount, 100)"}
grades:
  - {grade: 优, min: 90}
  - {grade: 差}
"""

VALID: dict[str, object] = {
    "amount": Decimal("12.5"),
    "count": 3,
    "rate": Decimal("99.99"),
    "done": True,
    "day": "2022-03-01",
    "level": "a",
    "note": "说明",
    "rows": [{"n": Decimal(1)}],
}

#: One change to VALID each; every one must leave the fast path (the full validator decides).
HOSTILE: list[tuple[str, dict[str, object]]] = [
    ("float amount", {"amount": 12.5}),
    ("bool as a number", {"amount": True}),
    ("numeric text", {"amount": "12.5"}),
    ("Decimal NaN", {"amount": Decimal("NaN")}),
    ("Decimal sNaN", {"amount": Decimal("sNaN")}),
    ("Decimal infinity", {"amount": Decimal("Infinity")}),
    ("a Decimal subclass", {"amount": _Number("1")}),
    ("huge magnitude", {"amount": Decimal("1e16")}),
    ("above the maximum", {"amount": Decimal("1000.01")}),
    ("below the minimum", {"amount": Decimal("-0.01")}),
    ("a fraction for an integer", {"count": Decimal("1.5")}),
    ("percent above 100", {"rate": Decimal("100.01")}),
    ("text for a boolean", {"done": "no"}),
    ("int for a boolean", {"done": 1}),
    ("a datetime for a date", {"day": HOUR}),
    ("an impossible date", {"day": "2022-02-30"}),
    ("a date with a time", {"day": "2022-03-01T00:00"}),
    ("a value no enum has", {"level": "c"}),
    ("a text subclass for an enum", {"level": _Text("a")}),
    ("a number for text", {"note": 5}),
    ("a control character", {"note": "a\u202eb"}),
    ("text too long", {"note": "x" * 20_001}),
    ("records as a mapping", {"rows": {"n": 1}}),
    ("a record that is not a dict", {"rows": [OrderedDict({"n": Decimal(1)})]}),
    ("a record with an unknown field", {"rows": [{"n": Decimal(1), "m": Decimal(2)}]}),
    ("a record without its field", {"rows": [{}]}),
    ("too many records", {"rows": [{"n": Decimal(1)}] * 1001}),
    ("null for a required fact", {"amount": None}),
    ("an unknown fact", {"amuont": Decimal(1)}),
    ("a key that is not text", {1: Decimal(1)}),
]


#: Of HOSTILE, the ones the full validator accepts (it converts subclasses, reads any mapping).
ACCEPTED_BY_THE_FULL_VALIDATOR = {"a Decimal subclass", "a text subclass for an enum",
                                  "a record that is not a dict"}  # fmt: skip


@pytest.fixture(scope="module")
def hostile_rubric() -> perfscore.Rubric:
    return perfscore.parse_rubric(HOSTILE_RUBRIC, name="hostile.yaml")


def test_fast_validator_takes_the_plain_document(hostile_rubric: perfscore.Rubric) -> None:
    schema = hostile_rubric.plan.facts
    fast = validate_values_fast(schema, VALID)
    assert fast is not None
    _same_values(fast, validate_values(schema, VALID, document=None))
    assert fast["day"] == dt.date(2022, 3, 1)
    assert fast["count"] == Decimal(3)
    assert type(fast["count"]) is Decimal


@pytest.mark.parametrize(("what", "change"), HOSTILE, ids=[w for w, _ in HOSTILE])
def test_fast_validator_refuses_hostile_values(
    hostile_rubric: perfscore.Rubric, what: str, change: dict[Any, object]
) -> None:
    schema = hostile_rubric.plan.facts
    facts: dict[Any, object] = {**VALID, **change}
    assert validate_values_fast(schema, facts) is None, what
    if what in ACCEPTED_BY_THE_FULL_VALIDATOR:  # unusual but valid: scored by the slow path
        values = validate_values(schema, facts, document=None)
        assert hostile_rubric.evaluate(facts).facts_sha256 == sha256_of(values)
        return
    with pytest.raises(FactsError) as raised:
        hostile_rubric.evaluate(facts)
    with pytest.raises(FactsError) as reference:
        validate_values(schema, facts, document=None)
    assert [(p.code, p.message) for p in raised.value.problems] == [
        (p.code, p.message) for p in reference.value.problems
    ]


def test_fast_validator_refuses_a_missing_fact_and_a_mapping_that_is_not_a_dict(
    hostile_rubric: perfscore.Rubric,
) -> None:
    schema = hostile_rubric.plan.facts
    missing = {k: v for k, v in VALID.items() if k != "amount"}
    assert validate_values_fast(schema, missing) is None
    assert validate_values_fast(schema, OrderedDict(VALID)) is None
    assert _generated(hostile_rubric)(OrderedDict(VALID)) is None
    # the full validator still accepts any mapping; evaluate scores it the same
    card = hostile_rubric.evaluate(OrderedDict(VALID))
    assert card.to_json() == hostile_rubric.evaluate(dict(VALID)).to_json()


def test_both_fast_validators_take_the_read_only_shapes_of_a_facts_document(
    hostile_rubric: perfscore.Rubric,
) -> None:
    # a FactsDocument holds its facts frozen (read-only mappings, lists as tuples): both happy
    # paths take them, so scoring a document never falls off the fast path
    schema = hostile_rubric.plan.facts
    frozen = freeze(VALID)
    assert isinstance(frozen, MappingProxyType)
    reference = validate_values(schema, VALID, document=None)
    for typed in (validate_values_fast(schema, frozen), _generated(hostile_rubric)(frozen)):
        assert typed is not None
        _same_values(typed, reference)
    _same_values(validate_values(schema, frozen, document=None), reference)
    # a record as a read-only mapping inside a plain dict of facts is taken the same way
    rows = {**VALID, "rows": [MappingProxyType({"n": Decimal(1)})]}
    typed = _generated(hostile_rubric)(rows)
    assert typed is not None
    _same_values(typed, validate_values(schema, rows, document=None))


@_profile_examples(50)
@given(_rubric_and_facts())
def test_frozen_facts_give_every_validator_the_plain_facts_values(
    case: tuple[perfscore.Rubric, dict[str, object]],
) -> None:
    rubric, facts = case
    frozen = FactsDocument(None, None, None, None, facts).facts
    reference = validate_values(rubric.plan.facts, facts, document=None)
    _same_values(validate_values(rubric.plan.facts, frozen, document=None), reference)
    fast = validate_values_fast(rubric.plan.facts, frozen)
    generated = _generated(rubric)(frozen)
    plain = validate_values_fast(rubric.plan.facts, facts)
    assert (fast is None) == (generated is None) == (plain is None)
    if fast is not None and generated is not None:
        _same_values(fast, reference)
        _same_values(generated, reference)
    assert _outcome(rubric, frozen) == _outcome(rubric, facts)


@_profile_examples(50)
@given(_rubric_and_invalid())
def test_frozen_invalid_facts_are_reported_as_the_plain_ones(
    case: tuple[perfscore.Rubric, dict[str, object], str],
) -> None:
    rubric, facts, _code = case
    frozen = FactsDocument(None, None, None, None, facts).facts
    assert (_generated(rubric)(frozen) is None) == (_generated(rubric)(facts) is None)
    assert _outcome(rubric, frozen) == _outcome(rubric, facts)


def _outcome(rubric: perfscore.Rubric, facts: Mapping[str, object]) -> object:
    """The scorecard's JSON, or what the error says (code, message, hint of each problem)."""
    try:
        return rubric.evaluate(facts).to_json()
    except PerfscoreError as exc:
        return [(p.code, p.message, p.hint, p.location) for p in exc.problems]


def test_zero_in_any_notation_is_stored_as_plain_zero(hostile_rubric: perfscore.Rubric) -> None:
    schema = hostile_rubric.plan.facts
    for zero in (Decimal("0.00"), Decimal("-0"), Decimal("0E+3"), 0):
        fast = validate_values_fast(schema, {**VALID, "amount": zero})
        assert fast is not None
        assert str(fast["amount"]) == "0"


def _generated(rubric: perfscore.Rubric) -> Any:
    """The rubric's generated happy-path validator (installed at load), called as the plan
    calls it: in the evaluation context, any exception taken for None."""
    assert rubric.plan.fast.get("facts") is not None, "the generated validator is installed"
    return rubric.plan.validate_fast


def test_generated_validator_is_called_in_the_evaluation_context(
    hostile_rubric: perfscore.Rubric,
) -> None:
    # a NaN raises in the bounds' comparison: only the plan's call makes that a None
    generated = hostile_rubric.plan.fast["facts"]
    trapping = decimal.Context(traps=[decimal.InvalidOperation])
    with decimal.localcontext(trapping), pytest.raises(decimal.InvalidOperation):
        generated({**VALID, "amount": Decimal("NaN")})
    assert hostile_rubric.plan.validate_fast({**VALID, "amount": Decimal("NaN")}) is None
    assert hostile_rubric.plan.validate_fast(VALID) is not None


@_profile_examples(50)
@given(_rubric_and_facts())
def test_generated_validator_gives_the_happy_paths_values(
    case: tuple[perfscore.Rubric, dict[str, object]],
) -> None:
    rubric, facts = case
    typed = _generated(rubric)(facts)
    assert typed is not None
    _same_values(typed, validate_values(rubric.plan.facts, facts, document=None))


@_profile_examples(50)
@given(_rubric_and_invalid())
def test_generated_validator_defers_what_the_happy_path_defers(
    case: tuple[perfscore.Rubric, dict[str, object], str],
) -> None:
    rubric, facts, _code = case
    typed = _generated(rubric)(facts)
    expected = validate_values_fast(rubric.plan.facts, facts)
    if expected is None:
        assert typed is None
    else:
        assert typed is not None
        _same_values(typed, expected)


@pytest.mark.parametrize(("what", "change"), HOSTILE, ids=[w for w, _ in HOSTILE])
def test_generated_validator_refuses_hostile_values(
    hostile_rubric: perfscore.Rubric, what: str, change: dict[Any, object]
) -> None:
    assert _generated(hostile_rubric)({**VALID, **change}) is None, what


def test_generated_validator_takes_the_plain_document_and_its_defaults(
    hostile_rubric: perfscore.Rubric,
) -> None:
    generated = _generated(hostile_rubric)
    typed = generated(VALID)
    assert typed is not None
    _same_values(typed, validate_values(hostile_rubric.plan.facts, VALID, document=None))
    defaults = {k: v for k, v in VALID.items() if k not in ("count", "note")}
    typed = generated(defaults)
    assert typed is not None
    assert typed["count"] == 0
    assert type(typed["count"]) is Decimal
    assert typed["note"] is None
    _same_values(typed, validate_values(hostile_rubric.plan.facts, defaults, document=None))
    assert generated(OrderedDict(VALID)) is None
    for zero in (Decimal("0.00"), Decimal("-0"), Decimal("0E+3"), 0):
        assert str(generated({**VALID, "amount": zero})["amount"]) == "0"


#: Odd values a facts mapping may hold, for any fact or record field.
_ODD = st.one_of(
    st.sampled_from(
        [
            Decimal("NaN"),
            Decimal("-NaN"),
            Decimal("sNaN"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
            Decimal("-0"),
            Decimal("0E+7"),
            Decimal("-0.000"),
            Decimal("1E+15"),
            Decimal("-1E+15"),
            Decimal("1.0000000000000001E+15"),
            Decimal("1E+999999"),
            Decimal("1E-999999"),
            Decimal("2.0"),
            Decimal("1E+1"),
            True,
            False,
            0,
            -0,
            1,
            10**16,
            -(10**16),
            "1",
            "12.5",
            "NaN",
            "2022-03-01",
            "2022-02-30",
            "２０２２-03-01",
            "a",
            "a\u202eb",
            "a\nb",
            "\ufeff",
            None,
            1.5,
            _Text("a"),
            _Number("1"),
            {"unknown": True},
            {"unknown": "断页"},
            {"value": Decimal(1), "doubtful": "模糊"},
            {"doubtful": "x"},
            [],
            [{}],
            [[]],
            [{"n": Decimal(1)}],
            [{"n": Decimal(1), "m": 1}],
            ({"n": 1},),
            [None],
            dt.date(2022, 3, 1),
            HOUR,
        ]
    ),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.text(max_size=5),
)


@_profile_examples(200)
@given(
    st.dictionaries(st.sampled_from([*VALID, "rows.n", "other", 1]), _ODD, max_size=4),
    st.sets(st.sampled_from(list(VALID))),
)
def test_generated_validator_agrees_on_odd_values(
    hostile_rubric: perfscore.Rubric, change: dict[Any, object], dropped: set[str]
) -> None:
    facts: dict[Any, object] = {k: v for k, v in VALID.items() if k not in dropped}
    for key, value in change.items():
        if key == "rows.n":  # a record's field
            facts["rows"] = [{"n": value}]
        else:
            facts[key] = value
    schema = hostile_rubric.plan.facts
    with decimal.localcontext() as caller:  # a caller's context with no flag raised yet
        caller.clear_flags()
        typed = _generated(hostile_rubric)(facts)
        raised = [flag.__name__ for flag, up in caller.flags.items() if up]
    assert not raised  # a NaN never flags the caller's context
    expected = validate_values_fast(schema, facts)
    if expected is None:
        assert typed is None
        return
    assert typed is not None
    _same_values(typed, expected)
    _same_values(typed, validate_values(schema, facts, document=None))


def test_text_the_printable_test_passes_has_no_forbidden_character() -> None:
    # the generated validator searches text for forbidden characters only when Python calls
    # it unprintable: that is sound only while every forbidden character is unprintable
    for code in range(0x110000):
        char = chr(code)
        if FORBIDDEN_CHARACTERS.match(char):
            assert not char.isprintable(), hex(code)


def test_typed_records_do_not_follow_the_callers_dicts(hostile_rubric: perfscore.Rubric) -> None:
    row: dict[str, object] = {"n": Decimal(1)}
    typed = _generated(hostile_rubric)({**VALID, "rows": [row]})
    row["n"] = Decimal(7)
    assert [dict(r) for r in typed["rows"]] == [{"n": Decimal(1)}]
    with pytest.raises(TypeError):
        next(iter(typed["rows"]))["n"] = Decimal(2)  # type: ignore[index]


# ------------------------------------------------------------------------- the JSON writer


@_profile_examples(40)
@given(_rubric_and_facts(), st.booleans(), st.sampled_from([2, None, 4]))
def test_to_json_is_the_reference_dump_of_the_model(
    case: tuple[perfscore.Rubric, dict[str, object]], trace: bool, indent: int | None
) -> None:
    rubric, facts = case
    try:
        card = rubric.evaluate(facts, trace=trace)
    except PerfscoreError:
        return  # data-dependent scoring errors (x/0, no band) are not the writer's concern
    assert card.to_json(indent=indent) == _reference_json(_dumped(card), indent)
    values = validate_values(rubric.plan.facts, facts, document=None)
    assert canonical_json(values) == _reference_json(values, None, sort_keys=True)


def test_to_json_of_a_reviewed_scorecard_is_the_reference_dump() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    document = perfscore.load_facts(
        os.path.join(
            os.path.dirname(__file__), "..", "examples", "huizhou-dayawan-zuzhibu-2022.yaml"
        )
    )
    card = rubric.evaluate(document)
    assert card.review is not None  # the filed report claims scores: a review and findings
    for indent in (2, None):
        assert card.to_json(indent=indent) == _reference_json(_dumped(card), indent)
    assert perfscore.Scorecard.model_validate_json(card.to_json()) == card


def test_numbers_that_are_equal_are_written_alike() -> None:
    # the writer caches a number's text by value: 5, 5.0 and 5.00 must all read 5, -0 reads 0
    data = [Decimal("5"), Decimal("5.0"), Decimal("5.00"), Decimal("-0"), Decimal("0.10")]
    assert perfscore._output._scorecard.dump_json(data, indent=None) == "[5,5,5,0,0.1]"
    with pytest.raises(ValueError, match="not a JSON number"):
        perfscore._output._scorecard.dump_json([Decimal("NaN")])
