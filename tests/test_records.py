"""Groups whose indicators come from a list fact (records), as on project self-evaluation sheets."""

from __future__ import annotations

import decimal
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore import RubricError, ScoringError
from perfscore._numbers import CONTEXT
from perfscore._tools._cases import CaseResult, coverage

RUBRIC_TEXT = (Path(__file__).parent / "data" / "sheet_rubric.yaml").read_text(encoding="utf-8")
RUBRIC = perfscore.parse_rubric(RUBRIC_TEXT, name="sheet.yaml")
D = Decimal


def output(name: str, points: str, direction: str, **fields: object) -> dict[str, object]:
    return {"name": name, "points": D(points), "direction": direction, **fields}


def facts(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "budget": D("7.29"),
        "spent": D("7.29"),
        "outputs": [
            output("数量", "10", "=", code="o1", target=D(72890), actual=D(72890), claimed=D(9)),
            output("质量", "20", ">=", target=D(100), actual=D(90)),
            output("成本", "20", "<=", target=D(90), actual=D(100)),
        ],
        "benefits": [{"name": "责停率", "points": D(30), "target": D(95), "actual": D(95)}],
        "satisfaction": [{"name": "满意度", "points": D(10), "target": D(95), "actual": D(76)}],
    }
    base.update(changes)
    return base


def test_each_record_becomes_a_leaf_in_rubric_order_with_stable_ids() -> None:
    card = RUBRIC.evaluate(facts())
    ids = [i.id for i in card.indicators]
    assert ids == ["exec_rate", "output.o1", "output.2", "output.3", "benefit.1", "sat.1"]
    # '=': 10 * min/max = 10; '>=': 20 * 90 / 100 = 18; '<=': 20 * 90 / 100 = 18
    assert [card.indicator(i).score for i in ids[1:4]] == [D(10), D(18), D(18)]
    # satisfaction 10 * 76 / 95 = 8
    assert card.indicator("sat.1").score == D(8)
    assert card.total == D(10 + 10 + 18 + 18 + 30 + 8)
    assert card.indicator("output.2").group == "output"


def test_trace_rules_are_named_by_the_records_kind() -> None:
    card = RUBRIC.evaluate(facts())
    trace = card.indicator("output.2").trace
    assert trace is not None
    assert [s.rule for s in trace.steps] == [">=:ratio"]
    assert trace.inputs == {"actual": D(90), "target": D(100)}


def test_qualitative_records_use_tiers_with_an_optional_assessed_score() -> None:
    rows = [
        output("合规", "25", "qualitative", level="达成"),
        output("及时", "25", "qualitative", level="部分达成", assessed=D(17)),
    ]
    card = RUBRIC.evaluate(facts(outputs=rows))
    assert card.indicator("output.1").score == D(25)  # default 100% of 25
    assert card.indicator("output.2").score == D(17)  # inside [15, 20)
    rows[1] = output("及时", "25", "qualitative", level="部分达成", assessed=D(21))
    with pytest.raises(perfscore.ScoringError) as err:
        RUBRIC.evaluate(facts(outputs=rows))
    assert err.value.code == "tier-mismatch"


def test_points_that_do_not_add_up_are_rescaled_with_a_warning() -> None:
    rows = [
        output("数量", "30", "=", target=D(1), actual=D(1)),
        output("质量", "30", "=", target=D(1), actual=D(1)),
    ]
    card = RUBRIC.evaluate(facts(outputs=rows))
    assert [card.indicator(f"output.{n}").max for n in (1, 2)] == [D(25), D(25)]
    assert card.indicator("output.1").score == D(25)
    assert [w.check for w in card.warnings] == ["output_sum"]
    assert "60" in card.warnings[0].message
    assert "50" in card.warnings[0].message


def test_points_that_do_not_add_up_are_an_error_by_default() -> None:
    rows = [{"name": "责停率", "points": D(20), "target": D(95), "actual": D(95)}]
    with pytest.raises(ScoringError) as err:
        RUBRIC.evaluate(facts(benefits=rows))
    assert err.value.code == "group-sum"
    assert "carry 20 points; the group must total 30" in str(err.value)


def test_an_empty_group_gives_its_points_to_another() -> None:
    rows = [{"name": "责停率", "points": D(40), "target": D(95), "actual": D(95)}]
    card = RUBRIC.evaluate(facts(benefits=rows, satisfaction=[]))
    groups = {g.id: g for g in card.groups}
    assert (groups["benefit"].max, groups["sat"].max) == (D(40), D(0))
    assert card.max_total == D(100)


def test_an_empty_group_without_a_remedy_is_an_error() -> None:
    with pytest.raises(ScoringError) as err:
        RUBRIC.evaluate(facts(benefits=[]))
    assert err.value.code == "empty-records"


def test_claims_from_records_are_reviewed_and_record_checks_fire() -> None:
    card = RUBRIC.evaluate(facts())
    assert card.indicator("output.o1").claimed == D(9)
    assert [(d.indicator, d.difference) for d in card.discrepancies] == [("output.o1", D(-1))]
    assert [(w.check, w.message) for w in card.warnings] == [
        ("met_but_docked", "数量: 已达成却扣分（自评 9）")
    ]


def test_bad_record_ids_and_duplicate_ids_are_scoring_errors() -> None:
    rows = [
        output("a", "25", "=", code="一", target=D(1), actual=D(1)),
        output("b", "25", "=", target=D(1), actual=D(1)),
    ]
    with pytest.raises(ScoringError) as err:
        RUBRIC.evaluate(facts(outputs=rows))
    assert err.value.code == "invalid-id"
    rows = [
        output("a", "25", "=", code="x", target=D(1), actual=D(1)),
        output("b", "25", "=", code="x", target=D(1), actual=D(1)),
    ]
    with pytest.raises(ScoringError) as err:
        RUBRIC.evaluate(facts(outputs=rows))
    assert err.value.code == "duplicate-id"


def test_rules_must_cover_every_kind_and_fields_must_exist() -> None:
    broken = RUBRIC_TEXT.replace(
        '        "=": {formula: "full * min(actual, target) / max(actual, target)"}\n', ""
    )
    broken = broken.replace("      claimed: claimed\n", "      claimed: claimd\n")
    with pytest.raises(RubricError) as err:
        perfscore.parse_rubric(broken, name="sheet.yaml")
    messages = sorted(p.message for p in err.value.problems)
    assert any("missing ['=']" in m for m in messages)
    assert any(
        "records.claimed must name a number or integer or percent field" in m for m in messages
    )


SHEET_FACTS = """\
facts:
  budget: 7.29
  spent: 7.29
  outputs:
    - {code: o1, name: 数量, points: 25, direction: "=", target: 1, actual: 1}
    - {code: CODE, name: 质量, points: 25, direction: "=", target: 1, actual: 1}
  benefits:
    - {name: 责停率, points: 30, target: 95, actual: 95}
  satisfaction:
    - {name: 满意度, points: 10, target: 95, actual: 76}
"""


@pytest.mark.parametrize(
    ("code", "error", "hint"),
    [
        ('"1.1"', "invalid-id", "for example 'r1_1'"),
        ('"a b"', "invalid-id", "for example 'a_b'"),
        ('"2"', "invalid-id", "for example 'r2'"),  # would pass for the automatic output.2
        ("o1", "duplicate-id", None),
    ],
)
def test_a_record_id_breaking_the_id_rule_is_refused_at_the_id_in_the_facts(
    tmp_path: Path, code: str, error: str, hint: str | None
) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(SHEET_FACTS.replace("CODE", code), encoding="utf-8")
    with pytest.raises(ScoringError) as err:
        RUBRIC.evaluate(perfscore.load_facts(path))
    (problem,) = err.value.problems
    assert (problem.code, problem.subject, problem.hint) == (error, "group 'output'", hint)
    assert problem.location == perfscore.Location(str(path), 6, 14)
    assert "'outputs'" in problem.message
    assert ("rule", "sheet.yaml:50:7") in problem.details


def test_a_record_id_that_starts_with_a_letter_is_its_leaf_id(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(SHEET_FACTS.replace("CODE", "q_2"), encoding="utf-8")
    card = RUBRIC.evaluate(perfscore.load_facts(path))
    assert [i.id for i in card.indicators][1:3] == ["output.o1", "output.q_2"]


@pytest.mark.parametrize("name", ["min", "given", "weighted_mean", "full", "score", "None"])
def test_a_field_named_like_a_function_or_reserved_word_is_refused(name: str) -> None:
    line = "      assessed: {type: number, label: 评定得分, required: false}\n"
    shadowing = RUBRIC_TEXT.replace(
        line, line + f"      {name}: {{type: number, label: 遮蔽, required: false}}\n", 1
    )
    with pytest.raises(RubricError) as err:
        perfscore.parse_rubric(shadowing, name="sheet.yaml")
    (problem,) = err.value.problems
    assert problem.code == "shadowed-name"
    assert f"field {name!r} of 'outputs'" in problem.message
    assert (problem.location.line, problem.location.column) == (20, 9 + len(name))
    assert problem.subject == "group 'output'"


def test_coverage_names_rules_per_kind() -> None:
    card = RUBRIC.evaluate(facts())
    fired = {
        i.id: frozenset(s.rule for s in i.trace.steps if s.rule) for i in card.indicators if i.trace
    }
    result = CaseResult(case=None, status="pass", fired=fired)  # type: ignore[arg-type]
    cov = coverage(RUBRIC, [result])
    assert "qualitative:tier:达成" in cov.missing["output"]
    assert ">=:ratio" not in cov.missing.get("output", ())


def test_a_sheet_whose_points_do_not_add_up_can_be_converted_to_100() -> None:
    text = RUBRIC_TEXT.replace("      sum: rescale\n", "      sum: warn\n").replace(
        "grades:", "total: {cap: null, scale_to: 100}\ngrades:"
    )
    rubric = perfscore.parse_rubric(text, name="sheet.yaml")
    rows = [
        output("数量", "30", "=", target=D(1), actual=D(1)),
        output("质量", "30", ">=", target=D(100), actual=D(50)),
    ]
    card = rubric.evaluate(facts(outputs=rows))
    # the sheet's own points: 10 + 60 + 30 + 10 = 110; scores 10 + (30 + 15) + 30 + 8 = 93
    assert (card.max_total, card.base_total) == (D(110), D(93))
    # converted: 93 * 100 / 110, in perfscore's 34-digit context
    with decimal.localcontext(CONTEXT):
        assert card.total == D(93) * 100 / D(110)
    assert card.total_trace is not None
    assert card.total_trace[-1].kind == "scale"
    assert [w.check for w in card.warnings][:1] == ["output_sum"]


def test_explain_notes_say_what_a_score_rests_on_in_the_reports_words() -> None:
    text = RUBRIC_TEXT.replace(
        '        ">=": {ratio: {actual: actual, target: target, when_target_zero: "max(0, 1)"}}',
        '        ">=":\n'
        '          ratio: {actual: actual, target: target, when_target_zero: "max(0, 1)"}\n'
        '          explain: "实际完成值 {actual}，年度指标值 {target}，得 {score} / {full} 分"',
    )
    rubric = perfscore.parse_rubric(text, name="sheet.yaml")
    card = rubric.evaluate(facts())
    trace = card.indicator("output.2").trace
    assert trace is not None
    assert trace.steps[-1].kind == "note"
    assert trace.steps[-1].detail == "实际完成值 90，年度指标值 100，得 18 / 20 分"
    assert trace.steps[-1].value == card.indicator("output.2").score
    broken = text.replace("年度指标值 {target}", "年度指标值 {targte}")
    with pytest.raises(RubricError) as err:
        perfscore.parse_rubric(broken, name="sheet.yaml")
    assert err.value.code == "template"


def test_points_of_empty_groups_follow_give_to_whatever_the_declaration_order() -> None:
    # satisfaction (10, empty) gives to benefit; benefit is given to, and has its record
    rows = [{"name": "责停率", "points": D(40), "target": D(95), "actual": D(95)}]
    ordered = RUBRIC.evaluate(facts(benefits=rows, satisfaction=[]))
    # declare the giving group before its receiver: same result
    text = RUBRIC_TEXT
    sat = text[text.index("  - id: sat\n") : text.index("grades:")]
    benefit = text[text.index("  - id: benefit\n") : text.index("  - id: sat\n")]
    swapped = text.replace(benefit + sat, sat + benefit)
    assert swapped != text
    rubric = perfscore.parse_rubric(swapped, name="sheet.yaml")
    reordered = rubric.evaluate(facts(benefits=rows, satisfaction=[]))
    assert {g.id: g.max for g in reordered.groups} == {g.id: g.max for g in ordered.groups}
    assert reordered.total == ordered.total == D(10 + 10 + 18 + 18 + 40)


REDISTRIBUTED_RECORDS = """\
perfscore: 1
id: t
version: "1"
title: T
rounding: {step: 1, mode: half_up}
facts:
  x: {type: number, label: x}
  rows:
    type: list
    label: rows
    fields:
      nm: {type: text, label: n}
      pts: {type: number, label: p}
      v: {type: number, label: v}
groups:
  - id: top
    name: top
    max: 15
    children:
      - {id: a, name: A, max: 5, formula: x, not_applicable: redistribute}
      - {id: b, name: B, max: 5, formula: x}
      - id: rec
        name: rec
        max: 5
        records: {list: rows, name: nm, max: pts, rules: {default: {formula: v}}}
grades:
  - {grade: A}
"""


def test_a_redistributed_records_row_is_rounded_to_its_rules_step_like_a_declared_one() -> None:
    # a (5) is not applicable: b and the row share top's 15, factor 15 / 10 = 1.5.
    # b scores 1 -> 1.5 -> 2 (step 1, half_up); the row scores 1 -> 1.5 and must round alike.
    rubric = perfscore.parse_rubric(REDISTRIBUTED_RECORDS, name="t.yaml")
    rows = [{"nm": "r", "pts": D(5), "v": D(1)}]
    card = rubric.evaluate({"x": D(1), "rows": rows}, not_applicable=["a"])
    assert (card.indicator("b").score, card.indicator("b").max) == (D(2), D("7.5"))
    row = card.indicator("rec.1")
    assert (row.score, row.max) == (D(2), D("7.5"))
    assert row.trace is not None
    assert [s.kind for s in row.trace.steps][-2:] == ["scale", "round"]
    assert card.total == D(4)


def test_a_redistributed_records_row_keeps_its_rules_own_rounding() -> None:
    # the rule says `rounding: none`: 1 x 1.5 stays 1.5, where the rubric's default would round
    text = REDISTRIBUTED_RECORDS.replace(
        "{default: {formula: v}}", "{default: {formula: v, rounding: none}}"
    )
    rubric = perfscore.parse_rubric(text, name="t.yaml")
    rows = [{"nm": "r", "pts": D(5), "v": D(1)}]
    card = rubric.evaluate({"x": D(1), "rows": rows}, not_applicable=["a"])
    assert card.indicator("rec.1").score == D("1.5")


def _sheet_facts(tmp_path: Path, rows: str) -> perfscore.FactsDocument:
    """A facts document for the sheet rubric with these output rows (YAML, indented 4)."""
    text = (
        "rubric: sheet@1\n"
        "facts:\n"
        "  budget: 7.29\n"
        "  spent: 7.29\n"
        "  outputs:\n" + rows + "  benefits:\n"
        "    - {name: 责停率, points: 30, target: 95, actual: 95}\n"
        "  satisfaction:\n"
        "    - {name: 满意度, points: 10, target: 95, actual: 76}\n"
    )
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return perfscore.load_facts(path)


def test_an_assessed_score_outside_its_tier_points_at_the_score_in_the_facts(
    tmp_path: Path,
) -> None:
    rows = (
        "    - {name: 合规, points: 20, direction: qualitative, level: 达成}\n"
        "    - name: 及时\n"
        "      points: 20\n"
        "      direction: qualitative\n"
        "      level: 部分达成\n"
        "      assessed: 17\n"  # line 11: 部分达成 is [60, 80) % of 20, [12, 16)
        "    - {name: 数量, points: 10, direction: '=', target: 1, actual: 1}\n"
    )
    with pytest.raises(ScoringError) as err:
        RUBRIC.evaluate(_sheet_facts(tmp_path, rows))
    problem = err.value.problems[0]
    assert (problem.code, problem.location) == (
        "tier-mismatch",
        perfscore.Location(str(tmp_path / "facts.yaml"), 11, 17),
    )
    assert problem.subject == "indicator 'output.2' (及时)"
    assert problem.hint == (
        "tier '部分达成' is [60, 80) % of the 20 points, [12, 16): give a score in it, "
        "or the level '达成', whose range holds 17"
    )
    rule = dict(problem.details)["rule"]
    assert rule.startswith("sheet.yaml:")  # the rule that refused it still shows
    assert type(err.value) is ScoringError


def test_a_missing_assessment_points_at_the_level_and_never_suggests_a_zero(
    tmp_path: Path,
) -> None:
    text = RUBRIC_TEXT.replace(
        '{level: 未达成, range: "[0, 60)"}',
        '{level: 未达成, range: "[0, 60)"}\n              - {level: 未评定, range: "[0, 0]"}',
    ).replace("values: [达成, 部分达成, 未达成]", "values: [达成, 部分达成, 未达成, 未评定]")
    assert text.count("未评定") == 2
    rubric = perfscore.parse_rubric(text, name="sheet.yaml")
    rows = "    - {name: 合规, points: 25, direction: qualitative, level: 未评定}\n"
    with pytest.raises(ScoringError) as err:
        rubric.evaluate(_sheet_facts(tmp_path, rows))
    problem = err.value.problems[0]
    assert problem.code == "missing-fact"
    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == (str(tmp_path / "facts.yaml"), 6)
    # "give a score in [0, 0]" would have the row scored 0 without an assessment
    assert "[0, 0]" not in (problem.hint or "")
    assert problem.hint == (
        "tier '未评定' allows only 0: give the level that was assessed, one of '达成', "
        "'部分达成', '未达成'"
    )
    # an assessed score given with it: the level is what is wrong
    rows = "    - {name: 合规, points: 50, direction: qualitative, level: 未评定, assessed: 20}\n"
    with pytest.raises(ScoringError) as err:
        rubric.evaluate(_sheet_facts(tmp_path, rows))
    assert (err.value.code, err.value.problems[0].hint) == (
        "tier-mismatch",
        "tier '未评定' allows only 0: give the level '未达成', whose range holds 20",
    )
    rows = "    - {name: 合规, points: 50, direction: qualitative, level: 部分达成}\n"
    with pytest.raises(ScoringError) as err:
        rubric.evaluate(_sheet_facts(tmp_path, rows))
    assert err.value.problems[0].hint == (
        "tier '部分达成' is [60, 80) % of the 50 points, [30, 40): give 'assessed' a score in it, "
        "or another level"
    )


def test_a_records_rule_basis_reaches_every_leaf_it_scores() -> None:
    # Each record is scored by the rule its `select` field names; the scorecard gives that
    # rule's basis (a rule without one gives null), so a sheet's rows say where they come from.
    rubric = perfscore.parse_rubric(
        textwrap.dedent(
            """
        perfscore: 1
        id: t
        version: "1"
        title: t
        facts:
          rows:
            type: list
            label: rows
            fields:
              name: {type: text, label: n}
              points: {type: number, label: p}
              kind: {type: enum, label: k, values: [a, b]}
        groups:
          - id: out
            name: out
            max: 10
            records:
              list: rows
              name: name
              max: points
              select: kind
              rules:
                a: {formula: full, basis: {kind: inferred, text: rule a}}
                b: {formula: "0"}
        grades: [{grade: x}]
        """
        )
    )
    card = rubric.evaluate(
        {"rows": [{"name": "x", "points": 6, "kind": "a"}, {"name": "y", "points": 4, "kind": "b"}]}
    )
    bases = {i.id: i.basis for i in card.indicators}
    assert bases["out.1"] is not None
    assert bases["out.1"].text == "rule a"
    assert bases["out.1"].kind == "inferred"
    assert bases["out.2"] is None
