"""Each measure and metric formula is written once: in ``analytics.semantic.measures`` and the catalogue.

A measure's row condition (``outcome = 'success'``) or a ratio's SQL appearing anywhere else in the
code means a second definition that can drift from the first; so does a catalogue metric without a
formula, or a formula naming a measure its dataset's query doesn't produce.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analytics.semantic import measures as semantic
from analytics.semantic.catalogue import METRICS
from analytics.semantic.measures import MEASURES, Count, Mean, Ratio

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    p
    for package in ("analytics", "etl", "pages")
    for p in (ROOT / package).rglob("*.py")
    if p != ROOT / "analytics" / "semantic" / "measures.py"
] + [ROOT / "dashboard.py"]


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().lower()


def _written_elsewhere(text: str) -> list[str]:
    wanted = _normal(text)
    return [str(p.relative_to(ROOT)) for p in SOURCES if wanted in _normal(p.read_text(encoding="utf-8"))]


CONDITIONS = sorted(
    {m.condition for measures in MEASURES.values() for m in measures.values() if m.condition and " " in m.condition}
)


@pytest.mark.parametrize("condition", CONDITIONS)
def test_a_measure_condition_is_written_once(condition: str) -> None:
    assert _written_elsewhere(condition) == []


@pytest.mark.parametrize("metric", [m for m in METRICS if isinstance(m.formula, Ratio)], ids=lambda m: m.id)
def test_a_ratio_is_written_once(metric) -> None:
    assert _written_elsewhere(metric.formula.sql()) == []
    numerator, *denominator = metric.formula.numerator, *metric.formula.denominator
    assert _written_elsewhere(f"sum({numerator}) / nullif(sum({denominator[0]})") == []


def test_every_metric_declares_a_formula_over_its_datasets_measures() -> None:
    produced = {  # what each dataset's query returns per period (analytics.semantic.metrics)
        "disputes": set(MEASURES["disputes"]) | {"reported_rate"},
        "documents": set(MEASURES["documents"])
        | {"reported_review_rate", "reported_publication_rate", "reported_filing_rate"},
        "training": set(MEASURES["officers"]) | {"hours", "study_meetings", "mediator_trainings"},
        "cases": set(MEASURES["cases"]) | {"streak"},
        "disclosures": set(MEASURES["disclosures"]),
        "legality_reviews": set(MEASURES["legality_reviews"]),
        "events": {"reports", "publicity", "supervised_quarters", "quarters", "cleanups"},
    }
    for metric in METRICS:
        formula = metric.formula
        names = {
            Count: lambda f: {f.measure},
            Ratio: lambda f: {f.numerator, *f.denominator} | ({f.reported} if f.reported else set()),
            Mean: lambda f: {f.total, f.count},
        }[type(formula)](formula)
        assert names <= produced[metric.dataset], (metric.id, names - produced[metric.dataset])


def test_the_tolerance_for_typed_rates_is_declared_once() -> None:
    assert _written_elsewhere(f"= {semantic.RATE_TOLERANCE}") == []
    assert _written_elsewhere(f"= {semantic.RATE_TOLERANCE} ") == []
