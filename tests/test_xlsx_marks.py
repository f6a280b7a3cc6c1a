"""Unknown and doubtful values in the fact-entry workbook: the 状态 column of the facts sheet
(已知 / 不详 / 存疑, with a 说明), the three mark columns of a list sheet, their drop-downs, and
the round trip: a document with markers typed into the template scores the same scorecard as
the YAML document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")

from perfscore import DocumentError, load_facts, load_rubric  # noqa: E402
from perfscore._load._document import load_document  # noqa: E402
from perfscore._tools._template_xlsx import facts_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHIZHOU = ROOT / "examples" / "project-sheet-chizhou-2022.yaml"
HUIZHOU = (
    ROOT / "rubric" / "dept-overall-huizhou" / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
)
STATE = {"unknown": "不详", "doubtful": "存疑"}


def _excel(value: object) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return dt.date.fromisoformat(value)
    return value


def _type(ws: Any, row: int, column: int, value: object) -> None:
    """Type `value` into a cell; a decimal with trailing zeros gets the format that shows them,
    as a person formats amounts (0.00)."""
    cell = ws.cell(row=row, column=column, value=_excel(value))
    if isinstance(value, Decimal) and int(value.as_tuple().exponent) < 0:
        cell.number_format = "0." + "0" * -int(value.as_tuple().exponent)


def _split(value: object) -> tuple[object, str | None, str | None]:
    """A value as its three cells: the value, the 状态 and the 说明."""
    if isinstance(value, dict) and "unknown" in value:
        reason = value["unknown"]
        return None, STATE["unknown"], None if reason is True else str(reason)
    if isinstance(value, dict) and "doubtful" in value:
        return value["value"], STATE["doubtful"], str(value["doubtful"])
    return value, None, None


def _columns(ws: Any, row: int = 3) -> dict[str, int]:
    return {ws.cell(row=row, column=c).value: c for c in range(1, ws.max_column + 1)}


def fill(template: bytes, document: dict[str, Any], rubric: Any) -> bytes:
    """Type `document` into the template by its labels, markers into the 状态 cells."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    ws = book["事实"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(7, ws.max_row + 1)}
    heads = _columns(ws, 6)
    ws["C3"], ws["C4"] = document.get("subject"), document.get("period")
    for fact_id, value in document["facts"].items():
        spec = rubric.model.facts[fact_id]
        if spec.type != "list":
            plain, state, note = _split(value)
            row = rows[spec.label]
            _type(ws, row, 3, plain)
            ws.cell(row=row, column=heads["状态"], value=state)
            ws.cell(row=row, column=heads["不详/存疑说明"], value=note)
            continue
        sheet = book[spec.label]
        columns = _columns(sheet)
        for i, record in enumerate(value):
            for field_id, field_value in record.items():
                plain, state, note = _split(field_value)
                label = spec.fields[field_id].label
                _type(sheet, 5 + i, columns[label], plain)
                if state is not None:
                    sheet.cell(row=5 + i, column=columns["不详/存疑的字段"], value=label)
                    sheet.cell(row=5 + i, column=columns["状态"], value=state)
                    sheet.cell(row=5 + i, column=columns["不详/存疑说明"], value=note)
    claims = document.get("claimed") or {}
    claims_ws = book["自评得分"]
    claim_rows = {claims_ws.cell(row=r, column=1).value: r for r in range(4, claims_ws.max_row + 1)}
    from perfscore._load._model import Indicator, iter_nodes

    names = {
        n.node.id: n.node.name for n in iter_nodes(rubric.model) if isinstance(n.node, Indicator)
    }
    names.update({b.id: b.name for b in rubric.model.bonus})
    for indicator, score in (claims.get("indicators") or {}).items():
        _type(claims_ws, claim_rows[names[indicator]], 3, score)
    for key, label in (("total", "总分"), ("grade", "等级")):
        if key in claims:
            claims_ws.cell(row=claim_rows[label], column=3, value=_excel(claims[key]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _round_trip(tmp_path: Path, example: Path, **facts: object) -> None:
    yaml_facts = load_facts(example)
    yaml_facts = dataclasses.replace(yaml_facts, facts={**yaml_facts.facts, **facts})
    rubric = load_rubric(f"{yaml_facts.rubric_id}@{yaml_facts.rubric_version}")
    document = load_document(example).data
    assert isinstance(document, dict)
    document = {**document, "facts": {**document["facts"], **facts}}
    path = tmp_path / "filled.xlsx"
    path.write_bytes(fill(facts_workbook(rubric), document, rubric))
    xlsx_facts = load_facts(path)
    assert xlsx_facts.warnings == ()
    assert xlsx_facts.has_marks
    assert rubric.evaluate(xlsx_facts).to_json() == rubric.evaluate(yaml_facts).to_json()


def test_the_chizhou_sheet_with_its_unknown_row_round_trips(tmp_path: Path) -> None:
    # the 满意度 row is cut off: `assessed: {unknown: 原表在满意度行截断，评定得分不可见}`,
    # typed as 评定得分 in the mark column, 不详 and the reason
    _round_trip(tmp_path, CHIZHOU)


def test_an_unknown_and_a_doubtful_fact_round_trip(tmp_path: Path) -> None:
    _round_trip(
        tmp_path,
        HUIZHOU,
        spend_rate_stated={"value": Decimal("95.87"), "doubtful": "扫描件数字模糊"},
        budget_approved_on={"unknown": True},
    )


def test_the_markers_read_back_as_the_facts_syntax_writes_them(tmp_path: Path) -> None:
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    document = load_document(HUIZHOU).data
    assert isinstance(document, dict)
    marked = {
        "spend_rate_stated": {"value": Decimal("95.87"), "doubtful": "扫描件数字模糊"},
        "total_full": {"unknown": "原表缺页"},
        "budget_approved_on": {"unknown": True},
    }
    document = {**document, "facts": {**document["facts"], **marked}}
    path = tmp_path / "f.xlsx"
    path.write_bytes(fill(facts_workbook(rubric), document, rubric))
    facts = load_facts(path).facts
    assert facts["spend_rate_stated"] == {"value": Decimal("95.87"), "doubtful": "扫描件数字模糊"}
    assert facts["total_full"] == {"unknown": "原表缺页"}
    assert facts["budget_approved_on"] == {"unknown": True}
    assert facts["key_tasks_planned"] == 8  # a value with no 状态 is the value


def test_the_state_cells_have_their_drop_down_and_are_unlocked() -> None:
    rubric = load_rubric("project-sheet-national@2020.1")
    book = openpyxl.load_workbook(io.BytesIO(facts_workbook(rubric)))
    ws = book["事实"]
    heads = _columns(ws, 6)
    assert (heads["状态"], heads["不详/存疑说明"]) == (7, 8)
    lists = {
        str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"
    }
    states = [k for k, v in lists.items() if v == '"已知,不详,存疑"']
    assert len(states) == 1
    assert "G7" in states[0].split()
    assert ws["G7"].protection.locked is False
    assert ws["H7"].protection.locked is False
    assert ws["A7"].protection.locked is True
    # a list fact's row has no 状态 of its own: its sheet marks fields row by row
    outputs = next(
        r for r in range(7, ws.max_row + 1) if ws.cell(row=r, column=1).value == "产出指标"
    )
    assert ws.cell(row=outputs, column=7).protection.locked is True
    sheet = book["满意度指标"]
    columns = _columns(sheet)
    which = next(
        dv for dv in sheet.data_validations.dataValidation
        if str(dv.sqref).startswith(openpyxl.utils.get_column_letter(columns["不详/存疑的字段"]))
    )  # fmt: skip
    offered = which.formula1.strip('"').split(",")
    # the fields that make the row (编号, 三级指标, 分值, 指标性质) cannot be marked
    assert "评定得分" in offered
    assert "三级指标" not in offered
    assert "分值" not in offered
    assert "指标性质" not in offered


def _problems(tmp_path: Path, **cells: object) -> list[Any]:
    """The problems of the 2022.1 template with `cells` (``G9`` and such) typed on 事实."""
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    document = load_document(HUIZHOU).data
    assert isinstance(document, dict)
    book = openpyxl.load_workbook(io.BytesIO(fill(facts_workbook(rubric), document, rubric)))
    for ref, value in cells.items():
        book["事实"][ref] = value
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(DocumentError) as caught:
        load_facts(path)
    return list(caught.value.problems)


def _row_of(label: str) -> int:
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    book = openpyxl.load_workbook(io.BytesIO(facts_workbook(rubric)))
    ws = book["事实"]
    return next(r for r in range(7, ws.max_row + 1) if ws.cell(row=r, column=1).value == label)


def test_a_value_marked_unknown_must_be_empty(tmp_path: Path) -> None:
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    label = rubric.model.facts["spend_rate_stated"].label
    row = _row_of(label)
    [problem] = _problems(tmp_path, **{f"G{row}": "不详"})
    assert problem.code == "invalid-marker"
    assert problem.location.cell() == f"事实!G{row}"
    assert "95.87" in problem.message
    assert problem.hint is not None
    assert "存疑" in problem.hint


def test_a_doubtful_value_needs_its_value_and_a_reason(tmp_path: Path) -> None:
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    row = _row_of(rubric.model.facts["spend_rate_stated"].label)
    [problem] = _problems(tmp_path, **{f"G{row}": "存疑"})
    assert problem.code == "invalid-marker"
    assert problem.location.cell() == f"事实!H{row}"  # the reason's cell
    [problem] = _problems(tmp_path, **{f"G{row}": "存疑", f"C{row}": None, f"H{row}": "模糊"})
    assert problem.location.cell() == f"事实!G{row}"
    assert "empty" in problem.message


def test_a_reason_without_a_state_and_a_state_off_the_list_are_refused(tmp_path: Path) -> None:
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    row = _row_of(rubric.model.facts["spend_rate_stated"].label)
    other = _row_of(rubric.model.facts["total_full"].label)
    problems = _problems(tmp_path, **{f"H{row}": "看不清", f"G{other}": "未知"})
    found = {(p.code, p.location.cell()) for p in problems}
    assert found == {("invalid-marker", f"事实!H{row}"), ("fact-type", f"事实!G{other}")}
    off_list = next(p for p in problems if p.code == "fact-type")
    assert "'未知'" in off_list.message
    assert "已知" in off_list.message


def test_a_list_mark_names_a_field_the_row_may_mark(tmp_path: Path) -> None:
    rubric = load_rubric("project-sheet-national@2020.1")
    document = load_document(CHIZHOU).data
    assert isinstance(document, dict)
    book = openpyxl.load_workbook(io.BytesIO(fill(facts_workbook(rubric), document, rubric)))
    sheet = book["满意度指标"]
    columns = _columns(sheet)
    which, state = columns["不详/存疑的字段"], columns["状态"]
    sheet.cell(row=5, column=which).value = None  # 不详, but of no field
    outputs = book["产出指标"]
    outputs.cell(row=5, column=_columns(outputs)["不详/存疑的字段"], value="备注")
    outputs.cell(row=5, column=_columns(outputs)["状态"], value="不详")
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(DocumentError) as caught:
        load_facts(path)
    letter = openpyxl.utils.get_column_letter
    found = {(p.code, p.location.cell()) for p in caught.value.problems}
    assert found == {
        ("invalid-marker", f"满意度指标!{letter(which)}5"),
        ("invalid-marker", f"产出指标!{letter(_columns(outputs)['不详/存疑的字段'])}5"),
    }
    assert sheet.cell(row=5, column=state).value == "不详"
    points = next(p for p in caught.value.problems if "'备注'" in p.message)
    assert points.hint is not None
    assert "评定得分" in points.hint
