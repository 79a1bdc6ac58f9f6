"""The normative documents summary sheet (规范性文件审查备案汇总表): counts and rates per town and period."""

from __future__ import annotations

from etl.datasets.base import PERIOD_DOCS, PERIOD_SQL, Dataset, Docs
from etl.datasets.summaries import summary_builder
from etl.fields import PERIOD, PERIOD_PART, PROVENANCE, SUMMARY_VILLAGE, TOWN, Spec, field

SPEC = Spec(
    "document_summaries",
    "规范性文件汇总表",
    (
        PERIOD,
        PERIOD_PART,
        SUMMARY_VILLAGE,
        field("issued", "integer", "制发件数 制发数 发文件数 印发件数 制发数量 制发规范性文件件数 文件件数 制发(件)"),
        field("reviewed", "integer", "审查件数 合法性审查件数 审查数 经审查件数 审查(件)"),
        field("published", "integer", "公开件数 公开数 公开(件)"),
        field("filed", "integer", "备案件数 报备件数 备案数 备案(件)"),
        field("filed_timely", "integer", "及时备案件数 及时报备件数 及时备案数"),
        field("reported_review_rate", "rate", "审查率 合法性审查率 审查率(%) 合法性审查率(%)"),
        field("reported_publication_rate", "rate", "公开率 公开率(%)"),
        field("reported_filing_rate", "rate", "备案率 报备率 备案率(%)"),
        TOWN,
    ),
    (("period",), ("issued", "reported_review_rate", "reported_publication_rate", "reported_filing_rate")),
    (
        *PROVENANCE, "period_id", "period_start", "period_end", "issued", "reviewed", "published",
        "filed", "filed_timely", "reported_review_rate", "reported_publication_rate", "reported_filing_rate",
    ),
)  # fmt: skip


build = summary_builder(
    ("issued", "reviewed", "published", "filed", "filed_timely"),
    ("reported_review_rate", "reported_publication_rate", "reported_filing_rate"),
    "documents",
)


DOCS: Docs = {
    **PERIOD_DOCS,
    "issued": ("制发件数", "Issued", "制发的规范性文件件数", "Normative documents issued"),
    "reviewed": ("审查件数", "Reviewed", "经合法性审查的件数", "Documents with a legality review"),
    "published": ("公开件数", "Published", "向社会公开的件数", "Documents published"),
    "filed": ("备案件数", "Filed", "报送备案的件数", "Documents filed"),
    "filed_timely": ("及时备案件数", "Filed in time", "在期限内报送备案的件数", "Documents filed within the deadline"),
    "reported_review_rate": (
        "审查率（报表）",
        "Review rate (reported)",
        "汇总表上填写的审查率（小数）",
        "Review rate as typed (fraction)",
    ),
    "reported_publication_rate": (
        "公开率（报表）",
        "Publication rate (reported)",
        "汇总表上填写的公开率（小数）",
        "Publication rate as typed (fraction)",
    ),
    "reported_filing_rate": (
        "备案率（报表）",
        "Filing rate (reported)",
        "汇总表上填写的备案率（小数）",
        "Filing rate as typed (fraction)",
    ),
}

TABLE = (
    PERIOD_SQL
    + """
    issued         INTEGER,
    reviewed       INTEGER,
    published      INTEGER,
    filed          INTEGER,
    filed_timely   INTEGER,
    reported_review_rate      DOUBLE,
    reported_publication_rate DOUBLE,
    reported_filing_rate      DOUBLE
"""
)  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "规范性文件汇总表",
    (
        "规范性文件审查备案汇总表：每行一个乡镇一年或半年",
        "Normative documents summary sheet: one row per town and year or half-year",
    ),
    DOCS,
    ("town", "period_id"),
    dated_by="period_start",
    table_sql=TABLE,
)
