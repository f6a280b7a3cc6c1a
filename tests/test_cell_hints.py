"""A wrong workbook cell: the error names the cell, the label and what was expected, and its
hint says what to type there (95.87 for 95.87%, a date as 2022-01-30, 是 or 否)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")

from perfscore import FactsError, load_facts, load_rubric  # noqa: E402
from perfscore._load._document import load_document  # noqa: E402
from perfscore._tools._template_xlsx import facts_workbook  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_xlsx_marks import HUIZHOU, fill  # noqa: E402

RUBRIC = "dept-overall-huizhou@2022.1"


def _problems(tmp_path: Path, facts: dict[str, object], lists: Any = None) -> dict[str, Any]:
    """The problems of the filled 2022.1 template with `facts` typed over, by fact id."""
    rubric = load_rubric(RUBRIC)
    document = load_document(HUIZHOU).data
    assert isinstance(document, dict)
    book = openpyxl.load_workbook(io.BytesIO(fill(facts_workbook(rubric), document, rubric)))
    ws = book["事实"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(7, ws.max_row + 1)}
    for fact_id, value in facts.items():
        ws.cell(row=rows[rubric.model.facts[fact_id].label], column=3).value = value
    if lists is not None:
        lists(book)
    path = tmp_path / "wrong.xlsx"
    book.save(path)
    with pytest.raises(FactsError) as caught:
        rubric.evaluate(load_facts(path))
    found = {}
    for p in caught.value.problems:
        assert p.subject is not None, p
        found[p.subject.split("'")[1]] = p
    return found


def test_each_wrong_cell_says_what_to_type(tmp_path: Path) -> None:
    found = _problems(
        tmp_path,
        {
            "total_full": "3,703.80万元",
            "spend_rate_stated": "95.87%",
            "budget_items_cut": "有",
            "budget_approved_on": "2022年1月30日",
            "key_tasks_planned": 8.5,
        },
    )
    hints = {k: p.hint for k, p in found.items()}
    assert hints == {
        "total_full": "type 3703.80: the number alone, without unit or separators",
        "spend_rate_stated": "type 95.87 (it means 95.87%): a percent cell holds the number of "
        "percent, without '%'",
        "budget_items_cut": "pick 是 or 否 from the cell's drop-down list (是 for '有')",
        "budget_approved_on": "type the date as 2022-01-30 (a date cell, not text)",
        "key_tasks_planned": "type a whole number (8 or 9), not 8.5",
    }
    # the rest of the error is as before: the cell, its label, what was expected
    rendered = found["spend_rate_stated"].render()
    assert ":事实!C" in rendered
    assert "(报告所述部门预算资金支出率)" in rendered
    assert "expected a percent number, got text '95.87%'" in rendered


def test_a_number_kept_as_text_by_its_cell_is_told_to_change_the_format(tmp_path: Path) -> None:
    # '3703.85 (or a cell formatted 文本) holds the number as text: the hint said to type
    # 3703.85, which is what the cell already shows
    found = _problems(tmp_path, {"total_full": "3703.85", "key_tasks_planned": "8"})
    assert {k: p.hint for k, p in found.items()} == {
        "total_full": "the cell holds 3703.85 as text (its format is Text, or it begins with '): "
        "set the cell's format to Number (or General) and type 3703.85 again",
        "key_tasks_planned": "the cell holds 8 as text (its format is Text, or it begins with '): "
        "set the cell's format to Number (or General) and type 8 again",
    }
    assert found["total_full"].hint.render("zh") == (  # type: ignore[union-attr]
        "该单元格把 3703.85 存成了文本（格式为“文本”，或以 ' 开头）：请把单元格格式改为“数值”"
        "（或“常规”），再重新填写 3703.85"
    )


def test_an_integer_cell_is_given_a_whole_number_for_its_example(tmp_path: Path) -> None:
    # the example was 95.87 for a count too, which the cell then refused as not whole
    found = _problems(tmp_path, {"key_tasks_planned": "八项", "total_full": "约三千万"})
    assert found["key_tasks_planned"].hint == "type a number alone, e.g. 12, without unit or words"
    assert found["total_full"].hint == "type a number alone, e.g. 95.87, without unit or words"


def test_a_date_cell_with_a_time_is_told_the_date_to_type(tmp_path: Path) -> None:
    import datetime as dt

    found = _problems(tmp_path, {"budget_approved_on": dt.datetime(2022, 2, 18, 13, 5)})
    problem = found["budget_approved_on"]
    assert "expected a date YYYY-MM-DD, got a date and time '2022-02-18 13:05:00'" in (
        problem.render()
    )
    assert problem.hint == "type the date as 2022-02-18 (a date cell, not text)"


def test_out_of_range_and_blank_cells(tmp_path: Path) -> None:
    found = _problems(tmp_path, {"spend_rate_stated": 9587, "total_full": None})
    assert found["spend_rate_stated"].code == "out-of-bounds"
    assert found["total_full"].code == "fact-type"  # expected a number, got nothing
    assert found["spend_rate_stated"].hint == "type a number from 0 to 100 (95.87 means 95.87%)"
    blank = found["total_full"]
    assert blank.hint is not None
    assert f"type the value in {blank.location.cell()}" in blank.hint
    assert "不详" in blank.hint  # the way to say the source does not show it


def test_a_list_cell_and_an_unparsable_text(tmp_path: Path) -> None:
    def survey(book: Any) -> None:
        ws = book["满意度调查"]
        columns = {ws.cell(row=3, column=c).value: c for c in range(1, ws.max_column + 1)}
        rubric = load_rubric(RUBRIC)
        field = rubric.model.facts["surveys"].fields["rate"]  # type: ignore[index]
        ws.cell(row=5, column=columns[field.label]).value = "九成"

    found = _problems(tmp_path, {}, survey)
    problem = found["surveys[0].rate"]
    assert problem.location.cell().startswith("满意度调查!")
    assert problem.hint == "type a number alone, e.g. 95.87, without unit or words"


def test_a_yaml_document_keeps_its_own_hints(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    text = HUIZHOU.read_text("utf-8").replace(
        "spend_rate_stated: 95.87", 'spend_rate_stated: "95.87%"'
    )
    assert text != HUIZHOU.read_text("utf-8")
    path.write_text(text, "utf-8")
    with pytest.raises(FactsError) as caught:
        load_rubric(RUBRIC).evaluate(load_facts(path))
    [problem] = caught.value.problems
    assert problem.hint is not None
    assert "cell" not in problem.hint
