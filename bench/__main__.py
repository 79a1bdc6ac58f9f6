"""``make bench``: measure side by side in one run and print one table (not timed tests).

    python -m bench [--quick] [--only etl,queries,pages,memory,report,limits,writers] [--fresh]

``--quick`` skips the province scale and openpyxl and loads each page fewer times (a few
minutes); the full run takes 15-30 minutes on a 2-core machine. Generated warehouses and the
100,000-row workbook are cached in the temp dir (``--fresh`` rebuilds them).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

SECTIONS = ("etl", "queries", "pages", "memory", "report", "limits", "writers")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration):
        pass
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores (nproc), {mem}, {cpu}, Python {platform.python_version()}, load avg {load}"


def ratio_and_verdict(row: dict[str, object]) -> tuple[str, str, str]:
    """(ratio text, target text, met/missed) of a row."""
    value = float(row["value"])  # type: ignore[arg-type]
    baseline = row.get("baseline")
    ratio = value / float(baseline) if baseline else None  # type: ignore[arg-type]
    ratio_text = f"{ratio:.2f}×" if ratio is not None else ""
    op = row.get("op")
    if "target" in row and ratio is not None:
        target = float(row["target"])  # type: ignore[arg-type]
        met = ratio <= target if op == "<=" else ratio >= target
        return ratio_text, f"{op} {target:g}×", "met" if met else "MISSED"
    if "target_abs" in row:
        target = float(row["target_abs"])  # type: ignore[arg-type]
        met = value <= target if op == "<=" else value >= target
        unit = row.get("unit", "")
        shown = f"{target * 1000:g} ms" if unit == "s" and target < 1 else f"{target:g} {unit}"
        return ratio_text, f"{op} {shown}", "met" if met else "MISSED"
    return ratio_text, "", ""


def fmt_value(value: object, unit: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    if unit == "s":
        return f"{number * 1000:.0f} ms" if number < 1 else f"{number:.2f} s"
    return f"{number:.0f} {unit}"


def table(rows: list[dict[str, object]]) -> str:
    """A markdown table: measurement, value, CPU, baseline, ratio, target, met/missed."""
    lines = ["| measurement | value | CPU | baseline | ratio | target | result |", "|---|---:|---:|---:|---:|---|---|"]
    for row in rows:
        ratio, target, verdict = ratio_and_verdict(row)
        unit = row.get("unit", "")
        baseline = fmt_value(row["baseline"], unit) if row.get("baseline") else ""
        cpu = fmt_value(row["cpu"], "s") if row.get("cpu") is not None else ""
        verdict = f"**{verdict}**" if verdict == "MISSED" else verdict
        lines.append(
            f"| {row['section']}: {row['measurement']} | {fmt_value(row['value'], unit)} | {cpu} | "
            f"{baseline} | {ratio} | {target} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip province scale and openpyxl; fewer page loads")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated: " + ",".join(SECTIONS))
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached warehouses and workbook")
    parser.add_argument("--out", help="also write the table (markdown) to this file")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")

    from bench import scale

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    log(f"machine: {machine()}")
    rows: list[dict[str, object]] = []
    scales = ["town", "county"] if args.quick else ["town", "county", "province"]
    dbs: dict[str, Path] = {}
    if only & {"queries", "pages", "memory", "report"}:
        for name in scales:
            path, seconds = scale.build(scale.SCALES[name], fresh=args.fresh)
            dbs[name] = path
            log(
                f"warehouse {name}: {path} ({'cached' if seconds is None else f'built in {seconds:.1f} s'}), "
                f"{scale.counts(path)}"
            )

    if "etl" in only:
        log("ETL …")
        from bench import etl

        rows += etl.run(quick=args.quick, log=log)
    if "queries" in only:
        log("queries …")
        from bench import queries

        rows += queries.run(dbs, log=log)
    peaks: dict[str, float] = {}
    if "pages" in only:
        log("pages …")
        from bench import pages

        page_dbs = {k: v for k, v in dbs.items() if k in ("town", "province")}
        page_rows, peaks = pages.measure(page_dbs, loads=2 if args.quick else 3, log=log)
        rows += page_rows
    if "memory" in only:
        log("memory …")
        from bench import memory

        biggest = scales[-1]
        if biggest in peaks:
            rows.append(memory.row(biggest, peaks[biggest]))
        else:
            rows += memory.run(biggest, dbs[biggest], log=log)
    if "report" in only:
        if importlib.util.find_spec("bench.report") is None:
            log("report: bench/report.py not present, skipped")
        else:
            from bench import report  # type: ignore[attr-defined]

            target = dbs.get("town")
            figures = report.bench_report(target, "2025")
            log(f"  report: {figures}")
            for name, seconds in figures.items():
                if name.endswith("_s") and isinstance(seconds, (int, float)):
                    rows.append(
                        {
                            "section": "Report",
                            "measurement": f"{name[:-2]} (town DB, 2025)",
                            "value": float(seconds),
                            "unit": "s",
                        }
                    )

    if "limits" in only:
        log("limits …")
        from bench import limits

        rows += limits.run(log=log)
    if "writers" in only:
        log("writers …")
        from bench import writers

        rows += writers.run(quick=args.quick, log=log)

    text = table(rows)
    print(f"\nMachine: {machine()}\nTotal bench time: {time.perf_counter() - started:.0f} s\n")
    print(text)
    if args.out:
        Path(args.out).write_text(f"Machine: {machine()}\n\n{text}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
