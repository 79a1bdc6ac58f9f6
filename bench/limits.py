"""Limits (issue 13): what the SQL box's child process costs, and what each attack takes now.

    python -m bench.limits          (also ``python -m bench --only limits``)

Each attack runs in a fresh interpreter, capped at ``SAFETY_AS`` of address space (so a limit that
fails can't take the machine), and reports its wall time, the interpreter's own peak RSS (VmHWM)
and the SQL child's (``RUSAGE_CHILDREN``). Before the child process, ``SELECT len(range(100000000))``
ran 31 s against the 10 s limit and took 7.1 GB in the server (issue 13, no cap). The upload side
reads a zip bomb (≈ 300 MB of sheet XML in a ≈ 8 MB .xlsx, ratio ≈ 40) and times the scan of
``etl.unpacked`` on the 100,000-row workbook of ``bench.etl``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAFETY_AS = 4 * 1024**3
ATTACKS = (
    "SELECT len(range(100000000))",
    "SELECT count(*) FROM range(10000000000) WHERE range % 7 = 3",
    "SELECT length(repeat('x', 2000000000))",
    "SELECT length(string_agg(repeat('x', 1000), ',')) FROM range(10000000)",
    "SELECT count(*) FROM range(1000000000) a, range(1000000000) b",
    "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b",
)
SQL_PROBE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import pandas
from analytics.adhoc import sqlguard
started = time.monotonic()
try:
    sqlguard.run(sys.argv[3], sys.argv[2])
    outcome = "rows"
except sqlguard.SqlError as exc:
    outcome = str(exc)
seconds = time.monotonic() - started
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "outcome": outcome, "parent_mb": hwm / 1024, "child_mb": child / 1024}))
"""
READ_PROBE = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from etl.errors import FileError
from etl.readers import read_sheets
started = time.monotonic()
try:
    read_sheets(sys.argv[2])
    outcome = "read"
except FileError as exc:
    outcome = str(exc)
seconds = time.monotonic() - started
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"seconds": seconds, "outcome": outcome, "parent_mb": hwm / 1024, "child_mb": 0}))
"""


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SAFETY_AS, SAFETY_AS))


def probe(code: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_cap,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def startup(database: Path, repeat: int = 5) -> tuple[float, float]:
    """Best wall time of ``SELECT 1`` through the guard (a child per query) and on a connection in-process."""
    sys.path.insert(0, str(ROOT))
    from analytics.adhoc import sqlguard

    guarded, direct = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        sqlguard.run("SELECT 1", database)
        guarded.append(time.perf_counter() - started)
        started = time.perf_counter()
        con = sqlguard.connect(database)
        con.sql("SELECT 1").df()
        con.close()
        direct.append(time.perf_counter() - started)
    return min(guarded), min(direct)


def bomb(path: Path, megabytes: int = 300) -> Path:
    """A dispute ledger whose sheet XML is ``megabytes`` of rows, streamed through zipfile."""
    sys.path.insert(0, str(ROOT))
    from tests.etl.test_upload_limits import ledger_rows, streamed_xlsx

    return streamed_xlsx(path, ledger_rows(megabytes * 1024 * 1024 // 150))


def scan_seconds(workbook: Path, repeat: int = 3) -> float:
    from analytics import settings
    from etl import unpacked

    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with zipfile.ZipFile(workbook) as archive:
            unpacked.check(
                archive, workbook.name, settings.upload_max_uncompressed_bytes(), settings.limit("sheet_max_rows")
            )
        best = min(best, time.perf_counter() - started)
    return best


def _row(measurement: str, value: float, unit: str, **extra: object) -> dict[str, object]:
    return {"section": "Limits", "measurement": measurement, "value": value, "unit": unit, **extra}


def run(log=print) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT))
    from tests import fixture_db

    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as tmp:
        database = fixture_db.build(Path(tmp) / "fixture.duckdb")
        guarded, direct = startup(database)
        log(f"  SELECT 1: {guarded * 1000:.0f} ms guarded (child process), {direct * 1000:.0f} ms in-process")
        rows.append(_row("SQL box: SELECT 1 through the child process", guarded, "s", baseline=direct))
        for sql in ATTACKS:
            got = probe(SQL_PROBE, str(database), sql)
            log(f"  {sql}: {got['seconds']:.1f} s, parent {got['parent_mb']:.0f} MB, child {got['child_mb']:.0f} MB, "
                f"{got['outcome']}")  # fmt: skip
            rows.append(_row(f"SQL attack wall: {sql}", got["seconds"], "s", target_abs=15.0, op="<="))
            rows.append(_row(f"SQL attack child peak RSS: {sql}", got["child_mb"], "MB", target_abs=3072.0, op="<="))
            rows.append(_row(f"SQL attack parent peak RSS: {sql}", got["parent_mb"], "MB", target_abs=400.0, op="<="))
        path = bomb(Path(tmp) / "bomb.xlsx")
        got = probe(READ_PROBE, str(path))
        log(f"  zip bomb ({path.stat().st_size / 1e6:.1f} MB file): {got['seconds']:.2f} s, peak {got['parent_mb']:.0f} MB, "
            f"{got['outcome']}")  # fmt: skip
        rows.append(_row("upload: 300 MB-XML zip bomb refused, wall", got["seconds"], "s", target_abs=5.0, op="<="))
        rows.append(_row("upload: zip bomb refused, peak RSS", got["parent_mb"], "MB", target_abs=300.0, op="<="))
        from tests.etl.test_upload_limits import SHEET_PART, _lie_about_size

        _lie_about_size(path, SHEET_PART, 1000)  # the directory now claims 1 KB: only the inflated bytes tell
        got = probe(READ_PROBE, str(path))
        log(f"  the same bomb, its directory lying: {got['seconds']:.2f} s, peak {got['parent_mb']:.0f} MB, "
            f"{got['outcome']}")  # fmt: skip
        rows.append(
            _row("upload: bomb with a lying directory refused, wall", got["seconds"], "s", target_abs=5.0, op="<=")
        )
        rows.append(
            _row("upload: bomb with a lying directory, peak RSS", got["parent_mb"], "MB", target_abs=300.0, op="<=")
        )
    from bench.etl import workbook

    ledger = workbook()
    seconds = scan_seconds(ledger)
    log(f"  upload scan of the 100,000-row workbook ({ledger.stat().st_size / 1e6:.1f} MB): {seconds:.2f} s")
    rows.append(_row("upload scan (etl.unpacked) of the 100,000-row workbook", seconds, "s"))
    return rows


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run()))
