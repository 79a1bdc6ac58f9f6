"""UI-free queries behind the analysis pages: small DataFrames aggregated in DuckDB.

Each page's queries live in their own module (``mediation``, ``documents``, ``training``, ``cases``,
``disclosures``, ``work``) and take ``(con, period, town)``. SQL is pushed down and parameters are
bound; only generated period bounds and due dates (never user text) are written into SQL. This module holds what they share: running a query,
the series of same periods a year apart, turning ``metrics.compute`` output into a frame, and
masking personal names.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb
import pandas as pd

from analytics import db
from analytics.semantic import aggregates
from analytics.semantic.catalogue import get as metric
from analytics.semantic.metrics import Value, compute
from analytics.semantic.periods import Period

REPORTED_SOURCES = frozenset({"summary", "reported", "mixed"})
MAX_TREND_YEARS = 10


def run(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run a read query on a fresh cursor (connections are not thread-safe) and return a frame."""
    cur = con.cursor()
    try:
        return cur.execute(sql, params or {}).df()
    finally:
        cur.close()


# A ledger view's dates are read from its monthly aggregate (a few rows per town and month).
_LEDGER_MONTHS = {"v_disputes": "{agg_disputes}", "v_documents": "{agg_documents}", "v_training": "{agg_sessions}"}


def first_year(con: duckdb.DuckDBPyConnection, sources: list[tuple[str, str]], town: str | None) -> int | None:
    """The earliest year with rows in any of ``(view, date column)``; views/columns are constants."""
    parts = " UNION ALL ".join(
        f"SELECT min(year({'month' if view in _LEDGER_MONTHS else column})) AS y "
        f"FROM {_LEDGER_MONTHS.get(view, view)} WHERE $town IS NULL OR town = $town"
        for view, column in sources
    )
    frame = run(con, aggregates.fill(con, f"SELECT min(y) AS y FROM ({parts})"), {"town": town})
    value = frame["y"].iloc[0]
    return None if pd.isna(value) else int(value)


def register_first_year(con: duckdb.DuckDBPyConnection, sources: list[tuple[str, str]], town: str | None) -> int | None:
    """``first_year`` of the registers among ``sources`` the warehouse has, and of the work summary
    sheet (法治工作汇总表), whose old years those registers' trends show too."""
    kept = [(view, column) for view, column in sources if db.has_view(con, view)]
    if db.has_view(con, "v_work_summaries"):
        kept.append(("v_work_summaries", "period_start"))
    return first_year(con, kept, town) if kept else None


def same_periods(period: Period, since: int | None) -> list[Period]:
    """The period and the same period in earlier years back to ``since`` (at most 10 years)."""
    start = period.year if since is None else max(min(since, period.year), period.year - MAX_TREND_YEARS + 1)
    return [Period(year, period.kind, period.index) for year in range(start, period.year + 1)]


def is_reported(source: str | None) -> bool:
    """Whether a figure comes (wholly or partly) from a summary sheet and must be shown as 报表数."""
    return source in REPORTED_SOURCES


def metric_series(
    con: duckdb.DuckDBPyConnection, periods: list[Period], town: str | None, metric_ids: list[str]
) -> pd.DataFrame:
    """Long frame of ``metrics.compute``: one row per period and metric, with counts, source and target.

    Columns: period_id, year, metric_id, value, numerator, denominator, source, reported, target.
    A missing figure is None (drawn as a gap and written 无数据), never 0.
    """
    values = compute(con, periods, town, metric_ids)
    rows = []
    for period in periods:
        for metric_id in metric_ids:
            v: Value = values[period.id][metric_id]
            rows.append(
                {
                    "period_id": period.id,
                    "year": period.year,
                    "metric_id": metric_id,
                    "value": v.value,
                    "numerator": v.numerator,
                    "denominator": v.denominator,
                    "source": v.source,
                    "reported": is_reported(v.source),
                    "target": metric(metric_id).target(period.fraction_of_year),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["period_id", "year", "metric_id", "value", "numerator", "denominator", "source", "reported", "target"],
    ).astype({"value": "object", "numerator": "object", "denominator": "object", "target": "object"})


# A name already masked the way ledgers do it (王某某, 李某, 张XX) is left alone.
_ALREADY_MASKED = re.compile(r"某|[×*＊]|XX|xx")
_SEPARATORS = re.compile(r"([、，,；;/／\s]+)")
_COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "独孤",
        "南宫",
        "西门",
    ]
)


def mask_name(name: str) -> str:
    """One person's name masked after the surname: 王小明 → 王**, 欧阳小明 → 欧阳**; 王某某 stays."""
    name = name.strip()
    if len(name) < 2 or _ALREADY_MASKED.search(name):
        return name
    if not re.fullmatch(r"[\u4e00-\u9fff·]+", name):
        return name[0] + "*" * (len(name) - 1)  # a Latin or mixed name: keep the initial only
    surname = name[:2] if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "*" * (len(name) - len(surname))


def mask_people(text: object) -> object:
    """Every name in a parties field (王小明、李四) masked, separators kept; None stays None."""
    if text is None or (isinstance(text, float) and text != text):
        return text
    parts = _SEPARATORS.split(str(text))
    return "".join(part if _SEPARATORS.fullmatch(part) or not part else mask_name(part) for part in parts)


def nones(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Columns as objects with None for missing values, so formatters write 无数据 rather than 'nan'."""
    for column in columns if columns is not None else list(frame.columns):
        frame[column] = frame[column].astype("object").where(frame[column].notna(), None)
    return frame


def trim_leading_gaps(frame: pd.DataFrame, value_columns: list[str]) -> pd.DataFrame:
    """Drop leading rows where every value is missing (years before any data); keep the last row."""
    present = frame[value_columns].notna().any(axis=1).tolist()
    first = next((i for i, ok in enumerate(present) if ok), len(frame) - 1)
    return frame.iloc[first:].reset_index(drop=True)
