"""Rubric case files (``*.cases.yaml``): loading, running, coverage, and the pytest plugin."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import RubricError
from perfscore._errors import Location
from perfscore._tools._cases import CaseFile, CaseResult, coverage, load_cases, run_case

pytest_plugins = ["pytester"]

RUBRIC = textwrap.dedent(
    """\
    perfscore: 1
    id: demo
    version: "1"
    title: 演示
    facts:
      rate: {type: percent, label: 支出率}
      problems: {type: integer, label: 问题数, min: 0, default: 0}
      cut: {type: boolean, label: 调减}
    groups:
      - id: g
        name: 预算执行
        max: 10
        children:
          - id: spend
            name: 支出率
            max: 6
            per_unit: {measure: 100 - rate, points: 0.1}
          - id: comp
            name: 合规
            max: 4
            checklist:
              items:
                - {id: cut, when: cut, points: 1, reason: 调减}
                - {id: prob, when: problems > 0, points: 0.5 * problems, reason: "{problems}个问题"}
    grades:
      - {grade: 优, min: 9}
      - {grade: 差}
    checks:
      - {id: low, when: rate < 90, message: "支出率仅 {rate}%"}
    """
)
# the base: spend = 6 - 5 x 0.1 = 5.5; comp = 4 - 1 - 0.5 x 2 = 2; total 7.5 -> 差
BASE = textwrap.dedent(
    """\
    rubric: demo@1
    facts: {rate: 95, problems: 2, cut: true}
    claimed:
      indicators: {spend: 5.5, comp: 4}
    """
)
CASES = textwrap.dedent(
    """\
    rubric: r.yaml
    base: base.yaml
    cases:
      - name: the base as it is
        expect:
          indicators: {spend: 5.5, comp: 2}
          groups: {g: 7.5}
          base_total: 7.5
          bonus_total: 0
          total: 7.5
          grade: 差
          discrepancies: [comp]
          warnings: []
      - name: an override replaces one fact
        facts: {rate: 85}
        expect:
          indicators: {spend: 4.5, comp: 2}
          warnings: [low]
          fired: {spend: [deduction]}
      - name: a removed fact takes its default
        remove: [problems]
        expect:
          indicators: {comp: 3}
          fired: {comp: [item:cut]}
      - name: a removed required fact is an error
        remove: [rate]
        expect: {error: missing-fact}
      - name: no is not a boolean
        facts: {cut: "no"}
        expect: {error: fact-type}
      - name: the wrong error code fails
        facts: {cut: "no"}
        expect: {error: missing-fact}
      - name: an expected error that does not come fails
        expect: {error: fact-type}
      - name: replaced claims
        claimed: {indicators: {spend: 5.5, comp: 2}, total: 7.5}
        expect: {discrepancies: []}
      - name: a wrong score fails with its trace
        facts: {rate: 90}
        expect:
          indicators: {spend: 6}
          grade: 优
          fired: {spend: [floor]}
      - name: a rule still being decided
        todo: the slope is not published
        expect: {total: 100}
      - name: not applicable is checked
        not_applicable: [comp]
        expect: {error: not-applicable-forbidden}
    """
)


@pytest.fixture
def case_file(tmp_path: Path) -> CaseFile:
    (tmp_path / "r.yaml").write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    path = tmp_path / "r.cases.yaml"
    path.write_text(CASES, encoding="utf-8")
    return load_cases(path)


def results(case_file: CaseFile) -> dict[str, CaseResult]:
    return {case.name: run_case(case_file, case) for case in case_file.cases}


def outcome(case_file: CaseFile, name: str) -> tuple[str, tuple[str, ...]]:
    result = results(case_file)[name]
    return result.status, result.failures


# running ---------------------------------------------------------------------------------------


def test_case_file_loads_its_rubric_and_base(case_file: CaseFile) -> None:
    assert case_file.rubric.ref == "demo@1"
    assert case_file.base is not None
    assert case_file.base.facts == {"rate": 95, "problems": 2, "cut": True}
    assert len(case_file.cases) == 11
    assert case_file.cases[0].location.line == 4


@pytest.mark.parametrize(
    "name",
    [
        "the base as it is",
        "an override replaces one fact",
        "a removed fact takes its default",
        "a removed required fact is an error",
        "no is not a boolean",
        "replaced claims",
        "not applicable is checked",
    ],
)
def test_passing_cases(case_file: CaseFile, name: str) -> None:
    assert outcome(case_file, name) == ("pass", ())


def test_wrong_error_code_fails(case_file: CaseFile) -> None:
    assert outcome(case_file, "the wrong error code fails") == (
        "fail",
        ("error: expected missing-fact, got fact-type: expected true or false, got text 'no'",),
    )


def test_expected_error_that_does_not_come_fails(case_file: CaseFile) -> None:
    assert outcome(case_file, "an expected error that does not come fails") == (
        "fail",
        ("error: expected fact-type, but scoring succeeded",),
    )


def test_wrong_score_fails_with_expected_got_and_trace(case_file: CaseFile) -> None:
    status, failures = outcome(case_file, "a wrong score fails with its trace")
    assert status == "fail"
    # rate 90: 10 points short x 0.1 = 1; spend = 5; total 5 + 2 = 7 -> 差
    assert failures[0] == "grade: expected '优', got '差'"
    assert failures[1].splitlines()[0] == "spend: expected 6, got 5"
    assert failures[1].splitlines()[1].strip().startswith("start:")
    assert failures[2] == "spend: expected rules floor to fire, fired deduction"
    assert len(failures) == 3


def test_todo_case_does_not_fail(case_file: CaseFile) -> None:
    status, failures = outcome(case_file, "a rule still being decided")
    assert status == "todo"
    assert failures == ("total: expected 100, got 7.5",)
    assert case_file.cases[9].todo == "the slope is not published"


def test_fired_and_warnings_are_recorded(case_file: CaseFile) -> None:
    result = results(case_file)["an override replaces one fact"]
    assert result.fired["spend"] == frozenset({"deduction"})
    assert result.fired["comp"] == frozenset({"item:cut", "item:prob"})
    assert result.warnings == frozenset({"low"})


# coverage --------------------------------------------------------------------------------------


def test_coverage_counts_rules_and_checks(case_file: CaseFile) -> None:
    chosen = [run_case(case_file, case) for case in case_file.cases[:2]]
    cov = coverage(case_file.rubric, chosen)
    # rules: spend deduction + floor, comp item:cut + item:prob + floor, check low = 6.
    # The two cases fire the deduction, both items and the check: 4 of 6.
    assert (cov.total, cov.exercised) == (6, 4)
    assert cov.missing == {"spend": ("floor",), "comp": ("floor",)}
    assert cov.percent == Decimal(400) / 6


def test_coverage_of_nothing(case_file: CaseFile) -> None:
    cov = coverage(case_file.rubric, [])
    assert (cov.total, cov.exercised, cov.percent) == (6, 0, Decimal(0))
    assert cov.missing["checks"] == ("low",)


# malformed case files --------------------------------------------------------------------------


def load_error(tmp_path: Path, text: str) -> RubricError:
    (tmp_path / "r.yaml").write_text(RUBRIC, encoding="utf-8")
    path = tmp_path / "bad.cases.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_cases(path)
    return info.value


def test_unknown_case_key_with_did_you_mean(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        """\
        rubric: r.yaml
        cases:
          - name: a case
            expct: {total: 1}
        """,
    )
    found = [(p.code, p.message, p.hint, p.location) for p in error.problems]
    name = str(tmp_path / "bad.cases.yaml")
    assert found == [
        ("unknown-key", "unknown key 'expct'", "did you mean 'expect'?", Location(name, 4, 5)),
        ("missing-key", "a case needs a non-empty 'expect'", None, Location(name, 3, 5)),
    ]


def test_unknown_expectation_and_file_key(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        """\
        rubric: r.yaml
        bases: base.yaml
        cases:
          - name: a case
            expect: {indicator: {spend: 1}}
        """,
    )
    assert [(p.code, p.message, p.hint) for p in error.problems] == [
        ("unknown-key", "unknown key 'bases'", "did you mean 'base'?"),
        ("unknown-key", "unknown expectation 'indicator'", "did you mean 'indicators'?"),
    ]


def test_case_without_a_name(tmp_path: Path) -> None:
    error = load_error(tmp_path, "rubric: r.yaml\ncases:\n  - expect: {total: 1}\n")
    assert [(p.code, p.message) for p in error.problems] == [
        ("missing-key", "a case needs a 'name' sentence")
    ]


def test_case_file_without_cases(tmp_path: Path) -> None:
    error = load_error(tmp_path, "rubric: r.yaml\n")
    assert (error.code, error.problems[0].message) == (
        "missing-key",
        "a case file needs a list under 'cases'",
    )


def test_remove_must_be_a_list(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    error = load_error(
        tmp_path,
        """\
        rubric: r.yaml
        base: base.yaml
        cases:
          - name: a case
            remove: problems
            expect: {indicators: {comp: 2}}
        """,
    )
    assert error.code == "invalid-type"


def test_claimed_score_in_a_case_must_be_a_number(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        """\
        rubric: r.yaml
        cases:
          - name: a case
            facts: {rate: 100, cut: false}
            claimed: {indicators: {spend: abc}}
            expect: {discrepancies: []}
        """,
    )
    assert error.code == "fact-type"


def test_default_rubric_is_the_file_without_cases(tmp_path: Path) -> None:
    (tmp_path / "2022.1.yaml").write_text(RUBRIC, encoding="utf-8")
    path = tmp_path / "2022.1.cases.yaml"
    path.write_text(
        "cases:\n  - {name: full, facts: {rate: 100, cut: false}, expect: {total: 10}}\n",
        encoding="utf-8",
    )
    loaded = load_cases(path)
    assert loaded.rubric.ref == "demo@1"
    # rate 100, no cut, no problems: 6 + 4 = 10
    assert run_case(loaded, loaded.cases[0]).status == "pass"


# the pytest plugin -----------------------------------------------------------------------------

PASSING = """\
rubric: r.yaml
cases:
  - name: 满分
    facts: {rate: 100, cut: false}
    expect: {indicators: {spend: 6, comp: 4}, total: 10, grade: 优}
"""
FAILING = """\
rubric: r.yaml
cases:
  - name: 故意写错
    facts: {rate: 90, cut: false}
    expect: {indicators: {spend: 6}}
"""


def test_plugin_collects_case_files(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", r=RUBRIC, notes="just: a yaml file\n")
    (pytester.path / "pass.cases.yaml").write_text(PASSING, encoding="utf-8")
    (pytester.path / "fail.cases.yaml").write_text(FAILING, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    output = result.stdout.str()
    assert "collected 2 items" in output
    # the domain diff: which case, where, expected and got, in the rubric's language as
    # `perfscore test` says it
    result.stdout.fnmatch_lines(
        ["case '故意写错' (*fail.cases.yaml:3:5) failed:", "  spend：应为 6，实际为 5"]
    )
    assert "Traceback" not in output
    assert "CaseFailedError" not in output
    assert "def runtest" not in output


def test_plugin_skips_todo_cases(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", r=RUBRIC)
    todo = FAILING.replace("    facts:", "    todo: later\n    facts:")
    (pytester.path / "todo.cases.yaml").write_text(todo, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*todo: later*"])


def test_plugin_reports_a_malformed_case_file(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", r=RUBRIC)
    (pytester.path / "bad.cases.yaml").write_text(
        "rubric: r.yaml\ncases:\n  - {name: x, expct: {total: 1}}\n", encoding="utf-8"
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*bad.cases.yaml:3:15: 未知的键 'expct' [[]unknown-key[]]*"])


def test_expectations_naming_unknown_indicators_or_rules_are_case_file_errors(
    tmp_path: Path,
) -> None:
    error = load_error(
        tmp_path,
        """\
        rubric: r.yaml
        cases:
          - name: a typo in an indicator id
            facts: {rate: 100, cut: false}
            expect: {indicators: {spnd: 6}}
          - name: a rule the indicator does not have
            facts: {rate: 100, cut: false}
            expect: {fired: {spend: ["band[0]"]}}
        """,
    )
    assert [(p.code, p.hint) for p in error.problems] == [
        ("unknown-indicator", "did you mean 'spend'?"),
        ("invalid-value", None),
    ]
    assert "its rules are deduction, floor" in error.problems[1].message


def test_expected_ids_are_listed_as_words_not_python_lists(tmp_path: Path) -> None:
    path = _beside_rubric(tmp_path, "w.cases.yaml")
    path.write_text(
        "rubric: r.yaml\nbase: base.yaml\ncases:\n"
        "  - name: a warning that does not fire\n"
        "    expect: {warnings: [low], discrepancies: []}\n",
        encoding="utf-8",
    )
    cases = load_cases(path)
    (result,) = [run_case(cases, case) for case in cases.cases]
    assert result.failures == (
        "warnings: expected low, got —",
        "discrepancies: expected —, got comp",
    )
    assert [str(f.render("zh")) for f in result.failures] == [
        "warnings：应为 low，实际为 —",
        "discrepancies：应为 —，实际为 comp",
    ]


def test_what_no_run_of_the_rubric_can_give_is_refused_when_the_cases_load(
    tmp_path: Path,
) -> None:
    # each a typo a rubric author makes, which would otherwise be a case that fails (or passes)
    # for the wrong reason
    path = _beside_rubric(tmp_path, "t.cases.yaml")
    path.write_text(
        "rubric: r.yaml\nbase: base.yaml\ncases:\n"
        "  - name: one\n"
        "    remove: [problemz]\n"
        "    expect: {total: '7.5', grade: 优秀, warnings: [lw], discrepancies: [compp]}\n"
        "  - name: one\n"
        "    expect: {total: 7.5}\n",
        encoding="utf-8",
    )
    with pytest.raises(RubricError) as caught:
        load_cases(path)
    found = [
        (p.code, p.location.line if p.location else None, p.message, p.hint)
        for p in caught.value.problems
    ]
    assert found == [
        ("invalid-type", 6, "total must be a number, got text '7.5'", None),
        (
            "invalid-value",
            6,
            "grade: '优秀' is no grade of demo@1; its grades are 优、差",
            "did you mean '优'?",
        ),
        ("invalid-value", 6, "warnings: no check 'lw' in demo@1", "did you mean 'low'?"),
        (
            "unknown-indicator",
            6,
            "discrepancies: no indicator 'compp' in demo@1",
            "did you mean 'comp'?",
        ),
        ("unknown-fact", 5, "remove: no fact 'problemz' in demo@1", "did you mean 'problems'?"),
        ("invalid-value", 7, "a case of this name is already case 1: 'one'", None),
    ]


def _beside_rubric(tmp_path: Path, name: str) -> Path:
    """Where a case file `name` goes, beside the rubric and base it names (r.yaml, base.yaml)."""
    (tmp_path / "r.yaml").write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    return tmp_path / name
