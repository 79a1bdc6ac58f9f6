"""The disclosure-request register (依申请公开), 2016–2025: every request of 2020 answered in time, as
the report says ("依法在规定时限内予以答复"), one answered late in 2018, 2021 and 2023 each so the
red shows, and in 2025 one open past its limit and one due soon at the year's end. Due dates are
the official calendar's (``chinese-calendar``); requests before 2019-05-15 follow the old 15 + 15
working days. One sheet a year, headers as each year's clerk wrote them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from openpyxl import Workbook

from sample.days import next_weekday
from sample.figures import TOWN
from sample.workbook import Column, Numbered, format_date, write_sheet

YEARS = tuple(range(2016, 2026))
# year: (requests, answered late, of them extended)
PLAN: dict[int, tuple[int, int]] = {
    2016: (3, 0), 2017: (4, 0), 2018: (5, 1), 2019: (6, 0), 2020: (8, 0),
    2021: (9, 1), 2022: (7, 0), 2023: (10, 2), 2024: (8, 0), 2025: (9, 0),
}  # fmt: skip
OPEN_2025 = ((11, 10), (12, 10))  # received, never answered: overdue at the year's end, and due soon

_CONTENTS = (
    "本村土地征收补偿安置方案", "村集体资产处置情况", "农村危房改造补助名单", "本人房屋征收评估报告",
    "{year}年度镇财政预决算", "秸秆禁烧处罚依据", "低保评审会议记录", "河道采砂许可情况",
    "土地承包经营权确权登记资料", "道路建设项目招投标信息", "宅基地审批文件", "防汛物资采购合同",
)  # fmt: skip
_REPLIES = ("予以公开", "予以公开", "予以公开", "部分公开", "信息不存在", "非本机关信息", "不予公开")
_TYPES = ("自然人", "自然人", "自然人", "法人", "其他组织")


@dataclass
class Request:
    received: date
    applicant_type: str
    applicant: str
    content: str
    correction: date | None
    extended: bool
    replied: date | None
    reply: str | None


def _limit(received: date, extended: bool) -> int:
    base = 15 if received < date(2019, 5, 15) else 20
    return base * (2 if extended else 1)


def year_requests(rng: random.Random, year: int) -> list[Request]:
    count, late = PLAN[year]
    days = sorted(next_weekday(date(year, rng.randint(1, 11), rng.randint(1, 28))) for _ in range(count))
    rows = []
    for i, received in enumerate(days):
        correction = next_weekday(received.replace(day=min(received.day + 7, 28))) if i == 1 else None
        extended = i == 2 or (year == 2023 and i == count - 1)
        start = correction or received
        limit = _limit(received, extended)
        is_late = i >= count - late
        spent = limit + rng.randint(2, 6) if is_late else rng.randint(max(3, limit // 3), limit)
        replied = chinese_calendar.find_workday(spent, start)
        rows.append(
            Request(
                received,
                rng.choice(_TYPES),
                f"{rng.choice('王李张刘陈杨黄赵周吴')}某某",
                rng.choice(_CONTENTS).format(year=year - 1),
                correction,
                extended,
                replied,
                rng.choice(_REPLIES),
            )
        )
    if year == 2025:
        for month, day in OPEN_2025:
            rows.append(
                Request(
                    date(2025, month, day), "自然人", "钱某某", "村级公益事业一事一议筹资方案", None, False, None, None
                )
            )
    return rows


# Each year's headers: (received, applicant type, content, correction, extended, replied, reply, date style)
_LAYOUTS = {
    "a": ("收到日期", "申请人类型", "申请内容", "补正日期", "是否延期", "答复日期", "答复类型", "date"),
    "b": ("收件日期", "申请主体", "申请公开内容", "收到补正日期", "延期答复", "答复时间", "办理结果", "cn"),
}


def _columns(rng: random.Random, layout: tuple[str, ...]) -> list[Column]:
    received, kind, content, correction, extended, replied, reply, style = layout

    def day(d: date | None) -> object:
        return format_date(rng, d, style)

    return [
        Column("序号", lambda n: n.index, width=6),
        Column(received, lambda n: day(n.case.received), width=13),
        Column(kind, lambda n: n.case.applicant_type, width=10),
        Column("申请人", lambda n: n.case.applicant, width=10),
        Column(content, lambda n: n.case.content, width=30, total="count"),
        Column(correction, lambda n: day(n.case.correction), width=13),
        Column(extended, lambda n: "是" if n.case.extended else "否", width=8),
        Column(replied, lambda n: day(n.case.replied), width=13),
        Column(reply, lambda n: n.case.reply or "办理中", width=12),
    ]


def ledger_workbook(rng: random.Random, requests: dict[int, list[Request]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for year in YEARS:
        write_sheet(
            wb.create_sheet(f"{year}年"),
            f"{TOWN}{year}年政府信息公开申请登记台账",
            _columns(rng, _LAYOUTS["a" if year % 2 == 0 else "b"]),
            [Numbered(i, r) for i, r in enumerate(requests[year], start=1)],
            f"填表人：汪某某    审核人：吴某某    填表日期：{year + 1}年1月6日",
        )
    return wb


def counts(rows: list[Request], as_of: date) -> dict[str, int]:
    """Requests, answered in time, late or open past the limit at ``as_of``, and overdue then."""
    on_time = late = overdue = 0
    for r in rows:
        start = r.correction or r.received  # the limit's working days count from the day after its start
        due = chinese_calendar.find_workday(_limit(r.received, r.extended) - 1, start + timedelta(days=1))
        if r.replied is not None:
            on_time += r.replied <= due
            late += r.replied > due
        elif due < as_of:
            late += 1
            overdue += 1
    return {"requests": len(rows), "on_time": on_time, "late": late, "overdue": overdue}
