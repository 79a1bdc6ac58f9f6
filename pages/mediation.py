"""矛盾纠纷调解 Mediation: disputes by form over the years, the success rate against its target,
villages, categories against last year, seasonality, cases needing attention and the drill-down to
case rows. Thin: reads the context and widgets, calls ``analytics.queries.mediation``, draws."""

from __future__ import annotations

import html
from collections.abc import Callable

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.present import charts, fmt, safe
from analytics.queries import mediation as mediation_queries
from analytics.semantic.catalogue import get as metric
from analytics.semantic.periods import parse
from pages import figures, heading, scores, tables, tiles
from pages.cache import cached
from pages.view import Context, t

KPIS = mediation_queries.TREND_METRICS  # the tiles show every metric the trend computes
FORMS = ("written", "oral")

# What the page asks outside its chart builders; the trend is also read by two builders (a hit).
cached_trend = cached(mediation_queries.trend)
cached_options = cached(mediation_queries.options)
cached_case_count = cached(mediation_queries.case_count)


def period_axis_label(period_id: str, reported: bool, lang: str) -> str:
    """A period on the category axis, marked 报表数 where the figure comes from a summary sheet.

    The trend is like for like (2018H1 … 2025H1), so its axis says the years; the title says which
    half or quarter (a phone can't fit 2018年第三季度 under each of eight points)."""
    period = parse(period_id)
    label = str(period.year)
    return t("common.noted", text=label, note=t("common.reported")) if reported else label


def kpi_row(card: dict, trend: pd.DataFrame, lang: str) -> None:
    columns = mediation_queries.TREND_COLUMNS
    for start in (0, 4):
        for column, metric_id in zip(st.columns(4, gap="small"), KPIS[start : start + 4], strict=True):
            with column:
                tiles.metric_tile(card["metrics"][metric_id], metric_id, lang, trend[columns[metric_id]].tolist())


@cached
def forms_figure(cur: duckdb.DuckDBPyConnection, ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    lang = ctx.lang
    trend = cached_trend(ctx.period, ctx.town)
    xs = [period_axis_label(p, r, lang) for p, r in zip(trend["period_id"], trend["reported"], strict=True)]
    names = {form: t(f"mediation.form.{form}") for form in (*FORMS, "joint")}
    long = pd.DataFrame(
        [
            {"period": x, "form": form, "disputes": row[form]}
            for x, row in zip(xs, trend.to_dict("records"), strict=True)
            for form in FORMS
        ]
    )
    now = trend.iloc[-1]
    if now["total"] is None:
        title = t("mediation.forms_title_none", period=ctx.period_label)
    else:
        title = t(
            "mediation.forms_title",
            period=ctx.period_label,
            total=fmt.count(now["total"], lang),
            written=fmt.count(now["written"], lang),
            oral=fmt.count(now["oral"], lang),
            joint=fmt.count(now["joint"], lang),
        )
    fig = charts.stacked_bar(
        long, "period", "disputes", "form", title=title, lang=lang, labels=names, order=list(FORMS), height=360
    )
    # Joint mediation is a flag inside the total, not a third form: it is in the title, the hover
    # of each total and the table, not marks at the foot of the axis. The totals above the bars are
    # one text trace (ten annotations cost the browser ≈ 2× the drawing time of the rest), drawn
    # only where they fit their bar at phone width.
    totals = list(trend["total"])
    labels = [fmt.count(total, lang) if total is not None else None for total in totals]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[float(total or 0) for total in totals],
            mode="text",
            text=labels if charts.fits(labels, charts.bar_slot(len(xs))) else None,
            textposition="top center",
            textfont={"size": charts.LABEL_SIZE, "color": "#333"},
            showlegend=False,
            hovertext=[
                t("mediation.total_hover", total=fmt.count(total, lang), joint=fmt.count(joint, lang))
                for total, joint in zip(totals, trend["joint"], strict=True)
            ],
            hovertemplate="%{x}: %{hovertext}<extra></extra>",
            cliponaxis=False,
        )
    )
    top = max((float(v) for v in totals if v is not None), default=0.0)
    if top:
        fig.update_yaxes(range=[0, top * 1.15])
    table = pd.DataFrame(
        {
            t("common.period"): xs,
            metric("disputes_total").label(lang): [fmt.count(v, lang) for v in trend["total"]],
            names["written"]: [fmt.count(v, lang) for v in trend["written"]],
            names["oral"]: [fmt.count(v, lang) for v in trend["oral"]],
            names["joint"]: [fmt.count(v, lang) for v in trend["joint"]],
            t("common.source"): [tiles.source_badge(s, lang) for s in trend["source"]],
        }
    )
    return fig, table


@cached
def rate_figure(cur: duckdb.DuckDBPyConnection, ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    lang = ctx.lang
    trend = cached_trend(ctx.period, ctx.town)
    card = scores.scorecard(ctx.period, ctx.town, lang)
    row = card["metrics"]["mediation_success_rate"]
    frame = trend.assign(
        period=[period_axis_label(p, r, lang) for p, r in zip(trend["period_id"], trend["rate_reported"], strict=True)]
    )
    target = row["target"]
    if row["value"] is None:
        title = t("mediation.rate_title_none", period=ctx.period_label)
    else:
        key = "mediation.rate_title_met" if row["status"] == "met" else "mediation.rate_title_missed"
        title = t(key, period=ctx.period_label, rate=fmt.rate(row["value"], lang), target=fmt.rate(target, lang))
        if row["change_pp"] is not None:
            title += t("mediation.yoy", change=fmt.points(row["change_pp"], lang))
    fig = charts.rate_trend(
        frame,
        "period",
        "success_rate",
        target=target,
        title=title,
        lang=lang,
        names={"success_rate": metric("mediation_success_rate").label(lang)},
        numerator="success",
        denominator="decided",
        height=360,
    )
    table = pd.DataFrame(
        {
            t("common.period"): frame["period"],
            metric("mediation_success_rate").label(lang): [fmt.rate(v, lang) for v in trend["success_rate"]],
            t("mediation.col.success"): [fmt.count(v, lang) for v in trend["success"]],
            t("mediation.col.decided"): [fmt.count(v, lang) for v in trend["decided"]],
            t("common.source"): [
                tiles.source_badge(s, lang) if r else ""
                for s, r in zip(trend["source"], trend["rate_reported"], strict=True)
            ],
        }
    )
    return fig, table


@cached
def villages_figure(cur: duckdb.DuckDBPyConnection, ctx: Context) -> tuple[go.Figure, pd.DataFrame] | None:
    lang = ctx.lang
    frame = mediation_queries.villages(cur, ctx.period, ctx.town, ctx.as_of)
    if frame.empty:
        return None
    # Across towns a village is named with its town (every county has a 东风村 or two).
    many_towns = frame["town"].nunique() > 1
    frame = frame.assign(label=frame["town"] + frame["village"].fillna("") if many_towns else frame["village"])
    top = frame.iloc[0]
    title = t(
        "mediation.villages_title",
        period=ctx.period_label,
        village=top["label"],
        count=fmt.count(top["total"], lang),
    )
    rated = frame.dropna(subset=["success_rate"])
    if not rated.empty:
        low = rated.sort_values(["success_rate", "total"], ascending=[True, False]).iloc[0]
        title += t("mediation.villages_low", village=low["label"], rate=fmt.rate(low["success_rate"], lang))
    fig = charts.ranked_bar(
        frame, "label", "total", title=title, lang=lang, colour_key="disputes_total", top=15, key="village"
    )
    table = pd.DataFrame(
        {
            t("mediation.col.rank"): frame["rank"],
            t("mediation.col.town"): frame["town"],
            t("mediation.col.village"): frame["village"],
            metric("disputes_total").label(lang): frame["total"],
            t("mediation.col.success"): frame["success"],
            t("mediation.col.failed"): frame["failed"],
            metric("disputes_pending").label(lang): frame["pending"],
            metric("mediation_success_rate").label(lang): [fmt.rate(v, lang) for v in frame["success_rate"]],
        }
    )
    return fig, table


@cached
def categories_figure(cur: duckdb.DuckDBPyConnection, ctx: Context) -> tuple[go.Figure, pd.DataFrame] | None:
    lang = ctx.lang
    frame = mediation_queries.categories(cur, ctx.period, ctx.town, ctx.as_of)
    if frame.empty:
        return None
    ranked = frame.dropna(subset=["current"])
    if ranked.empty:
        title = t("mediation.categories_title_none", period=ctx.period_label)
    else:
        top = ranked.sort_values(["current", "category"], ascending=[False, True]).iloc[0]
        moved = charts.largest_change(frame, "category", "current", "previous")
        if moved is None:
            title = t(
                "mediation.categories_title",
                period=ctx.period_label,
                category=top["category"],
                count=fmt.count(top["current"], lang),
            )
        else:
            name, now, before = moved
            change = fmt.change_pct((now - before) / before, lang) if before else fmt.change_abs(now - before, lang)
            title = t(
                "mediation.categories_change",
                period=ctx.period_label,
                category=name,
                previous=fmt.count(before, lang),
                current=fmt.count(now, lang),
                change=change,
            )
            if name != top["category"]:
                title += t("mediation.categories_most", category=top["category"], count=fmt.count(top["current"], lang))
    previous = ctx.period.previous_year()
    fig = charts.paired_bar(
        frame,
        "category",
        "current",
        "previous",
        (ctx.period_label, ctx.previous_label),
        title=title,
        lang=lang,
        metric_id="disputes_total",
        horizontal=True,  # fifteen categories: names level, one under another
    )
    table = pd.DataFrame(
        {
            t("mediation.col.category"): frame["category"],
            ctx.period.label(lang): [fmt.count(v, lang) for v in frame["current"]],
            previous.label(lang): [fmt.count(v, lang) for v in frame["previous"]],
            t("common.change"): [fmt.change_abs(v, lang) for v in frame["change"]],
            t("mediation.col.growth"): [fmt.change_pct(v, lang) for v in frame["growth"]],
            t("mediation.col.share"): [fmt.rate(v, lang) for v in frame["share"]],
        }
    )
    return fig, table


@cached
def monthly_figure(cur: duckdb.DuckDBPyConnection, ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    lang = ctx.lang
    monthly = mediation_queries.monthly(cur, ctx.period, ctx.town, ctx.as_of)
    previous = ctx.period.previous_year()
    month_label = [t("mediation.month", month=m) for m in monthly["month"]]
    frame = monthly.assign(label=month_label)
    current = monthly.dropna(subset=["current"])
    if current.empty:
        title = t("mediation.monthly_title_none", period=ctx.period_label)
    else:
        peak = current.sort_values(["current", "month"], ascending=[False, True]).iloc[0]
        title = t(
            "mediation.monthly_title",
            period=ctx.period_label,
            month=t("mediation.month", month=peak["month"]),
            count=fmt.count(peak["current"], lang),
        )
    fig = charts.paired_bar(
        frame,
        "label",
        "current",
        "previous",
        (ctx.period_label, ctx.previous_label),
        title=title,
        lang=lang,
        metric_id="disputes_total",
    )
    table = pd.DataFrame(
        {
            t("mediation.col.month"): month_label,
            ctx.period.label(lang): [fmt.count(v, lang) for v in monthly["current"]],
            previous.label(lang): [fmt.count(v, lang) for v in monthly["previous"]],
        }
    )
    return fig, table


@cached
def halves_figure(cur: duckdb.DuckDBPyConnection, ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    lang = ctx.lang
    halves = mediation_queries.half_years(cur, ctx.period, ctx.town)
    half_names = {1: t("mediation.half.1"), 2: t("mediation.half.2")}
    long = halves.assign(
        year_label=[
            t("common.noted", text=y, note=t("common.reported")) if r else str(y)
            for y, r in zip(halves["year"], halves["reported"], strict=True)
        ],
        half_key=["H1" if h == 1 else "H2" for h in halves["half"]],
    )
    this_year = halves[halves["year"] == ctx.period.year]
    h1 = this_year[this_year["half"] == 1]["total"]
    h2 = this_year[this_year["half"] == 2]["total"]
    title = t(
        "mediation.halves_title",
        year=ctx.period.year,
        h1=fmt.count(h1.iloc[0] if len(h1) else None, lang),
        h2=fmt.count(h2.iloc[0] if len(h2) else None, lang),
    )
    fig = charts.stacked_bar(
        long,
        "year_label",
        "total",
        "half_key",
        title=title,
        lang=lang,
        labels={"H1": half_names[1], "H2": half_names[2]},
        order=["H1", "H2"],
    )
    table = pd.DataFrame(
        {
            t("common.year"): long["year_label"],
            t("mediation.col.half"): [half_names[h] for h in halves["half"]],
            metric("disputes_total").label(lang): [fmt.count(v, lang) for v in halves["total"]],
        }
    )
    return fig, table


Builder = Callable[[Context], "tuple[go.Figure, pd.DataFrame] | None"]


# Charts whose bars open their cases when clicked: chart key → the drill-down's filter.
DRILLS = {"mediation_villages": "village", "mediation_categories": "category"}


def drill_to(dimension: str, points: list[dict], key: str) -> bool:
    """Set the drill-down's ``dimension`` (village or category) to the clicked bar's value and open
    the case table; True when that is a new choice (the app reruns to show the cases).

    A clicked bar stays selected across reruns, so a click is applied once (remembered per chart):
    choosing another village in the box afterwards is not undone by the old click.
    """
    values = [p.get("customdata") for p in points if p.get("customdata") not in (None, "")]
    value = values[0] if values else None
    if isinstance(value, list):
        value = value[0] if value else None
    seen = f"_drilled_{key}"
    if value is None or st.session_state.get(seen) == value:
        if value is None:
            st.session_state.pop(seen, None)
        return False
    st.session_state[seen] = value
    # The selectbox is drawn later in this run (outside the fragment): hand the value over and
    # let ``drilldown`` set it before the widget exists.
    st.session_state["_drill"] = {dimension: html.unescape(str(value))}  # charts made it literal
    st.session_state["mediation_cases_open"] = True
    return True


def chart_or_caption(ctx: Context, builder: Builder, key: str, stem: str) -> None:
    """One chart with its table and downloads; a builder's None is an empty ledger. A village or
    category bar opens its cases when clicked (``drill_to``)."""
    parts = builder(ctx)
    if parts is None:
        st.caption(t("mediation.no_ledger", period=ctx.period.label(ctx.lang)))
        return
    dimension = DRILLS.get(key)
    points = figures.chart_with_table(*parts, key, file_stem=f"{stem}_{ctx.period.id}", selectable=bool(dimension))
    if dimension:
        st.caption(t("mediation.click_hint"))
        if drill_to(dimension, points, key):
            st.rerun(scope="app")


def chart_pair(ctx: Context, pair: tuple[tuple[Builder, str, str], ...]) -> None:
    """Two charts side by side: (builder, key, file stem) each."""
    for column, (builder, key, stem) in zip(st.columns(2), pair, strict=True):
        with column:
            chart_or_caption(ctx, builder, key, stem)


def _half_years_label() -> str:
    return f"{t('mediation.half.1')} / {t('mediation.half.2')}"


# The breakdowns under the headline charts: (tab label, builder, key, file stem).
BREAKDOWNS: tuple[tuple[Callable[[], str], Builder, str, str], ...] = (
    (lambda: t("mediation.col.village"), villages_figure, "mediation_villages", "villages"),
    (lambda: t("mediation.col.category"), categories_figure, "mediation_categories", "categories"),
    (lambda: t("mediation.col.month"), monthly_figure, "mediation_monthly", "monthly"),
    (_half_years_label, halves_figure, "mediation_halves", "half_years"),
)


@st.fragment
def breakdowns(ctx: Context) -> None:
    """Villages, categories, months and half-years in tabs, drawn one at a time.

    Each plotly chart costs the browser a few hundred ms of main-thread time, and all six
    charts were drawn before the page settled though only the first row is on screen. The
    chosen tab's chart is drawn; choosing another reruns only this fragment and draws that one
    (its state is ``st.session_state["mediation_breakdown"]``).
    """
    tabs = st.tabs([label() for label, *_ in BREAKDOWNS], key="mediation_breakdown", on_change="rerun")
    for tab, (_, builder, key, stem) in zip(tabs, BREAKDOWNS, strict=True):
        if tab.open:
            with tab:
                chart_or_caption(ctx, builder, key, stem)


def case_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Case rows with readable column names and values, for display and download."""

    def flag(value: object) -> str:
        if value is None or pd.isna(value):  # not recorded (a ledger without the column): unknown, not no
            return "—"
        return t("mediation.yes") if bool(value) else ""

    return pd.DataFrame(
        {
            t("mediation.col.received"): frame["received_date"].astype(str),
            t("mediation.col.village"): frame["village"],
            t("mediation.col.category"): frame["category"],
            t("mediation.col.form"): [
                t(f"mediation.form.{v}") if isinstance(v, str) and v else "" for v in frame["agreement_form"]
            ],
            t("mediation.form.joint"): [flag(v) for v in frame["joint"]],
            t("mediation.col.outcome"): [t(f"mediation.outcome.{v}") for v in frame["outcome"]],
            metric("disputes_escalated").label(lang): [flag(v) for v in frame["escalated"]],
            metric("disputes_referred").label(lang): [flag(v) for v in frame["referred"]],
            t("mediation.col.parties"): frame["parties"],
            t("mediation.col.mediator"): frame["mediator"],
            t("mediation.col.summary"): frame["summary"],
            t("mediation.col.case_no"): frame["case_no"],
            t("mediation.col.town"): frame["town"],
            t("mediation.col.source"): tables.source_column(frame),
        }
    )


@cached
def flagged_table(cur: duckdb.DuckDBPyConnection, ctx: Context) -> pd.DataFrame:
    return case_table(mediation_queries.flagged(cur, ctx.period, ctx.town), ctx.lang)


@cached
def cases_table(
    cur: duckdb.DuckDBPyConnection, ctx: Context, village: str | None, category: str | None
) -> pd.DataFrame:
    return case_table(mediation_queries.cases(cur, ctx.period, ctx.town, village=village, category=category), ctx.lang)


def flagged_section(ctx: Context, card: dict) -> None:
    lang = ctx.lang
    counts = {m: card["metrics"][m]["value"] for m in ("disputes_pending", "disputes_escalated", "disputes_referred")}
    st.markdown(f"##### {t('mediation.flagged_title')}")
    st.caption(
        t(
            "mediation.flagged_caption",
            pending=fmt.count(counts["disputes_pending"], lang),
            escalated=fmt.count(counts["disputes_escalated"], lang),
            referred=fmt.count(counts["disputes_referred"], lang),
        )
    )
    if not any(counts.values()):
        st.caption(t("mediation.flagged_none"))
        return
    # Below the fold: the counts above say how many; the rows are queried and drawn when asked for.
    tables.table_on_demand(lambda: flagged_table(ctx), "mediation_flagged", file_stem=f"flagged_cases_{ctx.period.id}")


def _show_cases() -> None:
    """Choosing a village or category asks for the rows: open the case table."""
    st.session_state["mediation_cases_open"] = True


def drilldown(ctx: Context) -> None:
    lang = ctx.lang
    st.markdown(f"##### {t('mediation.drill_title')}")
    choices = cached_options(ctx.period, ctx.town)
    for dimension, value in st.session_state.pop("_drill", {}).items():
        # A clicked bar: its village or category, the other filter cleared.
        if value in choices[dimension]:
            st.session_state[dimension] = value
            st.session_state["category" if dimension == "village" else "village"] = None
    left, right = st.columns(2)
    village = left.selectbox(
        t("mediation.col.village"),
        choices["village"],
        index=None,
        placeholder=t("mediation.all_villages"),
        key="village",
        bind="query-params",
        on_change=_show_cases,
    )
    category = right.selectbox(
        t("mediation.col.category"),
        choices["category"],
        index=None,
        placeholder=t("mediation.all_categories"),
        key="category",
        bind="query-params",
        on_change=_show_cases,
    )
    count = cached_case_count(ctx.period, ctx.town, village=village, category=category)
    caption = t(
        "mediation.drill_caption",
        count=fmt.count(count, lang),
        village=safe.markdown(village) if village else t("mediation.all_villages"),
        category=safe.markdown(category) if category else t("mediation.all_categories"),
    )
    if count > mediation_queries.DRILL_LIMIT:
        caption += t("mediation.drill_limited", limit=fmt.count(mediation_queries.DRILL_LIMIT, lang))
    st.caption(caption)
    stem = "_".join(part for part in ("cases", ctx.period.id, village, category) if part)
    # Queried and drawn on demand, and at once when a filter is chosen (in the URL or the selectboxes).
    tables.table_on_demand(
        lambda: cases_table(ctx, village, category),
        "mediation_cases",
        expanded=bool(village or category),
        file_stem=stem,
        height=320,
    )


def main() -> None:
    ctx = heading.page_start("mediation.title")
    if ctx is None:
        return
    lang = ctx.lang
    card = scores.scorecard(ctx.period, ctx.town, lang)
    trend = cached_trend(ctx.period, ctx.town)
    if card["metrics"]["disputes_total"]["value"] is None:
        st.warning(t("empty.period"), icon=":material/event_busy:")
    kpi_row(card, trend, lang)
    chart_pair(
        ctx, ((forms_figure, "mediation_forms", "disputes_by_form"), (rate_figure, "mediation_rate", "mediation_rate"))
    )
    breakdowns(ctx)
    flagged_section(ctx, card)
    drilldown(ctx)


main()
