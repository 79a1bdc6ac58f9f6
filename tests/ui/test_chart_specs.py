"""Every chart on every page, as the app sends it: years stay categories and nothing stretches the axis.

Plotly reads an annotation placed at x="2018" as the number 2018 even on a category axis; the axis
then spans 0–2018 and the bars vanish (seen on the mediation page before the fix).
"""

from __future__ import annotations

import json

import pytest

PAGES = ["pages/overview.py", "pages/mediation.py", "pages/documents.py", "pages/training.py", "pages/report.py"]


@pytest.mark.parametrize("page", PAGES)
def test_charts_keep_years_as_categories(make_app, page: str) -> None:
    app = make_app(period="2020")
    app.switch_page(page).run()
    assert not app.exception
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    for spec in specs:
        layout = spec["layout"]
        xaxis = layout.get("xaxis", {})
        xs = [x for trace in spec["data"] for x in (trace.get("x") or []) if isinstance(x, str)]
        if any(x[:4].isdigit() for x in xs) and trace_is_vertical(spec):
            assert xaxis.get("type") == "category", layout.get("title")
        for note in layout.get("annotations", []):
            if note.get("xref", "x") == "x" and xaxis.get("type") == "category":
                assert not (isinstance(note.get("x"), str) and note["x"].isdigit()), (layout.get("title"), note)


def trace_is_vertical(spec: dict) -> bool:
    return all(trace.get("orientation") != "h" for trace in spec["data"])


def test_sparkline_svg_leaves_a_gap_for_a_missing_year() -> None:
    from analytics.present.charts import sparkline_svg

    svg = sparkline_svg([500, None, 540, 560], "disputes_total", width=100, height=40)
    path = svg.split(' d="')[1].split('"')[0]
    assert path.count("M") == 2 and path.count("L") == 1  # 2017 | gap | 2019-2020
    assert 'stroke="#5C6F82"' in svg and "<title>" not in svg  # neutral: red and green are the tile's status
    assert sparkline_svg([None, 3]) == ""  # one value: no line
    flat = sparkline_svg([7, 7, 7], height=40)
    assert "20.0" in flat  # a flat series runs across the middle
