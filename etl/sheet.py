"""The one shape every reader hands back: a worksheet as plain rows of cells, and how many cells
one file's sheets may hold together.

It lives on its own so that the format readers (``etl.readers`` and the modules it dispatches
to: ``etl.html_table``, ``etl.spreadsheetml``, and the scans before parsing in ``etl.unpacked``,
``etl.ods_extent``, ``etl.xls_extent``) can all build and count it without importing each other.
``etl.readers`` re-exports it; code outside the readers imports it from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.errors import FileError

Cell = object
MergedRange = tuple[tuple[int, int], tuple[int, int]]
CellRef = tuple[int, int]
MAX_CELLS = 20_000_000  # the largest grid one sheet, and all sheets of one file together, may spell out
# Merged areas one file may list. calamine reads them all when it opens an .xlsx or .xls, keeping each
# with its sheet's name and path, and each becomes Python tuples: ≈ 500 bytes an area, so a 5 MB
# .xlsx listing a million took 650 MB. A ledger merging two cells on every row of the largest sheet
# stays within this.
MAX_MERGED = 400_000
# Sheets one workbook may have. A town's workbook holds a sheet per month or village for some years (a few
# hundred at most); 150,000 empty sheets in a 48 MB .xlsx held the check for 9 minutes.
MAX_SHEETS = 1000


class CellBudget:
    """The cells all sheets of one file may take together: ``MAX_CELLS``, however many sheets it has.

    Every limit on one sheet can be met by each sheet of a file: a 6 KB .xls of four sheets that
    each hold cells A1 and IV65536 took 3.5 GB, and a 3-sheet .xlsx of A1 and XFD1200 1.5 GB. A
    reader charges each sheet's grid, counted as it will become Python rows (from row 1 and
    column A to the farthest cell), before the grid is built: ``check`` while a sheet's extent is
    still growing, ``take`` once it is known. One budget counts one pass over the file (a scan
    before parsing and calamine's grids after it each have their own).
    """

    def __init__(self, file_name: str, limit: int | None = None) -> None:
        self.file_name = file_name
        self.limit = MAX_CELLS if limit is None else limit
        self.taken = 0

    def check(self, cells: int) -> None:
        """Refuse the file when ``cells`` more than the sheets already taken pass the limit."""
        if self.taken + cells > self.limit:
            raise FileError.too_many_cells_in_file(self.file_name, self.taken + cells, self.limit)

    def take(self, cells: int) -> None:
        """Charge one sheet's grid, refusing the file when it passes the limit."""
        self.check(cells)
        self.taken += cells


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
    hidden_rows: list[int] = field(default_factory=list)  # 0-based rows the sheet hides (etl.hidden)
    hidden_columns: list[int] = field(default_factory=list)  # 0-based columns it hides
    struck: dict[int, list[int]] = field(default_factory=dict)  # 0-based row -> its struck-through columns (etl.struck)
