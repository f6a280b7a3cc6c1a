"""What changes between two versions of a rubric (``perfscore diff``).

`diff_rubrics` compares the rules: indicators, bands row by row, facts and their bounds, grades,
bonus caps and the total policy. `diff_scores` scores a corpus of facts documents under both
versions and reports which scores, grades and ranks move, and which documents fail. The results
are plain data (`_output._diffdata`), written by `_output._render_diff`; both are re-exported
here for the command line.
"""

from __future__ import annotations

import decimal
import os
import re
import statistics
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel

from perfscore._errors import PerfscoreError, bad_argument
from perfscore._load._facts import (
    FactsDocument,
    documents_in,
    listed,
    typed_items,
)
from perfscore._load._model import (
    Bonus,
    FactSpec,
    Group,
    Indicator,
    Interval,
    RecordRule,
    RecordsSpec,
    RubricModel,
    iter_nodes,
)
from perfscore._messages import Message
from perfscore._numbers import CONTEXT, ZERO, format_decimal
from perfscore._output._diffdata import (
    Change,
    Delta,
    Failure,
    GradeChange,
    RankChange,
    RubricDiff,
    ScoreDiff,
)
from perfscore._output._render_diff import render_json, render_markdown, render_text
from perfscore._output._scorecard import Scorecard
from perfscore._output._text import width
from perfscore._rubric import Rubric, as_rubric, load_facts
from perfscore._tools._check import code_of, formula_texts

__all__ = [
    "Change",
    "Delta",
    "Failure",
    "GradeChange",
    "RankChange",
    "RubricDiff",
    "ScoreDiff",
    "diff_rubrics",
    "diff_scores",
    "find_documents",
    "load_corpus",
    "render_json",
    "render_markdown",
    "render_text",
    "rule_text",
]


# --- rendering rules as text -------------------------------------------------------------------


#: how wide a line of a rendered rule may grow before it is folded
_WIDE = 72


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, Interval):
        return f'"{value}"'
    if value is None:
        return "null"
    if isinstance(value, str):
        return value.strip()
    return str(value)


def _flow(model: BaseModel) -> str:
    items = [f"{k}: {_scalar(v)}" for k, v in _fields(model)]
    return "{" + ", ".join(items) + "}"


def _fields(model: BaseModel) -> Iterator[tuple[str, object]]:
    """The fields of a model that differ from their defaults, in declaration order."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None or (not info.is_required() and value == info.default):
            continue
        yield name, value


def _yamlish(key: str, value: object, indent: int = 0) -> list[str]:
    pad = "  " * indent
    if isinstance(value, BaseModel) and not isinstance(value, Interval):
        lines = [f"{pad}{key}:"]
        for k, v in _fields(value):
            lines.extend(_yamlish(k, v, indent + 1))
        return lines
    if isinstance(value, (tuple, list)):
        lines = [f"{pad}{key}:"]
        for item in value:
            text = _flow(item) if isinstance(item, BaseModel) else _scalar(item)
            if isinstance(item, BaseModel) and len(pad) + 4 + width(text) > _WIDE:
                # a long row is written one key a line, so two versions fit side by side
                block = [line for k, v in _fields(item) for line in _yamlish(k, v, indent + 2)]
                lines.append(f"{pad}  - {block[0].lstrip()}")
                lines.extend(block[1:])
                continue
            lines.append(f"{pad}  - {text}")
        return lines
    if isinstance(value, dict):
        lines = [f"{pad}{key}:"]
        for k, v in value.items():
            lines.extend(_yamlish(str(k), v, indent + 1))
        return lines
    text = _scalar(value)
    if width(text) + len(pad) + len(key) + 2 <= _WIDE:
        return [f"{pad}{key}: {text}"]
    # a long formula or text: folded at spaces, continued one level deeper
    words = textwrap.wrap(text, _WIDE - len(pad) - 2, break_long_words=False) or [text]
    return [f"{pad}{key}: >-", *(f"{pad}  {w}" for w in words)]


def rule_text(indicator: Indicator | RecordRule) -> str:
    """An indicator's method block as compact YAML-like text."""
    return "\n".join(_yamlish(indicator.method, getattr(indicator, indicator.method)))


# --- structural diff ---------------------------------------------------------------------------


def _leaves(model: RubricModel) -> dict[str, tuple[Indicator | Bonus, str | None]]:
    out: dict[str, tuple[Indicator | Bonus, str | None]] = {
        n.node.id: (n.node, n.parent.id if n.parent else None)
        for n in iter_nodes(model)
        if isinstance(n.node, Indicator)
    }
    for item in model.bonus:
        out[item.id] = (item, None)
    return out


def _groups(model: RubricModel) -> dict[str, Group]:
    return {n.node.id: n.node for n in iter_nodes(model) if isinstance(n.node, Group)}


def _show(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Interval):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, BaseModel) and not isinstance(value, Interval):
        return _flow(value)
    return _scalar(value)


def _summary(item: Indicator | Bonus) -> str:
    if isinstance(item, Bonus):
        return f"bonus {format_decimal(item.min)}..{format_decimal(item.max)}, formula"
    return f"max {format_decimal(item.max)}, {item.method}"


class _Differ:
    def __init__(self, old: RubricModel, new: RubricModel, new_data: object = None) -> None:
        self.old, self.new = old, new
        #: the new rubric's document data, where the names formulas and ranges read are found
        self.new_data = new_data
        self.changes: list[Change] = []

    def record(
        self,
        area: str,
        id_: str,
        what: str,
        old: object,
        new: object,
        name: str | None = None,
        *,
        raw: bool = False,
    ) -> None:
        """Record a change; values are shown as text (None stays None: absent)."""
        shown = [v if raw or v is None else _show(v) for v in (old, new)]
        before, after = (None if v is None else str(v) for v in shown)
        self.changes.append(Change(area, id_, what, before, after, name))

    def attributes(
        self,
        area: str,
        id_: str,
        old: BaseModel,
        new: BaseModel,
        keys: Sequence[str],
        name: str | None = None,
    ) -> None:
        for key in keys:
            a, b = getattr(old, key, None), getattr(new, key, None)
            if a != b:
                self.record(area, id_, key, a, b, name)

    def run(self) -> tuple[Change, ...]:
        self.header()
        self.constants()
        self.facts()
        self.derived()
        self.groups()
        self.indicators()
        self.total()
        self.grades()
        self.checks()
        return tuple(self.changes)

    def header(self) -> None:
        self.attributes("rubric", "", self.old, self.new, ("rounding", "language"))

    def constants(self) -> None:
        """Constants by id; a changed value names what reads it, since each of those moves."""
        old, new = self.old.constants, self.new.constants
        for name, spec in new.items():
            if name not in old:
                self.record("constant", name, "added", None, spec.value, spec.label)
            elif old[name].value != spec.value:
                readers = _readers(self.new_data, name)
                what = "value" + (f" (read by {', '.join(readers)})" if readers else "")
                self.record("constant", name, what, old[name].value, spec.value, spec.label)
            elif old[name].unit != spec.unit:
                self.record("constant", name, "unit", old[name].unit, spec.unit, spec.label)
        for name, spec in old.items():
            if name not in new:
                self.record("constant", name, "removed", spec.value, None, spec.label)

    def facts(self) -> None:
        old, new = self.old.facts, self.new.facts
        for fact_id, spec in new.items():
            if fact_id not in old:
                self.record("fact", fact_id, "added", None, _fact_summary(spec))
                continue
            before = old[fact_id]
            keys = (
                "type", "label", "unit", "min", "max", "plausible", "values", "required",
                "max_items",
            )  # fmt: skip
            self.attributes("fact", fact_id, before, spec, keys)
            if _default(before) != _default(spec):
                self.record("fact", fact_id, "default", _default(before), _default(spec))
            self.fields(fact_id, before, spec)
        for fact_id, spec in old.items():
            if fact_id not in new:
                self.record("fact", fact_id, "removed", _fact_summary(spec), None)

    def fields(self, fact_id: str, old: FactSpec, new: FactSpec) -> None:
        a, b = old.fields or {}, new.fields or {}
        for name, spec in b.items():
            if name not in a:
                self.record("fact", fact_id, f"field {name!r} added", None, _flow(spec))
            elif a[name] != spec:
                keys = (
                    "type", "label", "unit", "min", "max", "plausible", "values", "required",
                    "default",
                )  # fmt: skip
                for key in keys:
                    x, y = getattr(a[name], key, None), getattr(spec, key, None)
                    if x != y:
                        self.record("fact", fact_id, f"field {name!r} {key}", x, y)
        for name, spec in a.items():
            if name not in b:
                self.record("fact", fact_id, f"field {name!r} removed", _flow(spec), None)

    def derived(self) -> None:
        old, new = self.old.derived, self.new.derived
        for name, spec in new.items():
            if name not in old:
                self.record("derived", name, "added", None, spec.formula)
            else:
                self.attributes("derived", name, old[name], spec, ("formula", "label", "unit"))
        for name, spec in old.items():
            if name not in new:
                self.record("derived", name, "removed", spec.formula, None)

    def groups(self) -> None:
        old, new = _groups(self.old), _groups(self.new)
        for gid, group in new.items():
            if gid not in old:
                self.record(
                    "group", gid, "added", None, f"max {format_decimal(group.max)}", group.name
                )
            else:
                self.attributes("group", gid, old[gid], group, ("name", "max"), group.name)
                a, b = getattr(old[gid], "records", None), getattr(group, "records", None)
                if a is not None and b is not None:
                    self.records(gid, a, b, group.name)
                elif a != b:
                    before = "\n".join(_yamlish("records", a)) if a is not None else "—"
                    after = "\n".join(_yamlish("records", b)) if b is not None else "—"
                    self.record("group", gid, "rule", before, after, group.name, raw=True)
        for gid, group in old.items():
            if gid not in new:
                self.record(
                    "group", gid, "removed", f"max {format_decimal(group.max)}", None, group.name
                )

    def records(self, gid: str, a: RecordsSpec, b: RecordsSpec, name: str) -> None:
        """A records group key by key, each rule on its own: one changed number in one rule is
        one short change, not the whole block."""
        for key in type(a).model_fields:
            if key in ("rules", "checks"):
                continue
            u, v = getattr(a, key), getattr(b, key)
            if u != v:
                self.record("group", gid, f"records.{key}", u, v, name)
        for value in [*b.rules, *(k for k in a.rules if k not in b.rules)]:
            what = f"records.rules[{value}]"
            x, y = a.rules.get(value), b.rules.get(value)
            if x is None:
                assert y is not None
                self.record("group", gid, f"{what} added", None, rule_text(y), name, raw=True)
                continue
            if y is None:
                self.record("group", gid, f"{what} removed", rule_text(x), None, name, raw=True)
                continue
            for key in ("basis", "rounding", "explain"):
                u, v = getattr(x, key), getattr(y, key)
                if u != v:
                    self.record("group", gid, f"{what} {key}", u, v, name)
            if x.method != y.method or getattr(x, x.method) != getattr(y, y.method):
                self.record(
                    "group", gid, f"{what} rule", rule_text(x), rule_text(y), name, raw=True
                )
        old_checks = {c.id: c for c in a.checks}
        new_checks = {c.id: c for c in b.checks}
        for cid, check in new_checks.items():
            was = old_checks.get(cid)
            if was is None:
                self.record("group", gid, f"records.checks[{cid}] added", None, check.when, name)
            elif was != check:
                for key in type(check).model_fields:
                    u, v = getattr(was, key), getattr(check, key)
                    if u != v:
                        self.record("group", gid, f"records.checks[{cid}] {key}", u, v, name)
        for cid, check in old_checks.items():
            if cid not in new_checks:
                self.record("group", gid, f"records.checks[{cid}] removed", check.when, None, name)

    def indicators(self) -> None:
        old, new = _leaves(self.old), _leaves(self.new)
        for iid, (item, parent) in new.items():
            if iid not in old:
                self.record("indicator", iid, "added", None, _summary(item), item.name)
                continue
            before, before_parent = old[iid]
            name = item.name
            if before.name != item.name:
                self.record("indicator", iid, "name", before.name, item.name, name)
            if before_parent != parent:
                self.record("indicator", iid, "group", before_parent, parent, name)
            keys = ["max", "min", "not_applicable", "rounding"]
            for key in keys:
                a, b = getattr(before, key, None), getattr(item, key, None)
                if a != b:
                    self.record("indicator", iid, key, a, b, name)
            self.method(iid, before, item, name)
        for iid, (item, _) in old.items():
            if iid not in new:
                self.record("indicator", iid, "removed", _summary(item), None, item.name)

    def method(self, iid: str, old: Indicator | Bonus, new: Indicator | Bonus, name: str) -> None:
        if isinstance(old, Bonus) or isinstance(new, Bonus):
            if isinstance(old, Bonus) and isinstance(new, Bonus) and old.formula != new.formula:
                self.record("indicator", iid, "formula", old.formula, new.formula, name)
            elif isinstance(old, Bonus) != isinstance(new, Bonus):
                self.record("indicator", iid, "kind", _summary(old), _summary(new), name)
            return
        if old.method != new.method:
            what = f"method {old.method} -> {new.method}"
            self.record("indicator", iid, what, rule_text(old), rule_text(new), name, raw=True)
            return
        a, b = getattr(old, old.method), getattr(new, new.method)
        if a == b:
            return
        if old.bands is not None and new.bands is not None:
            self.bands(iid, old, new, name)
        else:
            self.record("indicator", iid, "rule", rule_text(old), rule_text(new), name, raw=True)

    def bands(self, iid: str, old: Indicator, new: Indicator, name: str) -> None:
        a, b = old.bands, new.bands
        assert a is not None
        assert b is not None
        if a.measure.strip() != b.measure.strip():
            self.record("indicator", iid, "measure", a.measure, b.measure, name)
        for i in range(max(len(a.table), len(b.table))):
            if i >= len(a.table):
                self.record("indicator", iid, f"band[{i}] added", None, _flow(b.table[i]), name)
            elif i >= len(b.table):
                self.record("indicator", iid, f"band[{i}] removed", _flow(a.table[i]), None, name)
            else:
                x, y = a.table[i], b.table[i]
                for key in ("range", "score", "label"):
                    u, v = getattr(x, key), getattr(y, key)
                    if (u.strip() if isinstance(u, str) else u) != (
                        v.strip() if isinstance(v, str) else v
                    ):
                        self.record("indicator", iid, f"band[{i}] {key}", u, v, name)
        if a.otherwise != b.otherwise:
            self.record("indicator", iid, "otherwise", a.otherwise, b.otherwise, name)

    def total(self) -> None:
        a, b = self.old.total, self.new.total
        if a == b:
            return
        if a is None or b is None:
            self.record("total", "", "policy", a, b)
            return
        self.attributes("total", "", a, b, ("cap", "floor"))

    def grades(self) -> None:
        a = {g.grade: g.min for g in self.old.grades}
        b = {g.grade: g.min for g in self.new.grades}
        for grade, low in b.items():
            if grade not in a:
                self.record("grade", grade, "added", None, _grade(low))
            elif a[grade] != low:
                self.record("grade", grade, "min", _grade(a[grade]), _grade(low))
        for grade, low in a.items():
            if grade not in b:
                self.record("grade", grade, "removed", _grade(low), None)
        if [g for g in a if g in b] != [g for g in b if g in a]:
            self.record("grade", "", "order", list(a), list(b))

    def checks(self) -> None:
        a = {c.id: c for c in self.old.checks}
        b = {c.id: c for c in self.new.checks}
        for cid, check in b.items():
            if cid not in a:
                self.record("check", cid, "added", None, check.when)
            else:
                self.attributes("check", cid, a[cid], check, _CHECK_RULES)
        for cid, check in a.items():
            if cid not in b:
                self.record("check", cid, "removed", check.when, None)


#: what of a check is a rule: what it tests, says, how serious it is, what it runs over and
#: reads (its description is prose, like an indicator's)
_CHECK_RULES = ("when", "message", "severity", "for_each", "reads")


def _readers(data: object, name: str) -> list[str]:
    """What reads constant `name` in a rubric's data: ``indicator 'x'``, ``check 'y'``, ..."""
    out: list[str] = []
    for path, _, text in formula_texts(data, ()):
        if name not in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", code_of(text)):
            continue
        node, owner = data, path[0]
        for step in path[:-1]:
            node = node[step]  # type: ignore[index]
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                owner = node["id"]
        kind = {"checks": "check", "derived": "derived value", "facts": "fact"}.get(
            str(path[0]), "indicator"
        )
        if path[0] == "derived":
            owner = str(path[1])
        label = f"{kind} {owner!r}"
        if label not in out:
            out.append(label)
    return out


def _grade(low: Decimal | None) -> str:
    return "every lower total" if low is None else f">= {format_decimal(low)}"


def _default(spec: FactSpec) -> object:
    return spec.default if "default" in spec.model_fields_set else None


def _fact_summary(spec: FactSpec) -> str:
    parts: list[str] = [spec.type]
    if spec.min is not None or spec.max is not None:
        low = "-inf" if spec.min is None else format_decimal(spec.min)
        high = "inf" if spec.max is None else format_decimal(spec.max)
        parts.append(f"[{low}, {high}]")
    return f"{spec.label} ({', '.join(parts)})"


def diff_rubrics(
    old: Rubric | str | os.PathLike[str], new: Rubric | str | os.PathLike[str]
) -> RubricDiff:
    """Compare the rules of two rubric versions.

    Args:
        old: the version in force (a `Rubric`, or a rubric file's path or bundled
            ``id@version``, loaded with `load_rubric`).
        new: the proposed version (the same).

    Returns:
        Every change, grouped: rubric settings, facts, derived values, groups, indicators
        (bands row by row, other methods as whole rules), total policy, grades, checks.
    """
    old = as_rubric("diff_rubrics", "old", old)
    new = as_rubric("diff_rubrics", "new", new)
    return RubricDiff(old.ref, new.ref, _Differ(old.model, new.model, new.document.data).run())


# --- score diff --------------------------------------------------------------------------------


def find_documents(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Facts documents among `paths`: files as given, folders searched as `perfscore score`
    searches them (`documents_in` with the batch's suffixes: YAML, JSON, JSON Lines and
    spreadsheets; hidden entries and case files skipped)."""
    from perfscore._tools._batch import DOCUMENT_SUFFIXES

    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found.extend(documents_in(path, DOCUMENT_SUFFIXES) if path.is_dir() else [path])
    return found


def load_corpus(
    paths: Iterable[str | os.PathLike[str]], *, encoding: str | None = None
) -> tuple[list[FactsDocument], list[Failure]]:
    """Load every facts document found under `paths`; a file that cannot be read is a Failure.

    Raises:
        UsageError: `paths` is a single path, not a list of them (``bad-argument``).
    """
    items = Message("usage-items-paths")
    paths = typed_items("load_corpus", "paths", paths, items, (str, os.PathLike))
    if encoding is not None and not isinstance(encoding, str):
        raise bad_argument("load_corpus", "encoding", Message("usage-expected-encoding"), encoding)
    from perfscore._tools._batch import file_sources, read_source

    documents, failures = [], []
    for path in find_documents(paths):
        if path.suffix.lower() != ".jsonl":
            try:
                documents.append(load_facts(path, encoding=encoding))
            except PerfscoreError as exc:
                failures.append(Failure(str(path), "both", exc.code, exc.problems[0].message))
            continue
        for source in file_sources(str(path), path.stem):  # a document a line, as score reads it
            try:
                documents.append(read_source(source, encoding, None))
            except PerfscoreError as exc:
                failures.append(Failure(source.name, "both", exc.code, exc.problems[0].message))
    return documents, failures


def _documents_argument(
    documents: Iterable[FactsDocument | str | os.PathLike[str]],
) -> tuple[list[FactsDocument], list[Failure]]:
    """`diff_scores`'s documents: a list, each a `FactsDocument` or a path read now (a file
    that cannot be read is a failure, as in `load_corpus`)."""
    found: list[FactsDocument] = []
    failures: list[Failure] = []
    items = Message("usage-items-facts-documents")
    for item in listed("diff_scores", "documents", documents, items):
        if isinstance(item, FactsDocument):
            found.append(item)
        elif isinstance(item, (str, os.PathLike)):
            try:
                found.append(load_facts(item))
            except PerfscoreError as exc:
                failures.append(Failure(str(item), "both", exc.code, exc.problems[0].message))
        else:
            raise bad_argument(
                "diff_scores", "documents", Message("usage-expected-list", items=items), item
            )
    return found, failures


def _score(rubric: Rubric, document: FactsDocument) -> Scorecard | PerfscoreError:
    neutral = replace(document, rubric_id=None, rubric_version=None, claims=None)
    try:
        return rubric.evaluate(neutral, trace=False)
    except PerfscoreError as exc:
        return exc


def _delta(
    id_: str, name: str | None, pairs: Sequence[tuple[Decimal, Decimal]], status: str = "both"
) -> Delta:
    with decimal.localcontext(CONTEXT):
        changes = sorted(new - old for old, new in pairs if new != old)
        median = statistics.median(changes) if changes else None
    return Delta(
        id_,
        name,
        len(pairs),
        len(changes),
        changes[0] if changes else None,
        median,
        changes[-1] if changes else None,
        status,
    )


def _total(card: Scorecard) -> Decimal:
    """The total of a scorecard without ranges (the only ones compared)."""
    assert card.total is not None
    return card.total


def _grade_of(card: Scorecard) -> str:
    assert card.grade is not None
    return card.grade


def _ranks(totals: Mapping[str, Decimal]) -> dict[str, int]:
    return {k: 1 + sum(1 for t in totals.values() if t > v) for k, v in totals.items()}


def diff_scores(
    old: Rubric | str | os.PathLike[str],
    new: Rubric | str | os.PathLike[str],
    documents: Iterable[FactsDocument | str | os.PathLike[str]],
) -> ScoreDiff:
    """Score every document under both versions and summarise what moves.

    A document's own ``rubric: id@version`` and its claims are ignored, so documents written
    for the old version are scored by the new one too.

    Args:
        old: the version in force (a `Rubric`, or a rubric file's path or bundled
            ``id@version``, loaded with `load_rubric`).
        new: the proposed version (the same).
        documents: a list of facts documents, e.g. from `load_corpus`; a path in it is read
            with `load_facts`, and a file that cannot be read is one of the failures, as
            `load_corpus` reports it.

    Returns:
        Per-indicator and total changes, grade changes, rank changes and failures.

    Raises:
        UsageError: an argument of the wrong kind (``bad-argument``).
    """
    old = as_rubric("diff_scores", "old", old)
    new = as_rubric("diff_scores", "new", new)
    documents, failures = _documents_argument(documents)
    pairs: list[tuple[str, FactsDocument, Scorecard, Scorecard]] = []
    for i, document in enumerate(documents):
        label = document.document.name if document.document else f"document {i + 1}"
        if document.rubric_id is not None and document.rubric_id not in (old.id, new.id):
            # a document written for another rubric altogether says nothing about this change
            message = Message(
                "diff-written-for", rubric=f"{document.rubric_id}@{document.rubric_version}"
            )
            failures.append(Failure(label, "neither", "rubric-mismatch", message))
            continue
        a, b = _score(old, document), _score(new, document)
        if isinstance(a, Scorecard) and isinstance(b, Scorecard):
            pairs.append((label, document, a, b))
            continue
        if isinstance(a, PerfscoreError) and isinstance(b, PerfscoreError) and a.code == b.code:
            failures.append(Failure(label, "both", a.code, a.problems[0].message))
            continue
        for version, result in (("old", a), ("new", b)):
            if isinstance(result, PerfscoreError):
                failures.append(Failure(label, version, result.code, result.problems[0].message))
    # declared indicators, then the indicators records groups take from the documents, each
    # compared over the documents that have it under both versions
    order: dict[str, str | None] = {}
    names = {iid: item.name for iid, (item, _) in _leaves(new.model).items()}
    shared_declared = set(new.indicator_ids)
    for iid in old.indicator_ids:
        if iid in shared_declared:
            order[iid] = names.get(iid)
    for _, _, a, b in pairs:
        in_b = {i.id: i for i in b.indicators}
        for item in a.indicators:
            if item.id not in order and item.id in in_b:
                order[item.id] = in_b[item.id].name
    # a score that is a range (the document has unknown values) is no score to compare: only
    # exact scores, totals and grades are
    scores = [
        (
            {i.id: i.score for i in a.indicators if i.score is not None},
            {i.id: i.score for i in b.indicators if i.score is not None},
        )
        for _, _, a, b in pairs
    ]
    exact = [p for p in pairs if p[2].total is not None and p[3].total is not None]
    deltas = tuple(
        _delta(iid, name, [(x[iid], y[iid]) for x, y in scores if iid in x and iid in y])
        for iid, name in order.items()
    )
    # a declared indicator of one version only: what it adds to the totals, or takes away
    old_names = {iid: item.name for iid, (item, _) in _leaves(old.model).items()}
    added = tuple(
        _delta(iid, names.get(iid), [(ZERO, y[iid]) for _, y in scores if iid in y], "added")
        for iid in new.indicator_ids
        if iid not in old.indicator_ids
    )
    removed = tuple(
        _delta(iid, old_names.get(iid), [(x[iid], ZERO) for x, _ in scores if iid in x], "removed")
        for iid in old.indicator_ids
        if iid not in shared_declared
    )
    deltas += added + removed
    total = _delta("total", None, [(_total(a), _total(b)) for _, _, a, b in exact])
    grades = tuple(
        GradeChange(label, doc.subject, _grade_of(a), _grade_of(b), _total(a), _total(b))
        for label, doc, a, b in exact
        if a.grade != b.grade and a.grade is not None and b.grade is not None
    )
    old_ranks = _ranks({label: _total(a) for label, _, a, _ in exact})
    new_ranks = _ranks({label: _total(b) for label, _, _, b in exact})
    ranks = sorted(
        (
            RankChange(label, doc.subject, old_ranks[label], new_ranks[label], _total(a), _total(b))
            for label, doc, a, b in exact
            if old_ranks[label] != new_ranks[label]
        ),
        key=lambda r: (r.new, r.document),
    )
    return ScoreDiff(
        len(documents),
        len(pairs),
        deltas,
        total,
        grades,
        tuple(ranks),
        tuple(failures),
        ranged=len(pairs) - len(exact),
    )
