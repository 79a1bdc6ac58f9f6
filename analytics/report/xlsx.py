"""The pack as an Excel workbook (openpyxl).

Sheets: 指标 (the scorecard with counts, change and status), one 年度趋势 sheet per dataset (a row
per like-for-like period), the period's underlying rows (明细-矛盾纠纷 with parties masked unless
an admin chose to see them, 明细-规范性文件, 明细-学法培训) and 数据核对 (the consistency
findings). Rates are stored as fractions with the ``0.0%`` format, headers are frozen and columns
sized to their contents.

Every cell goes through ``put``, which writes it through ``analytics.present.safe``: a document
title such as "=1+1" or "@SUM(A1)" is stored as the text "'=1+1", never a formula, and a control
character a ledger carried is dropped instead of failing the whole workbook.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.adhoc import dictionary
from analytics.present import fmt
from analytics.present.safe import put
from analytics.present.text import Language, language
from analytics.queries.documents import RATE_METRICS
from analytics.queries.training import STAFF_METRICS
from analytics.report.pack import Pack
from analytics.semantic.catalogue import METRICS

PERCENT = "0.0%"
POINTS = "+0.0;-0.0;0.0"
COUNT = "#,##0"
DECIMAL = "#,##0.0"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
MISSED_FONT = Font(color="C62828", bold=True)
MAX_WIDTH = 60

SHEETS = (
    "scorecard",
    "disputes",
    "documents",
    "training",
    "rows_disputes",
    "rows_documents",
    "rows_training",
    "consistency",
)  # report.sheet.* keys
SCORECARD_COLUMNS = (
    "metric",
    "id",
    "unit",
    "value",
    "numerator",
    "denominator",
    "previous",
    "change",
    "change_pct",
    "change_pp",
    "target",
    "status",
    "source",
)  # report.xlsx.* keys
FINDING_COLUMNS = ("kind", "town", "period", "item", "reported", "computed", "source", "message")


def _header(ws: Worksheet, names: list[str], row: int = 1) -> None:
    for col, name in enumerate(names, 1):
        cell = put(ws.cell(row=row, column=col), name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(row=row + 1, column=2)


def _widths(ws: Worksheet) -> None:
    """Column widths from the longest text (CJK characters count double)."""
    widths: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = str(cell.value) if not isinstance(cell.value, float) else f"{cell.value:.1f}"
            width = float(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2)
            widths[cell.column] = max(widths.get(cell.column, 8), min(width, MAX_WIDTH))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _format_for(unit: str) -> str:
    return {"rate": PERCENT, "hours": DECIMAL}.get(unit, COUNT)


def _scorecard(ws: Worksheet, pack: Pack) -> None:
    lang = pack.lang
    say = language(lang)
    _header(ws, [say(f"report.xlsx.{k}") for k in SCORECARD_COLUMNS])
    for r, metric in enumerate(METRICS, 2):
        row = pack.card["metrics"][metric.id]
        number = _format_for(row["unit"])
        values: list[tuple[Any, str | None]] = [
            (row["label"], None),
            (metric.id, None),
            (say(f"report.xlsx.unit.{row['unit']}"), None),
            (row["value"], number),
            (row["numerator"], COUNT),
            (row["denominator"], COUNT),
            (row["previous"], number),
            (None if row["unit"] == "rate" else row["change"], COUNT if row["unit"] == "count" else DECIMAL),
            (row["change_pct"], PERCENT),
            (row["change_pp"], POINTS),
            (row["target"], number),
            (fmt.status_label(row["status"], lang) if row["status"] else None, None),
            (say.lookup(f"report.xlsx.source.{row['source']}", row["source"]) if row["source"] else None, None),
        ]
        for c, (value, number_format) in enumerate(values, 1):
            put(ws.cell(row=r, column=c), value, number_format if value is not None else None)
        if row["status"] == "missed":
            ws.cell(row=r, column=12).font = MISSED_FONT
    _widths(ws)


TREND_METRICS = {
    "disputes": [
        "disputes_total",
        "disputes_written",
        "disputes_oral",
        "disputes_joint",
        "disputes_pending",
        "mediation_success_rate",
        "disputes_escalated",
        "disputes_referred",
    ],
    "documents": ["documents_issued", *RATE_METRICS],
    "training": STAFF_METRICS,
}


def _trend(ws: Worksheet, pack: Pack, metric_ids: list[str]) -> None:
    wide = pack.trend_wide(metric_ids)
    labels = {m.id: m.label(pack.lang) for m in METRICS}
    units = {m.id: m.unit for m in METRICS}
    _header(ws, [language(pack.lang)("common.period")] + [labels[m] for m in metric_ids])
    for r, record in enumerate(wide.to_dict("records"), 2):
        put(ws.cell(row=r, column=1), str(record["period"]))
        for c, metric_id in enumerate(metric_ids, 2):
            value = record.get(metric_id)
            put(ws.cell(row=r, column=c), value, _format_for(units[metric_id]))
    _widths(ws)


ROW_QUERIES = {
    "rows_disputes": (
        """SELECT town, received_date, village, category, agreement_form, joint, outcome, escalated,
                                referred, case_no, parties, mediator, summary, closed_date, source_file, sheet, excel_row
                         FROM v_disputes WHERE received_date >= $start AND received_date < $end
                           AND ($town IS NULL OR town = $town) ORDER BY town, received_date, excel_row"""
    ),
    "rows_documents": (
        """SELECT town, doc_no, title, issued_date, reviewed, published, filed, filed_date, filing_days,
                                 status, source_file, sheet, excel_row
                          FROM v_documents WHERE issued_date >= $start AND issued_date < $end
                            AND ($town IS NULL OR town = $town) ORDER BY town, issued_date, excel_row"""
    ),
    "rows_training": (
        """SELECT town, session_date, topic, kind, hours, name, unit, is_enforcement, attendees,
                                source_file, sheet, excel_row
                         FROM v_training WHERE session_date >= $start AND session_date < $end
                           AND ($town IS NULL OR town = $town) ORDER BY town, session_date, excel_row"""
    ),
}
CODES = ("written", "oral", "success", "failed", "pending")  # report.value.* keys


def _display(value: Any, say: Language) -> Any:
    """是/否 for a flag, 书面/口头/成功/… for a code (English shows the code), anything else as is."""
    if isinstance(value, bool):
        return say("report.value.yes" if value else "report.value.no")
    if isinstance(value, str) and value in CODES:
        return say(f"report.value.{value}")
    return value


def period_rows(con: Any, pack: Pack, key: str) -> pd.DataFrame:
    """The period's ledger rows of one dataset, personal fields masked unless the setting allows."""
    frame = con.execute(ROW_QUERIES[key], {"start": pack.period.start, "end": pack.period.end, "town": pack.town}).df()
    return dictionary.mask_personal(frame)


def _rows(ws: Worksheet, frame: pd.DataFrame, lang: str) -> None:
    say = language(lang)
    _header(ws, [say.lookup(f"report.column.{c}", c) for c in frame.columns])
    for r, record in enumerate(frame.itertuples(index=False), 2):
        for c, value in enumerate(record, 1):
            put(ws.cell(row=r, column=c), _display(value, say), DECIMAL if frame.columns[c - 1] == "hours" else None)
    _widths(ws)


def _consistency(ws: Worksheet, pack: Pack) -> None:
    say = language(pack.lang)
    _header(ws, [say(f"report.xlsx.finding.{k}") for k in FINDING_COLUMNS])
    for r, f in enumerate(pack.findings, 2):
        rate = f.kind == "rate_vs_counts"
        values = [
            say.lookup(f"report.xlsx.finding_kind.{f.kind}", f.kind),
            f.town,
            f.period_id,
            f.item,
            f.reported,
            f.computed,
            f.source,
            f.message(pack.lang),
        ]
        for c, value in enumerate(values, 1):
            number = (PERCENT if rate else COUNT) if c in (5, 6) and isinstance(value, float) else None
            put(ws.cell(row=r, column=c), value, number)
    _widths(ws)


def build_workbook(pack: Pack, con: Any) -> Workbook:
    say = language(pack.lang)
    names = {key: say(f"report.sheet.{key}") for key in SHEETS}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = names["scorecard"]
    _scorecard(ws, pack)
    for dataset, metric_ids in TREND_METRICS.items():
        _trend(wb.create_sheet(names[dataset]), pack, metric_ids)
    for key in ROW_QUERIES:
        _rows(wb.create_sheet(names[key]), period_rows(con, pack, key), pack.lang)
    _consistency(wb.create_sheet(names["consistency"]), pack)
    return wb


def write_xlsx(pack: Pack, con: Any, target: str | Path | IO[bytes]) -> None:
    build_workbook(pack, con).save(target)


def xlsx_bytes(pack: Pack, con: Any) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(pack, con, buffer)
    return buffer.getvalue()
