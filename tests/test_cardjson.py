"""The JSON of an exact scorecard written from its run's result is the reference writer's.

`Scorecard.to_json` of a scorecard made on demand writes straight from the run's result
(`_output/_cardjson.write_card`) without making its parts. The reference is the general writer
over the dump of the scorecard made up front (`_reference_json`): every test compares the two
texts byte for byte, on the bundled examples and on random rubrics, with traces on and off,
indicators not applicable, claims, checks that fire, unknown values, every indentation, and
with some of the scorecard's fields read (made) before the JSON is written.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import perfscore
from _differential import examples as _examples
from perfscore import PerfscoreError, Scorecard
from perfscore._output import _cardjson
from perfscore._output._scorecard import DEFERRED, _parts_of, _write, canonical_json, sha256_of
from test_deferred_scorecard import _DATA, _both, _cases, _reference_json

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
INDENTS = (2, None, 0, 4)


def _written_directly(card: Scorecard, indent: int | None) -> str | None:
    """The text of the direct writer, None when it leaves the card to the reference."""
    parts: Any = _parts_of(card)
    assert parts is not None
    return _cardjson.write_card(card, parts, indent, parts.json.__globals__["_basis"])


@pytest.mark.parametrize("trace", [True, False])
@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_each_example_is_written_as_the_reference_writes_it(example: str, trace: bool) -> None:
    document = perfscore.load_facts(EXAMPLES / example)
    rubric = perfscore.load_rubric(f"{document.rubric_id}@{document.rubric_version}")
    for indent in INDENTS:
        deferred, eager = _both(rubric, document, trace=trace)
        expected = _reference_json(eager, indent)
        assert deferred.to_json(indent=indent) == expected
        assert deferred.to_json(indent=indent) == expected  # and again, from the kept text
        unread = _both(rubric, document, trace=trace)[0]
        direct = _written_directly(unread, indent)
        exact = deferred.sheet is None and deferred.total_range is None
        assert (direct is None) == (not exact or document.claims is not None)
        assert direct in {None, expected}


def test_the_department_card_is_written_without_making_its_parts() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    deferred, eager = _both(rubric, document.facts)  # the facts alone: no claims to review
    assert deferred.to_json() == eager.to_json()
    parts: Any = _parts_of(deferred)
    assert parts is not None  # still made on demand: nothing was built for the text
    assert set(parts.made) == {"facts_sha256"}
    assert DEFERRED.isdisjoint(deferred.__dict__)
    assert deferred.facts_sha256 == eager.facts_sha256 == sha256_of(parts.values)
    assert deferred == eager


def test_a_card_with_claims_is_left_to_the_reference_writer() -> None:
    from perfscore._load._facts import Claims

    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    claims = Claims({rubric.indicator_ids[0]: Decimal("0.5")}, Decimal(50), "差")
    deferred, eager = _both(rubric, document, claims=claims)
    assert _written_directly(deferred, 2) is None
    assert deferred.to_json() == eager.to_json() == _reference_json(eager, 2)


@pytest.mark.parametrize("read", sorted(DEFERRED))
def test_a_field_read_first_is_written_from_what_was_made(read: str) -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    for indent in (2, None):
        deferred, eager = _both(rubric, document.facts)
        getattr(deferred, read)
        assert _written_directly(deferred, indent) == _reference_json(eager, indent)
        assert deferred.to_json(indent=indent) == _reference_json(eager, indent)


def test_a_constant_step_changed_in_place_is_not_written_from_a_kept_text() -> None:
    # the words of a step are kept by the identity of its arguments: a rubric loaded again has
    # other objects, and its scorecards' texts are their own
    text = (EXAMPLES.parent / "rubric" / "dept-overall-huizhou" / "2022.1.yaml").read_text(
        encoding="utf-8"
    )
    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    first = perfscore.parse_rubric(text, name="a.yaml")
    second = perfscore.parse_rubric(text.replace("max: 5\n", "max: 5.0\n", 1), name="b.yaml")
    for rubric in (first, second, first):
        deferred, eager = _both(rubric, document.facts)
        assert deferred.to_json() == _reference_json(eager, 2)


@pytest.mark.properties
@_examples(60)
@given(_cases(), st.sampled_from(INDENTS), st.sets(st.sampled_from(sorted(DEFERRED))))
def test_random_scorecards_are_written_as_the_reference_writes_them(
    case: tuple[perfscore.Rubric, dict[str, object], dict[str, Any]],
    indent: int | None,
    read: set[str],
) -> None:
    rubric, facts, options = case
    try:
        deferred, eager = _both(rubric, facts, **options)
    except PerfscoreError:
        return  # errors: tests/test_deferred_scorecard.py
    expected = _reference_json(eager, indent)
    assert deferred.to_json(indent=indent) == expected
    assert deferred.to_json(indent=indent) == expected
    partly = _both(rubric, facts, **options)[0]
    for name in sorted(read):
        getattr(partly, name)
    assert partly.to_json(indent=indent) == expected
    assert partly == eager


@pytest.mark.properties
@_examples(200)
@given(_DATA)
def test_the_canonical_text_is_the_general_writers_with_the_key_order_kept(data: object) -> None:
    # the facts hash (in the JSON) is of the canonical text, whose key order is kept by the
    # tuple of a map's keys: a second text of the same shape is the general writer's too
    for document in ({"x": data, "y": [data]}, data):
        out: list[str] = []
        _write(document, out, None, True, 0)
        assert canonical_json(document) == "".join(out)
        assert canonical_json(document) == "".join(out)


def test_keys_that_are_not_text_never_share_a_kept_order() -> None:
    # (1,) == (True,): a kept order of either would write the other's key
    for document in ({1: "a"}, {True: "a"}, {1: "a"}, {1.0: "a"}):
        out: list[str] = []
        _write(document, out, None, True, 0)
        assert canonical_json(document) == "".join(out)


@pytest.mark.properties
@_examples(100)
@given(_cases())
def test_the_generated_canonical_writer_writes_the_general_writers_text(
    case: tuple[perfscore.Rubric, dict[str, object], dict[str, Any]],
) -> None:
    rubric, facts, _ = case
    write = _cardjson.canonical_writer(rubric.plan.facts)
    try:
        values = rubric.plan.validate(facts)
    except PerfscoreError:
        return
    text = write(values)
    # a value the happy path never gives (an unknown mark) is left to the general writer
    assert text in {None, canonical_json(values)}
    fast = rubric.plan.validate_fast(facts)
    if fast is not None:
        assert write(fast) == canonical_json(fast)
        assert _cardjson.facts_sha256(write, fast) == sha256_of(fast)


def test_the_generated_canonical_writer_leaves_what_it_does_not_know_to_the_general_one() -> None:
    import datetime as dt

    from perfscore._values import Records, Unknown
    from test_codegen_fast import HOSTILE_RUBRIC, VALID

    rubric = perfscore.parse_rubric(HOSTILE_RUBRIC, name="<hostile>")
    write = _cardjson.canonical_writer(rubric.plan.facts)
    values = rubric.plan.validate_fast({**VALID, "note": '引号" {x} }}'})
    assert values is not None
    assert write(values) == (
        '{"amount":12.5,"count":3,"day":"2022-03-01","done":true,"level":"a",'
        '"note":"引号\\" {x} }}","rate":99.99,"rows":[{"n":1}]}'
    )
    assert write({**values, "note": None}) == canonical_json({**values, "note": None})
    odd_rows = [{"n": Decimal(1)}]
    for odd in (
        {**values, "rate": Unknown("cut off")},  # a mark: the general writer writes it
        {**values, "done": 1},  # an int where a boolean goes
        {**values, "day": dt.datetime(2022, 3, 1, 1)},  # a time where a date goes
        {k: v for k, v in values.items() if k != "amount"},  # a key missing
        {**values, "extra": 1},  # a key the rubric does not declare
        {**{k: v for k, v in values.items() if k != "amount"}, "extra": 1},  # one for another
        {**values, "rows": Records([{"m": Decimal(1)}])},  # a field for another
        {**values, "rows": odd_rows},  # a list, not the validator's records
        {**values, "rows": Records([{"n": Decimal(1), "m": 2}])},  # a field too many
    ):
        with contextlib.suppress(KeyError):  # a key for another: facts_sha256 takes it as None
            assert write(odd) is None
        assert _cardjson.facts_sha256(write, odd) == sha256_of(odd)


def test_fixed_arguments_refuse_every_change_and_read_as_their_dict() -> None:
    import copy
    import pickle

    from perfscore._engine._trace import FixedArgs

    fixed = FixedArgs({"max": Decimal(5), "values": FixedArgs()})
    changes = [
        lambda: fixed.__setitem__("max", Decimal(6)),
        lambda: fixed.__delitem__("max"),
        lambda: fixed.update(max=Decimal(6)),
        lambda: fixed.pop("max"),
        fixed.popitem,
        fixed.clear,
        lambda: fixed.setdefault("other", 1),
        lambda: fixed.__ior__({"max": Decimal(6)}),
    ]
    for change in changes:
        with pytest.raises(TypeError, match="do not change"):
            change()
    assert fixed == {"max": Decimal(5), "values": {}}
    assert repr(fixed) == repr({"max": Decimal(5), "values": {}})
    for again in (pickle.loads(pickle.dumps(fixed)), copy.deepcopy(fixed), copy.copy(fixed)):  # noqa: S301
        assert type(again) is FixedArgs
        assert again == fixed


def test_a_step_of_constants_shares_its_arguments_between_runs() -> None:
    # the generated plan makes the arguments of a step that reads only constants once, so
    # the writer keeps that step's words by their identity: the same object in every run
    from perfscore._engine._run import complete
    from perfscore._engine._trace import FixedArgs

    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    document = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    values = rubric.plan.validate(document.facts)
    rubric.evaluate(document.facts)  # the generated plan is compiled at its first use
    traced = rubric.plan.fast["run_traced"]
    runs = [complete(traced(values, True)) for _ in range(2)]
    first, second = ({r.id: r.events for r in run.indicators} for run in runs)
    starts = [e for events in first.values() for e in events if e.phrase == "start_max"]
    assert starts
    assert all(type(e.args) is FixedArgs for e in starts)
    for leaf, events in first.items():
        for one, other in zip(events, second[leaf], strict=True):
            assert one == other
            assert (one.args is other.args) == (type(one.args) is FixedArgs)


def test_the_canonical_writers_source_reads_only_its_own_names() -> None:
    # what an auditor reads (`perfscore compile --show`): the keys only as escaped literals,
    # every name one the writer binds or is given
    import ast
    import re

    from test_codegen_fast import HOSTILE_RUBRIC

    for rubric in (
        perfscore.load_rubric("dept-overall-huizhou@2022.1"),
        perfscore.load_rubric("project-sheet-national@2020.2"),
        perfscore.parse_rubric(HOSTILE_RUBRIC, name="<hostile>"),
    ):
        source, namespace = _cardjson.canonical_source(rubric.plan.facts)
        tree = ast.parse(source)
        given = set(namespace) | {"type", "len", "bool", "str", "dict"}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                assert node.id in given or re.fullmatch(r"[Hxtrsv]\d*", node.id), node.id
            assert not isinstance(node, (ast.Import, ast.ImportFrom, ast.Attribute)) or (
                isinstance(node, ast.Attribute) and node.attr in {"isoformat", "append", "join"}
            ), ast.dump(node)
        heads = [n for n in tree.body if isinstance(n, ast.Assign)]
        assert heads  # each key's text a literal constant
        assert all(isinstance(h.value, ast.Constant) for h in heads)
