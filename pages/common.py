"""Shared UI pieces for every page: the view context, the database cursor, cached analytics calls,
the empty state, chart + table + download, KPI tiles and the ``t()`` text shortcut.

The sidebar in ``dashboard.py`` writes the view into session state (keys ``lang``, ``kind``,
``period``, ``town``); pages read it with ``context()`` and never parse widgets themselves.
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import charts, db, fmt, i18n, trends
from analytics import coverage as coverage_mod
from analytics.catalogue import BY_ID
from analytics.metrics import Value, compute
from analytics.periods import Period, parse
from analytics.scorecard import scorecard


def _route_direct_links_through_the_router() -> None:
    """Send a first request for ``/mediation`` on a fresh server through ``dashboard.py``.

    Because a folder named ``pages/`` sits beside the entry script, Streamlit starts in its old
    folder mode and, until ``st.navigation`` has run once, runs a directly linked page file on its
    own: no router, no sidebar, every file of ``pages/`` listed. Leaving folder mode and rerunning
    makes it run the entry script, which routes to the requested page.
    ``tests/browser/test_direct_links.py`` proves it on a freshly started server.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_route_direct_links_through_the_router()

ALL_TOWNS = "all"  # the town selector's value for 全部乡镇 (kept short for the URL)
TODAY_OVERRIDE_ENV = "DASHBOARD_TODAY"


@dataclass(frozen=True)
class Context:
    """The view every page draws: chosen period, town (None = all towns), language and database."""

    period: Period
    town: str | None
    lang: str
    db_path: Path

    @property
    def town_label(self) -> str:
        return self.town or i18n.text("sidebar.all_towns", self.lang)


def today() -> date:
    """Today's date; ``DASHBOARD_TODAY=2026-11-28`` pins it (tests, demos)."""
    import os

    pinned = os.environ.get(TODAY_OVERRIDE_ENV)
    return date.fromisoformat(pinned) if pinned else date.today()


def lang() -> str:
    value = st.session_state.get("lang", "zh")
    return value if value in i18n.LANGUAGES else "zh"


def t(key: str, **fields: object) -> str:
    """The text of ``key`` in the current language (see ``analytics.i18n``)."""
    return i18n.text(key, lang(), **fields)


def db_path() -> Path:
    return db.db_path()


def data_version() -> tuple[int, int, int]:
    """Changes when a load swaps in a new database file; part of every cache key."""
    return db.data_version(db_path())


def cursor() -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the process-wide read-only connection (one per call: cursors aren't shared)."""
    return db.reader(db_path()).cursor()


def context() -> Context:
    """The current view, as the sidebar left it in session state."""
    period_id = st.session_state.get("period")
    try:
        period = parse(period_id) if period_id else None
    except ValueError:
        period = None
    kind = st.session_state.get("kind")
    if period is not None and kind in ("year", "half", "quarter") and period.kind != kind:
        period = default_period(kind) or period  # the kind was just switched; the sidebar follows
    if period is None:
        period = default_period() or Period(today().year - 1, "year", 1)
    town = st.session_state.get("town")
    return Context(period, None if town in (None, "", ALL_TOWNS) else town, lang(), db_path())


# ----- cached analytics -------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=256)
def _coverage(path: str, version: tuple[int, int, int]) -> coverage_mod.Coverage:
    cur = db.reader(path).cursor()
    try:
        return coverage_mod.coverage(cur)
    finally:
        cur.close()


def data_coverage() -> coverage_mod.Coverage:
    """Towns and date span of the loaded data (cached per data version)."""
    return _coverage(str(db_path()), data_version())


@st.cache_data(show_spinner=False, max_entries=256)
def _periods(path: str, version: tuple[int, int, int], kind: str, town: str | None) -> list[str]:
    cur = db.reader(path).cursor()
    try:
        return [p.id for p in coverage_mod.periods_with_data(cur, kind, town)]
    finally:
        cur.close()


def periods_with_data(kind: str, town: str | None = None) -> list[Period]:
    return [parse(p) for p in _periods(str(db_path()), data_version(), kind, town)]


@st.cache_data(show_spinner=False, max_entries=64)
def _default_period(path: str, version: tuple[int, int, int], on: date, kind: str | None) -> str | None:
    cur = db.reader(path).cursor()
    try:
        period = coverage_mod.default_period(cur, on, kind)
        return period.id if period else None
    finally:
        cur.close()


def default_period(kind: str | None = None) -> Period | None:
    """The latest complete half-year or year with data (or of ``kind``)."""
    found = _default_period(str(db_path()), data_version(), today(), kind)
    return parse(found) if found else None


@st.cache_data(show_spinner=False, max_entries=512)
def _scorecard(path: str, version: tuple[int, int, int], period_id: str, town: str | None, lang: str) -> dict[str, Any]:
    cur = db.reader(path).cursor()
    try:
        return scorecard(cur, parse(period_id), town, lang)
    finally:
        cur.close()


def cached_scorecard(period: Period, town: str | None, lang: str) -> dict[str, Any]:
    """``analytics.scorecard.scorecard`` cached until the database changes."""
    return _scorecard(str(db_path()), data_version(), period.id, town, lang)


@st.cache_data(show_spinner=False, max_entries=512)
def _compute(
    path: str, version: tuple[int, int, int], period_ids: tuple[str, ...], town: str | None
) -> dict[str, dict[str, Value]]:
    cur = db.reader(path).cursor()
    try:
        return compute(cur, [parse(p) for p in period_ids], town)
    finally:
        cur.close()


def cached_compute(periods: list[Period], town: str | None) -> dict[str, dict[str, Value]]:
    """``analytics.metrics.compute`` cached until the database changes."""
    return _compute(str(db_path()), data_version(), tuple(p.id for p in periods), town)


def trend_periods(period: Period, years: int | None = None) -> list[Period]:
    """Periods of the same kind and index as ``period`` over the years with data, up to ``period``.

    For 2020H1 that is 2017H1, 2018H1, ... 2020H1: like against like, as 同比 compares.
    """
    span = data_coverage().years
    return trends.like_for_like(period, min(span) if span else None, years)


def trend_frame(
    period: Period, town: str | None, lang: str, metric_ids: list[str] | None = None, years: int | None = None
) -> pd.DataFrame:
    """A long frame of metrics over the years (see ``analytics.trends.long_frame``)."""
    periods = trend_periods(period, years)
    return trends.long_frame(cached_compute(periods, town), periods, lang, metric_ids)


class _FigureDict(dict):  # type: ignore[type-arg]
    """A plotly figure as the plain dict ``st.cache_data`` stores (a ``go.Figure`` pickles slowly)."""


def _freeze(value: Any) -> Any:
    if isinstance(value, go.Figure):
        return _FigureDict(value.to_dict())
    if isinstance(value, tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, _FigureDict):
        # Validated when it was built; validating again costs as much as building it.
        return go.Figure(value, _validate=False)
    if isinstance(value, tuple):
        return tuple(_thaw(v) for v in value)
    return value


_VIEW_BUILDERS: dict[str, Callable[..., Any]] = {}


@st.cache_data(show_spinner=False, max_entries=1024)
def _view_cached(
    name: str,
    path: str,
    version: tuple[int, int, int],
    period_id: str,
    town: str | None,
    lang: str,
    args: tuple[Any, ...],
) -> Any:
    return _freeze(_VIEW_BUILDERS[name](Context(parse(period_id), town, lang, Path(path)), *args))


def cached_view(builder: Callable[..., Any]) -> Callable[..., Any]:
    """Cache what ``builder(ctx, *args)`` returns (figures, frames, text) per data version and view.

    Building a house-style plotly figure costs ≈ 100 ms of Python (the template is copied and every
    property validated), and a page has up to six; with the queries cached that was most of a
    rerun. Builders read the database only through the cached queries and draw nothing; figures
    in the result (top level or in a tuple) come back as ``go.Figure``.
    """
    name = f"{builder.__code__.co_filename}:{builder.__qualname__}"
    _VIEW_BUILDERS[name] = builder  # page scripts are executed on every run: keep the latest

    @functools.wraps(builder)
    def cached(ctx: Context, *args: Any) -> Any:
        return _thaw(
            _view_cached(name, str(ctx.db_path), data_version(), ctx.period.id, ctx.town, ctx.lang, tuple(args))
        )

    return cached


# ----- drawing helpers --------------------------------------------------------------------------


def status_style(value: str, lang: str) -> str:
    """CSS for a table cell holding a status label (达标 / 未达标 / 无数据), in its status colour."""
    for status in ("met", "missed", "no_data"):
        if value == fmt.status_label(status, lang):
            return f"color: {fmt.status_colour(status)}; font-weight: 600"
    return ""


def page_start(title_key: str) -> Context | None:
    """An analysis page's heading (title · period · town); None, after the empty-state
    explanation, when the database holds no data yet."""
    ctx = context()
    st.markdown(f"#### {t(title_key)}　·　{ctx.period.label(ctx.lang)}　{ctx.town_label}")
    if not has_data():
        empty_state(ctx.lang)
        return None
    return ctx


def has_data() -> bool:
    return not data_coverage().empty


def empty_state(lang: str | None = None) -> None:
    """Explain what to do when the database holds no data (load ledgers on 数据管理 or the CLI)."""
    code = lang or globals()["lang"]()
    st.info(f"**{i18n.text('empty.title', code)}**\n\n{i18n.text('empty.body', code)}", icon=":material/info:")
    data_page = Path(__file__).with_name("data.py")
    if data_page.exists():
        # The link needs the page registered by the router; without it the text above suffices.
        with contextlib.suppress(Exception):
            st.page_link("pages/data.py", label=i18n.text("empty.go_data", code), icon=":material/upload_file:")


def source_badge(source: str | None, lang: str | None = None) -> str:
    """ " 报表数" for figures from summary sheets (source summary/reported), "" for ledger figures."""
    code = lang or globals()["lang"]()
    if source in ("summary", "reported"):
        return i18n.text("common.reported", code)
    if source == "mixed":
        return i18n.text("common.mixed", code)
    return ""


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel and WPS read the Chinese."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def _xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def download_buttons(frame: pd.DataFrame, key: str, file_stem: str | None = None, fig: go.Figure | None = None) -> None:
    """CSV (UTF-8 with BOM, so Excel/WPS read the Chinese) and XLSX downloads of a frame, and a PNG
    of the chart when one is given (rendered by kaleido only when clicked)."""
    stem = file_stem or key
    columns = st.columns(3 if fig is not None else 2)
    columns[0].download_button(
        t("common.download_csv"),
        lambda: _csv_bytes(frame),  # built on click, like the XLSX
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    columns[1].download_button(
        t("common.download_xlsx"),
        lambda: _xlsx_bytes(frame),  # built on click
        file_name=f"{stem}.xlsx",
        key=f"{key}_xlsx",
        icon=":material/table:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )
    if fig is not None:
        from analytics.report.images import figure_png

        columns[2].download_button(
            "PNG",
            lambda: figure_png(fig),
            file_name=f"{stem}.png",
            mime="image/png",
            key=f"{key}_png",
            icon=":material/image:",
            on_click="ignore",
        )


def plotly_chart(fig: go.Figure, key: str) -> None:
    """Draw a house-style figure once.

    Streamlit's chart element applies its theme when it mounts and again in an effect right after,
    which copies the figure (new data arrays) and wraps the title in a second ``<b>``: plotly then
    recalculates and redraws every chart a second time. The figures carry their own style (the one
    their PNG has), so the theme is off; a fixed ``datarevision`` tells plotly that copied arrays
    hold the same data. Titles stay bold, as Streamlit's theme drew them.
    """
    fig.update_layout(datarevision=1, title_font_weight=600)
    st.plotly_chart(fig, key=f"{key}_chart", width="stretch", theme=None, config={"displaylogo": False})


def chart_with_table(
    fig: go.Figure,
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    key: str,
    table: str = "below",
    expanded: bool = False,
    file_stem: str | None = None,
) -> None:
    """A plotly chart with its data: table beside (``table="beside"``) or in an expander under it,
    with CSV and XLSX downloads of exactly the figures drawn and a PNG of the chart. ``frame`` may
    be a function, called when the table is drawn (see ``table_on_demand``)."""
    if table == "beside" and callable(frame):
        frame = frame()
    if table == "beside":
        left, right = st.columns([3, 2])
        with left:
            plotly_chart(fig, key)
        with right:
            st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_table")
            download_buttons(frame, key, file_stem, fig)
        return
    plotly_chart(fig, key)
    table_on_demand(frame, key, expanded=expanded, file_stem=file_stem, fig=fig)


@st.fragment
def source_column(frame: pd.DataFrame) -> list[str]:
    """Where each row came from, for a table: "file · sheet · 第N行"."""
    return [
        f"{f} · {s} · {t('mediation.row', row=r)}"
        for f, s, r in zip(frame["source_file"], frame["sheet"], frame["excel_row"], strict=True)
    ]


def table_on_demand(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    key: str,
    label: str | None = None,
    expanded: bool = False,
    file_stem: str | None = None,
    fig: go.Figure | None = None,
    height: int | None = None,
) -> None:
    """A table and its downloads in an expander that draws them only while it is open.

    A closed expander's content is otherwise still built, sent and drawn: on the mediation page
    that was eight grids and twenty-two buttons nobody had asked for, and the grid's code loaded
    before the page could finish. Opening it reruns only this fragment, not the page; its state
    is ``st.session_state[f"{key}_open"]``. ``frame`` may be a function: the rows are then only
    queried when the table is opened.
    """
    box = st.expander(label or t("common.data_table"), expanded=expanded, key=f"{key}_open", on_change="rerun")
    if box.open:
        if callable(frame):
            frame = frame()
        with box:
            st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_table", height=height or "auto")
            download_buttons(frame, key, file_stem, fig)


def metric_tile(
    row: dict[str, Any], metric_id: str, lang: str, spark: list[float | None] | None = None, key: str | None = None
) -> None:
    """One KPI tile from a scorecard row: value, 同比 change as delta, target and status in the caption."""
    unit = row["unit"]
    value_text = fmt.value(unit, row["value"], lang, metric_id)
    delta = None
    if row["value"] is not None and row["previous"] is not None:
        delta = fmt.change(unit, row["change"], row["change_pct"], row["change_pp"], lang, metric_id)
    metric = BY_ID[metric_id]
    badge = source_badge(row.get("source"), lang)
    label = metric.label(lang) + (f" · {badge}" if badge else "")
    status = row.get("status")
    zero_change = row["change"] is not None and abs(row["change"]) < 1e-12
    # The trend is a small inline SVG (a year without data is a gap, never a 0): st.metric's own
    # sparkline loads a chart library and draws one chart view per tile, ≈ 0.5 s of the browser's
    # main thread for a row of eight before the page settles.
    tile = st.container(border=True, gap="xxsmall")
    tile.metric(
        label,
        value_text,
        delta=delta,
        # Colour only where a direction is good or bad (metrics with a target); a count of
        # disputes going down is neither.
        delta_color="off"
        if zero_change or metric.target_op is None
        else ("normal" if metric.higher_is_better else "inverse"),
        delta_arrow="off" if zero_change else "auto",
        help=metric.definition(lang) + (f"\n\n{i18n.text('common.reported_help', lang)}" if badge else ""),
    )
    svg = charts.sparkline_svg(spark or [], metric_id)
    if svg:
        tile.markdown(svg, unsafe_allow_html=True)
    previous_text = i18n.text("overview.vs_last_year", lang, previous=fmt.value(unit, row["previous"], lang, metric_id))
    parts = [previous_text]
    if row["target_op"]:
        target_text = fmt.target(unit, row["target_op"], row["target"], lang, metric_id)
        status_md = f":{fmt.STATUS_MD_COLOURS[status]}[**{fmt.status_label(status, lang)}**]" if status else ""
        parts.append(f"{i18n.text('common.target', lang)} {target_text} {status_md}")
    st.caption(" · ".join(parts))
