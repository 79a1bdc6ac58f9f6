"""A two-row header whose top row is a group's label over its columns (备案情况 over 是否备案 | 备案日期,
合法性审查 over 审查日期 | 审查人 | 审查意见, 答复情况 over 答复日期 | 答复类型): each column under the
group is read as the field its own label names, through the real engine, down to the figures. The
group's label alone named the group's first column, and the others went unread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.headers import find_header
from etl.load import load_file
from etl.parse import HEADER_MIN_SCORE, SheetResult, parse_file
from etl.specs import SPECS, field_for, header_score
from tests.workbooks import write_xlsx

D = dt.datetime


def two_row(
    tmp_path: Path, title: str, top: list[object], sub: list[object], merges: list[str], rows: list[list[object]]
) -> Path:
    return write_xlsx(tmp_path / f"{title}.xlsx", {"S": [[title], top, sub, *rows]}, {"S": merges})


def only(path: Path) -> SheetResult:
    result = parse_file(path)
    assert len(result.sheets) == 1, result.skipped
    return result.sheets[0]


def metric(path: Path, tmp_path: Path, name: str, period: str = "2024") -> tuple[float, float]:
    database = tmp_path / "w.duckdb"
    load_file(path, database)
    con = db.reader(database).cursor()
    try:
        found = scorecard(con, periods.parse(period))["metrics"][name]
    finally:
        con.close()
    return found["numerator"], found["denominator"]


def documents(tmp_path: Path) -> Path:
    return two_row(
        tmp_path,
        "珠龙镇2024年规范性文件登记备案台账",
        ["序号", "文号", "文件名称", "印发日期", "合法性审查", "是否公开", "备案情况", None],
        [None] * 6 + ["是否备案", "备案日期"],
        [f"{c}2:{c}3" for c in "ABCDEF"] + ["G2:H2"],
        [
            [1, "珠政规〔2024〕1号", "关于村规民约管理的规定", "2024-03-05", "是", "是", "是", "2024-03-20"],
            [2, "珠政规〔2024〕2号", "关于农村建房管理的办法", "2024-05-10", "是", "是", "是", "2024-05-30"],
            [3, "珠政规〔2024〕3号", "关于环境卫生整治的规定", "2024-08-01", "是", "是", "是", "2024-10-15"],
        ],
    )


def test_documents_filing_group(tmp_path: Path) -> None:
    path = documents(tmp_path)
    sheet = only(path)
    assert sheet.header_map["备案情况/是否备案"] == "filed"
    assert sheet.header_map["备案情况/备案日期"] == "filed_date"
    assert list(sheet.rows["excel_row"]) == [4, 5, 6]  # the sub-header row is header, not a rejected row
    assert list(sheet.rows["filed_date"].dt.day) == [20, 30, 15]
    assert sheet.rejects.empty and sheet.warnings.empty
    assert metric(path, tmp_path, "document_timely_filing_rate") == (2, 3)  # was 0/3: no 备案日期 read


def test_legality_review_group(tmp_path: Path) -> None:
    path = two_row(
        tmp_path,
        "珠龙镇2024年合法性审查台账",
        ["序号", "事项", "类型", "送审日期", "合法性审查", None, None, "签订日期"],
        [None] * 4 + ["审查日期", "审查人", "审查意见", None],
        [f"{c}2:{c}3" for c in "ABCDH"] + ["E2:G2"],
        [
            [1, "村道硬化工程施工合同", "合同", "2024-03-01", "2024-03-05", "法律顾问", "建议修改违约条款", "2024-03-10"],
            [2, "土地租赁合同", "合同", "2024-04-01", "2024-04-20", "法律顾问", "同意", "2024-04-10"],
            [3, "镇区停车管理重大行政决策", "重大行政决策", "2024-05-01", "2024-05-03", "司法所", "合法", "2024-05-20"],
            [4, "垃圾清运服务合同", "合同", "", "", "", "", "2024-06-10"],
        ],
    )  # fmt: skip
    sheet = only(path)
    assert {sheet.header_map[f"合法性审查/{c}"] for c in ("审查日期", "审查人", "审查意见")} == {
        "reviewed_date",
        "reviewer",
        "opinion",
    }
    assert list(sheet.rows["reviewer"]) == ["法律顾问", "法律顾问", "司法所", None]
    assert list(sheet.rows["reviewed_before"]) == [True, False, True, False]
    assert sheet.rejects.empty
    assert list(sheet.warnings["message"]) == ["审查日期晚于决策（签订）日期，不计为事前审查"]
    assert metric(path, tmp_path, "contract_review_rate") == (1, 3)  # was 0/3
    assert metric(path, tmp_path, "major_decision_review_rate") == (1, 1)  # was 0/1


def test_disclosure_reply_group(tmp_path: Path) -> None:
    path = two_row(
        tmp_path,
        "珠龙镇2024年政府信息公开申请登记台账",
        ["编号", "收到日期", "申请人", "申请内容", "答复情况", None],
        [None] * 4 + ["答复日期", "答复类型"],
        [f"{c}2:{c}3" for c in "ABCD"] + ["E2:F2"],
        [
            ["1", "2024-03-01", "张某", "a", "2024-03-20", "予以公开"],
            ["2", "2024-04-01", "李某", "b", "2024-04-15", "不予公开"],
            ["3", "2024-05-06", "王某", "c", "2024-07-30", "部分公开"],
            ["4", "2024-06-03", "赵某", "d", "2024-06-20", "信息不存在"],
        ],
    )
    sheet = only(path)
    assert sheet.header_map["答复情况/答复日期"] == "reply_date"
    assert sheet.header_map["答复情况/答复类型"] == "reply_type"
    assert list(sheet.rows["reply_type"]) == ["disclosed", "refused", "partly", "not_exist"]
    assert sheet.rejects.empty and sheet.warnings.empty  # were 8 warnings: 无法识别的答复类型：2024-03-20, …
    assert metric(path, tmp_path, "disclosure_on_time_rate") == (3, 4)  # was 0/3


def test_group_without_merges_reads_its_columns(tmp_path: Path) -> None:
    """A CSV-like sheet (no merge information): a blank over a sub-label belongs to the group on its left."""
    path = write_xlsx(
        tmp_path / "珠龙镇2024年规范性文件登记表.xlsx",
        {
            "S": [
                ["文件名称", "印发日期", "合法性审查", "是否公开", "备案情况", None],
                [None, None, None, None, "是否备案", "备案日期"],
                ["关于村规民约管理的规定", "2024-03-05", "是", "是", "是", "2024-03-20"],
            ]
        },
    )
    sheet = only(path)
    assert sheet.header_map["备案情况/备案日期"] == "filed_date"
    assert list(sheet.rows["filed_date"].dt.day) == [20]


@pytest.mark.parametrize(
    "dataset, label, field",
    [
        ("disputes", "调解方式/书面", "agreement_form:written"),  # a declared parent/child pair first
        ("disputes", "结案/日期", "closed_date"),  # the parent's words run into the child's
        ("disclosures", "答复情况/日期", "reply_date"),  # 答复 + 日期, 情况 being the group's word
        ("documents", "备案情况/备案日期", "filed_date"),
        ("legality_reviews", "合法性审查/审查人", "reviewer"),
        ("disputes", "调解/日期", None),  # 日期 alone may be the tail of 结案日期: no guess at 受理日期
        ("disputes", "当事人/电话", None),
    ],
)
def test_two_row_label_readings(dataset: str, label: str, field: str | None) -> None:
    assert field_for(SPECS[dataset], label) == field


def test_title_over_the_header_is_a_title() -> None:
    """A title in two cells over the header reads no better as a two-row header: the header is one row,
    and the title stays a title (its town and year are read)."""
    rows = [
        ["珠龙镇2024年规范性文件登记表", "填报单位：党政办"],
        ["文件名称", "印发日期", "是否备案", "备案日期"],
        ["关于村规民约管理的规定", "2024-03-05", "是", "2024-03-20"],
    ]
    header = find_header(rows, [], header_score, HEADER_MIN_SCORE)
    assert header is not None
    assert (header.row, header.depth) == (1, 1)
    assert header.titles == ["珠龙镇2024年规范性文件登记表", "填报单位：党政办"]
