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

from analytics import access, db
from analytics.access import masked as masked_copy

P = ParamSpec("P")
R = TypeVar("R")
MAX_ENTRIES = 1024  # per function: every period × town × language a session might look at, and more


def db_path() -> Path:
    return db.db_path()


def data_version() -> tuple[int, int, int]:
    """Changes when a load swaps in a new database file; part of every cache key."""
    return db.data_version(db_path())


def cached(function: Callable[Concatenate[duckdb.DuckDBPyConnection, P], R], *, masked: bool = False) -> Callable[P, R]:
    """``function(cur, *args, **kwargs)`` as ``cached(function)(*args, **kwargs)``, cached.

    The contract:
    - the result is kept per (database path, data version, what the person signed in may read,
      function, arguments): a load swaps in a new file and so a new version, a view seen again asks
      DuckDB nothing, and no one is served a result computed for someone who may read more;
    - the person is the one signed in to the session, or outside a script run (a download's data,
      built on its click) the one ``access.acting`` named: ``_person``;
    - ``cur`` is opened by the decorator on a miss only and closed after: a cursor that sees only
      the person's towns (``analytics.db.reader``), or with ``masked=True`` (自助分析) one on their
      masked copy of the ``v_*`` views (``analytics.access.masked``); the function reads through
      it, or through other cached functions, and draws nothing;
    - the arguments are what ``st.cache_data`` hashes: ``Period`` (a frozen dataclass), str, None,
      numbers, dates and tuples of them, or a ``view.Context``;
    - plotly figures in the result (top level or in a tuple) are stored as plain dicts and come back
      as ``go.Figure``: a figure pickles slowly, and a house-style one costs ≈ 100 ms to build.
    """

    def run(
        path: str, version: tuple[int, int, int], scope: object, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        cur = masked_copy.cursor(path) if masked else db.reader(path).cursor()
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
        with access.acting(_person()) as who:
            return _thaw(store(str(path), db.data_version(path), who.scope, args, kwargs))  # type: ignore[no-any-return]

    # Named like the function, but without ``__wrapped__``: callers don't pass the cursor.
    call.__name__, call.__qualname__, call.__doc__ = function.__name__, function.__qualname__, function.__doc__
    return call


def _person() -> access.Principal:
    """Who a cached read is for: in a script run, the person signed in to the session; outside one (a
    download's data, built on the click in Streamlit's worker thread), the person ``access.acting``
    named when the button was drawn (``pages.tables.audited``), or ``auth.OutsideRun`` when nobody was:
    never the sign-in page, which drawn from there breaks every later session (see ``OutsideRun``)."""
    from pages import auth  # (auth reads the view, which reads through this module)

    if auth.in_run():
        return auth.principal()
    named = access.named()
    if named is None:
        raise auth.OutsideRun("a cached read outside a script run with nobody named: wrap it in access.acting(who)")
    return named


def cached_masked(function: Callable[Concatenate[duckdb.DuckDBPyConnection, P], R]) -> Callable[P, R]:
    """``cached(function, masked=True)``: 自助分析's reads, on the person's masked copy of the views."""
    return cached(function, masked=True)


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
