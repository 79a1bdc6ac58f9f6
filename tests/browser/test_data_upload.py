"""In Chromium: upload a ledger on the 数据管理 page, load it, and see the overview's figures change.

Runs its own ``streamlit run`` on its own copy of the fixture warehouse, because it writes to it
(the shared ``app_url`` server's database must stay as other browser tests expect it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics import db
from tests.browser.conftest import screenshot, serve, wait_rendered
from tests.etl.workbooks import disputes_bytes
from tests.fixture_db import build

pytestmark = pytest.mark.browser


@pytest.fixture
def writable_app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    path = build(tmp_path / "warehouse.duckdb")
    with serve(path) as url:
        yield url, path


def _has_metric(page, text: str) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")].some(e => e.innerText === t)",
        arg=text,
        timeout=30_000,
    )


def test_upload_load_and_the_overview_changes(page, writable_app: tuple[str, Path], tmp_path: Path) -> None:
    url, path = writable_app
    # before: the fixture warehouse holds 560 disputes in 2020 (the overview test shows them as 560件)
    assert (
        int(db.query("SELECT count(*) FROM v_disputes WHERE year(received_date) = 2020", path=path).iloc[0, 0]) == 560
    )

    ledger = tmp_path / "珠龙镇2020年补录台账.xlsx"
    ledger.write_bytes(disputes_bytes(7, town="珠龙镇", start=300))
    page.goto(f"{url}/data")
    wait_rendered(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(ledger))
    load = page.get_by_role("button", name="导入（7 行）")
    load.wait_for(timeout=30_000)
    wait_rendered(page)
    screenshot(page, "data_preview_1366x768", full_page=True)
    load.click()
    page.get_by_text("已导入「珠龙镇2020年补录台账.xlsx」").wait_for(timeout=30_000)
    wait_rendered(page)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "data_loaded_1366x768", full_page=True)

    page.goto(f"{url}/?kind=year&period=2020")
    wait_rendered(page)
    _has_metric(page, "567件")
    assert page.locator("[data-testid='stException']").count() == 0
