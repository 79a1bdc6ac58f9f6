"""规范性文件 Normative documents: review, publication, filing and timely-filing rates by year
against 100%, and the list of the period's documents that miss any of them. Thin: reads the
context, calls ``analytics.queries.documents``, draws."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import settings
from analytics.present import charts, fmt
from analytics.queries import documents as document_queries
from analytics.queries.documents import RATE_METRICS
from analytics.semantic.catalogue import get as metric
from analytics.semantic.periods import parse
from pages import figures, heading, scores, tables, tiles
from pages.cache import cached
from pages.view import Context, t

# The queries this page asks, cached per data version and view (``pages.cache``).
cached_counts = cached(document_queries.counts)
cached_rates_by_year = cached(document_queries.rates_by_year)
cached_shortfalls = cached(document_queries.shortfalls)


KPIS = ("documents_issued", *RATE_METRICS)
SHORT_LIST = 50  # a list of shortfalls this short is open at once


def axis_label(period_id: str, reported: bool, lang: str) -> str:
    """A year of the grid; * marks a reported one (a cell a phone's width can't hold 报表数)."""
    label = str(parse(period_id).year)  # like for like: the title says which half or quarter
    return f"{label}*" if reported else label


def rates_title(card: dict, ctx: Context) -> str:
    lang = ctx.lang
    rows = {m: card["metrics"][m] for m in RATE_METRICS}
    issued = card["metrics"]["documents_issued"]["value"]
    if issued is None and all(r["value"] is None for r in rows.values()):
        return t("documents.rates_title_none", period=ctx.period.label(lang))
    missed = [
        f"{metric(m).label(lang)}{fmt.rate(r['value'], lang)}" for m, r in rows.items() if r["status"] == "missed"
    ]
    head = t("documents.rates_head", period=ctx.period.label(lang), issued=fmt.count(issued, lang))
    if missed:
        return head + t("documents.rates_missed", missed=t("common.list_separator").join(missed))
    if any(r["status"] == "no_data" for r in rows.values()):
        return head + t("documents.rates_partial")
    return head + t("documents.rates_met")


def rates_chart(card: dict, ctx: Context) -> None:
    lang = ctx.lang
    long = cached_rates_by_year(ctx.period, ctx.town)
    rates = long[long["metric_id"].isin(RATE_METRICS)].copy()
    rates["period"] = [axis_label(p, r, lang) for p, r in zip(rates["period_id"], rates["reported"], strict=True)]
    # A year is marked 报表数 when any of its figures is reported.
    reported_years = set(rates.loc[rates["reported"], "period_id"])
    rates["period"] = [axis_label(p, p in reported_years, lang) for p in rates["period_id"]]
    names = {m: metric(m).label(lang) for m in RATE_METRICS}
    # A grid, not 40 bars: one row per rate, one cell per year, red where a document missed.
    fig = charts.status_grid(
        rates,
        "period",
        "metric_id",
        "value",
        names,
        target=1.0,
        title=rates_title(card, ctx),
        lang=lang,
        numerator="numerator",
        denominator="denominator",
    )
    issued = long[long["metric_id"] == "documents_issued"].set_index("period_id")["value"]
    table = rates.pivot(index=["period_id", "period"], columns="metric_id", values="value").reset_index()
    display = pd.DataFrame(
        {
            t("common.period"): table["period"],
            metric("documents_issued").label(lang): [fmt.count(issued.get(p), lang) for p in table["period_id"]],
        }
    )
    for m in RATE_METRICS:
        counts = rates[rates["metric_id"] == m].set_index("period_id")
        display[metric(m).label(lang)] = [
            fmt.rate(counts.loc[p, "value"], lang)
            + (
                t(
                    "common.counts",
                    numerator=f"{counts.loc[p, 'numerator']:,.0f}",
                    denominator=f"{counts.loc[p, 'denominator']:,.0f}",
                )
                if counts.loc[p, "numerator"] is not None and counts.loc[p, "denominator"] is not None
                else ""
            )
            for p in table["period_id"]
        ]
    figures.chart_with_table(fig, display, "documents_rates", file_stem=f"document_rates_{ctx.period.id}")
    st.caption(t("documents.reported_mark"))


def _days(values: pd.Series) -> list[str]:
    """Day counts as text, empty (not "None") where there is none."""
    return ["" if pd.isna(v) else f"{int(v)}" for v in values]


def shortfall_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    def missing_text(codes: list[str]) -> str:
        return t("common.list_separator").join(t(f"documents.req.{code}") for code in codes)

    return pd.DataFrame(
        {
            t("documents.col.doc_no"): frame["doc_no"],
            t("documents.col.title"): frame["title"],
            t("documents.col.issued"): frame["issued_date"].astype(str),
            t("documents.col.missing"): [missing_text(c) for c in frame["missing"]],
            # A date without a time of day; a day count left empty (not "None") where there is none.
            t("documents.col.filed_date"): pd.to_datetime(frame["filed_date"]).dt.strftime("%Y-%m-%d").fillna(""),
            t("documents.col.filing_days"): _days(frame["filing_days"]),
            t("documents.col.days_late"): _days(frame["days_late"]),
            t("documents.col.days_unfiled"): _days(frame["days_unfiled"]),
            t("documents.col.town"): frame["town"],
            t("documents.col.source"): tables.source_column(frame),
        }
    )


def shortfalls(ctx: Context) -> None:
    lang = ctx.lang
    deadline, kind = settings.filing_deadline()
    st.markdown(f"##### {t('documents.shortfall_title')}")
    counts = cached_counts(ctx.period, ctx.town)
    issued = int(counts["issued"].iloc[0]) if len(counts) else 0
    if issued == 0:
        st.caption(t("documents.no_ledger", period=ctx.period.label(lang)))
        return
    parts = [
        f"{t(f'documents.req.{r}')} {fmt.count(n, lang)}"
        for r, n in zip(counts["requirement"], counts["missing"], strict=True)
    ]
    st.caption(
        t(
            "documents.shortfall_caption",
            issued=fmt.count(issued, lang),
            parts=t("common.clause_separator").join(parts),
            deadline=deadline,
            kind=t(f"documents.days.{kind}"),
        )
    )
    listed = int(counts["shortfalls"].iloc[0])
    if not listed:
        st.success(t("documents.shortfall_none", period=ctx.period.label(lang)), icon=":material/task_alt:")
        return
    # The documents themselves: at once for a town's few, on opening for a province's thousands.
    tables.table_on_demand(
        lambda: shortfall_table(cached_shortfalls(ctx.period, ctx.town), lang),
        "documents_shortfalls",
        expanded=listed <= SHORT_LIST,
        file_stem=f"document_shortfalls_{ctx.period.id}",
    )


def main() -> None:
    ctx = heading.page_start("documents.title")
    if ctx is None:
        return
    lang = ctx.lang
    card = scores.scorecard(ctx.period, ctx.town, lang)
    if card["metrics"]["documents_issued"]["value"] is None:
        st.warning(t("empty.period"), icon=":material/event_busy:")
    trend = scores.trend_frame(ctx.period, ctx.town, lang, list(KPIS), years=6)
    for column, metric_id in zip(st.columns(len(KPIS), gap="small"), KPIS, strict=True):
        with column:
            spark = trend[trend.metric_id == metric_id]["value"].tolist()
            tiles.metric_tile(card["metrics"][metric_id], metric_id, lang, spark)
    rates_chart(card, ctx)
    shortfalls(ctx)


main()
