import datetime as dt
from pathlib import Path

import pytest

from etl import totals
from etl.parse import parse_file
from tests.workbooks import write_xlsx


@pytest.mark.parametrize(
    "cell, is_total",
    [
        ("合计", True), ("合 计", True), ("合计：", True), ("一季度小计", True), ("第1季度小计", True),
        ("本月合计", True), ("上半年合计", True), ("1-3月合计", True), ("累计", True), ("总计(件)", True),
        ("合计：12件", True), ("共计", True),
        ("双方就赔偿合计5000元达成协议", False), ("合计损失5000元", False), ("龙村", False), ("", False),
        (12, False), ("小计村", False),
    ],
)  # fmt: skip
def test_total_labels(cell: object, is_total: bool) -> None:
    assert totals.is_label(cell) is is_total


HEADER = ["序号", "受理日期", "所属村", "纠纷类型", "调解方式", "调解结果", "备注"]


def _row(i: int, form: str, outcome: str) -> list[object]:
    return [i, dt.datetime(2021, 1 + i, 3), "龙村", "邻里", form, outcome, ""]


def test_nested_subtotals_in_any_column_are_checked_not_rows(tmp_path: Path) -> None:
    rows = [
        ["郑集镇2021年矛盾纠纷排查调处台账"],
        HEADER,
        _row(1, "书面", "成功"),
        _row(2, "口头", "成功"),
        _row(3, "口头", "失败"),
    ]
    rows += [["", "", "一季度小计", "", "", "3", ""], _row(4, "书面", "成功"), _row(5, "口头", "终止调解")]
    rows += [
        ["二季度小计", "", "", "", "", "2", ""],
        ["", "", "", "", "", "5", "上半年合计"],
        ["累计", "", "", "", "", "5", ""],
    ]
    sheet = parse_file(write_xlsx(tmp_path / "d.xlsx", {"S": rows})).sheets[0]
    assert list(sheet.rows["excel_row"]) == [3, 4, 5, 7, 8]
    assert sheet.rejects.empty and sheet.warnings.empty
    rows.append(["合计", "", "", "", "", "6", ""])
    sheet = parse_file(write_xlsx(tmp_path / "e.xlsx", {"S": rows})).sheets[0]
    assert sheet.rejects.empty
    assert list(sheet.warnings["message"]) == ["合计行与明细不符：调解结果 合计 6，明细 5"]


def test_running_total_covers_earlier_monthly_sheets(tmp_path: Path) -> None:
    title = ["郑集镇2021年矛盾纠纷排查调处台账"]
    january = [
        title,
        HEADER,
        _row(0, "书面", "成功"),
        _row(0, "口头", "成功"),
        ["本月合计", "", "", "", "", "2", ""],
        ["累计", "", "", "", "", "2", ""],
    ]
    february = [
        title,
        HEADER,
        _row(1, "书面", "成功"),
        ["本月合计", "", "", "", "", "1", ""],
        ["累计", "", "", "", "", "3", ""],
    ]
    result = parse_file(write_xlsx(tmp_path / "d.xlsx", {"1月": january, "2月": february}))
    assert [len(s.rows) for s in result.sheets] == [2, 1]
    assert all(s.warnings.empty and s.rejects.empty for s in result.sheets)
    february[-1][5] = "4"
    result = parse_file(write_xlsx(tmp_path / "e.xlsx", {"1月": january, "2月": february}))
    assert list(result.sheets[1].warnings["message"]) == ["合计行与明细不符：调解结果 合计 4，明细 1"]


def test_a_count_under_text_that_ends_in_numbers_counts_rows(tmp_path: Path) -> None:
    header = ["受理日期", "所属村", "当事人", "调解结果"]
    rows = [["郑集镇2021年矛盾纠纷排查调处台账"], header]
    rows += [[dt.datetime(2021, 3, i), "龙村", f"当事人{i}", "成功"] for i in range(1, 6)]
    rows.append(["合计", "", "共5件", "5"])
    sheet = parse_file(write_xlsx(tmp_path / "d.xlsx", {"S": rows})).sheets[0]
    assert len(sheet.rows) == 5 and sheet.warnings.empty and sheet.rejects.empty
