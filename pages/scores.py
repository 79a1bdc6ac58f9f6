"""The scorecard and the metric trends the pages draw: ``analytics.semantic.scorecard`` and
``analytics.semantic.metrics.compute``, cached (see ``pages.cache``), and the like-for-like periods a trend
spans. Not a page."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analytics.semantic import trends
from analytics.semantic.metrics import compute
from analytics.semantic.periods import Period
from analytics.semantic.scorecard import scorecard as _scorecard
from pages.cache import cached
from pages.view import data_coverage, today

_cached_scorecard = cached(_scorecard)


def scorecard(period: Period, town: str | None, lang: str) -> dict[str, Any]:
    """The report's table as a dict, judged as of today (``DASHBOARD_TODAY`` pins it): a period in
    progress is compared with the same days a year earlier."""
    return _cached_scorecard(period, town, lang, today())


_compute = cached(compute)


def trend_periods(period: Period, years: int | None = None) -> list[Period]:
    """Periods of the same kind and index as ``period`` over the years with data, up to ``period``.

    For 2020H1 that is 2017H1, 2018H1, ... 2020H1: like against like, as 同比 compares.
    """
    span = data_coverage().years
    return trends.like_for_like(period, min(span) if span else None, years)


def trend_frame(
    period: Period, town: str | None, lang: str, metric_ids: list[str] | None = None, years: int | None = None
) -> pd.DataFrame:
    """A long frame of metrics over the years (see ``analytics.semantic.trends.long_frame``)."""
    periods = trend_periods(period, years)
    return trends.long_frame(_compute(periods, town), periods, lang, metric_ids)
