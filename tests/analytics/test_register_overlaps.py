"""Where a figure takes one of two registers, 数据核对 says so (real .xlsx files, the ETL, a DuckDB file):

- a study meeting in the work register and in the training register is read as one meeting written twice
  (each month counts the larger of the two); when the two give different days, the month's figure may be
  short, and the finding names both registers' days;
- an undated roster's officer whose unit a dated roster of the year lists, without them, is not counted
  that year; the finding names the roster and the unit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from analytics.report.consistency import Finding, check
from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

D = dt.datetime
TRAINING = [
    ["序号", "培训日期", "培训内容", "形式", "学时", "姓名", "单位", "是否执法人员"],
    [1, D(2024, 3, 12), "学习行政处罚法", "依法行政专题学习会", 3, "王芳", "综合执法队", "是"],
    [2, D(2024, 6, 5), "学习行政复议法", "依法行政专题学习会", 3, "王芳", "综合执法队", "是"],
]
WORK = [
    ["序号", "日期", "工作事项", "工作内容", "地点"],
    [1, D(2024, 3, 12), "依法行政专题学习会", "学习行政处罚法", "镇会议室"],
    [2, D(2024, 3, 26), "依法行政专题学习会", "学习行政许可法", "镇会议室"],
    [3, D(2024, 6, 5), "依法行政专题学习会", "学习行政复议法", "镇会议室"],
]
ROSTER = ["序号", "姓名", "单位", "是否执法人员", "执法证号", "证件有效期至", "在岗状态"]


def _findings(path: Path, period: str, kind: str) -> list[Finding]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [f for f in check(con, parse(period), "珠龙镇") if f.kind == kind]


def test_a_month_whose_two_registers_give_different_days_is_said(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    for name, title, rows in (("training", "学法培训台账", TRAINING), ("work", "依法行政工作台账", WORK)):
        book = write_xlsx(tmp_path / f"{name}.xlsx", {"Sheet1": [[f"珠龙镇2024年{title}"], *rows]})
        load_file(book, path, town="珠龙镇")
    with duckdb.connect(str(path), read_only=True) as con:
        assert scorecard(con, parse("2024"), "珠龙镇")["metrics"]["study_meetings"]["value"] == 3
    found = _findings(path, "2024", "registers_overlap")
    # March only: June's meeting has the same day in both registers
    assert [(f.period_id, f.item, f.reported, f.computed) for f in found] == [("2024", "依法行政专题学习会", 2, 1)]
    assert "2024年3月依法行政专题学习会：依法行政工作台账记2次（3月12日、3月26日），学法培训台账记1次（3月12日）" in (
        found[0].message_zh
    )
    assert "较大的2次" in found[0].message_zh and "2024-03-26" in found[0].message_en
    assert [f.period_id for f in _findings(path, "2024H1", "registers_overlap")] == ["2024H1"]


def test_officers_an_undated_roster_loses_to_a_dated_one_are_said(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    dated = [[1, "王芳", "综合执法队", "是", "A1", D(2028, 12, 31), "在岗"]]
    undated = [
        [1, "王芳", "综合执法队", "是", "A1", D(2028, 12, 31), "在岗"],  # named in the dated roster: counted there
        [2, "赵六", "综合执法队", "是", "A2", D(2028, 12, 31), "在岗"],  # same unit, not named: set aside
        [3, "孙七", "农业农村办", "是", "A3", D(2028, 12, 31), "在岗"],  # another unit: counted
    ]
    for name, title, rows in (("dated", "珠龙镇2024年执法人员名册", dated), ("undated", "珠龙镇执法人员名册", undated)):
        load_file(write_xlsx(tmp_path / f"{name}.xlsx", {"Sheet1": [[title], ROSTER, *rows]}), path, town="珠龙镇")
    with duckdb.connect(str(path), read_only=True) as con:
        assert scorecard(con, parse("2024"), "珠龙镇")["metrics"]["enforcement_staff"]["value"] == 2
    found = _findings(path, "2024", "roster_set_aside")
    assert [(f.period_id, f.item, f.reported) for f in found] == [("2024", "综合执法队", 1)]
    assert "未注明年份的名册（undated.xlsx / Sheet1）中综合执法队1人不计入" in found[0].message_zh
    assert "dated.xlsx" in found[0].message_zh
    # 2023 has no dated roster: the undated one counts whole, and nothing is said
    assert _findings(path, "2023", "roster_set_aside") == []
