"""The one door to the DuckDB warehouse.

Readers hold a read-only connection and reopen it when the file changes. Writers never touch the
file readers have open: they copy it, write and checkpoint the copy inside one transaction, and
swap it in with ``os.replace``. A crash or kill mid-write leaves the original untouched, and a
dashboard that is open never blocks a load (DuckDB allows one read-write *or* many read-only
holders of a file, see FACTS.md). What a killed process leaves beside the file (its scratch copy,
a read link) is removed by the next writer and the next process that opens the file
(``remove_stale``).
"""

from __future__ import annotations

import fcntl
import glob
import itertools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import duckdb

from analytics import access, private, settings
from analytics.settings import ROOT

SCHEMA = Path(__file__).with_name("schema.sql")
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"


PathLike = str | os.PathLike[str] | None
Towns = tuple[str, ...] | None
_ACTING: object = object()  # cursor()'s default: the towns of the person acting


def db_path(path: PathLike = None) -> Path:
    """The database file: an explicit path, else ``DASHBOARD_DB``, else ``data/warehouse.duckdb``."""
    return Path(path or os.environ.get("DASHBOARD_DB") or DEFAULT_DB).resolve()


def data_version(path: Path) -> tuple[int, int, int]:
    """Changes whenever a write swaps in a new file; (0, 0, 0) when there is no file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def schema_sql() -> str:
    """The warehouse's DDL: ``schema.sql`` (loads, rejects, aggregates…), then each dataset's table as its
    module declares it (``etl.datasets``) and its ``v_`` view of the active loads' rows."""
    from etl.datasets import DATASETS
    from etl.datasets.base import PROVENANCE_SQL

    tables = "".join(f"CREATE TABLE IF NOT EXISTS {t} ({PROVENANCE_SQL}{d.table_sql});\n" for t, d in DATASETS.items())
    tables += "".join(d.migrations for d in DATASETS.values())  # a file written before a column changed
    views = "".join(
        f"CREATE OR REPLACE VIEW v_{t} AS SELECT t.* FROM {t} t JOIN active_loads USING (load_id);\n" for t in DATASETS
    )
    return SCHEMA.read_text(encoding="utf-8") + tables + views


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(schema_sql())


def has_view(con: duckdb.DuckDBPyConnection, view: str) -> bool:
    """Whether the warehouse has ``view`` (a file written before a register existed has not)."""
    row = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = $view", {"view": view}).fetchone()
    return bool(row and row[0])


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


def timed(cursor: duckdb.DuckDBPyConnection, limit: float = READ_TIME_LIMIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """``cursor`` with every read stopped after ``limit`` seconds (typed as the cursor it wraps)."""
    return cast(duckdb.DuckDBPyConnection, TimedCursor(cursor, limit))


class Reader:
    """A process-wide read-only connection that follows the file as writers replace it.

    DuckDB connections are not thread-safe, so callers take a cursor per query (``cursor()``); every
    read through it has a time limit (``TimedCursor``). A person who may read only some towns gets
    a cursor on a connection whose every table and view holds only those towns' rows
    (``_open_scoped``): the scope holds wherever the data is read, whatever the query asks.
    """

    MAX_SCOPES = 64

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._scoped: dict[tuple[str, ...], duckdb.DuckDBPyConnection] = {}
        self._version = (0, 0, 0)

    @property
    def version(self) -> tuple[int, int, int]:
        return data_version(self.path)

    def cursor(
        self, limit: float = READ_TIME_LIMIT_SECONDS, towns: Towns | object = _ACTING
    ) -> duckdb.DuckDBPyConnection:
        """A cursor on the current file whose reads stop after ``limit`` seconds and see only
        ``towns`` (None: every town; by default the towns of the person acting)."""
        chosen = access.current().towns if towns is _ACTING else towns
        return timed(self._raw_cursor(cast(Towns, chosen)), limit)

    def _raw_cursor(self, towns: Towns) -> duckdb.DuckDBPyConnection:
        with self._lock:
            version = data_version(self.path)
            if self._con is None or version != self._version:
                # The old connections are not closed here: other sessions may be mid-query on their
                # cursors. They read the old file's snapshot and close when the last one is dropped.
                self._con = _open_read_only(self.path)
                self._scoped = {}
                self._version = version
            if towns is None:
                return self._con.cursor()
            key = tuple(sorted(set(towns)))
            if key not in self._scoped:
                if len(self._scoped) >= self.MAX_SCOPES:
                    self._scoped.clear()
                self._scoped[key] = _open_scoped(self.path, key)
            return self._scoped[key].cursor()

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
    link = path.with_name(f".{path.name}.{os.getpid()}.{next(_link_numbers)}{READ_LINK}")
    try:
        os.link(path, link)
    except OSError:
        return duckdb.connect(str(path), read_only=True, config=settings.query_config())
    try:
        return duckdb.connect(str(link), read_only=True, config=settings.query_config())
    finally:
        link.unlink(missing_ok=True)


def _open_scoped(path: Path, towns: tuple[str, ...]) -> duckdb.DuckDBPyConnection:
    """An in-memory connection whose every name (``v_disputes``, ``agg_disputes_month``, ``loads``…)
    is a view of the warehouse's relation of that name holding only ``towns``' rows."""
    from analytics.access.masked import has_sheet_towns, quote, town_filter

    con = duckdb.connect(":memory:", config=settings.query_config())
    if not path.exists():
        ensure_schema(con)
        return con
    link = path.with_name(f".{path.name}.{os.getpid()}.{next(_link_numbers)}.read")
    try:
        os.link(path, link)
        source = link
    except OSError:
        source = path
    try:
        con.execute(f"ATTACH {quote(str(source))} AS wh (READ_ONLY)")
    finally:
        if source == link:
            link.unlink(missing_ok=True)
    relations = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh' AND schema_name = 'main' "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = 'wh' AND schema_name = 'main' "
        "AND NOT internal"
    ).fetchall()
    sheet_towns = has_sheet_towns(con, "wh")
    for (name,) in relations:
        columns = {
            c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'wh' AND table_name = ?", [name]
            ).fetchall()
        }  # fmt: skip
        con.execute(
            f'CREATE VIEW main."{name}" AS SELECT * FROM wh.main."{name}"{town_filter(columns, towns, "wh", name, sheet_towns)}'
        )
    return con


_link_numbers = itertools.count(1)
_readers: dict[Path, Reader] = {}
_readers_lock = threading.Lock()


def reader(path: str | os.PathLike[str] | None = None) -> Reader:
    """The shared reader of a database file; the first one in a process clears what killed ones left."""
    resolved = db_path(path)
    with _readers_lock:
        if resolved not in _readers:
            # A process's first look at the file is its start (the app, any command): the one place
            # every process passes, so leftovers of a killed load go before anyone reads.
            remove_stale(resolved)
            private.narrow(resolved)  # a warehouse made before files were private: no longer other users'
            upgrade(resolved)
            _readers[resolved] = Reader(resolved)
        return _readers[resolved]


def _columns(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    sql = (
        "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND database_name = current_database()"
    )
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal").fetchall()}
    return {(t, c) for t, c in con.execute(sql).fetchall() if t in tables}


def upgrade(path: Path) -> bool:
    """Give a warehouse written by an older version the columns this one reads (``schema.sql``'s ALTERs,
    each dataset's ``migrations``), by a write that changes nothing else: without it, every read of a
    column added since (legality_reviews.pending) failed until the next load. Whether anything was done;
    a file this process may not write is left as it is (its reads then fail as before)."""
    if not path.exists():
        return False
    with duckdb.connect(":memory:") as fresh:
        ensure_schema(fresh)
        wanted = _columns(fresh)
    try:
        with duckdb.connect(str(path), read_only=True) as old:
            have = _columns(old)
    except duckdb.Error:
        return False
    tables = {t for t, _ in have}
    if all(column in have for column in wanted if column[0] in tables):
        return False
    try:
        with writing(path):
            pass  # ``writing`` runs ensure_schema on its copy and swaps it in
    except (OSError, duckdb.Error):
        return False
    return True


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
    if not target.parent.exists():
        target.parent.parent.mkdir(parents=True, exist_ok=True)
        private.folder(target.parent)
    # Every file made here holds the data or guards it (the lock): its owner's only (analytics.private).
    with private.umask(), open(_lock_path(target), "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        _remove_scratch(target)  # under the lock no other write is under way: every scratch is stale
        _remove_read_links(target)
        scratch = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}{SCRATCH}")
        try:
            mode = private.kept_mode(target)  # a copy's mode is the umask's: the new file keeps the old one's
            if target.exists():
                private.create(scratch)
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
            os.chmod(scratch, mode)
            os.replace(scratch, target)
        finally:
            _remove(scratch)


# --- what a killed process leaves behind ---------------------------------------------------------
#
# ``writing`` copies the whole warehouse to ``.<name>.<pid>.<thread>.tmp`` (and DuckDB adds a
# ``.wal`` beside it); ``_open_read_only`` makes a hard link ``.<name>.<pid>.<n>.read``, which keeps
# the whole file it links alive on disk. Both are removed by their maker, unless it is killed first.

SCRATCH = ".tmp"
READ_LINK = ".read"


def _lock_path(target: Path) -> str:
    return str(target) + ".lock"


def remove_stale(target: Path) -> list[Path]:
    """Remove the scratch copies and read links that killed processes left beside ``target``.

    A scratch file is live only while its writer holds ``<db>.lock``: if the lock is free, every
    scratch is stale; if a write is under way, they are left to that writer (it clears them under
    the lock when it starts). A read link is live only while its process opens it, so one whose
    process is gone is stale. Returns what was removed.
    """
    if not target.parent.is_dir():
        return []
    removed = _remove_read_links(target)
    if not _leftovers(target, SCRATCH):
        return removed  # the usual case: no lock file to open (or create)
    try:
        lock_file = open(_lock_path(target), "a")  # noqa: SIM115 - held only for the check below
    except OSError:
        return removed  # a read-only folder: nothing to clear, and nothing could have been left
    with lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return removed  # a writer is busy; it clears the scratch files itself
        try:
            removed += _remove_scratch(target)
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
    return removed


def _leftovers(target: Path, suffix: str) -> list[tuple[Path, int]]:
    """``(file, pid)`` of the scratch files (``.tmp``) or read links (``.read``) of ``target``."""
    found = {}
    prefix = f".{target.name}."
    for candidate in target.parent.glob(f"{glob.escape(prefix)}*{suffix}*"):
        name = candidate.name.removesuffix(".wal")  # a .wal whose file is gone is found by its own name
        if not name.endswith(suffix):
            continue
        parts = name[len(prefix) : -len(suffix)].split(".")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            found[candidate.with_name(name)] = int(parts[0])
    return list(found.items())


def _remove_scratch(target: Path) -> list[Path]:
    """Every scratch file of ``target``: only call this holding ``<db>.lock``."""
    removed = []
    for scratch, _ in _leftovers(target, SCRATCH):
        removed += _remove(scratch)
    return removed


def _remove_read_links(target: Path) -> list[Path]:
    removed = []
    for link, pid in _leftovers(target, READ_LINK):
        if not _alive(pid):
            removed += _remove(link)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _remove(path: Path) -> list[Path]:
    removed = []
    for candidate in (path, Path(str(path) + ".wal")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            continue
        removed.append(candidate)
    return removed
