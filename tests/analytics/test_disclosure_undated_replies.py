"""A disclosure request answered on a day the register does not give (an outside test's finding F2).

A row with a reply type (予以公开) but a blank 答复日期, one whose 答复日期 is before the request came
in, and one whose 答复日期 cell says something that is no day (2024年4月) were all answered. They
were counted late and 逾期未答复, and the report said 尚未答复, while the load warning said they could
not be judged. Now they are answered (not overdue, not on the open list) and left out of the on-time
rate, and the warning, the page's list and the report say so. Every figure goes through a real
workbook, the ETL and the scorecard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from analytics import db
from analytics.queries import disclosures as disclosure_queries
from analytics.report.pack import build_pack
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import write_xlsx

D = dt.datetime
HEADER = ["编号", "收到日期", "申请人", "申请内容", "是否延期", "答复日期", "答复类型", "备注"]
ROWS = [
    ["1", D(2024, 3, 1), "张某", "征地补偿方案", "否", D(2024, 3, 28), "予以公开", ""],  # in time (due 03-29)
    ["2", D(2024, 3, 4), "李某", "拆迁协议", "否", None, "予以公开", "已邮寄答复"],  # answered, no date
    ["3", D(2024, 4, 25), "王某", "财政预算", "否", D(2024, 4, 20), "部分公开", ""],  # date before receipt
    ["4", D(2024, 6, 3), "赵某", "低保名单", "否", D(2024, 7, 30), "不予公开", ""],  # late (due 07-02)
    ["5", D(2024, 6, 5), "钱某", "项目清单", "否", "2024年7月", None, ""],  # a month, no day: answered
    ["6", D(2024, 9, 2), "孙某", "补助名单", "否", None, None, ""],  # open, past its limit
    ["7", D(2024, 12, 2), "周某", "规划图", "否", D(2024, 12, 10), "予以公开", ""],  # in time
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("undated")
    path = write_xlsx(folder / "ledger.xlsx", {"Sheet1": [["珠龙镇2024年政府信息公开申请台账"], HEADER, *ROWS]})
    database = folder / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    return path, database


@pytest.fixture()
def con(loaded: tuple[Path, Path]) -> duckdb.DuckDBPyConnection:
    cursor = db.reader(loaded[1]).cursor()
    yield cursor
    cursor.close()


def test_answered_on_an_unknown_day_is_neither_late_nor_overdue(con: duckdb.DuckDBPyConnection) -> None:
    card = scorecard(con, periods.parse("2024"))["metrics"]
    assert card["disclosure_requests"]["value"] == 7
    rate = card["disclosure_on_time_rate"]
    # judged: 1 and 7 in time, 4 late, 6 open past its limit; 2, 3 and 5 answered on an unknown day
    assert (rate["numerator"], rate["denominator"]) == (2, 4)  # was 2/7
    assert card["disclosure_overdue"]["value"] == 1  # only 6; was 4


def test_the_load_warning_says_what_the_figures_do(loaded: tuple[Path, Path]) -> None:
    (sheet,) = parse_file(loaded[0]).sheets
    found: dict[int, str] = {}
    for row, message in zip(sheet.warnings["excel_row"], sheet.warnings["message"], strict=True):
        found[row] = found.get(row, "") + message
    for row in (4, 5, 7):  # rows 2, 3 and 5 of the register, under the title and the header
        assert "按已答复计（不算逾期未答复）" in found[row] and "不计入按时答复率" in found[row]
    assert "2024年7月" in found[7]
    assert list(sheet.rows["reply_type"].fillna("open")) == [
        "disclosed", "disclosed", "partly", "refused", "other", "open", "disclosed"
    ]  # fmt: skip


def test_the_page_lists_them_as_answered_and_not_judged(con: duckdb.DuckDBPyConnection) -> None:
    open_now = disclosure_queries.open_requests(con, dt.date(2024, 12, 31), None)
    assert list(open_now["content"]) == ["补助名单"] and list(open_now["overdue"]) == [True]
    listed = disclosure_queries.requests(con, periods.parse("2024"), None).set_index("content")
    assert list(listed.index[listed["undated"]]) == ["拆迁协议", "财政预算", "项目清单"]
    assert not listed.loc[["拆迁协议", "财政预算", "项目清单"], ["late", "on_time"]].any().any()


def test_the_report_does_not_say_they_are_unanswered(con: duckdb.DuckDBPyConnection) -> None:
    report = build_pack(con, periods.parse("2024"), "珠龙镇", "zh").text
    body = "\n".join(p for s in report.sections for p in s.paragraphs)
    assert "拆迁协议" not in body and "财政预算" not in body and "项目清单" not in body
    assert "“补助名单”申请" in body and "尚未答复" in body  # the one really open
    assert "在规定时限内答复的占50.0%（2/4件）" in body
    assert "另有3件已答复但台账未填答复日期或答复日期有误，无法判断是否按时，未计入按时答复率" in body
