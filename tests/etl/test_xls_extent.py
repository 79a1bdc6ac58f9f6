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
    xls_extent.check(data, "t.xls", max_rows, budget, BIG)
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


# --- the shared strings: what the cells spell out ----------------------------------------------


def _utf8_bound(text: str) -> int:
    """What ``string_sizes`` should say of a string xlwt wrote: one byte a character when all are
    Latin-1 (at most 2 as UTF-8), else UTF-16 (at most 3 a unit)."""
    units = len(text.encode("utf-16-le")) // 2
    return units * (2 if all(ord(c) < 256 for c in text) else 3)


def test_string_sizes_follow_the_strings_calamine_reads(tmp_path: Path) -> None:
    """400 strings of up to 20,000 characters, so that many cross a CONTINUE record (xlwt writes the
    flag byte there); one size per string, in calamine's order, each its string's bound."""
    import random

    import python_calamine as pc

    rng = random.Random(3)
    alphabets = ["abc", "éàü", "纠纷调解", "a纠"]
    strings = [
        f"{i}:" + "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 40, 3000, 9000, 20000])))
        for i, alphabet in enumerate(rng.choice(alphabets) for _ in range(400))
    ]
    path = tmp_path / "t.xls"
    data = xls_bytes(path, {"S": [(i, 0, text) for i, text in enumerate(strings)]})
    found = xls_extent._globals(xls_extent.workbook_stream(data, "t.xls"), "t.xls")
    assert found.sst is not None and len(found.sst) > 100  # the SST and its CONTINUE records
    sizes = xls_extent.string_sizes(found.sst, found.codepage, "t.xls")
    read = [row[0] for row in pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()]
    assert read == strings
    assert sizes == [_utf8_bound(text) for text in strings]
    assert all(size >= len(text.encode()) for size, text in zip(sizes, read, strict=True))


SST_HEAD = b"\0" * 8  # cstTotal, cstUnique


@pytest.mark.parametrize(
    ("parts", "codepage", "sizes"),
    [
        ([SST_HEAD + struct.pack("<HB", 5, 0) + b"abcde"], 1200, [10]),
        ([SST_HEAD + struct.pack("<HB", 2, 1) + "纠纷".encode("utf-16-le")], 1200, [6]),
        # cut by a CONTINUE, which starts with the flag of the characters that follow
        ([SST_HEAD + struct.pack("<HB", 4, 0) + b"ab", b"\x01" + "纠纷".encode("utf-16-le")], 1200, [10]),
        # rich text runs and phonetic data are skipped, across a CONTINUE too
        ([SST_HEAD + struct.pack("<HBHI", 1, 0x0C, 2, 3) + b"a" + b"\0" * 6, b"\0" * 5], 1200, [2]),
        ([SST_HEAD + struct.pack("<HB", 1, 0) + b"a", b""], 1200, [2, 0]),  # an empty CONTINUE: an empty string
        ([SST_HEAD + struct.pack("<HB", 2, 1) + "纠纷".encode("utf-16-le")], 936, [12]),  # another code page
    ],
    ids=["8-bit", "UTF-16", "continued", "runs and phonetics", "empty continue", "code page 936"],
)
def test_string_sizes_of_hand_made_tables(parts: list[bytes], codepage: int, sizes: list[int]) -> None:
    assert xls_extent.string_sizes(parts, codepage, "t.xls") == sizes


@pytest.mark.parametrize(
    "parts",
    [
        [b"\0" * 7],
        [SST_HEAD + struct.pack("<HB", 10, 0) + b"abcde"],  # cut short
        [SST_HEAD + struct.pack("<HB", 10, 0) + b"abcde", b""],  # a CONTINUE without its flag byte
        [SST_HEAD + struct.pack("<HBi", 1, 0x04, -1) + b"a"],  # phonetic data of -1 bytes
        [SST_HEAD + b"\x01\x00"],  # no flag byte
    ],
    ids=["no header", "cut short", "no flag", "negative phonetics", "no flags"],
)
def test_a_broken_string_table_is_corrupt(parts: list[bytes]) -> None:
    with pytest.raises(FileError, match="已损坏"):
        xls_extent.string_sizes(parts, 1200, "t.xls")


def test_cells_are_charged_the_string_they_name(tmp_path: Path) -> None:
    """Three cells name a 1,000-character string: 9,000 bytes (and the header's 2 × 2) spelled out."""
    data = xls_bytes(tmp_path / "t.xls", {"S": [(0, 0, "ab"), *((r, 0, "纠" * 1000) for r in range(1, 4))]})
    xls_extent.check(data, "t.xls", 100, RecordingBudget("t.xls", limit=BIG), 9_004)
    with pytest.raises(FileError, match="展开后超过"):
        xls_extent.check(data, "t.xls", 100, RecordingBudget("t.xls", limit=BIG), 9_003)
