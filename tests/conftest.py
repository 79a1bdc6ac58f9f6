"""Shared fixtures: a fixture warehouse built by code, and the project root on sys.path."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import fixture_db  # noqa: E402

# The app without sign-in (an admin of every town) on 127.0.0.1, as README's demo mode; the role
# tests (tests/ui/test_roles.py) sign in for real.
os.environ.setdefault("DASHBOARD_AUTH", "off")
os.environ.setdefault("STREAMLIT_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture
def fixture_path(tmp_path: Path) -> Path:
    """A DuckDB file holding the fixture warehouse."""
    return fixture_db.build(tmp_path / "fixture.duckdb")


@pytest.fixture
def fixture_con(fixture_path: Path):
    import duckdb

    con = duckdb.connect(str(fixture_path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Playwright, one per test session: Playwright's sync API can't
    be started twice in one process (tests/browser and tests/deploy share it)."""
    from playwright.sync_api import sync_playwright

    from bench.pages import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample workbooks loaded through the real ETL into a DuckDB file (once per run)."""
    from etl.load import load_file

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    for workbook in sorted((ROOT / "data" / "sample").glob("*.xlsx")):
        load_file(workbook, path)
    return path
