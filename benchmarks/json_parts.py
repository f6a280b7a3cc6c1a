"""What `Scorecard.to_json()` spends per fact set on the parts every writer of that JSON must make.

The JSON of a traced scorecard carries the words of every trace step in the rubric's language and
the SHA-256 of the facts' canonical text, for 33 KB a document. Those parts depend on each
document's values, so no writer can make them once per rubric. This script times each of them
alone, on `bench_scoring.py`'s corpus, best of several rounds, against the yardstick:

    .venv/bin/python benchmarks/json_parts.py

- ``evaluate(trace=True)``: the call the JSON is written after;
- ``to_json()`` alone, on scorecards made beforehand (records already made);
- the records made from what the generated plan kept (`_run.complete`), which `to_json` needs;
- the facts hash: the canonical text by the rubric's generated writer, and SHA-256;
- the words of the steps whose arguments are the document's values (by phrase), and of the
  checks that fired: `_words.step_text` and `notice_text`, exactly as the writer calls them.

The sum of the last three beside ``evaluate(trace=True)`` is what any writer of this JSON pays
per document before it writes a byte of the layout; the ratio to the yardstick is printed.
"""

from __future__ import annotations

import argparse
import collections
import gc
import math
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scoring  # the corpus and the yardstick

from perfscore import load_rubric
from perfscore._engine._run import complete
from perfscore._engine._trace import FixedArgs
from perfscore._output._words import notice_text, step_text

ROOT = Path(__file__).resolve().parents[1]


def best(call: Callable[[], object], count: int, rounds: int) -> float:
    """µs per fact set of `call` (one pass over `count` fact sets), best of `rounds`, each
    after a collection (as `bench_scoring.throughput` times)."""
    return min(timeit.repeat(call, setup=gc.collect, number=1, repeat=rounds)) / count * 1e6


def each(call: Callable[[Any], object], items: list[Any]) -> Callable[[], None]:
    """A pass of `call` over `items` that keeps no result, as the benchmark's rounds do."""

    def run() -> None:
        for item in items:
            call(item)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=200, help="fact sets in the corpus")
    parser.add_argument("--rounds", type=int, default=7, help="rounds; the best is reported")
    args = parser.parse_args()
    rubric = load_rubric(ROOT / "rubric" / "dept-overall-huizhou" / "2022.1.yaml")
    corpus: list[Any] = [facts for _, facts in bench_scoring.build_corpus(args.facts)]
    n, rounds = len(corpus), args.rounds
    for facts in corpus[:5]:
        rubric.evaluate(facts, trace=True).to_json()
    # the scorecards' deferred parts, as to_json reads them
    parts = [object.__getattribute__(rubric.evaluate(f, trace=True), "_parts") for f in corpus]
    results = [p.result for p in parts]  # records made
    context = parts[0].context
    language = context.language
    by_phrase: dict[str, list[Any]] = collections.defaultdict(list)
    notices: list[Any] = []
    for result in results:
        for leaf in result.indicators:
            for event in leaf.events or ():
                if type(event[3]) is not FixedArgs:  # a generated plan's constants: made once
                    by_phrase[event[2]].append(event[3])
        notices.extend(result.warnings)

    lean = best(each(bench_scoring.lean_score, corpus), n, rounds)
    evaluate = best(each(lambda f: rubric.evaluate(f, trace=True), corpus), n, rounds)
    to_json = math.inf
    for _ in range(rounds):  # fresh scorecards each round: a written card keeps its hash
        cards = [rubric.evaluate(f, trace=True) for f in corpus]
        made_now = [object.__getattribute__(c, "_parts").result for c in cards]  # records made
        gc.collect()
        start = time.perf_counter()
        for card in cards:
            card.to_json()
        to_json = min(to_json, (time.perf_counter() - start) / n * 1e6)
        del made_now
    pending = [
        object.__getattribute__(rubric.evaluate(f, trace=True), "_parts")._result for f in corpus
    ]
    made = best(lambda: [complete(r) for r in pending], n, rounds)
    hashed = best(lambda: [context.facts_sha256(p.values) for p in parts], n, rounds)
    words = {
        phrase: best(lambda a=found, k=phrase: [step_text(language, k, x) for x in a], n, rounds)
        for phrase, found in by_phrase.items()
    }
    said = best(lambda: [notice_text(language, w.phrase, w.args) for w in notices], n, rounds)

    print(f"rubric {rubric.ref}, {n} fact sets, best of {rounds} rounds (µs per fact set)")
    print(f"  {'lean_score (the yardstick)':<48} {lean:7.1f}")
    print(f"  {'evaluate(trace=True)':<48} {evaluate:7.1f}  {evaluate / lean:5.1f}x")
    print(f"  {'to_json() alone, records made':<48} {to_json:7.1f}  {to_json / lean:5.1f}x")
    print("parts of to_json() that depend on the document's values:")
    print(f"  {'records from the plan kept values':<48} {made:7.1f}")
    print(f"  {'facts hash (canonical text + SHA-256)':<48} {hashed:7.1f}")
    for phrase, cost in sorted(words.items(), key=lambda kv: -kv[1]):
        per = len(by_phrase[phrase]) / n
        label = f"words of '{phrase}' steps ({per:.1f} a document)"
        print(f"  {label:<48} {cost:7.1f}")
    label = f"words of the checks that fired ({len(notices) / n:.1f})"
    print(f"  {label:<48} {said:7.1f}")
    floor = evaluate + made + hashed + sum(words.values()) + said
    print(
        f"evaluate(trace=True) and these parts: {floor:.1f} µs, {floor / lean:.1f}x the yardstick "
        "(the target for evaluate + to_json is 10x)"
    )


if __name__ == "__main__":
    main()
