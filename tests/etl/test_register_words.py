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
from etl.datasets import cases, events, legality_reviews
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


# --- 工作台账 and 学法培训台账 (F11) ---------------------------------------------------------------

EVENT_HEADER = ["日期", "事项", "说明", "地点"]


def test_a_work_event_counts_only_with_its_subject(tmp_path: Path) -> None:
    events = [
        (D(2024, 2, 20), "第一季度安全生产督查"),  # 其他: another subject, and said
        (D(2024, 5, 20), "二季度森林防火督查"),
        (D(2024, 3, 10), "安全生产专题学习会"),
        (D(2024, 4, 10), "党风廉政建设专题学习会"),
        (D(2024, 6, 10), "召开村调解员工作例会"),  # a meeting of mediators, not their training
        (D(2024, 7, 10), "调整充实人民调解员队伍"),
        (D(2024, 8, 10), "依法行政专题学习会"),  # counts
        (D(2024, 9, 10), "专题学习会"),  # no subject: counts, and said
        (D(2024, 9, 20), "三季度督查"),  # no subject: counts, and said
        (D(2024, 10, 10), "人民调解员业务培训"),  # counts
    ]
    rows = [[day, kind, None, "镇会议室"] for day, kind in events]
    sheet, card = _load(tmp_path, "珠龙镇2024年依法行政工作台账", EVENT_HEADER, rows)
    assert list(sheet.rows["kind"]) == [
        "其他", "其他", "其他", "其他", "其他", "其他", "依法行政专题学习会", "依法行政专题学习会", "季度督导", "调解员培训",
    ]  # fmt: skip
    assert card["study_meetings"]["value"] == 2
    assert card["mediator_trainings"]["value"] == 1
    assert card["supervision_quarters_covered"]["numerator"] == 1  # the third quarter only
    warned = _warnings(sheet)
    assert sorted(warned) == [3, 4, 5, 6, 7, 8, 10, 11]
    assert warned[5] == (
        "「安全生产专题学习会」含「专题学习」，但不是依法行政（法治）方面的，未计入「依法行政专题学习会」，已归入其他，请核对"
    )
    assert warned[7] == "「召开村调解员工作例会」含「调解员」，但不是培训，未计入「调解员培训」，已归入其他，请核对"
    assert warned[10] == "「专题学习会」未写明是依法行政（法治）方面的，已按「依法行政专题学习会」计入，请核对"


def test_a_training_session_counts_only_with_its_subject(tmp_path: Path) -> None:
    header = ["培训日期", "培训内容", "形式", "学时", "姓名", "单位"]
    sessions = [
        (D(2024, 3, 10), "党风廉政建设专题学习会"),
        (D(2024, 4, 10), "依法行政专题学习会"),
        (D(2024, 5, 10), "召开村调解员工作例会"),
        (D(2024, 6, 10), "人民调解员培训"),
    ]
    rows = [[day, "学习", kind, 2, name, "司法所"] for day, kind in sessions for name in ("王芳", "李明")]
    sheet, card = _load(tmp_path, "珠龙镇2024年学法培训台账", header, rows)
    assert list(sheet.rows["kind"])[::2] == ["其他", "依法行政专题学习会", "其他", "调解员培训"]
    assert card["study_meetings"]["value"] == 1
    assert card["mediator_trainings"]["value"] == 1
    assert set(_warnings(sheet).values()) == {
        "无法识别的学法形式：党风廉政建设专题学习会，已归入其他",
        "无法识别的学法形式：召开村调解员工作例会，已归入其他",
    }


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("安全生产宣传", "其他"), ("向镇党委汇报防汛工作", "其他"), ("理论学习中心组学习会", "其他"),
     ("调解员工作例会", "其他"), ("二季度森林防火督查", "其他")],
)  # fmt: skip
def test_a_kind_word_with_another_subject_is_other_and_said(typed: str, kind: str) -> None:
    value, reject, warning = events.parse_event_kind(typed)
    assert (value, reject) == (kind, None) and warning is not None and typed in warning
