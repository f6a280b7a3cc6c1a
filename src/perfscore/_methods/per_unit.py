"""The ``per_unit`` method: deduct points from max per unit of a measure (per percentage point
short, per late day), down to a floor."""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from perfscore._lang._bounds import (
    Span,
    add,
    div,
    largest,
    mul,
    neg,
    point,
    show,
    to_step,
)
from perfscore._lang._expr import Formula
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
    Template,
    floor_at,
    fraction,
    number,
    reads_of,
)
from perfscore._numbers import ZERO, format_decimal

__all__ = ["METHOD", "PerUnitNode"]


@dataclass(frozen=True, slots=True)
class PerUnitNode(Node):
    measure: Formula
    unit: Decimal
    points: Decimal
    partial: str
    floor: Decimal
    #: the rubric's words for a deduction; it may name `measure`, `units` and `deduction`
    reason: Template | None


def _compile(
    spec: Scored, ctx: CompileContext, path: Path, subject: str, top: Decimal | None
) -> PerUnitNode | None:
    p = spec.per_unit
    assert p is not None
    measure = ctx.formula(p.measure, (*path, "measure"), subject)
    reason = (
        ctx.template(p.reason, ["measure", "units", "deduction"], (*path, "reason"), subject)
        if p.reason
        else None
    )
    if top is not None and p.floor > top:
        ctx.add(
            "invalid-value",
            Message(
                "method-floor-above-max", floor=format_decimal(p.floor), max=format_decimal(top)
            ),
            (*path, "floor"),
            subject,
        )
    if measure is None:
        return None
    return PerUnitNode(
        (measure,),
        ("deduction", "floor"),
        reads_of([measure]),
        measure,
        p.unit,
        p.points,
        p.partial,
        p.floor,
        reason,
    )


def _run(node: PerUnitNode, env: Mapping[str, object], top: Decimal, rec: Recorder) -> Decimal:
    measure = number(node.measure, env)
    units = max(measure, ZERO) / node.unit
    if node.partial == "whole":
        units = units.to_integral_value(rounding=decimal.ROUND_FLOOR)
    elif node.partial == "started":
        units = units.to_integral_value(rounding=decimal.ROUND_CEILING)
    deduction = units * node.points
    value = top - deduction
    rec.step("start", top, "start_max", {"max": top})
    if deduction > 0:
        rec.fire("deduction")
        if rec.tracing:
            reason = node.reason
            own = {"measure": measure, "units": units, "deduction": deduction}
            args = {
                "measure": node.measure.source,
                "value": measure,
                "units": units,
                "unit": node.unit,
                "points": node.points,
                "deduction": deduction,
                "reason": reason,
                "values": reason.values({**env, **own}) if reason is not None else {},
            }
            rec.step("deduction", value, "per_unit", args, amount=deduction, rule="deduction")
    return floor_at(value, node.floor, rec)


def _analyse(spec: Scored, ctx: AnalysisContext, path: Path, subject: str, top: Span) -> Span:
    p = spec.per_unit
    assert p is not None
    measure = ctx.formula(p.measure, (*path, "measure"), subject)
    ctx.template(p.reason)
    unit = fraction(p.unit)
    if p.partial == "whole":
        never = measure.hi < unit or (measure.hi == unit and not measure.hi_closed)
        reach = Message("check-per-unit-never-unit", unit=show(unit))
    else:
        never = measure.hi <= 0
        reach = Message("check-per-unit-never-above")
    if never:
        ctx.add(
            "per-unit-never-deducts",
            Message(
                "check-per-unit-never", measure=p.measure.strip(), span=str(measure), reach=reach
            ),
            (*path, "measure"),
            subject,
            Message("check-per-unit-never-hint"),
        )
    units = div(largest([measure, point(Fraction(0))]), point(unit))
    if p.partial != "exact":
        units = to_step(units, Fraction(1))
    deduction = mul(units, point(fraction(p.points)))
    raw = add(top, neg(deduction))
    return largest([raw, point(fraction(p.floor))])


def _reach(node: PerUnitNode, reach: Reach, top: Decimal) -> Span:
    """max − units × points, floored; monotone in the measure, so both ends are reached."""
    measure = reach.number(node.measure)
    units = div(largest([measure, point(Fraction(0))]), point(fraction(node.unit)))
    if node.partial != "exact":
        units = to_step(units, Fraction(1))
    raw = add(point(fraction(top)), neg(mul(units, point(fraction(node.points)))))
    return largest([raw, point(fraction(node.floor))])


METHOD = Method("per_unit", _compile, _run, _analyse, _reach)
