"""Formulas: a small, checked expression language over declared facts.

A formula is one Python expression. `compile_formula` parses it once and checks everything before
anything runs: characters, length, size and depth, an allow-list of syntax, declared names, the
static type of every sub-expression and the arguments of every function. It stores numeric
literals as exact `Decimal` values and field-name arguments as text constants. `Formula.run` hands
the checked tree to a locked-down simpleeval evaluator built for that one call, so no evaluator
state is shared between calls or threads. The language is described in docs/expressions.md.
"""

from __future__ import annotations

import ast
import collections
import dataclasses
import decimal
import operator
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from keyword import iskeyword
from types import MappingProxyType
from typing import Any

import simpleeval

from perfscore._errors import (
    ErrorCode,
    ExpressionError,
    Location,
    Problem,
    RubricError,
    UsageError,
    short_repr,
    suggest,
)
from perfscore._messages import Message
from perfscore._numbers import CONTEXT, ROUNDING_MODES, ZERO, format_decimal, quantize_step
from perfscore._values import BOOL, DATE, NUMBER, TEXT, Records, ValueType, text_of

# fmt: off
__all__ = ["DEFER", "FUNCTIONS", "MAX_DEPTH", "MAX_FORMULA_LENGTH", "MAX_NODES",
           "MAX_STRING_LITERAL", "NOT_APPLICABLE", "Formula", "compile_formula",
           "indicators_read", "record_branches"]
# fmt: on

MAX_FORMULA_LENGTH = 2000
MAX_NODES = 400
MAX_DEPTH = 40
MAX_STRING_LITERAL = 200
_MAX_NUMBER_LITERAL = 30

# fmt: off
# name: (signature, fewest arguments, most or None, kind of each argument or "list")
_SIGNATURES: dict[str, tuple[str, int, int | None, str]] = {
    "abs": ("abs(x)", 1, 1, "number"),
    "all": ("all(list, condition)", 2, 2, "where"),
    "any": ("any(list, condition)", 2, 2, "where"),
    "ceil": ("ceil(x[, step])", 1, 2, "number"),
    "clamp": ("clamp(x, lo, hi)", 3, 3, "number"),
    "count": ("count(list[, field, value])", 1, 3, "list"),
    "count_where": ("count_where(list, condition)", 2, 2, "where"),
    "days": ("days(start, end)", 2, 2, "date"),
    "floor": ("floor(x[, step])", 1, 2, "number"),
    "given": ("given(name)", 1, 1, "name"),
    "max": ("max(a, b, ...)", 2, None, "number"),
    "mean": ("mean(list, field)", 2, 2, "list"),
    "min": ("min(a, b, ...)", 2, None, "number"),
    "not_applicable": ("not_applicable('indicator')", 1, 1, "indicator"),
    "round": ("round(x[, step])", 1, 2, "number"),
    "sum": ("sum(list, field)", 2, 2, "list"),
    "sum_where": ("sum_where(list, field, condition)", 3, 3, "where"),
    "weighted_mean": ("weighted_mean(list, field, weight_field)", 3, 3, "list"),
}
# fmt: on
#: The allow-listed functions, each with the signature shown in messages and docs.
FUNCTIONS: Mapping[str, str] = MappingProxyType({k: v[0] for k, v in _SIGNATURES.items()})


# --------------------------------------------------------------------------- running


class _FunctionError(Exception):
    """A runtime problem found by one of our functions, with its error code."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_ONE = Decimal(1)


def _stepper(name: str, mode: str) -> Callable[..., Decimal]:
    def step_round(x: Decimal, step: Decimal = _ONE) -> Decimal:
        if step <= 0:
            message = Message("formula-step-positive", name=name, step=format_decimal(step))
            raise _FunctionError("invalid-operation", message)
        return quantize_step(x, step, mode)

    return step_round


def _read(names: Mapping[str, object], name: str) -> object:
    """A name's value; an optional fact or field without a value is an error when read."""
    value = names[name]
    if value is None:
        raise _FunctionError("missing-value", Message("formula-no-value", name=name))
    return value


def _given_in(env: Mapping[str, object]) -> Callable[[str], bool]:
    return lambda name: env.get(name) is not None


#: The key of a run's environment holding the ids of the indicators the document marks 不涉及
#: (a frozenset), read by ``not_applicable('id')``; no formula name can take it.
NOT_APPLICABLE = "not_applicable()"


def _marked_in(env: Mapping[str, object]) -> Callable[[str], bool]:
    marked = env.get(NOT_APPLICABLE)
    return lambda indicator: isinstance(marked, frozenset) and indicator in marked


def _clamp(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal:
    if lo > hi:
        message = Message("formula-clamp-order", lo=format_decimal(lo), hi=format_decimal(hi))
        raise _FunctionError("invalid-operation", message)
    return min(max(x, lo), hi)


def _sum(records: Records, name: str) -> Decimal:
    total = ZERO
    for record in records:
        total += record[name]  # type: ignore[operator]  # a number field, checked at compile time
    return total


def _mean(records: Records, name: str) -> Decimal:
    if not len(records):
        raise _FunctionError("invalid-operation", Message("formula-mean-empty"))
    return _sum(records, name) / len(records)


def _weighted_mean(records: Records, name: str, weight: str) -> Decimal:
    total = weights = ZERO
    for record in records:
        total += record[name] * record[weight]  # type: ignore[operator]  # number fields
        weights += record[weight]  # type: ignore[operator]
    if weights.is_zero():
        message = Message("formula-weights-zero", weight=weight)
        raise _FunctionError("zero-division", message)
    return total / weights


def _count(records: Records, name: str | None = None, value: object = None) -> Decimal:
    if name is None:
        return Decimal(len(records))
    return Decimal(sum(1 for record in records if record[name] == value))


@dataclasses.dataclass(frozen=True)
class _Condition:
    """A condition over one record's fields, evaluated per record by the ``*_where`` functions
    (it stands in the tree as a constant, so the call receives it unevaluated)."""

    tree: ast.expr
    source: str


def _where_functions(
    functions: Mapping[str, Callable[..., object]], env: Mapping[str, object]
) -> dict[str, Callable[..., object]]:
    """count_where, sum_where, any and all, reading the run's names around each record."""

    def holds(record: Mapping[str, object], condition: _Condition) -> bool:
        names = collections.ChainMap(dict(record), env)  # type: ignore[arg-type]
        local = {**functions, "given": _given_in(names)}
        return _evaluator(local, names).eval(condition.source, condition.tree) is True

    def count_where(records: Records, condition: _Condition) -> Decimal:
        return Decimal(sum(1 for r in records if holds(r, condition)))

    def sum_where(records: Records, name: str, condition: _Condition) -> Decimal:
        total = ZERO
        for record in records:
            if holds(record, condition):
                total += record[name]  # type: ignore[operator]  # a number field, checked
        return total

    return {
        "count_where": count_where,
        "sum_where": sum_where,
        "any": lambda records, c: any(holds(r, c) for r in records),
        "all": lambda records, c: all(holds(r, c) for r in records),
    }


@dataclasses.dataclass(frozen=True)
class _Order:
    """An ordered enum's values, lowest first, as `enum_rank` receives them."""

    values: tuple[str, ...]


def _enum_rank(value: str, order: _Order) -> Decimal:
    return Decimal(order.values.index(value))


def _ordered_pair(
    left: ValueType, left_node: ast.expr, right: ValueType, right_node: ast.expr
) -> bool:
    """Whether ``left`` and ``right`` can be ordered as levels of one ordered enum: two enums
    with the same order, or one and a text literal (checked to be one of its values)."""
    if left.order is not None and right.order is not None:
        return left.order == right.order
    if left.order is not None:
        return isinstance(right_node, ast.Constant) and isinstance(right_node.value, str)
    if right.order is not None:
        return isinstance(left_node, ast.Constant) and isinstance(left_node.value, str)
    return False


def _days(start: date, end: date) -> Decimal:
    return Decimal((end - start).days)


# fmt: off
_SHARED_FUNCTIONS: dict[str, Callable[..., object]] = {
    "abs": abs, "min": min, "max": max, "clamp": _clamp, "days": _days,
    "floor": _stepper("floor", "floor"), "ceil": _stepper("ceil", "ceiling"),
    "sum": _sum, "mean": _mean, "weighted_mean": _weighted_mean, "count": _count,
    "enum_rank": _enum_rank,
}
_OPERATORS: Mapping[type, Callable[..., object]] = MappingProxyType({
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_,
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
})
_SimpleEval: Any = simpleeval.SimpleEval
_HANDLERS: Mapping[type, Callable[[Any, Any], object]] = MappingProxyType({
    ast.Name: lambda evaluator, node: _read(evaluator.names, node.id),
    ast.BinOp: _SimpleEval._eval_binop,
    ast.Constant: lambda _evaluator, node: _SimpleEval._eval_constant(node),
    ast.UnaryOp: _SimpleEval._eval_unaryop, ast.Compare: _SimpleEval._eval_compare,
    ast.BoolOp: _SimpleEval._eval_boolop, ast.IfExp: _SimpleEval._eval_ifexp,
    ast.Call: _SimpleEval._eval_call,
})
# fmt: on
_RUNTIME = {
    mode: MappingProxyType({**_SHARED_FUNCTIONS, "round": _stepper("round", mode)})
    for mode in ROUNDING_MODES
}
_SAFE_RESULTS = frozenset({Decimal, bool, str, date, Records, _Condition, _Order})


class _Evaluator(_SimpleEval):  # type: ignore[misc]  # simpleeval has no type information
    """SimpleEval over read-only tables, cheap enough to build for every run.

    SimpleEval.__init__ copies its default tables, binds a 20-entry handler dict (a reference
    cycle left to the GC) and enters `warnings.catch_warnings`, per instance. Here the handlers
    of the allowed node types are looked up unbound, and results of our own value types skip the
    walk of `_check_disallowed_items`, as simpleeval's own primitive types do.
    """

    operators = _OPERATORS
    allowed_attrs: Mapping[type, set[str]] = MappingProxyType({})
    ATTR_INDEX_FALLBACK = False
    nodes = _HANDLERS

    def __init__(self, functions: Mapping[str, Callable[..., object]], names: object) -> None:
        self.functions = functions
        self.names = names

    def _eval(self, node: ast.AST) -> object:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            raise simpleeval.FeatureNotAvailable(f"{type(node).__name__} is not available")
        result = handler(self, node)
        if type(result) not in _SAFE_RESULTS:
            self._check_disallowed_items(result)
        return result


#: The arms taken by conditional expressions, as (id of the ``IfExp`` node, took the "then"
#: arm), while `record_branches` is active in this context; None otherwise.
_TAKEN: ContextVar[set[tuple[int, bool]] | None] = ContextVar("perfscore_taken", default=None)
#: How many `record_branches` blocks are active in any thread (one item): while none is,
#: `Formula.run` reads this and nothing else to know that it need not record.
_RECORDING = [0]
_RECORDING_LOCK = threading.Lock()


@contextmanager
def record_branches() -> Iterator[set[tuple[int, bool]]]:
    """Record which arm of each conditional expression (``x if cond else y``) the formulas
    evaluated in this block take (branch coverage); yields the set it fills.

    Formulas run on the interpreter inside the block (their generated fast path records
    nothing); results are the same either way.
    """
    taken: set[tuple[int, bool]] = set()
    token = _TAKEN.set(taken)
    with _RECORDING_LOCK:
        _RECORDING[0] += 1
    try:
        yield taken
    finally:
        with _RECORDING_LOCK:
            _RECORDING[0] -= 1
        _TAKEN.reset(token)


class _RecordingEvaluator(_Evaluator):
    """The evaluator that also notes the arm each conditional expression takes."""

    def __init__(
        self,
        functions: Mapping[str, Callable[..., object]],
        names: object,
        taken: set[tuple[int, bool]],
    ) -> None:
        super().__init__(functions, names)
        self.taken = taken

    def _eval(self, node: ast.AST) -> object:
        if type(node) is ast.IfExp:  # as simpleeval's own _eval_ifexp, noting the arm
            then = bool(self._eval(node.test))
            self.taken.add((id(node), then))
            return self._eval(node.body if then else node.orelse)
        return super()._eval(node)


def _evaluator(functions: Mapping[str, Callable[..., object]], names: object) -> _Evaluator:
    taken = _TAKEN.get() if _RECORDING[0] else None
    if taken is None:
        return _Evaluator(functions, names)
    return _RecordingEvaluator(functions, names, taken)


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        text = format_decimal(value)
        return text if len(text) <= 60 else str(value)
    if isinstance(value, Records):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return short_repr(value)


_RUNTIME_ERRORS = (
    ArithmeticError,
    _FunctionError,
    simpleeval.InvalidExpression,
    TypeError,
    KeyError,
    ValueError,
)


#: What a formula's generated fast path (`perfscore._engine._codegen`) returns when the
#: interpreter must decide, e.g. because a name it reads has no value.
DEFER: Any = type("Defer", (), {"__repr__": lambda self: "DEFER", "__slots__": ()})()


@dataclasses.dataclass(frozen=True)
class Formula:
    """A checked formula, ready to run against the values of the names it reads."""

    source: str
    type: ValueType
    names: frozenset[str]
    location: Location | None
    subject: str | None
    _tree: ast.expr = dataclasses.field(repr=False, compare=False)
    _functions: Mapping[str, Callable[..., object]] = dataclasses.field(repr=False, compare=False)
    _reads: tuple[str, ...] = dataclasses.field(repr=False, compare=False)
    # a formula that is just a number (band scores, checklist points) skips the evaluator
    _constant: Decimal | None = dataclasses.field(default=None, repr=False, compare=False)
    _uses_given: bool = dataclasses.field(default=False, repr=False, compare=False)
    _uses_where: bool = dataclasses.field(default=False, repr=False, compare=False)
    _uses_marks: bool = dataclasses.field(default=False, repr=False, compare=False)
    #: the fields of each list fact the formula reads (a list read only by ``count(list)`` or
    #: ``given(list)`` is absent): an unknown field it does not read leaves it exact
    fields_read: Mapping[str, frozenset[str]] = dataclasses.field(
        default_factory=dict, repr=False, compare=False
    )
    # generated Python for this formula, installed at load; the interpreter stays the reference
    _fast: Callable[[Mapping[str, object]], object] | None = dataclasses.field(
        default=None, repr=False, compare=False
    )

    def run(self, env: Mapping[str, object]) -> object:
        """Evaluate under the caller's ``decimal.localcontext(CONTEXT)``.

        Args:
            env: the value of every name in `names`.

        Returns:
            A `Decimal` (never ``-0``), `bool`, `date` or `str`, as `type` says.

        Raises:
            ExpressionError: division by zero, undefined arithmetic, a number out of range.
        """
        if self._constant is not None:
            return self._constant
        fast = self._fast
        if fast is not None and not _RECORDING[0]:
            try:
                result = fast(env)
            except Exception:  # noqa: BLE001  # the interpreter below reports it, located
                result = DEFER
            if result is not DEFER:
                return ZERO if type(result) is Decimal and not result else result
        functions = self._functions
        if self._uses_given:
            functions = {**functions, "given": _given_in(env)}
        if self._uses_marks:
            functions = {**functions, "not_applicable": _marked_in(env)}
        if self._uses_where:
            functions = {**functions, **_where_functions(functions, env)}
        try:
            result = _evaluator(functions, env).eval(self.source, self._tree)
        except _RUNTIME_ERRORS as exc:
            raise self._failure(exc, env) from exc
        if type(result) is Decimal and not result:
            return ZERO
        return result

    @property
    def reads(self) -> tuple[str, ...]:
        """The names the formula reads, in the order they appear."""
        return self._reads

    @property
    def tree(self) -> ast.expr:
        """The checked tree (numbers as exact `Decimal`, bare field names as text)."""
        return self._tree

    @property
    def functions(self) -> Mapping[str, Callable[..., object]]:
        """The functions the formula may call, by name (``round`` in the rubric's mode)."""
        return self._functions

    def branches(self) -> tuple[tuple[ast.IfExp, str], ...]:
        """Each conditional expression of the formula (also inside a ``*_where`` condition),
        outermost and leftmost first, with the source text of its condition."""
        out: list[tuple[ast.IfExp, str]] = []

        def visit(node: ast.AST) -> None:  # a condition's tree keeps the formula's positions
            if isinstance(node, ast.IfExp):
                text = ast.get_source_segment(self.source, node.test)
                out.append((node, text if text is not None else ast.dump(node.test)))
            if isinstance(node, ast.Constant) and isinstance(node.value, _Condition):
                visit(node.value.tree)
            for child in ast.iter_child_nodes(node):
                visit(child)

        if self._constant is None:
            visit(self._tree)
        return tuple(out)

    @property
    def has_fast_path(self) -> bool:
        """True when generated Python runs this formula first (see `install_fast`)."""
        return self._fast is not None

    def install_fast(self, fast: Callable[[Mapping[str, object]], object] | None) -> None:
        """Put a generated fast path in place (None removes it); see `run`."""
        object.__setattr__(self, "_fast", fast)

    @property
    def constant(self) -> Decimal | None:
        """The value of a formula that is a plain number, else None."""
        return self._constant

    def evaluate(self, env: Mapping[str, object]) -> object:
        """Evaluate like `run`, entering the library's Decimal context first."""
        with decimal.localcontext(CONTEXT):
            return self.run(env)

    def _failure(self, exc: Exception, env: Mapping[str, object]) -> ExpressionError:
        code: ErrorCode
        if isinstance(exc, _FunctionError):
            code, message = exc.code, exc.message
        elif isinstance(exc, decimal.Overflow):
            code = "number-too-large"
            message = Message("formula-overflow", emax=CONTEXT.Emax)
        elif isinstance(exc, decimal.InvalidOperation):
            code, message = "invalid-operation", Message("formula-undefined")
        elif isinstance(exc, ZeroDivisionError):
            code, message = "zero-division", Message("formula-zero-division")
        else:
            code = "invalid-operation"
            message = Message(
                "formula-cannot-evaluate", error=type(exc).__name__, text=short_repr(str(exc))
            )
        details: list[tuple[str, str]] = [(Message("formula-detail-formula"), self.source)]
        if self._reads:
            shown = (f"{n}={_show(env[n]) if n in env else '<missing>'}" for n in self._reads)
            details.append((Message("formula-detail-with"), ", ".join(shown)))
        error = ExpressionError(
            Problem(code, message, self.location, self.subject, details=tuple(details))
        )
        if code == "zero-division":  # the one value read that is 0 is what it divided by
            zeros = [n for n in self._reads if type(env.get(n)) is Decimal and not env[n]]
            if len(zeros) == 1:
                error.path = (zeros[0],)
        return error


# --------------------------------------------------------------------------- checking

_NUMBER_LITERAL = re.compile(r"[0-9]+(?:\.[0-9]+)?\Z", re.ASCII)
# Typographic and IME characters authors type for ASCII operators (full-width forms are computed).
_LOOKALIKES = dict(
    zip(
        "\u3000\u201c\u201d\u2018\u2019\u00d7\u00f7\u2212\u2013\u2014\u2264\u2265\u2260\u3001\u3002",
        [" ", '"', '"', "'", "'", "*", "/", "-", "-", "-", "<=", ">=", "!=", ",", "."],
        strict=True,
    )
)
_COMPREHENSION = (Message("formula-what-comprehension"), Message("formula-hint-comprehension"))
_FORBIDDEN_NODES: dict[type, tuple[str, str | None]] = {
    ast.Subscript: (Message("formula-what-subscript"), Message("formula-hint-subscript")),
    ast.Lambda: (Message("formula-what-lambda"), None),
    ast.ListComp: _COMPREHENSION,
    ast.SetComp: _COMPREHENSION,
    ast.DictComp: _COMPREHENSION,
    ast.GeneratorExp: _COMPREHENSION,
    ast.JoinedStr: (Message("formula-what-f-string"), Message("formula-hint-f-string")),
    ast.NamedExpr: (Message("formula-what-walrus"), Message("formula-hint-derived")),
    ast.List: (Message("formula-what-list"), None),
    ast.Tuple: (Message("formula-what-tuple"), None),
    ast.Set: (Message("formula-what-set"), None),
    ast.Dict: (Message("formula-what-dict"), None),
    ast.Starred: (Message("formula-what-starred"), Message("formula-hint-by-position")),
}
_FORBIDDEN_OPS: dict[type, tuple[str, str | None]] = {
    ast.Pow: (Message("formula-what-power"), Message("formula-hint-power")),
    ast.Mod: (
        Message("formula-what-percent"),
        Message("formula-hint-percent-op"),
    ),
    ast.FloorDiv: (Message("formula-what-floor-division"), Message("formula-hint-floor-division")),
    ast.MatMult: ("'@'", None),
    ast.BitAnd: (Message("formula-what-bit-and"), Message("formula-hint-use-and")),
    ast.BitOr: (Message("formula-what-bit-or"), Message("formula-hint-use-or")),
    ast.BitXor: (Message("formula-what-bit-xor"), None),
    ast.LShift: (Message("formula-what-lshift"), None),
    ast.RShift: (Message("formula-what-rshift"), None),
    ast.Invert: (Message("formula-what-invert"), Message("formula-hint-use-not")),
    ast.Is: ("'is'", Message("formula-hint-compare-eq")),
    ast.IsNot: ("'is not'", Message("formula-hint-compare-ne")),
    ast.In: ("'in'", Message("formula-hint-in")),
    ast.NotIn: ("'not in'", Message("formula-hint-not-in")),
}
# fmt: off
_ARITHMETIC = {ast.Add: "formula-cannot-add", ast.Sub: "formula-cannot-subtract",
               ast.Mult: "formula-cannot-multiply", ast.Div: "formula-cannot-divide"}
_COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=",
                ast.Gt: ">", ast.GtE: ">="}
# fmt: on
_PLAIN = {"number": NUMBER, "bool": BOOL, "date": DATE, "text": TEXT}
_ATTRIBUTE_HINT = Message("formula-hint-attribute")
_SPLIT = Message("formula-hint-split")
_LEADING_ZEROS = Message("formula-hint-leading-zeros")


def _codepoint(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def _display(text: str) -> str:
    """Text safe to print: invisible and control characters as escapes."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _non_ascii(name: str) -> str:
    bad = [ch for ch in name if not ch.isascii()]
    return Message("formula-non-ascii-name", ch=bad[0], codepoint=_codepoint(bad[0])) if bad else ""


def _arity(fewest: int, most: int | None) -> str:
    if most is None:
        return Message("formula-arity-at-least", count=fewest)
    if fewest == most:
        return Message("formula-arity-many" if fewest > 1 else "formula-arity-one", count=fewest)
    return Message("formula-arity-or", fewest=fewest, most=most)


#: the kinds of value a formula's type names, said in the rubric's words (English: the kind)
_KIND_WORDS = frozenset({"number", "bool", "date", "text", "list"})


def _kind(kind: object) -> str:
    """A kind of value for a message: ``bool`` in English, 布尔值 in Chinese."""
    name = str(kind)
    return Message("formula-kind-" + name) if name in _KIND_WORDS else name


class _Checker:
    """One compilation: the source, the declared names, and the names the formula reads."""

    def __init__(
        self,
        source: str,
        names: Mapping[str, ValueType],
        where: Location | None,
        subject: str | None,
    ) -> None:
        self.source = source
        self.encoded = source.encode()
        self.names = names
        self.where = where
        self.subject = subject
        self.reads: dict[str, None] = {}
        #: list fact -> the fields read of its records
        self.fields_read: dict[str, set[str]] = {}
        self.uses_given = False
        self.uses_where = False
        self.uses_marks = False

    def error(
        self,
        code: ErrorCode,
        message: str,
        hint: str | None = None,
        at: int | ast.AST | None = None,
    ) -> RubricError:
        """One problem, with the formula and a caret under `at` (an index or a node)."""
        if isinstance(at, ast.AST):
            at = len(self.encoded[: getattr(at, "col_offset", 0)].decode(errors="replace"))
        shown = _display(self.source)
        details = (
            [
                (
                    Message("formula-detail-formula"),
                    shown if len(shown) <= 200 else shown[:197] + "...",
                )
            ]
            if shown
            else []
        )
        if at is not None and len(_display(self.source[:at])) < 200:
            details.append(
                (Message("formula-detail-here"), " " * len(_display(self.source[:at])) + "^")
            )
        return RubricError(Problem(code, message, self.where, self.subject, hint, tuple(details)))

    def forbidden(self, what: str, at: ast.AST | int, hint: str | None = None) -> RubricError:
        return self.error("formula-forbidden", Message("formula-forbidden", what=what), hint, at)

    def forbidden_op(self, op: ast.AST, at: ast.AST | int) -> RubricError:
        what, hint = _FORBIDDEN_OPS.get(
            type(op), (Message("formula-what-operator", name=type(op).__name__), None)
        )
        return self.forbidden(what, at, hint)

    def char(self, col_offset: int) -> int:
        """The character index of an ast column (a UTF-8 byte offset)."""
        return len(self.encoded[:col_offset].decode(errors="replace"))

    def after(self, node: ast.AST) -> int:
        """The index of what follows `node` (an operator, '.', '[' or '('), past its brackets."""
        at = self.char(getattr(node, "end_col_offset", None) or 0)
        while at < len(self.source) and self.source[at] in " )]}":
            at += 1
        return at

    def segment(self, node: ast.AST) -> str:
        start, end = getattr(node, "col_offset", 0), getattr(node, "end_col_offset", 0)
        return self.encoded[start:end].decode()

    # --- text, before parsing

    def scan(self) -> None:
        """Reject characters by where they stand: inside or outside text literals."""
        source, quote, i = self.source, "", 0
        while i < len(source):
            ch = source[i]
            if ch == "\\":
                hint = Message("formula-hint-backslash")
                raise self.error("formula-forbidden", Message("formula-backslash"), hint, i)
            if quote:
                if not ch.isprintable():
                    raise self.invisible(ch, i)
                if source.startswith(quote, i):
                    i += len(quote)
                    quote = ""
                    continue
            elif ch in "'\"":
                quote = ch * 3 if source.startswith(ch * 3, i) else ch
                i += len(quote)
                continue
            elif ch == "#":
                hint = Message("formula-hint-hash")
                message = Message("formula-hash")
                raise self.error("formula-forbidden", message, hint, i)
            elif not ch.isascii():
                self.non_ascii(ch, i)
            elif not ch.isprintable():
                raise self.invisible(ch, i)
            i += 1

    def invisible(self, ch: str, at: int) -> RubricError:
        hint = Message("formula-hint-tab" if ch == "\t" else "formula-hint-retype")
        message = Message("formula-invisible", codepoint=_codepoint(ch))
        return self.error("forbidden-character", message, hint, at)

    def non_ascii(self, ch: str, at: int) -> None:
        """Reject a non-ASCII character outside a text literal, saying what was meant.

        Python NFKC-normalises identifiers, so ``ｓｐｅｎｔ`` would silently read ``spent``:
        anything NFKC changes is rejected here. Letters NFKC keeps (``budgеt`` with a Cyrillic
        ``е``) make a name no fact can have; the name check reports those with a did-you-mean.
        """
        meant = chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else _LOOKALIKES.get(ch)
        message = Message("formula-character", ch=ch, codepoint=_codepoint(ch))
        if meant is not None:
            width = "formula-hint-full-width" if ch >= "\u3000" else "formula-hint-lookalike"
            hint = Message(width, ch=ch, code=f"{ord(ch):04X}", meant=meant)
            raise self.error("forbidden-character", message, hint, at)
        if not ch.isprintable():
            raise self.invisible(ch, at)
        normal = unicodedata.normalize("NFKC", ch)
        if normal != ch:
            message = Message(
                "formula-character-nfkc", ch=ch, codepoint=_codepoint(ch), normal=normal
            )
            hint = Message("formula-hint-type-ascii", normal=normal)
            raise self.error("forbidden-character", message, hint, at)
        if not unicodedata.category(ch).startswith("L"):
            hint = Message("formula-hint-ascii")
            raise self.error("forbidden-character", message, hint, at)

    def parse(self) -> ast.Expression:
        try:
            return ast.parse(self.source, mode="eval")
        except SyntaxError as exc:
            raise self.syntax(exc) from exc
        except (RecursionError, MemoryError, ValueError) as exc:
            message = Message("formula-too-deep-to-parse")
            raise self.error("formula-too-complex", message, _SPLIT) from exc

    def syntax(self, exc: SyntaxError) -> RubricError:
        """Explain a syntax error, naming the usual mistakes."""
        habit = _habit(self.source)
        if habit is not None:
            message, hint, where = habit
            return self.error("formula-syntax", message, hint, where)
        # offset is 1-based, in characters; 0 or None: Python stopped at the end of the text
        at = (exc.offset or 0) - 1
        if not 0 <= at < len(self.source):
            at = len(self.source)
        found = self.source[at : at + 2]
        if "too many nested" in (exc.msg or ""):
            message = Message("formula-too-many-parentheses")
            return self.error("formula-too-complex", message, _SPLIT, at)
        if found.startswith(";"):
            message = Message("formula-semicolon")
            hint = Message("formula-hint-semicolon")
            return self.error("formula-syntax", message, hint, at)
        if found.startswith("=") and found != "==" and self.source[at - 1 : at] not in "=!<>":
            message = Message("formula-assign")
            hint = Message("formula-hint-assign")
            return self.error("formula-syntax", message, hint, at)
        if "leading zeros" in (exc.msg or ""):
            message, hint = Message("formula-leading-zero"), _LEADING_ZEROS
            return self.error("formula-syntax", message, hint, at)
        said, why, where = _explain_syntax(self.source, exc.msg or "", at)
        return self.error("formula-syntax", said, why, where)

    def screen(self, tree: ast.Expression) -> None:
        """Walk the tree iteratively, left to right: bound size and depth, allow-list the syntax.

        This runs before any recursive walk, and before types, so a forbidden construct is
        reported as such wherever it stands.
        """
        count, stack = 0, [(tree.body, 1)]
        while stack:
            node, depth = stack.pop()
            count += 1
            if count > MAX_NODES:
                message = Message("formula-too-many-parts", limit=MAX_NODES)
                raise self.error("formula-too-complex", message, _SPLIT)
            if depth > MAX_DEPTH:
                message = Message("formula-too-deep", limit=MAX_DEPTH)
                raise self.error("formula-too-complex", message, _SPLIT, node)
            self.allow(node)
            children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
            stack.extend((child, depth + 1) for child in reversed(children))

    def allow(self, node: ast.AST) -> None:
        """Reject a node outside the language, naming the construct."""
        # the caret goes under the forbidden part: the '.', the '[', the operator
        if isinstance(node, ast.Attribute):
            what: str = Message("formula-what-attribute", name=node.attr)
            raise self.forbidden(what, self.after(node.value), _ATTRIBUTE_HINT)
        if type(node) not in _HANDLERS:
            what, hint = _FORBIDDEN_NODES.get(type(node), (f"'{type(node).__name__}'", None))
            at = self.after(node.value) if isinstance(node, ast.Subscript) else node
            raise self.forbidden(what, at, hint)
        if isinstance(node, ast.BinOp) and type(node.op) not in _OPERATORS:
            raise self.forbidden_op(node.op, self.after(node.left))
        if isinstance(node, ast.UnaryOp) and type(node.op) not in _OPERATORS:
            raise self.forbidden_op(node.op, node)
        if isinstance(node, ast.Compare):
            lefts = [node.left, *node.comparators[:-1]]  # each operator's left operand
            for cmp, left in zip(node.ops, lefts, strict=True):
                if type(cmp) not in _COMPARISONS:
                    raise self.forbidden_op(cmp, self.after(left))
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute):
                self.allow(node.func)
            if not isinstance(node.func, ast.Name):
                hint = Message("formula-hint-call-by-name")
                what = Message("formula-what-call-result")
                raise self.forbidden(what, self.after(node.func), hint)
            signature = FUNCTIONS.get(node.func.id, "f(a, b)")
            if node.keywords:
                keyword = node.keywords[0]
                what = (
                    Message("formula-what-keyword", name=keyword.arg)
                    if keyword.arg
                    else Message("formula-what-double-star")
                )
                raise self.forbidden(
                    what,
                    keyword,  # at 'step=' or '**'
                    Message("formula-hint-pass-by-position", signature=signature),
                )
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    hint = Message("formula-hint-pass-each", signature=signature)
                    raise self.forbidden(Message("formula-what-starred"), arg, hint)

    # --- static types, over a screened tree

    def check(self, node: ast.expr) -> ValueType:
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.need_bool(value, "'and'" if isinstance(node.op, ast.And) else "'or'")
            return BOOL
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.IfExp):
            return self.ifexp(node)
        raise self.forbidden(f"'{type(node).__name__}'", node)  # unreachable after screen()

    def binop(self, node: ast.BinOp) -> ValueType:
        template = _ARITHMETIC[type(node.op)]
        kinds = (self.check(node.left).kind, self.check(node.right).kind)
        if kinds == ("number", "number"):
            return NUMBER
        hint = None
        if "date" in kinds and isinstance(node.op, ast.Sub):
            hint = Message("formula-hint-days")
        elif "bool" in kinds:
            hint = Message("formula-hint-bool-not-number")
        message = Message(template, left=_kind(kinds[0]), right=_kind(kinds[1]))
        raise self.error("formula-type", message, hint, node)

    def unary(self, node: ast.UnaryOp) -> ValueType:
        if isinstance(node.op, ast.Not):
            self.need_bool(node.operand, "'not'")
            return BOOL
        kind = self.check(node.operand).kind
        if kind != "number":
            sign = "-" if isinstance(node.op, ast.USub) else "+"
            message = Message("formula-cannot-apply", sign=sign, kind=_kind(kind))
            raise self.error("formula-type", message, None, node)
        return NUMBER

    def need_bool(self, node: ast.expr, what: str) -> None:
        kind = self.check(node).kind
        if kind != "bool":
            hint = Message("formula-hint-compare-explicitly") if kind == "number" else None
            message = Message("formula-needs-bool", what=what, kind=_kind(kind))
            raise self.error("formula-type", message, hint, node)

    def ifexp(self, node: ast.IfExp) -> ValueType:
        test = self.check(node.test).kind
        if test != "bool":
            message = Message("formula-condition-bool", kind=_kind(test))
            hint = Message("formula-hint-compare-explicitly")
            raise self.error("formula-type", message, hint, node.test)
        body, orelse = self.check(node.body), self.check(node.orelse)
        if body.kind != orelse.kind:
            message = Message("formula-branches-type", then=_kind(body), other=_kind(orelse))
            raise self.error("formula-type", message, None, node)
        if body.kind == "text" and body.values is not None and orelse.values is not None:
            return text_of(body.values | orelse.values)
        return _PLAIN[body.kind]

    def compare(self, node: ast.Compare) -> ValueType:
        operands = [node.left, *node.comparators]
        types = [self.check(operand) for operand in operands]
        for i, op in enumerate(node.ops):
            left, right = operands[i], operands[i + 1]
            self.compare_pair(op, (types[i], left, self.segment(left)), (types[i + 1], right))
        order = next((t.order for t in types if t.order is not None), None)
        if order is not None and any(_COMPARISONS[type(op)] not in ("==", "!=") for op in node.ops):
            # an ordered enum compares by rank: each operand becomes enum_rank(value, order)
            held = ast.Constant(_Order(order))  # type: ignore[arg-type]
            ranked: list[ast.expr] = [
                ast.copy_location(ast.Call(ast.Name("enum_rank", ast.Load()), [o, held], []), o)
                for o in operands
            ]
            node.left, node.comparators = ranked[0], ranked[1:]
        return BOOL

    def compare_pair(
        self,
        op: ast.cmpop,
        left: tuple[ValueType, ast.expr, str],
        right: tuple[ValueType, ast.expr],
    ) -> None:
        """Check ``left op right``; `left` carries a label naming it in enum messages."""
        (left_type, left_node, label), (right_type, right_node) = left, right
        symbol, kind = _COMPARISONS[type(op)], left_type.kind
        if kind != right_type.kind:
            hint: str | None = None
            if {kind, right_type.kind} == {"text", "number"}:
                hint = Message("formula-hint-text-number")
            message = Message(
                "formula-cannot-compare",
                left=_kind(kind),
                right=_kind(right_type.kind),
                symbol=symbol,
            )
            raise self.error("formula-type", message, hint, right_node)
        ordered = _ordered_pair(left_type, left_node, right_type, right_node)
        if kind in ("text", "bool") and symbol not in ("==", "!=") and not ordered:
            message = Message("formula-cannot-order", kind=_kind(kind), symbol=symbol)
            hint = None
            if left_type.values is not None or right_type.values is not None:
                hint = Message("formula-hint-ordered-enum")
            raise self.error("formula-type", message, hint, right_node)
        sides = ((left_type, label, right_node), (right_type, self.segment(right_node), left_node))
        for enum, name, other in sides:
            value = other.value if isinstance(other, ast.Constant) else None
            if enum.values is not None and isinstance(value, str) and value not in enum.values:
                allowed = sorted(enum.values)
                always = "False" if symbol == "==" else "True"
                message = Message("formula-not-a-value", value=value, name=name, always=always)
                hint = suggest(value, allowed) or Message(
                    "formula-hint-its-values", values=", ".join(map(repr, allowed))
                )
                raise self.error("formula-type", message, hint, other)

    def name(self, node: ast.Name) -> ValueType:
        declared = self.names.get(node.id)
        if declared is None:
            hint = suggest(node.id, sorted(self.names))
            if node.id in FUNCTIONS:
                hint = Message(
                    "formula-hint-is-function", name=node.id, signature=FUNCTIONS[node.id]
                )
            elif node.id in ("true", "false", "none", "null"):
                hint = Message("formula-hint-booleans")
            message = Message("formula-unknown-name", name=node.id, non_ascii=_non_ascii(node.id))
            raise self.error("unknown-name", message, hint, node)
        if declared.kind == "list":
            message = Message("formula-list-fact-read", name=node.id)
            hint = Message("formula-hint-eg", example=f"count({node.id})")
            raise self.error("formula-type", message, hint, node)
        self.reads[node.id] = None
        return declared

    def constant(self, node: ast.Constant) -> ValueType:
        value = node.value
        if isinstance(value, bool):
            return BOOL
        if isinstance(value, str):
            if len(value) > MAX_STRING_LITERAL:
                message = Message(
                    "formula-text-too-long", length=len(value), limit=MAX_STRING_LITERAL
                )
                raise self.error("formula-too-complex", message, None, node)
            return TEXT
        if isinstance(value, (int, float, complex)):
            node.value = self.number(node)  # type: ignore[assignment]  # simpleeval returns it as is
            return NUMBER
        what = {type(None): "None", bytes: Message("formula-what-bytes")}.get(
            type(value), repr(value)
        )
        raise self.forbidden(what, node, Message("formula-hint-values"))

    def number(self, node: ast.Constant) -> Decimal:
        """The exact value of a numeric literal, read from its source text, not from the float."""
        text = self.segment(node)
        if _NUMBER_LITERAL.match(text):
            if re.match(r"0[0-9]", text):
                raise self.error(
                    "formula-syntax", Message("formula-leading-zero"), _LEADING_ZEROS, node
                )
            if len(text) > _MAX_NUMBER_LITERAL:
                message = Message(
                    "formula-number-too-long", length=len(text), limit=_MAX_NUMBER_LITERAL
                )
                hint = Message("formula-hint-declare-fact")
                raise self.error("formula-too-complex", message, hint, node)
            return Decimal(text)
        lower = text.lower()
        if lower.startswith(("0x", "0o", "0b")):
            why, how = "formula-number-not-decimal", Message("formula-hint-decimal-digits")
        elif "_" in text:
            why, how = (
                "formula-number-underscore",
                Message("formula-hint-write", text=text.replace("_", "")),
            )
        elif lower.endswith("j"):
            why, how = "formula-number-imaginary", Message("formula-hint-real")
        elif "e" in lower:
            why, how = "formula-number-exponent", Message("formula-hint-all-digits")
        elif text.startswith("."):
            why, how = (
                "formula-number-no-leading-digit",
                Message("formula-hint-write", text=f"0{text}"),
            )
        else:
            why = "formula-number-trailing-dot"
            how = Message("formula-hint-write-or", text=text.rstrip("."), other=f"{text}0")
        raise self.error("formula-forbidden", Message(why, text=text), how, node)

    # --- calls

    def call(self, node: ast.Call) -> ValueType:
        func = node.func
        assert isinstance(func, ast.Name)  # screen() allows no other callee
        name, signature = func.id, FUNCTIONS.get(func.id)
        if signature is None:
            hint = suggest(name, list(FUNCTIONS)) or Message(
                "formula-hint-functions", names=", ".join(FUNCTIONS)
            )
            if name in ("int", "float", "Decimal"):
                hint = Message("formula-hint-exact-numbers")
            message = Message("formula-unknown-function", name=name, non_ascii=_non_ascii(name))
            raise self.error("unknown-function", message, hint, node)
        usage = Message("formula-hint-signature", signature=signature)
        _, fewest, most, kind = _SIGNATURES[name]
        given = len(node.args)
        if given < fewest or (most is not None and given > most) or (name, given) == ("count", 2):
            expected = (
                Message("formula-arity-or", fewest=1, most=3)
                if name == "count"
                else _arity(fewest, most)
            )
            message = Message("formula-arguments", name=name, expected=expected, given=given)
            raise self.error("formula-arguments", message, usage, node)
        if kind == "list":
            return self.list_call(node, name, usage)
        if kind == "where":
            return self.where_call(node, name, usage)
        if kind == "name":
            arg = node.args[0]
            if not isinstance(arg, ast.Name) or arg.id not in self.names:
                message = Message("formula-given-needs-name")
                raise self.error("formula-arguments", message, usage, arg)
            self.reads[arg.id] = None
            self.uses_given = True
            node.args[0] = ast.copy_location(ast.Constant(arg.id), arg)
            return BOOL
        if kind == "indicator":
            arg = node.args[0]
            if not (isinstance(arg, ast.Constant) and type(arg.value) is str):
                message = Message("formula-not-applicable-needs-id")
                hint = Message("formula-hint-eg", example="not_applicable('satisfaction')")
                if isinstance(arg, ast.Name):
                    hint = Message("formula-hint-not-applicable-quote", id=arg.id)
                raise self.error("formula-arguments", message, hint, arg)
            self.uses_marks = True
            return BOOL
        for position, arg in enumerate(node.args, 1):
            got = self.check(arg).kind
            if got != kind:
                message = Message(
                    "formula-argument-kind", name=name, kind=kind, position=position, got=got
                )
                raise self.error("formula-arguments", message, usage, arg)
        step = node.args[1] if given == 2 and name in ("round", "floor", "ceil") else None
        if isinstance(step, ast.Constant) and isinstance(step.value, Decimal) and step.value <= 0:
            message = Message("formula-step-positive", name=name, step=self.segment(step))
            hint = Message("formula-hint-step")
            raise self.error("formula-arguments", message, hint, step)
        return NUMBER

    def list_call(self, node: ast.Call, name: str, usage: str) -> ValueType:
        args = node.args
        first = args[0]
        declared = self.names.get(first.id) if isinstance(first, ast.Name) else None
        if not isinstance(first, ast.Name) or declared is None or declared.kind != "list":
            got = self.check(first).kind
            message = Message("formula-needs-list", name=name, got=got)
            raise self.error("formula-arguments", message, usage, first)
        self.reads[first.id] = None
        read = self.fields_read.setdefault(first.id, set()) if len(args) > 1 else set()
        if name == "count" and len(args) == 3:
            field = self.field(node, 1, first.id, declared, usage, number=False)
            read.add(field[0])
            value = self.check(args[2])
            label = Message("formula-label-field", field=field[0], list=first.id)
            self.compare_pair(ast.Eq(), (field[1], args[1], label), (value, args[2]))
        elif name != "count":
            for position in range(1, len(args)):
                read.add(self.field(node, position, first.id, declared, usage, number=True)[0])
        return NUMBER

    def where_call(self, node: ast.Call, name: str, usage: str) -> ValueType:
        """count_where / sum_where / any / all: the condition is checked as a yes/no formula
        over the record's fields (which hide facts of the same name) and the other names."""
        args = node.args
        first = args[0]
        declared = self.names.get(first.id) if isinstance(first, ast.Name) else None
        if not isinstance(first, ast.Name) or declared is None or declared.kind != "list":
            got = self.check(first).kind
            message = Message("formula-needs-list", name=name, got=got)
            raise self.error("formula-arguments", message, usage, first)
        self.reads[first.id] = None
        read = self.fields_read.setdefault(first.id, set())
        if name == "sum_where":
            read.add(self.field(node, 1, first.id, declared, usage, number=True)[0])
        condition = args[-1]
        fields = dict(declared.fields or {})
        outer, before = self.names, dict(self.reads)
        self.names = {**outer, **fields}
        try:
            result = self.check(condition)
        finally:
            self.names = outer
        # every field name the condition may have read (a fact of the same name read before
        # counts too: more fields read only keeps a value inexact that may be exact)
        read.update(n for n in self.reads if n in fields)
        # the fields the condition read are the record's, not names of the run
        self.reads = {**before, **{n: None for n in self.reads if n not in fields}}
        if result.kind != "bool":
            message = Message(
                "formula-condition-over-fields", name=name, list=first.id, got=str(result)
            )
            example = f"{name}({first.id}, {next(iter(fields), 'field')} > 0)"
            if name == "sum_where":
                example = f"sum_where({first.id}, field, other_field == 'x')"
            hint = Message("formula-hint-eg", example=example)
            raise self.error("formula-type", message, hint, condition)
        source = self.segment(condition)
        held = ast.Constant(_Condition(condition, source))  # type: ignore[arg-type]
        args[-1] = ast.copy_location(held, condition)
        self.uses_where = True
        return BOOL if name in ("any", "all") else NUMBER

    def field(
        self,
        node: ast.Call,
        position: int,
        of: str,
        declared: ValueType,
        usage: str,
        *,
        number: bool,
    ) -> tuple[str, ValueType]:
        """Check a bare field-name argument and replace it by a text constant."""
        arg = node.args[position]
        if not isinstance(arg, ast.Name):
            message = Message("formula-argument-field-bare", position=position + 1, list=of)
            raise self.error("formula-arguments", message, usage, arg)
        fields = declared.fields or {}
        found = fields.get(arg.id)
        if found is None:
            hint = suggest(arg.id, sorted(fields)) or Message(
                "formula-hint-its-fields", names=", ".join(sorted(fields))
            )
            message = Message("formula-no-field", list=of, name=arg.id)
            raise self.error("unknown-field", message, hint, arg)
        if found.optional:
            message = Message("formula-optional-field", name=arg.id, list=of)
            hint = Message("formula-hint-required-field")
            raise self.error("optional-fact", message, hint, arg)
        if number and found.kind != "number":
            message = Message(
                "formula-argument-number-field", position=position + 1, name=arg.id, kind=found.kind
            )
            raise self.error("formula-arguments", message, usage, arg)
        node.args[position] = ast.copy_location(ast.Constant(arg.id), arg)
        return arg.id, found


#: Operators from spreadsheets, C and JavaScript, and what a formula writes instead: (token,
#: what it is taken for, what to write). Tried in order, outside text literals.
_HABITS: tuple[tuple[str, str, str], ...] = (
    ("===", Message("formula-what-strict-eq"), Message("formula-hint-write-eq")),
    ("!==", Message("formula-what-strict-ne"), Message("formula-hint-write-ne")),
    ("&&", Message("formula-what-and"), Message("formula-hint-write-and")),
    ("||", Message("formula-what-or"), Message("formula-hint-write-or-op")),
    ("<>", Message("formula-what-not-equal"), Message("formula-hint-write-not-equal")),
    ("=>", Message("formula-what-greater-equal"), Message("formula-hint-write-greater-equal")),
    ("=<", Message("formula-what-less-equal"), Message("formula-hint-write-less-equal")),
    ("?", Message("formula-what-choice"), Message("formula-hint-write-if")),
)
_PERCENT_SIGN = re.compile(r"[0-9.)\w]\s*%(?=\s*($|[)<>=!,]|and\b|or\b|if\b|else\b))")
_BANG = re.compile(r"!(?!=)")
_ASSIGN = re.compile(r"(?<![=!<>+\-*/:%])=(?!=)")


def _outside_text(source: str) -> str:
    """`source` with every text literal blanked out (same length), so operators in text are
    not taken for operators."""
    out, quote, i = [], "", 0
    while i < len(source):
        ch = source[i]
        if quote:
            if source.startswith(quote, i):
                out.append(" " * len(quote))
                i += len(quote)
                quote = ""
                continue
            out.append(" ")
        elif ch in "'\"":
            quote = ch * 3 if source.startswith(ch * 3, i) else ch
            out.append(" " * len(quote))
            i += len(quote)
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _habit(source: str) -> tuple[str, str, int] | None:
    """A syntax error caused by an operator from another language: (message, hint, offset)."""
    code = _outside_text(source)
    for token, meant, hint in _HABITS:
        at = code.find(token)
        if at >= 0:
            return Message("formula-habit", what=meant), hint, at
    sign = _PERCENT_SIGN.search(code)
    if sign is not None:
        hint = Message("formula-hint-percent-sign")
        return Message("formula-percent-sign"), hint, sign.end() - 1
    bang = _BANG.search(code)
    if bang is not None:
        return Message("formula-bang"), Message("formula-hint-write-not"), bang.start()
    assign = _ASSIGN.search(code)
    if assign is not None:
        hint = Message("formula-hint-assign-compare")
        return Message("formula-assign"), hint, assign.start()
    return None


_TOKEN = re.compile(
    r"(?P<text>(?:[rRbBuUfF]{1,2})?(?:'''.*?'''|\"\"\".*?\"\"\"|'[^']*'|\"[^\"]*\"))"
    r"|(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<op>\*\*=?|//=?|>>=?|<<=?|->|\.\.\.|[-+*/%&|^@<>=!:]=|\S)",
    re.S,
)
#: Python's operators and punctuation that parse; any other is not part of the language.
# fmt: off
_PUNCTUATION = frozenset({
    "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "(", ")", "[", "]", "{", "}", ",",
    ".", ":", "**", "//", "%", "&", "|", "^", "~", "<<", ">>", "@", "...",
})
# fmt: on
#: Words of the formula language (and of Python expressions, forbidden after parsing).
_WORDS = frozenset({"and", "or", "not", "if", "else", "in", "is", "lambda", "await"})
_VALUE_WORDS = frozenset({"True", "False", "None"})
_OPENERS, _CLOSERS = "([{", ")]}"


@dataclasses.dataclass(frozen=True)
class _Token:
    """A token of a formula that did not parse: where it starts, its kind and text."""

    start: int
    kind: str  # text, number, name or op
    text: str

    @property
    def word(self) -> bool:
        """A keyword (``and``, ``if``, ``import``), not a name or ``True``."""
        word = self.text in _WORDS or iskeyword(self.text)
        return self.kind == "name" and word and self.text not in _VALUE_WORDS

    @property
    def value(self) -> bool:
        return self.kind in ("text", "number") or (self.kind == "name" and not self.word)

    @property
    def ends_value(self) -> bool:
        return self.value or self.text in _CLOSERS

    @property
    def starts_value(self) -> bool:
        return self.value or self.text in _OPENERS


def _tokens(source: str) -> list[_Token]:
    """A rough split of a formula into tokens, enough to name what a syntax error stopped at."""
    return [_Token(m.start(), m.lastgroup or "op", m.group()) for m in _TOKEN.finditer(source)]


def _explain_syntax(source: str, reason: str, at: int) -> tuple[str, str | None, int]:
    """A syntax error Python reports as `reason` at index `at`, said in the catalogue's words:
    (message, hint, index of the caret)."""
    tokens = _tokens(source)
    if "was never closed" in reason:
        bracket = source[at] if source[at : at + 1] in tuple(_OPENERS) else "("
        closer = _CLOSERS[_OPENERS.index(bracket)]
        return (
            Message("formula-unclosed", bracket=bracket),
            Message("formula-hint-unclosed", closer=closer),
            at,
        )
    pair = re.match(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'", reason)
    if pair is not None:
        bracket, opener = pair[1], pair[2]
        closer = _CLOSERS[_OPENERS.index(opener)] if opener in _OPENERS else ")"
        message = Message("formula-mismatched", bracket=bracket, opener=opener)
        return message, Message("formula-hint-mismatched", opener=opener, closer=closer), at
    alone = re.match(r"unmatched '(.)'", reason)
    if alone is not None:
        bracket = alone[1]
        opener = _OPENERS[_CLOSERS.index(bracket)] if bracket in _CLOSERS else "("
        message = Message("formula-unmatched", bracket=bracket)
        return message, Message("formula-hint-unmatched", opener=opener), at
    if reason.startswith("expected 'else'"):
        # Python points at the start of the branch; the caret goes under the 'if' that no
        # 'else' at its depth of brackets answers
        depth, open_ifs = 0, collections.defaultdict[int, list[int]](list)
        for token in tokens:
            depth += (token.text in _OPENERS) - (token.text in _CLOSERS)
            if token.text == "if":
                open_ifs[depth].append(token.start)
            elif token.text == "else" and open_ifs[depth]:
                open_ifs[depth].pop()
        at = min((i for ifs in open_ifs.values() for i in ifs if i >= at), default=at)
        return Message("formula-if-without-else"), Message("formula-hint-write-if"), at
    if reason.startswith("unterminated"):
        quote = source[at : at + 3] if "triple-quoted" in reason else source[at : at + 1]
        quote = repr(quote if quote and not quote.strip("'\"") else "'")
        ending = Message("formula-hint-unterminated-text", quote=quote)
        return Message("formula-unterminated-text", quote=quote), ending, at
    following = [t for t in tokens if t.start + len(t.text) > at]
    # Python reads inside an f-string, which is forbidden whatever it holds
    formatted = [t for t in tokens if t.kind == "text" and "f" in t.text[:2].lower()]
    if formatted and (reason.startswith("f-string") or following[:1] == formatted[:1]):
        what, why = _FORBIDDEN_NODES[ast.JoinedStr]
        return Message("formula-forbidden", what=what), why, formatted[0].start
    if at >= len(source) or not following:
        last = repr(tokens[-1].text) if tokens else "''"
        message = Message("formula-ends-early", last=last)
        return message, Message("formula-hint-ends-early", last=last), len(source)
    token = following[0]
    index = tokens.index(token)
    before = tokens[index - 1] if index else None
    if any(why in reason for why in ("comma", "decimal literal", "Missing parentheses")):
        # Python points at the first of two values side by side: find the second
        for first, second in zip(tokens[index:], tokens[index + 1 :], strict=False):
            if first.ends_value and second.starts_value:
                before, token = first, second
                break
    if before is not None and before.ends_value and token.starts_value:
        message = Message("formula-no-operator", found=repr(token.text), before=repr(before.text))
        return message, Message("formula-hint-no-operator"), token.start
    if token.kind == "op" and token.text not in _PUNCTUATION:
        hint = Message("formula-hint-operators")
        return Message("formula-habit", what=repr(token.text)), hint, token.start
    if token.word and token.text not in _WORDS:
        return Message("formula-habit", what=repr(token.text)), None, token.start
    if not token.starts_value and (before is None or not before.ends_value):
        hint = Message("formula-hint-value-missing")
        if before is None:
            return Message("formula-value-missing-first", found=repr(token.text)), hint, token.start
        message = Message("formula-value-missing", before=repr(before.text), found=repr(token.text))
        return message, hint, token.start
    column, found = token.start + 1, repr(token.text)
    if reason.startswith("invalid syntax"):
        return Message("formula-invalid-at", column=column, found=found), None, token.start
    message = Message("formula-invalid-at-reason", column=column, found=found, reason=reason)
    return message, None, token.start


def compile_formula(
    source: str,
    *,
    names: Mapping[str, ValueType],
    expect: str | None = None,
    rounding_mode: str = "half_up",
    location: Location | None = None,
    subject: str | None = None,
) -> Formula:
    """Parse and check a formula once, for any number of later runs.

    Args:
        source: the formula, one Python expression (see docs/expressions.md).
        names: the type of every fact and derived value the formula may read.
        expect: ``"number"`` or ``"bool"`` to require that result type; None accepts any.
        rounding_mode: the rubric's rounding mode (a key of `ROUNDING_MODES`), used by ``round()``.
        location: where the formula stands in its file, for messages.
        subject: what the formula belongs to, e.g. ``indicator 'spend_rate'``.

    Returns:
        The checked `Formula`.

    Raises:
        RubricError: with one problem saying what is wrong, where, and how to fix it.
        UsageError: `expect` or `rounding_mode` is not an accepted value.
    """
    if rounding_mode not in ROUNDING_MODES:
        message = Message("formula-unknown-rounding", mode=rounding_mode)
        raise UsageError(Problem("bad-argument", message))
    if expect not in (None, "number", "bool"):
        raise UsageError(Problem("bad-argument", Message("formula-expect", expect=expect)))
    text = source.strip()
    checker = _Checker(text, names, location, subject)
    if not text:
        raise checker.error("formula-syntax", Message("formula-empty"))
    if len(text) > MAX_FORMULA_LENGTH:
        message = Message("formula-too-long", length=len(text), limit=MAX_FORMULA_LENGTH)
        raise checker.error("formula-too-complex", message, _SPLIT)
    breaks = [i for i, ch in enumerate(text) if ch in "\r\n"]
    if breaks:
        hint = Message("formula-hint-one-line")
        raise checker.error("formula-forbidden", Message("formula-one-line"), hint, breaks[0])
    checker.scan()
    tree = checker.parse()
    checker.screen(tree)
    result = checker.check(tree.body)
    if expect is not None and result.kind != expect:
        message = Message("formula-gives", result=_kind(result), expect=_kind(expect))
        raise checker.error("formula-type", message)
    return Formula(
        source=text,
        type=result,
        names=frozenset(checker.reads),
        location=location,
        subject=subject,
        _tree=tree.body,
        _functions=_RUNTIME[rounding_mode],
        _reads=tuple(checker.reads),
        _constant=_constant_of(tree.body),
        _uses_given=checker.uses_given,
        _uses_where=checker.uses_where,
        _uses_marks=checker.uses_marks,
        fields_read={k: frozenset(v) for k, v in checker.fields_read.items()},
    )


def indicators_read(formula: Formula) -> list[str]:
    """The indicator ids a formula asks ``not_applicable()`` about, in order (the caller checks
    that each is an indicator that may be marked 不涉及)."""
    found = [
        node.args[0].value
        for node in ast.walk(formula._tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "not_applicable"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]
    return list(dict.fromkeys(found))


def _constant_of(node: ast.expr) -> Decimal | None:
    """The value of a formula that is a plain number literal (or its negation)."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1, node.operand
    value: object = node.value if isinstance(node, ast.Constant) else None
    if not isinstance(value, Decimal) or isinstance(value, bool):
        return None
    # copy_negate is exact; arithmetic here would round under the process-global context
    return ZERO if not value else (value if sign > 0 else value.copy_negate())
