"""Two replicas of the dashboard behind a real nginx (deploy/), driven through nginx by urllib and Chromium.

What it proves: TLS with the self-signed certificate; the health endpoint through nginx; the dashboard renders
through nginx (so the WebSocket ``/_stcore/stream`` passes the upgrade); the affinity cookie sends every request of
a browser, reruns, its upload and its download included, to one replica, and different cookies to different
replicas; a load swapped into the shared warehouse by ``python -m etl load`` is seen by both replicas.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench.pages import VIEWPORT
from deploy import render
from tests.browser.conftest import wait_rendered
from tests.deploy.conftest import ROOT, Line, Stack, access_log
from tests.etl.workbooks import disputes_bytes

pytestmark = pytest.mark.browser


def logged(stack: Stack, cookie: str, count: int, timeout: float = 10) -> list[Line]:
    """The access log's lines of one affinity cookie, once there are ``count`` (nginx writes a request's line
    after it has sent the answer, so a client can read the log before its request is in it)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in access_log(stack) if line.affinity == cookie]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def _replica_of(stack: Stack, cookie: str) -> str:
    before = len([line for line in access_log(stack) if line.affinity == cookie])
    status, _, body = stack.get("/_stcore/health", cookie=cookie)
    assert (status, body) == (200, b"ok")
    lines = logged(stack, cookie, before + 1)
    assert len(lines) == before + 1, lines
    return lines[-1].upstream


def lines_of(stack: Stack, cookie: str, streams: int, timeout: float = 15) -> list[Line]:
    """The access log's lines of one affinity cookie, once ``streams`` WebSockets of it are logged (nginx
    logs a WebSocket when it closes, a moment after the browser's context closed)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in access_log(stack) if line.affinity == cookie]
        if sum(line.path.startswith("/_stcore/stream") for line in lines) >= streams or time.monotonic() > deadline:
            return lines
        time.sleep(0.2)


def cookies_on_each_replica(stack: Stack) -> dict[str, str]:
    """{replica: an affinity cookie nginx hashes onto it}, found by asking (the hash is nginx's)."""
    found: dict[str, str] = {}
    for i in range(64):
        found.setdefault(_replica_of(stack, f"probe{i:02d}"), f"probe{i:02d}")
        if len(found) == len(stack.replicas):
            return found
    raise AssertionError(f"64 cookies all landed on {sorted(found)}")


@pytest.fixture(scope="module")
def chromium(browser: object) -> object:
    return browser  # the session's one Playwright browser (tests/conftest.py)


def _context(chromium, stack: Stack, cookie: str | None):
    context = chromium.new_context(viewport=VIEWPORT, locale="zh-CN", ignore_https_errors=True, accept_downloads=True)
    if cookie is not None:
        context.add_cookies([{"name": render.COOKIE, "value": cookie, "url": stack.url}])
    return context


def _has_metric(page, text: str) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")].some(e => e.innerText === t)",
        arg=text,
        timeout=60_000,
    )


def _overview(page, stack: Stack, figure: str) -> None:
    page.goto(f"{stack.url}/?kind=year&period=2020")
    wait_rendered(page)
    _has_metric(page, figure)
    assert page.locator("[data-testid='stException']").count() == 0


def test_health_through_nginx_with_tls(stack: Stack) -> None:
    status, headers, body = stack.get("/_stcore/health")
    assert (status, body) == (200, b"ok")
    # a browser without the cookie gets one (HttpOnly, Secure: the site is TLS), and keeps its replica with it
    (cookie,) = [c for c in headers.get_all("Set-Cookie", []) if c.startswith(f"{render.COOKIE}=")]
    assert "HttpOnly" in cookie and "Secure" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    first = [line.upstream for line in logged(stack, value, 1)]
    assert len(first) == 1
    for _ in range(5):
        assert _replica_of(stack, value) == first[0]
    # one who has it is not given another
    again = stack.get("/_stcore/health", cookie=value)[1].get_all("Set-Cookie", [])
    assert not [c for c in again if c.startswith(f"{render.COOKIE}=")]


def test_each_browser_stays_on_its_replica_through_reruns_downloads_and_uploads(
    stack: Stack, chromium, tmp_path: Path
) -> None:
    cookies = cookies_on_each_replica(stack)
    assert set(cookies) == set(stack.replicas)
    ledger = tmp_path / "珠龙镇2020年补录台账.xlsx"
    ledger.write_bytes(disputes_bytes(7, town="珠龙镇", start=300))

    for replica, cookie in cookies.items():
        context = _context(chromium, stack, cookie)
        try:
            page = context.new_page()
            # rendered through nginx: the script ran over the WebSocket
            _overview(page, stack, "560件")
            # a rerun on the same session: the period changes the figures
            page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
            page.get_by_role("option", name="2019年").click()
            _has_metric(page, "500件")
            wait_rendered(page)
            # a download: an HTTP request for a file the session's replica holds in memory
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name="下载 CSV").first.click()
            assert download.value.path().stat().st_size > 100
            # an upload: an HTTP PUT into the session's replica, then its preview over the WebSocket
            page.goto(f"{stack.url}/data")
            wait_rendered(page)
            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(ledger))
            page.get_by_role("button", name="导入（7 行）").wait_for(timeout=60_000)
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            context.close()  # nginx logs a WebSocket when it closes
        lines = lines_of(stack, cookie, streams=2)  # the overview's and the data page's
        assert {line.upstream for line in lines} == {replica}, lines
        paths = [line.path for line in lines]
        assert sum(p.startswith("/_stcore/stream") for p in paths) == 2
        assert any(p.startswith("/media/") for p in paths), "the download went through nginx"
        assert any(p.startswith("/_stcore/upload_file/") for p in paths), "the upload went through nginx"
        assert any(line.path.startswith("/_stcore/stream") and line.status == 101 for line in lines)


def test_a_browser_without_the_cookie_gets_one_and_keeps_its_replica(stack: Stack, chromium) -> None:
    context = _context(chromium, stack, None)
    try:
        page = context.new_page()
        _overview(page, stack, "560件")
        given = [c["value"] for c in context.cookies() if c["name"] == render.COOKIE]
        assert len(given) == 1
        page.reload()
        wait_rendered(page)
        _has_metric(page, "560件")
    finally:
        context.close()
    lines = lines_of(stack, given[0], streams=2)
    assert len({line.upstream for line in lines}) == 1
    assert sum(line.path.startswith("/_stcore/stream") for line in lines) == 2


# Last in the module: it changes the shared warehouse the tests above read (560件 in 2020 becomes 567件).
def test_a_load_swapped_into_the_shared_warehouse_is_seen_by_both_replicas(
    stack: Stack, chromium, tmp_path: Path
) -> None:
    cookies = cookies_on_each_replica(stack)
    ledger = tmp_path / "珠龙镇2020年补录台账.xlsx"
    ledger.write_bytes(disputes_bytes(7, town="珠龙镇", start=300))
    # a load from the command line writes a copy of the shared warehouse and swaps it in
    env = {**os.environ, "DASHBOARD_DB": str(stack.db)}
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(ledger)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    for cookie in cookies.values():
        context = _context(chromium, stack, cookie)
        try:
            _overview(context.new_page(), stack, "567件")
        finally:
            context.close()


def _send(stack: Stack, method: str, path: str, size: int, body: bool = True) -> int:
    """The status of a request of ``size`` bytes through nginx; without ``body`` only its headers are sent (nginx
    refuses a body over its limit on the Content-Length alone)."""
    host, port = stack.url.removeprefix("https://").rsplit(":", 1)
    connection = http.client.HTTPSConnection(host, int(port), context=stack.tls(), timeout=60)
    try:
        connection.putrequest(method, path)
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(size))
        connection.endheaders(b"x" * size if body else None)
        return connection.getresponse().status
    finally:
        connection.close()


def test_metrics_and_the_agent_api_are_closed_and_only_uploads_carry_a_body(stack: Stack) -> None:
    """/_stcore/metrics tells anyone how many sessions are open (the replica itself answers it); nginx refuses it in
    every spelling. A body bigger than 1 MB is refused except on Streamlit's upload endpoint, sized to the upload
    limit there: what a session that never signed in can put into a replica's memory goes by that door only."""
    replica = stack.replicas[0]
    with urllib.request.urlopen(f"http://{replica}/_stcore/metrics", timeout=30) as direct:
        assert direct.status == 200 and b"session" in direct.read()
    for path in ("/_stcore/metrics", "//_stcore/metrics", "/_stcore/%6detrics", "/_stcore/metrics?x=1",
                 "/_stcore/./metrics", "/_stcore/agent/openapi.json", "/_stcore/agent/interact"):  # fmt: skip
        status, _, body = stack.get(path)
        assert status == 403 and b"session" not in body, (path, status)
    status, _, body = stack.get("/_stcore/metrics/")
    assert b"session" not in body, status

    two_mb = 2 * 2**20
    assert _send(stack, "POST", "/", two_mb, body=False) == 413
    assert _send(stack, "PUT", "/_stcore/stream", two_mb, body=False) == 413
    # to the upload endpoint it passes nginx, and the replica refuses it (no such session, no XSRF cookie)
    status = _send(stack, "PUT", "/_stcore/upload_file/nosession/nofile", two_mb)
    assert status not in (413, 200, 204), status
    deadline = time.monotonic() + 60  # nginx logs a request after answering it (later on a loaded machine)
    while not (upload := [line for line in access_log(stack) if line.path.startswith("/_stcore/upload_file/no")]):
        raw = (stack.run_dir / "logs" / "access.log").read_text(encoding="utf-8", errors="replace")
        assert time.monotonic() < deadline, (status, [line for line in raw.splitlines() if "upload_file" in line])
        time.sleep(0.05)
    assert upload[-1].upstream in stack.replicas, upload
    too_big = (render.body_mb() + 1) * 2**20
    assert _send(stack, "PUT", "/_stcore/upload_file/nosession/nofile", too_big, body=False) == 413
