"""Messages of the formula language and scoring at run time: formula syntax, names, types and
functions (_lang), the methods' run-time errors, the interpreter's errors (_engine/_run.py) and
the compiler's records checks.

Written as one row per message, ``(key, English, Chinese)``, as in `_errors`; `TABLE` is built
from the rows. The English is the text ``str(error)`` has always shown.
"""

from __future__ import annotations

from typing import Final

_ROWS: Final[tuple[tuple[str, str, str], ...]] = ()

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {key: english for key, english, _ in _ROWS},
    "zh": {key: chinese for key, _, chinese in _ROWS},
}
