"""Errors raised by perfscore.

Every failure a user can cause is one of these; no exception of a dependency escapes::

    PerfscoreError
    ├── DocumentError      a file cannot be read as a document at all (size, encoding, YAML/JSON)
    ├── RubricError        a rubric or case file is malformed (collects every problem first)
    ├── FactsError         a facts document does not fit its rubric (collects every problem)
    ├── ScoringError       scoring stopped at the first runtime failure
    │   └── ExpressionError    a formula failed at run time (division by zero, ...)
    └── UsageError         an argument or call is wrong (CLI flags, a rubric that cannot be found)

Each error carries one or more `Problem` records. A problem keeps its parts as attributes
(`code`, `location`, `subject`, `hint`, `severity`) and renders as
``file:line:col: subject: message [code]`` followed by an optional ``hint:`` line. The findings
of `perfscore check` are problems too, with the severity their code has in `FINDINGS`.
Every code has a section in docs/errors.md.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from perfscore._messages import ENGLISH, LANGUAGES, Message, in_language, say
from perfscore._numbers import brief_decimal

__all__ = [
    "CODES",
    "FINDINGS",
    "SEVERITIES",
    "DocumentError",
    "ErrorCode",
    "ExpressionError",
    "FactsError",
    "Finding",
    "Location",
    "Message",
    "PerfscoreError",
    "Problem",
    "RubricError",
    "ScoringError",
    "Severity",
    "UsageError",
    "os_reason",
    "write_hint",
]

#: Every stable error code. mypy rejects a misspelt one where a `Problem` is built; the tests
#: keep it, `CODES` and docs/errors.md (a section per code) in step.
ErrorCode = Literal[
    # documents
    "file-not-found",
    "file-too-large",
    "path-outside-tree",
    "not-a-file",
    "output-failed",
    "encoding",
    "yaml-syntax",
    "json-syntax",
    "duplicate-key",
    "non-string-key",
    "yaml-alias",
    "yaml-tag",
    "yaml-multiple-documents",
    "too-deep",
    "too-many-nodes",
    "forbidden-character",
    # workbooks (xlsx)
    "missing-extra",
    "not-a-workbook",
    "workbook-too-large",
    "workbook-macros",
    "workbook-external-link",
    "workbook-map",
    "formula-no-value",
    "formula-cached",
    "unread-cell",
    "empty-list",
    # rubric structure
    "unknown-key",
    "missing-key",
    "invalid-type",
    "invalid-value",
    "invalid-id",
    "duplicate-id",
    "unsupported-format",
    "group-sum",
    "band-range",
    "cycle",
    "shadowed-name",
    "optional-fact",
    # formulas
    "formula-syntax",
    "formula-forbidden",
    "formula-too-complex",
    "unknown-name",
    "unknown-function",
    "unknown-field",
    "formula-type",
    "formula-arguments",
    "template",
    # facts documents
    "missing-fact",
    "unknown-fact",
    "fact-type",
    "out-of-bounds",
    "not-finite",
    "rubric-mismatch",
    "unknown-indicator",
    "not-applicable-forbidden",
    "tier-mismatch",
    "invalid-marker",
    "unknown-not-allowed",
    # scoring
    "zero-division",
    "invalid-operation",
    "no-band",
    "empty-records",
    "number-too-large",
    "missing-value",
    # usage
    "bad-argument",
    "rubric-not-found",
    # check findings (perfscore check; their severities are in FINDINGS)
    "unused-fact",
    "unused-optional-fact",
    "unused-derived",
    "band-gap",
    "band-above-max",
    "band-overlap",
    "band-shadowed",
    "band-unreachable",
    "otherwise-unreachable",
    "possible-zero-division",
    "possible-empty-list",
    "never-applies",
    "per-unit-never-deducts",
    "checklist-exceeds-max",
    "always-clamped",
    "max-unreachable",
    "unreachable-grade",
    "full-width-character",
    "dead-plausible-range",
    "constant-literal",
    "unused-constant",
    "override-drops-keys",
    "monotonic-broken",
    "unknown-effect",
]

#: How serious a problem is. Errors stop loading or scoring; `perfscore check` also reports
#: warnings and notes, and exits non-zero on errors (and on warnings with ``--strict``).
Severity = Literal["error", "warning", "note"]

#: Severities, most serious first.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")

#: Every code with a one-line title.
CODES: dict[ErrorCode, str] = {
    # documents
    "file-not-found": "the file does not exist or cannot be opened",
    "file-too-large": "the file is larger than the size limit",
    "path-outside-tree": "a reference leaves the including file's directory tree",
    "not-a-file": "a pipe, device or folder was given where a file is expected",
    "output-failed": "the output could not be written (disk full, pipe closed)",
    "encoding": "the file is not valid UTF-8",
    "yaml-syntax": "the file is not well-formed YAML",
    "json-syntax": "the file is not well-formed JSON",
    "duplicate-key": "a mapping has the same key twice",
    "non-string-key": "a mapping key is not a string",
    "yaml-alias": "anchors, aliases and merge keys are not allowed",
    "yaml-tag": "explicit YAML tags are not allowed",
    "yaml-multiple-documents": "a file holds more than one YAML document",
    "too-deep": "the document nests deeper than the limit",
    "too-many-nodes": "the document has more values than the limit",
    "forbidden-character": "a control, bidi or otherwise invisible character",
    # workbooks (xlsx)
    "missing-extra": "reading or writing this needs an optional dependency that is not installed",
    "not-a-workbook": "the file is not an xlsx workbook perfscore can read",
    "workbook-too-large": "the workbook unpacks to more data or cells than the limit",
    "workbook-macros": "the workbook carries macros (VBA), which are not read",
    "workbook-external-link": "the workbook links to other workbooks",
    "workbook-map": "the template's hidden cell map is missing or was changed",
    "formula-no-value": "a cell holds a formula without a computed value, or an error value",
    "formula-cached": "a cell holds a formula; its last computed value was read (a warning)",
    "unread-cell": "a cell of an official sheet that could not be read (a warning)",
    "empty-list": "a required list's sheet of a workbook holds no record: none are scored (a "
    "warning)",
    # rubric structure
    "unknown-key": "a key the format does not define",
    "missing-key": "a required key is absent",
    "invalid-type": "a value of the wrong type",
    "invalid-value": "a value outside what the key accepts",
    "invalid-id": "an id that is not an ASCII identifier",
    "duplicate-id": "two facts, derived values, indicators or checks share an id",
    "unsupported-format": "the rubric's format version is not supported",
    "group-sum": "a group's max is not the sum of its children's max",
    "band-range": "a band's range cannot be read",
    "cycle": "derived values depend on each other in a cycle",
    "shadowed-name": "a derived value has the same id as a fact",
    "optional-fact": "a fact without a value is read where a value is needed",
    # formulas
    "formula-syntax": "a formula is not a valid expression",
    "formula-forbidden": "a formula uses a construct outside the language",
    "formula-too-complex": "a formula is longer, deeper or larger than the limit",
    "unknown-name": "a formula reads a name that is not a fact or derived value",
    "unknown-function": "a formula calls a function that is not in the allow-list",
    "unknown-field": "a formula names a field a list fact's records do not have",
    "formula-type": "a formula combines values of incompatible types",
    "formula-arguments": "a function is called with the wrong number or kind of arguments",
    "template": "a reason or message template cannot be rendered",
    # facts documents
    "missing-fact": "a required fact is absent",
    "unknown-fact": "a fact the rubric does not declare",
    "fact-type": "a fact's value has the wrong type",
    "out-of-bounds": "a fact's value is outside its declared bounds",
    "not-finite": "a number is NaN or infinite",
    "rubric-mismatch": "the facts document was written for another rubric or version",
    "unknown-indicator": "an indicator id the rubric does not declare",
    "not-applicable-forbidden": "an indicator that may not be marked not applicable",
    "tier-mismatch": "an assessed score falls outside its tier",
    "invalid-marker": "a value marked unknown or doubtful is written wrongly",
    "unknown-not-allowed": "a value that must be known (a list, a record's points) is unknown",
    # scoring
    "zero-division": "a formula divides by zero",
    "invalid-operation": "a formula's arithmetic is undefined for these values",
    "no-band": "no band matched and the table has no otherwise",
    "empty-records": "a group whose indicators come from a list has none",
    "number-too-large": "a value exceeds the exact-arithmetic limits",
    "missing-value": "a formula read an optional fact or field that has no value",
    # usage
    "bad-argument": "a command-line argument or API argument is wrong",
    "rubric-not-found": "no bundled or given rubric matches the reference",
    # check findings (perfscore check; their severities are in FINDINGS)
    "unused-fact": "a fact no indicator, check or template reads",
    "unused-optional-fact": "an optional fact no indicator, check or template reads",
    "unused-derived": "a derived value no indicator, check or template reads",
    "band-gap": "values the measure can take fall in no band, or between bands into otherwise",
    "band-above-max": "a band's score is above the indicator's max, so the band scores the max",
    "band-overlap": "a band shares values with an earlier band, which scores them",
    "band-shadowed": "earlier bands cover every value of a band",
    "band-unreachable": "a band no value of the measure can reach",
    "otherwise-unreachable": "the bands cover every value, so 'otherwise' never applies",
    "possible-zero-division": "a division by a value that may be 0",
    "possible-empty-list": "a mean of a list that may have no records",
    "never-applies": "a condition that can never be true",
    "per-unit-never-deducts": "a per-unit measure that is never positive",
    "checklist-exceeds-max": "checklist items can deduct more than the indicator's points",
    "always-clamped": "a raw score above the max (or below 0) for every value the bounds allow",
    "max-unreachable": "an indicator whose rules cannot give its max",
    "unreachable-grade": "a grade no total can reach",
    "full-width-character": "a full-width brace, letter or digit where ASCII is meant",
    "dead-plausible-range": "a plausible range no allowed value lies in",
    "constant-literal": "a number written out where a constant with that value is declared",
    "unused-constant": "a constant no formula, range or template reads",
    "override-drops-keys": "an extends override replaced a method block without some of its keys",
    "monotonic-broken": "a declared monotonic promise has a counterexample (check --properties)",
    "unknown-effect": "the indicators a fact leaves a range when it is unknown (check --unknowns)",
}

#: The codes `perfscore check` reports, each with its severity; docs/errors.md, "Check findings".
FINDINGS: dict[ErrorCode, Severity] = {
    "unused-fact": "warning",
    "unused-optional-fact": "note",
    "unused-derived": "warning",
    "band-gap": "warning",
    "band-above-max": "warning",
    "band-overlap": "warning",
    "band-shadowed": "error",
    "band-unreachable": "warning",
    "otherwise-unreachable": "note",
    "possible-zero-division": "warning",
    "possible-empty-list": "warning",
    "never-applies": "warning",
    "per-unit-never-deducts": "warning",
    "checklist-exceeds-max": "note",
    "always-clamped": "warning",
    "max-unreachable": "warning",
    "unreachable-grade": "note",
    "full-width-character": "warning",
    "dead-plausible-range": "warning",
    "constant-literal": "warning",
    "unused-constant": "warning",
    "override-drops-keys": "warning",
    "monotonic-broken": "error",
    "unknown-effect": "note",
}


@dataclass(frozen=True)
class Location:
    """Where a value stands in a file: 1-based line and column, or only the file.

    In a workbook, `sheet` names the worksheet, `line` is the row and `column` the column
    number, rendered as a cell reference (``facts.xlsx:事实!C7``); `label` is the text a person
    sees beside the cell (the fact's label), rendered after it.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    label: str | None = None

    def cell(self) -> str | None:
        """The workbook reference ``事实!C7`` (``事实`` for the sheet alone), or None."""
        if self.sheet is None:
            return None
        cell = sheet_reference(self.sheet)
        if self.line is not None and self.column is not None:
            cell += f"!{column_letter(self.column)}{self.line}"
        elif self.line is not None:
            cell += f"!{self.line}:{self.line}"
        return cell

    def __str__(self) -> str:
        cell = self.cell()
        if cell is not None:
            cell = f"{self.file or '<input>'}:{cell}"
            return f"{cell} ({self.label})" if self.label else cell
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with a stable `code`, where it is and how serious.

    Errors carry problems; `perfscore check` returns them as its findings (`Finding` is the same
    class), each with the severity `FINDINGS` gives its code.
    """

    code: ErrorCode
    message: str
    location: Location | None = None
    subject: str | None = None
    hint: str | None = None
    details: tuple[tuple[str, str], ...] = field(default=())
    severity: Severity = "error"

    def __post_init__(self) -> None:
        # codes and severities also come from outside mypy's sight (pydantic errors, user code)
        if self.code not in CODES:
            raise ValueError(f"unregistered error code {self.code!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def render(self, language: str | None = None) -> str:
        """Render as ``file:line:col: subject: message [code]`` plus detail and hint lines.

        A check finding names its severity after the location (``warning: ...``): it may be only
        a note. A problem an error carries has always stopped the work, so it goes without.
        With a `language`, every part that is a `Message` is said in it (the layout words too);
        without one, the problem renders in English, exactly as `str` shows it.
        """
        lang = _language("Problem.render", language)
        head = f"{self.location}: " if self.location is not None else ""
        severity = f"{say(lang, 'severity-' + self.severity)}: " if self.code in FINDINGS else ""
        subject = f"{in_language(self.subject, lang)}: " if self.subject else ""
        message = in_language(self.message, lang)
        lines = [f"{head}{severity}{subject}{message} [{self.code}]"]
        details = [(str(in_language(k, lang)), str(in_language(v, lang))) for k, v in self.details]
        width = max((len(k) for k, _ in details), default=0)
        lines.extend(f"    {k + ':':<{width + 1}} {v}" for k, v in details)
        if self.hint:
            lines.append("    " + say(lang, "hint", hint=in_language(self.hint, lang)))
        return "\n".join(lines)

    def to_dict(self, language: str | None = None) -> dict[str, object]:
        """The problem as JSON-ready data, for editors and CI (``perfscore check --format json``).

        The keys are the same for a check finding and for a problem that stopped loading, so one
        reader handles both; `details` are left out. `subject`, `message` and `hint` are said in
        `language` where they are messages (English without one).
        """
        lang = _language("Problem.to_dict", language)
        location = self.location
        data: dict[str, object] = {
            "file": location.file if location else None,
            "line": location.line if location else None,
            "column": location.column if location else None,
            "severity": self.severity,
            "code": self.code,
            "subject": _text(self.subject, lang),
            "message": _text(self.message, lang),
            "hint": _text(self.hint, lang),
        }
        if location is not None and location.sheet is not None:  # a workbook cell
            data["sheet"] = location.sheet
            data["cell"] = location.cell()
        return data


def _text(value: str | None, language: str) -> str | None:
    return None if value is None else str(in_language(value, language))


def _language(call: str, language: object) -> str:
    """The language a problem is said in: `language` when perfscore speaks it, English for
    None; any other value is a `UsageError` (a problem is never said in a language silently
    put in the place of the one asked for)."""
    if language is None:
        return ENGLISH
    if isinstance(language, str) and language in LANGUAGES:
        return language
    choices = ", ".join(repr(known) for known in LANGUAGES)
    expected = Message("usage-expected-language", choices=choices)
    raise bad_argument(call, "language", expected, language)


def bad_argument(
    call: str,
    parameter: str,
    expected: str,
    value: object,
    hint: str | None = None,
    *,
    got: str | None = None,
) -> UsageError:
    """The `UsageError` (``bad-argument``) of a public call given `value` for `parameter`;
    `got` says what was given when `describe(value)` would not say it well."""
    return UsageError(
        Problem(
            "bad-argument",
            Message(
                "usage-bad-argument",
                call=call,
                parameter=parameter,
                expected=expected,
                got=describe(value) if got is None else got,
            ),
            hint=hint,
        )
    )


#: What `perfscore check` reports: a problem with the severity of its code (`FINDINGS`).
Finding = Problem


class PerfscoreError(Exception):
    """Base of every error perfscore raises on bad input or a failed evaluation.

    `language` is the language of the rubric the error is about (``zh`` or ``en``) when the
    raiser knows it, else None. ``str(error)`` is always English, the stable text for logs and
    code; ``error.render(error.language or "zh")`` says it in the user's language.
    """

    kind = "error"

    def __init__(
        self,
        problems: Problem | Iterable[Problem],
        summary: str | None = None,
        *,
        language: str | None = None,
    ) -> None:
        # a str is iterable, but its letters are no problems
        given: tuple[object, ...] = (
            (problems,) if isinstance(problems, (Problem, str)) else tuple(problems)
        )
        if not given:
            raise ValueError("an error needs at least one problem")
        items = tuple(item for item in given if isinstance(item, Problem))
        if len(items) != len(given):
            wrong = next(item for item in given if not isinstance(item, Problem))
            raise TypeError(
                f"{type(self).__name__} takes perfscore.Problem objects, such as "
                f"Problem('bad-argument', 'what is wrong'), not {type(wrong).__name__}"
            )
        self.problems: tuple[Problem, ...] = items
        self.summary = summary
        self.language = language
        super().__init__(self.render())

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles its args, which here are the rendered text; rebuild from the problems
        # instead, so an error crosses a process boundary (multiprocessing, pytest-xdist) intact.
        return type(self), (self.problems, self.summary), self.__dict__

    # Two errors are equal when they are of one class and say the same: the same problems, the
    # same summary and attributes. An error that came back from a worker process then equals the
    # one raised in this process for the same input; tracebacks and causes are not compared.
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, PerfscoreError)
        return vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), self.problems, self.summary))

    @property
    def code(self) -> str:
        """The code of the first problem."""
        return self.problems[0].code

    @property
    def location(self) -> Location | None:
        """The location of the first problem."""
        return self.problems[0].location

    @property
    def subject(self) -> str | None:
        """What the first problem is about, e.g. ``indicator 'spend_rate'``."""
        return self.problems[0].subject

    @property
    def hint(self) -> str | None:
        """The first problem's suggested fix, if any."""
        return self.problems[0].hint

    def render(self, language: str | None = None) -> str:
        """All problems, one block each, under a summary line when there are several.

        In English without a `language`; with one, every `Message` part is said in it.
        """
        lang = _language(f"{type(self).__name__}.render", language)
        blocks = [p.render(language) for p in self.problems]
        if len(self.problems) == 1 and self.summary is None:
            return blocks[0]
        head = str(in_language(self.summary, lang)) if self.summary else None
        head = head or say(lang, "problems", count=len(self.problems))
        return "\n".join([head, *("  " + b.replace("\n", "\n  ") for b in blocks)])

    def __str__(self) -> str:
        return self.render()


class DocumentError(PerfscoreError):
    """A file cannot be read as a YAML or JSON document."""


class RubricError(PerfscoreError):
    """A rubric is malformed; `problems` lists everything found."""


class FactsError(PerfscoreError):
    """A facts document does not fit its rubric; `problems` lists everything found."""


class ScoringError(PerfscoreError):
    """Scoring stopped at a runtime failure."""


class ExpressionError(ScoringError):
    """A formula failed while scoring; names the indicator, the formula and its inputs.

    `path` leads to the one value the formula failed on, when one alone did (the fact it
    divided by, which was 0): ``("budget",)``; else ``()``. `Rubric.evaluate` of a facts
    document then puts the problem at that value in the document, the formula's own place a
    detail after it.
    """

    path: tuple[str | int, ...] = ()


class UsageError(PerfscoreError):
    """A call or command-line argument is wrong."""


def column_letter(column: int) -> str:
    """A 1-based column number as a spreadsheet's letters: 1 -> ``A``, 28 -> ``AB``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters or "?"


def sheet_reference(sheet: str) -> str:
    """A sheet name as a cell reference writes it: quoted when it holds spaces or punctuation."""
    if sheet and all(ch.isalnum() or ch == "_" for ch in sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def suggest(name: str, known: Sequence[str] | Iterable[str]) -> str | None:
    """Return ``did you mean 'x'?`` for the closest known name, or None."""
    import difflib

    matches = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return Message("hint-did-you-mean", name=matches[0]) if matches else None


def scorecard_ref(data: object) -> str | None:
    """The ``id@version`` a scorecard's JSON was scored with, when `data` is one (its
    ``format``, ``rubric`` block and ``indicators``); None for anything else."""
    if not isinstance(data, dict) or "format" not in data or "indicators" not in data:
        return None
    rubric = data.get("rubric")
    if not isinstance(rubric, dict):
        return None
    return f"{str(rubric.get('id', '?'))[:60]}@{str(rubric.get('version', '?'))[:30]}"


def describe(value: object) -> str:
    """What a value is, for messages: ``number 5.5``, ``text '95%'``, ``nothing (null)``."""
    if value is None:
        return Message("value-null")
    if isinstance(value, bool):
        return Message("value-boolean", value=str(value).lower())
    if isinstance(value, (int, Decimal)):
        return Message("value-number", value=brief_decimal(Decimal(value)))
    if isinstance(value, str):
        return Message("value-text", value=short_repr(value))
    if isinstance(value, dict):
        return Message("value-mapping")
    if isinstance(value, (list, tuple)):
        return Message("value-list")
    if isinstance(value, float):
        return Message("value-float", value=short_repr(value))
    if isinstance(value, dt.datetime):
        return Message("value-datetime", value=value.isoformat(sep=" "))
    if isinstance(value, dt.date):
        return Message("value-date", value=value.isoformat())
    return Message("value-other", kind=type(value).__name__, value=short_repr(value))


def short_repr(value: object, limit: int = 60) -> str:
    """A repr cut to `limit` characters, safe for hostile values in messages."""
    if isinstance(value, (list, tuple, dict, set)):
        text = f"<{type(value).__name__} of {len(value)} items>"
    else:
        try:
            text = repr(value)
        except Exception:  # noqa: BLE001 - a failing repr must not hide the real error
            text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- files the system would not open or write ---------------------------------------------------

#: the usual causes of an `OSError`, by errno, in the catalogue's words
_OS_REASONS = {
    errno.ENOENT: "os-not-found",
    errno.EACCES: "os-permission",
    errno.EPERM: "os-permission",
    errno.ENOSPC: "os-no-space",
    getattr(errno, "EDQUOT", errno.ENOSPC): "os-no-space",
    errno.EISDIR: "os-is-folder",
    errno.ENOTDIR: "os-not-a-folder",
    errno.EROFS: "os-read-only",
}
#: what to do about each, when a file was to be written
_WRITE_HINTS = {
    "os-permission": "os-hint-permission",
    "os-read-only": "os-hint-permission",
    "os-is-folder": "os-hint-is-folder",
    "os-no-space": "os-hint-no-space",
}


def os_reason(exc: BaseException) -> str:
    """Why a file could not be opened or written: the usual causes in the catalogue's words
    (the system says them in its own language, English on most servers), else its own text."""
    if isinstance(exc, OSError):
        key = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
        if key is not None:
            return Message(key)
        if exc.strerror:
            return exc.strerror
    return str(exc) or type(exc).__name__


def write_hint(exc: OSError) -> Message:
    """What to do when `exc` stopped a file being written: make the missing folder (named),
    choose a place one may write to, move a folder that stands in the way, free some space,
    or write elsewhere."""
    key = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    if key in ("os-not-found", "os-not-a-folder") and exc.filename is not None:
        folder = os.path.dirname(os.path.abspath(os.fsdecode(exc.filename)))
        if not os.path.isdir(folder):  # (a folder that is there may still refuse new files)
            return Message("os-hint-no-folder", folder=os.path.dirname(os.fsdecode(exc.filename)))
    return Message(_WRITE_HINTS.get(key or "", "os-hint-elsewhere"))
