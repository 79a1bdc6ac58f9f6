"""Reading one cell as a date the way a person reads it, or saying plainly why it can't be.

``read_date`` returns a ``Reading``: the day, or a month when only a month is written, or a reason.
What a person would read without hesitation is read silently: real dates, ISO and Chinese forms,
a time of day after the date, Chinese numerals (二〇二四年三月五日), 号 for 日, full-width digits,
yyyymmdd and Excel serial numbers. What takes a guess is said: a day-first or month-first
reading (05/03/2024) is a warning, a month with no day is a month (the caller decides), and a year
alone, a number like 2024.1 (January, or October typed 2024.10?) or a date outside a plausible
range (``FLOOR`` to a year after today) is a reason to reject.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

EXCEL_EPOCH = date(1899, 12, 30)
FLOOR = date(1990, 1, 1)
AHEAD = timedelta(days=366)  # a ledger date may lie up to a year ahead (a planned session), no more
FAR = date(2100, 12, 31)  # for expiry dates (证件有效期), which lie years ahead
FIRST_YEAR, LAST_YEAR = 1990, 2100  # numbers read as a year or a year.month must fall here

_TIME = r"(?:[ T]+|(?<=[日号]))(?:上午|下午|晚上|凌晨)?\d{1,2}(?:[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?|时(?:\d{1,2}分)?)"
_YMD = re.compile(rf"^(\d{{4}})\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*[日号]?(?:{_TIME})?$")
_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份?)?$")
_YEAR = re.compile(r"^(\d{4})\s*(?:年度?)?$")
_DMY = re.compile(rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}})(?:{_TIME})?$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.\d+)?$")
_CN_RUN = re.compile(r"[〇零○Ｏ一二三四五六七八九十]+")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Reading:
    """One cell read: ``day``, or ``month`` (its first day) when no day is written, or ``reason``."""

    day: date | None = None
    month: date | None = None
    reason: str | None = None  # why it is no date (reject)
    warning: str | None = None  # how it was read, when that took a choice


def _cn_number(run: str) -> str:
    """二〇二四 -> 2024 (digit by digit); 十二 -> 12, 二十一 -> 21, 三十 -> 30."""
    if "十" not in run:
        return "".join(str(_CN_DIGIT[c]) for c in run)
    tens, _, units = run.partition("十")
    return str((_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0))


def _plain(text: str) -> str:
    """Full-width forms folded (２０２４／３／５), Chinese numerals as digits, spaces collapsed."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    if "年" in text and "月" in text:
        text = _CN_RUN.sub(lambda m: _cn_number(m.group()), text)
    return text


def _day(year: int, month: int, day: int, text: str) -> Reading:
    try:
        return Reading(day=date(year, month, day))
    except ValueError:
        return Reading(reason=f"无法识别的日期：{text}")  # no such day (2020-13-45, 2023-2-29)


def _month(year: int, month: int, text: str) -> Reading:
    if not 1 <= month <= 12:
        return Reading(reason=f"无法识别的日期：{text}")
    return Reading(month=date(year, month, 1))


def _from_number(number: float, text: str) -> Reading:
    whole = int(number)
    if number.is_integer() and 19000101 <= number <= 21001231:
        digits = str(whole)
        return _day(int(digits[:4]), int(digits[4:6]), int(digits[6:]), text)
    if FIRST_YEAR <= whole <= LAST_YEAR:  # 2024 or 2024.3: a year or a year.month, never a serial
        if number.is_integer():
            return Reading(reason=f"日期只有年份，缺少月和日：{text}")
        fraction = f"{number:.2f}".split(".")[1]  # 2024.3 -> "30", 2024.12 -> "12"
        if fraction.endswith("0") and fraction[0] == "1":
            return Reading(reason=f"日期只有年月，且无法区分1月和10月：{text}")
        return _month(whole, int(fraction[0]) if fraction.endswith("0") else int(fraction), text)
    if 1 <= number < 100000:  # an Excel serial day number (1900 date system), time of day ignored
        day = EXCEL_EPOCH + timedelta(days=whole)
        if day < FLOOR:  # 3.05 (March 5th?) is no day of 1900: say what was written, not 1900-01-03
            return Reading(reason=f"无法识别的日期：{text}")
        # A cell formatted as a date reaches here as one: this is a number as the sheet shows it
        return Reading(day=day, warning=f"日期栏里的数字 {text} 按 Excel 的日期序号读作 {day.isoformat()}，请核对")
    return Reading(reason=f"无法识别的日期：{text}")


def _day_month(a: int, b: int, year: int, text: str) -> Reading:
    """05/03/2024: day-first or month-first, read only when one of them can't be a month."""
    if a > 12 >= b:
        reading = _day(year, b, a, text)
        order = "日/月/年"
    elif b > 12 >= a:
        reading = _day(year, a, b, text)
        order = "月/日/年"
    else:
        return Reading(reason=f"日期的月和日无法区分（日/月/年还是月/日/年）：{text}")
    if reading.day is None:
        return reading
    return Reading(day=reading.day, warning=f"日期 {text} 按{order}读作 {reading.day.isoformat()}")


# What a person reads past after a date: a weekday, a part of the day, a full stop (2024/4/3（周三）,
# 2024年3月30日上午, 2024.04.02.).
_AFTER = re.compile(
    r"(?:\s*[(（]?\s*(?:周|星期|礼拜)[一二三四五六日天七1-7]\s*[)）]?|\s*(?:上午|下午|晚上|中午|全天)|[.。])+$"
)
# A span of days (2024.5.8-5.10, 2024年5月8日至10日, 2024-05-08—2024-05-10): its first day dates it.
_SPAN = re.compile(
    r"^(.+?\d\s*[日号]?)\s*(?:-|—|－|~|～|至|到)\s*(?:\d{4}\s*[-/.年]\s*)?(?:\d{1,2}\s*[-/.月]\s*)?\d{1,2}\s*[日号]?$"
)


def _from_text(text: str) -> Reading:
    reading = _from_plain_text(text)
    if reading.reason is None:
        return reading
    bare = _AFTER.sub("", text)
    if bare != text and bare:
        read = _from_plain_text(bare)
        if read.day is not None:
            return read
    span = _SPAN.match(bare or text)
    if span:
        first = _from_plain_text(span.group(1).strip())
        if first.day is not None:
            return Reading(day=first.day, warning=f"日期 {text} 是几天，按第一天 {first.day.isoformat()} 计入")
    return reading


def _from_plain_text(text: str) -> Reading:
    match = _YMD.match(text)
    if match:
        return _day(int(match.group(1)), int(match.group(2)), int(match.group(3)), text)
    match = _DIGITS.match(text)
    if match:
        return _day(int(match.group(1)), int(match.group(2)), int(match.group(3)), text)
    match = _YM.match(text)
    if match:  # typed as text, 2024.1 is January: only a number cell loses the 0 of 2024.10
        return _month(int(match.group(1)), int(match.group(2)), text)
    if _YEAR.match(text):
        return Reading(reason=f"日期只有年份，缺少月和日：{text}")
    match = _DMY.match(text)
    if match:
        return _day_month(int(match.group(1)), int(match.group(2)), int(match.group(3)), text)
    if _SERIAL.match(text):
        return _from_number(float(text), text)
    return Reading(reason=f"无法识别的日期：{text}")


def read_date(value: object) -> Reading:
    """A non-blank cell as a day, a month or a reason (the time of day, if any, is dropped)."""
    if isinstance(value, datetime):
        return Reading(day=value.date())
    if isinstance(value, date):
        return Reading(day=value)
    if isinstance(value, bool):
        return Reading(reason=f"无法识别的日期：{'是' if value else '否'}")
    if isinstance(value, (int, float)):
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return _from_number(float(value), text)
    text = _plain(str(value))
    reading = _from_text(text)
    written = str(value).strip()
    if text == written or text not in f"{reading.reason}{reading.warning}":
        return reading
    # a message quotes the cell as written (2024年3月5日（周二）), not as it was folded to read it
    return replace(
        reading,
        reason=reading.reason and reading.reason.replace(text, written),
        warning=reading.warning and reading.warning.replace(text, written),
    )


def out_of_range(day: date, today: date | None = None, latest: date | None = None) -> str | None:
    """Why ``day`` is implausible for a ledger (before 1990 or over a year ahead), else None."""
    latest = latest or (today or date.today()) + AHEAD
    if day < FLOOR or day > latest:
        return f"日期超出合理范围（{FLOOR.year}年至{latest.isoformat()}）：{day.isoformat()}"
    return None
