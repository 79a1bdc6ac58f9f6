"""The same record on two sheets of one workbook: a month's sheets and the year's, or a copy.

A ledger kept as 1月, 2月, … with a 全年汇总 sheet holding every row again is counted twice if each
sheet is read on its own, and nothing in any one sheet looks wrong. A record here is a row as the
parse reads it: every column of its table except where it came from (sheet, Excel row) and the
unrecognised columns (a 序号 renumbered on the year's sheet). The sheets are taken in workbook
order, and each is compared with the sheets counted before it:

- a sheet all of whose records are on earlier sheets is a summary or a copy: none of its rows is
  counted, and a note on the sheet says which sheets hold them (a person reading the workbook
  counts each dispute once, whichever sheet comes first);
- a record that is also on an earlier sheet, in a sheet that has others, is counted, and said.

The records of a dataset are only built once a second sheet of it comes: a workbook of one sheet
costs nothing.
"""

from __future__ import annotations

import math
from typing import Any

from etl import columns as col

Holder = tuple[str, int]  # the sheet and Excel row a record was first counted on
NOT_A_RECORD = frozenset({"source_file", "sheet", "excel_row", "extra"})


class Counted:
    """The tables counted so far in one workbook, per dataset."""

    def __init__(self) -> None:
        self._tables: dict[str, list[tuple[str, col.Columns]]] = {}
        self._index: dict[str, dict[tuple[object, ...], Holder]] = {}
        self._indexed: dict[str, int] = {}  # tables of the dataset already in its index

    def holders(self, dataset: str, table: col.Columns) -> list[Holder | None]:
        """For each row of ``table``, where an earlier sheet holds the same record, else None."""
        if not self._tables.get(dataset):
            return [None] * _length(table)
        index = self._index.setdefault(dataset, {})
        tables = self._tables[dataset]
        for sheet, earlier in tables[self._indexed.get(dataset, 0) :]:
            for record, row in zip(records(earlier), earlier["excel_row"].tolist(), strict=True):
                index.setdefault(record, (sheet, int(row)))
        self._indexed[dataset] = len(tables)
        return [index.get(record) for record in records(table)]

    def add(self, dataset: str, sheet: str, table: col.Columns) -> None:
        self._tables.setdefault(dataset, []).append((sheet, table))


def records(table: col.Columns) -> list[tuple[object, ...]]:
    """Each row of ``table`` as a tuple of its values (None where missing, a NaN too)."""
    names = sorted(name for name in table if name not in NOT_A_RECORD)
    values = [[None if isinstance(v, float) and math.isnan(v) else v for v in table[name].tolist()] for name in names]
    return list(zip(*values, strict=True)) if values else []


def _length(table: col.Columns) -> int:
    return len(next(iter(table.values()))) if table else 0


def notes(holders: list[Holder | None], excel_rows: Any) -> list[tuple[Any, str | None, str | None, str]]:
    """A warning for each row whose record an earlier sheet holds (``excel_rows``: the table's column)."""
    if not any(held is not None for held in holders):
        return []
    return [
        (row, "", None, f"与工作表「{held[0]}」第{held[1]}行的记录相同，可能重复计入；已按两行计入，请核对")
        for row, held in zip(excel_rows.tolist(), holders, strict=True)
        if held is not None
    ]


def copy_note(holders: list[Holder | None]) -> str:
    """The note on a sheet none of whose rows is counted, every one being held by an earlier sheet."""
    sheets = "".join(f"「{sheet}」" for sheet in dict.fromkeys(h[0] for h in holders if h is not None))
    return (
        f"本表 {len(holders)} 行的记录全部已在工作表{sheets}中（可能是汇总表或副本），未重复计入；"
        "如确是另外的记录，请核对后删去重复的工作表再导入"
    )
