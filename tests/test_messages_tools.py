"""The workbook readers, `diff` and `check` findings said in the rubric's language: the Chinese
is written here by hand; the English stays as the other tests pin it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from perfscore._errors import Location, Problem
from perfscore._messages import Message

openpyxl = pytest.importorskip("openpyxl")

sys.path.insert(0, str(Path(__file__).parent))
from test_cell_hints import _problems  # noqa: E402

Run = Callable[..., tuple[int, str, str]]
RUBRIC = "dept-overall-huizhou@2022.1"


# the workbook readers ------------------------------------------------------------------------


def test_a_bad_cell_of_the_fact_entry_workbook_is_said_in_chinese(tmp_path: Path) -> None:
    found = _problems(tmp_path, {"spend_rate_stated": "95.87%", "key_tasks_planned": 8.5})
    rate = found["spend_rate_stated"].render("zh")
    lines = rate.splitlines()
    # the cell and its label are where they always were; the words are Chinese
    assert lines[0].endswith(
        "wrong.xlsx:事实!C24 (报告所述部门预算资金支出率): 事实 'spend_rate_stated': "
        "应为百分数，实际是文本 '95.87%' [fact-type]"
    )
    assert lines[1] == "    提示：请填 95.87（表示 95.87%）：百分比单元格只填百分数的数值，不带 '%'"
    hint = found["key_tasks_planned"].hint
    assert isinstance(hint, Message)
    assert hint.render("zh") == "请填整数（8 或 9），不要填 8.5"
    # the English is untouched
    assert found["spend_rate_stated"].render().splitlines()[1] == (
        "    hint: type 95.87 (it means 95.87%): a percent cell holds the number of percent, "
        "without '%'"
    )


def test_out_of_range_blank_and_yes_no_cells_in_chinese(tmp_path: Path) -> None:
    found = _problems(
        tmp_path, {"spend_rate_stated": 9587, "total_full": None, "budget_items_cut": "有"}
    )
    hints = {key: p.render("zh").splitlines()[-1] for key, p in found.items()}
    assert hints["spend_rate_stated"] == (
        "    提示：请填一个数，数值应在 0 到 100 之间（95.87 表示 95.87%）"
    )
    assert hints["total_full"] == (
        "    提示：请在 事实!C20 中填写；如果材料中没有这个值，请留空，"
        "并在该行的状态单元格（G 列）中选择 不详"
    )
    assert hints["budget_items_cut"] == (
        "    提示：请从单元格的下拉列表中选择 是 或 否（'有' 即 是）"
    )


def test_a_blank_field_of_a_list_row_points_at_the_rows_own_mark_cells(tmp_path: Path) -> None:
    # a list sheet marks one field a row in its own two columns; the 事实 sheet's G is not there
    def blank(book: object) -> None:
        book["满意度调查"]["C6"].value = None  # type: ignore[index]

    found = _problems(tmp_path, {}, blank)
    assert found["surveys[1].rate"].render("zh").splitlines()[-1] == (
        "    提示：请在 满意度调查!C6 中填写；如果材料中没有这个值，请留空，并在该行的"
        "“不详/存疑的字段”中选择这个字段、“状态”中选择 不详"
    )


def test_a_file_that_is_no_workbook_is_said_in_chinese_on_the_command_line(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERFSCORE_LANG", raising=False)
    (tmp_path / "bad.xlsx").write_bytes(b"hello")
    code, _, err = run("score", "bad.xlsx", "--rubric", RUBRIC)
    assert code == 2
    assert "bad.xlsx: 文件不是 xlsx 工作簿（不是 zip 压缩包） [not-a-workbook]" in err
    assert "提示：请另存为 Excel 工作簿（*.xlsx）" in err
    code, _, err = run("score", "bad.xlsx", "--rubric", RUBRIC, "--lang", "en")
    assert "bad.xlsx: the file is not an xlsx workbook (not a zip) [not-a-workbook]" in err


def test_a_mark_that_contradicts_its_value_is_said_in_chinese() -> None:
    problem = Problem(
        "invalid-marker",
        Message("workbook-mark-unknown-given", unknown="不详", value="12"),
        Location("x.xlsx", 7, 7, sheet="事实"),
        hint=Message("workbook-mark-unknown-given-hint", doubtful="存疑"),
    )
    assert problem.render() == (
        "x.xlsx:事实!G7: marked 不详, but the value cell holds '12' [invalid-marker]\n"
        "    hint: clear the value, or choose 存疑 if it is given but uncertain"
    )
    assert problem.render("zh") == (
        "x.xlsx:事实!G7: 标记为 不详，但数值单元格中有 '12' [invalid-marker]\n"
        "    提示：请清空数值；如果材料给出了数值但不确定，请选择 存疑"
    )


# perfscore diff --------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
DIFF = [
    "diff",
    "dept-overall-huizhou@2022.2",
    "dept-overall-huizhou@2022.3",
    "--facts",
    "rubric/dept-overall-huizhou/corpus",
    "examples/huizhou-dayawan-zuzhibu-2022.yaml",
    "examples/huizhou-dayawan-zuzhibu-2022-consistent.yaml",
]


def test_diff_speaks_the_newer_rubrics_language(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PERFSCORE_LANG", raising=False)
    code, out, _ = run(*DIFF)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "规则：dept-overall-huizhou@2022.2 -> dept-overall-huizhou@2022.3：63 处变化"
    assert "  事实 'spend_rate_stated'：plausible：[50, 100] -> [50, 120]" in lines
    assert "  常量 'survey_target'（满意度目标值）：新增：90" in lines
    assert "  事实 'spend_rate_stated'：max：— -> 200" in lines
    assert "    旧版" in lines
    assert "    新版" in lines
    assert "得分：15 份文档，其中 12 份在两个版本下都评了分" in lines
    assert "  其余 21 个指标没有变化" in lines
    assert "等级变化：1" in lines
    assert (
        "  rubric/dept-overall-huizhou/corpus/shuiwu-2022.yaml（大亚湾区水务局（构造））："
        "优 -> 良（总分 90 -> 89）"
    ) in lines
    assert (
        "  rubric/dept-overall-huizhou/corpus/caizheng-2022.yaml：旧版："
        "未知的事实 'procurement_planned' [unknown-fact]"
    ) in lines
    # --lang en: the English the published notes compare with
    code, out, _ = run(*DIFF, "--lang", "en")
    assert out.startswith("rules: dept-overall-huizhou@2022.2 -> dept-overall-huizhou@2022.3: 63")
    assert "  constant 'survey_target' (满意度目标值): added: 90\n" in out
    assert "grade changes: 1\n" in out


def test_diff_as_json_keeps_its_english_keys_and_words(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run(*DIFF, "--format", "json")
    assert code == 0
    assert '"what": "added"' in out
    assert "规则：" not in out


def test_a_document_for_another_rubric_is_said_not_scored_in_chinese() -> None:
    from perfscore._output._diffdata import Delta, Failure, RubricDiff, ScoreDiff
    from perfscore._output._render_diff import render_text

    still = Delta("total", None, 0, 0, None, None, None)
    failure = Failure(
        "x.yaml", "neither", "rubric-mismatch", Message("diff-written-for", rubric="b@1")
    )
    scores = ScoreDiff(1, 0, (), still, (), (), (failure,))
    rules = RubricDiff("a@1", "a@1", ())
    said = render_text(rules, scores, language="zh").splitlines()
    assert said == [
        "规则：a@1 -> a@1：0 处变化",
        "得分：1 份文档，其中 0 份在两个版本下都评了分",
        "  总分：0 份文档都没有变化",
        "等级变化：0",
        "排名变化：0",
        "未能评分：1",
        "  x.yaml：两版都未评分：为 b@1 填写；未评分 [rubric-mismatch]",
    ]
    assert render_text(rules, scores).splitlines()[-1] == (
        "  x.yaml: neither: written for b@1; not scored [rubric-mismatch]"
    )


# perfscore check: the rest of the findings ---------------------------------------------------


def _check_findings(text: str) -> dict[str, object]:
    """The findings of an inline rubric, by code (the last of each code)."""
    import textwrap

    from perfscore import parse_rubric
    from perfscore._tools._check import check_rubric

    rubric = parse_rubric(textwrap.dedent(text), name="r.yaml")
    return {f.code: f for f in check_rubric(rubric)}


ONE = """\
perfscore: 1
id: t
version: "1"
title: t
constants:
  spare: {{value: 7, label: 多余}}
facts: {{{facts}}}
groups:
  - id: g
    name: g
    max: 4
    children:
      - id: x
        name: x
        max: 4
        {method}
grades:
  - {{grade: 差}}
"""


def test_band_gaps_and_unused_constants_in_chinese() -> None:
    facts = "p: {type: integer, label: p, min: 0, max: 9}"
    holes = (
        '{range: "[0, 0]", score: 4}, {range: "[2, 3]", score: 2}, {range: "(5, inf)", score: 0}'
    )
    found = _check_findings(
        ONE.format(facts=facts, method=f"bands: {{measure: p, table: [{holes}]}}")
    )
    gap = found["band-gap"]
    assert isinstance(gap, Problem)
    assert gap.message == "values in {1} and [4, 5] fall in no band"
    assert isinstance(gap.message, Message)
    assert gap.message.render("zh") == "{1} 和 [4, 5] 内的值不在任何一档中"
    assert isinstance(gap.hint, Message)
    assert gap.hint.render("zh").startswith(
        "计量值 'p' 的取值范围是 [0, 9]；请为这些值加一档，或加上 'otherwise' 分数"
    )
    unused = found["unused-constant"]
    assert isinstance(unused, Problem)
    said = unused.render("zh")
    assert "常量 'spare': 没有任何公式、区间或模板读取它 [unused-constant]" in said
    assert "提示：请删除它，或在本应使用这个数的地方写上它的名字" in said


def test_a_per_unit_deduction_that_never_applies_in_chinese() -> None:
    facts = "rate: {type: percent, label: rate}"
    found = _check_findings(
        ONE.format(facts=facts, method="per_unit: {measure: rate - 100, points: 0.1}")
    )
    never = found["per-unit-never-deducts"]
    assert isinstance(never, Problem)
    assert isinstance(never.message, Message)
    assert never.message.render("zh") == (
        "计量值 'rate - 100' 的取值范围是 [-100, 0]：它永远不大于 0，所以永远不会扣分"
    )
    assert never.message == (
        "the measure 'rate - 100' lies in [-100, 0]: it is never above 0, "
        "so the deduction never applies"
    )
