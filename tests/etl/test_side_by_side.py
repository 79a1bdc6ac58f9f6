"""Tables side by side on one sheet under the same header block (上半年 in A–E, 下半年 in G–K): each
is read as a table of its own, and the sheet says so; none is dropped as a "synonym" of the other."""

from __future__ import annotations

from pathlib import Path

from etl.parse import SheetResult, parse_file
from tests.workbooks import TITLE, write_xlsx

HEADER = ["序号", "受理日期", "所属村", "纠纷类型", "调解方式", "调解结果"]


def _sheet(tmp_path: Path, left: list[list[object]], right: list[list[object]], gap: int = 1) -> SheetResult:
    width = len(HEADER)
    rows: list[list[object]] = [[TITLE], [*HEADER, *[None] * gap, *HEADER]]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else [None] * width
        b = right[i] if i < len(right) else [None] * width
        rows.append([*a, *[None] * gap, *b])
    return parse_file(write_xlsx(tmp_path / "d.xlsx", {"S": rows})).sheets[0]


def _dispute(i: int, day: str, village: str, form: str, outcome: object) -> list[object]:
    return [i, day, village, "邻里纠纷", form, outcome]


def test_both_tables_are_read_each_with_its_own_rows(tmp_path: Path) -> None:
    left = [_dispute(i, f"2020-03-0{i}", "龙村", "书面", "调解成功") for i in range(1, 5)]
    right = [_dispute(i, f"2020-08-0{i}", "虎村", "口头", "调解不成") for i in range(1, 4)]
    sheet = _sheet(tmp_path, left, right)
    assert sheet.reject_rows == []
    assert list(sheet.table["excel_row"]) == [3, 4, 5, 6, 3, 4, 5]
    assert list(sheet.table["village"]) == ["龙村"] * 4 + ["虎村"] * 3
    assert list(sheet.table["agreement_form"]) == ["written"] * 4 + ["oral"] * 3
    assert list(sheet.table["outcome"]) == ["success"] * 4 + ["failed"] * 3
    assert [w[-1] for w in sheet.warning_rows] == [
        "本表有 2 张表头相同的表左右并排，已各自按表读取后一并计入：A–F列 4 行、H–M列 3 行"
    ]


def test_a_reject_names_the_table_it_is_in(tmp_path: Path) -> None:
    left = [
        _dispute(1, "2020-03-01", "龙村", "书面", "调解成功"),
        _dispute(2, "2020-03-02", "龙村", "书面", "调解成功"),
    ]
    right = [_dispute(1, "2020-08-01", "虎村", "口头", "调解不成"), _dispute(2, "2020-08-02", "虎村", "口头", None)]
    sheet = _sheet(tmp_path, left, right, gap=0)
    assert len(sheet.table["outcome"]) == 3
    assert [(r[2], r[3], r[5]) for r in sheet.reject_rows] == [(4, "调解结果（G–L列）", "调解结果为空")]


def test_three_tables_a_quarter_each_are_all_read(tmp_path: Path) -> None:
    header = ["受理日期", "所属村", "调解结果"]
    rows: list[list[object]] = [[TITLE], [*header, *header, *header]]
    rows += [["2020-01-05", "龙村", "调解成功", "2020-04-05", "虎村", "调解成功", "2020-07-05", "龙村", "调解不成"]]
    rows += [["2020-01-06", "龙村", "调解成功", None, None, None, "2020-07-06", "虎村", "调解成功"]]
    sheet = parse_file(write_xlsx(tmp_path / "d.xlsx", {"S": rows})).sheets[0]
    assert sheet.reject_rows == []
    assert [str(d) for d in sheet.table["received_date"]] == [
        "2020-01-05", "2020-01-06", "2020-04-05", "2020-07-05", "2020-07-06"
    ]  # fmt: skip
    assert sheet.warning_rows[0][-1].endswith("A–C列 2 行、D–F列 1 行、G–I列 2 行")
