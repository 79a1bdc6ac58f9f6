"""Composing a metric query from parts: named CTEs and a final SELECT, never sliced text.

A ``Query`` is a tuple of ``(name, body)`` CTEs and the SELECT over them; ``upto`` keeps the CTEs
up to one of them with another SELECT (a ledger-only query when a warehouse has no summary sheets).
The periods a query covers are VALUES lists generated here from ``Period`` objects (dates we make,
never user text), so a trend of ten years is one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from analytics.semantic.periods import Period


@dataclass(frozen=True)
class Query:
    ctes: tuple[tuple[str, str], ...]
    select: str

    def text(self) -> str:
        parts = ",\n".join(
            f"{name} AS {'MATERIALIZED ' if name in MATERIALIZED else ''}(\n{body.strip()}\n)"
            for name, body in self.ctes
        )
        return f"WITH {parts}\n{self.select.strip()}\n"

    def upto(self, name: str, select: str) -> Query:
        """The CTEs up to and including ``name``, and ``select`` over them."""
        names = [n for n, _ in self.ctes]
        return Query(self.ctes[: names.index(name) + 1], select)


def whole_sum(expression: str, name: str) -> str:
    """``expression`` summed over the parts that tile a period, only when every part gives it: a year
    whose first half leaves a figure blank has no figure for it, not its second half's."""
    return f"CASE WHEN count({expression}) = count(*) THEN sum({expression}) END AS {name}"


def last_part(name: str) -> str:
    """A figure counted on a period's last day (a stock: 逾期未答复) over the parts that tile a period:
    the last part's, blank if it leaves it blank; the earlier parts' days are not the period's end."""
    return f"arg_max_null({name}, period_end) AS {name}"


def summary_ctes(table: str, sums: str) -> tuple[tuple[str, str], ...]:
    """Summary rows per period and town: an exact-period row, else parts that tile the period."""
    return (
        ("srows", f"""
        SELECT p.period_id, p.months, s.*,
               date_diff('month', s.period_start, s.period_end) AS s_months
        FROM {{periods}} JOIN {table} s ON s.period_start >= p.start_d AND s.period_end <= p.end_d
        WHERE $town IS NULL OR s.town = $town"""),
        ("sexact", """
        SELECT * FROM srows WHERE s_months = months
        QUALIFY row_number() OVER (PARTITION BY period_id, town ORDER BY load_id DESC, excel_row) = 1"""),
        # a part inside a longer part of the same period (2019年第一季度 inside 2019年上半年) is left out:
        # the halves tile the year, and the quarters repeat the first half
        ("sparts", f"""
        SELECT period_id, town, {sums}, NULL AS reported_rate_any
        FROM (SELECT * FROM srows r WHERE s_months < months
              AND NOT EXISTS (SELECT 1 FROM srows o WHERE o.period_id = r.period_id AND o.town = r.town
                              AND o.s_months < o.months AND o.s_months > r.s_months
                              AND o.period_start <= r.period_start AND o.period_end >= r.period_end)
              QUALIFY row_number() OVER (PARTITION BY period_id, town, period_start ORDER BY load_id DESC) = 1)
        GROUP BY period_id, town
        HAVING sum(s_months) = any_value(months)"""),
    )  # fmt: skip


def gap_ctes(sums: str, covered: str) -> tuple[tuple[str, str], ...]:
    """Summary rows for the parts of a period its ledger has no rows in, per period and town (after
    ``summary_ctes``): a town that began its ledger in July reads the year as its 上半年 summary row
    plus the ledger, not the ledger alone.

    ``covered`` is a SQL condition on a summary row ``g``: the ledger has a row of ``g.town`` dated
    in ``g``'s period. A part is read per part: any ledger row in it and the ledger wins it (a
    difference is for 数据核对 to list); none, and the summary row gives it, the longest such row (a
    half rather than its quarters) and of its period the newest load. A row of the whole period
    counts as a part: a register whose rows all lie in earlier years doesn't cover it.
    """
    return (
        ("sgaps", f"SELECT * FROM srows g WHERE NOT ({covered})"),
        ("sgap_parts", f"""
        SELECT period_id, town, {sums}, sum(s_months) AS s_months
        FROM (SELECT * FROM sgaps r
              WHERE NOT EXISTS (SELECT 1 FROM sgaps o WHERE o.period_id = r.period_id AND o.town = r.town
                                AND o.s_months > r.s_months
                                AND o.period_start <= r.period_start AND o.period_end >= r.period_end)
              QUALIFY row_number() OVER (PARTITION BY period_id, town, period_start
                                         ORDER BY load_id DESC, excel_row) = 1)
        GROUP BY period_id, town"""),
    )  # fmt: skip


def gap_sum(name: str) -> str:
    """``name`` summed over a period's ``combined`` rows, NULL where a summary part read into a ledger's
    period (``gap``) leaves it blank: a blank is no figure, and the ledger's months alone are not the period's."""
    return f"CASE WHEN bool_or(gap AND {name} IS NULL) IS NOT TRUE THEN sum({name}) END AS {name}"


MATERIALIZED = frozenset({"attended"})  # read twice by the officers query; computed once


def periods_table(periods: list[Period], cut: str | None = None) -> str:
    """A VALUES list of the periods.

    ``period_id`` in SQL is the period's position in ``periods``: integer keys group and join
    faster than text over hundreds of thousands of (period, town, person) rows; the caller maps
    them back to ids. With ``cut`` (``MM-DD``) each period ends after that day of its year
    (year-to-date), so the registers read by date range stop there too.
    """
    rows = ", ".join(
        f"({i}, DATE '{p.start.isoformat()}', DATE '{cut_end(p, cut).isoformat()}', {p.months})"
        for i, p in enumerate(periods)
    )
    return f"(VALUES {rows}) AS p(period_id, start_d, end_d, months)"


def cut_end(period: Period, cut: str | None) -> date:
    """The exclusive end of ``period`` cut after the day ``cut`` (``MM-DD``) of its year, if given."""
    if cut is None:
        return period.end
    month, day = int(cut[:2]), int(cut[3:])
    if (month, day) == (2, 29) and period.year % 4:
        day = 28
    return min(period.end, date.fromordinal(date(period.year, month, day).toordinal() + 1))


def month_starts(period: Period, step: int = 1) -> list[date]:
    """First day of every month of the period (every quarter with ``step=3``)."""
    first = period.start.month
    return [date(period.year, first + i, 1) for i in range(0, period.months, step)]


def period_months_table(periods: list[Period], step: int = 1) -> str:
    """A VALUES list mapping each period (by position, as ``periods_table``) to its months, for an
    equi-join with the monthly aggregates."""
    rows = ", ".join(f"({i}, DATE '{m.isoformat()}')" for i, p in enumerate(periods) for m in month_starts(p, step))
    return f"(VALUES {rows}) AS pm(period_id, month)"


def with_periods(sql: str, periods: list[Period], cut: str | None = None) -> str:
    """``sql`` with its ``{periods}``, ``{period_months}`` and ``{period_quarters}`` filled in."""
    sql = sql.replace("{periods}", periods_table(periods, cut)).replace("{period_months}", period_months_table(periods))
    return sql.replace("{period_quarters}", period_months_table(periods, step=3))
