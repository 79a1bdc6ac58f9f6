"""A dispute ledger's escalation and agreement-form columns are read under their usual headers, and a
ledger without them gives no count, never a zero the report then states (attack 10, F07 and F08).

「有无激化升级」 and 「协议方式」 were skipped without a word: the escalated case counted 0 and the report
said 「无一例矛盾纠纷激化升级」; 4 written and 8 oral agreements counted 0 and 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from analytics import db
from analytics.report.pack import build_pack
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

D = dt.datetime
TITLE = "珠龙镇2024年矛盾纠纷排查调处台账"


def _rows(extra: list[object]) -> list[list[object]]:
    """12 cases, one a month: the first failed and referred; ``extra`` cells at each row's end."""
    return [
        [i, D(2024, i, 5), "张庄村", "邻里纠纷", "失败" if i == 1 else "成功", "是" if i == 1 else "否", extra[i - 1]]
        for i in range(1, 13)
    ]


def _load(tmp_path: Path, header: list[str], rows: list[list[object]]) -> tuple[dict, str]:
    """The 2024 scorecard's metrics and the report's text once the workbook is loaded."""
    path = write_xlsx(tmp_path / "disputes.xlsx", {"2024年": [[TITLE], header, *rows]})
    database = tmp_path / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    con = db.reader(database).cursor()
    try:
        period = periods.parse("2024")
        return scorecard(con, period, town="珠龙镇")["metrics"], build_pack(con, period, "珠龙镇").text.plain()
    finally:
        con.close()


BASE = ["编号", "受理日期", "所属村", "纠纷类型", "调解结果", "引导诉讼"]


def test_an_escalation_under_you_wu_ji_hua_sheng_ji_is_counted(tmp_path: Path) -> None:
    marks = ["有（民转刑）", *["无"] * 11]
    card, report = _load(tmp_path, [*BASE, "有无激化升级"], _rows(marks))
    assert card["disputes_escalated"]["value"] == 1
    assert card["disputes_escalated"]["status"] == "missed"
    assert "无一例矛盾纠纷激化升级" not in report


def test_the_form_under_xie_yi_fang_shi_is_counted(tmp_path: Path) -> None:
    forms = ["书面协议"] * 4 + ["口头协议"] * 8
    card, report = _load(tmp_path, [*BASE, "协议方式"], _rows(forms))
    assert (card["disputes_written"]["value"], card["disputes_oral"]["value"]) == (4, 8)
    assert "书面调解4件，口头调解8件" in report


def test_a_ledger_without_the_columns_states_no_zero(tmp_path: Path) -> None:
    """No 激化 column and no 调解方式 column: no data, and the report writes neither zero."""
    card, report = _load(tmp_path, [*BASE, "备注"], _rows([None] * 12))
    assert card["disputes_total"]["value"] == 12
    for metric in ("disputes_escalated", "disputes_written", "disputes_oral"):
        assert card[metric]["value"] is None, metric
    assert "激化升级" not in report.split("存在的问题")[0]
    assert "书面调解0件" not in report and "口头调解0件" not in report


# --- 矛盾纠纷汇总表 (F09) ------------------------------------------------------------------------

SUMMARY_TITLE = "珠龙镇矛盾纠纷排查调处汇总表"


def _summary(tmp_path: Path, header: list[str], row: list[object]) -> tuple[dict, list[str]]:
    path = write_xlsx(tmp_path / "summary.xlsx", {"汇总": [[SUMMARY_TITLE], header, row]})
    database = tmp_path / "w.duckdb"
    (sheet,) = parse_file(path).sheets
    load_file(path, database, town="珠龙镇")
    con = db.reader(database).cursor()
    try:
        return scorecard(con, periods.parse("2023"), town="珠龙镇")["metrics"], list(sheet.warnings["message"])
    finally:
        con.close()


def test_a_summary_rows_open_cases_are_no_failures(tmp_path: Path) -> None:
    """排查 100, 成功 93, 失败 2, 调解中 5: 93/95 = 97.9% (met), 5 pending; was 93/100, missed."""
    header = ["年度", "排查数", "书面调解", "口头调解", "调解成功数", "调解失败数", "调解中"]
    card, warned = _summary(tmp_path, header, [2023, 100, 30, 70, 93, 2, 5])
    rate = card["mediation_success_rate"]
    assert (rate["numerator"], rate["denominator"], rate["status"]) == (93, 95, "met")
    assert card["disputes_pending"]["value"] == 5
    assert warned == []


def test_a_summary_rows_mediated_count_is_the_rates_base(tmp_path: Path) -> None:
    """排查 120, 调解 100, 成功 98: 98/100, the failures worked out and said; was 98/120."""
    header = ["年度", "排查数", "调解数", "书面调解", "口头调解", "调解成功数"]
    card, warned = _summary(tmp_path, header, [2023, 120, 100, 30, 70, 98])
    rate = card["mediation_success_rate"]
    assert (rate["numerator"], rate["denominator"]) == (98, 100)
    assert warned == ["调解失败数没有填，按调解数 100 − 调解成功数 98 推算为 2，请核对"]


def test_a_warehouse_written_before_the_summary_columns_is_still_read(tmp_path: Path) -> None:
    """A file written by the version before (no failed, pending) is read until its next write adds them."""
    import duckdb

    header = ["年度", "排查数", "调解成功数"]
    _summary(tmp_path, header, [2023, 100, 93])
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("ALTER TABLE dispute_summaries DROP COLUMN failed")
        con.execute("ALTER TABLE dispute_summaries DROP COLUMN pending")
    con = db.reader(tmp_path / "w.duckdb").cursor()
    try:
        rate = scorecard(con, periods.parse("2023"), town="珠龙镇")["metrics"]["mediation_success_rate"]
    finally:
        con.close()
    assert (rate["numerator"], rate["denominator"]) == (93, 100)
