"""What 自助分析 (explore and SQL) reads: a copy of the ``v_*`` views holding only the person's towns,
with personal fields already masked.

Masking by column name after a query runs can be talked around (``SELECT name AS n``,
``upper(name)``, ``string_agg``, ``to_json``…). Here the unmasked values are not in the file at all:
for each person's scope (towns, personal data visible or not) and data version, one DuckDB file
is written beside the warehouse (``.warehouse.duckdb.views/``) whose ``v_*`` views read tables of
masked, town-filtered rows, with each coded column also spelt out in the words the pages show
(a 调解结果 column of 调解成功… beside the outcome codes; ``dictionary.word_columns``). Whatever SQL runs on it can only return what it holds. Names are
masked and free text hidden by the same function the pages use (``dictionary.mask_value``).

A copy is built once per data version and scope (a few hundred ms on a town's data) and
replaced when a load changes the version; older copies are removed then.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import duckdb

from analytics import db, private, settings
from analytics.access import Principal, current, lineage
from analytics.adhoc import dictionary

_build_lock = threading.Lock()
_connections: dict[Path, duckdb.DuckDBPyConnection] = {}
MAX_OPEN = 32


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# Relations of no town, the same for everyone: the aggregates' bookkeeping, header layouts (no data),
# saved queries (``analytics.adhoc.saved_queries`` shows each person the ones they may see).
SHARED = frozenset({"aggregates_state", "agg_officers_span", "header_mappings", "saved_queries"})


def has_sheet_towns(con: duckdb.DuckDBPyConnection, catalog: str) -> bool:
    """Whether the attached warehouse records the towns of a sheet of several (``load_sheets.other_towns``;
    a warehouse written before has none, and is read as one town per sheet)."""
    return bool(
        con.execute(
            "SELECT 1 FROM duckdb_columns() WHERE database_name = ? AND table_name = 'load_sheets' "
            "AND column_name = 'other_towns'",
            [catalog],
        ).fetchone()
    )


def town_filter(
    columns: set[str], towns: tuple[str, ...], catalog: str, relation: str = "", sheet_towns: bool = True
) -> str:
    """The WHERE clause that keeps a relation's rows of ``towns``: by its town, or its load's (and sheet's)
    town, a sheet of several towns (its rejects and warnings) only when they are all in ``towns``; nothing
    for a ``SHARED`` one; and no row at all for any other (a table added later without a
    town is hidden, not shown whole)."""
    listed = ", ".join(quote(t) for t in towns) or "NULL"
    if "town" in columns:
        return f" WHERE town IN ({listed})"
    if "load_id" in columns and "sheet" in columns:  # a sheet of several towns: only to who may read them all
        several = f" AND (other_towns IS NULL OR list_has_all([{listed}], from_json(other_towns, '[\"VARCHAR\"]')))"
        return (
            f" WHERE (load_id, sheet) IN (SELECT load_id, sheet FROM {catalog}.main.load_sheets WHERE town IN ({listed})"
            f"{several if sheet_towns else ''})"
        )
    if "load_id" in columns:
        return f" WHERE load_id IN (SELECT load_id FROM {catalog}.main.load_sheets WHERE town IN ({listed}))"
    return "" if relation in SHARED else " WHERE false"


# What is masked or hidden, in the copy's name: a copy made under older rules (before 备注 was hidden) is
# never read by a version with new ones.
_RULES = [sorted(dictionary.PERSONAL_NAMES), sorted(dictionary.PERSONAL_TEXT), dictionary.HIDDEN]


def readable_file(warehouse: db.PathLike = None, who: Principal | None = None) -> Path:
    """The file the person's ad hoc queries read: the warehouse itself for an admin of every town who
    chose to see personal data, else their masked, town-scoped copy."""
    towns, visible = (who or current()).scope
    target = db.db_path(warehouse)
    if (towns is None and visible) or not target.exists():
        return target
    version = db.data_version(target)
    scope = hashlib.sha256(json.dumps([towns, visible, _RULES], ensure_ascii=False).encode()).hexdigest()[:16]
    prefix = f"{version[0]}-{version[1]}-{version[2]}-"
    folder = target.with_name(f".{target.name}.views")
    final = folder / f"{prefix}{scope}.duckdb"
    if final.exists():
        return final
    with _build_lock:
        if not final.exists():
            private.folder(folder)
            with private.umask():  # the copy and its WAL hold the person's rows: the owner's only
                _build(target, final, towns, visible)
            for old in folder.iterdir():
                if not old.name.startswith(prefix) and not old.name.endswith(".tmp"):
                    old.unlink(missing_ok=True)
    return final


def _build(target: Path, final: Path, towns: tuple[str, ...] | None, visible: bool) -> None:
    scratch = final.with_name(f"{final.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    scratch.unlink(missing_ok=True)
    con = duckdb.connect(str(scratch))
    try:
        # null_handling as text: the enum's module moved between DuckDB versions
        con.create_function(  # type: ignore[call-overload]
            "mask_value", _mask, ["varchar", "varchar"], "varchar", null_handling="special", side_effects=False,
        )  # fmt: skip
        for name, function, arguments in (("mask_kind", lineage.mask, 2), ("mask_quoted", lineage.quoted, 3)):
            con.create_function(  # type: ignore[call-overload]
                name, function, ["varchar"] * arguments, "varchar", null_handling="special", side_effects=False,
            )  # fmt: skip
        con.execute(f"ATTACH {quote(str(target))} AS wh (READ_ONLY)")
        con.execute("CREATE SCHEMA data")
        _personal_headers(con)
        views = [
            name
            for (name,) in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE database_name = 'wh' AND NOT internal "
                "AND view_name LIKE 'v\\_%' ESCAPE '\\' ORDER BY 1"
            ).fetchall()
        ]
        sheet_towns = has_sheet_towns(con, "wh")
        for view in views:
            columns = con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'wh' AND table_name = ? "
                "ORDER BY column_index",
                [view],
            ).fetchall()
            words = dictionary.word_columns(view, [(str(n), str(k)) for n, k in columns])
            names = {str(c) for c, _ in columns}
            cells = not visible and names >= CELL_COLUMNS  # rejects and warnings: a cell's value, by its column
            select = ", ".join(
                [
                    _cell(name) if cells and name in CELL_MASKED else _column(name, kind, visible)
                    for name, kind in columns
                ]
                + [f"{sql} AS {dictionary_quote(name)}" for name, sql in words]
            )
            where = "" if towns is None else town_filter(names, towns, "wh", view, sheet_towns)
            source = f'wh.main."{view}"'
            if cells:
                source += " LEFT JOIN personal_headers p USING (load_id, sheet, column_name)"
            con.execute(f'CREATE TABLE data."{view}" AS SELECT {select} FROM {source}{where}')
            con.execute(f'CREATE VIEW main."{view}" AS SELECT * FROM data."{view}"')
        con.execute("DETACH wh")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        scratch.unlink(missing_ok=True)
        raise
    con.close()
    os.chmod(scratch, private.FILE)
    os.replace(scratch, final)


CELL_COLUMNS = frozenset({"load_id", "sheet", "column_name", "value"})
CELL_MASKED = frozenset({"value", "reason", "message"})


def _cell(name: str) -> str:
    """A reject's or warning's value masked by the header it was read from (``personal_headers p``), and a
    reason or message where it quotes that value."""
    if name == "value":
        return 'mask_kind(p.kind, "value") AS "value"'
    return f'mask_quoted(p.kind, "value", "{name}") AS "{name}"'


def _personal_headers(con: duckdb.DuckDBPyConnection) -> None:
    """``personal_headers``: each loaded sheet's headers read as personal fields (``analytics.access.lineage``)."""
    con.execute(
        "CREATE TEMP TABLE personal_headers (load_id INTEGER, sheet VARCHAR, column_name VARCHAR, kind VARCHAR)"
    )
    rows = [
        (load_id, sheet, header, kind)
        for load_id, sheet, header_map in con.execute(
            "SELECT load_id, sheet, header_map FROM wh.main.load_sheets"
        ).fetchall()
        for header, kind in lineage.personal_headers(header_map).items()
    ]
    if rows:
        con.executemany("INSERT INTO personal_headers VALUES (?, ?, ?, ?)", rows)


def dictionary_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _mask(column: str, value: str | None) -> str | None:
    masked = dictionary.mask_value(column, value)
    return None if masked is None else str(masked)


def _column(name: str, kind: str, visible: bool) -> str:
    quoted = f'"{name}"'
    if visible or not dictionary.is_personal(name):
        return quoted
    if kind != "VARCHAR":
        return f"CAST(NULL AS {kind}) AS {quoted}"
    return f"mask_value({quote(name)}, {quoted}) AS {quoted}"


def cursor(warehouse: db.PathLike = None, who: Principal | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the person's readable file, with the reads' time limit."""
    path = readable_file(warehouse, who)
    if path == db.db_path(warehouse):
        return db.reader(path).cursor(towns=None)
    with _build_lock:
        con = _connections.get(path)
        if con is None:
            if len(_connections) >= MAX_OPEN:
                _connections.clear()  # dropped connections close when their last cursor goes
            con = _connections[path] = duckdb.connect(str(path), read_only=True, config=settings.query_config())
        raw = con.cursor()
    return db.timed(raw)
