"""Reading a workbook as a facts document: which reader a workbook needs.

The template written by ``perfscore template --format xlsx`` is recognised by its hidden cell
map (`perfscore._load._template_map`); a workbook without one is read as the official
项目支出绩效自评表 when a sheet has its indicator header (`perfscore._load._project_sheet`),
with the facts written for the rubric the caller targets. The checks that come before any
parsing, and the cells read as plain data, are in `perfscore._load._xlsx`.
"""

from __future__ import annotations

import os

from perfscore._load._project_sheet import RUBRIC, find_project_sheet, read_project_sheet
from perfscore._load._template_map import read_template
from perfscore._load._xlsx import (
    MAP_SHEET,
    SheetReader,
    WorkbookDocument,
    check_archive,
    fail,
    open_workbook,
    openpyxl,
    read_bytes,
)

__all__ = ["load_workbook_document"]


def load_workbook_document(
    path: str | os.PathLike[str], *, target: str = RUBRIC, goals: bool = False
) -> WorkbookDocument:
    """Read a workbook into a facts document with the cell of every value.

    The template written by ``perfscore template --format xlsx`` is recognised by its hidden
    sheet; a workbook without it is read as the official 项目支出绩效自评表 when its layout is
    found (`perfscore._load._project_sheet`), with facts for the rubric `target` (the
    年度总体目标 text too with `goals`).

    Raises:
        UsageError: openpyxl is not installed (the ``xlsx`` extra).
        DocumentError: the file is not a workbook perfscore reads, or is unsafe or too large.
    """
    name = os.fspath(path)
    openpyxl()  # the missing extra is reported before anything else
    if name.lower().endswith(".xlsm"):
        raise fail(
            "workbook-macros",
            "a macro-enabled workbook (.xlsm) is not read",
            name,
            hint="save it as a plain Excel workbook (*.xlsx), without macros",
        )
    data = read_bytes(name)
    check_archive(data, name)
    formulas = open_workbook(data, name, values=False)
    values = open_workbook(data, name, values=True)
    reader = SheetReader(name, formulas, values)
    if MAP_SHEET in formulas.sheetnames:
        return read_template(reader)
    sheet = find_project_sheet(reader)
    if sheet is None:
        raise fail(
            "not-a-workbook",
            "the workbook is neither a perfscore fact-entry template (no hidden sheet "
            f"{MAP_SHEET!r}) nor a 项目支出绩效自评表 in the official layout (no sheet with a "
            "一级指标 … 三级指标 header row)",
            name,
            hint="write a template with 'perfscore template RUBRIC --format xlsx -o FILE' and "
            "fill it in, or give the department's 项目支出绩效自评表 as it was filled",
        )
    return read_project_sheet(reader, sheet, target, goals)
