"""Messages of errors and hints raised while loading rubrics and facts and while scoring."""

from __future__ import annotations

from typing import Final

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {},
    "zh": {},
}
