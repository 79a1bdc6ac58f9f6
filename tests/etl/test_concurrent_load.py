"""Two dashboards reading while a third session loads: no lock errors, and both see the new data."""

from __future__ import annotations

import threading
from pathlib import Path

from analytics import db
from etl import load as etl_load
from tests.etl.workbooks import disputes_bytes


def _count(path: Path) -> int:
    cur = db.reader(path).cursor()
    try:
        return int(cur.execute("SELECT count(*) FROM v_disputes").fetchall()[0][0])
    finally:
        cur.close()


def test_readers_in_two_threads_during_a_load(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    first.write_bytes(disputes_bytes(5))
    second.write_bytes(disputes_bytes(200, start=100))
    etl_load.load_file(first, path)

    loading = threading.Event()
    done = threading.Event()
    seen: dict[str, list[int]] = {"r1": [], "r2": []}
    errors: list[BaseException] = []

    def read(name: str) -> None:
        try:
            loading.wait(10)
            while not done.is_set():
                seen[name].append(_count(path))  # each read takes a fresh cursor, as a page does
            seen[name].append(_count(path))
        except BaseException as exc:  # noqa: BLE001 - report any failure to the main thread
            errors.append(exc)

    readers = [threading.Thread(target=read, args=(name,)) for name in seen]
    for thread in readers:
        thread.start()
    loading.set()
    report = etl_load.load_file(second, path)
    done.set()
    for thread in readers:
        thread.join(30)

    assert errors == [] and report.status == "loaded"
    for counts in seen.values():
        assert counts, "the reader never ran"
        assert set(counts) <= {5, 205}  # never a half-written state
        assert counts[-1] == 205  # and the new data afterwards
