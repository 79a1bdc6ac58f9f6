"""When a disclosure request (依申请公开) is due, judged when read, since the limit is a setting.

A request is due the ``limit``-th working day after its start (the receipt, or the corrected
application after a 补正), ``limit + extension`` when the extension was approved, counting from the
day after the start (民法典第201条: 开始的当日不计入), so a request received on a Saturday or in a
holiday has its 20 working days from the next working day, not 21; working days
follow China's official calendar with its 调休 make-up days (``chinese-calendar``, the package the
documents register counts its working days with). Past the calendar's last year the due date is
unknown (None): such a request is neither in time nor late, and the page says so.

``dues(con, town)`` is a VALUES relation of (received_date, start_date, extended, due_date) for every
distinct request start in the register; the metric query (``analytics.semantic.metrics``) and the
page's lists (``analytics.queries.disclosures``) join it, so the two can't disagree.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import duckdb

from analytics import db, settings

EMPTY_DUES = "(SELECT NULL::DATE AS received_date, NULL::DATE AS start_date, NULL::BOOLEAN AS extended, NULL::DATE AS due_date WHERE false) AS u"


@lru_cache(maxsize=65536)
def due_date(received: date, start: date, extended: bool) -> date | None:
    """The last day a reply is in time, or None where the official calendar has no data."""
    import chinese_calendar

    limit, extension = settings.disclosure_limit(received)
    days = limit + (extension if extended else 0)
    if days <= 0:
        return start
    try:
        # find_workday(0, d) is d itself when d is a working day, else the next one: day 1 of the limit
        return chinese_calendar.find_workday(days - 1, start + timedelta(days=1))  # type: ignore[no-any-return]
    except NotImplementedError:
        return None


def workdays_until(today: date, due: date) -> int | None:
    """Working days from ``today`` (exclusive) up to ``due`` (inclusive); 0 when due today or past."""
    import chinese_calendar

    if due <= today:
        return 0
    try:
        return len(chinese_calendar.get_workdays(date.fromordinal(today.toordinal() + 1), due))
    except NotImplementedError:
        return None


def has_register(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has the register's view (a file written before it existed has not)."""
    return db.has_view(con, "v_disclosures")


def dues(con: duckdb.DuckDBPyConnection, town: str | None) -> str:
    """The due date of every distinct request start, as a VALUES relation aliased ``u`` (dates we
    computed, never user text)."""
    rows = con.execute(
        "SELECT DISTINCT received_date, start_date, extended FROM v_disclosures WHERE $town IS NULL OR town = $town",
        {"town": town},
    ).fetchall()
    if not rows:
        return EMPTY_DUES
    values = []
    for received, start, extended in rows:
        due = due_date(received, start, bool(extended))
        due_sql = f"DATE '{due.isoformat()}'" if due else "NULL::DATE"
        values.append(
            f"(DATE '{received.isoformat()}', DATE '{start.isoformat()}', {str(bool(extended)).lower()}, {due_sql})"
        )
    return f"(VALUES {', '.join(values)}) AS u(received_date, start_date, extended, due_date)"


def judged(con: duckdb.DuckDBPyConnection, town: str | None) -> str:
    """The register's rows of ``town`` (all when None) with their due date, as a parenthesised query."""
    return f"""(
    SELECT d.*, u.due_date
    FROM v_disclosures d LEFT JOIN {dues(con, town)} USING (received_date, start_date, extended)
    WHERE $town IS NULL OR d.town = $town)"""
