"""Memory: peak RSS of the Streamlit process serving a warehouse after the overview and mediation
pages were loaded (VmHWM from /proc, children summed). The ETL process's peak is measured by
``bench.etl`` (getrusage inside the child)."""

from __future__ import annotations

from pathlib import Path

from bench import pages

TARGET_MB = 1536.0


def row(scale: str, peak_mb: float) -> dict[str, object]:
    return {
        "section": "Memory",
        "measurement": f"Streamlit server peak RSS, {scale} DB, overview + mediation",
        "value": peak_mb,
        "unit": "MB",
        "target_abs": TARGET_MB,
        "op": "<=",
    }


def run(scale: str, db: Path, log=print) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    with pages.browser() as chromium, pages.serve(pages.ROOT / "dashboard.py", db) as (url, process):
        for name in ("overview", "mediation"):
            seconds = pages.load_once(chromium, f"{url}/{'' if name == 'overview' else name}", pages.CONTENT[name])
            log(f"  {scale} {name} loaded in {seconds:.1f} s")
        peak = pages.peak_rss_mb(process.pid)
    log(f"  {scale}: dashboard server peak RSS {peak:.0f} MB")
    return [row(scale, peak)]
