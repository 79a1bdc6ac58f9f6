"""Timing of the briefing pack: ``bench_report(db_path) -> dict`` of seconds (wired into ``make bench``
elsewhere). Measures the text (scorecard, text, consistency, trend), the xlsx, the docx without
charts and the chart export (browser start included, one browser for all charts)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb

from analytics.semantic.periods import parse


def bench_report(db_path: str | Path, period_id: str = "2020", town: str | None = None) -> dict[str, Any]:
    from analytics.report import docx, xlsx
    from analytics.report.images import chart_pngs, pack_charts
    from analytics.report.pack import build_pack

    period = parse(period_id)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        started = time.perf_counter()
        pack = build_pack(con, period, town, "zh")
        text_s = time.perf_counter() - started

        started = time.perf_counter()
        xlsx.xlsx_bytes(pack, con)
        xlsx_s = time.perf_counter() - started

        started = time.perf_counter()
        docx.docx_bytes(pack)
        docx_s = time.perf_counter() - started

        started = time.perf_counter()
        charts = pack_charts(pack)
        pngs = chart_pngs(charts)
        charts_s = time.perf_counter() - started
    finally:
        con.close()
    return {
        "period": period_id,
        "text_s": round(text_s, 3),
        "xlsx_s": round(xlsx_s, 3),
        "docx_no_charts_s": round(docx_s, 3),
        "chart_export_s": round(charts_s, 3),
        "charts": len(pngs),
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(bench_report(sys.argv[1] if len(sys.argv) > 1 else "data/warehouse.duckdb"), ensure_ascii=False))
