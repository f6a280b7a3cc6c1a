"""`perfscore diff`: rule changes between two rubric versions, and what they do to a corpus."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from perfscore import FactsDocument, cli, parse_rubric
from perfscore._output._render_diff import render_text
from perfscore._tools._diff import (
    Change,
    GradeChange,
    RankChange,
    _delta,
    diff_rubrics,
    diff_scores,
    find_documents,
    load_corpus,
)

OLD = textwrap.dedent(
    """\
    perfscore: 1
    id: yearly
    version: "2023"
    title: 年度评价
    facts:
      rate: {type: percent, label: 满意度}
      spend: {type: percent, label: 支出率}
    groups:
      - id: g
        name: 组
        max: 100
        children:
          - id: sat
            name: 满意度
            max: 40
            bands:
              measure: rate
              table:
                - {range: "[90, inf)", score: 40}
                - {range: "[80, inf)", score: 30}
              otherwise: 10
          - id: exec
            name: 执行率
            max: 60
            formula: spend * 60 / 100
    grades:
      - {grade: 优, min: 90}
      - {grade: 良, min: 80}
      - {grade: 中, min: 60}
      - {grade: 差}
    """
)
# the one change: 40 points now need a satisfaction of 92, not 90
NEW = OLD.replace('version: "2023"', 'version: "2024"').replace("[90, inf)", "[92, inf)")

# rate, spend -> old sat + exec = total grade | new sat + exec = total grade
CORPUS = {
    "a": (95, 100),  # 40 + 60 = 100 优 | 40 + 60 = 100 优
    "b": (91, 90),  # 40 + 54 = 94 优   | 30 + 54 = 84 良
    "c": (90, 85),  # 40 + 51 = 91 优   | 30 + 51 = 81 良
    "d": (85, 100),  # 30 + 60 = 90 优  | 30 + 60 = 90 优
    "e": (50, 80),  # 10 + 48 = 58 差   | 10 + 48 = 58 差
    "f": (91.5, 70),  # 40 + 42 = 82 良 | 30 + 42 = 72 中
}


def write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, (rate, spend) in CORPUS.items():
        (folder / f"{name}.yaml").write_text(
            f"rubric: yearly@2023\nsubject: 单位{name}\nfacts: {{rate: {rate}, spend: {spend}}}\n",
            encoding="utf-8",
        )
    # fails under both versions: a percent above 100
    (folder / "z.json").write_text('{"facts": {"rate": 120, "spend": 50}}', encoding="utf-8")
    # not a facts document: skipped
    (folder / "yearly.cases.yaml").write_text("cases: []\n", encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


def test_the_one_changed_threshold_is_the_only_change() -> None:
    old, new = parse_rubric(OLD, name="old.yaml"), parse_rubric(NEW, name="new.yaml")
    diff = diff_rubrics(old, new)
    assert (diff.old, diff.new) == ("yearly@2023", "yearly@2024")
    assert diff.changes == (
        Change("indicator", "sat", "band[0] range", "[90, inf)", "[92, inf)", "满意度"),
    )


def test_the_documents_and_grades_that_move(corpus: Path) -> None:
    old, new = parse_rubric(OLD, name="old.yaml"), parse_rubric(NEW, name="new.yaml")
    documents, failures = load_corpus([corpus])
    assert failures == []
    scores = diff_scores(old, new, documents)
    assert (scores.documents, scores.compared) == (7, 6)
    sat, execution = scores.indicators
    assert (sat.id, sat.compared, sat.changed) == ("sat", 6, 3)
    assert (sat.least, sat.median, sat.most) == (Decimal(-10), Decimal(-10), Decimal(-10))
    assert (execution.id, execution.changed, execution.least) == ("exec", 0, None)
    assert (scores.total.changed, scores.total.median) == (3, Decimal(-10))
    folder = str(corpus)
    assert scores.grades == (
        GradeChange(f"{folder}/b.yaml", "单位b", "优", "良", Decimal(94), Decimal(84)),
        GradeChange(f"{folder}/c.yaml", "单位c", "优", "良", Decimal(91), Decimal(81)),
        GradeChange(f"{folder}/f.yaml", "单位f", "良", "中", Decimal(82), Decimal(72)),
    )
    # old ranks a1 b2 c3 d4 f5 e6; new a1 d2 b3 c4 f5 e6
    assert scores.ranks == (
        RankChange(f"{folder}/d.yaml", "单位d", 4, 2, Decimal(90), Decimal(90)),
        RankChange(f"{folder}/b.yaml", "单位b", 2, 3, Decimal(94), Decimal(84)),
        RankChange(f"{folder}/c.yaml", "单位c", 3, 4, Decimal(91), Decimal(81)),
    )
    assert [(f.document, f.version, f.code) for f in scores.failures] == [
        (f"{folder}/z.json", "both", "out-of-bounds")
    ]
    assert scores.changed


def test_documents_for_the_old_version_are_scored_by_the_new_one(corpus: Path) -> None:
    old = parse_rubric(OLD, name="old.yaml")
    documents, _ = load_corpus([corpus / "a.yaml"])
    assert documents[0].rubric_version == "2023"
    assert not diff_scores(old, old, documents).changed


def test_documents_for_another_rubric_are_reported_not_scored(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("rubric: elsewhere@1\nfacts: {rate: 95, spend: 100}\n", encoding="utf-8")
    old, new = parse_rubric(OLD, name="old.yaml"), parse_rubric(NEW, name="new.yaml")
    documents, _ = load_corpus([other])
    result = diff_scores(old, new, documents)
    assert [(f.version, f.code) for f in result.failures] == [("neither", "rubric-mismatch")]
    assert not result.changed


def test_cases_files_are_not_facts_documents(corpus: Path) -> None:
    names = [p.name for p in find_documents([corpus])]
    assert names == ["a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml", "f.yaml", "z.json"]


def test_a_corpus_folder_holds_what_score_reads_there(corpus: Path) -> None:
    # a JSON Lines file in the folder was passed over (score reads a document a line), and so
    # was a link to nothing (score reports it unreadable)
    a = json.dumps(json.loads(json.dumps(_yaml_facts(corpus / "a.yaml"))))
    (corpus / "more.jsonl").write_text(a + "\n\n" + a + "\n", encoding="utf-8")
    (corpus / "gone.yaml").symlink_to(corpus / "nowhere.yaml")
    documents, failures = load_corpus([corpus])
    assert len(documents) == 7 + 2  # the seven files, and the two lines of more.jsonl
    assert [(f.document, f.code) for f in failures] == [
        (str(corpus / "gone.yaml"), "file-not-found")
    ]
    lines = [d.document.name for d in documents if d.document and d.document.name.endswith("jsonl")]
    assert lines == [str(corpus / "more.jsonl")] * 2


def _yaml_facts(path: Path) -> object:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_median_of_the_changes_that_happened() -> None:
    pairs = [(Decimal(10), Decimal(0)), (Decimal(5), Decimal(5)), (Decimal(1), Decimal(4))]
    delta = _delta("x", None, pairs)
    assert (delta.compared, delta.changed) == (3, 2)
    assert (delta.least, delta.median, delta.most) == (Decimal(-10), Decimal("-3.5"), Decimal(3))


MANY_OLD = textwrap.dedent(
    """\
    perfscore: 1
    id: many
    version: "1"
    title: t
    facts:
      rate: {type: percent, label: 满意度}
      problems: {type: integer, label: 问题数, min: 0}
      old_fact: {type: boolean, label: 旧}
    groups:
      - id: g
        name: 组
        max: 20
        children:
          - {id: a, name: 甲, max: 10, per_unit: {measure: 100 - rate, points: 0.1}}
          - {id: b, name: 乙, max: 5, formula: "5 if old_fact else 0"}
          - {id: c, name: 丙, max: 5, formula: 5 - problems}
    bonus:
      - {id: plus, name: 加分, min: 0, max: 3, formula: "0"}
    total: {cap: null}
    grades:
      - {grade: 优, min: 18}
      - {grade: 差}
    """
)
MANY_NEW = textwrap.dedent(
    """\
    perfscore: 1
    id: many
    version: "2"
    title: t
    facts:
      rate: {type: percent, label: 满意度}
      problems: {type: integer, label: 问题数, min: 0, max: 10}
      new_fact: {type: number, label: 新, min: 0}
    groups:
      - id: g
        name: 组
        max: 20
        children:
          - {id: a, name: 甲, max: 12, per_unit: {measure: 100 - rate, points: 0.2}}
          - id: c
            name: 丁
            max: 5
            checklist:
              items:
                - {id: p, when: problems > 0, points: problems, reason: r}
          - {id: d, name: 戊, max: 3, formula: new_fact}
    bonus:
      - {id: plus, name: 加分, min: 0, max: 5, formula: "0"}
    total: {cap: 100}
    grades:
      - {grade: 优, min: 17}
      - {grade: 差}
    """
)


def test_every_kind_of_rule_change_is_reported_in_order() -> None:
    diff = diff_rubrics(parse_rubric(MANY_OLD), parse_rubric(MANY_NEW))
    checklist = (
        "checklist:\n  items:\n    - {id: p, when: problems > 0, points: problems, reason: r}"
    )
    assert diff.changes == (
        Change("fact", "problems", "max", None, "10"),
        Change("fact", "new_fact", "added", None, "新 (number, [0, inf])"),
        Change("fact", "old_fact", "removed", "旧 (boolean)", None),
        Change("indicator", "a", "max", "10", "12", "甲"),
        Change(
            "indicator",
            "a",
            "rule",
            "per_unit:\n  measure: 100 - rate\n  points: 0.1",
            "per_unit:\n  measure: 100 - rate\n  points: 0.2",
            "甲",
        ),
        Change("indicator", "c", "name", "丙", "丁", "丁"),
        Change(
            "indicator",
            "c",
            "method formula -> checklist",
            "formula: 5 - problems",
            checklist,
            "丁",
        ),
        Change("indicator", "d", "added", None, "max 3, formula", "戊"),
        Change("indicator", "plus", "max", "3", "5", "加分"),
        Change("indicator", "b", "removed", "max 5, formula", None, "乙"),
        Change("total", "", "cap", None, "100"),
        Change("grade", "优", "min", ">= 18", ">= 17"),
    )


def test_rules_are_shown_side_by_side() -> None:
    diff = diff_rubrics(parse_rubric(MANY_OLD), parse_rubric(MANY_NEW))
    lines = render_text(diff).splitlines()
    at = lines.index("  indicator 'a' (甲): rule:")
    assert lines[at + 1 : at + 5] == [
        "    old                   | new",
        "    per_unit:             | per_unit:",
        "      measure: 100 - rate |   measure: 100 - rate",
        "      points: 0.1         |   points: 0.2",
    ]
    assert lines[0] == "rules: many@1 -> many@2: 12 changes"
    assert "  fact 'old_fact': removed (was 旧 (boolean))" in lines
    assert "  grade '优': min: >= 18 -> >= 17" in lines


# --- the command -------------------------------------------------------------------------------


def rubric_files(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "2023.yaml", tmp_path / "2024.yaml"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return str(old), str(new)


def test_diff_text_on_a_corpus(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = rubric_files(tmp_path)
    # 2: z.json is scored by neither version; the whole report is printed all the same
    assert cli.main(["diff", old, new, "--facts", str(corpus), "--lang", "en"]) == 2
    out = capsys.readouterr().out
    folder = str(corpus)
    assert out.splitlines() == [
        "rules: yearly@2023 -> yearly@2024: 1 change",
        "  indicator 'sat' (满意度): band[0] range: [90, inf) -> [92, inf)",
        "scores: 7 documents, 6 scored under both versions",
        "  total: 3 of 6 documents change: min -10, median -10, max -10",
        "  indicator 'sat' (满意度): 3 of 6 documents change: min -10, median -10, max -10",
        "  1 indicator unchanged",
        "grade changes: 3",
        f"  {folder}/b.yaml (单位b): 优 -> 良 (total 94 -> 84)",
        f"  {folder}/c.yaml (单位c): 优 -> 良 (total 91 -> 81)",
        f"  {folder}/f.yaml (单位f): 良 -> 中 (total 82 -> 72)",
        "rank changes: 3",
        f"  {folder}/d.yaml (单位d): 4 -> 2 (total 90 -> 90)",
        f"  {folder}/b.yaml (单位b): 2 -> 3 (total 94 -> 84)",
        f"  {folder}/c.yaml (单位c): 3 -> 4 (total 91 -> 81)",
        "failures: 1",
        f"  {folder}/z.json: both: 120 is greater than the maximum of 100 [out-of-bounds]",
    ]


def test_fail_on_change(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = rubric_files(tmp_path)
    assert cli.main(["diff", old, new, "--fail-on-change", "--lang", "en"]) == 1
    (corpus / "z.json").unlink()  # the document neither version scores (see below)
    assert (
        cli.main(["diff", old, old, "--fail-on-change", "--facts", str(corpus), "--lang", "en"])
        == 0
    )
    out = capsys.readouterr().out
    assert "rules: yearly@2023 -> yearly@2023: 0 changes" in out


def test_a_document_neither_version_scores_is_unusable_input_and_wins_over_changes(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = rubric_files(tmp_path)
    argv = ["--lang", "en", "diff", old, new, "--facts", str(corpus)]
    assert cli.main(argv) == 2
    assert cli.main([*argv, "--fail-on-change"]) == 2  # as in score: the input error first
    out = capsys.readouterr().out
    assert out.count("failures: 1\n") == 2  # reported, and the others compared, each time
    assert out.count("grade changes: 3\n") == 2
    (corpus / "z.json").unlink()
    assert cli.main(argv) == 0
    assert cli.main([*argv, "--fail-on-change"]) == 1
    # a document written for another rubric is left out and listed, not broken
    (corpus / "other.yaml").write_text("rubric: another@1\nfacts: {}\n", encoding="utf-8")
    assert cli.main(argv) == 0
    assert "rubric-mismatch" in capsys.readouterr().out


def test_json_and_markdown(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = rubric_files(tmp_path)
    (corpus / "z.json").unlink()  # scored by neither version: exit 2 (above)
    assert cli.main(["diff", old, new, "--facts", str(corpus), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rules"]["changes"] == [
        {
            "area": "indicator",
            "id": "sat",
            "what": "band[0] range",
            "old": "[90, inf)",
            "new": "[92, inf)",
            "name": "满意度",
        }
    ]
    scores = data["scores"]
    assert scores["total"]["changed"] == 3
    assert scores["total"]["median"] == -10
    assert [g["document"].rsplit("/", 1)[1] for g in scores["grades"]] == [
        "b.yaml",
        "c.yaml",
        "f.yaml",
    ]
    assert [(r["old"], r["new"]) for r in scores["ranks"]] == [(4, 2), (2, 3), (3, 4)]
    assert scores["changed"] is True
    assert cli.main(["diff", old, new, "--facts", str(corpus), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Rubric diff: yearly@2023 → yearly@2024\n")
    assert "| indicator 'sat' (满意度) | band[0] range | `[90, inf)` | `[92, inf)` |" in markdown
    assert "| sat (满意度) | 3 of 6 | -10 | -10 | -10 |" in markdown


def test_a_missing_corpus_path_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = rubric_files(tmp_path)
    assert cli.main(["--lang", "en", "diff", old, new, "--facts", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert cli.main(["--lang", "en", "diff", old, new, "--facts", str(tmp_path / "empty")]) == 2
    assert "no facts documents found [bad-argument]" in capsys.readouterr().err


def test_a_changed_rubric_under_an_unchanged_version_is_called_out() -> None:
    old = parse_rubric(OLD, name="old.yaml")
    same_version = parse_rubric(OLD.replace("[90, inf)", "[92, inf)"), name="new.yaml")
    text = render_text(diff_rubrics(old, same_version))
    assert "note: both are yearly@2023, yet the rules differ" in text
    assert "note:" not in render_text(diff_rubrics(old, parse_rubric(NEW, name="new.yaml")))


BUNDLED_SHEET = Path(__file__).parent.parent / "rubric" / "project-sheet-national" / "2020.1.yaml"
SHEET_FACTS = Path(__file__).parent.parent / "examples" / "project-sheet-chizhou-2022.yaml"


def test_a_changed_records_rule_is_one_short_change_and_its_leaves_are_compared(
    tmp_path: Path,
) -> None:
    # One number of the '>=' rule changes (the too_low item docks twice the assessor's amount);
    # the diff names that rule, prints only its method block in narrow columns, and the corpus
    # comparison lists the sheet's output rows like declared indicators.
    text = BUNDLED_SHEET.read_text(encoding="utf-8")
    assert text.count("points: too_low\n") >= 1
    changed = text.replace("points: too_low\n", "points: 2 * too_low\n", 1).replace(
        'version: "2020.1"', 'version: "2020.9"'
    )
    new_path = tmp_path / "new.yaml"
    new_path.write_text(changed, encoding="utf-8")
    code, out, _ = run_cli(
        "diff", str(BUNDLED_SHEET), str(new_path), "--facts", str(SHEET_FACTS), "--lang", "en"
    )
    assert code == 0
    assert "group 'output' (产出指标): records.rules[>=] rule:" in out
    block = out.split("records.rules[>=] rule:")[1].split("rubric-wide")[0]
    assert "points: 2 * too_low" in block
    assert max(len(line) for line in out.splitlines()) < 140
    assert "11 indicators unchanged" in out  # 5 declared + 6 rows of the sheet, none docked
    old_rubric = parse_rubric(text)
    new_rubric = parse_rubric(changed)
    scores = diff_scores(old_rubric, new_rubric, load_corpus([SHEET_FACTS])[0])
    ids = [d.id for d in scores.indicators]
    assert "exec_rate" in ids
    assert any(i.startswith("output.") for i in ids)
    # the sheet's 满意度 row is cut off (its assessment unknown): a range, compared nowhere
    compared = {d.id: d.compared for d in scores.indicators}
    assert compared.pop("satisfaction.satisfaction1") == 0
    assert set(compared.values()) == {1}


def run_cli(*argv: str) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_a_checks_severity_what_it_runs_over_and_what_it_reads_are_rule_changes() -> None:
    checks = """\
    checks:
      - {id: low, when: "rate < 60", message: 满意度低}
      - {id: each, when: "spend > 100", message: 超支}
    """
    changed = """\
    checks:
      - {id: low, when: "rate < 60", message: 满意度低, severity: error}
      - {id: each, when: "spend > 100", message: 超支, reads: totals}
    """
    old = parse_rubric(OLD + textwrap.dedent(checks), name="old.yaml")
    new = parse_rubric(NEW + textwrap.dedent(changed), name="new.yaml")
    assert diff_rubrics(old, new).changes[1:] == (
        Change("check", "low", "severity", "warning", "error"),
        Change("check", "each", "reads", None, "totals"),
    )


def test_documents_whose_total_is_a_range_are_counted_not_dropped(
    tmp_path: Path, corpus: Path
) -> None:
    # a report with an unknown satisfaction: its total is a range, so it is left out of the
    # totals compared, and the report says how many were left out and why
    (corpus / "g.yaml").write_text(
        "rubric: yearly@2023\nsubject: 单位g\nfacts: {rate: {unknown: 表格缺页}, spend: 100}\n",
        encoding="utf-8",
    )
    old, new = parse_rubric(OLD, name="old.yaml"), parse_rubric(NEW, name="new.yaml")
    documents, _ = load_corpus([corpus])
    scores = diff_scores(old, new, documents)
    assert (scores.compared, scores.ranged, scores.total.compared) == (7, 1, 6)
    assert {d.id: d.compared for d in scores.indicators} == {"sat": 6, "exec": 7}
    text = render_text(diff_rubrics(old, new), scores)
    assert (
        "  total: 1 document with unknown values not compared (its total is a range under a "
        "version; its exact indicators are)"
    ) in text.splitlines()
    zh = render_text(diff_rubrics(old, new), scores, language="zh")
    assert "  总分：1 份含未知值的文档未比较" in zh
    (corpus / "z.json").unlink()  # scored by neither version: exit 2
    code, markdown, _ = run_cli(
        "diff", *_written(tmp_path), "--facts", str(corpus), "--format", "markdown"
    )
    assert code == 0
    assert "1 of them with unknown values: a total that is a range is not compared" in markdown
    code, out, _ = run_cli("diff", *_written(tmp_path), "--facts", str(corpus), "--format", "json")
    assert code == 0
    assert json.loads(out)["scores"]["ranged"] == 1


def _written(folder: Path) -> tuple[str, str]:
    (folder / "old.yaml").write_text(OLD, encoding="utf-8")
    (folder / "new.yaml").write_text(NEW, encoding="utf-8")
    return str(folder / "old.yaml"), str(folder / "new.yaml")


def test_a_new_plausible_range_is_a_change() -> None:
    # 2022.2 is 2022.1 with plausible ranges on three rates (a warning for 0.9587 typed for
    # 95.87%): a diff that said "0 changes" would hide what the version is for
    from perfscore import load_rubric

    old = load_rubric("dept-overall-huizhou@2022.1")
    new = load_rubric("dept-overall-huizhou@2022.2")
    assert diff_rubrics(old, new).changes == (
        Change("fact", "spend_rate_stated", "plausible", None, "[50, 100]"),
        Change("fact", "fixed_asset_use_rate", "plausible", None, "[50, 100]"),
        Change("fact", "surveys", "field 'rate' plausible", None, "[50, 100]"),
    )


def test_a_folder_is_searched_for_documents_as_score_searches_it(corpus: Path) -> None:
    # diff --facts left the department's workbook out of a folder that score took whole, and
    # read a hidden copy score skipped
    (corpus / "sheets").mkdir()
    (corpus / "sheets" / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8))
    (corpus / "sheets" / "g.xlsx").write_bytes(b"PK\x03\x04")
    (corpus / ".backup").mkdir()
    (corpus / ".backup" / "a.yaml").write_bytes((corpus / "a.yaml").read_bytes())
    found = {p.relative_to(corpus).as_posix() for p in find_documents([corpus])}
    assert {"sheets/old.xls", "sheets/g.xlsx"} <= found
    assert not any(name.startswith(".backup") for name in found)
    documents, failures = load_corpus([corpus])
    assert len(documents) == 7  # the corpus's own documents, no hidden copy
    assert sorted(Path(f.document).name for f in failures) == ["g.xlsx", "old.xls"]
    assert all(f.code == "not-a-workbook" for f in failures)


ADDED_OLD = """\
perfscore: 1
id: d
version: "1"
title: D
language: en
facts:
  x: {type: number, label: X, min: 0, max: 10}
groups:
  - id: g
    name: G
    max: 10
    children:
      - {id: a, name: A, max: 5, formula: "x / 2"}
      - {id: b, name: B, max: 5, formula: "x / 2"}
bonus:
  - {id: plus, name: Plus, min: 0, max: 2, formula: "1"}
total: {cap: null}
grades: [{grade: A}]
"""
# version 2: the group gains an indicator c worth 2, and the bonus is gone
ADDED_NEW = (
    ADDED_OLD.replace('version: "1"', 'version: "2"')
    .replace("    max: 10\n", "    max: 12\n")
    .replace(
        '      - {id: b, name: B, max: 5, formula: "x / 2"}\n',
        '      - {id: b, name: B, max: 5, formula: "x / 2"}\n'
        '      - {id: c, name: C, max: 2, formula: "2"}\n',
    )
    .replace('bonus:\n  - {id: plus, name: Plus, min: 0, max: 2, formula: "1"}\n', "")
    .replace("total: {cap: null}\n", "")
)


def test_an_added_and_a_removed_indicator_show_what_they_move() -> None:
    # the total moves by +1: c adds 2, plus takes its 1 away; both must be seen, not only a
    # count of the indicators both versions share
    old, new = parse_rubric(ADDED_OLD, name="o.yaml"), parse_rubric(ADDED_NEW, name="n.yaml")
    documents = [FactsDocument("d", "1", f"unit {x}", "2024", {"x": x}) for x in (8, 4)]
    scores = diff_scores(old, new, documents)
    by_id = {d.id: d for d in scores.indicators}
    assert [(d.id, d.status) for d in scores.indicators] == [
        ("a", "both"),
        ("b", "both"),
        ("c", "added"),
        ("plus", "removed"),
    ]
    assert (by_id["c"].changed, by_id["c"].median) == (2, Decimal(2))
    assert (by_id["plus"].changed, by_id["plus"].median) == (2, Decimal(-1))
    assert scores.total.median == Decimal(1)
    text = render_text(diff_rubrics(old, new), scores)
    assert "  indicator 'c' (C), added (counted from 0): 2 of 2 documents change" in text
    assert "  indicator 'plus' (Plus), removed (counted to 0): 2 of 2 documents change" in text
