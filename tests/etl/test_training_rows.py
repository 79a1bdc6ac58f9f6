"""What a training row says about its person and its hours: an 出勤情况 of 缺席 is no study, a 时长（分钟）
column counts minutes, and a 时长（天） column is no 学时 at all (an outside test's findings: absent people
counted as trained, and 90 minutes as 90 hours)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.datasets import training
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

ROSTER = ["姓名", "单位", "是否执法人员", "执法证号", "在岗状态"]


def _figures(tmp_path: Path, header: list[str], rows: list[list[object]], people: int) -> dict[str, object]:
    roster = [[f"钱{i}", "执法队", "是", f"A00{i}", "在岗"] for i in range(1, people + 1)]
    files = [
        write_xlsx(
            tmp_path / "珠龙镇2024年执法人员名册.xlsx", {"名册": [["珠龙镇2024年执法人员名册"], ROSTER, *roster]}
        ),
        write_xlsx(tmp_path / "珠龙镇2024年学法培训台账.xlsx", {"学法": [["珠龙镇2024年学法培训台账"], header, *rows]}),
    ]
    for path in files:
        load_file(path, path=tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        found = scorecard(con, parse("2024"))["metrics"]
    return {
        k: (found[k]["value"], found[k]["numerator"], found[k]["denominator"])
        for k in ("training_rate", "study_hours_avg")
    }


def test_a_person_absent_from_a_session_did_not_study_it(tmp_path: Path) -> None:
    header = ["培训日期", "培训内容", "形式", "学时", "姓名", "出勤情况"]
    marks = ["参加", "缺席", "请假", ""]
    rows = [["2024-03-05", "行政处罚法", "执法培训", 50, f"钱{i}", mark] for i, mark in enumerate(marks, 1)]
    assert _figures(tmp_path, header, rows, 4) == {"training_rate": (0.5, 2, 4), "study_hours_avg": (25.0, 100.0, 4)}
    sheet = parse_file(tmp_path / "珠龙镇2024年学法培训台账.xlsx").sheets[0]
    assert [r[4] for r in sheet.reject_rows] == ["缺席", "请假"]
    assert all("不计入参训记录；这不是错误，无需修改" in r[5] for r in sheet.reject_rows)


@pytest.mark.parametrize(
    ("raw", "attended", "said"),
    [("参加", True, False), ("√", True, False), ("缺席", False, False), ("病假", False, False),
     ("未参加", False, False), ("迟到", True, True), ("", True, False)],
)  # fmt: skip
def test_attendance_words(raw: str, attended: bool, said: bool) -> None:
    value, reject, warning = training.parse_attended(raw)
    assert (value, reject, warning is not None) == (attended, None, said)


def test_minutes_are_read_as_minutes_and_said(tmp_path: Path) -> None:
    header = ["培训日期", "培训内容", "形式", "时长（分钟）", "姓名"]
    rows = [["2024-03-05", "民法典", "线上学法", 90, "钱1"], ["2024-04-05", "民法典", "线上学法", 120, "钱1"],
            ["2024-03-05", "民法典", "线上学法", 30, "钱2"]]  # fmt: skip
    assert _figures(tmp_path, header, rows, 2)["study_hours_avg"] == (2.0, 4.0, 2)
    sheet = parse_file(tmp_path / "珠龙镇2024年学法培训台账.xlsx").sheets[0]
    assert any("按分钟读，换算为学时（÷60）" in w[5] for w in sheet.warning_rows)


def test_a_number_whose_unit_changes_its_magnitude_is_not_read_and_said(tmp_path: Path) -> None:
    header = ["培训日期", "培训内容", "形式", "时长（天）", "姓名"]
    rows = [["2024-03-05", "民法典", "集中培训", 2, "钱1"]]
    path = write_xlsx(
        tmp_path / "珠龙镇2024年学法培训台账.xlsx", {"学法": [["珠龙镇2024年学法培训台账"], header, *rows]}
    )
    sheet = parse_file(path).sheets[0]
    assert sheet.table["hours"].tolist() != [2.0]
    said = [w[5] for w in sheet.warning_rows if w[3] == "时长(天)"]
    assert said and "单位是「天」，不能当作学时读" in said[0]


def test_a_name_with_a_bracketed_note_is_the_person(tmp_path: Path) -> None:
    """王芳（队长） and 张伟(综合办) matched nobody on the roster: trained 2/4 for 4/4."""
    header = ["培训日期", "培训内容", "形式", "学时", "姓名"]
    names = ["钱1（队长）", "钱2(综合办)", "钱3 ", "钱4"]
    rows = [["2024-03-05", "行政处罚法", "执法培训", 50, name] for name in names]
    assert _figures(tmp_path, header, rows, 4) == {"training_rate": (1.0, 4, 4), "study_hours_avg": (50.0, 200.0, 4)}


def test_a_roster_kept_as_a_sheet_per_year_is_each_years_roster(tmp_path: Path) -> None:
    """Sheets 2023年 and 2024 (no year in the titles): 王三 left in 2024 and was still counted then."""
    title = ["珠龙镇行政执法人员名册"]
    sheets = {
        "2023年": [
            title,
            ROSTER,
            *[[n, "执法队", "是", f"A{i}", "在岗"] for i, n in enumerate(["王一", "王二", "王三"])],
        ],
        "2024": [
            title,
            ROSTER,
            *[[n, "执法队", "是", f"A{i}", "在岗"] for i, n in enumerate(["王一", "王二", "王四"])],
        ],
    }
    path = write_xlsx(tmp_path / "珠龙镇执法人员名册.xlsx", sheets)
    result = parse_file(path)
    assert [sorted(set(s.table["roster_year"].tolist())) for s in result.sheets] == [[2023], [2024]]
    assert not any("可能重复" in w[5] for s in result.sheets for w in s.warning_rows)
    load_file(path, path=tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert scorecard(con, parse("2024"))["metrics"]["enforcement_staff"]["value"] == 3
