"""Facts from xlsx workbooks: the fact-entry template and the official 项目支出绩效自评表.

A workbook is read into the same located plain data a YAML facts document gives, so the facts
are validated by the same code: numbers become ``int`` or ``Decimal`` (a float cell through its
shortest repr, never the binary value), ``是/否`` become booleans, dates become dates. Every value
keeps the cell it came from, and every problem is located there (``x.xlsx:事实!C7 (label)``).

A workbook is untrusted input. Before openpyxl parses anything the archive is checked: a regular
file under `MAX_FILE_BYTES`, a zip of at most `MAX_PARTS` parts unpacking to at most
`MAX_UNPACKED_BYTES`, no DTD, no macros (``vbaProject.bin``), no links to other workbooks, and at
most `MAX_CELLS` cells. A formula cell is read only through the value the office program cached
for it, with a warning; one without a cached value is refused. No openpyxl exception escapes.

openpyxl is imported here, lazily, only when a workbook is read (the ``xlsx`` extra).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import stat
import struct
import warnings as _warnings
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from perfscore._errors import (
    DocumentError,
    ErrorCode,
    Location,
    Problem,
    UsageError,
    column_letter,
    os_reason,
    short_repr,
)
from perfscore._load._document import Document
from perfscore._messages import Message

__all__ = [
    "EMPTY",
    "MAP_MAGIC",
    "MAP_SHEET",
    "MAP_VERSION",
    "MAX_CELLS",
    "MAX_FILE_BYTES",
    "MAX_PARTS",
    "MAX_UNPACKED_BYTES",
    "WORKBOOK_SUFFIXES",
    "SheetReader",
    "WorkbookDocument",
    "check_archive",
    "column_letter",
    "fail",
    "is_workbook_path",
    "map_digest",
    "open_workbook",
    "openpyxl",
    "parse_coordinate",
    "plain",
    "read_bytes",
]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 1_000
MAX_CELLS = 200_000
#: The template's hidden sheet that maps cells to fact ids.
MAP_SHEET = "_perfscore"
MAP_MAGIC = "perfscore-xlsx-template"
MAP_VERSION = "1"
_MAX_MAP_ROWS = 20_000

_Path = tuple[str | int, ...]
#: What zipfile raises on a damaged archive (a bad header, a corrupt deflate stream, ...).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    OSError,
    EOFError,
    RuntimeError,
    ValueError,
    NotImplementedError,
    LookupError,
)
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
#: a merged range in a worksheet part: openpyxl makes a cell object for every cell it covers
_MERGE_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3}\d{1,7}):([A-Z]{1,3}\d{1,7})\""
)
_COORD = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})\Z")


class _Empty:
    """A cell with nothing in it (None or an empty string)."""

    def __repr__(self) -> str:
        return "EMPTY"


EMPTY = _Empty()


def openpyxl() -> Any:
    """The openpyxl module, or a UsageError naming the extra that installs it."""
    try:
        import openpyxl as module
    except ImportError:
        raise UsageError(
            Problem(
                "missing-extra",
                Message("workbook-needs-openpyxl"),
                hint="pip install 'perfscore[xlsx]'",
            )
        ) from None
    return module


#: the names of spreadsheets: an .xlsx is read; the others are refused with what to do (an
#: old binary .xls or a WPS .et: save as .xlsx; .xlsm: macros; .ods: not an xlsx workbook)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods")


def is_workbook_path(path: str | os.PathLike[str]) -> bool:
    """True for a spreadsheet's name (`WORKBOOK_SUFFIXES`, any case): `load_facts` reads it as
    a workbook, which refuses what is not an xlsx with what to do."""
    return os.fspath(path).lower().endswith(WORKBOOK_SUFFIXES)


@dataclass(frozen=True)
class WorkbookDocument(Document):
    """A facts document read from a workbook: every value's cell, and the reader's warnings."""

    cells: Mapping[_Path, Location] = field(default_factory=dict, repr=False, compare=False)
    home: Location = field(default_factory=Location, compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    layout: str = "template"

    def __hash__(self) -> int:
        return hash(self.name)

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> Location:
        """The cell of the value at `path`, or of its deepest ancestor that has one."""
        try:
            path = tuple(path)
            for end in range(len(path), -1, -1):
                if path[:end] in self.cells:
                    return self.cells[path[:end]]
        except TypeError:
            pass
        return self.home


def _problem(code: ErrorCode, message: str, location: Location, hint: str | None = None) -> Problem:
    return Problem(code, message, location, hint=hint)


def fail(code: ErrorCode, message: str, name: str, hint: str | None = None) -> DocumentError:
    return DocumentError(Problem(code, message, Location(name), hint=hint))


def read_bytes(name: str) -> bytes:
    """The file's bytes: a regular file of at most MAX_FILE_BYTES."""
    try:
        status = os.stat(name)
        if not stat.S_ISREG(status.st_mode):
            kind = Message("doc-kind-folder" if stat.S_ISDIR(status.st_mode) else "doc-kind-other")
            raise DocumentError(
                Problem(
                    "not-a-file",
                    Message("doc-not-a-file", name=name, kind=kind),
                    Location(name),
                    hint=Message("workbook-hint-give-file"),
                )
            )
        if status.st_size > MAX_FILE_BYTES:
            raise _too_large(
                Message("workbook-file-bytes", size=status.st_size), name, MAX_FILE_BYTES
            )
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise fail("not-a-file", Message("workbook-not-regular", name=name), name)
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise fail(
            "file-not-found", Message("doc-cannot-open", name=name, reason=os_reason(exc)), name
        ) from exc
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(Message("workbook-file-grew"), name, MAX_FILE_BYTES)
    return data


def _too_large(what: str, name: str, limit: int) -> DocumentError:
    return fail(
        "workbook-too-large",
        Message("workbook-over-limit", what=what, limit=limit),
        name,
        hint=Message("workbook-too-large-hint"),
    )


def check_archive(data: bytes, name: str) -> None:
    """Refuse what is not a plain xlsx before openpyxl sees it: bombs, macros, links, DTDs."""
    if not data.startswith(b"PK"):
        hint = Message("workbook-hint-save-xlsx")
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            hint = Message("workbook-hint-old-xls")
        raise fail("not-a-workbook", Message("workbook-not-zip"), name, hint)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise fail("not-a-workbook", Message("workbook-damaged-zip", error=str(exc)), name) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise _too_large(Message("workbook-parts", count=len(infos)), name, MAX_PARTS)
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED_BYTES:
            raise _too_large(Message("workbook-unpacks", size=total), name, MAX_UNPACKED_BYTES)
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise fail(
                "not-a-workbook",
                Message("workbook-no-xl-parts"),
                name,
                hint=Message("workbook-hint-save-from-office"),
            )
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise fail(
                "workbook-macros",
                Message("workbook-macros"),
                name,
                hint=Message("workbook-hint-no-macros"),
            )
        if any(n.startswith("xl/externalLinks/") for n in names):
            raise fail(
                "workbook-external-link",
                Message("workbook-external-links"),
                name,
                hint=Message("workbook-hint-break-links"),
            )
        cells = merged = 0
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            # what a part declares it is (content types, relationships) names macros and links
            # wherever the parts are stored, not only under their usual names
            declares = info.filename.endswith(".rels") or info.filename == "[Content_Types].xml"
            try:
                with archive.open(info) as part:
                    tail = b""
                    first = True
                    while chunk := part.read(1 << 16):
                        if first:
                            _check_utf8(chunk, info.filename, name)
                            first = False
                        block = tail + chunk
                        if b"<!DOCTYPE" in block or b"<!ENTITY" in block:
                            raise fail(
                                "workbook-too-large",
                                Message("workbook-dtd", part=info.filename),
                                name,
                                hint=Message("workbook-hint-not-office"),
                            )
                        if declares:
                            _check_declared(block, name)
                        # every part, wherever it is stored: openpyxl finds a worksheet by
                        # the relationships, not by the folder it stands in
                        cells += len(_CELL_TAG.findall(block)) - len(_CELL_TAG.findall(tail))
                        if cells > MAX_CELLS:
                            raise _too_large(Message("workbook-cells"), name, MAX_CELLS)
                        merged += _merged_area(block) - _merged_area(tail)
                        if merged > MAX_CELLS:
                            raise _too_large(Message("workbook-merged-cells"), name, MAX_CELLS)
                        tail = block[-64:]
            except _ZIP_ERRORS as exc:
                message = Message("workbook-part-unreadable", part=info.filename, error=str(exc))
                raise fail("not-a-workbook", message, name) from exc


#: how an XML part that is not UTF-8 begins: a UTF-16 or UTF-32 byte order mark, or the
#: "<?" of a declaration written in two or four bytes a character
_WIDE = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"<\x00", b"\x00<")
_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _check_utf8(start: bytes, part: str, name: str) -> None:
    """Refuse a part that is not UTF-8, as every Office program writes them: the checks here
    read bytes, and a part in UTF-16 would carry its cells and DTD past them."""
    declared = _ENCODING.match(start.lstrip(b"\xef\xbb\xbf"))
    wide = start.startswith(_WIDE)
    if wide or (declared is not None and declared.group(1).lower() not in (b"utf-8", b"utf8")):
        raise fail(
            "not-a-workbook",
            Message("workbook-part-not-utf8", part=part),
            name,
            hint=Message("workbook-hint-save-from-office"),
        )


#: a part that the content types declare (``<Override PartName=... ContentType=...>``), or a
#: relationship (``Type=".../vbaProject"``), for macros or for a link to another workbook; a
#: ``<Default>`` for an extension alone declares no part, and some programs write one
_MACROS = re.compile(rb"<Override\b[^>]*vbaProject|relationships/vbaProject")
_LINKS = re.compile(rb"<Override\b[^>]*externalLink|relationships/externalLink")


def _check_declared(block: bytes, name: str) -> None:
    """Macros or links to other workbooks that the content types or relationships declare."""
    if _MACROS.search(block):
        raise fail(
            "workbook-macros", Message("workbook-macros"), name, Message("workbook-hint-no-macros")
        )
    if _LINKS.search(block):
        raise fail(
            "workbook-external-link",
            Message("workbook-external-links"),
            name,
            hint=Message("workbook-hint-break-links"),
        )


def open_workbook(data: bytes, name: str, *, values: bool) -> Any:
    """openpyxl's workbook: cached values (`values`) or formulas; every failure a DocumentError."""
    module = openpyxl()
    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")  # unknown extensions, DV read-back notes
            return module.load_workbook(
                io.BytesIO(data), data_only=values, keep_links=False, keep_vba=False
            )
    except Exception as exc:
        bad = _bad_number(data)
        if bad is not None:  # said at its cell, not in openpyxl's words
            part, cell, value = bad
            message = Message("workbook-bad-number", part=part, cell=cell, value=value)
            raise fail(
                "not-a-workbook", message, name, Message("workbook-hint-not-office")
            ) from exc
        message = Message(
            "workbook-unreadable", kind=type(exc).__name__, error=short_repr(str(exc), 120)
        )
        raise fail("not-a-workbook", message, name) from exc


#: a cell written as a number (no type, or ``t="n"``) and its value
_NUMBER_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?c\s+r="([A-Z]{1,3}[0-9]{1,7})"((?:\s+[A-Za-z:]+="[^"]*")*)\s*>'
    rb"(?:<(?:[A-Za-z_][\w.-]*:)?f[^>]*>[^<]*</(?:[A-Za-z_][\w.-]*:)?f>)?"
    rb"<(?:[A-Za-z_][\w.-]*:)?v>([^<]*)</"
)
_TYPE_ATTRIBUTE = re.compile(rb'\bt="([^"]*)"')


def _bad_number(data: bytes) -> tuple[str, str, str] | None:
    """The first cell written as a number whose value is none (``NaN``, ``INF``, ``1,5``), as
    (part, cell, value): what makes openpyxl's reader fail with words of its own. Read only
    after it failed, from an archive `check_archive` has bounded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        for info in archive.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                continue
            for cell, attributes, value in _NUMBER_CELL.findall(archive.read(info)):
                kind = _TYPE_ATTRIBUTE.search(attributes)
                if kind is not None and kind.group(1) != b"n":
                    continue
                text = value.decode("utf-8", "replace").strip()
                try:
                    number = float(text)
                except ValueError:
                    number = math.nan
                if not math.isfinite(number):
                    return info.filename.rsplit("/", 1)[-1], cell.decode(), short_repr(text, 40)
    except _ZIP_ERRORS:
        return None
    return None


class SheetReader:
    """Cells of a workbook loaded twice (formulas and cached values), read as plain data.

    `problems` collects what stops the reading (a formula without a value); `warnings` what
    the reader did on the way (a cached value read).
    """

    def __init__(self, name: str, formulas: Any, values: Any) -> None:
        self.name = name
        self.formulas = formulas
        self.values = values
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def location(self, sheet: str, row: int, column: int, label: str | None = None) -> Location:
        return Location(self.name, row, column, sheet=sheet, label=label)

    def present(self, sheet: str) -> list[tuple[int, int, object]]:
        """The cells the sheet's XML holds, as (row, column, cached value), by row then column.

        Only these: `Worksheet.iter_rows()` walks every cell of the used range and makes
        each, so a single value typed at XFD1048576 would make 17 billion (the archive's cell
        limit counts the cells written, not the grid they span).
        """
        # openpyxl's own store of the cells it read, by (row, column)
        cells: dict[tuple[int, int], Any] = self.values[sheet]._cells
        return [(r, c, cells[(r, c)].value) for r, c in sorted(cells)]

    def raw(self, sheet: str, row: int, column: int, label: str | None = None) -> object:
        """The cell's value as openpyxl gives it, cached for a formula, EMPTY when blank."""
        formula_cell = self.formulas[sheet].cell(row=row, column=column)
        value_cell = self.values[sheet].cell(row=row, column=column)
        where = self.location(sheet, row, column, label)
        value = value_cell.value
        if value_cell.data_type == "e":
            self.problems.append(
                _problem(
                    "formula-no-value",
                    Message("workbook-error-value", value=short_repr(value, 20)),
                    where,
                    Message("workbook-hint-correct-formula"),
                )
            )
            return EMPTY
        if formula_cell.data_type == "f":
            text = formula_cell.value
            text = getattr(text, "text", text)  # an array formula
            shown = short_repr(str(text), 60)
            if value is None and value_cell.data_type == "str":
                # computed to empty text (``=IF(Z1="","",Z1)`` in a row made ready for data:
                # Excel writes t="str" and an empty value): a blank cell, nothing is read
                return EMPTY
            if value is None:
                self.problems.append(
                    _problem(
                        "formula-no-value",
                        Message("workbook-formula-no-value", formula=shown),
                        where,
                        Message("workbook-hint-save-again"),
                    )
                )
                return EMPTY
            self.warnings.append(
                Problem(
                    "formula-cached",
                    Message("workbook-formula-cached", formula=shown, value=short_repr(value, 40)),
                    where,
                    hint=Message("workbook-hint-type-itself"),
                    severity="warning",
                )
            )
        if value is None or (isinstance(value, str) and not value.strip()):  # spaces only: blank
            return EMPTY
        return value

    def number_format(self, sheet: str, row: int, column: int) -> str:
        """The cell's number format (``General``, ``0.00``, ``0.00%``)."""
        fmt = self.values[sheet].cell(row=row, column=column).number_format
        return fmt if isinstance(fmt, str) else "General"

    def read(
        self,
        sheet: str,
        row: int,
        column: int,
        kind: str,
        label: str | None = None,
        words: Mapping[str, str] | None = None,
    ) -> object:
        """The cell as plain data for a value of type `kind` (EMPTY when blank)."""
        value = self.raw(sheet, row, column, label)
        if value is EMPTY:
            return EMPTY
        return plain(value, kind, words, self.number_format(sheet, row, column))

    def merged_top_left(self, sheet: str) -> dict[tuple[int, int], tuple[int, int]]:
        """Every cell covered by a merged range, mapped to the range's top-left cell."""
        covered: dict[tuple[int, int], tuple[int, int]] = {}
        # (`check_archive` refused ranges covering more than `MAX_CELLS` cells in all)
        for merged in self.formulas[sheet].merged_cells.ranges:
            top, left = merged.min_row, merged.min_col
            for row in range(top, merged.max_row + 1):
                for column in range(left, merged.max_col + 1):
                    covered[(row, column)] = (top, left)
        return covered


_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_DECIMALS = re.compile(r"[0#?]\.([0#?]+)")


def shown_places(fmt: str) -> tuple[int, bool] | None:
    """The decimals a number format shows and whether it is a percent format; None for
    formats whose display is not a plain decimal (exponents, fractions, text)."""
    section = _QUOTED.sub("", fmt.split(";", maxsplit=1)[0])
    if any(ch in section for ch in "Ee/@"):
        return None
    match = _DECIMALS.search(section)
    return (len(match.group(1)) if match else 0), "%" in section


def _as_shown(number: Decimal, fmt: str | None, kind: str) -> Decimal:
    """`number` as the cell shows it: a percent-formatted cell of a percent fact in percent
    units (0.9587 shown as 95.87% is 95.87), and the trailing zeros a fixed-decimals format
    shows (3703.8 shown as 3703.80). The value never changes by more than those zeros: a
    number with more decimals than the format shows is read in full, not rounded."""
    if fmt is None:
        return number
    places = shown_places(fmt)
    if places is None:
        return number
    decimals, percent = places
    if percent and kind == "percent":
        number = number.scaleb(2)
        decimals = max(decimals, 0)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < decimals <= 20:
        quantized = number.quantize(Decimal(1).scaleb(-decimals))
        if quantized == number:
            return quantized
    return number


def plain(
    value: object,
    kind: str,
    words: Mapping[str, str] | None = None,
    fmt: str | None = None,
) -> object:
    """A cell's value as a YAML document would hold it for a fact of type `kind`.

    Numbers: int stays int, a float becomes the Decimal of its shortest repr (95.87, never the
    binary 95.8700000000000045...). Booleans: the cell's own TRUE/FALSE, or the template's
    words for them (是/否). Dates: a date (a datetime at midnight is its date). Text and enum
    facts read a number as the digits it shows. Anything else is left as it is, for validation
    to refuse with its hint.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        try:
            number: object = Decimal(repr(value))
        except InvalidOperation:  # pragma: no cover - repr of a float is always a number
            number = value
    elif isinstance(value, int):
        number = value
    else:
        number = None
    if kind in ("text", "enum") and number is not None:
        from perfscore._numbers import format_decimal

        return format_decimal(Decimal(number))  # type: ignore[arg-type]
    if number is not None:
        if kind in ("number", "integer", "percent") and isinstance(number, Decimal | int):
            shown = _as_shown(Decimal(number), fmt, kind)
            if isinstance(number, int) and shown == number and shown.as_tuple().exponent == 0:
                return number
            return shown
        return number
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0) and value.tzinfo is None:
            return value.date()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):
        return value.isoformat()
    if kind == "boolean" and isinstance(value, str) and words is not None:
        if value == words.get("true"):
            return True
        if value == words.get("false"):
            return False
    if isinstance(value, str):
        return value
    return short_repr(value)


def map_digest(rows: Iterable[Iterable[object]]) -> str:
    """The SHA-256 of the map rows above the digest row, as canonical JSON text."""
    table = []
    for row in rows:
        cells = ["" if c is None else str(c) for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        table.append(cells)
    text = json.dumps(table, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _merged_area(xml: bytes) -> int:
    """How many cells the merged ranges written in `xml` cover (overlaps counted again)."""
    area = 0
    for first, last in _MERGE_TAG.findall(xml):
        top, bottom = parse_coordinate(first.decode()), parse_coordinate(last.decode())
        if top is not None and bottom is not None:
            area += (abs(bottom[0] - top[0]) + 1) * (abs(bottom[1] - top[1]) + 1)
    return area


def parse_coordinate(text: str) -> tuple[int, int] | None:
    """``C7`` -> (7, 3); None for anything else."""
    match = _COORD.match(text)
    if match is None:
        return None
    letters, row = match.groups()
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - ord("A") + 1
    if column > 16_384:
        return None
    return int(row), column
