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


def test_no_claimed_total_is_made_up_from_some_of_the_claims(card: perfscore.Scorecard) -> None:
    # the truncated report claims 18 of 26 indicators and states no total: the reports showed
    # 自评得分 61 (the sum of the 18), a figure the department never gave
    assert card.review is not None
    assert card.review.claimed_total is None
    assert card.review.missing
    page = card.to_html()
    assert 'id="claimed"' not in page
    assert "基础分 [65, 95] / 100" in page  # the base as a range, as the text report says it
    docx = pytest.importorskip("docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(card.to_docx())).paragraphs)
    assert "自评得分 61" not in text
    assert "基础分 [65, 95] / 100" in text
    assert "基础分 ?" not in text
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(io.BytesIO(card.to_xlsx())).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    heading = next(r for r in rows if "自评得分" in r)
    total = next(r for r in rows if "合计" in r)
    assert total[heading.index("自评得分")] is None  # it was 61
    assert total[heading.index("核定得分")] == _total(card)
