"""The enforcement-staff roster: one sheet per year, everyone on it with post, certificate and status."""

from __future__ import annotations

import random

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from sample.figures import LEDGER_YEARS, TOWN
from sample.people import Cast, Person, cert_for
from sample.workbook import Column, Numbered, footer, write_sheet


def ledger_workbook(rng: random.Random, cast: Cast) -> Workbook:
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
        Column("执法证号", lambda n: cert_for(n.case, year)[0] or None, width=18),
        Column("证件有效期至" if year < 2022 else "有效期至", lambda n: cert_for(n.case, year)[1], width=14),
        Column("在岗状态", lambda n: n.case.status_by_year.get(year, "在岗"), width=10),
        Column("备注", lambda n: note(n.case), width=12),
    ]
    write_sheet(
        ws,
        f"{TOWN}{year}年行政执法人员名册",
        columns,
        [Numbered(i, p) for i, p in enumerate(people, start=1)],
        footer(rng, year),
        unit_row=f"统计截至：{year}年12月31日",
        blank_rows=1,
    )
