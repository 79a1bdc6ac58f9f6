"""The one shape every reader hands back: a worksheet as plain rows of cells.

It lives on its own so that the format readers (``etl.readers`` and the modules it dispatches
to: ``etl.html_table``, ``etl.spreadsheetml``) can all build it without importing each other.
``etl.readers`` re-exports it; code outside the readers imports it from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Cell = object
MergedRange = tuple[tuple[int, int], tuple[int, int]]
CellRef = tuple[int, int]
MAX_CELLS = 20_000_000  # the largest grid a text format may spell out (≈ 1M rows × 20 columns)


@dataclass
class Sheet:
    """One worksheet: ``rows[i]`` is Excel row ``i + 1``; ``merged`` ranges are 0-based, inclusive.

    Cells are str, float, int, bool, datetime or date ('' when empty). A merged range keeps its
    value in the top-left cell and '' in the others. ``uncached`` lists the 0-based (row, column)
    of every formula cell the file holds no computed value for (the cell reads as ''); such a cell
    may lie below or right of ``rows``, since a reader's grid ends at the last cell with a value.
    ``cleaned`` lists the 0-based (row, column) of the text cells the reader removed NUL or other
    control characters from (``etl.readers``), so the parse can say which cells it changed.
    """

    name: str
    rows: list[list[Cell]]
    merged: list[MergedRange] = field(default_factory=list)
    uncached: list[CellRef] = field(default_factory=list)
    hidden: bool = False  # hidden in the workbook: a person looking at the file doesn't see it
    cleaned: list[CellRef] = field(default_factory=list)  # cells control characters were removed from
