"""The legality review register (合法性审查台账), 2016–2025: the town's major decisions and contracts
reviewed by its legal adviser (法律顾问) or the justice office before adoption or signing, all of
them in 2020; a contract signed before its review in 2017 and a major decision adopted without
one in 2022 so the red shows. Two sheets (2016–2020, 2021–2025) with different headers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from openpyxl import Workbook

from sample.days import next_weekday
from sample.figures import TOWN
from sample.workbook import Column, Numbered, format_date, write_sheet

# year: (major decisions, contracts, other matters)
PLAN: dict[int, tuple[int, int, int]] = {
    2016: (2, 3, 1), 2017: (2, 4, 1), 2018: (3, 4, 2), 2019: (2, 5, 1), 2020: (3, 6, 2),
    2021: (3, 5, 2), 2022: (3, 6, 1), 2023: (2, 7, 2), 2024: (3, 6, 2), 2025: (2, 5, 1),
}  # fmt: skip
SIGNED_BEFORE_REVIEW = 2017  # one contract reviewed only after it was signed
UNREVIEWED_DECISION = 2022  # one major decision adopted without a review

_DECISIONS = (
    "{year}年度镇级财政预算安排", "农村人居环境整治三年行动方案", "集镇规划修编", "农村集体经营性建设用地入市方案",
    "镇区道路改造工程立项", "殡葬改革实施方案", "高标准农田建设项目实施方案", "乡村振兴示范村建设方案",
)  # fmt: skip
_CONTRACTS = (
    "垃圾清运服务外包合同", "镇政府法律顾问聘用合同", "集镇道路保洁承包合同", "土地流转协议（示范园）",
    "办公楼维修工程施工合同", "污水处理站运营委托合同", "光伏发电项目合作协议", "农产品冷库租赁合同",
)  # fmt: skip
_OTHERS = ("行政处罚决定书（违法建设）", "信访事项答复意见书", "村规民约修订稿备案审查", "政府信息公开答复书")


@dataclass
class Matter:
    title: str
    kind: str
    submitted: date
    reviewed: date | None
    decided: date
    reviewer: str
    opinion: str
    adopted: str | None


def year_matters(rng: random.Random, year: int) -> list[Matter]:
    decisions, contracts, others = PLAN[year]
    rows = []
    for kind, count, titles in (("重大行政决策", decisions, _DECISIONS), ("合同", contracts, _CONTRACTS),
                                ("其他涉法事务", others, _OTHERS)):  # fmt: skip
        for i, title in enumerate(rng.sample(titles, count)):
            submitted = next_weekday(date(year, rng.randint(1, 11), rng.randint(1, 25)))
            reviewed: date | None = next_weekday(submitted + timedelta(days=rng.randint(2, 8)))
            assert reviewed is not None
            decided = next_weekday(reviewed + timedelta(days=rng.randint(3, 20)))
            if kind == "合同" and year == SIGNED_BEFORE_REVIEW and i == 0:
                decided = next_weekday(submitted + timedelta(days=1))  # signed first, reviewed after
            if kind == "重大行政决策" and year == UNREVIEWED_DECISION and i == 0:
                reviewed = None
            rows.append(
                Matter(
                    title.format(year=year),
                    kind,
                    submitted,
                    reviewed,
                    decided,
                    rng.choice(("法律顾问", "司法所")) if reviewed else "",
                    rng.choice(("合法，同意", "建议修改第五条后提交", "合法，建议补充风险评估", "同意"))
                    if reviewed
                    else "",
                    ("是" if rng.random() < 0.9 else "否") if reviewed else None,
                )
            )
    return sorted(rows, key=lambda m: m.submitted)


def ledger_workbook(rng: random.Random, matters: dict[int, list[Matter]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for first, last, headers, style in (
        (2016, 2020, ("事项", "类型", "提交日期", "审查日期", "决策日期", "审查人", "审查意见", "是否采纳"), "date"),
        (
            2021,
            2025,
            ("审查事项", "事项类型", "送审日期", "出具意见日期", "签订日期", "审查机构", "法律意见", "采纳情况"),
            "iso",
        ),
    ):
        title, kind, submitted, reviewed, decided, reviewer, opinion, adopted = headers

        def day(d: date | None, style: str = style) -> object:
            return format_date(rng, d, style)

        rows = [m for year in range(first, last + 1) for m in matters[year]]
        write_sheet(
            wb.create_sheet(f"{first}-{last}年"),
            f"{TOWN}合法性审查台账（{first}—{last}年）",
            [
                Column("序号", lambda n: n.index, width=6),
                Column(title, lambda n: n.case.title, width=34, total="count"),
                Column(kind, lambda n: n.case.kind, width=12),
                Column(submitted, lambda n: day(n.case.submitted), width=13),
                Column(reviewed, lambda n: day(n.case.reviewed), width=13),
                Column(decided, lambda n: day(n.case.decided), width=13),
                Column(reviewer, lambda n: n.case.reviewer or None, width=10),
                Column(opinion, lambda n: n.case.opinion or None, width=24),
                Column(adopted, lambda n: n.case.adopted, width=10),
            ],
            [Numbered(i, m) for i, m in enumerate(rows, start=1)],
            f"填表人：刘某某    审核人：周某某    填表日期：{last + 1}年1月9日",
        )
    return wb
