"""Read the tables of an HTML page as sheets: the ".xls" many web systems export.

One ``Sheet`` per ``<table>`` that holds any text, in the order the tables open. Its grid is laid
out the way a browser (and Excel, opening the file) does: ``rowspan``/``colspan`` cells fill
every position they cover and come back as ``merged`` ranges with the text in the top-left
cell and '' in the rest, exactly like calamine's for .xlsx, so two-row headers and merged cells
parse unchanged. Cell text has its whitespace collapsed, ``<br>`` (and block elements such as
``<p>``) as line breaks, ``&nbsp;`` as a space, trimmed. Cells are text: the ETL parses dates and
numbers from text already.

Above a table's rows go, each in its first column, the last few lines of text before it (an
``<h1>`` title above the table, or the title cell of an enclosing layout table) and its
``<caption>`` (merged across the table), as Excel shows them: the ledger's title row, where its
town and year are read from. A table is named by its caption, else by the file's stem (plus a
number when the page has several tables).

A table inside a table's cell is read as its own sheet; the enclosing cell keeps only its own
text, and an enclosing table is dropped unless it looks like data itself (else it is a layout
table, whose text before the inner table, such as a title cell, goes above the inner one).
``rowspan``/``colspan`` are clamped as browsers clamp them (a rowspan ends with the table), and
a grid over ``MAX_CELLS``, or all tables' grids together over the file's ``CellBudget``, is refused
as it is laid out, so a few bytes can't demand gigabytes. A page of more than ``MAX_RAW_CELLS``
``<td>``s is refused while it is parsed: each takes ≈ 200 bytes until the layout (20 MB of bare
``<td>``s took 1 GB and 29 s), against 8 for a cell of the grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from etl.errors import FileError
from etl.sheet import MAX_CELLS, Cell, CellBudget, MergedRange, Sheet

MAX_RAW_CELLS = 2_000_000  # <td>s a page may hold: 100,000 rows of 20 columns, ≈ 400 MB while parsed
MAX_COLSPAN = 1000  # HTML's own limits
MAX_ROWSPAN = 65534
MAX_COLUMNS = 16_384  # Excel's: a row wider than a worksheet is no ledger
PREAMBLE_LINES = 3  # lines of text before a table kept as its title rows
IGNORED = frozenset({"script", "style", "title", "template"})
BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote"}
)
HARD, SOFT = "\x00", "\x01"  # line breaks among a text's parts: <br>, and a block's edge
_SPACES = re.compile(r"[ \t\n\r\f\xa0]+")  # HTML's whitespace, and &nbsp; (spec: a space); U+3000 is text
_BREAKS = re.compile(r"[ \x00\x01]*[\x00\x01][ \x00\x01]*")
_DIGITS = re.compile(r"\s*(\d+)")
_PLAIN = re.compile(r"[^\t\n\r\f\xa0\x00\x01]*")  # text needing no more than a strip()


class _Text:
    """Text as a browser shows it: collapsed whitespace, line breaks from <br> and blocks.

    Parts are kept as they come and tidied once, when read: most cells are one plain part.
    """

    __slots__ = ("limit", "parts")

    def __init__(self, limit: int = 0) -> None:
        self.parts: list[str] = []
        self.limit = limit  # keep only about the last ``limit`` parts (0: all)

    def add(self, data: str) -> None:
        if HARD in data or SOFT in data:  # control characters, no text: never a break marker
            data = data.replace(HARD, "\ufffd").replace(SOFT, "\ufffd")
        self.parts.append(data)
        if self.limit and len(self.parts) > 2 * self.limit:
            del self.parts[: -self.limit]

    def hard_break(self) -> None:
        self.parts.append(HARD)

    def soft_break(self) -> None:
        """A line break unless at either end or next to another break (<p>a</p><p>b</p>: two lines)."""
        self.parts.append(SOFT)

    def value(self) -> str:
        if len(self.parts) == 1 and _PLAIN.fullmatch(self.parts[0]) and "  " not in self.parts[0]:
            return self.parts[0].strip()
        text = _SPACES.sub(" ", "".join(self.parts))
        # a run of breaks is one line break, or as many as it has <br>s (a blank line kept)
        text = _BREAKS.sub(lambda run: "\n" * max(1, run.group().count(HARD)), text)
        return text.strip(" \n")

    def lines(self) -> list[str]:
        return [line for line in self.value().split("\n") if line]


@dataclass(slots=True)
class _RawCell:
    text: _Text
    rowspan: int
    colspan: int


@dataclass
class _Table:
    preamble: list[str]
    parent: _Table | None
    rows: list[list[_RawCell]] = field(default_factory=list)
    caption: _Text | None = None
    cell: _RawCell | None = None  # the open <td>/<th>
    in_caption: bool = False
    in_row: bool = False
    has_tables: bool = False
    spanned: bool = False  # any cell with a rowspan or colspan over 1

    def close_cell(self) -> None:
        self.cell = None

    def close_row(self) -> None:
        self.cell, self.in_row, self.in_caption = None, False, False

    def open_cell(self, rowspan: int, colspan: int) -> _RawCell:
        self.in_caption = False  # an unclosed <caption> ends where the cells start
        if not self.in_row:
            self.rows.append([])
            self.in_row = True
        self.cell = _RawCell(_Text(), rowspan, colspan)
        self.spanned = self.spanned or rowspan > 1 or colspan > 1
        self.rows[-1].append(self.cell)
        return self.cell


class _TableParser(HTMLParser):
    """Collects every table's raw cells; laying them out into a grid comes after."""

    def __init__(self, file_name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.file_name = file_name
        self.open: list[_Table] = []
        self.tables: list[_Table] = []  # in the order they open
        self.before = _Text(limit=64)  # text since the last <table> or </table>: the next preamble
        self.ignored = 0
        self.cells = 0  # raw cells so far, in every table

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """Excel's ``<![if !supportLists]>`` and friends; an unknown keyword is skipped, not fatal."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # the standard library's answer to <![foo ...]>
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        table = self.open[-1] if self.open else None
        if tag in IGNORED:
            self.ignored += 1
        elif tag == "table":
            self._open_table(table)
        elif table is None:
            self._block(tag, self.before)
        elif tag in ("td", "th"):
            self.cells += 1
            if self.cells > MAX_RAW_CELLS:
                raise FileError.too_many_html_cells(self.file_name, MAX_RAW_CELLS)
            table.open_cell(*_spans(attrs))
            self.before.soft_break()
        elif tag in ("tr", "thead", "tbody", "tfoot"):
            table.close_row()
            self.before.soft_break()
        elif tag == "caption":
            table.close_row()
            table.caption, table.in_caption = table.caption or _Text(), True
        else:
            self._block(tag, self._target(table))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # HTML ignores the slash (<td/> opens a cell, closed by the next one: the same grid as
        # XHTML's empty cell); a <script/> must not hide the rest of the page, though.
        if tag not in IGNORED:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        table = self.open[-1] if self.open else None
        if tag in IGNORED:
            self.ignored = max(0, self.ignored - 1)
        elif tag == "table" and table is not None:
            self.open.pop()
            self.before = _Text(limit=64)
        elif table is None:
            if tag in BLOCKS:
                self.before.soft_break()
        elif tag in ("td", "th"):
            table.close_cell()
        elif tag in ("tr", "thead", "tbody", "tfoot"):
            table.close_row()
        elif tag == "caption":
            table.in_caption = False
        elif tag in BLOCKS:
            target = self._target(table)
            if target is not None:
                target.soft_break()

    def handle_data(self, data: str) -> None:
        if self.ignored:
            return
        self.before.add(data)
        if self.open:
            target = self._target(self.open[-1])
            if target is not None:
                target.add(data)

    def _open_table(self, parent: _Table | None) -> None:
        if parent is not None:
            parent.has_tables = True
        preamble = self.before.lines()[-PREAMBLE_LINES:]
        table = _Table(preamble, parent)
        self.open.append(table)
        self.tables.append(table)
        self.before = _Text(limit=64)

    @staticmethod
    def _target(table: _Table) -> _Text | None:
        """Where text inside ``table`` goes: its open cell or caption (text between cells is dropped)."""
        if table.cell is not None:
            return table.cell.text
        return table.caption if table.in_caption else None

    @staticmethod
    def _block(tag: str, target: _Text | None) -> None:
        if target is None:
            return
        if tag == "br":
            target.hard_break()
        elif tag in BLOCKS:
            target.soft_break()


def _spans(attrs: list[tuple[str, str | None]]) -> tuple[int, int]:
    """A cell's (rowspan, colspan) as browsers read them: leading digits, at least 1, clamped.

    rowspan="0" means "to the end of the table": the most, which the layout clamps to the table.
    """
    rowspan = colspan = 1
    for key, raw in attrs:
        if key == "rowspan" or key == "colspan":
            match = _DIGITS.match(raw or "")
            number = int(match.group(1)) if match else 1
            if key == "rowspan":
                rowspan = min(number, MAX_ROWSPAN) if number else MAX_ROWSPAN
            else:
                colspan = min(max(number, 1), MAX_COLSPAN)
    return rowspan, colspan


def read_html(text: str, file_name: str, stem: str, budget: CellBudget | None = None) -> list[Sheet]:
    """Every table of the page that holds text, as sheets; FileError when there is none.

    Every table laid out is charged to ``budget`` (the file's), kept or not: each took its memory.
    """
    budget = budget or CellBudget(file_name)
    parser = _TableParser(file_name)
    parser.feed(text)
    parser.close()
    grids = []
    emitted: set[int] = set()  # id() of the tables that became sheets
    for table in parser.tables:
        rows, merged = _layout(table, file_name, budget)
        if not any(v for row in rows for v in row) or (table.has_tables and not _looks_like_data(rows)):
            continue
        emitted.add(id(table))
        # Text before a table nested in a data table is that table's cells, already in its sheet;
        # before one nested in a layout table it is the layout's title cell, which belongs here.
        preamble = [] if table.parent is not None and id(table.parent) in emitted else table.preamble
        caption = table.caption.value() if table.caption is not None else ""
        grids.append((caption, _with_titles(rows, merged, preamble, caption)))
    if not grids:
        raise FileError.no_table(file_name)
    names = _names([caption for caption, _ in grids], stem)
    return [Sheet(name, rows, merged) for name, (_caption, (rows, merged)) in zip(names, grids, strict=True)]


def _layout(table: _Table, file_name: str, budget: CellBudget) -> tuple[list[list[Cell]], list[MergedRange]]:
    """The table's cells on a grid, spans expanded as the HTML table algorithm places them."""
    if not table.spanned:  # most exports: each cell where it stands
        return _rectangular([[cell.text.value() for cell in raw] for raw in table.rows], file_name, budget), []
    raw_rows = table.rows
    height = len(raw_rows)
    # Columns taken by rowspans from rows above, as (first column, column after, row after) by first column:
    # one entry per spanning cell, whatever it covers (a set of columns per row took 1.3 GB for 24 KB).
    above: list[tuple[int, int, int]] = []
    rows: list[list[Cell]] = []
    merged: list[MergedRange] = []
    cells = 0
    for r, raw in enumerate(raw_rows):
        if above and min(span[2] for span in above) <= r:
            above = [span for span in above if span[2] > r]
        started: list[tuple[int, int, int]] = []
        row: list[Cell] = []
        c = i = 0
        for cell in raw:
            while i < len(above) and above[i][0] <= c:  # past every span that starts at or before c
                c = max(c, above[i][1])
                i += 1
            rowspan = min(cell.rowspan, height - r)
            cells += rowspan * cell.colspan
            if cells > MAX_CELLS or c + cell.colspan > MAX_COLUMNS:
                raise FileError.too_many_cells(file_name)
            budget.check(cells)
            _put(row, c, cell.text.value(), cell.colspan)
            if rowspan > 1 or cell.colspan > 1:
                merged.append(((r, c), (r + rowspan - 1, c + cell.colspan - 1)))
            if rowspan > 1:
                started.append((c, c + cell.colspan, r + rowspan))
            c += cell.colspan
        if started:
            above = sorted(above + started)
        rows.append(row)
    return _rectangular(rows, file_name, budget), merged


def _rectangular(rows: list[list[Cell]], file_name: str, budget: CellBudget) -> list[list[Cell]]:
    """Every row as wide as the widest, as calamine's grids are (charged to the file's ``budget``)."""
    width = max((len(row) for row in rows), default=0)
    if width * len(rows) > MAX_CELLS or width > MAX_COLUMNS:
        raise FileError.too_many_cells(file_name)
    budget.take(width * len(rows))
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return rows


def _put(row: list[Cell], column: int, value: str, colspan: int) -> None:
    """``value`` at ``column`` and '' in the columns it spans (and any gap before it)."""
    if len(row) < column + colspan:
        row.extend([""] * (column + colspan - len(row)))
    row[column] = value


def _looks_like_data(rows: list[list[Cell]]) -> bool:
    """Whether a table that holds other tables is data too: two rows of two or more texts."""
    return sum(1 for row in rows if sum(1 for v in row if v) >= 2) >= 2


def _with_titles(
    rows: list[list[Cell]], merged: list[MergedRange], preamble: list[str], caption: str
) -> tuple[list[list[Cell]], list[MergedRange]]:
    """The preamble lines and the caption as rows above the table (the caption merged across)."""
    titles = preamble + ([caption] if caption else [])
    if not titles:
        return rows, merged
    width = max(len(rows[0]) if rows else 1, 1)
    above: list[list[Cell]] = [[line, *[""] * (width - 1)] for line in titles]
    shift = len(above)
    moved = [((r1 + shift, c1), (r2 + shift, c2)) for (r1, c1), (r2, c2) in merged]
    if caption and width > 1:
        moved.insert(0, ((shift - 1, 0), (shift - 1, width - 1)))
    return above + rows, moved


def _names(captions: list[str], stem: str) -> list[str]:
    """Each table's caption, else the stem (numbered when there are several); never twice the same."""
    names: list[str] = []
    for i, caption in enumerate(captions, start=1):
        base = caption.replace("\n", " ") or (stem if len(captions) == 1 else f"{stem}_{i}")
        name, n = base, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names
