"""Unknown and doubtful values: the facts markers, their errors, score ranges for every method,
records groups, bonus, redistribution, totals and grades, the review with ranges, and outputs."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from perfscore import Claims, FactsError, ScoringError, load_facts, load_rubric, parse_rubric
from perfscore._load._document import parse_document
from perfscore._load._facts import read_facts_document

D = Decimal
ROOT = Path(__file__).resolve().parent.parent

RUBRIC = textwrap.dedent(
    """\
    perfscore: 1
    id: t
    version: "1"
    title: T
    language: en
    rounding: {step: 0.5, mode: floor}
    facts:
      x: {type: number, label: Amount, min: 0, max: 10}
      rate: {type: percent, label: Rate, min: 0, max: 100}
      done: {type: integer, label: Done, min: 0, max: 8}
      planned: {type: integer, label: Planned, min: 1, max: 8}
      late: {type: integer, label: Days late, min: 0, max: 30}
      cut: {type: boolean, label: Cut}
      wrong: {type: integer, label: Problems, min: 0, max: 9}
      lv: {type: enum, label: Level, values: [good, fair]}
      lv_score: {type: number, label: Assessed, min: 0, required: false}
      honours: {type: integer, label: Honours, min: 0, max: 5}
    groups:
      - id: g
        name: G
        max: 60
        children:
          - {id: f, name: F, max: 10, formula: x}
          - id: b
            name: B
            max: 10
            bands:
              measure: rate
              table:
                - {range: "[90, inf)", score: 10}
                - {range: "[60, 90)", score: 6}
                - {range: "(-inf, 60)", score: 0}
          - {id: r, name: R, max: 10, ratio: {actual: done, target: planned}}
          - {id: p, name: P, max: 10, per_unit: {measure: late, unit: 1, points: 0.5}}
          - id: c
            name: C
            max: 10
            checklist:
              floor: 0
              items:
                - {id: cut, when: cut, points: 2, reason: cut}
                - {id: wrong, when: wrong > 0, points: wrong, reason: "{wrong} problems"}
          - id: t
            name: T
            max: 10
            not_applicable: redistribute
            tiers:
              level: lv
              score: lv_score
              table:
                - {level: good, range: "[80, 100]", default: 100}
                - {level: fair, range: "[50, 80)", default: 60}
    bonus:
      - {id: k, name: K, min: 0, max: 5, formula: honours}
    total: {cap: null}
    grades:
      - {grade: A, min: 55}
      - {grade: B, min: 40}
      - {grade: C}
    """
)

KNOWN = """\
  x: 7
  rate: 95
  done: 6
  planned: 8
  late: 4
  cut: false
  wrong: 0
  lv: good
  honours: 2
"""


def facts(*changes: str, text: str = KNOWN, claimed: str = "") -> Any:
    body = text
    for change in changes:
        key = change.split(":")[0].strip()
        body = "\n".join(
            f"  {change}" if line.split(":")[0].strip() == key else line
            for line in body.splitlines()
        )
    doc = f"rubric: t@1\nfacts:\n{body}\n{claimed}"
    return read_facts_document(parse_document(doc, name="f.yaml"))


def score(*changes: str, claimed: str = "", **kw: Any) -> Any:
    return parse_rubric(RUBRIC, name="r.yaml").evaluate(facts(*changes, claimed=claimed), **kw)


def span(card: Any, ind: str) -> tuple[D, D] | D:
    item = card.indicator(ind)
    return item.score if item.range is None else (item.range.min, item.range.max)


# --- the facts markers ------------------------------------------------------------------------


def test_known_documents_have_no_marks_and_score_as_before() -> None:
    document = facts()
    assert not document.has_marks
    card = score()
    assert card.total_range is None
    assert card.grades_possible is None
    data = json.loads(card.to_json())
    assert "total_range" not in data
    assert "grades_possible" not in data
    assert all("range" not in i for i in data["indicators"])
    assert all("range" not in g for g in data["groups"])


def test_unknown_is_true_or_a_reason_and_doubtful_carries_its_value() -> None:
    assert facts("x: {unknown: true}").has_marks
    assert facts("x: {unknown: 表格截断}").has_marks
    assert facts("x: {unknown: not in the annex}").has_marks  # a reason that starts with 'no'
    assert facts("x: {value: 7, doubtful: OCR}").has_marks


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            "x: {unknown: false}",
            "f.yaml:3:16: fact 'x': 'unknown' must be true or the reason as text, "
            "got boolean false [invalid-marker]",
        ),
        (
            "x: {unknown: true, value: 3}",
            "f.yaml:3:22: fact 'x': an unknown value has only the key 'unknown', got 'value' too "
            "[invalid-marker]",
        ),
        (
            "x: {doubtful: OCR}",
            "f.yaml:3:6: fact 'x': a doubtful value needs its 'value' [invalid-marker]",
        ),
        (
            "x: {value: 7, doubtful: ''}",
            "f.yaml:3:27: fact 'x': 'doubtful' must say why, as text, got text '' [invalid-marker]",
        ),
        (
            "x: {value: 70, doubtful: OCR}",
            "f.yaml:3:14: fact 'x': 70 is greater than the maximum of 10 [out-of-bounds]",
        ),
        ("x: {amount: 3}", "f.yaml:3:6: fact 'x': expected a number, got a mapping [fact-type]"),
        # a doubtful value whose reason was left out: a marker, not a value of the wrong type
        (
            "x: {value: 7}",
            "f.yaml:3:6: fact 'x': a value given as {value: ...} is a doubtful one, and needs its "
            "reason under 'doubtful' [invalid-marker]",
        ),
        # YAML 1.1's false, which perfscore reads as text: a yes or no, never the reason 'no'
        (
            "x: {unknown: no}",
            "f.yaml:3:16: fact 'x': 'unknown: no' says yes or no, not why the value is unknown "
            "[invalid-marker]",
        ),
        (
            "x: {unknown: 否}",
            "f.yaml:3:16: fact 'x': 'unknown: 否' says yes or no, not why the value is unknown "
            "[invalid-marker]",
        ),
    ],
)
def test_a_wrong_marker_is_an_error_at_its_place(change: str, message: str) -> None:
    with pytest.raises(FactsError) as caught:
        score(change)
    assert [p.render().splitlines()[0] for p in caught.value.problems] == [message]


def test_a_list_fact_read_by_formulas_may_be_unknown_but_not_a_records_groups() -> None:
    rubric = parse_rubric(
        RUBRIC.replace(
            "formula: honours}",
            "formula: count(rows)}",
        ).replace(
            "  honours: {type: integer, label: Honours, min: 0, max: 5}",
            "  honours: {type: integer, label: Honours, min: 0, max: 5}\n"
            "  rows: {type: list, label: Rows, max_items: 3, fields: {n: {type: number, "
            "label: N}}}",
        ),
        name="r.yaml",
    )
    doc = read_facts_document(
        parse_document(f"facts:\n{KNOWN}  rows: {{unknown: cut off}}\n", name="f.yaml")
    )
    assert span(rubric.evaluate(doc), "k") == (D(0), D(3))


def test_the_markers_read_from_json_too() -> None:
    values = {"rate": 95, "done": 6, "planned": 8, "late": 4, "cut": False, "wrong": 0}
    data = {"facts": {**values, "lv": "good", "honours": 2, "x": {"unknown": True}}}
    doc = read_facts_document(parse_document(json.dumps(data), name="f.json"))
    card = parse_rubric(RUBRIC, name="r.yaml").evaluate(doc)
    assert span(card, "f") == (D(0), D(10))


# --- ranges, method by method -----------------------------------------------------------------


def test_a_formula_spans_the_facts_bounds() -> None:
    assert span(score("x: {unknown: true}"), "f") == (D(0), D(10))


def test_bands_span_the_scores_of_the_bands_the_measure_can_reach() -> None:
    assert span(score("rate: {unknown: true}"), "b") == (D(0), D(10))


def test_a_ratio_with_a_known_target_is_exact_at_both_ends() -> None:
    # 10 × [0, 8] / 8, clamped to 10
    assert span(score("done: {unknown: true}"), "r") == (D(0), D(10))
    # 10 × 6 / [1, 8]: at least 7.5, at most 60 → 10
    assert span(score("planned: {unknown: true}"), "r") == (D("7.5"), D(10))


def test_per_unit_deducts_over_the_measures_bounds_down_to_the_floor() -> None:
    assert span(score("late: {unknown: true}"), "p") == (D(0), D(10))


def test_a_checklist_item_that_may_apply_deducts_or_not() -> None:
    assert span(score("cut: {unknown: true}"), "c") == (D(8), D(10))
    assert span(score("wrong: {unknown: true}"), "c") == (D(1), D(10))


def test_tiers_span_the_levels_and_the_assessed_scores_they_allow() -> None:
    assert span(score("lv: {unknown: true}"), "t") == (D(6), D(10))
    # a known level with an unknown assessed score: within its tier, [5, 8) for fair
    card = score("lv: fair", "honours: 2\n  lv_score: {unknown: true}")
    # [5, 8) rounded down to 0.5: 7.99 scores 7.5, 8 is not reachable
    assert span(card, "t") == (D(5), D("7.5"))


def test_a_bonus_reading_an_unknown_value_is_a_range_too() -> None:
    card = score("honours: {unknown: true}")
    assert span(card, "k") == (D(0), D(5))
    assert card.bonus_total is None


def test_totals_groups_and_grades_follow_the_ends() -> None:
    card = score("x: {unknown: not shown}")
    # known: b 10, r 7.5, p 8, c 10, t 10 = 45.5; f in [0, 10]; bonus 2
    assert card.groups[0].score is None
    assert card.groups[0].range is not None
    assert (card.groups[0].range.min, card.groups[0].range.max) == (D("45.5"), D("55.5"))
    assert card.total is None
    assert card.grade is None
    assert card.total_range is not None
    assert (card.total_range.min, card.total_range.max) == (D("47.5"), D("57.5"))
    assert card.grades_possible == ("A", "B")  # in the rubric's order


def test_a_range_with_a_single_grade_keeps_the_grade() -> None:
    card = score("cut: {unknown: true}")
    # 42.5 known + c in [8, 10] + bonus 2: [52.5, 54.5], all B (A from 55)
    assert card.total_range is not None
    assert (card.total_range.min, card.total_range.max) == (D("52.5"), D("54.5"))
    assert card.grades_possible == ("B",)
    assert card.grade == "B"


def test_redistribution_scales_both_ends() -> None:
    card = score("x: {unknown: true}", not_applicable=["t"])
    # t's 10 points spread over 50: f's max becomes 12, its range [0, 12]
    item = card.indicator("f")
    assert item.max == 12
    assert item.range is not None
    assert (item.range.min, item.range.max) == (D(0), D(12))


def test_a_derived_value_reading_an_unknown_one_is_unknown() -> None:
    rubric = parse_rubric(
        RUBRIC.replace("grades:", "derived:\n  y: {label: Y, formula: x * 2}\ngrades:", 1).replace(
            "formula: x}", "formula: y / 2}"
        ),
        name="r.yaml",
    )
    card = rubric.evaluate(facts("x: {unknown: true}"))
    assert span(card, "f") == (D(0), D(10))


def test_the_trace_names_the_unknown_value_and_its_reason() -> None:
    card = score("x: {unknown: cut off}")
    item = card.indicator("f")
    assert item.trace is not None
    assert [s.detail for s in item.trace.steps] == [
        "Amount (cut off) not known → the score lies in [0, 10]"
    ]


# --- outputs ----------------------------------------------------------------------------------


def test_json_carries_null_scores_with_their_range() -> None:
    data = json.loads(score("x: {unknown: true}").to_json())
    f = data["indicators"][0]
    assert (f["score"], f["range"]) == (None, {"min": 0, "max": 10})
    assert "range" not in data["indicators"][1]
    assert data["total"] is None
    assert data["grade"] is None
    assert data["total_range"] == {"min": 47.5, "max": 57.5}
    assert data["grades_possible"] == ["A", "B"]


def test_text_and_markdown_show_ranges_as_brackets() -> None:
    card = score("x: {unknown: true}")
    text = card.explain()
    assert "Total: [47.5, 57.5] (base [45.5, 55.5] / 60, bonus 2)  Grade: A or B" in text
    assert "[0, 10]" in text
    assert "**[47.5, 57.5]**" in card.to_markdown()


# --- the review with ranges -------------------------------------------------------------------


def test_a_claimed_total_out_of_reach_is_a_finding() -> None:
    claims = "claimed: {indicators: {b: 10, r: 7.5, p: 8, c: 10, t: 10, k: 2}, total: 58}"
    card = score("x: {unknown: true}", claimed=claims)
    assert card.review is not None
    assert [(f.code, f.message) for f in card.review.findings] == [
        ("claimed-total-unreachable", "claimed 58, reachable at most 57.5"),
        ("implied-score-out-of-range", "no claimed score for F (f); the claimed total 58 implies "
         "10.5, outside its range [0, 10]"),
    ]  # fmt: skip
    assert card.discrepancies == ()
    low = score("x: {unknown: true}", claimed=claims.replace("58", "40"))
    assert low.review is not None
    assert low.review.findings[0].message == "claimed 40, reachable at least 47.5"


def test_a_claimed_total_within_reach_is_no_discrepancy() -> None:
    card = score("x: {unknown: true}", claimed="claimed: {total: 50}")
    assert card.discrepancies == ()


def test_a_claimed_score_outside_its_range_or_its_bounds_is_a_finding() -> None:
    card = score("cut: {unknown: true}", claimed="claimed: {indicators: {c: 7, f: 11}}")
    assert card.review is not None
    assert [(f.code, f.indicator) for f in card.review.findings][:2] == [
        ("claimed-score-out-of-bounds", "f"),
        ("claimed-score-unreachable", "c"),
    ]
    assert card.review.findings[0].message == "F (f) claims 11, outside its range [0, 10]"
    assert card.review.findings[1].message == "C (c) claims 7; the known values allow [8, 10]"


# --- doubtful values --------------------------------------------------------------------------


def test_a_doubtful_value_is_scored_as_given_and_said_in_the_trace_and_findings() -> None:
    card = score("x: {value: 7, doubtful: OCR unclear}")
    exact = score()
    assert card.indicator("f").score == exact.indicator("f").score == 7
    assert card.total == exact.total
    trace = card.indicator("f").trace
    assert trace is not None
    assert trace.steps[-1].detail == "the value of Amount is doubtful: OCR unclear"
    assert [(w.check, w.message) for w in card.warnings] == [
        ("doubtful:f", "F (f) read a doubtful value: x; please check it")
    ]


def test_a_record_field_can_be_unknown_but_not_its_points() -> None:
    rubric = parse_rubric(
        textwrap.dedent(
            """\
            perfscore: 1
            id: t
            version: "1"
            title: T
            facts:
              rows:
                type: list
                label: Rows
                fields:
                  name: {type: text, label: Name}
                  points: {type: number, label: Points, min: 0}
                  actual: {type: number, label: Actual, min: 0, max: 100}
            groups:
              - id: out
                name: Out
                max: 20
                records:
                  list: rows
                  name: name
                  max: points
                  rules:
                    any: {formula: "full * actual / 100"}
            grades:
              - {grade: A}
            """
        ),
        name="r.yaml",
    )
    text = (
        "facts:\n  rows:\n    - {name: a, points: 10, actual: 90}\n"
        "    - {name: b, points: 10, actual: {unknown: cut off}}\n"
    )
    card = rubric.evaluate(read_facts_document(parse_document(text, name="f.yaml")))
    assert span(card, "out.1") == D(9)
    assert span(card, "out.2") == (D(0), D(10))
    bad = text.replace("points: 10, actual: {unknown", "points: {unknown: x}, actual: {unknown")
    with pytest.raises(ScoringError) as caught:
        rubric.evaluate(read_facts_document(parse_document(bad, name="f.yaml")))
    assert caught.value.code == "unknown-not-allowed"


def test_claims_given_in_python_can_meet_ranges() -> None:
    card = parse_rubric(RUBRIC, name="r.yaml").evaluate(
        facts("x: {unknown: true}"), claims=Claims({}, D(60))
    )
    assert card.review is not None
    assert card.review.findings[0].code == "claimed-total-unreachable"


def test_a_records_groups_list_cannot_be_unknown() -> None:
    root = ROOT
    rubric = load_rubric(root / "rubric" / "project-sheet-national" / "2020.1.yaml")
    text = (root / "examples" / "project-sheet-lijiang-2020.yaml").read_text(encoding="utf-8")
    cut = (
        text[: text.index("  benefits:")] + "  satisfactions: []\n  benefits: {unknown: cut off}\n"
    )
    doc = read_facts_document(parse_document(cut, name="cut.yaml"))
    with pytest.raises(ScoringError) as caught:
        rubric.evaluate(doc)
    assert caught.value.code == "unknown-not-allowed"
    location = caught.value.problems[0].location
    assert location is not None
    assert (location.file, location.line) == ("cut.yaml", cut.count("\n"))


def test_the_truncated_seed_report_scores_what_it_shows_and_ranges_the_rest() -> None:
    root = ROOT
    rubric = load_rubric(root / "rubric" / "dept-overall-huizhou" / "2022.1.yaml")
    card = rubric.evaluate(
        load_facts(ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022-truncated.yaml")
    )
    groups = {g.id: g for g in card.groups}
    # the two sections above the cut score as in the full report (19.5 and 41.5)
    assert (groups["budgeting"].score, groups["execution"].score) == (D("19.5"), D("41.5"))
    # 预算使用效益: 公用经费控制率 reads only the table (4); the 30 other points are unknown
    effect = groups["effectiveness"].range
    assert effect is not None
    assert (effect.min, effect.max) == (D(4), D(34))
    assert card.total_range is not None
    # base [65, 95] plus a bonus anywhere in its declared [-5, 10], with no cap
    assert (card.total_range.min, card.total_range.max) == (D(60), D(105))
    assert card.grades_possible == ("优", "良", "中")
    assert card.grade is None


def test_a_claimed_total_beyond_the_truncated_reports_reach_is_named_in_its_language() -> None:
    rubric = load_rubric(ROOT / "rubric" / "dept-overall-huizhou" / "2022.1.yaml")
    document = load_facts(ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022-truncated.yaml")
    card = rubric.evaluate(document, claims=Claims(document.claims.indicators, D(110)))  # type: ignore[union-attr]
    assert card.review is not None
    assert card.review.findings[0].message == "自评总分 110，按可见数据最高可得 105"


# --- perfscore check --unknowns ---------------------------------------------------------------


def test_check_says_which_facts_leave_which_indicators_a_range() -> None:
    from perfscore._tools._check import unknown_effects

    rubric = parse_rubric(
        RUBRIC.replace("grades:", "derived:\n  y: {label: Y, formula: x * 2}\ngrades:", 1).replace(
            "formula: honours}", 'formula: "min(honours, y)"}'
        ),
        name="r.yaml",
    )
    notes = {p.subject: (p.message, p.severity, p.code) for p in unknown_effects(rubric)}
    assert notes["fact 'x' (Amount)"] == (
        "when it is unknown, f and k become a range",
        "note",
        "unknown-effect",
    )
    assert notes["fact 'lv_score' (Assessed)"][0] == "when it is unknown, t becomes a range"
    assert notes["fact 'done' (Done)"][0] == "when it is unknown, r becomes a range"
    # every fact here is read by some indicator
    assert len(notes) == 10


def test_check_names_a_records_groups_rows_for_their_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from perfscore import cli

    code = cli.main(
        [
            "--lang",
            "en",
            "check",
            "--unknowns",
            str(ROOT / "rubric/project-sheet-national/2020.1.yaml"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert (
        "note: fact 'satisfactions.assessed' (评定得分): when it is unknown, the record's row of "
        "group 'satisfaction' becomes a range [unknown-effect]"
    ) in out
    assert "fact 'fund_total_full' (年度资金总额全年预算数): when it is unknown, exec_rate" in out
    plain = cli.main(
        ["--lang", "en", "check", str(ROOT / "rubric/project-sheet-national/2020.1.yaml")]
    )
    assert plain == 0
    assert "unknown-effect" not in capsys.readouterr().out


def test_a_bonus_range_ending_at_0_keeps_its_end_in_the_total() -> None:
    rubric = parse_rubric(
        RUBRIC.replace(
            "{id: k, name: K, min: 0, max: 5, formula: honours}",
            '{id: k, name: K, min: -5, max: 0, formula: "0 - honours"}',
        ),
        name="r.yaml",
    )
    card = rubric.evaluate(facts("honours: {unknown: true}"))
    # base 52.5 (7 + 10 + 7.5 + 8 + 10 + 10), bonus [-5, 0]
    assert card.total_range is not None
    assert (card.total_range.min, card.total_range.max) == (D("47.5"), D("52.5"))


COUNTED = textwrap.dedent(
    """\
    perfscore: 1
    id: counted
    version: "1"
    title: T
    language: en
    facts:
      rows:
        type: list
        label: Rows
        fields:
          k: {type: enum, label: Kind, values: [a, b]}
    derived:
      a_rows: {label: A rows, formula: "count(rows, k, 'a')"}
    groups:
      - id: g
        name: G
        max: 4
        children:
          - {id: direct, name: Direct, max: 2, formula: "count(rows, k, 'a')", rounding: none}
          - {id: derived, name: Derived, max: 2, formula: a_rows, rounding: none}
    grades: [{grade: A}]
    """
)


def test_a_list_with_an_unknown_field_is_not_read_as_exact() -> None:
    # Row 1's kind cannot be read: counting the 'a' rows gives 1 or 2, whichever it was; reading
    # the list as if the unknown kind matched nothing would claim exactly 1.
    card = parse_rubric(COUNTED, name="r.yaml").evaluate(
        {"rows": [{"k": {"unknown": "illegible"}}, {"k": "a"}]}
    )
    for indicator in ("direct", "derived"):
        item = card.indicator(indicator)
        assert item.score is None, indicator
        assert item.range is not None
        assert item.range.min <= 1, (indicator, item.range)
        assert item.range.max >= 2, (indicator, item.range)


PAID = textwrap.dedent(
    """\
    perfscore: 1
    id: paid
    version: "1"
    title: T
    language: en
    facts:
      items:
        type: list
        label: Items
        fields:
          paid: {type: number, label: Paid, min: 0}
          note: {type: number, label: Note, min: 0, max: 10}
      budget: {type: number, label: Budget, min: 0}
    derived:
      paid_total: {label: Paid in all, formula: "sum(items, paid)"}
    groups:
      - id: g
        name: G
        max: 30
        children:
          - {id: notes, name: Notes, max: 10, formula: "min(10, sum(items, note))", rounding: none}
          - {id: mean_note, name: Mean note, max: 10, formula: "mean(items, note)", rounding: none}
          - {id: counted, name: Counted, max: 5, formula: "count(items)", rounding: none}
          - {id: paid, name: Paid, max: 5, formula: "min(5, paid_total / 100)", rounding: none}
    grades: [{grade: A}]
    checks:
      - {id: overpaid, when: "sum(items, paid) > budget", message: "paid {paid_total}"}
      - {id: noted, when: "sum(items, note) > 5", message: "noted"}
    """
)


def test_an_unknown_field_leaves_what_reads_other_fields_exact() -> None:
    # the second item's note cannot be read; its paid can. What reads only paid, or only the
    # number of items, is exact, and a check on paid fires as it would without the mark
    card = parse_rubric(PAID, name="r.yaml").evaluate(
        {
            "budget": 100,
            "items": [{"paid": 80, "note": 3}, {"paid": 70, "note": {"unknown": "illegible"}}],
        }
    )
    assert card.indicator("counted").score == Decimal(2)
    assert card.indicator("paid").score == Decimal("1.5")
    # what reads the note spans what the unknown note allows, the known one counted exactly:
    # 3 + [0, 10] = [3, 13], at most 10; the mean (3 + [0, 10]) / 2 = [1.5, 6.5]
    notes, mean = card.indicator("notes"), card.indicator("mean_note")
    assert notes.score is None
    assert notes.range is not None
    assert (notes.range.min, notes.range.max) == (Decimal(3), Decimal(10))
    assert mean.score is None
    assert mean.range is not None
    assert (mean.range.min, mean.range.max) == (Decimal("1.5"), Decimal("6.5"))
    found = {w.check: (w.severity, w.message) for w in card.warnings}
    assert found["overpaid"] == ("warning", "paid 150")
    # sum(items, note) > 5 over [3, 13]: either way, so it cannot be told
    assert found["noted"][0] == "info"
