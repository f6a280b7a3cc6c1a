"""Review of claimed scores: discrepancies, the claimed total, implied scores, the grade."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from conftest import make_rubric
from perfscore import Claims, Scorecard, load_facts, load_rubric
from perfscore._output._scorecard import ReviewFinding

TEXT = """\
perfscore: 1
id: rv
version: "1"
title: T
facts:
  x: {type: number, label: X}
  n: {type: integer, label: N, min: 0}
groups:
  - id: g
    name: 组
    max: 100
    children:
      - {id: a, name: 甲, max: 60, formula: x}
      - id: b
        name: 乙
        max: 40
        not_applicable: full
        per_unit: {measure: n, points: 5}
grades:
  - {grade: 优, min: 90}
  - {grade: 良, min: 80}
  - {grade: 差}
"""
RUBRIC = make_rubric(TEXT)
# x = 55: a = 55; n = 2: b = 40 - 2 x 5 = 30; total 85, grade 良
FACTS = {"x": 55, "n": 2}
D = Decimal
F = ReviewFinding


def review(
    indicators: dict[str, int | str], total: int | None = None, grade: str | None = None
) -> Scorecard:
    claims = Claims(
        {k: D(v) for k, v in indicators.items()}, None if total is None else D(total), grade
    )
    return RUBRIC.evaluate(FACTS, claims=claims)


def test_no_claims_no_review() -> None:
    card = RUBRIC.evaluate(FACTS)
    assert (card.review, card.discrepancies, card.has_findings) == (None, (), False)


def test_claims_that_match_give_no_findings() -> None:
    card = review({"a": "55.0", "b": 30}, total=85, grade="良")  # 55.0 is 55
    assert card.discrepancies == ()
    assert card.review is not None
    assert (card.review.claimed_sum, card.review.missing, card.review.findings) == (D(85), (), ())
    assert not card.has_findings


def test_discrepancies_are_claimed_minus_computed_with_the_reason() -> None:
    card = review({"a": 60, "b": 20}, total=80)
    got = [(d.indicator, d.claimed, d.computed, d.difference, d.reason) for d in card.discrepancies]
    assert got == [
        ("a", D(60), D(55), D(5), "X 55 → 55"),  # 60 - 55; the formula reads fact X
        ("b", D(20), D(30), D(-10), "n = 2：2 个单位（每单位 1）× 5 分"),  # 20 - 30
        ("total", D(80), D(85), D(-5), "按规则计算的总分（含封顶/保底规则）"),  # 80 - 85
    ]
    assert [d.code for d in card.discrepancies] == [
        "claimed-score-differs",
        "claimed-score-differs",
        "claimed-total-differs",
    ]
    assert card.indicator("a").claimed == D(60)
    assert card.has_findings


def test_claimed_total_that_is_not_the_sum_of_the_claims() -> None:
    card = review({"a": 55, "b": 30}, total=90)
    assert card.review is not None
    # 55 + 30 = 85, not 90
    assert card.review.findings == (
        F("claims-do-not-add-up", "自评总分 90 不等于各指标自评得分之和 85", None),
    )
    assert [d.indicator for d in card.discrepancies] == ["total"]


def test_exactly_one_missing_claim_is_implied_by_the_total() -> None:
    card = review({"a": 55}, total=90)
    assert card.review is not None
    # 90 - 55 = 35, inside b's [0, 40]
    assert (card.review.missing, card.review.implied) == (("b",), {"b": D(35)})
    assert card.review.findings == (
        F("implied-score", "报告未给出乙（b）的自评得分；自评总分 90 推算其得分为 35", "b"),
    )


def test_implied_value_outside_its_range_is_noted() -> None:
    card = review({"a": 15}, total=90)
    assert card.review is not None
    # 90 - 15 = 75, above b's max of 40
    assert card.review.implied == {"b": D(75)}
    assert card.review.findings == (
        F(
            "implied-score-out-of-range",
            "报告未给出乙（b）的自评得分；自评总分 90 推算其得分为 75，超出其分值范围 [0, 40]",
            "b",
        ),
    )


def test_several_missing_claims_must_sum_to_what_the_total_leaves_each_in_its_own_range() -> None:
    # a [0, 60] and b [0, 40] must carry 85 together: a at least 85 - 40, b at least 85 - 60
    card = review({}, total=85)
    assert card.review is not None
    assert card.review.findings == (
        F(
            "missing-claims-sum",
            "2 个指标没有自评得分：按自评总分，它们合计应为 85；各自可能为 甲（a） [45, 60]、"
            "乙（b） [25, 40]",
        ),
    )
    assert card.review.implied == {}


def test_a_missing_claim_the_total_does_not_narrow_is_not_listed_with_its_whole_range() -> None:
    # 50 between a [0, 60] and b [0, 40]: a at least 10 and at most 50, b anything it can be;
    # a total over 26 unclaimed indicators listed each one's whole range, 1,541 characters
    card = review({}, total=50)
    assert card.review is not None
    assert card.review.findings == (
        F(
            "missing-claims-sum",
            "2 个指标没有自评得分：按自评总分，它们合计应为 50；各自可能为 甲（a） [10, 50]，"
            "其余 1 个可取其分值范围内的任何分数",
        ),
    )


def test_several_missing_claims_that_cannot_carry_the_rest_say_so() -> None:
    card = review({}, total=101)
    assert card.review is not None
    assert card.review.findings == (
        F(
            "missing-claims-sum",
            "2 个指标没有自评得分：按自评总分，它们合计应为 101，超出其分值合计范围 [0, 100]",
        ),
    )


def test_claimed_grade_must_follow_from_the_claimed_total() -> None:
    card = review({"a": 55, "b": 30}, total=85, grade="优")
    assert card.review is not None
    # 85 is at least 80 and below 90: 良
    assert card.review.findings == (
        F("claimed-grade-differs", "自评等级“优”与自评总分 85 不符，按评分规则应为“良”"),
    )
    assert card.discrepancies == ()


def test_not_applicable_full_indicator_still_needs_a_claim() -> None:
    card = RUBRIC.evaluate(FACTS, not_applicable=["b"], claims=Claims({"a": D(55)}, D(95), None))
    assert card.review is not None
    # b is marked not applicable with full marks (40), so it is applicable and still unclaimed:
    # 95 - 55 = 40 is implied
    assert card.review.implied == {"b": D(40)}
    assert card.indicator("b").score == D(40)


def test_excluded_indicator_is_not_missing() -> None:
    rubric = make_rubric(TEXT.replace("not_applicable: full", "not_applicable: redistribute"))
    card = rubric.evaluate(FACTS, not_applicable=["b"], claims=Claims({"a": D(55)}, D(55), None))
    assert card.review is not None
    # b is excluded, so the one claim is complete and 55 adds up to the claimed 55
    assert (card.review.missing, card.review.findings) == ((), ())


def test_english_findings() -> None:
    rubric = make_rubric(TEXT.replace("title: T", "title: T\nlanguage: en"))
    card = rubric.evaluate(FACTS, claims=Claims({"a": D(15)}, D(90), "良"))
    assert card.review is not None
    # 90 - 15 = 75 is implied for b; a total of 90 is 优, not the claimed 良
    assert [(f.code, f.message) for f in card.review.findings] == [
        (
            "implied-score-out-of-range",
            "no claimed score for 乙 (b); the claimed total 90 implies 75, outside its range "
            "[0, 40]",
        ),
        (
            "claimed-grade-differs",
            "claimed grade '良' does not follow from the claimed total 90; the rubric gives '优'",
        ),
    ]
    assert card.discrepancies[-1].reason == (
        "total computed by the rules (including the cap and floor)"
    )


def test_claims_from_a_document(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "rubric: rv@1\nfacts: {x: 55, n: 2}\nclaimed:\n  indicators: {a: 50, b: 30}\n"
        "  total: 80\n  grade: 良\n",
        encoding="utf-8",
    )
    card = RUBRIC.evaluate(load_facts(path))
    # a: 50 - 55 = -5; total 80 - 85 = -5; 50 + 30 = 80 adds up; 80 gives 良
    assert [(d.indicator, d.difference) for d in card.discrepancies] == [
        ("a", D(-5)),
        ("total", D(-5)),
    ]
    assert card.review is not None
    assert card.review.findings == ()


def test_indicators_without_a_claim_are_listed_when_no_claimed_total_is_given() -> None:
    rubric = load_rubric("dept-overall-huizhou@2022.1")
    facts = load_facts(
        Path(__file__).resolve().parents[1] / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    )
    claims = facts.claims
    assert claims is not None
    partial = Claims({k: v for k, v in claims.indicators.items() if k != "spend_rate"})
    review = rubric.evaluate(facts, claims=partial).review
    assert review is not None
    assert review.findings == (
        F(
            "unclaimed-indicators",
            "2 个指标没有自评得分，且未给出自评总分："
            "部门预算资金支出率（spend_rate）、公众或服务对象满意度（satisfaction）",
        ),
    )


def test_a_claimed_total_that_narrows_no_missing_claim_says_each_can_be_anything() -> None:
    import perfscore

    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    document = perfscore.load_facts(
        Path(__file__).resolve().parents[1] / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    )
    card = rubric.evaluate(document, claims=perfscore.Claims(total=50))
    assert card.review is not None
    (finding,) = [f for f in card.review.findings if f.code == "missing-claims-sum"]
    assert finding.message == (
        "26 个指标没有自评得分：按自评总分，它们合计应为 50；每个都可取其分值范围内的任何分数"
    )


def test_a_claimed_grade_is_held_to_the_rubrics_grades_and_to_the_computed_grade() -> None:
    import perfscore

    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    document = perfscore.load_facts(
        Path(__file__).resolve().parents[1] / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    )
    facts = dict(document.facts)  # scores 103, 优

    def findings(claims: perfscore.Claims) -> list[tuple[str, str]]:
        card = rubric.evaluate(facts, claims=claims)
        assert card.review is not None
        return [(f.code, f.message) for f in card.review.findings]

    # a grade alone was never compared with anything: 良 for a sheet that scores 优 passed
    assert findings(perfscore.Claims(grade="良")) == [
        ("claimed-grade-not-computed", "自评等级“良”，按评分规则计算为“优”（总分 103）")
    ]
    assert findings(perfscore.Claims(grade="优")) == []
    # a grade the rubric does not have was accepted without a word
    assert findings(perfscore.Claims(grade="良好")) == [
        ("claimed-grade-unknown", "自评等级“良好”不是评分规则的等级（优、良、中、差）")
    ]
    # with a claimed total the grade is held to that total's, as before
    with_total = findings(perfscore.Claims(indicators={}, total=Decimal(80), grade="优"))
    assert [code for code, _ in with_total][-1] == "claimed-grade-differs"
    assert "claimed-grade-not-computed" not in {code for code, _ in with_total}
