"""Static types of fact values and expressions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["BOOL", "DATE", "NUMBER", "TEXT", "ValueType", "list_of", "text_of"]


@dataclass(frozen=True)
class ValueType:
    """What a fact, derived value or expression holds.

    ``kind`` is one of ``number``, ``bool``, ``date``, ``text`` or ``list``. A ``text`` type from an
    enum fact lists its allowed `values`; a ``list`` type maps each record field to its type.
    ``optional`` marks a fact that may have no value (declared ``required: false``, no default).
    """

    kind: str
    values: frozenset[str] | None = None
    fields: Mapping[str, ValueType] | None = field(default=None, hash=False, compare=False)
    optional: bool = False

    def __str__(self) -> str:
        return self.kind


NUMBER = ValueType("number")
BOOL = ValueType("bool")
DATE = ValueType("date")
TEXT = ValueType("text")


def text_of(values: frozenset[str]) -> ValueType:
    """The type of an enum fact: text restricted to `values`."""
    return ValueType("text", values=values)


def list_of(fields: Mapping[str, ValueType]) -> ValueType:
    """The type of a list fact whose records have `fields`."""
    return ValueType("list", fields=dict(fields))
