"""Words in the registers read the way town staff mean them (an outside test's findings F10–F12).

Each was counted the other way without a word: 审查意见 「未送审」 as a review, 「一般决策事项」 as a major
decision. Every test writes a real workbook, loads it, and checks the figure on the scorecard and
the warning that says what was inferred.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.datasets import cases, legality_reviews
from etl.load import load_file
from etl.parse import SheetResult, parse_file
from tests.workbooks import write_xlsx

D = dt.datetime


def _load(tmp_path: Path, title: str, header: list[str], rows: list[list[object]]) -> tuple[SheetResult, dict]:
    """The one sheet as parsed, and the 2024 scorecard's metrics once the workbook is loaded."""
    path = write_xlsx(tmp_path / "ledger.xlsx", {"Sheet1": [[title], header, *rows]})
    (sheet,) = parse_file(path).sheets
    database = tmp_path / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    con = db.reader(database).cursor()
    try:
        return sheet, scorecard(con, periods.parse("2024"))["metrics"]
    finally:
        con.close()


def _ratio(card: dict, metric: str) -> tuple[int, int]:
    return (card[metric]["numerator"], card[metric]["denominator"])


def _warnings(sheet: SheetResult) -> dict[int, str]:
    return dict(zip(sheet.warnings["excel_row"], sheet.warnings["message"], strict=True))


# --- 合法性审查台账 (F10) -------------------------------------------------------------------------

REVIEW_HEADER = ["序号", "事项名称", "事项类型", "送审日期", "审查日期", "签订日期", "审查人", "审查意见"]


def test_an_opinion_saying_no_review_is_no_review(tmp_path: Path) -> None:
    rows = [
        [1, "道路工程施工合同", "合同", D(2024, 3, 1), D(2024, 3, 3), D(2024, 3, 10), "法律顾问", "同意签订"],
        [2, "物业服务合同", "合同", None, None, D(2024, 3, 12), "/", "/"],
        [3, "租赁合同", "合同", None, None, D(2024, 4, 12), None, "未送审"],
        [4, "保洁合同", "合同", None, None, D(2024, 4, 13), None, "不需审查"],
        [5, "冷库租赁合同", "合同", None, None, D(2024, 4, 14), "司法所", "无意见"],  # an opinion: reviewed
        [6, "外包合同", "合同", D(2024, 4, 1), D(2024, 4, 2), D(2024, 4, 15), "司法所", "未送审"],  # a date says yes
        [7, "农贸市场改造方案", "重大行政决策", D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 20), "司法所", "合法"],
        [8, "村道维修安排", "一般决策事项", None, None, D(2024, 5, 20), None, "无"],
    ]
    sheet, card = _load(tmp_path, "珠龙镇2024年合法性审查台账", REVIEW_HEADER, rows)
    assert list(sheet.rows["reviewed"]) == [True, False, False, False, True, True, True, False]
    assert _ratio(card, "contract_review_rate") == (3, 6)
    assert _ratio(card, "major_decision_review_rate") == (1, 1)
    warned = _warnings(sheet)
    assert sorted(warned) == [5, 6, 8, 10]  # excel rows of 未送审, 不需审查, the 未送审 with a date, 无; not 「/」
    assert warned[5] == "审查意见「未送审」表示未经合法性审查，不计为已审查，请核对"
    assert "按已审查计" in warned[8]


@pytest.mark.parametrize(
    ("typed", "code", "warned"),
    [("重大行政决策", "major_decision", False), ("重大决策事项", "major_decision", False),
     ("一般决策事项", "other", False), ("非重大行政决策", "other", False), ("不属于重大行政决策", "other", False),
     ("行政决策", "other", True), ("重大项目合同", "contract", False)],
)  # fmt: skip
def test_a_decision_is_major_only_when_it_says_so(typed: str, code: str, warned: bool) -> None:
    value, error, warning = legality_reviews.parse_matter_kind(typed)
    assert (value, error, warning is not None) == (code, None, warned)


def test_general_and_not_major_decisions_are_not_major_decisions(tmp_path: Path) -> None:
    rows = [
        [1, "农贸市场改造方案", "重大行政决策", D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 20), "司法所", "合法"],
        [2, "村道维修安排", "一般决策事项", None, None, D(2024, 5, 20), None, None],
        [3, "环境整治工作方案", "非重大行政决策", None, None, D(2024, 6, 20), None, None],
        [4, "集镇规划修编", "行政决策", None, None, D(2024, 6, 21), None, None],
    ]
    sheet, card = _load(tmp_path, "珠龙镇2024年合法性审查台账", REVIEW_HEADER, rows)
    assert list(sheet.rows["matter_kind"]) == ["major_decision", "other", "other", "other"]
    assert _ratio(card, "major_decision_review_rate") == (1, 1)
    assert list(_warnings(sheet).values()) == [
        "审查事项类型「行政决策」未写明重大，未计入重大行政决策，已归入其他涉法事务，请核对"
    ]


# --- 行政复议和行政应诉台账 (F12) ------------------------------------------------------------------

CASE_HEADER = ["案号", "类别", "收案日期", "申请人/原告", "案由", "结果"]


def test_a_result_is_read_by_its_decision_not_by_what_was_asked(tmp_path: Path) -> None:
    results = [
        ("行政复议", "驳回申请人撤销处罚决定的请求"),  # dismissed: 撤销 was asked for
        ("行政复议", "维持原行政行为，驳回申请人要求变更的请求"),  # upheld
        ("行政复议", "调解中"),  # pending, not settled
        ("行政复议", "正在调解"),  # pending
        ("行政复议", "撤销原处罚决定"),  # revoked
        ("行政复议", "申请人申请撤销，复议机关决定维持"),  # upheld
        ("行政诉讼", "判决驳回原告要求撤销的诉讼请求"),  # dismissed
        ("行政诉讼", "部分撤销，部分维持"),  # revoked, and said: two decisions two ways
        ("行政诉讼", "一审驳回，原告上诉中"),  # pending, and said
    ]
    rows = [[f"A{i}", kind, D(2024, 3, i + 1), "张某", "行政处罚", result] for i, (kind, result) in enumerate(results)]
    sheet, card = _load(tmp_path, "珠龙镇2024年行政复议和行政应诉台账", CASE_HEADER, rows)
    assert list(sheet.rows["result"]) == [
        "dismissed", "upheld", "pending", "pending", "revoked", "upheld", "dismissed", "revoked", "pending",
    ]  # fmt: skip
    assert _ratio(card, "reconsideration_corrected_rate") == (1, 4)
    assert _ratio(card, "litigation_loss_rate") == (1, 2)
    assert _warnings(sheet) == {
        10: "结果「部分撤销，部分维持」既写了撤销又写了维持，已按前面的撤销计，请核对",
        11: "结果「一审驳回，原告上诉中」写了「上诉中」，也写了驳回，已按未结计，请核对",
    }


@pytest.mark.parametrize(
    ("typed", "code"),
    [("撤销一审判决，驳回原告诉讼请求", "dismissed"), ("撤销原判，发回重审", "pending"),
     ("调解不成，判决维持", "upheld"), ("复议中止", "pending"), ("正在调解，拟撤诉", "pending")],
)  # fmt: skip
def test_results_written_as_sentences(typed: str, code: str) -> None:
    assert cases.parse_result(typed) == (code, None, None)
