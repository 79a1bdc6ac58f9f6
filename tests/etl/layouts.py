"""Ledgers as logical records, their figures, and ``render`` writing them as real files in many layouts.

A test states a ledger as records (``Dispute``; ``Document``; ``Attendance`` with an optional roster of
``Officer``), takes its figures from ``figures`` (computed from the records, never from the parser),
writes it with ``render(records, layout, path)`` the way some township clerk would have typed it,
parses the file with ``etl.parse.parse_file`` and compares ``parsed_figures`` with the stated ones.
"""

from __future__ import annotations

import csv
import html
import io
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pandas as pd

from analytics import settings
from etl.fields import Spec
from etl.parse import FileResult
from etl.specs import SPECS, field_for

DISPUTES, DOCUMENTS, TRAINING, STAFF = (SPECS[name] for name in ("disputes", "documents", "training", "staff"))

TOWN = "郑集镇"
OTHER_TOWN = "东坪乡"
COUNTY = "龙泉县"

# --- logical records ---------------------------------------------------------------------------

OUTCOME_WORDS = {
    "success": ("成功", "调解成功", "达成协议", "已化解"),
    "failed": ("失败", "调解不成功", "终止调解", "调解不成"),
    "pending": ("调解中", "在办", "正在调解"),
}
_OUTCOME_OF = {word: key for key, words in OUTCOME_WORDS.items() for word in words}
FORM_WORDS = {"written": ("书面", "书面协议", "书面调解"), "oral": ("口头", "口头协议", "口头调解")}


def _uncached(typed: dict[str, object]) -> bool:
    """Whether a cell holds a formula (=SUM(…)): openpyxl saves none with its value, so nobody can read it."""
    return any(isinstance(v, str) and v.startswith("=") for v in typed.values())


@dataclass(frozen=True)
class Dispute:
    received: date | None  # None: no day a person could read either (blank, 2024.3, 1989)
    village: str
    category: str
    form: str | None = None  # written | oral | None (not stated)
    outcome: str = "success"  # success | failed | pending, or the word as typed (终止调解, 待定)
    joint: bool = False
    escalated: bool = False
    town: str = TOWN
    typed: dict[str, object] = field(default_factory=dict)  # cells exactly as typed, by field name

    @property
    def result(self) -> str | None:
        return self.outcome if self.outcome in OUTCOME_WORDS else _OUTCOME_OF.get(self.outcome)

    @property
    def ok(self) -> bool:
        return self.received is not None and self.result is not None and not _uncached(self.typed)

    @property
    def day(self) -> date | None:
        return self.received


@dataclass(frozen=True)
class Document:
    title: str
    issued: date
    reviewed: bool = True
    published: bool = True
    filed: date | None = None
    working_days: int | None = None  # issue to filing by the official calendar, stated by hand
    town: str = TOWN

    def timely(self, deadline: tuple[int, str]) -> bool:
        limit, kind = deadline
        if self.filed is None or self.filed < self.issued:
            return False
        days = self.working_days if kind == "working" else (self.filed - self.issued).days
        return days is not None and 0 <= days <= limit

    @property
    def day(self) -> date:
        return self.issued


@dataclass(frozen=True)
class Attendance:
    day: date
    name: str  # the person
    hours: float
    kind: str = "会前学法"
    topic: str = "宪法学习"
    enforcement: bool | None = True
    unit: str = "综合执法办"
    written: str = ""  # the name as typed, when not ``name`` ("王　芳")
    town: str = TOWN
    typed: dict[str, object] = field(default_factory=dict)  # cells exactly as typed, by field name

    @property
    def ok(self) -> bool:
        return not _uncached(self.typed)


@dataclass(frozen=True)
class Officer:  # a roster row
    name: str
    enforcement: bool = True
    cert: str = ""
    unit: str = "综合执法办"
    written: str = ""
    town: str = TOWN


Record = Dispute | Document | Attendance | Officer
LABELS = {Dispute: "矛盾纠纷排查调处台账", Document: "规范性文件登记台账", Attendance: "学法培训台账"}


# --- figures: from the records, and the same from a parse --------------------------------------


def _rate(success: int, failed: int) -> Fraction | None:
    return Fraction(success, success + failed) if success + failed else None


def figures(records: Sequence[Record], deadline: tuple[int, str] = (30, "calendar")) -> dict[str, object]:
    """The ledger's figures as a person counts them from its readable rows."""
    if dataset_of(records) == "disputes":
        rows = [r for r in records if isinstance(r, Dispute) and r.ok]
        count = Counter(r.result for r in rows)
        return {
            "total": len(rows),
            "written": sum(r.form == "written" for r in rows),
            "oral": sum(r.form == "oral" for r in rows),
            "joint": sum(r.joint for r in rows),
            "success": count["success"],
            "failed": count["failed"],
            "pending": count["pending"],
            "escalated": sum(r.escalated for r in rows),
            "rate": _rate(count["success"], count["failed"]),
            "dates": sorted(r.received.isoformat() for r in rows if r.received),
            "towns": dict(Counter(r.town for r in rows)),
            "villages": dict(Counter(f"{r.town}/{r.village}" for r in rows)),
            "categories": dict(Counter(r.category for r in rows)),
        }
    if dataset_of(records) == "documents":
        docs = [r for r in records if isinstance(r, Document)]
        return {
            "issued": len(docs),
            "reviewed": sum(d.reviewed for d in docs),
            "published": sum(d.published for d in docs),
            "filed": sum(d.filed is not None for d in docs),
            "timely": sum(d.timely(deadline) for d in docs),
            "dates": sorted(d.issued.isoformat() for d in docs),
            "towns": dict(Counter(d.town for d in docs)),
        }
    attended = [r for r in records if isinstance(r, Attendance) and r.ok]
    roster = [r for r in records if isinstance(r, Officer)]
    people = {(a.town, a.name) for a in attended}
    staff = {(o.town, o.name) for o in roster if o.enforcement} if roster else {
        (a.town, a.name) for a in attended if a.enforcement
    }  # fmt: skip
    return {
        "rows": len(attended),
        "hours": round(sum(a.hours for a in attended), 2),
        "attendees": len(people),
        "enforcement": len(staff),
        "trained": len(staff & people),
        "dates": sorted(a.day.isoformat() for a in attended),
        "towns": dict(Counter(a.town for a in attended)),
    }


def _dates(series: pd.Series) -> list[str]:
    return sorted(str(d.date()) if pd.notna(d) else "NaT" for d in series)


def _flag(series: pd.Series) -> pd.Series:
    return series.astype("boolean").fillna(False).astype(bool)


def parsed_figures(result: FileResult, dataset: str) -> dict[str, object]:
    """The figures of ``figures``, counted from the parsed sheets of ``dataset`` (all sheets summed)."""

    def rows_of(name: str) -> pd.DataFrame:
        frames = [s.rows for s in result.sheets if s.dataset == name]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(SPECS[name].columns))

    rows = rows_of(dataset)
    towns = dict(Counter(rows["town"]))
    if dataset == "disputes":
        outcome = rows["outcome"]
        success, failed = int((outcome == "success").sum()), int((outcome == "failed").sum())
        return {
            "total": len(rows),
            "written": int((rows["agreement_form"] == "written").sum()),
            "oral": int((rows["agreement_form"] == "oral").sum()),
            "joint": int(_flag(rows["joint"]).sum()),
            "success": success,
            "failed": failed,
            "pending": int((outcome == "pending").sum()),
            "escalated": int(_flag(rows["escalated"]).sum()),
            "rate": _rate(success, failed),
            "dates": _dates(rows["received_date"]),
            "towns": towns,
            "villages": dict(Counter(f"{t}/{v}" for t, v in zip(rows["town"], rows["village"], strict=True))),
            "categories": dict(Counter(rows["category"])),
        }
    if dataset == "documents":
        limit, kind = settings.filing_deadline()
        days = rows["filing_working_days" if kind == "working" else "filing_days"].astype("Float64")
        timely = _flag(rows["filed"]) & days.between(0, limit).fillna(False).astype(bool)
        return {
            "issued": len(rows),
            "reviewed": int(_flag(rows["reviewed"]).sum()),
            "published": int(_flag(rows["published"]).sum()),
            "filed": int(_flag(rows["filed"]).sum()),
            "timely": int(timely.sum()),
            "dates": _dates(rows["issued_date"]),
            "towns": towns,
        }
    staff = rows_of("staff")
    people = set(zip(rows["town"], rows["name"], strict=True))
    if len(staff):
        on = _flag(staff["is_enforcement"]) & _flag(staff["on_duty"])
        enforcement = set(zip(staff["town"][on], staff["name"][on], strict=True))
    else:
        on = _flag(rows["is_enforcement"])
        enforcement = set(zip(rows["town"][on], rows["name"][on], strict=True))
    return {
        "rows": len(rows),
        "hours": round(float(rows["hours"].astype("float64").sum()), 2),
        "attendees": len(people),
        "enforcement": len(enforcement),
        "trained": len(enforcement & people),
        "dates": _dates(rows["session_date"]),
        "towns": towns,
    }


def messages(result: FileResult) -> tuple[list[str], list[str]]:
    """Every reject reason and every warning message of the file, over all its sheets."""
    rejects = [str(r) for s in result.sheets for r in s.rejects["reason"]]
    warnings = [str(m) for s in result.sheets for m in s.warnings["message"]]
    return rejects, warnings


# --- layouts -----------------------------------------------------------------------------------


def _cn(number: int) -> str:
    """1..31 as written in Chinese dates: 五, 十, 十二, 二十一, 三十."""
    digits = "〇一二三四五六七八九"
    tens, units = divmod(number, 10)
    if not tens:
        return digits[units]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


_FULL_WIDTH = str.maketrans("0123456789()", "０１２３４５６７８９（）")
DATE_STYLES: dict[str, Callable[[date], object]] = {
    "datetime": lambda d: datetime(d.year, d.month, d.day),
    "datetime_time": lambda d: datetime(d.year, d.month, d.day, 9, 30),
    "iso": lambda d: d.isoformat(),
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dot": lambda d: f"{d.year}.{d.month}.{d.day}",
    "chinese": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "digits": lambda d: d.strftime("%Y%m%d"),
    "slash_time": lambda d: f"{d.year}/{d.month}/{d.day} 10:15",
    "dash_time": lambda d: f"{d.year}-{d.month}-{d.day} 11:20:00",
    "serial": lambda d: (d - date(1899, 12, 30)).days,
    "numerals": lambda d: "".join(_cn(int(c)) for c in str(d.year)) + f"年{_cn(d.month)}月{_cn(d.day)}日",
    "hao": lambda d: f"{d.year}年{d.month}月{d.day}号",
    "full_width": lambda d: f"{d.year}年{d.month}月{d.day}日".translate(_FULL_WIDTH),
}
MARKS: tuple[object, ...] = ("√", "✓", "●", "是", 1, "Y")
SUFFIX = {"xlsx": ".xlsx", "xls": ".xls", "csv": ".csv", "html": ".xls", "utf16": ".xls"}


@dataclass(frozen=True)
class Layout:
    fmt: str = "xlsx"  # xlsx | xls (xlwt, no merges) | csv | html (an HTML table named .xls) | utf16 (tab text)
    encoding: str = "utf-8-sig"  # csv: utf-8-sig | gb18030
    titles: int = 1  # rows above the header: the ledger's title, then a blank or 单位：… line
    shuffle: int = 0  # 0: the usual column order; else the seed of a permutation
    aliases: int = 0  # 0: each field's first header alias; else the seed of a choice among them
    header_noise: bool = False  # 所属村（社区）with full-width brackets, a line break inside long headers
    dates: tuple[str, ...] = ("datetime",)  # DATE_STYLES picked from, cell by cell
    marks: tuple[object, ...] = ("√",)  # yes marks picked from, cell by cell
    noes: tuple[str, ...] = ("",)  # no marks picked from ("" blank, 否, ×)
    form: str = "words"  # words (调解方式: 书面/口头) | marks (调解方式 over 书面|口头) | yes_no (是否书面协议)
    outcome: str = "words"  # words (调解结果: 成功/终止调解/…) | marks (调解结果 over 成功|失败|调解中)
    village: str = "plain"  # plain (张庄村) | committee (张庄村委会, 东街社区居民委员会)
    blanks: tuple[int, ...] = ()  # a blank row before each of these data rows (len(records): after the last)
    sheets: str = "one"  # one | half | quarter | month: a sheet per period (上半年, 一季度, 3月) in a workbook
    subtotals: str = "none"  # none | total (合计) | quarter (一季度小计…, 合计) | month (本月合计, 累计) | half
    label_at: str = "first"  # the subtotal label's column: first | middle (村, 文件名称, 姓名) | last
    total_error: int = 0  # added to the first figure of the last total row (a wrong 合计)
    formula_totals: bool = False  # total figures as =COUNTA()/=SUM() with no cached value (xlsx)
    footer: bool = False  # 填表人：张三  审核人：李四
    county: bool = False  # a 乡镇 column; in .xlsx 乡镇 and 村 merged down each block of rows
    extra: tuple[str, ...] = ()  # texts of an unknown 督办人 column, cycled over the rows; () none
    seed: int = 0  # cell-by-cell choices (date styles, marks, words)

    @property
    def suffix(self) -> str:
        return SUFFIX[self.fmt]


def file_name(records: Sequence[Record], layout: Layout) -> str:
    """郑集镇2021年矛盾纠纷排查调处台账.xlsx: the town the records belong to (the county's for a county layout)."""
    first = next(r for r in records if not isinstance(r, Officer))
    year = min(d.year for r in records if (d := getattr(r, "day", None)))
    return f"{COUNTY if layout.county else first.town}{year}年{LABELS[type(first)]}{layout.suffix}"


def dataset_of(records: Sequence[Record]) -> str:
    """The table the records load into: disputes, documents or training."""
    kind = next(type(r) for r in records if not isinstance(r, Officer))
    return {Dispute: "disputes", Document: "documents", Attendance: "training"}[kind]


@dataclass
class Col:
    header: str
    cell: Callable[[Record, int], object]  # (record, data row number) -> cell
    total: Callable[[list[Record]], int | float] | None = None  # the figure a total row shows
    children: list[Col] = field(default_factory=list)  # a two-row group: header over children
    merge: Callable[[Record], object] | None = None  # county layout: runs of one key are merged down
    role: str = ""  # middle (a subtotal label may go there) | count (共N件 goes there)
    formula: str = "COUNTA"
    field: str = ""  # the spec field, for a record's ``typed`` cells


class _Ctx:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.rng = random.Random(layout.seed)
        self.alias_rng = random.Random(layout.aliases)

    def pick(self, options: Sequence[object]) -> object:
        return options[self.rng.randrange(len(options))]

    def date(self, day: date | None) -> object:
        return None if day is None else DATE_STYLES[str(self.pick(self.layout.dates))](day)

    def mark(self, flag: bool | None) -> object:
        return self.pick(self.layout.marks) if flag else self.pick(self.layout.noes)

    def no(self) -> object:
        return self.pick([x for x in self.layout.noes if x] or ["否"])

    def alias(self, spec: Spec, name: str) -> str:
        options = [a for a in spec.field(name).aliases if "/" not in a and field_for(spec, a) == name]
        if not self.layout.aliases:  # the first plain one: 受理日期, 所属村居, 单位
            return self.noisy(next((a for a in options if "(" not in a), options[0]))
        return self.noisy(options[self.alias_rng.randrange(len(options))])

    def noisy(self, header: str) -> str:
        if not self.layout.header_noise:
            return header
        header = header.translate(_FULL_WIDTH)
        return header[:2] + "\n" + header[2:] if len(header) > 3 else header

    def group(self, spec: Spec, names: Sequence[str], cells: Sequence[Col]) -> Col:
        """A two-row group: a parent alias over one child alias per field (调解结果 over 成功|失败)."""
        pairs = [[a.split("/") for a in spec.field(n).aliases] for n in names]
        parents = list(dict.fromkeys(p for p, _ in pairs[0]))
        parent = parents[0] if not self.layout.aliases else parents[self.alias_rng.randrange(len(parents))]
        for col, options, name in zip(cells, pairs, names, strict=True):
            children = [c for p, c in options if p == parent]
            child = children[0] if not self.layout.aliases else children[self.alias_rng.randrange(len(children))]
            col.header = self.noisy(child)
            col.field = name
        return Col(self.noisy(parent), lambda r, i: None, children=list(cells))


def _count(test: Callable[[Record], bool]) -> Callable[[list[Record]], int]:
    return lambda rows: sum(1 for r in rows if test(r))


def _village(name: str, style: str, ctx: _Ctx) -> object:
    if style == "plain":
        return name
    if name.endswith("社区"):
        return name + ctx.pick(("居民委员会", "居委会"))
    return name[:-1] + ctx.pick(("村委会", "村民委员会"))


def _town_col(ctx: _Ctx, spec: Spec) -> list[Col]:
    if not ctx.layout.county:
        return []
    return [Col(ctx.alias(spec, "town"), lambda r, i: r.town, merge=lambda r: r.town)]


def _extra_col(ctx: _Ctx) -> list[Col]:
    texts = ctx.layout.extra
    return [Col("督办人", lambda r, i: texts[i % len(texts)])] if texts else []


_SURNAMES = "张李王赵刘陈杨"


def _dispute_columns(ctx: _Ctx) -> list[Col]:
    lay, S = ctx.layout, DISPUTES
    if lay.form == "words":
        form = [Col(ctx.alias(S, "agreement_form"), lambda r, i: r.form and ctx.pick(FORM_WORDS[r.form]))]
    elif lay.form == "marks":
        cells = [
            Col("", lambda r, i, k=k: ctx.mark(r.form == k), total=_count(lambda r, k=k: r.form == k))
            for k in ("written", "oral")
        ]
        form = [ctx.group(S, ["agreement_form:written", "agreement_form:oral"], cells)]
    else:
        yes_no = Col(
            ctx.alias(S, "agreement_form:is_written"),
            lambda r, i: None if r.form is None else ctx.mark(True) if r.form == "written" else ctx.no(),
            total=_count(lambda r: r.form == "written"),
        )
        form = [yes_no]
    if lay.outcome == "words":
        words = Col(
            ctx.alias(S, "outcome"),
            lambda r, i: ctx.pick(OUTCOME_WORDS[r.outcome]) if r.outcome in OUTCOME_WORDS else r.outcome,
        )
        outcome = [words]
    else:
        keys = ("success", "failed", "pending")
        cells = [
            Col("", lambda r, i, k=k: ctx.mark(r.result == k), total=_count(lambda r, k=k: r.result == k)) for k in keys
        ]
        outcome = [ctx.group(S, [f"outcome:{k}" for k in keys], cells)]
    joint_header = ctx.alias(S, "joint")
    if joint_header == "调解主体":
        joint = Col(joint_header, lambda r, i: "联合调解" if r.joint else "司法所")
    else:
        joint = Col(joint_header, lambda r, i: ctx.mark(r.joint), total=_count(lambda r: r.joint))
    return [
        Col("序号", lambda r, i: i + 1),
        *_town_col(ctx, S),
        Col(
            ctx.alias(S, "village"),
            lambda r, i: _village(r.village, lay.village, ctx),
            merge=lambda r: (r.town, r.village),
            role="middle",
        ),
        Col(ctx.alias(S, "received_date"), lambda r, i: ctx.date(r.received), field="received_date"),
        Col(ctx.alias(S, "category"), lambda r, i: r.category + str(ctx.pick(("", "纠纷"))), role="count"),
        Col("当事人", lambda r, i: f"{_SURNAMES[i % 7]}某与{_SURNAMES[(i * 3 + 1) % 7]}某", role="count"),
        *form,
        joint,
        *outcome,
        Col(ctx.alias(S, "escalated"), lambda r, i: ctx.mark(r.escalated), total=_count(lambda r: r.escalated)),
        *_extra_col(ctx),
    ]


_DATE_ALIASES = ("审查日期", "合法性审查日期", "审核日期", "公开日期", "公开时间")
_CHANNEL_ALIASES = ("公开途径", "公开方式")


def _document_columns(ctx: _Ctx) -> list[Col]:
    S = DOCUMENTS

    def yes(name: str, flag: Callable[[Document], bool], shift: int) -> Col:
        """A yes/no field: marks; or, under a date header, a date; or, under 公开途径, a channel."""
        header = ctx.alias(S, name)
        if header in _DATE_ALIASES:
            return Col(header, lambda r, i: ctx.date(r.issued + timedelta(days=shift)) if flag(r) else None)
        if header in _CHANNEL_ALIASES:
            return Col(header, lambda r, i: ctx.pick(("政府网站", "政务公开栏")) if flag(r) else None)
        return Col(header, lambda r, i: ctx.mark(flag(r)), total=_count(flag))

    return [
        Col("序号", lambda r, i: i + 1),
        *_town_col(ctx, S),
        Col(ctx.alias(S, "doc_no"), lambda r, i: f"郑政发〔{r.issued.year}〕{i + 1}号", role="count"),
        Col(ctx.alias(S, "title"), lambda r, i: r.title, role="middle count"),
        Col(ctx.alias(S, "issued_date"), lambda r, i: ctx.date(r.issued)),
        yes("reviewed", lambda r: r.reviewed, -3),
        yes("published", lambda r: r.published, 1),
        Col(
            ctx.alias(S, "filed"),
            lambda r, i: ctx.mark(r.filed is not None),
            total=_count(lambda r: r.filed is not None),
        ),
        Col(ctx.alias(S, "filed_date"), lambda r, i: ctx.date(r.filed)),
        *_extra_col(ctx),
    ]


def _hours(hours: float, ctx: _Ctx) -> object:
    number = int(hours) if float(hours).is_integer() else hours
    return ctx.pick((number, number, f"{number}学时", f"{number}小时"))


def _training_columns(ctx: _Ctx) -> list[Col]:
    S = TRAINING
    return [
        Col("序号", lambda r, i: i + 1),
        *_town_col(ctx, S),
        Col(ctx.alias(S, "session_date"), lambda r, i: ctx.date(r.day)),
        Col(ctx.alias(S, "topic"), lambda r, i: r.topic, role="count"),
        Col(ctx.alias(S, "kind"), lambda r, i: r.kind),
        Col(
            ctx.alias(S, "hours"),
            lambda r, i: _hours(r.hours, ctx),
            total=lambda rows: sum(r.hours for r in rows),
            formula="SUM",
            field="hours",
        ),
        Col(ctx.alias(S, "name"), lambda r, i: r.written or r.name, role="middle", field="name"),
        Col(ctx.alias(S, "unit"), lambda r, i: r.unit),
        Col(
            ctx.alias(S, "is_enforcement"),
            lambda r, i: None if r.enforcement is None else ctx.mark(True) if r.enforcement else ctx.mark(False),
            total=_count(lambda r: bool(r.enforcement)),
        ),
        *_extra_col(ctx),
    ]


def _roster_columns(ctx: _Ctx) -> list[Col]:
    S = STAFF
    return [
        *_town_col(ctx, S),
        Col(ctx.alias(S, "name"), lambda r, i: r.written or r.name),
        Col(ctx.alias(S, "unit"), lambda r, i: r.unit),
        Col(ctx.alias(S, "is_enforcement"), lambda r, i: ctx.mark(True) if r.enforcement else ctx.no()),
        Col(ctx.alias(S, "cert_no"), lambda r, i: r.cert or None),
        Col(ctx.alias(S, "cert_valid_until"), lambda r, i: ctx.date(date(2030, 12, 31)) if r.cert else None),  # as kept
    ]


# --- rendering ---------------------------------------------------------------------------------

Rows = list[list[object]]
Merge = tuple[tuple[int, int], tuple[int, int]]  # 0-based (row, col) corners, inclusive


def _block(day: date | None, scheme: str) -> int | None:
    if day is None:
        return None
    return {"quarter": (day.month - 1) // 3, "month": day.month, "half": (day.month - 1) // 6}.get(scheme, 0)


def _letter(c: int) -> str:
    return chr(ord("A") + c) if c < 26 else "A" + chr(ord("A") + c - 26)


def _table(
    records: Sequence[Record], cols: list[Col], title: str | None, ctx: _Ctx, body: bool
) -> tuple[Rows, list[Merge]]:
    """One sheet: titles, a one- or two-row header, data rows and (``body``) blanks, totals, a footer."""
    lay = ctx.layout
    if lay.shuffle:
        random.Random(lay.shuffle).shuffle(cols)
    leaves = [(leaf, col) for col in cols for leaf in (col.children or [col])]
    width = len(leaves)
    rows: Rows = []
    merges: list[Merge] = []
    if title:
        place = COUNTY if lay.county else records[0].town
        lines = [f"{place}{title}", str(ctx.pick(("", f"单位：{place}司法所")))][: lay.titles]
        for line in lines:
            rows.append([line or None] + [None] * (width - 1))
            if line:
                merges.append(((len(rows) - 1, 0), (len(rows) - 1, width - 1)))
    h = len(rows)
    if any(col.children for col in cols):
        top: list[object] = []
        sub: list[object] = []
        for c, (leaf, col) in enumerate(leaves):
            if not col.children:
                top.append(leaf.header)
                sub.append(None)
                merges.append(((h, c), (h + 1, c)))
                continue
            first = col.children[0] is leaf
            top.append(col.header if first else None)
            sub.append(leaf.header)
            if first:
                merges.append(((h, c), (h, c + len(col.children) - 1)))
        rows += [top, sub]
    else:
        rows.append([leaf.header for leaf, _ in leaves])

    roles = [leaf.role.split() for leaf, _ in leaves]
    middle = next((c for c, r in enumerate(roles) if "middle" in r), 0)
    label_col = {"first": 0, "last": width - 1}.get(lay.label_at, middle)
    count_col = next((c for c, r in enumerate(roles) if "count" in r and c != label_col), None)
    placed: list[tuple[int, Record]] = []  # (sheet row, record) of every data row
    totals: list[int] = []

    def total_row(label: str, scope: list[tuple[int, Record]]) -> None:
        row: list[object] = [None] * width
        first, last = (scope[0][0] + 1, scope[-1][0] + 1) if scope else (0, 0)
        for c, (leaf, _) in enumerate(leaves):
            if c == label_col:
                row[c] = label
            elif lay.formula_totals and (leaf.total or c == count_col):
                row[c] = f"={leaf.formula}({_letter(c)}{first}:{_letter(c)}{last})"
            elif leaf.total:
                row[c] = leaf.total([r for _, r in scope])
            elif c == count_col:
                row[c] = f"共{len(scope)}件"
        totals.append(len(rows))
        rows.append(row)

    since: list[tuple[int, Record]] = []
    key = _block(next((d for r in records if (d := getattr(r, "day", None))), None), lay.subtotals)

    def close_block() -> None:
        nonlocal since
        if since and lay.subtotals in ("quarter", "month", "half"):
            if lay.subtotals == "quarter":
                label = f"{'一二三四'[key or 0]}季度小计"
            else:
                label = "本月合计" if lay.subtotals == "month" else ("上半年合计", "下半年合计")[key or 0]
            total_row(label, since)
            if lay.subtotals == "month":
                total_row("累计", placed)
        since = []

    for i, record in enumerate(records):
        rows.extend([None] * width for _ in range(lay.blanks.count(i) if body else 0))
        block = _block(getattr(record, "day", None), lay.subtotals)
        if body and block is not None and block != key:
            close_block()
            key = block
        typed = getattr(record, "typed", {})
        cells = [typed[leaf.field] if leaf.field in typed else leaf.cell(record, i) for leaf, _ in leaves]
        rows.append([None if v == "" else v for v in cells])
        placed.append((len(rows) - 1, record))
        since.append(placed[-1])
    if body:
        rows.extend([None] * width for _ in range(lay.blanks.count(len(records))))
        close_block()
        if lay.subtotals in ("total", "quarter", "half"):
            total_row("合计", placed)
        if lay.footer:
            rows.append(["填表人：张三  审核人：李四"] + [None] * (width - 1))
    if totals and lay.total_error:
        row = rows[totals[-1]]
        c = next(c for c, v in enumerate(row) if c != label_col and v is not None)
        row[c] = f"共{len(placed) + lay.total_error}件" if c == count_col else row[c] + lay.total_error  # type: ignore[operator]
    for c, (leaf, _) in enumerate(leaves):
        if leaf.merge and lay.fmt == "xlsx":
            merges += _merge_down(rows, c, leaf.merge, placed)
    return rows, merges


def _merge_down(rows: Rows, c: int, key: Callable[[Record], object], placed: list[tuple[int, Record]]) -> list[Merge]:
    """Merge each run of adjacent data rows with one key in column ``c``, keeping the first row's value."""
    merges: list[Merge] = []
    start = 0
    for k in range(1, len(placed) + 1):
        if k < len(placed) and placed[k][0] == placed[k - 1][0] + 1 and key(placed[k][1]) == key(placed[start][1]):
            continue
        first, last = placed[start][0], placed[k - 1][0]
        if last > first:
            merges.append(((first, c), (last, c)))
            for r in range(first + 1, last + 1):
                rows[r][c] = None
        start = k
    return merges


_SHEET_NAMES: dict[str, Callable[[int], str]] = {
    "half": lambda k: ("上半年", "下半年")[k],
    "quarter": lambda k: f"{'一二三四'[k]}季度",
    "month": lambda k: f"{k}月",
}


def render(records: Sequence[Record], layout: Layout, path: Path) -> Path:
    """Write the records at ``path`` in ``layout``: a sheet (or one per period), and a roster for any ``Officer``."""
    ctx = _Ctx(layout)
    main = [r for r in records if not isinstance(r, Officer)]
    first = main[0]
    build = {Dispute: _dispute_columns, Document: _document_columns, Attendance: _training_columns}[type(first)]
    year = min(d.year for r in main if (d := getattr(r, "day", None)))
    split = layout.sheets if layout.fmt in ("xlsx", "xls") else "one"
    parts: dict[int | None, list[Record]] = {}
    key = _block(next(d for r in main if (d := getattr(r, "day", None))), split)
    for r in main:  # a row without a date stays on the sheet of the row above
        key = _block(getattr(r, "day", None), split) if getattr(r, "day", None) else key
        parts.setdefault(key, []).append(r)
    sheets = []
    for key, part in parts.items():
        name = _SHEET_NAMES[split](key or 0) if split != "one" else ""
        title = f"{year}年{LABELS[type(first)]}" + (f"（{name}）" if name else "")
        sheets.append((name or f"{year}年", *_table(part, build(ctx), title, ctx, body=True)))
    roster = [r for r in records if isinstance(r, Officer)]
    if roster:  # a roster sheet has no title: its town comes from the workbook
        sheets.append(("执法人员名册", *_table(roster, _roster_columns(ctx), None, ctx, body=False)))
    if layout.fmt == "xlsx":
        _write_xlsx(path, sheets)
    elif layout.fmt == "xls":
        _write_xls(path, sheets)
    else:
        if len(sheets) > 1:
            raise ValueError(f"a {layout.fmt} file holds one sheet")
        _write_text(path, sheets[0][1], layout)
    return path


def _write_xlsx(path: Path, sheets: list[tuple[str, Rows, list[Merge]]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows, merges in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for (r1, c1), (r2, c2) in merges:
            sheet.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    book.save(path)


def _write_xls(path: Path, sheets: list[tuple[str, Rows, list[Merge]]]) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows, _ in sheets:
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write(r, c, value, day)
                elif value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else str(value)


def _write_text(path: Path, rows: Rows, layout: Layout) -> None:
    cells = [[_text(v) for v in row] for row in rows]
    if layout.fmt == "csv":
        with path.open("w", encoding=layout.encoding, newline="") as handle:
            csv.writer(handle).writerows(cells)
    elif layout.fmt == "utf16":  # Excel's "Unicode text": tabs, quotes around a cell with a line break
        text = io.StringIO()
        csv.writer(text, delimiter="\t").writerows(cells)
        path.write_bytes(("\ufeff" + text.getvalue()).encode("utf-16-le"))
    else:
        width = max(len(row) for row in cells)
        lines = []
        for r, row in enumerate(cells):
            if r < layout.titles and not any(row[1:]):
                lines.append(f'<tr><td colspan="{width}">{html.escape(row[0])}</td></tr>')
            else:
                lines.append("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>")
        path.write_text(
            '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta http-equiv="Content-Type" '
            'content="text/html; charset=utf-8"></head><body><table border="1">\n'
            + "\n".join(lines)
            + "\n</table></body></html>\n",
            encoding="utf-8",
        )


# --- the known ledgers -------------------------------------------------------------------------

_DISPUTES_2021 = """
01-05 张庄村 婚姻家庭 w success j
01-12 李集村 邻里 o success
01-26 东街社区 合同 o success
02-03 王楼村 房屋宅基地 w success
02-19 张庄村 邻里 o failed
03-02 西湖社区 劳动争议 w success j
03-15 李集村 婚姻家庭 o success
03-30 王楼村 山林土地 - pending
04-08 张庄村 损害赔偿 w success
04-21 东街社区 邻里 o success
05-06 李集村 道路交通事故 o success
05-18 西湖社区 合同 w success
05-27 王楼村 邻里 o success e
06-09 张庄村 婚姻家庭 o success
06-23 李集村 房屋宅基地 w failed
07-01 东街社区 劳动争议 o success
07-14 王楼村 邻里 o success
07-29 张庄村 山林土地 w success j
09-03 西湖社区 邻里 o success
09-17 李集村 婚姻家庭 o success
09-30 王楼村 合同 w success
10-11 张庄村 损害赔偿 o success
10-25 东街社区 邻里 - pending
11-02 李集村 劳动争议 w success
11-16 西湖社区 婚姻家庭 o success
11-29 王楼村 房屋宅基地 o failed
12-06 张庄村 邻里 w success
12-14 李集村 合同 o success
12-22 东街社区 婚姻家庭 w success
12-30 西湖社区 其他 o pending
"""


def _dispute(line: str, year: int = 2021) -> Dispute:
    day, village, category, form, outcome, *flags = line.split()
    return Dispute(
        date.fromisoformat(f"{year}-{day}"), village, category, {"w": "written", "o": "oral"}.get(form), outcome,
        joint="j" in flags, escalated="e" in flags,
    )  # fmt: skip


# 30 disputes in one town: written 11, oral 17, not stated 2; success 24, failed 3, pending 3 (rate 24/27);
# joint 3, escalated 1; every month but August.
DISPUTES_2021 = [_dispute(line) for line in _DISPUTES_2021.strip().splitlines()]
_COUNTY_TOWN = {"张庄村": TOWN, "李集村": TOWN, "王楼村": TOWN, "东街社区": OTHER_TOWN, "西湖社区": OTHER_TOWN}


def county_disputes(records: Sequence[Dispute] = DISPUTES_2021) -> list[Dispute]:
    """The same disputes kept by the county: 张庄/李集/王楼 in 郑集镇 (20), 东街/西湖 in 东坪乡 (10), by town and village."""
    moved = [replace(r, town=_COUNTY_TOWN.get(r.village, r.town)) for r in records]
    return sorted(moved, key=lambda r: (r.town != TOWN, r.village, r.received or date.min))


_DOCUMENTS_2021 = """
01-08 01-20 rp 关于加强农村宅基地管理的通知
02-22 03-05 rp 关于印发郑集镇村规民约指导意见的通知
03-10 04-09 rp 关于规范农村集体资产管理的意见
04-15 04-15 rp 关于加强安全生产工作的通知
05-20 06-21 rp 关于印发环境卫生整治实施方案的通知
06-18 06-30 r 关于做好防汛工作的通知
07-05 - rp 关于加强殡葬管理的通知
08-12 08-27 rp 关于印发郑集镇网格化管理办法的通知
09-09 09-29 p 关于规范城镇建设管理的通知
10-14 12-13 rp 关于加强森林防火工作的通告
11-03 - r 关于印发郑集镇困难群众救助办法的通知
12-01 12-10 rp 关于规范村级财务管理的通知
"""


def _document(line: str, year: int = 2021) -> Document:
    issued, filed, flags, title = line.split()
    day = date.fromisoformat(f"{year}-{issued}")
    return Document(
        title, day, "r" in flags, "p" in flags, None if filed == "-" else date.fromisoformat(f"{year}-{filed}")
    )


# 12 documents: reviewed 11, published 10, filed 10, filed within 30 days 8 (0 and 30 days are in time;
# 32 and 60 days are late).
DOCUMENTS_2021 = [_document(line) for line in _DOCUMENTS_2021.strip().splitlines()]

_ROLES = {  # name: (enforcement, unit)
    "王芳": (True, "综合执法办"), "李明": (True, "综合执法办"), "张伟": (True, "综合执法办"),
    "刘洋": (True, "应急管理办"), "陈静": (True, "自然资源所"), "赵磊": (True, "综合执法办"),
    "孙丽": (False, "党政办"), "周强": (None, "张庄村调委会"),
}  # fmt: skip
_SESSIONS = (
    ("03-02", "会前学法", "宪法学习", 2, "王芳 李明 张伟 孙丽"),
    ("05-14", "依法行政专题学习会", "《行政处罚法》解读", 3, "王芳 李明 刘洋 陈静 周强"),
    ("07-09", "执法培训", "行政执法程序规范", 4, "王芳 张伟 刘洋"),
    ("09-23", "专题讲座", "民法典专题讲座", 2.5, "李明 陈静 孙丽"),
    ("11-30", "线上学法", "学习强国法治专题", 1.5, "王芳 张伟 陈静"),
)
# 18 attendance rows, 47 hours, 7 people; 5 enforcement officers attend (王芳 李明 张伟 刘洋 陈静).
ATTENDANCE_2021 = [
    Attendance(date.fromisoformat(f"2021-{day}"), name, hours, kind, topic, _ROLES[name][0], _ROLES[name][1])
    for day, kind, topic, hours, names in _SESSIONS
    for name in names.split()
]
# The roster: six officers with certificates (赵磊 never attends) and 孙丽, who is not one.
ROSTER_2021 = [
    Officer(name, enforcement=bool(flag), cert=f"1301002100{k}" if flag else "", unit=unit)
    for k, (name, (flag, unit)) in enumerate(_ROLES.items(), start=1)
    if flag is not None
]
