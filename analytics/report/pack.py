"""Everything a briefing pack shows, gathered once: scorecard, text, trend, findings.

Every output format (docx, xlsx, md, json, the 报告 page) renders one ``Pack``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from analytics.present.text import text as text_of
from analytics.report import consistency, details, text
from analytics.semantic import coverage, trends
from analytics.semantic.catalogue import BY_ID
from analytics.semantic.metrics import compute
from analytics.semantic.periods import Period
from analytics.semantic.scorecard import scorecard

TREND_YEARS = 6  # how many like-for-like periods the trend charts and sheets go back


@dataclass(frozen=True)
class Pack:
    period: Period
    town: str | None
    lang: str
    card: dict[str, Any]
    text: text.ReportText
    findings: tuple[consistency.Finding, ...]
    trend: pd.DataFrame  # long: period_id, period, metric_id, label, unit, value, numerator, denominator, source
    towns: tuple[str, ...]
    generated: date
    report_date: date  # the date the report is signed (落款日期): set by the user, see ``default_report_date``
    details: details.Details = details.Details()  # the rows behind missed targets the text names

    @property
    def town_label(self) -> str:
        if self.town:
            return self.town
        if len(self.towns) == 1:
            return self.towns[0]
        return text_of("sidebar.all_towns", self.lang)

    @property
    def file_stem(self) -> str:
        """The file name without extension: 珠龙镇2020年度法治政府建设情况报告."""
        return text.file_stem(self.period, self.town_label, self.lang)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: the text, the scorecard and the findings."""
        return {
            "title": self.text.title,
            "period": self.card["period"],
            "compare_period": self.card["compare_period"],
            "town": self.town,
            "lang": self.lang,
            "generated": self.generated.isoformat(),
            "report_date": self.report_date.isoformat(),
            "intro": list(self.text.intro),
            "sections": self.text.as_dict()["sections"],
            "scorecard": self.card["metrics"],
            "consistency": [f.as_dict() | {"message": f.message(self.lang)} for f in self.findings],
        }

    def trend_wide(self, metric_ids: list[str]) -> pd.DataFrame:
        """One row per period, one column per metric (values only)."""
        part = self.trend[self.trend["metric_id"].isin(metric_ids)]
        wide = part.pivot(index="period", columns="metric_id", values="value")
        order = list(dict.fromkeys(self.trend["period"]))
        return wide.reindex(order).reset_index()[["period", *[m for m in metric_ids if m in wide.columns]]]


def default_report_date(period: Period) -> date:
    """The last day of the month after the period: 2021-01-31 for 2020, 2020-07-31 for 2020H1."""
    after = period.end  # the first day of the month after the period
    following = date(after.year + (after.month == 12), after.month % 12 + 1, 1)
    return following - timedelta(days=1)


def build_pack(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    town: str | None = None,
    lang: str = "zh",
    today: date | None = None,
    report_date: date | None = None,
) -> Pack:
    """Compute the scorecard, write the text, check consistency and gather the trend for a period.

    ``report_date`` is the date the report is signed; by default the end of the month after the period.
    """
    cover = coverage.coverage(con)
    towns = cover.towns
    card = scorecard(con, period, town, lang, today=today)
    several = town is None and len(towns) > 1
    found = details.gather(con, period, town, card)
    named_town = town or (towns[0] if len(towns) == 1 else None)
    report_text = text.write(card, period, named_town, lang, several, found)
    findings = tuple(consistency.check(con, period, town, today=today))
    first_year = cover.first.year if cover.first else None
    periods = trends.like_for_like(period, first_year, TREND_YEARS)
    trend = trends.long_frame(compute(con, periods, town), periods, lang)
    return Pack(
        period,
        town,
        lang,
        card,
        report_text,
        findings,
        trend,
        towns,
        today or date.today(),
        report_date or default_report_date(period),
        found,
    )


def metric_label(metric_id: str, lang: str) -> str:
    return BY_ID[metric_id].label(lang)
