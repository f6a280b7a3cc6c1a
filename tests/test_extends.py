"""Rubric inheritance: extends, override, add, remove, and locations across files."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore import RubricError

# The base is tests/data/demo.yaml (the `demo_rubric` fixture): group 'g' holds 'spend' and
# 'comp', and check 'low' fires below 90.

FACTS = {"rate": Decimal("90"), "problems": 1}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_override_add_and_remove_build_the_effective_rubric(
    tmp_path: Path, demo_rubric: str
) -> None:
    write(tmp_path, "base.yaml", demo_rubric)
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        version: "2"
        override:
          spend: {per_unit: {measure: 100 - rate, points: 0.2}}
          g: {max: 7}
        add:
          - parent: g
            after: spend
            item: {id: extra, name: 新增, max: 1, formula: "1"}
        remove: [comp]
        """,
    )
    rubric = perfscore.load_rubric(child)
    assert rubric.version == "2"
    assert rubric.chain == ("demo@1",)
    assert rubric.indicator_ids == ("spend", "extra")
    card = rubric.evaluate(FACTS)
    # spend: 6 - (100 - 90) * 0.2 = 4; extra: 1
    assert card.indicator("spend").score == Decimal(4)
    assert card.total == Decimal(5)
    assert card.rubric.chain == ("demo@1",)


def test_checks_and_facts_merge_by_id(tmp_path: Path, demo_rubric: str) -> None:
    write(tmp_path, "base.yaml", demo_rubric)
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        version: "2"
        facts:
          rate: {type: percent, label: 支出率, min: 50}
        checks:
          - {id: low, when: rate < 95, message: 偏低}
          - {id: high, when: rate > 99, message: 偏高}
        """,
    )
    rubric = perfscore.load_rubric(child)
    card = rubric.evaluate(FACTS)
    assert [w.message for w in card.warnings] == ["偏低"]
    with pytest.raises(perfscore.FactsError) as err:
        rubric.evaluate({"rate": Decimal(40), "problems": 0})
    assert err.value.code == "out-of-bounds"


def test_errors_point_at_the_file_that_caused_them(tmp_path: Path, demo_rubric: str) -> None:
    write(tmp_path, "base.yaml", demo_rubric)
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        version: "2"
        add:
          - parent: g
            item: {id: extra, name: 新增, max: 1, formula: "1 if problemz else 0"}
        """,
    )
    with pytest.raises(RubricError) as err:
        perfscore.load_rubric(child)
    codes = {p.code: p for p in err.value.problems}
    # the new formula's typo is in the child; the group sum that no longer adds up is the base's
    assert codes["unknown-name"].location is not None
    assert codes["unknown-name"].location.file == str(child)
    assert codes["unknown-name"].location.line == 5
    assert codes["group-sum"].location is not None
    assert codes["group-sum"].location.file.endswith("base.yaml")
    assert codes["group-sum"].location.line == 11


def test_unknown_targets_are_reported_with_suggestions(tmp_path: Path, demo_rubric: str) -> None:
    write(tmp_path, "base.yaml", demo_rubric)
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        override:
          spnd: {max: 5}
        remove: [compp]
        """,
    )
    with pytest.raises(RubricError) as err:
        perfscore.load_rubric(child)
    hints = sorted(p.hint or "" for p in err.value.problems)
    assert hints == ["did you mean 'comp'?", "did you mean 'spend'?"]


def test_a_chain_of_two_and_a_cycle(tmp_path: Path, demo_rubric: str) -> None:
    write(tmp_path, "base.yaml", demo_rubric)
    write(tmp_path, "mid.yaml", 'extends: base.yaml\nversion: "2"\n')
    top = write(tmp_path, "top.yaml", 'extends: mid.yaml\nversion: "3"\n')
    assert perfscore.load_rubric(top).chain == ("demo@1", "demo@2")
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(RubricError) as err:
        perfscore.load_rubric(tmp_path / "a.yaml")
    assert err.value.code == "cycle"


def test_matches_detects_changed_content_under_the_same_version(
    tmp_path: Path, demo_rubric: str
) -> None:
    path = write(tmp_path, "base.yaml", demo_rubric)
    rubric = perfscore.load_rubric(path)
    card = rubric.evaluate(FACTS)
    assert rubric.matches(card)
    path.write_text(demo_rubric.replace("points: 0.1", "points: 0.2"), encoding="utf-8")
    edited = perfscore.load_rubric(path)
    assert edited.ref == rubric.ref
    assert not edited.matches(card)
    # formatting and comments do not change the content hash
    path.write_text("# a comment\n" + demo_rubric, encoding="utf-8")
    assert perfscore.load_rubric(path).matches(card)


def test_the_example_in_the_rubric_format_docs_loads_and_checks_clean(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "rubric-format.md").read_text("utf-8")
    section = doc[doc.index("## extends: versions built on versions") :]
    example = section[section.index("```yaml\n") + 8 : section.index("```\n", 10)]
    path = tmp_path / "ext.yaml"
    path.write_text(example, encoding="utf-8")
    rubric = perfscore.load_rubric(path)
    assert rubric.ref == "dept-overall-huizhou@2023.1"
    assert rubric.chain == ("dept-overall-huizhou@2022.1",)
    assert "asset_disposal" in rubric.indicator_ids
    assert "asset_data_quality" not in rubric.indicator_ids
    assert [f for f in perfscore.check_rubric(rubric) if f.severity != "note"] == []


def test_remove_override_and_add_of_the_wrong_shape_are_located_type_errors(
    tmp_path: Path, demo_rubric: str
) -> None:
    write(tmp_path, "base.yaml", demo_rubric)
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        version: "2"
        override: [spend]
        add: {parent: g}
        remove: comp
        """,
    )
    with pytest.raises(RubricError) as err:
        perfscore.load_rubric(child)
    found = [
        (p.code, p.message, p.location.line if p.location else None) for p in err.value.problems
    ]
    assert sorted(found, key=lambda f: f[2] or 0) == [
        ("invalid-type", "override must map ids to changes", 3),
        ("invalid-type", "add must be a list of {parent, after?, item}", 4),
        ("invalid-type", "remove must be a list of ids", 5),
    ]


def test_a_removal_keeps_the_locations_of_the_elements_after_it(
    tmp_path: Path, demo_rubric: str
) -> None:
    write(tmp_path, "base.yaml", demo_rubric)
    child = write(
        tmp_path, "child.yaml", 'extends: base.yaml\nversion: "2"\nremove: [spend, problems]\n'
    )
    with pytest.raises(RubricError) as err:
        perfscore.load_rubric(child)
    found = {p.code: p.location for p in err.value.problems}
    # 'comp' moved from children[1] to children[0]: its formula is still found in the base, at
    # the line of its checklist item; the group that no longer adds up is the base's too
    assert found["unknown-name"] is not None
    assert (Path(found["unknown-name"].file).name, found["unknown-name"].line) == ("base.yaml", 22)
    assert found["group-sum"] is not None
    assert (Path(found["group-sum"].file).name, found["group-sum"].line) == ("base.yaml", 11)


BASE_WITH_REASON = """\
perfscore: 1
id: base
version: "1"
title: 基础
facts:
  rate: {type: percent, label: 支出率}
groups:
  - id: g
    name: 预算执行
    max: 10
    children:
      - id: first
        name: 第一
        max: 4
        formula: "4"
      - id: spend
        name: 支出率
        max: 6
        per_unit:
          {measure: 100 - rate, unit: 5, points: 1, partial: started, reason: "每5个百分点扣1分"}
grades:
  - {grade: 优, min: 9}
  - {grade: 差}
"""


def test_patch_changes_one_number_and_keeps_the_rest_of_the_block(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE_WITH_REASON)
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        version: "2"
        patch:
          spend: {per_unit: {points: 2}}
        """,
    )
    rubric = perfscore.load_rubric(child)
    block = rubric.model.groups[0].children[1].per_unit  # type: ignore[index, union-attr]
    assert block is not None
    assert (block.unit, block.points, block.partial) == (5, 2, "started")
    assert block.reason == "每5个百分点扣1分"
    # 88%: 12 short, started steps of 5 -> 3 steps × 2 = 6 deducted -> 0
    assert rubric.evaluate({"rate": 88}).indicator("spend").score == 0
    assert [f.code for f in perfscore.check_rubric(rubric)] == []


def test_an_override_that_drops_keys_of_the_block_is_a_check_warning(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE_WITH_REASON)
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        version: "2"
        override:
          spend: {per_unit: {measure: 100 - rate, points: 2}}
        """,
    )
    rubric = perfscore.load_rubric(child)
    findings = [f for f in perfscore.check_rubric(rubric) if f.code == "override-drops-keys"]
    assert len(findings) == 1
    (finding,) = findings
    assert finding.severity == "warning"
    assert "drops 'unit', 'partial' and 'reason'" in finding.message
    assert finding.location is not None
    assert (Path(finding.location.file).name, finding.location.line) == ("child.yaml", 4)
    # the override still replaces the block whole, as it always did: unit 1, exact
    assert rubric.evaluate({"rate": 88}).indicator("spend").score == 0  # 6 - 12 × 2 -> floor 0
    assert rubric.evaluate({"rate": 99}).indicator("spend").score == 4  # 6 - 1 × 2


def test_add_places_before_a_sibling_and_adds_top_level_groups(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE_WITH_REASON)
    child = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        version: "2"
        add:
          - parent: g
            before: first
            item: {id: zero, name: 零, max: 1, formula: "1"}
          - item:
              id: extra
              name: 新增
              max: 5
              children: [{id: e1, name: e1, max: 5, formula: "5"}]
          - before: g
            item:
              id: head
              name: 首组
              max: 2
              children: [{id: h1, name: h1, max: 2, formula: "2"}]
        override:
          g: {max: 11}
        """,
    )
    rubric = perfscore.load_rubric(child)
    assert [g.id for g in rubric.model.groups] == ["head", "g", "extra"]
    assert rubric.indicator_ids[:4] == ("h1", "zero", "first", "spend")
    assert rubric.evaluate({"rate": 100}).total == 2 + 11 + 5


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{parent: g, after: first, before: spend, item: {id: z, name: z, max: 1, "
            "formula: '1'}}",
            "add: give 'after' or 'before', not both",
        ),
        (
            "{parent: g, before: frist, item: {id: z, name: z, max: 1, formula: '1'}}",
            "add: 'frist' is not a child of 'g'",
        ),
        (
            "{before: gg, item: {id: z, name: z, max: 1, children: []}}",
            "add: 'gg' is not a top-level group",
        ),
    ],
)
def test_add_placement_errors(tmp_path: Path, entry: str, message: str) -> None:
    write(tmp_path, "base.yaml", BASE_WITH_REASON)
    child = write(tmp_path, "child.yaml", f'extends: base.yaml\nversion: "2"\nadd:\n  - {entry}\n')
    with pytest.raises(perfscore.RubricError) as error:
        perfscore.load_rubric(child)
    assert error.value.problems[0].message == message
