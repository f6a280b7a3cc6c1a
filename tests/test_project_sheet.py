"""The filled national 项目支出绩效自评表 read as it came, in the official layout.

The workbooks are built here with openpyxl from two public sheets (丽江 2020 in the provincial
columns, with 指标性质 and 度量单位; 池州 2022 in the national ones, operator and unit inside
年度指标值), with their merged cells, and cut off where the public copies are. The facts read
must be those the bundled examples transcribe by hand.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")

from perfscore import DocumentError, FactsError, cli, load_facts, load_rubric  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
D = Decimal

NATIONAL = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]
PROVINCIAL = [
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "度量单位",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]

# 丽江市古城区自然资源局, 2020 (http://m.jjiadianqingjie.com.cn/changyong/13241.html), cut off in
# the 满意度 row before its 得分.
LIJIANG: dict[str, Any] = {
    "year": "2020",
    "project": "2020年省级自然资源卫片执法补助经费",
    "supervisor": "丽江市自然资源和规划局",
    "unit": "丽江市古城区自然资源局",
    "funds": [("年度资金总额", 7.29, 7.29, 7.29, 10, 1.0, 10)],
    "columns": PROVINCIAL,
    "rows": [
        ("产出指标", "数量指标", "卫片执法补助经费", "﹦", 72890, "元", 72890, 10, 9),
        ("产出指标", "质量指标", "项目验收合格率", "﹦", 100, "%", 100, 20, 19),
        ("产出指标", "时效指标", "项目完成及时率", "﹦", 100, "%", 100, 20, 19),
        ("效益指标", "社会效益指标", "违法行为责停率", "≥", 95, "%", 95, 30, 27),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥", 95, "%", 95, 10),
    ],
    "total": None,
}

# 池州市贵池区棠溪镇人民政府, 2022 (http://www.anthempetcare.com/upload_cz/download?id=502364),
# cut off inside the 满意度 row ("公众满").
CHIZHOU: dict[str, Any] = {
    "year": "2022",
    "project": "委托业务项目",
    "supervisor": "池州市贵池区棠溪镇人民政府",
    "unit": "池州市贵池区棠溪镇人民政府",
    "funds": [
        ("年度资金总额", 0, 0, 0, 10, 0, 0),
        ("其中：本年财政拨款", 90, 89.974, 89.974, None, None, None),
        ("上年结转资金", None, None, None, None, None, None),
        ("其他资金", None, None, None, None, None, None),
    ],
    "columns": NATIONAL,
    "rows": [
        ("产出指标", "数量指标", "基建工程委托业务项目数量", "≥50个", 50, 8, 8),
        ("产出指标", "质量指标", "委托业务报告合格率", "≥100百分比", 100, 8, 8),
        ("产出指标", "质量指标", "经费支出合规性", "严格执行相关制度规定", "达成预期指标", 8, 8),
        (
            "产出指标",
            "时效指标",
            "提交报告及时性",
            "在项目计划完成时间内完成",
            "达成预期指标",
            8,
            8,
        ),
        ("产出指标", "成本指标", "项目总成本", "≤90万元", 90, 8, 8),
        ("产出指标", "成本指标", "单项业务成本", "符合相关规定", "达成预期指标", 10, 10),
        (
            "效益指标",
            "社会效益指标",
            "对维护基建市场公平的影响程度",
            "效果明显",
            "达成预期指标",
            10,
            10,
        ),
        (
            "效益指标",
            "生态效益指标",
            "对控制基建项目成本影响程度",
            "效果明显",
            "达成预期指标",
            10,
            10,
        ),
        (
            "效益指标",
            "可持续影响指标",
            "对推动基建项目“四项制度”健全和落实的持续性影响",
            "效果明显",
            "达成预期指标",
            10,
            10,
        ),
        ("满意度指标(10分)", "满意度指标", "公众满"),
    ],
    "total": None,
}


def build(spec: dict[str, Any]) -> bytes:
    """The sheet in the official layout: title, identity, funds, goals, indicators, 总分."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "项目支出绩效自评表"
    columns = spec["columns"]
    width = len(columns) + 1
    ws.cell(row=1, column=1, value="项目支出绩效自评表")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=2, column=1, value=f"（{spec['year']}年度）")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.cell(row=3, column=1, value="项目名称")
    ws.cell(row=3, column=2, value=spec["project"])
    ws.merge_cells(start_row=3, start_column=2, end_row=3, end_column=width)
    ws.cell(row=4, column=1, value="主管部门")
    ws.cell(row=4, column=2, value=spec["supervisor"])
    ws.merge_cells(start_row=4, start_column=2, end_row=4, end_column=4)
    ws.cell(row=4, column=5, value="实施单位")
    ws.cell(row=4, column=6, value=spec["unit"])
    ws.merge_cells(start_row=4, start_column=6, end_row=4, end_column=width)
    funds = spec["funds"]
    ws.cell(row=5, column=1, value="项目资金（万元）")
    ws.merge_cells(start_row=5, start_column=1, end_row=5 + len(funds), end_column=1)
    for column, label in enumerate(
        ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], 3
    ):
        ws.cell(row=5, column=column, value=label)
    for row, (label, *values) in enumerate(funds, start=6):
        ws.cell(row=row, column=2, value=label)
        for column, value in enumerate(values, start=3):
            cell = ws.cell(row=row, column=column, value=value)
            if column == 7 and value is not None:
                cell.number_format = "0%"  # 执行率 typed as 100%
    goals = 6 + len(funds)
    ws.cell(row=goals, column=1, value="年度总体目标")
    ws.merge_cells(start_row=goals, start_column=1, end_row=goals + 1, end_column=1)
    ws.cell(row=goals, column=2, value="预期目标")
    ws.cell(row=goals, column=5, value="实际完成情况")
    ws.cell(row=goals + 1, column=2, value="按时完成年度工作任务")
    ws.cell(row=goals + 1, column=5, value="已完成")
    header = goals + 2
    ws.cell(row=header, column=1, value="绩效指标")
    for column, label in enumerate(columns, start=2):
        ws.cell(row=header, column=column, value=label)
    rows = spec["rows"]
    for row, values in enumerate(rows, start=header + 1):
        for column, value in enumerate(values, start=2):
            ws.cell(row=row, column=column, value=value)
    last = header + len(rows)
    ws.merge_cells(start_row=header, start_column=1, end_row=last, end_column=1)
    for column in (2, 3):  # 一级 and 二级 merged over their rows, as the template prints them
        start = header + 1
        for row in range(header + 2, last + 2):
            same = (
                row <= last
                and rows[row - header - 1][column - 2] == rows[start - header - 1][column - 2]
            )
            if not same:
                if row - 1 > start:
                    for inner in range(start + 1, row):
                        ws.cell(row=inner, column=column).value = None
                    ws.merge_cells(
                        start_row=start, start_column=column, end_row=row - 1, end_column=column
                    )
                start = row
    if spec["total"] is not None:
        points, score = spec["total"]
        ws.cell(row=last + 1, column=2, value="总分")
        ws.merge_cells(
            start_row=last + 1, start_column=2, end_row=last + 1, end_column=len(columns) - 2
        )
        ws.cell(row=last + 1, column=len(columns) - 1, value=points)
        ws.cell(row=last + 1, column=len(columns), value=score)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _without(facts: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if k not in keys}


def test_the_lijiang_sheet_reads_as_the_bundled_transcription(tmp_path: Path) -> None:
    path = _write(tmp_path, "lijiang.xlsx", build(LIJIANG))
    # read for the rubric the example is written for (2020.1, which has no 年度总体目标 facts)
    sheet = load_facts(path, rubric=load_rubric("project-sheet-national@2020.1"))
    example = load_facts(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    assert (sheet.rubric_id, sheet.rubric_version) == ("project-sheet-national", "2020.1")
    assert (sheet.subject, sheet.period) == (example.subject, example.period)
    assert _without(dict(sheet.facts), "sheet_note") == _without(dict(example.facts), "sheet_note")
    assert sheet.facts["sheet_truncated"] is True
    assert "截断" in str(sheet.facts["sheet_note"])
    assert sheet.claims is not None
    assert example.claims is not None
    assert sheet.claims.indicators == example.claims.indicators
    assert (sheet.claims.total, sheet.claims.grade) == (None, None)
    rubric = load_rubric("project-sheet-national@2020.1")
    read, typed = rubric.evaluate(sheet), rubric.evaluate(example)
    assert [(i.id, i.score, i.claimed) for i in read.indicators] == [
        (i.id, i.score, i.claimed) for i in typed.indicators
    ]
    assert (read.total, read.grade) == (typed.total, typed.grade)
    # the cut-off sheet is reported, at its last row
    assert [w.code for w in sheet.warnings] == ["unread-cell"]
    assert "without its 总分 row" in sheet.warnings[0].message


def test_the_chizhou_sheet_reads_its_merged_cells_and_operators_in_the_target(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "chizhou.xlsx", build(CHIZHOU))
    sheet = load_facts(path)
    example = load_facts(ROOT / "examples" / "project-sheet-chizhou-2022.yaml")
    for key in ("outputs", "benefits"):
        assert sheet.facts[key] == example.facts[key], key
    for key in ("fund_total_full", "fund_fiscal_initial", "fund_fiscal_full", "fund_fiscal_spent"):
        assert sheet.facts[key] == example.facts[key], key
    assert sheet.facts["exec_rate_printed"] == 0
    assert sheet.facts["satisfaction_heading_points"] == 10
    (cut,) = sheet.facts["satisfactions"]  # type: ignore[misc]
    assert cut == {"level2": "满意度指标", "code": "satisfaction1", "name": "公众满"}
    messages = [w.message for w in sheet.warnings]
    assert sum("read as the 达成程度 达成" in m for m in messages) == 6
    assert any("公众满: 分值 is empty" in m for m in messages)
    # the row cut off has no 分值 and no 指标性质: scoring names them at the row, not silently
    with pytest.raises(FactsError) as caught:
        load_rubric("project-sheet-national@2020.2").evaluate(sheet)
    rendered = {p.message.split("field ")[-1]: p.location.cell() for p in caught.value.problems}
    # each at its own cell when the sheet has a column for it: 分值 in G, and 指标性质 (no
    # column of its own here: read from the 年度指标值) at the row's 三级指标
    assert rendered == {
        "'direction' (指标性质)": "项目支出绩效自评表!D22",
        "'points' (分值)": "项目支出绩效自评表!G22",
    }, rendered


def test_a_complete_sheet_with_its_total_row_is_not_cut_off(tmp_path: Path) -> None:
    spec = dict(LIJIANG)
    spec["rows"] = [*LIJIANG["rows"][:-1], (*LIJIANG["rows"][-1], 9)]
    spec["total"] = (100, 93)
    sheet = load_facts(_write(tmp_path, "whole.xlsx", build(spec)))
    assert "sheet_truncated" not in sheet.facts
    assert sheet.claims is not None
    assert sheet.claims.total == 93
    assert sheet.warnings == ()
    card = load_rubric("project-sheet-national@2020.2").evaluate(sheet)
    assert card.total == 100
    assert card.review is not None


def test_cells_it_cannot_read_are_each_reported(tmp_path: Path) -> None:
    spec = dict(LIJIANG)
    spec["rows"] = [
        ("产出指标", "数量指标", "卫片执法补助经费", "约", 72890, "元", 72890, "十", 9),
        ("其他指标", "数量指标", "多出的一行", "≥", 1, "个", 1, 5, 5),
        ("产出指标", "质量指标", "指标1：", None, None, None, None, None, None),
        *LIJIANG["rows"][1:],
    ]
    path = _write(tmp_path, "bad.xlsx", build(spec))
    sheet = load_facts(path)
    cells = [w.location.cell() for w in sheet.warnings if w.location is not None]
    sheet_name = "项目支出绩效自评表"
    assert cells == [f"{sheet_name}!{c}" for c in ("E10", "I10", "B11", "D12", "A16")]
    assert "'约' is not ≥, ≤, = or 定性" in sheet.warnings[0].message
    assert "'十' is not a number" in sheet.warnings[1].message
    assert "'其他指标' is none of" in sheet.warnings[2].message
    assert "placeholder row '指标1：'" in sheet.warnings[3].message
    with pytest.raises(FactsError) as caught:  # 分值 and 指标性质 of the first row are missing
        load_rubric("project-sheet-national@2020.2").evaluate(sheet)
    # each at the cell that could not be read (the warnings' E10 and I10), its hint there too;
    # both stood at the row's 三级指标 cell D10, whose hint said to type the 分值 in D10
    found = [(p.location.cell() if p.location else None, p.hint) for p in caught.value.problems]
    assert found == [
        (f"{sheet_name}!E10", f"type the value in {sheet_name}!E10"),
        (f"{sheet_name}!I10", f"type the value in {sheet_name}!I10"),
    ]


def test_the_cli_scores_the_official_sheet_and_prints_what_it_could_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "lijiang.xlsx", build(LIJIANG))
    assert cli.main(["--lang", "en", "score", str(path)]) == 0
    captured = capsys.readouterr()
    assert "warning: " in captured.err
    assert "[unread-cell]" in captured.err
    assert "原表不完整" in captured.out


def test_a_sheet_without_the_indicator_columns_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    for column, label in enumerate(["一级指标", "二级指标", "三级指标", "得分"], start=1):
        ws.cell(row=3, column=column, value=label)
    path = tmp_path / "nope.xlsx"
    book.save(path)
    with pytest.raises(DocumentError) as caught:
        load_facts(path)
    assert caught.value.code == "not-a-workbook"
    assert "分值" in caught.value.problems[0].message


def test_the_sheet_is_read_for_the_newest_national_version_with_its_goals(tmp_path: Path) -> None:
    path = _write(tmp_path, "lijiang.xlsx", build(LIJIANG))
    sheet = load_facts(path)
    # 2020.2 is the newest bundled project-sheet-national; it has the 年度总体目标 facts
    assert (sheet.rubric_id, sheet.rubric_version) == ("project-sheet-national", "2020.2")
    assert sheet.facts["goal_planned"] == "按时完成年度工作任务"
    assert sheet.facts["goal_actual"] == "已完成"
    goal = sheet.locate(("facts", "goal_actual"))
    assert goal.cell() == "项目支出绩效自评表!E8"
    card = load_rubric("project-sheet-national@2020.2").evaluate(sheet)
    assert card.sheet is not None
    assert (card.sheet.goal_planned, card.sheet.goal_actual) == ("按时完成年度工作任务", "已完成")
    assert card.total == 100
    # the sheet scored under 2020.1 the same, when read for it
    old = load_rubric("project-sheet-national@2020.1")
    assert old.evaluate(load_facts(path, rubric=old)).total == card.total


def test_the_cli_reads_the_sheet_for_the_rubric_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    path = _write(tmp_path, "lijiang.xlsx", build(LIJIANG))
    assert cli.main(["score", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["rubric"]["version"] == "2020.2"
    argv = ["score", str(path), "--rubric", "project-sheet-national@2020.1", "--format", "json"]
    assert cli.main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rubric"]["version"] == "2020.1"
    assert "sheet" not in data
    # a folder of sheets, too
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(build(LIJIANG))
    argv = ["score", str(folder), "--rubric", "project-sheet-national@2020.1"]
    assert cli.main(argv) == 0
    assert "rubric-mismatch" not in capsys.readouterr().out


def test_merged_cells_over_too_many_cells_are_refused(tmp_path: Path) -> None:
    # each range is under the cell limit, together they cover millions of cells
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(build(LIJIANG)))
    out = io.BytesIO()
    ranges = "".join(f'<mergeCell ref="J100:Z{7000 + i}"/>' for i in range(40))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text, count = re.subn(
                    r'<mergeCells count="(\d+)">',
                    lambda m: f'<mergeCells count="{int(m[1]) + 40}">{ranges}',
                    data.decode(),
                )
                assert count == 1
                data = text.encode()
            target.writestr(info.filename, data)
    path = _write(tmp_path, "merged.xlsx", out.getvalue())
    with pytest.raises(DocumentError) as caught:
        load_facts(path, rubric=load_rubric("project-sheet-national@2020.1"))
    assert caught.value.code == "workbook-too-large"
    assert "merged cells" in caught.value.problems[0].message


def _unmerged_level1(data: bytes) -> bytes:
    """The sheet with its 一级指标 cells unmerged, as Excel's 取消合并 leaves them: the heading
    on the first row of each block, the rows under it blank."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book.active
    for merged in list(ws.merged_cells.ranges):
        if merged.min_col == merged.max_col == 2 and merged.max_row > merged.min_row:
            ws.unmerge_cells(str(merged))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_level1_written_once_a_block_reads_for_the_rows_under_it(tmp_path: Path) -> None:
    merged = load_facts(_write(tmp_path, "merged.xlsx", build(CHIZHOU)))
    path = _write(tmp_path, "unmerged.xlsx", _unmerged_level1(build(CHIZHOU)))
    unmerged = load_facts(path)
    for name in ("outputs", "benefits", "satisfactions"):
        assert unmerged.facts[name] == merged.facts[name], name
    said = [w for w in unmerged.warnings if "一级指标" in w.message]
    # 产出指标 over 6 rows and 效益指标 over 3: the 5 and 2 rows under each heading
    assert len(said) == 7
    assert all(w.code == "unread-cell" and w.severity == "warning" for w in said)
    assert "read as '产出指标'" in said[0].message


def test_grouped_and_full_width_digits_in_the_target_and_actual_are_read(tmp_path: Path) -> None:
    spec = dict(CHIZHOU)
    spec["rows"] = [
        ("产出指标", "数量指标", "服务人次", "≥1,000人次", "1,200人次", 8, 8),
        ("产出指标", "数量指标", "培训人次", "≥１０００人次", "１２００", 8, 8),
        ("产出指标", "数量指标", "发放金额", "≥5万元", "若干", 8, 8),
        *CHIZHOU["rows"][1:],
    ]
    sheet = load_facts(_write(tmp_path, "grouped.xlsx", build(spec)))
    first, second, third = sheet.facts["outputs"][:3]
    assert (first["target"], first["unit"], first["actual"]) == (D(1000), "人次", D(1200))
    assert (second["target"], second["unit"], second["actual"]) == (D(1000), "人次", D(1200))
    # an actual that is no number is kept as text and said at its cell
    assert "actual" not in third
    assert third["actual_text"] == "若干"
    (said,) = [w for w in sheet.warnings if "若干" in w.message]
    assert said.location is not None
    assert said.location.cell() == "项目支出绩效自评表!F15"  # the third row's 实际完成值


def test_score_and_points_headed_with_their_unit_or_as_self_score_are_read(
    tmp_path: Path,
) -> None:
    expected = load_facts(_write(tmp_path, "plain.xlsx", build(CHIZHOU)))
    for points, score in (("分值（分）", "得分（分）"), ("分值(分)", "自评得分")):
        spec = dict(CHIZHOU)
        spec["columns"] = [points if c == "分值" else score if c == "得分" else c for c in NATIONAL]
        sheet = load_facts(_write(tmp_path, "units.xlsx", build(spec)))
        assert sheet.claims is not None
        assert expected.claims is not None
        assert sheet.claims.indicators == expected.claims.indicators, (points, score)
        assert sheet.facts["outputs"] == expected.facts["outputs"]


def test_a_sheet_without_a_score_column_says_no_claim_is_read(tmp_path: Path) -> None:
    spec = dict(CHIZHOU)
    spec["columns"] = [("备注" if c == "得分" else c) for c in NATIONAL]
    sheet = load_facts(_write(tmp_path, "noscore.xlsx", build(spec)))
    said = [w for w in sheet.warnings if "得分" in w.message and "column" in w.message]
    assert len(said) == 1
    assert said[0].location is not None
    assert said[0].location.cell() == "项目支出绩效自评表!G12"  # the header row's 分值 cell


def test_a_second_project_sheet_in_the_workbook_is_said(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build(LIJIANG)))
    book.copy_worksheet(book.active).title = "项目2"
    path = tmp_path / "two.xlsx"
    book.save(path)
    sheet = load_facts(path, rubric=load_rubric("project-sheet-national@2020.1"))
    (said,) = [w for w in sheet.warnings if "项目2" in w.message]
    assert said.severity == "warning"
    assert "only '项目支出绩效自评表' is read" in said.message


def test_a_number_target_without_an_operator_is_said_in_the_rubrics_words(tmp_path: Path) -> None:
    spec = dict(CHIZHOU)
    spec["rows"] = [("产出指标", "数量指标", "数量", 50, 50, 8, 8), *CHIZHOU["rows"][1:]]
    sheet = load_facts(_write(tmp_path, "bare.xlsx", build(spec)))
    (said,) = [w for w in sheet.warnings if "'='" in w.message]
    assert said.message == "年度指标值 '50' has no operator; read as '='"
    assert said.message.render("zh") == "年度指标值 '50' 没有比较符号；按 '=' 读取"


def test_identity_labels_with_a_colon_or_their_value_in_the_same_cell_are_read(
    tmp_path: Path,
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build(CHIZHOU)))
    ws = book.active
    ws["A2"] = "（2022年）"
    ws.unmerge_cells("B3:I3")
    ws["A3"], ws["B3"] = "项目名称：委托业务 项目", None
    ws["E4"] = "实施单位:"
    path = tmp_path / "labels.xlsx"
    book.save(path)
    sheet = load_facts(path)
    assert sheet.period == "2022"
    assert sheet.facts["project_name"] == "委托业务 项目"
    assert sheet.subject == "池州市贵池区棠溪镇人民政府"
    assert sheet.facts["supervisor"] == "池州市贵池区棠溪镇人民政府"


def test_funds_written_with_their_unit_are_read_and_an_unreadable_one_is_named(
    tmp_path: Path,
) -> None:
    spec = dict(LIJIANG)
    spec["funds"] = [("年度资金总额", "7.29万元", "七点二九", 7.29, 10, 1.0, 10)]
    sheet = load_facts(_write(tmp_path, "funds.xlsx", build(spec)))
    assert sheet.facts["fund_total_initial"] == D("7.29")
    assert "fund_total_full" not in sheet.facts
    (said,) = [w for w in sheet.warnings if "七点二九" in w.message]
    assert "年度资金总额 全年预算数" in said.message
    assert "full" not in said.message


def test_a_fraction_typed_for_a_percent_actual_is_said(tmp_path: Path) -> None:
    spec = dict(CHIZHOU)
    spec["rows"] = [
        ("产出指标", "质量指标", "合格率", "≥95%", 0.98, 8, 8),
        ("产出指标", "质量指标", "达标率", "≥95%", 98, 8, 8),
        *CHIZHOU["rows"][1:],
    ]
    sheet = load_facts(_write(tmp_path, "fraction.xlsx", build(spec)))
    assert sheet.facts["outputs"][0]["actual"] == D("0.98")  # read as typed, and said
    said = [w for w in sheet.warnings if "实际完成值 0.98" in w.message]
    assert len(said) == 1
    assert said[0].location is not None
    assert said[0].location.cell() == "项目支出绩效自评表!F13"
    assert said[0].message.render("zh") == (
        "实际完成值 0.98，年度指标值为 ≥95%：如指 98%，请填 98（或把单元格设为百分比格式）；"
        "现按 0.98% 计分"
    )
    assert not [w for w in sheet.warnings if "实际完成值 98" in w.message]


def test_points_and_scores_written_with_their_unit_are_read(tmp_path: Path) -> None:
    expected = load_facts(_write(tmp_path, "plain.xlsx", build(CHIZHOU)))
    spec = dict(CHIZHOU)
    spec["rows"] = [
        (*r[:5], f"{r[5]}分", f"{r[6]}分") if len(r) == 7 else r for r in CHIZHOU["rows"]
    ]
    sheet = load_facts(_write(tmp_path, "units.xlsx", build(spec)))
    assert sheet.facts["outputs"] == expected.facts["outputs"]
    assert sheet.claims is not None
    assert expected.claims is not None
    assert sheet.claims.indicators == expected.claims.indicators
