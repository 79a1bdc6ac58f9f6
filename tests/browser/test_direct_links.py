"""A link straight to a page, as the first request a fresh server gets, still runs the router."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import serve, wait_rendered

pytestmark = pytest.mark.browser


def test_a_direct_link_on_a_fresh_server_shows_the_page_inside_the_frame(
    fixture_db: Path, page, tmp_path: Path
) -> None:
    with serve(fixture_db) as url:
        page.goto(f"{url}/mediation?period=2020")
        wait_rendered(page)
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "common" not in nav and "总览" in nav  # the router's pages, not the folder's files
        assert page.get_by_text("期间类型").count() == 1  # the router's sidebar ran
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_text("560件").count() >= 1
