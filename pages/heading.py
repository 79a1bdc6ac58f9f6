"""A page's heading and its empty state: title · period · town, or, when the database holds no data
yet, what to do about it. Not a page."""

from __future__ import annotations

import contextlib
from pathlib import Path

import streamlit as st

from analytics.present import fmt, i18n, safe
from pages.view import Context, context, data_coverage, data_until, lang, t


def has_data() -> bool:
    return not data_coverage().empty


def empty_state(code: str | None = None) -> None:
    """Explain what to do when the database holds no data (load ledgers on 数据管理 or the CLI)."""
    code = code or lang()
    st.info(f"**{i18n.text('empty.title', code)}**\n\n{i18n.text('empty.body', code)}", icon=":material/info:")
    if Path(__file__).with_name("data.py").exists():
        # The link needs the page registered by the router; without it the text above suffices.
        with contextlib.suppress(Exception):
            st.page_link("pages/data.py", label=i18n.text("empty.go_data", code), icon=":material/upload_file:")


def data_banner() -> None:
    """数据截至 <the selected towns' last day of data>, on every page (the router draws it), and,
    when the chosen period is still in progress, that it is compared with the same days a year
    earlier: four rows from January must not read as a whole half-year."""
    if not has_data():
        return
    ctx = context()
    until = data_until(ctx.town)
    if until is None:
        return
    line = f":material/event_available: {t('banner.data_until', date=fmt.day(until, ctx.lang))}"
    st.caption(f"{line} · {safe.markdown(ctx.town_label)}")
    if ctx.as_of is not None:
        st.info(t("period.in_progress", **fmt.day_fields(ctx.as_of, ctx.lang)), icon=":material/pending:")


def page_start(title_key: str) -> Context | None:
    """An analysis page's heading (title · period · town); None, after the empty-state
    explanation, when the database holds no data yet."""
    ctx = context()
    sep, gap = t("common.title_separator"), t("common.gap")
    st.markdown(f"#### {t(title_key)}{sep}{ctx.period_label}{gap}{safe.markdown(ctx.town_label)}")
    if not has_data():
        empty_state(ctx.lang)
        return None
    return ctx
