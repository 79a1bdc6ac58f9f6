"""The four registers of issue 14 through the real engine: header variants as real ledgers name
them (written as .xlsx by the test), their words, and the rows they reject or warn about, each
with its Chinese reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from etl.datasets import cases, disclosures, events, legality_reviews
from etl.parse import FileResult, parse_file
from tests.workbooks import write_xlsx

D = dt.datetime


def parse(tmp_path: Path, header: list[str], rows: list[list[object]], title: str = "珠龙镇2020年台账") -> FileResult:
    path = write_xlsx(tmp_path / "ledger.xlsx", {"Sheet1": [[title], header, *rows]})
    return parse_file(path)


def only_sheet(result: FileResult, dataset: str):
    assert [s.dataset for s in result.sheets] == [dataset]
    return result.sheets[0]


def reasons(sheet) -> list[str]:
    return list(sheet.rejects["reason"])


def messages(sheet) -> list[str]:
    return list(sheet.warnings["message"])


# --- 行政复议和行政应诉台账 ----------------------------------------------------------------------

CASE_LAYOUTS = {
    "one register, 类别 column": (
        ["序号", "案号", "类别", "收案日期", "申请人/原告", "被申请人/被告", "案由", "审理机关", "开庭日期", "负责人是否出庭", "出庭负责人", "结果", "是否履行生效文书"],
        [[1, "（2020）皖1102行初12号", "行政诉讼", D(2020, 3, 5), "王某", "珠龙镇人民政府", "土地登记", "区法院", "2020/5/6", "是", "镇长 张三", "驳回", None]],
    ),
    "reconsideration sheet: 复议案号 says the type": (
        ["序号", "复议案号", "收到日期", "申请人", "被申请人", "复议机关", "案由", "复议结果", "决定日期"],
        [[1, "滁复决字〔2020〕17号", "2020年6月12日", "张某", "珠龙镇人民政府", "县人民政府", "宅基地审批", "维持", "2020.8.6"]],
    ),
    "litigation sheet: 立案日期, 原告, 裁判结果": (
        ["序号", "案号", "审级", "立案日期", "原告", "被告", "案由", "审理法院", "开庭时间", "出庭应诉负责人", "裁判结果", "履行情况"],
        [[1, "（2020）皖11行终3号", "二审", "20200701", "李某", "珠龙镇人民政府", "行政处罚", "中院", None, "副镇长 李四", "驳回上诉，维持原判", None]],
    ),
}  # fmt: skip


@pytest.mark.parametrize("layout", CASE_LAYOUTS, ids=list(CASE_LAYOUTS))
def test_case_layouts_are_recognised(tmp_path: Path, layout: str) -> None:
    header, rows = CASE_LAYOUTS[layout]
    sheet = only_sheet(parse(tmp_path, header, rows), "cases")
    assert reasons(sheet) == [] and messages(sheet) == []
    row = sheet.rows.iloc[0]
    assert row["case_type"] in ("litigation", "reconsideration") and row["result"] in ("dismissed", "upheld")
    if row["case_type"] == "litigation":
        assert row["head_appeared"] is True or bool(row["head_appeared"])


def test_case_number_says_type_and_instance(tmp_path: Path) -> None:
    header = ["案号", "收案日期", "原告", "案由", "结果"]
    rows = [
        ["（2020）皖1102行初12号", D(2020, 3, 5), "王某", "登记", "撤销"],
        ["（2020）皖11行终3号", D(2020, 7, 1), "王某", "登记", "维持"],
        ["县政府复决字〔2020〕2号", D(2020, 8, 1), "赵某", "公开", ""],
    ]
    frame = only_sheet(parse(tmp_path, header, rows), "cases").rows
    assert list(frame["case_type"]) == ["litigation", "litigation", "reconsideration"]
    assert list(frame["instance"].fillna("-")) == ["first", "appeal", "-"]
    assert list(frame["result"]) == ["revoked", "upheld", "pending"]  # a blank result is still pending


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("维持", "upheld"), ("维持原行政行为", "upheld"), ("驳回诉讼请求", "dismissed"), ("不予受理", "dismissed"),
        ("撤销", "revoked"), ("部分撤销", "revoked"), ("变更", "altered"), ("确认违法", "declared_unlawful"),
        ("确认无效", "declared_unlawful"), ("责令履行", "ordered_to_act"), ("判决履行法定职责", "ordered_to_act"),
        ("调解撤诉", "withdrawn"), ("原告撤诉", "withdrawn"), ("和解", "withdrawn"), ("终止审理", "terminated"),
        ("未结", "pending"), ("审理中", "pending"), ("纠正", "corrected"), ("驳回上诉，维持原判", "dismissed"),
        ("确认违法，不撤销行政行为", "declared_unlawful"), ("责令被申请人限期履行法定职责", "ordered_to_act"),
        ("经调解，申请人撤回复议申请", "withdrawn"), ("在诉讼中达成和解，原告撤诉", "withdrawn"),
        ("二审审理中", "pending"),
    ],
)  # fmt: skip
def test_case_results(typed: str, code: str) -> None:
    assert cases.parse_result(typed) == (code, None, None)


def test_case_rejects_say_why(tmp_path: Path) -> None:
    header = ["案号", "类别", "收案日期", "原告", "结果"]
    rows = [
        ["A1", "行政诉讼", None, "王某", "驳回"],  # no date
        ["A2", "行政诉讼", D(2020, 3, 1), "王某", "待定"],  # unknown result
        ["A3", "信访", D(2020, 3, 2), "王某", "驳回"],  # neither reconsideration nor litigation
        ["A4", None, D(2020, 3, 3), "王某", "驳回"],  # no type, and the number doesn't say
        ["A5", "行政复议", D(2020, 3, 4), "王某", "维持"],
    ]
    sheet = only_sheet(parse(tmp_path, header, rows), "cases")
    assert len(sheet.rows) == 1
    found = " ".join(reasons(sheet))
    for phrase in ("收案日期为空", "无法识别的结果：待定", "无法识别的案件类别：信访", "案号也看不出"):
        assert phrase in found


# --- 政府信息公开申请台账 ------------------------------------------------------------------------

DISCLOSURE_LAYOUTS = {
    "收到日期/答复类型": ["序号", "收到日期", "申请人类型", "申请人", "申请内容", "补正日期", "是否延期", "答复日期", "答复类型"],
    "收件日期/办理结果": ["序号", "收件日期", "申请主体", "申请人", "申请公开内容", "收到补正日期", "延期答复", "答复时间", "办理结果"],
    "申请日期/答复结果": ["编号", "申请日期", "申请人类别", "申请人姓名", "申请事项", "补正时间", "延期", "办结日期", "答复结果"],
}  # fmt: skip


@pytest.mark.parametrize("layout", DISCLOSURE_LAYOUTS, ids=list(DISCLOSURE_LAYOUTS))
def test_disclosure_layouts_are_recognised(tmp_path: Path, layout: str) -> None:
    rows = [
        [1, D(2020, 9, 25), "自然人", "王某", "征地补偿方案", None, "否", "2020年10月29日", "予以公开"],
        [2, "2020/3/2", "法人", "某公司", "招标文件", "2020/3/9", "是", None, "办理中"],
    ]
    sheet = only_sheet(parse(tmp_path, DISCLOSURE_LAYOUTS[layout], rows), "disclosures")
    assert reasons(sheet) == [] and messages(sheet) == []
    frame = sheet.rows
    assert list(frame["reply_type"].fillna("open")) == ["disclosed", "open"]
    assert list(frame["extended"]) == [False, True]
    # the limit runs from the corrected request; the National Day holiday and its make-up days counted
    assert frame["start_date"].iloc[1] == pd.Timestamp(2020, 3, 9)
    assert frame["working_days"].iloc[0] == 20


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("公开", "disclosed"), ("予以公开", "disclosed"), ("同意公开", "disclosed"), ("部分公开", "partly"),
        ("不予公开", "refused"), ("信息不存在", "not_exist"), ("无法提供", "not_exist"),
        ("非本机关信息", "not_ours"), ("不属于本机关公开职责", "not_ours"), ("不予处理", "not_processed"),
        ("办理中", None), (None, None),
    ],
)  # fmt: skip
def test_disclosure_replies(typed: str | None, code: str | None) -> None:
    assert disclosures.parse_reply_type(typed) == (code, None, None)


def test_disclosure_rejects_and_warnings(tmp_path: Path) -> None:
    header = ["收到日期", "申请人", "申请内容", "答复日期", "答复类型"]
    rows = [
        [None, "王某", "内容", D(2020, 3, 1), "公开"],  # no date: rejected
        [D(2020, 3, 10), "李某", "内容", D(2020, 3, 1), "公开"],  # answered before it came: warned
        [D(2020, 4, 1), "赵某", "内容", D(2020, 4, 9), "转交处理"],  # unknown reply: 其他处理, warned
    ]
    sheet = only_sheet(parse(tmp_path, header, rows), "disclosures")
    assert reasons(sheet) == ["收到日期为空"]
    found = " ".join(messages(sheet))
    assert "答复日期早于收到" in found and "无法识别的答复类型：转交处理" in found
    assert list(sheet.rows["reply_type"]) == ["disclosed", "other"]


# --- 合法性审查台账 ------------------------------------------------------------------------------

REVIEW_LAYOUTS = {
    "事项/提交日期/决策日期": ["序号", "事项", "类型", "提交日期", "审查日期", "决策日期", "审查人", "审查意见", "是否采纳"],
    "审查事项/送审日期/签订日期": ["序号", "审查事项", "事项类型", "送审日期", "出具意见日期", "签订日期", "审查机构", "法律意见", "采纳情况"],
}  # fmt: skip


@pytest.mark.parametrize("layout", REVIEW_LAYOUTS, ids=list(REVIEW_LAYOUTS))
def test_review_layouts_are_recognised(tmp_path: Path, layout: str) -> None:
    rows = [
        [1, "2020年度财政预算", "重大行政决策", D(2020, 1, 6), D(2020, 1, 9), D(2020, 1, 20), "法律顾问", "合法", "是"],
        [
            2,
            "保洁承包合同",
            "合同",
            D(2020, 4, 1),
            D(2020, 4, 8),
            D(2020, 4, 2),
            "司法所",
            "同意",
            "是",
        ],  # signed first
        [3, "集镇规划修编", "重大决策", D(2020, 5, 1), None, D(2020, 6, 1), None, None, None],  # never reviewed
    ]
    sheet = only_sheet(parse(tmp_path, REVIEW_LAYOUTS[layout], rows), "legality_reviews")
    assert reasons(sheet) == []
    assert messages(sheet) == ["审查日期晚于决策（签订）日期，不计为事前审查"]
    frame = sheet.rows
    assert list(frame["matter_kind"]) == ["major_decision", "contract", "major_decision"]
    assert list(frame["reviewed"]) == [True, True, False]
    assert list(frame["reviewed_before"]) == [True, False, False]


@pytest.mark.parametrize(
    ("typed", "code", "warned"),
    [("重大行政决策", "major_decision", False), ("合同", "contract", False), ("协议", "contract", False),
     ("其他涉法事务", "other", False), (None, "other", False), ("人事任免", "other", True)],
)  # fmt: skip
def test_review_kinds(typed: str | None, code: str, warned: bool) -> None:
    value, error, warning = legality_reviews.parse_matter_kind(typed)
    assert (value, error, warning is not None) == (code, None, warned)


def test_review_without_any_date_is_rejected(tmp_path: Path) -> None:
    header = ["事项", "类型", "提交日期", "审查日期", "审查人"]
    sheet = only_sheet(parse(tmp_path, header, [["预算", "重大行政决策", None, None, "法律顾问"]]), "legality_reviews")
    assert reasons(sheet) == ["提交、审查、决策（签订）日期均为空"]


# --- 工作台账 ------------------------------------------------------------------------------------

EVENT_LAYOUTS = {
    "日期/工作事项/工作内容": ["序号", "日期", "工作事项", "工作内容", "地点"],
    "时间/事项/说明": ["序号", "时间", "事项", "说明", "对象"],
    "活动日期/活动类型/活动内容": ["序号", "活动日期", "活动类型", "活动内容", "活动地点"],
}


@pytest.mark.parametrize("layout", EVENT_LAYOUTS, ids=list(EVENT_LAYOUTS))
def test_event_layouts_are_recognised(tmp_path: Path, layout: str) -> None:
    rows = [
        [1, D(2020, 6, 20), "向党委政府汇报依法行政工作", "向镇党委会议汇报", "镇党委"],
        [2, "2020.3.20", "季度督导", "一季度督导", "东山村"],
        [3, "2020年11月3日", "规范性文件清理", "清理", None],
        [4, D(2020, 12, 4), "12·4宪法日宣传", "宪法宣传", "集镇"],
        [5, D(2020, 4, 2), "聘任法律顾问", "聘任镇政府法律顾问", None],
    ]
    sheet = only_sheet(parse(tmp_path, EVENT_LAYOUTS[layout], rows), "events")
    assert reasons(sheet) == [] and messages(sheet) == []
    assert list(sheet.rows["kind"]) == [
        "向党委政府汇报依法行政工作",
        "季度督导",
        "规范性文件清理",
        "法治宣传活动",
        "其他",
    ]
    assert sheet.rows["kind_raw"].iloc[4] == "聘任法律顾问"  # another kind is kept as written


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("向镇党委汇报法治建设工作", "向党委政府汇报依法行政工作"), ("依法行政专题学习会", "依法行政专题学习会"),
        ("专题学习", "依法行政专题学习会"), ("季度督查", "季度督导"), ("规范性文件清理", "规范性文件清理"),
        ("人民调解员培训", "调解员培训"), ("法律六进", "法治宣传活动"), ("普法宣传", "法治宣传活动"),
        ("年度报告公开", "其他"), ("防汛值班", "其他"),
    ],
)  # fmt: skip
def test_event_kinds(typed: str, kind: str) -> None:
    assert events.normalise_event_kind(typed) == kind


def test_event_rejects_say_why(tmp_path: Path) -> None:
    header = ["日期", "事项", "说明"]
    sheet = only_sheet(
        parse(
            tmp_path, header, [[None, "季度督导", "x"], [D(2020, 1, 2), None, "y"], [D(2020, 1, 3), "季度督导", "z"]]
        ),
        "events",
    )
    assert sorted(reasons(sheet)) == ["事项为空", "日期为空"]
    assert len(sheet.rows) == 1


def test_a_dispute_ledger_is_still_a_dispute_ledger(tmp_path: Path) -> None:
    from tests.workbooks import DISPUTE_HEADER, DISPUTE_ROWS

    assert only_sheet(parse(tmp_path, DISPUTE_HEADER, DISPUTE_ROWS), "disputes").rows.shape[0] == 3
