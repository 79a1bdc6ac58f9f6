"""The names ``pages/report.py`` still imports from here, until it imports them from their homes.

Not a page, and nothing new goes here: the view lives in ``pages.view``, the cache in
``pages.cache``, headings in ``pages.heading``, tables in ``pages.tables``, charts in
``pages.figures``, tiles in ``pages.tiles``, the scorecard in ``pages.scores``.
"""

from __future__ import annotations

from pages.cache import data_version
from pages.heading import empty_state, has_data
from pages.tables import status_style
from pages.view import context, t, today

__all__ = ["context", "data_version", "empty_state", "has_data", "status_style", "t", "today"]
