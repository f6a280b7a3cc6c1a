"""Facts documents: reading them and validating facts against a rubric's fact schema.

Validation collects every problem before raising and never coerces: a string where a number
belongs, ``no`` where a boolean belongs or a float from Python code is an error with a hint.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from perfscore._errors import (
    ErrorCode,
    FactsError,
    Location,
    Problem,
    UsageError,
    bad_argument,
    describe,
    scorecard_ref,
    short_repr,
    suggest,
)
from perfscore._load._document import FORBIDDEN_CHARACTERS, Document
from perfscore._load._model import NUMBER_TYPES
from perfscore._load._xlsx import WORKBOOK_SUFFIXES
from perfscore._messages import Message
from perfscore._numbers import brief_decimal, format_decimal, is_number_text
from perfscore._values import Doubtful, Records, Unknown

if TYPE_CHECKING:
    from perfscore._load._model import FactSpec, FieldSpec

__all__ = [
    "Claims",
    "FactsDocument",
    "read_claims",
    "read_facts_document",
    "validate_values",
    "validate_values_fast",
]

#: No amount, rate or count in a self-evaluation comes near this; larger numbers are typos.
MAX_MAGNITUDE = Decimal("1e15")
MAX_TEXT_LENGTH = 20_000
DEFAULT_MAX_ITEMS = 1_000
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z", re.ASCII)
#: a date with a time of day (a spreadsheet's date-time cell, an export's timestamp)
_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?\Z", re.ASCII
)
_TOP_KEYS = ("rubric", "subject", "period", "facts", "not_applicable", "claimed")
_CLAIM_KEYS = ("indicators", "total", "grade")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Claims:
    """What the department claims: per-indicator scores, total and grade (each optional).

    Scores are finite `Decimal`s or `int`s (an `int` is kept as the equal `Decimal`);
    `indicators` is kept as a read-only copy of the mapping given, so claims score the same
    wherever they are passed. Anything else is a `UsageError` (``bad-argument``) as the
    claims are made. Claims pickle and come back equal.
    """

    indicators: Mapping[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    grade: str | None = None

    def __post_init__(self) -> None:
        call = "Claims"
        given = self.indicators
        if not isinstance(given, Mapping):
            raise bad_argument(call, "indicators", Message("usage-expected-claimed-scores"), given)
        scores: dict[str, Decimal] = {}
        for key, score in given.items():
            if type(key) is not str:
                raise bad_argument(
                    call, "indicators", Message("usage-expected-claimed-scores"), key
                )
            scores[key] = _claimed_number(call, f"indicators[{key!r}]", score)
        object.__setattr__(self, "indicators", MappingProxyType(scores))
        if self.total is not None:
            object.__setattr__(self, "total", _claimed_number(call, "total", self.total))
        if self.grade is not None and type(self.grade) is not str:
            raise bad_argument(call, "grade", Message("usage-expected-text-or-none"), self.grade)

    def __reduce__(self) -> tuple[object, ...]:
        # a read-only view does not pickle: the scores travel as a dict
        return type(self), (dict(self.indicators), self.total, self.grade)


def _claimed_number(call: str, parameter: str, value: object) -> Decimal:
    """A claimed score as a `Decimal`: an `int` as the equal one, a finite `Decimal` as it is;
    none beyond the magnitude a fact may have (a score of 1E+400 is no score, and no report
    can show it)."""
    number = Decimal(value) if type(value) is int else value
    if type(number) is Decimal and number.is_finite() and number.copy_abs() <= MAX_MAGNITUDE:
        return number
    raise bad_argument(call, parameter, Message("usage-expected-total"), value)


@dataclass(frozen=True)
class FactsDocument:
    """A facts document: what it is for, the raw facts, and where each value stands.

    `facts` holds the unvalidated `facts` mapping; the rubric validates it when it evaluates,
    so one document can be checked against several rubric versions. It is a read-only view of
    a copy of the mapping given, so a document scores the same wherever it is passed. A
    document pickles and comes back equal (`Rubric.evaluate_many` sends documents to worker
    processes).
    """

    rubric_id: str | None
    rubric_version: str | None
    subject: str | None
    period: str | None
    facts: Mapping[str, object]
    not_applicable: tuple[str, ...] = ()
    claims: Claims | None = None
    document: Document | None = None

    def __post_init__(self) -> None:
        call = "FactsDocument"
        for name in ("rubric_id", "rubric_version", "subject", "period"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise bad_argument(call, name, Message("usage-expected-text-or-none"), value)
        for name in ("subject", "period"):  # printed on one line of every report, as read
            value = getattr(self, name)
            found = None if value is None else not_a_name(value, name)
            if found is not None:
                raise UsageError(
                    Problem(
                        "bad-argument",
                        Message("usage-not-a-name", call=call, parameter=name, problem=found[1]),
                    )
                )
        if (self.rubric_id is None) != (self.rubric_version is None):  # id@version, or neither
            missing = "rubric_version" if self.rubric_version is None else "rubric_id"
            raise bad_argument(
                call, missing, Message("usage-expected-rubric-pair"), getattr(self, missing)
            )
        if not isinstance(self.facts, Mapping):
            raise bad_argument(call, "facts", Message("usage-expected-facts-mapping"), self.facts)
        if self.claims is not None and not isinstance(self.claims, Claims):
            raise bad_argument(call, "claims", Message("usage-expected-claims"), self.claims)
        if self.document is not None and not isinstance(self.document, Document):
            raise bad_argument(call, "document", Message("usage-expected-document"), self.document)
        ids = text_items(call, "not_applicable", self.not_applicable, Message("usage-items-ids"))
        object.__setattr__(self, "not_applicable", ids)
        object.__setattr__(self, "facts", freeze(self.facts))

    def __reduce__(self) -> tuple[object, ...]:
        # a read-only view does not pickle; the facts travel as dicts and are frozen on arrival
        values = [getattr(self, f.name) for f in fields(self)]
        return type(self), tuple(
            thaw(v) if f.name == "facts" else v for f, v in zip(fields(self), values, strict=True)
        )

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """What the reader of the file warned about (a workbook's formula cells); usually ()."""
        found = getattr(self.document, "warnings", ())
        return tuple(found)

    @property
    def has_marks(self) -> bool:
        """True when some fact or record field is marked unknown or doubtful (a mapping where a
        value belongs): such a document is scored with ranges by the interpreter."""
        return _has_marks(self.facts)

    def locate(self, path: Path) -> Location:
        """The location of ``facts.<path>`` (or of a top-level key when path starts with '$')."""
        if self.document is None:
            return Location("<facts>")
        return self.document.locate(path)


#: the files a folder is searched for facts documents: YAML, JSON and every spreadsheet (the
#: workbook reader refuses what is not an xlsx with what to do, so none is passed over)
FACTS_FILE_SUFFIXES = (".yaml", ".yml", ".json", *WORKBOOK_SUFFIXES)


def documents_in(
    folder: pathlib.Path, suffixes: Sequence[str] = FACTS_FILE_SUFFIXES
) -> list[pathlib.Path]:
    """The files under `folder` (recursively, sorted) whose suffix is one of `suffixes`, and the
    links among them that lead nowhere (reading one says so); hidden files and folders,
    rubric case files (``*.cases.yaml``) and the lock files Excel and WPS keep beside a
    workbook while it is open (``~$name.xlsx``, a few bytes that are no workbook) are
    skipped."""
    found = []
    for file in sorted(folder.rglob("*")):
        parts = file.relative_to(folder).parts
        if any(part.startswith(".") for part in parts) or file.name.startswith("~$"):
            continue
        # a link to nothing is kept, to be reported unreadable: never passed over in silence
        if not file.is_file() and not (file.is_symlink() and not file.exists()):
            continue
        if file.suffix.lower() in suffixes and not file.name.endswith(
            (".cases.yaml", ".cases.yml")
        ):
            found.append(file)
    return found


#: How deep `freeze` goes: a fact, its records, a record's field, a marker and its value lie
#: within it; anything deeper is no fact value and is refused by validation as it is given.
_FREEZE_DEPTH = 8


def freeze(value: Any, depth: int = 0) -> Any:
    """A read-only copy of facts: each mapping a `MappingProxyType` over a new dict, each list
    (or tuple) a tuple; every other value as it is. The validators take these shapes as they
    take dicts and lists, on the same paths."""
    if depth >= _FREEZE_DEPTH:
        return value
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v, depth + 1) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple([freeze(v, depth + 1) for v in value])
    return value


def thaw(value: Any, depth: int = 0) -> Any:
    """`freeze` undone as far as pickle needs: each read-only mapping a dict again, also inside
    a dict or list (a caller's copy of frozen facts, ``dict(document.facts)``)."""
    if depth >= _FREEZE_DEPTH:
        return value
    if isinstance(value, (MappingProxyType, dict)):
        return {k: thaw(v, depth + 1) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple([thaw(v, depth + 1) for v in value])
    if isinstance(value, list):
        return [thaw(v, depth + 1) for v in value]
    return value


def listed(call: str, parameter: str, value: object, items: str) -> Iterable[Any]:
    """`value` when it is a list (any iterable) of things; a text, bytes, a path, a mapping or
    a facts document given alone is a `UsageError`, not a list of its characters or keys."""
    single = isinstance(value, (str, bytes, bytearray, os.PathLike, Mapping, FactsDocument))
    if single or not isinstance(value, Iterable):
        hint = Message("usage-hint-pass-list", items=items)
        raise bad_argument(
            call, parameter, Message("usage-expected-list", items=items), value, hint
        )
    return value


def typed_items(
    call: str, parameter: str, value: object, items: str, kinds: type | tuple[type, ...]
) -> tuple[Any, ...]:
    """`listed` as a tuple whose every item is an instance of `kinds`; an item that is not is a
    `UsageError`."""
    found = tuple(listed(call, parameter, value, items))
    for item in found:
        if not isinstance(item, kinds):
            expected = Message("usage-expected-list", items=items)
            raise bad_argument(call, parameter, expected, item)
    return found


def text_items(call: str, parameter: str, value: object, items: str) -> tuple[str, ...]:
    """`typed_items` for a list of texts (indicator ids)."""
    if type(value) is tuple and all(type(item) is str for item in value):
        return value  # the usual case: checked at no cost
    return typed_items(call, parameter, value, items, str)


def _has_marks(facts: Mapping[str, object]) -> bool:
    for value in facts.values():
        if isinstance(value, Mapping):
            return True
        if isinstance(value, (list, tuple)) and any(
            isinstance(record, Mapping) and any(isinstance(v, Mapping) for v in record.values())
            for record in value
        ):
            return True
    return False


class _Collector:
    """Accumulates problems with locations from a document (or a path rendering)."""

    def __init__(
        self,
        document: Document | None,
        name: str,
        labels: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.document = document
        self.name = name
        self.problems: list[Problem] = []
        #: by enum fact: the value each label names (a tier's label), for hints
        self.labels: Mapping[str, Mapping[str, str]] = labels or {}

    def add(
        self,
        code: ErrorCode,
        message: str,
        path: Path,
        *,
        key: bool = False,
        hint: str | None = None,
        subject: str | None = None,
    ) -> None:
        location = (
            self.document.locate(path, key=key)
            if self.document is not None
            else Location(f"{self.name}:{_render_path(path)}")
        )
        self.problems.append(Problem(code, message, location, subject=subject, hint=hint))

    def unknown_keys(
        self,
        given: Iterable[Any],
        known: Sequence[str],
        base: Path,
        *,
        code: ErrorCode = "unknown-key",
        what: str = "key",
        where: str = "",
        subject: str | None = None,
        otherwise: str | None = None,
    ) -> None:
        """A problem at each key of `given` not in `known`, with a did-you-mean (or `otherwise`)."""
        for key in given:
            if key not in known:
                self.add(
                    code,
                    Message("facts-unknown-name", what=_WHAT.get(what, what), key=key, where=where),
                    (*base, key),
                    key=True,
                    subject=subject,
                    hint=suggest(str(key), known) or otherwise,
                )


_WHAT = {
    "key": Message("facts-what-key"),
    "fact": Message("facts-what-fact"),
    "field": Message("facts-what-field"),
}


def _render_path(path: Path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "$"


def read_facts_document(document: Document) -> FactsDocument:
    """Check a facts document's envelope (rubric reference, claims) and return it."""
    c = _Collector(document, document.name)
    data = document.data
    if data is None:  # an empty file, or only comments: said so, not "must be a mapping"
        c.add("invalid-type", Message("facts-empty"), (), hint=Message("facts-hint-empty"))
        raise FactsError(c.problems)
    if not isinstance(data, dict):
        c.add("invalid-type", Message("facts-not-mapping-got", got=describe(data)), ())
        raise FactsError(c.problems)
    card = scorecard_ref(data)
    if card is not None:  # perfscore's own output given back: one problem, not one per key
        c.add(
            "invalid-type",
            Message("facts-is-scorecard", ref=card),
            (),
            hint=Message("hint-scorecard"),
        )
        raise FactsError(c.problems)
    if "perfscore" in data and "rubric" not in data and ("groups" in data or "id" in data):
        # a rubric given where facts belong: one problem, not one per rubric key
        c.add(
            "invalid-type",
            Message("facts-is-rubric"),
            (),
            hint=Message("facts-hint-rubric", name=document.name),
        )
        raise FactsError(c.problems)
    c.unknown_keys(
        data, _TOP_KEYS, (), otherwise=Message("facts-hint-keys", keys=", ".join(_TOP_KEYS))
    )
    rubric_id = rubric_version = None
    ref = data.get("rubric")
    if ref is not None:
        if isinstance(ref, str) and re.fullmatch(r"[^@\s]+@[^@\s]+", ref):
            rubric_id, rubric_version = ref.split("@")
        else:
            c.add(
                "invalid-value",
                Message("facts-rubric-ref", got=describe(ref)),
                ("rubric",),
                hint=Message("facts-hint-rubric-ref"),
            )
    subject = _optional_text(c, data, "subject")
    period = _optional_text(c, data, "period")
    facts = data.get("facts")
    if facts is None:
        c.add("missing-key", Message("facts-missing-facts-key"), ())
        facts = {}
    elif not isinstance(facts, dict):
        c.add("invalid-type", Message("facts-facts-not-mapping", got=describe(facts)), ("facts",))
        facts = {}
    not_applicable: list[str] = []
    na = data.get("not_applicable", [])
    if not isinstance(na, list) or not all(isinstance(x, str) for x in na):
        c.add("invalid-type", Message("facts-na-not-list"), ("not_applicable",))
    else:
        not_applicable = na
    claims = _claims(c, data.get("claimed")) if "claimed" in data else None
    if c.problems:
        summary = Message("facts-envelope-problems", name=document.name, count=len(c.problems))
        raise FactsError(c.problems, summary=summary)
    return FactsDocument(
        rubric_id, rubric_version, subject, period, facts, tuple(not_applicable), claims, document
    )


def _optional_text(c: _Collector, data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return format_decimal(Decimal(value))  # `period: 2022` is a year, not an amount
    if not isinstance(value, str):
        c.add("invalid-type", Message("facts-must-be-text", key=key, got=short_repr(value)), (key,))
        return None
    return _one_line(c, value, (key,), key)


#: the longest subject, period or claimed grade: a name, not a text
MAX_NAME_LENGTH = 500
_NOT_ONE_LINE = re.compile("[\n\r\t\v\f\x85]")


def _one_line(c: _Collector, value: str, path: Path, key: str) -> str | None:
    """A name a report prints on one line (subject, period, grade): no line breaks, control or
    invisible characters (a sender could forge report lines with them), not over-long."""
    found = not_a_name(value, key)
    if found is not None:
        c.add(found[0], found[1], path)
        return None
    return value


def not_a_name(value: str, key: str) -> tuple[ErrorCode, str] | None:
    """What keeps `value` from being a name a report prints on one line (`_one_line`): its
    code and message, or None."""
    if len(value) > MAX_NAME_LENGTH:
        return "out-of-bounds", Message(
            "facts-text-too-long", length=len(value), limit=MAX_NAME_LENGTH
        )
    bad = FORBIDDEN_CHARACTERS.search(value) or _NOT_ONE_LINE.search(value)
    if bad is not None:
        code = f"{ord(bad.group()):04X}"
        return "forbidden-character", Message("facts-not-one-line", key=key, code=code)
    return None


def _claims(c: _Collector, value: object, base: Path = ("claimed",)) -> Claims | None:
    if not isinstance(value, dict):
        c.add(
            "invalid-type",
            Message("facts-claimed-not-mapping"),
            base,
        )
        return None
    c.unknown_keys(value, _CLAIM_KEYS, base)
    scores: dict[str, Decimal] = {}
    indicators = value.get("indicators", {})
    if not isinstance(indicators, dict):
        c.add(
            "invalid-type",
            Message("facts-claimed-indicators"),
            (*base, "indicators"),
        )
    else:
        for key, score in indicators.items():
            what = Message("facts-claimed-score-of", id=key)
            number = _number(c, score, (*base, "indicators", key), what)
            if number is not None:
                scores[key] = number
    total = None
    if value.get("total") is not None:
        total = _number(c, value["total"], (*base, "total"), Message("facts-claimed-total"))
    grade = value.get("grade")
    if grade is not None and not isinstance(grade, str):
        c.add(
            "invalid-type",
            Message("facts-claimed-grade", got=short_repr(grade)),
            (*base, "grade"),
        )
        grade = None
    elif grade is not None:
        grade = _one_line(c, grade, (*base, "grade"), "grade")
    return Claims(scores, total, grade)


def read_claims(
    value: object, document: Document, base: Path
) -> tuple[Claims | None, list[Problem]]:
    """Claims written at `base` in `document` (a case file's `claimed`), with their problems."""
    c = _Collector(document, document.name)
    claims = _claims(c, value, base)
    return claims, c.problems


def _number(c: _Collector, value: object, path: Path, what: str) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        c.add(
            "fact-type",
            Message("facts-must-be-number", what=what, got=describe(value)),
            path,
            hint=_number_hint(value),
        )
        return None
    number = Decimal(value)
    if not number.is_finite():
        message = Message("facts-must-be-finite", what=what, got=short_repr(value))
        c.add("not-finite", message, path)
        return None
    if number.copy_abs() > MAX_MAGNITUDE:  # as for a fact: no report can show such a score
        limit = format_decimal(MAX_MAGNITUDE)
        message = Message(
            "facts-claim-implausible", what=what, number=brief_decimal(number), limit=limit
        )
        c.add("out-of-bounds", message, path)
        return None
    return number


def _whole_document(facts: Mapping[str, object], schema: Mapping[str, FactSpec]) -> bool:
    """Whether `facts` is a whole facts document rather than its ``facts`` section: a
    mapping under ``facts`` where the rubric declares no fact of that name."""
    return "facts" not in schema and isinstance(facts.get("facts"), Mapping)


def validate_values(
    schema: Mapping[str, FactSpec],
    facts: Mapping[str, object],
    *,
    document: Document | None,
    name: str = "facts",
    base: Path = ("facts",),
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, object]:
    """Validate `facts` against `schema`; return the typed values or raise FactsError.

    `labels`: by enum fact, the value each of its labels names (the labels of a tiers table),
    so that a label typed for its value gets a hint naming the value."""
    c = _Collector(document, name, labels)
    values: dict[str, object] = {}
    if not isinstance(facts, Mapping):
        c.add("invalid-type", Message("facts-values-not-mapping"), base)
        raise FactsError(c.problems)
    if document is None and _whole_document(facts, schema):
        # a loaded document passed for its facts: one problem, not one per fact and section
        keys = ", ".join(repr(k) for k in _TOP_KEYS if k in facts)
        hint = Message("facts-hint-whole-document")
        c.add("invalid-type", Message("facts-whole-document", keys=keys), base, hint=hint)
        raise FactsError(c.problems)
    c.unknown_keys(facts, list(schema), base, code="unknown-fact", what="fact")
    for fact_id, spec in schema.items():
        if fact_id in facts:
            value = _value(c, spec, facts[fact_id], (*base, fact_id), fact_id)
            values[fact_id] = value
        elif spec.has_default:
            values[fact_id] = _value(c, spec, spec.default, (*base,), fact_id)
        elif not spec.required:
            values[fact_id] = None
        else:
            c.add(
                "missing-fact",
                Message("facts-missing-fact", id=fact_id, label=spec.label),
                base,
                key=True,  # at the 'facts:' key, not at its first value
                hint=Message("facts-hint-missing-fact", id=fact_id, type=spec.type),
            )
    if c.problems:
        raise FactsError(
            _in_file_order(c.problems),
            summary=Message("facts-problems", name=name, count=len(c.problems)),
        )
    return values


def _value(
    c: _Collector, spec: FactSpec | FieldSpec, value: object, path: Path, fact_id: str
) -> object:
    kind = spec.type
    subject = Message("subject-fact", id=fact_id)
    if value is None:
        c.add(
            "fact-type",
            Message("facts-expected-null", expected=_expected(spec)),
            path,
            subject=subject,
            hint=Message("facts-hint-null"),
        )
        return None
    if isinstance(value, Mapping):
        return _marked(c, spec, value, path, fact_id)
    if kind in NUMBER_TYPES:
        if isinstance(value, float):
            c.add(
                "fact-type",
                Message("facts-expected-float", expected=_expected(spec), value=value),
                path,
                subject=subject,
                hint=Message("facts-hint-float"),
            )
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            c.add(
                "fact-type",
                Message("facts-expected", expected=_expected(spec), got=describe(value)),
                path,
                subject=subject,
                hint=_number_hint(value),
            )
            return None
        number = Decimal(value)
        if not number.is_finite():
            message = Message("facts-expected-finite", number=str(number))
            c.add("not-finite", message, path, subject=subject)
            return None
        return _bounded(c, spec, number, path, subject)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        hint = Message("facts-hint-boolean")
        if isinstance(value, str) and value.lower() in ("no", "n", "off", "yes", "y", "on"):
            hint = Message("facts-hint-boolean-yaml11")
        elif isinstance(value, str) and value in ("是", "否", "有", "无"):
            word = "true" if value in ("是", "有") else "false"
            hint = Message("facts-hint-boolean-word", word=word, value=value)
        c.add(
            "fact-type",
            Message("facts-expected-boolean", got=describe(value)),
            path,
            subject=subject,
            hint=hint,
        )
        return None
    if kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        said, why = Message("facts-expected-date", got=describe(value)), Message("facts-hint-date")
        if isinstance(value, str) and _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:  # written as a date, but the month has no such day
                said = Message("facts-date-no-such-day", value=value)
        elif isinstance(value, str) and (timed := _DATE_TIME.match(value)):
            said = Message("facts-date-with-time", value=value)
            why = Message("facts-hint-date-only", day=timed.group(1))
        c.add("fact-type", said, path, subject=subject, hint=why)
        return None
    if kind == "enum":
        assert spec.values is not None
        if isinstance(value, str) and value in spec.values:
            return value
        shown = ", ".join(repr(v) for v in spec.values)
        c.add(
            "fact-type",
            Message("facts-expected-enum", values=shown, got=describe(value)),
            path,
            subject=subject,
            hint=_enum_text_hint(value, spec.values, c.labels.get(fact_id))
            if isinstance(value, str)
            else _enum_hint(value),
        )
        return None
    if kind == "text":
        if not isinstance(value, str):
            c.add(
                "fact-type",
                Message("facts-expected-text", got=describe(value)),
                path,
                subject=subject,
                hint=Message("facts-hint-quote-text"),
            )
            return None
        if len(value) > MAX_TEXT_LENGTH:
            c.add(
                "out-of-bounds",
                Message("facts-text-too-long", length=len(value), limit=MAX_TEXT_LENGTH),
                path,
                subject=subject,
            )
            return None
        bad = FORBIDDEN_CHARACTERS.search(value)
        if bad is not None:  # documents refuse these already; Python input must too
            c.add(
                "forbidden-character",
                Message("facts-text-forbidden", code=f"{ord(bad.group()):04X}"),
                path,
                subject=subject,
            )
            return None
        return value
    return _records(c, spec, value, path, fact_id)


#: words that say yes or no (YAML 1.1's booleans, 是/否): never the reason of an unknown value
_YES_NO = frozenset(
    {"yes", "y", "on", "true", "no", "n", "off", "false", "是", "否", "有", "无", "对", "错"}
)


def _marked(
    c: _Collector, spec: FactSpec | FieldSpec, value: Mapping[Any, object], path: Path, fact_id: str
) -> object:
    """A mapping where a value belongs: the marker of an unknown or a doubtful value. No fact
    value is a mapping (records are lists), so a marker can never be taken for a value."""
    subject = Message("subject-fact", id=fact_id)
    if "unknown" in value:
        for key in value:
            if key != "unknown":
                c.add(
                    "invalid-marker",
                    Message("facts-unknown-extra-key", key=key),
                    (*path, key),
                    key=True,
                    subject=subject,
                    hint=Message("facts-hint-doubtful-form"),
                )
                return None
        reason = value["unknown"]
        if spec.type == "list" and fact_id != path[-1]:
            c.add(
                "unknown-not-allowed",
                Message("facts-unknown-in-record"),
                path,
                subject=subject,
            )
            return None
        if reason is True:
            return Unknown()
        if isinstance(reason, str) and reason.strip().lower() in _YES_NO:
            # `unknown: no` (YAML 1.1's false) is a yes or no, not a reason: never a reason 'no'
            c.add(
                "invalid-marker",
                Message("facts-unknown-yes-no", word=reason.strip()),
                (*path, "unknown"),
                subject=subject,
                hint=Message("facts-hint-unknown-yes-no"),
            )
            return None
        if isinstance(reason, str) and reason.strip():
            return Unknown(reason.strip())
        c.add(
            "invalid-marker",
            Message("facts-unknown-reason", got=describe(reason)),
            (*path, "unknown"),
            subject=subject,
            hint=Message("facts-hint-unknown-reason"),
        )
        return None
    if "doubtful" in value:
        for key in value:
            if key not in ("value", "doubtful"):
                c.add(
                    "invalid-marker",
                    Message("facts-doubtful-unknown-key", key=key),
                    (*path, key),
                    key=True,
                    subject=subject,
                    hint=suggest(str(key), ["value", "doubtful"])
                    or Message("facts-hint-doubtful-keys"),
                )
                return None
        reason = value["doubtful"]
        if not isinstance(reason, str) or not reason.strip():
            c.add(
                "invalid-marker",
                Message("facts-doubtful-reason", got=describe(reason)),
                (*path, "doubtful"),
                subject=subject,
                hint=Message("facts-hint-doubtful-reason"),
            )
            return None
        if "value" not in value:
            c.add(
                "invalid-marker",
                Message("facts-doubtful-needs-value"),
                path,
                subject=subject,
                hint=Message("facts-hint-doubtful-value"),
            )
            return None
        inner = value["value"]
        if spec.type == "list" or isinstance(inner, Mapping):
            c.add(
                "invalid-marker",
                Message("facts-doubtful-single")
                if spec.type != "list"
                else Message("facts-doubtful-list"),
                (*path, "value"),
                subject=subject,
            )
            return None
        checked = _value(c, spec, inner, (*path, "value"), fact_id)
        return None if checked is None else Doubtful(checked, reason.strip())
    if "value" in value:  # {value: 93} alone: a doubtful value without its reason
        c.add(
            "invalid-marker",
            Message("facts-value-needs-doubtful"),
            path,
            subject=subject,
            hint=Message("facts-hint-doubtful-form"),
        )
        return None
    c.add(
        "fact-type",
        Message("facts-expected-mapping", expected=_expected(spec)),
        path,
        subject=subject,
        hint=Message("facts-hint-mapping"),
    )
    return None


def _records(
    c: _Collector, spec: FactSpec | FieldSpec, value: object, path: Path, fact_id: str
) -> object:
    subject = Message("subject-fact", id=fact_id)
    fields = getattr(spec, "fields", None) or {}
    if not isinstance(value, (list, tuple)):
        c.add(
            "fact-type",
            Message("facts-expected-records", got=describe(value)),
            path,
            subject=subject,
        )
        return None
    limit = getattr(spec, "max_items", None)
    limit = DEFAULT_MAX_ITEMS if limit is None else limit
    if len(value) > limit:
        c.add(
            "out-of-bounds",
            Message("facts-too-many-records", count=len(value), limit=limit),
            path,
            subject=subject,
        )
        return None
    records = []
    for i, record in enumerate(value):
        if not isinstance(record, Mapping):
            c.add(
                "fact-type",
                Message("facts-record-not-mapping", number=i + 1, got=describe(record)),
                (*path, i),
                subject=subject,
            )
            continue
        typed: dict[str, object] = {}
        c.unknown_keys(
            record,
            list(fields),
            (*path, i),
            code="unknown-fact",
            what="field",
            where=Message("facts-in-record", number=i + 1),
            subject=subject,
        )
        for name, field_spec in fields.items():
            if name in record:
                typed[name] = _value(
                    c, field_spec, record[name], (*path, i, name), f"{fact_id}[{i}].{name}"
                )
            elif field_spec.has_default:
                typed[name] = _value(
                    c, field_spec, field_spec.default, (*path, i), f"{fact_id}[{i}].{name}"
                )
            elif not field_spec.required:
                typed[name] = None
            else:
                c.add(  # at the field's own cell when a workbook knows it, else the record
                    "missing-fact",
                    Message(
                        "facts-record-missing-field",
                        number=i + 1,
                        name=name,
                        label=field_spec.label,
                    ),
                    (*path, i, name),
                    subject=subject,
                )
        records.append(typed)
    return Records(records)


def _bounded(
    c: _Collector, spec: FactSpec | FieldSpec, number: Decimal, path: Path, subject: str
) -> Decimal | None:
    # copy_abs and comparisons need no decimal context: a huge exponent cannot overflow here
    if number.copy_abs() > MAX_MAGNITUDE:
        c.add(
            "out-of-bounds",
            Message(
                "facts-implausible",
                number=brief_decimal(number),
                limit=format_decimal(MAX_MAGNITUDE),
            ),
            path,
            subject=subject,
        )
        return None
    if spec.type == "integer" and number != number.to_integral_value():
        c.add(
            "fact-type",
            Message("facts-expected-integer", number=brief_decimal(number)),
            path,
            subject=subject,
        )
        return None
    low, high = spec.bounds
    if low is not None and number < low:
        c.add(
            "out-of-bounds",
            Message("facts-below-min", number=brief_decimal(number), low=format_decimal(low)),
            path,
            subject=subject,
        )
        return None
    if high is not None and number > high:
        c.add(
            "out-of-bounds",
            Message("facts-above-max", number=brief_decimal(number), high=format_decimal(high)),
            path,
            subject=subject,
            hint=Message("facts-hint-percent-units") if spec.type == "percent" else None,
        )
        return None
    return Decimal(0) if number.is_zero() else number


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by line and column, as an editor lists them (stable otherwise)."""

    def key(p: Problem) -> tuple[str, int, int]:
        loc = p.location
        if loc is None:
            return ("", 0, 0)
        return (loc.sheet or "", loc.line or 0, loc.column or 0)  # a workbook: sheet by sheet

    return sorted(problems, key=key)


#: the signs an official sheet prints where a rubric's values write ASCII
_SIGNS = {"≥": ">=", "≧": ">=", "⩾": ">=", "≤": "<=", "≦": "<=", "⩽": "<="}


def _enum_text_hint(
    value: str, values: Sequence[str], labels: Mapping[str, str] | None = None
) -> str | None:
    """The hint for a text that is none of an enum's values: the value whose label it is (a
    tier's 达成年度目标 for achieved), the value it is once full-width characters and the signs
    ≥ and ≤ are written in ASCII (the official sheets print ≥), else the closest value."""
    named = (labels or {}).get(value.strip())
    if named is not None:
        return Message("facts-hint-enum-label", label=value.strip(), value=named)
    plain = unicodedata.normalize("NFKC", value)
    for sign, ascii_sign in _SIGNS.items():
        plain = plain.replace(sign, ascii_sign)
    plain = plain.strip()
    if plain != value and plain in values:
        return Message("hint-did-you-mean", name=plain)
    return suggest(value, values)


def _enum_hint(value: object) -> str | None:
    """A bare YAML number where an enum value belongs: the values are text, never coerced."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    text = format_decimal(Decimal(value)) if Decimal(value).is_finite() else str(value)
    return Message("facts-hint-quote-enum", text=text)


def _expected(spec: FactSpec | FieldSpec) -> str:
    return Message("facts-type-" + spec.type)


_COMMAS = ",\uff0c\u3001"  # ASCII, full-width and ideographic (、) commas
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?\Z")


def _comma_hint(text: str) -> str | None:
    """The hint for a number written with commas: thousands separators or a decimal comma.

    ``3703,85`` is 3703.85 typed with a decimal comma; dropping the comma would give a value
    100 times too large that a 万元 fact accepts, so only digits grouped in threes are read as
    thousands, and a single group of three (``1,000``) is named as ambiguous.
    """
    if not any(c in text for c in _COMMAS):
        return None
    plain = text
    for c in _COMMAS[1:]:
        plain = plain.replace(c, ",")
    if not (is_number_text(plain.replace(",", "")) or is_number_text(plain.replace(",", "."))):
        return None
    written = next(c for c in _COMMAS if c in text)
    if _GROUPED.match(plain) and (plain.count(",") > 1 or "." in plain):
        return Message("facts-hint-no-thousands", number=plain.replace(",", ""))
    if plain.count(",") == 1 and "." not in plain:
        decimal = plain.replace(",", ".")
        point = Message("facts-decimal-point", written=written)
        if _GROUPED.match(plain):
            return Message(
                "facts-hint-decimal-or-thousands",
                decimal=decimal,
                point=point,
                plain=plain.replace(",", ""),
            )
        return Message("facts-hint-decimal", decimal=decimal, point=point)
    return Message("facts-hint-plain-number", written=written)


def _number_hint(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if is_number_text(text):
        around = {f"U+{ord(ch):04X}" for ch in value if ch.isspace() and not ch.isascii()}
        if around:  # YAML trims ASCII spaces: a non-breaking or full-width one made it text
            return Message("facts-hint-invisible-space", spaces=", ".join(sorted(around)))
        return Message("facts-hint-unquote")
    if len(text) > 40 and re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", text):
        return Message("facts-hint-too-many-digits", digits=len(text.lstrip("-")))
    if text.endswith("%") and is_number_text(text[:-1].strip()):
        return Message("facts-hint-no-percent", number=text[:-1].strip())
    comma = _comma_hint(text)
    if comma:
        return comma
    if "_" in text and is_number_text(text.replace("_", "")):
        return Message("facts-hint-no-underscores", number=text.replace("_", ""))
    if any(ch in text for ch in "eE") and re.fullmatch(r"-?[0-9.]+[eE][-+]?[0-9]+", text):
        return Message("facts-hint-no-exponent")
    if any(not ch.isascii() and ch.isdigit() for ch in text) or any(
        "\uff10" <= ch <= "\uff19" for ch in text
    ):
        return Message("facts-hint-ascii-digits")
    if text.lower().lstrip("+-.") in ("nan", "inf", "infinity"):
        return Message("facts-hint-no-nan")
    if re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?\s*[^\d\s.,]+", text):
        return Message("facts-hint-bare-number")

    return None


# --- the happy path -------------------------------------------------------------------------
# `validate_values_fast` gives exactly what `validate_values` returns for facts that are plainly
# valid (every value of its declared Python type, within bounds, no unknown key), and None for
# anything else, which the caller then hands to `validate_values` for the located problems. It
# never reports a problem itself, so every message comes from one place. A value of a type it
# does not know (for example a marker a facts loader adds) is "anything else".

_NUM, _BOOLEAN, _DATE_KIND, _ENUM, _TEXT, _LIST = range(6)
_KIND_CODES = {"boolean": _BOOLEAN, "date": _DATE_KIND, "enum": _ENUM, "text": _TEXT}
_ZERO = Decimal(0)

#: One fact or field, prepared once per schema: (id, kind, low, high, integer?, enum values,
#: default?, required?, fields, max items, spec).
_Prepared = tuple[
    str,
    int,
    "Decimal | None",
    "Decimal | None",
    bool,
    "frozenset[str]",
    bool,
    bool,
    "tuple[Any, ...]",
    int,
    Any,
]
_PREPARED: dict[int, tuple[object, tuple[_Prepared, ...]]] = {}


def _prepare(schema: Mapping[str, Any]) -> tuple[_Prepared, ...]:
    entry = _PREPARED.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    prepared = []
    for fact_id, spec in schema.items():
        kind = _NUM if spec.type in NUMBER_TYPES else _KIND_CODES.get(spec.type, _LIST)
        low, high = spec.bounds if kind == _NUM else (None, None)
        fields = getattr(spec, "fields", None) or {}
        limit = getattr(spec, "max_items", None)
        prepared.append(
            (
                fact_id,
                kind,
                low,
                high,
                spec.type == "integer",
                frozenset(spec.values or ()),
                spec.has_default,
                spec.required,
                _prepare(fields) if kind == _LIST else (),
                DEFAULT_MAX_ITEMS if limit is None else limit,
                spec,
            )
        )
    if len(_PREPARED) > 256:  # rubrics come and go; keep the table small
        _PREPARED.clear()
    _PREPARED[id(schema)] = (schema, tuple(prepared))
    return tuple(prepared)


def _plain(item: _Prepared, value: object) -> tuple[bool, object]:
    """(True, the typed value) when `value` is plainly valid for `item`, else (False, None)."""
    kind = item[1]
    cls = type(value)
    if kind == _NUM:
        if cls is Decimal:
            number: Decimal = value  # type: ignore[assignment]
            if not number.is_finite():
                return False, None
        elif cls is int:
            number = Decimal(value)  # type: ignore[arg-type]
        else:
            return False, None
        if number.copy_abs() > MAX_MAGNITUDE:
            return False, None
        if item[4] and number != number.to_integral_value():
            return False, None
        low, high = item[2], item[3]
        if (low is not None and number < low) or (high is not None and number > high):
            return False, None
        return True, _ZERO if number.is_zero() else number
    if kind == _BOOLEAN:
        return (True, value) if cls is bool else (False, None)
    if kind == _DATE_KIND:
        if cls is dt.date:
            return True, value
        if isinstance(value, str) and cls is str and _DATE.match(value):
            try:
                return True, dt.date.fromisoformat(value)
            except ValueError:
                return False, None
        return False, None
    if kind == _ENUM:
        return (True, value) if cls is str and value in item[5] else (False, None)
    if kind == _TEXT:
        if not isinstance(value, str) or cls is not str or len(value) > MAX_TEXT_LENGTH:
            return False, None
        return (FORBIDDEN_CHARACTERS.search(value) is None, value)
    if cls is not list and cls is not tuple:
        return False, None
    if len(value) > item[9]:  # type: ignore[arg-type]
        return False, None
    fields = item[8]
    records = []
    for record in value:  # type: ignore[attr-defined]
        if type(record) is not dict and type(record) is not MappingProxyType:
            return False, None
        typed = _typed(fields, record)
        if typed is None:
            return False, None
        records.append(typed)
    return True, Records(records)


def _typed(
    prepared: tuple[_Prepared, ...], given: Mapping[str, object]
) -> dict[str, object] | None:
    known = 0
    values: dict[str, object] = {}
    for item in prepared:
        key = item[0]
        if key in given:
            known += 1
            ok, value = _plain(item, given[key])
        elif item[6]:
            ok, value = _plain(item, item[10].default)
        elif not item[7]:
            ok, value = True, None
        else:
            return None
        if not ok:
            return None
        values[key] = value
    if known != len(given):  # an unknown key (or one that is not text)
        return None
    return values


def validate_values_fast(
    schema: Mapping[str, FactSpec], facts: Mapping[str, object]
) -> dict[str, object] | None:
    """`validate_values` for plainly valid facts; None when the full validator must judge.

    It takes a dict, or the read-only view a `FactsDocument` holds (`freeze`), and records as
    lists or tuples of either."""
    if type(facts) is not dict and type(facts) is not MappingProxyType:
        return None
    return _typed(_prepare(schema), facts)


# --- the happy path, generated ----------------------------------------------------------------
# `validator_source` writes `_typed` for one schema as straight Python: one block per fact in
# schema order, every bound and enum a module constant. It accepts exactly what `_typed`
# accepts and returns the same values (the differential tests compare both), so it too never
# reports a problem: None sends the facts to `validate_values`.


class _Source:
    """The lines and constants of a generated validator."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, object] = {}
        self.names: dict[object, str] = {}
        self.locals = 0

    def local(self) -> int:
        """A number no other local of the generated function has."""
        self.locals += 1
        return self.locals - 1

    def constant(self, prefix: str, value: object) -> str:
        """The module constant holding `value` (one per distinct number or enum)."""
        if isinstance(value, Decimal):
            key: object = ("number", str(value))
        elif isinstance(value, frozenset):
            key = ("enum", tuple(sorted(value)))
        else:
            key = ("object", id(value))
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = f"{prefix}{len(self.constants)}"
            self.constants[name] = value
        return name

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)


def _check_value(out: _Source, item: _Prepared, depth: int, x: str) -> None:
    """Lines that check the value in local `x` for `item` and leave its typed value there, or
    return None. A missing key, an impossible date or an odd record raises instead, and the
    validator's one ``except`` returns None for it."""
    kind = item[1]
    e = out.emit
    if kind == _NUM:
        # one chained comparison holds the bounds and the plausible magnitude. It refuses
        # an infinity, and a NaN raises InvalidOperation in it: the validator runs in the
        # evaluation context (`Plan.validate_fast`, `run_plain`), whose flags no caller sees,
        # and its caller takes any exception for None
        low = -MAX_MAGNITUDE if item[2] is None else max(item[2], -MAX_MAGNITUDE)
        high = MAX_MAGNITUDE if item[3] is None else min(item[3], MAX_MAGNITUDE)
        e(depth, f"if type({x}) is not Decimal:")
        e(depth + 1, f"if type({x}) is not int:")
        e(depth + 2, "return None")
        e(depth + 1, f"{x} = Decimal({x})")
        bounds = f"{out.constant('number', low)} <= {x} <= {out.constant('number', high)}"
        if low <= _ZERO <= high:  # zero in any notation, -0 too, is stored as plain 0
            e(depth, f"if not {x}:")
            e(depth + 1, f"{x} = ZERO")
            e(depth, f"elif not {bounds}:")
        else:
            e(depth, f"if not {bounds}:")
        e(depth + 1, "return None")
        if item[4]:
            e(depth, f"elif not {x} == {x}.to_integral_value():  # (== is quicker than !=)")
            e(depth + 1, "return None")
    elif kind == _BOOLEAN:
        e(depth, f"if type({x}) is not bool:")
        e(depth + 1, "return None")
    elif kind == _DATE_KIND:
        e(depth, f"if type({x}) is not date:")
        e(depth + 1, f"if type({x}) is not str or not DATE_TEXT.match({x}):")
        e(depth + 2, "return None")
        e(depth + 1, f"{x} = date.fromisoformat({x})  # ValueError: no such day")
    elif kind == _ENUM:
        e(depth, f"if type({x}) is not str or {x} not in {out.constant('enum', item[5])}:")
        e(depth + 1, "return None")
    elif kind == _TEXT:
        e(depth, f"if type({x}) is not str or len({x}) > MAX_TEXT_LENGTH:")
        e(depth + 1, "return None")
        # every character FORBIDDEN matches is one Python calls unprintable, so printable text
        # (nearly all text) is clean without the slower search
        e(depth, f"if not {x}.isprintable() and FORBIDDEN.search({x}) is not None:")
        e(depth + 1, "return None")
    else:
        k = out.local()
        rows, row = f"l{k}", f"x{k}"
        e(depth, f"if type({x}) is not list and type({x}) is not tuple:")
        e(depth + 1, "return None")
        e(depth, f"if len({x}) > {int(item[9])}:")
        e(depth + 1, "return None")
        e(depth, f"{rows} = []")
        e(depth, f"for {row} in {x}:")
        e(depth + 1, f"if type({row}) is not dict and type({row}) is not mappingproxy:")
        e(depth + 2, "return None")
        pairs = _typed_block(out, item[8], depth + 1, row)
        _display(out, depth + 1, f"{rows}.append(", pairs, ")")
        e(depth, f"{x} = records_of({rows})")


def _display(out: _Source, depth: int, head: str, pairs: list[str], tail: str) -> None:
    """`head`, the dict of `pairs` (one a line), `tail`."""
    out.emit(depth, head + "{")
    for pair in pairs:
        out.emit(depth + 1, pair + ",")
    out.emit(depth, "}" + tail)


def _typed_block(
    out: _Source, prepared: tuple[_Prepared, ...], depth: int, given: str
) -> list[str]:
    """Lines that check the dict in local `given` as `_typed` does: every declared key in
    schema order, then that it has no other key; the ``key: local`` pairs of the typed dict,
    in schema order."""
    e = out.emit
    optional = any(item[6] or not item[7] for item in prepared)
    counter = f"n{out.local()}"
    if optional:
        e(depth, f"{counter} = 0  # how many of the facts that may be left out are given")
    pairs = []
    for item in prepared:
        key, x = repr(item[0]), f"f{out.local()}"
        pairs.append(f"{key}: {x}")
        if item[7] and not item[6]:  # required: a missing key raises KeyError
            e(depth, f"{x} = {given}[{key}]")
            _check_value(out, item, depth, x)
            continue
        e(depth, f"{x} = {given}.get({key}, MISSING)")
        e(depth, f"if {x} is MISSING:")
        if item[6]:  # a default: judged like a given value, as `_typed` does
            ok, default = _plain(item, item[10].default)
            if not ok:
                e(depth + 1, "return None")
            elif default is None or type(default) in (bool, str):
                e(depth + 1, f"{x} = {default!r}")
            elif type(default) is Decimal:
                e(
                    depth + 1,
                    f"{x} = {'ZERO' if default is _ZERO else out.constant('number', default)}",
                )
            elif isinstance(default, Records) and not len(default):
                e(depth + 1, f"{x} = Records(())")
            else:  # a value that is not a literal (a date, records): judged at each call
                spec = out.constant("spec", item)
                e(depth + 1, f"ok, {x} = plain({spec}, {spec}[10].default)")
                e(depth + 1, "if not ok:")
                e(depth + 2, "return None")
        else:
            e(depth + 1, f"{x} = None")
        e(depth, "else:")
        e(depth + 1, f"{counter} += 1")
        _check_value(out, item, depth + 1, x)
    required = sum(1 for item in prepared if item[7] and not item[6])
    size = f"{required} + {counter}" if optional else f"{required}"
    e(depth, f"if len({given}) != {size}:  # a key the schema does not declare")
    e(depth + 1, "return None")
    return pairs


def validator_source(schema: Mapping[str, Any]) -> tuple[str, dict[str, object]]:
    """The generated happy-path validator of `schema` (a function ``validate_facts(given)``
    that returns what `validate_values_fast` returns) and the constants it reads."""
    out = _Source()
    e = out.emit
    e(0, "def validate_facts(given):")
    e(1, '"""The facts typed when plainly valid; None sends them to the full validator."""')
    e(1, "if type(given) is not dict and type(given) is not mappingproxy:")
    e(2, "return None")
    e(1, "try:")
    typed = _typed_block(out, _prepare(schema), 2, "given")
    e(1, "except (KeyError, ValueError):  # a fact or field missing, a day no calendar has")
    e(2, "return None")
    _display(out, 1, "return ", typed, "")
    head, bound = [], {}
    for name, value in out.constants.items():
        if isinstance(value, Decimal):
            head.append(f"{name} = Decimal({str(value)!r})")
        elif isinstance(value, frozenset):
            head.append(f"{name} = frozenset({tuple(sorted(value))!r})")
        else:  # a fact's declaration, for its default
            head.append(f"# {name}: the declaration of {value[0]!r} (its default)")  # type: ignore[index]
            bound[name] = value
    return "\n".join([*head, "", *out.lines]) + "\n", {
        **bound,
        "Decimal": Decimal,
        "mappingproxy": MappingProxyType,
        "ZERO": _ZERO,
        "MAX_TEXT_LENGTH": MAX_TEXT_LENGTH,
        "DATE_TEXT": _DATE,
        "FORBIDDEN": FORBIDDEN_CHARACTERS,
        "Records": Records,
        "records_of": Records.adopt,
        "date": dt.date,
        "MISSING": _MISSING,
        "plain": _plain,
    }


_MISSING = object()
