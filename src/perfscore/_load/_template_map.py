"""Reading the fact-entry template back through its hidden cell map.

The map (sheet `MAP_SHEET`) lists every value cell: its kind (``fact``, ``list``, ``field``,
``claim``, ``na``, ``total``, ``grade``, ``subject``, ``period``; ``mark`` and ``mark-note``, a
fact's 状态 and its reason; ``list-marks``, a list sheet's three mark columns), the fact or
indicator id, the
sheet, the cell (a column for a list's field), the type, the label shown beside it and whether a
value must be given; a digest row closes it. The map is trusted only as far as it is checked:
its digest must match, every sheet and cell must exist, ids must be unique, and the label beside
each value cell must still be the label the map names, so a map edited by hand, or rows moved
under it, is a `workbook-map` error. Types in the map only decide how a cell is read (是 as a
boolean); the rubric validates every value afterwards.

The layout is checked before any value is read, and said as a person changed it: a sheet the
map names that is gone is one problem naming the sheets there are; a sheet whose labels moved is
one problem at its first wrong label, saying how many rows (or columns) were inserted or deleted
when every label from there on moved alike; a value cell merged into another cell is one problem
at that cell. Cells are never re-mapped by their labels: the map is the contract.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from perfscore._errors import (
    DocumentError,
    Location,
    Problem,
    column_letter,
    sheet_reference,
    short_repr,
)
from perfscore._load._xlsx import (
    EMPTY,
    MAP_MAGIC,
    MAP_SHEET,
    MAP_VERSION,
    SheetReader,
    WorkbookDocument,
    map_digest,
    parse_coordinate,
)
from perfscore._messages import Message

__all__ = ["read_template"]

_KINDS = frozenset(
    {
        *("rubric-cell", "subject", "period", "fact", "list", "field", "claim", "na", "total"),
        *("grade", "mark", "mark-note", "list-marks", "heading"),
    }
)
#: the words of the map's own rows: 是/否 and the 状态 drop-down's 已知/不详/存疑
_WORDS = frozenset({"true", "false", "known", "unknown", "doubtful"})
_TYPES = frozenset({"number", "integer", "percent", "boolean", "date", "enum", "text", "list"})
_MAX_MAP_ROWS = 20_000
#: how far rows or columns are looked for when the labels of a sheet stand shifted
_MAX_SHIFT = 1_000
_Path = tuple[str | int, ...]
_Cell = tuple[int, int]


def _normalise(text: object) -> str:
    return " ".join(str(text).split()) if text is not None else ""


class _Map:
    """The map's entries, checked against the workbook."""

    def __init__(self, reader: SheetReader) -> None:
        self.reader = reader
        self.problems: list[Problem] = []
        self.home = Location(reader.name, sheet=MAP_SHEET)
        self.words: dict[str, str] = {}
        self.rubric: str | None = None
        self.entries: list[tuple[int, list[str]]] = []
        self._read()

    def fail(self, message: str, row: int | None = None, hint: str | None = None) -> None:
        where = Location(self.reader.name, row, 1 if row else None, sheet=MAP_SHEET)
        self.problems.append(
            Problem(
                "workbook-map",
                message,
                where,
                hint=hint or Message("workbook-map-hint"),
            )
        )

    def _read(self) -> None:
        ws = self.reader.formulas[MAP_SHEET]
        rows: list[list[str]] = []
        digest: str | None = None
        for number, values in enumerate(
            ws.iter_rows(min_row=1, max_col=7, values_only=True), start=1
        ):
            if number > _MAX_MAP_ROWS:
                self.fail(Message("workbook-map-too-long", limit=_MAX_MAP_ROWS))
                return
            cells = ["" if v is None else str(v) for v in values]
            if cells and cells[0] == "digest":
                digest = cells[1] if len(cells) > 1 else ""
                break
            rows.append(cells)
        if not rows or rows[0][:2] != [MAP_MAGIC, MAP_VERSION]:
            self.fail(
                Message("workbook-map-not-a-map", sheet=MAP_SHEET, version=MAP_VERSION),
                1,
            )
            return
        if digest is None or digest != map_digest(rows):
            self.fail(Message("workbook-map-changed"))
            return
        for number, cells in enumerate(rows[1:], start=2):
            kind = cells[0]
            if kind == "rubric":
                self.rubric = cells[1]
            elif kind in _WORDS:
                self.words[kind] = cells[1]
            elif kind in _KINDS:
                self.entries.append((number, (cells + [""] * 7)[:7]))
            else:
                self.fail(Message("workbook-map-unknown-entry", kind=kind), number)

    def check_label(self, row: int, sheet: str, at: tuple[int, int], label: str) -> None:
        """The label the map names must still stand where it was written."""
        shown = self.reader.formulas[sheet].cell(row=at[0], column=at[1]).value
        if _normalise(shown) != _normalise(label):
            cell = Location(self.reader.name, at[0], at[1], sheet=sheet).cell()
            self.fail(
                Message(
                    "workbook-map-label-moved",
                    cell=cell,
                    shown=_normalise(shown)[:40],
                    label=label[:40],
                ),
                row,
            )


def read_template(reader: SheetReader) -> WorkbookDocument:
    """The facts document a filled template holds.

    Raises:
        DocumentError: the map is missing or changed, or the sheets it names were renamed,
            moved under it or merged (`workbook-map`), or a formula cell has no value
            (`formula-no-value`); every such problem at once.
    """
    m = _Map(reader)
    if m.problems:
        raise DocumentError(m.problems, summary=Message("workbook-map-summary", name=reader.name))
    name = reader.name
    layout = [*_layout_problems(m, reader), *m.problems]
    if layout:
        raise DocumentError(
            layout, summary=Message("workbook-summary", name=name, count=len(layout))
        )
    sheets = set(reader.formulas.sheetnames)
    data: dict[str, object] = {}
    if m.rubric:
        data["rubric"] = m.rubric
    facts: dict[str, object] = {}
    claims: dict[str, object] = {}
    indicators: dict[str, object] = {}
    not_applicable: list[str] = []
    cells: dict[_Path, Location] = {}
    home = Location(name)
    lists: dict[str, tuple[str, int, int, str, bool]] = {}
    fields: dict[str, list[tuple[str, int, str, str, bool]]] = {}
    seen: set[tuple[str, str]] = set()
    states: dict[str, tuple[object, Location]] = {}
    notes: dict[str, tuple[object, Location]] = {}
    list_marks: dict[str, tuple[int, int, int, str]] = {}
    for row, (kind, key, sheet, cell, kind_type, label, needed) in m.entries:
        if sheet not in sheets or sheet == MAP_SHEET:
            m.fail(Message("workbook-map-no-sheet", sheet=sheet), row)
            continue
        if (kind, key) in seen and kind not in ("subject", "period", "total", "grade"):
            m.fail(Message("workbook-map-twice", kind=kind, key=key), row)
            continue
        seen.add((kind, key))
        if kind_type not in _TYPES:
            m.fail(Message("workbook-map-unknown-type", type=kind_type), row)
            continue
        if kind == "list":
            first, _, last = cell.partition(":")
            if not (first.isdigit() and last.isdigit() and 3 <= int(first) <= int(last)):
                m.fail(Message("workbook-map-bad-rows", cell=cell, key=key), row)
                continue
            if int(last) - int(first) >= 100_000:
                m.fail(Message("workbook-map-rows-too-long", cell=cell, key=key), row)
                continue
            lists[key] = (sheet, int(first), int(last), label, needed == "required")
            continue
        if kind == "list-marks":
            letters = cell.split(":")
            at_all = [parse_coordinate(f"{letter}1") for letter in letters]
            if len(letters) != 3 or any(a is None for a in at_all):
                m.fail(Message("workbook-map-bad-marks", cell=cell, key=key), row)
                continue
            columns_at = [a[1] for a in at_all if a is not None]
            list_marks[key] = (columns_at[0], columns_at[1], columns_at[2], label)
            continue
        if kind == "field":
            list_id, _, field_id = key.partition(".")
            at = parse_coordinate(f"{cell}1")
            if not field_id or at is None:
                m.fail(Message("workbook-map-bad-field", key=key, cell=cell), row)
                continue
            fields.setdefault(list_id, []).append(
                (field_id, at[1], kind_type, label, needed == "required")
            )
            continue
        at = parse_coordinate(cell)
        if at is None:
            m.fail(Message("workbook-map-bad-cell", cell=cell), row)
            continue
        if kind == "heading":  # a column's heading, checked with the layout
            continue
        where = reader.location(sheet, at[0], at[1], label)
        if kind == "rubric-cell":
            cells[("rubric",)] = where
            home = Location(name, sheet=sheet)
            shown = reader.read(sheet, at[0], at[1], "text", label, m.words)
            if m.rubric and shown != m.rubric:  # the map, not the cell, says what it is for
                m.problems.append(
                    Problem(
                        "workbook-map",
                        Message(
                            "workbook-rubric-cell-changed",
                            cell=cell,
                            shown=short_repr(shown, 60),
                            rubric=m.rubric,
                        )
                        if shown is not EMPTY and shown != ""
                        else Message("workbook-rubric-cell-blank", cell=cell, rubric=m.rubric),
                        where,
                        hint=Message("workbook-rubric-cell-hint", rubric=m.rubric),
                    )
                )
            continue
        if kind in ("mark", "mark-note"):
            text = reader.read(sheet, at[0], at[1], "text", label, m.words)
            (states if kind == "mark" else notes)[key] = (text, where)
            continue
        read_as = (
            kind_type
            if kind in ("fact", "na")
            else "number"
            if kind in ("claim", "total")
            else "text"
        )
        value = reader.read(sheet, at[0], at[1], read_as, label, m.words)
        if kind in ("subject", "period"):
            cells[(kind,)] = where
            if value is not EMPTY:  # as every report prints it: no spaces around it
                data[kind] = value.strip() if isinstance(value, str) else value
        elif kind == "fact":
            cells[("facts", key)] = where
            if value is not EMPTY:
                facts[key] = value
            elif needed == "required":
                facts[key] = None  # reported at this cell: "expected ..., got nothing"
        elif kind == "claim":
            cells[("claimed", "indicators", key)] = where
            if value is not EMPTY:
                indicators[key] = value
        elif kind == "na":
            cells[("not_applicable", len(not_applicable))] = where
            marked = value if value is not EMPTY else False
            if marked is True:
                not_applicable.append(key)
            elif marked is not False:
                reader.problems.append(
                    Problem(
                        "fact-type",
                        Message(
                            "workbook-expected-two",
                            one=m.words.get("true", "true"),
                            other=m.words.get("false", "false"),
                            got=str(value)[:40],
                        ),
                        where,
                        hint=Message("workbook-hint-pick-or-empty"),
                    )
                )
        elif kind == "total":
            cells[("claimed", "total")] = where
            if value is not EMPTY:
                claims["total"] = value
        elif kind == "grade":
            cells[("claimed", "grade")] = where
            if value is not EMPTY:
                claims["grade"] = value
    for fact_id, (state, where) in states.items():
        note, note_where = notes.get(fact_id, (EMPTY, where))
        given = facts.get(fact_id)
        value = EMPTY if given is None else given  # None: a required cell left blank
        marked = _marked(value, state, note, where, note_where, m.words)
        if isinstance(marked, Problem):
            reader.problems.append(marked)
        elif marked is not EMPTY:
            facts[fact_id] = marked
    for list_id, (list_sheet, top, bottom, list_label, list_needed) in lists.items():
        columns = fields.get(list_id, [])
        marks = list_marks.get(list_id)
        records = _records(reader, m, list_sheet, top, bottom, columns, list_id, cells, marks)
        cells[("facts", list_id)] = Location(name, sheet=list_sheet, label=list_label)
        if records or list_needed:
            facts[list_id] = records
        if list_needed and not records:  # none, or none typed: said, never silently none
            first_row = reader.location(list_sheet, top, 1, label=list_label)
            reader.warnings.append(
                Problem(
                    "empty-list",
                    Message("workbook-empty-list", sheet=list_sheet, label=list_label),
                    first_row,
                    hint=Message(
                        "workbook-hint-empty-list", cell=f"{sheet_reference(list_sheet)}!A{top}"
                    ),
                    severity="warning",
                )
            )
    for list_id in fields:
        if list_id not in lists:
            m.fail(Message("workbook-map-fields-no-list", list=list_id))
    reader.problems.extend(_outside(reader, m.entries, lists, fields, list_marks))
    problems = [*m.problems, *reader.problems]
    if problems:
        raise DocumentError(
            problems, summary=Message("workbook-summary", name=name, count=len(problems))
        )
    data["facts"] = facts
    if not_applicable:
        data["not_applicable"] = not_applicable
    if indicators:
        claims["indicators"] = indicators
    if claims:
        data["claimed"] = {"indicators": claims.pop("indicators", {}), **claims}
    cells.setdefault(("facts",), home)
    return WorkbookDocument(
        name, data, cells=cells, home=home, warnings=tuple(reader.warnings), layout="template"
    )


def _outside(
    reader: SheetReader,
    entries: Sequence[tuple[int, list[str]]],
    lists: Mapping[str, tuple[str, int, int, str, bool]],
    fields: Mapping[str, Sequence[tuple[str, int, str, str, bool]]],
    marks: Mapping[str, tuple[int, int, int, str]],
) -> list[Problem]:
    """A value typed where the template reads nothing, never left out silently: below a list
    sheet's last row (a record past the rows the template has: refused at its cell), below
    another sheet's last row or right of a sheet's last column in a row it reads (a warning at
    its cell: it may be a note). A sheet's last row is its last mapped cell's or heading's (the
    facts sheet's list facts have rows of their own, mapped as headings); a template made
    before headings were mapped gets no warning below its facts sheet's last value."""
    last_row: dict[str, int] = {}
    last_column: dict[str, int] = {}
    rows_read: dict[str, set[int]] = {}
    headed: set[str] = set()
    fact_sheets: set[str] = set()

    def extend(sheet: str, row: int, column: int) -> None:
        last_row[sheet] = max(last_row.get(sheet, 0), row)
        last_column[sheet] = max(last_column.get(sheet, 0), column)
        rows_read.setdefault(sheet, set()).add(row)

    for _, (kind, _key, sheet, cell, _type, _label, _needed) in entries:
        at = parse_coordinate(cell) if kind not in ("list", "list-marks", "field") else None
        if at is not None and kind not in ("rubric-cell", "heading"):
            extend(sheet, at[0], at[1])
        if kind == "fact":
            fact_sheets.add(sheet)
    for _, (kind, _key, sheet, cell, _type, _label, _needed) in entries:
        at = parse_coordinate(cell) if kind == "heading" else None
        if at is not None and sheet in last_row:
            last_row[sheet] = max(last_row[sheet], at[0])
            headed.add(sheet)
    for list_id, (sheet, top, bottom, _, _) in lists.items():
        columns = [column for _, column, _, _, _ in fields.get(list_id, ())]
        columns += list(marks[list_id][:3]) if list_id in marks else []
        for row in (top, bottom):
            extend(sheet, row, max(columns, default=1))
        rows_read[sheet].update(range(top, bottom + 1))
    list_sheets = {sheet for sheet, *_ in lists.values()}
    problems: list[Problem] = []
    for sheet, bottom in last_row.items():
        if sheet not in reader.values.sheetnames:
            continue
        right = last_column[sheet]
        done = 0  # the last row reported: one problem a row
        for r, c, value in reader.present(sheet):
            if r == done or value is None or (isinstance(value, str) and not value.strip()):
                continue
            under = r > bottom and (sheet in headed or sheet not in fact_sheets)
            if under or (c > right and r in rows_read[sheet]):
                where = reader.location(sheet, r, c)
                last = f"{column_letter(right)}{bottom}"
                below = r > bottom and sheet in list_sheets
                problem = Problem(
                    "unread-cell",
                    Message("workbook-outside", value=short_repr(value, 40), last=last),
                    where,
                    hint=Message("workbook-hint-outside-list")
                    if below
                    else Message("workbook-hint-outside", sheet=sheet),
                    # a record past the list's rows would change the score: an error; a
                    # value beside a row may be a person's note: a warning, printed
                    severity="error" if below else "warning",
                )
                (problems if below else reader.warnings).append(problem)
                done = r  # one a row: the row is what was typed in the wrong place
    return problems


class _Layout:
    """What the map says the visible sheets look like: the label each label cell shows, the
    cells values are read from (with the label beside each) and each list's block of rows."""

    def __init__(self, m: _Map, sheets: set[str]) -> None:
        self.m = m
        self.labels: dict[str, dict[_Cell, str]] = {}
        self.values: dict[str, dict[_Cell, str | None]] = {}
        self.blocks: dict[str, list[tuple[int, int, dict[int, str | None]]]] = {}
        self.missing: list[str] = []
        lists: dict[str, tuple[str, int, int]] = {}
        columns: dict[str, dict[int, str | None]] = {}
        for row, (kind, key, sheet, cell, _, label, _) in m.entries:
            if sheet == MAP_SHEET:
                continue  # the entry is refused as it is read
            if sheet not in sheets:
                if sheet not in self.missing:
                    self.missing.append(sheet)
                continue
            if kind == "list":
                first, _, last = cell.partition(":")
                if first.isdigit() and last.isdigit() and 3 <= int(first) <= int(last):
                    lists[key] = (sheet, int(first), min(int(last), int(first) + 100_000))
                continue
            if kind in ("field", "list-marks"):
                letters = [cell] if kind == "field" else cell.split(":")
                at_columns = columns.setdefault(key.partition(".")[0], {})
                for i, letter in enumerate(letters):
                    at = parse_coordinate(f"{letter}1")
                    if at is not None:
                        at_columns.setdefault(at[1], label if i == 0 else None)
                continue
            at = parse_coordinate(cell)
            if at is None:
                continue  # refused as it is read
            if kind == "heading":  # the label is the cell itself, no value is read there
                self.label(row, sheet, at, label)
                continue
            self.label(row, sheet, (at[0], 1), label)
            if kind != "rubric-cell":  # the rubric's cell is locked, never read
                self.values.setdefault(sheet, {}).setdefault(at, label)
        for list_id, (list_sheet, top, bottom) in lists.items():
            header = 3 if top > 3 else top - 1
            at_columns = columns.get(list_id, {})
            for column, field_label in at_columns.items():
                if field_label is not None:
                    self.label(0, list_sheet, (header, column), field_label)
            self.blocks.setdefault(list_sheet, []).append((top, bottom, at_columns))

    def label(self, row: int, sheet: str, at: _Cell, label: str) -> None:
        known = self.labels.setdefault(sheet, {})
        if at not in known:
            known[at] = label
        elif _normalise(known[at]) != _normalise(label):  # the map names two labels here
            self.m.check_label(row, sheet, at, label)


def _layout_problems(m: _Map, reader: SheetReader) -> list[Problem]:
    """The template's layout, checked before any value is read: every sheet the map names is
    there, each label stands where the template wrote it and no value cell is merged into
    another. One problem for a missing sheet, one for a sheet whose labels moved (saying by how
    many rows when they all moved alike), one per merged range over a value cell."""
    book = reader.formulas
    sheets = [sheet for sheet in book.sheetnames if sheet != MAP_SHEET]
    layout = _Layout(m, set(sheets))
    rubric = m.rubric or "RUBRIC"
    problems = [
        Problem(
            "workbook-map",
            Message(
                "workbook-sheet-missing",
                sheet=sheet,
                sheets=", ".join(repr(name) for name in sheets),
            ),
            Location(reader.name),
            hint=Message("workbook-sheet-missing-hint", sheet=sheet, rubric=rubric),
        )
        for sheet in layout.missing
    ]
    for sheet in sheets:
        ws = book[sheet]
        size = (ws.max_row, ws.max_column)

        def read(row: int, column: int, ws: Any = ws, size: _Cell = size) -> str:
            """The text of a cell inside the sheet's used range (cells beyond it are not made)."""
            if not (1 <= row <= size[0] and 1 <= column <= size[1]):
                return ""
            return _normalise(ws.cell(row=row, column=column).value)

        merged = sorted(
            (r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges
        )
        labels = {
            at: label
            for at, label in layout.labels.get(sheet, {}).items()
            if _merged_into(at, merged) is None  # reported as merged below
        }
        wrong = sorted(at for at, label in labels.items() if read(*at) != _normalise(label))
        if wrong:
            problems.append(_moved(reader, sheet, labels, read, wrong[0], size, rubric))
        problems.extend(
            _merges(
                reader,
                sheet,
                merged,
                {**layout.labels.get(sheet, {}), **layout.values.get(sheet, {})},
                layout.blocks.get(sheet, []),
            )
        )
    return problems


def _merged_into(at: _Cell, merged: Sequence[tuple[int, int, int, int]]) -> _Cell | None:
    """The top-left cell of the merged range `at` lies in, unless it is that cell."""
    for top, left, bottom, right in merged:
        if top <= at[0] <= bottom and left <= at[1] <= right and at != (top, left):
            return top, left
    return None


def _merges(
    reader: SheetReader,
    sheet: str,
    merged: Sequence[tuple[int, int, int, int]],
    cells: dict[_Cell, str | None],
    blocks: Sequence[tuple[int, int, dict[int, str | None]]],
) -> list[Problem]:
    """One problem per merged range that covers a cell the map reads (other than the range's
    top-left cell, which keeps its value), at the first such cell."""
    problems = []
    for top, left, bottom, right in merged:
        hits = [
            (at, label)
            for at, label in cells.items()
            if top <= at[0] <= bottom and left <= at[1] <= right and at != (top, left)
        ]
        for first, last, columns in blocks:
            inside = sorted(c for c in columns if left <= c <= right)
            for row in range(max(top, first), min(bottom, last) + 1) if inside else ():
                row_hits = [(row, c) for c in inside if (row, c) != (top, left)]
                if row_hits:
                    hits.append((row_hits[0], columns[row_hits[0][1]]))
                    break
        if not hits:
            continue
        (row, column), label = min(hits, key=lambda hit: hit[0])
        where = reader.location(sheet, row, column, label)
        span = f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"
        problems.append(
            Problem(
                "workbook-map",
                Message(
                    "workbook-cell-merged",
                    cell=where.cell(),
                    top=f"{column_letter(left)}{top}",
                    range=span,
                ),
                where,
                hint=Message("workbook-cell-merged-hint", range=span),
            )
        )
    return problems


def _moved(
    reader: SheetReader,
    sheet: str,
    labels: dict[_Cell, str],
    read: Callable[[int, int], str],
    first: _Cell,
    size: _Cell,
    rubric: str,
) -> Problem:
    """The problem of a sheet whose labels no longer stand where the template wrote them, at
    the first wrong label: rows (or columns) inserted or deleted when every label from there
    on stands the same number of rows (columns) away, else that the labels differ."""
    row, column = first
    cell = f"{column_letter(column)}{row}"
    label, shown = labels[first][:40], read(row, column)[:40]
    expected = (
        Message("workbook-label-expected", cell=cell, label=label, shown=shown)
        if shown
        else Message("workbook-label-expected-blank", cell=cell, label=label)
    )
    where = Message("workbook-labels-from-row", row=row, column=column_letter(column))
    verdict = Message("workbook-labels-edited")
    for axis in (0, 1):
        shift = _shift(labels, read, first, size, axis)
        if shift is None:
            continue
        kind, count, line = shift
        if axis == 0:
            verdict = Message(f"workbook-rows-{kind}", count=count, row=line)
        else:
            where = Message("workbook-labels-from-column", row=row, column=column_letter(column))
            verdict = Message(f"workbook-columns-{kind}", count=count, column=column_letter(line))
        break
    return Problem(
        "workbook-map",
        Message(
            "workbook-labels-differ", sheet=sheet, where=where, expected=expected, verdict=verdict
        ),
        Location(reader.name, row, column, sheet=sheet),
        hint=Message("workbook-layout-hint", rubric=rubric),
    )


def _shift(
    labels: dict[_Cell, str],
    read: Callable[[int, int], str],
    first: _Cell,
    size: _Cell,
    axis: int,
) -> tuple[str, int, int] | None:
    """How the labels from `first` on moved along `axis` (0 rows, 1 columns), when they all
    moved alike: ``("inserted", k, n)``, k lines inserted before line n (every label from
    `first`'s line n on stands k lines later); ``("deleted", k, m)``, k lines deleted from line
    m on, or ``("deleted-above", k, m)``, k lines deleted somewhere before line m (the labels
    from a line on stand k lines earlier, those between the last label in place and that line
    are gone, or the lines between them were not label lines); the smallest such k. None when
    the labels did not move alike."""
    n = first[axis]
    last = max(at[axis] for at in labels)

    def holds(by: int, low: int, high: int) -> bool:
        """Every label on the lines low..high stands `by` lines away (and there is one)."""
        kept = [(at, label) for at, label in labels.items() if low <= at[axis] <= high]
        return bool(kept) and all(
            at[axis] + by >= 1
            and read(*((at[0] + by, at[1]) if axis == 0 else (at[0], at[1] + by)))
            == _normalise(label)
            for at, label in kept
        )

    want, shown = _normalise(labels[first]), read(*first)
    for by in range(1, min(max(size[axis], last) - n, _MAX_SHIFT) + 1):
        ahead = (first[0] + by, first[1]) if axis == 0 else (first[0], first[1] + by)
        if read(*ahead) == want and holds(by, n, last):
            return "inserted", by, n
        if _normalise(labels.get(ahead, "")) == shown != "" and holds(-by, n + by, last):
            since = n + by  # the first line whose labels stand `by` lines earlier
            for line in range(n + by - 1, n - 1, -1):
                if any(at[axis] == line for at in labels):
                    if not holds(-by, line, line):
                        break
                    since = line
            before = max((at[axis] for at in labels if at[axis] < n), default=0)
            if since - 1 - before == by:
                return "deleted", by, before + 1
            return "deleted-above", by, since
    return None


def _records(
    reader: SheetReader,
    m: _Map,
    sheet: str,
    first: int,
    last: int,
    columns: Sequence[tuple[str, int, str, str, bool]],
    list_id: str,
    cells: dict[_Path, Location],
    marks: tuple[int, int, int, str] | None = None,
) -> list[dict[str, object]]:
    """The records of a list sheet: one per row with any value, blank rows skipped; a row's
    mark columns (`marks`: the field, 状态 and 说明 columns) make one field unknown or doubtful."""
    ws = reader.formulas[sheet]
    last = min(last, max(ws.max_row, first))
    records: list[dict[str, object]] = []
    by_label = {label: field_id for field_id, _, _, label, _ in columns}
    for row in range(first, last + 1):
        marked: tuple[object, object, object] = (EMPTY, EMPTY, EMPTY)
        if marks is not None:
            marked = (
                reader.read(sheet, row, marks[0], "text", None, m.words),
                reader.read(sheet, row, marks[1], "text", None, m.words),
                reader.read(sheet, row, marks[2], "text", None, m.words),
            )
        values = [
            (
                field_id,
                column,
                kind,
                label,
                needed,
                reader.read(sheet, row, column, kind, label, m.words),
            )
            for field_id, column, kind, label, needed in columns
        ]
        if all(value is EMPTY for *_, value in values) and all(v is EMPTY for v in marked):
            continue
        index = len(records)
        record: dict[str, object] = {}
        first_column = columns[0][1] if columns else 1
        cells[("facts", list_id, index)] = reader.location(sheet, row, first_column)
        for field_id, column, _, label, needed, value in values:
            cells[("facts", list_id, index, field_id)] = reader.location(sheet, row, column, label)
            if value is not EMPTY:
                record[field_id] = value
            elif needed:
                record[field_id] = None
        if marks is not None and any(v is not EMPTY for v in marked):
            _mark_record(reader, m, sheet, row, marks, marked, by_label, record)
        records.append(record)
    return records


def _mark_record(
    reader: SheetReader,
    m: _Map,
    sheet: str,
    row: int,
    marks: tuple[int, int, int, str],
    marked: tuple[object, object, object],
    by_label: dict[str, str],
    record: dict[str, object],
) -> None:
    """One row's mark: the field it names made unknown or doubtful, or the problem with it."""
    which, state, note = marked
    which_at = reader.location(sheet, row, marks[0], marks[3])
    state_at = reader.location(sheet, row, marks[1])
    note_at = reader.location(sheet, row, marks[2])
    if which is EMPTY:
        if state is EMPTY or state == m.words.get("known"):
            problem: object = _note_alone(note_at, m.words) if note is not EMPTY else EMPTY
        else:
            problem = Problem(
                "invalid-marker",
                Message("workbook-mark-no-field", state=state),
                which_at,
                hint=Message("workbook-mark-no-field-hint"),
            )
        if isinstance(problem, Problem):
            reader.problems.append(problem)
        return
    field_id = by_label.get(str(which))
    if field_id is None:
        reader.problems.append(
            Problem(
                "invalid-marker",
                Message("workbook-mark-not-a-field", which=str(which)[:40]),
                which_at,
                hint=Message("workbook-mark-pick-field", fields="、".join(by_label)[:200]),
            )
        )
        return
    value = record.get(field_id, EMPTY)
    result = _marked(EMPTY if value is None else value, state, note, state_at, note_at, m.words)
    if isinstance(result, Problem):
        reader.problems.append(result)
    elif result is not EMPTY:
        record[field_id] = result


def _note_alone(where: Location, words: dict[str, str]) -> Problem:
    unknown, doubtful = words.get("unknown", "unknown"), words.get("doubtful", "doubtful")
    return Problem(
        "invalid-marker",
        Message("workbook-mark-note-alone", unknown=unknown, doubtful=doubtful),
        where,
        hint=Message("workbook-mark-note-alone-hint", unknown=unknown, doubtful=doubtful),
    )


def _marked(
    value: object,
    state: object,
    note: object,
    where: Location,
    note_where: Location,
    words: dict[str, str],
) -> object:
    """A value with its 状态: ``{unknown: reason}`` for 不详, ``{value, doubtful: reason}`` for
    存疑, the value itself for 已知 or no 状态; a Problem when the cells contradict each other.
    EMPTY stands for a blank value cell."""
    known = words.get("known", "known")
    unknown = words.get("unknown", "unknown")
    doubtful = words.get("doubtful", "doubtful")
    if state is EMPTY or state == known:
        return _note_alone(note_where, words) if note is not EMPTY else value
    if state == unknown:
        if value is not EMPTY:
            return Problem(
                "invalid-marker",
                Message("workbook-mark-unknown-given", unknown=unknown, value=str(value)[:40]),
                where,
                hint=Message("workbook-mark-unknown-given-hint", doubtful=doubtful),
            )
        return {"unknown": True if note is EMPTY else str(note)}
    if state == doubtful:
        if value is EMPTY:
            return Problem(
                "invalid-marker",
                Message("workbook-mark-doubtful-empty", doubtful=doubtful),
                where,
                hint=Message("workbook-mark-doubtful-empty-hint", unknown=unknown),
            )
        if note is EMPTY:
            return Problem(
                "invalid-marker",
                Message("workbook-mark-doubtful-no-reason", doubtful=doubtful),
                note_where,
                hint=Message("workbook-mark-doubtful-no-reason-hint"),
            )
        return {"value": value, "doubtful": str(note)}
    return Problem(
        "fact-type",
        Message(
            "workbook-expected-three",
            known=known,
            unknown=unknown,
            doubtful=doubtful,
            got=str(state)[:40],
        ),
        where,
        hint=Message("workbook-hint-pick-or-empty"),
    )
