"""报告 Report: the briefing pack on screen — the text written from the data, the scorecard table, the
key charts (each with a PNG download), the consistency findings, and .docx / .xlsx / .md downloads
generated on demand and cached by data version, period, town and language. Thin: everything is
built by ``analytics.report``.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from analytics.present import safe
from analytics.report import docx as report_docx
from analytics.report import images, md, xlsx
from analytics.report.pack import Pack, build_pack
from analytics.report.text import numbered_heading
from pages import tables
from pages.cache import cached
from pages.heading import empty_state, has_data
from pages.tables import status_style
from pages.view import Context, context, t, today

MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown",
}


@cached
def _pack(cur: duckdb.DuckDBPyConnection, ctx: Context, day: date) -> Pack:
    return build_pack(cur, ctx.period, ctx.town, ctx.lang, today=day)


@cached
def _file(cur: duckdb.DuckDBPyConnection, kind: str, ctx: Context, day: date) -> bytes:
    pack = _pack(ctx, day)
    if kind == "docx":
        return report_docx.docx_bytes(pack, report_docx.pack_images(pack))
    if kind == "xlsx":
        return xlsx.xlsx_bytes(pack, cur)
    return md.to_markdown(pack).encode("utf-8")


@cached
def _chart_png(cur: duckdb.DuckDBPyConnection, chart_key: str, ctx: Context, day: date) -> bytes:
    pack = _pack(ctx, day)
    chart = next(c for c in images.pack_charts(pack) if c.key == chart_key)
    return images.figure_png(chart.figure, images.WIDTH, images.HEIGHT)


def main() -> None:
    ctx = context()
    lang = ctx.lang
    if not has_data():
        st.subheader(t("report.page.title"))
        empty_state(lang)
        return
    day = today()
    pack = _pack(ctx, day)
    # The report is written from the data (towns, villages, categories): shown as the text it is.
    st.markdown(f"#### {safe.markdown(pack.text.title)}")
    st.caption(safe.markdown(pack.text.subtitle))

    st.markdown(f"**{t('report.page.downloads')}**")
    stem = f"report_{ctx.period.id}_{ctx.town or 'all'}_{lang}"
    columns = st.columns(3)
    for column, kind in zip(columns, ("docx", "xlsx", "md"), strict=True):
        column.download_button(
            t(f"report.page.{kind}"),
            data=tables.audited(lambda kind=kind: _file(kind, ctx, day), f"{stem}.{kind}"),
            file_name=f"{stem}.{kind}",
            mime=MIME[kind],
            key=f"report_{kind}",
            icon=":material/download:",
            on_click="ignore",
            help=t("report.page.docx_help") if kind == "docx" else None,
            width="stretch",
        )

    with st.container(border=True, key="report_text"):
        st.markdown(f"##### {t('report.page.text')}")
        for number, section in enumerate(pack.text.sections, 1):
            st.markdown(f"**{safe.markdown(numbered_heading(number, section.heading, lang))}**")
            for paragraph in section.paragraphs:
                st.markdown(safe.markdown(paragraph))

    st.markdown(f"##### {t('report.page.table')}")
    header = [t(f"common.{k}") for k in ("metric", "value", "previous", "change", "target", "status")]
    frame = pd.DataFrame(report_docx.scorecard_rows(pack), columns=header)
    st.dataframe(
        frame.style.map(lambda v: status_style(v, lang), subset=[header[-1]]),
        hide_index=True,
        width="stretch",
        key="report_table",
        height=35 * (len(frame) + 1) + 3,
    )

    st.markdown(f"##### {t('report.page.charts')}")
    charts = images.pack_charts(pack)
    if not charts:
        st.info(t("report.page.no_charts"))
    for left_right in (charts[i : i + 2] for i in range(0, len(charts), 2)):
        for column, chart in zip(st.columns(2), left_right, strict=False):
            with column:
                st.plotly_chart(
                    chart.figure, key=f"report_chart_{chart.key}", width="stretch", config={"displaylogo": False}
                )
                st.download_button(
                    t("report.page.png"),
                    data=tables.audited(
                        lambda c=chart.key: _chart_png(c, ctx, day), f"{chart.key}_{ctx.period.id}.png"
                    ),
                    file_name=f"{chart.key}_{ctx.period.id}.png",
                    mime="image/png",
                    key=f"report_png_{chart.key}",
                    icon=":material/image:",
                    on_click="ignore",
                )

    st.markdown(f"##### {t('report.page.consistency')}")
    if pack.findings:
        st.warning(t("report.page.findings", n=len(pack.findings)), icon=":material/rule:")
        for finding in pack.findings:
            st.markdown(f"- {safe.markdown(finding.message(lang))}")
    else:
        st.success(t("report.page.no_findings"), icon=":material/check_circle:")


main()
