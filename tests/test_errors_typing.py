"""mypy, run on a user's code, rejects a misspelt error code and sees the lazily loaded tools."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mypy")

CODE = textwrap.dedent(
    """\
    import perfscore
    from perfscore import Problem, check_rubric

    reveal_type(check_rubric)
    reveal_type(perfscore.diff_rubrics)
    Problem("unknown-key", "spelt right")
    Problem("unknwn-key", "spelt wrong")
    Problem("unknown-key", "a severity no one has", severity="fatal")
    """
)


def test_mypy_rejects_a_misspelt_code_and_types_the_tools(tmp_path: Path) -> None:
    (tmp_path / "user.py").write_text(CODE, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache")]
    done = subprocess.run(
        [*command, "--no-error-summary", "--hide-error-context", "user.py"],
        cwd=tmp_path,  # not this repository's configuration: the view of a user's project
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    assert [line.split(": ")[0] for line in lines] == [f"user.py:{n}" for n in (4, 5, 7, 8)]
    # a rubric, or its path or bundled id@version (loaded for the caller)
    rubric = "perfscore._rubric.Rubric | str | os.PathLike[str]"
    assert f"def (rubric: {rubric}) -> list[perfscore._errors.Problem]" in lines[0]
    assert "-> perfscore._output._diffdata.RubricDiff" in lines[1]
    assert "incompatible type \"Literal['unknwn-key']\"" in lines[2]
    assert "incompatible type \"Literal['fatal']\"" in lines[3]
