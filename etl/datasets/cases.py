"""The reconsideration and litigation register (行政复议和行政应诉台账): one row per case against the town.

Its headers, its vocabulary (类别 复议/诉讼, 审级, the results 维持 … 未结), how a row is built (a
case number like (2020)皖1102行初12号 says the type and the instance when no column does; a named
出庭负责人 is a head who appeared), what identifies a case across files, its personal columns, its
data-dictionary entries and its blank template.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np

from etl import columns as col
from etl import normalise as n
from etl.datasets.base import Dataset, Docs, Pivot, metric_share
from etl.fields import DATE_NOTE, PROVENANCE, TOWN, YES_NO, Column, Spec, Template, field
from etl.frame import Frame
from etl.normalise import Outcome, as_text, compact, is_blank

CASE_TYPES = {"reconsideration": ("行政复议", "Reconsideration"), "litigation": ("行政诉讼", "Litigation")}
INSTANCES = {"first": ("一审", "First instance"), "appeal": ("二审", "Appeal"), "retrial": ("再审", "Retrial")}
RESULTS: dict[str, tuple[str, str]] = {
    "upheld": ("维持", "Upheld"),
    "dismissed": ("驳回", "Dismissed"),
    "revoked": ("撤销", "Revoked"),
    "altered": ("变更", "Altered"),
    "declared_unlawful": ("确认违法", "Declared unlawful"),
    "ordered_to_act": ("责令履行", "Ordered to act"),
    "corrected": ("纠正（未写明方式）", "Corrected (how not stated)"),
    "withdrawn": ("调解撤诉", "Settled or withdrawn"),
    "terminated": ("终止", "Terminated"),
    "pending": ("未结", "Pending"),
}
RESULT_CHOICES = tuple(zh for zh, _ in RESULTS.values() if "（" not in zh)

# A result is read as a sentence, the way a decision is written. Pending words come first: 调解中,
# 正在调解, 二审审理中 and 发回重审 say the case is not over, whatever else the cell says (正在 takes the
# rest of its clause, the thing still going on).
_PENDING = re.compile(
    r"未结|未审结|^尚未|尚未(审结|结案|作出|判决|裁定|决定|审理|开庭|裁决)|待审|在办|正在[^，,；;。]*|中止|发回重审"
    r"|(审理|办理|调解|协调|和解|审查|受理|处理|审核|上诉|复议|诉讼|一审|二审|再审|立案)中($|[，,；;。、（()）\s])"
)
# Each decision word and what it decides. In a clause the first one is the decision: in 驳回申请人撤销
# 处罚决定的请求 the 撤销 is what was asked for and 驳回 what was decided.
_DECISIONS = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"确认[^，,；;。]{0,12}?(违法|无效)", "declared_unlawful"),
        (r"确认[^，,；;。]{0,12}?合法", "upheld"),
        (r"责令[^，,；;。]{0,12}?履行|判决(被告|被申请人)?履行|限期履行", "ordered_to_act"),
        (r"撤诉|撤回", "withdrawn"),
        (r"(调解|和解)(?!不成|未成|失败|无果|未果|不了)", "withdrawn"),
        (r"终止|终结", "terminated"),
        (r"不予受理|不予立案|不予支持|驳回", "dismissed"),
        (r"撤销(?!(一审|原审|原)?(判决|原判|裁定))", "revoked"),  # 撤销原判 undoes a court's judgment, not the act
        (r"变更", "altered"),
        (r"维持", "upheld"),
        (r"纠正", "corrected"),
    )
)
# A decision word that is asked for (申请撤销, 要求变更) or said not to be (不予撤销, 未撤销) decides nothing.
_ASKED_OR_NOT = re.compile(
    r"((申请|要求|请求|诉请|主张|诉求)(法院|复议机关|判决|依法|予以)*|(不|未|没有|无|并非|拟|待|将)予?)$"
)
# Later in a clause, a decision word after whoever asked (驳回原告要求撤销的请求) is what was asked for.
_ASKER = re.compile(r"申请人|原告|上诉人|第三人|当事人|要求|请求|诉请|主张")
_CLAUSES = re.compile(r"[，,；;。、\s]+")
# Which way a decision went; two decisions the same way (驳回上诉，维持原判) need no word.
_SIDE = {"upheld": "kept", "dismissed": "kept", "withdrawn": "ended", "terminated": "ended"}


def _decisions(clause: str) -> list[str]:
    """The clause's decision first, then any other it makes; not one asked for or said not to be."""
    found = sorted(
        (m.start(), -len(m.group()), code)
        for pattern, code in _DECISIONS
        for m in pattern.finditer(clause)
        if not _ASKED_OR_NOT.search(clause[: m.start()])
    )
    if not found:
        return []
    first = found[0][0]
    return [found[0][2]] + [code for at, _, code in found[1:] if not _ASKER.search(clause, first, at)]


def read_result(value: object) -> tuple[str | None, str | None]:
    """(the result, a warning where the cell says two things) of a result as written; (None, None) if no word."""
    text = compact(value)
    pending = _PENDING.search(text)
    rest = _PENDING.sub("，", text)  # 调解中 is no 调解 decided
    decided = [code for clause in _CLAUSES.split(rest) for code in _decisions(clause)]
    if pending is not None:
        if not decided:
            return ("pending", None)
        said = RESULTS[decided[0]][0]
        return ("pending", f"结果「{as_text(value)}」写了「{pending.group()}」，也写了{said}，已按未结计，请核对")
    if not decided:
        return (None, None)
    sides = {_SIDE.get(code, "corrected") for code in decided}
    if len(sides) > 1:
        other = next(code for code in decided if _SIDE.get(code, "corrected") != _SIDE.get(decided[0], "corrected"))
        first, second = RESULTS[decided[0]][0], RESULTS[other][0]
        return (decided[0], f"结果「{as_text(value)}」既写了{first}又写了{second}，已按前面的{first}计，请核对")
    return (decided[0], None)


def normalise_result(value: object) -> str | None:
    return read_result(value)[0]


def parse_result(value: object) -> Outcome:
    """A case's result; blank is still pending (未结), a word that is none of them is rejected."""
    if is_blank(value):
        return ("pending", None, None)
    code, warning = read_result(value)
    if code is None:
        return (None, f"无法识别的结果：{as_text(value)}", None)
    return (code, None, warning)


def normalise_case_type(value: object) -> str | None:
    text = compact(value)
    if "复议" in text:
        return "reconsideration"
    if any(word in text for word in ("诉讼", "应诉", "行政案件", "一审", "二审", "再审", "诉")):
        return "litigation"
    return None


def parse_case_type(value: object) -> Outcome:
    if is_blank(value):
        return (None, None, None)  # the case number may still say (see ``build``)
    code = normalise_case_type(value)
    if code is None:
        return (None, f"无法识别的案件类别：{as_text(value)}（应为行政复议或行政诉讼）", None)
    return (code, None, None)


def normalise_instance(value: object) -> str | None:
    text = compact(value)
    if "再审" in text:
        return "retrial"
    if "二审" in text or "上诉" in text or "终审" in text:
        return "appeal"
    if "一审" in text or "初审" in text:
        return "first"
    return None


def parse_instance(value: object) -> Outcome:
    if is_blank(value):
        return (None, None, None)
    code = normalise_instance(value)
    if code is None:
        return (None, None, f"无法识别的审级：{as_text(value)}，已按一审处理")
    return (code, None, None)


# (2020)皖1102行初12号: 行初 first instance, 行终 appeal, 行再/行申 retrial; 复 a reconsideration number.
_CASE_NO = (("行初", "litigation", "first"), ("行终", "litigation", "appeal"), ("行再", "litigation", "retrial"),
            ("行申", "litigation", "retrial"), ("复", "reconsideration", None))  # fmt: skip


def from_case_no(value: object) -> tuple[str | None, str | None]:
    """(type, instance) as a case number says them, else (None, None)."""
    text = compact(value)
    for mark, case_type, instance in _CASE_NO:
        if mark in text:
            return case_type, instance
    return None, None


def parse_head_name(value: object) -> Outcome:
    """出庭负责人: a name is a head who appeared; 无/未出庭 says none did."""
    if is_blank(value):
        return (None, None, None)
    text = compact(value)
    if n.to_bool(value) is False or re.match(r"^(无|未|没有|委托)", text):
        return (None, None, None)
    if any(word in text for word in NOT_A_HEAD):  # 出庭人员 may name whoever appeared: 法律顾问王某, 代理律师李某
        return (None, None, f"「{as_text(value)}」不是机关负责人，不算负责人出庭，请核对")
    return (text, None, None)


# Who may appear in court for an agency without being its head (行政机关负责人出庭应诉)
NOT_A_HEAD = ("律师", "顾问", "代理", "工作人员", "科员", "干部", "经办人")
# A head by title (行诉法解释第128条: the agency's 正职、副职 or 分管负责人): 镇长出庭, 副镇长出庭, 书记到庭
_HEAD_TITLES = re.compile(r"长|书记|主任|负责人|领导|分管|主要负责")
# A cell of dashes or slashes alone: nothing applies (no hearing, nothing to perform), as a blank
PLACEHOLDER = re.compile(r"^[\\/／\-－—–_~～.…。、,，*]+$")


def is_placeholder(value: object) -> bool:
    return bool(PLACEHOLDER.match(compact(value)))


def parse_head_mark(value: object) -> Outcome:
    """负责人是否出庭: a mark, or who appeared as written (镇长出庭, 副镇长出庭 are a head who did;
    委托律师出庭 is not). A placeholder (/, —) says nothing applies: no hearing, not a head absent."""
    if is_blank(value) or is_placeholder(value):
        return (None, None, None)
    parsed, inferred = n.read_mark(value)
    text = compact(value)
    if parsed is None and any(word in text for word in NOT_A_HEAD):
        return (False, None, f"「{as_text(value)}」不是机关负责人出庭，按负责人未出庭计")
    if parsed is None and _HEAD_TITLES.search(text) and not any(cue in text for cue in n.NOT_YET):
        return (True, None, None)
    if parsed is None:
        return (None, None, f"无法识别的是否标记：{as_text(value)}，已按未填处理")
    return (
        parsed,
        None,
        f"「{as_text(value)}」按开头的「{text[0]}」读作{'是' if parsed else '否'}，请核对" if inferred else None,
    )


# 是否履行生效文书 when nothing was due: a placeholder, or words saying so (无需履行, 不涉及). A bare 无 may
# mean either, so it is said.
_NOTHING_DUE = re.compile(r"^(无需|无须|毋需|不需|不需要|不用|不涉及|不适用|无履行|没有需要|无义务|无需要)")


def parse_compliance(value: object) -> Outcome:
    """是否履行生效文书: yes or no where a judgment or decision was due; blank, a placeholder or 无需履行
    is nothing due (not counted), a bare 无 too, and said."""
    if is_blank(value) or is_placeholder(value) or _NOTHING_DUE.match(compact(value)):
        return (None, None, None)
    if compact(value) in ("无", "没有"):
        return (None, None, f"是否履行生效文书「{as_text(value)}」按无需履行计，不计入应履行件数；未履行的请填「否」")
    return n.parse_optional_mark(value)


SPEC = Spec(
    "cases",
    "行政复议和行政应诉台账",
    (
        field("case_no", "text", "案号 案件编号 复议案号 编号 文号"),
        field("case_type", "case_type", "类别 案件类别 案件类型 类型 案件性质 复议/诉讼", "类别"),
        field("instance", "instance", "审级 审理程序 程序"),
        field("received_date", "date", "收案日期 立案日期 收到日期 受理日期 收件日期 应诉通知日期 收案时间 立案时间", "收案日期"),
        field("applicant", "text", "申请人/原告 申请人(原告) 申请人 原告 当事人 起诉人"),
        field("respondent", "text", "被申请人/被告 被申请人(被告) 被申请人 被告 被诉单位 被诉行政机关"),
        field("cause", "text", "案由 争议事项 具体行政行为 被诉行政行为"),
        field("authority", "text", "审理机关 复议机关 审理法院 受理法院 受理机关 管辖法院"),
        field("hearing_date", "optional_date", "开庭日期 开庭时间 庭审日期"),
        field("head_appeared", "head_mark", "负责人是否出庭 负责人出庭 是否出庭 行政机关负责人是否出庭 出庭应诉情况 负责人出庭应诉", "负责人是否出庭"),
        field("head_name", "head_name", "出庭负责人 出庭人员 出庭领导 出庭应诉负责人"),
        field("result", "case_result", "结果 审理结果 复议结果 判决结果 裁判结果 结案情况 处理结果 案件结果", "结果"),
        field("closed_date", "optional_date", "结案日期 审结日期 决定日期 判决日期"),
        field("complied", "compliance", "是否履行生效文书 履行情况 生效文书履行情况 是否履行 是否履行判决", "是否履行生效文书"),
        field("note", "text", "备注"),
        TOWN,
    ),
    (("received_date",), ("case_type", "case_no"), ("result", "cause", "applicant", "respondent")),
    (
        *PROVENANCE, "case_no", "case_type", "instance", "received_date", "applicant", "respondent", "cause",
        "authority", "hearing_date", "hearing_held", "head_appeared", "head_name", "result", "result_raw",
        "closed_date", "complied", "note", "extra",
    ),
)  # fmt: skip


def build(fr: Frame) -> dict[str, Any]:
    out: dict[str, Any] = {"received_date": fr.require("received_date"), "case_no": fr.get("case_no")}
    no_type, no_instance = _from_case_nos(out["case_no"])
    case_type = col.combine_first(fr.get("case_type"), no_type) if fr.has("case_type") else no_type
    missing = col.isna(case_type)
    if fr.has("case_type"):
        missing &= col.isna(fr.parsed[fr.cols("case_type")[0]].errors)
    label = fr.label("case_type") if fr.has("case_type") else fr.label("case_no")
    fr.error(
        label,
        fr.raw_of("case_type") if fr.has("case_type") else fr.raw_of("case_no"),
        col.where(missing, f"{label}为空，案号也看不出是行政复议还是行政诉讼"),
    )
    out["case_type"] = case_type
    instance = col.combine_first(fr.get("instance"), no_instance) if fr.has("instance") else no_instance
    litigation = np.asarray(case_type == "litigation", dtype=bool)
    instance = np.array(instance, dtype=object)  # a copy: the parsed column stays as it is
    instance[~litigation] = None
    instance[litigation & col.isna(instance)] = "first"
    out["instance"] = instance
    for name in ("applicant", "respondent", "cause", "authority", "note"):
        out[name] = fr.get(name)
    out["hearing_date"] = fr.get("hearing_date") if fr.has("hearing_date") else col.no_dates(len(fr))
    head_name = fr.get("head_name")
    appeared = _marks(fr, "head_appeared").copy()
    appeared[~col.isna(head_name) & col.isna(appeared)] = True  # a named head appeared
    out["head_appeared"] = appeared
    out["head_name"] = head_name
    out["hearing_held"] = _hearings(fr, out["hearing_date"], appeared, litigation)
    out["result"] = col.filled(fr.get("result"), "pending") if fr.has("result") else fr.empty("pending")
    out["result_raw"] = fr.text_of("result")
    out["closed_date"] = fr.get("closed_date") if fr.has("closed_date") else col.no_dates(len(fr))
    out["complied"] = _compliance(fr, out["result"])
    return out


def _hearings(fr: Frame, dates: np.ndarray, appeared: np.ma.MaskedArray, litigation: np.ndarray) -> np.ndarray:
    """Whether a hearing was held: a 开庭日期 (one after today is only scheduled, see the measure), or a
    head's appearance marked where the sheet keeps no hearing dates (or its column is blank throughout).
    Where it does and the row's is blank, 是 is a hearing (the date left out) and 否 is none (驳回起诉
    with no hearing), said; a hearing with no word on the head counts as one the head missed, said."""
    dated = ~np.isnat(dates)
    marked = ~col.isna(appeared)
    said_no = marked & ~col.flags(appeared)
    if not fr.has("hearing_date") or not dated[litigation].any():  # a 开庭日期 column nobody fills says nothing
        return np.asarray(dated | marked, dtype=bool)
    undated_no = litigation & ~dated & said_no
    fr.warn(fr.label("head_appeared"), fr.raw_of("head_appeared"), col.where(
        undated_no, "没有开庭日期，负责人是否出庭「否」按未开庭计，不计入出庭应诉率；已开庭的请补开庭日期"
    ))  # fmt: skip
    unsaid = litigation & dated & ~marked
    if fr.has("head_appeared"):
        fr.warn(fr.label("head_appeared"), fr.raw_of("head_appeared"), col.where(
            unsaid & (dates <= np.datetime64(dt.date.today(), "D")),
            "有开庭日期，负责人是否出庭未填，按负责人未出庭计，请核对",
        ))  # fmt: skip
    return np.asarray(dated | (marked & ~said_no), dtype=bool)


# Results where the town has nothing to perform: its act stands, or the case ended without a decision.
_NOTHING_TO_PERFORM = ("upheld", "dismissed", "withdrawn", "terminated")


def _compliance(fr: Frame, results: np.ndarray) -> np.ma.MaskedArray:
    """是否履行生效文书; a 否 on a case the town won (维持, 驳回) or that ended (撤诉) is nothing due, and said."""
    complied = _marks(fr, "complied").copy()
    won = np.isin(results.astype(object), _NOTHING_TO_PERFORM)
    no = ~col.isna(complied) & ~col.flags(complied) & won
    labels = {code: zh for code, (zh, _) in RESULTS.items()}
    fr.warn(fr.label("complied"), fr.raw_of("complied"), np.array([
        f"结果为{labels[r]}，本镇没有要履行的生效文书，「否」不计入应履行件数" if flag else None
        for flag, r in zip(no.tolist(), results.tolist(), strict=True)
    ], dtype=object))  # fmt: skip
    complied[no] = np.ma.masked
    return complied


def _from_case_nos(case_nos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(type, instance) per row as its case number says them (``from_case_no``), None where it doesn't."""
    said = {v: from_case_no(v) for v in dict.fromkeys(case_nos.tolist())}
    types, instances = col.blank(len(case_nos)), col.blank(len(case_nos))
    types[:] = [said[v][0] for v in case_nos.tolist()]
    instances[:] = [said[v][1] for v in case_nos.tolist()]
    return types, instances


def _marks(fr: Frame, name: str) -> np.ma.MaskedArray:
    """An optional yes/no field as a masked bool array (all unknown when the sheet has no such column)."""
    return fr.get(name) if fr.has(name) else col.booleans(fr.empty())


DOCS: Docs = {
    "case_no": ("案号", "Case no.", "复议或诉讼案号", "Case number"),
    "case_type": ("类别", "Type", "reconsideration＝行政复议，litigation＝行政诉讼", "Reconsideration or litigation"),
    "instance": (
        "审级",
        "Instance",
        "诉讼案件的审级：first＝一审，appeal＝二审，retrial＝再审（未写明按一审）；复议为空",
        "Litigation instance (first unless stated); empty for reconsideration",
    ),
    "received_date": ("收案日期", "Received", "收到复议申请或应诉通知、立案的日期", "Date the case was received"),
    "applicant": (
        "申请人/原告",
        "Applicant or plaintiff",
        "复议申请人或原告（个人信息，默认隐去名字）",
        "Applicant or plaintiff (personal; masked by default)",
    ),
    "respondent": ("被申请人/被告", "Respondent", "被申请人或被告（本镇政府或其部门）", "The town or its office"),
    "cause": ("案由", "Cause", "案由或被诉行政行为", "Cause of action"),
    "authority": ("审理机关", "Authority", "复议机关或审理法院", "Reconsideration body or court"),
    "hearing_date": ("开庭日期", "Hearing", "开庭审理日期", "Date of the hearing"),
    "hearing_held": (
        "已开庭",
        "Hearing held",
        "填写了开庭日期（晚于今天的是排期，到日子才算开庭），或表中没有开庭日期列而填了负责人是否出庭；"
        "有开庭日期列而日期空白时，「否」按未开庭计，「/」按不适用",
        "A hearing date (one after today is only scheduled), or the head's appearance where no dates are kept",
    ),
    "head_appeared": (
        "负责人出庭",
        "Head appeared",
        "行政机关负责人是否出庭应诉；写了出庭负责人姓名，或写「镇长出庭」「副镇长出庭」等也算出庭；未填为空"
        "（开了庭而未填的，出庭应诉率按未出庭计）",
        "Whether a head of the agency appeared in court; empty when not stated",
    ),
    "head_name": ("出庭负责人", "Head in court", "出庭应诉的负责人", "The head who appeared"),
    "result": (
        "结果",
        "Result",
        "upheld 维持、dismissed 驳回、revoked 撤销、altered 变更、declared_unlawful 确认违法、ordered_to_act 责令履行、"
        "corrected 纠正、withdrawn 调解撤诉、terminated 终止、pending 未结（空白按未结）",
        "Result of the case (blank is pending)",
    ),
    "result_raw": ("结果原文", "Result (as typed)", "台账中填写的结果原文", "Result as typed"),
    "closed_date": ("结案日期", "Closed", "决定或判决日期", "Date of the decision or judgment"),
    "complied": (
        "履行生效文书",
        "Complied",
        "是否履行生效的判决、裁定或复议决定；不需履行的为空（填「/」「无需履行」「不涉及」的，以及维持、驳回、撤诉、"
        "终止的案件填「否」的，都按不需履行）",
        "Whether an effective judgment or decision was complied with; empty when none was due",
    ),
    "note": ("备注", "Note", "备注", "Remarks"),
}

TEMPLATE = Template(
    "cases",
    "行政复议和行政应诉台账",
    "行政复议和行政应诉台账模板.xlsx",
    (
        Column("案号", 22, "如 （2020）皖1102行初12号；复议案件填复议机关的案号"),
        Column("类别", 10, "行政复议 或 行政诉讼", "list", ("行政复议", "行政诉讼"), required=True),
        Column("审级", 8, "诉讼案件：一审、二审 或 再审", "list", ("一审", "二审", "再审")),
        Column("收案日期", 13, DATE_NOTE, "date", required=True),
        Column("申请人/原告", 14, "复议申请人或原告"),
        Column("被申请人/被告", 16, "本镇政府或其部门"),
        Column("案由", 24, "被申请复议或被诉的行政行为"),
        Column("审理机关", 16, "复议机关或审理法院"),
        Column("开庭日期", 13, DATE_NOTE, "date"),
        Column("负责人是否出庭", 12, "行政机关负责人是否出庭应诉：是 或 否", "list", YES_NO),
        Column("出庭负责人", 12, "出庭应诉的负责人姓名、职务"),
        Column("结果", 11, "从下拉列表中选择；尚未结案选「未结」", "list", RESULT_CHOICES),
        Column("结案日期", 13, DATE_NOTE, "date"),
        Column("是否履行生效文书", 14, "需要履行生效文书的填 是 或 否；不需要的不填", "list", YES_NO),
        Column("备注", 20, "其他说明"),
    ),
    ("一行填写一件行政复议或行政诉讼案件。", "诉讼案件二审另起一行，审级填「二审」。"),
)

PIVOT = Pivot(
    ("行政复议和行政应诉", "Reconsideration and litigation"),
    columns=("town", "case_type", "instance", "result", "head_appeared", "complied", "authority", "source_file"),
    detail=("received_date", "town", "case_no", "case_type", "instance", "applicant", "respondent", "cause",
            "authority", "hearing_date", "head_appeared", "head_name", "result", "closed_date", "complied",
            "source_file", "sheet", "excel_row"),
    shares={
        "corrected": metric_share("reconsideration_corrected_rate"),
        "head": metric_share("head_appearance_rate"),
        "lost": metric_share("litigation_loss_rate"),
        "complied": metric_share("judgment_compliance_rate"),
    },
)  # fmt: skip


# 行政复议和行政应诉台账: one row per case against the town (reconsideration or litigation).
TABLE = """
    case_no        VARCHAR,
    case_type      VARCHAR NOT NULL,    -- reconsideration | litigation
    instance       VARCHAR,             -- litigation: first | appeal | retrial; NULL for reconsideration
    received_date  DATE NOT NULL,       -- 收案/立案日期
    applicant      VARCHAR,             -- 申请人/原告
    respondent     VARCHAR,             -- 被申请人/被告
    cause          VARCHAR,             -- 案由
    authority      VARCHAR,             -- 审理机关 (复议机关 or court)
    hearing_date   DATE,                -- 开庭日期
    hearing_held   BOOLEAN NOT NULL,    -- a hearing date, or whether a head appeared, was written
    head_appeared  BOOLEAN,             -- 负责人是否出庭; NULL when not stated
    head_name      VARCHAR,             -- 出庭负责人
    result         VARCHAR NOT NULL,    -- upheld | dismissed | revoked | altered | declared_unlawful | ordered_to_act | corrected | withdrawn | terminated | pending
    result_raw     VARCHAR,
    closed_date    DATE,
    complied       BOOLEAN,             -- 是否履行生效文书; NULL when none was due
    note           VARCHAR,
    extra          VARCHAR
"""  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "行政复议和行政应诉台账",
    (
        "行政复议和行政应诉台账：每行一件以本镇为被申请人或被告的案件",
        "Reconsideration and litigation register: one row per case against the town",
    ),
    DOCS,
    ("town", "case_type", "case_no", "received_date"),
    kinds={
        "case_type": lambda s, d: n.column(s, parse_case_type, d),
        "instance": lambda s, d: n.column(s, parse_instance, d),
        "case_result": lambda s, d: n.column(s, parse_result, d),
        "head_name": lambda s, d: n.column(s, parse_head_name, d),
        "head_mark": lambda s, d: n.bool_column(s, parse_head_mark, d),
        "compliance": lambda s, d: n.bool_column(s, parse_compliance, d),
    },
    personal_names=frozenset({"applicant"}),
    value_labels={"case_type": CASE_TYPES, "instance": INSTANCES, "result": RESULTS},
    template=TEMPLATE,
    dated_by="received_date",
    record_id="case_no",
    pivot=PIVOT,
    table_sql=TABLE,
)
