"""The three analysis pages in headless Chromium: no exception, charts drawn, screenshots saved.

Pages are opened from the root through the sidebar link: a deep link such as ``/mediation`` is
served by Streamlit's pages/-folder routing without the router (see the report of issue 3).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_rendered

pytestmark = pytest.mark.browser

PAGES = {"mediation": ("矛盾纠纷调解", 3), "documents": ("规范性文件", 1), "training": ("学法培训", 5)}


def open_page(page, app_url: str, name: str, query: str = "kind=year&period=2020") -> None:
    page.goto(f"{app_url}/?{query}")
    wait_rendered(page)
    page.get_by_role("link", name=PAGES[name][0]).click()
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    wait_rendered(page)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_with_charts(page, app_url: str, name: str) -> None:
    open_page(page, app_url, name)
    page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot').length >= {PAGES[name][1]}", timeout=30_000
    )
    assert page.locator("[data-testid='stException']").count() == 0
    page.wait_for_timeout(600)
    path = screenshot(page, f"{name}_2020_1366x768")
    assert path.stat().st_size > 10_000


def test_mediation_breakdown_tab_draws_its_chart_once(page, app_url: str) -> None:
    """Choosing a breakdown tab draws that chart (only that one) with its finding as the title."""
    open_page(page, app_url, "mediation")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 3", timeout=30_000)
    page.get_by_role("tab", name="纠纷类型").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gtitle')].some(t => t.textContent.includes('类纠纷变化最大'))",
        timeout=30_000,
    )
    wait_rendered(page)
    assert page.locator(".js-plotly-plot").count() == 3
    assert page.locator("[data-testid='stException']").count() == 0
    titles = page.locator(".gtitle").all_text_contents()
    assert not any("<b>" in t for t in titles)  # the theme no longer wraps titles twice


def test_a_table_offers_no_download_of_its_own(page, app_url: str) -> None:
    """A table's toolbar keeps search and full screen, but its "Download as CSV" (a file made in the browser,
    not audited, formulas kept) is off: downloads go through the app's buttons."""
    page.goto(f"{app_url}/?kind=year&period=2020")
    wait_rendered(page)
    page.get_by_role("link", name="数据管理").click()
    wait_rendered(page)
    page.get_by_role("tab", name="导入历史").click()
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=30_000)
    grid.hover()
    toolbar = page.locator("[data-testid='stElementToolbar']").first
    toolbar.wait_for(timeout=10_000)
    assert toolbar.get_by_label("Search").count() == 1
    assert toolbar.get_by_label("Download as CSV").count() == 0
