"""Queries of the normative-documents page (规范性文件): the four rates by year and the documents
that miss any of them.

Rates come from ``metrics.compute`` (summary-sheet years included and marked reported). Timely
filing uses the deadline in settings, counted in calendar or working days as
``metrics.filing_days_column()`` says, so the page and the scorecard can never disagree.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import settings
from analytics.queries import first_year, metric_series, nones, run, same_periods
from analytics.semantic.metrics import filing_days_column
from analytics.semantic.periods import Period

SOURCES = [("v_documents", "issued_date"), ("v_document_summaries", "period_start")]
RATE_METRICS = [
    "document_review_rate",
    "document_publication_rate",
    "document_filing_rate",
    "document_timely_filing_rate",
]
# Order of the missing requirements as written in the list (审查, 公开, 备案, 及时备案).
REQUIREMENTS = ["review", "publication", "filing", "timely_filing"]


def rates_by_year(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """Issued count and the four rates for the period and the same period of earlier years (long).

    Columns: period_id, year, metric_id, value, numerator, denominator, source, reported, target
    (1.0 for every rate). Years before any data are left out; a gap year stays with value None.
    """
    periods = same_periods(period, first_year(con, SOURCES, town))
    long = metric_series(con, periods, town, ["documents_issued", *RATE_METRICS])
    present = long.groupby("year")["value"].apply(lambda s: s.notna().any())
    first_with_data = next((y for y, ok in present.items() if ok), period.year)
    long = long[long["year"] >= first_with_data].reset_index(drop=True)
    return nones(long, ["value", "numerator", "denominator", "source", "target"])


SHORTFALLS_SQL = """
SELECT doc_no, title, issued_date, reviewed, published, filed, filed_date,
       {days_column} AS filing_days,
       filed AND coalesce({days_column} BETWEEN 0 AND $deadline, false) AS timely,
       CASE WHEN filed AND {days_column} > $deadline THEN {days_column} - $deadline END AS days_late,
       CASE WHEN NOT filed THEN date_diff('day', issued_date, $as_of) END AS days_unfiled,
       status, town, source_file, sheet, excel_row
FROM v_documents d
WHERE issued_date >= $start AND issued_date < $end AND ($town IS NULL OR town = $town)
  AND NOT (reviewed AND published AND filed AND coalesce({days_column} BETWEEN 0 AND $deadline, false))
ORDER BY issued_date, doc_no, excel_row
"""


def shortfalls(con: duckdb.DuckDBPyConnection, period: Period, town: str | None, as_of: object = None) -> pd.DataFrame:
    """Documents issued in the period that miss review, publication, filing or timely filing.

    Columns: doc_no, title, issued_date, reviewed, published, filed, filed_date, filing_days (in the
    deadline's kind of days), timely, days_late (filed after the deadline: by how many days),
    days_unfiled (not filed: calendar days from issue to ``as_of``, default the period's end),
    missing (list of ``REQUIREMENTS`` codes), deadline_days, deadline_kind, status, town,
    source_file, sheet, excel_row.
    """
    deadline, kind = settings.filing_deadline()
    sql = SHORTFALLS_SQL.replace("{days_column}", filing_days_column())
    frame = run(
        con,
        sql,
        {"start": period.start, "end": period.end, "town": town, "deadline": deadline, "as_of": as_of or period.end},
    )
    frame["missing"] = [
        [code for code, ok in zip(REQUIREMENTS, (r, p, f, t), strict=True) if not ok]
        for r, p, f, t in zip(
            frame["reviewed"], frame["published"], frame["filed"], frame["timely"].fillna(False), strict=True
        )
    ]
    frame["deadline_days"] = deadline
    frame["deadline_kind"] = kind
    return nones(frame, ["filed_date", "filing_days", "days_late", "days_unfiled", "doc_no", "status"])


def counts(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> pd.DataFrame:
    """How many documents in the period miss each requirement (one row per requirement).

    Columns: requirement, missing, issued, shortfalls (documents missing any: the rows of ``shortfalls``).
    """
    sql = """
    SELECT count(*) AS issued,
           count(*) FILTER (WHERE NOT (reviewed AND published AND filed AND {days_column} IS NOT NULL
                                       AND {days_column} <= $deadline)) AS shortfalls,
           count(*) FILTER (WHERE NOT reviewed) AS review,
           count(*) FILTER (WHERE NOT published) AS publication,
           count(*) FILTER (WHERE NOT filed) AS filing,
           count(*) FILTER (WHERE NOT (filed AND coalesce({days_column} BETWEEN 0 AND $deadline, false))) AS timely_filing
    FROM v_documents d
    WHERE issued_date >= $start AND issued_date < $end AND ($town IS NULL OR town = $town)
    """.replace("{days_column}", filing_days_column())
    deadline, _ = settings.filing_deadline()
    row = run(con, sql, {"start": period.start, "end": period.end, "town": town, "deadline": deadline}).iloc[0]
    issued = int(row["issued"])
    return pd.DataFrame(
        [
            {"requirement": code, "missing": int(row[code]), "issued": issued, "shortfalls": int(row["shortfalls"])}
            for code in REQUIREMENTS
        ]
    )
