"""Formula, records and scoring run-time messages said in Chinese, written out in full."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore import RubricError, ScoringError

D = Decimal
DATA = Path(__file__).parent / "data"
SHEET = perfscore.parse_rubric(
    (DATA / "sheet_rubric.yaml").read_text(encoding="utf-8"), name="sheet.yaml"
)


def sheet_facts(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "budget": D("7.29"),
        "spent": D("7.29"),
        "outputs": [
            {"name": "数量", "points": D(50), "direction": "=", "target": D(1), "actual": D(1)}
        ],
        "benefits": [{"name": "责停率", "points": D(30), "target": D(95), "actual": D(95)}],
        "satisfaction": [{"name": "满意度", "points": D(10), "target": D(95), "actual": D(76)}],
    }
    base.update(changes)
    return base


def first_line(text: str) -> str:
    return text.splitlines()[0]


def test_a_records_group_that_does_not_add_up_is_said_in_chinese() -> None:
    rows = [{"name": "责停率", "points": D(20), "target": D(95), "actual": D(95)}]
    with pytest.raises(ScoringError) as caught:
        SHEET.evaluate(sheet_facts(benefits=rows))
    error = caught.value
    assert error.render("en") == str(error)
    zh = error.render("zh")
    assert first_line(zh) == (
        "sheet.yaml:75:7: 指标组 'benefit': "
        "指标组 'benefit'（效益指标）的指标合计 20 分；本组合计应为 30 分 [group-sum]"
    )
    assert zh.splitlines()[-1] == (
        "    提示：请更正表中的分值，或声明 records.sum: rescale 或 warn"
    )


def test_a_record_id_that_is_not_an_id_is_said_in_chinese() -> None:
    rows = [
        {"code": "1.1", "name": "数量", "points": D(50), "direction": "=",
         "target": D(1), "actual": D(1)}
    ]  # fmt: skip
    with pytest.raises(perfscore.PerfscoreError) as caught:
        SHEET.evaluate(sheet_facts(outputs=rows))
    error = caught.value
    assert error.render("en") == str(error)
    zh = error.render("zh")
    assert "指标组 'output': 'outputs' 中第 1 条记录的编号为 '1.1'；记录编号须以字母开头，" in zh
    assert "且只含 ASCII 字母、数字和 '_' [invalid-id]" in zh
    assert zh.splitlines()[-1] == "    提示：例如 'r1_1'"


RECORDS_RUBRIC = """\
perfscore: 1
id: r
version: "1"
title: 记录组
language: zh
facts:
  rows:
    type: list
    label: 行
    fields:
      name: {type: text, label: 名称}
      points: {type: text, label: 分值}
      x: {type: number, label: 数}
groups:
  - id: g
    name: 组
    max: 10
    records:
      list: rows
      name: name
      max: points
      rules:
        a: {formula: "x"}
        b: {formula: "x"}
grades:
  - {grade: 优}
"""


def test_records_field_kinds_and_rules_are_said_in_chinese_at_compile_time() -> None:
    with pytest.raises(RubricError) as caught:
        perfscore.parse_rubric(RECORDS_RUBRIC, name="r.yaml")
    error = caught.value
    assert error.render("en") == str(error)
    zh = error.render("zh")
    assert (
        "指标组 'g': records.max 须指向 'rows' 中类型为 number、integer 或 percent 的字段，"
        "实际是 'points' [invalid-value]"
    ) in zh
    assert "指标组 'g': 未声明 records.select 时，只能有一条规则 [invalid-value]" in zh
    assert "records.max must name a number or integer or percent field of 'rows'" in str(error)


FORMULA_RUBRIC = """\
perfscore: 1
id: f
version: "1"
title: 公式
language: zh
facts:
  spent: {type: number, label: 执行数}
  budget: {type: number, label: 预算数}
groups:
  - id: g
    name: 组
    max: 10
    children:
      - {id: spend_rate, name: 执行率, max: 10, formula: FORMULA}
grades:
  - {grade: 优}
"""


def formula_rubric(formula: str) -> str:
    return FORMULA_RUBRIC.replace("FORMULA", formula)


def test_a_percent_sign_in_a_formula_is_explained_in_chinese() -> None:
    with pytest.raises(RubricError) as caught:
        perfscore.parse_rubric(formula_rubric('"spent >= 90%"'), name="f.yaml")
    error = caught.value
    assert error.render("en") == str(error)
    assert error.render("zh").splitlines() == [
        "f.yaml：评分规则中有 1 个问题",
        "  f.yaml:14:55: 指标 'spend_rate': 在公式中，数字后的 '%' 不是百分号 [formula-syntax]",
        "      公式: spent >= 90%",
        "      位置:            ^",
        "      提示：百分比事实本身已是百分数（95.87 即 95.87%）："
        "请写 'rate >= 90'，不要写 'rate >= 90%'",
    ]


def test_habits_from_other_languages_are_explained_in_chinese() -> None:
    with pytest.raises(RubricError) as caught:
        perfscore.parse_rubric(formula_rubric('"spent > 0 && budget > 0"'), name="f.yaml")
    zh = caught.value.render("zh").splitlines()
    assert zh[1].endswith("指标 'spend_rate': 公式语言中没有 '&&'（并且） [formula-syntax]")
    assert zh[-1] == "      提示：请写 'and'：'a > 0 and b > 0'"
    with pytest.raises(RubricError) as caught:
        perfscore.parse_rubric(formula_rubric('"spend(spent)"'), name="f.yaml")
    zh = caught.value.render("zh").splitlines()
    assert zh[1].endswith("指标 'spend_rate': 函数 'spend' 不可用 [unknown-function]")
    assert zh[-1].startswith("      提示：可用的函数：abs, all, any, ceil,")
    assert caught.value.render("en") == str(caught.value)
    with pytest.raises(RubricError) as caught:
        perfscore.parse_rubric(formula_rubric('"min(spent)"'), name="f.yaml")
    zh = caught.value.render("zh").splitlines()
    assert zh[1].endswith(
        "指标 'spend_rate': min() 需要至少 2 个参数，实际给了 1 个 [formula-arguments]"
    )
    assert zh[-1] == "      提示：用法：min(a, b, ...)"


def test_a_division_by_zero_at_scoring_is_said_in_chinese() -> None:
    rubric = perfscore.parse_rubric(formula_rubric('"spent / budget * 10"'), name="f.yaml")
    with pytest.raises(perfscore.PerfscoreError) as caught:
        rubric.evaluate({"spent": D(5), "budget": D(0)})
    error = caught.value
    assert error.code == "zero-division"
    assert error.render("en") == str(error)
    assert error.render("zh").splitlines() == [
        "f.yaml:14:55: 指标 'spend_rate': 公式除以零 [zero-division]",
        "    公式: spent / budget * 10",
        "    取值: spent=5, budget=0",
    ]


def test_a_zero_ratio_target_in_a_record_is_said_in_chinese_with_the_records_indicator() -> None:
    rows = [{"name": "责停率", "points": D(30), "target": D(0), "actual": D(95)}]
    with pytest.raises(perfscore.PerfscoreError) as caught:
        SHEET.evaluate(sheet_facts(benefits=rows))
    error = caught.value
    assert error.render("en") == str(error)
    assert error.render("zh").splitlines() == [
        "sheet.yaml:79:18: 指标 'benefit.1'（责停率）: 比率的目标值为零 [zero-division]",
        "    实际值: actual = 95",
        "    目标值: target = 0",
        "    提示：请为该指标声明 when_target_zero",
    ]


def test_an_assessed_score_outside_its_tier_is_said_in_chinese() -> None:
    rows = [
        {"name": "及时", "points": D(50), "direction": "qualitative", "level": "部分达成",
         "assessed": D(45)}
    ]  # fmt: skip
    with pytest.raises(perfscore.PerfscoreError) as caught:
        SHEET.evaluate(sheet_facts(outputs=rows))
    error = caught.value
    assert error.render("en") == str(error)
    assert error.render("zh").splitlines() == [
        "sheet.yaml:62:11: 指标 'output.1'（及时）: "
        "评定得分 45 不在档次 '部分达成' 允许的范围 [30, 40) 内 [tier-mismatch]",
        "    提示：档次 '部分达成' 为 50 分的 [60, 80) %，即 [30, 40)："
        "请给出该范围内的分数，或改填范围包含 45 的档次 '达成'",
    ]


_TYPED = """\
perfscore: 1
id: t
version: "1"
title: T
language: zh
facts:
  x: {type: number, label: X}
groups:
  - id: g
    name: G
    max: 10
    children:
      - id: a
        name: A
        max: 10
        formula: FORMULA
grades:
  - {grade: 差}
"""


@pytest.mark.parametrize(
    ("formula", "zh", "en"),
    [
        ("x > 1", "公式的结果是 布尔值，应为 数值", "formula gives bool, expected number"),
        (
            "3 if x else 3",
            "'if ... else' 的条件必须是布尔值，实际是 数值",
            "the condition of 'if ... else' must be bool, got number",
        ),
        ("x + (x > 1)", "不能把 数值 和 布尔值 相加", "cannot add number and bool"),
        ("-(x > 1)", "不能对 布尔值 使用 '-'", "cannot apply '-' to bool"),
        (
            "x if x > 1 else (x > 2)",
            "'if ... else' 的两个分支必须是同一类型，实际是 数值 和 布尔值",
            "both branches of 'if ... else' must have one type, got number and bool",
        ),
        ("not x", "'not' 需要布尔值，实际是 数值", "'not' needs a bool, got number"),
    ],
)
def test_the_kinds_a_formula_type_error_names_are_said_in_chinese(
    formula: str, zh: str, en: str
) -> None:
    # they were the English kind names (bool, number) in the Chinese sentence
    with pytest.raises(RubricError) as caught:
        perfscore.parse_rubric(_TYPED.replace("FORMULA", formula), name="r.yaml")
    (problem,) = caught.value.problems
    assert problem.render("zh").splitlines()[0] == f"r.yaml:16:18: 指标 'a': {zh} [formula-type]"
    assert problem.render("en").splitlines()[0] == (
        f"r.yaml:16:18: indicator 'a': {en} [formula-type]"
    )


def test_a_bound_names_its_limit_and_the_number_as_the_rubric_writes_it() -> None:
    # 'floor 须不小于 None' (the limit looked up under the wrong key) and Decimal('-0.5')
    method = "per_unit: {measure: x, points: POINTS, floor: FLOOR}"
    text = _TYPED.replace("formula: FORMULA", method)
    for points, floor, said in (
        ("-0.5", "0", "points 须大于 0，实际是 -0.5"),
        ("0.5", "-3", "floor 须不小于 0，实际是 -3"),
    ):
        with pytest.raises(RubricError) as caught:
            perfscore.parse_rubric(
                text.replace("POINTS", points).replace("FLOOR", floor), name="r.yaml"
            )
        (problem,) = caught.value.problems
        assert problem.render("zh").splitlines()[0].split(": ", 2)[2] == f"{said} [invalid-value]"
