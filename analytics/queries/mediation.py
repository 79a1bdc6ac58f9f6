"""Queries of the mediation page (矛盾纠纷调解): trends, villages, categories, seasonality, cases.

The headline series go through ``metrics.compute`` so years known only from a summary sheet count
and are marked reported; everything that needs case rows (villages, categories, months, the
drill-down) reads the ledger alone: its quarterly aggregates by village and category, and
``v_disputes`` for the case rows.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analytics.adhoc import dictionary
from analytics.queries import first_year, metric_series, nones, run, same_periods, trim_leading_gaps
from analytics.semantic import aggregates, compare
from analytics.semantic.catalogue import get as metric
from analytics.semantic.measures import any_of
from analytics.semantic.periods import Period, month_day_cut, periods_between

SOURCES = [("v_disputes", "received_date"), ("v_dispute_summaries", "period_start")]
# The trend's metrics and the column each becomes in ``trend``'s wide frame.
TREND_COLUMNS = {
    "disputes_total": "total",
    "disputes_written": "written",
    "disputes_oral": "oral",
    "disputes_joint": "joint",
    "mediation_success_rate": "success_rate",
    "disputes_pending": "pending",
    "disputes_escalated": "escalated",
    "disputes_referred": "referred",
}
TREND_METRICS = list(TREND_COLUMNS)
DRILL_LIMIT = 5000


def _bounds(period: Period) -> dict[str, date]:
    return {"start": period.start, "end": period.end}


def trend(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """The period and the same period of earlier years, one row each (wide).

    Columns: period_id, year, total, written, oral, joint, success_rate, success, decided,
    pending, escalated, referred, source, reported. Figures absent in a year are None.
    """
    periods = same_periods(period, first_year(con, SOURCES, town))
    long = metric_series(con, periods, town, TREND_METRICS)
    wide = long.pivot(index=["period_id", "year"], columns="metric_id", values="value").reset_index()
    wide.columns.name = None
    rate_rows = long[long["metric_id"] == "mediation_success_rate"].set_index("period_id")
    total_rows = long[long["metric_id"] == "disputes_total"].set_index("period_id")
    wide = wide.rename(columns=TREND_COLUMNS)
    wide["success"] = wide["period_id"].map(rate_rows["numerator"])
    wide["decided"] = wide["period_id"].map(rate_rows["denominator"])
    # The rate may be reported when the counts are not (a typed 调解率 with no base).
    wide["source"] = wide["period_id"].map(total_rows["source"]).fillna(wide["period_id"].map(rate_rows["source"]))
    wide["rate_reported"] = wide["period_id"].map(rate_rows["reported"])
    wide["reported"] = wide["period_id"].map(total_rows["reported"]) | wide["rate_reported"]
    columns = [
        "period_id",
        "year",
        "total",
        "written",
        "oral",
        "joint",
        "success_rate",
        "success",
        "decided",
        "pending",
        "escalated",
        "referred",
        "source",
        "reported",
        "rate_reported",
    ]
    wide = wide[columns].sort_values("year").reset_index(drop=True)
    wide["reported"] = wide["reported"].fillna(False).astype(bool)
    wide["rate_reported"] = wide["rate_reported"].fillna(False).astype(bool)
    wide = nones(wide, [c for c in columns if c not in ("period_id", "year", "reported", "rate_reported")])
    return trim_leading_gaps(wide, ["total", "success_rate"])


_SUCCESS_RATE = metric("mediation_success_rate").formula.sql()  # type: ignore[union-attr]
VILLAGES_SQL = f"""
SELECT town, village,
       sum(total)::BIGINT AS total, sum(success)::BIGINT AS success, sum(failed)::BIGINT AS failed,
       sum(pending)::BIGINT AS pending, sum(escalated)::BIGINT AS escalated,
       {_SUCCESS_RATE} AS success_rate
FROM {{agg_villages}}
WHERE quarter >= $start AND quarter < $end AND ($town IS NULL OR town = $town)
GROUP BY town, village
ORDER BY total DESC, town, village
"""


def _cut(until: date | None) -> str | None:
    return month_day_cut(until) if until else None


def villages(
    con: duckdb.DuckDBPyConnection, period: Period, town: str | None, until: date | None = None
) -> pd.DataFrame:
    """Villages in the period ranked by number of disputes, with their success rate (None: none decided).
    With ``until`` (a period in progress), only the days up to its month and day.

    A village is a town's village: the same name in two towns is two villages.
    Columns: rank, town, village, total, success, failed, pending, escalated, success_rate.
    """
    frame = run(con, aggregates.fill(con, VILLAGES_SQL, _cut(until)), {**_bounds(period), "town": town})
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return nones(frame, ["success_rate"])


CATEGORIES_SQL = """
WITH counted AS (
    SELECT category,
           coalesce(sum(total) FILTER (WHERE quarter >= $start AND quarter < $end), 0)::BIGINT AS current,
           coalesce(sum(total) FILTER (WHERE quarter >= $prev_start AND quarter < $prev_end), 0)::BIGINT AS previous
    FROM {agg_categories}
    WHERE ((quarter >= $start AND quarter < $end) OR (quarter >= $prev_start AND quarter < $prev_end))
      AND ($town IS NULL OR town = $town)
    GROUP BY category
)
SELECT category, current, previous,
       sum(current) OVER () AS current_total, sum(previous) OVER () AS previous_total
FROM counted
ORDER BY current DESC, previous DESC, category
"""


def categories(
    con: duckdb.DuckDBPyConnection, period: Period, town: str | None, until: date | None = None
) -> pd.DataFrame:
    """Dispute categories in the period against the same period last year (with ``until``, a period in
    progress: both years up to the same month and day).

    Columns: category, current, previous, change, growth (fraction), share (of the period's total).
    A side with no ledger rows at all is None (no data), not 0; a category absent in a year that has
    rows is a real 0.
    """
    prev = period.previous_year()
    frame = run(
        con,
        aggregates.fill(con, CATEGORIES_SQL, _cut(until)),
        {**_bounds(period), "prev_start": prev.start, "prev_end": prev.end, "town": town},
    )
    if frame.empty:
        return pd.DataFrame(columns=["category", "current", "previous", "change", "growth", "share"])
    has_current = int(frame["current_total"].iloc[0]) > 0
    has_previous = int(frame["previous_total"].iloc[0]) > 0
    count_metric = metric("disputes_total")
    rows = []
    for record in frame.to_dict("records"):
        current = int(record["current"]) if has_current else None
        previous = int(record["previous"]) if has_previous else None
        delta = compare.change(count_metric, current, previous)
        rows.append(
            {
                "category": record["category"],
                "current": current,
                "previous": previous,
                "change": delta.absolute,
                "growth": delta.percent,
                "share": current / float(record["current_total"]) if has_current and current is not None else None,
            }
        )
    return pd.DataFrame(rows, columns=["category", "current", "previous", "change", "growth", "share"]).astype(
        {"current": "object", "previous": "object", "change": "object", "growth": "object", "share": "object"}
    )


MONTHLY_SQL = """
SELECT year(month) AS year, month(month) AS month, sum(total) AS disputes
FROM {agg_disputes}
WHERE ((month >= $start AND month < $end) OR (month >= $prev_start AND month < $prev_end))
  AND ($town IS NULL OR town = $town)
GROUP BY ALL
"""


def monthly(
    con: duckdb.DuckDBPyConnection, period: Period, town: str | None, until: date | None = None
) -> pd.DataFrame:
    """Disputes per calendar month of the period, this year and the same months last year (with
    ``until``, both years up to the same month and day).

    Columns: month (1-12), current, previous. A year with no ledger rows in the period is None
    throughout; a month without cases in a year that has rows is 0.
    """
    prev = period.previous_year()
    frame = run(
        con,
        aggregates.fill(con, MONTHLY_SQL, _cut(until)),
        {**_bounds(period), "prev_start": prev.start, "prev_end": prev.end, "town": town},
    )
    first_month = period.start.month
    months = list(range(first_month, first_month + period.months))
    result = pd.DataFrame({"month": months})
    for column, year in (("current", period.year), ("previous", prev.year)):
        counts = frame[frame["year"] == year].set_index("month")["disputes"]
        if counts.empty:
            result[column] = None
        else:
            result[column] = [int(counts.get(m, 0)) for m in months]
        result[column] = result[column].astype("object")
    return result


def half_years(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """Disputes per half-year (上半年/下半年) of each year up to the period's year.

    Columns: year, half (1|2), period_id, total, source, reported. Half-years known only from a
    half-year summary sheet are included and marked reported.
    """
    since = first_year(con, SOURCES, town)
    start = period.year if since is None else max(min(since, period.year), period.year - 9)
    halves = periods_between(start, period.year, "half")
    long = metric_series(con, halves, town, ["disputes_total"])
    long["half"] = [p.index for p in halves]
    long = long.rename(columns={"value": "total"})
    return trim_leading_gaps(
        nones(long[["year", "half", "period_id", "total", "source", "reported"]].copy(), ["total", "source"]), ["total"]
    )


CASES_SQL = f"""
SELECT received_date, village, category, agreement_form, joint, outcome, escalated, referred,
       case_no, parties, mediator, summary, amount, people, closed_date, note,
       town, source_file, sheet, excel_row
FROM v_disputes
WHERE received_date >= $start AND received_date < $end AND ($town IS NULL OR town = $town)
  AND ($village IS NULL OR village = $village)
  AND ($category IS NULL OR category = $category)
  AND (NOT $flagged OR {any_of("disputes", "pending", "escalated", "referred")})
ORDER BY received_date, source_file, sheet, excel_row
LIMIT $limit
"""


def cases(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    town: str | None,
    village: str | None = None,
    category: str | None = None,
    flagged: bool = False,
    limit: int = DRILL_LIMIT,
) -> pd.DataFrame:
    """The case rows behind a village and/or category (the drill-down), personal fields (parties,
    mediator, summary) masked as everywhere (``dictionary.mask_personal``).

    ``flagged`` keeps only pending, escalated and referred cases. At most ``limit`` rows.
    """
    frame = run(
        con,
        CASES_SQL,
        {
            **_bounds(period),
            "town": town,
            "village": village or None,
            "category": category or None,
            "flagged": flagged,
            "limit": limit,
        },
    )
    return dictionary.mask_personal(frame)


def flagged(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """Cases that need attention: pending (调解中), escalated (激化) or referred to court (引导诉讼)."""
    return cases(con, period, town, flagged=True)


OPTIONS_SQL = """
SELECT 'village' AS kind, village AS value, sum(total) AS n FROM {agg_villages}
WHERE quarter >= $start AND quarter < $end AND ($town IS NULL OR town = $town) GROUP BY ALL
UNION ALL
SELECT 'category', category, sum(total) FROM {agg_categories}
WHERE quarter >= $start AND quarter < $end AND ($town IS NULL OR town = $town) GROUP BY ALL
ORDER BY kind, n DESC, value
"""


def options(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> dict[str, list[str]]:
    """The villages and categories with cases in the period, for the drill-down selectors."""
    frame = run(con, aggregates.fill(con, OPTIONS_SQL), {**_bounds(period), "town": town})
    return {kind: frame.loc[frame["kind"] == kind, "value"].tolist() for kind in ("village", "category")}


def case_count(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    town: str | None,
    village: str | None = None,
    category: str | None = None,
) -> int:
    """How many cases the drill-down holds (``cases`` lists at most ``DRILL_LIMIT`` of them).

    Counted from the quarterly aggregates unless both a village and a category are chosen.
    """
    params: dict[str, object] = {**_bounds(period), "town": town}
    where = "AND ($town IS NULL OR town = $town)"
    if village and category:
        sql = f"""SELECT count(*) FROM v_disputes
                  WHERE received_date >= $start AND received_date < $end {where}
                    AND village = $village AND category = $category"""
        params.update(village=village, category=category)
    elif category:
        sql = f"""SELECT sum(total) FROM {{agg_categories}}
                  WHERE quarter >= $start AND quarter < $end {where} AND category = $category"""
        params["category"] = category
    else:
        sql = f"""SELECT sum(total) FROM {{agg_villages}}
                  WHERE quarter >= $start AND quarter < $end {where} AND ($village IS NULL OR village = $village)"""
        params["village"] = village or None
    value = run(con, aggregates.fill(con, sql), params).iloc[0, 0]
    return 0 if pd.isna(value) else int(value)
