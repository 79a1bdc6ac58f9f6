"""Dispute ledgers and summary sheets laid out as towns keep them, counted as a person counts them by hand:
the figures of the scorecard after the real load into a real warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import Rows, write_xlsx

TITLE = ["珠龙镇2024年矛盾纠纷排查调处台账"]


def _metrics(
    tmp_path: Path, sheets: dict[str, Rows], period: str = "2024", merges: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = write_xlsx(tmp_path / "珠龙镇台账.xlsx", sheets, merges)
    warehouse = tmp_path / "w.duckdb"
    load_file(path, path=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found: dict[str, Any] = scorecard(con, parse(period))["metrics"]
    return found


def _figure(metrics: dict[str, Any], name: str) -> tuple[object, object, object]:
    m = metrics[name]
    return m["value"], m["numerator"], m["denominator"]


def test_cases_whose_briefs_state_a_sum_are_counted(tmp_path: Path) -> None:
    """Hand count 5 cases, success 3/5; before: 2 cases, 2/2, the briefs read as total rows."""
    header = ["编号", "受理日期", "所属村", "当事人", "纠纷简要情况", "调解方式", "调解结果"]
    briefs = [("排水沟争执", "调解成功"), ("拖欠工资共计：3万元", "调解成功"), ("欠款合计：8000元", "调解不成"),
              ("借款累计：5万元", "调解不成"), ("土地边界不清", "调解成功")]  # fmt: skip
    rows = [[f"A{i}", dt.datetime(2024, 3 + i, 5), "龙村", f"甲{i}", b, "书面", o] for i, (b, o) in enumerate(briefs)]
    metrics = _metrics(tmp_path, {"2024年": [TITLE, header, *rows]})
    assert metrics["disputes_total"]["value"] == 5
    assert _figure(metrics, "mediation_success_rate")[1:] == (3, 5)


def test_cases_back_filled_in_july_count_in_the_half_they_were_received(tmp_path: Path) -> None:
    """登记日期 (typed 2024-07-05) left of 受理日期: H1 has 3 cases, 2 successes, by 受理日期 (before: H1 无数据)."""
    header = ["登记日期", "受理日期", "所属村", "调解结果"]
    received = [(dt.datetime(2024, m, 10), "成功" if m != 3 else "失败") for m in (1, 3, 5, 8, 9)]
    rows = [[dt.datetime(2024, 7, 5) if d.month < 7 else d, d, "龙村", o] for d, o in received]
    metrics = _metrics(tmp_path, {"2024年": [TITLE, header, *rows]}, "2024H1")
    assert metrics["disputes_total"]["value"] == 3
    assert _figure(metrics, "mediation_success_rate")[1:] == (2, 3)


SUMMARY_TITLE = ["珠龙镇矛盾纠纷排查调处情况汇总表"]
HALVES = [[2023, "上半年", 40, 10, 30, 38], [2023, "下半年", 60, 20, 40, 59]]


@pytest.mark.parametrize("part", ["期间", "半年"])
def test_a_summary_with_the_year_and_its_half_in_two_columns(tmp_path: Path, part: str) -> None:
    """年度 | 期间 (or 半年): hand count 2023 100 cases, 97 successes; before: 上半年's 40 and 38/40 as the
    year, 下半年 rejected as a second row of 2023."""
    header = ["年度", part, "排查数", "书面调解", "口头调解", "调解成功数"]
    sheets = {"汇总": [SUMMARY_TITLE, header, *HALVES]}
    year = _metrics(tmp_path, sheets, "2023")
    assert year["disputes_total"]["value"] == 100
    assert _figure(year, "mediation_success_rate")[1:] == (97, 100)
    second = _metrics(tmp_path / "h2", sheets, "2023H2")
    assert second["disputes_total"]["value"] == 60


def test_a_part_of_the_year_that_names_no_period_refuses_its_row(tmp_path: Path) -> None:
    """2023 | 1-6月 is not the year 2023: the row is refused naming both, not read as the year."""
    header = ["年度", "半年", "排查数", "调解成功数"]
    path = write_xlsx(
        tmp_path / "汇总.xlsx", {"汇总": [SUMMARY_TITLE, header, [2023, "1-6月", 40, 38], [2024, "", 50, 49]]}
    )
    sheet = parse_file(path).sheets[0]
    assert list(sheet.rows["period_id"]) == ["2024"]
    assert list(sheet.rejects["reason"]) == ["无法识别的期间：2023年1-6月"]
    assert sheet.warnings.empty


def test_a_case_over_two_lines_with_its_cells_merged_counts_once(tmp_path: Path) -> None:
    """Hand count 3 cases, written 2, oral 1, success 2/3; before: 5 cases, 3/2, 3/5."""
    header = ["序号", "受理日期", "所属村", "纠纷类型", "当事人", "调解方式", "调解结果", "备注"]
    rows: Rows = [
        [1, "2024-03-05", "张庄村", "邻里纠纷", "张三", "书面", "调解成功", ""],
        [None, None, None, None, "李四", None, None, None],
        [2, "2024-04-10", "李庄村", "婚姻家庭纠纷", "王五", "口头", "调解不成", ""],
        [None, None, None, None, "赵六", None, None, None],
        [3, "2024-06-01", "李庄村", "合同纠纷", "钱七", "书面", "调解成功", ""],
    ]
    merges = [f"{c}{r}:{c}{r + 1}" for c in "ABCDFGH" for r in (3, 5)]
    metrics = _metrics(tmp_path, {"2024年": [TITLE, header, *rows]}, merges={"2024年": merges})
    assert metrics["disputes_total"]["value"] == 3
    assert (metrics["disputes_written"]["value"], metrics["disputes_oral"]["value"]) == (2, 1)
    assert _figure(metrics, "mediation_success_rate")[1:] == (2, 3)


@pytest.mark.parametrize("outcome", ["调处情况", "化解情况"])
def test_a_ledger_whose_result_column_says_how_a_dispute_was_handled_is_read(tmp_path: Path, outcome: str) -> None:
    """调处情况 / 化解情况 as the result column: before, the whole ledger was refused (没有可识别的工作表)."""
    header = ["序号", "受理日期", "所属村", "调解方式", outcome]
    rows = [[1, "2024-03-05", "龙村", "口头", "调解成功"], [2, "2024-04-05", "龙村", "书面", "调解未果"]]
    metrics = _metrics(tmp_path, {"2024年": [TITLE, header, *rows]})
    assert _figure(metrics, "mediation_success_rate")[1:] == (1, 2)


def test_a_yes_no_success_column_gives_the_outcome(tmp_path: Path) -> None:
    """是否调解成功 是/否: success/failed, a blank one refused (before: the whole ledger refused)."""
    header = ["序号", "受理日期", "所属村", "调解方式", "是否调解成功"]
    rows = [
        [1, "2024-03-05", "龙村", "口头", "是"],
        [2, "2024-04-05", "龙村", "书面", "否"],
        [3, "2024-05-05", "龙村", "口头", ""],
    ]
    path = write_xlsx(tmp_path / "台账.xlsx", {"2024年": [TITLE, header, *rows]})
    sheet = parse_file(path).sheets[0]
    assert list(sheet.rows["outcome"]) == ["success", "failed"]
    assert list(sheet.rejects["reason"]) == ["是否调解成功为空"]
    metrics = _metrics(tmp_path / "w", {"2024年": [TITLE, header, *rows]})
    assert _figure(metrics, "mediation_success_rate")[1:] == (1, 2)
