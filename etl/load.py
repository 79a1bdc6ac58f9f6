"""Loading parsed files into the warehouse: one file, one atomic load.

A file loads whole or not at all (the write happens on a copy that is swapped in only on success,
see ``analytics.db.writing``). The same content twice changes nothing. A file with the same name
for the same dataset and town is a new version of that source: the earlier load is marked
replaced, its rows kept as history, and undoing the new load brings it back (redoing it replaces
it again). A new version that would lose much of the old one needs a confirmation first
(``etl.replacing``).
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from etl.readers import gc_paused

# Importing numpy and duckdb leaves thousands of objects the collector tracks and no garbage; the
# collections their allocations trigger find nothing and cost CPU in a fresh process (the command
# line, the bench). Where they are imported already this does nothing. pandas is not imported on
# the load path (``etl.columns``); the functions that return DataFrames import it when called.
with gc_paused():
    import duckdb
    import numpy as np

    from analytics import db
    from analytics.semantic import aggregates
    from etl import columns as col
    from etl import replacing
    from etl.datasets import DATASETS
    from etl.parse import REJECT_COLUMNS, WARNING_COLUMNS, FileResult, SheetResult, parse_file


@dataclass
class SheetReport:
    sheet: str
    dataset: str
    town: str
    rows: int
    rejected: int
    warnings: int
    town_source: str = "标题"
    details: list[str] = field(default_factory=list)  # the first rejects and warnings, as shown to the user
    towns: tuple[tuple[str, int], ...] = ()  # every town with its rows, when the sheet holds several


@dataclass
class LoadReport:
    file: str
    status: str  # "loaded" | "unchanged" | "checked"
    load_id: int | None = None
    replaced: list[int] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.sheets)

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.sheets)

    @property
    def warnings(self) -> int:
        return sum(s.warnings for s in self.sheets)


SHOWN_DETAILS = 10  # per sheet, in a load report; `python -m etl rejects` lists them all


def where(excel_row: object) -> str:
    """第12行, or 整表 for a note about the whole sheet."""
    try:
        return f"第{int(excel_row)}行"  # type: ignore[call-overload]
    except (TypeError, ValueError):  # None, NaN or pandas' NA: a note about the whole sheet
        return "整表"


def _details(sheet: SheetResult) -> list[str]:
    # REJECT_COLUMNS and WARNING_COLUMNS: excel_row at 2, column_name at 3, reason or message at 5
    lines = [f"拒收 {where(r[2])} {r[3] or ''}：{r[5]}" for r in sheet.reject_rows]
    lines += [f"警告 {where(w[2])} {w[3] or ''}：{w[5]}" for w in sheet.warning_rows]
    if len(lines) > SHOWN_DETAILS:
        lines = [*lines[:SHOWN_DETAILS], f"……还有 {len(lines) - SHOWN_DETAILS} 条，见 python -m etl rejects"]
    return lines


def report_of(result: FileResult, status: str = "checked") -> LoadReport:
    sheets = [
        SheetReport(
            s.sheet,
            s.dataset,
            s.town,
            s.row_count,
            len(s.reject_rows),
            len(s.warning_rows),
            s.town_source,
            _details(s),
            s.towns,
        )
        for s in result.sheets
    ]
    return LoadReport(result.file_name, status, sheets=sheets, skipped=list(result.skipped))


def saved_mappings(path: str | os.PathLike[str] | None = None) -> dict[str, tuple[str, dict[str, str]]]:
    """Header mappings users saved for layouts the reader did not recognise on its own."""
    if not db.db_path(path).exists():
        return {}  # a first load: nothing saved, and no need to open an empty database
    cur = db.reader(path).cursor()
    try:
        rows = cur.execute("SELECT signature, dataset, mapping FROM header_mappings").fetchall()
    finally:
        cur.close()
    return {signature: (dataset, json.loads(mapping)) for signature, dataset, mapping in rows}


def load_file(
    source: str | os.PathLike[str],
    path: str | os.PathLike[str] | None = None,
    town: str | None = None,
    loaded_by: str | None = None,
    file_name: str | None = None,
    confirmed: bool | Collection[int] = False,
) -> LoadReport:
    """Parse and load one file; raises ``etl.errors.FileError`` when it can't be read at all.

    ``confirmed`` as in ``store``.
    """
    result = parse_file(Path(source), town=town, mappings=saved_mappings(path))
    if file_name:
        result.file_name = file_name
    return store(result, path, loaded_by, confirmed)


def store(
    result: FileResult,
    path: str | os.PathLike[str] | None = None,
    loaded_by: str | None = None,
    confirmed: bool | Collection[int] = False,
) -> LoadReport:
    """Write a parsed file as one load, unless identical content is already active.

    A replacement that would lose much (``etl.replacing``) raises ``ReplaceNotConfirmed`` and
    writes nothing, unless ``confirmed`` is True or holds the ids of the loads it replaces.
    """
    if _active_load_with(result.sha256, path) is not None:
        return report_of(result, "unchanged")
    if db.db_path(path).exists():  # checked before the warehouse is copied, so a refusal costs no copy
        cur = db.reader(path).cursor()
        try:
            _require_confirmation(cur, result, confirmed)
        finally:
            cur.close()
    with db.writing(path) as con:
        load_id = int(con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchone()[0])  # type: ignore[index]
        _require_confirmation(con, result, confirmed)  # again, on what this write really replaces
        replaced = _replace_earlier_versions(con, result, load_id)
        _insert_load(con, result, load_id, loaded_by)
        for sheet in result.sheets:
            _insert_sheet(con, result, sheet, load_id)
        aggregates.refresh_loads(con, [load_id, *replaced])
    report = report_of(result, "loaded")
    report.load_id, report.replaced = load_id, replaced
    return report


def _active_load_with(sha256: str, path: str | os.PathLike[str] | None) -> int | None:
    if not db.db_path(path).exists():
        return None
    cur = db.reader(path).cursor()
    try:
        found = cur.execute(
            "SELECT load_id FROM loads WHERE status = 'active' AND file_sha256 = ?", [sha256]
        ).fetchone()
    finally:
        cur.close()
    return None if found is None else int(found[0])


# The kinds of file a ledger is uploaded as (the data page offers these): a name ending in one of them
# is the same source whatever its format.
UPLOAD_TYPES = ("xlsx", "xlsm", "xls", "csv", "txt", "htm", "html", "xml", "ods", "et")


def source_key(file_name: str) -> str:
    """The source a file is a version of: its name as a person reads it. 台账.XLSX, 台账.xlsx, " 台账.xlsx",
    ＴＺ台账.xlsx and 台账.csv are one source (counting both would count each row twice); 台账（1）.xlsx
    is another name, whose rows the duplicate check compares instead."""
    name = unicodedata.normalize("NFKC", file_name).strip().casefold()
    stem, dot, suffix = name.rpartition(".")
    return stem.strip() if dot and stem.strip() and suffix in UPLOAD_TYPES else name


def result_keys(result: FileResult) -> list[tuple[str, str]]:
    """(dataset, town) of every town whose rows ``result`` holds: a county's sheet holds several, and
    ``SheetResult.town`` names one of them only."""
    return [(s.dataset, town) for s in result.sheets for town in dict.fromkeys([s.town, *(t for t, _ in s.towns)])]


def load_keys(con: duckdb.DuckDBPyConnection, load_ids: Collection[int]) -> dict[int, set[tuple[str, str]]]:
    """(dataset, town) of every town each load holds rows for: its sheets' towns, and the towns of its
    rows (``load_sheets`` names one town per sheet, and a county's sheet holds several)."""
    ids = sorted(set(load_ids))
    found: dict[int, set[tuple[str, str]]] = {i: set() for i in ids}
    if not ids:
        return found
    sheets = con.execute(
        "SELECT DISTINCT load_id, dataset, town FROM load_sheets WHERE load_id IN (SELECT unnest(?::INTEGER[]))", [ids]
    ).fetchall()
    for load_id, dataset, town in sheets:
        found[int(load_id)].add((str(dataset), str(town)))
    for dataset in sorted({str(d) for _, d, _ in sheets} & set(DATASETS)):  # a known name: a table of ours
        rows = con.execute(
            f"SELECT DISTINCT load_id, town FROM {dataset} WHERE load_id IN (SELECT unnest(?::INTEGER[])) "
            "AND town IS NOT NULL",
            [ids],
        ).fetchall()
        for load_id, town in rows:
            found[int(load_id)].add((dataset, str(town)))
    return found


def load_towns(con: duckdb.DuckDBPyConnection, load_ids: Collection[int]) -> set[str]:
    """Every town the loads hold rows for (``load_keys``)."""
    return {town for keys in load_keys(con, load_ids).values() for _, town in keys}


def earlier_versions(con: duckdb.DuckDBPyConnection, file_name: str, keys: list[tuple[str, str]]) -> list[int]:
    """Active loads a new load of ``file_name`` would replace: the same source (``source_key``) holding
    rows of a (dataset, town) in ``keys`` (``load_keys``: every town of its rows, not one per sheet).

    Used by ``store`` inside its write and by ``etl.preview`` on a read cursor, so the preview
    announces exactly what the load will do.
    """
    return list(_replaced_keys(con, file_name, keys))


def _replaced_keys(
    con: duckdb.DuckDBPyConnection, file_name: str, keys: list[tuple[str, str]]
) -> dict[int, set[tuple[str, str]]]:
    """``earlier_versions``'s loads, each with the (dataset, town) of its rows (``load_keys``)."""
    if not keys:
        return {}
    key = source_key(file_name)
    active = con.execute("SELECT load_id, file_name FROM loads WHERE status = 'active' ORDER BY load_id").fetchall()
    same = [int(load_id) for load_id, name in active if source_key(str(name)) == key]
    wanted = set(keys)
    return {load_id: held for load_id, held in load_keys(con, same).items() if held & wanted}


def duplicate_rows(load_id: int, path: str | os.PathLike[str] | None = None) -> dict[str, int]:
    """Per dataset, the rows of load ``load_id`` that another active load holds too (by the dataset's
    ``duplicate_keys``): the same record loaded from two files counts twice. The data page says so
    before a load (``etl.preview.count_duplicates``); the command line after it."""
    found: dict[str, int] = {}
    cur = db.reader(path).cursor(towns=None)
    try:
        datasets = [
            d
            for (d,) in cur.execute("SELECT DISTINCT dataset FROM load_sheets WHERE load_id = ?", [load_id]).fetchall()
        ]
        for dataset in datasets:
            keys = DATASETS[dataset].duplicate_keys if dataset in DATASETS else ()
            if not keys:
                continue
            same = " AND ".join(DATASETS[dataset].same(k, "o", "n") for k in keys)
            (count,) = cur.execute(
                f"SELECT count(*) FROM v_{dataset} n SEMI JOIN v_{dataset} o ON o.load_id <> n.load_id AND {same} "
                "WHERE n.load_id = ?",
                [load_id],
            ).fetchone()  # type: ignore[misc]
            if count:
                found[dataset] = int(count)
    finally:
        cur.close()
    return found


def towns_replaced(result: FileResult, path: str | os.PathLike[str] | None = None) -> set[str]:
    """The towns of every active load that loading ``result`` would replace, read on every town's rows.

    A load is replaced whole, and one load may hold several towns (a county's workbook): a person who
    may load only some towns must not replace one holding a town they can't see, which would take that
    town's rows away with it (``pages/data.py`` refuses).
    """
    if not db.db_path(path).exists():
        return set()
    cur = db.reader(path).cursor(towns=None)
    try:
        replaced = _replaced_keys(cur, result.file_name, result_keys(result))
        return {town for held in replaced.values() for _, town in held}
    finally:
        cur.close()


def _require_confirmation(
    con: duckdb.DuckDBPyConnection, result: FileResult, confirmed: bool | Collection[int]
) -> None:
    found = replacing.unconfirmed(
        replacing.losses(con, result, earlier_versions(con, result.file_name, result_keys(result))), confirmed
    )
    if found:
        raise replacing.ReplaceNotConfirmed(found)


def _replace_earlier_versions(con: duckdb.DuckDBPyConnection, result: FileResult, load_id: int) -> list[int]:
    replaced = earlier_versions(con, result.file_name, result_keys(result))
    if replaced:
        con.execute(
            "UPDATE loads SET status = 'replaced', replaced_by = ? WHERE load_id IN (SELECT unnest(?::INTEGER[]))",
            [load_id, replaced],
        )
    return replaced


def _insert_load(con: duckdb.DuckDBPyConnection, result: FileResult, load_id: int, loaded_by: str | None) -> None:
    report = report_of(result)
    con.execute(
        "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, 'active', NULL, ?, ?, ?)",
        [
            load_id,
            result.file_name,
            result.sha256,
            result.size,
            datetime.now().replace(microsecond=0),
            loaded_by or os.environ.get("USER"),
            report.rows,
            report.rejected,
            report.warnings,
        ],
    )


def date_range(sheet: SheetResult) -> tuple[Any, Any]:
    """First and last date of a sheet's rows (the column its dataset dates rows by), else None."""
    column = DATASETS[sheet.dataset].dated_by
    if column is None or column not in sheet.table or not sheet.row_count:
        return None, None
    dates = np.asarray(sheet.table[column], dtype="datetime64[D]")
    dates = dates[~np.isnat(dates)]
    if not len(dates):
        return None, None
    return dates.min().astype(object), dates.max().astype(object)


def _insert_sheet(con: duckdb.DuckDBPyConnection, result: FileResult, sheet: SheetResult, load_id: int) -> None:
    first, last = date_range(sheet)
    con.execute(
        "INSERT INTO load_sheets (load_id, sheet, dataset, town, header_map, rows_loaded, rows_rejected, warnings, "
        "first_date, last_date, other_towns, title_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            sheet.sheet,
            sheet.dataset,
            sheet.town,
            json.dumps(sheet.header_map, ensure_ascii=False),
            sheet.row_count,
            len(sheet.reject_rows),
            len(sheet.warning_rows),
            first,
            last,
            json.dumps([t for t, _ in sheet.towns if t != sheet.town], ensure_ascii=False) if sheet.towns else None,
            sheet.title_year,
        ],
    )
    _insert_rows(con, sheet.dataset, sheet.table, load_id)
    _insert_rows(con, "rejects", _columns_of(REJECT_COLUMNS, sheet.reject_rows), load_id)
    _insert_rows(con, "warnings", _columns_of(WARNING_COLUMNS, sheet.warning_rows), load_id)


def _columns_of(names: list[str], rows: list[tuple[Any, ...]]) -> col.Columns:
    """Rows of tuples as object columns (rejects and warnings: few rows, so no types to keep)."""
    return {name: np.array([r[i] for r in rows], dtype=object) for i, name in enumerate(names)} if rows else {}


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: col.Columns, load_id: int) -> None:
    """Insert numpy columns, scanned by DuckDB as a table (``etl.columns.for_duckdb``), no pandas."""
    if not columns or not len(next(iter(columns.values()))):
        return
    incoming = {name: col.for_duckdb(array) for name, array in columns.items()}
    # DuckDB reads object (text) columns holding the GIL, so a second thread only waits for the
    # first: one thread does the same insert for less CPU.
    threads = int(con.execute("SELECT current_setting('threads')").fetchone()[0])  # type: ignore[index]
    con.execute("SET threads = 1")
    con.register("incoming", incoming)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT {load_id}::INTEGER AS load_id, * FROM incoming")
    finally:
        con.unregister("incoming")
        con.execute(f"SET threads = {threads}")


STATUS_NAMES = {"active": "生效", "replaced": "已被替换", "undone": "已撤销"}


def undo(load_id: int, path: str | os.PathLike[str] | None = None, actor: str | None = None) -> list[int]:
    """Undo an active load and bring back the versions it replaced; returns their ids.

    ``actor`` is who asked (for the caller's audit record); the history keeps every load either way.
    """
    with db.writing(path) as con:
        _require_status(con, load_id, "active", "只能撤销生效中的导入")
        restored = _replaced_by(con, load_id)
        con.execute("UPDATE loads SET status = 'undone' WHERE load_id = ?", [load_id])
        con.execute("UPDATE loads SET status = 'active', replaced_by = NULL WHERE replaced_by = ?", [load_id])
        aggregates.refresh_loads(con, [load_id, *restored])
    return restored


def redo(load_id: int, path: str | os.PathLike[str] | None = None, actor: str | None = None) -> list[int]:
    """Make an undone load active again and replace, again, the active versions of its source; returns their ids.

    Those are the loads it replaced before it was undone, or whatever version of the same file,
    dataset and town is active now (the rule ``store`` applies). ``actor`` as in ``undo``.
    """
    with db.writing(path) as con:
        _require_status(con, load_id, "undone", "只有已撤销的导入可以重做")
        same = _active_with_content_of(con, load_id)
        if same is not None:
            raise ValueError(f"与导入 #{load_id} 内容相同的导入 #{same} 已生效，无需重做")
        replaced = _versions_redo_replaces(con, load_id)
        con.execute(
            "UPDATE loads SET status = 'replaced', replaced_by = ? WHERE load_id IN (SELECT unnest(?::INTEGER[]))",
            [load_id, replaced],
        )
        con.execute("UPDATE loads SET status = 'active', replaced_by = NULL WHERE load_id = ?", [load_id])
        aggregates.refresh_loads(con, [load_id, *replaced])
    return replaced


def _require_status(con: duckdb.DuckDBPyConnection, load_id: int, status: str, rule: str) -> None:
    found = con.execute("SELECT status FROM loads WHERE load_id = ?", [load_id]).fetchone()
    if found is None:
        raise ValueError(f"没有编号为 {load_id} 的导入记录")
    if found[0] != status:
        raise ValueError(f"导入 #{load_id} 当前状态为「{STATUS_NAMES.get(found[0], found[0])}」，{rule}")


def _replaced_by(con: duckdb.DuckDBPyConnection, load_id: int) -> list[int]:
    rows = con.execute("SELECT load_id FROM loads WHERE replaced_by = ? ORDER BY load_id", [load_id]).fetchall()
    return [int(r[0]) for r in rows]


def _active_with_content_of(con: duckdb.DuckDBPyConnection, load_id: int) -> int | None:
    found = con.execute(
        """SELECT min(a.load_id) FROM loads a JOIN loads l ON a.file_sha256 = l.file_sha256
           WHERE l.load_id = ? AND a.status = 'active'""",
        [load_id],
    ).fetchone()
    return None if found is None or found[0] is None else int(found[0])


def _versions_redo_replaces(con: duckdb.DuckDBPyConnection, load_id: int) -> list[int]:
    file_name = con.execute("SELECT file_name FROM loads WHERE load_id = ?", [load_id]).fetchone()[0]  # type: ignore[index]
    keys = sorted(load_keys(con, [load_id])[load_id])
    return [i for i in earlier_versions(con, file_name, keys) if i != load_id]


@dataclass(frozen=True)
class LoadSummary:
    """A load as a confirmation names it: id, file, rows and the years its rows span."""

    load_id: int
    file_name: str
    rows: int
    first_year: int | None
    last_year: int | None
    status: str


@dataclass(frozen=True)
class Change:
    """What undoing or redoing ``load`` does: ``load`` stops or starts counting, ``others`` the reverse."""

    load: LoadSummary
    others: list[LoadSummary]
    towns: frozenset[str] = frozenset()  # every town of the load and the others: whose rows come and go


def undo_plan(load_id: int, path: str | os.PathLike[str] | None = None) -> Change:
    """What ``undo(load_id)`` would do: the load stops counting, the versions it replaced come back."""
    cur = db.reader(path).cursor(towns=None)  # every town: the page refuses a change reaching one not theirs
    try:
        _require_status(cur, load_id, "active", "只能撤销生效中的导入")
        others = _replaced_by(cur, load_id)
        return Change(
            _summary(cur, load_id), [_summary(cur, i) for i in others], frozenset(load_towns(cur, [load_id, *others]))
        )
    finally:
        cur.close()


def redo_plan(load_id: int, path: str | os.PathLike[str] | None = None) -> Change:
    """What ``redo(load_id)`` would do: the load counts again, the active versions it replaces stop."""
    cur = db.reader(path).cursor(towns=None)  # every town: the page refuses a change reaching one not theirs
    try:
        _require_status(cur, load_id, "undone", "只有已撤销的导入可以重做")
        others = _versions_redo_replaces(cur, load_id)
        return Change(
            _summary(cur, load_id), [_summary(cur, i) for i in others], frozenset(load_towns(cur, [load_id, *others]))
        )
    finally:
        cur.close()


def _summary(con: duckdb.DuckDBPyConnection, load_id: int) -> LoadSummary:
    row = con.execute(
        """SELECT l.file_name, l.rows_loaded, year(min(s.first_date)), year(max(s.last_date)), l.status
           FROM loads l LEFT JOIN load_sheets s USING (load_id) WHERE l.load_id = ? GROUP BY ALL""",
        [load_id],
    ).fetchone()
    assert row is not None
    return LoadSummary(load_id, row[0], int(row[1]), row[2], row[3], row[4])


def history(path: str | os.PathLike[str] | None = None) -> Any:
    return db.query(
        """SELECT l.load_id, l.loaded_at, l.file_name, l.status, l.replaced_by, l.loaded_by,
                  string_agg(DISTINCT s.dataset, ',') AS datasets, string_agg(DISTINCT s.town, ',') AS towns,
                  l.rows_loaded, l.rows_rejected, l.warnings
           FROM loads l LEFT JOIN load_sheets s USING (load_id)
           GROUP BY ALL ORDER BY l.load_id""",
        path=path,
    )


def warnings(load_id: int | None = None, path: str | os.PathLike[str] | None = None) -> Any:
    return db.query(
        """SELECT load_id, source_file, sheet, excel_row, column_name, value, message FROM warnings
           WHERE ($id IS NULL AND load_id IN (SELECT load_id FROM active_loads)) OR load_id = $id
           ORDER BY load_id, source_file, sheet, excel_row NULLS FIRST""",
        {"id": load_id},
        path,
    )


def rejects(load_id: int | None = None, path: str | os.PathLike[str] | None = None) -> Any:
    return db.query(
        """SELECT load_id, source_file, sheet, excel_row, column_name, value, reason FROM rejects
           WHERE ($id IS NULL AND load_id IN (SELECT load_id FROM active_loads)) OR load_id = $id
           ORDER BY load_id, source_file, sheet, excel_row""",
        {"id": load_id},
        path,
    )
