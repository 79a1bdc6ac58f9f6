"""Opening a table reruns only that table's fragment, not the page (``pages.tables.table_on_demand``).

Timing-free: the server runs with Streamlit's ``ScriptRunner._run_script`` wrapped so that every
script run is logged as a whole-page run or a fragment run. Opening a table must add fragment runs
only: a page run would ask for the scorecard, the trend and every chart again.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.pages import TODAY, _free_port, _wait_healthy
from deploy.local import stop
from tests.browser.conftest import ROOT, wait_rendered

pytestmark = pytest.mark.browser

# Run as ``python -c``: log each script run's kind, then start ``streamlit run`` as the CLI would.
LOGGING_SERVER = """
import os, sys
from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

original = script_runner.ScriptRunner._run_script

def logged(self, rerun_data):
    with open(os.environ["RUN_LOG"], "a") as log:
        log.write(("fragment" if rerun_data.fragment_id_queue else "page") + "\\n")
    return original(self, rerun_data)

script_runner.ScriptRunner._run_script = logged
sys.argv = ["streamlit", "run", *sys.argv[1:]]
sys.exit(cli.main())
"""


@contextlib.contextmanager
def logging_server(db: Path, run_log: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DB": str(db), "DASHBOARD_TODAY": TODAY, "PYTHONPATH": str(ROOT)}
    env["RUN_LOG"] = str(run_log)
    args = ["dashboard.py", "--server.port", str(port), "--server.headless", "true"]
    args += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(
        [sys.executable, "-c", LOGGING_SERVER, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        stop(process)


def runs(run_log: Path) -> list[str]:
    return run_log.read_text().split() if run_log.exists() else []


def open_table(page, expander_index: int) -> None:
    """Open the ``expander_index``-th table expander and wait until its grid is drawn."""
    grids = page.locator("[data-testid='stDataFrame']").count()
    page.locator("[data-testid='stExpander'] summary").nth(expander_index).click()
    page.wait_for_function(
        f"() => document.querySelectorAll(\"[data-testid='stDataFrame']\").length > {grids}", timeout=30_000
    )
    wait_rendered(page)


def test_opening_a_table_reruns_only_its_fragment(page, fixture_db: Path, tmp_path: Path) -> None:
    run_log = tmp_path / "runs.log"
    with logging_server(fixture_db, run_log) as url:
        page.goto(f"{url}/mediation?kind=year&period=2020")
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 3", timeout=90_000)
        wait_rendered(page)
        assert "page" in runs(run_log)
        before = len(runs(run_log))

        open_table(page, 0)  # under the disputes-by-form chart
        open_table(page, 2)  # under the open breakdown tab's chart: a fragment inside a fragment

        after = runs(run_log)[before:]
        assert after, "opening a table ran nothing"
        assert set(after) == {"fragment"}, after
        assert page.locator("[data-testid='stException']").count() == 0
