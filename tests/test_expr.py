"""Tests for perfscore._lang._expr: the formula language, its load-time checks and its running."""

from __future__ import annotations

import datetime
import decimal
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfscore._errors import ExpressionError, Location, Problem, RubricError, UsageError
from perfscore._lang._expr import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_FORMULA_LENGTH,
    MAX_NODES,
    MAX_STRING_LITERAL,
    Formula,
    compile_formula,
)
from perfscore._numbers import CONTEXT, ROUNDING_MODES
from perfscore._values import BOOL, DATE, NUMBER, TEXT, Records, ValueType, list_of, text_of

GRADE = text_of(frozenset({"优", "良", "中", "差"}))
ITEMS = list_of(
    {
        "amount": NUMBER,
        "weight": NUMBER,
        "kind": text_of(frozenset({"货物", "服务", "工程"})),
        "note": TEXT,
        "done": BOOL,
        "due": DATE,
    }
)
NAMES: dict[str, ValueType] = {
    "spent": NUMBER,
    "budget": NUMBER,
    "approved": BOOL,
    "start": DATE,
    "end": DATE,
    "grade": GRADE,
    "title": TEXT,
    "items": ITEMS,
    "remark": ValueType("number", optional=True),
}
D = Decimal


def _type_of(value: object) -> ValueType:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, Decimal)):
        return NUMBER
    if isinstance(value, datetime.date):
        return DATE
    if isinstance(value, Records):
        first = next(iter(value), {})
        return list_of({key: _type_of(v) for key, v in first.items()})
    return TEXT


def ev(src: str, **env: object) -> object:
    """Compile `src` over the types of `env` and evaluate it; ints become Decimals."""
    values = {k: D(v) if type(v) is int else v for k, v in env.items()}
    names = {k: _type_of(v) for k, v in values.items()}
    return compile_formula(src, names=names).evaluate(values)


def ev_in(mode: str, src: str) -> object:
    """Evaluate a constant formula under a rubric rounding mode."""
    return compile_formula(src, names={}, rounding_mode=mode).evaluate({})


def err(src: str, names: dict[str, ValueType] | None = None, **kwargs: object) -> Problem:
    """The one problem compiling `src` reports."""
    with pytest.raises(RubricError) as info:
        compile_formula(src, names=NAMES if names is None else names, **kwargs)  # type: ignore[arg-type]
    assert len(info.value.problems) == 1
    return info.value.problems[0]


def run_err(src: str, **env: object) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        ev(src, **env)
    return info.value


def records(*rows: dict[str, object]) -> Records:
    return Records([{k: D(v) if type(v) is int else v for k, v in row.items()} for row in rows])


# --------------------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("1 + 2", D(3)),
        ("5 - 7", D(-2)),
        ("2 * 3.5", D("7.0")),
        ("7 / 2", D("3.5")),
        ("-3", D(-3)),
        ("+3", D(3)),
        ("- -3", D(3)),
        ("2 + 3 * 4", D(14)),
        ("(2 + 3) * 4", D(20)),
        ("10 - 4 - 3", D(3)),
        ("24 / 4 / 2", D(3)),
        ("-2 * -3", D(6)),
        ("2 * -3 + 1", D(-5)),
        ("1 < 2", True),
        ("2 <= 2", True),
        ("1 > 2", False),
        ("2 >= 3", False),
        ("2 == 2.0", True),
        ("2 != 2", False),
        ("1 < 2 < 3", True),
        ("1 < 3 < 2", False),
        ("True and False", False),
        ("True or False", True),
        ("not True", False),
        ("True or False and False", True),
        ("not 1 > 2", True),
        ("1 + 1 == 2 and 2 * 2 == 4", True),
        ("1 if True else 2", D(1)),
        ("1 if 1 > 2 else 2", D(2)),
        ("1 + (10 if False else 20)", D(21)),
        ("True == False", False),
        ("'优' == '优'", True),
        ("'优' != '良'", True),
        ("'a'", "a"),
        ("True", True),
    ],
)
def test_operators_and_precedence(src: str, expected: object) -> None:
    result = ev(src)
    assert result == expected
    assert type(result) is type(expected)


def test_dates_compare_and_subtract_with_days() -> None:
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 3, 1)
    assert ev("start < end", start=start, end=end) is True
    assert ev("start == end", start=start, end=end) is False
    assert ev("days(start, end)", start=start, end=end) == D(60)
    assert ev("days(end, start)", start=start, end=end) == D(-60)


def test_boolean_operators_short_circuit() -> None:
    assert ev("b == 0 or a / b > 1", a=1, b=0) is True
    assert ev("b != 0 and a / b > 1", a=1, b=0) is False
    assert ev("1 if b == 0 else a / b", a=1, b=0) == 1


# --------------------------------------------------------------------------- numbers


def test_decimal_exactness() -> None:
    result = ev("0.1 + 0.2")
    assert result == D("0.3")
    assert type(result) is Decimal
    assert ev("123456789012345678901234567890 + 1") == D("123456789012345678901234567891")
    assert ev("60 * 850000 / 1000000 + 0.1 + 0.2 - 0.3") == D(51)


def test_spend_rate_in_the_domain() -> None:
    # 支出率 = 决算数 / 全年预算数 * 100
    assert ev("spent / budget * 100", spent=D("3703.85"), budget=D(4000)) == D("92.59625")


def test_division_keeps_34_significant_digits() -> None:
    assert ev("1 / 3") == D("0.3333333333333333333333333333333333")
    assert ev("2 / 3") == D("0.6666666666666666666666666666666667")


@pytest.mark.parametrize("src", ["0 * -1", "-0", "-(1 - 1)", "0.00 * -5", "round(-0.4)"])
def test_results_are_never_negative_zero(src: str) -> None:
    result = ev(src)
    assert result == 0
    assert str(result) == "0"


def test_run_uses_the_callers_context_and_evaluate_its_own() -> None:
    formula = compile_formula("a / b", names={"a": NUMBER, "b": NUMBER})
    with decimal.localcontext(CONTEXT):
        assert formula.run({"a": D(1), "b": D(3)}) == D("0.3333333333333333333333333333333333")
    with decimal.localcontext(decimal.Context(prec=5)):
        assert formula.evaluate({"a": D(1), "b": D(3)}) == D("0.3333333333333333333333333333333333")


# --------------------------------------------------------------------------- functions


def test_function_table() -> None:
    assert list(FUNCTIONS) == sorted(FUNCTIONS)
    assert set(FUNCTIONS) == {
        "abs",
        "all",
        "any",
        "ceil",
        "clamp",
        "count",
        "count_where",
        "days",
        "floor",
        "given",
        "max",
        "mean",
        "min",
        "not_applicable",
        "round",
        "sum",
        "sum_where",
        "weighted_mean",
    }
    assert FUNCTIONS["round"] == "round(x[, step])"


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("min(3, 1)", D(1)),
        ("min(3, 1, 2)", D(1)),
        ("max(3, 1)", D(3)),
        ("max(3, 1, 5, 2)", D(5)),
        ("abs(-2.5)", D("2.5")),
        ("abs(2)", D(2)),
        ("clamp(5, 0, 3)", D(3)),
        ("clamp(-5, 0, 3)", D(0)),
        ("clamp(2, 0, 3)", D(2)),
        ("round(2.5)", D(3)),
        ("round(2.4)", D(2)),
        ("round(2.675, 0.01)", D("2.68")),
        ("round(7.3, 0.5)", D("7.5")),
        ("round(7.2, 0.5)", D("7.0")),
        ("round(1234, 100)", D(1200)),
        ("floor(2.9)", D(2)),
        ("floor(-2.1)", D(-3)),
        ("floor(7.9, 0.5)", D("7.5")),
        ("ceil(2.1)", D(3)),
        ("ceil(-2.9)", D(-2)),
        ("ceil(7.1, 0.5)", D("7.5")),
        ("min(100, spent / budget * 100)", D("92.59625")),
    ],
)
def test_number_functions(src: str, expected: Decimal) -> None:
    result = ev(src, spent=D("3703.85"), budget=D(4000))
    assert result == expected
    assert type(result) is Decimal


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("half_up", ["3", "-3", "2", "1.61"]),
        ("half_even", ["2", "-2", "2", "1.60"]),
        ("half_down", ["2", "-2", "2", "1.60"]),
        ("floor", ["2", "-3", "2", "1.60"]),
        ("ceiling", ["3", "-2", "3", "1.61"]),
        ("down", ["2", "-2", "2", "1.60"]),
        ("up", ["3", "-3", "3", "1.61"]),
    ],
)
def test_round_follows_the_rubric_mode(mode: str, expected: list[str]) -> None:
    sources = ["round(2.5)", "round(-2.5)", "round(2.1)", "round(1.605, 0.01)"]
    assert [ev_in(mode, src) for src in sources] == [D(e) for e in expected]
    assert ev_in(mode, "floor(2.5)") == 2
    assert ev_in(mode, "ceil(2.5)") == 3


def test_every_rounding_mode_rounds_as_its_decimal_mode() -> None:
    # values on both sides of a half, of both signs: no two modes agree on all of them
    values = ["2.5", "-2.5", "3.5", "2.4", "-2.6", "2.6", "-2.4"]
    results = {}
    for mode, constant in ROUNDING_MODES.items():
        got = [ev_in(mode, f"round({v})") for v in values]
        assert got == [D(v).quantize(D(1), rounding=constant) for v in values], mode
        results[mode] = tuple(got)
    assert len(set(results.values())) == len(ROUNDING_MODES)  # each mode is its own


def test_list_functions() -> None:
    rows = records(
        {"amount": 10, "weight": 1, "kind": "货物"},
        {"amount": 20, "weight": 3, "kind": "服务"},
        {"amount": 30, "weight": 0, "kind": "货物"},
    )
    assert ev("sum(items, amount)", items=rows) == D(60)
    assert ev("mean(items, amount)", items=rows) == D(20)
    assert ev("weighted_mean(items, amount, weight)", items=rows) == D("17.5")
    assert ev("count(items)", items=rows) == D(3)
    assert ev("count(items, kind, '货物')", items=rows) == D(2)
    assert ev("count(items, kind, '工程')", items=rows) == D(0)
    assert ev("sum(items, amount) / count(items)", items=rows) == D(20)


def test_list_functions_on_an_empty_list() -> None:
    formula = compile_formula("sum(items, amount) + count(items)", names=NAMES)
    assert formula.evaluate({"items": Records([])}) == 0
    with pytest.raises(ExpressionError) as info:
        compile_formula("mean(items, amount)", names=NAMES).evaluate({"items": Records([])})
    assert info.value.code == "invalid-operation"
    assert info.value.problems[0].message == "mean() of an empty list is undefined"


def test_weighted_mean_with_zero_total_weight() -> None:
    rows = records({"amount": 10, "weight": 0}, {"amount": 20, "weight": 0})
    error = run_err("weighted_mean(items, amount, weight)", items=rows)
    assert error.code == "zero-division"
    assert (
        error.problems[0].message == "formula divides by zero: the weights ('weight') add up to 0"
    )


def test_count_compares_fields_of_every_type() -> None:
    due = datetime.date(2024, 6, 30)
    rows = records(
        {"done": True, "due": due, "amount": 5}, {"done": False, "due": due, "amount": 6}
    )
    assert ev("count(items, done, True)", items=rows) == 1
    assert ev("count(items, due, d)", items=rows, d=due) == 2
    assert ev("count(items, amount, 6)", items=rows) == 1


def test_field_names_are_not_read_as_facts() -> None:
    names = {**NAMES, "amount": NUMBER}
    formula = compile_formula("sum(items, amount) + amount", names=names)
    assert formula.names == frozenset({"items", "amount"})
    rows = records({"amount": 1}, {"amount": 2})
    assert formula.evaluate({"items": rows, "amount": D(100)}) == D(103)


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("round(x, step)", "round() needs a step greater than 0, got 0"),
        ("floor(x, 0 - step)", "floor() needs a step greater than 0, got 0"),
        ("ceil(x, step - 1)", "ceil() needs a step greater than 0, got -1"),
        ("clamp(x, 10, step)", "clamp() needs lo <= hi, got lo=10, hi=0"),
    ],
)
def test_function_runtime_checks(src: str, message: str) -> None:
    error = run_err(src, x=D("2.5"), step=0)
    assert error.code == "invalid-operation"
    assert error.problems[0].message == message


# --------------------------------------------------------------------------- static types


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("start + 1", "cannot add date and number"),
        ("1 + start", "cannot add number and date"),
        ("end - start", "cannot subtract date from date"),
        ("spent * title", "cannot multiply number by text"),
        ("title / 2", "cannot divide text by number"),
        ("approved + 1", "cannot add bool and number"),
        ("approved * approved", "cannot multiply bool by bool"),
        ("-title", "cannot apply '-' to text"),
        ("+approved", "cannot apply '+' to bool"),
        ("spent == title", "cannot compare number and text with '=='"),
        ("spent < start", "cannot compare number and date with '<'"),
        ("approved == 1", "cannot compare bool and number with '=='"),
        ("title < 'b'", "cannot order text with '<': text compares only with == and !="),
        ("approved >= True", "cannot order bool with '>=': bool compares only with == and !="),
        ("1 < spent < title", "cannot compare number and text with '<'"),
        ("spent and approved", "'and' needs a bool, got number"),
        ("approved or title", "'or' needs a bool, got text"),
        ("not spent", "'not' needs a bool, got number"),
        ("1 if spent else 2", "the condition of 'if ... else' must be bool, got number"),
        (
            "1 if approved else 'x'",
            "both branches of 'if ... else' must have one type, got number and text",
        ),
        (
            "items * 2",
            "list fact 'items' can only be read by sum(), mean(), weighted_mean() or count()",
        ),
        ("count(items, kind, 1)", "cannot compare text and number with '=='"),
    ],
)
def test_static_type_errors(src: str, message: str) -> None:
    problem = err(src)
    assert (problem.code, problem.message) == ("formula-type", message)


def test_type_hints() -> None:
    assert err("end - start").hint == "days(start, end) gives the number of days from start to end"
    assert err("approved + 1").hint == "a bool is not a number; write (1 if condition else 0)"
    assert (
        err("spent == '1'").hint
        == "text never equals a number; quote the value ('1') or use a number fact"
    )


@pytest.mark.parametrize(
    ("src", "expect", "kind"),
    [
        ("spent / budget", "number", "number"),
        ("spent > budget", "bool", "bool"),
        ("start", None, "date"),
        ("title", None, "text"),
        ("1 if approved else 2", "number", "number"),
        ("grade", None, "text"),
    ],
)
def test_static_result_type(src: str, expect: str | None, kind: str) -> None:
    assert compile_formula(src, names=NAMES, expect=expect).type.kind == kind


def test_enum_type_is_kept() -> None:
    assert compile_formula("grade", names=NAMES).type == GRADE
    other = text_of(frozenset({"A"}))
    union = compile_formula("grade if approved else other", names={**NAMES, "other": other})
    assert union.type.values == frozenset({"优", "良", "中", "差", "A"})


def test_expect_mismatch() -> None:
    problem = err("spent > 1", expect="number")
    assert (problem.code, problem.message) == (
        "formula-type",
        "formula gives bool, expected number",
    )
    assert err("spent", expect="bool").message == "formula gives number, expected bool"


def test_bad_api_arguments() -> None:
    with pytest.raises(UsageError, match="unknown rounding mode 'nearest'"):
        compile_formula("1", names={}, rounding_mode="nearest")
    with pytest.raises(UsageError, match="expect must be"):
        compile_formula("1", names={}, expect="text")


# --------------------------------------------------------------------------- enums


def test_enum_literal_must_be_a_value() -> None:
    problem = err("grade == '良好'")
    assert problem.code == "formula-type"
    assert problem.message == "'良好' is not a value of grade, so this is always False"
    assert problem.hint == "did you mean '良'?"
    assert (
        err("'良好' != grade").message == "'良好' is not a value of grade, so this is always True"
    )


def test_enum_literal_without_a_close_match_lists_the_values() -> None:
    assert err("grade == 'excellent'").hint == "its values: '中', '优', '差', '良'"


def test_enum_literal_in_count() -> None:
    problem = err("count(items, kind, '货')")
    assert (
        problem.message == "'货' is not a value of field 'kind' of 'items', so this is always False"
    )
    assert problem.hint == "did you mean '货物'?"


def test_valid_enum_comparisons() -> None:
    formula = compile_formula("grade == '优' or grade == '良'", names=NAMES)
    assert formula.evaluate({"grade": "良"}) is True
    assert formula.evaluate({"grade": "差"}) is False
    assert compile_formula("title == 'anything'", names=NAMES).type == BOOL


# --------------------------------------------------------------------------- names and arguments


def test_unknown_name_suggests() -> None:
    problem = err("spnt / budget")
    assert (problem.code, problem.message, problem.hint) == (
        "unknown-name",
        "unknown name 'spnt'",
        "did you mean 'spent'?",
    )
    assert err("min * 2").hint == "min is a function: call it as min(a, b, ...)"
    assert err("true").hint == "the booleans are written True and False"


def test_optional_fact_without_a_value_fails_when_read_and_given_guards_it() -> None:
    names = {"target": ValueType("number", optional=True), "actual": NUMBER}
    formula = compile_formula("actual / target * 100", names=names, subject="indicator 'x'")
    with pytest.raises(ExpressionError) as caught:
        formula.evaluate({"target": None, "actual": D(5)})
    assert caught.value.code == "missing-value"
    assert caught.value.problems[0].message == "'target' has no value"
    guarded = compile_formula("actual / target if given(target) else 0", names=names)
    assert guarded.evaluate({"target": None, "actual": D(5)}) == 0
    assert guarded.evaluate({"target": D(4), "actual": D(5)}) == D("1.25")
    # a comparison with a missing value is an error too, never silently False
    equal = compile_formula("target == 0", names=names, expect="bool")
    with pytest.raises(ExpressionError):
        equal.evaluate({"target": None, "actual": D(5)})


def test_given_takes_a_bare_declared_name() -> None:
    assert err("given(1)").code == "formula-arguments"
    assert err("given(nothing)").code == "formula-arguments"


@pytest.mark.parametrize(
    ("src", "code", "message"),
    [
        ("min(1)", "formula-arguments", "min() takes at least 2 arguments, got 1"),
        ("abs(1, 2)", "formula-arguments", "abs() takes 1 argument, got 2"),
        ("round(1, 2, 3)", "formula-arguments", "round() takes 1 or 2 arguments, got 3"),
        ("clamp(1, 2)", "formula-arguments", "clamp() takes 3 arguments, got 2"),
        ("count(items, kind)", "formula-arguments", "count() takes 1 or 3 arguments, got 2"),
        ("mean(items)", "formula-arguments", "mean() takes 2 arguments, got 1"),
        ("max(1, title)", "formula-arguments", "max() needs a number as argument 2, got text"),
        ("days(start, 1)", "formula-arguments", "days() needs a date as argument 2, got number"),
        ("abs(approved)", "formula-arguments", "abs() needs a number as argument 1, got bool"),
        (
            "sum(spent, amount)",
            "formula-arguments",
            "sum() needs a list fact as argument 1, got number",
        ),
        (
            "count(1 + 1)",
            "formula-arguments",
            "count() needs a list fact as argument 1, got number",
        ),
        (
            "sum(items, 'amount')",
            "formula-arguments",
            "argument 2 must name a field of 'items', written bare",
        ),
        (
            "sum(items, kind)",
            "formula-arguments",
            "argument 2 must be a number field; 'kind' is text",
        ),
        ("round(spent, 0)", "formula-arguments", "round() needs a step greater than 0, got 0"),
        ("sum(items, amout)", "unknown-field", "list 'items' has no field 'amout'"),
        ("sum(itms, amount)", "unknown-name", "unknown name 'itms'"),
        ("frobnicate(1)", "unknown-function", "function 'frobnicate' is not available"),
    ],
)
def test_function_argument_errors(src: str, code: str, message: str) -> None:
    problem = err(src)
    assert (problem.code, problem.message) == (code, message)


def test_argument_errors_state_the_signature() -> None:
    assert err("clamp(1, 2)").hint == "signature: clamp(x, lo, hi)"
    assert err("weighted_mean(items, amount)").hint == (
        "signature: weighted_mean(list, field, weight_field)"
    )
    assert err("sum(items, amout)").hint == "did you mean 'amount'?"
    assert err("sum(items, zzz)").hint == "its fields: amount, done, due, kind, note, weight"


def test_optional_list_and_field() -> None:
    names = {"rows": list_of({"x": ValueType("number", optional=True)})}
    assert err("sum(rows, x)", names=names).code == "optional-fact"
    names = {"rows": ValueType("list", fields={"x": NUMBER}, optional=True)}
    with pytest.raises(ExpressionError) as caught:
        compile_formula("count(rows)", names=names).evaluate({"rows": None})
    assert caught.value.code == "missing-value"


def test_names_are_what_the_formula_reads() -> None:
    formula = compile_formula("sum(items, amount) / budget + spent - spent", names=NAMES)
    assert formula.names == frozenset({"items", "budget", "spent"})
    assert compile_formula("1 + 1", names=NAMES).names == frozenset()


# --------------------------------------------------------------------------- forbidden


@pytest.mark.parametrize(
    ("src", "code", "message"),
    [
        ("spent.real", "formula-forbidden", "attribute access ('.real') cannot be used"),
        ("start.today()", "formula-forbidden", "attribute access ('.today') cannot be used"),
        ("spent.__class__", "formula-forbidden", "attribute access ('.__class__')"),
        ("''.__class__.__mro__", "formula-forbidden", "attribute access ('.__mro__')"),
        ("'a'.ljust(10**9)", "formula-forbidden", "attribute access ('.ljust')"),
        ("'{0.__class__}'.format(1)", "formula-forbidden", "attribute access ('.format')"),
        ("items[0]", "formula-forbidden", "subscripts ('x[...]') cannot be used"),
        ("spent ** 2", "formula-forbidden", "'**' (power) cannot be used"),
        ("4000000**4000000", "formula-forbidden", "'**' (power) cannot be used"),
        ("spent % 2", "formula-forbidden", "'%' (remainder and text formatting)"),
        ("'%0100000000d' % 1", "formula-forbidden", "'%' (remainder and text formatting)"),
        ("spent // 2", "formula-forbidden", "'//' (floor division)"),
        ("approved & approved", "formula-forbidden", "the bitwise operator '&'"),
        ("approved | approved", "formula-forbidden", "the bitwise operator '|'"),
        ("1 ^ 2", "formula-forbidden", "the bitwise operator '^'"),
        ("1 << 2", "formula-forbidden", "the shift operator '<<'"),
        ("1 >> 2", "formula-forbidden", "the shift operator '>>'"),
        ("~1", "formula-forbidden", "the bitwise operator '~'"),
        ("spent is budget", "formula-forbidden", "'is' cannot be used"),
        ("spent is not budget", "formula-forbidden", "'is not' cannot be used"),
        ("title in 'abc'", "formula-forbidden", "'in' cannot be used"),
        ("title not in 'abc'", "formula-forbidden", "'not in' cannot be used"),
        ("lambda: 1", "formula-forbidden", "lambda cannot be used"),
        ("(lambda x: x)(3)", "formula-forbidden", "calling the result of an expression"),
        ("[x for x in 'abc']", "formula-forbidden", "comprehensions cannot be used"),
        ("['a'*100000 for x in 'a'*10000]", "formula-forbidden", "comprehensions"),
        ("sum(x for x in items)", "formula-forbidden", "comprehensions"),
        ("{x: 1 for x in 'ab'}", "formula-forbidden", "comprehensions"),
        ("f'{spent}'", "formula-forbidden", "f-strings cannot be used"),
        ("f'{1:>100000000}'", "formula-forbidden", "f-strings cannot be used"),
        ("(x := 100)", "formula-forbidden", "assignment expressions (':=')"),
        ("[1, 2]", "formula-forbidden", "list displays ('[...]')"),
        ("(1, 2)", "formula-forbidden", "tuples cannot be used"),
        ("{1, 2}", "formula-forbidden", "set displays ('{...}')"),
        ("{'a': 1}", "formula-forbidden", "dict displays ('{...}')"),
        ("min(*items)", "formula-forbidden", "unpacking with '*'"),
        ("round(spent, step=0.5)", "formula-forbidden", "keyword arguments ('step=')"),
        ("min(**items)", "formula-forbidden", "'**' unpacking"),
        ("None", "formula-forbidden", "None cannot be used"),
        ("b'x'", "formula-forbidden", "bytes literals cannot be used"),
        ("...", "formula-forbidden", "Ellipsis cannot be used"),
        ("await spent", "formula-forbidden", "'Await' cannot be used"),
        ("rand()", "unknown-function", "function 'rand' is not available"),
        ("randint(100)", "unknown-function", "function 'randint' is not available"),
        ("int(spent)", "unknown-function", "function 'int' is not available"),
        ("float('inf')", "unknown-function", "function 'float' is not available"),
        ("str(spent)", "unknown-function", "function 'str' is not available"),
        ("eval('1')", "unknown-function", "function 'eval' is not available"),
        ("__import__('os')", "unknown-function", "function '__import__' is not available"),
        ("spent(1)", "unknown-function", "function 'spent' is not available"),
        ("__builtins__", "unknown-name", "unknown name '__builtins__'"),
        (
            "1; 2",
            "formula-syntax",
            "a formula is one expression; ';' would start a second statement",
        ),
        ("x = 100", "formula-syntax", "'=' assigns a value, which a formula cannot do"),
        ("spent += 1", "formula-syntax", "'+=' is not part of the formula language"),
        ("x := 1", "formula-syntax", "':=' is not part of the formula language"),
        ("import os", "formula-syntax", "'import' is not part of the formula language"),
        ("spent +", "formula-syntax", "the formula ends after '+', where a value is expected"),
        ("'abc", "formula-syntax", 'the text begun with "\'" is never closed'),
        ("", "formula-syntax", "formula is empty"),
        ("   ", "formula-syntax", "formula is empty"),
    ],
)
def test_forbidden_constructs(src: str, code: str, message: str) -> None:
    problem = err(src)
    assert problem.code == code
    assert problem.message.startswith(message)


def test_forbidden_hints() -> None:
    assert err("spent ** 2").hint == "use a product; powers are not supported"
    assert err("spent // 2").hint == "use floor(a / b)"
    assert err("spent is budget").hint == "compare values with =="
    assert err("int(spent)").hint == "numbers are exact already; use round(x), floor(x) or ceil(x)"
    assert err("rand()").hint == "did you mean 'round'?"
    assert err("round(spent, step=0.5)").hint == "pass arguments by position: round(x[, step])"


# --------------------------------------------------------------------------- lines, comments, text


@pytest.mark.parametrize(
    "src", ["spent\n- 100", "60 * spent / budget\n- 100", "spent\r- 1", "'a\nb'"]
)
def test_line_breaks_are_rejected(src: str) -> None:
    problem = err(src)
    assert (problem.code, problem.message) == ("formula-forbidden", "a formula must be one line")
    assert problem.hint == (
        "a YAML literal block (|) keeps line breaks, use a plain or folded (>) scalar"
    )


def test_surrounding_whitespace_is_stripped() -> None:
    formula = compile_formula("  spent + 1\n", names=NAMES)
    assert formula.source == "spent + 1"


def test_comment_is_rejected() -> None:
    problem = err("spent # - 100")
    assert (problem.code, problem.message) == (
        "formula-forbidden",
        "'#' cannot be used outside a text literal",
    )
    assert problem.hint == (
        "'#' starts a comment in Python and would silently drop the rest of the formula"
    )
    assert ev("t == '#1'", t="#1") is True


def test_backslash_is_rejected() -> None:
    assert err("title == 'a\\u202eb'").code == "formula-forbidden"
    assert err("spent + \\").code == "formula-forbidden"


def test_text_literals_may_hold_chinese_and_quotes() -> None:
    assert ev("t == '部门预算资金支出率'", t="部门预算资金支出率") is True
    assert ev('t == "it\'s"', t="it's") is True
    assert ev("t == '''a\"b'''", t='a"b') is True
    assert ev("t == '（全角）'", t="（全角）") is True


@pytest.mark.parametrize(
    ("src", "char", "meant"),
    [
        ("（spent）", "（", "("),
        ("spent ＋ 1", "＋", "+"),
        ("spent － 1", "－", "-"),
        ("spent ＊ 2", "＊", "*"),
        ("spent ／ 2", "／", "/"),
        ("min(1，2)", "，", ","),
        ("spent ＝= 1", "＝", "="),
        ("spent ＜ 1", "＜", "<"),
        ("spent ＞ 1", "＞", ">"),
        ("1．5", "．", "."),
        ("spent + １", "１", "1"),
        ("ｓｐｅｎｔ", "ｓ", "s"),
        ("ＳＰＥＮＴ", "Ｓ", "S"),
        ("spent\u3000+ 1", "\u3000", " "),
    ],
)
def test_full_width_characters(src: str, char: str, meant: str) -> None:
    problem = err(src)
    assert problem.code == "forbidden-character"
    assert problem.message.startswith(f"character '{char}' (U+{ord(char):04X} ")
    assert problem.message.endswith(") cannot be used outside a text literal")
    assert problem.hint is not None
    assert problem.hint.startswith(
        f"full-width '{char}' (U+{ord(char):04X}) where '{meant}' was meant"
    )


def test_full_width_message_exact() -> None:
    problem = err("（spent）")
    assert problem.message == (
        "character '（' (U+FF08 FULLWIDTH LEFT PARENTHESIS) cannot be used outside a text literal"
    )
    assert problem.hint == (
        "full-width '（' (U+FF08) where '(' was meant; switch the input method to half-width (半角)"
    )


def test_nfkc_would_silently_read_another_name() -> None:
    # Python itself reads the full-width name as `spent`: the formula must not compile.
    import ast

    assert ast.parse("ｓｐｅｎｔ", mode="eval").body.id == "spent"  # type: ignore[attr-defined]
    assert err("ｓｐｅｎｔ + 1").code == "forbidden-character"
    problem = err("ﬁnal")
    assert problem.message.endswith("Python would read it as 'fi'")


@pytest.mark.parametrize(
    ("char", "meant"), [("×", "*"), ("÷", "/"), ("−", "-"), ("≥", ">="), ("“", '"')]
)
def test_typographic_lookalikes(char: str, meant: str) -> None:
    problem = err(f"spent {char} 2")
    assert problem.code == "forbidden-character"
    assert problem.hint == f"'{char}' (U+{ord(char):04X}) where '{meant}' was meant"


def test_cyrillic_homoglyph_is_an_unknown_name() -> None:
    problem = err("budgеt * 2")  # the 'е' is U+0435 CYRILLIC SMALL LETTER IE
    assert problem.code == "unknown-name"
    assert problem.message == (
        "unknown name 'budgеt' (it holds the non-ASCII character 'е', "
        "U+0435 CYRILLIC SMALL LETTER IE)"
    )
    assert problem.hint == "did you mean 'budget'?"


def test_chinese_name_is_unknown() -> None:
    assert err("支出率 > 90").code == "unknown-name"


@pytest.mark.parametrize(
    "char",
    ["\u202e", "\u200b", "\u200d", "\ufeff", "\u2066", "\x00", "\x1b", "\t", "\u2028", "\x7f"],
)
@pytest.mark.parametrize("template", ["spent{}+ 1", "title == 'a{}b'"])
def test_invisible_characters_are_rejected_everywhere(char: str, template: str) -> None:
    problem = err(template.format(char))
    assert problem.code == "forbidden-character"
    assert f"U+{ord(char):04X}" in problem.message
    assert char not in problem.render()


def test_bidi_override_message() -> None:
    problem = err("spent\u202e + 1")
    assert problem.message == (
        "invisible or control character U+202E RIGHT-TO-LEFT OVERRIDE in the formula"
    )
    assert problem.details[0] == ("formula", "spent\\u202e + 1")


# --------------------------------------------------------------------------- numeric literals

DIGITS = "write all the digits, e.g. 1500000 for 1.5e6"


@pytest.mark.parametrize(
    ("src", "message", "hint"),
    [
        ("0x1F", "number '0x1F' is not in base 10", "write the number in decimal digits"),
        ("0o17", "number '0o17' is not in base 10", "write the number in decimal digits"),
        ("0b101", "number '0b101' is not in base 10", "write the number in decimal digits"),
        ("1_000", "number '1_000' groups digits with '_'", "write 1000"),
        ("1e5", "number '1e5' uses exponent notation", DIGITS),
        ("1e309", "number '1e309' uses exponent notation", DIGITS),
        ("2.5E-3", "number '2.5E-3' uses exponent notation", DIGITS),
        ("1j", "number '1j' is imaginary", "formulas compute with real numbers only"),
        (".5", "number '.5' has no digit before '.'", "write 0.5"),
        ("5.", "number '5.' ends with '.'", "write 5 or 5.0"),
    ],
)
def test_numeric_literals_must_be_plain_decimals(src: str, message: str, hint: str) -> None:
    problem = err(f"spent + {src}")
    assert (problem.code, problem.message, problem.hint) == ("formula-forbidden", message, hint)


@pytest.mark.parametrize("src", ["007", "00.5"])
def test_leading_zeros(src: str) -> None:
    problem = err(src)
    assert (problem.code, problem.message) == ("formula-syntax", "a number cannot start with 0")


def test_number_literal_length() -> None:
    assert ev("1" * 30) == D("1" * 30)
    problem = err("1" * 31)
    assert (problem.code, problem.message) == (
        "formula-too-complex",
        "number has 31 characters, the limit is 30",
    )
    assert err("1" * 1999).code == "formula-too-complex"


def test_huge_products_overflow_cleanly() -> None:
    big = "1" + "0" * 29
    error = run_err(" * ".join([big] * 40))
    assert error.code == "number-too-large"


# --------------------------------------------------------------------------- limits


def test_limits_have_their_documented_values() -> None:
    assert (MAX_FORMULA_LENGTH, MAX_NODES, MAX_DEPTH, MAX_STRING_LITERAL) == (2000, 400, 40, 200)


def test_too_long() -> None:
    problem = err("spent + " * 300 + "1")
    assert (problem.code, problem.message) == (
        "formula-too-complex",
        "formula has 2401 characters, the limit is 2000",
    )
    assert err("1" * 10_000_000).code == "formula-too-complex"


def test_deeply_nested_parentheses() -> None:
    assert ev("(" * 40 + "1" + ")" * 40) == 1
    problem = err("(" * 300 + "1" + ")" * 300)
    assert (problem.code, problem.message) == (
        "formula-too-complex",
        "formula nests too many parentheses",
    )


def test_depth_limit() -> None:
    assert ev("-" * (MAX_DEPTH - 1) + "1") == -1
    problem = err("-" * MAX_DEPTH + "1")
    assert (problem.code, problem.message) == (
        "formula-too-complex",
        "formula nests deeper than 40 levels",
    )
    assert err("not " * 400 + "True").code == "formula-too-complex"
    assert err("-" * 1999 + "1").code == "formula-too-complex"
    assert err("1 if True else " * 120 + "1").code == "formula-too-complex"


def test_node_limit() -> None:
    assert err("+".join(["1"] * 900)).code == "formula-too-complex"
    problem = err("min(" + ", ".join(["1"] * 500) + ")")
    assert (problem.code, problem.message) == (
        "formula-too-complex",
        "formula has more than 400 parts (names, numbers, operations)",
    )
    assert ev("min(" + ", ".join(["1"] * 390) + ")") == 1
    assert err(" and ".join(["approved"] * 450)).code == "formula-too-complex"


def test_string_literal_limit() -> None:
    assert ev(f"t == '{'a' * 200}'", t="a") is False
    problem = err(f"title == '{'a' * 201}'")
    assert (problem.code, problem.message) == (
        "formula-too-complex",
        "text has 201 characters, the limit is 200",
    )


# --------------------------------------------------------------------------- runtime errors


def test_division_by_zero_names_formula_and_values() -> None:
    error = run_err("spent / budget * 100", spent=D("3703.85"), budget=0)
    assert error.code == "zero-division"
    assert str(error) == (
        "formula divides by zero [zero-division]\n"
        "    formula: spent / budget * 100\n"
        "    with:    spent=3703.85, budget=0"
    )
    assert isinstance(error.__cause__, ZeroDivisionError)


def test_zero_by_zero_is_invalid_operation() -> None:
    error = run_err("a / b", a=0, b=0)
    assert error.code == "invalid-operation"
    assert str(error) == (
        "formula's arithmetic is undefined (such as 0 / 0) [invalid-operation]\n"
        "    formula: a / b\n"
        "    with:    a=0, b=0"
    )


def test_runtime_error_carries_location_and_shows_values() -> None:
    formula = compile_formula(
        "days(start, end) / n + count(items) + (1 if ok else 0) + len0",
        names={
            "start": DATE,
            "end": DATE,
            "n": NUMBER,
            "items": ITEMS,
            "ok": BOOL,
            "len0": NUMBER,
        },
        location=Location("rubric/a.yaml", 30, 14),
        subject="indicator 'spend_rate'",
    )
    env = {
        "start": datetime.date(2024, 1, 1),
        "end": datetime.date(2024, 1, 2),
        "n": D(0),
        "items": Records([]),
        "ok": True,
        "len0": D("1.50"),
    }
    with pytest.raises(ExpressionError) as info:
        formula.evaluate(env)
    error = info.value
    assert (error.location, error.subject) == (formula.location, formula.subject)
    assert error.render().splitlines() == [
        "rubric/a.yaml:30:14: indicator 'spend_rate': formula divides by zero [zero-division]",
        "    formula: days(start, end) / n + count(items) + (1 if ok else 0) + len0",
        "    with:    start=2024-01-01, end=2024-01-02, n=0, items=<list of 0 records>, ok=True, "
        "len0=1.5",
    ]


def test_missing_value_in_env_is_an_expression_error() -> None:
    formula = compile_formula("spent + 1", names=NAMES)
    with pytest.raises(ExpressionError) as info:
        formula.evaluate({})
    assert info.value.code == "invalid-operation"
    assert "spent=<missing>" in str(info.value)


# --------------------------------------------------------------------------- locations


def test_compile_errors_carry_location_and_subject() -> None:
    where = Location("rubric/example.yaml", 14, 12)
    problem = err("spent / budgt * 100", location=where, subject="indicator 'spend_rate'")
    assert (problem.location, problem.subject) == (where, "indicator 'spend_rate'")
    assert problem.render().splitlines() == [
        "rubric/example.yaml:14:12: indicator 'spend_rate': unknown name 'budgt' [unknown-name]",
        "    formula: spent / budgt * 100",
        "    here:            ^",
        "    hint: did you mean 'budget'?",
    ]


def test_caret_counts_characters_not_bytes() -> None:
    problem = err("title == '中文' and spent ** 2")
    assert problem.details[1] == ("here", " " * 24 + "^")


def test_formula_records_its_location() -> None:
    where = Location("r.yaml", 3, 5)
    formula = compile_formula("1", names={}, location=where, subject="derived 'x'")
    assert (formula.location, formula.subject, formula.source) == (where, "derived 'x'", "1")
    assert isinstance(formula, Formula)


# --------------------------------------------------------------------------- records and sharing


def test_records_is_an_immutable_plain_value() -> None:
    rows = Records([{"amount": D(1)}])
    assert len(rows) == 1
    assert [dict(r) for r in rows] == [{"amount": D(1)}]
    assert not callable(rows)
    assert not isinstance(rows, (list, tuple, dict))
    assert repr(rows) == "<list of 1 records>"
    record = next(iter(rows))
    with pytest.raises(TypeError):
        record["amount"] = D(2)  # type: ignore[index]


def test_records_copy_their_input() -> None:
    source = [{"amount": D(1)}]
    rows = Records(source)
    source[0]["amount"] = D(99)
    source.append({"amount": D(5)})
    assert [r["amount"] for r in rows] == [D(1)]


def test_one_formula_shared_by_threads() -> None:
    formula = compile_formula(
        "round(a / b * 100, 0.01) + count(items) + (1 if a > b else 0)",
        names={"a": NUMBER, "b": NUMBER, "items": ITEMS},
    )
    barrier = threading.Barrier(8)
    results: dict[int, set[object]] = {}

    def work(k: int) -> None:
        env = {"a": D(k + 1), "b": D(8), "items": Records([{"amount": D(1)}] * k)}
        barrier.wait()
        results[k] = {formula.evaluate(env) for _ in range(2000)}

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for k in range(8):
        expected = (D(k + 1) / 8 * 100).quantize(D("0.01")) + k
        assert results[k] == {expected}


def test_formula_is_reusable_and_deterministic() -> None:
    formula = compile_formula("spent / budget", names=NAMES)
    values = [formula.evaluate({"spent": D(i), "budget": D(4)}) for i in range(5)]
    assert values == [D(0), D("0.25"), D("0.5"), D("0.75"), D(1)]


# --------------------------------------------------------------------------- properties

TOKENS = [
    *("spent", "budget", "approved", "start", "end", "grade", "title", "items", "amount", "kind"),
    *("1", "0", "0.5", "'优'", "'x'", "True", "None", "+", "-", "*", "/", "**", "%", "(", ")"),
    *(",", "<", "==", "!=", "and", "or", "not", "if", "else", "min", "round", "sum", "count"),
    *("days", "clamp", ".", "[", "]", "lambda", ":", "for", "in", "is", "#", "（", "ｓ", "1e5"),
    *("=", ";", "'", "\\", "\u202e", "\t", "f'", "{", "}"),
]
PROPERTY_ENV = {
    "spent": D("3703.85"),
    "budget": D(0),
    "approved": True,
    "start": datetime.date(2024, 1, 1),
    "end": datetime.date(2024, 12, 31),
    "grade": "优",
    "title": "x",
    "items": records({"amount": 5, "kind": "货物"}),
}
KINDS = {Decimal: "number", bool: "bool", datetime.date: "date", str: "text"}


@pytest.mark.properties
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=10))
def test_any_input_fails_only_with_our_errors_and_keeps_its_type(tokens: list[str]) -> None:
    names = {k: v for k, v in NAMES.items() if k != "remark"}
    try:
        formula = compile_formula(" ".join(tokens), names=names)
        result = formula.evaluate(PROPERTY_ENV)
    except (RubricError, ExpressionError):
        return
    assert KINDS[type(result)] == formula.type.kind


# --------------------------------------------------------------------------- docs


def test_docs_list_every_function_and_limit() -> None:
    text = (Path(__file__).parent.parent / "docs" / "expressions.md").read_text(encoding="utf-8")
    for signature in FUNCTIONS.values():
        assert f"`{signature}`" in text, signature
    for value in (MAX_FORMULA_LENGTH, MAX_NODES, MAX_DEPTH, MAX_STRING_LITERAL):
        assert str(value) in text


# --------------------------------------------------------------------------- habits from elsewhere


@pytest.mark.parametrize(
    ("src", "message", "hint"),
    [
        # spreadsheet percent sign after a number
        ("6 if spent >= 90% else 0", "'%' after a number", "not 'rate >= 90%'"),
        ("spent >= 90 %", "'%' after a number", "write 'rate >= 90'"),
        # C and JavaScript
        ("spent > 0 ? 6 : 0", "'c ? x : y' (choice)", "write 'x if c else y'"),
        ("6 if spent > 0 && budget > 0 else 0", "'&&' (and)", "write 'and'"),
        ("6 if spent > 0 || budget > 0 else 0", "'||' (or)", "write 'or'"),
        ("6 if !(spent > 0) else 0", "'!' (not)", "write 'not'"),
        ("6 if spent === budget else 0", "'===' (strict equality)", "write '=='"),
        ("6 if spent <> budget else 0", "'<>' (not equal)", "write '!='"),
        # '=' for comparison inside an expression, not only at the top
        ("6 if spent = budget else 0", "'=' assigns a value", "write '==' to compare"),
    ],
)
def test_operators_typed_from_habit_say_what_to_write(src: str, message: str, hint: str) -> None:
    problem = err(src)
    assert problem.code == "formula-syntax"
    assert problem.message.startswith(message)
    assert problem.hint is not None
    assert hint in problem.hint


def test_habit_characters_inside_text_are_left_alone() -> None:
    # '?', '&&' and '%' inside a text literal are text: the formula is valid
    compile_formula("6 if 'a?b && 90%' == 'a?b && 90%' else 0", names={})


def test_a_remainder_gets_the_percent_hint() -> None:
    problem = err("spent % 2")
    assert problem.code == "formula-forbidden"
    assert problem.hint is not None
    assert "percent units" in problem.hint
