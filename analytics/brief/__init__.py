"""The one-page A4 leadership brief (简报): figures, 同比, targets, 需要关注 and charts of one period.

``page.build(con, period, town, lang)`` gathers the figures into a ``Brief``; ``page.document(brief)``
writes it as one self-contained HTML page (charts as inline SVG); ``render.pdf``/``render.png`` turn
that page into an A4 PDF or PNG with Debian's Chromium, the browser the report's chart images use.
``python -m analytics brief --period 2020 -o brief.pdf`` and the overview's download buttons both
go through ``make_brief``. Imports no streamlit.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from analytics.semantic.periods import Period

FORMATS = ("pdf", "png")


def make_brief(
    db_path: str | Path | None, period: Period, town: str | None, lang: str, fmt: str, today: date | None = None
) -> bytes:
    """The brief of ``period`` (and ``town``, None = all towns) as PDF or PNG bytes, read through a
    cursor of ``db_path`` that sees the towns the acting person may read."""
    from analytics import db

    con = db.reader(db_path).cursor()
    try:
        return brief_bytes(con, period, town, lang, fmt, today)
    finally:
        con.close()


def brief_bytes(
    con: duckdb.DuckDBPyConnection, period: Period, town: str | None, lang: str, fmt: str, today: date | None = None
) -> bytes:
    """The brief read through ``con``, as PDF or PNG bytes."""
    from analytics.brief import page, render

    if fmt not in FORMATS:
        raise ValueError(f"unknown brief format {fmt!r}")
    document = page.document(page.build(con, period, town, lang, today=today))
    return render.pdf(document) if fmt == "pdf" else render.png(document)
