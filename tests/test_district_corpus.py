"""The district rubric dept-overall-huizhou@2022.3 against the constructed corpus.

Every expected total here is worked by hand from the rules (docs/rubrics.md says how each
indicator scores); none is copied from perfscore's output. The corpus's own case files pin the
indicator scores and warnings; this file pins what the two versions do side by side, the
honesty of the basis labels, and that docs/rubrics.md shows the live `perfscore diff` output.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore._load._model import Indicator, iter_nodes

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "rubric" / "dept-overall-huizhou" / "corpus"
OLD = "dept-overall-huizhou@2022.2"
NEW = "dept-overall-huizhou@2022.3"

# document -> (total and grade under 2022.2, or the code it is refused with; under 2022.3)
EXPECTED: dict[str, tuple[str, str]] = {
    # 102.84% is above 2022.2's percent bound of 100; 2022.3: 6 - 0.284 -> 5.5, 财务合规性 5,
    # bonus national 2 + city 1 - province 1.5 - district 0.5 = 1: 98.5 + 1
    "yingji-2022": ("out-of-bounds", "99.5 优"),
    # weighted 94.11% -> 4 (100); plain mean 76.25% -> 4 x 76.25 / 90 = 3.39 -> 3 (99)
    "jiaoyu-2022": ("100 优", "99 优"),
    # 2022.2: 公开 26 days -2, bonus -1: 98 - 1; 2022.3: also -0.5 for the unadmitted -12.2%,
    # bonus province -1.5: 97.5 - 1.5
    "zhujian-2022": ("97 优", "96 优"),
    # 2022.2: 效果性 13 + 3.5 after floor (99.5); 2022.3: 社会经济环境效益 10 x 14/10 = 14 (100)
    "danganguan-2022": ("99.5 优", "100 优"),
    # 满意度 0 both; bonus 2 district honours: +2 (98) / +1 (97)
    "tongji-2022": ("98 优", "97 优"),
    # procurement amounts: 2022.2 does not know the facts; 2022.3: 55% -> 0 (97)
    "weijian-2022": ("unknown-fact", "97 优"),
    # procurement amounts: 2022.3: 100.1% -> 2.99 -> 2.5 (99.5)
    "caizheng-2022": ("unknown-fact", "99.5 优"),
    # six honours: +6 (106) / national 2 + province 1.5 + 2 city + 2 x 0.5 = 6.5 (106.5)
    "fagai-2022": ("106 优", "106.5 优"),
    # 2022.2: 8 x 17/13 -> 10, 2.5 x 17/13 -> 3 (96); 2022.3: 8 x 1.4 = 11.2 -> 11, 信访 2.5 (96.5)
    "xinfang-2022": ("96 优", "96.5 优"),
    # 支出率 92% -> 5, 结转 8% -> 1.5 under both (97.5)
    "minzheng-2022": ("97.5 优", "97.5 优"),
    # admitted +25% -0.5, 支出率 99.5% -> 5.5 under both (99)
    "shangwu-2022": ("99 优", "99 优"),
    # bonus 1 - 5 = -4 (96) / 0.5 - (3 + 1) = -3.5 (96.5)
    "chengguan-2022": ("96 优", "96.5 优"),
    # base 88 (six deductions, see its case file); two district honours: +2 (90 优) / +1 (89 良)
    "shuiwu-2022": ("90 优", "89 良"),
}


def _outcome(rubric: perfscore.Rubric, document: perfscore.FactsDocument) -> str:
    try:
        card = rubric.evaluate(document.facts, not_applicable=document.not_applicable)
    except perfscore.PerfscoreError as exc:
        return exc.code
    return f"{format(card.total.normalize(), 'f')} {card.grade}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_constructed_department_under_both_versions(name: str) -> None:
    document = perfscore.load_facts(CORPUS / f"{name}.yaml")
    old, new = EXPECTED[name]
    assert _outcome(perfscore.load_rubric(OLD), document) == old
    assert _outcome(perfscore.load_rubric(NEW), document) == new


def test_the_corpus_is_at_least_twelve_constructed_documents_with_cases() -> None:
    documents = sorted(p for p in CORPUS.glob("*.yaml") if not p.name.endswith(".cases.yaml"))
    assert [p.stem for p in documents] == sorted(EXPECTED)
    for path in documents:
        text = path.read_text(encoding="utf-8")
        header = text.split("\nrubric:", 1)[0]
        assert "Varies:" in header, path.name
        assert "CONSTRUCTED, NOT FILED" in header, path.name
        assert (CORPUS / f"{path.stem}.cases.yaml").is_file(), path.name


def test_the_filed_report_scores_the_same_except_the_weighted_bonus() -> None:
    seed = perfscore.load_facts(ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml")
    old = perfscore.load_rubric(OLD).evaluate(seed.facts)
    new = perfscore.load_rubric(NEW).evaluate(seed.facts)
    # 3 district x 0.5 + 4 city x 1 + 1 province x 1.5 = 7 instead of 8 honours x 1
    assert (old.total, old.grade, new.total, new.grade) == (
        Decimal(103),
        "优",
        Decimal(102),
        "优",
    )
    old_ids = {i.id for i in old.indicators}
    changed = {
        i.id for i in new.indicators if i.id in old_ids and i.score != old.indicator(i.id).score
    }
    assert changed == {"performance_adjustment"}


def test_the_filed_reports_review_lists_every_item_the_figures_can_show() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou-zuzhibu@2022.3")
    path = ROOT / "rubric" / "dept-overall-huizhou-zuzhibu" / "examples"
    card = rubric.evaluate(perfscore.load_facts(path / "huizhou-dayawan-zuzhibu-2022.yaml"))
    fired = {w.check for w in card.warnings}
    by_item = {
        "§7.1": "spend_rate_mismatch",
        "§7.2": "carryover_rate_mismatch",
        "§7.3 / H2": "revenue_expenditure_gap",
        "§7.4": "public_funds_evidence_sangong",
        "§7.5": "procurement_scored_on_sentence",
        "§7.6": "satisfaction_points_not_stated",
        "§7.7": "bonus_above_base",
        "§7.8": "outreach_sessions_mismatch",
        "§7.9": "key_tasks_are_funding_lines",
        "§7.10": "disclosure_close_to_limit",
        "X1": "key_tasks_listed_mismatch",
        "X2": "large_adjustment_denied",
        "X3": "survey_rate_vs_counts",
        "X4": "procurement_over_vs_compliance",
        "H3 (sum)": "stated_rates_sum",
        "H3 (清零)": "carryover_despite_clearing",
    }
    assert {item for item, check in by_item.items() if check not in fired} == set()
    assert fired == set(by_item.values())


def test_the_stated_survey_rate_is_checked_against_its_counts_naming_the_survey() -> None:
    # criteria §9 X3: "满意度约为 93%" beside 2516 satisfied of 2683 served = 93.7756%
    rubric = perfscore.load_rubric("dept-overall-huizhou-zuzhibu@2022.3")
    path = ROOT / "rubric" / "dept-overall-huizhou-zuzhibu" / "examples"
    card = rubric.evaluate(perfscore.load_facts(path / "huizhou-dayawan-zuzhibu-2022.yaml"))
    (x3,) = [w for w in card.warnings if w.check == "survey_rate_vs_counts"]
    assert "第 4 条" in x3.message
    assert "高层次人才" in x3.message
    for figure in ("93%", "2516", "2683"):
        assert figure in x3.message
    # the stated 93 (not the 93.78 typed for 2022.1) still scores 4: the mean is 95.25
    assert card.indicator("satisfaction").score == Decimal(4)


def test_each_survey_below_the_target_is_named_even_when_the_mean_is_above_it() -> None:
    document = perfscore.load_facts(CORPUS / "jiaoyu-2022.yaml")
    card = perfscore.load_rubric(NEW).evaluate(
        document.facts, not_applicable=document.not_applicable
    )
    below = [w.message for w in card.warnings if w.check == "survey_below_target"]
    rates = [r["rate"] for r in document.facts["surveys"]]
    assert len(below) == sum(1 for r in rates if r < 90) > 0
    assert all("低于目标值 90%" in m for m in below)


def test_an_empty_survey_list_is_warned_about_only_when_not_marked_not_applicable() -> None:
    # the check reads the document's 不涉及 marks through not_applicable('satisfaction')
    rubric = perfscore.load_rubric(NEW)
    notes: dict[str, list[str]] = {}
    for name in ("danganguan-2022", "xinfang-2022", "tongji-2022"):
        document = perfscore.load_facts(CORPUS / f"{name}.yaml")
        assert document.facts["surveys"] == ()  # a document's lists are tuples
        card = rubric.evaluate(document.facts, not_applicable=document.not_applicable)
        notes[name] = [w.severity for w in card.warnings if w.check == "no_survey_reported"]
    # danganguan and xinfang mark 满意度 不涉及; tongji does not, and its 满意度 scores 0
    assert notes == {"danganguan-2022": [], "xinfang-2022": [], "tongji-2022": ["warning"]}


def test_a_total_above_the_base_maximum_is_flagged_from_the_total_itself() -> None:
    # criteria §7.7: the check reads the scored total (reads: totals), not the bonus formula
    rubric = perfscore.load_rubric(NEW)
    fired: dict[str, bool] = {}
    for path in sorted(CORPUS.glob("*-2022.yaml")):
        document = perfscore.load_facts(path)
        try:
            card = rubric.evaluate(document.facts, not_applicable=document.not_applicable)
        except perfscore.PerfscoreError:
            continue
        fired[path.stem] = any(w.check == "bonus_above_base" for w in card.warnings)
        assert fired[path.stem] == (card.total > 100), path.stem
    # fagai 106.5 is above 100; tongji (97), shuiwu (89) and yingji (99.5) have a positive
    # bonus and stay at or below it
    assert fired["fagai-2022"]
    assert not any(fired[n] for n in ("tongji-2022", "shuiwu-2022", "yingji-2022"))


_ORDER = ("sourced", "recalled", "other-province", "inferred", "assumption")


@pytest.mark.parametrize("ref", [NEW, "dept-overall-huizhou-zuzhibu@2022.3"])
def test_no_basis_label_is_stronger_than_the_weakest_link_its_text_names(ref: str) -> None:
    model = perfscore.load_rubric(ref).model
    items = [n.node for n in iter_nodes(model) if isinstance(n.node, Indicator)]
    too_strong = []
    for item in [*items, *model.bonus]:
        assert item.basis is not None, item.id
        named = [k for k in _ORDER if k in item.basis.text]
        weakest = max(named, key=_ORDER.index, default="sourced")
        if _ORDER.index(weakest) > _ORDER.index(item.basis.kind):
            too_strong.append((item.id, item.basis.kind, weakest))
    assert too_strong == []


def _diff_block() -> str:
    text = (ROOT / "docs" / "rubrics.md").read_text(encoding="utf-8")
    match = re.search(
        r"<!-- diff-2022\.3:begin -->\n```text\n(.*?)```\n<!-- diff-2022\.3:end -->", text, re.S
    )
    assert match is not None, "docs/rubrics.md lost its diff block"
    return match.group(1)


DIFF_ARGS = [
    "diff",
    OLD,
    NEW,
    "--facts",
    "rubric/dept-overall-huizhou/corpus",
    "examples/huizhou-dayawan-zuzhibu-2022.yaml",
    "examples/huizhou-dayawan-zuzhibu-2022-consistent.yaml",
    "--lang",
    "en",
]


def test_the_diff_shown_in_the_docs_is_the_live_output() -> None:
    # the command the docs name, run from the repository root as a reader would run it
    live = subprocess.run(
        [sys.executable, "-m", "perfscore", *DIFF_ARGS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert live.returncode == 0, live.stderr
    assert _diff_block() == live.stdout
    assert "perfscore " + " ".join(DIFF_ARGS) in (ROOT / "docs" / "rubrics.md").read_text(
        encoding="utf-8"
    )


def test_the_diff_says_which_documents_the_old_version_refuses() -> None:
    block = _diff_block()
    assert "15 documents, 12 scored under both versions" in block
    for name in ("yingji-2022", "weijian-2022", "caizheng-2022"):
        assert f"corpus/{name}.yaml" in block.split("failures")[-1]


SHEETS = ROOT / "rubric" / "project-sheet-national" / "corpus"
# sheet -> (total under 2020.1 or its refusal code, total under 2020.2, grade); hand-worked in
# each sheet's case file: 2020.2 adds checks only, so a sheet both versions read scores the same
EXPECTED_SHEETS: dict[str, tuple[str, str, str]] = {
    "points-110-2022": ("107", "107", "优"),
    "silent-qualitative-2022": ("100", "100", "优"),
    "plan-breakdown-2022": ("unknown-fact", "98.8", "优"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_SHEETS))
def test_each_constructed_sheet_under_both_versions(name: str) -> None:
    document = perfscore.load_facts(SHEETS / f"{name}.yaml")
    old, new, grade = EXPECTED_SHEETS[name]
    results = []
    for ref in ("project-sheet-national@2020.1", "project-sheet-national@2020.2"):
        try:
            card = perfscore.load_rubric(ref).evaluate(document.facts)
        except perfscore.PerfscoreError as exc:
            results.append(exc.code)
        else:
            assert card.grade == grade
            results.append(format(card.total.normalize(), "f"))
    assert results == [old, new]


def test_a_silent_full_mark_and_a_large_cut_are_warned_only_by_the_new_sheet_version() -> None:
    document = perfscore.load_facts(SHEETS / "silent-qualitative-2022.yaml")
    old = perfscore.load_rubric("project-sheet-national@2020.1").evaluate(document.facts)
    new = perfscore.load_rubric("project-sheet-national@2020.2").evaluate(document.facts)
    assert [w.check for w in old.warnings] == []
    assert {w.check for w in new.warnings} == {
        "benefit_unevidenced_full_marks",
        "budget_change_large",
    }
    # one warning per row, each naming its row
    rows = [w.message for w in new.warnings if w.check == "benefit_unevidenced_full_marks"]
    assert len(rows) == 4
    assert rows[0].startswith("丰富群众文化生活：")


def _clean_truncated_sheet(tmp_path: Path, version: str) -> Path:
    # a sheet whose rows all meet numeric targets, cut off after its last row: nothing but the
    # truncation to report
    text = (SHEETS / "silent-qualitative-2022.yaml").read_text(encoding="utf-8")
    head = text.split("  benefits:\n", 1)[0]
    head = head.replace("fund_total_initial: 100", "fund_total_initial: 66")
    head = head.replace("project-sheet-national@2020.2", f"project-sheet-national@{version}")
    body = (
        "  benefits:\n"
        "    - {code: social1, level2: 社会效益指标, name: 受益群众人次, points: 40,"
        ' direction: ">=", target: 1000, unit: 人次, actual: 1200}\n'
        "  satisfactions: []\n"
        "  sheet_truncated: true\n"
        "  sheet_note: 原表在最后一行之后截断，自评总分不可见\n"
    )
    path = tmp_path / f"truncated-{version}.yaml"
    path.write_text(head + body, encoding="utf-8")
    return path


def test_a_cut_off_sheet_fails_a_batch_only_under_the_old_sheet_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from perfscore import cli

    old = _clean_truncated_sheet(tmp_path, "2020.1")
    new = _clean_truncated_sheet(tmp_path, "2020.2")
    # 2020.1: sheet_truncated is a warning, so --fail-on warning cannot tell it from a bad sheet
    assert cli.main(["score", str(old), "--no-trace", "--fail-on", "warning"]) == 1
    # 2020.2: it is information; the sheet scores 10 + 50 + 40 = 100 and fails nothing
    assert cli.main(["score", str(new), "--no-trace", "--fail-on", "warning"]) == 0
    card = perfscore.load_rubric("project-sheet-national@2020.2").evaluate(
        perfscore.load_facts(new).facts
    )
    assert card.total == 100
    assert [(w.check, w.severity) for w in card.warnings] == [("sheet_truncated", "info")]
    capsys.readouterr()


def test_a_rescaled_maximum_is_shown_rounded_never_as_a_34_digit_decimal() -> None:
    # 2022.1 with 满意度 不涉及: 社会经济环境效益 10 x 17/13 = 13.0769..., 信访 3 x 17/13 = 3.923...
    seed = perfscore.load_facts(ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml")
    card = perfscore.load_rubric("dept-overall-huizhou@2022.1").evaluate(
        seed.facts, not_applicable=["satisfaction"]
    )
    assert str(card.indicator("social_benefit").max).startswith("13.0769230769")  # kept exact
    for report in (card.explain(), card.to_markdown()):
        assert "0769230769" not in report
        assert "≈13.08" in report
        assert "≈3.92" in report
    # the district version's 14/10 needs no rounding at all
    new = perfscore.load_rubric(NEW).evaluate(seed.facts, not_applicable=["satisfaction"])
    assert new.indicator("social_benefit").max == 14
    assert "≈" not in new.explain().split("得分明细", 1)[-1].split("工作表现加减分")[0]
