"""The metric queries of the four registers of the whole report, with the work summary sheet's old years.

The registers (行政复议和行政应诉, 依申请公开, 合法性审查, 工作台账) are small (a town's few cases,
requests, reviews and events a year), so their queries read the views directly, a period joining
its rows by date range, counted per town. The work summary sheet (法治工作汇总表, ``v_work_summaries``)
types old years' figures under the registers' measure names; a town and period with no register
row takes them (an exact period, else parts that tile it), so the register wins, as the dispute
and document summary sheets do; where the register has rows in a period, a summary row for a part
of it the register has none in (上半年, before a register kept from July) adds to them. A town's
register has counts, 0 included, in the periods it covers (the years from its first row's to its
last's, widened to the year its title names: ``_cover``); a period it does not cover (a year before it began, the year after the one
its title names), or one only a summary could give and doesn't, has no data, and so has the sum of
all towns where one of them has none. A year-to-date ``cut`` reads the registers only: a summary's figure covers
its whole period and can't be cut.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import duckdb

from analytics.semantic import disclosures
from analytics.semantic.measures import condition, select_list
from analytics.semantic.periods import Period
from analytics.semantic.sql import (
    Query,
    cut_end,
    gap_ctes,
    gap_sum,
    last_part,
    summary_ctes,
    whole_sum,
    with_periods,
)

SUMMARIES = "v_work_summaries"
CASE_MEASURES = (
    "reconsideration", "reconsideration_decided", "reconsideration_corrected", "litigation", "hearings",
    "head_appeared", "first_instance_concluded", "lost", "judgments_due", "judgments_complied",
)  # fmt: skip
DISCLOSURE_MEASURES = ("requests", "on_time", "late", "overdue")
# Counted on a period's last day, not over its days (逾期未答复: 期末已过答复期限仍未答复): a period's
# figure is its last part's, never the parts' sum. A year of halves whose first half had 1 overdue and
# whose second says 0 had none on 31 December.
STOCKS = frozenset({"overdue"})
REVIEW_MEASURES = ("major_decisions", "major_reviewed", "contracts", "contracts_reviewed")
EVENT_MEASURES = ("reports", "publicity", "supervised_quarters", "quarters")


def _summary_rows(names: tuple[str, ...]) -> str:
    """The work summary's rows that give any of ``names`` (of this town, or all)."""
    given = " OR ".join(f"{name} IS NOT NULL" for name in names if name != "quarters")
    return f"(SELECT * FROM {SUMMARIES} WHERE ({given}) AND ($town IS NULL OR town = $town))"


def _combined(
    names: tuple[str, ...],
    summaries: bool,
    dated: tuple[str, str],
    figures: str | None = None,
    gap_figures: str | None = None,
) -> tuple[tuple[str, str], ...]:
    """CTEs ending in ``combined``: the ``ledger`` CTE's rows (per period and town), and where
    ``summaries``, the summary's for the (period, town) pairs the register has no row in, and for
    those it has rows in, the summary's parts of the period it has none in (``gap_ctes``: a
    上半年 row before a register kept from July), marked ``gap``.
    ``dated``: the register's rows (a CTE) and their date column. ``figures``: how a summary row
    gives ``names`` (default: its columns of those names); ``gap_figures``: how a part does."""
    if not summaries:
        return (("combined", "SELECT *, 'ledger' AS source, false AS gap FROM ledger"),)
    figures = figures or ", ".join(names)
    rows, column = dated
    covered = f"""EXISTS (SELECT 1 FROM {rows} x
                   WHERE x.town = g.town AND x.{column} >= g.period_start AND x.{column} < g.period_end)"""
    sums = ", ".join(
        last_part(name) if name in STOCKS else whole_sum(name, name) for name in names if name != "quarters"
    )
    # where a stock's parts are read into a ledger's period: the last part's end, to tell whether it is the period's
    ends = ", max(period_end) AS s_end" if STOCKS.intersection(names) else ""
    return (
        *summary_ctes(_summary_rows(names), sums + (", sum(s_months) AS s_months" if "quarters" in names else "")),
        *gap_ctes(sums + ends, covered),
        ("summary", f"""
    SELECT period_id, town, {figures} FROM sexact
    UNION ALL BY NAME
    SELECT period_id, town, {figures} FROM sparts s
    WHERE NOT EXISTS (SELECT 1 FROM sexact e WHERE e.period_id = s.period_id AND e.town = s.town)"""),
        ("combined", f"""
    SELECT *, 'ledger' AS source FROM ledger
    UNION ALL BY NAME
    SELECT *, 'summary' AS source FROM summary s
    WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.period_id = s.period_id AND l.town = s.town)
    UNION ALL BY NAME
    SELECT period_id, town, {gap_figures or figures}{', s_end' if ends else ''}, 'summary' AS source, true AS gap FROM sgap_parts s
    WHERE EXISTS (SELECT 1 FROM ledger l WHERE l.period_id = s.period_id AND l.town = s.town)"""),
    )  # fmt: skip


def _cover(rows: str, column: str, titled: bool) -> tuple[str, str]:
    """The ``cover`` CTE: per town, the years each loaded register file covers (``c_from`` to
    ``c_to``, exclusive: whole years), from its first row's year to its last's, widened to the years
    its sheets' titles name (珠龙镇2024年…台账 covers 2024 with no row in December, and says nothing
    of 2025). A file, not a sheet: a register kept as a 行政复议 sheet with its one case of 2012 and a
    行政应诉 sheet running to 2025 covers 2012–2025, as the person keeping it means. ``titled``: the
    warehouse records sheets' title years (``load_sheets.title_year``)."""
    year = "s.title_year" if titled else "NULL::INTEGER"
    sheets = "LEFT JOIN load_sheets s USING (load_id, sheet)" if titled else ""
    return ("cover", f"""
    SELECT x.town, make_date(least(year(min(x.{column})), min({year})), 1, 1) AS c_from,
           make_date(greatest(year(max(x.{column})), max({year})) + 1, 1, 1) AS c_to
    FROM {rows} x {sheets} WHERE x.{column} IS NOT NULL
    GROUP BY x.load_id, x.town""")  # fmt: skip


def _covered(period: str, town: str) -> str:
    """SQL: the register of ``town`` covers the whole of the period ``period`` (a ``cover`` span)."""
    return f"""EXISTS (SELECT 1 FROM cover v WHERE v.town = {town}
                   AND v.c_from <= {period}.start_d AND v.c_to >= {period}.end_d)"""


def _totals(names: tuple[str, ...], cover: bool, stocks: bool = False) -> str:
    """Each period's sums over ``combined``. With ``cover`` (a ``cover`` CTE, ``_cover``), a period a
    town keeping the register has no row or figure in counts 0 for it only where its register covers
    the period; where it does not (the years before its register began, the year after the one its
    title names, a town of a county's register whose rows stop), the period has no data (NULL): a
    year no register covered is no year without cases, and a sum over the towns that are covered is
    no figure of them all. Without ``cover``, a period with no row has no data. A figure a summary
    row leaves blank stays NULL, and so does the period's where a summary part read into a
    register's period leaves it blank (``gap_sum``).

    ``stocks``: ``combined`` has summary parts' ends (``s_end``), and a figure of ``STOCKS`` is each
    town's on the period's last day, summed over towns: the ledger's (counted as of the period's
    end), unless a summary part read into it ends on that day (a 下半年 row after a register kept
    to June), which then says it."""
    sums = ", ".join(_stock_sum(name) if stocks and name in STOCKS else gap_sum(name) for name in names)
    if cover:
        missing = f"""EXISTS (SELECT 1 FROM (SELECT DISTINCT town FROM cover) k
            WHERE NOT EXISTS (SELECT 1 FROM combined c WHERE c.period_id = p.period_id AND c.town = k.town)
              AND NOT {_covered("p", "k.town")})"""
        zeros = ", ".join(
            f"CASE WHEN {missing} THEN NULL WHEN t.period_id IS NOT NULL THEN t.{name} "
            f"WHEN EXISTS (SELECT 1 FROM cover) THEN 0 END AS {name}"
            for name in names
        )
    else:
        zeros = ", ".join(f"CASE WHEN t.period_id IS NOT NULL THEN t.{name} END AS {name}" for name in names)
    said = "CASE WHEN c.gap AND c.s_end >= p.end_d THEN 2 WHEN c.gap THEN 0 ELSE 1 END"
    rows = (
        f"""(SELECT c.*, {said} AS said, max({said}) OVER (PARTITION BY c.period_id, c.town) AS latest
         FROM combined c JOIN {{periods}} USING (period_id))"""
        if stocks
        else "combined"
    )
    return f"""
SELECT p.period_id, {zeros}, coalesce(t.source, 'ledger') AS source
FROM {{periods}} LEFT JOIN (
    SELECT period_id, {sums}, CASE WHEN count(DISTINCT source) > 1 THEN 'mixed' ELSE any_value(source) END AS source
    FROM {rows} GROUP BY period_id) t USING (period_id)"""


def _stock_sum(name: str) -> str:
    """A stock summed over towns, each town's from its row that speaks for the period's last day
    (``said = latest``); NULL where that row is a summary part that leaves it blank, as ``gap_sum``,
    and where an earlier summary part (a 上半年 row before a register kept from July) ends with some:
    the register holds none of those requests, so it can't say whether they were answered by the
    period's end, and its 0 would drop them."""
    return (
        f"CASE WHEN bool_or(said = latest AND gap AND {name} IS NULL) IS NOT TRUE "
        f"AND bool_or(said < latest AND gap AND {name} > 0) IS NOT TRUE "
        f"THEN sum({name}) FILTER (WHERE said = latest) END AS {name}"
    )


def cases_sql(summaries: bool, titled: bool = True) -> str:
    """Counts of the cases register, and the streak of years without a reconsideration case up to
    each period's end (``_streak_ctes``)."""
    query = Query(
        (
            ("c", "SELECT * FROM v_cases WHERE $town IS NULL OR town = $town"),
            ("ledger", f"""
    SELECT p.period_id, c.town, {select_list("cases", CASE_MEASURES)}
    FROM {{periods}} JOIN c ON c.received_date >= p.start_d AND c.received_date < p.end_d
    GROUP BY ALL"""),
            _cover("c", "received_date", titled),
            *_combined(CASE_MEASURES, summaries, ("c", "received_date")),
            ("totals", _totals(CASE_MEASURES, True)),
            *_streak_ctes(summaries),
        ),
        f"""
SELECT t.*, s.streak
FROM totals t LEFT JOIN streaks s USING (period_id)
WHERE coalesce({', '.join(f't.{name}' for name in CASE_MEASURES)}) IS NOT NULL OR s.streak IS NOT NULL""",
    )  # fmt: skip
    return query.text()


def _streak_ctes(summaries: bool) -> tuple[tuple[str, str], ...]:
    """CTEs ending in ``streaks``: per period, the years without a reconsideration case up to its end
    year, counted only over years known to have had none. A town's year is known where its register
    covers it (the years from its ``cover`` spans' first to last, a sheet's title year included) or
    the summary sheet gives its 行政复议 figure for the whole year (a year row, or both halves); a
    year no register covers, or one whose half is left blank, ends the streak, and where the period's
    own year is unknown there is none (自2023年以来未出现 is said of no year nobody counted). All
    towns together: the shortest town's streak, none if any town's is unknown (各乡镇…自2014年以来
    would say it of a town whose register began in 2024)."""
    uncovered = """NOT EXISTS (SELECT 1 FROM c WHERE c.town = s.town AND c.received_date >= s.period_start
                               AND c.received_date < s.period_end)"""
    summary_days = (
        f"""
    UNION ALL SELECT town, period_start FROM {_summary_rows(("reconsideration",))} s
    WHERE reconsideration > 0 AND {uncovered}"""
        if summaries
        else ""
    )
    summary_years = (
        f"""
    UNION
    SELECT town, y FROM (
        SELECT DISTINCT town, year(period_start) AS y, period_start, period_end
        FROM {_summary_rows(("reconsideration",))} s WHERE reconsideration IS NOT NULL)
    GROUP BY town, y HAVING sum(date_diff('month', period_start, period_end)) >= 12"""
        if summaries
        else ""
    )
    return (
        ("case_days", f"SELECT town, received_date AS d FROM c WHERE {condition('cases', 'reconsideration')}{summary_days}"),
        ("known", f"SELECT DISTINCT town, unnest(range(year(c_from), year(c_to - 1) + 1)) AS y FROM cover{summary_years}"),
        ("town_streaks", """
    SELECT p.period_id, year(p.end_d - 1) AS ye,
           (SELECT max(year(x.d)) FROM case_days x WHERE x.town = w.town AND x.d < p.end_d) AS last_case,
           EXISTS (SELECT 1 FROM known k WHERE k.town = w.town AND k.y = year(p.end_d - 1)) AS ye_known,
           (SELECT max(g.y) FROM (SELECT unnest(range((SELECT min(y) FROM known m WHERE m.town = w.town) - 1,
                                                      year(p.end_d - 1) + 1)) AS y) g
            WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.town = w.town AND k.y = g.y)) AS unknown
    FROM {periods} CROSS JOIN (SELECT town FROM known UNION SELECT town FROM case_days) w"""),
        ("streaks", """
    SELECT period_id, CASE WHEN bool_and(streak IS NOT NULL) THEN min(streak) END AS streak
    FROM (SELECT period_id, CASE WHEN last_case = ye THEN 0
                                 WHEN ye_known THEN ye - greatest(last_case, unknown) END AS streak
          FROM town_streaks)
    GROUP BY period_id"""),
    )  # fmt: skip


def disclosures_sql(summaries: bool, titled: bool = True) -> str:
    """Requests received in the period (in time, late) and those open past their limit at its end."""
    query = Query(
        (
            ("r", "SELECT * FROM {judged}"),
            ("cohort", f"""
    SELECT p.period_id, r.town, {select_list("disclosures", ("requests", "on_time", "late"))}
    FROM {{periods}} JOIN r ON r.received_date >= p.start_d AND r.received_date < p.end_d
    GROUP BY ALL"""),
            ("backlog", f"""
    SELECT p.period_id, r.town, {select_list("disclosures", ("overdue",))}
    FROM {{periods}} JOIN r ON r.received_date < p.end_d
    GROUP BY ALL"""),
            _cover("r", "received_date", titled),
            # a town's open requests alone speak for a period its register covers: not for the year
            # after the one its title names, whose replies no register shows
            ("ledger", f"""
    SELECT period_id, town, coalesce(c.requests, 0) AS requests, coalesce(c.on_time, 0) AS on_time,
           coalesce(c.late, 0) AS late, coalesce(b.overdue, 0) AS overdue
    FROM cohort c FULL JOIN backlog b USING (period_id, town)
    WHERE c.requests IS NOT NULL
       OR EXISTS (SELECT 1 FROM {{periods}} WHERE p.period_id = b.period_id AND {_covered("p", "b.town")})"""),
            *_combined(DISCLOSURE_MEASURES, summaries, ("r", "received_date")),
        ),
        _totals(DISCLOSURE_MEASURES, True, summaries),
    )  # fmt: skip
    return query.text()


def legality_reviews_sql(summaries: bool, titled: bool = True) -> str:
    query = Query(
        (
            ("r", "SELECT * FROM v_legality_reviews WHERE $town IS NULL OR town = $town"),
            ("ledger", f"""
    SELECT p.period_id, r.town, {select_list("legality_reviews", REVIEW_MEASURES)}
    FROM {{periods}} JOIN r ON r.matter_date >= p.start_d AND r.matter_date < p.end_d
    GROUP BY ALL"""),
            _cover("r", "matter_date", titled),
            *_combined(REVIEW_MEASURES, summaries, ("r", "matter_date")),
        ),
        _totals(REVIEW_MEASURES, True),
    )  # fmt: skip
    return query.text()


def events_sql(summaries: bool, titled: bool = True) -> str:
    """Counts only for the towns and periods the work register (or summary) has a figure in;
    quarters are counted per town, so all towns together are judged on every town's quarters, and
    only quarters that have ended by the period's end (all of them, unless a period in progress is
    cut short: then the quarter under way is not yet due); the cleanup looks back two years from
    the period's end."""
    uncovered = """NOT EXISTS (SELECT 1 FROM e WHERE e.town = s.town AND e.event_date >= s.period_start
                               AND e.event_date < s.period_end)"""
    summary_cleanups = (
        f"""
    UNION ALL
    SELECT p.period_id, s.cleanups FROM {{periods}} JOIN {_summary_rows(("cleanups",))} s
        ON s.period_start >= p.end_d - INTERVAL 2 YEAR AND s.period_end <= p.end_d
    WHERE {uncovered}"""
        if summaries
        else ""
    )
    # a summary's quarters: those of its period, where it gives the supervised ones
    figures = (
        "reports, publicity, supervised_quarters, "
        "CASE WHEN supervised_quarters IS NOT NULL THEN s_months // 3 END AS quarters"
    )
    # a part read into the register's period: the register's row already counts the period's quarters
    gap_figures = (
        "reports, publicity, supervised_quarters, CASE WHEN supervised_quarters IS NOT NULL THEN 0 END AS quarters"
    )
    query = Query(
        (
            ("e", "SELECT * FROM v_events WHERE $town IS NULL OR town = $town"),
            ("ledger", f"""
    SELECT p.period_id, e.town, {select_list("events", ("reports", "publicity"))},
           count(DISTINCT date_trunc('quarter', e.event_date))
               FILTER (WHERE {condition("events", "supervisions")}
                       AND date_trunc('quarter', e.event_date) + INTERVAL 3 MONTH <= p.end_d) AS supervised_quarters,
           any_value(date_diff('month', p.start_d, p.end_d)) // 3 AS quarters
    FROM {{periods}} JOIN e ON e.event_date >= p.start_d AND e.event_date < p.end_d
    GROUP BY ALL"""),
            *_combined(EVENT_MEASURES, summaries, ("e", "event_date"), figures, gap_figures),
            ("lookback", f"""
    SELECT p.period_id, {select_list("events", ("cleanups",))}
    FROM {{periods}} JOIN e ON e.event_date >= p.end_d - INTERVAL 2 YEAR AND e.event_date < p.end_d
    GROUP BY p.period_id{summary_cleanups}"""),
        ),
        f"""
SELECT t.*, w.cleanups
FROM ({_totals(EVENT_MEASURES, False)}) t
LEFT JOIN (SELECT period_id, sum(cleanups) AS cleanups FROM lookback GROUP BY period_id) w USING (period_id)""",
    )  # fmt: skip
    return query.text()


def _found(con: duckdb.DuckDBPyConnection, view: str, town: str | None, cut: str | None) -> tuple[bool, bool]:
    """(the register has rows of ``town``, the summary sheet has figures to read), in two small
    queries: most warehouses keep few of these registers, and a query over an empty one is wasted."""
    present = {
        r[0]
        for r in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE view_name IN ($view, $summaries)",
            {"view": view, "summaries": SUMMARIES},
        ).fetchall()
    }
    if view not in present:
        return False, False
    summaries = cut is None and SUMMARIES in present
    sql = f"SELECT EXISTS (SELECT 1 FROM {view} WHERE $town IS NULL OR town = $town)"
    if summaries:
        sql += f", EXISTS (SELECT 1 FROM {SUMMARIES} WHERE $town IS NULL OR town = $town)"
    row = con.execute(sql, {"town": town}).fetchone()
    assert row is not None
    return bool(row[0]), bool(summaries and row[1])


def _titled(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse records its sheets' title years (a file loaded before it did has not:
    its registers cover their rows' spans only)."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'load_sheets' AND column_name = 'title_year' "
        "AND database_name = current_database()"
    ).fetchone()
    return bool(row and row[0])


def _rows(frame: Any, periods: list[Period]) -> dict[str, dict[str, Any]]:
    return {periods[int(row["period_id"])].id: row for row in frame.to_dict("records")}


def _register(view: str, sql_of: Any) -> Any:
    def query(
        con: duckdb.DuckDBPyConnection, periods: list[Period], town: str | None, cut: str | None = None
    ) -> dict[str, dict[str, Any]]:
        rows, summaries = _found(con, view, town, cut)
        if not rows and not summaries:
            return {}
        sql = with_periods(sql_of(summaries, _titled(con)), periods, cut)
        return _rows(con.execute(sql, {"town": town}).df(), periods)

    return query


cases = _register("v_cases", cases_sql)
legality_reviews = _register("v_legality_reviews", legality_reviews_sql)
events = _register("v_events", events_sql)


def disclosure_rows(
    con: duckdb.DuckDBPyConnection, periods: list[Period], town: str | None, cut: str | None = None
) -> dict[str, dict[str, Any]]:
    """The disclosure metrics; a period is judged as of its last day (or its cut), or today while it runs."""
    kept, summaries = _found(con, "v_disclosures", town, cut)
    if not kept and not summaries:
        return {}
    today = date.today()
    ends = [cut_end(p, cut) for p in periods]
    rows = ", ".join(
        f"({i}, DATE '{p.start}', DATE '{end}', DATE '{min(end - timedelta(days=1), today)}', {p.months})"
        for i, (p, end) in enumerate(zip(periods, ends, strict=True))
    )
    relation = f"(VALUES {rows}) AS p(period_id, start_d, end_d, as_of, months)"
    sql = disclosures_sql(summaries, _titled(con))
    sql = sql.replace("{judged}", disclosures.judged(con, town)).replace("{periods}", relation)
    return _rows(con.execute(sql, {"town": town}).df(), periods)
