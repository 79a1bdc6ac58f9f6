"""AppTest of the three analysis pages on the fixture warehouse and on an empty database."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.queries.documents import shortfalls
from analytics.semantic.periods import parse
from tests.fixture_db import build

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("mediation", "documents", "training")
KINDS = {"2020": "year", "2020H1": "half", "2020Q3": "quarter", "2025": "year"}
CHARTS = {"mediation": 3, "documents": 1, "training": 5}  # mediation: headline row + the open breakdown tab


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("ui_pages") / "warehouse.duckdb")


def run_page(monkeypatch: pytest.MonkeyPatch, db: Path, page: str, period: str = "2020", **state: str) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["kind"] = KINDS[period]
    at.session_state["period"] = period
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(f"pages/{page}.py")
    return at.run()


@pytest.mark.parametrize("period", ["2020", "2020H1", "2020Q3"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_charts(monkeypatch, db_file, page, period):
    at = run_page(monkeypatch, db_file, page, period)
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.get("plotly_chart")) == CHARTS[page]
    heading = at.markdown[0].value
    assert period[:4] in heading


def test_mediation_2020_shows_the_report_figures(monkeypatch, db_file):
    at = run_page(monkeypatch, db_file, "mediation", "2020")
    values = {m.label: m.value for m in at.metric}
    assert values["矛盾纠纷排查数"] == "560件"
    assert values["调解率"] == "98.6%"
    assert values["联合调解"] == "3件"
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    titles = [fig["layout"]["title"]["text"].replace("<br>", "") for fig in figures]  # titles wrap
    assert "2020年调解率98.6%，达到95%目标，同比+2.6个百分点" in titles
    assert "2020年排查矛盾纠纷560件，书面调解156件、口头调解404件，其中联合调解3件" in titles
    forms = figures[titles.index("2020年排查矛盾纠纷560件，书面调解156件、口头调解404件，其中联合调解3件")]
    assert forms["layout"]["xaxis"]["type"] == "category"
    assert forms["data"][0]["x"] == ["2017（报表数）", "2018", "2019", "2020"]  # the summary year is marked
    assert forms["data"][0]["y"][1] is None  # 2018 has no data: a gap, not a drawn zero


@pytest.mark.parametrize(
    ("tab", "title"),
    [
        (None, "2020年新田村纠纷最多"),
        ("村（社区）", "2020年新田村纠纷最多"),
        ("纠纷类型", "2020年合同类纠纷变化最大：100件→112件"),  # the largest change, not the first row
        ("月份", "2020年纠纷最多的月份是"),
        ("上半年 / 下半年", "2020年上半年"),
    ],
)
def test_mediation_breakdowns_draw_the_chosen_tab_only(monkeypatch, db_file, tab, title):
    state = {} if tab is None else {"mediation_breakdown": tab}
    at = run_page(monkeypatch, db_file, "mediation", "2020", **state)
    assert not at.exception, [e.message for e in at.exception]
    assert [t.label for t in at.tabs] == ["村（社区）", "纠纷类型", "月份", "上半年 / 下半年"]
    titles = [
        json.loads(chart.proto.spec)["layout"]["title"]["text"].replace("<br>", "") for chart in at.get("plotly_chart")
    ]
    assert len(titles) == 3 and titles[2].startswith(title), titles
    assert any(b.label == "数据表" for b in at.expander)  # the chart's table and downloads, on demand


def test_drilldown_filter_from_query_params(monkeypatch, db_file):
    at = run_page(monkeypatch, db_file, "mediation", "2020", village="石门村", category="邻里")
    assert not at.exception
    assert at.query_params["village"] == "石门村"
    assert any("石门村 · 邻里：共28件" in c.value for c in at.caption)
    drill = [d.value for d in at.dataframe if "受理日期" in d.value.columns and len(d.value) == 28]
    assert drill and set(drill[0]["村（社区）"]) == {"石门村"} and set(drill[0]["纠纷类型"]) == {"邻里"}


def test_empty_database_explains_what_to_do(monkeypatch, tmp_path):
    empty = tmp_path / "empty.duckdb"
    for page in PAGES:
        at = run_page(monkeypatch, empty, page, "2020")
        assert not at.exception
        assert any("数据库中还没有数据" in info.value for info in at.info)
        assert not at.get("plotly_chart")


@pytest.fixture(scope="module")
def three_towns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three generated towns (bench.scale): 75 enforcement officers, a few late documents a year."""
    import duckdb

    from bench.scale import Scale, populate

    db = tmp_path_factory.mktemp("three_towns") / "county.duckdb"
    con = duckdb.connect(str(db))
    try:
        populate(con, Scale("three towns", 3, 3_000))
    finally:
        con.close()
    return db


def test_training_page_at_county_scale_draws_bands_not_a_bar_per_officer(monkeypatch, three_towns):
    at = run_page(monkeypatch, three_towns, "training", "2025")
    assert not at.exception, [e.message for e in at.exception]
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    hours = next(f for f in figures if "人均学法" in f["layout"]["title"]["text"].replace("<br>", ""))
    bands = [x for trace in hours["data"] for x in trace["x"]]
    assert "≥50" in bands and len(set(bands)) == 6  # officers per band of hours, not 75 names
    assert sum(v or 0 for trace in hours["data"] for v in trace["y"]) == 75


def test_training_sessions_listed_with_their_count(monkeypatch, db_file):
    at = run_page(monkeypatch, db_file, "training", "2020")
    assert any(c.value == "2020年共举办4次学法培训。" for c in at.caption)
    listed = [d.value for d in at.dataframe if "参加人数" in d.value.columns]
    assert listed and len(listed[0]) == 4  # a short list is open at once


def test_documents_shortfalls_listed_at_once_when_few(monkeypatch, three_towns):
    at = run_page(monkeypatch, three_towns, "documents", "2025")
    assert not at.exception
    listed = [d.value for d in at.dataframe if "文号" in d.value.columns]
    con = duckdb.connect(str(three_towns), read_only=True)
    try:
        expected = len(shortfalls(con, parse("2025"), None))
    finally:
        con.close()
    assert listed and len(listed[0]) == expected > 0


def test_village_and_category_bars_open_their_cases(monkeypatch, db_file):
    """Click to drill: the village chart reruns the app on a click and carries each bar's village;
    a clicked bar (handed over as ``mediation.drill_to`` does) sets the drill-down and opens its cases."""
    at = run_page(monkeypatch, db_file, "mediation", "2020")
    villages = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if "纠纷最多" in json.loads(c.proto.spec)["layout"]["title"]["text"]
    )
    assert set(villages["data"][0]["customdata"]) == {"珠龙村", "石门村", "桃源村", "新田村"}
    assert villages["layout"]["clickmode"] == "event+select"
    clicked = run_page(monkeypatch, db_file, "mediation", "2020", _drill={"village": "石门村"}, category="邻里")
    assert not clicked.exception, [e.message for e in clicked.exception]
    assert clicked.session_state["village"] == "石门村" and clicked.session_state["category"] is None
    drill = [d.value for d in clicked.dataframe if "受理日期" in d.value.columns]
    assert drill and set(drill[0]["村（社区）"]) == {"石门村"} and len(drill[0]) > 28


@pytest.mark.parametrize("period", ["2020", "2020H1", "2020Q3"])
def test_every_chart_on_the_pages_reads_at_1440_and_390_px(monkeypatch, db_file, period):
    """The charts the pages really draw, measured from their layout (``analytics.present.chartcheck``):
    no title cut, no text over other text or over the bars, no label wider than its bar, none turned."""
    import plotly.graph_objects as go

    from analytics.present import chartcheck

    found = {}
    for page in PAGES:
        tabs = [None, "纠纷类型", "月份", "上半年 / 下半年"] if page == "mediation" else [None]
        for tab in tabs:
            state = {"mediation_breakdown": tab} if tab else {}
            at = run_page(monkeypatch, db_file, page, period, **state)
            for chart in at.get("plotly_chart"):
                fig = go.Figure(json.loads(chart.proto.spec))
                for width in (1440, 390):
                    problems = chartcheck.problems(fig, width)
                    if problems:
                        found[f"{page} {tab} {width}: {fig.layout.title.text}"] = problems
    assert not found, found
