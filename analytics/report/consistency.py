"""Where the figures disagree: summary sheets against ledgers, reported rates against their counts.

Three sources of findings, each listed with both figures:

- a summary row (``v_dispute_summaries`` / ``v_document_summaries``, and ``v_work_summaries`` for the
  four registers of the whole report) whose count differs from the ledger rows of the same town and
  dates (summary 排查数 487 vs ledger 486): there the ledger's figure is the one used, so the
  summary's is not dropped silently;
- a summary row whose typed rate disagrees with its own counts (2,784/2,872 typed as 96.7%, really
  96.94%): the tolerance is half of the last digit shown (0.05 points for a 1-decimal percentage);
- a summary row for a period whose parts also have rows (2019年上半年 and its two quarters, a year and
  its halves) where the parts add up to another figure: the whole is the one used, so the parts'
  figure is not dropped silently;
- a period whose figures add a summary row for a part the ledger has no rows in (2024年上半年) to the
  ledger's rows of the rest (a ledger kept from July): not a disagreement, but the figure is neither
  the ledger's nor the summary's alone, so which part came from where is said;
- two registers recording the same meetings on different days, and an undated roster's officers a
  dated roster sets aside (``overlaps``);
- the ETL's own warnings (``v_warnings``) for the sheets of the town, e.g. a 合计 row that doesn't
  add up.

Only summary rows that lie inside the period or the same period a year earlier are checked, since
those are the figures the report compares.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from analytics import db, settings
from analytics.present.text import bilingual
from analytics.report import overlaps
from analytics.semantic import coverage
from analytics.semantic import measures as semantic
from analytics.semantic.catalogue import METRICS
from analytics.semantic.measures import Ratio, measure
from analytics.semantic.metrics import filing_days_column
from analytics.semantic.periods import Period, parse
from analytics.semantic.registers import STOCKS

RATE_TOLERANCE = semantic.RATE_TOLERANCE + 1e-9  # with room for floating point


@dataclass(frozen=True)
class Finding:
    """One disagreement: what, where, and both figures."""

    kind: str  # "summary_vs_ledger" | "rate_vs_counts" | "summary_parts" | "summary_and_ledger" | "etl_warning"
    # | "registers_overlap" | "roster_set_aside" (``overlaps``) | "data_stop_early"
    dataset: str  # "disputes" | "documents" | "" for ETL warnings
    town: str | None
    period_id: str | None
    item: str  # 排查数, 调解率, ...
    reported: float | str | None  # the summary sheet's figure (or the warning's value)
    computed: float | None  # the ledger's figure, or the rate from the summary's own counts
    source: str  # file / sheet / row
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        return bilingual(self.message_zh, self.message_en, lang)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# (summary column, the ledger measure counting the same, 中文名, English name)
DISPUTE_FIELDS = tuple(
    (column, measure("disputes", name).sql, measure("disputes", name).zh, measure("disputes", name).en)
    for column, name in (("disputes_total", "total"), ("written", "written"), ("oral", "oral"), ("joint", "joint"),
                         ("success", "success"))
)  # fmt: skip
DOCUMENT_FIELDS = tuple(
    (column, measure("documents", name).sql, measure("documents", name).zh, measure("documents", name).en)
    for column, name in (("issued", "issued"), ("reviewed", "reviewed"), ("published", "published"),
                         ("filed", "filed"), ("filed_timely", "timely"))
)  # fmt: skip


def _typed_rates(dataset: str) -> tuple[tuple[str, str, str, str, str], ...]:
    """(reported rate column, numerator column, denominator column, 中文名, English name) of each
    metric a summary sheet may type as a rate, by the route its declaration gives for summaries."""
    found = []
    for metric in METRICS:
        formula = metric.formula
        if metric.dataset == dataset and isinstance(formula, Ratio) and formula.reported and formula.summary:
            found.append((formula.reported, *formula.summary, metric.label_zh, metric.label_en.lower()))
    return tuple(found)


DISPUTE_RATES = _typed_rates("disputes")
DOCUMENT_RATES = _typed_rates("documents")


def _work_figures() -> dict[str, tuple[tuple[str, str, str, str], ...]]:
    """The work summary sheet's figures by register, as (name, "", 中文名, English name)."""
    from etl.datasets.work_summaries import FIGURES

    return {
        dataset: tuple((name, "", zh, en) for name, _, zh, en, _ in figures) for dataset, figures in FIGURES.items()
    }


def _work_registers() -> list[tuple[str, str, str, tuple[tuple[str, str, str, str], ...]]]:
    """(dataset, view, date column, fields) of each register the work summary sheet gives figures
    for: the figures that are plain counts of the register's rows (not those judged against a due
    date or a period's quarters)."""
    from etl.datasets import DATASETS
    from etl.datasets.work_summaries import FIGURES

    found = []
    for dataset, figures in FIGURES.items():
        declared = semantic.MEASURES[dataset]
        fields = tuple(
            (name, declared[name].sql, declared[name].zh, declared[name].en)
            for name, *_ in figures
            if name in declared and "due_date" not in declared[name].sql and "p." not in declared[name].sql
        )
        found.append((dataset, f"v_{dataset}", str(DATASETS[dataset].dated_by), fields))
    return found


def _work_given() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(dataset, view, date column, the figures a work summary row gives it) of each register."""
    from etl.datasets import DATASETS
    from etl.datasets.work_summaries import FIGURES

    return [
        (dataset, f"v_{dataset}", str(DATASETS[dataset].dated_by), tuple(name for name, *_ in figures))
        for dataset, figures in FIGURES.items()
    ]


def _summary_rows(
    con: duckdb.DuckDBPyConnection, view: str, periods: list[Period], town: str | None
) -> list[dict[str, Any]]:
    clauses = " OR ".join(f"(period_start >= DATE '{p.start}' AND period_end <= DATE '{p.end}')" for p in periods)
    frame = con.execute(
        f"SELECT * FROM {view} WHERE ({clauses}) AND ($town IS NULL OR town = $town) ORDER BY period_start, town, excel_row",
        {"town": town},
    ).df()
    rows: list[dict[str, Any]] = frame.to_dict("records")
    return rows


def _ledger(
    con: duckdb.DuckDBPyConnection,
    table: str,
    date_col: str,
    fields: tuple[tuple[str, str, str, str], ...],
    row: dict[str, Any],
    params: dict[str, Any],
) -> dict[str, Any] | None:
    aggregates = ", ".join(f"{sql} AS {name}" for name, sql, _, _ in fields)
    result = (
        con.execute(
            f"SELECT count(*) AS n_rows, {aggregates} FROM {table} "
            f"WHERE town = $town AND {date_col} >= $start AND {date_col} < $end",
            {"town": row["town"], "start": row["period_start"], "end": row["period_end"], **params},
        )
        .df()
        .to_dict("records")[0]
    )
    return result if result["n_rows"] else None


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _period_label(period_id: str) -> str:
    try:
        return parse(str(period_id)).label("zh")
    except ValueError:
        return str(period_id)


def _where(row: dict[str, Any]) -> str:
    return f"{row['source_file']} / {row['sheet']} / 第{int(row['excel_row'])}行"


def _fmt_count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _check_rows(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    dataset: str,
    table: str,
    date_col: str,
    fields: tuple[tuple[str, str, str, str], ...],
    rates: tuple[tuple[str, str, str, str, str], ...],
    params: dict[str, Any],
) -> list[Finding]:
    findings: list[Finding] = []
    for row in rows:
        where = _where(row)
        label = f"{row['town']}{_period_label(row['period_id'])}"
        ledger = _ledger(con, table, date_col, fields, row, params)
        if ledger is not None:
            for name, _, zh, en in fields:
                reported, counted = _number(row.get(name)), _number(ledger.get(name))
                if reported is None or counted is None or reported == counted:
                    continue
                findings.append(
                    Finding(
                        "summary_vs_ledger",
                        dataset,
                        row["town"],
                        row["period_id"],
                        zh,
                        reported,
                        counted,
                        where,
                        f"{label} {zh}：汇总表{_fmt_count(reported)}，台账{_fmt_count(counted)}（相差{_fmt_count(reported - counted)}；{where}）",
                        f"{row['town']} {row['period_id']} {en}: summary {_fmt_count(reported)}, ledger {_fmt_count(counted)} ({_where_en(where)})",
                    )
                )
        for rate_col, num_col, den_col, zh, en in rates:
            typed, num, den = _number(row.get(rate_col)), _number(row.get(num_col)), _number(row.get(den_col))
            if typed is None or num is None or not den:
                continue
            actual = num / den
            if abs(typed - actual) <= RATE_TOLERANCE:
                continue
            findings.append(
                Finding(
                    "rate_vs_counts",
                    dataset,
                    row["town"],
                    row["period_id"],
                    zh,
                    typed,
                    actual,
                    where,
                    f"{label} {zh}：汇总表填报{typed * 100:.1f}%，按其件数{_fmt_count(num)}/{_fmt_count(den)}计算应为{actual * 100:.2f}%（{where}）",
                    f"{row['town']} {row['period_id']} {en}: typed {typed * 100:.1f}%, its counts {_fmt_count(num)}/{_fmt_count(den)} give {actual * 100:.2f}% ({_where_en(where)})",
                )
            )
    return findings


def _parts(row: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows that tile ``row``'s period for its town, each the longest one inside it (the halves of
    a year, not their quarters too) and of its period the newest load; [] when they don't tile it."""
    inside = [
        r
        for r in rows
        if r["town"] == row["town"]
        and row["period_start"] <= r["period_start"]
        and r["period_end"] <= row["period_end"]
        and (r["period_start"], r["period_end"]) != (row["period_start"], row["period_end"])
    ]
    tiles = _longest_newest(inside)
    ends = [row["period_start"], *(r["period_end"] for r in tiles)]
    if (
        not tiles
        or ends[-1] != row["period_end"]
        or any(r["period_start"] != e for r, e in zip(tiles, ends[:-1], strict=True))
    ):
        return []
    return tiles


def _check_parts(
    rows: list[dict[str, Any]], dataset: str, fields: tuple[tuple[str, str, str, str], ...]
) -> list[Finding]:
    """Each figure of a summary row that its parts' rows add up to differently (the whole is used)."""
    findings: list[Finding] = []
    for row in rows:
        parts = _parts(row, rows)
        if not parts:
            continue
        labels = "、".join(_period_label(p["period_id"]) for p in parts)
        same = all((p["source_file"], p["sheet"]) == (row["source_file"], row["sheet"]) for p in parts)
        rows_of = "、".join(str(int(p["excel_row"])) for p in parts)
        where = (
            f"{_where(row)}，分期第{rows_of}行"
            if same
            else f"{_where(row)}；分期 {'，'.join(_where(p) for p in parts)}"
        )
        for name, _, zh, en in fields:
            whole, each = _number(row.get(name)), [_number(p.get(name)) for p in parts]
            if whole is None or any(n is None for n in each):
                continue
            # a stock (逾期未答复, counted on the last day) is its last part's, never their sum
            added = each[-1] if name in STOCKS else sum(n for n in each if n is not None)
            assert added is not None
            if added == whole:
                continue
            label = f"{row['town']}{_period_label(row['period_id'])}"
            findings.append(
                Finding(
                    "summary_parts",
                    dataset,
                    row["town"],
                    row["period_id"],
                    zh,
                    whole,
                    added,
                    where,
                    f"{label} {zh}：汇总表全期填报{_fmt_count(whole)}，其{labels}"
                    + (
                        f"最后一期（期末存量）为{_fmt_count(added)}"
                        if name in STOCKS
                        else f"各行合计{_fmt_count(added)}"
                    )
                    + f"（相差{_fmt_count(whole - added)}；统计用全期一行；{where}）",
                    f"{row['town']} {row['period_id']} {en}: the summary's row for the whole gives {_fmt_count(whole)}, "
                    f"its parts ({', '.join(str(p['period_id']) for p in parts)}) "
                    + (f"end with {_fmt_count(added)}" if name in STOCKS else f"add up to {_fmt_count(added)}")
                    + f"; the whole is used ({_where_en(where)})",
                )
            )
    return findings


def _day(value: Any) -> date:
    """A DATE read back through pandas (a Timestamp) as a date."""
    return value.date() if isinstance(value, datetime) else value


def _span(
    con: duckdb.DuckDBPyConnection, view: str, date_col: str, town: str, start: date | None, end: date
) -> tuple[int, date, date] | None:
    """(rows, first date, last date) of ``town``'s ledger rows dated from ``start`` (or any time) to
    before ``end``; None without any."""
    found = con.execute(
        f"SELECT count(*), min({date_col}), max({date_col}) FROM {view} "
        f"WHERE town = $town AND {date_col} < $end AND ($start IS NULL OR {date_col} >= $start)",
        {"town": town, "start": start, "end": end},
    ).fetchone()
    return (int(found[0]), found[1], found[2]) if found and found[0] else None


def _gap_parts(
    con: duckdb.DuckDBPyConnection, view: str, date_col: str, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """What ``analytics.semantic.sql.gap_ctes`` reads of one town's summary rows inside a period: those
    whose dates have no ledger row, the longest of them, and of a period the newest load."""
    gaps = [
        r for r in rows if _span(con, view, date_col, r["town"], _day(r["period_start"]), _day(r["period_end"])) is None
    ]
    return _longest_newest(gaps)


def _longest_newest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of summary rows, those inside no longer one (the halves, not their quarters too), each period's of
    the newest load, in date order."""
    longest = [
        r
        for r in rows
        if not any(o["period_start"] <= r["period_start"] and r["period_end"] <= o["period_end"]
                   and (o["period_start"], o["period_end"]) != (r["period_start"], r["period_end"]) for o in rows)
    ]  # fmt: skip
    newest: dict[Any, dict[str, Any]] = {}
    for r in sorted(longest, key=lambda r: (r["load_id"], -r["excel_row"])):
        newest[(r["period_start"], r["period_end"])] = r
    return sorted(newest.values(), key=lambda r: r["period_start"])


def _check_mixed(
    con: duckdb.DuckDBPyConnection,
    rows: list[dict[str, Any]],
    dataset: str,
    view: str,
    date_col: str,
    periods: list[Period],
) -> list[Finding]:
    """Each period and town whose figures are summary parts plus ledger rows, saying which came from where.

    The ledger is kept in a period when it has a row dated in it (a disclosure register: before its
    end, since requests still open are counted then too), as the metric queries read it.
    """
    from etl.datasets import DATASETS

    name_zh, name_en = DATASETS[dataset].name, DATASETS[dataset].view[1].split(":")[0]
    findings: list[Finding] = []
    for period in periods:
        inside = [r for r in rows if period.start <= _day(r["period_start"]) and _day(r["period_end"]) <= period.end]
        for town in sorted({r["town"] for r in inside}):
            since = None if dataset == "disclosures" else period.start
            kept = _span(con, view, date_col, town, since, period.end)
            parts = _gap_parts(con, view, date_col, [r for r in inside if r["town"] == town]) if kept else []
            if not kept or not parts:
                continue
            count, first, last = kept
            labels = "、".join(_period_label(p["period_id"]) for p in parts)
            where = "；".join(_where(p) for p in parts)
            findings.append(
                Finding(
                    "summary_and_ledger",
                    dataset,
                    town,
                    period.id,
                    name_zh,
                    None,
                    None,
                    where,
                    f"{town}{period.label('zh')} {name_zh}：{labels}台账无记录，取汇总表数（{where}）；"
                    f"其余取台账（{first}至{last}，{count}条）；全期数为两者相加"
                    + ("（逾期未答复数是期末存量，取能反映期末的一方）" if dataset == "disclosures" else ""),
                    f"{town} {period.id} {name_en.lower()}: {', '.join(str(p['period_id']) for p in parts)} from the "
                    f"summary sheet, the ledger having no rows then ({_where_en(where).replace('；', '; ')}); the rest from the ledger "
                    f"({count} rows, {first} to {last}); the period's figures add the two",
                )
            )
    return findings


def _where_en(where: str) -> str:
    """ "file / sheet / 第4行" as English writes it: "file / sheet / row 4"."""
    import re

    where = re.sub(r"第([\d、]+)行", lambda m: ("rows " if "、" in m[1] else "row ") + m[1].replace("、", ", "), where)
    return where.replace("，分期", ", parts in ").replace("；分期", "; parts in").replace("，", ", ")


def _etl_warnings(con: duckdb.DuckDBPyConnection, town: str | None, limit: int) -> list[Finding]:
    frame = con.execute(
        """SELECT DISTINCT w.source_file, w.sheet, w.excel_row, w.column_name, w.value, w.message, s.town
           FROM v_warnings w LEFT JOIN load_sheets s ON s.load_id = w.load_id AND s.sheet = w.sheet
           WHERE $town IS NULL OR s.town = $town OR s.town IS NULL
           ORDER BY w.source_file, w.sheet, w.excel_row NULLS FIRST LIMIT $limit""",
        {"town": town, "limit": limit},
    ).df()
    findings = []
    for row in frame.to_dict("records"):
        excel_row = _number(row.get("excel_row"))
        where = f"{row['source_file']} / {row['sheet']}" + (f" / 第{int(excel_row)}行" if excel_row is not None else "")
        column = f"「{row['column_name']}」" if row.get("column_name") else ""
        value = row.get("value")
        findings.append(
            Finding(
                "etl_warning",
                "",
                row.get("town"),
                None,
                str(row.get("column_name") or ""),
                None if value is None else str(value),
                None,
                where,
                f"{row['message']}{column}（{where}）",
                # the load's own note, stored in Chinese when the file was read: named as such
                f"Load warning (as recorded, in Chinese): {row['message']}"
                + (f" [{row['column_name']}]" if row.get("column_name") else "")
                + f" ({_where_en(where)})",
            )
        )
    return findings


def _stopped_early(con: duckdb.DuckDBPyConnection, period: Period, town: str | None, today: date) -> list[Finding]:
    """An ended period judged whole though its data stop before its last month (``coverage.stopped_early``)."""
    last = coverage.stopped_early(con, period, today, town)
    if last is None:
        return []
    label = period.label("zh")
    return [
        Finding(
            "data_stop_early",
            "",
            town,
            period.id,
            label,
            last.isoformat(),
            None,
            "",
            f"{label}的数据只到{last.month}月{last.day}日，此后到期末没有任何记录；数据是期末之后导入的，"
            f"按全期统计（目标按全期评价）。如{last.month}月{last.day}日以后的记录还没有录入，请补录后再用这些数",
            f"{period.label('en')}: the data stop on {last.isoformat()}, with nothing recorded after it to the "
            "period's end; loaded after the period ended, they are read as the whole period (targets judged on it). "
            "If later records have not been entered yet, add them before using these figures",
        )
    ]


def check(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    town: str | None = None,
    warnings_limit: int = 200,
    today: date | None = None,
) -> list[Finding]:
    """Every disagreement that bears on ``period`` (and the same period a year earlier) for a town."""
    periods = [period.previous_year(), period]
    findings = _stopped_early(con, period, town, today or date.today())
    deadline, _ = settings.filing_deadline()
    dispute_rows = _summary_rows(con, "v_dispute_summaries", periods, town)
    findings += _check_parts(dispute_rows, "disputes", DISPUTE_FIELDS)
    findings += _check_rows(
        con,
        dispute_rows,
        "disputes",
        "v_disputes",
        "received_date",
        DISPUTE_FIELDS,
        DISPUTE_RATES,
        {},
    )
    doc_fields = tuple(
        (n, sql.replace("{days}", filing_days_column().removeprefix("d.")), zh, en)
        for n, sql, zh, en in DOCUMENT_FIELDS
    )
    document_rows = _summary_rows(con, "v_document_summaries", periods, town)
    findings += _check_parts(document_rows, "documents", DOCUMENT_FIELDS)
    findings += _check_mixed(con, dispute_rows, "disputes", "v_disputes", "received_date", periods)
    findings += _check_mixed(con, document_rows, "documents", "v_documents", "issued_date", periods)
    findings += _check_rows(
        con,
        document_rows,
        "documents",
        "v_documents",
        "issued_date",
        doc_fields,
        DOCUMENT_RATES,
        {"deadline": deadline},
    )
    if db.has_view(con, "v_work_summaries"):
        rows = _summary_rows(con, "v_work_summaries", periods, town)
        for dataset, figures in _work_figures().items():
            findings += _check_parts(rows, dataset, figures)
        for dataset, view, date_col, fields in _work_registers() if rows else []:
            if db.has_view(con, view):
                findings += _check_rows(con, rows, dataset, view, date_col, fields, (), {})
        for dataset, view, date_col, given in _work_given() if rows else []:
            if db.has_view(con, view):
                mine = [r for r in rows if any(_number(r.get(name)) is not None for name in given)]
                findings += _check_mixed(con, mine, dataset, view, date_col, periods)
    findings += [Finding(**overlap) for overlap in overlaps.findings(con, periods, town)]
    findings += _etl_warnings(con, town, warnings_limit)
    return findings
