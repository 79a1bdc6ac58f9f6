"""The report page in headless Chromium: the pack is drawn without an exception, and its downloads
(built on demand through ``pages.cache.cached``) arrive as files."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, wait_rendered

pytestmark = pytest.mark.browser


def open_report(page, app_url: str) -> None:
    page.goto(f"{app_url}/?kind=year&period=2020")
    wait_rendered(page)
    page.get_by_role("link", name="报告").click()
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    wait_rendered(page)


def test_report_page_renders_and_downloads(page, app_url: str) -> None:
    open_report(page, app_url)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("报告正文（由数据生成）").count() == 1
    for label, suffix in (("下载 Markdown（.md）", ".md"), ("下载 Excel（.xlsx）", ".xlsx")):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        assert download.value.suggested_filename.endswith(suffix)
        assert download.value.path().stat().st_size > 500
    page.wait_for_timeout(600)
    assert screenshot(page, "report_2020_1366x768").stat().st_size > 10_000
