"""Finishing a score (clamp, round, clamp, canonical form), the exact sharing of points, and the
recorders that keep the trace as data."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest

from perfscore._engine._finish import allocate, canon, effective_rounding, finish
from perfscore._engine._trace import Event, NullRecorder, Recorder
from perfscore._load._model import Rounding
from perfscore._numbers import CONTEXT

D = Decimal
HALF = Rounding(step=D("0.5"), mode="half_up")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("5.50", "5.5"), ("103.0", "103"), ("-0", "0"), ("0.000", "0"), ("1E+1", "10")],
)
def test_canon_drops_trailing_zeros_and_negative_zero(value: str, expected: str) -> None:
    assert str(canon(D(value))) == expected


def test_finish_clamps_rounds_and_records_each_change() -> None:
    rec = Recorder()
    # 7.3 within [0, 10]; to a multiple of 0.5 half up: 7.5
    assert finish(D("7.3"), D(0), D(10), HALF, rec) == D("7.5")
    assert rec.fired == ["round"]
    assert rec.events == [
        Event("round", D("7.5"), "round", {"step": D("0.5"), "mode": "half_up"}, rule="round")
    ]
    rec = Recorder()
    # 12.3 clamped to 10 first; 10 is already a multiple of 0.5
    assert finish(D("12.3"), D(0), D(10), HALF, rec) == D(10)
    assert rec.fired == ["clamp"]
    assert rec.events[0].args == {"value": D("12.3"), "bound": D(10)}


def test_rounding_past_the_max_is_clamped_again() -> None:
    rec = Recorder()
    # 9.9 rounds up (ceiling, step 4) to 12, above the max of 10
    assert finish(D("9.9"), D(0), D(10), Rounding(step=D(4), mode="ceiling"), rec) == D(10)
    assert rec.fired == ["round", "clamp"]


def test_the_null_recorder_keeps_the_rules_and_drops_the_steps() -> None:
    rec = NullRecorder("kind:")
    assert finish(D("-1"), D(0), D(10), None, rec) == D(0)
    assert (rec.fired, rec.events, rec.trace()) == (["kind:clamp"], [], None)
    assert not rec.tracing
    on = Recorder("kind:")
    finish(D("-1"), D(0), D(10), None, on)
    assert on.trace() == (Event("clamp", D(0), "clamp_low", on.events[0].args, rule="kind:clamp"),)


@pytest.mark.parametrize(
    ("parts", "total"),
    [
        (["10", "10", "10"], "40"),  # factor 40/30 has no exact decimal
        (["0.5", "0.69", "0.5"], "20"),  # a sheet whose points add up to 1.69
        (["7"], "3"),
    ],
)
def test_allocate_adds_up_to_the_total_exactly(parts: list[str], total: str) -> None:
    with decimal.localcontext(CONTEXT):
        values = [D(p) for p in parts]
        factor = D(total) / sum(values, D(0))
        shares = allocate(values, factor, D(total))
        assert sum(shares, D(0)) == D(total)
        assert shares[:-1] == [v * factor for v in values[:-1]]


def test_effective_rounding_is_the_indicators_own_none_or_the_rubrics() -> None:
    own = Rounding(step=D(1), mode="floor")
    assert effective_rounding(own, HALF) is own
    assert effective_rounding("none", HALF) is None
    assert effective_rounding(None, HALF) is HALF
    assert effective_rounding(None, None) is None
