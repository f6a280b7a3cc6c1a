"""Golden snapshots: the whole output of ``perfscore score`` for every bundled example.

The files in ``tests/golden/`` were written once by the command line, traces on, in all three
formats. A change to any score, trace step, word or byte of the JSON shows up here as a diff.
When a change is meant, regenerate the files with the loop in ``tests/README.md`` and let the
diff of ``tests/golden/`` be reviewed with the change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from perfscore import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN = Path(__file__).resolve().parent / "golden"
FORMATS = {"json": "json", "markdown": "md", "text": "txt"}


def test_every_example_has_a_snapshot_in_every_format() -> None:
    expected = {f"{e.stem}.{ext}" for e in EXAMPLES for ext in FORMATS.values()}
    assert EXAMPLES, "no examples found"
    assert {p.name for p in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_output_matches_the_snapshot(
    example: Path, fmt: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code = cli.main(["score", f"examples/{example.name}", "--format", fmt])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out == (GOLDEN / f"{example.stem}.{FORMATS[fmt]}").read_text(encoding="utf-8")
