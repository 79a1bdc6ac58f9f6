"""The same record on two sheets of one workbook is counted once where that is clear, and said."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from etl import across_sheets
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

HEADER = ["序号", "受理日期", "所属村(社区)", "纠纷类型", "当事人", "调解方式", "调解结果"]
JANUARY = [[i + 1, dt.datetime(2020, 1, i + 2), "龙村", "邻里纠纷", f"张{i}", "书面", "调解成功"] for i in range(3)]
FEBRUARY = [
    [i + 1, dt.datetime(2020, 2, i + 2), "虎村", "婚姻家庭纠纷", f"李{i}", "口头", "调解成功"] for i in range(2)
]
YEAR = [[i + 1, *row[1:]] for i, row in enumerate(JANUARY + FEBRUARY)]  # renumbered on the year's sheet


def _sheet(title: str, rows: list[list[object]]) -> list[list[object]]:
    return [[f"东坪乡2020年{title}矛盾纠纷排查调处台账"], HEADER, *rows]


def _counts(path: Path) -> dict[str, tuple[int, list[str]]]:
    return {s.sheet: (s.row_count, [w[-1] for w in s.warning_rows]) for s in parse_file(path).sheets}


def test_a_year_sheet_after_the_months_is_not_counted_again(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "东坪乡2020年台账.xlsx",
        {"1月": _sheet("1月", JANUARY), "2月": _sheet("2月", FEBRUARY), "全年汇总": _sheet("", YEAR)},
    )
    assert _counts(path) == {
        "1月": (3, []),
        "2月": (2, []),
        "全年汇总": (0, ["本表 5 行的记录全部已在工作表「1月」「2月」中（可能是汇总表或副本），未重复计入；"
                      "如确是另外的记录，请核对后删去重复的工作表再导入"]),
    }  # fmt: skip
    load_file(path, path=tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT sheet) FROM disputes").fetchone() == (5, 2)


def test_a_year_sheet_before_the_months_is_the_one_counted(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "台账.xlsx",
        {"全年": _sheet("", YEAR), "1月": _sheet("1月", JANUARY), "2月": _sheet("2月", FEBRUARY)},
    )
    counts = _counts(path)
    assert {sheet: rows for sheet, (rows, _) in counts.items()} == {"全年": 5, "1月": 0, "2月": 0}
    assert counts["1月"][1] == [
        "本表 3 行的记录全部已在工作表「全年」中（可能是汇总表或副本），未重复计入；如确是另外的记录，请核对后删去重复的工作表再导入"
    ]


def test_a_sheet_repeating_some_records_is_counted_and_said(tmp_path: Path) -> None:
    march = [[1, dt.datetime(2020, 3, 2), "龙村", "邻里纠纷", "王五", "书面", "调解成功"]]
    path = write_xlsx(tmp_path / "台账.xlsx", {"1月": _sheet("1月", JANUARY), "补录": _sheet("", JANUARY[1:] + march)})
    assert _counts(path)["补录"] == (
        3,
        [f"与工作表「1月」第{row}行的记录相同，可能重复计入；已按两行计入，请核对" for row in (4, 5)],
    )


@pytest.mark.parametrize("change", ["town", "outcome"])
def test_records_that_differ_in_any_read_column_are_different(tmp_path: Path, change: str) -> None:
    other = [list(row) for row in JANUARY]
    if change == "town":  # the same sheet for another town: a county's workbook
        sheets = {"东坪乡": _sheet("", JANUARY), "郑集镇": [["郑集镇2020年矛盾纠纷排查调处台账"], HEADER, *other]}
    else:
        other[0][6] = "调解失败"
        sheets = {"1月": _sheet("1月", JANUARY), "1月（改）": _sheet("1月", other)}
    counts = _counts(write_xlsx(tmp_path / "台账.xlsx", sheets))
    second = list(counts.values())[1]
    assert second[0] == 3
    assert len([w for w in second[1] if "记录相同" in w]) == (0 if change == "town" else 2)


def test_a_workbook_of_one_sheet_builds_no_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(across_sheets, "records", lambda table: pytest.fail("records built"))
    path = write_xlsx(tmp_path / "台账.xlsx", {"1月": _sheet("1月", JANUARY)})
    assert _counts(path) == {"1月": (3, [])}


def test_a_sheet_not_counted_says_nothing_of_its_rows(tmp_path: Path) -> None:
    """Its rows aren't counted: a note on one of them (a hidden row, here) would say 已照常计入 falsely."""
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "台账.xlsx", {"1月": _sheet("1月", JANUARY), "全年": _sheet("", JANUARY)})
    book = load_workbook(path)
    book["全年"].row_dimensions[4].hidden = True
    book.save(path)
    rows, notes = _counts(path)["全年"]
    assert rows == 0 and len(notes) == 1 and notes[0].startswith("本表 3 行的记录全部已在工作表「1月」中")


def test_a_case_carried_to_the_next_months_sheet_is_counted_once_in_its_later_state(tmp_path: Path) -> None:
    """编号 ZL-6 调解中 on 3月, listed again on 4月 with its result (上月结转): one case, 成功
    (before: two, one of them still 调解中, nothing said)."""
    header = ["编号", "受理日期", "所属村", "纠纷类型", "当事人", "调解方式", "调解结果", "备注"]
    march = [["ZL-5", dt.datetime(2024, 3, 4), "张庄村", "邻里纠纷", "张三", "口头", "调解成功", ""],
             ["ZL-6", dt.datetime(2024, 3, 20), "李庄村", "合同纠纷", "王五", "", "调解中", ""]]  # fmt: skip
    april = [["ZL-6", dt.datetime(2024, 3, 20), "李庄村", "合同纠纷", "王五", "书面", "调解成功", "上月结转"],
             ["ZL-7", dt.datetime(2024, 4, 11), "张庄村", "邻里纠纷", "钱七", "书面", "调解成功", ""]]  # fmt: skip
    title = ["珠龙镇2024年矛盾纠纷排查调处台账"]
    path = write_xlsx(tmp_path / "台账.xlsx", {"3月": [title, header, *march], "4月": [title, header, *april]})
    first, second = parse_file(path).sheets
    assert list(first.rows["case_no"]) == ["ZL-5"] and list(second.rows["case_no"]) == ["ZL-6", "ZL-7"]
    assert list(second.rows["outcome"]) == ["success", "success"]
    assert [w[2:] for w in first.warning_rows] == [
        (
            4,
            "编号",
            "ZL-6",
            "编号「ZL-6」（2024-03-20）在工作表「4月」第3行再次列出（后来的情况）；按那一行计入，本行未计入，请核对",
        )
    ]
    assert [w[2] for w in second.warning_rows] == [3]
    load_file(path, path=tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*), count(*) FILTER (outcome = 'pending') FROM disputes").fetchone() == (3, 0)


def test_the_same_number_on_another_date_is_another_case(tmp_path: Path) -> None:
    """编号 repeated with another 受理日期: a number typed again, most likely; both counted."""
    header = ["编号", "受理日期", "所属村", "调解结果"]
    title = ["珠龙镇2024年矛盾纠纷排查调处台账"]
    march = [["ZL-6", dt.datetime(2024, 3, 20), "李庄村", "调解中"]]
    april = [["ZL-6", dt.datetime(2024, 4, 2), "李庄村", "调解成功"]]
    path = write_xlsx(tmp_path / "台账.xlsx", {"3月": [title, header, *march], "4月": [title, header, *april]})
    assert [s.row_count for s in parse_file(path).sheets] == [1, 1]


def test_a_case_pending_over_two_months_then_closed_is_one_case(tmp_path: Path) -> None:
    """调解中 on 3月 and 4月 alike, 成功 on 5月: one case, the 5月 row (before: three, two pending)."""
    header = ["编号", "受理日期", "所属村", "调解结果"]
    title = ["珠龙镇2024年矛盾纠纷排查调处台账"]
    pending = ["ZL-6", dt.datetime(2024, 3, 20), "李庄村", "调解中"]
    sheets = {"3月": [title, header, pending], "4月": [title, header, list(pending)]}
    sheets["5月"] = [title, header, [*pending[:3], "调解成功"]]
    result = parse_file(write_xlsx(tmp_path / "台账.xlsx", sheets)).sheets
    assert [s.row_count for s in result] == [0, 0, 1]
    assert not any("可能重复计入" in w[5] for s in result for w in s.warning_rows)
    assert [len(s.warning_rows) for s in result] == [1, 1, 1]
