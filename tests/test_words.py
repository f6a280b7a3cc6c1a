"""Words in every language: the same keys, the same placeholders, a table for each language."""

from __future__ import annotations

import string
import typing
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest

from perfscore._load._model import RubricModel
from perfscore._output._scorecard import DiscrepancyCode, FindingCode, Trace, TraceStep
from perfscore._output._text import escape_cell, pad_left, pad_right, width
from perfscore._output._words import (
    DEFAULT_LANGUAGE,
    MARKS,
    REVIEW,
    TABLES,
    TEMPLATE,
    in_language,
    phrase,
    reason,
    review_phrase,
)

LANGUAGES = typing.get_args(RubricModel.model_fields["language"].annotation)


def placeholders(text: str) -> Counter[str]:
    """The fields a phrase is filled with; ``{}`` counts as the empty name."""
    return Counter(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_the_model_allows_the_languages_the_tables_expect() -> None:
    assert LANGUAGES == ("zh", "en")
    assert RubricModel.model_fields["language"].default == DEFAULT_LANGUAGE


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_allowed_language_has_a_table_and_no_other(name: str) -> None:
    assert sorted(TABLES[name]) == sorted(LANGUAGES)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_key_exists_in_every_language(name: str) -> None:
    keys = {language: set(TABLES[name][language]) for language in LANGUAGES}
    reference = keys[DEFAULT_LANGUAGE]
    for language, found in keys.items():
        assert found == reference, (language, found ^ reference)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_a_phrase_has_the_same_placeholders_in_every_language(name: str) -> None:
    table = TABLES[name]
    for key, text in table[DEFAULT_LANGUAGE].items():
        for language in LANGUAGES:
            assert placeholders(table[language][key]) == placeholders(text), (language, key)


def test_the_template_can_take_its_marks_in_the_same_mapping() -> None:
    # the facts template reads its words and marks from one merged mapping
    assert not set(TEMPLATE[DEFAULT_LANGUAGE]) & set(MARKS[DEFAULT_LANGUAGE])


def test_a_language_without_a_table_falls_back_to_the_default() -> None:
    assert in_language(MARKS, "fr") is MARKS[DEFAULT_LANGUAGE]
    assert in_language(MARKS, "en")["list"] == ", "


def test_phrases_fill_their_placeholders() -> None:
    assert review_phrase("en", "many-missing", count=3) == (
        "3 indicators have no claimed score, so the claimed total cannot be checked"
    )
    assert review_phrase("zh", "many-missing", count=3) == "3 个指标没有自评得分，无法核对自评总分"
    assert phrase("zh", "start_max", max=5) == "满分 5"


def test_every_finding_code_and_the_totals_discrepancy_have_their_phrase() -> None:
    # a claimed indicator score that differs gives the trace's reason, not a phrase of its own
    assert set(typing.get_args(DiscrepancyCode)) == {
        "claimed-score-differs",
        "claimed-total-differs",
    }
    codes = {*typing.get_args(FindingCode), "claimed-total-differs"}
    assert set(REVIEW[DEFAULT_LANGUAGE]) == codes


@dataclass(frozen=True)
class Item:
    trace: Trace | None


def steps(*kinds: tuple[str, str | None, str]) -> Item:
    return Item(Trace({}, tuple(TraceStep(k, Decimal(0), d, rule=r) for k, r, d in kinds)))


def test_reason_joins_the_explaining_steps_in_the_language() -> None:
    item = steps(
        ("start", None, "满分 10"),  # a plain start says nothing
        ("deduction", None, "扣 2 分"),
        ("clamp", None, "取 0"),
        ("final", None, "0"),
    )
    assert reason(item, "zh") == "扣 2 分；取 0"
    assert reason(item, "en") == "扣 2 分; 取 0"


def test_reason_shows_a_rules_start_unless_the_rubric_explains_it() -> None:
    ruled = steps(("start", "formula", "X 5 → 5"))
    assert reason(ruled) == "X 5 → 5"
    noted = steps(("start", "formula", "X 5 → 5"), ("note", None, "按完成率计"))
    assert reason(noted) == "按完成率计"
    assert reason(Item(None)) == ""


def test_width_counts_wide_characters_twice() -> None:
    assert [width(t) for t in ("abc", "满意度", "［1］", "")] == [3, 6, 5, 0]
    assert pad_right("满意", 6) == "满意  "
    assert pad_left("满意", 6) == "  满意"
    assert pad_left("toolong", 3) == "toolong"


def test_escape_cell_keeps_a_pipe_inside_its_cell() -> None:
    assert escape_cell("a|b") == "a\\|b"
