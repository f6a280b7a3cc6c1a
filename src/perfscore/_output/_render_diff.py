"""`perfscore diff` as text, Markdown and JSON."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from perfscore._numbers import format_decimal
from perfscore._output._diffdata import Delta, RubricDiff, ScoreDiff
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


def side_by_side(old: str, new: str, *, indent: str = "    ") -> list[str]:
    """Two blocks of text in columns headed ``old`` and ``new``."""
    left, right = ["old", *old.splitlines()], ["new", *new.splitlines()]
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


def _delta_text(delta: Delta) -> str:
    if not delta.changed:
        return f"no change in {delta.compared} document{'s' * (delta.compared != 1)}"
    return (
        f"{delta.changed} of {delta.compared} documents change: min {_signed(delta.least)}, "
        f"median {_signed(delta.median)}, max {_signed(delta.most)}"
    )


def _who(document: str, subject: str | None) -> str:
    return f"{document} ({subject})" if subject else document


def render_text(rubric: RubricDiff, scores: ScoreDiff | None = None) -> str:
    """The diff as plain text."""
    count = len(rubric.changes)
    lines = [f"rules: {rubric.old} -> {rubric.new}: {count} change{'s' * (count != 1)}"]
    if rubric.old == rubric.new and count:
        lines.append(
            f"  note: both are {rubric.new}, yet the rules differ: publish the change under a "
            "new version, or a scorecard cannot say which rules produced it"
        )
    for c in rubric.changes:
        if (
            c.what == "rule"
            or c.what.startswith("method ")
            or "\n" in (c.old or "")
            or "\n" in (c.new or "")
        ):
            lines.append(f"  {c.subject}: {c.what}:")
            lines.extend(side_by_side(c.old or "—", c.new or "—"))
        elif c.what == "added":
            lines.append(f"  {c.subject}: added: {c.new}")
        elif c.what == "removed":
            lines.append(f"  {c.subject}: removed (was {c.old})")
        else:
            lines.append(f"  {c.subject}: {c.what}: {c.old or '—'} -> {c.new or '—'}")
    if scores is not None:
        lines.append(
            f"scores: {scores.documents} document{'s' * (scores.documents != 1)}, "
            f"{scores.compared} scored under both versions"
        )
        lines.append(f"  total: {_delta_text(scores.total)}")
        moved = [d for d in scores.indicators if d.changed]
        for d in moved:
            named = f" ({d.name})" if d.name else ""
            lines.append(f"  indicator {d.id!r}{named}: {_delta_text(d)}")
        still = len(scores.indicators) - len(moved)
        if still:
            lines.append(f"  {still} indicator{'s' * (still != 1)} unchanged")
        lines.append(f"grade changes: {len(scores.grades)}")
        lines.extend(
            f"  {_who(g.document, g.subject)}: {g.old} -> {g.new} "
            f"(total {format_decimal(g.old_total)} -> {format_decimal(g.new_total)})"
            for g in scores.grades
        )
        lines.append(f"rank changes: {len(scores.ranks)}")
        lines.extend(
            f"  {_who(r.document, r.subject)}: {r.old} -> {r.new} "
            f"(total {format_decimal(r.old_total)} -> {format_decimal(r.new_total)})"
            for r in scores.ranks
        )
        if scores.failures:
            lines.append(f"failures: {len(scores.failures)}")
            lines.extend(
                f"  {f.document}: {f.version}: {f.message} [{f.code}]" for f in scores.failures
            )
    return "\n".join(lines) + "\n"


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
            f"{scores.compared} scored under both versions.",
            "",
            "| indicator | changed | min | median | max |",
            "| --- | --- | --- | --- | --- |",
        ]
        for d in (scores.total, *scores.indicators):
            if d.changed or d is scores.total:
                label = "total" if d is scores.total else f"{d.id} ({d.name})"
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
