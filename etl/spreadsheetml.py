"""Read an Excel 2003 XML spreadsheet (SpreadsheetML): the ".xls" some systems still export.

``<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`` holds ``<Worksheet ss:Name>``
elements, each a ``<Table>`` of ``<Row>``s of ``<Cell>``s with a ``<Data ss:Type>``. Positions
follow the format: a row or cell is one past the previous unless it has ``ss:Index`` (1-based);
a cell's ``ss:MergeAcross``/``ss:MergeDown`` make a merged range (value top-left, '' elsewhere)
and the next cell starts after the cells it spans across. Number → float, DateTime → datetime,
Boolean → bool, String (rich text flattened) and anything else → str. A cell with
``ss:Formula`` and no ``<Data>`` is reported in ``Sheet.uncached`` as for .xlsx.

The XML is streamed and each row dropped once read. A DTD is refused before parsing (entity
expansion bombs), and so is a grid past Excel's last row or column, over ``MAX_CELLS``, or over
the file's ``CellBudget`` with the sheets before it: the grid is counted as it grows, cell by
cell, before a far ``ss:Index`` is spelled out (12 sheets that jump to row 1,000 and column
16,384 took 1.5 GB, and rows of one far cell each grew 131 KB apiece before any check).
"""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

from etl.errors import FileError
from etl.sheet import MAX_CELLS, Cell, CellBudget, CellRef, MergedRange, Sheet

NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"
MAX_ROWS = 1_048_576  # Excel's sheet size
MAX_COLUMNS = 16_384
CHUNK = 1024 * 1024  # characters fed to the parser at a time


class _Worksheet:
    """The sheet being read: its grid so far and where the next row and cell go."""

    def __init__(self, name: str, file_name: str, budget: CellBudget) -> None:
        self.name = name
        self.file_name = file_name
        self.budget = budget
        self.rows: list[list[Cell]] = []
        self.merged: list[MergedRange] = []
        self.uncached: list[CellRef] = []
        self.row = -1
        self.column = 0
        self.height = self.width = 0  # the grid so far, merged ranges included

    def start_row(self, index: int | None) -> None:
        self.row = index - 1 if index is not None else self.row + 1
        self.column = 0
        if self.row >= MAX_ROWS:
            raise FileError.too_many_cells(self.file_name)

    def add_cell(self, cell: ET.Element) -> None:
        index = _int_attribute(cell, "Index", self.file_name)
        column = index - 1 if index is not None else self.column
        across = _int_attribute(cell, "MergeAcross", self.file_name) or 0
        down = _int_attribute(cell, "MergeDown", self.file_name) or 0
        last_row, last_column = self.row + down, column + across
        if column < 0 or last_column >= MAX_COLUMNS or last_row >= MAX_ROWS or across < 0 or down < 0:
            raise FileError.too_many_cells(self.file_name)
        self._grow(last_row + 1, last_column + 1)
        data = next((child for child in cell if _local(child.tag) == "Data"), None)
        if data is not None:
            self._put(self.row, column, _value(data))
        elif _attribute(cell, "Formula") is not None:
            self.uncached.append((self.row, column))
        if across or down:
            self.merged.append(((self.row, column), (last_row, last_column)))
        self.column = last_column + 1

    def _grow(self, height: int, width: int) -> None:
        """Widen the grid to take a cell, refusing it before the rows are spelled out that far."""
        if height <= self.height and width <= self.width:
            return
        self.height, self.width = max(self.height, height), max(self.width, width)
        if self.height * self.width > MAX_CELLS:
            raise FileError.too_many_cells(self.file_name)
        self.budget.check(self.height * self.width)

    def _put(self, row: int, column: int, value: Cell) -> None:
        while len(self.rows) <= row:
            self.rows.append([])
        cells = self.rows[row]
        if len(cells) <= column:
            cells.extend([""] * (column + 1 - len(cells)))
        cells[column] = value

    def sheet(self) -> Sheet:
        """The grid made rectangular (as calamine's), every merged range inside it."""
        height = max([len(self.rows)] + [r2 + 1 for _, (r2, _c2) in self.merged])
        width = max([len(r) for r in self.rows] + [c2 + 1 for _, (_r2, c2) in self.merged] + [0])
        if width * height > MAX_CELLS:
            raise FileError.too_many_cells(self.file_name)
        self.budget.take(width * height)
        self.rows.extend([] for _ in range(height - len(self.rows)))
        for cells in self.rows:
            cells.extend([""] * (width - len(cells)))
        return Sheet(self.name, self.rows, self.merged, self.uncached)


def read_spreadsheetml(text: str, file_name: str, budget: CellBudget | None = None) -> list[Sheet]:
    """Every worksheet of the document, in order; FileError when it isn't well-formed or past the limits."""
    _refuse_dtd(text, file_name)
    reader = _Reader(file_name, budget or CellBudget(file_name))
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    try:
        for at in range(0, len(text), CHUNK):
            parser.feed(text[at : at + CHUNK])
            reader.take(parser)
        parser.close()
        reader.take(parser)
    except ET.ParseError as exc:
        raise FileError.corrupt(file_name) from exc
    return reader.sheets


class _Reader:
    """Turns the parser's events into sheets, one row at a time."""

    def __init__(self, file_name: str, budget: CellBudget) -> None:
        self.file_name = file_name
        self.budget = budget
        self.sheets: list[Sheet] = []
        self.worksheet: _Worksheet | None = None
        self.table: ET.Element | None = None  # cleared after each row

    def take(self, parser: ET.XMLPullParser[ET.Element]) -> None:
        for item in parser.read_events():
            element = item[-1]  # typeshed allows one-item events; only start/end are asked for
            if not isinstance(element, ET.Element):
                continue
            if item[0] == "start":
                self.start(element)
            else:
                self.end(element)

    def start(self, element: ET.Element) -> None:
        tag = _local(element.tag)
        if tag == "Worksheet":
            name = _attribute(element, "Name") or f"Sheet{len(self.sheets) + 1}"
            self.worksheet = _Worksheet(name, self.file_name, self.budget)
        elif tag == "Table":
            self.table = element
        elif tag == "Row" and self.worksheet is not None:
            self.worksheet.start_row(_int_attribute(element, "Index", self.file_name))

    def end(self, element: ET.Element) -> None:
        tag = _local(element.tag)
        if tag == "Cell" and self.worksheet is not None:
            self.worksheet.add_cell(element)
        elif tag == "Row" and self.table is not None:
            self.table.clear()  # the rows read so far
        elif tag == "Worksheet" and self.worksheet is not None:
            self.sheets.append(self.worksheet.sheet())
            self.worksheet, self.table = None, None
            element.clear()


def _value(data: ET.Element) -> Cell:
    text = "".join(data.itertext())  # rich text: <Data><B>粗体</B>正文</Data>
    kind = _attribute(data, "Type")
    try:
        if kind == "Number":
            return float(text)
        if kind == "DateTime":
            return datetime.fromisoformat(text.strip())
        if kind == "Boolean":
            return text.strip() not in ("0", "", "false", "FALSE")
    except ValueError:
        pass  # a value its type doesn't fit stays the text it is
    return text


def _refuse_dtd(text: str, file_name: str) -> None:
    """Refuse any DTD (entity expansion bombs); searched everywhere, so no comment can hide one."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise FileError.unsafe_xml(file_name)


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _attribute(element: ET.Element, name: str) -> str | None:
    """``ss:name`` (or a bare ``name``, which some writers use)."""
    value = element.get(f"{{{NAMESPACE}}}{name}")
    return value if value is not None else element.get(name)


def _int_attribute(element: ET.Element, name: str, file_name: str) -> int | None:
    raw = _attribute(element, name)
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError as exc:
        raise FileError.corrupt(file_name) from exc
