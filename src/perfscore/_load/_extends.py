"""Rubric inheritance: a rubric that ``extends`` another is merged into one effective document.

The merge happens on plain data, before validation, so the result is checked like any rubric.
Every value of the merged document keeps the location it came from (the child's file or one of
its ancestors'), so errors still point at the line that caused them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from perfscore._errors import ErrorCode, Location, Problem, RubricError, suggest
from perfscore._load._document import Document
from perfscore._load._model import METHODS
from perfscore._messages import Message

__all__ = ["MAX_CHAIN", "MergedDocument", "merge"]

#: How many rubrics an extends chain may have; deeper chains are almost surely a cycle of copies.
MAX_CHAIN = 8

Path = tuple[str | int, ...]
_MERGED_BY_ID = ("constants", "templates", "facts", "derived")
_LISTS_BY_ID = ("checks", "bonus")


@dataclass(frozen=True, eq=False)
class MergedDocument(Document):
    """A merged rubric document: `locate` answers from the document each value came from."""

    origins: dict[Path, tuple[Document, Path]] = field(default_factory=dict)
    chain: tuple[str, ...] = ()
    #: overrides that replaced a method block by one of the same method without some of its
    #: keys: (indicator id, method, the keys dropped, where the override stands)
    dropped: tuple[tuple[str, str, tuple[str, ...], Location], ...] = ()

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> Location:
        """The location in whichever file defined the value at `path`."""
        for cut in range(len(path), -1, -1):
            origin = self.origins.get(path[:cut])
            if origin is not None:
                document, base = origin
                return document.locate((*base, *path[cut:]), key=key)
        return Location(self.name)


def merge(child: Document, load_base: Callable[[str, Document], Document]) -> MergedDocument:
    """Merge `child` (which has an ``extends`` key) over its base chain."""
    return _merge(child, load_base, ())


def _merge(
    child: Document, load_base: Callable[[str, Document], Document], seen: tuple[str, ...]
) -> MergedDocument:
    data = child.data
    assert isinstance(data, dict)
    ref = data.get("extends")
    if not isinstance(ref, str):
        raise RubricError(
            Problem(
                "invalid-type",
                Message("extends-not-a-reference"),
                child.locate(("extends",)),
            )
        )
    if len(seen) >= MAX_CHAIN or child.name in seen:
        raise RubricError(
            Problem(
                "cycle",
                Message("extends-cycle", limit=MAX_CHAIN, chain=" -> ".join([*seen, child.name])),
                child.locate(("extends",)),
            )
        )
    base_doc = load_base(ref, child)
    if not isinstance(base_doc.data, dict):
        raise RubricError(
            Problem("invalid-type", Message("extends-base-not-mapping"), base_doc.locate(()))
        )
    if "extends" in base_doc.data:
        base: Document = _merge(base_doc, load_base, (*seen, child.name))
    else:
        base = base_doc
    merger = _Merger(base, child)
    merged = merger.run()
    chain = (*(base.chain if isinstance(base, MergedDocument) else ()), _ref(base.data, ref))
    dropped = (*(base.dropped if isinstance(base, MergedDocument) else ()), *merger.dropped)
    return MergedDocument(
        child.name, merged, origins=merger.origins, chain=chain, dropped=tuple(dropped)
    )


def _ref(data: object, fallback: str) -> str:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return f"{data['id']}@{data.get('version')}"
    return fallback


class _Merger:
    def __init__(self, base: Document, child: Document) -> None:
        self.base = base
        self.child = child
        self.origins: dict[Path, tuple[Document, Path]] = {(): (base, ())}
        self.problems: list[Problem] = []
        self.dropped: list[tuple[str, str, tuple[str, ...], Location]] = []

    def run(self) -> dict[str, Any]:
        base_data = self.base.data
        child = self.child.data
        assert isinstance(base_data, dict)
        assert isinstance(child, dict)
        if isinstance(self.base, MergedDocument):
            self.origins = dict(self.base.origins)
        merged: dict[str, Any] = copy.deepcopy(base_data)
        for key, value in child.items():
            if key in ("extends", "override", "patch", "add", "remove"):
                continue
            if (
                key in _MERGED_BY_ID
                and isinstance(value, dict)
                and isinstance(merged.get(key), dict)
            ):
                for item_id, spec in value.items():
                    merged[key][item_id] = copy.deepcopy(spec)
                    self.origins[(key, item_id)] = (self.child, (key, item_id))
            elif (
                key in _LISTS_BY_ID
                and isinstance(value, list)
                and isinstance(merged.get(key), list)
            ):
                self._merge_list(merged, key, value)
            else:
                merged[key] = copy.deepcopy(value)
                self.origins[(key,)] = (self.child, (key,))
        self._remove(merged, child.get("remove"))
        self._override(merged, child.get("override"))
        self._override(merged, child.get("patch"), patch=True)
        self._add(merged, child.get("add"))
        if self.problems:
            raise RubricError(
                self.problems,
                summary=Message("extends-problems", name=self.child.name, count=len(self.problems)),
            )
        return merged

    def _problem(
        self,
        code: ErrorCode,
        message: str,
        path: Path,
        *,
        key: bool = False,
        hint: str | None = None,
    ) -> None:
        """Record a problem located in the child rubric (at the key itself when `key`)."""
        self.problems.append(Problem(code, message, self.child.locate(path, key=key), hint=hint))

    def _merge_list(self, merged: dict[str, Any], key: str, items: list[Any]) -> None:
        ids = [x.get("id") if isinstance(x, dict) else None for x in merged[key]]
        for i, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if item_id in ids and item_id is not None:
                at = ids.index(item_id)
                merged[key][at] = copy.deepcopy(item)
            else:
                merged[key].append(copy.deepcopy(item))
                at = len(merged[key]) - 1
                ids.append(item_id)
            self._retarget((key, at), (key, i))

    def _retarget(self, merged_path: Path, child_path: Path) -> None:
        for path in [p for p in self.origins if p[: len(merged_path)] == merged_path]:
            del self.origins[path]
        self.origins[merged_path] = (self.child, child_path)

    def _nodes(self, merged: dict[str, Any]) -> dict[str, Path]:
        """Paths of every group and indicator by id in the merged tree."""
        found: dict[str, Path] = {}

        def walk(items: Any, path: Path) -> None:
            if not isinstance(items, list):
                return
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    found[item["id"]] = (*path, i)
                    walk(item.get("children"), (*path, i, "children"))

        walk(merged.get("groups"), ("groups",))
        return found

    def _given(self, value: Any, kind: type, key: str, message: str) -> bool:
        """True when the child gives `key` as a `kind`; a problem when it gives something else."""
        if value is None:
            return False
        if not isinstance(value, kind):
            self._problem("invalid-type", message, (key,))
            return False
        return True

    def _remove(self, merged: dict[str, Any], ids: Any) -> None:
        if not self._given(ids, list, "remove", Message("extends-remove-not-list")):
            return
        for i, item in enumerate(ids):
            nodes = self._nodes(merged)
            if item in nodes:
                path = nodes[item]
                parent = _get(merged, path[:-1])
                self._shift(path, len(parent))
                parent.pop(path[-1])
                continue
            removed = False
            for key in _MERGED_BY_ID:
                if isinstance(merged.get(key), dict) and item in merged[key]:
                    del merged[key][item]
                    removed = True
            for key in _LISTS_BY_ID:
                entries = merged.get(key)
                if isinstance(entries, list):
                    for j, entry in enumerate(entries):
                        if isinstance(entry, dict) and entry.get("id") == item:
                            self._shift((key, j), len(entries))
                            entries.pop(j)
                            removed = True
                            break
            if not removed:
                known = [*nodes, *merged.get("facts", {}), *merged.get("derived", {})]
                self._problem(
                    "unknown-name",
                    Message("extends-remove-unknown", name=item),
                    ("remove", i),
                    hint=suggest(str(item), known),
                )

    def _resolve(self, path: Path) -> tuple[Document, Path]:
        for cut in range(len(path), -1, -1):
            origin = self.origins.get(path[:cut])
            if origin is not None:
                return origin[0], (*origin[1], *path[cut:])
        return self.base, path

    def _pin(self, parent: Path, count: int) -> None:
        """Give every element of the list at `parent` an explicit origin before it moves."""
        for i in range(count):
            key: Path = (*parent, i)
            if key not in self.origins:
                self.origins[key] = self._resolve(key)

    def _shift(self, removed: Path, count: int) -> None:
        """Re-key origins after a list element was removed at `removed`."""
        parent, index = removed[:-1], removed[-1]
        assert isinstance(index, int)
        self._reindex(
            parent, count, lambda at: None if at == index else (at - 1 if at > index else at)
        )

    def _reindex(self, parent: Path, count: int, move: Callable[[int], int | None]) -> None:
        """Re-key the origins of the list at `parent` (of `count` elements) after an element
        was removed or inserted: `move` maps an old index to the new one (None: gone)."""
        self._pin(parent, count)
        updated: dict[Path, tuple[Document, Path]] = {}
        for path, origin in self.origins.items():
            moved: Path | None = path
            if path[: len(parent)] == parent and len(path) > len(parent):
                at = path[len(parent)]
                if isinstance(at, int):
                    new = move(at)
                    moved = None if new is None else (*parent, new, *path[len(parent) + 1 :])
            if moved is not None:
                updated[moved] = origin
        self.origins = updated

    def _override(self, merged: dict[str, Any], overrides: Any, *, patch: bool = False) -> None:
        """``override`` replaces each key it gives (a method block whole, the old method's
        other keys dropped); ``patch`` merges mappings key by key into the base's, replacing
        only the scalars and lists it gives."""
        section = "patch" if patch else "override"
        if not self._given(
            overrides, dict, section, Message("extends-section-not-mapping", section=section)
        ):
            return
        for item_id, changes in overrides.items():
            nodes = self._nodes(merged)
            if item_id not in nodes:
                self._problem(
                    "unknown-name",
                    Message("extends-section-unknown", section=section, name=item_id),
                    (section, item_id),
                    key=True,
                    hint=suggest(item_id, list(nodes)),
                )
                continue
            if not isinstance(changes, dict):
                self._problem(
                    "invalid-type",
                    Message("extends-change-not-mapping", section=section),
                    (section, item_id),
                )
                continue
            path = nodes[item_id]
            node = _get(merged, path)
            if patch:
                for key, value in changes.items():
                    node[key] = _deep_merge(node.get(key), value)
                    self._retarget((*path, key), (section, item_id, key))
                continue
            if any(m in changes for m in METHODS):
                for m in METHODS:
                    old = node.pop(m, None)
                    new = changes.get(m)
                    if isinstance(old, dict) and isinstance(new, dict):
                        lost = tuple(k for k in old if k not in new)
                        if lost:
                            where = self.child.locate((section, item_id, m), key=True)
                            self.dropped.append((item_id, m, lost, where))
            for key, value in changes.items():
                node[key] = copy.deepcopy(value)
                self._retarget((*path, key), (section, item_id, key))

    def _add(self, merged: dict[str, Any], additions: Any) -> None:
        if not self._given(additions, list, "add", Message("extends-add-not-list")):
            return
        for i, entry in enumerate(additions):
            where = ("add", i)
            if not isinstance(entry, dict) or not isinstance(entry.get("item"), dict):
                self._problem(
                    "missing-key",
                    Message("extends-add-no-item"),
                    where,
                )
                continue
            nodes = self._nodes(merged)
            parent = entry.get("parent")
            if parent is None:  # a new top-level group
                self._add_at(merged, ("groups",), merged.setdefault("groups", []), entry, where)
                continue
            if parent not in nodes:
                self._problem(
                    "unknown-name",
                    Message("extends-add-no-group", name=parent),
                    (*where, "parent"),
                    hint=suggest(
                        str(parent),
                        list(nodes),
                    ),
                )
                continue
            children = _get(merged, (*nodes[parent], "children"))
            if not isinstance(children, list):
                self._problem(
                    "invalid-value",
                    Message("extends-add-not-group", name=parent),
                    (*where, "parent"),
                )
                continue
            self._add_at(merged, (*nodes[parent], "children"), children, entry, where, parent)

    def _add_at(
        self,
        merged: dict[str, Any],
        at: Path,
        children: list[Any],
        entry: dict[str, Any],
        where: Path,
        parent: str | None = None,
    ) -> None:
        """Insert an addition into `children` (the list at `at`): at the end, or just
        `after` or `before` a sibling."""
        index = len(children)
        after, before = entry.get("after"), entry.get("before")
        owner = (
            Message("extends-add-child-of", name=parent)
            if parent
            else Message("extends-add-top-level")
        )
        if after is not None and before is not None:
            self._problem(
                "invalid-value", Message("extends-add-after-and-before"), (*where, "before")
            )
            return
        for key, sibling, shift in (("after", after, 1), ("before", before, 0)):
            if sibling is None:
                continue
            ids = [c.get("id") if isinstance(c, dict) else None for c in children]
            if sibling not in ids:
                self._problem(
                    "unknown-name",
                    Message("extends-add-not-sibling", name=sibling, owner=owner),
                    (*where, key),
                    hint=suggest(str(sibling), [str(x) for x in ids]),
                )
                return
            index = ids.index(sibling) + shift
        self._insert_shift(at, index, len(children))
        children.insert(index, copy.deepcopy(entry["item"]))
        added: Path = (*at, index)
        self.origins[added] = (self.child, (*where, "item"))

    def _insert_shift(self, parent: Path, index: int, count: int) -> None:
        """Re-key origins before an element is inserted at `index` of the list at `parent`."""
        self._reindex(parent, count, lambda at: at + 1 if at >= index else at)


def _deep_merge(base: Any, change: Any) -> Any:
    """`change` merged into `base`: mappings key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(change, dict):
        out = dict(base)
        for key, value in change.items():
            out[key] = _deep_merge(base.get(key), value)
        return out
    return copy.deepcopy(change)


def _get(data: Any, path: Path) -> Any:
    for step in path:
        data = data[step]
    return data
