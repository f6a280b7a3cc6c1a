"""Where `Rubric.evaluate(facts, trace=False)` spends its time per fact set, part by part.

On `bench_scoring.py`'s corpus, best of several rounds, beside the yardstick:

    .venv/bin/python benchmarks/evaluate_parts.py

- ``evaluate(trace=False)``: the whole call, as the benchmark times it;
- ``run_plain``: the generated validator and plan in the evaluation context, no scorecard;
- the generated facts validator alone, and the generated trace-off plan alone on validated
  values (both in the evaluation context, as `run_plain` runs them);
- the plan compiled again without its checks, and with its checks' notices not made (each
  fired check appends a number instead): what the checks, and what their notices, cost;
- entering and leaving the evaluation's decimal context (`decimal.localcontext`).

The two plan variants are made from the generated source (`_codegen.generate`) for this
measurement only; they score nothing a caller sees.
"""

from __future__ import annotations

import argparse
import decimal
import gc
import re
import sys
import timeit
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scoring  # the corpus and the yardstick

from perfscore import load_rubric
from perfscore._engine._codegen import generate
from perfscore._engine._run import run_plain
from perfscore._numbers import CONTEXT

ROOT = Path(__file__).resolve().parents[1]
OFF = "# --- the whole plan, traces off"
ON = "# --- the whole plan, traces on"


def best(call: Callable[[], object], count: int, rounds: int) -> float:
    """µs per fact set of `call` (one pass over `count` fact sets), best of `rounds`."""
    return min(timeit.repeat(call, setup=gc.collect, number=1, repeat=rounds)) / count * 1e6


def variants(source: str) -> dict[str, str]:
    """The trace-off plan's source as generated, without its checks, and with its checks'
    notices not made."""
    whole = source[source.index(OFF) : source.index(ON)]
    plan = whole[whole.index("def run_plan(values, plain):") :]
    grade = plan.rindex("        grade = ")  # the checks follow the grade
    start = plan.index("\n", grade) + 1
    end = plan.index("    return new(RunResult, (")
    return {
        "as generated": plan,
        "without its checks": plan[:start] + plan[end:],
        "checks' notices not made": re.sub(
            r"warnings\.append\(NEW\(Notice, .*\)\)\)", "warnings.append(1)", plan
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=200, help="fact sets in the corpus")
    parser.add_argument("--rounds", type=int, default=7, help="rounds; the best is reported")
    parser.add_argument("--passes", type=int, default=5, help="passes over the corpus a round")
    args = parser.parse_args(argv)
    rubric = load_rubric(ROOT / "rubric" / "dept-overall-huizhou" / "2022.1.yaml")
    corpus: list[Any] = [facts for _, facts in bench_scoring.build_corpus(args.facts)]
    for facts in corpus[:2]:  # compile the generated functions, which happens at first use
        rubric.evaluate(facts, trace=False)
    plan = rubric.plan
    validate, score = plan.fast["facts"], plan.fast["run"]
    namespace = score.__globals__  # type: ignore[attr-defined]
    count = len(corpus) * args.passes

    def over(call: Callable[[Any], object], items: Sequence[Any]) -> Callable[[], None]:
        def each() -> None:
            for _ in range(args.passes):
                for item in items:
                    call(item)

        return each

    def in_context(call: Callable[[Any], object], items: Sequence[Any]) -> float:
        with decimal.localcontext(CONTEXT):
            return best(over(call, items), count, args.rounds)

    rows: list[tuple[str, float]] = [
        ("lean_score (the yardstick)", best(over(bench_scoring.lean_score, corpus), count, 7)),
        (
            "evaluate(trace=False)",
            best(over(lambda f: rubric.evaluate(f, trace=False), corpus), count, args.rounds),
        ),
        (
            "run_plain (validator and plan)",
            best(over(lambda f: run_plain(plan, f, False), corpus), count, args.rounds),
        ),
        ("the generated validator alone", in_context(validate, corpus)),
    ]
    with decimal.localcontext(CONTEXT):
        values = [validate(facts) for facts in corpus]
    for name, text in variants(generate(plan, install=False)).items():
        scope = dict(namespace)
        exec(compile(text, f"<{name}>", "exec"), scope)  # noqa: S102  # perfscore's own source
        function = scope["run_plan"]
        timed = in_context(lambda v, f=function: f(v, True), values)
        rows.append((f"the trace-off plan, {name}", timed))

    def context() -> None:
        for _ in range(count):
            with decimal.localcontext(CONTEXT):
                pass

    rows.append(("entering and leaving the decimal context", best(context, count, args.rounds)))
    yardstick = rows[0][1]
    width = max(len(name) for name, _ in rows)
    print(
        f"µs per fact set, best of {args.rounds} rounds of {args.passes} passes over "
        f"{len(corpus)} fact sets (× lean_score)"
    )
    for name, us in rows:
        print(f"  {name:<{width}}  {us:7.2f}  {us / yardstick:5.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
