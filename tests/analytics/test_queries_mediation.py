"""Mediation queries on the fixture warehouse: exact figures (DOMAIN.md §1) and masking."""

from __future__ import annotations

import pytest

from analytics.queries import mask_people
from analytics.queries import mediation as q
from analytics.semantic.periods import parse


def test_trend_reproduces_the_report_and_marks_summary_years(fixture_con):
    trend = q.trend(fixture_con, parse("2020"), "珠龙镇").set_index("period_id")
    assert list(trend.index) == ["2017", "2018", "2019", "2020"]
    row = trend.loc["2020"]
    assert (row["total"], row["written"], row["oral"], row["joint"]) == (560, 156, 404, 3)
    assert (row["success"], row["decided"]) == (552, 560)
    assert round(row["success_rate"], 4) == 0.9857
    assert row["source"] == "ledger" and not row["reported"]
    assert trend.loc["2019", "success_rate"] == pytest.approx(0.96)
    assert trend.loc["2017", "total"] == 455 and trend.loc["2017", "reported"]
    assert trend.loc["2018", "total"] is None  # a gap year is no data, never 0


def test_half_year_trend_compares_like_with_like(fixture_con):
    trend = q.trend(fixture_con, parse("2020H1"), None)
    assert list(trend["period_id"]) == ["2019H1", "2020H1"]
    assert list(trend["total"]) == [248, 279]


def test_villages_ranked_with_rates(fixture_con):
    frame = q.villages(fixture_con, parse("2020"), None)
    assert frame["total"].sum() == 560
    assert list(frame["rank"]) == [1, 2, 3, 4]
    by_village = frame.set_index("village")
    assert by_village.loc["石门村", "failed"] == 4
    assert by_village.loc["石门村", "success_rate"] == pytest.approx(136 / 140)
    assert by_village.loc["桃源村", "success_rate"] == 1.0
    assert q.villages(fixture_con, parse("2018"), None).empty


def test_categories_against_last_year(fixture_con):
    frame = q.categories(fixture_con, parse("2020"), None).set_index("category")
    assert frame.loc["邻里", "current"] == 112 and frame.loc["邻里", "previous"] == 100
    assert frame.loc["邻里", "change"] == 12
    assert frame.loc["邻里", "growth"] == pytest.approx(0.12)
    assert frame.loc["邻里", "share"] == pytest.approx(0.2)
    # 2018 has no ledger rows: last year's side of 2019 is no data, not 0.
    earlier = q.categories(fixture_con, parse("2019"), None)
    assert earlier["previous"].tolist() == [None] * 5 and earlier["growth"].tolist() == [None] * 5


def test_monthly_and_half_year_seasonality(fixture_con):
    months = q.monthly(fixture_con, parse("2020H2"), None)
    assert months["month"].tolist() == [7, 8, 9, 10, 11, 12]
    assert sum(months["current"]) == 281 and sum(months["previous"]) == 252
    halves = q.half_years(fixture_con, parse("2020"), None)
    assert halves[["period_id", "total"]].values.tolist() == [
        ["2019H1", 248],
        ["2019H2", 252],
        ["2020H1", 279],
        ["2020H2", 281],
    ]


def test_drilldown_filters_and_flagged_cases(fixture_con):
    rows = q.cases(fixture_con, parse("2020"), "珠龙镇", village="石门村", category="邻里")
    assert len(rows) == 28
    assert set(rows["village"]) == {"石门村"} and set(rows["category"]) == {"邻里"}
    assert rows["parties"].iloc[0] == "王某某、李某某"
    flagged = q.flagged(fixture_con, parse("2020"), None)
    assert len(flagged) == 8 and flagged["referred"].all()
    assert q.options(fixture_con, parse("2020"), None)["village"][0] in {"新田村", "桃源村", "珠龙村", "石门村"}


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("王某某", "王某某"),
        ("王小明", "王**"),
        ("王小明、李四", "王**、李*"),
        ("欧阳小明，张三丰", "欧阳**，张**"),
        ("张XX", "张XX"),
        (None, None),
    ],
)
def test_mask_people(raw, masked):
    assert mask_people(raw) == masked


def test_real_names_are_masked_in_the_drilldown(fixture_path):
    import duckdb

    con = duckdb.connect(str(fixture_path))
    con.execute("UPDATE disputes SET parties = '王小明、李某某' WHERE excel_row = 4 AND sheet = '2020年'")
    rows = q.cases(con, parse("2020Q1"), None)
    assert rows.loc[rows["excel_row"] == 4, "parties"].item() == "王**、李某某"
    con.close()


def test_a_village_name_in_two_towns_is_two_villages(tmp_path):
    import duckdb

    from bench.scale import Scale, populate

    con = duckdb.connect(str(tmp_path / "towns.duckdb"))
    try:
        populate(con, Scale("three towns", 3, 3_000))  # every town has the same fifteen village names
        frame = q.villages(con, parse("2025"), None)
        direct = con.execute(
            "SELECT count(DISTINCT (town, village)) FROM v_disputes WHERE year(received_date) = 2025"
        ).fetchone()[0]
    finally:
        con.close()
    assert len(frame) == direct == 45 and frame["village"].nunique() == 15
    assert not frame.duplicated(["town", "village"]).any()


@pytest.mark.parametrize(
    ("village", "category"), [(None, None), ("石门村", None), (None, "邻里"), ("石门村", "邻里"), ("无此村", None)]
)
def test_case_count_is_the_number_of_drill_down_rows(fixture_con, village, category):
    period = parse("2020")
    rows = q.cases(fixture_con, period, None, village=village, category=category)
    assert q.case_count(fixture_con, period, None, village, category) == len(rows) < q.DRILL_LIMIT
