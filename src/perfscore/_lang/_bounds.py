"""Interval analysis of formulas: the values a formula can take, given the facts' declared bounds.

`perfscore check` uses it to find band gaps and overlaps, divisions by a value that may be zero,
deductions that can never apply and grades no total reaches. The analysis over-approximates:
every value a formula can compute lies in its `Span`, though a span may hold values no facts
produce (``x - x`` spans more than 0). Bounds are exact `Fraction`s; infinite ends are
``math.inf`` and always open. A span may also know that its values are multiples of a `step`
(integer facts, ``round(x, 0.5)``), so that gaps between integers are not reported.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from fractions import Fraction

from perfscore._numbers import format_decimal

__all__ = [
    "FULL",
    "INF",
    "Analysis",
    "Hazard",
    "ListInfo",
    "Scope",
    "Span",
    "names_read",
    "point",
]

INF = math.inf
#: An end of a span: a Fraction, or -INF / INF.
Ext = Fraction | float
_ZERO = Fraction(0)


# --- spans -------------------------------------------------------------------------------------


def _gcd(a: Fraction | None, b: Fraction | None) -> Fraction | None:
    """The largest step both lattices are multiples of (None: any real)."""
    if a is None or b is None:
        return None
    if a == 0:
        return b
    if b == 0:
        return a
    return Fraction(math.gcd(a.numerator * b.denominator, b.numerator * a.denominator)) / (
        a.denominator * b.denominator
    )


@dataclass(frozen=True)
class Span:
    """An interval of the reals with open or closed ends; with `step`, only its multiples.

    ``step`` None means any real; ``Fraction(0)`` means the value is exactly 0.
    """

    lo: Ext = -INF
    hi: Ext = INF
    lo_closed: bool = False
    hi_closed: bool = False
    step: Fraction | None = None

    def __post_init__(self) -> None:
        if self.lo in (-INF, INF):
            object.__setattr__(self, "lo_closed", False)
        if self.hi in (-INF, INF):
            object.__setattr__(self, "hi_closed", False)

    @property
    def continuous_empty(self) -> bool:
        """True when no real lies in the interval (the step ignored)."""
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed))

    @property
    def empty(self) -> bool:
        """True when no value (on the step's lattice) lies in the span."""
        return self.continuous_empty or self.tight() is None

    def tight(self) -> Span | None:
        """The span narrowed to its first and last lattice point; None when it holds none."""
        if self.continuous_empty:
            return None
        if self.step is None:
            return self
        if self.step == 0:
            return point(_ZERO) if self.contains_real(_ZERO) else None
        lo, hi = self.lo, self.hi
        if isinstance(lo, Fraction):
            k = math.ceil(lo / self.step)
            if k * self.step == lo and not self.lo_closed:
                k += 1
            lo = k * self.step
        if isinstance(hi, Fraction):
            k = math.floor(hi / self.step)
            if k * self.step == hi and not self.hi_closed:
                k -= 1
            hi = k * self.step
        tight = Span(lo, hi, True, True, self.step)
        return None if tight.continuous_empty else tight

    def contains_real(self, value: Fraction) -> bool:
        """True when `value` lies in the interval (the step ignored)."""
        above = value > self.lo or (value == self.lo and self.lo_closed)
        below = value < self.hi or (value == self.hi and self.hi_closed)
        return above and below

    def contains(self, value: Fraction) -> bool:
        """True when `value` is one of the span's values."""
        if not self.contains_real(value):
            return False
        if self.step is None:
            return True
        if self.step == 0:
            return value == 0
        return (value / self.step).denominator == 1

    @property
    def is_point(self) -> bool:
        """True when the span holds exactly one value."""
        return self.lo == self.hi and self.lo_closed and self.hi_closed

    def __str__(self) -> str:
        opening = "[" if self.lo_closed else "("
        closing = "]" if self.hi_closed else ")"
        return f"{opening}{show(self.lo)}, {show(self.hi)}{closing}"


FULL = Span()


def point(value: Fraction) -> Span:
    """The span holding only `value`."""
    return Span(value, value, True, True, abs(value))


def show(value: Ext) -> str:
    """Exact decimal text of a bound (``≈`` and 4 places for a repeating one), or ``inf``."""
    if not isinstance(value, Fraction):
        return "inf" if value > 0 else "-inf"
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        if den == 1:
            return format_decimal(exact)
        return "≈" + format_decimal(exact.quantize(Decimal("0.0001")))


def _lower(candidates: Sequence[tuple[Ext, bool]]) -> tuple[Ext, bool]:
    low = min(v for v, _ in candidates)
    return low, any(c for v, c in candidates if v == low)


def _upper(candidates: Sequence[tuple[Ext, bool]]) -> tuple[Ext, bool]:
    high = max(v for v, _ in candidates)
    return high, any(c for v, c in candidates if v == high)


def hull(a: Span, b: Span) -> Span:
    """The smallest span holding both (an empty one contributes nothing)."""
    if a.continuous_empty:
        return b
    if b.continuous_empty:
        return a
    lo, lo_closed = _lower([(a.lo, a.lo_closed), (b.lo, b.lo_closed)])
    hi, hi_closed = _upper([(a.hi, a.hi_closed), (b.hi, b.hi_closed)])
    return Span(lo, hi, lo_closed, hi_closed, _gcd(a.step, b.step))


def meet(a: Span, b: Span) -> Span:
    """The intersection; keeps `a`'s step (or `b`'s when `a` has none)."""
    lo, lo_closed = max((a.lo, a.lo_closed), (b.lo, b.lo_closed), key=lambda e: e[0])
    if a.lo == b.lo:
        lo_closed = a.lo_closed and b.lo_closed
    hi, hi_closed = min((a.hi, a.hi_closed), (b.hi, b.hi_closed), key=lambda e: e[0])
    if a.hi == b.hi:
        hi_closed = a.hi_closed and b.hi_closed
    return Span(lo, hi, lo_closed, hi_closed, a.step if a.step is not None else b.step)


def minus(a: Span, b: Span) -> list[Span]:
    """The parts of `a` outside `b` (zero, one or two spans)."""
    left = meet(a, Span(-INF, b.lo, False, not b.lo_closed))
    right = meet(a, Span(b.hi, INF, not b.hi_closed, False))
    return [s for s in (left, right) if not s.continuous_empty]


def _add(a: Ext, b: Ext) -> Ext:
    if not isinstance(a, Fraction):
        return a
    if not isinstance(b, Fraction):
        return b
    return a + b


def _mul(a: Ext, b: Ext) -> Ext:
    if a == 0 or b == 0:
        return _ZERO  # 0 times an unbounded end: the end is never reached, 0 is
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a * b
    return INF if (a > 0) == (b > 0) else -INF


def add(a: Span, b: Span) -> Span:
    """a + b."""
    return Span(
        _add(a.lo, b.lo),
        _add(a.hi, b.hi),
        a.lo_closed and b.lo_closed,
        a.hi_closed and b.hi_closed,
        _gcd(a.step, b.step),
    )


def neg(a: Span) -> Span:
    """-a."""
    return Span(-a.hi, -a.lo, a.hi_closed, a.lo_closed, a.step)


def mul(a: Span, b: Span) -> Span:
    """a * b."""
    corners = []
    for x, xc in ((a.lo, a.lo_closed), (a.hi, a.hi_closed)):
        for y, yc in ((b.lo, b.lo_closed), (b.hi, b.hi_closed)):
            closed = (xc and yc) or (x == 0 and xc) or (y == 0 and yc)
            corners.append((_mul(x, y), closed))
    lo, lo_closed = _lower(corners)
    hi, hi_closed = _upper(corners)
    step = a.step * b.step if a.step is not None and b.step is not None else None
    return Span(lo, hi, lo_closed, hi_closed, step)


def _recip(value: Ext) -> Ext:
    if not isinstance(value, Fraction):
        return _ZERO
    return 1 / value


def div(a: Span, b: Span) -> Span:
    """a / b over the values of b other than 0 (a zero divisor stops scoring)."""
    if b.is_point and b.lo != 0:
        assert isinstance(b.lo, Fraction)
        step = a.step / abs(b.lo) if a.step is not None else None
        return replace(mul(a, point(1 / b.lo)), step=step)
    if b.lo < 0 < b.hi or (b.lo == 0 and b.hi == 0):
        return FULL
    if b.lo >= 0:  # positive divisors, perhaps down to 0 (excluded)
        inverse = Span(_recip(b.hi), INF, b.hi_closed and b.hi != INF, False)
        if b.lo > 0:
            inverse = Span(_recip(b.hi), _recip(b.lo), b.hi_closed and b.hi != INF, b.lo_closed)
    else:
        inverse = Span(-INF, _recip(b.lo), False, b.lo_closed and b.lo != -INF)
        if b.hi < 0:
            inverse = Span(_recip(b.hi), _recip(b.lo), b.hi_closed, b.lo_closed and b.lo != -INF)
    return replace(mul(a, inverse), step=None)


def absolute(a: Span) -> Span:
    """abs(a)."""
    if a.lo >= 0:
        return a
    if a.hi <= 0:
        return neg(a)
    hi, hi_closed = _upper([(-a.lo, a.lo_closed), (a.hi, a.hi_closed)])
    return Span(_ZERO, hi, True, hi_closed, a.step)


def smallest(spans: Sequence[Span]) -> Span:
    """min(a, b, ...)."""
    lo, lo_closed = _lower([(s.lo, s.lo_closed) for s in spans])
    hi = min(s.hi for s in spans)
    hi_closed = all(s.hi_closed for s in spans if s.hi == hi)
    return Span(lo, hi, lo_closed, hi_closed, _steps(spans))


def largest(spans: Sequence[Span]) -> Span:
    """max(a, b, ...)."""
    lo = max(s.lo for s in spans)
    lo_closed = all(s.lo_closed for s in spans if s.lo == lo)
    hi, hi_closed = _upper([(s.hi, s.hi_closed) for s in spans])
    return Span(lo, hi, lo_closed, hi_closed, _steps(spans))


def _steps(spans: Sequence[Span]) -> Fraction | None:
    step: Fraction | None = _ZERO
    for s in spans:
        step = _gcd(step, s.step)
    return step


def to_step(a: Span, step: Fraction) -> Span:
    """round / floor / ceil of `a` to a multiple of `step`, in any rounding mode."""
    lo = step * math.floor(a.lo / step) if isinstance(a.lo, Fraction) else a.lo
    hi = step * math.ceil(a.hi / step) if isinstance(a.hi, Fraction) else a.hi
    return Span(lo, hi, True, True, step)


# --- comparisons -------------------------------------------------------------------------------

_FLIP: dict[type, type] = {
    ast.Lt: ast.Gt,
    ast.Gt: ast.Lt,
    ast.LtE: ast.GtE,
    ast.GtE: ast.LtE,
    ast.Eq: ast.Eq,
    ast.NotEq: ast.NotEq,
}
_NEGATE: dict[type, type] = {
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}


def compare(a: Span, op: type, b: Span) -> bool | None:
    """Whether ``a op b`` always holds (True), never holds (False), or may go either way."""
    if op is ast.Lt:
        return compare(b, ast.Gt, a)
    if op is ast.LtE:
        return compare(b, ast.GtE, a)
    if op is ast.Gt:
        if a.lo > b.hi or (a.lo == b.hi and not (a.lo_closed and b.hi_closed)):
            return True
        return False if a.hi <= b.lo else None
    if op is ast.GtE:
        if a.lo >= b.hi:
            return True
        if a.hi < b.lo or (a.hi == b.lo and not (a.hi_closed and b.lo_closed)):
            return False
        return None
    same = None
    if meet(a, b).empty:
        same = False
    elif a.is_point and b.is_point:
        same = True
    if op is ast.Eq or same is None:
        return same
    return not same


def _halfline(op: type, other: Span) -> Span:
    """The values x with ``x op y`` for some y in `other`."""
    if op is ast.Gt:
        return Span(other.lo, INF, False, False)
    if op is ast.GtE:
        return Span(other.lo, INF, other.lo_closed, False)
    if op is ast.Lt:
        return Span(-INF, other.hi, False, False)
    if op is ast.LtE:
        return Span(-INF, other.hi, False, other.hi_closed)
    if op is ast.Eq:
        return Span(other.lo, other.hi, other.lo_closed, other.hi_closed)
    return FULL


def _implies_nonzero(op: type, other: Span) -> bool:
    """True when ``x op y`` for every y in `other` proves x != 0."""
    if op is ast.Gt:
        return other.lo >= 0
    if op is ast.GtE:
        return other.lo > 0 or (other.lo == 0 and not other.lo_closed)
    if op is ast.Lt:
        return other.hi <= 0
    if op is ast.LtE:
        return other.hi < 0 or (other.hi == 0 and not other.hi_closed)
    if op is ast.NotEq:
        return other.is_point and other.lo == 0
    return not other.contains(_ZERO)  # ==


# --- formulas ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListInfo:
    """What the analysis knows of a list fact: its longest length and its number fields."""

    max_items: int
    fields: Mapping[str, Span]
    #: the list is known: it has exactly `max_items` records, and `totals` holds the span of
    #: each number field's sum over them (a field unknown in some record over its bounds)
    exact: bool = False
    totals: Mapping[str, Span] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """The spans of numeric names, the list facts, and expressions known to be non-zero.

    `nonzero` holds ``ast.dump`` texts of expressions a surrounding condition proved non-zero
    (``b`` in ``a / b if b > 0 else 0``), and `distinct_key` texts of pairs of expressions it
    proved unequal (``a != b``), so that ``max(a, b)`` of two such values at least 0 is above 0.
    """

    numbers: Mapping[str, Span]
    lists: Mapping[str, ListInfo] = field(default_factory=dict)
    nonzero: frozenset[str] = frozenset()
    #: booleans whose value is known (a scored document's given facts, beside unknown ones)
    truths: Mapping[str, bool] = field(default_factory=dict)
    #: whether ``given(name)`` holds, for the names whose presence is known
    given: Mapping[str, bool] = field(default_factory=dict)
    #: the indicators a scored document marks 不涉及 (None: not known, as in ``check``)
    marked: frozenset[str] | None = None

    def restrict(self, node: ast.expr, span: Span) -> Scope:
        """This scope, knowing that `node` takes a value in `span`."""
        numbers = self.numbers
        if isinstance(node, ast.Name) and node.id in numbers:
            numbers = {**numbers, node.id: meet(numbers[node.id], span)}
        nonzero = self.nonzero
        if not span.contains_real(_ZERO):
            nonzero = nonzero | {ast.dump(node)}
        return replace(self, numbers=numbers, nonzero=nonzero)


@dataclass(frozen=True)
class Hazard:
    """A place where a formula may fail at run time.

    ``kind`` is ``division`` (`operand` is the divisor, `span` what it can be) or ``empty-list``
    (a mean of the list `operand`, which may have no records). `source` is the division or call.
    """

    kind: str
    operand: str
    span: Span | None
    source: str


_LIST_FUNCTIONS = frozenset({"count", "sum", "mean", "weighted_mean"})
#: list functions with a condition over the record's fields as their last argument
_WHERE_FUNCTIONS = frozenset({"count_where", "sum_where"})


class Analysis:
    """One formula's tree, evaluated over spans; hazards are collected once per place."""

    def __init__(self, source: str) -> None:
        self.source = source.strip()
        self.tree: ast.expr = ast.parse(self.source, mode="eval").body
        self._hazards: dict[int, Hazard] = {}

    @property
    def hazards(self) -> list[Hazard]:
        """The places found so far that may fail, in the order found."""
        return list(self._hazards.values())

    def text(self, node: ast.AST) -> str:
        """The source text of a node."""
        return ast.get_source_segment(self.source, node) or ast.unparse(node)

    def number(self, node: ast.expr, scope: Scope) -> Span | None:
        """The span of a numeric expression; None for one that is not a number."""
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return None
            return point(Fraction(Decimal(self.text(node))))
        if isinstance(node, ast.Name):
            return scope.numbers.get(node.id)
        if isinstance(node, ast.BinOp):
            return self._binop(node, scope)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                self.truth(node, scope)
                return None
            operand = self.number(node.operand, scope) or FULL
            return neg(operand) if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.IfExp):
            body, orelse = self._branches(node, scope)
            if body is None and orelse is None:
                return None
            if body is None or orelse is None:
                return body or orelse
            return hull(body, orelse)
        if isinstance(node, ast.Call):
            return self._call(node, scope)
        self.truth(node, scope)
        return None

    def _binop(self, node: ast.BinOp, scope: Scope) -> Span:
        left = self.number(node.left, scope) or FULL
        right = self.number(node.right, scope) or FULL
        if isinstance(node.op, ast.Add):
            return add(left, right)
        if isinstance(node.op, ast.Sub):
            return add(left, neg(right))
        if isinstance(node.op, ast.Mult):
            return mul(left, right)
        if right.contains(_ZERO) and ast.dump(node.right) not in scope.nonzero:
            hazard = Hazard("division", self.text(node.right), right, self.text(node))
            self._hazards.setdefault(id(node), hazard)
        return div(left, right)

    def _branches(self, node: ast.IfExp, scope: Scope) -> tuple[Span | None, Span | None]:
        """The spans of the branches that can run, each under its branch's condition."""
        test = self.truth(node.test, scope)
        body = orelse = None
        if test is not False:
            body = self.number(node.body, self.assume(node.test, scope, holds=True))
        if test is not True:
            orelse = self.number(node.orelse, self.assume(node.test, scope, holds=False))
        return body, orelse

    def _call(self, node: ast.Call, scope: Scope) -> Span:
        assert isinstance(node.func, ast.Name)
        name, args = node.func.id, node.args
        if name in _LIST_FUNCTIONS:
            return self._list_call(node, name, scope)
        if name in _WHERE_FUNCTIONS:
            return self._where_call(node, name, scope)
        if name == "days":
            return Span(step=Fraction(1))
        spans = [self.number(a, scope) or FULL for a in args]
        if name == "abs" and len(spans) == 1:
            return absolute(spans[0])
        if name == "max" and spans:
            return _above(largest(spans), args, spans, scope)
        if name == "min" and spans:
            return neg(_above(neg(smallest(spans)), args, [neg(s) for s in spans], scope))
        if name == "clamp" and len(spans) == 3:
            return smallest([largest([spans[0], spans[1]]), spans[2]])
        if name in ("round", "floor", "ceil") and spans:
            step = spans[1] if len(spans) > 1 else point(Fraction(1))
            if step.is_point and isinstance(step.lo, Fraction) and step.lo > 0:
                return to_step(spans[0], step.lo)
            return FULL  # a step computed at run time: any value
        return FULL

    def _list_call(self, node: ast.Call, name: str, scope: Scope) -> Span:
        args = node.args
        first = args[0] if args else None
        if not isinstance(first, ast.Name) or first.id not in scope.lists:
            return FULL
        info = scope.lists[first.id]
        if name == "count":
            if info.exact and len(args) == 1:
                return point(Fraction(info.max_items))
            return Span(_ZERO, Fraction(info.max_items), True, True, Fraction(1))
        fields = [a.id if isinstance(a, ast.Name) else "" for a in args[1:]]
        value = info.fields.get(fields[0], FULL) if fields else FULL
        total = info.totals.get(fields[0]) if info.exact and fields else None
        if total is not None and name == "sum":
            return total
        if total is not None and name == "mean" and info.max_items > 0:
            return div(total, point(Fraction(info.max_items)))
        if name == "sum":
            n = Fraction(info.max_items)
            lo, hi = _mul(n, value.lo), _mul(n, value.hi)
            return Span(min(_ZERO, lo), max(_ZERO, hi), True, True, value.step)
        if count_key(first.id) not in scope.nonzero:
            hazard = Hazard("empty-list", first.id, None, self.text(node))
            self._hazards.setdefault(id(node), hazard)
        if name == "weighted_mean":
            weight = info.fields.get(fields[1], FULL) if len(fields) > 1 else FULL
            if weight.lo < 0:
                return FULL
        return Span(value.lo, value.hi, value.lo_closed, value.hi_closed)

    def _where_call(self, node: ast.Call, name: str, scope: Scope) -> Span:
        """count_where and sum_where: like count and sum over a part of the records (any
        part, the empty one included); the condition is not analysed."""
        first = node.args[0] if node.args else None
        if not isinstance(first, ast.Name) or first.id not in scope.lists:
            return FULL
        info = scope.lists[first.id]
        if name == "count_where":
            return Span(_ZERO, Fraction(info.max_items), True, True, Fraction(1))
        field = node.args[1] if len(node.args) > 1 else None
        value = info.fields.get(field.id, FULL) if isinstance(field, ast.Name) else FULL
        n = Fraction(info.max_items)
        lo, hi = _mul(n, value.lo), _mul(n, value.hi)
        return Span(min(_ZERO, lo), max(_ZERO, hi), True, True, value.step)

    def truth(self, node: ast.expr, scope: Scope) -> bool | None:
        """Whether a condition is always true, never true, or may be either (None)."""
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, bool) else None
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            spans = [self.number(o, scope) for o in operands]
            result: bool | None = True
            for i, op in enumerate(node.ops):
                left, right = spans[i], spans[i + 1]
                found = None if left is None or right is None else compare(left, type(op), right)
                result = _and(result, found)
            return result
        if isinstance(node, ast.BoolOp):
            is_and = isinstance(node.op, ast.And)
            result = is_and
            for value in node.values:
                found = self.truth(value, scope)
                result = _and(result, found) if is_and else _or(result, found)
                scope = self.assume(value, scope, holds=is_and)  # later operands run only then
            return result
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found = self.truth(node.operand, scope)
            return None if found is None else not found
        if isinstance(node, ast.IfExp):
            test = self.truth(node.test, scope)
            body = orelse = None
            if test is not False:
                body = self.truth(node.body, self.assume(node.test, scope, holds=True))
            if test is not True:
                orelse = self.truth(node.orelse, self.assume(node.test, scope, holds=False))
            if test is True:
                return body
            if test is False:
                return orelse
            return body if body == orelse else None
        if isinstance(node, ast.Name):
            return scope.truths.get(node.id)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "given"
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Name)
        ):
            return scope.given.get(node.args[0].id)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "not_applicable"
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant)
        ):  # known only for a scored document; in `check`, either
            return None if scope.marked is None else node.args[0].value in scope.marked
        self.number(node, scope)
        return None

    def assume(self, node: ast.expr, scope: Scope, *, holds: bool) -> Scope:
        """`scope` narrowed by knowing that the condition `node` holds (or does not)."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.assume(node.operand, scope, holds=not holds)
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And) == holds:  # all of them hold, or none of them
                for value in node.values:
                    scope = self.assume(value, scope, holds=holds)
            return scope
        if not isinstance(node, ast.Compare) or (len(node.ops) > 1 and not holds):
            return scope
        operands = [node.left, *node.comparators]
        spans = [self.number(o, scope) for o in operands]
        for i, cmp in enumerate(node.ops):
            op = type(cmp) if holds else _NEGATE[type(cmp)]
            sides = ((operands[i], op, spans[i + 1]), (operands[i + 1], _FLIP[op], spans[i]))
            for subject, relation, other in sides:
                if other is None:
                    continue
                numbers, nonzero = scope.numbers, scope.nonzero
                if isinstance(subject, ast.Name) and subject.id in numbers:
                    numbers = {**numbers, subject.id: _narrow(numbers[subject.id], relation, other)}
                if _implies_nonzero(relation, other):
                    nonzero = nonzero | {ast.dump(subject)}
                scope = replace(scope, numbers=numbers, nonzero=nonzero)
            if op in (ast.NotEq, ast.Lt, ast.Gt):
                pair = distinct_key(operands[i], operands[i + 1])
                scope = replace(scope, nonzero=scope.nonzero | {pair})
        return scope


def distinct_key(a: ast.expr, b: ast.expr) -> str:
    """The `Scope.nonzero` key recording that `a` and `b` differ (in either order)."""
    return "distinct:" + "|".join(sorted((ast.dump(a), ast.dump(b))))


def _above(result: Span, args: Sequence[ast.expr], spans: Sequence[Span], scope: Scope) -> Span:
    """The span of ``max(args)`` (`result`), above 0 when two arguments at least 0 are known to
    differ: one of them is then above 0 (``max(actual, target)`` where ``actual != target``)."""
    if result.lo != 0 or not result.lo_closed:
        return result
    nonneg = [a for a, s in zip(args, spans, strict=True) if s.lo >= 0]
    for i, a in enumerate(nonneg):
        if any(distinct_key(a, b) in scope.nonzero for b in nonneg[i + 1 :]):
            return (replace(result, lo_closed=False)).tight() or result
    return result


def count_key(name: str) -> str:
    """The `Scope.nonzero` key of ``count(name)``."""
    call = ast.Call(ast.Name(id="count", ctx=ast.Load()), [ast.Name(id=name, ctx=ast.Load())], [])
    return ast.dump(call)


def names_read(tree: ast.expr) -> list[str]:
    """The fact and derived names a formula reads, in order (not functions or list fields)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            skip.add(id(node.func))
            if node.func.id == "count":
                skip.update(id(a) for a in node.args[1:2])
            elif node.func.id in _LIST_FUNCTIONS:
                skip.update(id(a) for a in node.args[1:])
            elif node.func.id == "sum_where":
                skip.update(id(a) for a in node.args[1:2])
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in skip]
    found.sort(key=lambda n: n.col_offset)
    return list(dict.fromkeys(n.id for n in found))


def _narrow(span: Span, op: type, other: Span) -> Span:
    if op is ast.NotEq:
        if other.is_point and span.lo == other.lo:
            return replace(span, lo_closed=False)
        if other.is_point and span.hi == other.hi:
            return replace(span, hi_closed=False)
        return span
    return meet(span, _halfline(op, other))


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False
