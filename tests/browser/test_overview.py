"""The overview in a real browser: renders without exceptions, draws charts, follows the period."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_rendered

pytestmark = pytest.mark.browser


def _metric_values(page) -> list[str]:
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def test_overview_renders_2020_figures(page, app_url: str) -> None:
    page.goto(f"{app_url}/?kind=year&period=2020")
    wait_rendered(page)
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    values = _metric_values(page)
    assert "560件" in values and "98.6%" in values
    assert page.get_by_text("+2.6个百分点").first.is_visible()
    # the sparklines inside the KPI tiles are drawn (one inline svg path per tile with a trend)
    assert page.locator("svg.kpi-spark path").count() >= 2
    screenshot(page, "overview_2020_1366x768")


def test_changing_the_period_changes_the_figures(page, app_url: str) -> None:
    page.goto(f"{app_url}/?kind=year&period=2020")
    wait_rendered(page)
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    assert "560件" in _metric_values(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="2019年").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")].some(e => e.innerText === '500件')",
        timeout=60_000,
    )
    wait_rendered(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "period=2019" in page.url
    screenshot(page, "overview_2019_1366x768")
