"""Computing the catalogue's metrics in DuckDB for any set of periods and one town or all.

Each dataset has one aggregate query that covers many periods at once (a trend is one query, not
one per year). Ledgers are read through their monthly aggregates (``analytics.semantic.aggregates``): every
period is a set of whole months, so a period joins its months by equality, never a date range over
the rows. Where a detail ledger and a summary sheet cover the same town and period the
ledger wins; summary figures are used only where no ledger rows exist, and are marked so. That is
read per part of the period: a summary row for a part the ledger has no row in (上半年, before a
ledger kept from July) adds to the ledger's rows of the rest, and the period's source is "mixed".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from analytics import db, settings
from analytics.semantic import aggregates, registers
from analytics.semantic.catalogue import METRICS, Metric
from analytics.semantic.measures import Count, Mean, Ratio, any_of, condition, select_list
from analytics.semantic.officers import OFFICER_ROWS_SQL
from analytics.semantic.periods import Period, month_day_cut
from analytics.semantic.sql import Query, gap_ctes, gap_sum, summary_ctes, whole_sum, with_periods


@dataclass(frozen=True)
class Value:
    """One metric in one period: the figure with the counts it rests on."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    source: str | None = None  # "ledger" | "summary" | "mixed" | "reported" | None (no data)


NO_DATA = Value(None)


def _ledger_towns_cte(aggregate: str, summaries: str) -> tuple[str, str]:
    """(period, town) pairs with ledger rows, for the towns that also have summary figures: there
    the ledger wins."""
    return ("ledger_towns", f"""
    SELECT DISTINCT pm.period_id, d.town
    FROM {{period_months}} JOIN {{{aggregate}}} d ON d.month = pm.month
    WHERE d.town IN (SELECT town FROM {summaries}) AND ($town IS NULL OR d.town = $town)""")  # fmt: skip


def _covered(aggregate: str) -> str:
    """A summary row ``g``'s period has ledger rows of its town (``gap_ctes``)."""
    return f"""EXISTS (SELECT 1 FROM {{{aggregate}}} d
                   WHERE d.town = g.town AND d.month >= g.period_start AND d.month < g.period_end)"""


def _combined(figures: str) -> tuple[str, str]:
    """Ledger rows first; summary rows for (period, town) pairs no ledger covers; and where the ledger
    has rows, the summary's parts it has none in (``gap_ctes``), given as ``figures``, marked ``gap``."""
    return ("combined", f"""
    SELECT *, 'ledger' AS source FROM ledger
    UNION ALL BY NAME
    SELECT *, 'summary' AS source FROM summary s
    WHERE NOT EXISTS (SELECT 1 FROM ledger_towns l WHERE l.period_id = s.period_id AND l.town = s.town)
    UNION ALL BY NAME
    SELECT period_id, town, {figures}, 'summary' AS source, true AS gap FROM sgap_parts s
    WHERE EXISTS (SELECT 1 FROM ledger_towns l WHERE l.period_id = s.period_id AND l.town = s.town)""")  # fmt: skip


LEDGER_ONLY = "SELECT *, 'ledger' AS source FROM ledger"  # a warehouse without summary sheets

# A summary row's failures: typed or worked out from its 调解数/调解中 (etl), else all it did not settle;
# and its cases still in mediation. A file written before these columns has neither (``_old_summaries``).
_SUMMARY_FAILED = "coalesce(failed, disputes_total - success)"
_SUMMARY_PENDING = "pending + 0"
_OLD_SUMMARY = (
    ("coalesce(failed, disputes_total - success)", "(disputes_total - success)"),
    ("pending + 0", "NULL::INTEGER"),
)
# A summary row's figures, summed over the parts that tile a period (or fill a ledger's gaps).
_DISPUTE_SUMS = ", ".join(
    whole_sum(e, a)
    for e, a in (("disputes_total", "total"), ("written", "written"), ("oral", "oral"), ("joint", "joint"),
                 ("success", "success"), (_SUMMARY_FAILED, "failed"), (_SUMMARY_PENDING, "pending"))
)  # fmt: skip
_DOCUMENT_SUMS = ", ".join(
    whole_sum(e, a)
    for e, a in (("issued", "issued"), ("reviewed", "reviewed"), ("published", "published"), ("filed", "filed"),
                 ("filed_timely", "timely"))
)  # fmt: skip

DISPUTES = Query(
    (
        ("ledger", """
    SELECT pm.period_id,
           sum(d.total)::BIGINT AS total, sum(d.written)::BIGINT AS written, sum(d.oral)::BIGINT AS oral,
           sum(d.joint)::BIGINT AS joint, sum(d.pending)::BIGINT AS pending, sum(d.success)::BIGINT AS success,
           sum(d.failed)::BIGINT AS failed,
           -- a month with rows of a sheet that has no 激化 column leaves the period's count unknown
           CASE WHEN count(d.escalated) = count(*) THEN sum(d.escalated) END::BIGINT AS escalated,
           sum(d.referred)::BIGINT AS referred,
           NULL::DOUBLE AS reported_rate
    FROM {period_months} JOIN {agg_disputes} d ON d.month = pm.month
    WHERE $town IS NULL OR d.town = $town
    GROUP BY ALL"""),
        _ledger_towns_cte("agg_disputes", "v_dispute_summaries"),
        *summary_ctes("v_dispute_summaries", _DISPUTE_SUMS),
        *gap_ctes(_DISPUTE_SUMS, _covered("agg_disputes")),
        # a summary row's pending disputes are those it types (调解中), and no failures
        ("summary", f"""
    SELECT period_id, town, disputes_total AS total, written, oral, joint, {_SUMMARY_PENDING} AS pending,
           success, {_SUMMARY_FAILED} AS failed, NULL::BIGINT AS escalated, NULL::BIGINT AS referred,
           reported_rate
    FROM sexact
    UNION ALL BY NAME
    SELECT period_id, town, total, written, oral, joint, pending, success,
           failed, NULL::BIGINT AS escalated, NULL::BIGINT AS referred, NULL::DOUBLE AS reported_rate
    FROM sparts s WHERE NOT EXISTS (SELECT 1 FROM sexact e WHERE e.period_id = s.period_id AND e.town = s.town)"""),
        _combined("total, written, oral, joint, success, failed, pending"),
    ),
    f"""
SELECT period_id, {", ".join(gap_sum(n) for n in ("total", "written", "oral", "joint"))},
       sum(pending) AS pending, {gap_sum("success")}, {gap_sum("failed")},
       {gap_sum("escalated")}, {gap_sum("referred")},
       CASE WHEN count(*) = 1 THEN any_value(reported_rate) END AS reported_rate,
       CASE WHEN count(DISTINCT source) > 1 THEN 'mixed' ELSE any_value(source) END AS source
FROM combined GROUP BY period_id""",
)  # fmt: skip

DOCUMENTS = Query(
    (
        ("ledger", """
    SELECT pm.period_id,
           sum(d.issued)::BIGINT AS issued, sum(d.reviewed)::BIGINT AS reviewed,
           sum(d.published)::BIGINT AS published, sum(d.filed)::BIGINT AS filed,
           coalesce(sum(d.filed) FILTER (WHERE {days_column} BETWEEN 0 AND $deadline), 0)::BIGINT AS timely,
           NULL::DOUBLE AS reported_review_rate, NULL::DOUBLE AS reported_publication_rate,
           NULL::DOUBLE AS reported_filing_rate
    FROM {period_months} JOIN {agg_documents} d ON d.month = pm.month
    WHERE $town IS NULL OR d.town = $town
    GROUP BY ALL"""),
        _ledger_towns_cte("agg_documents", "v_document_summaries"),
        *summary_ctes("v_document_summaries", _DOCUMENT_SUMS),
        *gap_ctes(_DOCUMENT_SUMS, _covered("agg_documents")),
        ("summary", """
    SELECT period_id, town, issued, reviewed, published, filed, filed_timely AS timely,
           reported_review_rate, reported_publication_rate, reported_filing_rate
    FROM sexact
    UNION ALL BY NAME
    SELECT period_id, town, issued, reviewed, published, filed, timely
    FROM sparts s WHERE NOT EXISTS (SELECT 1 FROM sexact e WHERE e.period_id = s.period_id AND e.town = s.town)"""),
        _combined("issued, reviewed, published, filed, timely"),
    ),
    f"""
SELECT period_id, {", ".join(gap_sum(n) for n in ("issued", "reviewed", "published", "filed", "timely"))},
       CASE WHEN count(*) = 1 THEN any_value(reported_review_rate) END AS reported_review_rate,
       CASE WHEN count(*) = 1 THEN any_value(reported_publication_rate) END AS reported_publication_rate,
       CASE WHEN count(*) = 1 THEN any_value(reported_filing_rate) END AS reported_filing_rate,
       CASE WHEN count(DISTINCT source) > 1 THEN 'mixed' ELSE any_value(source) END AS source
FROM combined GROUP BY period_id""",
)  # fmt: skip

TRAINING = Query(
    (
        ("officer_rows", "SELECT * FROM {officer_rows}"),
        ("sessions", f"""
    SELECT pm.period_id,
           coalesce(sum(t.sessions) FILTER (WHERE {condition("events", "study_meetings")}), 0)::BIGINT AS study_meetings,
           coalesce(sum(t.sessions) FILTER (WHERE {condition("events", "mediator_trainings")}), 0)::BIGINT
               AS mediator_trainings
    FROM {{period_months}} JOIN {{sessions}} t ON t.month = pm.month
    WHERE $town IS NULL OR t.town = $town
    GROUP BY pm.period_id"""),
        ("per_officer", f"""
    SELECT o.period_id, sum(o.hours) AS hours,
           {select_list("officers", ("staff", "known", "trained", "compliant", "rostered", "certified"))}
    FROM officer_rows o JOIN {{periods}} USING (period_id)
    GROUP BY o.period_id"""),
    ),
    """
SELECT coalesce(o.period_id, s.period_id) AS period_id, o.staff, o.known, o.trained, o.hours, o.compliant,
       o.rostered, o.certified, s.study_meetings, s.mediator_trainings
FROM per_officer o FULL JOIN sessions s USING (period_id)""",
)  # fmt: skip
DISPUTES_SQL, DOCUMENTS_SQL, TRAINING_SQL = DISPUTES.text(), DOCUMENTS.text(), TRAINING.text()

# The training register's sessions and the work register's 学习会 and 调解员培训, each month the larger
# of the two registers' counts of a kind for the town: a meeting both record (the work register lists
# it, the training register names who attended) counts once, and one only the work register lists
# still counts (2024: March in both, October in the work register only: 2 meetings, not 1). Two
# meetings of one month each in one register only count once; 数据核对 lists the dates the registers
# don't share (README: 工作台账). Without work-register rows of those kinds, the sessions alone.
_TRAINING_KINDS = any_of("events", "study_meetings", "mediator_trainings")
SESSIONS_ONLY = "{agg_sessions}"
SESSIONS_WITH_EVENTS = f"""(
    SELECT town, month, kind, max(sessions) AS sessions
    FROM (SELECT town, month, kind, sessions FROM {{agg_sessions}}
          UNION ALL
          SELECT e.town, date_trunc('month', e.event_date)::DATE AS month, e.kind,
                 count(DISTINCT (e.event_date, coalesce(e.description, ''))) AS sessions
          FROM v_events e
          WHERE ({_TRAINING_KINDS}) AND ($town IS NULL OR e.town = $town) AND {{events_cut}}
          GROUP BY ALL)
    GROUP BY ALL)"""


def officer_rows(con: duckdb.DuckDBPyConnection, periods: list[Period], cut: str | None = None) -> str:
    """A parenthesised relation of ``OFFICER_ROWS_SQL``'s columns for ``periods`` (``period_id`` by
    position): read from ``agg_officers`` when it holds every period, else (or for a year-to-date
    ``cut``) computed on the fly."""
    if cut is None and aggregates.officers_cover(con, periods):
        ids = ", ".join(f"({i}, '{p.id}')" for i, p in enumerate(periods))
        return f"""(
    SELECT pp.period_id, o.town, o.name, o.unit, o.from_roster, o.cert_valid_until, o.hours, o.trained
    FROM (VALUES {ids}) AS pp(period_id, period) JOIN agg_officers o USING (period)
    WHERE $town IS NULL OR o.town = $town)"""
    return f"({OFFICER_ROWS_SQL})"


def render(con: duckdb.DuckDBPyConnection, sql: str, periods: list[Period], cut: str | None = None) -> str:
    """Fill in the officers, the periods, their months and where each aggregate is read from
    (with ``cut``, ``MM-DD``: only the days of each year up to it, for a year-to-date comparison)."""
    if "{officer_rows}" in sql:
        sql = sql.replace("{officer_rows}", officer_rows(con, periods, cut))
    return aggregates.fill(con, with_periods(sql, periods, cut), cut)


def _run(
    con: duckdb.DuckDBPyConnection, sql: str, periods: list[Period], params: dict[str, Any], cut: str | None = None
) -> dict[str, dict[str, Any]]:
    frame = con.execute(render(con, sql, periods, cut), params).df()
    return {periods[int(row["period_id"])].id: row for row in frame.to_dict("records")}


def _num(value: Any) -> float | None:
    """A SQL number as float, NULL/NaN as None."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _source(row: dict[str, Any]) -> str:
    return str(row.get("source") or "ledger")  # the training query reads ledgers only


def value_of(metric: Metric, row: dict[str, Any] | None) -> Value:
    """One metric's value from its dataset's query row, by the metric's declared formula.

    A missing row is no data; a zero base is no data; a rate typed on a summary sheet without its
    counts is shown as "reported".
    """
    formula = metric.formula
    if row is None:
        return NO_DATA
    if isinstance(formula, Count):
        number = _num(row.get(formula.measure))
        if number is None or (formula.zero_is_no_data and not number):
            return NO_DATA
        return Value(number, source=_source(row))
    if isinstance(formula, Mean):
        total, count = _num(row.get(formula.total)), _num(row.get(formula.count))
        return Value(total / count, total, count, _source(row)) if count and total is not None else NO_DATA
    assert isinstance(formula, Ratio)
    num = _num(row.get(formula.numerator))
    parts = [_num(row.get(name)) for name in formula.denominator]
    den = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
    if num is not None and den:
        return Value(num / den, num, den, _source(row))
    if formula.no_cases and num is not None and den == 0:
        return Value(None, num, den, _source(row))  # the register was kept and had no case: 无案件
    reported = _num(row.get(formula.reported)) if formula.reported else None
    if reported is not None:
        return Value(reported, None, None, "reported")
    return NO_DATA


# A period in progress is compared by its ledger rows up to a day of the year: a summary sheet's
# figure covers its whole period and can't be cut.
LEDGER_ONLY_DISPUTES = DISPUTES.upto("ledger", LEDGER_ONLY).text()
LEDGER_ONLY_DOCUMENTS = DOCUMENTS.upto("ledger", LEDGER_ONLY).text()


def filing_days_column() -> str:
    """Which stored day count the filing deadline is measured in (a setting)."""
    _, kind = settings.filing_deadline()
    return "d.filing_working_days" if kind == "working" else "d.filing_days"


def _without_summaries(con: duckdb.DuckDBPyConnection, query: Query, view: str) -> str:
    """``query`` whole when ``view`` (summary sheets) has rows; else only its ledger part, which
    plans in a fraction of the time (at province scale planning is most of a query's cost)."""
    if con.execute(f"SELECT EXISTS (SELECT 1 FROM {view})").fetchone() == (True,):
        return query.text()
    return query.upto("ledger", LEDGER_ONLY).text()


def _disputes(
    con: duckdb.DuckDBPyConnection, periods: list[Period], town: str | None, cut: str | None = None
) -> dict[str, dict[str, Any]]:
    query = LEDGER_ONLY_DISPUTES if cut else _without_summaries(con, DISPUTES, "v_dispute_summaries")
    if _old_summaries(con):
        for new, old in _OLD_SUMMARY:
            query = query.replace(new, old)
    return _run(con, query, periods, {"town": town}, cut)


def _old_summaries(con: duckdb.DuckDBPyConnection) -> bool:
    """A warehouse written before summary rows had 调解失败数 and 调解中 (read-only until its next write)."""
    names = {d[0] for d in con.execute("SELECT * FROM v_dispute_summaries LIMIT 0").description}
    return "failed" not in names


def _documents(
    con: duckdb.DuckDBPyConnection, periods: list[Period], town: str | None, cut: str | None = None
) -> dict[str, dict[str, Any]]:
    deadline, _ = settings.filing_deadline()
    query = LEDGER_ONLY_DOCUMENTS if cut else _without_summaries(con, DOCUMENTS, "v_document_summaries")
    sql = query.replace("{days_column}", filing_days_column())
    return _run(con, sql, periods, {"town": town, "deadline": deadline}, cut)


def _training_kind_events(con: duckdb.DuckDBPyConnection) -> bool:
    if not db.has_view(con, "v_events"):
        return False
    return con.execute(f"SELECT EXISTS (SELECT 1 FROM v_events WHERE {_TRAINING_KINDS})").fetchone() == (True,)


def _training(
    con: duckdb.DuckDBPyConnection, periods: list[Period], town: str | None, cut: str | None = None
) -> dict[str, dict[str, Any]]:
    sessions = SESSIONS_WITH_EVENTS if _training_kind_events(con) else SESSIONS_ONLY
    # the work register's sessions stop at the same day of the year, as the ledgers' rows do
    events_cut = f"strftime(e.event_date, '%m-%d') <= '{cut}'" if cut else "true"
    sql = TRAINING_SQL.replace("{sessions}", sessions).replace("{events_cut}", events_cut)
    return _run(con, sql, periods, {"town": town, "hours_per_year": settings.study_hours_per_year()}, cut)


# Each dataset's query; a row of it becomes the values of the metrics declared on that dataset.
_QUERIES = {
    "disputes": _disputes,
    "documents": _documents,
    "training": _training,
    "cases": registers.cases,
    "disclosures": registers.disclosure_rows,
    "legality_reviews": registers.legality_reviews,
    "events": registers.events,
}


def compute(
    con: duckdb.DuckDBPyConnection,
    periods: list[Period],
    town: str | None = None,
    metric_ids: Iterable[str] | None = None,
    until: date | None = None,
) -> dict[str, dict[str, Value]]:
    """Metrics of the catalogue for each period: ``{period_id: {metric_id: Value}}``.

    Every metric by default; with ``metric_ids``, only those, and only their datasets are queried
    (a trend of dispute figures does not pay for the training query). With ``until``, every period
    counts only its days up to ``until``'s month and day (year-to-date: a period in progress and
    the same days a year earlier), from the ledgers' rows rather than the monthly aggregates.
    """
    cut = month_day_cut(until) if until else None
    if not periods:
        return {}
    wanted = [m.id for m in METRICS] if metric_ids is None else list(dict.fromkeys(metric_ids))
    values: dict[str, dict[str, Value]] = {p.id: {} for p in periods}
    for dataset, query in _QUERIES.items():
        metrics = [m for m in METRICS if m.dataset == dataset and m.id in wanted]
        if not metrics:
            continue
        rows = query(con, periods, town, cut)
        for period in periods:
            row = rows.get(period.id)
            values[period.id].update({m.id: value_of(m, row) for m in metrics})
    return {period.id: {metric_id: values[period.id][metric_id] for metric_id in wanted} for period in periods}
