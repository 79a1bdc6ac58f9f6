"""政务公开 Disclosure requests (依申请公开): requests received, answered in time and overdue; the
requests open past their limit and those due soon (staff act on these); the on-time rate by year
against 100%; the period's requests by kind of reply. Thin: reads the context, calls
``analytics.queries.disclosures``, draws."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import settings
from analytics.adhoc.dictionary import value_label
from analytics.present import charts, fmt
from analytics.queries import disclosures as disclosure_queries
from analytics.semantic.catalogue import get as metric
from pages import figures, heading, scores, tables, tiles, view
from pages.cache import cached
from pages.view import Context, t

cached_by_year = cached(disclosure_queries.by_year)
cached_open = cached(disclosure_queries.open_requests)
cached_requests = cached(disclosure_queries.requests)

KPIS = ("disclosure_requests", "disclosure_on_time_rate", "disclosure_overdue")


def _day(values: pd.Series) -> list[str]:
    return ["" if v is None else pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]


def _request_columns(frame: pd.DataFrame, lang: str) -> dict[str, object]:
    return {
        t("disclosures.col.received"): _day(frame["received_date"]),
        t("disclosures.col.due"): _day(frame["due_date"]),
        t("disclosures.col.extended"): [value_label("extended", bool(v), lang) for v in frame["extended"]],
        t("disclosures.col.applicant"): frame["applicant"].fillna(""),
        t("disclosures.col.content"): frame["content"].fillna(""),
    }


def open_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    columns = _request_columns(frame, lang)
    due = t("disclosures.col.due")
    return pd.DataFrame(
        {
            t("disclosures.col.received"): columns.pop(t("disclosures.col.received")),
            due: columns.pop(due),
            t("disclosures.col.days_left"): ["" if v is None else str(int(v)) for v in frame["days_left"]],
            **columns,
            t("disclosures.col.town"): frame["town"],
            t("disclosures.col.source"): tables.source_column(frame),
        }
    )


def action_lists(ctx: Context) -> None:
    """Overdue and due-soon requests as of the period's last day (today while it runs)."""
    lang = ctx.lang
    day = disclosure_queries.as_of(ctx.period, view.today())
    frame = cached_open(day, ctx.town)
    st.markdown(f"##### {t('disclosures.action_title', day=day.isoformat())}")
    if frame.empty:
        st.success(t("disclosures.none_open", day=day.isoformat()), icon=":material/task_alt:")
        return
    overdue, soon = frame[frame["overdue"]], frame[frame["due_soon"]]
    st.caption(
        t(
            "disclosures.action_caption",
            open=fmt.count(len(frame), lang),
            overdue=fmt.count(len(overdue), lang),
            soon=fmt.count(len(soon), lang),
            days=settings.disclosure_due_soon_days(),
        )
    )
    left, right = st.columns(2)
    with left:
        st.markdown(f":red[**{t('disclosures.overdue_title')}**]")
        if overdue.empty:
            st.caption(t("disclosures.overdue_none"))
        else:
            st.dataframe(open_table(overdue, lang), hide_index=True, width="stretch", key="disclosures_overdue")
    with right:
        st.markdown(f"**{t('disclosures.soon_title', days=settings.disclosure_due_soon_days())}**")
        if soon.empty:
            st.caption(t("disclosures.soon_none"))
        else:
            st.dataframe(open_table(soon, lang), hide_index=True, width="stretch", key="disclosures_soon")


def rate_chart(card: dict, ctx: Context) -> None:
    lang = ctx.lang
    long = cached_by_year(ctx.period, ctx.town)
    if long.empty:
        return
    long["period"] = figures.trend_periods(long, ctx.period.kind)
    rates = long[long["metric_id"] == "disclosure_on_time_rate"].copy()
    row = card["metrics"]["disclosure_on_time_rate"]
    if row["value"] is None:
        title = t("disclosures.rate_title_none", period=ctx.period.label(lang))
    else:
        title = t(
            "disclosures.rate_title",
            period=ctx.period.label(lang),
            rate=fmt.rate(row["value"], lang),
            on_time=f"{row['numerator']:,.0f}",
            total=f"{row['denominator']:,.0f}",
        )
    rates = rates.rename(columns={"value": "disclosure_on_time_rate"})  # its colour on every page
    fig = charts.rate_trend(
        rates,
        "period",
        "disclosure_on_time_rate",
        target=1.0,
        title=title,
        lang=lang,
        numerator="numerator",
        denominator="denominator",
    )
    requests = long[long["metric_id"] == "disclosure_requests"]["value"].tolist()
    overdue = long[long["metric_id"] == "disclosure_overdue"]["value"].tolist()
    display = pd.DataFrame(
        {
            t("common.period"): rates["period"].tolist(),
            metric("disclosure_requests").label(lang): [fmt.count(v, lang) for v in requests],
            metric("disclosure_on_time_rate").label(lang): [
                fmt.rate(v, lang, empty="cases" if d == 0 else None)
                + (t("common.counts", numerator=f"{n:,.0f}", denominator=f"{d:,.0f}") if d else "")
                for v, n, d in zip(
                    rates["disclosure_on_time_rate"], rates["numerator"], rates["denominator"], strict=True
                )
            ],
            metric("disclosure_overdue").label(lang): [fmt.count(v, lang) for v in overdue],
        }
    )
    figures.chart_with_table(fig, display, "disclosures_rate", file_stem=f"disclosures_{ctx.period.id}")
    undated = cached_requests(ctx.period, ctx.town)
    if not undated.empty and undated["undated"].any():
        st.caption(t("disclosures.undated_note", count=int(undated["undated"].sum())))


def request_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **_request_columns(frame, lang),
            t("disclosures.col.replied"): _day(frame["reply_date"]),
            t("disclosures.col.reply"): [
                t("disclosures.open") if v is None else value_label("reply_type", v, lang) for v in frame["reply_type"]
            ],
            t("disclosures.col.in_time"): [
                t("disclosures.late")
                if late
                else t("disclosures.in_time")
                if ok
                else t("disclosures.undated")
                if undated
                else ""
                for ok, late, undated in zip(frame["on_time"], frame["late"], frame["undated"], strict=True)
            ],
            t("disclosures.col.town"): frame["town"],
            t("disclosures.col.source"): tables.source_column(frame),
        }
    )


def requests(ctx: Context) -> None:
    lang = ctx.lang
    st.markdown(f"##### {t('disclosures.list_title')}")
    frame = cached_requests(ctx.period, ctx.town)
    if frame.empty:
        st.caption(t("disclosures.list_none", period=ctx.period.label(lang)))
        return
    kinds = frame["reply_type"].map(
        lambda v: t("disclosures.open") if v is None else value_label("reply_type", v, lang)
    )
    st.caption(t("common.clause_separator").join(f"{k} {fmt.count(n, lang)}" for k, n in kinds.value_counts().items()))
    tables.table_on_demand(
        request_table(frame, lang), "disclosures_list", expanded=True, file_stem=f"disclosures_list_{ctx.period.id}"
    )


def main() -> None:
    ctx = heading.page_start("disclosures.title")
    if ctx is None:
        return
    card = scores.scorecard(ctx.period, ctx.town, ctx.lang)
    spark = scores.trend_frame(ctx.period, ctx.town, ctx.lang, list(KPIS), years=6)
    for column, metric_id in zip(st.columns(len(KPIS), gap="small"), KPIS, strict=True):
        with column:
            tiles.metric_tile(
                card["metrics"][metric_id], metric_id, ctx.lang, spark[spark.metric_id == metric_id]["value"].tolist()
            )
    st.caption(t("disclosures.limit_note"))
    action_lists(ctx)
    rate_chart(card, ctx)
    requests(ctx)


main()
