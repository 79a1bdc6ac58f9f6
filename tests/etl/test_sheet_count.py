"""A workbook with more sheets than ``MAX_SHEETS`` is refused before calamine opens it (a 48 MB .xlsx of
150,000 empty sheets held the check for 9 minutes: an outside test's finding F8); at the limit it is read.
The real limit is 1,000; the tests lower it, as a real file of 1,001 sheets takes long to write."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from etl import unpacked, xls_extent
from etl.errors import FileError
from etl.readers import read_sheets
from etl.sheet import MAX_SHEETS
from tests.workbooks import write_xls


def _sheets(count: int) -> dict[str, list[list[object]]]:
    return {f"第{i + 1}月": [["序号", "受理日期"], [1, "2024-01-05"]] for i in range(count)}


def test_an_xlsx_of_too_many_sheets_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unpacked, "MAX_SHEETS", 3)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in _sheets(4).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(tmp_path / "t.xlsx")
    with pytest.raises(FileError, match="有 4 张工作表，超过每个文件 3 张的上限"):
        read_sheets(tmp_path / "t.xlsx")
    book.remove(book["第4月"])
    book.save(tmp_path / "t.xlsx")
    assert len(read_sheets(tmp_path / "t.xlsx")) == 3


def test_an_xls_of_too_many_sheets_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xls_extent, "MAX_SHEETS", 3)
    with pytest.raises(FileError, match="有 4 张工作表"):
        read_sheets(write_xls(tmp_path / "t.xls", _sheets(4)))
    assert len(read_sheets(write_xls(tmp_path / "u.xls", _sheets(3)))) == 3


def test_the_real_limit_refuses_quickly(tmp_path: Path) -> None:
    """1,001 sheets, written as bare XML parts: refused without reading them."""
    import zipfile

    path = tmp_path / "many.xlsx"
    sheets = "".join(f'<sheet name="s{i}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i in range(MAX_SHEETS + 1))
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(MAX_SHEETS + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{sheets}</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for i in range(MAX_SHEETS + 1):
            archive.writestr(f"xl/worksheets/sheet{i + 1}.xml", "<worksheet><sheetData/></worksheet>")
    with pytest.raises(FileError, match=f"有 {MAX_SHEETS + 1:,} 张工作表"):
        read_sheets(path)
