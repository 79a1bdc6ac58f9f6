"""Charts on screen: a house-style plotly figure drawn once, and a chart with its data table and
downloads (beside it, or in an expander under it). Not a page."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.tables import download_buttons, table_on_demand


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
    be a function, called when the table is drawn (see ``pages.tables.table_on_demand``)."""
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
