"""The one door to the DuckDB warehouse.

Readers hold a read-only connection and reopen it when the file changes. Writers never touch the
file readers have open: they copy it, write and checkpoint the copy inside one transaction, and
swap it in with ``os.replace``. A crash or kill mid-write leaves the original untouched, and a
dashboard that is open never blocks a load (DuckDB allows one read-write *or* many read-only
holders of a file, see FACTS.md).
"""

from __future__ import annotations

import fcntl
import itertools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import duckdb

from analytics import settings
from analytics.settings import ROOT

SCHEMA = Path(__file__).with_name("schema.sql")
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"


def db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file: an explicit path, else ``DASHBOARD_DB``, else ``data/warehouse.duckdb``."""
    return Path(path or os.environ.get("DASHBOARD_DB") or DEFAULT_DB).resolve()


def data_version(path: Path) -> tuple[int, int, int]:
    """Changes whenever a write swaps in a new file; (0, 0, 0) when there is no file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA.read_text(encoding="utf-8"))


READ_TIME_LIMIT_SECONDS = 60.0  # no page or report query comes near it; a runaway one is stopped


class QueryTimeout(RuntimeError):
    """A read ran past its time limit and was stopped (the message is for the user, in Chinese)."""


class TimedCursor:
    """A cursor whose every ``execute`` is stopped (``interrupt``) when it runs past ``limit`` seconds.

    Everything else is the DuckDB cursor's own (``execute`` returns it, so ``.df()`` and
    ``.fetchall()`` work as before). DuckDB can't stop some single long scalar functions in time
    (FACTS.md); the connection's ``memory_limit`` and ``threads`` (``_open_read_only``) bound what
    such a query can take meanwhile. User SQL runs in a child process that is killed at its limit
    (``analytics.adhoc.sqlguard``).
    """

    def __init__(self, cursor: duckdb.DuckDBPyConnection, limit: float = READ_TIME_LIMIT_SECONDS) -> None:
        self._cursor = cursor
        self.limit = limit

    def execute(self, sql: str, parameters: object = None) -> duckdb.DuckDBPyConnection:
        timer = threading.Timer(self.limit, self._cursor.interrupt)
        timer.daemon = True
        timer.start()
        try:
            return self._cursor.execute(sql, parameters) if parameters is not None else self._cursor.execute(sql)
        except duckdb.InterruptException as exc:
            raise QueryTimeout(f"查询超过 {self.limit:g} 秒未完成，已停止；请缩小期间或乡镇范围后重试") from exc
        finally:
            timer.cancel()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __enter__(self) -> TimedCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cursor.close()


class Reader:
    """A process-wide read-only connection that follows the file as writers replace it.

    DuckDB connections are not thread-safe, so callers take a cursor per query (``cursor()``); every
    read through it has a time limit (``TimedCursor``).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._version = (0, 0, 0)

    @property
    def version(self) -> tuple[int, int, int]:
        return data_version(self.path)

    def cursor(self, limit: float = READ_TIME_LIMIT_SECONDS) -> duckdb.DuckDBPyConnection:
        """A cursor on the current file whose reads stop after ``limit`` seconds."""
        return cast(duckdb.DuckDBPyConnection, TimedCursor(self._raw_cursor(), limit))

    def _raw_cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            version = data_version(self.path)
            if self._con is None or version != self._version:
                # The old connection is not closed here: other sessions may be mid-query on its
                # cursors. It reads the old file's snapshot and closes when the last one is dropped.
                self._con = _open_read_only(self.path)
                self._version = version
            return self._con.cursor()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    # Memory and threads are capped per database instance (``[limits]``), so one runaway page query
    # fails with DuckDB's out-of-memory error instead of taking the machine; every cursor shares them.
    if not path.exists():
        # An empty database so pages can say "nothing loaded yet" instead of failing.
        con = duckdb.connect(":memory:", config=settings.query_config())
        ensure_schema(con)
        return con
    # DuckDB caches database instances by path: while a connection to the replaced file lives,
    # connect(path) would hand that stale instance back. A fresh hard link of the current file
    # is a new path, so it opens the new file; the link is removed once the file is open.
    link = path.with_name(f".{path.name}.{os.getpid()}.{next(_link_numbers)}.read")
    try:
        os.link(path, link)
    except OSError:
        return duckdb.connect(str(path), read_only=True, config=settings.query_config())
    try:
        return duckdb.connect(str(link), read_only=True, config=settings.query_config())
    finally:
        link.unlink(missing_ok=True)


_link_numbers = itertools.count(1)
_readers: dict[Path, Reader] = {}
_readers_lock = threading.Lock()


def reader(path: str | os.PathLike[str] | None = None) -> Reader:
    """The shared reader of a database file."""
    resolved = db_path(path)
    with _readers_lock:
        if resolved not in _readers:
            _readers[resolved] = Reader(resolved)
        return _readers[resolved]


def query(
    sql: str, params: list[Any] | dict[str, Any] | None = None, path: str | os.PathLike[str] | None = None
) -> Any:
    """Run a read query and return a pandas DataFrame."""
    cur = reader(path).cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


@contextmanager
def writing(path: str | os.PathLike[str] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a copy of the database, swapped in only if the block succeeds.

    Writers are serialised by an advisory lock on ``<db>.lock``.
    """
    target = db_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(str(target) + ".lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        scratch = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        _remove(scratch)
        try:
            if target.exists():
                shutil.copyfile(target, scratch)
            con = duckdb.connect(str(scratch))
            try:
                ensure_schema(con)
                con.execute("BEGIN TRANSACTION")
                yield con
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            os.replace(scratch, target)
        finally:
            _remove(scratch)


def _remove(path: Path) -> None:
    for candidate in (path, Path(str(path) + ".wal")):
        candidate.unlink(missing_ok=True)
