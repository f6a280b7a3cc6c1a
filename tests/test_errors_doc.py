"""docs/errors.md has exactly one section per registered error code."""

import re
from pathlib import Path

from perfscore._errors import CODES

DOC = Path(__file__).resolve().parents[1] / "docs" / "errors.md"


def test_every_code_has_a_section_and_every_section_a_code() -> None:
    sections = re.findall(r"^### ([a-z0-9-]+)$", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(sections) == len(set(sections)), "a code is documented twice"
    assert set(sections) == set(CODES)


def test_every_code_used_in_the_source_is_registered() -> None:
    src = Path(__file__).resolve().parents[1] / "src" / "perfscore"
    used = set()
    for path in sorted(src.rglob("*.py")):
        used |= set(
            re.findall(
                r'(?:Problem|_Failure|PydanticCustomError|add|fail)\(\s*"([a-z-]+)"',
                path.read_text(encoding="utf-8"),
            )
        )
    assert used <= set(CODES), sorted(used - set(CODES))
    assert len(used) > 20  # the pattern still finds the call sites
