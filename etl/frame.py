"""A sheet's data rows as columns while they are parsed, and the problems found on the way.

The engine (``etl.parse``) fills a ``Frame`` with each column's raw cells and parsed values; a
dataset's builder (``etl.datasets``) reads its fields from it and records reasons to reject a
row (``error``) or to warn about one (``warn``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl import normalise as n
from etl.fields import Spec


@dataclass
class Frame:
    """A sheet's data rows as columns, plus the problems found while normalising them."""

    spec: Spec
    labels: list[str]
    columns: dict[int, str]  # column index -> field
    raw: dict[int, pd.Series]  # column index -> raw cells (kept rows only)
    excel_row: pd.Series
    title_year: int | None
    errors: list[tuple[str, pd.Series, pd.Series]] = field(default_factory=list)
    warns: list[tuple[str, pd.Series, pd.Series]] = field(default_factory=list)
    parsed: dict[int, n.Parsed] = field(default_factory=dict)

    def cols(self, name: str) -> list[int]:
        return [c for c, f in self.columns.items() if f == name]

    def has(self, name: str) -> bool:
        return bool(self.cols(name))

    def label(self, name: str) -> str:
        cols = self.cols(name)
        return self.labels[cols[0]] if cols else self.spec.field(name).label

    def text_of(self, name: str) -> pd.Series:
        """The field's first column as trimmed text (reusing the parse's distinct values)."""
        cols = self.cols(name)
        if cols and self.parsed[cols[0]].text is not None:
            return self.parsed[cols[0]].text
        return trimmed_text(self.raw_of(name))

    def raw_of(self, name: str) -> pd.Series:
        cols = self.cols(name)
        return self.raw[cols[0]] if cols else self.empty()

    def empty(self, value: object = None) -> pd.Series:
        return pd.Series([value] * len(self.excel_row), index=self.excel_row.index, dtype=object)

    def get(self, name: str, default: object = None) -> pd.Series:
        """The field's normalised values; several columns combine (marks: any; else first)."""
        cols = self.cols(name)
        if not cols:
            return self.empty(default)
        values = self.parsed[cols[0]].values
        for c in cols[1:]:
            other = self.parsed[c].values
            if pd.api.types.is_bool_dtype(values.dtype):
                values = (values.fillna(False) | other.fillna(False)).astype("boolean")
            else:
                values = values.combine_first(other) if values.dtype == other.dtype else values
        return values

    def error(self, column: str, value: pd.Series, reason: pd.Series) -> None:
        self.errors.append((column, value, reason))

    def warn(self, column: str, value: pd.Series, message: pd.Series) -> None:
        self.warns.append((column, value, message))

    def require(self, name: str) -> pd.Series:
        """The field's values, with "<label>为空" errors where nothing usable was typed."""
        values = self.get(name)
        cols = self.cols(name)
        unparsed = values.isna()
        for c in cols:  # a cell that failed to parse already carries its own reason
            if self.parsed[c].has_errors:
                unparsed &= self.parsed[c].errors.isna()
        reason = pd.Series(np.where(unparsed, f"{self.label(name)}为空", None), index=values.index, dtype=object)  # type: ignore[call-overload]
        self.error(self.label(name), self.raw_of(name), reason)
        return values


def trimmed_text(series: pd.Series) -> pd.Series:
    return n.text_column(series).values
