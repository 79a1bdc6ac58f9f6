"""Which periods a register speaks for (an outside test's findings F05, F07, F19, F21 and F22 of round 10).

- F05: registers titled 「珠龙镇2024年…台账」 were taken as proof of no case and no request in 2025
  (a register's first row counted it kept forever after), and the 2025 report wrote 「2025年全镇未发生
  行政诉讼案件」. A register now covers its rows' span widened to the year its title names; a period
  it does not cover has no data.
- F22: in the county view, a town whose register stops counted 0 in the periods after, and the
  county's sum of the others was compared with last year's sum of all (−50%). The sum is now no data.
- F07: 「自2023年以来我镇未出现一起行政复议案件」 was written over a half-year whose figure was blank,
  and a year nothing covered. F19: the county's streak ran from one town's first row over a town whose
  register began later. A streak now runs only over years known to have had no case, per town, and
  the county's is the shortest town's.
- F21: a 上半年 summary row's overdue request was forgotten once a register from July said 0 at year
  end; the year-end figure is now unknown.

Every figure goes through real workbooks, the ETL, the scorecard and the report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from analytics import db
from analytics.report.pack import build_pack
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

D = dt.datetime
CASES = ["乡镇", "案号", "类别", "收案日期", "开庭日期", "负责人是否出庭", "结果"]
DISCLOSURES = ["乡镇", "收到日期", "申请人", "申请内容", "是否延期", "答复日期", "答复类型"]
SUMMARY = ["年度", "行政复议案件数", "行政诉讼案件数", "信息公开申请数", "按时答复数", "逾期答复数", "逾期未答复数"]


def _load(folder: Path, sheets: list[tuple[str, list[str], list[list[Any]]]], town: str | None = "珠龙镇") -> Path:
    database = folder / "w.duckdb"
    for i, (title, header, rows) in enumerate(sheets):
        path = write_xlsx(folder / f"f{i}.xlsx", {"Sheet1": [[title], header, *rows]})
        load_file(path, database, town=town)
    return database


def _read(database: Path, period: str, town: str | None = "珠龙镇") -> tuple[dict[str, Any], str]:
    con = db.reader(database).cursor()
    try:
        card = scorecard(con, periods.parse(period), town)
        report = build_pack(con, periods.parse(period), town, "zh").text
    finally:
        con.close()
    return card["metrics"], "\n".join(p for s in report.sections for p in s.paragraphs)


@pytest.fixture(scope="module")
def year_registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("titled")
    disputes = [
        [f"{y}-{m:02d}-10", "张庄村", "邻里纠纷", "口头", "调解成功"] for y in (2024, 2025) for m in range(1, 13)
    ]
    return _load(
        folder,
        [
            ("珠龙镇2024年行政复议和行政应诉台账", CASES,
             [["珠龙镇", "（2024）浙1102行初3号", "行政诉讼", D(2024, 5, 10), D(2024, 7, 1), "是", "维持"]]),
            ("珠龙镇2024年政府信息公开申请台账", DISCLOSURES,
             [["珠龙镇", D(2024, 3, 1), "张某", "征收补偿方案", "否", D(2024, 3, 15), "予以公开"]]),
            ("珠龙镇矛盾纠纷排查调处台账", ["受理日期", "所属村", "纠纷类型", "调解方式", "调解结果"], disputes),
        ],
    )  # fmt: skip


def test_a_register_titled_2024_says_nothing_of_2025(year_registers: Path) -> None:
    card, body = _read(year_registers, "2025")
    for metric in ("litigation_cases", "reconsideration_cases", "years_without_reconsideration", "disclosure_requests"):
        assert card[metric]["value"] is None, metric  # were 0, 0, 2 and 0
    assert "未发生行政诉讼案件" not in body and "未收到政府信息公开申请" not in body
    assert "未出现一起行政复议案件" not in body


def test_the_year_its_title_names_is_covered_with_no_row_in_december(year_registers: Path) -> None:
    card, _ = _read(year_registers, "2024")
    assert card["litigation_cases"]["value"] == 1 and card["reconsideration_cases"]["value"] == 0
    assert card["years_without_reconsideration"]["value"] == 1
    quarter, _ = _read(year_registers, "2024Q4")  # no row in it, inside the title's year: 0, not no data
    assert quarter["litigation_cases"]["value"] == 0 and quarter["disclosure_requests"]["value"] == 0


def test_a_county_sum_is_no_data_where_a_towns_register_stops(tmp_path: Path) -> None:
    rows = [
        ["珠龙镇", D(2024, 3, 1), "甲", "征地", "否", D(2024, 3, 15), "予以公开"],
        ["珠龙镇", D(2024, 6, 3), "乙", "低保", "否", D(2024, 6, 14), "予以公开"],
        ["东坪乡", D(2024, 3, 5), "丙", "拆迁", "否", D(2024, 3, 18), "予以公开"],
        ["东坪乡", D(2024, 6, 10), "丁", "项目", "否", D(2024, 6, 21), "予以公开"],
        ["珠龙镇", D(2025, 3, 3), "戊", "征地", "否", D(2025, 3, 14), "予以公开"],
        ["珠龙镇", D(2025, 6, 9), "己", "预算", "否", D(2025, 6, 20), "予以公开"],
    ]
    database = _load(tmp_path, [("某县政府信息公开申请台账", DISCLOSURES, rows)], town=None)
    county, body = _read(database, "2025H1", None)
    assert county["disclosure_requests"]["value"] is None  # was 2, "−50%" against 2024H1's 4
    assert "共收到政府信息公开申请" not in body
    town, _ = _read(database, "2025H1", "东坪乡")
    assert town["disclosure_requests"]["value"] is None  # was 0
    ours, _ = _read(database, "2025H1", "珠龙镇")
    assert ours["disclosure_requests"]["value"] == 2
    both, _ = _read(database, "2024H1", None)
    assert both["disclosure_requests"]["value"] == 4


def test_a_streak_runs_only_over_years_known_to_have_had_no_case(tmp_path: Path) -> None:
    rows = [["2023", 0, 1, 6, 6, 0, 0], ["2024年上半年", 0, 0, 3, 3, 0, 0], ["2024年下半年", None, 1, 4, 4, 0, 0]]
    database = _load(tmp_path, [("珠龙镇法治工作汇总表", SUMMARY, rows)])
    for period in ("2024", "2025"):
        card, body = _read(database, period)
        assert card["years_without_reconsideration"]["value"] is None, period  # were 2 and 3
        assert "未出现一起行政复议案件" not in body
    card, body = _read(database, "2023")
    assert card["years_without_reconsideration"]["value"] == 1
    assert "自2023年以来我镇未出现一起行政复议案件" in body


def test_a_county_streak_is_its_shortest_towns(tmp_path: Path) -> None:
    rows = [
        ["珠龙镇", "（2013）浙复1号", "行政复议", D(2013, 5, 10), None, None, "维持"],
        ["珠龙镇", "（2024）浙1102行初1号", "行政诉讼", D(2024, 12, 1), D(2024, 12, 20), "是", "维持"],
        ["东坪乡", "（2024）浙1102行初2号", "行政诉讼", D(2024, 3, 1), D(2024, 5, 1), "是", "维持"],
    ]
    database = _load(tmp_path, [("某县行政复议和行政应诉台账", CASES, rows)], town=None)
    county, body = _read(database, "2024", None)
    assert county["years_without_reconsideration"]["value"] == 1  # was 11: 珠龙镇's since 2014
    assert "自2024年以来各乡镇未出现一起行政复议案件" in body
    ours, _ = _read(database, "2024", "珠龙镇")
    assert ours["years_without_reconsideration"]["value"] == 11


def test_an_overdue_request_of_a_summary_half_is_not_forgotten_by_a_register_from_july(tmp_path: Path) -> None:
    summary = [["2024年上半年", None, None, 2, 1, 1, 1]]
    register = [
        ["珠龙镇", D(2024, 8, 5), "甲", "征地", "否", D(2024, 8, 20), "予以公开"],
        ["珠龙镇", D(2024, 12, 9), "乙", "预算", "否", D(2024, 12, 20), "予以公开"],
    ]
    database = _load(
        tmp_path,
        [
            ("珠龙镇法治工作汇总表", SUMMARY, summary),
            ("珠龙镇政府信息公开申请台账（2024年7月起）", DISCLOSURES, register),
        ],
    )
    card, _ = _read(database, "2024")
    assert card["disclosure_requests"]["value"] == 4
    assert card["disclosure_overdue"]["value"] is None  # was 0, 达标: nothing says the June one was answered
    half, _ = _read(database, "2024H1")
    assert half["disclosure_overdue"]["value"] == 1
