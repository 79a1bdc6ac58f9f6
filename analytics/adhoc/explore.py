"""The pivot behind 自助分析: filter a dataset, group by up to two columns, count, sum or take a rate.

Every identifier written into SQL comes from the ``DATASETS`` declarations below (a whitelist);
every value the user chose is a bound parameter. Filters compare the column's text form
(``CAST(col AS VARCHAR)``), so values from a URL ("true", "2020-03") work for any column type.
Detail rows are masked (王小明 → 王**) unless the person acting may see them (``analytics.access``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics import access
from analytics.adhoc import dictionary
from analytics.present.text import bilingual, text
from analytics.semantic.catalogue import get as get_metric
from analytics.semantic.measures import Ratio, any_of, condition
from analytics.semantic.periods import Period
from etl.datasets import DATASETS as REGISTRY
from etl.datasets.base import Pivot, Share

MAX_GROUPS = 2
TOTAL = "__total__"  # the crosstab's 合计 row and column
DETAIL_LIMIT = 5_000
OPTIONS_LIMIT = 500
Measure = str | tuple[str, str]  # "count" | ("sum", column) | ("rate", rate id)

# Groupings derived from a dataset's date column: id -> (SQL template, zh, en).
DERIVED: dict[str, tuple[str, str, str]] = {
    "year": ("CAST(year({date}) AS VARCHAR)", "年份", "Year"),
    "half": (
        "CAST(year({date}) AS VARCHAR) || (CASE WHEN month({date}) <= 6 THEN 'H1' ELSE 'H2' END)",
        "半年",
        "Half-year",
    ),
    "quarter": ("CAST(year({date}) AS VARCHAR) || 'Q' || CAST(quarter({date}) AS VARCHAR)", "季度", "Quarter"),
    "month": ("strftime({date}, '%Y-%m')", "月份", "Month"),
}


@dataclass(frozen=True)
class Years:
    """A range of whole years (2016–2025): 自助分析 asks across years, not within the sidebar's period."""

    first: int
    last: int

    @property
    def start(self) -> date:
        return date(self.first, 1, 1)

    @property
    def end(self) -> date:
        """First day after the range."""
        return date(self.last + 1, 1, 1)

    @property
    def id(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


Span = Period | Years


@dataclass(frozen=True)
class Rate:
    """A rate measure: rows meeting ``numerator`` among rows meeting ``denominator`` (SQL conditions)."""

    numerator: str
    denominator: str
    zh: str
    en: str


def _ratio(metric_id: str) -> Rate:
    """A catalogue ratio as the pivot computes it over rows: its measures' conditions (a ratio of
    measures counted over the same view), labelled as the metric."""
    metric = get_metric(metric_id)
    formula = metric.formula
    assert isinstance(formula, Ratio)
    return Rate(
        condition(metric.dataset, formula.numerator),
        any_of(metric.dataset, *formula.denominator),
        metric.label_zh,
        metric.label_en,
    )


def _flag(column: str, zh: str, en: str) -> Rate:
    """The share of rows where a boolean column is true, among rows where it is filled."""
    return Rate(column, f"{column} IS NOT NULL", zh, en)


@dataclass(frozen=True)
class Dataset:
    """One ledger the staff can pivot: its view, period column and whitelisted columns."""

    id: str
    view: str
    zh: str
    en: str
    date_column: str | None  # rows in the period: date_column in [start, end)
    year_column: str | None = None  # or, for a roster: year_column = period year or NULL (every year)
    columns: tuple[str, ...] = ()  # stored columns to filter and group by
    sums: tuple[str, ...] = ()  # numeric columns to sum
    rates: dict[str, Rate] = field(default_factory=dict)
    detail: tuple[str, ...] = ()  # columns of the detail rows

    def label(self, lang: str = "zh") -> str:
        return bilingual(self.zh, self.en, lang)

    @property
    def derived(self) -> tuple[str, ...]:
        return tuple(DERIVED) if self.date_column else ()

    def dimensions(self, show_personal: bool | None = None) -> tuple[str, ...]:
        """Columns that can be filtered and grouped (personal ones only when the setting allows)."""
        show = access.personal_visible() if show_personal is None else show_personal
        stored = tuple(c for c in self.columns if show or not dictionary.is_personal(c))
        return self.derived + stored

    def expression(self, column: str) -> str:
        """The SQL of a whitelisted dimension; ValueError for anything else."""
        if column in self.derived and self.date_column:
            return DERIVED[column][0].format(date=self.date_column)
        if column in self.columns:
            return column
        raise ValueError(f"{self.zh}没有可用的列：{column}")


def _share(dataset: str, share: Share) -> Rate:
    """A share a dataset module declares (``etl.datasets.base.Share``), as SQL conditions over its view."""
    if share.form == "metric":
        return _ratio(share.numerator)
    zh, en = share.label
    if share.form == "flag":
        return _flag(share.numerator, zh, en)
    if share.form == "measures":
        return Rate(condition(dataset, share.numerator), any_of(dataset, *share.denominator.split("|")), zh, en)
    return Rate(share.numerator, share.denominator, zh, en)


def _pivotable(table: str, pivot: Pivot, dated_by: str | None) -> Dataset:
    return Dataset(
        table,
        f"v_{table}",
        *pivot.label,
        None if pivot.year_column else dated_by,
        year_column=pivot.year_column,
        columns=pivot.columns,
        sums=pivot.sums,
        rates={key: _share(table, share) for key, share in pivot.shares.items()},
        detail=pivot.detail,
    )


# Every dataset whose module declares a pivot (``etl.datasets``), in the registry's order.
DATASETS: dict[str, Dataset] = {
    table: _pivotable(table, ds.pivot, ds.dated_by) for table, ds in REGISTRY.items() if ds.pivot is not None
}


def datasets() -> list[Dataset]:
    """The datasets in the order the page offers them."""
    return list(DATASETS.values())


def get(dataset: str | Dataset) -> Dataset:
    if isinstance(dataset, Dataset):
        return dataset
    if dataset not in DATASETS:
        raise ValueError(f"未知的数据集：{dataset}")
    return DATASETS[dataset]


def column_label(ds: Dataset, column: str, lang: str = "zh") -> str:
    """受理日期 / Received for stored columns, 月份 / Month for derived ones."""
    if column in DERIVED:
        return bilingual(DERIVED[column][1], DERIVED[column][2], lang)
    return dictionary.label(column, lang, ds.view)


# ----- measures ----------------------------------------------------------------------------------


def parse_measure(text: str) -> Measure:
    """ "count", "sum:amount", "rate:success" (as kept in the URL) → a measure."""
    if text == "count":
        return "count"
    kind, _, column = text.partition(":")
    if kind in ("sum", "rate") and column:
        return (kind, column)
    raise ValueError(f"无法识别的统计方式：{text}")


def measure_id(measure: Measure) -> str:
    return measure if isinstance(measure, str) else f"{measure[0]}:{measure[1]}"


def measures(dataset: str | Dataset, lang: str = "zh") -> dict[str, str]:
    """Measure ids of a dataset and their labels: 件数, 合计：涉及金额, 调解成功率 …"""
    ds = get(dataset)
    found = {"count": text("explore.measure.count", lang)}
    for column in ds.sums:
        found[f"sum:{column}"] = text("explore.measure.sum", lang, name=column_label(ds, column, lang))
    for rate_id, rate in ds.rates.items():
        found[f"rate:{rate_id}"] = bilingual(rate.zh, rate.en, lang)
    return found


def _measure_sql(ds: Dataset, measure: Measure, period: Span | None) -> tuple[str, list[str]]:
    """SELECT items of a measure and the names of its value columns.

    ``{period_end}`` in a rate's condition becomes the last day of the period (a date we generate,
    never user text), or today when no period is chosen.
    """
    if measure == "count":
        return "count(*) AS value", ["value"]
    if isinstance(measure, tuple) and measure[0] == "sum" and measure[1] in ds.sums:
        return f"sum({measure[1]}) AS value", ["value"]
    if isinstance(measure, tuple) and measure[0] == "rate" and measure[1] in ds.rates:
        rate = ds.rates[measure[1]]
        end = f"DATE '{(period.end - timedelta(days=1)).isoformat()}'" if period else "current_date"
        numerator, denominator = (c.replace("{period_end}", end) for c in (rate.numerator, rate.denominator))
        return (
            f"count(*) FILTER (WHERE ({denominator}) AND ({numerator})) AS numerator, "
            f"count(*) FILTER (WHERE {denominator}) AS denominator, "
            "numerator / nullif(denominator, 0) AS value",
            ["numerator", "denominator", "value"],
        )
    raise ValueError(f"{ds.zh}不能使用该统计方式：{measure}")


# ----- filters -----------------------------------------------------------------------------------


def _where(
    ds: Dataset, period: Span | None, town: str | None, filters: dict[str, list[Any]] | None
) -> tuple[str, list[Any]]:
    """The WHERE clause (whitelisted identifiers, bound values) and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if period is not None and ds.date_column:
        clauses.append(f"{ds.date_column} >= ? AND {ds.date_column} < ?")
        params += [period.start, period.end]
    elif period is not None and ds.year_column:
        first, last = (period.first, period.last) if isinstance(period, Years) else (period.year, period.year)
        clauses.append(f"({ds.year_column} IS NULL OR {ds.year_column} BETWEEN ? AND ?)")
        params += [first, last]
    if town:
        clauses.append("town = ?")
        params.append(town)
    allowed = ds.dimensions()
    for column, values in (filters or {}).items():
        if not values:
            continue
        if column not in allowed:
            raise ValueError(f"{ds.zh}不能按该列筛选：{column}")
        expr = ds.expression(column)
        texts = [str(v).lower() if isinstance(v, bool) else str(v) for v in values if v is not None]
        parts = []
        if texts:
            parts.append(f"CAST({expr} AS VARCHAR) IN ({', '.join('?' for _ in texts)})")
            params += texts
        if any(v is None for v in values):
            parts.append(f"{expr} IS NULL")
        clauses.append("(" + " OR ".join(parts) + ")")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> pd.DataFrame:
    cur = con.cursor()
    try:
        return cur.execute(sql, params).df()
    finally:
        cur.close()


# ----- public queries ----------------------------------------------------------------------------


def pivot(
    con: duckdb.DuckDBPyConnection,
    dataset: str | Dataset,
    period: Span | None,
    town: str | None,
    filters: dict[str, list[Any]] | None = None,
    group_by: list[str] | None = None,
    measure: Measure = "count",
) -> pd.DataFrame:
    """Rows of a dataset in a period and town, filtered, grouped by ≤ 2 columns and measured.

    Returns one row per group: the group columns (stored values: written, True, 2020-03), then
    ``value`` — preceded by ``numerator`` and ``denominator`` for a rate, whose value is None when
    the denominator is 0. With no grouping, one row for the whole selection.
    """
    ds = get(dataset)
    groups = list(dict.fromkeys(group_by or []))
    if len(groups) > MAX_GROUPS:
        raise ValueError(f"最多按 {MAX_GROUPS} 列分组")
    allowed = ds.dimensions()
    for column in groups:
        if column not in allowed:
            raise ValueError(f"{ds.zh}不能按该列分组：{column}")
    measure_sql, value_columns = _measure_sql(ds, measure, period)
    where, params = _where(ds, period, town, filters)
    selected = [f'{ds.expression(c)} AS "{c}"' for c in groups]
    sql = f"SELECT {', '.join([*selected, measure_sql])} FROM {ds.view}{where}"
    if groups:
        positions = ", ".join(f"{i + 1} ASC NULLS LAST" for i in range(len(groups)))
        sql += f" GROUP BY {', '.join(str(i + 1) for i in range(len(groups)))} ORDER BY {positions}"
    frame = _run(con, sql, params)
    if isinstance(measure, tuple) and measure[0] == "rate":
        frame["value"] = frame["value"].astype("object").where(frame["value"].notna(), None)
    return frame[[*groups, *value_columns]]


def rows(
    con: duckdb.DuckDBPyConnection,
    dataset: str | Dataset,
    period: Span | None,
    town: str | None,
    filters: dict[str, list[Any]] | None = None,
    limit: int = DETAIL_LIMIT,
    show_personal: bool | None = None,
) -> pd.DataFrame:
    """The filtered detail rows (personal fields masked unless the setting allows), oldest first.

    ``frame.attrs["truncated"]`` says whether more than ``limit`` rows matched.
    """
    ds = get(dataset)
    where, params = _where(ds, period, town, filters)
    order = ds.date_column or "town"
    sql = (
        f"SELECT {', '.join(ds.detail)} FROM {ds.view}{where} "
        f"ORDER BY {order}, source_file, sheet, excel_row LIMIT {int(limit) + 1}"
    )
    frame = _run(con, sql, params)
    truncated = len(frame) > limit
    frame = dictionary.mask_personal(frame.iloc[:limit].reset_index(drop=True), show_personal)
    frame.attrs["truncated"] = truncated
    return frame


def options(
    con: duckdb.DuckDBPyConnection,
    dataset: str | Dataset,
    column: str,
    period: Span | None,
    town: str | None,
    limit: int = OPTIONS_LIMIT,
) -> list[Any]:
    """Distinct values of a dimension in the period and town, for a filter's choices (None last)."""
    ds = get(dataset)
    if column not in ds.dimensions():
        raise ValueError(f"{ds.zh}不能按该列筛选：{column}")
    where, params = _where(ds, period, town, None)
    expr = ds.expression(column)
    sql = f"SELECT DISTINCT {expr} AS v FROM {ds.view}{where} ORDER BY v NULLS LAST LIMIT {int(limit)}"
    cur = con.cursor()
    try:
        return [None if pd.isna(v) else v for (v,) in cur.execute(sql, params).fetchall()]
    finally:
        cur.close()


def crosstab(frame: pd.DataFrame, row: str, column: str, rate: bool = False) -> dict[str, pd.DataFrame]:
    """A two-way pivot (``pivot`` grouped by ``[row, column]``) as a real crosstab: rows × columns
    with a total row and column (``TOTAL``). Empty groups are the key ``None``.

    Returns ``{"value": …}`` and, for a rate, ``"numerator"`` and ``"denominator"`` of the same
    shape; a rate's totals are the rate of the summed counts, never a sum or mean of rates. Rows
    are ordered by their total, largest first, unless they are periods (years, months), which
    keep time order; columns keep the pivot's order.
    """
    blank = "\x00"  # pandas drops None keys in a pivot; a stand-in that no stored value equals
    data = frame.assign(
        **{row: frame[row].where(frame[row].notna(), blank), column: frame[column].where(frame[column].notna(), blank)}
    )
    columns = list(dict.fromkeys(data[column]))
    parts = ("numerator", "denominator") if rate else ("value",)
    wide = {
        part: data.pivot_table(index=row, columns=column, values=part, aggfunc="sum", sort=False, dropna=False)
        .reindex(columns=columns)
        .astype(float)
        for part in parts
    }
    for part, table in wide.items():
        table[TOTAL] = table.sum(axis=1, min_count=1)
        table.loc[TOTAL] = table.sum(axis=0, min_count=1)
        wide[part] = table
    if rate:
        wide["value"] = wide["numerator"] / wide["denominator"].where(wide["denominator"] > 0)
    order = list(wide["value"].index.drop(TOTAL))
    if row not in DERIVED:
        order.sort(key=lambda key: -(wide["value" if not rate else "denominator"].loc[key, TOTAL] or 0))
    order.append(TOTAL)
    result = {}
    for part, table in wide.items():
        table = table.reindex(order)
        table = table.rename(index=lambda k: None if k == blank else k, columns=lambda k: None if k == blank else k)
        result[part] = table.astype(object).where(table.notna(), None)
    return result


def with_labels(frame: pd.DataFrame, dataset: str | Dataset, lang: str = "zh") -> pd.DataFrame:
    """A pivot or detail frame for people: values in words (书面调解, 是) and column labels as headers."""
    ds = get(dataset)
    shown = frame.copy()
    for column in shown.columns:
        if column in ds.columns and column not in ("source_file", "sheet"):
            present = [v for v in shown[column] if v is not None and not pd.isna(v)]
            if column in dictionary.VALUE_LABELS or (present and all(isinstance(v, (bool, np.bool_)) for v in present)):
                shown[column] = [dictionary.value_label(column, v, lang) for v in shown[column]]
    names = {c: column_label(ds, c, lang) for c in shown.columns if c not in ("value", "numerator", "denominator")}
    names.update(
        {"numerator": text("report.xlsx.numerator", lang), "denominator": text("report.xlsx.denominator", lang)}
    )
    return shown.rename(columns=names)
