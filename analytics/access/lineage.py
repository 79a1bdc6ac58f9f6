"""Personal data by where it came from, not by the column it is stored under.

A rejected or warned cell keeps its value in ``value`` (of ``rejects`` and ``warnings``), whatever
column it was read from: a name there is a name, though ``value`` is no personal column. What the
cell's column held is known from its sheet's header map (``load_sheets.header_map``: header ->
field), and each dataset module declares which fields are personal. So a value is masked when its
header was read as a personal field, and so is the value where a reason quotes it; a reject's raw
row has each personal header's cell masked. The pages (``pages/data.py``) and the masked copy that
自助分析 reads (``analytics.access.masked``) both go through ``kind_of`` and ``mask``.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from analytics.adhoc.dictionary import HIDDEN, PERSONAL_NAMES, PERSONAL_TEXT
from analytics.queries import mask_people

NAME, TEXT = "name", "text"


def personal_headers(header_map: str | dict[str, str] | None) -> dict[str, str]:
    """A sheet's headers read as personal fields -> ``name`` (masked after the surname) or ``text`` (hidden)."""
    mapping = json.loads(header_map) if isinstance(header_map, str) and header_map else header_map or {}
    if not isinstance(mapping, dict):
        return {}
    return {
        str(header): NAME if field in PERSONAL_NAMES else TEXT
        for header, field in mapping.items()
        if field in PERSONAL_NAMES or field in PERSONAL_TEXT
    }


def mask(kind: str | None, value: Any) -> Any:
    """One value as it may be shown: a name masked after the surname, personal text hidden, else as it is."""
    if kind is None or value is None or (isinstance(value, float) and value != value):
        return value
    return mask_people(value) if kind == NAME else HIDDEN


def quoted(kind: str | None, value: Any, text: Any) -> Any:
    """``text`` (a reason or warning) with the cell's ``value`` masked where it quotes it."""
    if kind is None or not isinstance(text, str) or not isinstance(value, str) or not value.strip():
        return text
    return text.replace(value, str(mask(kind, value)))


def mask_problems(frame: pd.DataFrame, reason: str = "reason") -> pd.DataFrame:
    """Rejects or warnings (with ``column_name``, ``value``, ``reason``/``message`` and ``header_map``, and
    for rejects ``raw_row``) with the personal cells masked, by the header each was read from."""
    if frame.empty or "header_map" not in frame:
        return frame
    out = frame.copy()
    headers = [personal_headers(h) for h in out["header_map"]]
    kinds = [h.get(str(c)) for h, c in zip(headers, out["column_name"], strict=True)]
    values = list(out["value"])
    out["value"] = [mask(k, v) for k, v in zip(kinds, values, strict=True)]
    if reason in out:
        out[reason] = [quoted(k, v, r) for k, v, r in zip(kinds, values, out[reason], strict=True)]
    if "raw_row" in out:
        out["raw_row"] = [_raw_row(h, raw) for h, raw in zip(headers, out["raw_row"], strict=True)]
    return out


def _raw_row(personal: dict[str, str], raw: Any) -> Any:
    if not personal or not isinstance(raw, str) or not raw:
        return raw
    cells = json.loads(raw)
    masked = {header: mask(personal.get(header), value) for header, value in cells.items()}
    return json.dumps(masked, ensure_ascii=False)
