"""The examples of docs/rubric-format.md and docs/expressions.md load and do what the text says.

A section's first ```yaml block is taken as written; a fragment is completed with the few facts,
groups and grades it needs, so the docs cannot drift from what perfscore accepts.
"""

from __future__ import annotations

from pathlib import Path

import yaml

import perfscore

DOCS = Path(__file__).resolve().parents[1] / "docs"


def example(page: str, heading: str, index: int = 0) -> str:
    """The `index`-th ```yaml block after `heading` (a whole line) in docs/`page`."""
    text = (DOCS / page).read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    section = text[start:]
    block = section
    for _ in range(index + 1):
        block = block[block.index("```yaml\n") + 8 :]
    return block[: block.index("```\n")]


def completed(fragment: str, **extra: object) -> perfscore.Rubric:
    """A minimal rubric around a fragment of the format (its top-level keys win)."""
    data = {
        "perfscore": 1,
        "id": "docs",
        "version": "1",
        "title": "docs",
        "facts": {},
        "groups": [
            {
                "id": "g",
                "name": "g",
                "max": 10,
                "children": [{"id": "i", "name": "i", "max": 10, "formula": "10"}],
            }
        ],
        "grades": [{"grade": "x"}],
    }
    data.update(extra)
    data.update(yaml.safe_load(fragment))
    return perfscore.parse_rubric(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_the_checks_example_gives_each_check_its_severity() -> None:
    rubric = completed(
        example("rubric-format.md", "## checks"),
        facts={
            "spend_rate_stated": {"type": "percent", "label": "所述"},
            "spend_rate_table": {"type": "percent", "label": "表"},
            "sheet_truncated": {"type": "boolean", "label": "截断"},
        },
    )
    card = rubric.evaluate(
        {"spend_rate_stated": 90, "spend_rate_table": 91, "sheet_truncated": True}
    )
    assert [(w.check, w.severity) for w in card.warnings] == [
        ("spend_rate_mismatch", "warning"),
        ("sheet_truncated", "info"),
    ]
    assert card.fails_on("warning")  # the mismatch
    only_notice = rubric.evaluate(
        {"spend_rate_stated": 90, "spend_rate_table": 90, "sheet_truncated": True}
    )
    assert only_notice.has_findings
    assert not only_notice.fails_on("discrepancy")
