"""Numbers written the way the report writes them: 98.6%, +2.6个百分点, 560件, 55学时.

Every function takes ``lang`` ("zh" | "en") and turns None into 无数据 / No data; the words and
the order around a number (个百分点 / pp, 学时 / h, 件 or nothing) are ``fmt.*`` templates in the
language catalogues (``analytics.present.text``). A rate whose base
is a number of cases that is zero is written 无案件 / No cases (``empty="cases"``).
Status colours (met / missed / no data) live here too, so pages and charts agree.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from analytics.present.i18n import text

STATUS_COLOURS: dict[str | None, str] = {
    "met": "#2E7D32",  # green
    "missed": "#C62828",  # red
    "no_data": "#9E9E9E",  # grey
    None: "#607D8B",  # no target
}
# Streamlit's markdown colour names for the same statuses (:green[...]).
STATUS_MD_COLOURS: dict[str | None, str] = {"met": "green", "missed": "red", "no_data": "gray", None: "gray"}


def no_data(lang: str = "zh", empty: str | None = None) -> str:
    """无数据, or 无案件 when ``empty == "cases"``."""
    return text("common.no_cases" if empty == "cases" else "common.no_data", lang)


def half_up(value: float, digits: int = 1) -> float:
    """``value`` rounded the way people round (四舍五入): 81.25 → 81.3, -2.25 → -2.3, 6.25 → 6.3.
    Python's ``round`` and format specs round half to even on the binary value (81.25 → 81.2);
    the value is taken as its shortest decimal repr (what a person sees: 0.8125 × 100 is 81.25)."""
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


def fixed(value: float, digits: int = 1, separators: bool = False) -> str:
    """``value`` with exactly ``digits`` decimals, rounded half up (``half_up``): 81.25 → "81.3"."""
    rounded = half_up(value, digits)
    return f"{rounded:,.{digits}f}" if separators else f"{rounded:.{digits}f}"


def percent(value: float, digits: int = 1) -> str:
    """A fraction as a percentage with ``digits`` decimals, rounded half up: 0.8125 → "81.3%"."""
    return f"{fixed(half_up(value * 100, 10), digits)}%"


def _number(value: float, digits: int) -> str:
    """1 decimal by default, no trailing '.0' for whole numbers, thousands separators."""
    rounded = half_up(value, digits)
    if digits == 0 or float(rounded).is_integer():
        return f"{rounded:,.0f}"
    return f"{rounded:,.{digits}f}"


def rate(value: float | None, lang: str = "zh", digits: int = 1, empty: str | None = None) -> str:
    """A fraction as a percentage: 0.9857 → "98.6%"; 1.0 → "100%"."""
    if value is None:
        return no_data(lang, empty)
    return f"{_number(half_up(value * 100, 10), digits)}%"  # 10: the product's float noise off first


def points(value: float | None, lang: str = "zh", digits: int = 1) -> str:
    """A change in percentage points, signed: 2.57 → "+2.6个百分点" / "+2.6 pp"."""
    if value is None:
        return no_data(lang)
    rounded = half_up(value, digits)
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "±")
    return text("fmt.points", lang, sign=sign, number=_number(abs(rounded), digits))


def count(value: float | None, lang: str = "zh", unit: str = "件") -> str:
    """A count: 560 → "560件" (zh) / "560" (en). ``unit`` is the Chinese measure word (件, 人, 次)."""
    if value is None:
        return no_data(lang)
    number = _number(value, 0 if float(value).is_integer() else 1)
    return text("fmt.count", lang, number=number, unit=unit)


def hours(value: float | None, lang: str = "zh") -> str:
    """Study hours: 55 → "55学时" / "55 h"."""
    if value is None:
        return no_data(lang)
    number = _number(value, 1)
    return text("fmt.hours", lang, number=number)


def change_pct(value: float | None, lang: str = "zh", digits: int = 1) -> str:
    """A relative change, signed: 0.12 → "+12%"; -0.035 → "-3.5%"."""
    if value is None:
        return no_data(lang)
    pct = half_up(value * 100, digits)
    sign = "+" if pct > 0 else ("-" if pct < 0 else "±")
    return f"{sign}{_number(abs(pct), digits)}%"


def change_abs(value: float | None, lang: str = "zh", unit: str = "件") -> str:
    """An absolute change of a count, signed: 60 → "+60件" / "+60"."""
    if value is None:
        return no_data(lang)
    sign = "+" if value > 0 else ("-" if value < 0 else "±")
    return sign + count(abs(value), lang, unit)


UNIT_WORDS: dict[str, str] = {
    "enforcement_staff": "人",
    "study_meetings": "次",
    "mediator_trainings": "次",
    "years_without_reconsideration": "年",
    "party_committee_reports": "次",
    "document_cleanup_due": "次",
    "legal_publicity_events": "次",
}


def value(unit: str, number: float | None, lang: str = "zh", metric_id: str = "", empty: str | None = None) -> str:
    """A metric's value by its catalogue unit ("rate" | "count" | "hours")."""
    if unit == "rate":
        return rate(number, lang, empty=empty)
    if unit == "hours":
        return hours(number, lang)
    return count(number, lang, UNIT_WORDS.get(metric_id, "件"))


def change(
    unit: str, absolute: float | None, percent: float | None, pp: float | None, lang: str = "zh", metric_id: str = ""
) -> str:
    """A year-over-year change as the report writes it: points for rates, % and absolute for counts."""
    if unit == "rate":
        return points(pp, lang)
    if absolute is None:
        return no_data(lang)
    if unit == "hours":
        sign = "+" if absolute > 0 else ("-" if absolute < 0 else "±")
        return sign + hours(abs(absolute), lang)
    absolute_text = change_abs(absolute, lang, UNIT_WORDS.get(metric_id, "件"))
    if percent is None:
        return absolute_text
    return text("fmt.change_with_abs", lang, percent=change_pct(percent, lang), absolute=absolute_text)


def target(unit: str, op: str | None, number: float | None, lang: str = "zh", metric_id: str = "") -> str:
    """A target with its comparison: "≥95%", "=0件", "≥2次"; "—" where there is none."""
    if op is None or number is None:
        return "—"
    symbol = {">=": "≥", "<=": "≤"}.get(op, op)
    if op == "<=" and number == 0:
        symbol = "="
    return symbol + value(unit, number, lang, metric_id)


def day(value: date, lang: str = "zh") -> str:
    """A date as the pages write it: 2026年1月20日 / 20 Jan 2026."""
    return text("fmt.day", lang, year=value.year, month=text(f"fmt.month.{value.month}", lang), day=value.day)


def day_fields(value: date, lang: str = "zh") -> dict[str, object]:
    """The fields the ``period.as_of`` / ``period.in_progress`` templates take: 2026年1月20日, 1月20日."""
    month = text(f"fmt.month.{value.month}", lang)
    return {"date": day(value, lang), "day_month": text("fmt.day_month", lang, month=month, day=value.day)}


def status_label(status: str | None, lang: str = "zh") -> str:
    return text(f"status.{status or 'none'}", lang)


def status_colour(status: str | None) -> str:
    return STATUS_COLOURS.get(status, STATUS_COLOURS[None])
