"""备注 and 回访情况 hold names and phones as often as 纠纷简要情况 does (张某某电话138…): they were shown whole to
viewers on the mediation page and to staff in the SQL box while the same row's parties were masked (an outside
test's finding F2). They are now hidden unless the person may see personal data, on the pages and in the
SQL box's masked copy; a copy made under the older rules is not read again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from analytics import access, db
from analytics.access import Principal
from analytics.adhoc import sqlguard
from analytics.queries import mediation
from analytics.semantic.periods import parse
from etl.load import load_file
from tests.workbooks import write_xlsx

PHONE = "13800138000"
HEADER = ["序号", "受理日期", "所属村（社区）", "纠纷类型", "调解方式", "调解结果", "回访情况", "备注"]
ROWS = [
    [
        1,
        dt.datetime(2020, 3, 5),
        "张庄村",
        "邻里纠纷",
        "口头",
        "成功",
        f"回访张秘名，电话{PHONE}",
        f"张秘名电话{PHONE}",
    ],
    [2, dt.datetime(2020, 4, 6), "李庄村", "婚姻家庭", "书面", "成功", "", ""],
]


def _warehouse(folder: Path) -> Path:
    path = folder / "w.duckdb"
    load_file(write_xlsx(folder / "d.xlsx", {"Sheet1": [["珠龙镇2020年矛盾纠纷排查调处台账"], HEADER, *ROWS]}), path)
    return path


def test_notes_are_hidden_without_leave_to_see_personal_data(tmp_path: Path) -> None:
    path = _warehouse(tmp_path)
    with access.acting(Principal("v", "viewer", ("珠龙镇",))):
        cursor = db.reader(path).cursor()
        try:
            cases = mediation.cases(cursor, parse("2020"), "珠龙镇")
        finally:
            cursor.close()
    assert PHONE not in cases.to_string() and "（已隐藏）" in set(cases["note"])
    with access.acting(Principal("s", "staff", ("珠龙镇",))):
        shown = sqlguard.run("SELECT note, follow_up FROM v_disputes", path).to_string()
    assert PHONE not in shown and "（已隐藏）" in shown
    with access.acting(Principal("root", "admin", None).with_unmask(True)):
        assert PHONE in sqlguard.run("SELECT note FROM v_disputes", path).to_string()
    with duckdb.connect(str(path), read_only=True) as con:  # stored as written
        assert con.execute("SELECT count(*) FROM v_disputes WHERE note LIKE ?", [f"%{PHONE}"]).fetchone() == (1,)
