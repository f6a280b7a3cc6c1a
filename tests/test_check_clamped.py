"""`perfscore check`: always-clamped, a raw score outside [0, max] whatever the facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfscore import load_rubric, parse_rubric
from perfscore._tools._check import check_rubric

ABOVE_HINT = (
    "check the score's scale: a percent written as 40 where 0.4 is meant, a missing division, "
    "or points on another scale than the max"
)
BELOW_HINT = (
    "check the score's sign and scale: a subtraction the wrong way round, or points on another "
    "scale than the max"
)


def rubric(method: str, facts: str, top: str = "4", extra: str = "") -> str:
    """One indicator (`method` its one-line YAML, on line 15 at column 9) in one group."""
    return f"""\
perfscore: 1
id: t
version: "1"
title: t
facts:
  {facts}
groups:
  - id: g
    name: g
    max: {top}
    children:
      - id: x
        name: x
        max: {top}
        {method}
{extra}grades:
  - {{grade: 差}}
"""


RATE = "rate: {type: percent, label: 满意度, min: 50}"
TARGET = "b: {type: number, label: 目标, min: 1, max: 50}"


def clamped(text: str) -> list[tuple[int | None, int | None, str, str | None, str, str | None]]:
    """(line, column, severity, subject, message, hint) of each always-clamped finding."""
    return [
        (f.location.line, f.location.column, f.severity, f.subject, f.message, f.hint)
        for f in check_rubric(parse_rubric(text, name="r.yaml"))
        if f.code == "always-clamped"
    ]


def test_a_constant_formula_above_the_max_always_scores_the_max() -> None:
    text = rubric('formula: "40"', RATE)
    [finding] = [
        f for f in check_rubric(parse_rubric(text, name="r.yaml")) if f.code == "always-clamped"
    ]
    assert (finding.code, finding.severity, finding.subject) == (
        "always-clamped",
        "warning",
        "indicator 'x'",
    )
    assert finding.message == (
        "formula gives [40, 40], always above the max 4: every document scores 4"
    )
    assert finding.hint == ABOVE_HINT
    assert (finding.location.file, finding.location.line, finding.location.column) == (
        "r.yaml",
        15,
        18,  # the formula's text, its opening quote
    )
    assert finding.render("zh") == (
        "r.yaml:15:18: 警告: 指标 'x': formula 算得 [40, 40]，始终高于满分 4：每份文档都得 4 分 "
        "[always-clamped]\n"
        "    提示：请检查得分的尺度：是否把应为 0.4 的百分数写成了 40、漏了除法，或分值与满分不在"
        "同一尺度"
    )


def test_a_formula_its_facts_bounds_keep_above_the_max_is_reported() -> None:
    assert clamped(rubric("formula: rate * 10", RATE)) == [
        (
            15,
            18,
            "warning",
            "indicator 'x'",
            "formula gives [500, 1000], always above the max 4: every document scores 4",
            ABOVE_HINT,
        )
    ]


@pytest.mark.parametrize(
    "formula",
    [
        "rate / 10",  # [0, 10]: partly above the max
        "rate / 25",  # [2, 4]: never clamped
        '"4"',  # exactly the max: nothing is cut off
        '"0"',  # exactly 0
        "rate / 10 - 6",  # [-1, 4]: partly below 0
        "rate / 5 - 15",  # [-5, 5]: partly below 0 and partly above the max
    ],
)
def test_a_raw_score_not_wholly_outside_is_not_reported(formula: str) -> None:
    facts = "rate: {type: percent, label: 满意度}"  # [0, 100]
    assert clamped(rubric(f"formula: {formula}", facts)) == []


def test_a_formula_partly_above_the_max_is_no_finding_at_all() -> None:
    text = rubric("formula: rate / 10", "rate: {type: percent, label: 满意度}")  # [0, 10]
    assert check_rubric(parse_rubric(text, name="r.yaml")) == []


@pytest.mark.parametrize(
    ("formula", "span"),
    [('"-5"', "[-5, -5]"), ("50 - rate", "[-50, -10]")],
)
def test_a_formula_always_below_zero_always_scores_zero(formula: str, span: str) -> None:
    facts = "rate: {type: percent, label: 满意度, min: 60}"
    got = clamped(rubric(f"formula: {formula}", facts))
    assert got == [
        (
            15,
            18,
            "warning",
            "indicator 'x'",
            f"formula gives {span}, always below 0: every document scores 0",
            BELOW_HINT,
        )
    ]


def test_the_score_named_is_the_max_after_rounding() -> None:
    text = rubric('formula: "40"', RATE, top="4.3", extra="rounding: {step: 0.5, mode: floor}\n")
    assert [m for _, _, _, _, m, _ in clamped(text)] == [
        "formula gives [40, 40], always above the max 4.3: every document scores 4"
    ]


def test_other_methods_are_reported_at_their_key() -> None:
    bands = 'bands: {measure: rate, table: [{range: "[0, 100]", score: 10}]}'
    assert clamped(rubric(bands, RATE)) == [
        (
            15,
            9,
            "warning",
            "indicator 'x'",
            "bands gives [10, 10], always above the max 4: every document scores 4",
            ABOVE_HINT,
        )
    ]
    facts = f"a: {{type: number, label: 实际, min: 100}}\n  {TARGET}"
    assert clamped(rubric("ratio: {actual: a, target: b}", facts)) == [
        (
            16,  # one line further down: two facts
            9,
            "warning",
            "indicator 'x'",
            "ratio gives [8, inf), always above the max 4: every document scores 4",
            ABOVE_HINT,
        )
    ]


def test_a_ratio_that_can_fall_short_of_its_target_is_not_reported() -> None:
    facts = (
        "a: {type: number, label: 实际, min: 0}\n  b: {type: number, label: 目标, min: 1, max: 50}"
    )
    assert clamped(rubric("ratio: {actual: a, target: b}", facts)) == []


def test_a_bonus_formula_is_held_to_its_own_min_and_max() -> None:
    extra = (
        "total: {cap: null}\n"
        "bonus:\n"
        '  - {id: b1, name: 加分, min: -5, max: 10, formula: "-8"}\n'
        '  - {id: b2, name: 加分, min: -5, max: 10, formula: "20"}\n'
        '  - {id: b3, name: 加分, min: -5, max: 10, formula: "-3"}\n'
    )
    assert clamped(rubric("formula: rate / 25", RATE, extra=extra)) == [
        (
            18,
            51,  # the quote: 加分 is two characters
            "warning",
            "indicator 'b1'",
            "formula gives [-8, -8], always below the min -5: every document scores -5",
            BELOW_HINT,
        ),
        (
            19,
            51,
            "warning",
            "indicator 'b2'",
            "formula gives [20, 20], always above the max 10: every document scores 10",
            ABOVE_HINT,
        ),
    ]


RECORDS = """\
perfscore: 1
id: t
version: "1"
title: t
facts:
  rows:
    type: list
    label: 指标
    fields:
      name: {type: text, label: 名称}
      points: {type: number, label: 分值, min: 0}
      kind: {type: enum, label: 性质, values: [up, down]}
groups:
  - id: output
    name: 产出
    max: 10
    records:
      list: rows
      name: name
      max: points
      select: kind
      rules:
        up: {formula: "40"}
        down: {formula: "-1"}
grades:
  - {grade: 差}
"""


def test_a_records_rule_is_held_to_the_records_points() -> None:
    assert clamped(RECORDS) == [
        (
            23,
            23,
            "warning",
            "group 'output', rule 'up'",
            "formula gives [40, 40], always above the record's points (full, at most 10): "
            "every record scores its full points",
            ABOVE_HINT,
        ),
        (
            24,
            25,
            "warning",
            "group 'output', rule 'down'",
            "formula gives [-1, -1], always below 0: every record scores 0",
            BELOW_HINT,
        ),
    ]


def test_a_records_rule_below_full_is_not_reported() -> None:
    text = RECORDS.replace('"40"', '"5"').replace('"-1"', "full / 2")
    assert clamped(text) == []  # 5 may be below a record's points (up to 10)


def test_the_bundled_rubrics_are_never_always_clamped() -> None:
    paths = [
        p
        for p in sorted(Path(__file__).parents[1].glob("rubric/*/*.yaml"))
        if not p.name.endswith(".cases.yaml")
    ]
    assert len(paths) >= 6
    for path in paths:
        codes = {f.code for f in check_rubric(load_rubric(path))}
        assert "always-clamped" not in codes, path
