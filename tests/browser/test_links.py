"""Links that hold (issue 15): the README's example links open the view they name, the address keeps
the whole view (lang, kind, period, town) after a change and on another page, ``/overview`` is the
overview, and the older forms of links are rewritten to ids."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import wait_rendered

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# What each of the README's example links must show: (heading words, view in the address).
EXPECTED = {
    "/?lang=en&kind=half&period=2020H2": ("Overview", "2020 H2", {"lang": "en", "kind": "half", "period": "2020H2"}),
    "/mediation?lang=zh&kind=year&period=2020&town=珠龙镇": (
        "矛盾纠纷调解",
        "2020年　珠龙镇",
        {"lang": "zh", "kind": "year", "period": "2020", "town": "珠龙镇"},
    ),
    "/training?period=2020Q3": ("学法培训", "2020年第三季度", {"kind": "quarter", "period": "2020Q3"}),
    "/overview?lang=en&period=2019": ("Overview", "2019 ·", {"lang": "en", "kind": "year", "period": "2019"}),
}


def readme_links() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("**链接 · Links.**") :]
    return re.findall(r"^\| `(/[^`]*)` \|", section, flags=re.M)


def view_in(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def heading(page) -> str:
    return page.locator("h4").first.inner_text()


def test_the_readme_lists_the_links_this_test_opens() -> None:
    assert readme_links() == list(EXPECTED)


@pytest.mark.parametrize("link", list(EXPECTED))
def test_a_readme_link_opens_its_view_and_keeps_it_in_the_address(page, app_url: str, link: str) -> None:
    title, period, view = EXPECTED[link]
    page.goto(app_url + link)
    wait_rendered(page)
    assert page.get_by_text("Page not found").count() == 0
    shown = heading(page)
    assert title in shown and period in shown, shown
    address = view_in(page.url)
    assert {key: address.get(key) for key in view} == view
    assert set(address) >= {"lang", "kind", "period", "town"}  # the whole view, so a recipient sees it too


def test_after_a_change_and_on_another_page_the_address_holds_the_whole_view(page, app_url: str) -> None:
    page.goto(f"{app_url}/?lang=en&kind=half&period=2020H2")
    wait_rendered(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="2019 H1").click()
    page.wait_for_function("() => location.search.includes('period=2019H1')", timeout=60_000)
    wait_rendered(page)
    assert view_in(page.url) == {"lang": "en", "kind": "half", "period": "2019H1", "town": "all"}
    page.get_by_role("link", name="Dispute mediation").click()
    page.wait_for_function("() => location.pathname.endsWith('/mediation')", timeout=60_000)
    wait_rendered(page)
    assert "2019 H1" in heading(page)
    page.wait_for_function("() => location.search.includes('period=2019H1')", timeout=60_000)
    assert {k: v for k, v in view_in(page.url).items() if k in ("lang", "kind", "period", "town")} == {
        "lang": "en",
        "kind": "half",
        "period": "2019H1",
        "town": "all",
    }
    # what a recipient of that address sees: the same view, in a new session
    recipient = page.context.new_page()
    recipient.goto(page.url)
    wait_rendered(recipient)
    assert "Dispute mediation" in heading(recipient) and "2019 H1" in heading(recipient)


@pytest.mark.parametrize(
    ("old", "view"),
    [
        ("/?lang=English&period=2020年上半年", {"lang": "en", "kind": "half", "period": "2020H1"}),
        ("/?period=2020+H2", {"kind": "half", "period": "2020H2"}),
        ("/?kind=半年&town=全部乡镇", {"kind": "half", "town": "all"}),
    ],
)
def test_older_forms_of_links_redirect_to_ids(page, app_url: str, old: str, view: dict[str, str]) -> None:
    page.goto(app_url + old)
    wait_rendered(page)
    page.wait_for_function("() => location.search.includes('town=')", timeout=60_000)
    address = view_in(page.url)
    assert {key: address.get(key) for key in view} == view
