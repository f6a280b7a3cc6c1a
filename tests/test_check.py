"""`perfscore check`: static findings on purpose-built faulty rubrics, and the command's output."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import cli, load_rubric, parse_rubric
from perfscore._errors import CODES
from perfscore._tools._check import FINDINGS, Finding, check_rubric

#: the `run` fixture (conftest.py): the command in-process -> (exit code, stdout, stderr)
Run = Callable[..., tuple[int, str, str]]

FAULTY = textwrap.dedent(
    """\
    perfscore: 1
    id: faulty
    version: "1"
    title: 有问题的评分办法
    facts:
      rate: {type: percent, label: 满意度}
      problems: {type: integer, label: 问题数, min: 0, max: 5}
      budget: {type: number, label: 预算数, min: 0}
      spent: {type: number, label: 支出数, min: 0}
      spare: {type: number, label: 备用}
    derived:
      spend_rate: {formula: spent / budget * 100, label: 支出率}
      guarded: {formula: "spent / budget * 100 if budget > 0 else 0", label: 有保护的支出率}
      leftover: {formula: budget - spent, label: 结余}
    groups:
      - id: g
        name: 组
        max: 30
        children:
          - id: gap
            name: 缺口
            max: 4
            bands:
              measure: rate
              table:
                - {range: "[90, inf)", score: 4}
                - {range: "[60, 85)", score: 3}
                - {range: "[0, 60)", score: 0}
          - id: overlap
            name: 重叠
            max: 4
            bands:
              measure: rate
              table:
                - {range: "[90, 100]", score: 4}
                - {range: "[80, 95)", score: 3}
                - {range: "[0, 80)", score: 0}
          - id: shadow
            name: 遮蔽
            max: 4
            bands:
              measure: rate
              table:
                - {range: "[80, 100]", score: 4}
                - {range: "[85, 90)", score: 3}
                - {range: "[0, 80)", score: 0}
                - {range: "(100, inf)", score: 1}
          - id: deductions
            name: 扣分
            max: 4
            checklist:
              items:
                - {id: many, when: problems > 10, points: 1, reason: 问题过多}
                - {id: each, when: problems > 0, points: problems, reason: "{problems}个问题"}
          - id: spending
            name: 支出
            max: 6
            formula: min(spend_rate, 100) * 6 / 100
          - id: guarded_spend
            name: 有保护的支出
            max: 4
            formula: guarded * 4 / 100
          - id: backwards
            name: 反向扣分
            max: 4
            per_unit: {measure: rate - 100, points: 0.1}
    grades:
      - {grade: 优, min: 27}
      - {grade: 良, min: 24}
      - {grade: 差}
    """
)

# Worked out by hand from FAULTY (line, column, severity, code, subject, message):
EXPECTED = [
    (10, 3, "warning", "unused-fact", "fact 'spare'", "no indicator, check or template reads it"),
    (
        12,
        25,
        "warning",
        "possible-zero-division",
        "derived value 'spend_rate'",
        "'spent / budget' divides by 'budget', which may be 0 (it lies in [0, inf))",
    ),
    (
        14,
        3,
        "warning",
        "unused-derived",
        "derived value 'leftover'",
        "no indicator, check or template reads it",
    ),
    # [90, inf) + [60, 85) + [0, 60) over a percent in [0, 100] leave [85, 90) uncovered
    (25, 11, "warning", "band-gap", "indicator 'gap'", "values in [85, 90) fall in no band"),
    (
        36,
        23,
        "warning",
        "band-overlap",
        "indicator 'overlap'",
        "band[1] [80, 95) overlaps band[0] [90, 100]: values in [90, 95) score by band[0] "
        "(the first matching band wins)",
    ),
    (
        45,
        23,
        "error",
        "band-shadowed",
        "indicator 'shadow'",
        "band[1] [85, 90) can never match: band[0] covers all its values "
        "(the first matching band wins)",
    ),
    (
        47,
        23,
        "warning",
        "band-unreachable",
        "indicator 'shadow'",
        "band[3] (100, inf) can never match: the measure 'rate' lies in [0, 100]",
    ),
    # 'many' never applies; 'each' deducts up to problems = 5 > 4 - 0
    (
        51,
        9,
        "note",
        "checklist-exceeds-max",
        "indicator 'deductions'",
        "items can deduct up to 5 in total, more than the 4 points between max 4 and floor 0; "
        "the floor stops the deduction (扣完为止)",
    ),
    (
        53,
        32,
        "warning",
        "never-applies",
        "indicator 'deductions', item 'many'",
        "'problems > 10' can never be true (problems lies in [0, 5]), so the item never deducts",
    ),
    (
        66,
        29,
        "warning",
        "per-unit-never-deducts",
        "indicator 'backwards'",
        "the measure 'rate - 100' lies in [-100, 0]: it is never above 0, "
        "so the deduction never applies",
    ),
]


def findings(text: str, name: str = "r.yaml") -> list[tuple[str, str | None, str]]:
    """(code, subject, message) of every finding on an inline rubric."""
    rubric = parse_rubric(textwrap.dedent(text), name=name)
    return [(f.code, f.subject, f.message) for f in check_rubric(rubric)]


def one_indicator(method: str, facts: str, derived: str = "", top: int = 4) -> str:
    """A rubric with one indicator (`method` is its one-line YAML) in one group."""
    return f"""\
perfscore: 1
id: t
version: "1"
title: t
facts: {{{facts}}}
derived: {{{derived}}}
groups:
  - id: g
    name: g
    max: {top}
    children:
      - id: x
        name: x
        max: {top}
        {method}
grades:
  - {{grade: 差}}
"""


def test_every_fault_of_the_faulty_rubric_is_found_at_its_place() -> None:
    rubric = parse_rubric(FAULTY, name="faulty.yaml")
    got = [
        (f.location.line, f.location.column, f.severity, f.code, f.subject, f.message)
        for f in check_rubric(rubric)
    ]
    assert got == EXPECTED
    assert all(f.location.file == "faulty.yaml" for f in check_rubric(rubric))


def test_the_guarded_division_and_the_used_derived_values_are_not_reported() -> None:
    subjects = {f.subject for f in check_rubric(parse_rubric(FAULTY, name="faulty.yaml"))}
    assert "derived value 'guarded'" not in subjects
    assert "indicator 'guarded_spend'" not in subjects
    assert "derived value 'spend_rate'" in subjects  # its division, not its use


def test_every_finding_code_is_registered_and_documented() -> None:
    assert set(FINDINGS) <= set(CODES)
    assert set(FINDINGS.values()) == {"error", "warning", "note"}
    assert FINDINGS["unused-optional-fact"] == "note"
    text = (Path(__file__).resolve().parents[1] / "docs" / "errors.md").read_text("utf-8")
    part = text.split("## Check findings", 1)[1]
    for code in FINDINGS:
        assert f"\n### {code}\n" in part


@pytest.mark.parametrize(
    "formula",
    [
        "a / b if b > 0 else 0",
        "a / b if b != 0 else 0",
        "a / b if b >= 1 else 0",
        "0 if b == 0 else a / b",
        "a / b if not (b <= 0) else 0",
        "a / b if b > 0 and a > 0 else 0",
        "a / max(b, 1)",
        "a / (b + 1)",
        "(a / b > 1) if b > 0 else False",
    ],
)
def test_a_guarded_division_is_not_reported(formula: str) -> None:
    text = one_indicator(
        "formula: min(d, 4)" if "False" not in formula else "formula: 4 if d else 0",
        "a: {type: number, label: a, min: 0}, b: {type: number, label: b, min: 0}",
        f'd: {{formula: "{formula}", label: d}}',
    )
    assert findings(text) == []


@pytest.mark.parametrize(
    ("formula", "divisor", "span"),
    [
        ("a / b", "b", "[0, inf)"),
        ("a / b if b >= 0 else 0", "b", "[0, inf)"),
        ("a / (b - 1)", "b - 1", "[-1, inf)"),
        ("a / b if a > 0 else 0", "b", "[0, inf)"),
    ],
)
def test_an_unguarded_division_names_the_divisor_and_its_range(
    formula: str, divisor: str, span: str
) -> None:
    text = one_indicator(
        "formula: min(d, 4)",
        "a: {type: number, label: a, min: 0}, b: {type: number, label: b, min: 0}",
        f'd: {{formula: "{formula}", label: d}}',
    )
    division = f"a / {divisor}" if " " not in divisor else f"a / ({divisor})"
    assert findings(text) == [
        (
            "possible-zero-division",
            "derived value 'd'",
            f"'{division}' divides by '{divisor}', which may be 0 (it lies in {span})",
        )
    ]


def test_a_ratio_target_that_may_be_zero_needs_when_target_zero() -> None:
    facts = (
        "done: {type: integer, label: 完成, min: 0}, planned: {type: integer, label: 计划, min: 0}"
    )
    bare = one_indicator("ratio: {actual: done, target: planned}", facts)
    assert findings(bare) == [
        (
            "possible-zero-division",
            "indicator 'x'",
            "ratio target 'planned' may be 0 (it lies in [0, inf)) and there is no "
            "when_target_zero",
        )
    ]
    declared = one_indicator("ratio: {actual: done, target: planned, when_target_zero: 4}", facts)
    assert findings(declared) == []


def test_a_mean_of_a_list_that_may_be_empty_is_reported_unless_guarded() -> None:
    facts = (
        "s: {type: list, label: s, fields: {r: {type: percent, label: r}, "
        "n: {type: integer, label: n, min: 1}}}"
    )
    bare = one_indicator("formula: 4 * mean(s, r) / 100", facts)
    assert findings(bare) == [
        (
            "possible-empty-list",
            "indicator 'x'",
            "'mean(s, r)' fails when list 's' has no records",
        )
    ]
    guarded = one_indicator(
        'formula: "4 * weighted_mean(s, r, n) / 100 if count(s) > 0 else 0"', facts
    )
    assert findings(guarded) == []


def test_facts_read_only_by_unused_derived_values_are_unused_too() -> None:
    facts = (
        "rate: {type: percent, label: r}, a: {type: number, label: a}, "
        "name: {type: text, label: 名称, required: false}"
    )
    text = one_indicator(
        "per_unit: {measure: 100 - rate, points: 0.1}",
        facts,
        "twice: {formula: 2 * a, label: t}, more: {formula: twice + 1, label: m}",
    )
    assert findings(text) == [
        (
            "unused-fact",
            "fact 'a'",
            "no indicator, check or template reads it (only the unused derived value 'twice' does)",
        ),
        ("unused-optional-fact", "fact 'name'", "no indicator, check or template reads it"),
        (
            "unused-derived",
            "derived value 'twice'",
            "no indicator, check or template reads it (only the unused derived value 'more' does)",
        ),
        ("unused-derived", "derived value 'more'", "no indicator, check or template reads it"),
    ]


def test_integer_measures_have_no_gaps_between_integers() -> None:
    facts = "p: {type: integer, label: p, min: 0, max: 9}"
    table = (
        '{range: "[0, 0]", score: 4}, {range: "[1, 3]", score: 2}, {range: "[4, inf)", score: 0}'
    )
    assert findings(one_indicator(f"bands: {{measure: p, table: [{table}]}}", facts)) == []
    holes = (
        '{range: "[0, 0]", score: 4}, {range: "[2, 3]", score: 2}, {range: "(5, inf)", score: 0}'
    )
    assert findings(one_indicator(f"bands: {{measure: p, table: [{holes}]}}", facts)) == [
        ("band-gap", "indicator 'x'", "values in {1} and [4, 5] fall in no band")
    ]


def test_a_gap_between_two_bands_is_a_warning_even_when_otherwise_catches_it() -> None:
    # [60, 89) then [90, 100]: 89.5 scored 'otherwise' (0) with nothing said
    facts = "rate: {type: percent, label: r}"
    table = '{range: "[90, 100]", score: 4}, {range: "[60, 89)", score: 2}'
    text = one_indicator(f"bands: {{measure: rate, table: [{table}], otherwise: 0}}", facts)
    assert findings(text) == [
        ("band-gap", "indicator 'x'", "values in [89, 90) fall between bands and score 'otherwise'")
    ]
    # the ends 'otherwise' catches are what it is for: [0, 60) is no finding
    table = '{range: "[90, 100]", score: 4}, {range: "[60, 90)", score: 2}'
    text = one_indicator(f"bands: {{measure: rate, table: [{table}], otherwise: 0}}", facts)
    assert findings(text) == []


def test_a_band_scoring_above_the_indicators_max_is_a_warning() -> None:
    # a percent of the points written as the points: every document in the band gets the max
    facts = "rate: {type: percent, label: r}"
    table = '{range: "[90, 100]", score: 4}, {range: "[0, 90)", score: 60}'
    assert findings(one_indicator(f"bands: {{measure: rate, table: [{table}]}}", facts)) == [
        (
            "band-above-max",
            "indicator 'x'",
            "band[1] scores 60, above the indicator's max 4: the band scores 4",
        )
    ]
    text = one_indicator(f"bands: {{measure: rate, table: [{table}]}}", facts)
    (finding,) = check_rubric(parse_rubric(text, name="r.yaml"))
    assert finding.severity == "warning"
    line = text.splitlines()[14]  # at the band's score
    assert finding.render("zh").splitlines() == [
        f"r.yaml:15:{line.index('score: 60') + 8}: 警告: 指标 'x': band[1] 的分数 60 超过指标分值 "
        "4：这一档实际得 4 分 [band-above-max]",
        "    提示：各档的分数是本指标的分数，最多 4 分；按分值的百分比计分请写成公式（0.6 * 4）",
    ]
    # a score that only may exceed the max (a formula of the measure) is ordinary clamping
    table = '{range: "[90, 100]", score: rate / 24}, {range: "[0, 90)", score: 0}'  # [3.75, 4.17]
    assert findings(one_indicator(f"bands: {{measure: rate, table: [{table}]}}", facts)) == []


def test_a_single_missing_value_is_named() -> None:
    facts = "p: {type: integer, label: p, min: 0, max: 9}"
    table = '{range: "[0, 0]", score: 4}, {range: "[2, inf)", score: 0}'
    assert findings(one_indicator(f"bands: {{measure: p, table: [{table}]}}", facts)) == [
        ("band-gap", "indicator 'x'", "the value 1 falls in no band")
    ]


def test_the_measure_range_follows_the_formula() -> None:
    # 100 * spent / budget with budget >= 1, spent in [0, 50]: [0, 5000]; the table ends at 100
    facts = (
        "spent: {type: number, label: s, min: 0, max: 50}, budget: {type: number, label: b, min: 1}"
    )
    table = '{range: "[90, 100]", score: 4}, {range: "[0, 90)", score: 0}'
    text = one_indicator(f"bands: {{measure: 100 * spent / budget, table: [{table}]}}", facts)
    assert findings(text) == [
        ("band-gap", "indicator 'x'", "values in (100, 5000] fall in no band")
    ]


def test_an_otherwise_that_can_never_apply_is_a_note() -> None:
    facts = "rate: {type: percent, label: r}"
    table = '{range: "[60, inf)", score: 4}, {range: "(-inf, 60)", score: 0}'
    text = one_indicator(f"bands: {{measure: rate, table: [{table}], otherwise: 1}}", facts)
    assert findings(text) == [
        (
            "otherwise-unreachable",
            "indicator 'x'",
            "'otherwise' can never apply: the bands cover every value of the measure 'rate' "
            "([0, 100])",
        )
    ]


def test_a_condition_false_for_every_percent_never_applies() -> None:
    facts = "rate: {type: percent, label: r}"
    items = "{id: neg, when: rate < 0, points: 1, reason: r}"
    text = one_indicator(f"checklist: {{items: [{items}]}}", facts)
    assert findings(text) == [
        (
            "never-applies",
            "indicator 'x', item 'neg'",
            "'rate < 0' can never be true (rate lies in [0, 100]), so the item never deducts",
        )
    ]


def test_a_whole_unit_deduction_that_never_reaches_one_unit() -> None:
    facts = "rate: {type: percent, label: r, min: 96}"
    text = one_indicator(
        "per_unit: {measure: 100 - rate, unit: 5, points: 2, partial: whole}", facts
    )
    assert findings(text) == [
        (
            "per-unit-never-deducts",
            "indicator 'x'",
            "the measure '100 - rate' lies in [0, 4]: it never reaches one unit (5), "
            "so the deduction never applies",
        )
    ]


def test_a_grade_above_every_reachable_total_is_a_note() -> None:
    text = one_indicator("formula: rate / 10", "rate: {type: percent, label: r}", top=4)
    text = text.replace("  - {grade: 差}", "  - {grade: 优, min: 90}\n  - {grade: 差}")
    assert findings(text) == [
        (
            "unreachable-grade",
            "grades",
            "no total can get grade '优', which needs a total in [90, inf): totals lie in [0, 4]",
        )
    ]


def test_a_clean_rubric_has_no_findings() -> None:
    facts = "rate: {type: percent, label: r}"
    assert findings(one_indicator("per_unit: {measure: 100 - rate, points: 0.1}", facts)) == []


def test_a_finding_renders_like_every_perfscore_message() -> None:
    finding = check_rubric(parse_rubric(FAULTY, name="faulty.yaml"))[3]
    assert isinstance(finding, Finding)
    assert finding.render() == (
        "faulty.yaml:25:11: warning: indicator 'gap': values in [85, 90) fall in no band "
        "[band-gap]\n"
        "    hint: the measure 'rate' lies in [0, 100]; add a band for these values or an "
        "'otherwise' score (without one such a value stops scoring: no-band)"
    )


# --- the command -------------------------------------------------------------------------------

WARNINGS_ONLY = one_indicator(
    "formula: min(d, 4)",
    "a: {type: number, label: a, min: 0}, b: {type: number, label: b, min: 0}",
    "d: {formula: a / b, label: d}",
)


def test_check_prints_located_lines_and_a_summary(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "faulty.yaml"
    path.write_text(FAULTY, encoding="utf-8")
    code, out, err = run("--lang", "en", "check", str(path))
    assert code == 1  # band-shadowed is an error
    lines = [line for line in out.splitlines() if not line.startswith("    ")]
    assert lines[0] == (
        f"{path}:10:3: warning: fact 'spare': no indicator, check or template reads it "
        "[unused-fact]"
    )
    assert lines[5] == (
        f"{path}:45:23: error: indicator 'shadow': band[1] [85, 90) can never match: band[0] "
        "covers all its values (the first matching band wins) [band-shadowed]"
    )
    assert lines[-1] == "1 error, 8 warnings, 1 note in 1 rubric"
    assert err == ""


def test_warnings_fail_only_under_strict(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(WARNINGS_ONLY, encoding="utf-8")
    code, out, _ = run("--lang", "en", "check", str(path))
    assert code == 0
    assert out.splitlines()[-1] == "0 errors, 1 warning, 0 notes in 1 rubric"
    code, _, _ = run("--lang", "en", "check", "--strict", str(path))
    assert code == 1


def test_json_format_lists_findings_for_editors(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(WARNINGS_ONLY, encoding="utf-8")
    code, out, _ = run("--lang", "en", "check", "--format", "json", "--strict", str(path))
    assert code == 1
    assert json.loads(out) == [
        {
            "file": str(path),
            "line": 6,
            "column": 24,
            "severity": "warning",
            "code": "possible-zero-division",
            "subject": "derived value 'd'",
            "message": "'a / b' divides by 'b', which may be 0 (it lies in [0, inf))",
            "hint": "guard it: '... if b > 0 else ...', or give fact 'b' a min above 0",
        }
    ]


def test_findings_are_said_in_the_rubrics_language(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(WARNINGS_ONLY, encoding="utf-8")  # language zh, the default
    [finding] = json.loads(run("check", "--format", "json", str(path))[1])
    assert (finding["subject"], finding["message"], finding["hint"]) == (
        "派生值 'd'",
        "'a / b' 除以 'b'，而它可能为 0（取值范围 [0, inf)）",
        "请加上条件：'... if b > 0 else ...'，或为事实 'b' 设定大于 0 的 min",
    )
    code, out, _ = run("check", str(path))
    assert code == 0
    assert out == (
        f"{path}:6:24: 警告: 派生值 'd': 'a / b' 除以 'b'，而它可能为 0（取值范围 [0, inf)） "
        "[possible-zero-division]\n"
        "    提示：请加上条件：'... if b > 0 else ...'，或为事实 'b' 设定大于 0 的 min\n"
        "共检查 1 份评分规则：0 个错误，1 个警告，0 个提示\n"
    )


def test_a_rubric_that_cannot_load_exits_2_with_the_load_error(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(FAULTY.replace("max: 30", "max: 31"), encoding="utf-8")
    code, out, err = run("--lang", "en", "check", str(path))
    assert code == 2
    assert f"{path}:18:10: group 'g': max 31 is not the sum" in err
    assert "[group-sum]" in err
    assert out.splitlines()[-1] == (
        "0 errors, 0 warnings, 0 notes in 0 rubrics; 1 rubric could not be loaded"
    )


def test_several_rubrics_are_checked_in_one_run(tmp_path: Path, run: Run) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(FAULTY, encoding="utf-8")
    second.write_text(WARNINGS_ONLY, encoding="utf-8")
    code, out, _ = run("--lang", "en", "check", str(first), str(second))
    assert code == 1
    assert out.splitlines()[-1] == "1 error, 9 warnings, 1 note in 2 rubrics"


def test_a_rubric_that_cannot_load_is_an_error_in_the_json_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("perfscore: 1\nid: x\n", encoding="utf-8")
    assert cli.main(["check", str(path), "--format", "json"]) == 2
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert {(f["severity"], f["code"]) for f in out} == {("error", "missing-key")}
    assert all(f["file"] == str(path) for f in out)
    # and on stderr, one JSON object per rubric that could not be loaded
    [line] = captured.err.splitlines()
    assert json.loads(line)["error"] == "RubricError"


# --- records groups: each rule and check analysed with the record's fields ---------------------


def records_rubric(
    up: str, down: str = "{formula: full}", checks: str = "[]", extra: str = ""
) -> str:
    """A rubric whose one group takes its indicators from the records of `rows`; `up` and `down`
    are the one-line rules for the two values of `kind`."""
    return f"""\
perfscore: 1
id: t
version: "1"
title: t
facts:
  spare: {{type: number, label: 备用}}
  cap: {{type: number, label: 上限, min: 1}}
  rows:
    type: list
    label: 指标
    fields:
      code: {{type: text, label: 编号, required: false}}
      name: {{type: text, label: 名称}}
      points: {{type: number, label: 分值, min: 0}}
      kind: {{type: enum, label: 性质, values: [up, down]}}
      target: {{type: number, label: 指标值, min: 0, required: false}}
      actual: {{type: number, label: 实际值, min: 0}}
      rate: {{type: percent, label: 完成率}}
      note: {{type: text, label: 说明, required: false}}
groups:
  - id: output
    name: 产出
    max: 10
    records:
      list: rows
      id: code
      name: name
      max: points
      select: kind
      rules:
        up: {up}
        down: {down}
      checks: {checks}
{extra}grades:
  - {{grade: 差}}
"""


def test_a_rule_dividing_by_an_optional_field_that_may_be_0_is_reported_at_the_rule() -> None:
    text = records_rubric('{formula: "min(full * actual / target, full)"}')
    rubric = parse_rubric(text, name="r.yaml")
    got = [f for f in check_rubric(rubric) if f.code != "unused-fact"]
    assert [(f.code, f.subject, f.message) for f in got] == [
        (
            "possible-zero-division",
            "group 'output', rule 'up'",
            "'full * actual / target' divides by 'target', which may be 0 (it lies in [0, inf))",
        )
    ]
    path = ("groups", 0, "records", "rules", "up", "formula")
    assert got[0].location == rubric.document.locate(path)
    lines = text.splitlines()
    assert got[0].location.line == 1 + next(
        i for i, line in enumerate(lines) if line.startswith("        up: ")
    )
    assert got[0].hint == (
        "guard it: '... if given(target) and target > 0 else ...', "
        "or give field 'target' of 'rows' a min above 0"
    )


@pytest.mark.parametrize(
    "formula",
    [
        "full * actual / target if given(target) and target > 0 else 0",
        "0 if not given(target) or target == 0 else min(full * actual / target, full)",
        "full * min(actual, target) / max(actual, target) if actual != target else full",
    ],
)
def test_a_guarded_division_in_a_rule_is_not_reported(formula: str) -> None:
    assert findings(records_rubric(f'{{formula: "{formula}"}}')) == [
        ("unused-fact", "fact 'spare'", "no indicator, check or template reads it"),
        ("unused-fact", "fact 'cap'", "no indicator, check or template reads it"),
    ]


def test_a_band_gap_inside_a_rule_is_located_at_its_table() -> None:
    bands = (
        '{bands: {measure: rate, table: [{range: "[90, inf)", score: full},'
        ' {range: "[0, 60)", score: 0}]}}'
    )
    rubric = parse_rubric(records_rubric("{formula: full}", bands), name="r.yaml")
    got = [f for f in check_rubric(rubric) if f.code == "band-gap"]
    assert [(f.subject, f.message) for f in got] == [
        ("group 'output', rule 'down'", "values in [60, 90) fall in no band")
    ]
    path = ("groups", 0, "records", "rules", "down", "bands", "table")
    assert got[0].location == rubric.document.locate(path, key=True)


def test_a_records_check_that_can_never_hold_is_reported() -> None:
    checks = (
        '[{id: ok, when: "score < full", message: "{name}"},'
        ' {id: never, when: "score > 10 or rate > 100", message: "{name}"}]'
    )
    rubric = parse_rubric(records_rubric("{formula: full}", checks=checks), name="r.yaml")
    got = [f for f in check_rubric(rubric) if f.code == "never-applies"]
    assert [(f.subject, f.message) for f in got] == [
        (
            "group 'output', check 'never'",
            "'score > 10 or rate > 100' can never be true (score lies in [0, 10]; rate lies in "
            "[0, 100]), so the check never warns",
        )
    ]
    path = ("groups", 0, "records", "checks", 1, "when")
    assert got[0].location == rubric.document.locate(path)


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ("", True),  # a record's points are at most the group's max, 10
        ("    sum: warn\n", False),  # the sheet's points are kept, however many
        # an empty group may give its 5 points to this one: a record may carry up to 15
        (
            "  - id: other\n    name: 其他\n    max: 5\n    records:\n      list: rows\n"
            "      name: name\n      max: points\n      when_empty: {give_to: output}\n"
            "      rules: {all: {formula: full}}\n",
            False,
        ),
    ],
)
def test_full_is_bounded_by_what_the_records_must_total(extra: str, reported: bool) -> None:
    rule = '{checklist: {items: [{id: big, when: "full > 12", points: 1, reason: 大}]}}'
    text = records_rubric(rule)
    if extra.startswith("    sum"):
        text = text.replace("      checks: []\n", "      checks: []\n  " + extra)
    else:
        text = text.replace("grades:", extra + "grades:")
    got = [(c, s, m) for c, s, m in findings(text) if c == "never-applies"]
    expected = (
        "never-applies",
        "group 'output', rule 'up', item 'big'",
        "'full > 12' can never be true (full lies in (0, 10]), so the item never deducts",
    )
    assert got == ([expected] if reported else [])


def test_a_rule_checklist_that_can_deduct_more_than_full_is_a_note() -> None:
    rule = (
        '{checklist: {items: [{id: a, when: "rate < 60", points: full, reason: a},'
        ' {id: b, when: "actual < 1", points: 0.5 * full, reason: b}]}}'
    )
    got = [(c, s, m) for c, s, m in findings(records_rubric(rule)) if c.startswith("checklist")]
    assert got == [
        (
            "checklist-exceeds-max",
            "group 'output', rule 'up'",
            "items can deduct up to 15 in total, more than the record's points (full, at most "
            "10) above floor 0; the floor stops the deduction (扣完为止)",
        )
    ]


def test_facts_read_in_rules_are_used_and_unread_fields_are_no_finding() -> None:
    # 'cap' is read only by a rule, 'spare' by a records check; 'note' and 'code' by nothing
    checks = '[{id: c, when: "spare > 0", message: "{name}"}]'
    text = records_rubric('{formula: "min(full, cap)"}', checks=checks)
    assert findings(text) == []
    assert findings(records_rubric("{formula: full}")) == [
        ("unused-fact", "fact 'spare'", "no indicator, check or template reads it"),
        ("unused-fact", "fact 'cap'", "no indicator, check or template reads it"),
    ]


def test_the_bundled_sheet_rubric_rules_are_analysed() -> None:
    # a records group's formulas are analysed, not skipped: the test sheet's '<=' rule divides by
    # 'actual', a field without a min
    rubric = load_rubric(Path(__file__).parent / "data" / "sheet_rubric.yaml")
    got = {(f.code, f.subject) for f in check_rubric(rubric)}
    assert ("possible-zero-division", "group 'output', rule '<='") in got
    assert ("possible-zero-division", "group 'benefit', rule 'default'") in got


FULL_WIDTH = """\
perfscore: 1
id: t
version: "1"
title: T
facts:
  spend_rate: {type: percent, label: 支出率}
  kind: {type: enum, label: 类别, values: [Ａ类, B类, 其他（说明）]}
  rows:
    type: list
    label: 行
    fields:
      nm: {type: text, label: 名称}
      pts: {type: number, label: 分值}
      lv: {type: enum, label: 档次, values: [好, 差]}
      note: {type: text, label: 说明, default: "无　备注"}
groups:
  - id: g
    name: G
    max: 20
    children:
      - id: a
        name: A
        max: 10
        formula: "spend_rate / 10 if kind == 'B类' else 0"
        explain: "支出率 ｛spend_rate｝%（满分 {full}），得 {score} 分"
      - id: rec
        name: R
        max: 10
        records:
          list: rows
          name: nm
          max: pts
          rules:
            default:
              tiers:
                level: lv
                table:
                  - {level: 好, range: "[80, 100]", default: 100}
                  - {level: 差, range: "[0, 80)", default: 0}
checks:
  - {id: c, when: "spend_rate < 50", message: "支出率 {spend_rate}％，偏低"}
grades:
  - {grade: A}
"""


def test_full_width_characters_where_ascii_is_meant_are_warnings() -> None:
    rubric = parse_rubric(FULL_WIDTH, name="r.yaml")
    found = [
        (f.location.line if f.location else None, f.subject, f.message)
        for f in check_rubric(rubric)
        if f.code == "full-width-character"
    ]
    assert found == [
        # 'Ａ类' is not what facts typed as 'A类' match; 其他（说明）'s Chinese brackets are fine
        (
            7,
            "fact 'kind'",
            "value 'Ａ类' has the full-width 'Ａ' (U+FF21); facts typed in ASCII never match it",
        ),
        (
            15,
            "fact 'rows'",
            "value '无\\u3000备注' has the full-width '\\u3000' (U+3000); facts typed in ASCII "
            "never match it",
        ),
        # printed as is: the placeholder is never filled
        (
            25,
            "indicator 'a'",
            "template has the full-width '｛' (U+FF5B), '｝' (U+FF5D), printed as is",
        ),
    ]  # the check's '％' is text, not a placeholder: no finding
    assert FINDINGS["full-width-character"] == "warning"


def test_full_width_braces_in_a_records_rule_and_a_check_are_found() -> None:
    text = FULL_WIDTH.replace("{spend_rate}％", "｛spend_rate｝")
    text = text.replace(
        "              tiers:", "              explain: '得 ｛score｝'\n              tiers:"
    )
    rubric = parse_rubric(text, name="r.yaml")
    subjects = [f.subject for f in check_rubric(rubric) if f.code == "full-width-character"]
    assert subjects == ["fact 'kind'", "fact 'rows'", "indicator 'a'", "group 'rec'", "check 'c'"]


def test_the_bundled_rubrics_have_no_full_width_findings() -> None:
    # their Chinese text is full of （），：; none of it is a finding
    for path in sorted(Path(__file__).parents[1].glob("rubric/*/*.yaml")):
        if path.name.endswith(".cases.yaml"):
            continue
        codes = {f.code for f in check_rubric(load_rubric(path))}
        assert "full-width-character" not in codes, path


@pytest.mark.parametrize(
    ("declared", "dead"),
    [
        ('"(1, 2)"', True),  # no integer strictly between 1 and 2
        ('"[1.2, 1.8]"', True),
        ('"[1, 2)"', False),  # 1
        ('"(1.5, 2]"', False),  # 2
        ('"(1, inf)"', False),
    ],
)
def test_an_integer_plausible_range_holding_no_integer_is_a_warning(
    declared: str, dead: bool
) -> None:
    text = one_indicator(
        "formula: min(n, 4)", f"n: {{type: integer, label: N, min: 0, plausible: {declared}}}"
    )
    found = [f for f in findings(text) if f[0] == "dead-plausible-range"]
    expected = [
        (
            "dead-plausible-range",
            "fact 'n'",
            f"plausible range {declared.strip(chr(34))} holds no integer; every value given "
            "would be warned about",
        )
    ]
    assert found == (expected if dead else [])


def test_a_dead_plausible_range_on_a_list_field_is_found_at_its_value() -> None:
    text = one_indicator(
        "formula: min(count(rows), 4)",
        'rows: {type: list, label: R, fields: {k: {type: integer, label: K, plausible: "(0, 1)"}}}',
    )
    rubric = parse_rubric(text, name="r.yaml")
    (finding,) = [f for f in check_rubric(rubric) if f.code == "dead-plausible-range"]
    assert finding.severity == "warning"
    assert finding.location is not None
    assert (finding.location.line, finding.location.column) == (
        5,
        text.splitlines()[4].index('"(0') + 1,
    )


def test_the_bundled_2022_2_is_clean_under_strict(run: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = run("--lang", "en", "check", "--strict", "dept-overall-huizhou@2022.2")
    assert code == 0, out + err
    assert "0 errors, 0 warnings" in out + err


def test_check_given_a_case_file_says_it_is_one(run: Run) -> None:
    # the bundled cases file next to its rubric: one problem naming what to do, not ten keys
    path = Path(__file__).parent.parent / "rubric" / "project-sheet-national" / "2020.1.cases.yaml"
    code, _out, err = run("--lang", "en", "check", str(path))
    assert code == 2
    assert "this is a case file" in err
    assert "perfscore test" in err
    assert "unknown-key" not in err
    assert "missing-key" not in err


@pytest.mark.parametrize("command", ["check", "diff"])
def test_a_facts_document_given_as_a_rubric_is_one_problem_that_says_so(
    run: Run, tmp_path: Path, command: str
) -> None:
    # the README's example report where a rubric is expected: not seventy missing and invalid
    # keys of the rubric format, but what the file is and the two commands meant
    example = Path(__file__).parent.parent / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    path = tmp_path / "report.yaml"
    path.write_bytes(example.read_bytes())
    line = example.read_text(encoding="utf-8").splitlines().index("facts:") + 1
    argv = [str(path)] if command == "check" else [str(path), "dept-overall-huizhou@2022.1"]
    code, _, err = run("--lang", "zh", command, *argv)
    assert code == 2
    assert (
        f"RubricError: {path}:{line}:1: 这是事实文档（其中是待评分的 'facts'），不是评分规则 "
        "[invalid-type]\n"
        f"    提示：请用 'perfscore score {path}' 为它评分；它所指的评分规则可以用 "
        "'perfscore check dept-overall-huizhou@2022.1' 检查\n"
    ) in err
    assert err.count("[") == 1  # one problem
    # without a rubric named, the hint says only how to score it
    bare = tmp_path / "bare.yaml"
    bare.write_text("facts: {spent: 1}\n", encoding="utf-8")
    code, _, err = run("--lang", "en", "check", str(bare))
    assert code == 2
    assert (
        f"RubricError: {bare}:1:1: this is a facts document (it gives 'facts' to score), not a "
        "rubric [invalid-type]\n"
        f"    hint: score it with 'perfscore score {bare}'\n"
    ) in err


FALSE_PROMISE = """\
perfscore: 1
id: promise
version: "1"
title: promise
facts:
  rate: {type: percent, label: rate}
groups:
  - id: g
    name: g
    max: 5
    children:
      - id: spend
        name: spend
        max: 5
        monotonic: {rate: increasing}
        bands:
          measure: rate
          table:
            - {range: "[90, 100]", score: 5}
            - {range: "[87.5, 90)", score: 2}
            - {range: "[85, 87.5)", score: 3}
            - {range: "[0, 85)", score: 0}
grades: [{grade: x}]
"""


def test_check_properties_finds_a_false_monotonic_promise(run: Run, tmp_path: Path) -> None:
    # the rows [85, 87.5) -> 3 and [87.5, 90) -> 2 step down as the rate rises
    path = tmp_path / "promise.yaml"
    path.write_text(FALSE_PROMISE, encoding="utf-8")
    assert run("check", str(path))[0] == 0  # statically nothing is wrong
    code, out, _ = run("check", "--properties", str(path))
    assert code == 1
    (line,) = [x for x in out.splitlines() if "[monotonic-broken]" in x]
    assert line.startswith(f"{path}:15:")  # the monotonic key of 'spend'
    assert "is declared increasing in 'rate', but rate=" in line
    low, high = (Decimal(x.split()[0]) for x in line.split("rate=")[1:3])
    assert 85 <= low < Decimal("87.5") <= high < 90  # a real counterexample


def test_check_properties_passes_a_true_promise(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "promise.yaml"
    path.write_text(FALSE_PROMISE.replace("score: 2}", "score: 4}"), encoding="utf-8")
    code, out, _ = run("check", "--properties", str(path))
    assert code == 0
    assert "monotonic-broken" not in out
