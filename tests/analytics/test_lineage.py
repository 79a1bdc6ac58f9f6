"""Personal data masked by where it came from: a rejected row handed to someone who did not load it."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import load_workbook

from analytics.access import lineage
from etl import preview as pv
from etl.load import load_file
from tests.etl.workbooks import disputes_bytes


def test_a_colleagues_rejected_rows_come_back_masked(tmp_path: Path) -> None:
    ledger = tmp_path / "东坪乡2020年矛盾纠纷排查调处台账.xlsx"
    ledger.write_bytes(disputes_bytes(4, town="东坪乡", bad=2))
    path = tmp_path / "warehouse.duckdb"
    report = load_file(ledger, path, loaded_by="同事")
    stored = pv.stored_rejects(int(report.load_id or 0), path)
    personal = lineage.personal_headers(stored["header_map"].iloc[0])
    assert personal == {"当事人": "name"}
    secrets = {v for raw in stored["raw_row"] for h, v in json.loads(raw).items() if h in personal}
    assert secrets == {"坏行0", "坏行1"}  # the parties of the two rejected rows

    masked = lineage.mask_problems(stored)
    book = load_workbook(io.BytesIO(pv.rejects_workbook(masked)))
    cells = {str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None}
    assert not secrets & cells
    assert {
        "待定",
        "坏**",
    } <= cells  # the cell that was wrong is kept for fixing; a name masked after its first character
    assert list(masked["reason"]) == list(stored["reason"])  # the reasons quote no personal cell here
