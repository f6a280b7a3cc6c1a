"""The generated fast path of the formulas scores exactly like the interpreter.

`perfscore._engine._codegen` turns each checked formula into Python at load; the interpreter
(simpleeval over the same tree) stays the reference and takes over whenever the fast path
meets anything unusual. Each test here loads a rubric twice, once with the fast path and once
without it (`uninstall`), and compares everything a user sees: the JSON of the scorecard
(scores, traces, warnings, review) or the error (type, code, location, message, details). The
``ci`` profile runs a short sample; ``--hypothesis-profile long`` runs 10,000 examples a
property.
"""

from __future__ import annotations

import ast
import decimal
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import perfscore
from _differential import examples as _examples
from perfscore import PerfscoreError
from perfscore._engine._codegen import _code, enabled, formulas_of, generate, uninstall
from perfscore._engine._finish import canon
from perfscore._engine._plancode import _by_text, _steps
from perfscore._engine._run import RunResult, complete
from perfscore._engine._run import run as run_plan
from perfscore._numbers import CONTEXT
from perfscore._output._scorecard import _parts_of
from perfscore._values import Unknown
from perfscore.strategies import facts_for, invalid_facts_for, rubrics

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"

#: Tests of the installed fast path itself: with ``PERFSCORE_CODEGEN=0`` nothing is installed at
#: load (the interpreter alone runs, as `test_the_interpreter_switch_installs_nothing` checks),
#: so they have nothing to test.
needs_codegen = pytest.mark.skipif(
    not enabled(), reason="PERFSCORE_CODEGEN=0: no generated function is installed at load"
)


def _pair(text: str) -> tuple[perfscore.Rubric, perfscore.Rubric]:
    """The rubric with its generated fast path, and the same rubric on the interpreter."""
    compiled = perfscore.parse_rubric(text, name="<rubric>")
    reference = perfscore.parse_rubric(text, name="<rubric>")
    uninstall(reference.plan)
    return compiled, reference


def _outcome(
    rubric: perfscore.Rubric, facts: object, trace: bool, na: Iterable[str] = ()
) -> tuple[object, ...]:
    try:
        card = rubric.evaluate(facts, trace=trace, not_applicable=tuple(na))  # type: ignore[arg-type]
    except PerfscoreError as exc:
        problems = tuple(
            (p.code, str(p.location), p.message, p.subject, p.hint, p.details) for p in exc.problems
        )
        return ("error", type(exc).__name__, str(exc), problems)
    return ("scored", card.to_json(), card.explain())


@st.composite
def _case(draw: st.DrawFn, valid: bool) -> tuple[str, object, list[str]]:
    text = draw(rubrics())
    note(text)
    probe = perfscore.parse_rubric(text, name="<rubric>")
    if valid:
        facts: object = draw(facts_for(probe))
    else:
        facts, _code = draw(invalid_facts_for(probe))
    ids = [
        i for i in probe.indicator_ids if probe.plan.not_applicable(i) not in (None, "forbidden")
    ]
    na = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)) if ids else []
    return text, facts, na


@pytest.mark.properties
@_examples(60)
@given(_case(valid=True), st.booleans())
def test_compiled_and_reference_agree_on_valid_facts(
    case: tuple[str, object, list[str]], trace: bool
) -> None:
    text, facts, na = case
    compiled, reference = _pair(text)
    assert _outcome(compiled, facts, trace, na) == _outcome(reference, facts, trace, na)


@pytest.mark.properties
@_examples(60)
@given(_case(valid=False), st.booleans())
def test_compiled_and_reference_agree_on_invalid_facts(
    case: tuple[str, object, list[str]], trace: bool
) -> None:
    text, facts, na = case
    compiled, reference = _pair(text)
    assert _outcome(compiled, facts, trace, na) == _outcome(reference, facts, trace, na)


@needs_codegen
def test_every_formula_of_the_bundled_rubric_has_a_fast_path() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    formulas = [f for f in formulas_of(rubric.plan) if f.constant is None]
    assert len(formulas) > 50
    assert all(f.has_fast_path for f in formulas)


def test_bundled_examples_score_identically_on_both_paths() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        document = perfscore.load_facts(path)
        ref = f"{document.rubric_id}@{document.rubric_version}"
        compiled = perfscore.load_rubric(ref)
        reference = perfscore.load_rubric(ref)
        uninstall(reference.plan)
        for trace in (True, False):
            assert _outcome(compiled, document, trace) == _outcome(reference, document, trace)


def _generated_run(
    rubric: perfscore.Rubric, values: dict[str, object], trace: bool = False
) -> RunResult | None:
    """The rubric's generated whole-plan function on validated values, in the one context,
    its records made (with traces off they are made when asked for: `complete`)."""
    generated = rubric.plan.fast["run_traced" if trace else "run"]
    with decimal.localcontext(CONTEXT):
        result: RunResult | None = generated(values, False)
    return None if result is None else complete(result)


@needs_codegen
def test_every_bundled_example_runs_on_the_generated_plan() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        document = perfscore.load_facts(path)
        if document.not_applicable or document.has_marks:
            continue
        ref = f"{document.rubric_id}@{document.rubric_version}"
        compiled = perfscore.load_rubric(ref)
        reference = perfscore.load_rubric(ref)
        uninstall(reference.plan)
        values = compiled.plan.validate(document.facts)
        for trace in (False, True):
            fast = _generated_run(compiled, values, trace)
            assert fast is not None, path.name  # the generated function scored it
            assert fast == run_plan(reference.plan, values, trace=trace), path.name
            if trace:  # the same events, step by step
                assert fast.total_events is not None
                assert [r.events for r in fast.indicators] == [
                    r.events for r in run_plan(reference.plan, values).indicators
                ]


def _plan_function(source: str, name: str) -> ast.FunctionDef:
    tree = ast.parse(source)
    return next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)


def test_every_method_of_every_bundled_rubric_is_written_out_with_traces_off() -> None:
    # no indicator of a bundled rubric runs through its method's own run step (a RUN_ name)
    # when traces are off: bands and tiers are written out like the others
    for path in sorted((ROOT / "rubric").glob("*/*.yaml")):
        if path.name.endswith(".cases.yaml"):
            continue
        rubric = perfscore.load_rubric(path)
        function = _plan_function(rubric.plan.generated, "run_plan")
        called = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
        assert not [n for n in called if n.startswith("RUN_")], path


TIERED = json.dumps(
    {
        "perfscore": 1,
        "id": "tiered",
        "version": "1",
        "title": "t",
        "rounding": {"step": 0.5, "mode": "floor"},
        "facts": {
            "level": {"type": "enum", "label": "等级", "values": ["good", "fair", "poor"]},
            "assessed": {"type": "number", "label": "评分", "required": False},
            "rate": {"type": "number", "label": "比率"},
        },
        "groups": [
            {
                "id": "g",
                "name": "组",
                "max": 20,
                "children": [
                    {
                        "id": "benefit", "name": "效益", "max": 10,
                        "tiers": {
                            "level": "level", "score": "assessed",
                            "table": [
                                {"level": "good", "range": "[90, 100]", "default": 100},
                                {"level": "fair", "range": "[60, 90)", "default": 75},
                                {"level": "poor", "range": "[0, 60)"},
                            ],
                        },
                    },
                    {
                        "id": "rate_band", "name": "比率", "max": 10,
                        "bands": {
                            "measure": "rate",
                            "table": [
                                {"range": "[95, inf)", "score": 10},
                                {"range": "[80, 95)", "score": "rate / 10 - 1.25"},
                                {"range": "(60, 80)", "score": 5},
                            ],
                        },
                    },
                ],
            }
        ],
        "grades": [{"grade": "优", "min": 18}, {"grade": "差"}],
    },
    ensure_ascii=False,
)  # fmt: skip


@pytest.mark.parametrize(
    "facts",
    [
        {"level": "good", "rate": 95},  # the tier's default, a band's closed low end
        {"level": "good", "assessed": 9, "rate": Decimal("94.99")},  # assessed, band formula
        {"level": "fair", "assessed": Decimal("8.99"), "rate": 80},  # rounded down
        {"level": "fair", "rate": Decimal("60.5")},  # default 7.5; the open band
        {"level": "fair", "assessed": 9, "rate": 70},  # outside its tier: the located error
        {"level": "poor", "rate": 70},  # no default: the located error
        {"level": "poor", "assessed": 0, "rate": 60},  # no band holds 60: the located error
        {"level": "good", "assessed": 10, "rate": 1000},
    ],
)
def test_tiers_and_bands_written_out_score_as_the_interpreter(facts: dict[str, object]) -> None:
    compiled, reference = _pair(TIERED)
    for trace in (False, True):
        assert _outcome(compiled, facts, trace) == _outcome(reference, facts, trace)


STEPPED = json.dumps(
    {
        "perfscore": 1,
        "id": "stepped",
        "version": "1",
        "title": "t",
        "facts": {"x": {"type": "number", "label": "x"}},
        "derived": {
            "half": {"formula": "floor(x, 0.5)", "label": "h"},
            "up": {"formula": "ceil(x)", "label": "u"},
        },
        "groups": [
            {
                "id": "g", "name": "组", "max": 20,
                "children": [
                    {"id": "a", "name": "a", "max": 10, "formula": "clamp(half + 5, 0, 10)"},
                    {"id": "b", "name": "b", "max": 10, "formula": "clamp(up + 5, 0, 10)"},
                ],
            }
        ],
        "grades": [{"grade": "优", "min": 18}, {"grade": "差"}],
        "checks": [{"id": "zero", "when": "up == 0", "message": "{half} {up}"}],
    },
    ensure_ascii=False,
)  # fmt: skip


@pytest.mark.parametrize("x", ["-0.4", "-0.5", "-1.25", "0", "0.01", "3.75", "-0.00", "7"])
def test_floor_and_ceil_written_out_give_the_interpreters_values(x: str) -> None:
    # floor and ceil with a constant step are written out in the whole-plan function: the
    # same values (a -0 from ceil(-0.4) is 0), the same trace and check message
    compiled, reference = _pair(STEPPED)
    facts = {"x": Decimal(x)}
    for trace in (False, True):
        assert _outcome(compiled, facts, trace) == _outcome(reference, facts, trace)
    assert "nonzero(" in _plan_function_source(compiled, "run_plan")


def _plan_function_source(rubric: perfscore.Rubric, name: str) -> str:
    return ast.unparse(_plan_function(rubric.plan.generated, name))


@needs_codegen
def test_tiers_and_bands_are_scored_by_the_generated_plan() -> None:
    compiled, reference = _pair(TIERED)
    values = compiled.plan.validate({"level": "fair", "assessed": Decimal("8.99"), "rate": 80})
    fast = _generated_run(compiled, values)
    assert fast is not None
    assert fast == run_plan(reference.plan, values, trace=False)
    assert [(r.score, r.rules) for r in fast.indicators] == [
        (Decimal("8.5"), ("tier:fair", "round")),
        (Decimal("6.5"), ("band[1]", "round")),  # 80 / 10 - 1.25 = 6.75
    ]


@needs_codegen
@pytest.mark.properties
@_examples(60)
@given(_case(valid=True), st.booleans())
def test_the_generated_plan_fails_only_where_the_interpreter_fails(
    case: tuple[str, object, list[str]], trace: bool
) -> None:
    text, facts, _na = case
    compiled, reference = _pair(text)
    values = compiled.plan.validate(facts)  # type: ignore[arg-type]
    try:
        expected: RunResult | PerfscoreError = run_plan(reference.plan, values, trace=trace)
    except PerfscoreError as exc:
        expected = exc
    try:
        fast = _generated_run(compiled, values, trace)
    except Exception:  # noqa: BLE001
        # the generated function may give up by raising, only where the reference fails
        assert isinstance(expected, PerfscoreError)
        return
    if fast is not None:
        assert fast == expected


@needs_codegen
def test_the_whole_plan_and_validator_compile_at_first_use() -> None:
    text = (ROOT / "rubric" / "dept-overall-huizhou" / "2022.1.yaml").read_text("utf-8")
    rubric = perfscore.parse_rubric(text, name="a.yaml")
    stand_ins = {key: rubric.plan.fast[key] for key in ("facts", "run", "run_traced")}
    document = perfscore.load_facts(ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml")
    first = rubric.evaluate(dict(document.facts), trace=False)
    assert rubric.plan.fast["facts"] is not stand_ins["facts"]  # compiled, now in place
    assert rubric.plan.fast["run"] is not stand_ins["run"]
    assert rubric.plan.fast["run_traced"] is stand_ins["run_traced"]  # not used yet
    assert rubric.evaluate(dict(document.facts), trace=False) == first
    rubric.evaluate(dict(document.facts), trace=True)
    assert rubric.plan.fast["run_traced"] is not stand_ins["run_traced"]


@needs_codegen
def test_the_generated_plan_defers_marks_and_not_applicable_indicators() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    document = perfscore.load_facts(ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml")
    values = rubric.plan.validate(document.facts)
    assert _generated_run(rubric, values) is not None
    marked = {**values, "fin_diversions": Unknown()}
    assert _generated_run(rubric, marked) is None  # unknown values: the interpreter's ranges
    card = rubric.evaluate({**document.facts, "fin_diversions": {"unknown": True}}, trace=False)
    assert card.total_range is not None
    na = next(i for i in rubric.indicator_ids if rubric.plan.not_applicable(i) == "redistribute")
    reference = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    uninstall(reference.plan)
    for trace in (False, True):
        assert _outcome(rubric, document, trace, [na]) == _outcome(reference, document, trace, [na])


DIVIDES = """\
perfscore: 1
id: divides
version: "1"
title: 除法
facts:
  spent: {type: number, label: 决算数, min: 0}
  budget: {type: number, label: 预算数, min: 0}
  note: {type: number, label: 备注数, required: false}
groups:
  - id: g
    name: 全部
    max: 10
    children:
      - {id: rate, name: 执行率, max: 10, formula: "spent / budget * 10"}
grades:
  - {grade: 优, min: 9}
  - {grade: 差}
checks:
  - {id: noted, when: "note > 0 if given(note) else False", message: "备注 {spent}"}
"""


@pytest.mark.parametrize(
    "facts",
    [
        {"spent": 5, "budget": 0},  # zero division: the interpreter's located message
        {"spent": 0, "budget": 0},  # 0 / 0: invalid operation
        {"spent": 5, "budget": 10},
        {"spent": 5, "budget": 10, "note": 3},
    ],
)
def test_runtime_errors_and_optional_facts_defer_to_the_interpreter(facts: dict[str, int]) -> None:
    compiled, reference = _pair(DIVIDES)
    assert _outcome(compiled, facts, True) == _outcome(reference, facts, True)


#: A value that would break out of a quoted literal if it were pasted into Python source.
EVIL = "a'); __import__('os').system('id') #'''"
BREAKOUT = "'); __import__('os').system('rm') # "

HOSTILE = json.dumps(
    {
        "perfscore": 1,
        "id": "hostile",
        "version": "1",
        "title": "标题''' \"); import os #",
        "facts": {
            "level": {"type": "enum", "label": "等级" + BREAKOUT, "values": [EVIL, "b"]},
            "amount": {"type": "number", "label": '金额"""', "min": 0},
        },
        "groups": [
            {
                "id": "g",
                "name": "组'''",
                "max": 10,
                "children": [
                    {
                        "id": "pick",
                        "name": "选'\\n" + BREAKOUT,
                        "max": 10,
                        "formula": f'10 if level == "{EVIL}" else min(amount, 10)',
                    }
                ],
            }
        ],
        "grades": [{"grade": "优", "min": 9}, {"grade": "差"}],
        "checks": [{"id": "odd", "when": "amount > 5", "message": BREAKOUT + "{amount}"}],
    },
    ensure_ascii=False,
)


def test_hostile_text_reaches_the_generated_source_only_as_literals() -> None:
    compiled, reference = _pair(HOSTILE)
    source = compiled.plan.generated
    tree = ast.parse(source)
    allowed = (
        ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Return, ast.Assign, ast.Expr,
        ast.If, ast.Name, ast.Load, ast.Store, ast.Constant, ast.Call, ast.Subscript,
        ast.Attribute, ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.UnaryOp,
        ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd, ast.Not, ast.And, ast.Or,
        ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is,
        # the facts validator: loops over records, a date's parse, counters
        ast.For, ast.Try, ast.ExceptHandler, ast.AugAssign, ast.Tuple, ast.Dict, ast.List,
        ast.IsNot, ast.In, ast.NotIn,
        # the whole plan: results put together, records expanded by the interpreter
        ast.GeneratorExp, ast.comprehension, ast.Starred, ast.keyword,
    )  # fmt: skip
    methods = {"get", "is_finite", "copy_abs", "to_integral_value", "is_zero", "match",
               "fromisoformat", "search", "append", "score", "max", "results", "warnings",
               "claims", "update", "extend", "run", "message", "severity", "id",
               "fired", "quantize", "normalize", "step", "events", "isprintable"}  # fmt: skip
    fixed = {"env", "Decimal", "DEFER", "ZERO", "MAX_MAGNITUDE", "MAX_TEXT_LENGTH", "DATE_TEXT",
             "FORBIDDEN", "Records", "date", "MISSING", "plain", "ValueError", "type", "len",
             "int", "bool", "str", "list", "tuple", "dict", "given", "known", "out", "v", "ok",
             "rows", "row", "validate_facts", "KeyError", "records_of", "mappingproxy",
             "values", "leaves", "warnings", "claims", "weights", "rec", "base", "bonus",
             "max_total", "total", "grade", "max", "run_plan", "is_marked", "canon",
             "LeafResult", "GroupResult", "RunResult", "NullRecorder", "implausible",
             "record_weights", "expand", "each", "ROUND_FLOOR", "ROUND_CEILING",
             "PLAN", "FACTS", "frozenset", "ONE", "Recorder", "finish", "note", "i",
             "run_plan_traced", "records_plan", "records_plan_traced", "new", "lv", "nonzero",
             # traces on: events built as tuples, a tier's row and phrase
             "ev", "NEW", "Event", "Named", "Notice", "isinstance", "p", "h"}  # fmt: skip
    generated = re.compile(
        r"(?:[cfnTltgbxasdumr]|[qier][lb]|out|RUN_|NODE_|CHECK|PLAUSIBLE|RECORDS|ROUNDING_|EXPLAIN_|F|GRID"
        r"|REASON_|RANGE_|TIERS_"
        r"|formula_|typed_|enum"
        r"|number|spec)[0-9]*(?:_[a-z_]+)?"
    )
    for node in ast.walk(tree):
        assert isinstance(node, allowed), ast.dump(node)
        if isinstance(node, ast.Attribute):  # only methods and fields of values
            assert node.attr in methods, ast.dump(node)
            assert isinstance(node.value, ast.Name), ast.dump(node)
        if isinstance(node, ast.Name):  # only generated names and the module's tables
            assert node.id in fixed or generated.fullmatch(node.id), node.id
    # the value sits in the source once, as an escaped literal; nothing else of the rubric does
    constants = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert EVIL in constants
    assert repr(EVIL) in source
    for text in ("等级", "金额", "标题", "组'''", "system('rm')"):
        assert text not in source
    for facts in ({"level": EVIL, "amount": 3}, {"level": "b", "amount": 7}):
        assert _outcome(compiled, facts, True) == _outcome(reference, facts, True)
    assert compiled.evaluate({"level": EVIL, "amount": 3}).total == 10
    assert compiled.evaluate({"level": "b", "amount": 7}).total == 7


@needs_codegen
def test_generated_source_is_deterministic_and_compiled_once_per_load() -> None:
    text = (ROOT / "rubric" / "dept-overall-huizhou" / "2022.1.yaml").read_text("utf-8")
    first = perfscore.parse_rubric(text, name="a.yaml")
    second = perfscore.parse_rubric(text, name="a.yaml")
    assert first.plan.generated == second.plan.generated
    assert generate(first.plan, install=False) == first.plan.generated
    assert first.plan.generated.count("\ndef formula_") > 50
    # the second load compiled nothing: both run the one code object of that source
    assert _code(first.plan.generated) is _code(second.plan.generated)
    one = next(f for f in formulas_of(first.plan) if f.has_fast_path)
    two = next(f for f in formulas_of(second.plan) if f.has_fast_path)
    assert one._fast.__code__ is two._fast.__code__  # type: ignore[union-attr]


@pytest.mark.properties
def test_the_hostile_suite_passes_on_the_interpreter_alone() -> None:
    # the same suite runs on the fast path with every other test; here nothing is generated
    env = {**os.environ, "PERFSCORE_CODEGEN": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
         str(ROOT / "tests" / "test_hostile.py")],
        env=env, capture_output=True, text=True, timeout=900, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_the_interpreter_switch_installs_nothing() -> None:
    code = (
        "import perfscore\n"
        "from perfscore._engine._codegen import formulas_of\n"
        "r = perfscore.load_rubric('dept-overall-huizhou@2022.1')\n"
        "print(sum(f.has_fast_path for f in formulas_of(r.plan)), sorted(r.plan.fast))\n"
        # the facts hash: written by generated code only when generated code runs at all
        f"c = r.evaluate(perfscore.load_facts({str(EXAMPLE)!r}))\n"
        "print(c.facts_sha256, c.to_json() == c.model_copy().to_json())\n"
        "print(r._output.canonical.__code__.co_filename)\n"
    )
    env = {**os.environ, "PERFSCORE_CODEGEN": "0"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    off = done.stdout.splitlines()
    assert off[0] == "0 []"
    assert not off[2].startswith("<perfscore generated")
    done = subprocess.run(
        [sys.executable, "-c", code], env={**env, "PERFSCORE_CODEGEN": "1"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    on = done.stdout.splitlines()
    assert on[0] == "75 ['facts', 'run', 'run_traced']"
    assert on[2] == "<perfscore generated canonical facts>"
    assert on[1] == off[1]  # the same hash either way
    assert on[1].endswith(" True")


def test_compile_shows_the_generated_source(run: Any) -> None:
    code, out, err = run("--lang", "en", "compile", "dept-overall-huizhou@2022.1", "--show")
    assert (code, err) == (0, "")
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    assert out.startswith(rubric.plan.generated)
    ast.parse(out)  # the source an auditor reads is the source that runs
    # and so is the facts hash's canonical writer, printed after the plan
    from perfscore._output._cardjson import canonical_source

    shown = out[len(rubric.plan.generated) :]
    assert "# --- the facts hash's canonical text" in shown
    assert shown.endswith(canonical_source(rubric.plan.facts)[0])
    code, out, err = run("--lang", "en", "compile", "dept-overall-huizhou@2022.1")
    assert code == 0
    if enabled():
        assert "75 of 75 formulas run as generated Python, 0 on the interpreter" in out
    else:  # the switch is reported as it is: nothing generated runs
        assert "0 of 75 formulas run as generated Python, 75 on the interpreter" in out


def test_compile_of_a_rubric_that_does_not_load_exits_2(run: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("perfscore: 1\nid: x\n", encoding="utf-8")
    code, _out, err = run("--lang", "en", "compile", str(broken), "--show")
    assert code == 2
    assert "missing key" in err


ROUNDS_UP = """\
perfscore: 1
id: rounds-up
version: "1"
title: 向上取整
facts:
  x: {type: number, label: 得分, min: -5}
groups:
  - id: g
    name: 全部
    max: 5.3
    children:
      - {id: s, name: 分数, max: 5.3, formula: "x", rounding: {step: 0.5, mode: ceiling}}
grades:
  - {grade: 优, min: 5}
  - {grade: 差}
"""


@pytest.mark.parametrize(
    ("x", "score", "fired"),
    [
        (2.2, "2.5", ("formula", "round")),  # a multiple of the step within the bounds
        (3, "3", ("formula",)),
        (0, "0", ("formula",)),
        (-0.3, "0", ("formula", "clamp")),
        (5.2, "5.3", ("formula", "round", "clamp")),  # rounds to 5.5, past the max 5.3
        (6, "5.3", ("formula", "clamp", "round", "clamp")),
    ],
)
def test_rounding_past_a_bound_clamps_again_on_both_paths(
    x: float, score: str, fired: tuple[str, ...]
) -> None:
    compiled, reference = _pair(ROUNDS_UP)
    facts = {"x": decimal.Decimal(str(x))}
    for trace in (False, True):
        assert _outcome(compiled, facts, trace) == _outcome(reference, facts, trace)
    card = compiled.evaluate(facts)
    (result,) = card.indicators
    assert str(result.score) == score
    if enabled():
        assert "STEPS" in compiled.plan.generated  # the finished-score table is used
        out = _generated_run(compiled, compiled.plan.validate(facts), False)
        assert out is not None  # the generated function scored it
        assert out.indicators[0].rules == fired
        assert out.indicators[0].score == decimal.Decimal(score)


WHOLE_STEPS = """\
perfscore: 1
id: whole-steps
version: "1"
title: 半分累计
facts:
  x: {type: number, label: 甲, min: -20, max: 20}
  y: {type: number, label: 乙, min: -20, max: 20}
groups:
  - id: halves
    name: 半分
    max: 8
    children:
      - {id: a, name: 甲, max: 5, formula: "x", rounding: {step: 0.5, mode: half_up}}
      - {id: b, name: 乙, max: 3, formula: "y / 4", rounding: {step: 0.5, mode: ceiling}}
  - id: odd
    name: 不齐
    max: 4.3
    children:
      - {id: c, name: 丙, max: 2.3, formula: "x + y", rounding: {step: 0.5, mode: ceiling}}
      - {id: d, name: 丁, max: 2, formula: "y", rounding: {step: 0.25, mode: half_up}}
bonus:
  - {id: e, name: 加分, min: -2, max: 2, formula: "x / 10", rounding: {step: 0.5, mode: half_up}}
total: {cap: null}
grades:
  - {grade: 优, min: 9}
  - {grade: 差}
"""


@pytest.mark.parametrize(
    ("x", "y"),
    [("2.5", "10"), ("4.5", "2"), ("0", "0"), ("-3", "-0.5"), ("5", "12"), ("1.75", "0.3"),
     ("-20", "-20"), ("20", "20"), ("2.50", "2.000")],
)  # fmt: skip
def test_sums_in_whole_steps_give_the_interpreters_totals(x: str, y: str) -> None:
    # the untraced plan adds the whole steps of scores whose bounds are on their step as
    # integers and looks the canonical sum up by them; a group with a score that may stop
    # off its step (2.3) or of another step adds as Decimals
    compiled, reference = _pair(WHOLE_STEPS)
    facts = {"x": Decimal(x), "y": Decimal(y)}
    for trace in (False, True):
        assert _outcome(compiled, facts, trace) == _outcome(reference, facts, trace)
    if enabled():
        values = compiled.plan.validate(facts)
        out = _generated_run(compiled, values)
        assert out is not None  # the generated plan scored it
        assert out == run_plan(reference.plan, values, trace=False)
        for total in (out.groups["halves"].score, out.base_total, out.bonus_total):
            assert str(total) == str(canon(total))  # 2.5 + 2.5 is 5, never 5.0
        source = _plan_function_source(compiled, "run_plan")
        assert re.search(r"\bu\d+ = u\d+ \+ u\d+\n\s*s = STEPS", source)  # halves
        assert "s = ZERO + l2 + l3" in source  # odd: its scores added as Decimals
        traced = _plan_function_source(compiled, "run_plan_traced")  # the same, traces on
        assert re.search(r"\bu\d+ = u\d+ \+ u\d+\n\s*s = STEPS", traced)
        assert "s = ZERO + l2 + l3" in traced


def test_a_score_stopped_by_an_off_step_bound_is_summed_as_a_decimal() -> None:
    # c's max 2.3 is no multiple of 0.5: 10 is clamped to it, rounded up past it and clamped
    # again, so it has no whole steps
    compiled, reference = _pair(WHOLE_STEPS)
    facts = {"x": Decimal(9), "y": Decimal(1)}
    assert _outcome(compiled, facts, False) == _outcome(reference, facts, False)
    card = compiled.evaluate(facts, trace=False)
    assert [str(i.score) for i in card.indicators] == ["5", "0.5", "2.3", "1", "1"]
    assert [str(g.score) for g in card.groups] == ["5.5", "3.3"]
    assert (str(card.base_total), str(card.total)) == ("8.8", "9.8")


@needs_codegen
@pytest.mark.parametrize("trace", [False, True])
def test_a_run_makes_its_records_when_they_are_first_read(trace: bool) -> None:
    # evaluate keeps the scores, rules (and inputs and events); the indicator and group
    # records, and the scorecard's from them, are made when first read, equal to those made
    # up front
    path = ROOT / "examples" / "huizhou-dayawan-zuzhibu-2022.yaml"
    facts = perfscore.load_facts(path)
    ref = f"{facts.rubric_id}@{facts.rubric_version}"
    rubric, reference = perfscore.load_rubric(ref), perfscore.load_rubric(ref)
    uninstall(reference.plan)
    plain = dict(facts.facts)
    card = rubric.evaluate(plain, trace=trace)
    parts = _parts_of(card)
    assert parts is not None
    kept = parts._result  # type: ignore[attr-defined]
    assert kept.pending is not None
    assert (kept.leaves, kept.indicators, kept.groups) == (None, None, None)
    assert (card.total, card.grade) == (Decimal(103), "优")  # read without the records
    assert kept.pending is not None
    expected = reference.evaluate(plain, trace=trace)
    assert card.indicators == expected.indicators
    assert parts.result.pending is None  # made once, now kept
    assert card.to_json() == expected.to_json()
    assert card == expected
    assert card.explain() == expected.explain()
    # claims are reviewed against the records: they are made at once
    claimed = rubric.evaluate(facts, trace=trace)
    assert claimed.to_json() == reference.evaluate(facts, trace=trace).to_json()


def test_finished_scores_are_looked_up_by_an_exact_text() -> None:
    # a score's text in each usual notation finds its canonical value (or whole steps); any
    # other text (more places, another notation, -0) is no hit and the written-out path decides
    table = _steps(Decimal(-1), Decimal(2), Decimal("0.5"))
    assert table is not None
    by_text = _by_text(table)
    for text, value in by_text.items():
        assert Decimal(text) == value
        assert str(value) == str(canon(value))
    assert by_text["1.0"] == by_text["1.000"] == Decimal(1)
    assert str(by_text["1.50"]) == "1.5"
    assert str(by_text["-0.5"]) == "-0.5"
    for missing in ("1.0000", "1E+0", "0E-1", "-0", "2.5", "0.25", "1e0"):
        assert missing not in by_text
    steps = _by_text(table, k=True)
    assert (steps["-1.0"], steps["0"], steps["0.50"], steps["2"]) == (-2, 0, 1, 4)
