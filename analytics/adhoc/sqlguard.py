"""The guarded SQL runner behind 自助分析's query box and ``python -m analytics sql``.

Staff may type any read query over the warehouse; nothing they type can change data, read or
write files on this machine, load extensions or reach the network. Three layers, each enough on
its own for its own risk:

1. **Statement check** – DuckDB's own parser splits the text (``extract_statements``); exactly one
   statement of a read type (SELECT, which covers WITH/FROM/VALUES/SHOW/DESCRIBE/SUMMARIZE, and
   EXPLAIN) is allowed. Everything else is refused by its type with a plain Chinese message.
2. **A locked-down connection per run** – a fresh in-memory DuckDB with extension auto-install and
   auto-load off and community extensions refused; the warehouse is attached ``READ_ONLY``; then
   external access (files, URLs, ATTACH of files) is switched off and the configuration is locked,
   *before* any user text runs, so no ``SET``/``PRAGMA`` can undo it.

   Why attach instead of ``duckdb.connect(path, read_only=True, config=...)``: DuckDB keeps one
   database instance per file in a process and refuses a second connection "with a different
   configuration than existing connections". The dashboard process already holds the file through
   ``analytics.db.reader`` (default configuration), so a differently configured connect fails there.
   An in-memory instance that attaches the file read-only is independent of that cache and gets the
   same protection (external access is disabled once the file is attached; ``lock_configuration``
   then freezes it).
3. **Limits, in a child process** – the query runs in a child Python (``analytics.adhoc.sandbox``)
   that is killed (SIGKILL) when the wall-clock limit passes: an interrupt from a timer cannot stop
   one long scalar or list function such as ``len(range(1e8))`` (FACTS.md). The child's DuckDB has
   ``memory_limit`` and ``threads`` (settings ``[limits]``) and no spilling to disk, and the OS caps
   its address space (``RLIMIT_AS``) for the allocations DuckDB does not count. Only the first
   ``row_limit`` rows come back (Arrow IPC on a pipe, read up to ``MAX_RESULT_BYTES``), so the
   server's own memory never holds more than that. Query text length is checked here, first.

   A subprocess rather than ``multiprocessing``: the Streamlit server has threads (so no plain fork),
   and spawn/forkserver re-import the server's main module in every child; ``python -I -c`` with
   only the project on ``sys.path`` starts in ≈ 0.2 s (``bench.sql``).

Every refusal raises :class:`SqlError` whose message is fit to show to the user as it is.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from analytics import db, settings
from analytics.settings import ROOT

if TYPE_CHECKING:  # the child process imports this module and must stay quick to start: no pandas
    import pandas as pd

DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_ROW_LIMIT = 10_000
MAX_SQL_CHARS = 5_000
MAX_RESULT_BYTES = 64 * 1024 * 1024  # the Arrow bytes of at most row_limit rows; more is refused
# The server holds an answer as pandas: a Python object per text cell (≈ 60 bytes). Rows past this many cells
# are cut (10,000 rows of 50 columns), a result wider than MAX_RESULT_COLUMNS is refused, and a list, struct,
# map or binary value comes as text of at most MAX_CELL_CHARS characters (as arrays of objects, 10,000 rows of
# 650 one-element lists took the server 1 GB).
MAX_RESULT_CELLS = 500_000
MAX_RESULT_COLUMNS = 1_000
MAX_CELL_CHARS = 1_000

# Options applied when the in-memory instance is created (verified by experiment with duckdb 2.0.1
# against ``duckdb_settings()``; names as in DuckDB's configuration reference).
CONNECT_CONFIG: dict[str, str | bool | int | float] = {
    "allow_community_extensions": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_unsigned_extensions": False,
    # No spilling to disk: a query that outgrows memory_limit fails instead of filling the disk.
    "temp_directory": "",
}
# Options applied after the warehouse is attached, in this order (the lock must come last).
LOCKDOWN = ("SET enable_external_access = false", "SET lock_configuration = true")
# What a connection reports once locked down; the tests and ``check_lockdown`` compare against it.
EXPECTED_SETTINGS = {
    "allow_community_extensions": "false",
    "autoload_known_extensions": "false",
    "autoinstall_known_extensions": "false",
    "enable_external_access": "false",
    "lock_configuration": "true",
}
CATALOG = "warehouse"

# ----- messages (shown to the user as they are) --------------------------------------------------
MSG_EMPTY = "请输入查询语句"
MSG_READ_ONLY = "只允许查询（SELECT），不能修改数据"
MSG_FILES = "不能读取本机文件"
MSG_EXPORT = "不能导入或导出文件（COPY/EXPORT）；查询结果可以在页面上下载"
MSG_EXTENSIONS = "不能安装或加载扩展"
MSG_ATTACH = "不能附加其他数据库"
MSG_SETTINGS = "不能修改数据库设置（SET/PRAGMA）；查看视图的列请用 DESCRIBE 视图名"
MSG_MULTIPLE = "一次只能执行一条查询语句（共 {count} 条）"
MSG_TIMEOUT = "查询超时（超过{seconds:g}秒），已中止"
MSG_BUSY = "其他查询正在运行，{seconds:g} 秒内没有轮到，已取消；请稍后再试"
MSG_MEMORY = "查询所需内存超过上限（{limit}），已中止；请缩小范围"
MSG_RESULT_TOO_LARGE = "查询结果过大（超过 {mb} MB），已中止；请减少列或行"
MSG_TOO_MANY_COLUMNS = "查询结果列数过多（{count:,} 列，上限 {limit:,} 列），已中止；请减少列"
MSG_CRASHED = "查询进程意外退出（{code}），已中止"
MSG_TOO_LONG = "查询语句过长（上限 {limit} 字符）"
MSG_SYNTAX = "SQL 语法错误：{detail}"
MSG_FAILED = "查询出错：{detail}"
MSG_NO_DATABASE = "数据库文件不存在：{path}"

ALLOWED_TYPES = frozenset({"SELECT", "EXPLAIN"})
REFUSALS: dict[str, str] = {
    "COPY": MSG_EXPORT,
    "EXPORT": MSG_EXPORT,
    "ATTACH": MSG_ATTACH,
    "DETACH": MSG_ATTACH,
    "LOAD": MSG_EXTENSIONS,  # INSTALL and LOAD both parse as LOAD
    "SET": MSG_SETTINGS,  # SET, RESET, USE, SET VARIABLE
    "VARIABLE_SET": MSG_SETTINGS,
    "PRAGMA": MSG_SETTINGS,
}


class SqlError(Exception):
    """A query refused or failed; ``str(error)`` is a plain Chinese message for the user."""


def check(sql: str, max_chars: int = MAX_SQL_CHARS) -> str:
    """Refuse anything but one read statement; returns the text to run (stripped).

    Raises:
        SqlError: empty, too long, not parseable, several statements, or not a read.
    """
    text = (sql or "").strip()
    if not text:
        raise SqlError(MSG_EMPTY)
    if len(text) > max_chars:
        raise SqlError(MSG_TOO_LONG.format(limit=max_chars))
    parser = duckdb.connect(":memory:")
    try:
        statements = parser.extract_statements(text)
    except duckdb.Error as exc:
        raise SqlError(MSG_SYNTAX.format(detail=_first_line(exc))) from exc
    finally:
        parser.close()
    if not statements:
        raise SqlError(MSG_EMPTY)
    if len(statements) > 1:
        raise SqlError(MSG_MULTIPLE.format(count=len(statements)))
    kind = statements[0].type.name
    if kind not in ALLOWED_TYPES:
        raise SqlError(REFUSALS.get(kind, MSG_READ_ONLY))
    return text


def connect(path: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh locked-down connection with the warehouse attached read-only as the default database."""
    target = db.db_path(path)
    if not target.exists():
        raise SqlError(MSG_NO_DATABASE.format(path=target))
    config = {**CONNECT_CONFIG, **settings.query_config()}  # memory and threads, before the lock
    con = duckdb.connect(":memory:", config=config)
    try:
        # The path is ours (settings or command line), never user text; quote it as a SQL literal.
        literal = str(Path(target)).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS {CATALOG} (READ_ONLY)")
        con.execute(f"USE {CATALOG}")
        for statement in LOCKDOWN:
            con.execute(statement)
    except BaseException:
        con.close()
        raise
    return con


def settings_of(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The security-relevant settings as the connection reports them."""
    rows = con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE list_contains($names, name)",
        {"names": list(EXPECTED_SETTINGS)},
    ).fetchall()
    return {name: str(value).lower() for name, value in rows}


def run(
    sql: str,
    path: str | os.PathLike[str] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    row_limit: int = DEFAULT_ROW_LIMIT,
    max_chars: int = MAX_SQL_CHARS,
) -> pd.DataFrame:
    """Run one read query on the warehouse, in a child process, and return at most ``row_limit`` rows.

    ``frame.attrs["truncated"]`` is True when the result had more rows than the limit (they are
    cut), ``frame.attrs["row_limit"]`` holds the limit: ``row_limit``, or fewer rows for a wide result
    (``MAX_RESULT_CELLS``; ``frame.attrs["cells_limited"]`` is then True). List, struct, map and binary
    columns come as text; ``frame.attrs["cut_cells"]`` counts those cut to ``MAX_CELL_CHARS``.

    Raises:
        SqlError: refused by the statement check, timed out, out of memory, or failed (in Chinese).
    """
    from analytics.access import masked

    text = check(sql, max_chars)
    request = {
        "sql": text,
        "path": str(masked.readable_file(path)),  # chosen here: it depends on who asks
        "row_limit": row_limit,
        "address_space": settings.limit("sql_address_space_mb") * settings.MB,
    }
    if not _turns().acquire(timeout=timeout):  # the wait for a turn has the same limit as the run
        raise SqlError(MSG_BUSY.format(seconds=timeout))
    try:  # the answer becomes pandas within the turn: sql_concurrent bounds that memory too
        header, body = _run_child(request, timeout)
        if header.get("status") != "ok":
            raise SqlError(_message_of(header))
        frame = _frame_of(body)
    finally:
        _turns().release()
    limit = int(header.get("row_limit", row_limit))
    frame.attrs["truncated"] = bool(header["truncated"])
    frame.attrs["row_limit"] = limit
    frame.attrs["cells_limited"] = limit < row_limit
    frame.attrs["cut_cells"] = int(header.get("cut_cells", 0))
    return frame


_turns_lock = threading.Lock()
_semaphore: threading.BoundedSemaphore | None = None


def _turns() -> threading.BoundedSemaphore:
    """The turns SQL runs take in this process: ``[limits] sql_concurrent`` children at most, so two
    or twenty people at once can't take more than that many times a child's memory."""
    global _semaphore
    with _turns_lock:
        if _semaphore is None:
            _semaphore = threading.BoundedSemaphore(max(1, settings.limit("sql_concurrent")))
        return _semaphore


# The child's command: the project on sys.path and nothing else (-I: no PYTHON* variables, no user
# site-packages, no current directory), then ``analytics.adhoc.sandbox.main``.
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from analytics.adhoc.sandbox import main; sys.exit(main())"
_STDERR_KEPT = 4096
# How a child that died without a word most likely died: the kernel's OOM killer (SIGKILL), or
# an allocation failure under RLIMIT_AS that C++ turned into abort() or a crash.
_MEMORY_SIGNALS = frozenset({signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS})


def _run_child(request: dict[str, Any], timeout: float) -> tuple[dict[str, Any], bytes]:
    """Start the child, hand it the request, read its answer until ``timeout``; kill it past that.

    Returns the answer's JSON header and the Arrow bytes that follow it.
    """
    deadline = time.monotonic() + timeout
    try:
        child = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT, str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            close_fds=True,
        )
    except OSError as exc:  # no memory or processes left to start it
        raise SqlError(MSG_CRASHED.format(code=exc.errno)) from exc
    with child:  # closes the pipes and reaps the child, whatever happens
        try:
            assert child.stdin is not None
            try:
                child.stdin.write(json.dumps(request).encode("utf-8"))  # a few KB: fits the pipe's buffer
                child.stdin.close()
            except BrokenPipeError:
                pass  # the child died at once: its exit status says how, below
            answer = _read_until(child, deadline, timeout)
            child.wait(max(deadline - time.monotonic(), 1.0))
        except subprocess.TimeoutExpired as exc:
            raise SqlError(MSG_TIMEOUT.format(seconds=timeout)) from exc
        finally:
            if child.poll() is None:
                child.kill()  # SIGKILL: nothing the query does can delay it
                child.wait()
    head, _, body = answer.partition(b"\n")
    if head:
        try:
            return json.loads(head), body
        except ValueError:  # cut off mid-answer: the child was killed while writing it
            pass
    if child.returncode < 0 and -child.returncode in _MEMORY_SIGNALS:
        return {"status": "error", "kind": "memory"}, b""
    return {"status": "error", "kind": "crashed", "code": child.returncode}, b""


def _read_until(child: subprocess.Popen[bytes], deadline: float, timeout: float) -> bytes:
    """Everything the child writes to stdout (its stderr is drained and dropped), up to the deadline."""
    assert child.stdout is not None and child.stderr is not None
    received = bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        selector.register(child.stderr, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SqlError(MSG_TIMEOUT.format(seconds=timeout))
            for key, _ in selector.select(remaining):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    selector.unregister(key.fileobj)
                elif key.fileobj is child.stdout:
                    received += chunk
                    if len(received) > MAX_RESULT_BYTES:
                        raise SqlError(MSG_RESULT_TOO_LARGE.format(mb=MAX_RESULT_BYTES // settings.MB))
    return bytes(received)


def _message_of(header: dict[str, Any]) -> str:
    """The Chinese message for the child's account of a failure."""
    kind = header.get("kind")
    if kind == "memory":
        return MSG_MEMORY.format(limit=_memory_shown())
    if kind == "refused":
        return str(header["message"])
    if kind == "duckdb":
        # The same exception class the query raised in the child, so ``translate`` reads it as before.
        error_type = getattr(duckdb, str(header.get("type")), duckdb.Error)
        if not (isinstance(error_type, type) and issubclass(error_type, duckdb.Error)):
            error_type = duckdb.Error
        return translate(error_type(str(header.get("message", ""))))
    return MSG_CRASHED.format(code=header.get("code"))


def _memory_shown() -> str:
    mb = settings.limit("query_memory_mb")
    return f"{mb // 1024} GB" if mb % 1024 == 0 else f"{mb} MB"


def _frame_of(body: bytes) -> pd.DataFrame:
    """The child's Arrow stream as a DataFrame, converted by DuckDB as ``.df()`` always did.

    The child sent at most ``MAX_RESULT_CELLS`` cells, none of them a list or struct (``sandbox.as_text``):
    what this takes is bounded by that, whatever the query.
    """
    import pyarrow as pa

    try:
        table = pa.ipc.open_stream(body).read_all()
        converter = duckdb.connect(":memory:")
        try:
            return converter.from_arrow(table).df()
        finally:
            converter.close()
    except duckdb.Error as exc:  # a type the result can't be shown in (BIGNUM…): said like any failure
        raise SqlError(translate(exc)) from exc
    except Exception as exc:  # pyarrow's own errors: no traceback for the user either
        raise SqlError(MSG_FAILED.format(detail=_first_line(exc))) from exc


def translate(exc: duckdb.Error) -> str:
    """A DuckDB error as a plain Chinese message (the refusals by name, others with DuckDB's text)."""
    message = str(exc)
    if isinstance(exc, duckdb.PermissionException):
        if "extension" in message.lower():
            return MSG_EXTENSIONS
        return MSG_FILES
    if "configuration has been locked" in message:
        return MSG_SETTINGS
    if "read-only" in message or "read only" in message:
        return MSG_READ_ONLY
    if "extension" in message.lower() and ("autoload" in message.lower() or "install" in message.lower()):
        return MSG_EXTENSIONS
    if isinstance(exc, duckdb.ParserException):
        return MSG_SYNTAX.format(detail=_first_line(exc))
    return MSG_FAILED.format(detail=_first_line(exc))


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
