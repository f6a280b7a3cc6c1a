"""Random well-formed rubrics: `rubric_documents` (plain data) and `rubrics` (text).

A rubric is built top-down: facts, derived values over them, groups of indicators whose
scoring methods read what is in scope, records groups, bonus, total policy, grades, checks.
Each scoring method has one generator in `METHOD_GENERATORS`, keyed by its name in the rubric
format.
"""

from __future__ import annotations

import decimal
import functools
import itertools
import pathlib
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TypeVar, get_args

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import BaseModel

from perfscore._load._model import NUMBER_TYPES, Indicator, PerUnitMethod, RecordsSpec
from perfscore._numbers import ROUNDING_MODES
from perfscore._rubric import Rubric, load_rubric
from perfscore._testing._dump import dump_rubric

_T = TypeVar("_T")

#: A section of a rubric document as YAML would hold it: keys in the order they are written,
#: values of whatever kind the section takes (numbers, text, sections, lists of sections).
_Data = dict[str, Any]

# Generating a rubric takes about a thousand small draws; building each strategy once and
# reusing it keeps generation several times faster than the scoring it feeds.


@functools.lru_cache(maxsize=1024)
def _sampled(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


@functools.lru_cache(maxsize=256)
def _integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


_BOOLEANS = st.booleans()


def _pick(draw: st.DrawFn, options: Sequence[_T]) -> _T:
    """One of `options`, through a cached strategy where the options are hashable."""
    try:
        strategy: st.SearchStrategy[_T] = _sampled(tuple(options))
    except TypeError:  # unhashable options, such as mappings
        strategy = st.sampled_from(options)
    return draw(strategy)


def _int(draw: st.DrawFn, low: int, high: int) -> int:
    return draw(_integers(low, high))


def _coin(draw: st.DrawFn) -> bool:
    return draw(_BOOLEANS)


_LITERALS = ("0", "1", "2", "0.5", "3.75", "10", "60", "100", "0.01")
_STEPS = ("0.5", "0.01", "1", "0.1", "0.25", "0.3")
_MODES = tuple(ROUNDING_MODES)
_MAXES = ("0.5", "1", "2", "2.5", "3", "4", "5", "6", "10", "20")
_CUTS = ("-10", "0", "10", "50", "60", "80", "90", "100", "1000")


def _choices(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """What a Literal field of the rubric format allows, in the order it declares them."""
    values: tuple[str, ...] = get_args(model.model_fields[name].annotation)
    return values


_PARTIALS = _choices(PerUnitMethod, "partial")
_NOT_APPLICABLE = _choices(Indicator, "not_applicable")
_SUMS = _choices(RecordsSpec, "sum")
_NAMES = ("预算执行", "产出数量", "效益", "满意度", "合规性", "Output", "Budget")


@dataclass
class _Scope:
    """What formulas being generated may read, by type."""

    numbers: list[str] = field(default_factory=list)
    bools: list[str] = field(default_factory=list)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    lists: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # n, v, k
    facts: dict[str, _Data] = field(default_factory=dict)
    every: list[str] = field(default_factory=list)  # facts and derived values, for templates
    #: constants by the text of their value, so a band edge can name one
    constants: dict[str, str] = field(default_factory=dict)
    #: indicators a document may mark 不涉及, for ``not_applicable('id')``
    markable: list[str] = field(default_factory=list)
    counter: int = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


def _num_literal(draw: st.DrawFn) -> str:
    return _pick(draw, _LITERALS)


def _num_expr(draw: st.DrawFn, scope: _Scope, depth: int) -> str:
    """A number-typed formula over the scope."""
    leaf = st.sampled_from(scope.numbers) if scope.numbers else st.sampled_from(_LITERALS)
    if depth <= 0:
        return draw(st.one_of(leaf, st.sampled_from(_LITERALS)))
    kinds = ["name", "literal", "arith", "arith", "div", "minmax", "abs", "clamp", "round", "if"]
    if scope.lists:
        kinds.append("list")
    if scope.dates:
        kinds.append("days")
    kind = _pick(draw, kinds)
    sub = depth - 1
    if kind == "name":
        return draw(leaf)
    if kind == "literal":
        text = _num_literal(draw)
        return f"-{text}" if _coin(draw) and text != "0" else text
    if kind == "arith":
        op = _pick(draw, "+-*")
        return f"({_num_expr(draw, scope, sub)} {op} {_num_expr(draw, scope, sub)})"
    if kind == "div":
        top, bottom = _num_expr(draw, scope, sub), draw(leaf)
        if _int(draw, 0, 9) == 0:  # now and then unguarded: zero-division is legitimate
            return f"({top} / {bottom})"
        return f"({top} / {bottom} if {bottom} != 0 else {_num_literal(draw)})"
    if kind == "minmax":
        args = [_num_expr(draw, scope, sub) for _ in range(_int(draw, 2, 3))]
        return f"{_pick(draw, ['min', 'max'])}({', '.join(args)})"
    if kind == "abs":
        return f"abs({_num_expr(draw, scope, sub)})"
    if kind == "clamp":
        low, high = sorted(
            Decimal(x) for x in draw(st.lists(st.sampled_from(_LITERALS), min_size=2, max_size=2))
        )
        return f"clamp({_num_expr(draw, scope, sub)}, {low}, {high})"
    if kind == "round":
        func = _pick(draw, ["round", "floor", "ceil"])
        step = f", {_pick(draw, _STEPS)}" if _coin(draw) else ""
        return f"{func}({_num_expr(draw, scope, sub)}{step})"
    if kind == "if":
        cond = _bool_expr(draw, scope, sub)
        return f"({_num_expr(draw, scope, sub)} if {cond} else {_num_expr(draw, scope, sub)})"
    if kind == "days":
        start, end = draw(st.lists(st.sampled_from(scope.dates), min_size=2, max_size=2))
        return f"days({start}, {end})"
    name = _pick(draw, sorted(scope.lists))
    n, v, k = scope.lists[name]
    choice = _int(draw, 0, 6)
    if choice == 5:
        return f"count_where({name}, {_record_condition(draw, scope, name)})"
    if choice == 6:
        return f"sum_where({name}, {v}, {_record_condition(draw, scope, name)})"
    if choice == 0:
        return f"count({name})"
    if choice == 1:
        return f"sum({name}, {v})"
    if choice == 2:
        return f"(mean({name}, {v}) if count({name}) > 0 else 0)"
    if choice == 3 and k is not None:
        return f"count({name}, {k}, 'a')"
    return f"(weighted_mean({name}, {v}, {n}) if sum({name}, {n}) > 0 else 0)"


def _record_condition(draw: st.DrawFn, scope: _Scope, name: str) -> str:
    """A condition over one record of list `name` (its fields, now and then a fact too)."""
    n, v, k = scope.lists[name]
    parts = [f"{v} {_pick(draw, ['<', '>=', '=='])} {_pick(draw, _CUTS)}", f"{n} >= 1"]
    if k is not None:
        parts.append(f"{k} {_pick(draw, ['==', '!='])} '{_pick(draw, ['a', 'b'])}'")
    outer = [x for x in scope.numbers if x not in (n, v, k)]
    if outer and _coin(draw):
        parts.append(f"{v} <= {_pick(draw, outer)}")
    chosen = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=2, unique=True))
    return f" {_pick(draw, ['and', 'or'])} ".join(chosen)


def _bool_expr(draw: st.DrawFn, scope: _Scope, depth: int) -> str:
    """A bool-typed formula over the scope."""
    kinds = ["compare", "compare"]
    if scope.lists:
        kinds.append("records")
    if scope.bools:
        kinds += ["name", "name"]
    if scope.enums:
        kinds.append("enum")
    if scope.texts:
        kinds.append("text")
    if len(scope.dates) >= 1:
        kinds.append("date")
    if scope.markable:
        kinds.append("marked")
    if depth > 0:
        kinds += ["not", "andor"]
    kind = _pick(draw, kinds)
    sub = max(depth - 1, 0)
    if kind == "name":
        return _pick(draw, scope.bools)
    if kind == "marked":
        return f"not_applicable('{_pick(draw, scope.markable)}')"
    if kind == "records":
        name = _pick(draw, sorted(scope.lists))
        return f"{_pick(draw, ['any', 'all'])}({name}, {_record_condition(draw, scope, name)})"
    if kind == "enum":
        name = _pick(draw, sorted(scope.enums))
        value = _pick(draw, scope.enums[name])
        ordered = scope.facts.get(name, {}).get("ordered") is not None
        ops = ["==", "!=", "<", ">=", ">", "<="] if ordered else ["==", "!="]
        return f"{name} {_pick(draw, ops)} '{value}'"
    if kind == "text":
        return f"{_pick(draw, scope.texts)} == '{_pick(draw, ['', 'x'])}'"
    if kind == "date":
        start, end = draw(st.lists(st.sampled_from(scope.dates), min_size=2, max_size=2))
        return f"{start} <= {end}"
    if kind == "not":
        return f"not ({_bool_expr(draw, scope, sub)})"
    if kind == "andor":
        op = _pick(draw, ["and", "or"])
        return f"({_bool_expr(draw, scope, sub)} {op} {_bool_expr(draw, scope, sub)})"
    op = _pick(draw, ["<", "<=", ">", ">=", "==", "!="])
    return f"{_num_expr(draw, scope, sub)} {op} {_num_expr(draw, scope, sub)}"


def _number_fact(draw: st.DrawFn, kind: str) -> _Data:
    spec: _Data = {"type": kind, "label": _pick(draw, ["金额", "比率", "数量"])}
    bounds: tuple[int | str | None, int | str | None]
    if kind == "integer":
        bounds = _pick(draw, [(0, None), (0, 50), (None, None), (1, 10)])
    elif kind == "percent":
        bounds = _pick(draw, [(None, None), (None, None), ("50", "100"), (0, "120")])
    else:
        bounds = draw(
            st.sampled_from(
                [(None, None), (0, None), (0, "1000"), ("-100", "100"), (None, "50"), (0, 0)]
            )
        )
    for key, value in zip(("min", "max"), bounds, strict=True):
        if value is not None:
            spec[key] = Decimal(value)
    if _int(draw, 0, 4) == 0:
        spec["default"] = Decimal(bounds[0]) if bounds[0] is not None else 0
    if _coin(draw):
        spec["unit"] = _pick(draw, ["万元", "%", "项"])
    return spec


def _facts_section(draw: st.DrawFn, scope: _Scope) -> dict[str, _Data]:
    facts: dict[str, _Data] = {}
    for i in range(_int(draw, 1, 3)):
        facts[f"amount{i}"] = _number_fact(draw, "number")
    for i in range(_int(draw, 0, 2)):
        facts[f"rate{i}"] = _number_fact(draw, "percent")
    for i in range(_int(draw, 0, 2)):
        facts[f"count{i}"] = _number_fact(draw, "integer")
    for i in range(_int(draw, 0, 2)):
        spec: _Data = {"type": "boolean", "label": "是否"}
        if _coin(draw):
            spec["default"] = _coin(draw)
        facts[f"flag{i}"] = spec
    for i in range(_int(draw, 0, 2)):
        values = draw(
            st.lists(st.sampled_from(["achieved", "partial", "none"]), min_size=1, unique=True)
        )
        facts[f"level{i}"] = {"type": "enum", "label": "程度", "values": values}
        if _coin(draw):
            facts[f"level{i}"]["ordered"] = _pick(draw, ["ascending", "descending"])
    for i in range(_int(draw, 0, 2)):
        facts[f"day{i}"] = {"type": "date", "label": "日期"}
    if _coin(draw):
        text: _Data = {"type": "text", "label": "说明"}
        if _coin(draw):
            text["default"] = ""
        facts["note"] = text
    if _coin(draw):
        fields: _Data = {
            "n": {"type": "integer", "label": "份数", "min": _pick(draw, [0, 1])},
            "v": _number_fact(draw, _pick(draw, ["percent", "number"])),
            "k": {"type": "enum", "label": "类", "values": ["a", "b"]},
        }
        fields["v"].pop("default", None)
        rows: _Data = {"type": "list", "label": "明细", "fields": fields}
        max_items = _pick(draw, [None, 0, 1, 3, 10])
        if max_items is not None:
            rows["max_items"] = max_items
        facts["rows"] = rows
    for i in range(_int(draw, 0, 2)):
        assessed: _Data = {"type": "number", "label": "评分", "required": False}
        if _coin(draw):
            assessed["min"] = 0
        facts[f"assessed{i}"] = assessed
    if _coin(draw):  # an optional fact no formula may read, only templates
        facts["remark"] = {"type": "text", "label": "备注", "required": False}
    for name, spec in facts.items():
        scope.facts[name] = spec
        scope.every.append(name)
        readable = spec.get("required", True)
        kind = spec["type"]
        if not readable:
            continue
        if kind in NUMBER_TYPES:
            scope.numbers.append(name)
        elif kind == "boolean":
            scope.bools.append(name)
        elif kind == "enum":
            scope.enums[name] = tuple(spec["values"])
        elif kind == "text":
            scope.texts.append(name)
        elif kind == "date":
            scope.dates.append(name)
        elif kind == "list":
            scope.lists[name] = ("n", "v", "k")
    return facts


def _derived_section(draw: st.DrawFn, scope: _Scope) -> dict[str, _Data]:
    derived: dict[str, _Data] = {}
    for _ in range(_int(draw, 0, 3)):
        name = scope.fresh("calc")
        if _int(draw, 0, 3) == 0:
            derived[name] = {"formula": _bool_expr(draw, scope, 1), "label": "条件"}
            scope.bools.append(name)
        else:
            derived[name] = {"formula": _num_expr(draw, scope, 2), "label": "计算值"}
            scope.numbers.append(name)
        scope.every.append(name)
    items = list(derived.items())
    items = draw(st.permutations(items))  # the plan puts them in dependency order itself
    return dict(items)


def _constants_section(draw: st.DrawFn, scope: _Scope) -> dict[str, _Data | Decimal]:
    """Zero to two named numbers, among the band cut points, so edges and formulas read them."""
    out: dict[str, _Data | Decimal] = {}
    for _ in range(_int(draw, 0, 2)):
        value = _pick(draw, _CUTS)
        if value in scope.constants:
            continue
        name = scope.fresh("const")
        scope.constants[value] = name
        scope.numbers.append(name)
        scope.every.append(name)
        out[name] = Decimal(value) if _coin(draw) else {"value": Decimal(value), "label": "常量"}
    return out


def _edge(draw: st.DrawFn, scope: _Scope, cut: str | None) -> str | None:
    """A cut point, now and then written as the constant that holds it."""
    if cut is not None and cut in scope.constants and _coin(draw):
        return scope.constants[cut]
    return cut


def _template(draw: st.DrawFn, scope: _Scope, extra: Sequence[str] = ()) -> str:
    names = [*scope.every, *extra]
    parts = [_pick(draw, ["扣分", "说明 ", "{{literal}} ", "reason: "])]
    for _ in range(_int(draw, 0, 2)):
        name = _pick(draw, names)
        spec = _pick(draw, ["", "", "", ":.2f", ":.0f", ":.1%"])  # ignored on a non-number
        parts.append(f"{{{name}{spec}}}")
    return "".join(parts)


def _range_text(draw: st.DrawFn, low: str | None, high: str | None) -> str:
    """A band range between two cut points (None: unbounded), each edge open or closed."""
    opening = "(" if low is None else _pick(draw, "[[(")
    closing = ")" if high is None else _pick(draw, "))]")
    return f"{opening}{low or '-inf'}, {high or 'inf'}{closing}"


def _cuts(draw: st.DrawFn) -> list[str]:
    """One to three distinct cut points of a band table, ascending."""
    chosen = draw(st.lists(st.sampled_from(_CUTS), min_size=1, max_size=3, unique=True))
    return sorted(chosen, key=Decimal)


def _monotone(draw: st.DrawFn, scope: _Scope, top: Decimal) -> tuple[_Data, dict[str, str]] | None:
    """A scoring method provably monotone in one number fact, with its declaration."""
    candidates = [n for n in scope.numbers if n in scope.facts]
    if not candidates:
        return None
    fact = _pick(draw, candidates)
    k = _pick(draw, ["0.5", "1", "2", "0.01"])
    c = _pick(draw, ["0", "1", "3", "60"])
    form = _int(draw, 0, 5)
    if form == 0:
        return {"formula": f"{k} * {fact} + {c}"}, {fact: "increasing"}
    if form == 1:
        return {"formula": f"{c} - {k} * {fact}"}, {fact: "decreasing"}
    if form == 2:
        sign = _coin(draw)
        method = {
            "measure": f"{fact} - {c}" if sign else f"{c} - {fact}",
            "points": Decimal(k),
            "partial": _pick(draw, _PARTIALS),
        }
        return {"per_unit": method}, {fact: "decreasing" if sign else "increasing"}
    if form == 3:
        cuts = _cuts(draw)
        edges: list[str | None] = [None, *cuts, None]
        table = []
        for i in range(len(edges) - 1):
            score = (top * i / len(cuts)).quantize(Decimal("0.01"), decimal.ROUND_FLOOR)
            table.append({"range": _range_text(draw, edges[i], edges[i + 1]), "score": score})
        return {"bands": {"measure": fact, "table": table}}, {fact: "increasing"}
    if form == 4:
        method = {"actual": fact, "target": Decimal(_pick(draw, ["1", "10", "100"]))}
        return {"ratio": method}, {fact: "increasing"}
    items = [
        {"id": f"i{j}", "when": f"{fact} > {cut}", "points": Decimal(k), "reason": "超出"}
        for j, cut in enumerate(
            draw(st.lists(st.sampled_from(_CUTS), min_size=1, max_size=2, unique=True))
        )
    ]
    return {"checklist": {"items": items}}, {fact: "decreasing"}


def _bands(draw: st.DrawFn, scope: _Scope, top: Decimal) -> _Data:
    edges: list[str | None] = [None, *_cuts(draw), None]
    table = []
    for low, high in itertools.pairwise(edges):
        if _int(draw, 0, 4) == 0:
            continue  # leave a gap: no-band unless 'otherwise' catches it
        score: object = _pick(draw, [Decimal(0), top / 2, top, top + 1])
        if _int(draw, 0, 3) == 0:
            score = _num_expr(draw, scope, 1)
        edges_text = _edge(draw, scope, low), _edge(draw, scope, high)
        table.append({"range": _range_text(draw, *edges_text), "score": score})
    if not table:
        table.append({"range": "(-inf, inf)", "score": top})
    if _coin(draw):
        table.reverse()
    bands: _Data = {"measure": _num_expr(draw, scope, 1), "table": table}
    if _coin(draw):
        bands["otherwise"] = _pick(draw, [Decimal(0), "0"])
    return {"bands": bands}


def _per_unit(draw: st.DrawFn, scope: _Scope, top: Decimal) -> _Data:
    per: _Data = {
        "measure": _num_expr(draw, scope, 1),
        "points": Decimal(_pick(draw, ["0.1", "0.5", "1", "2"])),
        "partial": _pick(draw, _PARTIALS),
    }
    if _coin(draw):
        per["unit"] = Decimal(_pick(draw, ["1", "5", "0.5"]))
    if _coin(draw):
        per["floor"] = _pick(draw, [Decimal(0), top / 2, top])
    if _coin(draw):
        per["reason"] = _template(draw, scope, ("measure", "units", "deduction"))
    return {"per_unit": per}


def _ratio(draw: st.DrawFn, scope: _Scope, top: Decimal) -> _Data:
    ratio: _Data = {
        "actual": _num_expr(draw, scope, 1),
        "target": _num_expr(draw, scope, 1),
    }
    if _int(draw, 0, 3):
        ratio["when_target_zero"] = _pick(draw, [Decimal(0), top, "0"])
    return {"ratio": ratio}


def _checklist(draw: st.DrawFn, scope: _Scope, top: Decimal) -> _Data:
    items = []
    for j in range(_int(draw, 1, 3)):
        points: object = _pick(draw, [Decimal("0.5"), Decimal(1), top, top * 2])
        if _int(draw, 0, 3) == 0:
            points = _num_expr(draw, scope, 1)  # may be negative: a legitimate scoring error
        items.append(
            {
                "id": f"item{j}",
                "when": _bool_expr(draw, scope, 1),
                "points": points,
                "reason": _template(draw, scope),
            }
        )
    checklist: _Data = {"items": items}
    if _coin(draw):
        checklist["floor"] = _pick(draw, [Decimal(0), top / 2])
    return {"checklist": checklist}


def _tiers(draw: st.DrawFn, scope: _Scope, top: Decimal) -> _Data:
    level = _pick(draw, sorted(scope.enums))
    values = scope.enums[level]
    inner = draw(
        st.lists(
            st.sampled_from(["20", "40", "50", "60", "80", "90"]),
            min_size=len(values) - 1,
            max_size=len(values) - 1,
            unique=True,
        )
    )
    edges = ["0", *sorted(inner, key=Decimal), "100"]
    table = []
    for i, value in enumerate(draw(st.permutations(values))):
        last = i == len(values) - 1
        tier: _Data = {
            "level": value,
            "range": f"[{edges[i]}, {edges[i + 1]}{']' if last else ')'}",
        }
        if _int(draw, 0, 3):
            tier["default"] = Decimal(edges[i])
        if _coin(draw):
            tier["label"] = _pick(draw, ["达成", "部分达成", "未达成"])
        table.append(tier)
    tiers: _Data = {"level": level, "table": table}
    scores = [n for n, f in scope.facts.items() if f["type"] == "number" and "required" in f]
    if scores and _int(draw, 0, 3) != 0:
        tiers["score"] = _pick(draw, scores)
    return {"tiers": tiers}


def _formula(draw: st.DrawFn, scope: _Scope, top: Decimal) -> _Data:
    return {"formula": _num_expr(draw, scope, 2)}


def _always(scope: _Scope) -> bool:
    return True


@dataclass(frozen=True)
class MethodGenerator:
    """How to draw one scoring method's section of an indicator or a records rule."""

    #: the section, such as ``{"bands": {...}}``, for an indicator worth `top` points
    draw: Callable[[st.DrawFn, _Scope, Decimal], _Data]
    #: whether the scope holds what the method must read
    usable: Callable[[_Scope], bool] = _always


#: One generator per scoring method, by the method's key in the rubric format (a test keeps
#: the keys and the format's methods in step, so a new method cannot go ungenerated).
METHOD_GENERATORS: Mapping[str, MethodGenerator] = {
    "formula": MethodGenerator(_formula),
    "bands": MethodGenerator(_bands),
    "per_unit": MethodGenerator(_per_unit),
    "ratio": MethodGenerator(_ratio),
    "checklist": MethodGenerator(_checklist),
    "tiers": MethodGenerator(_tiers, usable=lambda scope: bool(scope.enums)),  # an enum level
}


def _method(draw: st.DrawFn, scope: _Scope, top: Decimal) -> _Data:
    """One scoring method over the scope, among those it can serve."""
    names = [name for name, method in METHOD_GENERATORS.items() if method.usable(scope)]
    return METHOD_GENERATORS[_pick(draw, names)].draw(draw, scope, top)


def _rounding(draw: st.DrawFn) -> _Data:
    return {"step": Decimal(_pick(draw, _STEPS)), "mode": _pick(draw, _MODES)}


def _indicator(draw: st.DrawFn, scope: _Scope) -> _Data:
    top = Decimal(_pick(draw, _MAXES))
    leaf: _Data = {"id": scope.fresh("ind"), "name": _pick(draw, _NAMES)}
    leaf["max"] = top
    monotone = _monotone(draw, scope, top) if _int(draw, 0, 2) == 0 else None
    if monotone is not None:
        method, declared = monotone
        leaf.update(method)
        leaf["monotonic"] = declared
    else:
        leaf.update(_method(draw, scope, top))
    choice = _int(draw, 0, 5)
    if choice == 0:
        leaf["rounding"] = "none"
    elif choice == 1:
        leaf["rounding"] = _rounding(draw)
    if _int(draw, 0, 3) == 0:
        leaf["not_applicable"] = _pick(draw, _NOT_APPLICABLE)
        if leaf["not_applicable"] != "forbidden":
            scope.markable.append(leaf["id"])
    if _int(draw, 0, 4) == 0:
        leaf["basis"] = draw(
            st.sampled_from(["惠湾财绩〔2023〕1号", {"kind": "assumption", "text": "no source"}])
        )
    if _int(draw, 0, 7) == 0:
        leaf["explain"] = _template(draw, scope, ("score", "full"))
    return leaf


def _group(draw: st.DrawFn, scope: _Scope, depth: int) -> _Data:
    group: _Data = {"id": scope.fresh("grp"), "name": _pick(draw, _NAMES)}
    children = []
    for _ in range(_int(draw, 1, 3)):
        if depth == 0 and _int(draw, 0, 3) == 0:
            children.append(_group(draw, scope, depth + 1))
        else:
            children.append(_indicator(draw, scope))
    group["max"] = sum((Decimal(c["max"]) for c in children), Decimal(0))
    group["children"] = children
    return group


_KINDS = (">=", "<=", "=", "qualitative")


def _records_fields(draw: st.DrawFn, with_id: bool) -> dict[str, _Data]:
    """The fields of a records group's list fact: name, points, numbers, enums, optionals."""
    points: _Data = {"type": "number", "label": "分值"}
    low, high = _pick(draw, [(None, None), ("0", None), ("0", "100"), ("0.5", "60")])
    if low is not None:
        points["min"] = Decimal(low)
    if high is not None:
        points["max"] = Decimal(high)
    fields: dict[str, _Data] = {
        "nm": {"type": "text", "label": "指标"},
        "pts": points,
    }
    if with_id:
        fields["code"] = {"type": "text", "label": "编号", "required": False}
    for name in ("xa", "xb", "xc")[: _int(draw, 1, 3)]:
        spec = _number_fact(draw, _pick(draw, ["number", "percent", "integer"]))
        fields[name] = spec
    if _coin(draw):
        fields["opt"] = {"type": "number", "label": "选填值", "required": False}
    if _coin(draw):
        values = draw(
            st.lists(st.sampled_from(["达成", "部分达成", "未达成"]), min_size=1, unique=True)
        )
        fields["lvl"] = {"type": "enum", "label": "达成程度", "values": values}
        judged: _Data = {"type": "number", "label": "评定得分", "required": False}
        if _coin(draw):
            judged["min"] = Decimal(0)
        fields["judged"] = judged
    if _coin(draw):
        fields["flagged"] = {"type": "boolean", "label": "是否", "default": _coin(draw)}
    return fields


def _rule_scope(scope: _Scope, fields: Mapping[str, _Data]) -> _Scope:
    """What a records rule may read: the scope, the record's fields and `full`."""
    rule = _Scope(
        numbers=[*scope.numbers, "full"],
        bools=list(scope.bools),
        enums=dict(scope.enums),
        texts=[*scope.texts, "nm"],
        dates=list(scope.dates),
        lists=dict(scope.lists),
        facts=dict(fields),  # tiers read an assessed score from the record, not from the facts
        every=[*scope.every, *fields, "full"],
        markable=list(scope.markable),
    )
    for name, spec in fields.items():
        kind, optional = spec["type"], spec.get("required", True) is False
        if kind in NUMBER_TYPES and name != "judged":
            # an optional field is read behind given(), as docs/rubric-format.md requires
            rule.numbers.append(f"({name} if given({name}) else 1)" if optional else name)
        elif kind == "enum":
            rule.enums[name] = tuple(spec["values"])
        elif kind == "boolean":
            rule.bools.append(name)
    return rule


def _records_group(draw: st.DrawFn, scope: _Scope, facts: dict[str, _Data]) -> _Data:
    """A group whose indicators are the records of a new list fact (docs: records groups)."""
    gid = scope.fresh("sheet")
    with_id = _coin(draw)
    fields = _records_fields(draw, with_id)
    select: str | None = None
    kinds: list[str] = ["default"]
    if _int(draw, 0, 3):
        select = "kind"
        kinds = draw(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=4, unique=True))
        fields[select] = {"type": "enum", "label": "指标性质", "values": kinds}
    claimed = _coin(draw)
    if claimed:
        fields["claim"] = {"type": "number", "label": "自评得分", "required": False}
    items: _Data = {"type": "list", "label": "指标表", "fields": fields}
    if _coin(draw):
        items["max_items"] = _pick(draw, [2, 4, 8])
    facts[f"{gid}_rows"] = items
    rules_scope = _rule_scope(scope, fields)
    rules: _Data = {}
    for kind in kinds:
        top = Decimal(_pick(draw, _MAXES))
        rule: _Data = _method(draw, rules_scope, top)
        if _int(draw, 0, 3) == 0:
            rule["rounding"] = _pick(draw, ["none", _rounding(draw)])
        if _int(draw, 0, 2) == 0:
            rule["explain"] = _template(draw, rules_scope, ("score",))
        if _int(draw, 0, 5) == 0:
            rule["basis"] = {"kind": "inferred", "text": "seed"}
        rules[kind] = rule
    spec: _Data = {"list": f"{gid}_rows"}
    if with_id:
        spec["id"] = "code"
    spec.update(name="nm", max="pts")
    if claimed:
        spec["claimed"] = "claim"
    if select is not None:
        spec["select"] = select
    spec["rules"] = rules
    spec["sum"] = _pick(draw, _SUMS)
    spec["when_empty"] = _pick(draw, ["error", "zero", "zero"])  # give_to: decided by the caller
    if _coin(draw):
        checks_scope = _rule_scope(scope, fields)
        checks_scope.numbers.append("score")
        checks_scope.every.append("score")
        spec["checks"] = [
            _severity(
                draw,
                {
                    "id": scope.fresh("rcheck"),
                    "when": _bool_expr(draw, checks_scope, 1),
                    "message": _template(draw, checks_scope),
                },
            )
            for _ in range(_int(draw, 1, 2))
        ]
    group_max = Decimal(_pick(draw, ["5", "10", "20", "30", "50"]))
    return {
        "id": gid,
        "name": _pick(draw, ["产出指标", "效益指标", "满意度指标"]),
        "max": group_max,
        "records": spec,
    }


def _add_records_groups(
    draw: st.DrawFn, scope: _Scope, facts: dict[str, _Data], groups: list[_Data]
) -> None:
    """Add one or two records groups, at the top level or inside a group, to `groups`."""
    made = [_records_group(draw, scope, facts) for _ in range(_int(draw, 1, 2))]
    if len(made) == 2 and _coin(draw):
        giver, taker = draw(st.permutations(made))
        giver["records"]["when_empty"] = {"give_to": taker["id"]}
    for group in made:
        hosts = [g for g in groups if "children" in g]
        if hosts and _int(draw, 0, 3) == 0:
            host = _pick(draw, hosts)
            host["children"].insert(_int(draw, 0, len(host["children"])), group)
            host["max"] += group["max"]
        else:
            groups.insert(_int(draw, 0, len(groups)), group)


def _bonus(draw: st.DrawFn, scope: _Scope) -> _Data:
    item: _Data = {
        "id": scope.fresh("bonus"),
        "name": "加减分",
        "min": Decimal(_pick(draw, ["0", "-2", "-5", "-0.5"])),
        "max": Decimal(_pick(draw, ["0", "1", "3", "10"])),
        "formula": _num_expr(draw, scope, 2),
    }
    if _int(draw, 0, 2) == 0:
        item["rounding"] = _pick(draw, ["none", _rounding(draw)])
    return item


def _grades(draw: st.DrawFn, top: Decimal, floor: Decimal) -> list[_Data]:
    names = _pick(draw, [["优", "良", "中", "差"], ["A", "B", "C", "D"]])
    fractions = sorted(
        set(draw(st.lists(st.sampled_from(["0.9", "0.8", "0.6", "0.3", "0.95"]), max_size=3))),
        key=Decimal,
        reverse=True,
    )
    grades: list[_Data] = [
        {"grade": names[i], "min": top * Decimal(f)} for i, f in enumerate(fractions)
    ]
    last: _Data = {"grade": names[len(grades)]}
    below = grades[-1]["min"] if grades else None
    if _int(draw, 0, 3) == 0 and (below is None or floor < below):
        last["min"] = floor
    grades.append(last)
    return grades


@st.composite
def rubric_documents(draw: st.DrawFn, *, records: bool | None = None) -> dict[str, Any]:
    """Random well-formed rubrics as plain data (numbers as `Decimal`), before dumping to text.

    Trees of one or two levels of groups whose maxima sum correctly; leaves using every scoring
    method (formula, bands, per_unit, ratio, checklist, tiers) over facts of every type; derived
    values listed out of dependency order; bonus indicators with caps and total policies;
    rounding with various steps and modes and per-indicator overrides (``none`` included);
    grades; not_applicable rules; checks with templates and severities; ``explain`` templates; and
    ``monotonic`` declarations on indicators whose method is monotone in that fact by
    construction.

    About one rubric in four also has one or two ``records`` groups (indicators listed in a list
    fact, docs/rubric-format.md), at the top level or inside a group: random number, enum,
    boolean and optional fields (read behind ``given()``), one rule per value of an enum
    ``select`` field using any scoring method over the fields and ``full``, ``sum: error``,
    ``rescale`` or ``warn``, ``when_empty: error``, ``zero`` or ``give_to`` the other records
    group, claimed scores, per-record checks and ``explain`` templates; a third of those
    rubrics convert the base with ``total.scale_to: 100``.

    Args:
        records: True for rubrics that always have records groups, False for never; by default
            about one in four.

    Formulas mostly guard their divisions; now and then one does not, and band tables sometimes
    leave gaps, so some facts legitimately end in ``zero-division`` or ``no-band``.
    """
    scope = _Scope()
    doc: _Data = {
        "perfscore": 1,
        "id": "generated",
        "version": _pick(draw, ["1", "2022.1", "1.10"]),
        "title": _pick(draw, ["部门整体支出绩效自评", "Generated rubric"]),
    }
    if _coin(draw):
        doc["language"] = _pick(draw, ["zh", "en"])
    if _coin(draw):
        doc["rounding"] = _rounding(draw)
    constants = _constants_section(draw, scope)
    if constants:
        doc["constants"] = constants
    doc["facts"] = _facts_section(draw, scope)
    derived = _derived_section(draw, scope)
    if derived:
        doc["derived"] = derived
    groups = [_group(draw, scope, 0) for _ in range(_int(draw, 1, 3))]
    with_records = _int(draw, 0, 3) == 0 if records is None else records
    if with_records:
        _add_records_groups(draw, scope, doc["facts"], groups)
    doc["groups"] = groups
    if _coin(draw):
        _use_templates(draw, scope, doc)
    top = sum((g["max"] for g in groups), Decimal(0))
    bonus = [_bonus(draw, scope) for _ in range(_int(draw, 0, 2))]
    floor = Decimal(0)
    scale_to = with_records and _int(draw, 0, 2) == 0
    if len(bonus) > 0 or scale_to or _coin(draw) is True:
        if bonus:
            doc["bonus"] = bonus
        if scale_to:  # the base is converted to 100 whatever its maximum on the sheet
            top = Decimal(100)
        floor = _pick(draw, [Decimal(0), Decimal(0), Decimal(-3), top / 10])
        cap = _pick(draw, [None, top, top + 5])
        doc["total"] = {"cap": cap, "floor": floor}
        if scale_to:
            doc["total"]["scale_to"] = Decimal(100)
    doc["grades"] = _grades(draw, top, floor)
    checks = []
    for i in range(_int(draw, 0, 2)):
        checks.append(
            _severity(
                draw,
                {
                    "id": f"check{i}",
                    "when": _bool_expr(draw, scope, 1),
                    "message": _template(draw, scope),
                },
            )
        )
    checks.extend(_record_and_total_checks(draw, scope))
    if checks:
        doc["checks"] = checks
    return doc


_TOTALS = ("total", "base_total", "bonus_total", "max_total")


def _record_and_total_checks(draw: st.DrawFn, scope: _Scope) -> list[_Data]:
    """Now and then a check run once per record of a list (``for_each``) and one that reads
    the totals (``reads: totals``), either of them both."""
    out: list[_Data] = []
    if scope.lists and _coin(draw):
        name = _pick(draw, sorted(scope.lists))
        each: _Data = {
            "id": "each_record",
            "for_each": name,
            "when": _record_condition(draw, scope, name),
            "message": _template(draw, scope, [*filter(None, scope.lists[name]), "row"]),
        }
        if _int(draw, 0, 3) == 0:
            each["reads"] = "totals"
            each["when"] = f"({each['when']}) and {_pick(draw, _TOTALS)} >= 0"
        out.append(_severity(draw, each))
    if _coin(draw):
        totals = _Scope(
            numbers=[*scope.numbers, *_TOTALS],
            bools=list(scope.bools),
            enums=dict(scope.enums),
            texts=list(scope.texts),
            dates=list(scope.dates),
            lists=dict(scope.lists),
            facts=dict(scope.facts),
            every=[*scope.every, *_TOTALS],
            markable=list(scope.markable),
        )
        left = _pick(draw, ["total", "base_total", "bonus_total"])
        op = _pick(draw, [">", ">=", "<", "<=", "!="])
        right = _pick(draw, ["max_total", *_LITERALS])
        when = f"{left} {op} {right}"
        if _coin(draw):
            when = f"{when} {_pick(draw, ['and', 'or'])} ({_bool_expr(draw, totals, 1)})"
        check = {"id": "totals", "reads": "totals", "when": when}
        check["message"] = _template(draw, totals)
        out.append(_severity(draw, check))
    return out


@st.composite
def rubric_extensions(draw: st.DrawFn, *, records: bool | None = None) -> tuple[str, str]:
    """A random rubric and a random rubric extending it, as YAML texts ``(base, child)``.

    The child names its base as ``extends: base.yaml`` (load the pair with `load_extension`)
    and changes it the ways an extension does (docs/rubric-format.md, extends): a new version
    and title; now and then an ``override`` of a formula indicator with a constant formula, a
    ``patch`` of one number of a per-unit block (its other keys kept), an added check (once per
    record when the base has a list), and a ``remove`` of one of the base's checks.

    Args:
        records: passed to `rubric_documents` for the base.
    """
    base = draw(rubric_documents(records=records))
    child: _Data = {"extends": "base.yaml", "version": base["version"] + ".1"}
    if _coin(draw):
        child["title"] = "扩展：" + base["title"]
    leaves: list[_Data] = []
    stack = list(base["groups"])
    while stack:
        node = stack.pop()
        stack.extend(node.get("children", ()))
        if "children" not in node and "records" not in node:
            leaves.append(node)
    formulas = [leaf for leaf in leaves if "formula" in leaf and "monotonic" not in leaf]
    if formulas and _coin(draw):
        leaf = _pick(draw, formulas)
        child["override"] = {leaf["id"]: {"formula": _pick(draw, ["0", "1", "0.5", "100"])}}
    per_unit = [leaf for leaf in leaves if "per_unit" in leaf and "monotonic" not in leaf]
    if per_unit and _coin(draw):
        leaf = _pick(draw, per_unit)
        points = Decimal(_pick(draw, ["0.25", "1", "2"]))
        child["patch"] = {leaf["id"]: {"per_unit": {"points": points}}}
    numbers = [
        name
        for name, spec in base["facts"].items()
        if spec["type"] in NUMBER_TYPES and spec.get("required", True)
    ]
    added: list[_Data] = []
    if numbers and _coin(draw):
        name = _pick(draw, numbers)
        when = f"{name} > {_pick(draw, _CUTS)}"
        added.append({"id": "added_check", "when": when, "message": f"{{{name}}}"})
    if "rows" in base["facts"] and _coin(draw):
        added.append(
            {
                "id": "added_each",
                "for_each": "rows",
                "when": f"v >= {_pick(draw, _CUTS)}",
                "message": "第 {row} 条：{v}",
                "severity": "info",
            }
        )
    if added:
        child["checks"] = added
    existing = [check["id"] for check in base.get("checks", ())]
    if existing and _coin(draw):
        child["remove"] = [_pick(draw, existing)]
    return dump_rubric(base), dump_rubric(child)


def load_extension(base: str, child: str) -> Rubric:
    """Load a ``(base, child)`` pair of `rubric_extensions` (written to a temporary folder as
    ``base.yaml`` and ``child.yaml``): the child, merged over its base and compiled."""
    with tempfile.TemporaryDirectory() as folder:
        root = pathlib.Path(folder)
        (root / "base.yaml").write_text(base, encoding="utf-8")
        (root / "child.yaml").write_text(child, encoding="utf-8")
        return load_rubric(root / "child.yaml")


def _use_templates(draw: st.DrawFn, scope: _Scope, doc: _Data) -> None:
    """Turn some formula leaves into uses of one rule template with parameters."""
    leaves: list[_Data] = []
    stack = list(doc["groups"])
    while stack:
        node = stack.pop()
        if "children" in node:
            stack.extend(node["children"])
        elif "formula" in node and "monotonic" not in node:
            leaves.append(node)
    if not leaves:
        return
    name = scope.fresh("tpl")
    doc["templates"] = {
        name: {
            "params": ["x", "k"],
            "rule": {"formula": "k * clamp(x, 0, 1)", "explain": "x = {x}：{score}"},
        }
    }
    measures = [*scope.numbers, *_LITERALS] or list(_LITERALS)
    for leaf in draw(st.lists(st.sampled_from(leaves), min_size=1, unique_by=id)):
        del leaf["formula"]
        leaf["use"] = name
        leaf["args"] = {"x": _pick(draw, measures), "k": leaf["max"]}


def _severity(draw: st.DrawFn, check: _Data) -> _Data:
    """A check with a declared severity now and then (without one it is a warning)."""
    severity = _pick(draw, [None, None, "info", "warning", "error"])
    if severity is not None:
        check["severity"] = severity
    return check


def rubrics(
    format: Literal["yaml", "json"] | None = None, *, records: bool | None = None
) -> st.SearchStrategy[str]:
    """Random well-formed rubric texts that `perfscore.parse_rubric` accepts.

    Args:
        format: ``"yaml"`` (block style) or ``"json"`` (which is also valid YAML); by default
            either. Numbers are exact decimal literals in both.
        records: passed to `rubric_documents`: True for rubrics that always have records
            groups, False for never; by default about one in four.

    Returns:
        A strategy of rubric texts; see `rubric_documents` for what they contain.
    """
    if format not in (None, "yaml", "json"):
        raise InvalidArgument(f"format must be 'yaml', 'json' or None, got {format!r}")
    formats: list[Literal["yaml", "json"]] = [format] if format else ["yaml", "json"]
    return st.tuples(rubric_documents(records=records), st.sampled_from(formats)).map(
        lambda pair: dump_rubric(pair[0], pair[1])
    )
