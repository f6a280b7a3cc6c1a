"""The ``bands`` method: the first row whose range holds the measure gives the score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from perfscore._errors import Location, Problem, ScoringError
from perfscore._lang._bounds import FULL, Analysis, Span, hull, meet, minus, names_read, show
from perfscore._lang._expr import Formula
from perfscore._load._model import Interval
from perfscore._messages import Message
from perfscore._methods._base import (
    AnalysisContext,
    CompileContext,
    Method,
    Node,
    Path,
    Reach,
    Recorder,
    Scored,
    figure,
    number,
    reads_of,
    span_of,
)

__all__ = ["METHOD", "Band", "BandsNode"]


@dataclass(frozen=True, slots=True)
class Band:
    """One row: the score when the measure lies in `range`."""

    range: Interval
    score: Formula
    label: str | None


@dataclass(frozen=True, slots=True)
class BandsNode(Node):
    measure: Formula
    table: tuple[Band, ...]
    otherwise: Formula | None
    location: Location
    subject: str


def _compile(
    spec: Scored, ctx: CompileContext, path: Path, subject: str, top: Decimal | None
) -> BandsNode | None:
    b = spec.bands
    assert b is not None
    measure = ctx.formula(b.measure, (*path, "measure"), subject)
    table = []
    for i, band in enumerate(b.table):
        score = ctx.formula(band.score, (*path, "table", i, "score"), subject)
        if score is not None:
            table.append(Band(band.range, score, band.label))
    otherwise = (
        ctx.formula(b.otherwise, (*path, "otherwise"), subject) if b.otherwise is not None else None
    )
    if measure is None or len(table) != len(b.table):
        return None
    formulas = (measure, *(band.score for band in table))
    rules = tuple(f"band[{i}]" for i in range(len(table)))
    if otherwise is not None:
        formulas = (*formulas, otherwise)
        rules = (*rules, "otherwise")
    return BandsNode(
        formulas,
        rules,
        reads_of(formulas),
        measure,
        tuple(table),
        otherwise,
        ctx.locate(path[:-1]),
        subject,
    )


def _run(node: BandsNode, env: Mapping[str, object], top: Decimal, rec: Recorder) -> Decimal:
    measure = number(node.measure, env)
    for i, band in enumerate(node.table):
        if band.range.contains(measure):
            value = number(band.score, env)
            rule = f"band[{i}]"
            rec.fire(rule)
            if band.label:
                args = {"label": band.label, "value": measure, "score": value}
                rec.step("band", value, "band_label", args, rule=rule)
            else:
                args = {
                    "measure": node.measure.source,
                    "value": measure,
                    "range": band.range,
                    "label": "",
                    "score": value,
                }
                rec.step("band", value, "band", args, rule=rule)
            return value
    if node.otherwise is None:
        raise ScoringError(
            Problem(
                "no-band",
                Message("method-no-band", measure=node.measure.source, value=figure(measure)),
                node.location,
                node.subject,
                hint=Message("method-hint-no-band"),
            )
        )
    value = number(node.otherwise, env)
    rec.fire("otherwise")
    args = {"measure": node.measure.source, "value": measure, "score": value}
    rec.step("band", value, "no_band", args, rule="otherwise")
    return value


# --- analysis ----------------------------------------------------------------------------------


def _cut(pieces: Sequence[Span], cutters: Sequence[Span]) -> list[Span]:
    """The parts of `pieces` outside every cutter."""
    out = list(pieces)
    for cutter in cutters:
        out = [part for piece in out for part in minus(piece, cutter)]
    return out


def _live(pieces: Sequence[Span], step: Fraction | None) -> list[Span]:
    """Each piece narrowed to the measure's lattice; pieces holding no value dropped."""
    out = []
    for piece in pieces:
        tight = replace(piece, step=step).tight()
        if tight is not None:
            out.append(tight)
    return out


def _between(gap: Span, rows: Sequence[Span]) -> bool:
    """Whether a gap lies between two bands: one band's range ends at or below it, another's
    starts at or above it."""
    return any(r.hi <= gap.lo for r in rows) and any(r.lo >= gap.hi for r in rows)


def _is_one(pieces: Sequence[Span]) -> bool:
    return len(pieces) == 1 and pieces[0].is_point


def _describe(pieces: Sequence[Span]) -> str:
    """``values in [85, 90)``, ``the value 3``, ``the values 1 and 4``, ``values in {1} and
    [4, 5]``."""
    if all(p.is_point for p in pieces):
        shown = _said_list([show(p.lo) for p in pieces])
        return Message(f"check-band-value-{'many' if len(pieces) > 1 else 'one'}", values=shown)
    return Message(
        "check-band-values-in",
        values=_said_list(["{" + show(p.lo) + "}" if p.is_point else str(p) for p in pieces]),
    )


def _bands(indexes: Sequence[int]) -> str:
    return _said_list([f"band[{j}]" for j in indexes])


def _said_list(parts: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (``a、b 和 c``), said in the language of the finding."""
    if len(parts) == 1:
        return parts[0]
    head = parts[0]
    for part in parts[1:-1]:
        head = Message("check-comma", first=head, rest=part)
    return Message("check-and", first=head, last=parts[-1])


def _analyse(spec: Scored, ctx: AnalysisContext, path: Path, subject: str, top: Span) -> Span:
    b = spec.bands
    assert b is not None
    analysis = Analysis(b.measure)
    measure = analysis.number(analysis.tree, ctx.scope) or FULL
    ctx.hazards(analysis, (*path, "measure"), subject)
    ctx.reads.update(names_read(analysis.tree))
    whole = measure.tight() or measure
    rows = [span_of(band.range) for band in b.table]
    scores: Span | None = None
    taken: list[list[Span]] = []  # the values each row actually scores
    measure_text = Message("check-band-measure", source=analysis.source, whole=str(whole))
    for i, (band, row) in enumerate(zip(b.table, rows, strict=True)):
        rpath = (*path, "table", i, "range")
        mine = _cut([row], rows[:i])
        live = _live([meet(p, whole) for p in mine], whole.step)
        taken.append(live)
        earlier = [j for j in range(i) if not meet(row, rows[j]).continuous_empty]
        if not mine:
            ctx.add(
                "band-shadowed",
                Message(
                    f"check-band-shadowed-{'one' if len(earlier) == 1 else 'many'}",
                    band=f"band[{i}] {row}",
                    earlier=_bands(earlier),
                ),
                rpath,
                subject,
                Message("check-band-shadowed-hint"),
            )
        elif not live:
            inside = _live([meet(row, whole)], whole.step)
            if not inside:
                message = Message(
                    "check-band-never-measure", band=f"band[{i}] {row}", measure=measure_text
                )
            else:
                message = Message(
                    f"check-band-never-taken-{'one' if len(earlier) == 1 else 'many'}",
                    band=f"band[{i}] {row}",
                    whole=str(whole),
                    earlier=_bands(earlier),
                )
            ctx.add("band-unreachable", message, rpath, subject)
        else:
            for j in earlier:
                shared = _live([meet(p, row) for p in taken[j]], whole.step)
                if shared:
                    ctx.add(
                        "band-overlap",
                        Message(
                            "check-band-overlap",
                            band=f"band[{i}] {row}",
                            other=f"band[{j}] {rows[j]}",
                            shared=_describe(shared),
                            winner=f"band[{j}]",
                        ),
                        rpath,
                        subject,
                        Message("check-band-overlap-hint"),
                    )
        scope = ctx.scope.restrict(analysis.tree, row)
        score = ctx.formula(band.score, (*path, "table", i, "score"), subject, scope)
        if live and (score.lo > top.hi or (score.lo == top.hi and not score.lo_closed)):
            # every score the band gives is clamped to the max: a percent for points, say
            most = show(top.hi)
            ctx.add(
                "band-above-max",
                Message(
                    "check-band-above-max",
                    band=f"band[{i}]",
                    score=show(score.lo) if score.is_point else str(score),
                    max=most,
                ),
                (*path, "table", i, "score"),
                subject,
                Message("check-band-above-max-hint", max=most),
            )
        if live:
            scores = score if scores is None else hull(scores, score)
    gaps = _live(_cut([whole], rows), whole.step)
    if b.otherwise is None:
        if gaps:
            ctx.add(
                "band-gap",
                Message(
                    f"check-band-gap-{'one' if _is_one(gaps) else 'many'}",
                    values=_describe(gaps),
                ),
                (*path, "table"),
                subject,
                Message("check-band-gap-hint", measure=measure_text),
                key=True,
            )
    else:
        otherwise = ctx.formula(b.otherwise, (*path, "otherwise"), subject)
        between = [g for g in gaps if _between(g, rows)]
        if between:  # 'otherwise' catches the ends; a hole between two bands is a slip
            ctx.add(
                "band-gap",
                Message(
                    f"check-band-gap-between-{'one' if _is_one(between) else 'many'}",
                    values=_describe(between),
                ),
                (*path, "table"),
                subject,
                Message("check-band-gap-between-hint"),
                key=True,
            )
        if gaps:
            scores = otherwise if scores is None else hull(scores, otherwise)
        else:
            ctx.add(
                "otherwise-unreachable",
                Message("check-otherwise-unreachable", source=analysis.source, whole=str(whole)),
                (*path, "otherwise"),
                subject,
            )
    return scores if scores is not None else FULL


def _reach(node: BandsNode, reach: Reach, top: Decimal) -> Span:
    """The hull of the scores of the bands the measure can fall in (the first matching band
    wins); with constant band scores and a measure of one unknown fact, both ends are reached."""
    measure = reach.number(node.measure)
    whole = measure.tight() or measure
    rows = [span_of(band.range) for band in node.table]
    scores: Span | None = None
    for i, (band, row) in enumerate(zip(node.table, rows, strict=True)):
        live = _live([meet(p, whole) for p in _cut([row], rows[:i])], whole.step)
        if live:
            score = reach.number(band.score)
            scores = score if scores is None else hull(scores, score)
    if node.otherwise is not None and _live(_cut([whole], rows), whole.step):
        otherwise = reach.number(node.otherwise)
        scores = otherwise if scores is None else hull(scores, otherwise)
    return scores if scores is not None else FULL


METHOD = Method("bands", _compile, _run, _analyse, _reach)
