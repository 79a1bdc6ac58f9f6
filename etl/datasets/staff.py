"""The enforcement staff roster (执法人员名册): one row per person, for a year or for every year.

Its headers, how a row is built (on duty or not, a certificate number marking an officer,
namesakes warned of), what identifies a person across files, its personal columns, its
data-dictionary entries and its blank template.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from etl import columns as col
from etl import normalise as n
from etl.datasets.base import PEOPLE_DOCS, Dataset, Docs, Pivot, Share, flag_share
from etl.fields import DATE_NOTE, ENFORCEMENT, PROVENANCE, TOWN, UNIT, YES_NO, Column, Spec, Template, field
from etl.frame import Frame
from etl.normalise import Outcome, as_text, compact, is_blank

# 在岗状态 words for someone no longer on duty, wherever they stand (已调走, 不在岗, 已去世, 不再在岗)
OFF_DUTY = (
    "离", "退休", "退职", "调出", "调走", "调任", "调往", "调至", "转岗", "停职", "辞职", "辞退", "免职", "免去", "卸任",
    "解聘", "开除", "注销", "去世", "逝世", "过世", "死亡", "病故", "已故", "亡故", "牺牲", "不在", "未在", "非在", "不再",
)  # fmt: skip
# 在岗状态 words for someone on duty, as the whole cell (a bracketed note aside: 在岗（驻村）)
ON_DUTY = frozenset(["在岗", "在职", "在编", "在位", "在", "正常", "正常在岗", "在岗在编", "在编在岗", "在岗在职"])


def parse_on_duty(value: object) -> Outcome:
    """在岗状态: blank or 在岗 -> True; 离岗/调离/退休/已故/不再在岗/否 -> False; a mark read from its first
    character only (已调任…) or no reading at all is said."""
    if is_blank(value):
        return (True, None, None)
    text = compact(value)
    if any(word in text for word in OFF_DUTY):
        return (False, None, None)
    if n.without_notes(text) in ON_DUTY:
        return (True, None, None)
    parsed, inferred = n.read_mark(value)
    if parsed is None:
        return (True, None, f"无法识别的在岗状态：{as_text(value)}，已按在岗处理")
    said = "在岗" if parsed else "不在岗"
    return (parsed, None, f"在岗状态「{as_text(value)}」按开头的「{text[0]}」读作{said}，请核对" if inferred else None)


# 证件有效期 as a from/to pair, as the certificate prints it: 有效期起｜有效期止, 证件有效期(起)｜(止), or
# 证件有效期 over 起｜止 (read as 证件有效期起, 证件有效期止). The end is the expiry; the start must not be.
_UNTIL = " ".join(
    f"{stem}{end}"
    for stem in ("有效期", "证件有效期", "执法证有效期")
    for end in ("止", "(止)", "截止", "截止日期", "(截止日期)", "截至", "结束日期", "终止日期", "到期日期", "至")
)
_FROM = " ".join(
    f"{stem}{start}"
    for stem in ("有效期", "证件有效期", "执法证有效期")
    for start in ("起", "(起)", "自", "开始", "开始日期", "(开始日期)", "起始日期", "起始", "起始时间", "开始时间")
)

SPEC = Spec(
    "staff",
    "执法人员名册",
    (
        field("roster_year", "integer", "年度 年份"),
        field("name", "person", "姓名 执法人员姓名", "姓名"),
        field("unit", "text", UNIT),
        field("is_enforcement", "optional_mark", ENFORCEMENT),
        field("cert_no", "text", "执法证号 执法证件号 证件号 执法证编号 执法证件号码 执法证件编号"),
        field("cert_valid_until", "expiry_date", f"证件有效期 有效期至 有效期 证件有效期至 执法证有效期 {_UNTIL}"),
        field("cert_valid_from", "text", _FROM),  # read so it is not taken for the expiry; not kept
        field("on_duty", "on_duty", "在岗状态 在岗情况 是否在岗 人员状态"),
        TOWN,
    ),
    (("name",), ("is_enforcement", "cert_no")),
    (
        *PROVENANCE, "roster_year", "name", "unit", "is_enforcement", "cert_no", "cert_valid_until",
        "on_duty", "extra",
    ),
)  # fmt: skip


def build(fr: Frame) -> dict[str, Any]:
    out: dict[str, Any] = {}
    year = fr.get("roster_year") if fr.has("roster_year") else col.no_integers(len(fr))
    out["roster_year"] = _filled_year(year, fr.title_year) if fr.title_year else year
    out["name"] = fr.require("name")
    out["unit"] = fr.get("unit")
    out["cert_no"] = _no_certificate_blank(fr, fr.get("cert_no"))
    has_cert = ~col.isna(out["cert_no"])
    flag = fr.get("is_enforcement")
    out["is_enforcement"] = np.where(col.isna(flag), has_cert, col.flags(flag)).astype(bool)
    out["cert_valid_until"] = fr.get("cert_valid_until") if fr.has("cert_valid_until") else col.no_dates(len(fr))
    # 持证上岗率 asks for a certificate valid at the period's end: with no expiry it can't be said to be
    unknown = out["is_enforcement"] & has_cert & np.isnat(np.asarray(out["cert_valid_until"], dtype="datetime64[D]"))
    if fr.has("cert_valid_until"):
        said = col.where(
            unknown, "有执法证号，但证件有效期为空或读不出：持证上岗率按期末是否在有效期内计，这一人按未持有效证件计"
        )
    else:  # once, on the first such row: the whole sheet lacks the column
        said = col.where(np.arange(len(fr)) == (np.flatnonzero(unknown)[:1] if unknown.any() else -1),
                         f"名册没有证件有效期列：持证上岗率按期末证件是否在有效期内计，本表 {int(unknown.sum())} 名有执法证号的"
                         "执法人员都按未持有效证件计；请补上证件有效期")  # fmt: skip
    fr.warn(fr.label("cert_no"), fr.text_of("cert_no"), said)
    out["on_duty"] = fr.flag("on_duty", True)
    _warn_namesakes(fr, out)
    return out


# A certificate number has a letter or digit (浙A12345, 33010012); a cell that says none plainly is no certificate.
_NO_CERTIFICATE = frozenset([
    "无", "暂无", "没有", "未取得", "未办理", "未办", "无证", "尚无", "/", "-", "--", "—", "——",
    "办理中", "申领中", "申请中", "正在办理", "正在申领", "正在申请", "待发证", "待办理",  # not yet issued
])  # fmt: skip
_VOID_CERTIFICATE = ("注销", "吊销", "收回", "作废", "过期", "失效")


def _no_certificate_blank(fr: Frame, numbers: Any) -> Any:
    """执法证号 cells that hold no certificate number as blank: no certificate. A plain none (无, /, 暂无,
    未取得) says so; any other text without a letter or digit (正在申领, 已注销) and a number marked
    void (A001（已注销）) is said with how it was read."""
    values = numbers.tolist()
    none = np.zeros(len(values), dtype=bool)
    said = fr.empty()
    for i, value in enumerate(values):
        if not isinstance(value, str):
            continue
        text = compact(value)
        void = next((word for word in _VOID_CERTIFICATE if word in text), None)
        if text in _NO_CERTIFICATE:
            none[i] = True
        elif void is not None or not any(c.isascii() and c.isalnum() for c in text):
            none[i] = True
            why = f"写着「{void}」" if void is not None else "不是证号（没有字母或数字）"
            said[i] = f"执法证号「{value}」{why}，按没有有效执法证计（不计为执法人员，除非「是否执法人员」写了是）"
    if not none.any():
        return numbers
    fr.warn(fr.label("cert_no"), fr.text_of("cert_no"), said)
    numbers = numbers.copy()
    numbers[none] = None
    return numbers


def _filled_year(year: Any, title_year: int) -> Any:
    if isinstance(year, np.ma.MaskedArray):
        return np.ma.MaskedArray(np.ma.filled(year, title_year), mask=np.zeros(len(year), dtype=bool))
    return col.filled(year, title_year)


def _warn_namesakes(fr: Frame, out: dict[str, Any]) -> None:
    """Warn where two roster rows of one year read as one name but differ (written so, or cert/unit).

    They stay two officers; attendance, which names people only, is matched to both by name.
    """
    years = col.as_objects(out["roster_year"])
    names, raws = out["name"], fr.text_of("name")
    whos = col.filled(col.combine_first(out["cert_no"], out["unit"]), "")
    groups: dict[tuple[object, object], list[int]] = {}
    for i, name in enumerate(names):
        if not n.is_missing(name):
            groups.setdefault((years[i], name), []).append(i)
    message = fr.empty()
    for rows in groups.values():
        written = list(dict.fromkeys(raws[i] for i in rows))
        distinct_raws = {r for r in written if not n.is_missing(r)}
        distinct_whos = {whos[i] for i in rows if not n.is_missing(whos[i])}
        if len(distinct_raws) > 1 or len(distinct_whos) > 1:
            # Rows, not names: the message is stored and shown where names are masked (only the
            # value column, which holds this row's name, is masked by where it came from).
            spelt = "写法" if len(distinct_raws) > 1 else ""
            other = "证号或单位" if len(distinct_whos) > 1 else ""
            differ = "、".join(x for x in (spelt, other) if x)
            at = "、".join(str(int(fr.excel_row[i])) for i in rows)
            for i in rows:
                message[i] = f"同名人员：第 {at} 行的姓名读作同一人，{differ}不同，请核对是否为不同的人"
    fr.warn(fr.label("name"), fr.raw_of("name"), message)


DOCS: Docs = {
    **PEOPLE_DOCS,
    "roster_year": (
        "名册年度",
        "Roster year",
        "名册所属年度；为空表示适用于各年（某年另有年度名册列有同一单位或同一人的，该单位、该人当年以年度名册为准）",
        "Year the roster describes; empty means every year (unless that year's roster lists the same unit or person)",
    ),
    "cert_no": ("执法证号", "Certificate no.", "行政执法证件号码", "Enforcement certificate number"),
    "cert_valid_until": (
        "证件有效期至",
        "Certificate valid until",
        "执法证件有效期截止日期",
        "Certificate expiry date",
    ),
    "on_duty": ("在岗", "On duty", "是否在岗", "Whether the person is on duty"),
}

TEMPLATE = Template(
    "staff",
    "行政执法人员名册",
    "行政执法人员名册模板.xlsx",
    (
        Column("年度", 8, "名册所属年度，如 2020；各年通用可不填", "number"),
        Column("姓名", 10, "人员姓名", required=True),
        Column("单位/岗位", 16, "所在单位或岗位"),
        Column("是否执法人员", 12, "是否行政执法人员：是 或 否", "list", YES_NO, required=True),
        Column("执法证号", 18, "行政执法证件号码"),
        Column("证件有效期至", 13, DATE_NOTE, "date"),
        Column("在岗状态", 10, "在岗、离岗、调离 或 退休", "list", ("在岗", "离岗", "调离", "退休")),
        Column("备注", 20, "其他说明"),
    ),
    ("一行填写一名人员。",),
)

PIVOT = Pivot(
    ("执法人员名册", "Staff roster"),
    columns=("town", "unit", "is_enforcement", "on_duty", "roster_year", "name"),
    detail=("town", "roster_year", "name", "unit", "is_enforcement", "cert_no", "cert_valid_until", "on_duty",
            "source_file", "sheet", "excel_row"),
    shares={
        "is_enforcement": flag_share("is_enforcement", "执法人员占比", "Share enforcement officers"),
        "on_duty": flag_share("on_duty", "在岗比例", "Share on duty"),
        "certified": Share("sql", "cert_valid_until >= {period_end}", "is_enforcement",
                           ("执法证有效比例", "Enforcement officers with a valid certificate")),
    },
    year_column="roster_year",
)  # fmt: skip


TABLE = """
    roster_year      INTEGER,           -- year the roster describes; NULL = applies to every year
    name             VARCHAR NOT NULL,
    unit             VARCHAR,
    is_enforcement   BOOLEAN NOT NULL,
    cert_no          VARCHAR,
    cert_valid_until DATE,
    on_duty          BOOLEAN NOT NULL,
    extra            VARCHAR
"""  # its columns in the warehouse (``analytics.db.ensure_schema`` creates the table and its view)


DATASET = Dataset(
    SPEC,
    build,
    "执法人员名册",
    ("执法人员名册：每行一人", "Enforcement staff roster: one row per person"),
    DOCS,
    ("town", "roster_year", "name"),
    kinds={"on_duty": lambda s, d: n.bool_column(s, parse_on_duty, d)},
    personal_names=frozenset({"name"}),
    personal_text=frozenset({"cert_no"}),
    template=TEMPLATE,
    pivot=PIVOT,
    table_sql=TABLE,
)
