"""How long ``perfscore score DIR --jobs N`` takes for a bureau's worth of facts files on disk.

Writes N facts files (the filed 2022 report with its figures varied, each for another
department, as YAML) into a temporary folder, then runs the command as a user would, in a new
process, and prints the wall time from start to exit: starting Python, finding and reading
every file, scoring, ranking and printing the summary. Not a timed test; the target is in
docs/performance.md.

    .venv/bin/python benchmarks/bench_batch.py                   # 10,000 files, --jobs 2
    .venv/bin/python benchmarks/bench_batch.py --files 1000 --jobs 1 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
TARGET_SECONDS = 20.0

#: facts varied per file, with the range each is drawn from (two decimals)
VARIED = {
    "spend_rate_stated": (80, 100),
    "carryover_rate_stated": (0, 5),
}


def write_corpus(folder: Path, count: int, seed: int) -> None:
    """`count` facts files in `folder`, in subfolders of 500 as a bureau would file them."""
    text = EXAMPLE.read_text(encoding="utf-8")
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    filed = "subject: 中共惠州大亚湾经济技术开发区委组织部"
    for i in range(count):
        body = text.replace(filed, f"subject: 单位{i:05d}")
        for fact, (low, high) in VARIED.items():
            value = f"{rng.uniform(low, high):.2f}"
            body = re.sub(rf"(?m)^(  {fact}:) *[0-9.]+", rf"\g<1> {value}", body)
        target = folder / f"batch{i // 500:02d}" / f"dept{i:05d}.yaml"
        target.parent.mkdir(exist_ok=True)
        target.write_text(body, encoding="utf-8")


def run(folder: Path, jobs: int) -> tuple[float, int, int]:
    """Seconds of one run, its exit code and the number of summary rows it printed."""
    argv = [sys.executable, "-m", "perfscore", "score", str(folder), "--jobs", str(jobs)]
    argv += ["--no-trace", "--quiet"]
    start = time.perf_counter()
    # this interpreter running perfscore on files the script wrote
    done = subprocess.run(argv, capture_output=True, check=False, cwd=folder)  # noqa: S603
    seconds = time.perf_counter() - start
    rows = done.stdout.count(b"\n") - 2  # the heading and the count line
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr.decode("utf-8", "replace")[-2000:])
    return seconds, done.returncode, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="facts files (default 10000)")
    parser.add_argument(
        "--jobs", type=int, action="append", help="worker processes (repeatable; default 2)"
    )
    parser.add_argument("--seed", type=int, default=20221231)
    args = parser.parse_args()
    jobs_list = args.jobs or [2]
    print(f"perfscore score DIR: {args.files} facts files, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="perfscore-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        write_corpus(folder, args.files, args.seed)
        print(f"  corpus written in {time.perf_counter() - start:.1f} s")
        failed = False
        for jobs in jobs_list:
            seconds, code, rows = run(folder, jobs)
            verdict = "within" if seconds <= TARGET_SECONDS else "OVER"
            print(
                f"  --jobs {jobs}: {seconds:.1f} s ({args.files / seconds:,.0f} files/s), "
                f"exit {code}, {rows} rows; {verdict} the {TARGET_SECONDS:.0f} s target "
                f"for 10,000 files"
            )
            failed |= code not in (0, 1) or rows != args.files
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
