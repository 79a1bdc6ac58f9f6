"""The work register (依法行政工作台账), 2016–2025: reports to the Party committee (two in 2020, as the
report says "每年至少向党委、政府主要负责人汇报2次依法行政工作"), a supervision of the villages every
quarter (four in 2020), a cleanup of normative documents every two years (none after 2022, so 2024
and 2025 show it due), legal publicity (法律六进) and, from 2018, the same 学习会 and 调解员培训 the
training register records (they must not count twice). One sheet a year."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook

from sample.days import next_weekday
from sample.figures import TOWN
from sample.workbook import Column, Numbered, format_date, write_sheet

YEARS = tuple(range(2016, 2026))
REPORT_MONTHS: dict[int, tuple[int, ...]] = {
    2016: (6, 12),
    2017: (6, 12),
    2018: (6, 12),
    2019: (12,),
    2020: (6, 12),
    2021: (3, 7, 12),
    2022: (6, 12),
    2023: (6, 12),
    2024: (6, 12),
    2025: (6, 12),
}  # fmt: skip  (2019: only one, target missed)
SUPERVISED_QUARTERS: dict[int, tuple[int, ...]] = {y: (1, 2, 3, 4) for y in YEARS} | {2022: (1, 3, 4)}
CLEANUP_YEARS = (2016, 2018, 2020, 2022)
PUBLICITY: dict[int, int] = {2016: 5, 2017: 6, 2018: 6, 2019: 7, 2020: 8, 2021: 8, 2022: 5, 2023: 9, 2024: 8, 2025: 7}
OTHER = {2019: "聘任镇政府法律顾问", 2021: "在政府网站公开2020年度法治政府建设情况", 2024: "法治政府建设示范创建迎检"}

_VILLAGES = ("珠龙村", "石门村", "桃源村", "新田村", "东街社区", "龙山村", "大桥村", "西湖村")
_PUBLICITY = (
    "“法律进乡村”普法宣传", "“12·4”国家宪法日宣传活动", "民法典宣传月集中宣传", "“法律进校园”法治讲座",
    "“法律进企业”安全生产法宣传", "“法律进社区”反诈宣传", "“法律进寺庙”宗教事务条例宣传", "“法律进单位”学法用法",
)  # fmt: skip


@dataclass
class Event:
    day: date
    kind: str
    description: str
    place: str | None = None


def year_events(rng: random.Random, year: int, study: list[date], mediator: list[date]) -> list[Event]:
    rows = [
        Event(next_weekday(date(year, m, rng.randint(10, 26))), "向党委政府汇报依法行政工作",
              f"向镇党委会议汇报{'上半年' if m <= 7 else '全年'}依法行政工作", "镇党委会议")
        for m in REPORT_MONTHS[year]
    ]  # fmt: skip
    for q in SUPERVISED_QUARTERS[year]:
        day = next_weekday(date(year, 3 * q - 1, rng.randint(5, 25)))
        villages = "、".join(rng.sample(_VILLAGES, 3))
        rows.append(Event(day, "季度督导", f"第{q}季度人民调解工作督导，查看调解卷宗", villages))
    if year in CLEANUP_YEARS:
        day = next_weekday(date(year, 11, rng.randint(3, 20)))
        rows.append(Event(day, "规范性文件清理", f"对{year - 1}年底前制发的规范性文件进行清理，公布继续有效、废止目录"))
    for title in [rng.choice(_PUBLICITY) for _ in range(PUBLICITY[year])]:
        month = 12 if "12·4" in title else rng.randint(1, 11)
        rows.append(Event(next_weekday(date(year, month, rng.randint(1, 4) if month == 12 else rng.randint(1, 28))),
                          "法治宣传活动", title, rng.choice(_VILLAGES)))  # fmt: skip
    rows += [Event(d, "依法行政专题学习会", "依法行政专题学习会", "镇政府三楼会议室") for d in study]
    rows += [Event(d, "调解员培训", "村级人民调解员法律知识培训", "镇综治中心") for d in mediator]
    if year in OTHER:
        rows.append(Event(next_weekday(date(year, 3, rng.randint(1, 20))), OTHER[year], OTHER[year]))
    return sorted(rows, key=lambda e: e.day)


def ledger_workbook(rng: random.Random, events: dict[int, list[Event]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for year in YEARS:
        early = year < 2020
        style = "dot" if early else "date"

        def day(d: date, style: str = style) -> object:
            return format_date(rng, d, style)

        write_sheet(
            wb.create_sheet(f"{year}年"),
            f"{TOWN}{year}年依法行政工作台账",
            [
                Column("序号", lambda n: n.index, width=6),
                Column("日期" if early else "时间", lambda n: day(n.case.day), width=13),
                Column("工作事项" if early else "事项", lambda n: n.case.kind, width=26, total="count"),
                Column("工作内容" if early else "说明", lambda n: n.case.description, width=44),
                Column("地点" if early else "对象", lambda n: n.case.place, width=24),
            ],
            [Numbered(i, e) for i, e in enumerate(events[year], start=1)],
            f"填表人：张某某    审核人：李某某    填表日期：{year + 1}年1月10日",
            unit_row=f"填报单位：{TOWN}人民政府（司法所）" if early else None,
        )
    return wb


def counts(rows: list[Event]) -> dict[str, int]:
    return {
        "reports": sum(e.kind == "向党委政府汇报依法行政工作" for e in rows),
        "supervised_quarters": len({(e.day.month - 1) // 3 for e in rows if e.kind == "季度督导"}),
        "cleanups": sum(e.kind == "规范性文件清理" for e in rows),
        "publicity": sum(e.kind == "法治宣传活动" for e in rows),
    }
