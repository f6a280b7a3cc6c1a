"""Text in the written scorecards stays text, and the tables print what was claimed.

Each test writes a real workbook or Word document, reads it back with openpyxl or python-docx
and compares with values written out by hand: text beginning with = + - @ (a 年度指标值 ``=100%``,
a subject ``=HYPERLINK(...)``) is an inline string, never a formula; a group's claimed
subtotal is printed only when every indicator under it is claimed; a record's points read
``分值`` in the 实际值/依据; the Word title is printed once; the grade row puts the claimed grade
under 自评得分 and the computed one under 核定得分.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

import perfscore
from perfscore import cli

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")

ROOT = Path(__file__).resolve().parent.parent
POINTS_110 = ROOT / "rubric" / "project-sheet-national" / "corpus" / "points-110-2022.yaml"
HYPERLINK = '=HYPERLINK("http://evil.example/x","点此")'

FACTS = f"""\
rubric: project-sheet-national@2020.2
subject: '{HYPERLINK}'
period: "2022"
facts:
  project_name: "+1+项目"
  supervisor: "-主管部门"
  goal_planned: "@目标"
  goal_actual: "=SUM(A1:A2)"
  fund_total_initial: 50
  fund_total_full: 50
  fund_total_spent: 50
  outputs:
    - {{code: quantity1, level2: 数量指标, name: "-建成面积", points: 20, direction: ">=",
        target: 100, unit: 亩, actual: 100, actual_text: "+100亩"}}
    - {{code: quality1, level2: 质量指标, name: "@合格率", points: 20, direction: ">=",
        target: 95, unit: "%", actual: 98}}
    - {{code: timeliness1, level2: 时效指标, name: 按期完工率, points: 10, direction: "=",
        target: 100, unit: "%", actual: 100}}
  benefits:
    - {{code: economic1, level2: 经济效益指标, name: 亩均增产率, points: 30, direction: ">=",
        target: 90, unit: "%", actual: 81}}
  satisfactions:
    - {{code: satisfaction1, level2: 服务对象满意度指标, name: 农户满意度, points: 10,
        direction: ">=", target: 90, unit: "%", actual: 92}}
claimed:
  total: 97
  grade: 良
"""


def _score(path: Path) -> perfscore.Scorecard:
    facts = perfscore.load_facts(path)
    return perfscore.load_rubric(f"{facts.rubric_id}@{facts.rubric_version}").evaluate(facts)


@pytest.fixture
def hostile(tmp_path: Path) -> perfscore.Scorecard:
    path = tmp_path / "hostile.yaml"
    path.write_text(FACTS, encoding="utf-8")
    return _score(path)


def _write_and_read(tmp_path: Path, data: bytes, name: str) -> Any:
    path = tmp_path / name
    path.write_bytes(data)
    return openpyxl.load_workbook(path, data_only=False)


def _no_formula_anywhere(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in archive.read(name).decode("utf-8"), name


def test_text_beginning_like_a_formula_is_stored_as_text(
    tmp_path: Path, hostile: perfscore.Scorecard
) -> None:
    book = _write_and_read(tmp_path, hostile.to_xlsx(), "hostile.xlsx")
    sheet = book["自评表"]
    expected = {
        "B2": "+1+项目",  # 项目名称
        "B3": "-主管部门",  # 主管部门
        "B4": HYPERLINK,  # 实施单位, the subject
        "B13": "@目标",  # 预期目标
        "F13": "=SUM(A1:A2)",  # 实际完成情况
        "C16": "-建成面积",  # 三级指标
        "E16": "+100亩",  # 实际完成值 as the sheet printed it
        "C17": "@合格率",
        "D18": "=100%",  # 年度指标值 = 100 %
    }
    for coordinate, text in expected.items():
        cell = sheet[coordinate]
        assert (cell.value, cell.data_type) == (text, "s"), coordinate
        assert cell.quotePrefix, coordinate  # kept text when edited in Excel or LibreOffice
    for each in book.worksheets:
        for row in each.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (each.title, cell.coordinate)
    _no_formula_anywhere(tmp_path / "hostile.xlsx")
    # the stored XML holds the text itself, as an inline string, without an apostrophe
    with zipfile.ZipFile(tmp_path / "hostile.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert re.search(r'<c r="D18"[^>]* t="inlineStr"><is><t>=100%</t></is></c>', xml)


def test_the_department_sheet_subject_is_text(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml").read_text("utf-8")
    text = re.sub(r"(?m)^subject: .*$", f"subject: '{HYPERLINK}'", text, count=1)
    path = tmp_path / "dept.yaml"
    path.write_text(text, encoding="utf-8")
    book = _write_and_read(tmp_path, _score(path).to_xlsx(), "dept.xlsx")
    cell = book["评分表"]["B2"]
    assert (cell.value, cell.data_type) == (HYPERLINK, "s")
    # the bonus 分值 "-5~10" begins with a minus: text too
    bonus = [c for c in book["评分表"]["E"] if c.value == "-5~10"]
    assert len(bonus) == 1
    assert bonus[0].data_type == "s"
    _no_formula_anywhere(tmp_path / "dept.xlsx")


def test_perfscore_reads_its_own_project_workbook_back(tmp_path: Path) -> None:
    # the corpus sheet's 按期完工率 prints its 年度指标值 as =100%: once a formula without a
    # value (formula-no-value), now text that the project-sheet reader reads as = 100 %
    out = tmp_path / "points-110.xlsx"
    assert cli.main(["score", str(POINTS_110), "--format", "xlsx", "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out)["自评表"]
    assert (sheet["D17"].value, sheet["D17"].data_type) == ("=100%", "s")
    again = perfscore.load_facts(out)
    # its two header rows (得分 over 自评得分 and 核定得分) are a header, not a row unread
    assert again.warnings == ()
    card = perfscore.load_rubric("project-sheet-national@2020.2").evaluate(again)
    assert card.total == 107  # the corpus file's total, worked by hand in its case file
    [row] = [r for r in again.facts["outputs"] if r["name"] == "按期完工率"]
    assert (row["direction"], row["target"], row["unit"]) == ("=", 100, "%")


def test_word_and_html_print_formula_like_text_as_text(
    tmp_path: Path, hostile: perfscore.Scorecard
) -> None:
    path = tmp_path / "hostile.docx"
    path.write_bytes(hostile.to_docx())
    document = docx.Document(str(path))
    assert f"实施单位：{HYPERLINK}" in [p.text for p in document.paragraphs]
    _bands, table = document.tables
    assert [c.text for c in table.rows[4].cells][2:5] == ["按期完工率", "=100%", "100%"]
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "fldSimple" not in xml
    assert "instrText" not in xml
    html = hostile.to_html()
    assert "=HYPERLINK(&quot;http://evil.example/x&quot;,&quot;点此&quot;)" in html
    assert HYPERLINK not in html


def test_project_grade_row_claimed_under_claimed_and_computed_under_computed(
    tmp_path: Path, hostile: perfscore.Scorecard
) -> None:
    sheet = _write_and_read(tmp_path, hostile.to_xlsx(), "grade.xlsx")["自评表"]
    assert [sheet.cell(15, c).value for c in (7, 8, 9)] == ["自评得分", "核定得分", "差异"]
    [grade] = [r for r in sheet.iter_rows() if str(r[0].value).startswith("自评等级")]
    assert [c.value for c in grade[6:9]] == ["良", "优", None]
    [total] = [r for r in sheet.iter_rows() if r[0].value == "总分"]
    assert [c.value for c in total[5:9]] == [100, 97, 97, 0]


def _subtotals(rows: list[list[Any]]) -> dict[str, list[Any]]:
    return {str(r[1]): r[4:10] for r in rows if str(r[1]).endswith("小计")}


def test_a_partly_claimed_group_has_no_claimed_subtotal(tmp_path: Path) -> None:
    example = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    card = _score(example)
    book = _write_and_read(tmp_path, card.to_xlsx(), "dept.xlsx")
    rows = [list(r) for r in book["评分表"].iter_rows(values_only=True)]
    # 满意度 (4 points of 效果性, 预算使用效益) carries no claim: that group prints no 30
    assert _subtotals(rows) == {
        "预算编制小计": [21, None, None, 19.5, 19.5, 0],
        "预算执行小计": [45, None, None, 41.5, 41.5, 0],
        "预算使用效益小计": [34, None, None, None, 34, None],
    }
    # the same rows in Word
    path = tmp_path / "dept.docx"
    path.write_bytes(card.to_docx())
    [table] = docx.Document(str(path)).tables
    words = {r[1]: r[4:10] for r in ([c.text for c in row.cells] for row in table.rows)}
    assert words["预算使用效益小计"] == ["34", "", "", "", "34", ""]
    assert words["预算编制小计"] == ["21", "", "", "19.5", "19.5", "0"]
    # and in the HTML breakdown, 一级 and 二级 alike: 效果性 has no claimed 13
    html = card.to_html()
    groups = {
        m.group(1).strip("　"): m.group(3)
        for m in re.finditer(
            r'<tr class="group"><td>([^<]*)</td><td class="num">([^<]*)</td>'
            r'<td class="num">([^<]*)</td>',
            html,
        )
    }
    assert groups["预算编制"] == "19.5"
    assert groups["编制质量"] == "9.5"
    assert groups["效率性"] == "13"
    assert groups["预算使用效益"] == ""
    assert groups["效果性"] == ""
    # the scores themselves are untouched
    assert (card.total, card.review.claimed_total if card.review else None) == (103, 103)


def test_a_records_row_names_its_points_in_words(tmp_path: Path) -> None:
    card = _score(ROOT / "examples" / "project-sheet-chizhou-2022.yaml")
    sheet = _write_and_read(tmp_path, card.to_xlsx(), "chizhou.xlsx")["评分表"]
    evidence = [c.value for c in sheet["G"] if isinstance(c.value, str)]
    assert evidence[0] == "实际值/依据"
    assert not [e for e in evidence if "full" in e]
    first = next(e for e in evidence if e.startswith("实际完成值（数值）：50；"))
    assert first.endswith("；分值：8")
    assert "分值 <code>full</code> = 8" in card.to_html()


@pytest.mark.parametrize(
    ("source", "title"),
    [
        (POINTS_110, "项目支出绩效自评表（2022年度）"),
        (ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml", "部门整体支出绩效自评评分表"),
    ],
)
def test_the_word_title_is_printed_once(tmp_path: Path, source: Path, title: str) -> None:
    path = tmp_path / "card.docx"
    path.write_bytes(_score(source).to_docx())
    text = [p.text for p in docx.Document(str(path)).paragraphs]
    assert text[0] == title
    assert text.count(title) == 1
    headings = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Heading 2"]
    assert headings[-1] == "得分明细"
