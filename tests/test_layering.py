"""The house's rooms and the direction of their imports, read from the source with ``ast``.

docs/design.md draws the rooms; this test keeps the drawing true. Every import counts: at the
top of a module, inside a function (lazy) and under ``TYPE_CHECKING``. A module may import its
own room and any room below it, never one above; within a room the imports form no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "perfscore"

# Highest first. A room may import the rooms after it; rooms on one line are siblings that do
# not import each other.
ROOMS: tuple[tuple[str, ...], ...] = (
    ("face",),  # perfscore/__init__, cli, pytest_plugin, strategies, _testing
    ("_tools",),
    ("_rubric",),
    ("_output",),
    ("_engine",),
    ("_methods",),
    ("_lang", "_load"),
    ("base",),  # _errors, _messages, _numbers, _values, _version
)
FACE = {
    "perfscore",
    "perfscore.__main__",
    "perfscore.cli",
    "perfscore.dask",
    "perfscore.pytest_plugin",
}
FACE_ROOMS = {"strategies", "_testing"}
BASE = {"_errors", "_messages", "_numbers", "_values", "_version"}

# The one import that points against the drawing: a scorecard renders itself on request
# (Scorecard.explain(), .to_markdown()) through a lazy import of the renderer.
ALLOWED_LAZY = {
    ("perfscore._output._scorecard", "perfscore._output._render"),
    ("perfscore._output._scorecard", "perfscore._output._html"),
    ("perfscore._output._scorecard", "perfscore._output._xlsx"),
    ("perfscore._output._scorecard", "perfscore._output._docx"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def room(module: str) -> str:
    if module in FACE:
        return "face"
    first = module.split(".")[1]
    if first in FACE_ROOMS:
        return "face"
    if first in BASE:
        return "base"
    return first


def rank(name: str) -> int:
    return next(i for i, rooms in enumerate(ROOMS) if name in rooms)


def imports(module: str) -> Iterator[tuple[str, int, bool]]:
    """(imported perfscore module, line, lazy?) for every import in `module`."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    lazy_lines = {
        node.lineno
        for func in ast.walk(tree)
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(func)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            # `from perfscore._load import _model` imports the submodule, not a name
            targets = [
                f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in MODULES else stem
                for alias in node.names
            ]
        else:
            continue
        for name in targets:
            if name == "perfscore" or name.startswith("perfscore."):
                target = name
                while target not in MODULES:  # `import perfscore.x.y` of a name: its module
                    target = target.rpartition(".")[0]
                yield target, node.lineno, node.lineno in lazy_lines


EDGES = {
    (module, target, line, lazy)
    for module in MODULES
    for target, line, lazy in imports(module)
    if target != module
}


def test_the_package_is_found_and_every_module_has_a_room() -> None:
    assert len(MODULES) > 30
    for module in MODULES:
        assert any(room(module) in rooms for rooms in ROOMS), module


def test_no_module_imports_a_room_above_its_own_or_a_sibling() -> None:
    wrong = []
    for module, target, line, _ in sorted(EDGES):
        here, there = room(module), room(target)
        if here in ("face", there) or (module, target) in ALLOWED_LAZY:
            continue
        if rank(there) <= rank(here):
            wrong.append(f"{MODULES[module].name}:{line} {module} -> {target}")
    assert wrong == []


def test_the_allowed_upward_import_is_lazy_and_still_needed() -> None:
    for module, target in ALLOWED_LAZY:
        found = [(line, lazy) for m, t, line, lazy in EDGES if (m, t) == (module, target)]
        assert found, f"{module} no longer imports {target}: drop it from ALLOWED_LAZY"
        assert all(lazy for _, lazy in found), f"{module} imports {target} at the top"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of `graph` as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle_and_passes_a_tree() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, target, _, _ in EDGES:
        if (module, target) not in ALLOWED_LAZY:
            graph[module].add(target)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_only_the_formula_language_imports_simpleeval() -> None:
    users = set()
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] == "simpleeval" for n in names):
                users.add(module)
    assert users == {"perfscore._lang._expr"}
