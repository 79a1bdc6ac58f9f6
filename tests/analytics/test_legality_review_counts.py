"""What a legality review register's rates count (an outside test's findings F03, F12, F18).

A matter only submitted for review at the year's end (a 提交日期, no review, no decision or signing)
counted as a decision made or a contract signed without review: 1/2 missed for 1/1 met, and the
report named it as decided unreviewed. A contract register with no 类型 column (合同合法性审查台账,
合同名称) was all 其他涉法事务, so its unreviewed contract vanished (no data for 3/4 missed). 「政府法律
顾问共审查涉法事项N件」 counted every row naming the adviser, reviewed or not (3 for 1). Each figure
goes through a real workbook, the ETL, a DuckDB file and the scorecard or the report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.report.pack import build_pack
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

D = dt.datetime


def _load(folder: Path, title: str, header: list[str], rows: list[list[object]]) -> tuple[Path, Path]:
    path = write_xlsx(folder / "reviews.xlsx", {"Sheet1": [[title], header, *rows]})
    database = folder / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    return path, database


def _card_and_body(database: Path) -> tuple[dict, str]:
    con = db.reader(database).cursor()
    try:
        card = scorecard(con, periods.parse("2024"))["metrics"]
        report = build_pack(con, periods.parse("2024"), "珠龙镇", "zh").text
    finally:
        con.close()
    return card, "\n".join(p for s in report.sections for p in s.paragraphs)


PENDING_HEADER = ["事项", "类型", "提交日期", "审查日期", "决策日期", "审查人", "审查意见", "是否采纳"]
PENDING_ROWS = [
    ["镇区道路改造项目", "重大行政决策", D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 10), "法律顾问", "同意", "是"],
    ["镇敬老院改扩建", "重大行政决策", D(2024, 12, 20), None, None, None, None, None],  # waiting for review
    ["垃圾清运服务合同", "合同", D(2024, 11, 1), D(2024, 11, 2), D(2024, 11, 5), "法律顾问", "无意见", "是"],
    ["农村公路养护合同", "合同", D(2024, 12, 28), None, None, None, "待审查", None],  # waiting, said so
    ["农贸市场租赁合同", "合同", D(2024, 9, 1), None, None, None, "未送审", None],  # never sent: unreviewed
]


@pytest.fixture(scope="module")
def pending(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _load(tmp_path_factory.mktemp("pending"), "珠龙镇2024年合法性审查台账", PENDING_HEADER, PENDING_ROWS)


def test_a_matter_only_submitted_is_no_decision_yet(pending: tuple[Path, Path]) -> None:
    card, body = _card_and_body(pending[1])
    major, contract = card["major_decision_review_rate"], card["contract_review_rate"]
    assert (major["numerator"], major["denominator"], major["status"]) == (1, 1, "met")  # was 1/2 missed
    # 公路养护 waits; 租赁合同 was never sent for review, and the register says so
    assert (contract["numerator"], contract["denominator"]) == (1, 2)
    assert "镇敬老院改扩建" not in body and "农村公路养护合同" not in body
    assert "“农贸市场租赁合同”" in body


def test_the_load_says_which_rows_wait_for_review(pending: tuple[Path, Path]) -> None:
    (sheet,) = parse_file(pending[0]).sheets
    said: dict[int, list[str]] = {}
    for row, message in zip(sheet.warnings["excel_row"], sheet.warnings["message"], strict=True):
        said.setdefault(row, []).append(message)
    waiting = sorted(
        row for row, found in said.items() if any("按待审查计，不计入决策（签订）件数" in m for m in found)
    )
    assert waiting == [4, 6]  # 敬老院 and 公路养护, under the title and the header; not 租赁合同 (未送审)
    assert len(said[6]) == 1 and "未经合法性审查" in said[7][0]  # 待审查 is said once, as waiting
    assert list(sheet.rows["pending"]) == [False, True, False, True, False]


CONTRACT_HEADER = ["序号", "合同名称", "送审日期", "审查日期", "签订日期", "审查人", "审查意见"]
CONTRACT_ROWS = [
    [1, "办公楼租赁合同", D(2024, 2, 1), D(2024, 2, 3), D(2024, 2, 10), "法律顾问", "同意"],
    [2, "保洁服务合同", D(2024, 4, 1), D(2024, 4, 2), D(2024, 4, 8), "司法所", "同意"],
    [3, "村道硬化工程施工合同", None, None, D(2024, 9, 5), None, None],  # signed with no review
    [4, "物业管理服务协议", D(2024, 10, 1), D(2024, 10, 3), D(2024, 10, 9), "法律顾问", "同意"],
]


@pytest.mark.parametrize(
    ("title", "header"),
    [
        ("珠龙镇2024年合同合法性审查台账", ["序号", "名称", *CONTRACT_HEADER[2:]]),  # the title says
        ("珠龙镇2024年合法性审查台账", CONTRACT_HEADER),  # the name column says
    ],
    ids=["title", "name column"],
)
def test_a_contract_register_without_a_type_column_is_of_contracts(
    tmp_path: Path, title: str, header: list[str]
) -> None:
    path, database = _load(tmp_path, title, header, CONTRACT_ROWS)
    card, body = _card_and_body(database)
    rate = card["contract_review_rate"]
    assert (rate["numerator"], rate["denominator"], rate["status"]) == (3, 4, "missed")  # was no data
    assert "“村道硬化工程施工合同”（合同" in body
    (sheet,) = parse_file(path).sheets
    assert all(message.startswith("没有类型列，按「") for message in sheet.warnings["message"])


def test_names_say_contract_when_nothing_else_does(tmp_path: Path) -> None:
    rows = [[1, "办公楼租赁合同", D(2024, 2, 1), D(2024, 2, 3), D(2024, 2, 10), "法律顾问", "同意"],
            [2, "规范性文件备案", D(2024, 3, 1), D(2024, 3, 2), D(2024, 3, 8), "司法所", "同意"]]  # fmt: skip
    header = ["序号", "事项", "送审日期", "审查日期", "签订日期", "审查人", "审查意见"]
    path, _ = _load(tmp_path, "珠龙镇2024年合法性审查台账", header, rows)
    (sheet,) = parse_file(path).sheets
    assert list(sheet.rows["matter_kind"]) == ["contract", "other"]
    assert list(sheet.warnings["message"]) == ["没有类型列，事项「办公楼租赁合同」按名称计为合同"]


def test_the_adviser_counts_only_what_was_reviewed(tmp_path: Path) -> None:
    header = ["事项", "类型", "提交日期", "审查日期", "决策日期", "审查人", "是否经合法性审查", "审查意见"]
    rows = [
        ["镇区道路改造项目", "重大行政决策", D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 10), "法律顾问", "是", "同意"],
        ["集镇污水管网建设", "重大行政决策", D(2024, 6, 1), None, D(2024, 6, 20), "法律顾问", "否", "未送审"],
        ["农贸市场租赁合同", "合同", D(2024, 9, 1), None, D(2024, 9, 10), "法律顾问", "否", None],
        ["路灯维护服务协议", "合同", D(2024, 12, 1), D(2024, 12, 3), D(2024, 12, 6), "司法所", "是", "同意"],
    ]
    _, database = _load(tmp_path, "珠龙镇2024年合法性审查台账", header, rows)
    _, body = _card_and_body(database)
    assert "2024年政府法律顾问共审查涉法事项1件" in body  # was 3
