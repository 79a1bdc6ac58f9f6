"""The normative documents register (规范性文件登记备案台账): one row per document.

Its headers, how a row is built (a date typed as the filing mark is the filing date; a filing
dated before issue is filed but not in time; day counts in calendar and in working days, the
latter by China's official calendar with its 调休 make-up days), what identifies a document
across files, its data-dictionary entries and its blank template.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np

from etl import columns as col
from etl import normalise as n
from etl.datasets.base import Dataset, Docs, Pivot, metric_share
from etl.fields import DATE_NOTE, PROVENANCE, TOWN, YES_NO, Column, Spec, Template, field
from etl.frame import Frame, trimmed_text

_DAY = n.date_parser(month=None)  # the day decides whether a filing was in time


def parse_filing_date(value: object) -> n.Outcome:
    """A 备案日期 cell: a date; a no (未备案) is no filing; other text still says it was filed."""
    if n.is_blank(value) or n.to_bool(value) is False:
        return (math.nan, None, None)
    day, error, warning = _DAY(value)
    if error is not None:
        return (math.nan, None, f"{error}，按已备案、备案日期不明计（不计为及时备案）")
    return (day, None, warning)


SPEC = Spec(
    "documents",
    "规范性文件登记台账",
    (
        field("doc_no", "text", "文号 发文字号 统一登记号 登记号 文件编号"),
        field("title", "text", "文件名称 文件标题 名称 标题 规范性文件名称"),
        field("issued_date", "day", "印发日期 发布日期 制发日期 公布日期 发文日期 印发时间 发布时间", "印发日期"),
        field("reviewed", "mark_date", "合法性审查 是否经合法性审查 审查情况 合法性审核 是否审查 是否合法性审查 审查日期 合法性审查日期 审核日期", "合法性审查"),
        field("published", "mark_text", "是否公开 公开情况 公开日期 公开途径 公开方式 公开时间", "是否公开"),
        field("filed", "mark_date", "是否备案 报备情况 备案情况 是否报备", "是否备案"),
        field("filed_date", "filing_date", "备案日期 报备日期 报送备案日期 备案时间 报备时间", "备案日期"),
        field("status", "text", "状态 效力状态 文件状态 是否有效"),
        TOWN,
    ),
    (("title",), ("issued_date",), ("reviewed",), ("published",), ("filed", "filed_date")),
    (
        *PROVENANCE, "doc_no", "title", "issued_date", "reviewed", "published", "filed", "filed_date",
        "filing_days", "filing_working_days", "status", "extra",
    ),
)  # fmt: skip


def build(fr: Frame) -> dict[str, Any]:
    out: dict[str, Any] = {"doc_no": fr.get("doc_no"), "title": fr.require("title")}
    issued = fr.require("issued_date")
    out["issued_date"] = issued
    out["reviewed"] = fr.flag("reviewed")
    out["published"] = fr.flag("published")
    filed_date = fr.get("filed_date") if fr.has("filed_date") else col.no_dates(len(fr))
    if fr.has("filed"):  # a date typed in the 是否备案 column is the filing date
        filed_date = col.combine_first(filed_date, n.date_column(fr.raw_of("filed")).array)
    # Something typed as the filing date that is no date (2024年3月, 已报县司法局) still says it was
    # filed, unless it says no (未备案); its unreadable date is a warning from the column's parse.
    said_filed = np.fromiter(
        (not n.is_blank(v) and n.to_bool(v) is not False for v in fr.raw_of("filed_date")), dtype=bool, count=len(fr)
    )
    out["filed"] = fr.flag("filed") | ~np.isnat(filed_date) | said_filed
    unknown = np.isnat(filed_date) | np.isnat(issued)
    days = np.where(unknown, np.nan, (filed_date - issued).astype("int64"))  # NaN where either date is missing
    early = days < 0
    fr.warn(_filed_label(fr), _filed_text(fr), col.where(early, "备案日期早于印发日期，不计为及时备案"))
    out["filed_date"] = filed_date
    out["filing_days"] = col.integers(np.where(early, np.nan, days))  # no day count, so no deadline can be met
    out["filing_working_days"] = _working_days(fr, issued, np.where(early, col.NOT_A_DAY, filed_date))
    out["status"] = fr.get("status")
    return out


def _filed_label(fr: Frame) -> str:
    return fr.label("filed_date") if fr.has("filed_date") else fr.label("filed")


def _filed_text(fr: Frame) -> col.Column:
    return trimmed_text(fr.raw_of("filed_date") if fr.has("filed_date") else fr.raw_of("filed"))


def _count_workdays(issued: date, filed: date) -> int | str:
    import chinese_calendar

    if filed == issued:
        return 0
    try:
        return len(chinese_calendar.get_workdays(issued + timedelta(days=1), filed))
    except NotImplementedError:
        return f"法定节假日日历不含 {issued.year}–{filed.year} 年的数据，备案工作日无法计算"


def _working_days(fr: Frame, issued: np.ndarray, filed: np.ndarray) -> np.ma.MaskedArray:
    numbers = np.full(len(issued), np.nan)
    messages = np.full(len(issued), None, dtype=object)
    both = ~np.isnat(issued) & ~np.isnat(filed)
    pairs = list(zip(issued[both].tolist(), filed[both].tolist(), strict=True))
    counted = {pair: _count_workdays(*pair) for pair in set(pairs)}
    results = [counted[pair] for pair in pairs]
    numbers[both] = [r if isinstance(r, int) else np.nan for r in results]
    messages[both] = [r if isinstance(r, str) else None for r in results]
    fr.warn(_filed_label(fr), _filed_text(fr), messages)
    return col.integers(numbers)


DOCS: Docs = {
    "doc_no": ("文号", "Document no.", "发文字号或统一登记号", "Document number"),
    "title": ("文件名称", "Title", "规范性文件名称", "Document title"),
    "issued_date": ("印发日期", "Issued", "印发（发布）日期", "Date of issue"),
    "reviewed": ("合法性审查", "Reviewed", "是否经合法性审查", "Whether the document had a legality review"),
    "published": ("是否公开", "Published", "是否向社会公开", "Whether the document was published"),
    "filed": ("是否备案", "Filed", "是否报送备案", "Whether the document was filed"),
    "filed_date": ("备案日期", "Filed on", "报送备案日期", "Date of filing"),
    "filing_days": ("备案用时（天）", "Days to filing", "印发到备案的自然日天数", "Calendar days from issue to filing"),
    "filing_working_days": (
        "备案用时（工作日）",
        "Working days to filing",
        "印发到备案的工作日天数（按国家法定节假日和调休）；超出日历年份为空",
        "Working days from issue to filing (official calendar); empty past its last year",
    ),
    "status": ("效力状态", "Status", "有效、废止、失效或已修改", "In force, repealed, expired or amended"),
}

TEMPLATE = Template(
    "documents",
    "规范性文件登记备案台账",
    "规范性文件登记备案台账模板.xlsx",
    (
        Column("文号", 18, "发文字号，如 珠政发〔2020〕3号"),
        Column("文件名称", 36, "规范性文件全称", required=True),
        Column("印发日期", 13, DATE_NOTE, "date", required=True),
        Column("合法性审查", 11, "是否经合法性审查：是 或 否", "list", YES_NO, required=True),
        Column("是否公开", 10, "是否向社会公开：是 或 否", "list", YES_NO, required=True),
        Column("是否备案", 10, "是否报送备案：是 或 否", "list", YES_NO, required=True),
        Column("备案日期", 13, "报送备案的日期（用于判断是否及时备案）；" + DATE_NOTE, "date"),
        Column("效力状态", 10, "有效、废止、失效 或 已修改", "list", ("有效", "废止", "失效", "已修改")),
        Column("备注", 20, "其他说明"),
    ),
    ("一行填写一件规范性文件。",),
)

PIVOT = Pivot(
    ("规范性文件", "Normative documents"),
    columns=("town", "reviewed", "published", "filed", "status", "source_file"),
    detail=("issued_date", "town", "doc_no", "title", "reviewed", "published", "filed", "filed_date", "filing_days",
            "filing_working_days", "status", "source_file", "sheet", "excel_row"),
    sums=("filing_days",),
    shares={
        "reviewed": metric_share("document_review_rate"),
        "published": metric_share("document_publication_rate"),
        "filed": metric_share("document_filing_rate"),
    },
)  # fmt: skip


TABLE = """
    doc_no         VARCHAR,
    title          VARCHAR NOT NULL,
    issued_date    DATE NOT NULL,
    reviewed       BOOLEAN NOT NULL,
    published      BOOLEAN NOT NULL,
    filed          BOOLEAN NOT NULL,
    filed_date     DATE,
    filing_days    INTEGER,             -- calendar days from issue to filing
    filing_working_days INTEGER,        -- working days (China's official calendar); NULL past its last year
    status         VARCHAR,
    extra          VARCHAR
"""  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "规范性文件台账",
    ("规范性文件登记台账：每行一件文件", "Normative documents register: one row per document"),
    DOCS,
    ("town", "title", "issued_date"),
    kinds={"filing_date": lambda s, d: n.date_column(s, d, parse_filing_date)},
    # 关于印发《X》的通知 and X, 《X》 and X, a space apart: one document in two registers
    duplicate_as={
        "title": r"regexp_replace(regexp_replace({x}, '^关于印发|的通知$', '', 'g'), '[《》〈〉<>\s　]', '', 'g')"
    },
    template=TEMPLATE,
    dated_by="issued_date",
    record_id="doc_no",
    pivot=PIVOT,
    table_sql=TABLE,
)
