"""The pages' one cache (``pages.cache.cached``): keyed on database, data version, Period, town and
arguments; the cursor opened for the function; figures kept as dicts; a page seen again asks
DuckDB nothing. Outside a script run (these tests, a download's data on its click) it reads as the
person ``access.acting`` names, and with nobody named it refuses rather than draw the sign-in page."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import pytest
from streamlit.delta_generator_singletons import get_dg_singleton_instance

from analytics import access, db
from analytics.semantic.periods import Period
from pages import auth
from pages.cache import cached
from tests.ui.test_pages import run_page

Y2020, Y2019 = Period(2020, "year", 1), Period(2020 - 1, "year", 1)


@pytest.fixture(autouse=True)
def acting() -> Iterator[access.Principal]:
    """Outside a script run, a cached read is made as the person named (a county admin here)."""
    with access.acting(access.Principal("tester", "admin")) as who:
        yield who


@pytest.fixture
def calls() -> list[tuple[object, ...]]:
    return []


@pytest.fixture
def counted(calls: list[tuple[object, ...]]):
    """A cached function that records its calls and counts the disputes through the cursor it is given."""

    def disputes(cur: duckdb.DuckDBPyConnection, period: Period, town: str | None, *, extra: int = 0) -> int:
        calls.append((period, town, extra))
        return int(cur.execute("SELECT count(*) FROM disputes").fetchone()[0]) + extra

    disputes.__qualname__ = f"disputes_{id(calls)}"  # a fresh cache per test
    return cached(disputes)


def test_a_call_seen_again_is_not_run_again(monkeypatch, fixture_db_path: Path, calls, counted) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    first = counted(Y2020, None)
    assert counted(Y2020, None) == first and len(calls) == 1
    counted(Y2020, "珠龙镇")
    counted(Y2019, None)
    counted(Y2020, None, extra=1)
    assert len(calls) == 4  # town, period and arguments are each part of the key
    assert counted(Period(2020, "year", 1), None) == first and len(calls) == 4  # equal Periods, one entry


def test_a_new_database_file_is_a_new_version(monkeypatch, fixture_db_path: Path, tmp_path: Path, calls, counted):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(fixture_db_path, copy)
    monkeypatch.setenv("DASHBOARD_DB", str(copy))
    counted(Y2020, None)
    replacement = tmp_path / "replacement.duckdb"
    shutil.copy(fixture_db_path, replacement)
    replacement.replace(copy)  # what a load does: a new file swapped in
    counted(Y2020, None)
    assert len(calls) == 2


def test_the_cursor_is_opened_for_the_function_and_closed(monkeypatch, fixture_db_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    seen: list[duckdb.DuckDBPyConnection] = []

    def keep(cur: duckdb.DuckDBPyConnection, period: Period) -> int:
        seen.append(cur)
        return 1

    cached(keep)(Y2020)
    with pytest.raises(duckdb.ConnectionException):
        seen[0].execute("SELECT 1")


def test_figures_come_back_as_figures(monkeypatch, fixture_db_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))

    def chart(cur: duckdb.DuckDBPyConnection, period: Period) -> tuple[go.Figure, str]:
        return go.Figure(go.Bar(x=["2020"], y=[560])), "table"

    for _ in range(2):  # the miss and the hit
        fig, table = cached(chart)(Y2020)
        assert isinstance(fig, go.Figure) and fig.data[0].y == (560,) and table == "table"


@pytest.mark.parametrize("page", ["mediation", "documents", "training"])
def test_a_page_seen_again_asks_duckdb_nothing(monkeypatch, fixture_db_path: Path, page: str) -> None:
    at = run_page(monkeypatch, fixture_db_path, page)
    assert not at.exception

    def no_reader(*args: object, **kwargs: object) -> None:
        raise AssertionError("the database was asked again")

    monkeypatch.setattr(db, "reader", no_reader)
    again = at.run()
    assert not again.exception, [e.message for e in again.exception]
    assert again.get("plotly_chart")


def _in_a_thread(call: object) -> object:
    """``call()`` in a new thread with nothing set, as Streamlit builds a download's data: value or exception."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(call())  # type: ignore[operator]
        except Exception as exc:
            result.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(60)
    return result[0]


def test_outside_a_run_nobody_named_is_refused_and_nothing_drawn(
    monkeypatch, fixture_db_path: Path, calls, counted
) -> None:
    """Asking the session from there drew the sign-in form into Streamlit's one main container of the
    process: every later session's page was then "inside a form", and nobody could sign in."""
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)  # sign-in on: the session is where the person is
    refused = _in_a_thread(lambda: counted(Y2020, None))
    assert isinstance(refused, auth.OutsideRun) and "access.acting" in str(refused)
    assert isinstance(_in_a_thread(auth.principal), auth.OutsideRun)
    assert get_dg_singleton_instance().main_dg._form_data is None and calls == []


def test_outside_a_run_the_person_named_is_who_reads(monkeypatch, fixture_db_path: Path) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db_path))

    def towns(cur: duckdb.DuckDBPyConnection) -> list[str]:
        return [r[0] for r in cur.execute("SELECT DISTINCT town FROM disputes").fetchall()]

    towns.__qualname__ = "towns_seen_outside_a_run"
    elsewhere = access.Principal("elsewhere", "viewer", ("东坪乡",))

    def as_elsewhere() -> list[str]:
        with access.acting(elsewhere):
            return cached(towns)()

    assert _in_a_thread(as_elsewhere) == []  # their town has no cases in the fixture; 珠龙镇's are not theirs
    assert cached(towns)() == ["珠龙镇"]  # the county admin of the fixture above, kept apart in the cache
