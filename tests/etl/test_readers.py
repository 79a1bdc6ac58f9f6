import zipfile
from pathlib import Path

import pytest

from etl.errors import FileError
from etl.readers import read_sheets
from tests.workbooks import disputes_sheet, write_csv, write_xls, write_xlsx


def test_xlsx_every_sheet_rows_and_merges(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"一月": disputes_sheet(), "二月": [["x", "y"]]}, {"一月": ["A1:G1"]})
    sheets = read_sheets(path)
    assert [s.name for s in sheets] == ["一月", "二月"]
    assert sheets[0].rows[0][0] == "珠龙镇2020年矛盾纠纷排查调处台账"
    assert sheets[0].rows[1][1] == "受理日期"
    assert sheets[0].merged == [((0, 0), (0, 6))]


def test_leading_blank_rows_keep_excel_numbering(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"S": [[None], [None], ["受理日期", "调解结果"]]})
    rows = read_sheets(path)[0].rows
    assert rows[2][:2] == ["受理日期", "调解结果"]


def test_xls(tmp_path: Path) -> None:
    sheets = read_sheets(write_xls(tmp_path / "a.xls", {"S": disputes_sheet()}))
    assert sheets[0].rows[1][0] == "序号"
    assert sheets[0].rows[2][2] == "龙村村民委员会"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "a.csv", disputes_sheet(), encoding, delimiter)
    rows = read_sheets(path)[0].rows
    assert rows[0][0] == "珠龙镇2020年矛盾纠纷排查调处台账"
    assert rows[1][:3] == ["序号", "受理日期", "所属村（社区）"]
    assert rows[2][3] == "婚姻家庭纠纷"


def test_content_not_extension_decides(tmp_path: Path) -> None:
    csv_path = write_csv(tmp_path / "a.csv", disputes_sheet())
    disguised = tmp_path / "real.xlsx"
    disguised.write_bytes(csv_path.read_bytes())
    assert read_sheets(disguised)[0].rows[1][1] == "受理日期"
    xlsx = write_xlsx(tmp_path / "b.xlsx", {"S": disputes_sheet()})
    renamed = tmp_path / "b.et"
    renamed.write_bytes(xlsx.read_bytes())
    assert read_sheets(renamed)[0].rows[1][1] == "受理日期"


def _raises(path: Path, fragment: str) -> None:
    with pytest.raises(FileError) as info:
        read_sheets(path)
    assert f"「{path.name}」" in str(info.value)
    assert fragment in str(info.value)


def test_wps_et(tmp_path: Path) -> None:
    path = tmp_path / "台账.et"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WpsContent".encode("utf-16-le"))
    _raises(path, "WPS 表格格式，无法读取，请在 WPS 中另存为 .xlsx")


def test_wps_et_unknown_bytes(tmp_path: Path) -> None:
    path = tmp_path / "台账.et"
    path.write_bytes(b"\x01\x02garbage\x00\x00")
    _raises(path, "WPS 表格格式")


def test_encrypted_ole(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    body = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 30 + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body)
    _raises(path, "已加密或设有密码")


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"")
    _raises(path, "为空")


def test_corrupt_zip(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "g.xlsx", {"S": disputes_sheet()}).read_bytes()
    path = tmp_path / "a.xlsx"
    path.write_bytes(good[: len(good) // 2])
    _raises(path, "已损坏或不是有效的 Excel 文件")


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(bytes(range(256)) * 10)
    _raises(path, "已损坏或不是有效的 Excel 文件")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    _raises(path, "已损坏或不是有效的 Excel 文件")


def test_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    _raises(path, "压缩炸弹")
