"""``deploy/start.sh`` and ``deploy/stop.sh`` as an operator runs them: two replicas with sign-in on the shared
warehouse, the first admin made once, a self-signed certificate, nginx as a daemon; then everything stopped."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.access import store
from bench.pages import _free_port
from deploy import local
from tests.deploy.conftest import ROOT, Stack
from tests.fixture_db import build


def _two_free_ports() -> int:
    """A port p with p and p + 1 free (start.sh numbers its replicas from FIRST_PORT)."""
    for _ in range(50):
        port = _free_port()
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port
    raise RuntimeError("no two free ports in a row")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _pids(run_dir: Path) -> list[int]:
    return [int(p.read_text()) for p in [*run_dir.glob("replica-*.pid"), run_dir / "nginx.pid"] if p.exists()]


def test_start_serves_two_replicas_behind_nginx_and_stop_ends_them(tmp_path: Path) -> None:
    try:
        nginx = local.nginx_binary()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    db = build(tmp_path / "warehouse.duckdb")
    run_dir = tmp_path / "run"
    first, listen = _two_free_ports(), _free_port()
    env = {
        **os.environ,
        "PY": sys.executable,
        "NGINX_BIN": nginx,
        "DASHBOARD_DB": str(db),
        "RUN_DIR": str(run_dir),
        "FIRST_PORT": str(first),
        "LISTEN": f"127.0.0.1:{listen}",
        "DASHBOARD_AUTH": "on",
    }

    refused = subprocess.run(
        [ROOT / "deploy" / "start.sh"], env={**env, "DASHBOARD_AUTH": "off"}, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "DASHBOARD_AUTH=off" in refused.stderr
    assert not run_dir.exists()

    pids: list[int] = []
    try:
        started = subprocess.run([ROOT / "deploy" / "start.sh"], env=env, capture_output=True, text=True, timeout=150)
        pids = _pids(run_dir)
        assert started.returncode == 0, started.stdout + started.stderr
        assert "已创建管理员账号 admin" in started.stdout  # users init, once
        assert [u.name for u in store.users(db)] == ["admin"]
        assert len(pids) == 3
        stack = Stack(f"https://127.0.0.1:{listen}", (), db, run_dir / "tls" / "selfsigned.crt", run_dir)
        for _ in range(4):
            status, _, body = stack.get("/_stcore/health")
            assert (status, body) == (200, b"ok")
        assert stack.get("/_stcore/metrics")[0] == 403
        # the replicas and nginx share one secret (the replicas trust X-Real-IP only with it), kept from the
        # machine's other users, and the replicas take uploads up to the setting
        secret = (run_dir / "proxy.secret").read_text().strip()
        assert len(secret) >= 32 and f'X-Dashboard-Proxy "{secret}"' in (run_dir / "nginx.conf").read_text()
        assert {(run_dir / name).stat().st_mode & 0o777 for name in ("proxy.secret", "nginx.conf")} == {0o600}
        # nginx's access log names every download's /media/<id>: nobody else on the machine reads it
        assert (run_dir / "logs").stat().st_mode & 0o077 == 0
        assert (run_dir / "logs" / "access.log").stat().st_mode & 0o077 == 0
        for pidfile in run_dir.glob("replica-*.pid"):
            proc = Path("/proc") / pidfile.read_text().strip()
            environ = (proc / "environ").read_bytes().split(b"\0")
            assert f"DASHBOARD_PROXY_SECRET={secret}".encode() in environ and b"FORWARDED_ALLOW_IPS=" in environ
            assert b"--server.maxUploadSize\x0050" in (proc / "cmdline").read_bytes()
        # replicas listen on 127.0.0.1 only, where nginx reaches them
        for port in (first, first + 1):
            assert f"127.0.0.1:{port}" in (run_dir / "nginx.conf").read_text()
        again = subprocess.run([ROOT / "deploy" / "start.sh"], env=env, capture_output=True, text=True, timeout=150)
        assert again.returncode == 0 and "已创建" not in again.stdout and again.stdout.count("已在运行") == 2
    finally:
        subprocess.run([ROOT / "deploy" / "stop.sh"], env=env, capture_output=True, timeout=60)
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in pids:  # only if stop.sh failed: the processes this test started
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert not any(_alive(p) for p in pids)
    shutil.rmtree(run_dir, ignore_errors=True)


def test_start_says_at_once_why_a_replica_did_not_start(tmp_path: Path) -> None:
    """A replica whose port is taken exits at once: start.sh says so with its log's words, not after two minutes."""
    try:
        nginx = local.nginx_binary()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    run_dir = tmp_path / "run"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", _free_port()))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **os.environ,
            "PY": sys.executable,
            "NGINX_BIN": nginx,
            "DASHBOARD_DB": str(build(tmp_path / "warehouse.duckdb")),
            "RUN_DIR": str(run_dir),
            "FIRST_PORT": str(port),
            "REPLICAS": "1",
            "LISTEN": f"127.0.0.1:{_free_port()}",
            "DASHBOARD_AUTH": "on",
        }
        began = time.monotonic()
        try:
            started = subprocess.run(
                [ROOT / "deploy" / "start.sh"], env=env, capture_output=True, text=True, timeout=150
            )
        finally:
            subprocess.run([ROOT / "deploy" / "stop.sh"], env=env, capture_output=True, timeout=60)
    assert started.returncode == 1
    assert f"副本 {port} 没能启动" in started.stderr and f"Port {port} is not available" in started.stderr
    assert time.monotonic() - began < 100  # the two-minute wait was not sat through
    assert not (run_dir / "nginx.pid").exists()
