"""Like-for-like trends: the same period over the years (2017H1 … 2020H1), as a long frame."""

from __future__ import annotations

import pandas as pd

from analytics.semantic.catalogue import BY_ID, METRICS
from analytics.semantic.metrics import Value
from analytics.semantic.periods import Period, periods_between

COLUMNS = ["period_id", "period", "metric_id", "label", "unit", "value", "numerator", "denominator", "source"]


def like_for_like(period: Period, first_year: int | None, years: int | None = None) -> list[Period]:
    """Periods of the same kind and index as ``period``, from ``first_year`` (at most ``years`` of them)."""
    first = first_year or period.year
    if years:
        first = max(first, period.year - years + 1)
    first = min(first, period.year)
    return [p for p in periods_between(first, period.year, period.kind) if p.index == period.index]


def long_frame(
    values: dict[str, dict[str, Value]], periods: list[Period], lang: str, metric_ids: list[str] | None = None
) -> pd.DataFrame:
    """One row per period and metric; a year is labelled by its number, other periods by their label.

    Missing values stay None, so charts draw gaps rather than zeros; the periods before the first
    with any value are left out (a register's one row years earlier does not stretch every trend).
    """
    ids = metric_ids or [m.id for m in METRICS]
    first = next((i for i, p in enumerate(periods) if any(values[p.id][m].value is not None for m in ids)), 0)
    periods = periods[first:]
    rows = [
        {
            "period_id": p.id,
            "period": str(p.year) if p.kind == "year" else p.label(lang),
            "metric_id": metric_id,
            "label": BY_ID[metric_id].label(lang),
            "unit": BY_ID[metric_id].unit,
            "value": values[p.id][metric_id].value,
            "numerator": values[p.id][metric_id].numerator,
            "denominator": values[p.id][metric_id].denominator,
            "source": values[p.id][metric_id].source,
        }
        for p in periods
        for metric_id in ids
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
