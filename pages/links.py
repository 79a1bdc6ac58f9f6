"""Links that hold: the view (language, period kind, period, town) always in the address, as ids
(``?lang=en&kind=half&period=2020H2&town=all``), so a copied link shows the recipient the same view.

- ``read(params)`` takes a link's parameters in the README's form, or in the older forms the
  address once held (the sidebar's displayed options: ``lang=English``, ``period=2020年上半年``,
  ``period=2024 H1``, ``kind=半年``, ``town=全部乡镇``), and returns the ids; ``dashboard.py`` seeds a new
  session with them, and ``keep_in_url`` then writes the canonical form, so an old link redirects.
- ``keep_in_url()`` writes all four after every run, on every page: Streamlit drops a page's
  parameters when another page is chosen in the navigation, and a widget bound to the address
  writes only its own value, and only when it differs from its default.
- ``route_page_aliases()`` serves ``/overview`` (the overview is the default page, served at ``/``).

Not a page. ``tests/browser/test_links.py`` opens the README's links; ``tests/ui/test_links.py`` the forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from analytics.present.text import LANGUAGES, text
from analytics.semantic.periods import Period, parse, periods_between

KINDS = ("year", "half", "quarter")
PARAMS = ("lang", "kind", "period", "town")
ALL_TOWNS = "all"  # as pages.view.ALL_TOWNS
# url path → the page it stands for ("" is the default page, the overview at /)
PAGE_ALIASES = {"overview": ""}


def _lang(value: str) -> str | None:
    if value in LANGUAGES:
        return value
    return {"中文": "zh", "english": "en", "chinese": "zh"}.get(value.strip().lower())


def _kind(value: str) -> str | None:
    if value in KINDS:
        return value
    for kind in KINDS:
        if value in {text(f"sidebar.kind.{kind}", lang) for lang in LANGUAGES}:
            return kind
    return None


def _period(value: str, years: Iterable[int]) -> Period | None:
    """An id (2020H1), or a label in either language (2020年上半年, 2020 H1), of a year with data."""
    value = " ".join(value.replace("+", " ").split())
    try:
        return parse(value.replace(" ", "").upper())
    except ValueError:
        pass
    span = sorted(years)
    if not span:
        return None
    for kind in KINDS:
        for period in periods_between(span[0], span[-1], kind):
            if value in {period.label(lang) for lang in LANGUAGES}:
                return period
    return None


def _town(value: str, towns: Iterable[str]) -> str | None:
    if value == ALL_TOWNS or value in {text("sidebar.all_towns", lang) for lang in LANGUAGES}:
        return ALL_TOWNS
    return value if value in set(towns) else None


def read(params: Mapping[str, str], years: Iterable[int] = (), towns: Iterable[str] = ()) -> dict[str, str]:
    """The view a link asks for, as ids; a parameter that can't be read is left out (the default applies).

    A period also sets the kind it is of (``period=2020H2`` alone means the half-year view)."""
    found: dict[str, str] = {}
    if lang := _lang(params.get("lang", "")):
        found["lang"] = lang
    if kind := _kind(params.get("kind", "")):
        found["kind"] = kind
    if params.get("period") and (period := _period(params["period"], years)):
        found["period"] = period.id
        found["kind"] = period.kind
    if params.get("town") and (town := _town(params["town"], towns)):
        found["town"] = town
    return found


def current() -> dict[str, str]:
    """The view in session state, as the address should hold it."""
    state = st.session_state
    view = {
        "lang": state.get("lang") or "zh",
        "kind": state.get("kind") or "year",
        "period": state.get("period") or "",
        "town": state.get("town") or ALL_TOWNS,
    }
    return {key: str(value) for key, value in view.items() if value}


REMEMBERED = "_view_remembered"  # not a widget's key, so Streamlit never forgets it


def restore() -> None:
    """Put back any part of the view a run lost (a widget's value is forgotten in a run that does not
    draw it), from what ``keep_in_url`` remembered last."""
    for key, value in st.session_state.get(REMEMBERED, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


def keep_in_url() -> None:
    """Write the view into the address (only what differs, so an unchanged view sends nothing), and
    remember it for ``restore``."""
    view = current()
    st.session_state[REMEMBERED] = view
    for key, value in view.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def query_string(view: Mapping[str, str] | None = None) -> str:
    """``lang=zh&kind=year&period=2020&town=all`` for a link to another page with the same view."""
    from urllib.parse import urlencode

    return urlencode({key: value for key, value in (view or current()).items() if key in PARAMS})


def route_page_aliases() -> None:
    """Resolve ``/overview`` (and any alias) to its page before ``st.navigation`` looks the path up."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    if manager is None or manager.intended_page_script_hash:
        return
    name = (manager.intended_page_name or "").strip("/")
    if name in PAGE_ALIASES:
        manager.set_script_intent("", PAGE_ALIASES[name])
