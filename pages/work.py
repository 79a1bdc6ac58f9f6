"""依法行政工作 Rule-of-law work: the work register (reports to the Party committee, quarterly
supervision, cleanups of normative documents, legal publicity, study meetings and mediator
trainings counted once with the training register) and the legality review register (major
decisions and contracts reviewed beforehand), by year, with the period's events and the matters
not reviewed in time. Thin: reads the context, calls ``analytics.queries.work``, draws."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.adhoc.dictionary import value_label
from analytics.present import charts, fmt
from analytics.queries import work as work_queries
from analytics.queries.work import EVENT_METRICS, REVIEW_METRICS
from analytics.semantic.catalogue import get as metric
from pages import figures, heading, scores, tables, tiles
from pages.cache import cached
from pages.view import Context, t

# The work register's event kinds (etl.datasets.events.EVENT_KINDS and 其他) → their text keys.
KIND_KEYS = {
    "向党委政府汇报依法行政工作": "report",
    "依法行政专题学习会": "study_meeting",
    "季度督导": "supervision",
    "规范性文件清理": "cleanup",
    "调解员培训": "mediator_training",
    "法治宣传活动": "publicity",
    "其他": "other",
}

cached_by_year = cached(work_queries.by_year)
cached_events = cached(work_queries.events)
cached_unreviewed = cached(work_queries.unreviewed)

KPIS = (
    "party_committee_reports",
    "supervision_quarters_covered",
    "document_cleanup_due",
    "legal_publicity_events",
    "major_decision_review_rate",
    "contract_review_rate",
)


def _day(values: pd.Series) -> list[str]:
    return ["" if v is None else pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]


def _text(metric_id: str, row: pd.Series, lang: str) -> str:
    unit = metric(metric_id).unit
    text = fmt.value(unit, row["value"], lang, metric_id, empty="cases" if row["denominator"] == 0 else None)
    if unit == "rate" and row["numerator"] is not None and row["denominator"]:
        text += t("common.counts", numerator=f"{row['numerator']:,.0f}", denominator=f"{row['denominator']:,.0f}")
    return text


def by_year(ctx: Context) -> None:
    lang = ctx.lang
    long = cached_by_year(ctx.period, ctx.town)
    if long.empty:
        return
    long["period"] = figures.trend_periods(long, ctx.period.kind)
    reports = long[long["metric_id"] == "party_committee_reports"]
    now = reports[reports["period_id"] == ctx.period.id]["value"].tolist()
    title = t("work.reports_title", period=ctx.period.label(lang), count=fmt.count(now[0] if now else None, lang, "次"))
    target = metric("party_committee_reports").target(ctx.period.fraction_of_year)
    guide = None if ctx.period.kind == "year" else t("overview.target_guide", target=fmt.count(target, lang, "次"))
    fig = charts.trend_bar(
        reports,
        "period",
        "value",
        title,
        "party_committee_reports",
        t("common.unit.time"),
        lang,
        target=target,
        target_label=guide,  # an annual amount: a half-year's line is a pro-rated guide (README: 期间)
        judged=ctx.period.kind == "year" and ctx.as_of is None,  # whole, finished years only
    )
    fig.update_yaxes(dtick=1)  # a few reports a year: whole numbers on the axis
    display = pd.DataFrame({t("common.period"): list(dict.fromkeys(long["period"]))})
    for metric_id in EVENT_METRICS + REVIEW_METRICS:
        rows = long[long["metric_id"] == metric_id]
        display[metric(metric_id).label(lang)] = [_text(metric_id, r, lang) for _, r in rows.iterrows()]
    figures.chart_with_table(fig, display, "work_by_year", expanded=True, file_stem=f"work_{ctx.period.id}")


def kind_label(kind: str) -> str:
    """An event kind (事项) of the work register in the user's language (``work.kind.*``); other words as is."""
    return t(f"work.kind.{KIND_KEYS[kind]}") if kind in KIND_KEYS else kind


def event_table(frame: pd.DataFrame) -> pd.DataFrame:
    kinds = [
        t("common.noted", text=kind_label(kind), note=raw)
        if kind == "其他" and raw and raw != kind
        else kind_label(kind)
        for kind, raw in zip(frame["kind"], frame["kind_raw"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("work.col.date"): _day(frame["event_date"]),
            t("work.col.kind"): kinds,
            t("work.col.description"): frame["description"].fillna(""),
            t("work.col.place"): frame["place"].fillna(""),
            t("work.col.counted"): [t("work.counted_in_training") if v else "" for v in frame["in_training"]],
            t("work.col.town"): frame["town"],
            t("work.col.source"): tables.source_column(frame),
        }
    )


def events(ctx: Context) -> None:
    lang = ctx.lang
    st.markdown(f"##### {t('work.events_title')}")
    frame = cached_events(ctx.period, ctx.town)
    if frame.empty:
        st.caption(t("work.events_none", period=ctx.period.label(lang)))
        return
    counts = frame["kind"].value_counts()
    st.caption(
        t("common.clause_separator").join(f"{kind_label(k)} {fmt.count(n, lang, '次')}" for k, n in counts.items())
        + t("common.sentence_end")
        + t("work.training_note")
    )
    others = frame[frame["kind"] == "其他"]
    if len(others):
        st.info(
            t("work.others", kinds=t("common.list_separator").join(dict.fromkeys(str(v) for v in others["kind_raw"]))),
            icon=":material/info:",
        )
    tables.table_on_demand(
        event_table(frame), "work_events", expanded=len(frame) <= 50, file_stem=f"work_events_{ctx.period.id}"
    )


def unreviewed(ctx: Context) -> None:
    lang = ctx.lang
    st.markdown(f"##### {t('work.unreviewed_title')}")
    frame = cached_unreviewed(ctx.period, ctx.town)
    if frame.empty:
        st.caption(t("work.unreviewed_none", period=ctx.period.label(lang)))
        return
    table = pd.DataFrame(
        {
            t("work.col.matter"): frame["matter"].fillna(""),
            t("work.col.matter_kind"): [value_label("matter_kind", v, lang) for v in frame["matter_kind"]],
            t("work.col.submitted"): _day(frame["submitted_date"]),
            t("work.col.reviewed"): _day(frame["reviewed_date"]),
            t("work.col.decided"): _day(frame["decided_date"]),
            t("work.col.why"): [t("work.why.late") if r else t("work.why.none") for r in frame["reviewed"]],
            t("work.col.town"): frame["town"],
            t("work.col.source"): tables.source_column(frame),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="work_unreviewed")
    tables.download_buttons(table, "work_unreviewed", file_stem=f"unreviewed_{ctx.period.id}")


def main() -> None:
    ctx = heading.page_start("work.title")
    if ctx is None:
        return
    card = scores.scorecard(ctx.period, ctx.town, ctx.lang)
    spark = scores.trend_frame(ctx.period, ctx.town, ctx.lang, list(KPIS), years=6)
    for start in (0, 3):
        for column, metric_id in zip(st.columns(3, gap="small"), KPIS[start : start + 3], strict=True):
            with column:
                tiles.metric_tile(
                    card["metrics"][metric_id],
                    metric_id,
                    ctx.lang,
                    spark[spark.metric_id == metric_id]["value"].tolist(),
                )
    by_year(ctx)
    events(ctx)
    unreviewed(ctx)


main()
