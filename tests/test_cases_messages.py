"""What `perfscore test` says about a case file, in the case file's language: a facts document
given for a case file, an expectation naming no indicator, a case's facts that do not fit, a
rubric or base that cannot be opened. Every expected text is written here by hand."""

from __future__ import annotations

import pickle
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from perfscore import DocumentError, RubricError
from perfscore._errors import Location
from perfscore._messages import Message
from perfscore._tools._cases import load_cases, run_case

Run = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).resolve().parents[1]
FACTS = "huizhou-dayawan-zuzhibu-2022.yaml"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled 2022.1 rubric and the filed report beside it; the working directory."""
    shutil.copy(ROOT / "rubric" / "dept-overall-huizhou" / "2022.1.yaml", tmp_path)
    shutil.copy(ROOT / "examples" / FACTS, tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERFSCORE_LANG", raising=False)
    return tmp_path


def write(name: str, text: str) -> str:
    Path(name).write_text(textwrap.dedent(text), encoding="utf-8")
    return name


# 1. a facts document is not a case file --------------------------------------------------------


def test_a_facts_document_given_to_test_is_named_a_facts_document(work: Path, run: Run) -> None:
    code, out, err = run("--lang", "zh", "test", FACTS)
    assert (code, out) == (2, "")
    # line 10 is its 'facts:' key, after the comments and the envelope
    assert err == (
        f"RubricError: {FACTS}:10:1: 这是事实文档，不是用例文件：其中有 'facts:'，没有 'cases:'"
        " [missing-key]\n"
        f"    提示：请用 'perfscore score {FACTS}' 为它评分；用例文件在 'cases:' 下列出各个用例\n"
    )


def test_a_facts_document_given_to_test_in_english(work: Path, run: Run) -> None:
    code, _, err = run("--lang", "en", "test", FACTS)
    assert code == 2
    assert err == (
        f"RubricError: {FACTS}:10:1: this is a facts document, not a cases file: it has "
        "'facts:' and no 'cases:' [missing-key]\n"
        f"    hint: score it with 'perfscore score {FACTS}'; a cases file lists its cases "
        "under 'cases:'\n"
    )


def test_a_rubric_given_to_test_is_named_a_rubric_and_its_case_file_shown(
    work: Path, run: Run
) -> None:
    # it has a 'facts:' key too: it was called a facts document, and told to be scored
    groups = 1 + next(
        i for i, line in enumerate(Path("2022.1.yaml").read_text("utf-8").splitlines())
        if line == "groups:"
    )  # fmt: skip
    code, out, err = run("--lang", "zh", "test", "2022.1.yaml")
    assert (code, out) == (2, "")
    assert err == (
        f"RubricError: 2022.1.yaml:{groups}:1: 这是评分规则，不是用例文件：其中声明了指标组，"
        "没有 'cases:' [missing-key]\n"
        "    提示：评分规则的用例写在它旁边的 2022.1.cases.yaml 中，在 'cases:' 下列出"
        "（见 docs/testing-rubrics.md）；检查评分规则本身请用 perfscore check\n"
    )
    write("2022.1.cases.yaml", "rubric: 2022.1.yaml\ncases: []\n")  # now it has one beside it
    code, _, err = run("--lang", "en", "test", "2022.1.yaml")
    assert code == 2
    assert err.splitlines()[1] == (
        "    hint: its cases are in 2022.1.cases.yaml: perfscore test 2022.1.cases.yaml"
    )


def test_a_file_with_neither_cases_nor_facts_still_asks_for_cases(work: Path, run: Run) -> None:
    write("empty.cases.yaml", "rubric: 2022.1.yaml\n")
    code, _, err = run("test", "empty.cases.yaml")
    assert code == 2
    assert (
        err
        == "RubricError: empty.cases.yaml:1:1: 用例文件须在 'cases' 下给出一个列表 [missing-key]\n"
    )


# 2. an expectation naming no indicator ---------------------------------------------------------

TYPO = """\
    rubric: 2022.1.yaml
    base: huizhou-dayawan-zuzhibu-2022.yaml
    cases:
      - name: 拼写错误
        facts: {}
        expect:
          indicators:
            spend_rat: 5.5
          groups: {budgetting: 19.5}
          fired: {spend_rate: [deducton]}
    """


def test_a_typo_in_an_expected_id_is_said_in_the_rubrics_language(work: Path, run: Run) -> None:
    write("typo.cases.yaml", TYPO)
    code, out, err = run("test", "typo.cases.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "RubricError: typo.cases.yaml：用例中有 3 个问题\n"
        "  typo.cases.yaml:8:9: indicators：dept-overall-huizhou@2022.1 中没有指标 'spend_rat'"
        " [unknown-indicator]\n"
        "      提示：是不是要写 'spend_rate'？\n"
        "  typo.cases.yaml:9:16: groups：dept-overall-huizhou@2022.1 中没有分组 'budgetting'"
        " [unknown-indicator]\n"
        "      提示：是不是要写 'budgeting'？\n"
        "  typo.cases.yaml:10:28: fired：指标 'spend_rate' 没有规则 'deducton'；它的规则有 "
        "deduction, floor, clamp, round, scale, not_applicable [invalid-value]\n"
        "      提示：是不是要写 'deduction'？\n"
    )


def test_a_typo_in_an_expected_id_in_english(work: Path, run: Run) -> None:
    write("typo.cases.yaml", TYPO)
    code, _, err = run("--lang", "en", "test", "typo.cases.yaml")
    assert code == 2
    assert err.splitlines()[:3] == [
        "RubricError: typo.cases.yaml: 3 problem(s) in the cases",
        "  typo.cases.yaml:8:9: indicators: no indicator 'spend_rat' in "
        "dept-overall-huizhou@2022.1 [unknown-indicator]",
        "      hint: did you mean 'spend_rate'?",
    ]


def test_the_error_keeps_the_rubrics_language(work: Path) -> None:
    write("typo.cases.yaml", TYPO)
    with pytest.raises(RubricError) as info:
        load_cases("typo.cases.yaml")
    assert info.value.language == "zh"
    assert info.value.problems[0].location == Location("typo.cases.yaml", 8, 9)


# 3. a case's facts that do not fit -------------------------------------------------------------

PERCENT = """\
    rubric: 2022.1.yaml
    base: huizhou-dayawan-zuzhibu-2022.yaml
    cases:
      - name: 百分号
        facts: {spend_rate_stated: "95%"}
        expect:
          total: 103
    """


def test_a_cases_bad_fact_is_located_in_the_case_file_and_said_in_chinese(
    work: Path, run: Run
) -> None:
    write("percent.cases.yaml", PERCENT)
    code, out, err = run("test", "percent.cases.yaml")
    assert (code, err) == (1, "")
    assert out == (
        "未通过：percent.cases.yaml：百分号\n"
        "    评分失败：percent.cases.yaml：事实中有 1 个问题\n"
        "      percent.cases.yaml:5:32: 事实 'spend_rate_stated': 应为百分数，实际是文本 '95%'"
        " [fact-type]\n"
        "          提示：请写成 95，不带 '%'：百分比事实以百分数为单位\n"
        "通过 0 个，未通过 1 个\n"
    )


def test_a_cases_bad_fact_in_english(work: Path, run: Run) -> None:
    write("percent.cases.yaml", PERCENT)
    code, out, _ = run("--lang", "en", "test", "percent.cases.yaml")
    assert code == 1
    assert out == (
        "FAIL: percent.cases.yaml: 百分号\n"
        "    evaluation failed: percent.cases.yaml: 1 problem(s) in the facts\n"
        "      percent.cases.yaml:5:32: fact 'spend_rate_stated': expected a percent number, "
        "got text '95%' [fact-type]\n"
        "          hint: write 95 without '%': percent facts are in percent units\n"
        "0 passed, 1 failed\n"
    )


RUBRIC = """\
    perfscore: 1
    id: demo
    version: "1"
    title: 演示
    language: zh
    facts:
      rate: {type: percent, label: 支出率}
      cut: {type: boolean, label: 调减}
    groups:
      - id: g
        name: 预算执行
        max: 10
        children:
          - {id: spend, name: 支出率, max: 6, per_unit: {measure: 100 - rate, points: 0.1}}
          - id: comp
            name: 合规
            max: 4
            checklist:
              items:
                - {id: cut, when: cut, points: 1, reason: 调减}
    grades:
      - {grade: 优, min: 9}
      - {grade: 差}
    """


def test_each_problem_of_a_cases_facts_is_where_it_was_written(work: Path) -> None:
    write("r.yaml", RUBRIC)
    write("base.yaml", 'rubric: demo@1\nfacts: {rate: "95%", cut: true}\n')
    write(
        "r.cases.yaml",
        """\
        base: base.yaml
        cases:
          - name: 基础事实有误
            expect: {total: 1}
          - name: 去掉必填事实
            facts: {rate: 95}
            remove: [cut]
            expect: {total: 1}
          - name: 不涉及的指标不存在
            facts: {rate: 95}
            not_applicable: [nope]
            expect: {total: 1}
        """,
    )
    case_file = load_cases("r.cases.yaml")
    said = [run_case(case_file, case).failures[0].render("zh") for case in case_file.cases]
    assert said == [
        # a fact the case takes from the base: at the base
        "评分失败：r.cases.yaml：事实中有 1 个问题\n"
        "  base.yaml:2:15: 事实 'rate': 应为百分数，实际是文本 '95%' [fact-type]\n"
        "      提示：请写成 95，不带 '%'：百分比事实以百分数为单位",
        # a fact the case removed: at its 'remove'
        "评分失败：r.cases.yaml：事实中有 1 个问题\n"
        "  r.cases.yaml:7:5: 缺少事实 'cut'（调减） [missing-fact]\n"
        "      提示：请在 facts 下添加 'cut: <boolean>'",
        # the case's own not-applicable list: at its entry
        "评分失败：r.cases.yaml：事实中有 1 个问题\n"
        "  r.cases.yaml:11:22: 未知的指标 'nope' [unknown-indicator]",
    ]


def test_a_failing_evaluation_is_english_as_text_and_pickles(work: Path) -> None:
    write("percent.cases.yaml", PERCENT)
    case_file = load_cases("percent.cases.yaml")
    failure = run_case(case_file, case_file.cases[0]).failures[0]
    assert isinstance(failure, Message)
    assert failure.startswith("evaluation failed: percent.cases.yaml: 1 problem(s) in the facts")
    again = pickle.loads(pickle.dumps(failure))  # noqa: S301 - our own object
    assert again == failure
    assert again.render("zh") == failure.render("zh")


# 4. a rubric or base that cannot be opened -----------------------------------------------------


def test_a_rubric_that_cannot_be_opened_points_at_the_rubric_line(work: Path, run: Run) -> None:
    write(
        "missing.cases.yaml",
        """\
        rubric: 2022.9.yaml
        cases:
          - name: 没有这个评分表
            expect: {total: 103}
        """,
    )
    code, _, err = run("test", "missing.cases.yaml")
    assert code == 2
    assert err == (
        "DocumentError: missing.cases.yaml:1:9: 无法打开 '2022.9.yaml'：文件或文件夹不存在"
        " [file-not-found]\n"
        "    提示：'rubric:' 写相对于用例文件的路径，或内置评分规则的 id@version"
        "（'perfscore rubrics' 列出全部）\n"
    )
    code, _, err = run("--lang", "en", "test", "missing.cases.yaml")
    assert err == (
        "DocumentError: missing.cases.yaml:1:9: cannot open '2022.9.yaml': no such file or "
        "folder [file-not-found]\n"
        "    hint: 'rubric:' is a path relative to the case file, or a bundled id@version "
        "('perfscore rubrics' lists them)\n"
    )


def test_a_missing_default_rubric_says_which_file_it_looked_for(work: Path) -> None:
    write("other.cases.yaml", "cases:\n  - {name: a, expect: {total: 1}}\n")
    with pytest.raises(DocumentError) as info:
        load_cases("other.cases.yaml")
    problem = info.value.problems[0]
    assert (problem.code, problem.location) == (
        "file-not-found",
        Location("other.cases.yaml", 1, 1),
    )
    assert problem.hint is not None
    assert problem.hint == (
        "without 'rubric:', a case file tests 'other.yaml' beside it; name its rubric with "
        "'rubric:'"
    )


def test_a_base_that_cannot_be_opened_points_at_the_base_line(work: Path) -> None:
    write(
        "nobase.cases.yaml",
        """\
        rubric: 2022.1.yaml
        base: nowhere.yaml
        cases:
          - {name: a, expect: {total: 1}}
        """,
    )
    with pytest.raises(DocumentError) as info:
        load_cases("nobase.cases.yaml")
    error = info.value
    assert error.render("zh") == (
        "nobase.cases.yaml:2:7: 无法打开 'nowhere.yaml'：文件或文件夹不存在 [file-not-found]\n"
        "    提示：'base:' 写事实文档相对于用例文件的路径"
    )


# the rest of the case file's problems, said in Chinese ----------------------------------------


def test_the_case_files_own_problems_are_said_in_chinese(work: Path) -> None:
    write(
        "bad.cases.yaml",
        """\
        rubric: 2022.1.yaml
        bases: x.yaml
        cases:
          - 一句话
          - expect: {total: 1}
          - name: 没有预期
          - name: 各种类型错误
            facts: [1]
            remove: spend_rate_stated
            not_applicable: spend_rate
            claimed: {total: null}
            expect: {totl: 1}
        """,
    )
    with pytest.raises(RubricError) as info:
        load_cases("bad.cases.yaml")
    assert info.value.render("zh") == (
        "bad.cases.yaml：用例中有 9 个问题\n"
        "  bad.cases.yaml:2:1: 未知的键 'bases' [unknown-key]\n"
        "      提示：是不是要写 'base'？\n"
        "  bad.cases.yaml:4:5: 每个用例须为映射 [invalid-type]\n"
        "  bad.cases.yaml:5:5: 用例须有一句 'name' 说明 [missing-key]\n"
        "  bad.cases.yaml:6:5: 用例须有非空的 'expect' [missing-key]\n"
        "  bad.cases.yaml:12:14: 未知的预期 'totl' [unknown-key]\n"
        "      提示：是不是要写 'total'？\n"
        "  bad.cases.yaml:8:12: 'facts' 须为映射 [invalid-type]\n"
        "  bad.cases.yaml:9:13: 'remove' 须为事实 id 的列表 [invalid-type]\n"
        "  bad.cases.yaml:10:21: 'not_applicable' 须为指标 id 的列表 [invalid-type]\n"
        "  bad.cases.yaml:11:22: 自评总分为空 [fact-type]"
    )


# coverage and --fail-on, said in Chinese ------------------------------------------------------


def test_untaken_branches_and_unexpected_findings_are_said_in_chinese(work: Path, run: Run) -> None:
    write(
        "b.yaml",
        """\
        perfscore: 1
        id: branchy
        version: "1"
        title: 演示
        language: zh
        facts:
          rate: {type: percent, label: 支出率}
        groups:
          - id: g
            name: 预算执行
            max: 10
            children:
              - {id: spend, name: 支出率, max: 10, formula: "10 if rate >= 90 else 5"}
        grades:
          - {grade: 优, min: 9}
          - {grade: 差}
        checks:
          - {id: low, when: rate < 95, message: "支出率仅 {rate}%"}
        """,
    )
    write("b.cases.yaml", "cases:\n  - {name: 满分, facts: {rate: 92}, expect: {total: 10}}\n")
    code, out, _ = run("test", "b.cases.yaml", "--coverage", "--fail-on", "warning")
    assert code == 1
    assert out == (
        "通过：b.cases.yaml：满分\n"
        "    --fail-on warning：警告 [low] 支出率仅 92%\n"
        "覆盖率：branchy@1：2 条规则中有 2 条被用例走到（100.0%）\n"
        "覆盖率：branchy@1：2 个公式分支中有 1 个被用例走到（50.0%）\n"
        "    未走到：spend：分支 1（条件不成立：rate >= 90）\n"
        "通过 1 个，未通过 0 个\n"
    )
    _, out, _ = run("--lang", "en", "test", "b.cases.yaml", "--coverage", "--fail-on", "warning")
    assert "    --fail-on warning: warning [low] 支出率仅 92%\n" in out
    assert "    not taken: spend: branch 1 (else: rate >= 90)\n" in out


def test_coverage_names_derived_values_and_checks_in_chinese(work: Path, run: Run) -> None:
    # they read "derived x" and "checks" in the Chinese report
    write(
        "d.yaml",
        """\
        perfscore: 1
        id: derivy
        version: "1"
        title: 演示
        language: zh
        facts:
          rate: {type: percent, label: 支出率}
        derived:
          capped: {formula: "rate if rate < 100 else 100", label: 封顶}
        groups:
          - id: g
            name: 预算执行
            max: 10
            children:
              - {id: spend, name: 支出率, max: 10, formula: capped / 10}
        grades:
          - {grade: 优, min: 9}
          - {grade: 差}
        checks:
          - {id: low, when: rate < 50, message: "支出率仅 {rate}%"}
        """,
    )
    write("d.cases.yaml", "cases:\n  - {name: 满分, facts: {rate: 92}, expect: {total: 9.2}}\n")
    code, out, _ = run("test", "d.cases.yaml", "--coverage")
    assert code == 0
    assert "    未走到：校验：low\n" in out
    assert "    未走到：派生值 capped：分支 1（条件不成立：rate < 100）\n" in out
    _, out, _ = run("--lang", "en", "test", "d.cases.yaml", "--coverage")
    assert "    not exercised: checks: low\n" in out
    assert "    not taken: derived capped: branch 1 (else: rate < 100)\n" in out
