"""Period ids (``2020``, ``2020H1``, ``2020Q3``), their date bounds, labels and comparisons."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})(?:(H)([12])|(Q)([1-4]))?$")


@dataclass(frozen=True)
class Period:
    """A year, half-year or quarter. ``end`` is exclusive."""

    year: int
    kind: str  # "year" | "half" | "quarter"
    index: int  # 1 for a year; 1-2 for a half; 1-4 for a quarter

    @property
    def id(self) -> str:
        if self.kind == "half":
            return f"{self.year}H{self.index}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        return str(self.year)

    @property
    def months(self) -> int:
        return {"year": 12, "half": 6, "quarter": 3}[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
    def end(self) -> date:
        """First day after the period."""
        month = self.index * self.months + 1
        return date(self.year + 1, 1, 1) if month > 12 else date(self.year, month, 1)

    @property
    def fraction_of_year(self) -> float:
        """Share of a year, used to pro-rate annual amount targets (hours, meetings)."""
        return self.months / 12

    def previous_year(self) -> Period:
        """The same period a year earlier (同比)."""
        return Period(self.year - 1, self.kind, self.index)

    def label(self, lang: str = "zh") -> str:
        """2020年上半年 / 2020 H1, from the text catalogue (``period.*``)."""
        from analytics.present.text import language

        words = language(lang)
        key = {"year": "period.year", "half": f"period.half.{self.index}", "quarter": "period.quarter"}[self.kind]
        return words(key, year=self.year, nth=words.ordinal(self.index))

    def as_dict(self, lang: str = "zh") -> dict[str, str]:
        return {
            "id": self.id,
            "label": self.label(lang),
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }

    @property
    def last_day(self) -> date:
        """The period's last day (inclusive)."""
        return date.fromordinal(self.end.toordinal() - 1)

    @property
    def last_month_start(self) -> date:
        """First day of the period's last month."""
        return date(self.year, self.index * self.months, 1)

    def cut(self, last_day: date) -> date | None:
        """The day the period's data stop on (``last_day``) when that is inside the period and before its
        last month, so the period is still in progress; None when the period is complete (or not begun).

        A period whose data reach its last month counts as complete: a ledger's last dispute on 28
        December does not make the year "in progress".
        """
        if self.start <= last_day < self.last_month_start:
            return last_day
        return None

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies wholly inside this period."""
        return self.start <= other.start and other.end <= self.end


def parse(period_id: str) -> Period:
    """Parse a period id; raises ValueError with a Chinese message when it is not one."""
    match = _PATTERN.match(period_id.strip().upper())
    if not match:
        raise ValueError(f"无法识别的期间：{period_id}（应为 2020、2020H1 或 2020Q1 这样的写法）")
    year = int(match.group(1))
    if match.group(2):
        return Period(year, "half", int(match.group(3)))
    if match.group(4):
        return Period(year, "quarter", int(match.group(5)))
    return Period(year, "year", 1)


_SUMMARY_PERIOD = re.compile(r"^\s*(\d{4})\s*年?\s*(上半年|下半年|H[12]|第?[一二三四1-4]季度|Q[1-4])?\s*(?:度)?\s*$")


def parse_loose(text: object) -> Period | None:
    """Read a period as typed in a summary sheet: 2018, 2018年, 2018年度, 2018年上半年, 2018H1."""
    if text is None:
        return None
    raw = str(text).strip()
    if re.fullmatch(r"\d{4}\.0", raw):
        raw = raw[:4]
    raw = raw.replace("年度", "年")
    match = _SUMMARY_PERIOD.match(raw)
    if not match:
        return None
    year = int(match.group(1))
    part = (match.group(2) or "").upper()
    if not part:
        return Period(year, "year", 1)
    if part in ("上半年", "H1"):
        return Period(year, "half", 1)
    if part in ("下半年", "H2"):
        return Period(year, "half", 2)
    digit = re.search(r"[1-4一二三四]", part)
    assert digit is not None
    index = "1234".find(digit.group()) + 1 or "一二三四".find(digit.group()) + 1
    return Period(year, "quarter", index)


def month_day_cut(until: date) -> str:
    """``until`` as the ``MM-DD`` every year of a year-to-date comparison is cut at (inclusive)."""
    return until.strftime("%m-%d")


def periods_between(first_year: int, last_year: int, kind: str) -> list[Period]:
    """Every period of a kind in the given years, in order."""
    count = {"year": 1, "half": 2, "quarter": 4}[kind]
    return [Period(y, kind, i) for y in range(first_year, last_year + 1) for i in range(1, count + 1)]
