"""Data made inert on its way out: spreadsheet cells (xlsx and CSV) and text shown as Markdown.

Every value a download, an export or a command writes comes from a ledger, a file name or a query,
so any of them may be hostile. Two rules, each applied in one place:

- **Cells** (``cell``): text that starts with ``=``, ``+``, ``-``, ``@`` (or their full-width forms),
  a tab or a line break (after any leading spaces, of any width, or zero-width characters) gets a leading ``'``, as OWASP's CSV-injection guidance
  advises, and is written to xlsx as a text cell, never a formula; characters XML can't hold
  (NUL and the other C0 controls except tab, newline and carriage return) are dropped, so
  openpyxl never raises ``IllegalCharacterError``. Numbers, dates and booleans stay what they are:
  a real -1 is a number, only the *text* "-1" is prefixed. ``frame``, ``csv_bytes``, ``csv_text``
  and ``xlsx_bytes`` apply it to a whole table, headers included; ``put`` to one openpyxl cell.
- **Markdown** (``markdown``): a value from data or a user shown through ``st.markdown``,
  ``st.caption``, alerts, titles or widget labels, or written into the Markdown report, has the
  characters that would make an image, a link, HTML, maths or formatting backslash-escaped, so
  ``![t](http://host/x.png)`` and ``<script>`` read as the text they are.

UI-free: pages, the report and the command lines all call these.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any

import numpy as np
import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
PREFIX = "'"
# What a spreadsheet may skip before it looks for a formula: spaces of any width (no-break,
# ideographic), zero-width characters and a byte-order mark. Full-width ＝＋－＠ are prefixed too:
# an input method types them, and some spreadsheet programs read them as their ASCII forms.
_INVISIBLE_LEAD = re.compile(r"^[\s\u200b-\u200f\u2060\ufeff]*", re.UNICODE)
# What XML 1.0 can't hold (openpyxl's ILLEGAL_CHARACTERS_RE): C0 controls but tab, LF, CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_BAD = re.compile(r"[\x00-\x1f\[\]:*?/\\]")
SHEET_TITLE_MAX = 31

# Markdown: characters that start an inline construct wherever they stand (image, link, HTML,
# code, emphasis, strikethrough, maths, table cell, Streamlit's :colour[...] and :icon:), and those
# that start a block only at the beginning of a line.
_INLINE = re.compile(r"([\\`*_\[\]<>!|~$&:@])")  # @: an e-mail address would be made a link
_WWW = re.compile(r"(?i)\b(www)\.")  # GFM makes www.host a link: its first dot escaped, it is text
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")  # direction overrides: text would read backwards
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d{1,9}[.)](?=\s|$))")
_NEWLINES = re.compile(r"[\r\n]+")


# --- cells ---------------------------------------------------------------------------------------


def text(value: str) -> str:
    """A string safe in any spreadsheet cell: XML-illegal controls and direction overrides dropped
    (Excel would show the rest of the cell backwards), formula starts prefixed."""
    value = plain(value)
    if value.startswith(("\t", "\r", "\n")) or _INVISIBLE_LEAD.sub("", value, count=1).startswith(FORMULA_STARTS):
        return PREFIX + value
    return value


def plain(value: str) -> str:
    """Text for a document (the Word report): the controls XML can't hold and direction overrides dropped;
    an unclosed U+202E from a ledger cell would make Word draw the rest of its paragraph backwards."""
    return _BIDI.sub("", _ILLEGAL.sub("", value))


def cell(value: Any) -> Any:
    """A value ready for a cell: None for missing, numbers/dates/booleans as they are, text made
    safe (``text``); anything else (a list or struct from a query, bytes, a UUID) as safe text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return text(value)
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)  # .item() of a nanosecond datetime64 is an int
        if value is pd.NaT:
            return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes, pd.Timestamp)):
        try:
            value = value.item()  # numpy scalars
        except (ValueError, TypeError):
            return text(str(value))
    if isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value if math.isfinite(value) else text(str(value))
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        # Excel has no time zones (openpyxl refuses aware datetimes): the wall-clock time is kept.
        value = value.replace(tzinfo=None)
        return value.date() if value.time() == time.min else value
    if isinstance(value, date | time | timedelta):
        return value
    if isinstance(value, bytes):
        return text(value.decode("utf-8", "replace"))
    return text(str(value))


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(v) for v in values]


def frame(data: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``data`` whose text columns and headers are safe; numeric columns untouched."""
    out = data.copy()
    out.columns = [text(str(c)) for c in data.columns]
    for position, dtype in enumerate(data.dtypes):
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)):
            column = data.iloc[:, position]
            out.isetitem(position, pd.Series([cell(v) for v in column], index=data.index, dtype=object))
        elif pd.api.types.is_datetime64_any_dtype(dtype) and getattr(dtype, "tz", None) is not None:
            out.isetitem(position, data.iloc[:, position].dt.tz_localize(None))
    return out


def write_csv(data: pd.DataFrame, target: IO[str]) -> None:
    """``data`` as CSV on a text stream (a command's stdout), every field safe."""
    frame(data).to_csv(target, index=False)


def csv_text(data: pd.DataFrame) -> str:
    buffer = io.StringIO()
    write_csv(data, buffer)
    return buffer.getvalue()


def csv_bytes(data: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel and WPS read the Chinese."""
    return csv_text(data).encode("utf-8-sig")


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A worksheet name Excel accepts: no ``[]:*?/\\`` or controls, at most 31 characters, not
    empty, not quoted, and not one of ``taken`` (case-insensitive, as Excel compares them)."""
    base = _SHEET_TITLE_BAD.sub("_", _BIDI.sub("", name)).strip("' ")[:SHEET_TITLE_MAX] or "Sheet"
    used = {t.lower() for t in taken}
    title, n = base, 1
    while title.lower() in used:
        n += 1
        suffix = f"({n})"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    return title


def put(target: Any, value: Any, number_format: str | None = None) -> Any:
    """Write ``value`` (made safe by ``cell``) into an openpyxl cell; text is a text cell."""
    value = cell(value)
    target.value = value
    if isinstance(value, str):
        target.data_type = "s"
    if number_format:
        target.number_format = number_format
    elif type(value) is date:
        target.number_format = "yyyy-mm-dd"
    return target


def xlsx_bytes(data: pd.DataFrame, sheet: str = "data") -> bytes:
    """``data`` as a one-sheet .xlsx: a header row, then the rows, every cell safe."""
    from openpyxl import Workbook

    # Write-only: rows stream out. A safe text never starts with "=", so openpyxl stores it as text.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(sheet))
    ws.append(row(str(c) for c in data.columns))
    for values in data.itertuples(index=False, name=None):
        ws.append(row(values))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- Markdown ------------------------------------------------------------------------------------


def markdown(value: object) -> str:
    """``value`` as text that Markdown (Streamlit's or a .md file's) shows literally, on one line."""
    shown = _NEWLINES.sub(" ", _BIDI.sub("", _ILLEGAL.sub("", str(value))))
    shown = _WWW.sub(r"\1\\.", _INLINE.sub(r"\\\1", shown))
    return _LINE_START.sub(_escape_marker, shown)


def _escape_marker(match: re.Match[str]) -> str:
    """``# `` -> ``\\# ``, ``12. `` -> ``12\\. ``: a heading, list or quote marker made literal."""
    marker = match.group(2)
    return match.group(1) + (marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker)
