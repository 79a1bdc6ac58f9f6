"""The rows and columns an .xlsx/.xlsm hides: a person looking at the sheet doesn't see them.

calamine reads every cell, hidden or not, so a ledger whose rows were hidden (last year's cases
kept out of sight, rows filtered away, duplicates put aside) would be counted in full while the
person who checks the report against the sheet counts only what shows. The parse says so for
each hidden row it counts and each hidden column it reads (``etl.parse``); nothing is dropped,
since hiding is not deleting. An .xls's are found by ``etl.xls_extent`` (ROW and COLINFO flags),
an .ods's by ``etl.ods_extent`` (``table:visibility``), in the scans before calamine.

Cost: ``HiddenMark`` is fed the chunks ``etl.unpacked`` inflates anyway and searches them for
``hidden`` (≈ 0.01 s per 100 MB of sheet XML by way of its rare ``h``, 0.07 s where every row has
an ``ht=``); only a sheet part holding it is inflated again, whole, and its ``<row>`` and ``<col>``
start tags are read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from etl.xlsx_formulas import sheet_parts

MARK = b"hidden"
FEW_HS = 64  # ``h`` bytes per chunk checked one by one before searching for the whole mark
MAX_COLUMN = 16_384  # Excel's last column; a <col> may claim more
_ROW = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])([^>]*)>")
_COL = re.compile(rb"<(?:[\w.-]+:)?col(?=[\s/>])([^>]*)>")
_TRUE = frozenset((b"1", b"true"))


def _attribute(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"(?:^|\s)" + name + rb"\s*=\s*([\"'])\s*(.*?)\s*\1", re.DOTALL)


_HIDDEN, _R, _MIN, _MAX = (_attribute(name) for name in (b"hidden", b"r", b"min", b"max"))


class HiddenMark:
    """Whether a sheet part may hide a row or a column, fed its bytes chunk by chunk."""

    def __init__(self) -> None:
        self.found = False
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        if not self.found:
            self.found = _holds(chunk) or MARK in self._tail + chunk[: len(MARK) - 1]
            self._tail = (self._tail + chunk[-(len(MARK) - 1) :])[-(len(MARK) - 1) :]  # a chunk may be short


def _holds(data: bytes) -> bool:
    """Whether ``data`` holds the mark, found through its rare first byte: ``memchr`` finds an ``h``
    ≈ 10 times faster than ``bytes.find`` steps through every byte for the whole mark. A sheet's XML
    has few (its text is elsewhere, or not ASCII); a chunk with many (row heights written ``ht=``
    on every row) goes back to the whole-mark search."""
    at = data.find(b"h")
    for _ in range(FEW_HS):
        if at < 0:
            return False
        if data.startswith(MARK, at):
            return True
        at = data.find(b"h", at + 1)
    return at >= 0 and MARK in data[at:]


def hidden_in(data: bytes) -> tuple[list[int], list[int]]:
    """The 0-based rows and columns a sheet part's XML hides, in order.

    A row without an ``r`` follows the one before it, as calamine numbers it; a ``<col>`` hides
    columns ``min`` to ``max`` (1-based), cut at Excel's last column.
    """
    rows: list[int] = []
    row = -1
    for match in _ROW.finditer(data):
        tag = match.group(1)
        number = _R.search(tag)
        row = int(number.group(2)) - 1 if number and number.group(2).isdigit() else row + 1
        if _hides(tag):
            rows.append(row)
    columns: set[int] = set()
    for match in _COL.finditer(data):
        tag = match.group(1)
        first, last = _MIN.search(tag), _MAX.search(tag)
        if _hides(tag) and first and last and first.group(2).isdigit() and last.group(2).isdigit():
            columns.update(range(max(int(first.group(2)), 1) - 1, min(int(last.group(2)), MAX_COLUMN)))
    return rows, sorted(columns)


def _hides(tag: bytes) -> bool:
    found = _HIDDEN.search(tag)
    return found is not None and found.group(2).lower() in _TRUE


def hidden_cells(path: Path, parts: set[str]) -> dict[str, tuple[list[int], list[int]]]:
    """Sheet name -> the rows and columns it hides, for the sheet ``parts`` ``HiddenMark`` found the
    mark in; sheets hiding nothing are left out. calamine has read the workbook by now: a part this
    can't read is skipped (the sheet then reports nothing hidden), not refused."""
    found: dict[str, tuple[list[int], list[int]]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for sheet, part in sheet_parts(archive).items():
                if part in parts:
                    rows, columns = hidden_in(archive.read(part))  # within the budget etl.unpacked counted
                    if rows or columns:
                        found[sheet] = (rows, columns)
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError, KeyError):
        return found
    return found
