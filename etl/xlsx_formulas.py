"""Find the formula cells of an .xlsx/.xlsm that hold no computed (cached) value.

A workbook written by a program that doesn't calculate formulas (openpyxl, many report
generators) stores ``<c r="F12"><f>SUM(F3:F11)</f></c>`` with no ``<v>``, or an empty one.
calamine reads such a cell as '' and the ETL would take it for blank. ``uncached_cells`` names
those cells per sheet so the parse can say so; calamine still reads every value.

A cell counts when it has an ``<f>`` (shared-formula followers ``<f t="shared" si="0"/>`` too)
and no value: no ``<v>``, or an empty ``<v>`` on a cell that isn't ``t="str"``. Excel itself
writes ``t="str"`` with ``<v/>`` for a formula whose result is the empty string (=IF(A1="","",…)),
which ledger templates fill whole columns with; that is a value, not a missing one.

Cost: a sheet part without the bytes ``<f`` (or ``:f`` for prefixed XML) is only decompressed
and searched, never parsed; only sheets with formulas are parsed, as a stream.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

from etl.sheet import CellRef

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CHUNK = 1024 * 1024
_FORMULA_MARKS = (b"<f", b":f")  # <f …> or a prefixed <x:f …>; false hits only cost a parse
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def uncached_cells(path: Path) -> dict[str, list[CellRef]]:
    """Sheet name -> 0-based (row, column) of its formula cells without a value; others left out.

    The workbook was already read by calamine, so a part this scan can't parse is skipped rather
    than refused: the sheet then reports no uncached cells.
    """
    found: dict[str, list[CellRef]] = {}
    with zipfile.ZipFile(path) as archive:
        members = set(archive.namelist())
        for sheet, part in sheet_parts(archive).items():
            if part in members:
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
        with archive.open(part) as stream:
            if not _has_formulas(stream):
                return []
        with archive.open(part) as stream:
            return list(_uncached_in(stream))
    except (ET.ParseError, ValueError, OSError, zipfile.BadZipFile, EOFError):
        return []


def _has_formulas(stream: IO[bytes]) -> bool:
    """Whether the part may hold a formula; raises ValueError on a DTD (refused, see _small_xml).

    The whole part is searched (the bytes, not XML) so a DTD is found wherever it hides.
    """
    formulas = False
    tail = b""
    while chunk := stream.read(CHUNK):
        window = tail + chunk
        if any(mark in window for mark in _DTD_MARKS):
            raise ValueError("DTD declarations are refused (entity expansion)")
        formulas = formulas or any(mark in window for mark in _FORMULA_MARKS)
        tail = chunk[-16:]  # a mark split across two chunks
    return formulas


def _uncached_in(stream: IO[bytes]) -> Iterator[CellRef]:
    """Stream the sheet XML; cells and rows are dropped as soon as they have been looked at."""
    local: dict[str, str] = {}  # tag -> local name; a sheet uses a handful of tags
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
            if _is_uncached(element, local):
                yield row, col
            element.clear()
        elif tag == "row" and sheet_data is not None:
            sheet_data.clear()  # the rows looked at so far: nothing keeps a 100,000-row tree
        elif tag == "sheetData":
            return


def _is_uncached(cell: ET.Element, local: dict[str, str]) -> bool:
    children = {local.get(child.tag) or _local(child.tag): child for child in cell}
    if "f" not in children:
        return False
    if "is" in children:  # an inline string result
        return False
    value = children.get("v")
    if value is None:
        return True
    # Excel writes t="str" with <v/> for an empty-string result; any other type needs text.
    return cell.get("t") != "str" and not (value.text or "").strip()
