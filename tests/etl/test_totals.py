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


def test_a_case_whose_brief_states_a_sum_is_a_case_not_a_total(tmp_path: Path) -> None:
    """「拖欠工资共计：3万元」 in 纠纷简要情况 is a case's brief: the row has its date and outcome (hand
    count 5 cases, 3 successes; before: 2 cases, the three briefs dropped as total rows, nothing said)."""
    header = ["编号", "受理日期", "所属村", "当事人", "纠纷简要情况", "调解方式", "调解结果"]
    briefs = [("排水沟争执", "调解成功"), ("拖欠工资共计：3万元", "调解成功"), ("欠款合计：8000元", "调解不成"),
              ("借款累计：5万元", "调解不成"), ("土地边界不清", "调解成功")]  # fmt: skip
    rows: list[list[object]] = [["郑集镇2024年矛盾纠纷排查调处台账"], header]
    rows += [[f"A{i}", dt.datetime(2024, 3 + i, 5), "龙村", f"甲{i}", b, "书面", o] for i, (b, o) in enumerate(briefs)]
    rows.append(["", "", "", "", "合计：5件", "", "5"])  # a total row still is one: no date
    rows.append(["", dt.datetime(2024, 9, 1), "龙村", "乙", "赔偿合计：1万元", "书面", "待定"])  # a case, refused
    sheet = parse_file(write_xlsx(tmp_path / "d.xlsx", {"S": rows})).sheets[0]
    assert list(sheet.rows["excel_row"]) == [3, 4, 5, 6, 7]
    assert list(sheet.rows["outcome"]).count("success") == 3
    assert sheet.warnings.empty
    assert list(sheet.rejects["excel_row"]) == [9]


def test_a_total_under_the_header_is_checked_against_the_rows_below(tmp_path: Path) -> None:
    """A 合计 row first under the header covers the rows below it (before: 「合计 3，明细 0」 on every figure)."""
    rows: list[list[object]] = [["郑集镇2021年矛盾纠纷排查调处台账"], HEADER, ["合计", "", "", "", "", "3", ""]]
    rows += [_row(1, "书面", "成功"), _row(2, "口头", "成功"), _row(3, "口头", "失败")]
    sheet = parse_file(write_xlsx(tmp_path / "d.xlsx", {"S": rows})).sheets[0]
    assert len(sheet.rows) == 3 and sheet.warnings.empty and sheet.rejects.empty
    rows[2][5] = "4"
    sheet = parse_file(write_xlsx(tmp_path / "e.xlsx", {"S": rows})).sheets[0]
    assert list(sheet.warnings["message"]) == ["合计行与明细不符：调解结果 合计 4，明细 3"]
