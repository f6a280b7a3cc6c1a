"""Reports show a number of more than four decimals rounded, after ≈; the JSON keeps it exact.

A score scaled in proportion (分值 × 较小值 / 较大值) or a derived mean has 34 digits. A report
that prints them (``99.87789820277129921799972561393881``) is unreadable, and a total shown to
one length beside a difference shown to another misleads. Text, Markdown, HTML and Word show
such a number as ``≈99.8779``, as a trace's words show a derived value.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore._load._document import parse_document
from perfscore._load._facts import read_facts_document
from perfscore._numbers import shown_decimal

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: a number with five decimals or more
LONG = re.compile(r"\d\.\d{5,}")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("99.87789820277129921799972561393881", "≈99.8779"),
        ("0.877898202771299217999725613938812", "≈0.8779"),
        ("4.5", "4.5"),
        ("4.1234", "4.1234"),
        ("4.50000", "4.5"),  # trailing zeros are no decimals of the number
        ("-0.00001", "≈0"),
        ("103", "103"),
    ],
)
def test_a_number_is_shown_in_full_to_four_decimals(value: str, shown: str) -> None:
    assert shown_decimal(Decimal(value)) == shown


@pytest.fixture(scope="module")
def proportional() -> perfscore.Scorecard:
    # 卫片执法补助经费: 72000 of 72890, scored 10 × 72000 / 72890 = 9.8779…, unrounded
    text = (EXAMPLES / "project-sheet-lijiang-2020.yaml").read_text(encoding="utf-8")
    assert text.count("actual: 72890") == 1
    document = read_facts_document(
        parse_document(text.replace("actual: 72890", "actual: 72000"), name="p.yaml")
    )
    card = perfscore.load_rubric("project-sheet-national@2020.1").evaluate(document)
    assert card.total is not None
    assert LONG.search(str(card.total))  # the exact total has its 34 digits
    return card


def _docx_text(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


def test_reports_show_long_numbers_rounded(proportional: perfscore.Scorecard) -> None:
    card = proportional
    reports = {
        "text": card.explain(),
        "markdown": card.to_markdown(),
        "html": card.to_html(),
        "docx": _docx_text(card.to_docx()),
    }
    for name, report in reports.items():
        assert not LONG.findall(report), (name, LONG.findall(report)[:3])
        assert "≈99.8779" in report, name
    # the discrepancy of the scaled row, in the same words as its score
    assert "计算 ≈9.8779（自评低 ≈0.8779 分）" in reports["text"]
    # the JSON and the spreadsheet's cells stay exact
    assert f'"total": {card.total}' in card.to_json()
    assert "99.87789820277129921799972561393881" in card.to_json()


def test_the_department_example_shows_its_derived_mean_rounded() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    card = rubric.evaluate(perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml"))
    for report in (card.explain(), card.to_markdown(), card.to_html()):
        assert not LONG.findall(report)
    assert "94.10326488706365503080082135523614" in card.to_json()
