"""Hypothesis strategies for perfscore rubrics and facts, and ready-made property checks.

Needs the ``hypothesis`` extra (``pip install 'perfscore[hypothesis]'``).

Strategies:

* `facts_for(rubric)`: valid ``facts`` mappings for a rubric, drawn from its fact schema, edges
  included (the bounds themselves, zero where the bounds allow it, empty lists, optional facts
  left out).
* `facts_with_unknowns(rubric)`: ``(facts, holes)``, valid facts with one to three values
  declared ``{unknown: true}`` and where they stand; `fillings(rubric, holes)` draws values for
  the holes and `filled(facts, values)` puts them in.
* `invalid_facts_for(rubric)`: ``(facts, code)`` pairs, each mapping wrong in exactly one place,
  with the error code `Rubric.evaluate` must raise.
* `rubric_documents()` / `rubrics()`: random well-formed rubrics, as plain data or as YAML/JSON
  text that `perfscore.parse_rubric` accepts.
* `rubric_extensions()`: ``(base, child)`` YAML texts, a random rubric and a random
  ``extends`` of it (override, patch, added and removed checks); `load_extension(base, child)`
  loads the pair.

Property checks, each a plain function that runs a Hypothesis test and raises AssertionError
(with the falsifying example) when the rubric or perfscore breaks a promise::

    import perfscore
    from perfscore import strategies

    RUBRIC = perfscore.load_rubric("rubric/my-rubric/2024.1.yaml")

    def test_scores_stay_within_bounds():
        strategies.assert_within_bounds(RUBRIC)

    def test_scores_are_deterministic():
        strategies.assert_deterministic(RUBRIC, max_examples=50)

    def test_declared_monotonicity_holds():
        strategies.assert_monotonic(RUBRIC)   # indicators with `monotonic: {fact: ...}`

    def test_traces_replay():
        strategies.assert_trace_replays(RUBRIC)

    def test_unknown_values_give_ranges_that_hold():
        strategies.assert_ranges_hold(RUBRIC)   # every filling lies within the ranges

Or write your own properties with the strategies::

    from hypothesis import given

    @given(strategies.facts_for(RUBRIC))
    def test_spend_rate_never_exceeds_six(facts):
        card = RUBRIC.evaluate(facts)
        assert card.indicator("spend_rate").score <= 6

Call the ``assert_*`` functions from plain test functions, not from inside another ``@given``
test. They run under the active Hypothesis settings profile, or the ``settings=`` you pass, with
`max_examples` and ``deadline=None`` on top. Scoring errors that depend on the data (a zero
division, a value in no band, an assessed score outside its tier; see `is_data_dependent`) are
legitimate outcomes of random facts and do not fail the checks; any other perfscore error for
valid facts, and any exception that is not a perfscore error, does.

Building blocks for your own properties: `check_scorecard` (every arithmetic promise about one
scorecard), `replay_trace` (an indicator's trace replayed to its score) and `dump_rubric`
(rubric data to YAML or JSON text with exact decimals).

`rubrics()` covers the rubric format of docs/rubric-format.md (``extends`` through
`rubric_extensions`), records groups (``records=True`` for always), ``total.scale_to``,
constants, templates, record conditions, checks once per record (``for_each``), checks that
read the totals and ``not_applicable()`` included; `facts_for` handles rubrics that use them,
and draws records whose points mostly add up to their group's max.
"""

# Re-exports only: the strategies live in perfscore._testing, one module per concern.
# perfscore._testing reports a missing Hypothesis (the extra) before anything else is read.
from perfscore._testing._dump import dump_rubric
from perfscore._testing._facts import (
    DEFAULT_SPAN,
    facts_for,
    facts_with_unknowns,
    filled,
    fillings,
)
from perfscore._testing._invalid import invalid_facts_for
from perfscore._testing._properties import (
    assert_deterministic,
    assert_monotonic,
    assert_ranges_hold,
    assert_trace_replays,
    assert_within_bounds,
    check_range_holds,
    check_scorecard,
    is_data_dependent,
    replay_trace,
)
from perfscore._testing._rubrics import (
    load_extension,
    rubric_documents,
    rubric_extensions,
    rubrics,
)

__all__ = [
    "DEFAULT_SPAN",
    "assert_deterministic",
    "assert_monotonic",
    "assert_ranges_hold",
    "assert_trace_replays",
    "assert_within_bounds",
    "check_range_holds",
    "check_scorecard",
    "dump_rubric",
    "facts_for",
    "facts_with_unknowns",
    "filled",
    "fillings",
    "invalid_facts_for",
    "is_data_dependent",
    "load_extension",
    "replay_trace",
    "rubric_documents",
    "rubric_extensions",
    "rubrics",
]


def _check_exports(public: set[str]) -> None:
    """Every public name defined here is listed in __all__, and every listed name is defined."""
    assert set(__all__) == public, (set(__all__) - public, public - set(__all__))


_check_exports({n for n in dir() if n[0] not in "_@"})
del _check_exports

# Public names report the module users import them from, not the private one defining them.
for _name in __all__:
    _value = globals()[_name]
    if callable(_value):
        _value.__module__ = __name__
del _name, _value
