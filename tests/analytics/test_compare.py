import pytest

from analytics.semantic import compare
from analytics.semantic.catalogue import get


@pytest.mark.parametrize(
    ("metric", "value", "previous", "absolute", "percent", "points"),
    [
        ("mediation_success_rate", 552 / 560, 0.96, 552 / 560 - 0.96, None, (552 / 560 - 0.96) * 100),
        ("mediation_success_rate", 0.94, 0.96, -0.02, None, -2.0),
        ("disputes_total", 560, 500, 60, 0.12, None),
        ("disputes_total", 450, 500, -50, -0.1, None),
        ("disputes_total", 5, 0, 5, None, None),  # no base: no percent, never infinity
        ("disputes_total", None, 500, None, None, None),
        ("disputes_total", 500, None, None, None, None),
    ],
)
def test_change_sign_and_units(metric, value, previous, absolute, percent, points) -> None:
    result = compare.change(get(metric), value, previous)
    assert result.absolute == pytest.approx(absolute)
    assert result.percent == pytest.approx(percent)
    assert result.points == pytest.approx(points)


def test_change_of_the_source_report_is_plus_2_6_points() -> None:
    assert round(compare.change(get("mediation_success_rate"), 552 / 560, 0.96).points, 1) == 2.6


@pytest.mark.parametrize(
    ("metric", "value", "target", "status"),
    [
        ("mediation_success_rate", 0.986, 0.95, "met"),
        ("mediation_success_rate", 0.95, 0.95, "met"),
        ("mediation_success_rate", 0.9499, 0.95, "missed"),
        ("mediation_success_rate", None, 0.95, "no_data"),
        ("disputes_escalated", 0, 0, "met"),
        ("disputes_escalated", 1, 0, "missed"),
        ("disputes_total", 560, None, None),
    ],
)
def test_status(metric, value, target, status) -> None:
    assert compare.status(get(metric), value, target) == status


@pytest.mark.parametrize(("fraction", "expected"), [(1.0, 2), (0.5, 1), (0.25, None)])
def test_session_targets_prorate_but_never_below_one_session(fraction, expected) -> None:
    assert get("study_meetings").target(fraction) == expected
