"""Viewers at once through nginx: one replica against two, page time p50 and p95 (issue 16, part 3).

    python -m bench.replicas [--viewers 1,4,8] [--rounds 3]

Two stacks run side by side on the town warehouse (``bench/scale.py``): nginx in front of one replica and nginx in
front of two, both rendered from ``deploy/nginx.conf.template`` (TLS, cookie affinity) and run as in the tests
(``deploy/local.py``). A round starts N viewers at the same moment; each is a fresh browser context (a new cookie,
so nginx hashes it onto a replica, and a new Streamlit session) timed like ``bench/pages.py``: from navigation to
the overview rendered (script done, no skeleton, its KPI tiles drawn). Rounds alternate between the stacks and
the viewer counts, so a neighbour's load on the shared machine weighs on both alike. Every replica loads the page
once before timing (straight, not through nginx), so its ``st.cache_data`` is warm, as in a meeting after the
first viewer.

The viewers' Chromium runs on the same machine as the servers (2 cores here), so N viewers' rendering competes
with the replicas for the CPU: the figures are an upper bound on what the servers alone would take.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.pages import CHROMIUM, CHROMIUM_ARGS, CONTENT, ROOT, VIEWPORT, _free_port, serve
from deploy import local, render

OVERVIEW = "/?kind=year&period=2025"
P95_TARGET = 3.0  # issue 16: p95 with many viewers within 3x of one viewer


@contextlib.contextmanager
def stack(db: Path, replicas: int) -> Iterator[tuple[str, list[str]]]:
    """nginx (TLS) in front of ``replicas`` Streamlit processes on ``db``; yields its https URL and the replicas'."""
    with contextlib.ExitStack() as stack_:
        direct = [stack_.enter_context(serve(ROOT / "dashboard.py", db))[0] for _ in range(replicas)]
        ports = tuple(int(url.rsplit(":", 1)[1]) for url in direct)
        run_dir = Path(stack_.enter_context(tempfile.TemporaryDirectory(prefix="bench-nginx-")))
        subprocess.run([str(ROOT / "deploy" / "selfsigned.sh"), str(run_dir / "tls")], check=True, capture_output=True)
        site = render.Site(
            ports=ports,
            run_dir=run_dir,
            listen=f"127.0.0.1:{_free_port()}",
            cert=run_dir / "tls" / "selfsigned.crt",
            key=run_dir / "tls" / "selfsigned.key",
        )
        stack_.enter_context(local.nginx(site))
        yield f"https://{site.listen}", direct


async def _load(browser: Any, url: str, timeout: float = 180_000) -> float:
    """Seconds from navigation to the overview rendered, in a fresh context (a new session)."""
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN", ignore_https_errors=True)
    try:
        page = await context.new_page()
        started = time.perf_counter()
        await page.goto(url + OVERVIEW, timeout=timeout, wait_until="commit")
        running = "[data-testid='stApp'][data-test-script-state='notRunning']"
        await page.wait_for_selector(running, timeout=timeout)
        await page.wait_for_function(
            "() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0", timeout=timeout
        )
        await page.wait_for_selector(CONTENT["overview"], timeout=timeout)
        await page.wait_for_selector(running, timeout=timeout)
        return time.perf_counter() - started
    finally:
        await context.close()


async def _round(browser: Any, url: str, viewers: int) -> list[float]:
    return list(await asyncio.gather(*(_load(browser, url) for _ in range(viewers))))


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[index]


async def _measure(
    urls: dict[int, str], direct: list[str], viewers: list[int], rounds: int, log: Any
) -> dict[tuple[int, int], list[float]]:
    from playwright.async_api import async_playwright

    times: dict[tuple[int, int], list[float]] = {(r, n): [] for r in urls for n in viewers}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for url in direct:  # warm every replica's caches, straight to it
                await _load(browser, url)
            for round_ in range(rounds):
                for n in viewers:
                    for replicas, url in urls.items():
                        loads = await _round(browser, url, n)
                        times[(replicas, n)] += loads
                        log(
                            f"  round {round_ + 1}: {replicas} replica(s), {n} viewer(s): "
                            f"{', '.join(f'{x:.2f}' for x in sorted(loads))} s"
                        )
        finally:
            await browser.close()
    return times


def measure(db: Path, viewers: list[int], rounds: int, log: Any = None) -> list[dict[str, object]]:
    """Rows for the results table: p50 and p95 page time per (replicas, viewers), against one viewer."""
    log = log or functools.partial(print, flush=True)
    with stack(db, 1) as (one, direct_one), stack(db, 2) as (two, direct_two):
        times = asyncio.run(_measure({1: one, 2: two}, direct_one + direct_two, viewers, rounds, log))
    rows: list[dict[str, object]] = []
    for replicas in (1, 2):
        single = statistics.median(times[(replicas, min(viewers))])
        for n in viewers:
            loads = times[(replicas, n)]
            p50, p95 = statistics.median(loads), _percentile(loads, 95)
            name = f"{replicas} replica{'s' if replicas > 1 else ''} · {n} viewer{'s' if n > 1 else ''}"
            rows.append({"section": "Replicas", "measurement": f"{name} · p50", "value": p50, "unit": "s"})
            row: dict[str, object] = {"section": "Replicas", "measurement": f"{name} · p95", "value": p95, "unit": "s"}
            if n != min(viewers):
                row.update(baseline=single, target=P95_TARGET, op="<=")
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", default="1,4,8", help="viewers at once, comma-separated (default 1,4,8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per (stack, viewers) (default 3)")
    args = parser.parse_args()
    from bench import scale

    db, _ = scale.build(scale.SCALES["town"])
    viewers = sorted({int(x) for x in args.viewers.split(",") if x})
    rows = measure(db, viewers, args.rounds)
    print(f"{'measurement':40s} {'value':>8s} {'vs 1 viewer':>12s}")
    for row in rows:
        ratio = f"{float(row['value']) / float(row['baseline']):.2f}×" if "baseline" in row else ""  # type: ignore[arg-type]
        print(f"{row['measurement']:40s} {float(row['value']):7.2f}s {ratio:>12s}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
