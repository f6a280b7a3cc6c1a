"""Hostile and careless inputs: each class of attack or accident, with the outcome promised.

Most classes are tables in the style of the CEL conformance tests and the JSON-Schema-Test-Suite
(docs/security.md): an input, and either the error code it must give or "scored within bounds".
A crash, a raw Python exception, a hang or a silently accepted input is a failure. Every
rejection is checked for its class (a PerfscoreError subclass), its code, and that ``str(err)``
names ``file:line`` where there is a file and the indicator where there is one.

Inputs that could cost memory or time if a guard regressed (formula bombs, alias bombs, deep
nesting, oversized files and lists, huge exponents) also run in a child process under
``RLIMIT_AS`` = 1 GiB and a timeout, so a regression fails instead of hanging CI.

Known holes are tests of the correct behaviour marked ``xfail(strict=True)`` with ``BUG:``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import resource
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perfscore
from perfscore import (
    DocumentError,
    ExpressionError,
    FactsError,
    PerfscoreError,
    RubricError,
    Scorecard,
    ScoringError,
)
from perfscore._load import _document

# --------------------------------------------------------------------------- the base rubric

BASE = """\
perfscore: 1
id: hostile
version: "1"
title: 恶意输入
facts:
  spent: {type: number, label: 决算数, min: 0}
  budget: {type: number, label: 预算数, min: 0}
  rate: {type: percent, label: 支出率}
  problems: {type: integer, label: 问题数, min: 0, max: 1000}
  ok: {type: boolean, label: 合规}
  name: {type: text, label: 名称}
  level: {type: enum, label: 程度, values: [achieved, partial, none]}
  day: {type: date, label: 批复日期}
  final: {type: number, label: 最终数}
  rows:
    type: list
    label: 明细
    max_items: 50
    fields:
      n: {type: integer, label: 份数, min: 0}
      v: {type: percent, label: 满意度}
groups:
  - id: g
    name: 组
    max: 10
    children:
      - id: x
        name: 指标
        max: 10
        formula: FORMULA
grades:
  - {grade: 优, min: 9}
  - {grade: 差}
"""

#: 1-based line of indicator x's formula in BASE.
FORMULA_LINE = BASE.splitlines().index("        formula: FORMULA") + 1

VALID: dict[str, object] = {
    "spent": Decimal("3551.12"),
    "budget": Decimal("3703.85"),
    "rate": Decimal("95.87"),
    "problems": 2,
    "ok": True,
    "name": "组织部",
    "level": "achieved",
    "day": "2022-01-30",
    "final": Decimal(7),
    "rows": [{"n": 48, "v": Decimal(100)}, {"n": 20, "v": Decimal(90)}],
}

FACTS_DOC = """\
rubric: hostile@1
facts:
  spent: 3551.12
  budget: 3703.85
  rate: 95.87
  problems: 2
  ok: true
  name: 组织部
  level: achieved
  day: 2022-01-30
  final: 7
  rows:
    - {n: 48, v: 100}
    - {n: 20, v: 90}
"""


def with_formula(formula: str, base: str = BASE) -> str:
    """BASE with `formula` as indicator x's formula, written as a JSON (= YAML) string."""
    return base.replace("FORMULA", json.dumps(formula, ensure_ascii=False))


def rubric(formula: str = "spent / budget * 10 if budget > 0 else 0") -> perfscore.Rubric:
    return perfscore.parse_rubric(with_formula(formula), name="r.yaml")


def rejected(
    action: Callable[[], object],
    code: str,
    *,
    cls: type[PerfscoreError] = PerfscoreError,
    where: str | None = None,
    subject: str | None = None,
    within: float = 1.0,
) -> PerfscoreError:
    """Run `action`; it must raise `cls` whose first problem has `code`, quickly: within
    `within` seconds of this process's CPU time (`cpu_seconds`), which other processes on a
    loaded machine do not inflate as they do the wall clock.

    `where` (``file`` or ``file:line``) and `subject` must appear in ``str(err)``.
    """
    start = cpu_seconds()
    with pytest.raises(PerfscoreError) as info:
        action()
    elapsed = cpu_seconds() - start
    err = info.value
    text = str(err)
    assert isinstance(err, cls), f"{type(err).__name__} is not a {cls.__name__}: {text}"
    assert err.code == code, text
    if where is not None:
        assert f"{where}:" in text, text
    if subject is not None:
        assert subject in text, text
    assert elapsed < within, f"rejection took {elapsed:.2f} s"
    return err


GIB = 1 << 30


def cpu_seconds() -> float:
    """The CPU time this process has used (user + system), in seconds.

    Time limits below are on CPU time, not the wall clock: under load (a CI runner or a shared
    machine) a refusal that takes 0.2 s of CPU can take seconds of wall time, while a bomb that
    is not refused early still burns its CPU and fails the limit.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def run_limited(args: list[str], *, timeout: float = 120, **kwargs: Any) -> Any:
    """Run a child Python under RLIMIT_AS = 1 GiB and a timeout."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
        check=False,
        **kwargs,
    )


# --------------------------------------------------------------------------- formulas (table)


@dataclass(frozen=True)
class F:
    """A formula that must be rejected at load with `code` (and `fragment` in the message)."""

    formula: str
    code: str
    fragment: str = ""
    dos: bool = False  # also run in the child process: would cost memory or time if run


FORMULAS: dict[str, F] = {
    # attribute and dunder access
    "mro walk": F("name.__class__.__mro__[1].__subclasses__()", "formula-forbidden"),
    "format walk": F("'{0.__class__}'.format(spent)", "formula-forbidden", "attribute"),
    "method on date": F("day.today()", "formula-forbidden", "attribute access"),
    "method on list": F("rows.clear()", "formula-forbidden", "attribute access"),
    # calls outside the allow-list
    "float": F("float(spent)", "unknown-function"),
    "open": F("open('/etc/passwd')", "unknown-function", "'open'"),
    "getattr": F("getattr(spent, 'real')", "unknown-function"),
    "keyword": F("max(spent, key=budget)", "formula-forbidden", "keyword arguments"),
    "starred": F("max(*rows)", "formula-forbidden", "unpacking"),
    "called result": F("(abs)(spent)(1)", "formula-forbidden", "calling the result"),
    # formatting
    "f-string width": F("f'{spent:>100000000}'", "formula-forbidden", "f-strings", dos=True),
    "percent format": F("'%d' % spent", "formula-forbidden", "'%'"),
    "percent bomb": F("'%0100000000d' % 1", "formula-forbidden", "'%'", dos=True),
    # methods on values
    "ljust bomb": F("'a'.ljust(10**9)", "formula-forbidden", "attribute", dos=True),
    "to_bytes bomb": F("(1).to_bytes(10**8, 'big')", "formula-forbidden", dos=True),
    "replace bomb": F("('a'*100000).replace('a', 'b'*100000)", "formula-forbidden", dos=True),
    # powers, repetition, comprehensions
    "huge power": F("4000000**4000000", "formula-forbidden", "'**' (power)", dos=True),
    "fractional power": F("spent ** 0.5", "formula-forbidden", "'**'"),
    "list repetition": F("[1] * 1000000000", "formula-forbidden", "list displays", dos=True),
    "text repetition": F("'a' * 1000000000", "formula-type", "multiply text", dos=True),
    "list comprehension": F("[x for x in rows]", "formula-forbidden", "comprehensions"),
    "generator": F("sum(x for x in rows)", "formula-forbidden", "comprehensions"),
    "set comprehension": F("{x for x in 'ab'}", "formula-forbidden", "comprehensions"),
    "doubling lists": F(
        "[l.extend(l) for l in [[1]] for x in 'a'*40]", "formula-forbidden", dos=True
    ),
    "lambda": F("(lambda: 1)()", "formula-forbidden", "lambda"),
    "walrus": F("(y := 1)", "formula-forbidden", "':='"),
    "assignment": F("spent = 5", "formula-syntax", "'=' assigns"),
    "augmented assignment": F("spent += 5", "formula-syntax"),
    "in": F("'a' in name", "formula-forbidden", "'in'"),
    "subscript": F("name[0]", "formula-forbidden", "subscripts"),
    "bitwise": F("spent & 1", "formula-forbidden", "'&'"),
    # nesting, length, literals
    "nested parentheses": F("(" * 300 + "1" + ")" * 300, "formula-too-complex", dos=True),
    "nested unary": F("-" * 1000 + "1", "formula-too-complex", "deeper than 40", dos=True),
    "nested not": F("not " * 300 + "ok", "formula-too-complex", dos=True),
    "nested calls": F("abs(" * 60 + "1" + ")" * 60, "formula-too-complex", "deeper"),
    "nested if": F("1 if ok else " * 150 + "0", "formula-too-complex", dos=True),
    "many nodes": F(
        "max(" + ", ".join(["1"] * 450) + ")", "formula-too-complex", "more than 400 parts"
    ),
    "very long": F("1 + " * 600 + "1", "formula-too-complex", "limit is 2000", dos=True),
    "long sum": F("+".join(["spent"] * 1000), "formula-too-complex", dos=True),
    "huge literal": F("9" * 31, "formula-too-complex", "number has 31 characters"),
    "huge literal text": F("9" * 5000, "formula-too-complex", dos=True),
    "long text literal": F("1 if name == '" + "a" * 201 + "' else 0", "formula-too-complex"),
    "hex": F("0x" + "f" * 100, "formula-forbidden", "not in base 10"),
    "exponent": F("1e309", "formula-forbidden", "exponent notation"),
    "imaginary": F("1j * 1j", "formula-forbidden", "imaginary"),
    "underscore digits": F("1_000", "formula-forbidden", "groups digits"),
    "leading zeros": F("007", "formula-syntax", "cannot start with 0"),
    "bare dot": F(".5", "formula-forbidden", "no digit before"),
    # formulas that would silently lose terms
    "semicolon": F("spent; - budget", "formula-syntax", "';' would start a second"),
    "hash": F("spent # - budget", "formula-forbidden", "'#'"),
    "carriage return": F("spent\r- budget", "formula-forbidden", "one line"),
    "line feed": F("spent\n- budget", "formula-forbidden", "one line"),
    "backslash": F("spent \\\n - budget", "formula-forbidden"),
    # identifiers that would read another name
    "fullwidth name": F("ｓｐｅｎｔ", "forbidden-character", "U+FF53"),
    "ligature": F("ﬁnal", "forbidden-character", "Python would read it as 'fi'"),
    "cjk compatibility": F("\uf900 + 1", "forbidden-character", "would read it as '\u8c48'"),
    "fullwidth parenthesis": F("（spent）", "forbidden-character", "U+FF08"),
    "fullwidth star": F("spent ＊ 2", "forbidden-character", "U+FF0A"),
    "fullwidth slash": F("spent ／ 2", "forbidden-character", "U+FF0F"),
    "times sign": F("spent × 2", "forbidden-character", "U+00D7"),
    "minus sign": F("spent − 1", "forbidden-character", "U+2212"),
    "ideographic space": F("spent\u3000+ 1", "forbidden-character", "U+3000"),
    "combining mark": F("spent\u0301", "forbidden-character"),
    # types, caught at load even where the facts would never lead
    "text plus number": F("spent if ok else name + 1", "formula-type", "add text and number"),
    "text compared": F("1 if name > 1 else 0", "formula-type", "compare text and number"),
    "text equals number": F("1 if name == 1 else 0", "formula-type", "text never equals"),
    "number as condition": F("1 if spent else 0", "formula-type", "must be bool"),
    "number and": F("1 if spent and ok else 0", "formula-type", "'and' needs a bool"),
    "not number": F("1 if not spent else 0", "formula-type"),
    "bool arithmetic": F("ok + 1", "formula-type", "a bool is not a number"),
    "bool result": F("ok", "formula-type", "gives bool, expected number"),
    "date arithmetic": F("day + 1", "formula-type", "cannot add date and number"),
    "date difference": F("day - day", "formula-type", "days(start, end)"),
    "enum typo": F("1 if level == 'achieve' else 0", "formula-type", "always False"),
    "bare list": F("rows", "formula-type", "can only be read by"),
    "unknown name": F("spnet", "unknown-name", "did you mean 'spent'"),
    "unknown field": F("sum(rows, x)", "unknown-field", "no field 'x'"),
    "arity": F("min(spent)", "formula-arguments", "at least 2 arguments"),
    "mean of text": F("mean(rows, name)", "unknown-field"),
    "unbalanced": F("(spent", "formula-syntax"),
}


@pytest.mark.parametrize("case", FORMULAS.values(), ids=FORMULAS.keys())
def test_hostile_formula_is_rejected_at_load(case: F) -> None:
    err = rejected(
        lambda: perfscore.parse_rubric(with_formula(case.formula), name="r.yaml"),
        case.code,
        cls=RubricError,
        where=f"r.yaml:{FORMULA_LINE}",
        subject="indicator 'x'",
    )
    assert case.fragment in str(err)


@pytest.mark.parametrize(
    ("formula", "hint"),
    [
        ("（spent）", "full-width '（' (U+FF08) where '(' was meant"),
        ("spent ＊ 2", "full-width '＊' (U+FF0A) where '*' was meant"),
        ("spent ／ 2", "full-width '／' (U+FF0F) where '/' was meant"),
        ("ｓｐｅｎｔ", "full-width 'ｓ' (U+FF53) where 's' was meant"),
        ("budgеt", "did you mean 'budget'?"),
    ],
)
def test_lookalike_characters_get_a_friendly_hint(formula: str, hint: str) -> None:
    err = rejected(
        lambda: rubric(formula), "unknown-name" if "е" in formula else "forbidden-character"
    )
    assert err.hint is not None
    assert hint in err.hint


def test_bidi_and_zero_width_characters_in_a_formula_are_document_errors() -> None:
    # a soft hyphen is as invisible (Unicode's category Cf): the document refuses it too
    for char in ("\u202e", "\u2066", "\u200b", "\u200f", "\u00ad"):
        text = with_formula(f"spent {char}+ 1")
        rejected(
            functools.partial(perfscore.parse_rubric, text, name="r.yaml"),
            "forbidden-character",
            cls=DocumentError,
            where=f"r.yaml:{FORMULA_LINE}",
        )


def test_non_ascii_inside_a_text_literal_is_fine() -> None:
    card = rubric("10 if name == '（组织部）' else 0").evaluate({**VALID, "name": "（组织部）"})
    assert card.total == 10


def test_yaml_block_scalars_cannot_split_a_formula() -> None:
    literal = BASE.replace(
        "        formula: FORMULA",
        "        formula: |\n          60 * spent / budget\n          - 100",
    )
    err = rejected(lambda: perfscore.parse_rubric(literal, name="r.yaml"), "formula-forbidden")
    assert "one line" in str(err)
    assert err.hint is not None
    assert "(|)" in err.hint
    folded = literal.replace("formula: |", "formula: >")  # folded: one line, both terms kept
    card = perfscore.parse_rubric(folded, name="r.yaml").evaluate(
        {**VALID, "spent": Decimal(100), "budget": Decimal(50)}
    )
    assert card.indicator("x").trace.steps[0].value == 20  # type: ignore[union-attr]


def test_formula_bombs_are_rejected_in_a_memory_limited_child() -> None:
    """Load each formula bomb (and, were one accepted, score it) under 1 GiB and a timeout."""
    cases = {name: with_formula(c.formula) for name, c in FORMULAS.items() if c.dos}
    results = _child({"kind": "rubrics", "cases": cases, "facts": FACTS_DOC})
    for name, case in FORMULAS.items():
        if case.dos:
            outcome, seconds = results[name]
            assert outcome == f"RubricError {case.code}", (name, outcome)
            assert seconds < 1.0, (name, seconds)


# --------------------------------------------------------------------------- concurrency


def test_one_rubric_scores_sixteen_threads_each_with_its_own_result() -> None:
    shared = perfscore.parse_rubric(
        with_formula("spent / budget * 10 if budget > 0 else 0").replace(
            "grades:",
            "checks:\n  - {id: c, when: problems > 3, message: '{problems} 个问题'}\ngrades:",
        ),
        name="r.yaml",
    )
    facts = [
        {**VALID, "spent": Decimal(i * 37), "budget": Decimal(400 + i), "problems": i}
        for i in range(16)
    ]
    expected = [shared.evaluate(f).to_json() for f in facts]
    barrier = threading.Barrier(16)
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            results[i] = [shared.evaluate(facts[i]).to_json() for _ in range(40)]
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    for i in range(16):
        assert set(results[i]) == {expected[i]}, f"thread {i} got another thread's result"


# --------------------------------------------------------------------------- YAML (table)


@dataclass(frozen=True)
class Doc:
    """A rubric text (or bytes) that must be refused with `code` at `line` (None: no line)."""

    text: str | bytes
    code: str
    line: int | None
    cls: type[PerfscoreError] = DocumentError
    fragment: str = ""


VALID_RUBRIC = with_formula("spent / budget * 10 if budget > 0 else 0")


def _edit(old: str, new: str) -> str:
    assert old in VALID_RUBRIC, old
    return VALID_RUBRIC.replace(old, new, 1)


_TITLE_LINE = 4
_SPENT_LINE = 6
_MAX_LINE = FORMULA_LINE - 1
_END = VALID_RUBRIC.count("\n") + 1  # the line after the last

DOCUMENTS: dict[str, Doc] = {
    # only safe loading; every explicit tag refused
    "python apply": Doc(
        "!!python/object/apply:os.system ['echo pwned']\n", "yaml-tag", 1, fragment="python"
    ),
    "python apply in a value": Doc(
        _edit("title: 恶意输入", "title: !!python/object/apply:os.system ['echo pwned']"),
        "yaml-tag",
        _TITLE_LINE,
    ),
    "python name": Doc(_edit("title: 恶意输入", "title: !!python/name:os.system"), "yaml-tag", 4),
    "include": Doc(_edit("title: 恶意输入", "title: !include other.yaml"), "yaml-tag", 4),
    "binary": Doc(_edit("title: 恶意输入", "title: !!binary aGk="), "yaml-tag", 4),
    "set": Doc(_edit("title: 恶意输入", "title: !!set {a, b}"), "yaml-tag", 4),
    "timestamp": Doc(_edit("title: 恶意输入", "title: !!timestamp 2022-01-30"), "yaml-tag", 4),
    "str tag": Doc(_edit("title: 恶意输入", "title: !!str 5"), "yaml-tag", 4),
    "omap": Doc(_edit("title: 恶意输入", "title: !!omap [a: 1]"), "yaml-tag", 4),
    # duplicate keys at every level
    "duplicate section": Doc(VALID_RUBRIC + "facts: {}\n", "duplicate-key", _END, fragment="facts"),
    "duplicate groups": Doc(VALID_RUBRIC + "groups: []\n", "duplicate-key", _END),
    "duplicate header": Doc(
        _edit('version: "1"', 'version: "1"\nversion: "2"'), "duplicate-key", 4
    ),
    "duplicate fact": Doc(
        _edit("  budget: {type", "  spent: {type"), "duplicate-key", 7, fragment="'spent'"
    ),
    "duplicate in flow": Doc(
        _edit("{type: number, label: 决算数", "{type: number, type: text, label: 决算数"),
        "duplicate-key",
        _SPENT_LINE,
    ),
    "duplicate max": Doc(
        _edit(
            "        max: 10\n        formula",
            "        max: 10\n        max: 1000\n        formula",
        ),
        "duplicate-key",
        FORMULA_LINE,
    ),
    "duplicate indicator id": Doc(
        _edit(
            "    max: 10\n    children:\n      - id: x",
            "    max: 15\n    children:\n      - {id: x, name: y, max: 5, formula: '1'}\n"
            "      - id: x",
        ),
        "duplicate-id",
        FORMULA_LINE - 3,
        RubricError,
    ),
    "duplicate group id": Doc(
        VALID_RUBRIC.replace(
            "grades:",
            "  - {id: g, name: h, max: 1, children: "
            "[{id: y, name: y, max: 1, formula: '1'}]}\ngrades:",
        ),
        "duplicate-id",
        _END - 3,
        RubricError,
    ),
    # anchors, aliases, merge keys
    "anchor": Doc(_edit("title: 恶意输入", "title: &t 恶意输入"), "yaml-alias", 4),
    "alias": Doc(_edit("title: 恶意输入", "title: &t 恶意输入\ndescription: *t"), "yaml-alias", 4),
    "merge key": Doc("a: {b: 1}\nc:\n  <<: {b: 2}\n", "yaml-alias", 3, fragment="merge key"),
    "billion laughs": Doc(
        "a: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(
            f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n"
            for p, k in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "yaml-alias",
        1,
    ),
    # documents, whitespace, keys, bytes
    "second document": Doc(VALID_RUBRIC + "---\nfacts: {}\n", "yaml-multiple-documents", _END),
    "tab indent": Doc(_edit("  budget:", "\tbudget:"), "yaml-syntax", 7, fragment="tabs"),
    "int key": Doc(_edit("  budget:", "  1:"), "non-string-key", 7, fragment="is a number"),
    "bool key": Doc(_edit("  budget:", "  yes_:\n  true:"), "non-string-key", 8),
    "null key": Doc(_edit("  budget:", "  ~:"), "non-string-key", 7),
    "decimal key": Doc(_edit("  budget:", "  1.5:"), "non-string-key", 7),
    "sequence key": Doc("? [a, b]\n: 1\n", "non-string-key", 1),
    "invalid utf-8": Doc(VALID_RUBRIC.encode() + b"\xff\xfe", "encoding", _END),
    "nul": Doc(VALID_RUBRIC.replace("恶意输入", "恶意\x00输入"), "forbidden-character", 4),
    "nul byte": Doc(
        VALID_RUBRIC.encode().replace(b"hostile", b"host\x00ile"), "forbidden-character", 2
    ),
    "escaped nul": Doc(_edit("title: 恶意输入", 'title: "恶意\\0输入"'), "forbidden-character", 4),
    "line separator": Doc(
        _edit("title: 恶意输入", "title: 恶意\u2028输入"), "forbidden-character", 4
    ),
    "too deep": Doc("a: " + "[" * 100 + "]" * 100 + "\n", "too-deep", 1),
    "too deep block": Doc(
        "".join("  " * i + f"k{i}:\n" for i in range(80)) + "  " * 80 + "v: 1\n", "too-deep", 65
    ),
    # YAML 1.1 readings are not numbers or booleans here
    "max yes": Doc(
        _edit("        max: 10\n        formula", "        max: yes\n        formula"),
        "invalid-type",
        _MAX_LINE,
        RubricError,
        "text 'yes'",
    ),
    "max octal": Doc(
        _edit("        max: 10\n        formula", "        max: 010\n        formula"),
        "invalid-type",
        _MAX_LINE,
        RubricError,
        "text '010'",
    ),
    "max sexagesimal": Doc(
        _edit("        max: 10\n        formula", "        max: 1:30\n        formula"),
        "invalid-type",
        _MAX_LINE,
        RubricError,
        "text '1:30'",
    ),
    "max exponent": Doc(
        _edit("        max: 10\n        formula", "        max: 1e1\n        formula"),
        "invalid-type",
        _MAX_LINE,
        RubricError,
        "text '1e1'",
    ),
    "max underscore": Doc(
        _edit("        max: 10\n        formula", "        max: 1_0\n        formula"),
        "invalid-type",
        _MAX_LINE,
        RubricError,
    ),
    "max hex": Doc(
        _edit("        max: 10\n        formula", "        max: 0xA\n        formula"),
        "invalid-type",
        _MAX_LINE,
        RubricError,
    ),
    "max inf": Doc(
        _edit("        max: 10\n        formula", "        max: .inf\n        formula"),
        "invalid-type",
        _MAX_LINE,
        RubricError,
    ),
    "max null": Doc(
        _edit("        max: 10\n        formula", "        max:\n        formula"),
        "invalid-type",
        _MAX_LINE,
        RubricError,
        "got nothing (null)",
    ),
    "max quoted": Doc(
        _edit("        max: 10\n        formula", '        max: "10"\n        formula'),
        "invalid-type",
        _MAX_LINE,
        RubricError,
        "text '10'",
    ),
    "max zero": Doc(
        _edit("        max: 10\n        formula", "        max: 0\n        formula"),
        "invalid-value",
        _MAX_LINE,
        RubricError,
    ),
    "max negative": Doc(
        _edit("        max: 10\n        formula", "        max: -10\n        formula"),
        "invalid-value",
        _MAX_LINE,
        RubricError,
    ),
    "version unquoted": Doc(
        _edit('version: "1"', "version: 2022.1"), "invalid-type", 3, RubricError, "expected text"
    ),
    "version with trailing zero": Doc(
        _edit('version: "1"', "version: 2022.10"), "invalid-type", 3, RubricError, "2022.10"
    ),
    "format as text": Doc(
        _edit("perfscore: 1", "perfscore: '1'"), "unsupported-format", 1, RubricError
    ),
    "language no": Doc(
        _edit("title: 恶意输入", "title: 恶意输入\nlanguage: no"), "invalid-value", 5, RubricError
    ),
}


@pytest.mark.parametrize("case", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_hostile_document_is_refused(case: Doc) -> None:
    where = "r.yaml" if case.line is None else f"r.yaml:{case.line}"
    err = rejected(
        lambda: perfscore.parse_rubric(case.text, name="r.yaml"),
        case.code,
        cls=case.cls,
        where=where,
    )
    assert case.fragment in str(err)


def test_duplicate_ids_name_the_indicator_and_both_places() -> None:
    err = rejected(
        lambda: perfscore.parse_rubric(DOCUMENTS["duplicate indicator id"].text, name="r.yaml"),
        "duplicate-id",
    )
    assert "indicator 'x'" in str(err)
    assert re.search(r"first at r\.yaml:\d+", str(err))


def test_decimals_keep_their_exact_text() -> None:
    text = _edit("  - {grade: 优, min: 9}", "  - {grade: 优, min: 9.10}")
    grade = perfscore.parse_rubric(text, name="r.yaml").model.grades[0].min
    assert str(grade) == "9.10"


def test_size_limit_is_checked_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_document, "MAX_BYTES", 500)
    rejected(
        lambda: perfscore.parse_rubric(VALID_RUBRIC, name="r.yaml"),
        "file-too-large",
        where="r.yaml",
    )
    rejected(lambda: perfscore.parse_rubric(VALID_RUBRIC.encode(), name="r.yaml"), "file-too-large")


def test_every_document_error_has_a_documented_code() -> None:
    documented = Path(__file__).parent.parent.joinpath("docs", "errors.md").read_text("utf-8")
    for case in DOCUMENTS.values():
        assert f"### {case.code}\n" in documented, case.code


# --------------------------------------------------------------------------- JSON


JSON_RUBRIC = json.dumps(
    {
        "perfscore": 1,
        "id": "hostile-json",
        "version": "1",
        "title": "JSON",
        "facts": {"a": {"type": "number", "label": "a"}, "b": {"type": "number", "label": "b"}},
        "groups": [
            {
                "id": "g",
                "name": "g",
                "max": 10,
                "children": [{"id": "x", "name": "x", "max": 10, "formula": "a + b"}],
            }
        ],
        "grades": [{"grade": "A"}],
    },
    indent=1,
    ensure_ascii=False,
)


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        (
            JSON_RUBRIC.replace('"version": "1",', '"version": "1", "version": "2",'),
            "duplicate-key",
            4,
        ),
        (JSON_RUBRIC.replace('"max": 10,', '"max": NaN,', 1), "json-syntax", None),
        (JSON_RUBRIC.replace('"max": 10,', '"max": Infinity,', 1), "json-syntax", None),
        (JSON_RUBRIC.replace('"max": 10,', '"max": ' + "9" * 41 + ",", 1), "json-syntax", None),
        (JSON_RUBRIC.replace('"max": 10,', '"max": 1e1,', 1), "invalid-type", None),
        (JSON_RUBRIC.replace('"max": 10,', '"max": "10",', 1), "invalid-type", None),
        (JSON_RUBRIC + "\n{}", "json-syntax", None),
        (JSON_RUBRIC[:-5], "json-syntax", None),
        ("[" * 100_000 + "]" * 100_000, "too-deep", None),
    ],
    ids=[
        "duplicate key",
        "NaN",
        "Infinity",
        "long integer",
        "exponent",
        "quoted number",
        "two values",
        "truncated",
        "deep",
    ],
)
def test_json_documents_have_the_same_guarantees(text: str, code: str, line: int | None) -> None:
    where = "r.json" if line is None else f"r.json:{line}"
    rejected(lambda: perfscore.parse_rubric(text, name="r.json"), code, where=where)


def test_json_decimals_are_exact() -> None:
    loaded = perfscore.parse_rubric(JSON_RUBRIC, name="r.json")
    card = loaded.evaluate({"a": Decimal("0.1"), "b": Decimal("0.2")})
    assert card.total == Decimal("0.3")
    doc = _document.parse_document('{"a": 0.1, "b": 1.10, "c": -0}', name="f.json")
    assert doc.data == {"a": Decimal("0.1"), "b": Decimal("1.10"), "c": 0}
    assert isinstance(doc.data, dict)
    assert str(doc.data["b"]) == "1.10"


# --------------------------------------------------------------------------- encodings


def test_bom_and_crlf_read_correctly_and_keep_line_numbers() -> None:
    text = "\ufeff" + with_formula("spnet").replace("\n", "\r\n")
    rejected(
        lambda: perfscore.parse_rubric(text.encode(), name="r.yaml"),
        "unknown-name",
        where=f"r.yaml:{FORMULA_LINE}",
    )
    ok = perfscore.parse_rubric(("\ufeff" + VALID_RUBRIC.replace("\n", "\r\n")).encode(), name="r")
    assert ok.sha256 == perfscore.parse_rubric(VALID_RUBRIC, name="r").sha256


def test_bom_and_crlf_facts_documents(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(("\ufeff" + FACTS_DOC.replace("\n", "\r\n")).encode())
    card = rubric().evaluate(perfscore.load_facts(path))
    assert card.indicator("x").score == rubric().evaluate(VALID).indicator("x").score


def test_gb18030_facts_name_the_encoding_and_read_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(FACTS_DOC.encode("gb18030"))
    err = rejected(
        lambda: perfscore.load_facts(path), "encoding", cls=DocumentError, where=str(path)
    )
    assert "GB18030" in str(err)
    assert err.hint is not None
    assert "iconv -f GB18030 -t UTF-8" in err.hint
    assert "--encoding gb18030" in err.hint
    facts = perfscore.load_facts(path, encoding="gb18030")
    assert facts.facts["name"] == "组织部"
    assert rubric().evaluate(facts).total == rubric().evaluate(VALID).total


def test_gb18030_facts_through_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(VALID_RUBRIC, encoding="utf-8")
    (tmp_path / "f.yaml").write_bytes(FACTS_DOC.encode("gb18030"))
    args = [
        "-m",
        "perfscore",
        "score",
        str(tmp_path / "f.yaml"),
        "--rubric",
        str(tmp_path / "r.yaml"),
        "--format",
        "json",
    ]
    refused = run_limited(args, timeout=120)
    assert refused.returncode == 2
    # under --format json the error is a JSON object on stderr
    assert json.loads(refused.stderr)["problems"][0]["code"] == "encoding"
    assert "Traceback" not in refused.stderr
    done = run_limited([*args, "--encoding", "gb18030"], timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == float(rubric().evaluate(VALID).total)


# --------------------------------------------------------------------------- facts (table)


@dataclass(frozen=True)
class V:
    """Python fact values that must be refused with `code` (and `hint` in the hint)."""

    facts: dict[Any, object]
    code: str
    hint: str = ""


_TZ = dt.timezone(dt.timedelta(hours=8))

FACT_VALUES: dict[str, V] = {
    "nan": V({"spent": Decimal("NaN")}, "not-finite"),
    "snan": V({"spent": Decimal("sNaN")}, "not-finite"),
    "infinity": V({"spent": Decimal("Infinity")}, "not-finite"),
    "minus infinity": V({"budget": Decimal("-Infinity")}, "not-finite"),
    "nan integer": V({"problems": Decimal("NaN")}, "not-finite"),
    "beyond plausible": V({"spent": Decimal("1e16")}, "out-of-bounds", ""),
    "far beyond plausible": V({"final": Decimal(-(10**40))}, "out-of-bounds"),
    "negative below min": V({"spent": Decimal("-0.01")}, "out-of-bounds"),
    "float": V({"spent": 3551.12}, "fact-type", "floats are inexact"),
    "number as text": V({"spent": "3551.12"}, "fact-type", "remove the quotes"),
    "bool as number": V({"spent": True}, "fact-type"),
    "number as bool": V({"ok": 1}, "fact-type"),
    "zero as bool": V({"ok": 0}, "fact-type"),
    "no": V({"ok": "no"}, "fact-type", "YAML 1.1"),
    "yes": V({"ok": "yes"}, "fact-type"),
    "true as text": V({"ok": "true"}, "fact-type"),
    "chinese no": V({"ok": "否"}, "fact-type", "write false for '否'"),
    "fullwidth digits": V({"spent": "３５５１"}, "fact-type", "ASCII digits"),
    "arabic-indic digits": V({"spent": "١٢٣"}, "fact-type", "ASCII digits"),
    "thousands separators": V({"spent": "3,551.12"}, "fact-type", "without thousands separators"),
    "decimal comma": V({"spent": "3703,85"}, "fact-type", "write 3703.85: use '.' as the decimal"),
    "full-width decimal comma": V({"spent": "3703，85"}, "fact-type", "not '，'"),
    "ideographic comma": V({"spent": "3703、85"}, "fact-type", "write 3703.85: use '.'"),
    "full-width thousands": V({"spent": "1，234，567"}, "fact-type", "write 1234567 without"),
    "one comma, three digits": V({"spent": "3,703"}, "fact-type", "write 3.703 (use '.' as the"),
    "unit suffix": V({"spent": "3551万元"}, "fact-type", "the unit is declared in the rubric"),
    "percent sign": V({"rate": "95.87%"}, "fact-type", "without '%'"),
    "underscores": V({"spent": "1_000"}, "fact-type", "without underscores"),
    "scientific": V({"spent": "1e3"}, "fact-type", "without an exponent"),
    "date with slashes": V({"day": "2022/01/30"}, "fact-type", "2022-01-30"),
    "day first": V({"day": "30-01-2022"}, "fact-type"),
    "no leading zeros": V({"day": "2022-1-5"}, "fact-type"),
    "impossible date": V({"day": "2022-02-30"}, "fact-type"),
    "date with time": V({"day": "2022-01-30T00:00:00"}, "fact-type"),
    "timezone-aware datetime": V({"day": dt.datetime(2022, 1, 30, tzinfo=_TZ)}, "fact-type"),
    "date as number": V({"day": 20220130}, "fact-type"),
    "english date": V({"day": "Jan 30 2022"}, "fact-type"),
    "integer with a fraction": V({"problems": Decimal("2.5")}, "fact-type", ""),
    "integer as text": V({"problems": "2"}, "fact-type"),
    "percent above": V({"rate": Decimal("100.01")}, "out-of-bounds", "percent units"),
    "percent below": V({"rate": Decimal("-1")}, "out-of-bounds"),
    "percent as fraction is fine but over": V({"rate": Decimal(9587)}, "out-of-bounds"),
    "integer above max": V({"problems": 1001}, "out-of-bounds"),
    "enum case": V({"level": "Achieved"}, "fact-type", "did you mean 'achieved'"),
    "enum chinese": V({"level": "达成"}, "fact-type"),
    "enum as a number": V({"level": 1}, "fact-type", "quote it: '1'"),
    "text as number": V({"name": 5}, "fact-type"),
    "text too long": V({"name": "x" * 20_001}, "out-of-bounds"),
    "null": V({"spent": None}, "fact-type"),
    "list over max_items": V({"rows": [{"n": 1, "v": 1}] * 51}, "out-of-bounds", ""),
    "list as mapping": V({"rows": {"n": 1, "v": 1}}, "fact-type"),
    "record not a mapping": V({"rows": [5]}, "fact-type"),
    "record field wrong": V({"rows": [{"n": "1", "v": 1}]}, "fact-type"),
    "record field float": V({"rows": [{"n": 1, "v": 1.5}]}, "fact-type"),
    "record field missing": V({"rows": [{"n": 1}]}, "missing-fact"),
    "record field unknown": V({"rows": [{"n": 1, "v": 1, "m": 2}]}, "unknown-fact"),
    "homoglyph fact": V({"budgеt": Decimal(1)}, "unknown-fact", "did you mean 'budget'?"),
    "fullwidth fact": V({"ｓｐｅｎｔ": Decimal(1)}, "unknown-fact"),
    "non-string key": V({1: Decimal(1)}, "unknown-fact"),
}


@pytest.mark.parametrize("case", FACT_VALUES.values(), ids=FACT_VALUES.keys())
def test_hostile_fact_values_are_refused(case: V) -> None:
    facts = {**VALID, **case.facts}
    err = rejected(lambda: rubric().evaluate(facts), case.code, cls=FactsError, where="facts")
    assert len(err.problems) == 1, str(err)
    assert case.hint in (err.hint or ""), err.hint
    assert len(str(err)) < 2000, "messages show values shortened"


def test_missing_fact_names_it() -> None:
    facts = {k: v for k, v in VALID.items() if k != "budget"}
    err = rejected(lambda: rubric().evaluate(facts), "missing-fact", cls=FactsError)
    assert "'budget'" in str(err)


def test_a_100000_record_list_is_refused_fast() -> None:
    rows = [{"n": 1, "v": Decimal(1)}] * 100_000
    rejected(lambda: rubric().evaluate({**VALID, "rows": rows}), "out-of-bounds", within=0.5)


@pytest.mark.parametrize(
    ("line", "code", "hint"),
    [
        ("  ok: no", "fact-type", "YAML 1.1"),
        ("  ok: yes", "fact-type", "YAML 1.1"),
        ("  ok: 1", "fact-type", "true or false"),
        ("  spent: 3,551.12", "fact-type", "thousands separators"),
        ("  spent: 3703,85", "fact-type", "write 3703.85: use '.' as the decimal point"),
        ("  spent: 3703，85", "fact-type", "write 3703.85: use '.' as the decimal point"),
        ("  spent: '3551.12'", "fact-type", "remove the quotes"),
        ("  spent: 3551万元", "fact-type", "unit"),
        ("  spent: ３５５１", "fact-type", "ASCII digits"),
        ("  spent: 1e3", "fact-type", "exponent"),
        ("  spent: 1_000", "fact-type", "underscores"),
        ("  spent: 010", "fact-type", ""),
        ("  spent: 1:30", "fact-type", ""),
        ("  spent: .nan", "fact-type", ""),
        ("  spent: -1", "out-of-bounds", ""),
        ("  spent: 9999999999999999", "out-of-bounds", ""),
        ("  day: 2022/01/30", "fact-type", "2022-01-30"),
        ("  day: 2022-01-30 10:00:00", "fact-type", ""),
        ("  day: 2022-01-30T00:00:00+08:00", "fact-type", ""),
        ("  rate: 9587", "out-of-bounds", "percent units"),
        ("  budgеt: 1", "unknown-fact", "did you mean 'budget'?"),
        ("  level: Achieved", "fact-type", "did you mean 'achieved'?"),
        ("  problems: 2.5", "fact-type", ""),
    ],
)
def test_hostile_facts_documents_point_at_the_line(
    tmp_path: Path, line: str, code: str, hint: str
) -> None:
    key = line.split(":", maxsplit=1)[0]
    lines = FACTS_DOC.splitlines()
    if key.strip() in VALID:
        index = next(i for i, text in enumerate(lines) if text.startswith(key + ":"))
        lines[index] = line
    else:  # an extra key
        index = len(lines)
        lines.append(line)
    path = tmp_path / "f.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = rejected(lambda: rubric().evaluate(perfscore.load_facts(path)), code, cls=FactsError)
    problem = next(p for p in err.problems if p.code == code)
    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == (str(path), index + 1)
    assert hint in (problem.hint or "") + problem.message


def test_yaml_decimal_text_stays_exact_in_facts(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(FACTS_DOC.replace("  final: 7", "  final: 1.10"), encoding="utf-8")
    card = rubric("final").evaluate(perfscore.load_facts(path))
    assert card.indicator("x").score == Decimal("1.10")
    assert card.indicator("x").trace.inputs == {"final": Decimal("1.10")}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "formula", ["-spent", "0 - spent", "spent * -1", "-(spent / 3)", "round(-spent, 0.5)"]
)
def test_negative_zero_is_never_printed(formula: str) -> None:
    loaded = rubric(formula)
    card = loaded.evaluate({**VALID, "spent": Decimal("-0"), "final": Decimal("-0.000")})
    for text in (card.to_json(), card.explain(), card.to_markdown()):
        assert not re.search(r"(?<![\w.])-0(?![\w.])", text), text
    assert card.total == 0
    assert str(card.total) == "0"


# --------------------------------------------------------------------------- rubric semantics


def test_division_by_zero_names_indicator_formula_and_values() -> None:
    loaded = rubric("spent / budget * 10")
    err = rejected(
        lambda: loaded.evaluate({**VALID, "spent": Decimal(5), "budget": Decimal(0)}),
        "zero-division",
        cls=ExpressionError,
        where=f"r.yaml:{FORMULA_LINE}",
        subject="indicator 'x'",
    )
    assert "spent / budget * 10" in str(err)
    assert "spent=5, budget=0" in str(err)
    err = rejected(
        lambda: loaded.evaluate({**VALID, "spent": Decimal(0), "budget": Decimal(0)}),
        "invalid-operation",
        cls=ExpressionError,
        where=f"r.yaml:{FORMULA_LINE}",
        subject="indicator 'x'",
    )
    assert "spent=0, budget=0" in str(err)


@pytest.mark.parametrize(
    ("formula", "facts", "code"),
    [
        ("mean(rows, v)", {"rows": []}, "invalid-operation"),
        ("weighted_mean(rows, v, n)", {"rows": [{"n": 0, "v": Decimal(5)}]}, "zero-division"),
        ("spent / (budget - budget)", {}, "zero-division"),
        ("ceil(spent, final - final)", {}, "invalid-operation"),
        ("clamp(spent, final, 0)", {}, "invalid-operation"),
    ],
)
def test_runtime_arithmetic_errors_are_scoring_errors(
    formula: str, facts: dict[str, object], code: str
) -> None:
    loaded = rubric(formula)
    rejected(
        lambda: loaded.evaluate({**VALID, **facts}),
        code,
        cls=ScoringError,
        where=f"r.yaml:{FORMULA_LINE}",
        subject="indicator 'x'",
    )


def _method(body: str) -> str:
    """BASE with indicator x scored by a method written as YAML lines under the indicator."""
    return BASE.replace("        formula: FORMULA", body)


def test_ratio_with_zero_target_names_both_values() -> None:
    loaded = perfscore.parse_rubric(
        _method("        ratio: {actual: spent, target: budget}"), name="r.yaml"
    )
    err = rejected(
        lambda: loaded.evaluate({**VALID, "budget": Decimal(0)}),
        "zero-division",
        cls=ScoringError,
        where="r.yaml",
        subject="indicator 'x'",
    )
    assert "budget = 0" in str(err)


def test_negative_deduction_is_refused_at_run_time_and_load_time() -> None:
    loaded = perfscore.parse_rubric(
        _method(
            "        checklist:\n"
            "          items:\n"
            "            - {id: over, when: ok, points: spent - budget, reason: 超支}"
        ),
        name="r.yaml",
    )
    err = rejected(
        lambda: loaded.evaluate(VALID),
        "invalid-operation",
        cls=ScoringError,
        where="r.yaml",
        subject="indicator 'x'",
    )
    assert "'over'" in str(err)
    assert "negative" in str(err)
    rejected(
        lambda: perfscore.parse_rubric(
            _method("        per_unit: {measure: spent, points: -1}"), name="r.yaml"
        ),
        "invalid-value",
        cls=RubricError,
        where="r.yaml",
        subject="indicator 'x'",
    )


def test_band_gap_without_otherwise_is_a_no_band_error() -> None:
    loaded = perfscore.parse_rubric(
        _method(
            "        bands:\n"
            "          measure: rate\n"
            "          table:\n"
            "            - {range: '[90, 100]', score: 10}\n"
            "            - {range: '[0, 80)', score: 5}"
        ),
        name="r.yaml",
    )
    err = rejected(
        lambda: loaded.evaluate({**VALID, "rate": Decimal(85)}),
        "no-band",
        cls=ScoringError,
        where="r.yaml",
        subject="indicator 'x'",
    )
    assert "rate = 85" in str(err)
    rejected(lambda: loaded.evaluate({**VALID, "rate": Decimal(80)}), "no-band")  # [0, 80) ends


@pytest.mark.parametrize(
    ("derived", "code", "fragment"),
    [
        (
            "  a: {formula: b + 1, label: a}\n  b: {formula: a + 1, label: b}\n",
            "cycle",
            "a -> b -> a",
        ),
        ("  a: {formula: a + 1, label: a}\n", "cycle", "a -> a"),
        (
            "  a: {formula: b, label: a}\n"
            "  b: {formula: c, label: b}\n"
            "  c: {formula: a, label: c}\n",
            "cycle",
            "a -> b -> c -> a",
        ),
        ("  spent: {formula: budget * 2, label: 遮蔽}\n", "shadowed-name", "same id as a fact"),
    ],
)
def test_derived_cycles_and_shadowing_are_load_errors(
    derived: str, code: str, fragment: str
) -> None:
    text = VALID_RUBRIC.replace("groups:", "derived:\n" + derived + "groups:")
    err = rejected(
        lambda: perfscore.parse_rubric(text, name="r.yaml"), code, cls=RubricError, where="r.yaml"
    )
    assert fragment in str(err)


@pytest.mark.parametrize(
    ("formula", "spent", "score", "clamp"),
    [("spent", Decimal(50), Decimal(10), "上限"), ("0 - spent", Decimal(50), Decimal(0), "下限")],
)
def test_scores_outside_bounds_are_clamped_and_the_clamp_is_traced(
    formula: str, spent: Decimal, score: Decimal, clamp: str
) -> None:
    card = rubric(formula).evaluate({**VALID, "spent": spent})
    ind = card.indicator("x")
    assert ind.score == score
    assert ind.trace is not None
    assert [s.kind for s in ind.trace.steps] == ["start", "clamp"]
    assert ind.trace.steps[0].value == (spent if score else -spent)
    assert clamp in ind.trace.steps[1].detail or ind.trace.steps[1].rule == "clamp"


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (("        max: 10\n        formula", "        max: 11\n        formula"), "group-sum"),
        (
            (
                "  - {grade: 优, min: 9}\n  - {grade: 差}",
                "  - {grade: 差}\n  - {grade: 优, min: 9}",
            ),
            "missing-key",
        ),
        (
            (
                "  - {grade: 优, min: 9}\n  - {grade: 差}",
                "  - {grade: 优, min: 9}\n  - {grade: 差, min: 5}",
            ),
            "invalid-value",
        ),
        (
            (
                "  - {grade: 优, min: 9}\n  - {grade: 差}",
                "  - {grade: 优, min: 9}\n  - {grade: 良, min: 9}\n  - {grade: 差}",
            ),
            "invalid-value",
        ),
        (('        formula: "spent', '        formual: "spent'), "unknown-key"),
    ],
    ids=["group sum", "grade order", "grade gap", "same min", "typo key"],
)
def test_structural_mistakes_are_load_errors(edit: tuple[str, str], code: str) -> None:
    rejected(
        lambda: perfscore.parse_rubric(_edit(*edit), name="r.yaml"),
        code,
        cls=RubricError,
        where="r.yaml",
    )


def test_checks_and_checklist_conditions_must_be_boolean() -> None:
    checklist = _method(
        "        checklist:\n"
        "          items:\n"
        "            - {id: i, when: spent, points: 1, reason: r}"
    )
    rejected(
        lambda: perfscore.parse_rubric(checklist, name="r.yaml"),
        "formula-type",
        cls=RubricError,
        where="r.yaml",
        subject="indicator 'x', item 'i'",
    )
    check = VALID_RUBRIC.replace(
        "grades:", "checks:\n  - {id: c, when: spent, message: m}\ngrades:"
    )
    rejected(
        lambda: perfscore.parse_rubric(check, name="r.yaml"),
        "formula-type",
        cls=RubricError,
        where="r.yaml",
        subject="check 'c'",
    )


# --------------------------------------------------------------------------- closed holes


def test_a_huge_exponent_fact_is_refused() -> None:
    outcome = _child(
        {"kind": "facts", "cases": {"huge": {"spent": "1e999999999"}}, "rubric": VALID_RUBRIC}
    )["huge"]
    assert outcome[0] == "FactsError out-of-bounds", outcome


def test_a_huge_fact_gives_a_short_message() -> None:
    err = rejected(
        lambda: rubric().evaluate({**VALID, "spent": Decimal("1e999999")}), "out-of-bounds"
    )
    assert len(str(err)) < 2000


RECORDS_RUBRIC = """\
perfscore: 1
id: records
version: "1"
title: 项目支出
facts:
  rows:
    type: list
    label: 明细
    fields:
      name: {type: text, label: 名称}
      points: {type: number, label: 分值, min: 0}
      level: {type: enum, label: 程度, values: [达成, 未达成], required: false}
groups:
  - id: out
    name: 产出
    max: 10
    records:
      list: rows
      name: name
      max: points
      rules:
        qualitative:
          tiers:
            level: level
            table:
              - {level: 达成, range: "[80, 100]", default: 100}
              - {level: 未达成, range: "[0, 80)", default: 0}
grades:
  - {grade: A}
"""


def test_a_record_without_its_optional_tier_level_is_a_perfscore_error() -> None:
    loaded = perfscore.parse_rubric(RECORDS_RUBRIC, name="rec.yaml")
    card = loaded.evaluate({"rows": [{"name": "a", "points": Decimal(10), "level": "达成"}]})
    assert card.indicator("out.1").score == 10  # 达成 defaults to 100% of the row's 10 points
    with pytest.raises(PerfscoreError) as info:
        loaded.evaluate({"rows": [{"name": "a", "points": Decimal(10)}]})
    assert info.value.code == "missing-value"


def test_an_absent_optional_tier_level_is_a_perfscore_error() -> None:
    text = _method(
        "        tiers:\n"
        "          level: level\n"
        "          table:\n"
        "            - {level: achieved, range: '[80, 100]', default: 100}\n"
        "            - {level: partial, range: '[60, 80)', default: 70}\n"
        "            - {level: none, range: '[0, 60)', default: 0}"
    ).replace(
        "values: [achieved, partial, none]}", "values: [achieved, partial, none], required: false}"
    )
    facts = {k: v for k, v in VALID.items() if k != "level"}
    with pytest.raises(PerfscoreError) as info:  # refusing the rubric at load is a fine fix too
        perfscore.parse_rubric(text, name="r.yaml").evaluate(facts)
    assert isinstance(info.value, perfscore.RubricError) or info.value.code == "missing-value"


@pytest.mark.parametrize("text", ["a\x00b", "\u202eabc", "x\u200by", "\x1b[31m"])
def test_control_characters_in_text_facts_are_refused(text: str) -> None:
    with pytest.raises(FactsError) as info:
        rubric().evaluate({**VALID, "name": text})
    assert [p.code for p in info.value.problems] == ["forbidden-character"]


@pytest.mark.parametrize("text", ["0", "999", "18.5", '"', "\\u0000", "{}"])
def test_text_that_looks_like_json_stays_text_in_the_scorecard(text: str) -> None:
    card = rubric("10 if name == 'x' else 0").evaluate({**VALID, "name": text})
    data = json.loads(card.to_json())
    assert data["indicators"][0]["trace"]["inputs"]["name"] == text
    assert Scorecard.model_validate_json(card.to_json()) == card


@pytest.mark.parametrize("value", ["no", "'off'", "0", "'yes'"])
def test_yaml_11_booleans_are_not_booleans_in_rubric_keys(value: str) -> None:
    text = VALID_RUBRIC.replace(
        "  name: {type: text, label: 名称}",
        f"  name: {{type: text, label: 名称, required: {value}}}",
    )
    rejected(lambda: perfscore.parse_rubric(text, name="r.yaml"), "invalid-type", where="r.yaml:11")


@pytest.mark.parametrize("value", ["'10'", "10.0"])
def test_quoted_numbers_are_not_integers_in_rubric_keys(value: str) -> None:
    text = VALID_RUBRIC.replace("    max_items: 50", f"    max_items: {value}")
    rejected(lambda: perfscore.parse_rubric(text, name="r.yaml"), "invalid-type", where="r.yaml:18")


# --------------------------------------------------------------------------- child process


def _build_child_case(spec: str) -> str:
    """Inputs too big to pass around, built in the child from their name."""
    if spec == "billion-laughs":
        return DOCUMENTS["billion laughs"].text  # type: ignore[return-value]
    if spec == "deep-flow":
        return "a: " + "[" * 100_000 + "]" * 100_000
    if spec == "deep-block":
        return "".join(" " * i + "k:\n" for i in range(1000)) + " " * 1000 + "v\n"
    if spec == "over-5-mib":
        return "a: " + "x" * (5 * 1024 * 1024 + 10)
    if spec == "many-nodes":
        return "[" + "1," * 250_000 + "1]"
    if spec == "long-scalar":
        return "a: '" + "x" * (4 * 1024 * 1024) + "'"
    raise ValueError(spec)


CHILD_DOCUMENTS = {
    "billion-laughs": ("DocumentError yaml-alias", 1.0),
    "deep-flow": ("DocumentError too-deep", 1.0),
    "deep-block": ("DocumentError too-deep", 2.0),
    "over-5-mib": ("DocumentError file-too-large", 1.0),
    "many-nodes": ("DocumentError too-many-nodes", 5.0),
    "long-scalar": ("RubricError missing-key", 2.0),
}

CHILD_FACTS = {
    "list of 100000": ({"rows": "100000 records"}, "FactsError out-of-bounds", 1.0),
    "text of 10 MB": ({"name": "10 MB text"}, "FactsError out-of-bounds", 1.0),
    "number as 4 MB text": ({"spent": "4 MB digits"}, "FactsError fact-type", 2.0),
}


def _child_facts(spec: dict[str, str]) -> dict[str, object]:
    facts = dict(VALID)
    for key, value in spec.items():
        if value == "100000 records":
            facts[key] = [{"n": 1, "v": Decimal(1)}] * 100_000
        elif value == "10 MB text":
            facts[key] = "x" * 10_000_000
        elif value == "4 MB digits":
            facts[key] = "1" * 4_000_000 + "  "
        else:
            facts[key] = Decimal(value)
    return facts


def test_the_time_limits_count_cpu_work_and_not_waiting() -> None:
    # the limits below are CPU seconds: a wait (another process holding the core) adds
    # nothing, work adds its own time, so a bomb that is not refused early still fails them
    start = cpu_seconds()
    threading.Event().wait(0.3)
    assert cpu_seconds() - start < 0.1
    start = cpu_seconds()
    total = 0
    while cpu_seconds() - start < 0.2:
        total += sum(range(10_000))
    assert total > 0
    assert cpu_seconds() - start >= 0.2


def test_resource_bombs_are_refused_in_a_memory_limited_child() -> None:
    docs = _child({"kind": "documents", "cases": list(CHILD_DOCUMENTS)})
    for name, (expected, seconds) in CHILD_DOCUMENTS.items():
        assert docs[name][0] == expected, (name, docs[name])
        assert docs[name][1] < seconds, (name, docs[name])
    facts = _child(
        {
            "kind": "facts",
            "rubric": VALID_RUBRIC,
            "cases": {name: spec for name, (spec, _, _) in CHILD_FACTS.items()},
        }
    )
    for name, (_, expected, seconds) in CHILD_FACTS.items():
        assert facts[name][0] == expected, (name, facts[name])
        assert facts[name][1] < seconds, (name, facts[name])


def _child(request: dict[str, Any]) -> dict[str, tuple[str, float]]:
    """Run `request` in `python tests/test_hostile.py --child` under 1 GiB; collect outcomes."""
    done = run_limited(
        [__file__, "--child"],
        input=json.dumps(request),
        timeout=300,
        cwd=Path(__file__).parent.parent,
    )
    results: dict[str, tuple[str, float]] = {}
    for line in done.stdout.splitlines():
        name, outcome, seconds = json.loads(line)
        results[name] = (outcome, seconds)
    assert done.returncode == 0, (done.stderr[-3000:], results)
    return results


def _outcome(action: Callable[[], object]) -> str:
    try:
        result = action()
    except PerfscoreError as exc:
        return f"{type(exc).__name__} {exc.code}"
    except BaseException as exc:  # noqa: BLE001 - reporting any escape is the point
        return f"RAW {type(exc).__name__}: {str(exc)[:200]}"
    return "scored" if isinstance(result, Scorecard) else "loaded"


def _load_and_score(text: str) -> object:
    return perfscore.parse_rubric(text, name="r.yaml").evaluate(VALID)  # only if a bomb loaded


def _child_main() -> None:
    request = json.loads(sys.stdin.read())
    kind = request["kind"]
    for name in request["cases"]:
        start = cpu_seconds()
        act: Callable[[], object]
        if kind == "rubrics":
            act = functools.partial(_load_and_score, request["cases"][name])
        elif kind == "documents":
            act = functools.partial(perfscore.parse_rubric, _build_child_case(name), name="r.yaml")
        else:
            loaded = perfscore.parse_rubric(request["rubric"], name="r.yaml")
            act = functools.partial(loaded.evaluate, _child_facts(request["cases"][name]))
        outcome = _outcome(act)
        print(json.dumps([name, outcome, cpu_seconds() - start]), flush=True)


if __name__ == "__main__" and sys.argv[1:] == ["--child"]:
    _child_main()


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("  spent: {type: number", "  __class__: {type: number", 6),
        ("  - id: g\n", "  - id: _g\n", 23),
        ("      - id: x\n", "      - id: __init__\n", 27),
        ("      n: {type: integer", "      _n: {type: integer", 20),
        ("  spent: {type: number", "  _spent: {type: number", 6),
    ],
    ids=["fact __class__", "group", "indicator", "record field", "fact _spent"],
)
def test_ids_must_not_start_with_an_underscore(old: str, new: str, line: int) -> None:
    text = with_formula("1").replace(old, new)
    assert text != with_formula("1")
    err = rejected(
        lambda: perfscore.parse_rubric(text, name="r.yaml"),
        "invalid-id",
        cls=RubricError,
        where=f"r.yaml:{line}",
    )
    assert "starts with '_'; an id starts with a letter" in str(err)


def test_bundled_rubrics_have_no_underscore_ids() -> None:
    for ref in perfscore.bundled_rubrics():
        assert perfscore.load_rubric(ref).id == ref.partition("@")[0]
