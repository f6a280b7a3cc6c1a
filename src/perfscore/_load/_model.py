"""The rubric format as pydantic models, and the mapping of validation errors to file:line:col.

Models here only describe and validate structure; formulas stay text until `_plan` compiles them.
Every model forbids unknown keys. Numbers arrive from `_document` as `int` or `Decimal` (never
float) and are kept as `Decimal`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextvars import ContextVar
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from perfscore._errors import (
    CODES,
    ErrorCode,
    Problem,
    RubricError,
    describe,
    scorecard_ref,
    short_repr,
    suggest,
)
from perfscore._load._document import Document
from perfscore._messages import Message
from perfscore._numbers import ROUNDING_MODES, format_decimal

__all__ = [
    "FORMAT_VERSION",
    "METHODS",
    "NUMBER_TYPES",
    "RubricModel",
    "SheetSpec",
    "TreeNode",
    "iter_nodes",
    "parse_interval",
    "validate_model",
]

FORMAT_VERSION = 1

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z", re.ASCII)


def _said(code: str, key: str, /, **values: object) -> PydanticCustomError:
    """A validation error whose message is the catalogue's `key`; the problem keeps it."""
    return PydanticCustomError(code, "{message}", {"message": Message(key, **values)})


def _number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _said("invalid-type", "rubric-expected-number", got=describe(value))
    return Decimal(value)


def _identifier(value: object) -> str:
    if not isinstance(value, str):
        raise _said("invalid-type", "rubric-expected-id", got=describe(value))
    if value.startswith("_"):
        # '__class__' and its kin name Python's machinery; no fact, indicator or field may
        # look like it, so no formula, template or report ever handles such a name
        raise _said("invalid-id", "rubric-id-underscore", value=short_repr(value))
    if not _ID.match(value):
        raise _said("invalid-id", "rubric-id-not-ascii", value=short_repr(value))
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _said("invalid-type", "rubric-expected-text", got=describe(value))
    return value


def _formula_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise _said("invalid-type", "rubric-expected-formula", got=describe(value))
    return value if isinstance(value, str) else str(value)


Num = Annotated[Decimal, BeforeValidator(_number)]
Id = Annotated[str, BeforeValidator(_identifier)]
Text = Annotated[str, BeforeValidator(_text)]
#: A formula, or a plain number standing for itself.
Expr = Annotated[str, BeforeValidator(_formula_text)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Interval(_Model):
    """A range like ``[80, 90)``: inclusive ``[ ]``, exclusive ``( )``, ``inf`` for no bound."""

    low: Decimal | None
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool

    def contains(self, value: Decimal) -> bool:
        """True when `value` lies inside the interval."""
        if self.low is not None and (
            value < self.low or (value == self.low and not self.low_inclusive)
        ):
            return False
        return not (
            self.high is not None
            and (value > self.high or (value == self.high and not self.high_inclusive))
        )

    def __str__(self) -> str:
        low = "-inf" if self.low is None else format_decimal(self.low)
        high = "inf" if self.high is None else format_decimal(self.high)
        opening = "[" if self.low_inclusive else "("
        closing = "]" if self.high_inclusive else ")"
        return f"{opening}{low}, {high}{closing}"


_INTERVAL = re.compile(
    r"\s*([\[(])\s*(-?inf|-?[0-9]+(?:\.[0-9]+)?)\s*,\s*(\+?inf|-?[0-9]+(?:\.[0-9]+)?)\s*([\])])\s*\Z",
    re.ASCII,
)
#: an edge written as the name of a constant: ``[spend_target, inf)``
_NAMED_EDGE = re.compile(r"(?<![A-Za-z0-9_.])(-?)(?!inf\b)([A-Za-z_][A-Za-z0-9_]*)", re.ASCII)

#: The constants of the rubric being validated, so a range may name one (set by validate_model).
_CONSTANTS: ContextVar[dict[str, Decimal] | None] = ContextVar("perfscore_constants", default=None)


def _named_edges(value: str) -> str:
    """`value` with each constant's name replaced by its number; an unknown name is an error."""
    known = _CONSTANTS.get() or {}

    def number(match: re.Match[str]) -> str:
        sign, name = match.groups()
        if name not in known:
            hint = suggest(name, list(known))
            raise _said(
                "band-range",
                "rubric-range-unknown-constant-hint" if hint else "rubric-range-unknown-constant",
                value=short_repr(value),
                name=short_repr(name),
                **({"hint": hint} if hint else {}),
            )
        number = known[name] if not sign else -known[name]
        return format_decimal(number)

    return _NAMED_EDGE.sub(number, value)


def parse_interval(value: object) -> Interval:
    """Read ``[80, 90)`` style text into an Interval."""
    if isinstance(value, Interval):
        return value
    if not isinstance(value, str):
        raise _said("band-range", "rubric-range-expected", got=describe(value))
    match = _INTERVAL.match(value)
    if match is None and _NAMED_EDGE.search(value):
        match = _INTERVAL.match(_named_edges(value))
    if match is None:
        raise _said("band-range", "rubric-range-unreadable", value=short_repr(value))
    open_, low, high, close = match.groups()
    low_value = None if low == "-inf" else _edge(low, value)
    high_value = None if high in ("inf", "+inf") else _edge(high, value)
    if (low_value is None and open_ == "[") or (high_value is None and close == "]"):
        raise _said("band-range", "rubric-range-infinite-edge", value=short_repr(value))
    if (
        low_value is not None
        and high_value is not None
        and (
            low_value > high_value
            or (low_value == high_value and not (open_ == "[" and close == "]"))
        )
    ):
        raise _said("band-range", "rubric-range-empty", value=short_repr(value))
    return Interval(
        low=low_value,
        low_inclusive=open_ == "[",
        high=high_value,
        high_inclusive=close == "]",
    )


def _edge(text: str, whole: str) -> Decimal:
    if text.endswith("inf"):  # 'inf' as a lower edge or '-inf' as an upper edge
        raise _said("band-range", "rubric-range-empty", value=short_repr(whole))
    return Decimal(text)


Range = Annotated[Interval, BeforeValidator(parse_interval)]


class Basis(_Model):
    """Where a rule comes from."""

    kind: Literal["sourced", "recalled", "other-province", "inferred", "assumption"]
    text: Text


def _basis(value: object) -> object:
    if isinstance(value, str):
        return {"kind": "sourced", "text": value}
    return value


class Rounding(_Model):
    """Round to a multiple of `step` with `mode` (``floor``, ``half_up``, ...)."""

    step: Num = Field(gt=0)
    mode: Literal["half_up", "half_even", "half_down", "floor", "ceiling", "down", "up"]

    @field_validator("mode", mode="before")
    @classmethod
    def _known_mode(cls, value: object) -> object:
        if isinstance(value, str) and value not in ROUNDING_MODES:
            raise _said(
                "invalid-value",
                "rubric-rounding-mode",
                value=short_repr(value),
                modes=", ".join(ROUNDING_MODES),
            )
        return value


FactType = Literal["number", "integer", "percent", "boolean", "date", "enum", "text", "list"]
#: The fact (and field) types that hold numbers and may declare min and max.
NUMBER_TYPES: tuple[str, ...] = ("number", "integer", "percent")


def _bounds(
    kind: str, low: Decimal | None, high: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """Declared bounds, a percent's missing ones read as 0 and 100 (None: unbounded)."""
    if kind == "percent":
        return (Decimal(0) if low is None else low, Decimal(100) if high is None else high)
    return low, high


class _Declared(_Model):
    """What a fact and a field of a list fact's records share: the bounds a value keeps and
    whether it may be left out (the fields each declares are its own)."""

    if TYPE_CHECKING:  # declared by each subclass, with its own choice of types
        type: str
        min: Decimal | None
        max: Decimal | None
        required: bool

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """The (min, max) a value must keep: as declared, a percent's defaulting to [0, 100]."""
        return _bounds(self.type, self.min, self.max)

    @property
    def has_default(self) -> bool:
        """True when the rubric gives a default (which may be null) for an omitted value."""
        return "default" in self.model_fields_set

    @property
    def must_be_given(self) -> bool:
        """True when a document must give a value: required, and without a default."""
        return self.required and not self.has_default


class FieldSpec(_Declared):
    """A field of a list fact's records."""

    type: Literal["number", "integer", "percent", "boolean", "date", "enum", "text"]
    label: Text
    unit: Text | None = None
    min: Num | None = None
    max: Num | None = None
    values: tuple[Text, ...] | None = None
    ordered: Literal["ascending", "descending"] | None = None
    required: StrictBool = True
    default: Any = None
    description: Text | None = None
    plausible: Range | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FieldSpec:
        _check_scalar_spec(self.type, self.values, self.min, self.max)
        _check_plausible(self.type, self.plausible, self.bounds)
        if self.ordered is not None and self.type != "enum":
            raise _said("invalid-value", "rubric-ordered-enum-only")
        if self.has_default and not self.required:
            raise _said("invalid-value", "rubric-field-default-optional")
        return self


def _check_scalar_spec(
    kind: str, values: tuple[str, ...] | None, low: Decimal | None, high: Decimal | None
) -> None:
    """Checks shared by facts and list fields: enum values, bounds only on numbers."""
    if kind == "enum" and not values:
        raise _said("missing-key", "rubric-enum-needs-values")
    if kind == "enum" and values is not None and len(set(values)) != len(values):
        raise _said("duplicate-id", "rubric-enum-duplicate")
    if kind != "enum" and values is not None:
        raise _said("invalid-value", "rubric-values-enum-only")
    if (low is not None or high is not None) and kind not in NUMBER_TYPES:
        raise _said("invalid-value", "rubric-min-max-numbers-only")
    if low is not None and high is not None and low > high:
        raise _said("invalid-value", "rubric-min-above-max")


def _check_plausible(
    kind: str, plausible: Interval | None, bounds: tuple[Decimal | None, Decimal | None]
) -> None:
    """A plausible range is a narrower expectation inside the bounds: a value outside it is
    scored as given and only warned about, so it makes sense on numbers alone."""
    if plausible is None:
        return
    if kind not in NUMBER_TYPES:
        raise _said("invalid-value", "rubric-plausible-numbers-only")
    low, high = bounds
    if (low is not None and (plausible.low is None or plausible.low < low)) or (
        high is not None and (plausible.high is None or plausible.high > high)
    ):
        allowed = Interval(
            low=low, low_inclusive=low is not None, high=high, high_inclusive=high is not None
        )
        raise _said(
            "invalid-value",
            "rubric-plausible-outside",
            plausible=str(plausible),
            bounds=str(allowed),
        )


class FactSpec(_Declared):
    """A fact the rubric reads: its type, bounds, label and whether it may be omitted."""

    type: FactType
    label: Text
    unit: Text | None = None
    min: Num | None = None
    max: Num | None = None
    values: tuple[Text, ...] | None = None
    #: an enum whose values have an order: ``descending`` lists them best first (高, 较高, 一般)
    ordered: Literal["ascending", "descending"] | None = None
    fields: dict[Id, FieldSpec] | None = None
    max_items: StrictInt | None = Field(default=None, ge=0, le=100_000)
    required: StrictBool = True
    default: Any = None
    description: Text | None = None
    plausible: Range | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FactSpec:
        _check_scalar_spec(self.type, self.values, self.min, self.max)
        _check_plausible(self.type, self.plausible, self.bounds)
        if self.ordered is not None and self.type != "enum":
            raise _said("invalid-value", "rubric-ordered-enum-only")
        if self.type == "list" and not self.fields:
            raise _said("missing-key", "rubric-list-needs-fields")
        if self.type != "list" and (self.fields is not None or self.max_items is not None):
            raise _said("invalid-value", "rubric-fields-lists-only")
        if self.has_default and not self.required:
            raise _said("invalid-value", "rubric-fact-default-optional")
        return self


class ConstantSpec(_Model):
    """A named number, written once and read by formulas, ranges and templates."""

    value: Num
    label: Text | None = None
    unit: Text | None = None
    description: Text | None = None


def _constant(value: object) -> object:
    """A plain number stands for ``{value: number}``."""
    return value if isinstance(value, dict) else {"value": value}


Constant = Annotated[ConstantSpec, BeforeValidator(_constant)]


class DerivedSpec(_Model):
    """A named value computed from facts and other derived values."""

    formula: Expr
    label: Text
    unit: Text | None = None
    description: Text | None = None


class Band(_Model):
    """One row of a band table: when the measure is in `range`, the score is `score`."""

    range: Range
    score: Expr
    label: Text | None = None


class BandsMethod(_Model):
    """Bands: the first row whose range holds the measure gives the score."""

    measure: Expr
    table: tuple[Band, ...] = Field(min_length=1)
    otherwise: Expr | None = None


class PerUnitMethod(_Model):
    """Deduct `points` from max per `unit` of `measure` (e.g. per percentage point short)."""

    measure: Expr
    unit: Num = Field(default=Decimal(1), gt=0)
    points: Num = Field(gt=0)
    partial: Literal["exact", "whole", "started"] = "exact"
    floor: Num = Field(default=Decimal(0), ge=0)
    reason: Text | None = None


class RatioMethod(_Model):
    """Proportional: max × actual / target, capped at max unless `cap` is false."""

    actual: Expr
    target: Expr
    when_target_zero: Expr | None = None


class ChecklistItem(_Model):
    """A deduction that applies when `when` holds."""

    id: Id
    when: Expr
    points: Expr
    reason: Text


class ChecklistMethod(_Model):
    """Start at max and deduct each item that applies, no lower than `floor` (扣完为止)."""

    items: tuple[ChecklistItem, ...] = Field(min_length=1)
    floor: Num = Field(default=Decimal(0), ge=0)


class Tier(_Model):
    """A qualitative tier: an assessed score must fall in `range` (percent of max)."""

    level: Text
    label: Text | None = None
    range: Range
    default: Num | None = None


class TiersMethod(_Model):
    """Qualitative tiers: an assessor gives a level (an enum fact) and optionally a score."""

    level: Id
    score: Id | None = None
    table: tuple[Tier, ...] = Field(min_length=1)


class _IndicatorBase(_Model):
    id: Id
    name: Text
    basis: Annotated[Basis | None, BeforeValidator(_basis)] = None
    description: Text | None = None
    rounding: Rounding | Literal["none"] | None = None


class _Scored(_Model):
    """Exactly one scoring method: shared by indicators and the rules of records groups."""

    formula: Expr | None = None
    bands: BandsMethod | None = None
    per_unit: PerUnitMethod | None = None
    ratio: RatioMethod | None = None
    checklist: ChecklistMethod | None = None
    tiers: TiersMethod | None = None
    #: a template saying, in the report's words, what the score rests on (shown in the trace)
    explain: Text | None = None

    @model_validator(mode="after")
    def _one_method(self) -> _Scored:
        given = [m for m in METHODS if getattr(self, m) is not None]
        if len(given) != 1:
            raise _said(
                "missing-key" if not given else "invalid-value",
                "rubric-one-method",
                what=Message("rubric-what-indicator")
                if isinstance(self, Indicator)
                else Message("rubric-what-rule"),
                methods=", ".join(METHODS),
                found=", ".join(repr(m) for m in given) or Message("rubric-none"),
            )
        return self

    @property
    def method(self) -> str:
        """The name of the scoring method used."""
        return next(m for m in METHODS if getattr(self, m) is not None)


class Indicator(_IndicatorBase, _Scored):
    """A scored leaf with exactly one scoring method."""

    max: Num = Field(gt=0)
    not_applicable: Literal["forbidden", "full", "redistribute"] = "forbidden"
    monotonic: dict[Id, Literal["increasing", "decreasing"]] | None = None
    #: the rule template this indicator's method comes from, and the template's arguments
    use: Id | None = None
    args: dict[Id, Any] | None = None


class RuleTemplate(_Model):
    """A scoring rule written once with parameters, used by indicators (``use:``/``args:``)."""

    params: tuple[Id, ...] = ()
    #: a method block (one of formula, bands, per_unit, ratio, checklist, tiers), with an
    #: optional explain, basis and rounding; the parameters' names stand for the arguments
    rule: dict[str, Any]
    description: Text | None = None


METHODS = ("formula", "bands", "per_unit", "ratio", "checklist", "tiers")


class Group(_Model):
    """A group of indicators or groups; its max must equal the sum of its children's max."""

    id: Id
    name: Text
    max: Num = Field(gt=0)
    description: Text | None = None
    children: (
        tuple[
            Annotated[
                Annotated[Group, Tag("group")] | Annotated[Indicator, Tag("indicator")],
                Discriminator(
                    lambda v: (
                        "group"
                        if (isinstance(v, dict) and ("children" in v or "records" in v))
                        or isinstance(v, Group)
                        else "indicator"
                    )
                ),
            ],
            ...,
        ]
        | None
    ) = Field(default=None, min_length=1)
    records: RecordsSpec | None = None

    @model_validator(mode="after")
    def _children_or_records(self) -> Group:
        if (self.children is None) == (self.records is None):
            raise _said(
                "missing-key" if self.children is None else "invalid-value",
                "rubric-group-children-or-records",
            )
        return self


class RecordRule(_Scored):
    """How the indicators of one kind (one value of `select`) in a records group are scored."""

    basis: Annotated[Basis | None, BeforeValidator(_basis)] = None
    rounding: Rounding | Literal["none"] | None = None


class GiveTo(_Model):
    """An empty records group gives its points to another group."""

    give_to: Id


class RecordsSpec(_Model):
    """A group whose indicators are the records of a list fact (项目支出绩效自评表)."""

    list: Id
    id: Id | None = None
    name: Id
    max: Id
    claimed: Id | None = None
    select: Id | None = None
    rules: dict[Text, RecordRule] = Field(min_length=1)
    sum: Literal["error", "rescale", "warn"] = "error"
    when_empty: Literal["error", "zero"] | GiveTo = "error"
    checks: tuple[Check, ...] = ()


class Bonus(_IndicatorBase):
    """A bonus or penalty outside the base total, clamped to [min, max]."""

    min: Num = Field(le=0)
    max: Num = Field(ge=0)
    formula: Expr
    explain: Text | None = None


class TotalPolicy(_Model):
    """How the total is formed from base total and bonus: `cap` null lets it exceed the base."""

    cap: Num | None
    floor: Num = Decimal(0)
    scale_to: Num | None = Field(default=None, gt=0)


class GradeBand(_Model):
    """A grade for totals at or above `min` (the last band may omit `min`)."""

    grade: Text
    min: Num | None = None


class Check(_Model):
    """A consistency check: when `when` holds, a warning with `message` is raised."""

    id: Id
    when: Expr
    message: Text
    #: info (a notice that fails nothing), warning (the default), error
    severity: Literal["info", "warning", "error"] = "warning"
    #: a list fact: the check runs once per record, reading its fields and `row`
    for_each: Id | None = None
    #: ``totals``: the check also reads ``total``, ``base_total``, ``bonus_total`` and
    #: ``max_total``, the scorecard's totals (checks run after them)
    reads: Literal["totals"] | None = None
    description: Text | None = None


class SheetFunds(_Model):
    """A funds row of the project sheet: the facts of its 年初预算数, 全年预算数, 全年执行数."""

    initial: Id | None = None
    full: Id | None = None
    spent: Id | None = None


class SheetRows(_Model):
    """The record fields each records indicator's row of the project sheet prints."""

    level2: Id | None = None
    operator: Id | None = None
    target: Id | None = None
    target_text: Id | None = None
    unit: Id | None = None
    actual: Id | None = None
    actual_text: Id | None = None


class SheetSpec(_Model):
    """What the project layout prints besides the scores, as the facts name it: the identity
    lines, the funds band, the 年度总体目标 band and each records row's heading and target."""

    project: Id | None = None
    supervisor: Id | None = None
    #: the funds rows in the sheet's order: total (年度资金总额), fiscal (其中：当年财政拨款),
    #: carryover (上年结转资金), other (其他资金)
    funds: dict[Literal["total", "fiscal", "carryover", "other"], SheetFunds] = Field(
        default_factory=dict
    )
    #: the indicator whose 分值 and 得分 the 年度资金总额 row prints
    execution: Id | None = None
    goal_planned: Id | None = None
    goal_actual: Id | None = None
    rows: SheetRows | None = None


class RubricModel(_Model):
    """A whole rubric file."""

    perfscore: int
    id: Annotated[str, BeforeValidator(_text)]
    version: Annotated[str, BeforeValidator(_text)]
    title: Text
    source: Text | None = None
    description: Text | None = None
    language: Literal["zh", "en"] = "zh"
    #: the official table a spreadsheet or Word scorecard is laid out in (docs/rubric-format.md)
    layout: Literal["department", "project"] = "department"
    #: the facts the project layout prints besides the scores (docs/rubric-format.md)
    sheet: SheetSpec | None = None
    rounding: Rounding | None = None
    constants: dict[Id, Constant] = Field(default_factory=dict)
    templates: dict[Id, RuleTemplate] = Field(default_factory=dict)
    facts: dict[Id, FactSpec]
    derived: dict[Id, DerivedSpec] = Field(default_factory=dict)
    groups: tuple[Group, ...] = Field(min_length=1)
    bonus: tuple[Bonus, ...] = ()
    total: TotalPolicy | None = None
    grades: tuple[GradeBand, ...] = Field(min_length=1)
    checks: tuple[Check, ...] = ()

    @field_validator("perfscore", mode="before")
    @classmethod
    def _format(cls, value: object) -> object:
        if value != FORMAT_VERSION or isinstance(value, bool):
            raise _said(
                "unsupported-format",
                "rubric-format-version",
                got=short_repr(value),
                want=FORMAT_VERSION,
            )
        return value

    @field_validator("id", mode="after")
    @classmethod
    def _rubric_id(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", value):
            raise _said("invalid-id", "rubric-id", value=short_repr(value))
        return value

    @field_validator("version", mode="after")
    @classmethod
    def _version(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
            raise _said("invalid-value", "rubric-version", value=short_repr(value))
        return value


Group.model_rebuild()


class TreeNode(NamedTuple):
    """A group or indicator of the tree, where it stands in the document, and its group."""

    node: Group | Indicator
    #: the keys and indexes of the node in the rubric data, e.g. ``("groups", 0, "children", 1)``
    path: tuple[str | int, ...]
    parent: Group | None


def iter_nodes(model: RubricModel) -> Iterator[TreeNode]:
    """Every group and indicator, depth first in document order, each group before its children.

    A records group is yielded like any group; its indicators come from the facts, not from here.
    Bonus indicators stand outside the tree and are not yielded.
    """
    stack = [TreeNode(g, ("groups", i), None) for i, g in enumerate(model.groups)]
    stack.reverse()
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item.node, Group) and item.node.children:
            group = item.node
            children = [
                TreeNode(child, (*item.path, "children", j), group)
                for j, child in enumerate(group.children or ())
            ]
            stack.extend(reversed(children))


#: Every key the format defines, for did-you-mean on unknown keys.
KNOWN_KEYS: frozenset[str] = frozenset(
    name
    for model in (
        RubricModel,
        FactSpec,
        FieldSpec,
        ConstantSpec,
        RuleTemplate,
        DerivedSpec,
        Group,
        Indicator,
        Bonus,
        BandsMethod,
        Band,
        PerUnitMethod,
        RatioMethod,
        ChecklistMethod,
        ChecklistItem,
        TiersMethod,
        Tier,
        Rounding,
        TotalPolicy,
        GradeBand,
        Check,
        Basis,
        RecordsSpec,
        RecordRule,
        GiveTo,
    )
    for name in model.model_fields
)

_PYDANTIC_CODES: dict[str, ErrorCode] = {
    "extra_forbidden": "unknown-key",
    "missing": "missing-key",
    "literal_error": "invalid-value",
    "greater_than": "invalid-value",
    "greater_than_equal": "invalid-value",
    "less_than": "invalid-value",
    "less_than_equal": "invalid-value",
    "too_short": "invalid-value",
    "too_long": "invalid-value",
    "union_tag_invalid": "invalid-type",
    "bool_type": "invalid-type",
    "int_type": "invalid-type",
    "string_type": "invalid-type",
    "dict_type": "invalid-type",
    "tuple_type": "invalid-type",
    "list_type": "invalid-type",
    "model_type": "invalid-type",
}


def validate_model(document: Document) -> RubricModel:
    """Validate a rubric document's data; raise RubricError listing every problem."""
    if not isinstance(document.data, dict):
        raise RubricError(
            Problem(
                "invalid-type",
                # a file that is not a rubric at all is not quoted: it may be anyone's file
                Message(
                    "rubric-not-mapping",
                    got=Message("value-text-unquoted")
                    if isinstance(document.data, str)
                    else describe(document.data),
                ),
                document.locate(()),
            )
        )
    card = scorecard_ref(document.data)
    if card is not None:  # perfscore's own output given back: one problem, not forty
        raise RubricError(
            Problem(
                "invalid-type",
                Message("rubric-is-scorecard", ref=card),
                document.locate(()),
                hint=Message("hint-scorecard"),
            )
        )
    if "cases" in document.data and "groups" not in document.data:
        # a *.cases.yaml passed where a rubric is expected: one clear problem, not ten keys
        raise RubricError(
            Problem(
                "invalid-type",
                Message("rubric-is-case-file"),
                document.locate(("cases",)),
                hint=Message("rubric-hint-case-file", name=document.name),
            )
        )
    if "facts" in document.data and not {"groups", "perfscore"} & document.data.keys():
        # a facts document passed where a rubric is expected: one clear problem, not seventy
        ref = document.data.get("rubric")
        hint = (
            Message("rubric-hint-facts-document-ref", name=document.name, ref=ref)
            if isinstance(ref, str) and ref
            else Message("rubric-hint-facts-document", name=document.name)
        )
        raise RubricError(
            Problem(
                "invalid-type",
                Message("rubric-is-facts-document"),
                document.locate(("facts",), key=True),
                hint=hint,
            )
        )
    data = document.data
    if isinstance(data.get("templates"), dict):
        data = _expand_templates(document)
    token = _CONSTANTS.set(_declared_constants(data.get("constants")))
    try:
        return RubricModel.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_input=False)
        # pydantic also reports a collection as too short when its items failed; that is noise
        errors = [
            e
            for e in errors
            if e["type"] != "too_short"
            or not any(
                len(o["loc"]) > len(e["loc"]) and o["loc"][: len(e["loc"])] == e["loc"]
                for o in errors
            )
        ]
        # a value that may be a block or a word (``rounding: {...}`` or ``none``) and is a
        # block with a mistake in it: the word's own "must be 'none'" is noise beside the
        # block's problem
        errors = [e for e in errors if not _beside_a_block(e, errors)]
        problems = [_problem(document, err) for err in errors]
        raise RubricError(
            _dedupe(problems),
            summary=Message("rubric-problems", name=document.name, count=len(problems)),
        ) from None
    finally:
        _CONSTANTS.reset(token)


def _beside_a_block(error: Any, errors: list[Any]) -> bool:
    """Whether `error` is the noise of a union of a block and a word (``rounding: {...}`` or
    ``none``): the word's "must be 'none'" beside the problems inside a block that was given,
    or the block's "must be a mapping" beside the word's when a wrong word was given."""
    loc = error["loc"]
    if not loc:
        return False
    place, member = loc[:-1], str(loc[-1])
    others = [o for o in errors if o is not error and o["loc"][: len(place)] == place]
    if error["type"] == "literal_error" and member.startswith("literal["):
        return any(len(o["loc"]) > len(loc) for o in others)  # inside the block
    if error["type"] == "model_type":
        return any(
            o["type"] == "literal_error" and len(o["loc"]) == len(loc)
            and str(o["loc"][-1]).startswith("literal[")
            for o in others
        )  # fmt: skip
    return False


#: keys of a method block whose text is a formula or names a fact: parameters are replaced there
_FORMULA_KEYS = frozenset(
    {"formula", "when", "measure", "score", "points", "actual", "target", "floor", "unit"}
    | {"when_target_zero", "level", "range", "otherwise"}
)
#: keys whose text is a template: ``{param}`` placeholders are replaced there
_TEMPLATE_KEYS = frozenset({"reason", "explain", "message", "label"})
_TOKEN = re.compile(r"'[^']*'|\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_]*")


def _expand_templates(document: Document) -> dict[str, Any]:
    """The rubric data with each ``use:`` of a rule template replaced by the template's rule,
    its parameters replaced by the indicator's ``args`` (a copy: the document is unchanged)."""
    import copy

    data = copy.deepcopy(document.data)
    assert isinstance(data, dict)
    templates = data["templates"]
    problems: list[Problem] = []

    def visit(node: object, path: tuple[str | int, ...]) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                visit(item, (*path, i))
        elif isinstance(node, dict):
            if "use" in node and "children" not in node and "records" not in node:
                _use(node, path, templates, document, problems)
            for key in ("groups", "children"):
                if key in node:
                    visit(node[key], (*path, key))

    visit(data.get("groups"), ("groups",))
    if problems:
        raise RubricError(
            problems, summary=Message("rubric-problems", name=document.name, count=len(problems))
        )
    return data


def _use(
    node: dict[str, Any],
    path: tuple[str | int, ...],
    templates: dict[str, Any],
    document: Document,
    problems: list[Problem],
) -> None:
    name = node["use"]
    subject = Message("subject-indicator", id=node.get("id"))
    template = templates.get(name) if isinstance(name, str) else None
    if not isinstance(template, dict) or not isinstance(template.get("rule"), dict):
        hint = suggest(str(name), list(templates)) if isinstance(name, str) else None
        message = Message("rubric-use-unknown", name=short_repr(name))
        problems.append(
            Problem("invalid-value", message, document.locate((*path, "use")), subject, hint)
        )
        return
    params = [p for p in template.get("params") or () if isinstance(p, str)]
    args = node.get("args") or {}
    if not isinstance(args, dict):
        problems.append(
            Problem(
                "invalid-type",
                Message("rubric-args-not-mapping"),
                document.locate((*path, "args")),
                subject,
            )
        )
        return
    missing = [p for p in params if p not in args]
    unknown = [a for a in args if a not in params]
    if missing or unknown:
        lacking = Message("rubric-template-missing", names=missing)
        extra = Message("rubric-template-unknown", names=unknown)
        both = Message("rubric-template-both", missing=lacking, unknown=extra)
        said = both if missing and unknown else (lacking if missing else extra)
        message = Message("rubric-template-args", name=name, params=params, problems=said)
        problems.append(
            Problem(
                "invalid-value",
                message,
                document.locate((*path, "args")),
                subject,
                hint=suggest(unknown[0], params) if unknown else None,
            )
        )
        return
    # the indicator's own explain, basis and rounding win over the template's; a method it
    # gives itself would be a second rule
    taken = [k for k in template["rule"] if k in node and k in METHODS]
    if taken:
        message = Message("rubric-template-and-method", taken=taken)
        hint = Message("rubric-hint-template-rule")
        problems.append(
            Problem(
                "invalid-value",
                message,
                document.locate((*path, taken[0]), key=True),
                subject,
                hint,
            )
        )
        return
    for key, value in template["rule"].items():
        if key not in node:
            node[key] = _substitute(value, args, key)


def _substitute(value: object, args: dict[str, Any], key: str | None) -> object:
    """`value` of a template's rule with its parameters replaced by `args`."""
    if isinstance(value, dict):
        return {k: _substitute(v, args, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, args, key) for v in value]
    if not isinstance(value, str):
        return value
    if key in _FORMULA_KEYS:
        if value.strip() in args and not isinstance(args[value.strip()], str):
            return args[value.strip()]  # a number standing alone keeps its type
        return _TOKEN.sub(lambda m: _argument(m.group(0), args), value)
    if key in _TEMPLATE_KEYS:

        def placeholder(match: re.Match[str]) -> str:
            name, colon, spec = match.group(1).partition(":")
            arg = args.get(name.strip())
            if arg is None:
                return match.group(0)
            if isinstance(arg, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", arg):
                return "{" + arg + colon + spec + "}"
            return format_decimal(arg) if isinstance(arg, Decimal) else str(arg)

        return re.sub(r"(?<!\{)\{([^{}]*)\}(?!\})", placeholder, value)
    return value


def _argument(token: str, args: dict[str, Any]) -> str:
    if token not in args:
        return token
    arg = args[token]
    if isinstance(arg, Decimal) or (isinstance(arg, int) and not isinstance(arg, bool)):
        text = format_decimal(Decimal(arg))
        return f"({text})" if text.startswith("-") else text
    text = str(arg).strip()
    return text if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*|[0-9.]+", text) else f"({text})"


def _declared_constants(section: object) -> dict[str, Decimal]:
    """The constants a range may name: those whose value is a number (a bad one is reported
    where it is declared, by the model)."""
    out: dict[str, Decimal] = {}
    if isinstance(section, dict):
        for name, spec in section.items():
            value = spec.get("value") if isinstance(spec, dict) else spec
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                out[str(name)] = Decimal(value)
    return out


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for p in problems:
        key = (p.code, p.message, str(p.location))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _problem(document: Document, err: Any) -> Problem:
    path = real_path(document.data, tuple(err["loc"]))
    kind = err["type"]
    code = kind if kind in CODES else _PYDANTIC_CODES.get(kind, "invalid-value")
    message = err["msg"]
    said = (err.get("ctx") or {}).get("message")
    hint = None
    key = str(path[-1]) if path else ""
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        message = Message("rubric-unknown-key", key=key)
        known = _keys_at(err["loc"][:-1])
        hint = suggest(key, known or sorted(KNOWN_KEYS - {key}))
        if hint is None and key in KNOWN_KEYS:
            hint = Message("rubric-hint-other-part", key=key)
        if hint is None and known:
            hint = Message("rubric-hint-keys-here", keys=", ".join(known))
        return Problem(
            code, message, document.locate(path, key=True), _subject(document.data, path), hint
        )
    value = _value_at(document.data, path)
    shown = (  # a number as the rubric writes it, not as Python's repr (Decimal('-0.5'))
        format_decimal(value)
        if isinstance(value, Decimal) and value.is_finite()
        else short_repr(value)
    )
    if kind == "missing":
        message = Message("rubric-missing-key", key=str(err["loc"][-1]))
    elif kind in _BOUNDS:
        word, limit = (
            _BOUNDS[kind],
            ctx.get(_BOUND_KEYS[kind]),
        )
        message = Message("rubric-bound", key=key, word=word, limit=limit, shown=shown)
    elif kind == "literal_error":
        expected = ctx.get("expected", Message("rubric-allowed-values"))
        if isinstance(expected, str) and " or " in expected:  # pydantic's "'a', 'b' or 'c'"
            most, _, last = expected.rpartition(" or ")
            expected = Message("rubric-one-of", most=most, last=last)
        message = Message("rubric-literal", key=key, expected=expected, shown=shown)
    elif kind in _TYPES:
        message = Message(
            "rubric-wrong-type", key=key, expected=Message(_TYPES[kind]), got=describe(value)
        )
        if kind in ("list_type", "tuple_type") and isinstance(value, dict):
            hint = Message("rubric-hint-write-list")
        elif key == "rounding":  # a block or the word none
            hint = Message("rubric-hint-block-or-none", key=key)
        elif len(path) == 2 and path[0] == "derived" and isinstance(value, str):
            # a derived value written as its bare formula
            hint = Message("rubric-hint-derived-block", name=key, formula=short_repr(value, 50))
        elif kind in ("dict_type", "model_type") and isinstance(value, (list, str)):
            hint = Message("rubric-hint-write-mapping", key=key)
    elif isinstance(said, Message) and said == message:
        message = said
    elif message:
        message = Message("rubric-format-problem", problem=message[0].lower() + message[1:])
    if key == "version" and isinstance(value, (int, Decimal)):
        hint = Message("rubric-hint-quote-version", value=value)
    if kind == "literal_error" and key == "rounding":  # not the block, nor the word none
        hint = Message("rubric-hint-block-or-none", key=key)
    subject = _subject(document.data, path)
    if subject is None and len(path) == 1 and kind != "missing":
        subject = Message("subject-key", key=key)  # a top-level key such as `version`
    return Problem(code, message, document.locate(path), subject, hint)


#: pydantic's type errors, said in the catalogue's words: what the key's value must be
_TYPES = {
    "list_type": "rubric-type-list",
    "tuple_type": "rubric-type-list",
    "dict_type": "rubric-type-mapping",
    "model_type": "rubric-type-mapping",
    "string_type": "rubric-type-text",
    "bool_type": "rubric-type-boolean",
    "int_type": "rubric-type-integer",
}

#: where pydantic's context holds each bound's limit
_BOUND_KEYS = {
    "greater_than": "gt",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "less_than_equal": "le",
}

_BOUNDS = {
    "greater_than": Message("rubric-word-greater"),
    "greater_than_equal": Message("rubric-word-at-least"),
    "less_than": Message("rubric-word-less"),
    "less_than_equal": Message("rubric-word-at-most"),
}


def _value_at(data: object, path: tuple[str | int, ...]) -> object:
    for step in path:
        if not _has(data, step):
            return None
        data = data[step]  # type: ignore[index]
    return data


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys the format allows in the mapping at pydantic location `loc`."""
    model: Any = RubricModel
    for step in loc:
        if isinstance(step, int) or model is None:
            continue
        if step in _UNION_TAGS:
            model = Group if step == "group" else Indicator
            continue
        field = model.model_fields.get(step) if hasattr(model, "model_fields") else None
        if field is None:
            return []
        model = _model_in(field.annotation)
    return sorted(model.model_fields) if hasattr(model, "model_fields") else []


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside an annotation such as tuple[Band, ...] or dict[str, FactSpec]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in reversed(get_args(annotation)):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


_UNION_TAGS = ("group", "indicator")


def _has(node: object, step: object) -> bool:
    if isinstance(node, dict):
        return isinstance(step, str) and step in node
    return isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)


def real_path(data: object, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union-tag entries from `loc`, keeping only keys and indexes in `data`."""
    out: list[str | int] = []
    node = data
    for step in loc:
        if _has(node, step):
            out.append(step)
            node = node[step]  # type: ignore[index]
        elif isinstance(node, dict) and isinstance(step, str) and step not in _UNION_TAGS:
            out.append(step)  # a missing or unknown key: keep it so the location names it
            node = None
    return tuple(out)


def _subject(data: object, path: tuple[str | int, ...]) -> str | None:
    """Name the innermost indicator, group, fact or check a path points into."""
    subject = None
    node = data
    for i, step in enumerate(path):
        if isinstance(node, dict) and isinstance(step, str):
            if i >= 1 and path[i - 1] in ("facts", "derived") and isinstance(node.get(step), dict):
                kind = "subject-fact" if path[i - 1] == "facts" else "subject-derived"
                subject = Message(kind, id=step)
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                parent = path[i - 1] if i else None
                kind = {
                    "groups": "subject-group",
                    "children": "subject-group" if "children" in node else "subject-indicator",
                    "bonus": "subject-indicator",
                    "checks": "subject-check",
                    "items": "subject-item",
                }.get(str(parent), "subject-entry")
                if kind == "subject-item" and subject:
                    subject = Message("subject-and-item", subject=subject, id=node["id"])
                else:
                    subject = Message(kind, id=node["id"])

        else:
            break
    return subject
