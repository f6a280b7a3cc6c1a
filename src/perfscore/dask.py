"""Score a partitioned corpus on a Dask cluster (the ``dask`` extra, ``perfscore[dask]``).

Two entry points, both lazy (they return a `dask.bag.Bag`; nothing runs until it is computed)::

    import perfscore, perfscore.dask
    from dask.distributed import Client

    client = Client("tcp://scheduler:8786")            # or LocalCluster() on one machine
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    results = perfscore.dask.score_jsonl(rubric, "corpus/*.jsonl").compute()

`score_bag` scores a bag whose items are what `Rubric.evaluate_many` takes (facts documents,
mappings of facts, paths of facts files the workers can read); `score_jsonl` reads JSON Lines
files, one facts document per line and one partition per file, on the workers. Each result is
the document's `Scorecard` or that document's `PerfscoreError`, in the bag's order; one bad
document never fails a task. The rubric enters the task graph once, as one key, so each worker
receives it once (and compiles it once, when it arrives) however many partitions it scores.
See docs/api.md, "Scoring on a Dask cluster".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import dask.bag
import fsspec
from dask.delayed import delayed
from fsspec.implementations.local import LocalFileSystem

from perfscore._errors import (
    Location,
    PerfscoreError,
    Problem,
    UsageError,
    bad_argument,
    short_repr,
)
from perfscore._load._document import Document, parse_document
from perfscore._load._facts import (
    FactsDocument,
    read_facts_document,
    typed_items,
)
from perfscore._messages import Message
from perfscore._output._scorecard import Scorecard
from perfscore._rubric import BatchItem, Rubric, _check_flag, _score_item, as_rubric

__all__ = ["facts_from_line", "read_jsonl", "score_bag", "score_jsonl"]

Result = Scorecard | PerfscoreError


def score_bag(rubric: Rubric | str, bag: dask.bag.Bag, *, trace: bool = False) -> dask.bag.Bag:
    """A bag of results, one per item of `bag` in its order: the `Scorecard` or the error.

    Args:
        rubric: the rubric to score with (a `Rubric`, a rubric file's path or a bundled
            ``id@version``); it is one key of the graph, sent once per worker.
        bag: facts documents, mappings of fact ids to values, or paths of facts files readable
            where the workers run (read with `load_facts`, errors located to the file).
        trace: build per-indicator traces (off by default, as in `Rubric.evaluate_many`).

    An item that is not a document is its `UsageError`, naming its position in its partition.
    """
    rubric = as_rubric("perfscore.dask.score_bag", "rubric", rubric)
    if not isinstance(bag, dask.bag.Bag):
        raise bad_argument("perfscore.dask.score_bag", "bag", Message("usage-expected-bag"), bag)
    _check_flag("perfscore.dask.score_bag", "trace", trace)
    scored: dask.bag.Bag = bag.map_partitions(_score_partition, _graph_rubric(rubric), trace)
    return scored


def read_jsonl(paths: str | Sequence[str]) -> dask.bag.Bag:
    """A bag of facts documents from JSON Lines files: one partition per file, read on the
    workers, one facts document (``{"rubric": ..., "facts": {...}}``) per non-blank line.

    A line that is not a facts document becomes its `DocumentError` or `FactsError`, located at
    ``file:line:column``. Paths may be glob patterns and any fsspec URL the workers can open.
    """
    if not isinstance(paths, str):
        items = Message("usage-items-paths")
        paths = list(typed_items("perfscore.dask.read_jsonl", "paths", paths, items, str))
    files = fsspec.open_files(paths, mode="rb")
    if not files:
        raise UsageError(
            Problem(
                "bad-argument",
                Message("dask-no-jsonl", paths=short_repr(paths, 300)),
                hint=Message("dask-no-jsonl-hint"),
            )
        )
    # local files keep their plain path, the name errors are located to
    names = [
        f.path if isinstance(f.fs, LocalFileSystem) else f.fs.unstrip_protocol(f.path)
        for f in files
    ]
    read: dask.bag.Bag = dask.bag.from_sequence(names, npartitions=len(names)).map_partitions(
        _read_partition
    )
    return read


def score_jsonl(
    rubric: Rubric | str, paths: str | Sequence[str], *, trace: bool = False
) -> dask.bag.Bag:
    """`score_bag` over `read_jsonl`: one result per non-blank line, file by file, in order."""
    rubric = as_rubric("perfscore.dask.score_jsonl", "rubric", rubric)
    _check_flag("perfscore.dask.score_jsonl", "trace", trace)
    return score_bag(rubric, read_jsonl(paths), trace=trace)


def _graph_rubric(rubric: Rubric) -> Any:
    # One named, pure key: every partition's task depends on it, so the scheduler holds one copy
    # and each worker fetches (and unpickles, which compiles it) once.
    return delayed(rubric, name=f"perfscore-rubric-{rubric.sha256}", pure=True)


def _score_partition(
    items: Iterable[BatchItem | PerfscoreError], rubric: Rubric, trace: bool
) -> list[Result]:
    # a document `read_jsonl` could not read is already its result
    return [
        item if isinstance(item, PerfscoreError) else _score_item(rubric, index, item, trace, None)
        for index, item in enumerate(items)
    ]


def _read_partition(names: Iterable[str]) -> list[FactsDocument | PerfscoreError]:
    # a list, not a generator: a partition may travel to another worker, or to the client
    read: list[FactsDocument | PerfscoreError] = []
    for name in names:
        with fsspec.open(name, mode="rb") as stream:
            read.extend(
                facts_from_line(line, name=name, line=number)
                for number, line in enumerate(stream, start=1)
                if line.strip()
            )
    return read


def facts_from_line(text: bytes | str, *, name: str, line: int) -> FactsDocument | PerfscoreError:
    """One JSON Lines line as a facts document whose locations are ``name:line:column``, or
    the error reading it, located the same way."""
    call = "perfscore.dask.facts_from_line"
    if not isinstance(text, (bytes, str)):
        raise bad_argument(call, "text", Message("usage-expected-rubric-text"), text)
    if not isinstance(name, str):
        raise bad_argument(call, "name", Message("usage-expected-text-or-none"), name)
    if type(line) is not int or line < 1:
        raise bad_argument(call, "line", Message("usage-expected-line"), line)
    try:
        document = parse_document(text, name=name, format="json")
    except PerfscoreError as exc:  # located in a one-line document: move it to its line
        return _moved(exc, line).with_traceback(None)
    document = Document(
        document.name,
        document.data,
        _shifted(document.value_positions, line),
        _shifted(document.key_positions, line),
    )
    try:
        return read_facts_document(document)
    except PerfscoreError as exc:  # located through the shifted document already
        return exc.with_traceback(None)


def _shifted(
    positions: Mapping[tuple[str | int, ...], tuple[int, int]], line: int
) -> Mapping[tuple[str | int, ...], tuple[int, int]]:
    return MappingProxyType({path: (at[0] + line - 1, at[1]) for path, at in positions.items()})


def _moved(exc: PerfscoreError, line: int) -> PerfscoreError:
    """`exc` with its locations in a one-line document moved down to `line` of the file."""

    def move(location: Location | None) -> Location | None:
        if location is None or location.line is None:
            return dataclasses.replace(location, line=line) if location else None
        return dataclasses.replace(location, line=location.line + line - 1)

    problems = [dataclasses.replace(p, location=move(p.location)) for p in exc.problems]
    return type(exc)(problems, exc.summary)
