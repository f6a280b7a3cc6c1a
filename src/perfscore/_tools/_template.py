"""A facts document skeleton for a rubric (``perfscore template``).

Every fact appears in rubric order under a comment with its label, unit, type, bounds or values
and whether it is required. Required facts are left empty for the author to fill in; facts with
a default and optional facts are commented out, so leaving them alone keeps the default. A list
fact gets one example record. `not_applicable` and `claimed` follow, commented out.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from decimal import Decimal

from perfscore._load._facts import DEFAULT_MAX_ITEMS
from perfscore._load._model import NUMBER_TYPES, Bonus, FactSpec, FieldSpec, Indicator, iter_nodes
from perfscore._numbers import format_decimal
from perfscore._output._scorecard import dump_json
from perfscore._output._words import MARKS, TEMPLATE, in_language
from perfscore._rubric import Rubric, as_rubric

__all__ = ["facts_template"]

# keys YAML would read as something other than text
_RESERVED = frozenset({"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"})


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _key(name: str) -> str:
    return json.dumps(name) if name in _RESERVED else name


def _yaml_value(value: object) -> str:
    """A default as YAML flow text (JSON is YAML): numbers exact, text quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format_decimal(Decimal(value))
    return dump_json(value, indent=None)


def _bounds(spec: FactSpec | FieldSpec, w: dict[str, str]) -> str | None:
    low, high = spec.bounds
    if low is not None and high is not None:
        return w["range"].format(format_decimal(low), format_decimal(high))
    if low is not None:
        return w["min"].format(format_decimal(low))
    if high is not None:
        return w["max"].format(format_decimal(high))
    return None


def _describe(spec: FactSpec | FieldSpec, w: dict[str, str]) -> str:
    """``全年预算数 [万元]; number, min 0; required``."""
    head = _one_line(spec.label) + (f" [{_one_line(spec.unit)}]" if spec.unit else "")
    kind = spec.type
    if kind == "enum":
        what = w["enum"] + w["list"].join(spec.values or ())
    elif kind == "list":
        limit = getattr(spec, "max_items", None)
        what = w["records"].format(DEFAULT_MAX_ITEMS if limit is None else limit)
    else:
        what = w[kind]
    bounds = _bounds(spec, w) if kind in NUMBER_TYPES else None
    parts = [head, what + (f"{w['comma']}{bounds}" if bounds else "")]
    if spec.has_default:
        parts.append(w["default"].format(_yaml_value(spec.default)))
    elif spec.required:
        parts.append(w["required"])
    else:
        parts.append(w["optional"])
    return w["part"].join(parts)


def _inactive(name: str, spec: FactSpec | FieldSpec) -> str:
    shown = f" {_yaml_value(spec.default)}" if spec.has_default else ""
    return f"# {_key(name)}:{shown}"


def _fact_lines(name: str, spec: FactSpec, w: dict[str, str]) -> list[str]:
    lines = [f"  # {_describe(spec, w)}"]
    if not spec.must_be_given:
        return [*lines, f"  {_inactive(name, spec)}"]
    if spec.type != "list":
        return [*lines, f"  {_key(name)}:"]
    lines.append(f"  {_key(name)}:")
    fields = list((spec.fields or {}).items())
    active = [(n, f) for n, f in fields if f.must_be_given]
    if not active:
        lines.append("    - {}")
    for i, (field_name, field_spec) in enumerate(active):
        pad = "    " if i == 0 else "      "
        lines.append(f"{pad}# {_describe(field_spec, w)}")
        lines.append(f"    {'- ' if i == 0 else '  '}{_key(field_name)}:")
    for field_name, field_spec in fields:
        if not field_spec.must_be_given:
            lines.append(f"      # {_describe(field_spec, w)}")
            lines.append(f"      {_inactive(field_name, field_spec)}")
    return lines


def _indicators(rubric: Rubric) -> Iterator[Indicator | Bonus]:
    for item in iter_nodes(rubric.model):
        if isinstance(item.node, Indicator):
            yield item.node
    yield from rubric.model.bonus


def _aligned(rows: list[tuple[str, str]]) -> list[str]:
    width = max((len(left) for left, right in rows if right), default=0)
    return [f"{left:<{width}}  # {right}" if right else left for left, right in rows]


def facts_template(rubric: Rubric | str | os.PathLike[str]) -> str:
    """A facts document skeleton for `rubric`, as YAML text.

    Args:
        rubric: the rubric to write a document for; a rubric file's path or bundled
            ``id@version`` is loaded with `load_rubric` (anything else is a `UsageError`).

    Returns:
        YAML that `load_facts` reads. Required facts are left empty (null), so scoring the
        untouched skeleton reports exactly those facts, each at its line.
    """
    rubric = as_rubric("facts_template", "rubric", rubric)
    facts = rubric.model.facts
    language = rubric.model.language
    w = {**in_language(TEMPLATE, language), **in_language(MARKS, language)}  # no key in both
    header = [w["title"].format(_one_line(rubric.title), rubric.ref), w["fill"], w["fill2"]]
    envelope = _aligned(
        [
            (f"rubric: {rubric.ref}", ""),
            ("subject:", w["subject"]),
            ("period:", w["period"]),
        ]
    )
    body: list[str] = []
    for name, spec in facts.items():
        body.extend(_fact_lines(name, spec, w))
    opening = "facts:" if any(s.must_be_given for s in facts.values()) else "facts: {}"
    indicators = list(_indicators(rubric))
    optional = [i for i in indicators if getattr(i, "not_applicable", "forbidden") != "forbidden"]
    tail: list[tuple[str, str]] = [
        ("# not_applicable:", w["na"]),
        *(
            (f"#   - {i.id}", f"{_one_line(i.name)} ({w[i.not_applicable]})")
            for i in optional
            if isinstance(i, Indicator)
        ),
    ]
    if not optional:
        tail = [(w["na_none"], "")]
    grades = [g.grade for g in rubric.model.grades]
    listed = grades[0] if len(grades) == 1 else w["list"].join(grades[:-1]) + w["or"] + grades[-1]
    claims: list[tuple[str, str]] = [
        ("# claimed:", w["claimed"]),
        ("#   indicators:", ""),
    ]
    for item in indicators:
        if isinstance(item, Bonus):
            scale = w["range"].format(format_decimal(item.min), format_decimal(item.max))
        else:
            scale = w["max"].format(format_decimal(item.max))
        claims.append((f"#     {item.id}:", f"{_one_line(item.name)}{w['comma']}{scale}"))
    claims += [("#   total:", ""), ("#   grade:", listed)]
    return "\n".join([*header, *envelope, opening, *body, *_aligned([*tail, *claims])]) + "\n"
