"""Workbooks written by code for the upload tests: ledgers as staff keep them, and files that must fail."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from openpyxl import Workbook

from etl.readers import OLE_MAGIC
from etl.sheet import CellBudget

DISPUTE_HEADERS = ["序号", "受理日期", "所属村(社区)", "纠纷类型", "当事人", "调解方式", "调解结果"]


def dispute_rows(n: int, year: int = 2020, start: int = 0) -> list[list[object]]:
    """``n`` dispute rows with distinct parties, all mediated successfully."""
    return [
        [start + i + 1, date(year, 1 + (start + i) % 12, 1 + (start + i) % 28), f"第{(start + i) % 3 + 1}村",
         "邻里纠纷", f"当事人{start + i}", "书面" if i % 2 else "口头", "调解成功"]
        for i in range(n)
    ]  # fmt: skip


def workbook_bytes(rows: list[list[object]], headers: list[str] | None = None, title: str | None = "东坪乡2020年矛盾纠纷排查调处台账",
                   sheet: str = "2020年") -> bytes:  # fmt: skip
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(headers or DISPUTE_HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def disputes_bytes(n: int, town: str = "东坪乡", year: int = 2020, start: int = 0, bad: int = 0) -> bytes:
    """A dispute ledger of ``n`` good rows and ``bad`` rows with an unreadable outcome (待定)."""
    rows = dispute_rows(n, year, start)
    rows += [[900 + i, date(year, 6, 1), "第1村", "邻里", f"坏行{i}", "书面", "待定"] for i in range(bad)]
    return workbook_bytes(rows, title=f"{town}{year}年矛盾纠纷排查调处台账")


UNKNOWN_HEADERS = ["收到", "地点", "事由", "处理"]


def unknown_layout_bytes(n: int = 3) -> bytes:
    """A ledger whose headers no alias knows: it needs a hand-made mapping."""
    rows = [[date(2020, 3, 1 + i), "东山村", "婚姻", "成功"] for i in range(n)]
    return workbook_bytes(rows, headers=UNKNOWN_HEADERS, title="东坪乡纠纷登记")


def no_sheet_bytes() -> bytes:
    """A workbook with prose only: nothing that looks like a table."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["关于做好2020年法治政府建设工作的通知"])
    ws.append(["各村（社区）：现将有关事项通知如下。"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def corrupt_bytes() -> bytes:
    return b"PK\x03\x04" + b"\x00garbage, not a zip" * 50


def encrypted_bytes() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE file with an EncryptedPackage stream."""
    return (
        OLE_MAGIC
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 2048
    )


def wps_bytes() -> bytes:
    return b"\x11\x22WPS proprietary spreadsheet\x00\x01" * 20


def zip_bomb_bytes() -> bytes:
    """A small .xlsx-shaped zip that inflates to 30 MB (ratio ~1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (30 * 1024 * 1024))
    return buffer.getvalue()


BAD_FILES: dict[str, tuple[str, bytes | None, str]] = {
    # case: (file name, bytes (None = built by the test), words the message must contain)
    "corrupt": ("台账.xlsx", corrupt_bytes(), "已损坏"),
    "encrypted": ("台账.xlsx", encrypted_bytes(), "密码"),
    "wps": ("台账.et", wps_bytes(), "WPS"),
    "empty": ("台账.xlsx", b"", "为空"),
    "no_sheet": ("通知.xlsx", no_sheet_bytes(), "没有可识别的工作表"),
    "zip_bomb": ("台账.xlsx", zip_bomb_bytes(), "压缩炸弹"),
    "too_large": ("台账.xlsx", None, "上传上限"),
}


class RecordingBudget(CellBudget):
    """A file's cell budget that also keeps what each sheet was charged, in order."""

    def __init__(self, file_name: str, limit: int | None = None) -> None:
        super().__init__(file_name, limit)
        self.charged: list[int] = []

    def take(self, cells: int) -> None:
        self.charged.append(cells)
        super().take(cells)
