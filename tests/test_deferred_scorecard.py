"""A scorecard made on demand is exactly the scorecard made up front.

`Rubric.evaluate` returns a scorecard whose costly fields (the facts hash, the indicators,
groups and checks with the words of their traces, the review) are made from the run's result
when first read (`_output/_assemble.assemble_deferred`). The reference is `assemble`, which
makes every part at once; `assemble_eager` calls it with the same arguments. Each test scores
the same facts both ways and compares what a user can see: every field, read in any order,
equality, the JSON, the dump, pickling, copies, repr and the reports.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import perfscore
from _differential import examples as _examples
from perfscore import PerfscoreError, Scorecard
from perfscore._load._facts import Claims
from perfscore._output import _assemble
from perfscore._output._scorecard import DEFERRED, _drop_exact, _write
from perfscore.strategies import facts_for, facts_with_unknowns, rubrics

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FIELDS = tuple(Scorecard.model_fields)


@contextmanager
def _made_up_front() -> Iterator[None]:
    """`Rubric.evaluate` with every part made at once (the reference)."""
    # the usual call's own assembly (`assemble_exact`) steps aside for the general one
    with (
        mock.patch("perfscore._rubric.assemble_deferred", _assemble.assemble_eager),
        mock.patch("perfscore._rubric.assemble_exact", return_value=None),
    ):
        yield


def _both(rubric: perfscore.Rubric, facts: Any, **options: Any) -> tuple[Scorecard, Scorecard]:
    """The scorecard of `facts` made on demand, and made up front."""
    deferred = rubric.evaluate(facts, **options)
    with _made_up_front():
        eager = rubric.evaluate(facts, **options)
    assert _assemble_parts(deferred) is not None  # nothing read yet
    assert _assemble_parts(eager) is None
    return deferred, eager


def _assemble_parts(card: Scorecard) -> object:
    from perfscore._output._scorecard import _parts_of

    return _parts_of(card)


def _reference_json(card: Scorecard, indent: int | None) -> str:
    data = card.model_dump(mode="python")
    _drop_exact(data)
    out: list[str] = []
    _write(data, out, indent, False, 0)
    return "".join(out)


def _same(deferred: Scorecard, eager: Scorecard, order: tuple[str, ...] = FIELDS) -> None:
    """Everything readable agrees; `order` is the order the fields are first read in."""
    for name in order:
        assert getattr(deferred, name) == getattr(eager, name), name
        assert type(getattr(deferred, name)) is type(getattr(eager, name)), name
    assert deferred == eager
    assert deferred.model_dump() == eager.model_dump()
    assert list(deferred.model_dump()) == list(eager.model_dump()) == list(FIELDS)
    assert deferred.model_dump_json() == eager.model_dump_json()
    assert repr(deferred) == repr(eager)
    assert deferred.model_fields_set == eager.model_fields_set


@pytest.fixture(scope="module")
def department() -> perfscore.Rubric:
    return perfscore.load_rubric("dept-overall-huizhou@2022.1")


@pytest.mark.parametrize("trace", [True, False])
@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_each_example_is_the_same_made_on_demand(example: str, trace: bool) -> None:
    document = perfscore.load_facts(EXAMPLES / example)
    rubric = perfscore.load_rubric(f"{document.rubric_id}@{document.rubric_version}")
    for indent in (2, None):
        deferred, eager = _both(rubric, document, trace=trace)
        text = deferred.to_json(indent=indent)  # written before anything else is read
        assert text == eager.to_json(indent=indent) == _reference_json(eager, indent)
    deferred, eager = _both(rubric, document, trace=trace)
    _same(deferred, eager)
    assert deferred.explain() == eager.explain()
    assert deferred.to_markdown() == eager.to_markdown()
    assert deferred.to_html() == eager.to_html()


def test_a_reviewed_card_keeps_its_discrepancies_and_findings(
    department: perfscore.Rubric,
) -> None:
    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    first = department.indicator_ids[0]
    claims = Claims({first: Decimal("0.5")}, Decimal(50), "差")
    deferred, eager = _both(department, document, claims=claims)
    assert eager.review is not None
    assert eager.review.findings
    assert {d.code for d in eager.discrepancies} == {
        "claimed-score-differs",
        "claimed-total-differs",
    }
    # the review read first makes the indicators it compares the claims with
    assert deferred.review == eager.review
    assert deferred.discrepancies == eager.discrepancies
    assert deferred.indicators == eager.indicators
    assert deferred.fails_on("discrepancy")
    assert deferred.has_findings
    _same(deferred, eager)


def test_a_card_not_yet_read_pickles_copies_and_compares_whole(
    department: perfscore.Rubric,
) -> None:
    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    for make in (
        lambda c: pickle.loads(pickle.dumps(c)),  # noqa: S301 (our own bytes)
        copy.copy,
        copy.deepcopy,
        lambda c: c.model_copy(),
        lambda c: Scorecard.model_validate_json(c.to_json()),
        lambda c: Scorecard.model_validate(c.model_dump()),
    ):
        deferred, eager = _both(department, document)
        made = make(deferred)
        assert _assemble_parts(made) is None  # a whole scorecard: nothing left to make
        assert made == eager
        assert made.to_json() == eager.to_json()
        assert eager == deferred  # the reference on the left: compares the fields made by now
    deferred, eager = _both(department, document)
    changed = deferred.model_copy(update={"total": Decimal(1)})
    assert changed.total == 1
    assert changed.indicators == eager.indicators
    assert dict(_both(department, document)[0]) == dict(eager)


def test_reading_the_totals_makes_nothing_else(department: perfscore.Rubric) -> None:
    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    deferred, eager = _both(department, document, trace=False)
    assert (deferred.total, deferred.grade, deferred.max_total) == (
        eager.total,
        eager.grade,
        eager.max_total,
    )
    assert DEFERRED.isdisjoint(deferred.__dict__)
    assert deferred.facts_sha256 == eager.facts_sha256
    assert set(deferred.__dict__) & DEFERRED == {"facts_sha256"}
    with pytest.raises(AttributeError):
        deferred.no_such_field  # noqa: B018


def test_a_card_read_from_two_threads_is_made_once_alike(department: perfscore.Rubric) -> None:
    from concurrent.futures import ThreadPoolExecutor

    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    for _ in range(20):
        deferred, eager = _both(department, document)
        with ThreadPoolExecutor(4) as pool:
            texts = list(pool.map(Scorecard.to_json, [deferred] * 4))
        assert set(texts) == {eager.to_json()}


# ------------------------------------------------------------------ random rubrics and facts


@st.composite
def _cases(draw: st.DrawFn) -> tuple[perfscore.Rubric, dict[str, object], dict[str, Any]]:
    """A random rubric, valid facts (sometimes with unknown values), and evaluate's options:
    traces on or off, indicators marked not applicable, claimed scores, total and grade."""
    text = draw(rubrics())
    note(text)
    rubric = perfscore.parse_rubric(text, name="<rubric>")
    if draw(st.booleans()):
        facts, _holes = draw(facts_with_unknowns(rubric))
    else:
        facts = draw(facts_for(rubric))
    ids = list(rubric.indicator_ids)
    scores = st.decimals(min_value=-1, max_value=120, places=2)
    options: dict[str, Any] = {"trace": draw(st.booleans())}
    if ids and draw(st.booleans()):
        options["not_applicable"] = draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))
    if ids and draw(st.booleans()):
        claimed = draw(st.dictionaries(st.sampled_from(ids), scores, max_size=len(ids)))
        options["claims"] = Claims(
            claimed,
            draw(st.none() | scores),
            draw(st.none() | st.sampled_from(["优", "良", "中", "差", "A", "B"])),
        )
    return rubric, facts, options


@pytest.mark.properties
@_examples(60)
@given(_cases(), st.permutations(FIELDS), st.sampled_from([2, None]))
def test_random_scorecards_are_the_same_made_on_demand(
    case: tuple[perfscore.Rubric, dict[str, object], dict[str, Any]],
    order: list[str],
    indent: int | None,
) -> None:
    rubric, facts, options = case
    try:
        deferred, eager = _both(rubric, facts, **options)
    except PerfscoreError as exc:  # the same error, raised before anything is made
        error = exc
    else:
        error = None
    if error is not None:
        with _made_up_front(), pytest.raises(type(error)) as raised:
            rubric.evaluate(facts, **options)
        assert str(raised.value) == str(error)
        return
    assert deferred.to_json(indent=indent) == _reference_json(eager, indent)
    deferred = _both(rubric, facts, **options)[0]
    _same(deferred, eager, tuple(order))
    unread = _both(rubric, facts, **options)[0]
    assert pickle.loads(pickle.dumps(unread)) == eager  # noqa: S301 (our own bytes)


# ------------------------------------------------------------------ the content hash's text

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.dates()
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=4) | st.integers(-20, 20), inner, max_size=4)
    ),
    max_leaves=20,
)


@pytest.mark.properties
@_examples(200)
@given(_DATA)
def test_the_canonical_text_is_the_general_writers(data: object) -> None:
    from perfscore._output._scorecard import canonical_json

    out: list[str] = []
    _write(data, out, None, True, 0)
    assert canonical_json(data) == "".join(out)


def test_the_canonical_text_of_facts_with_marks_and_records() -> None:
    from perfscore._output._scorecard import canonical_json
    from perfscore._values import Doubtful, Records, Unknown

    data = {
        "b": Records([{"y": Decimal("1.50"), "x": "甲"}]),
        "a": Unknown("截断"),
        "c": Doubtful(Decimal("-0"), "OCR"),
        10: [],
        9: {},
    }
    assert canonical_json(data) == (
        '{"10":[],"9":{},"a":{"unknown":"截断"},"b":[{"x":"甲","y":1.5}],'
        '"c":{"doubtful":"OCR","value":0}}'
    )


# ------------------------------------------------------------------ the writers of the parts


def test_parts_of_unexpected_types_are_written_as_their_dump(department: perfscore.Rubric) -> None:
    from dataclasses import replace

    from perfscore._output._scorecard import CheckWarning, RuleBasis

    card = department.evaluate(perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml"))
    first, *rest = card.indicators
    odd = replace(
        first,
        min=0,  # type: ignore[arg-type]  # an int where a Decimal belongs
        basis=RuleBasis("sourced", 'quote " and \\ and \n 中文'),
        trace=None,
    )
    changed = card.model_copy(
        update={
            "indicators": (odd, *rest),
            "warnings": (
                CheckWarning("a", "notice", "info"),
                CheckWarning("b", "warned"),
                CheckWarning("c", "failed", "error"),
            ),
            "labels": {},
            "total_trace": (),
        }
    )
    for indent in (2, None, 3):
        text = changed.to_json(indent=indent)
        # pydantic says the int is not the Decimal it expects, and writes it: so do the writers
        with pytest.warns(UserWarning, match="Expected `decimal`"):
            reference = _reference_json(changed, indent)
        assert text == reference
    assert '"severity"' not in changed.to_json().split('"b"')[1].split("}")[0]
    assert Scorecard.model_validate_json(changed.to_json()).warnings == changed.warnings


def _shown_reference(value: Decimal) -> str:
    """How a trace writes a number, as first written (exponent read from the digits tuple)."""
    from perfscore._numbers import format_decimal

    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        return "≈" + format_decimal(value.quantize(Decimal("0.0001")))
    return format(value.copy_abs() if value.is_zero() else value, "f")


@pytest.mark.properties
@_examples(500)
@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12)
    | st.builds(Decimal, st.sampled_from(["-0", "-0.00", "0E-10", "-0E-10", "1E+3", "0E+2"]))
)
def test_a_trace_shows_a_number_as_it_always_did(value: Decimal) -> None:
    from perfscore._output._words import show

    assert show(value, "zh") == show(value, "en") == _shown_reference(value)


def test_the_words_cache_empties_itself_and_keeps_no_long_text(
    department: perfscore.Rubric,
) -> None:
    from perfscore._output import _scorecard

    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    expected = _both(department, document)[1].to_json()
    _scorecard._quoted_room[0] = 50  # nearly full: emptied during the next scorecard
    assert _both(department, document)[0].to_json() == expected
    assert 0 <= _scorecard._quoted_room[0] <= _scorecard._QUOTED_CHARS
    long = "长" * (_scorecard._QUOTED_CHARS // 100)
    assert _scorecard._quoted(long) == '"' + long + '"'
    assert long not in _scorecard._QUOTED
    assert _scorecard._quoted('a "b"\n') == '"a \\"b\\"\\n"'
    assert _scorecard._QUOTED['a "b"\n'] == '"a \\"b\\"\\n"'


def test_changing_the_facts_after_scoring_changes_nothing_made_later(
    department: perfscore.Rubric,
) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_scoring import build_corpus

    facts = build_corpus(1)[0][1]
    assert isinstance(facts, dict)
    eager = _both(department, facts)[1]
    deferred = department.evaluate(facts)
    lists = [k for k, v in facts.items() if isinstance(v, list) and v]
    for key in list(facts):  # the caller reuses its mapping for the next document
        value = facts[key]
        if isinstance(value, Decimal):
            facts[key] = value + 1
    for key in lists:
        facts[key][0].clear()
    assert deferred.facts_sha256 == eager.facts_sha256
    assert deferred == eager
    assert deferred.to_json() == eager.to_json()
