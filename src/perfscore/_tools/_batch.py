"""Many facts documents at once: what ``perfscore score PATH...`` does with a whole bureau.

The arguments are expanded into `Source`s (files, folders searched for documents, ``-`` for
stdin, one source per line of a ``.jsonl`` file). Each source is read and scored on its own
(`score_source`), in worker processes when asked (`run_batch`), and becomes one `Row` of the
summary: the scored document's total, grade, claimed total and counts of findings, or, for an
input that could not be used, what was wrong with it. One unusable input never stops the
batch. The rows are ranked (`rank_rows`) and written as a table, CSV, JSON or xlsx.
"""

from __future__ import annotations

import bisect
import csv
import functools
import importlib
import io
import os
import stat
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from perfscore._errors import (
    DocumentError,
    Location,
    PerfscoreError,
    Problem,
    UsageError,
    os_reason,
    write_hint,
)
from perfscore._load._document import Document, parse_document, utf8_or
from perfscore._load._facts import (
    FACTS_FILE_SUFFIXES,
    FactsDocument,
    documents_in,
    read_facts_document,
)
from perfscore._load._xlsx import is_workbook_path
from perfscore._messages import Message
from perfscore._messages import in_language as said_in
from perfscore._numbers import format_decimal
from perfscore._output._scorecard import FailOn, Scorecard, dump_json
from perfscore._output._text import escape_cell, pad_left, pad_right, width
from perfscore._output._words import DEFAULT_LANGUAGE, SUMMARY, in_language
from perfscore._output._xlsx import as_text
from perfscore._rubric import Rubric, find_rubric, listed_rubrics, load_facts, load_rubric

__all__ = [
    "BINARY_FORMATS",
    "COLUMNS",
    "DOCUMENT_SUFFIXES",
    "SCORECARD_FORMATS",
    "SUMMARY_SUFFIXES",
    "Options",
    "Row",
    "ScorecardFormat",
    "Source",
    "check_outputs",
    "clear_rubrics",
    "expand_inputs",
    "file_sources",
    "load_rubric_ref",
    "rank_rows",
    "relaid",
    "resolve_rubric",
    "run_batch",
    "score_source",
    "summary_language",
    "without_repeats",
    "write_summary",
]

#: What a folder is searched for; ``*.cases.yaml`` (rubric test cases) are skipped. Every
#: spreadsheet's name is taken, so an old .xls report is listed as unusable (save it as .xlsx),
#: never passed over.
DOCUMENT_SUFFIXES = (*FACTS_FILE_SUFFIXES, ".jsonl")
#: The summary files ``--summary FILE`` can write, by suffix.
SUMMARY_SUFFIXES = (".csv", ".json", ".xlsx")

Failure = Literal["input", "output", "internal"]


@dataclass(frozen=True)
class ScorecardFormat:
    """One ``--format`` of a scorecard: its file suffix and how a scorecard is written in it."""

    suffix: str
    render: Callable[[Scorecard], str | bytes]


def _json(card: Scorecard) -> str:
    return card.to_json() + "\n"


#: Every scorecard format, the one place a format is chosen: for a single document on stdout
#: or in ``-o FILE``, and for each document of a batch in ``-o DIR``. A renderer returning
#: bytes (a spreadsheet) is written as bytes.
SCORECARD_FORMATS: dict[str, ScorecardFormat] = {
    "text": ScorecardFormat(".txt", Scorecard.explain),
    "json": ScorecardFormat(".json", _json),
    "markdown": ScorecardFormat(".md", Scorecard.to_markdown),
    "html": ScorecardFormat(".html", Scorecard.to_html),
    "xlsx": ScorecardFormat(".xlsx", Scorecard.to_xlsx),
    "docx": ScorecardFormat(".docx", Scorecard.to_docx),
}

#: The formats that are files, not text: never written to a terminal.
BINARY_FORMATS = frozenset({"xlsx", "docx"})


def relaid(card: Scorecard, layout: str | None) -> Scorecard:
    """`card` with the official table of its spreadsheet and Word forms set to `layout`."""
    if layout is None or layout == card.rubric.layout:
        return card
    return card.model_copy(update={"rubric": replace(card.rubric, layout=layout)})


@dataclass(frozen=True)
class Source:
    """One document to score, as the arguments name it."""

    name: str  # in the summary and in stderr: a path, ``-``, or ``file.jsonl:3``
    path: str | None = None  # the file to read; None when `data` holds the bytes
    data: bytes | None = None  # stdin's bytes, or one JSONL line
    line: int | None = None  # the line of a JSONL file `data` comes from
    stem: str = "stdin"  # the scorecard's name under ``-o DIR``, without a suffix
    problem: PerfscoreError | None = None  # unusable already: a path that is not there


@dataclass(frozen=True)
class Options:
    """How every document of a batch is scored and written (picklable, for the workers)."""

    rubric: str | None = None  # --rubric: one rubric for every document
    rubric_dirs: tuple[str, ...] = ()
    encoding: str | None = None
    trace: bool = True
    format: str = "text"
    output_dir: str | None = None  # write each scorecard here
    fail_on: FailOn | None = None  # --fail-on: the level of finding that fails the run
    layout: str | None = None  # --layout: the official table of xlsx and docx scorecards


@dataclass(frozen=True)
class Row:
    """One line of the summary: a scored document, or an input that could not be used."""

    input: str
    subject: str | None = None
    period: str | None = None
    rubric: str | None = None
    language: str | None = None
    total: Decimal | None = None
    #: the reachable totals of a document with unknown values (its `total` is then None)
    total_range: tuple[Decimal, Decimal] | None = None
    grade: str | None = None
    claimed_total: Decimal | None = None
    discrepancies: int | None = None  # claimed scores that differ, as the report counts them
    warnings: int | None = None
    has_findings: bool = False
    fails: bool = False  # a finding reaches the --fail-on level
    rank: int | None = None  # among the documents scored by the same rubric; ties share
    problem: str | None = None  # the first problem, on one line
    error: str | None = None  # the whole error, as stderr shows it
    failure: Failure | None = None
    error_kind: str | None = None  # the error's class name: FactsError, DocumentError...
    problems: tuple[dict[str, object], ...] = ()  # every problem, as `Problem.to_dict`
    written: str | None = None  # the scorecard's file under -o DIR
    #: the error of an unusable input, to say it again in the reader's language
    exception: PerfscoreError | None = field(default=None, compare=False, repr=False)
    #: what the reader of a workbook warned about (a formula's cached value read)
    reader_warnings: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def scored(
        cls,
        name: str,
        card: Scorecard,
        fail_on: FailOn | None = None,
        reader_warnings: Sequence[Problem] = (),
    ) -> Row:
        """The row of a scorecard; `fail_on` is the level of finding that fails the run.

        Its warnings count the scorecard's and `reader_warnings`, what the reader of the
        document warned about (a workbook formula's cached value): both are worth a look.
        """
        review = card.review
        return cls(
            name,
            subject=card.subject,
            period=card.period,
            rubric=f"{card.rubric.id}@{card.rubric.version}",
            language=card.rubric.language,
            total=card.total,
            total_range=(
                (card.total_range.min, card.total_range.max) if card.total_range else None
            ),
            grade=card.grade if card.grade is not None else _grades(card),
            claimed_total=review.claimed_total if review else None,
            discrepancies=len(card.discrepancies),
            warnings=len(card.warnings) + len(reader_warnings),
            has_findings=card.has_findings,
            fails=fail_on is not None and card.fails_on(fail_on),
            reader_warnings=tuple(reader_warnings),
        )

    @classmethod
    def unusable(cls, name: str, exc: PerfscoreError, failure: Failure = "input") -> Row:
        """The row of an input that could not be read or scored."""
        first = exc.problems[0]
        where = f"{first.location}: " if first.location else ""
        more = f" (+{len(exc.problems) - 1})" if len(exc.problems) > 1 else ""
        problem = f"{where}{first.message} [{first.code}]{more}"
        error = f"{type(exc).__name__}: {exc.render()}"
        problems = tuple(p.to_dict() for p in exc.problems)
        kind = type(exc).__name__
        return cls(
            name,
            problem=problem,
            error=error,
            failure=failure,
            error_kind=kind,
            problems=problems,
            exception=exc,
        )

    def problem_in(self, language: str) -> str | None:
        """The first problem on one line (the summary's column), said in `language`."""
        if self.exception is None:
            return self.problem
        first = self.exception.problems[0]
        where = f"{first.location}: " if first.location else ""
        about = f"{said_in(first.subject, language)}: " if first.subject else ""  # 指标 'x'
        more = f" (+{len(self.exception.problems) - 1})" if len(self.exception.problems) > 1 else ""
        return f"{where}{about}{said_in(first.message, language)} [{first.code}]{more}"

    def error_in(self, language: str) -> str | None:
        """The whole error, as stderr shows it, said in `language`."""
        if self.exception is None:
            return self.error
        if self.error_kind == "InternalError":
            return f"perfscore: {said_in(self.exception.problems[0].message, language)}"
        if self.error_kind == "OutputError":  # as a single document's output failure says it
            return f"perfscore: {self.exception.render(language)}"
        return f"{type(self.exception).__name__}: {self.exception.render(language)}"

    def problems_in(self, language: str) -> list[dict[str, object]]:
        """Every problem as `Problem.to_dict`, said in `language`."""
        if self.exception is None:
            return list(self.problems)
        return [p.to_dict(language) for p in self.exception.problems]


# inputs ---------------------------------------------------------------------------------------


def expand_inputs(paths: Sequence[str], read_stdin: Callable[[], bytes]) -> list[Source]:
    """The documents the arguments name, in order.

    A folder is searched (recursively, sorted, hidden entries skipped) for `DOCUMENT_SUFFIXES`;
    a file is taken whatever its suffix (the reader decides); ``-`` is stdin, read once; a
    ``.jsonl`` file gives one source per non-blank line. A path that does not exist, or a
    folder holding no document, is a source that is unusable already.
    """
    sources: list[Source] = []
    stdin: bytes | None = None
    for name in paths:
        if name == "-":  # read once: a second ``-`` is the same document, a repeat
            stdin = read_stdin() if stdin is None else stdin
            sources.append(Source("-", data=stdin, stem="stdin"))
            continue
        path = Path(name)
        if path.is_dir():
            found = _documents_in(path)
            if not found:
                problem = Problem(
                    "file-not-found",
                    Message("batch-empty-folder", name=name),
                    hint=Message("batch-empty-folder-hint", suffixes=", ".join(DOCUMENT_SUFFIXES)),
                )
                sources.append(Source(name, path=name, problem=UsageError(problem)))
            for file in found:
                stem = file.relative_to(path).with_suffix("").as_posix()
                sources.extend(file_sources(str(file), stem))
        elif path.exists():
            sources.extend(file_sources(name, path.stem))
        else:
            problem = Problem("file-not-found", Message("batch-no-such-path", name=name))
            sources.append(Source(name, path=name, problem=UsageError(problem)))
    return sources


def without_repeats(sources: Sequence[Source]) -> tuple[list[Source], list[tuple[Source, Source]]]:
    """`sources` with each document once (the same file, or JSONL line, named twice: by two
    arguments, or by a folder and a file in it), and each repeat left out beside the first."""
    first: dict[tuple[str, int | None], Source] = {}
    kept: list[Source] = []
    repeats: list[tuple[Source, Source]] = []
    for source in sources:
        if source.problem is not None or (source.path is None and source.name != "-"):
            kept.append(source)
            continue
        key = ("-" if source.path is None else os.path.realpath(source.path), source.line)
        if key in first:
            repeats.append((source, first[key]))
            continue
        first[key] = source
        kept.append(source)
    return kept, repeats


def _documents_in(folder: Path) -> list[Path]:
    return documents_in(folder, DOCUMENT_SUFFIXES)


def file_sources(name: str, stem: str) -> list[Source]:
    """The sources of one file: itself, or one per non-blank line of a ``.jsonl`` file (an
    unreadable one a source that is unusable already)."""
    if not name.lower().endswith(".jsonl"):
        return [Source(name, path=name, stem=stem)]
    try:
        with open(name, "rb") as stream:
            lines = stream.read().split(b"\n")
    except OSError as exc:
        reason = os_reason(exc)
        problem = Problem("file-not-found", Message("batch-cannot-open", name=name, reason=reason))
        return [Source(name, path=name, problem=DocumentError(problem))]
    return [
        Source(f"{name}:{number}", path=name, data=text, line=number, stem=f"{stem}-{number}")
        for number, text in enumerate(lines, start=1)
        if text.strip()
    ]


def read_source(
    source: Source, encoding: str | None = None, rubric: Rubric | None = None
) -> FactsDocument:
    """The facts document of one source; located errors name its file (and JSONL line).

    `rubric` (``--rubric``): a workbook in the official 项目支出绩效自评表 layout is read as
    facts for it, not for the newest bundled project-sheet-national.

    Raises:
        PerfscoreError: the source cannot be read, parsed or is not a facts document.
    """
    if source.problem is not None:
        raise source.problem
    if source.data is None:
        assert source.path is not None
        if rubric is not None and is_workbook_path(source.path):
            return load_facts(source.path, rubric=rubric)
        return utf8_or(load_facts, source.path, encoding)
    name = source.path if source.path is not None else "<stdin>"
    fmt = "json" if source.line is not None else None
    try:
        if fmt is None and _looks_like_json(source.data):  # stdin: JSON says its errors better
            document = _parse_json_or_yaml(source.data, name, encoding)
        else:
            document = _parse(source.data, name, encoding, fmt)
    except DocumentError as exc:
        raise _shifted_error(exc, source.line) if source.line else exc from None
    if source.line:
        document = _shifted(document, source.line - 1)
    return read_facts_document(document)


def _looks_like_json(data: bytes) -> bool:
    """Whether stdin's bytes are a JSON object: they start with '{' (after a BOM and blanks)
    and have no name to tell. A YAML facts document starts with a key or a comment, never with
    '{' but as a flow mapping, which JSON reads the same and says better when it is broken."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{"


def _parse_json_or_yaml(data: bytes, name: str, encoding: str | None) -> Document:
    """Nameless bytes that start like JSON: read as JSON; when that fails and YAML reads them
    (a YAML flow mapping with bare keys), as YAML; else JSON's error, which names the slip."""
    try:
        return _parse(data, name, encoding, "json")
    except DocumentError as exc:
        if exc.code != "json-syntax":
            raise
        try:
            return _parse(data, name, encoding, None)
        except DocumentError:
            raise exc from None


def _parse(data: bytes, name: str, encoding: str | None, fmt: str | None) -> Document:
    try:
        return parse_document(data, name=name, format=fmt)
    except DocumentError as exc:
        if encoding is None or exc.code != "encoding":
            raise
    return parse_document(data, name=name, encoding=encoding, format=fmt)


def _shifted(document: Document, lines: int) -> Document:
    """`document` parsed from one line of a file, with its positions on that line of the file."""

    def shift(
        positions: Mapping[tuple[str | int, ...], tuple[int, int]],
    ) -> dict[tuple[str | int, ...], tuple[int, int]]:
        return {path: (line + lines, column) for path, (line, column) in positions.items()}

    return Document(
        document.name,
        document.data,
        shift(document.value_positions),
        shift(document.key_positions),
    )


def _shifted_error(exc: DocumentError, line: int) -> DocumentError:
    def moved(location: Location | None) -> Location | None:
        if location is None or location.line is None:
            return location
        return replace(location, line=location.line + line - 1)

    problems = [replace(p, location=moved(p.location)) for p in exc.problems]
    return DocumentError(problems, exc.summary)


# scoring --------------------------------------------------------------------------------------


def resolve_rubric(
    facts: FactsDocument,
    rubric: str | None = None,
    *,
    dirs: Sequence[str] = (),
    encoding: str | None = None,
) -> Rubric:
    """The rubric to score `facts` by: `rubric` (a file or ``id@version``) or the document's own.

    An ``id@version`` is looked up in the search path (`dirs`, then ``PERFSCORE_RUBRIC_PATH``)
    and among the bundled rubrics; the document's ``rubric:`` line is where a reference that
    resolves nowhere is reported.

    Raises:
        UsageError: the document names no rubric, or its reference resolves nowhere.
        PerfscoreError: the rubric cannot be loaded.
    """
    if rubric:
        return load_rubric_ref(rubric, dirs, encoding)
    if facts.rubric_id is None:
        raise UsageError(
            Problem(
                "bad-argument",
                Message("batch-no-rubric"),
                facts.locate(()),  # the document: in a batch, which of them
                hint=Message("batch-no-rubric-hint"),
            )
        )
    ref = f"{facts.rubric_id}@{facts.rubric_version}"
    try:
        path = _found(ref, tuple(dirs))
    except UsageError:  # report it at the document's rubric: line
        path = find_rubric(ref, dirs=dirs, where=facts.locate(("rubric",)))
    return load_rubric_ref(str(path), dirs, encoding)


@functools.lru_cache(maxsize=256)
def _found(ref: str, dirs: tuple[str, ...]) -> Path:
    """Where ``id@version`` resolves, looked up once per batch (`clear_rubrics` forgets it)."""
    return find_rubric(ref, dirs=dirs)


def given_rubric(source: Source, options: Options) -> Rubric | None:
    """The ``--rubric`` a workbook source is read for (None for other sources, or without it)."""
    if not options.rubric or source.path is None or not is_workbook_path(source.path):
        return None
    return load_rubric_ref(options.rubric, options.rubric_dirs, options.encoding)


def load_rubric_ref(ref: str, dirs: Sequence[str] = (), encoding: str | None = None) -> Rubric:
    """A rubric file or ``id@version`` (search path, then bundled), loaded once per batch.

    A batch names the same few rubrics many times; a rubric is immutable, so sharing it is safe.
    The cache is keyed by the file's identity and modification time, and `clear_rubrics`
    empties it at the start of every command.

    Raises:
        PerfscoreError: the rubric cannot be found or loaded.
    """
    path = str(find_rubric(ref, dirs=dirs)) if "@" in ref and not Path(ref).exists() else ref
    try:
        status = os.stat(path)
    except OSError:
        _versionless(ref, dirs)
        return utf8_or(load_rubric, path, encoding)  # reports the file that is not there
    key = (path, os.path.realpath(path), status.st_mtime_ns, status.st_size, encoding)
    return _cached_rubric(*key)


def _versionless(ref: str, dirs: Sequence[str]) -> None:
    """UsageError when `ref`, no file, is the id of rubrics that resolve as ``id@version``:
    the versions it has, not "no such file"."""
    if "@" in ref or "/" in ref or os.sep in ref:
        return
    versions = [name for name, _ in listed_rubrics(dirs) if name.partition("@")[0] == ref]
    if versions:
        versions = list(dict.fromkeys(versions))  # a shadowed reference once
        raise UsageError(
            Problem(
                "rubric-not-found",
                Message("rubric-needs-version", id=ref),
                hint=Message("rubric-hint-versions", id=ref, versions=", ".join(versions)),
            )
        )


@functools.lru_cache(maxsize=64)
def _cached_rubric(path: str, real: str, mtime: int, size: int, encoding: str | None) -> Rubric:
    return utf8_or(load_rubric, path, encoding)


def clear_rubrics() -> None:
    """Forget the rubrics `load_rubric_ref` has loaded and where references resolved."""
    _cached_rubric.cache_clear()
    _found.cache_clear()


def score_source(source: Source, options: Options) -> Row:
    """Read, score and (with an output folder) write one document; never raises for it.

    A perfscore error makes the row unusable (``failure="input"``), a scorecard that cannot be
    written ``"output"``, anything else ``"internal"`` (a bug, reported as such).
    """
    try:
        given = given_rubric(source, options)
        facts = (
            read_source(source, options.encoding)
            if given is None
            else read_source(source, options.encoding, given)
        )
        rubric = resolve_rubric(
            facts, options.rubric, dirs=options.rubric_dirs, encoding=options.encoding
        )
        card = rubric.evaluate(facts, trace=options.trace)
    except PerfscoreError as exc:
        return Row.unusable(source.name, exc)
    except Exception as exc:  # noqa: BLE001 - one document's bug must not end the batch
        error = str(exc)
        if os.environ.get("PERFSCORE_DEBUG"):
            error += "\n" + traceback.format_exc()
        message = Message("batch-internal", kind=type(exc).__name__, error=error)
        problem = Problem("bad-argument", message, hint=Message("batch-bug"))
        row = Row.unusable(source.name, UsageError(problem), "internal")
        return replace(row, error=f"perfscore: {message}", error_kind="InternalError")
    row = Row.scored(source.name, card, options.fail_on, facts.warnings)
    if options.output_dir is None:
        return row
    fmt = SCORECARD_FORMATS[options.format]
    target = Path(options.output_dir, source.stem + fmt.suffix)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        data = fmt.render(relaid(card, options.layout))
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    except OSError as exc:
        message = Message("batch-cannot-write", path=str(target), reason=os_reason(exc))
        problem = Problem("output-failed", message, hint=write_hint(exc))
        failed = Row.unusable(source.name, UsageError(problem), "output")
        return replace(
            row,
            problem=failed.problem,
            error=failed.error,
            failure="output",
            error_kind="OutputError",
            problems=failed.problems,
            exception=failed.exception,
        )
    return replace(row, written=str(target))


def check_outputs(sources: Sequence[Source], options: Options) -> None:
    """Refuse, before scoring, two documents that would be written to the same file.

    Raises:
        UsageError: two sources have the same name under ``-o DIR``.
    """
    if options.output_dir is None:
        return
    seen: dict[str, str] = {}
    suffix = SCORECARD_FORMATS[options.format].suffix
    for source in sources:
        if source.problem is not None:
            continue
        key = source.stem.casefold()  # one file on a case-insensitive disk
        if key in seen:
            target = Path(options.output_dir, source.stem + suffix)
            raise UsageError(
                Problem(
                    "bad-argument",
                    Message("batch-same-output", one=seen[key], other=source.name, target=target),
                    hint=Message("batch-same-output-hint"),
                )
            )
        seen[key] = source.name


def check_not_inputs(
    inputs: Iterable[tuple[str, str]], outputs: Iterable[tuple[str, Path]]
) -> None:
    """Refuse, before scoring, an output that is one of the files being scored: ``-o`` or
    ``--summary`` naming a facts file (by any path to it: a link, another spelling on a
    case-insensitive disk) would replace the document with its own scorecard.

    `inputs` are (name, path) of the files read; `outputs` (option, path) of the files written.

    Raises:
        UsageError: an output is an input (``bad-argument``).
    """
    read: dict[object, str] = {}
    for name, path in inputs:
        key = _file_key(path)
        if key is not None:
            read.setdefault(key, name)
    if not read:
        return
    for option, target in outputs:
        key = _file_key(target)
        if key is not None and key in read:
            raise UsageError(
                Problem(
                    "bad-argument",
                    Message("batch-output-is-input", option=option, target=target, name=read[key]),
                    hint=Message("batch-output-is-input-hint"),
                )
            )


def _file_key(path: str | os.PathLike[str]) -> object:
    """What names an existing regular file by any of its paths: its device and inode, or its
    real path where the file system gives no inode; None for anything else."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    if found.st_ino:
        return (found.st_dev, found.st_ino)
    return os.path.normcase(os.path.realpath(path))


def run_batch(
    sources: Sequence[Source],
    options: Options,
    *,
    jobs: int = 1,
    done: Callable[[], None] | None = None,
) -> list[Row]:
    """Score every source, in `jobs` worker processes when more than one; rows in input order.

    `done` is called once per document scored (a progress bar). With more than one job the
    documents go to the workers in chunks, read and scored there, so reading the files is
    spread over the workers too.
    """
    if jobs <= 1 or len(sources) <= 1:
        return [_counted(score_source(s, options), done) for s in sources]
    chunk = max(1, min(256, len(sources) // (jobs * 16)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        rows = pool.map(functools.partial(score_source, options=options), sources, chunksize=chunk)
        return [_counted(row, done) for row in rows]


def _counted(row: Row, done: Callable[[], None] | None) -> Row:
    if done is not None:
        done()
    return row


def rank_rows(rows: Sequence[Row]) -> list[Row]:
    """The rows with their rank by total among the rows of the same rubric (1 is the highest).

    Ties share a rank, and the next rank skips them (1, 1, 3); an unusable row has none.
    """
    totals: dict[str, list[Decimal]] = {}
    for row in rows:
        if row.total is not None and row.rubric is not None:
            totals.setdefault(row.rubric, []).append(row.total)
    for values in totals.values():
        values.sort()
    ranked = []
    for row in rows:
        if row.total is None or row.rubric is None:
            ranked.append(row)
            continue
        ordered = totals[row.rubric]
        higher = len(ordered) - bisect.bisect_right(ordered, row.total)
        ranked.append(replace(row, rank=1 + higher))
    return ranked


def _grades(card: Scorecard) -> str | None:
    """Every grade a document with unknown values can reach: ``良或优``, ``good or excellent``."""
    if not card.grades_possible:
        return None
    return ("或" if card.rubric.language == "zh" else " or ").join(card.grades_possible)


# the summary ----------------------------------------------------------------------------------

#: The summary's columns, in order; their headings are `SUMMARY` words.
COLUMNS = (
    "input",
    "subject",
    "period",
    "total",
    "grade",
    "claimed_total",
    "discrepancies",
    "warnings",
    "rank",
    "problem",
    "rubric",
)


def summary_language(rows: Iterable[Row], fallback: str | None = None) -> str:
    """The language of the first scored row's rubric (the summary's headings follow it)."""
    for row in rows:
        if row.language:
            return row.language
    return fallback or DEFAULT_LANGUAGE


def _cell(row: Row, column: str, language: str | None = None) -> str:
    value = row.problem_in(language) if column == "problem" and language else getattr(row, column)
    if column == "total" and value is None and row.total_range is not None:
        low, high = row.total_range
        return f"[{format_decimal(low)}, {format_decimal(high)}]"  # shown as every report does
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def _record(row: Row, language: str | None = None) -> dict[str, object]:
    """A row as JSON: exact numbers, null for what an unusable input has not got."""
    record: dict[str, object] = {c: getattr(row, c) for c in COLUMNS if c != "rubric"}
    if language is not None:
        record["problem"] = row.problem_in(language)
    if row.total_range is not None:
        record["total_range"] = {"min": row.total_range[0], "max": row.total_range[1]}
    record["rubric"] = row.rubric
    if row.written is not None:
        record["written"] = row.written
    return record


def summary_table(rows: Sequence[Row], language: str, *, markdown: bool = False) -> str:
    """The summary as an aligned text table (or a Markdown table) and a closing count line."""
    words = in_language(SUMMARY, language)
    # on screen, a problem column only when one is unusable, and the rubric only when the
    # batch has more than one (ranks are within a rubric); the files always have both
    rubrics = {r.rubric for r in rows if r.rubric is not None}
    shown = {"problem": any(r.problem for r in rows), "rubric": len(rubrics) > 1}
    columns = [c for c in COLUMNS if shown.get(c, True)]
    if "problem" in columns:  # the one long text, last, so that no column is padded to it
        columns = [*(c for c in columns if c != "problem"), "problem"]
    head = [words[c] for c in columns]
    body = [[_cell(r, c, language).replace("\n", " ") for c in columns] for r in rows]
    unusable = sum(1 for r in rows if r.failure == "input")
    counts = words["counts"].format(len(rows), len(rows) - unusable, unusable)
    numeric = {"total", "claimed_total", "discrepancies", "warnings", "rank"}
    if markdown:
        lines = ["| " + " | ".join(head) + " |"]
        lines.append("|" + "|".join("---:" if c in numeric else "---" for c in columns) + "|")
        lines += ["| " + " | ".join(escape_cell(v) for v in line) + " |" for line in body]
        return "\n".join(lines) + f"\n\n{counts}\n"
    widths = [max(width(t) for t in col) for col in zip(head, *body, strict=False)]
    out = []
    for line in [head, *body]:
        cells = [
            pad_left(v, w) if c in numeric else pad_right(v, w)
            for c, v, w in zip(columns, line, widths, strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + f"\n{counts}\n"


def summary_json(rows: Sequence[Row], language: str | None = None) -> str:
    """The summary as a JSON array of objects with English keys and exact numbers.

    With a `language`, each unusable input's problem is said in it (else English).
    """
    return dump_json([_record(r, language) for r in rows]) + "\n"


def summary_csv(rows: Sequence[Row], language: str) -> str:
    """The summary as CSV with a heading row in `language`."""
    words = in_language(SUMMARY, language)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(words[c] for c in COLUMNS)
    writer.writerows([_cell(r, c, language) for c in COLUMNS] for r in rows)
    return out.getvalue()


def summary_xlsx(rows: Sequence[Row], language: str) -> bytes:
    """The summary as an xlsx workbook: one sheet, a heading row, numbers as numbers.

    Raises:
        UsageError: openpyxl (the ``xlsx`` extra) is not installed.
    """
    openpyxl = require_openpyxl()
    words = in_language(SUMMARY, language)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "summary" if language == "en" else "汇总"
    sheet.append([words[c] for c in COLUMNS])
    for row in rows:
        # a spreadsheet number is a float: the exact text stays in the CSV and the JSON
        sheet.append(
            [
                _cell(row, c)
                if c == "total" and row.total_range
                else _xlsx_value(_value(row, c, language))
                for c in COLUMNS
            ]
        )
        _as_text(sheet[sheet.max_row])
    _as_text(sheet[1])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(row: Row, column: str, language: str) -> object:
    return row.problem_in(language) if column == "problem" else getattr(row, column)


def _xlsx_value(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def _as_text(cells: Sequence[Any]) -> None:
    """Each text cell stored as text, as the xlsx scorecard stores it (`as_text`): openpyxl
    takes a value beginning with '=' for a formula, which a spreadsheet would run (a subject of
    '=HYPERLINK(...)'). The text stays as it is, with Excel's quote prefix when it begins with
    = + - @, so editing the cell keeps it text."""
    for cell in cells:
        as_text(cell)


def require_openpyxl() -> ModuleType:
    """openpyxl, or a UsageError naming the extra that installs it."""
    try:
        return importlib.import_module("openpyxl")
    except ImportError:
        raise UsageError(
            Problem(
                "bad-argument",
                Message("batch-needs-openpyxl"),
                hint=Message("batch-needs-openpyxl-hint"),
            )
        ) from None


def check_summary_target(name: str) -> None:
    """Refuse, before scoring, a ``--summary`` file perfscore cannot write.

    Raises:
        UsageError: its suffix is not .csv, .json or .xlsx, or .xlsx without openpyxl.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in SUMMARY_SUFFIXES:
        raise UsageError(
            Problem(
                "bad-argument",
                Message(
                    "batch-summary-suffix", name=name, suffix=suffix or Message("batch-no-suffix")
                ),
                hint=Message("batch-summary-suffix-hint", suffixes=", ".join(SUMMARY_SUFFIXES)),
            )
        )
    if suffix == ".xlsx":
        require_openpyxl()


def write_summary(name: str, rows: Sequence[Row], language: str) -> None:
    """Write the summary to `name` in the format its suffix names.

    Raises:
        UsageError: the suffix is unknown, or .xlsx without openpyxl.
        OSError: the file cannot be written.
    """
    check_summary_target(name)
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        Path(name).write_bytes(summary_xlsx(rows, language))
    elif suffix == ".csv":
        # with a byte order mark, so a spreadsheet opens the Chinese headings as UTF-8
        Path(name).write_text(summary_csv(rows, language), encoding="utf-8-sig", newline="")
    else:
        Path(name).write_text(summary_json(rows, language), encoding="utf-8")
