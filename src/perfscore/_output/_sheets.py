"""A scorecard as the official tables: the department scoring sheet and the project sheet.

The tables are plain data (a header of one or two rows, body rows of cells, merged ranges), so
the spreadsheet and the Word renderer lay out exactly the same content in the same column
order. Which table a scorecard takes is the rubric's `layout` (`card.rubric.layout`).

- ``department``: 序号 | 一级/二级/三级指标 | 分值 | 评分标准 | 实际值/依据 | 自评得分 |
  核定得分 | 差异 | 扣分原因, a 小计 row after each 一级, the 加减分 rows, 合计 and 等级.
- ``project``: the 财预〔2020〕10号 附件2 indicator block (一级/二级/三级指标, 年度指标值,
  实际完成值, 分值, 得分) with 得分 split into 自评得分 | 核定得分 | 差异, then 扣分原因; 总分,
  and a 自评等级 row marked as an extension of the official table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from perfscore._load._model import SheetSpec
from perfscore._numbers import shown_decimal
from perfscore._output._scorecard import (
    IndicatorScore,
    InputValue,
    ProjectSheet,
    Scorecard,
    ScoreRange,
    SheetFunds,
    SheetRow,
)
from perfscore._output._words import LABELS, MARKS, REPORT, in_language, reason
from perfscore._values import Doubtful

__all__ = [
    "Cell",
    "Finding",
    "Merge",
    "Row",
    "Table",
    "claimed_subtotal",
    "claimed_total_of",
    "complete",
    "evidence",
    "findings_of",
    "headline_parts",
    "headline_score",
    "label_of",
    "sheet_of",
    "table_of",
]

#: A cell's value: a number stays a number (written as a value, never a formula), text is text.
Cell = Decimal | str | None

RowKind = Literal["indicator", "subtotal", "bonus", "total", "grade", "band", "label"]


@dataclass(frozen=True)
class Merge:
    """A merged range of the body or header, 0-based and inclusive, in table coordinates."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(frozen=True)
class Row:
    """One body row and what it is (the renderers style subtotal and total rows)."""

    kind: RowKind
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """A whole official table: title lines, header rows, body rows and merges.

    Header merges are in header coordinates (row 0 is the first header row); body merges in
    body coordinates (row 0 is the first body row).
    """

    layout: str
    title: str
    meta: tuple[tuple[str, str], ...]
    header: tuple[tuple[str, ...], ...]
    header_merges: tuple[Merge, ...]
    rows: tuple[Row, ...]
    body_merges: tuple[Merge, ...]
    widths: tuple[int, ...]
    #: columns holding numbers (right-aligned), 0-based
    numeric: frozenset[int] = field(default_factory=frozenset)
    note: str = ""
    #: rows printed between the identity lines and the header, in the same columns (the
    #: project sheet's funds and 年度总体目标 bands; kind ``label`` for their headings), merges
    #: in their own coordinates
    preamble: tuple[Row, ...] = ()
    preamble_merges: tuple[Merge, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One line of the findings list: its kind, what it is about, and the sentence."""

    kind: str
    about: str
    message: str


def _difference(claimed: Decimal | None, computed: Decimal | None) -> Cell:
    """Claimed less computed; none where either is missing or the score is a range."""
    return None if claimed is None or computed is None else claimed - computed


def shown_score(score: Decimal | None, span: ScoreRange | None) -> Cell:
    """A score as a cell: the number, or the range ``[86, 96]`` of one that reads unknown
    values (text, so no spreadsheet sums it as if it were known)."""
    if span is not None:
        return f"[{shown_decimal(span.min)}, {shown_decimal(span.max)}]"
    return score


def headline_score(score: Decimal | None, span: ScoreRange | None) -> str:
    """`shown_score` as text: the number, the range ``[86, 96]``, or ``?`` for none."""
    shown = shown_score(score, span)
    if shown is None:
        return "?"
    return shown if isinstance(shown, str) else shown_decimal(shown)


def headline_parts(card: Scorecard) -> tuple[str, str, str]:
    """The total, base and bonus as a report's headline shows them: each a number, or a range
    when it is one (the base and bonus of a total that unknown values leave a range are the
    sums of their groups' and items' ranges)."""
    if card.total_range is None:
        return (
            headline_score(card.total, None),
            headline_score(card.base_total, None),
            headline_score(card.bonus_total, None),
        )
    tops = [g for g in card.groups if g.parent is None]
    base = ScoreRange(
        min=sum((g.range.min if g.range else g.score or Decimal(0) for g in tops), Decimal(0)),
        max=sum((g.range.max if g.range else g.score or Decimal(0) for g in tops), Decimal(0)),
    )
    bonus_items = [i for i in card.indicators if i.kind == "bonus"]
    bonus = ScoreRange(
        min=sum((i.low for i in bonus_items), Decimal(0)),
        max=sum((i.high for i in bonus_items), Decimal(0)),
    )
    return (
        headline_score(None, card.total_range),
        headline_score(card.base_total, None if card.base_total is not None else base),
        headline_score(card.bonus_total, None if card.bonus_total is not None else bonus),
    )


def shown_grade(card: Scorecard) -> str:
    """The grade, or with unknown values every reachable grade (``良或优``)."""
    if card.grade is not None:
        return card.grade
    joiner = "或" if card.rubric.language == "zh" else " or "
    return joiner.join(card.grades_possible or ())


def _shown(value: InputValue, language: str) -> str:
    if isinstance(value, list):
        return in_language(REPORT, language)["records"].format(len(value))
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if language == "zh" else ("yes" if value else "no")
    if isinstance(value, Decimal):
        return shown_decimal(value)
    return value


def _raw(value: InputValue, language: str) -> Cell:
    """A number as a number (a cell holds it as such), anything else as its text."""
    return value if isinstance(value, Decimal) else _shown(value, language)


def evidence(
    item: IndicatorScore,
    language: str,
    skip: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
) -> str:
    """The values an indicator read, as ``label：value`` parts (the 实际值/依据); a value the
    rubric gives no label keeps its name, but for a record's points (`full`)."""
    if item.trace is None:
        return ""
    marks = in_language(MARKS, language)
    colon = "：" if language == "zh" else ": "
    named = labels or {}
    return marks["part"].join(
        f"{label_of(k, named, language) or k}{colon}{_shown(v, language)}"
        for k, v in item.trace.inputs.items()
        if k not in skip
    )


def label_of(name: str, labels: Mapping[str, str], language: str) -> str:
    """A value's label: the rubric's, or for `full`, which a records rule reads and no rubric
    labels, the words for a record's points (分值); else empty."""
    if name in labels:
        return labels[name]
    return in_language(REPORT, language)["max"] if name == "full" else ""


def _depths(card: Scorecard) -> dict[str, int]:
    depth: dict[str, int] = {}
    for g in card.groups:
        depth[g.id] = 0 if g.parent is None else depth.get(g.parent, 0) + 1
    return depth


def _levels(card: Scorecard, group_id: str | None) -> tuple[str | None, str]:
    """The 一级 group id and the 二级 text (deeper levels joined) of a group."""
    groups = {g.id: g for g in card.groups}
    path: list[str] = []
    while group_id is not None and group_id in groups:
        path.insert(0, group_id)
        group_id = groups[group_id].parent
    if not path:
        return None, ""
    return path[0], " / ".join(groups[g].name for g in path[1:])


def claimed_subtotal(items: Sequence[IndicatorScore]) -> Decimal | None:
    """A group's claimed subtotal: the sum of its indicators' claimed scores when every
    applicable one has a claim, else none (a sum over some of them is a figure nobody claimed,
    short of the group by the unclaimed rest, so no table prints it)."""
    claimed = [i.claimed for i in items if i.claimed is not None]
    if not claimed or any(i.claimed is None for i in items if i.applicable):
        return None
    return sum(claimed, Decimal(0))


def claimed_total_of(card: Scorecard) -> Decimal | None:
    """The claimed total: as the report states it, else the sum of the claimed scores when
    every applicable indicator has one; else none, as for a group's subtotal (a sum over some of
    them is a figure nobody claimed)."""
    if card.review is None:
        return None
    if card.review.claimed_total is not None:
        return card.review.claimed_total
    return None if card.review.missing else card.review.claimed_sum


def complete(card: Scorecard) -> bool:
    """Whether the claimed total can be set against the computed one: it is stated, or every
    indicator has a claimed score (a sum over some of them differs by the unclaimed rest)."""
    review = card.review
    return review is not None and (review.claimed_total is not None or not review.missing)


def _max_text(item: IndicatorScore) -> Cell:
    if item.min == 0:
        return item.max
    return f"{shown_decimal(item.min)}~{shown_decimal(item.max)}"


def table_of(card: Scorecard, layout: str | None = None) -> Table:
    """The official table of a scorecard, in the layout its rubric names (or `layout`)."""
    chosen = layout or card.rubric.layout
    if chosen == "project":
        return _project(card)
    return _department(card)


def _meta(card: Scorecard, w: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    meta: list[tuple[str, str]] = []
    if card.subject:
        meta.append((w["unit"], card.subject))
    if card.period:
        meta.append((w["period"], card.period))
    meta.append((w["rubric"], f"{card.rubric.title}（{card.rubric.id}@{card.rubric.version}）"))
    return tuple(meta)


def _department(card: Scorecard) -> Table:
    language = card.rubric.language
    w = in_language(REPORT, language)
    header = (
        (
            w["number"],
            w["indicators"],
            "",
            "",
            w["max"],
            w["criterion"],
            w["evidence"],
            w["claimed"],
            w["computed"],
            w["difference"],
            w["reason"],
        ),
        ("", w["level1"], w["level2"], w["level3"], "", "", "", "", "", "", ""),
    )
    header_merges = [Merge(0, 1, 0, 3)] + [Merge(0, c, 1, c) for c in (0, 4, 5, 6, 7, 8, 9, 10)]
    rows: list[Row] = []
    merges: list[Merge] = []
    by_top: dict[str | None, list[IndicatorScore]] = {}
    for item in card.indicators:
        top, _ = _levels(card, item.group) if item.kind == "indicator" else (None, "")
        by_top.setdefault(top, []).append(item)
    number = 0
    for g in card.groups:
        if g.parent is not None:
            continue
        items = by_top.get(g.id, [])
        start = len(rows)
        level2_start: int | None = None
        level2_text: str | None = None
        for item in items:
            number += 1
            _, level2 = _levels(card, item.group)
            rows.append(_department_row(number, g.name, level2, item, language, card.labels))
            if level2 != level2_text:
                if level2_start is not None and len(rows) - 2 > level2_start:
                    merges.append(Merge(level2_start, 2, len(rows) - 2, 2))
                level2_start, level2_text = len(rows) - 1, level2
        if level2_start is not None and len(rows) - 1 > level2_start:
            merges.append(Merge(level2_start, 2, len(rows) - 1, 2))
        if len(rows) - 1 > start:
            merges.append(Merge(start, 1, len(rows) - 1, 1))
        # none when some indicator has no claim: a partial sum is neither shown nor set
        # against the group's score
        claimed = claimed_subtotal(items)
        rows.append(
            Row(
                "subtotal",
                (
                    "",
                    f"{g.name}{w['subtotal']}",
                    "",
                    "",
                    g.max,
                    "",
                    "",
                    claimed,
                    shown_score(g.score, g.range),
                    _difference(claimed, g.score),
                    "",
                ),
            )
        )
        merges.append(Merge(len(rows) - 1, 1, len(rows) - 1, 3))
    bonus = by_top.get(None, [])
    start = len(rows)
    for item in bonus:
        number += 1
        rows.append(
            Row("bonus", _department_row(number, w["bonus"], "", item, language, card.labels).cells)
        )
    if len(rows) - 1 > start:
        merges.append(Merge(start, 1, len(rows) - 1, 1))
    claimed_total = claimed_total_of(card)
    rows.append(
        Row(
            "total",
            (
                "",
                w["total"],
                "",
                "",
                card.max_total,
                "",
                "",
                claimed_total,
                shown_score(card.total, card.total_range),
                _difference(claimed_total, card.total) if complete(card) else None,
                "",
            ),
        )
    )
    merges.append(Merge(len(rows) - 1, 1, len(rows) - 1, 3))
    claimed_grade = card.review.claimed_grade if card.review else None
    rows.append(
        Row("grade", ("", w["grade"], "", "", "", "", "", claimed_grade, shown_grade(card), "", ""))
    )
    merges.append(Merge(len(rows) - 1, 1, len(rows) - 1, 3))
    return Table(
        layout="department",
        title=w["department_title"],
        meta=_meta(card, w),
        header=header,
        header_merges=tuple(header_merges),
        rows=tuple(rows),
        body_merges=tuple(merges),
        widths=(6, 14, 16, 24, 8, 36, 30, 10, 10, 8, 40),
        numeric=frozenset({4, 7, 8, 9}),
    )


def _department_row(
    number: int,
    level1: str,
    level2: str,
    item: IndicatorScore,
    language: str,
    labels: Mapping[str, str],
) -> Row:
    na = in_language(LABELS, language)["na"]
    score: Cell = shown_score(item.score, item.range) if item.applicable else na
    criterion = item.criterion or ""
    return Row(
        "bonus" if item.kind == "bonus" else "indicator",
        (
            Decimal(number),
            level1,
            level2,
            item.name,
            _max_text(item),
            criterion,
            evidence(item, language, labels=labels),
            item.claimed,
            score,
            _difference(item.claimed, item.score),
            reason(item, language),
        ),
    )


def _project(card: Scorecard) -> Table:
    language = card.rubric.language
    w = in_language(REPORT, language)
    header = (
        (
            w["level1"],
            w["level2"],
            w["level3"],
            w["target"],
            w["actual"],
            w["max"],
            w["score"],
            "",
            "",
            w["project_reason"],
        ),
        ("", "", "", "", "", "", w["claimed"], w["computed"], w["difference"], ""),
    )
    header_merges = [Merge(0, 6, 0, 8)] + [Merge(0, c, 1, c) for c in (0, 1, 2, 3, 4, 5, 9)]
    rows: list[Row] = []
    merges: list[Merge] = []
    na = in_language(LABELS, language)["na"]
    for g in card.groups:
        if g.parent is not None:
            continue
        items = [
            i
            for i in card.indicators
            if i.kind == "indicator"
            and _levels(card, i.group)[0] == g.id
            # the funds band prints the execution indicator's 分值 and 得分
            and not (card.sheet is not None and i.id == card.sheet.execution)
        ]
        start = len(rows)
        for item in items:
            _, level2 = _levels(card, item.group)
            inputs = item.trace.inputs if item.trace else {}
            target = _raw(inputs["target"], language) if "target" in inputs else ""
            actual = (
                _raw(inputs["actual"], language)
                if "actual" in inputs
                else evidence(item, language, skip=("target",), labels=card.labels)
            )
            printed = card.sheet.rows.get(item.id) if card.sheet else None
            if printed is not None:
                level2, target, actual = _as_printed(printed, level2, target, actual, language)
            score: Cell = shown_score(item.score, item.range) if item.applicable else na
            rows.append(
                Row(
                    "indicator",
                    (
                        f"{g.name}（{shown_decimal(g.max)}）",
                        level2,
                        item.name,
                        target,
                        actual,
                        _max_text(item),
                        item.claimed,
                        score,
                        _difference(item.claimed, item.score),
                        reason(item, language),
                    ),
                )
            )
        if len(rows) - 1 > start:
            merges.append(Merge(start, 0, len(rows) - 1, 0))
        if card.sheet is not None:
            merges += _runs(rows, start, 1)
    start = len(rows)
    for item in card.indicators:
        if item.kind != "bonus":
            continue
        rows.append(
            Row(
                "bonus",
                (
                    w["bonus"],
                    "",
                    item.name,
                    "",
                    evidence(item, language, labels=card.labels),
                    _max_text(item),
                    item.claimed,
                    shown_score(item.score, item.range),
                    _difference(item.claimed, item.score),
                    reason(item, language),
                ),
            )
        )
    if len(rows) - 1 > start:
        merges.append(Merge(start, 0, len(rows) - 1, 0))
    claimed_total = claimed_total_of(card)
    rows.append(
        Row(
            "total",
            (
                w["project_total"],
                "",
                "",
                "",
                "",
                card.max_total,
                claimed_total,
                shown_score(card.total, card.total_range),
                _difference(claimed_total, card.total) if complete(card) else None,
                "",
            ),
        )
    )
    merges.append(Merge(len(rows) - 1, 0, len(rows) - 1, 4))
    claimed_grade = card.review.claimed_grade if card.review else None
    rows.append(
        Row(
            "grade",
            (w["project_grade"], "", "", "", "", "", claimed_grade, shown_grade(card), "", ""),
        )
    )
    merges.append(Merge(len(rows) - 1, 0, len(rows) - 1, 5))
    title = w["project_title"]
    if card.period:
        title += w["project_period"].format(card.period)
    preamble: tuple[Row, ...] = ()
    preamble_merges: tuple[Merge, ...] = ()
    if card.sheet is None:
        meta = [(w["project_name"], card.subject or "")]
    else:
        meta = [(w["project_name"], card.sheet.project or card.subject or "")]
        if card.sheet.supervisor:
            meta.append((w["project_supervisor"], card.sheet.supervisor))
        if card.subject:
            meta.append((w["project_unit"], card.subject))
        preamble, preamble_merges = _bands(card, w)
    meta.append((w["rubric"], f"{card.rubric.title}（{card.rubric.id}@{card.rubric.version}）"))
    return Table(
        layout="project",
        title=title,
        meta=tuple(meta),
        header=header,
        header_merges=tuple(header_merges),
        rows=tuple(rows),
        body_merges=tuple(merges),
        widths=(16, 14, 24, 14, 20, 8, 10, 10, 8, 44),
        numeric=frozenset({5, 6, 7, 8}),
        preamble=preamble,
        preamble_merges=preamble_merges,
    )


#: 指标性质 as the sheet prints it before the 年度指标值; anything else (定性) prints nothing
_OPERATORS = {">=": "≥", "<=": "≤", "=": "=", "≥": "≥", "≤": "≤", ">": ">", "<": "<"}


def _runs(rows: Sequence[Row], start: int, column: int) -> list[Merge]:
    """Vertical merges of equal, non-empty text in `column` from body row `start` on."""
    out: list[Merge] = []
    first = start
    for r in range(start + 1, len(rows) + 1):
        if r < len(rows) and rows[r].cells[column] == rows[first].cells[column]:
            continue
        if r - 1 > first and rows[first].cells[column]:
            out.append(Merge(first, column, r - 1, column))
        first = r
    return out


def _as_printed(
    row: SheetRow, level2: str, target: Cell, actual: Cell, language: str
) -> tuple[str, Cell, Cell]:
    """二级指标, 年度指标值 and 实际完成值 as the sheet prints them: the target with its operator
    and unit (``≥95%``), or the row's own text of it (``效果明显``); the actual with its unit."""
    unit = row.unit or ""
    if row.target_text:
        target = row.target_text
    elif row.target is not None:
        operator = _OPERATORS.get(row.operator or "", "")
        target = f"{operator}{shown_decimal(row.target)}{unit}"
    if row.actual_text:
        actual = row.actual_text
    elif row.actual is not None:
        actual = f"{shown_decimal(row.actual)}{unit}" if unit else row.actual
    return row.level2 or level2, target, actual


def _rate(spent: Decimal | None, full: Decimal | None) -> Cell:
    """执行率 as the sheet prints it (``99.97%``), to two decimals; none for 0 or a blank."""
    if spent is None or full is None or full == 0:
        return None
    rate = (spent / full * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{shown_decimal(rate)}%"


def _bands(card: Scorecard, w: Mapping[str, str]) -> tuple[tuple[Row, ...], tuple[Merge, ...]]:
    """The funds band and the 年度总体目标 band of the project sheet, in its ten columns:
    项目资金 | row | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 自评得分 | 核定得分 |
    差异, then 年度总体目标 | 预期目标 (four columns) | 实际完成情况 (five)."""
    assert card.sheet is not None
    heading = (
        w["funds"],
        "",
        w["fund_initial"],
        w["fund_full"],
        w["fund_spent"],
        w["max"],
        w["fund_rate"],
        w["claimed"],
        w["computed"],
        w["difference"],
    )
    rows: list[Row] = [Row("label", heading)]
    execution = next((i for i in card.indicators if i.id == card.sheet.execution), None)
    for funds in card.sheet.funds:
        scored = funds.row == "total" and execution is not None
        points: tuple[Cell, Cell, Cell, Cell] = (None, None, None, None)
        if scored and execution is not None:
            points = (
                execution.max,
                execution.claimed,
                shown_score(execution.score, execution.range),
                _difference(execution.claimed, execution.score),
            )
        rows.append(
            Row(
                "band",
                (
                    w["funds"],
                    w[f"fund_{funds.row}"],
                    funds.initial,
                    funds.full,
                    funds.spent,
                    points[0],
                    _rate(funds.spent, funds.full),
                    *points[1:],
                ),
            )
        )
    merges = [Merge(0, 0, len(rows) - 1, 0)]
    goals = len(rows)
    planned = card.sheet.goal_planned or "—"
    achieved = card.sheet.goal_actual or "—"
    rows.append(
        Row("label", (w["goals"], w["goal_planned"], "", "", "", w["goal_actual"], "", "", "", ""))
    )
    rows.append(Row("band", (w["goals"], planned, "", "", "", achieved, "", "", "", "")))
    merges += [
        Merge(goals, 0, goals + 1, 0),
        Merge(goals, 1, goals, 4),
        Merge(goals, 5, goals, 9),
        Merge(goals + 1, 1, goals + 1, 4),
        Merge(goals + 1, 5, goals + 1, 9),
    ]
    return tuple(rows), tuple(merges)


def findings_of(card: Scorecard) -> tuple[Finding, ...]:
    """Discrepancies, check warnings and review findings, in that order, as plain lines."""
    w = in_language(REPORT, card.rubric.language)
    labels = in_language(LABELS, card.rubric.language)
    marks = in_language(MARKS, card.rubric.language)
    names = {i.id: i.name for i in card.indicators}
    out: list[Finding] = []
    for d in card.discrepancies:
        gap = labels["higher"] if d.difference > 0 else labels["lower"]
        text = (
            f"{labels['claimed_short']} {shown_decimal(d.claimed)}{marks['comma']}"
            f"{labels['computed']} {shown_decimal(d.computed)}{marks['open']}"
            f"{gap.format(shown_decimal(abs(d.difference)))}{marks['close']}"
        )
        if d.reason:
            text += f" — {d.reason}"
        about = names.get(d.indicator, labels["total"] if d.indicator == "total" else d.indicator)
        out.append(Finding(w["kind_discrepancy"], about, text))
    out += [Finding(w["kind_warning"], w_.check, w_.message) for w_ in card.warnings]
    if card.review:
        out += [
            Finding(w["kind_review"], names.get(f.indicator or "", ""), f.message)
            for f in card.review.findings
        ]
    return tuple(out)


def _given(value: object) -> object:
    """A fact's value as the sheet prints it: a doubtful value as given, an unknown one none."""
    return value.value if isinstance(value, Doubtful) else value


def _text_value(value: object) -> str | None:
    value = _given(value)
    return value if isinstance(value, str) and value else None


def _number_value(value: object) -> Decimal | None:
    value = _given(value)
    return value if isinstance(value, Decimal) else None


def sheet_of(
    spec: SheetSpec,
    values: Mapping[str, object],
    records: Sequence[tuple[str, Mapping[str, object]]],
) -> ProjectSheet:
    """The part of a run the project layout prints besides the scores (`Scorecard.sheet`), as
    the rubric's `sheet` names it: `values` are the run's facts, `records` each records
    indicator's id with its record."""

    def text(name: str | None) -> str | None:
        return None if name is None else _text_value(values.get(name))

    def number(name: str | None) -> Decimal | None:
        return None if name is None else _number_value(values.get(name))

    funds = tuple(
        SheetFunds(row, number(f.initial), number(f.full), number(f.spent))
        for row, f in sorted(spec.funds.items(), key=lambda kv: _FUND_ORDER.index(kv[0]))
    )
    rows: dict[str, SheetRow] = {}
    if spec.rows is not None:
        r = spec.rows
        for indicator, record in records:

            def field(name: str | None, rec: Mapping[str, object] = record) -> object:
                return None if name is None else rec.get(name)

            rows[indicator] = SheetRow(
                level2=_text_value(field(r.level2)),
                operator=_text_value(field(r.operator)),
                target=_number_value(field(r.target)),
                target_text=_text_value(field(r.target_text)),
                unit=_text_value(field(r.unit)),
                actual=_number_value(field(r.actual)),
                actual_text=_text_value(field(r.actual_text)),
            )
    return ProjectSheet(
        project=text(spec.project),
        supervisor=text(spec.supervisor),
        funds=funds,
        execution=spec.execution,
        goal_planned=text(spec.goal_planned),
        goal_actual=text(spec.goal_actual),
        rows=rows,
    )


_FUND_ORDER = ("total", "fiscal", "carryover", "other")
