"""`perfscore diff` as text, Markdown and JSON."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from perfscore._messages import in_language, say
from perfscore._numbers import format_decimal
from perfscore._output._diffdata import Change, Delta, RubricDiff, ScoreDiff
from perfscore._output._scorecard import dump_json
from perfscore._output._text import escape_cell, width

__all__ = ["render_json", "render_markdown", "render_text", "side_by_side"]


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = format_decimal(value)
    return text if text.startswith("-") or text == "0" else "+" + text


#: wider than this (both columns), `side_by_side` stacks the blocks instead
STACK_WIDTH = 96


def side_by_side(old: str, new: str, *, indent: str = "    ", language: str = "en") -> list[str]:
    """Two blocks of text in columns headed ``old`` and ``new`` (in `language`)."""
    left = [say(language, "diff-column-old"), *old.splitlines()]
    right = [say(language, "diff-column-new"), *new.splitlines()]
    column = max(width(line) for line in left)
    if column + max(width(line) for line in right) > STACK_WIDTH:
        # too wide for two columns on a terminal: one block above the other
        return [f"{indent}{line}".rstrip() for line in [*left, *right]]
    rows = []
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        rows.append(f"{indent}{a}{' ' * (column - width(a))} | {b}".rstrip())
    return rows


def _count(language: str, key: str, count: int, **values: object) -> str:
    """`key`-one or `key`-many, as `count` asks."""
    return say(language, f"{key}-{'one' if count == 1 else 'many'}", count=count, **values)


def _delta_text(delta: Delta, language: str = "en") -> str:
    if not delta.changed:
        return _count(language, "diff-no-change", delta.compared)
    return say(
        language,
        "diff-delta",
        changed=delta.changed,
        compared=delta.compared,
        least=_signed(delta.least),
        median=_signed(delta.median),
        most=_signed(delta.most),
    )


def _who(document: str, subject: str | None, language: str = "en") -> str:
    if not subject:
        return document
    return say(language, "diff-who", document=document, subject=subject)


def _subject(change: Change, language: str) -> str:
    """``indicator 'sat' (满意度)``, ``fact 'budget'``, ``total``, in `language`."""
    area = say(language, f"diff-area-{change.area}") if change.area in _AREAS else change.area
    if not change.id:
        return area
    named = say(language, "diff-named", name=change.name) if change.name else ""
    return say(language, "diff-subject", area=area, id=change.id, named=named)


_AREAS = frozenset(
    ("rubric", "constant", "fact", "derived", "group", "indicator", "total", "grade", "check")
)


def render_text(
    rubric: RubricDiff, scores: ScoreDiff | None = None, *, language: str = "en"
) -> str:
    """The diff as plain text, in `language` (the rules' ids, keys and values as they are)."""
    count = len(rubric.changes)
    lines = [_count(language, "diff-rules", count, old=rubric.old, new=rubric.new)]
    if rubric.old == rubric.new and count:
        lines.append(say(language, "diff-same-version", new=rubric.new))
    for c in rubric.changes:
        subject = _subject(c, language)
        if (
            c.what == "rule"
            or c.what.startswith("method ")
            or "\n" in (c.old or "")
            or "\n" in (c.new or "")
        ):
            lines.append(say(language, "diff-change-block", subject=subject, what=c.what))
            lines.extend(side_by_side(c.old or "—", c.new or "—", language=language))
        elif c.what == "added":
            lines.append(say(language, "diff-change-added", subject=subject, new=c.new))
        elif c.what == "removed":
            lines.append(say(language, "diff-change-removed", subject=subject, old=c.old))
        else:
            lines.append(
                say(
                    language,
                    "diff-change",
                    subject=subject,
                    what=c.what,
                    old=c.old or "—",
                    new=c.new or "—",
                )
            )
    if scores is not None:
        lines.append(_count(language, "diff-scores", scores.documents, compared=scores.compared))
        lines.append(say(language, "diff-total", delta=_delta_text(scores.total, language)))
        if scores.ranged:
            lines.append(_count(language, "diff-ranged", scores.ranged))
        moved = [d for d in scores.indicators if d.changed]
        for d in moved:
            named = say(language, "diff-named", name=d.name) if d.name else ""
            if d.status != "both":
                named += say(language, f"diff-indicator-{d.status}")
            lines.append(
                say(
                    language,
                    "diff-indicator",
                    id=d.id,
                    named=named,
                    delta=_delta_text(d, language),
                )
            )
        still = len(scores.indicators) - len(moved)
        if still:
            lines.append(_count(language, "diff-unchanged", still))
        lines.append(say(language, "diff-grade-changes", count=len(scores.grades)))
        lines.extend(
            say(
                language,
                "diff-moved",
                who=_who(g.document, g.subject, language),
                old=g.old,
                new=g.new,
                old_total=format_decimal(g.old_total),
                new_total=format_decimal(g.new_total),
            )
            for g in scores.grades
        )
        lines.append(say(language, "diff-rank-changes", count=len(scores.ranks)))
        lines.extend(
            say(
                language,
                "diff-moved",
                who=_who(r.document, r.subject, language),
                old=r.old,
                new=r.new,
                old_total=format_decimal(r.old_total),
                new_total=format_decimal(r.new_total),
            )
            for r in scores.ranks
        )
        if scores.failures:
            lines.append(say(language, "diff-failures", count=len(scores.failures)))
            lines.extend(
                say(
                    language,
                    "diff-failure",
                    document=f.document,
                    version=say(language, f"diff-version-{f.version}")
                    if f.version in _VERSIONS
                    else f.version,
                    message=in_language(f.message, language),
                    code=f.code,
                )
                for f in scores.failures
            )
    return "\n".join(lines) + "\n"


_VERSIONS = frozenset(("old", "new", "both", "neither"))


def _cell(text: str | None) -> str:
    if text is None:
        return "—"
    return "<br>".join(
        f"`{line}`" if line.strip() else "" for line in escape_cell(text).splitlines()
    )


def render_markdown(rubric: RubricDiff, scores: ScoreDiff | None = None) -> str:
    """The diff as Markdown, for a review document."""
    lines = [f"# Rubric diff: {rubric.old} → {rubric.new}", "", "## Rules", ""]
    if rubric.changes:
        lines += ["| what | change | old | new |", "| --- | --- | --- | --- |"]
        lines.extend(
            f"| {c.subject} | {c.what} | {_cell(c.old)} | {_cell(c.new)} |" for c in rubric.changes
        )
    else:
        lines.append("No change in the rules.")
    if scores is not None:
        lines += [
            "",
            "## Scores",
            "",
            f"{scores.documents} document{'s' * (scores.documents != 1)}, "
            f"{scores.compared} scored under both versions."
            + (
                f" {scores.ranged} of them with unknown values: a total that is a range is not"
                " compared, nor its grade or rank (its exact indicators are)."
                if scores.ranged
                else ""
            ),
            "",
            "| indicator | changed | min | median | max |",
            "| --- | --- | --- | --- | --- |",
        ]
        for d in (scores.total, *scores.indicators):
            if d.changed or d is scores.total:
                label = "total" if d is scores.total else f"{d.id} ({d.name})"
                if d is not scores.total and d.status != "both":
                    label += f", {d.status}"
                lines.append(
                    f"| {label} | {d.changed} of {d.compared} | {_signed(d.least)} | "
                    f"{_signed(d.median)} | {_signed(d.most)} |"
                )
        lines += ["", "## Grade changes", ""]
        if scores.grades:
            lines += [
                "| document | subject | old | new | total |",
                "| --- | --- | --- | --- | --- |",
            ]
            lines.extend(
                f"| {g.document} | {g.subject or ''} | {g.old} | {g.new} | "
                f"{format_decimal(g.old_total)} → {format_decimal(g.new_total)} |"
                for g in scores.grades
            )
        else:
            lines.append("None.")
        lines += ["", "## Rank changes", ""]
        if scores.ranks:
            lines += ["| document | subject | old | new |", "| --- | --- | --- | --- |"]
            lines.extend(
                f"| {r.document} | {r.subject or ''} | {r.old} | {r.new} |" for r in scores.ranks
            )
        else:
            lines.append("None.")
        if scores.failures:
            lines += ["", "## Failures", "", "| document | version | code | message |"]
            lines.append("| --- | --- | --- | --- |")
            lines.extend(
                f"| {f.document} | {f.version} | {f.code} | {f.message} |" for f in scores.failures
            )
    return "\n".join(lines) + "\n"


def render_json(rubric: RubricDiff, scores: ScoreDiff | None = None) -> str:
    """The diff as JSON: ``{"rules": {...}, "scores": {...} | null}``."""
    data = {
        "rules": asdict(rubric),
        "scores": None if scores is None else {**asdict(scores), "changed": scores.changed},
    }
    return dump_json(data) + "\n"
