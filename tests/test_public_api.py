"""The public API: every exported name imports, is documented, and nothing private leaks."""

from __future__ import annotations

import importlib
import pickle
import subprocess
import sys
import typing
from decimal import Decimal
from pathlib import Path

import pytest

import perfscore

DOCS = Path(__file__).resolve().parents[1] / "docs"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_every_name_in_all_imports() -> None:
    for name in perfscore.__all__:
        assert getattr(perfscore, name) is not None, name
    assert sorted(perfscore.__all__) == perfscore.__all__


def test_no_private_name_is_exported() -> None:
    assert not [
        name for name in perfscore.__all__ if name.startswith("_") and name != "__version__"
    ]


def test_every_exported_callable_and_class_is_documented() -> None:
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    errors = (DOCS / "errors.md").read_text(encoding="utf-8")
    for name in perfscore.__all__:
        if name == "__version__":
            continue
        assert name in api or name in errors, f"{name} is not in docs/api.md or docs/errors.md"


def test_the_package_is_typed() -> None:
    package = Path(perfscore.__file__).parent
    assert (package / "py.typed").is_file()


def test_public_modules_import() -> None:
    for module in ("perfscore.cli", "perfscore.pytest_plugin", "perfscore.strategies"):
        importlib.import_module(module)


def loaded_after(code: str) -> set[str]:
    """The ``perfscore._tools`` modules a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in sys.modules if '._tools.' in m))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_importing_perfscore_leaves_the_author_tools_unloaded() -> None:
    assert loaded_after("import perfscore") == set()
    assert loaded_after("import perfscore; perfscore.load_rubric") == set()


def test_an_author_tool_loads_its_own_module_on_first_use() -> None:
    assert loaded_after("import perfscore; perfscore.check_rubric") == {"perfscore._tools._check"}
    assert loaded_after("from perfscore import facts_schema") == {"perfscore._tools._schema"}
    # the star import reads every name of __all__, so it loads every tool
    assert loaded_after("from perfscore import *") >= {
        "perfscore._tools._check",
        "perfscore._tools._diff",
        "perfscore._tools._schema",
        "perfscore._tools._template",
    }


def test_a_tool_result_names_perfscore_before_its_class_is_read() -> None:
    code = (
        "import perfscore\n"
        "old = perfscore.load_rubric('dept-overall-huizhou@2022.1')\n"
        "print(type(perfscore.diff_rubrics(old, old)).__module__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "perfscore"


def test_dir_lists_every_public_name_before_it_is_loaded() -> None:
    code = "import perfscore; print(set(perfscore.__all__) <= set(dir(perfscore)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match=r"module 'perfscore' has no attribute 'chek_rubric'"):
        perfscore.chek_rubric  # noqa: B018 - the lookup is what is tested


def test_every_public_class_and_function_names_perfscore_as_its_module() -> None:
    for name in perfscore.__all__:
        value = getattr(perfscore, name)
        if isinstance(value, type) or callable(value):
            assert value.__module__ == "perfscore", name
            assert getattr(perfscore, value.__name__) is value, name
    assert repr(perfscore.RubricError) == "<class 'perfscore.RubricError'>"


def test_type_hints_of_public_classes_still_resolve() -> None:
    # they were written in the private modules, whose names the classes no longer report
    for name in perfscore.__all__:
        value = getattr(perfscore, name)
        if isinstance(value, type):
            typing.get_type_hints(value)
    assert typing.get_type_hints(perfscore.TraceStep)["amount"] == Decimal | None


@pytest.mark.parametrize(
    "error",
    [
        perfscore.RubricError(
            [
                perfscore.Problem(
                    "unknown-key", "unknown key 'x'", perfscore.Location("r.yaml", 3, 5)
                ),
                perfscore.Problem("missing-key", "missing key 'id'", hint="add it"),
            ],
            summary="r.yaml: 2 problems",
        ),
        perfscore.ExpressionError(perfscore.Problem("zero-division", "division by zero")),
        perfscore.UsageError(perfscore.Problem("bad-argument", "no facts")),
    ],
)
def test_an_error_survives_pickling(error: perfscore.PerfscoreError) -> None:
    error.add_note("while scoring report.yaml")
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(again) is type(error)
    assert again.problems == error.problems
    assert again.summary == error.summary
    assert str(again) == str(error)
    assert again.__notes__ == ["while scoring report.yaml"]


def test_a_scorecard_survives_pickling_and_its_json_round_trip() -> None:
    rubric = perfscore.load_rubric("dept-overall-huizhou@2022.1")
    facts = perfscore.load_facts(EXAMPLES / "huizhou-dayawan-zuzhibu-2022.yaml")
    card = rubric.evaluate(facts)
    again = pickle.loads(pickle.dumps(card))  # noqa: S301 - our own bytes
    assert type(again) is perfscore.Scorecard
    assert again == card
    assert perfscore.Scorecard.model_validate_json(card.to_json()) == card
    assert pickle.loads(pickle.dumps(card.indicators[0])) == card.indicators[0]  # noqa: S301
