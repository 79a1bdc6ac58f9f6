"""Queries of the law-study and training page (学法培训): staff, hours per officer against the
pro-rated 50-hour line, certificates, and study meetings / mediator trainings against their targets.

Who counts as enforcement staff is decided once, by ``officers.OFFICER_ROWS`` (the roster, else
attendance rows marked as enforcement staff); these queries read its rows for one period.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import duckdb
import pandas as pd

from analytics import settings
from analytics.queries import first_year, metric_series, nones, run, same_periods, trim_leading_gaps
from analytics.semantic import aggregates
from analytics.semantic.metrics import render
from analytics.semantic.periods import Period

STAFF_METRICS = [
    "enforcement_staff",
    "training_rate",
    "study_hours_avg",
    "study_hours_compliance_rate",
    "certification_rate",
    "study_meetings",
    "mediator_trainings",
]


def hours_target(period: Period) -> float:
    """The study-hours line for the period: 50 h a year, pro-rated for half-years and quarters."""
    return settings.study_hours_per_year() * period.fraction_of_year


def trend(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """Staff metrics for the period and the same period of earlier years (long, like ``metric_series``)."""
    since = first_year(con, [("v_training", "session_date")], town)
    periods = same_periods(period, since)
    long = metric_series(con, periods, town, STAFF_METRICS)
    wide_present = long.pivot(index="year", columns="metric_id", values="value").reset_index()
    first = trim_leading_gaps(wide_present, STAFF_METRICS)["year"].iloc[0]
    long = long[long["year"] >= first].reset_index(drop=True)
    return nones(long, ["value", "numerator", "denominator", "source", "target"])


OFFICERS_SQL = """
SELECT town, name, unit, from_roster, hours, trained, cert_valid_until
FROM {officer_rows}
ORDER BY hours, town, name
"""


def officers(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """Every enforcement officer of the period with study hours against the pro-rated target.

    Columns: town, name, unit, from_roster, hours, trained, cert_valid_until, target, below
    (hours < target), shortfall (hours missing to the target, 0 when met). Lowest hours first.
    """
    frame = run(con, render(con, OFFICERS_SQL, [period]), {"town": town})
    target = hours_target(period)
    frame["target"] = target
    frame["below"] = frame["hours"] < target - 1e-9
    frame["shortfall"] = (target - frame["hours"]).clip(lower=0)
    frame["cert_valid_until"] = pd.to_datetime(frame["cert_valid_until"]).dt.date
    return nones(frame, ["unit", "cert_valid_until"])


def below_target(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """The officers whose study hours are under the pro-rated target, lowest first."""
    frame = officers(con, period, town)
    return frame[frame["below"]].reset_index(drop=True)


# A certificate's status at the period's last day, in SQL over ``{officer_rows}``: the list and
# its counts share it.
_CERT_DAYS_LEFT = "CASE WHEN from_roster THEN date_diff('day', $last_day, cert_valid_until) END"
_CERT_STATUS = f"""CASE WHEN NOT from_roster THEN 'unknown'
     WHEN cert_valid_until IS NULL THEN 'none'
     WHEN {_CERT_DAYS_LEFT} < 0 THEN 'expired'
     WHEN {_CERT_DAYS_LEFT} <= $warn THEN 'expiring'
     ELSE 'valid' END"""
CERT_STATUSES = ("expired", "expiring", "none", "unknown", "valid")  # listing order


def _cert_params(period: Period) -> dict[str, object]:
    return {"last_day": period.end - timedelta(days=1), "warn": settings.certificate_warning_days()}


def _band_edges(period: Period, bins: int) -> list[float]:
    step = hours_target(period) / bins
    return [round(step * i, 1) for i in range(bins + 1)]


def officer_counts(con: duckdb.DuckDBPyConnection, period: Period, town: str | None, bins: int = 5) -> dict[str, Any]:
    """What the training page draws of the period's officers, counted in DuckDB (no officer rows).

    ``staff``, ``below`` (under the pro-rated target), ``hours_avg``; ``bands``: officers per band
    of study hours in steps of a fifth of the target, the last band open (columns band, low, high,
    officers, below, status "below" | "met" for colouring); ``certificates``: officers per
    certificate status (``CERT_STATUSES``).
    """
    target = hours_target(period)
    edges = _band_edges(period, bins)
    bands = [
        f"count(*) FILTER (WHERE hours >= {lo} AND hours < {hi})" for lo, hi in zip(edges, edges[1:], strict=False)
    ]
    bands.append(f"count(*) FILTER (WHERE hours >= {target} - 1e-9)")
    statuses = [f"count(*) FILTER (WHERE status = '{s}')" for s in CERT_STATUSES]
    sql = f"""SELECT count(*), count(*) FILTER (WHERE hours < {target} - 1e-9), avg(hours),
                     {", ".join(bands)}, {", ".join(statuses)}
              FROM (SELECT hours, {_CERT_STATUS} AS status FROM {{officer_rows}})"""
    row = run(con, render(con, sql, [period]), {"town": town, **_cert_params(period)}).iloc[0].tolist()
    counts = [int(v) for v in row[3:]]
    band_rows = [
        {"band": f"{lo:g}–{hi:g}", "low": lo, "high": hi, "officers": n, "below": True}
        for lo, hi, n in zip(edges, edges[1:], counts, strict=False)
    ]
    band_rows.append({"band": f"≥{target:g}", "low": target, "high": None, "officers": counts[bins], "below": False})
    frame = pd.DataFrame(band_rows)
    frame["status"] = ["below" if b else "met" for b in frame["below"]]
    return {
        "staff": int(row[0]),
        "below": int(row[1]),
        "hours_avg": None if pd.isna(row[2]) else float(row[2]),
        "bands": nones(frame, ["high"]),
        "certificates": dict(zip(CERT_STATUSES, counts[bins + 1 :], strict=True)),
    }


def hours_distribution(con: duckdb.DuckDBPyConnection, period: Period, town: str | None, bins: int = 5) -> pd.DataFrame:
    """The ``bands`` of ``officer_counts``."""
    return officer_counts(con, period, town, bins)["bands"]


CERTIFICATES_SQL = f"""
SELECT town, name, unit, cert_valid_until, {_CERT_DAYS_LEFT} AS days_left, {_CERT_STATUS} AS status
FROM {{officer_rows}}
ORDER BY list_position({list(CERT_STATUSES)}, status), days_left NULLS LAST, name, town
"""


def certificates(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """Each officer's certificate as seen at the period's end.

    ``status`` is one of: expired (not valid on the period's last day), expiring (valid at the end but
    expiring within ``settings.certificate_warning_days()`` days after it), valid, none (no
    certificate date on the roster), unknown (officer known only from attendance rows).
    Columns: town, name, unit, cert_valid_until, days_left (from the period's last day), status.
    Expired and expiring certificates first.
    """
    frame = run(con, render(con, CERTIFICATES_SQL, [period]), {"town": town, **_cert_params(period)})
    frame["cert_valid_until"] = pd.to_datetime(frame["cert_valid_until"]).dt.date
    return nones(frame, ["unit", "cert_valid_until", "days_left"])


SESSIONS_SQL = """
SELECT session_date, town, kind, topic, max(hours) AS hours,
       greatest(count(name), coalesce(max(attendees), 0)) AS attendees,
       count(name) FILTER (WHERE is_enforcement) AS enforcement_attendees
FROM v_training
WHERE session_date >= $start AND session_date < $end AND ($town IS NULL OR town = $town)
GROUP BY town, session_date, kind, topic
ORDER BY session_date, town, kind, topic
"""


def sessions(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """Training sessions in the period (one row per town, date, kind and topic, as metrics count them).

    Columns: session_date, town, kind, topic, hours, attendees, enforcement_attendees.
    """
    return nones(run(con, SESSIONS_SQL, {"start": period.start, "end": period.end, "town": town}), ["topic", "hours"])


def session_count(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> int:
    """How many rows ``sessions`` lists, counted from the monthly aggregate (no ledger scan)."""
    sql = """SELECT sum(sessions) FROM {agg_sessions}
             WHERE month >= $start AND month < $end AND ($town IS NULL OR town = $town)"""
    value = run(con, aggregates.fill(con, sql), {"start": period.start, "end": period.end, "town": town}).iloc[0, 0]
    return 0 if pd.isna(value) else int(value)


def session_targets(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """Study meetings and mediator trainings held in the period against their pro-rated targets.

    Columns: metric_id, value, target, met (None when there is no data).
    """
    frame = metric_series(con, [period], town, ["study_meetings", "mediator_trainings"])
    frame["met"] = [
        None if v is None or t is None else v >= t - 1e-9 for v, t in zip(frame["value"], frame["target"], strict=True)
    ]
    return frame[["metric_id", "value", "target", "met", "source"]].astype({"met": "object"})
