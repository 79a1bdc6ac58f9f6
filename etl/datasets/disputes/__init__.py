"""The dispute ledger (矛盾纠纷排查调处台账): one row per dispute and its mediation.

Everything about it is here: its headers and their aliases (one-row and two-row: 调解方式 over
书面｜口头, 调解结果 over 成功｜失败), the cell parsers for its words (``vocabulary``), how a row is
built, what identifies a dispute across files, its personal columns, its data-dictionary entries
and its blank template.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from etl import columns as col
from etl import normalise as n
from etl.datasets.base import Dataset, Docs, Pivot, Share, flag_share, metric_share
from etl.datasets.disputes import vocabulary as v
from etl.fields import DATE_NOTE, PROVENANCE, TOWN, YES_NO, Column, Spec, Template, field, sub_field
from etl.frame import Frame

_FORM_PARENTS = "调解方式 协议形式 调解形式 调解协议形式 协议方式 调解协议方式 协议类型 调解协议类型 达成协议方式"
_OUTCOME_PARENTS = "调解结果 调处结果 调解情况 结果 调处情况 化解情况"

SPEC = Spec(
    "disputes",
    "矛盾纠纷排查调处台账",
    (
        field("received_date", "date", "受理日期 受理时间 排查日期 排查时间 登记日期 日期 收案日期 接案日期", "受理日期"),
        field("village", "village", "所属村(社区) 所属村居 村(社区) 村居 纠纷发生地 发生地点 所在村 所属村 村别 村(居)"),
        field("category", "category", "纠纷类型 纠纷类别 类别 案件类型 纠纷种类 类型"),
        field("agreement_form", "form", _FORM_PARENTS, "调解方式"),
        sub_field("agreement_form:written", "mark", _FORM_PARENTS, "书面 书面协议 书面调解", "调解方式/书面"),
        sub_field("agreement_form:oral", "mark", _FORM_PARENTS, "口头 口头协议 口头调解", "调解方式/口头"),
        field("agreement_form:is_written", "optional_mark", "是否书面协议 是否书面调解 是否签订书面协议 是否达成书面协议 是否书面 书面协议(是/否)", "是否书面协议"),
        field("agreement_form:is_oral", "optional_mark", "是否口头协议 是否口头调解 是否口头", "是否口头协议"),
        field("joint", "joint", "联合调解 是否联合调解 调解方式/联合 调解方式/联合调解", "联合调解"),
        field("joint_body", "joint_body", "调解主体 调解单位 参与调解单位", "调解主体"),
        field("outcome", "outcome", _OUTCOME_PARENTS, "调解结果"),
        sub_field("outcome:success", "mark", _OUTCOME_PARENTS, "成功 调解成功 达成协议 已化解", "调解结果/成功"),
        sub_field("outcome:failed", "mark", _OUTCOME_PARENTS, "失败 调解失败 不成功 调解不成 调解不成功 未成功 未化解 终止调解", "调解结果/失败"),
        sub_field("outcome:pending", "mark", _OUTCOME_PARENTS, "调解中 在办 未结 正在调解", "调解结果/调解中"),
        field("outcome:is_success", "optional_mark", "是否调解成功 是否成功 是否化解 是否调解成功(是/否)", "是否调解成功"),
        field("escalated", "optional_mark", "是否激化 激化情况 是否激化升级 有无激化 有无激化升级 激化升级 激化升级情况 是否发生激化 有无激化情况 是否民转刑 有无民转刑", "是否激化"),
        field("referred", "referred", "引导诉讼 转诉讼 处理去向 后续处理 是否引导诉讼", "引导诉讼"),
        field("case_no", "text", "编号 案件编号 案号 登记编号"),
        field("parties", "text", "当事人 当事人姓名 双方当事人 当事人信息"),
        field("mediator", "text", "调解员 调解人 承办人"),
        field("summary", "text", "纠纷简要情况 简要案情 纠纷情况 主要事实 纠纷简况 基本情况"),
        field("amount", "number", "涉及金额 涉案金额 涉及金额(元) 金额 金额(元) 涉及金额(万元)"),
        field("people", "integer", "涉及人数 人数 涉及人数(人)"),
        field("case_count", "integer", "件数 纠纷件数 起数 案件数"),  # read only to say a row is more than one
        field("closed_date", "optional_date", "结案日期 结案时间 调结日期 办结日期"),
        field("follow_up", "text", "回访情况 回访 回访记录"),
        field("note", "text", "备注"),
        TOWN,
    ),
    (("received_date",), ("outcome", "outcome:success", "outcome:failed", "outcome:is_success")),
    (
        *PROVENANCE, "received_date", "village", "village_raw", "category", "category_raw",
        "agreement_form", "joint", "outcome", "outcome_raw", "escalated", "referred", "case_no",
        "parties", "mediator", "summary", "amount", "people", "closed_date", "follow_up", "note", "extra",
    ),
)  # fmt: skip


def _short_villages(fr: Frame, villages: Any) -> None:
    """A village written without its 村 where the sheet also writes it with (张庄 beside 张庄村) is that
    village, said: the ranking counted them as two. Alone, 张庄 may be a natural village and stays as written."""
    names = set(villages.tolist())
    said = fr.empty()
    for i, name in enumerate(villages.tolist()):
        if isinstance(name, str) and not name.endswith(("村", "社区", "居委会")) and f"{name}村" in names:
            villages[i] = f"{name}村"
            said[i] = f"村写的是「{name}」，本表也有「{name}村」，按「{name}村」计入，请核对"
    if fr.has("village"):
        fr.warn(fr.label("village"), fr.text_of("village"), said)


def build(fr: Frame) -> dict[str, Any]:
    out: dict[str, Any] = {"received_date": fr.require("received_date")}
    out["village"] = col.filled(fr.get("village"), "未填") if fr.has("village") else fr.empty("未填")
    _short_villages(fr, out["village"])
    out["village_raw"] = fr.text_of("village")
    out["category"] = col.filled(fr.get("category"), "其他") if fr.has("category") else fr.empty("其他")
    out["category_raw"] = fr.text_of("category")
    out["agreement_form"], out["outcome"], out["outcome_raw"] = _dispute_marks(fr)
    # 联合调解 may be written in the 调解方式 cell too: 书面（联合调解）
    forms = fr.text_of("agreement_form")
    joint_forms = [t for t in set(forms.tolist()) if isinstance(t, str) and "联合" in t]
    said_joint = np.isin(forms, joint_forms) if joint_forms else np.zeros(len(forms), dtype=bool)
    out["joint"] = fr.flag("joint") | fr.flag("joint_body") | said_joint
    # no escalation column: unknown, not "none escalated" (the report's 无一例激化升级 needs the column read)
    out["escalated"] = fr.flag("escalated") if fr.has("escalated") else col.booleans(fr.empty())
    out["referred"] = fr.flag("referred")
    for name in ("case_no", "parties", "mediator", "summary", "follow_up", "note"):
        out[name] = fr.get(name)
    out["amount"] = np.asarray(fr.get("amount"), dtype="float64") if fr.has("amount") else np.full(len(fr), np.nan)
    out["people"] = fr.get("people") if fr.has("people") else col.no_integers(len(fr))
    out["closed_date"] = fr.get("closed_date") if fr.has("closed_date") else col.no_dates(len(fr))
    if fr.has("case_count"):  # one row is one dispute: a row standing for several is counted once, and said
        count = np.ma.filled(np.ma.asarray(fr.get("case_count")), 1)
        label, several = fr.label("case_count"), count != 1
        message = col.blank(len(count))
        message[several] = [
            f"此行的「{label}」为 {c}，本台账每行按 1 件计入；请把这 {c} 件分行登记后重新导入"
            for c in count[several].tolist()
        ]
        fr.warn(label, fr.raw_of("case_count"), message)
    return out


def _is_success(fr: Frame) -> tuple[np.ndarray, np.ndarray]:
    """outcome from a yes/no column 是否调解成功: 是 success, 否 failed, blank refused (调解结果为空)."""
    flag = fr.get("outcome:is_success")
    marked, stated = col.flags(flag), ~col.isna(flag)
    outcome = np.select([marked, stated], ["success", "failed"], None).astype(object)  # type: ignore[call-overload]
    label = fr.label("outcome:is_success")
    fr.error(
        label,
        fr.raw_of("outcome:is_success"),
        col.where(~stated & col.isna(fr.parsed[fr.cols("outcome:is_success")[0]].errors), f"{label}为空"),
    )
    raw = np.array([{"success": "成功", "failed": "失败"}.get(x) for x in outcome], dtype=object)
    return outcome, raw


def _dispute_marks(fr: Frame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """agreement_form and outcome from a column, or from two-row √ sub-columns."""
    form = fr.get("agreement_form")
    if fr.has("agreement_form:written") or fr.has("agreement_form:oral"):
        w, o = fr.flag("agreement_form:written"), fr.flag("agreement_form:oral")
        marked = np.select([w & ~o, o & ~w], ["written", "oral"], None)  # type: ignore[call-overload]
        form = col.combine_first(form, marked) if fr.has("agreement_form") else marked
        both = col.where(w & o, "调解方式同时标记了书面和口头，已按未填处理")
        fr.warn(fr.label("agreement_form:written"), fr.raw_of("agreement_form:written"), both)
    for name, yes, no in (
        ("agreement_form:is_written", "written", "oral"),
        ("agreement_form:is_oral", "oral", "written"),
    ):
        if fr.has(name):  # 是否书面协议: 是 -> written, 否 -> oral, blank -> not stated
            flag = fr.get(name)
            marked = col.flags(flag)
            stated = col.where(marked, yes)
            stated[~marked & ~col.isna(flag)] = no
            form = col.combine_first(form, stated)
    if fr.has("outcome"):
        return form, fr.get("outcome"), fr.text_of("outcome")
    if fr.has("outcome:is_success") and not (fr.has("outcome:success") or fr.has("outcome:failed")):
        return (form, *_is_success(fr))
    marks = {k: fr.flag(f"outcome:{k}") for k in ("success", "failed", "pending")}
    count = marks["success"].astype(int) + marks["failed"].astype(int) + marks["pending"].astype(int)
    outcome = np.select([marks["success"], marks["failed"], marks["pending"]], ["success", "failed", "pending"], None)  # type: ignore[call-overload]
    outcome[count != 1] = None
    reason = np.select([count == 0, count > 1], ["调解结果为空", "调解结果同时标记了多项"], None).astype(object)  # type: ignore[call-overload]
    label = fr.label("outcome:success").split("/")[0]
    fr.error(label, fr.raw_of("outcome:success"), reason)
    names = {"success": "成功", "failed": "失败", "pending": "调解中"}
    raw = np.array([names.get(x) if x is not None else None for x in outcome], dtype=object)
    return form, outcome, raw


DOCS: Docs = {
    "received_date": (
        "受理日期",
        "Received",
        "纠纷受理（排查、登记）日期",
        "Date the dispute was received or recorded",
    ),
    "village": (
        "村（社区）",
        "Village",
        "所属村（社区），已统一为“XX村/XX社区”；未填写为“未填”",
        "Village or community, normalised; 未填 when blank",
    ),
    "village_raw": (
        "村（社区）原文",
        "Village (as typed)",
        "台账中填写的村（社区）原文",
        "Village as typed in the ledger",
    ),
    "category": (
        "纠纷类型",
        "Category",
        "纠纷类型（人民调解统计口径），无法识别为“其他”",
        "Dispute category (national mediation statistics list); 其他 when unknown",
    ),
    "category_raw": (
        "纠纷类型原文",
        "Category (as typed)",
        "台账中填写的纠纷类型原文",
        "Category as typed in the ledger",
    ),
    "agreement_form": (
        "调解协议形式",
        "Agreement form",
        "written＝书面调解，oral＝口头调解，空＝未填",
        "written or oral mediation agreement; empty when not recorded",
    ),
    "joint": (
        "联合调解",
        "Joint mediation",
        "是否联合调解（在排查总数之内，不是第三种形式）",
        "Joint mediation flag (inside the total, not a third form)",
    ),
    "outcome": (
        "调解结果",
        "Outcome",
        "success＝调解成功，failed＝调解失败，pending＝调解中",
        "success, failed or pending",
    ),
    "outcome_raw": ("调解结果原文", "Outcome (as typed)", "台账中填写的调解结果原文", "Outcome as typed in the ledger"),
    "escalated": (
        "是否激化",
        "Escalated",
        "纠纷是否激化升级；空＝台账没有激化一列（不知道）",
        "Whether the dispute escalated; empty when the ledger has no such column (unknown)",
    ),
    "referred": (
        "引导诉讼",
        "Referred to court",
        "调解不成后是否引导诉讼或仲裁",
        "Whether a failed mediation was guided to litigation or arbitration",
    ),
    "case_no": ("案件编号", "Case no.", "台账中的案件编号或序号", "Case number in the ledger"),
    "parties": (
        "当事人",
        "Parties",
        "纠纷当事人姓名（个人信息，默认隐去名字）",
        "Names of the parties (personal; masked by default)",
    ),
    "mediator": ("调解员", "Mediator", "承办调解员姓名", "Mediator's name"),
    "summary": (
        "纠纷简要情况",
        "Summary",
        "纠纷简要情况（可能含个人信息）",
        "Short account of the dispute (may hold personal details)",
    ),
    "amount": ("涉及金额", "Amount", "纠纷涉及金额（元）", "Amount at stake (yuan)"),
    "people": ("涉及人数", "People involved", "纠纷涉及人数", "Number of people involved"),
    "closed_date": ("结案日期", "Closed", "结案日期", "Date the case was closed"),
    "follow_up": ("回访情况", "Follow-up", "回访情况", "Follow-up visit notes"),
    "note": ("备注", "Note", "备注", "Remarks"),
}

TEMPLATE = Template(
    "disputes",
    "矛盾纠纷排查调处台账",
    "矛盾纠纷排查调处台账模板.xlsx",
    (
        Column("编号", 12, "案件编号，可不填"),
        Column("受理日期", 13, DATE_NOTE, "date", required=True),
        Column("所属村(社区)", 14, "如 东山村、城南社区"),
        Column("纠纷类型", 14, "从下拉列表中选择", "list", v.CATEGORIES),
        Column("当事人", 16, "双方当事人姓名"),
        Column("纠纷简要情况", 30, "简要说明纠纷事实"),
        Column("调解方式", 11, "书面 或 口头", "list", ("书面", "口头")),
        Column("联合调解", 10, "是否联合调解：是 或 否", "list", YES_NO),
        Column("调解结果", 11, "成功、失败 或 调解中", "list", ("成功", "失败", "调解中"), required=True),
        Column("是否激化", 10, "是否激化升级：是 或 否", "list", YES_NO),
        Column("引导诉讼", 10, "调解不成后是否引导当事人诉讼：是 或 否", "list", YES_NO),
        Column("调解员", 10, "承办调解员"),
        Column("结案日期", 13, DATE_NOTE, "date"),
        Column("备注", 20, "其他说明"),
    ),
    ("一行填写一件纠纷，不要合并单元格。", "纠纷类型不确定时选「其他」。"),
)

PIVOT = Pivot(
    ("矛盾纠纷", "Disputes"),
    columns=("town", "village", "category", "agreement_form", "joint", "outcome", "escalated", "referred", "mediator",
             "source_file", "sheet"),
    detail=("received_date", "town", "village", "category", "agreement_form", "joint", "outcome", "escalated", "referred",
            "case_no", "parties", "mediator", "amount", "people", "closed_date", "source_file", "sheet", "excel_row"),
    sums=("amount", "people"),
    shares={
        "success": metric_share("mediation_success_rate"),
        "written": Share("measures", "written", "written|oral", ("书面调解占比", "Share written")),
        "joint": flag_share("joint", "联合调解占比", "Share joint"),
        "escalated": flag_share("escalated", "激化比例", "Share escalated"),
        "referred": Share("measures", "referred", "failed", ("调解失败后引导诉讼比例", "Failed cases referred to court")),
    },
)  # fmt: skip


TABLE = """
    received_date  DATE NOT NULL,
    village        VARCHAR NOT NULL,    -- normalised, 未填 when blank
    village_raw    VARCHAR,
    category       VARCHAR NOT NULL,    -- national list, 其他 when unknown
    category_raw   VARCHAR,
    agreement_form VARCHAR,             -- written | oral | NULL
    joint          BOOLEAN NOT NULL,
    outcome        VARCHAR NOT NULL,    -- success | failed | pending
    outcome_raw    VARCHAR,
    escalated      BOOLEAN,             -- NULL: the sheet has no escalation column
    referred       BOOLEAN NOT NULL,
    case_no        VARCHAR,
    parties        VARCHAR,
    mediator       VARCHAR,
    summary        VARCHAR,
    amount         DOUBLE,
    people         INTEGER,
    closed_date    DATE,
    follow_up      VARCHAR,
    note           VARCHAR,
    extra          VARCHAR               -- JSON of unrecognised columns
"""  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "矛盾纠纷台账",
    ("矛盾纠纷排查调处台账：每行一件纠纷", "Dispute ledger: one row per dispute"),
    DOCS,
    # not the village: a village's own file has no 所属村 column (未填), and 张庄 is 张庄村 elsewhere
    ("town", "received_date", "category", "parties"),
    duplicate_as={"parties": r"regexp_replace({x}, '[\s　、，,；;/]', '', 'g')"},
    kinds={
        "village": lambda s, d: n.column(s, v.parse_village, d),
        "category": lambda s, d: n.column(s, v.parse_category, d),
        "outcome": lambda s, d: n.column(s, v.parse_outcome, d),
        "form": lambda s, d: n.column(s, v.parse_agreement_form, d),
        "joint": lambda s, d: n.bool_column(s, v.parse_joint, d),
        "joint_body": lambda s, d: n.bool_column(s, v.parse_joint_body, d),
        "referred": lambda s, d: n.bool_column(s, v.parse_referred, d),
    },
    personal_names=frozenset({"parties", "mediator"}),
    # 备注 and 回访情况 name people and their phones as often as 纠纷简要情况 does (张三电话138…); every
    # register's 备注 is the same column name, so they are hidden in all of them
    personal_text=frozenset({"summary", "follow_up", "note"}),
    value_labels={
        "agreement_form": {"written": ("书面调解", "Written"), "oral": ("口头调解", "Oral")},
        "outcome": {
            "success": ("调解成功", "Success"),
            "failed": ("调解失败", "Failed"),
            "pending": ("调解中", "Pending"),
        },
    },
    template=TEMPLATE,
    dated_by="received_date",
    record_id="case_no",
    pivot=PIVOT,
    table_sql=TABLE,
    migrations="ALTER TABLE disputes ALTER COLUMN escalated DROP NOT NULL;\n",
)
