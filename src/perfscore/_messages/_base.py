"""The words every message shares: how a problem is laid out (hint, details), severities."""

from __future__ import annotations

from typing import Final

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {
        "hint": "hint: {hint}",
        "problems": "{count} problems",
        "severity-error": "error",
        "severity-warning": "warning",
        "severity-note": "note",
    },
    "zh": {
        "hint": "提示：{hint}",
        "problems": "共 {count} 个问题",
        "severity-error": "错误",
        "severity-warning": "警告",
        "severity-note": "提示",
    },
}
