"""A year that has ended, whose registers' last row is on 12 November, loaded after the year ended (an outside
test's finding): it was read as in progress (「2024年（截至11月12日）」), so the missed targets lost their status,
Q4 left the supervision quarters (3/3) and an unanswered request of 12 November was not yet overdue. It is now the
whole year, with 数据核对 naming the day the data stop; loaded before the year ended, it is still 截至.
Real .xlsx files, the ETL, a DuckDB file, the scorecard and the findings.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.report.consistency import check
from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

WORK = [
    ["日期", "事项", "说明"],
    ["2024-03-20", "向党委政府汇报依法行政工作", "镇党委会听取汇报"],
    ["2024-03-25", "季度督导", "督导各村人民调解工作"],
    ["2024-06-18", "季度督导", "督导各村人民调解工作"],
    ["2024-09-12", "季度督导", "督导各村人民调解工作"],
    ["2024-11-10", "法治宣传活动", "宪法宣传周准备"],
]
REQUESTS = [
    ["收到日期", "申请人", "申请内容", "是否延期", "答复日期", "办理结果"],
    ["2024-03-01", "张某", "征收补偿方案", "否", "2024-03-15", "予以公开"],
    ["2024-11-12", "李某", "低保名单", "否", "", "办理中"],
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ended")
    path = folder / "w.duckdb"
    for name, title, rows in (("work", "依法行政工作台账", WORK), ("requests", "政府信息公开申请台账", REQUESTS)):
        load_file(write_xlsx(folder / f"{name}.xlsx", {"Sheet1": [[f"珠龙镇2024年{title}"], *rows]}), path,
                  town="珠龙镇")  # fmt: skip
    return path


def _card(path: Path, today: date) -> dict[str, object]:
    with duckdb.connect(str(path), read_only=True) as con:
        return scorecard(con, parse("2024"), "珠龙镇", today=today)


def test_an_ended_year_loaded_after_it_ended_is_judged_whole(warehouse: Path) -> None:
    card = _card(warehouse, date(2026, 11, 29))
    assert card["period"]["label"] == "2024年" and card["period"]["as_of"] is None  # type: ignore[index]
    metrics = card["metrics"]
    figures = {m: (metrics[m]["value"], metrics[m]["status"]) for m in ("party_committee_reports",  # type: ignore[index]
               "disclosure_overdue", "disclosure_on_time_rate")}  # fmt: skip
    assert figures == {
        "party_committee_reports": (1, "missed"),
        "disclosure_overdue": (1, "missed"),  # due 10 December, unanswered on 31 December
        "disclosure_on_time_rate": (0.5, "missed"),
    }
    supervision = metrics["supervision_quarters_covered"]  # type: ignore[index]
    assert (supervision["numerator"], supervision["denominator"]) == (3, 4)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = [
            f for f in check(con, parse("2024"), "珠龙镇", today=date(2026, 11, 29)) if f.kind == "data_stop_early"
        ]
    assert len(found) == 1 and "2024年的数据只到11月12日" in found[0].message_zh


def test_loaded_before_the_year_ended_it_is_still_read_to_its_last_day(warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE loads SET loaded_at = TIMESTAMP '2024-11-20 10:00'")
    card = _card(copy, date(2026, 11, 29))
    assert card["period"]["label"] == "2024年（截至11月12日）"  # type: ignore[index]
    with duckdb.connect(str(copy), read_only=True) as con:
        assert [
            f for f in check(con, parse("2024"), "珠龙镇", today=date(2026, 11, 29)) if f.kind == "data_stop_early"
        ] == []
