"""A lawsuit received in one year and lost in the next (an outside test's finding F20).

The case figures count cases by the day received (the catalogue's definition, kept): a lawsuit
received 2023-11-20 and lost on 2024-03-20, its judgment not performed, was in no 2024 sentence, and
「2024年…一审审结1件，其中败诉0件」 read as the year's judgments. Now the sentence says its figures are
those of the cases above, and the cases received earlier and concluded in the year are said beside
them, through a real workbook, the ETL, a DuckDB file and the report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from analytics import db
from analytics.report.pack import build_pack
from analytics.semantic import periods
from etl.load import load_file
from tests.workbooks import write_xlsx

D = dt.datetime
HEADER = ["案号", "类别", "收案日期", "案由", "开庭日期", "负责人是否出庭", "结果", "结案日期", "是否履行生效文书"]
ROWS = [
    ["（2023）浙1102行初9号", "行政诉讼", D(2023, 11, 20), "强制拆除", D(2024, 1, 15), "是", "确认违法", D(2024, 3, 20), "否"],
    ["（2024）浙1102行初3号", "行政诉讼", D(2024, 4, 1), "行政处罚", D(2024, 6, 1), "是", "驳回诉讼请求", D(2024, 7, 10), None],
    ["（2024）浙复2号", "行政复议", D(2024, 12, 5), "信息公开", None, None, "维持", D(2024, 12, 28), None],
]  # fmt: skip


def _body(tmp_path: Path, period: str) -> str:
    path = write_xlsx(tmp_path / "cases.xlsx", {"Sheet1": [["珠龙镇行政复议和行政应诉台账"], HEADER, *ROWS]})
    database = tmp_path / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    con = db.reader(database).cursor()
    try:
        report = build_pack(con, periods.parse(period), "珠龙镇", "zh").text
    finally:
        con.close()
    return "\n".join(p for s in report.sections for p in s.paragraphs)


def test_a_case_received_earlier_and_lost_in_the_year_is_said(tmp_path: Path) -> None:
    body = _body(tmp_path, "2024")
    assert "2024年全镇发生行政诉讼案件1件" in body and "上述案件中一审已审结1件，其中败诉0件" in body
    assert (
        "另有以前年度收案、2024年一审审结的行政诉讼案件1件（按收案年度统计，未计入上述数字），其中败诉1件，"
        "生效文书尚未履行1件。"
    ) in body


def test_not_in_the_year_it_was_received(tmp_path: Path) -> None:
    assert "另有以前年度收案" not in _body(tmp_path, "2023")
