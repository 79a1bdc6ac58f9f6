"""The dashboard's router and shared frame: page config, navigation, and the sidebar that sets the view.

Run with ``streamlit run dashboard.py`` (``DASHBOARD_DB`` chooses the database). The view the
sidebar sets is kept in the address (``?lang=en&kind=half&period=2020H1&town=珠龙镇``, see
``pages.links``), so a link reproduces a view. Pages read the view with ``pages.view.context()``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics.present import i18n
from pages import auth, heading, links, printing, view

ROOT = Path(__file__).resolve().parent

# (file, text key, icon, url path); only files that exist are registered.
PAGES = (
    ("pages/overview.py", "nav.overview", ":material/dashboard:", "overview"),
    ("pages/mediation.py", "nav.mediation", ":material/handshake:", "mediation"),
    ("pages/documents.py", "nav.documents", ":material/description:", "documents"),
    ("pages/training.py", "nav.training", ":material/school:", "training"),
    ("pages/cases.py", "nav.cases", ":material/gavel:", "cases"),
    ("pages/disclosures.py", "nav.disclosures", ":material/campaign:", "disclosures"),
    ("pages/work.py", "nav.work", ":material/event_note:", "work"),
    ("pages/report.py", "nav.report", ":material/article:", "report"),
    ("pages/explore.py", "nav.explore", ":material/query_stats:", "explore"),
    ("pages/data.py", "nav.data", ":material/database:", "data"),
)
KINDS = links.KINDS
# url path -> the action a page needs beyond viewing (pages/auth.py); the page checks it again itself.
PAGE_ACTIONS = {"explore": "explore", "data": "load", "admin": "users"}


def _lang_for_titles() -> str:
    """The language before the sidebar widget runs: session state, else the URL, else Chinese."""
    value = st.session_state.get("lang") or links.read(st.query_params.to_dict()).get("lang") or "zh"
    return value if value in i18n.LANGUAGES else "zh"


def navigation(lang: str, who: auth.Principal) -> st.navigation:  # type: ignore[valid-type]
    pages = [
        st.Page(path, title=i18n.text(key, lang), icon=icon, url_path=url, default=(url == "overview"))
        for path, key, icon, url in (*PAGES, ADMIN_PAGE)
        if (ROOT / path).exists() and who.can(PAGE_ACTIONS.get(url, "view"))
    ]
    return st.navigation(pages)


ADMIN_PAGE = ("pages/admin.py", "nav.admin", ":material/admin_panel_settings:", "admin")


def signed_out() -> None:
    """The only page until someone signs in."""
    auth.sign_in_page()


def _ensure_option(key: str, options: list[str], fallback: str | None) -> None:
    """Keep a bound widget's value valid when its options change (e.g. another period kind)."""
    if st.session_state.get(key) not in options and options:
        st.session_state[key] = fallback if fallback in options else options[0]


def sidebar() -> None:
    with st.sidebar:
        st.radio(
            i18n.text("sidebar.language", "zh"),
            ["zh", "en"],
            key="lang",
            horizontal=True,
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        )
        lang = view.lang()
        kind = st.radio(
            i18n.text("sidebar.kind", lang),
            list(KINDS),
            key="kind",
            horizontal=True,
            format_func=lambda k: i18n.text(f"sidebar.kind.{k}", lang),
        )
        kind = kind or "year"
        available = [p.id for p in reversed(view.periods_with_data(kind))]
        by_id = {p.id: p for p in view.periods_with_data(kind)}
        if available:
            default = view.default_period(kind)
            _ensure_option("period", available, default.id if default else None)
            chosen_town = _chosen_town()
            # Labels made in this run: a format_func may also be called outside it (AppTest), where
            # nobody is signed in to read the data as.
            labels = {pid: view.period_option_label(by_id[pid], chosen_town, lang) for pid in available}
            st.selectbox(i18n.text("sidebar.period", lang), available, key="period", format_func=labels.__getitem__)
        towns = [view.ALL_TOWNS, *view.data_coverage().towns]
        scope = auth.principal().towns
        all_towns = i18n.text("sidebar.all_towns", lang)
        if scope:  # not the town's own name: a person of one town would see it listed twice
            all_towns += f"（{'、'.join(scope)}）"
        _ensure_option("town", towns, view.ALL_TOWNS)
        st.selectbox(
            i18n.text("sidebar.town", lang),
            towns,
            key="town",
            format_func=lambda town: all_towns if town == view.ALL_TOWNS else town,
        )
        st.caption(i18n.text("sidebar.share", lang))
        auth.sidebar_box(auth.principal())


def _chosen_town() -> str | None:
    town = st.session_state.get("town")
    return None if town in (None, "", view.ALL_TOWNS) else town


def _initial_view() -> None:
    """Seed a new session's view from its link (``pages.links.read``: ids, or the older label forms).

    Without a period, the latest complete half-year or year with data (of the link's kind) is shown.
    On later runs ``links.restore`` only fills in a part of the view that session state lost
    (Streamlit forgets a widget's value in a run that does not draw it).
    """
    seeded = st.session_state.get("_view_seeded")
    st.session_state["_view_seeded"] = True
    if seeded:
        links.restore()
        return
    cover = view.data_coverage()
    asked = links.read(st.query_params.to_dict(), cover.years, cover.towns)
    for key, value in asked.items():
        st.session_state[key] = value
    if "period" not in asked and not st.session_state.get("period"):
        chosen = view.default_period(asked.get("kind")) or view.default_period()
        if chosen is not None:
            st.session_state["kind"] = chosen.kind
            st.session_state["period"] = chosen.id


# Compact frame: the overview's top section must fit 1366×768 without scrolling.
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 2rem; }
[data-testid="stSidebarContent"] [data-testid="stSidebarUserContent"] { padding-top: 0.5rem; }
[data-testid="stMetric"] [data-testid="stMetricValue"] { font-size: 1.9rem; }
/* on a phone every page's title clears the top bar and its cards sit two to a row (the overview's
   own layout, with 需要关注 first, is in pages/overview.py) */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 4rem; padding-left: 0.75rem; padding-right: 0.75rem; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]):not(:has(.st-key-attention)) {
    flex-wrap: wrap; gap: 0.5rem; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]):not(:has(.st-key-attention))
    > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.25rem) !important; width: calc(50% - 0.25rem) !important;
    min-width: calc(50% - 0.25rem) !important; max-width: calc(50% - 0.25rem) !important; }
}
/* a card's label wraps rather than being cut ("Mediation success r…" in English) */
[data-testid="stMetricLabel"] .stMarkdownEllipsis, [data-testid="stMetricLabel"] p {
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important; }
</style>"""

st.set_page_config(layout="wide", page_title=i18n.text("app.title", _lang_for_titles()), page_icon=":material/balance:")
st.html(COMPACT_CSS)
printing.install()
auth.guard_uploads()
who = auth.gate()
if who is None:
    st.navigation([st.Page(signed_out, title=i18n.text("auth.title", _lang_for_titles()), url_path="sign-in")],
                  position="hidden").run()  # fmt: skip
    st.stop()
links.route_page_aliases()
page = navigation(_lang_for_titles(), who)
_initial_view()
sidebar()
heading.data_banner()
links.keep_in_url()
page.run()
