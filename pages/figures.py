"""Charts on screen: a house-style plotly figure drawn once, and a chart with its data table and
downloads (beside it, or in an expander under it). Not a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.tables import download_buttons, table_on_demand
from pages.view import t


def plotly_chart(fig: go.Figure, key: str, selectable: bool = False) -> list[dict[str, Any]]:
    """Draw a house-style figure once.

    Streamlit's chart element applies its theme when it mounts and again in an effect right after,
    which copies the figure (new data arrays) and wraps the title in a second ``<b>``: plotly then
    recalculates and redraws every chart a second time. The figures carry their own style (the one
    their PNG has), so the theme is off; a fixed ``datarevision`` tells plotly that copied arrays
    hold the same data. Titles stay bold, as Streamlit's theme drew them.

    ``selectable``: a click on a bar reruns the app and the clicked points are returned (each with
    its trace's ``customdata``), so a page can open what was clicked (click to drill).
    """
    fig.update_layout(datarevision=1, title_font_weight=600)
    if not selectable:
        st.plotly_chart(fig, key=f"{key}_chart", width="stretch", theme=None, config={"displaylogo": False})
        return []
    fig.update_layout(clickmode="event+select", dragmode=False)
    event = st.plotly_chart(
        fig,
        key=f"{key}_chart",
        width="stretch",
        theme=None,
        config={"displaylogo": False},
        on_select="rerun",
        selection_mode="points",
    )
    try:
        return list(event["selection"]["points"])  # type: ignore[index]
    except (KeyError, TypeError):
        return []


def chart_with_table(
    fig: go.Figure,
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    key: str,
    table: str = "below",
    expanded: bool = False,
    file_stem: str | None = None,
    selectable: bool = False,
) -> list[dict[str, Any]]:
    """A plotly chart with its data: table beside (``table="beside"``) or in an expander under it,
    with CSV and XLSX downloads of exactly the figures drawn and a PNG of the chart. ``frame`` may
    be a function, called when the table is drawn (see ``pages.tables.table_on_demand``)."""
    if table == "beside" and callable(frame):
        frame = frame()
    if table == "beside":
        left, right = st.columns([3, 2])
        with left:
            points = plotly_chart(fig, key, selectable)
        with right:
            st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_table")
            download_buttons(frame, key, file_stem, fig)
        return points
    points = plotly_chart(fig, key, selectable)
    table_on_demand(frame, key, expanded=expanded, file_stem=file_stem, fig=fig)
    return points


def trend_periods(long: pd.DataFrame, kind: str) -> list[str]:
    """Each row's period as a trend's axis writes it (2015, or 2015H1 for other kinds), marked
    报表数 where any figure of that period comes from a summary sheet rather than a register."""
    reported = long.groupby("period_id")["reported"].any().to_dict() if "reported" in long else {}
    labels = []
    for year, period_id in zip(long["year"], long["period_id"], strict=True):
        label = str(year) if kind == "year" else str(period_id)
        labels.append(t("common.noted", text=label, note=t("common.reported")) if reported.get(period_id) else label)
    return labels
