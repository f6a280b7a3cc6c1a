"""The ``tiers`` method: an assessor gives a qualitative level (an enum fact) and optionally a
score, which must lie in the level's range (percent of max); without one the level's default
applies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from perfscore._errors import Location, Problem, ScoringError, suggest
from perfscore._lang._bounds import Span, hull, meet, mul, point
from perfscore._load._model import Interval
from perfscore._messages import Message
from perfscore._methods._base import (
    AnalysisContext,
    CompileContext,
    FactValueError,
    Method,
    Node,
    Path,
    Reach,
    Recorder,
    Scored,
    figure,
    fraction,
    span_of,
)
from perfscore._numbers import format_decimal

__all__ = ["METHOD", "TierRow", "TiersNode"]


@dataclass(frozen=True, slots=True)
class TierRow:
    """One level: its range (percent of max), default percent and label."""

    range: Interval
    default: Decimal | None
    label: str | None


@dataclass(frozen=True, slots=True)
class TiersNode(Node):
    level: str
    score: str | None
    table: Mapping[str, TierRow]
    location: Location
    subject: str


def _compile(
    spec: Scored, ctx: CompileContext, path: Path, subject: str, top: Decimal | None
) -> TiersNode | None:
    t = spec.tiers
    assert t is not None
    level = ctx.specs.get(t.level)
    ok = True
    if level is None or level.type != "enum":
        ctx.add(
            "invalid-value",
            Message("method-tiers-level", name=t.level),
            (*path, "level"),
            subject,
            hint=suggest(t.level, list(ctx.specs)),
        )
        ok = False
    if t.score is not None:
        score_spec = ctx.specs.get(t.score)
        if score_spec is None or score_spec.type not in ("number", "integer", "percent"):
            ctx.add(
                "invalid-value",
                Message("method-tiers-score", name=t.score),
                (*path, "score"),
                subject,
                hint=suggest(t.score, list(ctx.specs)),
            )
            ok = False
    table: dict[str, TierRow] = {}
    for i, tier in enumerate(t.table):
        if tier.level in table:
            ctx.add(
                "duplicate-id",
                Message("method-tier-twice", level=tier.level),
                (*path, "table", i, "level"),
                subject,
            )
        if tier.default is not None and not tier.range.contains(tier.default):
            ctx.add(
                "invalid-value",
                Message(
                    "method-tier-default",
                    default=format_decimal(tier.default),
                    range=str(tier.range),
                ),
                (*path, "table", i, "default"),
                subject,
            )
        if (tier.range.low is not None and tier.range.low < 0) or (
            tier.range.high is not None and tier.range.high > 100
        ):
            ctx.add(
                "band-range",
                Message("method-tier-range", range=str(tier.range)),
                (*path, "table", i, "range"),
                subject,
            )
        table[tier.level] = TierRow(tier.range, tier.default, tier.label)
    if ok and level is not None and level.values is not None:
        missing = [v for v in level.values if v not in table]
        extra = [v for v in table if v not in level.values]
        if missing or extra:
            ctx.add(
                "invalid-value",
                Message(
                    "method-tiers-values",
                    name=t.level,
                    missing=_listed(missing),
                    unknown=_listed(extra),
                ),
                (*path, "table"),
                subject,
            )
            ok = False
    if not ok:
        return None
    reads = tuple(dict.fromkeys([t.level, *([t.score] if t.score else [])]))
    rules = tuple(f"tier:{name}" for name in table)
    return TiersNode((), rules, reads, t.level, t.score, table, ctx.locate(path[:-1]), subject)


def _scaled(interval: Interval, top: Decimal) -> Interval:
    """A tier's range (percent of max) in points."""
    return Interval(
        low=None if interval.low is None else top * interval.low / 100,
        low_inclusive=interval.low_inclusive,
        high=None if interval.high is None else top * interval.high / 100,
        high_inclusive=interval.high_inclusive,
    )


def _only(interval: Interval) -> Decimal | None:
    """The one score a range allows ([0, 0]), or None."""
    if interval.low is not None and interval.low == interval.high and interval.low_inclusive:
        return interval.low
    return None


def _tier_name(node: TiersNode, level: str) -> str:
    label = node.table[level].label
    return Message("method-tier-named", level=level, label=label) if label else repr(level)


def _terms(node: TiersNode, level: str, top: Decimal) -> str:
    """The allowed range as the rubric states it and in points: ``tier 'x' is [60, 80) % of the
    10 points, [6, 8)``."""
    interval = node.table[level].range
    return Message(
        "method-tier-terms",
        level=level,
        range=str(interval),
        top=figure(top),
        points=str(_scaled(interval, top)),
    )


def _mismatch_hint(node: TiersNode, level: str, assessed: Decimal, top: Decimal) -> str:
    fits = [name for name, row in node.table.items() if _scaled(row.range, top).contains(assessed)]
    only = _only(_scaled(node.table[level].range, top))
    fit = Message("method-tier-fit", level=fits[0], value=figure(assessed)) if fits else None
    if only is not None:
        # a single-score tier (未评定, [0, 0]): the level is what is wrong, not the score
        other = fit or Message("method-another-level")
        return Message("method-hint-tier-only", level=level, only=figure(only), other=other)
    head = _terms(node, level, top)
    other = fit or Message("method-another-level")
    return Message("method-hint-tier-score-or", terms=head, other=other)


def _missing_hint(node: TiersNode, level: str, top: Decimal) -> str:
    scaled = _scaled(node.table[level].range, top)
    others = [name for name in node.table if name != level]
    only = _only(scaled)
    if only is not None or node.score is None:
        # a score of 0 for a tier such as 未评定 would score the row 0 without any assessment
        allows = (
            Message("method-tier-allows-only", level=level, only=figure(only))
            if only is not None
            else None
        )
        choose = Message("method-hint-tier-choose", levels=", ".join(map(repr, others)))
        return (
            Message("method-hint-tier-allows", allows=allows, choose=choose) if allows else choose
        )
    terms = _terms(node, level, top)
    return Message("method-hint-tier-give-score", terms=terms, score=node.score)


def _run(node: TiersNode, env: Mapping[str, object], top: Decimal, rec: Recorder) -> Decimal:
    level = env.get(node.level)
    if not isinstance(level, str):
        raise ScoringError(
            Problem(
                "missing-value",
                Message("method-tier-no-level", name=node.level),
                node.location,
                node.subject,
                hint=Message("method-hint-give-one-of", values=", ".join(map(repr, node.table))),
            )
        )
    row = node.table[level]
    assessed = env[node.score] if node.score else None
    scaled = _scaled(row.range, top)
    if isinstance(assessed, Decimal):
        if not scaled.contains(assessed):
            assert node.score is not None
            raise FactValueError(
                Problem(
                    "tier-mismatch",
                    Message(
                        "method-tier-mismatch",
                        value=figure(assessed),
                        tier=_tier_name(node, level),
                        allows=str(scaled),
                    ),
                    node.location,
                    node.subject,
                    hint=_mismatch_hint(node, level, assessed, top),
                ),
                path=(node.score,),
            )
        value, how = assessed, "tier_assessed"
    elif row.default is not None:
        value, how = top * row.default / 100, "tier_default"
    else:
        raise FactValueError(
            Problem(
                "missing-fact",
                Message(
                    "method-tier-needs-score-in" if node.score else "method-tier-needs-score",
                    tier=_tier_name(node, level),
                    score=node.score,
                ),
                node.location,
                node.subject,
                hint=_missing_hint(node, level, top),
            ),
            path=(node.level,),
        )
    rule = f"tier:{level}"
    rec.fire(rule)
    args = {"tier": row.label or level, "range": scaled, "score": value, "percent": row.default}
    rec.step("tier", value, how, args, rule=rule)
    return value


def _analyse(spec: Scored, ctx: AnalysisContext, path: Path, subject: str, top: Span) -> Span:
    t = spec.tiers
    assert t is not None
    ctx.reads.update([t.level, *([t.score] if t.score else [])])
    raw = point(Fraction(0))
    for tier in t.table:
        low = fraction(tier.range.low) if tier.range.low is not None else Fraction(0)
        high = fraction(tier.range.high) if tier.range.high is not None else Fraction(100)
        raw = hull(raw, mul(top, Span(low / 100, high / 100, True, True)))
    return raw


def _reach(node: TiersNode, reach: Reach, top: Decimal) -> Span:
    """The scores of the tiers the level can be: an assessed score within its tier's range (its
    own bounds when unknown), or the tier's default."""
    level = reach.env.get(node.level)
    levels = [level] if isinstance(level, str) else list(node.table)
    scores: Span | None = None
    for name in levels:
        row = node.table[name]
        allowed = span_of(_scaled(row.range, top))
        assessed = reach.env.get(node.score) if node.score else None
        if isinstance(assessed, Decimal):
            found: Span | None = point(fraction(assessed))
        elif node.score is not None and node.score in reach.unknown:
            found = meet(allowed, reach.scope.numbers.get(node.score, Span()))
            found = None if found.continuous_empty else found
        elif row.default is not None:
            found = point(fraction(top * row.default / 100))
        else:
            found = None  # scoring stops for this level: no score is reached
        if found is not None:
            scores = found if scores is None else hull(scores, found)
    return scores if scores is not None else Span()


METHOD = Method("tiers", _compile, _run, _analyse, _reach)


def _listed(values: list[str]) -> str:
    """Values for a message, each quoted: ``'达成', '未达成'``, or ``—`` for none."""
    return ", ".join(repr(v) for v in values) or "—"
