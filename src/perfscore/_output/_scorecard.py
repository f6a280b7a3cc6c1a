"""The scorecard: what `Rubric.evaluate` returns, and its canonical JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import json.encoder
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType, UnionType
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Protocol,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_serializer, model_validator

from perfscore._errors import bad_argument
from perfscore._load._model import Basis
from perfscore._messages import Message
from perfscore._numbers import exact, format_decimal
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
    "ProjectSheet",
    "ReviewFinding",
    "RubricRef",
    "RuleBasis",
    "ScoreRange",
    "Scorecard",
    "SheetFunds",
    "SheetRow",
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
    "claimed-grade-unknown",
    "claimed-grade-not-computed",
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
    #: the rubric's own words on how the indicator is scored (its `description`), the 评分标准
    criterion: str | None = None

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
    #: the official table the rubric's scorecards are laid out in: ``department`` or ``project``
    layout: str = "department"


class Parts(Protocol):
    """What a scorecard built on demand holds until its parts are read: it makes each (see
    `Scorecard.deferred`)."""

    def part(self, name: str) -> Any:
        """The value of the scorecard's field `name` (one of `DEFERRED`)."""


#: The fields of a scorecard that `Scorecard.deferred` leaves to be made when first read: the
#: ones that cost time to make (the facts hash, the words of traces and checks, the parts).
DEFERRED = frozenset(
    {
        "facts_sha256",
        "total_trace",
        "groups",
        "indicators",
        "warnings",
        "discrepancies",
        "review",
        "labels",
    }
)


@dataclass(frozen=True)
class SheetFunds:
    """A funds row of the project sheet: 年初预算数, 全年预算数, 全年执行数 (万元) as given."""

    __pydantic_config__ = _STRICT

    #: ``total`` (年度资金总额), ``fiscal``, ``carryover`` or ``other`` (its 其中 rows)
    row: Literal["total", "fiscal", "carryover", "other"]
    initial: Decimal | None
    full: Decimal | None
    spent: Decimal | None


@dataclass(frozen=True)
class SheetRow:
    """What a records indicator's row of the project sheet prints besides its scores."""

    __pydantic_config__ = _STRICT

    level2: str | None = None
    #: the 指标性质 as the record gives it (``>=``, ``<=``, ``=``, ``qualitative``...)
    operator: str | None = None
    target: Decimal | None = None
    target_text: str | None = None
    unit: str | None = None
    actual: Decimal | None = None
    actual_text: str | None = None


@dataclass(frozen=True)
class ProjectSheet:
    """The facts the project layout prints besides the scores, as the rubric's `sheet` names
    them; only a rubric that declares `sheet` gives a scorecard one."""

    __pydantic_config__ = _STRICT

    project: str | None = None
    supervisor: str | None = None
    funds: tuple[SheetFunds, ...] = ()
    #: the indicator whose 分值 and 得分 the 年度资金总额 row prints
    execution: str | None = None
    goal_planned: str | None = None
    goal_actual: str | None = None
    #: by indicator id, the records rows
    rows: dict[str, SheetRow] = field(default_factory=dict)


class Scorecard(_Model):
    """Every indicator's score with its trace, group subtotals, totals, grade and review."""

    # The parts not made yet of a scorecard from `deferred` (None once all are made, unset on
    # one read from JSON or built by pydantic). Not a field: equality, pickling and dumps see
    # the fields only, and each of them first makes what is missing (`_complete`).
    __slots__ = ("_parts",)

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
    #: the rubric's label of each value the traces read, by name (the 实际值/依据 in words)
    labels: dict[str, str] = Field(default_factory=dict)
    #: what the project layout prints besides the scores (absent unless the rubric declares
    #: `sheet`)
    sheet: ProjectSheet | None = None

    #: with unknown values: the reachable totals and the grades they give (absent otherwise)
    total_range: ScoreRange | None = None
    grades_possible: tuple[str, ...] | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_earlier_formats(cls, data: Any) -> Any:
        # a format-1 scorecard reads as the format-2 scorecard the same run gives today
        if isinstance(data, dict) and data.get("format") == 1:
            return upgrade_format_1(data)
        if isinstance(data, dict) and "format" in data and data["format"] != SCORECARD_FORMAT:
            # a later perfscore's scorecard is not read as if it were this one's
            raise ValueError(
                f"scorecard format {data['format']} is not one this perfscore reads "
                f"(1 and {SCORECARD_FORMAT})"
            )
        return data

    @model_validator(mode="after")
    def _scores_within_bounds(self) -> Scorecard:
        # run when a scorecard is read (JSON or data validated; a run's own are made within
        # bounds, without validation): a score outside its indicator's [min, max] is no result
        for item in self.indicators:
            ends = (item.range.min, item.range.max) if item.range else ()
            for value in (item.score, *ends):
                if value is not None and not item.min <= value <= item.max:
                    raise ValueError(
                        f"indicator {item.id!r}: score {value} is outside its bounds "
                        f"[{item.min}, {item.max}]"
                    )
        return self

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

    @classmethod
    def deferred(cls, fields: dict[str, Any], parts: Parts) -> Scorecard:
        """A scorecard of `fields` (every field but those of `DEFERRED`, validated already)
        whose other fields `parts` makes when each is first read.

        Reading a field, comparing, pickling, copying, dumping or writing the scorecard gives
        exactly what the scorecard of all the fields made up front gives.
        """
        card = cls.__new__(cls)
        _set(card, "__dict__", fields)
        # `sheet` is set only for a rubric that declares one, as `assemble` leaves it
        given = _FIELDS_SET if fields.get("sheet") is not None else _FIELDS_SET_NO_SHEET
        _set(card, "__pydantic_fields_set__", set(given))
        _set(card, "__pydantic_extra__", None)
        _set(card, "__pydantic_private__", None)
        _set(card, "_parts", parts)
        return card

    if not TYPE_CHECKING:  # mypy keeps checking attribute names against the fields

        def __getattr__(self, name: str) -> Any:
            if name in DEFERRED:
                parts = _parts_of(self)
                if parts is not None:
                    return self.__dict__.setdefault(name, parts.part(name))
            return super().__getattr__(name)

    def _complete(self) -> None:
        """Make every field still to be made, the fields in declaration order."""
        parts = _parts_of(self)
        if parts is None:
            return
        made = self.__dict__
        _set(
            self,
            "__dict__",
            {n: made[n] if n in made else parts.part(n) for n in type(self).model_fields},
        )
        _set(self, "_parts", None)

    def __eq__(self, other: object) -> bool:
        self._complete()
        if isinstance(other, Scorecard):
            other._complete()
        return super().__eq__(other)

    def __hash__(self) -> int:
        self._complete()
        return hash(tuple(self.__dict__[name] for name in type(self).model_fields))

    def __getstate__(self) -> dict[Any, Any]:
        self._complete()
        return super().__getstate__()

    def __copy__(self) -> Scorecard:
        self._complete()
        return super().__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Scorecard:
        self._complete()
        return super().__deepcopy__(memo)

    def __iter__(self) -> Any:
        self._complete()
        return super().__iter__()

    def __repr_args__(self) -> Any:
        self._complete()
        return super().__repr_args__()

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Scorecard:
        """A copy of the scorecard (pydantic's `model_copy`)."""
        self._complete()
        return super().model_copy(update=update, deep=deep)

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """The scorecard as Python data (pydantic's `model_dump`)."""
        self._complete()
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        """The scorecard as pydantic's JSON (`to_json` writes the canonical JSON)."""
        self._complete()
        return super().model_dump_json(**kwargs)

    def indicator(self, indicator_id: str) -> IndicatorScore:
        """The result of one indicator by id; `KeyError` (as a mapping raises it) when the
        scorecard has no such indicator (`indicators` lists those it has), `UsageError` when
        `indicator_id` is not text."""
        if not isinstance(indicator_id, str):
            raise _bad_argument(
                "indicator", "indicator_id", Message("usage-expected-indicator-id"), indicator_id
            )
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)

    @exact
    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON: exact numbers without exponent or ``-0``, keys in model order.

        `indent`: None (one line) or 0 to 16 spaces; anything else is a `UsageError`."""
        if indent is not None and (type(indent) is not int or not 0 <= indent <= 16):
            raise _bad_argument("to_json", "indent", Message("usage-expected-indent"), indent)
        parts = _parts_of(self)
        if parts is not None:
            # a scorecard made on demand may write its JSON without making its parts first
            write = getattr(parts, "json", None)
            text = None if write is None else write(self, indent)
            if text is not None:
                return str(text)
        if (
            self.total_range is not None
            or self.sheet is not None
            or any(i.range for i in self.indicators)
        ):
            data = self.model_dump(mode="python")
            _drop_exact(data)
            return dump_json(data, indent=indent)
        # an exact scorecard's JSON is as it was before ranges existed, written from the objects
        # themselves (the writer leaves the range keys out: see _RANGE_KEYS)
        return dump_json(self, indent=indent)

    @exact
    def explain(self) -> str:
        """The scorecard as readable text, in the rubric's language."""
        from perfscore._output._render import render_text

        return render_text(self)

    @exact
    def to_markdown(self) -> str:
        """The scorecard as a Markdown report."""
        from perfscore._output._render import render_markdown

        return render_markdown(self)

    @exact
    def to_html(self) -> str:
        """The scorecard as one self-contained HTML page (docs/reports.zh.md)."""
        from perfscore._output._html import render_html

        return render_html(self)

    @exact
    def to_xlsx(self, *, layout: str | None = None) -> bytes:
        """The scorecard as an Excel workbook in its rubric's official layout (`xlsx` extra), or
        in `layout` (``department`` or ``project``)."""
        from perfscore._output._xlsx import render_xlsx

        return render_xlsx(self, _layout_argument("to_xlsx", layout))

    @exact
    def to_docx(self, *, layout: str | None = None) -> bytes:
        """The scorecard as a Word document in its rubric's official layout (`docx` extra), or
        in `layout` (``department`` or ``project``)."""
        from perfscore._output._docx import render_docx

        return render_docx(self, _layout_argument("to_docx", layout))

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
        if not isinstance(level, str) or level not in FAIL_ON:
            from perfscore._errors import Problem, UsageError, describe
            from perfscore._messages import Message

            choices = ", ".join(repr(choice) for choice in FAIL_ON)
            expected = Message("usage-expected-one-of", choices=choices)
            message = Message(
                "usage-bad-argument",
                call="fails_on",
                parameter="level",
                expected=expected,
                got=describe(level),
            )
            raise UsageError(Problem("bad-argument", message))
        serious = {"error"} if level == "error" else {"error", "warning"}
        if any(w.severity in serious for w in self.warnings):
            return True
        return level == "discrepancy" and bool(
            self.discrepancies or (self.review and self.review.findings)
        )


_set = object.__setattr__
#: the fields `model_construct` records as set when every field but `format` is given
_FIELDS_SET = frozenset(Scorecard.model_fields) - {"format"}
_FIELDS_SET_NO_SHEET = _FIELDS_SET - {"sheet"}
_PARTS_SLOT = Scorecard.__dict__["_parts"]


def _parts_of(card: Scorecard) -> Parts | None:
    try:
        parts: Parts | None = _PARTS_SLOT.__get__(card)
    except AttributeError:  # read from JSON, validated or unpickled: every field is there
        return None
    return parts


def _drop_exact(data: dict[str, Any]) -> None:
    """The range keys of the parts that are exact: only what is a range carries one."""
    for part in ("indicators", "groups"):
        for item in data[part]:
            if item["range"] is None:
                del item["range"]
    for key in ("total_range", "grades_possible", "sheet"):
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
    _fast(data, out, indent, sort_keys, 0)
    return "".join(out)


def canonical_json(data: object) -> str:
    """Key-order-independent compact JSON used for content hashes.

    Keys sorted, no spaces, numbers as their exact decimal text, dates as ISO text: the same
    content always gives the same text, however the document was written.
    """
    return _canonical(data)


def _canonical(obj: Any) -> str:
    """`dump_json(obj, indent=None, sort_keys=True)`: the types of facts and rubric documents
    written directly, scalars inline, anything else by the general writer."""
    out: list[str] = []
    _compact(obj, out)
    return "".join(out)


#: the sorted keys of a map whose keys are all text, each with the text written before its
#: value, by the tuple of its keys in their own order (facts documents repeat a few shapes)
_ORDERS: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {}
_ORDERS_MAX = 4096


def _order(keys: tuple[Any, ...]) -> tuple[tuple[Any, str], ...]:
    """`keys` sorted as text, each with ``{"key":`` or ``,"key":`` before its value."""
    order = tuple(
        (k, ("{" if i == 0 else ",") + _quote(k if type(k) is str else str(k)) + ":")
        for i, k in enumerate(sorted(keys, key=str))
    )
    # kept only for keys that are all text: a tuple with 1 or True would equal another's
    if all(type(k) is str for k in keys):
        if len(_ORDERS) >= _ORDERS_MAX:
            _ORDERS.clear()
        _ORDERS[keys] = order
    return order


def _compact(obj: Any, out: list[str]) -> None:
    cls = type(obj)
    if cls is dict or cls is MappingProxyType:
        if not obj:
            out.append("{}")
            return
        append = out.append
        keys = tuple(obj)
        for key, head in _ORDERS.get(keys) or _order(keys):
            value = obj[key]
            cls = type(value)
            if cls is Decimal:
                append(head + (_NUMBERS.get(value) or _number(value)))
            elif cls is str:
                append(head + _quote(value))
            elif cls is bool:
                append(head + ("true" if value else "false"))
            elif value is None:
                append(head + "null")
            elif cls is dt.date:
                append(head + '"' + value.isoformat() + '"')
            else:
                append(head)
                _compact(value, out)
        append("}")
    elif cls is list or cls is tuple or cls is Records:
        if not obj:
            out.append("[]")
            return
        sep = "["
        for value in obj:
            out.append(sep)
            sep = ","
            _compact(value, out)
        out.append("]")
    elif cls is str:
        out.append(_quote(obj))
    elif cls is Decimal:
        out.append(_number(obj))
    elif cls is int:
        out.append(str(obj))
    else:
        _fast(obj, out, None, True, 0)


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
    return sha256_of_text(canonical_json(data))


def sha256_of_text(text: str) -> str:
    """Hex SHA-256 of `text` in UTF-8: of a canonical JSON text, `sha256_of`'s digest."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# The fast writer: the same text as `_write`, for the types a scorecard and validated facts are
# made of, dispatched on the exact type (one dict lookup) and without building (key, value)
# lists. A frozen dataclass of the scorecard, or the Scorecard model itself, is written as the
# mapping `model_dump()` gives for it: its fields in declaration order. Anything else is
# handed to `_write`.
_FIELDS: dict[type, tuple[str, ...]] = {}
_STR, _DEC, _BOOL, _NONE, _DICT, _SEQ, _DATE, _RECORD = range(8)
_KINDS: dict[type, int] = {
    str: _STR,
    Decimal: _DEC,
    bool: _BOOL,
    type(None): _NONE,
    dict: _DICT,
    tuple: _SEQ,
    list: _SEQ,
    Records: _SEQ,
    dt.date: _DATE,
    MappingProxyType: _DICT,
}
_PADS: dict[tuple[int, int], str] = {}


def _pad(indent: int, level: int) -> str:
    pad = _PADS.get((indent, level))
    if pad is None:
        pad = _PADS[(indent, level)] = "\n" + " " * (indent * level)
    return pad


_PARTS = (
    TraceStep,
    Trace,
    RuleBasis,
    IndicatorScore,
    GroupScore,
    Discrepancy,
    CheckWarning,
    ReviewFinding,
    ClaimsReview,
    RubricRef,
    SheetFunds,
    SheetRow,
    ProjectSheet,
)


def _own_serializer(cls: type) -> bool:
    """True when pydantic dumps `cls` through a serializer it declares (a default left out,
    say): its fields alone are not what `model_dump()` gives."""
    return any(hasattr(v, "decorator_info") for v in vars(cls).values())


#: Fields a part's own serializer leaves out when they hold their default (`CheckWarning`'s
#: severity ``warning``): such a part is written directly all the same.
_LEFT_OUT: dict[type, dict[str, object]] = {CheckWarning: {"severity": "warning"}}
#: The other parts that declare a serializer are dumped by pydantic first, then written.
_ADAPTED: dict[type, TypeAdapter[Any]] = {
    cls: TypeAdapter(cls) for cls in _PARTS if _own_serializer(cls) and cls not in _LEFT_OUT
}
#: Keys a part carries only when its score is a range (and the project sheet's `sheet`, only
#: when the rubric declares one): the writer leaves them out, and a scorecard with ranges or a
#: sheet is dumped by pydantic first (`Scorecard.to_json`).
_RANGE_KEYS = frozenset({"range", "total_range", "grades_possible", "sheet"})
_FIELDS.update(
    (cls, tuple(f for f in cls.__dataclass_fields__ if f not in _RANGE_KEYS))
    for cls in _PARTS
    if cls not in _ADAPTED
)
_decorators = Scorecard.__pydantic_decorators__
if _own_serializer(Scorecard) or _decorators.model_serializers or _decorators.field_serializers:
    _ADAPTED[Scorecard] = TypeAdapter(Scorecard)
else:
    _FIELDS[Scorecard] = tuple(f for f in Scorecard.model_fields if f not in _RANGE_KEYS)


#: Decimal -> its JSON text. Equal Decimals have the same text (no exponent, no trailing
#: zeros, no -0), so the cache is keyed by value; it is emptied when it grows past its bound.
_NUMBERS: dict[Decimal, str] = {}
_NUMBERS_MAX = 4096


def _number(value: Decimal) -> str:
    text = _NUMBERS.get(value)
    if text is None:
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        if len(_NUMBERS) >= _NUMBERS_MAX:
            _NUMBERS.clear()
        text = _NUMBERS[value] = format_decimal(value)
    return text


def _fast(obj: object, out: list[str], indent: int | None, sort_keys: bool, level: int) -> None:
    cls = type(obj)
    if cls is str:
        out.append(_quote(obj))  # type: ignore[arg-type]
    elif cls is Decimal:
        out.append(_number(obj))  # type: ignore[arg-type]
    elif obj is None:
        out.append("null")
    elif cls is bool:
        out.append("true" if obj else "false")
    else:
        kind = _KINDS.get(cls)
        if kind in {_DICT, _SEQ}:
            _fast_container(obj, kind == _DICT, out, indent, sort_keys, level)
        elif kind == _DATE:
            assert isinstance(obj, dt.date)
            out.append(f'"{obj.isoformat()}"')
        else:
            names = _FIELDS.get(cls)
            if names is None:
                adapter = _ADAPTED.get(cls)
                if adapter is not None:
                    _fast(adapter.dump_python(obj, mode="python"), out, indent, sort_keys, level)
                else:
                    _write(obj, out, indent, sort_keys, level)
            elif sort_keys:
                left_out = _LEFT_OUT.get(cls, {})
                values = {
                    name: value
                    for name in names
                    if (value := getattr(obj, name)) != left_out.get(name, _NOTHING)
                }
                _fast_container(values, True, out, indent, sort_keys, level)
            else:
                _fields(obj, names, out, indent, level)


# Each part of a scorecard is written by a function made for its class, indentation and depth
# (`_writer`): its fields read from the instance's dict in declaration order, each value's text
# appended with the text before it (separator, indentation, quoted name, colon), strings and
# numbers inline. A value of any other type, or of an unexpected one, goes to `_fast`.
_WRITERS: dict[tuple[type, int | None, int], Callable[[Any, list[str]], None]] = {}
_NOTHING = object()

#: Text -> its JSON string. A scorecard repeats its rubric's words (names, criteria, the
#: basis of every rule: most of its text) on every run, and escaping them is the writer's
#: largest cost; the cache is emptied when what it holds passes `_QUOTED_CHARS` characters.
_QUOTED: dict[str, str] = {}
_QUOTED_CHARS = 4_000_000
_quoted_room = [_QUOTED_CHARS]  # characters left before the cache is emptied


def _quoted(text: str) -> str:
    quoted = _quote(text)
    if len(quoted) > _QUOTED_CHARS // 100:  # a long text of one document: not kept
        return quoted
    room = _quoted_room[0] - len(quoted)
    if room < 0:
        _QUOTED.clear()
        room = _QUOTED_CHARS - len(quoted)
    _quoted_room[0] = room
    _QUOTED[text] = quoted
    return quoted


def _fields(
    obj: Any, names: tuple[str, ...], out: list[str], indent: int | None, level: int
) -> None:
    """`obj`'s fields as the mapping of its dump."""
    cls = type(obj)
    if cls is Scorecard:
        obj._complete()
    start = len(out)
    try:
        _writer_of(cls, indent, level)(obj, out)
    except KeyError:  # a field missing from the instance (`model_construct` without it)
        del out[start:]
        _fast_fields(obj, names, out, indent, level)


def _writer_of(cls: type, indent: int | None, level: int) -> Callable[[Any, list[str]], None]:
    writer = _WRITERS.get((cls, indent, level))
    if writer is None:
        writer = _WRITERS[(cls, indent, level)] = _writer(cls, indent, level)
    return writer


def _shape(annotation: Any) -> tuple[str, type | None]:
    """How a field's values are written: ``part`` (a part of the scorecard, or None), ``parts``
    (a tuple of one kind of part), ``map`` (a dict) or ``any``; and the part's class."""
    options = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in {Union, UnionType} and len(options) == 1:
        annotation = options[0]
    if annotation in _FIELDS:
        return "part", annotation
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in _FIELDS:
        return "parts", args[0]
    if origin is dict:
        return "map", None
    return "any", None


def _writer(cls: type, indent: int | None, level: int) -> Callable[[Any, list[str]], None]:
    """The writer of instances of `cls` at depth `level` (see `_WRITERS`), as Python source:
    for each field, the text before it and its value's text appended at once for a string,
    number, None or boolean; a part, a tuple of parts and a dict written in place by the
    writers of their own types; anything else by `_fast`."""
    names = _FIELDS[cls]
    hints = get_type_hints(cls, globals())
    inner, outer, colon = _layout(indent, level)
    deeper, _, _ = _layout(indent, level + 1)
    scope: dict[str, Any] = {
        "Q": _quote,
        "QG": _QUOTED.get,
        "QN": _quoted,
        "NG": _NUMBERS.get,
        "NUM": _number,
        "FAST": _fast,
        "Decimal": Decimal,
        "tuple": tuple,
        "dict": dict,
        "INDENT": indent,
        "COLON": colon,
        "IN2": "," + deeper,
        "OUT2": inner,
    }
    lines = ["def write(obj, out):", "    d = obj.__dict__", "    append = out.append"]
    left_out = _LEFT_OUT.get(cls, {})
    for i, name in enumerate(names):
        head = f"H{i}"
        scope[head] = ("{" if i == 0 else ",") + inner + _quote(name) + colon
        lines += [f"    v = d[{name!r}]"]
        pad = "    "
        if name in left_out:
            scope[f"D{i}"] = left_out[name]
            lines += [f"    if v != D{i}:"]
            pad = "        "
        lines += [
            f"{pad}t = type(v)",
            f"{pad}if t is str:",
            f"{pad}    append({head} + (QG(v) or QN(v)))",
            f"{pad}elif t is Decimal:",
            f"{pad}    append({head} + (NG(v) or NUM(v)))",
            f"{pad}elif v is None:",
            f"{pad}    append({head} + 'null')",
            f"{pad}elif t is bool:",
            f"{pad}    append({head} + ('true' if v else 'false'))",
        ]
        shape, part = _shape(hints[name])
        if shape == "part":
            scope[f"C{i}"], scope[f"W{i}"] = part, _writer_of(part, indent, level + 1)  # type: ignore[arg-type]
            lines += [
                f"{pad}elif t is C{i}:",
                f"{pad}    append({head})",
                f"{pad}    W{i}(v, out)",
            ]
        elif shape == "parts":
            scope[f"C{i}"], scope[f"W{i}"] = part, _writer_of(part, indent, level + 2)  # type: ignore[arg-type]
            scope[f"E{i}"] = scope[head] + "[" + deeper
            lines += [
                f"{pad}elif t is tuple and v:",
                f"{pad}    sep = E{i}",
                f"{pad}    for x in v:",
                f"{pad}        append(sep)",
                f"{pad}        sep = IN2",
                f"{pad}        if type(x) is C{i}:",
                f"{pad}            W{i}(x, out)",
                f"{pad}        else:",
                f"{pad}            FAST(x, out, INDENT, False, {level + 2})",
                f"{pad}    append(OUT2 + ']')",
            ]
        elif shape == "map":
            scope[f"E{i}"] = scope[head] + "{" + deeper
            lines += [
                f"{pad}elif t is dict and v:",
                f"{pad}    sep = E{i}",
                f"{pad}    for k, x in v.items():",
                f"{pad}        k = sep + (QG(k) or QN(k) if type(k) is str else Q(str(k))) + COLON",
                f"{pad}        sep = IN2",
                f"{pad}        tx = type(x)",
                f"{pad}        if tx is str:",
                f"{pad}            append(k + (QG(x) or QN(x)))",
                f"{pad}        elif tx is Decimal:",
                f"{pad}            append(k + (NG(x) or NUM(x)))",
                f"{pad}        elif x is None:",
                f"{pad}            append(k + 'null')",
                f"{pad}        elif tx is bool:",
                f"{pad}            append(k + ('true' if x else 'false'))",
                f"{pad}        else:",
                f"{pad}            append(k)",
                f"{pad}            FAST(x, out, INDENT, False, {level + 2})",
                f"{pad}    append(OUT2 + '}}')",
            ]
        lines += [
            f"{pad}else:",
            f"{pad}    append({head})",
            f"{pad}    FAST(v, out, INDENT, False, {level + 1})",
        ]
    lines.append(f"    append({outer + '}'!r})")
    exec(compile("\n".join(lines), f"<writer of {cls.__name__}>", "exec"), scope)  # noqa: S102
    writer: Callable[[Any, list[str]], None] = scope["write"]
    return writer


def _layout(indent: int | None, level: int) -> tuple[str, str, str]:
    if indent is None:
        return "", "", ":"
    return _pad(indent, level + 1), _pad(indent, level), ": "


_HEADS: dict[tuple[type, int | None, int], tuple[tuple[str, str], ...]] = {}


def _fast_fields(
    obj: object, names: tuple[str, ...], out: list[str], indent: int | None, level: int
) -> None:
    """A dataclass (or the Scorecard) as its fields' mapping, scalars written inline; the text
    before each value (separator, indentation, quoted name, colon) is made once per class and
    depth."""
    heads = _HEADS.get((type(obj), indent, level))
    if heads is None:
        inner, outer, colon = _layout(indent, level)
        heads = _HEADS[(type(obj), indent, level)] = (
            *(
                (name, ("{" if i == 0 else ",") + inner + _quote(name) + colon)
                for i, name in enumerate(names)
            ),
            ("", outer + "}"),
        )
    append = out.append
    for name, head in heads:
        if not name:
            append(head)
            return
        value = getattr(obj, name)
        append(head)
        cls = type(value)
        if cls is str:
            append(_quote(value))
        elif cls is Decimal:
            append(_number(value))
        elif value is None:
            append("null")
        elif cls is bool:
            append("true" if value else "false")
        else:
            _fast(value, out, indent, False, level + 1)


def _fast_container(
    obj: Any, keyed: bool, out: list[str], indent: int | None, sort_keys: bool, level: int
) -> None:
    if not obj:
        out.append("{}" if keyed else "[]")
        return
    inner, outer, colon = _layout(indent, level)
    if keyed:
        sep = "{" + inner
        for key in sorted(obj, key=str) if sort_keys else obj:
            out.append(sep)
            out.append(_quote(key if type(key) is str else str(key)))
            out.append(colon)
            sep = "," + inner
            value = obj[key]
            cls = type(value)
            if cls is str:
                out.append(_quote(value))
            elif cls is Decimal:
                out.append(_number(value))
            else:
                _fast(value, out, indent, sort_keys, level + 1)
        out.append(outer + "}")
    else:
        sep = "[" + inner
        for value in obj:
            out.append(sep)
            sep = "," + inner
            cls = type(value)
            if cls is str:
                out.append(_quote(value))
            elif cls is Decimal:
                out.append(_number(value))
            else:
                _fast(value, out, indent, sort_keys, level + 1)
        out.append(outer + "]")


def _bad_argument(call: str, parameter: str, expected: str, value: object) -> Exception:
    return bad_argument(f"Scorecard.{call}", parameter, expected, value)


def _layout_argument(call: str, layout: object) -> str | None:
    """`layout` when it is an official table's name or None; else a `UsageError`."""
    if layout is None or (type(layout) is str and layout in ("department", "project")):
        return layout
    raise _bad_argument(call, "layout", Message("usage-expected-layout"), layout)
