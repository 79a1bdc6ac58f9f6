"""The pages of issue 14's registers (行政复议与应诉, 政务公开, 依法行政工作) on the sample loaded
through the real ETL: they run in both languages and every period kind, say the report's findings
for 2020, list what staff act on, and show 无案件 for a rate with no case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("cases", "disclosures", "work")


def run_page(monkeypatch: pytest.MonkeyPatch, db: Path, page: str, period: str = "2020", **state: str) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["period"] = period
    for key, value in state.items():
        at.query_params[key] = value
    at.run()  # the overview first: it reads the view from the URL
    at.switch_page(f"pages/{page}.py")
    return at.run()


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [str(m.value) for m in at.metric]
    parts += [str(m.label) for m in at.metric] + [e.value for e in at.info] + [e.value for e in at.success]
    for frame in at.dataframe:
        parts.append(frame.value.to_string())
    for chart in at.get("plotly_chart"):
        parts.append(json.dumps(json.loads(chart.proto.spec), ensure_ascii=False))
    return "\n".join(parts)


@pytest.mark.parametrize("period", ["2020", "2020H1", "2020Q3"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs(monkeypatch, sample_db, page, period):
    at = run_page(monkeypatch, sample_db, page, period)
    assert not at.exception, [e.message for e in at.exception]
    assert period[:4] in at.markdown[0].value
    assert len(at.get("plotly_chart")) == 1


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_in_english(monkeypatch, sample_db, page):
    at = run_page(monkeypatch, sample_db, page, "2020", lang="en")
    assert not at.exception, [e.message for e in at.exception]


def test_cases_2020_says_no_reconsideration_since_2013(monkeypatch, sample_db):
    at = run_page(monkeypatch, sample_db, "cases", "2020")
    values = {m.label: m.value for m in at.metric}
    assert values["连续未发生行政复议年数"] == "8年"
    assert values["负责人出庭应诉率"] == "100%"
    assert values["行政复议纠错率"] == "无案件"
    text = _text(at)
    assert "自2013年以来未发生行政复议案件" in text
    assert "王**" not in text or "王某某" in text  # applicants are masked (the sample's are already 某某)


def test_cases_2024_rates_without_a_case_are_no_cases(monkeypatch, sample_db):
    values = {m.label: m.value for m in run_page(monkeypatch, sample_db, "cases", "2024").metric}
    assert values["行政诉讼案件"] == "0件"
    assert values["负责人出庭应诉率"] == "无案件"


def test_disclosures_2025_lists_the_overdue_and_the_due_soon(monkeypatch, sample_db):
    at = run_page(monkeypatch, sample_db, "disclosures", "2025")
    values = {m.label: m.value for m in at.metric}
    assert values["逾期未答复申请"] == "1件"
    assert values["依申请公开按时答复率"] == "90%"
    assert len(at.dataframe) >= 2
    text = _text(at)
    assert "截至2025-12-31" in text and "2025-12-08" in text and "2026-01-08" in text


def test_disclosures_2020_all_in_time(monkeypatch, sample_db):
    at = run_page(monkeypatch, sample_db, "disclosures", "2020")
    values = {m.label: m.value for m in at.metric}
    assert values["依申请公开按时答复率"] == "100%"
    assert values["逾期未答复申请"] == "0件"


def test_work_2020_reports_supervisions_and_the_training_note(monkeypatch, sample_db):
    at = run_page(monkeypatch, sample_db, "work", "2020")
    values = {m.label: m.value for m in at.metric}
    assert values["向党委政府汇报依法行政工作"] == "2次"
    assert values["季度督导覆盖率"] == "100%"
    text = _text(at)
    assert "以学法培训台账计" in text


def test_work_shows_other_kinds_as_written(monkeypatch, sample_db):
    at = run_page(monkeypatch, sample_db, "work", "2024")
    text = _text(at)
    assert "法治政府建设示范创建迎检" in text
    values = {m.label: m.value for m in at.metric}
    assert values["规范性文件清理（近两年）"] == "0次"


def test_a_summary_sheets_year_is_marked_on_the_register_pages(monkeypatch, sample_db, tmp_path):
    """2015 from 法治工作汇总表 (no register row that year) is written 2015（报表数） on each page's trend."""
    import shutil

    from etl.load import load_file
    from tests.workbooks import write_xlsx

    db = Path(shutil.copyfile(sample_db, tmp_path / "warehouse.duckdb"))
    header = [
        "年度",
        "行政诉讼案件数",
        "开庭数",
        "负责人出庭数",
        "信息公开申请数",
        "按时答复数",
        "逾期答复数",
        "汇报次数",
    ]
    sheet = [["珠龙镇法治工作汇总表"], header, ["2015年", 1, 1, 1, 4, 4, 0, 2]]
    assert load_file(write_xlsx(tmp_path / "汇总.xlsx", {"汇总": sheet}), db).rejected == 0
    for page in PAGES:
        text = _text(run_page(monkeypatch, db, page, "2020"))
        assert "2015（报表数）" in text, page
        assert "2016（报表数）" not in text, page  # the register's own years stay unmarked
