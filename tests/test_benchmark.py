"""The benchmark's hand-written scorer agrees with the engine, so its ratios mean something."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

import perfscore

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_scoring.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scoring", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hand_scorer_and_engine_agree_on_a_small_corpus() -> None:
    bench = _load()
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    corpus = bench.build_corpus(40)
    assert bench.check_agreement(rubric, corpus) == []


def test_the_lean_yardstick_agrees_with_the_engine() -> None:
    bench = _load()
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    corpus = bench.build_corpus(60)
    assert bench.check_agreement(rubric, corpus, bench.lean_score) == []


def test_the_zen_expression_agrees_with_the_yardstick() -> None:
    pytest.importorskip("zen")
    bench = _load()
    evaluate = bench.zen_scorer()
    assert evaluate is not None
    assert bench.zen_agreement(evaluate, bench.build_corpus(60)) == []


def test_a_disagreement_is_found() -> None:
    # the agreement check is not vacuous: a scorer one half-point off on one indicator fails
    bench = _load()
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")

    def off_by_half(facts: object) -> dict[str, object]:
        result = dict(bench.lean_score(facts))
        result["spend_rate"] = result["spend_rate"] + Decimal("0.5")
        return result

    problems = bench.check_agreement(rubric, bench.build_corpus(3), off_by_half)
    assert len(problems) == 6  # 3 fact sets, traces on and off
    assert all(": spend_rate: engine " in p for p in problems)


def test_the_plan_variants_evaluate_parts_times_score_as_the_plan_does() -> None:
    # evaluate_parts.py cuts the generated trace-off plan to time its checks: the cut must
    # still be the plan (same totals), and leave out exactly the checks (no warnings)
    import decimal
    import sys

    sys.path.insert(0, str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location(
        "evaluate_parts", SCRIPT.parent / "evaluate_parts.py"
    )
    assert spec is not None
    assert spec.loader is not None
    parts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(parts)
    from perfscore._engine._codegen import generate
    from perfscore._numbers import CONTEXT

    bench = _load()
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    corpus = [facts for _, facts in bench.build_corpus(20)]
    rubric.evaluate(corpus[0], trace=False)  # compile the generated functions
    plan = rubric.plan
    found = parts.variants(generate(plan, install=False))
    assert list(found) == ["as generated", "without its checks", "checks' notices not made"]
    with decimal.localcontext(CONTEXT):
        for facts in corpus:
            card = rubric.evaluate(facts, trace=False)
            values = plan.fast["facts"](facts)
            for name, text in found.items():
                scope = dict(plan.fast["run"].__globals__)
                exec(compile(text, name, "exec"), scope)  # noqa: S102
                result = scope["run_plan"](values, True)
                assert (result.total, result.grade) == (card.total, card.grade), name
                warned = len(result.warnings)
                assert warned == (0 if name == "without its checks" else len(card.warnings)), name
