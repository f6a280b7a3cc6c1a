"""The ``perfscore`` command.

Exit codes, the same for every command: 0 success; 1 the command ran and found what it looks
for (a failing check or case, a discrepancy when asked to fail on one); 2 the input could not be
used (a located error on stderr, no traceback); 3 an internal error; 4 the output could not be
written (a full disk, a reader that closed the pipe): the environment, not the input.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import io
import itertools
import json
import math
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfscore._errors import (
    Finding,
    PerfscoreError,
    Problem,
    UsageError,
    os_reason,
    write_hint,
)
from perfscore._load._document import utf8_or
from perfscore._load._facts import FactsDocument
from perfscore._messages import LANGUAGES, Message, in_language, say
from perfscore._output._scorecard import dump_json
from perfscore._output._text import width
from perfscore._output._words import DEFAULT_LANGUAGE
from perfscore._rubric import Rubric, listed_rubrics
from perfscore._tools import _batch
from perfscore._tools._batch import SCORECARD_FORMATS
from perfscore._version import __version__

__all__ = ["main"]


EXIT_OK, EXIT_FOUND, EXIT_INPUT, EXIT_INTERNAL, EXIT_OUTPUT = 0, 1, 2, 3, 4


class _OutputError(Exception):
    """Writing to stdout failed: an environment problem (disk full, pipe closed), not a bug."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause)
        self.cause = cause


def _write(text: str | bytes) -> None:
    """Write to stdout, telling an output failure apart from every other OSError."""
    try:
        if isinstance(text, bytes):  # a binary format: after what is buffered as text
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
    except OSError as exc:
        raise _OutputError(exc) from exc


def _flush() -> None:
    """Flush stdout now, so a full disk is reported here and not at interpreter exit."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        raise _OutputError(exc) from exc


def _output_failed(exc: OSError, *, as_json: bool = False, language: str = "en") -> int:
    """Report an output failure on stderr and silence stdout for the interpreter's last flush."""
    if isinstance(exc, BrokenPipeError):
        message = Message("cli-output-failed", reason=Message("cli-pipe-closed"))
        hint = Message("cli-pipe-hint")
    elif exc.filename is not None:  # a file named by -o, --summary, ...: named, with what to do
        path = os.fsdecode(exc.filename)
        message = Message("cli-cannot-write", path=path, reason=os_reason(exc))
        hint = write_hint(exc)
    else:
        message = Message("cli-output-failed", reason=os_reason(exc))
        hint = write_hint(exc)
    problem = Problem("output-failed", message, hint=hint)
    if sys.stdout is sys.__stdout__ and sys.stdout is not None:
        # what is still buffered cannot be written either; Python's exit would fail on it again
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
    try:
        text = f"perfscore: {problem.render(language)}"
        _report("OutputError", [problem], text, as_json=as_json, language=language)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return EXIT_OUTPUT


#: argparse's own words in --help (its gettext message ids), said through the catalogue.
_ARGPARSE_WORDS = {
    "usage: ": "cli-argparse-usage",
    "positional arguments": "cli-argparse-positionals",
    "options": "cli-argparse-options",
    "show this help message and exit": "cli-help-help",
}


@contextlib.contextmanager
def _argparse_words(language: str) -> Iterator[None]:
    """argparse's own words (``usage:``, ``options``) in `language` while help is built or shown.

    argparse looks its words up through ``gettext`` at the moment it uses them; for as long as
    this lasts its lookup says them from the catalogue instead. Error messages are not built
    here: they stay English, and `_argparse_message` says them in the user's language.
    """
    original = argparse._  # type: ignore[attr-defined]

    def words(text: str) -> str:
        key = _ARGPARSE_WORDS.get(text)
        return original(text) if key is None else say(language, key)

    argparse._ = words  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


#: argparse's English error messages, as the catalogue's messages (so they can be said in zh).
_ARGPARSE_ERRORS = (
    (r"the following arguments are required: (?P<names>.*)", "cli-args-required"),
    (r"unrecognized arguments: (?P<names>.*)", "cli-args-unrecognized"),
    (r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", "cli-arg-invalid-choice"),
    (r"expected one argument", "cli-arg-expected-one"),
    (r"expected at least one argument", "cli-arg-expected-some"),
    (r"invalid (?P<type>\w+) value: (?P<value>.*)", "cli-arg-invalid-value"),
    (r"expected a percentage from 0 to 100, got (?P<value>.*)", "cli-percent-expected"),
    (r"expected a whole number from 1, got (?P<value>.*)", "cli-positive-expected"),
)


def _argparse_message(text: str) -> str:
    """An argparse error message as a `Message` with the same English text, where it is known.

    A message it does not know is kept as argparse wrote it (English).
    """
    import re

    found = re.fullmatch(r"argument (?P<argument>[^:]+): (?P<problem>.*)", text, re.S)
    if found is not None:
        inner = _argparse_message(found["problem"])
        if isinstance(inner, Message):
            return Message("cli-arg-problem", argument=found["argument"], problem=inner)
        return text
    for pattern, key in _ARGPARSE_ERRORS:
        found = re.fullmatch(pattern, text, re.S)
        if found is not None:
            message = Message(key, **found.groupdict())
            return message if message == text else text
    return text


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help, an option's text wrapped by the columns it takes in a terminal: a
    Chinese character takes two (argparse counts characters, so Chinese help ran past the
    terminal's edge), and a line breaks between any two of them, never before a closing mark
    nor after an opening one."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        if text.isascii():
            return super()._split_lines(text, width)
        return _wrap_columns(text, width)


#: marks that close a phrase: a line does not begin with one (it stays on the line before)
_CLOSING = frozenset("，。、；：）」』》！？,.;:)")
#: marks that open one: a line does not end with one (it goes to the next line)
_OPENING = frozenset("（「『《(")


def _wrap_columns(text: str, columns: int) -> list[str]:
    """`text` with its runs of white space made one, in lines of at most `columns` terminal
    columns: ASCII words are not broken, a wide character may start a line."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for token in re.findall(r"\s+|[!-~]+|.", text.strip()):
        if token.isspace():
            space = True
            continue
        gap = 1 if space and line else 0
        need = width(token)
        if line and used + gap + need > columns and token not in _CLOSING:
            carried = ""
            if line[-1] in _OPENING and len(line) > 1:  # an opening mark goes with what it opens
                line, carried = line[:-1], line[-1]
            lines.append(line.rstrip())
            line, used = carried + token, width(carried) + need
        else:
            line += " " * gap + token
            used += gap + need
        space = False
    if line:
        lines.append(line)
    return lines


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so exit codes stay ours.

    Abbreviated options are refused (``--fail`` must not silently mean ``--fail-on-change``),
    and a command's epilog (its example and exit codes) is printed as written. Its help is said
    in `language`, argparse's own words too.
    """

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", _HelpFormatter)
        self.language = language
        with _argparse_words(language):
            super().__init__(*args, **kwargs)

    def format_help(self) -> str:
        with _argparse_words(self.language):
            text = super().format_help()
        if self.language != "en":  # argparse ends a section's heading with an ASCII colon
            for key in ("cli-argparse-positionals", "cli-argparse-options"):
                heading = say(self.language, key)
                text = text.replace(f"\n{heading}:\n", f"\n{heading}：\n")
        return text

    def format_usage(self) -> str:
        with _argparse_words(self.language):
            return super().format_usage()

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = Message("cli-see-help", prog=self.prog)
        raise UsageError(Problem("bad-argument", _argparse_message(message), hint=hint))

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """argparse's, but words no option takes are reported by the command they were given
        to: its help named, and the option meant when one is close (``--frmat``)."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self._command(getattr(parsed, "command", None))
            command._unrecognized(extras)
        return parsed

    def _command(self, name: object) -> _Parser:
        """The parser of the subcommand `name`, or this one."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                found = action.choices.get(name) if isinstance(name, str) else None
                if isinstance(found, _Parser):
                    return found
        return self

    def _unrecognized(self, extras: Sequence[str]) -> None:
        options = [o for action in self._actions for o in action.option_strings]
        hint: str = Message("cli-see-help", prog=self.prog)
        for word in extras:
            if word.startswith("-"):
                close = difflib.get_close_matches(word.split("=", 1)[0], options, n=1)
                if close:
                    hint = Message("cli-hint-option-meant", option=close[0], prog=self.prog)
                    break
        message = Message("cli-args-unrecognized", names=" ".join(extras))
        raise UsageError(Problem("bad-argument", message, hint=hint))


def _percent(text: str) -> float:
    """A coverage threshold: a finite number of percent (``nan`` would compare as never below)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(Message("cli-percent-expected", value=repr(text)))
    return value


def _positive(text: str) -> int:
    """A count of worker processes: a whole number from 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(Message("cli-positive-expected", value=repr(text)))
    return value


def _asked_language(words: Sequence[str]) -> str | None:
    """The language ``--lang`` names anywhere on the command line, else None.

    Read before parsing, so that the help and argparse's own errors are in that language too
    (argparse takes ``--lang`` before or after the command's name).
    """
    found = None
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(words):
            found = words[i + 1]
        elif word.startswith("--lang="):
            found = word.removeprefix("--lang=")
    return found if found in LANGUAGES else None


def _default_language() -> str:
    """The language where no ``--lang`` and no rubric says one: ``PERFSCORE_LANG``, else zh."""
    value = os.environ.get("PERFSCORE_LANG", "")
    if not value:
        return DEFAULT_LANGUAGE
    if value not in LANGUAGES:
        raise UsageError(
            Problem(
                "bad-argument",
                Message("cli-lang-env", value=repr(value)),
                hint=Message("cli-lang-env-hint"),
            )
        )
    return value


def _language(args: argparse.Namespace | None, rubric: str | None = None) -> str:
    """The language a message is said in: ``--lang``, the rubric's, ``PERFSCORE_LANG``, zh."""
    asked = getattr(args, "lang", None)
    if asked:
        return str(asked)
    return rubric or getattr(args, "default_lang", None) or DEFAULT_LANGUAGE


def _lang_option(command: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--lang, on the top parser and on every command (so it may come anywhere on the line)."""
    language = getattr(command, "language", "en")
    command.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None if top else argparse.SUPPRESS,
        help=say(language, "cli-help-lang"),
    )


def _said(command: argparse.ArgumentParser, key: str, **values: object) -> str:
    """A help text in the language of `command`'s help."""
    return say(getattr(command, "language", "en"), key, **values)


def _rubric_dirs(command: argparse.ArgumentParser) -> None:
    """--rubric-dir, on every command that resolves a rubric's id@version."""
    command.add_argument(
        "--rubric-dir",
        action="append",
        default=[],
        metavar="DIR",
        help=_said(command, "cli-help-rubric-dir"),
    )


def _rubric(args: argparse.Namespace, ref: str) -> Rubric:
    """A rubric named on the command line: a file, or id@version in the search path."""
    _batch.clear_rubrics()
    return _batch.load_rubric_ref(ref, tuple(args.rubric_dir), args.encoding)


def _encoding(command: argparse.ArgumentParser, what: str) -> None:
    """--encoding, on every command that reads a file people may have saved as GBK."""
    command.add_argument(
        "--encoding",
        metavar="ENC",
        help=_said(command, "cli-help-encoding", what=Message(what)),
    )


#: The commands whose --help ends with an example and the exit codes (`cli-epilog-*`).
_EPILOGS = ("score", "test", "rubrics", "check", "diff", "schema", "template")


def _output(command: argparse.ArgumentParser) -> None:
    """-o/--output on a command whose document main() writes to a file instead of stdout."""
    command.add_argument("-o", "--output", metavar="FILE", help=_said(command, "cli-help-output"))
    command.set_defaults(capture_output=True)


def _parser(language: str = "en") -> _Parser:
    parser = _Parser(
        prog="perfscore",
        description=say(language, "cli-help-description"),
        language=language,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help=say(language, "cli-help-help"))
    parser.add_argument(
        "--version",
        action="version",
        version=f"perfscore {__version__}",
        help=say(language, "cli-help-version"),
    )
    _lang_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def command(name: str, **kwargs: Any) -> _Parser:
        if name in _EPILOGS:
            kwargs["epilog"] = say(language, f"cli-epilog-{name}")
        made: _Parser = sub.add_parser(
            name, help=say(language, f"cli-help-{name}"), language=language, **kwargs
        )
        _lang_option(made)
        return made

    score = command("score")
    score.add_argument(
        "facts", nargs="+", metavar="PATH", help=say(language, "cli-help-score-facts")
    )
    score.add_argument("--rubric", help=say(language, "cli-help-score-rubric"))
    _rubric_dirs(score)
    score.add_argument(
        "--format",
        choices=tuple(SCORECARD_FORMATS),
        default=None,  # text, or what -o FILE's suffix says (`_score_format`)
        help=say(language, "cli-help-format"),
    )
    score.add_argument(
        "--layout",
        choices=("department", "project"),
        help=say(language, "cli-help-score-layout"),
    )
    score.add_argument(
        "-o", "--output", metavar="PATH", help=say(language, "cli-help-score-output")
    )
    score.add_argument("--summary", metavar="FILE", help=say(language, "cli-help-score-summary"))
    score.add_argument(
        "--jobs",
        type=_positive,
        default=1,
        metavar="N",
        help=say(language, "cli-help-score-jobs"),
    )
    score.add_argument(
        "-q", "--quiet", action="store_true", help=say(language, "cli-help-score-quiet")
    )
    score.add_argument(
        "--no-trace", action="store_true", help=say(language, "cli-help-score-no-trace")
    )
    _fail_on(score)
    _encoding(score, "cli-what-score")
    score.set_defaults(run=_score)

    test = command("test")
    test.add_argument("paths", nargs="+", help=say(language, "cli-help-test-paths"))
    test.add_argument(
        "--coverage", action="store_true", help=say(language, "cli-help-test-coverage")
    )
    test.add_argument(
        "--threshold",
        type=_percent,
        metavar="P",
        help=say(language, "cli-help-test-threshold"),
    )
    test.add_argument(
        "-v", "--verbose", action="store_true", help=say(language, "cli-help-test-verbose")
    )
    _fail_on(test, "cli-help-test-fail-on-when")
    test.add_argument(
        "--allow-dir",
        action="append",
        default=[],
        metavar="DIR",
        help=say(language, "cli-help-test-allow-dir"),
    )
    test.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=say(language, "cli-help-test-format"),
    )
    _encoding(test, "cli-what-test")
    _output(test)
    test.set_defaults(run=_test)

    listing = command("rubrics")
    _rubric_dirs(listing)
    _output(listing)
    listing.set_defaults(run=_rubrics)

    check = command("check")
    check.add_argument(
        "rubrics", nargs="+", metavar="RUBRIC", help=say(language, "cli-help-check-rubrics")
    )
    check.add_argument("--strict", action="store_true", help=say(language, "cli-help-check-strict"))
    check.add_argument(
        "--properties",
        action="store_true",
        help=say(language, "cli-help-check-properties"),
    )
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help=say(language, "cli-help-format")
    )
    check.add_argument(
        "--unknowns",
        action="store_true",
        help=say(language, "cli-help-check-unknowns"),
    )
    _rubric_dirs(check)
    _encoding(check, "cli-what-check")
    _output(check)
    check.set_defaults(run=_check)

    diff = command("diff")
    diff.add_argument("old", help=say(language, "cli-help-diff-old"))
    diff.add_argument("new", help=say(language, "cli-help-diff-new"))
    diff.add_argument(
        "--facts",
        nargs="+",
        metavar="PATH",
        help=say(language, "cli-help-diff-facts"),
    )
    diff.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help=say(language, "cli-help-format"),
    )
    diff.add_argument(
        "--fail-on-change",
        action="store_true",
        help=say(language, "cli-help-diff-fail-on-change"),
    )
    _rubric_dirs(diff)
    _encoding(diff, "cli-what-diff")
    _output(diff)
    diff.set_defaults(run=_diff)

    schema = command("schema")
    schema.add_argument(
        "kind",
        nargs="?",
        choices=("rubric", "facts", "scorecard"),
        default="rubric",
        help=say(language, "cli-help-schema-kind"),
    )
    schema.add_argument("rubric", nargs="?", help=say(language, "cli-help-schema-rubric"))
    _rubric_dirs(schema)
    _encoding(schema, "cli-what-rubric")
    _output(schema)
    schema.set_defaults(run=_schema)

    template = command("template")
    template.add_argument("rubric", help=say(language, "cli-help-rubric-ref"))
    template.add_argument(
        "-o", "--output", metavar="FILE", help=say(language, "cli-help-template-output")
    )
    _rubric_dirs(template)
    template.add_argument(
        "--format",
        choices=("yaml", "xlsx"),
        default=None,
        help=say(language, "cli-help-template-format"),
    )
    _encoding(template, "cli-what-rubric")
    template.set_defaults(run=_template)

    generated = command("compile")
    generated.add_argument("rubric", help=say(language, "cli-help-rubric-ref"))
    generated.add_argument(
        "--show", action="store_true", help=say(language, "cli-help-compile-show")
    )
    _rubric_dirs(generated)
    _encoding(generated, "cli-what-rubric")
    generated.set_defaults(run=_compile)
    return parser


def _fail_on(command: argparse.ArgumentParser, when: str = "cli-help-fail-on-when") -> None:
    """``--fail-on error|warning|discrepancy``, and ``--fail-on-discrepancy`` as its alias."""
    command.add_argument(
        "--fail-on",
        choices=("error", "warning", "discrepancy"),
        metavar="LEVEL",
        help=_said(command, "cli-help-fail-on", when=Message(when)),
    )
    command.add_argument(
        "--fail-on-discrepancy",
        action="store_const",
        const="discrepancy",
        dest="fail_on",
        help=_said(command, "cli-help-fail-on-discrepancy"),
    )


#: the scorecard format a file's suffix names, for ``score -o FILE`` without ``--format``:
#: each format's own suffix, and ``.htm``
_FORMAT_OF_SUFFIX = {
    **{fmt.suffix: name for name, fmt in SCORECARD_FORMATS.items()},
    ".htm": "html",
}


def _score_format(args: argparse.Namespace) -> str:
    """The scorecard format: ``--format``, else what ``-o FILE``'s suffix names, else text. A
    ``--format`` that another format's suffix contradicts is refused: text written to
    ``card.xlsx`` opens as a broken workbook (a ``.txt`` takes any format that is text)."""
    output = args.output
    single = len(args.facts) == 1 and not _jsonl(args.facts[0])
    suffix = Path(output).suffix.lower() if output and single else ""
    if output and (Path(output).is_dir() or output.endswith(("/", os.sep))):
        suffix = ""  # a folder: its name says nothing of the format
    implied = _FORMAT_OF_SUFFIX.get(suffix)
    if args.format is None:
        return implied or "text"
    text_formats = set(_batch.SCORECARD_FORMATS) - _batch.BINARY_FORMATS
    if suffix == ".txt" and args.format in text_formats:
        return str(args.format)  # plain text holds any of the text formats
    if implied is not None and implied != args.format:
        right = _batch.SCORECARD_FORMATS[args.format].suffix
        raise _suffix_conflict(output, suffix, implied, args.format, right)
    return str(args.format)


def _suffix_conflict(output: str, suffix: str, implied: str, fmt: str, right: str) -> UsageError:
    """The error of ``-o FILE`` whose `suffix` names the format `implied`, beside ``--format
    fmt`` (whose files end in `right`)."""
    return UsageError(
        Problem(
            "bad-argument",
            Message(
                "cli-format-suffix-conflict",
                name=output,
                suffix=suffix,
                implied=implied,
                format=fmt,
            ),
            hint=Message(
                "cli-format-suffix-conflict-hint", name=str(Path(output).with_suffix(right))
            ),
        )
    )


def _score(args: argparse.Namespace) -> int:
    _batch.clear_rubrics()  # a rubric file may have changed since the last call in this process
    args.format = _score_format(args)
    options = _batch.Options(
        rubric=args.rubric,
        rubric_dirs=tuple(args.rubric_dir),
        encoding=args.encoding,
        trace=not args.no_trace,
        format=args.format,
        fail_on=args.fail_on,
        layout=args.layout,
    )
    if args.summary:
        _batch.check_summary_target(args.summary)
    if args.rubric:  # a rubric that cannot be used stops the run before any document is read
        _batch.load_rubric_ref(args.rubric, options.rubric_dirs, args.encoding)
    [name] = args.facts if len(args.facts) == 1 else [None]
    if name is not None and (name == "-" or not (Path(name).is_dir() or _jsonl(name))):
        return _score_one(args, options, name)
    return _score_many(args, options)


def _jsonl(name: str) -> bool:
    return name.lower().endswith(".jsonl")


def _score_one(args: argparse.Namespace, options: _batch.Options, name: str) -> int:
    """One document: its scorecard on stdout (or in -o), errors raised as for every command."""
    fmt = _batch.SCORECARD_FORMATS[args.format]
    stem = "stdin" if name == "-" else Path(name).stem
    target = None
    folder = False  # -o names a folder: made when missing, as for many documents
    if args.output:
        target = Path(args.output)
        if target.is_dir() or args.output.endswith(("/", os.sep)):
            folder = True
            target = target / (stem + fmt.suffix)
    outputs = [("-o", target)] if target is not None else []
    if args.summary:
        outputs.append(("--summary", Path(args.summary)))
    _batch.check_not_inputs([] if name == "-" else [(name, name)], outputs)
    if name == "-":
        source = _batch.Source("-", data=_read_stdin())
    else:
        source = _batch.Source(name, path=name, stem=stem)
    facts = _batch.read_source(source, args.encoding, _batch.given_rubric(source, options))
    rubric = _batch.resolve_rubric(
        facts, args.rubric, dirs=options.rubric_dirs, encoding=args.encoding
    )
    _warn(facts, _language(args, rubric.model.language))
    card = rubric.evaluate(facts, trace=options.trace)
    if args.format in _batch.BINARY_FORMATS and not args.output and sys.stdout.isatty():
        raise UsageError(
            Problem(
                "bad-argument",
                Message("cli-binary-to-terminal", format=args.format),
                hint=Message("cli-binary-to-terminal-hint", suffix=fmt.suffix),
            )
        )
    data = fmt.render(_batch.relaid(card, args.layout))
    if target is not None:
        if folder:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # no output can be written: exit 4, the folder and why named
                raise _OutputError(exc) from exc
        _write_file(target, data)
    else:
        _write(data)
    row = _batch.Row.scored(source.name, card, args.fail_on, facts.warnings)
    if args.summary:
        _write_summary(args.summary, [row], _language(args, card.rubric.language))
    return _exit_code([row])


def _score_many(args: argparse.Namespace, options: _batch.Options) -> int:
    """Several documents: one summary row each on stdout; an unusable one is a row, not the end."""
    sources, repeats = _batch.without_repeats(_batch.expand_inputs(args.facts, _read_stdin))
    for repeat, first in repeats:  # scored once: a second row would be ranked beside the first
        message = (
            Message("batch-repeated-same", name=repeat.name)
            if repeat.name == first.name
            else Message("batch-repeated", name=repeat.name, first=first.name)
        )
        _warn_one(Problem("bad-argument", message, severity="warning"), _language(args))
    if args.output:
        target = Path(args.output)
        suffixes = {f.suffix for f in _batch.SCORECARD_FORMATS.values()} | set(
            _batch.SUMMARY_SUFFIXES
        )
        if not target.is_dir() and target.suffix.lower() in suffixes:
            # several documents write a folder of scorecards: a file's name was meant otherwise
            raise UsageError(
                Problem(
                    "bad-argument",
                    Message("cli-output-not-folder", path=args.output, count=len(sources)),
                    hint=Message("cli-hint-output-not-folder", path=args.output),
                )
            )
        options = replace(options, output_dir=args.output)
        _batch.check_outputs(sources, options)
    _check_not_inputs(args, sources)
    if args.output:
        try:
            Path(args.output).mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # no output can be written: exit 4, the folder and why named
            raise _OutputError(exc) from exc
    with _progress(len(sources), quiet=args.quiet, language=_language(args)) as done:
        rows = _batch.run_batch(sources, options, jobs=args.jobs, done=done)
    rows = _batch.rank_rows(rows)
    # the batch speaks one language: --lang, else its rubrics', else its errors', else the default
    errors = (row.exception.language for row in rows if row.exception is not None)
    language = _language(args, _batch.summary_language(rows, next(errors, None)))
    for row in rows:
        for warning in row.reader_warnings:  # a workbook formula's cached value, for one
            text = warning.render(language)
            sys.stderr.write(say(language, "batch-reader-warning", input=row.input, text=text))
            sys.stderr.write("\n")
        error = row.error_in(language)
        if error is None:
            continue
        if args.format == "json":
            problems = row.problems_in(language)
            record = {"error": row.error_kind, "input": row.input, "problems": problems}
            sys.stderr.write(dump_json(record, indent=None) + "\n")
        else:
            shown = error if row.input in error else f"{row.input}: {error}"
            sys.stderr.write(shown + "\n")
    if args.format == "json":
        _write(_batch.summary_json(rows, language))
    else:
        _write(_batch.summary_table(rows, language, markdown=args.format == "markdown"))
    if args.summary:
        _write_summary(args.summary, rows, language)
    return _exit_code(rows)


def _check_not_inputs(args: argparse.Namespace, sources: Sequence[_batch.Source]) -> None:
    """Refuse a batch whose scorecards under ``-o DIR`` or ``--summary`` would be written over
    one of the files it scores (a folder of JSON facts scored into itself as JSON)."""
    inputs = [(s.name, s.path) for s in sources if s.path is not None]
    inputs += [(name, name) for name in args.facts if name != "-"]  # a JSONL file, for one
    outputs: list[tuple[str, Path]] = []
    if args.output:
        suffix = _batch.SCORECARD_FORMATS[args.format].suffix
        outputs += [
            ("-o", Path(args.output, s.stem + suffix)) for s in sources if s.problem is None
        ]
    if args.summary:
        outputs.append(("--summary", Path(args.summary)))
    _batch.check_not_inputs(inputs, outputs)


def _exit_code(rows: Sequence[_batch.Row]) -> int:
    """The exit code of scoring: the worst of the documents' outcomes.

    3 a bug scoring a document; 4 a scorecard could not be written; 2 an input could not be
    used; 1 a finding the options ask to fail on; else 0.
    """
    failures = {row.failure for row in rows}
    for failure, code in (("internal", EXIT_INTERNAL), ("output", EXIT_OUTPUT)):
        if failure in failures:
            return code
    if "input" in failures:
        return EXIT_INPUT
    if any(row.fails for row in rows):  # a finding --fail-on asks to fail on
        return EXIT_FOUND
    return EXIT_OK


@contextlib.contextmanager
def _progress(
    total: int, *, quiet: bool, language: str = "en"
) -> Iterator[Callable[[], None] | None]:
    """A progress bar on stderr, only for a person watching: a terminal, several documents."""
    stream = sys.stderr
    if quiet or total <= 1 or stream is None or not stream.isatty():
        yield None
        return
    tqdm = importlib.import_module("tqdm").tqdm  # a core dependency, imported only here

    with tqdm(
        total=total,
        file=stream,
        desc=say(language, "batch-progress"),
        unit=say(language, "batch-progress-unit"),
        leave=False,
        dynamic_ncols=True,
    ) as bar:
        yield lambda: bar.update(1)


def _read_stdin() -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise UsageError(Problem("bad-argument", Message("cli-no-stdin")))
    return stream.read()


def _write_file(target: Path, data: str | bytes) -> None:
    """Write a document to `target` (an existing one is replaced: a report is regenerated)."""
    try:
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise _OutputError(exc) from exc


def _write_summary(name: str, rows: Sequence[_batch.Row], language: str) -> None:
    try:
        _batch.write_summary(name, rows, language)
    except OSError as exc:
        raise _OutputError(exc) from exc


def _warn(facts: FactsDocument, language: str) -> None:
    """What the reader of a workbook warns about (a formula's cached value read), on stderr."""
    for problem in facts.warnings:
        _warn_one(problem, language)


def _warn_one(problem: Problem, language: str) -> None:
    sys.stderr.write(say(language, "cli-warning", text=problem.render(language)) + "\n")


def _case_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.cases.yaml")))
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(Problem("file-not-found", Message("cli-no-such-path", name=name)))
    if not files:
        raise UsageError(
            Problem(
                "bad-argument",
                Message("cli-no-cases"),
                hint=Message("cli-no-cases-hint"),
            )
        )
    return files


def _test(args: argparse.Namespace) -> int:
    from perfscore._tools._cases import coverage, load_cases, run_case, unexpected_findings

    counts = {"pass": 0, "fail": 0, "todo": 0}
    below = unexpected = False
    as_json = getattr(args, "format", "text") == "json"
    write = (lambda _text: None) if as_json else _write
    files: list[dict[str, object]] = []
    wants_coverage = args.coverage or args.threshold is not None
    languages: set[str] = set()
    for path in _case_files(args.paths):
        case_file = utf8_or(load_cases, path, args.encoding, allowed_dirs=args.allow_dir)
        lang = _language(args, case_file.rubric.model.language)
        languages.add(lang)
        results = [run_case(case_file, case, branches=wants_coverage) for case in case_file.cases]
        shown: list[dict[str, object]] = []
        for r in results:
            counts[r.status] += 1
            label = say(lang, f"test-{r.status}")
            todo = say(lang, "test-todo-why", why=r.case.todo) if r.status == "todo" else ""
            line = say(lang, "test-case", label=label, path=case_file.path, name=r.case.name)
            write(line + todo + "\n")
            failures = r.failures if r.status == "fail" else ()
            for failure in failures:
                said = str(in_language(failure, lang))
                write("    " + said.replace("\n", "\n    ") + "\n")
            findings = unexpected_findings(r, args.fail_on) if args.fail_on else []
            for finding in findings:
                unexpected = True
                said = str(in_language(finding, lang))
                write(say(lang, "test-unexpected", level=args.fail_on, finding=said) + "\n")
            row: dict[str, object] = {
                "name": r.case.name,
                "status": r.status,
                "failures": list(failures),
            }
            shown.append(
                row
                | ({"todo": r.case.todo} if r.status == "todo" else {})
                | ({"unexpected_findings": findings} if findings else {})
            )
        entry: dict[str, object] = {
            "path": case_file.path,
            "rubric": case_file.rubric.ref,
            "cases": shown,
        }
        if wants_coverage:
            cov = coverage(case_file.rubric, results)
            ref = case_file.rubric.ref
            done, total, percent = cov.exercised, cov.total, cov.percent
            write(say(lang, "test-rules", ref=ref, done=done, total=total, percent=percent) + "\n")
            for ind, rules in cov.missing.items():
                write(say(lang, "test-not-exercised", owner=ind, rules=", ".join(rules)) + "\n")
            if cov.branches:
                done, total, percent = cov.branches_taken, cov.branches, cov.branch_percent
                said = say(lang, "test-branches", ref=ref, done=done, total=total, percent=percent)
                write(said + "\n")
            for owner, arms in cov.branches_missing.items():
                for arm in arms:
                    said = str(in_language(arm, lang))
                    write(say(lang, "test-not-taken", owner=owner, arm=said) + "\n")
            entry["coverage"] = {
                "rules": {
                    "total": cov.total,
                    "exercised": cov.exercised,
                    "percent": float(round(cov.percent, 1)),
                    "missing": {k: list(v) for k, v in cov.missing.items()},
                },
                "branches": {
                    "total": cov.branches,
                    "taken": cov.branches_taken,
                    "percent": float(round(cov.branch_percent, 1)),
                    "missing": {k: list(v) for k, v in cov.branches_missing.items()},
                },
            }
            if args.threshold is not None:
                limit = Decimal(str(args.threshold))
                for what, percent in (("rules", cov.percent), ("branches", cov.branch_percent)):
                    if percent < limit:
                        below = True
                        key = f"test-below-{what}"
                        write(say(lang, key, percent=percent, threshold=args.threshold) + "\n")
                entry["below_threshold"] = cov.percent < limit or cov.branch_percent < limit
        files.append(entry)
    lang = _language(args, languages.pop() if len(languages) == 1 else None)
    todo = say(lang, "test-summary-todo", todo=counts["todo"]) if counts["todo"] else ""
    write(say(lang, "test-summary", passed=counts["pass"], failed=counts["fail"]) + todo + "\n")
    if as_json:
        summary = {"passed": counts["pass"], "failed": counts["fail"], "todo": counts["todo"]}
        report = {"files": files, **summary}
        _write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return EXIT_FOUND if counts["fail"] or below or unexpected else EXIT_OK


def _rubrics(args: argparse.Namespace) -> int:
    rows = listed_rubrics(args.rubric_dir)
    if not any(origin != "bundled" for _, origin in rows):
        for ref, _ in rows:  # the bundled ones alone: one id@version a line, as always
            _write(ref + "\n")
        return EXIT_OK
    seen: set[str] = set()
    refs = max(len(ref) for ref, _ in rows)
    language = _language(args)
    for ref, origin in rows:
        shadowed = say(language, "cli-shadowed") if ref in seen else ""
        seen.add(ref)
        where = say(language, "cli-origin-bundled") if origin == "bundled" else origin
        _write(f"{ref.ljust(refs)}  {where}{shadowed}\n")
    return EXIT_OK


def _plural(language: str, count: int, word: str) -> str:
    """``1 error``, ``2 errors``: the key ``check-count-{word}-one`` or ``-many``."""
    return say(language, f"check-count-{word}-{'one' if count == 1 else 'many'}", count=count)


def _check(args: argparse.Namespace) -> int:
    from perfscore._tools._check import check_rubric, unknown_effects

    findings: list[tuple[Finding, str]] = []  # each finding with the language it is said in
    load_errors: list[dict[str, object]] = []
    languages: set[str] = set()
    checked = unusable = 0
    for ref in args.rubrics:
        try:
            rubric = _rubric(args, ref)
        except PerfscoreError as exc:
            said = _language(args, exc.language)
            text = f"{type(exc).__name__}: {exc.render(said)}"
            as_json = args.format == "json"
            _report(type(exc).__name__, exc.problems, text, as_json=as_json, language=said)
            unusable += 1
            # in JSON the load problems are findings too, so a CI step parsing stdout sees them
            load_errors.extend(p.to_dict(said) for p in exc.problems)
            continue
        checked += 1
        lang = _language(args, rubric.model.language)
        languages.add(lang)
        found = check_rubric(rubric)
        if args.properties:
            found.extend(_properties(rubric))
        if args.unknowns:
            found.extend(unknown_effects(rubric))
        findings.extend((f, lang) for f in found)
    if args.format == "json":
        _write(dump_json([*load_errors, *(f.to_dict(lang) for f, lang in findings)]) + "\n")
    else:
        for finding, lang in findings:
            _write(finding.render(lang) + "\n")
        lang = _language(args, languages.pop() if len(languages) == 1 else None)
        counts = [sum(f.severity == s for f, _ in findings) for s in ("error", "warning", "note")]
        failed = ""
        if unusable:
            failed = say(lang, "check-summary-unusable", rubrics=_plural(lang, unusable, "rubric"))
        summary = say(
            lang,
            "check-summary",
            errors=_plural(lang, counts[0], "error"),
            warnings=_plural(lang, counts[1], "warning"),
            notes=_plural(lang, counts[2], "note"),
            rubrics=_plural(lang, checked, "rubric"),
        )
        _write(summary + failed + "\n")
    if unusable:
        return EXIT_INPUT
    failing = {"error", "warning"} if args.strict else {"error"}
    return EXIT_FOUND if any(f.severity in failing for f, _ in findings) else EXIT_OK


def _properties(rubric: Rubric) -> list[Finding]:
    """``check --properties``: each broken monotonic promise as a finding."""
    try:
        from perfscore._testing._properties import check_properties
    except ImportError as exc:  # hypothesis is an extra
        raise UsageError(
            Problem(
                "bad-argument",
                Message("cli-properties-need"),
                hint="pip install 'perfscore[hypothesis]'",
            )
        ) from exc
    from perfscore._tools._check import property_finding

    return [property_finding(rubric, *found) for found in check_properties(rubric)]


def _diff(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from perfscore._tools import _diff as diffs

    old = _rubric(args, args.old)
    new = _rubric(args, args.new)
    rules = diffs.diff_rubrics(old, new)
    scores = None
    if args.facts:
        for name in args.facts:
            if not Path(name).exists():
                message = Message("cli-no-such-path", name=name)
                raise UsageError(Problem("file-not-found", message))
        documents, failures = diffs.load_corpus(args.facts, encoding=args.encoding)
        if not documents and not failures:
            raise UsageError(
                Problem(
                    "bad-argument",
                    Message("cli-no-facts-found"),
                    hint=Message("cli-no-facts-hint"),
                )
            )
        scores = diffs.diff_scores(old, new, documents)
        scores = replace(scores, failures=(*failures, *scores.failures))
    render = {
        "text": diffs.render_text,
        "json": diffs.render_json,
        "markdown": diffs.render_markdown,
    }[args.format]
    if args.format == "text":
        _write(diffs.render_text(rules, scores, language=_language(args, new.model.language)))
    else:
        _write(render(rules, scores))
    if scores is not None and any(f.version == "both" for f in scores.failures):
        # a document neither version can score is unusable input, as in a batch of `score`
        # (one written for another rubric is left out, not broken: "neither")
        return EXIT_INPUT
    changed = bool(rules.changes) or (scores is not None and scores.changed)
    return EXIT_FOUND if args.fail_on_change and changed else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from perfscore._tools._schema import facts_schema, rubric_schema, scorecard_schema

    if args.kind == "facts":
        if not args.rubric:
            raise UsageError(
                Problem(
                    "bad-argument",
                    Message("cli-schema-needs-rubric"),
                    hint=Message("cli-schema-needs-rubric-hint"),
                )
            )
        schema = facts_schema(_rubric(args, args.rubric))
    elif args.rubric:
        raise UsageError(
            Problem(
                "bad-argument",
                Message("cli-schema-no-rubric", kind=args.kind),
                hint=Message("cli-schema-no-rubric-hint"),
            )
        )
    else:
        schema = rubric_schema() if args.kind == "rubric" else scorecard_schema()
    _write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _compile(args: argparse.Namespace) -> int:
    from perfscore._engine._codegen import formulas_of

    rubric = _rubric(args, args.rubric)
    if args.show:
        from perfscore._output._cardjson import canonical_listing

        _write(rubric.plan.generated + canonical_listing(rubric.plan.facts))
        return EXIT_OK
    formulas = [f for f in formulas_of(rubric.plan) if f.constant is None]
    fast = sum(f.has_fast_path for f in formulas)
    language = _language(args, rubric.model.language)
    total, slow = len(formulas), len(formulas) - fast
    _write(say(language, "cli-compiled", ref=rubric.ref, fast=fast, total=total, slow=slow) + "\n")
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from perfscore._tools._template import facts_template

    args.format = _template_format(args)
    if args.format == "xlsx":
        return _template_xlsx(args)
    rubric = _rubric(args, args.rubric)
    text = facts_template(rubric)
    language = _language(args, rubric.model.language)
    if not args.output:
        _write(text)
        return EXIT_OK
    target = Path(args.output)
    if target.exists():
        raise UsageError(
            Problem(
                "bad-argument",
                Message("cli-exists", path=args.output),
                hint=Message("cli-exists-hint"),
            ),
            language=language,
        )
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _OutputError(exc) from exc
    _write(say(language, "cli-wrote", path=args.output) + "\n")
    return EXIT_OK


#: the template format a file's suffix names, for ``template -o FILE`` without ``--format``
_TEMPLATE_OF_SUFFIX = {".xlsx": "xlsx", ".yaml": "yaml", ".yml": "yaml"}


def _template_format(args: argparse.Namespace) -> str:
    """The template's format: ``--format``, else what ``-o FILE``'s suffix names, else YAML; a
    ``--format`` the suffix contradicts is refused, as for ``score -o`` (a YAML template named
    ``t.xlsx`` is a broken workbook)."""
    suffix = Path(args.output).suffix.lower() if args.output else ""
    implied = _TEMPLATE_OF_SUFFIX.get(suffix)
    if args.format is None:
        return implied or "yaml"
    if implied is not None and implied != args.format:
        right = ".xlsx" if args.format == "xlsx" else ".yaml"
        raise _suffix_conflict(args.output, suffix, implied, args.format, right)
    return str(args.format)


def _console_fallback() -> None:
    """A character the console cannot show is written as an escape (``\\u2212``), not an error.

    A GBK console (Windows in Chinese, ``PYTHONIOENCODING=gbk``) cannot encode every character
    of a report (the minus sign of an English rubric's deductions, a subject's ``€``); without
    this the report would end half-written in exit 3. Files written with ``-o`` are UTF-8 and
    keep every character.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or getattr(stream, "errors", None) == "backslashreplace":
            continue
        with contextlib.suppress(ValueError, OSError):  # a closed or unusual stream: as it is
            reconfigure(errors="backslashreplace")


def _template_xlsx(args: argparse.Namespace) -> int:
    from perfscore._tools._template_xlsx import facts_workbook

    if not args.output:
        raise UsageError(
            Problem(
                "bad-argument",
                Message("cli-xlsx-needs-output"),
                hint=Message("cli-xlsx-needs-output-hint"),
            )
        )
    rubric = _rubric(args, args.rubric)
    data = facts_workbook(rubric)
    language = _language(args, rubric.model.language)
    try:
        with open(args.output, "xb") as stream:  # never overwrite a filled workbook
            stream.write(data)
    except FileExistsError:
        raise UsageError(
            Problem(
                "bad-argument",
                Message("cli-exists", path=args.output),
                hint=Message("cli-exists-hint"),
            ),
            language=language,
        ) from None
    except OSError as exc:
        raise _OutputError(exc) from exc
    _write(say(language, "cli-wrote", path=args.output) + "\n")
    return EXIT_OK


def _wants_json(argv: Sequence[str], args: argparse.Namespace | None) -> bool:
    """Errors as JSON on stderr: ``--format json``, even when the arguments did not parse."""
    if args is not None:
        return getattr(args, "format", None) == "json"
    words = list(argv)
    pairs = itertools.pairwise(words)
    return "--format=json" in words or any(a == "--format" and b == "json" for a, b in pairs)


def _report(
    error: str,
    problems: Sequence[Problem],
    text: str,
    *,
    as_json: bool,
    language: str = "en",
    **extra: object,
) -> None:
    """An error on stderr: its text, or under --format json one JSON object on one line.

    The problems' messages are said in `language`, in the JSON object too.
    """
    if as_json:
        record = {"error": error, **extra, "problems": [p.to_dict(language) for p in problems]}
        sys.stderr.write(dump_json(record, indent=None) + "\n")
    else:
        sys.stderr.write(text + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    _console_fallback()
    words = sys.argv[1:] if argv is None else list(argv)
    args: argparse.Namespace | None = None
    asked = _asked_language(words)
    language = asked or DEFAULT_LANGUAGE  # until PERFSCORE_LANG is read, and a rubric known
    try:
        language = asked or _default_language()
        args = _parser(language).parse_args(words)
        args.default_lang = asked or _default_language()
        run: Callable[[argparse.Namespace], int] = args.run
        if getattr(args, "capture_output", False) and args.output:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                code = run(args)
            _write_file(Path(args.output), buffer.getvalue())
        else:
            code = run(args)
        _flush()
    except _OutputError as exc:
        said = _language(args) if args is not None else language
        return _output_failed(exc.cause, as_json=_wants_json(words, args), language=said)
    except PerfscoreError as exc:
        said = asked or exc.language or language
        text = f"{type(exc).__name__}: {exc.render(said)}"
        as_json = _wants_json(words, args)
        _report(type(exc).__name__, exc.problems, text, as_json=as_json, language=said)
        return EXIT_INPUT
    except SystemExit as exc:  # --help and --version: return their code, as documented
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError as exc:  # a pipe closed under a write that did not go through _write
        said = _language(args) if args is not None else language
        return _output_failed(exc, as_json=_wants_json(words, args), language=said)
    except Exception as exc:  # noqa: BLE001 - the last line of defence must catch everything
        said = _language(args) if args is not None else language
        message = say(said, "cli-internal", kind=type(exc).__name__, error=exc)
        text = f"perfscore: {message}\n{say(said, 'cli-bug')}"
        if _wants_json(words, args):
            record = {"error": "InternalError", "message": message, "problems": []}
            sys.stderr.write(dump_json(record, indent=None) + "\n")
        else:
            sys.stderr.write(text + "\n")
        if os.environ.get("PERFSCORE_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
