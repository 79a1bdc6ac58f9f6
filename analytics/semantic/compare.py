"""Year-over-year arithmetic and target status, defined once.

Rates compare in percentage points; counts compare absolutely and in percent. A missing side or a
zero base gives None rather than a made-up 0 or infinity.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.semantic.catalogue import Metric


@dataclass(frozen=True)
class Change:
    absolute: float | None  # value − previous, in the metric's own unit (a fraction for rates)
    percent: float | None  # relative change of a count, as a fraction (0.12 = +12%)
    points: float | None  # change of a rate in percentage points (+2.6)


def change(metric: Metric, value: float | None, previous: float | None) -> Change:
    if value is None or previous is None:
        return Change(None, None, None)
    absolute = value - previous
    if metric.is_rate:
        return Change(absolute, None, absolute * 100)
    percent = absolute / previous if previous else None
    return Change(absolute, percent, None)


def status(metric: Metric, value: float | None, target: float | None) -> str | None:
    """ "met", "missed", "no_data", or None where the metric has no target."""
    if metric.target_op is None or target is None:
        return None
    if value is None:
        return "no_data"
    epsilon = 1e-9
    if metric.target_op == ">=":
        return "met" if value >= target - epsilon else "missed"
    return "met" if value <= target + epsilon else "missed"
