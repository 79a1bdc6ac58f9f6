"""The year a town switches from a summary sheet to a ledger: 2024年上半年 on the summary, a ledger from July.

Real .xlsx files through the ETL into DuckDB, read back through the scorecard and 数据核对. A period
is read per part: a summary row for a part the ledger has no row in adds to the ledger's rows of the
rest (the year was the ledger's 3 disputes, not 103); a part the ledger has any row in is the
ledger's, and a summary row for it is listed where it differs, as before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from analytics.report.consistency import Finding, check
from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import DOCUMENT_HEADER, write_xlsx

TODAY = dt.date(2025, 3, 1)
SUMMARY_HEADER = ["期间", "排查数", "书面调解", "口头调解", "联合调解", "调解成功数"]
H1 = ["2024年上半年", 100, 40, 60, 2, 95]
LEDGER_HEADER = ["序号", "受理日期", "所属村（社区）", "纠纷类型", "调解方式", "调解结果"]
FROM_JULY = [
    [1, dt.datetime(2024, 7, 5), "东村", "邻里纠纷", "书面", "调解成功"],
    [2, dt.datetime(2024, 8, 5), "西村", "婚姻家庭纠纷", "口头", "调解成功"],
    [3, dt.datetime(2024, 12, 20), "南村", "土地纠纷", "口头", "调解不成"],
]


def _warehouse(folder: Path, files: dict[str, list[list[Any]]]) -> Path:
    """Each file (named for its town and kind, one sheet) loaded in turn into a new warehouse."""
    folder.mkdir(parents=True, exist_ok=True)
    warehouse = folder / "w.duckdb"
    for name, rows in files.items():
        load_file(write_xlsx(folder / name, {"Sheet1": rows}), warehouse)
    return warehouse


def _disputes(folder: Path, summary: list[list[Any]], ledger: list[list[Any]]) -> Path:
    return _warehouse(
        folder,
        {
            "珠龙镇矛盾纠纷汇总表.xlsx": [["珠龙镇矛盾纠纷汇总表"], SUMMARY_HEADER, *summary],
            "珠龙镇2024年矛盾纠纷台账.xlsx": [["珠龙镇2024年矛盾纠纷排查调处台账"], LEDGER_HEADER, *ledger],
        },
    )


def _card(warehouse: Path, period: str) -> dict[str, Any]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        metrics: dict[str, Any] = scorecard(con, parse(period), "珠龙镇", today=TODAY)["metrics"]
    return metrics


def _findings(warehouse: Path, period: str, *kinds: str) -> list[Finding]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [f for f in check(con, parse(period), "珠龙镇") if f.kind in kinds]


def test_a_first_half_summary_adds_to_a_ledger_kept_from_july(tmp_path: Path) -> None:
    warehouse = _disputes(tmp_path, [H1], FROM_JULY)
    year = _card(warehouse, "2024")
    assert {k: year[k]["value"] for k in ("disputes_total", "disputes_written", "disputes_oral")} == {
        "disputes_total": 103,
        "disputes_written": 41,
        "disputes_oral": 62,
    }
    rate = year["mediation_success_rate"]
    assert (rate["numerator"], rate["denominator"]) == (97, 103)  # counts added, not the halves' rates averaged
    assert {year[k]["source"] for k in ("disputes_total", "mediation_success_rate")} == {"mixed"}
    # the summary gives no 上报/移交 figure for its half: the ledger's half alone is not the year's
    assert year["disputes_escalated"]["value"] is None
    assert (
        _card(warehouse, "2024H1")["disputes_total"]["value"],
        _card(warehouse, "2024H1")["disputes_total"]["source"],
    ) == (100, "summary")
    assert (
        _card(warehouse, "2024H2")["disputes_total"]["value"],
        _card(warehouse, "2024H2")["disputes_total"]["source"],
    ) == (3, "ledger")


def test_the_mix_is_said_in_the_consistency_check(tmp_path: Path) -> None:
    warehouse = _disputes(tmp_path, [H1], FROM_JULY)
    found = _findings(warehouse, "2024", "summary_and_ledger", "summary_vs_ledger")
    assert [(f.kind, f.dataset, f.period_id) for f in found] == [("summary_and_ledger", "disputes", "2024")]
    assert found[0].message_zh == (
        "珠龙镇2024年 矛盾纠纷台账：2024年上半年台账无记录，取汇总表数（珠龙镇矛盾纠纷汇总表.xlsx / Sheet1 / 第3行）；"
        "其余取台账（2024-07-05至2024-12-20，3条）；全期数为两者相加"
    )
    assert _findings(warehouse, "2024H1", "summary_and_ledger") == []  # the half is the summary's alone


def test_a_part_the_ledger_has_any_row_in_is_the_ledgers(tmp_path: Path) -> None:
    """A ledger begun in May covers 上半年: the ledger wins it, and the summary's other figure is listed."""
    may = [0, dt.datetime(2024, 5, 20), "北村", "邻里纠纷", "口头", "调解成功"]
    warehouse = _disputes(tmp_path, [H1], [may, *FROM_JULY])
    year = _card(warehouse, "2024")
    assert (year["disputes_total"]["value"], year["disputes_total"]["source"]) == (4, "ledger")
    found = _findings(warehouse, "2024", "summary_and_ledger", "summary_vs_ledger")
    assert [(f.kind, f.period_id, f.item, f.reported, f.computed) for f in found][:1] == [
        ("summary_vs_ledger", "2024H1", "排查数", 100, 1)
    ]
    assert all(f.kind == "summary_vs_ledger" for f in found)


def test_the_quarter_before_a_ledger_begun_in_may_comes_from_the_summary(tmp_path: Path) -> None:
    """上半年 and its quarters on the summary, the ledger from May: the first quarter is the summary's
    (the ledger has no row in it), the second the ledger's (it has one), 上半年 is neither's alone."""
    quarters = [["2024年第一季度", 40, 10, 30, 0, 38], ["2024年第二季度", 60, 30, 30, 2, 57]]
    may = [0, dt.datetime(2024, 5, 20), "北村", "邻里纠纷", "口头", "调解成功"]
    warehouse = _disputes(tmp_path, [H1, *quarters], [may, *FROM_JULY])
    year = _card(warehouse, "2024")
    assert (year["disputes_total"]["value"], year["mediation_success_rate"]["numerator"]) == (44, 41)
    assert _card(warehouse, "2024H1")["disputes_total"]["value"] == 41
    assert [f.message_zh.split("：")[1][:14] for f in _findings(warehouse, "2024", "summary_and_ledger")] == [
        "2024年第一季度台账无记录"
    ]


def test_a_figure_the_summary_part_leaves_blank_leaves_the_year_without_it(tmp_path: Path) -> None:
    warehouse = _disputes(tmp_path, [["2024年上半年", 100, 40, 60, None, 95]], FROM_JULY)
    year = _card(warehouse, "2024")
    assert year["disputes_total"]["value"] == 103 and year["disputes_joint"]["value"] is None


def test_a_document_summary_half_adds_to_a_register_kept_from_july(tmp_path: Path) -> None:
    header = ["期间", "制发件数", "审查件数", "公开件数", "备案件数"]
    july = ["珠政发〔2024〕1号", "关于甲的通知", dt.datetime(2024, 7, 30), "是", "政府网站", "否", None, "有效"]
    # a December row: data that stop before the year's last month make it a year in progress, read
    # from the registers up to that day (coverage.as_of), where no summary figure can be cut
    december = ["珠政发〔2024〕2号", "关于乙的通知", dt.datetime(2024, 12, 2), "否", "", "否", None, "有效"]
    warehouse = _warehouse(
        tmp_path,
        {
            "珠龙镇规范性文件汇总表.xlsx": [["珠龙镇规范性文件汇总表"], header, ["2024年上半年", 3, 2, 3, 1]],
            "珠龙镇2024年规范性文件台账.xlsx": [["珠龙镇2024年规范性文件登记台账"], DOCUMENT_HEADER, july, december],
        },
    )
    year = _card(warehouse, "2024")
    assert (year["documents_issued"]["value"], year["documents_issued"]["source"]) == (5, "mixed")
    review = year["document_review_rate"]
    assert (review["numerator"], review["denominator"]) == (3, 5)
    assert [f.dataset for f in _findings(warehouse, "2024", "summary_and_ledger")] == ["documents"]


def test_a_work_summary_half_adds_to_a_work_register_kept_from_august(tmp_path: Path) -> None:
    header = ["期间", "汇报次数", "督导季度数", "法治宣传活动次数"]
    events = [
        ["日期", "事项", "说明"],
        [dt.datetime(2024, 8, 10), "向党委政府汇报依法行政工作", "向镇党委汇报上半年依法行政工作"],
        [dt.datetime(2024, 9, 10), "法治宣传活动", "宪法宣传"],
        [dt.datetime(2024, 9, 20), "季度督导", "第三季度依法行政督导"],
        [dt.datetime(2024, 11, 20), "季度督导", "第四季度依法行政督导"],
        [dt.datetime(2024, 12, 4), "法治宣传活动", "12.4宪法日宣传"],
    ]
    warehouse = _warehouse(
        tmp_path,
        {
            "珠龙镇法治工作汇总表.xlsx": [["珠龙镇法治工作汇总表"], header, ["2024年上半年", 1, 2, 3]],
            "珠龙镇2024年依法行政工作台账.xlsx": [["珠龙镇2024年依法行政工作台账"], *events],
        },
    )
    year = _card(warehouse, "2024")
    assert {
        k: (year[k]["value"], year[k]["source"]) for k in ("party_committee_reports", "legal_publicity_events")
    } == {
        "party_committee_reports": (2, "mixed"),
        "legal_publicity_events": (5, "mixed"),
    }
    assert year["party_committee_reports"]["status"] == "met"
    supervised = year["supervision_quarters_covered"]
    assert (supervised["numerator"], supervised["denominator"]) == (4, 4)  # two quarters each, not of 6
    assert [f.dataset for f in _findings(warehouse, "2024", "summary_and_ledger")] == ["events"]
