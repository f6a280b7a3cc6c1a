"""Fixtures shared by the test modules, and the Hypothesis profiles (registered here only).

Test modules ask for these as fixtures; none of them imports this file. (``make_rubric`` stays
importable as a plain function as well, for modules that still do.)
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import perfscore

# perfscore is imported inside the fixtures, so that a library that fails to import (say, after
# a simpleeval upgrade) still lets test_simpleeval_internals.py say why.

DATA = Path(__file__).parent / "data"


def make_rubric(text: str, name: str = "r.yaml") -> perfscore.Rubric:
    """Parse an inline rubric; its problems are located in `name`."""
    import perfscore

    return perfscore.parse_rubric(textwrap.dedent(text), name=name)


@pytest.fixture(name="make_rubric")
def _make_rubric() -> Callable[..., perfscore.Rubric]:
    """`make_rubric(text, name="r.yaml")`: an inline rubric, dedented and parsed."""
    return make_rubric


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """`run(*argv)`: the command in-process; returns (exit code, stdout, stderr)."""

    from perfscore import cli

    def run_(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))  # main returns its code, even for --help and --version
        out, err = capsys.readouterr()
        return code, out, err

    return run_


@pytest.fixture(scope="session")
def demo_rubric() -> str:
    """The text of tests/data/demo.yaml: two indicators (per-unit, checklist) and one check.

    rate 95 scores spend 6 - 5 x 0.1 = 5.5; problems 2 scores comp 4 - 0.5 x 2 = 3.
    """
    return (DATA / "demo.yaml").read_text(encoding="utf-8")


def _register_hypothesis_profiles() -> None:
    """``ci`` (the default), ``long`` and ``fuzz``; here so ``--hypothesis-profile`` works."""
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ci",
        max_examples=100,
        deadline=None,
        # the default run is reproducible: the same code gives the same examples, so only a
        # change can turn it red; `long` and `fuzz` explore new examples on every run
        derandomize=True,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
    settings.register_profile(
        "long", settings.get_profile("ci"), max_examples=2000, derandomize=False
    )
    # tests/test_fuzz.py: 12,000 inputs for each of its nine targets, 108,000 in all
    settings.register_profile(
        "fuzz", settings.get_profile("ci"), max_examples=12_000, derandomize=False
    )


_register_hypothesis_profiles()
