"""What the two summary sheets share: a period per row, and reported rates checked against counts.

A summary sheet (汇总表) has one row per town and year or half-year, typed from old reports; its
期间 cell is read as a period, and a reported rate that disagrees with the row's own counts by more
than ``analytics.semantic.measures.RATE_TOLERANCE`` is a warning (a real case: 2,784/2,872 reported as 96.7%, really 96.94%).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from analytics.semantic.catalogue import METRICS
from analytics.semantic.measures import RATE_TOLERANCE, Ratio
from analytics.semantic.periods import parse_loose
from etl import normalise as n
from etl.frame import Frame, trimmed_text


def periods(fr: Frame) -> dict[str, pd.Series]:
    raw = fr.raw_of("period")
    periods = {v: parse_loose(n.as_text(v)) for v in pd.unique(raw)}
    found = raw.map({k: p for k, p in periods.items()})
    blank = raw.map(n.is_blank).astype(bool)
    reason = np.where(blank, f"{fr.label('period')}为空", None)  # type: ignore[call-overload]
    reason = np.where(~blank & found.isna(), "无法识别的期间：" + trimmed_text(raw).fillna("").astype(str), reason)
    fr.error(fr.label("period"), raw, pd.Series(reason, index=raw.index))
    return {
        "period_id": found.map(lambda p: p.id if p else None),
        "period_start": pd.to_datetime(found.map(lambda p: p.start if p else None)),
        "period_end": pd.to_datetime(found.map(lambda p: p.end if p else None)),
    }


def check_rate(fr: Frame, rate_field: str, num: pd.Series, den: pd.Series, num_label: str, den_label: str) -> None:
    """Warn where a reported rate disagrees with its own counts by more than 0.05 points."""
    if not fr.has(rate_field):
        return
    reported = fr.get(rate_field).astype("float64")
    num, den = num.astype("Float64"), den.astype("Float64")
    computed = (num / den.where(den > 0)).astype("float64")
    bad = (reported - computed).abs() > RATE_TOLERANCE
    label = fr.label(rate_field)
    rows = bad[bad.fillna(False)].index
    message = fr.empty()
    for i in rows:  # only the mismatching rows, a handful at most
        message[i] = (
            f"{label}与件数不符：填报 {reported[i] * 100:.2f}".rstrip("0").rstrip(".")
            + f"%，按{num_label} {int(num[i])} / {den_label} {int(den[i])} 计算为 {computed[i] * 100:.2f}%"
        )
    fr.warn(label, fr.raw_of(rate_field), message)


def check_typed_rates(fr: Frame, out: dict[str, pd.Series], dataset: str) -> None:
    """Check every rate a summary sheet may type for ``dataset``'s metrics against the row's own
    counts, by the route each metric declares for summary sheets (``analytics.semantic.catalogue``)."""
    for metric in METRICS:
        formula = metric.formula
        if metric.dataset != dataset or not isinstance(formula, Ratio) or not formula.summary or not formula.reported:
            continue
        num, den = formula.summary
        if fr.has(num) and fr.has(den):
            check_rate(fr, formula.reported, out[num], out[den], fr.label(num), fr.label(den))


def summary_builder(
    counts: tuple[str, ...], rates: tuple[str, ...], dataset: str
) -> Callable[[Frame], dict[str, pd.Series]]:
    """The row builder of a summary sheet: its period, its counts, its typed rates (checked)."""

    def build(fr: Frame) -> dict[str, pd.Series]:
        out = periods(fr)
        for name in counts:
            out[name] = fr.get(name) if fr.has(name) else fr.empty().astype("Int64")
        for name in rates:
            out[name] = fr.get(name).astype("float64")
        check_typed_rates(fr, out, dataset)
        return out

    return build
