"""The work summary sheet (法治工作汇总表): old years' figures of the four registers, written as a real
.xlsx, loaded through the real ETL into a real DuckDB file, and read back through the JSON scorecard.

What it proves: a summary alone gives each metric its figures (a blank cell is no figure, not 0);
two half-years tile a year; a period with neither register nor summary has no data; a register's
row wins over a summary figure of the same town and period; the streak of years without a
reconsideration case counts from a summary's case; a part larger than its whole rejects the row
with both figures in Chinese.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from analytics.report import consistency
from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

HEADER = [
    "年度", "行政复议案件数", "复议审结数", "复议纠错数", "行政诉讼案件数", "开庭数", "负责人出庭数",
    "信息公开申请数", "按时答复数", "逾期答复数", "重大行政决策数", "重大决策审查数", "汇报次数",
    "督导季度数", "规范性文件清理次数", "法治宣传活动次数",
]  # fmt: skip
ROWS = [
    ["2014年", 1, 1, 0, 2, 2, 1, 5, 4, 1, 3, 3, 2, 4, 1, 6],
    ["2015年上半年", 0, 0, 0, 1, 1, 1, 2, 2, 0, 1, 1, 1, 2, None, 3],
    ["2015年下半年", 0, 0, 0, 2, 2, 2, 3, 3, 0, 2, 1, 1, 2, None, 4],
    ["2016年", 0, 0, 0, None, None, None, 1, 1, 0, None, None, 2, 3, 0, 5],
    ["2017年", 0, 0, 0, 1, 1, 1, 2, 2, 0, 3, 4, 2, 4, 0, 2],  # 4 reviewed of 3 decisions
    ["2018年", 0, 0, 0, 1, 1, 1, 2, 2, 0, 1, 1, 2, 5, 0, 2],  # 5 quarters in a year
]


def summary_workbook(tmp_path: Path, rows: list[list[Any]] | None = None) -> Path:
    sheet = [["珠龙镇法治工作汇总表"], HEADER, *(ROWS if rows is None else rows)]
    return write_xlsx(tmp_path / "珠龙镇法治工作汇总表.xlsx", {"汇总": sheet})


def metrics(path: Path, period: str) -> dict[str, Any]:
    with duckdb.connect(str(path), read_only=True) as con:
        return scorecard(con, parse(period))["metrics"]


@pytest.fixture(scope="module")
def summary_only(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    folder = tmp_path_factory.mktemp("work_summaries")
    path = folder / "warehouse.duckdb"
    report = load_file(summary_workbook(folder), path)
    return path, report


def test_the_sheet_is_read_as_a_work_summary_and_slips_are_rejected(summary_only) -> None:
    path, report = summary_only
    assert [s.dataset for s in report.sheets] == ["work_summaries"]
    assert report.rows == 4 and report.rejected == 2
    with duckdb.connect(str(path), read_only=True) as con:
        reasons = dict(con.execute("SELECT excel_row, reason FROM v_rejects ORDER BY excel_row").fetchall())
    assert reasons == {7: "重大决策审查数 4 大于重大行政决策数 3", 8: "督导季度数 5 大于期间的季度数 4"}


def test_a_summary_alone_gives_each_register_its_figures(summary_only) -> None:
    path, _ = summary_only
    card = metrics(path, "2014")
    expected = {
        "reconsideration_cases": 1,
        "reconsideration_corrected_rate": 0.0,
        "litigation_cases": 2,
        "head_appearance_rate": 0.5,
        "disclosure_requests": 5,
        "disclosure_on_time_rate": 0.8,
        "major_decision_review_rate": 1.0,
        "party_committee_reports": 2,
        "supervision_quarters_covered": 1.0,
        "document_cleanup_due": 1,
        "legal_publicity_events": 6,
    }
    assert {k: card[k]["value"] for k in expected} == expected
    assert {card[k]["source"] for k in expected} == {"summary"}


def test_half_years_tile_a_year_and_a_blank_is_no_figure(summary_only) -> None:
    path, _ = summary_only
    year = metrics(path, "2015")
    assert year["litigation_cases"]["value"] == 3 and year["legal_publicity_events"]["value"] == 7
    assert year["disclosure_requests"]["value"] == 5 and year["party_committee_reports"]["value"] == 2
    assert metrics(path, "2015H2")["head_appearance_rate"]["value"] == 1.0
    blank = metrics(path, "2016")
    assert blank["litigation_cases"]["value"] is None  # left blank: not reported, never 0
    assert blank["head_appearance_rate"]["value"] is None
    assert blank["major_decision_review_rate"]["value"] is None
    assert blank["supervision_quarters_covered"]["value"] == 0.75
    nothing = metrics(path, "2013")  # before the first figure: no data, not 0
    assert nothing["reconsideration_cases"]["value"] is None and nothing["disclosure_requests"]["value"] is None


def test_the_streak_counts_from_a_summary_case(summary_only) -> None:
    path, _ = summary_only
    assert metrics(path, "2014")["years_without_reconsideration"]["value"] == 0
    assert metrics(path, "2016")["years_without_reconsideration"]["value"] == 2


def test_the_register_wins_over_a_summary_of_the_same_year(sample_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample_db, path)
    before = metrics(path, "2020")
    rows = [
        ["2020年", 5, 5, 5, 9, 9, 0, 40, 1, 39, None, None, 0, 1, 0, 0],
        ["2011年", 0, 0, 0, 1, 1, 1, None, None, None, None, None, None, None, None, None],
    ]
    load_file(summary_workbook(tmp_path, rows), path)
    after = metrics(path, "2020")
    assert {k: after[k]["value"] for k in before} == {k: before[k]["value"] for k in before}
    assert after["years_without_reconsideration"]["value"] == 8  # the register's 2012 case, not the 2011 zero
    # the summary's 2020 figures are not used, and the staff's data check says so with both figures
    with duckdb.connect(str(path), read_only=True) as con:
        found = {(f.item, f.reported, f.computed) for f in consistency.check(con, parse("2020"), "珠龙镇")}
    assert ("行政诉讼案件", 9, before["litigation_cases"]["value"]) in found
    assert ("行政复议案件", 5, 0) in found
    old = metrics(path, "2011")
    assert (old["litigation_cases"]["value"], old["litigation_cases"]["source"]) == (1, "summary")
    assert old["disclosure_requests"]["value"] is None  # the 2011 row gives no disclosure figure


def test_the_report_says_which_parts_come_from_the_summary(summary_only, sample_db: Path) -> None:
    from analytics.report.text import write

    path, _ = summary_only
    with duckdb.connect(str(path), read_only=True) as con:
        card = scorecard(con, parse("2014"))
    marked = {s.id: s.paragraphs for s in write(card, parse("2014"), "珠龙镇").sections if s.paragraphs}
    note = "（以上数据部分来自汇总表报表数。）"
    for key in ("leadership", "decisions", "cases", "disclosures", "publicity", "disputes"):
        assert marked[key][-1] == note, key  # every part written from the summary's figures says so, last
    with duckdb.connect(str(sample_db), read_only=True) as con:
        card = scorecard(con, parse("2020"))
    sections = write(card, parse("2020"), "珠龙镇").sections
    assert not any(note in p for s in sections for p in s.paragraphs)  # registers and ledgers: no note


def test_no_count_is_read_from_a_negative_a_fraction_or_a_huge_number(tmp_path: Path) -> None:
    rows = [
        ["2012年", 1, 1, 0, 2, 2, 1, -1, None, None, -3, -50, -1, 4, 0, 2.5],
        ["2013年", 3e9, None, None, 1e308, 1, 1, 10.4, 10, 0, 2, 2, 2, 4, 0, 2],
    ]
    path = tmp_path / "warehouse.duckdb"
    report = load_file(summary_workbook(tmp_path, rows), path)  # loads: no crash on 1e308
    assert report.rejected == 0 and report.warnings == 8
    with duckdb.connect(str(path), read_only=True) as con:
        said = {m for (m,) in con.execute("SELECT message FROM v_warnings").fetchall()}
    assert {"不能为负数：-50，已按未填处理", "应为整数：2.5，已按未填处理", "数字过大：3e+09，已按未填处理"} <= said
    old = metrics(path, "2012")
    assert old["disclosure_requests"]["value"] is None and old["party_committee_reports"]["value"] is None
    assert old["major_decision_review_rate"]["value"] is None  # not −50/−3 = 1,667% "met"
    assert old["legal_publicity_events"]["value"] is None  # 2.5 events: no figure, not 2
    assert metrics(path, "2013")["reconsideration_cases"]["value"] is None


def test_one_row_per_period_and_plausible_years(tmp_path: Path) -> None:
    rows = [
        ["2013年上半年", 1, 1, 0, 1, 1, 1, 10, 10, 0, 1, 1, 1, 2, 0, 1],
        ["2013年上半年", 100, 1, 0, 1, 1, 1, 1000, 10, 0, 1, 1, 1, 2, 0, 1],
        ["1800年", 9, 9, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 4, 0, 1],
        ["2099年", 9, 9, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 4, 0, 1],
    ]
    path = tmp_path / "warehouse.duckdb"
    assert load_file(summary_workbook(tmp_path, rows), path).rejected == 3
    with duckdb.connect(str(path), read_only=True) as con:
        reasons = dict(con.execute("SELECT excel_row, reason FROM v_rejects ORDER BY excel_row").fetchall())
    assert reasons[4].startswith("与第 3 行是同一期间（2013H1）")  # which of two figures is right: the person's call
    assert reasons[5].startswith("期间超出合理范围") and reasons[6].startswith("期间超出合理范围")
    assert metrics(path, "2013H1")["reconsideration_cases"]["value"] == 1


def test_a_year_of_halves_has_a_figure_only_when_both_halves_give_it(tmp_path: Path) -> None:
    rows = [
        ["2013年上半年", 1, 1, 0, 1, 1, 1, 10, 10, 0, 1, 1, 1, 2, 0, 1],
        ["2013年下半年", 2, 2, 0, None, None, None, 5, 5, 0, 1, 1, 1, 2, 0, 1],
    ]
    path = tmp_path / "warehouse.duckdb"
    load_file(summary_workbook(tmp_path, rows), path)
    year = metrics(path, "2013")
    assert year["reconsideration_cases"]["value"] == 3 and year["disclosure_requests"]["value"] == 15
    assert year["litigation_cases"]["value"] is None  # the second half left it blank: not the first half's 1
