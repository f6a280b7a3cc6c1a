"""Laying out text for a terminal and for Markdown, shared by every renderer."""

from __future__ import annotations

import unicodedata

__all__ = ["escape_cell", "pad_left", "pad_right", "width"]


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters (汉字, ［) take two."""
    if text.isascii():  # most cells of a long table: one column a character
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad_right(text: str, columns: int) -> str:
    """`text` followed by spaces up to `columns` display columns."""
    return text + " " * max(0, columns - width(text))


def pad_left(text: str, columns: int) -> str:
    """`text` after spaces up to `columns` display columns."""
    return " " * max(0, columns - width(text)) + text


def escape_cell(text: str) -> str:
    """`text` safe inside a Markdown table cell: a ``|`` would end the cell."""
    return text.replace("|", "\\|")
