"""The ``checklist`` method: start at max and deduct each item whose condition holds, no lower
than a floor (扣完为止)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from perfscore._errors import Location, Problem, ScoringError
from perfscore._lang._bounds import (
    INF,
    Analysis,
    Span,
    add,
    hull,
    largest,
    names_read,
    neg,
    point,
    show,
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
    figure,
    floor_at,
    fraction,
    number,
    reads_of,
)
from perfscore._numbers import ZERO

__all__ = ["METHOD", "ChecklistItem", "ChecklistNode"]


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One deduction: `points` off when `when` holds, in the rubric's words `reason`."""

    id: str
    when: Formula
    points: Formula
    reason: Template


@dataclass(frozen=True, slots=True)
class ChecklistNode(Node):
    items: tuple[ChecklistItem, ...]
    floor: Decimal
    location: Location
    subject: str


def _compile(
    spec: Scored, ctx: CompileContext, path: Path, subject: str, top: Decimal | None
) -> ChecklistNode | None:
    checklist = spec.checklist
    assert checklist is not None
    items = []
    item_ids: set[str] = set()
    for i, item in enumerate(checklist.items):
        ipath = (*path, "items", i)
        isub = Message("subject-and-item", subject=subject, id=item.id)
        if item.id in item_ids:
            message = Message("method-item-twice", id=item.id)
            ctx.add("duplicate-id", message, (*ipath, "id"), isub)
        item_ids.add(item.id)
        when = ctx.formula(item.when, (*ipath, "when"), isub, expect="bool")
        points = ctx.formula(item.points, (*ipath, "points"), isub)
        reason = ctx.template(item.reason, [], (*ipath, "reason"), isub)
        if when is not None and points is not None:
            items.append(ChecklistItem(item.id, when, points, reason))
    if top is not None and checklist.floor > top:
        ctx.add("invalid-value", Message("method-checklist-floor"), (*path, "floor"), subject)
    if len(items) != len(checklist.items):
        return None
    # with constant points that cannot add up past the floor, the floor is no rule to test
    constants = [item.points.constant for item in items]
    reachable = (
        top is None
        or any(v is None for v in constants)
        or (sum((v for v in constants if v is not None), ZERO) > top - checklist.floor)
    )
    formulas = tuple(f for item in items for f in (item.when, item.points))
    rules = (*(f"item:{item.id}" for item in items), *(("floor",) if reachable else ()))
    return ChecklistNode(
        formulas,
        rules,
        reads_of(formulas),
        tuple(items),
        checklist.floor,
        ctx.locate(path[:-1]),
        subject,
    )


def _run(node: ChecklistNode, env: Mapping[str, object], top: Decimal, rec: Recorder) -> Decimal:
    value = top
    rec.step("start", top, "start_max", {"max": top})
    for item in node.items:
        if item.when.run(env) is not True:
            continue
        amount = number(item.points, env)
        if amount < 0:
            raise ScoringError(
                Problem(
                    "invalid-operation",
                    Message("method-item-negative", id=item.id, amount=figure(amount)),
                    node.location,
                    node.subject,
                    details=((Message("method-detail-points"), item.points.source),),
                )
            )
        rule = f"item:{item.id}"
        rec.fire(rule)
        value -= amount
        if rec.tracing:
            args = {"template": item.reason, "values": item.reason.values(env)}
            rec.step("deduction", value, "template", args, amount=amount, rule=rule)
    return floor_at(value, node.floor, rec)


def _analyse(spec: Scored, ctx: AnalysisContext, path: Path, subject: str, top: Span) -> Span:
    c = spec.checklist
    assert c is not None
    total = point(Fraction(0))
    for i, item in enumerate(c.items):
        ipath = (*path, "items", i)
        isub = f"{subject}, item {item.id!r}"
        when = Analysis(item.when)
        holds = when.truth(when.tree, ctx.scope)
        ctx.hazards(when, (*ipath, "when"), isub)
        names = names_read(when.tree)
        ctx.reads.update(names)
        if holds is False:
            spans = [f"{n} lies in {ctx.scope.numbers[n]}" for n in names if n in ctx.scope.numbers]
            why = f" ({'; '.join(spans)})" if spans else ""
            ctx.add(
                "never-applies",
                f"'{when.source}' can never be true{why}, so the item never deducts",
                (*ipath, "when"),
                isub,
            )
        scope = when.assume(when.tree, ctx.scope, holds=True)
        points = ctx.formula(item.points, (*ipath, "points"), isub, scope)
        ctx.template(item.reason)
        if holds is not False:
            amount = largest([points, point(Fraction(0))])
            total = add(total, amount if holds else hull(point(Fraction(0)), amount))
    floor = fraction(c.floor)
    if total.hi > top.hi - floor:
        most = (
            Message("check-unbounded")
            if total.hi == INF
            else Message("check-up-to", amount=show(total.hi))
        )
        if top.is_point:
            room = Message(
                "check-room", points=show(top.hi - floor), max=show(top.hi), floor=show(floor)
            )
        else:  # a records rule: its max is the record's points, full
            room = Message("check-room-record", max=show(top.hi), floor=show(floor))
        ctx.add(
            "checklist-exceeds-max",
            Message("check-exceeds-max", most=most, room=room),
            path,
            subject,
            key=True,
        )
    return largest([add(top, neg(total)), point(floor)])


def _reach(node: ChecklistNode, reach: Reach, top: Decimal) -> Span:
    """max − the items that may apply, floored: an item that surely applies always deducts,
    one that may apply deducts or not; items of distinct unknowns reach both ends."""
    total = point(Fraction(0))
    for item in node.items:
        holds = reach.truth(item.when)
        if holds is False:
            continue
        scope = reach.assume(item.when, holds=True)
        amount = largest([reach.number(item.points, scope), point(Fraction(0))])
        total = add(total, amount if holds else hull(point(Fraction(0)), amount))
    return largest([add(point(fraction(top)), neg(total)), point(fraction(node.floor))])


METHOD = Method("checklist", _compile, _run, _analyse, _reach)
