"""报告 Report: the briefing pack on screen — the report date (落款日期, the user's), the text written
from the data, the scorecard table, the key charts (each with a PNG download), and .docx / .xlsx / .md
downloads named as the report is (珠龙镇2020年度法治政府建设情况报告.docx), generated on demand and
cached by data version, period, town, language and date. Below them, apart from the report, the data
check (数据核对) for staff: it is not part of the published text. Thin: everything is built by
``analytics.report``.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from analytics.present import safe
from analytics.report import docx as report_docx
from analytics.report import images, md, xlsx
from analytics.report.pack import Pack, build_pack, default_report_date
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
def _pack(cur: duckdb.DuckDBPyConnection, ctx: Context, day: date, signed: date) -> Pack:
    return build_pack(cur, ctx.period, ctx.town, ctx.lang, today=day, report_date=signed)


@cached
def _file(cur: duckdb.DuckDBPyConnection, kind: str, ctx: Context, day: date, signed: date) -> bytes:
    pack = _pack(ctx, day, signed)
    if kind == "docx":
        return report_docx.docx_bytes(pack, report_docx.pack_images(pack))
    if kind == "xlsx":
        return xlsx.xlsx_bytes(pack, cur)
    return md.to_markdown(pack).encode("utf-8")


@cached
def _chart_png(cur: duckdb.DuckDBPyConnection, chart_key: str, ctx: Context, day: date, signed: date) -> bytes:
    pack = _pack(ctx, day, signed)
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
    signed = st.date_input(
        t("report.page.date"),
        value=default_report_date(ctx.period),
        key=f"report_date_{ctx.period.id}",
        help=t("report.page.date_help"),
        format="YYYY-MM-DD",
    )
    signed = signed if isinstance(signed, date) else default_report_date(ctx.period)
    pack = _pack(ctx, day, signed)
    # The report is written from the data (towns, villages, categories): shown as the text it is.
    st.markdown(f"#### {safe.markdown(pack.text.title)}")
    st.caption(safe.markdown(pack.text.subtitle))

    st.markdown(f"**{t('report.page.downloads')}**")
    stem = pack.file_stem
    columns = st.columns(3)
    for column, kind in zip(columns, ("docx", "xlsx", "md"), strict=True):
        column.download_button(
            t(f"report.page.{kind}"),
            data=tables.audited(lambda kind=kind: _file(kind, ctx, day, signed), f"{stem}.{kind}"),
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
        for paragraph in pack.text.intro:
            st.markdown(safe.markdown(paragraph))
        for section, heading in pack.text.numbered():
            st.markdown(f"**{safe.markdown(heading)}**")
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
                        lambda c=chart.key: _chart_png(c, ctx, day, signed), f"{chart.key}_{ctx.period.id}.png"
                    ),
                    file_name=f"{chart.key}_{ctx.period.id}.png",
                    mime="image/png",
                    key=f"report_png_{chart.key}",
                    icon=":material/image:",
                    on_click="ignore",
                )

    st.divider()
    st.markdown(f"##### {t('report.page.consistency')}")
    st.caption(t("report.page.consistency_note"))
    if pack.findings:
        many = "many" if len(pack.findings) > 1 else "one"
        st.warning(t(f"report.page.findings.{many}", n=len(pack.findings)), icon=":material/rule:")
        for finding in pack.findings:
            st.markdown(f"- {safe.markdown(finding.message(lang))}")
    else:
        st.success(t("report.page.no_findings"), icon=":material/check_circle:")


main()
