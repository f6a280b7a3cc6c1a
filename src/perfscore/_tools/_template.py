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

from perfscore._load._facts import DEFAULT_MAX_ITEMS
from perfscore._load._model import NUMBER_TYPES, Bonus, FactSpec, FieldSpec, Indicator, iter_nodes
from perfscore._numbers import format_decimal
from perfscore._output._scorecard import dump_json
from perfscore._rubric import Rubric

__all__ = ["facts_template"]

# keys YAML would read as something other than text
_RESERVED = frozenset({"true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"})
#: the skeleton's words, in the rubric's language (labels come from the rubric itself)
_WORDS = {
    "en": {
        "percent": "percent (95.87 means 95.87%)",
        "boolean": "true or false",
        "date": "date YYYY-MM-DD",
        "enum": "one of: ",
        "list": "list of records, at most {}",
        "number": "number",
        "integer": "integer",
        "text": "text",
        "range": "{} to {}",
        "min": "min {}",
        "max": "max {}",
        "default": "optional, default {}",
        "required": "required",
        "optional": "optional, may be left out",
        "title": "# Facts for {} ({}).",
        "fill": "# Fill in every empty value. Commented-out facts are optional: leave them out to "
        "use",
        "fill2": "# their default. Score the finished document with: perfscore score FILE",
        "subject": "the department or unit reported on",
        "period": "the year or period reported on, e.g. 2022",
        "na": "indicators this rubric lets a report mark 不涉及",
        "na_none": "# not_applicable: none of this rubric's indicators may be marked 不涉及",
        "full": "full marks",
        "redistribute": "its points go to the rest of its group",
        "claimed": "the scores the report claims; perfscore score compares them",
        "or": " or ",
        "and": ", ",
        "part": "; ",
        "bounds": ", ",
    },
    "zh": {
        "percent": "百分数（95.87 表示 95.87%）",
        "boolean": "true 或 false",
        "date": "日期 YYYY-MM-DD",
        "enum": "取值之一：",
        "list": "记录列表，最多 {} 条",
        "number": "数值",
        "integer": "整数",
        "text": "文本",
        "range": "{} 至 {}",
        "min": "最小 {}",
        "max": "最大 {}",
        "default": "可不填，默认 {}",
        "required": "必填",
        "optional": "可不填",
        "title": "# {}（{}）的事实数据",
        "fill": "# 请填写每个空值。注释掉的事实可不填，不填即取默认值。",
        "fill2": "# 填好后评分：perfscore score 文件名",
        "subject": "被评价单位",
        "period": "评价年度或期间，如 2022",
        "na": "本评分规则允许标注“不涉及”的指标",
        "na_none": "# not_applicable: 本评分规则没有可标注“不涉及”的指标",
        "full": "按满分计",
        "redistribute": "分值按比例分配给同组其他指标",
        "claimed": "报告的自评得分；perfscore score 会与规则计算结果比对",
        "or": "或",
        "and": "、",
        "part": "；",
        "bounds": "，",
    },
}


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
        what = w["enum"] + w["and"].join(spec.values or ())
    elif kind == "list":
        limit = getattr(spec, "max_items", None)
        what = w["list"].format(DEFAULT_MAX_ITEMS if limit is None else limit)
    else:
        what = w[kind]
    bounds = _bounds(spec, w) if kind in NUMBER_TYPES else None
    parts = [head, what + (f"{w['bounds']}{bounds}" if bounds else "")]
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


def facts_template(rubric: Rubric) -> str:
    """A facts document skeleton for `rubric`, as YAML text.

    Args:
        rubric: the rubric to write a document for.

    Returns:
        YAML that `load_facts` reads. Required facts are left empty (null), so scoring the
        untouched skeleton reports exactly those facts, each at its line.
    """
    facts = rubric.model.facts
    w = _WORDS.get(rubric.model.language, _WORDS["en"])
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
    listed = grades[0] if len(grades) == 1 else w["and"].join(grades[:-1]) + w["or"] + grades[-1]
    claims: list[tuple[str, str]] = [
        ("# claimed:", w["claimed"]),
        ("#   indicators:", ""),
    ]
    for item in indicators:
        if isinstance(item, Bonus):
            scale = w["range"].format(format_decimal(item.min), format_decimal(item.max))
        else:
            scale = w["max"].format(format_decimal(item.max))
        claims.append((f"#     {item.id}:", f"{_one_line(item.name)}{w['bounds']}{scale}"))
    claims += [("#   total:", ""), ("#   grade:", listed)]
    return "\n".join([*header, *envelope, opening, *body, *_aligned([*tail, *claims])]) + "\n"
