"""A roster giving the certificate's validity as a from/to pair, as the 执法证 prints it (an outside
test's finding F16).

有效期起｜有效期止 and 有效期开始日期｜有效期截止日期 were no expiry column (every officer uncertified); 证件有效期
(起)｜(止) read the start as the expiry, and 证件有效期 over 起｜止 took the 起｜止 row for an officer and the
start for the expiry: 0/2 certified for 2/2. Each goes through a real workbook, the ETL, a DuckDB
file and the scorecard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

D = dt.datetime
FRONT = ["姓名", "单位", "是否执法人员", "执法证号"]
OFFICERS = [
    ["王芳", "综合行政执法队", "是", "浙A10001", D(2022, 1, 1), D(2027, 12, 31), "在岗"],
    ["李强", "综合行政执法队", "是", "浙A10002", D(2021, 6, 1), D(2026, 5, 31), "在岗"],
]
HEADERS = {
    "起止": [[*FRONT, "有效期起", "有效期止", "在岗状态"]],
    "brackets": [[*FRONT, "证件有效期（起）", "证件有效期（止）", "在岗状态"]],
    "开始截止": [[*FRONT, "有效期开始日期", "有效期截止日期", "在岗状态"]],
    "two rows": [[*FRONT, "证件有效期", None, "在岗状态"], [None, None, None, None, "起", "止", None]],
}


@pytest.mark.parametrize("layout", HEADERS, ids=list(HEADERS))
def test_the_end_of_the_pair_is_the_expiry(tmp_path: Path, layout: str) -> None:
    header = HEADERS[layout]
    merges = ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "G2:G3", "E2:F2"] if len(header) == 2 else []
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        {"Sheet1": [["珠龙镇2024年行政执法人员名册"], *header, *OFFICERS]},
        {"Sheet1": merges},
    )
    (sheet,) = parse_file(path).sheets
    assert list(sheet.rejects["reason"]) == [] and list(sheet.warnings["message"]) == []
    assert [str(d)[:10] for d in sheet.rows["cert_valid_until"]] == ["2027-12-31", "2026-05-31"]
    database = tmp_path / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    con = db.reader(database).cursor()
    try:
        rate = scorecard(con, periods.parse("2024"))["metrics"]["certification_rate"]
    finally:
        con.close()
    assert (rate["numerator"], rate["denominator"], rate["status"]) == (2, 2, "met")  # was 0/2 missed
