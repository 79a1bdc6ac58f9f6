"""The cells an .xlsx/.xlsm draws struck through (删除线): staff strike a row out to delete it.

calamine reads values, not fonts, so a struck-out row was counted as if it stood. As with hidden
rows (``etl.hidden``), nothing is dropped, since a strike may be a correction as well as a
deletion; the parse says so for each counted row with struck cells (``etl.parse``).

Cost: the styles part (a few KB) is read once and searched for ``strike``; a workbook whose fonts
have none (most) costs nothing more. Otherwise the styles give the cell formats (``cellXfs``)
drawn with a struck font, and only then is each sheet part inflated again and searched for cells
of those formats (``s="N"``), whose ``r`` gives the place. A cell without an ``r`` is not found.
Text struck within a cell (a rich-text run) is not looked at.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from etl.xlsx_formulas import cell_position, sheet_parts

STYLES = "xl/styles.xml"
_FONTS = re.compile(rb"<(?:[\w.-]+:)?fonts(?=[\s>])[^>]*>(.*?)</(?:[\w.-]+:)?fonts>", re.DOTALL)
_FONT = re.compile(rb"<(?:[\w.-]+:)?font(?=[\s/>])[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?font>)", re.DOTALL)
_STRIKE = re.compile(rb"<(?:[\w.-]+:)?strike(?=[\s/>])([^>]*)>")
_VAL = re.compile(rb"""\sval\s*=\s*["']\s*(\w*)\s*["']""")
_CELL_XFS = re.compile(rb"<(?:[\w.-]+:)?cellXfs(?=[\s>])[^>]*>(.*?)</(?:[\w.-]+:)?cellXfs>", re.DOTALL)
_XF = re.compile(rb"<(?:[\w.-]+:)?xf(?=[\s/>])([^>]*)>")
_FONT_ID = re.compile(rb"""\sfontId\s*=\s*["']\s*(\d+)\s*["']""")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c(?=\s)([^>]*)>")
_R = re.compile(rb"""\sr\s*=\s*["']\s*([A-Za-z]{1,3}\d{1,7})\s*["']""")
_FALSE = frozenset((b"0", b"false"))


def struck_formats(styles: bytes) -> set[bytes]:
    """The cell formats (``cellXfs`` indices, as written in ``s="N"``) whose font is struck through."""
    fonts = _FONTS.search(styles)
    formats = _CELL_XFS.search(styles)
    if fonts is None or formats is None:
        return set()
    struck = set()
    for i, font in enumerate(_FONT.finditer(fonts.group(1))):
        mark = _STRIKE.search(font.group(1) or b"")
        value = _VAL.search(mark.group(1)) if mark else None
        if mark and (value is None or value.group(1).lower() not in _FALSE):
            struck.add(i)
    found = set()
    for i, xf in enumerate(_XF.finditer(formats.group(1))):
        font_id = _FONT_ID.search(xf.group(1))
        if font_id is not None and int(font_id.group(1)) in struck:
            found.add(b"%d" % i)
    return found


def struck_in(data: bytes, formats: set[bytes]) -> dict[int, list[int]]:
    """0-based row -> the 0-based columns of its cells drawn in one of ``formats``."""
    style = re.compile(rb"""\ss\s*=\s*["']\s*(?:%s)\s*["']""" % b"|".join(sorted(formats)))
    found: dict[int, list[int]] = {}
    for match in style.finditer(data):  # only the cells of those formats are looked at
        start = data.rfind(b"<", 0, match.start())
        tag = _CELL.match(data, start, data.find(b">", match.end()) + 1)
        ref = _R.search(tag.group(1)) if tag is not None else None  # <row s="N"> is no cell
        if ref is not None:
            row, column = cell_position(ref.group(1).decode())
            found.setdefault(row, []).append(column)
    return found


def struck_cells(path: Path) -> dict[str, dict[int, list[int]]]:
    """Sheet name -> its rows with struck cells (``struck_in``); sheets with none are left out. calamine
    has read the workbook by now: a part this can't read is skipped, not refused."""
    found: dict[str, dict[int, list[int]]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            names = {name.lower(): name for name in archive.namelist()}
            styles = names.get(STYLES)
            if styles is None:
                return found
            data = archive.read(styles)  # within the budget etl.unpacked counted
            if b"strike" not in data:
                return found
            formats = struck_formats(data)
            if not formats:
                return found
            for sheet, part in sheet_parts(archive).items():
                if part in archive.NameToInfo:
                    rows = struck_in(archive.read(part), formats)
                    if rows:
                        found[sheet] = rows
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError, KeyError, ValueError):
        return found
    return found
