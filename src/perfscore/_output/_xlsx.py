"""A scorecard as an Excel workbook in the official layout its rubric names (`xlsx` extra).

The first sheet is the official table (`_sheets.table_of`), the second lists the findings.
Every cell holds a value, never a formula: a reader that does not recalculate (openpyxl,
pandas, a previewer) sees what Excel shows, and text is stored as text even when it begins
with ``=`` (a 年度指标值 ``=100%``), so nothing from the facts or the rubric becomes a formula.
Headers are merged as on the paper form, the 一级/二级 labels merged down their rows, and the
page set up for A4 landscape, one page wide, with the header rows repeated on every page.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from perfscore._errors import UsageError
from perfscore._output._scorecard import Scorecard
from perfscore._output._sheets import Cell, findings_of, table_of
from perfscore._output._text import width as display_width
from perfscore._output._words import REPORT, in_language

__all__ = ["render_xlsx"]

_FONT = "宋体"


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - depends on the environment
        from perfscore._errors import Problem

        raise UsageError(
            Problem(
                "bad-argument",
                "writing a spreadsheet needs openpyxl",
                hint="pip install 'perfscore[xlsx]'",
            )
        ) from None
    return openpyxl


#: text that a spreadsheet would take for a formula (or, typed again, turn into one)
_FORMULA_START = ("=", "+", "-", "@")


def _put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write `value` to a cell; text is stored as text, whatever it begins with.

    openpyxl stores a string beginning with ``=`` as a formula (and ``#N/A`` as an error), so
    a 年度指标值 ``=100%`` or a subject ``=HYPERLINK(...)`` would be live in Excel. Every string
    is written as an inline string, unchanged, and one beginning with = + - @ is also given the
    quote prefix that Excel and LibreOffice keep on a cell typed as ``'=100%``, so editing it
    keeps it text."""
    cell = sheet.cell(row, column)
    cell.value = value
    as_text(cell)
    return cell


def as_text(cell: Any) -> None:
    """A cell holding a string stored as that text (`_put`); any other cell left alone."""
    value = cell.value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True


def _value(cell: Cell) -> object:
    # Excel stores doubles: a score's exact decimal is written as the nearest one, an integral
    # score as an integer, so 4.5 reads back as 4.5 and 10 as 10
    if isinstance(cell, Decimal):
        if cell == cell.to_integral_value():
            return int(cell)
        return float(cell)
    return cell


def render_xlsx(card: Scorecard, layout: str | None = None) -> bytes:
    """The workbook's bytes: the official table, then the findings."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    table = table_of(card, layout)
    w = in_language(REPORT, card.rubric.language)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = w["sheet_project"] if table.layout == "project" else w["sheet_department"]
    columns = len(table.widths)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    right = Alignment(vertical="center", horizontal="right")
    plain = Font(name=_FONT, size=10)
    bold = Font(name=_FONT, size=10, bold=True)
    shade = PatternFill("solid", fgColor="F2F2F2")

    row = 1
    _put(sheet, row, 1, table.title).font = Font(name=_FONT, size=16, bold=True)
    sheet.cell(row, 1).alignment = centre
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    sheet.row_dimensions[row].height = 28
    for label, text in table.meta:
        row += 1
        _put(sheet, row, 1, label).font = bold
        _put(sheet, row, 2, text).font = plain
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=columns)
    row += 1
    # the bands above the indicator table (the project sheet's funds and 年度总体目标 rows), in
    # its columns, so the whole form reads on as one table
    band_top = row + 1
    for r, body in enumerate(table.preamble):
        heading = body.kind == "label"
        for c, value in enumerate(body.cells):
            cell = _put(sheet, band_top + r, c + 1, _value(value) if value != "" else None)
            cell.font = bold if heading or c < 2 else plain
            cell.border = box
            if isinstance(value, Decimal):
                cell.alignment = right
            else:
                cell.alignment = centre if heading or c < 2 else wrap
            if heading:
                cell.fill = shade
            if isinstance(value, Decimal) and value != value.to_integral_value():
                cell.number_format = "0.0###"
        wide = {(m.first_row, m.first_col): sum(table.widths[m.first_col : m.last_col + 1])
                for m in table.preamble_merges if m.last_row == m.first_row}  # fmt: skip
        lines = max(
            (
                _lines(_display(v), wide.get((r, c), table.widths[c]))
                for c, v in enumerate(body.cells)
                if c > 0
            ),
            default=1,
        )
        sheet.row_dimensions[band_top + r].height = 14 * lines + 6
    for m in table.preamble_merges:
        sheet.merge_cells(
            start_row=band_top + m.first_row,
            start_column=m.first_col + 1,
            end_row=band_top + m.last_row,
            end_column=m.last_col + 1,
        )
    row += len(table.preamble)
    header_top = row + 1
    for r, labels in enumerate(table.header):
        for c, label in enumerate(labels):
            cell = _put(sheet, header_top + r, c + 1, label or None)
            cell.font = bold
            cell.alignment = centre
            cell.border = box
            cell.fill = shade
    for m in table.header_merges:
        sheet.merge_cells(
            start_row=header_top + m.first_row,
            start_column=m.first_col + 1,
            end_row=header_top + m.last_row,
            end_column=m.last_col + 1,
        )
    body_top = header_top + len(table.header)
    for r, body in enumerate(table.rows):
        strong = body.kind in ("subtotal", "total", "grade")
        for c, value in enumerate(body.cells):
            cell = _put(sheet, body_top + r, c + 1, _value(value) if value != "" else None)
            cell.font = bold if strong else plain
            cell.border = box
            cell.alignment = right if c in table.numeric and value is not None else wrap
            if isinstance(value, Decimal) and value != value.to_integral_value():
                cell.number_format = "0.0##"
            if strong:
                cell.fill = shade
    # a spreadsheet does not grow a row to fit wrapped text that it did not type itself: each
    # row is given the height its longest cell needs in its column
    tall = {(r, m.first_col) for m in table.body_merges if m.last_row > m.first_row for r in
            range(m.first_row, m.last_row + 1)}  # fmt: skip
    span = {(m.first_row, m.first_col): sum(table.widths[m.first_col : m.last_col + 1])
            for m in table.body_merges if m.last_row == m.first_row}  # fmt: skip
    for r, body in enumerate(table.rows):
        lines = max(
            (
                _lines(_display(value), span.get((r, c), table.widths[c]))
                for c, value in enumerate(body.cells)
                if (r, c) not in tall
            ),
            default=1,
        )
        sheet.row_dimensions[body_top + r].height = 14 * lines + 4
    for r in range(len(table.header)):
        sheet.row_dimensions[header_top + r].height = 20
    for m in table.body_merges:
        sheet.merge_cells(
            start_row=body_top + m.first_row,
            start_column=m.first_col + 1,
            end_row=body_top + m.last_row,
            end_column=m.last_col + 1,
        )
    for c, width in enumerate(table.widths):
        sheet.column_dimensions[get_column_letter(c + 1)].width = width
    _print_setup(sheet, header_top, body_top - 1)
    sheet.freeze_panes = sheet.cell(body_top, 1)

    _findings_sheet(book, card, w, bold, plain, box, wrap, shade)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _display(value: Cell) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _lines(text: str, columns: int) -> int:
    """Lines `text` takes wrapped in a column `columns` characters wide (汉字 count two)."""
    # a 10-point 汉字 is about 1.7 of the column unit (the width of a digit at 11 points)
    return max(1, -(-(display_width(text) * 17) // (max(columns - 1, 1) * 20)))


def _print_setup(sheet: Any, first: int, last: int) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{first}:{last}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "&P / &N"


def _findings_sheet(
    book: Any,
    card: Scorecard,
    w: Any,
    bold: Any,
    plain: Any,
    box: Any,
    wrap: Any,
    shade: Any,
) -> None:
    sheet = book.create_sheet(w["sheet_findings"])
    for c, label in enumerate((w["kind"], w["subject_of"], w["message"])):
        cell = _put(sheet, 1, c + 1, label)
        cell.font, cell.border, cell.fill = bold, box, shade
    for r, finding in enumerate(findings_of(card), start=2):
        for c, text in enumerate((finding.kind, finding.about, finding.message)):
            cell = _put(sheet, r, c + 1, text or None)
            cell.font, cell.border, cell.alignment = plain, box, wrap
        sheet.row_dimensions[r].height = 14 * _lines(finding.message, 90) + 4
    for letter, width in zip("ABC", (14, 24, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
