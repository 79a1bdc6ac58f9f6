"""In headless Chromium: 数据截至 on every page, the default period after four January rows, a
period in progress marked 截至 M月D日, and a click on a village bar opening its cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from analytics.semantic import aggregates
from bench.pages import serve as serve_script
from tests.browser.conftest import ROOT, screenshot, wait_rendered
from tests.fixture_db import DISPUTE_COLUMNS, populate

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def january_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture warehouse (2019, 2020) and four disputes from 5–20 January 2021, served on 28 Nov 2021."""
    path = tmp_path_factory.mktemp("january") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    populate(con)
    con.execute(f"""INSERT INTO disputes ({DISPUTE_COLUMNS})
        SELECT 1, '珠龙镇', 'fixture.xlsx', '2021年', i + 4, DATE '2021-01-05' + (i * 5)::INT, '珠龙村', '邻里',
               'oral', false, CASE WHEN i = 0 THEN 'failed' ELSE 'success' END, false, false, '王某某'
        FROM range(4) t(i)""")
    aggregates.refresh(con)
    con.close()
    with serve_script(ROOT / "dashboard.py", Path(path), {"DASHBOARD_TODAY": "2021-11-28"}) as (url, _process):
        yield url


def _text(page: object) -> str:
    return str(page.locator("[data-testid='stMain']").inner_text())  # type: ignore[attr-defined]


def test_banner_and_default_period(page, january_url: str) -> None:
    page.goto(january_url)
    wait_rendered(page)
    text = _text(page)
    assert "数据截至 2021年1月20日" in text
    assert "2020年" in text and "2021年上半年" not in text  # the latest complete period, not four rows
    for link in ("矛盾纠纷调解", "学法培训", "自助分析"):
        page.get_by_role("link", name=link).click()
        wait_rendered(page)
        assert "数据截至 2021年1月20日" in _text(page), link


def test_period_in_progress_is_marked(page, january_url: str) -> None:
    page.goto(f"{january_url}/?kind=half&period=2021H1")
    wait_rendered(page)
    text = _text(page)
    assert "2021年上半年（截至1月20日）" in text and "2020年上半年（截至1月20日）" in text
    assert "同比按上年同期（截至1月20日）比较" in text
    # the sidebar's list says so too: the period in progress, never the complete one before it
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    shown = box.inner_text() + " ".join(i.input_value() for i in box.locator("input").all())
    assert "2021年上半年（截至1月20日）" in shown, shown
    box.click()
    options = [o.inner_text() for o in page.get_by_role("option").all()]
    assert options[:2] == ["2021年上半年（截至1月20日）", "2020年下半年"], options
    page.keyboard.press("Escape")
    screenshot(page, "overview_in_progress_2021H1_1366x768")


def test_clicking_a_village_bar_opens_its_cases(page, january_url: str) -> None:
    page.goto(f"{january_url}/?kind=year&period=2020")
    wait_rendered(page)
    page.get_by_role("link", name="矛盾纠纷调解").click()
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=30_000)
    wait_rendered(page)
    villages = page.locator(".js-plotly-plot").nth(2)
    bar = villages.locator("g.point").first
    bar.click(force=True)  # plotly takes clicks on its drag layer over the bars
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stCaptionContainer\"]')]"
        ".some(c => c.textContent.includes('新田村 · 全部类型'))",
        timeout=30_000,
    )
    wait_rendered(page)
    assert "新田村 · 全部类型：共140件" in _text(page)
    screenshot(page, "mediation_village_clicked_1366x768")
