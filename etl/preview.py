"""What an uploaded file would load, before it is loaded: the Data page's core, free of any UI.

``preview_upload`` takes the uploaded bytes and file name, enforces the size cap, parses the
file exactly as the command line would (with the header mappings users saved) and describes
each sheet: dataset, town, date range, raw header -> field, rows OK / rejected / with warnings,
the loads it would replace (``etl.load.earlier_versions``, the rule ``store`` applies), what
replacing them would lose when that needs a confirmation (``etl.replacing``) and the rows it
would duplicate (the same record already loaded from another file). Sheets the parser
could not recognise come back with their header row so a person can map the columns by hand;
``save_mapping`` stores that mapping where ``parse_file`` finds it for every later file of the
same layout. ``rejects_workbook`` hands rejected rows back as an .xlsx to fix and re-upload.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from analytics import db, settings
from etl import examples
from etl.datasets import DATASETS
from etl.errors import FileError
from etl.headers import HeaderInfo, candidates, find_header
from etl.load import date_range, earlier_versions, result_keys, saved_mappings, towns_replaced
from etl.names import shown_file_name
from etl.parse import HEADER_MIN_SCORE, FileResult, SheetResult, layout_signature, parse_sheets
from etl.readers import Sheet, read_sheets
from etl.replacing import Loss, losses
from etl.specs import SPECS, header_map, header_score

DbPath = str | os.PathLike[str] | None
MB = 1024 * 1024

# Columns that identify the same record in two different source files (each dataset declares its own).
DUPLICATE_KEYS: dict[str, tuple[str, ...]] = {name: d.duplicate_keys for name, d in DATASETS.items()}
DATE_KEYS = frozenset({"received_date", "issued_date", "session_date", "matter_date", "event_date"})


@dataclass
class Replaced:
    """An active load the new one would replace (same file name, dataset and town)."""

    load_id: int
    file_name: str
    loaded_at: datetime | None
    rows: int


@dataclass
class SheetPreview:
    sheet: str
    dataset: str
    town: str
    first_date: date | None
    last_date: date | None
    columns: list[tuple[str, str | None]]  # every raw header and the field it maps to (None: kept as extra)
    rows_ok: int
    rows_rejected: int
    rows_warned: int  # distinct rows with at least one warning
    duplicates: int  # rows already loaded from another file
    rejects: pd.DataFrame
    warnings: pd.DataFrame
    town_source: str = "标题"  # where the town came from (see etl.parse.town_shown)
    towns: tuple[tuple[str, int], ...] = ()  # every town with its rows, when the sheet holds several


@dataclass
class UnrecognisedSheet:
    """A sheet the parser skipped, with the header row a person can map by hand (if it has one)."""

    sheet: str
    reason: str
    header_row: int | None = None  # 1-based Excel row of the header
    headers: list[str] = field(default_factory=list)  # cleaned header labels ('' for blank cells)
    signature: str | None = None  # ``layout_signature(headers)``: the key a saved mapping uses
    guess: dict[str, str] = field(default_factory=dict)  # header -> field, from the aliases we know
    sample: list[list[str]] = field(default_factory=list)  # the first data rows, as text

    @property
    def mappable(self) -> bool:
        return self.signature is not None


@dataclass
class FilePreview:
    file_name: str
    size: int
    sha256: str
    result: FileResult  # hand this to ``etl.load.store`` to load exactly what was previewed
    sheets: list[SheetPreview]
    unrecognised: list[UnrecognisedSheet]
    already_loaded: int | None  # load id of an active load with identical content
    replaces: list[Replaced]
    error: str | None = None  # set when no sheet is recognised: the FileError text
    losses: list[Loss] = field(default_factory=list)  # what replacing would lose: confirm before loading
    # every town of the loads it would replace, read on all towns' rows (``etl.load.towns_replaced``)
    replaced_towns: frozenset[str] = frozenset()

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.losses)

    @property
    def loadable(self) -> bool:
        return bool(self.sheets) and self.already_loaded is None

    @property
    def rows_ok(self) -> int:
        return sum(s.rows_ok for s in self.sheets)

    @property
    def rows_rejected(self) -> int:
        return sum(s.rows_rejected for s in self.sheets)


def check_size(size: int, file_name: str) -> None:
    """Raise ``FileError`` when an upload exceeds ``analytics.settings.upload_max_bytes()``."""
    limit = settings.upload_max_bytes()
    if size > limit:
        raise FileError(
            file_name, f"大小为 {size / MB:.1f} MB，超过了 {limit // MB} MB 的上传上限，请拆分成几个文件后再导入"
        )


def preview_upload(data: bytes, file_name: str, path: DbPath = None, town: str | None = None) -> FilePreview:
    """Parse uploaded bytes as the command line would and describe what loading them would do.

    Raises ``FileError`` (a Chinese message) for files that can't be read at all: over the size
    cap, empty, corrupt, encrypted, WPS .et, zip bombs. A readable file with no recognised sheet
    returns a preview whose ``error`` says so and whose ``unrecognised`` sheets can be mapped.
    """
    name = shown_file_name(file_name)  # the client's name is theirs: never a path as it came
    check_size(len(data), name)
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        source = Path(tmp) / name  # a fresh private folder; the name can't leave it or be too long
        source.write_bytes(data)
        sheets = read_sheets(source)
    result = FileResult(source, name, hashlib.sha256(data).hexdigest(), len(data), [])
    mappings = saved_mappings(path)
    unrecognised: list[UnrecognisedSheet] = []
    for sheet, outcome in zip(sheets, parse_sheets(sheets, name, town, settings.default_town(), mappings), strict=True):
        if isinstance(outcome, SheetResult):
            result.sheets.append(outcome)
        else:
            result.skipped.append((sheet.name, outcome))
            unrecognised.append(describe_unrecognised(sheet, outcome))
    if not result.sheets and not any(u.mappable for u in unrecognised):
        raise FileError.no_sheet(name)
    cur = db.reader(path).cursor()
    try:
        already = _active_load_with(cur, result.sha256)
        # Identical content loads nothing (``store`` answers "unchanged"), so it replaces nothing either.
        keys = [] if already is not None else result_keys(result)
        replaced_ids = earlier_versions(cur, name, keys)
        replaces = _describe_loads(cur, replaced_ids)
        found = losses(cur, result, replaced_ids)
        previews = [_sheet_preview(cur, s, name) for s in result.sheets]
    finally:
        cur.close()
    error = None if result.sheets else str(FileError.no_sheet(name))
    towns = frozenset(towns_replaced(result, path)) if replaced_ids else frozenset()
    return FilePreview(
        name, len(data), result.sha256, result, previews, unrecognised, already, replaces, error, found, towns
    )


def _active_load_with(cur: object, sha256: str) -> int | None:
    found = cur.execute(  # type: ignore[attr-defined]
        "SELECT min(load_id) FROM loads WHERE status = 'active' AND file_sha256 = ?", [sha256]
    ).fetchall()
    return None if not found or found[0][0] is None else int(found[0][0])


def _describe_loads(cur: object, load_ids: list[int]) -> list[Replaced]:
    if not load_ids:
        return []
    rows = cur.execute(  # type: ignore[attr-defined]
        "SELECT load_id, file_name, loaded_at, rows_loaded FROM loads WHERE load_id IN (SELECT unnest(?::INTEGER[])) ORDER BY load_id",
        [load_ids],
    ).fetchall()
    return [Replaced(int(r[0]), r[1], r[2], int(r[3])) for r in rows]


def _sheet_preview(cur: object, sheet: SheetResult, file_name: str) -> SheetPreview:
    first, last = date_range(sheet) if len(sheet.rows) else (None, None)
    mapped = dict(sheet.header_map)
    columns: list[tuple[str, str | None]] = list(mapped.items())
    rows = sheet.warnings["excel_row"]
    warned = int(rows.dropna().nunique() + rows.isna().sum()) if len(sheet.warnings) else 0  # rows, and sheet notes
    return SheetPreview(
        sheet.sheet, sheet.dataset, sheet.town, first, last, columns, len(sheet.rows), len(sheet.rejects),
        warned, count_duplicates(cur, sheet, file_name), sheet.rejects, sheet.warnings, sheet.town_source,
        sheet.towns,
    )  # fmt: skip


def count_duplicates(cur: object, sheet: SheetResult, file_name: str) -> int:
    """Rows of ``sheet`` already loaded (active) from a *different* file: one semi-join in DuckDB."""
    keys = DUPLICATE_KEYS.get(sheet.dataset)
    if not keys or sheet.rows.empty:
        return 0
    incoming = sheet.rows[list(keys)].copy()
    dataset = DATASETS[sheet.dataset]
    conditions = " AND ".join(
        f"t.{k} = CAST(i.{k} AS DATE)" if k in DATE_KEYS else dataset.same(k, "t", "i") for k in keys
    )
    view = f"incoming_{sheet.dataset}"
    cur.register(view, incoming)  # type: ignore[attr-defined]
    try:
        found = cur.execute(  # type: ignore[attr-defined]
            f"SELECT count(*) FROM {view} i SEMI JOIN v_{sheet.dataset} t ON t.source_file <> ? AND {conditions}",
            [file_name],
        ).fetchall()  # fetchall, not fetchone: DuckDB 2 won't unregister under an unfinished result
    finally:
        cur.unregister(view)  # type: ignore[attr-defined]
    return int(found[0][0]) if found else 0


# --- sheets to map by hand ---------------------------------------------------------------------


def _guess_header(sheet: Sheet) -> HeaderInfo | None:
    """The parser's own header if it found one, else the first wide row near the top."""
    found = find_header(sheet.rows, sheet.merged, header_score, HEADER_MIN_SCORE)
    if found is not None:
        return found
    one_row = [c for c in candidates(sheet.rows, sheet.merged) if c.depth == 1]
    if not one_row:
        return None
    widest = max(sum(1 for x in c.labels if x) for c in one_row)
    for candidate in one_row:
        if sum(1 for x in candidate.labels if x) >= max(2, widest * 0.6):
            return candidate
    return None


def describe_unrecognised(sheet: Sheet, reason: str) -> UnrecognisedSheet:
    """A skipped sheet with its likely header row, ready for a person to map column by column."""
    info = UnrecognisedSheet(sheet.name, reason)
    if examples.is_instructions(reason):  # a 填表说明 sheet: nothing to map by hand
        return info
    header = _guess_header(sheet)
    if header is None or header.first_data_row >= len(sheet.rows):
        return info
    info.header_row = header.row + 1
    info.headers = list(header.labels)
    info.signature = layout_signature(header.labels)
    info.guess = guess_mapping(header.labels)[1]
    body = sheet.rows[header.first_data_row : header.first_data_row + 5]
    info.sample = [["" if v is None else str(v) for v in row] for row in body]
    return info


def guess_mapping(labels: list[str], dataset: str | None = None) -> tuple[str | None, dict[str, str]]:
    """The dataset whose aliases name most of ``labels`` (or ``dataset``) and header -> field for those."""
    best: tuple[int, str | None, dict[str, str]] = (0, dataset, {})
    for spec in SPECS.values():
        if dataset and spec.dataset != dataset:
            continue
        found = {labels[c]: f for c, f in header_map(spec, labels).items() if labels[c]}
        if len(found) > best[0] or (dataset and not best[2]):
            best = (len(found), spec.dataset, found)
    return best[1], best[2]


def field_choices(dataset: str) -> list[tuple[str, str]]:
    """(field, Chinese label) pairs a column of ``dataset`` can be mapped to, in spec order."""
    return [(f.name, f.label) for f in SPECS[dataset].fields]


def missing_required(dataset: str, mapping: dict[str, str]) -> list[str]:
    """Chinese labels of the required field groups ``mapping`` leaves unmapped."""
    spec = SPECS[dataset]
    chosen = set(mapping.values())
    return [
        "或".join(spec.field(name).label for name in group)
        for group in spec.required
        if not any(name in chosen for name in group)
    ]


def save_mapping(signature: str, dataset: str, mapping: dict[str, str], path: DbPath = None) -> None:
    """Save (or replace) the header mapping of a layout; ``parse_file`` uses it for later files."""
    if dataset not in SPECS:
        raise ValueError(f"未知的台账类型：{dataset}")
    fields = set(SPECS[dataset].field_names)
    unknown = sorted(set(mapping.values()) - fields)
    if unknown:
        raise ValueError(f"台账类型 {dataset} 没有这些字段：{'、'.join(unknown)}")
    clean = {header: f for header, f in mapping.items() if header and f}
    with db.writing(path) as con:
        con.execute("DELETE FROM header_mappings WHERE signature = ?", [signature])
        con.execute(
            "INSERT INTO header_mappings VALUES (?, ?, ?, ?)",
            [signature, dataset, json.dumps(clean, ensure_ascii=False), datetime.now().replace(microsecond=0)],
        )


# --- rejected rows, handed back ----------------------------------------------------------------

REASON_COLUMN = "错误原因"
ROW_COLUMN = "原行号"


def stored_rejects(load_id: int, path: DbPath = None) -> pd.DataFrame:
    """A past load's rejects with their original cells (``raw_row``), for ``rejects_workbook``."""
    return db.query(
        """SELECT r.source_file, r.sheet, r.excel_row, r.column_name, r.value, r.reason, r.raw_row,
                  s.town, s.dataset, s.header_map
           FROM rejects r LEFT JOIN load_sheets s ON s.load_id = r.load_id AND s.sheet = r.sheet
           WHERE r.load_id = ? ORDER BY r.sheet, r.excel_row""",
        [load_id],
        path,
    )


def _rejects_of(source: FileResult | pd.DataFrame) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source
    parts = [
        s.rejects.assign(town=s.town, dataset=s.dataset, header_map=json.dumps(s.header_map, ensure_ascii=False))
        for s in source.sheets
        if len(s.rejects)
    ]
    if not parts:
        return pd.DataFrame(columns=["sheet", "excel_row", "reason", "raw_row", "town", "dataset", "header_map"])
    return pd.concat(parts, ignore_index=True)


def rejects_workbook(source: FileResult | pd.DataFrame) -> bytes:
    """An .xlsx of the original rejected rows plus a 错误原因 column, one sheet per source sheet.

    Each sheet has a title naming the town and ledger (so the fixed file loads to the same town)
    and the original headers, so staff can correct the cells and upload the file again. Every
    cell is written through ``analytics.present.safe``: a rejected "=HYPERLINK(…)" comes back as
    inert text, never a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from analytics.present import safe
    from etl.templates import TEMPLATES

    frame = _rejects_of(source)
    wb = Workbook()
    default = wb.active
    assert default is not None
    if frame.empty:
        default.title = "无拒收行"
        default.append(safe.row(["没有被拒收的行"]))
    else:
        wb.remove(default)
    for sheet_name, rows in frame.groupby("sheet", sort=False):
        ws = wb.create_sheet(safe.sheet_title(str(sheet_name), wb.sheetnames))
        cells = [json.loads(raw) if isinstance(raw, str) and raw else {} for raw in rows["raw_row"]]
        # The sheet's recognised headers first (a blank required cell must still get its column),
        # then any other column a rejected row had a value in.
        known = rows["header_map"].iloc[0] if "header_map" in rows else None
        headers: list[str] = list(json.loads(known)) if isinstance(known, str) and known else []
        for row in cells:
            headers.extend(h for h in row if h not in headers)
        town = str(rows["town"].iloc[0]) if "town" in rows and pd.notna(rows["town"].iloc[0]) else ""
        dataset = str(rows["dataset"].iloc[0]) if "dataset" in rows and pd.notna(rows["dataset"].iloc[0]) else ""
        ledger = (
            TEMPLATES[dataset].title if dataset in TEMPLATES else (SPECS[dataset].label if dataset in SPECS else "台账")
        )
        ws.append(safe.row([f"{town}{ledger}（被拒收的行，请按「{REASON_COLUMN}」修改后重新导入）"]))
        ws["A1"].font = Font(bold=True, color="C00000")
        ws.append(safe.row([*headers, ROW_COLUMN, REASON_COLUMN]))
        for cell in ws[2]:
            cell.font = Font(bold=True)
        ws.cell(row=2, column=len(headers) + 2).fill = PatternFill("solid", fgColor="FCE4D6")
        for row, excel_row, reason in zip(cells, rows["excel_row"], rows["reason"], strict=True):
            ws.append(
                safe.row([*(row.get(h) for h in headers), None if pd.isna(excel_row) else int(excel_row), reason])
            )
        ws.freeze_panes = "A3"
        ws.column_dimensions["A"].width = 14
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
