"""Downloads built on their click, on a real server with sign-in: a viewer's 简报 PDF and report files arrive,
and the server still shows the next browser its sign-in form.

Streamlit builds a download's data in a worker thread outside any script run. The brief and the report go
through ``pages.cache``, which used to ask the session who was signed in from there: nobody, so it drew the
sign-in form into Streamlit's one main container of the process. The file never came, and every later
session's page was "inside a form" (``StreamlitInvalidLayoutContextError``): nobody could sign in on that
server until it was restarted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics.access import audit, store
from bench.pages import VIEWPORT
from tests.browser.conftest import serve, wait_rendered
from tests.browser.test_upload_gate import _sign_in

pytestmark = pytest.mark.browser


def _download(page: object, label: str) -> bytes:
    with page.expect_download(timeout=90_000) as download:  # type: ignore[attr-defined]
        page.get_by_role("button", name=label).first.click()  # type: ignore[attr-defined]
    return Path(download.value.path()).read_bytes()


def _fresh_sign_in_form(browser: object, url: str) -> tuple[int, int]:
    """(sign-in name fields, exceptions) on a new browser's first page."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        tab.goto(f"{url}/")
        wait_rendered(tab)
        return tab.get_by_label("用户名").count(), tab.locator("[data-testid='stException']").count()
    finally:
        context.close()


def test_a_viewers_downloads_arrive_and_the_next_browser_can_still_sign_in(
    fixture_db: Path, browser: object, page, tmp_path: Path
) -> None:
    db = Path(shutil.copyfile(fixture_db, tmp_path / "warehouse.duckdb"))
    store.add("李雷", "viewer password", "viewer", ["珠龙镇"], db)
    with serve(db, sign_in=True) as url:
        assert _fresh_sign_in_form(browser, url) == (1, 0)
        page.goto(f"{url}/?kind=year&period=2020")
        wait_rendered(page)
        _sign_in(page, "李雷", "viewer password")
        page.get_by_text("李雷（查看）").wait_for()

        assert _download(page, "简报 PDF").startswith(b"%PDF")
        page.get_by_role("link", name="报告").click()
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        wait_rendered(page)
        assert "2020" in _download(page, "下载 Markdown（.md）").decode("utf-8")
        assert _download(page, "下载 PNG").startswith(b"\x89PNG")
        assert page.locator("[data-testid='stException']").count() == 0

        assert _fresh_sign_in_form(browser, url) == (1, 0)
        page.get_by_role("link", name="总览").click()  # the session signed in before still draws its pages
        wait_rendered(page)
        assert page.locator("[data-testid='stException']").count() == 0

    exports = audit.entries(10, "李雷", "export", db)
    assert exports["role"].eq("viewer").all() and len(exports) == 3
