"""Total rows (合计, 一季度小计, 本月合计, 上半年合计, 累计) in a ledger: found and checked, never data.

A total row is a row with a cell that *is* a total label, in any column: 合计/小计/总计/共计/累计,
possibly after a short span it covers (本月, 一季度, 上半年, 1-3月) and before a figure (合计：12件).
Its figures are compared with the detail rows it can cover: since the sheet's first row, or since
any earlier total row (or, for a total under the header with no rows above it, the rows below it) (a 小计 after a 小计, a 上半年合计 after two 季度小计); a 累计 may also cover
the same dataset's earlier sheets of the file (one sheet per month). Only a total that matches
none of them is a warning, so layouts with nested totals raise no false one.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from etl import columns as col
from etl import normalise as n

if TYPE_CHECKING:
    from etl.frame import Frame

TOTAL_WORDS = ("合计", "小计", "总计", "共计", "累计")
_LABEL = re.compile(r"^.{0,10}?(合计|小计|总计|共计|累计)(?:数|\(.{0,6}\))?(?:[:：].{0,12})?$")
_NUMBER = re.compile(r"^\D*?(\d[\d,]*(?:\.\d+)?)\s*(件|人|次|个|元|起|户|学时|小时)?$")
_DATES = frozenset(["date", "day", "event_date", "optional_date", "expiry_date", "rate"])
_NUMBERS = frozenset(["number", "integer"])
Carried = dict[str, dict[str, float]]  # dataset -> column label -> figure over earlier sheets' rows


def is_label(value: object) -> bool:
    """Whether a cell is a total label (合计, 一季度小计, 本月合计, 累计, 合计：12件)."""
    if not isinstance(value, str) or len(value) > 30 or "计" not in value:  # every total word ends in 计
        return False
    return bool(_LABEL.match(n.compact(value)))


def label_of(cells: list[object]) -> str:
    return next((n.compact(v) for v in cells if is_label(v)), "")


def total_rows(
    grid: np.ndarray, distinct: dict[int, n.Distinct], free: frozenset[int] = frozenset(), key: tuple[int, ...] = ()
) -> np.ndarray:
    """Rows with a total label in a parsed column or in one of the first four (序号, 村).

    A parsed column is grouped already, so each distinct value is tested once; the first columns
    are screened for 计 first. A label anywhere else is found when its row fails to parse as
    data (``is_label`` over the whole row), which a total row's blank date or name always does.
    A label in a free-text column (``free``: 纠纷简要情况, 备注, 当事人) says nothing alone: 「拖欠工资
    共计：3万元」 is a case's brief. Such a row is a total only when its key (``key``: the columns of
    the record's first required field, 受理日期) is blank or a label too (``keyless``).
    """
    found = np.zeros(len(grid), dtype=bool)
    loose = np.zeros(len(grid), dtype=bool)
    if not len(grid):
        return found
    for c, groups in distinct.items():
        hits = np.fromiter((is_label(u) for u in groups.uniques), dtype=bool, count=len(groups.uniques))
        if hits.any():
            if c in free:
                loose |= groups.rows_where(hits)
            else:
                found |= groups.rows_where(hits)
    for c in range(min(grid.shape[1], 4)):
        if c in distinct:
            continue
        for i in np.flatnonzero(_mentions_ji(grid[:, c])):
            found[i] |= is_label(grid[i, c])
    for i in np.flatnonzero(loose & ~found):
        found[i] = keyless(list(grid[i]), key)
    return found


def keyless(cells: list[object], key: tuple[int, ...]) -> bool:
    """Whether a row's key cells (受理日期, 期间) are all blank or total labels: a row that has a date
    is a record, whatever its brief says."""
    return all(c >= len(cells) or n.is_blank(cells[c]) or is_label(cells[c]) for c in key)


def is_total_row(cells: list[object], free: frozenset[int], key: tuple[int, ...]) -> bool:
    """Whether a row is a total by its shape: a label outside the free-text columns, or a label in one
    of them on a row whose key is blank (``total_rows``, for a row found only when it fails to parse)."""
    labels = [c for c, v in enumerate(cells) if is_label(v)]
    return any(c not in free for c in labels) or (bool(labels) and keyless(cells, key))


_has_ji = np.frompyfunc(lambda v: isinstance(v, str) and "计" in v, 1, 1)
_NOT_TEXT = frozenset([int, float, bool])


def _mentions_ji(cells: np.ndarray) -> np.ndarray:
    """Which cells are text holding 计 (a column of numbers, dates or marks holds none)."""
    if set(map(type, cells)) <= _NOT_TEXT | {type(None)} or not len(cells):
        return np.zeros(len(cells), dtype=bool)
    return np.asarray(_has_ji(cells), dtype=bool)


def _figure(value: object) -> float | None:
    """The number a total cell states (560, "560件", "合计：560"), or None."""
    if isinstance(value, bool) or n.is_blank(value):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _NUMBER.match(n.compact(value))
    return float(match.group(1).replace(",", "")) if match else None


_PLAIN_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?(?:件|人|次|个|元|万元|小时|学时|户|起)?$")


def _plain_number(value: object) -> float | None:
    """A cell that is a number ("12", "1,200元"), not text that ends in one (当事人12, 3号楼)."""
    if isinstance(value, str) and not _PLAIN_NUMBER.match(n.compact(value)):
        return None
    return n.to_number(value)


def _details(fr: Frame, c: int, kind: str, rows: np.ndarray) -> list[float]:
    """What a total of column ``c`` over ``rows`` (places in the frame) may state; the first is the one reported."""
    if c in fr.parsed and fr.parsed[c].boolean:  # marks: how many are marked
        return [float(col.flags(fr.parsed[c].array)[rows].sum())]
    if kind in _NUMBERS:
        return [float(np.asarray(col.filled(fr.parsed[c].array, 0), dtype="float64")[rows].sum())]
    raw = fr.raw[c][rows]
    numbers = np.array([_plain_number(v) for v in raw], dtype="float64")
    known = ~np.isnan(numbers)
    filled = int(sum(not n.is_blank(v) for v in raw))
    if known.any() and known.sum() * 2 >= max(1, filled):
        return [float(numbers[known].sum())]
    # A word column (调解结果, 调解方式): its total counts the rows, the filled ones, or one value.
    values = fr.parsed[c].array[rows] if c in fr.parsed else np.array([], dtype=object)
    counts = Counter(v for v, missing in zip(values.tolist(), col.isna(values), strict=True) if not missing)
    return [float(len(rows)), float(filled), *(float(v) for v in counts.values())]


def _columns(fr: Frame, cells: list[object]) -> list[tuple[int, str, float]]:
    """(column, kind, stated figure) for each cell of a total row that states a checkable figure."""
    found = []
    for c, value in enumerate(cells):
        kind = fr.spec.field(fr.columns[c]).kind if c in fr.columns else "text"
        if kind in _DATES or c not in fr.raw or is_label(value):
            continue
        figure = _figure(value)
        if figure is not None:
            found.append((c, kind, figure))
    return found


def _label(fr: Frame, c: int) -> str:
    return fr.labels[c] or f"第{c + 1}列"


def check(
    fr: Frame, totals: list[tuple[int, list[object]]], data_rows: np.ndarray, carried: dict[str, float]
) -> list[tuple[int, str, str | None, str]]:
    """Warnings for total rows whose figures match no span of detail rows they could cover.

    ``data_rows``: the frame's places of the detail rows. ``carried``: this dataset's figures over
    the file's earlier sheets, by column label, for 累计; this sheet's own figures are added to it
    for the sheets after.
    """
    found = []
    ordered = sorted(totals)
    rows_before = [data_rows[fr.excel_row[data_rows] < r] for r, _ in ordered]
    for k, (excel_row, cells) in enumerate(ordered):
        label = label_of(cells)
        spans = [np.setdiff1d(rows_before[k], rows_before[j]) for j in reversed(range(k))] + [rows_before[k]]
        if not any(word in label for word in ("小计", "本月", "本季", "季度", "月合计")):
            spans.reverse()  # a 合计 most likely covers all rows above it; a 小计, those since the last total
        if not len(rows_before[k]):  # a total under the header (as statistical tables put it) covers the rows below
            after = data_rows[fr.excel_row[data_rows] > excel_row]
            upto = ordered[k + 1][0] if k + 1 < len(ordered) else None
            spans = [after if upto is None else after[fr.excel_row[after] < upto], after]
        columns = _columns(fr, cells)
        cumulative = "累计" in label
        mismatches: list[tuple[int, float, float]] | None = None
        for span in spans:
            bad = [
                (c, stated, d[0]) for c, kind, stated in columns if not _near(stated, d := _details(fr, c, kind, span))
            ]
            if cumulative:
                bad = [(c, s, d) for c, s, d in bad if abs(d + carried.get(_label(fr, c), 0.0) - s) > 1e-6]
            if not bad:
                mismatches = []
                break
            mismatches = bad if mismatches is None else mismatches
        for c, stated, detail in mismatches or []:
            name = _label(fr, c)
            found.append((excel_row, name, n.as_text(cells[c]),
                          f"合计行与明细不符：{name} 合计 {_fmt(stated)}，明细 {_fmt(detail)}"))  # fmt: skip
    if ordered:
        for c, kind, _stated in _columns(fr, ordered[-1][1]):
            carried[_label(fr, c)] = carried.get(_label(fr, c), 0.0) + _details(fr, c, kind, data_rows)[0]
    return found


def _near(stated: float, candidates: list[float]) -> bool:
    return any(abs(stated - x) <= 1e-6 for x in candidates)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
