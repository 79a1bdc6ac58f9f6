import pytest

from etl.headers import clean_header, find_header, town_from_titles, two_row_labels, year_from_titles
from etl.specs import header_score


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("所属村（社区）", "所属村(社区)"),
        (" 受理\n日期 ", "受理日期"),
        ("*文件名称", "文件名称"),
        ("备注：", "备注"),
        (2020.0, "2020"),
    ],
)
def test_clean_header(raw: object, expected: str) -> None:
    assert clean_header(raw) == expected


@pytest.mark.parametrize(
    "title, town",
    [
        ("珠龙镇2020年矛盾纠纷排查调处台账", "珠龙镇"), ("2020年珠龙镇矛盾纠纷排查调处台账", "珠龙镇"),
        ("某某县黄田乡2019年规范性文件登记表", "黄田乡"), ("城关街道2021年学法台账", "城关街道"),
        ("矛盾纠纷排查调处台账", None), ("各乡镇学法情况", None),
        ("中共珠龙镇委员会2024年理论学习中心组学法记录", "珠龙镇"), ("中国共产党东坪乡委员会学法台账", "东坪乡"),
    ],
)  # fmt: skip
def test_town_from_titles(title: str, town: str | None) -> None:
    assert town_from_titles([title]) == town


def test_year_from_titles() -> None:
    assert year_from_titles(["珠龙镇2020年矛盾纠纷排查调处台账"]) == 2020
    assert year_from_titles(["执法人员名册"]) is None


def test_two_row_labels_with_merges() -> None:
    parent = ["受理日期", "调解方式", "", "调解结果", ""]
    child = ["", "书面", "口头", "成功", "失败"]
    assert two_row_labels(parent, child, [(1, 2), (3, 4)]) == [
        "受理日期", "调解方式/书面", "调解方式/口头", "调解结果/成功", "调解结果/失败",
    ]  # fmt: skip


def test_two_row_labels_without_merges_fill_from_left() -> None:
    assert two_row_labels(["日期", "调解结果", ""], ["", "成功", "失败"], []) == [
        "日期",
        "调解结果/成功",
        "调解结果/失败",
    ]


def test_find_header_below_titles() -> None:
    rows = [
        ["珠龙镇2020年台账", "", ""],
        ["制表单位：司法所", "", ""],
        ["受理日期", "纠纷类型", "调解结果"],
        ["2020-1-1", "邻里", "成功"],
    ]
    header = find_header(rows, [], header_score, 4)
    assert header is not None
    assert (header.row, header.depth, header.labels) == (2, 1, ["受理日期", "纠纷类型", "调解结果"])
    assert header.titles == ["珠龙镇2020年台账", "制表单位：司法所"]


def test_find_header_two_rows() -> None:
    rows = [["日期", "调解结果", ""], ["", "成功", "失败"], ["2020-1-1", "√", ""]]
    header = find_header(rows, [((0, 1), (0, 2))], header_score, 4)
    assert header is not None
    assert (header.row, header.depth) == (0, 2)
    assert header.labels == ["日期", "调解结果/成功", "调解结果/失败"]


def test_no_header() -> None:
    assert find_header([["a", "b"], ["c", "d"]], [], header_score, 4) is None
