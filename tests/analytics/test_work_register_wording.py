"""The work register as towns write it (an outside test's findings F13, F17).

F13: 「学习贯彻习近平法治思想专题会」 and 「反电诈法治讲座」 were silently 其他 (study meetings 1 missed for
2 met, publicity 1 for 2), and a county's 「“八五”普法中期督导」 of the town counted as the town's 季度督导
(4/4 met for 3/4 missed). F17: 时间 written as a quarter (2024年第一季度) or a span (2024.7-9月,
2024.12.1-12.7) was rejected, and the report said no supervision was done (0/4 for 4/4). Each figure
goes through a real workbook, the ETL, a DuckDB file and the scorecard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.datasets import events
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

D = dt.datetime


def _load(folder: Path, rows: list[list[object]]) -> tuple[Path, dict]:
    path = write_xlsx(
        folder / "work.xlsx", {"Sheet1": [["珠龙镇2024年依法行政工作台账"], ["时间", "事项", "说明"], *rows]}
    )
    database = folder / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    con = db.reader(database).cursor()
    try:
        return path, scorecard(con, periods.parse("2024"))["metrics"]
    finally:
        con.close()


def test_study_meetings_lectures_and_the_countys_inspection(tmp_path: Path) -> None:
    rows = [
        [D(2024, 4, 18), "依法行政专题学习会", "学习行政复议法"],
        [D(2024, 10, 22), "学习贯彻习近平法治思想专题会", "镇领导班子及中层干部参加"],
        [D(2024, 5, 20), "反电诈法治讲座", "在镇中心小学"],
        [D(2024, 12, 4), "国家宪法日宣传活动", None],
        [D(2024, 3, 20), "季度督导", "督导各村人民调解工作"],
        [D(2024, 6, 20), "季度督导", "督导各村人民调解工作"],
        [D(2024, 9, 20), "季度督导", "督导各村人民调解工作"],
        [D(2024, 11, 26), "开展“八五”普法中期督导", "县普法办来镇督导八五普法规划落实情况"],
    ]
    path, card = _load(tmp_path, rows)
    assert card["study_meetings"]["value"] == 2  # was 1
    assert card["legal_publicity_events"]["value"] == 2  # was 1
    covered = card["supervision_quarters_covered"]
    assert (covered["numerator"], covered["denominator"], covered["status"]) == (3, 4, "missed")  # was 4/4 met
    (sheet,) = parse_file(path).sheets
    assert list(sheet.warnings["message"]) == [
        "这是上级对本镇的督导检查，不是本镇对村（社区）的季度督导，未计入季度督导，已归入其他"
    ]


@pytest.mark.parametrize(
    ("typed", "warned"),
    [("聘任镇政府法律顾问", False), ("法治政府建设座谈会", True), ("村干部法治培训班", True), ("防汛演练", False)],
)
def test_rule_of_law_work_of_no_kind_is_said_when_it_may_be_one(typed: str, warned: bool) -> None:
    kind, error, warning = events.parse_event_kind(typed)
    assert (kind, error, warning is not None) == ("其他", None, warned)


def test_quarters_and_spans_are_their_first_day(tmp_path: Path) -> None:
    rows = [
        ["2024年第一季度", "季度督导", "督导各村调解工作"],
        ["2024年二季度", "季度督导", "督导各村调解工作"],
        ["2024.7-9月", "季度督导", "督导各村调解工作"],
        ["2024年10-12月", "季度督导", "督导各村调解工作"],
        ["2024.12.1-12.7", "法治宣传活动", "宪法宣传周"],
    ]
    path, card = _load(tmp_path, rows)
    covered = card["supervision_quarters_covered"]
    assert (covered["numerator"], covered["denominator"]) == (4, 4)  # was 0/4, every row rejected
    assert card["legal_publicity_events"]["value"] == 1
    (sheet,) = parse_file(path).sheets
    assert list(sheet.rejects["reason"]) == []
    assert [str(d)[:10] for d in sheet.rows["event_date"]] == [
        "2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01", "2024-12-01"
    ]  # fmt: skip
    assert list(sheet.warnings["message"])[0] == "日期「2024年第一季度」只写了季度，按该季度第一天2024-01-01计入"
    assert list(sheet.warnings["message"])[-1] == "日期 2024.12.1-12.7 是几天，按第一天 2024-12-01 计入"


def test_what_is_no_date_is_still_rejected(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "work.xlsx",
        {"Sheet1": [["珠龙镇2024年依法行政工作台账"], ["时间", "事项", "说明"], ["年底", "季度督导", None]]},
    )
    (sheet,) = parse_file(path).sheets
    assert len(sheet.rejects) == 1 and "年底" in sheet.rejects["reason"].iloc[0]
