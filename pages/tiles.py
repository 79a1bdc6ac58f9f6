"""KPI tiles: one scorecard row as a value, its 同比 change, a sparkline, its target and status,
and the 报表数 badge of figures taken from summary sheets. Not a page."""

from __future__ import annotations

from typing import Any

import streamlit as st

from analytics.present import charts, fmt, i18n
from analytics.semantic.catalogue import BY_ID


def source_badge(source: str | None, lang: str) -> str:
    """ " 报表数" for figures from summary sheets (source summary/reported), "" for ledger figures."""
    if source in ("summary", "reported"):
        return i18n.text("common.reported", lang)
    if source == "mixed":
        return i18n.text("common.mixed", lang)
    return ""


def no_cases(row: dict[str, Any], prefix: str = "") -> str | None:
    """ "cases" where a register was kept but held no case: a rate of 0/0 is 无案件, not 无数据.

    ``prefix`` "previous_" asks about the same period a year earlier.
    """
    value = row["previous"] if prefix else row["value"]
    return "cases" if value is None and row.get(f"{prefix}denominator") == 0 else None


def metric_tile(
    row: dict[str, Any], metric_id: str, lang: str, spark: list[float | None] | None = None, key: str | None = None
) -> None:
    """One KPI tile from a scorecard row: value, 同比 change as delta, target and status in the caption."""
    unit = row["unit"]
    value_text = fmt.value(unit, row["value"], lang, metric_id, empty=no_cases(row))
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
        # Never coloured: red means a missed target and nothing else (the status below says
        # it); a rate that fell 0.4 points while meeting its target is not an alarm.
        delta_color="off",
        delta_arrow="off" if zero_change else "auto",
        help=metric.definition(lang) + (f"\n\n{i18n.text('common.reported_help', lang)}" if badge else ""),
    )
    svg = charts.sparkline_svg(spark or [], metric_id)
    if svg:
        tile.markdown(svg, unsafe_allow_html=True)
    previous = fmt.value(unit, row["previous"], lang, metric_id, empty=no_cases(row, "previous_"))
    previous_text = i18n.text("overview.vs_last_year", lang, previous=previous)
    parts = [previous_text]
    if row["target_op"]:
        target_text = fmt.target(unit, row["target_op"], row["target"], lang, metric_id)
        status_md = f":{fmt.STATUS_MD_COLOURS[status]}[**{fmt.status_label(status, lang)}**]" if status else ""
        parts.append(f"{i18n.text('common.target', lang)} {target_text} {status_md}")
    st.caption(" · ".join(parts))
