"""The benchmark's hand-written scorer agrees with the engine, so its ratios mean something."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

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
