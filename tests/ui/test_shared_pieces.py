"""The shared, UI-free pieces the pages use: text catalogues, report-style numbers, chart style."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest

from analytics.present import charts, fmt, i18n
from analytics.semantic.catalogue import METRICS

ROOT = Path(__file__).resolve().parents[2]


def test_both_catalogues_have_the_same_keys() -> None:
    assert set(i18n.ZH) == set(i18n.EN), set(i18n.ZH) ^ set(i18n.EN)


def test_text_falls_back_and_formats() -> None:
    assert i18n.text("nav.overview", "en") == "Overview"
    assert i18n.text("nav.overview", "fr") == "总览"
    assert i18n.text("no.such.key", "en") == "no.such.key"
    assert i18n.text("overview.vs_last_year", "zh", previous="96%") == "上年同期 96%"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: fmt.rate(552 / 560), "98.6%"),
        (lambda: fmt.rate(1.0), "100%"),
        (lambda: fmt.rate(0.96), "96%"),
        (lambda: fmt.rate(None), "无数据"),
        (lambda: fmt.rate(None, "en"), "No data"),
        (lambda: fmt.rate(None, empty="cases"), "无案件"),
        (lambda: fmt.points((552 / 560 - 0.96) * 100), "+2.6个百分点"),
        (lambda: fmt.points(2.57, "en"), "+2.6 pp"),
        (lambda: fmt.points(-1.04), "-1个百分点"),
        (lambda: fmt.count(560), "560件"),
        (lambda: fmt.count(560, "en"), "560"),
        (lambda: fmt.count(2872), "2,872件"),
        (lambda: fmt.hours(55), "55学时"),
        (lambda: fmt.hours(27.5, "en"), "27.5 h"),
        (lambda: fmt.change_pct(0.12), "+12%"),
        (lambda: fmt.change_pct(-0.035), "-3.5%"),
        (lambda: fmt.change("count", 60, 0.12, None), "+12%（+60件）"),
        (lambda: fmt.change("rate", 0.026, None, 2.57), "+2.6个百分点"),
        (lambda: fmt.target("rate", ">=", 0.95), "≥95%"),
        (lambda: fmt.target("count", "<=", 0), "=0件"),
        (lambda: fmt.target("count", ">=", 2, metric_id="study_meetings"), "≥2次"),
    ],
)
def test_numbers_read_like_the_report(call, expected: str) -> None:
    assert call() == expected


def test_status_colours_distinguish_met_missed_and_no_data() -> None:
    assert len({fmt.status_colour("met"), fmt.status_colour("missed"), fmt.status_colour("no_data")}) == 3


def test_every_metric_has_its_own_colour() -> None:
    assert all(m.id in charts.COLOURS for m in METRICS)
    assert charts.colour("written") == charts.colour("书面调解")


def test_years_sit_on_a_category_axis_and_missing_years_are_gaps() -> None:
    frame = pd.DataFrame({"year": [2017, 2018, 2019, 2020], "total": [455, None, 500, 560]})
    fig = charts.trend_bar(frame, "year", "total", title="排查数逐年上升")
    spec = json.loads(fig.to_json())
    assert spec["layout"]["xaxis"]["type"] == "category"
    assert spec["data"][0]["x"] == ["2017", "2018", "2019", "2020"]
    assert spec["data"][0]["y"][1] is None  # a gap, not a drawn zero
    # placed by category index: an x of "2018" would be read as the number 2018
    assert any(a["text"] == "无数据" and a["x"] == 1 for a in spec["layout"]["annotations"])
    assert "Noto Sans CJK SC" in spec["layout"]["font"]["family"]


def test_rates_use_a_percent_axis_with_a_dashed_target() -> None:
    frame = pd.DataFrame({"year": ["2019", "2020"], "rate": [0.96, 552 / 560], "n": [480, 552], "d": [500, 560]})
    fig = charts.rate_trend(frame, "year", "rate", target=0.95, title="调解率高于目标", numerator="n", denominator="d")
    spec = json.loads(fig.to_json())
    low, high = spec["layout"]["yaxis"]["range"]
    # spans the data and the target (0.95-0.986), not 0-100%, which would flatten +2.6 points
    assert 0.85 <= low < 0.95 and 0.986 < high <= 1.1 and spec["layout"]["yaxis"]["tickformat"] == ".0%"
    target_lines = [s for s in spec["layout"]["shapes"] if s.get("line", {}).get("dash") == "dash"]
    assert target_lines and target_lines[0]["y0"] == 0.95
    assert spec["data"][0]["text"][1] == "98.6%"


def test_analytics_never_imports_streamlit() -> None:
    for path in (ROOT / "analytics").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not any(n.split(".")[0] == "streamlit" for n in names), path
