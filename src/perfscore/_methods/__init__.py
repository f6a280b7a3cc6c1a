"""The scoring methods, one module each, keyed by the name of their block in the rubric.

Adding a method is one module here (compile, run, analyse), one entry below, its words in
`perfscore._output._words` and its section in docs/rubric-format.md; tests/test_methods.py names
whatever is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from perfscore._methods import bands, checklist, formula, per_unit, ratio, tiers
from perfscore._methods._base import Method

__all__ = ["REGISTRY", "Method"]

#: Every scoring method by name, in the order of `perfscore._load._model.METHODS`.
REGISTRY: Mapping[str, Method[Any]] = MappingProxyType(
    {
        m.name: m
        for m in (
            formula.METHOD,
            bands.METHOD,
            per_unit.METHOD,
            ratio.METHOD,
            checklist.METHOD,
            tiers.METHOD,
        )
    }
)
