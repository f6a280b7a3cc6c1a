"""Value types: the static types of facts and expressions, and the runtime value of a list fact."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "BOOL",
    "DATE",
    "NUMBER",
    "TEXT",
    "Doubtful",
    "Records",
    "Unknown",
    "ValueType",
    "has_marks",
    "list_of",
    "text_of",
]


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
    #: an ordered enum's values, lowest first (None: compares only with == and !=)
    order: tuple[str, ...] | None = field(default=None, hash=False, compare=False)

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


class Records:
    """Immutable runtime value of a list fact: a tuple of records (Mapping[str, value])."""

    __slots__ = ("_items",)

    def __init__(self, records: Sequence[Mapping[str, object]]) -> None:
        self._items = tuple(MappingProxyType(dict(record)) for record in records)

    @classmethod
    def adopt(cls, records: Iterable[dict[str, object]]) -> Records:
        """Records of dicts nobody else holds (the generated facts validator's own): each is
        made read-only in place of the copy `Records` takes of records it is given."""
        new = cls.__new__(cls)
        new._items = tuple(map(MappingProxyType, records))
        return new

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Mapping[str, object]]:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"<list of {len(self._items)} records>"


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value the facts document declares not known (``{unknown: <reason>}``): a sheet cut off,
    a cell left blank. Indicators that read it get a score range instead of a score."""

    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Doubtful:
    """A value given but marked doubtful (``{value: 93, doubtful: <reason>}``), e.g. poor OCR.
    It is scored as given; every indicator that reads it says so."""

    value: object
    reason: str


def has_marks(value: object, kinds: type | tuple[type, ...] = (Unknown, Doubtful)) -> bool:
    """True when a validated value, or a field of one of its records, is unknown or doubtful
    (or only one of those, as `kinds` names)."""
    if isinstance(value, kinds):
        return True
    if isinstance(value, Records):
        return any(isinstance(v, kinds) for r in value for v in r.values())
    return False
