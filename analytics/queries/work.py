"""Queries of the 依法行政工作 page: the work register's events of the period (with which of its 学习会
and 调解员培训 the training register already counts), the matters of the legality review register
not reviewed beforehand, and the work metrics by year."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import db
from analytics.queries import metric_series, nones, register_first_year, run, same_periods
from analytics.semantic import aggregates
from analytics.semantic.measures import any_of
from analytics.semantic.periods import Period

EVENT_METRICS = [
    "party_committee_reports",
    "supervision_quarters_covered",
    "document_cleanup_due",
    "legal_publicity_events",
    "study_meetings",
    "mediator_trainings",
]
REVIEW_METRICS = ["major_decision_review_rate", "contract_review_rate"]
TREND_YEARS = 6


def by_year(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """The event and review metrics for the period and the same period of up to five earlier years."""
    ids = EVENT_METRICS + REVIEW_METRICS
    sources = [("v_events", "event_date"), ("v_legality_reviews", "matter_date")]
    if not any(db.has_view(con, view) for view, _ in sources):
        return metric_series(con, [], town, ids)
    since = register_first_year(con, sources, town) or period.year
    return nones(metric_series(con, same_periods(period, max(since, period.year - TREND_YEARS + 1)), town, ids))


def events(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """The period's events; ``in_training``: a 学习会 or 调解员培训 of a month the training register also
    records that kind in for the town (the scorecard counts that month's larger of the two registers)."""
    if not db.has_view(con, "v_events"):
        return pd.DataFrame()
    sql = aggregates.fill(
        con,
        f"""
    SELECT event_date, kind, kind_raw, description, place,
           ({any_of("events", "study_meetings", "mediator_trainings")}) AND EXISTS (
               SELECT 1 FROM {{agg_sessions}} s
               WHERE s.town = e.town AND s.kind = e.kind AND s.month = date_trunc('month', e.event_date)) AS in_training,
           town, source_file, sheet, excel_row
    FROM v_events e
    WHERE event_date >= $start AND event_date < $end AND ($town IS NULL OR town = $town)
    ORDER BY event_date, excel_row""",
    )
    return nones(run(con, sql, {"start": period.start, "end": period.end, "town": town}))


def unreviewed(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """The period's matters not reviewed beforehand (never reviewed, or reviewed after the decision)."""
    if not db.has_view(con, "v_legality_reviews"):
        return pd.DataFrame()
    sql = """
    SELECT matter_date, matter, matter_kind, submitted_date, reviewed_date, decided_date, reviewed, reviewer,
           town, source_file, sheet, excel_row
    FROM v_legality_reviews
    WHERE matter_date >= $start AND matter_date < $end AND ($town IS NULL OR town = $town) AND NOT reviewed_before
      AND NOT pending
    ORDER BY matter_date, excel_row"""
    return nones(run(con, sql, {"start": period.start, "end": period.end, "town": town}))
