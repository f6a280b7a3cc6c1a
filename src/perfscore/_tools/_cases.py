"""Rubric test cases as data (``*.cases.yaml``): loading, running, and rule coverage."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from perfscore._errors import (
    DocumentError,
    ErrorCode,
    Location,
    PerfscoreError,
    Problem,
    RubricError,
    short_repr,
    suggest,
)
from perfscore._lang._expr import Formula, record_branches
from perfscore._load._document import Document, load_document, utf8_or
from perfscore._load._facts import Claims, FactsDocument, read_claims, read_facts_document
from perfscore._load._paths import resolve_reference
from perfscore._messages import Message
from perfscore._numbers import format_decimal
from perfscore._output._scorecard import Scorecard, ScoreRange
from perfscore._rubric import Rubric, bundled_path, is_reference, load_rubric

__all__ = [
    "Case",
    "CaseFile",
    "CaseResult",
    "Coverage",
    "coverage",
    "formula_branches",
    "load_cases",
    "run_case",
    "unexpected_findings",
]

_FILE_KEYS = ("rubric", "base", "cases")
_CASE_KEYS = ("name", "facts", "remove", "not_applicable", "claimed", "expect", "todo")
_EXPECT_KEYS = (
    "indicators",
    "groups",
    "base_total",
    "bonus_total",
    "total",
    "grade",
    "fired",
    "warnings",
    "discrepancies",
    "error",
)


@dataclass(frozen=True)
class Case:
    """One case: a sentence, the facts it changes, and what it expects."""

    name: str
    facts: Mapping[str, object]
    remove: tuple[str, ...]
    not_applicable: tuple[str, ...] | None
    claimed: Claims | None
    expect: Mapping[str, object]
    todo: str | None
    location: Location
    #: where the case stands in its case file (``("cases", 3)``), to locate its facts' problems
    path: tuple[str | int, ...] = ()


@dataclass(frozen=True)
class CaseFile:
    """A case file with its rubric and optional base facts document."""

    path: str
    rubric: Rubric
    base: FactsDocument | None
    cases: tuple[Case, ...]
    #: the case file as read, where a case's own facts, claims and lists are located
    document: Document | None = None


@dataclass(frozen=True)
class CaseResult:
    """The outcome of a case: ``pass``, ``fail`` or ``todo``."""

    case: Case
    status: str
    failures: tuple[str, ...] = ()
    fired: Mapping[str, frozenset[str]] = field(default_factory=dict)
    warnings: frozenset[str] = frozenset()
    scorecard: Scorecard | None = None
    #: the arms of conditional expressions the case's evaluation took (``run_case`` with
    #: ``branches=True``), as `perfscore._lang._expr.record_branches` records them
    branches: frozenset[tuple[int, bool]] = frozenset()


def _problem(
    doc: Document,
    code: ErrorCode,
    message: str,
    path: tuple[str | int, ...],
    hint: str | None = None,
    key: bool = False,
) -> Problem:
    return Problem(code, message, doc.locate(path, key=key), hint=hint)


def _rubric_given(doc: Document, data: Mapping[str, object]) -> Problem:
    """The one problem of a rubric given where a case file belongs: its case file named when
    it lies beside it (``x.cases.yaml`` for ``x.yaml``), else where one would."""
    name = Path(doc.name)
    beside = name.with_name(name.name.rsplit(".", 1)[0] + ".cases.yaml")
    hint = (
        Message("cases-hint-rubric-cases-beside", cases=str(beside))
        if beside.is_file()
        else Message("cases-hint-rubric-no-cases", cases=str(beside))
    )
    at = ("groups",) if "groups" in data else ("perfscore",)
    return _problem(doc, "missing-key", Message("cases-rubric-document"), at, hint, key=True)


def load_cases(
    path: str | os.PathLike[str],
    *,
    allowed_dirs: Sequence[str | os.PathLike[str]] = (),
    encoding: str | None = None,
) -> CaseFile:
    """Read a ``*.cases.yaml`` file and load its rubric and base facts.

    Args:
        path: the case file.
        allowed_dirs: folders besides the case file's own tree that its ``rubric:`` and
            ``base:`` may name (a case file is data from others: see docs/security.md).
        encoding: the encoding of whichever of the case file, its rubric and its base facts
            is not valid UTF-8 (each file is read as UTF-8 when it is).
    """
    doc = utf8_or(load_document, path, encoding)
    data = doc.data
    problems: list[Problem] = []
    if isinstance(data, dict) and "cases" not in data and {"groups", "perfscore"} & data.keys():
        raise RubricError(_rubric_given(doc, data))  # a rubric given to `perfscore test`
    if isinstance(data, dict) and "cases" not in data and "facts" in data:
        raise RubricError(  # a facts document given to `perfscore test`
            _problem(
                doc,
                "missing-key",
                Message("cases-facts-document"),
                ("facts",),
                Message("cases-facts-document-hint", name=doc.name),
                key=True,
            )
        )
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise RubricError(_problem(doc, "missing-key", Message("cases-no-cases"), ()))
    for key in data:
        if key not in _FILE_KEYS:
            problems.append(
                _problem(
                    doc,
                    "unknown-key",
                    Message("cases-unknown-key", key=key),
                    (key,),
                    suggest(key, _FILE_KEYS),
                    key=True,
                )
            )
    ref = data.get("rubric")
    if ref is None:
        # the rubric beside the case file: confined like a path the file names (a symlink
        # out of the tree is refused)
        name = Path(os.fspath(path)).name.removesuffix(".cases.yaml") + ".yaml"
        ref = str(_within(doc, name, "rubric", allowed_dirs))
        hint = Message("cases-default-rubric-hint", name=name)
    else:
        hint = Message("cases-rubric-hint")
        if not isinstance(ref, str):
            raise RubricError(
                _problem(doc, "invalid-type", Message("cases-rubric-type"), ("rubric",))
            )
        if is_reference(ref):  # id@version: the search path and the bundled rubrics
            ref = str(bundled_path(ref, where=doc.locate(("rubric",))))
        else:  # any other text is a path, confined to the case file's tree ('a@b/x.yaml' too)
            ref = str(_within(doc, ref, "rubric", allowed_dirs))
    try:
        rubric = utf8_or(load_rubric, ref, encoding)
    except DocumentError as exc:
        raise _unopened(exc, doc, "rubric", hint) from exc
    language = rubric.model.language
    base = None
    if data.get("base") is not None:
        if not isinstance(data["base"], str):
            raise RubricError(
                _problem(doc, "invalid-type", Message("cases-base-type"), ("base",)),
                language=language,
            )
        base_path = _within(doc, data["base"], "base", allowed_dirs)
        try:
            base_doc = utf8_or(load_document, base_path, encoding)
        except DocumentError as exc:
            raise _unopened(exc, doc, "base", Message("cases-base-hint")) from exc
        base = read_facts_document(base_doc)
    cases = []
    named: dict[str, int] = {}
    facts = list(rubric.model.facts)
    for i, raw in enumerate(data["cases"]):
        case = _case(doc, raw, i, problems)
        if case is not None:
            problems.extend(_unknown_targets(doc, case.expect, ("cases", i, "expect"), rubric))
            for n, fact in enumerate(case.remove):  # a fact to leave out that is none
                if fact not in rubric.model.facts:
                    problems.append(
                        _problem(
                            doc,
                            "unknown-fact",
                            Message("cases-no-fact", name=fact, ref=rubric.ref),
                            ("cases", i, "remove", n),
                            suggest(fact, facts),
                        )
                    )
            if case.name in named:  # cases are told apart by their names
                problems.append(
                    _problem(
                        doc,
                        "invalid-value",
                        Message("cases-duplicate-name", name=case.name, first=named[case.name] + 1),
                        ("cases", i, "name"),
                    )
                )
            named.setdefault(case.name, i)
        if case is not None:
            cases.append(case)
    if problems:
        summary = Message("cases-problems", name=doc.name, count=len(problems))
        raise RubricError(problems, summary=summary, language=language)
    return CaseFile(doc.name, rubric, base, tuple(cases), doc)


def _unopened(exc: DocumentError, doc: Document, key: str, hint: Message) -> DocumentError:
    """A rubric or base file that could not be opened (no such file, not a regular file, too
    large), pointed at the case file's line that names it; problems inside the file that
    was read stay where they are."""
    data = doc.data
    where = doc.locate((key,)) if isinstance(data, dict) and key in data else doc.locate(())
    problems = [
        dataclasses.replace(p, location=where, hint=p.hint or hint)
        if p.location is None or p.location.line is None
        else p
        for p in exc.problems
    ]
    if problems == list(exc.problems):
        return exc
    return type(exc)(problems, exc.summary, language=exc.language)


def _within(
    doc: Document, ref: str, key: str, allowed_dirs: Sequence[str | os.PathLike[str]]
) -> Path:
    """The file a ``rubric:`` or ``base:`` path names, refused before opening if outside."""
    return resolve_reference(
        ref, doc.name, what=key, location=doc.locate((key,)), roots=allowed_dirs
    )


_FINISHING = ("clamp", "round", "scale", "not_applicable")


def _unknown_targets(
    doc: Document, expect: Mapping[str, object], path: tuple[str | int, ...], rubric: Rubric
) -> list[Problem]:
    """Expectations naming indicators, groups or rules the rubric does not have."""
    plan = rubric.plan
    records = plan.records_groups()
    rules = {
        ind: (*names, *_FINISHING) for ind, names in plan.rules().items() if ind not in records
    }
    groups = list(plan.group_ids())
    out = []

    def known(ind: str) -> bool:  # a records group's indicators exist only when scored
        return ind in rules or ind.partition(".")[0] in records

    for key, kinds in (("indicators", list(rules)), ("fired", list(rules)), ("groups", groups)):
        table = expect.get(key)
        if not isinstance(table, dict):
            continue
        for name in table:
            ok = name in groups if key == "groups" else known(str(name))
            if not ok:
                out.append(
                    _problem(
                        doc,
                        "unknown-indicator",
                        Message(
                            "cases-no-group" if key == "groups" else "cases-no-indicator",
                            key=key,
                            name=name,
                            ref=rubric.ref,
                        ),
                        (*path, key, name),
                        suggest(str(name), kinds),
                        key=True,
                    )
                )
            elif key == "fired" and name in rules:
                listed = isinstance(table[name], list)
                wanted = table[name] if listed else [table[name]]
                for n, rule in enumerate(wanted):
                    at = (*path, key, name, n) if listed else (*path, key, name)  # at the rule
                    if rule not in rules[name]:
                        out.append(
                            _problem(
                                doc,
                                "invalid-value",
                                Message(
                                    "cases-no-rule",
                                    name=name,
                                    rule=rule,
                                    rules=", ".join(rules[name]),
                                ),
                                at,
                                suggest(str(rule), rules[name]),
                            )
                        )
    out.extend(_unknown_findings(doc, expect, path, rubric, known))
    return sorted(out, key=_line_col)  # in file order, as an editor lists them


def _unknown_findings(
    doc: Document,
    expect: Mapping[str, object],
    path: tuple[str | int, ...],
    rubric: Rubric,
    known: Callable[[str], bool],
) -> list[Problem]:
    """Expected warnings, discrepancies, grades and totals no run of the rubric can give: a
    misspelt check id, a grade the rubric does not have, a total written as text."""
    plan = rubric.plan
    out = []
    checks = list(plan.check_ids())
    records = plan.records_groups()

    def warning_known(check: str) -> bool:  # checks, and the warnings the engine makes itself
        return check in checks or ":" in check or check.removesuffix("_sum") in records

    for key, ok, choices, message in (
        ("warnings", warning_known, checks, "cases-no-check"),
        (
            "discrepancies",
            lambda d: d == "total" or known(d),
            list(plan.rules()),
            "cases-no-indicator",
        ),
    ):
        listed = expect.get(key)
        if not isinstance(listed, list):
            continue
        for n, name in enumerate(listed):
            if isinstance(name, str) and not ok(name):
                out.append(
                    _problem(
                        doc,
                        "unknown-indicator" if key == "discrepancies" else "invalid-value",
                        Message(message, key=key, name=name, ref=rubric.ref),
                        (*path, key, n),
                        suggest(name, choices),
                    )
                )
    grades = [g.name for g in plan.grades]
    grade = expect.get("grade")
    if isinstance(grade, str) and grade not in grades:
        out.append(
            _problem(
                doc,
                "invalid-value",
                Message("cases-no-grade", grade=grade, ref=rubric.ref, grades="、".join(grades)),
                (*path, "grade"),
                suggest(grade, grades),
            )
        )
    for key in ("total", "base_total", "bonus_total"):
        value = expect.get(key)
        if isinstance(value, (str, bool)):
            out.append(
                _problem(
                    doc,
                    "invalid-type",
                    Message("cases-expect-number", key=key, value=short_repr(value, 40)),
                    (*path, key),
                )
            )
    return out


def _line_col(problem: Problem) -> tuple[int, int]:
    where = problem.location
    return (where.line or 0, where.column or 0) if where is not None else (0, 0)


def _case(doc: Document, raw: object, i: int, problems: list[Problem]) -> Case | None:
    path: tuple[str | int, ...] = ("cases", i)
    if not isinstance(raw, dict):
        problems.append(_problem(doc, "invalid-type", Message("cases-not-mapping"), path))
        return None
    for key in raw:
        if key not in _CASE_KEYS:
            problems.append(
                _problem(
                    doc,
                    "unknown-key",
                    Message("cases-unknown-key", key=key),
                    (*path, key),
                    suggest(key, _CASE_KEYS),
                    key=True,
                )
            )
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(_problem(doc, "missing-key", Message("cases-needs-name"), path))
        return None
    expect = raw.get("expect", {})
    if not isinstance(expect, dict) or not expect:
        problems.append(_problem(doc, "missing-key", Message("cases-needs-expect"), path))
        return None
    for key in expect:
        if key not in _EXPECT_KEYS:
            problems.append(
                _problem(
                    doc,
                    "unknown-key",
                    Message("cases-unknown-expectation", key=key),
                    (*path, "expect", key),
                    suggest(key, _EXPECT_KEYS),
                    key=True,
                )
            )
    facts = raw.get("facts", {})
    if not isinstance(facts, dict):
        problems.append(
            _problem(doc, "invalid-type", Message("cases-facts-type"), (*path, "facts"))
        )
        facts = {}
    remove = raw.get("remove", [])
    if not _texts(remove):
        problems.append(
            _problem(doc, "invalid-type", Message("cases-remove-type"), (*path, "remove"))
        )
        remove = []
    na = raw.get("not_applicable")
    if na is not None and not _texts(na):
        problems.append(
            _problem(
                doc,
                "invalid-type",
                Message("cases-not-applicable-type"),
                (*path, "not_applicable"),
            )
        )
        na = None
    claimed = None
    if raw.get("claimed") is not None:
        claimed, found = read_claims(raw["claimed"], doc, (*path, "claimed"))
        problems.extend(found)
        given = raw["claimed"]
        if isinstance(given, dict) and "total" in given and given["total"] is None:
            # a case states what it claims; an empty total is a mistake, not "no claim"
            problems.append(
                _problem(
                    doc,
                    "fact-type",
                    Message("cases-claimed-total-empty"),
                    (*path, "claimed", "total"),
                )
            )
    todo = raw.get("todo")
    return Case(
        name,
        facts,
        tuple(remove) if isinstance(remove, list) else (),
        tuple(na) if isinstance(na, list) else None,
        claimed,
        expect,
        str(todo) if todo is not None else None,
        doc.locate(path),
        path,
    )


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def run_case(case_file: CaseFile, case: Case, *, branches: bool = False) -> CaseResult:
    """Evaluate one case and compare every expectation.

    With `branches`, also record which arm of each conditional expression in a formula the
    evaluation took (for `coverage`); the formulas then run on the interpreter, with the
    same results.
    """
    if branches:
        with record_branches() as taken:
            result = run_case(case_file, case)
        return dataclasses.replace(result, branches=frozenset(taken))
    base = case_file.base
    facts: dict[str, object] = dict(base.facts) if base else {}
    for name in case.remove:
        facts.pop(name, None)
    facts.update(case.facts)
    na = (
        case.not_applicable
        if case.not_applicable is not None
        else (base.not_applicable if base else ())
    )
    claims = case.claimed if case.claimed is not None else (base.claims if base else None)
    located = None
    if case_file.document is not None:
        located = _CaseDocument(
            case_file.document.name, None, case=case, cases=case_file.document, base=base
        )
    doc = FactsDocument(
        case_file.rubric.id, case_file.rubric.version, None, None, facts, tuple(na), claims, located
    )
    expect = case.expect
    try:
        card = case_file.rubric.evaluate(doc)
    except PerfscoreError as exc:
        failures: tuple[str, ...]
        if "error" in expect:
            ok = any(p.code == expect["error"] for p in exc.problems)
            failures = (
                ()
                if ok
                else (
                    Message(
                        "test-error-expected",
                        want=expect["error"],
                        got=exc.code,
                        message=exc.problems[0].message,
                    ),
                )
            )
        else:
            failures = (Message("test-evaluation-failed", error=_ErrorText(exc)),)
        return _result(case, failures)
    fired = {i.id: frozenset(_rules(card, i.id)) for i in card.indicators}
    warnings = frozenset(w.check for w in card.warnings)
    return _result(case, tuple(_compare(card, expect)), fired, warnings, card)


@dataclass(frozen=True)
class _CaseDocument(Document):
    """The facts a case is scored on, located where each part was written: a fact, the
    ``not_applicable`` list or a claim the case gives at the case in the case file, one it
    takes from the base at the base document, anything else at the case."""

    case: Case | None = field(default=None, compare=False)
    cases: Document | None = field(default=None, compare=False)
    base: FactsDocument | None = field(default=None, compare=False)

    def __hash__(self) -> int:
        return hash(self.name)

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> Location:
        """Where the value (or with `key`, the key) at `path` of the scored facts was written."""
        case, cases = self.case, self.cases
        assert case is not None  # set by run_case, as cases is
        assert cases is not None
        base = self.base.document if self.base is not None else None
        section, rest = (path[0], path[1:]) if path else (None, ())
        if section == "facts" and rest:
            if rest[0] in case.facts:  # a fact the case gives
                return cases.locate((*case.path, "facts", *rest), key=key)
            if base is not None and self.base is not None and rest[0] in self.base.facts:
                return base.locate(path, key=key)
        elif section == "facts":  # missing: the case's 'remove' took it, or the base lacks it
            if case.remove:
                return cases.locate((*case.path, "remove"), key=True)
            if base is not None:
                return base.locate(path, key=key)
        elif section in ("not_applicable", "claimed"):
            given = case.not_applicable if section == "not_applicable" else case.claimed
            if given is not None:
                return cases.locate((*case.path, *path), key=key)
            if base is not None:
                return base.locate(path, key=key)
        return cases.locate(case.path)


class _ErrorText(Message):
    """A perfscore error as the text of a failing case: its English as `str`, and said again
    in any language as the error says itself (`PerfscoreError.render`)."""

    error: PerfscoreError

    def __new__(cls, error: PerfscoreError) -> _ErrorText:
        self = cast("_ErrorText", super().__new__(cls, "test-error", error=error.render()))
        self.error = error
        return self

    def render(self, language: str) -> str:
        """The error in `language`."""
        return self.error.render(language)

    def __reduce__(self) -> tuple[Any, ...]:
        return _ErrorText, (self.error,)


def _result(
    case: Case,
    failures: tuple[str, ...],
    fired: Mapping[str, frozenset[str]] | None = None,
    warnings: frozenset[str] = frozenset(),
    card: Scorecard | None = None,
) -> CaseResult:
    status = "todo" if case.todo else ("fail" if failures else "pass")
    return CaseResult(case, status, failures, fired or {}, warnings, card)


def _rules(card: Scorecard, indicator: str) -> set[str]:
    item = card.indicator(indicator)
    if item.trace is None:
        return set()
    return {s.rule for s in item.trace.steps if s.rule}


def _eq(expected: object, actual: Decimal | None) -> bool:
    return (
        actual is not None
        and isinstance(expected, (int, Decimal))
        and not isinstance(expected, bool)
        and Decimal(expected) == actual
    )


def _got(value: Decimal | None, span: ScoreRange | None = None) -> str:
    """A computed score, or the range of one that reads unknown values."""
    if value is not None:
        return format_decimal(value)
    if span is not None:
        return f"[{format_decimal(span.min)}, {format_decimal(span.max)}]"
    return Message("test-a-range")


def _show(value: object) -> str:
    return (
        format_decimal(Decimal(value))
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool)
        else repr(value)
    )


def _ids(ids: Iterable[str]) -> str:
    """Check or indicator ids for a message, sorted: ``a, b``, or ``—`` for none."""
    return ", ".join(sorted(ids)) or "—"


def _expected(key: str, want: str, got: str, trace: str = "") -> Message:
    """``key: expected WANT, got GOT``, with the trace of a failing indicator under it."""
    return Message("test-expected-got", key=key, want=want, got=got, trace=trace)


def _compare(card: Scorecard, expect: Mapping[str, object]) -> Iterable[str]:
    if "error" in expect:
        yield Message("test-error-not-raised", want=expect["error"])
    for key in ("base_total", "bonus_total", "total"):
        if key in expect and not _eq(expect[key], getattr(card, key)):
            yield _expected(key, _show(expect[key]), _got(getattr(card, key)))
    if "grade" in expect and expect["grade"] != card.grade:
        yield _expected("grade", repr(expect["grade"]), repr(card.grade))
    scores = {i.id: i for i in card.indicators}
    for ind, value in _mapping(expect.get("indicators")).items():
        if ind not in scores:
            yield Message("test-unknown-indicator", key="indicators", name=ind)
        elif not _eq(value, scores[ind].score):
            shown = _got(scores[ind].score, scores[ind].range)
            yield _expected(ind, _show(value), shown, _trace(card, ind))
    groups = {g.id: g for g in card.groups}
    for gid, value in _mapping(expect.get("groups")).items():
        if gid not in groups:
            yield Message("test-unknown-group", name=gid)
        elif not _eq(value, groups[gid].score):
            shown = _got(groups[gid].score, groups[gid].range)
            yield Message("test-group-expected", group=gid, want=_show(value), got=shown)
    for ind, rules in _mapping(expect.get("fired")).items():
        if ind not in scores:
            yield Message("test-unknown-indicator", key="fired", name=ind)
            continue
        missing = [
            r for r in (rules if isinstance(rules, list) else [rules]) if r not in _rules(card, ind)
        ]
        if missing:
            fired = _ids(_rules(card, ind))
            yield Message(
                "test-rules-not-fired",
                indicator=ind,
                missing=", ".join(map(str, missing)),
                fired=fired,
            )
    if "warnings" in expect:
        want = set(expect["warnings"] or [])  # type: ignore[call-overload]
        got = {w.check for w in card.warnings}
        if want != got:
            yield _expected("warnings", _ids(want), _ids(got))
    if "discrepancies" in expect:
        want = set(expect["discrepancies"] or [])  # type: ignore[call-overload]
        got = {d.indicator for d in card.discrepancies}
        if want != got:
            yield _expected("discrepancies", _ids(want), _ids(got))


def unexpected_findings(result: CaseResult, level: str) -> list[str]:
    """The findings of a case's scorecard at `level` or above (``--fail-on``) that its
    `expect` does not list: a check under ``warnings``, a claimed score under
    ``discrepancies``. A case that fails, or expects an error, has no scorecard to look at."""
    card = result.scorecard
    if card is None or result.status != "pass":
        return []
    expect = result.case.expect
    listed = set(expect.get("warnings") or [])  # type: ignore[call-overload]
    serious = {"error"} if level == "error" else {"error", "warning"}
    out: list[str] = [
        Message(
            "test-finding",
            severity=Message(f"severity-{w.severity}"),
            check=w.check,
            message=w.message,
        )
        for w in card.warnings
        if w.severity in serious and w.check not in listed
    ]
    if level == "discrepancy":
        claimed = set(expect.get("discrepancies") or [])  # type: ignore[call-overload]
        out += [
            Message(
                "test-discrepancy",
                indicator=d.indicator,
                claimed=format_decimal(d.claimed),
                computed=format_decimal(d.computed),
            )
            for d in card.discrepancies
            if d.indicator not in claimed
        ]
    return out


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, dict) else {}


def _trace(card: Scorecard, ind: str) -> str:
    item = card.indicator(ind)
    if item.trace is None:
        return ""
    return "".join(
        f"\n      {s.kind}: {s.detail} → {format_decimal(s.value)}" for s in item.trace.steps
    )


@dataclass(frozen=True)
class Coverage:
    """Which rules (bands, deductions, tiers, items, checks) the cases exercised, and, as a
    separate figure, which arms of the formulas' conditional expressions they took."""

    total: int
    exercised: int
    missing: Mapping[str, tuple[str, ...]]
    #: every arm (then, else) of every conditional expression in a formula
    branches: int = 0
    branches_taken: int = 0
    #: the arms no passing case took, by indicator id, ``derived NAME`` or ``check ID``
    branches_missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def percent(self) -> Decimal:
        """Exercised rules as a percentage of all rules."""
        return Decimal(100) if not self.total else Decimal(self.exercised * 100) / self.total

    @property
    def branch_percent(self) -> Decimal:
        """Taken formula branches as a percentage of all of them."""
        if not self.branches:
            return Decimal(100)
        return Decimal(self.branches_taken * 100) / self.branches


def formula_branches(rubric: Rubric) -> dict[str, list[tuple[str, int, bool]]]:
    """Every arm of every conditional expression in the rubric's formulas, by owner
    (indicator id, records group id, ``derived NAME``, ``check ID``): its name as coverage
    reports it, the id of its ``IfExp`` node, and whether it is the "then" arm."""
    plan = rubric.plan
    owners: list[tuple[str, str, tuple[Formula, ...]]] = [
        (Message("test-owner-derived", name=name), "", (formula,)) for name, formula in plan.derived
    ]
    owners += [(leaf.id, "", leaf.node.formulas) for leaf in (*plan.leaves, *plan.bonus)]
    owners += [(Message("test-owner-check", id=c.id), "", (c.when,)) for c in plan.checks]
    for gid, records in plan.records.items():
        owners += [(gid, f"{v}: ", rule.node.formulas) for v, rule in records.rules.items()]
        owners += [(Message("test-owner-check", id=c.id), "", (c.when,)) for c in records.checks]
    out: dict[str, list[tuple[str, int, bool]]] = {}
    for owner, prefix, formulas in owners:
        arms = out.setdefault(owner, [])
        number = sum(1 for _, _, then in arms if then)
        for formula in formulas:
            for node, condition in formula.branches():
                number += 1
                for then in (True, False):
                    key = "test-branch-then" if then else "test-branch-else"
                    arm = Message(key, prefix=prefix, number=number, condition=condition)
                    arms.append((arm, id(node), then))
    return {owner: arms for owner, arms in out.items() if arms}


def coverage(rubric: Rubric, results: Iterable[CaseResult]) -> Coverage:
    """Rule coverage of a rubric by the cases' results."""
    results = [r for r in results if r.status == "pass"]  # failing or todo cases prove nothing
    # a records group's indicators exist only per fact set: its rules are counted per group
    rules = rubric.plan.rules()
    records = rubric.plan.records_groups()
    fired: dict[str, set[str]] = {}
    for r in results:
        for ind, names in r.fired.items():
            group = ind.partition(".")[0] if "." in ind else ind
            fired.setdefault(group if group in records else ind, set()).update(names)
    warned: set[str] = set()
    for r in results:
        warned.update(r.warnings)
    missing: dict[str, tuple[str, ...]] = {}
    total = exercised = 0
    for ind, declared in rules.items():
        gap = tuple(n for n in declared if n not in fired.get(ind, set()))
        total += len(declared)
        exercised += len(declared) - len(gap)
        if gap:
            missing[ind] = gap
    checks = rubric.plan.check_ids()
    gap_checks = tuple(c for c in checks if c not in warned)
    total += len(checks)
    exercised += len(checks) - len(gap_checks)
    if gap_checks:
        missing[Message("test-owner-checks")] = gap_checks  # equal to "checks", said in words
    taken: set[tuple[int, bool]] = set()
    for r in results:
        taken.update(r.branches)
    arms = formula_branches(rubric)
    untaken = {
        owner: tuple(name for name, node, then in units if (node, then) not in taken)
        for owner, units in arms.items()
    }
    branches = sum(len(units) for units in arms.values())
    not_taken = sum(len(names) for names in untaken.values())
    untaken = {owner: names for owner, names in untaken.items() if names}
    return Coverage(total, exercised, missing, branches, branches - not_taken, untaken)
