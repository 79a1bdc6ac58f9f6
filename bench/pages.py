"""Page speed in headless Chromium: navigation to rendered, against a one-chart Streamlit page.

The dashboard (``dashboard.py``) and a minimal page (one plotly chart, written to a temp dir) are
served the same way in the same run: ``streamlit run`` on a free port, waited for until
``/_stcore/health`` answers "ok". Each load is a fresh browser context (a new Streamlit session),
timed from ``page.goto`` until the script has finished, no skeleton is left and the page's
content is drawn (a plotly chart; on the overview, which has no plotly chart, its KPI tiles).

The first load of a page after the server starts runs its queries (Streamlit's caches are
empty); later loads hit ``st.cache_data``. Both are reported: the median is over the later loads.
The baseline is loaded in the same rounds as the dashboard's pages (baseline, overview,
mediation, repeated), so a neighbour's load on the shared machine weighs on all of them alike.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from deploy.local import stop

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}
TODAY = "2026-11-28"

BASELINE_APP = """import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
st.markdown("#### 基准页 · baseline")
fig = go.Figure(go.Bar(x=["2021", "2022", "2023", "2024", "2025"], y=[520, 560, 548, 601, 631]))
st.plotly_chart(fig)
"""

# What "rendered" means per page: the script done, no skeleton, and the page's own content drawn.
CONTENT = {
    "baseline": ".js-plotly-plot",
    "mediation": ".js-plotly-plot",
    "overview": "[data-testid='stMetric']",
}


def _ephemeral_low() -> int:
    """The first port the kernel hands out to outgoing connections (Linux's ip_local_port_range)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _free_port() -> int:
    """A free port of 127.0.0.1 below the ephemeral range. A port the kernel picked (bind to 0) is an ephemeral one,
    and any outgoing connection of a busy machine may take it as its own before the server binds it ("Port N is
    not available"); below the range only a server that binds it by number can."""
    candidates = range(10000, _ephemeral_low()) or range(0, 1)  # 0: the kernel's pick, if there is no room
    for _ in range(200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", random.choice(candidates)))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port below the ephemeral range")


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy in {timeout}s")


@contextmanager
def serve(
    script: Path, db: Path | None = None, env_extra: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``streamlit run script`` on a free port; yields (base url, process). The pages are timed as the
    local demo (``DASHBOARD_AUTH=off``) unless ``env_extra`` says otherwise."""
    port = _free_port()
    env = {
        **os.environ,
        "DASHBOARD_AUTH": "off",
        "DASHBOARD_TODAY": TODAY,
        "FORWARDED_ALLOW_IPS": "",  # as make run/serve and deploy/start.sh: no client chooses its address
        "PYTHONPATH": str(ROOT),
        **(env_extra or {}),
    }
    if db is not None:
        env["DASHBOARD_DB"] = str(db)
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below, after the server stops)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url, process
    finally:
        stop(process)
        log.close()


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


class Load(NamedTuple):
    """One page load: wall seconds from navigation to rendered, and the renderer main thread's CPU
    seconds by then (``ThreadTime``; neighbours on a shared machine inflate the first, not the second)."""

    wall: float
    cpu: float


def load(chromium: Any, url: str, content: str, timeout: float = 180_000) -> Load:
    """Time navigation until the page is rendered, in a fresh context (a new session)."""
    context = chromium.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
        page.wait_for_function(
            "() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0", timeout=timeout
        )
        page.wait_for_selector(content, timeout=timeout)
        # The script state can read notRunning for a moment before the first run starts: re-check.
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
        wall = time.perf_counter() - started
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return Load(wall, float(metrics.get("ThreadTime", 0.0)))
    finally:
        context.close()


def load_once(chromium: Any, url: str, content: str, timeout: float = 180_000) -> float:
    """Seconds from navigation until the page is rendered, in a fresh context (a new session)."""
    return load(chromium, url, content, timeout).wall


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB."""
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def time_pages(chromium: Any, targets: dict[str, str], loads: int) -> dict[str, dict[str, Any]]:
    """{name: {"first": s, "median": s (later loads), "all": [s], "cpu": median main-thread CPU s of
    the later loads}} for {name: url}; loads interleaved across pages, so a change of load on the
    (shared) machine falls on every page alike."""
    times: dict[str, list[Load]] = {name: [] for name in targets}
    for _ in range(loads + 1):
        for name, url in targets.items():
            times[name].append(load(chromium, url, CONTENT[name]))
    return {
        p: {
            "first": t[0].wall,
            "median": statistics.median(x.wall for x in t[1:]),
            "all": [x.wall for x in t],
            "cpu": statistics.median(x.cpu for x in t[1:]),
        }
        for p, t in times.items()
    }


def measure(dbs: dict[str, Path], loads: int, log=print) -> tuple[list[dict[str, object]], dict[str, float]]:  # type: ignore[no-untyped-def]
    """Rows of the results table and the dashboard server's peak RSS per scale (MB)."""
    rows: list[dict[str, object]] = []
    peaks: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp, browser() as chromium:
        baseline_script = Path(tmp) / "baseline.py"
        baseline_script.write_text(BASELINE_APP, encoding="utf-8")
        with serve(baseline_script) as (base_url, _):
            load_once(chromium, base_url, CONTENT["baseline"])  # warm the browser and the server once
            for scale, db in dbs.items():
                target = 1.5 if scale == "town" else 2.0
                # The baseline is loaded in the same rounds as the pages (interleaved), so its
                # median and theirs share the machine's load; the ratio is taken per scale.
                with serve(ROOT / "dashboard.py", db) as (url, process):
                    result = time_pages(
                        chromium,
                        {"baseline": base_url, "overview": f"{url}/", "mediation": f"{url}/mediation"},
                        loads,
                    )
                    peaks[scale] = peak_rss_mb(process.pid)
                baseline = result.pop("baseline")
                log(
                    f"  {scale} baseline one-chart page: first {baseline['first']:.2f} s, median "
                    f"{baseline['median']:.2f} s, main-thread CPU {baseline['cpu']:.2f} s "
                    f"({', '.join(f'{x:.2f}' for x in baseline['all'])})"
                )
                rows.append(
                    {
                        "section": "Pages",
                        "measurement": f"{scale} · one-chart baseline page (median, interleaved)",
                        "value": baseline["median"],
                        "cpu": baseline["cpu"],
                        "unit": "s",
                    }
                )
                for name, figures in result.items():
                    log(
                        f"  {scale} {name}: first {figures['first']:.2f} s, median {figures['median']:.2f} s, "
                        f"main-thread CPU {figures['cpu']:.2f} s "
                        f"({', '.join(f'{x:.2f}' for x in figures['all'])})"
                    )
                    rows.append(
                        {
                            "section": "Pages",
                            "measurement": f"{scale} · {name} (median, cached)",
                            "value": figures["median"],
                            "cpu": figures["cpu"],
                            "unit": "s",
                            "baseline": baseline["median"],
                            "target": target,
                            "op": "<=",
                        }
                    )
                    rows.append(
                        {
                            "section": "Pages",
                            "measurement": f"{scale} · {name} (first load, queries run)",
                            "value": figures["first"],
                            "unit": "s",
                            "baseline": baseline["median"],
                        }
                    )
                log(f"  {scale}: dashboard server peak RSS {peaks[scale]:.0f} MB")
    return rows, peaks


def screenshot(chromium: Any, url: str, path: Path, content: str = CONTENT["mediation"]) -> None:
    """A full-height picture of a page once it is rendered (viewport 1366×4200), to look at it."""
    context = chromium.new_context(viewport={"width": 1366, "height": 4200}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=180_000)
        page.wait_for_selector(content, timeout=180_000)
        page.wait_for_timeout(3000)  # lazy charts and fonts settle
        page.screenshot(path=str(path), full_page=True)
    finally:
        context.close()


def main() -> None:
    """Town pages only, against the baseline, for iterating on a page's speed:

    python -m bench.pages [--loads 4] [--screenshot mediation.png]
    """
    import argparse

    from bench import scale

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--loads", type=int, default=4, help="cached loads per page (after the first)")
    parser.add_argument("--screenshot", type=Path, help="also save a full-height picture of the mediation page")
    args = parser.parse_args()
    db, _ = scale.build(scale.SCALES["town"])
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp, browser() as chromium:
        baseline_script = Path(tmp) / "baseline.py"
        baseline_script.write_text(BASELINE_APP, encoding="utf-8")
        with serve(baseline_script) as (base_url, _), serve(ROOT / "dashboard.py", db) as (url, _):
            load_once(chromium, base_url, CONTENT["baseline"])
            result = time_pages(
                chromium, {"baseline": base_url, "overview": f"{url}/", "mediation": f"{url}/mediation"}, args.loads
            )
            if args.screenshot:
                screenshot(chromium, f"{url}/mediation", args.screenshot)
    base = result["baseline"]["median"]
    for name, figures in result.items():
        print(
            f"{name:10s} median {figures['median']:.2f} s  ratio {figures['median'] / base:.2f}×  "
            f"main-thread CPU {figures['cpu']:.2f} s ({figures['cpu'] / result['baseline']['cpu']:.2f}×)  "
            f"({', '.join(f'{x:.2f}' for x in figures['all'])})",
            flush=True,
        )


if __name__ == "__main__":
    main()
