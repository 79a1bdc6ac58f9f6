"""Replacing a source: what a new version would take away, and when a person must confirm it first.

A file with the same name for the same dataset and town replaces the earlier load whole
(``etl.load.earlier_versions``). Usually that is the same ledger brought up to date: the same
years, a few more rows. It needs an explicit confirmation when, for a dataset and town the
replaced load held:

- the new file has fewer than half its rows (a 4-row file replacing 4,417 rows), or
- a year the replaced load had rows in has none in the new file (its figures would stop counting).

``losses`` measures this on the stored rows and the parsed file. ``etl.load.store`` refuses an
unconfirmed one (``ReplaceNotConfirmed``), the data page asks for a tick that names what goes,
and ``python -m etl load`` asks for ``--replace``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import duckdb
import numpy as np

from etl import columns as col
from etl.datasets import DATASETS
from etl.parse import FileResult, SheetResult

SHRINK = 0.5  # a new version with fewer than half the replaced rows needs a confirmation
YEAR_COLUMNS = ("received_date", "issued_date", "session_date", "period_start", "roster_year")  # first one present


@dataclass(frozen=True)
class Loss:
    """One dataset and town of a replaced load, against what the new file has for them."""

    load_id: int
    file_name: str
    dataset: str
    town: str
    old_rows: int
    old_years: tuple[int, ...]
    new_rows: int
    new_years: tuple[int, ...]

    @property
    def key(self) -> tuple[int, str, str]:
        return self.load_id, self.dataset, self.town

    @property
    def lost_years(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.old_years) - set(self.new_years)))

    @property
    def shrinks(self) -> bool:
        return self.new_rows < self.old_rows * SHRINK

    @property
    def needs_confirmation(self) -> bool:
        return self.shrinks or bool(self.lost_years)

    def message(self) -> str:
        """将替换导入 #15（矛盾纠纷台账，珠龙镇，2016–2025 年，4,417 行），新文件只有 2024 年 4 行；…"""
        label = DATASETS[self.dataset].name if self.dataset in DATASETS else self.dataset
        old = f"{year_spans(self.old_years)} 年，" if self.old_years else ""
        text = f"将替换导入 #{self.load_id}「{self.file_name}」（{label}，{self.town}，{old}{self.old_rows:,} 行），"
        if not self.new_rows:
            text += "新文件没有这部分数据"
        else:
            new = f"{year_spans(self.new_years)} 年 " if self.new_years else ""
            text += f"新文件只有 {new}{self.new_rows:,} 行"
        if self.lost_years:
            return text + f"；{year_spans(self.lost_years)} 年的数据将不再统计"
        return text + f"，将少统计 {self.old_rows - self.new_rows:,} 行"


class ReplaceNotConfirmed(Exception):
    """A load would replace far more than it brings and nobody confirmed it; nothing was written."""

    def __init__(self, losses: list[Loss]) -> None:
        self.losses = losses
        super().__init__("；".join(loss.message() for loss in losses))


def year_spans(years: Iterable[int], separator: str = "、") -> str:
    """2016–2023、2025: consecutive years as one span."""
    spans: list[list[int]] = []
    for year in sorted(set(years)):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return separator.join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def losses(con: duckdb.DuckDBPyConnection, result: FileResult, replaced: list[int]) -> list[Loss]:
    """Every dataset and town of the ``replaced`` loads that loading ``result`` would lose too much of."""
    if not replaced:
        return []
    incoming = _incoming(result)
    found = []
    for load_id, file_name, dataset, town, rows, sheets in con.execute(
        """SELECT s.load_id, l.file_name, s.dataset, s.town, sum(s.rows_loaded)::INTEGER, list(s.sheet)
           FROM load_sheets s JOIN loads l USING (load_id)
           WHERE s.load_id IN (SELECT unnest(?::INTEGER[]))
           GROUP BY ALL ORDER BY s.load_id, s.dataset, s.town""",
        [replaced],
    ).fetchall():
        new_rows, new_years = incoming.get((dataset, town), (0, ()))
        loss = Loss(
            int(load_id), file_name, dataset, town, int(rows), _stored_years(con, load_id, dataset, sheets),
            new_rows, new_years,
        )  # fmt: skip
        if loss.needs_confirmation:
            found.append(loss)
    return found


def unconfirmed(found: list[Loss], confirmed: bool | Collection[int | tuple[int, str, str]]) -> list[Loss]:
    """The losses nobody confirmed: ``True`` confirms all; a collection confirms the loads whose ids it
    holds, or each loss whose ``key`` it holds (what the person was shown: a part of a load they were not
    shown stays unconfirmed)."""
    if confirmed is True:
        return []
    given = set() if confirmed is False else set(confirmed)
    return [loss for loss in found if loss.load_id not in given and loss.key not in given]


def _year_column(columns: Iterable[str]) -> str | None:
    present = set(columns)
    return next((c for c in YEAR_COLUMNS if c in present), None)


def _years(sheet: SheetResult) -> set[int]:
    column = _year_column(sheet.table)
    if column is None or not sheet.row_count:
        return set()
    values = sheet.table[column]
    if column == "roster_year":
        numbers = col.floats(values)
        return {int(v) for v in numbers[~np.isnan(numbers)]}
    dates = np.asarray(values, dtype="datetime64[D]")
    return {int(y) + 1970 for y in dates[~np.isnat(dates)].astype("datetime64[Y]").astype("int64")}


def _incoming(result: FileResult) -> dict[tuple[str, str], tuple[int, tuple[int, ...]]]:
    rows: dict[tuple[str, str], int] = {}
    years: dict[tuple[str, str], set[int]] = {}
    for sheet in result.sheets:
        key = (sheet.dataset, sheet.town)
        rows[key] = rows.get(key, 0) + sheet.row_count
        years.setdefault(key, set()).update(_years(sheet))
    return {key: (rows[key], tuple(sorted(years[key]))) for key in rows}


def _stored_years(con: duckdb.DuckDBPyConnection, load_id: int, dataset: str, sheets: list[str]) -> tuple[int, ...]:
    if dataset not in DATASETS:
        return ()
    columns = [r[0] for r in con.execute(f"SELECT * FROM {dataset} LIMIT 0").description]
    column = _year_column(columns)
    if column is None:
        return ()
    year = f"{column}::INTEGER" if column == "roster_year" else f"year({column})"
    rows = con.execute(
        f"""SELECT DISTINCT {year} FROM {dataset}
            WHERE load_id = ? AND sheet IN (SELECT unnest(?::VARCHAR[])) AND {column} IS NOT NULL ORDER BY 1""",
        [load_id, sheets],
    ).fetchall()
    return tuple(int(r[0]) for r in rows)
