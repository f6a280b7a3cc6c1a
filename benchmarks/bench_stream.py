"""Whether scoring a stream of documents costs the same per document at 1,000 and at 100,000,
in flat memory, with `Rubric.evaluate_many`.

Run from the repository root with the project's virtual environment:

    .venv/bin/python benchmarks/bench_stream.py                  # 1k and 10k, serial
    .venv/bin/python benchmarks/bench_stream.py --full           # also 100k (minutes)
    .venv/bin/python benchmarks/bench_stream.py --processes 2    # in two worker processes

Each size runs in a fresh child process, so its peak resident memory is its own. The child
scores a lazily generated stream of documents for the bundled rubric dept-overall-huizhou@2022.1
(bench_scoring.py's seeded corpus of 200 fact sets, cycled, every 100th document made invalid so
errors flow through the stream too), consumes each result as it arrives and keeps only a
running sum, then reports µs per document (serial: also the CPU µs per document over each tenth
of the stream, so a cost that grew along the stream would show), its peak RSS and, with
workers, the largest worker's
peak RSS. `--json` prints the rows as JSON as well. See docs/performance.md, "Scale".

It is a report, not a test: exit status 0 when the report is printed, 1 when a child fails or
the stream's results are not what the corpus implies (wrong count of errors or scorecards).
Standard library only, besides perfscore.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
RUBRIC = "dept-overall-huizhou@2022.1"
CORPUS = 200
BROKEN_EVERY = 100


def _bench_scoring() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scoring", HERE / "bench_scoring.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def documents(n: int) -> Iterator[dict[str, object]]:
    """`n` fact mappings, generated as they are read: the corpus cycled, every 100th broken."""
    corpus = [facts for _, facts in _bench_scoring().build_corpus(CORPUS)]
    for i, facts in zip(range(n), itertools.cycle(corpus), strict=False):
        yield {**facts, "not_a_fact": i} if i % BROKEN_EVERY == BROKEN_EVERY - 1 else facts


def _rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished workers (a busy machine slows the clock on
    the wall, not this)."""
    mine, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


def child(n: int, processes: int | None, chunksize: int) -> dict[str, object]:
    """Score `n` streamed documents in this process (and its workers); one report row."""
    import perfscore

    rubric = perfscore.load_rubric(RUBRIC)
    warm = sum(1 for _ in rubric.evaluate_many(documents(CORPUS)))  # imports, caches
    assert warm == CORPUS
    before = _rss_mib()
    cards = errors = 0
    total = Decimal(0)
    window = max(1, n // 10)  # CPU µs per document over each tenth of the stream
    windows: list[float] = []
    start, cpu = time.perf_counter(), _cpu_seconds()
    mark = cpu
    results = rubric.evaluate_many(documents(n), processes=processes, chunksize=chunksize)
    for i, result in enumerate(results, start=1):
        if isinstance(result, perfscore.Scorecard):
            cards += 1
            total += result.total
        else:
            errors += 1
        if processes is None and i % window == 0:
            now = _cpu_seconds()
            windows.append(round((now - mark) / window * 1e6, 1))
            mark = now
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu
    return {
        "documents": n,
        "processes": processes,
        "chunksize": chunksize,
        "seconds": round(seconds, 3),
        "us_per_document": round(seconds / n * 1e6, 1),
        "cpu_us_per_document": round(cpu / n * 1e6, 1),
        "rss_before_mib": round(before, 1),
        "peak_rss_mib": round(_rss_mib(), 1),
        "worker_peak_rss_mib": round(_rss_mib(resource.RUSAGE_CHILDREN), 1) if processes else None,
        "cpu_us_per_document_by_tenth": windows or None,
        "scorecards": cards,
        "errors": errors,
        "sum_of_totals": str(total),
    }


def _outcome(result: object) -> str:
    """What a worker sends back in the Dask run: the total, or the error's code."""
    import perfscore

    return str(result.total) if isinstance(result, perfscore.Scorecard) else "error"


def dask_child(n: int, workers: int, partition: int) -> dict[str, object]:
    """Score `n` documents as a Dask bag on a LocalCluster of `workers` processes."""
    import dask.bag
    from dask.distributed import Client, LocalCluster

    import perfscore
    import perfscore.dask

    rubric = perfscore.load_rubric(RUBRIC)
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, dashboard_address=None, silence_logs=40
        ) as cluster,
        Client(cluster),
    ):
        warm = dask.bag.from_sequence(list(documents(CORPUS)), npartitions=workers)
        perfscore.dask.score_bag(rubric, warm).map(_outcome).compute()  # imports, the rubric
        bag = dask.bag.from_sequence(list(documents(n)), partition_size=partition)
        start = time.perf_counter()
        outcomes = perfscore.dask.score_bag(rubric, bag).map(_outcome).compute()
        seconds = time.perf_counter() - start
    errors = outcomes.count("error")
    return {
        "documents": n,
        "processes": f"dask {workers}",
        "chunksize": partition,
        "seconds": round(seconds, 3),
        "us_per_document": round(seconds / n * 1e6, 1),
        "cpu_us_per_document": None,
        "rss_before_mib": None,
        "peak_rss_mib": round(_rss_mib(), 1),
        "worker_peak_rss_mib": None,
        "scorecards": n - errors,
        "errors": errors,
        "sum_of_totals": str(sum(Decimal(o) for o in outcomes if o != "error")),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated document counts")
    parser.add_argument("--full", action="store_true", help="also 100,000 documents")
    parser.add_argument("--processes", type=int, default=None, help="worker processes (0: CPUs)")
    parser.add_argument("--chunksize", type=int, default=16)
    parser.add_argument(
        "--dask", type=int, metavar="WORKERS", help="score on a LocalCluster of WORKERS processes"
    )
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        if args.dask:
            print(json.dumps(dask_child(args.child, args.dask, args.chunksize)))
        else:
            print(json.dumps(child(args.child, args.processes, args.chunksize)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] + ([100_000] if args.full else [])
    rows = []
    for n in sizes:
        command = [sys.executable, __file__, "--child", str(n), "--chunksize", str(args.chunksize)]
        if args.processes is not None:
            command += ["--processes", str(args.processes)]
        if args.dask:
            command += ["--dask", str(args.dask)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        row = json.loads(done.stdout)
        broken = n // BROKEN_EVERY
        if (row["errors"], row["scorecards"]) != (broken, n - broken):
            print(f"{n}: expected {broken} errors and {n - broken} scorecards, got {row}")
            return 1
        rows.append(row)
    mode = "serial" if args.processes is None else f"{args.processes} worker processes"
    if args.dask:
        mode = f"Dask LocalCluster of {args.dask} worker processes, chunksize = partition size"
    print(f"perfscore evaluate_many, {RUBRIC}, {mode}, chunksize {args.chunksize}")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(
        f"{'documents':>10} {'seconds':>9} {'µs/doc':>9} {'CPU µs/doc':>11} {'RSS before':>11}"
        f" {'peak RSS':>9} {'worker peak':>12}"
    )
    for row in rows:
        worker = row["worker_peak_rss_mib"]
        print(
            f"{row['documents']:>10} {row['seconds']:>9} {row['us_per_document']:>9} "
            f"{'-' if row['cpu_us_per_document'] is None else row['cpu_us_per_document']:>11} "
            f"{'-' if row['rss_before_mib'] is None else row['rss_before_mib']:>8} MiB "
            f"{row['peak_rss_mib']:>5} MiB "
            f"{'-' if worker is None else f'{worker} MiB':>12}"
        )
    first, last = rows[0], rows[-1]
    ratio = f"{last['us_per_document'] / first['us_per_document']:.2f}x per document on the wall"
    if first["cpu_us_per_document"]:
        ratio += f", {last['cpu_us_per_document'] / first['cpu_us_per_document']:.2f}x in CPU"
    growth = last["peak_rss_mib"] - first["peak_rss_mib"]
    tenths = last.get("cpu_us_per_document_by_tenth")
    if tenths:
        print(f"CPU µs/doc over each tenth of the {last['documents']} stream: {tenths}")
    print(f"cost {last['documents']} / {first['documents']}: {ratio}; peak RSS {growth:+.1f} MiB")
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
