"""学法培训 Training: enforcement staff and their training rate, study hours per officer against the
pro-rated 50-hour line, officers below it, certificates (expired / expiring after the period end),
and study meetings and mediator trainings against their targets. Thin: reads the context, calls
``analytics.queries.training``, draws."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import settings
from analytics.adhoc import dictionary
from analytics.present import charts, fmt
from analytics.queries import training as training_queries
from analytics.queries.training import CERT_STATUSES, STAFF_METRICS, hours_target
from analytics.semantic.catalogue import get as metric
from pages import figures, heading, scores, tables, tiles
from pages.cache import cached
from pages.view import Context, t

# The queries this page asks, cached per data version and view (``pages.cache``).
cached_below_target = cached(training_queries.below_target)
cached_certificates = cached(training_queries.certificates)
cached_officer_counts = cached(training_queries.officer_counts)
cached_officers = cached(training_queries.officers)
cached_session_count = cached(training_queries.session_count)
cached_sessions = cached(training_queries.sessions)
cached_trend = cached(training_queries.trend)


RATES = ("training_rate", "study_hours_compliance_rate", "certification_rate")


def kpis(card: dict, trend: pd.DataFrame, lang: str) -> None:
    for start in (0, 4):
        ids = STAFF_METRICS[start : start + 4]
        for column, metric_id in zip(st.columns(4, gap="small"), ids, strict=False):
            with column:
                spark = trend[trend.metric_id == metric_id]["value"].tolist()
                tiles.metric_tile(card["metrics"][metric_id], metric_id, lang, spark)


SHORT_LIST = 50  # a list this short is open at once
# More officers than this (a county or province) are drawn as bands of hours, not a bar each.
MAX_OFFICER_BARS = 60


def officer_table(ctx: Context) -> pd.DataFrame:
    """Every officer with study hours against the line, most hours first."""
    lang, target = ctx.lang, hours_target(ctx.period)
    frame = cached_officers(ctx.period, ctx.town).sort_values(["hours", "name"], ascending=[False, True])
    return pd.DataFrame(
        {
            t("training.col.name"): dictionary.mask_labels("name", frame["name"]),
            t("training.col.unit"): frame["unit"],
            t("training.col.town"): frame["town"],
            t("training.col.hours"): [fmt.hours(v, lang) for v in frame["hours"]],
            t("training.col.target"): fmt.hours(target, lang),
            t("training.col.shortfall"): [fmt.hours(v, lang) if v > 0 else "" for v in frame["shortfall"]],
        }
    )


def below_table(ctx: Context) -> pd.DataFrame:
    """The officers under the line, fewest hours first."""
    lang = ctx.lang
    frame = cached_below_target(ctx.period, ctx.town)
    return pd.DataFrame(
        {
            t("training.col.name"): dictionary.mask_labels("name", frame["name"]),
            t("training.col.unit"): frame["unit"],
            t("training.col.town"): frame["town"],
            t("training.col.hours"): [fmt.hours(v, lang) for v in frame["hours"]],
            t("training.col.shortfall"): [fmt.hours(v, lang) for v in frame["shortfall"]],
        }
    )


def judged_by_hours(ctx: Context) -> bool:
    """Whether officers are judged against the hours line: only in a whole, finished year. Hours
    come in lumps (a three-day course in November), so a half-year, a quarter or a year in
    progress shows the pro-rated line as a guide, without red and green (README: 期间)."""
    return ctx.period.kind == "year" and ctx.as_of is None


def hours_figure(counts: dict, ctx: Context, title: str) -> go.Figure:
    """A bar per officer against the pro-rated line, or officers per band of hours when there are many."""
    lang, target = ctx.lang, hours_target(ctx.period)
    judged = judged_by_hours(ctx)
    if counts["staff"] <= MAX_OFFICER_BARS:
        officers = cached_officers(ctx.period, ctx.town).sort_values(["hours", "name"], ascending=[False, True])
        line = "training.hours_line" if judged else "training.hours_line_part"
        return charts.threshold_bar(
            officers.assign(name=dictionary.mask_labels("name", officers["name"])),
            "name",
            "hours",
            target,
            title=title,
            lang=lang,
            line_label=t(line, target=fmt.hours(target, lang)),
            judged=judged,
        )
    labels = {
        "below": t("training.band.below"),
        "met": t("training.band.met", target=fmt.hours(target, lang)),
    }
    neutral = {} if judged else {"below": charts.PREVIOUS_COLOUR, "met": charts.CURRENT_COLOUR}
    return charts.stacked_bar(
        counts["bands"],
        "band",
        "officers",
        "status",
        title=title,
        lang=lang,
        labels=labels,
        order=["below", "met"],
        colours=neutral or None,
    )


def hours_chart(ctx: Context, counts: dict) -> None:
    lang = ctx.lang
    target = hours_target(ctx.period)
    if not counts["staff"]:
        st.caption(t("training.no_staff", period=ctx.period.label(lang)))
        return
    below = counts["below"] if judged_by_hours(ctx) else 0  # a part of a year lists no one as below
    key = "training.hours_title_met" if below == 0 else "training.hours_title_missed"
    if not judged_by_hours(ctx):
        key = "training.hours_title_part"
    title = t(
        key,
        period=ctx.period_label,
        avg=fmt.hours(counts["hours_avg"], lang),
        target=fmt.hours(target, lang),
        annual=fmt.hours(settings.study_hours_per_year(), lang),
        staff=fmt.count(counts["staff"], lang, "人"),
        below=fmt.count(below, lang, "人"),
    )
    fig = hours_figure(counts, ctx, title)
    # Officer rows are queried when a table is opened; a short list of those below the line at once.
    figures.chart_with_table(
        fig, lambda: officer_table(ctx), "training_hours", file_stem=f"study_hours_{ctx.period.id}"
    )
    if below:
        st.markdown(f"##### {t('training.below_title', target=fmt.hours(target, lang))}")
        tables.table_on_demand(
            lambda: below_table(ctx),
            "training_below",
            expanded=below <= SHORT_LIST,
            file_stem=f"below_target_{ctx.period.id}",
        )


def rates_chart(trend: pd.DataFrame, card: dict, ctx: Context) -> None:
    lang = ctx.lang
    rates = trend[trend["metric_id"].isin(RATES)].copy()
    rates["period"] = [str(p)[:4] for p in rates["period_id"]]  # like for like: the title says which part
    missed = [
        f"{metric(m).label(lang)}{fmt.rate(card['metrics'][m]['value'], lang)}"
        for m in RATES
        if card["metrics"][m]["status"] == "missed"
    ]
    unjudged = [m for m in RATES if card["metrics"][m]["status"] is None and card["metrics"][m]["value"] is not None]
    if missed:
        title = t("training.rates_missed", period=ctx.period_label, missed=t("common.list_separator").join(missed))
    elif all(card["metrics"][m]["value"] is None for m in RATES):
        title = t("training.rates_none", period=ctx.period_label)
    elif unjudged:  # a half-year's hours are not judged: say the figures, not "all met"
        values = [f"{metric(m).label(lang)}{fmt.rate(card['metrics'][m]['value'], lang)}" for m in RATES]
        title = t("training.rates_values", period=ctx.period_label, values=t("common.list_separator").join(values))
    else:
        title = t("training.rates_met", period=ctx.period_label)
    names = {m: metric(m).label(lang) for m in RATES}
    fig = charts.grouped_rates(
        rates,
        "period",
        "metric_id",
        "value",
        names,
        target=1.0,
        title=title,
        lang=lang,
        numerator="numerator",
        denominator="denominator",
        height=340,
    )
    table = pd.DataFrame({t("common.period"): list(dict.fromkeys(rates["period"]))})
    for m in RATES:
        part = rates[rates["metric_id"] == m]
        table[names[m]] = [
            fmt.rate(v, lang)
            + (
                t("common.counts", numerator=f"{n:,.0f}", denominator=f"{d:,.0f}")
                if n is not None and d is not None
                else ""
            )
            for v, n, d in zip(part["value"], part["numerator"], part["denominator"], strict=True)
        ]
    figures.chart_with_table(fig, table, "training_rates", file_stem=f"training_rates_{ctx.period.id}")


def certificate_table(ctx: Context) -> pd.DataFrame:
    warn = settings.certificate_warning_days()
    frame = cached_certificates(ctx.period, ctx.town)
    return pd.DataFrame(
        {
            t("training.col.name"): dictionary.mask_labels("name", frame["name"]),
            t("training.col.unit"): frame["unit"],
            t("training.col.town"): frame["town"],
            t("training.col.valid_until"): [str(v) if v is not None else "" for v in frame["cert_valid_until"]],
            t("training.col.days_left"): frame["days_left"],
            t("common.status"): [t(f"training.cert.{s}", days=warn) for s in frame["status"]],
        }
    )


def certificates(ctx: Context, counts: dict) -> None:
    lang = ctx.lang
    warn = settings.certificate_warning_days()
    if not counts["staff"]:
        st.caption(t("training.no_staff", period=ctx.period.label(lang)))
        return
    by_status = counts["certificates"]
    summary = pd.DataFrame(
        {
            "status": list(CERT_STATUSES),
            "label": [t(f"training.cert.{s}", days=warn) for s in CERT_STATUSES],
            "officers": [by_status[s] for s in CERT_STATUSES],
        }
    )
    summary = summary[summary["officers"] > 0]
    expired, expiring = by_status["expired"], by_status["expiring"]
    end = (ctx.period.end - pd.Timedelta(days=1)).isoformat()
    if expired or expiring:
        title = t(
            "training.cert_title_warn",
            end=end,
            expired=fmt.count(expired, lang, "人"),
            expiring=fmt.count(expiring, lang, "人"),
            days=warn,
        )
    else:
        title = t("training.cert_title_ok", end=end, days=warn)
    summary["x"] = t("training.col.certificates")
    fig = charts.stacked_bar(
        summary,
        "label",
        "officers",
        "status",
        title=title,
        lang=lang,
        horizontal=False,
        labels=dict(zip(summary["status"], summary["label"], strict=True)),
        height=320,
    )
    fig.update_layout(showlegend=False)
    figures.chart_with_table(
        fig,
        lambda: certificate_table(ctx),
        "training_certificates",
        expanded=0 < expired + expiring <= SHORT_LIST,  # a few to act on: listed at once
        file_stem=f"certificates_{ctx.period.id}",
    )


def sessions_chart(trend: pd.DataFrame, card: dict, ctx: Context, metric_id: str) -> None:
    lang = ctx.lang
    row = card["metrics"][metric_id]
    part = trend[trend["metric_id"] == metric_id]
    frame = part.assign(period=[str(p)[:4] for p in part["period_id"]])  # like for like: years
    label = metric(metric_id).label(lang)
    target_text = fmt.count(row["target"], lang, "次")
    if row["value"] is None:
        title = t("training.sessions_none", period=ctx.period_label, label=label)
    else:
        key = "training.sessions_met" if row["status"] == "met" else "training.sessions_missed"
        if row["status"] is None and row["target"] is not None:  # a part of a year: judged by the year
            key = "training.sessions_open"
            target_text = fmt.count(row["target"] / ctx.period.fraction_of_year, lang, "次")
        title = t(
            key,
            period=ctx.period_label,
            label=label,
            value=fmt.count(row["value"], lang, "次"),
            target=target_text,
        )
    fig = charts.trend_bar(
        frame,
        "period",
        "value",
        title=title,
        colour_key=metric_id,
        unit="count",
        lang=lang,
        target=row["target"],
        metric_id=metric_id,
        # a part of a year: the pro-rated line is a guide, not a verdict
        target_label=None
        if row["status"] is not None
        else t("overview.target_guide", target=fmt.count(row["target"], lang, "次")),
        judged=row["status"] is not None,
    )
    fig.update_traces(hovertemplate="%{x}: %{y:,}" + t("common.unit.time") + "<extra></extra>")
    table = pd.DataFrame(
        {
            t("common.period"): frame["period"],
            label: [fmt.count(v, lang, "次") for v in frame["value"]],
            t("common.target"): [fmt.count(v, lang, "次") for v in frame["target"]],
        }
    )
    figures.chart_with_table(fig, table, f"training_{metric_id}", file_stem=f"{metric_id}_{ctx.period.id}")


def sessions_table(ctx: Context) -> pd.DataFrame:
    lang = ctx.lang
    frame = cached_sessions(ctx.period, ctx.town)
    return pd.DataFrame(
        {
            t("training.col.date"): frame["session_date"].astype(str),
            t("training.col.town"): frame["town"],
            t("training.col.kind"): frame["kind"],
            t("training.col.topic"): frame["topic"],
            t("training.col.hours"): [fmt.hours(v, lang) for v in frame["hours"]],
            t("training.col.attendees"): frame["attendees"],
            t("training.col.enforcement_attendees"): frame["enforcement_attendees"],
        }
    )


def sessions_list(ctx: Context) -> None:
    lang = ctx.lang
    count = cached_session_count(ctx.period, ctx.town)
    st.markdown(f"##### {t('training.sessions_title')}")
    if not count:
        st.caption(t("training.no_sessions", period=ctx.period.label(lang)))
        return
    st.caption(t("training.sessions_caption", period=ctx.period.label(lang), count=fmt.count(count, lang, "次")))
    # A county's year is hundreds of sessions: listed (and queried) when asked for; a short list at once.
    tables.table_on_demand(
        lambda: sessions_table(ctx),
        "training_sessions",
        expanded=count <= SHORT_LIST,
        file_stem=f"training_sessions_{ctx.period.id}",
    )


def main() -> None:
    ctx = heading.page_start("training.title")
    if ctx is None:
        return
    lang = ctx.lang
    card = scores.scorecard(ctx.period, ctx.town, lang)
    if all(card["metrics"][m]["value"] is None for m in STAFF_METRICS):
        st.warning(t("empty.period"), icon=":material/event_busy:")
    trend = cached_trend(ctx.period, ctx.town)
    counts = cached_officer_counts(ctx.period, ctx.town)
    kpis(card, trend, lang)
    left, right = st.columns([3, 2])
    with left:
        hours_chart(ctx, counts)
    with right:
        rates_chart(trend, card, ctx)
    left, middle, right = st.columns(3)
    with left:
        certificates(ctx, counts)
    with middle:
        sessions_chart(trend, card, ctx, "study_meetings")
    with right:
        sessions_chart(trend, card, ctx, "mediator_trainings")
    sessions_list(ctx)


main()
