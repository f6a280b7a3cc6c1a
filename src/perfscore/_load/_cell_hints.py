"""Hints for a wrong workbook cell: what to type in it.

A facts problem already names the cell, the label beside it and what was expected; its hint is
written for a YAML author ("write true for '有'"). In a workbook the fix is typed into a cell or
picked from a drop-down, so a problem located in a workbook cell gets a hint that says exactly
that: ``type 95.87 (it means 95.87%)``, ``type the date as 2022-01-30``, ``pick 是 or 否``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from perfscore._errors import Location, Problem
from perfscore._load._model import NUMBER_TYPES, FactSpec, FieldSpec
from perfscore._load._xlsx import WorkbookDocument
from perfscore._numbers import format_decimal

__all__ = ["cell_hints"]

_Path = tuple[str | int, ...]
_CODES = frozenset({"fact-type", "out-of-bounds", "missing-fact"})
_NUMBER = re.compile(r"[-+]?[0-9][0-9,，]*(?:\.[0-9]+)?")
_DATE = re.compile(
    r"\s*((?:19|20)[0-9]{2})\s*[年/.\-]\s*([0-9]{1,2})\s*[月/.\-]\s*([0-9]{1,2})\s*日?\s*"
)
_YES = ("是", "有", "对", "y", "yes", "true", "√", "✓")
_NO = ("否", "无", "没有", "不", "n", "no", "false", "×", "✗")


def cell_hints(
    problems: Sequence[Problem],
    document: WorkbookDocument,
    facts: Mapping[str, FactSpec],
    raw: Mapping[str, object],
    language: str,
) -> list[Problem]:
    """`problems` with the hint of each wrong workbook cell saying what to type there."""
    where: dict[tuple[str | None, int | None, int | None], _Path] = {
        (loc.sheet, loc.line, loc.column): path
        for path, loc in document.cells.items()
        if path and path[0] == "facts" and loc.sheet is not None
    }
    out: list[Problem] = []
    for problem in problems:
        loc = problem.location
        path = None if loc is None else where.get((loc.sheet, loc.line, loc.column))
        spec = None if path is None else _spec(path, facts)
        if problem.code not in _CODES or loc is None or path is None or spec is None:
            out.append(problem)
            continue
        hint = _hint(problem.code, spec, _value(path, raw), loc, document, language)
        out.append(problem if hint is None else dataclasses.replace(problem, hint=hint))
    return out


def _spec(path: _Path, facts: Mapping[str, FactSpec]) -> FactSpec | FieldSpec | None:
    fact = facts.get(str(path[1])) if len(path) > 1 else None
    if fact is None or len(path) == 2:
        return fact
    if len(path) == 4 and fact.fields:
        return fact.fields.get(str(path[3]))
    return None


def _value(path: _Path, raw: Mapping[str, object]) -> object:
    value: object = raw
    for key in path[1:]:
        if isinstance(value, Mapping):
            value = value.get(key)
        elif isinstance(value, Sequence) and not isinstance(value, str) and isinstance(key, int):
            value = value[key] if key < len(value) else None
        else:
            return None
    return value


def _number_in(text: str) -> str | None:
    """The one number written in `text`, as written (``3,703.80万元`` -> 3703.80), or None."""
    found: list[str] = _NUMBER.findall(text)
    if len(found) != 1:
        return None
    number = found[0].replace(",", "").replace("，", "")
    try:
        Decimal(number)
    except InvalidOperation:
        return None
    return number


def _hint(
    code: str,
    spec: FactSpec | FieldSpec,
    value: object,
    loc: Location,
    document: WorkbookDocument,
    language: str,
) -> str | None:
    yes, no = ("是", "否") if language == "zh" else ("yes", "no")
    kind = spec.type
    if code == "missing-fact" or value is None:  # a cell left blank
        if document.layout == "template" and loc.sheet is not None and loc.column == 3:
            return (
                f"type the value in {loc.cell()}; if the source does not show it, leave it "
                "empty and pick 不详 in the 状态 cell of the row (column G)"
            )
        return f"type the value in {loc.cell()}"
    if kind in NUMBER_TYPES:
        return _number_hint(code, spec, value)
    if kind == "boolean":
        guess = ""
        if isinstance(value, str):
            text = value.strip().lower()
            if text in _YES:
                guess = f" ({yes} for {value!r})"
            elif text in _NO:
                guess = f" ({no} for {value!r})"
        return f"pick {yes} or {no} from the cell's drop-down list{guess}"
    if kind == "date":
        if isinstance(value, str):
            match = _DATE.fullmatch(value)
            if match:
                try:
                    day = dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    day = None
                if day is not None:
                    return f"type the date as {day.isoformat()} (a date cell, not text)"
        return "type the date as 2022-12-31 (a date cell, not text)"
    if kind == "enum" and spec.values:
        return "pick one from the cell's drop-down list: " + "、".join(spec.values)[:200]
    return None


def _number_hint(code: str, spec: FactSpec | FieldSpec, value: object) -> str | None:
    low, high = spec.bounds
    percent = spec.type == "percent"
    if isinstance(value, str):
        written = _number_in(value)
        if written is None:
            usual = Decimal("95.87")
            fits = (low is None or low <= usual) and (high is None or usual <= high)
            example = format_decimal(usual if fits or low is None else low)
            return f"type a number alone, e.g. {example}, without unit or words"
        if percent:
            return (
                f"type {written} (it means {written}%): a percent cell holds the number of "
                "percent, without '%'"
            )
        return f"type {written}: the number alone, without unit or separators"
    if not isinstance(value, Decimal | int) or isinstance(value, bool):
        return None
    number = Decimal(value)
    if spec.type == "integer" and number != number.to_integral_value():
        down, up = (
            format_decimal(number.to_integral_value(rounding=r))
            for r in ("ROUND_FLOOR", "ROUND_CEILING")
        )
        return f"type a whole number ({down} or {up}), not {format_decimal(number)}"
    if code != "out-of-bounds":
        return None
    if low is not None and high is not None:
        span = f"from {format_decimal(low)} to {format_decimal(high)}"
    elif low is not None:
        span = f"of at least {format_decimal(low)}"
    elif high is not None:
        span = f"of at most {format_decimal(high)}"
    else:
        return None
    if percent and 0 < abs(number) <= 1 and (high is None or high >= 100):
        shown = format_decimal(number * 100)
        return f"type {shown} for {shown}% (a percent cell holds percent units), a number {span}"
    return f"type a number {span}" + (" (95.87 means 95.87%)" if percent else "")
