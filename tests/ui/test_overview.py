"""The overview page through AppTest, against the fixture warehouse (DOMAIN.md §1 figures)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from analytics.semantic import aggregates


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def deltas(app) -> dict[str, str]:
    return {m.label: m.proto.delta for m in app.metric}


def all_text(app) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption] + [i.value for i in app.info]
    parts += [w.value for w in app.warning]
    return "\n".join(str(p) for p in parts)


def test_default_view_is_the_latest_complete_year(make_app) -> None:
    app = make_app()
    assert not app.exception
    assert app.selectbox(key="period").value == "2020"
    assert app.radio(key="kind").value == "year"


def test_2020_overview_reproduces_the_report(make_app) -> None:
    app = make_app(period="2020")
    values, changes = metrics(app), deltas(app)
    assert values["矛盾纠纷排查数"] == "560件"
    assert values["调解率"] == "98.6%"
    assert changes["调解率"] == "+2.6个百分点"
    assert changes["矛盾纠纷排查数"] == "+12%（+60件）"
    assert values["激化纠纷"] == "0件"
    assert values["合法性审查率"] == "100%"
    # the eight headline KPIs are on the screen
    assert len(app.metric) == 8
    table = app.dataframe[0].value
    row = table[table["指标"] == "调解率"].iloc[0]
    assert row["n/N"] == "552/560"
    assert row["上年同期"] == "96%"
    assert row["状态"] == "达标"


@pytest.mark.parametrize(("period", "disputes"), [("2020", "560件"), ("2020H1", "279件"), ("2020Q1", "140件")])
def test_year_half_and_quarter_render(make_app, period: str, disputes: str) -> None:
    app = make_app(period=period)
    assert not app.exception
    assert app.selectbox(key="period").value == period
    assert metrics(app)["矛盾纠纷排查数"] == disputes


def test_switching_period_in_the_sidebar_changes_the_figures(make_app) -> None:
    app = make_app(period="2020")
    app.selectbox(key="period").select("2019").run()
    assert not app.exception
    assert metrics(app)["矛盾纠纷排查数"] == "500件"
    assert metrics(app)["调解率"] == "96%"


def test_switching_the_period_kind_picks_a_period_of_that_kind(make_app) -> None:
    app = make_app(period="2020")
    app.radio(key="kind").set_value("half").run()
    assert not app.exception
    # the latest complete half-year with data (AppTest reruns only the page after an interaction
    # under st.navigation, so the page's context() must follow the kind on its own)
    assert "2020年下半年" in all_text(app)
    assert metrics(app)["矛盾纠纷排查数"] == "281件"


def test_language_switch_changes_labels(make_app) -> None:
    app = make_app(period="2020")
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    values, changes = metrics(app), deltas(app)
    assert values["Disputes screened"] == "560"
    assert values["Mediation success rate"] == "98.6%"
    assert changes["Mediation success rate"] == "+2.6 pp"
    assert "Overview" in all_text(app)
    assert "总览" not in all_text(app)


@pytest.mark.parametrize(
    "params",
    [
        {"lang": "en", "kind": "half", "period": "2020H1"},  # ids, as other pages and the report link
        {"lang": "English", "kind": "Half-year", "period": "2020 H1"},  # what the bound widgets write
    ],
)
def test_query_params_restore_a_view(make_app, params: dict[str, str]) -> None:
    app = make_app(**params)
    assert not app.exception
    assert app.radio(key="lang").value == "en"
    assert app.radio(key="kind").value == "half"
    assert app.selectbox(key="period").value == "2020H1"
    assert metrics(app)["Disputes screened"] == "279"


def test_summary_figures_are_marked_reported(make_app) -> None:
    app = make_app(period="2017")
    values = metrics(app)
    assert values["矛盾纠纷排查数 · 报表数"] == "455件"
    assert values["调解率 · 报表数"] == "95.4%"


def test_missed_target_is_listed_under_needs_attention(make_app, fixture_db_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "missed.duckdb"
    shutil.copyfile(fixture_db_path, db)
    con = duckdb.connect(str(db))
    # 39 more failures in 2020 (rows 4..43, one already failed): 513/560 = 91.6% < 95%
    con.execute("""UPDATE disputes SET outcome = 'failed'
                   WHERE year(received_date) = 2020 AND outcome = 'success' AND excel_row < 44""")
    aggregates.refresh(con)  # rows changed by SQL: rebuild what the ETL would
    con.close()
    app = make_app(db=db, period="2020")
    assert not app.exception
    assert metrics(app)["调解率"] == "91.6%"
    text = all_text(app)
    assert "需要关注" in text
    assert "**调解率**：91.6%" in text
    assert "本期所有有目标的指标均已达标" not in text


def test_empty_database_explains_what_to_do(make_app, tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "nothing-loaded.duckdb")
    assert not app.exception
    text = all_text(app)
    assert "数据库中还没有数据" in text
    assert "python -m etl load data/sample/*.xlsx" in text
    assert len(app.metric) == 0
