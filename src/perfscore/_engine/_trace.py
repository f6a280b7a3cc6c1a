"""The trace as data: what the engine records while it scores, before any words.

A method reports to a `Recorder`: `fire` for every rule that applied (always kept: case files and
coverage read them) and `step` for each trace step, with the raw values and labels it used and
the key of its phrase. With traces off a `NullRecorder` keeps the rules and drops the steps, so
scoring runs the same code either way. `perfscore._output._assemble` puts events into words.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

from perfscore._methods._base import StepKind

__all__ = ["Event", "FixedArgs", "NullRecorder", "Recorder"]

_NO_ARGS: Mapping[str, object] = MappingProxyType({})


class FixedArgs(dict[str, object]):
    """The arguments of a step made once and shared by every run that records the step (a
    generated plan's constants, `_plancode._arguments`): a dict that refuses every change, so a
    writer may keep the step's words by the identity of its arguments. It equals, and reads
    and prints as, the dict of the same items."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("the fixed arguments of a trace step do not change")

    __setitem__ = __delitem__ = _refuse
    update = pop = popitem = clear = setdefault = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[FixedArgs], tuple[dict[str, object]]]:
        # pickle and copy would set the items one by one, which the class refuses
        return FixedArgs, (dict(self),)


class Event(NamedTuple):
    """One step of a trace; `value` is the running score after it.

    `phrase` keys its words (``band``, ``round``, ``template`` for the rubric's own words);
    `args` are the values, labels and templates the words are made from.
    """

    kind: StepKind
    value: Decimal
    phrase: str
    args: Mapping[str, object]
    amount: Decimal | None = None
    rule: str | None = None


class Recorder:
    """Collects the rules that fired and the trace events of one indicator (or the total).

    `prefix` names the rules of a records group's rule by its kind (``>=:ratio``).
    """

    __slots__ = ("events", "fired", "prefix")
    tracing = True

    def __init__(self, prefix: str = "") -> None:
        self.events: list[Event] = []
        self.fired: list[str] = []
        self.prefix = prefix

    def fire(self, rule: str) -> None:
        """A rule fired."""
        self.fired.append(self.prefix + rule)

    def step(
        self,
        kind: StepKind,
        value: Decimal,
        phrase: str,
        args: Mapping[str, object] | None = None,
        *,
        amount: Decimal | None = None,
        rule: str | None = None,
    ) -> None:
        """Record a trace step."""
        if rule is not None:
            rule = self.prefix + rule
        self.events.append(Event(kind, value, phrase, args or _NO_ARGS, amount, rule))

    def trace(self) -> tuple[Event, ...] | None:
        """The events, or None when traces are off."""
        return tuple(self.events)


class NullRecorder(Recorder):
    """Traces off: rules are kept, steps are not."""

    __slots__ = ()
    tracing = False

    def step(
        self,
        kind: StepKind,
        value: Decimal,
        phrase: str,
        args: Mapping[str, object] | None = None,
        *,
        amount: Decimal | None = None,
        rule: str | None = None,
    ) -> None:
        """Drop the step."""

    def trace(self) -> tuple[Event, ...] | None:
        """None: traces are off."""
        return None
