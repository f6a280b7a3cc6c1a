"""The printable reports of a sheet that arrived cut off: ranges shown as ranges, never as 0."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import perfscore

ROOT = Path(__file__).parent.parent
TRUNCATED = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022-truncated.yaml"


@pytest.fixture(scope="module")
def card() -> perfscore.Scorecard:
    facts = perfscore.load_facts(TRUNCATED)
    rubric = perfscore.load_rubric(
        ROOT / "rubric" / "dept-overall-huizhou" / f"{facts.rubric_version}.yaml"
    )
    card = rubric.evaluate(facts)
    assert card.total is None
    assert card.total_range is not None
    return card


def _total(card: perfscore.Scorecard) -> str:
    assert card.total_range is not None
    return f"[{card.total_range.min}, {card.total_range.max}]"


def test_html_shows_the_total_range_and_every_reachable_grade(card: perfscore.Scorecard) -> None:
    page = card.to_html()
    assert _total(card) in page
    assert card.grades_possible is not None
    assert len(card.grades_possible) > 1
    assert "或".join(card.grades_possible) in page


def test_the_workbook_holds_ranges_as_text_not_numbers(card: perfscore.Scorecard) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(card.to_xlsx()))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert _total(card) in cells
    ranged = [i for i in card.indicators if i.range is not None]
    assert ranged
    for item in ranged:
        assert item.range is not None
        assert f"[{item.range.min}, {item.range.max}]" in cells


def test_the_word_document_gives_the_total_range(card: perfscore.Scorecard) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(card.to_docx()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert _total(card) in text
