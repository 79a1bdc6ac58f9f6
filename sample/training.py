"""The training ledger: who attended which session (monthly study, study meetings, lectures,
enforcement and mediator training, online study up to the hours target), each year's headers, and
the counts checked against ``FIGURES``."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from sample.days import next_weekday, random_day
from sample.figures import LEDGER_YEARS, MEDIATOR_TRAINING_MONTHS, STUDY_HOURS_TARGET, STUDY_MEETING_MONTHS, TOWN
from sample.people import LOW_HOURS_2021, NEW_OFFICER_2018, UNTRAINED_2024, Cast, Person, cert_for
from sample.workbook import Column, Numbered, footer, format_date, write_sheet


@dataclass
class Attendance:
    day: date
    topic: str
    kind: str
    hours: float
    name: str
    unit: str
    enforcement: bool


_TOPICS = {
    "会前学法": ("《中华人民共和国宪法》", "《中华人民共和国民法典》", "《行政处罚法》", "《行政许可法》",
             "《土地管理法》", "《安全生产法》", "《信访工作条例》", "《政府信息公开条例》",
             "《人民调解法》", "《森林法》", "《环境保护法》", "《行政复议法》"),
    "中心组学法": ("习近平法治思想", "法治政府建设实施纲要", "党内法规学习", "重大行政决策程序暂行条例"),
    "依法行政专题学习会": ("依法行政专题学习会：行政执法三项制度", "依法行政专题学习会：规范性文件管理",
                  "依法行政专题学习会：重大行政决策合法性审查"),
    "专题讲座": ("民法典专题讲座", "行政诉讼应诉实务讲座", "法律顾问专题讲座"),
    "执法培训": ("行政执法人员综合法律知识培训", "执法文书制作与案卷评查培训", "执法全过程记录培训"),
    "调解员培训": ("人民调解员业务培训：调解程序与卷宗规范", "人民调解员业务培训：婚姻家庭纠纷调解技巧",
              "人民调解员业务培训：土地纠纷化解"),
    "线上学法": ("安徽干部教育在线学法课程", "学习强国法治专题", "法宣在线学法考试"),
}  # fmt: skip


def _session_day(rng: random.Random, year: int, month: int) -> date:
    return next_weekday(date(year, month, rng.randint(3, 24)))


def year_attendance(rng: random.Random, cast: Cast, year: int) -> list[Attendance]:
    roster = cast.roster(year)
    officers = cast.officers(year)
    untrained = {cast.staff[UNTRAINED_2024].name} if year == 2024 else set()
    low = set()
    if year == 2018:
        low = {cast.staff[NEW_OFFICER_2018].name}
    if year == 2021:
        low = {cast.staff[i].name for i in LOW_HOURS_2021}
    rows: list[Attendance] = []

    def session(day: date, kind: str, hours: float, people: Iterable[Person], skip: float) -> None:
        topic = rng.choice(_TOPICS[kind])
        for p in people:
            if p.name in untrained:
                continue
            if p.name in low and rng.random() < 0.4:
                continue
            if not p.enforcement and rng.random() < skip:
                continue
            rows.append(Attendance(day, topic, kind, hours, p.name, p.unit, p.enforcement))

    months = [m for m in range(1, 13) if m not in (2, 8)]
    for month in months:
        session(_session_day(rng, year, month), "会前学法", 1, roster, 0.1)
    for month in (3, 6, 9, 12):
        session(_session_day(rng, year, month), "中心组学法", 2, [p for p in roster if p.leader], 0)
    for month in STUDY_MEETING_MONTHS[year]:
        session(_session_day(rng, year, month), "依法行政专题学习会", 3, roster, 0.05)
    for month in (5, 11) if year != 2025 else (9, 11):
        session(_session_day(rng, year, month), "专题讲座", 3, roster, 0.1)
    for month in (4, 10) if year != 2025 else (7, 10):
        session(_session_day(rng, year, month), "执法培训", 8, officers, 0)
    for month in MEDIATOR_TRAINING_MONTHS[year]:
        day = _session_day(rng, year, month)
        topic = rng.choice(_TOPICS["调解员培训"])
        for m in cast.mediators:
            rows.append(Attendance(day, topic, "调解员培训", 4, m.name, f"{m.village}人民调解委员会", False))
    # online study tops every officer up to the 50-hour target (except those who fall short)
    for p in officers:
        if p.name in untrained or p.name in low:
            continue
        have = sum(r.hours for r in rows if r.name == p.name)
        target = rng.randint(STUDY_HOURS_TARGET, STUDY_HOURS_TARGET + 14)
        while have < target:
            hours = float(rng.choice((2, 3, 4)))
            day = next_weekday(random_day(rng, date(year, 1, 10), date(year, 12, 20)))
            rows.append(Attendance(day, rng.choice(_TOPICS["线上学法"]), "线上学法", hours, p.name, p.unit, True))
            have += hours
    rows.sort(key=lambda r: (r.day, r.kind))
    return rows


_TRAINING_HEADERS: dict[int, tuple[str, str, str, str]] = {
    # date, topic, kind, unit
    2018: ("培训日期", "培训内容", "形式", "单位"),
    2019: ("日期", "学习主题", "类型", "单位"),
    2020: ("培训日期", "培训内容", "形式", "单位"),
    2021: ("培训日期", "主题", "形式", "岗位"),
    2022: ("日期", "培训内容", "类型", "单位"),
    2023: ("培训日期", "培训内容", "形式", "单位"),
    2024: ("培训日期", "学习主题", "形式", "岗位"),
    2025: ("培训日期", "培训内容", "形式", "单位"),
}


def ledger_workbook(rng: random.Random, attendance: dict[int, list[Attendance]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for year in LEDGER_YEARS:
        _training_sheet(wb.create_sheet(f"{year}年"), rng, year, attendance[year])
    return wb


def _training_sheet(ws: Worksheet, rng: random.Random, year: int, rows: list[Attendance]) -> None:
    h_date, h_topic, h_kind, h_unit = _TRAINING_HEADERS[year]
    style = "slash" if year == 2019 else "date"
    columns = [
        Column("序号", lambda n: n.index, width=6),
        Column(h_date, lambda n: format_date(rng, n.case.day, style), width=12),
        Column(h_topic, lambda n: n.case.topic, width=36),
        Column(h_kind, lambda n: n.case.kind, width=16),
        Column("学时", lambda n: n.case.hours, width=6, total="sum"),
        Column("姓名", lambda n: n.case.name, width=10, total="count", unit="人次"),
        Column(h_unit, lambda n: n.case.unit, width=22),
        Column("是否执法人员", lambda n: "是" if n.case.enforcement else "否", width=12),
        Column("备注", lambda n: None, width=10),
    ]
    write_sheet(
        ws,
        f"{TOWN}{year}年机关干部学法培训台账",
        columns,
        [Numbered(i, a) for i, a in enumerate(rows, start=1)],
        footer(rng, year),
        unit_row="单位：学时" if year in (2019, 2022) else None,
        blank_rows=1,
    )


def counts(cast: Cast, year: int, rows: list[Attendance]) -> dict[str, int]:
    officers = cast.officers(year)
    hours: dict[str, float] = {}
    for r in rows:
        hours[r.name] = hours.get(r.name, 0) + r.hours
    year_end = date(year, 12, 31)
    certified = 0
    for p in officers:
        _, valid = cert_for(p, year)
        certified += valid is not None and valid >= year_end
    return {
        "enforcement_staff": len(officers),
        "staff_trained": sum(p.name in hours for p in officers),
        "staff_hours_compliant": sum(hours.get(p.name, 0) >= STUDY_HOURS_TARGET for p in officers),
        "staff_certified": certified,
        "study_meetings": len({r.day for r in rows if r.kind == "依法行政专题学习会"}),
        "mediator_trainings": len({r.day for r in rows if r.kind == "调解员培训"}),
    }
