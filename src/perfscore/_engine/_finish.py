"""Finishing a score: clamp, round, clamp again, canonical form; and the one rule for sharing
out points exactly when a factor has no exact decimal."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from perfscore._load._model import Rounding
from perfscore._methods._base import Recorder
from perfscore._numbers import ZERO, quantize_step

__all__ = ["allocate", "canon", "clamp", "effective_rounding", "finish"]

_ONE = Decimal(1)


def canon(value: Decimal) -> Decimal:
    """The same value without trailing zeros (5.50 -> 5.5, 103.0 -> 103), never -0.

    Arithmetic keeps the scale of its operands, so a total could print as 103.0 beside a max of
    100; scores are shown and compared as plain values.
    """
    if value.is_zero():
        return ZERO
    if value == value.to_integral_value():
        return value.quantize(_ONE)
    return value.normalize()


def clamp(value: Decimal, low: Decimal, high: Decimal, rec: Recorder) -> Decimal:
    """`value` within [low, high]; a change is the rule ``clamp``."""
    if value > high:
        rec.fire("clamp")
        rec.step("clamp", high, "clamp_high", {"value": value, "bound": high}, rule="clamp")
        return high
    if value < low:
        rec.fire("clamp")
        rec.step("clamp", low, "clamp_low", {"value": value, "bound": low}, rule="clamp")
        return low
    return value


def finish(
    value: Decimal, low: Decimal, high: Decimal, rounding: Rounding | None, rec: Recorder
) -> Decimal:
    """Clamp to [low, high], round to the declared step, clamp again; trace each change."""
    value = clamp(value, low, high, rec)
    if rounding is not None:
        rounded = quantize_step(value, rounding.step, rounding.mode)
        if rounded != value:
            rec.fire("round")
            args = {"step": rounding.step, "mode": rounding.mode}
            rec.step("round", rounded, "round", args, rule="round")
        value = clamp(rounded, low, high, rec)
    return canon(value)


def allocate(parts: Sequence[Decimal], factor: Decimal, total: Decimal) -> list[Decimal]:
    """Each part times `factor`, adding up to `total` exactly.

    A factor such as 40/30 or 20/1.69 has no exact decimal: the last part takes what the others
    leave, so full marks stay full and a group totals exactly its max.
    """
    shares = [p * factor for p in parts]
    if shares:
        shares[-1] = total - sum(shares[:-1], ZERO)
    return shares


def effective_rounding(
    declared: Rounding | str | None, default: Rounding | None
) -> Rounding | None:
    """The rounding of an indicator, bonus or records rule: its own, none, or the rubric's."""
    if declared == "none":
        return None
    if isinstance(declared, Rounding):
        return declared
    return default
