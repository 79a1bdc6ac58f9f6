"""A normative documents register's words and dates read the way a careful person counts them (attack 10).

Each was counted the other way without a word: 内部传阅 as published (F02), a review dated after issue as a
review (F03), 已于3月5日报备 as filed late (F10), a meeting notice in a register of every document as a
normative document (F18). Every test writes a real workbook, loads it into a DuckDB file and checks the
scorecard's figure and the warning or set-aside row that says what was read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl.parse import SheetResult
from tests.etl import test_register_words as register_words
from tests.etl.test_register_words import _ratio, _warnings

D = dt.datetime
TITLE = "珠龙镇2024年规范性文件登记备案台账"


def _load(tmp_path: Path, header: list[str], rows: list[list[object]]) -> tuple[SheetResult, dict]:
    return register_words._load(tmp_path, TITLE, header, rows)


def _rejects(sheet: SheetResult) -> dict[int, str]:
    return dict(zip(sheet.rejects["excel_row"], sheet.rejects["reason"], strict=True))


def test_internal_circulation_is_not_publication(tmp_path: Path) -> None:
    """F02: 内部传阅, 涉密, 仅印发至各村 and 内部发文 name no public channel: 2 of 6 published, by hand."""
    header = ["序号", "文号", "文件名称", "印发日期", "合法性审查", "公开情况", "是否备案", "备案日期"]
    channels = ["政府网站", "政务公开栏", "内部传阅", "涉密", "仅印发至各村", "内部发文"]
    rows = [
        [i, f"珠政发〔2024〕{i}号", f"关于第{i}项工作的通知", D(2024, i + 1, 1), "是", c, "是", D(2024, i + 1, 10)]
        for i, c in enumerate(channels, 1)
    ]
    sheet, card = _load(tmp_path, header, rows)
    assert _ratio(card, "document_publication_rate") == (2, 6)
    warned = _warnings(sheet)
    assert sorted(warned) == [5, 6, 7, 8]
    assert warned[5] == "「内部传阅」是内部发送或涉密，不是向社会公开，按未公开计入，请核对"


def test_a_review_dated_after_issue_is_no_review_beforehand(tmp_path: Path) -> None:
    """F03: reviewed 9 days before issue, 39 days after, about 4 months after: 1 of 3 reviewed beforehand."""
    header = ["序号", "文号", "文件名称", "印发日期", "审查日期", "公开情况", "是否备案"]
    rows = [
        [1, "珠政发〔2024〕1号", "甲办法", D(2024, 3, 1), D(2024, 2, 21), "政府网站", "是"],
        [2, "珠政发〔2024〕2号", "乙办法", D(2024, 4, 1), D(2024, 5, 10), "政府网站", "是"],
        [3, "珠政发〔2024〕3号", "丙办法", D(2024, 6, 3), D(2024, 9, 30), "政府网站", "是"],
    ]
    sheet, card = _load(tmp_path, header, rows)
    assert _ratio(card, "document_review_rate") == (1, 3)
    warned = _warnings(sheet)
    assert sorted(warned) == [4, 5]
    assert warned[4] == "审查于2024年5月10日，晚于印发日期2024年4月1日，不算印发前的合法性审查，按未审查计入，请核对"


def test_a_filing_day_written_in_the_filing_mark_is_the_filing_day(tmp_path: Path) -> None:
    """F10: each filed 14–19 days after issue, the day in words: 4 of 4 in time; the year taken is said."""
    header = ["序号", "文号", "文件名称", "印发日期", "合法性审查", "是否公开", "是否备案"]
    rows = [
        [1, "珠政发〔2024〕1号", "甲办法", D(2024, 2, 20), "是", "是", "已于3月5日报备"],
        [2, "珠政发〔2024〕2号", "乙办法", D(2024, 5, 2), "是", "是", "已报备（5月20日）"],
        [3, "珠政发〔2024〕3号", "丙办法", D(2024, 8, 1), "是", "是", "2024年8月15日已备案"],
        [4, "珠政发〔2024〕4号", "丁办法", D(2024, 11, 1), "是", "是", "2024.11.20"],
    ]
    sheet, card = _load(tmp_path, header, rows)
    assert len(sheet.rejects) == 0
    assert _ratio(card, "document_filing_rate") == (4, 4)
    assert _ratio(card, "document_timely_filing_rate") == (4, 4)
    assert list(sheet.rows["filing_days"]) == [14, 18, 14, 19]
    warned = _warnings(sheet)
    assert sorted(warned) == [3, 4]
    assert warned[3] == "「已于3月5日报备」没有写年份，按印发日期的年份读作2024年3月5日，请核对"


def test_a_december_document_filed_in_january_is_filed_the_next_year(tmp_path: Path) -> None:
    header = ["文件名称", "印发日期", "合法性审查", "是否公开", "是否备案"]
    sheet, _ = _load(tmp_path, header, [["甲办法", D(2024, 12, 20), "是", "是", "已于1月6日报备"]])
    assert list(sheet.rows["filing_days"]) == [17]
    assert "读作2025年1月6日" in _warnings(sheet)[3]


def test_rows_a_register_of_every_document_marks_ordinary_are_set_aside(tmp_path: Path) -> None:
    """F18: 5 documents sent out, 2 of them normative and both reviewed, published and filed in time."""
    header = [
        "序号",
        "文号",
        "文件名称",
        "是否规范性文件",
        "印发日期",
        "合法性审查",
        "公开情况",
        "是否备案",
        "备案日期",
    ]
    rows = [
        [1, "珠政发〔2024〕1号", "珠龙镇农村建房管理办法", "是", D(2024, 3, 1), "是", "政府网站", "是", D(2024, 3, 10)],
        [2, "珠政办〔2024〕2号", "关于召开安全生产会议的通知", "否", D(2024, 3, 5), "否", "政务公开栏", "否", None],
        [3, "珠政发〔2024〕3号", "关于表彰先进集体的决定", "否", D(2024, 4, 1), None, "内部", None, None],
        [
            4,
            "珠政发〔2024〕4号",
            "珠龙镇河道管理规定",
            "规范性文件",
            D(2024, 5, 1),
            "是",
            "政府网站",
            "是",
            D(2024, 5, 9),
        ],
        [5, "珠政办〔2024〕5号", "关于防汛值班的通知", "一般性文件", D(2024, 6, 1), "否", "政府网站", "否", None],
    ]
    sheet, card = _load(tmp_path, header, rows)
    assert card["documents_issued"]["value"] == 2
    for metric in ("document_review_rate", "document_publication_rate", "document_filing_rate"):
        assert _ratio(card, metric) == (2, 2)
    assert _ratio(card, "document_timely_filing_rate") == (2, 2)
    rejected = _rejects(sheet)
    assert sorted(rejected) == [4, 5, 7]
    assert rejected[4] == "「是否规范性文件」写明不是规范性文件，不计入规范性文件台账；这不是错误，无需修改"


def test_a_filing_mark_whose_day_cannot_be_read_is_said(tmp_path: Path) -> None:
    header = ["文件名称", "印发日期", "合法性审查", "是否公开", "是否备案"]
    sheet, card = _load(tmp_path, header, [["甲办法", D(2024, 3, 1), "是", "是", "已于3.5报备"]])
    assert _ratio(card, "document_filing_rate") == (1, 1)
    assert _warnings(sheet)[3] == "「已于3.5报备」中的日期无法识别，按已备案、备案日期不明计（不计为及时备案），请核对"


def test_a_review_sentence_naming_the_act_is_a_review_and_said(tmp_path: Path) -> None:
    """F03, also seen: 经司法所合法性审查, 司法所已审查, 法律顾问审查, 通过 were rejected; 有待审查 still is."""
    header = ["文件名称", "印发日期", "审查情况", "是否公开", "是否备案"]
    said = ["经司法所合法性审查", "司法所已审查", "法律顾问审查", "通过", "有待审查"]
    rows = [[f"文件{i}", D(2024, 3, i), s, "是", "是"] for i, s in enumerate(said, 1)]
    sheet, card = _load(tmp_path, header, rows)
    assert _ratio(card, "document_review_rate") == (4, 4)
    assert sorted(_warnings(sheet)) == [3, 4, 5, 6]
    assert _warnings(sheet)[5] == "「法律顾问审查」按已办理（是）计入，请核对"
    assert _rejects(sheet) == {7: "无法识别的是否标记：有待审查"}
