"""Instructions per call of one contender, for callgrind: a count the machine's load does not move.

Run it under valgrind, collecting only inside the one `functools.reduce` that makes the calls:

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=functools_reduce \
        --callgrind-out-file=/dev/null \
        .venv/bin/python benchmarks/count_instructions.py evaluate-off

and divide the "Collected" count valgrind prints by the calls this script prints. The contenders
are `bench_scoring.py`'s, on its corpus (50 fact sets, each called four times after a warm-up):

- ``lean``: the yardstick, `lean_score`;
- ``evaluate-off``, ``evaluate-on``: `Rubric.evaluate` with traces off and on;
- ``to-json``: `Rubric.evaluate` with traces, then `Scorecard.to_json()`;
- ``validator``: the generated facts validator alone (`Plan.validate_fast`'s function);
- ``plan-off``, ``plan-on``: the generated whole-plan function alone, on validated values.

The last three run in the evaluation context, as `evaluate` runs them.
"""

from __future__ import annotations

import argparse
import decimal
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scoring  # the corpus and the yardstick

from perfscore import load_rubric
from perfscore._numbers import CONTEXT

CONTENDERS = (
    "lean",
    "evaluate-off",
    "evaluate-on",
    "to-json",
    "validator",
    "plan-off",
    "plan-on",
)
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contender", choices=CONTENDERS)
    args = parser.parse_args()
    rubric = load_rubric(ROOT / "rubric" / "dept-overall-huizhou" / "2022.1.yaml")
    corpus: list[Any] = [facts for _, facts in bench_scoring.build_corpus(50)]
    plan = rubric.plan
    for facts in corpus[:2]:  # compile the generated functions, which happens at first use
        rubric.evaluate(facts, trace=False)
        rubric.evaluate(facts, trace=True)
    validate = plan.fast["facts"]
    calls: dict[str, Callable[[Any], object]] = {
        "lean": bench_scoring.lean_score,
        "evaluate-off": lambda facts: rubric.evaluate(facts, trace=False),
        "evaluate-on": lambda facts: rubric.evaluate(facts, trace=True),
        "to-json": lambda facts: rubric.evaluate(facts, trace=True).to_json(),
        "validator": validate,
        "plan-off": lambda values: plan.fast["run"](values, True),
        "plan-on": lambda values: plan.fast["run_traced"](values, True),
    }
    items = corpus
    with decimal.localcontext(CONTEXT):
        if args.contender.startswith("plan-"):
            items = [validate(facts) for facts in corpus]
        call = calls[args.contender]
        for item in items[:5]:
            call(item)
        batch = items * 4
        functools.reduce(lambda _, item: call(item), batch, None)
    print(f"{args.contender}: {len(batch)} calls")


if __name__ == "__main__":
    main()
