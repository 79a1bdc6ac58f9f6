"""Two units' rosters, one titled with its year and one without (an outside test's finding F05).

综合行政执法队's 2024 roster listed 王芳 and 李强; 农业农村办's roster, with no year, listed 张伟 (certificate
expired 2023-06-30), 赵敏, and 王芳 again with no certificate number. Once any roster of the town had a
year, the undated one was dropped as a whole: 2 officers and 持证率 2/2 = 100% (met), where by hand
there are 4 and 3/4 (missed). Now an undated roster's row counts for a year unless that year's roster
lists the same unit or the same person. Every figure goes through real workbooks, the ETL and the
scorecard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

D = dt.datetime
HEADER = ["序号", "姓名", "单位", "是否执法人员", "执法证号", "证件有效期至", "在岗状态"]
TEAM = [
    [1, "王芳", "综合行政执法队", "是", "34182520180001", D(2028, 12, 31), "在岗"],
    [2, "李强", "综合行政执法队", "是", "34182520180002", D(2028, 12, 31), "在岗"],
]
FARMING = [
    [1, "张伟", "农业农村办", "是", "34182520190003", D(2023, 6, 30), "在岗"],
    [2, "赵敏", "农业农村办", "是", "34182520190004", D(2029, 6, 30), "在岗"],
    [3, "王芳", "农业农村办", "是", "", None, "在岗"],
]


def _warehouse(folder: Path, *rosters: tuple[str, list[list[object]]]) -> Path:
    database = folder / "w.duckdb"
    for i, (title, rows) in enumerate(rosters):
        path = write_xlsx(folder / f"roster{i}.xlsx", {"Sheet1": [[title], HEADER, *rows]})
        load_file(path, database, town="珠龙镇")
    return database


def _card(database: Path, period: str) -> dict[str, dict[str, object]]:
    cursor = db.reader(database).cursor()
    try:
        return scorecard(cursor, periods.parse(period))["metrics"]
    finally:
        cursor.close()


@pytest.fixture(scope="module")
def two_units(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _warehouse(
        tmp_path_factory.mktemp("two_units"),
        ("珠龙镇2024年综合行政执法队执法人员名册", TEAM),
        ("珠龙镇农业农村办行政执法人员名册", FARMING),
    )


def test_an_undated_roster_of_another_unit_counts_beside_a_dated_one(two_units: Path) -> None:
    card = _card(two_units, "2024")
    assert card["enforcement_staff"]["value"] == 4  # 王芳 (once: the 2024 roster names her), 李强, 张伟, 赵敏; was 2
    rate = card["certification_rate"]
    assert (rate["numerator"], rate["denominator"]) == (3, 4)  # 张伟's certificate expired; was 2/2
    assert rate["status"] == "missed"  # was met


def test_in_a_year_without_a_dated_roster_the_undated_one_counts_alone(two_units: Path) -> None:
    card = _card(two_units, "2025")
    assert card["enforcement_staff"]["value"] == 3  # 张伟, 赵敏, 王芳 of the undated roster


def test_a_dated_roster_of_the_same_unit_still_wins(tmp_path: Path) -> None:
    old_team = [*TEAM, [3, "孙亮", "综合行政执法队", "是", "34182520150009", D(2022, 1, 31), "在岗"]]
    database = _warehouse(
        tmp_path, ("珠龙镇2024年综合行政执法队执法人员名册", TEAM), ("珠龙镇综合行政执法队执法人员名册", old_team)
    )
    card = _card(database, "2024")
    rate = card["certification_rate"]
    assert (rate["numerator"], rate["denominator"]) == (2, 2)  # the undated roster of the same unit is not used
    assert _card(database, "2025")["enforcement_staff"]["value"] == 3
