"""The bundled sample data, loaded through the real ETL, reproduces the source report (DOMAIN.md §1)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def card_2020(sample_db: Path) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "--db",
            str(sample_db),
            "scorecard",
            "--period",
            "2020",
            "--town",
            "珠龙镇",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)["metrics"]


def test_2020_disputes_match_the_report(card_2020: dict) -> None:
    got = {
        k: card_2020[k]["value"]
        for k in ("disputes_total", "disputes_written", "disputes_oral", "disputes_joint", "disputes_escalated")
    }
    assert got == {
        "disputes_total": 560,
        "disputes_written": 156,
        "disputes_oral": 404,
        "disputes_joint": 3,
        "disputes_escalated": 0,
    }


def test_2020_mediation_rate_is_98_6_up_2_6_points(card_2020: dict) -> None:
    rate = card_2020["mediation_success_rate"]
    assert (rate["numerator"], rate["denominator"]) == (552, 560)
    assert rate["previous"] == pytest.approx(0.96)
    assert round(rate["change_pp"], 1) == 2.6


@pytest.mark.parametrize(
    "metric",
    [
        "document_review_rate",
        "document_publication_rate",
        "document_filing_rate",
        "training_rate",
        "study_hours_compliance_rate",
    ],
)
def test_2020_compliance_rates_are_100_percent(card_2020: dict, metric: str) -> None:
    assert card_2020[metric]["value"] == 1.0


def test_sample_years_have_missed_targets_to_show(sample_db: Path) -> None:
    from analytics.db import reader
    from analytics.metrics import compute
    from analytics.periods import Period

    years = [Period(y, "year", 1) for y in range(2016, 2026)]
    values = compute(reader(sample_db).cursor(), years)
    assert values["2016"]["disputes_total"].source == "summary"
    assert values["2018"]["disputes_total"].source == "ledger"  # the ledger wins over the 2018 summary row
    assert values["2022"]["mediation_success_rate"].value < 0.95
    assert values["2024"]["disputes_escalated"].value >= 1
