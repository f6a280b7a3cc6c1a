"""Every scoring method is complete: registered under its model name, with its three steps in
its own module, its section in docs/rubric-format.md, and the words of its trace in every
language. A method added halfway fails here, naming what is missing."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest

from conftest import make_rubric
from perfscore._load._model import METHODS
from perfscore._methods import REGISTRY
from perfscore._methods._base import Node
from perfscore._output import _words

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "perfscore"
DOC = ROOT / "docs" / "rubric-format.md"


def test_the_registry_holds_exactly_the_methods_of_the_rubric_format_in_its_order() -> None:
    assert tuple(REGISTRY) == METHODS


@pytest.mark.parametrize("name", METHODS)
def test_a_method_has_compile_run_and_analyse_in_its_own_module(name: str) -> None:
    method = REGISTRY[name]
    assert method.name == name
    for step in ("compile", "run", "analyse"):
        fn = getattr(method, step)
        assert callable(fn), f"{name} has no {step} step"
        assert fn.__module__ == f"perfscore._methods.{name}", f"{name}.{step} lives elsewhere"


@pytest.mark.parametrize("name", METHODS)
def test_a_method_has_its_section_in_the_rubric_format(name: str) -> None:
    sections = re.findall(r"^### ([a-z_]+)\b", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert name in sections, f"docs/rubric-format.md has no '### {name}' section"


def _phrases(path: Path) -> set[str]:
    """The phrase keys of every trace step a module records (``rec.step(kind, value, key)``);
    a key held in a name (tiers: assessed or default) is each text assigned to that name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assigned: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
            for target, value in zip(
                node.targets[0].elts, getattr(node.value, "elts", ()), strict=False
            ):
                if isinstance(target, ast.Name) and isinstance(value, ast.Constant):
                    assigned.setdefault(target.id, set()).add(str(value.value))
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "step":
            key = node.args[2]
            if isinstance(key, ast.Constant):
                keys.add(str(key.value))
            else:
                assert isinstance(key, ast.Name), ast.dump(key)
                keys |= assigned[key.id]
    return keys


RECORDING = [
    *(SRC / "_methods" / f"{name}.py" for name in METHODS),
    SRC / "_methods" / "_base.py",
    SRC / "_engine" / "_finish.py",
    SRC / "_engine" / "_run.py",
]


@pytest.mark.parametrize("path", RECORDING, ids=[p.stem for p in RECORDING])
def test_every_trace_step_has_its_words_in_every_language(path: Path) -> None:
    keys = _phrases(path) - {"template"}  # the rubric's own words
    assert keys, f"{path.name} records no step the test can see"
    for language, table in _words._PHRASES.items():
        missing = keys - set(table)
        assert not missing, f"{path.name}: no {language} words for {sorted(missing)}"


def test_the_words_of_the_trace_cover_every_language_of_the_phrases() -> None:
    assert set(_words._TRACE_WORDS) == set(_words._PHRASES)
    first, *rest = _words._TRACE_WORDS.values()
    assert all(set(table) == set(first) for table in rest)


def test_the_engine_and_the_methods_write_no_words_and_build_nodes_complete() -> None:
    for room in ("_engine", "_methods"):
        for path in (SRC / room).glob("*.py"):
            text = path.read_text(encoding="utf-8")
            imported = {
                n.module for n in ast.walk(ast.parse(text)) if isinstance(n, ast.ImportFrom)
            }
            assert not {m for m in imported if m and m.startswith("perfscore._output")}, path.name
            assert "object.__setattr__" not in text, f"{path.name} dresses a frozen object"


ALL = """\
perfscore: 1
id: t
version: "1"
title: T
facts:
  x: {type: number, label: X}
  lv: {type: enum, values: [a, b], label: L}
groups:
  - id: g
    name: G
    max: 60
    children:
      - {id: f, name: F, max: 10, formula: x}
      - id: bd
        name: BD
        max: 10
        bands: {measure: x, table: [{range: "[0, inf)", score: 10}], otherwise: 0}
      - {id: pu, name: PU, max: 10, per_unit: {measure: x, points: 1}}
      - {id: ra, name: RA, max: 10, ratio: {actual: x, target: 100}}
      - id: cl
        name: CL
        max: 10
        checklist: {items: [{id: i, when: x > 5, points: 1, reason: r}]}
      - id: ti
        name: TI
        max: 10
        tiers:
          level: lv
          table: [{level: a, range: "[80, 100]", default: 100}, {level: b, range: "[0, 80)",
                  default: 50}]
grades:
  - {grade: A}
"""


def test_every_method_compiles_to_a_frozen_node_of_its_own_module() -> None:
    plan = make_rubric(ALL).plan
    seen = set()
    for leaf in plan.leaves:
        node = leaf.node
        assert isinstance(node, Node)
        assert type(node).__module__ == f"perfscore._methods.{leaf.method}"
        assert dataclasses.is_dataclass(node)
        with pytest.raises(dataclasses.FrozenInstanceError):
            node.rules = ()  # type: ignore[misc]
        assert node.rules, leaf.id
        seen.add(leaf.method)
    assert seen == set(METHODS)
