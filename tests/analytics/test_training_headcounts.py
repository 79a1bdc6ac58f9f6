"""A training ledger kept one row per session with its 参训人数 can't say which officers attended (an
outside test's finding F06: beside a roster it reported 0% trained, 0 hours, and named every officer
as untrained). Its town's per-officer figures are 无数据, its officers are named in no list, and the
towns that name their attendees keep their figures; the sessions still count as meetings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from analytics.queries import training as training_queries
from analytics.semantic.metrics import compute
from analytics.semantic.periods import parse
from etl.load import load_file
from tests.workbooks import Rows, write_xlsx

D = dt.datetime
ROSTER = ["姓名", "单位", "是否执法人员", "执法证号", "在岗状态"]
SESSIONS = ["序号", "培训日期", "培训形式", "培训内容", "学时", "参训人数"]
PEOPLE = ["序号", "培训日期", "培训形式", "培训内容", "学时", "姓名"]
PER_OFFICER = ("training_rate", "study_hours_avg", "study_hours_compliance_rate")


def _roster(town: str, names: list[str]) -> Rows:
    return [[f"{town}2024年执法人员名册"], ROSTER, *[[n, "执法队", "是", f"A{i}", "在岗"] for i, n in enumerate(names)]]


def _warehouse(tmp_path: Path, sheets: dict[str, dict[str, Rows]]) -> Path:
    path = tmp_path / "w.duckdb"
    for town, book in sheets.items():
        load_file(write_xlsx(tmp_path / f"{town}.xlsx", book), path, town=town)
    return path


HEADCOUNT_BOOK = {
    "培训": [["甲镇2024年学法培训台账"], SESSIONS,
             [1, D(2024, 3, 12), "依法行政专题学习会", "行政处罚法", 3, 3],
             [2, D(2024, 10, 12), "依法行政专题学习会", "民法典", 3, 3],
             [3, D(2024, 12, 2), "执法培训", "执法资格培训", 50, 3]],
    "名册": _roster("甲镇", ["张一", "李二", "王三"]),
}  # fmt: skip
NAMED_BOOK = {
    "培训": [["乙镇2024年学法培训台账"], PEOPLE, [1, D(2024, 5, 8), "执法培训", "行政许可法", 50, "赵四"]],
    "名册": _roster("乙镇", ["赵四", "钱五"]),
}  # fmt: skip


@pytest.mark.parametrize("period", ["2024", "2024H2"])
def test_a_headcount_ledger_gives_no_per_officer_figures(tmp_path: Path, period: str) -> None:
    path = _warehouse(tmp_path, {"甲镇": HEADCOUNT_BOOK})
    with duckdb.connect(str(path), read_only=True) as con:
        found = compute(con, [parse(period)], "甲镇")[parse(period).id]
        officers = training_queries.officers(con, parse(period), "甲镇")
    assert found["enforcement_staff"].value == 3
    assert [found[k].value for k in PER_OFFICER] == [None, None, None]  # was 0/3, 0 hours, 0/3
    assert found["study_meetings"].value == (2 if period == "2024" else 1)
    assert not officers["trained"].eq(False).any()  # none named as untrained


def test_the_towns_that_name_their_attendees_keep_their_figures(tmp_path: Path) -> None:
    path = _warehouse(tmp_path, {"甲镇": HEADCOUNT_BOOK, "乙镇": NAMED_BOOK})
    with duckdb.connect(str(path), read_only=True) as con:
        every = compute(con, [parse("2024")])["2024"]
        named = compute(con, [parse("2024")], "乙镇")["2024"]
    assert every["enforcement_staff"].value == 5
    for found in (every, named):  # 甲镇's officers are in no per-officer figure
        rate, hours = found["training_rate"], found["study_hours_avg"]
        assert (rate.numerator, rate.denominator, hours.numerator, hours.denominator) == (1, 2, 50, 2)


def test_a_headcount_beside_named_rows_leaves_the_named_rows_figures(tmp_path: Path) -> None:
    book = {**HEADCOUNT_BOOK, "名单": [["甲镇2024年学法培训台账"], PEOPLE,
                                      [1, D(2024, 5, 8), "执法培训", "行政许可法", 50, "张一"]]}  # fmt: skip
    path = _warehouse(tmp_path, {"甲镇": book})
    with duckdb.connect(str(path), read_only=True) as con:
        found = compute(con, [parse("2024")], "甲镇")["2024"]
    rate = found["training_rate"]
    assert (rate.numerator, rate.denominator) == (1, 3)
