"""perfscore.strategies: a facade over perfscore._testing that keeps in step with the format."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from perfscore import strategies


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
