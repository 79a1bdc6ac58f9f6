"""The scorecard: every metric for a period, the same period a year earlier, change and status.

A period still in progress (it has not ended, or its data stop before its last month:
``coverage.as_of``) is labelled 截至 M月D日 and compared with the same days a year earlier. A
metric judged by the year (``Metric.judged_yearly``: hours and meetings come in lumps) has no
status in a half-year, a quarter or a period in progress, so no period is red that the year meets.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from analytics.present import fmt
from analytics.present.text import language
from analytics.semantic import compare, coverage
from analytics.semantic.catalogue import METRICS, Metric
from analytics.semantic.measures import Count
from analytics.semantic.metrics import Value, compute
from analytics.semantic.periods import Period


def per_town(metric: Metric) -> bool:
    """Whether ``metric``'s target is an amount each town must reach (≥2 reports a year): the sum over
    several towns is not judged against it, since one town's 10 would make ten towns 达标."""
    return isinstance(metric.formula, Count) and metric.target_op == ">="


def judged(metric: Metric, period: Period, in_progress: bool, several_towns: bool = False) -> bool:
    """Whether ``metric`` gets a status in ``period``: not an annual amount outside a whole,
    finished year, not a target reached by the period's end while the period is in progress, and not
    a town's amount summed over several towns."""
    if metric.judged_yearly and (period.kind != "year" or in_progress):
        return False
    if several_towns and per_town(metric):
        return False
    return not (metric.accumulates and in_progress)


def as_of_label(until: date, lang: str = "zh") -> str:
    """截至1月20日 / to 20 Jan."""
    return language(lang)("period.as_of", **fmt.day_fields(until, lang))


def period_dict(period: Period, until: date | None, lang: str) -> dict[str, Any]:
    """``Period.as_dict`` with, for a period in progress, ``as_of`` (its last day of data) and the
    label marked 截至 M月D日."""
    found: dict[str, Any] = {**period.as_dict(lang), "as_of": until.isoformat() if until else None}
    if until:
        found["label"] = language(lang)("period.with_as_of", label=found["label"], as_of=as_of_label(until, lang))
    return found


def scorecard(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    town: str | None = None,
    lang: str = "zh",
    today: date | None = None,
) -> dict[str, Any]:
    """The JSON scorecard of the contract (issue 2): rates as fractions, change_pp in points."""
    previous_period = period.previous_year()
    until = coverage.as_of(con, period, today or date.today(), town)
    values = compute(con, [previous_period, period], town, until=until)
    several = town is None and len(coverage.coverage(con).towns) > 1
    metrics: dict[str, Any] = {}
    for metric in METRICS:
        now: Value = values[period.id][metric.id]
        before: Value = values[previous_period.id][metric.id]
        delta = compare.change(metric, now.value, before.value)
        target = metric.target(period.fraction_of_year)
        status = (
            compare.status(metric, now.value, target) if judged(metric, period, until is not None, several) else None
        )
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
            "status": status,
        }
    return {
        "period": period_dict(period, until, lang),
        "compare_period": period_dict(previous_period, until, lang),
        "town": town,
        "metrics": metrics,
    }
