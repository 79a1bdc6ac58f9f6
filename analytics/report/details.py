"""The rows behind the report's sentences: which document, officer, request or matter missed a target,
and the few dated facts a sentence names (the last 规范性文件清理, the quarters with a 季度督导).

``gather(con, period, town, card)`` asks only for what the scorecard says is needed (a missed target's
rows, a fact whose metric has data), so a warehouse without a register is never asked about it.
Personal fields (officers' names) are masked by ``analytics.adhoc.dictionary.mask_personal`` as the
pages mask them, unless an admin chose to see them: the report says who, the way the pages do.
The text writers (``analytics.report.text``) turn these plain records into sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from analytics.adhoc import dictionary
from analytics.queries import cases as case_queries
from analytics.queries import disclosures as disclosure_queries
from analytics.queries import documents as document_queries
from analytics.queries import mediation as mediation_queries
from analytics.queries import run
from analytics.queries import training as training_queries
from analytics.queries import work as work_queries
from analytics.semantic.measures import condition
from analytics.semantic.periods import Period

Record = dict[str, Any]
LIST_LIMIT = 10  # rows named in one sentence; more are counted ("等N件")
DOCUMENT_METRICS = (
    "document_review_rate",
    "document_publication_rate",
    "document_filing_rate",
    "document_timely_filing_rate",
)


@dataclass(frozen=True)
class Details:
    """Plain records for the text writers; empty where nothing is missed or the register is absent."""

    documents: tuple[Record, ...] = ()  # doc_no, title, issued_date, missing, days_late, days_unfiled, town
    certificates: tuple[Record, ...] = ()  # name (masked), unit, cert_valid_until, status (expired|none), town
    expiring: int = 0  # certificates valid at the period's end but expiring within the warning days
    below_hours: tuple[Record, ...] = ()  # name (masked), unit, hours, target, town
    untrained: tuple[Record, ...] = ()  # name (masked), unit, town
    late_requests: tuple[Record, ...] = ()  # received_date, reply_date, due_date, days_late, content, town
    overdue_requests: tuple[Record, ...] = ()  # received_date, due_date, content, town (open past the limit)
    unreviewed: tuple[Record, ...] = ()  # matter, matter_kind, matter_date, reviewed (after the decision), town
    head_absent: tuple[Record, ...] = ()  # case_no, cause, hearing_date, town
    not_complied: tuple[Record, ...] = ()  # case_no, cause, town
    escalated: tuple[Record, ...] = ()  # received_date, village, category, town
    quarters_missed: tuple[int, ...] = ()  # quarters of the period without a 季度督导
    last_cleanup: date | None = None  # the last 规范性文件清理 up to the period's end
    adviser_reviews: int | None = None  # matters of the period reviewed by the legal adviser (法律顾问)
    undated_replies: int = 0  # requests of the period answered on a day not written down (not judged)
    earlier_litigation: Record | None = None  # received before the period, first instance concluded in it:
    # concluded, lost, not_complied (the case figures count cases by the day received)
    extra: dict[str, Any] = field(default_factory=dict)


def _records(frame: pd.DataFrame, columns: list[str]) -> tuple[Record, ...]:
    if frame is None or frame.empty:
        return ()
    kept = [c for c in columns if c in frame.columns]
    rows = frame[kept].astype(object).where(frame[kept].notna(), None).to_dict("records")
    return tuple({k: _plain(v) for k, v in row.items()} for row in rows)


def _plain(value: Any) -> Any:
    """Timestamps as dates (sentences write 2020年3月5日), numpy numbers as Python numbers."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value


def _status(card: dict[str, Any], metric_id: str) -> str | None:
    row = card["metrics"].get(metric_id) or {}
    return row.get("status")


def _has_value(card: dict[str, Any], metric_id: str) -> bool:
    row = card["metrics"].get(metric_id) or {}
    return row.get("value") is not None


def _view_exists(con: duckdb.DuckDBPyConnection, view: str) -> bool:
    row = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = $v", {"v": view}).fetchone()
    return bool(row and row[0])


def _quarters(period: Period) -> list[int]:
    first = (period.start.month - 1) // 3 + 1
    return list(range(first, first + period.months // 3))


def quarters_missed(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> tuple[int, ...]:
    """The period's quarters with no 季度督导 (the work register's own measure of one)."""
    sql = f"""SELECT DISTINCT quarter(event_date) AS q FROM v_events
              WHERE ({condition("events", "supervisions")}) AND event_date >= $start AND event_date < $end
                AND ($town IS NULL OR town = $town)"""
    covered = {int(q) for q in run(con, sql, {"start": period.start, "end": period.end, "town": town})["q"]}
    return tuple(q for q in _quarters(period) if q not in covered)


def last_cleanup(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> date | None:
    """The date of the last 规范性文件清理 up to the period's end (None when the register holds none)."""
    sql = f"""SELECT max(event_date) AS d FROM v_events
              WHERE ({condition("events", "cleanups")}) AND event_date < $end AND ($town IS NULL OR town = $town)"""
    value = run(con, sql, {"end": period.end, "town": town})["d"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def adviser_reviews(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> int | None:
    """How many of the period's matters the legal adviser (法律顾问) reviewed; None when none has a reviewer."""
    sql = """SELECT count(*) FILTER (WHERE reviewer LIKE '%法律顾问%' AND reviewed) AS adviser, count(reviewer) AS named
             FROM v_legality_reviews
             WHERE matter_date >= $start AND matter_date < $end AND ($town IS NULL OR town = $town)"""
    row = run(con, sql, {"start": period.start, "end": period.end, "town": town}).iloc[0]
    return int(row["adviser"]) if int(row["named"]) else None


def earlier_litigation(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> Record | None:
    """Lawsuits received before the period whose first instance was concluded in it (by 结案日期): the
    period's case figures count the cases it received, so these are said beside them; None if none."""
    sql = f"""SELECT count(*) AS concluded, count(*) FILTER (WHERE {condition("cases", "lost")}) AS lost,
                     count(*) FILTER (WHERE complied = false) AS not_complied
              FROM v_cases
              WHERE ({condition("cases", "first_instance_concluded")}) AND received_date < $start
                AND closed_date >= $start AND closed_date < $end AND ($town IS NULL OR town = $town)"""
    row = run(con, sql, {"start": period.start, "end": period.end, "town": town}).iloc[0]
    return {k: int(row[k]) for k in ("concluded", "lost", "not_complied")} if int(row["concluded"]) else None


def _documents(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> tuple[Record, ...]:
    frame = document_queries.shortfalls(con, period, town)
    return _records(frame, ["doc_no", "title", "issued_date", "missing", "days_late", "days_unfiled", "town"])


def _certificates(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> tuple[tuple[Record, ...], int]:
    frame = training_queries.certificates(con, period, town)
    expiring = int((frame["status"] == "expiring").sum()) if not frame.empty else 0
    lacking = dictionary.mask_personal(frame[frame["status"].isin(["expired", "none"])])
    return _records(lacking, ["name", "unit", "cert_valid_until", "status", "town"]), expiring


def _officers(con: duckdb.DuckDBPyConnection, period: Period, town: str | None, which: str) -> tuple[Record, ...]:
    frame = training_queries.officers(con, period, town)
    chosen = frame[frame["below"]] if which == "below" else frame[frame["trained"].eq(False)]
    return _records(dictionary.mask_personal(chosen), ["name", "unit", "hours", "target", "town"])


def _requests(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> tuple[Record, ...]:
    frame = disclosure_queries.requests(con, period, town)
    if frame.empty:
        return ()
    late = frame[frame["late"].astype(bool) & frame["reply_date"].notna()]
    return _records(late, ["received_date", "reply_date", "due_date", "days_late", "content", "town"])


def _undated(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> int:
    frame = disclosure_queries.requests(con, period, town)
    return 0 if frame.empty else int(frame["undated"].sum())


def _overdue(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> tuple[Record, ...]:
    frame = disclosure_queries.open_requests(con, period.end - timedelta(days=1), town)
    if frame.empty:
        return ()
    return _records(frame[frame["overdue"].astype(bool)], ["received_date", "due_date", "content", "town"])


def _cases(con: duckdb.DuckDBPyConnection, period: Period, town: str | None, which: str) -> tuple[Record, ...]:
    frame = case_queries.cases(con, period, town)
    if frame.empty:
        return ()
    litigation = frame[frame["case_type"] == "litigation"]
    if which == "head":
        # as the rate counts them: a hearing held where the register does not say a head appeared
        chosen = litigation[litigation["heard"].astype(bool) & (litigation["head_appeared"] != True)]  # noqa: E712
    else:
        chosen = frame[frame["complied"] == False]  # noqa: E712
    return _records(chosen, ["case_no", "cause", "hearing_date", "town"])


def _escalated(con: duckdb.DuckDBPyConnection, period: Period, town: str | None) -> tuple[Record, ...]:
    frame = mediation_queries.flagged(con, period, town)
    if frame.empty or "escalated" not in frame.columns:
        return ()
    escalated = frame["escalated"].eq(True).fillna(False).astype(bool)  # NULL: a ledger without the column
    return _records(frame[escalated], ["received_date", "village", "category", "town"])


def gather(con: duckdb.DuckDBPyConnection, period: Period, town: str | None, card: dict[str, Any]) -> Details:
    """What the report names for a period: the rows behind each missed target and the dated facts."""
    missed = {k for k in card["metrics"] if _status(card, k) == "missed"}
    found: dict[str, Any] = {}
    if missed & set(DOCUMENT_METRICS):
        found["documents"] = _documents(con, period, town)
    if "certification_rate" in missed:
        found["certificates"], found["expiring"] = _certificates(con, period, town)
    elif _has_value(card, "certification_rate"):
        found["expiring"] = _certificates(con, period, town)[1]
    if "study_hours_compliance_rate" in missed:
        found["below_hours"] = _officers(con, period, town, "below")
    if "training_rate" in missed:
        found["untrained"] = _officers(con, period, town, "untrained")
    if "disclosure_on_time_rate" in missed:
        found["late_requests"] = _requests(con, period, town)
    if _has_value(card, "disclosure_requests") and _view_exists(con, "v_disclosures"):
        found["undated_replies"] = _undated(con, period, town)
    if _has_value(card, "litigation_cases") and _view_exists(con, "v_cases"):
        found["earlier_litigation"] = earlier_litigation(con, period, town)
    if "disclosure_overdue" in missed:
        found["overdue_requests"] = _overdue(con, period, town)
    if missed & {"major_decision_review_rate", "contract_review_rate"}:
        found["unreviewed"] = _records(
            work_queries.unreviewed(con, period, town), ["matter", "matter_kind", "matter_date", "reviewed", "town"]
        )
    if "head_appearance_rate" in missed:
        found["head_absent"] = _cases(con, period, town, "head")
    if "judgment_compliance_rate" in missed:
        found["not_complied"] = _cases(con, period, town, "complied")
    if "disputes_escalated" in missed:
        found["escalated"] = _escalated(con, period, town)
    if _has_value(card, "supervision_quarters_covered") and _view_exists(con, "v_events"):
        found["quarters_missed"] = quarters_missed(con, period, town)
    if _has_value(card, "document_cleanup_due") and _view_exists(con, "v_events"):
        found["last_cleanup"] = last_cleanup(con, period, town)
    if _view_exists(con, "v_legality_reviews") and (
        _has_value(card, "major_decision_review_rate") or _has_value(card, "contract_review_rate")
    ):
        found["adviser_reviews"] = adviser_reviews(con, period, town)
    return Details(**found)
