"""Before and after: every scorecard of the sample and the county bench warehouse is the one kept
in ``tests/fixtures`` (written from the code before the redesign, see ``scorecard_oracle``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analytics.semantic.catalogue import BY_ID
from analytics.semantic.scorecard import per_town
from tests.analytics import scorecard_oracle as oracle


def _old_ids_only(expected: dict[str, Any], actual: dict[str, Any]) -> dict[str, Any]:
    """``actual`` with only the metric ids the fixture knows: metrics added since (issue 14's
    registers) are checked elsewhere; every old id must keep its value exactly."""
    return {
        key: {m: v for m, v in (cards or {}).items() if m in (expected.get(key) or {})} for key, cards in actual.items()
    }


def _yearly_status_aside(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Issue 15 changed one rule on purpose: an annual amount (``judged_yearly``: hours, meetings)
    has no status in a half-year or quarter. Those statuses are compared with the rule applied
    (``test_scorecard_periods``); every figure, target and other status must stay as it was."""
    for key, cards in expected.items():
        if key.split("|")[0].isdigit():
            continue
        for metric_id, card in (cards or {}).items():
            if BY_ID[metric_id].judged_yearly:
                card["status"] = None
                assert actual[key][metric_id]["status"] is None, (key, metric_id)


def _per_town_status_aside(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """A later change on purpose: an amount each town must reach (≥2 study meetings a year) is not judged
    on several towns' sum (``scorecard.per_town``), so the all-towns cards of a county have no status for
    it; every figure and every town's own status must stay as it was."""
    for key, cards in expected.items():
        if not key.endswith("|*"):
            continue
        for metric_id, card in (cards or {}).items():
            if per_town(BY_ID[metric_id]):
                card["status"] = None
                assert actual[key][metric_id]["status"] is None, (key, metric_id)


def _differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    found = [key for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key)]
    lines = []
    for key in sorted(found)[:5]:
        metrics = {
            m for m in (expected.get(key) or {}) if (expected.get(key) or {}).get(m) != (actual.get(key) or {}).get(m)
        }
        for metric in sorted(metrics)[:3]:
            lines.append(f"{key} {metric}: {expected[key][metric]} != {(actual.get(key) or {}).get(metric)}")
    return [f"{len(found)} scorecards differ", *lines]


def test_sample_scorecards_unchanged(tmp_path: Path) -> None:
    expected = oracle.read("sample")
    actual = _old_ids_only(expected, oracle.all_scorecards(oracle.sample_warehouse(tmp_path)))
    _yearly_status_aside(expected, actual)
    assert len(expected) == 140  # 70 periods x (all towns + 珠龙镇)
    assert actual == expected, "\n".join(_differences(expected, actual))


def test_county_scorecards_unchanged() -> None:
    pytest.importorskip("bench.scale")
    expected = oracle.read("county")
    actual = _old_ids_only(expected, oracle.all_scorecards(oracle.county_warehouse()))
    _yearly_status_aside(expected, actual)
    _per_town_status_aside(expected, actual)
    assert len(expected) == 70 * 21
    assert actual == expected, "\n".join(_differences(expected, actual))
