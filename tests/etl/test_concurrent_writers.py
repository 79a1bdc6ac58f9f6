"""Many towns loading into one warehouse file at the same moment, each a real ``python -m etl load``
process, as happens the week before a reporting deadline: none fails, none is lost, and every
town's rows and aggregates are there afterwards (writers take turns on the warehouse's lock)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from analytics import db
from tests.etl.workbooks import disputes_bytes

ROOT = Path(__file__).resolve().parents[2]
TOWNS = [f"测试{n}镇" for n in "一二三四五六七八"]
ROWS = 40


def test_eight_towns_loading_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    env = {**os.environ, "DASHBOARD_DB": str(path)}
    ledgers = []
    for i, town in enumerate(TOWNS):
        ledger = tmp_path / f"{town}2020年台账.xlsx"
        ledger.write_bytes(disputes_bytes(ROWS, town=town, start=i * 1000))
        ledgers.append(ledger)
    loads = [
        subprocess.Popen(
            [sys.executable, "-m", "etl", "load", str(ledger)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for ledger in ledgers
    ]  # fmt: skip
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in loads]
    assert [code for code, _ in results] == [0] * len(TOWNS), results
    cur = db.reader(path).cursor()
    try:
        loaded = cur.execute("SELECT count(*), count(DISTINCT load_id) FROM loads WHERE status = 'active'").fetchone()
        per_town = dict(cur.execute("SELECT town, count(*) FROM v_disputes GROUP BY town").fetchall())
        aggregated = dict(cur.execute("SELECT town, sum(total) FROM agg_disputes_month GROUP BY town").fetchall())
    finally:
        cur.close()
    assert loaded == (len(TOWNS), len(TOWNS))  # one load each, no id given twice
    assert per_town == dict.fromkeys(TOWNS, ROWS)
    assert aggregated == per_town  # the maintained aggregates saw every load
