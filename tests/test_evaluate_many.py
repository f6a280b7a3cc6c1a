"""`Rubric.evaluate_many`: one result per document in input order, each a scorecard or that
document's error; serial and worker processes give equal results; a bad document never stops
the batch nor breaks the pool; the input is read lazily."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore
from perfscore import FactsError, PerfscoreError, Rubric, Scorecard, UsageError


@pytest.fixture
def rubric(demo_rubric: str) -> Rubric:
    return perfscore.parse_rubric(demo_rubric, name="demo.yaml")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def batch(tmp_path: Path) -> list[object]:
    """Good documents of every kind with broken ones between them."""
    good = write(tmp_path / "good.yaml", "rubric: demo@1\nfacts:\n  rate: 80\n  problems: 1\n")
    broken_yaml = write(tmp_path / "broken.yaml", "facts:\n  rate: [80\n")
    wrong_rubric = write(tmp_path / "other.yaml", "rubric: other@2\nfacts:\n  rate: 80\n")
    return [
        {"rate": 95, "problems": 2},  # 0: 5.5 + 3 = 8.5
        {"rate": "95%"},  # 1: a string where a number belongs
        good,  # 2: 4 + 3.5 = 7.5
        tmp_path / "missing.yaml",  # 3: no such file
        broken_yaml,  # 4: not YAML
        42,  # 5: not a document at all
        perfscore.FactsDocument(None, None, None, None, {"rate": 100}),  # 6: 6 + 4 = 10
        wrong_rubric,  # 7: written for another rubric
        {"problems": 1},  # 8: rate is missing
        str(good),  # 9: a path as text, 7.5
    ]


def test_results_come_in_input_order_each_a_scorecard_or_its_error(
    rubric: Rubric, batch: list[object], tmp_path: Path
) -> None:
    results = list(rubric.evaluate_many(batch))
    assert len(results) == len(batch)
    totals = [r.total if isinstance(r, Scorecard) else None for r in results]
    assert totals == [
        Decimal("8.5"),
        None,
        Decimal("7.5"),
        None,
        None,
        None,
        10,
        None,
        None,
        Decimal("7.5"),
    ]
    codes = {i: r.code for i, r in enumerate(results) if isinstance(r, PerfscoreError)}
    assert codes == {
        1: "fact-type",
        3: "file-not-found",
        4: "yaml-syntax",
        5: "bad-argument",
        7: "rubric-mismatch",
        8: "missing-fact",
    }
    assert isinstance(results[5], UsageError)
    assert "document 5 is number 42" in str(results[5])
    assert isinstance(results[7], FactsError)


def test_errors_reading_a_file_are_located_to_that_file(
    rubric: Rubric, batch: list[object], tmp_path: Path
) -> None:
    results = list(rubric.evaluate_many(batch))
    for index, name in ((3, "missing.yaml"), (4, "broken.yaml"), (7, "other.yaml")):
        error = results[index]
        assert isinstance(error, PerfscoreError)
        assert error.location is not None
        assert error.location.file == str(tmp_path / name)
    broken = results[4]
    assert isinstance(broken, PerfscoreError)
    assert broken.location is not None
    assert broken.location.line is not None  # where the reader stopped


def test_a_serial_batch_equals_scoring_one_by_one(rubric: Rubric, batch: list[object]) -> None:
    for item, result in zip(batch, rubric.evaluate_many(batch), strict=True):
        if isinstance(result, Scorecard):
            document = perfscore.load_facts(item) if isinstance(item, (str, Path)) else item
            assert isinstance(document, (dict, perfscore.FactsDocument))
            assert result == rubric.evaluate(document, trace=False)


def test_worker_processes_give_exactly_the_serial_results(
    rubric: Rubric, batch: list[object]
) -> None:
    serial = list(rubric.evaluate_many(batch))
    for processes, chunksize in ((2, 1), (2, 3), (1, 100)):
        pooled = list(rubric.evaluate_many(batch, processes=processes, chunksize=chunksize))
        assert pooled == serial
        assert [type(r) for r in pooled] == [type(r) for r in serial]
        assert [str(r) for r in pooled if isinstance(r, PerfscoreError)] == [
            str(r) for r in serial if isinstance(r, PerfscoreError)
        ]


def test_traces_come_back_from_workers_when_asked(rubric: Rubric) -> None:
    facts = {"rate": 95, "problems": 2}
    (card,) = rubric.evaluate_many([facts], processes=1, trace=True)
    assert card == rubric.evaluate(facts, trace=True)
    assert isinstance(card, Scorecard)
    assert card.to_json() == rubric.evaluate(facts, trace=True).to_json()


def test_the_pool_survives_bad_documents(rubric: Rubric) -> None:
    # one worker, one document a chunk: every later document goes to the process that met
    # every bad one
    bad: list[object] = [{"rate": "x"}, {"rate": 101}, 42, "/nonexistent/facts.yaml", {}]
    good = [{"rate": 90 + i, "problems": 0} for i in range(10)]
    results = list(rubric.evaluate_many([*bad, *good, *bad, *good], processes=1, chunksize=1))
    assert all(isinstance(r, PerfscoreError) for r in results[:5])
    assert all(isinstance(r, PerfscoreError) for r in results[15:20])
    # rate 90 + i: spend 6 - (10 - i) x 0.1, comp 4
    expected = [Decimal(6) - Decimal(10 - i) / 10 + 4 for i in range(10)]
    assert [r.total for r in results[5:15] if isinstance(r, Scorecard)] == expected
    assert [r.total for r in results[20:] if isinstance(r, Scorecard)] == expected


def test_a_document_that_cannot_reach_a_worker_is_its_own_error(rubric: Rubric) -> None:
    unpicklable = {"rate": 95, "problems": (x for x in ())}  # a generator does not pickle
    results = list(
        rubric.evaluate_many([{"rate": 95}, unpicklable, {"rate": 100}], processes=1, chunksize=3)
    )
    assert [type(r) for r in results] == [Scorecard, UsageError, Scorecard]
    assert "document 1 cannot be sent to a worker process" in str(results[1])


def test_a_documents_read_only_facts_reach_a_worker_as_they_score_serially(
    rubric: Rubric, tmp_path: Path
) -> None:
    # FactsDocument.facts is a read-only view (so are its records), which does not pickle: the
    # worker refused what scoring in this process took
    path = write(
        tmp_path / "f.yaml",
        "rubric: demo@1\nfacts:\n  rate: 80\n  problems: 1\n",
    )
    facts = perfscore.load_facts(path).facts
    documents = [facts, dict(facts), {"view": facts}]
    serial = [
        r.to_json() if isinstance(r, Scorecard) else str(r) for r in rubric.evaluate_many(documents)
    ]
    pooled = [
        r.to_json() if isinstance(r, Scorecard) else str(r)
        for r in rubric.evaluate_many(documents, processes=1, chunksize=1)
    ]
    assert pooled == serial
    assert [json.loads(text)["total"] for text in serial[:2]] == [7.5, 7.5]
    assert "unknown fact 'view'" in serial[2]


def test_claims_are_checked_as_they_are_made_so_no_batch_fails_on_them(
    rubric: Rubric, tmp_path: Path
) -> None:
    # a Claims of the wrong shape raised AttributeError from inside evaluate_many and stopped
    # the batch; it is refused where it is made, with the parameter named
    with pytest.raises(UsageError) as refused:
        perfscore.Claims(indicators=None)  # type: ignore[arg-type]
    assert str(refused.value).startswith("Claims: indicators must be a mapping of indicator ids")
    document = perfscore.FactsDocument(
        "demo", "1", None, None, {"rate": 80, "problems": 1}, claims=perfscore.Claims({"x": 1})
    )
    results = list(rubric.evaluate_many([document, {"rate": 100}], processes=1))
    assert [type(r) for r in results] == [FactsError, Scorecard]
    assert "claimed score for unknown indicator 'x'" in str(results[0])


def counted(limit: int | None, seen: list[int]) -> Iterator[dict[str, object]]:
    for i in itertools.count() if limit is None else range(limit):
        seen.append(i)
        yield {"rate": 100, "problems": i % 3}


@pytest.mark.parametrize("processes", [None, 2])
def test_the_input_is_read_lazily(rubric: Rubric, processes: int | None) -> None:
    seen: list[int] = []
    results = rubric.evaluate_many(counted(None, seen), processes=processes, chunksize=4)
    first = list(itertools.islice(results, 5))
    assert [r.total for r in first if isinstance(r, Scorecard)] == [
        10,
        Decimal("9.5"),
        9,
        10,
        Decimal("9.5"),
    ]
    # serial reads what it yields; a pool reads at most 2 x processes chunks ahead
    assert len(seen) <= (5 if processes is None else 5 + 2 * 2 * 4)
    results.close()  # type: ignore[attr-defined]  # stops the workers


def test_processes_zero_means_one_worker_per_cpu(rubric: Rubric) -> None:
    seen: list[int] = []
    results = list(rubric.evaluate_many(counted(6, seen), processes=0))
    assert [r.total for r in results if isinstance(r, Scorecard)] == [10, Decimal("9.5"), 9] * 2


@pytest.mark.parametrize(
    ("processes", "chunksize"), [(-1, 16), (True, 16), (2.0, 16), (None, 0), (2, -3), (None, 1.5)]
)
def test_bad_arguments_are_refused_at_the_call(
    rubric: Rubric, processes: object, chunksize: object
) -> None:
    with pytest.raises(UsageError) as caught:
        rubric.evaluate_many([], processes=processes, chunksize=chunksize)  # type: ignore[arg-type]
    assert caught.value.code == "bad-argument"


def test_an_empty_batch_gives_nothing(rubric: Rubric) -> None:
    assert list(rubric.evaluate_many([])) == []
    assert list(rubric.evaluate_many([], processes=2)) == []


def test_import_perfscore_loads_no_process_or_cluster_machinery() -> None:
    import subprocess
    import sys

    code = (
        "import sys, perfscore\n"
        "heavy = {'multiprocessing', 'concurrent', 'dask', 'distributed'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
