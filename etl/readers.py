"""Read a spreadsheet file into plain rows of cells, whatever its format.

The format is decided by the file's content, never its extension: a zip holding
``xl/workbook.xml`` is .xlsx/.xlsm, a zip with ``content.xml`` is .ods, an OLE compound file
with a ``Workbook`` stream is .xls (all read by calamine). Anything else is text, in UTF-16 (by
its BOM, or the NUL bytes of BOM-less UTF-16LE/BE) or an 8-bit encoding, and is one of what web
systems export as ".xls": an HTML page of ``<table>``s (``etl.html_table``), an Excel 2003 XML
spreadsheet (``etl.spreadsheetml``), or delimited text such as CSV or tab-separated "Unicode
text" (the delimiter sniffed). WPS ``.et`` files, .xlsb workbooks, encrypted workbooks, zip bombs,
oversized text, empty and non-spreadsheet files raise ``FileError``, and so does a file past the
limits of ``[limits]``: a zip that unpacks past ``upload_max_uncompressed_mb``, a sheet over
``sheet_max_rows`` rows or ``MAX_CELLS`` cells, or sheets that together pass ``MAX_CELLS`` cells
(``etl.sheet.CellBudget``). Each is refused before its memory is taken: ``etl.unpacked`` measures
a zip and ``etl.xls_extent`` an .xls before calamine reads them (calamine builds every sheet of an
.xls or .ods when it opens the file), the grid calamine reports is checked before it becomes
Python rows, delimited text has its cells counted before it is split, and the markup readers
count as they lay their tables out.

.xlsb is refused with a request to save as .xlsx: its sheets are binary records that no check
here reads, calamine would spell them out whole like the others, and ledgers are not kept in it.

For .xlsx/.xlsm, ``Sheet.uncached`` lists the formula cells saved without a value
(``etl.xlsx_formulas``); SpreadsheetML reports its own. NUL and the other control characters a
cell can't show (all C0 controls but tab, line feed and carriage return) are removed from every
format's text cells and listed in ``Sheet.cleaned``: an .xlsx carries them as ``_x0000_``, a CSV
as bytes past the binary check's first 4 KB, and left in, they break every export downstream.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from analytics import settings
from etl import unpacked, xls_extent
from etl.errors import FileError
from etl.hidden import hidden_cells
from etl.html_table import read_html
from etl.sheet import MAX_CELLS, Cell, CellBudget, CellRef, MergedRange, Sheet
from etl.spreadsheetml import read_spreadsheetml
from etl.struck import struck_cells
from etl.xlsx_formulas import WORKBOOK, uncached_cells

__all__ = ["Cell", "CellRef", "MergedRange", "Sheet", "gc_paused", "read_sheets"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED = 500 * 1024 * 1024  # bytes of a text file (a zip's budget is a setting, see _check_zip)
MAX_RATIO = 200  # uncompressed / compressed, for archives big enough to matter
RATIO_FLOOR = 20 * 1024 * 1024  # below this uncompressed size a high ratio is harmless
MB = 1024 * 1024
MAX_MARKUP = 100 * MB  # HTML and SpreadsheetML are parsed in Python: a tighter cap than delimited text's
SNIFF = 64 * 1024  # the head that tells the text formats apart (Excel's HTML has long <style>s first)
UTF16_PROBE = 1024  # bytes looked at for BOM-less UTF-16
UTF16_MIN_ASCII = 0.1  # share of ASCII characters (tab, digit, line end) that BOM-less UTF-16 shows
_TEXT_BYTES = frozenset(b"\t\n\r" + bytes(range(0x20, 0x7F)))
UTF8_BOM = b"\xef\xbb\xbf"
SPREADSHEETML_NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"
GB_CODECS = frozenset({"gb2312", "gbk", "gb18030"})
WESTERN_CODECS = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252"})
_WORKBOOK_ELEMENT = re.compile(r"<(?:[\w.-]+:)?Workbook[\s>]")
_HTML_ELEMENT = re.compile(r"<(?:html|table)[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(r"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(r"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']")
# C0 controls but tab and line ends, DEL, and C1 (U+009B starts a terminal command)
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_COLUMNS = 16_384  # Excel's: a row of delimited text wider than a worksheet is no ledger
XLSB_WORKBOOK = "xl/workbook.bin"


def read_sheets(path: str | Path) -> list[Sheet]:
    """Every sheet of the file at ``path``, in workbook order."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileError(name, f"无法打开：{exc.strerror or exc}") from exc
    if size == 0:
        raise FileError.empty(name)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        members, formulas, hidden, ods_hidden = _check_zip(path)
        sheets = _read_calamine(path)
        if WORKBOOK in members and formulas:  # .xlsx/.xlsm: calamine reads a formula without a value as ''
            _mark_uncached(path, sheets, formulas)
        if WORKBOOK in members and hidden:
            _mark_hidden(path, sheets, hidden)
        if WORKBOOK in members:
            _mark_struck(path, sheets)
        _set_hidden(sheets, ods_hidden)
        return sheets
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()  # calamine reads it whole too
        _check_ole(path, data)
        max_text = settings.upload_max_uncompressed_bytes() // 2  # as for an .xlsx, see etl.unpacked
        hides = xls_extent.check(data, name, settings.limit("sheet_max_rows"), CellBudget(name), max_text)
        del data
        sheets = _read_calamine(path)
        _set_hidden(sheets, hides)  # both in the order of the workbook's BoundSheet records
        return sheets
    if path.suffix.lower() == ".et":
        raise FileError.wps(name)
    sheets = _read_text(path, size)
    for sheet in sheets:
        _check_rows(name, sheet.name, len(sheet.rows))
    return sheets


def _check_rows(file_name: str, sheet: str, rows: int) -> None:
    limit = settings.limit("sheet_max_rows")
    if rows > limit:
        raise FileError.too_many_rows(file_name, sheet, rows, limit)


def _check_zip(path: Path) -> tuple[set[str], set[str], set[str], list[tuple[list[int], list[int]]]]:
    """The archive's member names, its sheet parts that may hold formulas and those that may hide
    rows or columns, and an .ods's hidden rows and columns per table, once it is known to be a
    workbook, no zip bomb and within the limits.

    The sizes the zip's directory declares refuse a bomb at once; ``etl.unpacked`` then counts the
    bytes each part really unpacks to (a directory may lie) and each sheet's rows.
    """
    name = path.name
    budget = settings.upload_max_uncompressed_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            uncompressed = sum(m.file_size for m in members)
            compressed = sum(m.compress_size for m in members) or 1
            if uncompressed > RATIO_FLOOR and uncompressed / compressed > MAX_RATIO:
                raise FileError.too_large(name)
            if uncompressed > budget:
                raise FileError.unpacks_too_big(name, budget // MB)
            names = {m.filename for m in members}
            if XLSB_WORKBOOK in names:
                raise FileError.xlsb(name)
            if "xl/workbook.xml" not in names and "content.xml" not in names:
                if path.suffix.lower() == ".et":
                    raise FileError.wps(name)
                raise FileError.corrupt(name)
            max_rows = settings.limit("sheet_max_rows")
            formulas, hidden, ods_hidden = unpacked.check(archive, name, budget, max_rows, CellBudget(name))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileError.corrupt(name) from exc
    return names, formulas, hidden, ods_hidden


def _mark_uncached(path: Path, sheets: list[Sheet], parts: set[str]) -> None:
    found = uncached_cells(path, parts)
    for sheet in sheets:
        sheet.uncached = found.get(sheet.name, [])


def _set_hidden(sheets: list[Sheet], hidden: list[tuple[list[int], list[int]]]) -> None:
    """The rows and columns each sheet hides, found in sheet order by a scan before calamine (an .xls's
    records, an .ods's tables): taken only when the scan saw as many sheets as calamine read."""
    if len(hidden) == len(sheets):
        for sheet, (rows, columns) in zip(sheets, hidden, strict=True):
            sheet.hidden_rows, sheet.hidden_columns = rows, columns


def _mark_struck(path: Path, sheets: list[Sheet]) -> None:
    found = struck_cells(path)
    for sheet in sheets:
        sheet.struck = found.get(sheet.name, {})


def _mark_hidden(path: Path, sheets: list[Sheet], parts: set[str]) -> None:
    found = hidden_cells(path, parts)
    for sheet in sheets:
        sheet.hidden_rows, sheet.hidden_columns = found.get(sheet.name, ([], []))


def _check_ole(path: Path, data: bytes) -> None:
    # Directory entries hold stream names in UTF-16LE; searching the file's bytes for them tells an
    # encrypted package or a WPS file from a workbook before the compound file is parsed. The whole
    # file: LibreOffice writes the directory after the workbook stream (past 8 MB in a 12 MB .xls).
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise FileError.encrypted(path.name)
    has_workbook = any(s.encode("utf-16-le") in data for s in ("Workbook", "WorkBook", "Book"))
    if not has_workbook:
        if path.suffix.lower() == ".et" or b"W\x00P\x00S\x00" in data:
            raise FileError.wps(path.name)
        raise FileError.corrupt(path.name)


def _read_calamine(path: Path) -> list[Sheet]:
    import python_calamine as pc

    name = path.name
    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise FileError.encrypted(name) from exc
    except BaseException as exc:  # calamine raises several unrelated types for broken files
        if not isinstance(exc, Exception) and not panicked(exc):
            raise
        if path.suffix.lower() == ".et":
            raise FileError.wps(name) from exc
        raise FileError.corrupt(name) from exc
    sheets: list[Sheet] = []
    budget = CellBudget(name)
    try:
        hidden = {m.name for m in workbook.sheets_metadata if m.visible != pc.SheetVisibleEnum.Visible}
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            _check_grid(name, sheet_name, sheet, budget)
            rows = _rows_of(sheet)
            merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
            sheets.append(Sheet(sheet_name, rows, merged, hidden=sheet_name in hidden, cleaned=strip_controls(rows)))
    except pc.PasswordError as exc:
        raise FileError.encrypted(name) from exc
    except FileError:
        raise
    except BaseException as exc:
        if not isinstance(exc, Exception) and not panicked(exc):
            raise
        raise FileError.corrupt(name) from exc
    finally:
        workbook.close()
    return sheets


def panicked(exc: BaseException) -> bool:
    """Whether calamine's Rust code panicked on the file: pyo3 raises its ``PanicException``, which
    derives from BaseException (an .xls MERGEDCELLS record naming more areas than it holds does it)."""
    return type(exc).__name__ == "PanicException"


def _check_grid(file_name: str, sheet_name: str, sheet: Any, budget: CellBudget) -> None:
    """Refuse a sheet whose grid (from row 1 and column A, as ``_rows_of`` hands it on) is over the
    limits, alone or with the sheets read before it."""
    end = sheet.end
    if end is None:
        return
    rows, columns = end[0] + 1, end[1] + 1
    _check_rows(file_name, sheet_name, rows)
    if rows * columns > MAX_CELLS:
        raise FileError.too_many_cells(file_name)
    budget.take(rows * columns)


def _rows_of(sheet: Any) -> list[list[Cell]]:
    """The sheet's cells as row lists (see ``gc_paused`` for why the collector waits meanwhile)."""
    with gc_paused():
        return sheet.to_python(skip_empty_area=False)  # type: ignore[no-any-return]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nesting is fine).

    A sheet is one list per row; while they live, every collection walks all of them: ≈ 0.3 s of
    CPU inside calamine for 100,000 rows, and ≈ 0.1 s more over the parse that follows. Cells and
    row lists can't form reference cycles, so there is nothing for the collector to find.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- text formats: HTML tables, SpreadsheetML, delimited text ----------------------------------


def _read_text(path: Path, size: int) -> list[Sheet]:
    """A file that is no zip and no OLE: HTML, SpreadsheetML or delimited text, 8-bit or UTF-16."""
    name = path.name
    if size > MAX_UNCOMPRESSED:
        raise FileError.too_big(name, MAX_UNCOMPRESSED // MB)
    raw = path.read_bytes()
    utf16 = _utf16_codec(raw[:UTF16_PROBE])
    if utf16 is None and b"\x00" in raw[:4096]:
        raise FileError.corrupt(name)  # binary, and no UTF-16 text either
    bom = raw.startswith(UTF8_BOM)
    if utf16 is None:
        body = raw[len(UTF8_BOM) :] if bom else raw
        head = body[:SNIFF].decode("latin-1")  # the markup that tells the formats apart is ASCII
    else:
        text = _decode_utf16(raw, utf16, name)
        head = text[:SNIFF]
    kind = _kind(head, name)
    if kind != "delimited" and size > MAX_MARKUP:
        raise FileError.too_big(name, MAX_MARKUP // MB)
    if utf16 is None:
        text = _decode_8bit(body, name, _declared_encoding(head, kind), bom)
    budget = CellBudget(name)
    if kind == "html":
        sheets = read_html(text, name, path.stem, budget)
    elif kind == "spreadsheetml":
        sheets = read_spreadsheetml(text, name, budget)
    else:
        sheets = [_read_delimited(text, name, path.stem, budget)]
    if CONTROLS.search(text):  # one pass over the text spares a pass over every cell
        for sheet in sheets:
            sheet.cleaned = strip_controls(sheet.rows)
    return sheets


def strip_controls(rows: list[list[Cell]]) -> list[CellRef]:
    """Remove control characters from the text cells of ``rows`` in place; the cells changed.

    A generator over the cells finds none in ≈ 65 ms for 100,000 rows of 16 cells; only a
    sheet that has some is walked again to say where.
    """
    if not any(CONTROLS.search(v) for row in rows for v in row if type(v) is str and not v.isprintable()):
        return []
    changed: list[CellRef] = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if type(value) is str and CONTROLS.search(value):
                row[c] = CONTROLS.sub("", value)
                changed.append((r, c))
    return changed


def _utf16_codec(probe: bytes) -> str | None:
    """'utf-16' for a BOM, 'utf-16-le'/'-be' for BOM-less UTF-16 text, else None.

    Without a BOM, UTF-16 shows as ASCII characters (tabs, digits, line ends) paired with a NUL
    byte, on one side. Chinese characters have a NUL byte only now and then (一 is U+4E00), never
    next to another: a NUL pair is U+0000, no text. Binary has NUL pairs, or no such ASCII pairs.
    """
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    pairs = list(zip(probe[0::2], probe[1::2], strict=False))
    if len(pairs) < 2 or (0, 0) in pairs:
        return None
    little = sum(1 for low, high in pairs if high == 0 and low in _TEXT_BYTES)
    big = sum(1 for high, low in pairs if high == 0 and low in _TEXT_BYTES)
    if max(little, big) < len(pairs) * UTF16_MIN_ASCII:
        return None
    return "utf-16-le" if little > big else "utf-16-be"


def _decode_utf16(raw: bytes, codec: str, name: str) -> str:
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise FileError.corrupt(name) from exc
    if "\x00" in text:
        raise FileError.corrupt(name)  # NULs in the text itself: not a text file after all
    return text


def _kind(head: str, name: str) -> str:
    """'html', 'spreadsheetml' or 'delimited', from the file's first ``SNIFF`` characters."""
    start = head.lstrip("\ufeff \t\r\n")
    if not start.startswith("<"):
        return "delimited"
    if SPREADSHEETML_NAMESPACE in head and _WORKBOOK_ELEMENT.search(head):
        return "spreadsheetml"
    if start.startswith("<?xml") and not _HTML_ELEMENT.search(head):
        raise FileError.corrupt(name)  # some other XML document
    return "html"


def _declared_encoding(head: str, kind: str) -> str | None:
    """The encoding an HTML <meta> or an XML declaration names, if any."""
    pattern = {"html": _META_CHARSET, "spreadsheetml": _XML_ENCODING}.get(kind)
    match = pattern.search(head) if pattern else None
    return match.group(1) if match else None


def _decode_8bit(raw: bytes, name: str, declared: str | None, bom: bool) -> str:
    """Text by its UTF-8 BOM, else the declared encoding, else UTF-8, else GB18030."""
    for encoding in ("utf-8",) if bom else _encodings(declared):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError.corrupt(name)


def _encodings(declared: str | None) -> list[str]:
    try:
        codec = codecs.lookup(declared).name if declared else None
    except LookupError:
        codec = None  # a charset Python doesn't know: as if none was declared
    if codec is not None and codec.startswith(("utf-16", "utf-32")):
        codec = None  # 8-bit bytes (UTF-16 was recognised before): a wrong label, as browsers treat it
    if codec in GB_CODECS:
        codec = "gb18030"  # browsers read gb2312 and gbk as their superset too
    elif codec in WESTERN_CODECS:
        # A Chinese page that says latin-1 is a misconfigured server (the Java servlet default):
        # the bytes are UTF-8 or GBK. Latin-1 decodes any bytes, so it can only come last.
        return ["utf-8", "gb18030", codec]
    return list(dict.fromkeys([c for c in (codec, "utf-8", "gb18030") if c]))


def _sniff_delimiter(sample: str) -> str:
    """The candidate that splits the most lines the same way (csv.Sniffer trips on title rows)."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]

    def consistency(delimiter: str) -> tuple[int, int]:
        counts = [line.count(delimiter) for line in lines]
        common = max(set(counts), key=counts.count) if counts else 0
        return (counts.count(common) if common else 0, common)

    return max(",\t;|", key=consistency)


def _read_delimited(text: str, name: str, stem: str, budget: CellBudget) -> Sheet:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FileError.empty(name)
    delimiter = _sniff_delimiter(text[:20000])
    _check_delimited_cells(text, delimiter, budget)
    try:
        # newline="": the csv module sees every \r, \n and \r\n itself (a lone \r inside a field
        # otherwise raises "new-line character seen in unquoted field")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        # One row past the limit is enough to refuse the sheet (read_sheets does): stop reading there.
        rows: list[list[Cell]] = [
            _narrow(list(r), name) for r in itertools.islice(reader, settings.limit("sheet_max_rows") + 1)
        ]
    except csv.Error as exc:
        raise FileError.corrupt(name) from exc
    if max((len(r) for r in rows), default=0) < 2:
        # A single-column "CSV" is almost always some other text file.
        raise FileError.corrupt(name)
    return Sheet(stem, rows, [])


def _check_delimited_cells(text: str, delimiter: str, budget: CellBudget) -> None:
    """Refuse delimited text with more cells than a file may have, before it is split into cells.

    Every cell but a line's first follows a delimiter, and every line ends with a line end or the
    end of the text: counting both (≈ 20 ms per 50 MB) gives at least as many cells as the csv
    module will make (a quoted delimiter or line end is counted as if it split). A 49 MB line of
    commas would otherwise become a list of 51 million cells (1.1 GB) and keep the parse busy for 50 s.
    """
    budget.take(text.count(delimiter) + text.count("\n") + text.count("\r") + 1)


def _narrow(row: list[Cell], name: str) -> list[Cell]:
    """The row, unless it is wider than a worksheet."""
    if len(row) > MAX_COLUMNS:
        raise FileError.too_many_cells(name)
    return row
