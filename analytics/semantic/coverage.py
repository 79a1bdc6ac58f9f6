"""What the warehouse covers: its towns, the date span of its data, and the default period to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from analytics.semantic import aggregates
from analytics.semantic.periods import Period, periods_between

# The ledgers with monthly aggregates are read through ``agg_town_months``; every other dated dataset
# (the small registers, the summary sheets) through its view: (view, first day, first day after).
_AGGREGATED = frozenset(aggregates.DATE_COLUMNS)


def _sources(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, bool]]:
    """(view, first-day expression, end expression, is a summary) of each dated dataset read
    through its view; a warehouse written before a register existed has no view of it."""
    from etl.datasets import DATASETS

    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    found = []
    for dataset in DATASETS.values():
        column, view = dataset.dated_by, f"v_{dataset.table}"
        if column is None or dataset.table in _AGGREGATED or view not in views:
            continue
        summary = column == "period_start"
        found.append((view, column, "period_end" if summary else f"{column} + 1", summary))
    return found


def _span_sql(con: duckdb.DuckDBPyConnection) -> str:
    """Each town's first day with data and the first day after its last."""
    parts = [
        "SELECT town, min(first_day) AS d0, max(last_day) + 1 AS d1 FROM {agg_town_months} GROUP BY town",
        *(f"SELECT town, min({first}), max({end}) FROM {view} GROUP BY town" for view, first, end, _ in _sources(con)),
    ]
    union = "\n    UNION ALL ".join(parts)
    return f"SELECT town, min(d0) AS first, max(d1) AS last FROM (\n    {union}\n) GROUP BY town ORDER BY town"


# Months with any ledger row, to decide which periods have data at all.
_MONTHS_SQL = """
SELECT DISTINCT month FROM {agg_town_months} WHERE $town IS NULL OR town = $town
"""


@dataclass(frozen=True)
class Coverage:
    towns: tuple[str, ...]
    first: date | None  # first day with data
    last: date | None  # first day after the last data (exclusive)

    @property
    def empty(self) -> bool:
        return self.first is None

    @property
    def years(self) -> tuple[int, ...]:
        if self.first is None or self.last is None:
            return ()
        last_day = date.fromordinal(self.last.toordinal() - 1)
        return tuple(range(self.first.year, last_day.year + 1))


def coverage(con: duckdb.DuckDBPyConnection) -> Coverage:
    rows = con.execute(aggregates.fill(con, _span_sql(con))).fetchall()
    if not rows:
        return Coverage((), None, None)
    return Coverage(tuple(r[0] for r in rows), min(r[1] for r in rows), max(r[2] for r in rows))


def last_day(con: duckdb.DuckDBPyConnection, town: str | None = None) -> date | None:
    """The last day with data (ledger rows or a summary figure's period) of ``town`` or of every town
    the connection sees: the 数据截至 date of every page."""
    rows = con.execute(aggregates.fill(con, _span_sql(con))).fetchall()
    ends = [r[2] for r in rows if town is None or r[0] == town]
    return date.fromordinal(max(ends).toordinal() - 1) if ends else None


def last_load(con: duckdb.DuckDBPyConnection, town: str | None = None) -> date | None:
    """The day of the newest active load with rows of ``town`` (of any town when None, or when no sheet
    of the town is recorded): the files the warehouse holds were written by then."""
    try:
        row = con.execute(
            """SELECT (max(l.loaded_at) FILTER (WHERE s.town = $town OR list_contains(
                          coalesce(from_json(s.other_towns, '["VARCHAR"]'), []), $town)))::DATE,
                      max(l.loaded_at)::DATE
               FROM loads l LEFT JOIN load_sheets s USING (load_id) WHERE l.status = 'active'""",
            {"town": town},
        ).fetchone()
    except (duckdb.CatalogException, duckdb.BinderException):  # no loads table (or no other_towns): unknown
        return None
    return None if row is None else row[0] or row[1]


def _cut(period: Period, last: date, loaded: date | None, today: date) -> date | None:
    """``Period.cut`` unless the period had ended when its data were last loaded: a year whose last
    register row is on 12 November, loaded after 31 December, is that year's whole record."""
    cut = period.cut(last)
    if cut is not None and loaded is not None and min(loaded, today) >= period.end:
        return None
    return cut


def as_of(con: duckdb.DuckDBPyConnection, period: Period, today: date, town: str | None = None) -> date | None:
    """The last day of ``period``'s data when the period is still in progress, else None.

    In progress: it has begun but not ended by ``today``, or its data stop before its last month and
    were last loaded before it ended (four rows from January, loaded in January, make 2026H1 "截至1月20日",
    not a half-year). Such a period is compared with the same days a year earlier (``scorecard``). A
    period without data, or a complete one, is None. An ended period loaded after its end is complete
    even when its data stop early (small registers hold a few rows a year); ``stopped_early`` says so.
    """
    last = last_day(con, town)
    if last is None or last < period.start:
        return None
    if today < period.end:
        return min(last, today, period.last_day)
    return _cut(period, last, last_load(con, town), today)


def stopped_early(con: duckdb.DuckDBPyConnection, period: Period, today: date, town: str | None = None) -> date | None:
    """The last day of an ended period's data when they stop before its last month but the period is
    judged whole (loaded after it ended): the day, for 数据核对 to name; else None."""
    last = last_day(con, town)
    if last is None or last < period.start or today < period.end or period.cut(last) is None:
        return None
    return last if _cut(period, last, last_load(con, town), today) is None else None


def _dated(con: duckdb.DuckDBPyConnection, town: str | None) -> tuple[set[date], list[tuple[date, date]]]:
    """Months with any ledger or register row, and the (start, end) of every summary figure."""
    months = {r[0] for r in con.execute(aggregates.fill(con, _MONTHS_SQL), {"town": town}).fetchall()}
    summaries: list[tuple[date, date]] = []
    for view, first, _, summary in _sources(con):
        if summary:
            sql = f"SELECT DISTINCT period_start, period_end FROM {view} WHERE $town IS NULL OR town = $town"
            summaries += con.execute(sql, {"town": town}).fetchall()
        else:
            sql = f"SELECT DISTINCT date_trunc('month', {first})::DATE FROM {view} WHERE $town IS NULL OR town = $town"
            months |= {r[0] for r in con.execute(sql, {"town": town}).fetchall()}
    return months, sorted(set(summaries))


def _periods(kind: str, months: set[date], summaries: list[tuple[date, date]]) -> list[Period]:
    years = {m.year for m in months} | {s.year for s, _ in summaries}
    if not years:
        return []
    result = []
    for period in periods_between(min(years), max(years), kind):
        has_rows = any(period.start <= m < period.end for m in months)
        has_summary = any(
            s >= period.start and e <= period.end or (s <= period.start and period.end <= e and kind == "year")
            for s, e in summaries
        )
        if has_rows or has_summary:
            result.append(period)
    return result


def periods_with_data(con: duckdb.DuckDBPyConnection, kind: str, town: str | None = None) -> list[Period]:
    """Periods of a kind (year/half/quarter) that hold any ledger row or summary figure, in order."""
    return _periods(kind, *_dated(con, town))


def default_period(
    con: duckdb.DuckDBPyConnection, today: date, kind: str | None = None, town: str | None = None
) -> Period | None:
    """The latest complete period with data: it has ended by ``today`` and its data reach its last
    month (``as_of`` is None), so a few rows of a new year never make every user's default view a
    half-year of −98%.

    With ``kind`` None, the latest complete half-year or year (whichever ends later; a year wins a
    tie, since its H2 ends on the same day). Falls back to the latest period with data.
    """
    kinds = [kind] if kind else ["year", "half"]
    dated = _dated(con, town)
    candidates = [p for k in kinds for p in _periods(k, *dated)]
    if not candidates:
        return None
    last, loaded = last_day(con, town), last_load(con, town)
    complete = [p for p in candidates if p.end <= today and (last is None or _cut(p, last, loaded, today) is None)]
    pool = complete or candidates
    order = {"year": 0, "half": 1, "quarter": 2}
    return max(pool, key=lambda p: (p.end, -order[p.kind]))
