"""Deterministic sample workbooks for 珠龙镇, laid out the way township staff really keep them.

This module owns the sample data: six workbooks (dispute ledger and summary, normative-document
ledger and summary, training attendance, enforcement-staff roster) and ``FIGURES``, the table of
figures those workbooks are built to produce. The 2020 figures are the seed report's (DOMAIN.md
§1); other years vary and miss a target now and then so the charts have something to show.

Everything comes from one ``random.Random(SEED)`` and fixed timestamps (workbook properties and
zip entries), so two runs write byte-identical files. ``generate`` checks the rows it built against
``FIGURES`` before writing anything and raises if they disagree.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR = ROOT / "data" / "sample"
TOWN = "珠龙镇"
SEED = 20201219
FIXED_TIMESTAMP = datetime(2026, 1, 10, 9, 30, 0)
LEDGER_YEARS: tuple[int, ...] = tuple(range(2018, 2026))
SUMMARY_YEARS: tuple[int, ...] = (2016, 2017)
FILING_DEADLINE_DAYS = 30
STUDY_HOURS_TARGET = 50

DISPUTES_FILE = f"{TOWN}矛盾纠纷排查调处台账.xlsx"
DISPUTE_SUMMARY_FILE = f"{TOWN}矛盾纠纷统计汇总.xlsx"
DOCUMENTS_FILE = f"{TOWN}规范性文件登记备案台账.xlsx"
DOCUMENT_SUMMARY_FILE = f"{TOWN}规范性文件审查备案汇总.xlsx"
TRAINING_FILE = f"{TOWN}学法培训台账.xlsx"
ROSTER_FILE = f"{TOWN}行政执法人员名册.xlsx"

# --------------------------------------------------------------------------------------------
# Figures: the targets the generator hits exactly. Keys are period ids (DOMAIN.md §4).
# --------------------------------------------------------------------------------------------

DISPUTE_KEYS = (
    "disputes_total",
    "disputes_written",
    "disputes_oral",
    "disputes_joint",
    "disputes_success",
    "disputes_failed",
    "disputes_pending",
    "disputes_escalated",
    "disputes_referred",
)
DOCUMENT_KEYS = (
    "documents_issued",
    "documents_reviewed",
    "documents_published",
    "documents_filed",
    "documents_filed_timely",
)
TRAINING_KEYS = (
    "enforcement_staff",
    "staff_trained",
    "staff_hours_compliant",
    "staff_certified",
    "study_meetings",
    "mediator_trainings",
)

# year: (full year, first half); the second half is the difference. Pending cases carry no
# agreement form, so written + oral + pending = total.
_DISPUTE_PLAN: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {
    #      total wr  oral jt  succ fail pend esc ref
    2018: ((486, 128, 358, 2, 466, 20, 0, 0, 17), (221, 58, 163, 1, 212, 9, 0, 0, 8)),
    2019: ((500, 137, 363, 2, 480, 20, 0, 0, 20), (232, 63, 169, 1, 222, 10, 0, 0, 10)),
    2020: ((560, 156, 404, 3, 552, 8, 0, 0, 8), (251, 70, 181, 1, 247, 4, 0, 0, 4)),
    2021: ((603, 171, 432, 4, 588, 15, 0, 0, 13), (280, 80, 200, 2, 273, 7, 0, 0, 6)),
    2022: ((618, 160, 458, 3, 581, 37, 0, 0, 30), (296, 77, 219, 1, 277, 19, 0, 0, 15)),
    2023: ((574, 165, 409, 5, 560, 14, 0, 0, 14), (268, 77, 191, 2, 262, 6, 0, 0, 6)),
    2024: ((547, 158, 389, 4, 534, 13, 0, 1, 11), (255, 74, 181, 2, 249, 6, 0, 0, 5)),
    2025: ((529, 148, 368, 3, 507, 9, 13, 0, 9), (247, 71, 176, 1, 242, 5, 0, 0, 5)),
}

# Summary-only years (typed from old reports: no failed/pending columns).
_DISPUTE_SUMMARY_PLAN: dict[int, tuple[int, int, int, int, int]] = {
    #     total wr  oral jt  succ
    2016: (512, 130, 382, 2, 481),  # 93.9%: below the 95% target
    2017: (538, 141, 397, 2, 516),  # 95.9%
}

# year: (issued, reviewed, published, filed, filed within the deadline, issued in H1).
# Documents issued in H1 are all in order; every shortfall falls in H2.
_DOCUMENT_PLAN: dict[int, tuple[int, int, int, int, int, int]] = {
    2018: (8, 8, 7, 8, 8, 4),  # one not published
    2019: (9, 9, 9, 9, 8, 4),  # one filed late
    2020: (10, 10, 10, 10, 10, 5),  # the report: 100% across the board
    2021: (11, 11, 11, 11, 11, 5),
    2022: (7, 7, 7, 7, 7, 3),
    2023: (12, 12, 12, 11, 10, 6),  # one filed late (> 30 days), one never filed
    2024: (9, 9, 9, 9, 9, 4),
    2025: (6, 6, 5, 6, 6, 3),  # one not yet published
}
_DOCUMENT_SUMMARY_PLAN: dict[int, tuple[int, int, int, int, int]] = {
    2016: (11, 10, 11, 10, 9),
    2017: (12, 11, 12, 12, 11),
}

# Study meetings (依法行政专题学习会) and village mediator trainings (调解员培训), by month.
_STUDY_MEETING_MONTHS: dict[int, tuple[int, ...]] = {
    2018: (4, 11),
    2019: (3, 9),
    2020: (4, 10),
    2021: (3, 7, 11),
    2022: (5, 10),
    2023: (4, 9),
    2024: (3, 10),
    2025: (10,),  # only one, late in the year
}
_MEDIATOR_TRAINING_MONTHS: dict[int, tuple[int, ...]] = {
    2018: (6,),  # only one: target missed
    2019: (4, 10),
    2020: (3, 9),
    2021: (5, 11),
    2022: (3, 7, 11),
    2023: (4, 10),
    2024: (5, 9),
    2025: (8, 11),
}

# year: (enforcement staff, trained, >= 50 hours, certificate valid at year end)
_TRAINING_PLAN: dict[int, tuple[int, int, int, int]] = {
    2018: (16, 16, 15, 15),  # a new officer: certificate pending, short of hours
    2019: (17, 17, 17, 17),
    2020: (18, 18, 18, 18),
    2021: (18, 18, 16, 18),  # two officers under 50 hours
    2022: (19, 19, 19, 19),
    2023: (19, 19, 19, 19),
    2024: (20, 19, 19, 20),  # an officer who joined in December had no training yet
    2025: (20, 20, 20, 19),  # one certificate expired in September
}

# Rows of the summary workbooks as typed from old reports (they may disagree with the ledgers).
DISPUTE_SUMMARY_ROWS: dict[int, dict[str, float]] = {
    2016: {"total": 512, "written": 130, "oral": 382, "joint": 2, "success": 481, "rate": 0.939},
    2017: {"total": 538, "written": 141, "oral": 397, "joint": 2, "success": 516, "rate": 0.959},
    # the 2018 ledger has 486 rows; the old report said 487
    2018: {"total": 487, "written": 128, "oral": 359, "joint": 2, "success": 467, "rate": 0.959},
}
DOCUMENT_SUMMARY_ROWS: dict[int, dict[str, float]] = {
    2016: {
        "issued": 11, "reviewed": 10, "published": 11, "filed": 10, "timely": 9,
        "review_rate": 0.909, "publication_rate": 1.0, "filing_rate": 0.909,
    },
    2017: {
        "issued": 12, "reviewed": 11, "published": 12, "filed": 12, "timely": 11,
        # typed wrong: 11/12 is 91.7%, the report says 90.7% (a check must flag it)
        "review_rate": 0.907, "publication_rate": 1.0, "filing_rate": 1.0,
    },
}  # fmt: skip


def _build_figures() -> dict[str, dict[str, int]]:
    figures: dict[str, dict[str, int]] = {}
    for year, (full, first) in _DISPUTE_PLAN.items():
        second = tuple(a - b for a, b in zip(full, first, strict=True))
        for pid, values in ((f"{year}", full), (f"{year}H1", first), (f"{year}H2", second)):
            figures.setdefault(pid, {}).update(zip(DISPUTE_KEYS, values, strict=True))
    for year, (total, written, oral, joint, success) in _DISPUTE_SUMMARY_PLAN.items():
        figures.setdefault(f"{year}", {}).update(
            disputes_total=total,
            disputes_written=written,
            disputes_oral=oral,
            disputes_joint=joint,
            disputes_success=success,
        )
    for year, (*counts, first_half) in _DOCUMENT_PLAN.items():
        figures[f"{year}"].update(zip(DOCUMENT_KEYS, counts, strict=True))
        figures[f"{year}H1"].update(dict.fromkeys(DOCUMENT_KEYS, first_half))
        h2 = [c - first_half for c in counts]
        figures[f"{year}H2"].update(zip(DOCUMENT_KEYS, h2, strict=True))
    for year, counts5 in _DOCUMENT_SUMMARY_PLAN.items():
        figures[f"{year}"].update(zip(DOCUMENT_KEYS, counts5, strict=True))
    for year, (staff, trained, compliant, certified) in _TRAINING_PLAN.items():
        meetings = _STUDY_MEETING_MONTHS[year]
        mediators = _MEDIATOR_TRAINING_MONTHS[year]
        figures[f"{year}"].update(
            enforcement_staff=staff,
            staff_trained=trained,
            staff_hours_compliant=compliant,
            staff_certified=certified,
            study_meetings=len(meetings),
            mediator_trainings=len(mediators),
        )
        for half, months in (("H1", range(1, 7)), ("H2", range(7, 13))):
            figures[f"{year}{half}"].update(
                study_meetings=sum(m in months for m in meetings),
                mediator_trainings=sum(m in months for m in mediators),
            )
    return dict(sorted(figures.items()))


FIGURES: dict[str, dict[str, int]] = _build_figures()
"""Expected figures by period id ("2020", "2020H1", "2020H2"; 2016–2017 from the summaries).

Dispute keys count ledger rows by received date; document keys count documents by issue date
(timely = filed within 30 calendar days). Training keys are annual (staff, trained, hours,
certificates) except the session counts, which are also given per half year.
"""

# --------------------------------------------------------------------------------------------
# People and places
# --------------------------------------------------------------------------------------------

VILLAGES: tuple[str, ...] = (
    "珠龙村", "石门村", "桃源村", "新田村", "龙潭村", "大山村",
    "柳溪村", "高桥村", "凤岭村", "白沙村", "珠龙社区", "新街社区",
)  # fmt: skip
_VILLAGE_WEIGHTS = (14, 10, 9, 8, 8, 6, 7, 7, 5, 6, 12, 8)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
_GIVEN = (
    "建国", "晓燕", "志强", "海涛", "丽娟", "国华", "文斌", "春梅", "红军", "玉兰",
    "德明", "晓东", "小平", "桂芳", "新华", "永福", "庆丰", "秀英", "伟", "敏",
    "磊", "静", "军", "勇", "芳", "杰", "涛", "超", "婷", "鹏", "明亮", "家豪",
)  # fmt: skip

CATEGORIES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    # canonical: (weight, raw spellings, summary fragments)
    "婚姻家庭": (18, ("婚姻家庭",), ("夫妻感情不和要求离婚", "赡养老人费用分担", "子女抚养费给付", "彩礼返还")),
    "邻里": (22, ("邻里",), ("排水沟堵塞", "房前屋后通行", "饲养家禽损坏菜地", "堆放杂物占道", "建房遮挡采光")),
    "房屋宅基地": (11, ("房屋宅基地",), ("宅基地界址不清", "翻建房屋滴水占地", "共用墙体归属")),
    "山林土地": (13, ("山林土地", "土地承包"), ("承包地边界争议", "山林权属争议", "土地流转租金拖欠")),
    "合同": (5, ("合同",), ("买卖货款拖欠", "房屋租赁到期不退")),
    "生产经营": (3, ("生产经营",), ("合伙养殖分红", "农机作业费用")),
    "损害赔偿": (8, ("损害赔偿",), ("耕牛走失损坏庄稼", "施工损坏房屋", "狗咬伤人")),
    "征地拆迁": (4, ("征地拆迁",), ("青苗补偿分配", "拆迁安置面积")),
    "环境污染": (2, ("环境污染",), ("养殖场气味扰邻", "作坊噪音扰民")),
    "劳动争议": (5, ("劳动争议", "拖欠农民工工资"), ("拖欠务工工资", "工伤医疗费")),
    "医疗": (1, ("医疗",), ("村卫生室诊疗费用",)),
    "道路交通事故": (4, ("道路交通事故",), ("电动车碰撞赔偿", "农用车刮擦")),
    "物业": (1, ("物业",), ("小区物业费收缴",)),
    "村务管理": (2, ("村务管理",), ("集体收益分配", "低保评定异议")),
    "其他": (2, ("其他",), ("债务纠纷", "承包鱼塘用水")),
}  # fmt: skip
_MONEY_CATEGORIES = {"合同", "生产经营", "损害赔偿", "征地拆迁", "劳动争议", "道路交通事故", "山林土地"}

_OFFICER_UNITS = (
    "综合行政执法队", "农业农村办", "自然资源所", "安全生产监督管理站",
    "生态环境办", "市场监督管理所", "林业站", "城建办",
)  # fmt: skip
_STAFF_UNITS = ("党政办", "财政所", "民政办", "组织办", "司法所", "党建办")
_LEADERS = ("镇党委书记", "镇长", "党委副书记", "副镇长（分管政法）")


def _fake_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        if name not in used:
            used.add(name)
            return name


def _masked(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "某某"


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


@dataclass
class Person:
    name: str
    unit: str
    enforcement: bool
    first_year: int
    last_year: int
    cert_no: str = ""
    cert_valid_until: date | None = None
    leader: bool = False
    cert_from: int = 0  # first roster year that shows the certificate ("办理中" before)
    status_by_year: dict[int, str] = field(default_factory=dict)

    def on_roster(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass
class Mediator:
    name: str
    village: str


@dataclass
class Cast:
    """Everyone who appears in the ledgers."""

    staff: list[Person]
    mediators: list[Mediator]

    def officers(self, year: int) -> list[Person]:
        return [p for p in self.staff if p.enforcement and p.on_roster(year)]

    def roster(self, year: int) -> list[Person]:
        return [p for p in self.staff if p.on_roster(year)]


# Officers who are not simply "always there": index -> (first year, last year)
_OFFICER_SPANS = {15: (2018, 2021), 16: (2019, 2025), 17: (2020, 2025), 18: (2022, 2025),
                  19: (2022, 2025), 20: (2024, 2025)}  # fmt: skip
NEW_OFFICER_2018 = 15  # certificate pending and short of hours in 2018
LOW_HOURS_2021 = (3, 10)  # two officers on long sick leave in 2021
UNTRAINED_2024 = 20  # joined in December 2024
EXPIRED_2025 = 6  # certificate ran out on 2025-09-30


def _make_cast(rng: random.Random) -> Cast:
    used: set[str] = set()
    staff: list[Person] = []
    for i in range(21):
        first, last = _OFFICER_SPANS.get(i, (2018, 2025))
        issued = first - i % 3  # certificates predate the roster year they first appear in
        person = Person(
            name=_fake_name(rng, used),
            unit=_OFFICER_UNITS[i % len(_OFFICER_UNITS)],
            enforcement=True,
            first_year=first,
            last_year=last,
            cert_no=f"341825{issued}{i + 1:04d}",
            cert_valid_until=_month_end(rng.randint(2026, 2030), rng.randint(1, 12)),
        )
        if i == EXPIRED_2025:
            person.cert_valid_until = date(2025, 9, 30)
        if i == NEW_OFFICER_2018:
            person.cert_from = 2019
        staff.append(person)
    for title in _LEADERS:
        staff.append(Person(_fake_name(rng, used), title, False, 2018, 2025, leader=True))
    for i, unit in enumerate(_STAFF_UNITS):
        first, last = {2: (2018, 2022), 4: (2018, 2024)}.get(i, (2018, 2025))
        person = Person(_fake_name(rng, used), unit, False, first, last)
        if i == 2:
            person.status_by_year[2022] = "退休"
        if i == 4:
            person.status_by_year[2024] = "调离"
        staff.append(person)
    mediators = [Mediator(_fake_name(rng, used), v) for v in VILLAGES]
    mediators += [Mediator(_fake_name(rng, used), v) for v in ("珠龙村", "珠龙社区", "石门村")]
    return Cast(staff, mediators)


def _cert_for(person: Person, year: int) -> tuple[str, date | None]:
    """The certificate a roster for ``year`` shows (none yet for a new officer in 2018)."""
    if not person.enforcement:
        return "", None
    if year < person.cert_from:
        return "办理中", None
    return person.cert_no, person.cert_valid_until


# --------------------------------------------------------------------------------------------
# Disputes
# --------------------------------------------------------------------------------------------


@dataclass
class Dispute:
    received: date
    village: str
    category: str
    category_raw: str
    form: str | None  # written | oral | None (pending)
    outcome: str  # success | failed | pending
    joint: bool
    escalated: bool
    referred: bool
    closed: date | None
    parties: str
    mediator: str
    summary: str
    amount: float | None
    note: str


def _dispute_half(rng: random.Random, cast: Cast, year: int, half: int, figures: dict[str, int]) -> list[Dispute]:
    total = figures["disputes_total"]
    outcomes = (
        ["success"] * figures["disputes_success"]
        + ["failed"] * figures["disputes_failed"]
        + ["pending"] * figures["disputes_pending"]
    )
    assert len(outcomes) == total, (year, half)
    rng.shuffle(outcomes)
    forms = ["written"] * figures["disputes_written"] + ["oral"] * figures["disputes_oral"]
    assert len(forms) == total - figures["disputes_pending"], (year, half)
    rng.shuffle(forms)
    form_iter = iter(forms)
    form_of = [None if o == "pending" else next(form_iter) for o in outcomes]
    success_written = [i for i, o in enumerate(outcomes) if o == "success" and form_of[i] == "written"]
    joint = set(rng.sample(success_written, figures["disputes_joint"]))
    failed = [i for i, o in enumerate(outcomes) if o == "failed"]
    escalated = set(rng.sample(failed, figures["disputes_escalated"]))
    rest = [i for i in failed if i not in escalated]
    referred = set(rng.sample(rest, figures["disputes_referred"]))

    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    names = list(CATEGORIES)
    weights = [CATEGORIES[c][0] for c in names]
    cases = []
    for i, outcome in enumerate(outcomes):
        if outcome == "pending":
            received = _random_day(rng, date(year, 12, 1), date(year, 12, 28))
        else:
            received = _random_day(rng, start, end)
        village = rng.choices(VILLAGES, _VILLAGE_WEIGHTS)[0]
        category = rng.choices(names, weights)[0]
        _, raws, fragments = CATEGORIES[category]
        local = [m.name for m in cast.mediators if m.village == village]
        mediator = rng.choice(local)
        note = ""
        if i in joint:
            mediator = f"{mediator}、{TOWN}司法所"
            note = "镇联合调解办公室（派出所、司法所、法庭）联合调解"
        elif i in escalated:
            note = "双方发生肢体冲突，已移交派出所处理"
        elif outcome == "failed" and i not in referred:
            note = "当事人表示暂不起诉"
        amount = None
        if category in _MONEY_CATEGORIES and rng.random() < 0.7:
            amount = float(rng.choice((800, 1500, 2000, 3000, 5000, 8000, 12000, 20000, 35000, 60000)))
        cases.append(
            Dispute(
                received=received,
                village=village,
                category=category,
                category_raw=rng.choice(raws),
                form=form_of[i],
                outcome=outcome,
                joint=i in joint,
                escalated=i in escalated,
                referred=i in referred,
                closed=None if outcome == "pending" else received + timedelta(days=rng.randint(0, 20)),
                parties=f"{_masked(rng)}、{_masked(rng)}",
                mediator=mediator,
                summary=f"{village}村民之间因{rng.choice(fragments)}发生纠纷"
                if village.endswith("村")
                else f"{village}居民之间因{rng.choice(fragments)}发生纠纷",
                amount=amount,
                note=note,
            )
        )
    cases.sort(key=lambda c: c.received)
    return cases


@dataclass(frozen=True)
class DisputeLayout:
    """How one year's sheet was laid out by whoever kept it that year."""

    date_header: str
    date_style: str  # see _format_date
    village_header: str
    village_style: str  # short | full | mixed
    category_header: str
    suffix: str  # always | never | mixed: the 纠纷 suffix on category names
    two_row: bool
    form_header: str
    form_values: tuple[str, str]  # written, oral
    outcome_header: str
    outcome_values: tuple[str, str, str]  # success, failed, pending
    joint_header: str  # 是否联合调解 (是/否) | 调解主体 (联合调解/村调委会)
    escalated_header: str
    referred_header: str  # 引导诉讼 (是/blank) | 处理去向 (text)
    unit_row: bool
    blank_rows: int  # blank rows between the data and the 合计 row


_DISPUTE_LAYOUTS: dict[int, DisputeLayout] = {
    2018: DisputeLayout("受理日期", "date~", "所属村(社区)", "mixed", "纠纷类型", "always", False,
                        "调解方式", ("书面", "口头"), "调解结果", ("成功", "失败", "调解中"),
                        "是否联合调解", "是否激化", "引导诉讼", True, 2),
    2019: DisputeLayout("排查日期", "slash", "村居", "short", "纠纷类别", "mixed", True,
                        "调解方式", ("书面", "口头"), "调解结果", ("成功", "失败", "调解中"),
                        "调解主体", "是否激化", "处理去向", False, 1),
    2020: DisputeLayout("受理日期", "date", "所属村(社区)", "full", "纠纷类型", "always", False,
                        "调解方式", ("书面", "口头"), "调解结果", ("调解成功", "调解不成", "调解中"),
                        "是否联合调解", "是否激化", "引导诉讼", True, 1),
    2021: DisputeLayout("登记日期", "dot", "纠纷发生地", "short", "纠纷类型", "never", False,
                        "调解方式", ("书面调解", "口头调解"), "调处结果", ("达成协议", "调解不成", "在办"),
                        "调解主体", "激化情况", "处理去向", False, 2),
    2022: DisputeLayout("受理时间", "cn", "所属村居", "mixed", "纠纷类别", "always", False,
                        "调解形式", ("书面", "口头"), "调解结果", ("成功", "未成功", "调解中"),
                        "是否联合调解", "是否激化", "引导诉讼", True, 0),
    2023: DisputeLayout("受理日期", "date~", "村(社区)", "full", "纠纷类型", "mixed", True,
                        "调解方式", ("书面", "口头"), "调解结果", ("成功", "失败", "调解中"),
                        "是否联合调解", "是否激化", "引导诉讼", True, 1),
    2024: DisputeLayout("日期", "iso~", "所在村", "short", "纠纷类型", "always", False,
                        "协议形式", ("书面协议", "口头协议"), "调解结果", ("已化解", "未化解", "未结"),
                        "是否联合调解", "是否激化", "处理去向", False, 1),
    2025: DisputeLayout("受理日期", "date", "所属村(社区)", "mixed", "纠纷类型", "always", False,
                        "调解方式", ("书面", "口头"), "调解情况", ("调解成功", "失败", "在办"),
                        "是否联合调解", "是否激化", "引导诉讼", True, 2),
}  # fmt: skip

_FILLERS = ("张某某", "陈某某", "刘某某", "汪某某")
_CHECKERS = ("李某某", "吴某某", "周某某")


def _format_date(rng: random.Random, day: date | None, style: str) -> Any:
    """A date as the year's keeper typed it. A trailing ~ mixes in the odd stray format."""
    if day is None:
        return None
    if style.endswith("~"):
        style = style[:-1]
        if rng.random() < 0.04:
            style = rng.choice(("slash", "dot", "cn", "compact"))
    if style == "date":
        return day
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if style == "dot":
        return f"{day.year}.{day.month}.{day.day}"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "iso":
        return day.isoformat()
    if style == "compact":
        return int(day.strftime("%Y%m%d"))
    raise ValueError(style)


def _village_text(rng: random.Random, village: str, style: str) -> str:
    if style == "mixed":
        style = rng.choice(("short", "short", "full", "committee"))
    if style == "short":
        return village
    stem = village[:-2] if village.endswith("社区") else village[:-1]
    if village.endswith("社区"):
        return f"{stem}社区居民委员会" if style == "full" else f"{stem}社区居委会"
    return f"{stem}村民委员会" if style == "full" else f"{stem}村委会"


def _category_text(rng: random.Random, raw: str, suffix: str) -> str:
    if raw == "拖欠农民工工资":
        return raw
    add = suffix == "always" or (suffix == "mixed" and rng.random() < 0.6)
    if raw in ("其他", "劳动争议"):
        return raw
    return f"{raw}纠纷" if add else raw


# --------------------------------------------------------------------------------------------
# Sheet writing: title rows, one- or two-row headers, data, blank rows, 合计, footer
# --------------------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Column:
    """One column: header (and sub-header under a merged group), cell value, 合计 rule."""

    header: str
    value: Callable[[Any], Any]
    sub: str | None = None
    width: float = 10
    total: str | None = None  # count (N件) | sum | mark (count of ticks)
    unit: str = "件"
    number_format: str | None = None


def _style_cell(cell: Any, number_format: str | None, prototypes: dict[str | None, StyleArray]) -> None:
    """Border (and number format) for a data cell; copying a style array is ~50x faster."""
    proto = prototypes.get(number_format)
    if proto is not None:
        cell._style = copy(proto)
        return
    cell.border = _BORDER
    if number_format:
        cell.number_format = number_format
    prototypes[number_format] = copy(cell._style)


def _write_sheet(
    ws: Worksheet,
    title: str,
    columns: Sequence[Column],
    records: Iterable[Any],
    footer: str,
    *,
    unit_row: str | None = None,
    blank_rows: int = 1,
    date_format: str = "yyyy-mm-dd",
) -> None:
    last = get_column_letter(len(columns))
    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = _CENTER
    ws.row_dimensions[1].height = 30
    if unit_row:
        ws.append([unit_row])
        row = ws.max_row
        ws.merge_cells(f"A{row}:{last}{row}")
    two_row = any(c.sub for c in columns)
    header_row = ws.max_row + 1
    if two_row:
        ws.append([c.header for c in columns])
        ws.append([c.sub for c in columns])
        i = 0
        while i < len(columns):
            col = columns[i]
            j = i
            while col.sub and j + 1 < len(columns) and columns[j + 1].header == col.header:
                j += 1
            if col.sub:
                for k in range(i + 1, j + 1):
                    ws.cell(header_row, k + 1).value = None
                if j > i:
                    ws.merge_cells(start_row=header_row, start_column=i + 1, end_row=header_row, end_column=j + 1)
            else:
                ws.merge_cells(start_row=header_row, start_column=i + 1, end_row=header_row + 1, end_column=i + 1)
            i = j + 1
    else:
        ws.append([c.header for c in columns])
    header_last = ws.max_row
    for r in range(header_row, header_last + 1):
        for c in range(1, len(columns) + 1):
            ws.cell(r, c).font = Font(name="宋体", bold=True)
            ws.cell(r, c).alignment = _CENTER
            ws.cell(r, c).border = _BORDER
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = f"A{header_last + 1}"

    data: list[list[Any]] = []
    prototypes: dict[str | None, StyleArray] = {}
    for record in records:
        values = [c.value(record) for c in columns]
        ws.append(values)
        data.append(values)
        row = ws.max_row
        for i, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            fmt = date_format if isinstance(value, date) else col.number_format
            _style_cell(ws.cell(row, i), fmt, prototypes)
    for _ in range(blank_rows):
        ws.append([None])
    totals: list[Any] = ["合计"]
    for i, col in enumerate(columns[1:], start=1):
        cells = [row[i] for row in data]
        if col.total == "count":
            totals.append(f"{len(data)}{col.unit}")
        elif col.total == "sum":
            total = sum(v for v in cells if isinstance(v, (int, float)))
            totals.append(int(total) if float(total).is_integer() else round(total, 2))
        elif col.total == "mark":
            totals.append(sum(1 for v in cells if v not in (None, "")))
        else:
            totals.append(None)
    ws.append(totals)
    row = ws.max_row
    for i in range(1, len(columns) + 1):
        ws.cell(row, i).font = Font(name="宋体", bold=True)
        ws.cell(row, i).border = _BORDER
    ws.append([None])
    ws.append([footer])
    row = ws.max_row
    ws.merge_cells(f"A{row}:{last}{row}")


def _footer(rng: random.Random, year: int) -> str:
    filled = _weekday(date(year + 1, 1, rng.randint(4, 12)))
    return (
        f"填表人：{rng.choice(_FILLERS)}    审核人：{rng.choice(_CHECKERS)}    "
        f"填表日期：{filled.year}年{filled.month}月{filled.day}日"
    )


def _dispute_columns(rng: random.Random, layout: DisputeLayout) -> list[Column]:
    lay = layout
    written, oral = lay.form_values
    ok, bad, pending = lay.outcome_values
    outcome_text = {"success": ok, "failed": bad, "pending": pending}
    form_text = {"written": written, "oral": oral, None: None}

    def joint(d: Dispute) -> str:
        if lay.joint_header == "调解主体":
            return "联合调解" if d.joint else rng.choice(("村调委会", "村调委会", "镇调委会"))
        return "是" if d.joint else "否"

    def referred(d: Dispute) -> str | None:
        if lay.referred_header == "引导诉讼":
            return "是" if d.referred else None
        if d.referred:
            return "引导劳动仲裁" if d.category == "劳动争议" else "引导诉讼"
        if d.escalated:
            return "移交派出所"
        return None

    def escalated(d: Dispute) -> str | None:
        if lay.escalated_header == "激化情况":
            return "已激化" if d.escalated else "未激化"
        return "是" if d.escalated else "否"

    def day(d: date | None) -> Any:
        return _format_date(rng, d, lay.date_style)

    tick = "√"
    cols = [
        Column("序号", lambda d: d.index, width=6),
        Column(lay.date_header, lambda d: day(d.case.received), width=12),
        Column(lay.village_header, lambda d: _village_text(rng, d.case.village, lay.village_style), width=14),
        Column("当事人", lambda d: d.case.parties, width=16, total="count"),
        Column(lay.category_header, lambda d: _category_text(rng, d.case.category_raw, lay.suffix), width=14),
        Column("纠纷简要情况", lambda d: d.case.summary, width=36),
    ]
    if lay.two_row:
        cols += [
            Column(lay.form_header, lambda d: tick if d.case.form == "written" else None, "书面", 6, "mark"),
            Column(lay.form_header, lambda d: tick if d.case.form == "oral" else None, "口头", 6, "mark"),
            Column(lay.outcome_header, lambda d: tick if d.case.outcome == "success" else None, "成功", 6, "mark"),
            Column(lay.outcome_header, lambda d: tick if d.case.outcome == "failed" else None, "失败", 6, "mark"),
            Column(lay.outcome_header, lambda d: tick if d.case.outcome == "pending" else None, "调解中", 7, "mark"),
        ]
    else:
        cols += [
            Column(lay.form_header, lambda d: form_text[d.case.form], width=10),
            Column(lay.outcome_header, lambda d: outcome_text[d.case.outcome], width=10),
        ]
    cols += [
        Column(lay.joint_header, lambda d: joint(d.case), width=10),
        Column("调解员", lambda d: d.case.mediator, width=14),
        Column(lay.escalated_header, lambda d: escalated(d.case), width=8),
        Column(lay.referred_header, lambda d: referred(d.case), width=10),
        Column("涉及金额", lambda d: d.case.amount, width=10, total="sum", number_format="#,##0"),
        Column("结案日期", lambda d: day(d.case.closed), width=12),
        Column("备注", lambda d: d.case.note or None, width=24),
    ]
    return cols


@dataclass
class _Numbered:
    index: int
    case: Any


def _dispute_workbook(rng: random.Random, cases: dict[int, list[Dispute]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for year in LEDGER_YEARS:
        layout = _DISPUTE_LAYOUTS[year]
        ws = wb.create_sheet(f"{year}年")
        unit = f"填报单位：{TOWN}司法所（盖章）" + " " * 40 + "单位：件、元" if layout.unit_row else None
        records = [_Numbered(i, c) for i, c in enumerate(cases[year], start=1)]
        _write_sheet(
            ws,
            f"{TOWN}{year}年矛盾纠纷排查调处台账",
            _dispute_columns(rng, layout),
            records,
            _footer(rng, year),
            unit_row=unit,
            blank_rows=layout.blank_rows,
            date_format='yyyy"年"m"月"d"日"' if year == 2023 else "yyyy-mm-dd",
        )
    return wb


def _dispute_summary_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    header = ["年度", "排查数", "书面调解", "口头调解", "联合调解", "调解成功数", "调解率"]
    ws.append([f"{TOWN}矛盾纠纷排查调处情况统计表（2016—2018年）"])
    ws.merge_cells("A1:G1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = _CENTER
    ws.append(header)
    for year, row in DISPUTE_SUMMARY_ROWS.items():
        ws.append([f"{year}年", row["total"], row["written"], row["oral"], row["joint"], row["success"], row["rate"]])
        ws.cell(ws.max_row, 7).number_format = "0.0%"
    for r in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in r:
            cell.border = _BORDER
            cell.alignment = _CENTER
    ws.append([None])
    ws.append(["注：2016—2018年数据摘自历年综治工作总结，2019年起以台账为准。"])
    ws.merge_cells(f"A{ws.max_row}:G{ws.max_row}")
    for col, width in zip("ABCDEFG", (10, 10, 10, 10, 10, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    return wb


# --------------------------------------------------------------------------------------------
# Normative documents
# --------------------------------------------------------------------------------------------

_DOC_TITLES = (
    "关于印发《{town}{year}年依法行政工作要点》的通知",
    "关于印发《{town}农村人居环境整治长效管理办法》的通知",
    "关于印发《{town}村级财务管理规定》的通知",
    "关于印发《{town}矛盾纠纷排查调处工作制度》的通知",
    "关于加强秸秆禁烧工作的通告",
    "关于印发《{town}防汛抗旱应急预案》的通知",
    "关于规范农村村民建房管理的实施意见",
    "关于印发《{town}重大行政决策程序规定》的通知",
    "关于印发《{town}行政执法公示制度》的通知",
    "关于做好{year}年森林防火工作的通告",
    "关于印发《{town}殡葬改革实施办法》的通知",
    "关于印发《{town}政府信息公开工作制度》的通知",
    "关于加强农村集体资产管理的意见",
    "关于印发《{town}土地承包经营权流转管理办法》的通知",
    "关于禁止在河道内非法采砂的通告",
    "关于印发《{town}村规民约修订指导意见》的通知",
)


@dataclass
class Document:
    doc_no: str
    title: str
    issued: date
    reviewed_on: date
    published: bool
    channel: str
    filed: date | None
    status: str


def _documents(rng: random.Random, year: int) -> list[Document]:
    issued, reviewed, published, filed, timely, first_half = _DOCUMENT_PLAN[year]
    assert reviewed == issued, "every ledger document is reviewed"
    dates = sorted(_random_day(rng, date(year, 1, 5), date(year, 6, 25)) for _ in range(first_half))
    dates += sorted(_random_day(rng, date(year, 7, 5), date(year, 12, 15)) for _ in range(issued - first_half))
    dates = [_weekday(d) for d in dates]
    titles = rng.sample(_DOC_TITLES, issued)
    # shortfalls land on the last documents (all in H2)
    unpublished = set(range(issued - (issued - published), issued))
    unfiled = set(range(issued - (issued - filed), issued))
    late = set(range(issued - (issued - timely), issued)) - unfiled
    if year == 2023:  # late one and unfiled one are different documents
        unfiled, late = {issued - 1}, {issued - 2}
    number = rng.randint(1, 4)
    docs = []
    for i, day in enumerate(dates):
        number += rng.randint(1, 5)
        prefix = "珠政办" if rng.random() < 0.25 else "珠政"
        if i in unfiled:
            filed_on = None
        elif i in late:
            filed_on = day + timedelta(days=rng.randint(35, 60))
        else:
            filed_on = day + timedelta(days=rng.randint(3, 25))
        status = "有效"
        if year <= 2019 and rng.random() < 0.3:
            status = rng.choice(("废止", "失效", "已修改"))
        title = titles[i].format(town=TOWN, year=year)
        docs.append(
            Document(
                doc_no=f"{prefix}〔{year}〕{number}号",
                title=(f"{TOWN}人民政府" + title) if rng.random() < 0.4 else title,
                issued=day,
                reviewed_on=day - timedelta(days=rng.randint(2, 10)),
                published=i not in unpublished,
                channel=rng.choice(("镇政府网站", "政务公开栏", "政府信息公开平台")),
                filed=filed_on,
                status=status,
            )
        )
    return docs


_DOC_LAYOUTS: dict[int, dict[str, str]] = {
    # keys: no, title, issued, review (合法性审查 | 审查日期), publish (是否公开 | 公开途径), filed, status, dates
    2018: dict(no="文号", title="文件名称", issued="印发日期", review="合法性审查", publish="是否公开",
               filed="备案日期", status="效力状态", dates="date"),
    2019: dict(no="发文字号", title="文件标题", issued="发文日期", review="审查日期", publish="公开途径",
               filed="报备日期", status="状态", dates="slash"),
    2020: dict(no="文号", title="文件名称", issued="印发日期", review="合法性审查", publish="是否公开",
               filed="备案日期", status="效力状态", dates="date"),
    2021: dict(no="文号", title="文件名称", issued="制发日期", review="审查日期", publish="公开途径",
               filed="备案日期", status="效力状态", dates="date"),
    2022: dict(no="统一登记号", title="名称", issued="发布日期", review="合法性审查", publish="是否公开",
               filed="报备日期", status="状态", dates="cn"),
    2023: dict(no="文号", title="文件名称", issued="印发日期", review="审查日期", publish="公开途径",
               filed="备案日期", status="效力状态", dates="date"),
    2024: dict(no="发文字号", title="文件名称", issued="印发日期", review="合法性审查", publish="是否公开",
               filed="报送备案日期", status="效力状态", dates="iso"),
    2025: dict(no="文号", title="文件名称", issued="印发日期", review="审查日期", publish="公开途径",
               filed="备案日期", status="效力状态", dates="date"),
}  # fmt: skip


def _document_columns(rng: random.Random, layout: dict[str, str]) -> list[Column]:
    style = layout["dates"]

    def day(d: date | None) -> Any:
        return _format_date(rng, d, style)

    def review(d: Document) -> Any:
        return day(d.reviewed_on) if layout["review"] == "审查日期" else "是"

    def publish(d: Document) -> Any:
        if layout["publish"] == "公开途径":
            return d.channel if d.published else None
        return "是" if d.published else "否"

    return [
        Column("序号", lambda n: n.index, width=6),
        Column(layout["no"], lambda n: n.case.doc_no, width=18),
        Column(layout["title"], lambda n: n.case.title, width=48, total="count"),
        Column(layout["issued"], lambda n: day(n.case.issued), width=14),
        Column(layout["review"], lambda n: review(n.case), width=14),
        Column(layout["publish"], lambda n: publish(n.case), width=14),
        Column(layout["filed"], lambda n: day(n.case.filed), width=14),
        Column(layout["status"], lambda n: n.case.status, width=10),
        Column("备注", lambda n: None if n.case.filed else "未报备", width=12),
    ]


def _document_workbook(rng: random.Random, docs: dict[int, list[Document]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for year in LEDGER_YEARS:
        ws = wb.create_sheet(f"{year}年")
        records = [_Numbered(i, d) for i, d in enumerate(docs[year], start=1)]
        _write_sheet(
            ws,
            f"{TOWN}{year}年规范性文件登记备案台账",
            _document_columns(rng, _DOC_LAYOUTS[year]),
            records,
            _footer(rng, year),
            unit_row=f"填报单位：{TOWN}人民政府（司法所）" if year % 2 == 0 else None,
            blank_rows=1 + year % 2,
        )
    return wb


def _document_summary_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([f"{TOWN}规范性文件审查备案情况统计表"])
    ws.merge_cells("A1:I1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = _CENTER
    ws.append(["年度", "制发件数", "审查件数", "公开件数", "备案件数", "及时备案件数", "审查率", "公开率", "备案率"])
    for year, r in DOCUMENT_SUMMARY_ROWS.items():
        ws.append([year, r["issued"], r["reviewed"], r["published"], r["filed"], r["timely"],
                   r["review_rate"], r["publication_rate"], r["filing_rate"]])  # fmt: skip
        for col in (7, 8, 9):
            ws.cell(ws.max_row, col).number_format = "0.0%"
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            cell.border = _BORDER
            cell.alignment = _CENTER
    ws.append([None])
    ws.append(["注：数据摘自2016、2017年度法治政府建设情况报告。"])
    ws.merge_cells(f"A{ws.max_row}:I{ws.max_row}")
    return wb


# --------------------------------------------------------------------------------------------
# Training and roster
# --------------------------------------------------------------------------------------------


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
    return _weekday(date(year, month, rng.randint(3, 24)))


def _attendance(rng: random.Random, cast: Cast, year: int) -> list[Attendance]:
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
    for month in _STUDY_MEETING_MONTHS[year]:
        session(_session_day(rng, year, month), "依法行政专题学习会", 3, roster, 0.05)
    for month in (5, 11) if year != 2025 else (9, 11):
        session(_session_day(rng, year, month), "专题讲座", 3, roster, 0.1)
    for month in (4, 10) if year != 2025 else (7, 10):
        session(_session_day(rng, year, month), "执法培训", 8, officers, 0)
    for month in _MEDIATOR_TRAINING_MONTHS[year]:
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
            day = _weekday(_random_day(rng, date(year, 1, 10), date(year, 12, 20)))
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


def _training_workbook(rng: random.Random, attendance: dict[int, list[Attendance]]) -> Workbook:
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
        Column(h_date, lambda n: _format_date(rng, n.case.day, style), width=12),
        Column(h_topic, lambda n: n.case.topic, width=36),
        Column(h_kind, lambda n: n.case.kind, width=16),
        Column("学时", lambda n: n.case.hours, width=6, total="sum"),
        Column("姓名", lambda n: n.case.name, width=10, total="count", unit="人次"),
        Column(h_unit, lambda n: n.case.unit, width=22),
        Column("是否执法人员", lambda n: "是" if n.case.enforcement else "否", width=12),
        Column("备注", lambda n: None, width=10),
    ]
    _write_sheet(
        ws,
        f"{TOWN}{year}年机关干部学法培训台账",
        columns,
        [_Numbered(i, a) for i, a in enumerate(rows, start=1)],
        _footer(rng, year),
        unit_row="单位：学时" if year in (2019, 2022) else None,
        blank_rows=1,
    )


def _roster_workbook(rng: random.Random, cast: Cast) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for year in LEDGER_YEARS:
        _roster_sheet(wb.create_sheet(f"{year}年"), rng, year, cast)
    return wb


def _roster_sheet(ws: Worksheet, rng: random.Random, year: int, cast: Cast) -> None:
    people = sorted(cast.roster(year), key=lambda p: (not p.enforcement, not p.leader))

    def note(p: Person) -> str | None:
        return "12月新入职" if year == 2024 and p.first_year == 2024 else None

    columns = [
        Column("序号", lambda n: n.index, width=6),
        Column("姓名", lambda n: n.case.name, width=10, total="count", unit="人"),
        Column("岗位" if year % 2 else "单位", lambda n: n.case.unit, width=22),
        Column("是否执法人员", lambda n: "是" if n.case.enforcement else "否", width=12),
        Column("执法证号", lambda n: _cert_for(n.case, year)[0] or None, width=18),
        Column("证件有效期至" if year < 2022 else "有效期至", lambda n: _cert_for(n.case, year)[1], width=14),
        Column("在岗状态", lambda n: n.case.status_by_year.get(year, "在岗"), width=10),
        Column("备注", lambda n: note(n.case), width=12),
    ]
    _write_sheet(
        ws,
        f"{TOWN}{year}年行政执法人员名册",
        columns,
        [_Numbered(i, p) for i, p in enumerate(people, start=1)],
        _footer(rng, year),
        unit_row=f"统计截至：{year}年12月31日",
        blank_rows=1,
    )


# --------------------------------------------------------------------------------------------
# Checking the built rows against FIGURES, and writing reproducible files
# --------------------------------------------------------------------------------------------


def _dispute_counts(cases: Iterable[Dispute]) -> dict[str, int]:
    cases = list(cases)
    return {
        "disputes_total": len(cases),
        "disputes_written": sum(c.form == "written" for c in cases),
        "disputes_oral": sum(c.form == "oral" for c in cases),
        "disputes_joint": sum(c.joint for c in cases),
        "disputes_success": sum(c.outcome == "success" for c in cases),
        "disputes_failed": sum(c.outcome == "failed" for c in cases),
        "disputes_pending": sum(c.outcome == "pending" for c in cases),
        "disputes_escalated": sum(c.escalated for c in cases),
        "disputes_referred": sum(c.referred and c.outcome == "failed" for c in cases),
    }


def _document_counts(docs: Iterable[Document]) -> dict[str, int]:
    docs = list(docs)
    return {
        "documents_issued": len(docs),
        "documents_reviewed": len(docs),
        "documents_published": sum(d.published for d in docs),
        "documents_filed": sum(d.filed is not None for d in docs),
        "documents_filed_timely": sum(
            d.filed is not None and (d.filed - d.issued).days <= FILING_DEADLINE_DAYS for d in docs
        ),
    }


def _training_counts(cast: Cast, year: int, rows: list[Attendance]) -> dict[str, int]:
    officers = cast.officers(year)
    hours: dict[str, float] = {}
    for r in rows:
        hours[r.name] = hours.get(r.name, 0) + r.hours
    year_end = date(year, 12, 31)
    certified = 0
    for p in officers:
        _, valid = _cert_for(p, year)
        certified += valid is not None and valid >= year_end
    return {
        "enforcement_staff": len(officers),
        "staff_trained": sum(p.name in hours for p in officers),
        "staff_hours_compliant": sum(hours.get(p.name, 0) >= STUDY_HOURS_TARGET for p in officers),
        "staff_certified": certified,
        "study_meetings": len({r.day for r in rows if r.kind == "依法行政专题学习会"}),
        "mediator_trainings": len({r.day for r in rows if r.kind == "调解员培训"}),
    }


def _check(pid: str, built: dict[str, int]) -> None:
    expected = {k: FIGURES[pid][k] for k in built}
    if built != expected:
        raise AssertionError(f"sample {pid}: built {built}, FIGURES say {expected}")


def _save(wb: Workbook, path: Path) -> None:
    """Save with fixed properties and zip timestamps, so the bytes depend only on the content."""
    wb.properties.creator = f"{TOWN}司法所"
    wb.properties.lastModifiedBy = f"{TOWN}司法所"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, src.read(info.filename))


def generate(out_dir: Path = DEFAULT_OUT_DIR) -> list[Path]:
    """Write the six sample workbooks into ``out_dir`` and return their paths.

    Raises:
        AssertionError: if the rows built disagree with ``FIGURES`` (a bug in this module).
    """
    rng = random.Random(SEED)
    cast = _make_cast(rng)
    cases: dict[int, list[Dispute]] = {}
    docs: dict[int, list[Document]] = {}
    attendance: dict[int, list[Attendance]] = {}
    for year in LEDGER_YEARS:
        halves = [_dispute_half(rng, cast, year, h, FIGURES[f"{year}H{h}"]) for h in (1, 2)]
        for h, half in enumerate(halves, start=1):
            _check(f"{year}H{h}", _dispute_counts(half))
        cases[year] = halves[0] + halves[1]
        _check(f"{year}", _dispute_counts(cases[year]))
        docs[year] = _documents(rng, year)
        _check(f"{year}", _document_counts(docs[year]))
        for h, months in ((1, range(1, 7)), (2, range(7, 13))):
            _check(f"{year}H{h}", _document_counts(d for d in docs[year] if d.issued.month in months))
        attendance[year] = _attendance(rng, cast, year)
        _check(f"{year}", _training_counts(cast, year, attendance[year]))

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    books = {
        DISPUTES_FILE: _dispute_workbook(rng, cases),
        DISPUTE_SUMMARY_FILE: _dispute_summary_workbook(),
        DOCUMENTS_FILE: _document_workbook(rng, docs),
        DOCUMENT_SUMMARY_FILE: _document_summary_workbook(),
        TRAINING_FILE: _training_workbook(rng, attendance),
        ROSTER_FILE: _roster_workbook(rng, cast),
    }
    paths = []
    for name, wb in books.items():
        path = out_dir / name
        _save(wb, path)
        paths.append(path)
    return paths


if __name__ == "__main__":  # pragma: no cover
    for written_path in generate():
        print(written_path)
