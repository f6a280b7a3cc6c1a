"""Fuzzing the readers of untrusted text: documents, facts documents, formulas.

Each target gets byte-level inputs (anything at all) and structure-aware ones (near-valid YAML,
facts documents for a real rubric, formulas of real tokens). Two promises hold for every input:
only a `PerfscoreError` escapes, and no input takes more than a second (timed here, per input,
on top of the library's own budgets).

The ``ci`` profile runs a few hundred inputs a target (seconds). The ``fuzz`` profile
(tests/conftest.py) runs FUZZ_EXAMPLES a target, over 100,000 in all::

    pytest -p no:randomly --hypothesis-profile fuzz tests/test_fuzz.py -s

and prints, per target, how many inputs ran, the time and the slowest input. An input a run
finds (an exception that is not a PerfscoreError, or a second spent) becomes a row of the
matching table in tests/test_hostile.py, so that it stays fixed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perfscore
from perfscore import PerfscoreError
from perfscore._lang._expr import compile_formula
from perfscore._load._document import parse_document
from perfscore._load._facts import read_facts_document
from perfscore._values import BOOL, DATE, NUMBER, TEXT, list_of, text_of
from perfscore.strategies import facts_for

#: The slowest any one input may be, in seconds.
BUDGET = 1.0

#: Inputs a target in the ``ci`` profile; every other profile uses its own max_examples.
CI_EXAMPLES = 100


def _settings() -> settings:
    name = settings.get_current_profile_name()
    profile = settings.get_profile(name if name != "default" else "ci")
    count = CI_EXAMPLES if name in ("ci", "default") else profile.max_examples
    return settings(
        profile,
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@dataclass
class Run:
    """What one target saw: inputs, total time, the slowest input and what escaped."""

    target: str
    inputs: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    slowest_input: object = None
    codes: set[str] = field(default_factory=set)

    def feed(self, action: Callable[[], object], data: object) -> None:
        """Run `action` on one input: a PerfscoreError is an answer; anything else escapes.

        An input over the budget is timed once more, and fails only when slow both times: a
        slow input is slow every time, a busy machine or a garbage collection only once.
        """
        took = self._timed(action)
        self.inputs += 1
        self.seconds += took
        if took > BUDGET:
            took = min(took, self._timed(action))
        if took > self.slowest:
            self.slowest, self.slowest_input = took, data
        assert took <= BUDGET, f"{self.target}: {took:.2f} s on {data!r:.300}"

    def _timed(self, action: Callable[[], object]) -> float:
        start = time.perf_counter()
        try:
            action()
        except PerfscoreError as exc:
            self.codes.add(exc.code)
        return time.perf_counter() - start

    def report(self) -> None:
        print(
            f"\nfuzz {self.target}: {self.inputs} inputs in {self.seconds:.1f} s, "
            f"slowest {self.slowest * 1000:.1f} ms ({self.slowest_input!r:.80}), "
            f"codes {sorted(self.codes)}"
        )


def fuzz(target: str, strategy: st.SearchStrategy[Any], action: Callable[[Any], object]) -> Run:
    """Feed `action` the inputs of `strategy` under the active profile; return the tally."""
    run = Run(target)

    @_settings()
    @given(strategy)
    def each(data: Any) -> None:
        run.feed(lambda: action(data), data)

    each()
    run.report()
    assert run.inputs > 0
    return run


# --------------------------------------------------------------------------- the document reader

_YAML_BITS = (
    "a: 1\n",
    "- x\n",
    "  ",
    "\t",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "'",
    '"',
    "&a ",
    "*a",
    "<<: *a\n",
    "? ",
    "!!python/object/apply:os.system ['id']",
    "!!binary aGk=",
    "!tag ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "|\n  ",
    ">-\n  ",
    "#",
    "\r\n",
    "\ufeff",
    "\u202e",
    "\x00",
    "1e999",
    "0x1F",
    "1_000",
    ".inf",
    "~",
    "null",
    "yes",
    "2022-01-30",
    "95.87",
    "\\u0000",
    "a" * 50,
    "[" * 20,
    "{a: " * 10,
    "- " * 15,
)

#: Near-valid YAML: snippets of YAML syntax in any order.
yaml_texts = st.lists(st.sampled_from(_YAML_BITS), max_size=40).map("".join)

_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def _dumped(value: object, fmt: str) -> str:
    return json.dumps(value) if fmt == "json" else yaml.safe_dump(value, allow_unicode=True)


#: Valid YAML and JSON of random data, cut or doubled somewhere (a truncated or pasted file).
@st.composite
def damaged_documents(draw: st.DrawFn) -> tuple[str, str]:
    fmt = draw(st.sampled_from(["yaml", "json"]))
    text = _dumped(draw(_JSONISH), fmt)
    cut = draw(st.integers(0, len(text)))
    how = draw(st.sampled_from(["whole", "cut", "double", "insert"]))
    if how == "cut":
        text = text[:cut]
    elif how == "double":
        text = text[:cut] + text
    elif how == "insert":
        text = text[:cut] + draw(st.sampled_from(_YAML_BITS)) + text[cut:]
    return text, fmt


def _read(data: bytes | str, fmt: str = "yaml") -> None:
    parse_document(data, name=f"f.{fmt}")


def test_the_document_reader_takes_any_bytes() -> None:
    fuzz("document bytes", st.binary(max_size=2000), _read)
    fuzz("document bytes as json", st.binary(max_size=2000), lambda b: _read(b, "json"))


def test_the_document_reader_takes_near_valid_yaml() -> None:
    fuzz("document yaml", yaml_texts, _read)
    fuzz("document damaged", damaged_documents(), lambda pair: _read(*pair))


# --------------------------------------------------------------------------- the facts validator

RUBRIC = perfscore.load_rubric("dept-overall-huizhou@2022.1")
_FACT_IDS = sorted(RUBRIC.model.facts)
#: The facts of the filed 2022 report, as the YAML reader gives them.
FILED: dict[str, object] = yaml.safe_load(
    (Path(__file__).parents[1] / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml").read_text(
        encoding="utf-8"
    )
)["facts"]


def _facts_values() -> st.SearchStrategy[object]:
    scalar = (
        st.none()
        | st.booleans()
        | st.integers(-(10**20), 10**20)
        | st.sampled_from(["95.87", "3703,85", "１００", "1e15", "1e16", "-0", "0.90", "nan"])
        | st.floats()
        | st.text(max_size=12)
        | st.dates().map(str)
    )
    return st.recursive(
        scalar,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["name", "n", "rate", "id", "__class__"]), inner, max_size=3
            )
        ),
        max_leaves=8,
    )


@st.composite
def facts_documents(draw: st.DrawFn) -> tuple[str, str]:
    """A facts document for the department rubric: valid facts, some of them replaced.

    Mostly the filed 2022 report's facts (cheap to draw), sometimes any valid facts.
    """
    if draw(st.integers(0, 9)):
        facts: dict[str, object] = dict(FILED)
    else:
        facts = dict(draw(facts_for(RUBRIC)))
    for key in draw(st.lists(st.sampled_from([*_FACT_IDS, "extra", "_x", "ａ"]), max_size=4)):
        facts[key] = draw(_facts_values())
    for key in draw(st.lists(st.sampled_from(_FACT_IDS), max_size=3)):
        facts.pop(key, None)
    head = draw(
        st.sampled_from(
            [
                {"rubric": "dept-overall-huizhou@2022.1"},
                {"rubric": "project-sheet-national@2020.1"},
                {"rubric": "nope@1"},
                {},
                {"rubric": 5},
                {"rubric": "dept-overall-huizhou@2022.1", "claimed": {"total": "x"}},
            ]
        )
    )
    fmt = draw(st.sampled_from(["yaml", "json"]))
    document = {**head, "facts": _plain(facts)}
    return _dumped(document, fmt), fmt


def _plain(value: object) -> object:
    """Facts as YAML/JSON writes them: Decimals and dates as text-free numbers and strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    text = str(value)
    try:
        return json.loads(text)
    except ValueError:
        return text


def _score(data: bytes | str, fmt: str = "yaml") -> None:
    facts = read_facts_document(parse_document(data, name=f"facts.{fmt}"))
    RUBRIC.evaluate(facts)


def test_the_facts_validator_takes_any_bytes() -> None:
    prefix = b"rubric: dept-overall-huizhou@2022.1\nfacts:\n  "
    fuzz("facts bytes", st.binary(max_size=1000).map(lambda b: prefix + b), _score)


def test_the_facts_validator_takes_damaged_facts_documents() -> None:
    fuzz("facts documents", facts_documents(), lambda pair: _score(*pair))


def test_evaluate_takes_any_python_facts() -> None:
    facts = st.dictionaries(st.sampled_from([*_FACT_IDS, "x"]), _facts_values(), max_size=8)
    fuzz("facts python", facts, RUBRIC.evaluate)


# --------------------------------------------------------------------------- the formula checker

NAMES = {
    "spent": NUMBER,
    "budget": NUMBER,
    "ok": BOOL,
    "day": DATE,
    "name": TEXT,
    "grade": text_of(frozenset({"优", "良"})),
    "rows": list_of({"n": NUMBER, "rate": NUMBER, "name": TEXT}),
}

_TOKENS = (
    *NAMES,
    "n",
    "rate",
    "0",
    "1",
    "0.5",
    "100",
    "1e15",
    "10**9",
    "'优'",
    "'a'",
    "+",
    "-",
    "*",
    "/",
    "%",
    "**",
    "//",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    ".",
    "==",
    "<",
    ">=",
    " and ",
    " or ",
    "not ",
    " if ",
    " else ",
    " for ",
    " in ",
    "lambda ",
    "abs",
    "min",
    "max",
    "clamp",
    "round",
    "floor",
    "ceil",
    "sum",
    "count",
    "mean",
    "weighted_mean",
    "given",
    "days_between",
    "__class__",
    "（",
    "＊",
    "\u200b",
)

formulas = st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join)


def _check(source: str) -> None:
    compile_formula(source, names=NAMES)


def test_the_formula_checker_takes_any_text() -> None:
    fuzz("formula text", st.text(max_size=300), _check)


def test_the_formula_checker_takes_token_soup() -> None:
    fuzz("formula tokens", formulas, _check)
