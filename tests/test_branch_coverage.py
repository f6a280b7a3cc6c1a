"""Branch coverage: each arm of a formula's conditional expression is a coverage unit."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from perfscore._tools._cases import CaseFile, coverage, load_cases, run_case
from perfscore.cli import main

RUBRIC = textwrap.dedent(
    """\
    perfscore: 1
    id: branchy
    version: "1"
    title: 分支
    facts:
      budget: {type: number, label: 预算, min: 0}
      spent: {type: number, label: 支出, min: 0}
    derived:
      rate:
        formula: "spent / budget * 100 if budget > 0 else 0"
        label: 支出率
    groups:
      - id: g
        name: 预算执行
        max: 10
        children:
          - id: spend
            name: 支出率
            max: 10
            formula: "10 if rate >= 90 else (5 if rate >= 50 else 0)"
    grades:
      - {grade: 优, min: 9}
      - {grade: 差}
    checks:
      - {id: over, when: "(spent > budget) if budget > 0 else False", message: 超支}
    """
)
# one case: budget 100, spent 95: rate 95 (then), spend 10 (outer then; the inner conditional
# is not evaluated), the check's condition is evaluated with budget > 0 (then)
ONE_ARM = textwrap.dedent(
    """\
    rubric: r.yaml
    cases:
      - name: 执行良好
        facts: {budget: 100, spent: 95}
        expect: {indicators: {spend: 10}}
    """
)
EVERY_ARM = ONE_ARM + textwrap.indent(
    textwrap.dedent(
        """\
        - name: 执行一般
          facts: {budget: 100, spent: 60}
          expect: {indicators: {spend: 5}}
        - name: 执行较差
          facts: {budget: 100, spent: 10}
          expect: {indicators: {spend: 0}}
        - name: 没有预算
          facts: {budget: 0, spent: 0}
          expect: {indicators: {spend: 0}}
        """
    ),
    "  ",
)


def cases(tmp_path: Path, text: str) -> CaseFile:
    (tmp_path / "r.yaml").write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "r.cases.yaml").write_text(text, encoding="utf-8")
    return load_cases(tmp_path / "r.cases.yaml")


def test_an_arm_no_case_takes_is_reported_by_name(tmp_path: Path) -> None:
    case_file = cases(tmp_path, ONE_ARM)
    results = [run_case(case_file, c, branches=True) for c in case_file.cases]
    assert [r.status for r in results] == ["pass"]
    cov = coverage(case_file.rubric, results)
    # derived rate: 1 conditional; spend: 2 (nested); check over: 1 -> 4 conditionals, 8 arms.
    # The case takes rate's then, spend's outer then and the check's then: 3 of 8.
    assert (cov.branches, cov.branches_taken) == (8, 3)
    assert dict(cov.branches_missing) == {
        "derived rate": ("branch 1 (else: budget > 0)",),
        "spend": (
            "branch 1 (else: rate >= 90)",
            "branch 2 (then: rate >= 50)",
            "branch 2 (else: rate >= 50)",
        ),
        "check over": ("branch 1 (else: budget > 0)",),
    }


def test_every_arm_taken_is_full_branch_coverage(tmp_path: Path) -> None:
    case_file = cases(tmp_path, EVERY_ARM)
    results = [run_case(case_file, c, branches=True) for c in case_file.cases]
    assert [r.status for r in results] == ["pass"] * 4
    cov = coverage(case_file.rubric, results)
    assert (cov.branches, cov.branches_taken, dict(cov.branches_missing)) == (8, 8, {})
    assert cov.branch_percent == 100


def test_recording_keeps_scores_and_runs_only_when_asked(tmp_path: Path) -> None:
    case_file = cases(tmp_path, EVERY_ARM)
    plain = [run_case(case_file, c) for c in case_file.cases]
    recorded = [run_case(case_file, c, branches=True) for c in case_file.cases]
    assert [r.scorecard.to_json() for r in plain if r.scorecard] == [
        r.scorecard.to_json() for r in recorded if r.scorecard
    ]
    assert all(r.branches == frozenset() for r in plain)
    # without recording, no arm counts as taken
    assert coverage(case_file.rubric, plain).branches_taken == 0


def test_a_failing_case_takes_no_arm(tmp_path: Path) -> None:
    wrong = ONE_ARM.replace("spend: 10", "spend: 3")
    case_file = cases(tmp_path, wrong)
    results = [run_case(case_file, c, branches=True) for c in case_file.cases]
    assert results[0].status == "fail"
    assert coverage(case_file.rubric, results).branches_taken == 0


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def go(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_text_report_names_the_arms_not_taken(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases(tmp_path, ONE_ARM)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("--lang", "en", "test", "r.cases.yaml", "--coverage")
    assert code == 0
    lines = out.splitlines()
    start = lines.index("coverage: branchy@1: 3/8 formula branches taken (37.5%)")
    assert lines[start + 1 : start + 6] == [
        "    not taken: derived rate: branch 1 (else: budget > 0)",
        "    not taken: spend: branch 1 (else: rate >= 90)",
        "    not taken: spend: branch 2 (then: rate >= 50)",
        "    not taken: spend: branch 2 (else: rate >= 50)",
        "    not taken: check over: branch 1 (else: budget > 0)",
    ]


def test_threshold_reads_the_branch_figure_too(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases(tmp_path, ONE_ARM)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("--lang", "en", "test", "r.cases.yaml", "--threshold", "50")
    assert code == 1
    assert "formula branch coverage 37.5% is below the threshold of 50.0%" in out
    cases(tmp_path, EVERY_ARM)
    code, out, _ = run("--lang", "en", "test", "r.cases.yaml", "--threshold", "0")
    assert "8/8 formula branches taken (100.0%)" in out


def test_json_report_lists_the_arms(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases(tmp_path, ONE_ARM)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("test", "r.cases.yaml", "--coverage", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert (report["passed"], report["failed"]) == (1, 0)
    (entry,) = report["files"]
    assert entry["cases"] == [{"name": "执行良好", "status": "pass", "failures": []}]
    branches = entry["coverage"]["branches"]
    assert (branches["total"], branches["taken"], branches["percent"]) == (8, 3, 37.5)
    assert branches["missing"]["spend"] == [
        "branch 1 (else: rate >= 90)",
        "branch 2 (then: rate >= 50)",
        "branch 2 (else: rate >= 50)",
    ]
    cases(tmp_path, EVERY_ARM)
    _, out, _ = run("test", "r.cases.yaml", "--coverage", "--format", "json")
    branches = json.loads(out)["files"][0]["coverage"]["branches"]
    assert (branches["taken"], branches["percent"], branches["missing"]) == (8, 100.0, {})


WHERE = textwrap.dedent(
    """\
    perfscore: 1
    id: where
    version: "1"
    title: 条件
    facts:
      items:
        type: list
        label: 项目
        fields:
          amount: {type: number, label: 金额}
    derived:
      big:
        formula: "count_where(items, (amount > 10) if amount > 0 else False)"
        label: 大额项目数
    groups:
      - id: g
        name: 项目
        max: 10
        children:
          - {id: n, name: 大额, max: 10, formula: "min(big, 10)"}
    grades:
      - {grade: 优, min: 9}
      - {grade: 差}
    """
)


def test_a_condition_over_records_records_its_arms_per_record(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(WHERE, encoding="utf-8")
    base = "rubric: r.yaml\ncases:\n"
    one = "  - {name: 一条, facts: {items: [{amount: 20}]}, expect: {indicators: {n: 1}}}\n"
    both = (
        "  - {name: 两条, facts: {items: [{amount: 20}, {amount: 0}]},"
        " expect: {indicators: {n: 1}}}\n"
    )
    for text, missing in (
        (base + one, {"derived big": ("branch 1 (else: amount > 0)",)}),
        (base + both, {}),
    ):
        (tmp_path / "r.cases.yaml").write_text(text, encoding="utf-8")
        case_file = load_cases(tmp_path / "r.cases.yaml")
        results = [run_case(case_file, c, branches=True) for c in case_file.cases]
        assert [r.status for r in results] == ["pass"]
        cov = coverage(case_file.rubric, results)
        assert (cov.branches, dict(cov.branches_missing)) == (2, missing)


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "path",
    [
        "rubric/dept-overall-huizhou/2022.1.cases.yaml",
        "rubric/dept-overall-huizhou/2022.2.cases.yaml",
        "rubric/dept-overall-huizhou/2022.3.cases.yaml",
        "rubric/dept-overall-huizhou-zuzhibu/2022.3.cases.yaml",
        "rubric/project-sheet-national/2020.1.cases.yaml",
        "rubric/project-sheet-national/2020.2.cases.yaml",
    ],
)
def test_bundled_case_files_take_every_rule_and_every_formula_branch(path: str) -> None:
    case_file = load_cases(ROOT / path)
    results = [run_case(case_file, c, branches=True) for c in case_file.cases]
    assert {r.status for r in results} == {"pass"}
    cov = coverage(case_file.rubric, results)
    assert dict(cov.branches_missing) == {}
    assert cov.branches_taken == cov.branches > 0
    assert cov.exercised == cov.total
