"""Reading a workbook as a facts document: which reader a workbook needs.

The template written by ``perfscore template --format xlsx`` is recognised by its hidden cell
map (`perfscore._load._template_map`); a workbook without one is read as the official
项目支出绩效自评表 when a sheet has its indicator header (`perfscore._load._project_sheet`),
with the facts written for the rubric the caller targets. The checks that come before any
parsing, and the cells read as plain data, are in `perfscore._load._xlsx`.
"""

from __future__ import annotations

import os

from perfscore._load._project_sheet import RUBRIC, project_sheets, read_project_sheet
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
from perfscore._messages import Message

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
            Message("workbook-xlsm"),
            name,
            hint=Message("workbook-hint-no-macros"),
        )
    data = read_bytes(name)
    check_archive(data, name)
    formulas = open_workbook(data, name, values=False)
    values = open_workbook(data, name, values=True)
    reader = SheetReader(name, formulas, values)
    if MAP_SHEET in formulas.sheetnames:
        return read_template(reader)
    sheets = project_sheets(reader)
    if not sheets:
        raise fail(
            "not-a-workbook",
            Message("workbook-unknown-layout", sheet=MAP_SHEET),
            name,
            hint=Message("workbook-unknown-layout-hint"),
        )
    return read_project_sheet(reader, sheets[0], target, goals, others=sheets[1:])
