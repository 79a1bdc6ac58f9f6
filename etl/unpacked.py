"""What a zip-based workbook (.xlsx/.xlsm/.ods) unpacks to, measured before anything parses it.

calamine reads a whole sheet into memory at once, as a dense grid as large as the farthest row and
column any cell names, and nothing stops it midway: a 30 MB .xlsx whose sheet XML unpacks to
500 MB took 6.6 GB and 104 s (issue 13), and a 500-byte sheet holding cells A1 and XFD200000
makes it ask for 100 GB and abort the whole process. So first every part is inflated once as a
stream, ``CHUNK`` at a time (≈ 0.1 s per 100 MB), trusting none of the sizes the zip directory
declares, and

- the bytes unpacked over all parts must stay within ``[limits] upload_max_uncompressed_mb``
  (for an .ods, with the bytes its repeats copy added, see ``etl.ods_extent``);
- each .xlsx sheet must stay within ``[limits] sheet_max_rows`` rows and ``MAX_CELLS`` cells. Its
  ``<dimension>``, where present, refuses a sheet at once; it may lie, so the ``<row>`` elements
  are counted (calamine numbers rows without a reference in order) and the ``r`` references of
  rows and cells are searched. Only the long references are looked at closely (a row number with
  as many digits as the limit, a column past ``AZ``), so an ordinary ledger costs byte searches;
- each .ods sheet (content.xml) must stay within the same limits, repeats counted (``etl.ods_extent``);
- all sheets together must stay within the file's ``CellBudget``. An .ods is counted in full. An
  .xlsx sheet is charged the grid its references prove (rows × the farthest column a long
  reference names, at least one): a sheet whose references are all short can't pass the limits of
  one sheet (99,999 rows × 52 columns at most), and calamine reads .xlsx sheets one at a time, so
  ``etl.readers`` refuses such sheets from the grid calamine reports, before it becomes Python rows.

The reading stops as soon as a limit is passed. Cells without a reference (calamine places them
one after another) can only widen a row as far as the byte budget allows, and ``etl.readers``
checks the grid calamine reports before turning it into Python rows.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator

from etl.errors import FileError
from etl.ods_extent import OdsExtent
from etl.sheet import MAX_CELLS, CellBudget
from etl.xlsx_formulas import WORKBOOK, FormulaMark, part_chunks, sheet_parts

MB = 1024 * 1024
ODS_CONTENT = "content.xml"
SEAM = 64  # bytes of a chunk's end searched again with the next one: a reference split across two
_ROOT_PREFIX = re.compile(rb"<([\w.-]+:)?worksheet[\s>]")  # the sheet XML's namespace prefix, if any
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s+ref\s*=\s*[\"']\s*([^\"']{1,40})[\"']")
_SPACES = b" \t\r\n"
_BEFORE_R = frozenset((b"c", b"w", b'"', b"'"))  # <c r=, <row r=, or after another attribute's value
SHORT_COLUMNS = 52  # up to AZ a column is not looked at closely: a sheet's width counts as 52 then
# The quick search, one pass over a chunk: each attribute r written r="…" whose reference is 7 or
# more characters (a row past 99,999, or a wide column with a row past 999) or whose column is past
# AZ (two letters from B, or three) is captured; only these can pass a limit, and they are then read
# exactly. An r written any other way (r = "…", r='…', r="$A$1") matches without a capture, and the
# chunk then takes the careful search. The whole pass costs ≈ 0.2 s per 100 MB of sheet XML.
_QUICK = re.compile(rb'r(?:="([^"]{7,}|[B-Zb-z][A-Za-z][^"]*|[A-Za-z]{3}[^"]*)"|\s|=[^"]|="[\s$])')
_SPACE_SET = frozenset((b" ", b"\t", b"\r", b"\n"))


def check(
    archive: zipfile.ZipFile, file_name: str, max_bytes: int, max_rows: int, budget: CellBudget | None = None
) -> set[str]:
    """Raise ``FileError`` when the archive unpacks past ``max_bytes``, a sheet past ``max_rows`` rows or
    ``MAX_CELLS`` cells, or its sheets together past ``budget`` (by default, the file's ``MAX_CELLS``).

    A part that can't be inflated is a corrupt file. Returns the sheet parts that may hold a
    formula (``etl.xlsx_formulas.FormulaMark``, fed the same chunks): only these are read again
    for formulas without a value.
    """
    budget = budget or CellBudget(file_name)
    names = set(archive.namelist())
    sheets = {part: sheet for sheet, part in sheet_parts(archive).items()} if WORKBOOK in names else {}
    unpacked = expanded = 0
    formulas: set[str] = set()
    try:
        for info in archive.infolist():
            sheet = sheets.get(info.filename)
            extent = Extent(file_name, sheet, max_rows, budget) if sheet is not None else None
            mark = FormulaMark() if sheet is not None else None
            content = OdsExtent(file_name, max_rows, budget) if info.filename == ODS_CONTENT else None
            for chunk in _parts(archive, info.filename):
                unpacked += len(chunk)
                if content is not None:
                    content.feed(chunk)
                    expanded = content.expanded
                if unpacked + expanded > max_bytes:
                    raise FileError.unpacks_too_big(file_name, max_bytes // MB)
                if extent is not None and mark is not None:
                    extent.feed(chunk)
                    mark.feed(chunk)
            if extent is not None:
                extent.close()
            if content is not None:
                content.close()
            if mark is not None and mark.prefix is not None:
                formulas.add(info.filename)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise FileError.corrupt(file_name) from exc
    except RuntimeError as exc:  # zipfile: a member that needs a password
        raise FileError.encrypted(file_name) from exc
    return formulas


def _parts(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    chunks = part_chunks(archive, name)
    try:
        yield from chunks
    finally:
        chunks.close()  # an early refusal closes the file the chunks come from


class Extent:
    """The farthest row and column one sheet part's references name, fed chunk by chunk.

    ``feed`` raises ``FileError`` as soon as the sheet is known to pass the limits; ``close`` charges
    the file's budget with the grid the references prove (``seen``), which the budget checks all along.
    """

    def __init__(self, file_name: str, sheet: str, max_rows: int, budget: CellBudget) -> None:
        self.file_name, self.sheet, self.max_rows, self.budget = file_name, sheet, max_rows, budget
        self.rows = 0
        self.columns = SHORT_COLUMNS
        self.seen_rows = self.seen_columns = 0  # what the <row> elements and the references read prove
        self._tail = b""
        self._first = True
        self._row_mark = b"<row"
        self._row_elements = 0
        # r="…" on a row or a cell, kept only when it is long: a column of three letters or of two
        # past AZ, or a row number with as many digits as the limit. It is searched for in the chunk
        # with its white space taken out (calamine reads r = 'XFD1' too): a pattern that starts with
        # the literal "r=" is searched ≈ 3 times faster than one that allows spaces around the "=".
        # What stood before the "r" tells the attribute r of <c> and <row> from, say, operator=.
        self._long = re.compile(
            rb"r=[\"']\$?((?:[A-Za-z]{3,}|[B-Zb-z][A-Za-z])\$?\d+|[A-Za-z]{0,2}\$?\d{%d,})" % len(str(max_rows))
        )

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        if self._first:
            self._first = False
            root = _ROOT_PREFIX.search(data)
            self._row_mark = b"<" + (root.group(1) or b"" if root else b"") + b"row"
            found = _DIMENSION.search(data)
            if found:
                self._take(found.group(1).split(b":")[-1], seen=False)  # it may claim more than is there
        mark = self._row_mark
        seam = self._tail[-(len(mark) - 1) :] + chunk[: len(mark) - 1]
        self._row_elements += chunk.count(mark) + seam.count(mark)  # <rowBreaks> too: one more at most
        self._tail = chunk[-SEAM:]
        if self._row_elements > self.seen_rows:
            self._take(b"%d" % self._row_elements)
        quick = [m for m in _QUICK.finditer(data) if data[m.start() - 1 : m.start()] in _SPACE_SET]
        if all(m.group(1) is not None for m in quick):  # every r written r="…" (Excel, WPS, openpyxl)
            refs = {m.group(1) for m in quick}
        else:  # r = "…", r='…', r="$A$1": the careful search
            packed = data.translate(None, _SPACES)
            careful = self._long.finditer(packed)
            refs = {m.group(1) for m in careful if packed[m.start() - 1 : m.start()] in _BEFORE_R}
        for ref in refs:
            self._take(ref)

    def close(self) -> None:
        self.budget.take(self._seen())

    def _take(self, ref: bytes, seen: bool = True) -> None:
        row, column = _position(ref)
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)
        if self.rows > self.max_rows:
            raise FileError.too_many_rows(self.file_name, self.sheet, self.rows, self.max_rows)
        if self.rows * self.columns > MAX_CELLS:
            raise FileError.too_many_cells(self.file_name)
        if seen:
            self.seen_rows, self.seen_columns = max(self.seen_rows, row), max(self.seen_columns, column)
            self.budget.check(self._seen())

    def _seen(self) -> int:
        return self.seen_rows * max(self.seen_columns, 1)


_REF = re.compile(rb"\$?([A-Za-z]*)\$?(\d*)")


def _position(ref: bytes) -> tuple[int, int]:
    """b'XFD20' -> (20, 16384): 1-based row and column, 0 for a part that is missing."""
    match = _REF.match(ref.strip())
    if match is None:
        return 0, 0
    letters, digits = match.groups()
    column = 0
    for letter in letters.upper()[:8]:  # past eight letters it is far beyond any limit anyway
        column = column * 26 + letter - ord("A") + 1
    return int(digits[:12] or 0), column
