"""Days the generator picks: random days in a range, the next working day, a month's last day."""

from __future__ import annotations

import random
from datetime import date, timedelta


def month_end(year: int, month: int) -> date:
    """The last day of ``month``."""
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def next_weekday(day: date) -> date:
    """``day`` itself, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def random_day(rng: random.Random, start: date, end: date) -> date:
    """A day between ``start`` and ``end``, both included."""
    return start + timedelta(days=rng.randint(0, (end - start).days))
