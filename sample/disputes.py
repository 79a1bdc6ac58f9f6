"""The dispute ledger and the dispute summary: the cases of each half year, each year's sheet
layout (headers, date style, village and category spellings, one- or two-row headers), the
2016–2018 summary rows, and the counts checked against ``FIGURES``."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from sample.days import random_day
from sample.figures import LEDGER_YEARS, TOWN
from sample.people import VILLAGE_WEIGHTS, VILLAGES, Cast, masked_name
from sample.workbook import BORDER, CENTER, Column, Numbered, footer, format_date, write_sheet

DISPUTE_SUMMARY_ROWS: dict[int, dict[str, float]] = {
    2016: {"total": 512, "written": 130, "oral": 382, "joint": 2, "success": 481, "rate": 0.939},
    2017: {"total": 538, "written": 141, "oral": 397, "joint": 2, "success": 516, "rate": 0.959},
    # the 2018 ledger has 486 rows; the old report said 487
    2018: {"total": 487, "written": 128, "oral": 359, "joint": 2, "success": 467, "rate": 0.959},
}

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


def half_year(rng: random.Random, cast: Cast, year: int, half: int, figures: dict[str, int]) -> list[Dispute]:
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
            received = random_day(rng, date(year, 12, 1), date(year, 12, 28))
        else:
            received = random_day(rng, start, end)
        village = rng.choices(VILLAGES, VILLAGE_WEIGHTS)[0]
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
                parties=f"{masked_name(rng)}、{masked_name(rng)}",
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
    date_style: str  # see format_date
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
        return format_date(rng, d, lay.date_style)

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


def ledger_workbook(rng: random.Random, cases: dict[int, list[Dispute]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for year in LEDGER_YEARS:
        layout = _DISPUTE_LAYOUTS[year]
        ws = wb.create_sheet(f"{year}年")
        unit = f"填报单位：{TOWN}司法所（盖章）" + " " * 40 + "单位：件、元" if layout.unit_row else None
        records = [Numbered(i, c) for i, c in enumerate(cases[year], start=1)]
        write_sheet(
            ws,
            f"{TOWN}{year}年矛盾纠纷排查调处台账",
            _dispute_columns(rng, layout),
            records,
            footer(rng, year),
            unit_row=unit,
            blank_rows=layout.blank_rows,
            date_format='yyyy"年"m"月"d"日"' if year == 2023 else "yyyy-mm-dd",
        )
    return wb


def summary_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    header = ["年度", "排查数", "书面调解", "口头调解", "联合调解", "调解成功数", "调解率"]
    ws.append([f"{TOWN}矛盾纠纷排查调处情况统计表（2016—2018年）"])
    ws.merge_cells("A1:G1")
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.append(header)
    for year, row in DISPUTE_SUMMARY_ROWS.items():
        ws.append([f"{year}年", row["total"], row["written"], row["oral"], row["joint"], row["success"], row["rate"]])
        ws.cell(ws.max_row, 7).number_format = "0.0%"
    for r in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in r:
            cell.border = BORDER
            cell.alignment = CENTER
    ws.append([None])
    ws.append(["注：2016—2018年数据摘自历年综治工作总结，2019年起以台账为准。"])
    ws.merge_cells(f"A{ws.max_row}:G{ws.max_row}")
    for col, width in zip("ABCDEFG", (10, 10, 10, 10, 10, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    return wb


def counts(cases: Iterable[Dispute]) -> dict[str, int]:
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
