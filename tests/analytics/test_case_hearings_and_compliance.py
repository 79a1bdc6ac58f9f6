"""What the cases register's 出庭应诉率 and 生效文书履行率 count (an outside test's findings F02, F11).

A hearing dated after today, a 负责人是否出庭 of 「/」 (nothing applies) or of 否 with no 开庭日期 (驳回起诉
with no hearing) counted as a hearing the head missed; 镇长出庭 and 副镇长出庭 were unreadable and
counted as absent too: 1/2 missed for 1/1 or 2/2 met. 是否履行生效文书 of 「/」「—」「无」「无需履行」, or
否 on a case the town won, counted as a judgment due and not performed (1/2 missed for 1/1), and the
report named the won case. Each figure goes through a real workbook, the ETL, a DuckDB file and the
scorecard or the report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.report.pack import build_pack
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

D = dt.datetime
HEADER = [
    "案号",
    "类别",
    "收案日期",
    "原告",
    "案由",
    "开庭日期",
    "负责人是否出庭",
    "结果",
    "结案日期",
    "是否履行生效文书",
]
HEARD = ["（2024）浙1102行初1号", "行政诉讼", D(2024, 2, 1), "张某", "行政处罚", D(2024, 4, 10), "是", "撤销", D(2024, 5, 10), "是"]  # fmt: skip
LATER = ["（2024）浙复5号", "行政复议", D(2024, 12, 10), "孙某", "行政强制", None, None, "未结", None, None]
NEXT_YEAR = dt.date.today().year + 1


def _second(hearing: object, appeared: object, result: str = "维持", complied: object = None) -> list[object]:
    return ["（2024）浙1102行初2号", "行政诉讼", D(2024, 5, 1), "赵某", "信息公开", hearing, appeared, result,
            D(2024, 8, 10), complied]  # fmt: skip


def _load(folder: Path, rows: list[list[object]]) -> tuple[Path, Path]:
    path = write_xlsx(folder / "cases.xlsx", {"Sheet1": [["珠龙镇行政复议和行政应诉台账"], HEADER, *rows]})
    database = folder / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    return path, database


def _rate(database: Path, metric: str) -> tuple[float, float, str]:
    con = db.reader(database).cursor()
    try:
        found = scorecard(con, periods.parse("2024"))["metrics"][metric]
    finally:
        con.close()
    return found["numerator"], found["denominator"], found["status"]


@pytest.mark.parametrize(
    ("second", "hand"),
    [
        (_second(D(NEXT_YEAR, 1, 15), None, "未结"), (1, 1)),  # only scheduled
        (_second(None, "/", "驳回起诉"), (1, 1)),  # nothing applies: no hearing
        (_second(None, "否", "驳回起诉"), (1, 1)),  # no hearing date: no hearing, said
        (_second(D(2024, 7, 10), "镇长出庭"), (2, 2)),
        (_second(D(2024, 7, 10), "副镇长出庭"), (2, 2)),
        (_second(D(2024, 7, 10), "否"), (1, 2)),  # a hearing the head missed is still one
        (_second(D(2024, 7, 10), "委托律师出庭"), (1, 2)),
    ],
    ids=["scheduled", "slash", "no without hearing", "mayor", "deputy", "absent", "lawyer"],
)
def test_head_appearance_counts_hearings_held(tmp_path: Path, second: list[object], hand: tuple[int, int]) -> None:
    _, database = _load(tmp_path, [HEARD, second, LATER])
    numerator, denominator, _ = _rate(database, "head_appearance_rate")
    assert (numerator, denominator) == hand  # was 1/2 in the first five


def test_the_report_names_the_cases_the_rate_counts(tmp_path: Path) -> None:
    no_cause = [
        "（2024）浙1102行初4号",
        "行政诉讼",
        D(2024, 6, 1),
        "钱某",
        None,
        D(2024, 7, 12),
        "否",
        "维持",
        None,
        None,
    ]
    rows = [HEARD, _second(D(2024, 7, 10), None), _second(None, "否", "驳回起诉"), no_cause, LATER]
    path, database = _load(tmp_path, rows)
    con = db.reader(database).cursor()
    try:
        report = build_pack(con, periods.parse("2024"), "珠龙镇", "zh").text
    finally:
        con.close()
    body = "\n".join(p for s in report.sections for p in s.paragraphs)
    assert "出庭应诉率为33.3%（1/3件）" in body
    assert "（2024）浙1102行初2号（信息公开，2024年7月10日开庭）" in body  # was no case named
    assert "（2024）浙1102行初4号（2024年7月12日开庭）" in body  # no 案由: was 「（，2024年…」
    (sheet,) = parse_file(path).sheets
    said = set(sheet.warnings["message"])
    assert "有开庭日期，负责人是否出庭未填，按负责人未出庭计，请核对" in said
    assert "没有开庭日期，负责人是否出庭「否」按未开庭计，不计入出庭应诉率；已开庭的请补开庭日期" in said


@pytest.mark.parametrize(
    ("complied", "result", "warned"),
    [("/", "驳回诉讼请求", False), ("—", "驳回诉讼请求", False), ("无需履行", "撤销", False),
     ("不涉及", "撤销", False), ("无", "撤销", True), ("否", "驳回诉讼请求", True)],
)  # fmt: skip
def test_nothing_due_is_no_unperformed_judgment(tmp_path: Path, complied: str, result: str, warned: bool) -> None:
    path, database = _load(tmp_path, [HEARD, _second(D(2024, 7, 10), "是", result, complied), LATER])
    assert _rate(database, "judgment_compliance_rate") == (1, 1, "met")  # was 1/2 missed
    (sheet,) = parse_file(path).sheets
    assert any("不计入应履行件数" in m for m in sheet.warnings["message"]) == warned


def test_a_lost_case_not_performed_is_still_counted(tmp_path: Path) -> None:
    _, database = _load(tmp_path, [HEARD, _second(D(2024, 7, 10), "是", "撤销", "否"), LATER])
    assert _rate(database, "judgment_compliance_rate") == (1, 2, "missed")


def test_a_hearing_date_column_left_blank_throughout_says_nothing(tmp_path: Path) -> None:
    rows = [[*HEARD[:5], None, *HEARD[6:]], _second(None, "否"), LATER]  # 开庭日期 blank in every row
    _, database = _load(tmp_path, rows)
    assert _rate(database, "head_appearance_rate")[:2] == (1, 2)  # the marks say two hearings, one missed
