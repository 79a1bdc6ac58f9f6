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

- the text of the shared strings must stay within half that budget, as the cells spell it out:
  calamine copies a shared string into every cell that references it, and ``to_python`` makes a
  Python str of each copy (a 42 KB .xlsx of one 100 KB string used by 20,000 cells took 3.3 GB).
  While the parts stream, each sheet's shared-string cells are counted and the longest string of
  the shared strings is measured (``SharedCells``, ``LongestString``); their product bounds the
  text, and only when it passes the limit are the parts inflated again to sum the strings each
  cell really references (``spelled_out``). The count costs ≈ 0.08 s per 100 MB of sheet XML, and
  nothing in a workbook without shared strings (openpyxl's, which write text inline).

- the merged areas all sheets list together must stay within ``etl.sheet.MAX_MERGED``: calamine reads
  every one when it opens the workbook (each ``mergeCell`` mark counted, ≈ 0.06 s per 100 MB).

The reading stops as soon as a limit is passed. Cells without a reference (calamine places them
one after another) can only widen a row as far as the byte budget allows, and ``etl.readers``
checks the grid calamine reports before turning it into Python rows.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterator

from etl.errors import FileError
from etl.hidden import HiddenMark
from etl.ods_extent import OdsExtent
from etl.sheet import MAX_CELLS, MAX_MERGED, MAX_SHEETS, CellBudget
from etl.xlsx_formulas import CHUNK, WORKBOOK, WORKBOOK_RELS, FormulaMark, part_chunks, sheet_parts

MB = 1024 * 1024
ODS_CONTENT = "content.xml"
SEAM = 64  # bytes of a chunk's end searched again with the next one: a reference split across two
_ROOT_PREFIX = re.compile(rb"<([\w.-]+:)?worksheet[\s>]")  # the sheet XML's namespace prefix, if any
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s+ref\s*=\s*[\"']\s*([^\"']{1,40})[\"']")
_SPACES = b" \t\r\n"
_BEFORE_R = frozenset((b"c", b"w", b'"', b"'"))  # <c r=, <row r=, or after another attribute's value
MERGE_MARK = b"mergeCell"  # calamine reads a merged area from any element of this local name
SHORT_COLUMNS = 52  # up to AZ a column is not looked at closely: a sheet's width counts as 52 then
# The quick search, one pass over a chunk: each attribute r written r="…" whose reference is 7 or
# more characters (a row past 99,999, or a wide column with a row past 999) or whose column is past
# AZ (two letters from B, or three) is captured; only these can pass a limit, and they are then read
# exactly. An r written any other way (r = "…", r='…', r="$A$1") matches without a capture, and the
# chunk then takes the careful search. The whole pass costs ≈ 0.2 s per 100 MB of sheet XML.
_QUICK = re.compile(rb'r(?:="([^"]{7,}|[B-Zb-z][A-Za-z][^"]*|[A-Za-z]{3}[^"]*)"|\s|=[^"]|="[\s$])')
_SPACE_SET = frozenset((b" ", b"\t", b"\r", b"\n"))
SHARED_STRINGS = "xl/sharedStrings.xml"  # where calamine looks (any case), besides what the relationships name
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")
_TYPE = re.compile(rb"\sType\s*=\s*[\"']([^\"']*)[\"']")
_TARGET = re.compile(rb"\sTarget\s*=\s*[\"']([^\"']*)[\"']")
_SST_PREFIX = re.compile(rb"<(?![?!])([\w.-]+:)?sst[\s>/]")
# What a string item holds besides its text at the least (``><t></t></si>`` after the ``<si`` it is
# split at): taken off each item's length, so that the bound stays near the text.
ITEM_MARKUP = len(b"><t></t></si>")
_TAG = re.compile(rb"^[^>]*>|<[^>]*>")  # an item's tags, the rest of its <si …> first
# A shared-string cell and the index its <v> holds (after an <f>, for a formula's cached text); read
# only on the rare path, so a regex over the bytes.
_SHARED_CELL = re.compile(
    rb"<(?:[\w.-]+:)?c\s[^>]*?\bt\s*=\s*[\"']s[\"'][^>]*>\s*"
    rb"(?:<(?:[\w.-]+:)?f(?:\s[^>]*)?(?:/>|>[^<]*</(?:[\w.-]+:)?f>)\s*)?"
    rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>\s*(\d{1,12})"
)
_CELL_END = b"c>"  # </c> or </x:c>: the rare path cuts a chunk after the last one, so no cell is split
CARRY_MAX = 64 * 1024  # past this a chunk's unfinished end is dropped: a longer cell start is padding


def check(
    archive: zipfile.ZipFile, file_name: str, max_bytes: int, max_rows: int, budget: CellBudget | None = None
) -> tuple[set[str], set[str], list[tuple[list[int], list[int]]]]:
    """Raise ``FileError`` when the archive unpacks past ``max_bytes``, a sheet past ``max_rows`` rows or
    ``MAX_CELLS`` cells, or its sheets together past ``budget`` (by default, the file's ``MAX_CELLS``).

    A part that can't be inflated is a corrupt file. Returns the sheet parts that may hold a
    formula (``etl.xlsx_formulas.FormulaMark``, fed the same chunks), and those that may hide a row
    or a column (``etl.hidden.HiddenMark``): only these are read again, for formulas without a
    value and for what is hidden. An .ods's hidden rows and columns are found as it is counted
    (``etl.ods_extent``): the third item, per table.
    """
    budget = budget or CellBudget(file_name)
    names = set(archive.namelist())
    sheets = {part: sheet for sheet, part in sheet_parts(archive).items()} if WORKBOOK in names else {}
    if len(sheets) > MAX_SHEETS:
        raise FileError.too_many_sheets(file_name, len(sheets), MAX_SHEETS)
    strings = shared_string_parts(archive) & names if WORKBOOK in names else set()
    unpacked = expanded = merged = 0
    formulas: set[str] = set()
    hidden: set[str] = set()
    ods_hidden: list[tuple[list[int], list[int]]] = []
    cells = SharedCells()
    longest = 0
    try:
        for info in archive.infolist():
            sheet = sheets.get(info.filename)
            extent = Extent(file_name, sheet, max_rows, budget) if sheet is not None else None
            mark = FormulaMark() if sheet is not None else None
            hides = HiddenMark() if sheet is not None else None
            content = OdsExtent(file_name, max_rows, budget) if info.filename == ODS_CONTENT else None
            items = LongestString() if info.filename in strings else None
            for chunk in _parts(archive, info.filename):
                unpacked += len(chunk)
                if content is not None:
                    content.feed(chunk)
                    expanded = content.expanded
                if unpacked + expanded > max_bytes:
                    raise FileError.unpacks_too_big(file_name, max_bytes // MB)
                if extent is not None and mark is not None and hides is not None:
                    extent.feed(chunk)
                    mark.feed(chunk)
                    hides.feed(chunk)
                    if strings:  # without shared strings (openpyxl writes text inline) there is nothing to count
                        cells.feed(chunk)
                elif items is not None:
                    items.feed(chunk)
            if extent is not None:
                extent.close()
                cells.close()
                merged += extent.merged
                if merged > MAX_MERGED:
                    raise FileError.too_many_merged(file_name, merged, MAX_MERGED)
            if content is not None:
                content.close()
                ods_hidden = content.hidden
            if items is not None:
                longest = max(longest, items.longest)
            if mark is not None and mark.prefix is not None:
                formulas.add(info.filename)
            if hides is not None and hides.found:
                hidden.add(info.filename)
        # calamine's copy of each cell's text and the Python str made from it are held at once: half
        # the file's budget for the text keeps the two together within the budget the bytes have.
        # XML text is never shorter than either (UTF-8 bytes ≥ a str's 1, 2 or 4 bytes a character;
        # an entity such as &amp; is longer than its character).
        limit = max_bytes // 2
        if cells.count * longest > limit and spelled_out(archive, sheets, strings, limit) > limit:
            raise FileError.shared_strings_too_big(file_name, limit // MB)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise FileError.corrupt(file_name) from exc
    except RuntimeError as exc:  # zipfile: a member that needs a password
        raise FileError.encrypted(file_name) from exc
    return formulas, hidden, ods_hidden


def _parts(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    chunks = part_chunks(archive, name)
    try:
        yield from chunks
    finally:
        chunks.close()  # an early refusal closes the file the chunks come from


def shared_string_parts(archive: zipfile.ZipFile) -> set[str]:
    """The parts that may hold the workbook's shared strings: the one its relationships name, and
    ``xl/sharedStrings.xml`` in any case of letters. Either may be the one calamine reads; both are
    measured, and the longer bound counts.
    """
    found = {name for name in archive.namelist() if name.lower() == SHARED_STRINGS.lower()}
    try:
        rels = archive.read(WORKBOOK_RELS)  # a few hundred bytes; its size was checked with the others'
    except KeyError:
        return found
    for tag in _RELATIONSHIP.findall(rels):
        kind, target = _TYPE.search(tag), _TARGET.search(tag)
        if kind and target and kind.group(1).endswith(b"/sharedStrings"):
            name = target.group(1).decode("utf-8", "replace")
            found.add(name.lstrip("/") if name.startswith("/") else posixpath.normpath(posixpath.join("xl", name)))
    return found


def spelled_out(archive: zipfile.ZipFile, sheets: Collection[str], strings: Collection[str], limit: int) -> int:
    """Bytes of string text the sheets' shared-string cells spell out, counting stops past ``limit``.

    The rare path, taken when the bound ``check`` found passes the limit: the shared strings are
    inflated again to measure each string (its XML with the tags taken out), then the sheets, whose
    cells' indices are looked up. Where two parts may be the shared strings, each index counts the
    longer of the two.
    """
    lengths: list[int] = []
    for part in strings:
        for index, length in enumerate(_string_lengths(archive, part)):
            if index < len(lengths):
                lengths[index] = max(lengths[index], length)
            else:
                lengths.append(length)
    total = 0
    for part in sheets:
        for indices in _shared_indices(archive, part):
            total += sum(lengths[i] * n for i, n in Counter(map(int, indices)).items() if i < len(lengths))
            if total > limit:
                return total
    return total


def _string_lengths(archive: zipfile.ZipFile, part: str) -> Iterator[int]:
    """The text length in bytes of each string item of a shared-strings part, in order."""
    items = StringItems(lambda item: len(_TAG.sub(b"", item)))
    for chunk in _parts(archive, part):
        yield from items.feed(chunk)
    yield from items.close()


def _shared_indices(archive: zipfile.ZipFile, part: str) -> Iterator[list[bytes]]:
    """The shared-string indices one sheet part's cells hold, a chunk's worth at a time."""
    carry = b""
    for chunk in _parts(archive, part):
        data = carry + chunk
        end = data.rfind(_CELL_END) + len(_CELL_END) if _CELL_END in data else 0
        yield _SHARED_CELL.findall(data, 0, end)
        carry = data[end:] if len(data) - end <= CARRY_MAX else data[-SEAM:]
    yield _SHARED_CELL.findall(carry)


class SharedCells:
    """How many cells of the sheets may reference a shared string, fed their chunks: each ``"s"`` or
    ``'s'`` counts (in a cell it can only be ``t="s"``, however it is spaced; elsewhere it is rare,
    and a count too high costs only the exact reckoning).
    """

    def __init__(self) -> None:
        self.count = 0
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        seam = self._tail + chunk[:2]  # a mark split across two chunks
        self.count += chunk.count(b'"s"') + seam.count(b'"s"') + seam.count(b"'s'")
        if b"'" in chunk:  # a byte search, ≈ 4 times faster than counting a mark: Excel writes none
            self.count += chunk.count(b"'s'")
        self._tail = chunk[-2:]

    def close(self) -> None:
        """The part has ended: the next part's first bytes don't continue it."""
        self._tail = b""


class LongestString:
    """The length of a shared-strings part's longest string item, fed its chunks: an upper bound,
    the bytes from one ``<si`` to the next (the last item: to the part's end) less ``ITEM_MARKUP``.
    """

    def __init__(self) -> None:
        self._items = StringItems(lambda item: len(item) - ITEM_MARKUP)
        self._longest = 0

    def feed(self, chunk: bytes) -> None:
        self._longest = max(self._longest, *self._items.feed(chunk), self._items.unfinished)

    @property
    def longest(self) -> int:
        return self._longest


class StringItems:
    """A shared-strings part cut into its string items at each ``<si`` (``<x:si`` when its root has
    a prefix), chunk by chunk, without holding an item longer than a chunk.

    ``feed`` returns the lengths (by ``measure``) of the items a chunk ends; an item begun in an
    earlier chunk is measured by its bytes less ``ITEM_MARKUP`` instead, as is the last one
    (``close``). What comes before the first item is the root's start tag, not an item.
    """

    def __init__(self, measure: Callable[[bytes], int]) -> None:
        self.measure = measure
        self.unfinished = 0  # bytes of the item not yet ended, less ITEM_MARKUP
        self._started = False
        self._before_tail = 0  # bytes of the unfinished item no longer held
        self._tail = b""  # the unfinished item's last bytes, where a mark may begin
        self._mark = b""

    def feed(self, chunk: bytes) -> list[int]:
        data = self._tail + chunk
        if not self._mark:
            root = _SST_PREFIX.search(data)
            if root is None and len(data) < CHUNK:  # the root's start tag is still to come
                self._tail = data
                return []
            self._mark = b"<" + (root.group(1) or b"" if root else b"") + b"si"
        pieces = data.split(self._mark)
        last = pieces.pop()
        lengths: list[int] = []
        if pieces:
            first = pieces.pop(0)
            if self._started:
                lengths.append(max(self._before_tail + len(first) - ITEM_MARKUP, 0))
            self._started, self._before_tail = True, 0
            lengths.extend(max(self.measure(piece), 0) for piece in pieces)
        self._tail = last[-(len(self._mark) - 1) :]
        self._before_tail += len(last) - len(self._tail)
        if self._started:
            self.unfinished = max(self._before_tail + len(self._tail) - ITEM_MARKUP, 0)
        return lengths

    def close(self) -> list[int]:
        """The last item's length, if the part has any."""
        return [self.unfinished] if self._started else []


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
        self.merged = 0  # "mergeCell" marks: each merged area, and its list's start and end tags
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
        seam = self._tail[-(len(MERGE_MARK) - 1) :] + chunk[: len(MERGE_MARK) - 1]
        self.merged += chunk.count(MERGE_MARK) + seam.count(MERGE_MARK)
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
