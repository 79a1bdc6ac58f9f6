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
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixture_db import build

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy in {timeout}s")


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("browser_db") / "warehouse.duckdb")


@contextlib.contextmanager
def serve(db: Path, log_dir: Path) -> Iterator[str]:
    """``streamlit run dashboard.py`` on a free port against ``db``; yields the base URL once healthy."""
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DB": str(db), "DASHBOARD_TODAY": "2026-11-28", "PYTHONPATH": str(ROOT)}
    log = (log_dir / "streamlit.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(fixture_db, tmp_path_factory.mktemp("streamlit_log")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")  # type: ignore[attr-defined]
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def wait_rendered(page: object, timeout: float = 90_000) -> None:
    """Wait until Streamlit finished the script run and no skeleton placeholder is left.

    The generous default covers a cold first run on a loaded 2-core machine (seen: 45 s).
    """
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",  # type: ignore[attr-defined]
        timeout=timeout,
    )
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0",  # type: ignore[attr-defined]
        timeout=timeout,
    )


def screenshot(page: object, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    return path
