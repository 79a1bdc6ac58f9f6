"""The reconsideration and litigation register: the town's one reconsideration case (2012; none
since, as the report says "自2013年以来我镇未出现一起行政复议案件") and its lawsuits 2016–2025,
a head appearing in court at almost every hearing. Two sheets, as offices keep them: 行政复议
(no 类别 column: the case number says it) and 行政应诉."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from sample.days import next_weekday
from sample.figures import TOWN
from sample.workbook import Column, Numbered, format_date, write_sheet

HEADS = ("镇长 王建国", "副镇长 陈立新", "副镇长 刘志强", "镇长 周明")


@dataclass
class Case:
    case_no: str
    received: date
    applicant: str
    cause: str
    authority: str
    result: str
    instance: str = "一审"
    hearing: date | None = None
    head: str | None = None  # who appeared; None: nobody did
    closed: date | None = None
    complied: str | None = None  # 是 | 否 | None (nothing to comply with)
    note: str | None = None


# year: the lawsuits received, as (instance, result, head appeared, complied, cause)
LAWSUITS: dict[int, tuple[tuple[str, str, bool, str | None, str], ...]] = {
    2016: (("一审", "驳回诉讼请求", True, None, "土地行政登记"),),
    2018: (
        ("一审", "驳回诉讼请求", True, None, "房屋征收补偿"),
        ("一审", "撤销行政行为", False, "是", "责令限期拆除违法建筑"),  # a head did not appear
    ),
    2019: (("一审", "原告撤诉", True, None, "行政处罚"),),
    2020: (
        ("一审", "驳回诉讼请求", True, None, "政府信息公开答复"),
        ("一审", "驳回诉讼请求", True, None, "土地承包经营权登记"),
        ("一审", "判决责令履行", True, "是", "履行法定职责（农村危房改造补助）"),
    ),
    2021: (("一审", "驳回诉讼请求", True, None, "房屋征收补偿"), ("二审", "驳回上诉，维持原判", False, None, "房屋征收补偿")),
    2022: (
        ("一审", "驳回诉讼请求", True, None, "林地权属处理决定"),
        ("一审", "确认违法", True, "否", "强制拆除养殖棚"),  # not yet complied with: red
    ),
    2023: (("一审", "驳回诉讼请求", False, None, "行政协议（土地流转）"),),
    2025: (("一审", "", True, None, "行政处罚（秸秆焚烧）"),),  # still pending at year end
}  # fmt: skip
RECONSIDERATION_2012 = Case(
    "滁复决字〔2012〕17号",
    date(2012, 6, 12),
    "张某某",
    "宅基地审批",
    "县人民政府",
    "维持",
    instance="",
    closed=date(2012, 8, 6),
)
_PLAINTIFFS = ("李某某", "王某某", "赵某某", "孙某某", "某某农业专业合作社", "钱某某", "周某某", "吴某某")


def lawsuits(rng: random.Random) -> list[Case]:
    cases = []
    number = 10
    for year, suits in LAWSUITS.items():
        for i, (instance, result, appeared, complied, cause) in enumerate(suits):
            received = next_weekday(date(year, 3 + i * 4, rng.randint(2, 20)))
            hearing = None if instance == "二审" else next_weekday(received + timedelta(days=rng.randint(40, 70)))
            closed = None if not result else (hearing or received) + timedelta(days=rng.randint(20, 45))
            number += rng.randint(3, 40)
            code = "行初" if instance == "一审" else "行终"
            court = "珠龙区人民法院" if instance == "一审" else "滁州市中级人民法院"
            cases.append(
                Case(
                    f"（{year}）皖{'1102' if instance == '一审' else '11'}{code}{number}号",
                    received,
                    rng.choice(_PLAINTIFFS),
                    cause,
                    court,
                    result,
                    instance,
                    hearing,
                    rng.choice(HEADS) if appeared and hearing else None,
                    closed,
                    complied,
                    "书面审理" if hearing is None else (None if appeared else "委托律师出庭"),
                )
            )
    return cases


def _day(rng: random.Random, style: str) -> Any:
    return lambda d: format_date(rng, d, style)


def ledger_workbook(rng: random.Random, cases: list[Case]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    day = _day(rng, "date")
    write_sheet(
        wb.create_sheet("行政复议"),
        f"{TOWN}行政复议案件登记台账",
        [
            Column("序号", lambda n: n.index, width=6),
            Column("复议案号", lambda n: n.case.case_no, width=22, total="count"),
            Column("收到日期", lambda n: day(n.case.received), width=13),
            Column("申请人", lambda n: n.case.applicant, width=10),
            Column("被申请人", lambda n: f"{TOWN}人民政府", width=14),
            Column("复议机关", lambda n: n.case.authority, width=12),
            Column("案由", lambda n: n.case.cause, width=16),
            Column("复议结果", lambda n: n.case.result, width=10),
            Column("决定日期", lambda n: day(n.case.closed), width=13),
            Column("备注", lambda n: "2013年以来未发生行政复议案件", width=26),
        ],
        [Numbered(1, RECONSIDERATION_2012)],
        f"填表人：陈某某    审核人：李某某    填表日期：{date(2026, 1, 8).year}年1月8日",
    )
    slash = _day(rng, "slash")
    write_sheet(
        wb.create_sheet("行政应诉"),
        f"{TOWN}行政应诉案件台账（2016—2025年）",
        [
            Column("序号", lambda n: n.index, width=6),
            Column("案号", lambda n: n.case.case_no, width=24, total="count"),
            Column("审级", lambda n: n.case.instance, width=6),
            Column("立案日期", lambda n: slash(n.case.received), width=12),
            Column("原告", lambda n: n.case.applicant, width=14),
            Column("被告", lambda n: f"{TOWN}人民政府", width=14),
            Column("案由", lambda n: n.case.cause, width=24),
            Column("审理法院", lambda n: n.case.authority, width=18),
            Column("开庭日期", lambda n: slash(n.case.hearing), width=12),
            Column(
                "负责人是否出庭",
                lambda n: None if n.case.hearing is None else ("是" if n.case.head else "否"),
                width=10,
            ),
            Column("出庭负责人", lambda n: n.case.head, width=14),
            Column("裁判结果", lambda n: n.case.result or "审理中", width=16),
            Column("结案日期", lambda n: slash(n.case.closed), width=12),
            Column("是否履行生效文书", lambda n: n.case.complied, width=10),
            Column("备注", lambda n: n.case.note, width=14),
        ],
        [Numbered(i, c) for i, c in enumerate(cases, start=1)],
        "填表人：陈某某    审核人：李某某    填表日期：2026年1月8日",
        unit_row=f"填报单位：{TOWN}人民政府（司法所）",
    )
    return wb
