"""The scorecard: what `Rubric.evaluate` returns, and its canonical JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import json.encoder
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from perfscore._expr import Records
from perfscore._numbers import format_decimal

__all__ = [
    "SCORECARD_FORMAT",
    "ClaimsReview",
    "Discrepancy",
    "GroupScore",
    "IndicatorScore",
    "RubricRef",
    "Scorecard",
    "Trace",
    "TraceStep",
    "Warning",
    "canonical_json",
    "dump_json",
    "sha256_of",
]

#: A value an indicator read, as the scorecard records it (dates as ISO text, lists as records).
Scalar = bool | Decimal | str | None
InputValue = Scalar | list[dict[str, Scalar]]

#: Version of the scorecard JSON layout; bumped only on incompatible changes.
SCORECARD_FORMAT = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# The parts of a scorecard are frozen dataclasses rather than models: a scorecard has a hundred
# of them and a dataclass is built an order of magnitude faster. pydantic validates, dumps and
# describes them exactly like models (the config below forbids unknown keys when reading JSON).
_STRICT = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class TraceStep:
    """One step of an indicator's score; `value` is the running score after it."""

    __pydantic_config__ = _STRICT

    kind: str
    value: Decimal
    detail: str
    amount: Decimal | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Trace:
    """Why an indicator got its score: the values it read and each step taken."""

    __pydantic_config__ = _STRICT

    inputs: dict[str, InputValue]
    steps: tuple[TraceStep, ...]


@dataclass(frozen=True)
class IndicatorScore:
    """The result of one leaf or bonus indicator."""

    __pydantic_config__ = _STRICT

    id: str
    name: str
    group: str | None
    kind: Literal["indicator", "bonus"]
    min: Decimal
    max: Decimal
    score: Decimal
    applicable: bool
    claimed: Decimal | None
    basis: str | None
    trace: Trace | None


@dataclass(frozen=True)
class GroupScore:
    """A group's subtotal."""

    __pydantic_config__ = _STRICT

    id: str
    name: str
    parent: str | None
    max: Decimal
    score: Decimal


@dataclass(frozen=True)
class Discrepancy:
    """A claimed score that differs from the computed one; `difference` is claimed − computed."""

    __pydantic_config__ = _STRICT

    indicator: str
    claimed: Decimal
    computed: Decimal
    difference: Decimal
    reason: str


@dataclass(frozen=True)
class Warning:
    """A consistency check that fired."""

    __pydantic_config__ = _STRICT

    check: str
    message: str


@dataclass(frozen=True)
class ClaimsReview:
    """Whether the claimed total and grade follow from the claimed indicator scores."""

    __pydantic_config__ = _STRICT

    claimed_total: Decimal | None
    claimed_sum: Decimal
    claimed_grade: str | None
    missing: tuple[str, ...]
    implied: dict[str, Decimal]
    findings: tuple[str, ...]


@dataclass(frozen=True)
class RubricRef:
    """Which rubric produced a scorecard, down to its content hash."""

    __pydantic_config__ = _STRICT

    id: str
    version: str
    title: str
    sha256: str
    language: str = "zh"
    chain: tuple[str, ...] = ()


class Scorecard(_Model):
    """Every indicator's score with its trace, group subtotals, totals, grade and review."""

    format: int = SCORECARD_FORMAT
    perfscore: str
    rubric: RubricRef
    facts_sha256: str
    subject: str | None
    period: str | None
    base_total: Decimal
    bonus_total: Decimal
    total: Decimal
    max_total: Decimal
    grade: str
    total_trace: tuple[TraceStep, ...] | None
    groups: tuple[GroupScore, ...]
    indicators: tuple[IndicatorScore, ...]
    warnings: tuple[Warning, ...]
    discrepancies: tuple[Discrepancy, ...]
    review: ClaimsReview | None

    def indicator(self, indicator_id: str) -> IndicatorScore:
        """The result of one indicator by id; KeyError if the rubric has no such indicator."""
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON: exact numbers without exponent or ``-0``, keys in model order."""
        return dump_json(self.model_dump(mode="python"), indent=indent)

    def explain(self) -> str:
        """The scorecard as readable text, in the rubric's language."""
        from perfscore._render import render_text

        return render_text(self)

    def to_markdown(self) -> str:
        """The scorecard as a Markdown report."""
        from perfscore._render import render_markdown

        return render_markdown(self)

    @property
    def has_findings(self) -> bool:
        """True when there are discrepancies, warnings or review findings."""
        return bool(self.discrepancies or self.warnings or (self.review and self.review.findings))


def plain(value: object) -> InputValue:
    """Turn a runtime value (Records, dates) into what a trace records."""
    if isinstance(value, Records):
        return [{k: _scalar(v) for k, v in r.items()} for r in value]
    return _scalar(value)


def _scalar(value: object) -> Scalar:
    if isinstance(value, dt.date):
        return value.isoformat()
    assert value is None or isinstance(value, (bool, Decimal, str))
    return value


def dump_json(data: object, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """JSON with Decimals written as exact numbers (no exponent, no ``-0``)."""
    numbers: list[str] = []

    def convert(obj: object) -> object:
        if isinstance(obj, Decimal):
            numbers.append(format_decimal(obj))
            return f"\x00{len(numbers) - 1}\x00"
        if isinstance(obj, Mapping):
            return {str(k): convert(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [convert(v) for v in obj]
        if isinstance(obj, Records):
            return convert(plain(obj))
        if isinstance(obj, dt.date):
            return obj.isoformat()
        return obj

    text = json.dumps(convert(data), ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    # each Decimal became the JSON string "\u0000N\u0000"; swap it for the bare number. Real text
    # cannot contain U+0000 (documents reject control characters), so tokens are unambiguous.
    return _TOKEN.sub(lambda m: numbers[int(m.group(1))], text)


_TOKEN = re.compile(r'"\\u0000([0-9]+)\\u0000"')


def canonical_json(data: object) -> str:
    """Key-order-independent compact JSON used for content hashes.

    Keys sorted, no spaces, numbers as their exact decimal text, dates as ISO text: the same
    content always gives the same text, however the document was written.
    """
    out: list[str] = []
    _canonical(data, out)
    return "".join(out)


_quote = json.encoder.encode_basestring  # the C routine json.dumps uses for ensure_ascii=False


def _canonical(obj: object, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(_quote(obj))
    elif isinstance(obj, bool) or obj is None:
        out.append("true" if obj is True else "false" if obj is False else "null")
    elif isinstance(obj, Decimal):
        out.append(format_decimal(obj))
    elif isinstance(obj, int):
        out.append(str(obj))
    elif isinstance(obj, Mapping):
        out.append("{")
        for i, key in enumerate(sorted(obj, key=str)):
            if i:
                out.append(",")
            out.append(_quote(str(key)))
            out.append(":")
            _canonical(obj[key], out)
        out.append("}")
    elif isinstance(obj, (list, tuple, Records)):
        out.append("[")
        for i, item in enumerate(obj):
            if i:
                out.append(",")
            _canonical(item, out)
        out.append("]")
    elif isinstance(obj, dt.date):
        out.append(f'"{obj.isoformat()}"')
    else:
        raise TypeError(f"cannot hash a {type(obj).__name__}")


def sha256_of(data: object) -> str:
    """Hex SHA-256 of the canonical JSON of `data`."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
