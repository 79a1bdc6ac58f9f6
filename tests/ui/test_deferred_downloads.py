"""A download's data is built on its click, in a thread outside any script run (what Streamlit's
``DeferredFileHandler`` does): it is built as the person who drew the button, draws nothing, and is
refused to a user removed since. The real server's version is ``tests/browser/test_deferred_downloads.py``."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.delta_generator_singletons import get_dg_singleton_instance
from streamlit.runtime.media_file_manager import MediaFileManager

from analytics.access import audit, store
from tests.ui.test_roles import PASSWORD, open_dashboard, two_towns, visit


@pytest.fixture
def warehouse(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = two_towns(sample_db, tmp_path)
    store.add("dp_viewer", PASSWORD, "viewer", ["东坪乡"], path)
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")
    return path


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Callable[[], object]]]:
    """Every download's deferred data the runs register, by file name."""
    found: dict[str, Callable[[], object]] = {}
    real = MediaFileManager.add_deferred

    def add_deferred(
        self: MediaFileManager, data_callable: Callable[[], object], *args: object, **kwargs: object
    ) -> str:
        found[str(kwargs.get("file_name"))] = data_callable
        return real(self, data_callable, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    yield found


def on_click(build: Callable[[], object]) -> object:
    """``build()`` in a new thread, as Streamlit runs a download's data: its value or the exception it raised."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(build())
        except Exception as exc:  # what the server would log
            result.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(120)
    return result[0]


def test_a_report_file_is_built_as_the_viewer_who_drew_it_and_draws_nothing(
    warehouse: Path, deferred: dict[str, Callable[[], object]]
) -> None:
    at = open_dashboard("dp_viewer")
    visit(at, "report")
    assert not at.exception
    markdown = next(build for name, build in deferred.items() if name.endswith(".md"))
    text = on_click(markdown)
    assert isinstance(text, bytes), text
    assert "东坪乡" in text.decode("utf-8") and "珠龙镇" not in text.decode("utf-8")  # their town only
    assert get_dg_singleton_instance().main_dg._form_data is None  # no sign-in form drawn from the thread
    exports = audit.entries(5, "dp_viewer", "export", warehouse)
    assert exports["role"].tolist() == ["viewer"] and ".md" in exports["detail"][0]

    store.remove("dp_viewer", warehouse)  # removed since the button was drawn: the click gets nothing
    refused = on_click(markdown)
    assert isinstance(refused, store.UserError) and "已退出登录" in str(refused)
    assert len(audit.entries(5, "dp_viewer", "export", warehouse)) == 1
