"""kill -9 during ``python -m etl load``: the warehouse is the before or the after, and no copy stays behind.

Each trial starts from the sample warehouse, runs the command line on a real ledger in a child
process and kills it (SIGKILL) either at a random moment of its run or a random moment after its
scratch copy appeared (the window that used to leave a whole warehouse behind). Then the next
process start (the first reader) or the next load must leave nothing but the database and its
lock file in the folder.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics import db
from etl import load as etl_load
from tests.etl.workbooks import disputes_bytes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = sorted((ROOT / "data" / "sample").glob("*.xlsx"))
TRIALS = int(os.environ.get("KILL_TRIALS", "16"))  # 16 take ≈ 15 s here
NEW_ROWS = 3000
KEPT = {"w.duckdb", "w.duckdb.lock"}  # the lock file is meant to stay; it is empty


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "w.duckdb"
    for source in SAMPLE:
        etl_load.load_file(source, path)
    return path


def _state(path: Path) -> tuple[int, int]:
    """(loads, rows in v_disputes): enough to tell the before from the after."""
    cur = db.reader(path).cursor()
    try:
        loads = int(cur.execute("SELECT count(*) FROM loads").fetchall()[0][0])
        rows = int(cur.execute("SELECT count(*) FROM v_disputes").fetchall()[0][0])
    finally:
        cur.close()
    return loads, rows


def _leftovers(folder: Path) -> list[str]:
    # the audit log (SQLite, crash-safe on its own: a killed writer's journal is rolled back on next use)
    # is kept data, not a leftover
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name not in KEPT and p.suffix != ".xlsx" and not p.name.startswith("w.access.sqlite")
    )


def _kill_during_load(folder: Path, ledger: Path, rng: random.Random, after_scratch: bool) -> float:
    """Start ``python -m etl load`` and SIGKILL it; returns when (seconds after start) it was killed."""
    child = subprocess.Popen(
        [sys.executable, "-m", "etl", "--db", str(folder / "w.duckdb"), "load", str(ledger)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    start = time.monotonic()
    if after_scratch:
        while child.poll() is None and not any(n.endswith(".tmp") for n in os.listdir(folder)):
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.2))  # the copy, the inserts, the checkpoint, the swap: ≈ 0.1 s here
    else:
        time.sleep(rng.uniform(0, 0.8))  # a whole run takes ≈ 0.6 s here
    killed_at = time.monotonic() - start
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    return killed_at


def test_a_killed_load_leaves_before_or_after_and_no_copy(sample_db: Path, tmp_path: Path) -> None:
    before = _state(sample_db)
    ledger = tmp_path / "东坪乡矛盾纠纷台账.xlsx"
    ledger.write_bytes(disputes_bytes(NEW_ROWS, town="东坪乡"))
    after = (before[0] + 1, before[1] + NEW_ROWS)
    rng = random.Random(13)
    outcomes: dict[str, int] = {"left a file": 0, "then start: before": 0, "then start: after": 0, "then load": 0}
    for trial in range(TRIALS):
        folder = tmp_path / f"trial{trial}"
        folder.mkdir()
        shutil.copyfile(sample_db, folder / "w.duckdb")
        _kill_during_load(folder, ledger, rng, after_scratch=trial % 2 == 1)
        left = _leftovers(folder)
        outcomes["left a file"] += bool(left)
        if trial % 4 < 2:
            state = _state(folder / "w.duckdb")  # the next start: this process's first reader of the file
            assert state in (before, after), f"trial {trial}: {state}"
            outcomes["then start: before" if state == before else "then start: after"] += 1
        else:
            etl_load.load_file(ledger, folder / "w.duckdb")  # the next load
            assert _state(folder / "w.duckdb") == after, f"trial {trial}"
            outcomes["then load"] += 1
        assert _leftovers(folder) == [], f"trial {trial} left {left}, still there after the next start or load"
    print(f"\n{TRIALS} kill -9 trials: {outcomes}")
    # The trials did hit the window that leaves a scratch copy, so the clean-up above was tested.
    assert outcomes["left a file"] >= 1
