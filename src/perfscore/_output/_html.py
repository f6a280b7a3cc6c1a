"""A scorecard as one self-contained HTML page: totals and grade, the findings first, an inline
SVG chart of score against 分值 per indicator, the breakdown, and every trace behind `<details>`.

Nothing is fetched: the styles are inline, the chart is hand-written SVG, fonts come from the
reader's system through a font-family stack, and a Content-Security-Policy forbids any load.
Every piece of text from the rubric or the facts is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from html import escape

from perfscore._numbers import shown_decimal as fmt
from perfscore._output._scorecard import IndicatorScore, Scorecard, ScoreRange
from perfscore._output._sheets import (
    Cell,
    Merge,
    claimed_subtotal,
    claimed_total_of,
    complete,
    findings_of,
    headline_parts,
    label_of,
    shown_grade,
    shown_score,
    table_of,
)
from perfscore._output._words import LABELS, MARKS, REPORT, in_language, reason

__all__ = ["render_html"]

#: CJK faces first (Debian/Ubuntu, Windows, macOS), then the generic family.
FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"Hiragino Sans GB", "WenQuanYi Micro Hei", "Noto Sans SC", sans-serif'
)

_CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #cbd2d9; --max: #e4e7eb;
  --score: #2f5d8a; --claimed: #d9822b; --bad: #b3261e; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0 auto; max-width: 1100px;
  padding: 24px; line-height: 1.5; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 24px 0 8px; border-bottom: 2px solid var(--line); }
.meta { color: var(--muted); margin: 0 0 12px; }
.totals { display: flex; gap: 16px; flex-wrap: wrap; margin: 12px 0; }
.totals div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 16px; }
.totals b { display: block; font-size: 26px; }
.findings li { margin: 4px 0; }
.findings .kind { color: var(--bad); font-weight: bold; margin-right: 6px; }
.none { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #f5f7fa; }
td.num { text-align: right; white-space: nowrap; }
tr.group td { background: #f5f7fa; font-weight: bold; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
table.sheet th { text-align: center; vertical-align: middle; }
table.sheet tr.total td, table.sheet tr.grade td { font-weight: bold; background: #f5f7fa; }
td.differs { color: var(--bad); font-weight: bold; }
details { border: 1px solid var(--line); border-radius: 4px; margin: 4px 0; padding: 2px 8px; }
summary { cursor: pointer; }
details ul { margin: 4px 0; }
svg text { font-family: FONTS; }
.legend { color: var(--muted); font-size: 12px; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; word-break: break-all; }
@page { size: A4; margin: 15mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  tr, li, details, svg { break-inside: avoid; }
  details { border: none; padding: 0; }
  details::details-content { content-visibility: visible; display: block; }
  summary { list-style: none; font-weight: bold; }
  .noprint { display: none; }
}
""".replace("FONTS", FONTS)

# opens every trace before printing (browsers without ::details-content print them closed)
_SCRIPT = (
    'window.addEventListener("beforeprint",function(){'
    'document.querySelectorAll("details").forEach(function(d){d.open=true;});});'
)

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def render_html(card: Scorecard) -> str:
    """The scorecard as one HTML document (UTF-8 text), in the rubric's language."""
    language = card.rubric.language
    w = in_language(REPORT, language)
    t = {**in_language(LABELS, language), "lang": language}
    sha = card.rubric.sha256
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if language == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(card.rubric.title)}{_e(' · ' + card.subject if card.subject else '')}</title>",
        f"<style>{_CSS}</style>",
        f"<script>{_SCRIPT}</script>",
        "</head>",
        "<body>",
        f"<h1>{_e(card.rubric.title)}</h1>",
        _meta(card, t, w),
        _totals(card, t, w),
        _findings(card, w),
        f'<h2 id="chart">{_e(w["chart"])}</h2>',
        f'<p class="legend">{_e(w["chart_note"])}</p>',
        _chart(card, w),
        f'<h2 id="breakdown">{_e(t["breakdown"])}</h2>',
        _breakdown(card, t, w),
        _official(card),
        f'<h2 id="traces">{_e(w["details"])}</h2>',
        f'<p class="legend noprint">{_e(w["print_hint"])}</p>',
        _traces(card, w),
        "<footer>"
        + _e(w["generated"].format(card.perfscore, card.rubric.id, card.rubric.version, sha))
        + "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _meta(card: Scorecard, t: Mapping[str, str], w: Mapping[str, str]) -> str:
    bits = []
    if card.subject:
        bits.append(f"{_e(t['subject'])}：{_e(card.subject)}")
    if card.period:
        bits.append(f"{_e(t['period'])}：{_e(card.period)}")
    bits.append(f"{_e(w['rubric'])}：{_e(card.rubric.id)}@{_e(card.rubric.version)}")
    return '<p class="meta">' + "　".join(bits) + "</p>"


def _s(score: Decimal | None, span: ScoreRange | None = None) -> str:
    """A score as text: the number, or the range ``[86, 96]`` of one that reads unknown values."""
    shown = shown_score(score, span)
    return shown if isinstance(shown, str) else fmt(shown) if shown is not None else ""


def _totals(card: Scorecard, t: Mapping[str, str], w: Mapping[str, str]) -> str:
    boxes = [
        f'<div id="total">{_e(t["total"])}<b>{_s(card.total, card.total_range)}</b>'
        f"{_e(t['base'])} {_e(headline_parts(card)[1])} / {fmt(card.max_total)}</div>",
        f'<div id="grade">{_e(t["grade"])}<b>{_e(shown_grade(card))}</b></div>',
    ]
    if any(i.kind == "bonus" for i in card.indicators):
        boxes.append(f"<div>{_e(w['bonus'])}<b>{_e(headline_parts(card)[2])}</b></div>")
    review = card.review
    claimed = claimed_total_of(card)
    if review is not None and claimed is not None:
        grade = f" · {_e(review.claimed_grade)}" if review.claimed_grade else ""
        boxes.append(f'<div id="claimed">{_e(w["claimed"])}<b>{fmt(claimed)}{grade}</b></div>')
    return '<div class="totals">' + "".join(boxes) + "</div>"


def _findings(card: Scorecard, w: Mapping[str, str]) -> str:
    found = findings_of(card)
    marks = in_language(MARKS, card.rubric.language)
    count = f"{marks['open']}{len(found)}{marks['close']}"
    head = f'<h2 id="findings">{_e(w["findings"])}{count}</h2>'
    if not found:
        return head + f'<p class="none">{_e(w["no_findings"])}</p>'
    items = [
        f'<li><span class="kind">{_e(f.kind)}</span>'
        + (f"<b>{_e(f.about)}</b>：" if f.about else "")
        + f"{_e(f.message)}</li>"
        for f in found
    ]
    return head + '<ul class="findings">' + "".join(items) + "</ul>"


# chart geometry, in SVG user units (the viewBox scales it to the page)
_LABEL = 230
_BAR = 560
_ROW = 26
_TOP = 8


def _chart(card: Scorecard, w: Mapping[str, str]) -> str:
    items = list(card.indicators)
    scale = max((max(abs(i.max), abs(i.min)) for i in items), default=Decimal(1)) or Decimal(1)
    height = _TOP * 2 + _ROW * len(items)
    width = _LABEL + _BAR + 90

    def x(value: Decimal) -> float:
        return float(abs(value) / scale * _BAR)

    out = [
        f'<svg id="score-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{_e(w["chart_label"])}" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px">'
    ]
    for n, item in enumerate(items):
        y = _TOP + n * _ROW
        name = item.name if len(item.name) <= 16 else item.name[:15] + "…"
        score = _s(item.score, item.range)
        claimed = "" if item.claimed is None else f"，{w['claimed']} {fmt(item.claimed)}"
        tip = f"{item.name}：{w['computed']} {score} / {w['max']} {fmt(item.max)}{claimed}"
        out.append(f'<g class="indicator" data-indicator="{_e(item.id)}"><title>{_e(tip)}</title>')
        out.append(
            f'<text x="{_LABEL - 8}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{_e(name)}</text>"
        )
        out.append(
            f'<rect class="max-bar" x="{_LABEL}" y="{y + 3}" width="{x(item.max):.1f}" '
            f'height="14" fill="#e4e7eb"/>'
        )
        colour = "#2f5d8a" if item.low >= 0 else "#b3261e"
        out.append(
            f'<rect class="score-bar" x="{_LABEL}" y="{y + 3}" width="{x(item.low):.1f}" '
            f'height="14" fill="{colour}" data-score="{score}" data-max="{fmt(item.max)}"/>'
        )
        if item.claimed is not None:
            out.append(
                f'<rect class="claimed-bar" x="{_LABEL}" y="{y + 19}" '
                f'width="{x(item.claimed):.1f}" height="5" fill="#d9822b" '
                f'data-claimed="{fmt(item.claimed)}"/>'
            )
        label = f"{score}/{fmt(item.max)}"
        if item.claimed is not None and item.claimed != item.score:
            label += f"（{fmt(item.claimed)}）"
        out.append(
            f'<text x="{_LABEL + _BAR + 6}" y="{y + 16}" font-size="12">{_e(label)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _breakdown(card: Scorecard, t: Mapping[str, str], w: Mapping[str, str]) -> str:
    head = (
        f"<tr><th>{_e(t['indicator'])}</th><th>{_e(w['max'])}</th><th>{_e(w['claimed'])}</th>"
        f"<th>{_e(w['computed'])}</th><th>{_e(w['difference'])}</th>"
        f"<th>{_e(w['reason'])}</th></tr>"
    )
    rows = [head]
    by_group: dict[str | None, list[IndicatorScore]] = {}
    for item in card.indicators:
        by_group.setdefault(item.group, []).append(item)
    depth: dict[str, int] = {}
    parents = {g.id: g.parent for g in card.groups}

    def within(item: IndicatorScore, group: str) -> bool:
        at = item.group
        while at is not None and at != group:
            at = parents.get(at)
        return at == group

    for g in card.groups:
        depth[g.id] = 0 if g.parent is None else depth.get(g.parent, 0) + 1
        # a group shows its claimed subtotal only when every indicator under it is claimed
        claimed = claimed_subtotal([i for i in card.indicators if within(i, g.id)])
        pad = "　" * depth[g.id]
        rows.append(
            f'<tr class="group"><td>{pad}{_e(g.name)}</td><td class="num">{fmt(g.max)}</td>'
            f'<td class="num">{fmt(claimed) if claimed is not None else ""}</td>'
            f'<td class="num">{_s(g.score, g.range)}</td><td></td><td></td></tr>'
        )
        rows += [_row(i, "　" * (depth[g.id] + 1), t) for i in by_group.get(g.id, [])]
    if by_group.get(None):
        rows.append(f'<tr class="group"><td colspan="6">{_e(w["bonus"])}</td></tr>')
        rows += [_row(i, "　", t) for i in by_group[None]]
    claimed_total = claimed_total_of(card)
    diff = (
        ""
        if claimed_total is None or card.total is None or not complete(card)
        else fmt(claimed_total - card.total)
    )
    rows.append(
        f'<tr class="total"><td>{_e(w["total"])}</td><td class="num">{fmt(card.max_total)}</td>'
        f'<td class="num">{fmt(claimed_total) if claimed_total is not None else ""}</td>'
        f'<td class="num">{_s(card.total, card.total_range)}</td><td class="num">{diff}</td>'
        f"<td>{_e(w['grade'])} {_e(shown_grade(card))}</td></tr>"
    )
    return "<table>" + "".join(rows) + "</table>"


def _row(item: IndicatorScore, pad: str, t: Mapping[str, str]) -> str:
    top = fmt(item.max) if item.min == 0 else f"{fmt(item.min)}~{fmt(item.max)}"
    score = _s(item.score, item.range) if item.applicable else _e(t["na"])
    claimed = "" if item.claimed is None else fmt(item.claimed)
    diff = ""
    cls = "num"
    if item.claimed is not None and item.score is not None:
        diff = fmt(item.claimed - item.score)
        if item.claimed != item.score:
            cls = "num differs"
    return (
        f'<tr class="indicator" data-indicator="{_e(item.id)}"><td>{pad}{_e(item.name)}</td>'
        f'<td class="num">{top}</td><td class="num">{claimed}</td><td class="num">{score}</td>'
        f'<td class="{cls}">{diff}</td><td>{_e(reason(item, t["lang"]))}</td></tr>'
    )


def _official(card: Scorecard) -> str:
    """A project-layout scorecard's 项目支出绩效自评表 as the spreadsheet and Word document
    print it: the funds and 年度总体目标 bands, the header and the indicator rows, merged alike."""
    if card.rubric.layout != "project":
        return ""
    table = table_of(card)
    meta = "　".join(f"{_e(label)}：{_e(text)}" for label, text in table.meta)
    grid: list[tuple[str, tuple[Cell, ...]]] = [(r.kind, r.cells) for r in table.preamble]
    merges = list(table.preamble_merges)
    for offset, block, kind in (
        (len(grid), table.header_merges, "head"),
        (len(grid) + len(table.header), table.body_merges, ""),
    ):
        merges += [
            Merge(m.first_row + offset, m.first_col, m.last_row + offset, m.last_col) for m in block
        ]
        if kind == "head":
            grid += [("head", tuple(h)) for h in table.header]
        else:
            grid += [(r.kind, r.cells) for r in table.rows]
    anchors = {(m.first_row, m.first_col): m for m in merges}
    covered = {
        (r, c)
        for m in merges
        for r in range(m.first_row, m.last_row + 1)
        for c in range(m.first_col, m.last_col + 1)
        if (r, c) != (m.first_row, m.first_col)
    }
    rows = []
    for r, (kind, cells) in enumerate(grid):
        out = []
        for c, value in enumerate(cells):
            if (r, c) in covered:
                continue
            m = anchors.get((r, c))
            span = ""
            if m is not None:
                if m.last_row > m.first_row:
                    span += f' rowspan="{m.last_row - m.first_row + 1}"'
                if m.last_col > m.first_col:
                    span += f' colspan="{m.last_col - m.first_col + 1}"'
            tag = "th" if kind in ("head", "label") or (kind == "band" and c < 2) else "td"
            number = ' class="num"' if isinstance(value, Decimal) else ""
            out.append(f"<{tag}{span}{number}>{_e(_cell(value))}</{tag}>")
        rows.append(f'<tr class="{kind or "row"}">{"".join(out)}</tr>')
    return (
        f'<h2 id="sheet">{_e(table.title)}</h2><p class="meta">{meta}</p>'
        f'<table id="project-sheet" class="sheet">{"".join(rows)}</table>'
    )


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    return fmt(value) if isinstance(value, Decimal) else value


def _traces(card: Scorecard, w: Mapping[str, str]) -> str:
    out: list[str] = []
    for item in card.indicators:
        summary = (
            f"<summary>{_e(item.name)}（{_e(item.id)}）："
            f"{_s(item.score, item.range)} / {fmt(item.max)}"
            "</summary>"
        )
        if item.trace is None:
            out.append(f'<details>{summary}<p class="none">{_e(w["no_trace"])}</p></details>')
            continue
        body = []
        if item.criterion:
            body.append(f"<p>{_e(w['criterion'])}：{_e(item.criterion)}</p>")
        if item.trace.inputs:
            values = "".join(
                f"<li>{_e(label_of(k, card.labels, card.rubric.language))} <code>{_e(k)}</code> = "
                f"{_e(_value(v))}</li>"
                for k, v in item.trace.inputs.items()
            )
            body.append(f"<p>{_e(w['inputs'])}</p><ul>{values}</ul>")
        steps = "".join(
            f"<li>{_e(s.detail)} → <b>{fmt(s.value)}</b></li>" for s in item.trace.steps
        )
        body.append(f"<p>{_e(w['steps'])}</p><ol>{steps}</ol>")
        if item.basis is not None:
            body.append(f'<p class="legend">[{_e(item.basis.kind)}] {_e(item.basis.text)}</p>')
        out.append(f'<details data-indicator="{_e(item.id)}">{summary}{"".join(body)}</details>')
    return "".join(out)


def _value(value: object) -> str:
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, list):
        return f"[{len(value)}]"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
