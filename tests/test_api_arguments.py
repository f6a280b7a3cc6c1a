"""Public calls given the wrong kind of argument say so (`UsageError` ``bad-argument``), take
the natural form where docs/api.md names one (a rubric as a path or ``id@version``, a facts
document as a path), and a `FactsDocument`'s facts are read-only all the way down."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

import perfscore
from perfscore import Claims, FactsDocument, UsageError
from perfscore._engine._run import run_plain
from perfscore._messages import Message
from perfscore._values import Records

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
REF = "dept-overall-huizhou@2022.1"
RUBRIC_FILE = ROOT / "rubric" / "dept-overall-huizhou" / "2022.1.yaml"


@pytest.fixture(scope="module")
def rubric() -> perfscore.Rubric:
    return perfscore.load_rubric(REF)


@pytest.fixture(scope="module")
def document() -> FactsDocument:
    return perfscore.load_facts(EXAMPLE)


def _refused(call: Callable[[], object], parameter: str) -> UsageError:
    with pytest.raises(UsageError) as raised:
        call()
    error = raised.value
    assert [p.code for p in error.problems] == ["bad-argument"]
    assert f": {parameter} must be " in error.problems[0].message
    assert "：" in error.render("zh")  # said in Chinese too
    return error


# --- 1. a FactsDocument's facts are read-only all the way down ------------------------------


def test_the_facts_of_a_document_cannot_be_changed(
    rubric: perfscore.Rubric, document: FactsDocument
) -> None:
    before = rubric.evaluate(document)
    honours = document.facts["honours"]
    assert isinstance(honours, tuple)
    with pytest.raises(AttributeError):
        honours.append(dict(honours[0]))  # type: ignore[attr-defined]
    surveys: Any = document.facts["surveys"]
    assert isinstance(surveys[0], MappingProxyType)
    with pytest.raises(TypeError):
        surveys[0]["rate"] = Decimal(10)
    with pytest.raises(TypeError):
        document.facts["honours"] = ()  # type: ignore[index]
    assert rubric.evaluate(document) == before
    assert before.total == 103


def test_a_document_keeps_a_copy_of_the_lists_and_records_it_was_given() -> None:
    row: dict[str, object] = {"n": 1}
    rows = [row]
    given: dict[str, object] = {"rows": rows, "marked": {"unknown": True}}
    doc = FactsDocument(None, None, None, None, given)
    rows.append({"n": 2})
    row["n"] = 5
    assert doc.facts["rows"] == ({"n": 1},)
    assert doc.facts["marked"] == {"unknown": True}
    assert isinstance(doc.facts["marked"], MappingProxyType)
    assert doc.has_marks


def test_a_document_is_scored_on_the_fast_path(
    rubric: perfscore.Rubric, document: FactsDocument
) -> None:
    # the generated validator takes the read-only shapes: no fall-back to the full validator
    assert rubric.plan.validate_fast(document.facts) is not None
    assert run_plain(rubric.plan, document.facts, False) is not None
    plain = {
        k: [dict(r) for r in v] if isinstance(v, tuple) else v for k, v in document.facts.items()
    }
    values = rubric.plan.validate_fast(plain)
    assert values is not None
    frozen = rubric.plan.validate_fast(document.facts)
    assert frozen is not None
    assert _opened(frozen) == _opened(values) == _opened(rubric.plan.validate(document.facts))
    bare = FactsDocument(None, None, None, None, plain)
    assert rubric.evaluate(bare).to_json() == rubric.evaluate(plain).to_json()


def _opened(values: dict[str, object]) -> dict[str, object]:
    """Typed values with their records as lists of dicts (`Records` compare by identity)."""
    return {k: [dict(r) for r in v] if isinstance(v, Records) else v for k, v in values.items()}


def test_a_frozen_document_pickles_and_compares_equal(document: FactsDocument) -> None:
    back = pickle.loads(pickle.dumps(document))  # noqa: S301 - our own bytes
    assert back == document
    assert isinstance(back.facts["surveys"], tuple)
    assert isinstance(back.facts["surveys"][0], MappingProxyType)
    rebuilt = FactsDocument(None, None, None, None, dict(document.facts))
    assert rebuilt.facts == document.facts


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("facts", [1, 2]),
        ("facts", None),
        ("facts", "x.yaml"),
        ("subject", 5),
        ("period", 2022),
        ("rubric_id", ["a"]),
        ("not_applicable", "satisfaction"),
        ("not_applicable", [1]),
        ("not_applicable", None),
        ("claims", {"indicators": {}}),
    ],
)
def test_a_document_refuses_fields_of_the_wrong_kind(field: str, value: object) -> None:
    fields: dict[str, Any] = {
        "rubric_id": None,
        "rubric_version": None,
        "subject": None,
        "period": None,
        "facts": {},
    }
    fields[field] = value
    _refused(lambda: FactsDocument(**fields), field)


def test_a_documents_not_applicable_list_is_kept_as_a_tuple() -> None:
    doc = FactsDocument(None, None, None, None, {}, ["a", "b"])  # type: ignore[arg-type]
    assert doc.not_applicable == ("a", "b")
    assert doc == FactsDocument(None, None, None, None, {}, ("a", "b"))


# --- 2. one text or mapping where a list belongs ---------------------------------------------


@pytest.mark.parametrize(
    "documents",
    [str(EXAMPLE), EXAMPLE, b"x.yaml", {"a.yaml": 1}, 5],
    ids=["str", "path", "bytes", "mapping", "int"],
)
def test_evaluate_many_refuses_one_document_for_a_list(
    rubric: perfscore.Rubric, documents: object
) -> None:
    error = _refused(lambda: rubric.evaluate_many(documents), "documents")  # type: ignore[arg-type]
    assert "pass a list of" in (error.problems[0].hint or "")


def test_evaluate_many_refuses_a_single_facts_document(
    rubric: perfscore.Rubric, document: FactsDocument
) -> None:
    _refused(lambda: rubric.evaluate_many(document), "documents")  # type: ignore[arg-type]
    assert [r.total for r in rubric.evaluate_many([document, str(EXAMPLE)])] == [103, 103]  # type: ignore[union-attr]


@pytest.mark.parametrize("value", ["satisfaction", {"satisfaction": 1}, [5], None, b"x"])
def test_evaluate_refuses_one_id_for_a_list_of_not_applicable_ids(
    rubric: perfscore.Rubric, document: FactsDocument, value: object
) -> None:
    error = _refused(
        lambda: rubric.evaluate(document, not_applicable=value),  # type: ignore[arg-type]
        "not_applicable",
    )
    assert "unknown indicator" not in str(error)


def test_a_list_of_not_applicable_ids_is_scored_as_before(
    rubric: perfscore.Rubric, document: FactsDocument
) -> None:
    as_list = rubric.evaluate(document, not_applicable=["satisfaction"])
    as_generator = rubric.evaluate(document, not_applicable=(i for i in ["satisfaction"]))
    assert as_list == as_generator
    assert not as_list.indicator("satisfaction").applicable


def test_load_corpus_and_diff_scores_refuse_one_path_for_a_list(rubric: perfscore.Rubric) -> None:
    _refused(lambda: perfscore.load_corpus(str(EXAMPLE)), "paths")
    _refused(lambda: perfscore.diff_scores(rubric, rubric, str(EXAMPLE)), "documents")  # type: ignore[arg-type]
    _refused(lambda: perfscore.diff_scores(rubric, rubric, [5]), "documents")  # type: ignore[list-item]


# --- 3. natural forms, and refusals naming the parameter --------------------------------------


def test_a_rubric_may_be_given_as_its_path_or_id(
    rubric: perfscore.Rubric, document: FactsDocument
) -> None:
    checked = perfscore.check_rubric(rubric)
    assert perfscore.check_rubric(REF) == checked
    # the findings name the file they are in: the checkout's here, the bundled one above
    # (the same file only when perfscore is installed from this checkout in place)
    from_file = perfscore.check_rubric(perfscore.load_rubric(RUBRIC_FILE))
    assert perfscore.check_rubric(RUBRIC_FILE) == from_file
    assert [(f.code, f.message, f.location and f.location.line) for f in from_file] == [
        (f.code, f.message, f.location and f.location.line) for f in checked
    ]
    assert perfscore.facts_schema(str(RUBRIC_FILE)) == perfscore.facts_schema(rubric)
    assert perfscore.diff_rubrics(REF, RUBRIC_FILE) == perfscore.diff_rubrics(rubric, rubric)
    by_ref = perfscore.diff_scores(REF, REF, [document])
    assert by_ref == perfscore.diff_scores(rubric, rubric, [document])
    assert perfscore.diff_scores(rubric, rubric, [str(EXAMPLE)]) == by_ref
    loaded = perfscore.load_facts(EXAMPLE, rubric=REF)
    assert loaded == perfscore.load_facts(EXAMPLE, rubric=rubric) == document


def test_a_facts_file_that_cannot_be_read_is_a_failure_of_diff_scores(
    rubric: perfscore.Rubric, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.yaml"
    result = perfscore.diff_scores(rubric, rubric, [missing])
    assert [f.document for f in result.failures] == [str(missing)]


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda r: perfscore.check_rubric(5), "rubric"),
        (lambda r: perfscore.facts_schema(None), "rubric"),
        (lambda r: perfscore.diff_rubrics(r, {"id": "x"}), "new"),
        (lambda r: perfscore.diff_scores(1, r, []), "old"),
        (lambda r: perfscore.load_facts(EXAMPLE, rubric=5), "rubric"),
        (lambda r: perfscore.load_facts(5), "path"),
        (lambda r: perfscore.load_facts(EXAMPLE, encoding=8), "encoding"),
        (lambda r: perfscore.load_rubric(None), "path"),
        (lambda r: perfscore.parse_rubric({"id": "x"}), "text"),
        (lambda r: r.evaluate([1, 2]), "facts"),
        (lambda r: r.evaluate(None), "facts"),
        (lambda r: r.evaluate({}, claims={"indicators": {"a": 1}}), "claims"),
        (lambda r: r.evaluate({}, trace="no"), "trace"),
        (lambda r: r.evaluate_many([], trace=None), "trace"),
        (lambda r: r.validate({"a": 1}), "facts"),
        (lambda r: r.matches("card"), "scorecard"),
    ],
)
def test_arguments_of_the_wrong_kind_are_usage_errors(
    rubric: perfscore.Rubric, call: Callable[[perfscore.Rubric], object], parameter: str
) -> None:
    _refused(lambda: call(rubric), parameter)


def test_evaluate_and_validate_read_a_facts_path(
    rubric: perfscore.Rubric, document: FactsDocument
) -> None:
    assert rubric.evaluate(str(EXAMPLE)) == rubric.evaluate(document)
    assert rubric.evaluate(EXAMPLE, trace=False) == rubric.evaluate(document, trace=False)
    rubric.validate(EXAMPLE)
    claims = Claims({"satisfaction": Decimal(5)})
    assert rubric.evaluate(document, claims=claims).discrepancies is not None


# --- 4. grade_of, fails_on and indicator -------------------------------------------------------


def test_grade_of_refuses_a_float_as_inexact(rubric: perfscore.Rubric) -> None:
    error = _refused(lambda: rubric.grade_of(89.5), "total")  # type: ignore[arg-type]
    assert error.problems[0].hint == Message("facts-hint-float")
    # and, as its message says, a total beyond 1E+15 in size
    for value in (
        Decimal("NaN"),
        Decimal("Infinity"),
        True,
        "90",
        None,
        10**100,
        Decimal("-2E+15"),
    ):
        _refused(lambda value=value: rubric.grade_of(value), "total")  # type: ignore[misc]
    assert rubric.grade_of(Decimal("89.5")) == rubric.grade_of(89) == "良"
    assert rubric.grade_of(95) == "优"
    assert rubric.grade_of(10**15) == "优"


def test_fails_on_names_the_levels(rubric: perfscore.Rubric, document: FactsDocument) -> None:
    card = rubric.evaluate(document)
    error = _refused(lambda: card.fails_on("bogus"), "level")  # type: ignore[arg-type]
    assert "'error', 'warning', 'discrepancy'" in str(error)
    _refused(lambda: card.fails_on(["error"]), "level")  # type: ignore[arg-type]
    assert card.fails_on("discrepancy") in (True, False)


def test_indicator_raises_key_error_as_documented(
    rubric: perfscore.Rubric, document: FactsDocument
) -> None:
    card = rubric.evaluate(document)
    with pytest.raises(KeyError):
        card.indicator("nope")
    assert "`KeyError`" in (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def test_the_templates_take_a_rubric_by_path_or_id_and_refuse_anything_else() -> None:
    from perfscore import PerfscoreError, facts_template, facts_workbook, load_rubric

    rubric = load_rubric("dept-overall-huizhou@2022.3")
    assert facts_template("dept-overall-huizhou@2022.3") == facts_template(rubric)
    path = Path(__file__).resolve().parents[1] / "rubric" / "dept-overall-huizhou" / "2022.3.yaml"
    assert facts_template(path) == facts_template(rubric)
    with pytest.raises(PerfscoreError) as caught:
        facts_workbook(5)  # type: ignore[arg-type]
    assert caught.value.code == "bad-argument"
    assert str(caught.value.problems[0].message).startswith("facts_workbook: rubric must be")


@pytest.mark.parametrize("indent", ["x", 2.5, True, -1, 17])
def test_to_json_refuses_an_indent_that_is_not_a_count_of_spaces(
    rubric: perfscore.Rubric, document: FactsDocument, indent: object
) -> None:
    card = rubric.evaluate(document)
    error = _refused(lambda: card.to_json(indent=indent), "indent")  # type: ignore[arg-type]
    assert str(error).startswith("Scorecard.to_json: indent must be None or a whole number")
    assert card.to_json(indent=0).count("\n") == card.to_json().count("\n")  # 0: lines, no pad


@pytest.mark.parametrize("layout", ["bogus", 1, "Department"])
def test_the_office_forms_refuse_a_layout_they_do_not_have(
    rubric: perfscore.Rubric, document: FactsDocument, layout: object
) -> None:
    # an unknown layout quietly gave the department table
    pytest.importorskip("openpyxl")
    card = rubric.evaluate(document)
    _refused(lambda: card.to_xlsx(layout=layout), "layout")  # type: ignore[arg-type]
    pytest.importorskip("docx")
    _refused(lambda: card.to_docx(layout=layout), "layout")  # type: ignore[arg-type]


def test_an_unknown_encoding_is_refused_by_the_call_before_any_file_is_read(
    rubric: perfscore.Rubric,
) -> None:
    # evaluate_many gave every document the same error, and load_facts named no call
    for call, name in (
        (lambda: perfscore.load_facts(EXAMPLE, encoding="bogus"), "load_facts"),
        (lambda: list(rubric.evaluate_many([EXAMPLE], encoding="bogus")), "evaluate_many"),
        (lambda: perfscore.load_rubric(RUBRIC_FILE, encoding="bogus"), "load_rubric"),
    ):
        error = _refused(call, "encoding")
        assert str(error).startswith(f"{name}: encoding must be an encoding name or None")


def test_a_document_names_its_rubric_by_both_id_and_version_or_neither() -> None:
    # a document with an id and no version was refused later as "for rubric x@None"
    error = _refused(
        lambda: FactsDocument("dept-overall-huizhou", None, None, None, {}), "rubric_version"
    )
    assert "both, or neither" in str(error)
    _refused(lambda: FactsDocument(None, "2022.1", None, None, {}), "rubric_id")


def test_load_corpus_refuses_an_item_that_is_not_a_path() -> None:
    _refused(lambda: perfscore.load_corpus([5]), "paths")  # type: ignore[list-item]


def test_a_documents_own_text_given_for_its_path_is_said_to_be_text(
    rubric: perfscore.Rubric,
) -> None:
    # it was opened as a file name: a 13,000-character file-not-found echoing the whole text
    facts_text = EXAMPLE.read_text(encoding="utf-8")
    rubric_text = RUBRIC_FILE.read_text(encoding="utf-8")
    lines = len(facts_text.splitlines())
    for call, given, said, hint in (
        (
            perfscore.load_facts,
            facts_text,
            f"load_facts: path must be a path (str or os.PathLike), got text of {lines} lines, "
            "a document's own text",
            "give the facts file's path; facts already read go to Rubric.evaluate as a mapping "
            "of the facts section",
        ),
        (
            perfscore.load_rubric,
            rubric_text,
            "load_rubric: path must be a path (str or os.PathLike), got text of "
            f"{len(rubric_text.splitlines())} lines, a document's own text",
            "give the rubric file's path; parse_rubric(text) reads a rubric from its text",
        ),
        (
            rubric.evaluate,
            facts_text,
            "evaluate: facts must be a FactsDocument, a mapping of fact ids to values or the path "
            f"of a facts file, got text of {lines} lines, a document's own text",
            "give the facts file's path; facts already read go to Rubric.evaluate as a mapping "
            "of the facts section",
        ),
    ):
        with pytest.raises(UsageError) as raised:
            call(given)
        (problem,) = raised.value.problems
        assert (problem.code, problem.message, problem.hint) == ("bad-argument", said, hint)
        assert len(str(raised.value)) < 400


@pytest.mark.parametrize(
    ("subject", "said"),
    [
        ("a\x00b", "U+0000"),
        ("a\nb", "U+000A"),
        ("a\u200bb", "U+200B"),
        ("x" * 501, "text of 501 characters is longer than 500"),
    ],
)
def test_a_facts_documents_subject_and_period_are_names_on_one_line(
    document: FactsDocument, subject: str, said: str
) -> None:
    # the loader refused them in a file; made in Python they reached the xlsx and docx writers,
    # which failed with openpyxl's and python-docx's own errors
    import dataclasses

    for field in ("subject", "period"):
        with pytest.raises(UsageError) as raised:
            dataclasses.replace(document, **{field: subject})
        assert raised.value.code == "bad-argument"
        assert str(raised.value).startswith(f"FactsDocument: {field}: ")
        assert said in str(raised.value)


def test_an_indicator_is_looked_up_by_its_id_as_text(rubric: perfscore.Rubric) -> None:
    card = rubric.evaluate(EXAMPLE)
    for wrong in (5, None, ["spend_rate"]):
        error = _refused(lambda wrong=wrong: card.indicator(wrong), "indicator_id")  # type: ignore[misc]
        assert error.problems[0].message.startswith("Scorecard.indicator: indicator_id must be ")
    with pytest.raises(KeyError):  # an id it does not have, as a mapping says it
        card.indicator("nope")
    assert card.indicator("spend_rate").id == "spend_rate"
