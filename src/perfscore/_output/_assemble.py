"""Assemble a scorecard from a run's plain result: the trace put into the rubric's words, the
claims reviewed, everything in the scorecard's own types."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from perfscore._engine._run import LeafResult, RunResult, complete
from perfscore._engine._trace import Event
from perfscore._load._facts import Claims
from perfscore._numbers import CONTEXT
from perfscore._output._cardjson import Fragments, canonical_writer, facts_sha256, write_card
from perfscore._output._review import review_claims
from perfscore._output._scorecard import (
    DEFERRED,
    SCORECARD_FORMAT,
    CheckWarning,
    GroupScore,
    IndicatorScore,
    ProjectSheet,
    RubricRef,
    RuleBasis,
    Scorecard,
    ScoreRange,
    Trace,
    TraceStep,
    plain,
    sha256_of,
)
from perfscore._output._words import measure_words, notice_text, step_text

__all__ = [
    "CardContext",
    "assemble",
    "assemble_deferred",
    "assemble_eager",
    "record_basis_key",
    "trace_steps",
]


def record_basis_key(group: str, rule: str) -> str:
    """Where the basis of a records group's rule is found in `assemble`'s basis index."""
    return f"{group}[{rule}]"


def _basis(r: LeafResult, basis: Mapping[str, RuleBasis]) -> RuleBasis | None:
    if r.record_rule is not None and r.group is not None:
        return basis.get(record_basis_key(r.group, r.record_rule))
    return basis.get(r.id)


def trace_steps(
    events: Sequence[Event], language: str, names: Mapping[str, str] | None = None
) -> tuple[TraceStep, ...]:
    """The scorecard's steps of a trace, in `language`.

    `names` gives the label of each fact and derived value: a band's measure is named by them
    in a Chinese report (`measure_words`); the percent facts are the keys ending in ``%``.
    """
    steps = []
    for e in events:
        args = e.args
        if names and e.phrase in ("band", "no_band"):
            percents = {k[:-1] for k in names if k.endswith("%")}
            args = {
                **args,
                **measure_words(language, args["measure"], args["value"], names, percents),
            }
        steps.append(
            TraceStep(e.kind, e.value, step_text(language, e.phrase, args), e.amount, e.rule)
        )
    return tuple(steps)


def _indicator(
    r: LeafResult,
    claimed: Decimal | None,
    basis: RuleBasis | None,
    language: str,
    names: Mapping[str, str] | None = None,
    criterion: str | None = None,
) -> IndicatorScore:
    trace = None
    if r.events is not None and r.inputs is not None:
        trace = Trace(
            inputs={k: plain(v) for k, v in r.inputs.items()},
            steps=trace_steps(r.events, language, names),
        )
    return IndicatorScore(
        id=r.id,
        name=r.name,
        group=r.group,
        kind=r.kind,
        min=r.min,
        max=r.max,
        score=r.score if r.range is None else None,
        applicable=r.applicable,
        claimed=claimed,
        basis=basis,
        trace=trace,
        criterion=criterion,
        range=_range(r.range),
    )


def _range(ends: tuple[Decimal, Decimal] | None) -> ScoreRange | None:
    return None if ends is None else ScoreRange(min=ends[0], max=ends[1])


def _totals(result: RunResult) -> dict[str, Any]:
    """The scorecard's totals and grade: a total that unknown values leave a range is None
    beside its `total_range`, and a grade None when several are reachable."""
    possible = result.grades_possible
    return {
        "base_total": None if result.base_range else result.base_total,
        "bonus_total": None if result.bonus_range else result.bonus_total,
        "total": None if result.total_range is not None else result.total,
        "max_total": result.max_total,
        "grade": None if possible is not None and len(possible) > 1 else result.grade,
        "total_range": _range(result.total_range),
        "grades_possible": possible,
    }


def assemble(
    result: RunResult,
    *,
    version: str,
    rubric: RubricRef,
    facts_sha256: str,
    subject: str | None,
    period: str | None,
    claims: Claims | None,
    trace: bool,
    basis: Mapping[str, RuleBasis],
    grade_of: Callable[[Decimal], str],
    names: Mapping[str, str] | None = None,
    criteria: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    grades: Sequence[str] | None = None,
) -> Scorecard:
    """The scorecard of one run, in the rubric's language (`rubric.language`).

    `names`: the labels of the facts and derived values, by id (a percent fact's id also with
    ``%`` appended), that a Chinese trace names them by. `grades`: the rubric's grades, which
    a claimed grade is checked against (not checked when None).
    """
    result = complete(result)
    language = rubric.language
    claimed = claims.indicators if claims else {}
    words = criteria or {}
    indicators = tuple(
        _indicator(r, claimed.get(r.id), _basis(r, basis), language, names, words.get(r.id))
        for r in result.indicators
    )
    groups = tuple(
        GroupScore(
            id=g.id,
            name=g.name,
            parent=g.parent,
            max=g.max,
            score=g.score if g.range is None else None,
            range=_range(g.range),
        )
        for g in result.groups.values()
    )
    discrepancies: tuple[Any, ...] = ()
    review = None
    if claims is not None:
        discrepancies, review = review_claims(
            claims, indicators, result.total, grade_of, language, result.total_range, grades
        )
    total_trace = None
    if trace and result.total_events is not None:
        total_trace = trace_steps(result.total_events, language)
    named = labels or {}
    read = {k for i in indicators if i.trace is not None for k in i.trace.inputs if k in named}
    # Every value below is produced and typed by the engine; validating it again would only
    # cost time (model_construct skips validation, nothing else).
    return Scorecard.model_construct(
        perfscore=version,
        rubric=rubric,
        facts_sha256=facts_sha256,
        subject=subject,
        period=period,
        **_totals(result),
        total_trace=total_trace,
        groups=groups,
        indicators=indicators,
        warnings=tuple(
            CheckWarning(
                check=w.check,
                message=notice_text(language, w.phrase, w.args),
                severity=w.severity,  # type: ignore[arg-type]
            )
            for w in result.warnings
        ),
        discrepancies=discrepancies,
        review=review,
        labels={k: named[k] for k in sorted(read)},
    )


# --- the scorecard made on demand ---------------------------------------------------------------
# `assemble` above makes every part up front and is the reference; `assemble_deferred` gives the
# same scorecard with its costly fields (`DEFERRED`: the facts hash, the parts and their words)
# made from the run's result when first read. A run that is only scored, or only read for its
# totals, never pays for them.

_new = object.__new__
_set = object.__setattr__
_MISSING = object()
#: the values a trace records as they are (`plain` leaves them alone)
_PLAIN = frozenset({Decimal, str, bool, type(None)})


class CardContext:
    """What every scorecard of one rubric shares: made once, when the rubric is loaded."""

    __slots__ = (
        "basis",
        "canonical",
        "criteria",
        "facts",
        "fragments",
        "grade_of",
        "grades",
        "labels",
        "language",
        "names",
        "percents",
        "rubric",
        "version",
    )

    def __init__(
        self,
        *,
        version: str,
        rubric: RubricRef,
        basis: Mapping[str, RuleBasis],
        grade_of: Callable[[Decimal], str],
        names: Mapping[str, str],
        criteria: Mapping[str, str],
        labels: Mapping[str, str],
        facts: Mapping[str, Any],
        grades: Sequence[str] | None = None,
    ) -> None:
        self.version = version
        self.rubric = rubric
        self.language = rubric.language
        self.basis = basis
        self.grade_of = grade_of
        #: the rubric's grades, best first (a claimed grade is checked against them)
        self.grades = grades
        self.names = names
        self.percents = frozenset(k[:-1] for k in names if k.endswith("%"))
        self.criteria = criteria
        self.labels = labels
        #: the constant text of the rubric's scorecards' JSON, by indentation (`_cardjson`)
        self.fragments: dict[int | None, Fragments] = {}
        #: the rubric's facts declarations, and the canonical writer generated for them
        self.facts = facts
        self.canonical: Callable[[Mapping[str, object]], str | None] | None = None

    def facts_sha256(self, values: Mapping[str, object]) -> str:
        """`sha256_of(values)` for validated facts, through the rubric's generated canonical
        writer (compiled at the first hash: most scorecards are never hashed)."""
        write = self.canonical
        if write is None:
            write = self.canonical = canonical_writer(self.facts)
        return facts_sha256(write, values)


def assemble_deferred(
    result: RunResult,
    context: CardContext,
    *,
    values: Mapping[str, object],
    subject: str | None,
    period: str | None,
    claims: Claims | None,
    trace: bool,
    sheet: ProjectSheet | None = None,
) -> Scorecard:
    """`assemble`'s scorecard, its `DEFERRED` fields made when first read.

    `values` (the validated facts, hashed on demand) and `result` must not change afterwards:
    both are the run's own.
    """
    fields = {
        "format": SCORECARD_FORMAT,
        "perfscore": context.version,
        "rubric": context.rubric,
        "subject": subject,
        "period": period,
        **_totals(result),
        "sheet": sheet,
    }
    return Scorecard.deferred(fields, _Pending(result, context, values, claims, trace))


def assemble_exact(
    result: RunResult,
    context: CardContext,
    values: Mapping[str, object],
    subject: str | None,
    period: str | None,
    trace: bool,
) -> Scorecard | None:
    """`assemble_deferred`'s scorecard for the usual run (exact totals, no claims, no project
    sheet), its fields written out rather than worked out; None for any other run."""
    if (
        result.total_range is not None
        or result.base_range is not None
        or result.bonus_range is not None
        or result.grades_possible is not None
        or result.claims
    ):
        return None
    fields = {
        "format": SCORECARD_FORMAT,
        "perfscore": context.version,
        "rubric": context.rubric,
        "subject": subject,
        "period": period,
        "base_total": result.base_total,
        "bonus_total": result.bonus_total,
        "total": result.total,
        "max_total": result.max_total,
        "grade": result.grade,
        "total_range": None,
        "grades_possible": None,
        "sheet": None,
    }
    return Scorecard.deferred(fields, _Pending(result, context, values, None, trace))


class _Pending:
    """The deferred fields of one scorecard, each made once, on demand."""

    __slots__ = ("_result", "claims", "context", "made", "trace", "values")

    def __init__(
        self,
        result: RunResult,
        context: CardContext,
        values: Mapping[str, object],
        claims: Claims | None,
        trace: bool,
    ) -> None:
        self._result = result
        self.context = context
        self.values = values
        self.claims = claims
        self.trace = trace
        self.made: dict[str, Any] = {}

    @property
    def result(self) -> RunResult:
        """The run's result, its records made (they may be pending until a part needs them)."""
        result = self._result
        if result.pending is not None:
            result = self._result = complete(result)
        return result

    def part(self, name: str) -> Any:
        value = self.made.get(name, _MISSING)
        if value is _MISSING:
            with decimal.localcontext(CONTEXT):  # the caller's context changes no part
                value = self.made[name] = _MAKERS[name](self)
        return value

    def json(self, card: Scorecard, indent: int | None) -> str | None:
        """`card.to_json(indent=indent)` written from the run's result without making the
        parts, or None when the card is not exact (`_cardjson.write_card`)."""
        return write_card(card, self, indent, _basis)


def _make_indicators(p: _Pending) -> tuple[IndicatorScore, ...]:
    context = p.context
    claimed = p.claims.indicators if p.claims else {}
    basis, criteria, language = context.basis, context.criteria, context.language
    names = context.names if p.trace else None
    percents = context.percents
    made = []
    for r in p.result.indicators:
        trace = None
        if r.events is not None and r.inputs is not None:
            trace = _new(Trace)
            _set(
                trace,
                "__dict__",
                {
                    "inputs": {
                        k: v if type(v) in _PLAIN else plain(v) for k, v in r.inputs.items()
                    },
                    "steps": _steps(r.events, language, names, percents),
                },
            )
        rule = r.record_rule
        if rule is not None and r.group is not None:
            found = basis.get(record_basis_key(r.group, rule))
        else:
            found = basis.get(r.id)
        ends = r.range
        item = _new(IndicatorScore)
        _set(
            item,
            "__dict__",
            {
                "id": r.id,
                "name": r.name,
                "group": r.group,
                "kind": r.kind,
                "min": r.min,
                "max": r.max,
                "score": r.score if ends is None else None,
                "applicable": r.applicable,
                "claimed": claimed.get(r.id),
                "basis": found,
                "trace": trace,
                "criterion": criteria.get(r.id),
                "range": None if ends is None else _range(ends),
            },
        )
        made.append(item)
    return tuple(made)


def _steps(
    events: Sequence[Event],
    language: str,
    names: Mapping[str, str] | None,
    percents: frozenset[str],
) -> tuple[TraceStep, ...]:
    """`trace_steps`, the percent facts known beforehand."""
    steps = []
    for e in events:
        args = e.args
        if names and e.phrase in ("band", "no_band"):
            args = {
                **args,
                **measure_words(language, args["measure"], args["value"], names, percents),
            }
        step = _new(TraceStep)
        _set(
            step,
            "__dict__",
            {
                "kind": e.kind,
                "value": e.value,
                "detail": step_text(language, e.phrase, args),
                "amount": e.amount,
                "rule": e.rule,
            },
        )
        steps.append(step)
    return tuple(steps)


def _make_groups(p: _Pending) -> tuple[GroupScore, ...]:
    made = []
    for g in p.result.groups.values():
        ends = g.range
        item = _new(GroupScore)
        _set(
            item,
            "__dict__",
            {
                "id": g.id,
                "name": g.name,
                "parent": g.parent,
                "max": g.max,
                "score": g.score if ends is None else None,
                "range": None if ends is None else _range(ends),
            },
        )
        made.append(item)
    return tuple(made)


def _make_warnings(p: _Pending) -> tuple[CheckWarning, ...]:
    language = p.context.language
    return tuple(
        CheckWarning(
            check=w.check,
            message=notice_text(language, w.phrase, w.args),
            severity=w.severity,  # type: ignore[arg-type]
        )
        for w in p.result.warnings
    )


def _make_total_trace(p: _Pending) -> tuple[TraceStep, ...] | None:
    events = p.result.total_events
    if not p.trace or events is None:
        return None
    return _steps(events, p.context.language, None, frozenset())


def _make_review(p: _Pending) -> tuple[tuple[Any, ...], Any]:
    claims = p.claims
    if claims is None:
        return (), None
    r = p.result
    indicators = p.part("indicators")
    context = p.context
    return review_claims(
        claims,
        indicators,
        r.total,
        context.grade_of,
        context.language,
        r.total_range,
        context.grades,
    )


def _make_labels(p: _Pending) -> dict[str, str]:
    named = p.context.labels
    read = {
        k
        for r in p.result.indicators
        if r.events is not None and r.inputs is not None
        for k in r.inputs
        if k in named
    }
    return {k: named[k] for k in sorted(read)}


_MAKERS: dict[str, Callable[[_Pending], Any]] = {
    "facts_sha256": lambda p: p.context.facts_sha256(p.values),
    "indicators": _make_indicators,
    "groups": _make_groups,
    "warnings": _make_warnings,
    "total_trace": _make_total_trace,
    "discrepancies": lambda p: p.part("review ")[0],
    "review": lambda p: p.part("review ")[1],
    "review ": _make_review,  # both at once: the review finds the discrepancies
    "labels": _make_labels,
}
assert set(_MAKERS) - {"review "} == DEFERRED


def assemble_eager(
    result: RunResult,
    context: CardContext,
    *,
    values: Mapping[str, object],
    subject: str | None,
    period: str | None,
    claims: Claims | None,
    trace: bool,
    sheet: ProjectSheet | None = None,
) -> Scorecard:
    """`assemble_deferred`'s scorecard made up front by `assemble`, the reference it must equal."""
    card = assemble(
        result,
        version=context.version,
        rubric=context.rubric,
        facts_sha256=sha256_of(values),
        subject=subject,
        period=period,
        claims=claims,
        trace=trace,
        basis=context.basis,
        grade_of=context.grade_of,
        grades=context.grades,
        names=context.names if trace else None,
        criteria=context.criteria,
        labels=context.labels,
    )
    return card if sheet is None else card.model_copy(update={"sheet": sheet})
