"""Tables on screen and their downloads: a table that is built only while its expander is open
(rerunning only itself), CSV / XLSX / PNG download buttons, and the cell helpers tables share
(status colours, where a row came from). Not a page."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import access
from analytics.access import audit
from analytics.present import fmt, safe
from pages.view import t


def status_style(value: str, lang: str) -> str:
    """CSS for a table cell holding a status label (达标 / 未达标 / 无数据), in its status colour."""
    for status in ("met", "missed", "no_data"):
        if value == fmt.status_label(status, lang):
            return f"color: {fmt.status_colour(status)}; font-weight: 600"
    return ""


def source_column(frame: pd.DataFrame) -> list[str]:
    """Where each row came from, for a table: "file · sheet · 第N行"."""
    return [
        f"{f} · {s} · {t('mediation.row', row=r)}"
        for f, s, r in zip(frame["source_file"], frame["sheet"], frame["excel_row"], strict=True)
    ]


def audited(build: Callable[[], bytes], file_name: str) -> Callable[[], bytes]:
    """``build`` as a download's deferred data that first writes an ``export`` entry to the audit log.

    Every download's data goes through here. Streamlit calls it when the button is clicked, in a worker
    thread outside any script run: no session state there, and an ``st.*`` call would draw into the
    process's one main container, every later session's page (``auth.OutsideRun``). So who is
    downloading and what view they had are taken now, when the button is drawn, and ``build`` runs as
    that person (``access.acting``: the cached reads of ``pages.cache`` read as them). They are read
    again from the users' file on the click: someone removed since gets nothing."""
    from pages import auth
    from pages.view import context

    person, ctx = auth.later(), context()
    view = {"period": ctx.period.id, "town": ctx.town or ctx.town_label, "file": file_name}

    def run() -> bytes:
        who = person()
        with access.acting(who):
            audit.record("export", view, who=who)
            return build()

    return run


def download_buttons(frame: pd.DataFrame, key: str, file_stem: str | None = None, fig: go.Figure | None = None) -> None:
    """CSV (UTF-8 with BOM, so Excel/WPS read the Chinese) and XLSX downloads of a frame, every cell
    made safe by ``analytics.present.safe``, and a PNG of the chart when one is given (rendered by
    kaleido only when clicked)."""
    stem = file_stem or key
    columns = st.columns(3 if fig is not None else 2)
    columns[0].download_button(
        t("common.download_csv"),
        audited(lambda: safe.csv_bytes(frame), f"{stem}.csv"),  # built on click, like the XLSX
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    columns[1].download_button(
        t("common.download_xlsx"),
        audited(lambda: safe.xlsx_bytes(frame), f"{stem}.xlsx"),  # built on click
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
            audited(lambda: figure_png(fig), f"{stem}.png"),
            file_name=f"{stem}.png",
            mime="image/png",
            key=f"{key}_png",
            icon=":material/image:",
            on_click="ignore",
        )


def on_paper(frame: pd.DataFrame, key: str, title: str | None = None) -> None:
    """A static copy of a grid for print only (``pages.printing`` shows it there and hides the grid).

    A data grid is a canvas: printed, it shows the rows it is scrolled to, as one picture that can't
    carry its header onto the next page or keep its title with it. An HTML table prints whole, its
    header row repeated on each page, and its title goes with it (one block). The first column
    becomes the row headers; every cell is escaped, since ``st.table`` renders markdown.
    """
    if frame.empty:
        return
    shown = frame.astype(object).where(frame.notna(), "").map(lambda v: safe.markdown(str(v)))
    shown.columns = [safe.markdown(str(c)) for c in frame.columns]
    with st.container(key=f"paper_{key}"):
        if title:
            st.markdown(f"##### {title}")
        st.table(shown.set_index(shown.columns[0]))


@st.fragment
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
    before the page could finish. Being a fragment, opening it reruns only this function, not the
    page (``tests/browser/test_table_fragment.py`` proves it); its state is
    ``st.session_state[f"{key}_open"]``. ``frame`` may be a function: the rows are then only
    queried when the table is opened.
    """
    box = st.expander(label or t("common.data_table"), expanded=expanded, key=f"{key}_open", on_change="rerun")
    if box.open:
        if callable(frame):
            frame = frame()
        with box:
            with st.container(key=f"screen_{key}"):
                st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_table", height=height or "auto")
            on_paper(frame, key)
            download_buttons(frame, key, file_stem, fig)
