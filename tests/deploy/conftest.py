"""A real deployment for the tests: two replicas of the dashboard on one fixture warehouse, behind a real nginx.

- ``stack`` (module): ``bench.pages.serve`` twice on one warehouse file (the local demo, ``DASHBOARD_AUTH=off`` on
  127.0.0.1, as every browser test), a self-signed certificate from ``deploy/selfsigned.sh``, and nginx with the
  config ``deploy/render.py`` makes from the template, listening with TLS on a free port of 127.0.0.1. Under root,
  nginx runs as ``nobody`` so that the config is proved to need no root-only path.
- ``access_log(stack)``: the parsed lines of nginx's access log (request, status, replica, affinity cookie).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import NamedTuple

import pytest

from bench.pages import _free_port
from bench.pages import serve as serve_script
from deploy import local, render
from tests.fixture_db import build

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Stack:
    url: str  # https://127.0.0.1:<port> (nginx)
    replicas: tuple[str, ...]  # "127.0.0.1:<port>" of each replica, as nginx logs them
    db: Path
    cert: Path
    run_dir: Path

    def tls(self) -> ssl.SSLContext:
        """Verifies nginx's certificate against the self-signed one (its names include 127.0.0.1)."""
        return ssl.create_default_context(cafile=str(self.cert))

    def get(
        self, path: str, cookie: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Message, bytes]:
        """(status, headers, body) of a GET through nginx, the certificate verified."""
        request = urllib.request.Request(f"{self.url}{path}", headers=dict(headers or {}))
        if cookie is not None:
            request.add_header("Cookie", f"{render.COOKIE}={cookie}")
        try:
            with urllib.request.urlopen(request, context=self.tls(), timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


class Line(NamedTuple):
    method: str
    path: str
    status: int
    upstream: str
    affinity: str


LINE = re.compile(r'"(\S+) (\S+) [^"]*" (\d+) \d+ upstream=(.+?) affinity=(\S+)')
# $upstream_addr lists every server nginx tried: "a, b" when it went on to the next, "a : b" after a redirect
HOPS = re.compile(r"\s*[,:]\s+")


def access_log(stack: Stack) -> list[Line]:
    """Each line's ``upstream`` is the replica that answered: the last one nginx tried."""
    text = (stack.run_dir / "logs" / "access.log").read_text(encoding="utf-8", errors="replace")
    return [Line(m[1], m[2], int(m[3]), HOPS.split(m[4])[-1], m[5]) for m in LINE.finditer(text)]


def nginx_user() -> str | None:
    return "nobody" if os.geteuid() == 0 else None


@contextlib.contextmanager
def run_nginx(
    ports: tuple[int, ...], htpasswd: str | None = None, secret: str = ""
) -> Iterator[tuple[render.Site, Path]]:
    """nginx with TLS in front of ``ports``; yields its site and certificate. With ``htpasswd`` (the file's
    lines), nginx signs people in and names them in ``[auth] proxy_header``; with ``secret`` it vouches for each
    request with it (``DASHBOARD_PROXY_SECRET``). Its folder is made outside
    pytest's tmp folder (that one is readable by its owner only, and nginx may run as another user)."""
    run_dir = Path(tempfile.mkdtemp(prefix="fazhi-nginx-"))
    try:
        subprocess.run([str(ROOT / "deploy" / "selfsigned.sh"), str(run_dir / "tls")], check=True, capture_output=True)
        if htpasswd is not None:
            (run_dir / "htpasswd").write_text(htpasswd, encoding="utf-8")
        site = render.Site(
            ports=ports,
            run_dir=run_dir,
            listen=f"127.0.0.1:{_free_port()}",
            cert=run_dir / "tls" / "selfsigned.crt",
            key=run_dir / "tls" / "selfsigned.key",
            htpasswd=run_dir / "htpasswd" if htpasswd is not None else None,
            secret=secret,
        )
        with local.nginx(site, user=nginx_user()):
            yield site, run_dir / "tls" / "selfsigned.crt"
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    try:
        local.nginx_binary()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    db = build(tmp_path_factory.mktemp("replicas") / "warehouse.duckdb")
    dashboard = ROOT / "dashboard.py"
    with serve_script(dashboard, db) as (first, _), serve_script(dashboard, db) as (second, _):
        ports = tuple(int(url.rsplit(":", 1)[1]) for url in (first, second))
        with run_nginx(ports) as (site, cert):
            yield Stack(
                url=f"https://{site.listen}",
                replicas=tuple(f"127.0.0.1:{p}" for p in ports),
                db=db,
                cert=cert,
                run_dir=site.run_dir,
            )
