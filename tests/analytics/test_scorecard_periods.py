"""Honest periods (issue 15): a period in progress is marked 截至 M月D日 and compared with the same
days a year earlier; the default period is the latest complete one; annual amounts are judged by the year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics import db
from analytics.semantic import aggregates, coverage
from analytics.semantic.catalogue import METRICS
from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from tests.fixture_db import DISPUTE_COLUMNS, populate

TODAY = date(2021, 11, 28)


@pytest.fixture(scope="module")
def cur(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """The fixture warehouse (2019, 2020) and four disputes from 5–20 January 2021."""
    path = Path(tmp_path_factory.mktemp("periods")) / "w.duckdb"
    con = duckdb.connect(str(path))
    populate(con)
    con.execute(f"""INSERT INTO disputes ({DISPUTE_COLUMNS})
        SELECT 1, '珠龙镇', 'fixture.xlsx', '2021年', i + 4, DATE '2021-01-05' + (i * 5)::INT, '珠龙村', '邻里',
               'oral', false, CASE WHEN i = 0 THEN 'failed' ELSE 'success' END, false, false, '王某某'
        FROM range(4) t(i)""")
    aggregates.refresh(con)
    con.close()
    return db.reader(path).cursor()


def test_data_until_is_the_last_day_with_data(cur: duckdb.DuckDBPyConnection) -> None:
    assert coverage.last_day(cur) == date(2021, 1, 20)
    assert coverage.last_day(cur, "无此镇") is None


def test_default_period_skips_a_half_year_of_four_january_rows(cur: duckdb.DuckDBPyConnection) -> None:
    # 2021H1 has ended by TODAY but its data stop on 20 January: not complete.
    assert coverage.default_period(cur, TODAY) == parse("2020")
    assert coverage.default_period(cur, TODAY, "half") == parse("2020H2")


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        ("2021H1", TODAY, date(2021, 1, 20)),  # ended, but data stop in its first month
        ("2021", TODAY, date(2021, 1, 20)),
        ("2020", TODAY, None),  # complete
        ("2020H2", TODAY, None),
        ("2020", date(2020, 8, 15), date(2020, 8, 15)),  # not ended yet: to today
        ("2022", TODAY, None),  # no data at all
    ],
)
def test_as_of(cur: duckdb.DuckDBPyConnection, period: str, today: date, expected: date | None) -> None:
    assert coverage.as_of(cur, parse(period), today) == expected


def test_period_in_progress_is_compared_with_the_same_days_a_year_earlier(cur: duckdb.DuckDBPyConnection) -> None:
    card = scorecard(cur, parse("2021H1"), today=TODAY)
    assert card["period"]["label"] == "2021年上半年（截至1月20日）"
    assert card["period"]["as_of"] == "2021-01-20"
    assert card["compare_period"]["label"] == "2020年上半年（截至1月20日）"
    disputes = card["metrics"]["disputes_total"]
    expected = cur.execute(
        "SELECT count(*) FROM v_disputes WHERE received_date BETWEEN '2020-01-01' AND '2020-01-20'"
    ).fetchone()
    assert expected is not None
    assert (disputes["value"], disputes["previous"]) == (4, expected[0])  # not 4 against a whole half-year
    assert disputes["previous"] < 60
    english = scorecard(cur, parse("2021H1"), lang="en", today=TODAY)
    assert english["period"]["label"] == "2021 H1 (to 20 Jan)"


def test_complete_period_figures_do_not_move(cur: duckdb.DuckDBPyConnection) -> None:
    card = scorecard(cur, parse("2020"), today=TODAY)
    assert card["period"]["as_of"] is None and card["period"]["label"] == "2020年"
    assert card["metrics"]["disputes_total"]["value"] == 560
    assert card["metrics"]["disputes_total"]["previous"] == 500


def test_annual_amounts_are_never_red_in_a_part_of_a_year_the_year_meets(cur: duckdb.DuckDBPyConnection) -> None:
    """Hours come in lumps: 30 h in March and 25 h in September meet 50 h a year, though the
    first half-year and the third quarter each fall short of a pro-rated share."""
    year = scorecard(cur, parse("2020"), today=TODAY)["metrics"]
    assert year["study_hours_compliance_rate"]["status"] == "met"
    yearly = [m.id for m in METRICS if m.judged_yearly]
    assert "study_hours_compliance_rate" in yearly and "study_meetings" in yearly
    for pid in ("2020H1", "2020H2", "2020Q1", "2020Q2", "2020Q3", "2020Q4"):
        part = scorecard(cur, parse(pid), today=TODAY)["metrics"]
        for metric_id in yearly:
            assert part[metric_id]["status"] is None, (pid, metric_id)
        # the figure and the pro-rated target are still there to read
        assert part["study_hours_compliance_rate"]["value"] is not None
    # a rate with a target is still judged in a half-year
    assert scorecard(cur, parse("2020H1"), today=TODAY)["metrics"]["mediation_success_rate"]["status"] == "met"


def test_mediation_breakdowns_of_a_period_in_progress_compare_the_same_days(cur: duckdb.DuckDBPyConnection) -> None:
    from analytics.queries import mediation

    until = coverage.as_of(cur, parse("2021H1"), TODAY)
    categories = mediation.categories(cur, parse("2021H1"), None, until)
    same_days = dict(
        cur.execute(
            "SELECT category, count(*) FROM v_disputes WHERE received_date BETWEEN '2020-01-01' AND '2020-01-20' GROUP BY 1"
        ).fetchall()
    )
    assert {r["category"]: r["previous"] for r in categories.to_dict("records")} == same_days
    assert categories.set_index("category").loc["邻里", "current"] == 4
    whole = mediation.categories(cur, parse("2021H1"), None)
    assert whole["previous"].sum() > categories["previous"].sum()  # the whole half-year is not the comparison
    months = mediation.monthly(cur, parse("2021H1"), None, until)
    assert months["previous"].tolist()[1:] == [0, 0, 0, 0, 0]  # February on: not yet reached this year


def test_targets_reached_by_the_period_end_are_not_judged_while_it_runs(cur: duckdb.DuckDBPyConnection) -> None:
    running = scorecard(cur, parse("2020"), today=date(2020, 3, 15))["metrics"]
    finished = scorecard(cur, parse("2020"), today=TODAY)["metrics"]
    for metric in METRICS:
        if metric.accumulates or metric.judged_yearly:
            assert running[metric.id]["status"] is None, metric.id
    assert finished["training_rate"]["status"] == "met"
    assert running["mediation_success_rate"]["status"] == "met"  # a rate of decided cases is judged as it stands


def test_the_report_of_a_period_whose_data_stop_early_says_so(cur: duckdb.DuckDBPyConnection) -> None:
    """The pages said 2021年上半年（截至1月20日）; the report wrote its figures as the whole half-year's."""
    from analytics.report.pack import build_pack

    text = build_pack(cur, parse("2021H1")).text
    sentences = [p for section in text.sections for p in section.paragraphs if "矛盾纠纷" in p]
    assert sentences and all("2021年上半年（截至1月20日）" in p for p in sentences if "2021年上半年" in p), sentences
    assert "2020年上半年（截至1月20日）" in text.subtitle
