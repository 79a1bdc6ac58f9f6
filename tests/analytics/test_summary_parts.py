"""A dispute summary sheet giving a year in parts of different lengths: the halves, and the quarters of one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.report.consistency import Finding, check
from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

HEADER = ["期间", "排查数", "书面调解", "口头调解", "联合调解", "调解成功数"]


def _figures(tmp_path: Path, rows: list[list[object]], period: str) -> tuple[object, object]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = write_xlsx(tmp_path / "珠龙镇矛盾纠纷汇总表.xlsx", {"汇总": [["珠龙镇矛盾纠纷汇总表"], HEADER, *rows]})
    warehouse = tmp_path / "w.duckdb"
    load_file(path, path=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = scorecard(con, parse(period))["metrics"]
    return found["disputes_total"]["value"], found["mediation_success_rate"]["numerator"]


HALVES = [["2019年上半年", 100, 30, 70, 1, 95], ["2019年下半年", 120, 40, 80, 2, 117]]
QUARTERS = [["2019年第一季度", 40, 10, 30, 0, 38], ["2019年第二季度", 60, 20, 40, 1, 57]]


@pytest.mark.parametrize("order", ["halves first", "quarters first"])
def test_quarters_inside_a_half_do_not_unmake_the_year(tmp_path: Path, order: str) -> None:
    """The quarters repeat the first half: the year is its two halves (it was 无数据 when they came too)."""
    rows = HALVES + QUARTERS if order == "halves first" else QUARTERS + HALVES
    assert _figures(tmp_path, rows, "2019") == (220, 212)


def test_the_first_half_is_its_own_row_and_its_quarters_tile_it(tmp_path: Path) -> None:
    assert _figures(tmp_path, QUARTERS + [HALVES[1]], "2019") == (220, 212)
    assert _figures(tmp_path / "again", HALVES + QUARTERS, "2019H1") == (100, 95)


def _findings(tmp_path: Path, rows: list[list[object]], period: str) -> list[Finding]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = write_xlsx(tmp_path / "珠龙镇矛盾纠纷汇总表.xlsx", {"汇总": [["珠龙镇矛盾纠纷汇总表"], HEADER, *rows]})
    warehouse = tmp_path / "w.duckdb"
    load_file(path, path=warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [f for f in check(con, parse(period)) if f.kind == "summary_parts"]


def test_quarters_that_disagree_with_their_half_are_said(tmp_path: Path) -> None:
    """The half is used for the year; its quarters give 排查数 100 and 成功 95 too, but 书面 25 not 30."""
    quarters = [["2019年第一季度", 40, 10, 30, 0, 38], ["2019年第二季度", 60, 15, 40, 1, 57]]
    found = _findings(tmp_path, HALVES + quarters, "2019")
    assert [(f.period_id, f.item, f.reported, f.computed) for f in found] == [("2019H1", "书面调解", 30, 25)]
    assert "2019年第一季度、2019年第二季度各行合计25" in found[0].message_zh and "统计用全期一行" in found[0].message_zh
    assert found[0].source == "珠龙镇矛盾纠纷汇总表.xlsx / 汇总 / 第3行，分期第5、6行"
    assert found[0].message_en.endswith("(珠龙镇矛盾纠纷汇总表.xlsx / 汇总 / row 3, parts in rows 5, 6)")


def test_a_year_and_its_halves_that_agree_say_nothing_and_a_lone_quarter_tiles_nothing(tmp_path: Path) -> None:
    year = [["2019年", 220, 70, 150, 3, 212]]
    assert _findings(tmp_path, year + HALVES + QUARTERS, "2019") == []
    assert _findings(tmp_path / "lone", HALVES + QUARTERS[:1], "2019") == []
    found = _findings(tmp_path / "year", [["2019年", 221, 70, 150, 3, 212], *HALVES], "2019")
    assert [(f.period_id, f.item, f.reported, f.computed) for f in found] == [("2019", "排查数", 221, 220)]
