"""The examples of docs/rubric-format.md and docs/expressions.md load and do what the text says.

A section's first ```yaml block is taken as written; a fragment is completed with the few facts,
groups and grades it needs, so the docs cannot drift from what perfscore accepts.
"""

from __future__ import annotations

from decimal import Decimal
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


def constants_example() -> str:
    return example("rubric-format.md", "## constants")


def test_the_constants_example_scores_with_its_constants() -> None:
    rubric = perfscore.parse_rubric(constants_example())
    # 85% is in [60, 90): 5 - (90 - 85) * 0.1 = 4.5; the check reads the same 90
    card = rubric.evaluate({"spend_rate": 85})
    assert card.indicator("spend").score == Decimal("4.5")
    assert [w.message for w in card.warnings] == ["资金支出率 85% 低于目标 90%"]
    # 90% reaches the first band, and the check is silent: edge and check moved as one
    card = rubric.evaluate({"spend_rate": 90})
    assert card.indicator("spend").score == 5
    assert card.warnings == ()
    assert perfscore.check_rubric(rubric) == []


def test_moving_a_constant_moves_the_band_and_the_check_and_diff_says_so() -> None:
    old = perfscore.parse_rubric(constants_example())
    text = constants_example().replace("value: 90", "value: 85")
    new = perfscore.parse_rubric(text.replace("id: execution", "id: execution", 1))
    card = new.evaluate({"spend_rate": 86})
    assert card.indicator("spend").score == 5  # 86 is now in [85, inf)
    assert card.warnings == ()
    changes = [
        (c.area, c.id, c.what, c.old, c.new) for c in perfscore.diff_rubrics(old, new).changes
    ]
    assert (
        "constant",
        "spend_target",
        "value (read by indicator 'spend', check 'spend_below_target')",
        "90",
        "85",
    ) in changes
    assert ("indicator", "spend", "band[0] range", "[90, inf)", "[85, inf)") in changes
    assert ("indicator", "spend", "band[1] range", "[60, 90)", "[60, 85)") in changes


def problems_of(text: str) -> list[tuple[str, str, int | None]]:
    try:
        perfscore.parse_rubric(text, name="r.yaml")
    except perfscore.RubricError as exc:
        return [(p.code, p.message, p.location.line if p.location else None) for p in exc.problems]
    raise AssertionError("the rubric loaded")


def test_a_range_naming_no_constant_is_a_band_range_error_with_a_did_you_mean() -> None:
    text = constants_example().replace('"[spend_target, inf)"', '"[spend_targt, inf)"')
    ((code, message, line),) = problems_of(text)
    assert code == "band-range"
    assert "names 'spend_targt', which is not a constant" in message
    assert "did you mean 'spend_target'" in message
    assert (
        line
        == text.splitlines().index(next(x for x in text.splitlines() if "spend_targt" in x)) + 1
    )


def test_a_constant_with_a_fact_id_is_shadowed_and_a_text_value_is_refused() -> None:
    text = constants_example().replace("constants:\n", "constants:\n  spend_rate: 1\n")
    ((code, message, line),) = problems_of(text)
    assert (code, line) == ("shadowed-name", 6)
    assert message == "constant 'spend_rate' has the same id as a fact"
    text = constants_example().replace("points_per_point: 0.1", "points_per_point: many")
    (problem,) = problems_of(text)
    assert problem[:2] == ("invalid-type", "expected a number, got text 'many'")
    assert problem[2] == 7  # the constant's own line


def test_check_warns_about_a_number_left_behind_and_an_unused_constant() -> None:
    text = constants_example().replace('"[60, spend_target)"', '"[60, 90)"')
    text = text.replace("constants:\n", "constants:\n  unused_gap: 7\n")
    findings = perfscore.check_rubric(perfscore.parse_rubric(text, name="r.yaml"))
    got = {(f.code, f.location.line if f.location else None) for f in findings}
    lines = text.splitlines()
    band = 1 + lines.index(next(x for x in lines if '"[60, 90)"' in x))
    unused = 1 + lines.index("  unused_gap: 7")
    assert got == {("constant-literal", band), ("unused-constant", unused)}


def test_extends_merges_constants_by_id(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(constants_example(), encoding="utf-8")
    (tmp_path / "child.yaml").write_text(
        'extends: base.yaml\nversion: "2"\nconstants:\n  spend_target: 80\n', encoding="utf-8"
    )
    rubric = perfscore.load_rubric(tmp_path / "child.yaml")
    assert rubric.model.constants["points_per_point"].value == Decimal("0.1")
    assert rubric.evaluate({"spend_rate": 80}).indicator("spend").score == 5
