"""Scoring methods, rounding, totals, grades, not-applicable rules, checks and traces.

Every expected number is worked out by hand in a comment next to it.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import make_rubric
from perfscore import ExpressionError, FactsError, Rubric, ScoringError, TraceStep, load_facts
from perfscore._engine._run import run

X = "  x: {type: number, label: X}\n"
XY = X + "  y: {type: number, label: Y}\n"


def leaf(method: str, facts: str = X, top: str = "10", head: str = "") -> Rubric:
    """A rubric with one group 'g' holding one indicator 'a' of max `top` scored by `method`."""
    body = textwrap.indent(textwrap.dedent(method).rstrip("\n") + "\n", " " * 8)
    text = (
        'perfscore: 1\nid: t\nversion: "1"\ntitle: T\n'
        f"{head}facts:\n{facts}"
        f"groups:\n  - id: g\n    name: G\n    max: {top}\n    children:\n"
        f"      - id: a\n        name: A\n        max: {top}\n{body}"
        "grades:\n  - {grade: A}\n"
    )
    return make_rubric(text)


def score(rubric: Rubric, **facts: object) -> Decimal:
    """The score of indicator 'a'."""
    return rubric.evaluate(facts).indicator("a").score


def kinds(rubric: Rubric, **facts: object) -> list[str]:
    """The kinds of the trace steps of indicator 'a'."""
    trace = rubric.evaluate(facts).indicator("a").trace
    assert trace is not None
    return [s.kind for s in trace.steps]


D = Decimal


# formula ---------------------------------------------------------------------------------------


def test_formula() -> None:
    rubric = leaf("formula: 6 * min(x / y, 1)", facts=XY, top="6")
    # 3703.85 / 4000 = 0.9259625 exactly; 6 * 0.9259625 = 5.555775
    assert score(rubric, x=D("3703.85"), y=4000) == D("5.555775")
    # 4100 / 4000 = 1.025, min(1.025, 1) = 1; 6 * 1 = 6
    assert score(rubric, x=4100, y=4000) == D(6)


# bands -----------------------------------------------------------------------------------------

BANDS = leaf(
    """\
    bands:
      measure: x
      table:
        - {range: "[90, inf)", score: 10, label: 优秀}
        - {range: "[80, 90)", score: 8}
        - {range: "(60, 80]", score: x / 10}
        - {range: "[0, 100]", score: 1}
    """
)


@pytest.mark.parametrize(
    ("x", "expected", "rule"),
    [
        ("95", "10", "band[0]"),
        ("90", "10", "band[0]"),  # 90 is included by '[90'
        ("89.99", "8", "band[1]"),  # 89.99 < 90 is inside '[80, 90)'
        ("80", "8", "band[1]"),  # 80 lies in band 1 and band 2: the first match wins
        ("79.5", "7.95", "band[2]"),  # 79.5 / 10
        ("60.5", "6.05", "band[2]"),  # 60.5 / 10
        ("60", "1", "band[3]"),  # 60 is excluded by '(60', caught by '[0, 100]'
        ("0", "1", "band[3]"),
    ],
)
def test_bands_edges(x: str, expected: str, rule: str) -> None:
    card = BANDS.evaluate({"x": D(x)})
    item = card.indicator("a")
    assert item.score == D(expected)
    assert item.trace is not None
    assert [s.rule for s in item.trace.steps] == [rule]


def test_band_label_is_in_the_trace() -> None:
    item = BANDS.evaluate({"x": 95}).indicator("a")
    assert item.trace is not None
    # a labelled band reads as its label and the measured value
    assert item.trace.steps[0].detail == "优秀（95）→ 10"


def test_no_band_is_a_scoring_error() -> None:
    with pytest.raises(ScoringError) as info:
        BANDS.evaluate({"x": -1})
    assert info.value.render() == (
        "r.yaml:12:9: indicator 'a': no band holds x = -1 [no-band]\n"
        "    hint: add a band for this value or an 'otherwise' score"
    )


def test_otherwise() -> None:
    rubric = leaf(
        """\
        bands:
          measure: x
          table:
            - {range: "[60, inf)", score: 10}
          otherwise: x / 20
        """
    )
    # 30 is in no band: otherwise 30 / 20 = 1.5
    assert score(rubric, x=30) == D("1.5")
    trace = rubric.evaluate({"x": 30}).indicator("a").trace
    assert trace is not None
    assert [s.rule for s in trace.steps] == ["otherwise"]


# per_unit --------------------------------------------------------------------------------------


def per_unit(partial: str, extra: str = "") -> Rubric:
    return leaf(f"per_unit: {{measure: x, unit: 5, points: 2, partial: {partial}{extra}}}\n")


@pytest.mark.parametrize(
    ("partial", "expected"),
    [
        ("whole", "6"),  # 每5个百分点扣2分, 12 points short: 2 whole steps x 2 = 4; 10 - 4 = 6
        ("started", "4"),  # 3 started steps (5, 10, 12) x 2 = 6; 10 - 6 = 4
        ("exact", "5.2"),  # 12 / 5 = 2.4 steps x 2 = 4.8; 10 - 4.8 = 5.2
    ],
)
def test_per_unit_partial(partial: str, expected: str) -> None:
    assert score(per_unit(partial), x=12) == D(expected)


def test_per_unit_on_a_step_edge() -> None:
    # 10 short is exactly 2 steps whichever way they are counted: 10 - 4 = 6
    assert [score(per_unit(p), x=10) for p in ("whole", "started", "exact")] == [D(6)] * 3


def test_per_unit_negative_measure_deducts_nothing() -> None:
    rubric = per_unit("exact")
    assert score(rubric, x=-3) == D(10)
    assert kinds(rubric, x=-3) == ["start"]


def test_per_unit_floor_zero_by_default() -> None:
    # 40 short: 8 steps x 2 = 16; 10 - 16 = -6, deducted down to 0 (扣完为止)
    rubric = per_unit("started")
    assert score(rubric, x=40) == D(0)
    assert kinds(rubric, x=40) == ["start", "deduction", "floor"]


def test_per_unit_custom_floor() -> None:
    # 30 short: 6 steps x 2 = 12; 10 - 12 = -2, raised to the floor of 3
    assert score(per_unit("exact", ", floor: 3"), x=30) == D(3)


def test_per_unit_reason_template() -> None:
    rubric = per_unit("exact", ', reason: "x={x} m={measure} u={units} d={deduction}"')
    item = rubric.evaluate({"x": 12}).indicator("a")
    assert item.trace is not None
    deduction = item.trace.steps[1]
    assert (deduction.kind, deduction.amount, deduction.value) == ("deduction", D("4.8"), D("5.2"))
    # the author's reason, then the points it cost
    assert deduction.detail == "x=12 m=12 u=2.4 d=4.8：扣 4.8 分"


# ratio -----------------------------------------------------------------------------------------

RATIO = leaf("ratio: {actual: x, target: y}\n", facts=XY)


def test_ratio() -> None:
    # 10 x 3 / 4 = 7.5
    assert score(RATIO, x=3, y=4) == D("7.5")


def test_ratio_over_achievement_is_clamped_to_max() -> None:
    # 10 x 5 / 4 = 12.5, clamped to 10
    assert score(RATIO, x=5, y=4) == D(10)
    assert kinds(RATIO, x=5, y=4) == ["start", "clamp"]


def test_ratio_zero_target_without_a_rule_is_an_error() -> None:
    with pytest.raises(ExpressionError) as info:
        RATIO.evaluate({"x": 5, "y": 0})
    problem = info.value.problems[0]
    assert (problem.code, problem.message, problem.hint) == (
        "zero-division",
        "ratio target is zero",
        "declare when_target_zero for this indicator",
    )
    assert dict(problem.details) == {"actual": "x = 5", "target": "y = 0"}


def test_ratio_zero_target_with_a_rule() -> None:
    rubric = leaf("ratio: {actual: x, target: y, when_target_zero: 7}\n", facts=XY)
    assert score(rubric, x=5, y=0) == D(7)
    assert score(rubric, x=1, y=4) == D("2.5")  # 10 x 1 / 4


# checklist -------------------------------------------------------------------------------------

CHECKLIST_FACTS = "  cut: {type: boolean, label: C}\n  n: {type: integer, label: N, min: 0}\n"


def checklist(floor: str | None = None, points: str = "0.5 * n") -> Rubric:
    """A checklist of max 4: 0.5 for a cut, `points` for problems."""
    lines = [
        "checklist:",
        *([f"  floor: {floor}"] if floor is not None else []),
        "  items:",
        "    - {id: cut, when: cut, points: 0.5, reason: 存在预算调减}",
        f"    - {{id: prob, when: n > 0, points: {points},"
        ' reason: "发现{n}个问题，每个扣0.5分"}',
    ]
    return leaf("\n".join(lines) + "\n", facts=CHECKLIST_FACTS, top="4")


def test_checklist_items_that_apply() -> None:
    card = checklist().evaluate({"cut": True, "n": 2})
    item = card.indicator("a")
    # 4 - 0.5 (cut) - 0.5 x 2 (problems) = 2.5
    assert item.score == D("2.5")
    assert item.trace is not None
    assert [(s.rule, s.amount, s.value, s.detail) for s in item.trace.steps[1:]] == [
        ("item:cut", D("0.5"), D("3.5"), "存在预算调减"),
        ("item:prob", D("1.0"), D("2.5"), "发现2个问题，每个扣0.5分"),
    ]


def test_checklist_nothing_applies() -> None:
    assert score(checklist(), cut=False, n=0) == D(4)


def test_checklist_floor() -> None:
    # 4 - 0.5 - 0.5 x 10 = -1.5, stopped at the floor of 1
    rubric = checklist(floor="1")
    assert score(rubric, cut=True, n=10) == D(1)
    assert kinds(rubric, cut=True, n=10) == ["start", "deduction", "deduction", "floor"]


def test_checklist_floor_defaults_to_zero() -> None:
    # 4 - 0.5 - 5 = -1.5 -> 0
    assert score(checklist(), cut=True, n=10) == D(0)


def test_checklist_negative_points_is_a_scoring_error() -> None:
    with pytest.raises(ScoringError) as info:
        checklist(points="0 - n").evaluate({"cut": False, "n": 2})
    problem = info.value.problems[0]
    assert (problem.code, problem.message, problem.subject) == (
        "invalid-operation",
        "item 'prob' deducts a negative amount (-2)",
        "indicator 'a'",
    )
    assert dict(problem.details) == {"points": "0 - n"}


# tiers -----------------------------------------------------------------------------------------

TIER_FACTS = (
    "  lv: {type: enum, label: L, values: [achieved, partial, none]}\n"
    "  lv_score: {type: number, label: S, required: false}\n"
)
TIER_TABLE = """\
  table:
    - {level: achieved, label: 达成, range: "[80, 100]", default: 100}
    - {level: partial, range: "[60, 80)", default: 65}
    - {level: none, range: "[0, 60)"}
"""
TIERS = leaf("tiers:\n  level: lv\n  score: lv_score\n" + TIER_TABLE, facts=TIER_FACTS)
TIERS_LEVEL_ONLY = leaf("tiers:\n  level: lv\n" + TIER_TABLE, facts=TIER_FACTS)


def test_tier_level_only_uses_the_default() -> None:
    # achieved: 100% of 10 = 10; partial: 65% of 10 = 6.5
    assert score(TIERS_LEVEL_ONLY, lv="achieved") == D(10)
    assert score(TIERS_LEVEL_ONLY, lv="partial") == D("6.5")


def test_tier_assessed_score_inside_its_tier() -> None:
    # partial allows [60%, 80%) of 10 = [6, 8): 7.5 is inside and used as given
    assert score(TIERS, lv="partial", lv_score=D("7.5")) == D("7.5")
    assert score(TIERS, lv="partial", lv_score=6) == D(6)


def test_a_division_by_a_fact_of_0_points_at_that_fact_in_the_document(tmp_path: Path) -> None:
    rubric = leaf(
        "formula: 3 * spent / budget\n",
        facts="  spent: {type: number, label: S}\n  budget: {type: number, label: B}\n",
    )
    path = tmp_path / "f.yaml"
    path.write_text("rubric: t@1\nfacts:\n  spent: 90\n  budget: 0\n", encoding="utf-8")
    with pytest.raises(ExpressionError) as info:
        rubric.evaluate(load_facts(path))
    assert type(info.value) is ExpressionError
    assert (info.value.code, info.value.path) == ("zero-division", ("budget",))
    assert info.value.render("zh").splitlines() == [
        f"{path}:4:11: 指标 'a': 公式除以零 [zero-division]",
        "    公式: 3 * spent / budget",
        "    取值: spent=90, budget=0",
        "    规则: r.yaml:16:18",
    ]
    # facts given as a mapping have no document: the problem stays at the formula
    with pytest.raises(ExpressionError) as info:
        rubric.evaluate({"spent": 90, "budget": 0})
    assert str(info.value.location) == "r.yaml:16:18"
    # two values of 0 read: which one it divided by is not told apart, the formula keeps it
    path.write_text("rubric: t@1\nfacts:\n  spent: 0\n  budget: 0\n", encoding="utf-8")
    with pytest.raises(ExpressionError) as info:
        rubric.evaluate(load_facts(path))
    assert (str(info.value.location), info.value.path) == ("r.yaml:16:18", ())


def test_tier_assessed_score_outside_its_tier() -> None:
    with pytest.raises(ScoringError) as info:
        TIERS.evaluate({"lv": "partial", "lv_score": 8})
    assert info.value.render() == (
        "r.yaml:13:9: indicator 'a': assessed score 8 is outside tier 'partial', which allows "
        "[6, 8) [tier-mismatch]\n"
        "    hint: tier 'partial' is [60, 80) % of the 10 points, [6, 8): give a score in it, "
        "or the level 'achieved', whose range holds 8"
    )


def test_a_tier_error_points_at_the_facts_value_and_names_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("rubric: t@1\nfacts:\n  lv: partial\n  lv_score: 8\n", encoding="utf-8")
    with pytest.raises(ScoringError) as info:
        TIERS.evaluate(load_facts(path))
    assert type(info.value) is ScoringError
    assert info.value.render().splitlines()[:2] == [
        f"{path}:4:13: indicator 'a': assessed score 8 is outside tier 'partial', which allows "
        "[6, 8) [tier-mismatch]",
        "    rule: r.yaml:13:9",
    ]
    assert info.value.render("zh").splitlines()[1] == "    规则: r.yaml:13:9"  # said in Chinese too
    # a missing assessment stands at the level that needs it
    path.write_text("rubric: t@1\nfacts:\n  lv: none\n", encoding="utf-8")
    with pytest.raises(ScoringError) as info:
        TIERS.evaluate(load_facts(path))
    assert (info.value.code, str(info.value.location)) == ("missing-fact", f"{path}:3:7")
    assert info.value.problems[0].hint == (
        "tier 'none' is [0, 60) % of the 10 points, [0, 6): give 'lv_score' a score in it, "
        "or another level"
    )


def test_tier_without_default_and_without_score() -> None:
    with pytest.raises(ScoringError) as info:
        TIERS.evaluate({"lv": "none"})
    assert (info.value.code, info.value.problems[0].message) == (
        "missing-fact",
        "tier 'none' has no default score and needs an assessed score in 'lv_score'",
    )
    # with a score inside [0, 6) it scores
    assert score(TIERS, lv="none", lv_score=D("5.5")) == D("5.5")


def test_tier_trace_names_the_tier() -> None:
    item = TIERS.evaluate({"lv": "achieved"}).indicator("a")
    assert item.trace is not None
    (step,) = item.trace.steps
    assert (step.kind, step.rule, step.value) == ("tier", "tier:achieved", D(10))
    assert step.detail == "档次 达成 [8, 10]：取默认 100% 分值"


# rounding --------------------------------------------------------------------------------------

HALF_FLOOR = "rounding: {step: 0.5, mode: floor}\n"


def test_rubric_wide_rounding() -> None:
    rubric = leaf("formula: x\n", head=HALF_FLOOR)
    # 4.9 floored to a multiple of 0.5 = 4.5
    assert score(rubric, x=D("4.9")) == D("4.5")
    assert kinds(rubric, x=D("4.9")) == ["start", "round"]
    # 4.5 is a multiple already: no round step
    assert kinds(rubric, x=D("4.5")) == ["start"]


def test_indicator_rounding_overrides_the_rubric() -> None:
    rubric = leaf("formula: x\nrounding: {step: 1, mode: ceiling}\n", head=HALF_FLOOR)
    # ceiling of 4.1 to a multiple of 1 = 5
    assert score(rubric, x=D("4.1")) == D(5)


def test_rounding_none_keeps_the_exact_score() -> None:
    rubric = leaf("formula: x\nrounding: none\n", head=HALF_FLOOR)
    assert score(rubric, x=D("4.9")) == D("4.9")


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [
        ("half_up", "1.005", "1.01"),  # the half goes up
        ("half_even", "1.005", "1.00"),  # the half goes to the even 0
        ("half_even", "1.015", "1.02"),  # the half goes to the even 2
        ("half_down", "1.005", "1.00"),
        ("down", "1.009", "1.00"),
        ("up", "1.001", "1.01"),
    ],
)
def test_rounding_modes_at_a_hundredth(mode: str, value: str, expected: str) -> None:
    rubric = leaf(f"formula: x\nrounding: {{step: 0.01, mode: {mode}}}\n")
    assert score(rubric, x=D(value)) == D(expected)


def test_clamp_round_clamp_when_max_is_not_a_multiple_of_the_step() -> None:
    rubric = leaf("formula: x\nrounding: {step: 0.5, mode: ceiling}\n", top="3.3")
    # raw 3.3 -> ceiling to 0.5 gives 3.5 -> above max, clamped to 3.3
    card = rubric.evaluate({"x": D("3.3")})
    item = card.indicator("a")
    assert item.score == D("3.3")
    assert item.trace is not None
    assert [(s.kind, s.value) for s in item.trace.steps] == [
        ("start", D("3.3")),
        ("round", D("3.5")),
        ("clamp", D("3.3")),
    ]
    # raw 5 -> clamped to 3.3 -> rounded to 3.5 -> clamped to 3.3
    assert kinds(rubric, x=5) == ["start", "clamp", "round", "clamp"]


def test_negative_raw_is_clamped_to_zero() -> None:
    assert score(leaf("formula: x - 20\n"), x=5) == D(0)


# groups, bonus, total, grades ------------------------------------------------------------------

TOTALS = """\
perfscore: 1
id: t
version: "1"
title: T
facts:
  x: {type: number, label: X}
  y: {type: number, label: Y}
  b: {type: number, label: B}
groups:
  - id: g1
    name: G1
    max: 60
    children:
      - {id: a, name: A, max: 30, formula: x, not_applicable: redistribute}
      - {id: b1, name: B1, max: 20, formula: x}
      - {id: c, name: C, max: 10, formula: x, not_applicable: full}
  - id: g2
    name: G2
    max: 40
    children:
      - id: g21
        name: G21
        max: 40
        children:
          - {id: d, name: D, max: 40, formula: y}
bonus:
  - {id: k, name: K, min: -5, max: 3, formula: b}
total: TOTAL
grades:
  - {grade: 优, min: 90}
  - {grade: 良, min: 80}
  - {grade: 中, min: 60}
  - {grade: 差}
checks:
  - {id: big, when: x > 15, message: "x 为 {x}，超过 15（y={y}）"}
"""


def totals(total: str = "{cap: null}") -> Rubric:
    return make_rubric(TOTALS.replace("TOTAL", total))


@pytest.mark.parametrize(
    ("b", "expected"),
    [("8", "3"), ("-9", "-5"), ("2", "2"), ("-2.5", "-2.5")],  # clamped to [-5, 3]
)
def test_bonus_is_clamped_to_its_range(b: str, expected: str) -> None:
    card = totals().evaluate({"x": 0, "y": 0, "b": D(b)})
    assert card.indicator("k").score == D(expected)
    assert card.bonus_total == D(expected)


def test_groups_sum_their_children() -> None:
    # a = 25, b1 = min(25, 20) = 20, c = 10: g1 = 55; d = 33: g21 = g2 = 33; base 88
    card = totals().evaluate({"x": 25, "y": 33, "b": 0})
    assert [(g.id, g.score) for g in card.groups] == [
        ("g1", D(55)),
        ("g2", D(33)),
        ("g21", D(33)),
    ]
    assert (card.base_total, card.max_total) == (D(88), D(100))


def test_total_without_a_cap_exceeds_the_base() -> None:
    # base 30 + 20 + 10 + 40 = 100; bonus 8 clamped to 3; total 103
    card = totals("{cap: null}").evaluate({"x": 30, "y": 40, "b": 8})
    assert (card.base_total, card.bonus_total, card.total) == (D(100), D(3), D(103))


def test_total_cap() -> None:
    card = totals("{cap: 100}").evaluate({"x": 30, "y": 40, "b": 8})
    assert card.total == D(100)
    assert card.total_trace is not None
    assert [(s.kind, s.value) for s in card.total_trace] == [("start", D(103)), ("clamp", D(100))]


def test_total_floor() -> None:
    # base 1 + 1 + 1 + 0 = 3; bonus -5; 3 - 5 = -2 raised to the floor of 0
    card = totals().evaluate({"x": 1, "y": 0, "b": -9})
    assert (card.base_total, card.bonus_total, card.total) == (D(3), D(-5), D(0))
    # a declared floor of 2 lifts it to 2
    assert totals("{cap: null, floor: 2}").evaluate({"x": 1, "y": 0, "b": -9}).total == D(2)


@pytest.mark.parametrize(
    ("x", "y", "total", "grade"),
    [
        # x = 30: a 30 + b1 20 (clamped) + c 10 (clamped) = 60; the total is 60 + y
        ("30", "29.99", "89.99", "良"),
        ("30", "30", "90", "优"),
        ("30", "19.99", "79.99", "中"),
        ("30", "20", "80", "良"),
        ("30", "0", "60", "中"),
        # x = 29.99: a 29.99 + 20 + 10 = 59.99
        ("29.99", "0", "59.99", "差"),
    ],
)
def test_grades_on_the_exact_total(x: str, y: str, total: str, grade: str) -> None:
    card = totals().evaluate({"x": D(x), "y": D(y), "b": 0})
    assert (card.total, card.grade) == (D(total), grade)


def test_bonus_formula_as_negative_zero_is_zero() -> None:
    rubric = make_rubric(
        TOTALS.replace("formula: b}", "formula: 0 * -1}").replace("TOTAL", "{cap: null}")
    )
    card = rubric.evaluate({"x": 0, "y": 0, "b": 0})
    assert str(card.indicator("k").score) == "0"
    assert str(card.bonus_total) == "0"


# not applicable --------------------------------------------------------------------------------


def test_not_applicable_full_scores_max() -> None:
    card = totals().evaluate({"x": 2, "y": 0, "b": 0}, not_applicable=["c"])
    item = card.indicator("c")
    assert (item.score, item.applicable) == (D(10), True)
    assert item.trace is not None
    assert [(s.kind, s.rule) for s in item.trace.steps] == [("not_applicable", "not_applicable")]


def test_not_applicable_redistribute_scales_the_siblings() -> None:
    # a (30) is excluded: b1 (20) and c (10) share g1's 60, factor 60 / 30 = 2.
    # x = 12: b1 = 12 x 2 = 24 of 40; c = 10 x 2 = 20 of 20; g1 = 44 of 60
    card = totals().evaluate({"x": 12, "y": 40, "b": 0}, not_applicable=["a"])
    got = {i.id: (i.score, i.max, i.applicable) for i in card.indicators if i.group == "g1"}
    assert got == {
        "a": (D(0), D(0), False),
        "b1": (D(24), D(40), True),
        "c": (D(20), D(20), True),
    }
    g1 = next(g for g in card.groups if g.id == "g1")
    assert (g1.score, g1.max) == (D(44), D(60))
    b1 = card.indicator("b1")
    assert b1.trace is not None
    assert [s.kind for s in b1.trace.steps] == ["start", "scale"]


def test_not_applicable_redistribute_at_full_marks_keeps_the_group_max() -> None:
    # every kept indicator at full marks: 20 x 2 + 10 x 2 = 60 = g1's max
    card = totals().evaluate({"x": 100, "y": 40, "b": 0}, not_applicable=["a"])
    assert next(g.score for g in card.groups if g.id == "g1") == D(60)


def test_redistribute_with_a_nested_group_sibling_keeps_the_group_max() -> None:
    rubric = make_rubric(
        """\
        perfscore: 1
        id: t
        version: "1"
        title: T
        facts:
          x: {type: number, label: X}
        groups:
          - id: g
            name: G
            max: 40
            children:
              - {id: a, name: A, max: 10, formula: x, not_applicable: redistribute}
              - id: h
                name: H
                max: 20
                children:
                  - {id: h1, name: H1, max: 20, formula: x}
              - {id: b, name: B, max: 10, formula: x}
        grades:
          - {grade: A}
        """
    )
    # a excluded; h (20) and b (10) share 40: every kept indicator at full marks gives 40
    card = rubric.evaluate({"x": 100}, not_applicable=["a"])
    assert card.total == D(40)


def test_not_applicable_forbidden() -> None:
    with pytest.raises(FactsError) as info:
        totals().evaluate({"x": 1, "y": 1, "b": 0}, not_applicable=["b1"])
    assert (info.value.code, info.value.problems[0].message) == (
        "not-applicable-forbidden",
        "indicator 'b1' (B1) may not be marked not applicable",
    )


NESTED_NA = """\
perfscore: 1
id: t
version: "1"
title: T
facts:
  x: {type: number, label: x}
groups:
  - id: top
    name: top
    max: 20
    children:
      - {id: a, name: A, max: 10, formula: x, not_applicable: redistribute}
      - id: h
        name: H
        max: 10
        children:
          - {id: b, name: B, max: 5, formula: x, not_applicable: redistribute}
          - {id: c, name: C, max: 4.5, formula: x, not_applicable: full}
          - {id: d, name: D, max: 0.5, formula: x, not_applicable: redistribute}
grades:
  - {grade: A}
"""


def test_every_indicator_of_a_group_not_applicable_is_refused_at_the_list(
    tmp_path: Path,
) -> None:
    rubric = make_rubric(
        NESTED_NA.replace(
            "max: 4.5, formula: x, not_applicable: full",
            "max: 4.5, formula: x, not_applicable: redistribute",
        )
    )
    path = tmp_path / "f.yaml"
    path.write_text("rubric: t@1\nnot_applicable:\n  - d\n  - a\n  - b\n  - c\nfacts:\n  x: 1\n")
    with pytest.raises(ScoringError) as info:
        rubric.evaluate(load_facts(path))
    # every indicator (a, b, c, d) is marked: h is reported, at the last of its own (c, line 6);
    # top is empty only because h is, so it is not reported again
    (problem,) = info.value.problems
    assert problem.render() == (
        f"{path}:6:5: group 'h': every indicator of group 'h' (H) is marked not applicable "
        "('b', 'c', 'd'): its points would go nowhere [invalid-operation]\n"
        "    hint: a group keeps at least one applicable indicator; leave one of these applicable"
    )
    # before, this scored 0 of 20 without a word: d took all of top's 20 points
    with pytest.raises(ScoringError) as info:
        rubric.evaluate({"x": 1}, not_applicable=["a", "b", "c", "d"])
    assert info.value.code == "invalid-operation"
    assert str(info.value.location) == "<not_applicable>"  # the call's argument, not the facts


def test_a_group_keeping_a_full_marks_or_applicable_indicator_is_scored() -> None:
    rubric = make_rubric(NESTED_NA)
    # every indicator of h is marked, but c's rule is full marks: h keeps its points, and b's
    # and d's go to c (4.5 of 4.5 -> 10 of 10)
    card = rubric.evaluate({"x": 1}, not_applicable=["b", "c", "d"])
    assert card.indicator("c").score == D(10)
    # a alone: h's indicators share top's 20 (factor 2): b 1 of 5 -> 2 of 10, c 1 of 4.5 -> 2
    # of 9, d 0.5 of 0.5 -> 1 of 1
    card = rubric.evaluate({"x": 1}, not_applicable=["a"])
    assert card.total == D(5)


# runtime errors and checks ---------------------------------------------------------------------


def test_division_by_zero_in_a_derived_value_names_formula_and_values() -> None:
    rubric = make_rubric(
        TOTALS.replace("groups:", "derived:\n  q: {formula: x / y, label: Q}\ngroups:").replace(
            "TOTAL", "{cap: null}"
        )
    )
    with pytest.raises(ExpressionError) as info:
        rubric.evaluate({"x": 5, "y": 0, "b": 0})
    assert info.value.render() == (
        "r.yaml:10:16: derived value 'q': formula divides by zero [zero-division]\n"
        "    formula: x / y\n"
        "    with:    x=5, y=0"
    )


def test_checks_fire_with_rendered_messages() -> None:
    card = totals().evaluate({"x": 16, "y": D("39.5"), "b": 0})
    assert [(w.check, w.message) for w in card.warnings] == [("big", "x 为 16，超过 15（y=39.5）")]


def test_checks_do_not_fire_and_never_change_scores() -> None:
    quiet = totals().evaluate({"x": 15, "y": 40, "b": 0})
    loud = totals().evaluate({"x": 16, "y": 40, "b": 0})
    assert quiet.warnings == ()
    # x 15 -> 16 raises a and b1 by 1 each; c stays clamped at 10
    assert loud.total - quiet.total == D(2)


# traces ----------------------------------------------------------------------------------------

ALL = """\
perfscore: 1
id: t
version: "1"
title: T
rounding: {step: 0.5, mode: floor}
facts:
  x: {type: number, label: X}
  y: {type: number, label: Y}
  cut: {type: boolean, label: C}
  n: {type: integer, label: N, min: 0}
  lv: {type: enum, label: L, values: [achieved, partial]}
  lv_score: {type: number, label: S, required: false}
groups:
  - id: g
    name: G
    max: 60
    children:
      - {id: f, name: F, max: 10, formula: x / 3}
      - id: bd
        name: BD
        max: 10
        bands:
          measure: x
          table:
            - {range: "[90, inf)", score: 10}
            - {range: "[10, 90)", score: x / 9}
          otherwise: 1
      - id: pu
        name: PU
        max: 10
        per_unit: {measure: 100 - x, unit: 5, points: 2, partial: started}
      - id: ra
        name: RA
        max: 10
        ratio: {actual: x, target: y, when_target_zero: 0}
      - id: cl
        name: CL
        max: 10
        checklist:
          floor: 1
          items:
            - {id: cut, when: cut, points: 1.3, reason: 调减}
            - {id: prob, when: n > 0, points: 0.7 * n, reason: "{n} 个问题"}
      - id: ti
        name: TI
        max: 10
        not_applicable: redistribute
        tiers:
          level: lv
          score: lv_score
          table:
            - {level: achieved, range: "[80, 100]", default: 100}
            - {level: partial, range: "[50, 80)", default: 70}
  - id: h
    name: H
    max: 10
    children:
      - {id: na, name: NA, max: 10, formula: x, not_applicable: full}
bonus:
  - {id: k, name: K, min: -2, max: 2, formula: x / 7 - 5}
total: {cap: null}
grades:
  - {grade: A}
"""

ALL_CASES: list[tuple[dict[str, object], tuple[str, ...]]] = [
    ({"x": 95, "y": 100, "cut": True, "n": 2, "lv": "achieved"}, ()),
    ({"x": 37, "y": 40, "cut": True, "n": 9, "lv": "partial", "lv_score": 6}, ("na",)),
    ({"x": D("5.5"), "y": 4, "cut": False, "n": 0, "lv": "partial"}, ("ti", "na")),
    ({"x": 0, "y": 0, "cut": False, "n": 1, "lv": "achieved"}, ()),
]
REPLACED_BY_STEP = {"start", "band", "clamp", "round", "scale", "floor", "tier", "not_applicable"}


def replay(steps: tuple[TraceStep, ...]) -> Decimal:
    """Rebuild a score from its trace: each step sets the value, a deduction subtracts."""
    value: Decimal | None = None
    for step in steps:
        if step.kind == "deduction":
            assert value is not None
            assert step.amount is not None
            value -= step.amount
            assert value == step.value
        else:
            assert step.kind in REPLACED_BY_STEP
            value = step.value
    assert value is not None
    return value


def all_rubric() -> Rubric:
    return make_rubric(ALL)


@pytest.mark.parametrize(("facts", "na"), ALL_CASES)
def test_trace_replay_reproduces_every_score(facts: dict[str, object], na: tuple[str, ...]) -> None:
    card = all_rubric().evaluate(facts, not_applicable=na)
    for item in card.indicators:
        assert item.trace is not None
        assert replay(item.trace.steps) == item.score, item.id
    assert card.total_trace is not None
    assert replay(card.total_trace) == card.total


@pytest.mark.parametrize(("facts", "na"), ALL_CASES)
def test_trace_off_gives_equal_scores(facts: dict[str, object], na: tuple[str, ...]) -> None:
    rubric = all_rubric()
    on = rubric.evaluate(facts, not_applicable=na)
    off = rubric.evaluate(facts, not_applicable=na, trace=False)
    assert [(i.id, i.score) for i in on.indicators] == [(i.id, i.score) for i in off.indicators]
    assert (on.total, on.grade, on.groups) == (off.total, off.grade, off.groups)
    assert all(i.trace is None for i in off.indicators)
    assert off.total_trace is None


def test_all_methods_by_hand() -> None:
    card = all_rubric().evaluate(ALL_CASES[1][0], not_applicable=ALL_CASES[1][1])
    got = {i.id: i.score for i in card.indicators}
    # rounding is to 0.5, mode floor, for every indicator
    assert got == {
        "f": D(10),  # 37 / 3 = 12.33.. clamped to 10
        "bd": D(4),  # 37 in [10, 90): 37 / 9 = 4.11.. floored to 4
        "pu": D(0),  # 100 - 37 = 63 short: 13 started steps x 2 = 26; 10 - 26 below 0 -> 0
        "ra": D(9),  # 10 x 37 / 40 = 9.25 floored to 9
        "cl": D(2),  # 10 - 1.3 - 0.7 x 9 = 2.4 (above the floor of 1) floored to 2
        "ti": D(6),  # partial allows [50%, 80%) of 10 = [5, 8): the assessed 6
        "na": D(10),  # not applicable, full marks
        "k": D(0),  # 37 / 7 - 5 = 0.28.. floored to 0
    }
    # g = 10 + 4 + 0 + 9 + 2 + 6 = 31; h = 10; bonus 0
    assert (card.base_total, card.total) == (D(41), D(41))


def test_fired_rules() -> None:
    rubric = all_rubric()
    values = rubric.plan.validate(dict(ALL_CASES[0][0]))
    result = run(rubric.plan, values)
    fired = {k: v.rules for k, v in result.leaves.items()}
    # x = 95: f = 31.67 clamped; bd band[0]; pu 5 short = 1 step; ra 95/100 x 10 = 9.5;
    # cl 10 - 1.3 - 1.4 = 7.3 floored to 7; ti achieved default; na 95 clamped to 10;
    # k 95/7 - 5 = 8.57 clamped to 2
    assert fired == {
        "f": ("formula", "clamp"),
        "bd": ("band[0]",),
        "pu": ("deduction",),
        "ra": ("ratio",),
        "cl": ("item:cut", "item:prob", "round"),
        "ti": ("tier:achieved",),
        "na": ("formula", "clamp"),
        "k": ("formula", "clamp"),
    }
    off = run(rubric.plan, values, trace=False)
    assert {k: v.rules for k, v in off.leaves.items()} == fired


def test_templates_render_booleans_and_lists_in_the_rubrics_language() -> None:
    text = """\
        perfscore: 1
        id: t
        version: "1"
        title: T
        LANG
        facts:
          ok: {type: boolean, label: 合规}
          rows:
            type: list
            label: 调查
            fields:
              n: {type: integer, label: 份数}
        groups:
          - id: g
            name: G
            max: 1
            children:
              - {id: a, name: A, max: 1, formula: "1"}
        grades:
          - {grade: A}
        checks:
          - {id: c, when: "ok or not ok", message: "合规：{ok}；调查：{rows}"}
        """
    facts = {"ok": True, "rows": [{"n": 1}, {"n": 2}]}
    zh = make_rubric(text.replace("LANG", "language: zh")).evaluate(facts)
    en = make_rubric(text.replace("LANG", "language: en")).evaluate(facts)
    assert zh.warnings[0].message == "合规：是；调查：2 条"
    assert en.warnings[0].message == "合规：true；调查：2 records"
