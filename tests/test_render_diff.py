"""The renderings of a rubric diff, from hand-built results: columns, cells, JSON keys."""

from __future__ import annotations

import json
from decimal import Decimal

from perfscore._output._diffdata import Change, Delta, RubricDiff, ScoreDiff
from perfscore._output._render_diff import render_json, render_markdown, side_by_side

RULE = Change("indicator", "a", "rule", "bands:\n  - 满意|高", "bands:\n  - 满意|低", "甲")
DIFF = RubricDiff("r@1", "r@2", (RULE,))
D = Decimal


def test_side_by_side_aligns_wide_characters_by_their_columns() -> None:
    # 满意度 takes six columns, so the bar comes after six plus one space
    assert side_by_side("满意度\nab", "x", indent="") == [
        "old    | new",
        "满意度 | x",
        "ab     |",
    ]


def test_a_markdown_cell_keeps_pipes_and_lines_inside_it() -> None:
    markdown = render_markdown(DIFF)
    row = (
        "| indicator 'a' (甲) | rule | `bands:`<br>`  - 满意\\|高` | `bands:`<br>`  - 满意\\|低` |"
    )
    assert row in markdown.splitlines()


def test_json_writes_the_results_and_whether_anything_changed() -> None:
    still = Delta("total", None, 2, 0, None, None, None)
    scores = ScoreDiff(2, 2, (), still, (), (), ())
    data = json.loads(render_json(DIFF, scores))
    assert data["rules"]["changes"] == [
        {
            "area": "indicator",
            "id": "a",
            "what": "rule",
            "old": "bands:\n  - 满意|高",
            "new": "bands:\n  - 满意|低",
            "name": "甲",
        }
    ]
    assert (data["scores"]["total"]["changed"], data["scores"]["changed"]) == (0, False)
    moved = ScoreDiff(2, 2, (), Delta("total", None, 2, 1, D(-1), D(-1), D(-1)), (), (), ())
    assert json.loads(render_json(DIFF, moved))["scores"]["changed"] is True
    assert json.loads(render_json(DIFF))["scores"] is None
