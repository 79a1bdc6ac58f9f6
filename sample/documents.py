"""The normative-document ledger and summary: each year's documents (issue, review, publication
and filing dates), each year's sheet layout, the 2016–2017 summary rows, and the counts checked
against ``FIGURES``."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from sample.days import next_weekday, random_day
from sample.figures import DOCUMENT_PLAN, FILING_DEADLINE_DAYS, LEDGER_YEARS, TOWN
from sample.workbook import BORDER, CENTER, Column, Numbered, footer, format_date, write_sheet

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


def year_documents(rng: random.Random, year: int) -> list[Document]:
    issued, reviewed, published, filed, timely, first_half = DOCUMENT_PLAN[year]
    assert reviewed == issued, "every ledger document is reviewed"
    dates = sorted(random_day(rng, date(year, 1, 5), date(year, 6, 25)) for _ in range(first_half))
    dates += sorted(random_day(rng, date(year, 7, 5), date(year, 12, 15)) for _ in range(issued - first_half))
    dates = [next_weekday(d) for d in dates]
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
        return format_date(rng, d, style)

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


def ledger_workbook(rng: random.Random, docs: dict[int, list[Document]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for year in LEDGER_YEARS:
        ws = wb.create_sheet(f"{year}年")
        records = [Numbered(i, d) for i, d in enumerate(docs[year], start=1)]
        write_sheet(
            ws,
            f"{TOWN}{year}年规范性文件登记备案台账",
            _document_columns(rng, _DOC_LAYOUTS[year]),
            records,
            footer(rng, year),
            unit_row=f"填报单位：{TOWN}人民政府（司法所）" if year % 2 == 0 else None,
            blank_rows=1 + year % 2,
        )
    return wb


def summary_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([f"{TOWN}规范性文件审查备案情况统计表"])
    ws.merge_cells("A1:I1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.append(["年度", "制发件数", "审查件数", "公开件数", "备案件数", "及时备案件数", "审查率", "公开率", "备案率"])
    for year, r in DOCUMENT_SUMMARY_ROWS.items():
        ws.append([year, r["issued"], r["reviewed"], r["published"], r["filed"], r["timely"],
                   r["review_rate"], r["publication_rate"], r["filing_rate"]])  # fmt: skip
        for col in (7, 8, 9):
            ws.cell(ws.max_row, col).number_format = "0.0%"
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            cell.border = BORDER
            cell.alignment = CENTER
    ws.append([None])
    ws.append(["注：数据摘自2016、2017年度法治政府建设情况报告。"])
    ws.merge_cells(f"A{ws.max_row}:I{ws.max_row}")
    return wb


def counts(docs: Iterable[Document]) -> dict[str, int]:
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
