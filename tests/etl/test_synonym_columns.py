"""A field read from two columns (调解结果 and 调处结果): a blank in one is filled by the other, as
the sheet's note says; a cell typed but unreadable still rejects its row; two readable values that
differ are both shown, and the first column's is counted."""

from __future__ import annotations

from pathlib import Path

from etl.parse import SheetResult, parse_file
from tests.workbooks import TITLE, write_xlsx

HEADER = ["序号", "受理日期", "所属村", "纠纷类型", "调解方式", "调解结果", "调处结果"]


def _disputes(tmp_path: Path, outcomes: list[tuple[object, object]]) -> SheetResult:
    body = [[i, f"2020-03-0{i}", "龙村", "邻里纠纷", "书面", a, b] for i, (a, b) in enumerate(outcomes, 1)]
    return parse_file(write_xlsx(tmp_path / "d.xlsx", {"S": [[TITLE], HEADER, *body]})).sheets[0]


def test_a_blank_in_either_column_is_filled_by_the_other(tmp_path: Path) -> None:
    sheet = _disputes(tmp_path, [("调解成功", "调解成功"), ("调解成功", None), (None, "调解不成")])
    assert sheet.reject_rows == []
    assert list(sheet.table["outcome"]) == ["success", "success", "failed"]
    assert list(sheet.table["outcome_raw"]) == ["调解成功", "调解成功", "调解不成"]


def test_a_row_blank_in_both_columns_is_rejected_once(tmp_path: Path) -> None:
    sheet = _disputes(tmp_path, [("调解成功", None), ("  ", None)])
    assert list(sheet.table["outcome"]) == ["success"]
    assert [(r[2], r[5]) for r in sheet.reject_rows] == [(4, "调解结果为空")]


def test_a_typed_cell_that_cannot_be_read_still_rejects_its_row(tmp_path: Path) -> None:
    """Only its own reason: the blank cell beside it is no second one (it said 调解结果为空 too)."""
    sheet = _disputes(tmp_path, [("调解ok", None), (None, "调解ok"), ("调解成功", "调解ok")])
    assert [(r[2], r[3], r[5]) for r in sheet.reject_rows] == [
        (3, "调解结果", "无法识别的调解结果：调解ok"),
        (4, "调处结果", "无法识别的调解结果：调解ok"),
        (5, "调处结果", "无法识别的调解结果：调解ok"),
    ]


def test_two_readable_values_that_differ_are_said_and_the_first_counts(tmp_path: Path) -> None:
    sheet = _disputes(tmp_path, [("调解成功", "调解不成"), ("成功", "调解成功")])
    assert list(sheet.table["outcome"]) == ["success", "success"]
    row_notes = [(w[2], w[-1]) for w in sheet.warning_rows if w[2] is not None]
    assert row_notes == [
        (3, "「调解结果」写的是「调解成功」，「调处结果」写的是「调解不成」，两列不一致；已按「调解结果」计入，请核对")
    ]


def test_an_events_kind_in_two_columns_combines_the_same_way(tmp_path: Path) -> None:
    rows = [
        ["日期", "事项", "工作事项", "说明"],
        ["2020-03-01", "法治宣传活动", None, "甲"],
        ["2020-03-02", None, "法治宣传活动", "乙"],
    ]
    sheet = parse_file(write_xlsx(tmp_path / "珠龙镇工作台账.xlsx", {"S": rows})).sheets[0]
    assert sheet.dataset == "events" and sheet.reject_rows == []
    assert list(sheet.table["kind"]) == ["法治宣传活动", "法治宣传活动"]
    assert list(sheet.table["kind_raw"]) == ["法治宣传活动", "法治宣传活动"]
