"""The work register (工作台账): one row per event of the year's rule-of-law work.

Its headers, its vocabulary (事项: 向党委政府汇报依法行政工作, 依法行政专题学习会, 季度督导,
规范性文件清理, 调解员培训, 法治宣传活动; any other kind is kept as 其他 with its words, and shown
so), how a row is built, what identifies an event across files, its data-dictionary entries and
its blank template. Where the training register records the same 学习会 and 调解员培训, the
training register wins (``analytics.semantic.metrics``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np

from etl import columns as col
from etl import normalise as n
from etl import subjects
from etl.datasets.base import Dataset, Docs, Pivot
from etl.fields import DATE_NOTE, PROVENANCE, TOWN, Column, Spec, Template, field
from etl.frame import Frame
from etl.normalise import Outcome, as_text, compact, is_blank

EVENT_KINDS = (
    "向党委政府汇报依法行政工作", "依法行政专题学习会", "季度督导", "规范性文件清理", "调解员培训", "法治宣传活动",
)  # fmt: skip
OTHER = "其他"
REPORT, STUDY, SUPERVISION, CLEANUP, MEDIATOR, PUBLICITY = EVENT_KINDS
# First match wins: the specific words before the general ones (调解员 before 学习会: a 调解员业务学习会
# is the mediators' training).
_KIND_WORDS = (
    ("汇报", REPORT), ("向党委", REPORT), ("调解员", MEDIATOR), ("专题学习", STUDY), ("学习会", STUDY),
    ("督导", SUPERVISION), ("督查", SUPERVISION), ("清理", CLEANUP), ("普法", PUBLICITY), ("宣传", PUBLICITY),
    ("法律六进", PUBLICITY), ("法律进", PUBLICITY), ("宪法日", PUBLICITY), ("12·4", PUBLICITY),
    ("法治讲座", PUBLICITY), ("法律讲座", PUBLICITY), ("法制讲座", PUBLICITY),
    ("专题会", STUDY), ("学法会", STUDY), ("集体学法", STUDY), ("集中学法", STUDY),
)  # fmt: skip
# Words of a gathering or a visit, as the six kinds are: a rule-of-law text with one that is none of
# them (法治思想座谈会, 法治培训班) may be one written otherwise, so it is said; 聘任法律顾问 is not.
_GATHERING = re.compile(r"会|讲座|讲课|授课|学习|培训|座谈|研讨|督|活动")
# A supervision of the town by the county (县普法办来镇督导, 迎接…督查) is no 季度督导 of its villages.
_INSPECTED = re.compile(
    r"(县|区|市|州|省|上级)[^，,。；;]{0,12}(来镇|到镇|来乡|到乡|来我|到我|对我|对本镇|对本乡|对镇|对乡|对街道|来街道)"
    r"|迎接|迎检|接受[^，,。；;]{0,10}(督导|督查|检查)"
)


# A word that names a kind only where the text is about whom or what the kind is about: a report to
# the county justice bureau is no report to the Party committee and government, a cleanup of
# contracts no cleanup of normative documents.
_CONTEXT = {
    REPORT: ("党委", "政府", "党政", "人大", "镇委", "乡委", "党工委", "常委会"),
    CLEANUP: ("规范性文件", "文件清理", "文件的清理"),
}
# And what it must be about (``etl.subjects``): a 安全生产专题学习会 is no rule-of-law study meeting, a
# 第一季度安全生产督查 no rule-of-law supervision, a 村调解员工作例会 no mediators' training. The
# words besides the kind word that say nothing about it (工作, 专题) follow.
_SUBJECT = {
    REPORT: (subjects.LAW, ("向", *_CONTEXT[REPORT], "会议", "工作", "情况")),
    STUDY: (subjects.LAW, ("专题", "学习", "会", "工作")),
    SUPERVISION: (re.compile(f"{subjects.LAW.pattern}|调解"), ("工作", "检查")),
    MEDIATOR: (subjects.TRAINING, ()),
    PUBLICITY: (subjects.LAW, ("活动", "工作", "月")),
}
_WHAT = {MEDIATOR: "培训"}  # what a kind is about, in its warnings; else the rule of law


# What joins two pieces of work in one 事项: 汇报…并开展普法宣传, 季度督导暨法治宣传活动, 清理和普法宣传.
_JOINERS = re.compile("并且|同时|并|暨|和|及|与|、|，|,|；|;|/|＋|\\+")


def read_event_kind(value: object) -> tuple[str, str | None]:
    """(the kind, a warning where a kind word came without its subject, or where the row names two
    kinds: a row is one event of one kind, so the first is counted and the others are named as not
    counted) of 事项 as typed."""
    kind, warning = _one_kind(value)
    others = [k for k in _kinds_joined(compact(value)) if k != kind]
    if kind == OTHER or not others:
        return (kind, warning)
    named = "、".join(f"「{k}」" for k in others)
    said = (
        f"「{as_text(value)}」写了不止一项工作，一行只计一项：已按「{kind}」计入，{named}未计入；"
        "如确是两项工作，请分行登记"
    )
    return (kind, f"{warning}；{said}" if warning else said)


def _kinds_joined(text: str) -> list[str]:
    """The distinct kinds the parts of ``text`` joined by 并/暨/和/、… name, in order, each read alone
    (a part whose kind word lacks its subject or names another subject is no second kind)."""
    parts = [p for p in _JOINERS.split(text) if p]
    if len(parts) < 2:
        return []
    kinds = [_one_kind(part) for part in parts]
    return list(dict.fromkeys(k for k, w in kinds if k != OTHER and w is None))


def _one_kind(value: object) -> tuple[str, str | None]:
    """(the kind, a warning where a kind word came without its subject) of 事项 as typed."""
    text = compact(value)
    if text in EVENT_KINDS:
        return (text, None)
    for word, kind in _KIND_WORDS:
        if word not in text or not any(cue in text for cue in _CONTEXT.get(kind, ("",))):
            continue
        if kind not in _SUBJECT:
            return (kind, None)
        subject, filler = _SUBJECT[kind]
        said = subjects.about(text, word, subject, filler)
        what = _WHAT.get(kind, "依法行政（法治）方面的")
        if said == "none":
            return (kind, f"「{as_text(value)}」未写明是{what}，已按「{kind}」计入，请核对")
        if said == "other":
            return (OTHER, f"「{as_text(value)}」含「{word}」，但不是{what}，未计入「{kind}」，已归入其他，请核对")
        return (kind, None)
    return (OTHER, None)


def normalise_event_kind(value: object) -> str:
    return read_event_kind(value)[0]


def parse_event_kind(value: object) -> Outcome:
    """事项: one of ``EVENT_KINDS``, else 其他 (the words are kept in ``kind_raw``); blank is rejected. A
    kind word without its subject is said: counted where nothing else is named, 其他 where another is."""
    if is_blank(value):
        return (None, "事项为空", None)
    kind, warning = read_event_kind(value)
    text = compact(value)
    if kind == OTHER and warning is None and subjects.LAW.search(text) and _GATHERING.search(text):
        warning = f"「{as_text(value)}」是法治工作，但不是六类工作中的任何一类，已归入其他；如是其中一类，请按下拉列表填写事项"
    return (kind, None, warning)


# A work register's 时间 may be a quarter (2024年第一季度) or a span (2024.7-9月, 2024.12.1-12.7): the
# event's start is its day, and said. A quarter is all a 季度督导 needs; a span's start is when it began.
_QUARTER = re.compile(r"^((?:19|20)\d{2})年?度?(?:第)?([一二三四1-4])季度?$|^((?:19|20)\d{2})[Qq]([1-4])$")
_MONTHS = re.compile(r"^((?:19|20)\d{2})[年.\-/]?(\d{1,2})月?(?:份)?[-—–~～至到](?:\d{1,2})月份?$")
_SPAN = re.compile(r"[-—–~～至到]")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _start_of(text: str) -> tuple[dt.date, str] | None:
    """The first day a quarter or span written as text covers, and how it was read; None if neither."""
    if quarter := _QUARTER.match(text):
        year, q = (quarter.group(1), quarter.group(2)) if quarter.group(1) else (quarter.group(3), quarter.group(4))
        start = dt.date(int(year), 3 * _QUARTERS[q] - 2, 1)
        return start, f"只写了季度，按该季度第一天{start.isoformat()}计入"
    if (months := _MONTHS.match(text)) and 1 <= int(months.group(2)) <= 12:
        start = dt.date(int(months.group(1)), int(months.group(2)), 1)
        return start, f"是一段时间，按开始的{start.isoformat()}计入"
    for cut in _SPAN.finditer(text):
        day, error, warning = _DAY(text[: cut.start()])
        if error is None and warning is None and isinstance(day, float) and day == day:
            start = dt.date(1970, 1, 1) + dt.timedelta(days=int(day))
            return start, f"是一段时间，按开始的{start.isoformat()}计入"
    return None


_DAY = n.date_parser()


def parse_event_day(value: object) -> Outcome:
    """时间: a date as everywhere, else a quarter or a span read as its first day, and said."""
    day, error, warning = _DAY(value)
    if error is None or isinstance(value, (dt.date, int, float)):
        return (day, error, warning)
    found = _start_of(compact(value))
    if found is None:
        return (day, error, warning)
    start, how = found
    day, later_error, _ = _DAY(start)
    return (day, later_error, None if later_error else f"日期「{as_text(value)}」{how}")


SPEC = Spec(
    "events",
    "工作台账",
    (
        field("event_date", "event_date", "日期 时间 活动日期 工作日期 开展日期 开展时间 活动时间 会议日期", "日期"),
        field("kind", "event_kind", "事项 工作事项 事项类型 工作类型 活动类型 活动类别 工作内容类别", "事项"),
        field("description", "text", "说明 内容 工作内容 具体内容 情况说明 主要内容 活动内容 活动名称 主题"),
        field("place", "text", "地点 活动地点 范围 督导对象 对象"),
        field("note", "text", "备注"),
        TOWN,
    ),
    (("event_date",), ("kind",)),
    (*PROVENANCE, "event_date", "kind", "kind_raw", "description", "place", "note", "extra"),
)


def build(fr: Frame) -> dict[str, Any]:
    out: dict[str, Any] = {"event_date": fr.require("event_date"), "kind": _not_inspections(fr, fr.get("kind"))}
    out["kind_raw"] = fr.text_of("kind")
    for name in ("description", "place", "note"):
        out[name] = fr.get(name)
    return out


def _not_inspections(fr: Frame, kinds: np.ndarray) -> np.ndarray:
    """季度督导 rows whose 事项 or 说明 say the town was the one inspected (县普法办来镇督导) are 其他, and said."""
    texts = [
        f"{a or ''}，{b or ''}"
        for a, b in zip(fr.text_of("kind").tolist(), fr.text_of("description").tolist(), strict=True)
    ]
    inspected = np.array(
        [k == SUPERVISION and bool(_INSPECTED.search(t)) for k, t in zip(kinds.tolist(), texts, strict=True)],
        dtype=bool,
    )
    if not inspected.any():
        return kinds
    kinds = kinds.copy()
    kinds[inspected] = OTHER
    fr.warn(fr.label("kind"), fr.raw_of("kind"), col.where(
        inspected, "这是上级对本镇的督导检查，不是本镇对村（社区）的季度督导，未计入季度督导，已归入其他"
    ))  # fmt: skip
    return kinds


DOCS: Docs = {
    "event_date": ("日期", "Date", "工作开展的日期", "Date of the event"),
    "kind": (
        "事项",
        "Kind",
        "、".join(EVENT_KINDS) + "；其他事项为「其他」，原文见事项原文",
        "One of the six kinds of rule-of-law work, or 其他 (other; see the text as typed)",
    ),
    "kind_raw": ("事项原文", "Kind (as typed)", "台账中填写的事项原文", "Kind as typed"),
    "description": ("说明", "Description", "工作内容说明", "What was done"),
    "place": ("地点/对象", "Place or subject", "活动地点或督导对象", "Where, or whom it concerned"),
    "note": ("备注", "Note", "备注", "Remarks"),
}

TEMPLATE = Template(
    "events",
    "依法行政工作台账",
    "依法行政工作台账模板.xlsx",
    (
        Column("日期", 13, DATE_NOTE, "date", required=True),
        Column(
            "事项",
            26,
            "从下拉列表中选择；其他工作选「其他」，在说明中写明",
            "list",
            (*EVENT_KINDS, OTHER),
            required=True,
        ),
        Column("说明", 40, "工作内容，如 向镇党委会议汇报上半年依法行政工作"),
        Column("地点", 16, "活动地点或督导的村（社区）"),
        Column("备注", 20, "其他说明"),
    ),
    (
        "一行填写一次工作：向党委政府汇报、专题学习会、季度督导、规范性文件清理、调解员培训、法治宣传活动。",
        "学法培训台账已按人登记的学习会和调解员培训，在这里登记也不会重复计数（以学法培训台账为准）。",
    ),
)

PIVOT = Pivot(
    ("依法行政工作", "Work events"),
    columns=("town", "kind", "kind_raw", "place", "source_file"),
    detail=("event_date", "town", "kind", "kind_raw", "description", "place", "source_file", "sheet", "excel_row"),
)  # fmt: skip


# 工作台账: one row per event of the year's rule-of-law work.
TABLE = """
    event_date  DATE NOT NULL,
    kind        VARCHAR NOT NULL,       -- one of the six kinds, or 其他 (kind_raw keeps what was typed)
    kind_raw    VARCHAR,
    description VARCHAR,                -- 说明
    place       VARCHAR,
    note        VARCHAR,
    extra       VARCHAR
"""  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "工作台账",
    ("依法行政工作台账：每行一次工作", "Work register: one row per event of rule-of-law work"),
    DOCS,
    ("town", "event_date", "kind", "description"),
    kinds={
        "event_kind": lambda s, d: n.column(s, parse_event_kind, d),
        "event_date": lambda s, d: n.date_column(s, d, parse_event_day),
    },
    template=TEMPLATE,
    dated_by="event_date",
    pivot=PIVOT,
    table_sql=TABLE,
)
