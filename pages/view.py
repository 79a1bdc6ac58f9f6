"""The view every page draws: the chosen period, town and language, as the sidebar left them in
session state (keys ``lang``, ``kind``, ``period``, ``town``), today's date, the ``t()`` text
shortcut, and what data there is to choose from (towns, date span, periods, the default period).

Not a page. ``dashboard.py``'s sidebar writes the view; pages read it with ``context()`` and never
parse widgets themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from analytics.present import i18n
from analytics.semantic import coverage as coverage_mod
from analytics.semantic import scorecard as scorecard_mod
from analytics.semantic.periods import Period, parse
from pages import links
from pages.cache import cached, db_path


def _route_direct_links_through_the_router() -> None:
    """Send a first request for ``/mediation`` on a fresh server through ``dashboard.py``.

    Because a folder named ``pages/`` sits beside the entry script, Streamlit starts in its old
    folder mode and, until ``st.navigation`` has run once, runs a directly linked page file on its
    own: no router, no sidebar, every file of ``pages/`` listed. Leaving folder mode and rerunning
    makes it run the entry script, which routes to the requested page.
    ``tests/browser/test_direct_links.py`` proves it on a freshly started server.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_route_direct_links_through_the_router()  # every page imports this module first

ALL_TOWNS = "all"  # the town selector's value for 全部乡镇 (kept short for the URL)
TODAY_OVERRIDE_ENV = "DASHBOARD_TODAY"


@dataclass(frozen=True)
class Context:
    """The view every page draws: chosen period, town (None = all towns), language and database."""

    period: Period
    town: str | None
    lang: str
    db_path: Path
    scope: tuple[str, ...] | None = None  # the towns the person may read (None: every town)
    as_of: date | None = None  # the period's last day of data while it is in progress (截至 M月D日)

    @property
    def period_label(self) -> str:
        """2026年上半年（截至1月20日） for a period in progress, else the period's label."""
        return scorecard_mod.period_dict(self.period, self.as_of, self.lang)["label"]

    @property
    def previous_label(self) -> str:
        """The same period a year earlier, cut at the same day while this one is in progress."""
        return scorecard_mod.period_dict(self.period.previous_year(), self.as_of, self.lang)["label"]

    @property
    def town_label(self) -> str:
        """The chosen town; for "all towns", the person's own towns when they may read only some."""
        if self.town:
            return self.town
        if self.scope:
            return i18n.text("common.list_separator", self.lang).join(self.scope)
        return i18n.text("sidebar.all_towns", self.lang)


def today() -> date:
    """Today's date; ``DASHBOARD_TODAY=2026-11-28`` pins it (tests, demos)."""
    pinned = os.environ.get(TODAY_OVERRIDE_ENV)
    return date.fromisoformat(pinned) if pinned else date.today()


def lang() -> str:
    """The chosen language; before the sidebar has run (the sign-in gate, the demo banner), the link's."""
    value = st.session_state.get("lang") or links.read(st.query_params.to_dict()).get("lang", "zh")
    return value if value in i18n.LANGUAGES else "zh"


def t(key: str, **fields: object) -> str:
    """The text of ``key`` in the current language (see ``analytics.present.i18n``)."""
    return i18n.text(key, lang(), **fields)


def context() -> Context:
    """The current view, as the sidebar left it in session state (for the person signed in)."""
    from pages import auth  # (auth's texts come from this module)

    who = auth.principal()
    links.restore()  # a page run without the router's sidebar (AppTest's direct run) keeps the view
    period_id = st.session_state.get("period")
    try:
        period = parse(period_id) if period_id else None
    except ValueError:
        period = None
    kind = st.session_state.get("kind")
    if period is not None and kind in ("year", "half", "quarter") and period.kind != kind:
        period = default_period(kind) or period  # the kind was just switched; the sidebar follows
    if period is None:
        period = default_period() or Period(today().year - 1, "year", 1)
    town = st.session_state.get("town")
    town = None if town in (None, "", ALL_TOWNS) else town
    return Context(period, town, lang(), db_path(), who.towns, _as_of(period, today(), town))


# ----- what there is to choose from ---------------------------------------------------------------

_coverage = cached(coverage_mod.coverage)
_periods_with_data = cached(coverage_mod.periods_with_data)
_default_period = cached(coverage_mod.default_period)
_as_of = cached(coverage_mod.as_of)
_last_day = cached(coverage_mod.last_day)


def data_until(town: str | None = None) -> date | None:
    """The last day with data of ``town`` (or of every town the person may read): 数据截至."""
    return _last_day(town)


def data_coverage() -> coverage_mod.Coverage:
    """Towns and date span of the loaded data."""
    return _coverage()


def periods_with_data(kind: str, town: str | None = None) -> list[Period]:
    return _periods_with_data(kind, town)


def period_option_label(period: Period, town: str | None, lang: str) -> str:
    """A period as the sidebar lists it: 2026年（截至3月20日） while it is in progress, so a period
    of a few weeks never reads like a whole one in the list."""
    return scorecard_mod.period_dict(period, _as_of(period, today(), town), lang)["label"]


def default_period(kind: str | None = None) -> Period | None:
    """The latest complete half-year or year with data (or of ``kind``)."""
    return _default_period(today(), kind)
