"""Samples are no data: a 填表说明 sheet holding a sample table under the ledger's headers is not
loaded, and a sample row (序号 示例 / 例 / 样例, a cell beginning 示例：) is not counted; each is said,
through the real engine and down to the figures. Both were counted as real disputes, silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.examples import is_mark
from etl.parse import parse_file
from tests.workbooks import write_xlsx

HEADER = ["序号", "受理日期", "所属村(社区)", "纠纷类型", "调解方式", "调解结果"]
REAL = [
    [1, "2024-02-05", "东村", "邻里纠纷", "书面", "调解成功"],
    [2, "2024-03-05", "西村", "土地纠纷", "口头", "调解成功"],
    [3, "2024-04-05", "南村", "合同纠纷", "口头", "调解不成"],
]
TITLE = "珠龙镇2024年矛盾纠纷排查调处台账"
INSTRUCTIONS = [
    ["填表说明"],
    ["1. 一行填写一件纠纷，受理日期填写具体日期。"],
    ["2. 示例如下："],
    HEADER,
    ["例", "2024-01-01", "XX村", "邻里纠纷", "书面", "调解成功"],
    ["例", "2024-01-02", "XX村", "婚姻家庭纠纷", "口头", "调解不成"],
]


def test_instructions_sheet_and_sample_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ledger.xlsx",
        {"填表说明": INSTRUCTIONS, "台账": [[TITLE], HEADER, ["示例", "2024-01-05", "张三村", "邻里纠纷", "书面", "调解成功"], *REAL]},
    )  # fmt: skip
    result = parse_file(path)
    assert [s.sheet for s in result.sheets] == ["台账"]
    [(name, reason)] = result.skipped
    assert name == "填表说明" and "填表说明或示例" in reason and "未导入" in reason
    sheet = result.sheets[0]
    assert list(sheet.rows["excel_row"]) == [4, 5, 6]  # was 6 disputes: 3, the sample row and the 2 on 填表说明
    assert list(sheet.rows["agreement_form"]) == ["written", "oral", "oral"]
    assert list(sheet.rows["outcome"]) == ["success", "success", "failed"]
    assert sheet.rejects.empty
    assert list(sheet.warnings["excel_row"]) == [3]
    assert list(sheet.warnings["message"]) == [
        "此行的「序号」写着「示例」，读作填表示例，不算一条数据，未计入；如是真实数据，请删去「示例」字样后重新导入"
    ]


@pytest.mark.parametrize("name", ["填写说明", "说明", "示例", "样表", "填表示例", "说明及示例", "填表说明（勿删）"])
def test_sheets_named_as_instructions_are_not_loaded(tmp_path: Path, name: str) -> None:
    path = write_xlsx(tmp_path / "ledger.xlsx", {"台账": [[TITLE], HEADER, *REAL], name: [HEADER, *REAL]})
    result = parse_file(path)
    assert [s.sheet for s in result.sheets] == ["台账"]
    assert [n for n, _ in result.skipped] == [name]


@pytest.mark.parametrize(
    "title", ["填表说明", "填写示例：", "2. 示例如下：", "珠龙镇2024年矛盾纠纷排查调处台账（样表）"]
)
def test_a_title_saying_instructions(tmp_path: Path, title: str) -> None:
    path = write_xlsx(tmp_path / "ledger.xlsx", {"台账": [[TITLE], HEADER, *REAL], "Sheet2": [[title], HEADER, *REAL]})
    result = parse_file(path)
    assert [s.sheet for s in result.sheets] == ["台账"]
    [(name, reason)] = result.skipped
    assert name == "Sheet2" and f"表头上方写着「{title}」" in reason


def test_a_ledger_with_a_note_above_its_header_is_loaded(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ledger.xlsx", {"台账": [[TITLE], ["说明：日期按示例格式填写，如2024-01-05"], HEADER, *REAL]}
    )
    sheet = parse_file(path).sheets[0]
    assert len(sheet.rows) == 3 and sheet.warnings.empty


@pytest.mark.parametrize(
    "column, mark",
    [
        (0, "例"),
        (0, "样例"),
        (0, "填写示例"),
        (0, "（示例）"),
        (0, "例1"),
        (2, "示例：张三村"),
        (5, "【示例】调解成功"),
    ],
)
def test_sample_rows_anywhere(tmp_path: Path, column: int, mark: str) -> None:
    sample = [9, "2024-05-05", "北村", "邻里纠纷", "书面", "调解成功"]
    sample[column] = mark
    path = write_xlsx(tmp_path / "ledger.xlsx", {"台账": [[TITLE], HEADER, *REAL[:2], sample, REAL[2]]})
    sheet = parse_file(path).sheets[0]
    assert list(sheet.rows["excel_row"]) == [3, 4, 6]
    assert list(sheet.warnings["excel_row"]) == [5]
    assert f"写着「{mark}」，读作填表示例" in sheet.warnings["message"][0]


def test_sample_row_of_a_documents_register(tmp_path: Path) -> None:
    header = ["序号", "文件名称", "印发日期", "合法性审查", "是否公开", "备案日期"]
    path = write_xlsx(
        tmp_path / "register.xlsx",
        {
            "S": [
                ["珠龙镇2024年规范性文件登记表"],
                header,
                ["示例", "关于XX的规定", "2024-01-01", "是", "是", "2024-01-10"],
                [1, "关于村规民约管理的规定", "2024-03-05", "是", "是", "2024-03-20"],
            ]
        },
    )
    sheet = parse_file(path).sheets[0]
    assert list(sheet.rows["title"]) == ["关于村规民约管理的规定"]
    assert list(sheet.warnings["excel_row"]) == [3]


@pytest.mark.parametrize(
    "value, marked",
    [
        ("示例", True), ("例", True), ("例2", True), ("例：", True), ("示例：邻里纠纷", True), ("(样例)", True),
        ("案例", False), ("合同示例文本纠纷", False), ("举例说明了很多事情的一段长文字", False), ("例行检查", False),
        ("比例分配纠纷", False), (1, False), ("", False),
    ],
)  # fmt: skip
def test_is_mark(value: object, marked: bool) -> None:
    assert is_mark(value) is marked
