"""Sign-in in the real app in Chromium: the form is all there is before it; a viewer then sees the
pages but no 自助分析, 数据管理 or 系统管理 in the navigation, with their name in the sidebar."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics.access import audit, store
from tests.browser.conftest import screenshot, serve, wait_rendered

pytestmark = pytest.mark.browser


def test_a_viewer_signs_in_and_sees_only_the_viewers_pages(fixture_db: Path, page, tmp_path: Path) -> None:
    db = Path(shutil.copyfile(fixture_db, tmp_path / "warehouse.duckdb"))
    store.add("李雷", "viewer password", "viewer", ["珠龙镇"], db)
    with serve(db, sign_in=True) as url:
        page.goto(f"{url}/mediation?period=2020")
        wait_rendered(page)
        assert page.get_by_text("法治政府建设看板 · 登录").count() == 1
        assert page.get_by_text("560件").count() == 0  # nothing of the data before signing in
        page.get_by_label("用户名").fill("李雷")
        page.get_by_label("密码").fill("wrong password")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("用户名或密码不正确").wait_for()
        page.get_by_label("密码").fill("viewer password")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("李雷（查看）").wait_for()
        wait_rendered(page)
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "总览" in nav and "报告" in nav
        assert "自助分析" not in nav and "数据管理" not in nav and "系统管理" not in nav
        screenshot(page, "signed_in_viewer")
        page.goto(f"{url}/explore")  # a new session: the form again, not the page
        wait_rendered(page)
        assert page.get_by_text("法治政府建设看板 · 登录").count() == 1
    actions = audit.entries(10, user="李雷", warehouse=db)["action"].tolist()
    assert actions[:2] == ["sign_in", "sign_in_failed"]


def test_a_client_of_this_machine_cannot_choose_its_address(fixture_db: Path, browser, tmp_path: Path) -> None:
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told not to: a local client sending one was recorded
    (and its sign-in failures counted) under whatever address it named, and could lock out someone else's."""
    db = Path(shutil.copyfile(fixture_db, tmp_path / "warehouse.duckdb"))
    store.add("李雷", "viewer password", "viewer", ["珠龙镇"], db)
    with serve(db, sign_in=True) as url:
        context = browser.new_context(locale="zh-CN", extra_http_headers={"X-Forwarded-For": "203.0.113.9"})
        page = context.new_page()
        page.goto(f"{url}/")
        wait_rendered(page)
        page.get_by_label("用户名").fill("李雷")
        page.get_by_label("密码").fill("wrong password")
        page.get_by_role("button", name="登录").click()
        page.get_by_text("用户名或密码不正确").wait_for()
        context.close()
    sources = audit.entries(5, user="李雷", warehouse=db)["source"].tolist()
    assert sources and "203.0.113.9" not in "".join(sources), sources
