"""Helpers shared by the engine's test modules."""

from __future__ import annotations

import textwrap

import perfscore


def make_rubric(text: str, name: str = "r.yaml") -> perfscore.Rubric:
    """Parse an inline rubric; its problems are located in `name`."""
    return perfscore.parse_rubric(textwrap.dedent(text), name=name)
