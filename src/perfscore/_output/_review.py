"""Review of claimed scores: what differs from the rules, and whether the claims add up."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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

    def finding(code: FindingCode, indicator: str | None = None, **values: object) -> None:
        findings.append(ReviewFinding(code, review_phrase(language, code, **values), indicator))

    discrepancies = []
    for item in indicators:
        claimed = claims.indicators.get(item.id)
        if claimed is not None and claimed != item.score:
            discrepancies.append(
                Discrepancy(
                    code="claimed-score-differs",
                    indicator=item.id,
                    claimed=claimed,
                    computed=item.score,
                    difference=claimed - item.score,
                    reason=reason(item, language),
                )
            )
    claimed_sum = sum(claims.indicators.values(), Decimal(0))
    missing = tuple(i.id for i in indicators if i.id not in claims.indicators and i.applicable)
    findings: list[ReviewFinding] = []
    implied: dict[str, Decimal] = {}
    if claims.total is None and missing and claims.indicators:
        names = {i.id: i.name for i in indicators}
        marks = in_language(MARKS, language)
        shown = marks["list"].join(f"{names[m]}{marks['open']}{m}{marks['close']}" for m in missing)
        finding("unclaimed-indicators", count=len(missing), names=shown)
    if claims.total is not None:
        if claims.total != total:
            discrepancies.append(
                Discrepancy(
                    code="claimed-total-differs",
                    indicator="total",
                    claimed=claims.total,
                    computed=total,
                    difference=claims.total - total,
                    reason=review_phrase(language, "claimed-total-differs"),
                )
            )
        if not missing and claims.total != claimed_sum:
            finding(
                "claims-do-not-add-up",
                claimed=format_decimal(claims.total),
                sum=format_decimal(claimed_sum),
            )
        elif len(missing) == 1:
            only = next(i for i in indicators if i.id == missing[0])
            value = claims.total - claimed_sum
            implied[only.id] = value
            within = only.min <= value <= only.max
            finding(
                "implied-score" if within else "implied-score-out-of-range",
                only.id,
                name=only.name,
                id=only.id,
                total=format_decimal(claims.total),
                value=format_decimal(value),
                min=format_decimal(only.min),
                max=format_decimal(only.max),
            )
        elif missing:
            finding("many-missing", count=len(missing))
    if claims.grade is not None and claims.total is not None:
        expected = grade_of(claims.total)
        if expected != claims.grade:
            finding(
                "claimed-grade-differs",
                claimed=claims.grade,
                total=format_decimal(claims.total),
                expected=expected,
            )
    review = ClaimsReview(
        claimed_total=claims.total,
        claimed_sum=claimed_sum,
        claimed_grade=claims.grade,
        missing=missing,
        implied=implied,
        findings=tuple(findings),
    )
    return tuple(discrepancies), review
