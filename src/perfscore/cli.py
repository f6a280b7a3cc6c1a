"""The ``perfscore`` command.

Exit codes, the same for every command: 0 success; 1 the command ran and found what it looks
for (a failing check or case, a discrepancy when asked to fail on one); 2 the input could not be
used (a located error on stderr, no traceback); 3 an internal error; 4 the output could not be
written (a full disk, a reader that closed the pipe): the environment, not the input.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import itertools
import json
import math
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfscore._errors import Finding, PerfscoreError, Problem, UsageError
from perfscore._load._document import utf8_or
from perfscore._load._facts import FactsDocument
from perfscore._output._scorecard import dump_json
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


def _output_failed(exc: OSError, *, as_json: bool = False) -> int:
    """Report an output failure on stderr and silence stdout for the interpreter's last flush."""
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, BrokenPipeError):
        reason = "the program reading the output closed the pipe"
        hint = "let the reader read the whole output, or write it to a file"
    else:
        hint = "free some space, or write the output elsewhere"
    problem = Problem("output-failed", f"cannot write the output: {reason}", hint=hint)
    if sys.stdout is sys.__stdout__ and sys.stdout is not None:
        # what is still buffered cannot be written either; Python's exit would fail on it again
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
    try:
        _report("OutputError", [problem], f"perfscore: {problem.render()}", as_json=as_json)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return EXIT_OUTPUT


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so exit codes stay ours.

    Abbreviated options are refused (``--fail`` must not silently mean ``--fail-on-change``),
    and a command's epilog (its example and exit codes) is printed as written.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(Problem("bad-argument", message, hint=f"see '{self.prog} --help'"))


def _percent(text: str) -> float:
    """A coverage threshold: a finite number of percent (``nan`` would compare as never below)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage from 0 to 100, got {text!r}")
    return value


def _positive(text: str) -> int:
    """A count of worker processes: a whole number from 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1, got {text!r}")
    return value


def _rubric_dirs(command: argparse.ArgumentParser) -> None:
    """--rubric-dir, on every command that resolves a rubric's id@version."""
    command.add_argument(
        "--rubric-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of rubrics laid out <DIR>/<id>/<version>.yaml, searched for id@version "
        "before PERFSCORE_RUBRIC_PATH and the bundled rubrics (repeatable)",
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
        help=f"read {what} in this encoding instead of UTF-8 (e.g. gb18030)",
    )


_EXIT_CODES = "exit codes: 0 success; 2 unusable input; 3 internal error; 4 output not written"

#: Each command's example and exit codes, shown at the end of its --help.
_EPILOGS = {
    "score": """\
examples:
  perfscore score report.yaml
  perfscore score depts/ -o cards/ --summary summary.csv --jobs 2
  perfscore score all.jsonl --format json          (Windows: perfscore score depts\\ -o cards\\)

exit codes: 0 scored; 1 a finding at the --fail-on level (in any document);
2 an input could not be used (in a batch: any one; the others are still scored);
3 internal error; 4 output not written""",
    "test": """\
example:
  perfscore test rubric/ --coverage --threshold 90

exit codes: 0 every case passed; 1 a case failed or coverage is below the threshold;
2 unusable input; 3 internal error; 4 output not written""",
    "rubrics": f"""\
example:
  perfscore rubrics --rubric-dir rubrics/          (Windows: --rubric-dir rubrics\\)

{_EXIT_CODES}""",
    "check": """\
example:
  perfscore check rubric/dept-overall-huizhou/2022.2.yaml --strict

exit codes: 0 no error (with --strict: no warning); 1 an error, or a warning with --strict;
2 a rubric could not be loaded; 3 internal error; 4 output not written""",
    "diff": """\
example:
  perfscore diff dept-overall-huizhou@2022.1 dept-overall-huizhou@2022.2 --facts examples/

exit codes: 0 compared; 1 something changed with --fail-on-change; 2 unusable input;
3 internal error; 4 output not written""",
    "schema": f"""\
example:
  perfscore schema facts dept-overall-huizhou@2022.1 -o facts.schema.json

{_EXIT_CODES}""",
    "template": """\
example:
  perfscore template dept-overall-huizhou@2022.1 -o report.yaml

exit codes: 0 written; 2 unusable input (or FILE exists); 3 internal error; 4 output not written""",
}


def _output(command: argparse.ArgumentParser) -> None:
    """-o/--output on a command whose document main() writes to a file instead of stdout."""
    command.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    command.set_defaults(capture_output=True)


def _parser() -> _Parser:
    parser = _Parser(
        prog="perfscore",
        description="Score performance self-evaluations from a "
        "YAML rubric and explain every point.",
    )
    parser.add_argument("--version", action="version", version=f"perfscore {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    score = sub.add_parser(
        "score",
        help="score facts documents and review their claimed scores",
        epilog=_EPILOGS["score"],
    )
    score.add_argument(
        "facts",
        nargs="+",
        metavar="PATH",
        help="facts documents (YAML, JSON, xlsx), folders searched for them, '-' for stdin, "
        "or .jsonl files (one JSON document per line)",
    )
    score.add_argument(
        "--rubric",
        help="rubric file or id@version (default: the document's "
        "'rubric' reference, resolved in the rubric search path and among the bundled rubrics)",
    )
    _rubric_dirs(score)
    score.add_argument("--format", choices=tuple(SCORECARD_FORMATS), default="text")
    score.add_argument(
        "--layout",
        choices=("department", "project"),
        help="the official table of --format xlsx/docx (default: the rubric's layout)",
    )
    score.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="one document: write the scorecard to this file (or into this folder); "
        "several: write one scorecard per document into this folder",
    )
    score.add_argument(
        "--summary",
        metavar="FILE",
        help="also write the summary table to FILE (.csv, .json, or .xlsx with the xlsx extra)",
    )
    score.add_argument(
        "--jobs",
        type=_positive,
        default=1,
        metavar="N",
        help="score in N worker processes (default 1)",
    )
    score.add_argument("-q", "--quiet", action="store_true", help="no progress bar on a terminal")
    score.add_argument(
        "--no-trace", action="store_true", help="leave traces out (faster; scores are the same)"
    )
    _fail_on(score)
    _encoding(score, "the facts files and the rubric file")
    score.set_defaults(run=_score)

    test = sub.add_parser(
        "test", help="run rubric test cases (*.cases.yaml)", epilog=_EPILOGS["test"]
    )
    test.add_argument("paths", nargs="+", help="case files, or folders to search for them")
    test.add_argument("--coverage", action="store_true", help="report rules no case exercised")
    test.add_argument(
        "--threshold",
        type=_percent,
        metavar="P",
        help="fail when rule or formula branch coverage is below P percent (implies --coverage)",
    )
    test.add_argument("-v", "--verbose", action="store_true", help="show the trace of failures")
    _fail_on(test, "a case's scorecard has a finding at LEVEL or above its expect does not list")
    test.add_argument(
        "--allow-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder besides each case file's own that its rubric: and base: may name "
        "(repeatable)",
    )
    test.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: one object with every case and the coverage (for CI)",
    )
    _encoding(test, "the case files, their rubrics and base facts")
    _output(test)
    test.set_defaults(run=_test)

    listing = sub.add_parser(
        "rubrics", help="list the rubrics id@version resolves to", epilog=_EPILOGS["rubrics"]
    )
    _rubric_dirs(listing)
    _output(listing)
    listing.set_defaults(run=_rubrics)

    check = sub.add_parser(
        "check", help="find problems in a rubric without facts", epilog=_EPILOGS["check"]
    )
    check.add_argument("rubrics", nargs="+", metavar="RUBRIC", help="rubric files or id@version")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--properties",
        action="store_true",
        help="also try each declared monotonic promise with random facts (needs hypothesis)",
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--unknowns",
        action="store_true",
        help="also list, per fact, the indicators that become a range when it is unknown",
    )
    _rubric_dirs(check)
    _encoding(check, "the rubric files")
    _output(check)
    check.set_defaults(run=_check)

    diff = sub.add_parser(
        "diff",
        help="compare two versions of a rubric, on a corpus if given",
        epilog=_EPILOGS["diff"],
    )
    diff.add_argument("old", help="the rubric in force (file or id@version)")
    diff.add_argument("new", help="the proposed rubric (file or id@version)")
    diff.add_argument(
        "--facts",
        nargs="+",
        metavar="PATH",
        help="facts documents, or folders searched for *.yaml, *.yml and *.json",
    )
    diff.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    diff.add_argument("--fail-on-change", action="store_true", help="exit 1 when anything changes")
    _rubric_dirs(diff)
    _encoding(diff, "the rubric files and the facts documents")
    _output(diff)
    diff.set_defaults(run=_diff)

    schema = sub.add_parser(
        "schema",
        help="print a JSON Schema (rubric, facts RUBRIC, scorecard)",
        epilog=_EPILOGS["schema"],
    )
    schema.add_argument(
        "kind", nargs="?", choices=("rubric", "facts", "scorecard"), default="rubric"
    )
    schema.add_argument("rubric", nargs="?", help="the rubric whose facts documents to describe")
    _rubric_dirs(schema)
    _encoding(schema, "the rubric file")
    _output(schema)
    schema.set_defaults(run=_schema)

    template = sub.add_parser(
        "template", help="write a facts document skeleton for a rubric", epilog=_EPILOGS["template"]
    )
    template.add_argument("rubric", help="rubric file or id@version")
    template.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _rubric_dirs(template)
    template.add_argument(
        "--format",
        choices=("yaml", "xlsx"),
        default="yaml",
        help="yaml: a facts document skeleton; xlsx: a fact-entry workbook (needs -o; the xlsx "
        "extra)",
    )
    _encoding(template, "the rubric file")
    template.set_defaults(run=_template)

    generated = sub.add_parser("compile", help="generate a rubric's Python fast path; --show it")
    generated.add_argument("rubric", help="rubric file or id@version")
    generated.add_argument("--show", action="store_true", help="print the generated source")
    _rubric_dirs(generated)
    _encoding(generated, "the rubric file")
    generated.set_defaults(run=_compile)
    return parser


def _fail_on(command: argparse.ArgumentParser, when: str | None = None) -> None:
    """``--fail-on error|warning|discrepancy``, and ``--fail-on-discrepancy`` as its alias."""
    command.add_argument(
        "--fail-on",
        choices=("error", "warning", "discrepancy"),
        metavar="LEVEL",
        help="exit 1 when "
        + (when or "a finding reaches LEVEL")
        + ": error (a check of severity error), warning (also warnings), discrepancy (also a "
        "claimed score that differs or claims that do not add up); notices (info) never fail",
    )
    command.add_argument(
        "--fail-on-discrepancy",
        action="store_const",
        const="discrepancy",
        dest="fail_on",
        help="the same as --fail-on discrepancy",
    )


def _score(args: argparse.Namespace) -> int:
    _batch.clear_rubrics()  # a rubric file may have changed since the last call in this process
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
    if name == "-":
        source = _batch.Source("-", data=_read_stdin())
    else:
        source = _batch.Source(name, path=name, stem=Path(name).stem)
    facts = _batch.read_source(source, args.encoding, _batch.given_rubric(source, options))
    _warn(facts)
    rubric = _batch.resolve_rubric(
        facts, args.rubric, dirs=options.rubric_dirs, encoding=args.encoding
    )
    card = rubric.evaluate(facts, trace=options.trace)
    fmt = _batch.SCORECARD_FORMATS[args.format]
    if args.format in _batch.BINARY_FORMATS and not args.output and sys.stdout.isatty():
        raise UsageError(
            Problem(
                "bad-argument",
                f"--format {args.format} writes a binary file and stdout is a terminal",
                hint=f"add -o FILE{fmt.suffix}, or redirect the output to a file",
            )
        )
    data = fmt.render(_batch.relaid(card, args.layout))
    if args.output:
        target = Path(args.output)
        if target.is_dir() or args.output.endswith(("/", os.sep)):
            target = target / (source.stem + fmt.suffix)
        _write_file(target, data)
    else:
        _write(data)
    row = _batch.Row.scored(source.name, card, args.fail_on)
    if args.summary:
        _write_summary(args.summary, [row], card.rubric.language)
    return _exit_code([row])


def _score_many(args: argparse.Namespace, options: _batch.Options) -> int:
    """Several documents: one summary row each on stdout; an unusable one is a row, not the end."""
    sources = _batch.expand_inputs(args.facts, _read_stdin)
    if args.output:
        options = replace(options, output_dir=args.output)
        _batch.check_outputs(sources, options)
        try:
            Path(args.output).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            message = f"cannot make the folder {args.output!r}: {exc.strerror or exc}"
            raise UsageError(Problem("bad-argument", message)) from exc
    with _progress(len(sources), quiet=args.quiet) as done:
        rows = _batch.run_batch(sources, options, jobs=args.jobs, done=done)
    rows = _batch.rank_rows(rows)
    for row in rows:
        if row.error is None:
            continue
        if args.format == "json":
            record = {"error": row.error_kind, "input": row.input, "problems": list(row.problems)}
            sys.stderr.write(dump_json(record, indent=None) + "\n")
        else:
            shown = row.error if row.input in row.error else f"{row.input}: {row.error}"
            sys.stderr.write(shown + "\n")
    language = _batch.summary_language(rows)
    if args.format == "json":
        _write(_batch.summary_json(rows))
    else:
        _write(_batch.summary_table(rows, language, markdown=args.format == "markdown"))
    if args.summary:
        _write_summary(args.summary, rows, language)
    return _exit_code(rows)


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
def _progress(total: int, *, quiet: bool) -> Iterator[Callable[[], None] | None]:
    """A progress bar on stderr, only for a person watching: a terminal, several documents."""
    stream = sys.stderr
    if quiet or total <= 1 or stream is None or not stream.isatty():
        yield None
        return
    tqdm = importlib.import_module("tqdm").tqdm  # a core dependency, imported only here

    with tqdm(total=total, file=stream, unit="doc", leave=False, dynamic_ncols=True) as bar:
        yield lambda: bar.update(1)


def _read_stdin() -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise UsageError(Problem("bad-argument", "'-' names stdin, but there is none"))
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


def _warn(facts: FactsDocument) -> None:
    """What the reader of a workbook warns about (a formula's cached value read), on stderr."""
    for problem in facts.warnings:
        sys.stderr.write(f"warning: {problem.render()}\n")


def _case_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.cases.yaml")))
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(Problem("file-not-found", f"no such file or folder: {name}"))
    if not files:
        raise UsageError(
            Problem(
                "bad-argument",
                "no *.cases.yaml files found",
                hint="name case files <version>.cases.yaml",
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
    for path in _case_files(args.paths):
        case_file = utf8_or(load_cases, path, args.encoding, allowed_dirs=args.allow_dir)
        results = [run_case(case_file, case, branches=wants_coverage) for case in case_file.cases]
        shown: list[dict[str, object]] = []
        for r in results:
            counts[r.status] += 1
            label = {"pass": "PASS", "fail": "FAIL", "todo": "TODO"}[r.status]
            extra = f" ({r.case.todo})" if r.status == "todo" else ""
            write(f"{label}: {case_file.path}: {r.case.name}{extra}\n")
            failures = r.failures if r.status == "fail" else ()
            for failure in failures:
                write("    " + failure.replace("\n", "\n    ") + "\n")
            findings = unexpected_findings(r, args.fail_on) if args.fail_on else []
            for finding in findings:
                unexpected = True
                write(f"    --fail-on {args.fail_on}: {finding}\n")
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
            write(
                f"coverage: {case_file.rubric.ref}: {cov.exercised}/{cov.total} "
                f"rules exercised ({cov.percent:.1f}%)\n"
            )
            for ind, rules in cov.missing.items():
                write(f"    not exercised: {ind}: {', '.join(rules)}\n")
            if cov.branches:
                write(
                    f"coverage: {case_file.rubric.ref}: {cov.branches_taken}/{cov.branches} "
                    f"formula branches taken ({cov.branch_percent:.1f}%)\n"
                )
            for owner, arms in cov.branches_missing.items():
                for arm in arms:
                    write(f"    not taken: {owner}: {arm}\n")
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
                for what, percent in (("", cov.percent), ("formula branch ", cov.branch_percent)):
                    if percent < limit:
                        below = True
                        write(
                            f"{what}coverage {percent:.1f}% is below the threshold of "
                            f"{args.threshold}%\n"
                        )
                entry["below_threshold"] = cov.percent < limit or cov.branch_percent < limit
        files.append(entry)
    todo = f", {counts['todo']} todo" if counts["todo"] else ""
    write(f"{counts['pass']} passed, {counts['fail']} failed{todo}\n")
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
    for ref, origin in rows:
        shadowed = "  (shadowed by the one above)" if ref in seen else ""
        seen.add(ref)
        _write(f"{ref.ljust(refs)}  {origin}{shadowed}\n")
    return EXIT_OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _check(args: argparse.Namespace) -> int:
    from perfscore._tools._check import check_rubric, unknown_effects

    findings = []
    load_errors: list[dict[str, object]] = []
    checked = unusable = 0
    for ref in args.rubrics:
        try:
            rubric = _rubric(args, ref)
        except PerfscoreError as exc:
            text = f"{type(exc).__name__}: {exc.render()}"
            _report(type(exc).__name__, exc.problems, text, as_json=args.format == "json")
            unusable += 1
            # in JSON the load problems are findings too, so a CI step parsing stdout sees them
            load_errors.extend(p.to_dict() for p in exc.problems)
            continue
        checked += 1
        findings.extend(check_rubric(rubric))
        if args.properties:
            findings.extend(_properties(rubric))
        if args.unknowns:
            findings.extend(unknown_effects(rubric))
    if args.format == "json":
        _write(dump_json([*load_errors, *(f.to_dict() for f in findings)]) + "\n")
    else:
        for finding in findings:
            _write(finding.render() + "\n")
        counts = [sum(f.severity == s for f in findings) for s in ("error", "warning", "note")]
        failed = f"; {_plural(unusable, 'rubric')} could not be loaded" if unusable else ""
        _write(
            f"{_plural(counts[0], 'error')}, {_plural(counts[1], 'warning')}, "
            f"{_plural(counts[2], 'note')} in {_plural(checked, 'rubric')}{failed}\n"
        )
    if unusable:
        return EXIT_INPUT
    failing = {"error", "warning"} if args.strict else {"error"}
    return EXIT_FOUND if any(f.severity in failing for f in findings) else EXIT_OK


def _properties(rubric: Rubric) -> list[Finding]:
    """``check --properties``: each broken monotonic promise as a finding."""
    try:
        from perfscore._testing._properties import check_properties
    except ImportError as exc:  # hypothesis is an extra
        raise UsageError(
            Problem(
                "bad-argument",
                "check --properties needs Hypothesis",
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
                raise UsageError(Problem("file-not-found", f"no such file or folder: {name}"))
        documents, failures = diffs.load_corpus(args.facts, encoding=args.encoding)
        if not documents and not failures:
            raise UsageError(
                Problem(
                    "bad-argument",
                    "no facts documents found",
                    hint="pass *.yaml, *.yml or *.json files, or folders holding them",
                )
            )
        scores = diffs.diff_scores(old, new, documents)
        scores = replace(scores, failures=(*failures, *scores.failures))
    render = {
        "text": diffs.render_text,
        "json": diffs.render_json,
        "markdown": diffs.render_markdown,
    }[args.format]
    _write(render(rules, scores))
    changed = bool(rules.changes) or (scores is not None and scores.changed)
    return EXIT_FOUND if args.fail_on_change and changed else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from perfscore._tools._schema import facts_schema, rubric_schema, scorecard_schema

    if args.kind == "facts":
        if not args.rubric:
            raise UsageError(
                Problem(
                    "bad-argument",
                    "'schema facts' needs the rubric",
                    hint="perfscore schema facts RUBRIC (a file or id@version)",
                )
            )
        schema = facts_schema(_rubric(args, args.rubric))
    elif args.rubric:
        raise UsageError(
            Problem(
                "bad-argument",
                f"'schema {args.kind}' takes no rubric",
                hint="only 'schema facts RUBRIC' names a rubric",
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
        _write(rubric.plan.generated)
        return EXIT_OK
    formulas = [f for f in formulas_of(rubric.plan) if f.constant is None]
    fast = sum(f.has_fast_path for f in formulas)
    _write(
        f"{rubric.ref}: {fast} of {len(formulas)} formulas run as generated Python, "
        f"{len(formulas) - fast} on the interpreter; --show prints the source\n"
    )
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from perfscore._tools._template import facts_template

    if args.format == "xlsx":
        return _template_xlsx(args)
    text = facts_template(_rubric(args, args.rubric))
    if not args.output:
        _write(text)
        return EXIT_OK
    target = Path(args.output)
    if target.exists():
        raise UsageError(
            Problem(
                "bad-argument",
                f"{args.output} exists already; the template would overwrite it",
                hint="remove it first, or choose another file name",
            )
        )
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        message = f"cannot write {args.output!r}: {exc.strerror or exc}"
        raise UsageError(Problem("bad-argument", message)) from exc
    _write(f"wrote {args.output}\n")
    return EXIT_OK


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
                "--format xlsx writes a workbook, which needs a file name",
                hint="add -o FILE.xlsx",
            )
        )
    data = facts_workbook(_rubric(args, args.rubric))
    try:
        with open(args.output, "xb") as stream:  # never overwrite a filled workbook
            stream.write(data)
    except FileExistsError:
        raise UsageError(
            Problem(
                "bad-argument",
                f"{args.output} exists already; the template would overwrite it",
                hint="remove it first, or choose another file name",
            )
        ) from None
    except OSError as exc:
        message = f"cannot write {args.output!r}: {exc.strerror or exc}"
        raise UsageError(Problem("bad-argument", message)) from exc
    _write(f"wrote {args.output}\n")
    return EXIT_OK


def _wants_json(argv: Sequence[str], args: argparse.Namespace | None) -> bool:
    """Errors as JSON on stderr: ``--format json``, even when the arguments did not parse."""
    if args is not None:
        return getattr(args, "format", None) == "json"
    words = list(argv)
    pairs = itertools.pairwise(words)
    return "--format=json" in words or any(a == "--format" and b == "json" for a, b in pairs)


def _report(
    error: str, problems: Sequence[Problem], text: str, *, as_json: bool, **extra: object
) -> None:
    """An error on stderr: its text, or under --format json one JSON object on one line."""
    if as_json:
        record = {"error": error, **extra, "problems": [p.to_dict() for p in problems]}
        sys.stderr.write(dump_json(record, indent=None) + "\n")
    else:
        sys.stderr.write(text + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    _console_fallback()
    words = sys.argv[1:] if argv is None else list(argv)
    args: argparse.Namespace | None = None
    try:
        args = _parser().parse_args(words)
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
        return _output_failed(exc.cause, as_json=_wants_json(words, args))
    except PerfscoreError as exc:
        text = f"{type(exc).__name__}: {exc.render()}"
        _report(type(exc).__name__, exc.problems, text, as_json=_wants_json(words, args))
        return EXIT_INPUT
    except SystemExit as exc:  # --help and --version: return their code, as documented
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError as exc:  # a pipe closed under a write that did not go through _write
        return _output_failed(exc, as_json=_wants_json(words, args))
    except Exception as exc:  # noqa: BLE001 - the last line of defence must catch everything
        message = f"internal error: {type(exc).__name__}: {exc}"
        text = f"perfscore: {message}\nthis is a bug in perfscore; please report it with the input"
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
