"""The disclosure-request register (政府信息公开申请台账, 依申请公开): one row per request.

Its headers, its vocabulary (答复类型: 公开, 部分公开, 不予公开, 信息不存在, 非本机关 …), how a row
is built (the time limit runs from the corrected application when there was a 补正; the working
days to the reply are counted on China's official calendar with its 调休 days, by the documents
register's code), what identifies a request across files, its personal columns, its
data-dictionary entries and its blank template. Whether a reply was in time is judged when read
(``analytics.semantic.disclosures``), since the limit is a setting.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from etl import columns as col
from etl import normalise as n
from etl.datasets.base import Dataset, Docs, Pivot, flag_share
from etl.datasets.documents import _count_workdays
from etl.fields import DATE_NOTE, PROVENANCE, TOWN, YES_NO, Column, Spec, Template, field
from etl.frame import Frame
from etl.normalise import Outcome, as_text, compact, is_blank

REPLY_TYPES: dict[str, tuple[str, str]] = {
    "disclosed": ("予以公开", "Disclosed"),
    "partly": ("部分公开", "Partly disclosed"),
    "refused": ("不予公开", "Refused"),
    "not_exist": ("信息不存在", "Information does not exist"),
    "not_ours": ("非本机关信息", "Not held by this agency"),
    "not_processed": ("不予处理", "Not processed"),
    "other": ("其他处理", "Other"),
}
OPEN_WORDS = ("办理中", "在办", "未答复", "待答复", "未办结", "正在办理", "结转", "继续办理")
# What a request answered on an unknown day counts as (``analytics.semantic.measures``), said in its warning.
UNDATED = "按已答复计（不算逾期未答复），但无法判断是否按时，不计入按时答复率"
# The kinds of reply named by their own words, first match wins. 部分 comes first (部分不予公开 is 部分
# 公开), and 无法提供 is the national annual report's own category for information the agency does not
# hold (信息不存在), read before the negated 公开/提供 below, which are 不予公开.
_REPLY_WORDS = (
    ("部分", "partly"),
    ("无法提供", "not_exist"), ("不存在", "not_exist"), ("不掌握", "not_exist"), ("另行制作", "not_exist"),
    ("无此信息", "not_exist"), ("查无", "not_exist"),
    ("非本机关", "not_ours"), ("不属于本机关", "not_ours"), ("告知向", "not_ours"),
    ("不予处理", "not_processed"), ("不予受理", "not_processed"), ("重复申请", "not_processed"),
    ("信访", "not_processed"), ("投诉举报", "not_processed"),
    ("撤回", "other"), ("不补正", "other"), ("其他", "other"),
)  # fmt: skip
# A no governing 公开/提供: 不予公开, 不公开, 不予提供, 不同意公开, 无法公开, 不能公开, 拒绝提供, 暂不公开.
_REFUSED = re.compile(r"(不予以?|不同意|不能够?|无法|拒绝|拒不|暂不|不)(予以|同意|能|再)?(公开|提供)|^不同意$")
# Refusals whose words could also mean "not yet" or "later" (未公开, 暂缓公开): read as refused, said.
_REFUSED_MAYBE = re.compile(r"(未|暂缓|没有|没)(予以)?(公开|提供)")
# The grounds the law gives for refusing (国家秘密, 商业秘密, 个人隐私, 过程性信息, 内部事务信息,
# 行政执法案卷): written instead of the kind of reply, they mean 不予公开; said, as it is read from a reason.
_REFUSAL_GROUNDS = ("国家秘密", "商业秘密", "个人隐私", "过程性信息", "内部事务", "执法案卷", "危及")
_DISCLOSED = ("公开", "提供", "同意")
_NOT = "不未无没拒否非"


def parse_reply_type(value: object) -> Outcome:
    """答复类型: one of ``REPLY_TYPES``; blank, 办理中 or 结转下年度 is open (None); other words are 其他,
    and a reading that is a guess (未公开, a reason for refusing, a no that governs nothing) is said."""
    if is_blank(value):
        return (None, None, None)
    text = compact(value)
    if any(word in text for word in OPEN_WORDS):
        return (None, None, None)
    main = n.without_notes(text) or text  # 不能公开（涉及商业秘密）: the kind, then its reason
    for word, code in _REPLY_WORDS:
        if word in main:
            return (code, None, None)
    if _REFUSED.search(main):
        return ("refused", None, None)
    maybe = _REFUSED_MAYBE.search(main)
    if maybe:
        return ("refused", None, f"「{as_text(value)}」按不予公开计入（「{maybe.group(0)}」也可能是尚未答复），请核对")
    ground = next((g for g in _REFUSAL_GROUNDS if g in main), None)
    if ground is not None:
        return ("refused", None, f"「{as_text(value)}」写的是不公开的理由（{ground}），按不予公开计入，请核对")
    if any(word in main for word in _DISCLOSED):
        if any(c in main for c in _NOT):  # 不符合公开条件: a no, but of what?
            return ("other", None, f"无法判断答复类型「{as_text(value)}」是否公开，已归入其他处理，请核对")
        return ("disclosed", None, None)
    return ("other", None, f"无法识别的答复类型：{as_text(value)}，已归入其他处理")


# In a 是否延期 column the act is the extension itself: 延期, 经批准延期, 延期20个工作日, 延长答复期限 say
# yes; 不延期, 未延期, 无需延期, 不予延期 say no, as do 按期, 如期, 正常 (answered within the first limit).
_EXTENSION = ("延期", "延长")
_NO_EXTENSION = re.compile(r"(不|未|无|没有?|否|无需|不需|不予|未经批准)(需要?|予|经批准)?(延期|延长)|按期|如期|^正常")
_DAYS = re.compile(r"^\d+(个)?(工作日|日|天)?$")


def parse_extension(value: object) -> Outcome:
    """是否延期: yes/no as ``parse_optional_mark`` reads it, with the column's own words (延期 is yes);
    a number of days or a date (of the approval) is yes, said, as is 申请延期 (approved?); anything else is
    not extended, said."""
    if is_blank(value):
        return (None, None, None)
    text = n.without_notes(compact(value)) or compact(value)
    if _NO_EXTENSION.search(text):
        return (False, None, None)
    if any(word in text for word in _EXTENSION):
        pending = next((cue for cue in ("申请", "拟", "待") if cue in text), None)  # 申请延期: approved?
        return (True, None, f"「{as_text(value)}」按已延期计入，请核对是否经批准" if pending else None)
    parsed, inferred = n.read_mark(value)
    if parsed is not None:
        return (parsed, None, n.parse_optional_mark(value)[2] if inferred else None)
    if _DAYS.match(text) or n.to_date(value) is not None:
        return (True, None, f"是否延期填的是「{as_text(value)}」，按已延期计入，请核对")
    return (None, None, f"无法识别的是否延期：{as_text(value)}，已按未延期处理")


SPEC = Spec(
    "disclosures",
    "政府信息公开申请台账",
    (
        field("request_no", "text", "编号 登记编号 申请编号 序列号 受理编号"),
        field(
            "received_date", "date", "收到日期 收件日期 收到申请日期 申请日期 受理日期 登记日期 收到申请时间 申请时间", "收到日期",
            yields="申请日期 申请时间", yields_why="答复期限自收到申请之日起算，不从申请人落款或邮寄之日算",
        ),
        field("applicant_type", "text", "申请人类型 申请人类别 申请主体 申请人性质"),
        field("applicant", "text", "申请人 申请人姓名 申请人名称"),
        field("content", "text", "申请内容 申请公开内容 申请公开的信息 所需信息内容 内容 申请事项"),
        field("correction_date", "optional_date", "补正日期 补正后收到日期 收到补正日期 补正时间"),
        field("extended", "extension", "是否延期 延期 延期答复 是否延期答复", "是否延期"),
        field("reply_date", "optional_date", "答复日期 答复时间 办结日期 告知日期 答复书日期", "答复日期"),
        field("reply_type", "reply_type", "答复类型 办理结果 答复结果 答复情况 处理结果 答复方式 办理情况", "答复类型"),
        field("note", "text", "备注"),
        TOWN,
    ),
    (("received_date",), ("reply_date", "reply_type"), ("content", "applicant", "applicant_type", "extended")),
    (
        *PROVENANCE, "request_no", "received_date", "applicant_type", "applicant", "content", "correction_date",
        "start_date", "extended", "reply_date", "reply_type", "reply_type_raw", "working_days", "note", "extra",
    ),
)  # fmt: skip


def build(fr: Frame) -> dict[str, Any]:
    received = fr.require("received_date")
    out: dict[str, Any] = {"received_date": received}
    for name in ("request_no", "applicant_type", "applicant", "content", "note"):
        out[name] = fr.get(name)
    correction = _correction_after_receipt(fr, received)
    out["correction_date"] = correction
    out["start_date"] = col.combine_first(correction, received)
    out["extended"] = fr.flag("extended")
    reply = fr.get("reply_date") if fr.has("reply_date") else col.no_dates(len(fr))
    reply_type = fr.get("reply_type")
    out["reply_type_raw"] = fr.text_of("reply_type")
    # A reply date with no type is answered (其他处理), and so is a 答复日期 cell holding something
    # that is no day (2024年4月, 已邮寄): someone wrote that it was answered. A type with no usable
    # date is answered on an unknown day: not open, and not judged in time or late (measures).
    replied = ~np.isnat(reply) | _written_not_a_day(fr, reply)
    out["reply_type"] = np.where(replied & col.isna(reply_type), "other", reply_type).astype(object)
    before = reply < out["start_date"]  # False where either is NaT
    fr.warn(
        fr.label("reply_date"), fr.raw_of("reply_date"), col.where(before, f"答复日期早于收到（补正）日期，{UNDATED}")
    )
    reply = np.where(before, col.NOT_A_DAY, reply)
    typed_only = np.isnat(reply) & ~col.isna(out["reply_type"]) & ~before
    fr.warn(
        fr.label("reply_type"), fr.raw_of("reply_type"), col.where(typed_only, f"有答复但没有可用的答复日期，{UNDATED}")
    )
    out["reply_date"] = reply
    out["working_days"] = _working_days(fr, out["start_date"], reply)
    return out


def _correction_after_receipt(fr: Frame, received: np.ndarray) -> np.ndarray:
    """补正日期 where it is on or after the 收到日期. One before it (a year typed wrong: 2023-03-06 for
    2024-03-06) would move the deadline back before the request came in; it is not used (the deadline
    runs from the 收到日期) and the warning names both dates."""
    if not fr.has("correction_date"):
        return col.no_dates(len(fr))
    correction = np.asarray(fr.get("correction_date"), dtype="datetime64[D]")
    early = correction < np.asarray(received, dtype="datetime64[D]")  # False where either is NaT
    messages = np.full(len(fr), None, dtype=object)
    messages[early] = [
        f"补正日期 {c} 早于收到日期 {r}，补正日期未使用，答复期限从收到日期起算，请核对"
        for c, r in zip(
            correction[early].tolist(), np.asarray(received, dtype="datetime64[D]")[early].tolist(), strict=True
        )
    ]
    fr.warn(fr.label("correction_date"), fr.raw_of("correction_date"), messages)
    return np.where(early, col.NOT_A_DAY, correction)


def _written_not_a_day(fr: Frame, reply: np.ndarray) -> np.ndarray:
    """Rows whose 答复日期 cell holds text that is not a day and does not say the request is open."""
    written = [not is_blank(t) and not any(w in compact(t) for w in OPEN_WORDS) for t in fr.text_of("reply_date")]
    found: np.ndarray = np.isnat(reply) & np.array(written, dtype=bool)
    return found


def _working_days(fr: Frame, start: np.ndarray, reply: np.ndarray) -> np.ma.MaskedArray:
    """Working days after the start up to and including the reply (official calendar), per row."""
    numbers = np.full(len(start), np.nan)
    messages = np.full(len(start), None, dtype=object)
    both = ~np.isnat(start) & ~np.isnat(reply)
    pairs = list(zip(start[both].tolist(), reply[both].tolist(), strict=True))
    counted = {pair: _count_workdays(*pair) for pair in set(pairs)}
    results = [counted[pair] for pair in pairs]
    numbers[both] = [r if isinstance(r, int) else np.nan for r in results]
    messages[both] = [r.replace("备案", "答复") if isinstance(r, str) else None for r in results]
    fr.warn(fr.label("reply_date"), fr.raw_of("reply_date"), messages)
    return col.integers(numbers)


DOCS: Docs = {
    "request_no": ("编号", "Request no.", "申请登记编号", "Request number"),
    "received_date": ("收到日期", "Received", "收到申请的日期", "Date the request was received"),
    "applicant_type": (
        "申请人类型",
        "Applicant type",
        "自然人、法人或其他组织（按原文）",
        "Person, company or organisation",
    ),
    "applicant": (
        "申请人",
        "Applicant",
        "申请人姓名或名称（个人信息，默认隐去名字）",
        "Applicant's name (personal; masked by default)",
    ),
    "content": ("申请内容", "Content", "申请公开的政府信息", "Information requested"),
    "correction_date": (
        "补正日期",
        "Corrected on",
        "收到补正申请的日期；答复期限自此日起算（早于收到日期的补正日期不用，导入时警告）",
        "Date the corrected request came in; the limit runs from it (one before the receipt is not used, and warned)",
    ),
    "start_date": (
        "起算日期",
        "Limit starts",
        "答复期限的起算日：有补正日期为补正日期，否则为收到日期",
        "When the time limit starts: the correction date, else the receipt date",
    ),
    "extended": ("延期", "Extended", "是否经批准延期答复", "Whether the reply was extended with approval"),
    "reply_date": (
        "答复日期",
        "Replied",
        "作出答复的日期；为空且答复类型也为空表示尚未答复，有答复类型的为答复日期不明（不判断是否按时）",
        "Date of the reply; empty while open, or when answered on a day not written down (reply given: not judged)",
    ),
    "reply_type": (
        "答复类型",
        "Reply",
        "disclosed 予以公开、partly 部分公开、refused 不予公开、not_exist 信息不存在、not_ours 非本机关信息、"
        "not_processed 不予处理、other 其他处理；尚未答复为空",
        "Kind of reply; empty while open",
    ),
    "reply_type_raw": ("答复类型原文", "Reply (as typed)", "台账中填写的答复类型原文", "Reply as typed"),
    "working_days": (
        "答复用时（工作日）",
        "Working days to reply",
        "起算日到答复日的工作日天数（按国家法定节假日和调休）；未答复或超出日历年份为空",
        "Working days from the start to the reply (official calendar); empty while open",
    ),
    "note": ("备注", "Note", "备注", "Remarks"),
}

TEMPLATE = Template(
    "disclosures",
    "政府信息公开申请台账",
    "政府信息公开申请台账模板.xlsx",
    (
        Column("编号", 10, "申请登记编号，可不填"),
        Column("收到日期", 13, DATE_NOTE, "date", required=True),
        Column("申请人类型", 12, "自然人、法人 或 其他组织", "list", ("自然人", "法人", "其他组织")),
        Column("申请人", 12, "申请人姓名或名称"),
        Column("申请内容", 30, "申请公开的政府信息"),
        Column("补正日期", 13, "要求补正的，填收到补正申请的日期；" + DATE_NOTE, "date"),
        Column("是否延期", 10, "是否经批准延期答复：是 或 否", "list", YES_NO),
        Column("答复日期", 13, "尚未答复的不填；" + DATE_NOTE, "date"),
        Column("答复类型", 14, "从下拉列表中选择；尚未答复的不填", "list", tuple(zh for zh, _ in REPLY_TYPES.values())),
        Column("备注", 20, "其他说明"),
    ),
    (
        "一行填写一件依申请公开申请。",
        "答复期限为收到申请之日起20个工作日，经批准延期的再延长20个工作日（按国家法定节假日和调休计算）；补正的自收到补正申请之日起算。",
    ),
)

PIVOT = Pivot(
    ("依申请公开", "Disclosure requests"),
    columns=("town", "applicant_type", "reply_type", "extended", "source_file"),
    detail=("received_date", "town", "request_no", "applicant_type", "applicant", "content", "correction_date",
            "extended", "reply_date", "reply_type", "working_days", "source_file", "sheet", "excel_row"),
    sums=("working_days",),
    shares={"extended": flag_share("extended", "延期答复比例", "Share extended")},
)  # fmt: skip


# 政府信息公开申请台账 (依申请公开): one row per request.
TABLE = """
    request_no      VARCHAR,
    received_date   DATE NOT NULL,      -- 收到日期
    applicant_type  VARCHAR,            -- 自然人 | 法人 | 其他组织 (as typed)
    applicant       VARCHAR,
    content         VARCHAR,
    correction_date DATE,               -- 补正日期: the time limit runs from here when set
    start_date      DATE NOT NULL,      -- when the time limit starts: correction_date, else received_date
    extended        BOOLEAN NOT NULL,   -- 是否延期
    reply_date      DATE,               -- 答复日期; NULL while open, or answered on an unknown day (reply_type set)
    reply_type      VARCHAR,            -- disclosed | partly | refused | not_exist | not_ours | not_processed | other; NULL while open
    reply_type_raw  VARCHAR,
    working_days    INTEGER,            -- working days from start to reply (official calendar); NULL while open or past its years
    note            VARCHAR,
    extra           VARCHAR
"""  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "政府信息公开申请台账",
    ("政府信息公开申请台账：每行一件依申请公开申请", "Disclosure-request register: one row per request"),
    DOCS,
    ("town", "received_date", "applicant", "content"),
    kinds={
        "reply_type": lambda s, d: n.column(s, parse_reply_type, d),
        "extension": lambda s, d: n.bool_column(s, parse_extension, d),
    },
    personal_names=frozenset({"applicant"}),
    value_labels={"reply_type": REPLY_TYPES},
    template=TEMPLATE,
    dated_by="received_date",
    record_id="request_no",
    pivot=PIVOT,
    table_sql=TABLE,
)
