"""Every message perfscore writes outside a scorecard, in every language: one catalogue.

A scorecard's words (labels, trace phrases, review phrases) live in `perfscore._output._words`;
everything else a user reads, errors and their hints, `check` findings, the output of `test`,
`diff` and `score`, and the command's help, is said through this catalogue.

The catalogue is a table per language (``{language: {key: template}}``), split into parts by
who says it (`_base`, `_errors`, `_formulas`, `_workbook`, `_tools`, `_cli`), merged here; a
key belongs to one part. A template is a `str.format` string over named values (``{name}``,
``{name!r}``, format specs).
Tables rather than gettext: the messages are code's data, so a test checks that every key has
a template in every language with the same placeholders, mypy and ruff read them like any
module, nothing is compiled at build time, and the wheel needs no ``.mo`` files. Adding a
language is one dict in each part (and its code in `LANGUAGES`).

How a message is written::

    Message("fact-unknown", fact="spend_rate")        # a str: its English text
    Message("fact-unknown", fact="spend_rate").render("zh")

`Message` is a `str` subclass whose value is the English text, so every place that takes a
message as text keeps working (``problem.message == "..."``, logs, ``str(error)``); it also
keeps its key and values so it can be said again in another language. A value may itself be a
`Message` (it is said in the same language) or a `Say` (a phrase rendered per language from
its own table). `Problem.render(language)` and `PerfscoreError.render(language)` say every part
of a problem that is a `Message`; a plain `str` part is shown as it is.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, Final

from perfscore._messages import _base, _cli, _errors, _formulas, _tools, _workbook

__all__ = ["CATALOGUE", "ENGLISH", "LANGUAGES", "Message", "in_language", "placeholders", "say"]

#: The languages every part of the catalogue has a table for, the default first.
LANGUAGES: Final = ("zh", "en")

#: The language of `str(message)`: the stable text for logs, code and existing callers.
ENGLISH: Final = "en"

_PARTS: Final = (
    _base.TABLE,
    _errors.TABLE,
    _formulas.TABLE,
    _workbook.TABLE,
    _tools.TABLE,
    _cli.TABLE,
)


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    owner: dict[str, int] = {}
    for index, part in enumerate(_PARTS):
        for language, table in part.items():
            if language not in merged:
                raise ValueError(f"catalogue part {index} has an unknown language {language!r}")
            for key, template in table.items():
                if language == ENGLISH:
                    if key in owner:
                        raise ValueError(f"message key {key!r} is in two catalogue parts")
                    owner[key] = index
                merged[language][key] = template
    return merged


#: Every template: ``CATALOGUE[language][key]``.
CATALOGUE: Final[Mapping[str, Mapping[str, str]]] = _merge()


def placeholders(template: str) -> list[tuple[str, str | None, str]]:
    """The named fields of a template with their conversion and spec, in order."""
    return [
        (name, conversion, spec or "")
        for _, name, spec, conversion in string.Formatter().parse(template)
        if name is not None
    ]


def _fill(language: str, key: str, values: Mapping[str, object]) -> str:
    table = CATALOGUE.get(language) or CATALOGUE[ENGLISH]
    template = table.get(key)
    if template is None:
        template = CATALOGUE[ENGLISH][key]  # a KeyError here is a programming error
    said = {name: in_language(value, language) for name, value in values.items()}
    return template.format_map(said)


def say(language: str, key: str, /, **values: object) -> str:
    """The message `key` with its values, in `language` (English where a language lacks it)."""
    return _fill(language, key, values)


class Message(str):
    """A message in words: its English text, and its key and values to say it in any language.

    Equal, hashed and printed as its English text. Values that are `Message`s are said in the
    language the message is said in.
    """

    key: str
    values: tuple[tuple[str, Any], ...]

    def __new__(cls, key: str, /, **values: object) -> Message:
        self = super().__new__(cls, _fill(ENGLISH, key, values))
        self.key = key
        self.values = tuple(values.items())
        return self

    def render(self, language: str) -> str:
        """The message in `language`."""
        return _fill(language, self.key, dict(self.values))

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (self.key, self.values)


def _rebuild(key: str, values: tuple[tuple[str, Any], ...]) -> Message:
    return Message(key, **dict(values))


def in_language(value: object, language: str) -> object:
    """`value` said in `language` when it is a `Message`; any other value as it is."""
    if isinstance(value, Message):
        return value.render(language)
    return value
