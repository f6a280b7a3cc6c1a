"""The HTML report as text: self-contained, escaped, findings first, one bar and one trace per
indicator. The browser test (test_html_browser.py) checks what a reader sees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import perfscore
from perfscore import cli
from perfscore._output._html import render_html

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = """
perfscore: 1
id: hostile
version: "1"
title: <script>alert(1)</script>评分 & "规则"
facts:
  x: {type: number, label: 数, min: 0, max: 10}
groups:
  - id: g
    name: 组</b><img src=x onerror=alert(2)>
    max: 10
    children:
      - id: a
        name: 指标<svg onload=alert(3)>
        max: 10
        description: 满分 10，x < 5 时 "扣分" & 说明
        formula: x
grades:
  - {grade: 优, min: 9}
  - {grade: "<i>差</i>"}
"""


def _card(example: str) -> perfscore.Scorecard:
    facts = perfscore.load_facts(ROOT / "examples" / f"{example}.yaml")
    return perfscore.load_rubric(f"{facts.rubric_id}@{facts.rubric_version}").evaluate(facts)


def _facts(tmp_path: Path, text: str) -> perfscore.FactsDocument:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return perfscore.load_facts(path)


def test_every_text_from_the_rubric_and_facts_is_escaped(tmp_path: Path) -> None:
    rubric = perfscore.parse_rubric(HOSTILE)
    card = rubric.evaluate(_facts(tmp_path, "subject: 单位<b>甲</b>\nfacts: {x: 3}\n"))
    page = render_html(card)
    assert "<script>alert" not in page
    assert "<img" not in page
    assert "<svg onload" not in page
    assert "<b>甲" not in page
    assert "<i>差</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;评分 &amp; &quot;规则&quot;" in page
    assert "单位&lt;b&gt;甲&lt;/b&gt;" in page
    assert "x &lt; 5 时 &quot;扣分&quot; &amp; 说明" in page  # the 评分标准 in the trace
    # the only script is the report's own print helper
    assert page.count("<script>") == 1


@pytest.mark.parametrize(
    "example",
    ["huizhou-dayawan-zuzhibu-2022", "project-sheet-lijiang-2020", "project-sheet-chizhou-2022"],
)
def test_the_report_is_self_contained(example: str) -> None:
    page = render_html(_card(example))
    # nothing to fetch: no external reference of any kind, and a policy forbidding loads
    assert re.search(r"""(src|href)\s*=""", page) is None
    assert "url(" not in page
    assert "@import" not in page
    assert "default-src 'none'" in page
    # the one URL is the SVG namespace, which is never fetched
    assert re.findall(r"https?://[^\s\"'<>]+", page) == ["http://www.w3.org/2000/svg"]
    assert '<meta charset="utf-8">' in page
    assert "@page { size: A4" in page
    assert "Noto Sans CJK SC" in page


def test_one_bar_and_one_trace_per_indicator_and_findings_first() -> None:
    card = _card("huizhou-dayawan-zuzhibu-2022")
    page = render_html(card)
    bars = re.findall(r'<g class="indicator" data-indicator="([^"]+)">', page)
    assert bars == [i.id for i in card.indicators]
    assert page.count('class="score-bar"') == 26
    claimed = sum(1 for i in card.indicators if i.claimed is not None)
    assert page.count('class="claimed-bar"') == claimed
    assert len(re.findall(r'<details data-indicator="', page)) == 26
    assert page.index('id="findings"') < page.index('id="chart"') < page.index('id="traces"')
    # the seed's total and grade as the reader sees them
    assert re.search(r'<div id="total">总分<b>103</b>', page)
    assert re.search(r'<div id="grade">等级<b>优</b>', page)


def test_findings_list_every_discrepancy_warning_and_review_finding() -> None:
    card = _card("project-sheet-lijiang-2020")
    page = render_html(card)
    section = page[page.index('id="findings"') : page.index('id="chart"')]
    assert "发现的问题（10）" in section  # 4 discrepancies + 5 warnings + 1 review finding
    assert section.count("<li>") == 10
    assert section.count("自评不符") == 4
    # a claimed sum over five of six indicators is a figure nobody claimed: neither shown as
    # the claimed total (it was, as 84) nor set against the computed one, as for a subtotal
    total_row = page[page.index('<tr class="total">') :].split("</tr>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', total_row) == ["100", "", "100", ""]


def test_a_scorecard_without_traces_says_so() -> None:
    facts = perfscore.load_facts(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    rubric = perfscore.load_rubric("project-sheet-national@2020.1")
    page = render_html(rubric.evaluate(facts, trace=False))
    assert page.count("本评分未记录计分过程") == 6


def test_an_english_rubric_gets_an_english_report(tmp_path: Path) -> None:
    rubric = perfscore.parse_rubric(HOSTILE.replace("facts:\n", "language: en\nfacts:\n", 1))
    page = render_html(rubric.evaluate(_facts(tmp_path, "facts: {x: 9}\n")))
    assert '<html lang="en">' in page
    assert "Findings (0)" in page
    assert "Score against maximum per indicator" in page


def test_cli_writes_html_to_a_file_and_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = str(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    target = tmp_path / "report.html"
    assert cli.main(["score", example, "--format", "html", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8") == render_html(_card("project-sheet-lijiang-2020"))


def test_cli_json_with_output_writes_the_same_json(tmp_path: Path) -> None:
    example = str(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    target = tmp_path / "card.json"
    assert cli.main(["score", example, "--format", "json", "-o", str(target)]) == 0
    card = _card("project-sheet-lijiang-2020")
    assert target.read_text(encoding="utf-8") == card.to_json() + "\n"


def test_cli_reports_an_unwritable_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = str(ROOT / "examples" / "project-sheet-lijiang-2020.yaml")
    target = tmp_path / "missing" / "report.html"
    assert cli.main(["--lang", "en", "score", example, "--format", "html", "-o", str(target)]) == 4
    assert capsys.readouterr().err == (
        f"perfscore: cannot write {str(target)!r}: no such file or folder [output-failed]\n"
        f"    hint: make the folder {str(target.parent)!r} first, or write the output elsewhere\n"
    )


def test_without_claims_there_is_no_claimed_box_and_no_claimed_bar(tmp_path: Path) -> None:
    rubric = perfscore.parse_rubric(HOSTILE)
    page = render_html(rubric.evaluate(_facts(tmp_path, "facts: {x: 9.5}\n")))
    assert 'id="claimed"' not in page
    assert 'class="claimed-bar"' not in page
    assert "未发现自评得分与规则不符" in page
    # 9.5 of 10: the bar is 95% of the chart's width (560 units)
    assert re.search(r'class="score-bar"[^>]* width="532\.0"', page)
