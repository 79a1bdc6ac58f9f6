"""Where two registers record the same things and the figure takes one of them: said in 数据核对.

- A 依法行政专题学习会 or 调解员培训 in the work register (``v_events``) and in the training register
  (``v_training``) is one meeting written twice, so each month counts the larger of the two registers'
  counts (``metrics.SESSIONS_WITH_EVENTS``). When the two registers give that kind different days in a
  month, the larger count may be short of the meetings held: said, with both registers' days.
- An undated roster's officers count for a year unless that year's roster lists their unit or name
  (``officers.STAFF``). Those of them the dated roster does not name leave the year's figures: said, with
  the roster that set them aside.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from analytics import db
from analytics.semantic.measures import any_of
from analytics.semantic.periods import Period


def _days(values: list[date]) -> str:
    return "、".join(f"{d.month}月{d.day}日" for d in values)


def _days_en(values: list[date]) -> str:
    return ", ".join(d.isoformat() for d in values)


def _period_of(day: date, periods: list[Period]) -> Period:
    return next(p for p in reversed(periods) if p.start <= day < p.end)


def _records(con: duckdb.DuckDBPyConnection, sql: str, town: str | None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, {"town": town})
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def meetings(con: duckdb.DuckDBPyConnection, periods: list[Period], town: str | None) -> list[dict[str, Any]]:
    """Months of ``periods`` in which both registers record a kind of meeting on different days."""
    if not (db.has_view(con, "v_events") and db.has_view(con, "v_training")):
        return []
    spans = " OR ".join(f"(d >= DATE '{p.start}' AND d < DATE '{p.end}')" for p in periods)
    sql = f"""
    WITH e AS (
        SELECT town, kind, event_date AS d, count(DISTINCT coalesce(description, '')) AS n,
               any_value(source_file) AS source_file
        FROM v_events WHERE ({any_of("events", "study_meetings", "mediator_trainings")}) GROUP BY ALL),
    t AS (
        SELECT town, kind, session_date AS d, count(DISTINCT coalesce(topic, '')) AS n,
               any_value(source_file) AS source_file
        FROM v_training GROUP BY ALL),
    months AS (
        SELECT town, kind, date_trunc('month', d) AS month,
               list(DISTINCT d ORDER BY d) FILTER (WHERE register = 'e') AS work_days,
               list(DISTINCT d ORDER BY d) FILTER (WHERE register = 't') AS training_days,
               coalesce(sum(n) FILTER (WHERE register = 'e'), 0) AS work_n,
               coalesce(sum(n) FILTER (WHERE register = 't'), 0) AS training_n,
               any_value(source_file) FILTER (WHERE register = 'e') AS work_file,
               any_value(source_file) FILTER (WHERE register = 't') AS training_file
        FROM (SELECT 'e' AS register, * FROM e UNION ALL BY NAME SELECT 't' AS register, * FROM t)
        WHERE ({spans}) AND ($town IS NULL OR town = $town)
        GROUP BY ALL)
    SELECT * FROM months
    WHERE work_n > 0 AND training_n > 0 AND work_days <> training_days
    ORDER BY town, month, kind"""
    return _records(con, sql, town)


def set_aside(con: duckdb.DuckDBPyConnection, periods: list[Period], town: str | None) -> list[dict[str, Any]]:
    """The undated rosters' officers a year's own roster sets aside, by year, town, file and unit."""
    if not db.has_view(con, "v_staff"):
        return []
    years = ", ".join(str(y) for y in sorted({p.year for p in periods}))
    sql = f"""
    SELECT y.year, s.town, s.source_file, s.sheet, s.unit, count(DISTINCT s.name) AS officers,
           any_value(d.source_file ORDER BY d.source_file) AS dated_file
    FROM (SELECT unnest([{years}]) AS year) y
    JOIN v_staff s ON s.roster_year IS NULL AND s.is_enforcement AND s.on_duty
    JOIN v_staff d ON d.town = s.town AND d.roster_year = y.year AND coalesce(d.unit, '') = coalesce(s.unit, '')
    WHERE ($town IS NULL OR s.town = $town)
      AND NOT EXISTS (SELECT 1 FROM v_staff n WHERE n.town = s.town AND n.roster_year = y.year AND n.name = s.name)
    GROUP BY ALL ORDER BY y.year, s.town, s.source_file, s.unit"""
    return _records(con, sql, town)


def findings(con: duckdb.DuckDBPyConnection, periods: list[Period], town: str | None) -> list[dict[str, Any]]:
    """Each overlap as the fields of a ``consistency.Finding`` (kind, dataset, town, period, item, figures,
    source, messages)."""
    out = []
    for row in meetings(con, periods, town):
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        taken = max(row["work_n"], row["training_n"])
        zh = (
            f"{month.year}年{month.month}月{row['kind']}：依法行政工作台账记{row['work_n']}次"
            f"（{_days(row['work_days'])}），学法培训台账记{row['training_n']}次（{_days(row['training_days'])}），"
            f"日期不一致。按同一会议两处登记，当月取较大的{taken}次；如是不同的会议，请在另一本台账补记"
        )
        en = (
            f"{month:%Y-%m} {row['kind']}: the work register records {row['work_n']} "
            f"({_days_en(row['work_days'])}), the training register {row['training_n']} "
            f"({_days_en(row['training_days'])}), on different days. Read as the same meetings written twice, "
            f"the month counts the larger, {taken}; if they are different meetings, add them to the other register"
        )
        out.append(
            {
                "kind": "registers_overlap",
                "dataset": "events",
                "town": row["town"],
                "period_id": _period_of(month, periods).id,
                "item": row["kind"],
                "reported": float(row["work_n"]),
                "computed": float(row["training_n"]),
                "source": f"{row['work_file']}；{row['training_file']}",
                "message_zh": zh,
                "message_en": en,
            }
        )
    for row in set_aside(con, periods, town):
        unit = row["unit"] or "（未填单位）"
        where = f"{row['source_file']} / {row['sheet']}"
        zh = (
            f"{row['year']}年执法人员：未注明年份的名册（{where}）中{unit}{row['officers']}人不计入，"
            f"因{row['dated_file']}是{row['year']}年的名册，已列该单位而未列这些人员；如他们仍在岗，请补入该名册"
        )
        en = (
            f"{row['year']} enforcement officers: {row['officers']} of {unit} in an undated roster ({where}) "
            f"are not counted, since {row['dated_file']}, the {row['year']} roster, lists that unit without them; "
            "if they are still on duty, add them to it"
        )
        out.append(
            {
                "kind": "roster_set_aside",
                "dataset": "staff",
                "town": row["town"],
                "period_id": str(row["year"]),
                "item": unit,
                "reported": float(row["officers"]),
                "computed": None,
                "source": where,
                "message_zh": zh,
                "message_en": en,
            }
        )
    return out
