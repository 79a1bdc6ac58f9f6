"""乡镇 cells (and titles) that name no town: a town's body is that town, 全镇 or 镇本级 is the
ledger's own town (said), 县直 is no town's (rejected, with the reason); none becomes a "town"."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.names import town_reading
from etl.parse import SheetResult, parse_file
from tests.workbooks import write_xlsx

HEADER = ["乡镇", "受理日期", "所属村", "纠纷类型", "调解方式", "调解结果"]


def _sheet(tmp_path: Path, towns: list[str], title: str, file_name: str = "d.xlsx", **kw: str) -> SheetResult:
    body = [[t, f"2020-03-{i:02d}", "龙村", "邻里纠纷", "书面", "调解成功"] for i, t in enumerate(towns, 1)]
    return parse_file(write_xlsx(tmp_path / file_name, {"S": [[title], HEADER, *body]}), **kw).sheets[0]


@pytest.mark.parametrize(
    ("cell", "reading"),
    [
        ("珠龙镇人民政府", ("town", "珠龙镇")),
        ("珠龙镇政府", ("town", "珠龙镇")),
        ("珠龙镇党委", ("town", "珠龙镇")),
        ("东街街道办事处", ("town", "东街街道")),
        ("全镇", ("this", None)),
        ("镇本级", ("this", None)),
        ("本镇", ("this", None)),
        ("镇直", ("this", None)),
        ("乡政府", ("this", None)),
        ("县直", ("above", None)),
        ("县本级", ("above", None)),
        ("市直单位", ("above", None)),
    ],
)
def test_what_a_town_cell_says(cell: str, reading: tuple[str, str | None]) -> None:
    assert town_reading(cell) == reading


def test_town_column_words_are_read_as_the_ledgers_town_or_rejected(tmp_path: Path) -> None:
    towns = ["珠龙镇", "镇本级", "全镇", "县直", "珠龙镇人民政府", "珠龙镇党委", "东坪乡"]
    sheet = _sheet(tmp_path, towns, "珠龙镇2020年矛盾纠纷排查调处台账")
    assert list(sheet.table["town"]) == ["珠龙镇", "珠龙镇", "珠龙镇", "珠龙镇", "珠龙镇", "东坪乡"]
    assert list(sheet.table["excel_row"]) == [3, 4, 5, 7, 8, 9]
    assert [(w[2], w[-1]) for w in sheet.warning_rows] == [
        (4, "乡镇写的是「镇本级」，指本乡镇自身，已按标题中的乡镇「珠龙镇」计入，请核对"),
        (5, "乡镇写的是「全镇」，指本乡镇自身，已按标题中的乡镇「珠龙镇」计入，请核对"),
    ]
    assert [(r[2], r[5]) for r in sheet.reject_rows] == [
        (
            6,
            "乡镇写的是「县直」，是县（市、区）一级，不是乡镇，不计入任何乡镇；如是本乡镇的事项，请把乡镇改为乡镇名称后重新导入",
        )
    ]
    assert sheet.towns == (("珠龙镇", 5), ("东坪乡", 1))


def test_the_town_given_at_import_is_the_town_a_whole_town_cell_means(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, ["全镇", "本镇"], "2020年矛盾纠纷排查调处台账", town="东坪乡")
    assert list(sheet.table["town"]) == ["东坪乡", "东坪乡"]
    assert all("已按导入时指定的乡镇「东坪乡」计入" in w[-1] for w in sheet.warning_rows)


def test_a_title_saying_the_whole_town_names_no_town(tmp_path: Path) -> None:
    """2020年全镇矛盾纠纷台账 in 东坪乡台账.xlsx is 东坪乡's (the file name says so), not a town 全镇's."""
    rows = [["2020年全镇矛盾纠纷排查调处台账"], HEADER[1:], ["2020-03-01", "龙村", "邻里纠纷", "书面", "调解成功"]]
    sheet = parse_file(write_xlsx(tmp_path / "东坪乡台账.xlsx", {"S": rows})).sheets[0]
    assert (list(sheet.table["town"]), sheet.town_source) == (["东坪乡"], "文件名")


def test_a_town_written_without_its_suffix_is_that_town_and_said(tmp_path: Path) -> None:
    """珠龙 beside 珠龙镇 (or under a title naming 珠龙镇) became a second town, unsaid."""
    sheet = _sheet(tmp_path, ["珠龙镇", "珠龙", "东坪", "东坪乡"], "珠龙镇2020年矛盾纠纷台账")
    assert sheet.table["town"].tolist() == ["珠龙镇", "珠龙镇", "东坪乡", "东坪乡"]
    said = [w[5] for w in sheet.warning_rows]
    assert (
        "乡镇写的是「珠龙」，按「珠龙镇」计入，请核对" in said
        and "乡镇写的是「东坪」，按「东坪乡」计入，请核对" in said
    )


def test_a_village_written_without_its_cun_beside_it_with_is_that_village_and_said(tmp_path: Path) -> None:
    header = ["受理日期", "所属村", "纠纷类型", "调解方式", "调解结果"]
    villages = ["张庄", "张庄村", "李家村委会", "李家", "王湾"]
    body = [[f"2020-03-{i:02d}", v, "邻里纠纷", "书面", "调解成功"] for i, v in enumerate(villages, 1)]
    sheet = parse_file(
        write_xlsx(tmp_path / "珠龙镇2020年矛盾纠纷台账.xlsx", {"S": [["珠龙镇2020年矛盾纠纷台账"], header, *body]})
    ).sheets[0]
    assert sheet.table["village"].tolist() == ["张庄村", "张庄村", "李家村", "李家村", "王湾"]
    assert sum("本表也有" in w[5] for w in sheet.warning_rows) == 2


def test_a_town_named_with_the_other_suffix_is_the_sheets_town_said(tmp_path: Path) -> None:
    """东坪镇 in 东坪乡's ledger (乡 and 镇 mixed up, or the old name after 撤乡设镇) was a town of its
    own, silently: its rows left 东坪乡's figures (round 10's F09). Now it is 东坪乡, with a warning;
    珠龙镇 beside it stays a town of its own."""
    towns = ["东坪乡", "东坪镇", "东坪镇人民政府", "东坪乡人民政府", "珠龙镇"]
    sheet = _sheet(tmp_path, towns, "东坪乡2020年矛盾纠纷排查调处台账", town="东坪乡")
    assert list(sheet.table["town"]) == ["东坪乡", "东坪乡", "东坪乡", "东坪乡", "珠龙镇"]
    said = "与导入时指定的乡镇「东坪乡」只差「乡」「镇」「街道」的写法，已按「东坪乡」计入，请核对"
    assert [(w[2], w[-1]) for w in sheet.warning_rows] == [
        (4, f"乡镇写的是「东坪镇」，{said}；如确是另一个乡镇，请单独导入"),
        (5, f"乡镇写的是「东坪镇人民政府」，{said}；如确是另一个乡镇，请单独导入"),
    ]
    assert sheet.towns == (("东坪乡", 4), ("珠龙镇", 1))
