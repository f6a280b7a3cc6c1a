"""Assemble a scorecard from a run's plain result: the trace put into the rubric's words, the
claims reviewed, everything in the scorecard's own types."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from perfscore._engine._run import LeafResult, RunResult
from perfscore._engine._trace import Event
from perfscore._load._facts import Claims
from perfscore._output._review import review_claims
from perfscore._output._scorecard import (
    CheckWarning,
    GroupScore,
    IndicatorScore,
    RubricRef,
    RuleBasis,
    Scorecard,
    ScoreRange,
    Trace,
    TraceStep,
    plain,
)
from perfscore._output._words import measure_words, notice_text, step_text

__all__ = ["assemble", "record_basis_key", "trace_steps"]


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
) -> Scorecard:
    """The scorecard of one run, in the rubric's language (`rubric.language`).

    `names`: the labels of the facts and derived values, by id (a percent fact's id also with
    ``%`` appended), that a Chinese trace names them by.
    """
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
            claims, indicators, result.total, grade_of, language, result.total_range
        )
    ranged = result.total_range is not None
    grade: str | None = result.grade
    if result.grades_possible is not None and len(result.grades_possible) > 1:
        grade = None
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
        base_total=None if result.base_range else result.base_total,
        bonus_total=None if result.bonus_range else result.bonus_total,
        total=None if ranged else result.total,
        max_total=result.max_total,
        grade=grade,
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
        total_range=_range(result.total_range),
        grades_possible=result.grades_possible,
    )
