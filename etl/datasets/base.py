"""What a dataset declares, in one place: its sheet, how rows are built, and how it is described.

A ``Dataset`` bundles everything the rest of the product needs to know about one kind of ledger:
the ``Spec`` its sheets are recognised and parsed by, the builder that turns parsed fields into
table rows, the cell parsers only it uses, the columns that identify a record across files, its
personal columns, its data-dictionary entries and its blank template. ``etl.datasets`` lists
the datasets; nothing else names one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from etl.fields import Spec, Template
from etl.frame import Frame
from etl.kinds import Kind

Docs = dict[str, tuple[str, str, str, str]]  # column -> (zh label, en label, zh description, en description)
Builder = Callable[[Frame], dict[str, Any]]  # column -> numpy array over the frame's rows (``etl.columns``)


@dataclass(frozen=True)
class Share:
    """A share the staff's pivot offers over a dataset's rows (``analytics.adhoc.explore``), in one of four forms:

    - ``metric``: a catalogue ratio, as the metric's own measures count it (``numerator`` is its id);
    - ``measures``: rows of the ``numerator`` measure among rows of the ``denominator`` measure;
    - ``flag``: rows where the boolean column ``numerator`` is true, among rows where it is filled;
    - ``sql``: rows meeting the SQL condition ``numerator`` among rows meeting ``denominator``.
    """

    form: str
    numerator: str
    denominator: str = ""
    label: tuple[str, str] = ("", "")  # zh, en; a metric share is labelled as the metric


def metric_share(metric_id: str) -> Share:
    return Share("metric", metric_id)


def flag_share(column: str, zh: str, en: str) -> Share:
    return Share("flag", column, label=(zh, en))


@dataclass(frozen=True)
class Pivot:
    """What the staff's pivot offers of a dataset: its columns to filter and group by, to sum, its shares
    and the columns of its detail rows. Rows are in a period by the dataset's ``dated_by``, or, for a
    roster, by ``year_column`` (the period's year, or blank for every year)."""

    label: tuple[str, str]  # zh, en
    columns: tuple[str, ...]
    detail: tuple[str, ...]
    sums: tuple[str, ...] = ()
    shares: dict[str, Share] = field(default_factory=dict)
    year_column: str | None = None


@dataclass(frozen=True)
class Dataset:
    spec: Spec
    build: Builder  # parsed fields -> the table's columns (except provenance and extra)
    name: str  # short name in reports: 矛盾纠纷台账
    view: tuple[str, str]  # what one row of its v_ view is, zh and en
    docs: Docs  # its columns, for the data dictionary
    duplicate_keys: tuple[str, ...]  # columns that identify the same record in two files
    kinds: dict[str, Kind] = field(default_factory=dict)  # cell parsers only this dataset uses
    personal_names: frozenset[str] = frozenset()  # names, masked after the surname
    personal_text: frozenset[str] = frozenset()  # free text and numbers about a person, hidden
    value_labels: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # code -> zh, en
    template: Template | None = None
    dated_by: str | None = None  # the column a row is dated by (a summary's period_start), if any
    record_id: str | None = None  # the column naming one record (文号, 案号): a value on two rows is said
    pivot: Pivot | None = None  # offered in the staff's pivot, and how
    table_sql: str = ""  # its table's own columns as SQL, after ``PROVENANCE_SQL`` (``CREATE TABLE <table> (…)``)
    # ALTER TABLE statements bringing a table written by an older version to ``table_sql`` (run on every write)
    migrations: str = ""
    # a duplicate key compared as a person reads it: key -> SQL of ``{x}`` (the column, qualified)
    duplicate_as: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.spec.dataset

    def same(self, key: str, left: str, right: str) -> str:
        """The SQL condition that ``left.key`` and ``right.key`` name the same record's value."""
        shown = self.duplicate_as.get(key, "{x}")
        return f"{shown.format(x=f'{left}.{key}')} IS NOT DISTINCT FROM {shown.format(x=f'{right}.{key}')}"


# Every dataset table's first columns: where each row came from (``analytics.db.schema_sql`` puts them
# before the columns a module declares in its ``TABLE``).
PROVENANCE_SQL = """
    load_id        INTEGER NOT NULL,
    town           VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    excel_row      INTEGER NOT NULL,"""
# A summary sheet's period, first of its own columns.
PERIOD_SQL = """
    period_id      VARCHAR NOT NULL,    -- 2018 | 2018H1 | 2018H2
    period_start   DATE NOT NULL,
    period_end     DATE NOT NULL,       -- exclusive"""

# Columns that mean the same in several datasets, described once.
PERIOD_DOCS: Docs = {
    "period_id": (
        "期间",
        "Period",
        "汇总期间：2018＝全年，2018H1＝上半年，2018H2＝下半年",
        "Period: 2018 year, 2018H1/H2 half-years",
    ),
    "period_start": ("期间开始", "Period start", "期间第一天", "First day of the period"),
    "period_end": ("期间结束", "Period end", "期间结束后的第一天（不含）", "First day after the period (exclusive)"),
}
PEOPLE_DOCS: Docs = {
    "name": ("姓名", "Name", "人员姓名（个人信息，默认隐去名字）", "Person's name (personal; masked by default)"),
    "unit": ("单位/岗位", "Unit", "所在单位或岗位", "Unit or post"),
    "is_enforcement": (
        "执法人员",
        "Enforcement officer",
        "是否行政执法人员",
        "Whether the person is an enforcement officer",
    ),
}
