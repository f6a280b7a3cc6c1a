"""The public `Rubric`, loading rubrics and facts, and finding bundled rubrics."""

from __future__ import annotations

import codecs
import dataclasses
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from perfscore._engine._compile import compile_plan
from perfscore._engine._plan import Plan
from perfscore._engine._run import RunResult, complete, run, run_plain
from perfscore._errors import (
    ExpressionError,
    FactsError,
    Location,
    PerfscoreError,
    Problem,
    RubricError,
    ScoringError,
    UsageError,
    bad_argument,
    describe,
    suggest,
)
from perfscore._load._cell_hints import cell_hints, text_cell_hints
from perfscore._load._document import Document, load_document, parse_document
from perfscore._load._extends import MergedDocument, merge
from perfscore._load._facts import (
    Claims,
    FactsDocument,
    listed,
    read_facts_document,
    text_items,
    thaw,
)
from perfscore._load._model import Group, Indicator, RubricModel, iter_nodes, validate_model
from perfscore._load._paths import resolve_reference
from perfscore._load._sheet_spec import sheet_problems
from perfscore._load._workbook import load_workbook_document
from perfscore._load._xlsx import WorkbookDocument, is_workbook_path
from perfscore._messages import LANGUAGES, Message
from perfscore._methods._base import FactValueError
from perfscore._numbers import exact
from perfscore._output._assemble import (
    CardContext,
    assemble_deferred,
    assemble_exact,
    record_basis_key,
)
from perfscore._output._scorecard import (
    ProjectSheet,
    RubricRef,
    RuleBasis,
    Scorecard,
    basis_of,
    sha256_of,
)
from perfscore._output._sheets import sheet_of
from perfscore._values import Records
from perfscore._version import __version__

__all__ = ["Rubric", "bundled_rubrics", "load_facts", "load_rubric", "parse_rubric"]

_F = TypeVar("_F", bound=Callable[..., Any])


#: the largest total `grade_of` takes (a claimed score is no larger: `Claims`)
_MAX_TOTAL = Decimal("1E+15")


def _in_rubric_language(method: _F) -> _F:
    """A method of `Rubric` whose errors are said in the rubric's language: facts errors
    follow the rubric the facts are for, and so does every failure while scoring them."""

    @functools.wraps(method)
    def wrapper(self: Rubric, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except PerfscoreError as exc:
            if exc.language is None:
                exc.language = self._model.language
            raise

    return wrapper  # type: ignore[return-value]


def _at_value(exc: FactValueError, document: Document | None) -> ScoringError:
    """A scoring failure over one fact's value, pointing at that value in the facts document;
    the rule that refused it follows as a detail. Without a document it stays at the rule."""
    if document is None:
        return ScoringError(exc.problems, exc.summary)
    return ScoringError(_at(exc, document), exc.summary)


def _at(exc: ScoringError, document: Document) -> list[Problem]:
    """`exc`'s problems moved to the value its `path` leads to in the facts document, each
    with the place it stood (the rule) as a detail after it."""
    location = document.locate(("facts", *getattr(exc, "path", ())))
    return [
        dataclasses.replace(
            p,
            location=location,
            details=(
                (*p.details, (Message("formula-detail-rule"), str(p.location)))
                if p.location
                else p.details
            ),
        )
        for p in exc.problems
    ]


def _level_labels(model: RubricModel) -> dict[str, dict[str, str]]:
    """By enum fact a tiers table reads as its level: the level each of its labels names
    (达成年度目标 -> achieved), for the hint of a label typed where its value belongs. A label
    two levels share names neither."""
    found: dict[str, dict[str, str | None]] = {}
    for n in iter_nodes(model):
        tiers = getattr(n.node, "tiers", None)
        if tiers is None:
            continue
        named = found.setdefault(tiers.level, {})
        for tier in tiers.table:
            if tier.label:
                label = tier.label.strip()
                named[label] = tier.level if named.get(label, tier.level) == tier.level else None
    return {
        fact: {label: level for label, level in named.items() if level is not None}
        for fact, named in found.items()
    }


def _at_fact(exc: ExpressionError, document: Document) -> ExpressionError:
    """A formula's failure on one fact's value (a divisor of 0), at that value in the facts
    document; the formula's place in the rubric follows as a detail."""
    moved = ExpressionError(_at(exc, document), exc.summary)
    moved.path = exc.path
    return moved


#: What `Rubric.evaluate_many` scores: a facts document, a mapping of facts, or a facts file.
BatchItem = FactsDocument | Mapping[str, object] | str | os.PathLike[str]

#: Documents a worker process receives at a time in `Rubric.evaluate_many`: large enough that
#: sending work costs little next to scoring it (about a millisecond a document), small enough
#: that workers finish together and a slow consumer does not hold much.
DEFAULT_CHUNKSIZE = 16

_NONE_MARKED: frozenset[str] = frozenset()


class Rubric:
    """A loaded, checked and compiled rubric. Immutable and safe to share between threads."""

    __slots__ = (
        "_basis",
        "_criteria",
        "_document",
        "_labels",
        "_model",
        "_names",
        "_output",
        "_plan",
        "_records",
        "sha256",
    )

    def __init__(self, model: RubricModel, plan: Plan, document: Document) -> None:
        self._model = model
        self._plan = plan
        self._document = document
        self._names = plan.names()
        self._records = plan.records_groups()
        self._basis = _basis_index(model)
        self._criteria = _criteria_index(model)
        self._labels = _label_index(model)
        digest = sha256_of(document.data)
        self._output = self._card_context(digest)
        self.sha256 = digest  # set last: it seals the instance

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "sha256") and name in self.__slots__:
            raise AttributeError("Rubric is immutable")
        object.__setattr__(self, name, value)

    # The three stages a rubric was built from, for perfscore's own tools (check, cases, schema,
    # strategies); they are not part of the documented API and may change.

    @property
    def model(self) -> RubricModel:
        """The validated rubric model."""
        return self._model

    @property
    def plan(self) -> Plan:
        """The compiled plan."""
        return self._plan

    @property
    def document(self) -> Document:
        """The document the rubric was read from (locations of every value)."""
        return self._document

    @property
    def id(self) -> str:
        """The rubric id, e.g. ``dept-overall-huizhou``."""
        return self._model.id

    @property
    def version(self) -> str:
        """The rubric version, e.g. ``2022.1``."""
        return self._model.version

    @property
    def title(self) -> str:
        """The rubric's title."""
        return self._model.title

    @property
    def ref(self) -> str:
        """``id@version``, as facts documents write it."""
        return f"{self.id}@{self.version}"

    @property
    def chain(self) -> tuple[str, ...]:
        """``id@version`` of every rubric this one extends, the most basic first."""
        return self._document.chain if isinstance(self._document, MergedDocument) else ()

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """Leaf and bonus indicator ids in rubric order."""
        return tuple(self._names)

    def __repr__(self) -> str:
        return f"<Rubric {self.ref} sha256={self.sha256[:12]}>"

    # A rubric pickles as the document it was compiled from and is compiled again on arrival:
    # the plan holds compiled formulas, which do not pickle, and compiling is deterministic.
    # Two rubrics are equal when they were compiled from the same content under the same name.
    def __reduce__(self) -> tuple[object, ...]:
        return _build, (self._document,)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rubric):
            return NotImplemented
        return (self.sha256, self._document.name, self.chain) == (
            other.sha256,
            other._document.name,
            other.chain,
        )

    def __hash__(self) -> int:
        return hash(self.sha256)

    def evaluate_many(
        self,
        documents: Iterable[BatchItem],
        *,
        processes: int | None = None,
        trace: bool = False,
        chunksize: int = DEFAULT_CHUNKSIZE,
        encoding: str | None = None,
    ) -> Iterator[Scorecard | PerfscoreError]:
        """Score many facts documents, yielding one result per document in input order.

        Each result is the document's `Scorecard`, or the `PerfscoreError` that scoring it
        raised (returned, not raised): one bad document never stops the batch. Results are
        produced as they are consumed, so a corpus of any size streams in flat memory.

        Args:
            documents: any iterable (it is read lazily) of `FactsDocument` objects, mappings of
                fact ids to values (as `evaluate` takes them), or paths of facts files, which
                are read with `load_facts` where they are scored; an error reading one is that
                document's result, located to its file. Anything else is a `UsageError` result.
            processes: None (the default) scores in this process, one document after another.
                A number starts that many worker processes (0: one per CPU) that receive the
                rubric once, when they start, and score documents in chunks; at most
                ``2 * processes`` chunks are in flight, so memory stays bounded.
            trace: build per-indicator traces (off by default: a batch rarely needs them and
                scores are identical either way).
            chunksize: documents sent to a worker at a time (default 16); larger chunks cost
                less per document, smaller ones balance uneven documents. Ignored when serial.
            encoding: the encoding of facts files given as paths, when not UTF-8.

        Returns:
            An iterator of `Scorecard` or `PerfscoreError`, one per document, in input order.
            Results from workers equal the serial ones.

        Raises:
            UsageError: `processes` or `chunksize` is out of range (raised at the call).
            Exceptions that are not a `PerfscoreError` are defects, not bad documents; they are
            raised as `evaluate` raises them, and a worker that dies ends the batch with
            `concurrent.futures.process.BrokenProcessPool`.
        """
        documents = listed(
            "evaluate_many", "documents", documents, Message("usage-items-documents")
        )
        _check_flag("evaluate_many", "trace", trace)
        _check_encoding("evaluate_many", encoding)
        if processes is not None and (
            isinstance(processes, bool) or not isinstance(processes, int) or processes < 0
        ):
            raise UsageError(
                Problem(
                    "bad-argument",
                    Message("usage-processes", value=processes),
                    hint=Message("usage-hint-processes"),
                )
            )
        if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
            raise UsageError(
                Problem(
                    "bad-argument",
                    Message("usage-chunksize", value=chunksize),
                )
            )
        if processes is None:
            return _evaluate_serial(self, documents, trace, encoding)
        return _evaluate_pool(
            self, documents, processes or _cpu_count(), trace, chunksize, encoding
        )

    def evaluate(
        self,
        facts: Mapping[str, object] | FactsDocument | str | os.PathLike[str],
        *,
        trace: bool = True,
        not_applicable: Iterable[str] = (),
        claims: Claims | None = None,
    ) -> Scorecard:
        """Score a facts document (or the mapping of its ``facts`` section).

        Args:
            facts: a `FactsDocument` from `load_facts`, or a mapping of fact ids to values
                (numbers as `int` or `Decimal`, dates as `datetime.date` or ISO text), or the
                path of a facts file (read with `load_facts`).
            trace: build per-indicator traces; scores are identical either way.
            not_applicable: a list of indicator ids marked 不涉及 (added to the document's own
                list); a single id is refused (`UsageError`), not read as its characters.
            claims: claimed scores, a `Claims` (overrides the document's `claimed` section).

        Returns:
            The `Scorecard`.

        Raises:
            FactsError: the facts do not fit the rubric (every problem is listed).
            ScoringError: a formula failed at run time (e.g. division by zero), or the
                not-applicable list leaves a group none of its indicators.
            UsageError: an argument of the wrong kind (``bad-argument``).
        """
        # the usual call: facts as a dict, scored by the generated code from end to end; the
        # generated code's answer (or its None) then stands for the general call, not run
        # again. Nothing on this path raises, so it needs no `_in_rubric_language` around it
        # (whose extra call costs about 1 µs, 3% of the call).
        if (
            type(facts) is dict
            and claims is None
            and type(not_applicable) is tuple
            and not not_applicable
            and (trace is True or trace is False)
            and self._model.sheet is None
        ):
            done = run_plain(self._plan, facts, trace)
            if done is not None:
                card = assemble_exact(done[1], self._output, done[0], None, None, trace)
                if card is not None:
                    return card
            return self._evaluate(facts, trace, not_applicable, claims, True, done)
        return self._evaluate(facts, trace, not_applicable, claims, False, None)

    @_in_rubric_language
    def _evaluate(
        self,
        facts: Mapping[str, object] | FactsDocument | str | os.PathLike[str],
        trace: bool,
        not_applicable: Iterable[str],
        claims: Claims | None,
        tried: bool,
        done: tuple[dict[str, object], RunResult] | None,
    ) -> Scorecard:
        """`evaluate` past the usual call; `tried`: `run_plain` ran on these facts already
        and gave `done`."""
        facts = _facts_argument("evaluate", facts)
        if trace is not True and trace is not False:
            _check_flag("evaluate", "trace", trace)
        if type(not_applicable) is not tuple or not_applicable:
            not_applicable = text_items(
                "evaluate", "not_applicable", not_applicable, Message("usage-items-ids")
            )
        if claims is not None and not isinstance(claims, Claims):
            raise bad_argument(
                "evaluate",
                "claims",
                Message("usage-expected-claims"),
                claims,
                Message("usage-hint-claims"),
            )
        own_na: int | None = None  # how many of the ids come from the document (all: None)
        claims_given = claims is not None  # then they are no part of the document
        if isinstance(facts, FactsDocument):
            self._check_reference(facts)
            document, raw = facts.document, facts.facts
            na = (*facts.not_applicable, *not_applicable)
            own_na = len(facts.not_applicable)
            claims = claims if claims is not None else facts.claims
            subject, period = facts.subject, facts.period
            name = facts.document.name if facts.document else "facts"
        else:
            document, raw, na, subject, period, name = (
                None,
                facts,
                tuple(not_applicable),
                None,
                None,
                "facts",
            )
            own_na = 0  # every id was given to the call
        if not na and claims is None:  # the usual call, generated code from end to end
            if not tried:
                done = run_plain(self._plan, raw, trace)
            if done is not None:
                return self._scorecard(done[1], done[0], subject, period, None, trace)
        values, na_set, plain = self._checked(
            raw, na, claims, document, name, own_na=own_na, claims_given=claims_given
        )
        self._check_groups_keep_points(na, document, own_na)
        try:
            result = run(self._plan, values, not_applicable=na_set, trace=trace, plain=plain)
        except FactValueError as exc:
            raise _at_value(exc, document) from exc
        except ExpressionError as exc:
            if exc.path and document is not None and exc.path[0] in self._model.facts:
                raise _at_fact(exc, document) from exc
            raise
        return self._scorecard(result, values, subject, period, claims, trace)

    @_in_rubric_language
    def validate(self, facts: FactsDocument | str | os.PathLike[str]) -> None:
        """Check a facts document (or the facts file at a path) against this rubric without
        scoring it.

        Raises:
            FactsError: every problem in the facts, `not_applicable` and `claimed`, located.
            UsageError: `facts` is neither a `FactsDocument` nor a path (``bad-argument``).
        """
        if _is_path(facts):
            facts = load_facts(facts)  # type: ignore[arg-type]
        elif not isinstance(facts, FactsDocument):
            raise bad_argument("validate", "facts", Message("usage-expected-facts-document"), facts)
        self._check_reference(facts)
        name = facts.document.name if facts.document else "facts"
        self._validate(facts.facts, facts.not_applicable, facts.claims, facts.document, name)

    def _validate(
        self,
        raw: Mapping[str, object],
        na: Iterable[str],
        claims: Claims | None,
        document: Document | None,
        name: str,
    ) -> tuple[dict[str, object], frozenset[str]]:
        """Validate facts, not-applicable ids and claims together; one FactsError for all."""
        values, na_set, _plain = self._checked(raw, na, claims, document, name)
        return values, na_set

    def _checked(
        self,
        raw: Mapping[str, object],
        na: Iterable[str],
        claims: Claims | None,
        document: Document | None,
        name: str,
        *,
        own_na: int | None = None,
        claims_given: bool = False,
    ) -> tuple[dict[str, object], frozenset[str], bool]:
        """`_validate`, and whether the happy path took the facts (then no value is unknown
        or doubtful: it accepts none). `own_na`: how many of the not-applicable ids are the
        document's own (all when None), the rest given to the call; `claims_given`: the
        claims were given to the call, not read from the document. What the call was given is
        located at the call (``<not_applicable>``, ``<claims>``), not in the document."""
        problems: list[Problem] = []
        na_set: frozenset[str] = frozenset()
        fast = self._plan.validate_fast(raw)  # plainly valid facts skip the full validator
        values: dict[str, object] = {} if fast is None else fast
        if fast is None:
            try:
                labels = _level_labels(self._model)
                values = self._plan.validate(raw, document=document, name=name, labels=labels)
            except FactsError as exc:
                problems.extend(exc.problems)
        try:
            na_set = self._check_not_applicable(na, document, own_na)
        except FactsError as exc:
            problems.extend(exc.problems)
        try:
            if claims is not None:
                self._check_claims(claims, None if claims_given else document)
        except FactsError as exc:
            problems.extend(exc.problems)
        if problems:
            if isinstance(document, WorkbookDocument):  # hints say what to type in the cell
                problems = cell_hints(
                    problems, document, self._model.facts, raw, self._model.language
                )
            summary = Message("facts-problems", name=name, count=len(problems))
            other = self._looks_like(raw, problems)
            if other is not None:
                ref, known = other
                problems.insert(
                    0,
                    Problem(
                        "rubric-mismatch",
                        Message(
                            "facts-look-like", other=ref, ref=self.ref, known=known, count=len(raw)
                        ),
                        document.locate(("rubric",)) if document else Location(name),
                        hint=Message("facts-hint-look-like", other=ref),
                    ),
                )
                summary = Message(
                    "facts-problems-look-like",
                    name=name,
                    other=ref,
                    count=len(problems) - 1,
                    ref=self.ref,
                )
            raise FactsError(problems, summary=summary)
        return values, na_set, fast is not None

    def _looks_like(
        self, raw: Mapping[str, object], problems: list[Problem]
    ) -> tuple[str, int] | None:
        """The bundled rubric whose facts these are, when most of them are unknown here: its
        ``id@version`` and how many of the names it declares; None when none fits better."""
        unknown = sum(p.code == "unknown-fact" for p in problems)
        if not isinstance(raw, Mapping) or unknown < max(3, len(raw) // 2):
            return None
        given = {k for k in raw if isinstance(k, str)}
        ours = len(given & set(self._model.facts))
        best: tuple[str, int] | None = None
        best_size = 0
        for ref in bundled_rubrics():
            if ref == self.ref:
                continue
            facts = _bundled_facts(ref)
            known = len(given & facts)
            # most of the document's names are that rubric's, and more than are this one's;
            # of rubrics that know as many, the one declaring the fewest other facts fits best
            # (a version that only adds facts, or an extension, does not displace its base)
            fits = known * 5 >= len(given) * 4 and known > ours
            if fits and (best is None or (known, -len(facts)) > (best[1], -best_size)):
                best, best_size = (ref, known), len(facts)
        return best

    def matches(self, scorecard: Scorecard) -> bool:
        """True when `scorecard` was produced by exactly this rubric's content.

        A bundled ``id@version`` edited after a scorecard was made keeps its id and version but
        not its content hash; this detects it.
        """
        if not isinstance(scorecard, Scorecard):
            raise bad_argument(
                "matches", "scorecard", Message("usage-expected-scorecard"), scorecard
            )
        ref = scorecard.rubric
        return (ref.id, ref.version, ref.sha256) == (self.id, self.version, self.sha256)

    def grade_of(self, total: Decimal | int) -> str:
        """The grade the rubric gives a total (an `int` or a finite `Decimal`; a float is
        refused as inexact, as in facts)."""
        if isinstance(total, bool) or not isinstance(total, (int, Decimal)):
            hint = Message("facts-hint-float") if isinstance(total, float) else None
            raise bad_argument("grade_of", "total", Message("usage-expected-total"), total, hint)
        if isinstance(total, Decimal) and not total.is_finite():
            raise bad_argument("grade_of", "total", Message("usage-expected-total"), total)
        if abs(Decimal(total)) > _MAX_TOTAL:  # as the message says: no total is that large
            raise bad_argument("grade_of", "total", Message("usage-expected-total"), total)
        return self._plan.grade(Decimal(total))

    def _check_reference(self, facts: FactsDocument) -> None:
        if facts.rubric_id is None:
            return
        wanted = f"{facts.rubric_id}@{facts.rubric_version}"
        if wanted != self.ref:
            raise FactsError(
                Problem(
                    "rubric-mismatch",
                    Message("facts-rubric-mismatch", wanted=wanted, ref=self.ref),
                    facts.locate(("rubric",)),
                    hint=Message(
                        "facts-hint-rubric-mismatch-template"
                        if getattr(facts.document, "layout", None) == "template"
                        else "facts-hint-rubric-mismatch",
                        wanted=wanted,
                        ref=self.ref,
                    ),
                )
            )

    def _check_not_applicable(
        self, ids: Iterable[str], document: Document | None, own: int | None = None
    ) -> frozenset[str]:
        if not ids:  # the usual case: nothing marked
            return _NONE_MARKED
        problems = []
        for i, item in enumerate(ids):
            loc = _na_location(document, i, own)
            rule = self._plan.not_applicable(item)
            if rule is None:
                known = [n for n in self._names if self._plan.not_applicable(n) is not None]
                problems.append(
                    Problem(
                        "unknown-indicator",
                        Message("facts-unknown-indicator", id=item),
                        loc,
                        hint=self._id_hint(item, known),
                    )
                )
            elif rule == "forbidden":
                problems.append(
                    Problem(
                        "not-applicable-forbidden",
                        Message("facts-not-applicable-forbidden", id=item, name=self._names[item]),
                        loc,
                        hint=Message("facts-hint-not-applicable-forbidden"),
                    )
                )
        if problems:
            raise FactsError(problems)
        return frozenset(ids)

    def _check_groups_keep_points(
        self, ids: Iterable[str], document: Document | None, own: int | None = None
    ) -> None:
        """Refuse a not-applicable list that empties a group whose points are redistributed:
        they would go nowhere. Valid facts can do this, so it is a `ScoringError`, found before
        the run and standing at the list entry that emptied the group.
        """
        ids = list(ids)
        if not ids:  # nothing marked empties nothing: spare the walk over every group
            return
        emptied = self._plan.emptied_groups(frozenset(ids))
        names = dict(zip(self._plan.group_ids(), self._plan.group_names(), strict=True))
        for gid, marked in emptied.items():
            if any(set(marked) > set(inner) for inner in emptied.values()):
                continue  # emptied only because a group inside it is: that one is reported
            last = max(i for i, item in enumerate(ids) if item in marked)
            loc = _na_location(document, last, own)
            raise ScoringError(
                Problem(
                    "invalid-operation",
                    Message(
                        "scoring-group-emptied",
                        id=gid,
                        name=names[gid],
                        marked=", ".join(map(repr, marked)),
                    ),
                    loc,
                    Message("subject-group", id=gid),
                    hint=Message("scoring-hint-group-emptied"),
                )
            )

    def _id_hint(self, given: object, known: Sequence[str]) -> str | None:
        """The hint for an indicator id the rubric does not have: the id of the indicator of
        that name (a sheet names indicators, a rubric's facts use ids), else the closest id."""
        if not isinstance(given, str):
            return None
        named = [i for i in known if self._names.get(i) == given.strip()]
        if len(named) == 1:
            return Message(
                "facts-hint-indicator-by-name", name=given.strip(), id=named[0], ref=named[0]
            )
        return suggest(given, known)

    def _check_claims(self, claims: Claims, document: Document | None) -> None:
        """Claims naming indicators the rubric does not have (`Claims` checks its own values
        as it is made)."""
        problems = []
        for key in claims.indicators:
            if key not in self._names and key.partition(".")[0] not in self._records:
                loc = (
                    document.locate(("claimed", "indicators", key), key=True)
                    if document
                    else Location("<claims>")
                )
                problems.append(
                    Problem(
                        "unknown-indicator",
                        Message("facts-claim-unknown-indicator", id=key),
                        loc,
                        hint=self._id_hint(key, list(self._names)),
                    )
                )
        if problems:
            raise FactsError(problems)

    def _check_expanded_claims(self, claimed: Mapping[str, Decimal], result: RunResult) -> None:
        """Claims naming a records group's indicators can only be checked once it is expanded."""
        if not claimed or not self._records:  # nothing _check_claims left unchecked
            return
        known = set(result.leaves)
        unknown = [key for key in claimed if key not in known]
        if unknown:
            raise FactsError(
                [
                    Problem(
                        "unknown-indicator",
                        Message("facts-claim-unknown-indicator", id=key),
                        Location("<claims>"),
                        hint=suggest(key, sorted(known)),
                    )
                    for key in unknown
                ]
            )

    @exact  # the review's sums and the sheet's figures as in any caller's context
    def _scorecard(
        self,
        result: RunResult,
        values: Mapping[str, object],
        subject: str | None,
        period: str | None,
        claims: Claims | None,
        trace: bool,
    ) -> Scorecard:
        if result.claims:  # scores claimed inside records; the claimed section wins
            claims = Claims(
                {**result.claims, **(claims.indicators if claims else {})},
                claims.total if claims else None,
                claims.grade if claims else None,
            )
        if claims or self._model.sheet is not None:  # both read the records
            result = complete(result)
        self._check_expanded_claims(claims.indicators if claims else {}, result)
        return assemble_deferred(
            result,
            self._output,
            values=values,
            subject=subject,
            period=period,
            claims=claims,
            trace=trace,
            sheet=None if self._model.sheet is None else self._sheet(values, result),
        )

    def _card_context(self, digest: str) -> CardContext:
        """What every scorecard of this rubric shares."""
        return CardContext(
            version=__version__,
            rubric=RubricRef(
                id=self.id,
                version=self.version,
                title=self.title,
                sha256=digest,
                language=self._model.language,
                chain=self.chain,
                layout=self._model.layout,
            ),
            basis=self._basis,
            grade_of=self._plan.grade,
            grades=tuple(g.name for g in self._plan.grades),
            names=_trace_names(self._model),
            criteria=self._criteria,
            labels=self._labels,
            facts=self._plan.facts,
        )

    def _sheet(self, values: Mapping[str, object], result: RunResult) -> ProjectSheet:
        """What the project layout prints besides the scores, as the rubric's `sheet` names it."""
        assert self._model.sheet is not None
        rows: list[tuple[str, Mapping[str, object]]] = []
        for plan in self._plan.records.values():
            records = values.get(plan.list_fact)
            if not isinstance(records, (Records, list, tuple)):
                continue
            for i, record in enumerate(records):
                given = record.get(plan.id_field) if plan.id_field else None
                leaf = f"{plan.group}.{i + 1 if given is None else given}"
                if leaf in result.leaves:
                    rows.append((leaf, record))
        return sheet_of(self._model.sheet, values, rows)


def as_rubric(call: str, parameter: str, value: object) -> Rubric:
    """The rubric a public call was given: a `Rubric` as it is, a path or bundled
    ``id@version`` loaded with `load_rubric`; anything else is a `UsageError`."""
    if isinstance(value, Rubric):
        return value
    if _is_path(value):
        return load_rubric(value)  # type: ignore[arg-type]
    raise bad_argument(call, parameter, Message("usage-expected-rubric"), value)


def _na_location(document: Document | None, index: int, own: int | None) -> Location:
    """Where not-applicable id `index` stands: in the document's list when it is one of the
    document's own `own` ids (all when None), else at the call that was given it."""
    if document is not None and (own is None or index < own):
        return document.locate(("not_applicable", index))
    return Location("<facts>" if document is None and own is None else "<not_applicable>")


def _facts_argument(call: str, value: object) -> FactsDocument | Mapping[str, object]:
    """The facts a public call was given: a document or a mapping as it is, a path read with
    `load_facts`; anything else is a `UsageError`."""
    if isinstance(value, (FactsDocument, Mapping)):
        return value
    if _is_path(value):
        hint, expected = Message("usage-hint-facts-text"), Message("usage-expected-facts")
        _not_document_text(call, value, hint, parameter="facts", expected=expected)
        return load_facts(value)  # type: ignore[arg-type]
    raise bad_argument(call, "facts", Message("usage-expected-facts"), value)


def _not_document_text(
    call: str, path: object, hint: str, parameter: str = "path", expected: str | None = None
) -> None:
    """Refuse a document's own text given where its path belongs: a path holds no line break,
    and opening the text would echo all of it back as a file name that cannot exist."""
    if isinstance(path, str) and ("\n" in path or "\r" in path):
        got = Message("usage-got-document-text", lines=len(path.splitlines()))
        expected = expected or Message("usage-expected-path")
        raise bad_argument(call, parameter, expected, path, hint, got=got)


def _is_path(value: object) -> bool:
    """Whether `value` is a path as perfscore reads one: text, or an `os.PathLike` of text."""
    if isinstance(value, str):
        return True
    if not isinstance(value, os.PathLike):
        return False
    try:
        return isinstance(os.fspath(value), str)
    except TypeError:  # a __fspath__ that returns something else
        return False


def _check_flag(call: str, parameter: str, value: object) -> None:
    if value is not True and value is not False:
        raise bad_argument(call, parameter, Message("usage-expected-boolean"), value)


def _check_encoding(call: str, value: object) -> None:
    """`encoding` None or the name of a codec Python knows; else a `UsageError` naming the call,
    before any file is read (a batch would otherwise fail each document on it)."""
    if value is not None and not isinstance(value, str):
        raise bad_argument(call, "encoding", Message("usage-expected-encoding"), value)
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            raise bad_argument(
                call,
                "encoding",
                Message("usage-expected-encoding"),
                value,
                Message("usage-hint-gb18030"),
            ) from None


def _score_item(
    rubric: Rubric, index: int, item: object, trace: bool, encoding: str | None
) -> Scorecard | PerfscoreError:
    """One document's result: its scorecard, or the perfscore error scoring it raised."""
    try:
        if isinstance(item, (str, os.PathLike)):
            item = load_facts(item, encoding=encoding)
        elif not isinstance(item, (FactsDocument, Mapping)):
            raise UsageError(_not_a_document(index, item))
        return rubric.evaluate(item, trace=trace)
    except PerfscoreError as exc:
        if exc.language is None and not isinstance(exc, UsageError):  # the facts' errors
            exc.language = rubric._model.language
        # an error held in a list of results must not keep this call's frames alive
        return exc.with_traceback(None)


def _not_a_document(index: int, item: object) -> Problem:
    return Problem(
        "bad-argument",
        Message("usage-not-a-document", index=index, what=describe(item)),
        hint=Message("usage-hint-not-a-document"),
    )


def _evaluate_serial(
    rubric: Rubric, documents: Iterable[object], trace: bool, encoding: str | None
) -> Iterator[Scorecard | PerfscoreError]:
    for index, item in enumerate(documents):
        yield _score_item(rubric, index, item, trace, encoding)


def _cpu_count() -> int:
    count = getattr(os, "process_cpu_count", os.cpu_count)()  # the former is Python 3.13+
    return max(1, count or 1)


# A worker process's rubric and options, set once by `_start_worker` when the process starts.
_WORKER: dict[str, object] = {}


def _start_worker(rubric: bytes, trace: bool, encoding: str | None) -> None:
    import pickle

    _WORKER.update(rubric=pickle.loads(rubric), trace=trace, encoding=encoding)  # noqa: S301 - from the parent


def _score_chunk(
    chunk: list[tuple[int, bytes | PerfscoreError]],
) -> list[Scorecard | PerfscoreError]:
    """Score a chunk in a worker: each document arrives pickled on its own, so one that cannot
    be read back is that document's error, not the chunk's."""
    import pickle

    rubric = _WORKER["rubric"]
    assert isinstance(rubric, Rubric)
    trace, encoding = bool(_WORKER["trace"]), _WORKER["encoding"]
    assert encoding is None or isinstance(encoding, str)
    results: list[Scorecard | PerfscoreError] = []
    for index, payload in chunk:
        if isinstance(payload, PerfscoreError):
            results.append(payload)
            continue
        try:
            item = pickle.loads(payload)  # noqa: S301 - pickled by the parent process
        except Exception as exc:  # noqa: BLE001 - a document that cannot cross is its own error
            results.append(_unsendable(index, exc))
            continue
        results.append(_score_item(rubric, index, item, trace, encoding))
    return results


def _unsendable(index: int, exc: BaseException) -> UsageError:
    return UsageError(
        Problem(
            "bad-argument",
            Message("usage-unsendable", index=index, kind=type(exc).__name__, error=str(exc)),
            hint=Message("usage-hint-unsendable"),
        )
    )


def _pack(index: int, item: object) -> tuple[int, bytes | PerfscoreError]:
    """A document as the bytes a worker reads, or the error that stops it going there."""
    import pickle

    if not isinstance(item, (FactsDocument, Mapping, str, os.PathLike)):
        return index, UsageError(_not_a_document(index, item))
    try:
        return index, pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - an unpicklable value is that document's error
        if isinstance(item, Mapping):  # read-only views (a document's facts) go as dicts
            try:
                return index, pickle.dumps(thaw(item), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001, S110 - said below, as the first failure
                pass
        return index, _unsendable(index, exc)


def _evaluate_pool(
    rubric: Rubric,
    documents: Iterable[object],
    processes: int,
    trace: bool,
    chunksize: int,
    encoding: str | None,
) -> Iterator[Scorecard | PerfscoreError]:
    import itertools
    import pickle
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        processes,
        initializer=_start_worker,
        initargs=(pickle.dumps(rubric, protocol=pickle.HIGHEST_PROTOCOL), trace, encoding),
    )
    pending: deque[Future[list[Scorecard | PerfscoreError]]] = deque()
    items = enumerate(documents)
    try:
        while chunk := [_pack(i, item) for i, item in itertools.islice(items, chunksize)]:
            pending.append(pool.submit(_score_chunk, chunk))
            if len(pending) >= 2 * processes:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:  # also when the consumer stops early: drop the queued work, stop the workers
        pool.shutdown(wait=True, cancel_futures=True)


def _trace_names(model: RubricModel) -> dict[str, str]:
    """Labels of facts and derived values by id, for the words of a trace; ``id%`` marks percent."""
    names = {k: spec.label for k, spec in model.derived.items()}
    names.update({k: spec.label for k, spec in model.facts.items()})
    names.update({f"{k}%": spec.label for k, spec in model.facts.items() if spec.type == "percent"})
    return names


def _basis_index(model: RubricModel) -> dict[str, RuleBasis]:
    """Each indicator's basis by id; a records rule's under ``<group>[<rule>]`` (its leaves'
    ids come from the facts)."""
    items = [n.node for n in iter_nodes(model) if isinstance(n.node, Indicator)]
    index = {i.id: basis_of(i.basis) for i in [*items, *model.bonus] if i.basis is not None}
    for n in iter_nodes(model):
        if isinstance(n.node, Group) and n.node.records is not None:
            for value, rule in n.node.records.rules.items():
                if rule.basis is not None:
                    index[record_basis_key(n.node.id, value)] = basis_of(rule.basis)
    return index


def _criteria_index(model: RubricModel) -> dict[str, str]:
    """Each indicator's 评分标准 in the rubric's own words: its `description`, else the reasons
    of its checklist items or its per-unit deduction (placeholders shown as N)."""
    part = "；" if model.language == "zh" else "; "
    items = [n.node for n in iter_nodes(model) if isinstance(n.node, Indicator)]
    out: dict[str, str] = {i.id: i.description for i in model.bonus if i.description}
    for i in items:
        words: list[str] = []
        if i.description:
            words = [i.description]
        elif i.checklist is not None:
            words = [item.reason for item in i.checklist.items]
        elif i.per_unit is not None and i.per_unit.reason:
            words = [i.per_unit.reason]
        if words:
            out[i.id] = re.sub(r"\{[^{}]*\}", "N", part.join(words))
    return out


def _label_index(model: RubricModel) -> dict[str, str]:
    """The label of every name a trace may read: facts, derived values, list fields."""
    labels = {k: f.label for k, f in model.facts.items()}
    labels.update((k, d.label) for k, d in model.derived.items())
    for fact in model.facts.values():
        for key, field in (fact.fields or {}).items():
            labels.setdefault(key, field.label)
    return labels


def parse_rubric(text: str | bytes, *, name: str = "<rubric>") -> Rubric:
    """Load a rubric from YAML or JSON text (see `load_rubric`)."""
    if not isinstance(text, (str, bytes)):
        raise bad_argument("parse_rubric", "text", Message("usage-expected-rubric-text"), text)
    if not isinstance(name, str):
        raise bad_argument("parse_rubric", "name", Message("usage-expected-text-or-none"), name)
    return _build(parse_document(text, name=name))


def load_rubric(path: str | os.PathLike[str], *, encoding: str | None = None) -> Rubric:
    """Load, check and compile a rubric.

    Args:
        path: a rubric file, or ``id@version`` of a bundled rubric.
        encoding: the file's encoding (and that of the rubrics it extends) when not UTF-8.

    Returns:
        The compiled `Rubric`.

    Raises:
        DocumentError: the file cannot be read as YAML/JSON.
        RubricError: the rubric is malformed; every problem is listed with file:line:col.
        UsageError: ``id@version`` names no bundled rubric, or an argument of the wrong kind
            (``bad-argument``).
    """
    if not _is_path(path):
        raise bad_argument("load_rubric", "path", Message("usage-expected-path"), path)
    _not_document_text("load_rubric", path, Message("usage-hint-rubric-text"))
    _check_encoding("load_rubric", encoding)
    text = os.fspath(path)
    if "@" in text and not Path(text).exists():
        return _build(load_document(bundled_path(text)))
    return _build(load_document(path, encoding=encoding), encoding)


def _build(document: Document, encoding: str | None = None) -> Rubric:
    try:
        if isinstance(document.data, dict) and "extends" in document.data:
            document = merge(document, lambda ref, child: _load_base(ref, child, encoding))
        model = validate_model(document)
        plan = compile_plan(model, document.locate, document.name)
        problems = sheet_problems(model, document.locate)
        if problems:
            raise RubricError(
                problems, summary=f"{document.name}: {len(problems)} problem(s) in the rubric"
            )
    except PerfscoreError as exc:  # said in the language the rubric declares, when it can be read
        if exc.language is None:
            exc.language = _declared_language(document.data)
        raise
    return Rubric(model, plan, document)


def _declared_language(data: object) -> str | None:
    """The rubric's ``language:`` (``zh`` when it declares none), or None when it cannot be read."""
    if not isinstance(data, dict):
        return None
    language = data.get("language", "zh")
    return language if language in LANGUAGES else None


def _load_base(ref: str, child: Document, encoding: str | None = None) -> Document:
    """Resolve an ``extends`` reference: a path in the child's folder tree, or id@version.

    A path that leaves the tree is refused before anything is opened (`resolve_reference`).
    """
    near = resolve_reference(ref, child.name, what="extends", location=child.locate(("extends",)))
    if near.exists():  # a pipe or a folder is refused by the reader, with its own message
        return load_document(near, encoding=encoding)
    if "@" in ref:
        return load_document(bundled_path(ref, where=child.locate(("extends",))))
    raise RubricError(
        Problem(
            "file-not-found",
            Message("rubric-extends-not-found", ref=ref, name=child.name),
            child.locate(("extends",)),
        )
    )


def load_facts(
    path: str | os.PathLike[str],
    *,
    rubric: Rubric | str | os.PathLike[str] | None = None,
    encoding: str | None = None,
) -> FactsDocument:
    """Read a facts document (YAML, JSON, or an xlsx workbook) and check it.

    Args:
        path: the document. A name ending in ``.xlsx`` is read as a workbook (the ``xlsx``
            extra): the template of ``perfscore template --format xlsx``, filled in, or a
            项目支出绩效自评表 in the official layout; what the reader warns about is in
            `FactsDocument.warnings`.
        rubric: when given (a `Rubric`, or a rubric file's path or bundled ``id@version``,
            loaded with `load_rubric`), the facts are also validated against it now (every
            problem, each at its line); otherwise `Rubric.evaluate` validates them when scoring. A
            项目支出绩效自评表 is read as facts for this rubric (with its 年度总体目标 text when
            the rubric has goal_planned and goal_actual); without one, for the newest bundled
            ``project-sheet-national``.
        encoding: the file's encoding when it is not UTF-8 (e.g. ``"gb18030"``).

    Raises:
        DocumentError: the file cannot be read as YAML/JSON or as a workbook.
        UsageError: a workbook, and openpyxl is not installed.
        FactsError: the envelope (rubric reference, claimed scores, keys) is malformed, or the
            facts do not fit `rubric`.
        UsageError: an argument of the wrong kind (``bad-argument``).
    """
    if not _is_path(path):
        raise bad_argument("load_facts", "path", Message("usage-expected-path"), path)
    _not_document_text("load_facts", path, Message("usage-hint-facts-text"))
    _check_encoding("load_facts", encoding)
    if rubric is not None:
        rubric = as_rubric("load_facts", "rubric", rubric)
    try:
        if is_workbook_path(path):  # the xlsx extra; `encoding` means nothing to a workbook
            if rubric is not None:
                target, declared = rubric.ref, frozenset(rubric.model.facts)
            else:  # the newest bundled version, whose fact ids are read once per process
                target = _newest(_PROJECT_SHEET)
                declared = _bundled_facts(target)
            goals = {"goal_planned", "goal_actual"} <= declared
            document = load_workbook_document(path, target=target, goals=goals)
            try:
                facts = read_facts_document(document)
            except FactsError as exc:  # a hint for a cell, not for YAML
                raise FactsError(text_cell_hints(exc.problems), exc.summary) from exc
        else:
            facts = read_facts_document(load_document(path, encoding=encoding))
        if rubric is not None:
            rubric.validate(facts)
    except PerfscoreError as exc:  # facts read for a rubric are said in its language
        if rubric is not None and exc.language is None:
            exc.language = rubric._model.language
        raise
    return facts


#: the rubric an official 项目支出绩效自评表 is read for when no rubric is given (newest version)
_PROJECT_SHEET = "project-sheet-national"


def _newest(rubric_id: str) -> str:
    """``id@version`` of the newest bundled version of `rubric_id` (versions compared as
    numbers: 2020.10 is after 2020.9)."""

    def key(ref: str) -> tuple[tuple[int, ...], str]:
        version = ref.partition("@")[2]
        parts = version.split(".")
        return (tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else (), version)

    versions = [r for r in bundled_rubrics() if r.partition("@")[0] == rubric_id]
    return max(versions, key=key)


def _bundled_roots() -> list[Path]:
    roots = []
    packaged = resources.files("perfscore") / "_bundled"
    if packaged.is_dir():
        roots.append(Path(str(packaged)))
    source_tree = Path(__file__).resolve().parents[2] / "rubric"
    if source_tree.is_dir():  # an editable install runs from the source tree
        roots.append(source_tree)
    return roots


@functools.cache
def _bundled_facts(ref: str) -> frozenset[str]:
    """The fact ids of a bundled rubric (empty if it does not load)."""
    try:
        return frozenset(load_rubric(bundled_path(ref)).model.facts)
    except PerfscoreError:
        return frozenset()


def bundled_rubrics() -> list[str]:
    """``id@version`` of every bundled rubric, sorted."""
    found = set()
    for root in _bundled_roots():
        for path in root.glob("*/*.yaml"):
            if not path.name.endswith(".cases.yaml"):
                found.add(f"{path.parent.name}@{path.stem}")
    return sorted(found)


def bundled_path(ref: str, *, where: Location | None = None) -> Path:
    """The file of a bundled rubric ``id@version``; UsageError if there is none.

    Args:
        ref: ``id@version``.
        where: the line that names it (a facts document's ``rubric:``, an ``extends:``), so
            the error points there rather than nowhere.
    """
    rubric_id, _, version = ref.partition("@")
    roots = _bundled_roots()
    for root in roots:
        candidate = root / rubric_id / f"{version}.yaml"
        if rubric_id and version and "/" not in ref and ".." not in ref and candidate.is_file():
            return candidate
    known = bundled_rubrics()
    versions = [k for k in known if k.partition("@")[0] == rubric_id]
    details = (
        (Message("rubric-detail-bundled"), ", ".join(known) or Message("rubric-none-bundled")),
        (
            Message("rubric-detail-searched"),
            ", ".join(str(root) for root in roots) or Message("rubric-no-bundled-folder"),
        ),
    )
    hint: str
    if versions:
        hint = Message("rubric-hint-bundled-as", id=rubric_id, versions=", ".join(versions))
    else:
        hint = suggest(ref, known) or Message("rubric-hint-name-bundled")
    raise UsageError(
        Problem(
            "rubric-not-found",
            Message("rubric-not-bundled", ref=ref),
            where,
            details=details,
            hint=hint,
        )
    )


#: The environment variable holding rubric folders (``os.pathsep``-separated), searched after
#: the command line's ``--rubric-dir`` folders and before the bundled rubrics.
RUBRIC_PATH_ENV = "PERFSCORE_RUBRIC_PATH"

_NAME_PART = re.compile(r"[A-Za-z0-9\u3400-\u9fff][A-Za-z0-9._\-\u3400-\u9fff]*")


def rubric_search_path(dirs: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """The folders searched for ``id@version``: `dirs` first, then ``PERFSCORE_RUBRIC_PATH``."""
    found = [Path(d) for d in dirs]
    found += [Path(d) for d in os.environ.get(RUBRIC_PATH_ENV, "").split(os.pathsep) if d]
    return found


def is_reference(ref: str) -> bool:
    """Whether `ref` is ``id@version``, two plain names, and not a path (which may hold an
    '@' too: ``../pkg@1/x.yaml``)."""
    rubric_id, at, version = ref.partition("@")
    return bool(at) and all(
        _NAME_PART.fullmatch(part) and ".." not in part for part in (rubric_id, version)
    )


def _search_candidate(root: Path, ref: str) -> Path | None:
    """``<root>/<id>/<version>.yaml`` if it is a file; None when `ref` cannot name one."""
    if not is_reference(ref):
        return None
    rubric_id, _, version = ref.partition("@")
    candidate = root / rubric_id / f"{version}.yaml"
    if not candidate.is_file():
        return None
    # a symlink inside the folder must not lead a reference out of it (see docs/security.md)
    real, real_root = os.path.realpath(candidate), os.path.realpath(root)
    if os.path.commonpath([real, real_root]) != real_root:
        raise UsageError(
            Problem(
                "path-outside-tree",
                Message("rubric-link-outside", ref=ref, root=str(root), real=real),
                hint=Message("rubric-hint-link-outside"),
            )
        )
    return candidate


def find_rubric(
    ref: str,
    *,
    dirs: Iterable[str | os.PathLike[str]] = (),
    where: Location | None = None,
) -> Path:
    """The file of ``id@version``: in the search path (`dirs`, then the environment), or bundled.

    Raises:
        UsageError: no folder of the search path and no bundled rubric holds it
            (``rubric-not-found``), or the file found links out of its folder.
    """
    search = rubric_search_path(dirs)
    for root in search:
        candidate = _search_candidate(root, ref)
        if candidate is not None:
            return candidate
    try:
        return bundled_path(ref, where=where)
    except UsageError as exc:
        if not search:
            raise
        problem = exc.problems[0]
        searched = (Message("rubric-detail-search-path"), ", ".join(str(root) for root in search))
        raise UsageError(
            dataclasses.replace(
                problem,
                message=Message("rubric-not-in-search-path", ref=ref),
                details=(searched, *problem.details),
            )
        ) from None


def listed_rubrics(dirs: Iterable[str | os.PathLike[str]] = ()) -> list[tuple[str, str]]:
    """Every rubric ``id@version`` that resolves, with its origin: a folder, or ``bundled``.

    In search order, so the first row of an ``id@version`` is the one that is used; a later row
    of the same reference is shadowed by it.
    """
    rows: list[tuple[str, str]] = []
    for root in rubric_search_path(dirs):
        for path in sorted(root.glob("*/*.yaml")) if root.is_dir() else ():
            ref = f"{path.parent.name}@{path.stem}"
            if not path.name.endswith(".cases.yaml") and _NAME_PART.fullmatch(path.stem):
                rows.append((ref, str(root)))
    rows.extend((ref, "bundled") for ref in bundled_rubrics())
    return rows
