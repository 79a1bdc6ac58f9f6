"""The shared sheet writer: title and unit rows, one- or two-row headers, data cells with their
borders and date styles, blank rows, the 合计 row, the 填表人 footer, and reproducible saving.

Dates are written the way each year's keeper typed them (``format_date``); ``save`` fixes the
workbook properties and zip timestamps, so the bytes depend only on the content.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from sample.days import next_weekday
from sample.figures import TOWN

FIXED_TIMESTAMP = datetime(2026, 1, 10, 9, 30, 0)

_FILLERS = ("张某某", "陈某某", "刘某某", "汪某某")
_CHECKERS = ("李某某", "吴某某", "周某某")


def format_date(rng: random.Random, day: date | None, style: str) -> Any:
    """A date as the year's keeper typed it. A trailing ~ mixes in the odd stray format."""
    if day is None:
        return None
    if style.endswith("~"):
        style = style[:-1]
        if rng.random() < 0.04:
            style = rng.choice(("slash", "dot", "cn", "compact"))
    if style == "date":
        return day
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if style == "dot":
        return f"{day.year}.{day.month}.{day.day}"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "iso":
        return day.isoformat()
    if style == "compact":
        return int(day.strftime("%Y%m%d"))
    raise ValueError(style)


_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Column:
    """One column: header (and sub-header under a merged group), cell value, 合计 rule."""

    header: str
    value: Callable[[Any], Any]
    sub: str | None = None
    width: float = 10
    total: str | None = None  # count (N件) | sum | mark (count of ticks)
    unit: str = "件"
    number_format: str | None = None


def _style_cell(cell: Any, number_format: str | None, prototypes: dict[str | None, StyleArray]) -> None:
    """Border (and number format) for a data cell; copying a style array is ~50x faster."""
    proto = prototypes.get(number_format)
    if proto is not None:
        cell._style = copy(proto)
        return
    cell.border = BORDER
    if number_format:
        cell.number_format = number_format
    prototypes[number_format] = copy(cell._style)


def write_sheet(
    ws: Worksheet,
    title: str,
    columns: Sequence[Column],
    records: Iterable[Any],
    footer: str,
    *,
    unit_row: str | None = None,
    blank_rows: int = 1,
    date_format: str = "yyyy-mm-dd",
) -> None:
    last = get_column_letter(len(columns))
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    if unit_row:
        ws.append([unit_row])
        row = ws.max_row
        ws.merge_cells(f"A{row}:{last}{row}")
    two_row = any(c.sub for c in columns)
    header_row = ws.max_row + 1
    if two_row:
        ws.append([c.header for c in columns])
        ws.append([c.sub for c in columns])
        i = 0
        while i < len(columns):
            col = columns[i]
            j = i
            while col.sub and j + 1 < len(columns) and columns[j + 1].header == col.header:
                j += 1
            if col.sub:
                for k in range(i + 1, j + 1):
                    ws.cell(header_row, k + 1).value = None
                if j > i:
                    ws.merge_cells(start_row=header_row, start_column=i + 1, end_row=header_row, end_column=j + 1)
            else:
                ws.merge_cells(start_row=header_row, start_column=i + 1, end_row=header_row + 1, end_column=i + 1)
            i = j + 1
    else:
        ws.append([c.header for c in columns])
    header_last = ws.max_row
    for r in range(header_row, header_last + 1):
        for c in range(1, len(columns) + 1):
            ws.cell(r, c).font = Font(name="宋体", bold=True)
            ws.cell(r, c).alignment = CENTER
            ws.cell(r, c).border = BORDER
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = f"A{header_last + 1}"

    data: list[list[Any]] = []
    prototypes: dict[str | None, StyleArray] = {}
    for record in records:
        values = [c.value(record) for c in columns]
        ws.append(values)
        data.append(values)
        row = ws.max_row
        for i, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            fmt = date_format if isinstance(value, date) else col.number_format
            _style_cell(ws.cell(row, i), fmt, prototypes)
    for _ in range(blank_rows):
        ws.append([None])
    totals: list[Any] = ["合计"]
    for i, col in enumerate(columns[1:], start=1):
        cells = [row[i] for row in data]
        if col.total == "count":
            totals.append(f"{len(data)}{col.unit}")
        elif col.total == "sum":
            total = sum(v for v in cells if isinstance(v, (int, float)))
            totals.append(int(total) if float(total).is_integer() else round(total, 2))
        elif col.total == "mark":
            totals.append(sum(1 for v in cells if v not in (None, "")))
        else:
            totals.append(None)
    ws.append(totals)
    row = ws.max_row
    for i in range(1, len(columns) + 1):
        ws.cell(row, i).font = Font(name="宋体", bold=True)
        ws.cell(row, i).border = BORDER
    ws.append([None])
    ws.append([footer])
    row = ws.max_row
    ws.merge_cells(f"A{row}:{last}{row}")


def footer(rng: random.Random, year: int) -> str:
    filled = next_weekday(date(year + 1, 1, rng.randint(4, 12)))
    return (
        f"填表人：{rng.choice(_FILLERS)}    审核人：{rng.choice(_CHECKERS)}    "
        f"填表日期：{filled.year}年{filled.month}月{filled.day}日"
    )


@dataclass
class Numbered:
    index: int
    case: Any


def save(wb: Workbook, path: Path) -> None:
    """Save with fixed properties and zip timestamps, so the bytes depend only on the content."""
    wb.properties.creator = f"{TOWN}司法所"
    wb.properties.lastModifiedBy = f"{TOWN}司法所"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, src.read(info.filename))
