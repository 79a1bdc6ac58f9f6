"""Tables side by side on one sheet: the same header block again to the right (上半年 in A–E, 下半年
in G–K), each block a table of its own.

Read as one table, the second block's columns would be synonyms of the first's (``Frame.get`` keeps
the first non-blank value), so the right-hand table's rows would vanish. ``blocks`` finds the
column spans of such a sheet; ``block_sheet`` makes the sheet as one block alone would be, every
other cell blank, so that each block is parsed exactly like a sheet of its own, with its rows' Excel
numbers and cell references unchanged (``etl.parse`` parses each and joins them).
"""

from __future__ import annotations

from collections.abc import Callable

from etl.headers import HeaderInfo
from etl.sheet import Sheet

Span = tuple[int, int]  # columns [first, end) of one block


def blocks(columns: dict[int, str], labels: list[str], is_table: Callable[[set[str]], bool]) -> list[Span]:
    """The blocks' column spans, left to right, when the recognised columns are one block's fields
    repeated in the same order (two or more times, each block a table by ``is_table``); else [].

    A block takes the unrecognised columns to its right (备注, a blank separator) and, on its left,
    those that repeat the first block's leading columns (序号)."""
    order = sorted(columns)
    fields = [columns[c] for c in order]
    for size in range(2, len(fields) // 2 + 1):
        count, rest = divmod(len(fields), size)
        block = fields[:size]
        if rest or fields != block * count or len(set(block)) < 2 or not is_table(set(block)):
            continue
        starts = [order[j * size] for j in range(count)]
        for j in range(1, count):
            previous_end = order[j * size - 1]
            lead = 1
            while (
                starts[0] - lead >= 0
                and starts[j] - lead > previous_end
                and labels[starts[0] - lead]
                and labels[starts[j] - lead] == labels[starts[0] - lead]
            ):
                lead += 1
            starts[j] -= lead - 1
        starts[0] = 0
        return list(zip(starts, [*starts[1:], max(len(labels), order[-1] + 1)], strict=True))
    return []


def block_sheet(sheet: Sheet, header: HeaderInfo, span: Span, last: bool) -> tuple[Sheet, HeaderInfo]:
    """The sheet and header as they would be with only the block's columns filled in; the ``last``
    block keeps the cells right of the header too (read as unnamed extra columns, as before)."""
    first, end = span

    def inside(c: int) -> bool:
        return first <= c and (last or c < end)

    rows = [[v if inside(c) else "" for c, v in enumerate(row)] for row in sheet.rows]
    labels = [label if inside(c) else "" for c, label in enumerate(header.labels)]
    return (
        Sheet(
            sheet.name,
            rows,
            [m for m in sheet.merged if inside(m[0][1])],
            [cell for cell in sheet.uncached if inside(cell[1])],
            sheet.hidden,
            [cell for cell in sheet.cleaned if inside(cell[1])],
            sheet.hidden_rows,
            [c for c in sheet.hidden_columns if inside(c)],
            {r: kept for r, cols in sheet.struck.items() if (kept := [c for c in cols if inside(c)])},
        ),
        HeaderInfo(header.row, header.depth, labels, header.titles),
    )


def column_letters(c: int) -> str:
    """0-based column as Excel names it: 0 -> A, 26 -> AA."""
    letters = ""
    c += 1
    while c:
        c, rest = divmod(c - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def span_name(span: Span, labels: list[str]) -> str:
    """A block's columns as a person finds them, to its last headed column: A–E列."""
    last = max((c for c in range(*span) if c < len(labels) and labels[c]), default=span[1] - 1)
    return f"{column_letters(span[0])}–{column_letters(last)}列"
