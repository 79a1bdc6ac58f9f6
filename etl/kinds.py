"""The cell parsers a field's ``kind`` names: the engine's own, and those its datasets add.

Each kind turns a column of raw cells (and, when the engine grouped it, its distinct values) into a
``normalise.Parsed``. Dataset-specific kinds (a dispute's outcome, a training form) are declared
with their dataset (``Dataset.kinds``); ``etl.parse`` joins the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from etl import normalise as n
from etl.dates import FAR
from etl.names import town_problem

_DAY = n.date_parser(month=None)  # a month with no day is rejected: the day matters (filing in time)
_EXPIRY = n.date_parser(month="last", latest=FAR)  # valid until a month: its last day; years ahead
# 证件有效期 as a certificate prints it: a span (2022.01.01-2027.12.31, 2022年1月1日至2027年12月31日), an end
# (至2027年12月, 2027年12月31日止), or no end at all (长期, 长期有效)
_SPAN_END = re.compile(r"^(?:.*?(?:至|到|—|–|~|～|-{1,2}(?=\d{4})))?\s*(.+?)\s*(?:止|为止|前)?$")
_FOREVER = ("长期", "永久", "无期限", "终身")


def _expiry(value: object) -> n.Outcome:
    """A 证件有效期 cell: a day (a month is its last day), the end of a span, or 长期 (no end), each said
    when read from more than a date; what is no date is no expiry, and said (no valid certificate then)."""
    text = n.as_text(value)
    if text is not None and not isinstance(value, (int, float)) and any(word in text for word in _FOREVER):
        return (_EXPIRY(FAR.isoformat())[0], None, f"证件有效期「{text}」按长期有效计")
    end = _SPAN_END.match(text) if text is not None and not isinstance(value, (int, float)) else None
    if end is not None and end.group(1) != text:
        day, error, warning = _EXPIRY(end.group(1))
        if error is None:
            return (day, None, warning or f"证件有效期「{text}」按截止日 {end.group(1)} 读")
    day, error, warning = _EXPIRY(value)
    if error is not None:
        return (day, error + "（没有有效期的证件按未持有效证件计）", warning)
    return (day, error, warning)


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
    "expiry_date": lambda s, d: _optional_date(s, d, _expiry),
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
