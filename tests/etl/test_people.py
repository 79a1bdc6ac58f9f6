"""Names as a person reads them: roster and attendance match across spaces and full-width forms;
namesakes who differ stay two officers, with a warning."""

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl import normalise as n
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import STAFF_HEADER, TRAINING_HEADER, write_xlsx


@pytest.mark.parametrize(
    "raw, name",
    [
        ("王芳", "王芳"), ("王  芳", "王芳"), ("王\u3000芳", "王芳"), (" 王芳 ", "王芳"), ("ＷＡＮＧ　Ｆａｎｇ", "WANG Fang"),
        ("阿依古丽•买买提", "阿依古丽·买买提"), ("阿依古丽 · 买买提", "阿依古丽 · 买买提"), ("", None),
    ],
)  # fmt: skip
def test_person_name(raw: str, name: str | None) -> None:
    assert n.person_name(raw) == name


def _card(database: Path) -> dict:
    con = db.reader(database).cursor()
    try:
        return scorecard(con, periods.parse("2021"))["metrics"]
    finally:
        con.close()


def _roster(*people: tuple[str, str]) -> list[list[object]]:
    rows: list[list[object]] = [["郑集镇2021年执法人员名册"], STAFF_HEADER]
    return rows + [[name, "综合执法办", "是", cert, dt.datetime(2027, 12, 31), "在岗"] for name, cert in people]


def _attendance(*names: str) -> list[list[object]]:
    rows: list[list[object]] = [["郑集镇2021年学法培训台账"], TRAINING_HEADER]
    return rows + [[dt.datetime(2021, 5, 8), "民法典", "执法培训", 60, name, "综合执法办", "是"] for name in names]


def test_roster_and_attendance_match_across_spaces(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {"名册": _roster(("王  芳", "A1"), ("李\u3000明", "A2")), "台账": _attendance("王芳", "李明")},
    )
    result = parse_file(path)
    assert all(s.warnings.empty and s.rejects.empty for s in result.sheets)
    database = tmp_path / "w.duckdb"
    load_file(path, database)
    card = _card(database)
    assert card["enforcement_staff"]["value"] == 2
    assert (card["training_rate"]["numerator"], card["training_rate"]["denominator"]) == (2, 2)


def test_namesakes_stay_two_officers_with_a_warning(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"名册": _roster(("李 明", "A1"), ("李明", "B2"), ("张三", "C3"))})
    sheet = parse_file(path).sheets[0]
    assert list(sheet.rows["name"]) == ["李明", "李明", "张三"]
    assert list(sheet.warnings["excel_row"]) == [3, 4]
    assert list(sheet.warnings["value"]) == ["李 明", "李明"]  # each row's name is in its value, masked where names are
    assert set(sheet.warnings["message"]) == {
        "同名人员：第 3、4 行的姓名读作同一人，写法、证号或单位不同，请核对是否为不同的人"
    }
    database = tmp_path / "w.duckdb"
    load_file(path, database)
    assert _card(database)["enforcement_staff"]["value"] == 3
