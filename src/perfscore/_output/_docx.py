"""A scorecard as a Word document for the review file (`docx` extra, python-docx).

The same content as the workbook, in the same official column order (`_sheets.table_of`):
the title (once) and identity lines, the totals and grade, the findings, then under 得分明细
the official table with its merged header and 一级 cells; A4 landscape pages, header rows
repeated on every page.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from perfscore._errors import Problem, UsageError
from perfscore._numbers import shown_decimal
from perfscore._output._scorecard import Scorecard
from perfscore._output._sheets import (
    Cell,
    claimed_total_of,
    findings_of,
    headline_parts,
    shown_grade,
    shown_score,
    table_of,
)
from perfscore._output._words import LABELS, MARKS, REPORT, in_language

__all__ = ["render_docx"]

_FONT = "宋体"


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return shown_decimal(cell)
    return cell


def _docx() -> Any:
    try:
        import docx
    except ImportError:  # pragma: no cover - depends on the environment
        raise UsageError(
            Problem(
                "bad-argument",
                "writing a Word document needs python-docx",
                hint="pip install 'perfscore[docx]'",
            )
        ) from None
    return docx


def _east_asian(run: Any, qn: Any) -> None:
    # Word picks the font of CJK text from the eastAsia attribute, not from the run's name
    run.font.name = _FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), _FONT)


def render_docx(card: Scorecard, layout: str | None = None) -> bytes:
    """The document's bytes."""
    docx = _docx()
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    table = table_of(card, layout)
    language = card.rubric.language
    w = in_language(REPORT, language)
    t = in_language(LABELS, language)
    marks = in_language(MARKS, language)
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    for side in ("top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    normal = document.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _FONT)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(table.title)
    run.bold = True
    run.font.size = Pt(16)
    _east_asian(run, qn)
    for label, text in table.meta:
        document.add_paragraph(f"{label}{'：' if language == 'zh' else ': '}{text}")
    claimed = claimed_total_of(card)
    summary = (
        f"{t['total']} {_summary_text(shown_score(card.total, card.total_range))}{marks['open']}"
        f"{t['base']} {headline_parts(card)[1]} / {shown_decimal(card.max_total)}"
        f"{marks['close']}"
        f"{marks['comma']}{t['grade']} {shown_grade(card)}"
    )
    if claimed is not None:
        summary += f"{marks['comma']}{w['claimed']} {shown_decimal(claimed)}"
    para = document.add_paragraph()
    _east_asian(para.add_run(summary), qn)
    para.runs[0].bold = True

    found = findings_of(card)
    document.add_paragraph(
        f"{w['findings']}{marks['open']}{len(found)}{marks['close']}", style="Heading 2"
    )
    if not found:
        document.add_paragraph(w["no_findings"])
    for finding in found:
        item = document.add_paragraph(style="List Bullet")
        head = item.add_run(f"{finding.kind} ")
        head.bold = True
        if finding.about:
            item.add_run(f"{finding.about}{'：' if language == 'zh' else ': '}").bold = True
        item.add_run(finding.message)

    # the title opens the document once; the official table's section is the 得分明细
    document.add_paragraph(t["breakdown"], style="Heading 2")
    if table.preamble:
        _bands(document, table, WD_TABLE_ALIGNMENT, WD_ALIGN_PARAGRAPH, Mm)
    grid = document.add_table(rows=len(table.header) + len(table.rows), cols=len(table.widths))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    total_width = sum(table.widths)
    usable = 297 - 30
    grid.autofit = False
    for c, width in enumerate(table.widths):
        size = Mm(usable * width / total_width)
        grid.columns[c].width = size  # the grid LibreOffice reads
        for cell in grid.columns[c].cells:
            cell.width = size  # the cell widths Word reads
    for r, labels in enumerate(table.header):
        row = grid.rows[r]
        _repeat_header(row, OxmlElement, qn)
        for c, label in enumerate(labels):
            _fill(row.cells[c], label, bold=True, centre=True, align=WD_ALIGN_PARAGRAPH)
    for m in table.header_merges:
        _merge(grid, m.first_row, m.first_col, m.last_row, m.last_col, table.header[m.first_row])
    top = len(table.header)
    for r, body in enumerate(table.rows):
        strong = body.kind in ("subtotal", "total", "grade")
        for c, value in enumerate(body.cells):
            _fill(
                grid.rows[top + r].cells[c],
                _text(value),
                bold=strong,
                centre=False,
                right=c in table.numeric,
                align=WD_ALIGN_PARAGRAPH,
            )
    for m in table.body_merges:
        first = table.rows[m.first_row].cells
        _merge(grid, top + m.first_row, m.first_col, top + m.last_row, m.last_col, first)
    document.core_properties.title = table.title
    document.core_properties.subject = card.subject or ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _bands(document: Any, table: Any, table_align: Any, align: Any, mm: Any) -> None:
    """The funds and 年度总体目标 bands as a table of their own in the same columns (the
    indicator table's header must open its table for Word to repeat it on every page)."""
    bands = document.add_table(rows=len(table.preamble), cols=len(table.widths))
    bands.style = "Table Grid"
    bands.alignment = table_align.CENTER
    bands.autofit = False
    total_width = sum(table.widths)
    for c, width in enumerate(table.widths):
        size = mm((297 - 30) * width / total_width)
        bands.columns[c].width = size
        for cell in bands.columns[c].cells:
            cell.width = size
    for r, body in enumerate(table.preamble):
        for c, value in enumerate(body.cells):
            _fill(
                bands.rows[r].cells[c],
                _text(value),
                bold=body.kind == "label" or c < 2,
                centre=body.kind == "label",
                right=isinstance(value, Decimal),
                align=align,
            )
    for m in table.preamble_merges:
        first = table.preamble[m.first_row].cells
        _merge(bands, m.first_row, m.first_col, m.last_row, m.last_col, first)
    document.add_paragraph()


def _repeat_header(row: Any, element: Any, qn: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    mark = element("w:tblHeader")
    mark.set(qn("w:val"), "true")
    properties.append(mark)


def _fill(
    cell: Any, text: str, *, bold: bool, centre: bool, align: Any, right: bool = False
) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if centre:
        paragraph.alignment = align.CENTER
    elif right:
        paragraph.alignment = align.RIGHT


def _merge(grid: Any, r0: int, c0: int, r1: int, c1: int, first: Any) -> None:
    # python-docx joins the merged cells' paragraphs; keep only the top-left cell's text
    anchor = grid.cell(r0, c0)
    merged = anchor.merge(grid.cell(r1, c1))
    text = _text(first[c0])
    for paragraph in merged.paragraphs[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    paragraph = merged.paragraphs[0]
    kept = [r._element for r in paragraph.runs if r.text == text][:1]
    for run in paragraph.runs:
        if run._element not in kept:
            run._element.getparent().remove(run._element)


def _summary_text(value: Cell) -> str:
    """A number or a range's text as the summary line shows it (``?`` for an unknown part)."""
    if value is None:
        return "?"
    return value if isinstance(value, str) else shown_decimal(value)
