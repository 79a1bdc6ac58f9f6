"""Training queries on the fixture warehouse plus two officers with certificate problems."""

from __future__ import annotations

import duckdb
import pytest

from analytics.queries import training as q
from analytics.semantic import aggregates
from analytics.semantic.periods import parse


@pytest.fixture
def con(fixture_path):
    write = duckdb.connect(str(fixture_path))
    write.execute("""INSERT INTO staff (load_id, town, source_file, sheet, excel_row, roster_year, name, unit,
                     is_enforcement, cert_no, cert_valid_until, on_duty) VALUES
        (1, '珠龙镇', 'fixture.xlsx', '名册', 7, 2020, '赵六', '综合执法队', true, 'A003', DATE '2021-02-15', true),
        (1, '珠龙镇', 'fixture.xlsx', '名册', 8, 2020, '钱七', '自然资源所', true, 'A004', DATE '2020-10-01', true)""")
    write.execute("""INSERT INTO training (load_id, town, source_file, sheet, excel_row, session_date, topic, kind,
                     hours, name, unit, is_enforcement) VALUES
        (1, '珠龙镇', 'fixture.xlsx', '培训', 10, DATE '2020-03-10', '宪法', '依法行政专题学习会', 30, '赵六', '综合执法队', true)""")
    aggregates.refresh(write)  # rows added by SQL: rebuild what the ETL would
    write.close()
    reader = duckdb.connect(str(fixture_path), read_only=True)
    yield reader
    reader.close()


def test_officers_against_the_50_hour_line(con):
    frame = q.officers(con, parse("2020"), None).set_index("name")
    assert frame["hours"].to_dict() == {"钱七": 0, "赵六": 30, "张三": 55, "李四": 55}
    assert set(frame["target"]) == {50}
    assert frame.loc["赵六", "shortfall"] == 20 and frame.loc["赵六", "below"]
    assert not frame.loc["张三", "below"]
    assert frame.loc["钱七", "unit"] == "自然资源所" and not frame.loc["钱七", "trained"]
    below = q.below_target(con, parse("2020"), None)
    assert below["name"].tolist() == ["钱七", "赵六"]


def test_target_is_pro_rated_for_half_years_and_quarters(con):
    half = q.officers(con, parse("2020H1"), None).set_index("name")
    assert set(half["target"]) == {25}
    assert not half.loc["赵六", "below"]  # 30 hours in H1 against 25
    assert q.hours_target(parse("2020Q2")) == 12.5
    assert set(q.below_target(con, parse("2020H2"), None)["name"]) == {
        "钱七",
        "赵六",
    }  # 张三, 李四: 25 h in H2, on the line


def test_hours_distribution(con):
    frame = q.hours_distribution(con, parse("2020"), None)
    assert frame["band"].tolist() == ["0–10", "10–20", "20–30", "30–40", "40–50", "≥50"]
    assert frame["officers"].tolist() == [1, 0, 0, 1, 0, 2]


def test_certificates_expired_and_expiring(con):
    frame = q.certificates(con, parse("2020"), None).set_index("name")
    assert frame.loc["钱七", "status"] == "expired" and frame.loc["钱七", "days_left"] == -91
    assert frame.loc["赵六", "status"] == "expiring" and frame.loc["赵六", "days_left"] == 46
    assert frame.loc["张三", "status"] == "valid"
    assert list(frame.index[:2]) == ["钱七", "赵六"]
    # At the end of 2020H1 钱七's certificate was still valid, beyond the 90-day warning.
    half = q.certificates(con, parse("2020H1"), None).set_index("name")
    assert half.loc["钱七", "status"] == "valid" and half.loc["钱七", "days_left"] == 93


def test_trend_and_sessions_against_targets(con):
    trend = q.trend(con, parse("2020"), None).set_index("metric_id")
    assert trend.loc["enforcement_staff", "value"] == 4
    assert trend.loc["training_rate", "value"] == pytest.approx(0.75)
    assert trend.loc["certification_rate", "value"] == pytest.approx(0.75)
    sessions = q.sessions(con, parse("2020"), None)
    assert sessions["kind"].tolist() == ["依法行政专题学习会", "调解员培训", "依法行政专题学习会", "调解员培训"]
    assert sessions["attendees"].tolist() == [3, 1, 2, 1]
    targets = q.session_targets(con, parse("2020H2"), None).set_index("metric_id")
    assert targets.loc["study_meetings", "target"] == 1 and targets.loc["study_meetings", "met"] is True
    # A quarter of "2 a year" is below one session: the catalogue sets no target, so no verdict.
    quarter = q.session_targets(con, parse("2020Q4"), None).set_index("metric_id")
    assert quarter.loc["study_meetings", "value"] == 0 and quarter.loc["study_meetings", "target"] is None
    assert quarter.loc["study_meetings", "met"] is None


@pytest.mark.parametrize("period_id", ["2020", "2020H1", "2020Q4", "2019"])
def test_session_count_is_the_number_of_listed_sessions(con, period_id):
    period = parse(period_id)
    assert q.session_count(con, period, None) == len(q.sessions(con, period, None))


@pytest.mark.parametrize("period_id", ["2020", "2020H1", "2020Q4"])
def test_officer_counts_agree_with_the_officer_rows(con, period_id):
    period = parse(period_id)
    counts = q.officer_counts(con, period, None)
    rows = q.officers(con, period, None)
    assert counts["staff"] == len(rows) > 0
    assert counts["below"] == int(rows["below"].sum())
    assert counts["hours_avg"] == pytest.approx(rows["hours"].mean())
    assert counts["bands"]["officers"].sum() == len(rows)
    statuses = q.certificates(con, period, None)["status"].value_counts().to_dict()
    assert {s: n for s, n in counts["certificates"].items() if n} == statuses
