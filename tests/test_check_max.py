"""`perfscore check`: max-unreachable, an indicator whose rules cannot give its max."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfscore import load_rubric, parse_rubric
from perfscore._tools._check import check_rubric
from test_check_clamped import rubric

RATE = "rate: {type: percent, label: 满意度}"


def short(text: str) -> list[tuple[str, str | None, str]]:
    """(severity, subject, message) of each max-unreachable finding."""
    return [
        (f.severity, f.subject, f.message)
        for f in check_rubric(parse_rubric(text, name="r.yaml"))
        if f.code == "max-unreachable"
    ]


def test_bands_whose_best_score_is_below_the_max() -> None:
    bands = (
        "bands: {measure: rate, table: "
        "[{range: '[90, 100]', score: 4.5}, {range: '[0, 90)', score: 2}]}"
    )
    assert short(rubric(bands, RATE, top="5")) == [
        (
            "warning",
            "indicator 'x'",
            "bands gives at most 4.5 after clamping and rounding, below the max 5: "
            "no document can get full marks",
        )
    ]


def test_a_formula_on_another_scale_than_the_max() -> None:
    (finding,) = [
        f
        for f in check_rubric(
            parse_rubric(rubric('formula: "4 * rate / 100"', RATE, "5"), name="r.yaml")
        )
        if f.code == "max-unreachable"
    ]
    assert finding.message == (
        "formula gives at most 4 after clamping and rounding, below the max 5: "
        "no document can get full marks"
    )
    assert finding.render("zh").splitlines()[0] == (
        "r.yaml:15:18: 警告: 指标 'x': formula 经截取和取整后最高只能得 4 分，低于分值 5："
        "任何文档都拿不到满分 [max-unreachable]"
    )


def test_a_rounding_step_that_does_not_divide_the_max() -> None:
    text = rubric('formula: "rate / 10"\n        rounding: {step: 3, mode: floor}', RATE, "10")
    assert [m for _, _, m in short(text)] == [
        "formula gives at most 9 after clamping and rounding, below the max 10: "
        "no document can get full marks"
    ]


@pytest.mark.parametrize(
    "method",
    [
        'formula: "rate / 10"',  # reaches 10 at rate 100
        "bands: {measure: rate, table: [{range: '[90, 100]', score: 10}], otherwise: 0}",
        'formula: "min(rate, 80) / 8"',  # 80 / 8 = 10
    ],
)
def test_rules_that_can_give_the_max_are_no_finding(method: str) -> None:
    assert short(rubric(method, RATE, "10")) == []


def test_the_bundled_rubrics_can_give_every_max() -> None:
    root = Path(__file__).resolve().parents[1] / "rubric"
    for path in sorted(p for p in root.glob("*/*.yaml") if not p.name.endswith(".cases.yaml")):
        found = [f for f in check_rubric(load_rubric(path)) if f.code == "max-unreachable"]
        assert found == [], path
