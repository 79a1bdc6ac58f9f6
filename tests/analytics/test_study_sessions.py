"""依法行政专题学习会 recorded in two registers (an outside test's finding F03), through real .xlsx files,
the real ETL, a real DuckDB file and the scorecard: the work register lists two meetings (March,
October), the training register names who attended the March one only. Both are counted once each:
each month takes the larger of the two registers' counts, so the October meeting is not dropped
because the training register has another meeting that year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

D = dt.datetime
TRAINING = [
    ["序号", "培训日期", "培训内容", "形式", "学时", "姓名", "单位", "是否执法人员"],
    [1, D(2024, 3, 12), "学习行政处罚法", "依法行政专题学习会", 3, "王芳", "综合执法队", "是"],
    [2, D(2024, 3, 12), "学习行政处罚法", "依法行政专题学习会", 3, "李强", "综合执法队", "是"],
    [3, D(2024, 5, 8), "法宣在线学法", "线上学法", 47, "王芳", "综合执法队", "是"],
    [4, D(2024, 12, 8), "法宣在线学法", "线上学法", 47, "李强", "综合执法队", "是"],
]
WORK = [
    ["序号", "日期", "工作事项", "工作内容", "地点"],
    [1, D(2024, 3, 12), "依法行政专题学习会", "学习行政处罚法", "镇会议室"],
    [2, D(2024, 10, 16), "依法行政专题学习会", "学习习近平法治思想", "镇会议室"],
    [3, D(2024, 6, 20), "向党委政府汇报依法行政工作", "上半年工作汇报", "镇党委会"],
    [4, D(2024, 12, 20), "向党委政府汇报依法行政工作", "全年工作汇报", "镇党委会"],
]


def test_a_meeting_in_both_registers_counts_once_and_one_in_the_work_register_only_counts(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    load_file(write_xlsx(tmp_path / "training.xlsx", {"Sheet1": [["珠龙镇2024年学法培训台账"], *TRAINING]}), path,
              town="珠龙镇")  # fmt: skip
    load_file(write_xlsx(tmp_path / "work.xlsx", {"Sheet1": [["珠龙镇2024年依法行政工作台账"], *WORK]}), path,
              town="珠龙镇")  # fmt: skip
    with duckdb.connect(str(path), read_only=True) as con:
        year = scorecard(con, parse("2024"), "珠龙镇")["metrics"]["study_meetings"]
        first_half = scorecard(con, parse("2024H1"), "珠龙镇")["metrics"]["study_meetings"]
    assert (year["value"], year["status"]) == (2, "met")  # was 1, missed: October was dropped
    assert first_half["value"] == 1  # March, in both registers: once
