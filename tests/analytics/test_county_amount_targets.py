"""In the all-towns view, an amount each town must reach (≥2 reports, ≥2 study meetings a year) was judged on
the towns' sum: 珠龙镇's 3 reports made the county 达标 while 东坪乡 made none (an outside test's finding).
The sum is now shown but not judged, and the report says the requirement is judged town by town; each town's
own view still judges its own figure. Real .xlsx, the ETL, a DuckDB file, the scorecard and the report text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.report.pack import build_pack
from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

WORK = [
    ["乡镇", "日期", "事项", "说明"],
    ["珠龙镇", "2024-03-10", "向党委政府汇报依法行政工作", ""],
    ["珠龙镇", "2024-07-10", "向党委政府汇报依法行政工作", ""],
    ["珠龙镇", "2024-11-10", "向党委政府汇报依法行政工作", ""],
    ["珠龙镇", "2024-04-10", "依法行政专题学习会", ""],
    ["珠龙镇", "2024-10-10", "依法行政专题学习会", ""],
    ["东坪乡", "2024-05-10", "法治宣传活动", "宪法进农村"],
    ["东坪乡", "2024-12-04", "法治宣传活动", "国家宪法日"],
    ["珠龙镇", "2024-12-04", "法治宣传活动", "国家宪法日"],
]
TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("county")
    path = folder / "w.duckdb"
    load_file(write_xlsx(folder / "work.xlsx", {"Sheet1": [["某县2024年依法行政工作台账"], *WORK]}), path)
    return path


def _figures(path: Path, town: str | None) -> dict[str, tuple[object, object]]:
    with duckdb.connect(str(path), read_only=True) as con:
        metrics = scorecard(con, parse("2024"), town, today=TODAY)["metrics"]
    return {m: (metrics[m]["value"], metrics[m]["status"]) for m in ("party_committee_reports", "study_meetings")}


def test_a_towns_amount_is_judged_in_its_own_view_and_not_on_the_countys_sum(county: Path) -> None:
    assert _figures(county, "东坪乡") == {"party_committee_reports": (0, "missed"), "study_meetings": (None, "no_data")}
    assert _figures(county, "珠龙镇") == {"party_committee_reports": (3, "met"), "study_meetings": (2, "met")}
    assert _figures(county, None) == {"party_committee_reports": (3, None), "study_meetings": (2, None)}


def test_the_county_report_does_not_call_the_sum_met(county: Path) -> None:
    with duckdb.connect(str(county), read_only=True) as con:
        sections = build_pack(con, parse("2024"), None, today=TODAY).text.sections
    text = "\n".join(p for section in sections for p in section.paragraphs)
    assert "依法行政专题学习会2次（每年不少于2次，按乡镇分别评价，合计数不评价）" in text
    assert "达到每年不少于2次的要求" not in text
