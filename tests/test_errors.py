"""Problems: one class for errors and check findings, codes as a type, one shape as data."""

from __future__ import annotations

import typing

import pytest

import perfscore
from perfscore._errors import (
    CODES,
    FINDINGS,
    SEVERITIES,
    ErrorCode,
    Location,
    Problem,
    RubricError,
    Severity,
)
from perfscore._tools import _check

HERE = Location("r.yaml", 12, 7)


def test_the_code_type_and_the_registry_hold_the_same_codes_in_the_same_order() -> None:
    assert typing.get_args(ErrorCode) == tuple(CODES)


def test_every_check_finding_code_is_a_code_with_a_severity() -> None:
    assert set(FINDINGS) <= set(CODES)
    assert set(FINDINGS.values()) <= set(SEVERITIES)
    assert typing.get_args(Severity) == SEVERITIES == ("error", "warning", "note")
    # the check tool reads the one registry rather than keeping its own
    assert _check.FINDINGS is FINDINGS
    assert _check.SEVERITIES is SEVERITIES


def test_a_finding_is_a_problem() -> None:
    assert perfscore.Finding is perfscore.Problem is _check.Finding
    assert "Finding" in perfscore.__all__


def test_a_problem_is_an_error_unless_told_otherwise() -> None:
    assert Problem("unknown-key", "unknown key 'x'").severity == "error"


def test_an_unregistered_code_or_severity_is_refused() -> None:
    with pytest.raises(ValueError, match="unregistered error code 'unknwn-key'"):
        Problem(typing.cast(ErrorCode, "unknwn-key"), "x")
    with pytest.raises(ValueError, match="unknown severity 'fatal'"):
        Problem("unknown-key", "x", severity=typing.cast(Severity, "fatal"))


def test_an_error_renders_without_its_severity_as_it_always_has() -> None:
    problem = Problem("unknown-key", "unknown key 'x'", HERE, "indicator 'a'", "did you mean 'y'?")
    assert problem.render() == (
        "r.yaml:12:7: indicator 'a': unknown key 'x' [unknown-key]\n    hint: did you mean 'y'?"
    )
    assert str(RubricError(problem)) == problem.render()


def test_a_check_finding_renders_with_its_severity() -> None:
    shadowed = Problem("band-shadowed", "never scores", HERE, "indicator 'b'", severity="error")
    assert shadowed.render() == "r.yaml:12:7: error: indicator 'b': never scores [band-shadowed]"
    note = Problem("unreachable-grade", "no total reaches it", HERE, severity="note")
    assert note.render() == "r.yaml:12:7: note: no total reaches it [unreachable-grade]"


def test_check_reports_each_finding_with_the_severity_of_its_code() -> None:
    rubric = perfscore.parse_rubric(
        """\
perfscore: 1
id: demo
version: "1"
title: 演示
facts:
  rate: {type: percent, label: 支出率}
  spare: {type: number, label: 备用}
groups:
  - id: g
    name: 预算执行
    max: 6
    children:
      - id: spend
        name: 支出率
        max: 6
        bands:
          measure: rate
          table:
            - {range: "[0, 100]", score: 6}
            - {range: "[90, 100]", score: 3}
grades:
  - {grade: 优, min: 5}
  - {grade: 差}
""",
        name="demo.yaml",
    )
    found = {(f.code, f.severity) for f in perfscore.check_rubric(rubric)}
    assert ("band-shadowed", "error") in found
    assert ("unused-fact", "warning") in found
    assert all(severity == FINDINGS[code] for code, severity in found)


def test_as_data_a_problem_has_the_keys_of_a_finding() -> None:
    located = Problem("band-gap", "a gap", HERE, "indicator 'c'", "add a band", severity="warning")
    assert located.to_dict() == {
        "file": "r.yaml",
        "line": 12,
        "column": 7,
        "severity": "warning",
        "code": "band-gap",
        "subject": "indicator 'c'",
        "message": "a gap",
        "hint": "add a band",
    }
    nowhere = Problem("bad-argument", "no facts", details=(("given", "x"),))
    assert nowhere.to_dict() == {
        "file": None,
        "line": None,
        "column": None,
        "severity": "error",
        "code": "bad-argument",
        "subject": None,
        "message": "no facts",
        "hint": None,
    }


@pytest.mark.parametrize("language", ["fr", "ZH", "", 5])
def test_a_language_perfscore_does_not_speak_is_refused_not_replaced_by_english(
    language: object,
) -> None:
    problem = Problem("unknown-key", "unknown key 'x'", HERE)
    error = RubricError(problem)
    calls = (
        ("Problem.render", problem.render),
        ("Problem.to_dict", problem.to_dict),
        ("RubricError.render", error.render),
    )
    for name, call in calls:
        with pytest.raises(perfscore.UsageError) as info:
            call(language)  # type: ignore[arg-type]
        assert info.value.code == "bad-argument"
        assert str(info.value).startswith(
            f"{name}: language must be None (English) or one of 'zh', 'en', got "
        )
    # None is English, as it always was; the two languages perfscore speaks say it in theirs
    english = "r.yaml:12:7: unknown key 'x' [unknown-key]"
    assert problem.render(None) == problem.render("en") == english


def test_an_error_is_made_of_problems_and_says_so_when_given_text() -> None:
    with pytest.raises(TypeError, match=r"UsageError takes perfscore\.Problem objects.*not str"):
        perfscore.UsageError("the rubric is wrong")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not int"):
        RubricError([Problem("unknown-key", "x"), 5])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="at least one problem"):
        RubricError([])
