"""What installing perfscore costs a pytest run that has nothing to do with rubrics.

pytest loads every ``pytest11`` entry point at start-up, so whatever perfscore's plugin imports
is paid by every project in the environment. This script writes a one-test project into a
temporary folder and times ``python -m pytest --co -q`` there, with the plugin enabled and with
``-p no:perfscore``, alternating the two so that background load hits both alike. It prints the
median, the fastest and the slowest run of each and the difference of the medians. It is not a
timed test and is not collected by pytest.

    .venv/bin/python benchmarks/bench_plugin_import.py            # 7 runs each
    .venv/bin/python benchmarks/bench_plugin_import.py --runs 15

It also reports which heavy modules the entry point's module loads when imported on its own.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("perfscore", "pydantic", "yaml", "simpleeval")


def entry_point() -> str:
    """The module perfscore registers under ``pytest11``."""
    for ep in importlib.metadata.entry_points(group="pytest11"):
        if ep.name == "perfscore":
            return ep.value
    raise SystemExit("perfscore's pytest11 entry point is not installed in this interpreter")


def collect_seconds(project: Path, *extra: str) -> float:
    """Wall time of one ``pytest --co -q`` in `project`; fails loudly if pytest fails."""
    command = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", *extra]
    start = time.perf_counter()
    # this interpreter running pytest on the folder we just wrote; no outside input
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - start
    if done.returncode != 0 or "1 test collected" not in done.stdout:
        raise SystemExit(f"pytest failed in {project}:\n{done.stdout}{done.stderr}")
    return seconds


def heavy_modules(module: str) -> list[str]:
    """Which of `HEAVY` a fresh interpreter holds after importing `module` alone."""
    code = f"import sys, {module}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    command = [sys.executable, "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout.split()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each variant (default 7)")
    args = parser.parse_args(argv)
    module = entry_point()
    with tempfile.TemporaryDirectory(prefix="unrelated-") as folder:
        project = Path(folder)
        (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        (project / "test_one.py").write_text("def test_one():\n    pass\n", encoding="utf-8")
        collect_seconds(project)  # warm the file system cache and the bytecode of both variants
        collect_seconds(project, "-p", "no:perfscore")
        runs: dict[str, list[float]] = {"with perfscore": [], "-p no:perfscore": []}
        for _ in range(args.runs):
            runs["with perfscore"].append(collect_seconds(project))
            runs["-p no:perfscore"].append(collect_seconds(project, "-p", "no:perfscore"))
    print(f"pytest --co -q in a one-test project, {args.runs} runs each ({sys.executable})")
    for name, seconds in runs.items():
        print(
            f"  {name:<17} median {statistics.median(seconds):.3f} s"
            f"   (fastest {min(seconds):.3f} s, slowest {max(seconds):.3f} s)"
        )
    cost = statistics.median(runs["with perfscore"]) - statistics.median(runs["-p no:perfscore"])
    print(f"  the plugin costs {cost * 1000:+.0f} ms per run (difference of the medians)")
    loaded = heavy_modules(module)
    print(f"  import {module} loads: {', '.join(loaded) if loaded else 'none of ' + str(HEAVY)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
