"""README documents every metric id and every setting (a setting nobody can find does not exist)."""

from pathlib import Path

import pytest

from analytics import settings
from analytics.semantic.catalogue import METRICS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("metric", METRICS, ids=lambda m: m.id)
def test_every_metric_is_documented(metric) -> None:
    assert f"`{metric.id}`" in README
    assert metric.label_zh in README


def test_every_target_has_a_metric() -> None:
    ids = {m.id for m in METRICS}
    assert set(settings.load()["targets"]) <= ids


def test_readme_shows_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_every_settings_section_and_top_level_key_is_documented() -> None:
    for name, value in settings.load().items():
        if isinstance(value, dict):
            assert f"[{name}]" in README, name
        else:
            assert name in README, name
