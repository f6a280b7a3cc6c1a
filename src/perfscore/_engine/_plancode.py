"""Generated Python for a whole plan: one function per rubric and trace mode that runs it.

`_codegen.generate` adds the function this module writes to the rubric's generated module, after
the formulas it calls. It does what `_run.run` does for a document without unknown or doubtful
values and without not-applicable indicators, in the same order and with the same arithmetic:
derived values, each indicator by its method (``formula``, ``checklist``, ``ratio`` and
``per_unit`` written out; any other method through its own ``run``), clamp, round and clamp,
records groups through the interpreter's own expansion, group subtotals, the bonus, the total
(scaled, capped, floored), the grade and the checks, into the same `RunResult`.

What may reach the source: indicator, group and check ids as ``repr`` literals (ids follow the
id rule), numbers as module constants built from their exact text, and nothing else of the
rubric: names and the plan's objects (nodes, checks, records plans) are bound in the module's
namespace under generated names (``t0``, ``NODE_3``...), each named in a comment.

The interpreter stays the reference. The function returns None (the interpreter then runs the
document) when the document has marks, when a formula has no value for a name it reads
(`DEFER`), on a negative checklist deduction or a zero ratio target without its rule, and the
caller drops any exception it raises, so the interpreter gives the score or the located error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    Decimal,
    localcontext,
)

from perfscore._engine._finish import canon, finish
from perfscore._engine._plan import LeafPlan, Plan
from perfscore._engine._ranges import is_marked
from perfscore._engine._run import (
    GroupResult,
    LeafResult,
    Notice,
    RunResult,
    _each,
    _expand,
    _implausible,
    _note,
    _record_weights,
)
from perfscore._engine._trace import Event, FixedArgs, NullRecorder, Recorder
from perfscore._lang._expr import DEFER, Formula
from perfscore._load._model import Interval, Rounding
from perfscore._methods import REGISTRY
from perfscore._methods._base import Named, Template
from perfscore._methods.bands import BandsNode
from perfscore._methods.checklist import ChecklistNode
from perfscore._methods.formula import FormulaNode
from perfscore._methods.per_unit import PerUnitNode
from perfscore._methods.ratio import RatioNode
from perfscore._methods.tiers import TiersNode, _scaled
from perfscore._numbers import CONTEXT, ROUNDING_MODES, ZERO

__all__ = ["plan_source"]

#: the methods written out with traces off; any other runs through `REGISTRY[method].run`
LOWERED = ("formula", "checklist", "ratio", "per_unit", "bands", "tiers")


class _Writer:
    """The lines of the plan function and the names it binds."""

    def __init__(
        self,
        number: Callable[[Decimal], str],
        formulas: Mapping[int, tuple[str, dict[str, str]]],
        trace: bool,
    ) -> None:
        self.trace = trace
        self._number = number  # Decimal -> module constant name (shared with the formulas)
        #: the names `number` gave
        self.numbers: set[str] = set()
        self.formulas = formulas  # id(formula) -> its generated expression and locals
        self.lines: list[str] = []
        self.bound: dict[str, object] = {}
        self.notes: list[str] = []
        self.bound_formulas: dict[int, str] = {}
        self.temp = 0
        #: names whose value is never None in a run's environment (required facts, which the
        #: validators fill or refuse, and derived values); a formula reading only these needs
        #: no look for a missing value
        self.given: frozenset[str] = frozenset()
        #: the lines of ``records_plan`` (``records_plan_traced``), which makes the run's
        #: records from the locals in `kept`: what the plan function keeps of each leaf and
        #: group, in that order (`plan_source`)
        self.records: list[str] = []
        self.kept: list[str] = []
        #: the arguments of steps that are made of constants only, one module constant each
        #: (a `FixedArgs`: every run's step shares it), by their display
        self.arguments: dict[str, str] = {}

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def number(self, value: Decimal) -> str:
        """The module constant holding `value`."""
        name = self._number(value)
        self.numbers.add(name)
        return name

    def bind(self, prefix: str, value: object, note: str) -> str:
        name = f"{prefix}{len(self.bound)}{'_on' if self.trace else ''}"
        self.bound[name] = value
        self.notes.append(f"# {name}: {note}")
        return name

    def fresh(self) -> str:
        self.temp += 1
        return f"x{self.temp}"

    def value(self, formula: Formula, target: str, depth: int, *, number: bool | None) -> None:
        """`target = formula(env)`; return None from the plan function when it defers."""
        if formula.constant is not None:
            self.emit(depth, f"{target} = {self.number(formula.constant)}")
            return
        lowered = self.formulas.get(id(formula))
        bound = self.bound_formulas.get(id(formula))
        if bound is None:
            bound = self.bind("F", formula, "a formula (when a name it reads has no value)")
            self.bound_formulas[id(formula)] = bound
        if lowered is None:  # not lowered: the formula's own run (the interpreter)
            self.emit(depth, f"{target} = {bound}.run(env)")
        else:  # its generated expression, inline; a name without a value: the interpreter
            body, names = lowered
            self.emit(depth, f"# {formula.source!r}")
            for name, local in names.items():
                self.emit(depth, f"{local} = env[{name!r}]")
            optional = [local for name, local in names.items() if name not in self.given]
            if optional:
                self.emit(depth, f"if {' or '.join(f'{n} is None' for n in optional)}:")
                self.emit(depth + 1, f"{target} = {bound}.run(env)")
                self.emit(depth, "else:")
                self.emit(depth + 1, f"{target} = {body}")
            else:
                self.emit(depth, f"{target} = {body}")
        if number is None:  # a condition: only `is True` is read
            return
        if number:
            self.emit(depth, f"if type({target}) is not Decimal:")
            self.emit(depth + 1, "return None")
            self.emit(depth, f"if not {target}:")
            self.emit(depth + 1, f"{target} = ZERO")
        else:
            self.emit(depth, f"if type({target}) is Decimal and not {target}:")
            self.emit(depth + 1, f"{target} = ZERO")

    def truth(self, formula: Formula, depth: int) -> str:
        """A local holding True when the condition holds (`run(env) is True`)."""
        local = self.fresh()
        self.value(formula, local, depth, number=None)
        return f"{local} is True"


def _finish_leaf(
    w: _Writer,
    leaf: LeafPlan,
    local: str,
    depth: int,
    units: dict[str, str] | None,
    finisher: Callable[[_Writer, tuple[Decimal, Decimal], Rounding | None, int, str | None], bool],
) -> None:
    """`leaf`'s score in `v` finished by `finisher` (`_finish` or `_traced_finish`); a score
    kept beside it as whole steps has its local of steps named in `units` under `local`."""
    unit = None if units is None else f"u{len(units)}"
    if finisher(w, (leaf.min, leaf.max), leaf.rounding, depth, unit) and unit:
        assert units is not None
        units[local] = unit


def _defaults(cls: type, given: int, stop: int | None = None) -> str:
    """The source of the declared defaults of `cls`'s fields after the first `given` (up to
    `stop`), for a NamedTuple built with ``tuple.__new__``, which does not fill them in."""
    fields: tuple[str, ...] = cls._fields[given:stop]  # type: ignore[attr-defined]
    defaults: Mapping[str, object] = cls._field_defaults  # type: ignore[attr-defined]
    assert set(fields) <= set(defaults), cls  # every later field has a default
    return "".join(f", {defaults[name]!r}" for name in fields)


#: the fields of a `LeafResult` after its rules, at their defaults: a leaf of the generated plan
#: is never a records row, a range or doubtful
_LEAF_DEFAULTS = _defaults(LeafResult, 11)
assert LeafResult._fields[10] == "rules"
assert all(LeafResult._field_defaults[n] in (None, ()) for n in LeafResult._fields[11:])
_GROUP_DEFAULTS = _defaults(GroupResult, 5)
#: a run's ranges, none for an exact run; `pending` follows them
_RANGE_DEFAULTS = _defaults(RunResult, 12, -1)
assert RunResult._fields[-1] == "pending"


#: the most multiples of a rounding step a finished-score table holds (see `_steps`)
STEPS = 2000


def _steps(low: Decimal, high: Decimal, step: Decimal) -> dict[int, Decimal] | None:
    """``k -> canon(k * step)`` for every whole `k` with `low` <= ``k * step`` <= `high`: the
    finished score of each rounded value, known at load; None when there would be too many."""
    with localcontext(CONTEXT):
        first = (low / step).to_integral_value(rounding=ROUND_CEILING)
        last = (high / step).to_integral_value(rounding=ROUND_FLOOR)
        if not first.is_finite() or not last.is_finite() or last - first >= STEPS:
            return None
        table = {k: canon(Decimal(k) * step) for k in range(int(first), int(last) + 1)}
    if any(not low <= value <= high for value in table.values()):
        return None  # never for exact steps; the written-out path stays right regardless
    return table


#: how many more decimal places than its step's a finished score's text is looked up with
#: (`_by_text`): 4.5, 4.50 and 4.500 for a step of 0.5, as sums and differences leave them
PLACES = 2


def _by_text(table: Mapping[int, Decimal], *, k: bool = False) -> dict[str, object]:
    """The finished scores of `table` (``k -> canon(k * step)``) by the text of each in its
    usual notations, or (`k`) their whole steps: each canonical text, and that of the same
    value with each exponent from its own down to `PLACES` places past the step's.

    Looking a score up by its text is exact: equal texts are equal values (the text of a
    Decimal is exact), and a text not here (another notation, more places, a -0) is no hit,
    so the written-out path decides. It is much quicker than by value: a Decimal's hash is
    computed with modular powers, its text in one pass.
    """
    values = list(table.values())
    least = min((int(v.as_tuple().exponent) for v in values), default=0)
    out: dict[str, object] = {}
    with localcontext(CONTEXT):
        for key, value in table.items():
            own = min(int(value.as_tuple().exponent), 0)
            for places in range(-own, -least + PLACES + 1):
                text = str(value.quantize(Decimal(1).scaleb(-places)))
                assert Decimal(text) == value
                out[text] = key if k else value
            out[str(value)] = key if k else value
    return out


def _finish(
    w: _Writer,
    bounds: tuple[Decimal, Decimal],
    rounding: Rounding | None,
    depth: int,
    unit: str | None = None,
) -> bool:
    """`finish` on local `v` with rules in list `f`, as `_finish.finish` does.

    With a rounding step whose multiples within [min, max] are few (`_steps`), a value that is
    already one of them is looked up by its text and is its own finished score (the usual
    case: a checklist's whole and half points, `_by_lookup`); otherwise the rounded value
    ``k * step`` is looked up by ``k`` in the same table, needing no second clamp. Anything
    else takes the written-out clamp and canonical form.

    When min and max are multiples of the step too, every finished score is one, and with
    `unit` given the local `unit` is left holding the score in whole steps (``k``), for sums
    in whole numbers (`_unit_sum`); the return value says whether it is.
    """
    low, high = w.number(bounds[0]), w.number(bounds[1])
    head = _by_lookup(w, bounds, rounding, unit, depth)
    if head is None:
        _finish_rest(w, (low, high), rounding, depth, "")
        return False
    table, whole, grid, steps = head
    if not steps:
        steps = w.bind("STEPS", table, "the finished scores of the multiples of the step")
    _finish_rest(w, (low, high), rounding, depth + 1, steps)
    if whole:
        w.emit(depth + 1, f"{unit} = {grid}[str(v)]")  # on a step within [min, max]: there
    return whole


def _by_lookup(
    w: _Writer,
    bounds: tuple[Decimal, Decimal],
    rounding: Rounding | None,
    unit: str | None,
    depth: int,
) -> tuple[dict[int, Decimal], bool, str, str] | None:
    """The head of a finish by lookup, both finishes' (`_finish`, `_traced_finish`), when
    the multiples of the rounding step within [min, max] are few (`_steps`; None, nothing
    written, when not): a value already on the step within them is its own finished score
    (no clamp, no rounding, nothing recorded), found by its text with its canonical form.
    When every finished score is a whole number of steps (`_whole_steps`) and `unit` is
    given, the lookup also leaves its steps in that local. It leaves an ``else:`` open for
    the written-out finish; returns the table of multiples, whether the steps are kept, and
    the names of the lookup and, when they are, of the scores by whole steps ("" if not)."""
    table = _steps(bounds[0], bounds[1], rounding.step) if rounding is not None else None
    if table is None or rounding is None:
        return None
    if unit is not None and not _whole_steps(bounds, rounding.step):
        unit = None
    e = w.emit
    steps = ""
    if unit is not None:
        steps = w.bind("STEPS", table, "the finished scores of each whole number of steps")
        grid = w.bind("GRID", _by_text(table, k=True), "whole steps by finished score's text")
        e(depth, f"{unit} = {grid}.get(str(v))")
        e(depth, f"if {unit} is not None:")
        e(depth + 1, f"v = {steps}[{unit}]")
    else:
        grid = w.bind("GRID", _by_text(table), "the finished scores by their text")
        e(depth, f"r = {grid}.get(str(v))")
        e(depth, "if r is not None:")
        e(depth + 1, "v = r")
    e(depth, "else:")
    return table, unit is not None, grid, steps


def _whole_steps(bounds: tuple[Decimal, Decimal], step: Decimal) -> bool:
    """Whether every finished score of these bounds, rounded to `step` (with a table of its
    multiples, `_steps`), is a whole number of steps: min and max are multiples of it."""
    with localcontext(CONTEXT):
        return all((b / step) % 1 == 0 for b in bounds)


def _finish_rest(
    w: _Writer, bounds: tuple[str, str], rounding: Rounding | None, depth: int, steps: str
) -> None:
    """`_finish`'s clamp, rounding (the rounded value looked up in table `steps`, when there
    is one) and canonical form."""
    e = w.emit
    low, high = bounds
    e(depth, f"if v > {high}:")
    e(depth + 1, f"v = {high}")
    e(depth + 1, "f.append('clamp')")
    e(depth, f"elif v < {low}:")
    e(depth + 1, f"v = {low}")
    e(depth + 1, "f.append('clamp')")
    if rounding is None:
        _canon(w, "v", depth)
        return
    step, mode = w.number(rounding.step), ROUNDING_MODES[rounding.mode]
    inner = depth
    if steps:
        e(depth, f"k = (v / {step}).to_integral_value(rounding={mode!r})")
        e(depth, f"r = {steps}.get(int(k))")
        e(depth, "if r is not None:")
        e(depth + 1, "if r != v:")
        e(depth + 2, "f.append('round')")
        e(depth + 1, "v = r")
        e(depth, "else:")
        inner = depth + 1
        e(inner, f"r = k * {step}")
    else:
        e(inner, f"r = (v / {step}).to_integral_value(rounding={mode!r}) * {step}")
    e(inner, "if r.is_zero():")
    e(inner + 1, "r = ZERO")
    e(inner, "if r != v:")
    e(inner + 1, "f.append('round')")
    e(inner, "v = r")
    e(inner, f"if v > {high}:")
    e(inner + 1, f"v = {high}")
    e(inner + 1, "f.append('clamp')")
    e(inner, f"elif v < {low}:")
    e(inner + 1, f"v = {low}")
    e(inner + 1, "f.append('clamp')")
    _canon(w, "v", inner)


def _canon(w: _Writer, local: str, depth: int) -> None:
    """`local = canon(local)`, written out."""
    w.emit(depth, f"if {local}.is_zero():")
    w.emit(depth + 1, f"{local} = ZERO")
    w.emit(depth, f"elif {local} == {local}.to_integral_value():")
    w.emit(depth + 1, f"{local} = {local}.quantize(ONE)")
    w.emit(depth, "else:")
    w.emit(depth + 1, f"{local} = {local}.normalize()")


#: the step every score under a leaf or group is a multiple of, and the least and greatest
#: sum: (step, low, high); None when not known (no rounding, mixed steps, records)
Grain = tuple[Decimal, Decimal, Decimal] | None


def _combined(grains: list[Grain]) -> Grain:
    """The grain of a sum of scores of these grains."""
    if not grains or any(g is None for g in grains):
        return None
    steps = {g[0] for g in grains if g is not None}
    if len(steps) != 1:
        return None
    with localcontext(CONTEXT):
        low = sum((g[1] for g in grains if g is not None), ZERO)
        high = sum((g[2] for g in grains if g is not None), ZERO)
    return steps.pop(), low, high


def _canon_sum(w: _Writer, local: str, depth: int, grain: Grain) -> None:
    """`local = canon(local)` for a sum of scores: looked up by value when the sum is known to
    be a multiple of one step within a small range, else written out."""
    table = None if grain is None else _steps(grain[1], grain[2], grain[0])
    if table is None:
        _canon(w, local, depth)
        return
    grid = w.bind("GRID", _by_text(table), "the canonical sums by their text")
    w.emit(depth, f"r = {grid}.get(str({local}))")
    w.emit(depth, "if r is not None:")
    w.emit(depth + 1, f"{local} = r")
    w.emit(depth, "else:")
    _canon(w, local, depth + 1)


def _unit_sum(
    w: _Writer, local: str, parts: list[str], units: Mapping[str, str], grain: Grain
) -> str | None:
    """`local` for a sum of scores each held in whole steps (the locals `units` names for
    `parts`) when its grain is known: their whole steps added as integers and the canonical
    sum looked up by them; the local of the sum's whole steps, or None when not written so.

    Each score is exactly its whole steps times the step, so the sum is exactly theirs times
    it, within the sum of the least and greatest: the lookup is `_canon_sum`'s, by integer.
    """
    if grain is None or not parts or any(p not in units for p in parts):
        return None
    table = _steps(grain[1], grain[2], grain[0])
    if table is None:
        return None
    unit = f"u{len(units)}"
    sums = w.bind("STEPS", table, "the canonical sums of each whole number of steps")
    w.emit(1, f"{unit} = {' + '.join(units[p] for p in parts)}")
    w.emit(1, f"{local} = {sums}[{unit}]")
    return unit


def _method(w: _Writer, leaf: LeafPlan, top: str, depth: int) -> None:
    """The raw score of `leaf` in local `v`, its rules so far in list `f`."""
    e = w.emit
    node = leaf.node
    method = leaf.method
    if method == "formula":
        w.value(node.formula, "v", depth, number=True)  # type: ignore[attr-defined]
        e(depth, "f = ['formula']")
    elif method == "checklist":
        e(depth, "f = []")
        e(depth, f"v = {top}")
        for item in node.items:  # type: ignore[attr-defined]
            holds = w.truth(item.when, depth)
            e(depth, f"if {holds}:")
            rule = repr("item:" + item.id)
            points = item.points.constant
            if points is not None and points >= 0:
                e(depth + 1, f"f.append({rule})")
                e(depth + 1, f"v -= {w.number(points)}")
                continue
            w.value(item.points, "a", depth + 1, number=True)
            e(depth + 1, "if a < 0:")
            e(depth + 2, "return None")
            e(depth + 1, f"f.append({rule})")
            e(depth + 1, "v -= a")
        _floor(w, node.floor, depth)  # type: ignore[attr-defined]
    elif method == "ratio":
        w.value(node.actual, "a", depth, number=True)  # type: ignore[attr-defined]
        w.value(node.target, "b", depth, number=True)  # type: ignore[attr-defined]
        e(depth, "if b.is_zero():")
        zero = node.when_target_zero  # type: ignore[attr-defined]
        if zero is None:
            e(depth + 1, "return None")
        else:
            w.value(zero, "v", depth + 1, number=True)
            e(depth + 1, "f = ['target_zero']")
        e(depth, "else:")
        e(depth + 1, f"v = {top} * a / b")
        e(depth + 1, "f = ['ratio']")
    elif method == "per_unit":
        w.value(node.measure, "a", depth, number=True)  # type: ignore[attr-defined]
        e(depth, f"u = max(a, ZERO) / {w.number(node.unit)}")  # type: ignore[attr-defined]
        partial = node.partial  # type: ignore[attr-defined]
        if partial == "whole":
            e(depth, "u = u.to_integral_value(rounding=ROUND_FLOOR)")
        elif partial == "started":
            e(depth, "u = u.to_integral_value(rounding=ROUND_CEILING)")
        e(depth, f"d = u * {w.number(node.points)}")  # type: ignore[attr-defined]
        e(depth, f"v = {top} - d")
        e(depth, "f = ['deduction'] if d > 0 else []")
        _floor(w, node.floor, depth)  # type: ignore[attr-defined]
    elif method == "bands":
        _bands(w, node, depth)  # type: ignore[arg-type]
    elif method == "tiers" and (table := _tier_table(leaf)) is not None:
        _tiers(w, node, table, depth)  # type: ignore[arg-type]
    else:
        run = w.bind("RUN_", REGISTRY[method].run, f"the run step of the {method} method")
        bound = w.bind("NODE_", node, f"the {method} node of indicator {leaf.id!r}")
        e(depth, "rec = NullRecorder()")
        e(depth, f"v = {run}({bound}, env, {top}, rec)")
        e(depth, "f = rec.fired")


def _inside(w: _Writer, local: str, interval: Interval) -> str:
    """A condition: `local` lies in `interval` (`Interval.contains`, written out)."""
    parts = []
    if interval.low is not None:
        parts.append(f"{local} {'>=' if interval.low_inclusive else '>'} {w.number(interval.low)}")
    if interval.high is not None:
        op = "<=" if interval.high_inclusive else "<"
        parts.append(f"{local} {op} {w.number(interval.high)}")
    return " and ".join(parts) or "True"


def _bands(w: _Writer, node: BandsNode, depth: int) -> None:
    """The first band holding the measure scores; none and no ``otherwise``: the interpreter
    (which raises the located error)."""
    e = w.emit
    w.value(node.measure, "a", depth, number=True)
    for i, band in enumerate(node.table):
        e(depth, f"{'if' if i == 0 else 'elif'} {_inside(w, 'a', band.range)}:")
        w.value(band.score, "v", depth + 1, number=True)
        e(depth + 1, f"f = ['band[{i}]']")
    e(depth, "else:" if node.table else "if True:")
    if node.otherwise is None:
        e(depth + 1, "return None")
    else:
        w.value(node.otherwise, "v", depth + 1, number=True)
        e(depth + 1, "f = ['otherwise']")


def _tiers(w: _Writer, node: TiersNode, table: Mapping[str, _Tier], depth: int) -> None:
    """The level's tier: the assessed score when given and inside the tier's range in points,
    else the tier's default share of the max; anything else (no level, a score outside its
    tier, no default): the interpreter, which raises the located error."""
    e = w.emit
    e(depth, f"lv = env.get({node.level!r})")
    if node.score is not None:
        e(depth, f"a = env[{node.score!r}]")
    first = True
    for level, (rule, _, scaled, _, default) in table.items():
        e(depth, f"{'if' if first else 'elif'} lv == {level!r}:")
        first = False
        inner = depth + 1
        if node.score is not None:
            e(inner, "if type(a) is Decimal:")
            e(inner + 1, f"if not ({_inside(w, 'a', scaled)}):")
            e(inner + 2, "return None")
            e(inner + 1, "v = a")
            e(inner, "else:")
            inner += 1
        if default is None:
            e(inner, "return None")
        else:
            e(inner, f"v = {w.number(default)}")
        e(depth + 1, f"f = [{rule!r}]")
    e(depth, "else:" if table else "if True:")
    e(depth + 1, "return None")


def _floor(w: _Writer, floor: Decimal, depth: int) -> None:
    name = w.number(floor)
    w.emit(depth, f"if not v >= {name}:")
    w.emit(depth + 1, "f.append('floor')")
    w.emit(depth + 1, f"v = {name}")


def _leaf(
    w: _Writer, leaf: LeafPlan, local: str, depth: int, units: dict[str, str] | None = None
) -> None:
    """`local = LeafResult(...)` for a declared or bonus indicator; with `units`, its score's
    whole steps are kept in a local of their own when `_finish` can, and `units` says which
    (by the local `local`)."""
    top, low = w.number(leaf.max), w.number(leaf.min)
    w.emit(depth, f"# {leaf.id!r}: {leaf.method}")
    name = w.bind("t", leaf.name, f"the name of indicator {leaf.id!r}")
    kind = "bonus" if leaf.is_bonus else "indicator"
    if w.trace:
        _traced_leaf(w, leaf, local, depth, (name, kind, low, top), units)
        return
    _method(w, leaf, top, depth)
    _finish_leaf(w, leaf, local, depth, units, _finish)
    # the score and its rules now; `records_plan` makes the record from them, when asked:
    # the tuple itself (`LeafResult` with every field, defaults as declared), as its class's
    # `__new__` is a Python function
    w.emit(depth, f"{local} = v")
    w.emit(depth, f"q{local} = f")
    w.kept += [local, f"q{local}"]
    w.records.append(
        f"{local} = new(LeafResult, ({leaf.id!r}, {name}, {leaf.parent!r}, {kind!r}, {low}, "
        f"{top}, {local}, True, None, None, tuple(q{local}){_LEAF_DEFAULTS}))"
    )


def _traced_leaf(
    w: _Writer,
    leaf: LeafPlan,
    local: str,
    depth: int,
    parts: tuple[str, str, str, str],
    units: dict[str, str] | None = None,
) -> None:
    """A leaf with traces on: its method, `finish` and `explain` written out (`_traced_method`,
    `_traced_finish`), recording the events the interpreter's `_leaf` records, value for value;
    a method that is not written out runs through its own run step and `finish`."""
    name, kind, low, top = parts
    e = w.emit
    inputs = ", ".join(f"{n!r}: env[{n!r}]" for n in leaf.reads)
    e(depth, f"i = {{{inputs}}}")
    if _traced_method(w, leaf, top, depth):
        _finish_leaf(w, leaf, local, depth, units, _traced_finish)
        if leaf.explain is not None:
            explain = w.bind("EXPLAIN_", leaf.explain, f"the explain template of {leaf.id!r}")
            values = _template_values(leaf.explain, {"score": "v", "full": top})
            args = f"{{'template': {explain}, 'values': {values}}}"
            _event(w, depth, ("'note'", "v", "'template'", args))
        # the score, inputs, events and rules now; the record when asked for (`records_plan`)
        e(depth, f"{local} = v")
        e(depth, f"q{local}, i{local}, e{local} = f, i, ev")
        w.kept += [local, f"q{local}", f"i{local}", f"e{local}"]
        w.records.append(
            f"{local} = NEW(LeafResult, ({leaf.id!r}, {name}, {leaf.parent!r}, {kind!r}, {low}, "
            f"{top}, {local}, True, i{local}, tuple(e{local}), tuple(q{local}){_LEAF_DEFAULTS}))"
        )
        return
    run = w.bind("RUN_", REGISTRY[leaf.method].run, f"the run step of the {leaf.method} method")
    node = w.bind("NODE_", leaf.node, f"the {leaf.method} node of indicator {leaf.id!r}")
    rounding = "None"
    if leaf.rounding is not None:
        rounding = w.bind("ROUNDING_", leaf.rounding, f"the rounding of indicator {leaf.id!r}")
    e(depth, "rec = Recorder()")
    e(depth, f"v = finish({run}({node}, env, {top}, rec), {low}, {top}, {rounding}, rec)")
    if leaf.explain is not None:
        explain = w.bind("EXPLAIN_", leaf.explain, f"the explain template of {leaf.id!r}")
        e(depth, f"note({explain}, v, {top}, env, rec)")
    e(
        depth,
        f"r{local} = LeafResult({leaf.id!r}, {name}, {leaf.parent!r}, {kind!r}, {low}, {top}, "
        "v, True, i, tuple(rec.events), tuple(rec.fired))",
    )
    e(depth, f"{local} = v")  # the record is made already: `records_plan` takes it as it is
    w.kept.append(f"r{local}")
    w.records.append(f"{local} = r{local}")


def _event(
    w: _Writer, depth: int, parts: tuple[str, ...], into: str = "ev", *, constant: bool = False
) -> None:
    """``into.append(Event(kind, value, phrase, args, amount, rule))``, each part an expression
    (amount and rule None when left out), built as the tuple it is: ``NEW`` is
    ``tuple.__new__``, `Recorder.step` without its call. `constant`: the display of `args`
    reads only module constants, so it is made once (`_arguments`)."""
    kind, value, phrase, args, *rest = parts
    amount, rule = (*rest, "None", "None")[:2]
    if constant:
        args = _arguments(w, args)
    w.emit(
        depth, f"{into}.append(NEW(Event, ({kind}, {value}, {phrase}, {args}, {amount}, {rule})))"
    )


def _arguments(w: _Writer, display: str) -> str:
    """The module constant holding the arguments `display` makes (only of constants): a
    `FixedArgs`, so a writer may keep the words of its step by its identity."""
    name = w.arguments.get(display)
    if name is None:
        name = w.arguments[display] = f"ARGS{len(w.arguments)}{'_on' if w.trace else ''}"
    return name


def _is_constant(w: _Writer, expression: str) -> bool:
    """Whether `expression` names a module constant (a number `_Writer.number` named)."""
    return expression in w.numbers


def _template_values(template: Template, own: Mapping[str, str]) -> str:
    """`Template.values` as a dict display: each placeholder's value from `own` (name ->
    expression) or else from ``env``, in the template's order."""
    parts = (f"{n!r}: {own.get(n, f'env[{n!r}]')}" for n in template.names)
    return "{" + ", ".join(parts) + "}"


#: the methods written out with traces on
TRACED = ("formula", "checklist", "ratio", "per_unit", "bands", "tiers")


def _traced_method(w: _Writer, leaf: LeafPlan, top: str, depth: int) -> bool:
    """The raw score of `leaf` in local `v`, its rules so far in list `f` and its events in list
    `ev`, as its method's run step records them; False (nothing written) for a method that is
    not written out.

    Where the run step would raise (a negative deduction, a zero target without its rule, a
    measure in no band, a tier without a level, a score outside its tier or no score for it),
    the plan function returns None: the interpreter reports it, located.
    """
    method = leaf.method
    tiers = _tier_table(leaf) if method == "tiers" else None
    if method not in TRACED or (method == "tiers" and tiers is None):
        return False
    w.emit(depth, "ev = []")
    if method == "formula":
        _traced_formula(w, leaf, depth)
    elif method == "checklist":
        _traced_checklist(w, leaf, top, depth)
    elif method == "ratio":
        _traced_ratio(w, leaf, top, depth)
    elif method == "per_unit":
        _traced_per_unit(w, leaf, top, depth)
    elif method == "bands":
        _traced_bands(w, leaf, depth)
    else:
        assert tiers is not None
        _traced_tiers(w, leaf, top, tiers, depth)
    return True


def _text(w: _Writer, text: str | None, note: str) -> str:
    """A rubric text (a source, a label) as a bound name; None as ``None``."""
    return "None" if text is None else w.bind("t", text, note)


def _traced_formula(w: _Writer, leaf: LeafPlan, depth: int) -> None:
    """`formula._run`: the value, and one step naming the values it read."""
    node: FormulaNode = leaf.node  # type: ignore[assignment]
    formula = node.formula
    w.value(formula, "v", depth, number=True)
    w.emit(depth, "f = ['formula']")
    named = "".join(
        f"Named({_text(w, label, f'the label of {n!r}')}, env[{n!r}]), "
        for n, label in zip(formula.reads, node.labels, strict=True)
    )
    source = "None" if formula.reads else _text(w, formula.source, f"the formula of {leaf.id!r}")
    args = f"{{'inputs': ({named}), 'source': {source}, 'score': v}}"
    _event(w, depth, ("'start'", "v", "'formula'", args, "None", "'formula'"))


def _traced_checklist(w: _Writer, leaf: LeafPlan, top: str, depth: int) -> None:
    """`checklist._run`: from max, each item that holds deducts its points, down to the floor."""
    e = w.emit
    node: ChecklistNode = leaf.node  # type: ignore[assignment]
    e(depth, "f = []")
    e(depth, f"v = {top}")
    args = f"{{'max': {top}}}"
    _event(w, depth, ("'start'", top, "'start_max'", args), constant=_is_constant(w, top))
    for item in node.items:
        holds = w.truth(item.when, depth)
        e(depth, f"if {holds}:")
        rule = repr("item:" + item.id)
        points = item.points.constant
        if points is not None and points >= 0:
            amount = w.number(points)
        else:
            amount = "a"
            w.value(item.points, "a", depth + 1, number=True)
            e(depth + 1, "if a < 0:")
            e(depth + 2, "return None")
        e(depth + 1, f"f.append({rule})")
        e(depth + 1, f"v -= {amount}")
        reason = w.bind("REASON_", item.reason, f"the reason of item {item.id!r} of {leaf.id!r}")
        if item.reason.names:
            args = f"{{'template': {reason}, 'values': {_template_values(item.reason, {})}}}"
            _event(w, depth + 1, ("'deduction'", "v", "'template'", args, amount, rule))
        else:  # words without values: the same on every run
            args = f"{{'template': {reason}, 'values': Fixed()}}"
            _event(
                w, depth + 1, ("'deduction'", "v", "'template'", args, amount, rule), constant=True
            )
    _traced_floor(w, node.floor, depth)


def _traced_floor(w: _Writer, floor: Decimal, depth: int) -> None:
    """`floor_at`: deductions stop at the floor, a rule and a step of its own."""
    name = w.number(floor)
    w.emit(depth, f"if not v >= {name}:")
    w.emit(depth + 1, "f.append('floor')")
    w.emit(depth + 1, f"v = {name}")
    args = f"{{'floor': {name}}}"
    _event(w, depth + 1, ("'floor'", name, "'floor'", args, "None", "'floor'"), constant=True)


def _traced_ratio(w: _Writer, leaf: LeafPlan, top: str, depth: int) -> None:
    """`ratio._run`: max × actual / target, or the zero target's own score."""
    e = w.emit
    node: RatioNode = leaf.node  # type: ignore[assignment]
    w.value(node.actual, "a", depth, number=True)
    w.value(node.target, "b", depth, number=True)
    e(depth, "if b.is_zero():")
    zero = node.when_target_zero
    if zero is None:
        e(depth + 1, "return None")
    else:
        w.value(zero, "v", depth + 1, number=True)
        e(depth + 1, "f = ['target_zero']")
        args = "{'score': v}"
        _event(w, depth + 1, ("'start'", "v", "'target_zero'", args, "None", "'target_zero'"))
    e(depth, "else:")
    e(depth + 1, f"v = {top} * a / b")
    e(depth + 1, "f = ['ratio']")
    sides = []
    for formula, local in ((node.actual, "a"), (node.target, "b")):
        side = formula.source.strip()  # a bare name is shown with its label (`ratio._named`)
        if side in node.labels:
            label = _text(w, node.labels[side], f"the label of {side!r}")
            sides.append(f"Named({label}, {local})")
        else:
            sides.append(local)
    args = f"{{'top': {top}, 'actual': {sides[0]}, 'target': {sides[1]}, 'score': v}}"
    _event(w, depth + 1, ("'start'", "v", "'ratio'", args, "None", "'ratio'"))


def _traced_per_unit(w: _Writer, leaf: LeafPlan, top: str, depth: int) -> None:
    """`per_unit._run`: points off max per unit of the measure, down to the floor."""
    e = w.emit
    node: PerUnitNode = leaf.node  # type: ignore[assignment]
    w.value(node.measure, "a", depth, number=True)
    unit, points = w.number(node.unit), w.number(node.points)
    e(depth, f"u = max(a, ZERO) / {unit}")
    if node.partial == "whole":
        e(depth, "u = u.to_integral_value(rounding=ROUND_FLOOR)")
    elif node.partial == "started":
        e(depth, "u = u.to_integral_value(rounding=ROUND_CEILING)")
    e(depth, f"d = u * {points}")
    e(depth, f"v = {top} - d")
    args = f"{{'max': {top}}}"
    _event(w, depth, ("'start'", top, "'start_max'", args), constant=_is_constant(w, top))
    e(depth, "if d > 0:")
    e(depth + 1, "f = ['deduction']")
    source = _text(w, node.measure.source, f"the measure of {leaf.id!r}")
    reason, values = "None", "{}"
    if node.reason is not None:
        reason = w.bind("REASON_", node.reason, f"the reason of {leaf.id!r}")
        values = _template_values(node.reason, {"measure": "a", "units": "u", "deduction": "d"})
    args = (
        f"{{'measure': {source}, 'value': a, 'units': u, 'unit': {unit}, 'points': {points}, "
        f"'deduction': d, 'reason': {reason}, 'values': {values}}}"
    )
    _event(w, depth + 1, ("'deduction'", "v", "'per_unit'", args, "d", "'deduction'"))
    e(depth, "else:")
    e(depth + 1, "f = []")
    _traced_floor(w, node.floor, depth)


def _traced_bands(w: _Writer, leaf: LeafPlan, depth: int) -> None:
    """`bands._run`: the first band whose range holds the measure scores, else `otherwise`."""
    e = w.emit
    node: BandsNode = leaf.node  # type: ignore[assignment]
    w.value(node.measure, "m", depth, number=True)
    source = _text(w, node.measure.source, f"the measure of {leaf.id!r}")
    for index, band in enumerate(node.table):
        e(depth, f"{'if' if index == 0 else 'elif'} {_inside(w, 'm', band.range)}:")
        w.value(band.score, "v", depth + 1, number=True)
        rule = repr(f"band[{index}]")
        e(depth + 1, f"f = [{rule}]")
        if band.label:
            label = _text(w, band.label, f"the label of band {index} of {leaf.id!r}")
            args = f"{{'label': {label}, 'value': m, 'score': v}}"
            _event(w, depth + 1, ("'band'", "v", "'band_label'", args, "None", rule))
        else:
            shown = w.bind("RANGE_", band.range, f"the range of band {index} of {leaf.id!r}")
            args = f"{{'measure': {source}, 'value': m, 'range': {shown}, 'label': '', 'score': v}}"
            _event(w, depth + 1, ("'band'", "v", "'band'", args, "None", rule))
    inner = depth + 1
    if node.table:
        e(depth, "else:")
    else:
        inner = depth
    if node.otherwise is None:
        e(inner, "return None")
        return
    w.value(node.otherwise, "v", inner, number=True)
    e(inner, "f = ['otherwise']")
    args = f"{{'measure': {source}, 'value': m, 'score': v}}"
    _event(w, inner, ("'band'", "v", "'no_band'", args, "None", "'otherwise'"))


#: a tier as the generated plan reads it: (rule, the name its step shows, range in points,
#: default percent, default score)
_Tier = tuple[str, str, Interval, Decimal | None, Decimal | None]


def _tier_table(leaf: LeafPlan) -> dict[str, _Tier] | None:
    """Each level of a tiers leaf with what `tiers._run` works out from it and the max, worked
    out at load in the scoring context; None when that fails (the run step then runs)."""
    node: TiersNode = leaf.node  # type: ignore[assignment]
    try:
        with localcontext(CONTEXT):
            return {
                level: (
                    f"tier:{level}",
                    row.label or level,
                    _scaled(row.range, leaf.max),
                    row.default,
                    None if row.default is None else leaf.max * row.default / 100,
                )
                for level, row in node.table.items()
            }
    except (ArithmeticError, ValueError):
        return None


def _traced_tiers(
    w: _Writer, leaf: LeafPlan, top: str, table: dict[str, _Tier], depth: int
) -> None:
    """`tiers._run`: the level's assessed score within its range, or its default."""
    e = w.emit
    node: TiersNode = leaf.node  # type: ignore[assignment]
    tiers = w.bind(
        "TIERS_", table, f"the tiers of {leaf.id!r}: rule, name, range, percent, default score"
    )
    e(depth, f"p = env.get({node.level!r})")
    e(depth, "if not isinstance(p, str):")
    e(depth + 1, "return None")
    e(depth, f"p = {tiers}[p]")
    if node.score:
        e(depth, f"a = env[{node.score!r}]")
        e(depth, "if isinstance(a, Decimal):")
        e(depth + 1, "if not p[2].contains(a):")
        e(depth + 2, "return None")
        e(depth + 1, "v = a")
        e(depth + 1, "h = 'tier_assessed'")
        e(depth, "elif p[4] is not None:")
    else:
        e(depth, "if p[4] is not None:")
    e(depth + 1, "v = p[4]")
    e(depth + 1, "h = 'tier_default'")
    e(depth, "else:")
    e(depth + 1, "return None")
    e(depth, "f = [p[0]]")
    args = "{'tier': p[1], 'range': p[2], 'score': v, 'percent': p[3]}"
    _event(w, depth, ("'tier'", "v", "h", args, "None", "p[0]"))


def _traced_finish(
    w: _Writer,
    bounds: tuple[Decimal, Decimal],
    rounding: Rounding | None,
    depth: int,
    unit: str | None = None,
) -> bool:
    """`_finish.finish` on local `v`, rules in `f`, events in `ev`: clamp, round to the step,
    clamp again, canonical form, each change a rule and a step.

    A value already on its step within [min, max] changes in none of them and records
    nothing: as in `_finish`, one lookup by its text gives its finished score (and, with `unit`,
    its whole steps when every finished score has them; the return value says so).
    """
    e = w.emit
    low, high = w.number(bounds[0]), w.number(bounds[1])
    head = _by_lookup(w, bounds, rounding, unit, depth)
    whole, grid = False, ""
    if head is not None:
        _, whole, grid, _ = head
        depth += 1
    _traced_clamp(w, low, high, depth)
    if rounding is not None:
        step, mode = w.number(rounding.step), ROUNDING_MODES[rounding.mode]
        e(depth, f"r = (v / {step}).to_integral_value(rounding={mode!r}) * {step}")
        e(depth, "if r.is_zero():")
        e(depth + 1, "r = ZERO")
        e(depth, "if r != v:")
        e(depth + 1, "f.append('round')")
        args = f"{{'step': {step}, 'mode': {rounding.mode!r}}}"
        _event(w, depth + 1, ("'round'", "r", "'round'", args, "None", "'round'"), constant=True)
        e(depth, "v = r")
        _traced_clamp(w, low, high, depth)
    _canon(w, "v", depth)
    if whole:
        e(depth, f"{unit} = {grid}[str(v)]")  # on a step within [min, max], so always there
    return whole


def _traced_clamp(w: _Writer, low: str, high: str, depth: int) -> None:
    """`_finish.clamp` on local `v`."""
    for test, bound, phrase in (
        (f"v > {high}", high, "clamp_high"),
        (f"v < {low}", low, "clamp_low"),
    ):
        w.emit(depth, f"{'if' if phrase == 'clamp_high' else 'elif'} {test}:")
        w.emit(depth + 1, "f.append('clamp')")
        args = f"{{'value': v, 'bound': {bound}}}"
        _event(w, depth + 1, ("'clamp'", bound, repr(phrase), args, "None", "'clamp'"))
        w.emit(depth + 1, f"v = {bound}")


def plan_source(
    plan: Plan,
    number: Callable[[Decimal], str],
    formulas: Mapping[int, tuple[str, dict[str, str]]],
    *,
    trace: bool = False,
) -> tuple[list[str], dict[str, object]]:
    """The lines of ``run_plan(values, plain)`` for `plan` (traces off) and the names they bind.

    `number` gives the module constant of a Decimal, `formulas` the generated expression of
    each formula (by ``id``) over its locals; both are the formulas module's.
    """
    w = _Writer(number, formulas, trace)
    w.given = frozenset(
        [name for name, spec in plan.facts.items() if spec.required]
        + [name for name, _ in plan.derived]
    )
    e = w.emit
    e(0, f"def run_plan{'_traced' if trace else ''}(values, plain):")
    mode = "on" if trace else "off"
    e(1, f'"""The plan run with traces {mode}; None: the interpreter runs it."""')
    e(1, "if not plain and is_marked(values):")
    e(2, "return None")
    e(1, "env = dict(values)")
    for name, formula in plan.derived:
        w.value(formula, "v", 1, number=False)
        e(1, f"env[{name!r}] = v")
    locals_: dict[str, str] = {}
    #: the local holding each score's whole steps, by the score's own local (`_unit_sum`)
    units: dict[str, str] = {}
    for index, leaf in enumerate(plan.leaves):
        locals_[leaf.id] = local = f"l{index}"
        _leaf(w, leaf, local, 1, units)
    if plan.plausible:
        facts = w.bind("PLAUSIBLE", plan.plausible, "the facts with a plausible range")
        e(1, f"warnings = implausible({facts}, values)")
    else:
        e(1, "warnings = []")
    e(1, "claims = {}")
    records_children: dict[str, str] = {}
    if plan.records:
        bound_plan = w.bind(
            "PLAN", plan, "the plan (records groups are expanded by the interpreter)"
        )
        facts_spec = w.bind("FACTS", plan.facts, "the fact declarations")
        e(1, f"weights = record_weights({bound_plan}, env)")
        for index, gid in enumerate(plan.records):
            records = w.bind("RECORDS", plan.records[gid], f"the records plan of group {gid!r}")
            out = f"out{index}"
            e(1, f"{out} = expand({records}, env, weights[{gid!r}], {trace}, None, {facts_spec})")
            e(1, f"warnings.extend({out}.warnings)")
            e(1, f"claims.update({out}.claims)")
            records_children[gid] = out
    # groups, children before parents
    group_local: dict[str, str] = {}
    # the max of a leaf is its declared max, and of a group without records the canonical sum
    # of its children's: known at load, as the interpreter's sums would give them
    known: dict[str, Decimal | None] = {leaf.id: leaf.max for leaf in plan.leaves}
    grains: dict[str, Grain] = {
        leaf.id: None if leaf.rounding is None else (leaf.rounding.step, leaf.min, leaf.max)
        for leaf in plan.leaves
    }

    # a leaf's or group's local holds its score: its record is made by `records_plan`
    def top_of(child: str, local: str) -> str:
        """The max of a leaf or group, as a constant when known at load."""
        fixed = known.get(child)
        return f"m{local[1:]}" if fixed is None else w.number(fixed)

    for index, group in reversed(list(enumerate(plan.groups))):
        local = group_local[group.id] = f"g{index}"
        name = w.bind("t", group.name, f"the name of group {group.id!r}")
        if group.id in records_children:
            out = records_children[group.id]
            e(1, "s = ZERO")
            e(1, "m = ZERO")
            e(1, f"for r in {out}.results:")
            e(2, "s += r.score")
            e(2, "m += r.max")
            e(1, f"if not {out}.results:")
            e(2, f"m = {out}.max")
            grains[group.id] = None
            _canon_sum(w, "s", 1, None)
        else:
            parts = [locals_.get(c) or group_local[c] for c in group.children]
            grains[group.id] = _combined([grains.get(c) for c in group.children])
            unit = _unit_sum(w, "s", parts, units, grains[group.id])
            if unit is not None:
                units[local] = unit
            else:
                e(1, "s = " + " + ".join(["ZERO", *parts]))
                _canon_sum(w, "s", 1, grains[group.id])
            maxes = [m for c in group.children if (m := known.get(c)) is not None]
            if len(maxes) == len(group.children):
                with localcontext(CONTEXT):
                    known[group.id] = canon(sum(maxes, ZERO))
        fixed = known.get(group.id)
        if fixed is not None:
            top = w.number(fixed)
        else:
            known[group.id] = None
            if group.id not in records_children:
                children = zip(group.children, parts, strict=True)
                e(1, "m = " + " + ".join(["ZERO", *(top_of(c, p) for c, p in children)]))
            _canon(w, "m", 1)
            top = "m"
        e(1, f"{local} = s")
        w.kept.append(local)
        if top == "m":
            top = f"m{index}"
            e(1, f"{top} = m")
            w.kept.append(top)
        fields = f"{group.id!r}, {name}, {group.parent!r}, {local}, {top}{_GROUP_DEFAULTS}"
        w.records.append(f"{local} = new(GroupResult, ({fields}))")
    top_locals = [group_local[g] for g in plan.top]
    grain = _combined([grains[g] for g in plan.top])
    unit = _unit_sum(w, "base", top_locals, units, grain)
    if unit is not None:
        units["base"] = unit  # (each local of whole steps has a name of its own)
    else:
        e(1, "base = " + " + ".join(["ZERO", *top_locals]))
        _canon_sum(w, "base", 1, grain)
    bonus_locals = []
    for index, leaf in enumerate(plan.bonus):
        local = f"b{index}"
        bonus_locals.append(local)
        _leaf(w, leaf, local, 1, units)
    grain = _combined(
        [None if b.rounding is None else (b.rounding.step, b.min, b.max) for b in plan.bonus]
    )
    if _unit_sum(w, "bonus", bonus_locals, units, grain) is None:
        e(1, "bonus = " + " + ".join(["ZERO", *bonus_locals]))
        _canon_sum(w, "bonus", 1, grain)
    tops = [m for g in plan.top if (m := known.get(g)) is not None]
    if len(tops) == len(plan.top):
        with localcontext(CONTEXT):
            e(1, f"max_total = {w.number(sum(tops, ZERO))}")
    else:
        tops_ = [top_of(g, group_local[g]) for g in plan.top]
        e(1, "max_total = " + " + ".join(["ZERO", *tops_]))
    e(1, "total = base + bonus")
    if trace:
        e(1, "rec = Recorder()")
        e(1, "rec.step('start', total, 'total', {'base': base, 'bonus': bonus})")
    if plan.scale_to is not None:
        scale = w.number(plan.scale_to)
        e(1, f"if max_total != {scale} and max_total > 0:")
        e(2, f"total = base * {scale} / max_total + bonus")
        if trace:
            args = f"{{'max': max_total, 'scale': {scale}}}"
            e(2, f"rec.step('scale', total, 'total_scaled', {args})")
    if plan.cap is not None:
        cap = w.number(plan.cap)
        e(1, f"if total > {cap}:")
        e(2, f"total = {cap}")
        if trace:
            e(2, f"rec.step('clamp', total, 'total_cap', {{'bound': {cap}}})")
    floor = w.number(plan.floor)
    e(1, f"if total < {floor}:")
    e(2, f"total = {floor}")
    if trace:
        e(2, f"rec.step('clamp', total, 'total_floor', {{'bound': {floor}}})")
    _grade(w, plan)
    totals = any(check.reads_totals for check in plan.checks)
    if totals:  # `reads: totals`: the checks see the totals as names, the result does not
        e(1, "scored = env")
        e(1, "env = {**env, 'total': canon(total), 'base_total': canon(base),")
        e(2, "'bonus_total': bonus, 'max_total': canon(max_total)}")
    for check in plan.checks:
        bound = w.bind("CHECK", check, f"the check {check.id!r}")
        if check.for_each is None:
            holds = w.truth(check.when, 1)
            e(1, f"if {holds}:")
            # `_notice`'s record, its placeholders' values read here
            values = _template_values(check.message, {})
            args = f"{{'template': {bound}.message, 'values': {values}}}"
            notice = f"NEW(Notice, ({check.id!r}, 'template', {args}, {check.severity!r}))"
            e(2, f"warnings.append({notice})")
    for check in plan.checks:
        if check.for_each is not None:
            bound = next(n for n, v in w.bound.items() if v is check)
            e(1, f"warnings.extend(each({bound}, env))")
    if totals:
        e(1, "env = scored")
    order: list[str] = []
    for slot in plan.slots:
        if isinstance(slot, LeafPlan):
            order.append(locals_[slot.id])
        else:
            order.append(f"*{records_children[slot]}.results")
    indicators = ", ".join([*order, *bonus_locals])
    # every indicator by id, made once: declared, then records rows, then bonus (as `_run`)
    by_id = [f"{leaf.id!r}: {locals_[leaf.id]}" for leaf in plan.leaves]
    by_id += [f"**{{r.id: r for r in {out}.results}}" for out in records_children.values()]
    by_id += [f"{leaf.id!r}: {b}" for leaf, b in zip(plan.bonus, bonus_locals, strict=True)]
    groups = ", ".join(f"{g.id!r}: {group_local[g.id]}" for g in plan.groups)
    made = f"({indicators}{',' if order or bonus_locals else ''}), {{{groups}}}"
    # the records are made when first asked for (`_run.complete`), from what the plan
    # function kept, which `records_plan` takes in the order it was kept
    kept = [*w.kept, *records_children.values()]
    records = f"records_plan{'_traced' if trace else ''}"
    pending = f"({records}, ({', '.join(kept)}{',' if kept else ''}))"
    events = "tuple(rec.events)" if trace else "None"
    e(1, "return new(RunResult, (")
    e(2, "env, None, None, None,")
    e(2, f"base, bonus, canon(total), {events}, grade, tuple(warnings), claims, max_total,")
    e(2, f"{_RANGE_DEFAULTS[2:]}, {pending},")
    e(1, "))")
    e(0, "")
    e(0, "")
    e(0, f"def {records}(p):")
    e(1, f'"""The records of a run with traces {mode}, from what the plan function kept."""')
    e(1, f"{', '.join(kept)}{',' if len(kept) == 1 else ''} = p" if kept else "del p")
    for line in w.records:
        e(1, line)
    e(1, f"leaves = {{{', '.join(by_id)}}}")
    e(1, f"return leaves, {made}")
    namespace: dict[str, object] = {
        **w.bound,
        "is_marked": is_marked,
        "canon": canon,
        "LeafResult": LeafResult,
        "GroupResult": GroupResult,
        "new": tuple.__new__,
        "RunResult": RunResult,
        "NullRecorder": NullRecorder,
        "Recorder": Recorder,
        "NEW": tuple.__new__,
        "Event": Event,
        "Fixed": FixedArgs,
        "Named": Named,
        "finish": finish,
        "note": _note,
        "implausible": _implausible,
        "record_weights": _record_weights,
        "expand": _expand,
        "Notice": Notice,
        "each": _each,
        "ROUND_FLOOR": ROUND_FLOOR,
        "ROUND_CEILING": ROUND_CEILING,
        "DEFER": DEFER,
        "ZERO": ZERO,
        "ONE": Decimal(1),
    }
    mode = "on" if trace else "off"
    head = [f"# --- the whole plan, traces {mode} ------------------------------------------------",
            *w.notes]  # fmt: skip
    # the constant arguments of steps, made when the module is: they read only its constants
    head += [f"{name} = Fixed({display})" for display, name in w.arguments.items()]
    return [*head, "", *w.lines], namespace


def _grade(w: _Writer, plan: Plan) -> None:
    """`grade = plan.grade(total)`, written out."""
    e = w.emit
    first = True
    for grade in plan.grades:
        name = w.bind("t", grade.name, "a grade's name")
        if grade.min is None:
            if first:
                e(1, f"grade = {name}")
            else:
                e(1, "else:")
                e(2, f"grade = {name}")
            return
        e(1, f"{'if' if first else 'elif'} total >= {w.number(grade.min)}:")
        e(2, f"grade = {name}")
        first = False
    last = w.bind("t", plan.grades[-1].name, "the last grade's name")
    e(1, "else:")
    e(2, f"grade = {last}")
