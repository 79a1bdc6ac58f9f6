"""Metrics computed in DuckDB on the fixture warehouse (figures of DOMAIN.md §1)."""

import json
import subprocess
import sys

import pytest

from analytics.semantic.metrics import compute
from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard


def test_2020_scorecard_reproduces_the_source_report(fixture_con) -> None:
    card = scorecard(fixture_con, parse("2020"))
    m = card["metrics"]
    assert [m[k]["value"] for k in ("disputes_total", "disputes_written", "disputes_oral", "disputes_joint")] == [
        560,
        156,
        404,
        3,
    ]
    rate = m["mediation_success_rate"]
    assert (rate["numerator"], rate["denominator"]) == (552, 560)
    assert rate["value"] == pytest.approx(0.98571, abs=1e-5)
    assert rate["previous"] == pytest.approx(0.96)
    assert round(rate["change_pp"], 1) == 2.6
    assert rate["status"] == "met"
    assert m["disputes_escalated"]["value"] == 0 and m["disputes_escalated"]["status"] == "met"
    assert m["disputes_total"]["change"] == 60 and m["disputes_total"]["change_pct"] == pytest.approx(0.12)
    for key in (
        "document_review_rate",
        "document_publication_rate",
        "document_filing_rate",
        "training_rate",
        "study_hours_compliance_rate",
    ):
        assert m[key]["value"] == 1.0, key
    assert card["period"]["id"] == "2020" and card["compare_period"]["id"] == "2019"


def test_zero_denominator_is_no_data_not_zero(fixture_con) -> None:
    m = scorecard(fixture_con, parse("2019"))["metrics"]
    assert m["document_review_rate"]["value"] is None
    assert m["document_review_rate"]["status"] == "no_data"
    assert m["training_rate"]["status"] == "no_data"


def test_summary_years_are_used_and_marked(fixture_con) -> None:
    values = compute(fixture_con, [parse("2017")])["2017"]
    assert values["disputes_total"].value == 455
    assert values["disputes_total"].source == "summary"
    assert values["mediation_success_rate"].value == pytest.approx(434 / 455)
    assert values["disputes_escalated"].value is None  # a summary sheet doesn't say


def test_half_year_targets_are_prorated(fixture_con) -> None:
    h2 = scorecard(fixture_con, parse("2020H2"))["metrics"]
    assert h2["study_meetings"]["target"] == 1 and h2["study_meetings"]["value"] == 1
    assert h2["study_meetings"]["status"] is None  # an annual amount: shown pro-rated, judged by the year
    # 25 hours in the second half against a pro-rated 25-hour target
    assert h2["study_hours_compliance_rate"]["value"] == 1.0


def test_town_filter(fixture_con) -> None:
    assert compute(fixture_con, [parse("2020")], "另一镇")["2020"]["disputes_total"].value is None
    assert compute(fixture_con, [parse("2020")], "珠龙镇")["2020"]["disputes_total"].value == 560


def test_scorecard_command_prints_the_json_contract(fixture_path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(fixture_path), "scorecard", "--period", "2020", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    card = json.loads(out.stdout)
    rate = card["metrics"]["mediation_success_rate"]
    assert set(rate) >= {
        "label",
        "unit",
        "value",
        "numerator",
        "denominator",
        "previous",
        "change",
        "change_pp",
        "target",
        "status",
    }
    assert rate["label"] == "调解率" and rate["unit"] == "rate"


def test_scorecard_command_rejects_a_bad_period(fixture_path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(fixture_path), "scorecard", "--period", "2020H3"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1 and "无法识别的期间" in out.stderr and "Traceback" not in out.stderr
