"""Rubrics, facts documents, scorecards and every perfscore error pickle and come back equal,
so they cross process boundaries (`Rubric.evaluate_many`, Dask, pytest-xdist) intact."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

import perfscore
from perfscore import FactsDocument, PerfscoreError, Problem, Rubric
from perfscore._errors import Location
from perfscore._methods._base import FactValueError  # a subclass outside _errors

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEPT_FACTS = EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml"


def round_trip(obj: object) -> object:
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301


def error_classes() -> list[type[PerfscoreError]]:
    """Every class in the exception tree, found by walking it, not by listing it."""
    found: list[type[PerfscoreError]] = []
    todo = [PerfscoreError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda c: c.__qualname__)


def test_the_walk_finds_the_whole_tree() -> None:
    names = {c.__name__ for c in error_classes()}
    assert {
        "PerfscoreError",
        "DocumentError",
        "RubricError",
        "FactsError",
        "ScoringError",
        "ExpressionError",
        "UsageError",
        "FactValueError",
    } <= names


@pytest.mark.parametrize("cls", error_classes(), ids=lambda c: c.__name__)
def test_every_error_class_round_trips_equal(cls: type[PerfscoreError]) -> None:
    problems = [
        Problem(
            "fact-type",
            "rate must be a number",
            Location("facts.yaml", 3, 9),
            "fact 'rate'",
            hint="write 95, not '95%'",
            details=(("expected", "number"),),
        ),
        Problem("missing-fact", "missing fact 'problems'", Location("facts.yaml", 2)),
    ]
    error = cls(problems, "facts.yaml: 2 problem(s)")
    error.add_note("scored in a batch")
    back = round_trip(error)
    assert type(back) is cls
    assert back == error
    assert hash(back) == hash(error)
    assert str(back) == str(error)
    assert back.problems == tuple(problems)
    assert back.summary == "facts.yaml: 2 problem(s)"
    assert back.__notes__ == ["scored in a batch"]
    assert back.code == "fact-type"
    assert back.location == Location("facts.yaml", 3, 9)


def test_an_error_keeps_its_own_attributes_across() -> None:
    error = FactValueError(Problem("tier-mismatch", "outside its tier"), path=("score", 0))
    back = round_trip(error)
    assert isinstance(back, FactValueError)
    assert back.path == ("score", 0)
    assert back == error


def test_errors_equal_only_when_they_say_the_same() -> None:
    one = Problem("missing-fact", "missing fact 'rate'", Location("a.yaml", 2))
    other = Problem("missing-fact", "missing fact 'rate'", Location("b.yaml", 2))
    assert perfscore.FactsError(one) == perfscore.FactsError(one)
    assert perfscore.FactsError(one) != perfscore.FactsError(other)
    assert perfscore.FactsError(one) != perfscore.ScoringError(one)
    assert perfscore.FactsError(one) != perfscore.FactsError(one, summary="a.yaml: 1 problem")
    assert len({perfscore.FactsError(one), perfscore.FactsError(one)}) == 1


def test_a_rubric_round_trips_equal_and_scores_the_same(demo_rubric: str) -> None:
    rubric = perfscore.parse_rubric(demo_rubric, name="demo.yaml")
    back = round_trip(rubric)
    assert isinstance(back, Rubric)
    assert back == rubric
    assert hash(back) == hash(rubric)
    assert (back.ref, back.sha256, back.indicator_ids) == (
        rubric.ref,
        rubric.sha256,
        ("spend", "comp"),
    )
    card = back.evaluate({"rate": 95, "problems": 2})
    assert card.total == 8.5  # spend 6 - 5 x 0.1 = 5.5, comp 4 - 2 x 0.5 = 3
    assert card == rubric.evaluate({"rate": 95, "problems": 2})
    with pytest.raises(AttributeError):
        back.sha256 = "x"  # type: ignore[misc]


def test_an_unpickled_rubric_locates_problems_in_its_file(
    make_rubric: Callable[..., Rubric],
) -> None:
    rubric = make_rubric(
        """
        perfscore: 1
        id: r
        version: "1"
        title: t
        facts:
          a: {type: number, label: A}
          b: {type: number, label: B}
        groups:
          - id: g
            name: G
            max: 10
            children:
              - {id: x, name: X, max: 10, formula: "10 * a / b"}
        grades: [{grade: 优}]
        """,
        name="ratio.yaml",
    )
    back = round_trip(rubric)
    assert isinstance(back, Rubric)
    with pytest.raises(perfscore.ScoringError) as here:
        rubric.evaluate({"a": 1, "b": 0})
    with pytest.raises(perfscore.ScoringError) as there:
        back.evaluate({"a": 1, "b": 0})
    assert there.value == here.value
    assert there.value.location is not None
    assert there.value.location.file == "ratio.yaml"


def test_an_extending_rubric_round_trips_with_its_chain() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.2")
    back = round_trip(rubric)
    assert isinstance(back, Rubric)
    assert back == rubric
    assert back.chain == rubric.chain == ("dept-overall-huizhou@2022.1",)


def test_rubrics_differ_when_their_content_does(demo_rubric: str) -> None:
    rubric = perfscore.parse_rubric(demo_rubric, name="demo.yaml")
    changed = perfscore.parse_rubric(
        demo_rubric.replace("max: 6", "max: 5", 1).replace("max: 4", "max: 5", 1), name="demo.yaml"
    )
    assert rubric != changed
    assert rubric != perfscore.parse_rubric(demo_rubric, name="elsewhere.yaml")


def test_a_facts_document_round_trips_equal_with_its_locations() -> None:
    facts = perfscore.load_facts(DEPT_FACTS)
    back = round_trip(facts)
    assert isinstance(back, FactsDocument)
    assert back == facts
    assert back.locate(("facts", "basic_full")) == facts.locate(("facts", "basic_full"))
    assert back.locate(("facts", "basic_full")) == perfscore.Location(str(DEPT_FACTS), 13, 15)
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    assert rubric.evaluate(back) == rubric.evaluate(facts)


def test_facts_are_read_only_and_not_shared_with_the_caller() -> None:
    given: dict[str, object] = {"rate": 95}
    document = FactsDocument(None, None, None, None, given)
    with pytest.raises(TypeError):
        document.facts["rate"] = 50  # type: ignore[index]
    given["rate"] = 50
    assert document.facts["rate"] == 95
    back = round_trip(document)
    assert isinstance(back, FactsDocument)
    with pytest.raises(TypeError):
        back.facts["rate"] = 50  # type: ignore[index]
    assert back == document


def test_a_scorecard_round_trips_equal_with_its_traces() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    card = rubric.evaluate(perfscore.load_facts(DEPT_FACTS), trace=True)
    back = round_trip(card)
    assert back == card
    assert isinstance(back, perfscore.Scorecard)
    assert back.to_json() == card.to_json()
