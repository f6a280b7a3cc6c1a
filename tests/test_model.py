"""Rubric structure errors from the model (`_model`) and compile (`_plan`) layers.

Every test parses a variant of BASE. Most change text within one line, so their expected
locations can be read off BASE; the few that add lines count from where the lines go.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from decimal import Decimal

import pytest
from pydantic_core import PydanticCustomError

from perfscore import Rubric, RubricError, parse_rubric
from perfscore._errors import Location, Problem
from perfscore._load._model import NUMBER_TYPES, FactSpec, FieldSpec, iter_nodes, parse_interval

#: the `make_rubric` fixture (conftest.py): dedent and parse an inline rubric named r.yaml
MakeRubric = Callable[..., Rubric]

BASE = textwrap.dedent(
    """\
    perfscore: 1
    id: t
    version: "1"
    title: T
    facts:
      x: {type: number, label: X}
      lv: {type: enum, label: L, values: [good, bad]}
    groups:
      - id: g
        name: G
        max: 10
        children:
          - id: a
            name: A
            max: 4
            formula: x
          - id: b
            name: B
            max: 6
            formula: min(x, 6)
    grades:
      - {grade: 优, min: 90}
      - {grade: 差}
    """
)


def errors(text: str) -> tuple[Problem, ...]:
    """Parse `text` (as r.yaml) expecting a RubricError; return its problems."""
    with pytest.raises(RubricError) as info:
        parse_rubric(textwrap.dedent(text), name="r.yaml")
    return info.value.problems


def where(text: str) -> list[tuple[str, int | None, int | None]]:
    """(code, line, column) of every problem of `text`."""
    return [
        (p.code, p.location.line if p.location else None, p.location.column if p.location else None)
        for p in errors(text)
    ]


def at(text: str, needle: str) -> Location:
    """The location of the first `needle` in `text`, found by plain string search."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return Location("r.yaml", number, line.index(needle) + 1)
    raise AssertionError(f"{needle!r} not in text")


def test_base_rubric_is_valid(make_rubric: MakeRubric) -> None:
    rubric = make_rubric(BASE)
    assert isinstance(rubric, Rubric)
    assert rubric.indicator_ids == ("a", "b")


# keys ------------------------------------------------------------------------------------------


def test_unknown_key_is_located_at_the_key_with_a_did_you_mean() -> None:
    (problem,) = errors(BASE.replace("formula: x", "formual: x"))
    assert problem.render() == (
        "r.yaml:16:9: indicator 'a': unknown key 'formual' [unknown-key]\n"
        "    hint: did you mean 'formula'?"
    )


def test_unknown_key_in_a_fact_suggests_the_fact_key() -> None:
    (problem,) = errors(
        BASE.replace("x: {type: number, label: X}", "x: {type: number, label: X, requird: false}")
    )
    assert (problem.code, problem.subject, problem.hint) == (
        "unknown-key",
        "fact 'x'",
        "did you mean 'required'?",
    )
    # '  x: {type: number, label: X, ' is 30 characters: the key starts at column 31
    assert problem.location == Location("r.yaml", 6, 31)


def test_unknown_top_level_key_suggests_a_key_valid_at_that_level() -> None:
    problems = errors(BASE.replace("grades:", "grade:"))
    unknown = next(p for p in problems if p.code == "unknown-key")
    assert unknown.hint == "did you mean 'grades'?"


def test_missing_key_names_the_key_and_points_at_the_mapping() -> None:
    problems = errors(BASE.replace("title: T", "titel: T"))
    assert [(p.code, p.message, p.location) for p in problems] == [
        ("missing-key", "missing key 'title'", Location("r.yaml", 1, 1)),
        ("unknown-key", "unknown key 'titel'", Location("r.yaml", 4, 1)),
    ]
    assert problems[1].hint == "did you mean 'title'?"
    # the message names the key already: no "key 'title':" subject before it
    assert problems[0].render() == "r.yaml:1:1: missing key 'title' [missing-key]"


def test_missing_indicator_name_is_located_at_the_indicator() -> None:
    (problem,) = errors(BASE.replace("        name: A\n", ""))
    assert (problem.code, problem.message, problem.subject) == (
        "missing-key",
        "missing key 'name'",
        "indicator 'a'",
    )
    assert problem.location == Location("r.yaml", 13, 9)


# values and types ------------------------------------------------------------------------------


def test_max_given_as_text_is_a_type_error() -> None:
    (problem,) = errors(BASE.replace("max: 4", 'max: "4"'))
    assert problem.render() == (
        "r.yaml:15:14: indicator 'a': expected a number, got text '4' [invalid-type]"
    )


def test_max_zero_is_an_invalid_value_at_the_value() -> None:
    assert where(BASE.replace("max: 4", "max: 0")) == [("invalid-value", 15, 14)]


def test_max_zero_message_names_the_key_and_the_value() -> None:
    (problem,) = errors(BASE.replace("max: 4", "max: 0"))
    assert "max" in problem.message
    assert "got 0" in problem.message


def test_group_max_given_as_text_names_the_group() -> None:
    (problem,) = errors(BASE.replace("max: 10", 'max: "10"'))
    assert (problem.code, problem.subject, problem.location) == (
        "invalid-type",
        "group 'g'",
        Location("r.yaml", 11, 10),
    )


@pytest.mark.parametrize("bad_id", ["指标", "1abc", "a-b", "a b"])
def test_indicator_id_must_be_an_ascii_identifier(bad_id: str) -> None:
    (problem,) = errors(BASE.replace("id: a", f"id: '{bad_id}'"))
    assert (problem.code, problem.location) == ("invalid-id", Location("r.yaml", 13, 13))
    assert problem.message == (
        f"id {bad_id!r} is not an ASCII identifier (letters, digits, '_'; Chinese belongs in "
        "'name' or 'label')"
    )


def test_rubric_id_must_be_lowercase() -> None:
    (problem,) = errors(BASE.replace("id: t\n", "id: T_Rubric\n"))
    assert (problem.code, problem.location) == ("invalid-id", Location("r.yaml", 2, 5))
    assert problem.message == (
        "rubric id 'T_Rubric' must be lowercase ASCII letters, digits, '-', '_' or '.'"
    )


def test_unquoted_version_is_a_number_and_rejected() -> None:
    assert where(BASE.replace('version: "1"', "version: 2022.1")) == [("invalid-type", 3, 10)]


def test_unsupported_format_version() -> None:
    (problem,) = errors(BASE.replace("perfscore: 1", "perfscore: 2"))
    assert problem.render() == (
        "r.yaml:1:12: key 'perfscore': format version 2 is not supported; "
        "this perfscore reads format 1 [unsupported-format]"
    )


def test_format_version_true_is_not_one() -> None:
    assert where(BASE.replace("perfscore: 1", "perfscore: true")) == [("unsupported-format", 1, 12)]


def test_a_rubric_must_be_a_mapping() -> None:
    (problem,) = errors("- 1\n- 2\n")
    assert (problem.code, problem.location) == ("invalid-type", Location("r.yaml", 1, 1))


# ids -------------------------------------------------------------------------------------------


def test_indicator_reusing_a_group_id_is_a_duplicate() -> None:
    (problem,) = errors(BASE.replace("id: a", "id: g"))
    assert problem.render() == (
        "r.yaml:13:13: indicator 'g': id 'g' is used twice (first at r.yaml:9:5) [duplicate-id]"
    )


def test_two_indicators_with_one_id() -> None:
    assert where(BASE.replace("id: b", "id: a")) == [("duplicate-id", 17, 13)]


def test_bonus_reusing_an_indicator_id() -> None:
    text = BASE.replace(
        "grades:",
        "bonus:\n  - {id: b, name: B2, min: -1, max: 1, formula: x}\ntotal: {cap: null}\ngrades:",
    )
    (problem,) = errors(text)
    assert problem.code == "duplicate-id"
    assert problem.message == "id 'b' is used twice (first at r.yaml:17:9)"
    assert problem.location == Location("r.yaml", 22, 10)


def test_duplicate_group_id_is_reported_as_a_group() -> None:
    text = BASE.replace(
        "      - id: a\n        name: A\n        max: 4\n        formula: x\n",
        "      - id: g\n        name: A\n        max: 4\n        children:\n"
        "          - {id: a, name: A, max: 4, formula: x}\n",
    )
    (problem,) = errors(text)
    assert problem.code == "duplicate-id"
    assert problem.subject == "group 'g'"


def test_duplicate_check_and_item_ids() -> None:
    text = BASE.replace(
        "formula: x",
        "checklist:\n"
        "          items:\n"
        "            - {id: i, when: x > 1, points: 1, reason: r}\n"
        "            - {id: i, when: x > 2, points: 1, reason: r}",
    ).replace(
        "grades:",
        "checks:\n  - {id: c, when: x > 1, message: m}\n  - {id: c, when: x > 2, message: m}\n"
        "grades:",
    )
    problems = errors(text)
    assert [(p.code, p.message) for p in problems] == [
        ("duplicate-id", "item id 'i' is used twice"),
        ("duplicate-id", "check id 'c' is used twice"),
    ]


# groups and methods ----------------------------------------------------------------------------


def test_group_max_must_be_the_sum_of_its_children() -> None:
    (problem,) = errors(BASE.replace("max: 10", "max: 12"))
    assert problem.render() == (
        "r.yaml:11:10: group 'g': max 12 is not the sum of its children's max (4 + 6 = 10) "
        "[group-sum]"
    )


def test_two_methods_is_an_invalid_value() -> None:
    text = BASE.replace("formula: x", "formula: x\n        ratio: {actual: x, target: 1}")
    (problem,) = errors(text)
    assert (problem.code, problem.location) == ("invalid-value", Location("r.yaml", 13, 9))
    assert problem.message == (
        "an indicator needs exactly one scoring method (formula, bands, per_unit, ratio, "
        "checklist, tiers); found 'formula', 'ratio'"
    )


def test_no_method_is_a_missing_key() -> None:
    (problem,) = errors(BASE.replace("        formula: x\n", ""))
    assert (problem.code, problem.subject) == ("missing-key", "indicator 'a'")
    assert problem.message.endswith("found none")


def test_unknown_rounding_mode() -> None:
    (problem,) = errors(BASE.replace("title: T", "title: T\nrounding: {step: 0.5, mode: nearest}"))
    assert problem.render() == (
        "r.yaml:5:29: unknown rounding mode 'nearest'; use one of half_up, half_even, "
        "half_down, floor, ceiling, down, up [invalid-value]"
    )


def test_rounding_step_must_be_positive() -> None:
    problems = errors(BASE.replace("title: T", "title: T\nrounding: {step: 0, mode: floor}"))
    assert [(p.code, p.location) for p in problems] == [
        ("invalid-value", Location("r.yaml", 5, 18))
    ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("{step: 0.5}", "indicator 'a': missing key 'mode' [missing-key]"),
        (
            "{step: 0.5, mode: nearest}",
            "indicator 'a': unknown rounding mode 'nearest'; use one of half_up, half_even, "
            "half_down, floor, ceiling, down, up [invalid-value]",
        ),
        ("nope", "indicator 'a': rounding must be 'none', got 'nope' [invalid-value]"),
        ("5", "indicator 'a': rounding must be 'none', got 5 [invalid-value]"),
    ],
)
def test_an_indicators_rounding_has_one_problem_a_block_or_the_word(
    given: str, expected: str
) -> None:
    # an indicator's rounding is a block or the word none: a mistake in either is said once,
    # without the other form's complaint beside it
    text = BASE.replace("formula: x\n", f"formula: x\n        rounding: {given}\n", 1)
    (problem,) = errors(text)
    assert problem.render().splitlines()[0].split(" ", 1)[1] == expected
    if not given.startswith("{"):
        assert problem.hint is not None
        assert str(problem.hint) == (
            "rounding is a block such as {step: 0.5, mode: half_up}, or the word none"
        )


# intervals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "low_inclusive", "high", "high_inclusive"),
    [
        ("[80, 90)", Decimal(80), True, Decimal(90), False),
        ("(-inf, 60)", None, False, Decimal(60), False),
        ("[90, inf)", Decimal(90), True, None, False),
        ("(0.5,1.5]", Decimal("0.5"), False, Decimal("1.5"), True),
        ("[5, 5]", Decimal(5), True, Decimal(5), True),
        ("[-10, +inf)", Decimal(-10), True, None, False),
    ],
)
def test_parse_interval_reads_edges(
    text: str, low: Decimal | None, low_inclusive: bool, high: Decimal | None, high_inclusive: bool
) -> None:
    interval = parse_interval(text)
    assert (interval.low, interval.low_inclusive, interval.high, interval.high_inclusive) == (
        low,
        low_inclusive,
        high,
        high_inclusive,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[90, inf]",
            "range '[90, inf]': an infinite edge cannot be included; write '(-inf' or 'inf)'",
        ),
        (
            "[-inf, 0)",
            "range '[-inf, 0)': an infinite edge cannot be included; write '(-inf' or 'inf)'",
        ),
        ("[5, 1]", "range '[5, 1]' is empty"),
        ("(5, 5]", "range '(5, 5]' is empty"),
        ("(inf, 5)", "range '(inf, 5)' is empty"),
        (
            "80-90",
            "cannot read range '80-90'; write it like '[80, 90)' ('[' includes the edge, '(' "
            "excludes it, 'inf' for no bound)",
        ),
    ],
)
def test_parse_interval_rejects(text: str, message: str) -> None:
    with pytest.raises(PydanticCustomError) as info:
        parse_interval(text)
    assert info.value.type == "band-range"
    assert str(info.value) == message


def test_interval_edges_in_contains() -> None:
    interval = parse_interval("[80, 90)")
    assert [interval.contains(Decimal(v)) for v in ("79.99", "80", "89.99", "90")] == [
        False,
        True,
        True,
        False,
    ]


def test_bad_band_ranges_are_all_reported_at_their_lines() -> None:
    text = BASE.replace(
        "formula: x",
        "bands:\n"
        "          measure: x\n"
        "          table:\n"
        '            - {range: "[90, inf]", score: 4}\n'
        '            - {range: "[5, 1]", score: 3}\n'
        '            - {range: "80-90", score: 2}',
    )
    assert where(text) == [("band-range", 19, 23), ("band-range", 20, 23), ("band-range", 21, 23)]


# derived values and formulas -------------------------------------------------------------------


def with_derived(lines: str) -> str:
    return BASE.replace("groups:", f"derived:\n{lines}groups:")


def test_derived_cycle_names_the_path() -> None:
    text = with_derived("  p: {formula: q + 1, label: P}\n  q: {formula: p * 2, label: Q}\n")
    (problem,) = errors(text)
    assert problem.render() == (
        "r.yaml:9:16: derived value 'p': derived values form a cycle: p -> q -> p [cycle]\n"
        "    hint: a derived value cannot depend on itself, directly or through others"
    )


def test_derived_self_reference_is_a_cycle() -> None:
    (problem,) = errors(with_derived("  s: {formula: s + 1, label: S}\n"))
    assert (problem.code, problem.message) == ("cycle", "derived values form a cycle: s -> s")


def test_a_derived_cycle_is_reported_once_not_wherever_its_values_are_read() -> None:
    # spent_rate and spend_x form a cycle; `rest` reads it, an indicator, a check and a
    # template read its values: none of them may say "unknown name" and suggest a near name
    text = with_derived(
        "  spent_rate: {formula: spend_x + 1, label: P}\n"
        "  spend_x: {formula: spent_rate * 2, label: Q}\n"
        "  rest: {formula: spend_x - 1, label: R}\n"
        "  fine: {formula: x * 2, label: F}\n"
    ).replace("formula: min(x, 6)", "formula: min(spent_rate + rest + fine, 6)")
    text = text.replace(
        "grades:",
        'checks:\n  - {id: c, when: "spend_x > 1", message: "{spent_rate} {fine}"}\ngrades:',
    )
    (problem,) = errors(text)
    assert (problem.code, problem.subject) == ("cycle", "derived value 'spent_rate'")
    assert problem.message == ("derived values form a cycle: spent_rate -> spend_x -> spent_rate")
    # a derived value outside the cycle still compiles and reports its own mistakes
    broken = text.replace("formula: x * 2", "formula: x * y")
    assert [p.code for p in errors(broken)] == ["cycle", "unknown-name"]


def test_derived_shadowing_a_fact() -> None:
    (problem,) = errors(with_derived("  x: {formula: 1, label: X2}\n"))
    assert (problem.code, problem.message, problem.location) == (
        "shadowed-name",
        "derived value 'x' has the same id as a fact",
        Location("r.yaml", 9, 6),
    )


def test_formula_syntax_error_is_located_at_the_formula_line() -> None:
    (problem,) = errors(BASE.replace("formula: x", "formula: x +* 2"))
    assert (problem.code, problem.location, problem.subject) == (
        "formula-syntax",
        Location("r.yaml", 16, 18),
        "indicator 'a'",
    )
    assert dict(problem.details)["formula"] == "x +* 2"


def test_unknown_name_in_a_formula_is_located_at_the_formula_line() -> None:
    (problem,) = errors(BASE.replace("formula: min(x, 6)", "formula: min(y, 6)"))
    assert (problem.code, problem.message, problem.location) == (
        "unknown-name",
        "unknown name 'y'",
        Location("r.yaml", 20, 18),
    )


def test_formula_of_the_wrong_type() -> None:
    (problem,) = errors(BASE.replace("formula: x", "formula: x > 1"))
    assert (problem.code, problem.message) == (
        "formula-type",
        "formula gives bool, expected number",
    )


def test_template_with_an_unknown_placeholder() -> None:
    text = BASE.replace(
        "formula: x",
        "checklist:\n"
        "          items:\n"
        "            - {id: i, when: x > 1, points: 1, reason: 'x={xx}'}",
    )
    (problem,) = errors(text)
    # 12 spaces, '- {', 'id: i, when: x > 1, points: 1, reason: ' (40): the quote is column 55
    assert problem.location == at(text, "'x={xx}'") == Location("r.yaml", 18, 55)
    assert problem.render() == (
        "r.yaml:18:55: indicator 'a', item 'i': template names 'xx', which is not a fact or "
        "derived value [template]\n"
        "    hint: did you mean 'x'?"
    )


def test_check_message_with_an_unbalanced_brace() -> None:
    text = BASE.replace("grades:", "checks:\n  - {id: c, when: x > 1, message: 'x is {'}\ngrades:")
    (problem,) = errors(text)
    assert (problem.code, problem.message, problem.location) == (
        "template",
        "unbalanced '{' or '}' in template",
        Location("r.yaml", 22, 35),
    )


# grades, tiers, bonus --------------------------------------------------------------------------


def test_grades_out_of_order() -> None:
    text = BASE.replace(
        "  - {grade: 优, min: 90}", "  - {grade: 良, min: 80}\n  - {grade: 优, min: 90}"
    )
    (problem,) = errors(text)
    # columns count characters, not display width: '  - {grade: 优, min: ' is 20 characters
    assert problem.location == at(text, "90}") == Location("r.yaml", 23, 21)
    assert problem.render() == (
        "r.yaml:23:21: grades: grade '优': min 90 must be below the previous grade's min 80 "
        "(list grades from best to worst) [invalid-value]"
    )


def test_two_grades_with_the_same_min_are_refused_at_the_second() -> None:
    text = BASE.replace(
        "  - {grade: 优, min: 90}", "  - {grade: 优, min: 90}\n  - {grade: 良, min: 90}"
    )
    (problem,) = errors(text)
    assert problem.location == Location("r.yaml", 23, 21)
    assert problem.render() == (
        "r.yaml:23:21: grades: grade '良': min 90 must be below the previous grade's min 90 "
        "(list grades from best to worst) [invalid-value]"
    )


def test_last_grade_with_a_min_leaves_a_gap() -> None:
    (problem,) = errors(BASE.replace("  - {grade: 差}", "  - {grade: 差, min: 60}"))
    assert (problem.code, problem.message, problem.location, problem.hint) == (
        "invalid-value",
        "grades leave totals below 60 without a grade",
        Location("r.yaml", 23, 5),
        "omit 'min' on the last grade so it catches every lower total",
    )


def test_only_the_last_grade_may_omit_min() -> None:
    (problem,) = errors(BASE.replace("  - {grade: 优, min: 90}", "  - {grade: 优}"))
    assert (problem.code, problem.message) == ("missing-key", "only the last grade may omit 'min'")


def test_tiers_must_match_the_enum_values() -> None:
    text = BASE.replace(
        "formula: x",
        "tiers:\n"
        "          level: lv\n"
        "          table:\n"
        '            - {level: good, range: "[80, 100]", default: 100}\n'
        '            - {level: bda, range: "[0, 80)", default: 0}',
    )
    (problem,) = errors(text)
    assert (problem.code, problem.location) == ("invalid-value", Location("r.yaml", 19, 13))
    assert problem.message == (
        "tiers must match the values of fact 'lv': missing 'bad', unknown 'bda'"
    )
    # the values as a list in words, not a Python list
    assert problem.message.render("zh") == (
        "tiers 须与事实 'lv' 的取值一一对应：缺少 'bad'，多出 'bda'"
    )


def test_tier_level_must_be_an_enum_fact() -> None:
    text = BASE.replace(
        "formula: x",
        "tiers:\n          level: x\n          table:\n"
        '            - {level: good, range: "[0, 100]", default: 100}',
    )
    (problem,) = errors(text)
    assert (problem.code, problem.message) == (
        "invalid-value",
        "tiers.level must name an enum fact, got 'x'",
    )


def test_bonus_needs_a_total_policy() -> None:
    text = BASE.replace(
        "grades:", "bonus:\n  - {id: k, name: K, min: -1, max: 2, formula: x}\ngrades:"
    )
    (problem,) = errors(text)
    assert (problem.code, problem.location) == ("missing-key", Location("r.yaml", 22, 3))
    assert problem.message == (
        "a rubric with bonus indicators must declare 'total: {cap: ...}' "
        "(null lets the total exceed the base)"
    )


def test_fact_default_is_validated_at_load() -> None:
    text = BASE.replace("x: {type: number, label: X}", "x: {type: percent, label: X, default: 101}")
    (problem,) = errors(text)
    assert (problem.code, problem.message, problem.location) == (
        "invalid-value",
        "default: 101 is greater than the maximum of 100",
        Location("r.yaml", 6, 41),
    )


def test_fact_min_above_max() -> None:
    text = BASE.replace(
        "x: {type: number, label: X}", "x: {type: number, label: X, min: 5, max: 1}"
    )
    (problem,) = errors(text)
    assert (problem.code, problem.message) == ("invalid-value", "min is greater than max")


LIST_FACT = "x: {type: number, label: X}\n  rows:\n    type: list\n    label: R\n    fields:\n"


def test_enum_field_without_values_is_a_rubric_error() -> None:
    text = BASE.replace(
        "x: {type: number, label: X}", LIST_FACT + "      k: {type: enum, label: K}"
    )
    assert [p.code for p in errors(text)] == ["missing-key"]


def test_list_field_min_above_max_is_a_rubric_error() -> None:
    text = BASE.replace(
        "x: {type: number, label: X}",
        LIST_FACT + "      m: {type: number, label: M, min: 5, max: 1}",
    )
    assert [(p.code, p.message) for p in errors(text)] == [
        ("invalid-value", "min is greater than max")
    ]


# collecting ------------------------------------------------------------------------------------


def test_three_structure_mistakes_give_three_problems(make_rubric: MakeRubric) -> None:
    text = (
        BASE.replace("formula: x", "formual: x")
        .replace("max: 6", 'max: "6"')
        .replace("id: g", "id: 组")
    )
    with pytest.raises(RubricError) as info:
        make_rubric(text)
    assert sorted(where(text)) == [
        ("invalid-id", 9, 9),
        ("invalid-type", 19, 14),
        ("unknown-key", 16, 9),
    ]
    assert str(info.value).splitlines()[0] == "r.yaml: 3 problem(s) in the rubric"


def test_three_compile_mistakes_give_three_problems() -> None:
    text = (
        BASE.replace("max: 10", "max: 11")
        .replace("formula: x", "formula: y")
        .replace("  - {grade: 差}", "  - {grade: 差, min: 10}")
    )
    assert where(text) == [
        ("group-sum", 11, 10),
        ("unknown-name", 16, 18),
        ("invalid-value", 23, 5),
    ]


def test_structure_problems_come_first_then_every_compile_problem_at_once() -> None:
    # Two passes, documented in docs/errors.md: formulas and sums are checked only once the
    # structure is sound, since a broken structure leaves nothing reliable to compile.
    text = (
        BASE.replace("max: 10", "max: 11")
        .replace("formula: min(x, 6)", "formula: min(y, 6)")
        .replace("formula: x", "formual: x")
    )
    assert sorted(code for code, _, _ in where(text)) == ["unknown-key"]
    fixed = text.replace("formual: x", "formula: x")
    assert sorted(code for code, _, _ in where(fixed)) == ["group-sum", "unknown-name"]


def test_error_attributes_are_those_of_the_first_problem(make_rubric: MakeRubric) -> None:
    with pytest.raises(RubricError) as info:
        make_rubric(BASE.replace("max: 10", "max: 12"))
    exc = info.value
    assert (exc.code, exc.subject, exc.location, exc.hint) == (
        "group-sum",
        "group 'g'",
        Location("r.yaml", 11, 10),
        None,
    )


def test_a_broken_derived_value_is_reported_once_not_wherever_it_is_read(
    make_rubric: MakeRubric,
) -> None:
    text = """\
        perfscore: 1
        id: t
        version: "1"
        title: T
        facts:
          x: {type: number, label: X}
        derived:
          d: {formula: xx * 2, label: D}
        groups:
          - id: g
            name: G
            max: 10
            children:
              - {id: a, name: A, max: 10, formula: "min(d, 10)"}
        grades:
          - {grade: A}
        checks:
          - {id: c, when: d > 5, message: "d is {d}"}
        """
    with pytest.raises(RubricError) as info:
        make_rubric(text)
    assert [(p.code, p.message) for p in info.value.problems] == [
        ("unknown-name", "unknown name 'xx'")
    ]


# the shared rules of the model ---------------------------------------------------------------


@pytest.mark.parametrize("spec_class", [FactSpec, FieldSpec])
@pytest.mark.parametrize(
    ("declared", "bounds"),
    [
        ({"type": "percent"}, (Decimal(0), Decimal(100))),
        ({"type": "percent", "min": 50}, (Decimal(50), Decimal(100))),
        ({"type": "percent", "max": 120}, (Decimal(0), Decimal(120))),
        ({"type": "number"}, (None, None)),
        ({"type": "number", "min": 0}, (Decimal(0), None)),
        ({"type": "integer", "min": 1, "max": 5}, (Decimal(1), Decimal(5))),
        ({"type": "boolean"}, (None, None)),
    ],
)
def test_bounds_are_the_declared_ones_and_a_percent_defaults_to_0_and_100(
    spec_class: type[FactSpec | FieldSpec],
    declared: dict[str, object],
    bounds: tuple[Decimal | None, Decimal | None],
) -> None:
    assert spec_class.model_validate({**declared, "label": "L"}).bounds == bounds


def test_only_number_types_take_bounds() -> None:
    assert NUMBER_TYPES == ("number", "integer", "percent")
    for kind in ("boolean", "date", "text"):
        (problem,) = errors(
            BASE.replace("{type: number, label: X}", f"{{type: {kind}, label: X, min: 1}}")
        )
        assert problem.message == "'min' and 'max' belong to numbers only"


def test_iter_nodes_walks_groups_before_their_children_in_document_order(
    make_rubric: MakeRubric,
) -> None:
    text = """\
        perfscore: 1
        id: t
        version: "1"
        title: T
        facts:
          x: {type: number, label: X}
        groups:
          - id: g
            name: G
            max: 10
            children:
              - {id: a, name: A, max: 4, formula: x}
              - id: inner
                name: I
                max: 6
                children:
                  - {id: b, name: B, max: 6, formula: "min(x, 6)"}
          - id: h
            name: H
            max: 1
            children:
              - {id: c, name: C, max: 1, formula: "1"}
        bonus:
          - {id: extra, name: E, min: 0, max: 1, formula: "0"}
        total: {cap: null}
        grades:
          - {grade: A}
        """
    model = make_rubric(text).model
    walked = [(n.node.id, n.path, n.parent.id if n.parent else None) for n in iter_nodes(model)]
    assert walked == [
        ("g", ("groups", 0), None),
        ("a", ("groups", 0, "children", 0), "g"),
        ("inner", ("groups", 0, "children", 1), "g"),
        ("b", ("groups", 0, "children", 1, "children", 0), "inner"),
        ("h", ("groups", 1), None),
        ("c", ("groups", 1, "children", 0), "h"),
    ]  # bonus indicators stand outside the tree


@pytest.mark.parametrize("spec_class", [FactSpec, FieldSpec])
@pytest.mark.parametrize(
    ("declared", "has_default", "must_be_given"),
    [
        ({}, False, True),
        ({"default": 0}, True, False),
        ({"default": None}, True, False),  # a null default is a default
        ({"required": False}, False, False),
    ],
)
def test_a_value_must_be_given_when_required_and_without_a_default(
    spec_class: type[FactSpec | FieldSpec],
    declared: dict[str, object],
    has_default: bool,
    must_be_given: bool,
) -> None:
    spec = spec_class.model_validate({"type": "number", "label": "L", **declared})
    assert (spec.has_default, spec.must_be_given) == (has_default, must_be_given)


# plausible ranges ------------------------------------------------------------------------------


def test_a_plausible_range_is_read_like_a_band_range(make_rubric: MakeRubric) -> None:
    rubric = make_rubric(
        BASE.replace(
            "x: {type: number, label: X}", 'x: {type: percent, label: X, plausible: "[50, 100]"}'
        )
    )
    assert str(rubric.model.facts["x"].plausible) == "[50, 100]"


@pytest.mark.parametrize("kind", ["boolean", "date", "text", "list"])
def test_a_plausible_range_belongs_to_numbers_only(kind: str) -> None:
    extra = ", fields: {f: {type: number, label: F}}" if kind == "list" else ""
    text = BASE.replace(
        "x: {type: number, label: X}", f'x: {{type: {kind}, label: X, plausible: "[1, 2]"{extra}}}'
    )
    (problem,) = errors(text)
    assert (problem.code, problem.message, problem.location) == (
        "invalid-value",
        "'plausible' belongs to numbers only",
        at(text, "{type"),
    )
    assert problem.subject == "fact 'x'"


def test_a_plausible_range_outside_a_percents_0_to_100_is_an_error() -> None:
    text = BASE.replace(
        "x: {type: number, label: X}", 'x: {type: percent, label: X, plausible: "[50, 120]"}'
    )
    (problem,) = errors(text)
    assert (problem.code, problem.location) == ("invalid-value", at(text, "{type"))
    assert problem.message == (
        "plausible range [50, 120] reaches outside the bounds [0, 100]; a plausible range "
        "narrows what min and max allow"
    )
    assert problem.render().startswith("r.yaml:6:6: fact 'x': plausible range [50, 120]")


@pytest.mark.parametrize(
    ("declared", "ok"),
    [
        ('min: 0, plausible: "[0, 10]"', True),
        ('min: 0, plausible: "(-inf, 10]"', False),  # an unbounded edge past min
        ('min: 0, max: 10, plausible: "[0, inf)"', False),
        ('min: 1, plausible: "[0.5, 10]"', False),
        ('plausible: "(-inf, inf)"', True),  # no bounds: any range lies inside
    ],
)
def test_a_plausible_range_must_lie_inside_the_declared_bounds(declared: str, ok: bool) -> None:
    text = BASE.replace("x: {type: number, label: X}", f"x: {{type: number, label: X, {declared}}}")
    if ok:
        parse_rubric(text, name="r.yaml")
    else:
        assert [p.code for p in errors(text)] == ["invalid-value"]


def test_a_bad_plausible_range_is_a_band_range_error_at_its_value() -> None:
    text = BASE.replace(
        "x: {type: number, label: X}", 'x: {type: number, label: X, plausible: "50 to 100"}'
    )
    (problem,) = errors(text)
    assert (problem.code, problem.location) == ("band-range", at(text, '"50 to 100"'))


def test_a_list_fields_plausible_range_is_checked_like_a_facts() -> None:
    text = BASE.replace(
        "x: {type: number, label: X}",
        LIST_FACT + '      m: {type: percent, label: M, plausible: "[-1, 100]"}',
    )
    (problem,) = errors(text)
    assert problem.code == "invalid-value"
    assert "plausible range [-1, 100] reaches outside the bounds [0, 100]" in problem.message
    assert problem.location == at(text, "{type: percent")


def test_a_check_severity_outside_the_three_is_refused_at_its_line() -> None:
    (problem,) = errors(
        """
        perfscore: 1
        id: t
        version: "1"
        title: t
        facts: {a: {type: number, label: a}}
        groups:
          - {id: g, name: g, max: 1, children: [{id: i, name: i, max: 1, formula: "1"}]}
        grades: [{grade: x}]
        checks:
          - {id: c, when: a > 0, message: m, severity: fatal}
        """
    )
    assert problem.code == "invalid-value"
    assert "'info', 'warning' or 'error'" in problem.message
    assert problem.location is not None
    assert problem.location.line == 11


def test_a_records_check_carries_its_severity_to_the_scorecard() -> None:
    rubric = parse_rubric(
        textwrap.dedent(
            """
            perfscore: 1
            id: t
            version: "1"
            title: t
            facts:
              rows:
                type: list
                label: rows
                fields:
                  name: {type: text, label: n}
                  points: {type: number, label: p}
            groups:
              - id: out
                name: out
                max: 10
                records:
                  list: rows
                  name: name
                  max: points
                  rules: {default: {formula: full}}
                  checks:
                    - {id: big, when: full > 5, message: "{name} is big", severity: info}
            grades: [{grade: x}]
            """
        )
    )
    card = rubric.evaluate({"rows": [{"name": "x", "points": 6}, {"name": "y", "points": 4}]})
    assert [(w.check, w.severity, w.message) for w in card.warnings] == [
        ("big", "info", "x is big")
    ]
    assert not card.fails_on("discrepancy")


_LIST_HINT = "请写成列表，每项单独一行，以 '- ' 开头（见 docs/rubric-format.md）"


@pytest.mark.parametrize(
    ("old", "new", "needle", "said", "hint"),
    [
        # bonus written as a block of items: pydantic said "input should be a valid tuple"
        (
            "grades:\n",
            "bonus:\n  items: []\ngrades:\n",
            "items: []",
            "键 'bonus': bonus 须为列表，实际是映射",
            _LIST_HINT,
        ),
        # one indicator's keys under children, with no '- '
        (
            "      - id: b\n        name: B\n        max: 6\n        formula: min(x, 6)\n",
            "",
            None,
            None,
            None,
        ),
        ("grades:\n  - {grade: 优, min: 90}\n  - {grade: 差}\n", "grades: 优\n", "优", None, None),
    ],
)
def test_a_value_of_the_wrong_shape_is_said_in_the_rubrics_words_not_pydantics(
    old: str, new: str, needle: str | None, said: str | None, hint: str | None
) -> None:
    if needle is None:  # children: the one indicator left, written without its '- '
        text = BASE.replace(old, "").replace("      - id: a\n", "        id: a\n")
        needle, said, hint = "id: a", "指标组 'g': children 须为列表，实际是映射", _LIST_HINT
    else:
        text = BASE.replace(old, new)
    if said is None:
        said = "键 'grades': grades 须为列表，实际是文本 '优'"
    (problem,) = errors(text)
    place = at(text, needle)
    if needle == "优":
        place = Location("r.yaml", place.line, 9)  # the value of grades
    elif needle == "id: a":
        place = Location("r.yaml", place.line, 9)  # the mapping under children
    zh = f"{place}: {said} [invalid-type]" + (f"\n    提示：{hint}" if hint else "")
    assert problem.render("zh") == zh
    assert "should be a valid" not in problem.render("en")  # nor pydantic's words in English


def test_a_derived_value_written_as_its_bare_formula_gets_the_block_as_its_hint() -> None:
    text = BASE.replace("groups:\n", 'derived:\n  y: "x * 2"\ngroups:\n', 1)
    (problem,) = errors(text)
    assert problem.code == "invalid-type"
    assert problem.render("zh").splitlines()[1] == (
        "    提示：派生值写成含公式和名称的块：y: {formula: 'x * 2', label: ...}"
    )
