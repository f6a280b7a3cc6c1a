"""Facts from the fact-entry workbook: the template, read back exactly, and hostile workbooks.

The round trip fills a generated template as a person would (by the labels shown, with values
as Excel stores them: floats, dates, 是/否), saves it with openpyxl, and scores it: the scorecard
JSON must equal the YAML document's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")

from perfscore import (  # noqa: E402 - after the importorskip
    DocumentError,
    FactsError,
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


# The 池州 example marks its cut-off 满意度 row unknown: its round trip, through the mark columns of
# the list sheet, is in test_xlsx_marks.py.
@pytest.mark.parametrize("example", [HUIZHOU, LIJIANG], ids=lambda p: p.stem)
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


def test_a_required_list_left_empty_is_scored_as_none_and_says_so(tmp_path: Path) -> None:
    # an empty list sheet may be a report with no records or a sheet nobody filled: it scores as
    # no record, as `surveys: []` does in YAML, with a warning at the sheet's first record row
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    document = load_document(HUIZHOU).data
    assert isinstance(document, dict)
    emptied = {**document, "facts": {**document["facts"], "surveys": [], "honours": []}}
    facts = load_facts(_write(tmp_path, "f.xlsx", fill(facts_workbook(rubric), emptied, rubric)))
    assert [(w.code, w.severity, str(w.location)) for w in facts.warnings] == [
        ("empty-list", "warning", f"{tmp_path / 'f.xlsx'}:满意度调查!A5 (满意度调查)"),
        (
            "empty-list",
            "warning",
            f"{tmp_path / 'f.xlsx'}:'获得的表彰、奖项和荣誉'!A5 (获得的表彰、奖项和荣誉)",
        ),
    ]
    assert facts.warnings[1].render("zh").split(": ", 1)[1] == (
        "工作表“获得的表彰、奖项和荣誉”没有填写任何记录：获得的表彰、奖项和荣誉 按没有记录评分 "
        "[empty-list]\n    提示：原表有记录时，请从 '获得的表彰、奖项和荣誉'!A5 起每行填写一条；"
        "原表确实没有记录时，保持空白即可（本警告会保留，供复核）"
    )
    assert facts.facts["surveys"] == facts.facts["honours"] == ()
    card = rubric.evaluate(facts)
    assert card.indicator("satisfaction").score == 0  # what `surveys: []` scores
    assert card.total == rubric.evaluate(emptied["facts"]).total
    # penalties (an optional list, empty in the example too) is left out: no warning for it
    assert document["facts"]["penalties"] == []


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
    assert isinstance(surveys, tuple)  # a document's lists are tuples of read-only records
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
        cli.main(
            [
                "--lang",
                "en",
                "template",
                "dept-overall-huizhou@2022.1",
                "--format",
                "xlsx",
                "-o",
                str(target),
            ]
        )
        == 0
    )
    assert "wrote" in capsys.readouterr().out
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    document = load_document(HUIZHOU).data
    assert isinstance(document, dict)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(fill(target.read_bytes(), document, rubric))
    assert cli.main(["--lang", "en", "score", str(filled), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out == rubric.evaluate(load_facts(HUIZHOU)).to_json() + "\n"
    # an existing file is never overwritten, and a workbook is not written to stdout
    assert (
        cli.main(
            [
                "--lang",
                "en",
                "template",
                "dept-overall-huizhou@2022.1",
                "--format",
                "xlsx",
                "-o",
                str(target),
            ]
        )
        == 2
    )
    assert "exists already" in capsys.readouterr().err
    assert (
        cli.main(["--lang", "en", "template", "dept-overall-huizhou@2022.1", "--format", "xlsx"])
        == 2
    )
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


# --- values, formulas and where problems stand --------------------------------------------------

SMALL = """\
perfscore: 1
id: small
version: "1"
title: 小表
facts:
  budget: {type: number, label: 全年预算数, unit: 万元, min: 0}
  rate: {type: percent, label: 支出率, unit: "%"}
  cut: {type: boolean, label: 存在调减}
  done_on: {type: date, label: 完成日期, required: false}
  level: {type: enum, label: 达成程度, values: [达成, 未达成], default: 达成}
  note: {type: text, label: 说明, required: false}
  rows:
    type: list
    label: 调查
    max_items: 10
    fields:
      n: {type: integer, label: 份数, min: 1}
      r: {type: percent, label: 满意度}
groups:
  - id: g
    name: 组
    max: 10
    children:
      - {id: spend, name: 支出率, max: 6, formula: "6 * rate / 100 if not cut else 0"}
      - id: sat
        name: 满意度
        max: 4
        formula: "4 * weighted_mean(rows, r, n) / 100 if count(rows) > 0 else 0"
grades: [{grade: 优, min: 9}, {grade: 差}]
"""


@pytest.fixture
def small(tmp_path: Path) -> Any:
    from perfscore import parse_rubric

    rubric_path = tmp_path / "small.yaml"
    rubric_path.write_text(SMALL, encoding="utf-8")
    rubric = parse_rubric(SMALL, name=str(rubric_path))
    return rubric, rubric_path


def _book(rubric: Any) -> Any:
    return openpyxl.load_workbook(io.BytesIO(facts_workbook(rubric)))


def _save(book: Any, path: Path) -> Path:
    book.save(path)
    return path


def _typed(book: Any) -> Any:
    ws = book["事实"]
    ws["C3"], ws["C4"] = "某单位", 2022
    ws["C7"] = 100.5
    ws["C8"] = 95.87
    ws["C9"] = "否"
    rows = book["调查"]
    rows["A5"], rows["B5"] = 10, 90
    rows["A7"], rows["B7"] = 30, 100  # a blank row between records is not a record
    return book


def test_a_filled_small_template_scores_and_blank_rows_are_skipped(
    tmp_path: Path, small: Any
) -> None:
    rubric, _ = small
    facts = load_facts(_save(_typed(_book(rubric)), tmp_path / "f.xlsx"))
    assert facts.subject == "某单位"
    assert facts.period == "2022"  # a number typed where text belongs reads as its digits
    # a document's lists are tuples of read-only records (docs/api.md)
    assert facts.facts["rows"] == ({"n": 10, "r": 90}, {"n": 30, "r": 100})
    card = rubric.evaluate(facts)
    assert card.total == Decimal("9.6522")  # 6 x 95.87% + 4 x 97.5% = 5.7522 + 3.9


def test_every_problem_stands_at_its_cell_with_the_label(tmp_path: Path, small: Any) -> None:
    rubric, _ = small
    book = _typed(_book(rubric))
    book["事实"]["C7"] = "1,438.40"
    book["事实"]["C8"] = 195.87
    book["事实"]["C9"] = "也许"
    book["调查"]["A7"] = None  # a required field left blank in a row that has values
    book["自评得分"]["C4"] = "六"
    where = f"{tmp_path / 'x.xlsx'}:"
    with pytest.raises(FactsError) as caught:  # claims are checked as the document is read
        load_facts(_save(book, tmp_path / "x.xlsx"))
    assert [p.render().splitlines()[0] for p in caught.value.problems] == [
        f"{where}自评得分!C4 (支出率): claimed score of 'spend' must be a number, got text '六' "
        "[fact-type]"
    ]
    book["自评得分"]["C4"] = 5
    with pytest.raises(FactsError) as caught:
        rubric.evaluate(load_facts(_save(book, tmp_path / "x.xlsx")))
    lines = [p.render().splitlines()[0] for p in caught.value.problems]
    assert lines == [
        f"{where}事实!C7 (全年预算数): fact 'budget': expected a number, got text '1,438.40' "
        "[fact-type]",
        f"{where}事实!C8 (支出率): fact 'rate': 195.87 is greater than the maximum of 100 "
        "[out-of-bounds]",
        f"{where}事实!C9 (存在调减): fact 'cut': expected true or false, got text '也许' "
        "[fact-type]",
        f"{where}调查!A7 (份数): fact 'rows[1].n': expected an integer, got nothing (null) "
        "[fact-type]",
    ]


def test_a_percent_typed_with_its_sign_reads_as_shown_and_zeros_a_format_shows_are_kept(
    tmp_path: Path, small: Any
) -> None:
    rubric, _ = small
    book = _typed(_book(rubric))
    book["事实"]["C8"] = 0.9587  # Excel stores 95.87% typed into a cell as 0.9587 ...
    book["事实"]["C8"].number_format = "0.00%"  # ... and shows it with this format
    book["事实"]["C7"] = 100.5
    book["事实"]["C7"].number_format = "#,##0.00"
    book["事实"]["C10"] = dt.datetime(2022, 1, 30)
    facts = load_facts(_save(book, tmp_path / "f.xlsx"))
    assert facts.facts["rate"] == Decimal("95.87")
    assert str(facts.facts["budget"]) == "100.50"
    assert facts.facts["done_on"] == dt.date(2022, 1, 30)


def _part(path: Path, part: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(path.read_bytes())).read(part)


def _patch(path: Path, part: str, old: bytes, new: bytes) -> None:
    """Rewrite one part of the archive, as another program would have written it."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                assert old in data, (old, data[-300:])
                data = data.replace(old, new, 1)
            target.writestr(info.filename, data)
    path.write_bytes(out.getvalue())


def test_a_formula_is_read_through_its_cached_value_with_a_warning(
    tmp_path: Path, small: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    rubric, rubric_path = small
    book = _typed(_book(rubric))
    book["事实"]["C7"] = "=100+0.5"
    path = _save(book, tmp_path / "f.xlsx")
    with pytest.raises(DocumentError) as caught:
        load_facts(path)
    problem = caught.value.problems[0]
    assert problem.code == "formula-no-value"
    assert str(problem.location).endswith("f.xlsx:事实!C7 (全年预算数)")
    assert "=100+0.5" in problem.message or "100+0.5" in problem.message
    # the same workbook as Excel saves it: the formula with its computed value
    # openpyxl writes the empty value as <v /> or, with lxml installed, as <v></v>
    empty = (
        b"<v></v>"
        if b"<f>100+0.5</f><v></v>" in _part(path, "xl/worksheets/sheet1.xml")
        else b"<v />"
    )
    _patch(
        path, "xl/worksheets/sheet1.xml", b"<f>100+0.5</f>" + empty, b"<f>100+0.5</f><v>100.5</v>"
    )
    facts = load_facts(path)
    assert facts.facts["budget"] == Decimal("100.5")
    (warning,) = facts.warnings
    assert warning.code == "formula-cached"
    assert warning.severity == "warning"
    assert str(warning.location).endswith("事实!C7 (全年预算数)")
    assert cli.main(["--lang", "en", "score", str(path), "--rubric", str(rubric_path)]) == 0
    assert "warning: " in capsys.readouterr().err
    # in a batch, each workbook's row counts the reader's warning among its 警告, and stderr
    # names the workbook it is about
    shutil.copy(path, tmp_path / "g.xlsx")
    from_card = len(rubric.evaluate(facts).warnings)
    summary = tmp_path / "s.json"
    argv = ["score", str(path), str(tmp_path / "g.xlsx"), "--rubric", str(rubric_path)]
    assert cli.main([*argv, "--summary", str(summary)]) == 0
    err = capsys.readouterr().err
    rows = json.loads(summary.read_text(encoding="utf-8"))
    assert [row["warnings"] for row in rows] == [from_card + 1, from_card + 1]
    lines = [line for line in err.splitlines() if line.startswith("警告：")]
    assert len(lines) == 2
    assert lines[0].startswith(f"警告：{path}：{path}:事实!C7 (全年预算数): ")
    assert lines[0].endswith("[formula-cached]")


def test_an_error_value_is_refused_at_its_cell(tmp_path: Path, small: Any) -> None:
    rubric, _ = small
    book = _typed(_book(rubric))
    book["事实"]["C7"] = "#DIV/0!"
    with pytest.raises(DocumentError) as caught:
        load_facts(_save(book, tmp_path / "f.xlsx"))
    assert caught.value.code == "formula-no-value"
    assert "#DIV/0!" in caught.value.problems[0].message


# --- hostile and careless workbooks ---------------------------------------------------------------


def _template_path(tmp_path: Path, small: Any, name: str = "f.xlsx") -> Path:
    rubric, _ = small
    return _save(_typed(_book(rubric)), tmp_path / name)


def _code(path: Path) -> str:
    with pytest.raises((DocumentError, UsageError)) as caught:
        load_facts(path)
    return caught.value.code


def test_files_that_are_not_workbooks_are_refused(tmp_path: Path) -> None:
    yaml_named = tmp_path / "a.xlsx"
    yaml_named.write_text("facts: {}\n", encoding="utf-8")
    assert _code(yaml_named) == "not-a-workbook"
    old_xls = tmp_path / "b.xlsx"
    old_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(DocumentError) as caught:
        load_facts(old_xls)
    assert ".xls" in (caught.value.hint or "")
    plain_zip = tmp_path / "c.xlsx"
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("readme.txt", "hello")
    assert _code(plain_zip) == "not-a-workbook"
    folder = tmp_path / "d.xlsx"
    folder.mkdir()
    assert _code(folder) == "not-a-file"
    assert _code(tmp_path / "missing.xlsx") == "file-not-found"


def test_a_workbook_without_the_map_is_not_taken_for_a_template(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "随便什么"
    assert _code(_save(book, tmp_path / "e.xlsx")) == "not-a-workbook"


def test_macros_and_links_to_other_workbooks_are_refused(tmp_path: Path, small: Any) -> None:
    path = _template_path(tmp_path, small)
    macro_named = tmp_path / "f.xlsm"
    macro_named.write_bytes(path.read_bytes())
    assert _code(macro_named) == "workbook-macros"
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\x00" * 64)
    assert _code(path) == "workbook-macros"
    linked = _template_path(tmp_path, small, "g.xlsx")
    with zipfile.ZipFile(linked, "a") as z:
        z.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    assert _code(linked) == "workbook-external-link"


def test_bombs_and_huge_sheets_are_refused_before_parsing(tmp_path: Path, small: Any) -> None:
    from perfscore._load import _xlsx

    bomb = _template_path(tmp_path, small)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/zeros.bin", bytes(_xlsx.MAX_UNPACKED_BYTES))
    assert bomb.stat().st_size < 1_000_000  # it unpacks fifty times larger and more
    assert _code(bomb) == "workbook-too-large"
    huge = _template_path(tmp_path, small, "h.xlsx")
    cells = b"".join(b'<c r="Z%d"><v>1</v></c>' % i for i in range(1, _xlsx.MAX_CELLS + 2))
    _patch(
        huge,
        "xl/worksheets/sheet1.xml",
        b"</sheetData>",
        b'<row r="99999">' + cells + b"</row></sheetData>",
    )
    assert _code(huge) == "workbook-too-large"
    entities = _template_path(tmp_path, small, "i.xlsx")
    _patch(
        entities,
        "xl/workbook.xml",
        b"<workbook",
        b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><workbook',
    )
    assert _code(entities) == "workbook-too-large"


def _rewrite(path: Path, change: Any) -> None:
    """Rewrite the archive part by part: `change(name, data)` gives (name, data) or None."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            changed = change(info.filename, source.read(info.filename))
            if changed is not None:
                target.writestr(*changed)
    path.write_bytes(out.getvalue())


def test_the_archive_checks_hold_wherever_a_part_is_stored_and_however_encoded(
    tmp_path: Path, small: Any
) -> None:
    # openpyxl finds parts through the relationships, so the cell limit, the macros and the
    # links are checked in every part, and a part the byte checks cannot read (UTF-16) is
    # refused: each of these was scored before (a 98 KB file took 7 GB and two minutes)
    from perfscore._load import _xlsx

    cells = b"".join(b'<c r="Z%d"><v>1</v></c>' % i for i in range(1, _xlsx.MAX_CELLS + 2))

    def moved(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            data = data.replace(b"</sheetData>", b'<row r="99999">' + cells + b"</row></sheetData>")
            return "xl/data/sheet1.xml", data
        if name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
            data = data.replace(b"worksheets/sheet1.xml", b"data/sheet1.xml")
        return name, data

    bomb = _template_path(tmp_path, small, "moved.xlsx")
    _rewrite(bomb, moved)
    assert _code(bomb) == "workbook-too-large"

    def wide(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            return name, data.decode("utf-8").replace(
                'encoding="UTF-8"', 'encoding="UTF-16"'
            ).encode("utf-16")
        return name, data

    utf16 = _template_path(tmp_path, small, "utf16.xlsx")
    _rewrite(utf16, wide)
    with pytest.raises(DocumentError) as caught:
        load_facts(utf16)
    (problem,) = caught.value.problems
    assert (problem.code, problem.message) == (
        "not-a-workbook",
        "part xl/worksheets/sheet1.xml is not written in UTF-8, as every Office program writes "
        "workbooks",
    )

    def macros(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/xl/macros.bin" '
                b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        return name, data

    vba = _template_path(tmp_path, small, "vba.xlsx")
    _rewrite(vba, macros)
    assert _code(vba) == "workbook-macros"

    def default_only(name: str, data: bytes) -> tuple[str, bytes]:
        # a <Default> for an extension declares no part: a workbook some program wrote so is
        # not refused for it
        if name == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                b"</Types>",
            )
        return name, data

    plain = _template_path(tmp_path, small, "default.xlsx")
    _rewrite(plain, default_only)
    assert load_facts(plain).facts

    def linked(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
                b'2006/relationships/externalLink" Target="links/l1.xml"/></Relationships>',
            )
        return name, data

    link = _template_path(tmp_path, small, "link.xlsx")
    _rewrite(link, linked)
    assert _code(link) == "workbook-external-link"


def _map(book: Any) -> Any:
    return book["_perfscore"]


def test_an_edited_hidden_map_is_refused(tmp_path: Path, small: Any) -> None:
    from perfscore._load._xlsx import map_digest

    rubric, _ = small
    book = _typed(_book(rubric))
    ws = _map(book)
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "budget")
    ws.cell(row=row, column=4, value="C8")  # point 全年预算数 at the 支出率 cell
    assert _code(_save(book, tmp_path / "a.xlsx")) == "workbook-map"
    # the same edit with the digest recomputed: the label beside C8 is not 全年预算数
    rows = [
        [c.value for c in ws[r]][:7]
        for r in range(1, ws.max_row + 1)
        if ws.cell(row=r, column=1).value != "digest"
    ]
    digest_row = next(
        r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "digest"
    )
    ws.cell(row=digest_row, column=2, value=map_digest(rows))
    with pytest.raises(DocumentError) as caught:
        load_facts(_save(book, tmp_path / "b.xlsx"))
    assert caught.value.code == "workbook-map"
    assert "全年预算数" in caught.value.problems[0].message
    # a map that is gone: not a template any more
    book = _typed(_book(rubric))
    del book["_perfscore"]
    assert _code(_save(book, tmp_path / "c.xlsx")) == "not-a-workbook"


def test_damaged_workbooks_raise_only_perfscore_errors(tmp_path: Path, small: Any) -> None:
    import random

    from perfscore import PerfscoreError

    data = _template_path(tmp_path, small).read_bytes()
    rng = random.Random(16)  # noqa: S311 - reproducible damage, not a secret
    for i in range(30):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if i % 3 == 0:
            damaged = damaged[: rng.randrange(len(damaged))]
        path = tmp_path / f"d{i}.xlsx"
        path.write_bytes(bytes(damaged))
        with contextlib.suppress(PerfscoreError):  # anything else fails the test
            load_facts(path)


def test_the_template_validates_every_value_cell_and_locks_the_rest(small: Any) -> None:
    rubric, _ = small
    book = _book(rubric)
    ws = book["事实"]
    assert [ws.cell(row=6, column=c).value for c in range(1, 7)] == [
        "事实", "单位", "填写值", "类型与范围", "是否必填", "说明"
    ]  # fmt: skip
    rows = {ws.cell(row=r, column=1).value: r for r in range(7, ws.max_row + 1)}
    assert list(rows) == [
        "全年预算数",
        "支出率",
        "存在调减",
        "完成日期",
        "达成程度",
        "说明",
        "调查",
    ]
    assert ws.cell(row=rows["支出率"], column=4).value == "百分数：95.87 表示 95.87%，0 至 100"
    assert ws.cell(row=rows["全年预算数"], column=5).value == "必填"
    assert ws.cell(row=rows["达成程度"], column=5).value == "可不填，默认 达成"
    assert ws.cell(row=rows["调查"], column=3).value == "见工作表“调查”"
    validations = {
        str(dv.sqref): (dv.type, dv.operator, dv.formula1, dv.formula2)
        for dv in ws.data_validations.dataValidation
    }
    assert validations[f"C{rows['全年预算数']}"] == ("decimal", "between", "0", "1000000000000000")
    assert validations[f"C{rows['支出率']}"] == ("decimal", "between", "0", "100")
    assert validations[f"C{rows['存在调减']}"][:1] == ("list",)
    assert validations[f"C{rows['存在调减']}"][2] == '"是,否"'
    assert validations[f"C{rows['完成日期']}"][0] == "date"
    assert validations[f"C{rows['达成程度']}"][2] == '"达成,未达成"'
    assert validations[f"C{rows['说明']}"][0] == "textLength"
    assert ws.protection.sheet
    assert ws.cell(row=rows["全年预算数"], column=3).protection.locked is False
    assert ws.cell(row=rows["全年预算数"], column=1).protection.locked is True
    assert ws.page_setup.orientation == "landscape"
    records = book["调查"]
    assert [records.cell(row=3, column=c).value for c in (1, 2)] == ["份数", "满意度"]
    record_validations = {str(dv.sqref): dv.type for dv in records.data_validations.dataValidation}
    # max_items: 10; then the mark columns: the field, its 状态 and why
    assert record_validations == {
        "A5:A14": "whole", "B5:B14": "decimal", "C5:C14": "list", "D5:D14": "list",
        "E5:E14": "textLength",
    }  # fmt: skip
    assert [records.cell(row=3, column=c).value for c in (3, 4, 5)] == [
        "不详/存疑的字段", "状态", "不详/存疑说明"
    ]  # fmt: skip
    claims = book["自评得分"]
    assert [claims.cell(row=r, column=1).value for r in range(3, 8)] == [
        "指标", "支出率", "满意度", "总分", "等级"
    ]  # fmt: skip
    assert claims.cell(row=4, column=2).value == "6"
    assert book["_perfscore"].sheet_state == "hidden"


@pytest.mark.parametrize(("cells", "code"), [(10, "not-a-workbook"), (11, "workbook-too-large")])
def test_the_cell_limit_holds_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cells: int, code: str
) -> None:
    from perfscore._load import _xlsx

    monkeypatch.setattr(_xlsx, "MAX_CELLS", 10)
    book = openpyxl.Workbook()
    for row in range(1, cells + 1):
        book.active.cell(row=row, column=1, value=row)
    # 10 cells pass the limit (and the workbook is then no template); 11 do not
    assert _code(_save(book, tmp_path / "n.xlsx")) == code


def test_the_unpacked_size_limit_holds_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfscore._load import _xlsx

    book = openpyxl.Workbook()
    path = _save(book, tmp_path / "s.xlsx")
    size = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(_xlsx, "MAX_UNPACKED_BYTES", size)
    assert _code(path) == "not-a-workbook"  # at the limit: read (and found to be no template)
    monkeypatch.setattr(_xlsx, "MAX_UNPACKED_BYTES", size - 1)
    assert _code(path) == "workbook-too-large"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_template_saved_again_by_libreoffice_scores_the_same(tmp_path: Path) -> None:
    """Optional: runs only where LibreOffice is installed (CI does not need it)."""
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    document = load_document(HUIZHOU).data
    assert isinstance(document, dict)
    filled = _write(tmp_path, "filled.xlsx", fill(facts_workbook(rubric), document, rubric))
    out = tmp_path / "saved"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(filled),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    saved = load_facts(out / "filled.xlsx")
    assert saved.warnings == ()
    assert rubric.evaluate(saved).to_json() == rubric.evaluate(load_facts(HUIZHOU)).to_json()


def test_a_value_far_away_is_reported_at_its_cell_without_making_the_grid(
    tmp_path: Path, small: Any
) -> None:
    # one value at the list sheet's last row and column: reading the used range cell by cell
    # would make 17 billion cells; the reader looks only at the cells the sheet holds
    far = _template_path(tmp_path, small)
    _patch(
        far,
        "xl/worksheets/sheet2.xml",
        b"</sheetData>",
        b'<row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData>',
    )
    with pytest.raises(DocumentError) as caught:
        load_facts(far)
    (problem,) = [p for p in caught.value.problems if p.code == "unread-cell"]
    assert str(problem.location).endswith("f.xlsx:调查!XFD1048576")
    assert problem.severity == "error"  # past the list's rows: a record it would not read


def test_a_formula_computed_to_empty_text_is_a_blank_cell(tmp_path: Path, small: Any) -> None:
    # rows made ready for data with =IF(…,"",…): Excel saves the empty text it computed
    rubric, _ = small
    book = _typed(_book(rubric))
    book["调查"]["A9"] = '=IF(Z1="","",Z1)'
    path = _save(book, tmp_path / "f.xlsx")
    with pytest.raises(DocumentError):  # as openpyxl saves it: never computed
        load_facts(path)

    def as_excel_saves_it(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet2.xml":
            cell = rb'<c r="A9"([^>]*)><f>IF\(Z1="","",Z1\)</f><v\s*/?>(?:</v>)?</c>'
            data, count = re.subn(
                cell, rb'<c r="A9"\1 t="str"><f>IF(Z1="","",Z1)</f><v></v></c>', data
            )
            assert count == 1
        return name, data

    _rewrite(path, as_excel_saves_it)
    facts = load_facts(path)
    assert len(facts.facts["rows"]) == 2  # the blank row is no record
    assert facts.warnings == ()


def test_a_cell_written_as_a_number_that_is_none_is_said_at_its_cell(
    tmp_path: Path, small: Any
) -> None:
    path = _template_path(tmp_path, small)
    sheet = _part(path, "xl/worksheets/sheet1.xml")
    number = re.search(rb'<c r="C7"([^>]*)><v>[^<]*</v></c>', sheet)
    assert number is not None  # C7 holds the typed budget, 100.5
    _patch(path, "xl/worksheets/sheet1.xml", number.group(0), b'<c r="C7" t="n"><v>NaN</v></c>')
    with pytest.raises(DocumentError) as caught:
        load_facts(path)
    (problem,) = caught.value.problems
    assert problem.code == "not-a-workbook"
    assert (
        problem.message
        == "cell C7 of sheet1.xml is written as the number 'NaN', which is no number"
    )
    assert "openpyxl" not in problem.message
    assert "Unable" not in problem.message


def test_a_claimed_score_kept_as_text_gets_a_hint_for_its_cell(tmp_path: Path, small: Any) -> None:
    rubric, _ = small
    book = _typed(_book(rubric))
    ws = book["自评得分"]
    (total,) = [c for row in ws.iter_rows() for c in row if c.value == "总分"]
    ws.cell(row=total.row, column=3).value = "10"  # typed into a cell formatted as text
    with pytest.raises(FactsError) as caught:
        load_facts(_save(book, tmp_path / "f.xlsx"))
    (problem,) = caught.value.problems
    assert problem.location is not None
    assert problem.location.cell() == f"自评得分!C{total.row}"
    # a cell has no quotes to remove
    assert problem.hint == (
        "the cell holds the number as text: format it as a number (or General) and type it again"
    )


def test_a_cell_of_spaces_is_blank_and_the_subject_has_no_spaces_around_it(
    tmp_path: Path, small: Any
) -> None:
    rubric, _ = small
    book = _typed(_book(rubric))
    book["事实"]["C3"] = "  某单位　 "
    book["调查"]["A9"] = "   "  # a row of spaces only: no record
    facts = load_facts(_save(book, tmp_path / "f.xlsx"))
    assert facts.subject == "某单位"
    assert len(facts.facts["rows"]) == 2
