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
    return str(load()["default_town"])


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


def show_personal_fields() -> bool:
    return bool(load()["privacy"]["show_personal_fields"])


def upload_max_bytes() -> int:
    return int(load()["limits"]["upload_max_mb"]) * 1024 * 1024
