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
from perfscore._messages import Message
from perfscore._numbers import format_decimal

__all__ = ["cell_hints", "text_cell_hints"]

_Path = tuple[str | int, ...]
_CODES = frozenset({"fact-type", "out-of-bounds", "missing-fact"})
_NUMBER = re.compile(r"[-+]?[0-9][0-9,，]*(?:\.[0-9]+)?")
_DATE = re.compile(
    r"\s*((?:19|20)[0-9]{2})\s*[年/.\-]\s*([0-9]{1,2})\s*[月/.\-]\s*([0-9]{1,2})\s*日?\s*"
    r"(?:[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?\s*)?"  # a time of day: the date is meant
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
            out.extend(text_cell_hints([problem]))
            continue
        hint = _hint(problem.code, spec, _value(path, raw), loc, document, language, len(path) > 2)
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


def text_cell_hints(problems: Sequence[Problem]) -> list[Problem]:
    """`problems` with the YAML hint to remove a number's quotes, where it stands at a workbook
    cell (a claimed score typed into a cell formatted as text), saying what to do in the cell:
    a cell has no quotes to remove."""
    return [
        dataclasses.replace(p, hint=Message("workbook-hint-text-cell"))
        if p.location is not None
        and p.location.sheet is not None
        and getattr(p.hint, "key", None) == "facts-hint-unquote"
        else p
        for p in problems
    ]


def _hint(
    code: str,
    spec: FactSpec | FieldSpec,
    value: object,
    loc: Location,
    document: WorkbookDocument,
    language: str,
    in_record: bool = False,
) -> str | None:
    yes, no = ("是", "否") if language == "zh" else ("yes", "no")
    kind = spec.type
    if code == "missing-fact" or value is None:  # a cell left blank
        if document.layout == "template" and loc.sheet is not None and in_record:
            # a list sheet marks one field of a row: its own two columns, not the 事实 sheet's G
            return Message("workbook-hint-type-field-or-unknown", cell=loc.cell())
        if document.layout == "template" and loc.sheet is not None and loc.column == 3:
            return Message("workbook-hint-type-value-or-unknown", cell=loc.cell())
        return Message("workbook-hint-type-value", cell=loc.cell())
    if kind in NUMBER_TYPES:
        return _number_hint(code, spec, value)
    if kind == "boolean":
        guess: str = ""
        if isinstance(value, str):
            text = value.strip().lower()
            if text in _YES:
                guess = Message("workbook-hint-guess", word=yes, value=value)
            elif text in _NO:
                guess = Message("workbook-hint-guess", word=no, value=value)
        return Message("workbook-hint-pick-yes-no", yes=yes, no=no, guess=guess)
    if kind == "date":
        if isinstance(value, str):
            match = _DATE.fullmatch(value)
            if match:
                try:
                    day = dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    day = None
                if day is not None:
                    return Message("workbook-hint-date", day=day.isoformat())
        return Message("workbook-hint-date", day="2022-12-31")
    if kind == "enum" and spec.values:
        return Message("workbook-hint-pick-one", values="、".join(spec.values)[:200])
    return None


def _number_hint(code: str, spec: FactSpec | FieldSpec, value: object) -> str | None:
    low, high = spec.bounds
    percent = spec.type == "percent"
    if isinstance(value, str):
        written = _number_in(value)
        if written is None:
            usual = Decimal(12) if spec.type == "integer" else Decimal("95.87")
            fits = (low is None or low <= usual) and (high is None or usual <= high)
            example = format_decimal(usual if fits or low is None else low)
            return Message("workbook-hint-number-alone", example=example)
        if written == value.strip():  # the number itself, kept as text by the cell
            return Message("workbook-hint-number-as-text", written=written)
        if percent:
            return Message("workbook-hint-percent-written", written=written)
        return Message("workbook-hint-number-written", written=written)
    if isinstance(value, dt.date):  # the cell is formatted as a date: Excel shows a day
        return Message("workbook-hint-number-not-date")
    if not isinstance(value, Decimal | int) or isinstance(value, bool):
        return None
    number = Decimal(value)
    if spec.type == "integer" and number != number.to_integral_value():
        down, up = (
            format_decimal(number.to_integral_value(rounding=r))
            for r in ("ROUND_FLOOR", "ROUND_CEILING")
        )
        return Message("workbook-hint-whole", down=down, up=up, number=format_decimal(number))
    if code != "out-of-bounds":
        return None
    if low is not None and high is not None:
        span = Message(
            "workbook-hint-span-from-to", low=format_decimal(low), high=format_decimal(high)
        )
    elif low is not None:
        span = Message("workbook-hint-span-at-least", low=format_decimal(low))
    elif high is not None:
        span = Message("workbook-hint-span-at-most", high=format_decimal(high))
    else:
        return None
    if percent and 0 < abs(number) <= 1 and (high is None or high >= 100):
        shown = format_decimal(number * 100)
        return Message("workbook-hint-percent-units", shown=shown, span=span)
    return Message("workbook-hint-percent-span" if percent else "workbook-hint-span", span=span)
