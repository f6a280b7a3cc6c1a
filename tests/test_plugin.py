"""The pytest plugin costs nothing where there are no case files, and collects each case once."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

HEAVY = ("perfscore", "pydantic", "yaml", "simpleeval")

RUBRIC = textwrap.dedent(
    """\
    perfscore: 1
    id: demo
    version: "1"
    title: 演示
    facts:
      rate: {type: percent, label: 支出率}
    groups:
      - id: g
        name: 预算执行
        max: 6
        children:
          - id: spend
            name: 支出率
            max: 6
            per_unit: {measure: 100 - rate, points: 0.1}
    grades:
      - {grade: 优, min: 5}
      - {grade: 差}
    """
)
CASES = textwrap.dedent(
    """\
    rubric: r.yaml
    cases:
      - name: 全部支出
        facts: {rate: 100}
        expect: {indicators: {spend: 6}, grade: 优}
      - name: 支出九成
        facts: {rate: 90}
        expect: {indicators: {spend: 5}}
    """
)


def loaded_after(code: str, cwd: Path | None = None) -> list[str]:
    """Which of `HEAVY` a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_the_entry_point_names_the_top_level_module() -> None:
    (entry,) = [
        ep for ep in importlib.metadata.entry_points(group="pytest11") if ep.name == "perfscore"
    ]
    assert entry.value == "_perfscore_pytestplugin"


def test_importing_the_entry_point_loads_neither_perfscore_nor_its_dependencies() -> None:
    assert loaded_after("import _perfscore_pytestplugin") == []
    # the probe can fail: the module the entry point used to name loads all of them
    assert loaded_after("import perfscore.pytest_plugin") == list(HEAVY)


def test_a_session_without_case_files_never_imports_perfscore(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("just: a yaml file\n", encoding="utf-8")
    (tmp_path / "test_one.py").write_text(
        "import sys\n\n\ndef test_one():\n    assert 'perfscore' not in sys.modules\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_a_case_file_is_collected_through_the_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", r=RUBRIC)
    (pytester.path / "demo.cases.yaml").write_text(CASES, encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["demo.cases.yaml::全部支出 PASSED*", "demo.cases.yaml::支出九成 PASSED*"]
    )


def test_disabling_the_plugin_by_its_name_leaves_case_files_alone(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yaml", r=RUBRIC)
    (pytester.path / "demo.cases.yaml").write_text(CASES, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:perfscore")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


@pytest.mark.parametrize(
    "how",
    [
        ["-p", "perfscore.pytest_plugin"],
        ["-p", "no:perfscore", "-p", "perfscore.pytest_plugin"],
    ],
)
def test_naming_the_package_module_collects_each_case_once(
    pytester: pytest.Pytester, how: list[str]
) -> None:
    pytester.makefile(".yaml", r=RUBRIC)
    (pytester.path / "demo.cases.yaml").write_text(CASES, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider", *how)
    result.assert_outcomes(passed=2)


def test_a_conftest_naming_the_package_module_collects_each_case_once(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest('pytest_plugins = ["perfscore.pytest_plugin"]\n')
    pytester.makefile(".yaml", r=RUBRIC)
    (pytester.path / "demo.cases.yaml").write_text(CASES, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
