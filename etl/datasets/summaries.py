"""What the two summary sheets share: a period per row, and reported rates checked against counts.

A summary sheet (汇总表) has one row per town and year or half-year, typed from old reports; its
期间 cell is read as a period, and a reported rate that disagrees with the row's own counts by more
than ``analytics.semantic.measures.RATE_TOLERANCE`` is a warning (a real case: 2,784/2,872 reported as 96.7%, really 96.94%).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from analytics.semantic.catalogue import METRICS
from analytics.semantic.measures import RATE_TOLERANCE, Ratio
from analytics.semantic.periods import parse_loose
from etl import columns as col
from etl import normalise as n
from etl.dates import out_of_range
from etl.frame import Frame, trimmed_text

_WHOLE_YEAR = frozenset(["全年", "年度", "全年度", "1-12月", "1—12月"])


def _year_and_part(fr: Frame) -> np.ndarray:
    """The period cells, each row's year joined to its part where the sheet keeps them in two columns
    (年度 2023 | 期间 上半年, or | 半年 上半年): read alone, 2023 made the first half the whole year and
    the second half a duplicate. A second 期间 column that holds a part is no synonym of the first
    (``Frame.columns`` is told, so the sheet's note does not say one was used); a part that joins to
    no period (2023 | 1-6月) leaves the row unread, with the two cells named, never the bare year."""
    cols = fr.cols("period")
    parts = cols[1:] + fr.cols("period_part")
    raw = fr.raw[cols[0]]
    if not parts:
        return raw
    joined = raw.copy()
    used: set[int] = set()
    for i, cell in enumerate(raw.tolist()):
        year = parse_loose(n.as_text(cell)) if not n.is_blank(cell) else None
        if year is None or len(year.id) != 4:
            continue
        for c in parts:
            part = fr.raw[c][i]
            text = n.compact(part)
            if n.is_blank(part) or text in _WHOLE_YEAR or (c in cols and parse_loose(text) is not None):
                continue  # a blank or 全年 part, or a second column that is itself a period (a synonym)
            joined[i] = f"{year.id}年{text}"
            used.add(c)
            break
    for c in used & set(cols):
        fr.columns[c] = "period_part"
    return joined


def periods(fr: Frame) -> dict[str, Any]:
    raw = _year_and_part(fr)
    parsed = {v: parse_loose(n.as_text(v)) for v in dict.fromkeys(raw)}
    found = [parsed[v] for v in raw]
    blank = np.fromiter((n.is_blank(v) for v in raw), dtype=bool, count=len(raw))
    unread = ~blank & np.array([p is None for p in found], dtype=bool)
    reason = col.where(blank, f"{fr.label('period')}为空")
    if unread.any():
        texts = trimmed_text(raw)
        reason[unread] = ["无法识别的期间：" + ("" if t is None else str(t)) for t in texts[unread]]
    for i, period in enumerate(found):  # a period before 1990 or over a year ahead, as for dates
        if period is not None:
            why = out_of_range(period.start)
            if why is not None:
                reason[i], found[i] = why.replace("日期", "期间"), None
    _village_rows(fr, found, reason)
    _one_row_per_period(fr, found, reason)
    fr.error(fr.label("period"), raw, reason)
    return {
        "period_id": np.array([p.id if p else None for p in found], dtype=object),
        "period_start": np.array([p.start if p else None for p in found], dtype="datetime64[D]"),
        "period_end": np.array([p.end if p else None for p in found], dtype="datetime64[D]"),
    }


_WHOLE_TOWN = frozenset(["合计", "总计", "全镇", "全乡", "全街道", "小计", "镇本级", "乡本级"])


def _village_rows(fr: Frame, found: list[Any], reason: np.ndarray) -> None:
    """Reject a row kept for one village: a summary sheet gives a town's figure, and its first village's
    row read as the town's (张庄村 20 for a town of 50), the others as duplicates. A row for the whole
    town (合计, 全镇) in that column is the town's own; the village rows before it are refused, said."""
    if not fr.has("summary_village"):
        return
    label = fr.label("summary_village")
    for i, cell in enumerate(fr.raw_of("summary_village").tolist()):
        text = n.compact(cell) if not n.is_blank(cell) else ""
        if text and text not in _WHOLE_TOWN and reason[i] is None:
            reason[i] = (
                f"此行是「{text}」一个{label}的数，不计入：汇总表每个期间只取全镇一行（{label}写合计或全镇的行），"
                "不把某个村的数当作全镇的数；表中没有这样的行时，请补上全镇合计后再导入（或导入台账）"
            )
            found[i] = None


def _one_row_per_period(fr: Frame, found: list[Any], reason: np.ndarray) -> None:
    """Reject a row whose town and period an earlier row of the sheet already gives: which of two
    differing figures is right is the person's call, and taking either one would be a guess."""
    towns = fr.get("town") if fr.has("town") else np.full(len(found), None, dtype=object)
    first: dict[tuple[object, str], int] = {}
    for i, period in enumerate(found):
        if period is None or reason[i] is not None:
            continue
        key = (towns[i], period.id)
        if key in first:
            reason[i] = (
                f"与第 {int(fr.excel_row[first[key]])} 行是同一期间（{period.id}），每个期间只能有一行，请核对后只保留一行"
            )
            found[i] = None
        else:
            first[key] = i


def check_rate(fr: Frame, rate_field: str, num: Any, den: Any, num_label: str, den_label: str) -> None:
    """Warn where a reported rate disagrees with its own counts by more than 0.05 points."""
    if not fr.has(rate_field):
        return
    reported = np.asarray(fr.get(rate_field), dtype="float64")
    num, den = col.floats(num), col.floats(den)
    with np.errstate(invalid="ignore", divide="ignore"):
        computed = num / np.where(den > 0, den, np.nan)
        bad = np.abs(reported - computed) > RATE_TOLERANCE
    label = fr.label(rate_field)
    message = fr.empty()
    for i in np.flatnonzero(bad):  # only the mismatching rows, a handful at most
        message[i] = (
            f"{label}与件数不符：填报 {reported[i] * 100:.2f}".rstrip("0").rstrip(".")
            + f"%，按{num_label} {int(num[i])} / {den_label} {int(den[i])} 计算为 {computed[i] * 100:.2f}%"
        )
    fr.warn(label, fr.raw_of(rate_field), message)


def check_typed_rates(fr: Frame, out: dict[str, Any], dataset: str) -> None:
    """Check every rate a summary sheet may type for ``dataset``'s metrics against the row's own
    counts, by the route each metric declares for summary sheets (``analytics.semantic.catalogue``)."""
    for metric in METRICS:
        formula = metric.formula
        if metric.dataset != dataset or not isinstance(formula, Ratio) or not formula.summary or not formula.reported:
            continue
        num, den = formula.summary
        if fr.has(num) and fr.has(den):
            check_rate(fr, formula.reported, out[num], out[den], fr.label(num), fr.label(den))


def summary_builder(counts: tuple[str, ...], rates: tuple[str, ...], dataset: str) -> Callable[[Frame], dict[str, Any]]:
    """The row builder of a summary sheet: its period, its counts, its typed rates (checked)."""

    def build(fr: Frame) -> dict[str, Any]:
        out = periods(fr)
        for name in counts:
            out[name] = fr.get(name) if fr.has(name) else col.no_integers(len(fr))
        for name in rates:
            out[name] = np.asarray(fr.get(name), dtype="float64")
        check_typed_rates(fr, out, dataset)
        return out

    return build
