"""The examples of docs/rubric-format.md and docs/expressions.md load and do what the text says.

A section's first ```yaml block is taken as written; a fragment is completed with the few facts,
groups and grades it needs, so the docs cannot drift from what perfscore accepts.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
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


def where_rubric(extra_checks: str = "") -> perfscore.Rubric:
    """The conditions example of docs/expressions.md in a rubric scoring the derived values."""
    fragment = example("expressions.md", "### Conditions over records")
    data = yaml.safe_load(fragment)
    data["groups"] = [
        {
            "id": "g",
            "name": "g",
            "max": 10,
            "children": [
                {"id": "done", "name": "done", "max": 5, "formula": "min(5, done_on_budget)"},
                {"id": "late", "name": "late", "max": 5, "formula": "min(5, unpaid_delayed)"},
            ],
        }
    ]
    if extra_checks:
        data["checks"] += yaml.safe_load(extra_checks)
    return completed(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


PROJECTS = [
    {"name": "a", "status": "完成", "paid": 3},
    {"name": "b", "status": "完成", "paid": 0},
    {"name": "c", "status": "延期", "paid": 2, "reason": "雨季"},
    {"name": "d", "status": "延期", "paid": 1},
]


def test_the_conditions_example_counts_sums_and_finds_records() -> None:
    card = where_rubric().evaluate({"projects": PROJECTS})
    # done with paid > 0: a only -> 1; paid over the delayed: c 2 + d 1 = 3
    assert (card.indicator("done").score, card.indicator("late").score) == (1, 3)
    # d is delayed without a reason
    assert [w.check for w in card.warnings] == ["delay_unexplained"]
    explained = [dict(p, reason="x") if p["status"] == "延期" else p for p in PROJECTS]
    assert where_rubric().evaluate({"projects": explained}).warnings == ()


def test_all_and_any_on_an_empty_list_and_a_per_record_check_naming_the_record() -> None:
    rubric = where_rubric(
        """
        - {id: all_done, when: "all(projects, status == '完成')", message: 全部完成, severity: info}
        - id: unpaid
          for_each: projects
          when: paid == 0
          message: "{name} 未支付（第 {row} 行）"
        """
    )
    card = rubric.evaluate({"projects": []})
    assert [w.check for w in card.warnings] == ["all_done"]  # all() of nothing holds, any() not
    card = rubric.evaluate({"projects": PROJECTS})
    assert [(w.check, w.message) for w in card.warnings] == [
        ("delay_unexplained", "有延期项目未说明原因"),
        ("unpaid", "项目第 2 条：b 未支付（第 2 行）"),
    ]


def test_conditions_are_checked_when_the_rubric_loads() -> None:
    cases = {
        "count_where(projects, staus == '完成')": ("unknown-name", "unknown name 'staus'"),
        "count_where(projects, status == 'done')": ("formula-type", "'done'"),
        "count_where(projects, paid)": ("formula-type", "needs a condition (yes/no)"),
        "sum_where(projects, name, paid > 0)": ("formula-arguments", "must be a number field"),
        "count_where(paid, paid > 0)": ("unknown-name", "unknown name 'paid'"),
        "count_where(projects, reason == 'x')": ("missing-value", ""),
    }
    for formula, (code, words) in cases.items():
        fragment = example("expressions.md", "### Conditions over records").replace(
            "count_where(projects, status == '完成' and paid > 0)", formula
        )
        if code == "missing-value":  # an optional field read without given(): a run-time stop
            rubric = completed(fragment)
            with pytest.raises(perfscore.ScoringError) as info:
                rubric.evaluate({"projects": PROJECTS[:1]})
            assert info.value.code == code
            continue
        with pytest.raises(perfscore.RubricError) as error:
            completed(fragment)
        problem = error.value.problems[0]
        assert (problem.code, formula) == (code, formula)
        assert words in problem.message, (formula, problem.message)


def test_for_each_must_name_a_list_fact() -> None:
    with pytest.raises(perfscore.RubricError) as error:
        where_rubric("- {id: x, for_each: projcts, when: paid == 0, message: m}")
    (problem,) = error.value.problems
    assert problem.code == "invalid-value"
    assert problem.message == "for_each must name a list fact, got 'projcts'"
    assert problem.hint == "did you mean 'projects'?"


def test_the_ordered_enum_example_compares_levels() -> None:
    rubric = perfscore.parse_rubric(
        example("rubric-format.md", "### ordered enums: levels that compare")
    )
    # descending: 高 > 较高 > 一般
    expected = {("高", "较高"): 4, ("较高", "较高"): 4, ("较高", "高"): 2, ("一般", "高"): 0}
    for (actual, target), score in expected.items():
        card = rubric.evaluate({"actual_level": actual, "target_level": target})
        assert card.total == score, (actual, target)


def test_ascending_reads_the_list_the_other_way() -> None:
    text = example("rubric-format.md", "### ordered enums: levels that compare").replace(
        "descending", "ascending"
    )
    rubric = perfscore.parse_rubric(text)
    # ascending: 一般 > 较高 > 高, so 一般 meets a target of 高
    assert rubric.evaluate({"actual_level": "一般", "target_level": "高"}).total == 4
    assert rubric.evaluate({"actual_level": "高", "target_level": "较高"}).total == 0


def test_ordering_an_enum_without_ordered_says_to_declare_it() -> None:
    text = example("rubric-format.md", "### ordered enums: levels that compare")
    text = text.replace(", ordered: descending}", "}")
    with pytest.raises(perfscore.RubricError) as error:
        perfscore.parse_rubric(text)
    problem = error.value.problems[0]
    assert problem.code == "formula-type"
    assert problem.message == "cannot order text with '>=': text compares only with == and !="
    assert problem.hint is not None
    assert "ordered: descending" in problem.hint


def test_ordered_enums_compare_only_within_their_own_order() -> None:
    text = example("rubric-format.md", "### ordered enums: levels that compare")
    line = "actual_level: {type: enum, label: 实际等级, values: [高, 较高, 一般], ordered: "
    other = text.replace(line + "descending}", line + "ascending}")
    with pytest.raises(perfscore.RubricError) as error:
        perfscore.parse_rubric(other)
    assert error.value.problems[0].code == "formula-type"
    wrong_value = text.replace("actual_level >= '较高'", "actual_level >= '很高'")
    with pytest.raises(perfscore.RubricError) as error:
        perfscore.parse_rubric(wrong_value)
    assert "'很高' is not a value of actual_level" in error.value.problems[0].message
    on_number = text.replace(
        "label: 目标等级, values: [高, 较高, 一般], ordered: descending",
        "label: 目标等级, values: [高, 较高, 一般]",
    ).replace("facts:\n", "facts:\n  n: {type: number, label: n, ordered: ascending}\n")
    with pytest.raises(perfscore.RubricError) as error:
        perfscore.parse_rubric(on_number)
    assert next((p.code, p.message) for p in error.value.problems) == (
        "invalid-value",
        "'ordered' belongs to enums only",
    )


def test_the_number_format_example_prints_two_decimal_percent() -> None:
    rubric = completed(
        example("rubric-format.md", "### Templates: number formats"),
        facts={
            "spent": {"type": "number", "label": "支出"},
            "budget": {"type": "number", "label": "预算", "min": 1},
        },
        derived={"exec_share": {"formula": "spent / budget", "label": "执行率"}},
    )
    card = rubric.evaluate({"spent": Decimal("399.353"), "budget": 1000})
    # 399.353 / 1000 = 0.399353 -> × 100 = 39.9353 -> 2 decimals half up = 39.94
    assert [w.message for w in card.warnings] == ["执行率 39.94%，低于90%"]
    card = rubric.evaluate({"spent": 1, "budget": 3})
    assert [w.message for w in card.warnings] == ["执行率 33.33%，低于90%"]  # 0.3333... -> 33.33


def test_number_formats_round_half_up_and_unknown_ones_are_refused() -> None:
    from perfscore._methods._base import apply_spec

    assert apply_spec(Decimal("0.125"), ".2f") == "0.13"
    assert apply_spec(Decimal("-0.001"), ".2f") == "0.00"
    assert apply_spec(Decimal("0.5"), ".0%") == "50%"
    assert apply_spec(Decimal("2"), ".6f") == "2.000000"
    for bad in (".2g", ">10", ".7f", "%", ".2"):
        fragment = example("rubric-format.md", "### Templates: number formats").replace(
            "{exec_share:.2%}", "{exec_share:" + bad + "}"
        )
        with pytest.raises(perfscore.RubricError) as error:
            completed(
                fragment,
                facts={
                    "spent": {"type": "number", "label": "s"},
                    "budget": {"type": "number", "label": "b", "min": 1},
                },
                derived={"exec_share": {"formula": "spent / budget", "label": "x"}},
            )
        (problem,) = error.value.problems
        assert problem.code == "template"
        assert f"unknown format {bad!r}" in problem.message


def templates_example() -> str:
    return example("rubric-format.md", "## templates: one rule, many indicators")


def test_the_templates_example_scores_each_indicator_with_its_own_args() -> None:
    rubric = perfscore.parse_rubric(templates_example())
    card = rubric.evaluate({"roads_done": 60, "schools_done": 20, "quality": "差"})
    # roads 5 × min(60/120, 1) = 2.5; schools 5 × min(20/10, 1) = 5; 差: 50% of 4 = 2
    scores = {i.id: i.score for i in card.indicators}
    assert scores == {"roads": Decimal("2.5"), "schools": 5, "quality_level": 2}
    roads = card.indicator("roads")
    assert roads.trace is not None
    assert roads.trace.steps[-1].detail == "完成 60，目标 120：得 2.5 分"
    assert perfscore.check_rubric(rubric) == []


def test_a_changed_template_shows_in_every_indicator_that_uses_it() -> None:
    old = perfscore.parse_rubric(templates_example())
    new = perfscore.parse_rubric(
        templates_example().replace("min(actual / target, 1)", "min(actual / target, 0.9)")
    )
    changed = {c.id for c in perfscore.diff_rubrics(old, new).changes if c.area == "indicator"}
    assert changed == {"roads", "schools"}


@pytest.mark.parametrize(
    ("old", "new", "code", "words"),
    [
        (
            "use: proportional, args: {actual: roads_done",
            "use: proportionl, args: {actual: roads_done",
            "invalid-value",
            "did you mean 'proportional'",
        ),
        (
            "args: {actual: roads_done, target: 120, points: 5}",
            "args: {actual: roads_done, target: 120}",
            "invalid-value",
            "missing ['points']",
        ),
        (
            "args: {actual: roads_done, target: 120, points: 5}",
            "args: {actual: roads_done, target: 120, points: 5, weight: 2}",
            "invalid-value",
            "unknown ['weight']",
        ),
        (
            "use: proportional, args: {actual: roads_done",
            "formula: '1', use: proportional, args: {actual: roads_done",
            "invalid-value",
            "cannot also give ['formula']",
        ),
        (
            "args: {actual: roads_done, target: 120",
            "args: {actual: roads_dne, target: 120",
            "unknown-name",
            "unknown name 'roads_dne'",
        ),
    ],
)
def test_template_uses_are_checked(old: str, new: str, code: str, words: str) -> None:
    text = templates_example()
    assert old in text
    text = text.replace(old, new, 1)
    with pytest.raises(perfscore.RubricError) as error:
        perfscore.parse_rubric(text, name="r.yaml")
    problem = error.value.problems[0]
    assert problem.code == code
    assert words in problem.message + (problem.hint or "")
    # reported at the indicator that uses the template
    line = 1 + next(i for i, x in enumerate(text.splitlines()) if "id: roads," in x)
    assert problem.location is not None
    assert problem.location.line == line


TOTALS_FACTS = {
    "rate": {"type": "percent", "label": "完成率"},
    "honours": {"type": "integer", "label": "表彰", "min": 0, "max": 20},
}


def totals_rubric(fragment: str | None = None, **extra: object) -> perfscore.Rubric:
    """The totals example of docs/rubric-format.md (or `fragment`) in a base of 100 with a
    bonus of 0 to 10."""
    fields: dict[str, object] = {
        "facts": TOTALS_FACTS,
        "groups": [
            {
                "id": "g",
                "name": "g",
                "max": 100,
                "children": [{"id": "i", "name": "i", "max": 100, "formula": "rate"}],
            }
        ],
        "bonus": [{"id": "b", "name": "加分", "min": 0, "max": 10, "formula": "honours"}],
        "total": {"cap": None},
    }
    fields.update(extra)
    if fragment is None:
        fragment = example("rubric-format.md", "### Checks that read the totals")
    return completed(fragment, **fields)


def test_the_totals_example_flags_a_total_above_the_base_maximum() -> None:
    rubric = totals_rubric()
    card = rubric.evaluate({"rate": 99, "honours": 3})  # 99 + 3 = 102 > 100
    assert card.total == 102
    assert [(w.check, w.message, w.severity) for w in card.warnings] == [
        (
            "total_above_base_max",
            "总分 102 分超过基础分满分 100 分（基础分 99，加减分 3）",
            "info",
        )
    ]
    assert rubric.evaluate({"rate": 90, "honours": 3}).warnings == ()  # 93: within the base
    assert rubric.evaluate({"rate": 97, "honours": 3}).warnings == ()  # exactly 100 is not above
    # a cap keeps the total at 100: the check reads the capped total, as the scorecard shows it
    capped = totals_rubric(total={"cap": 100})
    assert capped.evaluate({"rate": 99, "honours": 3}).warnings == ()
    assert perfscore.check_rubric(rubric) == []


def test_a_check_reading_a_total_that_is_a_range_is_decided_only_when_every_end_agrees() -> None:
    rubric = totals_rubric()
    # honours unknown: the bonus is 0..10; with a base of 100 the total is 100..110, undecided
    card = rubric.evaluate({"rate": 100, "honours": {"unknown": "未列出"}})
    assert [(w.check, w.severity) for w in card.warnings] == [("total_above_base_max", "info")]
    assert "无法判断" in card.warnings[0].message
    # rate unknown: the base is 0..100 and the bonus 0, so no total can be above 100
    assert rubric.evaluate({"rate": {"unknown": True}, "honours": 0}).warnings == ()


def test_reading_a_total_without_declaring_it_says_to_declare_it() -> None:
    fragment = example("rubric-format.md", "### Checks that read the totals")
    with pytest.raises(perfscore.RubricError) as error:
        completed(fragment.replace("    reads: totals\n", ""))
    (problem,) = error.value.problems
    assert (problem.code, problem.message) == (
        "unknown-name",
        "unknown names 'total' and 'max_total'",
    )
    assert problem.hint == "a check reads the totals only when it declares 'reads: totals'"
    assert problem.subject == "check 'total_above_base_max'"


def test_a_fact_named_like_a_total_keeps_its_meaning_and_clashes_with_reads() -> None:
    facts = {"total": {"type": "number", "label": "合计"}}
    checks = [{"id": "c", "when": "total > 5", "message": "m"}]
    # without reads, `total` is the fact, as in every rubric written before the key
    card = completed("{}", facts=facts, checks=checks).evaluate({"total": 6})
    assert [w.check for w in card.warnings] == ["c"]
    with pytest.raises(perfscore.RubricError) as error:
        completed("{}", facts=facts, checks=[{**checks[0], "reads": "totals"}])
    (problem,) = error.value.problems
    assert problem.code == "shadowed-name"
    assert problem.message == (
        "the check reads totals, and 'total' is also a fact, constant or derived value"
    )


def test_reads_takes_only_totals_and_has_no_place_in_a_records_group() -> None:
    with pytest.raises(perfscore.RubricError) as error:
        completed("{}", checks=[{"id": "c", "reads": "scores", "when": "True", "message": "m"}])
    (problem,) = error.value.problems
    assert problem.code == "invalid-value"
    records = {
        "id": "r",
        "name": "r",
        "max": 10,
        "records": {
            "list": "items",
            "name": "name",
            "rules": {"default": {"formula": "full"}},
            "max": "points",
            "checks": [{"id": "c", "reads": "totals", "when": "total > 0", "message": "m"}],
        },
    }
    facts = {
        "items": {
            "type": "list",
            "label": "项",
            "fields": {
                "name": {"type": "text", "label": "名"},
                "points": {"type": "number", "label": "分值"},
            },
        }
    }
    with pytest.raises(perfscore.RubricError) as error:
        completed("{}", facts=facts, groups=[records])
    (problem,) = error.value.problems
    assert problem.code == "invalid-value"
    assert problem.message == (
        "a records group's checks run before the totals exist; reads has no place here"
    )


def test_a_per_record_check_may_read_the_totals_and_check_analyses_their_reach() -> None:
    checks = [
        {
            "id": "share",
            "for_each": "items",
            "reads": "totals",
            "when": "points > base_total",
            "message": "{name}: {points} > {base_total}",
        },
        {"id": "never", "reads": "totals", "when": "bonus_total > 10", "message": "m"},
    ]
    facts = {
        "items": {
            "type": "list",
            "label": "项",
            "fields": {
                "name": {"type": "text", "label": "名"},
                "points": {"type": "number", "label": "分"},
            },
        }
    }
    rubric = totals_rubric("{}", facts={**TOTALS_FACTS, **facts}, checks=checks)
    card = rubric.evaluate({"rate": 50, "honours": 0, "items": [{"name": "a", "points": 60}]})
    assert [w.message for w in card.warnings] == ["项第 1 条：a: 60 > 50"]
    findings = perfscore.check_rubric(rubric)
    assert [(f.code, f.subject) for f in findings] == [("never-applies", "check 'never'")]
    assert "bonus_total lies in [0, 10]" in findings[0].message
