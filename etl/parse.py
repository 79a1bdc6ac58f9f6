"""Parse a spreadsheet file into table-shaped columns, rejects and warnings.

``parse_file`` reads every sheet, finds its header, recognises the dataset by that header
(or by a saved manual mapping), skips blank, total (合计), footer and sample (示例) rows and
instruction sheets (填表说明, ``etl.examples``), normalises each
column once per distinct value, and hands back one ``SheetResult`` per recognised sheet.
No Excel row is dropped silently: a row that can't be used becomes a reject with its row
number and a Chinese reason. The engine names no dataset: specs, cell parsers of their own and
row builders come from ``etl.datasets``. Columns are numpy arrays (``etl.columns``): loading
a file never imports pandas; ``SheetResult.rows``, ``rejects`` and ``warnings`` are DataFrames
made on first use, for the preview, the pages and tests.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from analytics import settings
from etl import across_sheets, examples, later_states, merged_records, side_by_side, totals
from etl import columns as col
from etl import normalise as n
from etl.datasets import DATASETS
from etl.errors import FileError
from etl.fields import Spec
from etl.frame import Frame
from etl.headers import (
    HeaderInfo,
    candidates,
    clean_header,
    find_header,
    the_one_year,
    town_from_titles,
    year_from_titles,
)
from etl.kinds import KINDS as ENGINE_KINDS
from etl.kinds import UNGROUPED_KINDS, Kind
from etl.names import town_problem, town_reading
from etl.readers import MergedRange, Sheet, gc_paused, read_sheets
from etl.specs import SPECS, header_score, match, unit_refused

REJECT_COLUMNS = ["source_file", "sheet", "excel_row", "column_name", "value", "reason", "raw_row"]
WARNING_COLUMNS = ["source_file", "sheet", "excel_row", "column_name", "value", "message"]
HEADER_MIN_SCORE = 4  # two aliases (header_score counts each matched field twice)
KINDS: dict[str, Kind] = ENGINE_KINDS | {name: kind for d in DATASETS.values() for name, kind in d.kinds.items()}

_FOOTER_TEXT = re.compile(
    r"^(填表人|填报人|制表人|审核人|审批人|负责人|单位负责人|分管领导|统计人|经办人|"
    r"填表日期|填报日期|制表日期|报送日期|联系电话|填报单位|填表单位|注|说明)[:：]"
)


Note = tuple[Any, str | None, str | None, str]  # (excel_row or None for the sheet, column name, value, message)


@dataclass
class SheetResult:
    sheet: str
    dataset: str  # table name in analytics/schema.sql
    town: str
    header_map: dict[str, str]  # raw header -> field ("调解方式/书面" style for two-row)
    table: col.Columns  # exactly the table's columns except load_id, as numpy arrays (``etl.columns``)
    reject_rows: list[tuple[Any, ...]]  # REJECT_COLUMNS
    warning_rows: list[tuple[Any, ...]]  # WARNING_COLUMNS
    town_source: str = "标题"  # where ``town`` came from: 乡镇列, 标题, 文件名, 默认乡镇, …
    # the one year the sheet's title (or name) names, 2024 for 珠龙镇2024年…台账: the register covers
    # that year, rows or not (``load_sheets.title_year``; analytics.semantic.registers)
    title_year: int | None = None

    @property
    def row_count(self) -> int:
        return len(next(iter(self.table.values()))) if self.table else 0

    @cached_property
    def towns(self) -> tuple[tuple[str, int], ...]:
        """Each town of the sheet's rows with its number of rows, the most first, when there are several
        (a county's sheet with a 乡镇 column or section rows): ``town`` alone names only the first."""
        found = Counter(self.table["town"].tolist()) if "town" in self.table else Counter()
        return tuple(sorted(found.items(), key=lambda item: (-item[1], str(item[0])))) if len(found) > 1 else ()

    @cached_property
    def rows(self) -> Any:
        """The rows as a pandas DataFrame (imports pandas; the load itself reads ``table``)."""
        return col.as_frame(self.table)

    @cached_property
    def rejects(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.reject_rows, columns=REJECT_COLUMNS)

    @cached_property
    def warnings(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.warning_rows, columns=WARNING_COLUMNS, dtype=object)  # excel_row: int or None


@dataclass
class FileResult:
    path: Path
    file_name: str
    sha256: str
    size: int
    sheets: list[SheetResult]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (sheet, Chinese reason)


Mappings = dict[str, tuple[str, dict[str, str]]]


def layout_signature(headers: list[str]) -> str:
    """The key a manual header mapping is saved under: the layout's non-empty headers, joined."""
    return "|".join(h for h in (str(x).strip() for x in headers) if h)


def parse_file(
    path: str | Path,
    town: str | None = None,
    default_town: str = "珠龙镇",
    mappings: Mappings | None = None,
) -> FileResult:
    """Parse every sheet of a file; raises FileError when nothing in it can be read."""
    path = Path(path)
    with gc_paused():  # the sheets' row lists live until the parse is done
        sheets = read_sheets(path)
        data = path.read_bytes()
        result = FileResult(path, path.name, hashlib.sha256(data).hexdigest(), len(data), [])
        outcomes = parse_sheets(sheets, path.name, town, default_town, mappings or {})
        for sheet, outcome in zip(sheets, outcomes, strict=True):
            if isinstance(outcome, SheetResult):
                result.sheets.append(outcome)
            else:
                result.skipped.append((sheet.name, outcome))
        del sheets
    if not result.sheets:
        raise FileError.no_sheet(path.name)
    return result


def parse_sheets(
    sheets: list[Sheet], file_name: str, town: str | None, default_town: str, mappings: Mappings
) -> list[SheetResult | str]:
    """Each sheet's result, or a Chinese reason it was skipped, with the town settled per workbook.

    A row's town is, in order: its sheet's 乡镇 column; ``town`` given by the user; the sheet's title; the
    file's name (郑集镇2021年学法培训台账.xlsx); the one town the workbook's other titles name;
    and only then ``default_town``, which is always a warning.
    """
    recognised = [recognise(sheet, mappings) for sheet in sheets]
    titled = {
        sheet.name: found
        for sheet, r in zip(sheets, recognised, strict=True)
        if not isinstance(r, str) and (found := town_from_titles(r[0].titles))
    }
    fallback = workbook_town(file_name, titled, default_town)
    carried: totals.Carried = {}  # figures of earlier sheets, for a 累计 row
    counted = across_sheets.Counted()  # records of earlier sheets, for the same record on two sheets
    outcomes: list[SheetResult | str] = []
    rejected, limit = 0, settings.limit("file_max_rejects")
    for sheet, r in zip(sheets, recognised, strict=True):
        outcome = r if isinstance(r, str) else parse_blocks(sheet, file_name, town, fallback, r, carried, counted)
        if isinstance(outcome, SheetResult):
            # A file this broken is the wrong file or a broken export: its rejects would flood the
            # rejects table and the preview, and help nobody fix it row by row.
            rejected += len(outcome.reject_rows)
            if rejected > limit:
                raise FileError.too_many_rejects(file_name, rejected, limit)
        outcomes.append(outcome)
    later_states.count_later_states([o for o in outcomes if isinstance(o, SheetResult)], file_name)
    return outcomes


@dataclass(frozen=True)
class TownHint:
    """The town for a sheet that names none itself, where it came from, and a warning if guessed."""

    town: str
    source: str  # shown beside the town in reports: 文件名, 其他工作表标题, 默认乡镇
    warning: str | None = None


def town_shown(town: str, source: str, towns: tuple[tuple[str, int], ...] = ()) -> str:
    """The town as reports show it: with where it came from when not from the sheet itself, and every
    town with its rows when the sheet holds several (珠龙镇 12 行、东坪乡 5 行)."""
    named = "、".join(f"{name} {rows} 行" for name, rows in towns) if towns else town
    return named if source in ("乡镇列", "标题", "导入时指定", SECTION) else f"{named}（取自{source}）"


def workbook_town(file_name: str, titled: dict[str, str], default_town: str) -> TownHint:
    """The town a sheet without a 乡镇 column or a titled town belongs to, from its workbook."""
    from_name = town_from_titles([Path(file_name).stem])
    if from_name:
        return TownHint(from_name, "文件名")
    named = sorted(set(titled.values()))
    if len(named) == 1:
        sheet = next(name for name, found in titled.items() if found == named[0])
        return TownHint(named[0], f"工作表「{sheet}」的标题")
    why = f"其他工作表的标题写了多个乡镇（{'、'.join(named)}），无法确定" if named else "标题和文件名都没有写乡镇"
    return TownHint(
        default_town, "默认乡镇", f"没有乡镇列，{why}，已按默认乡镇「{default_town}」计入，请核对或在导入时指定乡镇"
    )


# --- recognising a sheet -----------------------------------------------------------------------


def _manual(sheet: Sheet, mappings: Mappings) -> tuple[HeaderInfo, Spec, dict[int, str]] | None:
    if not mappings:
        return None
    for candidate in candidates(sheet.rows, sheet.merged):
        saved = mappings.get(layout_signature(candidate.labels))
        if saved is None or saved[0] not in SPECS:
            continue
        dataset, by_header = saved
        columns = {c: by_header[label] for c, label in enumerate(candidate.labels) if by_header.get(label)}
        candidate.titles = [str(v).strip() for r in sheet.rows[: candidate.row] for v in r if str(v or "").strip()]
        return candidate, SPECS[dataset], columns
    return None


def recognise(sheet: Sheet, mappings: Mappings) -> tuple[HeaderInfo, Spec, dict[int, str]] | str:
    """The sheet's header, dataset and column map, or a Chinese reason why there is none."""
    if not any(str(v).strip() for row in sheet.rows for v in row if v is not None):
        return "空工作表"
    named = examples.sheet_reason(sheet.name, [])  # 填表说明: its sample table has the ledger's headers
    if named is not None:
        return named
    manual = _manual(sheet, mappings)
    if manual is not None:
        return examples.sheet_reason(sheet.name, manual[0].titles) or manual
    header = find_header(sheet.rows, sheet.merged, header_score, HEADER_MIN_SCORE)
    if header is None:
        names = "、".join(d.name for d in DATASETS.values() if "汇总" not in d.name)
        return f"未找到可识别的表头（需要{names}的列名）"
    matched = match(header.labels)
    if matched is None:
        shown = "、".join(x for x in header.labels if x)[:80]
        return f"表头缺少必需的列，无法确定台账类型（第{header.row + 1}行：{shown}）"
    titled = examples.sheet_reason(sheet.name, header.titles)
    if titled is not None:
        return titled
    spec, columns = matched
    return header, spec, columns


# --- parsing one sheet -------------------------------------------------------------------------


def _raw_columns(rows: list[list[object]], width: int) -> np.ndarray:
    """The body as a 2-D object array, row ``i`` is ``rows[i]`` (columns are views).

    Rows of the same length (every workbook sheet) are chained into ``np.fromiter``, which copies
    the cells without the shape discovery ``np.array`` does on nested lists (60 ms against 160
    ms for 100,000 rows of 16 cells); rows of other lengths (CSV) are padded or cut first.
    """
    if not rows:
        return np.empty((0, width), dtype=object)
    if set(map(len, rows)) != {width}:
        rows = [list(r[:width]) + [""] * (width - len(r)) for r in rows]
    cells = np.fromiter(itertools.chain.from_iterable(rows), dtype=object, count=len(rows) * width)
    return cells.reshape(len(rows), width)


SECTION = "分段标题行"  # a town's rows under a row naming it, in a sheet without a 乡镇 column
SECTION_MAX = 20  # characters: a longer lone cell is a note, not a section's name
# A section's name: the town alone, maybe numbered (一、珠龙镇) or with a note in brackets (东坪乡（3件）).
_SECTION = re.compile(
    r"(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]?)?([^\s\d、.．:：()（）]{1,4}?(?:街道|镇|乡))(?:[(（][^()（）]*[)）])?[:：]?"
)


def _section_towns(grid: np.ndarray, total: np.ndarray, dated: list[int]) -> np.ndarray:
    """Per row, the town a section row names (珠龙镇 alone on its row, above that town's rows in a
    county's sheet), else None. Such a row is no data: it leaves the sheet's date column empty, so
    only those rows are looked at; a total row (珠龙镇合计) is none."""
    towns = np.full(len(grid), None, dtype=object)
    if not dated or not len(grid):
        return towns
    dates = grid[:, dated[0]]
    undated = np.flatnonzero(((dates == "") | (dates == None)) & ~total)  # noqa: E711  (elementwise)
    for i in undated.tolist():
        filled = [v for v in grid[i].tolist() if v is not None and v != ""]
        if len(filled) == 1 and isinstance(filled[0], str) and len(filled[0].strip()) <= SECTION_MAX:
            named = _SECTION.fullmatch(n.compact(filled[0]))
            name = named.group(1) if named else ""
            if (
                name
                and not name.endswith(("乡镇", "城镇", "村镇"))
                and not town_problem(name)
                and town_reading(name)[0] == "town"
            ):
                towns[i] = name  # not 全镇 or 本乡: no town's name
    return towns


def _section_notes(sections: np.ndarray, excel_row: np.ndarray, applied: bool) -> list[Note]:
    """A note on each row read as a section's name: it is no data, and (without a 乡镇 column) it
    gives the rows below it their town, which is a reading the person should see."""
    after = "以下各行计入这个乡镇，直到下一个分段标题行" if applied else "本表有乡镇列，各行仍按乡镇列计入"
    return [
        (int(excel_row[i]), "", town, f"此行只写着乡镇名「{town}」，读作分段标题行，不算一条数据；{after}")
        for i, town in enumerate(sections.tolist())
        if town is not None
    ]


def _filled_down(towns: np.ndarray) -> np.ndarray:
    """Each row's section: the town of the nearest section row above it (None above the first)."""
    filled = towns.copy()
    current = None
    for i, value in enumerate(towns.tolist()):
        current = value if value is not None else current
        filled[i] = current
    return filled


def _blank_rows(grid: np.ndarray) -> np.ndarray:
    """Rows whose every cell is the empty string, narrowing the candidates column by column."""
    candidates = np.arange(len(grid))
    for c in range(grid.shape[1]):
        if not len(candidates):
            break
        candidates = candidates[grid[candidates, c] == ""]
    blank = np.zeros(len(grid), dtype=bool)
    blank[candidates] = True
    return blank


def _header_repeats(grid: np.ndarray, header_cells: list[object], distinct: dict[int, n.Distinct]) -> np.ndarray:
    """Per row, how many cells equal the (non-empty) header cell above their column."""
    count = np.zeros(len(grid), dtype="int64")
    for c, cell in enumerate(header_cells):
        if cell == "":
            continue
        if c in distinct and isinstance(cell, str):
            count += distinct[c].equal_to(cell)
        else:
            count += np.asarray(grid[:, c] == cell, dtype=bool)
    return count


def _is_blank_cell(values: np.ndarray) -> np.ndarray:
    return np.asarray((values == "") | (values == None) | (values != values), dtype=bool)  # noqa: E711


def _row_json(labels: list[str], row: list[object]) -> str:
    cells = {}
    for c, value in enumerate(row):
        text = n.as_text(value)
        if text is not None:
            cells[labels[c] if c < len(labels) and labels[c] else f"第{c + 1}列"] = text
    return json.dumps(cells, ensure_ascii=False)


def _extra_json(labels: list[str], raw: dict[int, np.ndarray], columns: dict[int, str], count: int) -> np.ndarray:
    """JSON of the unrecognised columns, one object per row (null where a cell is blank)."""
    extra = {}
    for c, cells in raw.items():
        if c in columns or (not labels[c] and _is_blank_cell(cells).all()):
            continue
        extra[labels[c] or f"第{c + 1}列"] = n.text_column(cells).array
    if not extra or not count:
        return col.blank(count)
    lines = _json_lines(extra)
    if lines is None:  # text that JSON must escape: escaped one row at a time
        lines = np.array([_escaped_line(extra, i) for i in range(count)], dtype=object)
    return lines


_JSON_ESCAPED = re.compile(r'[\x00-\x1f"/\\]')  # what pandas' encoder escapes with force_ascii=False


def _escaped_line(extra: dict[str, np.ndarray], i: int) -> str | None:
    """Row ``i`` as the JSON pandas' ``to_json(orient="records", force_ascii=False)`` wrote, which
    escapes "/" as well; None when every cell is blank."""
    cells = {key: values[i] for key, values in extra.items()}
    if all(n.is_missing(v) for v in cells.values()):
        return None
    cells = {key: None if n.is_missing(v) else v for key, v in cells.items()}
    return json.dumps(cells, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/")


def _json_lines(extra: dict[str, np.ndarray]) -> np.ndarray | None:
    """Rows as ``{"label":"text",...}`` (None where all blank), one f-string per cell.

    Byte for byte what ``DataFrame.to_json(orient="records", force_ascii=False)`` writes, or None
    when some label or text holds a character the encoder would escape.
    """
    fragments: list[list[str]] = []
    empty: np.ndarray | None = None
    last = len(extra) - 1
    for i, (key, texts) in enumerate(extra.items()):
        missing = col.isna(texts)
        try:
            joined = "".join(texts[~missing])
        except TypeError:
            return None
        if _JSON_ESCAPED.search(key) or _JSON_ESCAPED.search(joined):
            return None
        opening = ("{" if i == 0 else ",") + f'"{key}":'
        closing = "}" if i == last else ""
        null = f"{opening}null{closing}"
        fragments.append(
            [null if m else f'{opening}"{t}"{closing}' for t, m in zip(texts.tolist(), missing.tolist(), strict=True)]
        )
        empty = missing if empty is None else empty & missing
    assert empty is not None
    line = np.empty(len(empty), dtype=object)
    line[:] = fragments[0] if len(fragments) == 1 else list(map("".join, zip(*fragments, strict=True)))
    line[empty] = None
    return line


def _skip_kind(row: list[object], free: frozenset[int], key: tuple[int, ...]) -> str | None:
    """'total', 'footer' or 'blank' for a row that is not data, else None (``free`` and ``key``: see
    ``totals.total_rows``)."""
    texts = [n.compact(v) for v in row]
    if not any(texts):
        return "blank"
    if totals.is_total_row(row, free, key):
        return "total"
    if any(_FOOTER_TEXT.match(t) for t in texts if t):
        return "footer"
    return None


def _free_and_key(spec: Spec, columns: dict[int, str], record_id: str | None) -> tuple[frozenset[int], tuple[int, ...]]:
    """The free-text columns (纠纷简要情况, 备注: text that is no key) and the key columns (those of the
    first required field, 受理日期 or 期间) of a sheet, for telling a total row by its shape."""
    first = spec.required[0]
    free = frozenset(
        c for c, name in columns.items() if spec.field(name).kind == "text" and name not in first and name != record_id
    )
    return free, tuple(c for c, name in columns.items() if name in first)


def fill_merged_down(body: list[list[object]], merged: list[MergedRange], first_row: int) -> None:
    """Give every row of a cell merged down a block (乡镇, 村 over a town's rows) the block's value.

    Excel keeps a merged area's value in its top-left cell only; a person reads it on every row it
    spans. Only the area's first column is filled: its other columns have headers of their own.
    An area below the last row read (formatting left under the table) has nothing to fill. Each
    row of a column is visited once, however many areas name it (a file may list one area a
    million times, or one reaching row 4 billion): areas are taken top to bottom, and an area that
    overlaps one above it (Excel refuses to open such a file) fills only the rows below it.
    """
    last_row = first_row + len(body) - 1
    filled_to: dict[int, int] = {}  # per column, the last row an area has filled
    for (r1, c1), (r2, _c2) in sorted(merged):
        if r2 <= r1 or r2 < first_row or r1 > last_row:
            continue
        top = body[r1 - first_row] if r1 >= first_row else None
        value = top[c1] if top is not None and c1 < len(top) else None
        if value is None or value == "":
            continue
        end = min(r2, last_row)
        for r in range(max(r1, first_row, filled_to.get(c1, -1)) + 1, end + 1):
            row = body[r - first_row]
            if c1 < len(row) and row[c1] == "":
                row[c1] = value
        filled_to[c1] = max(filled_to.get(c1, -1), end)


def _town_notes(fr: Frame, hint: TownHint, title_town: str | None, fallback: TownHint) -> list[Note]:
    """Warnings about the sheet's town: guessed from the default, or named two ways.

    Rows of a 乡镇 column left blank get a warning each (through ``fr``); the sheet's own notes
    come back as rows without an Excel row.
    """
    notes: list[Note] = []
    column = fr.label("town") if fr.has("town") else "乡镇"
    if hint.warning and fr.has("town"):
        blank = col.isna(fr.get("town"))
        fr.warn(column, fr.raw_of("town"), col.where(blank, f"乡镇为空，已按默认乡镇「{hint.town}」计入"))
    elif hint.warning:
        notes.append((None, column, None, hint.warning))
    if title_town and fallback.source == "文件名" and fallback.town != title_town and hint.source == "标题":
        notes.append(
            (None, column, title_town, f"标题写的是「{title_town}」，文件名写的是「{fallback.town}」，已按标题计入")
        )
    return notes


_TOWN_ENDS = ("镇", "乡", "街道", "街道办事处", "苏木", "民族乡")


def _stem(town: str) -> str:
    """A town's name without its 镇/乡/街道 (东坪乡 → 东坪); the name itself if it has none."""
    for end in sorted(_TOWN_ENDS, key=len, reverse=True):
        if town.endswith(end) and len(town) > len(end):
            return town[: -len(end)]
    return town


def _same_stem(name: str, town: str | None) -> bool:
    """Whether two town names differ only in their 镇/乡/街道 (东坪镇, 东坪乡), both having one."""
    if not town or not name.endswith(_TOWN_ENDS) or not town.endswith(_TOWN_ENDS):
        return False
    return _stem(name) == _stem(town) and len(_stem(name)) >= 2


def _town_words(fr: Frame, hint: TownHint) -> None:
    """Read the 乡镇 cells that name no town (``names.town_reading``): a town's body (珠龙镇人民政府)
    is that town, said by nothing; the town itself (全镇, 镇本级) is the sheet's town (``hint``), with
    a warning on each row, since that is a reading; a level above the town (县直, 市本级) rejects its
    row, since no town's figure counts it. Taken as written, each was a "town" of its own."""
    where = {"导入时指定": "导入时指定的乡镇", "默认乡镇": "默认乡镇"}.get(hint.source, f"{hint.source}中的乡镇")
    for c in fr.cols("town"):
        parsed = fr.parsed[c]
        values = parsed.array.tolist()
        readings = {u: town_reading(u) for u in dict.fromkeys(values) if isinstance(u, str) and not town_problem(u)}
        # a town written without its 镇/乡 (珠龙 for 珠龙镇, the sheet's or the column's): that town, said
        known = {name for kind, name in readings.values() if kind == "town" and name and name.endswith(_TOWN_ENDS)}
        for u, (kind, name) in readings.items():
            if kind == "town" and name and not name.endswith(_TOWN_ENDS):
                whole = [t for t in sorted(known | {hint.town}) if t[len(name) :] in _TOWN_ENDS and t.startswith(name)]
                if len(whole) == 1:
                    readings[u] = ("short", whole[0])
            elif kind == "town" and name and name != hint.town and _same_stem(name, hint.town):
                readings[u] = ("suffix", hint.town)  # 东坪镇 in 东坪乡's sheet: 乡 and 镇 get mixed up
        changed = {u: reading for u, reading in readings.items() if reading != ("town", u)}
        if not changed:
            continue
        array, said, refused = parsed.array.copy(), fr.empty(), fr.empty()
        for i, value in enumerate(values):
            kind, name = changed.get(value, ("", None)) if isinstance(value, str) else ("", None)
            if kind == "town":
                array[i] = name
            elif kind == "short":
                array[i] = name
                said[i] = f"乡镇写的是「{value}」，按「{name}」计入，请核对"
            elif kind == "suffix":
                array[i] = name
                said[i] = (
                    f"乡镇写的是「{value}」，与{where}「{name}」只差「乡」「镇」「街道」的写法，"
                    f"已按「{name}」计入，请核对；如确是另一个乡镇，请单独导入"
                )
            elif kind == "this":
                array[i] = hint.town
                said[i] = f"乡镇写的是「{value}」，指本乡镇自身，已按{where}「{hint.town}」计入，请核对"
            elif kind == "above":
                refused[i] = (
                    f"乡镇写的是「{value}」，是县（市、区）一级，不是乡镇，不计入任何乡镇；"
                    "如是本乡镇的事项，请把乡镇改为乡镇名称后重新导入"
                )
        parsed.array = array
        label = fr.labels[c] or "乡镇"
        fr.warn(label, fr.raw[c], said)
        fr.error(label, fr.raw[c], refused)


def _yielding_last(spec: Spec, labels: list[str], columns: dict[int, str]) -> dict[int, str]:
    """``columns`` with each column a field's ``yields`` names after that field's other columns, so
    the field reads them only where the others are blank (``Frame.get`` reads columns in order)."""

    def gives_way(c: int) -> bool:
        yields = spec.field(columns[c]).yields
        return bool(yields) and clean_header(labels[c] or "") in yields

    return {c: columns[c] for c in sorted(columns, key=gives_way)}  # sorted is stable: else by position


def _layout_notes(sheet: Sheet, fr: Frame) -> list[Note]:
    """Warnings about how the sheet was read as a whole: hidden, or one field read from two columns."""
    notes: list[Note] = []
    if sheet.hidden:
        notes.append(
            (
                None,
                "",
                None,
                f"工作表「{sheet.name}」在文件里是隐藏的，其中的数据已导入；如不应计入，请删除该工作表后重新导入",
            )
        )
    for c, label in enumerate(fr.labels):
        refused = None if c in fr.columns else unit_refused(fr.spec, label)
        if refused is not None:
            notes.append((None, label, None, refused))
    if fr.has("minutes"):
        label = fr.label("minutes")
        notes.append((None, label, None, f"「{label}」按分钟读，换算为学时（÷60）计入；同一行也填了学时的，以学时为准"))
    for name in dict.fromkeys(fr.columns.values()):
        cols = fr.cols(name)
        if len(cols) < 2 or fr.parsed[cols[0]].boolean:
            continue  # marks in two columns combine (either one marked), nothing is chosen
        first, *others = (fr.labels[c] or f"第{c + 1}列" for c in cols)
        shown = "、".join(f"「{x}」" for x in others)
        spec_field = fr.spec.field(name)
        why = f"（{spec_field.yields_why}）" if cols != sorted(cols) and spec_field.yields_why else ""
        notes.append(
            (
                None,
                first,
                None,
                f"「{first}」和{shown}都读作{spec_field.label}，以「{first}」为准{why}，它空白时用{shown}",
            )
        )
    return notes


def _blank_cells(cells: np.ndarray, distinct: n.Distinct | None) -> np.ndarray:
    """Per row, whether the cell is empty or only spaces (through its distinct values when grouped)."""
    if distinct is not None:
        uniques = distinct.uniques
        return distinct.rows_where(np.fromiter(map(n.is_blank, uniques), dtype=bool, count=len(uniques)))
    return np.fromiter(map(n.is_blank, cells), dtype=bool, count=len(cells))


def _filled_beside(fr: Frame, distinct: dict[int, n.Distinct]) -> dict[int, np.ndarray]:
    """Per column of a field read from several columns (调解结果 and 调处结果), the rows whose
    reason to reject (调解结果为空) is no reason: the cell is blank, and the field is not, since
    another of its columns has something typed (the values combine, ``Frame.get``), or an earlier
    column already says the field is blank. A cell typed but unreadable keeps its reason."""
    beside: dict[int, np.ndarray] = {}
    for name in dict.fromkeys(fr.columns.values()):
        cols = fr.cols(name)
        if len(cols) < 2 or not any(fr.parsed[c].has_errors for c in cols):
            continue
        blank = {c: _blank_cells(fr.raw[c], distinct.get(c)) for c in cols}
        all_blank = np.logical_and.reduce([blank[c] for c in cols])
        said = np.zeros(len(fr), dtype=bool)
        for c in cols:
            beside[c] = blank[c] & (~all_blank | said)
            if fr.parsed[c].has_errors:
                said |= all_blank & ~col.isna(fr.parsed[c].errors)
    return beside


def _without(errors: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``errors`` with None on ``rows``."""
    if not rows.any():
        return errors
    errors = errors.copy()
    errors[rows] = None
    return errors


# A date column that says when the row was typed (登记日期, 录入日期) or only "a date" (日期) yields to one
# naming the event itself (受理日期, 收到日期, 培训日期): a back-filled ledger's 登记日期 is the day of typing.
_WEAK_DATE = re.compile(r"^(登记|录入|填报|填表|记录)?(日期|时间)$")


def _ranked_dates(spec: Spec, labels: list[str], columns: dict[int, str]) -> dict[int, str]:
    """``columns`` with, for a date field read from several columns, the one naming the event first: the
    first column is the one used (``Frame.get``), the others fill its blanks, and the sheet's note says so.
    Before, the leftmost won, and 登记日期 left of 受理日期 dated back-filled cases by the day of typing."""
    weak = {
        c
        for c, name in columns.items()
        if spec.field(name).kind in ("date", "optional_date") and _WEAK_DATE.match(labels[c] if c < len(labels) else "")
    }
    named = {name for c, name in columns.items() if c not in weak}
    demoted = {c for c in weak if columns[c] in named}
    if not demoted:
        return columns
    return dict(sorted(columns.items(), key=lambda item: (item[0] in demoted, item[0])))


def _disagreements(fr: Frame, dated_by: str | None = None) -> None:
    """A warning on each row where two columns of one field (调解结果 and 调处结果, 受理日期 and 排查日期)
    both hold a readable value and the values differ: the first column's is used, as the sheet's note
    says, but a person must see that the other said something else. Free text (说明, 内容) and dates
    are left alone: two such columns differ as a rule (排查日期 and 受理日期 are two days of one
    dispute), and the sheet's note says which one is used; marks in two columns combine."""
    for name in dict.fromkeys(fr.columns.values()):
        cols = fr.cols(name)
        first = fr.parsed[cols[0]]
        if len(cols) >= 2 and name == dated_by and first.array.dtype.kind == "M":
            _quarters_apart(fr, cols)
        if len(cols) < 2 or fr.spec.field(name).kind == "text" or first.array.dtype.kind in "bM":
            continue
        for c in cols[1:]:
            other = fr.parsed[c]
            if other.array.dtype != first.array.dtype:
                continue
            both = ~col.isna(first.array) & ~col.isna(other.array)
            for parsed in (first, other):
                if parsed.has_errors:
                    both &= col.isna(parsed.errors)
            differ = both & np.asarray(col.as_objects(first.array) != col.as_objects(other.array), dtype=bool)
            if not differ.any():
                continue
            a, b = fr.labels[cols[0]] or f"第{cols[0] + 1}列", fr.labels[c] or f"第{c + 1}列"
            texts_a, texts_b = fr.raw[cols[0]], fr.raw[c]
            message = np.full(len(fr), None, dtype=object)
            for i in np.flatnonzero(differ).tolist():
                message[i] = (
                    f"「{a}」写的是「{n.as_text(texts_a[i])}」，「{b}」写的是「{n.as_text(texts_b[i])}」，两列不一致；"
                    f"已按「{a}」计入，请核对"
                )
            fr.warn(b, texts_b, message)


_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")


def _month_days_in_year(fr: Frame, year: int | None) -> None:
    """Read a date written without its year (3月5日) in the one year the sheet's title or name gives
    (珠龙镇2024年矛盾纠纷排查调处台账), with a warning; with no such year it stays unreadable."""
    if year is None:
        return
    for c, name in fr.columns.items():
        parsed = fr.parsed[c]
        if fr.spec.field(name).kind not in ("date", "optional_date") or not parsed.has_errors:
            continue
        array = parsed.array
        for i in np.flatnonzero(~col.isna(parsed.errors)).tolist():
            match = _MONTH_DAY.match(unicodedata.normalize("NFKC", n.as_text(fr.raw[c][i]) or "").strip())
            if match is None:
                continue
            try:
                day = date(year, int(match.group(1)), int(match.group(2)))
            except ValueError:
                continue
            if array.dtype.kind != "M":
                break
            array[i] = np.datetime64(day, "D")
            parsed.errors[i] = None
            parsed.warnings[i] = (
                f"{fr.labels[c]}「{n.as_text(fr.raw[c][i])}」没有写年份，按本表标题的{year}年读作{day.isoformat()}"
            )
        if col.isna(parsed.errors).all():
            parsed.errors = None


def _quarters_apart(fr: Frame, cols: list[int]) -> None:
    """A warning on each row whose two date columns (受理日期 and 登记日期) fall in different quarters: the
    row is dated by the first, as the sheet's note says, but the other would count it in another period."""
    first = fr.parsed[cols[0]].array.astype("datetime64[M]").astype("int64")
    a = fr.labels[cols[0]] or f"第{cols[0] + 1}列"
    for c in cols[1:]:
        other = fr.parsed[c].array
        if other.dtype.kind != "M":
            continue
        both = ~np.isnat(fr.parsed[cols[0]].array) & ~np.isnat(other)
        apart = both & (first // 3 != other.astype("datetime64[M]").astype("int64") // 3)
        if not apart.any():
            continue
        b = fr.labels[c] or f"第{c + 1}列"
        message = np.full(len(fr), None, dtype=object)
        for i in np.flatnonzero(apart).tolist():
            message[i] = (
                f"「{a}」是{n.as_text(fr.raw[cols[0]][i])}，「{b}」是{n.as_text(fr.raw[c][i])}，不在同一季度；"
                f"已按「{a}」计入，请核对"
            )
        fr.warn(b, fr.raw[c], message)


def parse_blocks(
    sheet: Sheet,
    file_name: str,
    town: str | None,
    fallback: TownHint,
    recognised: tuple[HeaderInfo, Spec, dict[int, str]],
    carried: totals.Carried,
    counted: across_sheets.Counted,
) -> SheetResult:
    """One recognised sheet's result: ``parse_sheet``'s, or, for tables side by side under the same
    header block (上半年 in A–E, 下半年 in G–K, ``etl.side_by_side``), each table's, joined."""
    header, spec, columns = recognised
    spans = side_by_side.blocks(
        columns, header.labels, lambda fields: all(any(f in fields for f in group) for group in spec.required)
    )
    if not spans:
        return parse_sheet(sheet, file_name, town, fallback, recognised, carried, counted)
    parts = []
    for i, span in enumerate(spans):
        last = i == len(spans) - 1
        part, part_header = side_by_side.block_sheet(sheet, header, span, last)
        part_columns = {c: name for c, name in columns.items() if span[0] <= c and (last or c < span[1])}
        result = parse_sheet(part, file_name, town, fallback, (part_header, spec, part_columns), carried, counted)
        parts.append((side_by_side.span_name(span, header.labels), result))
    return _joined(parts, file_name)


def _joined(parts: list[tuple[str, SheetResult]], file_name: str) -> SheetResult:
    """The results of a sheet's tables side by side as one: rows of each, in turn; each reject and
    row warning naming its table's columns (two tables have the same headers and Excel rows); a
    note on the whole sheet said once, or with its table when not every table has it."""
    first = parts[0][1]
    table = {name: _concatenated([r.table[name] for _, r in parts]) for name in first.table}
    shown = "、".join(f"{where} {r.row_count} 行" for where, r in parts)
    note = f"本表有 {len(parts)} 张表头相同的表左右并排，已各自按表读取后一并计入：{shown}"
    warnings: list[tuple[Any, ...]] = [(file_name, first.sheet, None, "", None, note)]
    everywhere = set.intersection(*({w for w in r.warning_rows if w[2] is None} for _, r in parts))
    rejects: list[tuple[Any, ...]] = []
    for where, r in parts:
        rejects += [(*row[:3], _in_block(row[3], where), *row[4:]) for row in r.reject_rows]
        for w in r.warning_rows:
            if w not in everywhere:
                warnings.append((*w[:3], _in_block(w[3], where), *w[4:]))
            elif w not in warnings:
                warnings.append(w)
    sheet_town, source = first.town, first.town_source
    if source in ("乡镇列", SECTION) and len(table["town"]):
        sheet_town = _mode(table["town"])
    header_map = {label: name for _, r in parts for label, name in r.header_map.items()}
    return SheetResult(
        first.sheet, first.dataset, sheet_town, header_map, table, rejects, warnings, source, first.title_year
    )


def _in_block(column: str | None, where: str) -> str:
    return f"{column}（{where}）" if column else where


def _concatenated(arrays: list[Any]) -> Any:
    """One column of several tables' rows: masked where any part is, object where their kinds differ."""
    if any(isinstance(a, np.ma.MaskedArray) for a in arrays):
        data = np.concatenate([np.ma.getdata(a) for a in arrays])
        return np.ma.MaskedArray(data, mask=np.concatenate([np.ma.getmaskarray(a) for a in arrays]))
    if len({a.dtype for a in arrays}) > 1:
        return np.concatenate([col.as_objects(a) for a in arrays])
    return np.concatenate(arrays)


def parse_sheet(
    sheet: Sheet,
    file_name: str,
    town: str | None,
    fallback: TownHint,
    recognised: tuple[HeaderInfo, Spec, dict[int, str]],
    carried: totals.Carried,
    counted: across_sheets.Counted,
) -> SheetResult:
    """One recognised sheet's rows, rejects and warnings (``parse_sheets`` recognises it).

    Rows are numbered by their place in the body (``body[i]``, Excel row ``excel_row[i]``); the
    frame's columns hold the kept rows only, in order, so a body row ``keep[p]`` is at place ``p``.
    """
    header, spec, columns = recognised
    labels = header.labels
    columns = dict(_ranked_dates(spec, labels, columns))  # a builder may re-map a column (summaries.periods)
    body = sheet.rows[header.first_data_row :]
    fill_merged_down(body, sheet.merged, header.first_data_row)
    dataset = DATASETS[spec.dataset]
    ids = merged_records.id_columns(labels, columns, dataset.record_id)
    joined = merged_records.join_merged_records(body, sheet.merged, header.first_data_row, ids, labels)
    width = max([len(labels), *(len(r) for r in body[:1])]) if body else len(labels)
    labels = labels + [""] * (width - len(labels))
    grid = _raw_columns(body, width)
    first_row = header.first_data_row + 1
    excel_row = np.arange(first_row, first_row + len(body), dtype="int64")

    # Rows that are obviously not data, found on the whole grid at once; each parsed column is
    # grouped into its distinct values once, for these checks and its parse.
    grouped = [c for c, name in columns.items() if spec.field(name).kind not in UNGROUPED_KINDS]
    distinct = {c: n.Distinct.of(grid[:, c]) for c in grouped}
    header_cells = (list(sheet.rows[header.row]) + [""] * width)[:width]
    blank = _blank_rows(grid)
    repeat = _header_repeats(grid, header_cells, distinct)
    free, key = _free_and_key(spec, columns, dataset.record_id)
    total = totals.total_rows(grid, distinct, free, key)
    sections = _section_towns(grid, total, [c for c, name in columns.items() if name == dataset.dated_by])
    sample = examples.example_rows(grid, distinct)  # 序号 示例: the template's sample row
    skip = blank | (repeat >= 2) | total | (sections != None) | (sample >= 0)  # noqa: E711  (a town, or None per row)
    if skip.any():
        keep = np.flatnonzero(~skip)
        raw = {c: grid[keep, c] for c in range(width)}
        # Regrouped without the skipped rows, so each group's value is its first *data* cell.
        distinct = {c: n.Distinct.of(raw[c]) for c in grouped}
    else:
        keep = np.arange(len(body))
        raw = {c: grid[:, c] for c in range(width)}
    columns = _yielding_last(spec, labels, columns)
    year = year_from_titles(header.titles) or _sheet_year(sheet.name)
    fr = Frame(spec, labels, columns, raw, excel_row[keep], year, (sheet.name, *header.titles))
    for c, name in columns.items():
        fr.parsed[c] = KINDS[spec.field(name).kind](raw[c], distinct.get(c))
    _month_days_in_year(fr, the_one_year([*header.titles, sheet.name]))
    title_town = town_from_titles(header.titles)
    hint = TownHint(town, "导入时指定") if town else TownHint(title_town, "标题") if title_town else fallback
    _town_words(fr, hint)
    beside = _filled_beside(fr, distinct)
    for c, parsed in fr.parsed.items():
        if parsed.has_errors:
            errors = _without(parsed.errors, beside[c]) if c in beside else parsed.errors
            fr.error(labels[c], raw[c], errors)
        if parsed.has_warnings:
            fr.warn(labels[c], raw[c], parsed.warnings)
    _disagreements(fr, DATASETS[spec.dataset].dated_by)
    uncached = _uncached_columns(sheet.uncached, header.first_data_row, keep)
    for c, rows_of_c in uncached.items():
        if c in columns:  # a formula's value is unknown: counting it as blank or 0 would be a guess
            reason = col.blank(len(keep))
            reason[np.searchsorted(keep, rows_of_c)] = [
                f"单元格 {cell_ref(header.first_data_row + i, c)} 是{UNCACHED}，无法读取；{RESAVE}" for i in rows_of_c
            ]
            fr.error(labels[c], raw[c], reason)
    built = dataset.build(fr)

    # Rows with an error: reject them, unless they turn out to be totals, footers or blank.
    problems = _collect(fr.errors, keep)
    total_cells = [(int(excel_row[i]), body[i]) for i in np.flatnonzero(total)]
    not_data = []
    for i in sorted({p[0] for p in problems}):
        kind = _skip_kind(body[i], free, key)
        if kind is not None:
            not_data.append(i)
            if kind == "total":
                total_cells.append((int(excel_row[i]), body[i]))
    if not_data:
        dropped = set(not_data)
        problems = [p for p in problems if p[0] not in dropped]
    bad = sorted({p[0] for p in problems})
    good = ~np.isin(keep, np.array(bad + not_data, dtype="int64"))  # per kept row
    details = ~np.isin(keep, np.array(not_data, dtype="int64"))

    # each kept row's section town, as a 乡镇 column would give it (before --town); None when no kept row
    # lies under a section
    under = _filled_down(sections)[keep] if not fr.has("town") and any(sections != None) else None  # noqa: E711
    if under is not None and not any(under != None):  # noqa: E711
        under = None
    if under is not None and all(under != None):  # noqa: E711
        hint = TownHint(_mode(under), SECTION)  # every row is under a section naming its town: no guess
    town_notes = _town_notes(fr, hint, title_town, fallback) + _layout_notes(sheet, fr)
    town_notes += [(None, column, None, message) for column, message in fr.notes]  # the dataset's own
    town_notes += _section_notes(sections, excel_row, applied=not fr.has("town"))
    town_notes += examples.example_notes(sample, grid, excel_row, labels)
    table: col.Columns = dict(built)
    table["town"] = col.filled(fr.get("town"), hint.town) if fr.has("town") else fr.empty(hint.town)
    if under is not None:
        table["town"] = col.filled(under, hint.town)
    table["source_file"] = fr.empty(file_name)
    table["sheet"] = fr.empty(sheet.name)
    table["excel_row"] = fr.excel_row
    if "extra" in spec.columns:
        table["extra"] = _extra_json(labels, raw, columns, len(keep))
    everything = bool(good.all())
    table = {name: n.none_if_nan(table[name] if everything else table[name][good]) for name in spec.columns}
    sheet_town, town_source = hint.town, hint.source
    if fr.has("town") and len(table["town"]):
        sheet_town, town_source = _mode(table["town"]), "乡镇列"
    elif under is not None and len(table["town"]):
        sheet_town, town_source = _mode(table["town"]), SECTION
    holders = counted.holders(spec.dataset, table)
    copied = bool(holders) and all(h is not None for h in holders)
    if copied:  # a summary or a copy of earlier sheets: no row of it counts, so none is said to
        table = {name: values[:0] for name, values in table.items()}
        across: list[Note] = [(None, "", None, across_sheets.copy_note(holders))]
    else:
        across = across_sheets.notes(holders, table["excel_row"])
        counted.add(spec.dataset, sheet.name, table)

    rejects = _rejects(problems, excel_row, labels, body, file_name, sheet.name)
    read = sorted(columns)  # the columns read: a 序号 column numbers a row typed twice anew
    repeated = _repeated_rows(
        body, keep[good], excel_row, read, _unique_column(grid, keep[good], distinct, len(keep), read)
    )
    good_rows = set(keep[good].tolist())
    title_year = the_one_year([*header.titles, sheet.name])
    warnings = [*town_notes, *across] if copied else _capped([
        *town_notes,
        *joined,
        *((int(excel_row[i]), column, value, message) for i, column, value, message in _collect(fr.warns, keep)
          if i in good_rows),
        *totals.check(fr, total_cells, np.flatnonzero(details), carried.setdefault(spec.dataset, {})),
        *_uncached_notes(sheet.uncached, {int(excel_row[i]) for i in bad}, labels),
        *_cleaned_notes(sheet.cleaned, labels),
        *_hidden_notes(sheet, header.first_data_row, keep[good], excel_row, labels, columns),
        *_struck_notes(sheet, header.first_data_row, keep[good], excel_row, body, labels),
        *repeated,
        *_void_notes(raw, distinct, labels, columns, good, fr.excel_row),
        *_same_id_notes(dataset.record_id, table, fr, {note[0] for note in repeated}),
        *across,
        *_dated_notes(dataset.dated_by, table, fr, title_year),
    ], settings.limit("sheet_max_warnings"))  # fmt: skip
    header_map = {labels[c]: name for c, name in columns.items() if labels[c]}
    return SheetResult(
        sheet.name,
        spec.dataset,
        sheet_town,
        header_map,
        table,
        rejects,
        [(file_name, sheet.name, *w) for w in warnings],
        town_source,
        title_year,
    )


def _sheet_year(name: str) -> int | None:
    """The year a sheet's name gives (a roster kept as sheets 2023年, 2024年, or 2024), when its title gives none."""
    plain = name.strip()
    return int(plain) if re.fullmatch(r"(19|20)\d{2}", plain) else the_one_year([plain])


def _mode(values: np.ndarray) -> str:
    """The most frequent value, the first in sorted order among equals (as pandas' ``mode``)."""
    counts = Counter(values.tolist())
    most = max(counts.values())
    return str(min(v for v, k in counts.items() if k == most))


def _capped(warnings: list[Note], limit: int) -> list[Note]:
    """The first ``limit`` warnings and one more that counts the rest (they are not stored)."""
    if len(warnings) <= limit:
        return warnings
    rest = len(warnings) - limit
    return [*warnings[:limit], (None, None, None, f"另有 {rest:,} 条警告未逐条保存（每张工作表最多保存 {limit:,} 条）")]


UNCACHED = "公式，文件里没有它可用的计算结果（保存文件的程序没有计算公式，或公式出错，如 #N/A、#REF!）"
RESAVE = "请用 Excel 或 WPS 打开，修正出错的公式，保存后再导入"


def cell_ref(row: int, col: int) -> str:
    """0-based (row, column) as Excel names the cell: (11, 5) -> "F12"."""
    return f"{side_by_side.column_letters(col)}{row + 1}"


def _uncached_columns(cells: list[tuple[int, int]], first_row: int, keep: np.ndarray) -> dict[int, list[int]]:
    """Column -> the data rows (body index, kept rows only) holding a formula with no value."""
    found: dict[int, list[int]] = {}
    if not cells:
        return found
    kept = set(keep.tolist())
    for r, c in cells:
        if r - first_row in kept:
            found.setdefault(c, []).append(r - first_row)
    return found


def _uncached_notes(cells: list[tuple[int, int]], rejected: set[int], labels: list[str]) -> list[Note]:
    """A warning per formula cell with no value outside rejected rows (totals, extra columns)."""
    return [
        (r + 1, labels[c] if c < len(labels) and labels[c] else f"第{c + 1}列", None,
         f"单元格 {cell_ref(r, c)} 是{UNCACHED}，按空白处理（未计入、未用于核对合计）；{RESAVE}")
        for r, c in sorted(cells) if r + 1 not in rejected
    ]  # fmt: skip


def _hidden_notes(
    sheet: Sheet, first_row: int, counted: np.ndarray, excel_row: np.ndarray, labels: list[str], columns: dict[int, str]
) -> list[Note]:
    """A warning per hidden row counted, and per hidden column read: the sheet as a person sees it
    has neither, so the figures would not match it without saying why (``etl.hidden``)."""
    hidden = {r - first_row for r in sheet.hidden_rows if r >= first_row}
    rows = [
        (int(excel_row[i]), None, None, "此行在文件中被隐藏（打开文件时看不到），已照常计入；如不应计入，请删除该行后重新导入")
        for i in counted.tolist() if i in hidden
    ] if hidden else []  # fmt: skip
    read = [c for c in sheet.hidden_columns if c in columns]
    named = {c: labels[c] or f"第{c + 1}列" for c in read}
    return rows + [
        (
            None,
            named[c],
            None,
            f"「{named[c]}」列在文件中被隐藏（打开文件时看不到），已照常读取；请核对这一列是否应当计入",
        )
        for c in read
    ]


STRUCK_ROW = "此行有删除线（通常表示已删除），已照常计入；如这一行已作废，请删除该行后重新导入"


def _struck_notes(
    sheet: Sheet,
    first_row: int,
    counted: np.ndarray,
    excel_row: np.ndarray,
    body: list[list[object]],
    labels: list[str],
) -> list[Note]:
    """A warning per counted row with cells drawn struck through (``etl.struck``): struck out whole,
    the way staff delete a row, or in some of its cells, read as written all the same."""
    if not sheet.struck:
        return []
    notes: list[Note] = []
    for i in counted.tolist():
        columns = sheet.struck.get(first_row + i)
        if not columns:
            continue
        filled = {c for c, v in enumerate(body[i]) if not n.is_blank(v)}
        struck = sorted(filled.intersection(columns))
        if not struck:
            continue  # a struck format on empty cells strikes nothing out
        if len(struck) == len(filled):
            notes.append((int(excel_row[i]), None, None, STRUCK_ROW))
            continue
        named = [labels[c] if c < len(labels) and labels[c] else f"第{c + 1}列" for c in struck]
        shown = "".join(f"「{x}」" for x in named)
        message = f"此行的{shown}有删除线，已照常读取并计入；如划掉的内容不应计入，请改正后重新导入"
        notes.append((int(excel_row[i]), named[0], None, message))
    return notes


def _dated_notes(column: str | None, table: col.Columns, fr: Frame, year: int | None) -> list[Note]:
    """A warning for each row dated after today, or outside the one year its sheet's title names
    (a 2019 typed for 2020 in 东坪乡2020年…台账): counted by its date, in another period than the
    sheet says, which nothing else would show. A summary's period is checked by its own parse."""
    if column is None or column == "period_start" or column not in table or not len(table[column]):
        return []
    days = np.asarray(table[column], dtype="datetime64[D]")
    known = ~np.isnat(days)
    today = np.datetime64(date.today(), "D")
    future = known & (days > today)
    outside = np.zeros(len(days), dtype=bool)
    if year is not None:
        outside = known & (
            (days < np.datetime64(f"{year:04d}-01-01")) | (days >= np.datetime64(f"{year + 1:04d}-01-01"))
        )
    if not (future.any() or outside.any()):
        return []
    label, rows = fr.label(column), table["excel_row"].tolist()
    notes: list[Note] = []
    for i in np.flatnonzero(future | outside).tolist():
        day = str(days[i])
        why = f"晚于今天（{today}）" if future[i] else f"不在本表标题写的{year}年内"
        notes.append((int(rows[i]), label, day, f"{label} {day} {why}，已按这一天计入，请核对"))
    return notes


# A cell saying its row no longer counts, as staff mark a row instead of deleting it: 作废, 重复登记,
# （已删除）. Matched whole, on short text, so that 合同作废纠纷 or a 状态 of 已废止 is no such mark.
_VOID = re.compile(r"[(（【\[]?(?:此[件条行项]?)?已?(?:作废|删除|重复(?:登记|录入)?|不计入|不统计)[)）】\]]?[。.]?")
VOID_MAX = 12  # characters: a longer cell is a sentence, not a mark


def _void_notes(
    raw: dict[int, np.ndarray],
    distinct: dict[int, n.Distinct],
    labels: list[str],
    columns: dict[int, str],
    good: np.ndarray,
    excel_rows: np.ndarray,
) -> list[Note]:
    """A warning for each counted row with a cell that marks it void or a repeat (作废, 重复登记):
    a person reading the sheet would not count it; it is counted as written, and said. Every column
    is looked at, read or not (备注 often is not), through its distinct values."""
    notes: list[Note] = []
    for c, cells in raw.items():
        if columns.get(c) == "status" or (c in columns and c not in distinct):
            continue  # a 状态 (有效, 已废止) is a fact, no mark; a number column already says a word isn't one
        uniques = distinct[c].uniques if c in distinct else dict.fromkeys(cells.tolist())
        marks = {u for u in uniques if type(u) is str and 0 < len(u) <= VOID_MAX and _VOID.fullmatch(n.compact(u))}
        if not marks:
            continue
        label = labels[c] or f"第{c + 1}列"
        for p in np.flatnonzero(good).tolist():
            if cells[p] in marks:
                message = f"此行的「{label}」写着「{cells[p]}」，已照常计入；如这一行已作废或是重复的，请删除后重新导入"
                notes.append((int(excel_rows[p]), label, cells[p], message))
    return notes


_BRACKETS = str.maketrans("〔〕【】[]［］（）", "()()()()()")


def _same_id_notes(column: str | None, table: col.Columns, fr: Frame, said: set[int]) -> list[Note]:
    """A warning for each row whose 文号 or 案号 an earlier row of the sheet has (spaces, full-width
    forms and 〔〕[]【】（） brackets aside): one document or case entered twice, most likely, or a
    number mistyped; counted as written. Rows ``said`` to repeat an earlier row whole are left out."""
    if column is None or not fr.has(column):
        return []
    first: dict[str, int] = {}
    notes: list[Note] = []
    label = fr.label(column)
    for value, row in zip(table[column].tolist(), table["excel_row"].tolist(), strict=True):
        key = n.compact(value).translate(_BRACKETS) if isinstance(value, str) else ""
        if not key:
            continue
        if key in first and row not in said:
            message = f"{label}「{value}」与第{first[key]}行相同，可能重复登记；已按两条计入，请核对"
            notes.append((int(row), label, value, message))
        first.setdefault(key, int(row))
    return notes


def _cleaned_notes(cells: list[tuple[int, int]], labels: list[str]) -> list[Note]:
    """A warning per cell the reader removed control characters (NUL and the like) from."""
    return [
        (r + 1, labels[c] if c < len(labels) and labels[c] else f"第{c + 1}列", None,
         f"单元格 {cell_ref(r, c)} 含有不可见的控制字符（如 NUL），已删除后读取，请核对该单元格")
        for r, c in sorted(cells)
    ]  # fmt: skip


def _unique_column(
    grid: np.ndarray, rows: np.ndarray, distinct: dict[int, n.Distinct], kept: int, read: list[int]
) -> bool:
    """Whether some column read holds a different value on every one of ``rows`` (a case number).

    Then no row can repeat another. A grouped column says so for free (``distinct`` groups the
    ``kept`` rows, of which ``rows`` are some); another is tried on its first rows before all.
    """
    if any(len(d.uniques) == kept for c, d in distinct.items() if c in read):
        return True
    for c in read:
        if c in distinct:
            continue
        head = grid[rows[:_HEAD], c]
        if len(dict.fromkeys(head)) == len(head) and len(dict.fromkeys(grid[rows, c])) == len(rows):
            return True
    return False


_HEAD = 256


def _repeated_rows(
    body: list[list[object]], rows: np.ndarray, excel_row: np.ndarray, read: list[int], unique: bool
) -> list[Note]:
    """A warning for each data row whose every cell read equals an earlier row's: typed in twice, most
    likely (a 序号 column, not read, numbers the copy anew); it is counted as written, and said. None
    when a column read is ``unique`` (``_unique_column``)."""
    notes: list[Note] = []
    if unique or not read:
        return notes
    keys = [tuple(body[i][c] if c < len(body[i]) else None for c in read) for i in rows.tolist()]
    if len(dict.fromkeys(keys)) < len(keys):  # one hashing pass; the rest only when some repeat
        first: dict[tuple[object, ...], int] = {}
        for i, key in zip(rows.tolist(), keys, strict=True):
            j = first.setdefault(key, i)
            if j != i:
                message = f"与第{int(excel_row[j])}行的内容完全相同（序号等未读取的列除外），可能重复录入；已按两行计入，请核对"
                notes.append((int(excel_row[i]), "", None, message))
    return notes


Problem = tuple[int, str, str | None, str]  # (body row, column name, value as text, message)


def _collect(entries: list[tuple[str, np.ndarray, np.ndarray]], keep: np.ndarray) -> list[Problem]:
    """The non-null messages, one per (row, column), in the order they were recorded."""
    found: list[Problem] = []
    for column_name, values, messages in entries:
        mask = np.asarray(messages != None, dtype=bool)  # noqa: E711  (one cheap pass; most are all None)
        if mask.any() and (mask := mask & np.asarray(messages == messages, dtype=bool)).any():
            places = np.flatnonzero(mask)
            texts = [n.as_text(values[p]) for p in places] if len(values) else [None] * len(places)
            found += zip(keep[places].tolist(), itertools.repeat(column_name), texts, messages[places].tolist())
    return found


def _rejects(problems: list[Problem], excel_row: np.ndarray, labels: list[str], body: list[list[object]],
             file_name: str, sheet: str) -> list[tuple[Any, ...]]:  # fmt: skip
    """One reject per row: its first bad cell, every reason, and the original cells as JSON."""
    by_row: dict[int, tuple[str, str | None, list[str]]] = {}
    for row, column_name, value, reason in problems:
        if row not in by_row:
            by_row[row] = (column_name, value, [reason])
            continue
        first_column, first_value, reasons = by_row[row]
        reasons.append(reason)
        if first_value is None and value is not None:  # the first value given, as pandas' groupby "first"
            by_row[row] = (first_column, value, reasons)
    return [
        (file_name, sheet, int(excel_row[row]), column_name, value, "；".join(reasons), _row_json(labels, body[row]))
        for row, (column_name, value, reasons) in sorted(by_row.items())
    ]
