"""The dispute summary sheet (矛盾纠纷汇总表): a town's figures for a year or half-year, from old reports.

Its failed mediations are those it types (调解失败数), else worked out from its 调解数 or 调解中 (said): cases
still in mediation are no failures, as in a ledger.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from etl import columns as col
from etl.datasets.base import PERIOD_DOCS, PERIOD_SQL, Dataset, Docs
from etl.datasets.summaries import check_rate, periods
from etl.fields import PERIOD, PERIOD_PART, PROVENANCE, SUMMARY_VILLAGE, TOWN, Spec, field
from etl.frame import Frame

SPEC = Spec(
    "dispute_summaries",
    "矛盾纠纷汇总表",
    (
        PERIOD,
        PERIOD_PART,
        SUMMARY_VILLAGE,
        field("disputes_total", "integer", "排查数 排查总数 排查件数 矛盾纠纷排查数 排查矛盾纠纷数 纠纷总数 受理数 排查数(件) 排查纠纷数"),
        field("written", "integer", "书面调解 书面调解数 书面调解(件) 书面调解件数 书面"),
        field("oral", "integer", "口头调解 口头调解数 口头调解(件) 口头调解件数 口头"),
        field("joint", "integer", "联合调解 联合调解数 联合调解(件) 联合调解件数"),
        field("success", "integer", "调解成功数 调解成功 成功数 调解成功件数 调解成功(件) 调解成功数(件)"),
        field("failed", "integer", "调解失败数 调解失败 失败数 调解失败件数 调解失败(件) 调解失败数(件) 调解不成功数 调解不成数 未成功数"),
        field("pending", "integer", "调解中 调解中数 调解中(件) 正在调解 在办 在办数 在办(件) 未结 未结数 未结案数 在调数"),
        field("mediated", "integer", "调解数 调解件数 调解总数 调解纠纷数 调解数(件) 调解(件) 调处数 受理调解数"),
        field("reported_rate", "rate", "调解率 调解成功率 调解率(%) 调解成功率(%)"),
        TOWN,
    ),
    (("period",), ("disputes_total",)),
    (
        *PROVENANCE, "period_id", "period_start", "period_end", "disputes_total", "written", "oral",
        "joint", "success", "reported_rate", "failed", "pending",
    ),
)  # fmt: skip


_COUNTS = ("disputes_total", "written", "oral", "joint", "success", "pending")


def build(fr: Frame) -> dict[str, Any]:
    out = periods(fr)
    for name in _COUNTS:
        out[name] = fr.get(name) if fr.has(name) else col.no_integers(len(fr))
    out["failed"] = _failed(fr, out)
    out["reported_rate"] = np.asarray(fr.get("reported_rate"), dtype="float64")
    # the typed 调解率 against success ÷ (success + failed), or ÷ 排查数 where no failure is known
    failed = col.floats(out["failed"])
    decided = np.where(np.isnan(failed), col.floats(out["disputes_total"]), col.floats(out["success"]) + failed)
    den_label = "（调解成功+调解失败）" if fr.has("failed") or fr.has("mediated") or fr.has("pending") else None
    check_rate(
        fr, "reported_rate", out["success"], decided, fr.label("success"), den_label or fr.label("disputes_total")
    )
    return out


def _failed(fr: Frame, out: dict[str, Any]) -> np.ma.MaskedArray:
    """调解失败数 as typed; else 调解数 − 调解成功 − 调解中, or 排查数 − 调解成功 − 调解中 when 调解中 is typed
    (said, with the figures); else unknown, and the metric takes 排查数 − 调解成功 (a summary row has no
    pending disputes)."""
    typed = col.floats(fr.get("failed")) if fr.has("failed") else np.full(len(fr), np.nan)
    success, pending = col.floats(out["success"]), col.floats(out["pending"])
    base_name = "mediated" if fr.has("mediated") else "disputes_total" if fr.has("pending") else None
    worked = np.full(len(fr), np.nan)
    message = fr.empty()
    if base_name is not None:
        base = col.floats(fr.get(base_name))
        worked = base - success - np.nan_to_num(pending)
        for i in np.flatnonzero(np.isnan(typed) & ~np.isnan(worked)).tolist():
            less = f" − {fr.label('pending')} {int(pending[i])}" if not np.isnan(pending[i]) else ""
            message[i] = (
                f"调解失败数没有填，按{fr.label(base_name)} {int(base[i])} − {fr.label('success')} {int(success[i])}"
                f"{less} 推算为 {int(worked[i])}，请核对"
            )
        fr.warn(fr.label(base_name), fr.raw_of(base_name), message)
    failed = np.where(np.isnan(typed), worked, typed)
    return col.integers(np.where(failed < 0, np.nan, failed))


DOCS: Docs = {
    **PERIOD_DOCS,
    "disputes_total": ("排查数", "Disputes", "排查出的矛盾纠纷件数", "Disputes screened"),
    "written": ("书面调解", "Written", "书面调解件数", "Disputes with a written agreement"),
    "oral": ("口头调解", "Oral", "口头调解件数", "Disputes with an oral agreement"),
    "joint": ("联合调解", "Joint", "联合调解件数", "Joint mediations"),
    "success": ("调解成功数", "Successful", "调解成功件数", "Successful mediations"),
    "failed": (
        "调解失败数",
        "Failed",
        "调解失败件数：填报的，或按调解数（排查数）减调解成功、调解中推算；空＝按排查数减调解成功计",
        "Failed mediations: as typed, or mediated (screened) less successes and pending; empty: screened less successes",
    ),
    "pending": ("调解中", "Pending", "期末仍在调解的件数（不算调解失败）", "Still in mediation (not failures)"),
    "reported_rate": (
        "调解率（报表）",
        "Mediation rate (reported)",
        "汇总表上填写的调解率（小数，0.986＝98.6%）",
        "Mediation rate as typed (fraction)",
    ),
}

TABLE = (
    PERIOD_SQL
    + """
    disputes_total INTEGER,
    written        INTEGER,
    oral           INTEGER,
    joint          INTEGER,
    success        INTEGER,
    reported_rate  DOUBLE,               -- 调解率 as typed (fraction)
    failed         INTEGER,              -- typed, or worked out from 调解数/调解中; NULL: 排查数 − 调解成功
    pending        INTEGER               -- last: where ALTER TABLE puts them in a file written before
"""
)  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "矛盾纠纷汇总表",
    (
        "矛盾纠纷汇总表：每行一个乡镇一年或半年（早年报表数）",
        "Dispute summary sheet: one row per town and year or half-year (reported figures)",
    ),
    DOCS,
    ("town", "period_id"),
    dated_by="period_start",
    table_sql=TABLE,
    migrations=(
        "ALTER TABLE dispute_summaries ADD COLUMN IF NOT EXISTS failed INTEGER;\n"
        "ALTER TABLE dispute_summaries ADD COLUMN IF NOT EXISTS pending INTEGER;\n"
    ),
)
