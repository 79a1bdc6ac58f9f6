"""Columns as the load path holds them: numpy arrays, one kind of array per kind of value.

The parse keeps every column as a numpy array, so loading a file needs numpy and DuckDB but not
pandas (whose import alone costs ≈ 0.25 s of CPU, a fifth of reading a 100,000-row ledger):

- text: an object array, None where blank;
- numbers: float64, NaN where blank;
- dates: ``datetime64[D]``, NaT where blank;
- yes/no marks and whole numbers that may be blank: a masked array (``numpy.ma``) of bool or
  int64, masked where blank; a mark that can't be blank is a plain bool array.

DuckDB scans a dict of such arrays as a table (``for_duckdb`` makes each one a kind it reads:
NaN, NaT and None are NULL). ``as_series`` and ``as_frame`` give the pandas types callers
outside the load path expect (preview, pages, tests), importing pandas only then.
"""

from __future__ import annotations

from typing import Any

import numpy as np

NOT_A_DAY = np.datetime64("NaT", "D")
# A column: a numpy array or masked array. numpy's stubs type masked arrays, ``np.where`` and
# ``np.ma.filled`` loosely, so columns are typed as Any and each function says what it returns.
Column = Any
Columns = dict[str, Column]  # column name -> column, all of one length


def booleans(values: np.ndarray) -> np.ma.MaskedArray:
    """True/False/None (or NaN) cells as a bool array masked where None."""
    missing = np.fromiter((v is None or v != v for v in values), dtype=bool, count=len(values))
    data = np.fromiter((v is True or (not m and bool(v)) for v, m in zip(values, missing, strict=True)), dtype=bool,
                       count=len(values))  # fmt: skip
    return np.ma.MaskedArray(data, mask=missing)


def integers(numbers: np.ndarray) -> np.ma.MaskedArray:
    """Floats as whole numbers (rounded), masked where NaN."""
    missing = np.isnan(numbers)
    return np.ma.MaskedArray(np.where(missing, 0, np.round(numbers)).astype("int64"), mask=missing)


def days_to_dates(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 (numbers, NaN or None where no date) as ``datetime64[D]``."""
    numbers = np.array(days, dtype="float64")
    dates = np.full(len(numbers), NOT_A_DAY)
    known = ~np.isnan(numbers)
    dates[known] = numbers[known].astype("int64").astype("datetime64[D]")
    return dates


def blank(count: int, value: object = None) -> np.ndarray:
    """An object column of ``count`` copies of ``value``."""
    return np.full(count, value, dtype=object)


def no_dates(count: int) -> np.ndarray:
    return np.full(count, NOT_A_DAY)


def no_integers(count: int) -> np.ma.MaskedArray:
    return np.ma.MaskedArray(np.zeros(count, dtype="int64"), mask=np.ones(count, dtype=bool))


def isna(array: Any) -> Column:
    """Where a column has no value, as a bool array."""
    if isinstance(array, np.ma.MaskedArray):
        return np.ma.getmaskarray(array).copy()
    if array.dtype.kind == "f":
        return np.isnan(array)
    if array.dtype.kind == "M":
        return np.isnat(array)
    if array.dtype == object:  # elementwise in C: None, and NaN (the one value unequal to itself)
        return np.asarray((array == None) | (array != array), dtype=bool)  # noqa: E711
    return np.zeros(len(array), dtype=bool)


def filled(array: Any, value: object) -> Column:
    """The column with ``value`` where it has none (masked arrays become plain arrays)."""
    if isinstance(array, np.ma.MaskedArray):
        return np.ma.filled(array, value)  # type: ignore[call-overload]
    missing = isna(array)
    if not missing.any():
        return array
    out = array.copy() if array.dtype == object or array.dtype.kind in "fM" else array.astype(object)
    out[missing] = value
    return out


def floats(array: Any) -> Column:
    """Numbers (plain or masked) as float64, NaN where blank."""
    if isinstance(array, np.ma.MaskedArray):
        return np.where(np.ma.getmaskarray(array), np.nan, array.data.astype("float64"))
    return np.asarray(array, dtype="float64")


def flags(array: Any) -> Column:
    """Yes/no marks as a plain bool array, unknown as False."""
    return np.asarray(filled(array, False), dtype=bool)


def combine_first(first: Column, other: Column) -> Column:
    """``first``, with ``other``'s values where ``first`` has none."""
    missing = isna(first)
    if not missing.any():
        return first
    if isinstance(first, np.ma.MaskedArray):
        out = first.copy()
        out[missing] = other[missing]
        return out
    out = first.copy() if first.dtype == object or first.dtype.kind in "fM" else first.astype(object)
    out[missing] = np.asarray(other, dtype=out.dtype)[missing] if out.dtype != object else as_objects(other)[missing]
    return out


def as_objects(array: Any) -> Column:
    """The column as an object array, None where blank in a masked array."""
    if isinstance(array, np.ma.MaskedArray):
        out = array.data.astype(object)
        out[np.ma.getmaskarray(array)] = None
        return out
    return np.asarray(array, dtype=object)


def where(mask: np.ndarray, value: object, count: int | None = None) -> np.ndarray:
    """An object column: ``value`` where ``mask`` holds, None elsewhere (messages per row)."""
    out = np.full(len(mask) if count is None else count, None, dtype=object)
    out[np.asarray(mask, dtype=bool)] = value
    return out


# --- leaving the load path -----------------------------------------------------------------------


def for_duckdb(array: Any) -> Column:
    """The column as an array DuckDB's numpy scan reads, blanks as NULL."""
    if isinstance(array, np.ma.MaskedArray):
        if array.dtype == np.bool_:
            return as_objects(array)
        return floats(array)
    if array.dtype.kind == "M":
        return array.astype("datetime64[s]")  # DuckDB's scan reads s, ms, us and ns, not days
    return np.asarray(array)


def as_series(array: Any, name: str | None = None) -> Any:
    """The column as the pandas Series the pandas-based code expected before (imports pandas)."""
    import pandas as pd

    if isinstance(array, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(array)
        if array.dtype == np.bool_:
            return pd.Series(pd.arrays.BooleanArray(array.data.copy(), mask.copy()), name=name)
        return pd.Series(pd.arrays.IntegerArray(array.data.astype("int64"), mask.copy()), name=name)
    if array.dtype.kind == "M":
        return pd.Series(array.astype("datetime64[us]"), name=name)
    return pd.Series(array, name=name, dtype=array.dtype, copy=False)


def as_frame(columns: Columns, order: list[str] | tuple[str, ...] | None = None) -> Any:
    """The columns as a pandas DataFrame (imports pandas)."""
    import pandas as pd

    names = list(order) if order is not None else list(columns)
    return pd.DataFrame({name: as_series(columns[name]) for name in names}, columns=names)
