"""Messages of the workbook readers: the xlsx archive checks, the fact-entry template read back,
the official 项目支出绩效自评表 reader, and the hints that say what to type in a cell.

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
