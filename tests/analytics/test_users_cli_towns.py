"""``python -m analytics users add/role --towns``: an empty value (an unset shell variable) or one naming no
town made the user a county user of every town (an outside test's finding F7); it is now refused and
nothing is written. Leaving --towns out, or writing *, still means every town."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.access import store

ROOT = Path(__file__).resolve().parents[2]


def _users(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DASHBOARD_DB": str(db)}
    command = [sys.executable, "-m", "analytics", "users", *args, *(["--password-stdin"] if args[0] == "add" else [])]
    return subprocess.run(command, cwd=ROOT, env=env, input="correct horse battery\n", capture_output=True, text=True)


@pytest.mark.parametrize("towns", ["", " , ", "，、"])
def test_a_towns_value_naming_no_town_is_refused(tmp_path: Path, towns: str) -> None:
    db = tmp_path / "w.duckdb"
    refused = _users(db, "add", "clerk", "--role", "viewer", "--towns", towns)
    assert refused.returncode == 1 and "没有写任何乡镇" in refused.stderr
    assert [u.name for u in store.users(db)] == []


def test_star_or_no_towns_is_every_town_and_a_list_is_its_towns(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert _users(db, "add", "county", "--role", "viewer", "--towns", "*").returncode == 0
    assert _users(db, "add", "clerk", "--role", "staff", "--towns", "东坪乡，珠龙镇").returncode == 0
    assert _users(db, "role", "clerk", "--role", "staff", "--towns", "").returncode == 1  # unchanged
    assert {u.name: u.towns for u in store.users(db)} == {"county": None, "clerk": ("东坪乡", "珠龙镇")}
