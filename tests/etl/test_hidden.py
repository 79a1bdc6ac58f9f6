"""Hidden rows and columns are counted, and said: the sheet a person looks at doesn't show them."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlwt
from openpyxl import load_workbook

from etl import readers
from etl.hidden import HiddenMark, hidden_in
from etl.parse import parse_file
from tests.workbooks import disputes_sheet, write_xlsx

ROW_NOTE = "此行在文件中被隐藏（打开文件时看不到），已照常计入；如不应计入，请删除该行后重新导入"


def _column_note(label: str) -> str:
    return f"「{label}」列在文件中被隐藏（打开文件时看不到），已照常读取；请核对这一列是否应当计入"


def _xlsx(path: Path, rows: list[int], columns: list[str]) -> Path:
    write_xlsx(path, {"台账": disputes_sheet()})
    book = load_workbook(path)
    for row in rows:
        book.active.row_dimensions[row].hidden = True
    for column in columns:
        book.active.column_dimensions[column].hidden = True
    book.save(path)
    return path


def _xls(path: Path, rows: list[int], columns: list[int]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    for r, row in enumerate(disputes_sheet()):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    for row in rows:
        sheet.row(row - 1).hidden = True
    for column in columns:
        sheet.col(column).hidden = True
    book.save(str(path))
    return path


def _notes(path: Path) -> tuple[int, list[tuple[object, ...]]]:
    sheet = parse_file(path).sheets[0]
    return sheet.row_count, [w[2:] for w in sheet.warning_rows if "隐藏" in str(w[-1])]


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_a_hidden_row_is_counted_with_a_warning_and_a_hidden_column_read_too(tmp_path: Path, kind: str) -> None:
    header = disputes_sheet()[1]
    result = header.index("调解结果")
    path = (
        _xlsx(tmp_path / "台账.xlsx", [4], ["F", "K"])  # K: no column of the ledger
        if kind == "xlsx"
        else _xls(tmp_path / "台账.xls", [4], [result, 10])
    )
    counted, notes = _notes(path)
    assert counted == len(disputes_sheet()) - 2  # title and header: every data row still counts
    assert notes == [(4, None, None, ROW_NOTE), (None, "调解结果", None, _column_note("调解结果"))]


def test_hidden_rows_above_the_table_or_past_it_say_nothing(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "台账.xlsx", [1, 40, 41], [])  # the title row, and rows below the ledger
    assert _notes(path) == (len(disputes_sheet()) - 2, [])


def test_a_workbook_hiding_nothing_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "hidden_cells", lambda *a: pytest.fail("read again"))
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": disputes_sheet()})
    assert _notes(path) == (len(disputes_sheet()) - 2, [])


def test_rows_and_columns_as_the_xml_may_write_them() -> None:
    xml = (
        b'<x:worksheet><x:cols><x:col min="2" max="3" hidden="1"/><x:col min="5" max="5" hidden="0"/>'
        b"<x:col min='16000' max='99999' hidden='true'/></x:cols><x:sheetData>"
        b'<x:row r="3" hidden="1"><x:c r="A3"/></x:row>'
        b"<x:row><x:c/></x:row>"  # no r: row 4
        b'<x:row hidden = "true"/>'  # row 5
        b'<x:row r="9" hidden="0" spans="1:2"/>'
        b'<x:row r="10" customHeight="1" hidden="1"></x:row>'
        b'</x:sheetData><x:rowBreaks count="1"/></x:worksheet>'
    )
    rows, columns = hidden_in(xml)
    assert rows == [2, 4, 9]
    assert columns == [1, 2, *range(15_999, 16_384)]


def test_the_mark_is_found_across_two_chunks() -> None:
    mark = HiddenMark()
    for chunk in (b'<row r="1" hid', b'den="1">', b"<c/>"):
        mark.feed(chunk)
    assert mark.found
    spread = HiddenMark()
    for chunk in (b'<row r="1" hi', b"dd", b'en="1">'):  # inflating may hand on a few bytes at a time
        spread.feed(chunk)
    assert spread.found
    quiet = HiddenMark()
    for chunk in (b'<row r="1" hi', b"dd", b' en="1">'):
        quiet.feed(chunk)
    assert not quiet.found


@pytest.mark.parametrize("rows", [0, 10, 100])  # past 64 h's the whole mark is searched for instead
def test_the_mark_is_found_among_row_heights(rows: int) -> None:
    found, quiet = HiddenMark(), HiddenMark()
    found.feed(b'<row r="1" ht="20" customHeight="1"/>' * rows + b'<row r="9" hidden="1"/>')
    quiet.feed(b'<row r="1" ht="20" customHeight="1"/>' * rows + b'<sheetView showGridLines="0"/>')
    assert found.found and not quiet.found
