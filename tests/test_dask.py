"""`perfscore.dask` on a real `dask.distributed.LocalCluster` with two worker processes: the
bag's results are exactly the serial ones, in order, and the rubric is one key of the graph."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfscore
from perfscore import FactsDocument, FactsError, PerfscoreError, Rubric, Scorecard

pytest.importorskip("dask.distributed")

import dask.bag
from dask.distributed import Client, LocalCluster

import perfscore.dask


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            scheduler_port=0,
            silence_logs=40,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture
def rubric(demo_rubric: str) -> Rubric:
    return perfscore.parse_rubric(demo_rubric, name="demo.yaml")


def test_a_bag_scores_exactly_as_in_one_process(
    client: Client, rubric: Rubric, tmp_path: Path
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("rubric: demo@1\nfacts:\n  rate: 80\n  problems: 1\n", encoding="utf-8")
    items: list[object] = [{"rate": 90 + i % 11, "problems": i % 4} for i in range(40)]
    items[7] = {"rate": "95%"}
    items[20] = str(tmp_path / "missing.yaml")
    items[21] = str(good)
    items[33] = FactsDocument(None, None, None, None, {"rate": 100})
    bag = dask.bag.from_sequence(items, npartitions=6)
    results = perfscore.dask.score_bag(rubric, bag).compute()
    assert results == list(rubric.evaluate_many(items))
    assert isinstance(results[7], perfscore.FactsError)
    assert isinstance(results[20], perfscore.DocumentError)
    assert isinstance(results[21], Scorecard)
    assert results[21].total == Decimal("7.5")  # 4 + 3.5
    assert isinstance(results[33], Scorecard)
    assert results[33].total == 10
    # the work went to both worker processes
    assert len(client.scheduler_info()["workers"]) == 2


def test_the_rubric_is_one_key_of_the_graph(rubric: Rubric) -> None:
    bag = dask.bag.from_sequence([{"rate": 95}] * 10, npartitions=5)
    graph = dict(perfscore.dask.score_bag(rubric, bag).__dask_graph__())
    keys = [k for k in graph if str(k).startswith("perfscore-rubric-")]
    assert keys == [f"perfscore-rubric-{rubric.sha256}"]


def line(facts: dict[str, object], rubric: str | None = "demo@1") -> str:
    return json.dumps({"rubric": rubric, "facts": facts} if rubric else {"facts": facts})


def test_jsonl_files_score_line_by_line_with_located_errors(
    client: Client, rubric: Rubric, tmp_path: Path
) -> None:
    (tmp_path / "a.jsonl").write_text(
        "\n".join(
            [
                line({"rate": 95, "problems": 2}),  # 1: 8.5
                line({"rate": 100}, None),  # 2: 10
                "",  # 3: blank lines are skipped
                '{"facts": {"rate": 95,}}',  # 4: not JSON
                line({"rate": 95, "problem": 2}),  # 5: unknown fact
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "b.jsonl").write_text(
        line({"rate": 80, "problems": 1}) + "\n" + line({"rate": 80}, "other@1") + "\n",
        encoding="utf-8",
    )
    results = perfscore.dask.score_jsonl(rubric, str(tmp_path / "*.jsonl")).compute()
    assert [r.total if isinstance(r, Scorecard) else r.code for r in results] == [
        Decimal("8.5"),
        10,
        "json-syntax",
        "unknown-fact",
        Decimal("7.5"),
        "rubric-mismatch",
    ]
    a, b = str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")
    located = [
        (r.location.file, r.location.line)
        for r in results
        if isinstance(r, PerfscoreError)
        if r.location
    ]
    assert located == [(a, 4), (a, 5), (b, 2)]
    unknown = results[3]
    assert isinstance(unknown, PerfscoreError)
    assert unknown.location is not None
    assert unknown.location.column == line({"rate": 95, "problem": 2}).index('"problem"') + 1


def test_documents_read_from_jsonl_travel_to_the_client(client: Client, tmp_path: Path) -> None:
    (tmp_path / "c.jsonl").write_text(
        line({"rate": 95}) + "\n" + '{"facts": 1}\n', encoding="utf-8"
    )
    read = perfscore.dask.read_jsonl(str(tmp_path / "c.jsonl")).compute()
    assert len(read) == 2
    assert isinstance(read[0], FactsDocument)
    assert read[0].facts == {"rate": 95}
    assert isinstance(read[1], perfscore.FactsError)
    assert read[1].location is not None
    assert read[1].location.line == 2


def test_a_line_reads_like_the_same_document_from_a_file(tmp_path: Path) -> None:
    text = line({"rate": 95, "problems": 2})
    (tmp_path / "one.json").write_text("\n\n" + text, encoding="utf-8")
    from_file = perfscore.load_facts(tmp_path / "one.json")
    from_line = perfscore.dask.facts_from_line(text, name=str(tmp_path / "one.json"), line=3)
    assert from_line == from_file
    assert isinstance(from_line, FactsDocument)
    assert from_line.locate(("facts", "rate")) == from_file.locate(("facts", "rate"))


def test_no_file_matching_is_refused_at_once(rubric: Rubric, tmp_path: Path) -> None:
    pattern = str(tmp_path / "*.jsonl")
    with pytest.raises(perfscore.UsageError) as refused:
        perfscore.dask.score_jsonl(rubric, pattern)
    assert str(refused.value).startswith(f"no JSON Lines file matches {pattern!r} [bad-argument]")


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda r: perfscore.dask.score_bag(r, [{"rate": 1}]), "bag"),  # a list, not a bag
        (lambda r: perfscore.dask.score_bag(r, dask.bag.from_sequence([]), trace=1), "trace"),
        (lambda r: perfscore.dask.score_bag(5, dask.bag.from_sequence([])), "rubric"),
        (lambda r: perfscore.dask.read_jsonl(5), "paths"),
        (lambda r: perfscore.dask.read_jsonl([5]), "paths"),
        (lambda r: perfscore.dask.facts_from_line(5, name="f", line=1), "text"),
        (lambda r: perfscore.dask.facts_from_line("{}", name=3, line=1), "name"),
        (lambda r: perfscore.dask.facts_from_line("{}", name="f", line="3"), "line"),
    ],
    ids=["bag-list", "trace-int", "rubric-int", "paths-int", "paths-item", "text", "name", "line"],
)
def test_the_helpers_refuse_arguments_of_the_wrong_kind(
    rubric: Rubric, call: Any, parameter: str
) -> None:
    # each raised AttributeError or TypeError from inside, or took the value (trace=1)
    with pytest.raises(perfscore.UsageError) as refused:
        call(rubric)
    assert f": {parameter} must be " in str(refused.value)


def test_a_bag_takes_a_bundled_rubric_by_its_id(rubric: Rubric) -> None:
    bag = dask.bag.from_sequence([{"rate": 95, "problems": 2}], npartitions=1)
    (card,) = perfscore.dask.score_bag("dept-overall-huizhou@2022.1", bag).compute(scheduler="sync")
    assert isinstance(card, FactsError)  # the demo's facts are not the bundled rubric's
    assert "unknown fact 'rate'" in str(card)
