"""The pages' one cache: ``cached(function)``, and the database path and data version it keys on.

Not a page (the router registers pages explicitly). Every result a page draws comes through a
function decorated here, whether it asks DuckDB (an ``analytics.queries`` function) or builds a
figure from what it asked (a page's chart builder); pages never open a cursor themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import duckdb
import plotly.graph_objects as go
import streamlit as st

from analytics import db

P = ParamSpec("P")
R = TypeVar("R")
MAX_ENTRIES = 1024  # per function: every period × town × language a session might look at, and more


def db_path() -> Path:
    return db.db_path()


def data_version() -> tuple[int, int, int]:
    """Changes when a load swaps in a new database file; part of every cache key."""
    return db.data_version(db_path())


def cached(function: Callable[Concatenate[duckdb.DuckDBPyConnection, P], R]) -> Callable[P, R]:
    """``function(cur, *args, **kwargs)`` as ``cached(function)(*args, **kwargs)``, cached.

    The contract:
    - the result is kept per (database path, data version, function, arguments): a load swaps in
      a new file and so a new version, and a view seen again asks DuckDB nothing;
    - ``cur`` is opened by the decorator on a miss only (a cursor of the process-wide read-only
      connection, ``analytics.db.reader``) and closed after; the function reads through it, or
      through other cached functions, and draws nothing;
    - the arguments are what ``st.cache_data`` hashes: ``Period`` (a frozen dataclass), str, None,
      numbers, dates and tuples of them, or a ``view.Context``;
    - plotly figures in the result (top level or in a tuple) are stored as plain dicts and come back
      as ``go.Figure``: a figure pickles slowly, and a house-style one costs ≈ 100 ms to build.
    """

    def run(path: str, version: tuple[int, int, int], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        cur = db.reader(path).cursor()
        try:
            return _freeze(function(cur, *args, **kwargs))
        finally:
            cur.close()

    # st.cache_data tells functions apart by module and qualified name; every ``run`` has the same
    # ones, and page scripts all run as ``__main__``, so name it by the function and its file.
    run.__module__ = function.__module__
    run.__qualname__ = f"{function.__qualname__}@{function.__code__.co_filename}"
    store = st.cache_data(run, show_spinner=False, max_entries=MAX_ENTRIES)

    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        path = db_path()
        return _thaw(store(str(path), db.data_version(path), args, kwargs))  # type: ignore[no-any-return]

    # Named like the function, but without ``__wrapped__``: callers don't pass the cursor.
    call.__name__, call.__qualname__, call.__doc__ = function.__name__, function.__qualname__, function.__doc__
    return call


class _FigureDict(dict):  # type: ignore[type-arg]
    """A plotly figure as the plain dict ``st.cache_data`` stores."""


def _freeze(value: Any) -> Any:
    if isinstance(value, go.Figure):
        return _FigureDict(value.to_dict())
    if isinstance(value, tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, _FigureDict):
        # Validated when it was built; validating again costs as much as building it.
        return go.Figure(value, _validate=False)
    if isinstance(value, tuple):
        return tuple(_thaw(v) for v in value)
    return value
