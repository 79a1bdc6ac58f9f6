"""A sheet's data rows as columns while they are parsed, and the problems found on the way.

The engine (``etl.parse``) fills a ``Frame`` with each column's raw cells and parsed values; a
dataset's builder (``etl.datasets``) reads its fields from it and records reasons to reject a
row (``error``) or to warn about one (``warn``). Every column is a numpy array over the sheet's
kept rows, in order (``etl.columns`` says which kind of array holds which kind of value); no
pandas on the load path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from etl import columns as col
from etl import normalise as n
from etl.fields import Spec

Problem = tuple[str, np.ndarray, np.ndarray]  # (column label, raw cells, message or None per row)


@dataclass
class Frame:
    """A sheet's data rows as columns, plus the problems found while normalising them."""

    spec: Spec
    labels: list[str]
    columns: dict[int, str]  # column index -> field
    raw: dict[int, np.ndarray]  # column index -> raw cells (kept rows only)
    excel_row: np.ndarray  # int64, per kept row
    title_year: int | None
    context: tuple[str, ...] = ()  # the sheet's name and the titles above its header (珠龙镇2024年调解员培训台账)
    errors: list[Problem] = field(default_factory=list)
    warns: list[Problem] = field(default_factory=list)
    parsed: dict[int, n.Parsed] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (column label, message) said once for the sheet

    def __len__(self) -> int:
        return len(self.excel_row)

    def cols(self, name: str) -> list[int]:
        return [c for c, f in self.columns.items() if f == name]

    def has(self, name: str) -> bool:
        return bool(self.cols(name))

    def label(self, name: str) -> str:
        cols = self.cols(name)
        return self.labels[cols[0]] if cols else self.spec.field(name).label

    def text_of(self, name: str) -> col.Column:
        """The field's cells as trimmed text (reusing the parse's distinct values); several columns
        combine as ``get`` does: the first column's text, the next one's where it is blank."""
        cols = self.cols(name)
        if not cols:
            return trimmed_text(self.empty())
        texts = [self._text(c) for c in cols]
        combined = texts[0]
        for other in texts[1:]:
            combined = col.combine_first(combined, other)
        return combined

    def _text(self, c: int) -> col.Column:
        text = self.parsed[c].text
        return text if text is not None else trimmed_text(self.raw[c])

    def raw_of(self, name: str) -> np.ndarray:
        cols = self.cols(name)
        return self.raw[cols[0]] if cols else self.empty()

    def empty(self, value: object = None) -> np.ndarray:
        return col.blank(len(self), value)

    def get(self, name: str, default: object = None) -> Any:
        """The field's normalised values; several columns combine (marks: any; else first)."""
        cols = self.cols(name)
        if not cols:
            return self.empty(default)
        values = self.parsed[cols[0]].array
        for c in cols[1:]:
            other = self.parsed[c].array
            if values.dtype == np.bool_:
                values = np.ma.MaskedArray(col.flags(values) | col.flags(other), mask=np.zeros(len(self), dtype=bool))
            elif values.dtype == other.dtype:
                values = col.combine_first(values, other)
        return values

    def flag(self, name: str, default: bool = False) -> col.Column:
        """A yes/no field as a plain bool array, ``default`` where unknown or absent."""
        return np.asarray(col.filled(self.get(name, default), default), dtype=bool)

    def error(self, column: str, value: np.ndarray, reason: np.ndarray) -> None:
        self.errors.append((column, value, reason))

    def warn(self, column: str, value: np.ndarray, message: np.ndarray) -> None:
        self.warns.append((column, value, message))

    def note(self, column: str, message: str) -> None:
        """A warning about the sheet as a whole (how a column was read), said once."""
        self.notes.append((column, message))

    def require(self, name: str, values: Any = None) -> Any:
        """The field's values (or ``values``, the dataset's reading of them), with "<label>为空" errors
        where nothing usable was typed."""
        values = self.get(name) if values is None else values
        cols = self.cols(name)
        unparsed = col.isna(values)
        for c in cols:  # a cell that failed to parse already carries its own reason
            if self.parsed[c].has_errors:
                unparsed &= col.isna(self.parsed[c].errors)
        self.error(self.label(name), self.raw_of(name), col.where(unparsed, f"{self.label(name)}为空"))
        return values


def trimmed_text(cells: np.ndarray) -> col.Column:
    return n.text_column(cells).array
