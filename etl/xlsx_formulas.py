"""Find the formula cells of an .xlsx/.xlsm that hold no computed (cached) value, or an error (#N/A).

A workbook written by a program that doesn't calculate formulas (openpyxl, many report
generators) stores ``<c r="F12"><f>SUM(F3:F11)</f></c>`` with no ``<v>``, or an empty one.
calamine reads such a cell as '' and the ETL would take it for blank. ``uncached_cells`` names
those cells per sheet so the parse can say so; calamine still reads every value.

A cell counts when it has an ``<f>`` (shared-formula followers ``<f t="shared" si="0"/>`` too)
and no value: no ``<v>``, or an empty ``<v>`` on a cell that isn't ``t="str"``. Excel itself
writes ``t="str"`` with ``<v/>`` for a formula whose result is the empty string (=IF(A1="","",…)),
which ledger templates fill whole columns with; that is a value, not a missing one. A formula whose
result is an error (``t="e"``: #N/A from a VLOOKUP that found nothing, #REF!, #DIV/0!) has no usable
value either: calamine reads it as '' too.

Cost: a sheet part is first streamed through a byte search for ``<f`` (``<x:f`` when the sheet's
XML uses a prefix), by way of its rare ``f``; a part without it is never held whole or parsed
(≈ 0.07 s for a 100 MB part, nearly all decompression). A part with formulas is read whole and only the cells around its formula
elements are looked at, as bytes; a sheet whose cells omit their ``r`` reference is parsed instead.
"""

from __future__ import annotations

import contextlib
import functools
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Collection, Generator, Iterator
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

from etl.sheet import CellRef

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CHUNK = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a member's local file header (zipfile.structFileHeader)
_LOCAL_SIGNATURE = b"PK\x03\x04"
FEW_FS = 64  # ``f`` bytes per chunk checked one by one before searching for the whole mark
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_ROOT = re.compile(rb"<(?![?!])([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*")  # the first element's prefix
_NAME_ENDS = frozenset((b" ", b"\t", b"\r", b"\n", b">", b"/"))  # what may follow an element name
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def uncached_cells(path: Path, parts: Collection[str] | None = None) -> dict[str, list[CellRef]]:
    """Sheet name -> 0-based (row, column) of its formula cells without a value; others left out.

    ``parts``, when given, are the sheet parts known to hold a formula mark (``FormulaMark`` fed
    while ``etl.unpacked`` inflated them): the others are not inflated again. The workbook was
    already read by calamine, so a part this scan can't parse is skipped rather than refused: the
    sheet then reports no uncached cells.
    """
    found: dict[str, list[CellRef]] = {}
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return found
    with archive:
        members = set(archive.namelist())
        for sheet, part in sheet_parts(archive).items():
            if part in members and (parts is None or part in parts):
                cells = _scan_part(archive, part)
                if cells:
                    found[sheet] = cells
    return found


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part in the archive, through the workbook's relationships."""
    try:
        workbook = _small_xml(archive.read(WORKBOOK))
        rels = _small_xml(archive.read(WORKBOOK_RELS))
    except (KeyError, ValueError, ET.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter() if _local(rel.tag) == "Relationship"}
    parts: dict[str, str] = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        # r:id, in the transitional or the strict relationships namespace
        rel_id = next((v for k, v in sheet.attrib.items() if k.startswith("{") and _local(k) == "id"), None)
        name, target = sheet.get("name"), targets.get(rel_id)
        if name is not None and target:
            parts[name] = _resolve(target)
    return parts


def cell_position(ref: str) -> CellRef:
    """'AB12' -> (11, 27): 0-based row and column."""
    match = _CELL_REF.fullmatch(ref.strip())
    if match is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    letters, digits = match.groups()
    col = 0
    for letter in letters.upper():
        col = col * 26 + ord(letter) - ord("A") + 1
    return int(digits) - 1, col - 1


def _resolve(target: str) -> str:
    """A relationship target as a zip member name (relative targets are relative to ``xl/``)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(WORKBOOK), target))


def _small_xml(data: bytes) -> ET.Element:
    if any(mark in data for mark in _DTD_MARKS):
        raise ValueError("DTD declarations are refused (entity expansion)")
    return ET.fromstring(data)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2]


def _scan_part(archive: zipfile.ZipFile, part: str) -> list[CellRef]:
    try:
        with contextlib.closing(part_chunks(archive, part)) as chunks:  # closes the file on an early answer
            prefix = _formula_prefix(chunks)
        if prefix is None:
            return []
        data = archive.read(part)  # only a sheet with formulas is held whole
        return _uncached_in(data, prefix)
    except (ET.ParseError, ValueError, OSError, zipfile.BadZipFile, EOFError, zlib.error):
        return []


def part_chunks(archive: zipfile.ZipFile, part: str) -> Generator[bytes, None, None]:
    """The part's bytes, ``CHUNK`` at a time.

    A deflated part of an archive opened for reading from a path is inflated here straight from
    the file: zipfile would also compute its CRC, ≈ 20 ms per 100 MB, and the workbook's
    integrity is calamine's business (it has read the file by now). Anything else goes through
    ``archive.open``.
    """
    info = archive.getinfo(part)
    if archive.mode != "r" or not archive.filename or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 1:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                yield chunk
        return
    with open(archive.filename, "rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
            raise zipfile.BadZipFile(f"no local header for {part}")
        name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
        handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as zip stores it
        left = info.compress_size
        while left > 0 and not inflate.eof:
            pending = handle.read(min(CHUNK, left))
            if not pending:
                raise EOFError(f"{part} is cut short")
            left -= len(pending)
            while True:  # at most CHUNK out per call: a part is never inflated whole
                out = inflate.decompress(pending, CHUNK)
                if out:
                    yield out
                pending = inflate.unconsumed_tail
                if not pending and len(out) < CHUNK:
                    break
        if rest := inflate.flush():
            yield rest


class FormulaMark:
    """Whether a sheet part may hold a formula, fed its bytes chunk by chunk: ``prefix`` is then the
    sheet's namespace prefix (b'' or b'x:'), else None.

    One byte search per chunk, nothing parsed. A DTD (only allowed before the root element)
    raises ValueError: refused, see ``_small_xml``.
    """

    def __init__(self) -> None:
        self.prefix: bytes | None = None
        self._mark: bytes | None = None  # set by the first chunk with the root element
        self._tail = b""
        self.done = False

    def feed(self, chunk: bytes) -> None:
        if self.done or not chunk:
            return
        if self._mark is None:
            root = _ROOT.search(chunk)
            if root is None:
                self.done = True  # no root element in the first chunk: no sheet XML to look in
                return
            if any(mark in chunk[: root.start()] for mark in _DTD_MARKS):
                raise ValueError("DTD declarations are refused (entity expansion)")
            self._mark = b"<" + (root.group(1) or b"") + b"f"
            prefix = root.group(1) or b""
        else:
            prefix = self._mark[1:-1]
        mark = self._mark
        # the chunk itself, then the seam with the one before (a mark split across the two)
        if _has_formula(chunk, mark) or _formula_at(self._tail + chunk[: len(mark) + 1], mark, 0) >= 0:
            self.prefix, self.done = prefix, True
        self._tail = chunk[-len(mark) :]


def _formula_prefix(chunks: Iterator[bytes]) -> bytes | None:
    """The sheet's namespace prefix (b'' or b'x:') when it may hold a formula, else None."""
    search = FormulaMark()
    for chunk in chunks:
        search.feed(chunk)
        if search.done:
            break
    return search.prefix


def _has_formula(data: bytes, mark: bytes) -> bool:
    """Whether ``data`` holds a formula element, found through the mark's last byte (the ``f``).

    ``bytes.find`` for the whole mark steps through every byte (≈ 1 GB/s), while a single byte is
    found with ``memchr`` (≈ 10 GB/s). A sheet's XML rarely has an ``f`` outside a formula (cell
    text sits in the shared strings; Chinese inline text is written as ``&#29664;``), so each ``f``
    is checked here; a chunk with many (English inline text) goes back to the whole-mark search.
    """
    last, before = mark[-1:], len(mark) - 1
    at = data.find(last, before)
    for _ in range(FEW_FS):
        if at < 0:
            return False
        if data.startswith(mark, at - before) and data[at + 1 : at + 2] in _NAME_ENDS:
            return True
        at = data.find(last, at + 1)
    return at >= 0 and _formula_at(data, mark, at - before) >= 0


def _formula_at(data: bytes, mark: bytes, start: int) -> int:
    """Where the next formula element starts at or after ``start`` (not <formula1>, <filterColumn>), or -1."""
    at = data.find(mark, start)
    while at >= 0 and data[at + len(mark) : at + len(mark) + 1] not in _NAME_ENDS:
        at = data.find(mark, at + 1)
    return at


def _uncached_in(data: bytes, prefix: bytes) -> list[CellRef]:
    """Visit each formula element and look at the cell around it: the bytes of a cell, no tree.

    A cell without an ``r`` attribute takes its place from the cells before it, so such a sheet
    is parsed properly instead (``_uncached_by_parsing``).
    """
    mark, cell_open, cell_close = b"<" + prefix + b"f", b"<" + prefix + b"c", b"</" + prefix + b"c>"
    reference = _attribute_pattern(b"r")
    found: list[CellRef] = []
    at = _formula_at(data, mark, 0)
    while at >= 0:
        start, end = _element_start(data, cell_open, at), data.find(cell_close, at)
        if start < 0 or end < 0:
            raise ValueError("a formula outside a cell")
        tag_end = data.index(b">", start)
        ref = reference.search(data, start, tag_end)
        if ref is None:
            return _uncached_by_parsing(io.BytesIO(data))
        if _lacks_value(data, start, tag_end, end, prefix):
            found.append(cell_position(ref.group(2).decode("ascii")))
        at = _formula_at(data, mark, end)
    return found


def _lacks_value(data: bytes, start: int, tag_end: int, end: int, prefix: bytes) -> bool:
    """Whether the formula cell ``data[start:end]`` (start tag up to ``tag_end``) has no cached value."""
    inline = b"<" + prefix + b"is"
    if data.find(inline + b">", tag_end, end) >= 0 or data.find(inline + b" ", tag_end, end) >= 0:
        return False  # an inline string result
    value = _value_pattern(prefix).search(data, tag_end, end)
    if value is None:
        return True
    kind = _attribute_pattern(b"t").search(data, start, tag_end)
    if kind is not None and kind.group(2) == b"e":
        return True  # an error result (#N/A from a failed VLOOKUP, #REF!): calamine reads it as ''
    if (value.group(1) or b"").strip():
        return False
    # Excel writes t="str" with <v/> for an empty-string result; any other type needs text.
    return kind is None or kind.group(2) != b"str"


def _element_start(data: bytes, opening: bytes, before: int) -> int:
    """Where the last ``opening`` element (exactly that name) before ``before`` starts, or -1."""
    at = data.rfind(opening, 0, before)
    while at >= 0 and data[at + len(opening) : at + len(opening) + 1] not in _NAME_ENDS:
        at = data.rfind(opening, 0, at)
    return at


@functools.cache
def _attribute_pattern(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"\s" + re.escape(name) + rb"\s*=\s*([\"'])(.*?)\1", re.DOTALL)


@functools.cache
def _value_pattern(prefix: bytes) -> re.Pattern[bytes]:
    v = re.escape(b"<" + prefix + b"v")
    return re.compile(v + rb"(?:\s[^>]*)?(?:/>|>(.*?)</" + re.escape(prefix) + rb"v>)", re.DOTALL)


def _uncached_by_parsing(stream: IO[bytes]) -> list[CellRef]:
    """The same answer by streaming the XML through a parser; cells and rows are dropped as they pass."""
    local: dict[str, str] = {}  # tag -> local name; a sheet uses a handful of tags
    found: list[CellRef] = []
    row, col = -1, -1
    sheet_data: ET.Element | None = None
    for event, element in ET.iterparse(stream, events=("start", "end")):
        tag = local.get(element.tag) or local.setdefault(element.tag, _local(element.tag))
        if event == "start":
            if tag == "row":
                number = element.get("r")
                row, col = (int(number) - 1 if number else row + 1), -1
            elif tag == "c":
                ref = element.get("r")
                row, col = cell_position(ref) if ref else (row, col + 1)
            elif tag == "sheetData":
                sheet_data = element
        elif tag == "c":
            if _element_no_value(element, local):
                found.append((row, col))
            element.clear()
        elif tag == "row" and sheet_data is not None:
            sheet_data.clear()  # the rows looked at so far: nothing keeps a 100,000-row tree
        elif tag == "sheetData":
            break
    return found


def _element_no_value(cell: ET.Element, local: dict[str, str]) -> bool:
    children = {local.get(child.tag) or _local(child.tag): child for child in cell}
    if "f" not in children or "is" in children:
        return False
    value = children.get("v")
    if value is None or cell.get("t") == "e":
        return True
    return cell.get("t") != "str" and not (value.text or "").strip()
