"""A row marked void or a repeat in one of its cells (备注: 作废) is counted, and said."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.parse import parse_file
from tests.workbooks import write_xlsx

HEADER = ["序号", "受理日期", "所属村(社区)", "纠纷类型", "当事人", "调解方式", "调解结果", "备注"]


def _notes(tmp_path: Path, marks: list[str], header: list[str] = HEADER) -> list[tuple[object, ...]]:
    rows = [
        [i + 1, dt.datetime(2020, 1, i + 2), "龙村", "合同纠纷", f"张{i}", "书面", "调解成功", mark]
        for i, mark in enumerate(marks)
    ]
    path = write_xlsx(tmp_path / "台账.xlsx", {"Sheet1": [["东坪乡2020年矛盾纠纷排查调处台账"], header, *rows]})
    sheet = parse_file(path).sheets[0]
    assert sheet.row_count == len(marks)
    return [w[2:] for w in sheet.warning_rows]


@pytest.mark.parametrize(
    "mark", ["作废", "已作废", "此件作废", "（重复登记）", "重复", "重复录入。", "已删除", "不计入", "【作废】"]
)
def test_a_void_mark_is_said(tmp_path: Path, mark: str) -> None:
    assert _notes(tmp_path, ["", mark]) == [
        (4, "备注", mark, f"此行的「备注」写着「{mark}」，已照常计入；如这一行已作废或是重复的，请删除后重新导入")
    ]


@pytest.mark.parametrize(
    "text", ["合同作废纠纷", "双方约定原协议作废，重新签订", "已履行", "重复纠纷已合并调处，当事人满意"]
)
def test_a_sentence_is_no_mark(tmp_path: Path, text: str) -> None:
    assert _notes(tmp_path, [text]) == []


def test_an_unread_column_is_looked_at_too(tmp_path: Path) -> None:
    header = [*HEADER[:-1], "审核意见"]  # no field of the ledger: kept as an unrecognised column
    assert [n[1] for n in _notes(tmp_path, ["作废"], header)] == ["审核意见"]
