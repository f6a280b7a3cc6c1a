"""The interval analysis behind `perfscore check`: sound on random formulas, exact on known ones."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from perfscore._errors import ExpressionError
from perfscore._lang._bounds import Analysis, Scope, Span
from perfscore._lang._expr import compile_formula
from perfscore._numbers import CONTEXT
from perfscore._values import NUMBER

# a: a number in [-5, 10]; n: an integer in [0, 6]; p: a percent in [0, 100]
SCOPE = Scope(
    {
        "a": Span(Fraction(-5), Fraction(10), True, True),
        "n": Span(Fraction(0), Fraction(6), True, True, Fraction(1)),
        "p": Span(Fraction(0), Fraction(100), True, True),
    }
)
NAMES = {"a": NUMBER, "n": NUMBER, "p": NUMBER}


def span_of(source: str) -> Span | None:
    analysis = Analysis(source)
    return analysis.number(analysis.tree, SCOPE)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a + n", "[-5, 16]"),
        ("a - n", "[-11, 10]"),
        ("a * n", "[-30, 60]"),
        ("-a", "[-10, 5]"),
        ("abs(a)", "[0, 10]"),
        ("min(a, n)", "[-5, 6]"),
        ("max(a, 2)", "[2, 10]"),
        ("clamp(a, 0, 4)", "[0, 4]"),
        ("p / 100 * 6", "[0, 6]"),
        ("n / (n + 1)", "[0, 6]"),
        ("a / n", "(-inf, inf)"),
        ("p / n", "[0, inf)"),
        ("100 - p", "[0, 100]"),
        ("round(a / 3, 0.5)", "[-2, 3.5]"),
        ("floor(p / 7)", "[0, 15]"),
        ("a if a > 0 else 0", "[0, 10]"),
        ("1 / a if a > 2 else 0", "[0, 0.5)"),
        # two values at least 0 known to differ: the larger is above 0, the smaller may be 0
        ("max(n, p) if n != p else 1", "(0, 100]"),
        ("max(n, p) if not (p == n) else 1", "(0, 100]"),
        ("max(n, p) if n < p else 1", "(0, 100]"),
        ("max(n, p) if n == p else 1", "[0, 6]"),  # p narrowed to n's range
        ("max(a, n) if a != n else 1", "[0, 10]"),
        ("min(n, p) if n != p else 1", "[0, 6]"),
        ("min(-n, -p) if n != p else -1", "[-100, 0]"),  # n, p differ; -n, -p unknown
        ("min(-n, -p) if -n != -p else -1", "[-100, 0)"),
    ],
)
def test_known_spans(source: str, expected: str) -> None:
    assert str(span_of(source)) == expected


def test_integers_keep_their_lattice() -> None:
    span = span_of("2 * n + 1")
    assert span is not None
    assert span.step == 1
    assert span.contains(Fraction(3))
    assert str(span) == "[1, 13]"
    halves = span_of("round(p, 0.5)")
    assert halves is not None
    assert halves.step == Fraction(1, 2)
    assert not halves.contains(Fraction(1, 4))


def test_a_repeating_bound_is_shown_approximately() -> None:
    assert str(Span(Fraction(0), Fraction(1, 3), True, False)) == "[0, ≈0.3333)"


# --- soundness: every value a formula computes lies in its span -------------------------------

LEAVES = st.sampled_from(["a", "n", "p", "0", "1", "2", "0.5", "100"])
COMPARISONS = st.sampled_from([">", ">=", "<", "<=", "==", "!="])


def expressions() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        )
        calls = st.one_of(
            inner.map(lambda x: f"abs({x})"),
            inner.map(lambda x: f"-({x})"),
            st.tuples(inner, inner).map(lambda t: f"min({t[0]}, {t[1]})"),
            st.tuples(inner, inner).map(lambda t: f"max({t[0]}, {t[1]})"),
            st.tuples(inner, inner, inner).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
            inner.map(lambda x: f"round({x}, 0.5)"),
            inner.map(lambda x: f"floor({x})"),
            inner.map(lambda x: f"ceil({x})"),
        )
        branch = st.tuples(inner, inner, COMPARISONS, inner, inner).map(
            lambda t: f"({t[0]} if {t[1]} {t[2]} {t[3]} else {t[4]})"
        )
        return st.one_of(binary, calls, branch)

    return st.recursive(LEAVES, extend, max_leaves=6)


VALUES = st.fixed_dictionaries(
    {
        "a": st.decimals(min_value=-5, max_value=10, places=2),
        "n": st.integers(min_value=0, max_value=6).map(Decimal),
        "p": st.decimals(min_value=0, max_value=100, places=2),
    }
)


@pytest.mark.properties
@settings(max_examples=400, deadline=None)
@given(source=expressions(), values=VALUES)
def test_the_span_holds_every_computed_value(source: str, values: dict[str, Decimal]) -> None:
    formula = compile_formula(source, names=NAMES, expect="number")
    try:
        with decimal.localcontext(CONTEXT):
            value = formula.run(values)
    except ExpressionError:
        assume(False)
        return
    assert isinstance(value, Decimal)
    span = span_of(source)
    assert span is not None
    exact = Fraction(value)
    # division results are rounded to 34 digits; allow that much around an end
    slack = Fraction(1, 10**20) * (1 + abs(exact))
    inside = span.contains_real(exact) or any(
        span.contains_real(exact + d) for d in (slack, -slack)
    )
    assert inside, f"{source} = {value} with {values}, outside {span}"
    if span.step is not None and "/" not in source:
        assert span.contains(exact), f"{source} = {value} is off the lattice {span.step}"


@pytest.mark.properties
@settings(max_examples=300, deadline=None)
@given(left=expressions(), op=COMPARISONS, right=expressions(), values=VALUES)
def test_a_condition_said_to_be_decided_is(
    left: str, op: str, right: str, values: dict[str, Decimal]
) -> None:
    source = f"{left} {op} {right}"
    formula = compile_formula(source, names=NAMES, expect="bool")
    try:
        with decimal.localcontext(CONTEXT):
            value = formula.run(values)
    except ExpressionError:
        assume(False)
        return
    analysis = Analysis(source)
    decided = analysis.truth(analysis.tree, SCOPE)
    assert decided is None or decided == value, f"{source} with {values}"


@pytest.mark.parametrize(
    ("source", "hazard"),
    [
        ("p / max(n, p) if n != p else 0", False),
        ("p / max(p, n) if p > n else 0", False),
        ("p / max(n, p)", True),
        ("p / max(n, p) if n >= p else 0", True),
        # a may be below 0: a = -1, n = 0 differ, and their max is 0
        ("p / max(a, n) if a != n else 0", True),
    ],
)
def test_a_max_of_two_differing_values_is_no_zero_divisor(source: str, hazard: bool) -> None:
    analysis = Analysis(source)
    analysis.number(analysis.tree, SCOPE)
    assert bool(analysis.hazards) is hazard


def test_not_applicable_is_either_way_unless_the_marks_are_known() -> None:
    from dataclasses import replace

    analysis = Analysis("not_applicable('x') and a > 20")
    assert analysis.truth(analysis.tree, SCOPE) is False  # a > 20 never holds
    analysis = Analysis("not_applicable('x') or a > 20")
    assert analysis.truth(analysis.tree, SCOPE) is None  # check: marks not known
    assert analysis.truth(analysis.tree, replace(SCOPE, marked=frozenset({"x"}))) is True
    assert analysis.truth(analysis.tree, replace(SCOPE, marked=frozenset({"y"}))) is False
    # narrowing by a comparison keeps what is known of the marks
    narrowed = SCOPE.restrict(Analysis("a").tree, Span(Fraction(0), Fraction(1), True, True))
    assert replace(SCOPE, marked=frozenset({"x"})).restrict(
        Analysis("a").tree, Span(Fraction(0), Fraction(1), True, True)
    ).marked == frozenset({"x"})
    assert narrowed.marked is None


def test_not_applicable_is_a_yes_no_function_of_a_quoted_id() -> None:
    formula = compile_formula("not_applicable('x')", names=NAMES, expect="bool")
    assert formula.type.kind == "bool"
    assert formula.names == frozenset()  # it reads no value: the marks come with the run
    with decimal.localcontext(CONTEXT):
        assert formula.run({"not_applicable()": frozenset({"x"})}) is True
        assert formula.run({}) is False
