"""The one door to the database: readers follow writes; a failed write changes nothing."""

from __future__ import annotations

import fcntl
import os
import subprocess
import threading
from pathlib import Path

import duckdb
import pytest

from analytics import db


def add_load(path: Path, load_id: int) -> None:
    with db.writing(path) as con:
        con.execute(
            "INSERT INTO loads VALUES (?, 'f.xlsx', ?, 1, now(), NULL, 'active', NULL, 0, 0, 0)",
            [load_id, str(load_id)],
        )


def loads(cur) -> int:
    return int(cur.execute("SELECT count(*) FROM loads").fetchone()[0])


def test_an_empty_database_reads_as_empty_tables(tmp_path: Path) -> None:
    assert loads(db.reader(tmp_path / "none.duckdb").cursor()) == 0


def test_readers_see_a_write_at_once_while_old_cursors_keep_working(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    add_load(path, 1)
    before = db.reader(path).cursor()
    assert loads(before) == 1
    add_load(path, 2)
    assert loads(db.reader(path).cursor()) == 2
    assert loads(before) == 1  # a session mid-query keeps its snapshot instead of failing
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".read")]


def test_a_failed_write_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    add_load(path, 1)
    before = path.read_bytes()
    with pytest.raises(RuntimeError), db.writing(path) as con:
        con.execute("DELETE FROM loads")
        raise RuntimeError("crash")
    assert path.read_bytes() == before
    assert loads(db.reader(path).cursor()) == 1


def test_readers_in_threads_during_writes_never_fail(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    add_load(path, 1)
    errors: list[BaseException] = []
    seen: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(loads(db.reader(path).cursor()))
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)
                return

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for load_id in range(2, 7):
        add_load(path, load_id)
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert seen and max(seen) <= 6
    assert loads(db.reader(path).cursor()) == 6


def test_every_read_has_a_time_limit(tmp_path) -> None:
    from analytics import db

    path = tmp_path / "w.duckdb"
    with db.writing(path):
        pass
    cur = db.reader(path).cursor(limit=0.2)
    try:
        assert cur.execute("SELECT 41 + 1").fetchone() == (42,)
        with pytest.raises(db.QueryTimeout, match="超过 0.2 秒"):
            cur.execute("SELECT count(*) FROM range(10000000000) a")
        assert cur.execute("SELECT 1").fetchone() == (1,)  # the cursor still works afterwards
    finally:
        cur.close()


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith("."))


def test_a_write_removes_every_scratch_a_killed_writer_left(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    add_load(path, 1)
    # Under the writer lock every scratch is stale, even one named after a live process (this one).
    for pid in (os.getpid(), _dead_pid()):
        (tmp_path / f".w.duckdb.{pid}.7.tmp").write_bytes(path.read_bytes())
        (tmp_path / f".w.duckdb.{pid}.7.tmp.wal").write_bytes(b"wal")
    os.link(path, tmp_path / f".w.duckdb.{_dead_pid()}.3.read")
    (tmp_path / ".w.duckdb.1.2.tmp.wal").write_bytes(b"an orphan wal")
    add_load(path, 2)
    assert _leftovers(path) == []
    assert loads(db.reader(path).cursor()) == 2


def test_the_first_reader_removes_what_killed_processes_left(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    add_load(path, 1)
    dead = _dead_pid()
    (tmp_path / f".w.duckdb.{dead}.7.tmp").write_bytes(path.read_bytes())
    os.link(path, tmp_path / f".w.duckdb.{dead}.3.read")
    os.link(path, tmp_path / f".w.duckdb.{os.getpid()}.99.read")  # a live process's link: not this one's to remove
    unrelated = tmp_path / ".w.duckdb.notes.tmp"
    unrelated.write_text("not ours")
    assert loads(db.reader(path).cursor()) == 1
    assert _leftovers(path) == [f".w.duckdb.{os.getpid()}.99.read", ".w.duckdb.notes.tmp"]


def test_a_scratch_is_left_alone_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    add_load(path, 1)
    scratch = tmp_path / f".w.duckdb.{_dead_pid()}.7.tmp"
    scratch.write_bytes(b"x")
    with open(str(path) + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert db.remove_stale(path) == []
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert db.remove_stale(path) == [scratch]


@pytest.mark.parametrize("exists", [True, False], ids=["file", "no-file-yet"])
def test_every_read_has_a_memory_and_thread_limit(tmp_path: Path, exists: bool) -> None:
    path = tmp_path / "w.duckdb"
    if exists:
        with db.writing(path):
            pass
    cur = db.reader(path).cursor()
    try:
        got = dict(
            cur.execute(
                "SELECT name, value FROM duckdb_settings() WHERE name IN ('memory_limit', 'threads')"
            ).fetchall()
        )
        assert got == {"memory_limit": "1.0 GiB", "threads": "2"}
        # A page query that outgrows the limit fails with DuckDB's error instead of taking the machine.
        with pytest.raises(duckdb.OutOfMemoryException):
            cur.execute("SELECT length(string_agg(repeat('x', 1000), ',')) FROM range(3000000)")
    finally:
        cur.close()
