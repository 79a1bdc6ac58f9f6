import io
import zipfile
from collections.abc import Callable
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


def _ole(body: bytes) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body


def _half_workbook(tmp_path: Path) -> bytes:
    good = write_xlsx(tmp_path / "g.xlsx", {"S": disputes_sheet()}).read_bytes()
    return good[: len(good) // 2]


def _zip(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# (file name, its bytes given a temp folder, what the message must say)
BAD_FILES = [
    ("台账.et", lambda _: _ole("WpsContent".encode("utf-16-le")), "WPS 表格格式，无法读取，请在 WPS 中另存为 .xlsx"),
    ("台账.et", lambda _: b"\x01\x02garbage\x00\x00", "WPS 表格格式"),
    (
        "a.xlsx",
        lambda _: _ole("EncryptionInfo".encode("utf-16-le") + b"\x00" * 30 + "EncryptedPackage".encode("utf-16-le")),
        "已加密或设有密码",
    ),
    ("a.xlsx", lambda _: b"", "为空"),
    ("a.xlsx", _half_workbook, "已损坏或不是有效的 Excel 文件"),
    ("a.xlsx", lambda _: bytes(range(256)) * 10, "已损坏或不是有效的 Excel 文件"),
    ("a.xlsx", lambda _: _zip({"word/document.xml": "<w/>"}), "已损坏或不是有效的 Excel 文件"),
    (
        "bomb.xlsx",
        lambda _: _zip({"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": b"\x00" * (40 * 1024 * 1024)}),
        "压缩炸弹",
    ),
]


@pytest.mark.parametrize(
    "name, content, fragment",
    BAD_FILES,
    ids=[
        "wps-et",
        "wps-et-unknown-bytes",
        "encrypted",
        "empty",
        "truncated-zip",
        "binary",
        "zip-not-workbook",
        "zip-bomb",
    ],
)
def test_unreadable_files_say_what_and_where(
    tmp_path: Path, name: str, content: Callable[[Path], bytes], fragment: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content(tmp_path))
    _raises(path, fragment)
