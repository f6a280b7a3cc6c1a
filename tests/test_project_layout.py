"""The project layout with the rubric's `sheet` block (project-sheet-national@2020.2): the funds
band, the 年度总体目标 rows, each row's 二级指标 and its 年度指标值 with operator and unit, in
the workbook (read back with openpyxl), the Word document (python-docx) and the scorecard JSON.
Expected values are the 丽江 and 池州 sheets' own figures (shared/domain/project-sheets/), not
the renderer's."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest

import perfscore

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "rubric" / "project-sheet-national"
GOALS = {"goal_planned": "完成2020年度卫片执法检查", "goal_actual": "已按期完成全部图斑核查"}


def _facts(example: str, **facts: object) -> perfscore.FactsDocument:
    """An example's facts document, for 2020.2, with `facts` added or replaced."""
    document = perfscore.load_facts(ROOT / "examples" / f"{example}.yaml")
    return dataclasses.replace(document, rubric_version="2020.2", facts={**document.facts, **facts})


def _card(example: str, **facts: object) -> perfscore.Scorecard:
    rubric = perfscore.load_rubric("project-sheet-national@2020.2")
    return rubric.evaluate(_facts(example, **facts))


def _chizhou() -> perfscore.Scorecard:
    # the 池州 sheet is cut off inside its 满意度 row; the row is given an assessed score here so
    # that every row scores (a row check of 2020.2 reads `score`, which a cut-off row lacks)
    document = perfscore.load_facts(ROOT / "examples" / "project-sheet-chizhou-2022.yaml")
    rows = [dict(r) for r in document.facts["satisfactions"]]  # type: ignore[attr-defined]
    rows[0]["assessed"] = 8
    return _card("project-sheet-chizhou-2022", satisfactions=rows)


def _rows(data: bytes) -> tuple[list[list[Any]], Any]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))["自评表"]
    return [list(r) for r in sheet.iter_rows(values_only=True)], sheet


def _find(rows: list[list[Any]], column: int, value: str) -> list[Any]:
    found = [r for r in rows if r[column] == value]
    assert len(found) == 1, (value, found)
    return found[0]


def test_the_national_sheet_2020_2_declares_the_project_layout_and_2020_1_does_not() -> None:
    card = _card("project-sheet-lijiang-2020")
    assert card.rubric.layout == "project"
    assert card.sheet is not None
    assert card.sheet.project == "2020年省级自然资源卫片执法补助经费"
    assert [f.row for f in card.sheet.funds] == ["total", "fiscal", "carryover", "other"]
    assert card.sheet.execution == "exec_rate"
    # 2020.1 never changes: no sheet, and its JSON has no such key (the golden files stay)
    old = perfscore.load_rubric("project-sheet-national@2020.1").evaluate(
        perfscore.load_facts(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    )
    assert old.sheet is None
    assert "sheet" not in json.loads(old.to_json())
    # the layout and its facts change no score
    assert card.total == old.total == 100


def test_the_scorecard_json_carries_the_sheet_and_reads_back_equal() -> None:
    card = _card("project-sheet-lijiang-2020", **GOALS)
    data = json.loads(card.to_json())
    sheet = data["sheet"]
    # "年度资金总额 7.29 7.29 7.29" and no 其中 rows printed
    assert sheet["funds"][0] == {"row": "total", "initial": 7.29, "full": 7.29, "spent": 7.29}
    assert sheet["funds"][1] == {"row": "fiscal", "initial": None, "full": None, "spent": None}
    assert sheet["goal_planned"] == GOALS["goal_planned"]
    # "效益指标 社会效益指标 违法行为责停率 ≥ 95 % 95 30.00 27.00"
    assert sheet["rows"]["benefit.social1"] == {
        "level2": "社会效益指标", "operator": ">=", "target": 95, "target_text": None,
        "unit": "%", "actual": 95, "actual_text": None,
    }  # fmt: skip
    # only the sheet's rows: one per records indicator, none for 预算执行率
    assert set(sheet["rows"]) == {i.id for i in card.indicators if i.id != "exec_rate"}
    back = perfscore.Scorecard.model_validate_json(card.to_json())
    assert back == card
    assert back.to_json() == card.to_json()


def test_workbook_identity_funds_and_goals_bands() -> None:
    rows, sheet = _rows(_card("project-sheet-lijiang-2020", **GOALS).to_xlsx())
    assert rows[0][0] == "项目支出绩效自评表（2020年度）"
    assert rows[1][:2] == ["项目名称", "2020年省级自然资源卫片执法补助经费"]
    assert rows[2][:2] == ["主管部门", "丽江市自然资源和规划局"]
    assert rows[3][:2] == ["实施单位", "丽江市古城区自然资源局"]
    assert rows[6] == [
        "项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
        "自评得分", "核定得分", "差异",
    ]  # fmt: skip
    # 7.29 / 7.29 is 100%; 10 × 100% = 10, claimed 10
    assert rows[7] == [None, "年度资金总额", 7.29, 7.29, 7.29, 10, "100%", 10, 10, 0]
    # the other rows of the band are on the form, blank where the sheet prints nothing
    assert [r[1] for r in rows[8:11]] == ["其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert all(v is None for r in rows[8:11] for v in r[2:])
    assert rows[11][:2] == ["年度总体目标", "预期目标"]
    assert rows[11][5] == "实际完成情况"
    assert rows[12][1] == GOALS["goal_planned"]
    assert rows[12][5] == GOALS["goal_actual"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A7:A11", "A12:A13", "B12:E12", "F12:J12", "B13:E13", "F13:J13"} <= merged
    # the indicator header follows the bands; it repeats on every printed page
    assert rows[13][:3] == ["一级指标", "二级指标", "三级指标"]
    assert sheet.print_title_rows == "$14:$15"


def test_workbook_rows_carry_their_heading_and_target_as_printed() -> None:
    card = _card("project-sheet-lijiang-2020")
    rows, _ = _rows(card.to_xlsx())
    body = rows[15:20]
    # 预算执行率 is on the funds band, not repeated among the indicators
    assert [r[2] for r in body] == [
        "卫片执法补助经费", "项目验收合格率", "项目完成及时率", "违法行为责停率", "满意度",
    ]  # fmt: skip
    # "数量指标 卫片执法补助经费 ﹦ 72890 元 72890 10.00 9.00"
    assert body[0][:9] == ["产出指标（50）", "数量指标", "卫片执法补助经费", "=72890元", "72890元",
                           10, 9, 10, -1]  # fmt: skip
    assert body[1][1:5] == ["质量指标", "项目验收合格率", "=100%", "100%"]
    assert body[3][:5] == ["效益指标（30）", "社会效益指标", "违法行为责停率", "≥95%", "95%"]
    assert body[4][1:4] == ["服务对象满意度指标", "满意度", "≥95%"]
    assert _find(rows, 0, "总分")[5:8] == [100, None, 100]  # five of six claimed, no total


def test_workbook_chizhou_funds_rows_and_merged_headings() -> None:
    rows, sheet = _rows(_chizhou().to_xlsx())
    # "年度资金总额: 0 0 0 10 0 0 其中:本年财政拨款 90 89.974 89.974"
    total = _find(rows, 1, "年度资金总额")
    assert total[2:5] == [0, 0, 0]
    assert total[6] is None  # 0 / 0 is no rate
    # the rate is computed on the 其中 rows (89.974 / 89.974 = 10 of 10); the sheet claimed 0
    assert total[5] == 10
    assert total[7:10] == [0, 10, -10]
    fiscal = _find(rows, 1, "其中：当年财政拨款")
    assert fiscal[2:7] == [90, 89.974, 89.974, None, "100%"]
    # targets as printed: "≥50个", "≤90万元", and a qualitative row's own words
    assert _find(rows, 2, "基建工程委托业务项目数量")[3] == "≥50个"
    assert _find(rows, 2, "项目总成本")[3:5] == ["≤90万元", "90万元"]
    assert _find(rows, 2, "经费支出合规性")[3:5] == ["严格执行相关制度规定", "达成预期指标"]
    # 二级指标 merged down the rows it heads: 质量指标 over 委托业务报告合格率 and 经费支出合规性
    quality = next(i for i, r in enumerate(rows) if r[1] == "质量指标") + 1
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"B{quality}:B{quality + 1}" in merged
    assert rows[quality][1] is None  # the merged cell below holds nothing of its own


def test_word_document_has_the_bands_before_the_indicator_table() -> None:
    card = _card("project-sheet-lijiang-2020", **GOALS)
    bands, table = docx.Document(io.BytesIO(card.to_docx())).tables
    cells = [[c.text for c in r.cells] for r in bands.rows]
    assert cells[0][2:7] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率"]
    assert cells[1][1:10] == ["年度资金总额", "7.29", "7.29", "7.29", "10", "100%", "10", "10",
                              "0"]  # fmt: skip
    assert GOALS["goal_planned"] in cells[-1]
    assert GOALS["goal_actual"] in cells[-1]
    # 项目资金（万元） is one cell down the band
    assert bands.cell(0, 0)._tc is bands.cell(4, 0)._tc
    row = [c.text for c in table.rows[2].cells]
    assert row[1:9] == ["数量指标", "卫片执法补助经费", "=72890元", "72890元", "10", "9", "10",
                        "-1"]  # fmt: skip
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")


def test_html_report_prints_the_sheet_only_for_the_project_layout() -> None:
    page = _card("project-sheet-lijiang-2020", **GOALS).to_html()
    assert '<table id="project-sheet"' in page
    assert "年度资金总额" in page
    assert "≥95%" in page
    assert GOALS["goal_actual"] in page
    department = perfscore.load_rubric("project-sheet-national@2020.1").evaluate(
        perfscore.load_facts(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    )
    assert 'id="project-sheet"' not in department.to_html()


def _national(text: str) -> perfscore.Rubric:
    return perfscore.parse_rubric(text, name="sheet.yaml")


def test_sheet_names_that_are_not_facts_fields_or_indicators_are_rubric_errors() -> None:
    text = (NATIONAL / "2020.2.yaml").read_text("utf-8")
    broken = (
        text.replace("  supervisor: supervisor\n", "  supervisor: supervisr\n", 1)
        .replace("  execution: exec_rate\n", "  execution: exec_rat\n", 1)
        .replace("    unit: unit\n", "    unit: units\n", 1)
        .replace("initial: fund_other_initial,", "initial: project_name,", 1)
    )
    with pytest.raises(perfscore.RubricError) as caught:
        _national(broken)
    found = {(p.code, p.location.line if p.location else None) for p in caught.value.problems}
    lines = text.splitlines()
    line = {
        key: next(i for i, s in enumerate(lines, 1) if s.startswith(key))
        for key in ("  supervisor:", "  execution:", "    unit:", "    other:")
    }
    assert ("unknown-name", line["  supervisor:"]) in found
    assert ("unknown-name", line["  execution:"]) in found
    # one problem per records group whose list lacks the field
    units = [p for p in caught.value.problems if p.code == "unknown-field"]
    assert len(units) == 3
    assert all("'units'" in p.message for p in units)
    assert units[0].hint is not None
    assert "unit" in units[0].hint
    typed = [p for p in caught.value.problems if p.code == "invalid-type"]
    assert len(typed) == 1
    assert "'project_name'" in typed[0].message
    assert typed[0].location is not None
    assert typed[0].location.line == line["    other:"]


def test_the_scorecard_schema_describes_the_sheet() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from decimal import Decimal

    schema = perfscore.scorecard_schema()
    card = _card("project-sheet-lijiang-2020", **GOALS)
    jsonschema.validate(json.loads(card.to_json(), parse_float=Decimal), schema)
    data = json.loads(card.to_json())
    data["sheet"]["rows"]["benefit.social1"]["level"] = "社会效益指标"  # not a key of a row
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
