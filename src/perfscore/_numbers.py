"""Exact numbers: the one Decimal context, parsing from text, rounding to a step, printing."""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar, cast

__all__ = [
    "CONTEXT",
    "ROUNDING_MODES",
    "ZERO",
    "brief_decimal",
    "exact",
    "format_decimal",
    "is_number_text",
    "parse_number_text",
    "quantize_step",
    "shown_decimal",
]

#: The context every evaluation runs under, never the process-global one. 34 significant
#: digits (IEEE decimal128) and exponents within +-999 hold any plausible amount exactly;
#: anything undefined (0/0, overflow, x/0) raises instead of producing NaN or Infinity.
CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999,
    Emax=999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

ZERO = Decimal(0)

_F = TypeVar("_F", bound=Callable[..., Any])


def exact(function: _F) -> _F:
    """`function` run in (a copy of) `CONTEXT`, whatever decimal context its caller is in.

    For what works numbers out after scoring (a scorecard's parts made on first read, its
    JSON and reports: a claimed sum, a 执行率, a number's ≈ in a trace's words): a caller's
    own precision or rounding (a finance system's ``ROUND_HALF_UP``, say) must change no
    byte of them.
    """

    @functools.wraps(function)
    def in_context(*args: Any, **kwargs: Any) -> Any:
        with decimal.localcontext(CONTEXT):
            return function(*args, **kwargs)

    return cast(_F, in_context)


#: Rounding modes a rubric may declare, mapped to the decimal module's constants.
ROUNDING_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}

_NUMBER_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z", re.ASCII)
_MAX_NUMBER_TEXT = 40


def is_number_text(text: str) -> bool:
    """True for plain ASCII decimal text such as ``-12``, ``0.5``, ``3703.85``."""
    return len(text) <= _MAX_NUMBER_TEXT and _NUMBER_TEXT.match(text) is not None


def parse_number_text(text: str) -> Decimal:
    """Build a Decimal from plain decimal text; raise ValueError for anything else."""
    if not is_number_text(text):
        raise ValueError(f"not a plain decimal number: {text[:_MAX_NUMBER_TEXT]!r}")
    return Decimal(text)


def quantize_step(value: Decimal, step: Decimal, mode: str) -> Decimal:
    """Round `value` to a multiple of `step` (e.g. 0.5 or 0.01) with a declared mode."""
    with decimal.localcontext(CONTEXT):
        units = (value / step).to_integral_value(rounding=ROUNDING_MODES[mode])
        result = units * step
        return _canonical(result)


def _canonical(value: Decimal) -> Decimal:
    """Drop negative zero; keep the exact value."""
    if value.is_zero():
        return ZERO
    return value


def format_decimal(value: Decimal) -> str:
    """Plain text without exponent or trailing zeros, never ``-0``: ``5.5``, ``103``, ``0.25``."""
    if value.is_zero():
        return "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


#: the decimals a report shows in full; a number with more is shown rounded to them, after ≈
SHOWN_PLACES = 4
_SHOWN_STEP = Decimal(1).scaleb(-SHOWN_PLACES)


def shown_decimal(value: Decimal) -> str:
    """A number as a report shows it: in full (`format_decimal`) with at most four decimals,
    else ≈ and the number rounded half up to four (``≈99.3469`` for 99.34693877551020…,
    as a trace's words show a derived value). The exact number stays in the JSON and in a
    spreadsheet's cells."""
    if value.is_finite() and value.as_tuple().exponent < -SHOWN_PLACES:  # type: ignore[operator]
        rounded = value.quantize(_SHOWN_STEP, rounding=decimal.ROUND_HALF_UP, context=CONTEXT)
        if rounded != value:
            return "≈" + format_decimal(rounded)
    return format_decimal(value)


def brief_decimal(value: Decimal) -> str:
    """A number for a message: in full (`format_decimal`) unless that is absurdly long (more
    than 30 digits before or after the point: ``1.000E-999999999``, not a million zeros)."""
    if value.is_finite() and abs(value.adjusted()) > 30:
        return f"{value:.3E}"
    return format_decimal(value)
