"""Targets, deadlines and defaults, read once from ``settings.toml`` at the project root."""

from __future__ import annotations

import os
import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS = ROOT / "settings.toml"


@cache
def load(path: str | None = None) -> dict[str, Any]:
    """The settings as a dict; ``DASHBOARD_SETTINGS`` may point at another file."""
    chosen = Path(path or os.environ.get("DASHBOARD_SETTINGS") or DEFAULT_SETTINGS)
    with chosen.open("rb") as f:
        return tomllib.load(f)


def target(metric_id: str) -> float | None:
    """The configured target of a metric, or None where none applies."""
    value = load()["targets"].get(metric_id)
    return None if value is None else float(value)


def default_town() -> str:
    """The town a sheet naming none is counted to; ``ValueError`` (a Chinese reason) when the
    setting is no plausible town name (``etl.names``), since it is shown in headings and titles."""
    from etl.names import check_town

    return check_town(str(load()["default_town"]))


def filing_deadline() -> tuple[int, str]:
    """(days, "calendar" | "working") allowed between issue and filing."""
    filing = load()["filing"]
    return int(filing["deadline_days"]), str(filing.get("deadline_kind", "calendar"))


def disclosure_limit(received: date) -> tuple[int, int]:
    """(working days to answer, working days an approved extension adds) for a request received then."""
    rules = load()["disclosure"]
    until = rules.get("old_rule_until")
    if until is not None and received < until:
        return int(rules["old_limit_working_days"]), int(rules["old_extension_working_days"])
    return int(rules["limit_working_days"]), int(rules["extension_working_days"])


def disclosure_due_soon_days() -> int:
    return int(load()["disclosure"]["due_soon_working_days"])


def study_hours_per_year() -> float:
    return float(load()["training"]["study_hours_per_year"])


def certificate_warning_days() -> int:
    return int(load()["training"]["certificate_warning_days"])


MB = 1024 * 1024
LIMIT_DEFAULTS = {
    "upload_max_mb": 50,
    "upload_max_uncompressed_mb": 200,
    "sheet_max_rows": 200_000,
    "file_max_rejects": 20_000,
    "sheet_max_warnings": 5_000,
    "query_memory_mb": 1024,
    "query_threads": 2,
    "sql_address_space_mb": 3072,
    "sql_concurrent": 2,
}


def limit(name: str) -> int:
    """A ``[limits]`` setting; a settings file written before the setting existed gets its default."""
    return int(load().get("limits", {}).get(name, LIMIT_DEFAULTS[name]))


def upload_max_bytes() -> int:
    return limit("upload_max_mb") * MB


def upload_max_uncompressed_bytes() -> int:
    return limit("upload_max_uncompressed_mb") * MB


def query_config() -> dict[str, str | bool | int | float | list[str]]:
    """DuckDB options for every query connection: a memory cap and a thread count (``[limits]``)."""
    return {"memory_limit": f"{limit('query_memory_mb')}MiB", "threads": limit("query_threads")}
