"""总览 Overview: the leadership screen — headline KPIs against the same period last year, what
needs attention, and every metric in one table. Thin: reads the context, calls analytics, draws."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from analytics.brief import brief_bytes
from analytics.brief.page import HEADLINE
from analytics.present import fmt, safe
from analytics.semantic.catalogue import METRICS
from pages import heading, scores, tables, tiles, view
from pages.cache import cached
from pages.view import Context, t

# On a phone (Streamlit stacks columns below 640 px): 需要关注 and the brief's buttons first, then the
# cards (two to a row, as on every page: dashboard.py's frame).
PHONE_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stColumn"]:has(.st-key-attention) { order: -1; }
  .st-key-kpi_grid [data-testid="stMetricValue"] { font-size: 1.5rem !important; }
}
</style>"""

MIME = {"pdf": "application/pdf", "png": "image/png"}


@cached
def _brief(cur: duckdb.DuckDBPyConnection, kind: str, ctx: Context, day: date) -> bytes:
    return brief_bytes(cur, ctx.period, ctx.town, ctx.lang, kind, today=day)


def brief_buttons(ctx: Context) -> None:
    """The one-page A4 brief of this view, as PDF and PNG (rendered by Chromium only when clicked)."""
    day = view.today()
    stem = f"brief_{ctx.period.id}_{ctx.town or 'all'}_{ctx.lang}"
    with st.container(horizontal=True, gap="small", key="brief_downloads"):
        for kind, icon in (("pdf", ":material/picture_as_pdf:"), ("png", ":material/image:")):
            st.download_button(
                t(f"overview.brief_{kind}"),
                data=tables.audited(lambda kind=kind: _brief(kind, ctx, day), f"{stem}.{kind}"),
                file_name=f"{stem}.{kind}",
                mime=MIME[kind],
                key=f"brief_{kind}",
                icon=icon,
                on_click="ignore",
                help=t("overview.brief_help"),
            )


def attention_lines(card: dict[str, Any], lang: str) -> tuple[list[str], list[str]]:
    """(missed targets, targets without data) as markdown lines."""
    missed, unknown = [], []
    for metric in METRICS:
        row = card["metrics"][metric.id]
        if row["status"] == "missed":
            missed.append(
                t(
                    "overview.attention_item",
                    label=metric.label(lang),
                    value=fmt.value(metric.unit, row["value"], lang, metric.id),
                    op="",
                    target=fmt.target(metric.unit, row["target_op"], row["target"], lang, metric.id),
                    previous=fmt.value(metric.unit, row["previous"], lang, metric.id),
                )
            )
        elif row["status"] == "no_data":
            unknown.append(metric.label(lang))
    return missed, unknown


def table(card: dict[str, Any], trends: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every metric as a row of text, the way the report writes the figures."""
    rows = []
    for metric in METRICS:
        row = card["metrics"][metric.id]
        unit = metric.unit
        series = trends[trends.metric_id == metric.id]["value"].tolist()
        counts = ""
        if row["numerator"] is not None and row["denominator"] is not None and unit == "rate":
            counts = f"{row['numerator']:,.0f}/{row['denominator']:,.0f}"
        rows.append(
            {
                t("common.metric"): metric.label(lang),
                t("common.value"): fmt.value(unit, row["value"], lang, metric.id, empty=tiles.no_cases(row)),
                "n/N": counts,
                t("common.previous"): fmt.value(
                    unit, row["previous"], lang, metric.id, empty=tiles.no_cases(row, "previous_")
                ),
                t("common.change"): fmt.change(
                    unit, row["change"], row["change_pct"], row["change_pp"], lang, metric.id
                )
                if row["value"] is not None and row["previous"] is not None
                else fmt.no_data(lang),
                t("common.target"): fmt.target(unit, row["target_op"], row["target"], lang, metric.id),
                t("common.status"): fmt.status_label(row["status"], lang) if row["status"] else "—",
                t("common.source"): tiles.source_badge(row["source"], lang),
                t("overview.trend"): [v for v in series if v is not None and v == v],
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    ctx = view.context()
    lang = ctx.lang
    if not heading.has_data():
        st.subheader(t("overview.title"))
        heading.empty_state(lang)
        return
    card = scores.scorecard(ctx.period, ctx.town, lang)
    st.markdown(
        f"#### {t('overview.title')}{t('common.title_separator')}"
        + t(
            "overview.subtitle",
            period=ctx.period_label,
            town=safe.markdown(ctx.town_label),
            previous=ctx.previous_label,
        )
    )

    if all(card["metrics"][m.id]["value"] is None for m in METRICS):
        st.warning(t("empty.period"), icon=":material/event_busy:")

    trends = scores.trend_frame(ctx.period, ctx.town, lang, years=6)
    st.html(PHONE_CSS)
    left, right = st.container(key="overview_top").columns([4, 1], gap="small")
    with left.container(key="kpi_grid"):
        for start in (0, 4):
            columns = st.columns(4, gap="small")
            for column, metric_id in zip(columns, HEADLINE[start : start + 4], strict=True):
                with column:
                    spark = trends[trends.metric_id == metric_id]["value"].tolist()
                    tiles.metric_tile(card["metrics"][metric_id], metric_id, lang, spark, key=f"kpi_{metric_id}")
    with right:
        missed, unknown = attention_lines(card, lang)
        with st.container(border=True, key="attention"):
            st.markdown(f"**:red[:material/warning:] {t('overview.attention')}**")
            if missed:
                for line in missed:
                    st.markdown(f":red[●] {line}")
            else:
                st.markdown(f":green[:material/check_circle:] {t('overview.attention_none')}")
            if unknown:
                st.caption(t("overview.no_data_list", metrics=t("common.list_separator").join(unknown)))
        brief_buttons(ctx)

    frame = table(card, trends, lang)
    status_column = t("common.status")
    styled = frame.style.map(lambda v: tables.status_style(v, lang), subset=[status_column])
    with st.container(key="screen_overview_table"):
        st.markdown(f"##### {t('overview.table')}")
        st.dataframe(
            styled,
            hide_index=True,
            width="stretch",
            key="overview_table",
            height=35 * (len(frame) + 1) + 3,
            column_config={t("overview.trend"): st.column_config.LineChartColumn(t("overview.trend"), width="small")},
        )
    download = frame.drop(columns=[t("overview.trend")])
    tables.on_paper(download, "overview_table", t("overview.table"))
    tables.download_buttons(download, "overview", file_stem=f"scorecard_{ctx.period.id}")


main()
