"""Generated Python for a rubric's checked formulas: the fast path of `Formula.run`.

At load, after every check, each formula of the plan is lowered from its checked tree to one
Python function, and all of them are compiled together, once, as one module whose source is
deterministic (`Plan.generated`; ``perfscore compile RUBRIC --show`` prints it).

What may reach the source, and how:

- only the constructs the formula checker accepts (arithmetic ``+ - * /``, unary ``- + not``,
  comparisons, ``and``/``or``, conditional expressions, calls of the allow-listed functions,
  names, number/text/boolean constants); any other node, and the generator refuses the formula,
  which then runs on the interpreter alone;
- every name becomes a generated local (``n0``, ``n1``...) read as ``env[<repr of the name>]``;
- every number is a module constant built from its exact text (``c0 = Decimal('0.5')``), text
  constants and names appear only as ``repr`` literals, functions are bound from the formula's
  own table by their allow-listed names.

The module also holds the whole plan as one function per trace mode (`_plancode`) and the
facts validator (`_load/_facts.validator_source`), in `Plan.fast`; those are compiled at their
first use, the formulas at load.

The interpreter (simpleeval over the same tree) stays the reference. A generated function
returns `DEFER` when a name it reads has no value, and any exception it raises is dropped:
`Formula.run` then runs the reference, which gives the value or the located error, so results
and messages never differ. `uninstall` removes the fast path (the differential tests compare
both); with the environment variable ``PERFSCORE_CODEGEN=0`` nothing is installed at load, so
a whole process runs on the interpreter.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterator, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from types import CodeType

from perfscore._engine._plan import Plan
from perfscore._engine._plancode import plan_source
from perfscore._lang._expr import _SHARED_FUNCTIONS, DEFER, FUNCTIONS, Formula, _count
from perfscore._load._facts import validator_source
from perfscore._numbers import ZERO

__all__ = ["enabled", "formulas_of", "generate", "uninstall"]

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_UNARY = {ast.USub: "-", ast.UAdd: "+", ast.Not: "not "}
_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_BOOL = {ast.And: " and ", ast.Or: " or "}


class _UnsupportedError(Exception):
    """A node the generator does not lower: the formula stays on the interpreter."""


class _Module:
    """The shared parts of the generated module: constants and function tables."""

    def __init__(self) -> None:
        self.constants: dict[str, str] = {}  # Decimal text -> constant name
        self.tables: list[Mapping[str, Callable[..., object]]] = []
        self.bound: dict[tuple[int, str], str] = {}  # (table, function) -> global name

    def number(self, value: Decimal) -> str:
        text = str(value)
        name = self.constants.get(text)
        if name is None:
            name = self.constants[text] = f"c{len(self.constants)}"
        return name

    def function(self, table: Mapping[str, Callable[..., object]], name: str) -> str:
        if name not in FUNCTIONS or name == "given" or name not in table:
            raise _UnsupportedError(name)
        index = next((i for i, known in enumerate(self.tables) if known is table), None)
        if index is None:
            index = len(self.tables)
            self.tables.append(table)
        key = (index, name)
        bound = self.bound.get(key)
        if bound is None:
            bound = self.bound[key] = f"f{len(self.bound)}_{name}"
        return bound


class _Lowering:
    """One formula's tree as a Python expression over generated locals."""

    def __init__(self, module: _Module, formula: Formula, *, in_context: bool = False) -> None:
        self.module = module
        self.table = formula.functions
        self.locals: dict[str, str] = {}  # name -> local
        #: the expression runs only where the evaluation context is in force (inside the
        #: whole-plan function), so arithmetic the functions do in that context may be inline
        self.in_context = in_context

    def expr(self, node: ast.expr) -> str:
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return f"({self.expr(node.left)} {_BINARY[type(node.op)]} {self.expr(node.right)})"
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return f"({_UNARY[type(node.op)]}{self.expr(node.operand)})"
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            parts = [self.expr(node.left)]
            for op, right in zip(node.ops, node.comparators, strict=True):
                parts.append(_COMPARE[type(op)])
                parts.append(self.expr(right))
            return "(" + " ".join(parts) + ")"
        if isinstance(node, ast.BoolOp) and type(node.op) in _BOOL:
            return "(" + _BOOL[type(node.op)].join(self.expr(v) for v in node.values) + ")"
        if isinstance(node, ast.IfExp):
            body, test, orelse = self.expr(node.body), self.expr(node.test), self.expr(node.orelse)
            return f"({body} if {test} else {orelse})"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            return self.call(node.func.id, node.args)
        if isinstance(node, ast.Name):
            local = self.locals.get(node.id)
            if local is None:
                local = self.locals[node.id] = f"n{len(self.locals)}"
            return local
        if isinstance(node, ast.Constant):
            return self.constant(node.value)
        raise _UnsupportedError(type(node).__name__)

    def call(self, name: str, args: list[ast.expr]) -> str:
        if name == "given":  # given(name): the checker turned the bare name into text
            (arg,) = args
            if not (isinstance(arg, ast.Constant) and type(arg.value) is str):
                raise _UnsupportedError("given")
            return f"(env.get({arg.value!r}) is not None)"
        if name == "count" and len(args) == 1 and self.table.get(name) is _count:
            return f"Decimal(len({self.expr(args[0])}))"  # `_count` of a whole list
        mode = _STEPPED.get(name)
        if (
            mode is not None
            and self.in_context
            and self.table.get(name) is _SHARED_FUNCTIONS[name]
            and len(args) in (1, 2)
        ):
            step = _ONE if len(args) == 1 else _constant_of(args[1])
            if step is not None and step > 0:
                # `quantize_step(x, step, mode)`, whose context is the one in force here
                s = self.module.number(step)
                return f"nonzero(({self.expr(args[0])} / {s}).to_integral_value({mode!r}) * {s})"
        function = self.module.function(self.table, name)
        return f"{function}({', '.join(self.expr(a) for a in args)})"

    def constant(self, value: object) -> str:
        if type(value) is bool:
            return "True" if value else "False"
        if type(value) is Decimal:
            return self.module.number(value)
        if type(value) is str:
            return repr(value)
        raise _UnsupportedError(type(value).__name__)


#: floor(x[, step]) and ceil(x[, step]) by their rounding mode
_STEPPED = {"floor": ROUND_FLOOR, "ceil": ROUND_CEILING}
_ONE = Decimal(1)


def _constant_of(node: ast.expr) -> Decimal | None:
    """A positive or negative number literal of a checked tree, else None."""
    value: object = node.value if isinstance(node, ast.Constant) else None
    return value if type(value) is Decimal else None


def _nonzero(value: Decimal) -> Decimal:
    """`value`, or the one zero for any zero (``-0``, ``0.00``), as `quantize_step` gives."""
    return value if value else ZERO


def formulas_of(plan: Plan) -> Iterator[Formula]:
    """Every formula of the plan, once each, in rubric order: derived values, indicators,
    bonus indicators, checks, then each records group's rules and checks."""
    seen: set[int] = set()

    def fresh(formulas: tuple[Formula, ...]) -> Iterator[Formula]:
        for formula in formulas:
            if id(formula) not in seen:
                seen.add(id(formula))
                yield formula

    yield from fresh(tuple(f for _, f in plan.derived))
    for leaf in (*plan.leaves, *plan.bonus):
        yield from fresh(leaf.node.formulas)
    yield from fresh(tuple(check.when for check in plan.checks))
    for records in plan.records.values():
        for rule in records.rules.values():
            yield from fresh(rule.node.formulas)
        yield from fresh(tuple(check.when for check in records.checks))


def _function(index: int, formula: Formula, body: str, names: Mapping[str, str]) -> list[str]:
    lines = [f"def formula_{index}(env):", f"    {formula.source!r}"]
    lines += [f"    {local} = env[{name!r}]" for name, local in names.items()]
    if names:
        lines.append(f"    if {' or '.join(f'{n} is None' for n in names.values())}:")
        lines.append("        return DEFER")
    lines.append(f"    return {body}")
    return lines


#: Compiled modules by their source: loading the same rubric again (a batch, a test suite)
#: compiles nothing. The source decides the code entirely; the tables are bound per load.
_CODE: dict[str, CodeType] = {}
_CODE_MAX = 64


def _code(source: str, name: str = "formulas") -> CodeType:
    code = _CODE.get(source)
    if code is None:
        if len(_CODE) >= _CODE_MAX:
            _CODE.clear()
        code = _CODE[source] = compile(source, f"<perfscore generated {name}>", "exec")
    return code


def enabled() -> bool:
    """False when ``PERFSCORE_CODEGEN=0``: nothing generated is installed, the interpreter runs."""
    return os.environ.get("PERFSCORE_CODEGEN", "1") != "0"


def generate(plan: Plan, *, install: bool = True) -> str:
    """Generate, compile and (with `install`) put in place the fast path of every formula of
    `plan` that is not a plain constant; return the generated module's source."""
    module = _Module()
    bodies: list[tuple[Formula, list[str]]] = []
    inline: dict[int, tuple[str, dict[str, str]]] = {}  # id(formula) -> (expression, locals)
    for formula in formulas_of(plan):
        if formula.constant is not None:
            continue  # Formula.run returns a constant without evaluating anything
        lowering = _Lowering(module, formula)
        try:
            body = lowering.expr(formula.tree)
        except _UnsupportedError:
            continue
        bodies.append((formula, _function(len(bodies), formula, body, lowering.locals)))
        inside = _Lowering(module, formula, in_context=True)
        inline[id(formula)] = (inside.expr(formula.tree), dict(inside.locals))
    names = inline
    whole, whole_names = plan_source(plan, module.number, names)
    traced, traced_names = plan_source(plan, module.number, names, trace=True)
    whole_names.update(traced_names)
    off = "\n".join(whole) + "\n"
    on = "\n".join(traced) + "\n"
    head = [
        "# Generated by perfscore from the checked formulas of one rubric. Each function",
        "# returns DEFER (or raises) when the interpreter must decide; see docs/performance.md.",
    ]
    head += [f"{name} = Decimal({text!r})" for text, name in module.constants.items()]
    head += [
        f"{bound} = T{index}[{function!r}]" for (index, function), bound in module.bound.items()
    ]
    source = "\n".join([*head, *(line for _, lines in bodies for line in ["", *lines])]) + "\n"
    checker, checker_names = validator_source(plan.facts)
    if install and enabled():
        # the validator and the whole-plan functions are compiled at their first use (most
        # of the source; a load stays fast), the formulas now: the interpreter calls them
        plan.fast["facts"] = _lazy(plan, "facts", checker, checker_names, "validate_facts")
    if install and enabled():
        namespace: dict[str, object] = {
            **whole_names,
            "Decimal": Decimal,
            "DEFER": DEFER,
            "nonzero": _nonzero,
        }
        namespace.update((f"T{i}", table) for i, table in enumerate(module.tables))
        exec(_code(source), namespace)  # noqa: S102  # our own source, see the module docstring
        for index, (formula, _) in enumerate(bodies):
            function = namespace[f"formula_{index}"]
            formula.install_fast(function)  # type: ignore[arg-type]
        plan.fast["run"] = _lazy(plan, "run", off, namespace, "run_plan")
        plan.fast["run_traced"] = _lazy(plan, "run_traced", on, namespace, "run_plan_traced")
    return "\n".join([source, "", off, "", on, _VALIDATOR_HEAD, checker])


def _lazy(
    plan: Plan, key: str, source: str, namespace: dict[str, object], name: str
) -> Callable[..., object]:
    """A stand-in for the generated function `name` of `source`: its first call compiles the
    source into `namespace` (once per distinct source in the process, see `_code`), puts the
    function in ``plan.fast[key]`` and calls it."""

    def first(*args: object) -> object:
        exec(_code(source, key), namespace)  # noqa: S102  # our own source, see the docstring
        function: Callable[..., object] = namespace[name]  # type: ignore[assignment]
        plan.fast[key] = function
        return function(*args)

    return first


_VALIDATOR_HEAD = """\
# --- the facts validator ---------------------------------------------------------------
# Plainly valid facts (every value of its declared type and within bounds, no unknown name)
# come back typed; anything else gives None and the full validator reports the problems.
"""


def uninstall(plan: Plan) -> None:
    """Remove every generated function: `plan` then runs on the interpreter alone."""
    plan.fast.clear()
    for formula in formulas_of(plan):
        formula.install_fast(None)
