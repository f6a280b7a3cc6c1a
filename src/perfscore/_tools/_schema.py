"""JSON Schemas (draft 2020-12): the rubric format, one rubric's facts documents, the scorecard.

Editors use them for completion and inline errors; other systems use them to validate what they
send or receive. The rubric and scorecard schemas are generated from the pydantic models, so they
follow the models; the facts schema is generated from a rubric's fact declarations. perfscore
itself never validates with them: its own checks are stricter (formulas, group sums, dates).
"""

from __future__ import annotations

import os
import typing
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from perfscore._load import _model
from perfscore._load._facts import DEFAULT_MAX_ITEMS, MAX_MAGNITUDE, MAX_TEXT_LENGTH
from perfscore._load._model import (
    FORMAT_VERSION,
    NUMBER_TYPES,
    FactSpec,
    FieldSpec,
    Indicator,
    RubricModel,
    iter_nodes,
)
from perfscore._output._scorecard import SCORECARD_FORMAT, Scorecard
from perfscore._rubric import Rubric, as_rubric

__all__ = ["DRAFT", "facts_schema", "rubric_schema", "scorecard_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_ID_PATTERN = "^[A-Za-z][A-Za-z0-9_]*$"
_EDGE = r"(-?inf|-?[0-9]+(\.[0-9]+)?|-?[A-Za-z_][A-Za-z0-9_]*)"
_RANGE = {
    "type": "string",
    "pattern": rf"^\s*[\[(]\s*{_EDGE}\s*,\s*(\+?inf|{_EDGE})\s*[\])]\s*$",
    "description": "a range: '[' / ']' include the edge, '(' / ')' exclude it, inf for no bound; "
    "an edge may name a constant",
    "examples": ["[80, 90)", "[90, inf)"],
}
_DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


class _Generator(GenerateJsonSchema):
    """pydantic's generator, with exact decimals as JSON numbers (as perfscore reads and writes
    them) instead of strings."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        def bound(key: str) -> float | None:
            value = schema.get(key)
            return None if value is None else float(str(value))

        return self.float_schema(
            core_schema.float_schema(le=bound("le"), ge=bound("ge"), lt=bound("lt"), gt=bound("gt"))
        )


def _json_number(value: Decimal | int | float) -> int | float:
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _walk(node: object) -> Iterator[dict[str, Any]]:
    """Every mapping in a schema, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _tidy(schema: dict[str, Any]) -> None:
    """Drop pydantic's per-property titles; write integral bounds as integers."""
    for node in _walk(schema):
        properties = node.get("properties")
        if isinstance(properties, dict):
            for prop in properties.values():
                if isinstance(prop, dict):
                    prop.pop("title", None)
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if isinstance(node.get(key), float):
                node[key] = _json_number(node[key])


def _validators(annotation: object, metadata: list[Any] | None = None) -> set[str]:
    """Names of the BeforeValidator functions anywhere in an annotation."""
    found: set[str] = set()
    stack: list[object] = [annotation, *(metadata or [])]
    while stack:
        item = stack.pop()
        func = getattr(item, "func", None)
        if callable(func):
            found.add(getattr(func, "__name__", ""))
        stack.extend(getattr(item, "__metadata__", ()))
        stack.extend(typing.get_args(item))
    return found


def _widen(node: dict[str, Any]) -> None:
    """Let a formula property also be a plain number (``score: 4``)."""
    if node.get("type") == "string":
        node["type"] = ["string", "number"]
    for option in node.get("anyOf", []):
        _widen(option)


def _annotate(schema: dict[str, Any]) -> None:
    """Apply what the models' validators accept but pydantic cannot describe."""
    defs = schema.get("$defs", {})
    targets: list[tuple[type[BaseModel], dict[str, Any]]] = [(RubricModel, schema)]
    for name, definition in defs.items():
        model = getattr(_model, name, None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            targets.append((model, definition))
    for model, definition in targets:
        properties = definition.get("properties", {})
        for field_name, info in model.model_fields.items():
            prop = properties.get(field_name)
            if prop is None:
                continue
            found = _validators(info.annotation, list(info.metadata))
            if "_formula_text" in found:
                _widen(prop)
                prop.setdefault("description", "a formula (see expressions.md) or a number")
            if "_identifier" in found and prop.get("type") == "string":
                prop["pattern"] = _ID_PATTERN
            if typing.get_origin(info.annotation) is dict:
                key = typing.get_args(info.annotation)[0]
                if "_identifier" in _validators(key):
                    prop["propertyNames"] = {"pattern": _ID_PATTERN}
            default = prop.get("default")
            if isinstance(default, str) and prop.get("type") == "number":
                prop["default"] = _json_number(Decimal(default))
    for node in list(_walk(schema)):  # a list: the loop adds nodes
        if node.get("$ref") == "#/$defs/Interval":
            del node["$ref"]
            node.update(_RANGE)
        elif node.get("$ref") == "#/$defs/ConstantSpec" and "anyOf" not in node:
            node.pop("$ref")
            node["anyOf"] = [
                {"$ref": "#/$defs/ConstantSpec"},
                {"type": "number", "description": "a plain number is the constant's value"},
            ]
        elif node.get("$ref") == "#/$defs/Basis" and "anyOf" not in node:
            node.pop("$ref")
            node["anyOf"] = [
                {"$ref": "#/$defs/Basis"},
                {"type": "string", "description": "a plain text basis means kind 'sourced'"},
            ]
    defs.pop("Interval", None)


def rubric_schema() -> dict[str, Any]:
    """The JSON Schema of a rubric file (format version 1).

    Returns:
        A draft 2020-12 schema. Formulas are strings (or plain numbers); what they may say, and
        rules such as group sums, are checked by perfscore when the rubric loads.
    """
    schema = RubricModel.model_json_schema(schema_generator=_Generator)
    _annotate(schema)
    _tidy(schema)
    schema["properties"]["perfscore"] = {"const": FORMAT_VERSION, "description": "format version"}
    schema.pop("title", None)
    schema.pop("description", None)
    return {
        "$schema": DRAFT,
        "$id": f"urn:perfscore:schema:rubric:{FORMAT_VERSION}",
        "title": f"perfscore rubric (format {FORMAT_VERSION})",
        "description": "A rubric for perfscore: the facts it reads, how each indicator is "
        "scored, the total, grades and checks. See docs/rubric-format.md.",
        **schema,
    }


def _value_schema(spec: FactSpec | FieldSpec) -> dict[str, Any]:
    """The schema of one fact's (or record field's) value."""
    out: dict[str, Any] = {"title": spec.label}
    notes = [n for n in (f"unit: {spec.unit}" if spec.unit else None, spec.description) if n]
    if notes:
        out["description"] = "; ".join(notes)
    kind = spec.type
    if kind in NUMBER_TYPES:
        out["type"] = "integer" if kind == "integer" else "number"
        low, high = spec.bounds
        out["minimum"] = _json_number(
            max(low, -MAX_MAGNITUDE) if low is not None else -MAX_MAGNITUDE
        )
        out["maximum"] = _json_number(
            min(high, MAX_MAGNITUDE) if high is not None else MAX_MAGNITUDE
        )
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind == "date":
        out.update(_DATE)
    elif kind == "enum":
        out["type"] = "string"
        out["enum"] = list(spec.values or ())
    elif kind == "text":
        out["type"] = "string"
        out["maxLength"] = MAX_TEXT_LENGTH
    else:
        fields = getattr(spec, "fields", None) or {}
        limit = getattr(spec, "max_items", None)
        out["type"] = "array"
        out["maxItems"] = DEFAULT_MAX_ITEMS if limit is None else limit
        out["items"] = {
            "type": "object",
            "properties": {name: _markable(f) for name, f in fields.items()},
            "required": [name for name, f in fields.items() if f.must_be_given],
            "additionalProperties": False,
        }
    if spec.has_default:
        default = spec.default
        out["default"] = (
            _json_number(default)
            if isinstance(default, (int, Decimal)) and not isinstance(default, bool)
            else default
        )
    return out


_UNKNOWN: dict[str, Any] = {
    "type": "object",
    "description": "a value the sheet does not show: {unknown: true} or {unknown: <reason>}",
    "properties": {"unknown": {"anyOf": [{"const": True}, {"type": "string", "minLength": 1}]}},
    "required": ["unknown"],
    "additionalProperties": False,
}


def _markable(spec: FactSpec | FieldSpec) -> dict[str, Any]:
    """A value's schema, or a marker: a mapping is never a value, so an object is read as
    ``{unknown: ...}`` or ``{value: ..., doubtful: <reason>}`` (docs/rubric-format.md)."""
    inner = _value_schema(spec)
    head: dict[str, Any] = {
        k: inner.pop(k) for k in ("title", "description", "default") if k in inner
    }
    doubtful = {
        "type": "object",
        "description": "a value given but not certain: {value: ..., doubtful: <reason>}",
        "properties": {"value": inner, "doubtful": {"type": "string", "minLength": 1}},
        "required": ["value", "doubtful"],
        "additionalProperties": False,
    }
    marker = _UNKNOWN if spec.type == "list" else {"oneOf": [_UNKNOWN, doubtful]}
    return {**head, "if": {"type": "object"}, "then": marker, "else": inner}


def _indicators(rubric: Rubric) -> list[tuple[str, str, str]]:
    """(id, name, not_applicable) of every leaf and bonus indicator, in rubric order."""
    out: list[tuple[str, str, str]] = [
        (n.node.id, n.node.name, n.node.not_applicable)
        for n in iter_nodes(rubric.model)
        if isinstance(n.node, Indicator)
    ]
    out.extend((b.id, b.name, "forbidden") for b in rubric.model.bonus)
    return out


def facts_schema(rubric: Rubric | str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON Schema of facts documents for one rubric.

    Args:
        rubric: the rubric whose fact declarations (types, bounds, values, list records,
            defaults) the schema describes; a rubric file's path or bundled ``id@version`` is
            loaded with `load_rubric` (anything else is a `UsageError`).

    Returns:
        A draft 2020-12 schema of the whole document: ``rubric``, ``subject``, ``period``,
        ``facts``, ``not_applicable`` and ``claimed``.
    """
    rubric = as_rubric("facts_schema", "rubric", rubric)
    facts = rubric.model.facts
    required = [fact_id for fact_id, spec in facts.items() if spec.must_be_given]
    indicators = _indicators(rubric)
    allowed = [i for i, _, na in indicators if na != "forbidden"]
    not_applicable: dict[str, Any] = {
        "type": "array",
        "description": "indicators marked 不涉及 (not applicable)",
    }
    if allowed:
        not_applicable["items"] = {"enum": allowed}
    else:
        not_applicable["maxItems"] = 0
    text_or_number = {"type": ["string", "number", "null"]}
    return {
        "$schema": DRAFT,
        "$id": f"urn:perfscore:schema:facts:{rubric.ref}",
        "title": f"Facts for {rubric.title} ({rubric.ref})",
        "description": f"A facts document scored by rubric {rubric.ref}. "
        "Generated by 'perfscore schema facts'.",
        "type": "object",
        "required": ["facts"],
        "additionalProperties": False,
        "properties": {
            "rubric": {"const": rubric.ref, "description": "the rubric this document is for"},
            "subject": {**text_or_number, "description": "the department or unit reported on"},
            "period": {**text_or_number, "description": "the period reported on, e.g. 2022"},
            "facts": {
                "type": "object",
                "properties": {fact_id: _markable(spec) for fact_id, spec in facts.items()},
                "required": required,
                "additionalProperties": False,
            },
            "not_applicable": not_applicable,
            "claimed": {
                "type": "object",
                "description": "the scores the department claims",
                "additionalProperties": False,
                "properties": {
                    "indicators": {
                        "type": "object",
                        "properties": {
                            i: {"type": "number", "title": name} for i, name, _ in indicators
                        },
                        "additionalProperties": False,
                    },
                    "total": {"type": ["number", "null"]},
                    "grade": {
                        "type": ["string", "null"],
                        "examples": [g.grade for g in rubric.model.grades],
                    },
                },
            },
        },
    }


#: keys written only when unknown values leave a score a range, and the project sheet's
#: figures, written only for a rubric that declares `sheet` (docs/scorecard-json.md)
_ONLY_RANGED = frozenset(("range", "total_range", "grades_possible", "sheet"))


def scorecard_schema() -> dict[str, Any]:
    """The JSON Schema of `Scorecard.to_json()` output (scorecard format `SCORECARD_FORMAT`).

    Returns:
        A draft 2020-12 schema; every key is always written, so every key is required, except
        the range keys, written only where unknown values leave a score a range.
    """
    schema = Scorecard.model_json_schema(mode="serialization", schema_generator=_Generator)
    _tidy(schema)
    for node in _walk(schema):
        if node.get("type") == "object" and isinstance(node.get("properties"), dict):
            node["required"] = [p for p in node["properties"] if p not in _ONLY_RANGED]
    schema["properties"]["format"] = {"const": SCORECARD_FORMAT}
    schema.pop("title", None)
    schema.pop("description", None)
    return {
        "$schema": DRAFT,
        "$id": f"urn:perfscore:schema:scorecard:{SCORECARD_FORMAT}",
        "title": f"perfscore scorecard (format {SCORECARD_FORMAT})",
        "description": "What 'perfscore score --format json' and Scorecard.to_json() write. "
        "See docs/scorecard-json.md.",
        **schema,
    }
