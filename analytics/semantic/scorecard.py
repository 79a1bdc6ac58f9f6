"""The scorecard: every metric for a period, the same period a year earlier, change and status."""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.semantic import compare
from analytics.semantic.catalogue import METRICS
from analytics.semantic.metrics import Value, compute
from analytics.semantic.periods import Period


def scorecard(
    con: duckdb.DuckDBPyConnection, period: Period, town: str | None = None, lang: str = "zh"
) -> dict[str, Any]:
    """The JSON scorecard of the contract (issue 2): rates as fractions, change_pp in points."""
    previous_period = period.previous_year()
    values = compute(con, [previous_period, period], town)
    metrics: dict[str, Any] = {}
    for metric in METRICS:
        now: Value = values[period.id][metric.id]
        before: Value = values[previous_period.id][metric.id]
        delta = compare.change(metric, now.value, before.value)
        target = metric.target(period.fraction_of_year)
        metrics[metric.id] = {
            "label": metric.label(lang),
            "unit": metric.unit,
            "value": now.value,
            "numerator": now.numerator,
            "denominator": now.denominator,
            "source": now.source,
            "previous": before.value,
            "previous_numerator": before.numerator,
            "previous_denominator": before.denominator,
            "change": delta.absolute,
            "change_pct": delta.percent,
            "change_pp": delta.points,
            "target": target,
            "target_op": metric.target_op,
            "status": compare.status(metric, now.value, target),
        }
    return {
        "period": period.as_dict(lang),
        "compare_period": previous_period.as_dict(lang),
        "town": town,
        "metrics": metrics,
    }
