"""The dispute summary sheet (矛盾纠纷汇总表): a town's figures for a year or half-year, from old reports."""

from __future__ import annotations

from etl.datasets.base import PERIOD_DOCS, PERIOD_SQL, Dataset, Docs
from etl.datasets.summaries import summary_builder
from etl.fields import PERIOD, PERIOD_PART, PROVENANCE, TOWN, Spec, field

SPEC = Spec(
    "dispute_summaries",
    "矛盾纠纷汇总表",
    (
        PERIOD,
        PERIOD_PART,
        field("disputes_total", "integer", "排查数 排查总数 排查件数 矛盾纠纷排查数 排查矛盾纠纷数 纠纷总数 受理数 排查数(件) 排查纠纷数"),
        field("written", "integer", "书面调解 书面调解数 书面调解(件) 书面调解件数 书面"),
        field("oral", "integer", "口头调解 口头调解数 口头调解(件) 口头调解件数 口头"),
        field("joint", "integer", "联合调解 联合调解数 联合调解(件) 联合调解件数"),
        field("success", "integer", "调解成功数 调解成功 成功数 调解成功件数 调解成功(件) 调解成功数(件)"),
        field("reported_rate", "rate", "调解率 调解成功率 调解率(%) 调解成功率(%)"),
        TOWN,
    ),
    (("period",), ("disputes_total",)),
    (
        *PROVENANCE, "period_id", "period_start", "period_end", "disputes_total", "written", "oral",
        "joint", "success", "reported_rate",
    ),
)  # fmt: skip


build = summary_builder(
    ("disputes_total", "written", "oral", "joint", "success"),
    ("reported_rate",),
    "disputes",
)


DOCS: Docs = {
    **PERIOD_DOCS,
    "disputes_total": ("排查数", "Disputes", "排查出的矛盾纠纷件数", "Disputes screened"),
    "written": ("书面调解", "Written", "书面调解件数", "Disputes with a written agreement"),
    "oral": ("口头调解", "Oral", "口头调解件数", "Disputes with an oral agreement"),
    "joint": ("联合调解", "Joint", "联合调解件数", "Joint mediations"),
    "success": ("调解成功数", "Successful", "调解成功件数", "Successful mediations"),
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
    reported_rate  DOUBLE                -- 调解率 as typed (fraction)
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
)
