"""Many towns loading at once into one warehouse file (issue 16's first question, file mode).

``python -m bench --only writers`` starts N ``python -m etl load`` processes at the same moment,
each with its own town's 2,000-row ledger, against (a) an empty warehouse and (b) a copy of the
county bench warehouse (20 towns, 200,000 disputes), and counts what arrived. Writers take turns on
the warehouse's lock and each copies the whole file before it writes (``analytics.db.writing``),
so the wall time grows with N and with the file: this is the cost a county's deadline week pays in
file mode, and the baseline a lake would be measured against. Lost loads must be 0.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = 2_000


def _ledgers(folder: Path, towns: int) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from tests.etl.workbooks import disputes_bytes

    paths = []
    for i in range(towns):
        path = folder / f"写入{i:02d}镇2020年台账.xlsx"
        path.write_bytes(disputes_bytes(ROWS, town=f"写入{i:02d}镇", start=i * 10_000))
        paths.append(path)
    return paths


def _count(database: Path) -> tuple[int, int]:
    from analytics import db

    cur = db.reader(database).cursor()
    try:
        loads = cur.execute("SELECT count(*) FROM loads WHERE status = 'active'").fetchone()
        rows = cur.execute("SELECT count(*) FROM v_disputes").fetchone()
    finally:
        cur.close()
    return int(loads[0]), int(rows[0])  # type: ignore[index]


def at_once(database: Path, ledgers: list[Path]) -> dict[str, float]:
    """Start one load per ledger at the same moment; wall time, failures and what was lost."""
    before = _count(database) if database.exists() else (0, 0)
    env = {**os.environ, "DASHBOARD_DB": str(database), "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    processes = [
        subprocess.Popen([sys.executable, "-m", "etl", "load", str(p)], cwd=ROOT, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for p in ledgers
    ]  # fmt: skip
    failed = sum(p.wait() != 0 for p in processes)
    wall = time.perf_counter() - started
    loads, rows = _count(database)
    lost_loads = len(ledgers) - (loads - before[0])
    lost_rows = len(ledgers) * ROWS - (rows - before[1])
    return {"wall": wall, "failed": failed, "lost_loads": lost_loads, "lost_rows": lost_rows}


def _row(measurement: str, value: float, unit: str, **extra: object) -> dict[str, object]:
    return {"section": "Writers", "measurement": measurement, "value": value, "unit": unit, **extra}


def run(quick: bool = False, log=print) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    from bench.scale import SCALES, build

    towns = 20 if quick else 50
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="bench-writers-") as tmp:
        folder = Path(tmp)
        ledgers = _ledgers(folder, towns)
        one = at_once(folder / "single.duckdb", ledgers[:1])
        log(f"  one town alone: {one['wall']:.2f} s")
        county = folder / "county.duckdb"
        shutil.copyfile(build(SCALES["county"])[0], county)
        for name, database in (("empty warehouse", folder / "empty.duckdb"), ("county warehouse", county)):
            size = database.stat().st_size / 1e6 if database.exists() else 0.0
            got = at_once(database, ledgers)
            log(f"  {towns} towns at once, {name} ({size:.0f} MB before): {got['wall']:.1f} s, "
                f"{got['failed']:.0f} failed, {got['lost_loads']:.0f} loads and {got['lost_rows']:.0f} rows lost")  # fmt: skip
            rows.append(_row(f"{towns} towns loading at once, {name}: wall", got["wall"], "s", baseline=one["wall"]))
            rows.append(_row(f"{towns} towns at once, {name}: loads lost", got["lost_loads"], "", target_abs=0.0,
                             op="<="))  # fmt: skip
            rows.append(
                _row(f"{towns} towns at once, {name}: rows lost", got["lost_rows"], "", target_abs=0.0, op="<=")
            )
            rows.append(
                _row(f"{towns} towns at once, {name}: loads failed", got["failed"], "", target_abs=0.0, op="<=")
            )
    return rows


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run(quick="--quick" in sys.argv)))
