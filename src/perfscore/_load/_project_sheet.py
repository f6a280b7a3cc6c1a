"""The filled national 项目支出绩效自评表 (财预〔2020〕10号 附件2 layout), read as facts.

A workbook without perfscore's hidden map is read as this sheet when one of its sheets has an
indicator header row (一级指标, 二级指标, 三级指标, ...). The facts are written for the rubric
`load_facts` targets: the one it is given, else the newest bundled ``project-sheet-national``.
Columns are found by their headings, not by
position, so the national columns (年度指标值 with its operator and unit in one cell) and the
provincial ones (指标性质, 指标值, 度量单位 in three) are both read; merged cells (一级 and 二级
over their 三级 rows, 项目资金 over the funds rows) are read through their top-left cell.

What is read:

* the title's year (``（2020年度）``) as the period, 项目名称, 主管部门, and 实施单位 as the
  subject;
* the funds rows (年度资金总额, 其中 财政拨款 / 上年结转 / 其他资金: 年初预算数, 全年预算数,
  全年执行数), the printed 执行率 and the total row's 得分 as the claimed score of exec_rate;
* each indicator row as a record of outputs, benefits or satisfactions by its 一级指标 (a
  heading's points, ``产出指标(50分)``, as *_heading_points): 二级指标, 三级指标, 指标性质 and
  年度指标值 (``≥50个`` is >=, 50, 个; a target without a number is qualitative), 实际完成值
  (a number, or its text), 分值, 得分 (claimed), 偏差原因分析; ids from the 二级指标
  (数量指标 -> quantity1, quantity2, ...);
* the 总分 row's 得分 as the claimed total, and a 自评等级 row (an extension) as the grade;
* when the target rubric has the facts goal_planned and goal_actual, the 年度总体目标 text
  under 预期目标 and 实际完成情况.

Every cell it could not read is reported as an `unread-cell` warning at the cell, and left out of
the facts: a value the rubric requires is then an error at its row. A sheet that ends before its
总分 row is cut off: ``sheet_truncated`` is set, with a note saying where it ends.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from perfscore._errors import DocumentError, Location, Problem
from perfscore._load._xlsx import (
    EMPTY,
    MAP_SHEET,
    SheetReader,
    WorkbookDocument,
    fail,
    plain,
)
from perfscore._messages import Message
from perfscore._numbers import format_decimal, is_number_text

__all__ = ["RUBRIC", "project_sheets", "read_project_sheet"]

#: The rubric the facts were written for before a target could be chosen (the reader's default
#: is now the newest bundled version, chosen by `load_facts`; see `read_project_sheet`).
RUBRIC = "project-sheet-national@2020.1"
_SCAN_ROWS = 60
_MAX_ROWS = 2_000
_MAX_COLUMNS = 40
_Path = tuple[str | int, ...]

_SPACE = re.compile(r"\s+")
#: the year of the title: ``（2022年度）``, or ``（2022年）`` in brackets
_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*(?:年度|年\s*[)）])")
_HEADING_POINTS = re.compile(r"[（(]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]")
_PLACEHOLDER = re.compile(r"(?:指标[0-9一二三四五六七八九十]+[:：]?|……|\.\.\.|…)\Z")
_OPERATORS: tuple[tuple[str, str, bool], ...] = (
    # (as printed, direction, exact): inexact readings are reported
    (">=", ">=", True),
    ("≥", ">=", True),
    ("≧", ">=", True),
    ("＞=", ">=", True),
    ("大于等于", ">=", True),
    ("不低于", ">=", True),
    ("不少于", ">=", True),
    ("<=", "<=", True),
    ("≤", "<=", True),
    ("≦", "<=", True),
    ("＜=", "<=", True),
    ("小于等于", "<=", True),
    ("不高于", "<=", True),
    ("不超过", "<=", True),
    ("不多于", "<=", True),
    ("＝", "=", True),
    ("﹦", "=", True),
    ("=", "=", True),
    ("等于", "=", True),
    (">", ">=", False),
    ("＞", ">=", False),
    ("大于", ">=", False),
    ("<", "<=", False),
    ("＜", "<=", False),
    ("小于", "<=", False),
)
#: a number at the start of 年度指标值 (after its operator), thousands grouped or not
#: (``1,000``, as Excel's number format ``#,##0`` shows it), and the unit after it
_UNIT_AFTER = re.compile(r"[（(](?:分|万元|元|%|％)[)）]\Z")
_TARGET = re.compile(
    r"(-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|-?[0-9]+(?:\.[0-9]+)?)\s*(.*)\Z", re.S
)
#: the same number alone (实际完成值 without its unit)
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?\Z")
#: 实际完成值 texts that state the target was met; a qualitative row reads them as 达成.
_MET = frozenset(
    {"达成预期指标", "达成预期目标", "达到预期指标", "达到预期目标", "达到预期", "达成", "已达成",
     "完成", "已完成", "全部完成", "达标", "已达标"}
)  # fmt: skip
_BLOCKS = (
    ("产出", "outputs", "output"),
    ("效益", "benefits", "benefit"),
    ("满意", "satisfactions", "satisfaction"),
)
_CODES = (
    ("可持续", "sustainable"),
    ("经济", "economic"),
    ("社会", "social"),
    ("生态", "ecological"),
    ("满意", "satisfaction"),
    ("数量", "quantity"),
    ("质量", "quality"),
    ("时效", "timeliness"),
    ("成本", "cost"),
)
_FUND_ROWS = (
    (("年度资金总额", "资金总额", "总额"), "total"),
    (("财政拨款", "财政资金"), "fiscal"),
    (("上年结转",), "carryover"),
    (("其他资金",), "other"),
)
_FUND_COLUMNS = (
    (("年初预算数", "年初预算"), "initial"),
    (("全年预算数", "调整后预算数", "全年(调整)预算数", "全年（调整）预算数"), "full"),
    (("全年执行数", "预算执行数", "执行数"), "spent"),
    (("分值", "权重"), "points"),
    (("执行率", "预算执行率"), "rate"),
    (("得分", "自评得分"), "score"),
)
_INDICATOR_COLUMNS = (
    (("一级指标",), "level1"),
    (("二级指标",), "level2"),
    (("三级指标",), "name"),
    (("指标性质",), "direction"),
    (("年度指标值", "指标值", "年度目标值", "目标值"), "target"),
    (("度量单位", "计量单位"), "unit"),
    (("实际完成值", "完成值", "全年实际值", "实际值"), "actual"),
    (("分值", "权重"), "points"),
    (("得分", "自评得分"), "score"),
    (("偏差原因分析及改进措施", "偏差原因", "未完成原因分析", "原因分析", "原因"), "reason"),
)


def _norm(value: object) -> str:
    return _SPACE.sub("", value) if isinstance(value, str) else ""


def project_sheets(reader: SheetReader) -> list[str]:
    """Every sheet with an indicator header row, visible ones first."""
    sheets = [s for s in reader.values.worksheets if s.title != MAP_SHEET]
    sheets.sort(key=lambda s: s.sheet_state != "visible")
    found = []
    for ws in sheets:
        for row in ws.iter_rows(
            min_row=1, max_row=_SCAN_ROWS, max_col=_MAX_COLUMNS, values_only=True
        ):
            texts = {_norm(v) for v in row}
            if {"一级指标", "三级指标"} <= texts:
                found.append(str(ws.title))
                break
    return found


class _Sheet:
    """The cells of one sheet, read once each, merged cells through their top-left cell."""

    def __init__(self, reader: SheetReader, sheet: str) -> None:
        self.reader = reader
        self.sheet = sheet
        ws = reader.values[sheet]
        self.rows = min(ws.max_row or 0, _MAX_ROWS)
        self.columns = min(ws.max_column or 0, _MAX_COLUMNS)
        self.merged = reader.merged_top_left(sheet)
        self._cache: dict[tuple[int, int], object] = {}
        self.warnings: list[Problem] = []

    def origin(self, row: int, column: int) -> tuple[int, int]:
        return self.merged.get((row, column), (row, column))

    def value(self, row: int, column: int) -> object:
        at = self.origin(row, column)
        if at not in self._cache:
            self._cache[at] = self.reader.raw(self.sheet, *at)
        return self._cache[at]

    def text(self, row: int, column: int) -> str:
        value = self.value(row, column)
        return _norm(value) if isinstance(value, str) else ""

    def where(self, row: int, column: int, label: str | None = None) -> Location:
        return self.reader.location(self.sheet, *self.origin(row, column), label)

    def unread(self, row: int, column: int, message: str, hint: str | None = None) -> None:
        self.warnings.append(
            Problem("unread-cell", message, self.where(row, column), hint=hint, severity="warning")
        )

    def number(
        self, row: int, column: int, what: str, percent: bool = False, unit: str = ""
    ) -> object:
        """A number in the cell (a number, or plain number text, after `unit` when given),
        EMPTY, or None if unreadable."""
        value = self.value(row, column)
        if value is EMPTY:
            return EMPTY
        if isinstance(value, str):
            text = value.strip().removesuffix("%").removesuffix("％").strip()
            text = text.removesuffix(unit).strip() if unit else text
            if text in ("", "-", "—", "——", "/", "无"):
                return EMPTY
            if is_number_text(text):
                return Decimal(text)
            self.unread(
                row, column, Message("workbook-sheet-not-a-number", what=what, value=value[:40])
            )
            return None
        fmt = self.reader.number_format(self.sheet, *self.origin(row, column))
        read = plain(value, "percent" if percent else "number", None, fmt)
        if isinstance(read, (int, Decimal)) and not isinstance(read, bool):
            return read
        self.unread(
            row, column, Message("workbook-sheet-not-a-number", what=what, value=str(value)[:40])
        )
        return None

    def find(self, labels: tuple[str, ...], rows: range) -> tuple[int, int] | None:
        for row in rows:
            for column in range(1, self.columns + 1):
                if self.text(row, column) in labels and self.origin(row, column) == (row, column):
                    return row, column
        return None

    def right_of(self, row: int, column: int) -> tuple[int, int] | None:
        """The next cell to the right that starts a new value (not the same merged range)."""
        here = self.origin(row, column)
        for c in range(column + 1, self.columns + 1):
            if self.origin(row, c) != here:
                return self.origin(row, c)
        return None

    def header(self, row: int, names: tuple[tuple[tuple[str, ...], str], ...]) -> dict[str, int]:
        """Column of each heading on `row` (first match, by the heading's exact text)."""
        found: dict[str, int] = {}
        for column in range(1, self.columns + 1):
            if self.origin(row, column)[1] != column:
                continue
            text = self.text(row, column)
            # a unit after the heading, as many sheets print it: 分值（分）, 得分(分)
            bare = _UNIT_AFTER.sub("", text)
            for labels, key in names:
                if key not in found and any(
                    label in (text, bare) or (key == "reason" and text.startswith(label))
                    for label in labels
                ):
                    found[key] = column
                    break
        return found


class _Facts:
    """The facts document being built, with the cell of every value."""

    def __init__(self, s: _Sheet, target: str) -> None:
        self.s = s
        self.data: dict[str, object] = {"rubric": target}
        self.facts: dict[str, object] = {}
        self.claims: dict[str, object] = {}
        self.indicators: dict[str, object] = {}
        self.cells: dict[_Path, Location] = {}

    def put(self, path: _Path, value: object, row: int, column: int, label: str) -> None:
        target: dict[str, object] = self.data
        if path[0] == "facts":
            target = self.facts
        elif path[:2] == ("claimed", "indicators"):
            target = self.indicators
        elif path[0] == "claimed":
            target = self.claims
        target[str(path[-1])] = value
        self.cells[path] = self.s.where(row, column, label)


def read_project_sheet(
    reader: SheetReader,
    sheet: str,
    target: str = RUBRIC,
    goals: bool = False,
    others: Sequence[str] = (),
) -> WorkbookDocument:
    """The facts document of a filled 项目支出绩效自评表 on `sheet`, for the rubric `target`
    (``id@version``); with `goals`, the 年度总体目标 text as goal_planned and goal_actual.
    `others`: the workbook's other sheets of that layout (`project_sheets`), each said unread.

    Raises:
        DocumentError: the sheet has no usable indicator header, or a formula cell has no
            value; every such problem at once.
    """
    s = _Sheet(reader, sheet)
    f = _Facts(s, target)
    found = s.find(("一级指标",), range(1, min(s.rows, _SCAN_ROWS) + 1))
    if found is None:  # pragma: no cover - project_sheets found it
        raise fail("not-a-workbook", Message("workbook-sheet-no-header", sheet=sheet), reader.name)
    header_row = found[0]
    for other in others:  # one project a workbook: the others are said
        s.warnings.append(
            Problem(
                "unread-cell",
                Message("workbook-sheet-another", sheet=other, read=sheet),
                Location(reader.name, sheet=other),
                hint=Message("workbook-sheet-another-hint"),
                severity="warning",
            )
        )
    _identity(s, f, header_row)
    _funds(s, f, header_row)
    if goals:
        _goals(s, f, header_row)
    total_seen = _indicators(s, f, header_row)
    if not total_seen:
        last = s.rows
        s.warnings.append(
            Problem(
                "unread-cell",
                Message("workbook-sheet-cut-off", last=last),
                Location(reader.name, last, 1, sheet=sheet),
                hint=Message("workbook-sheet-cut-off-hint"),
                severity="warning",
            )
        )
        f.facts["sheet_truncated"] = True
        f.facts["sheet_note"] = (
            f"工作表“{sheet}”在第{last}行之后截断，未见总分行：总分与等级不可见，"
            "评分仅覆盖可见各行。"
        )
        f.cells[("facts", "sheet_truncated")] = Location(reader.name, last, 1, sheet=sheet)
    if reader.problems:
        raise DocumentError(
            reader.problems,
            summary=Message("workbook-sheet-summary", name=reader.name, count=len(reader.problems)),
        )
    f.data["facts"] = f.facts
    claimed: dict[str, object] = {}
    if f.indicators:
        claimed["indicators"] = f.indicators
    claimed.update(f.claims)
    if claimed:
        claimed.setdefault("indicators", {})
        f.data["claimed"] = claimed
    home = Location(reader.name, sheet=sheet)
    f.cells.setdefault(("facts",), home)
    return WorkbookDocument(
        reader.name,
        f.data,
        cells=f.cells,
        home=home,
        warnings=(*reader.warnings, *s.warnings),
        layout="project-sheet",
    )


def _identity(s: _Sheet, f: _Facts, header_row: int) -> None:
    """Period from the title, 项目名称, 主管部门 and 实施单位 from the rows above the table."""
    rows = range(1, header_row)
    for row in rows:
        for column in range(1, s.columns + 1):
            match = _YEAR.search(s.text(row, column))
            if match and "period" not in f.data:
                f.put(("period",), match.group(1), row, column, "年度")
    for labels, key, path in (
        (("项目名称",), "项目名称", ("facts", "project_name")),
        (("主管部门",), "主管部门", ("facts", "supervisor")),
        (("实施单位", "实施单位（盖章）", "实施单位(盖章)"), "实施单位", ("subject",)),
    ):
        found = _labelled(s, labels, rows)
        if found is None:
            continue
        value_at, inline = found
        if inline is not None:  # 项目名称：委托业务项目, label and value in one cell
            if inline:
                f.put(path, inline, *value_at, key)
            continue
        value = s.value(*value_at)
        if value is EMPTY:
            continue
        if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
            value = plain(value, "text")
        if not isinstance(value, str):
            s.unread(*value_at, Message("workbook-sheet-not-text", what=key, value=str(value)[:40]))
            continue
        f.put(path, value.strip(), *value_at, key)


def _labelled(
    s: _Sheet, labels: tuple[str, ...], rows: range
) -> tuple[tuple[int, int], str | None] | None:
    """Where the value of an identity label stands: the cell right of the label (``项目名称``,
    or ``项目名称：`` with its colon), with None; or the label's own cell with the text after
    its colon (``项目名称：委托业务项目``)."""
    for row in rows:
        for column in range(1, s.columns + 1):
            if s.origin(row, column) != (row, column):
                continue
            text = s.text(row, column)
            for label in labels:
                if not text.startswith(label):
                    continue
                rest = text[len(label) :]
                if rest in ("", ":", "："):
                    value_at = s.right_of(row, column)
                    return None if value_at is None else (value_at, None)
                if rest[0] in ":：":
                    raw = str(s.value(row, column))  # the value as typed, its spaces kept
                    return (row, column), re.split("[:：]", raw, maxsplit=1)[1].strip()
    return None


def _funds(s: _Sheet, f: _Facts, header_row: int) -> None:
    """The 项目资金 rows: 年初预算数 / 全年预算数 / 全年执行数, the printed rate and score."""
    at = s.find(("年初预算数", "年初预算"), range(1, header_row))
    if at is None:
        return
    head = at[0]
    columns = s.header(head, _FUND_COLUMNS)
    first_value = min(columns.values())
    for row in range(head + 1, header_row):
        label = "".join(s.text(row, c) for c in range(1, first_value) if s.origin(row, c)[1] == c)
        label = label.replace("项目资金（万元）", "").replace("项目资金(万元)", "")
        if not label:
            continue
        if "年度总体目标" in label or "预期目标" in label:
            break
        kind = next((k for names, k in _FUND_ROWS if any(n in label for n in names)), None)
        if kind is None:
            if any(s.value(row, c) is not EMPTY for c in columns.values()):
                s.unread(row, 1, Message("workbook-sheet-funds-row", label=label[:30]))
            continue
        for key in ("initial", "full", "spent"):
            if key not in columns:
                continue
            column = columns[key]
            heading = s.text(head, column) or key
            # in the unit the band is headed with: 90万元 under 项目资金（万元） is 90
            number = s.number(row, column, f"{label} {heading}", unit="万元")
            fact = f"fund_{kind}_{key}"
            if isinstance(number, (int, Decimal)):
                f.put(("facts", fact), number, row, column, label)
        if kind != "total":
            continue
        if "rate" in columns:
            rate = s.number(row, columns["rate"], "执行率", percent=True)
            if isinstance(rate, (int, Decimal)):
                f.put(("facts", "exec_rate_printed"), rate, row, columns["rate"], "执行率")
        if "score" in columns:
            score = s.number(row, columns["score"], "得分")
            if isinstance(score, (int, Decimal)):
                f.put(("claimed", "indicators", "exec_rate"), score, row, columns["score"], "得分")
        if "points" in columns:
            points = s.number(row, columns["points"], "分值")
            if isinstance(points, (int, Decimal)) and points != 10:
                s.unread(
                    row,
                    columns["points"],
                    Message("workbook-sheet-funds-points", points=format_decimal(Decimal(points))),
                )


def _goals(s: _Sheet, f: _Facts, header_row: int) -> None:
    """The 年度总体目标 band: the text under 预期目标 and under 实际完成情况."""
    rows = range(1, header_row)
    at = s.find(("预期目标",), rows)
    if at is None:
        return
    row, planned = at
    actual = next(
        (c for c in range(planned + 1, s.columns + 1) if s.text(row, c) == "实际完成情况"), None
    )
    below = next((r for r in range(row + 1, header_row) if s.origin(r, planned)[0] != row), None)
    if below is None:
        return
    for column, key, label in (
        (planned, "goal_planned", "预期目标"),
        (actual, "goal_actual", "实际完成情况"),
    ):
        if column is None:
            continue
        value = s.value(below, column)
        if value is EMPTY:
            continue
        if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
            value = plain(value, "text")
        if not isinstance(value, str):
            s.unread(
                below, column, Message("workbook-sheet-not-text", what=label, value=str(value)[:40])
            )
            continue
        text = value.strip()
        if text and text not in ("—", "-", "——", "/"):
            f.put(("facts", key), text, *s.origin(below, column), label)


def _direction(text: str) -> tuple[str | None, str, bool]:
    """The operator at the start of `text`: (direction, the rest, exact reading)."""
    for printed, direction, exact in _OPERATORS:
        if text.startswith(printed):
            return direction, text[len(printed) :].strip(), exact
    return None, text, True


def _indicators(s: _Sheet, f: _Facts, header_row: int) -> bool:
    """The indicator rows, to the 总分 row; True when the 总分 row was found."""
    columns = s.header(header_row, _INDICATOR_COLUMNS)
    for key in ("level1", "name", "points"):
        if key not in columns:
            names = {"level1": "一级指标", "name": "三级指标", "points": "分值"}
            raise DocumentError(
                Problem(
                    "not-a-workbook",
                    Message("workbook-sheet-no-column", column=names[key]),
                    s.where(header_row, 1),
                    hint=Message("workbook-sheet-no-column-hint"),
                )
            )
    if "score" not in columns:  # the claimed scores are not read: said, not passed over
        s.unread(header_row, columns["points"], Message("workbook-sheet-no-score-column"))
    lists: dict[str, list[dict[str, object]]] = {"outputs": [], "benefits": [], "satisfactions": []}
    counters: dict[tuple[str, str], int] = {}
    last_level2: dict[str, str] = {}
    total_seen = False
    row = header_row
    while row < s.rows:
        row += 1
        if s.origin(row, columns["level1"])[0] == header_row:
            continue  # the header's second row (得分 over 自评得分, 核定得分): 一级指标 merged down
        texts = [s.text(row, c) for c in range(1, s.columns + 1)]
        if any(t.startswith(("总分", "合计")) for t in texts):
            total_seen = True
            if "score" in columns:
                total = s.number(row, columns["score"], "总分 得分")
                if isinstance(total, (int, Decimal)):
                    f.put(("claimed", "total"), total, row, columns["score"], "总分")
            continue
        grade_at = next((c for c, t in enumerate(texts, 1) if t in ("自评等级", "等级")), None)
        if grade_at is not None:
            value_at = s.right_of(row, grade_at)
            if value_at is not None and isinstance(s.value(*value_at), str):
                grade = str(s.value(*value_at)).strip()
                f.put(("claimed", "grade"), grade, *value_at, "自评等级")
            continue
        if total_seen:
            continue
        _row(s, f, row, columns, lists, counters, last_level2)
    for name, records in lists.items():
        f.facts[name] = records
        f.cells.setdefault(("facts", name), s.where(header_row, columns["level1"]))
    return total_seen


#: where `_row` keeps the 一级指标 of the row above, beside each block's last 二级指标
_LEVEL1 = "一级指标"


def _row(
    s: _Sheet,
    f: _Facts,
    row: int,
    columns: Mapping[str, int],
    lists: dict[str, list[dict[str, object]]],
    counters: dict[tuple[str, str], int],
    last_level2: dict[str, str],
) -> None:
    """One indicator row as a record of its block."""
    name_column = columns["name"]
    name_value = s.value(row, name_column)
    name = name_value.strip() if isinstance(name_value, str) else ""
    own = [
        c
        for key, c in columns.items()
        if key not in ("level1", "level2") and s.value(row, c) is not EMPTY
    ]
    if not own:
        return  # a blank row (or only the merged 一级/二级 labels)
    points_value = s.value(row, columns["points"])
    if _PLACEHOLDER.match(_norm(name)) and points_value is EMPTY:
        s.unread(row, name_column, Message("workbook-sheet-placeholder", name=name))
        return
    level1 = s.text(row, columns["level1"])
    if not level1 and _LEVEL1 in last_level2:
        # 一级指标 written on the first row of its block only (its merged cell unmerged):
        # the rows under it are that block's, as the printed sheet shows them
        level1 = last_level2[_LEVEL1]
        s.unread(row, columns["level1"], Message("workbook-sheet-level1-empty", level1=level1))
    block = next(((lst, grp) for key, lst, grp in _BLOCKS if key in level1), None)
    if block is None:
        s.unread(
            row,
            columns["level1"],
            Message("workbook-sheet-level1", row=row, level1=level1[:20]),
        )
        return
    list_name, _ = block
    last_level2[_LEVEL1] = level1
    heading = _HEADING_POINTS.search(level1)
    heading_fact = {"outputs": "output", "benefits": "benefit", "satisfactions": "satisfaction"}[
        list_name
    ] + "_heading_points"
    if heading and heading_fact not in f.facts:
        f.put(("facts", heading_fact), Decimal(heading.group(1)), row, columns["level1"], level1)
    records = lists[list_name]
    index = len(records)
    base: _Path = ("facts", list_name, index)
    record: dict[str, object] = {}
    f.cells[base] = s.where(row, name_column, name or None)

    def put(key: str, value: object, column: int, label: str) -> None:
        record[key] = value
        path: _Path = (*base, key)
        f.cells[path] = s.where(row, column, label)

    level2 = s.text(row, columns["level2"]) if "level2" in columns else ""
    if not level2 and list_name in last_level2:
        level2 = last_level2[list_name]
        if "level2" in columns:
            s.unread(
                row,
                columns["level2"],
                Message("workbook-sheet-level2-empty", level2=level2),
            )
    if level2:
        last_level2[list_name] = level2
        put("level2", level2, columns.get("level2", columns["level1"]), "二级指标")
    prefix = next((code for key, code in _CODES if key in level2), "row")
    counters[(list_name, prefix)] = counters.get((list_name, prefix), 0) + 1
    put("code", f"{prefix}{counters[(list_name, prefix)]}", name_column, "三级指标")
    if name:
        put("name", name, name_column, "三级指标")
    _target(s, row, columns, put)
    actual, target = record.get("actual"), record.get("target")
    if (
        record.get("unit") in ("%", "％")
        and isinstance(actual, Decimal)
        and isinstance(target, Decimal)
        and 0 < actual <= 1 < target
    ):  # 0.98 against ≥95%: a fraction typed for a percent, which scores next to nothing
        s.unread(
            row,
            columns["actual"],
            Message(
                "workbook-sheet-actual-fraction",
                actual=format_decimal(actual),
                target=str(record.get("target_text") or format_decimal(target)),
                percent=format_decimal(actual * 100),
            ),
        )
    if "direction" not in record and "direction" in columns:  # unread: at its own cell
        unread: _Path = (*base, "direction")
        f.cells[unread] = s.where(row, columns["direction"], "指标性质")
    points = s.number(row, columns["points"], "分值", unit="分")  # 10分 is 10
    if isinstance(points, (int, Decimal)):
        put("points", points, columns["points"], "分值")
    elif points is EMPTY:
        s.unread(
            row, columns["points"], Message("workbook-sheet-points-empty", name=name or "该行")
        )
    if "points" not in record:  # unread: the missing field is reported at its own cell
        unread = (*base, "points")
        f.cells[unread] = s.where(row, columns["points"], "分值")
    if "score" in columns:
        claimed = s.number(row, columns["score"], "得分", unit="分")
        if isinstance(claimed, (int, Decimal)):
            put("claimed", claimed, columns["score"], "得分")
    if "reason" in columns:
        reason = s.value(row, columns["reason"])
        if isinstance(reason, str) and reason.strip():
            put("reason", reason.strip(), columns["reason"], "偏差原因分析")
    records.append(record)


def _target(
    s: _Sheet, row: int, columns: Mapping[str, int], put: Callable[[str, object, int, str], None]
) -> None:
    """指标性质, 年度指标值 (operator, number, unit) and 实际完成值 of a row."""
    direction: str | None = None
    unit = ""
    guess = "direction" not in columns  # no 指标性质 column: the operator is in 年度指标值
    if "direction" in columns:
        printed = s.text(row, columns["direction"])
        if printed == "定性":
            direction = "qualitative"
        elif printed:
            direction, rest, exact = _direction(printed)
            if direction is None or rest:
                s.unread(
                    row,
                    columns["direction"],
                    Message("workbook-sheet-direction-unknown", printed=printed),
                )
                direction = None
            elif not exact:
                s.unread(
                    row,
                    columns["direction"],
                    Message("workbook-sheet-direction-read", printed=printed, direction=direction),
                )
    if "unit" in columns:
        unit_value = s.value(row, columns["unit"])
        if isinstance(unit_value, str):
            unit = unit_value.strip()
    target_column = columns.get("target", columns["name"])
    target_value = s.value(row, target_column) if "target" in columns else EMPTY
    number: object = EMPTY
    if isinstance(target_value, str) and target_value.strip():
        text = target_value.strip()
        put("target_text", text, target_column, "年度指标值")
        printed_direction, rest, exact = _direction(_norm(text))
        # full-width digits and separators as the ASCII ones (１０００ as 1000)
        match = _TARGET.match(unicodedata.normalize("NFKC", rest))
        if match:
            number = Decimal(match.group(1).replace(",", ""))
            unit = unit or match.group(2).strip()
            if printed_direction is not None:
                if direction not in (None, printed_direction):
                    s.unread(
                        row,
                        target_column,
                        Message(
                            "workbook-sheet-direction-conflict",
                            text=text,
                            printed=printed_direction,
                            direction=direction,
                        ),
                    )
                else:
                    direction = printed_direction
                    if not exact:
                        s.unread(
                            row,
                            target_column,
                            Message("workbook-sheet-target-read", text=text, direction=direction),
                        )
            elif direction is None and guess:
                direction = "="
                s.unread(
                    row, target_column, Message("workbook-sheet-target-no-operator", text=text)
                )
        elif printed_direction is None and direction is None and guess:
            direction = "qualitative"
        elif direction != "qualitative":
            s.unread(row, target_column, Message("workbook-sheet-target-no-number", text=text))
    elif target_value is not EMPTY:
        number = s.number(row, target_column, "年度指标值", percent=True)
        if direction is None and guess:
            direction = "="
            shown = format_decimal(number) if isinstance(number, Decimal) else str(number)
            s.unread(row, target_column, Message("workbook-sheet-target-no-operator", text=shown))
    if isinstance(number, (int, Decimal)) and direction != "qualitative":
        put("target", number, target_column, "年度指标值")
    if unit:
        put("unit", unit, columns.get("unit", target_column), "度量单位")
    if direction is not None:
        put("direction", direction, columns.get("direction", target_column), "指标性质")
    actual_column = columns.get("actual")
    if actual_column is None:
        return
    actual_value = s.value(row, actual_column)
    if actual_value is EMPTY:
        return
    if isinstance(actual_value, str):
        text = actual_value.strip()
        bare = unicodedata.normalize("NFKC", _norm(text))
        bare = bare.removesuffix(unicodedata.normalize("NFKC", unit)) if unit else bare
        bare = bare.removesuffix("%")
        if _GROUPED.match(bare):
            bare = bare.replace(",", "")
        if direction != "qualitative" and is_number_text(bare):
            put("actual", Decimal(bare), actual_column, "实际完成值")
            return
        put("actual_text", text, actual_column, "实际完成值")
        if direction not in (None, "qualitative"):
            # a quantitative row's 实际完成值 that is no number: said at its cell (scoring
            # reads the row without it)
            s.unread(row, actual_column, Message("workbook-sheet-actual-no-number", text=text))
        if direction == "qualitative":
            if _norm(text) in _MET:
                put("level", "达成", actual_column, "实际完成值")
                s.unread(
                    row,
                    actual_column,
                    Message("workbook-sheet-actual-met", text=text),
                    hint=Message("workbook-sheet-actual-met-hint"),
                )
            else:
                s.unread(
                    row,
                    actual_column,
                    Message("workbook-sheet-actual-no-level", text=text),
                )
        return
    actual = s.number(row, actual_column, "实际完成值", percent=True)
    if isinstance(actual, (int, Decimal)):
        put("actual", actual, actual_column, "实际完成值")
