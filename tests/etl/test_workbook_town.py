"""Which town a sheet's rows belong to: its column (merged down a block too), its title, the file
name, the one town the workbook's other titles name, and only then the default, always warned."""

import datetime as dt
from pathlib import Path

from etl.parse import parse_file
from tests.workbooks import STAFF_HEADER, TRAINING_HEADER, write_xlsx


def test_county_workbook_with_town_and_village_merged_down(tmp_path: Path) -> None:
    header = ["乡镇", "村(社区)", "受理日期", "纠纷类型", "调解方式", "调解结果"]
    rows: list[list[object]] = [["某县2021年矛盾纠纷排查调处台账"], header]
    blocks = [("郑集镇", "东村", 3), ("郑集镇", "西村", 2), ("黄田乡", "南村", 4)]
    merges, r = ["A1:F1"], 3
    for town, village, count in blocks:
        for i in range(count):
            rows.append(
                [
                    town if i == 0 else None,
                    village if i == 0 else None,
                    dt.datetime(2021, 2, 1 + i),
                    "邻里",
                    "口头",
                    "成功",
                ]
            )
        merges += [f"A{r}:A{r + count - 1}", f"B{r}:B{r + count - 1}"]
        r += count
    merges = [m for m in merges if m not in ("A3:A5", "A6:A7")] + ["A3:A7"]  # 郑集镇 over both its villages
    sheet = parse_file(write_xlsx(tmp_path / "全县台账.xlsx", {"S": rows}, {"S": merges})).sheets[0]
    assert list(sheet.rows["town"]) == ["郑集镇"] * 5 + ["黄田乡"] * 4
    assert list(sheet.rows["village"]) == ["东村"] * 3 + ["西村"] * 2 + ["南村"] * 4
    assert sheet.rejects.empty and sheet.warnings.empty


def _roster() -> list[list[object]]:
    return [STAFF_HEADER, ["王芳", "执法办", "是", "A1", dt.datetime(2027, 1, 1), "在岗"]]


def _attendance(title: str) -> list[list[object]]:
    return [[title], TRAINING_HEADER, [dt.datetime(2021, 5, 8), "民法典", "执法培训", 4, "王芳", "执法办", "是"]]


def test_untitled_sheet_takes_the_file_name_town(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "郑集镇2021年学法培训台账.xlsx", {"名册": _roster(), "台账": _attendance("2021年学法培训台账")}
    )
    result = parse_file(path)
    assert [(s.town, s.town_source) for s in result.sheets] == [("郑集镇", "文件名"), ("郑集镇", "文件名")]
    assert all(s.warnings.empty for s in result.sheets)


def test_untitled_sheet_takes_the_town_of_the_other_titles(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "学法培训.xlsx", {"名册": _roster(), "台账": _attendance("郑集镇2021年学法培训台账")})
    result = parse_file(path)
    assert [(s.town, s.town_source) for s in result.sheets] == [("郑集镇", "工作表「台账」的标题"), ("郑集镇", "标题")]


def test_default_town_is_always_a_warning(tmp_path: Path) -> None:
    sheets = {"名册": _roster(), "甲": _attendance("郑集镇2021年台账"), "乙": _attendance("黄田乡2021年台账")}
    result = parse_file(write_xlsx(tmp_path / "学法培训.xlsx", sheets), default_town="默认镇")
    roster = result.sheets[0]
    assert (roster.town, roster.town_source) == ("默认镇", "默认乡镇")
    [message] = roster.warnings["message"]
    assert "多个乡镇（郑集镇、黄田乡）" in message and "默认乡镇「默认镇」" in message


def test_title_and_file_name_that_disagree_are_said(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "黄田乡台账.xlsx", {"台账": _attendance("郑集镇2021年学法培训台账")})
    sheet = parse_file(path).sheets[0]
    assert sheet.town == "郑集镇"
    assert list(sheet.warnings["message"]) == ["标题写的是「郑集镇」，文件名写的是「黄田乡」，已按标题计入"]
