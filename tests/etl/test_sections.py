"""A county's sheet without a 乡镇 column, its towns' rows under a row naming each town."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from etl.parse import SECTION, parse_file
from tests.workbooks import write_xlsx

ROOT = Path(__file__).resolve().parents[2]

HEADER = ["序号", "受理日期", "所属村(社区)", "纠纷类型", "当事人", "调解方式", "调解结果"]


def _row(i: int, village: str) -> list[object]:
    return [i, dt.datetime(2020, 1, i + 1), village, "邻里纠纷", f"张{i}", "书面", "调解成功"]


def _parse(
    tmp_path: Path, body: list[list[object]], town: str | None = None
) -> tuple[list[str], list[str], list[str], str]:
    path = write_xlsx(tmp_path / "某县2020年台账.xlsx", {"Sheet1": [["某县2020年矛盾纠纷排查调处台账"], HEADER, *body]})
    sheet = parse_file(path, town=town).sheets[0]
    return (
        list(sheet.table["town"]),
        [r[5] for r in sheet.reject_rows],
        [w[-1] for w in sheet.warning_rows],
        sheet.town_source,
    )


def test_each_row_takes_the_town_of_the_section_above_it(tmp_path: Path) -> None:
    body = [["一、珠龙镇"], _row(1, "龙村"), _row(2, "虎村"), ["", "", "东坪乡（1件）"], _row(3, "东村")]
    said = [
        f"此行只写着乡镇名「{t}」，读作分段标题行，不算一条数据；以下各行计入这个乡镇，直到下一个分段标题行"
        for t in ("珠龙镇", "东坪乡")
    ]
    assert _parse(tmp_path, body) == (["珠龙镇", "珠龙镇", "东坪乡"], [], said, SECTION)


def test_rows_above_the_first_section_keep_the_guess_and_its_warning(tmp_path: Path) -> None:
    towns, rejects, warnings, _ = _parse(tmp_path, [_row(1, "龙村"), ["东坪乡"], _row(2, "东村")])
    assert towns == ["珠龙镇", "东坪乡"]  # the default town, said, for the row above any section
    assert rejects == [] and any("已按默认乡镇「珠龙镇」计入" in w for w in warnings)


def test_sections_win_over_a_town_given_at_import_as_a_town_column_does(tmp_path: Path) -> None:
    """The town given at import is for rows the sheet names no town for (a county's file loaded by a
    town's clerk keeps the other town's rows, which the data page then refuses to that clerk)."""
    body = [_row(1, "城关"), ["珠龙镇"], _row(2, "龙村"), ["东坪乡"], _row(3, "东村")]
    towns, rejects, _, _ = _parse(tmp_path, body, town="城关镇")
    assert (towns, rejects) == (["城关镇", "珠龙镇", "东坪乡"], [])


def test_a_lone_cell_that_is_no_towns_name_is_still_a_row(tmp_path: Path) -> None:
    _, rejects, _, _ = _parse(tmp_path, [["以下为东坪乡"], _row(1, "东村"), ["乡镇"], _row(2, "东村")])
    assert len(rejects) == 2  # no date: rejected, as any such row


def test_the_load_report_names_every_town_with_its_rows(tmp_path: Path) -> None:
    """One town named for a county's sheet read as if it were that town's alone; each is named with its rows."""
    body = [["一、珠龙镇"], _row(1, "龙村"), ["二、东坪乡"], _row(2, "东村"), _row(3, "西村")]
    path = write_xlsx(tmp_path / "某县2020年台账.xlsx", {"Sheet1": [["某县2020年矛盾纠纷排查调处台账"], HEADER, *body]})
    done = subprocess.run(
        [sys.executable, "-m", "etl", "check", str(path)],
        cwd=ROOT, env={**os.environ, "DASHBOARD_DB": str(tmp_path / "w.duckdb")}, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "矛盾纠纷台账 东坪乡 2 行、珠龙镇 1 行：导入 3 行" in done.stdout, done.stdout
    sheet = parse_file(path).sheets[0]
    assert (sheet.town, sheet.towns) == ("东坪乡", (("东坪乡", 2), ("珠龙镇", 1)))
