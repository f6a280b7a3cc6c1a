"""The scorecard: what `Rubric.evaluate` returns, and its canonical JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import json.encoder
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_serializer, model_validator

from perfscore._load._model import Basis
from perfscore._numbers import format_decimal
from perfscore._output._format1 import upgrade_format_1
from perfscore._values import Doubtful, Records, Unknown

__all__ = [
    "FAIL_ON",
    "SCORECARD_FORMAT",
    "BasisKind",
    "CheckWarning",
    "ClaimsReview",
    "Discrepancy",
    "DiscrepancyCode",
    "FailOn",
    "FindingCode",
    "GroupScore",
    "IndicatorScore",
    "ReviewFinding",
    "RubricRef",
    "RuleBasis",
    "ScoreRange",
    "Scorecard",
    "Trace",
    "TraceStep",
    "basis_of",
    "canonical_json",
    "dump_json",
    "sha256_of",
]

#: A value an indicator read, as the scorecard records it (dates as ISO text, lists as records).
Scalar = bool | Decimal | str | None
InputValue = Scalar | list[dict[str, Scalar]]

#: Version of the scorecard JSON layout; bumped only on incompatible changes. Format 2 gave
#: review findings and discrepancies codes and a rule's basis its kind as a key of its own.
SCORECARD_FORMAT = 2

#: Where a rule comes from, as the rubric says (the kinds of the rubric format's `basis`).
BasisKind = Literal["sourced", "recalled", "other-province", "inferred", "assumption"]

#: What a finding of the review of claimed scores is about (docs/scorecard-json.md).
FindingCode = Literal[
    "claims-do-not-add-up",
    "implied-score",
    "implied-score-out-of-range",
    "many-missing",
    "unclaimed-indicators",
    "claimed-grade-differs",
    "claimed-score-out-of-bounds",
    "claimed-score-unreachable",
    "claimed-total-unreachable",
    "missing-claims-sum",
]

#: Whether a discrepancy is about one indicator's claimed score or about the claimed total.
DiscrepancyCode = Literal["claimed-score-differs", "claimed-total-differs"]


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
class RuleBasis:
    """Where an indicator's rule comes from: a source, a recollection, an inference..."""

    __pydantic_config__ = _STRICT

    kind: BasisKind
    text: str


def basis_of(basis: Basis) -> RuleBasis:
    """The scorecard's record of a rule's basis as the rubric gives it."""
    return RuleBasis(kind=basis.kind, text=basis.text)


@dataclass(frozen=True)
class ScoreRange:
    """The least and greatest score reachable when some values are unknown."""

    __pydantic_config__ = _STRICT
    min: Decimal
    max: Decimal


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
    #: None when the indicator read an unknown value: see `range`
    score: Decimal | None
    applicable: bool
    claimed: Decimal | None
    basis: RuleBasis | None
    trace: Trace | None
    #: the reachable scores when `score` is None (absent from the JSON otherwise)
    range: ScoreRange | None = None

    @property
    def low(self) -> Decimal:
        """The score, or the least reachable one."""
        return self.range.min if self.range is not None else self.score or Decimal(0)

    @property
    def high(self) -> Decimal:
        """The score, or the greatest reachable one."""
        return self.range.max if self.range is not None else self.score or Decimal(0)


@dataclass(frozen=True)
class GroupScore:
    """A group's subtotal."""

    __pydantic_config__ = _STRICT

    id: str
    name: str
    parent: str | None
    max: Decimal
    #: None when an indicator under it has a range: see `range`
    score: Decimal | None
    range: ScoreRange | None = None


@dataclass(frozen=True)
class Discrepancy:
    """A claimed score that differs from the computed one; `difference` is claimed − computed.

    `indicator` is an indicator's id, or ``total`` for the claimed total (code
    ``claimed-total-differs``).
    """

    __pydantic_config__ = _STRICT

    code: DiscrepancyCode
    indicator: str
    claimed: Decimal
    computed: Decimal
    difference: Decimal
    reason: str


#: The levels of ``--fail-on``, least inclusive first.
FailOn = Literal["error", "warning", "discrepancy"]
FAIL_ON: tuple[FailOn, ...] = ("error", "warning", "discrepancy")


@dataclass(frozen=True)
class CheckWarning:
    """A consistency check that fired."""

    __pydantic_config__ = _STRICT

    check: str
    message: str
    #: ``info`` (a notice: fails no ``--fail-on`` level), ``warning`` or ``error``; the JSON
    #: leaves the key out for ``warning``, the default
    severity: Literal["info", "warning", "error"] = "warning"

    @model_serializer(mode="wrap")
    def _leave_default_out(self, handler: Any) -> Any:
        data = handler(self)
        if isinstance(data, dict) and data.get("severity") == "warning":
            del data["severity"]
        return data


@dataclass(frozen=True)
class ReviewFinding:
    """One thing the review of claims found: a stable `code`, the sentence in the rubric's
    language, and the indicator it is about when it is about one."""

    __pydantic_config__ = _STRICT

    code: FindingCode
    message: str
    indicator: str | None = None


@dataclass(frozen=True)
class ClaimsReview:
    """Whether the claimed total and grade follow from the claimed indicator scores."""

    __pydantic_config__ = _STRICT

    claimed_total: Decimal | None
    claimed_sum: Decimal
    claimed_grade: str | None
    missing: tuple[str, ...]
    implied: dict[str, Decimal]
    findings: tuple[ReviewFinding, ...]


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
    #: the base, bonus and total; None when unknown values leave them a range (`total_range`)
    base_total: Decimal | None
    bonus_total: Decimal | None
    total: Decimal | None
    max_total: Decimal
    #: None when several grades are reachable (`grades_possible`)
    grade: str | None
    total_trace: tuple[TraceStep, ...] | None
    groups: tuple[GroupScore, ...]
    indicators: tuple[IndicatorScore, ...]
    warnings: tuple[CheckWarning, ...]
    discrepancies: tuple[Discrepancy, ...]
    review: ClaimsReview | None
    #: with unknown values: the reachable totals and the grades they give (absent otherwise)
    total_range: ScoreRange | None = None
    grades_possible: tuple[str, ...] | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_earlier_formats(cls, data: Any) -> Any:
        # a format-1 scorecard reads as the format-2 scorecard the same run gives today
        if isinstance(data, dict) and data.get("format") == 1:
            return upgrade_format_1(data)
        return data

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Any = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Scorecard:
        """Read a scorecard's JSON back, numbers exact to the last digit.

        A format-1 scorecard is read as format 2: its findings get their codes and its bases
        their kinds, exactly as a format-2 run writes them.

        pydantic's JSON parser reads numbers as floats first (17 significant digits); a
        scorecard's numbers are exact decimals of up to 34 digits, so they are parsed as
        `Decimal` here and the result validated as Python data.
        """
        try:
            data = json.loads(json_data, parse_float=Decimal, parse_int=Decimal)
        except ValueError as exc:
            raise ValueError(f"not a scorecard's JSON: {exc}") from None
        return cls.model_validate(data, strict=strict, context=context)

    def indicator(self, indicator_id: str) -> IndicatorScore:
        """The result of one indicator by id; KeyError if the rubric has no such indicator."""
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON: exact numbers without exponent or ``-0``, keys in model order."""
        data = self.model_dump(mode="python")
        if self.total_range is not None or any(i.range for i in self.indicators):
            _drop_exact(data)
        else:  # an exact scorecard's JSON is as it was before ranges existed
            for part in ("indicators", "groups"):
                for item in data[part]:
                    del item["range"]
            del data["total_range"], data["grades_possible"]
        return dump_json(data, indent=indent)

    def explain(self) -> str:
        """The scorecard as readable text, in the rubric's language."""
        from perfscore._output._render import render_text

        return render_text(self)

    def to_markdown(self) -> str:
        """The scorecard as a Markdown report."""
        from perfscore._output._render import render_markdown

        return render_markdown(self)

    @property
    def has_findings(self) -> bool:
        """True when there are discrepancies, warnings or review findings."""
        return bool(self.discrepancies or self.warnings or (self.review and self.review.findings))

    def fails_on(self, level: FailOn) -> bool:
        """Whether a finding reaches `level` (``perfscore score --fail-on``).

        ``error``: a check of severity error fired; ``warning``: also a warning (a check's, an
        implausible value's, a records group whose points do not add up); ``discrepancy``: also
        a claimed score that differs or a review finding. A notice (severity info) fails none.
        """
        if level not in FAIL_ON:
            raise ValueError(f"level must be one of {', '.join(FAIL_ON)}, not {level!r}")
        serious = {"error"} if level == "error" else {"error", "warning"}
        if any(w.severity in serious for w in self.warnings):
            return True
        return level == "discrepancy" and bool(
            self.discrepancies or (self.review and self.review.findings)
        )


def _drop_exact(data: dict[str, Any]) -> None:
    """The range keys of the parts that are exact: only what is a range carries one."""
    for part in ("indicators", "groups"):
        for item in data[part]:
            if item["range"] is None:
                del item["range"]
    for key in ("total_range", "grades_possible"):
        if data[key] is None:
            del data[key]


def plain(value: object) -> InputValue:
    """Turn a runtime value (Records, dates) into what a trace records."""
    if isinstance(value, Records):
        return [{k: _scalar(v) for k, v in r.items()} for r in value]
    return _scalar(value)


def _scalar(value: object) -> Scalar:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (Unknown, Doubtful)):
        return None if isinstance(value, Unknown) else _scalar(value.value)
    assert value is None or isinstance(value, (bool, Decimal, str))
    return value


def dump_json(data: object, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """JSON with Decimals written as exact numbers (no exponent, no ``-0``).

    Written directly rather than through `json.dumps`, which has no way to emit a number from
    its exact text; strings are escaped by the json module's own routine.
    """
    out: list[str] = []
    _write(data, out, indent, sort_keys, 0)
    return "".join(out)


def canonical_json(data: object) -> str:
    """Key-order-independent compact JSON used for content hashes.

    Keys sorted, no spaces, numbers as their exact decimal text, dates as ISO text: the same
    content always gives the same text, however the document was written.
    """
    return dump_json(data, indent=None, sort_keys=True)


_quote = json.encoder.encode_basestring  # the C routine json.dumps uses for ensure_ascii=False


def _write(obj: object, out: list[str], indent: int | None, sort_keys: bool, level: int) -> None:
    if isinstance(obj, str):
        out.append(_quote(obj))
    elif obj is None or isinstance(obj, bool):
        out.append("null" if obj is None else "true" if obj else "false")
    elif isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"{obj} is not a JSON number")
        out.append(format_decimal(obj))
    elif isinstance(obj, int):
        out.append(str(obj))
    elif isinstance(obj, dt.date):
        out.append(f'"{obj.isoformat()}"')
    elif isinstance(obj, Unknown):  # in content hashes: written as the document marks it
        _write({"unknown": obj.reason or True}, out, indent, sort_keys, level)
    elif isinstance(obj, Doubtful):
        _write({"value": obj.value, "doubtful": obj.reason}, out, indent, sort_keys, level)
    elif isinstance(obj, Mapping):
        keys = sorted(obj, key=str) if sort_keys else list(obj)
        _container("{", "}", [(k, obj[k]) for k in keys], out, indent, sort_keys, level, keyed=True)
    elif isinstance(obj, (list, tuple, Records)):
        _container("[", "]", [(None, v) for v in obj], out, indent, sort_keys, level, keyed=False)
    else:
        raise TypeError(f"cannot write a {type(obj).__name__} as JSON")


def _container(
    open_: str,
    close: str,
    items: list[tuple[object, object]],
    out: list[str],
    indent: int | None,
    sort_keys: bool,
    level: int,
    *,
    keyed: bool,
) -> None:
    if not items:
        out.append(open_ + close)
        return
    inner = "" if indent is None else "\n" + " " * (indent * (level + 1))
    outer = "" if indent is None else "\n" + " " * (indent * level)
    colon = ":" if indent is None else ": "
    out.append(open_)
    for i, (key, value) in enumerate(items):
        if i:
            out.append(",")
        out.append(inner)
        if keyed:
            out.append(_quote(str(key)))
            out.append(colon)
        _write(value, out, indent, sort_keys, level + 1)
    out.append(outer)
    out.append(close)


def sha256_of(data: object) -> str:
    """Hex SHA-256 of the canonical JSON of `data`."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
