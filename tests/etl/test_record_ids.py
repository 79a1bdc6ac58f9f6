"""A 文号 or 案号 on two rows of a sheet: one document or case entered twice, or a number mistyped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl.parse import parse_file
from tests.workbooks import write_xlsx

HEADER = ["序号", "文号", "文件名称", "印发日期", "是否经合法性审查", "是否公开", "是否备案", "备案日期"]


def _document(number: str, title: str, day: int) -> list[object]:
    issued = dt.datetime(2020, 3, day)
    return [day, number, title, issued, "是", "是", "是", issued + dt.timedelta(days=10)]


def _warnings(tmp_path: Path, rows: list[list[object]]) -> list[tuple[object, ...]]:
    path = write_xlsx(tmp_path / "文件.xlsx", {"Sheet1": [["东坪乡2020年规范性文件登记备案台账"], HEADER, *rows]})
    sheet = parse_file(path).sheets[0]
    assert sheet.row_count == len(rows)  # counted as written
    return [w[2:] for w in sheet.warning_rows]


def test_a_number_written_twice_is_said_however_its_brackets_and_spaces_differ(tmp_path: Path) -> None:
    rows = [
        _document("东政〔2020〕1号", "关于A的通知", 1),
        _document("东政〔2020〕2号", "关于B的通知", 2),
        _document("东政[2020] 1号", "关于A的通知（修订）", 3),
        _document("东政（２０２０）１号", "关于C的通知", 4),
    ]
    assert _warnings(tmp_path, rows) == [
        (5, "文号", "东政[2020] 1号", "文号「东政[2020] 1号」与第3行相同，可能重复登记；已按两条计入，请核对"),
        (
            6,
            "文号",
            "东政（２０２０）１号",
            "文号「东政（２０２０）１号」与第3行相同，可能重复登记；已按两条计入，请核对",
        ),
    ]


def test_a_row_repeated_whole_is_said_once(tmp_path: Path) -> None:
    rows = [_document("东政〔2020〕1号", "关于A的通知", 1), _document("东政〔2020〕1号", "关于A的通知", 1)]
    assert [message for *_, message in _warnings(tmp_path, rows)] == [
        "与第3行的内容完全相同（序号等未读取的列除外），可能重复录入；已按两行计入，请核对"
    ]


def test_blank_numbers_are_not_compared(tmp_path: Path) -> None:
    rows = [_document("", "关于A的通知", 1), _document("", "关于B的通知", 2)]
    assert _warnings(tmp_path, rows) == []
