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
