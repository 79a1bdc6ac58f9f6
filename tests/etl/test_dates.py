"""Each way a ledger writes a date, read as a person reads it, or refused with the reason."""

import datetime as dt

import pytest

from etl import normalise as n
from etl.dates import read_date

D = dt.date


@pytest.mark.parametrize(
    "cell, day",
    [
        (dt.datetime(2024, 3, 2, 10, 15), D(2024, 3, 2)), (D(2024, 3, 2), D(2024, 3, 2)),
        ("2024/3/2 10:15", D(2024, 3, 2)), ("2024-7-4 11:20:00", D(2024, 7, 4)), ("2024-07-04T11:20:00", D(2024, 7, 4)),
        ("2024年3月2日 上午9:30", D(2024, 3, 2)), ("2024年3月2日10时15分", D(2024, 3, 2)),
        ("2024/3/21", D(2024, 3, 21)), ("2024.3.5", D(2024, 3, 5)), ("2024年3月5日", D(2024, 3, 5)),
        ("2024年3月5号", D(2024, 3, 5)), ("2024 年 3 月 5 日", D(2024, 3, 5)), ("20240305", D(2024, 3, 5)),
        (20240305, D(2024, 3, 5)),
        ("二〇二四年三月五日", D(2024, 3, 5)), ("二零二四年十二月二十一日", D(2024, 12, 21)),
        ("二〇二四年十月三十一日", D(2024, 10, 31)), ("２０２４／３／５", D(2024, 3, 5)), ("2024年三月五号", D(2024, 3, 5)),
    ],
)  # fmt: skip
def test_days(cell: object, day: dt.date) -> None:
    reading = read_date(cell)
    assert (reading.day, reading.reason, reading.warning) == (day, None, None)


@pytest.mark.parametrize("cell", [45356, 45356.4375, "45356"])
def test_a_serial_number_is_read_as_excels_day_and_said(cell: object) -> None:
    """A cell formatted as a date reaches the parse as a date: a number here is shown as a number."""
    reading = read_date(cell)
    assert (reading.day, reading.reason) == (D(2024, 3, 5), None)
    assert reading.warning is not None
    assert reading.warning.startswith("日期栏里的数字 45356") and reading.warning.endswith(
        "按 Excel 的日期序号读作 2024-03-05，请核对"
    )


@pytest.mark.parametrize(
    "cell, month",
    [(2024.3, D(2024, 3, 1)), (2024.12, D(2024, 12, 1)), (2024.05, D(2024, 5, 1)), ("2024.3", D(2024, 3, 1)),
     ("2024.1", D(2024, 1, 1)), ("2024年3月", D(2024, 3, 1)), ("2024-03", D(2024, 3, 1)), ("2024年10月份", D(2024, 10, 1))],
)  # fmt: skip
def test_months_are_months_never_serials(cell: object, month: dt.date) -> None:
    reading = read_date(cell)
    assert (reading.day, reading.month, reading.reason) == (None, month, None)


@pytest.mark.parametrize(
    "cell, reason",
    [
        (2024.1, "无法区分1月和10月"), (2024, "只有年份"), ("2024年", "只有年份"), ("2024年13月", "无法识别的日期"),
        ("2023-2-29", "无法识别的日期"), ("05/04/2024", "月和日无法区分"), ("下周一", "无法识别的日期"),
        ("24.3.5", "无法识别的日期"), (True, "无法识别的日期"),
    ],
)  # fmt: skip
def test_refused_with_the_reason(cell: object, reason: str) -> None:
    reading = read_date(cell)
    assert reading.day is None and reading.month is None and reason in (reading.reason or "")


def test_day_first_or_month_first_only_when_certain_and_said() -> None:
    reading = read_date("25/03/2024")
    assert reading.day == D(2024, 3, 25) and "按日/月/年读作 2024-03-25" in (reading.warning or "")
    assert read_date("03/25/2024").day == D(2024, 3, 25)


def test_column_parsers_month_range_and_expiry() -> None:
    today = dt.date.today()
    ahead = (today + dt.timedelta(days=400)).isoformat()
    cells = ["2024.3", "1985-06-01", ahead, 5, ""]
    ledger = n.date_column(pd_series(cells))
    assert ledger.values.dt.date.tolist()[0] == D(2024, 3, 1)
    assert "缺少日" in ledger.warnings[0] and "按当月1日计" in ledger.warnings[0]
    assert [("超出合理范围" in (r or "")) for r in ledger.errors] == [False, True, True, False, False]
    assert ledger.errors[3] == "无法识别的日期：5"  # as written: no serial of 1900 (it read as 1900-01-05)
    day_needed = n.date_column(pd_series(cells), parser=n.date_parser(month=None))
    assert "缺少日" in day_needed.errors[0] and day_needed.values.isna()[0]
    expiry = n.date_column(
        pd_series(["2030.6", "2035-12-31"]), parser=n.date_parser(month="last", latest=D(2100, 1, 1))
    )
    assert expiry.values.dt.date.tolist() == [D(2030, 6, 30), D(2035, 12, 31)]


def pd_series(cells: list[object]):
    import pandas as pd

    return pd.Series(cells, dtype=object)


@pytest.mark.parametrize("raw", ["2024年3月5日（待定）", "２０２４年", "2024-3-5 前后"])
def test_a_reason_quotes_the_cell_as_written(raw: str) -> None:
    """It quoted the text folded for reading: 2024年3月5日(待定) for 2024年3月5日（待定）. (A weekday or 上午 after a
    date is read now.)"""
    reason = read_date(raw).reason
    assert reason is not None and reason.endswith(f"：{raw}")


@pytest.mark.parametrize(
    "cell, day",
    [("2024年3月30日上午", D(2024, 3, 30)), ("2024/4/3（周三）", D(2024, 4, 3)), ("2024-3-5 星期二", D(2024, 3, 5)),
     ("2024.04.02.", D(2024, 4, 2)), ("2024年3月5日。", D(2024, 3, 5)), ("2024年3月5日(周二)下午", D(2024, 3, 5))],
)  # fmt: skip
def test_a_weekday_a_part_of_the_day_or_a_full_stop_after_a_date_is_read_past(cell: object, day: dt.date) -> None:
    """Each was refused as 「无法识别的日期」, taking its record out of every figure."""
    reading = read_date(cell)
    assert (reading.day, reading.reason, reading.warning) == (day, None, None)


@pytest.mark.parametrize(
    "cell", ["2024.5.8-5.10", "2024年5月8日至10日", "2024-05-08—2024-05-10", "2024年5月8日~5月10日"]
)
def test_a_span_of_days_is_dated_by_its_first_day_and_said(cell: str) -> None:
    reading = read_date(cell)
    assert (reading.day, reading.reason) == (D(2024, 5, 8), None)
    assert reading.warning == f"日期 {cell} 是几天，按第一天 2024-05-08 计入"
