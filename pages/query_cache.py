"""Cached calls of ``analytics.queries`` for the analysis pages (mediation, documents, training).

Not a page (the router registers pages explicitly). A result is cached per database file, data
version (which changes when a load swaps in a new file), query, period, town and arguments.
"""

from __future__ import annotations

import importlib
from typing import Any

import streamlit as st

from analytics import db
from analytics.periods import parse
from pages import common


@st.cache_data(show_spinner=False, max_entries=1024)
def _run(
    path: str,
    version: tuple[int, int, int],
    name: str,
    period_id: str,
    town: str | None,
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    module_name, function_name = name.split(".")
    function = getattr(importlib.import_module(f"analytics.queries.{module_name}"), function_name)
    cur = db.reader(path).cursor()
    try:
        return function(cur, parse(period_id), town, **dict(kwargs))
    finally:
        cur.close()


def query(name: str, ctx: common.Context, **kwargs: Any) -> Any:
    """``analytics.queries.<module>.<function>(con, ctx.period, ctx.town, **kwargs)``, cached."""
    return _run(str(ctx.db_path), common.data_version(), name, ctx.period.id, ctx.town, tuple(sorted(kwargs.items())))
