"""The normative documents register (规范性文件登记备案台账): one row per document.

Its headers, how a row is built (a date typed or written in the filing mark is the filing date,
已于3月5日报备 taking the issue's year; a filing dated before issue is filed but not in time; a
review dated after issue is no review beforehand; a row a register of every document marks as no
normative document is set aside; day counts in calendar and in working days, the latter by
China's official calendar with its 调休 make-up days), what identifies a document across files,
its data-dictionary entries and its blank template.
"""

from __future__ import annotations

import math
import re
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


# 是否规范性文件 / 文件性质 in a register of every document sent out: which rows are normative documents.
_ORDINARY = re.compile(r"非规范性|不是规范性|不属于规范性|一般性?文件|普通文件|其他文件|其它文件|内部文件|事务性")


def parse_normative(value: object) -> n.Outcome:
    """是/规范性文件 -> True; 否/一般性文件/非规范性文件 -> False; blank or unreadable -> None (kept, and said)."""
    if n.is_blank(value):
        return (None, None, None)
    text = n.compact(value)
    if _ORDINARY.search(text):
        return (False, None, None)
    if "规范性文件" in text:
        return (True, None, None)
    flag = n.to_bool(value)
    if flag is None:
        return (None, None, f"无法识别是否规范性文件：{n.as_text(value)}，已按规范性文件计入，请核对")
    return (flag, None, None)


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
        field("normative", "normative", "是否规范性文件 是否为规范性文件 是否属于规范性文件 文件性质 是否规范性 规范性文件(是/否)"),
        TOWN,
    ),
    (("title",), ("issued_date",), ("reviewed",), ("published",), ("filed", "filed_date")),
    (
        *PROVENANCE, "doc_no", "title", "issued_date", "reviewed", "published", "filed", "filed_date",
        "filing_days", "filing_working_days", "status", "extra",
    ),
)  # fmt: skip


def build(fr: Frame) -> dict[str, Any]:
    _set_aside_ordinary(fr)
    out: dict[str, Any] = {"doc_no": fr.get("doc_no"), "title": fr.require("title")}
    issued = fr.require("issued_date")
    out["issued_date"] = issued
    out["reviewed"] = fr.flag("reviewed") & ~_reviewed_after_issue(fr, issued)
    out["published"] = fr.flag("published")
    filed_date = fr.get("filed_date") if fr.has("filed_date") else col.no_dates(len(fr))
    if fr.has("filed"):  # a date typed or written in the 是否备案 column is the filing date
        filed_date = col.combine_first(filed_date, _days_in_marks(fr, "filed", issued))
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


def _set_aside_ordinary(fr: Frame) -> None:
    """A register of every document sent out (发文登记) says which are normative documents: the rows it
    marks 否 or 一般性文件 are no normative documents, and are left out of every figure, said."""
    if not fr.has("normative"):
        return
    label = fr.label("normative")
    ordinary = ~np.asarray(col.filled(fr.get("normative"), True), dtype=bool)  # blank or unreadable: kept
    reason = f"「{label}」写明不是规范性文件，不计入规范性文件台账；这不是错误，无需修改"
    fr.error(label, fr.raw_of("normative"), col.where(ordinary, reason))


def _reviewed_after_issue(fr: Frame, issued: np.ndarray) -> np.ndarray:
    """Rows whose review is dated after issue: a legality review must come first (审查日期晚于印发日期 is
    the ledger filled in later, or a review of a text already out), so it is no review beforehand, said."""
    reviewed_on = _days_in_marks(fr, "reviewed", issued)
    late = ~np.isnat(reviewed_on) & ~np.isnat(issued) & (reviewed_on > issued)
    message = col.blank(len(fr))
    for i in np.flatnonzero(late).tolist():
        message[i] = (
            f"审查于{_written(reviewed_on[i])}，晚于印发日期{_written(issued[i])}，"
            "不算印发前的合法性审查，按未审查计入，请核对"
        )
    fr.warn(fr.label("reviewed"), fr.text_of("reviewed"), message)
    return np.asarray(late, dtype=bool)


def _written(day: np.datetime64) -> str:
    d = day.astype(date)
    return f"{d.year}年{d.month}月{d.day}日"


def _days_in_marks(fr: Frame, name: str, issued: np.ndarray) -> np.ndarray:
    """The day each row's ``name`` columns give: a date cell, or a day written in the mark (已于3月5日报备,
    2024年8月15日已备案, 已报备（5月20日）); a day without its year takes the issue's (the next year's
    when that falls within three months after issue and the issue year's would come before it), said."""
    days = col.no_dates(len(fr))
    said = fr.empty()
    for c in fr.cols(name):
        for i, value in enumerate(fr.raw[c].tolist()):
            if not np.isnat(days[i]) or n.is_blank(value) or n.to_bool(value) is False:
                continue
            whole = n.to_date(value)
            if whole is not None:
                days[i] = np.datetime64(whole, "D")
                continue
            issue = None if np.isnat(issued[i]) else issued[i].astype(date)
            day, message = _day_in_text(n.compact(value), issue)
            if day is not None:
                days[i] = np.datetime64(day, "D")
                said[i] = message and f"「{n.as_text(value)}」{message}，请核对"
            elif issue is not None and re.search(r"\d", str(value)) and not re.fullmatch(r"[\d\s.]+", str(value)):
                # figures in words (已于3.5报备), not a mark that is a number (1 for yes, as a CSV holds it)
                said[i] = f"「{n.as_text(value)}」中的日期无法识别，{_UNDATED[name]}，请核对"
    fr.warn(fr.label(name), fr.text_of(name), said)
    return days


_UNDATED = {"filed": "按已备案、备案日期不明计（不计为及时备案）", "reviewed": "按已审查计（无法判断是否在印发前审查）"}


def _day_in_text(text: str, issued: date | None) -> tuple[date | None, str | None]:
    """The day a sentence names and, when its year was taken from the issue date, what was read."""
    found = n.DATE_IN_TEXT.search(text)
    if found is None or (found.group(1) is None and not re.search(r"月\s*\d{1,2}\s*[日号]", found.group())):
        return None, None  # 3.5 or 3-5 without a year is no day anyone wrote as one
    year, month, day = found.group(1), int(found.group(2)), int(found.group(3))
    try:
        if year is not None:
            return date(int(year), month, day), None
        if issued is None:
            return None, None
        read = date(issued.year, month, day)
        following = date(issued.year + 1, month, day)
    except ValueError:
        return None, None
    if read < issued and (following - issued).days <= 92:
        read = following  # issued in December, filed 1月5日: the next January
    return read, f"没有写年份，按印发日期的年份读作{read.year}年{read.month}月{read.day}日"


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
    kinds={
        "filing_date": lambda s, d: n.date_column(s, d, parse_filing_date),
        "normative": lambda s, d: n.bool_column(s, parse_normative, d),
    },
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
