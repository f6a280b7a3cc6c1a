"""The bundled rubric on the filed 2022 report and on its consistent variant."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
CONSISTENT = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022-consistent.yaml"
RUBRIC = perfscore.load_rubric("dept-overall-huizhou@2022.1")


def test_the_bundled_rubric_is_found_by_reference_and_sums_to_100() -> None:
    assert "dept-overall-huizhou@2022.1" in perfscore.bundled_rubrics()
    card = RUBRIC.evaluate(perfscore.load_facts(SEED))
    top = [g for g in card.groups if g.parent is None]
    assert [(g.name, g.max) for g in top] == [
        ("预算编制", Decimal(21)),
        ("预算执行", Decimal(45)),
        ("预算使用效益", Decimal(34)),
    ]
    assert len([i for i in card.indicators if i.kind == "indicator"]) == 25


def test_the_filed_report_scores_as_the_department_claimed() -> None:
    card = RUBRIC.evaluate(perfscore.load_facts(SEED))
    assert (card.base_total, card.bonus_total, card.total, card.grade) == (
        Decimal(95),
        Decimal(8),
        Decimal(103),
        "优",
    )
    assert card.indicator("procurement_rate").score == 0
    assert card.indicator("spend_rate").score == Decimal("5.5")
    # the JSON total is the sum of the indicator scores under the uncapped bonus policy
    data = json.loads(card.to_json())
    assert Decimal(str(data["total"])) == sum(Decimal(str(i["score"])) for i in data["indicators"])
    assert card.discrepancies == ()
    assert card.review is not None
    assert card.review.implied == {"satisfaction": Decimal(4)}


def test_contradictions_in_the_report_warn_and_the_consistent_variant_does_not() -> None:
    seed = RUBRIC.evaluate(perfscore.load_facts(SEED))
    assert {w.check for w in seed.warnings} == {
        "spend_rate_mismatch",
        "carryover_rate_mismatch",
        "outreach_sessions_mismatch",
        "public_funds_evidence_sangong",
    }
    consistent = RUBRIC.evaluate(perfscore.load_facts(CONSISTENT))
    assert consistent.warnings == ()
    assert consistent.discrepancies == ()


@pytest.mark.parametrize(("path", "code"), [(SEED, 1), (CONSISTENT, 0)])
def test_fail_on_discrepancy_gates_on_findings(path: Path, code: int) -> None:
    assert main(["score", str(path), "--fail-on-discrepancy", "--format", "json"]) == code


@pytest.mark.parametrize("ref", perfscore.bundled_rubrics())
def test_every_bundled_rubric_passes_check_strict(ref: str) -> None:
    findings = perfscore.check_rubric(perfscore.load_rubric(ref))
    assert [f for f in findings if f.severity != "note"] == []


@pytest.mark.parametrize("ref", perfscore.bundled_rubrics())
def test_every_bundled_rubric_has_cases_that_pass_with_full_rule_coverage(ref: str) -> None:
    from perfscore._tools._cases import coverage, load_cases, run_case

    rubric_id, _, version = ref.partition("@")
    case_file = load_cases(ROOT / "rubric" / rubric_id / f"{version}.cases.yaml")
    results = [run_case(case_file, case) for case in case_file.cases]
    assert [r.case.name for r in results if r.status == "fail"] == []
    cov = coverage(case_file.rubric, results)
    assert (cov.exercised, dict(cov.missing)) == (cov.total, {})


def test_a_report_for_the_other_bundled_rubric_says_so_first(tmp_path: Path) -> None:
    # the 2022 department report, with its rubric line changed to the project-sheet rubric:
    # every one of its 64 facts is unknown there, and the sheet's own facts are missing
    text = SEED.read_text(encoding="utf-8").replace(
        "rubric: dept-overall-huizhou@2022.1", "rubric: project-sheet-national@2020.1"
    )
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    facts = perfscore.load_facts(path)
    sheet = perfscore.load_rubric("project-sheet-national@2020.1")
    with pytest.raises(perfscore.FactsError) as info:
        sheet.evaluate(facts)
    first, *rest = info.value.problems
    line = text.splitlines().index("rubric: project-sheet-national@2020.1") + 1
    assert (first.code, first.location) == (
        "rubric-mismatch",
        perfscore.Location(str(path), line, 9),
    )
    assert first.message == (
        "the facts look like a document for dept-overall-huizhou@2022.1, not "
        f"project-sheet-national@2020.1: {len(facts.facts)} of {len(facts.facts)} fact names are "
        "dept-overall-huizhou@2022.1's"
    )
    assert first.hint == (
        "change the document's 'rubric' to dept-overall-huizhou@2022.1, the rubric its facts "
        "are written for"
    )
    assert info.value.summary == (
        f"{path}: looks like facts for dept-overall-huizhou@2022.1; {len(rest)} problem(s) "
        "against project-sheet-national@2020.1"
    )
    # the rest as before: its facts, and its not_applicable and claimed ids, do not fit the sheet
    assert {p.code for p in rest} == {"unknown-fact", "missing-fact", "unknown-indicator"}


def test_a_few_unknown_facts_are_not_taken_for_another_rubric() -> None:
    # three typos in the report are three unknown facts, nothing more
    facts = perfscore.load_facts(SEED)
    raw = dict(facts.facts)
    for name in ("spend_rate_stated", "carryover_rate_stated", "benefit_score"):
        raw[name + "_x"] = raw.pop(name)
    with pytest.raises(perfscore.FactsError) as info:
        RUBRIC.evaluate(raw)
    assert "rubric-mismatch" not in {p.code for p in info.value.problems}


# 2022.2: plausible ranges on the rates reported in percent ---------------------------------


def _copy(tmp_path: Path, source: Path, version: str, *, fraction: bool) -> perfscore.FactsDocument:
    """`source` written for `version` of the rubric; with `fraction`, 95.87% typed as 0.9587."""
    text = source.read_text(encoding="utf-8")
    for old, new in (
        ("rubric: dept-overall-huizhou@2022.1\n", f"rubric: dept-overall-huizhou@{version}\n"),
        *((("  spend_rate_stated: 95.87\n", "  spend_rate_stated: 0.9587\n"),) if fraction else ()),
    ):
        assert old in text
        text = text.replace(old, new)
    copy = tmp_path / f"{source.stem}-{version}.yaml"
    copy.write_text(text, encoding="utf-8")
    return perfscore.load_facts(copy)


def _scores(card: perfscore.Scorecard) -> list[tuple[str, Decimal]]:
    return [(i.id, i.score) for i in card.indicators]


def test_2022_2_warns_about_a_rate_typed_as_a_fraction_and_scores_as_2022_1(
    tmp_path: Path,
) -> None:
    new = perfscore.load_rubric("dept-overall-huizhou@2022.2")
    old_card = RUBRIC.evaluate(_copy(tmp_path, SEED, "2022.1", fraction=True))
    new_card = new.evaluate(_copy(tmp_path, SEED, "2022.2", fraction=True))
    # the fraction is scored as given by both: 6 - 0.1 × 99.0413 -> floor 0
    assert new_card.indicator("spend_rate").score == old_card.indicator("spend_rate").score == 0
    assert _scores(new_card) == _scores(old_card)
    assert new_card.total == old_card.total == Decimal("97.5")  # 103 - 5.5
    # 2022.1 is unchanged: its four warnings, none about plausibility
    assert [w.check for w in old_card.warnings] == [
        "spend_rate_mismatch",
        "carryover_rate_mismatch",
        "outreach_sessions_mismatch",
        "public_funds_evidence_sangong",
    ]
    assert (new_card.warnings[0].check, new_card.warnings[0].message) == (
        "plausible:spend_rate_stated",
        "报告所述部门预算资金支出率为 0.9587，不在合理范围 [50, 100] 内，请核对：是否应为 95.87%？",
    )
    assert [w.check for w in new_card.warnings][1:] == [w.check for w in old_card.warnings]


def test_2022_2_on_the_filed_report_gives_no_plausibility_warning(tmp_path: Path) -> None:
    # the carry-over rate of 0.90% is real and 2022.2 declares no range for it
    new = perfscore.load_rubric("dept-overall-huizhou@2022.2")
    old_card = RUBRIC.evaluate(perfscore.load_facts(SEED))
    new_card = new.evaluate(_copy(tmp_path, SEED, "2022.2", fraction=False))
    assert new_card.warnings == old_card.warnings
    assert _scores(new_card) == _scores(old_card)
    assert new.model.facts["carryover_rate_stated"].plausible is None
    consistent = new.evaluate(_copy(tmp_path, CONSISTENT, "2022.2", fraction=False))
    assert consistent.warnings == ()
