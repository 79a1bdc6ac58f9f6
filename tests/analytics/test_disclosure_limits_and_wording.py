"""The disclosure register's limits and the report's wording about it (an outside test's findings
F06, F08, F10, F14 and F15 of round 10).

- F15: a request received on a Saturday or in a holiday had 21 working days, not 20 (the calendar's
  day 0 was the next working day, then 20 more). Now the limit counts from the day after receipt.
- F06: a register with both 申请日期 (the applicant's, or the postmark's) and 收到日期 ran the limit
  from 申请日期, the first column; now 收到日期 wins whatever the order, and the sheet's note says why.
- F08: 「共收到申请3件，均依法在规定时限内予以答复（2/2件）」 while one was still open; now the
  text says the rate of those judged and that one is still open, not yet due.
- F10: a 乡's report said 全镇/我镇, a 街道's was signed 人民政府.
- F14: 13/16 = 81.25% was written 81.2% (half to even); people round half up: 81.3%.

Every figure goes through a real workbook, the ETL, the scorecard and the report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.present import fmt
from analytics.report.md import to_markdown
from analytics.report.pack import build_pack
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

D = dt.datetime
HEADER = ["编号", "收到日期", "申请人", "申请内容", "是否延期", "答复日期", "答复类型"]


def _load(folder: Path, title: str, header: list[str], rows: list[list[object]], town: str = "珠龙镇") -> Path:
    path = write_xlsx(folder / "ledger.xlsx", {"Sheet1": [[title], header, *rows]})
    database = folder / "w.duckdb"
    load_file(path, database, town=town)
    return database


def _card(database: Path, period: str = "2024", town: str = "珠龙镇") -> dict[str, dict[str, object]]:
    con = db.reader(database).cursor()
    try:
        return scorecard(con, periods.parse(period), town)["metrics"]  # type: ignore[no-any-return]
    finally:
        con.close()


def _body(database: Path, period: str = "2024", town: str = "珠龙镇") -> str:
    con = db.reader(database).cursor()
    try:
        report = build_pack(con, periods.parse(period), town, "zh").text
    finally:
        con.close()
    return "\n".join([report.title, *report.intro, *(p for s in report.sections for p in s.paragraphs)])


def test_a_request_received_on_a_non_working_day_has_twenty_working_days(tmp_path: Path) -> None:
    rows = [
        ["1", D(2024, 10, 3), "张某", "征收补偿方案", "否", D(2024, 11, 4), "予以公开"],  # 国庆: due 11-01
        ["2", D(2024, 3, 9), "李某", "低保名单", "否", D(2024, 4, 9), "部分公开"],  # Saturday: due 04-08
        ["3", D(2024, 3, 1), "王某", "项目资金", "否", D(2024, 3, 29), "予以公开"],  # Friday: due 03-29
        ["4", D(2024, 10, 12), "赵某", "预算", "否", D(2024, 11, 8), "予以公开"],  # 调休 Saturday workday: 11-08
    ]
    database = _load(tmp_path, "珠龙镇2024年政府信息公开申请台账", HEADER, rows)
    rate = _card(database)["disclosure_on_time_rate"]
    assert (rate["numerator"], rate["denominator"]) == (2, 4)  # was 4/4: both 1 working day late
    body = _body(database)
    assert "2024年10月3日收到的“征收补偿方案”申请于2024年11月4日答复，超过答复期限（2024年11月1日）" in body
    assert "超过答复期限（2024年4月8日）1日" in body


def test_the_limit_runs_from_the_receipt_not_the_application_date(tmp_path: Path) -> None:
    header = ["编号", "申请日期", "收到日期", "申请人", "申请内容", "是否延期", "答复日期", "答复类型"]
    rows = [
        ["1", D(2024, 3, 1), D(2024, 3, 11), "张某", "征收补偿方案", "否", D(2024, 4, 3), "予以公开"],  # due 04-08
        ["2", D(2024, 5, 6), D(2024, 5, 6), "李某", "低保名单", "否", D(2024, 5, 20), "予以公开"],
        ["3", D(2024, 6, 3), None, "王某", "预算", "否", D(2024, 6, 20), "予以公开"],  # 收到日期 blank: 申请日期
    ]
    database = _load(tmp_path, "珠龙镇2024年政府信息公开申请台账", header, rows)
    rate = _card(database)["disclosure_on_time_rate"]
    assert (rate["numerator"], rate["denominator"]) == (3, 3)  # was 2/3: the limit ran from 3-01
    con = db.reader(database).cursor()
    try:
        received = [r[0] for r in con.execute("SELECT received_date FROM v_disclosures ORDER BY request_no").fetchall()]
        (note,) = [
            r[0] for r in con.execute("SELECT message FROM v_warnings WHERE message LIKE '%都读作收到日期%'").fetchall()
        ]
    finally:
        con.close()
    assert received == [dt.date(2024, 3, 11), dt.date(2024, 5, 6), dt.date(2024, 6, 3)]
    assert "以「收到日期」为准（答复期限自收到申请之日起算" in note and "它空白时用「申请日期」" in note


def test_the_order_of_the_two_date_columns_does_not_matter(tmp_path: Path) -> None:
    header = ["编号", "收到日期", "申请日期", "申请人", "申请内容", "是否延期", "答复日期", "答复类型"]
    rows = [["1", D(2024, 3, 11), D(2024, 3, 1), "张某", "征收补偿方案", "否", D(2024, 4, 3), "予以公开"]]
    path = write_xlsx(tmp_path / "l.xlsx", {"Sheet1": [["珠龙镇2024年政府信息公开申请台账"], header, *rows]})
    (sheet,) = parse_file(path, town="珠龙镇").sheets
    assert [str(d)[:10] for d in sheet.rows["received_date"]] == ["2024-03-11"]


def test_all_answered_in_time_is_not_said_while_one_is_still_open(tmp_path: Path) -> None:
    rows = [
        ["1", D(2024, 3, 1), "张某", "征收补偿方案", "否", D(2024, 3, 20), "予以公开"],
        ["2", D(2024, 6, 3), "李某", "低保名单", "否", D(2024, 6, 20), "部分公开"],
        ["3", D(2024, 12, 20), "王某", "预算", "否", None, "办理中"],  # due 2025-01-17: open, not late
    ]
    database = _load(tmp_path, "珠龙镇2024年政府信息公开申请台账", HEADER, rows)
    body = _body(database)
    assert "均依法在规定时限内予以答复" not in body
    assert "共收到政府信息公开申请3件，在规定时限内答复的占100%（2/2件），另有1件截至期末尚在办理、未到答复期限" in body


def test_all_answered_in_time_is_said_when_every_request_was(tmp_path: Path) -> None:
    rows = [
        ["1", D(2024, 3, 1), "张某", "征收补偿方案", "否", D(2024, 3, 20), "予以公开"],
        ["2", D(2024, 6, 3), "李某", "低保名单", "否", D(2024, 6, 20), "部分公开"],
    ]
    database = _load(tmp_path, "珠龙镇2024年政府信息公开申请台账", HEADER, rows)
    assert "共收到政府信息公开申请2件，均依法在规定时限内予以答复（2/2件）" in _body(database)


@pytest.mark.parametrize(
    ("town", "whole", "ours", "signed"),
    [
        ("东坪乡", "全乡共收到", "现将我乡", "东坪乡人民政府"),
        ("东街街道", "全街道共收到", "现将本街道", "东街街道办事处"),
        ("珠龙镇", "全镇共收到", "现将我镇", "珠龙镇人民政府"),
    ],
)
def test_a_xiang_or_jiedao_report_says_so(tmp_path: Path, town: str, whole: str, ours: str, signed: str) -> None:
    rows = [["1", D(2024, 3, 1), "张某", "征收补偿方案", "否", D(2024, 3, 20), "予以公开"]]
    database = _load(tmp_path, f"{town}2024年政府信息公开申请台账", HEADER, rows, town=town)
    body = _body(database, town=town)
    assert whole in body and ours in body
    other = {"东坪乡": "镇", "东街街道": "镇", "珠龙镇": "乡"}[town]
    assert f"全{other}" not in body and f"我{other}" not in body
    con = db.reader(database).cursor()
    try:
        pack = build_pack(con, periods.parse("2024"), town, "zh")
    finally:
        con.close()
    md = to_markdown(pack)
    assert signed in md and "东街街道人民政府" not in md


def test_rates_round_half_up(tmp_path: Path) -> None:
    on_time = [["", D(2024, m, 4), "张某", f"事项{m}", "否", D(2024, m, 10), "予以公开"] for m in range(1, 12)]
    on_time += [["", D(2024, m, 18), "李某", f"事项b{m}", "否", D(2024, m, 22), "予以公开"] for m in (1, 2)]
    late = [["", D(2024, m, 5), "王某", f"迟{m}", "否", D(2024, m + 2, 5), "予以公开"] for m in (3, 4, 5)]
    database = _load(tmp_path, "珠龙镇2024年政府信息公开申请台账", HEADER, on_time + late)
    rate = _card(database)["disclosure_on_time_rate"]
    assert (rate["numerator"], rate["denominator"]) == (13, 16)
    body = _body(database)
    assert "在规定时限内答复的占81.3%（13/16件）" in body  # was 81.2%


@pytest.mark.parametrize(
    ("value", "written"),
    [(13 / 16, "81.3%"), (1 / 16, "6.3%"), (5 / 16, "31.3%"), (77 / 80, "96.3%"), (0.8124, "81.2%"), (1.0, "100%")],
)
def test_the_one_rate_format_rounds_half_up(value: float, written: str) -> None:
    assert fmt.rate(value) == written


def test_points_and_changes_round_half_up() -> None:
    assert fmt.points(2.25) == "+2.3个百分点" and fmt.points(-2.25) == "-2.3个百分点"
    assert fmt.change_pct(0.0125) == "+1.3%"
