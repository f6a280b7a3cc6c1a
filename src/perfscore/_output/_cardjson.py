"""The JSON of an exact deferred scorecard, written straight from its run's result.

`Scorecard.to_json` of a scorecard from `assemble_deferred` would first make its parts
(`IndicatorScore`, `TraceStep`, ... with the words of every step) and then write them. For a
scorecard without ranges, project sheet or claims, `write_card` writes the same text from the
run's `LeafResult`s and events without making the parts. What is the same on every run of a
rubric (keys and indentation, an indicator's id, name, group, kind, min, max, basis and
criterion, a group's id, name, parent and max, the rubric's header, the labels of the values
read) is written once per rubric and indentation into text fragments (`Fragments`); the words
of a step whose arguments are the rubric's own constants are kept once made. A part the
scorecard has made already (a field read before) is written from that part by the reference
writer, so both give the same bytes.

Every fragment is made by the reference writer's own routines (`_layout`, `_fast`) from the
values themselves. The one source generated here is the facts hash's canonical writer for a
rubric's facts (`canonical_source`, at the end). tests/test_cardjson.py holds the whole text
and the hash's text to the reference writers over random rubrics.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Protocol

from perfscore._engine._codegen import _code, enabled
from perfscore._engine._run import GroupResult, LeafResult, Notice, RunResult
from perfscore._engine._trace import Event, FixedArgs
from perfscore._load._facts import _BOOLEAN, _DATE_KIND, _ENUM, _LIST, _NUM, _TEXT, _prepare
from perfscore._output._scorecard import (
    _NUMBERS,
    _QUOTED,
    CheckWarning,
    RuleBasis,
    Scorecard,
    _fast,
    _layout,
    _number,
    _quote,
    _quoted,
    _scalar,
    plain,
    sha256_of,
    sha256_of_text,
)
from perfscore._output._words import measure_words, notice_text, step_text
from perfscore._values import Records

__all__ = ["Fragments", "canonical_listing", "canonical_writer", "facts_sha256", "write_card"]

_MISSING: Any = object()
#: the values a trace records as they are (`plain` leaves them alone)
_PLAIN = frozenset({Decimal, str, bool, type(None)})
#: the types of an event's arguments that allow keeping its words by their identity: immutable
_KEEPABLE = frozenset({Decimal, str, bool, type(None), int})
#: how many entries a table kept per rubric holds before it is emptied
_TABLE_MAX = 4096
_DEFAULT_SEVERITY = CheckWarning.__dataclass_fields__["severity"].default
#: the scorecard's fields an exact scorecard's JSON has, in order
_CARD_FIELDS = tuple(
    f for f in Scorecard.model_fields if f not in {"total_range", "grades_possible", "sheet"}
)
_BAND = frozenset({"band", "no_band"})
#: the texts of numbers and strings kept by the reference writer (a value to its text)
_NG: Any = _NUMBERS.get
_QG: Any = _QUOTED.get


def _text(value: Any, indent: int | None, level: int) -> str:
    """`value` as the reference writer writes it at depth `level`."""
    cls = type(value)
    if cls is Decimal:
        return _NG(value) or _number(value)
    if cls is str:
        return _QG(value) or _quoted(value)
    out: list[str] = []
    _fast(value, out, indent, False, level)
    return "".join(out)


class Fragments:
    """The constant text of one rubric's scorecards at one indentation, each piece made once.

    The tables kept by a value (an indicator's constants, a step's arguments...) are emptied
    when they reach `_TABLE_MAX` entries: records groups give indicators of their own, and a
    value that differs on every run is kept until then.
    """

    __slots__ = (
        "colon",
        "groups",
        "header",
        "heads",
        "indent",
        "indicators",
        "kinds",
        "labels",
        "pads",
        "records",
        "steps",
        "texts",
        "trace",
        "warning",
    )

    def __init__(self, indent: int | None) -> None:
        self.indent = indent
        lay = [_layout(indent, level) for level in range(9)]
        colon = self.colon = lay[0][2]
        #: ``pads[n]``: a newline and the indentation of depth n ("" without indentation)
        pad = self.pads = tuple(lay[n][1] for n in range(9))
        #: ``"name": `` after its separator, for each scorecard field (depth 0)
        self.heads = {
            name: ("{" if i == 0 else ",") + pad[1] + _quote(name) + colon
            for i, name in enumerate(_CARD_FIELDS)
        }
        #: (format, perfscore, rubric) and the text up to the facts hash's value
        self.header: tuple[tuple[object, ...], str] | None = None
        #: by id: (the result's constants, the text up to the score, after the score when
        #: applicable and when not (up to the trace), after the trace, the input names and
        #: the text before each input's value)
        self.indicators: dict[object, _Entry] = {}
        #: by id: (the result's constants, the text up to the score)
        self.groups: dict[object, tuple[tuple[object, ...], str]] = {}
        #: a step's text by its kind, value, phrase, amount, rule, argument names and the ids
        #: of the argument values; the entry keeps those values, so an id in a key is that of
        #: a live object, never another's
        self.texts: dict[tuple[object, ...], tuple[object, str]] = {}
        #: a step's text up to its value, by (first?, depth, kind)
        self.kinds: dict[tuple[bool, int, object], str] = {}
        #: the labels map by the names the traces read
        self.labels: dict[frozenset[object], str] = {}
        #: a record's names (in a trace's inputs) and the text before each value
        self.records: dict[tuple[object, ...], tuple[str, ...]] = {}
        # a step at depth 5 (an indicator's trace) and at depth 2 (the total's trace): the
        # text before the detail, before the amount, before the rule, after the step, after
        # the last step, and after the value of a step without amount or rule
        self.steps = {
            depth: (
                "," + pad[depth + 1] + _quote("detail") + colon,
                "," + pad[depth + 1] + _quote("amount") + colon,
                "," + pad[depth + 1] + _quote("rule") + colon,
                pad[depth] + "}",
                pad[depth - 1] + "]",
            )
            for depth in (5, 2)
        }
        self.trace = (
            "{" + pad[4] + _quote("inputs") + colon,
            "," + pad[4] + _quote("steps") + colon,  # after an empty map of inputs
            pad[4] + "}," + pad[4] + _quote("steps") + colon,  # closing a non-empty one
            pad[3] + "}",  # closes the trace
        )
        self.warning = (
            "{" + pad[3] + _quote("check") + colon,
            "," + pad[3] + _quote("message") + colon,
            "," + pad[3] + _quote("severity") + colon,
            pad[2] + "}",
        )


#: an indicator's constant text (`Fragments.indicators`)
_Entry = tuple[tuple[object, ...], str, str, str, str, tuple[object, ...], tuple[str, ...]]


class CardContext(Protocol):
    """What `write_card` reads of a rubric's `_assemble.CardContext`."""

    @property
    def language(self) -> str: ...
    @property
    def names(self) -> Mapping[str, str]: ...
    @property
    def percents(self) -> frozenset[str]: ...
    @property
    def basis(self) -> Mapping[str, RuleBasis]: ...
    @property
    def criteria(self) -> Mapping[str, str]: ...
    @property
    def labels(self) -> Mapping[str, str]: ...
    @property
    def fragments(self) -> dict[int | None, Fragments]:
        """The rubric's `Fragments` by indentation."""

    def facts_sha256(self, values: Mapping[str, object]) -> str:
        """`sha256_of(values)`."""


class Pending(Protocol):
    """What `write_card` reads of a scorecard's `_assemble._Pending`."""

    @property
    def result(self) -> RunResult: ...
    @property
    def context(self) -> CardContext: ...
    @property
    def values(self) -> Mapping[str, object]: ...
    @property
    def claims(self) -> object: ...
    @property
    def trace(self) -> bool: ...
    @property
    def made(self) -> dict[str, Any]: ...


#: an indicator's rule basis, from its result and the rubric's bases (`_assemble._basis`)
BasisOf = Callable[[LeafResult, Mapping[str, RuleBasis]], RuleBasis | None]


def fragments(context: CardContext, indent: int | None) -> Fragments:
    """The fragments of `context`'s rubric at `indent`, made on first use."""
    table = context.fragments
    made = table.get(indent)
    if made is None:
        if len(table) >= 16:  # indentations seldom vary; a caller trying many is not kept
            table.clear()
        made = table[indent] = Fragments(indent)
    return made


def write_card(card: Scorecard, p: Pending, indent: int | None, basis_of: BasisOf) -> str | None:
    """`card.to_json(indent=indent)` written from `p` (the card's `_assemble._Pending`), or
    None when the card is not one this writer writes (ranges, a project sheet, claims)."""
    d = card.__dict__
    result = p.result
    if (
        p.claims is not None
        or d.get("sheet") is not None
        or d.get("total_range", _MISSING) is not None
        or any(r.range is not None for r in result.indicators)
    ):
        return None
    context = p.context
    f = fragments(context, indent)
    heads = f.heads
    out: list[str] = []
    append = out.append
    try:
        given = (d["format"], d["perfscore"], d["rubric"])
        header = f.header
        if header is None or header[0] != given:
            text = "".join(
                heads[name] + _text(value, indent, 1)
                for name, value in zip(("format", "perfscore", "rubric"), given, strict=True)
            )
            header = f.header = (given, text + heads["facts_sha256"])
        append(header[1])
        made = _made(d, p, "facts_sha256")
        if made is _MISSING:
            made = p.made["facts_sha256"] = context.facts_sha256(p.values)
        append(_text(made, indent, 1))
        for name in _TOTALS:
            append(heads[name] + _text(d[name], indent, 1))
    except KeyError:  # a field missing from the card: the reference writer knows what to do
        return None
    append(heads["total_trace"])
    made = _made(d, p, "total_trace")
    if made is not _MISSING:
        append(_text(made, indent, 1))
    elif not p.trace or result.total_events is None:
        append("null")
    else:
        _steps(f, result.total_events, context, None, 2, out)
    append(heads["groups"])
    made = _made(d, p, "groups")
    if made is not _MISSING:
        append(_text(made, indent, 1))
    else:
        _groups(f, result.groups.values(), out)
    append(heads["indicators"])
    made = _made(d, p, "indicators")
    read: set[object] = set()
    if made is not _MISSING:
        append(_text(made, indent, 1))
        read.update(k for i in made if i.trace is not None for k in i.trace.inputs)
    else:
        _indicators(f, result.indicators, context, p.trace, basis_of, read, out)
    append(heads["warnings"])
    made = _made(d, p, "warnings")
    if made is not _MISSING:
        append(_text(made, indent, 1))
    else:
        _warnings(f, result.warnings, context.language, out)
    for name, none in (("discrepancies", "[]"), ("review", "null")):  # no claims: none
        made = _made(d, p, name)
        append(heads[name] + (none if made is _MISSING else _text(made, indent, 1)))
    append(heads["labels"])
    made = _made(d, p, "labels")
    if made is not _MISSING:
        append(_text(made, indent, 1))
    else:
        append(_labels(f, read, context.labels))
    append(f.pads[0] + "}")
    return "".join(out)


_TOTALS = ("subject", "period", "base_total", "bonus_total", "total", "max_total", "grade")


def _made(d: dict[str, Any], p: Pending, name: str) -> Any:
    """The field `name` when the card has made it already (read, or needed by another)."""
    value = d.get(name, _MISSING)
    return p.made.get(name, _MISSING) if value is _MISSING else value


def _groups(f: Fragments, groups: Iterable[GroupResult], out: list[str]) -> None:
    pad, indent, table = f.pads, f.indent, f.groups
    append = out.append
    sep = "[" + pad[2]
    between = "," + pad[2]
    end = pad[2] + "}"
    for g in groups:
        key = (g[1], g[2], g[4])
        entry = table.get(g[0])
        if entry is None or entry[0] != key:
            if len(table) >= _TABLE_MAX:
                table.clear()
            entry = table[g[0]] = (key, _group_head(f, g))
        score = g[3] if g[5] is None else None
        append(sep + entry[1] + _text(score, indent, 3) + end)
        sep = between
    append("[]" if sep[0] == "[" else pad[1] + "]")


def _group_head(f: Fragments, g: GroupResult) -> str:
    colon, indent, inner = f.colon, f.indent, f.pads[3]
    fields = (("id", g.id), ("name", g.name), ("parent", g.parent), ("max", g.max))
    text = "".join(
        ("{" if i == 0 else ",") + inner + _quote(name) + colon + _text(value, indent, 3)
        for i, (name, value) in enumerate(fields)
    )
    return text + "," + inner + _quote("score") + colon


def _indicators(
    f: Fragments,
    results: Sequence[LeafResult],
    context: CardContext,
    trace: bool,
    basis_of: BasisOf,
    read: set[object],
    out: list[str],
) -> None:
    pad, indent, table = f.pads, f.indent, f.indicators
    append = out.append
    names = context.names if trace else None
    opening, steps_after, steps_after_empty, closing = f.trace
    sep = "[" + pad[2]
    between = "," + pad[2]
    for r in results:
        key = (r[1], r[2], r[3], r[4], r[5], r.record_rule)
        entry = table.get(r[0])
        if entry is None or entry[0] != key:
            if len(table) >= _TABLE_MAX:
                table.clear()
            entry = table[r[0]] = _indicator_entry(f, r, key, context, basis_of(r, context.basis))
        score, applicable = r.score, r.applicable
        append(
            sep
            + entry[1]
            + (_NG(score) or _number(score) if type(score) is Decimal else _text(score, indent, 3))
            + (
                entry[2]
                if applicable is True
                else entry[3]
                if applicable is False
                else entry[2].replace("true", _text(applicable, indent, 3), 1)
            )
        )
        sep = between
        events, inputs = r.events, r.inputs
        if events is None or inputs is None:
            append("null" + entry[4])
            continue
        read.update(inputs)
        if not inputs:
            append(opening + "{}" + steps_after)
        else:
            keys = tuple(inputs)
            if keys != entry[5]:
                entry = table[r[0]] = (*entry[:5], keys, _input_heads(f, keys))
            _inputs(f, entry[6], inputs.values(), out)
            append(steps_after_empty)
        _steps(f, events, context, names, 5, out)
        append(closing + entry[4])
    append("[]" if sep[0] == "[" else pad[1] + "]")


def _indicator_entry(
    f: Fragments,
    r: LeafResult,
    key: tuple[object, ...],
    context: CardContext,
    basis: RuleBasis | None,
) -> _Entry:
    """An indicator's constant text: before its score, after it (applicable or not: the claimed
    score, none without claims, and the basis), and after its trace (the criterion)."""
    colon, indent, inner = f.colon, f.indent, f.pads[3]

    def field(name: str, value: object, first: bool = False) -> str:
        return ("{" if first else ",") + inner + _quote(name) + colon + _text(value, indent, 3)

    head = (
        field("id", r.id, first=True)
        + field("name", r.name)
        + field("group", r.group)
        + field("kind", r.kind)
        + field("min", r.min)
        + field("max", r.max)
        + ","
        + inner
        + _quote("score")
        + colon
    )
    after = field("claimed", None) + field("basis", basis) + "," + inner + _quote("trace") + colon
    tail = field("criterion", context.criteria.get(r.id)) + f.pads[2] + "}"
    yes, no = field("applicable", True) + after, field("applicable", False) + after
    return (key, head, yes, no, tail, (), ())


def _input_heads(f: Fragments, keys: tuple[object, ...]) -> tuple[str, ...]:
    """The text before each input's value: the map opened, the separator, the quoted name."""
    inner, colon = f.pads[5], f.colon
    return tuple(
        f.trace[0] + "{" + inner + _name(k) + colon if i == 0 else "," + inner + _name(k) + colon
        for i, k in enumerate(keys)
    )


def _name(key: object) -> str:
    return _quote(key if type(key) is str else str(key))


def _inputs(f: Fragments, heads: tuple[str, ...], values: Iterable[Any], out: list[str]) -> None:
    """A trace's inputs (a non-empty map at depth 4, not closed) after `heads`, each value as
    the trace records it."""
    append = out.append
    for head, v in zip(heads, values, strict=True):
        cls = type(v)
        if cls is Decimal:
            append(head + (_NG(v) or _number(v)))
        elif cls is bool:
            append(head + ("true" if v else "false"))
        elif cls is str:
            append(head + _quote(v))
        elif v is None:
            append(head + "null")
        elif cls is Records:
            append(head)
            _records(f, v, out)
        else:
            append(head)
            _fast(plain(v), out, f.indent, False, 5)


def _records(f: Fragments, records: Records, out: list[str]) -> None:
    """A list fact in a trace's inputs (depth 5) as `plain` records it: a list of maps."""
    if not records:
        out.append("[]")
        return
    pad, table, append = f.pads, f.records, out.append
    sep = "[" + pad[6]
    between = "," + pad[6]
    end = pad[6] + "}"
    for record in records:
        append(sep)
        sep = between
        if not record:
            append("{}")
            continue
        keys = tuple(record)
        heads = table.get(keys)
        if heads is None:
            if len(table) >= _TABLE_MAX:
                table.clear()
            colon, inner = f.colon, pad[7]
            heads = table[keys] = tuple(
                ("{" if i == 0 else ",") + inner + _name(k) + colon for i, k in enumerate(keys)
            )
        fields: Iterable[Any] = record.values()
        for head, v in zip(heads, fields, strict=True):
            cls = type(v)
            if cls is Decimal:
                append(head + (_NG(v) or _number(v)))
            elif cls is str:
                append(head + _quote(v))
            elif cls is bool:
                append(head + ("true" if v else "false"))
            elif v is None:
                append(head + "null")
            else:
                append(head + _text(_scalar(v), f.indent, 7))
        append(end)
    append(pad[5] + "]")


def _steps(
    f: Fragments,
    events: Sequence[Event],
    context: CardContext,
    names: Mapping[str, str] | None,
    depth: int,
    out: list[str],
) -> None:
    """The steps of a trace at `depth` (5: an indicator's, 2: the total's)."""
    if not events:
        out.append("[]")
        return
    detail, amount_head, rule_head, end, closing = f.steps[depth]
    kinds, texts, indent = f.kinds, f.texts, f.indent
    named = names is not None
    first = True
    append = out.append
    for e in events:
        kind, value, phrase, args, amount, rule = e[0], e[1], e[2], e[3], e[4], e[5]
        key: tuple[object, ...] | None = None
        keepable = (
            type(value) is Decimal
            and (amount is None or type(amount) is Decimal)
            and (rule is None or type(rule) is str)
            and type(kind) is str
        )
        if keepable and type(args) is FixedArgs:
            # arguments made once (a generated plan's constants): they never change, so the
            # same map always gives the same words, kept by its identity
            values: Any = (args,)
            key = (first, depth, named, kind, phrase, amount, rule, value, id(args))
        else:
            values = args.values()
            if keepable and _KEEPABLE.issuperset(map(type, values)):
                # numbers are written by value (equal numbers, equal text); an argument's
                # words may differ between equal values (5 and 5.0): they count by identity
                key = (first, depth, named, kind, value, phrase, amount, rule, *args)
                key += tuple(map(id, values))
        if key is not None:
            hit = texts.get(key)
            if hit is not None:
                append(hit[1])
                first = False
                continue
        head = kinds.get((first, depth, kind))
        if head is None:
            head = kinds[(first, depth, kind)] = _step_head(f, kind, depth, first)
        if names and phrase in _BAND:
            args = {
                **args,
                **measure_words(
                    context.language, args["measure"], args["value"], names, context.percents
                ),
            }
        text = (
            head
            + _text(value, indent, depth + 1)
            + detail
            + _quote(step_text(context.language, phrase, args))
            + amount_head
            + ("null" if amount is None else _text(amount, indent, depth + 1))
            + rule_head
            + ("null" if rule is None else _text(rule, indent, depth + 1))
            + end
        )
        append(text)
        if key is not None:
            if len(texts) >= _TABLE_MAX:
                texts.clear()
            texts[key] = (tuple(values), text)
        first = False
    append(closing)


def _step_head(f: Fragments, kind: object, depth: int, first: bool) -> str:
    colon, inner = f.colon, f.pads[depth + 1]
    return (
        ("[" if first else ",")
        + f.pads[depth]
        + "{"
        + inner
        + _quote("kind")
        + colon
        + _text(kind, f.indent, depth + 1)
        + ","
        + inner
        + _quote("value")
        + colon
    )


def _warnings(f: Fragments, notices: Sequence[Notice], language: str, out: list[str]) -> None:
    if not notices:
        out.append("[]")
        return
    check_head, message_head, severity_head, end = f.warning
    indent, pad = f.indent, f.pads
    sep = "[" + pad[2]
    for w in notices:
        message = notice_text(language, w.phrase, w.args)
        severity = w.severity
        out.append(
            sep
            + check_head
            + _text(w.check, indent, 3)
            + message_head
            + _quote(message)
            + ("" if severity == _DEFAULT_SEVERITY else severity_head + _text(severity, indent, 3))
            + end
        )
        sep = "," + pad[2]
    out.append(pad[1] + "]")


def _labels(f: Fragments, read: set[object], named: Mapping[str, str]) -> str:
    key = frozenset(read)
    text = f.labels.get(key)
    if text is None:
        shown = sorted(k for k in read if isinstance(k, str) and k in named)
        if len(f.labels) >= _TABLE_MAX:
            f.labels.clear()
        text = f.labels[key] = _text({k: named[k] for k in shown}, f.indent, 1)
    return text


# --- the facts hash ----------------------------------------------------------------------------
# `sha256_of(values)` writes the validated facts as canonical JSON (`_scorecard._compact`) and
# hashes the text. `canonical_source` writes the same writer for one rubric's facts as straight
# Python: every fact and records field in the canonical order, its type checked and its text
# made inline, the keys' text module constants. It returns None for a value of any other type
# (an unknown or doubtful mark, a value the happy-path validator would not give), and
# `facts_sha256` then hashes the general writer's text: both give the same bytes
# (tests/test_cardjson.py).


def canonical_source(schema: Mapping[str, Any]) -> tuple[str, dict[str, object]]:
    """The source of ``canonical_facts(values)`` for `schema` (the text `_canonical` writes
    for those values, or None), the text before each value a constant of its own (``H0``, ...),
    and the names it reads."""
    lines = [
        "def canonical_facts(v):",
        '    """The canonical JSON of validated facts; None: the general writer writes it."""',
    ]
    constants: dict[str, object] = {}

    def head(text: str) -> str:
        name = f"H{len(constants)}"
        constants[name] = text
        return name

    def block(items: Sequence[Any], given: str, depth: int, counter: list[int]) -> list[str]:
        """Lines that leave each item's text in a local; the names of the heads and locals."""
        pad = "    " * depth
        lines.append(f"{pad}if type({given}) is not {'dict' if depth == 1 else 'Proxy'}:")
        lines.append(f"{pad}    return None")
        lines.append(f"{pad}if len({given}) != {len(items)}:")
        lines.append(f"{pad}    return None")
        parts: list[str] = []
        for i, item in enumerate(sorted(items, key=lambda item: str(item[0]))):
            n = counter[0]
            counter[0] += 1
            x, t, kind = f"x{n}", f"t{n}", item[1]
            lines.append(f"{pad}{x} = {given}[{item[0]!r}]")
            if kind == _LIST:
                row, rows = f"r{n}", f"s{n}"
                lines.append(f"{pad}if type({x}) is not Records:")
                lines.append(f"{pad}    return None")
                lines.append(f"{pad}{rows} = []")
                lines.append(f"{pad}for {row} in {x}:")
                fields = block(item[8], row, depth + 1, counter)
                text = "".join("{" + part + "}" for part in fields)
                lines.append(
                    f"{pad}    {rows}.append(f'{text}{{{head('}')}}}')"
                    if fields
                    else f"{pad}    {rows}.append('{{}}')"
                )
                lines.append(f"{pad}{t} = '[' + ','.join({rows}) + ']'")
            else:
                test, made = _CANONICAL_TYPES[kind]
                lines.append(f"{pad}if {test.format(x=x)}:")
                lines.append(f"{pad}    {t} = {made.format(x=x)}")
                lines.append(f"{pad}elif {x} is None:")
                lines.append(f"{pad}    {t} = 'null'")
                lines.append(f"{pad}else:")
                lines.append(f"{pad}    return None")
            parts += [head(("{" if i == 0 else ",") + _quote(str(item[0])) + ":"), t]
        return parts

    top = block(_prepare(schema), "v", 1, [0])
    text = "".join("{" + part + "}" for part in top)
    lines.append(f"    return f'{text}{{{head('}')}}}'" if top else "    return '{}'")
    heads = [f"{name} = {value!r}" for name, value in constants.items()]  # escaped literals
    return "\n".join([*heads, "", *lines]) + "\n", {
        "Decimal": Decimal,
        "NG": _NG,
        "num": _number,
        "quote": _quote,
        "date": dt.date,
        "Records": Records,
        "Proxy": MappingProxyType,
    }


def canonical_listing(schema: Mapping[str, Any]) -> str:
    """`canonical_source`'s source under a heading, as `perfscore compile --show` prints it
    after the rest of the generated module."""
    return _CANONICAL_HEAD + canonical_source(schema)[0]


_CANONICAL_HEAD = """
# --- the facts hash's canonical text ---------------------------------------------------------
# The validated facts as canonical JSON, for a scorecard's facts_sha256; None hands them to the
# general writer (a value of another type: an unknown or doubtful mark). H0, H1, ... are the
# text before each value.
"""

#: a fact's type: the test that its value has it, and the expression of its text
_CANONICAL_TYPES = {
    _NUM: ("type({x}) is Decimal", "NG({x}) or num({x})"),
    _BOOLEAN: ("type({x}) is bool", "'true' if {x} else 'false'"),
    _DATE_KIND: ("type({x}) is date", "'\"' + {x}.isoformat() + '\"'"),
    _ENUM: ("type({x}) is str", "quote({x})"),
    _TEXT: ("type({x}) is str", "quote({x})"),
}


def canonical_writer(schema: Mapping[str, Any]) -> Callable[[Mapping[str, object]], str | None]:
    """`canonical_source`'s function, compiled (once per distinct source in the process, as
    every generated source is, `_codegen._code`); with ``PERFSCORE_CODEGEN=0``, which turns
    all generated code off, a function that leaves every text to the general writer."""
    if not enabled():
        return _no_text
    source, namespace = canonical_source(schema)
    # our own source: a key appears only as its repr(), every text is a constant
    exec(_code(source, "canonical facts"), namespace)  # noqa: S102
    function: Callable[[Mapping[str, object]], str | None] = namespace["canonical_facts"]  # type: ignore[assignment]
    return function


def _no_text(values: Mapping[str, object]) -> None:
    """No canonical text: the general writer writes it."""


def facts_sha256(
    write: Callable[[Mapping[str, object]], str | None], values: Mapping[str, object]
) -> str:
    """`sha256_of(values)`, the text written by `write` (a `canonical_writer`) when it can."""
    try:
        text = write(values)
    except KeyError:  # a declared key missing where another stands in its place
        text = None
    return sha256_of(values) if text is None else sha256_of_text(text)
