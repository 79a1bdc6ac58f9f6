"""The sample's FIGURES, in full, are what the scorecard computes from the bundled sample ledgers.

The warehouse is data/sample/*.xlsx loaded through the real ETL (the ``sample_db`` fixture); for every
period FIGURES covers, every figure it gives is read back from ``analytics.semantic.scorecard.scorecard`` through
the one table below, which names the metric and the field of its scorecard entry that should hold it.
A figure the table does not map fails the test, so nothing in FIGURES goes unchecked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from analytics.db import reader
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from sample import FIGURES, SUMMARY_YEARS, TOWN

ROOT = Path(__file__).resolve().parents[2]

Entry = dict[str, Any]


def _value(entry: Entry) -> Any:
    return entry["value"]


def _numerator(entry: Entry) -> Any:
    return entry["numerator"]


def _denominator(entry: Entry) -> Any:
    return entry["denominator"]


def _not_successful(entry: Entry) -> Any:
    """Failed cases: the mediation rate counts success over success + failed (pending left out)."""
    if entry["numerator"] is None or entry["denominator"] is None:
        return None
    return entry["denominator"] - entry["numerator"]


# FIGURES key -> every (metric id, reading of its scorecard entry) that must equal it.
FIGURE_METRICS: dict[str, tuple[tuple[str, Callable[[Entry], Any]], ...]] = {
    "disputes_total": (("disputes_total", _value),),
    "disputes_written": (("disputes_written", _value),),
    "disputes_oral": (("disputes_oral", _value),),
    "disputes_joint": (("disputes_joint", _value),),
    "disputes_success": (("mediation_success_rate", _numerator),),
    "disputes_failed": (("mediation_success_rate", _not_successful),),
    "disputes_pending": (("disputes_pending", _value),),
    "disputes_escalated": (("disputes_escalated", _value),),
    "disputes_referred": (("disputes_referred", _value),),
    "documents_issued": (
        ("documents_issued", _value),
        ("document_review_rate", _denominator),
        ("document_publication_rate", _denominator),
        ("document_filing_rate", _denominator),
        ("document_timely_filing_rate", _denominator),
    ),
    "documents_reviewed": (("document_review_rate", _numerator),),
    "documents_published": (("document_publication_rate", _numerator),),
    "documents_filed": (("document_filing_rate", _numerator),),
    "documents_filed_timely": (("document_timely_filing_rate", _numerator),),
    "enforcement_staff": (
        ("enforcement_staff", _value),
        ("training_rate", _denominator),
        ("study_hours_avg", _denominator),
        ("study_hours_compliance_rate", _denominator),
        ("certification_rate", _denominator),
    ),
    "staff_trained": (("training_rate", _numerator),),
    "staff_hours_compliant": (("study_hours_compliance_rate", _numerator),),
    "staff_certified": (("certification_rate", _numerator),),
    "study_meetings": (("study_meetings", _value),),
    "mediator_trainings": (("mediator_trainings", _value),),
}

PAIRS = [(pid, key) for pid, figures in FIGURES.items() for key in figures]


def test_every_figure_has_its_metric() -> None:
    unmapped = sorted({key for _, key in PAIRS} - set(FIGURE_METRICS))
    assert unmapped == [], "FIGURES keys with no metric in FIGURE_METRICS"
    unused = sorted(set(FIGURE_METRICS) - {key for _, key in PAIRS})
    assert unused == [], "FIGURE_METRICS rows for keys FIGURES no longer has"


def test_figures_cover_every_period_the_sample_has() -> None:
    years = [*SUMMARY_YEARS, *range(2018, 2026)]
    halves = [f"{y}H{h}" for y in range(2018, 2026) for h in (1, 2)]
    assert sorted(FIGURES) == sorted([*map(str, years), *halves])
    assert len(PAIRS) == 436


@pytest.fixture(scope="module")
def cards(sample_db: Path) -> dict[str, dict[str, Entry]]:
    con = reader(sample_db).cursor()
    return {pid: scorecard(con, periods.parse(pid), TOWN)["metrics"] for pid in FIGURES}


@pytest.mark.parametrize("pid", list(FIGURES))
def test_scorecard_reproduces_figures(cards: dict[str, dict[str, Entry]], pid: str) -> None:
    card = cards[pid]
    expected: dict[str, Any] = {}
    got: dict[str, Any] = {}
    for key, value in FIGURES[pid].items():
        for metric_id, read in FIGURE_METRICS[key]:
            expected[f"{key} → {metric_id}"] = (value, "summary" if int(pid[:4]) in SUMMARY_YEARS else "ledger")
            got[f"{key} → {metric_id}"] = (read(card[metric_id]), card[metric_id]["source"])
    assert got == expected


# The seed report (DOMAIN.md §1), through the command line: 2020 against 2019.


@pytest.fixture(scope="module")
def card_2020(sample_db: Path) -> dict[str, Entry]:
    command = ["-m", "analytics", "--db", str(sample_db), "scorecard", "--period", "2020", "--town", TOWN, "--json"]
    out = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["metrics"]


def test_2020_mediation_rate_is_98_6_up_2_6_points(card_2020: dict[str, Entry]) -> None:
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
def test_2020_compliance_rates_are_100_percent(card_2020: dict[str, Entry], metric: str) -> None:
    assert card_2020[metric]["value"] == 1.0


def test_sample_years_have_missed_targets_to_show(cards: dict[str, dict[str, Entry]]) -> None:
    def missed(metric_id: str) -> list[str]:
        return [pid for pid, card in cards.items() if card[metric_id]["status"] == "missed" and "H" not in pid]

    assert missed("mediation_success_rate") == ["2016", "2022"]
    assert missed("disputes_escalated") == ["2024"]
    assert "2023" in missed("document_timely_filing_rate")
    assert "2025" in missed("certification_rate")
