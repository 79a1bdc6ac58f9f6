"""Timely filing counted in working days: China's 2023 calendar with its 调休 make-up workdays, and a
register that also holds an unfiled document keeping every count."""

import datetime as dt
from pathlib import Path

import pytest

from analytics import db, settings
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

HEADER = ["文件名称", "印发日期", "合法性审查", "是否公开", "备案日期"]
# 2023-01-20 (Fri) -> 01-30: Spring Festival 1/21-1/27 off; 1/28 (Sat) and 1/29 (Sun) are make-up
# workdays, and 1/30 a Monday: 3 working days.  2023-09-28 -> 10-09: 9/29-10/6 off (Mid-Autumn and
# National Day); 10/7 (Sat) and 10/8 (Sun) make-up workdays, 10/9 a Monday: 3.  2023-06-20 -> 06-28:
# 6/21, 6/25 (a Sunday made a workday), 6/26, 6/27, 6/28 work, 6/22-6/24 Dragon Boat Festival: 5.
DOCUMENTS = [
    ["春节前印发", dt.datetime(2023, 1, 20), "是", "是", dt.datetime(2023, 1, 30), 3],
    ["国庆前印发", dt.datetime(2023, 9, 28), "是", "是", dt.datetime(2023, 10, 9), 3],
    ["端午前印发", dt.datetime(2023, 6, 20), "是", "是", dt.datetime(2023, 6, 28), 5],
    ["逾期备案", dt.datetime(2023, 3, 1), "是", "是", dt.datetime(2023, 3, 15), 10],
    ["未备案", dt.datetime(2023, 5, 5), "是", "是", None, None],
]


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "珠龙镇2023年规范性文件登记表.xlsx", {"S": [HEADER, *[d[:5] for d in DOCUMENTS]]})


def test_working_days_with_make_up_days(register: Path) -> None:
    sheet = parse_file(register).sheets[0]
    expected = [d[5] for d in DOCUMENTS]
    assert [None if pd_na(v) else int(v) for v in sheet.rows["filing_working_days"]] == expected
    assert sheet.warnings.empty and sheet.rejects.empty


def test_timely_rate_in_working_days(register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "settings.toml"
    chosen.write_text(
        settings.DEFAULT_SETTINGS.read_text()
        .replace('deadline_kind = "calendar"', 'deadline_kind = "working"')
        .replace("deadline_days = 30", "deadline_days = 5")
    )
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(chosen))
    settings.load.cache_clear()
    try:
        assert settings.filing_deadline() == (5, "working")
        database = tmp_path / "w.duckdb"
        load_file(register, database)
        con = db.reader(database).cursor()
        try:
            rate = scorecard(con, periods.parse("2023"))["metrics"]["document_timely_filing_rate"]
        finally:
            con.close()
    finally:
        settings.load.cache_clear()
    assert (rate["numerator"], rate["denominator"]) == (3, 5)


def pd_na(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
