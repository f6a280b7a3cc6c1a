"""Read a YAML or JSON file into plain Python data, with the line and column of every value.

Rubrics and facts come from people and other programs, so reading is strict and bounded:

* bytes: a size limit before parsing, strict UTF-8 (or an explicit encoding), no control, bidi or
  zero-width characters;
* YAML: one document, no anchors, aliases, merge keys or tags, bounded depth and node count, unique
  string keys, and YAML-1.2-core scalars that never become floats (``1.10`` is
  ``Decimal("1.10")``; ``no``, ``010``, ``1:30``, ``2024-01-15``, ``.nan`` stay strings);
* JSON: the same limits, no duplicate keys, no NaN/Infinity, decimals kept exact.

Every failure is a `DocumentError` with ``file:line:col``; no PyYAML or json exception escapes.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from types import MappingProxyType
from typing import TypeVar

import yaml

from perfscore._errors import (
    DocumentError,
    ErrorCode,
    Location,
    Problem,
    UsageError,
    os_reason,
    short_repr,
)
from perfscore._messages import Message
from perfscore._numbers import is_number_text

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = [
    "FORBIDDEN_CHARACTERS",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Document",
    "load_document",
    "parse_document",
    "utf8_or",
]

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

_Path = tuple[str | int, ...]
_Pos = tuple[int, int]

# Besides the listed controls, bidi and zero-width characters and every other invisible format
# character (Unicode's category Cf: a soft hyphen, invisible operators, tag characters, which
# hide what a text really says): lone surrogates (not text), U+FFFE/U+FFFF (rejected by the
# YAML reader anyway) and U+2028/U+2029, which YAML 1.1 reads as line breaks and JSON does not,
# so they would shift line numbers and change quoted values. Every one of them is a character
# Python's str.isprintable() refuses, which the generated validator relies on.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL = frozenset({"", "null", "Null", "NULL", "~"})
_BLOCK_STYLES = frozenset({"|", ">"})
_JSON_TOKEN = re.compile(
    r'[ \t\r\n]*(?:("[^"\\]*(?:\\.[^"\\]*)*")|([{}\[\],:])|([^\s{}\[\],:"]+))', re.S
)
_JSON_INT = re.compile(r"-?[0-9]+\Z")
_JSON_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})
_MAX_INT_DIGITS = 40
_JSON_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")
_MAX_NUMBER_CHARS = 40


@dataclass(frozen=True)
class Document:
    """A parsed file: its `name`, its plain `data`, and where each value stands in it."""

    name: str
    data: object
    value_positions: Mapping[_Path, _Pos] = field(default_factory=dict, repr=False, compare=False)
    key_positions: Mapping[_Path, _Pos] = field(default_factory=dict, repr=False, compare=False)

    # Equal documents have equal names, so hashing the name is consistent and never fails on data.
    def __hash__(self) -> int:
        return hash(self.name)

    def __reduce__(self) -> tuple[object, ...]:
        # The position tables are read-only views, which do not pickle: they travel as dicts and
        # become views again on arrival, so a document (and what holds one) crosses processes.
        values = [getattr(self, f.name) for f in fields(self)]
        views = tuple(i for i, v in enumerate(values) if isinstance(v, MappingProxyType))
        plain = tuple(dict(v) if i in views else v for i, v in enumerate(values))
        return _rebuild_document, (type(self), plain, views)

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> Location:
        """Return where the value (or with `key`, the mapping key) at `path` stands.

        Args:
            path: mapping keys (str) and sequence indexes (int) from the root.
            key: locate the key of the last path element instead of its value.

        Returns:
            The 1-based location; for a path that does not exist, the deepest existing ancestor's.
        """
        try:
            path = tuple(path)
            if key and path in self.key_positions:
                return Location(self.name, *self.key_positions[path])
            for end in range(len(path), -1, -1):
                if path[:end] in self.value_positions:
                    return Location(self.name, *self.value_positions[path[:end]])
        except TypeError:  # an unhashable path element cannot name a value
            pass
        return Location(self.name)


def _rebuild_document(
    cls: type[Document], values: tuple[object, ...], views: tuple[int, ...]
) -> Document:
    """A document from `Document.__reduce__`: its fields, the read-only ones made views again."""
    return cls(*(MappingProxyType(v) if i in views else v for i, v in enumerate(values)))  # type: ignore[arg-type]


def load_document(path: str | os.PathLike[str], *, encoding: str | None = None) -> Document:
    """Read and parse a YAML or JSON file (JSON when the name ends in ``.json``).

    Args:
        path: the file to read; its name as given is used in every location.
        encoding: decode with this codec instead of UTF-8, e.g. ``"gb18030"``.

    Returns:
        The parsed document.

    Raises:
        DocumentError: the file cannot be opened, is too large, or cannot be parsed.
        UsageError: `encoding` is not a known codec.
    """
    name = os.fspath(path)
    try:
        _regular(name, os.stat(name).st_mode)  # a pipe is refused before it is opened
        # O_NONBLOCK: should a pipe replace the file after the check, opening it does not wait
        fd = os.open(name, os.O_RDONLY | _O_NONBLOCK | _O_BINARY)
        with os.fdopen(fd, "rb") as stream:
            status = os.fstat(stream.fileno())
            _regular(name, status.st_mode)  # what was opened, whatever the path now names
            if status.st_size > MAX_BYTES:
                raise _too_large(status.st_size, name)
            data = stream.read(MAX_BYTES + 1)  # the file may grow while it is read
    except (OSError, ValueError) as exc:
        message = Message("doc-cannot-open", name=name, reason=os_reason(exc))
        raise _error("file-not-found", message, name) from exc
    return parse_document(data, name=name, encoding=encoding)


_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_KINDS = (
    (stat.S_ISDIR, Message("doc-kind-folder")),
    (stat.S_ISFIFO, Message("doc-kind-fifo")),
    (stat.S_ISCHR, Message("doc-kind-chr")),
    (stat.S_ISBLK, Message("doc-kind-blk")),
    (stat.S_ISSOCK, Message("doc-kind-sock")),
)


def _regular(name: str, mode: int) -> None:
    """Refuse anything but a regular file: reading a pipe or a device may never end."""
    if stat.S_ISREG(mode):
        return
    kind = next((label for test, label in _KINDS if test(mode)), Message("doc-kind-other"))
    message = Message("doc-not-a-file", name=name, kind=kind)
    hint = (
        Message("doc-hint-give-file")
        if kind != "a folder"
        else Message("doc-hint-give-file-inside")
    )
    raise _error("not-a-file", message, name, hint=hint)


_T = TypeVar("_T")


def utf8_or(load: Callable[..., _T], path: object, encoding: str | None, **kwargs: object) -> _T:
    """``load(path)`` as UTF-8; only when that fails on the bytes, once more in `encoding`.

    What ``--encoding`` means on the command line: one option serves a GBK facts file scored
    against a UTF-8 rubric, and a valid UTF-8 file is never decoded as GB18030 (which accepts
    almost any bytes and would garble the text without an error).

    Raises:
        UsageError: `encoding` is not a known codec (checked before anything is read).
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            message = Message("usage-unknown-encoding", encoding=encoding)
            hint = Message("usage-hint-gb18030")
            raise UsageError(Problem("bad-argument", message, hint=hint)) from None
    try:
        return load(path, **kwargs)
    except DocumentError as exc:
        if encoding is None or exc.code != "encoding":
            raise
    return load(path, encoding=encoding, **kwargs)


def parse_document(
    data: bytes | str, *, name: str, encoding: str | None = None, format: str | None = None
) -> Document:
    """Parse YAML or JSON text into plain data with locations.

    Args:
        data: the file's bytes, or text already decoded.
        name: the file name used in every location.
        encoding: decode bytes with this codec instead of UTF-8, e.g. ``"gb18030"``.
        format: ``"yaml"`` or ``"json"``; by default JSON when `name` ends in ``.json``.

    Returns:
        The parsed document.

    Raises:
        DocumentError: the input is too large, badly encoded, or not acceptable YAML or JSON.
        UsageError: `encoding` or `format` is not a known value.
    """
    if format is None:
        format = "json" if name.lower().endswith(".json") else "yaml"
    if format not in ("yaml", "json"):
        raise UsageError(Problem("bad-argument", Message("usage-document-format", format=format)))
    text = _decode(data, name, encoding)
    match = FORBIDDEN_CHARACTERS.search(text)
    if match:
        where = _position(text, match.start())
        subject = _subject_at(text, name, format, where)
        raise _forbidden(match.group(), name, where, subject)
    tree = _Tree(name)
    if format == "json":
        result = _parse_json(text, name, tree)
    else:
        _parse_yaml(text, name, tree)
        result = tree.root
    return Document(name, result, MappingProxyType(tree.values), MappingProxyType(tree.keys))


def _error(
    code: ErrorCode,
    message: str,
    name: str,
    where: tuple[int | None, int | None] = (None, None),
    hint: str | None = None,
    subject: str | None = None,
) -> DocumentError:
    """Build a DocumentError with one located problem."""
    location = Location(name, *where)
    return DocumentError(Problem(code, message, location, subject=subject, hint=hint))


def _forbidden(char: str, name: str, where: _Pos, subject: str | None = None) -> DocumentError:
    """The error for a character in FORBIDDEN_CHARACTERS."""
    label = unicodedata.name(char, "CONTROL" if unicodedata.category(char) == "Cc" else "")
    code = f"{ord(char):04X}"
    message = (
        Message("doc-forbidden-character-named", code=code, label=label)
        if label
        else Message("doc-forbidden-character", code=code)
    )
    hint = Message("doc-hint-forbidden")
    return _error("forbidden-character", message, name, where, hint, subject)


def path_text(path: _Path) -> str | None:
    """A key path as people read it: ``facts.spend_rate``, ``groups[0].children[2].id``."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or None


def _subject_at(text: str, name: str, format: str, where: _Pos) -> str | None:
    """The key path of the value or key a forbidden character at `where` sits in, if any.

    The text is read once more with every forbidden character replaced by a space (the same
    length, so positions stay), and the last key or value starting at or before `where` is
    the one the character belongs to (or follows on its line, in a comment).
    """
    clean = FORBIDDEN_CHARACTERS.sub(" ", text)
    tree = _Tree(name)
    try:
        if format == "json":
            _parse_json(clean, name, tree)
        else:
            _parse_yaml(clean, name, tree)
    except DocumentError:
        pass  # the positions read before the error still name what comes before it
    best: tuple[_Pos, int, _Path] | None = None
    for positions in (tree.values, tree.keys):
        for path, position in positions.items():
            if path and position <= where:
                candidate = (position, len(path), path)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    return path_text(best[2]) if best else None


def _too_large(size: int, name: str) -> DocumentError:
    """The error for input over MAX_BYTES."""
    message = Message("doc-too-large", size=size, limit=MAX_BYTES)
    return _error("file-too-large", message, name, hint=Message("doc-hint-split-or-trim"))


def _position(text: str, index: int) -> _Pos:
    """1-based line and column of `text[index]`, counting CRLF, CR and LF as line breaks."""
    before = text[:index]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    return line, index - max(before.rfind("\n"), before.rfind("\r"))


def _decode(data: bytes | str, name: str, encoding: str | None) -> str:
    """Check the size and decode to text without a BOM."""
    if isinstance(data, str):
        size = len(data) if len(data) > MAX_BYTES else len(data.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            raise _too_large(size, name)
        return data.removeprefix("\ufeff")
    if len(data) > MAX_BYTES:
        raise _too_large(len(data), name)
    codec = "utf-8"
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            message = Message("usage-unknown-encoding", encoding=encoding)
            hint = Message("usage-hint-gb18030")
            raise UsageError(Problem("bad-argument", message, hint=hint)) from None
    if codec == "utf-8":
        data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        binary = _binary_kind(data)
        if binary is not None:  # not text in any encoding: say what it is
            raise _error("encoding", binary[0], name, (1, 1), binary[1]) from exc
        text = data[: exc.start].decode(codec, "replace")
        byte = f"0x{data[exc.start]:02X}"
        where = _position(text, len(text))
        if codec != "utf-8":
            message = Message("doc-invalid-byte", codec=codec, byte=byte)
            raise _error("encoding", message, name, where) from exc
        message = Message("doc-invalid-utf8", byte=byte)
        hint = Message("doc-hint-save-utf8")
        try:
            # valid UTF-8 text before the bad byte means a UTF-8 file with a stray byte
            looks_gb = data[: exc.start].isascii() and _CJK.search(data.decode("gb18030"))
        except UnicodeDecodeError:
            looks_gb = None
        if looks_gb:
            message = Message("doc-invalid-utf8-gb", byte=byte)
            hint = Message("doc-hint-iconv", name=name)
        raise _error("encoding", message, name, where, hint) from exc


#: the first bytes of files that are no text: (magic, what it is, what to do)
_BINARY = (
    (b"PK\x03\x04", "doc-is-zip", "doc-hint-zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc-is-ole", "doc-hint-ole"),
    (b"%PDF", "doc-is-pdf", "doc-hint-pdf"),
)


def _binary_kind(data: bytes) -> tuple[str, str] | None:
    """What a file that is no text is (a workbook or Word file, an old .xls, a PDF, other bytes
    with NULs), as (message, hint); None for text in some other encoding."""
    for magic, what, hint in _BINARY:
        if data.startswith(magic):
            return Message(what), Message(hint)
    if b"\x00" in data[:4096]:
        return Message("doc-is-binary"), Message("doc-hint-binary")
    return None


class _Frame:
    """An open mapping or sequence: its path, the container, and the key awaiting a value."""

    __slots__ = ("container", "key", "path")

    def __init__(self, path: _Path, container: dict[str, object] | list[object]) -> None:
        self.path = path
        self.container = container
        self.key: str | None = None


class _Tree:
    """Builds data and locations from a stream of nodes, enforcing depth, size and unique keys."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.root: object = None
        self.values: dict[_Path, _Pos] = {(): (1, 1)}
        self.keys: dict[_Path, _Pos] = {}
        self.stack: list[_Frame] = []
        self.nodes = 0

    def expects_key(self) -> bool:
        """True when the next node is a mapping key."""
        return (
            bool(self.stack)
            and self.stack[-1].key is None
            and isinstance(self.stack[-1].container, dict)
        )

    def _count(self, line: int, column: int) -> None:
        """Count one node against MAX_NODES."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            message = Message("doc-too-many-nodes", limit=MAX_NODES)
            hint = Message("doc-hint-split")
            raise _error("too-many-nodes", message, self.name, (line, column), hint)

    def _check_text(self, value: object, line: int, column: int, path: _Path) -> None:
        """Reject a string that an escape sequence gave a forbidden character."""
        match = FORBIDDEN_CHARACTERS.search(value) if isinstance(value, str) else None
        if match:
            raise _forbidden(match.group(), self.name, (line, column), path_text(path))

    def next_path(self) -> _Path:
        """The path of the node about to be added (for a key: of the mapping holding it)."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return frame.path if frame.key is None else (*frame.path, frame.key)

    def key(self, key: str, line: int, column: int) -> None:
        """Open `key` in the innermost mapping; reject a duplicate."""
        self._count(line, column)
        frame = self.stack[-1]
        path = (*frame.path, key)
        self._check_text(key, line, column, path)
        if path in self.keys:
            message = Message("doc-duplicate-key", key=short_repr(key), line=self.keys[path][0])
            hint = Message("doc-hint-keep-one")
            raise _error("duplicate-key", message, self.name, (line, column), hint)
        self.keys[path] = (line, column)
        frame.key = key

    def add(self, value: object, line: int, column: int) -> None:
        """Attach a scalar or a new container; a container becomes the innermost frame."""
        self._count(line, column)
        self._check_text(value, line, column, self.next_path())
        path: _Path = ()
        if self.stack:
            frame = self.stack[-1]
            if isinstance(frame.container, dict):
                assert frame.key is not None
                path = (*frame.path, frame.key)
                frame.container[frame.key] = value
                frame.key = None
            else:
                path = (*frame.path, len(frame.container))
                frame.container.append(value)
        else:
            self.root = value
        self.values[path] = (line, column)
        if isinstance(value, (dict, list)):
            if len(self.stack) >= MAX_DEPTH:
                message = Message("doc-too-deep", limit=MAX_DEPTH)
                raise _error(
                    "too-deep", message, self.name, (line, column), Message("doc-hint-flatten")
                )
            self.stack.append(_Frame(path, value))

    def end(self) -> None:
        """Close the innermost container."""
        self.stack.pop()


def _tag_text(tag: str) -> str:
    """A tag as it was written: ``!!binary`` rather than ``tag:yaml.org,2002:binary``."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _resolve(event: yaml.ScalarEvent) -> object:
    """YAML-1.2-core reading of a scalar that never gives a float."""
    value = event.value
    if event.style not in (None, ""):
        return value
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    if value in _NULL:
        return None
    if is_number_text(value):
        return Decimal(value) if "." in value else int(value)
    return value


def _parse_yaml(text: str, name: str, tree: _Tree) -> None:
    """Stream PyYAML events into `tree`, rejecting what perfscore does not read."""
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    hint = Message("doc-hint-one-document")
                    message = Message("doc-second-document")
                    raise _error("yaml-multiple-documents", message, name, (line, column), hint)
            elif isinstance(event, yaml.AliasEvent):
                raise _alias_error(
                    Message("doc-found-alias", anchor=event.anchor), name, (line, column)
                )
            elif isinstance(event, yaml.NodeEvent):
                if event.anchor is not None:
                    found = Message("doc-found-anchor", anchor=event.anchor)
                    raise _alias_error(found, name, (line, column))
                tag = getattr(event, "tag", None)
                if tag is not None:
                    message = Message("doc-tag", tag=_tag_text(tag))
                    hint = Message("doc-hint-tag")
                    subject = path_text(tree.next_path())
                    raise _error("yaml-tag", message, name, (line, column), hint, subject)
                _add_yaml_node(event, name, tree, line, column)
            elif isinstance(event, yaml.CollectionEndEvent):
                tree.end()
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        raise _yaml_error(exc, text, name) from exc


def _yaml_error(exc: Exception, text: str, name: str) -> DocumentError:
    """Translate a PyYAML, recursion or memory error into a DocumentError."""
    if isinstance(exc, RecursionError):
        return _error("too-deep", Message("doc-too-deep-to-parse"), name)
    if isinstance(exc, MemoryError):
        return _error("too-many-nodes", Message("doc-out-of-memory"), name)
    if not isinstance(exc, yaml.MarkedYAMLError):  # a ReaderError knows only its offset
        position = getattr(exc, "position", None)
        where = _position(text, position) if isinstance(position, int) else (None, None)
        message = Message("doc-yaml-problem", problem=str(exc).splitlines()[0])
        return _error("yaml-syntax", message, name, where)
    mark = exc.problem_mark or exc.context_mark
    where = (mark.line + 1, mark.column + 1) if mark else (None, None)
    problem = exc.problem or exc.context or "not well-formed YAML"
    if "maximum nesting depth" in problem:  # libyaml's own limit, hit while looking ahead
        message = Message("doc-too-deep", limit=MAX_DEPTH)
        return _error("too-deep", message, name, where, Message("doc-hint-flatten"))
    lines = text.splitlines()
    bad_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    tab = mark is not None and bad_line[mark.column : mark.column + 1] == "\t"
    if tab:
        message = Message("doc-yaml-problem", problem=problem)
        return _error("yaml-syntax", message, name, where, Message("doc-hint-tabs"))
    for number in range(min(mark.line + 1, len(lines)) if mark is not None else 0):
        # a line indented with a full-width or non-breaking space (a Chinese input method's):
        # YAML sees no indentation there, and PyYAML complains at a line after it
        line = lines[number]
        lead = line[: len(line) - len(line.lstrip())]
        odd = next((ch for ch in lead if not ch.isascii()), None)
        if odd is not None and line.strip():
            message = Message("doc-yaml-wide-indent", line=number + 1, code=f"U+{ord(odd):04X}")
            where = (number + 1, lead.index(odd) + 1)
            return _error("yaml-syntax", message, name, where, Message("doc-hint-wide-indent"))
    opened = _unclosed_quote(lines, mark.line) if mark is not None else None
    if opened is not None:  # the quote ran on over the lines below, to where PyYAML gave up
        message = Message("doc-yaml-problem", problem=Message("doc-yaml-unclosed-quote"))
        return _error("yaml-syntax", message, name, opened)
    indentation = _indentation_error(exc, lines, name)
    if indentation is not None:
        return indentation
    hint: str | None = None
    reason = next((key for start, key in _YAML_REASONS if problem.startswith(start)), None)
    if reason == "doc-yaml-end-of-stream" and exc.context_mark is not None:
        # the end of the file is where PyYAML noticed; the quote or bracket opened earlier
        where = (exc.context_mark.line + 1, exc.context_mark.column + 1)
        if "quoted scalar" in (exc.context or ""):
            reason = "doc-yaml-unclosed-quote"
    elif reason in ("doc-yaml-flow-list", "doc-yaml-flow-mapping") and mark is not None:
        start = exc.context_mark.line if exc.context_mark is not None else mark.line
        for number in range(start, min(mark.line, len(lines) - 1) + 1):
            if "，" in lines[number]:  # a full-width comma, typed with a Chinese input method
                where = (number + 1, lines[number].index("，") + 1)
                hint = Message("doc-hint-full-width-comma")
                break
    elif reason == "doc-yaml-bad-start":
        value = bad_line[mark.column :].split(" #")[0].strip() if mark is not None else ""
        quoted = json.dumps(value, ensure_ascii=False)
        hint = Message("doc-hint-quote-text", quoted=quoted if 2 < len(quoted) < 60 else '"..."')
    said = problem if reason is None else Message(reason)
    message = Message("doc-yaml-problem", problem=said)
    return _error("yaml-syntax", message, name, where, hint)


#: PyYAML's reasons (the start of its words) and the catalogue's words for them; the English
#: stays PyYAML's own
_YAML_REASONS = (
    ("found unexpected end of stream", "doc-yaml-end-of-stream"),
    ("did not find expected ',' or ']'", "doc-yaml-flow-list"),
    ("did not find expected ',' or '}'", "doc-yaml-flow-mapping"),
    ("did not find expected '-' indicator", "doc-yaml-dash-expected"),
    ("did not find expected node content", "doc-yaml-node-expected"),
    ("did not find expected key", "doc-yaml-key-expected"),
    ("found character that cannot start any token", "doc-yaml-bad-start"),
)


#: a value that opens a quote: ``key: "...`` or ``- '...``, the quoted text to the end of the line
_QUOTE_OPENS = re.compile(r"""^\s*(?:-\s+)?(?:[^\s"'#][^:#]*:\s+)?(["'])(.*)$""")


def _unclosed_quote(lines: list[str], last: int) -> tuple[int, int] | None:
    """Where a quoted value opens that its own line does not close, on a line above the
    error's (`last`, 0-based): the line and column of its quote. A quoted value may go on over
    lines in YAML, but in a rubric or a facts file that is a quote left open."""
    for number in range(min(last, len(lines))):
        match = _QUOTE_OPENS.match(lines[number])
        if match is None:
            continue
        quote, rest = match.group(1), match.group(2)
        if quote == '"':
            closed = re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None
        else:
            closed = "'" in rest.replace("''", "")
        if not closed:
            return number + 1, match.start(1) + 1
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _line_above(lines: list[str], index: int) -> int | None:
    """The 0-based index of the last line above `index` with content (not blank, no comment)."""
    for i in range(min(index, len(lines)) - 1, -1, -1):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            return i
    return None


def _indentation_error(
    exc: yaml.MarkedYAMLError, lines: list[str], name: str
) -> DocumentError | None:
    """PyYAML's wording of a misindented line, in perfscore's terms, at the line to fix.

    PyYAML names what its parser expected (``did not find expected key``, ``mapping values are
    not allowed``), sometimes at the line after the mistake; people need the line whose
    indentation is wrong and what it should be.
    """
    problem, mark, context = exc.problem or "", exc.problem_mark, exc.context_mark
    if mark is None:
        return None
    if problem.startswith("could not find expected ':'") and context is not None:
        # a key without ':' (or a value on a line of its own): found only at the next line
        line = lines[context.line] if context.line < len(lines) else ""
        word = short_repr(line.strip(), 30)
        message = Message("doc-not-key-value", word=word)
        hint = Message("doc-hint-key-value")
        where = (context.line + 1, context.column + 1)
        if "：" in line:  # a full-width colon, typed with a Chinese input method
            where = (context.line + 1, line.index("：") + 1)
            hint = Message("doc-hint-full-width-colon")
        elif re.match(r"\s*[^\s:#]+:\S", line):  # no space after the colon
            where = (context.line + 1, line.index(":") + 1)
            hint = Message("doc-hint-space-after-colon")
        return _error("yaml-syntax", message, name, where, hint)
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    start = _indent(line)
    above = _line_above(lines, mark.line)
    above_indent = _indent(lines[above]) if above is not None else 0
    where = (mark.line + 1, start + 1)
    if problem.startswith("mapping values are not allowed"):
        if ": " in line[start : mark.column] or above is None or start <= above_indent:
            key, _, value = line[start:].partition(": ")
            key = key.removeprefix("- ").strip()
            quoted = json.dumps(value.split(" #")[0].strip(), ensure_ascii=False)
            return _error(
                "yaml-syntax",
                Message("doc-colon-in-value", key=short_repr(key, 30)),
                name,
                (mark.line + 1, mark.column + 1),
                Message("doc-hint-quote-value-as", key=key, quoted=quoted)
                if len(quoted) < 60
                else Message("doc-hint-quote-value"),
            )
        message = Message(
            "doc-indented-more",
            line=mark.line + 1,
            above=above + 1,
            spaces=_spaces(start),
            indent=above_indent,
        )
        hint = Message("doc-hint-indent-like", indent=above_indent, above=above + 1)
        return _error("yaml-syntax", message, name, where, hint)
    if (
        problem.startswith(("did not find expected key", "expected <block end>"))
        and above is not None
        and mark.column == start
        and start < above_indent
    ):
        levels: set[int] = set()
        for text in lines[: mark.line]:
            if text.strip() and not text.lstrip().startswith("#"):
                levels.add(_indent(text))
                content = re.match(r" *(?:- +)*", text)
                levels.add(content.end() if content else 0)  # a key after '- '
        deeper = [level for level in levels if level > start]
        shallower = [level for level in levels if level < start]
        near = [*([min(deeper)] if deeper else []), *([max(shallower)] if shallower else [])]
        if not near:
            return None
        suggestion = Message("doc-either", first=near[0], second=near[1]) if near[1:] else near[0]
        message = Message("doc-indent-no-level", line=mark.line + 1, spaces=_spaces(start))
        hint = Message("doc-hint-indent-levels", levels=suggestion)
        return _error("yaml-syntax", message, name, where, hint)
    return None


def _spaces(count: int) -> str:
    return Message("doc-space", count=count) if count == 1 else Message("doc-spaces", count=count)


def _alias_error(found: str, name: str, where: _Pos) -> DocumentError:
    """The error for an anchor, alias or merge key."""
    message = Message("doc-alias", found=found)
    hint = Message("doc-hint-write-out")
    return _error("yaml-alias", message, name, where, hint)


def _add_yaml_node(event: yaml.NodeEvent, name: str, tree: _Tree, line: int, column: int) -> None:
    """Add a scalar or collection-start event as a key or a value."""
    is_key = tree.expects_key()
    if not isinstance(event, yaml.ScalarEvent):
        if is_key:
            message = Message("doc-key-collection")
            hint = Message("doc-hint-plain-keys")
            raise _error("non-string-key", message, name, (line, column), hint)
        tree.add({} if isinstance(event, yaml.MappingStartEvent) else [], line, column)
        return
    value = _resolve(event)
    if not is_key:
        tree.add(value, line, column)
    elif event.style in _BLOCK_STYLES:
        message = Message("doc-key-block")
        raise _error("non-string-key", message, name, (line, column), Message("doc-hint-plain-key"))
    elif event.style in (None, "") and value == "<<":
        raise _alias_error(Message("doc-found-merge-key"), name, (line, column))
    elif isinstance(value, str):
        tree.key(value, line, column)
    else:
        kinds = {bool: Message("doc-kind-boolean"), type(None): Message("doc-kind-null")}
        kind = kinds.get(type(value), Message("doc-kind-number"))
        message = Message("doc-key-not-string", key=event.value, kind=kind)
        hint = (
            Message("doc-hint-quote-key", key=event.value)
            if event.value
            else Message("doc-hint-key-name")
        )
        raise _error("non-string-key", message, name, (line, column), hint)


class _JsonRejectError(Exception):
    """A JSON value perfscore refuses, found by a json.loads hook."""


def _json_object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """object_pairs_hook: build a dict, refusing duplicate keys."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _JsonRejectError("duplicate key")
    return result


def _json_constant(text: str) -> object:
    """parse_constant: refuse NaN and Infinity."""
    raise _JsonRejectError(f"{text} is not a JSON number perfscore accepts (NaN/Infinity)")


def _json_int(text: str) -> int:
    """parse_int: an int of at most 40 digits."""
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise _JsonRejectError(f"integer of more than {_MAX_INT_DIGITS} digits")
    return int(text)


def _json_float(text: str) -> object:
    """parse_float: an exact Decimal, or the text itself for an exponent form."""
    return text if "e" in text or "E" in text else Decimal(text)


#: the json module's reasons (the start of its message) and the catalogue's words for them
_JSON_REASONS = (
    ("Expecting property name enclosed in double quotes", "doc-json-key-expected"),
    ("Expecting ',' delimiter", "doc-json-comma-expected"),
    ("Expecting ':' delimiter", "doc-json-colon-expected"),
    ("Expecting value", "doc-json-value-expected"),
    ("Invalid control character", "doc-json-control-character"),
    ("Unterminated string", "doc-json-unterminated"),
    ("Extra data", "doc-json-extra-data"),
    ("Invalid \\escape", "doc-json-escape"),
    ("Invalid \\uXXXX escape", "doc-json-escape"),
)


#: where json expected a key, what stands there instead: a '}' after a ',' (a trailing comma),
#: a second ',', a key in single quotes; anything else (an unquoted key) is the plain message
_KEY_EXPECTED = {
    "}": "doc-json-key-trailing-comma",
    ",": "doc-json-key-double-comma",
    "'": "doc-json-key-single-quotes",
}


def _parse_json(text: str, name: str, tree: _Tree) -> object:
    """Parse JSON with the json module; `_scan_json` supplies limits and locations first."""
    _scan_json(text, name, tree)
    try:
        return json.loads(
            text,
            object_pairs_hook=_json_object,
            parse_constant=_json_constant,
            parse_int=_json_int,
            parse_float=_json_float,
        )
    except json.JSONDecodeError as exc:
        reason = next((key for start, key in _JSON_REASONS if exc.msg.startswith(start)), None)
        if reason == "doc-json-key-expected":  # say what stands where the key belongs
            found = text[exc.pos : exc.pos + 1]
            reason = _KEY_EXPECTED.get(found, "doc-json-key-expected")
        problem = exc.msg if reason is None else Message(reason)
        message = Message("doc-json-problem", problem=problem)
        raise _error("json-syntax", message, name, (exc.lineno, exc.colno)) from exc
    except _JsonRejectError as exc:  # the scan reports these with a location; this is a safety net
        code: ErrorCode = "duplicate-key" if str(exc) == "duplicate key" else "json-syntax"
        raise _error(code, str(exc), name, (1, 1)) from exc
    except RecursionError as exc:
        raise _error("too-deep", Message("doc-too-deep-to-parse"), name) from exc


def _scan_json(text: str, name: str, tree: _Tree) -> None:
    """Feed JSON tokens to `tree` for locations, limits and duplicate keys.

    The scan trusts json.loads to judge syntax: at anything it does not expect it stops, keeping the
    locations found so far.
    """
    index, line, line_start = 0, 1, 0
    while match := _JSON_TOKEN.match(text, index):
        start = match.start(match.lastindex or 0)
        # json.JSONDecodeError counts lines by LF only; so do these locations
        breaks = text.count("\n", index, start)
        if breaks:
            line, line_start = line + breaks, text.rfind("\n", index, start) + 1
        index, column = match.end(), start - line_start + 1
        string, punct, atom = match.groups()
        if punct in ("{", "["):
            if tree.expects_key():
                return
            tree.add({} if punct == "{" else [], line, column)
        elif punct in ("}", "]"):
            if not tree.stack:
                return
            tree.end()
        elif string is not None and tree.expects_key():
            try:
                key = json.loads(string)
            except ValueError:
                return
            tree.key(key, line, column)
        elif punct is None and not tree.expects_key():
            value = string or atom
            try:
                decoded = json.loads(string) if string else None
            except ValueError:
                return
            if value in _JSON_CONSTANTS:
                message = Message("doc-json-constant", value=value)
                hint = Message("doc-hint-number")
                raise _error("json-syntax", message, name, (line, column), hint)
            if _JSON_INT.match(value) and len(value.lstrip("-")) > _MAX_INT_DIGITS:
                message = Message("doc-json-int", digits=_MAX_INT_DIGITS)

                raise _error("json-syntax", message, name, (line, column))
            if _JSON_NUMBER.match(value) and len(value) > _MAX_NUMBER_CHARS:
                # as in YAML: a number of more than 40 characters is refused, never echoed
                message = Message("doc-json-number", chars=_MAX_NUMBER_CHARS)
                raise _error("json-syntax", message, name, (line, column))
            tree.add(decoded, line, column)
        elif punct is None:
            return
