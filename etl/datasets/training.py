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
# The forms of study come first: a topic says what was studied, and 依法行政 or 执法 is what most
# topics are about (党委会会前学法：依法行政基本知识 is a 会前学法, not a 专题学习会).
_FORMS: tuple[tuple[str, str, re.Pattern[str] | None, tuple[str, ...]], ...] = (
    ("会前", "会前学法", None, ()), ("中心组", "中心组学法", None, ()), ("学习强国", "线上学法", None, ()),
    ("线上", "线上学法", None, ()), ("网上", "线上学法", None, ()), ("网络", "线上学法", None, ()),
    ("调解员", "调解员培训", subjects.TRAINING, ()), ("专题学习", "依法行政专题学习会", subjects.LAW, ("工作", "会")),
    ("专题会", "依法行政专题学习会", subjects.LAW, ("工作",)), ("讲座", "专题讲座", None, ()),
    ("执法", "执法培训", subjects.TRAINING, ("人员",)),
)  # fmt: skip
# In a 形式 cell, a subject alone names the form it is known by (形式：依法行政专题学习 or 执法).
_SUBJECTS: tuple[tuple[str, str, re.Pattern[str] | None, tuple[str, ...]], ...] = (
    ("依法行政", "依法行政专题学习会", None, ()), ("执法", "执法培训", None, ()),
)  # fmt: skip
# What a sheet's name or title says the sheet is a register of (依法行政专题学习会台账, 调解员培训): a kind
# written out, never a subject (珠龙镇行政执法人员学法培训台账 is of every kind).
_SHEET_KINDS = re.compile("|".join([*TRAINING_KINDS, "专题学习会", "会前学法", "中心组", "调解员培训"]))


def _kind_by(text: str, keywords: tuple[tuple[str, str, re.Pattern[str] | None, tuple[str, ...]], ...]) -> str | None:
    for keyword, kind, subject, filler in keywords:
        if keyword in text:
            if subject is not None and subjects.about(text, keyword, subject, filler) == "other":
                return None
            return kind
    return None


def normalise_training_kind(value: object) -> str | None:
    """The form of study a 形式 cell names (a form word first, then a subject known as a form)."""
    text = compact(value)
    if text in TRAINING_KINDS:
        return text
    return _kind_by(text, _FORMS) or _kind_by(text, _SUBJECTS)


def kind_in_topic(value: object) -> str | None:
    """The form of study a topic names by a form word (会前, 中心组, 专题学习会, 讲座, 学习强国 …); a
    topic's subject (依法行政, 行政执法公示制度) is no form."""
    text = compact(value)
    return text if text in TRAINING_KINDS else _kind_by(text, _FORMS)


def kind_of_sheet(texts: tuple[str, ...]) -> tuple[str, str] | None:
    """(kind, the text naming it) when the sheet's name, or else its titles, name exactly one kind."""
    for group in (texts[:1], texts[1:]):
        found: dict[str, str] = {}
        for text in group:
            for match in _SHEET_KINDS.finditer(compact(text)):
                kind = kind_in_topic(match.group())
                if kind is not None:
                    found.setdefault(kind, text)
        if len(found) == 1:
            return next(iter(found.items()))
        if found:
            return None
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
        field("hours", "number", "学时 学时数 时长 学时(小时) 课时 学法学时 培训学时 学习学时 参学学时 参训学时 学习时长 培训时长 "
              "学法时长 课时数 获得学时 折算学时"),
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


def absence_in_name(value: object) -> str | None:
    """The absence word a name cell carries (张伟（请假）, 赵敏(缺席), 李强未参加): a sign-in list copied
    without an 出勤情况 column marks its absentees where their names are."""
    text = compact(value)
    for note in n.notes_in(text):
        word = next((w for w in ABSENT if w in note), None)
        if word is not None:
            return word
    bare = n.without_notes(text)
    # unbracketed only a word of two characters or more after a name of two: 李旷 is a name
    return next((w for w in ABSENT if len(w) > 1 and bare.endswith(w) and len(bare) - len(w) >= 2), None)


def _names(fr: Frame) -> Any:
    """The attendees' names; a row whose name says its person was absent is rejected as 出勤情况 does."""
    name = fr.get("name")
    if fr.has("name"):
        raw = fr.raw_of("name")
        said = np.full(len(fr), None, dtype=object)
        for i, value in enumerate(raw):
            word = absence_in_name(value) if isinstance(value, str) else None
            if word is not None:
                said[i] = f"姓名后注明「{word}」，没有参加这次学习，不计入参训记录；这不是错误，无需修改"
        fr.error(fr.label("name"), raw, said)
    return name


def _blank_cells(fr: Frame, name: str) -> np.ndarray:
    """Per row, whether the field's cell is empty (every row when the sheet has no such column)."""
    if not fr.has(name):
        return np.ones(len(fr), dtype=bool)
    return np.fromiter((n.is_blank(v) for v in fr.raw_of(name)), dtype=bool, count=len(fr))


def _continued(fr: Frame, person: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(dates, topics, typed kinds, kind cell blank): an attendee row whose date, topic or form is blank
    and whose other cells are the row above's continues that row's session (a sign-in list pasted
    under its first row, the session written once): its blanks are the row above's, and said."""
    dates = np.array(fr.get("session_date"), copy=True)
    topics = np.array(fr.get("topic"), dtype=object, copy=True)
    kinds = np.array(col.filled(fr.get("kind"), None), dtype=object, copy=True)
    has_kind = fr.has("kind")
    blank = {"date": _blank_cells(fr, "session_date"), "topic": col.isna(topics), "kind": _blank_cells(fr, "kind")}
    typed = blank["date"] | blank["topic"] | (blank["kind"] if has_kind else False)
    said = np.full(len(fr), None, dtype=object)
    footer = np.fromiter((any(c in str(v) for c in ":：") for v in fr.raw_of("name")), dtype=bool, count=len(fr))
    for i in np.flatnonzero(person & typed & ~footer):  # 填表人：张三 under the list is no attendee
        p = i - 1
        if p < 0 or not person[p] or np.isnat(dates[p]):
            continue
        same = (blank["date"][i] or dates[i] == dates[p]) and (blank["topic"][i] or topics[i] == topics[p])
        if not same or (has_kind and not blank["kind"][i] and kinds[i] != kinds[p]):
            continue
        taken = []
        for what, values, label in (("date", dates, fr.label("session_date")), ("topic", topics, fr.label("topic")),
                                    ("kind", kinds, fr.label("kind"))):  # fmt: skip
            if blank[what][i] and not blank[what][p] and (what != "kind" or has_kind):
                values[i], blank[what][i] = values[p], False
                taken.append(label)
        if taken:
            said[i] = (f"{'、'.join(taken)}空白，按上一行（第{fr.excel_row[p]}行）的同一次学习计，已照上一行补齐；"
                       "如是另一次学习，请填写")  # fmt: skip
    fr.warn(fr.label("topic"), fr.raw_of("topic"), said)
    fr.require("session_date", dates)
    return dates, topics, kinds, blank["kind"]


def _kinds(fr: Frame, dates: np.ndarray, topics: np.ndarray, typed: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """The form of each session: the 形式 column's; where it is blank or absent, the form word of the
    topic (会前, 专题学习会), or the kind the sheet's name or title names (调解员培训台账); else 其他. Said."""
    from_topic = n.column(topics, lambda v: (kind_in_topic(v), None, None)).array
    sheet = kind_of_sheet(fr.context)
    if fr.has("kind"):
        return _blank_kinds(fr, (dates, topics, np.where(blank, from_topic, typed).astype(object)), blank, sheet)
    if sheet is not None:
        named, where = sheet
        fr.note(
            "",
            f"本表没有学习形式列，按工作表名称或标题「{where}」把本表的学习都计为{named}；如不是，请加一列「培训形式」",
        )
        return np.full(len(fr), named, dtype=object)
    kinds = np.asarray(col.filled(from_topic, "其他"), dtype=object)
    dated = kinds[~np.isnat(dates)]
    if len(dated):
        counts = "、".join(f"{k} {int((dated == k).sum())} 行" for k in (*TRAINING_KINDS, "其他") if (dated == k).any())
        fr.note(fr.label("topic"), f"本表没有学习形式列，学习形式按{fr.label('topic')}中的字样（会前、中心组、专题学习会、讲座等）"
                f"判断：{counts}（看不出形式的计入其他）；依法行政专题学习会和调解员培训的次数以此为准，请核对，"
                "或加一列「培训形式」")  # fmt: skip
    return kinds


def _blank_kinds(
    fr: Frame, rows: tuple[np.ndarray, np.ndarray, np.ndarray], blank: np.ndarray, sheet: tuple[str, str] | None
) -> np.ndarray:
    """The 形式 column's kinds, each blank one read from its topic, else the sheet's kind, else 其他: said."""
    dates, topics, kinds = rows
    label = fr.label("kind")
    said = np.full(len(fr), None, dtype=object)
    for i in np.flatnonzero(blank & ~np.isnat(dates)):
        if kinds[i] is not None:
            said[i] = f"{label}空白，按{fr.label('topic')}「{topics[i]}」计为{kinds[i]}，请核对"
        elif sheet is not None:
            kinds[i] = sheet[0]
            said[i] = f"{label}空白，按工作表名称或标题「{sheet[1]}」计为{sheet[0]}，请核对"
        else:
            said[i] = f"{label}空白，计入其他，请填写"
    fr.warn(label, fr.raw_of("kind"), said)
    return np.asarray(col.filled(kinds, "其他"), dtype=object)


# A column of hours the aliases don't name: 学时, 时长 or 课时 in its label (参学学时, 学习时长（小时）); one
# that totals or sets a target (累计学时, 应学学时) is no session's hours, and one in another unit is not read.
_HOURS_LIKE = re.compile(r"学时|时长|课时|小时")
_NOT_A_SESSIONS = re.compile(r"累计|合计|总|全年|年度|应学|应修|要求|标准|达标|剩余|差额")
_OTHER_UNIT = re.compile(r"[(（](分钟|分|min|mins|秒|天|日|周|月|年)[)）]", re.IGNORECASE)


def _unnamed_hours(fr: Frame) -> np.ndarray | None:
    """Hours from a column whose label says hours but is no alias, read and said; or said not to be read."""
    for c, label in enumerate(fr.labels):
        if c in fr.columns or not label or not _HOURS_LIKE.search(label) or _OTHER_UNIT.search(label):
            continue
        if _NOT_A_SESSIONS.search(label):
            fr.note(label, f"「{label}」像是累计或要求的学时，不是每次学习的学时，没有读入")
            continue
        fr.note(label, f"「{label}」按每次学习的学时读入，请核对")
        return np.asarray(n.number_column(fr.raw[c]).array, dtype="float64")
    return None


def _stated_hours(fr: Frame, person: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hours, whether a cell of hours was typed) per row: 学时, else the minutes column's in hours."""
    hours = np.asarray(fr.get("hours"), dtype="float64") if fr.has("hours") else np.full(len(fr), np.nan)
    if fr.has("minutes"):  # where 学时 is blank (or absent), the minutes column's, in hours
        minutes = np.asarray(fr.get("minutes"), dtype="float64") / 60
        hours = np.where(np.isnan(hours), minutes, hours)
    if not fr.has("hours") and not fr.has("minutes"):
        found = _unnamed_hours(fr)
        if found is None:
            if person.any():
                fr.note("", "本表没有学时列，参训人员的学时按0计入人均学法学时和学时达标率；请加一列「学时」")
            return hours, np.ones(len(fr), dtype=bool)
        return found, ~np.isnan(found)
    typed = ~_blank_cells(fr, "hours") | (~_blank_cells(fr, "minutes") if fr.has("minutes") else False)
    return hours, typed


def _session_hours(fr: Frame, sessions: tuple[np.ndarray, np.ndarray, np.ndarray], person: np.ndarray) -> np.ndarray:
    """Hours per row; an attendee row with its hours blank takes its session's (the same date, form and
    topic) when the session's other rows give one figure, and is said either way."""
    hours, typed = _stated_hours(fr, person)
    missing = person & ~typed & np.isnan(hours)
    if not missing.any():
        return hours
    dates, kinds, topics = sessions
    stated: dict[tuple[object, ...], set[float]] = {}
    for i in np.flatnonzero(person & ~np.isnan(hours)):
        stated.setdefault((dates[i], kinds[i], topics[i]), set()).add(float(hours[i]))
    label = fr.label("hours") if fr.has("hours") else fr.label("minutes")
    said = np.full(len(fr), None, dtype=object)
    for i in np.flatnonzero(missing):
        figures = stated.get((dates[i], kinds[i], topics[i]), set())
        if len(figures) == 1:
            hours[i] = next(iter(figures))
            said[i] = f"{label}空白，按同一次学习（日期、形式、内容相同）其他行的{hours[i]:g}学时计"
        elif figures:
            shown = "、".join(f"{h:g}" for h in sorted(figures))
            said[i] = f"{label}空白，同一次学习其他行的学时不一（{shown}），按0学时计，请填写"
        else:
            said[i] = f"{label}空白，按0学时计，请填写"
    fr.warn(label, fr.raw_of("hours") if fr.has("hours") else fr.raw_of("minutes"), said)
    return hours


# The kinds whose sessions are counted against a target (每年不少于2次): two of one kind on one day with
# different topics count twice, which is what a topic spelt two ways on one session's rows also gives.
_COUNTED = ("依法行政专题学习会", "调解员培训")


def _same_day_note(fr: Frame, dates: np.ndarray, kinds: np.ndarray, topics: np.ndarray) -> None:
    """Said once per sheet: the days with several topics of a counted kind, each topic a session."""
    counted = np.flatnonzero(np.isin(kinds, _COUNTED) & ~np.isnat(dates))
    if not len(counted):
        return
    seen: dict[tuple[object, str], dict[str, None]] = {}
    for i in counted:
        seen.setdefault((dates[i], kinds[i]), {})[topics[i] or "（空白）"] = None
    several = [(day, kind, list(found)) for (day, kind), found in seen.items() if len(found) > 1]
    for day, kind, found in several[:5]:
        shown = "、".join(f"「{t}」" for t in found)
        fr.note(fr.label("topic"), f"{str(day)[:10]} 的{kind}有{len(found)}种{fr.label('topic')}（{shown}），按{len(found)}次计；"
                f"如是同一次学习，请统一{fr.label('topic')}")  # fmt: skip


def build(fr: Frame) -> dict[str, Any]:
    name = _names(fr)
    person = ~col.isna(name)
    dates, topics, typed, blank = _continued(fr, person)
    kind = _kinds(fr, dates, topics, typed, blank)
    _same_day_note(fr, dates, kind, topics)
    out: dict[str, Any] = {"session_date": dates, "topic": topics, "kind": kind}
    out["hours"] = _session_hours(fr, (dates, kind, topics), person)
    if fr.has("attended"):
        absent = ~np.asarray(col.filled(fr.get("attended"), True), dtype=bool)
        fr.error(fr.label("attended"), fr.raw_of("attended"),
                 col.where(absent, "没有参加这次学习（出勤情况如此），不计入参训记录；这不是错误，无需修改"))  # fmt: skip
    out["unit"] = fr.get("unit")
    enforcement = fr.get("is_enforcement")
    out["is_enforcement"] = enforcement if fr.has("is_enforcement") else col.booleans(enforcement)
    out["attendees"] = fr.get("attendees") if fr.has("attendees") else col.no_integers(len(fr))
    if fr.has("attendees"):
        missing = col.isna(name) & col.isna(out["attendees"])
        fr.error(fr.label("name") if fr.has("name") else fr.label("attendees"), fr.raw_of("name"),
                 col.where(missing, "姓名和参加人数均为空"))  # fmt: skip
        counted = ~person & ~missing & ~np.isnat(dates)
        if counted.any():
            fr.note(fr.label("attendees"), (
                f"本表按场次登记「{fr.label('attendees')}」，看不出哪些执法人员参加：这些场次只计入学习会、培训的次数，"
                "不能据此计算执法人员培训率、人均学法学时和学时达标率；请另附每人一行的参训名单"))  # fmt: skip
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
