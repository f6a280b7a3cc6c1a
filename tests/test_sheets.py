"""The scorecard as the official tables, read back: the workbook with openpyxl, the Word
document with python-docx. Expected values are the seed report's and the 丽江 sheet's own
numbers (tests/golden/*.txt shows the same), not the renderer's."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import perfscore
from perfscore import cli

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENT = [
    "序号", "评价指标", None, None, "分值", "评分标准", "实际值/依据", "自评得分", "核定得分",
    "差异", "扣分原因",
]  # fmt: skip
PROJECT = [
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", None, None,
    "扣分原因（偏差原因分析）",
]  # fmt: skip


def _card(example: str, **kwargs: Any) -> perfscore.Scorecard:
    facts = perfscore.load_facts(ROOT / "examples" / f"{example}.yaml")
    return perfscore.load_rubric(f"{facts.rubric_id}@{facts.rubric_version}").evaluate(
        facts, **kwargs
    )


def _book(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _find(rows: list[list[Any]], column: int, value: str) -> list[Any]:
    found = [r for r in rows if r[column] == value]
    assert len(found) == 1, (value, found)
    return found[0]


def test_department_sheet_columns_rows_subtotals_and_total() -> None:
    book = _book(_card("huizhou-dayawan-zuzhibu-2022").to_xlsx())
    assert book.sheetnames == ["评分表", "问题清单"]
    sheet = book["评分表"]
    rows = _rows(sheet)
    assert rows[0][0] == "部门整体支出绩效自评评分表"
    assert rows[1][:2] == ["被评价单位", "中共惠州大亚湾经济技术开发区委组织部"]
    assert rows[2][:2] == ["年度", "2022"]
    assert rows[5] == DEPARTMENT
    assert rows[6][1:4] == ["一级指标", "二级指标", "三级指标"]
    # the first indicator of the seed: 预算编制合理性 5 points, claimed and computed 4.5
    first = rows[7]
    assert first[:5] == [1, "预算编制", "编制质量", "预算编制合理性", 5]
    assert first[7:10] == [4.5, 4.5, 0]
    assert "存在预算项目调减情况" in first[10]
    # 实际值/依据 in the rubric's labels
    assert first[6] == (
        "存在预算项目调减情况：是；年度中存在大量预算调剂：否；"
        "预算编制不符合方针政策或部门职责、功能分类或经济分类不准确的问题数：0"
    )
    # 评分标准: the rubric's checklist reasons, a counted item's placeholder shown as N
    assert first[5] == (
        "存在预算项目调减情况，扣0.5分；年度中存在大量预算调剂，扣0.5分；"
        "预算编制问题 N 个，每个扣0.5分"
    )
    # 25 indicators and the bonus are numbered 1..26
    numbers = [r[0] for r in rows[7:] if isinstance(r[0], int)]
    assert numbers == list(range(1, 27))
    # 小计 per 一级: the seed's 预算编制 19.5 of 21, 预算执行 41.5 of 45, 预算使用效益 34 of 34
    assert _find(rows, 1, "预算编制小计")[4:10] == [21, None, None, 19.5, 19.5, 0]
    assert _find(rows, 1, "预算执行小计")[4:10] == [45, None, None, 41.5, 41.5, 0]
    # 满意度 is not claimed in the seed: the 30 claimed of the others are no claimed subtotal,
    # so neither it nor a 差异 against the 34 computed is printed
    assert _find(rows, 1, "预算使用效益小计")[4:10] == [34, None, None, None, 34, None]
    bonus = _find(rows, 1, "加减分")
    assert bonus[3:5] == ["工作表现加减分", "-5~10"]
    assert bonus[7:10] == [8, 8, 0]
    assert _find(rows, 1, "合计")[4:10] == [100, None, None, 103, 103, 0]
    assert _find(rows, 1, "等级")[7:9] == ["优", "优"]


def test_department_sheet_merges_values_and_print_setup() -> None:
    sheet = _book(_card("huizhou-dayawan-zuzhibu-2022").to_xlsx())["评分表"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # header: 评价指标 over the three levels, every other header merged down its two rows
    assert {"B6:D6", "A6:A7", "E6:E7", "F6:F7", "K6:K7"} <= merged
    # 预算编制's four indicators under one 一级 cell, 编制质量's two under one 二级 cell
    assert {"B8:B11", "C8:C9", "C10:C11", "B12:D12"} <= merged
    assert sheet["B8"].value == "预算编制"
    assert sheet["C10"].value == "目标设定"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate  # values, never formulas
            assert not (isinstance(cell.value, str) and cell.value.startswith("="))
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert setup.paperSize == 9  # A4 in the OOXML paper-size table
    assert setup.fitToWidth == 1
    assert setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$6:$7"
    assert sheet.freeze_panes == "A8"


def test_findings_sheet_lists_every_finding() -> None:
    book = _book(_card("project-sheet-lijiang-2020").to_xlsx())
    rows = _rows(book["问题清单"])
    assert rows[0] == ["类别", "对象", "说明"]
    kinds = [r[0] for r in rows[1:]]
    assert kinds == ["自评不符"] * 4 + ["一致性警告"] * 5 + ["合计复核"]
    assert rows[1][1] == "卫片执法补助经费"
    assert rows[1][2].startswith("自评 9，计算 10（自评低 1 分）")


def test_project_sheet_has_the_official_columns_and_scores_side_by_side() -> None:
    card = _card("project-sheet-lijiang-2020")
    sheet = _book(card.to_xlsx(layout="project"))["自评表"]
    rows = _rows(sheet)
    assert rows[0][0] == "项目支出绩效自评表（2020年度）"
    assert rows[1][:2] == ["项目名称", "丽江市古城区自然资源局"]
    assert rows[3] == [None] * 10
    assert rows[4] == PROJECT
    assert rows[5][6:9] == ["自评得分", "核定得分", "差异"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"G5:I5", "A5:A6", "F5:F6", "J5:J6"} <= merged
    # the sheet's rows: 预算执行率 10, then 产出 10 + 20 + 20 (claimed 9, 19, 19), 效益 30
    # (claimed 27), 满意度 10 (no claim visible)
    body = rows[6:12]
    assert [r[2] for r in body] == [
        "预算执行率", "卫片执法补助经费", "项目验收合格率", "项目完成及时率", "违法行为责停率",
        "满意度",
    ]  # fmt: skip
    assert [r[5:9] for r in body] == [
        [10, 10, 10, 0],
        [10, 9, 10, -1],
        [20, 19, 20, -1],
        [20, 19, 20, -1],
        [30, 27, 30, -3],
        [10, None, 10, None],
    ]
    assert body[1][3:5] == [72890, 72890]  # 年度指标值 and 实际完成值 as numbers
    assert body[1][0] == "产出指标（50）"
    assert "A8:A10" in merged  # 产出指标 merged down its three rows
    total = _find(rows, 0, "总分")
    # five of six rows claimed and no total stated: the sum of five (84) is no claimed total
    assert total[5:9] == [100, None, 100, None]
    grade = [r for r in rows if str(r[0]).startswith("自评等级")]
    assert grade
    assert grade[0][7] == "优"
    assert "扩展行" in grade[0][0]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$5:$6"


def test_the_rubric_names_its_layout() -> None:
    text = (ROOT / "rubric" / "project-sheet-national" / "2020.1.yaml").read_text("utf-8")
    assert "\nlayout:" not in text
    rubric = perfscore.parse_rubric(
        text.replace("\nlanguage: zh\n", "\nlanguage: zh\nlayout: project\n")
    )
    facts = perfscore.load_facts(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    card = rubric.evaluate(facts)
    assert card.rubric.layout == "project"
    assert _book(card.to_xlsx()).sheetnames == ["自评表", "问题清单"]
    # the layout changes no score
    assert card.total == _card("project-sheet-lijiang-2020").total
    # and the rubric schema accepts the key, and only its two values
    jsonschema = pytest.importorskip("jsonschema")
    schema = perfscore.rubric_schema()
    assert schema["properties"]["layout"]["enum"] == ["department", "project"]
    jsonschema.validate({"layout": "project"}, {**schema, "required": []})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"layout": "sheet"}, {**schema, "required": []})


def test_an_unknown_layout_is_a_rubric_error() -> None:
    text = (ROOT / "rubric" / "project-sheet-national" / "2020.1.yaml").read_text("utf-8")
    with pytest.raises(perfscore.RubricError, match="layout"):
        perfscore.parse_rubric(text.replace("\nlanguage: zh\n", "\nlanguage: zh\nlayout: sheet\n"))


def test_word_document_has_the_same_table_in_the_official_order() -> None:
    card = _card("huizhou-dayawan-zuzhibu-2022")
    document = docx.Document(io.BytesIO(card.to_docx()))
    text = [p.text for p in document.paragraphs]
    assert text[0] == "部门整体支出绩效自评评分表"
    assert "总分 103（基础分 95 / 100），等级 优，自评得分 103" in text
    # the title once; the table under its own heading after the findings
    assert text.count("部门整体支出绩效自评评分表") == 1
    assert text.index("发现的问题（5）") < text.index("得分明细")
    [table] = document.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "序号", "评价指标", "评价指标", "评价指标", "分值", "评分标准", "实际值/依据", "自评得分",
        "核定得分", "差异", "扣分原因",
    ]  # fmt: skip
    assert [c.text for c in table.rows[1].cells][1:4] == ["一级指标", "二级指标", "三级指标"]
    first = [c.text for c in table.rows[2].cells]
    assert first[:5] == ["1", "预算编制", "编制质量", "预算编制合理性", "5"]
    assert first[7:10] == ["4.5", "4.5", "0"]
    rows = [[c.text for c in r.cells] for r in table.rows]
    total = [r for r in rows if r[1] == "合计"]
    assert total
    assert total[0][4] == "100"
    assert total[0][7:10] == ["103", "103", "0"]
    assert len(rows) == 2 + 26 + 3 + 1 + 1  # header, indicators, 小计 ×3, 合计, 等级
    # merged cells are one cell: 一级 spans its rows, 评价指标 its three columns
    assert table.cell(2, 1)._tc is table.cell(5, 1)._tc
    assert table.cell(0, 1)._tc is table.cell(0, 3)._tc
    section = document.sections[0]
    assert section.orientation == 1  # landscape
    assert abs(section.page_width.mm - 297) < 1
    assert abs(section.page_height.mm - 210) < 1
    repeated = table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert repeated


def test_word_document_project_layout() -> None:
    document = docx.Document(
        io.BytesIO(_card("project-sheet-lijiang-2020").to_docx(layout="project"))
    )
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells][:7] == PROJECT[:7]
    assert [c.text for c in table.rows[1].cells][6:9] == ["自评得分", "核定得分", "差异"]
    row = [c.text for c in table.rows[3].cells]
    assert row[2:9] == ["卫片执法补助经费", "72890", "72890", "10", "9", "10", "-1"]


def test_cli_writes_workbooks_and_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = str(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    book = tmp_path / "card.xlsx"
    assert (
        cli.main(["score", example, "--format", "xlsx", "--layout", "project", "-o", str(book)])
        == 0
    )
    assert _book(book.read_bytes()).sheetnames == ["自评表", "问题清单"]
    word = tmp_path / "card.docx"
    assert cli.main(["score", example, "--format", "docx", "-o", str(word)]) == 0
    assert docx.Document(str(word)).tables
    assert capsys.readouterr().out == ""
    # a folder of documents: one workbook each, in the layout asked for
    folder = tmp_path / "cards"
    many = [example, str(ROOT / "examples" / "project-sheet-chizhou-2022.yaml")]
    assert cli.main(
        ["score", *many, "--format", "xlsx", "--layout", "project", "-o", str(folder)]
    ) in (0, 1)
    written = sorted(p.name for p in folder.iterdir())
    assert written == ["project-sheet-chizhou-2022.xlsx", "project-sheet-lijiang-2020.xlsx"]
    assert _book((folder / written[0]).read_bytes()).sheetnames == ["自评表", "问题清单"]


def test_cli_refuses_to_write_a_workbook_to_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    example = str(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    assert cli.main(["--lang", "en", "score", example, "--format", "xlsx"]) == 2
    err = capsys.readouterr().err
    assert "binary file and stdout is a terminal" in err
    assert "-o FILE.xlsx" in err


def test_without_traces_the_sheets_still_hold_every_score() -> None:
    rows = _rows(_book(_card("huizhou-dayawan-zuzhibu-2022", trace=False).to_xlsx())["评分表"])
    assert _find(rows, 1, "合计")[7:9] == [103, 103]


def test_a_scorecard_without_claims_leaves_the_claimed_columns_empty(tmp_path: Path) -> None:
    rubric = perfscore.parse_rubric(
        """
perfscore: 1
id: plain
version: "1"
title: 简表
facts:
  x: {type: number, label: 数, min: 0, max: 10}
groups:
  - id: g
    name: 组
    max: 10
    children:
      - {id: a, name: 甲, max: 10, description: 按 x 计分, formula: x}
grades:
  - {grade: 合格, min: 6}
  - {grade: 不合格}
"""
    )
    path = tmp_path / "facts.yaml"
    path.write_text("facts: {x: 7.25}\n", encoding="utf-8")
    rows = _rows(_book(rubric.evaluate(perfscore.load_facts(path)).to_xlsx())["评分表"])
    first = _find(rows, 3, "甲")
    assert first[4:11] == [10, "按 x 计分", "数：7.25", None, 7.25, None, "数 7.25 → 7.25"]
    assert _find(rows, 1, "合计")[4:10] == [10, None, None, None, 7.25, None]
    assert _find(rows, 1, "等级")[7:9] == [None, "合格"]
