"""Reading format-1 scorecards, which wrote findings as sentences and a basis as one string.

Format 1 (perfscore 0.1.0 before coded findings) differs from format 2 in three places, and
each is recovered exactly from what format 1 wrote:

- a review finding was only its sentence; its code is the review phrase the sentence fills
  (tried in the rubric's language first), and its indicator the one implied score;
- a discrepancy had no code; it is ``claimed-total-differs`` for the row of the total (indicator
  ``total`` with the review's sentence for the total), ``claimed-score-differs`` otherwise;
- a basis was ``"[kind] text"``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import cache
from typing import Any

from perfscore._output._words import DEFAULT_LANGUAGE, REVIEW

__all__ = ["upgrade_format_1"]

_BASIS = re.compile(r"\[([a-z-]+)\] (.*)", re.DOTALL)
_ABOUT_ONE = frozenset(("implied-score", "implied-score-out-of-range"))
_NOT_FINDINGS = frozenset(("claimed-total-differs",))  # the reason of a discrepancy


def upgrade_format_1(data: dict[str, Any]) -> dict[str, Any]:
    """The format-2 form of a format-1 scorecard's data (JSON as parsed); `data` is unchanged.

    Raises:
        ValueError: a finding that no review phrase could have written, or a basis without
            its ``[kind]``.
    """
    language = str((data.get("rubric") or {}).get("language") or DEFAULT_LANGUAGE)
    out = {**data, "format": 2}
    if isinstance(data.get("indicators"), list):
        out["indicators"] = [_indicator(item) for item in data["indicators"]]
    if isinstance(data.get("discrepancies"), list):
        out["discrepancies"] = [_discrepancy(d) for d in data["discrepancies"]]
    review = data.get("review")
    if isinstance(review, dict) and isinstance(review.get("findings"), list):
        implied = list(review.get("implied") or {})
        out["review"] = {
            **review,
            "findings": [_finding(f, language, implied) for f in review["findings"]],
        }
    return out


def _indicator(item: object) -> object:
    if not isinstance(item, dict) or not isinstance(item.get("basis"), str):
        return item
    match = _BASIS.fullmatch(item["basis"])
    if match is None:
        raise ValueError(f"format-1 basis without its [kind]: {item['basis']!r}")
    return {**item, "basis": {"kind": match[1], "text": match[2]}}


def _discrepancy(item: object) -> object:
    if not isinstance(item, dict) or "code" in item:
        return item
    total = item.get("indicator") == "total" and item.get("reason") in {
        table["claimed-total-differs"] for table in REVIEW.values()
    }
    code = "claimed-total-differs" if total else "claimed-score-differs"
    return {"code": code, **item}


def _finding(text: object, language: str, implied: list[str]) -> object:
    if not isinstance(text, str):
        return text
    for code, pattern in _patterns(language):
        if pattern.fullmatch(text):
            about = implied[0] if code in _ABOUT_ONE and len(implied) == 1 else None
            return {"code": code, "message": text, "indicator": about}
    raise ValueError(f"format-1 finding that no review phrase writes: {text!r}")


def _patterns(language: str) -> Iterator[tuple[str, re.Pattern[str]]]:
    # the rubric's language first; the longest phrase first, so that a phrase which extends
    # another (the implied score out of its range) is not taken for the shorter one
    for lang in sorted(REVIEW, key=lambda lang: lang != language):
        yield from _compiled(lang)


@cache
def _compiled(language: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    table = {code: text for code, text in REVIEW[language].items() if code not in _NOT_FINDINGS}
    return tuple(
        (code, _pattern(table[code])) for code in sorted(table, key=lambda c: -len(table[c]))
    )


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append("(.*)")
    return re.compile("".join(parts), re.DOTALL)
