"""The cell parsers a field's ``kind`` names: the engine's own, and those its datasets add.

Each kind turns a column of raw cells (and, when the engine grouped it, its distinct values) into a
``normalise.Parsed``. Dataset-specific kinds (a dispute's outcome, a training form) are declared
with their dataset (``Dataset.kinds``); ``etl.parse`` joins the two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from etl import normalise as n
from etl.dates import FAR
from etl.names import town_problem

_DAY = n.date_parser(month=None)  # a month with no day is rejected: the day matters (filing in time)
_EXPIRY = n.date_parser(month="last", latest=FAR)  # valid until a month: its last day; years ahead


def _optional_date(cells: Any, distinct: n.Distinct | None = None, parser: n.CellParser = _DAY) -> n.Parsed:
    parsed = n.date_column(cells, distinct, parser)
    if parsed.has_errors:
        errors = parsed.errors
        failed = (errors != None) & (errors == errors)  # noqa: E711  (a reason, not None or NaN)
        warnings = np.full(len(errors), None, dtype=object)
        warnings[failed] = errors[failed] + "，已按未填处理"
        parsed.warnings = warnings
    parsed.errors = None
    return parsed


def _town(cells: Any, distinct: n.Distinct | None = None) -> n.Parsed:
    """A 乡镇 cell as text; one that is no plausible town name (``etl.names``) rejects its row."""
    parsed = n.text_column(cells, distinct)
    values = parsed.array
    problems = {u: town_problem(u) for u in dict.fromkeys(values) if isinstance(u, str)}
    if any(problems.values()):
        parsed.errors = np.array([problems.get(v) if isinstance(v, str) else None for v in values], dtype=object)
    return parsed


Kind = Callable[[Any, n.Distinct | None], n.Parsed]  # raw cells (object array), their groups
KINDS: dict[str, Kind] = {
    "date": n.date_column,
    "day": lambda s, d: n.date_column(s, d, _DAY),
    "optional_date": _optional_date,
    "expiry_date": lambda s, d: _optional_date(s, d, _EXPIRY),
    "text": n.text_column,
    "town": _town,
    "person": lambda s, d: n.column(s, n.parse_person, d),
    "mark": lambda s, d: n.bool_column(s, n.parse_mark, d),
    "optional_mark": lambda s, d: n.bool_column(s, n.parse_optional_mark, d),
    "mark_text": lambda s, d: n.bool_column(s, n.parse_mark_or_text, d),
    "mark_date": lambda s, d: n.bool_column(s, n.parse_mark_or_date, d),
    "number": lambda s, d: n.number_column(s),
    "integer": lambda s, d: n.number_column(s, integer=True),
    "rate": n.rate_column,
}
UNGROUPED_KINDS = frozenset(["number", "integer"])  # converted in one step; grouping them costs more than it saves
