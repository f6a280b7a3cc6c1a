"""The generated whole plan with traces on records exactly what the interpreter records.

With traces on, every scoring method, the finishing of a score (clamp, round, clamp) and an
``explain`` note are written out in the generated plan function (`run_plan_traced`), each event
built where the interpreter's recorder would build it. These tests compare the generated
function's `RunResult` with the interpreter's by ``repr``: every score, rule, input and event
(kind, running value, phrase, amount, rule and every argument) must be the same object text,
so a ``3.0`` where the interpreter has ``3``, or an argument out of order, fails. The ``ci``
profile runs a short sample; the long profile 10,000 examples.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import perfscore
from _differential import examples
from perfscore import PerfscoreError
from perfscore._engine._codegen import enabled
from perfscore._engine._run import RunResult, complete
from perfscore._engine._run import run as run_plan
from perfscore._numbers import CONTEXT
from perfscore.strategies import facts_for, rubrics
from test_codegen import _pair

pytestmark = pytest.mark.skipif(
    not enabled(), reason="PERFSCORE_CODEGEN=0: no generated function is installed at load"
)


def _traced(rubric: perfscore.Rubric, values: dict[str, object]) -> RunResult | None:
    """The generated traced plan's result, its records made (`complete`)."""
    generated = rubric.plan.fast["run_traced"]
    with decimal.localcontext(CONTEXT):
        result: RunResult | None = generated(values, False)
    return None if result is None else complete(result)


def _reference(rubric: perfscore.Rubric, values: dict[str, object]) -> RunResult | PerfscoreError:
    try:
        return run_plan(rubric.plan, values, trace=True)
    except PerfscoreError as exc:
        return exc


@st.composite
def _rubric_and_facts(draw: st.DrawFn) -> tuple[str, list[object]]:
    text = draw(rubrics())
    note(text)
    probe = perfscore.parse_rubric(text, name="<rubric>")
    # several fact sets a rubric: more of each method's branches per (costly) load
    return text, draw(st.lists(facts_for(probe), min_size=1, max_size=3))


@pytest.mark.properties
@examples(60)
@given(_rubric_and_facts())
def test_the_traced_plan_records_the_interpreters_events_exactly(
    case: tuple[str, list[object]],
) -> None:
    text, documents = case
    compiled, reference = _pair(text)
    for facts in documents:
        note(repr(facts))
        values = compiled.plan.validate(facts)  # type: ignore[arg-type]
        expected = _reference(reference, values)
        try:
            fast = _traced(compiled, values)
        except Exception:  # noqa: BLE001  # it may give up by raising, where the reference fails
            assert isinstance(expected, PerfscoreError)
            continue
        if fast is None:  # deferred: only on a failure, for documents without marks
            assert isinstance(expected, PerfscoreError)
            continue
        assert isinstance(expected, RunResult), expected
        assert repr(fast) == repr(expected)


#: One indicator of every method, with the branches each can take: open and closed band ends,
#: a labelled band, a band scored by a formula, `otherwise`; tiers by an assessed score and by
#: a default; per-unit deductions by started units down to a floor; a ratio of bare names
#: (shown with their labels) with a zero-target rule and one of expressions; checklist items of
#: constant and computed points down to a floor; rounding, clamps both ways and ``explain``.
EVERY_METHOD = """\
perfscore: 1
id: every-method
version: "1"
title: 每种方法
rounding: {step: 0.5, mode: half_up}
facts:
  x: {type: number, label: 测量值}
  spent: {type: number, label: 决算数, min: 0}
  budget: {type: number, label: 预算数, min: 0}
  level: {type: enum, label: 程度, values: [high, mid, low]}
  judged: {type: number, label: 评定得分, required: false}
  late: {type: integer, label: 逾期天数, min: 0}
  flag: {type: boolean, label: 是否}
groups:
  - id: g
    name: 全部
    max: 65
    children:
      - id: f1
        name: 公式
        max: 10
        formula: "x * 2"
        explain: "得 {score} / {full}，x = {x}"
      - id: f2
        name: 常量
        max: 5
        formula: "4.2"
        not_applicable: full
      - id: b1
        name: 分档
        max: 10
        rounding: none
        bands:
          measure: x
          table:
            - {range: "(-inf, 0)", score: 0}
            - {range: "[0, 3]", score: 4, label: 低}
            - {range: "(3, 6)", score: "x + 1"}
            - {range: "[6, 9)", score: 12}
          otherwise: 10
      - id: t1
        name: 分级
        max: 10
        tiers:
          level: level
          score: judged
          table:
            - {level: high, label: 好, range: "[80, 100]", default: 100}
            - {level: mid, range: "[50, 80)", default: 60}
            - {level: low, range: "[0, 50)"}
      - id: p1
        name: 逾期
        max: 5
        per_unit:
          measure: late
          unit: 2
          points: 1.5
          partial: started
          floor: 1
          reason: "逾期 {late} 天，{units} 个单位，扣 {deduction}"
      - id: r1
        name: 执行率
        max: 10
        ratio: {actual: spent, target: budget, when_target_zero: 2}
      - id: r2
        name: 比例
        max: 5
        ratio: {actual: "spent * 2", target: "budget + 1"}
      - id: c1
        name: 扣分
        max: 10
        checklist:
          floor: 0.5
          items:
            - {id: flagged, when: flag, points: 7, reason: 有标记}
            - {id: over, when: "x > 5", points: "x - 3", reason: "x 为 {x}"}
grades:
  - {grade: 优, min: 50}
  - {grade: 差}
"""

_BASE: dict[str, Any] = {
    "x": 2.2, "spent": 8, "budget": 10, "level": "high", "late": 0, "flag": False,
}  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "fired"),
    [
        # x·2 = 4.4 rounds to 4.5; a labelled closed band; a tier's default; a ratio
        ({}, {"f1": ("formula", "round"), "b1": ("band[1]",), "t1": ("tier:high",)}),
        # below everything: x·2 clamps up to 0, the open band below 0, a zero target's score
        (
            {"x": -1, "spent": 0, "budget": 0},
            {"f1": ("formula", "clamp"), "b1": ("band[0]",), "r1": ("target_zero",)},
        ),
        # a band scored by a formula; an assessed score in the tier (rounded); a deduction
        # by started units down to the floor; a flagged item
        (
            {"x": 4, "level": "mid", "judged": 6.3, "late": 5, "flag": True},
            {
                "b1": ("band[2]",),
                "t1": ("tier:mid", "round"),
                "p1": ("deduction", "floor"),
                "c1": ("item:flagged",),
            },
        ),
        # a band above the max clamps; both items, down to the floor; a ratio past the max
        (
            {"x": 7, "flag": True, "late": 1},
            {
                "f1": ("formula", "clamp"),
                "b1": ("band[3]", "clamp"),
                "c1": ("item:flagged", "item:over", "floor"),
                "p1": ("deduction",),
                "r2": ("ratio", "clamp"),
            },
        ),
        # past every band: otherwise
        ({"x": 20}, {"b1": ("otherwise",), "c1": ("item:over", "floor")}),
        # an assessed score rounded up to the open end of its tier's range
        ({"level": "low", "judged": 4.9}, {"t1": ("tier:low", "round")}),
    ],
)
def test_every_method_and_branch_is_written_out_with_traces_on(
    facts: dict[str, Any], fired: dict[str, tuple[str, ...]]
) -> None:
    compiled, reference = _pair(EVERY_METHOD)
    document = {k: Decimal(str(v)) if isinstance(v, float) else v for k, v in _BASE.items()}
    document.update((k, Decimal(str(v)) if isinstance(v, float) else v) for k, v in facts.items())
    values = compiled.plan.validate(document)
    assert "RUN_" not in compiled.plan.generated.split("def run_plan_traced")[1]  # all written out
    fast = _traced(compiled, values)
    assert fast is not None  # the generated function scored it
    expected = run_plan(reference.plan, values, trace=True)
    assert repr(fast) == repr(expected)
    for leaf_id, rules in fired.items():
        assert fast.leaves[leaf_id].rules == rules, leaf_id
    assert all(leaf.events for leaf in fast.indicators)
    card = compiled.evaluate(document)
    assert card.to_json() == reference.evaluate(document).to_json()
    # not applicable: the interpreter scores it, the same either way
    marked = compiled.evaluate(document, not_applicable=("f2",))
    assert marked.to_json() == reference.evaluate(document, not_applicable=("f2",)).to_json()


FAILS = """\
perfscore: 1
id: fails
version: "1"
title: 失败
facts:
  x: {type: number, label: 测量值}
  n: {type: number, label: 扣分数}
  level: {type: enum, label: 程度, values: [a, b]}
  judged: {type: number, label: 评定得分, required: false}
groups:
  - id: g
    name: 全部
    max: 40
    children:
      - id: b
        name: 分档
        max: 10
        bands:
          measure: x
          table:
            - {range: "[0, 1]", score: 10}
            - {range: "(2, 3]", score: 5}
      - id: r
        name: 比率
        max: 10
        ratio: {actual: "x", target: "x - 1"}
      - id: c
        name: 扣分
        max: 10
        checklist:
          items:
            - {id: neg, when: "n != 0", points: "n", reason: 扣分}
      - id: t
        name: 分级
        max: 10
        tiers:
          level: level
          score: judged
          table:
            - {level: a, range: "[50, 100]", default: 80}
            - {level: b, range: "[0, 50)"}
grades:
  - {grade: 优, min: 30}
  - {grade: 差}
"""


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        ({"x": Decimal("1.5")}, "no-band"),  # in the gap between the bands, no otherwise
        ({"x": Decimal(1)}, "zero-division"),  # a zero target without its rule
        ({"n": Decimal(-2)}, "invalid-operation"),  # a negative deduction
        ({"judged": Decimal(3)}, "tier-mismatch"),  # an assessed score outside its tier
        ({"level": "b"}, "missing-fact"),  # a tier without a default needs a score
    ],
)
def test_a_failure_defers_to_the_interpreter_with_traces_on(
    facts: dict[str, object], code: str
) -> None:
    compiled, reference = _pair(FAILS)
    document = {"x": Decimal("0.5"), "n": Decimal(0), "level": "a", **facts}
    values = compiled.plan.validate(document)
    assert _traced(compiled, values) is None  # the interpreter decides
    with pytest.raises(PerfscoreError) as caught:
        compiled.evaluate(document, trace=True)
    assert caught.value.problems[0].code == code
    with pytest.raises(PerfscoreError) as again:
        reference.evaluate(document, trace=True)
    assert str(caught.value) == str(again.value)
    fine = compiled.plan.validate({"x": Decimal("0.5"), "n": Decimal(0), "level": "a"})
    scored = _traced(compiled, fine)
    assert scored is not None
    assert repr(scored) == repr(run_plan(reference.plan, fine, trace=True))
