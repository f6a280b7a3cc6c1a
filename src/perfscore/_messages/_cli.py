"""Messages of the perfscore command: its own messages and help texts."""

from __future__ import annotations

from typing import Final

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {},
    "zh": {},
}
