"""Chart PNGs: plotly figures exported through kaleido 1.x and a Chrome (Debian's chromium).

kaleido 1.x starts a browser for every export unless its *sync server* is running, which costs
≈ 4 s each time; with the server, the first export pays the start and later ones take ≈ 0.4 s.
So a pack opens one ``browser_session()`` around all its charts, and ``figure_png`` (used by the
pages' download buttons) starts the server once per process and leaves it running.

``BROWSER_PATH`` is set to /usr/bin/chromium when unset and that file exists. CJK text renders
with fonts-noto-cjk installed (the house font stack in ``analytics.present.charts`` names Noto Sans CJK SC).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analytics.present import charts
from analytics.present.text import language
from analytics.report.text import rate_text

DEBIAN_CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT, SCALE = 900, 420, 2

_lock = threading.RLock()
_process_server = False


def ensure_browser() -> None:
    """Point kaleido at Debian's chromium unless the environment already names a browser."""
    if not os.environ.get("BROWSER_PATH") and os.path.exists(DEBIAN_CHROMIUM):
        os.environ["BROWSER_PATH"] = DEBIAN_CHROMIUM


def _server_running() -> bool:
    import kaleido

    return bool(kaleido._global_server.is_running())  # noqa: SLF001 - kaleido offers no public query


def _start() -> None:
    import kaleido

    ensure_browser()
    kaleido.start_sync_server(silence_warnings=True)


def _stop() -> None:
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)


@contextmanager
def browser_session() -> Iterator[None]:
    """One browser for every export inside the block (left running if it was already running)."""
    with _lock:
        started = not _server_running()
        if started:
            _start()
    try:
        yield
    finally:
        if started and not _process_server:
            with _lock:
                _stop()


def _export(fig: go.Figure, width: int | None, height: int | None, scale: float) -> bytes:
    with warnings.catch_warnings():
        # With the server running plotly passes kopts that the server ignores; harmless.
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        return bytes(
            fig.to_image(
                format="png",
                width=width or fig.layout.width or WIDTH,
                height=height or fig.layout.height or HEIGHT,
                scale=scale,
            )
        )


def figure_png(fig: go.Figure, width: int | None = None, height: int | None = None, scale: float = SCALE) -> bytes:
    """A figure as PNG bytes (2× scale). Keeps one browser per process for later exports.

    Pages: ``st.download_button("PNG", data=lambda: figure_png(fig), file_name="x.png", mime="image/png")``
    (a callable, so the export runs only when someone clicks).
    """
    global _process_server
    with _lock:
        if not _server_running():
            _start()
            _process_server = True
            atexit.register(_stop_quietly)
        return _export(fig, width, height, scale)


def _stop_quietly() -> None:
    with contextlib.suppress(Exception):  # interpreter shutdown; nothing left to report to
        _stop()


# ----- the pack's charts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    key: str  # mediation_forms | mediation_rate | document_rates | training_hours
    title: str
    figure: go.Figure
    data: pd.DataFrame


def pack_charts(pack: Any) -> list[Chart]:
    """The key charts of a pack, skipping any whose series is all no data."""
    lang = pack.lang
    m = pack.card["metrics"]
    say = language(lang)
    when = pack.period.label(lang)
    found: list[Chart] = []

    forms = pack.trend_wide(["disputes_written", "disputes_oral", "disputes_total"])
    if forms[["disputes_written", "disputes_oral"]].notna().any().any():
        long = forms.melt(
            id_vars="period", value_vars=["disputes_written", "disputes_oral"], var_name="form", value_name="count"
        )
        long["form"] = long["form"].str.removeprefix("disputes_")
        total = m["disputes_total"]["value"]
        title = (
            say("report.chart.forms", when=when, total=f"{total:,.0f}")
            if total is not None
            else say("report.chart.forms_none")
        )
        fig = charts.stacked_bar(
            long,
            "period",
            "count",
            "form",
            title=title,
            lang=lang,
            height=HEIGHT,
            labels={form: say(f"mediation.form.{form}") for form in ("written", "oral")},
            order=["written", "oral"],
        )
        found.append(Chart("mediation_forms", title, fig, forms))

    rate = pack.trend_wide(["mediation_success_rate"])
    if rate["mediation_success_rate"].notna().any():
        row = m["mediation_success_rate"]
        value = rate_text(row["value"], lang) if row["value"] is not None else None
        title = say("report.chart.rate", value=value) if value else say("report.chart.rate_none")
        fig = charts.rate_trend(
            rate, "period", "mediation_success_rate", target=row["target"], title=title, lang=lang, height=HEIGHT
        )
        found.append(Chart("mediation_rate", title, fig, rate))

    doc_ids = [
        "document_review_rate",
        "document_publication_rate",
        "document_filing_rate",
        "document_timely_filing_rate",
    ]
    docs = pack.trend_wide(doc_ids)
    present = [c for c in doc_ids if c in docs.columns and docs[c].notna().any()]
    if present:
        title = say("report.chart.documents")
        names = {c: m[c]["label"] for c in present}
        fig = charts.rate_trend(docs, "period", present, target=1.0, title=title, lang=lang, height=HEIGHT, names=names)
        found.append(Chart("document_rates", title, fig, docs[["period", *present]]))

    hours = pack.trend_wide(["study_hours_avg"])
    if hours["study_hours_avg"].notna().any():
        from analytics import settings

        target = settings.study_hours_per_year() * pack.period.fraction_of_year
        title = say("report.chart.hours")
        fig = charts.trend_bar(
            hours, "period", "study_hours_avg", title=title, unit="hours", lang=lang, height=HEIGHT, target=target
        )
        found.append(Chart("training_hours", title, fig, hours))
    return found


def untitled(chart: Chart) -> Chart:
    """The chart with its title taken off the figure (for a document whose caption states it)."""
    figure = go.Figure(chart.figure)
    figure.update_layout(title=None, margin={"t": 10})
    return replace(chart, figure=figure)


def chart_pngs(charts_: list[Chart]) -> dict[str, bytes]:
    """PNG bytes of each chart, one browser for all of them."""
    with browser_session():
        return {c.key: _export(c.figure, WIDTH, HEIGHT, SCALE) for c in charts_}
