"""Every limit and edge tested exactly at the edge and one step past it, not from far away.

Also the behaviours the property tests reach only at some seeds (the total floor, bonus caps,
records groups' empty-sheet and sum rules), each with one deterministic case.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import perfscore
from perfscore import Claims, RubricError
from perfscore._lang._expr import MAX_NODES, compile_formula
from perfscore._load._facts import MAX_MAGNITUDE

D = Decimal

# --------------------------------------------------------------------------- formula size


def _max_call(nodes: int) -> str:
    """``max(1, 1, ...)`` of exactly `nodes` parts: the call, the name ``max``, its arguments."""
    return "max(" + ", ".join(["1"] * (nodes - 2)) + ")"


def test_a_formula_of_exactly_max_nodes_parts_is_accepted() -> None:
    assert compile_formula(_max_call(MAX_NODES), names={}) is not None


def test_a_formula_one_part_over_max_nodes_is_refused() -> None:
    with pytest.raises(RubricError) as info:
        compile_formula(_max_call(MAX_NODES + 1), names={})
    assert [p.code for p in info.value.problems] == ["formula-too-complex"]
    assert f"more than {MAX_NODES} parts" in info.value.problems[0].message


# --------------------------------------------------------------------------- one rubric, many edges

RUBRIC = """\
perfscore: 1
id: edges
version: "1"
title: t
facts:
  x: {type: number, label: x}
  n: {type: number, label: n, min: 0}
  p: {type: boolean, label: p}
groups:
  - id: g
    name: g
    max: 30
    children:
      - {id: same, name: same, max: 10, formula: "clamp(x, 5, 5)"}
      - id: whole
        name: whole
        max: 10
        per_unit: {measure: n, unit: 1, points: 1, partial: whole, floor: 2}
      - id: cl
        name: cl
        max: 10
        checklist:
          floor: 4
          items:
            - {id: a, when: p, points: 3, reason: a}
            - {id: b, when: p, points: 3, reason: b}
            - {id: c, when: n > 100, points: 1, reason: c}
grades:
  - {grade: A}
"""


@pytest.fixture(scope="module")
def rubric() -> perfscore.Rubric:
    return perfscore.parse_rubric(RUBRIC, name="edges.yaml")


@pytest.mark.parametrize("x", [D(-100), D(0), D("4.99"), D(5), D("5.01"), D(100)])
def test_clamp_to_a_single_point_gives_that_point(rubric: perfscore.Rubric, x: Decimal) -> None:
    card = rubric.evaluate({"x": x, "n": 0, "p": False})
    assert card.indicator("same").score == 5


@pytest.mark.parametrize(
    ("n", "score"),
    [
        # partial: whole counts complete units only: 10 - floor(n) x 1, not below the floor 2
        (D("0.5"), D(10)),
        (D("1.5"), D(9)),
        (D("2.5"), D(8)),
        (D(3), D(7)),
        (D("7.5"), D(3)),
        (D(8), D(2)),  # exactly on the floor
        (D("8.5"), D(2)),  # whole: 8 units, exactly on the floor again
    ],
)
def test_per_unit_whole_at_half_units(rubric: perfscore.Rubric, n: Decimal, score: Decimal) -> None:
    card = rubric.evaluate({"x": 0, "n": n, "p": False})
    assert card.indicator("whole").score == score


def _kinds(card: perfscore.Scorecard, indicator: str) -> list[tuple[str, str | None]]:
    trace = card.indicator(indicator).trace
    assert trace is not None
    return [(s.kind, s.rule) for s in trace.steps]


def test_a_deduction_landing_exactly_on_the_floor_is_no_floor_stop(
    rubric: perfscore.Rubric,
) -> None:
    # rule coverage (perfscore test) counts the rules in the trace: a floor not traced here is
    # a floor not counted as fired
    card = rubric.evaluate({"x": 0, "n": 8, "p": True})
    # per_unit: 10 - 8 = 2, the floor; checklist: 10 - 3 - 3 = 4, the floor: both exactly
    assert card.indicator("whole").score == 2
    assert _kinds(card, "whole") == [("start", None), ("deduction", "deduction")]
    assert card.indicator("cl").score == 4  # the items exactly fill max minus floor
    assert _kinds(card, "cl") == [("start", None), ("deduction", "item:a"), ("deduction", "item:b")]


def test_one_unit_past_the_floor_is_a_floor_stop(rubric: perfscore.Rubric) -> None:
    card = rubric.evaluate({"x": 0, "n": 101, "p": True})
    assert card.indicator("whole").score == 2
    assert _kinds(card, "whole")[-1] == ("floor", "floor")
    assert card.indicator("cl").score == 4  # 10 - 3 - 3 - 1 = 3, below the floor 4
    assert _kinds(card, "cl")[-1] == ("floor", "floor")


# --------------------------------------------------------------------------- fact magnitude


@pytest.mark.parametrize("sign", [D(1), D(-1)])
def test_a_number_of_exactly_the_magnitude_limit_is_accepted(
    rubric: perfscore.Rubric, sign: Decimal
) -> None:
    card = rubric.evaluate({"x": sign * MAX_MAGNITUDE, "n": 0, "p": False})
    assert card.indicator("same").score == 5
    assert D("1e15") == MAX_MAGNITUDE


@pytest.mark.parametrize("past", [D("1e15") + D("0.0001"), -(D("1e15") + D(1))])
def test_a_number_just_past_the_magnitude_limit_is_refused(
    rubric: perfscore.Rubric, past: Decimal
) -> None:
    with pytest.raises(perfscore.FactsError) as info:
        rubric.evaluate({"x": past, "n": 0, "p": False})
    assert [p.code for p in info.value.problems] == ["out-of-bounds"]


# --------------------------------------------------------------------------- implied claims

REVIEWED = """\
perfscore: 1
id: rv
version: "1"
title: T
facts:
  x: {type: number, label: X}
groups:
  - id: g
    name: 组
    max: 100
    children:
      - {id: a, name: 甲, max: 60, formula: x}
      - {id: b, name: 乙, max: 40, formula: "40"}
grades:
  - {grade: 优}
"""


@pytest.mark.parametrize(
    ("total", "code"),
    [
        # a = 55 claimed, b missing: the total implies b = total - 55, which must lie in [0, 40]
        (D(55), "implied-score"),  # exactly its minimum, 0
        (D(95), "implied-score"),  # exactly its maximum, 40
        (D("54.99"), "implied-score-out-of-range"),
        (D("95.01"), "implied-score-out-of-range"),
    ],
)
def test_an_implied_claim_at_and_just_past_its_range(total: Decimal, code: str) -> None:
    rubric = perfscore.parse_rubric(REVIEWED, name="rv.yaml")
    card = rubric.evaluate({"x": 55}, claims=Claims({"a": D(55)}, total, None))
    assert card.review is not None
    assert card.review.implied == {"b": total - 55}
    assert code in [f.code for f in card.review.findings]


# --------------------------------------------------------------------------- totals and bonus

TOTALS = """\
perfscore: 1
id: tot
version: "1"
title: T
facts:
  x: {type: number, label: X}
  b: {type: number, label: B}
groups:
  - id: g
    name: g
    max: 10
    children:
      - {id: a, name: a, max: 10, formula: x}
bonus:
  - {id: plus, name: plus, min: -5, max: 3, formula: b}
total: {cap: 12, floor: 1}
grades:
  - {grade: A, min: 10}
  - {grade: B}
"""


@pytest.mark.parametrize(
    ("x", "b", "bonus", "total"),
    [
        (0, -100, D(-5), D(1)),  # bonus at its min; 0 - 5 = -5, stopped by the floor 1
        (0, 1, D(1), D(1)),  # 0 + 1 = 1: exactly the floor
        (D("0.5"), 0, D(0), D(1)),  # 0.5, just under the floor
        (10, 100, D(3), D(12)),  # bonus at its max; 10 + 3 = 13, cut to the cap 12
        (9, 3, D(3), D(12)),  # exactly the cap
        (5, D("-5.5"), D(-5), D(1)),  # bonus just past its min
        (5, D("3.5"), D(3), D("8")),  # bonus just past its max
    ],
)
def test_bonus_caps_and_the_total_floor(
    x: int | Decimal, b: int | Decimal, bonus: Decimal, total: Decimal
) -> None:
    rubric = perfscore.parse_rubric(TOTALS, name="tot.yaml")
    card = rubric.evaluate({"x": x, "b": b})
    assert card.indicator("plus").score == bonus
    assert card.total == total
    assert card.grade == ("A" if total >= 10 else "B")


# --------------------------------------------------------------------------- records groups

SHEETS = """\
perfscore: 1
id: sheets
version: "1"
title: T
facts:
  rows:
    type: list
    label: rows
    fields:
      nm: {type: text, label: n}
      pts: {type: number, label: p}
  extra:
    type: list
    label: extra
    fields:
      nm: {type: text, label: n}
      pts: {type: number, label: p}
groups:
  - id: main
    name: main
    max: 30
    records: {list: rows, name: nm, max: pts, sum: SUM, rules: {default: {formula: full}}}
  - id: more
    name: more
    max: 10
    records:
      list: extra
      name: nm
      max: pts
      when_empty: {give_to: main}
      rules: {default: {formula: full}}
grades:
  - {grade: A}
"""


def _sheets(sum_policy: str) -> perfscore.Rubric:
    return perfscore.parse_rubric(SHEETS.replace("SUM", sum_policy), name="sheets.yaml")


def _row(name: str, points: int) -> dict[str, object]:
    return {"nm": name, "pts": D(points)}


def test_an_empty_sheet_gives_its_points_to_the_named_group() -> None:
    card = _sheets("error").evaluate({"rows": [_row("a", 25), _row("b", 15)], "extra": []})
    # more is empty: its 10 go to main, whose rows must now carry 30 + 10 = 40 (they do)
    groups = {g.id: g for g in card.groups}
    assert (groups["main"].max, groups["main"].score) == (D(40), D(40))
    assert (groups["more"].max, groups["more"].score) == (D(0), D(0))
    assert card.total == 40
    with pytest.raises(perfscore.ScoringError) as info:  # 30 is what main alone would carry
        _sheets("error").evaluate({"rows": [_row("a", 30)], "extra": []})
    assert info.value.code == "group-sum"


def test_sum_warn_keeps_the_sheets_points_and_warns() -> None:
    card = _sheets("warn").evaluate({"rows": [_row("a", 20)], "extra": [_row("c", 10)]})
    assert card.indicator("main.1").max == 20  # as printed on the sheet, not rescaled to 30
    assert [w.check for w in card.warnings] == ["main_sum"]
    exact = _sheets("warn").evaluate({"rows": [_row("a", 30)], "extra": [_row("c", 10)]})
    assert exact.warnings == ()


def test_sum_rescale_scales_each_row_to_the_group() -> None:
    card = _sheets("rescale").evaluate(
        {"rows": [_row("a", 5), _row("b", 15)], "extra": [_row("c", 10)]}
    )
    assert [card.indicator(i).max for i in ("main.1", "main.2")] == [D("7.5"), D("22.5")]
    assert sum(i.score for i in card.indicators if i.group == "main") == 30
