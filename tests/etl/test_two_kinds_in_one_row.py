"""A work-register row naming two pieces of work (an outside test's finding F04).

「向党委政府汇报依法行政工作并开展普法宣传」 and 「季度督导暨法治宣传活动」 were counted as their first kind
only, and nothing said so. The table holds one kind per row, so the first is still counted, and the
load warning names the kinds the row also names and that were not counted (asking for one row each).
Every figure goes through a real workbook, the ETL and the scorecard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

D = dt.datetime
HEADER = ["序号", "日期", "工作事项", "工作内容", "地点"]
ROWS = [
    [1, D(2024, 1, 20), "向党委政府汇报依法行政工作并开展普法宣传", "汇报后在集镇宣传", "镇党委会、集镇"],
    [2, D(2024, 3, 20), "季度督导暨法治宣传活动", "督导各村人民调解工作", "各村"],
    [3, D(2024, 6, 5), "向镇党委汇报普法宣传工作", "一项工作：汇报的是宣传", "镇党委会"],
    [4, D(2024, 12, 4), "法治宣传活动", "宪法日宣传", "集镇"],
]


def test_a_second_kind_in_one_row_is_named_as_not_counted(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "work.xlsx", {"Sheet1": [["珠龙镇2024年依法行政工作台账"], HEADER, *ROWS]})
    (sheet,) = parse_file(path).sheets
    warned = dict(zip(sheet.warnings["excel_row"], sheet.warnings["message"], strict=True))
    assert warned == {
        3: "「向党委政府汇报依法行政工作并开展普法宣传」写了不止一项工作，一行只计一项："
        "已按「向党委政府汇报依法行政工作」计入，「法治宣传活动」未计入；如确是两项工作，请分行登记",
        4: "「季度督导暨法治宣传活动」写了不止一项工作，一行只计一项："
        "已按「季度督导」计入，「法治宣传活动」未计入；如确是两项工作，请分行登记",
    }  # row 5 (a report about publicity work) is one piece of work: nothing said
    database = tmp_path / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    cursor = db.reader(database).cursor()
    try:
        card = scorecard(cursor, periods.parse("2024"))["metrics"]
    finally:
        cursor.close()
    assert card["party_committee_reports"]["value"] == 2
    assert card["supervision_quarters_covered"]["numerator"] == 1
    assert card["legal_publicity_events"]["value"] == 1  # the rows' second kinds are said, not counted
