"""The house chart rules (issue 15), one test per rule, and every chart of the pages and the report
rendered through kaleido at 1440 and 390 px with its text boxes checked from its layout
(``analytics.present.chartcheck``): no title cut, no text overlapping other text, no label wider
than its bar, no category label turned."""

from __future__ import annotations

import colorsys
import struct
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.present import chartcheck, charts, fmt

WIDTHS = (1440, 390)
YEARS = [str(y) for y in range(2016, 2026)]
CATEGORIES = ["婚姻家庭", "邻里", "房屋宅基地", "山林土地", "合同", "道路交通事故", "劳动争议", "其他"]


def _forms() -> go.Figure:
    written = [120, 131, 140, 150, 156, 160, 149, 158, 170, 166]
    oral = [330, 350, 360, 346, 404, 390, 380, 401, 395, 363]
    long = pd.DataFrame(
        [
            {"period": y, "form": f, "n": v}
            for y, w, o in zip(YEARS, written, oral, strict=True)
            for f, v in (("written", w), ("oral", o))
        ]
    )
    title = "2020年排查矛盾纠纷560件，书面调解156件、口头调解404件，其中联合调解3件"
    return charts.stacked_bar(
        long,
        "period",
        "n",
        "form",
        title=title,
        labels={"written": "书面调解", "oral": "口头调解"},
        order=["written", "oral"],
        height=360,
    )


def _rate() -> go.Figure:
    frame = pd.DataFrame({"period": YEARS, "rate": [0.95, 0.953, 0.96, 0.96, 0.986, 0.982, 0.975, 0.99, 0.97, 0.983]})
    return charts.rate_trend(
        frame, "period", "rate", target=0.95, title="2020年调解率98.6%，达到95%的目标，同比+2.6个百分点", height=360
    )


def _categories() -> go.Figure:
    frame = pd.DataFrame(
        {
            "category": CATEGORIES,
            "current": [130, 128, 90, 70, 50, 31, 30, 31],
            "previous": [125, 127, 88, 72, 48, 15, 29, 30],
        }
    )
    return charts.paired_bar(
        frame,
        "category",
        "current",
        "previous",
        ("2020年", "2019年"),
        title="2020年道路交通事故类纠纷变化最大：15件→31件（+106.7%）；最多的是婚姻家庭（130件）",
        metric_id="disputes_total",
    )


def _villages() -> go.Figure:
    frame = pd.DataFrame(
        {
            "village": [
                f"{n}村" for n in ("珠龙", "石门", "桃源", "新田", "东风", "西山", "南岭", "北坪", "上坊", "下坊")
            ],
            "total": [80, 70, 66, 60, 52, 50, 44, 40, 33, 30],
        }
    )
    return charts.ranked_bar(
        frame,
        "village",
        "total",
        title="2020年珠龙村纠纷最多（80件），调解率最低的是石门村（95.7%）",
        colour_key="disputes_total",
    )


def _documents() -> go.Figure:
    names = {
        "document_review_rate": "合法性审查率",
        "document_publication_rate": "公开率",
        "document_filing_rate": "备案率",
        "document_timely_filing_rate": "及时备案率",
    }
    rows = [
        {
            "period": y,
            "metric_id": m,
            "value": (5 / 6 if (y, m) == ("2020", "document_publication_rate") else 1.0),
            "n": 6,
            "d": 6,
        }
        for y in YEARS
        for m in names
    ]
    return charts.status_grid(
        pd.DataFrame(rows),
        "period",
        "metric_id",
        "value",
        names,
        1.0,
        title="2020年制发规范性文件6件，公开率83.3%未达标",
        numerator="n",
        denominator="d",
    )


def _officers() -> go.Figure:
    frame = pd.DataFrame(
        {
            "name": ["张**", "李**", "王**", "赵**", "刘**", "陈**", "杨**", "黄**", "周**"],
            "hours": [62, 58, 55, 52, 50, 50, 48, 40, 31.5],
        }
    )
    return charts.threshold_bar(
        frame,
        "name",
        "hours",
        50,
        title="2020年执法人员人均学时49.6学时，9人中2人未达到50学时",
        line_label="50学时（全年）",
    )


def _meetings() -> go.Figure:
    frame = pd.DataFrame({"period": YEARS, "value": [2, 2, 3, 2, 2, 1, 2, 2, 3, 1]})
    return charts.trend_bar(
        frame,
        "period",
        "value",
        title="2020年依法行政专题学习会2次，达到每年2次的目标",
        colour_key="study_meetings",
        target=2,
        metric_id="study_meetings",
    )


def _training_rates() -> go.Figure:
    names = {"training_rate": "培训率", "study_hours_compliance_rate": "学时达标率", "certification_rate": "持证率"}
    rows = [
        {"period": y, "metric_id": m, "value": v}
        for y in YEARS
        for m, v in zip(names, (1.0, 0.9 + int(y) % 3 * 0.05, 0.97), strict=True)
    ]
    return charts.grouped_rates(
        pd.DataFrame(rows),
        "period",
        "metric_id",
        "value",
        names,
        target=1.0,
        title="2020年培训率、学时达标率、持证率均达到目标",
    )


def _monthly() -> go.Figure:
    frame = pd.DataFrame(
        {
            "label": [f"{m}月" for m in range(1, 13)],
            "current": [40, 38, 52, 47, 45, 50, 61, 49, 44, 46, 43, 45],
            "previous": [36, 35, 48, 44, 40, 47, 55, 45, 40, 41, 39, 30],
        }
    )
    return charts.paired_bar(
        frame,
        "label",
        "current",
        "previous",
        ("2020年", "2019年"),
        title="2020年7月受理纠纷最多（61件）",
        metric_id="disputes_total",
    )


CHARTS: dict[str, Callable[[], go.Figure]] = {
    "forms": _forms,
    "rate": _rate,
    "categories": _categories,
    "villages": _villages,
    "documents": _documents,
    "officers": _officers,
    "meetings": _meetings,
    "training_rates": _training_rates,
    "monthly": _monthly,
}


@pytest.mark.parametrize("name", list(CHARTS))
@pytest.mark.parametrize("width", WIDTHS)
def test_chart_reads_at_width(name: str, width: int) -> None:
    fig = CHARTS[name]()
    assert chartcheck.problems(fig, width) == []


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_renders_through_kaleido_at_both_widths(name: str) -> None:
    pytest.importorskip("kaleido")
    from analytics.report.images import figure_png

    fig = CHARTS[name]()
    for width in WIDTHS:
        png = figure_png(fig, width=width, scale=1)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        drawn_width, drawn_height = struct.unpack(">II", png[16:24])
        assert (drawn_width, drawn_height) == (width, fig.layout.height)


# ----- the checker itself can fail ------------------------------------------------------------------


def test_checker_finds_a_cut_title_and_crowded_labels() -> None:
    fig = go.Figure(go.Bar(x=[str(i) for i in range(40)], y=[1.0] * 40, text=["100%"] * 40, textposition="outside"))
    fig.update_layout(title={"text": "一个很长很长的标题" * 6, "pad": {"l": 10, "t": 10}}, height=320, margin={"t": 40})
    found = " ".join(chartcheck.problems(fig, 390))
    assert "title cut" in found and "wider than its bar" in found and "overlaps" in found


def test_checker_finds_a_title_over_labels_on_top() -> None:
    fig = _documents()
    fig.update_xaxes(side="top")
    assert any("x labels" in p for p in chartcheck.problems(fig, 390))


def test_checker_finds_a_target_label_over_the_bars() -> None:
    fig = go.Figure(go.Bar(x=["张三", "李四"], y=[40.0, 60.0], text=["40", "60"], textposition="outside"))
    fig.add_annotation(x=1, xref="x", y=50, yref="y", text="目标 50学时（全年）", showarrow=False)
    fig.update_layout(yaxis={"range": [0, 70]}, height=300)
    assert any("covers the bar" in p for p in chartcheck.problems(fig, 390))


# ----- one rule each --------------------------------------------------------------------------------


def _hue(colour: str) -> tuple[float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, s


def test_red_and_green_mean_a_target_and_nothing_else() -> None:
    for key, value in charts.COLOURS.items():
        if key in charts.STATUS_KEYS:
            continue
        hue, saturation = _hue(value)
        red = (hue < 15 or hue > 340) and saturation > 0.35
        green = 90 < hue < 160 and saturation > 0.3
        assert not (red or green), f"{key} is {value}"
    assert charts.STATUS["missed"] == fmt.STATUS_COLOURS["missed"] and charts.STATUS["met"] == fmt.STATUS_COLOURS["met"]
    assert _hue(charts.TARGET_COLOUR)[1] < 0.1  # the target line is grey


def test_a_yearly_amount_under_its_target_is_a_red_bar_and_a_guide_colours_none() -> None:
    frame = pd.DataFrame({"period": ["2018", "2019", "2020"], "value": [2, 1, 3]})
    judged = charts.trend_bar(frame, "period", "value", colour_key="party_committee_reports", target=2, judged=True)
    colours = list(judged.data[0].marker.color)
    assert colours[1] == charts.STATUS["missed"]  # 2019: 1 report of the 2 a year asks
    assert colours[0] == colours[2] == charts.colour("party_committee_reports")  # met or above: neutral
    guide = charts.trend_bar(
        frame, "period", "value", colour_key="party_committee_reports", target=2, target_label="参考"
    )
    assert charts.STATUS["missed"] not in list(guide.data[0].marker.color)


def test_sparklines_are_neutral_whatever_the_metric() -> None:
    for metric_id in ("disputes_escalated", "mediation_success_rate", "study_hours_avg"):
        svg = charts.sparkline_svg([0, 0, 1, 0], metric_id)
        assert f'stroke="{charts.SPARK_COLOUR}"' in svg


def test_rate_axis_spans_the_data_and_the_target_is_labelled_at_the_side() -> None:
    fig = _rate()
    low, high = fig.layout.yaxis.range
    assert 0.9 <= low < 0.95 and high <= 1.01
    side = [a for a in fig.layout.annotations if a.xref == "paper" and a.x == 1 and a.xanchor == "left"]
    assert len(side) == 1 and "95%" in side[0].text
    assert fig.layout.margin.r >= charts.text_width(side[0].text, charts.LABEL_SIZE)
    grouped = _training_rates()
    assert grouped.layout.yaxis.range[0] > 0.5 and all(t.type == "scatter" for t in grouped.data)


def test_legend_sits_under_the_plot() -> None:
    fig = _forms()
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0 and fig.layout.legend.yanchor == "bottom"
    assert fig.layout.margin.b >= charts.LEGEND_ROW + 20


def test_title_names_the_largest_change_not_the_first_row() -> None:
    frame = pd.DataFrame(
        {"category": ["邻里", "婚姻家庭", "道路交通事故"], "current": [128, 130, 31], "previous": [127, 125, 15]}
    )
    assert charts.largest_change(frame, "category", "current", "previous") == ("道路交通事故", 31, 15)
    flat = pd.DataFrame({"category": ["邻里"], "current": [3], "previous": [3]})
    assert charts.largest_change(flat, "category", "current", "previous") is None


def test_counts_carry_their_metric_unit_and_whole_ticks() -> None:
    fig = _meetings()
    side = [a.text for a in fig.layout.annotations if a.xref == "paper"]
    assert side == ["目标 2次"]
    assert fig.layout.yaxis.dtick == 1 and fig.layout.yaxis.tickformat == ",d"
    assert "次" in fig.data[0].hovertemplate
    assert charts.unit_suffix("count", "zh", "disputes_total") == "件"


def test_bar_labels_only_where_they_fit() -> None:
    many = pd.DataFrame({"period": [str(i) for i in range(40)], "value": [100.0] * 40})
    assert list(charts.trend_bar(many, "period", "value").data[0].text) == [None] * 39 + ["100"]  # the period shown
    few = pd.DataFrame({"period": YEARS[:5], "value": [1.0, 2, 3, 4, 5]})
    assert list(charts.trend_bar(few, "period", "value").data[0].text) == ["1", "2", "3", "4", "5"]


def test_two_years_in_two_colours() -> None:
    fig = _categories()
    assert [t.marker.color for t in fig.data] == [charts.PREVIOUS_COLOUR, charts.CURRENT_COLOUR]


def test_documents_grid_shows_the_one_missed_cell_red() -> None:
    fig = _documents()
    grid = fig.data[0]
    missed = [(r, c) for r, row in enumerate(grid.z) for c, v in enumerate(row) if v == 0]
    assert len(missed) == 1
    assert charts.STATUS["missed"] in str(grid.colorscale)


def test_officers_names_are_level_and_the_line_label_is_clear_of_the_bars() -> None:
    fig = _officers()
    assert fig.data[0].orientation == "h"
    top = [a for a in fig.layout.annotations if a.yref == "paper"]
    assert len(top) == 1 and top[0].y == 1 and top[0].yanchor == "bottom"


def test_titles_wrap_rather_than_cut() -> None:
    fig = _forms()
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) > 1 and "".join(lines) == "2020年排查矛盾纠纷560件，书面调解156件、口头调解404件，其中联合调解3件"
    assert all(charts.text_width(line, charts.TITLE_SIZE) <= charts.NARROW_WIDTH - 20 for line in lines)
