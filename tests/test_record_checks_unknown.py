"""A records group's row checks on a row whose score or fields are unknown: a check fires when it
holds over the whole range, stays silent when it holds nowhere in it, and otherwise says it
cannot be decided (an `info` note), through the interpreter and the generated path alike."""

from __future__ import annotations

import dataclasses
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore import parse_rubric
from perfscore._load._document import parse_document
from perfscore._load._facts import read_facts_document

ROOT = Path(__file__).resolve().parent.parent

RUBRIC = textwrap.dedent(
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
          checks:
            - {id: le_full, when: "score <= full", message: "{name}"}
            - {id: gt_full, when: "score > full", message: "{name}"}
            - {id: at_full, when: "score >= full", message: "{name}"}
            - {id: over_100, when: "actual > 100", message: "{name}"}
            - {id: half, when: "actual >= 50", message: "{name}"}
            - {id: any_actual, when: "actual >= 0", message: "{name}"}
            - {id: shows_score, when: "score <= full", message: "{name} {score}"}
    grades:
      - {grade: A}
    """
)
FACTS = (
    "facts:\n  rows:\n    - {name: a, points: 10, actual: 90}\n"
    "    - {name: b, points: 10, actual: {unknown: cut off}}\n"
)


@pytest.mark.parametrize("codegen", ["0", "1"])
def test_row_checks_on_an_unknown_score_or_field_fire_stay_silent_or_say_so(
    codegen: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFSCORE_CODEGEN", codegen)
    rubric = parse_rubric(RUBRIC, name="r.yaml")
    card = rubric.evaluate(read_facts_document(parse_document(FACTS, name="f.yaml")))
    # row a: 10 * 90 / 100 = 9 exactly; row b: 10 * [0, 100] / 100 = [0, 10]
    assert card.total_range is not None
    assert (card.total_range.min, card.total_range.max) == (Decimal(9), Decimal(19))
    found = [(w.check, w.severity) for w in card.warnings]
    assert sorted(found) == sorted(
        [
            ("le_full", "warning"),  # a: 9 <= 10
            ("le_full", "warning"),  # b: [0, 10] <= 10 surely holds
            # gt_full: a 9 > 10 no; b [0, 10] > 10 surely not: silent both
            ("at_full", "info"),  # a: 9 >= 10 no; b: [0, 10] >= 10 undecided
            # over_100: a 90 no; b's actual is within [0, 100]: surely not
            ("half", "warning"),  # a: 90 >= 50
            ("half", "info"),  # b: [0, 100] >= 50 undecided
            ("any_actual", "warning"),  # a
            ("any_actual", "warning"),  # b: [0, 100] >= 0 surely holds
            ("shows_score", "warning"),  # a
            ("shows_score", "warning"),  # b fires, its message cannot show the score
        ]
    )
    notes = [w.message for w in card.warnings if w.severity == "info"]
    assert all("at_full" in m or "half" in m for m in notes)
    # each note names the row it cannot decide for, as a fired check's message does
    assert sorted(notes) == [
        "b：核查 [at_full] 读取未知数据，无法判断是否成立",
        "b：核查 [half] 读取未知数据，无法判断是否成立",
    ]


@pytest.mark.parametrize("codegen", ["0", "1"])
def test_the_cut_off_chizhou_sheet_scores_under_2020_2_with_a_note_on_its_unknown_row(
    codegen: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFSCORE_CODEGEN", codegen)
    document = perfscore.load_facts(ROOT / "examples" / "project-sheet-chizhou-2022.yaml")
    rubric = perfscore.load_rubric("project-sheet-national@2020.2")
    card = rubric.evaluate(dataclasses.replace(document, rubric_version="2020.2"))
    # by hand from the sheet: 预算执行率 89.974 / 89.974 = 100% -> 10; 产出 8 * 5 + 10 = 50 and
    # 效益 3 * 10 = 30, every row met or 达成 at 100%; the cut-off 满意度 row (10 points, assessed
    # unknown) adds anything in [0, 10]: 90 to 100, 优 (>= 90) at both ends
    assert card.total is None
    assert card.total_range is not None
    assert (card.total_range.min, card.total_range.max) == (Decimal(90), Decimal(100))
    assert card.grade == "优"
    # full marks on that row are possible (score 10) or not (below 10): undecided, an info note;
    # the visible rows all have a target or an actual text, so the check holds for none of them
    unevidenced = [w for w in card.warnings if w.check.endswith("_unevidenced_full_marks")]
    assert [(w.check, w.severity) for w in unevidenced] == [
        ("satisfaction_unevidenced_full_marks", "info")
    ]


EACH = textwrap.dedent(
    """\
    perfscore: 1
    id: e
    version: "1"
    title: E
    facts:
      rows:
        type: list
        label: Rows
        fields:
          name: {type: text, label: Name}
          actual: {type: number, label: Actual, min: 0, max: 100}
    groups:
      - id: g
        name: G
        max: 10
        children:
          - {id: n, name: N, max: 10, formula: "10"}
    checks:
      - {id: any_actual, for_each: rows, when: "actual >= 0", message: "{name}"}
      - {id: negative, for_each: rows, when: "actual < 0", message: "{name}"}
      - {id: half, for_each: rows, when: "actual >= 50", message: "{name}"}
      - {id: shows, for_each: rows, when: "actual <= 100", message: "{name} {actual}"}
    grades:
      - {grade: A}
    """
)


@pytest.mark.parametrize("codegen", ["0", "1"])
def test_a_for_each_check_on_an_unknown_field_fires_stays_silent_or_says_so(
    codegen: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFSCORE_CODEGEN", codegen)
    rubric = parse_rubric(EACH, name="e.yaml")
    text = "facts:\n  rows:\n    - {name: a, actual: 90}\n    - {name: b, actual: {unknown: x}}\n"
    card = rubric.evaluate(read_facts_document(parse_document(text, name="f.yaml")))
    assert card.total == Decimal(10)  # the indicator reads no row
    found = sorted((w.check, w.severity, w.message) for w in card.warnings)
    fired = [(c, s) for c, s, m in found]
    assert fired == sorted(
        [
            ("any_actual", "warning"),  # a: 90 >= 0
            ("any_actual", "warning"),  # b: within [0, 100], surely >= 0
            # negative: a 90 no; b within [0, 100]: surely not, silent
            ("half", "warning"),  # a
            ("half", "info"),  # b: [0, 100] >= 50 cannot be told
            ("shows", "warning"),  # a
            ("shows", "warning"),  # b holds; its message cannot show the unknown actual
        ]
    )
    # row b's sure firing names its row like any other record's
    assert any("b" in m and "2" in m for c, s, m in found if c == "any_actual")
    # and so does the note on the row it cannot decide for
    assert [m for c, s, m in found if s == "info"] == [
        "Rows第 2 条：核查 [half] 读取未知数据，无法判断是否成立"
    ]
