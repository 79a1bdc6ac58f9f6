"""Browser fixtures shared by every page's Playwright tests.

- ``app_url`` (session): ``streamlit run dashboard.py`` on a free port against a fixture database
  (``DASHBOARD_DB``), waited for until ``/_stcore/health`` answers "ok"; yields the base URL.
- ``browser`` (session) / ``page`` (function): headless Debian Chromium via Playwright, 1366×768.
- ``wait_rendered(page)``: waits until the script has finished and no skeleton is left.
- ``screenshot(page, name)``: saves ``artifacts/screenshots/<name>.png`` and returns the path.

Mark tests ``@pytest.mark.browser``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.pages import VIEWPORT
from bench.pages import serve as serve_script
from tests.fixture_db import build

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("browser_db") / "warehouse.duckdb")


@contextlib.contextmanager
def serve(db: Path, sign_in: bool = False) -> Iterator[str]:
    """``streamlit run dashboard.py`` on a free port against ``db``; yields the base URL once healthy.
    Without sign-in (the local demo) unless ``sign_in``."""
    with serve_script(ROOT / "dashboard.py", db, {"DASHBOARD_AUTH": "on"} if sign_in else None) as (url, _process):
        yield url


@pytest.fixture(scope="session")
def app_url(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(fixture_db) as url:
        yield url


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")  # type: ignore[attr-defined]
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


# Idle: the script not running, something drawn in the main area, no skeleton, and the number of
# drawn elements unchanged for SETTLE_MS. "Not running" alone is also true before the first run
# starts and between a run and the rerun it asks for (the router, a restored link), when only the
# banner may be drawn.
_SETTLED = """(settle) => {
  const main = document.querySelectorAll("[data-testid='stMain'] [data-testid='stElementContainer']").length;
  const app = document.querySelector("[data-testid='stApp']");
  const idle = main > 0 && app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll("[data-testid='stSkeleton']").length === 0;
  const now = performance.now();
  const seen = window.__settled || (window.__settled = {since: now, main: -1});
  if (!idle || main !== seen.main) { seen.since = now; seen.main = main; return false; }
  return now - seen.since >= settle;
}"""
SETTLE_MS = 600


def wait_rendered(page: object, timeout: float = 90_000) -> None:
    """Wait until Streamlit finished the script run (and any rerun it asked for) and no skeleton
    placeholder is left: see ``_SETTLED``.

    The generous default covers a cold first run on a loaded 2-core machine (seen: 45 s).
    """
    page.evaluate("() => { window.__settled = null; }")  # type: ignore[attr-defined]
    page.wait_for_function(_SETTLED, arg=SETTLE_MS, timeout=timeout, polling=100)  # type: ignore[attr-defined]


def screenshot(page: object, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    return path
