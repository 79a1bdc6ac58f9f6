"""Rows struck through (删除线) are counted, and said: staff strike a row out to delete it, and the
figures would count it without a word. Real .xlsx files with struck fonts, written by openpyxl."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Font

from etl.parse import STRUCK_ROW, parse_file
from etl.struck import struck_formats, struck_in
from tests.workbooks import disputes_sheet, write_xlsx


def _struck(path: Path, cells: list[str], font: Font | None = None) -> Path:
    write_xlsx(path, {"台账": disputes_sheet()})
    book = load_workbook(path)
    for ref in cells:
        book.active[ref].font = font or Font(strike=True)
    book.active["H1"].font = Font(bold=True)  # another font: the struck one is not font 0 or 1
    book.save(path)
    return path


def _row(r: int) -> list[str]:
    return [f"{c}{r}" for c in "ABCDEFG"]  # 序号 … 备注


def test_a_row_struck_out_is_counted_with_a_warning(tmp_path: Path) -> None:
    sheet = parse_file(_struck(tmp_path / "台账.xlsx", _row(4))).sheets[0]
    assert sheet.row_count == 3  # counted as written, as a hidden row is
    assert [(w[2], w[-1]) for w in sheet.warning_rows] == [(4, STRUCK_ROW)]  # was no warning at all


def test_some_struck_cells_name_their_columns(tmp_path: Path) -> None:
    sheet = parse_file(_struck(tmp_path / "台账.xlsx", ["F5"])).sheets[0]
    [warning] = sheet.warning_rows
    assert warning[2] == 5 and warning[3] == "调解结果"
    assert warning[-1] == "此行的「调解结果」有删除线，已照常读取并计入；如划掉的内容不应计入，请改正后重新导入"


def test_strike_turned_off_and_struck_empty_cells_say_nothing(tmp_path: Path) -> None:
    path = _struck(tmp_path / "台账.xlsx", _row(3), Font(strike=False))
    assert parse_file(path).sheets[0].warning_rows == []
    book = load_workbook(path)
    book.active["H4"].font = Font(strike=True)  # a struck format on a cell with nothing in it
    book.save(path)
    assert parse_file(path).sheets[0].warning_rows == []


def test_struck_rows_outside_the_data_say_nothing(tmp_path: Path) -> None:
    sheet = parse_file(_struck(tmp_path / "台账.xlsx", ["A1", *(f"{c}2" for c in "ABCDEFG")])).sheets[0]
    assert sheet.warning_rows == []  # the title and the header


STYLES = b"""<styleSheet xmlns="x"><fonts count="3"><font><sz val="11"/></font><font><strike/><sz val="11"/></font>
<font><strike val="0"/></font></fonts><cellStyleXfs count="1"><xf fontId="1"/></cellStyleXfs>
<cellXfs count="4"><xf fontId="0"/><xf fontId="2" applyFont="1"/><xf fontId="1" applyFont="1"/><xf numFmtId="14" fontId="1"/>
</cellXfs></styleSheet>"""


def test_struck_formats_read_the_cell_formats_only() -> None:
    assert struck_formats(STYLES) == {b"2", b"3"}  # cellStyleXfs' xf is no cell format


def test_struck_in_finds_cells_not_rows() -> None:
    data = b'<sheetData><row r="4" s="2" customFormat="1"><c r="A4" s="2"><v>1</v></c><c r="B4" s="0"/><c s="3" r="C4"/></row></sheetData>'
    assert struck_in(data, {b"2", b"3"}) == {3: [0, 2]}
