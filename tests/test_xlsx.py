"""Facts from the fact-entry workbook: the template, read back exactly, and hostile workbooks.

The round trip fills a generated template as a person would (by the labels shown, with values
as Excel stores them: floats, dates, 是/否), saves it with openpyxl, and scores it: the scorecard
JSON must equal the YAML document's.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")

from perfscore import (  # noqa: E402 - after the importorskip
    Location,
    Problem,
    UsageError,
    cli,
    load_facts,
    load_rubric,
)
from perfscore._load._document import load_document  # noqa: E402
from perfscore._tools._template_xlsx import facts_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HUIZHOU = (
    ROOT / "rubric" / "dept-overall-huizhou" / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
)
LIJIANG = ROOT / "examples" / "project-sheet-lijiang-2020.yaml"
CHIZHOU = ROOT / "examples" / "project-sheet-chizhou-2022.yaml"


def _excel(value: object, yes: str = "是", no: str = "否") -> object:
    """A YAML value as Excel stores what a person types: a double, a date, 是/否."""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _type(ws: Any, row: int, column: int, value: object) -> None:
    """Type `value` into a cell; a decimal with trailing zeros gets the format that shows them,
    as a person formats amounts (0.00)."""
    cell = ws.cell(row=row, column=column, value=_excel(value))
    if isinstance(value, Decimal) and value.as_tuple().exponent < 0:
        cell.number_format = "0." + "0" * -value.as_tuple().exponent


def _rows_by_label(ws: Any, column: int = 1, start: int = 1) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in range(start, ws.max_row + 1):
        label = ws.cell(row=row, column=column).value
        if isinstance(label, str):
            assert label not in found, f"label {label!r} twice on {ws.title}"
            found[label] = row
    return found


def fill(template: bytes, document: dict[str, Any], rubric: Any) -> bytes:
    """Type `document`'s values into the template by the labels it shows."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    facts_ws = book["事实"]
    rows = _rows_by_label(facts_ws)
    facts_ws["C3"] = document.get("subject")
    facts_ws["C4"] = document.get("period")
    specs = rubric.model.facts
    for fact_id, value in document["facts"].items():
        spec = specs[fact_id]
        if spec.type != "list":
            _type(facts_ws, rows[spec.label], 3, value)
            continue
        ws = book[spec.label]
        columns = {ws.cell(row=3, column=c).value: c for c in range(1, ws.max_column + 1)}
        for i, record in enumerate(value):
            for field_id, field_value in record.items():
                label = spec.fields[field_id].label
                _type(ws, 5 + i, columns[label], field_value)
    claims = document.get("claimed") or {}
    claims_ws = book["自评得分"]
    claim_rows = _rows_by_label(claims_ws, start=4)
    names = {i.id: i.name for i in _leaves(rubric)}
    for indicator, score in (claims.get("indicators") or {}).items():
        _type(claims_ws, claim_rows[names[indicator]], 3, score)
    if "total" in claims:
        claims_ws.cell(row=claim_rows["总分"], column=3, value=_excel(claims["total"]))
    if "grade" in claims:
        claims_ws.cell(row=claim_rows["等级"], column=3, value=claims["grade"])
    for indicator in document.get("not_applicable") or []:
        claims_ws.cell(row=claim_rows[names[indicator]], column=4, value="是")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _leaves(rubric: Any) -> list[Any]:
    from perfscore._load._model import Indicator, iter_nodes

    items = [n.node for n in iter_nodes(rubric.model) if isinstance(n.node, Indicator)]
    return [*items, *rubric.model.bonus]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("example", [HUIZHOU, LIJIANG, CHIZHOU], ids=lambda p: p.stem)
def test_the_examples_typed_into_the_template_score_the_same_scorecard(
    tmp_path: Path, example: Path
) -> None:
    yaml_facts = load_facts(example)
    rubric = load_rubric(f"{yaml_facts.rubric_id}@{yaml_facts.rubric_version}")
    document = load_document(example).data
    assert isinstance(document, dict)
    filled = fill(facts_workbook(rubric), document, rubric)
    xlsx_facts = load_facts(_write(tmp_path, "filled.xlsx", filled))
    assert xlsx_facts.warnings == ()
    assert rubric.evaluate(xlsx_facts).to_json() == rubric.evaluate(yaml_facts).to_json()


def test_numbers_are_exact_decimals_never_floats(tmp_path: Path) -> None:
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    document = load_document(HUIZHOU).data
    assert isinstance(document, dict)
    filled = fill(facts_workbook(rubric), document, rubric)
    facts = load_facts(_write(tmp_path, "f.xlsx", filled))
    assert facts.facts["total_full"] == Decimal("3703.85")
    assert facts.facts["spend_rate_stated"] == Decimal("95.87")
    assert facts.facts["key_tasks_planned"] == 8
    assert facts.facts["budget_items_cut"] is True
    assert facts.facts["large_in_year_adjustment"] is False
    assert facts.facts["budget_approved_on"] == dt.date(2022, 1, 30)
    assert not any(isinstance(v, float) for v in facts.facts.values())
    surveys = facts.facts["surveys"]
    assert isinstance(surveys, list)
    assert surveys[3] == {
        "name": '政务服务中心"高层次人才"服务窗口服务评价',
        "respondents": 2683,
        "rate": Decimal("93.78"),
    }
    assert facts.claims is not None
    assert facts.claims.total == 103
    assert facts.claims.grade == "优"


def test_the_cli_writes_the_template_and_scores_the_filled_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "t.xlsx"
    assert (
        cli.main(["template", "dept-overall-huizhou@2022.1", "--format", "xlsx", "-o", str(target)])
        == 0
    )
    assert "wrote" in capsys.readouterr().out
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    document = load_document(HUIZHOU).data
    assert isinstance(document, dict)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(fill(target.read_bytes(), document, rubric))
    assert cli.main(["score", str(filled), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out == rubric.evaluate(load_facts(HUIZHOU)).to_json() + "\n"
    # an existing file is never overwritten, and a workbook is not written to stdout
    assert (
        cli.main(["template", "dept-overall-huizhou@2022.1", "--format", "xlsx", "-o", str(target)])
        == 2
    )
    assert "exists already" in capsys.readouterr().err
    assert cli.main(["template", "dept-overall-huizhou@2022.1", "--format", "xlsx"]) == 2
    assert "-o FILE.xlsx" in capsys.readouterr().err


def test_without_openpyxl_a_perfscore_error_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "f.xlsx"
    path.write_bytes(facts_workbook(load_rubric("dept-overall-huizhou@2022.1")))
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)  # import fails
    with pytest.raises(UsageError) as caught:
        load_facts(path)
    assert caught.value.code == "missing-extra"
    assert "perfscore[xlsx]" in (caught.value.hint or "")
    target = tmp_path / "t.xlsx"
    assert (
        cli.main(["template", "dept-overall-huizhou@2022.1", "--format", "xlsx", "-o", str(target)])
        == 2
    )
    assert "[missing-extra]" in capsys.readouterr().err
    assert not target.exists()


def test_a_cell_location_renders_as_a_reference_with_its_label() -> None:
    where = Location("x.xlsx", 7, 3, sheet="事实", label="基本支出年初预算数")
    assert str(where) == "x.xlsx:事实!C7 (基本支出年初预算数)"
    assert str(Location("x.xlsx", 12, 28, sheet="My sheet")) == "x.xlsx:'My sheet'!AB12"
    problem = Problem("fact-type", "expected a number", where)
    data = problem.to_dict()
    assert (data["file"], data["line"], data["column"]) == ("x.xlsx", 7, 3)
    assert (data["sheet"], data["cell"]) == ("事实", "事实!C7")
    assert "sheet" not in Problem("fact-type", "x", Location("f.yaml", 1, 2)).to_dict()
