"""Helpers shared by the engine's test modules."""

from __future__ import annotations

import textwrap

import perfscore


def make_rubric(text: str, name: str = "r.yaml") -> perfscore.Rubric:
    """Parse an inline rubric; its problems are located in `name`."""
    return perfscore.parse_rubric(textwrap.dedent(text), name=name)


def _register_hypothesis_profiles() -> None:
    """``ci`` (the default) and ``long``; here so ``pytest --hypothesis-profile long`` works."""
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ci",
        max_examples=100,
        deadline=None,
        derandomize=False,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
    settings.register_profile("long", settings.get_profile("ci"), max_examples=2000)


_register_hypothesis_profiles()
