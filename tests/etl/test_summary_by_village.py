"""A summary sheet kept by village (年度 | 村（社区）| 排查数 …): its first village's row was the town's year
(张庄村 20 for a town of 50) and the others duplicates (an outside test's finding F22). Village rows are now
refused with the reason, and the row for the whole town (合计 in that column) is the town's figure.
Real .xlsx files, the ETL, a DuckDB file and the scorecard."""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

HEADER = ["年度", "村（社区）", "排查数", "书面调解", "口头调解", "调解成功数"]
VILLAGES = [[2023, "张庄村", 20, 5, 15, 19], [2023, "李庄村", 30, 10, 20, 30]]


def _load(tmp_path: Path, rows: list[list[object]]) -> tuple[dict[str, object], list[str]]:
    path = tmp_path / "w.duckdb"
    book = write_xlsx(tmp_path / "s.xlsx", {"汇总": [["珠龙镇矛盾纠纷排查调处情况统计表"], HEADER, *rows]})
    load_file(book, path, town="珠龙镇")
    with duckdb.connect(str(path), read_only=True) as con:
        metrics = scorecard(con, parse("2023"), "珠龙镇")["metrics"]
        reasons = [r for (r,) in con.execute("SELECT reason FROM v_rejects ORDER BY excel_row").fetchall()]
    return metrics, reasons


def test_the_whole_towns_row_counts_and_village_rows_are_refused(tmp_path: Path) -> None:
    metrics, reasons = _load(tmp_path, [*VILLAGES, [2023, "合计", 50, 15, 35, 49]])
    assert metrics["disputes_total"]["value"] == 50 and metrics["disputes_written"]["value"] == 15
    assert (metrics["mediation_success_rate"]["numerator"], metrics["mediation_success_rate"]["denominator"]) == (
        49,
        50,
    )
    assert [r.split("，")[0] for r in reasons] == [
        "此行是「张庄村」一个村(社区)的数",
        "此行是「李庄村」一个村(社区)的数",
    ]


def test_without_a_towns_row_the_year_has_no_figure(tmp_path: Path) -> None:
    metrics, reasons = _load(tmp_path, VILLAGES)
    assert metrics["disputes_total"]["value"] is None  # was 20, 张庄村's
    assert len(reasons) == 2 and all("不计入" in r for r in reasons)
