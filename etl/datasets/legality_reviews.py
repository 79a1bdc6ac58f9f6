"""The legality review register (合法性审查台账): one row per matter reviewed before it is decided or signed.

Its headers, its vocabulary (类型: 重大行政决策, 合同, 其他涉法事务), how a row is built (a matter
counts as reviewed beforehand when a review is recorded and its date is not after the decision or
signing), what identifies a matter across files, its data-dictionary entries and its blank template.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from etl import columns as col
from etl import normalise as n
from etl.datasets.base import Dataset, Docs, Pivot, flag_share, metric_share
from etl.fields import DATE_NOTE, PROVENANCE, TOWN, YES_NO, Column, Spec, Template, field
from etl.frame import Frame
from etl.normalise import Outcome, as_text, compact, is_blank

MATTER_KINDS = {
    "major_decision": ("重大行政决策", "Major decision"),
    "contract": ("合同", "Contract"),
    "other": ("其他涉法事务", "Other legal matter"),
}
_KIND_WORDS = (
    ("合同", "contract"), ("协议", "contract"), ("其他", "other"), ("涉法", "other"), ("规范性文件", "other"),
    ("执法", "other"),
)  # fmt: skip
# A major decision is one the type calls 重大: 一般决策事项 and 非重大行政决策 are decisions, not major ones.
_NOT_MAJOR = re.compile(r"(非|不属于?|不是|不够|不构成|未列入|不列入)重大|一般")
_DECISION = ("决策", "事项")


def parse_matter_kind(value: object) -> Outcome:
    """类型: major decision or contract; blank or any other word is kept as other, and said.

    A major decision must say 重大 (重大行政决策, 重大决策事项); one that says it is not (非重大行政决策,
    一般决策事项) is other. A decision that says neither (行政决策) is other too, and said, since it may be
    a major decision written short.
    """
    if is_blank(value):
        return ("other", None, None)
    text = compact(value)
    decision = any(word in text for word in _DECISION)
    if "重大" in text and decision and not _NOT_MAJOR.search(text):
        return ("major_decision", None, None)
    for word, code in _KIND_WORDS:
        if word in text:
            return (code, None, None)
    if _NOT_MAJOR.search(text):
        return ("other", None, None)
    if "决策" in text:
        return (
            "other",
            None,
            f"审查事项类型「{as_text(value)}」未写明重大，未计入重大行政决策，已归入其他涉法事务，请核对",
        )
    return ("other", None, f"无法识别的审查事项类型：{as_text(value)}，已归入其他涉法事务")


# An opinion that is no opinion: a bare 无 or 不涉及, or words saying the matter never went to review
# (未送审, 不需审查, 待审查, 审查中). "无意见", "无异议", "未发现法律风险", "不涉及违法内容", "审查中发现
# 第五条…" and "建议修改后待提交审议" are opinions, so the words count only where they are about the
# review itself. A cell of dashes or slashes alone is no opinion either, as a blank is, and needs no word.
_NOT_REVIEWED = re.compile(
    r"^(无|暂无|没有|空|否|未|无审查意见|不涉及|不适用)$"
    r"|(未|没有?|无需|无须|毋需|不需要?|不必|不用|免于?|免予|暂未|尚未)(经过?)?(合法性)?"
    r"(送审|报审|审查|审核|审(?!批)|提交|报送|提请|送)"
    r"|(^|[，,。；;（(])(待|拟)(合法性)?(送审|报审|审查|审核|审(?!批)|提交|报送|提请)"
    r"|(审查|审核)中($|[，,。；;）)])|正在(审查|审核)|不属于(合法性)?审查范围"
)
_PLACEHOLDER = re.compile(r"^[\\/／\-－—–_~～.…。、,，*]+$")


def opinion_says_unreviewed(value: object) -> str | None:
    """What an opinion cell says against a review: "placeholder" (/, —), "words" (未送审, 无), else None."""
    text = compact(value)
    if not text:
        return None
    if _PLACEHOLDER.match(text):
        return "placeholder"
    return "words" if _NOT_REVIEWED.search(text) else None


SPEC = Spec(
    "legality_reviews",
    "合法性审查台账",
    (
        field("matter", "text", "事项 审查事项 事项名称 送审事项 名称 审查内容 合同名称 决策事项", "事项"),
        field("matter_kind", "matter_kind", "类型 事项类型 审查类型 类别 事项类别"),
        field("submitted_date", "optional_date", "提交日期 送审日期 报送日期 提请日期 收件日期 提交时间 送审时间"),
        field("reviewed_date", "optional_date", "审查日期 出具意见日期 审查时间 审核日期 意见日期"),
        field("decided_date", "optional_date", "决策日期 签订日期 签约日期 通过日期 印发日期 作出决定日期 会议日期"),
        field("reviewed", "optional_mark", "是否审查 是否经合法性审查 合法性审查 是否审核"),
        field("reviewer", "text", "审查人 审查机构 审查单位 审核人 审查主体"),
        field("opinion", "text", "审查意见 意见 审核意见 法律意见"),
        field("adopted", "optional_mark", "是否采纳 采纳情况 意见采纳情况 是否采纳意见", "是否采纳"),
        field("note", "text", "备注"),
        TOWN,
    ),
    (("matter",), ("submitted_date", "reviewed_date", "decided_date"), ("reviewer", "opinion", "reviewed", "adopted")),
    (
        *PROVENANCE, "matter", "matter_kind", "matter_kind_raw", "matter_date", "submitted_date", "reviewed_date",
        "decided_date", "reviewed", "reviewed_before", "pending", "reviewer", "opinion", "adopted", "note", "extra",
    ),
)  # fmt: skip


def _dates(fr: Frame, name: str) -> np.ndarray:
    return fr.get(name) if fr.has(name) else col.no_dates(len(fr))


def _marks(fr: Frame, name: str) -> np.ma.MaskedArray:
    """An optional yes/no field as a masked bool array (all unknown when the sheet has no such column)."""
    return fr.get(name) if fr.has(name) else col.booleans(fr.empty())


# A register of one kind says so in its title (合同合法性审查台账) or its name column (合同名称); with no 类型
# column its rows are that kind. Without either, a name with 合同 or 协议 in it is a contract.
_KIND_TITLES = (("重大行政决策", "major_decision"), ("重大决策", "major_decision"), ("合同", "contract"))


def _kind_without_column(fr: Frame, matters: np.ndarray) -> np.ndarray:
    """Each row's kind when the sheet has no 类型 column, and a warning saying where it was read from."""
    named = [
        (text, {code for word, code in _KIND_TITLES if word in text})
        for text in (*fr.context[1:], *fr.context[:1], fr.label("matter"))
    ]
    said = [(text, codes) for text, codes in named if codes]  # 重大行政决策和合同合法性审查台账 names both: rows say
    kinds = fr.empty("other")
    message = col.blank(len(fr))
    if said and len(said[0][1]) == 1:
        where, (code,) = said[0]
        kinds[:] = code
        message[:] = f"没有类型列，按「{where}」全部计为{MATTER_KINDS[code][0]}"
    else:
        names = [as_text(v) or "" for v in matters.tolist()]
        for i, name in enumerate(names):
            if "合同" in name or "协议" in name:
                kinds[i] = "contract"
                message[i] = f"没有类型列，事项「{name}」按名称计为合同"
    fr.warn(fr.label("matter"), fr.raw_of("matter"), message)
    return kinds


# An opinion saying the matter waits for review (待审查, 审查中) leaves it pending as no opinion does.
_WAITING = re.compile(r"待(合法性)?(审查|审核|审)|(审查|审核)中|正在(审查|审核)")


def _pending(
    fr: Frame,
    submitted: np.ndarray,
    reviewed_on: np.ndarray,
    decided: np.ndarray,
    said_no: np.ndarray,
    says: np.ndarray,
) -> np.ndarray:
    """Rows only submitted for review: a submission date, no review, no decision or signing yet, and
    nothing saying it went without review (是否审查 否, 未送审). They are waiting for the reviewer, so
    they are neither decisions made nor matters decided unreviewed; each is said."""
    waiting = np.array([bool(_WAITING.search(as_text(v) or "")) for v in fr.raw_of("opinion").tolist()], dtype=bool)
    opinion_ok = (says == "") | (says == "placeholder") | waiting
    pending = np.asarray(~np.isnat(submitted) & np.isnat(reviewed_on) & np.isnat(decided) & ~said_no & opinion_ok)
    fr.warn(fr.label("submitted_date"), fr.raw_of("submitted_date"), col.where(
        pending, "只有提交日期，还没有审查日期和决策（签订）日期，按待审查计，不计入决策（签订）件数；已决策或签订的请补日期"
    ))  # fmt: skip
    return pending


def build(fr: Frame) -> dict[str, Any]:
    out: dict[str, Any] = {"matter": fr.require("matter")}
    if fr.has("matter_kind"):
        out["matter_kind"] = col.filled(fr.get("matter_kind"), "other")
    else:
        out["matter_kind"] = _kind_without_column(fr, out["matter"])
    out["matter_kind_raw"] = fr.text_of("matter_kind")
    submitted, reviewed_on, decided = (_dates(fr, n) for n in ("submitted_date", "reviewed_date", "decided_date"))
    out["submitted_date"], out["reviewed_date"], out["decided_date"] = submitted, reviewed_on, decided
    when = col.combine_first(col.combine_first(decided, submitted), reviewed_on)
    fr.error(fr.label("submitted_date"), fr.raw_of("submitted_date"),
             col.where(np.isnat(when), "提交、审查、决策（签订）日期均为空"))  # fmt: skip
    out["matter_date"] = when
    mark = _marks(fr, "reviewed")
    said_no = ~col.isna(mark) & ~col.flags(mark)  # said no: not reviewed
    by_other = col.flags(mark) | ~np.isnat(reviewed_on)
    says = _opinions(fr)
    typed = ~col.isna(fr.get("opinion"))
    worded = typed & (says == "words")
    out["reviewed"] = (by_other | (typed & (says == ""))) & ~said_no
    out["pending"] = _pending(fr, submitted, reviewed_on, decided, said_no, says) & ~out["reviewed"]
    _warn_opinions(fr, worded & ~out["pending"], by_other & ~said_no, said_no)  # 待审查 waits: said as pending
    late = reviewed_on > decided  # False where either is NaT
    fr.warn(fr.label("reviewed_date"), fr.raw_of("reviewed_date"),
            col.where(late, "审查日期晚于决策（签订）日期，不计为事前审查"))  # fmt: skip
    out["reviewed_before"] = out["reviewed"] & ~late
    for name in ("reviewer", "opinion", "note"):
        out[name] = fr.get(name)
    out["adopted"] = _marks(fr, "adopted")
    return out


def _opinions(fr: Frame) -> np.ndarray:
    """Per row, what its opinion says against a review (``opinion_says_unreviewed``; "" for nothing)."""
    raw = fr.raw_of("opinion")
    said = {v: opinion_says_unreviewed(v) or "" for v in dict.fromkeys(raw.tolist())}
    return np.array([said[v] for v in raw.tolist()], dtype=object)


def _warn_opinions(fr: Frame, worded: np.ndarray, reviewed_by_other: np.ndarray, said_no: np.ndarray) -> None:
    """Say how an opinion in words saying no review (未送审, 无) was read: against a review date or a
    是否审查 of yes it loses, and is worth a look; on its own it makes the matter unreviewed."""
    label, raw = fr.label("opinion"), fr.raw_of("opinion")
    texts = [as_text(v) for v in raw.tolist()]
    alone = worded & ~reviewed_by_other & ~said_no
    clash = worded & reviewed_by_other
    message = col.blank(len(fr))
    for i in np.flatnonzero(alone):
        message[i] = f"审查意见「{texts[i]}」表示未经合法性审查，不计为已审查，请核对"
    for i in np.flatnonzero(clash):
        message[i] = f"审查意见「{texts[i]}」像是未经合法性审查，但填了审查日期或是否审查为是，按已审查计，请核对"
    fr.warn(label, raw, message)


DOCS: Docs = {
    "matter": ("事项", "Matter", "提请合法性审查的事项、合同或文件", "Matter, contract or document reviewed"),
    "matter_kind": (
        "类型",
        "Kind",
        "major_decision＝重大行政决策，contract＝合同，other＝其他涉法事务",
        "Major decision, contract or other legal matter",
    ),
    "matter_kind_raw": ("类型原文", "Kind (as typed)", "台账中填写的类型原文", "Kind as typed"),
    "matter_date": (
        "日期",
        "Date",
        "归入期间的日期：决策（签订）日期，否则提交日期，否则审查日期",
        "Date the matter counts in: decided, else submitted, else reviewed",
    ),
    "submitted_date": ("提交日期", "Submitted", "提交合法性审查的日期", "Date submitted for review"),
    "reviewed_date": ("审查日期", "Reviewed on", "出具审查意见的日期", "Date of the review opinion"),
    "decided_date": ("决策（签订）日期", "Decided or signed", "作出决策或签订合同的日期", "Date decided or signed"),
    "reviewed": (
        "已审查",
        "Reviewed",
        "是否经合法性审查（有审查日期或审查意见也算；审查意见写「/」「无」「未送审」「不需审查」等不算）",
        "Whether the matter was reviewed",
    ),
    "reviewed_before": (
        "事前审查",
        "Reviewed beforehand",
        "经合法性审查且审查日期不晚于决策（签订）日期",
        "Reviewed, and not after the decision or signing",
    ),
    "pending": (
        "待审查",
        "Awaiting review",
        "只有提交日期，尚未审查、决策或签订的事项；不计入决策（签订）件数和审查率",
        "Submitted for review and not yet reviewed, decided or signed; not counted as decided",
    ),
    "reviewer": ("审查人", "Reviewer", "法律顾问、司法所等", "Legal adviser, justice office, …"),
    "opinion": ("审查意见", "Opinion", "审查意见", "Review opinion"),
    "adopted": ("是否采纳", "Adopted", "审查意见是否被采纳；未填为空", "Whether the opinion was adopted"),
    "note": ("备注", "Note", "备注", "Remarks"),
}

TEMPLATE = Template(
    "legality_reviews",
    "合法性审查台账",
    "合法性审查台账模板.xlsx",
    (
        Column("事项", 32, "提请审查的重大行政决策、合同或其他涉法事务", required=True),
        Column("类型", 14, "从下拉列表中选择", "list", tuple(zh for zh, _ in MATTER_KINDS.values()), required=True),
        Column("提交日期", 13, DATE_NOTE, "date", required=True),
        Column("审查日期", 13, DATE_NOTE, "date"),
        Column("决策日期", 13, "作出决策或签订合同的日期；" + DATE_NOTE, "date"),
        Column("审查人", 12, "法律顾问 或 司法所", "list", ("法律顾问", "司法所")),
        Column("审查意见", 30, "审查意见摘要"),
        Column("是否采纳", 10, "审查意见是否被采纳：是 或 否", "list", YES_NO),
        Column("备注", 20, "其他说明"),
    ),
    ("一行填写一件提请合法性审查的事项。", "未经审查就决策或签订的事项也要登记，审查日期不填。"),
)

PIVOT = Pivot(
    ("合法性审查", "Legality reviews"),
    columns=("town", "matter_kind", "reviewed", "reviewed_before", "reviewer", "adopted", "source_file"),
    detail=("matter_date", "town", "matter", "matter_kind", "submitted_date", "reviewed_date", "decided_date",
            "reviewed", "reviewed_before", "reviewer", "opinion", "adopted", "source_file", "sheet", "excel_row"),
    shares={
        "major": metric_share("major_decision_review_rate"),
        "contract": metric_share("contract_review_rate"),
        "adopted": flag_share("adopted", "意见采纳比例", "Share of opinions adopted"),
    },
)  # fmt: skip


# 合法性审查台账: one row per matter reviewed (major decision, contract, other legal matter).
TABLE = """
    matter         VARCHAR NOT NULL,    -- 事项
    matter_kind    VARCHAR NOT NULL,    -- major_decision | contract | other
    matter_kind_raw VARCHAR,
    matter_date    DATE NOT NULL,       -- the period's date: decided, else submitted, else reviewed
    submitted_date DATE,
    reviewed_date  DATE,
    decided_date   DATE,                -- 决策/签订日期
    reviewed       BOOLEAN NOT NULL,
    reviewed_before BOOLEAN NOT NULL,   -- reviewed, and not after the decision or signing
    pending        BOOLEAN NOT NULL,    -- only submitted: not yet reviewed, decided or signed
    reviewer       VARCHAR,             -- 法律顾问 | 司法所 | ... as typed
    opinion        VARCHAR,
    adopted        BOOLEAN,             -- 是否采纳; NULL when not stated
    note           VARCHAR,
    extra          VARCHAR
"""  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "合法性审查台账",
    ("合法性审查台账：每行一件审查事项", "Legality review register: one row per matter"),
    DOCS,
    ("town", "matter", "matter_date"),
    kinds={"matter_kind": lambda s, d: n.column(s, parse_matter_kind, d)},
    value_labels={"matter_kind": MATTER_KINDS},
    template=TEMPLATE,
    dated_by="matter_date",
    pivot=PIVOT,
    table_sql=TABLE,
)
