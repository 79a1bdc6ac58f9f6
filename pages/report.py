"""报告 Report: the briefing pack on screen — the text written from the data, the scorecard table, the
key charts (each with a PNG download), the consistency findings, and .docx / .xlsx / .md downloads
generated on demand and cached by data version, period, town and language. Thin: everything is
built by ``analytics.report``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import db
from analytics.periods import parse
from analytics.report import docx as report_docx
from analytics.report import images, md, xlsx
from analytics.report.pack import Pack, build_pack
from analytics.report.text import numbered_heading
from pages import common

MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown",
}


@st.cache_data(show_spinner=False, max_entries=64)
def _pack(path: str, version: tuple[int, int, int], period_id: str, town: str | None, lang: str) -> Pack:
    cur = db.reader(path).cursor()
    try:
        return build_pack(cur, parse(period_id), town, lang, today=common.today())
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=32)
def _file(kind: str, path: str, version: tuple[int, int, int], period_id: str, town: str | None, lang: str) -> bytes:
    pack = _pack(path, version, period_id, town, lang)
    if kind == "docx":
        return report_docx.docx_bytes(pack, report_docx.pack_images(pack))
    if kind == "xlsx":
        cur = db.reader(path).cursor()
        try:
            return xlsx.xlsx_bytes(pack, cur)
        finally:
            cur.close()
    return md.to_markdown(pack).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=128)
def _chart_png(
    chart_key: str, path: str, version: tuple[int, int, int], period_id: str, town: str | None, lang: str
) -> bytes:
    pack = _pack(path, version, period_id, town, lang)
    chart = next(c for c in images.pack_charts(pack) if c.key == chart_key)
    return images.figure_png(chart.figure, images.WIDTH, images.HEIGHT)


def _escape(text: str) -> str:
    """Plain report text shown through markdown: keep * _ ~ # from turning into formatting."""
    for char in "\\*_~#`":
        text = text.replace(char, "\\" + char)
    return text


def main() -> None:
    ctx = common.context()
    lang = ctx.lang
    if not common.has_data():
        st.subheader(common.t("report.page.title"))
        common.empty_state(lang)
        return
    key = (str(ctx.db_path), common.data_version(), ctx.period.id, ctx.town, lang)
    pack = _pack(*key)
    st.markdown(f"#### {pack.text.title}")
    st.caption(pack.text.subtitle)

    st.markdown(f"**{common.t('report.page.downloads')}**")
    stem = f"report_{ctx.period.id}_{ctx.town or 'all'}_{lang}"
    columns = st.columns(3)
    for column, kind in zip(columns, ("docx", "xlsx", "md"), strict=True):
        column.download_button(
            common.t(f"report.page.{kind}"),
            data=lambda kind=kind: _file(kind, *key),
            file_name=f"{stem}.{kind}",
            mime=MIME[kind],
            key=f"report_{kind}",
            icon=":material/download:",
            on_click="ignore",
            help=common.t("report.page.docx_help") if kind == "docx" else None,
            width="stretch",
        )

    with st.container(border=True, key="report_text"):
        st.markdown(f"##### {common.t('report.page.text')}")
        for number, section in enumerate(pack.text.sections, 1):
            st.markdown(f"**{numbered_heading(number, section.heading, lang)}**")
            for paragraph in section.paragraphs:
                st.markdown(_escape(paragraph))

    st.markdown(f"##### {common.t('report.page.table')}")
    header = [common.t(f"common.{k}") for k in ("metric", "value", "previous", "change", "target", "status")]
    frame = pd.DataFrame(report_docx.scorecard_rows(pack), columns=header)
    st.dataframe(
        frame.style.map(lambda v: common.status_style(v, lang), subset=[header[-1]]),
        hide_index=True,
        width="stretch",
        key="report_table",
        height=35 * (len(frame) + 1) + 3,
    )

    st.markdown(f"##### {common.t('report.page.charts')}")
    charts = images.pack_charts(pack)
    if not charts:
        st.info(common.t("report.page.no_charts"))
    for left_right in (charts[i : i + 2] for i in range(0, len(charts), 2)):
        for column, chart in zip(st.columns(2), left_right, strict=False):
            with column:
                st.plotly_chart(
                    chart.figure, key=f"report_chart_{chart.key}", width="stretch", config={"displaylogo": False}
                )
                st.download_button(
                    common.t("report.page.png"),
                    data=lambda c=chart.key: _chart_png(c, *key),
                    file_name=f"{chart.key}_{ctx.period.id}.png",
                    mime="image/png",
                    key=f"report_png_{chart.key}",
                    icon=":material/image:",
                    on_click="ignore",
                )

    st.markdown(f"##### {common.t('report.page.consistency')}")
    if pack.findings:
        st.warning(common.t("report.page.findings", n=len(pack.findings)), icon=":material/rule:")
        for finding in pack.findings:
            st.markdown(f"- {_escape(finding.message(lang))}")
    else:
        st.success(common.t("report.page.no_findings"), icon=":material/check_circle:")


main()
