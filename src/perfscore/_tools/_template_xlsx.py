"""The fact-entry workbook for a rubric (``perfscore template RUBRIC --format xlsx``).

Sheets, in the rubric's language:

* the facts sheet (事实): the rubric reference, subject and period, then one row per fact:
  label, unit, the value cell (column C), type and range, required or default, description,
  and the value's 状态 (column G: 已知 / 不详 / 存疑) with its reason (column H), read back as
  the facts syntax's ``{unknown: reason}`` and ``{value: x, doubtful: reason}``; a list fact's
  row points to its own sheet;
* one sheet per list fact: one record a row, one field a column (label, then type and range),
  then three mark columns: a field of the row that is unknown or doubtful, its 状态, why;
* the claimed-scores sheet (自评得分): indicator, 分值, 自评得分, 不涉及 where the rubric allows
  it, then 总分 and 等级;
* a hidden sheet (`MAP_SHEET`) mapping every value cell to its fact id, with a digest.

Every value cell is unlocked and validated (bounded decimals, whole numbers, dates, drop-downs
for enums and 是/否); every other cell is locked (the sheets are protected without a password:
the lock guards against slips, not people). Text cells are formatted as text, so a typed
``2022`` stays the text it shows.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from perfscore._load._facts import DEFAULT_MAX_ITEMS, MAX_MAGNITUDE, MAX_TEXT_LENGTH
from perfscore._load._model import NUMBER_TYPES, Bonus, FactSpec, FieldSpec, Indicator, iter_nodes
from perfscore._load._xlsx import (
    MAP_MAGIC,
    MAP_SHEET,
    MAP_VERSION,
    column_letter,
    map_digest,
    openpyxl,
)
from perfscore._numbers import format_decimal
from perfscore._output._words import MARKS, TEMPLATE, WORKBOOK, in_language
from perfscore._rubric import Rubric, as_rubric

__all__ = ["facts_workbook"]

#: The facts sheet: rows 1-5 hold the title, the rubric reference, subject, period and help,
#: row 6 the column headings; facts start on row 7, each with its value in column C.
FACTS_FIRST_ROW = 7
#: A list sheet: title, help, field labels (row 3), type and range (row 4); records from row 5.
LIST_FIRST_ROW = 5
_MAX_SHEET_NAME = 31
_FORBIDDEN_IN_SHEET_NAMES = "[]:*?/\\"

_INPUT_FILL = "FFF2CC"
_HEAD_FILL = "D9E1F2"
_NOTE_FILL = "F2F2F2"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Styles:
    """openpyxl styles, made once per workbook."""

    def __init__(self, xl: Any) -> None:
        styles = xl.styles
        thin = styles.Side(style="thin", color="A6A6A6")
        self.border = styles.Border(left=thin, right=thin, top=thin, bottom=thin)
        self.input = styles.PatternFill("solid", fgColor=_INPUT_FILL)
        self.head = styles.PatternFill("solid", fgColor=_HEAD_FILL)
        self.note = styles.PatternFill("solid", fgColor=_NOTE_FILL)
        self.bold = styles.Font(bold=True)
        self.title = styles.Font(bold=True, size=14)
        self.small = styles.Font(size=9, color="595959")
        self.wrap = styles.Alignment(wrap_text=True, vertical="top")
        self.center = styles.Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.unlocked = styles.Protection(locked=False)


class _Book:
    """The workbook being written, its styles, words and the cell map."""

    def __init__(self, rubric: Rubric) -> None:
        self.xl = openpyxl()
        self.rubric = rubric
        language = rubric.model.language
        self.w: dict[str, str] = {
            **in_language(TEMPLATE, language),
            **in_language(MARKS, language),
            **in_language(WORKBOOK, language),
        }
        self.book = self.xl.Workbook()
        self.s = _Styles(self.xl)
        self.rows: list[list[str]] = [
            [MAP_MAGIC, MAP_VERSION],
            ["rubric", rubric.ref],
            ["true", self.w["true"]],
            ["false", self.w["false"]],
            ["known", self.w["known"]],
            ["unknown", self.w["unknown"]],
            ["doubtful", self.w["doubtful"]],
        ]
        self.names: set[str] = set()
        self.lists: list[list[str]] = []
        self.sheet_name_of: dict[str, str] = {}
        self.field_labels: dict[tuple[str, str], str] = {}
        self.facts_name = self.sheet_name(self.w["facts_sheet"])
        for fact_id, spec in rubric.model.facts.items():
            if spec.type == "list":
                self.sheet_name_of[fact_id] = self.sheet_name(_one_line(spec.label))
                for field_id, field_spec in (spec.fields or {}).items():
                    self.field_labels[(fact_id, field_id)] = _one_line(field_spec.label)
        self.claims_name = self.sheet_name(self.w["claims_sheet"])

    def sheet_name(self, wanted: str) -> str:
        """A valid, unused sheet name close to `wanted`."""
        base = "".join("_" if ch in _FORBIDDEN_IN_SHEET_NAMES else ch for ch in _one_line(wanted))
        base = base.strip("'")[:_MAX_SHEET_NAME] or "Sheet"
        name, n = base, 2
        while name.lower() in self.names or name == MAP_SHEET:
            suffix = f"_{n}"
            name, n = base[: _MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
        self.names.add(name.lower())
        return name

    def record(self, *row: object) -> None:
        self.rows.append(["" if v is None else str(v) for v in row])

    def cell(self, ws: Any, row: int, column: int, value: object = None, **style: Any) -> Any:
        c = ws.cell(row=row, column=column)
        if value is not None:
            c.value = value
        c.border = self.s.border
        for key, item in style.items():
            setattr(c, key, item)
        return c

    def value_cell(self, ws: Any, row: int, column: int, spec: FactSpec | FieldSpec) -> None:
        """An unlocked, validated input cell for `spec` (one cell of a row or a column)."""
        c = self.cell(ws, row, column, fill=self.s.input, protection=self.s.unlocked)
        if spec.type in ("text", "enum"):
            c.number_format = "@"
        elif spec.type == "date":
            c.number_format = "yyyy-mm-dd"
        if spec.type == "text":
            c.alignment = self.s.wrap

    def validate(self, ws: Any, spec: FactSpec | FieldSpec, ref: str) -> None:
        """Data validation of the cells in `ref` (``C7`` or ``B5:B104``) for `spec`."""
        dv = self.validation(spec)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(ref)

    def validation(self, spec: FactSpec | FieldSpec) -> Any:
        w = self.w
        dv_class = self.xl.worksheet.datavalidation.DataValidation
        kind = spec.type
        common: dict[str, Any] = {
            "allow_blank": True,
            "showErrorMessage": True,
            "errorTitle": w["error_title"],
            "showInputMessage": True,
        }
        if kind in NUMBER_TYPES:
            low, high = spec.bounds
            low = -MAX_MAGNITUDE if low is None else low
            high = MAX_MAGNITUDE if high is None else high
            dv = dv_class(
                type="whole" if kind == "integer" else "decimal",
                operator="between",
                formula1=format_decimal(low),
                formula2=format_decimal(high),
                error=w["error_number"].format(self.kind_text(spec)),
                **common,
            )
        elif kind == "boolean":
            dv = dv_class(
                type="list",
                formula1=f'"{w["true"]},{w["false"]}"',
                error=w["error_list"],
                **common,
            )
        elif kind == "enum":
            dv = dv_class(
                type="list", formula1=self.list_source(spec), error=w["error_list"], **common
            )
        elif kind == "date":
            dv = dv_class(
                type="date",
                operator="between",
                formula1="1",  # 1900-01-01 .. 9999-12-31 as serial numbers
                formula2="2958465",
                error=w["error_date"],
                **common,
            )
        elif kind == "text":
            dv = dv_class(
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(MAX_TEXT_LENGTH),
                error=w["error_text"].format(MAX_TEXT_LENGTH),
                **common,
            )
        else:
            return None
        dv.promptTitle = _one_line(spec.label)[:32]
        dv.prompt = self.kind_text(spec)[:255]
        return dv

    def list_source(self, spec: FactSpec | FieldSpec) -> str:
        """A drop-down's source: inline when short and plain, else a range of the map sheet."""
        values = list(spec.values or ())
        inline = ",".join(values)
        if len(inline) <= 250 and not any(ch in v for v in values for ch in ',"'):
            return f'"{inline}"'
        column = len(self.lists) + 8  # beyond the map's own columns
        self.lists.append(values)
        letter = self.xl.utils.get_column_letter(column)
        return f"'{MAP_SHEET}'!${letter}$1:${letter}${len(values)}"

    def kind_text(self, spec: FactSpec | FieldSpec) -> str:
        """``数值，最小 0`` / ``百分数：95.87 表示 95.87%，0 至 100`` / ``是 或 否``."""
        w = self.w
        kind = spec.type
        if kind == "percent":
            what = w["percent"]
        elif kind == "boolean":
            what = w["boolean"]
        elif kind == "enum":
            what = w["enum"] + w["list"].join(spec.values or ())
        elif kind == "list":
            limit = getattr(spec, "max_items", None)
            what = w["records"].format(DEFAULT_MAX_ITEMS if limit is None else limit)
        else:
            what = w[kind]
        if kind in NUMBER_TYPES:
            low, high = spec.bounds
            if low is not None and high is not None:
                bounds = w["range"].format(format_decimal(low), format_decimal(high))
            elif low is not None:
                bounds = w["min"].format(format_decimal(low))
            elif high is not None:
                bounds = w["max"].format(format_decimal(high))
            else:
                bounds = ""
            if bounds:
                what += w["comma"] + bounds
        return what

    @property
    def state_spec(self) -> FieldSpec:
        """The 状态 drop-down: 已知, 不详, 存疑."""
        w = self.w
        values = (w["known"], w["unknown"], w["doubtful"])
        return FieldSpec(type="enum", label=w["state"], values=values)

    def state_validations(self, prompt: str) -> tuple[Any, Any]:
        """The validations of a sheet's 状态 cells and of their 说明 cells (cells added later)."""
        states = self.validation(self.state_spec)
        states.prompt = prompt[:255]
        return states, self.validation(_NOTE_SPEC)

    def add_validations(self, ws: Any, *validations: Any) -> None:
        for dv in validations:
            if dv.sqref:  # a validation without cells is dropped by openpyxl on save anyway
                ws.add_data_validation(dv)

    def required_text(self, spec: FactSpec | FieldSpec) -> str:
        w = self.w
        if spec.has_default:
            return w["default"].format(_shown(spec.default, w))
        return w["required"] if spec.required else w["optional"]


#: a 状态 说明 cell: text of a fact's own bounds
_NOTE_SPEC = FieldSpec(type="text", label="-")


def _shown(value: object, w: Mapping[str, str]) -> str:
    if isinstance(value, bool):
        return w["true"] if value else w["false"]
    if isinstance(value, (int, Decimal)):
        return format_decimal(Decimal(value))
    return str(value)


def _needed(spec: FactSpec | FieldSpec) -> str:
    """The map's mark of a value that must be given: a blank cell is then reported at the cell."""
    return "required" if spec.must_be_given else ""


def _indicators(rubric: Rubric) -> Iterator[Indicator | Bonus]:
    for item in iter_nodes(rubric.model):
        if isinstance(item.node, Indicator):
            yield item.node
    yield from rubric.model.bonus


def _widths(ws: Any, widths: Mapping[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def _protect(ws: Any) -> None:
    ws.protection.sheet = True  # no password: a guard against slips; docs say so
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    # printed on A4 landscape, one page wide, as finance staff file it
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _facts_sheet(b: _Book) -> Any:
    w, s, rubric = b.w, b.s, b.rubric
    ws = b.book.active
    ws.title = b.facts_name
    b.cell(ws, 1, 1, w["title"].format(_one_line(rubric.title), rubric.ref), font=s.title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws.row_dimensions[1].height = 24
    b.cell(ws, 2, 1, w["rubric"], font=s.bold, fill=s.head)
    b.cell(ws, 2, 3, rubric.ref, fill=s.note)
    b.record("rubric-cell", "", ws.title, "C2", "text", w["rubric"])
    text_spec = FieldSpec(type="text", label="-")
    for row, key in ((3, "subject"), (4, "period")):
        b.cell(ws, row, 1, w[key], font=s.bold, fill=s.head)
        b.value_cell(ws, row, 3, text_spec)
        b.validate(ws, text_spec, f"C{row}")
        b.record(key, "", ws.title, f"C{row}", "text", w[key])
    b.cell(ws, 5, 1, w["help"], alignment=s.wrap, fill=s.note)
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=6)
    ws.row_dimensions[5].height = 64
    columns = ("fact", "unit", "value", "kind", "required_column", "note", "state", "state_note")
    for column, key in enumerate(columns, start=1):
        b.cell(ws, 6, column, w[key], font=s.bold, fill=s.head, alignment=s.center)
        # the headings are labels too: a column inserted or deleted moves them
        b.record("heading", key, ws.title, f"{column_letter(column)}6", "text", w[key])
    states, notes = b.state_validations(w["state_prompt"])
    row = FACTS_FIRST_ROW
    for fact_id, spec in rubric.model.facts.items():
        label = _one_line(spec.label)
        b.cell(ws, row, 1, label, alignment=s.wrap)
        b.cell(ws, row, 2, spec.unit or "")
        if spec.type == "list":
            b.cell(ws, row, 3, w["see_sheet"].format(b.sheet_name_of[fact_id]), fill=s.note)
            b.cell(ws, row, 7, "", fill=s.note)
            b.cell(ws, row, 8, "", fill=s.note)
            # no value is read on this row, but its label is checked with the others, and the
            # sheet's rows end below it
            b.record("heading", fact_id, ws.title, f"A{row}", "text", label)
        else:
            b.value_cell(ws, row, 3, spec)
            b.validate(ws, spec, f"C{row}")
            b.record("fact", fact_id, ws.title, f"C{row}", spec.type, label, _needed(spec))
            # 状态 and its 说明: the value unknown (不详) or doubtful (存疑), and why
            b.value_cell(ws, row, 7, b.state_spec)
            states.add(f"G{row}")
            b.value_cell(ws, row, 8, _NOTE_SPEC)
            notes.add(f"H{row}")
            b.record("mark", fact_id, ws.title, f"G{row}", "text", label)
            b.record("mark-note", fact_id, ws.title, f"H{row}", "text", label)
        b.cell(ws, row, 4, b.kind_text(spec), alignment=s.wrap)
        b.cell(ws, row, 5, b.required_text(spec), alignment=s.wrap)
        b.cell(ws, row, 6, _one_line(spec.description or ""), alignment=s.wrap, font=s.small)
        row += 1
    b.add_validations(ws, states, notes)
    _widths(ws, {"A": 40, "B": 10, "C": 22, "D": 30, "E": 16, "F": 50, "G": 10, "H": 30})
    ws.freeze_panes = f"A{FACTS_FIRST_ROW}"
    _protect(ws)
    return ws


def _list_sheet(b: _Book, fact_id: str, spec: FactSpec) -> None:
    w, s = b.w, b.s
    ws = b.book.create_sheet(b.sheet_name_of[fact_id])
    fields = list((spec.fields or {}).items())
    limit = DEFAULT_MAX_ITEMS if spec.max_items is None else spec.max_items
    last = LIST_FIRST_ROW + max(limit, 1) - 1
    width = max(len(fields), 1)
    title = _one_line(spec.label) + (f"{w['open']}{fact_id}{w['close']}")
    b.cell(ws, 1, 1, title, font=s.title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 2))
    help_text = w["list_help"].format(limit)
    if spec.description:
        help_text = _one_line(spec.description) + " " + help_text
    b.cell(ws, 2, 1, help_text, alignment=s.wrap, fill=s.note)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 2))
    ws.row_dimensions[2].height = 60
    rows = f"{LIST_FIRST_ROW}:{last}"
    b.record("list", fact_id, ws.title, rows, "list", _one_line(spec.label), _needed(spec))
    for column, (field_id, field_spec) in enumerate(fields, start=1):
        letter = b.xl.utils.get_column_letter(column)
        label = _one_line(field_spec.label)
        b.cell(ws, 3, column, label, font=s.bold, fill=s.head, alignment=s.center)
        note = b.kind_text(field_spec) + w["part"] + b.required_text(field_spec)
        if field_spec.unit:
            note = f"[{_one_line(field_spec.unit)}] " + note
        b.cell(ws, 4, column, note, font=s.small, alignment=s.wrap, fill=s.note)
        for row in range(LIST_FIRST_ROW, last + 1):
            b.value_cell(ws, row, column, field_spec)
        b.validate(ws, field_spec, f"{letter}{LIST_FIRST_ROW}:{letter}{last}")
        needed = _needed(field_spec)
        b.record("field", f"{fact_id}.{field_id}", ws.title, letter, field_spec.type, label, needed)
        ws.column_dimensions[letter].width = 14 if field_spec.type != "text" else 28
    _list_marks(b, ws, fact_id, spec, len(fields) + 1, last)
    ws.row_dimensions[3].height = 32
    ws.row_dimensions[4].height = 48
    ws.freeze_panes = f"A{LIST_FIRST_ROW}"
    _protect(ws)


def _list_marks(b: _Book, ws: Any, fact_id: str, spec: FactSpec, first: int, last: int) -> None:
    """Three columns after a list's fields: one field of the row that is unknown (不详) or
    doubtful (存疑), its 状态 and why; the fields that make a row cannot be marked."""
    w, s = b.w, b.s
    fixed: set[str | None] = set()
    for group in _records_groups(b.rubric):
        if group.records.list == fact_id:
            r = group.records
            fixed |= {r.id, r.name, r.max, r.select}
    labels = tuple(
        _one_line(f.label) for field_id, f in (spec.fields or {}).items() if field_id not in fixed
    )
    if not labels:
        return
    letters = [b.xl.utils.get_column_letter(first + i) for i in range(3)]
    field_spec = FieldSpec(type="enum", label=w["state_field"], values=labels)
    heads = (w["state_field"], w["state"], w["state_note"])
    for column, (head, kind) in enumerate(
        zip(heads, (field_spec, b.state_spec, _NOTE_SPEC), strict=True), start=first
    ):
        b.cell(ws, 3, column, head, font=s.bold, fill=s.head, alignment=s.center)
        note = w["state_list_prompt"] if column == first else b.kind_text(kind)
        b.cell(ws, 4, column, note, font=s.small, alignment=s.wrap, fill=s.note)
        for row in range(LIST_FIRST_ROW, last + 1):
            b.value_cell(ws, row, column, kind)
    which = b.validation(field_spec)
    which.prompt = w["state_list_prompt"][:255]
    ws.add_data_validation(which)
    which.add(f"{letters[0]}{LIST_FIRST_ROW}:{letters[0]}{last}")
    states, notes = b.state_validations(w["state_list_prompt"])
    states.add(f"{letters[1]}{LIST_FIRST_ROW}:{letters[1]}{last}")
    notes.add(f"{letters[2]}{LIST_FIRST_ROW}:{letters[2]}{last}")
    b.add_validations(ws, states, notes)
    b.record("list-marks", fact_id, ws.title, ":".join(letters), "text", w["state_field"])
    for letter, width in zip(letters, (18, 10, 28), strict=True):
        ws.column_dimensions[letter].width = width


def _claims_sheet(b: _Book) -> None:
    w, s, rubric = b.w, b.s, b.rubric
    ws = b.book.create_sheet(b.claims_name)
    b.cell(ws, 1, 1, w["claims_sheet"], font=s.title)
    ws.merge_cells("A1:D1")
    help_text = w["claims_help"]
    claimed_fields = [
        b.field_labels.get((g.records.list, g.records.claimed))
        for g in _records_groups(rubric)
        if g.records is not None and g.records.claimed
    ]
    if any(claimed_fields):
        help_text += " " + w["records_claims"].format(next(f for f in claimed_fields if f))
    b.cell(ws, 2, 1, help_text, alignment=s.wrap, fill=s.note)
    ws.merge_cells("A2:D2")
    ws.row_dimensions[2].height = 48
    for column, key in enumerate(("indicator", "points", "claimed", "na"), start=1):
        b.cell(ws, 3, column, w[key], font=s.bold, fill=s.head, alignment=s.center)
    score_spec = FieldSpec(type="number", label="-")
    yes_no = FieldSpec(type="boolean", label="-")
    row = 4
    for item in _indicators(rubric):
        name = _one_line(item.name)
        b.cell(ws, row, 1, name, alignment=s.wrap)
        if isinstance(item, Bonus):
            points = w["range"].format(format_decimal(item.min), format_decimal(item.max))
            low, high = item.min, item.max
        else:
            points = format_decimal(item.max)
            low, high = Decimal(0), item.max
        b.cell(ws, row, 2, points)
        b.value_cell(ws, row, 3, score_spec)
        bounded = FieldSpec(type="number", label="-", min=low, max=high)
        b.validate(ws, bounded, f"C{row}")
        b.record("claim", item.id, ws.title, f"C{row}", "number", name)
        if isinstance(item, Indicator) and item.not_applicable != "forbidden":
            b.value_cell(ws, row, 4, yes_no)
            b.validate(ws, yes_no, f"D{row}")
            b.record("na", item.id, ws.title, f"D{row}", "boolean", name)
        else:
            b.cell(ws, row, 4, "", fill=s.note)
        row += 1
    grades = [g.grade for g in rubric.model.grades]
    b.cell(ws, row, 1, w["total"], font=s.bold)
    b.cell(ws, row, 2, "")
    b.value_cell(ws, row, 3, score_spec)
    b.validate(ws, score_spec, f"C{row}")
    b.record("total", "", ws.title, f"C{row}", "number", w["total"])
    row += 1
    b.cell(ws, row, 1, w["grade"], font=s.bold)
    b.cell(ws, row, 2, "")
    grade_spec = FieldSpec(type="enum", label=w["grade"], values=tuple(grades))
    b.value_cell(ws, row, 3, grade_spec)
    if grades:
        b.validate(ws, grade_spec, f"C{row}")
    b.record("grade", "", ws.title, f"C{row}", "text", w["grade"])
    _widths(ws, {"A": 44, "B": 12, "C": 14, "D": 12})
    ws.freeze_panes = "A4"
    _protect(ws)


def _records_groups(rubric: Rubric) -> Iterator[Any]:
    for item in iter_nodes(rubric.model):
        if getattr(item.node, "records", None) is not None:
            yield item.node


def _map_sheet(b: _Book) -> None:
    ws = b.book.create_sheet(MAP_SHEET)
    digest = map_digest(b.rows)
    for row, values in enumerate([*b.rows, ["digest", digest]], start=1):
        for column, value in enumerate(values, start=1):
            ws.cell(row=row, column=column, value=value)
    for offset, values in enumerate(b.lists):
        for row, value in enumerate(values, start=1):
            ws.cell(row=row, column=offset + 8, value=value)
    ws.sheet_state = "hidden"
    _protect(ws)


def facts_workbook(rubric: Rubric | str | os.PathLike[str]) -> bytes:
    """The fact-entry workbook for `rubric`, as the bytes of an xlsx file.

    Args:
        rubric: the rubric whose facts the workbook asks for; a rubric file's path or bundled
            ``id@version`` is loaded with `load_rubric` (anything else is a `UsageError`).

    Returns:
        The workbook; `load_facts` reads it back once filled.

    Raises:
        UsageError: openpyxl is not installed (the ``xlsx`` extra).
    """
    rubric = as_rubric("facts_workbook", "rubric", rubric)
    b = _Book(rubric)
    _facts_sheet(b)
    for fact_id, spec in rubric.model.facts.items():
        if spec.type == "list":
            _list_sheet(b, fact_id, spec)
    _claims_sheet(b)
    _map_sheet(b)
    b.book.active = 0
    out = io.BytesIO()
    b.book.save(out)
    return out.getvalue()
