"""Messages of the author tools: check findings, test, diff, score (batch), schema, template."""

from __future__ import annotations

from typing import Final

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {},
    "zh": {},
}
