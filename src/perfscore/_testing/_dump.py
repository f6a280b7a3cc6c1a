"""Rubric data written out as YAML or JSON text, every number exactly as it was given.

The JSON writer is not the scorecard's `dump_json`, on purpose: that one writes a number in
its shortest form (``2.50`` as ``2.5``, ``-0`` as ``0``), which is right for a scorecard but
not for a rubric, whose numbers the trace shows as written (``→ 2.50``). The JSON and the YAML
text of the same rubric data must score with identical traces, and a test holds them to it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

import yaml


class _Dumper(yaml.SafeDumper):
    """A YAML dumper writing Decimals as exact plain numbers, and shared values in full."""

    def ignore_aliases(self, data: object) -> bool:  # perfscore rejects anchors and aliases
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def _json(value: object, out: list[str]) -> None:
    """Write `value` as JSON with Decimals as their exact text (trailing zeros kept)."""
    if isinstance(value, Decimal):
        out.append(format(value, "f"))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(", " if i else "")
            out.append(json.dumps(key, ensure_ascii=False) + ": ")
            _json(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            out.append(", " if i else "")
            _json(item, out)
        out.append("]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def dump_rubric(data: Mapping[str, object], format: Literal["yaml", "json"] = "yaml") -> str:
    """Write rubric data (with Decimal numbers) as YAML or JSON text with exact numbers."""
    if format == "json":
        out: list[str] = []
        _json(data, out)
        return "".join(out)
    text: str = yaml.dump(
        dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=2**16
    )
    return text
