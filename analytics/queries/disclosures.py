"""Queries of the 政务公开 page: disclosure requests open past their limit or due soon (staff act on
these), the period's requests by kind of reply and those answered late or on a day not written
down, and the rates by year.

Due dates come from ``analytics.semantic.disclosures`` (the limit is a setting, counted on the
official calendar), and overdue is the scorecard's own measure, so page and scorecard agree.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from analytics import settings
from analytics.adhoc import dictionary
from analytics.queries import metric_series, nones, register_first_year, run, same_periods
from analytics.semantic import disclosures
from analytics.semantic.measures import condition
from analytics.semantic.periods import Period

TREND_METRICS = ["disclosure_requests", "disclosure_on_time_rate", "disclosure_overdue"]
TREND_YEARS = 6
_COLUMNS = """received_date, request_no, applicant_type, applicant, content, correction_date, start_date, extended,
       reply_date, reply_type, due_date, town, source_file, sheet, excel_row"""


def as_of(period: Period, today: date) -> date:
    """The day a period is judged on: its last day, or today while it runs."""
    return min(period.end - timedelta(days=1), today)


def by_year(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    if not disclosures.has_register(con):
        return metric_series(con, [], town, TREND_METRICS)
    since = register_first_year(con, [("v_disclosures", "received_date")], town) or period.year
    return nones(
        metric_series(con, same_periods(period, max(since, period.year - TREND_YEARS + 1)), town, TREND_METRICS)
    )


def open_requests(con: duckdb.DuckDBPyConnection, day: date, town: str | None) -> pd.DataFrame:
    """Requests received by ``day`` and not answered by then, with their due date, whether they are
    overdue (the scorecard's measure) and the working days left; overdue first, then by due date.

    Columns: the register's, due_date, overdue, days_left (working days after ``day`` up to the due
    date; 0 when overdue), due_soon (within ``[disclosure] due_soon_working_days``).
    """
    if not disclosures.has_register(con):
        return pd.DataFrame()
    sql = f"""
    SELECT {_COLUMNS}, coalesce({condition("disclosures", "overdue")}, false) AS overdue
    FROM {disclosures.judged(con, town)} r, (SELECT $as_of::DATE AS as_of) p
    WHERE r.received_date <= p.as_of AND ({condition("disclosures", "open")})
    ORDER BY overdue DESC, due_date NULLS LAST, received_date, excel_row"""
    frame = run(con, sql, {"town": town, "as_of": day})
    frame["days_left"] = [
        None if pd.isna(due) else disclosures.workdays_until(day, pd.Timestamp(due).date()) for due in frame["due_date"]
    ]
    soon = settings.disclosure_due_soon_days()
    frame["due_soon"] = [
        (not over) and left is not None and left <= soon
        for over, left in zip(frame["overdue"], frame["days_left"], strict=True)
    ]
    return nones(
        dictionary.mask_personal(frame), ["reply_date", "reply_type", "due_date", "correction_date", "days_left"]
    )


def requests(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """The period's requests with their due date and whether the reply was late (``late``: the
    scorecard's measure, judged as of the period's end), or answered on a day not written down
    (``undated``: neither in time nor late, so outside the on-time rate)."""
    if not disclosures.has_register(con):
        return pd.DataFrame()
    sql = f"""
    SELECT {_COLUMNS}, reply_date - due_date AS days_late,
           coalesce({condition("disclosures", "on_time")}, false) AS on_time,
           coalesce({condition("disclosures", "late")}, false) AS late,
           coalesce({condition("disclosures", "undated_reply")}, false) AS undated
    FROM {disclosures.judged(con, town)} r, (SELECT $as_of::DATE AS as_of) p
    WHERE r.received_date >= $start AND r.received_date < $end
    ORDER BY received_date, excel_row"""
    params = {"town": town, "start": period.start, "end": period.end, "as_of": as_of(period, date.today())}
    frame = run(con, sql, params)
    return nones(
        dictionary.mask_personal(frame), ["reply_date", "reply_type", "due_date", "correction_date", "days_late"]
    )
