"""How large the sheets of an .ods will be, read from its content.xml as it is inflated, before calamine.

calamine reads every sheet of an .ods when it opens the file and spells out
``table:number-rows-repeated`` and ``table:number-columns-repeated`` into a dense grid: an
850-byte file whose one row of non-empty cells is repeated 99,000 × 1,000 times took 6 GB and
20 s before ``etl.readers`` could refuse it, and a string cell repeated so is copied as often as
it is repeated. LibreOffice writes huge repeats too, on the empty rows and cells that pad a sheet
to its full size (each row's last cell repeated 16,369 times, 948,573 empty rows after the last);
calamine drops those, and so does this count.

``OdsExtent`` is fed content.xml chunk by chunk and counts what calamine will build, the way
calamine reads it (its element and attribute names with their prefixes, and a tag ending at the
first ``>`` outside quotes, as quick-xml ends it):

- a sheet is a ``<table:table>``, a row a ``<table:table-row>`` with its rows-repeated, a cell a
  ``<table:table-cell>`` or ``<table:covered-table-cell>`` with its columns-repeated; a cell is
  empty without a value (``office:value``, ``office:value-type``, ``office:*-value``, ``table:formula``);
- a row is as wide as the columns up to its last non-empty cell (the empty ones before it count),
  and a sheet's grid runs from row 1 and column A to its last non-empty row, as ``etl.readers``
  hands it on; each sheet is held to ``sheet_max_rows`` and ``MAX_CELLS``, and all of them to the
  file's ``CellBudget``;
- ``expanded`` counts the bytes that repeats copy (a repeated row's XML, a repeated cell's XML, a
  ``<text:s text:c="…"/>`` run of spaces), which ``etl.unpacked`` adds to the bytes unpacked.

A regular expression consumes the cells without a repeat or a ``<text:s>``, whole, and only the
tags that change the count reach Python: two per row of a LibreOffice sheet (its start, and its
end taken with the empty cell repeated to XFD before it). The regular expression is most of the
cost, ≈ 2.2 s for the 190 MB content.xml of a 100,000-row sheet (reading that file took 2 s
without the scan); the 9 MB of the eight sample ledgers take 0.13 s.

calamine ends a cell at the first end tag of a cell and ignores the tables and rows nested in it,
so a row could end inside a cell for one count and not for the other: a table, row or cell
anywhere but in its place (inside a cell, a cell outside a row), a DTD, an element left open at
the end (calamine then loops for ever) or a single element over ``MAX_ELEMENT`` bytes is refused.
LibreOffice, Excel and WPS write none of these.
"""

from __future__ import annotations

import html
import re

from etl.errors import FileError
from etl.sheet import MAX_CELLS, CellBudget

MAX_ELEMENT = 8 * 1024 * 1024  # bytes of one tag or cell kept across chunks before it is refused

# A tag's inside, quick-xml's way: a quote opens anywhere and hides any > until it closes.
_INSIDE = rb"""[^>"']*+(?:"[^"]*+"[^>"']*+|'[^']*+'[^>"']*+)*+"""
_NAMES = rb"table:(?:table|table-row|table-cell|covered-table-cell)"
_MISC = rb"!--(?:[^-]++|-(?!->))*+-->|\?(?:[^?]++|\?(?!>))*+\?>|!\[CDATA\[(?:[^\]]++|\](?!\]>))*+\]\]>"
_OTHER_END = rb"/(?!" + _NAMES + rb"\s*+>)[^>]*+>"
_OTHER_START = rb"(?![!?/]|" + _NAMES + rb"[\s/>])" + _INSIDE + rb">"
_OTHER_IN_CELL = rb"(?![!?/]|" + _NAMES + rb"[\s/>]|text:s(?!/>)[\s/>])" + _INSIDE + rb">"  # <text:s/> is one space
_CONTENT = rb"(?:[^<]++|<(?:" + _OTHER_END + b"|" + _OTHER_IN_CELL + b"|" + _MISC + rb"))*+"
_PLAIN_ATTRIBUTES = (
    rb"""(?:\s++(?!table:number-columns-repeated[\s=])[^\s=>"'/]++\s*+=\s*+(?:"[^"]*+"|'[^']*+'))*+\s*+"""
)
_PLAIN_CELL = b"|".join(
    rb"table:" + name + _PLAIN_ATTRIBUTES + rb"(?:/>|>" + _CONTENT + rb"</table:" + name + rb"\s*+>)"
    for name in (rb"table-cell", rb"covered-table-cell")
)
# What needs no Python: text, comments, other tags, and (between rows and cells) whole cells without a repeat.
_SKIP_ROWS = re.compile(rb"(?:[^<]++|<(?:" + b"|".join((_PLAIN_CELL, _OTHER_END, _OTHER_START, _MISC)) + rb"))*+")
_SKIP_CELL = re.compile(_CONTENT)
# An empty cell that ends its row widens nothing however often it is repeated (LibreOffice ends every row
# with one): it is taken with the row's end tag, one token for both.
_LAST_EMPTY_CELL = (
    rb"<table:(?:covered-)?table-cell"
    rb"""(?:\s++(?!office:|table:formula)[^\s=>"'/]++\s*+=\s*+(?:"[^"]*+"|'[^']*+'))*+\s*+/>(?=</table:table-row\s*+>)"""
)
_TOKEN = re.compile(
    rb"(?:" + _LAST_EMPTY_CELL + rb")?<(/?)(" + _NAMES + rb"|text:s)(?=[\s/>])(" + _INSIDE + rb")>|<!(?:DOCTYPE|ENTITY)"
)
_CELL_MARKS = (b"<table:table-cell", b"<table:covered-table-cell")
_CELLS = frozenset(name[1:] for name in _CELL_MARKS)
_VALUE_MARKS = tuple(
    b"office:" + name for name in (b"value", b"string-value", b"date-value", b"time-value", b"boolean-value")
) + (b"table:formula",)
_VALUE = re.compile(b"|".join(_VALUE_MARKS))  # office:value-type too
_ATTRIBUTE = rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')"""
_ROWS_REPEATED = re.compile(rb"table:number-rows-repeated" + _ATTRIBUTE)
_COLUMNS_REPEATED = re.compile(rb"table:number-columns-repeated" + _ATTRIBUTE)
_SPACES = re.compile(rb"text:c" + _ATTRIBUTE)
_NAME = re.compile(rb"table:name" + _ATTRIBUTE)
# A row or a column a person doesn't see: collapsed, or filtered away (etl.hidden says why it matters).
_HIDDEN = re.compile(rb"table:visibility" + _ATTRIBUTE)
_HIDING = frozenset((b"collapse", b"filter"))
_COLUMN = re.compile(rb"<table:table-column(?=[\s/>])(" + _INSIDE + rb")>")
MAX_COLUMN = 16_384  # columns past Excel's last are not read as anything
TOP, TABLE, ROW, CELL = "top", "table", "row", "cell"


class OdsExtent:
    """The sheets of one content.xml, counted as it is fed; ``feed`` raises ``FileError`` past a limit."""

    def __init__(self, file_name: str, max_rows: int, budget: CellBudget) -> None:
        self.file_name, self.max_rows, self.budget = file_name, max_rows, budget
        self.expanded = 0  # bytes that repeats copy, beyond the XML itself
        self._carry = b""
        self._state = TOP
        self._sheet = ""
        self._rows = self._columns = 0  # the sheet's grid so far
        self._row_index = 0  # rows read so far, repeats counted, empty ones too
        self._repeats = 1  # of the open row
        self._positions = self._width = self._row_bytes = 0  # of the open row
        self._cell_repeats = 1  # of the open cell
        self._cell_value = False
        self._cell_bytes = self._cell_spaces = 0
        self.hidden: list[tuple[list[int], list[int]]] = []  # per table: the rows and columns it hides
        self._row_hidden = False
        self._column = 0  # columns the table's <table:table-column> elements have declared so far

    def feed(self, chunk: bytes) -> None:
        data = self._carry + chunk if self._carry else chunk
        at = 0
        while True:
            skip = (_SKIP_CELL if self._state == CELL else _SKIP_ROWS).match(data, at)
            skipped = skip.end() if skip else at  # the patterns match the empty string: always a match
            if skipped > at:
                self._span(data, at, skipped)
            token = _TOKEN.match(data, skipped)
            if token is None:
                break
            self._token(token)
            at = token.end()
        self._carry = data[skipped:]  # an element the chunk ends in the middle of
        if len(self._carry) > MAX_ELEMENT:
            raise FileError.corrupt(self.file_name)

    def close(self) -> None:
        """The end of content.xml: nothing may be left open (calamine loops for ever on an open table)."""
        if self._carry.strip() or self._state != TOP:
            raise FileError.corrupt(self.file_name)

    # --- what the regular expressions skipped ---------------------------------------------------

    def _span(self, data: bytes, start: int, end: int) -> None:
        if self._state == CELL:
            self._cell_bytes += end - start
            return
        if self._state == TOP:
            return  # cells outside a table: calamine doesn't read them
        first, covered = _CELL_MARKS
        cells = data.count(first, start, end) + data.count(covered, start, end)
        if self._state == TABLE:
            if cells:
                raise FileError.corrupt(self.file_name)  # a cell outside a row
            if data.find(b"<table:table-column", start, end) >= 0:
                self._columns_in(data, start, end)
            return
        self._row_bytes += end - start
        if cells:  # the row reaches the last cell with a value: most often the span's last cell
            last = max(data.rfind(first, start, end), data.rfind(covered, start, end))
            if _VALUE.search(data, last, end):
                self._width = self._positions + cells
            else:
                value = max([data.rfind(mark, start, last) for mark in _VALUE_MARKS])
                if value >= 0:
                    self._width = self._positions + data.count(first, start, value) + data.count(covered, start, value)
        self._positions += cells

    # --- the tags that change the count ---------------------------------------------------------

    def _token(self, token: re.Match[bytes]) -> None:
        closing, name, inside = token.group(1, 2, 3)
        if name is None:
            raise FileError.unsafe_xml(self.file_name)
        start, end = token.span()
        state = self._state
        if closing:
            if state == ROW and name == b"table:table-row":
                self._end_row(end - start)
            elif state == CELL and name in _CELLS:
                self._end_cell(end - start)
            elif state == TABLE and name == b"table:table":
                self._end_table()
            else:
                raise FileError.corrupt(self.file_name)
            return
        empty = inside.endswith(b"/")  # <x/>: start and end at once
        if state == ROW and name in _CELLS:
            self._start_cell(inside, end - start, empty)
        elif state == TABLE and name == b"table:table-row":
            self._start_row(inside, end - start, empty)
        elif state == CELL and name == b"text:s":
            self._cell_spaces += _number(b"text:c", _SPACES, inside, self.file_name, unescape=True)
            self._cell_bytes += end - start
        elif state == TOP and name == b"table:table":
            self._start_table(inside, empty)
        else:
            raise FileError.corrupt(self.file_name)  # out of place: see the module docstring

    def _columns_in(self, data: bytes, start: int, end: int) -> None:
        """Count the table's column declarations in ``data[start:end]``, and note those it hides."""
        for column in _COLUMN.finditer(data, start, end):
            inside = column.group(1)
            repeats = _number(b"columns-repeated", _COLUMNS_REPEATED, inside, self.file_name, unescape=False)
            if _hides(inside) and self._column < MAX_COLUMN:
                self.hidden[-1][1].extend(range(self._column, min(self._column + repeats, MAX_COLUMN)))
            self._column += repeats

    def _start_table(self, inside: bytes, empty: bool) -> None:
        found = _NAME.search(inside)
        raw = (found.group(1) or found.group(2) or b"") if found else b""
        self._sheet = html.unescape(raw.decode("utf-8", errors="replace"))
        self._rows = self._columns = self._row_index = self._column = 0
        self.hidden.append(([], []))
        self._state = TABLE
        if empty:
            self._end_table()

    def _end_table(self) -> None:
        self.budget.take(self._rows * self._columns)
        self._state = TOP

    def _start_row(self, inside: bytes, size: int, empty: bool) -> None:
        # calamine unescapes this one (&#51; is 3) and not the columns' (there &#51; fails)
        self._repeats = _number(b"rows-repeated", _ROWS_REPEATED, inside, self.file_name, unescape=True)
        self._positions = self._width = 0
        self._row_bytes = size
        self._row_hidden = _hides(inside)
        self._state = ROW
        if empty:
            self._end_row(0)

    def _end_row(self, size: int) -> None:
        repeats = self._repeats
        if self._width:
            if self._row_hidden:  # empty hidden rows (a sheet's padding) hide nothing
                self.hidden[-1][0].extend(range(self._row_index, self._row_index + repeats))
            self._rows = self._row_index + repeats
            self._columns = max(self._columns, self._width)
            self.expanded += (repeats - 1) * (self._row_bytes + size)
            if self._rows > self.max_rows:
                raise FileError.too_many_rows(self.file_name, self._sheet, self._rows, self.max_rows)
            if self._rows * self._columns > MAX_CELLS:
                raise FileError.too_many_cells(self.file_name)
            self.budget.check(self._rows * self._columns)
        self._row_index += repeats
        self._state = TABLE

    def _start_cell(self, inside: bytes, size: int, empty: bool) -> None:
        self._cell_repeats = _number(b"columns-repeated", _COLUMNS_REPEATED, inside, self.file_name, unescape=False)
        self._cell_value = _VALUE.search(inside) is not None
        self._cell_bytes, self._cell_spaces = size, 0
        self._state = CELL
        if empty:
            self._end_cell(0)

    def _end_cell(self, size: int) -> None:
        repeats, cell_bytes = self._cell_repeats, self._cell_bytes + size
        self._positions += repeats
        self._row_bytes += cell_bytes
        if self._cell_value:
            self._width = self._positions
            self.expanded += self._repeats * ((repeats - 1) * cell_bytes + repeats * self._cell_spaces)
        self._state = ROW


def _hides(inside: bytes) -> bool:
    if b"table:visibility" not in inside:
        return False
    found = _HIDDEN.search(inside)
    return found is not None and (found.group(1) if found.group(1) is not None else found.group(2)) in _HIDING


def _number(mark: bytes, pattern: re.Pattern[bytes], inside: bytes, file_name: str, unescape: bool) -> int:
    """The largest value of an attribute in a tag (found by ``pattern``, whose name holds ``mark``), as
    calamine parses it; 1 without one.

    A value calamine can't parse (a sign, spaces, a character reference where it doesn't unescape)
    makes it refuse the file; this count takes what Python's int() takes, and refuses the rest.
    """
    if mark not in inside:
        return 1
    values = [found.group(1) if found.group(1) is not None else found.group(2) for found in pattern.finditer(inside)]
    if not values:
        return 1
    numbers = []
    for raw in values:
        text = raw.decode("ascii", errors="replace")
        try:
            number = int(html.unescape(text) if unescape else text)
        except ValueError as exc:
            raise FileError.corrupt(file_name) from exc
        if number < 0:
            raise FileError.corrupt(file_name)
        numbers.append(number)
    return max(numbers)
