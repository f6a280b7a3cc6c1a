"""Review of claimed scores: what differs from the rules, and whether the claims add up.

Each step below returns data with a code (docs/scorecard-json.md, "Codes"); the sentences come
from the words module in the rubric's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal

from perfscore._load._facts import Claims
from perfscore._numbers import format_decimal
from perfscore._output._scorecard import (
    ClaimsReview,
    Discrepancy,
    FindingCode,
    IndicatorScore,
    ReviewFinding,
    ScoreRange,
)
from perfscore._output._words import MARKS, in_language, phrase, reason, review_phrase

__all__ = ["review_claims"]


def review_claims(
    claims: Claims,
    indicators: Sequence[IndicatorScore],
    total: Decimal,
    grade_of: Callable[[Decimal], str],
    language: str = "zh",
    total_range: tuple[Decimal, Decimal] | None = None,
    grades: Sequence[str] | None = None,
) -> tuple[tuple[Discrepancy, ...], ClaimsReview]:
    """Compare claims with computed scores; check the claimed total and grade.

    With unknown values an indicator or the total may be a range: a claim inside it cannot be
    told wrong, one outside it is a finding (``claimed-score-unreachable``,
    ``claimed-total-unreachable``). `grades`: the rubric's grades, best first; a claimed grade
    that is none of them is ``claimed-grade-unknown``, and without a claimed total a claimed
    grade is held to the computed one (``claimed-grade-not-computed``).
    """
    discrepancies = list(_differing(claims, indicators, language))
    claimed_sum = sum(claims.indicators.values(), Decimal(0))
    missing = tuple(i.id for i in indicators if i.id not in claims.indicators and i.applicable)
    findings: list[ReviewFinding] = [
        *_out_of_bounds(claims, indicators, language),
        *_unreachable(claims, indicators, language),
    ]
    implied: dict[str, Decimal] = {}
    known_grade = claims.grade is not None and (grades is None or claims.grade in grades)
    if claims.grade is not None and not known_grade and grades is not None:
        findings.append(
            _finding(
                language,
                "claimed-grade-unknown",
                claimed=claims.grade,
                grades=in_language(MARKS, language)["list"].join(grades),
            )
        )
    if claims.total is None:
        if missing and claims.indicators:
            findings.append(_unclaimed(missing, indicators, language))
        if known_grade and grades is not None and total_range is None:
            computed = grade_of(total)
            if computed != claims.grade:
                findings.append(
                    _finding(
                        language,
                        "claimed-grade-not-computed",
                        claimed=claims.grade,
                        computed=computed,
                        total=format_decimal(total),
                    )
                )
    else:
        if total_range is not None:
            unreachable = _total_unreachable(claims.total, total_range, language)
            if unreachable is not None:
                findings.append(unreachable)
        elif claims.total != total:
            discrepancies.append(_total_differs(claims.total, total, language))
        arithmetic = _arithmetic(claims.total, claimed_sum, missing, indicators, language)
        if arithmetic is not None:
            finding, implied = arithmetic
            findings.append(finding)
        if claims.grade is not None and known_grade:
            expected = grade_of(claims.total)
            if expected != claims.grade:
                findings.append(_grade_differs(claims.grade, claims.total, expected, language))
    review = ClaimsReview(
        claimed_total=claims.total,
        claimed_sum=claimed_sum,
        claimed_grade=claims.grade,
        missing=missing,
        implied=implied,
        findings=tuple(findings),
    )
    return tuple(discrepancies), review


def _finding(
    language: str, code: FindingCode, indicator: str | None = None, **values: object
) -> ReviewFinding:
    return ReviewFinding(code, review_phrase(language, code, **values), indicator)


def _differing(
    claims: Claims, indicators: Sequence[IndicatorScore], language: str
) -> Iterator[Discrepancy]:
    """Each claimed indicator score that is not the computed one, with the rule's reason."""
    for item in indicators:
        claimed = claims.indicators.get(item.id)
        if claimed is not None and item.score is not None and claimed != item.score:
            yield Discrepancy(
                code="claimed-score-differs",
                indicator=item.id,
                claimed=claimed,
                computed=item.score,
                difference=claimed - item.score,
                reason=reason(item, language),
            )


def _out_of_bounds(
    claims: Claims, indicators: Sequence[IndicatorScore], language: str
) -> Iterator[ReviewFinding]:
    """A claimed score above the indicator's max (分值) or below its min, whatever it scores."""
    for item in indicators:
        claimed = claims.indicators.get(item.id)
        if claimed is not None and item.applicable and not item.min <= claimed <= item.max:
            yield _finding(
                language,
                "claimed-score-out-of-bounds",
                item.id,
                name=item.name,
                id=item.id,
                claimed=format_decimal(claimed),
                min=format_decimal(item.min),
                max=format_decimal(item.max),
            )


def _unreachable(
    claims: Claims, indicators: Sequence[IndicatorScore], language: str
) -> Iterator[ReviewFinding]:
    """A claimed score that no filling of an indicator's unknown values reaches (a claim
    outside its bounds is already a finding of its own)."""
    for item in indicators:
        claimed = claims.indicators.get(item.id)
        span = item.range
        if claimed is None or span is None or not item.min <= claimed <= item.max:
            continue
        if not span.min <= claimed <= span.max:
            yield _finding(
                language,
                "claimed-score-unreachable",
                item.id,
                name=item.name,
                id=item.id,
                claimed=format_decimal(claimed),
                low=format_decimal(span.min),
                high=format_decimal(span.max),
            )


def _total_unreachable(
    claimed: Decimal, span: tuple[Decimal, Decimal], language: str
) -> ReviewFinding | None:
    low, high = span
    if low <= claimed <= high:
        return None
    bound = format_decimal(high if claimed > high else low)
    reachable = phrase(language, "at_most" if claimed > high else "at_least", bound=bound)
    return _finding(
        language, "claimed-total-unreachable", claimed=format_decimal(claimed), reachable=reachable
    )


def _total_differs(claimed: Decimal, total: Decimal, language: str) -> Discrepancy:
    return Discrepancy(
        code="claimed-total-differs",
        indicator="total",
        claimed=claimed,
        computed=total,
        difference=claimed - total,
        reason=review_phrase(language, "claimed-total-differs"),
    )


def _unclaimed(
    missing: Sequence[str], indicators: Sequence[IndicatorScore], language: str
) -> ReviewFinding:
    """Some indicators claimed, others not, and no total: name the ones without a claim."""
    names = {i.id: i.name for i in indicators}
    marks = in_language(MARKS, language)
    shown = marks["list"].join(f"{names[m]}{marks['open']}{m}{marks['close']}" for m in missing)
    return _finding(language, "unclaimed-indicators", count=len(missing), names=shown)


def _arithmetic(
    claimed_total: Decimal,
    claimed_sum: Decimal,
    missing: Sequence[str],
    indicators: Sequence[IndicatorScore],
    language: str,
) -> tuple[ReviewFinding, dict[str, Decimal]] | None:
    """Whether the claimed total follows from the claims, with the score it implies when
    exactly one claim is missing; None when it adds up."""
    if not missing:
        if claimed_total == claimed_sum:
            return None
        finding = _finding(
            language,
            "claims-do-not-add-up",
            claimed=format_decimal(claimed_total),
            sum=format_decimal(claimed_sum),
        )
        return finding, {}
    if len(missing) > 1:
        return _missing_sum(claimed_total - claimed_sum, missing, indicators, language), {}
    only = next(i for i in indicators if i.id == missing[0])
    value = claimed_total - claimed_sum
    within = only.min <= value <= only.max
    finding = _finding(
        language,
        "implied-score" if within else "implied-score-out-of-range",
        only.id,
        name=only.name,
        id=only.id,
        total=format_decimal(claimed_total),
        value=format_decimal(value),
        min=format_decimal(only.min),
        max=format_decimal(only.max),
    )
    return finding, {only.id: value}


def _missing_sum(
    rest: Decimal, missing: Sequence[str], indicators: Sequence[IndicatorScore], language: str
) -> ReviewFinding:
    """Several claims missing: what they must add up to, and the range each one can then take
    (its own [min, max], narrowed by what the others can carry)."""
    items = [next(i for i in indicators if i.id == m) for m in missing]
    low = sum((i.min for i in items), Decimal(0))
    high = sum((i.max for i in items), Decimal(0))
    marks = in_language(MARKS, language)
    parts = []  # only the ranges the claimed total narrows: the others say nothing new
    for item in items:
        own = ScoreRange(
            min=max(item.min, rest - (high - item.max)), max=min(item.max, rest - (low - item.min))
        )
        if (own.min, own.max) == (item.min, item.max):
            continue
        shown = (
            f"[{format_decimal(own.min)}, {format_decimal(own.max)}]" if own.min <= own.max else "∅"
        )
        parts.append(f"{item.name}{marks['open']}{item.id}{marks['close']} {shown}")
    if low <= rest <= high:
        ranges = marks["list"].join(parts)
        if not parts:
            detail = phrase(language, "missing_any")
        elif len(parts) == len(items):
            detail = phrase(language, "missing_ranges", ranges=ranges)
        else:
            others = len(items) - len(parts)
            detail = phrase(language, "missing_ranges_others", ranges=ranges, others=others)
    else:
        low_text, high_text = format_decimal(low), format_decimal(high)
        detail = phrase(language, "missing_impossible", low=low_text, high=high_text)
    return _finding(
        language,
        "missing-claims-sum",
        count=len(items),
        sum=format_decimal(rest),
        detail=detail,
    )


def _grade_differs(claimed: str, total: Decimal, expected: str, language: str) -> ReviewFinding:
    return _finding(
        language,
        "claimed-grade-differs",
        claimed=claimed,
        total=format_decimal(total),
        expected=expected,
    )
