"""自助分析 Explore: pivot any ledger (filter, group by ≤ 2 columns, count/sum/rate, chart, download)
and a guarded SQL box with the data dictionary and saved queries. Thin: reads the context and
widgets, calls ``analytics.adhoc.explore`` / ``analytics.adhoc.sqlguard`` / ``analytics.adhoc.saved_queries``, draws.
Every pivot choice is bound to the URL (``?ex_ds=disputes&ex_group=...``), so a link reproduces it.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import access
from analytics.adhoc import dictionary, explore, saved_queries, sqlguard, sqlhints
from analytics.present import charts, fmt, safe
from pages import auth, figures, heading, tables, view
from pages.cache import cached_masked, db_path
from pages.view import Context, t

# A SQL result is kept in the session (shown again on the page's next runs) up to this size in memory.
KEPT_BYTES = 32 * 2**20
NULL = "∅"  # a filter choice for empty cells (kept short for the URL)
TIME_GROUPS = frozenset(explore.DERIVED)


# ----- cached analytics --------------------------------------------------------------------------


def _filters_key(filters: dict[str, list[Any]]) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """The chosen filters as a cache key: sorted, without the columns left open."""
    return tuple(sorted((column, tuple(values)) for column, values in filters.items() if values))


def _filters(key: tuple[tuple[str, tuple[Any, ...]], ...]) -> dict[str, list[Any]]:
    return {column: list(values) for column, values in key}


@cached_masked
def _pivot(
    cur: duckdb.DuckDBPyConnection,
    dataset: str,
    period: explore.Span,
    town: str | None,
    filters: tuple[tuple[str, tuple[Any, ...]], ...],
    group_by: tuple[str, ...],
    measure: str,
) -> pd.DataFrame:
    grouped = list(group_by)
    return explore.pivot(cur, dataset, period, town, _filters(filters), grouped, explore.parse_measure(measure))


@cached_masked
def _rows(
    cur: duckdb.DuckDBPyConnection,
    dataset: str,
    period: explore.Span,
    town: str | None,
    filters: tuple[tuple[str, tuple[Any, ...]], ...],
) -> pd.DataFrame:
    return explore.rows(cur, dataset, period, town, _filters(filters))


_options = cached_masked(explore.options)  # (dataset, column, period, town) -> the column's values


@cached_masked
def _missing_values(cur: duckdb.DuckDBPyConnection, sql: str, lang: str) -> list[sqlhints.Missing]:
    return sqlhints.missing_values(cur, sql, lang)


@cached_masked
def _dictionary(cur: duckdb.DuckDBPyConnection, lang: str, show: bool) -> list[dictionary.ViewDoc]:
    return dictionary.dictionary(cur, lang, show_personal=show)


# ----- widgets -----------------------------------------------------------------------------------


def _keep_valid(key: str, options: list[str], many: bool) -> None:
    """Drop a remembered (or URL) choice that the current dataset doesn't offer.

    Bound widgets write their *displayed* option to the URL and restore it themselves; a link written
    by hand or by another page may use ids instead (``?ex_ds=disputes&ex_group=village``): on the
    session's first run those are read here.
    """
    seeded = st.session_state.setdefault("_ex_seeded", set())
    if key not in seeded:
        seeded.add(key)
        from_url = st.query_params.get_all(key)
        if from_url and all(v in options for v in from_url):
            st.session_state[key] = list(from_url) if many else from_url[0]
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if many:
        st.session_state[key] = [v for v in (value or []) if v in options]
    elif value not in options:
        del st.session_state[key]


def _choice_text(value: Any) -> str:
    """A stored value as a filter choice: True → "true", None → ∅ (what the URL and the query compare)."""
    if value is None:
        return NULL
    return str(value).lower() if isinstance(value, bool) else str(value)


def year_range(ctx: Context) -> explore.Years:
    """The years the pivot counts over (``?ex_from=2016&ex_to=2025``), every year with data by
    default: the pivot answers "village × year" whatever period the sidebar shows."""
    years = [str(y) for y in view.data_coverage().years] or [str(ctx.period.year)]
    _keep_valid("ex_from", years, many=False)
    _keep_valid("ex_to", years, many=False)
    st.session_state.setdefault("ex_from", years[0])
    st.session_state.setdefault("ex_to", years[-1])
    left, right, note = st.columns([1, 1, 3], vertical_alignment="bottom")
    first = left.selectbox(t("explore.years_from"), years, key="ex_from", bind="query-params")
    last = right.selectbox(t("explore.years_to"), years, key="ex_to", bind="query-params")
    note.caption(t("explore.years_help"))
    low, high = sorted((int(first or years[0]), int(last or years[-1])))
    return explore.Years(low, high)


def pivot_controls(ctx: Context, span: explore.Years) -> tuple[explore.Dataset, list[str], str, dict[str, list[Any]]]:
    lang = ctx.lang
    ids = [ds.id for ds in explore.datasets()]
    _keep_valid("ex_ds", ids, many=False)
    left, middle, right = st.columns([1, 2, 1.4])
    chosen = left.selectbox(
        t("explore.dataset"),
        ids,
        key="ex_ds",
        bind="query-params",
        format_func=lambda i: explore.get(i).label(lang),
    )
    ds = explore.get(chosen or ids[0])
    dimensions = list(ds.dimensions())
    _keep_valid("ex_group", dimensions, many=True)
    group_by = middle.multiselect(
        t("explore.group_by"),
        dimensions,
        key="ex_group",
        bind="query-params",
        max_selections=explore.MAX_GROUPS,
        help=t("explore.group_help"),
        format_func=lambda c: explore.column_label(ds, c, lang),
        placeholder=t("explore.group_none"),
    )
    measures = explore.measures(ds, lang)
    _keep_valid("ex_measure", list(measures), many=False)
    measure = (
        right.selectbox(
            t("explore.measure"),
            list(measures),
            key="ex_measure",
            bind="query-params",
            format_func=lambda m: measures[m],
        )
        or "count"
    )
    _keep_valid("ex_filter", dimensions, many=True)
    filter_columns = st.multiselect(
        t("explore.filter_columns"),
        dimensions,
        key="ex_filter",
        bind="query-params",
        format_func=lambda c: explore.column_label(ds, c, lang),
        placeholder=t("explore.filter_none"),
    )
    filters: dict[str, list[Any]] = {}
    if filter_columns:
        for column, slot in zip(filter_columns, st.columns(len(filter_columns)), strict=True):
            raw = _options(ds.id, column, span, ctx.town)
            choices = [_choice_text(v) for v in raw]
            labels = {_choice_text(v): dictionary.value_label(column, v, lang) for v in raw}
            key = f"ex_f_{column}"
            _keep_valid(key, choices, many=True)
            picked = slot.multiselect(
                explore.column_label(ds, column, lang),
                choices,
                key=key,
                bind="query-params",
                format_func=lambda v, labels=labels: labels.get(v, v),
                placeholder=t("explore.filter_all"),
            )
            if picked:
                filters[column] = [None if v == NULL else v for v in picked]
    return ds, list(group_by), measure, filters


# ----- drawing -----------------------------------------------------------------------------------


def _unit(measure: str) -> str:
    if measure == "count":
        return "count"
    if measure.startswith("rate:"):
        return "rate"
    return "hours" if measure == "sum:hours" else ""


def _value_text(value: Any, unit: str, lang: str) -> str:
    if value is None or pd.isna(value):
        return fmt.no_data(lang)
    if unit == "rate":
        return fmt.rate(float(value), lang)
    if unit == "hours":
        return fmt.hours(float(value), lang)
    if unit == "count":
        return fmt.count(float(value), lang)
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def _words(column: str, values: pd.Series, lang: str) -> list[str]:
    return [dictionary.value_label(column, None if pd.isna(v) else v, lang) for v in values]


def pivot_figure(
    frame: pd.DataFrame, ds: explore.Dataset, group_by: list[str], measure: str, title: str, lang: str
) -> go.Figure | None:
    """A bar for one grouping (in time order for months/quarters), stacked bars or a heatmap for two."""
    unit = _unit(measure)
    if not group_by or frame.empty:
        return None
    if len(group_by) == 1:
        column = group_by[0]
        shown = pd.DataFrame(
            {"label": _words(column, frame[column], lang), "value": frame["value"], "key": frame[column]}
        )
        if column in TIME_GROUPS:
            fig = charts.trend_bar(shown, "label", "value", title=title, unit=unit if unit != "rate" else "", lang=lang)
            if unit == "rate":
                fig.update_traces(text=None)
                charts.rate_axis(fig, *charts.rate_range([v for v in shown["value"] if v is not None], None))
            return fig
        colour_by_label = column in ("category", "agreement_form", "outcome")
        shown["label"] = (
            shown["label"] if not colour_by_label else [str(k) if not pd.isna(k) else "" for k in shown["key"]]
        )
        fig = charts.ranked_bar(
            shown, "label", "value", title=title, unit=unit or "count", lang=lang, colour_by_label=colour_by_label
        )
        if colour_by_label:  # coloured by the stored code, labelled in words
            names = dict(zip(shown["label"], _words(column, frame[column], lang), strict=True))
            fig.update_yaxes(
                ticktext=[names.get(v, v) for v in fig.layout.yaxis.categoryarray],
                tickvals=list(fig.layout.yaxis.categoryarray),
            )
        return fig
    first, second = group_by
    if unit == "rate":
        return rate_heatmap(frame, first, second, title, lang)
    long = frame.assign(x=_words(first, frame[first], lang), group=[NULL if pd.isna(v) else v for v in frame[second]])
    labels = {g: dictionary.value_label(second, None if g == NULL else g, lang) for g in long["group"]}
    return charts.stacked_bar(
        long, "x", "value", "group", title=title, unit=unit or "count", lang=lang, labels=labels, height=380
    )


def rate_heatmap(frame: pd.DataFrame, first: str, second: str, title: str, lang: str) -> go.Figure:
    """A rate per cell of two groupings, each cell saying the rate and its counts (98.6% 552/560);
    the blue scale spans the rates found (a 94–99% grid is not one flat colour on 0–100%), and
    red is kept for missed targets. The grouping with fewer values runs across, so the cells are
    as wide as they can be (village × year: the years across)."""
    if frame[first].nunique(dropna=False) > frame[second].nunique(dropna=False):
        first, second = second, first
    crossed = explore.crosstab(frame, second, first, rate=True)
    values, numerators, denominators = (
        crossed[k].drop(index=explore.TOTAL, columns=explore.TOTAL) for k in ("value", "numerator", "denominator")
    )
    cells = [
        [
            "" if v is None else f"{fmt.rate(float(v), lang)}<br>{float(n):,.0f}/{float(d):,.0f}"
            for v, n, d in zip(values.loc[r], numerators.loc[r], denominators.loc[r], strict=True)
        ]
        for r in values.index
    ]
    known = [float(v) for row in values.values for v in row if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    fig = go.Figure(
        go.Heatmap(
            z=[[None if v is None else float(v) for v in row] for row in values.values],
            x=[dictionary.value_label(first, c, lang) for c in values.columns],
            y=[dictionary.value_label(second, r, lang) for r in values.index],
            colorscale="Blues",
            zmin=low - (high - low) * 0.25 if high > low else low - 0.05,
            zmax=high,
            text=cells,
            texttemplate="%{text}",
            textfont={"size": 10},
            colorbar={"tickformat": ".0%", "thickness": 10},
            hovertemplate="%{x} · %{y}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category", tickangle=0)
    fig.update_yaxes(type="category", autorange="reversed")
    return charts.style(fig, title, max(300, 44 * len(values.index) + 120), lang)


def crosstab_table(
    frame: pd.DataFrame, ds: explore.Dataset, group_by: list[str], measure: str, lang: str
) -> pd.DataFrame:
    """Rows × columns with 合计 / Total: the two groupings as a real crosstab, values as the report
    writes them (a rate with its counts), ready for Excel."""
    first, second = group_by
    unit = _unit(measure)
    crossed = explore.crosstab(frame, first, second, rate=unit == "rate")

    def name(column: str, key: Any) -> str:
        return t("explore.total") if key == explore.TOTAL else dictionary.value_label(column, key, lang)

    values = crossed["value"]
    table = pd.DataFrame({explore.column_label(ds, first, lang): [name(first, k) for k in values.index]})
    for key in values.columns:
        cells = []
        for index in values.index:
            value = values.loc[index, key]
            text_value = _value_text(value, unit, lang)
            if unit == "rate" and crossed["denominator"].loc[index, key]:
                text_value += (
                    f"（{crossed['numerator'].loc[index, key]:,.0f}/{crossed['denominator'].loc[index, key]:,.0f}）"
                )
            cells.append(text_value if value is not None or unit == "rate" else "")
        table[name(second, key)] = cells
    return table


def pivot_table(frame: pd.DataFrame, ds: explore.Dataset, measure: str, measure_label: str, lang: str) -> pd.DataFrame:
    """The pivot for people: words for codes, labelled headers, the value as the report writes it."""
    unit = _unit(measure)
    shown = explore.with_labels(frame, ds, lang)
    shown[measure_label] = [_value_text(v, unit, lang) for v in frame["value"]]
    return shown.drop(columns=["value"])


def pivot_section(ctx: Context) -> None:
    lang = ctx.lang
    span = year_range(ctx)
    ds, group_by, measure, filters = pivot_controls(ctx, span)
    measure_label = explore.measures(ds, lang)[measure]
    key = _filters_key(filters)
    try:
        frame = _pivot(ds.id, span, ctx.town, key, tuple(group_by), measure)
    except ValueError as exc:  # a hand-edited URL naming a column the dataset doesn't have
        st.error(safe.markdown(exc))
        return
    when = t("explore.years", first=span.first, last=span.last)
    title = t(
        "explore.result_title",
        dataset=ds.label(lang),
        measure=measure_label,
        period=when,
        town=safe.markdown(ctx.town_label),
    )
    if frame.empty or (
        not group_by and (frame["value"].iloc[0] is None or frame["value"].iloc[0] == 0) and measure == "count"
    ):
        st.info(t("explore.no_rows"))
    crossed = len(group_by) == 2 and not frame.empty
    table = (
        crosstab_table(frame, ds, group_by, measure, lang)
        if crossed
        else pivot_table(frame, ds, measure, measure_label, lang)
    )
    fig = pivot_figure(frame, ds, group_by, measure, title, lang)
    stem = f"explore_{ds.id}_{span.id}"
    if fig is None:
        st.subheader(title)
        if not frame.empty:
            st.metric(measure_label, _value_text(frame["value"].iloc[0], _unit(measure), lang), border=True)
        st.dataframe(table, hide_index=True, width="stretch", key="ex_table")
        tables.download_buttons(table, "ex_pivot", stem)
    elif crossed:
        figures.plotly_chart(fig, "ex_pivot")
        rows, columns = (explore.column_label(ds, c, lang) for c in group_by)
        st.markdown(f"##### {t('explore.crosstab', rows=rows, columns=columns)}")
        st.dataframe(table, hide_index=True, width="stretch", key="ex_crosstab")
        tables.download_buttons(table, "ex_pivot", stem, fig)
    else:
        figures.chart_with_table(fig, table, "ex_pivot", table="beside", file_stem=stem)
    detail_section(ctx, ds, key, span)


def detail_section(
    ctx: Context, ds: explore.Dataset, key: tuple[tuple[str, tuple[Any, ...]], ...], span: explore.Years
) -> None:
    lang = ctx.lang
    detail = _rows(ds.id, span, ctx.town, key)
    with st.expander(t("explore.detail", count=f"{len(detail):,}"), expanded=False):
        if detail.attrs.get("truncated"):
            st.warning(t("explore.detail_cut", limit=f"{explore.DETAIL_LIMIT:,}"))
        if not access.personal_visible():
            st.caption(t("explore.masked"))
        shown = explore.with_labels(detail, ds, lang)
        st.dataframe(shown, hide_index=True, width="stretch", key="ex_detail")
        tables.download_buttons(shown, "ex_detail", f"explore_{ds.id}_{span.id}_rows")


# ----- SQL ---------------------------------------------------------------------------------------


def _load_saved() -> None:
    found = saved_queries.get_query(st.session_state.get("ex_saved") or "", db_path())
    if found is not None:
        st.session_state["ex_sql"] = found.sql
        st.session_state["ex_save_name"] = found.name
        st.session_state["ex_run"] = True


def _delete_saved() -> None:
    name = st.session_state.get("ex_saved")
    try:
        deleted = bool(name) and saved_queries.delete_query(name, db_path())
    except sqlguard.SqlError as exc:
        st.session_state["ex_notice"] = ("error", safe.markdown(exc))
        return
    if deleted:
        st.session_state["ex_notice"] = ("success", t("explore.deleted", name=safe.markdown(name)))
        st.session_state.pop("ex_saved", None)


def _save() -> None:
    name = st.session_state.get("ex_save_name") or ""
    try:
        saved = saved_queries.save_query(name, st.session_state.get("ex_sql") or "", db_path())
    except sqlguard.SqlError as exc:
        st.session_state["ex_notice"] = ("error", safe.markdown(exc))
        return
    st.session_state["ex_notice"] = ("success", t("explore.saved_ok", name=safe.markdown(saved.name)))
    st.session_state["ex_saved"] = saved.name


def dictionary_help(ctx: Context) -> None:
    docs = _dictionary(ctx.lang, access.personal_visible())
    with st.expander(t("explore.dictionary"), expanded=False, icon=":material/menu_book:"):
        st.caption(t("explore.dictionary_help"))
        for doc in docs:
            st.markdown(f"**`{doc.name}`** — {doc.description}")
            st.dataframe(
                dictionary.as_frame([doc], ctx.lang).drop(columns=[t("dictionary.column.view")]),
                hide_index=True,
                width="stretch",
                key=f"ex_dict_{doc.name}",
            )
        full = dictionary.as_frame(docs, ctx.lang)
        tables.download_buttons(full, "ex_dictionary", "data_dictionary")


def saved_controls(ctx: Context) -> None:
    queries = saved_queries.list_queries(ctx.db_path)
    names = [q.name for q in queries]
    _keep_valid("ex_saved", names, many=False)
    pick, load, delete = st.columns([3, 1, 1], vertical_alignment="bottom")
    pick.selectbox(
        t("explore.saved"),
        names,
        key="ex_saved",
        index=None,
        placeholder=t("explore.saved_none") if not names else t("explore.saved_pick"),
    )
    load.button(
        t("explore.load"),
        key="ex_load",
        on_click=_load_saved,
        disabled=not names,
        icon=":material/play_arrow:",
        width="stretch",
    )
    delete.button(
        t("explore.delete"),
        key="ex_delete",
        on_click=_delete_saved,
        disabled=not names,
        icon=":material/delete:",
        width="stretch",
    )


def sql_section(ctx: Context) -> None:
    notice = st.session_state.pop("ex_notice", None)
    if notice:
        (st.success if notice[0] == "success" else st.error)(notice[1])
    saved_controls(ctx)
    st.text_area(
        t("explore.sql_box"),
        key="ex_sql",
        height=140,
        max_chars=sqlguard.MAX_SQL_CHARS,
        placeholder="SELECT village, count(*) AS 件数 FROM v_disputes\nWHERE year(received_date) = 2020\n"
        "GROUP BY village ORDER BY 件数 DESC",
        help=t(
            "explore.sql_help", seconds=f"{sqlguard.DEFAULT_TIMEOUT_SECONDS:g}", rows=f"{sqlguard.DEFAULT_ROW_LIMIT:,}"
        ),
    )
    run, name, save = st.columns([1, 2, 1], vertical_alignment="bottom")
    clicked = run.button(
        t("explore.run"), key="ex_run_button", type="primary", icon=":material/play_arrow:", width="stretch"
    )
    name.text_input(t("explore.save_name"), key="ex_save_name", max_chars=saved_queries.MAX_NAME_CHARS)
    save.button(t("explore.save"), key="ex_save", on_click=_save, icon=":material/save:", width="stretch")
    dictionary_help(ctx)
    if clicked or st.session_state.pop("ex_run", False):
        text = st.session_state.get("ex_sql") or ""
        try:
            result = sqlguard.run(text, ctx.db_path)
        except sqlguard.SqlError as exc:
            auth.record("sql", {"sql": text, "error": str(exc)})
            st.session_state.pop("ex_result", None)
            st.error(safe.markdown(exc), icon=":material/block:")
            return
        auth.record("sql", {"sql": text, "rows": len(result)})
        # Kept for the page's next runs only when small: each open tab holds its own.
        size = int(result.memory_usage(deep=True).sum())
        if size <= KEPT_BYTES:
            st.session_state["ex_result"] = result
        else:
            st.session_state.pop("ex_result", None)
            st.caption(t("explore.not_kept", mb=f"{size / 2**20:,.0f}"))
    else:
        result = st.session_state.get("ex_result")
    if result is None:
        return
    if result.attrs.get("truncated") and result.attrs.get("cells_limited"):
        cut = {"columns": f"{len(result.columns):,}", "cells": f"{sqlguard.MAX_RESULT_CELLS:,}"}
        st.warning(t("explore.rows_cut_cells", limit=f"{result.attrs['row_limit']:,}", **cut))
    elif result.attrs.get("truncated"):
        st.warning(t("explore.rows_cut", limit=f"{result.attrs['row_limit']:,}"))
    else:
        st.caption(t("explore.rows_returned", count=f"{len(result):,}"))
    if result.attrs.get("cut_cells"):
        cells = f"{result.attrs['cut_cells']:,}"
        st.warning(t("explore.cells_cut", count=cells, chars=f"{sqlguard.MAX_CELL_CHARS:,}"))
    if found_nothing(result):
        empty_result_hints(st.session_state.get("ex_sql") or "")
    shown = dictionary.mask_personal(result)
    st.dataframe(shown, hide_index=True, width="stretch", key="ex_sql_result")
    tables.download_buttons(shown, "ex_sql_download", "query_result")


def found_nothing(result: pd.DataFrame) -> bool:
    """No rows, or one row of counts that are all 0 (``SELECT count(*) … WHERE outcome = '成功'``)."""
    if result.empty:
        return True
    if len(result) > 1:
        return False
    numbers = [v for v in result.iloc[0].tolist() if isinstance(v, int | float) and not isinstance(v, bool)]
    return bool(numbers) and len(numbers) == len(result.columns) and all(v == 0 for v in numbers)


def empty_result_hints(sql: str) -> None:
    """An empty result whose filter compares a value its column never holds says so (outcome = '成功'
    finds nothing: the column holds success, and 调解结果 = '调解成功' is the way in words)."""
    try:
        missing = _missing_values(sql, view.lang())
    except duckdb.Error:
        return  # the hint is a courtesy; the query itself already ran
    for found in missing:
        message = t(
            "explore.no_such_value",
            value=safe.markdown(found.value),
            view=found.view,
            column=safe.markdown(found.column),
            values=safe.markdown(t("dictionary.list_separator").join(found.values)),
        )
        if found.word_column and found.word:
            message += " " + t("explore.label_hint", label=found.word_column, word=safe.markdown(found.word))
        st.warning(message, icon=":material/search_off:")


def main() -> None:
    auth.require("explore")
    ctx = view.context()
    st.title(t("explore.title"))
    if not heading.has_data():
        heading.empty_state(ctx.lang)
        return
    st.caption(t("explore.subtitle", town=safe.markdown(ctx.town_label)))  # its own years, not the sidebar's period
    pivot_tab, sql_tab = st.tabs([t("explore.tab.pivot"), t("explore.tab.sql")])
    with pivot_tab:
        pivot_section(ctx)
    with sql_tab:
        sql_section(ctx)


main()
