"""The training ledger (学法培训台账): one row per person per session, or a session with a head count.

Its headers, its vocabulary (the forms of study: 会前学法, 依法行政专题学习会, 调解员培训, …), how a
row is built, what identifies an attendance across files, its personal columns, its
data-dictionary entries and its blank template.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from etl import columns as col
from etl import normalise as n
from etl import subjects
from etl.datasets.base import PEOPLE_DOCS, Dataset, Docs, Pivot, flag_share
from etl.fields import DATE_NOTE, ENFORCEMENT, PROVENANCE, TOWN, UNIT, YES_NO, Column, Spec, Template, field
from etl.frame import Frame
from etl.normalise import Outcome, as_text, compact, is_blank

TRAINING_KINDS = ("会前学法", "中心组学法", "依法行政专题学习会", "专题讲座", "执法培训", "调解员培训", "线上学法")
# (keyword, kind, what the rest of the text must be about, words beside it that say nothing). The
# ledger is of legal study, so a bare 专题学习会 is taken as one on the rule of law; one that names
# another subject (安全生产专题学习会), or a 调解员 row that is no training (调解员工作例会), is not
# the kind (``etl.subjects``) and is left to the caller's 其他.
_KIND_KEYWORDS: tuple[tuple[str, str, re.Pattern[str] | None, tuple[str, ...]], ...] = (
    ("依法行政", "依法行政专题学习会", None, ()), ("调解员", "调解员培训", subjects.TRAINING, ()),
    ("专题学习会", "依法行政专题学习会", subjects.LAW, ("工作",)), ("会前", "会前学法", None, ()),
    ("中心组", "中心组学法", None, ()), ("讲座", "专题讲座", None, ()), ("执法", "执法培训", None, ()),
    ("线上", "线上学法", None, ()), ("网上", "线上学法", None, ()), ("网络", "线上学法", None, ()),
    ("学习强国", "线上学法", None, ()),
)  # fmt: skip


def normalise_training_kind(value: object) -> str | None:
    text = compact(value)
    if text in TRAINING_KINDS:
        return text
    for keyword, kind, subject, filler in _KIND_KEYWORDS:
        if keyword in text:
            if subject is not None and subjects.about(text, keyword, subject, filler) == "other":
                return None
            return kind
    return None


def parse_training_kind(value: object) -> Outcome:
    if is_blank(value):
        return ("其他", None, None)
    kind = normalise_training_kind(value)
    if kind is None:
        return ("其他", None, f"无法识别的学法形式：{as_text(value)}，已归入其他")
    return (kind, None, None)


# 出勤情况: a row of a session's list whose person was not there is no study (缺席, 请假, 未参加)
ABSENT = (
    "缺席",
    "缺勤",
    "请假",
    "病假",
    "事假",
    "公假",
    "出差",
    "未参加",
    "未参训",
    "未到",
    "未出席",
    "没参加",
    "没有参加",
    "不参加",
    "旷",
)
PRESENT = frozenset(
    ["参加", "已参加", "参训", "出席", "到", "到会", "已到", "出勤", "签到", "已签到", "在", "按时参加", "全程参加"]
)


def parse_attended(value: object) -> Outcome:
    """出勤情况: blank or 参加 -> True; 缺席/请假/未参加 -> False; anything else -> True, said."""
    if is_blank(value):
        return (True, None, None)
    text = n.without_notes(compact(value))
    if any(word in text for word in ABSENT):
        return (False, None, None)
    if text in PRESENT:
        return (True, None, None)
    parsed, inferred = n.read_mark(value)
    if parsed is None or inferred:
        return (True, None, f"无法识别的出勤情况：{as_text(value)}，已按参加计")
    return (parsed, None, None)


SPEC = Spec(
    "training",
    "学法培训台账",
    (
        field("session_date", "date", "日期 培训日期 学习日期 学法日期 培训时间 时间 学习时间", "培训日期"),
        field("topic", "text", "培训内容 学习主题 主题 学习内容 培训主题 内容"),
        field("kind", "training_kind", "形式 类型 学法形式 培训形式 培训类型 学习形式"),
        field("hours", "number", "学时 学时数 时长 学时(小时) 课时"),
        # minutes, as online-study platforms export them: read as hours (÷ 60), said once per sheet
        field("minutes", "number", "时长(分钟) 学时(分钟) 学习时长(分钟) 时长(分) 学习时长(分) 分钟数 学习分钟数",
              "时长（分钟）"),
        field("attended", "attended", "出勤情况 出勤 是否参加 参加情况 参训情况 出席情况 是否出席 到会情况 考勤 是否到会 签到情况"),
        field("name", "person", "姓名 参训人员 参训人 学员姓名", "姓名"),
        field("unit", "text", UNIT),
        field("is_enforcement", "optional_mark", ENFORCEMENT),
        field("attendees", "integer", "参加人数 参训人数 参会人数 人数"),
        TOWN,
    ),
    (("session_date",), ("name", "attendees")),
    (
        *PROVENANCE, "session_date", "topic", "kind", "hours", "name", "unit", "is_enforcement",
        "attendees", "extra",
    ),
)  # fmt: skip


def build(fr: Frame) -> dict[str, Any]:
    out: dict[str, Any] = {"session_date": fr.require("session_date"), "topic": fr.get("topic")}
    topic_kind = n.column(fr.get("topic"), lambda v: (normalise_training_kind(v), None, None)).array
    if fr.has("kind"):
        kind = fr.get("kind")
        blank = np.fromiter((n.is_blank(v) for v in fr.raw_of("kind")), dtype=bool, count=len(fr))
        out["kind"] = np.where((kind == "其他") & blank, topic_kind, kind).astype(object)
        out["kind"] = col.filled(out["kind"], "其他")
    else:
        out["kind"] = col.filled(topic_kind, "其他")
    out["hours"] = np.asarray(fr.get("hours"), dtype="float64") if fr.has("hours") else np.full(len(fr), np.nan)
    if fr.has("minutes"):  # where 学时 is blank (or absent), the minutes column's, in hours
        minutes = np.asarray(fr.get("minutes"), dtype="float64") / 60
        out["hours"] = np.where(np.isnan(out["hours"]), minutes, out["hours"])
    if fr.has("attended"):
        absent = ~np.asarray(col.filled(fr.get("attended"), True), dtype=bool)
        fr.error(fr.label("attended"), fr.raw_of("attended"),
                 col.where(absent, "没有参加这次学习（出勤情况如此），不计入参训记录；这不是错误，无需修改"))  # fmt: skip
    out["unit"] = fr.get("unit")
    enforcement = fr.get("is_enforcement")
    out["is_enforcement"] = enforcement if fr.has("is_enforcement") else col.booleans(enforcement)
    out["attendees"] = fr.get("attendees") if fr.has("attendees") else col.no_integers(len(fr))
    name = fr.get("name")
    if fr.has("attendees"):
        missing = col.isna(name) & col.isna(out["attendees"])
        fr.error(fr.label("name") if fr.has("name") else fr.label("attendees"), fr.raw_of("name"),
                 col.where(missing, "姓名和参加人数均为空"))  # fmt: skip
    else:
        name = fr.require("name")
    out["name"] = name
    return out


DOCS: Docs = {
    **PEOPLE_DOCS,
    "session_date": ("培训日期", "Session date", "学法培训日期", "Date of the session"),
    "topic": ("培训内容", "Topic", "培训内容或学习主题", "Topic of the session"),
    "kind": (
        "形式",
        "Kind",
        "会前学法、中心组学法、依法行政专题学习会、专题讲座、执法培训、调解员培训、线上学法或其他",
        "Kind of session (pre-meeting study, study meeting, lecture, enforcement or mediator training, online, other)",
    ),
    "hours": ("学时", "Hours", "本次学时数", "Study hours of the session"),
    "attendees": (
        "参加人数",
        "Attendees",
        "按场次登记时的参加人数（按人登记时为空）",
        "Attendee count on a session row (empty on per-person rows)",
    ),
}

TEMPLATE = Template(
    "training",
    "学法培训台账",
    "学法培训台账模板.xlsx",
    (
        Column("培训日期", 13, DATE_NOTE, "date", required=True),
        Column("培训内容", 30, "学习主题或培训内容"),
        Column("培训形式", 18, "从下拉列表中选择", "list", TRAINING_KINDS),
        Column("学时", 8, "本次学习的学时数，如 2 或 1.5", "number"),
        Column("姓名", 10, "参加人姓名", required=True),
        Column("单位/岗位", 16, "所在单位或岗位"),
        Column("是否执法人员", 12, "是否行政执法人员：是 或 否", "list", YES_NO),
        Column("备注", 20, "其他说明"),
    ),
    ("一行填写一人参加的一次学习；同一次学习有几人参加就填几行。",),
)

PIVOT = Pivot(
    ("学法培训", "Training"),
    columns=("town", "kind", "topic", "unit", "is_enforcement", "name", "source_file"),
    detail=("session_date", "town", "kind", "topic", "hours", "name", "unit", "is_enforcement", "attendees",
            "source_file", "sheet", "excel_row"),
    sums=("hours", "attendees"),
    shares={"is_enforcement": flag_share("is_enforcement", "执法人员占比", "Share enforcement officers")},
)  # fmt: skip


TABLE = """
    session_date   DATE NOT NULL,
    topic          VARCHAR,
    kind           VARCHAR NOT NULL,    -- 会前学法 | 中心组学法 | 依法行政专题学习会 | 专题讲座 | 执法培训 | 调解员培训 | 线上学法 | 其他
    hours          DOUBLE,
    name           VARCHAR,             -- NULL on a session row with an attendee count
    unit           VARCHAR,
    is_enforcement BOOLEAN,
    attendees      INTEGER,
    extra          VARCHAR
"""  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "学法培训台账",
    (
        "学法培训台账：每行一人一次培训（或一次培训及参加人数）",
        "Training ledger: one row per person per session (or a session with an attendee count)",
    ),
    DOCS,
    ("town", "session_date", "name", "kind", "topic"),
    kinds={
        "training_kind": lambda s, d: n.column(s, parse_training_kind, d),
        "attended": lambda s, d: n.bool_column(s, parse_attended, d),
    },
    personal_names=frozenset({"name"}),
    template=TEMPLATE,
    dated_by="session_date",
    pivot=PIVOT,
    table_sql=TABLE,
)
