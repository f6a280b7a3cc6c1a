"""The ``perfscore`` command.

Exit codes, the same for every command: 0 success; 1 the command ran and found what it looks
for (a failing check or case, a discrepancy when asked to fail on one); 2 the input could not be
used (a located error on stderr, no traceback); 3 an internal error; 4 the output could not be
written (a full disk, a reader that closed the pipe): the environment, not the input.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from perfscore._errors import PerfscoreError, Problem, UsageError
from perfscore._load._document import utf8_or
from perfscore._load._facts import FactsDocument
from perfscore._output._scorecard import dump_json
from perfscore._rubric import Rubric, bundled_path, bundled_rubrics, load_facts, load_rubric
from perfscore._version import __version__

__all__ = ["main"]


EXIT_OK, EXIT_FOUND, EXIT_INPUT, EXIT_INTERNAL, EXIT_OUTPUT = 0, 1, 2, 3, 4


class _OutputError(Exception):
    """Writing to stdout failed: an environment problem (disk full, pipe closed), not a bug."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause)
        self.cause = cause


def _write(text: str) -> None:
    """Write to stdout, telling an output failure apart from every other OSError."""
    try:
        sys.stdout.write(text)
    except OSError as exc:
        raise _OutputError(exc) from exc


def _flush() -> None:
    """Flush stdout now, so a full disk is reported here and not at interpreter exit."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        raise _OutputError(exc) from exc


def _output_failed(exc: OSError) -> int:
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
        sys.stderr.write(f"perfscore: {problem.render()}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return EXIT_OUTPUT


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so exit codes stay ours."""

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


def _encoding(command: argparse.ArgumentParser, what: str) -> None:
    """--encoding, on every command that reads a file people may have saved as GBK."""
    command.add_argument(
        "--encoding",
        metavar="ENC",
        help=f"read {what} in this encoding instead of UTF-8 (e.g. gb18030)",
    )


def _parser() -> _Parser:
    parser = _Parser(
        prog="perfscore",
        description="Score performance self-evaluations from a "
        "YAML rubric and explain every point.",
    )
    parser.add_argument("--version", action="version", version=f"perfscore {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    score = sub.add_parser("score", help="score a facts document and review its claimed scores")
    score.add_argument("facts", help="facts document (YAML or JSON)")
    score.add_argument(
        "--rubric",
        help="rubric file or id@version (default: the document's "
        "'rubric' reference, resolved among the bundled rubrics)",
    )
    score.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    score.add_argument(
        "--no-trace", action="store_true", help="leave traces out (faster; scores are the same)"
    )
    score.add_argument(
        "--fail-on-discrepancy",
        action="store_true",
        help="exit 1 when a claimed score differs, a check warns or the claims do not add up",
    )
    _encoding(score, "the facts file and the rubric file")
    score.set_defaults(run=_score)

    test = sub.add_parser("test", help="run rubric test cases (*.cases.yaml)")
    test.add_argument("paths", nargs="+", help="case files, or folders to search for them")
    test.add_argument("--coverage", action="store_true", help="report rules no case exercised")
    test.add_argument(
        "--threshold",
        type=_percent,
        metavar="P",
        help="fail when rule coverage is below P percent (implies --coverage)",
    )
    test.add_argument("-v", "--verbose", action="store_true", help="show the trace of failures")
    test.add_argument(
        "--allow-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder besides each case file's own that its rubric: and base: may name "
        "(repeatable)",
    )
    _encoding(test, "the case files, their rubrics and base facts")
    test.set_defaults(run=_test)

    listing = sub.add_parser("rubrics", help="list the bundled rubrics")
    listing.set_defaults(run=_rubrics)

    check = sub.add_parser("check", help="find problems in a rubric without facts")
    check.add_argument("rubrics", nargs="+", metavar="RUBRIC", help="rubric files or id@version")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--unknowns",
        action="store_true",
        help="also list, per fact, the indicators that become a range when it is unknown",
    )
    _encoding(check, "the rubric files")
    check.set_defaults(run=_check)

    diff = sub.add_parser("diff", help="compare two versions of a rubric, on a corpus if given")
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
    _encoding(diff, "the rubric files and the facts documents")
    diff.set_defaults(run=_diff)

    schema = sub.add_parser("schema", help="print a JSON Schema (rubric, facts RUBRIC, scorecard)")
    schema.add_argument(
        "kind", nargs="?", choices=("rubric", "facts", "scorecard"), default="rubric"
    )
    schema.add_argument("rubric", nargs="?", help="the rubric whose facts documents to describe")
    _encoding(schema, "the rubric file")
    schema.set_defaults(run=_schema)

    template = sub.add_parser("template", help="write a facts document skeleton for a rubric")
    template.add_argument("rubric", help="rubric file or id@version")
    template.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _encoding(template, "the rubric file")
    template.set_defaults(run=_template)
    return parser


def _score(args: argparse.Namespace) -> int:
    facts = utf8_or(load_facts, args.facts, args.encoding)
    rubric = _resolve(args.rubric, facts, args.encoding)
    card = rubric.evaluate(facts, trace=not args.no_trace)
    if args.format == "json":
        _write(card.to_json() + "\n")
    elif args.format == "markdown":
        _write(card.to_markdown())
    else:
        _write(card.explain())
    return EXIT_FOUND if args.fail_on_discrepancy and card.has_findings else EXIT_OK


def _resolve(path: str | None, facts: FactsDocument, encoding: str | None = None) -> Rubric:
    if path:
        return utf8_or(load_rubric, path, encoding)
    if facts.rubric_id is None:
        raise UsageError(
            Problem(
                "bad-argument",
                "the facts document names no rubric",
                hint="add 'rubric: id@version' to the document or pass --rubric",
            )
        )
    ref = f"{facts.rubric_id}@{facts.rubric_version}"
    # the document's rubric: line is what names it, so an unknown one is reported there
    return load_rubric(bundled_path(ref, where=facts.locate(("rubric",))))


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
    from perfscore._tools._cases import coverage, load_cases, run_case

    counts = {"pass": 0, "fail": 0, "todo": 0}
    below = False
    for path in _case_files(args.paths):
        case_file = utf8_or(load_cases, path, args.encoding, allowed_dirs=args.allow_dir)
        results = [run_case(case_file, case) for case in case_file.cases]
        for r in results:
            counts[r.status] += 1
            label = {"pass": "PASS", "fail": "FAIL", "todo": "TODO"}[r.status]
            extra = f" ({r.case.todo})" if r.status == "todo" else ""
            _write(f"{label}: {case_file.path}: {r.case.name}{extra}\n")
            for failure in r.failures if r.status == "fail" else ():
                _write("    " + failure.replace("\n", "\n    ") + "\n")
        if args.coverage or args.threshold is not None:
            cov = coverage(case_file.rubric, results)
            _write(
                f"coverage: {case_file.rubric.ref}: {cov.exercised}/{cov.total} "
                f"rules exercised ({cov.percent:.1f}%)\n"
            )
            for ind, rules in cov.missing.items():
                _write(f"    not exercised: {ind}: {', '.join(rules)}\n")
            if args.threshold is not None and cov.percent < Decimal(str(args.threshold)):
                below = True
                _write(f"coverage {cov.percent:.1f}% is below the threshold of {args.threshold}%\n")
    todo = f", {counts['todo']} todo" if counts["todo"] else ""
    _write(f"{counts['pass']} passed, {counts['fail']} failed{todo}\n")
    return EXIT_FOUND if counts["fail"] or below else EXIT_OK


def _rubrics(args: argparse.Namespace) -> int:
    for ref in bundled_rubrics():
        _write(ref + "\n")
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
            rubric = utf8_or(load_rubric, ref, args.encoding)
        except PerfscoreError as exc:
            sys.stderr.write(f"{type(exc).__name__}: {exc.render()}\n")
            unusable += 1
            # in JSON the load problems are findings too, so a CI step parsing stdout sees them
            load_errors.extend(p.to_dict() for p in exc.problems)
            continue
        checked += 1
        findings.extend(check_rubric(rubric))
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


def _diff(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from perfscore._tools import _diff as diffs

    old = utf8_or(load_rubric, args.old, args.encoding)
    new = utf8_or(load_rubric, args.new, args.encoding)
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
        schema = facts_schema(utf8_or(load_rubric, args.rubric, args.encoding))
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


def _template(args: argparse.Namespace) -> int:
    from perfscore._tools._template import facts_template

    text = facts_template(utf8_or(load_rubric, args.rubric, args.encoding))
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        args = _parser().parse_args(argv)
        run: Callable[[argparse.Namespace], int] = args.run
        code = run(args)
        _flush()
    except _OutputError as exc:
        return _output_failed(exc.cause)
    except PerfscoreError as exc:
        sys.stderr.write(f"{type(exc).__name__}: {exc.render()}\n")
        return EXIT_INPUT
    except SystemExit as exc:  # --help and --version: return their code, as documented
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError as exc:  # a pipe closed under a write that did not go through _write
        return _output_failed(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence must catch everything
        sys.stderr.write(
            f"perfscore: internal error: {type(exc).__name__}: {exc}\n"
            "this is a bug in perfscore; please report it with the input\n"
        )
        if os.environ.get("PERFSCORE_DEBUG"):
            traceback.print_exc()
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
