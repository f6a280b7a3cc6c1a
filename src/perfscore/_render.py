"""Readable renderings of a scorecard: plain text (`explain`) and Markdown."""

from __future__ import annotations

import unicodedata

from perfscore._numbers import format_decimal as fmt
from perfscore._scorecard import IndicatorScore, Scorecard

__all__ = ["render_markdown", "render_text"]

_LABELS = {
    "zh": {
        "subject": "被评价单位",
        "period": "年度",
        "total": "总分",
        "base": "基础分",
        "bonus": "加减分",
        "grade": "等级",
        "discrepancies": "自评得分与规则不符",
        "warnings": "数据一致性警告",
        "review": "自评合计复核",
        "breakdown": "得分明细",
        "group": "一级指标",
        "group2": "二级指标",
        "indicator": "指标",
        "max": "分值",
        "score": "得分",
        "claimed": "自评",
        "reason": "扣分原因/依据",
        "claimed_short": "自评",
        "computed": "计算",
        "difference": "差",
        "none": "无",
        "rubric": "评分规则",
        "na": "不涉及",
    },
    "en": {
        "subject": "Subject",
        "period": "Period",
        "total": "Total",
        "base": "base",
        "bonus": "bonus",
        "grade": "Grade",
        "discrepancies": "Claimed scores that differ from the rules",
        "warnings": "Consistency warnings",
        "review": "Review of the claimed total",
        "breakdown": "Breakdown",
        "group": "Group",
        "group2": "Subgroup",
        "indicator": "Indicator",
        "max": "Max",
        "score": "Score",
        "claimed": "Claimed",
        "reason": "Reason",
        "claimed_short": "claimed",
        "computed": "computed",
        "difference": "difference",
        "none": "none",
        "rubric": "Rubric",
        "na": "not applicable",
    },
}
_EXPLAINING = ("band", "deduction", "floor", "tier", "not_applicable", "clamp", "round", "scale")


def _labels(card: Scorecard) -> dict[str, str]:
    return _LABELS.get(card.rubric.language, _LABELS["zh"])


def reason(item: IndicatorScore) -> str:
    """Why an indicator is below its max (or how it was scored), from its trace."""
    if item.trace is None:
        return ""
    steps = [s for s in item.trace.steps if s.kind in _EXPLAINING]
    if not steps and item.score != item.max:
        steps = [s for s in item.trace.steps if s.kind == "start"]
    return "; ".join(s.detail for s in steps)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _head(card: Scorecard, t: dict[str, str]) -> list[str]:
    lines = [f"{card.rubric.title}  [{card.rubric.id}@{card.rubric.version}]"]
    if card.subject:
        lines.append(f"{t['subject']}: {card.subject}")
    if card.period:
        lines.append(f"{t['period']}: {card.period}")
    lines.append(
        f"{t['total']}: {fmt(card.total)} / {fmt(card.max_total)}  ({t['base']} "
        f"{fmt(card.base_total)}, {t['bonus']} {fmt(card.bonus_total)})  {t['grade']}: "
        f"{card.grade}"
    )
    return lines


def _findings(card: Scorecard, t: dict[str, str], bullet: str) -> list[str]:
    lines: list[str] = []
    names = {i.id: i.name for i in card.indicators}
    if card.discrepancies:
        lines += ["", f"{t['discrepancies']} ({len(card.discrepancies)})"]
        for d in card.discrepancies:
            sign = "+" if d.difference > 0 else ""
            name = names.get(d.indicator, d.indicator)
            text = (
                f"{bullet}{name} [{d.indicator}]: {t['claimed_short']} {fmt(d.claimed)}, "
                f"{t['computed']} {fmt(d.computed)} ({t['difference']} {sign}"
                f"{fmt(d.difference)})"
            )
            lines.append(text + (f" — {d.reason}" if d.reason else ""))
    if card.warnings:
        lines += ["", f"{t['warnings']} ({len(card.warnings)})"]
        lines += [f"{bullet}[{w.check}] {w.message}" for w in card.warnings]
    if card.review and card.review.findings:
        lines += ["", t["review"]]
        lines += [f"{bullet}{f}" for f in card.review.findings]
    return lines


def render_text(card: Scorecard) -> str:
    """Discrepancies and warnings first, then the breakdown grouped like the report."""
    t = _labels(card)
    lines = _head(card, t) + _findings(card, t, "  - ")
    lines += ["", t["breakdown"]]
    rows = _rows(card, t)
    width = max((_width(r[0]) for r in rows), default=10) + 2
    for name, top, score, claimed, why in rows:
        if top is None:
            lines.append(name)
            continue
        mark = f"  ({t['claimed_short']} {claimed})" if claimed else ""
        line = f"{_pad(name, width)}{top:>6} {score:>6}{mark}"
        lines.append(line + (f"  {why}" if why else ""))
    return "\n".join(lines) + "\n"


def _rows(card: Scorecard, t: dict[str, str]) -> list[tuple[str, str | None, str, str, str]]:
    rows: list[tuple[str, str | None, str, str, str]] = []
    depth = {g.id: 0 for g in card.groups}
    for g in card.groups:
        if g.parent is not None:
            depth[g.id] = depth[g.parent] + 1
    by_group: dict[str | None, list[IndicatorScore]] = {}
    for item in card.indicators:
        by_group.setdefault(item.group, []).append(item)
    for g in card.groups:
        indent = "  " * depth[g.id]
        rows.append((f"{indent}{g.name}", fmt(g.max), fmt(g.score), "", ""))
        for item in by_group.get(g.id, []):
            rows.append(_row(item, indent + "  ", t))
    bonus = by_group.get(None, [])
    for item in bonus:
        rows.append(_row(item, "", t))
    return rows


def _row(item: IndicatorScore, indent: str, t: dict[str, str]) -> tuple[str, str, str, str, str]:
    top = fmt(item.max) if item.min == 0 else f"{fmt(item.min)}..{fmt(item.max)}"
    claimed = fmt(item.claimed) if item.claimed is not None else ""
    score = fmt(item.score) if item.applicable else t["na"]
    return (f"{indent}{item.name}", top, score, claimed, reason(item))


def render_markdown(card: Scorecard) -> str:
    """A Markdown report: header, findings, then one table grouped like the report."""
    t = _labels(card)
    head = _head(card, t)
    lines = [f"# {head[0]}", "", *(f"- {h}" for h in head[1:])]
    lines += _findings(card, t, "- ")
    lines += ["", f"## {t['breakdown']}", ""]
    groups = {g.id: g for g in card.groups}

    def path(group_id: str | None) -> list[str]:
        names: list[str] = []
        while group_id is not None and group_id in groups:
            names.insert(0, groups[group_id].name)
            group_id = groups[group_id].parent
        return names

    nested = any(g.parent is not None for g in card.groups)
    second = [t["group2"]] if nested else []
    header = [t["group"], *second, t["indicator"], t["max"], t["score"], t["claimed"], t["reason"]]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("| " + " | ".join(["---"] * (len(header) - 4) + ["---:"] * 3 + ["---"]) + " |")
    for item in card.indicators:
        names = path(item.group) or [t["bonus"]]
        level2 = [" / ".join(names[1:])] if nested else []
        _, top, score, claimed, why = _row(item, "", t)
        cells = [names[0], *level2, item.name]
        lines.append(
            "| " + " | ".join(_cell(c) for c in cells) + f" | {top} | {score} | "
            f"{claimed} | {_cell(why)} |"
        )
    blank = [""] * (len(second) + 1)
    for g in card.groups:
        if g.parent is None:
            cells = [f"**{_cell(g.name)}**", *blank, fmt(g.max), f"**{fmt(g.score)}**", "", ""]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
