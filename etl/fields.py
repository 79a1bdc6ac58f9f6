"""How a dataset declares its fields: header aliases, the kind of parser, and what is required.

A ``Spec`` is a dataset's sheet layout: its table, its fields (each with the header aliases a
ledger may use and the ``kind`` of cell parser, see ``etl.kinds``), the groups of which at least one
field must be present, and the table's columns. A field name with a colon (``outcome:success``) is
a sub-column of a two-row header, marked √ / 是 / 1. The specs themselves live with their
datasets (``etl.datasets``); recognising a sheet by them is ``etl.specs``.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.headers import clean_header


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    aliases: tuple[str, ...]
    label: str = ""  # Chinese name used in messages ("受理日期为空")
    # aliases whose column gives way to another column of the field, whatever their order (申请日期
    # beside 收到日期: the limit runs from receipt), and why, for the sheet's note
    yields: tuple[str, ...] = ()
    yields_why: str = ""


@dataclass(frozen=True)
class Spec:
    dataset: str  # table name in analytics/schema.sql
    label: str
    fields: tuple[Field, ...]
    required: tuple[tuple[str, ...], ...]  # each group needs at least one of its fields
    columns: tuple[str, ...]  # the table's columns except load_id, in order

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def field(name: str, kind: str, aliases: str, label: str = "", yields: str = "", yields_why: str = "") -> Field:
    """A field from its space-separated aliases; the label defaults to the first alias. ``yields``:
    aliases (among ``aliases``) whose column is read only where the field's other columns are blank."""
    return Field(
        name,
        kind,
        tuple(clean_header(a) for a in aliases.split()),
        label or aliases.split()[0],
        tuple(clean_header(a) for a in yields.split()),
        yields_why,
    )


def sub_field(name: str, kind: str, parents: str, children: str, label: str) -> Field:
    """A sub-column of a two-row header: every parent/child combination is an alias."""
    combos = " ".join(f"{p}/{c}" for p in parents.split() for c in children.split())
    return field(name, kind, combos, label)


@dataclass(frozen=True)
class Column:
    """One column of a dataset's blank template (``etl.templates`` writes the workbook)."""

    header: str  # canonical header, one of the field's aliases
    width: int
    note: str  # one line for the 填写说明 sheet
    kind: str = "text"  # text | date | number | list
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Template:
    dataset: str
    title: str  # after the town: "{town}矛盾纠纷排查调处台账"
    file_name: str
    columns: tuple[Column, ...]
    notes: tuple[str, ...] = ()


DATE_NOTE = "日期，格式 2020-03-05（也可写 2020/3/5、2020年3月5日）"
YES_NO = ("是", "否")
PROVENANCE = ("town", "source_file", "sheet", "excel_row")
TOWN = field("town", "town", "乡镇 所属乡镇 乡镇(街道) 镇街 乡镇名称", "乡镇")
PERIOD = field("period", "text", "年度 期间 年份 统计期间 年度/期间 时间 统计年度", "期间")
# the part of a year in a column of its own beside the year (年度 2023 | 半年 上半年): ``summaries.periods``
PERIOD_PART = field("period_part", "text", "半年 半年度 上下半年 季度 时段", "半年")
# a part of the town (one row per village) on a summary sheet, which counts towns: ``summaries.periods`` refuses it
SUMMARY_VILLAGE = field(
    "summary_village",
    "text",
    "村 村（社区） 村(社区) 村居 社区 村名 所属村 所属村（社区） 村委会 村（居）",
    "村（社区）",
)
UNIT = "单位/岗位 单位(岗位) 单位 岗位 所在单位 工作单位 部门 职务"
ENFORCEMENT = "是否执法人员 执法人员 是否行政执法人员 是否为执法人员"
