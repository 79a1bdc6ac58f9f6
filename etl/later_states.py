"""A record listed again on a later sheet of its workbook (上月结转): its later state, counted once.

A town keeping one sheet a month lists a case still 调解中 at the end of March again on the April
sheet, with the same 编号 and 受理日期 and its final result. Each sheet read on its own, the case was
two disputes, one of them still in mediation. A row of a later sheet whose record id (编号, 文号, 案号)
and date (受理日期, 印发日期) an earlier sheet's row of the same town also has, and which differs from
it in something read (its result), is that record's later state: the later row is counted, the
earlier one is not, and both rows say so. Rows the same in everything read are left to
``etl.across_sheets`` (a copy of a sheet, or a record typed twice: counted as it says). Without an
id, two rows are not taken for one: a date and a party may repeat across two real cases.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from etl import across_sheets
from etl import normalise as n
from etl.datasets import DATASETS

_BRACKETS = str.maketrans("〔〕【】[]［］（）", "()()()()()")


class _Result(Protocol):
    sheet: str
    dataset: str
    header_map: dict[str, str]
    table: Any
    warning_rows: list[tuple[Any, ...]]


def _key(value: object) -> str:
    return n.compact(value).translate(_BRACKETS) if isinstance(value, str) else ""


def _shown(value: object) -> str:
    return str(value)[:10] if isinstance(value, np.datetime64) or hasattr(value, "isoformat") else str(value)


def _later(
    results: list[_Result],
    file_name: str,
    later: tuple[int, int],
    held: list[tuple[int, int]],
    said: str,
    label: str,
    value: str,
) -> None:
    """Say on the later row and on each earlier one which is counted; an earlier row's note that it was
    counted as a copy of a row before it (``across_sheets.notes``) no longer holds and goes."""
    result = results[later[0]]
    row = int(result.table["excel_row"][later[1]])
    where = "、".join(f"「{results[j].sheet}」第{int(results[j].table['excel_row'][b])}行" for j, b in held)
    result.warning_rows.append((file_name, result.sheet, row, label, value,
        f"{said}在工作表{where}已列出，本行是同一件的后来情况；按本行计入一件，那里的未计入，请核对"))  # fmt: skip
    for j, before in held:
        other = results[j]
        earlier_row = int(other.table["excel_row"][before])
        other.warning_rows[:] = [w for w in other.warning_rows if not (w[2] == earlier_row and "可能重复计入" in w[5])]
        other.warning_rows.append((file_name, other.sheet, earlier_row, label, value,
            f"{said}在工作表「{result.sheet}」第{row}行再次列出（后来的情况）；按那一行计入，本行未计入，请核对"))  # fmt: skip


def count_later_states(results: list[_Result], file_name: str) -> None:
    """Drop from earlier sheets' tables each row a later sheet lists again in a later state, saying so
    on both rows (``results`` in workbook order; their tables are changed in place)."""
    seen: dict[tuple[object, ...], list[tuple[int, int]]] = {}  # (dataset, town, id, date) -> its rows so far
    dropped: dict[int, set[int]] = {}
    records: dict[int, list[tuple[object, ...]]] = {}
    for k, result in enumerate(results):
        dataset = DATASETS[result.dataset]
        rid, dated = dataset.record_id, dataset.dated_by
        table = result.table
        if rid is None or dated is None or rid not in table or dated not in table or not len(table[rid]):
            continue
        label = next((h for h, f in result.header_map.items() if f == rid), dataset.spec.field(rid).label)
        rows = zip(table["town"].tolist(), table[rid].tolist(), table[dated].tolist(), strict=True)
        for place, (town, value, day) in enumerate(rows):
            key = (result.dataset, town, _key(value), day)
            if not key[2] or day is None or (isinstance(day, float) and np.isnan(day)):
                continue
            held = [(j, before) for j, before in seen.get(key, []) if j != k and before not in dropped.get(j, set())]
            seen.setdefault(key, []).append((k, place))
            mine = records.setdefault(k, across_sheets.records(table))
            if not held or all(mine[place] == records.setdefault(j, across_sheets.records(results[j].table))[before]
                               for j, before in held):  # fmt: skip
                continue  # the same in everything read as every earlier row: across_sheets says it
            _later(results, file_name, (k, place), held, f"{label}「{value}」（{_shown(day)}）", label, str(value))
            for j, before in held:
                dropped.setdefault(j, set()).add(before)
    for j, places in dropped.items():
        table = results[j].table
        keep = np.ones(len(table["excel_row"]), dtype=bool)
        keep[sorted(places)] = False
        results[j].table = {name: values[keep] for name, values in table.items()}
