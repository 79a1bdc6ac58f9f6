"""The child-process half of ``analytics.adhoc.sqlguard.run``: one user query, under hard limits.

``sqlguard.run`` checks the statement, then starts ``python -I -c`` with this module's ``main``,
writes the request (JSON) to its stdin and reads the answer from its stdout: one JSON line, then
for a result the rows as an Arrow IPC stream. The parent kills the child when the time limit
passes, so nothing here watches the clock.

Here the address space is capped first (``RLIMIT_AS``), then the locked-down connection is opened
by ``sqlguard.connect`` (with DuckDB's ``memory_limit`` and ``threads``), and only then does user
text run. Only duckdb and pyarrow are imported (pandas would double the start-up time).
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import Any, BinaryIO

import duckdb

from analytics.adhoc import sqlguard

# DuckDB reports memory exhaustion as OutOfMemoryException, or, when the OS refuses an allocation
# (RLIMIT_AS), as another error type whose text says so.
_MEMORY_TEXTS = ("Out of Memory", "bad allocation", "std::bad_alloc")


def main(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
    """Read a request, run it, write the answer; the exit status is 0 whenever an answer was written."""
    request = json.loads((stdin or sys.stdin.buffer).read())
    out = stdout or _answer_channel()
    cap_address_space(int(request["address_space"]))
    try:
        header, body = answer(request)
    except MemoryError:
        header, body = {"status": "error", "kind": "memory"}, b""
    out.write(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n")
    out.write(body)
    out.flush()
    return 0


def _answer_channel() -> BinaryIO:
    """The process's stdout, kept for the answer alone: file descriptor 1 then points to stderr, so
    nothing a library prints (DuckDB, pyarrow, an allocator short of memory) can come before the
    answer's JSON line and make it unreadable."""
    sys.stdout.flush()
    channel = os.dup(1)
    os.dup2(2, 1)
    return os.fdopen(channel, "wb")


def cap_address_space(limit: int) -> None:
    """Lower this process's address-space limit (never raise it above what it inherited)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def answer(request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """(header, Arrow bytes): the first ``row_limit`` rows, or what went wrong."""
    row_limit = int(request["row_limit"])
    try:
        con = sqlguard.connect(request["path"])
    except sqlguard.SqlError as exc:
        return {"status": "error", "kind": "refused", "message": str(exc)}, b""
    try:
        relation = con.sql(request["sql"])
        columns = len(relation.columns)
        if columns > sqlguard.MAX_RESULT_COLUMNS:
            message = sqlguard.MSG_TOO_MANY_COLUMNS.format(count=columns, limit=sqlguard.MAX_RESULT_COLUMNS)
            return {"status": "error", "kind": "refused", "message": message}, b""
        # What the server makes of the answer is a Python object per cell: the rows are cut to a number of cells.
        limit = min(row_limit, sqlguard.MAX_RESULT_CELLS // max(columns, 1))
        # A relation with a LIMIT on top lets DuckDB stop early instead of materialising everything.
        table = relation.limit(limit + 1).to_arrow_table()
        truncated = table.num_rows > limit
        table, cut = as_text(con, table.slice(0, limit))
    except duckdb.Error as exc:
        if isinstance(exc, duckdb.OutOfMemoryException) or any(t in str(exc) for t in _MEMORY_TEXTS):
            return {"status": "error", "kind": "memory"}, b""
        return {"status": "error", "kind": "duckdb", "type": type(exc).__name__, "message": str(exc)}, b""
    finally:
        con.close()
    header = {"status": "ok", "truncated": truncated, "row_limit": limit, "columns": columns, "cut_cells": cut}
    return header, _ipc(table)


def as_text(con: duckdb.DuckDBPyConnection, table: Any) -> tuple[Any, int]:
    """``table`` with every list, struct, map, array, union and binary column as text of at most
    ``sqlguard.MAX_CELL_CHARS`` characters (a cut one ends in …), and how many cells were cut.

    In the server such a cell became a numpy array of Python objects per row: 10,000 rows of 650
    one-element lists (60 MB of Arrow) took the server 1 GB. As text each cell is one string, read
    the way DuckDB writes the value (``[[a], [a]]``, ``{'x': 1}``), made here within the child's limits.
    """
    import pyarrow as pa

    wanted = [i for i, field in enumerate(table.schema) if _not_flat(field.type)]
    if not wanted:
        return table, 0
    import pyarrow.compute as pc

    cut = 0
    for i in wanted:
        alone = pa.table({"v": table.column(i)})
        text = con.from_arrow(alone).project("CAST(v AS VARCHAR) AS v").to_arrow_table().column(0).cast(pa.string())
        over = pc.greater(pc.utf8_length(text), sqlguard.MAX_CELL_CHARS)
        cut += int(pc.sum(over).as_py() or 0)
        short = pc.binary_join_element_wise(pc.utf8_slice_codeunits(text, 0, sqlguard.MAX_CELL_CHARS - 1), "…", "")
        table = table.set_column(i, table.schema.field(i).name, pc.if_else(over, short, text))
    return table, cut


def _not_flat(kind: Any) -> bool:
    import pyarrow as pa

    return bool(
        pa.types.is_nested(kind)
        or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind)
        or pa.types.is_fixed_size_binary(kind)
        or pa.types.is_binary_view(kind)
        or isinstance(kind, pa.ExtensionType)
    )


def _ipc(table: Any) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())
