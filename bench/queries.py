"""Query speed at each scale: the overview scorecard and each page's queries, cold and warm.

For every scale a fresh interpreter opens the warehouse; for each period (a year and a half-year)
and each group of queries it opens a *fresh* read-only connection (a new DuckDB instance: empty
buffer cache, nothing planned yet), runs the group once (cold), then twice more (warm, best).
The OS page cache stays warm: a first open after a reboot would be slower still.

A page's group is what its script asks DuckDB on load when nothing is cached in Streamlit: the
sidebar (coverage, periods with data, default period), the scorecard, and the page's own queries.
The other groups are what a click asks: a table opened, a breakdown tab chosen.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PERIODS = ("2025", "2025H1")
TODAY = date(2026, 11, 28)
TARGET_WARM, TARGET_COLD = 0.200, 1.0


def _groups() -> dict[str, list[tuple[str, Callable[..., Any]]]]:
    from analytics.queries import documents, mediation, training
    from analytics.semantic import coverage
    from analytics.semantic.scorecard import scorecard

    def trend_frame(con: Any, period: Any, years: int, metric_ids: list[str] | None = None) -> Any:
        """What ``pages.scores.trend_frame`` asks DuckDB: compute over the same period of 6 years."""
        from analytics.semantic.metrics import compute
        from analytics.semantic.periods import Period

        periods = [Period(y, period.kind, period.index) for y in range(period.year - years + 1, period.year + 1)]
        return compute(con, periods, None, metric_ids)

    sidebar = [
        ("coverage", lambda con, p: coverage.coverage(con)),
        ("periods_with_data", lambda con, p: coverage.periods_with_data(con, p.kind, None)),
        ("default_period", lambda con, p: coverage.default_period(con, TODAY, None)),
    ]
    card = [("scorecard", lambda con, p: scorecard(con, p, None))]
    document_kpis = ["documents_issued", *documents.RATE_METRICS]  # pages/documents.py's KPI tiles
    return {
        "scorecard": card,
        "overview page": [*sidebar, *card, ("trend_frame(6y)", lambda con, p: trend_frame(con, p, 6))],
        "mediation page": [*sidebar, *card]
        + [
            (f"mediation.{name}", (lambda f: lambda con, p: f(con, p, None))(getattr(mediation, name)))
            for name in ("trend", "villages", "options", "case_count")  # the villages tab is open on load
        ],
        # The other breakdown tabs: each is queried when the user chooses it.
        "mediation tabs, chosen": [
            (f"mediation.{name}", (lambda f: lambda con, p: f(con, p, None))(getattr(mediation, name)))
            for name in ("categories", "monthly", "half_years")
        ],
        # Queried only when the user opens the flagged or the drill-down table (or picks a filter).
        "mediation tables, opened": [
            (f"mediation.{name}", (lambda f: lambda con, p: f(con, p, None))(getattr(mediation, name)))
            for name in ("flagged", "cases")
        ],
        # Queried when the officers', certificates' or sessions' table is opened (at once when short).
        "training tables, opened": [
            (f"training.{name}", (lambda f: lambda con, p: f(con, p, None))(getattr(training, name)))
            for name in ("officers", "certificates", "sessions")
        ],
        "documents page": [*sidebar, *card, ("trend_frame(6y)", lambda con, p: trend_frame(con, p, 6, document_kpis))]
        + [
            (f"documents.{name}", (lambda f: lambda con, p: f(con, p, None))(getattr(documents, name)))
            for name in ("rates_by_year", "counts")
        ],
        # Queried when the shortfall list is opened (at once when short).
        "documents table, opened": [("documents.shortfalls", lambda con, p: documents.shortfalls(con, p, None))],
        "training page": [*sidebar, *card]
        + [
            (f"training.{name}", (lambda f: lambda con, p: f(con, p, None))(getattr(training, name)))
            for name in ("trend", "officer_counts", "session_count")
        ],
    }


def _timed(steps: list[tuple[str, Callable[..., Any]]], con: Any, period: Any) -> tuple[float, dict[str, float]]:
    each: dict[str, float] = {}
    cpu = time.process_time()
    for name, step in steps:
        started = time.perf_counter()
        step(con, period)
        each[name] = time.perf_counter() - started
    each["_cpu"] = time.process_time() - cpu
    return sum(v for k, v in each.items() if k != "_cpu"), each


def measure(path: str) -> dict[str, Any]:
    """{period: {group: {"cold": s, "warm": s, "steps_cold": {...}, "steps_warm": {...}}}}."""
    import duckdb

    from analytics.semantic.periods import parse

    groups = _groups()
    out: dict[str, Any] = {}
    for period_id in PERIODS:
        period = parse(period_id)
        out[period_id] = {}
        for group, steps in groups.items():
            con = duckdb.connect(path, read_only=True)
            try:
                con.execute("SET enable_progress_bar = false")
                cold, steps_cold = _timed(steps, con, period)
                warm_runs = [_timed(steps, con, period) for _ in range(2)]
            finally:
                con.close()
            warm, steps_warm = min(warm_runs, key=lambda r: r[0])
            out[period_id][group] = {
                "cold": cold,
                "warm": warm,
                "cold_cpu": steps_cold.pop("_cpu"),
                "warm_cpu": steps_warm.pop("_cpu"),
                "steps_cold": steps_cold,
                "steps_warm": steps_warm,
            }
    return out


def run_scale(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.queries", "child", str(path)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "DASHBOARD_DB": str(path)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"query child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rows_of(scale: str, result: dict[str, Any], log=print) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    rows: list[dict[str, object]] = []
    judged = scale == "province"
    for period_id, groups in result.items():
        for group, figures in groups.items():
            for kind, target in (("cold", TARGET_COLD), ("warm", TARGET_WARM)):
                row: dict[str, object] = {
                    "section": "Queries",
                    "measurement": f"{scale} · {period_id} · {group} · {kind}",
                    "value": figures[kind],
                    "cpu": figures[f"{kind}_cpu"],
                    "unit": "s",
                }
                if judged:
                    row.update({"target_abs": target, "op": "<="})
                rows.append(row)
            slowest = sorted(figures["steps_cold"].items(), key=lambda kv: -kv[1])[:3]
            log(
                f"    {scale} {period_id} {group}: cold {figures['cold'] * 1000:.0f} ms, warm "
                f"{figures['warm'] * 1000:.0f} ms; slowest cold: "
                + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in slowest)
            )
    return rows


def run(paths: dict[str, Path], log=print) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    rows: list[dict[str, object]] = []
    for scale, path in paths.items():
        started = time.perf_counter()
        result = run_scale(path)
        log(f"  queries at {scale}: {time.perf_counter() - started:.1f} s")
        rows += rows_of(scale, result, log)
    return rows


if __name__ == "__main__":
    if sys.argv[1] == "child":
        print(json.dumps(measure(sys.argv[2])))
