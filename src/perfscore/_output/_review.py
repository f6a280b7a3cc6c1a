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
)
from perfscore._output._words import MARKS, in_language, reason, review_phrase

__all__ = ["review_claims"]


def review_claims(
    claims: Claims,
    indicators: Sequence[IndicatorScore],
    total: Decimal,
    grade_of: Callable[[Decimal], str],
    language: str = "zh",
) -> tuple[tuple[Discrepancy, ...], ClaimsReview]:
    """Compare claims with computed scores; check the claimed total and grade."""
    discrepancies = list(_differing(claims, indicators, language))
    claimed_sum = sum(claims.indicators.values(), Decimal(0))
    missing = tuple(i.id for i in indicators if i.id not in claims.indicators and i.applicable)
    findings: list[ReviewFinding] = []
    implied: dict[str, Decimal] = {}
    if claims.total is None:
        if missing and claims.indicators:
            findings.append(_unclaimed(missing, indicators, language))
    else:
        if claims.total != total:
            discrepancies.append(_total_differs(claims.total, total, language))
        arithmetic = _arithmetic(claims.total, claimed_sum, missing, indicators, language)
        if arithmetic is not None:
            finding, implied = arithmetic
            findings.append(finding)
        if claims.grade is not None:
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
        if claimed is not None and claimed != item.score:
            yield Discrepancy(
                code="claimed-score-differs",
                indicator=item.id,
                claimed=claimed,
                computed=item.score,
                difference=claimed - item.score,
                reason=reason(item, language),
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
        return _finding(language, "many-missing", count=len(missing)), {}
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


def _grade_differs(claimed: str, total: Decimal, expected: str, language: str) -> ReviewFinding:
    return _finding(
        language,
        "claimed-grade-differs",
        claimed=claimed,
        total=format_decimal(total),
        expected=expected,
    )
