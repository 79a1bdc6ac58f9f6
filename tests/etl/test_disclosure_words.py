"""The words of the disclosure register read the way clerks mean them (an outside test's F3 and M2).

答复类型 不予提供, 不同意公开, 无法公开 and 不能公开 were counted as 予以公开 (the bare 公开 or 提供
matched first), with no warning; 是否延期 延期, 经批准延期 and 延期20个工作日 were unreadable marks,
so the request was judged on 20 working days and counted late. Each case is a row of a table; the
figures go through a real workbook, the ETL and the scorecard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl.datasets.disclosures import parse_extension, parse_reply_type
from etl.load import load_file
from etl.parse import SheetResult, parse_file
from tests.workbooks import write_xlsx

D = dt.datetime
TITLE = "珠龙镇2024年政府信息公开申请台账"


def _load(tmp_path: Path, header: list[str], rows: list[list[object]]) -> tuple[SheetResult, dict, list]:
    """The sheet as parsed, the 2024 scorecard's metrics and the reply types once loaded."""
    path = write_xlsx(tmp_path / "ledger.xlsx", {"Sheet1": [[TITLE], header, *rows]})
    (sheet,) = parse_file(path).sheets
    database = tmp_path / "w.duckdb"
    load_file(path, database, town="珠龙镇")
    con = db.reader(database).cursor()
    try:
        kinds = con.execute("SELECT reply_type, count(*) FROM v_disclosures GROUP BY 1 ORDER BY 1").fetchall()
        return sheet, scorecard(con, periods.parse("2024"))["metrics"], kinds
    finally:
        con.close()


def _warnings(sheet: SheetResult) -> dict[int, str]:
    return dict(zip(sheet.warnings["excel_row"], sheet.warnings["message"], strict=True))


# --- 答复类型 (F3) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code", "warned"),
    [
        # a no governing 公开 or 提供 is a refusal, plainly
        ("不予提供", "refused", False), ("不同意公开", "refused", False), ("无法公开", "refused", False),
        ("不能公开（涉及商业秘密）", "refused", False), ("拒绝公开", "refused", False), ("不公开", "refused", False),
        ("拒不提供", "refused", False), ("不能提供", "refused", False), ("不同意", "refused", False),
        ("属于过程性信息，不予公开", "refused", False), ("不予公开（属于国家秘密）", "refused", False),
        # a no that may mean "not yet" or "later", and a ground for refusing written as the reply: said
        ("未公开", "refused", True), ("暂缓公开", "refused", True), ("涉及商业秘密", "refused", True),
        # a no that governs something else: not guessed
        ("不符合公开条件", "other", True),
        # the other kinds keep their own words, negated or not
        ("部分不予公开", "partly", False), ("无法提供", "not_exist", False), ("本机关不掌握", "not_exist", False),
        ("查无此信息", "not_exist", False), ("不予处理", "not_processed", False), ("逾期不补正", "other", False),
        ("申请人撤回", "other", False),
        # yes stays yes; a note saying what was left out does not make it a refusal
        ("予以公开（不含个人隐私）", "disclosed", False), ("已提供", "disclosed", False),
        ("同意公开", "disclosed", False),
        # carried into next year is still open
        ("结转下年度继续办理", None, False),
    ],
)  # fmt: skip
def test_reply_words(typed: str, code: str | None, warned: bool) -> None:
    found, error, warning = parse_reply_type(typed)
    assert (found, error, warning is not None) == (code, None, warned), warning


def test_refusals_are_not_counted_as_disclosed(tmp_path: Path) -> None:
    header = ["编号", "收到日期", "申请人", "申请内容", "答复日期", "答复类型"]
    typed = ["予以公开", "不予提供", "不同意公开", "无法公开", "不能公开（涉及商业秘密）", "未公开"]
    rows = [[str(i), D(2024, 3, i), "张某", "内容", D(2024, 3, 20), t] for i, t in enumerate(typed, 1)]
    sheet, card, kinds = _load(tmp_path, header, rows)
    assert kinds == [("disclosed", 1), ("refused", 5)]  # was disclosed 6, with no warning
    assert card["disclosure_requests"]["value"] == 6
    assert list(_warnings(sheet).items()) == [(8, "「未公开」按不予公开计入（「未公开」也可能是尚未答复），请核对")]


# --- 是否延期 (M2) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "extended", "warned"),
    [
        ("延期", True, False), ("经批准延期", True, False), ("已延期", True, False), ("延期20个工作日", True, False),
        ("延长答复期限", True, False), ("延期（经负责人批准）", True, False), ("是", True, False), ("√", True, False),
        ("申请延期", True, True), ("20个工作日", True, True), ("2024-03-25", True, True), (20, True, True),
        ("不延期", False, False), ("未延期", False, False), ("无需延期", False, False), ("不予延期", False, False),
        ("未经批准延期", False, False), ("按期", False, False), ("否（按期答复）", False, False), ("否", False, False),
        ("待定", None, True), (None, None, False),
    ],
)  # fmt: skip
def test_extension_words(typed: object, extended: bool | None, warned: bool) -> None:
    found, error, warning = parse_extension(typed)
    assert (found, error, warning is not None) == (extended, None, warned), warning


def test_an_extension_written_in_words_gets_the_longer_limit(tmp_path: Path) -> None:
    header = ["编号", "收到日期", "申请人", "申请内容", "是否延期", "答复日期", "答复类型"]
    # 2024-03-01 + 20 working days is 03-29, + 40 is 04-26: a reply on 04-20 is in time only if extended
    marks = ["延期", "经批准延期", "已延期", "延期20个工作日", "不延期"]
    rows = [[str(i), D(2024, 3, 1), "张某", "内容", m, D(2024, 4, 20), "予以公开"] for i, m in enumerate(marks, 1)]
    sheet, card, _ = _load(tmp_path, header, rows)
    rate = card["disclosure_on_time_rate"]
    assert (rate["numerator"], rate["denominator"]) == (4, 5)  # was 0/5: only 不延期 is late
    assert _warnings(sheet) == {}
