"""The cast: the town's villages, its enforcement officers, other staff and leaders, and the
village mediators, with the certificates each roster year shows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from sample.days import month_end

VILLAGES: tuple[str, ...] = (
    "珠龙村", "石门村", "桃源村", "新田村", "龙潭村", "大山村",
    "柳溪村", "高桥村", "凤岭村", "白沙村", "珠龙社区", "新街社区",
)  # fmt: skip
VILLAGE_WEIGHTS = (14, 10, 9, 8, 8, 6, 7, 7, 5, 6, 12, 8)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
_GIVEN = (
    "建国", "晓燕", "志强", "海涛", "丽娟", "国华", "文斌", "春梅", "红军", "玉兰",
    "德明", "晓东", "小平", "桂芳", "新华", "永福", "庆丰", "秀英", "伟", "敏",
    "磊", "静", "军", "勇", "芳", "杰", "涛", "超", "婷", "鹏", "明亮", "家豪",
)  # fmt: skip

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


def masked_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "某某"


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


def make_cast(rng: random.Random) -> Cast:
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
            cert_valid_until=month_end(rng.randint(2026, 2030), rng.randint(1, 12)),
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


def cert_for(person: Person, year: int) -> tuple[str, date | None]:
    """The certificate a roster for ``year`` shows (none yet for a new officer in 2018)."""
    if not person.enforcement:
        return "", None
    if year < person.cert_from:
        return "办理中", None
    return person.cert_no, person.cert_valid_until
