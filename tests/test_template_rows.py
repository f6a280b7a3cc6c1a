"""The fact-entry template whose layout was changed: rows or columns inserted or deleted, a sheet
renamed, cells merged. Each is refused with one problem on the visible sheet that says what
happened (not one per map entry on the hidden sheet), and no value is re-mapped by its label.

Every workbook is the template filled with the 大亚湾 example by openpyxl, changed as a person
would change it, saved and read back through `load_facts` or the command."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")

from perfscore import DocumentError, FactsError, load_facts, load_rubric  # noqa: E402
from perfscore._load._document import load_document  # noqa: E402
from perfscore._tools._template_xlsx import facts_workbook  # noqa: E402
from test_xlsx_marks import fill  # noqa: E402 - the filling helper, typed by labels

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
RUBRIC = "dept-overall-huizhou@2022.1"
HINT_ROWS = (
    "请撤销插入或删除的行或列（perfscore 按模板原来的单元格读取每个值，不会按标签去找），"
    "或把数据复制到新生成的模板中（perfscore template dept-overall-huizhou@2022.1 --format xlsx "
    "-o FILE）"
)


@pytest.fixture(scope="module")
def filled() -> bytes:
    rubric = load_rubric(RUBRIC)
    document = load_document(EXAMPLE).data
    assert isinstance(document, dict)
    return fill(facts_workbook(rubric), document, rubric)


def _changed(tmp_path: Path, filled: bytes, change: Callable[[Any], object]) -> Path:
    book = openpyxl.load_workbook(io.BytesIO(filled))
    change(book)
    path = tmp_path / "t.xlsx"
    book.save(path)
    return path


def _refused(path: Path) -> list[tuple[str, str | None, str, str, str | None]]:
    """Each problem as (code, cell, Chinese message, English message, Chinese hint)."""
    with pytest.raises(DocumentError) as caught:
        load_facts(path)
    rows = []
    for p in caught.value.problems:
        assert p.location is not None
        assert p.location.file == str(path)
        hint = p.hint.render("zh") if hasattr(p.hint, "render") else p.hint
        zh = p.message.render("zh")  # type: ignore[attr-defined]
        rows.append((p.code, p.location.cell(), zh, str(p.message), hint))
    return rows


def test_the_filled_template_untouched_scores_as_the_yaml_document(
    tmp_path: Path, filled: bytes
) -> None:
    path = _changed(tmp_path, filled, lambda book: None)
    rubric = load_rubric(RUBRIC)
    facts = load_facts(path)
    assert facts.warnings == ()
    assert rubric.evaluate(facts).to_json() == rubric.evaluate(load_facts(EXAMPLE)).to_json()


def test_a_row_inserted_in_the_facts_sheet_is_one_problem_that_says_so(
    tmp_path: Path, filled: bytes
) -> None:
    path = _changed(tmp_path, filled, lambda book: book["事实"].insert_rows(8))
    assert _refused(path) == [
        (
            "workbook-map",
            "事实!A8",
            "事实 工作表：从第 8 行起，A 列的标签与模板不符（A8 应为 '基本支出全年预算数'，"
            "实际为空）：第 8 行上方插入了 1 行",
            "sheet 事实: from row 8 on, the labels in column A do not match the template (A8 "
            "should read '基本支出全年预算数', it is blank): 1 row(s) were inserted above row 8",
            HINT_ROWS,
        )
    ]


def test_three_rows_inserted_and_rows_deleted_are_counted(tmp_path: Path, filled: bytes) -> None:
    path = _changed(tmp_path, filled, lambda book: book["事实"].insert_rows(20, 3))
    assert [row[2] for row in _refused(path)] == [
        "事实 工作表：从第 20 行起，A 列的标签与模板不符（A20 应为 '本年支出合计全年预算数'，"
        "实际为空）：第 20 行上方插入了 3 行"
    ]
    path = _changed(tmp_path, filled, lambda book: book["事实"].delete_rows(8))
    assert _refused(path) == [
        (
            "workbook-map",
            "事实!A8",
            "事实 工作表：从第 8 行起，A 列的标签与模板不符（A8 应为 '基本支出全年预算数'，"
            "实际为 '基本支出决算数'）：从第 8 行起删除了 1 行",
            "sheet 事实: from row 8 on, the labels in column A do not match the template (A8 "
            "should read '基本支出全年预算数', it reads '基本支出决算数'): 1 row(s) were deleted "
            "from row 8 on",
            HINT_ROWS,
        )
    ]
    path = _changed(tmp_path, filled, lambda book: book["事实"].delete_rows(10, 2))
    assert [row[2] for row in _refused(path)] == [
        "事实 工作表：从第 10 行起，A 列的标签与模板不符（A10 应为 '人员经费年初预算数'，"
        "实际为 '人员经费决算数'）：从第 10 行起删除了 2 行"
    ]

    # the instructions row above the facts deleted (Excel takes its merge away with it): the
    # headings and every fact's label stand a row higher
    def drop_instructions(book: Any) -> None:
        book["事实"].unmerge_cells("A5:F5")
        book["事实"].delete_rows(5)

    path = _changed(tmp_path, filled, drop_instructions)
    assert [row[2] for row in _refused(path)] == [
        "事实 工作表：从第 6 行起，A 列的标签与模板不符（A6 应为 '事实'，"
        "实际为 '基本支出年初预算数'）：从第 5 行起删除了 1 行"
    ]


def test_a_column_inserted_or_deleted_between_the_facts_labels_and_values_is_one_problem(
    tmp_path: Path, filled: bytes
) -> None:
    # the labels in column A stay put; the headings of row 6 move with the values, which a
    # reader by the map's cells would otherwise take from the wrong column (60 facts "the
    # text '万元'", or the 状态 marks from the 说明 column)
    path = _changed(tmp_path, filled, lambda book: book["事实"].insert_cols(2))
    assert _refused(path) == [
        (
            "workbook-map",
            "事实!B6",
            "事实 工作表：从 B 列起，第 6 行的标签与模板不符（B6 应为 '单位'，实际为空）："
            "B 列左侧插入了 1 列",
            "sheet 事实: from column B on, the labels in row 6 do not match the template (B6 "
            "should read '单位', it is blank): 1 column(s) were inserted left of column B",
            HINT_ROWS,
        )
    ]
    path = _changed(tmp_path, filled, lambda book: book["事实"].insert_cols(7))
    assert [row[1:3] for row in _refused(path)] == [
        (
            "事实!G6",
            "事实 工作表：从 G 列起，第 6 行的标签与模板不符（G6 应为 '状态'，实际为空）："
            "G 列左侧插入了 1 列",
        )
    ]
    path = _changed(tmp_path, filled, lambda book: book["事实"].delete_cols(4))
    assert [row[1:3] for row in _refused(path)] == [
        (
            "事实!D6",
            "事实 工作表：从 D 列起，第 6 行的标签与模板不符（D6 应为 '类型与范围'，"
            "实际为 '是否必填'）：从 D 列起删除了 1 列",
        )
    ]


def test_a_template_made_before_headings_were_mapped_is_read_as_before(
    tmp_path: Path, filled: bytes
) -> None:
    # an older template's map names no heading: it is read as it always was
    from perfscore._load._xlsx import MAP_SHEET, map_digest

    book = openpyxl.load_workbook(io.BytesIO(filled))
    ws = book[MAP_SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    kept = [r for r in rows if r[0] not in ("heading", "digest")]
    ws.delete_rows(1, ws.max_row)
    for r in kept:
        ws.append(r)
    cells = [["" if v is None else str(v) for v in r[:7]] for r in kept]
    ws.append(["digest", map_digest(cells)])
    path = tmp_path / "old.xlsx"
    book.save(path)
    rubric = load_rubric(RUBRIC)
    facts = load_facts(path)
    assert facts.warnings == ()  # its list facts' rows, below the last value, are its own
    assert rubric.evaluate(facts).total == rubric.evaluate(load_facts(EXAMPLE)).total


def test_columns_inserted_before_the_labels_and_a_list_sheets_rows_and_columns(
    tmp_path: Path, filled: bytes
) -> None:
    path = _changed(tmp_path, filled, lambda book: book["事实"].insert_cols(1))
    assert _refused(path) == [
        (
            "workbook-map",
            "事实!A2",
            "事实 工作表：从 A 列起，第 2 行的标签与模板不符（A2 应为 '评分规则'，实际为空）："
            "A 列左侧插入了 1 列",
            "sheet 事实: from column A on, the labels in row 2 do not match the template (A2 "
            "should read '评分规则', it is blank): 1 column(s) were inserted left of column A",
            HINT_ROWS,
        )
    ]
    path = _changed(tmp_path, filled, lambda book: book["满意度调查"].insert_cols(2))
    assert [row[1:3] for row in _refused(path)] == [
        (
            "满意度调查!B3",
            "满意度调查 工作表：从 B 列起，第 3 行的标签与模板不符（B3 应为 "
            "'回收问卷数（或服务人次）'，实际为空）：B 列左侧插入了 1 列",
        )
    ]
    path = _changed(tmp_path, filled, lambda book: book["自评得分"].insert_rows(10))
    assert [row[1:3] for row in _refused(path)] == [
        (
            "自评得分!A10",
            "自评得分 工作表：从第 10 行起，A 列的标签与模板不符（A10 应为 "
            "'国库集中支付结转结余存量资金效率性'，实际为空）：第 10 行上方插入了 1 行",
        )
    ]


def test_labels_that_do_not_move_alike_name_the_first_wrong_row(
    tmp_path: Path, filled: bytes
) -> None:
    def edit(book: Any) -> None:
        book["事实"]["A9"] = "基本支出决算"

    path = _changed(tmp_path, filled, edit)
    assert _refused(path) == [
        (
            "workbook-map",
            "事实!A9",
            "事实 工作表：从第 9 行起，A 列的标签与模板不符（A9 应为 '基本支出决算数'，"
            "实际为 '基本支出决算'）：是否插入或删除了行或列，或修改了标签？",
            "sheet 事实: from row 9 on, the labels in column A do not match the template (A9 "
            "should read '基本支出决算数', it reads '基本支出决算'): were rows or columns "
            "inserted or deleted, or labels edited?",
            HINT_ROWS,
        )
    ]


def test_a_renamed_sheet_is_one_problem_naming_the_sheets_there_are(
    tmp_path: Path, filled: bytes
) -> None:
    def rename(book: Any) -> None:
        book["事实"].title = "Facts"

    path = _changed(tmp_path, filled, rename)
    sheets = (
        "'Facts', '满意度调查', '获得的表彰、奖项和荣誉', "
        "'受到的通报批评、审计或巡察问题等扣分事项', '自评得分'"
    )
    assert _refused(path) == [
        (
            "workbook-map",
            None,
            f"工作簿中没有模板映射要求的工作表 '事实'（现有工作表：{sheets}）：是否重命名或删除了"
            "这张工作表？",
            f"the workbook has no sheet '事实', which the template's map expects (its sheets are "
            f"{sheets}): was the sheet renamed or deleted?",
            "请把工作表改回原名 '事实'，或把数据复制到新生成的模板中"
            "（perfscore template dept-overall-huizhou@2022.1 --format xlsx -o FILE）",
        )
    ]


def test_a_deleted_sheet_and_rows_inserted_in_another_are_two_problems(
    tmp_path: Path, filled: bytes
) -> None:
    def change(book: Any) -> None:
        del book["满意度调查"]
        book["自评得分"].insert_rows(1)

    path = _changed(tmp_path, filled, change)
    assert [row[1:3] for row in _refused(path)] == [
        (
            None,
            "工作簿中没有模板映射要求的工作表 '满意度调查'（现有工作表：'事实', "
            "'获得的表彰、奖项和荣誉', '受到的通报批评、审计或巡察问题等扣分事项', '自评得分'）："
            "是否重命名或删除了这张工作表？",
        ),
        (
            "自评得分!A4",
            "自评得分 工作表：从第 4 行起，A 列的标签与模板不符（A4 应为 '预算编制合理性'，"
            "实际为 '指标'）：第 4 行上方插入了 1 行",
        ),
    ]


MERGE_HINT = "选中 {0}，取消合并（开始 > 合并后居中），再把每个值填在各自的单元格中"


@pytest.mark.parametrize(
    ("sheet", "cells", "cell", "label", "zh", "en"),
    [
        (
            "事实",
            "C8:C9",
            "事实!C9",
            "基本支出决算数",
            "事实!C9 与 C8 合并在一起（C8:C9），无法单独填写：请取消合并",
            "事实!C9 is merged with C8 (C8:C9) and cannot be filled on its own: unmerge the cells",
        ),
        (
            "事实",
            "B7:C7",
            "事实!C7",
            "基本支出年初预算数",
            "事实!C7 与 B7 合并在一起（B7:C7），无法单独填写：请取消合并",
            "事实!C7 is merged with B7 (B7:C7) and cannot be filled on its own: unmerge the cells",
        ),
        (  # a label merged into the one above it
            "事实",
            "A7:A8",
            "事实!A8",
            "基本支出全年预算数",
            "事实!A8 与 A7 合并在一起（A7:A8），无法单独填写：请取消合并",
            "事实!A8 is merged with A7 (A7:A8) and cannot be filled on its own: unmerge the cells",
        ),
        (  # one problem for a range over several facts, at its first covered cell
            "事实",
            "C7:C12",
            "事实!C8",
            "基本支出全年预算数",
            "事实!C8 与 C7 合并在一起（C7:C12），无法单独填写：请取消合并",
            "事实!C8 is merged with C7 (C7:C12) and cannot be filled on its own: unmerge the cells",
        ),
        (
            "满意度调查",
            "B5:B6",
            "满意度调查!B6",
            "回收问卷数（或服务人次）",
            "满意度调查!B6 与 B5 合并在一起（B5:B6），无法单独填写：请取消合并",
            "满意度调查!B6 is merged with B5 (B5:B6) and cannot be filled on its own: unmerge "
            "the cells",
        ),
        (
            "自评得分",
            "C4:D4",
            "自评得分!D4",
            None,
            "",
            "",
        ),
    ],
)
def test_a_value_cell_merged_into_another_is_refused_at_the_cell(
    tmp_path: Path,
    filled: bytes,
    sheet: str,
    cells: str,
    cell: str,
    label: str | None,
    zh: str,
    en: str,
) -> None:
    path = _changed(tmp_path, filled, lambda book: book[sheet].merge_cells(cells))
    if label is None:  # D4 is no value cell (the indicator has no 不涉及): nothing is lost
        rubric = load_rubric(RUBRIC)
        assert rubric.evaluate(load_facts(path)).total == rubric.evaluate(load_facts(EXAMPLE)).total
        return
    with pytest.raises(DocumentError) as caught:
        load_facts(path)
    [problem] = caught.value.problems
    assert problem.code == "workbook-map"
    assert problem.location is not None
    assert (problem.location.cell(), problem.location.label) == (cell, label)
    assert problem.message.render("zh") == zh  # type: ignore[attr-defined]
    assert str(problem.message) == en
    assert problem.hint.render("zh") == MERGE_HINT.format(cells)  # type: ignore[union-attr]


def test_the_command_prints_one_problem_on_the_visible_sheet(tmp_path: Path, filled: bytes) -> None:
    path = _changed(tmp_path, filled, lambda book: book["事实"].insert_rows(8))
    run = subprocess.run(
        [sys.executable, "-m", "perfscore", "score", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines == [
        f"DocumentError: {path}：工作簿中有 1 个问题",
        f"  {path}:事实!A8: 事实 工作表：从第 8 行起，A 列的标签与模板不符（A8 应为 "
        "'基本支出全年预算数'，实际为空）：第 8 行上方插入了 1 行 [workbook-map]",
        f"      提示：{HINT_ROWS}",
    ]


# values typed where the template reads nothing ------------------------------------------------


def test_a_record_below_a_lists_last_row_is_refused_not_dropped(
    tmp_path: Path, filled: bytes
) -> None:
    # the 满意度调查 sheet has rows 5 to 54; a 51st survey typed at row 57 was left out of the
    # satisfaction score without a word
    def beyond(book: Any) -> None:
        ws = book["满意度调查"]
        ws["A57"], ws["B57"], ws["C57"] = "额外调查", 100, 50

    assert _refused(_changed(tmp_path, filled, beyond)) == [
        (
            "unread-cell",
            "满意度调查!A57",
            "'额外调查' 填在了模板的单元格之外（模板到 F54 为止），不会被读取",
            "'额外调查' is typed outside the template's cells (they end at F54): it would not "
            "be read",
            "列表最多容纳模板所留行数的记录；需要更多时，请在评分规则中调大该列表的 max_items，"
            "再重新生成模板填写",
        )
    ]


def test_a_value_right_of_the_last_column_is_a_warning_at_its_cell(
    tmp_path: Path, filled: bytes
) -> None:
    # beside a row the template reads it may be a person's note: scored, never silently
    def beside(book: Any) -> None:
        book["事实"]["L8"] = 999  # two values in row 8, one where nothing is read

    facts = load_facts(_changed(tmp_path, filled, beside))
    (warning,) = facts.warnings
    assert (warning.code, warning.severity) == ("unread-cell", "warning")
    assert warning.location is not None
    assert warning.location.cell() == "事实!L8"
    assert warning.message.render("zh") == (  # type: ignore[attr-defined]
        "999 填在了模板的单元格之外（模板到 H70 为止），不会被读取"
    )
    assert str(warning.hint) == (
        "a value belongs in the template's cells on 事实; a note may stay, it is not read"
    )
    assert load_rubric(RUBRIC).evaluate(facts).total == 103


def test_a_value_below_a_sheets_last_row_is_a_warning_at_its_cell(
    tmp_path: Path, filled: bytes
) -> None:
    # the 事实 sheet ends at row 70 (its last rows are the list facts'); what is typed under
    # it, or under the 自评得分 sheet's 等级, is read nowhere: a note, or a value typed in the
    # wrong place, said at its cell, and the workbook still scores
    def notes(book: Any) -> None:
        book["事实"]["A80"] = "填表人：张三"
        book["事实"]["C72"] = 3703.85
        claims = book["自评得分"]
        claims.cell(row=claims.max_row + 2, column=3, value=98)

    facts = load_facts(_changed(tmp_path, filled, notes))
    found = [
        (w.code, w.severity, w.location.cell() if w.location else None) for w in facts.warnings
    ]
    claims_row = openpyxl.load_workbook(io.BytesIO(filled))["自评得分"].max_row + 2
    assert found == [
        ("unread-cell", "warning", "事实!C72"),
        ("unread-cell", "warning", "事实!A80"),
        ("unread-cell", "warning", f"自评得分!C{claims_row}"),
    ]
    assert facts.warnings[1].message.render("zh") == (  # type: ignore[attr-defined]
        "'填表人：张三' 填在了模板的单元格之外（模板到 H70 为止），不会被读取"
    )
    assert load_rubric(RUBRIC).evaluate(facts).total == 103


def test_the_list_facts_rows_of_the_facts_sheet_are_checked_labels(
    tmp_path: Path, filled: bytes
) -> None:
    # the last rows of the 事实 sheet name the list facts and read no value; a row inserted
    # among them moved labels no check saw
    path = _changed(tmp_path, filled, lambda book: book["事实"].insert_rows(69))
    assert [row[1] for row in _refused(path)] == ["事实!A69"]


def test_a_subject_or_period_with_a_line_break_is_refused_at_its_cell(
    tmp_path: Path, filled: bytes
) -> None:
    # a line break in the subject printed a forged "总分" line above the real one
    def forged(book: Any) -> None:
        book["事实"]["C3"] = "大亚湾组织部\r总分: 100  等级: 优"
        book["事实"]["C4"] = "2022\u202e"

    with pytest.raises(FactsError) as caught:
        load_facts(_changed(tmp_path, filled, forged))
    found = [(p.code, p.location.cell() if p.location else None) for p in caught.value.problems]
    assert found == [("forbidden-character", "事实!C3"), ("forbidden-character", "事实!C4")]
    said = caught.value.problems[0].render("zh")
    assert "subject 印在一行里：不能含有换行、控制字符或不可见字符（U+000D）" in said


def test_a_date_typed_in_a_number_cell_is_said_as_a_date_with_the_format_to_change(
    tmp_path: Path, filled: bytes
) -> None:
    import datetime as dt

    def dated(book: Any) -> None:
        book["事实"]["C20"] = dt.datetime(2022, 1, 1)  # Excel keeps a day in a date cell

    with pytest.raises(FactsError) as caught:
        load_rubric(RUBRIC).evaluate(load_facts(_changed(tmp_path, filled, dated)))
    (problem,) = caught.value.problems
    assert problem.location is not None
    assert problem.location.cell() == "事实!C20"
    assert problem.render("zh") == (
        f"{tmp_path / 't.xlsx'}:事实!C20 (本年支出合计全年预算数): 事实 'total_full': "
        "应为数字，实际是日期 2022-01-01 [fact-type]\n"
        "    提示：该单元格的格式是日期，存的是日子而不是数：请把单元格格式改为“数值”（或“常规”），"
        "再重新填写数字"
    )


def test_the_rubric_cell_changed_or_cleared_is_refused_at_the_cell(
    tmp_path: Path, filled: bytes
) -> None:
    # the hidden map says which rubric the cells are for; an edited C2 was ignored in silence
    def changed(book: Any) -> None:
        book["事实"]["C2"] = "dept-overall-huizhou@2022.2"

    assert _refused(_changed(tmp_path, filled, changed)) == [
        (
            "workbook-map",
            "事实!C2",
            "评分规则单元格 C2 改成了 'dept-overall-huizhou@2022.2'，但这份模板是为 "
            "dept-overall-huizhou@2022.1 生成的，各单元格填的是该评分规则的事实",
            "the rubric cell C2 reads 'dept-overall-huizhou@2022.2', but this template was made "
            "for dept-overall-huizhou@2022.1: its cells hold that rubric's facts",
            "请改回 dept-overall-huizhou@2022.1；要按别的评分规则评分，请用它生成模板（perfscore "
            "template 评分规则 --format xlsx -o 文件），再把数据复制过去",
        )
    ]

    def cleared(book: Any) -> None:
        book["事实"]["C2"] = None

    assert [row[2] for row in _refused(_changed(tmp_path, filled, cleared))] == [
        "评分规则单元格 C2 被清空了，但这份模板是为 dept-overall-huizhou@2022.1 生成的"
    ]


def test_a_template_scored_with_another_rubric_is_told_what_can_work(
    tmp_path: Path, filled: bytes
) -> None:
    facts = load_facts(_changed(tmp_path, filled, lambda book: None))
    with pytest.raises(FactsError) as caught:
        load_rubric("dept-overall-huizhou@2022.2").evaluate(facts)
    (problem,) = caught.value.problems
    assert problem.code == "rubric-mismatch"
    assert problem.hint is not None
    assert problem.hint.render("zh") == (  # type: ignore[attr-defined]
        "这份工作簿是为 dept-overall-huizhou@2022.1 生成的：请按 dept-overall-huizhou@2022.1 "
        "评分，或用 dept-overall-huizhou@2022.2 生成模板（perfscore template "
        "dept-overall-huizhou@2022.2 --format xlsx -o 文件），再把数据复制过去"
    )
