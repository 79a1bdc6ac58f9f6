"""行政复议与应诉 Reconsideration and litigation: cases against the town, the years without a
reconsideration case ("自2013年以来未发生"), heads appearing in court, cases lost and judgments
complied with, by year, and the period's cases. Thin: reads the context, calls
``analytics.queries.cases``, draws."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.adhoc.dictionary import value_label
from analytics.present import charts, fmt
from analytics.queries import cases as case_queries
from analytics.semantic.catalogue import get as metric
from pages import figures, heading, scores, tables, tiles
from pages.cache import cached
from pages.view import Context, t

cached_by_year = cached(case_queries.by_year)
cached_cases = cached(case_queries.cases)

RECONSIDERATION = ("reconsideration_cases", "years_without_reconsideration", "reconsideration_corrected_rate")
LITIGATION = ("litigation_cases", "head_appearance_rate", "litigation_loss_rate", "judgment_compliance_rate")
KPIS = RECONSIDERATION + LITIGATION
COUNTS = ("reconsideration_cases", "litigation_cases")
RATES = ("head_appearance_rate", "litigation_loss_rate", "judgment_compliance_rate")


def headline(card: dict, ctx: Context) -> str:
    """The finding, in the report's words: 自2013年以来未发生行政复议案件; 行政诉讼3件，负责人出庭3次."""
    m = card["metrics"]
    streak, reconsideration = m["years_without_reconsideration"]["value"], m["reconsideration_cases"]["value"]
    if streak is None and reconsideration is None:
        return t("cases.none_kept", period=ctx.period.label(ctx.lang))
    parts = []
    if streak and not reconsideration:
        parts.append(t("cases.streak", since=ctx.period.year - int(streak) + 1))
    else:
        parts.append(t("cases.reconsideration", count=fmt.count(reconsideration, ctx.lang)))
    head = m["head_appearance_rate"]
    parts.append(
        t(
            "cases.litigation",
            count=fmt.count(m["litigation_cases"]["value"], ctx.lang),
            head=fmt.rate(head["value"], ctx.lang, empty="cases" if head["denominator"] == 0 else None),
        )
    )
    return t("common.semicolon").join(parts)


def _rate_text(row: pd.Series, lang: str) -> str:
    empty = "cases" if row["denominator"] == 0 else None
    text = fmt.rate(row["value"], lang, empty=empty)
    if row["numerator"] is not None and row["denominator"]:
        text += t("common.counts", numerator=f"{row['numerator']:,.0f}", denominator=f"{row['denominator']:,.0f}")
    return text


def trend(card: dict, ctx: Context) -> None:
    lang = ctx.lang
    long = cached_by_year(ctx.period, ctx.town)
    if long.empty:
        return
    long["period"] = figures.trend_periods(long, ctx.period.kind)
    counts = long[long["metric_id"].isin(COUNTS)]
    fig = charts.stacked_bar(
        counts,
        "period",
        "value",
        "metric_id",
        title=headline(card, ctx),
        lang=lang,
        labels={m: metric(m).label(lang) for m in COUNTS},
        order=COUNTS,
    )
    if (counts["value"].fillna(0) <= 10).all():
        fig.update_yaxes(dtick=1)  # a few cases a year: whole numbers on the axis
    display = pd.DataFrame({t("common.period"): list(dict.fromkeys(long["period"]))})
    for metric_id in (*COUNTS, "years_without_reconsideration"):
        rows = long[long["metric_id"] == metric_id]
        unit = metric(metric_id).unit
        display[metric(metric_id).label(lang)] = [fmt.value(unit, v, lang, metric_id) for v in rows["value"]]
    for metric_id in RATES:
        rows = long[long["metric_id"] == metric_id]
        display[metric(metric_id).label(lang)] = [_rate_text(r, lang) for _, r in rows.iterrows()]
    figures.chart_with_table(fig, display, "cases_trend", expanded=True, file_stem=f"cases_{ctx.period.id}")


def case_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    def day(values: pd.Series) -> list[str]:
        return ["" if v is None else pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]

    def yes_no(values: pd.Series) -> list[str]:
        return ["" if v is None else value_label("complied", bool(v), lang) for v in values]

    return pd.DataFrame(
        {
            t("cases.col.received"): day(frame["received_date"]),
            t("cases.col.case_no"): frame["case_no"].fillna(""),
            t("cases.col.type"): [value_label("case_type", v, lang) for v in frame["case_type"]],
            t("cases.col.instance"): [value_label("instance", v, lang) if v else "" for v in frame["instance"]],
            t("cases.col.applicant"): frame["applicant"].fillna(""),
            t("cases.col.cause"): frame["cause"].fillna(""),
            t("cases.col.hearing"): day(frame["hearing_date"]),
            t("cases.col.head"): yes_no(frame["head_appeared"]),
            t("cases.col.head_name"): frame["head_name"].fillna(""),
            t("cases.col.result"): [value_label("result", v, lang) for v in frame["result"]],
            t("cases.col.complied"): yes_no(frame["complied"]),
            t("cases.col.town"): frame["town"],
            t("cases.col.source"): tables.source_column(frame),
        }
    )


def case_list(ctx: Context) -> None:
    st.markdown(f"##### {t('cases.list_title')}")
    frame = cached_cases(ctx.period, ctx.town)
    if frame.empty:
        st.caption(t("cases.list_none", period=ctx.period.label(ctx.lang)))
        return
    tables.table_on_demand(
        case_table(frame, ctx.lang), "cases_list", expanded=True, file_stem=f"cases_list_{ctx.period.id}"
    )


def main() -> None:
    ctx = heading.page_start("cases.title")
    if ctx is None:
        return
    card = scores.scorecard(ctx.period, ctx.town, ctx.lang)
    spark = scores.trend_frame(ctx.period, ctx.town, ctx.lang, list(KPIS), years=6)
    for row in (RECONSIDERATION, LITIGATION):
        for column, metric_id in zip(st.columns(4, gap="small"), row, strict=False):
            with column:
                sparkline = spark[spark.metric_id == metric_id]["value"].tolist()
                tiles.metric_tile(card["metrics"][metric_id], metric_id, ctx.lang, sparkline)
    trend(card, ctx)
    case_list(ctx)


main()
