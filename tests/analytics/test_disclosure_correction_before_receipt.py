"""A 补正日期 typed before the 收到日期 (an outside test's finding F06).

Row 1 came in on 2024-03-04; its 补正日期 was typed 2023-03-06 (plainly 2024-03-06). The deadline ran
from the correction, a year before the request came in, so a reply in time was counted 361 days late,
with no warning. Now the correction is not used (the deadline runs from the 收到日期) and the load
warning names both dates. Every figure goes through a real workbook, the ETL and the scorecard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

D = dt.datetime
HEADER = ["序号", "收到日期", "申请人类型", "申请人", "申请内容", "补正日期", "是否延期", "答复日期", "答复类型"]
ROWS = [
    [1, D(2024, 3, 4), "自然人", "李某某", "征收补偿方案", D(2023, 3, 6), "否", D(2024, 3, 29), "予以公开"],
    [2, D(2024, 9, 20), "自然人", "陈某某", "宅基地审批", None, "否", D(2024, 10, 14), "予以公开"],
    [3, D(2024, 5, 6), "自然人", "周某某", "低保名单", D(2024, 5, 20), "否", D(2024, 6, 14), "予以公开"],
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("correction")
    title = ["珠龙镇2024年政府信息公开申请登记台账"]
    path = write_xlsx(folder / "ledger.xlsx", {"Sheet1": [title, HEADER, *ROWS]})
    database = folder / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    return path, database


@pytest.fixture()
def con(loaded: tuple[Path, Path]) -> duckdb.DuckDBPyConnection:
    cursor = db.reader(loaded[1]).cursor()
    yield cursor
    cursor.close()


def test_a_correction_before_receipt_does_not_move_the_deadline(con: duckdb.DuckDBPyConnection) -> None:
    card = scorecard(con, periods.parse("2024"))["metrics"]
    rate = card["disclosure_on_time_rate"]
    # row 1 due 2024-04-01 from receipt, answered 03-29; row 3's correction (after receipt) still counts:
    # due 2024-06-18 from 05-20, answered 06-14 (from receipt it would have been due 06-03: late)
    assert (rate["numerator"], rate["denominator"]) == (3, 3)  # was 2/3
    assert rate["status"] == "met"
    starts = con.execute("SELECT start_date FROM v_disclosures ORDER BY received_date").fetchall()
    assert [s for (s,) in starts] == [dt.date(2024, 3, 4), dt.date(2024, 5, 20), dt.date(2024, 9, 20)]


def test_the_load_warning_names_both_dates(loaded: tuple[Path, Path]) -> None:
    (sheet,) = parse_file(loaded[0]).sheets
    said = [m for m in sheet.warnings["message"] if "补正日期" in m]
    assert said == ["补正日期 2023-03-06 早于收到日期 2024-03-04，补正日期未使用，答复期限从收到日期起算，请核对"]
    assert list(sheet.warnings["excel_row"][sheet.warnings["message"].str.contains("补正日期")]) == [3]
