"""One record entered twice, or kept in two files: said. A 序号 column numbered a row typed twice anew, so the
repeated-row check never fired on a numbered ledger; a village's own file (no 所属村) and the town's, or one
document titled 关于印发《X》的通知 in one register and X in another, were never named as the same record."""

from __future__ import annotations

from pathlib import Path

from etl.load import load_file
from etl.parse import parse_file
from etl.preview import preview_upload
from tests.workbooks import write_xlsx


def test_a_row_typed_twice_is_said_though_its_serial_number_differs(tmp_path: Path) -> None:
    header = ["序号", "培训日期", "培训内容", "形式", "学时", "姓名"]
    rows = [[1, "2024-03-05", "民法典", "执法培训", 16, "王芳"], [2, "2024-04-05", "行政处罚法", "执法培训", 16, "王芳"],
            [3, "2024-04-05", "行政处罚法", "执法培训", 16, "王芳"]]  # fmt: skip
    path = write_xlsx(
        tmp_path / "珠龙镇2024年学法培训台账.xlsx", {"学法": [["珠龙镇2024年学法培训台账"], header, *rows]}
    )
    said = [w[5] for w in parse_file(path).sheets[0].warning_rows]
    assert said == ["与第4行的内容完全相同（序号等未读取的列除外），可能重复录入；已按两行计入，请核对"]


def _duplicates(tmp_path: Path, first: Path, second: Path) -> int:
    warehouse = tmp_path / "w.duckdb"
    load_file(first, path=warehouse)
    return sum(s.duplicates for s in preview_upload(second.read_bytes(), second.name, warehouse).sheets)


def test_a_dispute_in_a_villages_file_and_the_towns_is_named_as_one(tmp_path: Path) -> None:
    town = ["受理日期", "所属村", "纠纷类型", "当事人", "调解方式", "调解结果"]
    village = ["受理日期", "纠纷类型", "当事人", "调解方式", "调解结果"]
    rows = [
        ["2024-03-05", "邻里纠纷", "张三、李四", "书面", "调解成功"],
        ["2024-04-05", "婚姻家庭", "王五 赵六", "口头", "调解不成"],
    ]
    first = write_xlsx(tmp_path / "珠龙镇2024年矛盾纠纷台账.xlsx",
                       {"S": [["珠龙镇2024年矛盾纠纷台账"], town, *[[r[0], "张庄村", *r[1:]] for r in rows]]})  # fmt: skip
    rows[0][2] = "张三,李四"
    second = write_xlsx(
        tmp_path / "张庄村2024年矛盾纠纷台账.xlsx", {"S": [["珠龙镇张庄村2024年矛盾纠纷台账"], village, *rows]}
    )
    assert _duplicates(tmp_path, first, second) == 2


def test_a_document_in_two_registers_is_named_as_one(tmp_path: Path) -> None:
    header = ["文号", "文件名称", "印发日期", "合法性审查", "是否公开", "是否备案"]
    titles = [
        ("关于印发《珠龙镇村规民约》的通知", "珠龙镇村规民约"),
        ("《珠龙镇 河长制实施办法》", "珠龙镇河长制实施办法"),
    ]
    first = write_xlsx(tmp_path / "珠龙镇2024年规范性文件登记台账.xlsx",
                       {"S": [["珠龙镇2024年规范性文件登记台账"], header,
                              *[[f"珠政〔2024〕{i}号", a, f"2024-03-0{i}", "是", "是", "是"] for i, (a, _) in enumerate(titles, 1)]]})  # fmt: skip
    second = write_xlsx(tmp_path / "珠龙镇2024年规范性文件备案台账.xlsx",
                        {"S": [["珠龙镇2024年规范性文件备案台账"], header,
                               *[[f"珠政〔2024〕{i}号", b, f"2024-03-0{i}", "是", "是", "是"] for i, (_, b) in enumerate(titles, 1)]]})  # fmt: skip
    assert _duplicates(tmp_path, first, second) == 2
