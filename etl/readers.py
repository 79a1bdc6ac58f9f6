"""Read a spreadsheet file into plain rows of cells, whatever its format.

The format is decided by the file's content, never its extension: a zip holding
``xl/workbook.xml`` is .xlsx/.xlsm, a zip with ``content.xml`` is .ods, an OLE compound file
with a ``Workbook`` stream is .xls, anything else that decodes as text is CSV. WPS ``.et``
files, encrypted workbooks, zip bombs, empty and non-spreadsheet files raise ``FileError``.
"""

from __future__ import annotations

import csv
import gc
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from etl.errors import FileError
from etl.sheet import Cell, CellRef, MergedRange, Sheet
from etl.xlsx_formulas import WORKBOOK, uncached_cells

__all__ = ["Cell", "CellRef", "MergedRange", "Sheet", "gc_paused", "read_sheets"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_UNCOMPRESSED = 500 * 1024 * 1024  # bytes, summed over a zip's members
MAX_RATIO = 200  # uncompressed / compressed, for archives big enough to matter
RATIO_FLOOR = 20 * 1024 * 1024  # below this uncompressed size a high ratio is harmless
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


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
        members = _check_zip(path)
        sheets = _read_calamine(path)
        if WORKBOOK in members:  # .xlsx/.xlsm: calamine reads a formula without a value as ''
            _mark_uncached(path, sheets)
        return sheets
    if head.startswith(OLE_MAGIC):
        _check_ole(path)
        return _read_calamine(path)
    if path.suffix.lower() == ".et":
        raise FileError.wps(name)
    return [_read_csv(path)]


def _check_zip(path: Path) -> set[str]:
    """The archive's member names, once it is known to be a workbook and no zip bomb."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileError.corrupt(name) from exc
    uncompressed = sum(m.file_size for m in members)
    compressed = sum(m.compress_size for m in members) or 1
    if uncompressed > MAX_UNCOMPRESSED or (uncompressed > RATIO_FLOOR and uncompressed / compressed > MAX_RATIO):
        raise FileError.too_large(name)
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names and "content.xml" not in names:
        if path.suffix.lower() == ".et":
            raise FileError.wps(name)
        raise FileError.corrupt(name)
    return names


def _mark_uncached(path: Path, sheets: list[Sheet]) -> None:
    found = uncached_cells(path)
    for sheet in sheets:
        sheet.uncached = found.get(sheet.name, [])


def _ole_stream_names(path: Path) -> bytes:
    # Directory entries hold stream names in UTF-16LE; scanning the bytes is enough to tell
    # an encrypted package from a workbook without parsing the compound file.
    with path.open("rb") as handle:
        return handle.read(8 * 1024 * 1024)


def _check_ole(path: Path) -> None:
    data = _ole_stream_names(path)
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
    except Exception as exc:  # calamine raises several unrelated types for broken files
        if path.suffix.lower() == ".et":
            raise FileError.wps(name) from exc
        raise FileError.corrupt(name) from exc
    sheets: list[Sheet] = []
    try:
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows = _rows_of(sheet)
            merged = list(getattr(sheet, "merged_cell_ranges", None) or [])
            sheets.append(Sheet(sheet_name, rows, merged))
    except pc.PasswordError as exc:
        raise FileError.encrypted(name) from exc
    except Exception as exc:
        raise FileError.corrupt(name) from exc
    finally:
        workbook.close()
    return sheets


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


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096]:
        raise FileError.corrupt(name)
    for encoding in CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError.corrupt(name)


def _sniff_delimiter(sample: str) -> str:
    """The candidate that splits the most lines the same way (csv.Sniffer trips on title rows)."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]

    def consistency(delimiter: str) -> tuple[int, int]:
        counts = [line.count(delimiter) for line in lines]
        common = max(set(counts), key=counts.count) if counts else 0
        return (counts.count(common) if common else 0, common)

    return max(",\t;|", key=consistency)


def _read_csv(path: Path) -> Sheet:
    name = path.name
    if path.stat().st_size > MAX_UNCOMPRESSED:
        raise FileError.too_large(name)
    text = _decode(path.read_bytes(), name)
    if not text.strip():
        raise FileError.empty(name)
    sample = text[:20000]
    delimiter = _sniff_delimiter(sample)
    rows: list[list[Cell]] = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    if max((len(r) for r in rows), default=0) < 2:
        # A single-column "CSV" is almost always some other text file.
        raise FileError.corrupt(name)
    return Sheet(path.stem, rows, [])
