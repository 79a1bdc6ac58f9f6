"""Queries of the 行政复议与应诉 page: the case counts and rates by year (``metrics.compute``, so the
page and the scorecard can't disagree) and the period's cases, applicants masked."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import db
from analytics.adhoc import dictionary
from analytics.queries import metric_series, nones, register_first_year, run, same_periods
from analytics.semantic.measures import condition
from analytics.semantic.periods import Period

TREND_METRICS = [
    "reconsideration_cases",
    "litigation_cases",
    "head_appearance_rate",
    "litigation_loss_rate",
    "judgment_compliance_rate",
    "years_without_reconsideration",
]
TREND_YEARS = 6


def has_register(con: duckdb.DuckDBPyConnection) -> bool:
    return db.has_view(con, "v_cases")


def by_year(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """The trend metrics for the period and the same period of up to five earlier years (long).

    Columns as ``analytics.queries.metric_series``; empty without the register.
    """
    if not has_register(con):
        return metric_series(con, [], town, TREND_METRICS)
    since = register_first_year(con, [("v_cases", "received_date")], town) or period.year
    since = max(since, period.year - TREND_YEARS + 1)
    return nones(metric_series(con, same_periods(period, since), town, TREND_METRICS))


CASES_SQL = f"""
SELECT received_date, case_no, case_type, instance, applicant, respondent, cause, authority, hearing_date,
       ({condition("cases", "hearings")}) AS heard,
       head_appeared, head_name, result, closed_date, complied, town, source_file, sheet, excel_row
FROM v_cases
WHERE received_date >= $start AND received_date < $end AND ($town IS NULL OR town = $town)
ORDER BY received_date, case_no, excel_row
"""


def cases(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """The cases received in the period (applicants masked unless the setting shows them)."""
    if not has_register(con):
        return pd.DataFrame()
    frame = run(con, CASES_SQL, {"start": period.start, "end": period.end, "town": town})
    return nones(dictionary.mask_personal(frame))
