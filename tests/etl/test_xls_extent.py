"""The scan of an .xls's records counts the grids calamine will build when it opens the file.

Workbooks are written with xlwt; the damaged ones are xlwt's bytes with one record or one sector
number changed. calamine is only asked about the well-formed ones: the others would make it abort
or loop, which is why the scan exists (the end-to-end refusals are in ``test_upload_limits``).
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
import xlwt

from etl import xls_extent
from etl.errors import FileError
from etl.readers import read_sheets
from tests.etl.workbooks import RecordingBudget

DIMENSIONS = b"\x00\x02\x0e\x00"  # the record's type and length, as xlwt writes them
BIG = 10**12


def xls_bytes(path: Path, sheets: dict[str, list[tuple[int, int, object]]]) -> bytes:
    """A workbook whose sheets hold the given (row, column, value) cells; a value "=…" is a formula."""
    book = xlwt.Workbook(encoding="utf-8")
    for name, cells in sheets.items():
        sheet = book.add_sheet(name)
        for row, column, value in cells:
            if isinstance(value, str) and value.startswith("="):
                sheet.write(row, column, xlwt.Formula(value[1:]))
            else:
                sheet.write(row, column, value)
    book.save(str(path))
    return path.read_bytes()


def scanned(data: bytes, limit: int = BIG, max_rows: int = 200_000) -> list[int]:
    """The cells charged for each sheet."""
    budget = RecordingBudget("t.xls", limit=limit)
    xls_extent.check(data, "t.xls", max_rows, budget)
    return budget.charged


def calamine_cells(path: Path) -> list[int]:
    import python_calamine as pc

    workbook = pc.CalamineWorkbook.from_path(str(path))
    ends = [workbook.get_sheet_by_name(name).end for name in workbook.sheet_names]
    return [(end[0] + 1) * (end[1] + 1) if end else 0 for end in ends]


SHAPES = {
    "a ledger": {
        "台账": [(0, 0, "受理日期"), (0, 1, "当事人"), *[(r, c, r * c) for r in range(1, 50) for c in range(2)]]
    },
    "far cells": {"S": [(0, 0, "x"), (4000, 200, 1.5)]},
    "numbers written as RK": {"S": [(r, 3, r) for r in range(300)]},
    "a formula": {"S": [(0, 0, 1), (9, 5, "=A1*2")]},
    "booleans": {"S": [(2, 2, True)]},
    "an empty sheet": {"S": [], "T": [(1, 1, "y")]},
    "three sheets": {f"S{i}": [(i * 10, i, "z")] for i in range(3)},
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_the_count_is_calamines_grid(tmp_path: Path, shape: str) -> None:
    path = tmp_path / "t.xls"
    data = xls_bytes(path, SHAPES[shape])
    assert scanned(data) == calamine_cells(path)


def test_sheets_over_the_file_budget_are_refused(tmp_path: Path) -> None:
    data = xls_bytes(tmp_path / "t.xls", {"S1": [(0, 0, "x"), (99, 9, 1)], "S2": [(0, 0, "x"), (99, 9, 1)]})
    assert scanned(data, limit=2000) == [1000, 1000]
    with pytest.raises(FileError) as caught:
        scanned(data, limit=1999)
    assert str(caught.value) == (
        "文件「t.xls」的各工作表合计至少有 2,000 个单元格（每张表从 A1 算到最远的有内容的单元格），"
        "超过了每个文件 1,999 个单元格的上限，已拒绝读取；请删去多余的工作表或远处零散的内容，或拆分成几个文件后再导入"
    )


def test_a_sheet_over_the_row_limit_is_refused(tmp_path: Path) -> None:
    data = xls_bytes(tmp_path / "t.xls", {"2020年": [(0, 0, "x"), (150, 0, 1)]})
    with pytest.raises(FileError, match="的工作表「2020年」有 151 行，超过了每张工作表 100 行的上限"):
        scanned(data, max_rows=100)


def _with_dimensions(data: bytes, rows: int, columns: int) -> bytes:
    at = data.find(DIMENSIONS)
    assert at > 0
    record = struct.pack("<IIHHH", 0, rows, 0, columns, 0)
    return data[: at + 4] + record + data[at + 18 :]


def test_dimensions_that_would_reserve_too_much_are_refused(tmp_path: Path) -> None:
    """calamine reserves room for the cells DIMENSIONS announces: 4 billion rows abort the process."""
    data = xls_bytes(tmp_path / "t.xls", {"S": [(0, 0, "x"), (1, 1, "y")]})
    assert scanned(_with_dimensions(data, 65536, 256)) == [4]  # a full BIFF8 sheet announced: fine
    with pytest.raises(FileError, match="表格展开后过大"):
        scanned(_with_dimensions(data, 0xFFFF_FFFF, 0xFFFF))


def test_a_column_past_excels_is_counted(tmp_path: Path) -> None:
    """BIFF8 names a column in 16 bits: cell (65535, 65535) makes calamine ask for 4 billion cells."""
    data = bytearray(xls_bytes(tmp_path / "t.xls", {"S": [(0, 0, "x"), (1, 1, "y")]}))
    at = data.find(b"\xfd\x00\x0a\x00\x01\x00\x01\x00")  # LABELSST of cell (1, 1)
    data[at + 4 : at + 8] = struct.pack("<HH", 0xFFFF, 0xFFFF)
    with pytest.raises(FileError, match="表格展开后过大"):
        scanned(bytes(data))


def _sector_offset(data: bytes, sector: int) -> int:
    return (sector + 1) * 512


def test_a_chain_that_loops_is_refused(tmp_path: Path) -> None:
    """calamine follows the directory chain until its end marker: a loop takes all memory (2 GB in 8 s)."""
    data = bytearray(xls_bytes(tmp_path / "t.xls", {"S": [(0, 0, "x")]}))
    directory = struct.unpack_from("<I", data, 48)[0]
    fat = struct.unpack_from("<I", data, 76)[0]
    struct.pack_into("<I", data, _sector_offset(data, fat) + 4 * directory, directory)
    with pytest.raises(FileError, match="已损坏"):
        scanned(bytes(data))


def test_a_stream_cut_short_is_corrupt(tmp_path: Path) -> None:
    data = bytearray(xls_bytes(tmp_path / "t.xls", {"S": [(0, 0, "x")]}))
    at = data.find(DIMENSIONS)
    data[at + 2 : at + 4] = struct.pack("<H", 0xFFFF)  # a record longer than the stream
    with pytest.raises(FileError, match="已损坏"):
        scanned(bytes(data))


def test_a_legacy_password_is_reported_as_such(tmp_path: Path) -> None:
    path = tmp_path / "t.xls"
    data = bytearray(xls_bytes(path, {"S": [(0, 0, "x")]}))
    at = data.find(b"\x42\x00\x02\x00")  # CODEPAGE, in the globals: made a FilePass of the same size
    data[at : at + 6] = b"\x2f\x00\x02\x00\x01\x00"
    path.write_bytes(bytes(data))
    with pytest.raises(FileError, match="已加密或设有密码"):
        read_sheets(path)
