"""Monthly aggregates of the ledgers, rebuilt inside every write so they never disagree with the rows.

Every year, half-year and quarter is a set of whole months (and quarters), so ``metrics.compute`` and ``coverage``
read these small tables (≈ towns × months rows) with an equi-join on the month instead of range-joining
periods against millions of ledger rows. Each table holds only rows of active loads (what the ``v_*``
views show) and is keyed by town: a load or an undo rebuilds the towns whose rows it added or hid,
in the same ``db.writing`` transaction (``refresh_loads``).

What each table keeps is what stays additive across months and towns:

- ``agg_disputes_month``: the dispute counts of the catalogue.
- ``agg_documents_month``: a histogram over (filing days, working days), so the filing deadline and
  its kind of days stay a setting applied at read time.
- ``agg_training_quarter``: hours per person, and whether any row marked them enforcement staff. By
  quarter, the finest period, not month: it is the largest table (towns × people × periods) and a
  trend sums it over ten years; nothing needs training figures by month.
- ``agg_sessions_month``: distinct (date, topic) sessions per kind; a session lies in one month, so
  sums over months and towns are the distinct counts of the ledger.
- ``agg_villages_quarter`` and ``agg_categories_quarter``: dispute counts by village and by category,
  for the mediation page's single-period rankings (quarters: the finest period).
- ``agg_town_months``: the months each town has any ledger row in, with the first and last day,
  for the warehouse's span and the periods that hold data (the sidebar).
- ``agg_officers``: not additive, so stored per period: every enforcement officer of every year,
  half-year and quarter of the warehouse's years (``agg_officers_span``), as
  ``officers.OFFICER_ROWS_SQL`` decides them, with hours and unit. Periods outside the span are
  computed on the fly; a write that changes the span rebuilds every town.

The month tables also keep the first and last day seen, for the warehouse's date span.

A warehouse written before these tables existed has no ``aggregates_state`` row of the current
``VERSION``: readers then aggregate the views on the fly (same SQL, slower) and the next write
rebuilds every town.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from analytics.semantic.measures import select_list
from analytics.semantic.officers import OFFICER_ROWS_SQL
from analytics.semantic.periods import Period, periods_between
from analytics.semantic.sql import with_periods

VERSION = 5  # bump when a table changes: readers of older files fall back, writers rebuild

# One SELECT per table over the views; ``{where}`` narrows it to some towns on a refresh.
_DEFINITIONS: dict[str, str] = {
    "disputes": """
        SELECT town, date_trunc('month', received_date)::DATE AS month,
               """
    + select_list(
        "disputes", ("total", "written", "oral", "joint", "pending", "success", "failed", "escalated", "referred")
    )
    + """,
               min(received_date) AS first_day, max(received_date) AS last_day
        FROM v_disputes WHERE {where}
        GROUP BY town, month""",
    "documents": """
        SELECT town, date_trunc('month', issued_date)::DATE AS month, filing_days, filing_working_days,
               """
    + select_list("documents", ("issued", "reviewed", "published", "filed"))
    + """,
               min(issued_date) AS first_day, max(issued_date) AS last_day
        FROM v_documents WHERE {where}
        GROUP BY town, month, filing_days, filing_working_days""",
    "training": """
        SELECT town, date_trunc('quarter', session_date)::DATE AS quarter, name,
               sum(coalesce(hours, 0)) AS hours,
               bool_or(coalesce(is_enforcement, false)) AS marked_enforcement
        FROM v_training WHERE name IS NOT NULL AND ({where})
        GROUP BY town, quarter, name""",
    "sessions": """
        SELECT town, date_trunc('month', session_date)::DATE AS month, kind,
               count(DISTINCT (session_date, coalesce(topic, ''))) AS sessions,
               min(session_date) AS first_day, max(session_date) AS last_day
        FROM v_training WHERE {where}
        GROUP BY town, month, kind""",
    "villages": """
        SELECT town, date_trunc('quarter', received_date)::DATE AS quarter, village,
               """
    + select_list("disputes", ("total", "success", "failed", "pending", "escalated"))
    + """
        FROM v_disputes WHERE {where}
        GROUP BY town, quarter, village""",
    "categories": """
        SELECT town, date_trunc('quarter', received_date)::DATE AS quarter, category, count(*) AS total
        FROM v_disputes WHERE {where}
        GROUP BY town, quarter, category""",
    # Built from the three month tables above (so it comes after them).
    "town_months": """
        SELECT town, month, min(first_day) AS first_day, max(last_day) AS last_day FROM (
            SELECT town, month, first_day, last_day FROM {agg_disputes} WHERE {where}
            UNION ALL SELECT town, month, first_day, last_day FROM {agg_documents} WHERE {where}
            UNION ALL SELECT town, month, first_day, last_day FROM {agg_sessions} WHERE {where}
        ) GROUP BY town, month""",
}

# The day each aggregate's rows are dated by, for a year-to-date cut (``fill(..., cut=...)``).
DATE_COLUMNS = {
    "disputes": "received_date",
    "documents": "issued_date",
    "training": "session_date",
    "sessions": "session_date",
    "villages": "received_date",
    "categories": "received_date",
}

TABLES = {
    "disputes": "agg_disputes_month",
    "documents": "agg_documents_month",
    "training": "agg_training_quarter",
    "sessions": "agg_sessions_month",
    "villages": "agg_villages_quarter",
    "categories": "agg_categories_quarter",
    "town_months": "agg_town_months",
}

# Years the stored officers cover: every year with a ledger row, a summary figure or a dated roster.
_SPAN_SQL = """
SELECT min(y), max(y) FROM (
    SELECT year(month) AS y FROM agg_disputes_month
    UNION ALL SELECT year(month) FROM agg_documents_month
    UNION ALL SELECT year(month) FROM agg_sessions_month
    UNION ALL SELECT year(quarter) FROM agg_training_quarter
    UNION ALL SELECT year(period_start) FROM v_dispute_summaries
    UNION ALL SELECT year(period_start) FROM v_document_summaries
    UNION ALL SELECT roster_year FROM v_staff
)"""


def definition(name: str, where: str = "true", built: bool = False) -> str:
    """The SELECT that computes aggregate ``name`` from the views (rows of active loads); an
    aggregate of aggregates reads their tables when ``built``, else their definitions."""
    text = _DEFINITIONS[name]
    sources = {n: TABLES[n] if built else f"({definition(n)})" for n in _DEFINITIONS if f"{{agg_{n}}}" in text}
    return text.format(where=where, **{f"agg_{n}": source for n, source in sources.items()})


def ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the aggregate tables exist and were built by this ``VERSION``.

    One statement (it runs before most reads): a file older than the table raises, and only
    readers can meet one, since every writer creates the schema first.
    """
    try:
        row = con.execute("SELECT max(version) FROM aggregates_state").fetchone()
    except duckdb.CatalogException:
        return False
    return row is not None and row[0] == VERSION


def relation(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """What to read aggregate ``name`` from: its table, or the views aggregated on the fly."""
    return TABLES[name] if ready(con) else f"({definition(name)})"


def cut_where(name: str, cut: str) -> str:
    """Rows of aggregate ``name`` dated on or before the month and day ``cut`` (``MM-DD``) of their year."""
    column = DATE_COLUMNS.get(name)
    return "true" if column is None else f"strftime({column}, '%m-%d') <= '{cut}'"


def fill(con: duckdb.DuckDBPyConnection, sql: str, cut: str | None = None) -> str:
    """``sql`` with each ``{agg_<name>}`` replaced by what to read that aggregate from.

    With ``cut`` (``MM-DD``, from ``periods.month_day_cut``, never user text) every aggregate is
    computed from the views with only the rows up to that day of each year: a period in progress
    and the same days a year earlier (year-to-date), which the stored whole-month tables can't give.
    """
    if cut is not None:
        assert len(cut) == 5 and cut[2] == "-" and (cut[:2] + cut[3:]).isdigit(), cut
        for name in _DEFINITIONS:
            sql = sql.replace(f"{{agg_{name}}}", f"({definition(name, cut_where(name, cut))})")
        return sql
    built = ready(con)
    for name in _DEFINITIONS:
        sql = sql.replace(f"{{agg_{name}}}", TABLES[name] if built else f"({definition(name)})")
    return sql


def refresh(con: duckdb.DuckDBPyConnection, towns: Iterable[str] | None = None) -> None:
    """Rebuild the aggregates of ``towns`` (every town when None or when not built yet).

    Runs in the caller's transaction; call it after the rows and load statuses are written.
    """
    rebuild_all = towns is None or not ready(con)
    wanted = sorted(set(towns or []))
    if not rebuild_all and not wanted:
        return
    for name, table in TABLES.items():
        if rebuild_all:
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} BY NAME {definition(name, built=True)}")
        else:
            chosen = "town IN (SELECT unnest($towns::VARCHAR[]))"
            con.execute(f"DELETE FROM {table} WHERE {chosen}", {"towns": wanted})
            con.execute(f"INSERT INTO {table} BY NAME {definition(name, chosen, built=True)}", {"towns": wanted})
    if rebuild_all:
        con.execute("DELETE FROM aggregates_state")
        con.execute("INSERT INTO aggregates_state VALUES (?, now()::TIMESTAMP)", [VERSION])
    _refresh_officers(con, None if rebuild_all else wanted)


def _span(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    row = con.execute("SELECT first_year, last_year FROM agg_officers_span").fetchone()
    return (int(row[0]), int(row[1])) if row else None


def _refresh_officers(con: duckdb.DuckDBPyConnection, towns: list[str] | None) -> None:
    """Store the officers of every period of the warehouse's years for ``towns`` (all when None).

    When the years change (a first load of a new year), every town is rebuilt for the new span.
    """
    row = con.execute(_SPAN_SQL).fetchone()
    span = (int(row[0]), int(row[1])) if row and row[0] is not None else None
    rebuild = towns is None or span != _span(con)
    if rebuild:
        con.execute("DELETE FROM agg_officers")
        con.execute("DELETE FROM agg_officers_span")
    if span is None:
        return
    # No roster and no attendance anywhere (a disputes-only warehouse): nothing to store.
    people = con.execute("SELECT EXISTS (SELECT 1 FROM v_staff) OR EXISTS (SELECT 1 FROM v_training)").fetchone()
    periods = [p for kind in ("year", "half", "quarter") for p in periods_between(span[0], span[1], kind)]
    ids = ", ".join(f"({i}, '{p.id}')" for i, p in enumerate(periods))
    insert = f"""INSERT INTO agg_officers
        SELECT pp.period, r.town, r.name, r.unit, r.from_roster, r.cert_valid_until, r.hours, r.trained
        FROM ({fill(con, with_periods(OFFICER_ROWS_SQL, periods))}) r
        JOIN (VALUES {ids}) AS pp(period_id, period) USING (period_id)
        ORDER BY pp.period_id, r.town, r.name"""
    for town in [None] if rebuild else (towns or []):
        if town is not None:
            con.execute("DELETE FROM agg_officers WHERE town = $town", {"town": town})
        if people == (True,):
            con.execute(insert, {"town": town})
    if rebuild:
        con.execute("INSERT INTO agg_officers_span VALUES (?, ?)", list(span))


def officers_cover(con: duckdb.DuckDBPyConnection, periods: Iterable[Period]) -> bool:
    """Whether ``agg_officers`` holds every one of ``periods``."""
    if not ready(con):
        return False
    span = _span(con)
    return span is not None and all(span[0] <= p.year <= span[1] for p in periods)


def towns_of_loads(con: duckdb.DuckDBPyConnection, load_ids: Iterable[int]) -> list[str]:
    """Towns with ledger rows in any of the loads (rows carry their own town, which a sheet may mix)."""
    ids = sorted(set(load_ids))
    if not ids:
        return []
    rows = con.execute(
        """SELECT town FROM disputes WHERE load_id IN (SELECT unnest($ids::INTEGER[]))
           UNION SELECT town FROM documents WHERE load_id IN (SELECT unnest($ids::INTEGER[]))
           UNION SELECT town FROM training WHERE load_id IN (SELECT unnest($ids::INTEGER[]))
           UNION SELECT town FROM staff WHERE load_id IN (SELECT unnest($ids::INTEGER[]))""",
        {"ids": ids},
    ).fetchall()
    return sorted(r[0] for r in rows)


def refresh_loads(con: duckdb.DuckDBPyConnection, load_ids: Iterable[int]) -> None:
    """Rebuild the aggregates of every town whose rows these loads hold (added, replaced, undone or restored)."""
    refresh(con, towns_of_loads(con, load_ids))
