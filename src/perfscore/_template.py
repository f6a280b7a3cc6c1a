"""A facts document skeleton for a rubric (``perfscore template``).

Every fact appears in rubric order under a comment with its label, unit, type, bounds or values
and whether it is required. Required facts are left empty for the author to fill in; facts with
a default and optional facts are commented out, so leaving them alone keeps the default. A list
fact gets one example record. `not_applicable` and `claimed` follow, commented out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

from perfscore._facts import DEFAULT_MAX_ITEMS
from perfscore._model import Bonus, FactSpec, FieldSpec, Group, Indicator
from perfscore._numbers import format_decimal
from perfscore._rubric import Rubric
from perfscore._scorecard import dump_json

__all__ = ["facts_template"]

# keys YAML would read as something other than text
_RESERVED = frozenset({"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"})
_NOT_APPLICABLE = {"full": "full marks", "redistribute": "its points go to the rest of its group"}


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


def _bounds(spec: FactSpec | FieldSpec) -> str | None:
    low = spec.min if spec.min is not None else (Decimal(0) if spec.type == "percent" else None)
    high = spec.max if spec.max is not None else (Decimal(100) if spec.type == "percent" else None)
    if low is not None and high is not None:
        return f"{format_decimal(low)} to {format_decimal(high)}"
    if low is not None:
        return f"min {format_decimal(low)}"
    if high is not None:
        return f"max {format_decimal(high)}"
    return None


def _describe(spec: FactSpec | FieldSpec) -> str:
    """``全年预算数 [万元]; number, min 0; required``."""
    head = _one_line(spec.label) + (f" [{_one_line(spec.unit)}]" if spec.unit else "")
    kind = spec.type
    if kind == "percent":
        what = "percent (95.87 means 95.87%)"
    elif kind == "boolean":
        what = "true or false"
    elif kind == "date":
        what = "date YYYY-MM-DD"
    elif kind == "enum":
        what = "one of: " + ", ".join(spec.values or ())
    elif kind == "list":
        limit = getattr(spec, "max_items", None)
        what = f"list of records, at most {DEFAULT_MAX_ITEMS if limit is None else limit}"
    else:
        what = kind
    bounds = _bounds(spec) if kind in ("number", "integer", "percent") else None
    parts = [head, what + (f", {bounds}" if bounds else "")]
    if "default" in spec.model_fields_set:
        parts.append(f"optional, default {_yaml_value(getattr(spec, 'default', None))}")
    elif getattr(spec, "required", True):
        parts.append("required")
    else:
        parts.append("optional, may be left out")
    return "; ".join(parts)


def _active(spec: FactSpec | FieldSpec) -> bool:
    """True when the skeleton leaves the value for the author (required, no default)."""
    return bool(getattr(spec, "required", True)) and "default" not in spec.model_fields_set


def _inactive(name: str, spec: FactSpec | FieldSpec) -> str:
    default = getattr(spec, "default", None)
    shown = f" {_yaml_value(default)}" if "default" in spec.model_fields_set else ""
    return f"# {_key(name)}:{shown}"


def _fact_lines(name: str, spec: FactSpec) -> list[str]:
    lines = [f"  # {_describe(spec)}"]
    if not _active(spec):
        return [*lines, f"  {_inactive(name, spec)}"]
    if spec.type != "list":
        return [*lines, f"  {_key(name)}:"]
    lines.append(f"  {_key(name)}:")
    fields = list((spec.fields or {}).items())
    active = [(n, f) for n, f in fields if _active(f)]
    if not active:
        lines.append("    - {}")
    for i, (field_name, field_spec) in enumerate(active):
        pad = "    " if i == 0 else "      "
        lines.append(f"{pad}# {_describe(field_spec)}")
        lines.append(f"    {'- ' if i == 0 else '  '}{_key(field_name)}:")
    for field_name, field_spec in fields:
        if not _active(field_spec):
            lines.append(f"      # {_describe(field_spec)}")
            lines.append(f"      {_inactive(field_name, field_spec)}")
    return lines


def _indicators(rubric: Rubric) -> Iterator[Indicator | Bonus]:
    def walk(group: Group) -> Iterator[Indicator]:
        for child in group.children or ():
            if isinstance(child, Group):
                yield from walk(child)
            else:
                yield child

    for group in rubric.model.groups:
        yield from walk(group)
    yield from rubric.model.bonus


def _aligned(rows: list[tuple[str, str]]) -> list[str]:
    width = max((len(left) for left, right in rows if right), default=0)
    return [f"{left:<{width}}  # {right}" if right else left for left, right in rows]


def facts_template(rubric: Rubric) -> str:
    """A facts document skeleton for `rubric`, as YAML text.

    Args:
        rubric: the rubric to write a document for.

    Returns:
        YAML that `load_facts` reads. Required facts are left empty (null), so scoring the
        untouched skeleton reports exactly those facts, each at its line.
    """
    facts = rubric.model.facts
    header = [
        f"# Facts for {_one_line(rubric.title)} ({rubric.ref}).",
        "# Fill in every empty value. Commented-out facts are optional: leave them out to use",
        "# their default. Score the finished document with: perfscore score FILE",
    ]
    envelope = _aligned(
        [
            (f"rubric: {rubric.ref}", ""),
            ("subject:", "the department or unit reported on"),
            ("period:", "the year or period reported on, e.g. 2022"),
        ]
    )
    body: list[str] = []
    for name, spec in facts.items():
        body.extend(_fact_lines(name, spec))
    opening = "facts:" if any(_active(s) for s in facts.values()) else "facts: {}"
    indicators = list(_indicators(rubric))
    optional = [i for i in indicators if getattr(i, "not_applicable", "forbidden") != "forbidden"]
    tail: list[tuple[str, str]] = [
        ("# not_applicable:", "indicators this rubric lets a report mark 不涉及"),
        *(
            (f"#   - {i.id}", f"{_one_line(i.name)} ({_NOT_APPLICABLE[i.not_applicable]})")
            for i in optional
            if isinstance(i, Indicator)
        ),
    ]
    if not optional:
        tail = [("# not_applicable: none of this rubric's indicators may be marked 不涉及", "")]
    grades = [g.grade for g in rubric.model.grades]
    listed = grades[0] if len(grades) == 1 else ", ".join(grades[:-1]) + " or " + grades[-1]
    claims: list[tuple[str, str]] = [
        ("# claimed:", "the scores the report claims; perfscore score compares them"),
        ("#   indicators:", ""),
    ]
    for item in indicators:
        if isinstance(item, Bonus):
            scale = f"{format_decimal(item.min)} to {format_decimal(item.max)}"
        else:
            scale = f"max {format_decimal(item.max)}"
        claims.append((f"#     {item.id}:", f"{_one_line(item.name)}, {scale}"))
    claims += [("#   total:", ""), ("#   grade:", listed)]
    return "\n".join([*header, *envelope, opening, *body, *_aligned([*tail, *claims])]) + "\n"
