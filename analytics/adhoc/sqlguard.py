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
3. **Limits** – query text length, a wall-clock time limit (a ``threading.Timer`` calls
   ``con.interrupt()``), and a row limit (``limit + 1`` rows are fetched to tell that it was cut).

Every refusal raises :class:`SqlError` whose message is fit to show to the user as it is.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pandas as pd

from analytics import db

DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_ROW_LIMIT = 10_000
MAX_SQL_CHARS = 5_000

# Options applied when the in-memory instance is created (verified by experiment with duckdb 2.0.1
# against ``duckdb_settings()``; names as in DuckDB's configuration reference).
CONNECT_CONFIG: dict[str, str | bool | int | float] = {
    "allow_community_extensions": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_unsigned_extensions": False,
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
    con = duckdb.connect(":memory:", config=CONNECT_CONFIG)  # type: ignore[arg-type]
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
    """Run one read query on the warehouse and return at most ``row_limit`` rows.

    ``frame.attrs["truncated"]`` is True when the result had more rows than the limit (they are
    cut), ``frame.attrs["row_limit"]`` holds the limit.

    Raises:
        SqlError: refused by the statement check, timed out, or failed (message in Chinese).
    """
    from analytics.access import masked

    text = check(sql, max_chars)
    con = connect(masked.readable_file(path))
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    timer.start()
    try:
        # A relation with a LIMIT on top lets DuckDB stop early instead of materialising everything.
        frame = con.sql(text).limit(row_limit + 1).df()
    except duckdb.Error as exc:
        if timed_out.is_set() or isinstance(exc, duckdb.InterruptException):
            raise SqlError(MSG_TIMEOUT.format(seconds=timeout)) from exc
        raise SqlError(translate(exc)) from exc
    finally:
        timer.cancel()
        con.close()
    truncated = len(frame) > row_limit
    if truncated:
        frame = frame.iloc[:row_limit].copy()
    frame.attrs["truncated"] = truncated
    frame.attrs["row_limit"] = row_limit
    return frame


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
