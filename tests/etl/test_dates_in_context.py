"""A row's date read against its sheet: outside the one year the title names, or after today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.headers import the_one_year
from etl.parse import parse_file
from tests.workbooks import write_xlsx

HEADER = ["序号", "受理日期", "所属村(社区)", "纠纷类型", "当事人", "调解方式", "调解结果"]


def _row(day: object) -> list[object]:
    return [1, day, "龙村", "邻里纠纷", "张三", "书面", "调解成功"]


def _warnings(tmp_path: Path, title: str, days: list[object], sheet: str = "Sheet1") -> list[tuple[object, ...]]:
    path = write_xlsx(tmp_path / "台账.xlsx", {sheet: [[title], HEADER, *(_row(d) for d in days)]})
    return [w[2:] for w in parse_file(path).sheets[0].warning_rows]


def test_a_date_outside_the_titles_year_is_counted_and_said(tmp_path: Path) -> None:
    days = [dt.datetime(2020, 1, 2), dt.datetime(2019, 1, 5), dt.datetime(2021, 1, 1), dt.datetime(2020, 12, 31)]
    assert _warnings(tmp_path, "东坪乡2020年矛盾纠纷排查调处台账", days) == [
        (4, "受理日期", "2019-01-05", "受理日期 2019-01-05 不在本表标题写的2020年内，已按这一天计入，请核对"),
        (5, "受理日期", "2021-01-01", "受理日期 2021-01-01 不在本表标题写的2020年内，已按这一天计入，请核对"),
    ]


@pytest.mark.parametrize(
    ("texts", "year"),
    [
        (["东坪乡2020年矛盾纠纷排查调处台账"], 2020),
        (["矛盾纠纷排查调处台账", "2020年"], 2020),  # the sheet's name
        (["东坪乡2020年度台账", "填报单位：东坪乡"], 2020),
        (["珠龙镇2016—2025年矛盾纠纷排查调处台账"], None),  # a span
        (["东坪乡2020年台账", "填报日期：2021年1月5日"], None),  # two years
        (["东坪乡矛盾纠纷台账", "2020"], None),  # a number, no 年
        (["东坪乡矛盾纠纷台账"], None),
    ],
)
def test_the_one_year(texts: list[str], year: int | None) -> None:
    assert the_one_year(texts) == year


def test_a_sheet_named_for_its_year_is_read_against_it(tmp_path: Path) -> None:
    notes = _warnings(tmp_path, "东坪乡矛盾纠纷排查调处台账", [dt.datetime(2019, 12, 30)], sheet="2020年")
    assert notes == [
        (3, "受理日期", "2019-12-30", "受理日期 2019-12-30 不在本表标题写的2020年内，已按这一天计入，请核对")
    ]


def test_a_span_of_years_compares_nothing(tmp_path: Path) -> None:
    assert _warnings(tmp_path, "珠龙镇2016—2025年矛盾纠纷排查调处台账", [dt.datetime(2016, 1, 2)]) == []


def test_a_date_after_today_is_said(tmp_path: Path) -> None:
    later = dt.date.today() + dt.timedelta(days=20)
    notes = _warnings(tmp_path, "东坪乡矛盾纠纷排查调处台账", [dt.datetime(later.year, later.month, later.day)])
    assert notes == [
        (3, "受理日期", later.isoformat(),
         f"受理日期 {later.isoformat()} 晚于今天（{dt.date.today().isoformat()}），已按这一天计入，请核对")
    ]  # fmt: skip


def test_a_day_without_its_year_is_read_in_the_titles_one_year_and_said(tmp_path: Path) -> None:
    """3月5日 under 东坪乡2020年…台账 is 2020-03-05 (before: refused, 「无法识别的日期：3月5日」)."""
    path = write_xlsx(tmp_path / "台账.xlsx", {"S": [["东坪乡2020年矛盾纠纷排查调处台账"], HEADER, _row("3月5日")]})
    sheet = parse_file(path).sheets[0]
    assert sheet.rejects.empty and str(sheet.rows["received_date"][0])[:10] == "2020-03-05"
    assert [w[2:] for w in sheet.warning_rows] == [
        (3, "受理日期", "3月5日", "受理日期「3月5日」没有写年份，按本表标题的2020年读作2020-03-05")
    ]
    path = write_xlsx(tmp_path / "无年.xlsx", {"S": [["东坪乡矛盾纠纷排查调处台账"], HEADER, _row("3月5日")]})
    assert list(parse_file(path).sheets[0].rejects["reason"]) == ["无法识别的日期：3月5日"]
