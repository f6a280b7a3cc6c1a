"""Readable renderings of a scorecard: plain text (`explain`) and Markdown."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from perfscore._numbers import shown_decimal as fmt
from perfscore._output._scorecard import CheckWarning, IndicatorScore, Scorecard
from perfscore._output._sheets import headline_parts, headline_score
from perfscore._output._text import pad_left, pad_right, width
from perfscore._output._words import LABELS, MARKS, in_language, reason


def fmt_max(value: Decimal) -> str:
    """A maximum as a report shows it: exact when it has at most two decimals, else (a maximum
    rescaled by 不涉及 redistribution, such as 10 × 17/13) rounded half-up to 0.01 with ≈, never
    a 34-digit decimal. Scores are untouched: this is display only."""
    exponent = value.normalize().as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= -2:
        return fmt(value)
    return "≈" + fmt(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


__all__ = ["render_markdown", "render_text"]


def _labels(card: Scorecard) -> dict[str, str]:
    language = card.rubric.language
    marks = in_language(MARKS, language)
    return {
        **in_language(LABELS, language),
        "sep": marks["comma"],
        "open": marks["open"],
        "close": marks["close"],
        "or": marks["or"],
        "lang": language,
    }


def _grade(card: Scorecard, t: dict[str, str]) -> str:
    if card.grade is not None:
        return card.grade
    return t["or"].join(card.grades_possible or ())


def _head(card: Scorecard, t: dict[str, str]) -> list[str]:
    lines = [f"{card.rubric.title}  [{card.rubric.id}@{card.rubric.version}]"]
    if card.subject:
        lines.append(f"{t['subject']}: {card.subject}")
    if card.period:
        lines.append(f"{t['period']}: {card.period}")
    total, base, bonus_part = headline_parts(card)
    bonus = ""
    if any(i.kind == "bonus" for i in card.indicators):
        bonus = f"{t['sep']}{t['bonus']} {bonus_part}"
    caution = ""
    if card.discrepancies or card.warnings:  # a headline must not be read without its findings
        caution = "  " + t["caution"].format(len(card.discrepancies), len(card.warnings))
    lines.append(
        f"{t['total']}: {total}{t['open']}{t['base']} {base} / "
        f"{fmt(card.max_total)}{bonus}{t['close']}  {t['grade']}: {_grade(card, t)}{caution}"
    )
    return lines


def _findings(card: Scorecard, t: dict[str, str], bullet: str) -> list[str]:
    lines: list[str] = []
    names = {i.id: i.name for i in card.indicators}
    if card.discrepancies:
        lines += ["", f"{t['discrepancies']} ({len(card.discrepancies)})"]
        for d in card.discrepancies:
            # the claimed total is the report's 总分, not an indicator with an id to show
            name = t["total"] if d.indicator == "total" else names.get(d.indicator, d.indicator)
            ref = "" if d.indicator == "total" else f" [{d.indicator}]"
            gap = t["higher"] if d.difference > 0 else t["lower"]
            text = (
                f"{bullet}{name}{ref}: {t['claimed_short']} {fmt(d.claimed)}{t['sep']}"
                f"{t['computed']} {fmt(d.computed)}{t['open']}{gap.format(fmt(abs(d.difference)))}"
                f"{t['close']}"
            )
            lines.append(text + (f" — {d.reason}" if d.reason else ""))
    if card.warnings:
        lines += ["", f"{t['warnings']} ({len(card.warnings)})"]
        lines += [f"{bullet}[{w.check}] {_severity(w, t)}{w.message}" for w in card.warnings]
    if card.review and card.review.findings:
        lines += ["", t["review"]]
        lines += [f"{bullet}{f.message}" for f in card.review.findings]
    return lines


def _severity(warning: CheckWarning, t: dict[str, str]) -> str:
    """A marker before a notice or an error; a plain warning (the default) has none."""
    if warning.severity == "warning":
        return ""
    return t["severity_" + warning.severity]


def render_text(card: Scorecard) -> str:
    """Discrepancies and warnings first, then the breakdown grouped like the report."""
    t = _labels(card)
    lines = _head(card, t) + _findings(card, t, "  - ")
    lines += ["", t["breakdown"]]
    rows = _rows(card, t)
    column = max((width(r[0]) for r in rows), default=10) + 2
    # a range ([86, 96]) is wider than a score: its column grows to hold it
    sw = max([6] + [width(r[2]) for r in rows if r[2].startswith("[")])
    lines.append(
        f"{pad_right(t['indicator'], column)}{pad_left(t['max'], 6)} {pad_left(t['score'], sw)}  "
        f"{pad_left(t['claimed'], 4)}  {t['reason']}"
    )
    for name, top, score, claimed, why in rows:
        if top is None:
            lines.append(name)
            continue
        line = (
            f"{pad_right(name, column)}{pad_left(top, 6)} {pad_left(score, sw)}  "
            f"{pad_left(claimed, 4)}"
        )
        lines.append((line + (f"  {why}" if why else "")).rstrip())
    return "\n".join(lines) + "\n"


def _rows(card: Scorecard, t: dict[str, str]) -> list[tuple[str, str | None, str, str, str]]:
    """The breakdown in declared order: a group's leaves and subgroups interleaved as written.

    Groups are listed parents first and indicators depth first, both in document order, so a
    group is placed just before the first indicator under it; a group with no indicator (an
    empty records group) comes right before the next group, or at the end.
    """
    rows: list[tuple[str, str | None, str, str, str]] = []
    depth = {g.id: 0 for g in card.groups}
    for g in card.groups:
        if g.parent is not None:
            depth[g.id] = depth[g.parent] + 1
    pending = list(reversed(card.groups))
    placed: set[str] = set()

    def place_through(group_id: str | None) -> None:
        while pending and (group_id is None or group_id not in placed):
            g = pending.pop()
            placed.add(g.id)
            score = headline_score(g.score, g.range)
            rows.append((f"{'  ' * depth[g.id]}{g.name}", fmt_max(g.max), score, "", ""))

    bonus = []
    for item in card.indicators:
        if item.group is None or item.group not in depth:
            bonus.append(item)
            continue
        place_through(item.group)
        rows.append(_row(item, "  " * (depth[item.group] + 1), t))
    place_through(None)
    for item in bonus:
        rows.append(_row(item, "", t))
    return rows


def _row(item: IndicatorScore, indent: str, t: dict[str, str]) -> tuple[str, str, str, str, str]:
    top = fmt_max(item.max) if item.min == 0 else f"{fmt(item.min)}~{fmt_max(item.max)}"
    claimed = fmt(item.claimed) if item.claimed is not None else ""
    score = headline_score(item.score, item.range) if item.applicable else t["na"]
    return (f"{indent}{item.name}", top, score, claimed, reason(item, t["lang"]))


def render_markdown(card: Scorecard) -> str:
    """A Markdown report: header, findings, then one table grouped like the report.

    Every text from the facts or the rubric (a subject, a name, a check's message) is written
    with Markdown's own characters escaped, so that a renderer shows it as the text it is:
    ``<script>`` or ``[a](javascript:…)`` in a subject is no tag and no link.
    """
    t = _labels(card)
    head = _head(card, t)
    # the title is the rubric's text; the id and version beside it are plain names
    title = f"# {_md(card.rubric.title)}  [{card.rubric.id}@{card.rubric.version}]"
    lines = [title, "", *(f"- {_md(h)}" for h in head[1:])]
    for line in _findings(card, t, "- "):
        # section titles become headings; items stay list items
        if line.startswith("- "):
            lines.append("- " + _md(line[2:]))
        else:
            lines.append(f"## {_md(line)}" if line else line)
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
        if not claimed and card.review is not None and item.applicable:
            claimed = t["unclaimed"]
        cells = [names[0], *level2, item.name]
        lines.append(
            "| " + " | ".join(_cell(c) for c in cells) + f" | {top} | {score} | "
            f"{claimed} | {_cell(why)} |"
        )
    blank = [""] * (len(second) + 1)
    for g in card.groups:
        if g.parent is None:
            score = headline_score(g.score, g.range)
            cells = [f"**{_cell(g.name)}**", *blank, fmt_max(g.max), f"**{score}**", "", ""]
            lines.append("| " + " | ".join(cells) + " |")
    claimed_total = card.review.claimed_total if card.review else None
    total = [
        f"**{t['total']}**",
        *blank,
        fmt(card.max_total),
        f"**{headline_parts(card)[0]}**",
        fmt(claimed_total) if claimed_total is not None else "",
        f"{t['grade']} {_grade(card, t)}",
    ]
    lines.append("| " + " | ".join(total) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return _md(text).replace("\n", " ")


#: Markdown's characters that make markup, each written escaped (CommonMark: any ASCII
#: punctuation may be escaped with a backslash); ``|`` ends a table's cell
_MARKUP = str.maketrans({c: "\\" + c for c in "\\`*_[]<>~|#!"})


def _md(text: str) -> str:
    """`text` as Markdown that shows it as it is."""
    return text.translate(_MARKUP)
