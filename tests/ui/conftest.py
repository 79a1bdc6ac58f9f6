"""AppTest fixtures: the dashboard run against a fixture warehouse chosen through DASHBOARD_DB.

Known AppTest quirk (Streamlit 1.67) with ``st.navigation``: after an interaction and ``.run()``, the
sidebar's widgets are missing from the element tree; read ``app.session_state[...]`` instead, or
start a fresh app with query params (``make_app(period="2020H1")``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixture_db import build

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = str(ROOT / "dashboard.py")


@pytest.fixture(scope="session")
def fixture_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("ui_db") / "warehouse.duckdb")


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch, fixture_db_path: Path) -> Callable[..., AppTest]:
    """``make_app(db=None, **query_params)`` → an AppTest of dashboard.py, already run once."""

    def _make(db: Path | None = None, **params: str) -> AppTest:
        monkeypatch.setenv("DASHBOARD_DB", str(db or fixture_db_path))
        monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")
        app = AppTest.from_file(DASHBOARD, default_timeout=60)
        for key, value in params.items():
            app.query_params[key] = value
        return app.run()

    return _make
