"""The work summary sheet (法治工作汇总表): old years' figures of the four registers of the whole report.

One row per town and year or half-year, typed from old reports where no register was kept: cases
(行政复议、行政应诉), disclosure requests, legality reviews and the year's work events. A blank
cell is no figure (not 0); a register's figures are used only for a town and period its own
register has no row in (``analytics.semantic.metrics``: the register wins). A part larger than its
whole (审查件数 6 of 5 重大决策) can only be a typing slip: the row is rejected, with both figures.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from analytics.semantic.periods import parse_loose
from etl import columns as col
from etl import normalise as n
from etl.datasets.base import PERIOD_DOCS, PERIOD_SQL, Dataset, Docs
from etl.datasets.summaries import summary_builder
from etl.fields import PERIOD, PERIOD_PART, PROVENANCE, SUMMARY_VILLAGE, TOWN, Column, Spec, Template, field
from etl.frame import Frame

# The figures, by register; each name is the register's measure of the same meaning
# (``analytics.semantic.measures``), so a summary row and a register's counts add up by name.
FIGURES: dict[str, tuple[tuple[str, str, str, str, str], ...]] = {
    # name, header aliases, zh label, en label, what it counts
    "cases": (
        ("reconsideration", "行政复议案件数 行政复议案件 行政复议 复议案件数 复议案件(件) 行政复议(件)", "行政复议案件数",
         "Reconsideration cases", "以本镇为被申请人的行政复议案件件数"),
        ("reconsideration_decided", "复议审结数 复议审结件数 行政复议审结数", "复议审结数", "Reconsideration concluded",
         "已审结的行政复议案件件数"),
        ("reconsideration_corrected", "复议纠错数 复议被纠错数 行政复议纠错数 复议纠错件数", "复议纠错数",
         "Reconsideration corrected", "被撤销、变更、确认违法或责令履行的复议案件件数"),
        ("litigation", "行政诉讼案件数 行政诉讼案件 行政诉讼 行政应诉案件数 应诉案件数 行政诉讼(件) 行政应诉(件)",
         "行政诉讼案件数", "Litigation cases", "以本镇为被告的行政诉讼案件件数"),
        ("hearings", "开庭数 开庭次数 开庭审理数 开庭审理次数", "开庭数", "Hearings held", "开庭审理的次数"),
        ("head_appeared", "负责人出庭数 负责人出庭次数 负责人出庭应诉数 负责人出庭应诉次数", "负责人出庭数",
         "Head appeared", "行政机关负责人出庭应诉的次数"),
        ("first_instance_concluded", "一审审结数 一审审结件数 一审结案数", "一审审结数", "First instance concluded",
         "已审结的一审行政诉讼案件件数"),
        ("lost", "败诉数 败诉件数 一审败诉数 行政诉讼败诉数", "败诉数", "Lost", "一审败诉的案件件数"),
        ("judgments_due", "应履行生效文书数 应履行文书数 生效文书数", "应履行生效文书数", "Judgments due",
         "应履行的法院、复议机关生效文书件数"),
        ("judgments_complied", "已履行生效文书数 已履行文书数 履行生效文书数", "已履行生效文书数", "Judgments complied",
         "已履行的生效文书件数"),
    ),
    "disclosures": (
        ("requests", "信息公开申请数 依申请公开数 政府信息公开申请数 依申请公开件数 收到申请数 信息公开申请(件)",
         "信息公开申请数", "Disclosure requests", "收到的政府信息公开申请件数"),
        ("on_time", "按时答复数 按期答复数 按时答复件数 依法按时答复数", "按时答复数", "Answered in time",
         "在法定期限内答复的申请件数"),
        ("late", "逾期答复数 超期答复数 逾期答复件数", "逾期答复数", "Answered late",
         "超过法定期限才答复或期末仍逾期未答复的申请件数"),
        ("overdue", "逾期未答复数 超期未答复数 期末逾期未答复数", "逾期未答复数", "Overdue at period end",
         "期末已过答复期限仍未答复的申请件数"),
    ),
    "legality_reviews": (
        ("major_decisions", "重大行政决策数 重大决策数 重大行政决策件数 重大决策事项数", "重大行政决策数",
         "Major decisions", "作出的重大行政决策件数"),
        ("major_reviewed", "重大决策审查数 决策合法性审查数 重大决策合法性审查数 重大行政决策审查数", "重大决策审查数",
         "Major decisions reviewed", "作出前经合法性审查的重大行政决策件数"),
        ("contracts", "合同数 签订合同数 合同件数 行政合同数", "合同数", "Contracts", "签订的合同件数"),
        ("contracts_reviewed", "合同审查数 合同合法性审查数 合同审查件数", "合同审查数", "Contracts reviewed",
         "签订前经合法性审查的合同件数"),
    ),
    "events": (
        ("reports", "汇报次数 向党委政府汇报次数 向党委汇报次数 汇报依法行政工作次数", "汇报次数",
         "Reports to the Party committee", "向党委、政府主要负责人汇报依法行政工作的次数"),
        ("supervised_quarters", "督导季度数 督查季度数 开展督导的季度数 开展督查的季度数 季度督导季度数",
         "督导季度数", "Quarters supervised", "期间内开展了对各村（社区）督导的季度数"),
        ("cleanups", "规范性文件清理次数 文件清理次数 清理次数", "规范性文件清理次数", "Document cleanups",
         "开展规范性文件清理的次数"),
        ("publicity", "法治宣传活动次数 普法活动次数 法治宣传次数 宣传活动次数 普法宣传次数", "法治宣传活动次数",
         "Legal publicity events", "开展法治宣传活动的次数"),
    ),
}  # fmt: skip
NAMES = tuple(name for figures in FIGURES.values() for name, *_ in figures)

# (part, whole): a part can't be larger than its whole.
PARTS = (
    ("reconsideration_decided", "reconsideration"),
    ("reconsideration_corrected", "reconsideration_decided"),
    ("hearings", "litigation"),
    ("head_appeared", "hearings"),
    ("first_instance_concluded", "litigation"),
    ("lost", "first_instance_concluded"),
    ("judgments_complied", "judgments_due"),
    ("on_time", "requests"),
    ("major_reviewed", "major_decisions"),
    ("contracts_reviewed", "contracts"),
)

SPEC = Spec(
    "work_summaries",
    "法治工作汇总表",
    (
        PERIOD,
        PERIOD_PART,
        SUMMARY_VILLAGE,
        *(
            field(name, "integer", aliases, label)
            for figures in FIGURES.values()
            for name, aliases, label, *_ in figures
        ),
        TOWN,
    ),
    (("period",), NAMES),
    (*PROVENANCE, "period_id", "period_start", "period_end", *NAMES),
)

_figures = summary_builder(NAMES, (), "work_summaries")


def build(fr: Frame) -> dict[str, Any]:
    out = _figures(fr)
    values = {name: col.floats(out[name]) for name in NAMES}
    for part, whole in PARTS:
        if fr.has(part) and fr.has(whole):
            _not_above(fr, part, values[part], fr.label(whole), values[whole])
    if fr.has("on_time") and fr.has("late") and fr.has("requests"):
        answered = values["on_time"] + values["late"]
        _not_above(
            fr,
            "on_time",
            answered,
            fr.label("requests"),
            values["requests"],
            f"{fr.label('on_time')}与{fr.label('late')}之和",
        )
    if fr.has("supervised_quarters"):
        quarters = _quarters(fr)
        _not_above(fr, "supervised_quarters", values["supervised_quarters"], "期间的季度数", quarters)
    return out


def _quarters(fr: Frame) -> np.ndarray:
    """How many quarters each row's period has (NaN where the period can't be read)."""
    counts = {}
    for raw in dict.fromkeys(fr.raw_of("period")):
        period = parse_loose(n.as_text(raw))
        counts[raw] = np.nan if period is None else {"year": 4, "half": 2, "quarter": 1}.get(period.kind, np.nan)
    return np.array([counts[raw] for raw in fr.raw_of("period")], dtype="float64")


def _not_above(
    fr: Frame, name: str, part: np.ndarray, whole_label: str, whole: np.ndarray, part_label: str = ""
) -> None:
    """Reject the rows where ``part`` is larger than ``whole`` (both typed)."""
    label = part_label or fr.label(name)
    with np.errstate(invalid="ignore"):
        bad = part > whole
    reason = fr.empty()
    for i in np.flatnonzero(bad):
        reason[i] = f"{label} {int(part[i])} 大于{whole_label} {int(whole[i])}"
    fr.error(fr.label(name), fr.raw_of(name), reason)


DOCS: Docs = {
    **PERIOD_DOCS,
    **{
        name: (label, en, what + "（空白为未填报，不是 0）", f"{en}, as typed (blank: not reported, not 0)")
        for figures in FIGURES.values()
        for name, _, label, en, what in figures
    },
}

TEMPLATE = Template(
    "work_summaries",
    "法治工作汇总表",
    "法治工作汇总表模板.xlsx",
    (
        Column("年度", 12, "2018 为全年，2018上半年 / 2018下半年 为半年", required=True),
        *(
            Column(label, 12, f"{what}；不知道的留空，不要填 0", kind="number")
            for figures in FIGURES.values()
            for _, _, label, _, what in figures
        ),
    ),
    (
        "每行一个年度或半年，只填旧年度报告里有的数；有台账的年份不必填，台账优先。",
        "部分不能大于整体（如 重大决策审查数 不能大于 重大行政决策数），否则该行拒收并写明两个数。",
    ),
)

# 法治工作汇总表: old years' figures of the four registers below, per town and period; NULL = not reported.
TABLE = (
    PERIOD_SQL
    + """
    reconsideration            INTEGER,
    reconsideration_decided    INTEGER,
    reconsideration_corrected  INTEGER,
    litigation                 INTEGER,
    hearings                   INTEGER,
    head_appeared              INTEGER,
    first_instance_concluded   INTEGER,
    lost                       INTEGER,
    judgments_due              INTEGER,
    judgments_complied         INTEGER,
    requests                   INTEGER,
    on_time                    INTEGER,
    late                       INTEGER,
    overdue                    INTEGER,
    major_decisions            INTEGER,
    major_reviewed             INTEGER,
    contracts                  INTEGER,
    contracts_reviewed         INTEGER,
    reports                    INTEGER,
    supervised_quarters        INTEGER,
    cleanups                   INTEGER,
    publicity                  INTEGER
"""
)  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "法治工作汇总表",
    (
        "法治工作汇总表：每行一个乡镇一年或半年（早年报告中的行政复议应诉、信息公开、合法性审查和工作情况数）",
        "Work summary sheet: one row per town and year or half-year (old reports' figures of cases, disclosure "
        "requests, legality reviews and work events)",
    ),
    DOCS,
    ("town", "period_id"),
    template=TEMPLATE,
    dated_by="period_start",
    table_sql=TABLE,
)
