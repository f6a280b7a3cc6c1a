"""perfscore.strategies: a facade over perfscore._testing that keeps in step with the format."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import get_args

import pytest

from perfscore import strategies
from perfscore._load._model import METHODS, FactType
from perfscore._testing._facts import VALUES
from perfscore._testing._invalid import WRONG
from perfscore._testing._rubrics import METHOD_GENERATORS


def _testing_modules() -> list[ModuleType]:
    package = Path(strategies.__file__).parent.parent / "_testing"
    names = sorted(p.stem for p in package.glob("_*.py") if p.stem != "__init__")
    return [importlib.import_module(f"perfscore._testing.{n}") for n in names]


def test_the_facade_only_re_exports_the_testing_package() -> None:
    modules = _testing_modules()
    assert len(modules) >= 4
    for name in strategies.__all__:
        value = getattr(strategies, name)
        homes = [m.__name__ for m in modules if getattr(m, name, None) is value]
        assert homes, f"{name} is not defined in perfscore._testing"
    public = {n for n in vars(strategies) if n[0] not in "_@"}  # @: pytest's rewriting
    assert public == set(strategies.__all__)


def test_public_strategies_report_the_facade_as_their_module() -> None:
    names = [n for n in strategies.__all__ if callable(getattr(strategies, n))]
    assert len(names) == len(strategies.__all__) - 1  # all but DEFAULT_SPAN, a number
    for name in names:
        assert getattr(strategies, name).__module__ == "perfscore.strategies", name


def _differences(table: Iterable[str], declared: Iterable[str]) -> tuple[list[str], list[str]]:
    """(declared but missing from the table, in the table but not declared)."""
    keys, names = set(table), set(declared)
    return sorted(names - keys), sorted(keys - names)


def test_every_scoring_method_has_a_generator_and_every_generator_a_method() -> None:
    missing, unknown = _differences(METHOD_GENERATORS, METHODS)
    assert not missing, f"rubric_documents cannot draw the scoring methods {missing}"
    assert not unknown, f"rubric_documents draws methods the format lacks: {unknown}"


@pytest.mark.parametrize(("table", "what"), [(VALUES, "valid values"), (WRONG, "wrong values")])
def test_every_fact_type_has_values_and_every_entry_a_type(
    table: Mapping[str, object], what: str
) -> None:
    missing, unknown = _differences(table, get_args(FactType))
    assert not missing, f"no {what} for the fact types {missing}"
    assert not unknown, f"{what} for types the format lacks: {unknown}"


def test_the_parity_check_names_what_is_missing_or_extra() -> None:
    missing, unknown = _differences(METHOD_GENERATORS, (*METHODS, "matrix"))
    assert (missing, unknown) == (["matrix"], [])
    missing, unknown = _differences(METHOD_GENERATORS, METHODS[1:])
    assert (missing, unknown) == ([], ["formula"])
