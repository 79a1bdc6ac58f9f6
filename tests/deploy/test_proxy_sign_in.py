"""The proxy sign-in variant of deploy/: nginx signs people in (HTTP basic auth) and names them to the app in
``[auth] proxy_header``; the app trusts that header, so nginx must set it and never pass a client's.

One replica with sign-in on (``DASHBOARD_AUTH=on``) and settings naming ``X-Remote-User``, behind a real nginx
with TLS. A browser that signs in to nginx as wangfang (a viewer) while sending ``X-Remote-User: admin`` itself is
wangfang in the app; no credentials, or wrong ones, get nginx's 401 and nothing of the app. The replica is started
as deploy/start.sh starts it (``DASHBOARD_PROXY_SECRET``, which nginx sends with each request), so the audit log has
the browser's address from nginx's X-Real-IP, which a browser can't choose either; a client on this machine that
goes to the replica's port directly, header and all, is nobody.
"""

from __future__ import annotations

import secrets
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics import settings
from analytics.access import audit, store
from bench.pages import VIEWPORT
from bench.pages import serve as serve_script
from deploy import local
from tests.browser.conftest import wait_rendered
from tests.deploy.conftest import ROOT, Stack, run_nginx
from tests.fixture_db import build

pytestmark = pytest.mark.browser

HEADER = "X-Remote-User"
PASSWORD = "proxy password"
SECRET = secrets.token_urlsafe(48)  # what deploy/start.sh gives nginx and the replicas


def _settings_with_proxy_header(path: Path) -> Path:
    text = settings.DEFAULT_SETTINGS.read_text(encoding="utf-8")
    assert tomllib.loads(text)["auth"]["proxy_header"] == ""
    path.write_text(text.replace('proxy_header = ""', f'proxy_header = "{HEADER}"'), encoding="utf-8")
    return path


def _htpasswd_line(name: str, password: str) -> str:
    hashed = subprocess.run(["openssl", "passwd", "-apr1", password], check=True, capture_output=True, text=True)
    return f"{name}:{hashed.stdout.strip()}\n"


@pytest.fixture(scope="module")
def signed_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    try:
        local.nginx_binary()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    tmp = tmp_path_factory.mktemp("proxy_sign_in")
    db = build(tmp / "warehouse.duckdb")
    store.add("wangfang", "unused: nginx checks the password", "viewer", ["珠龙镇"], db)
    store.add("admin", "unused too", "admin", None, db)
    store.add("王芳", "unused as well", "staff", ["珠龙镇"], db)
    chosen = _settings_with_proxy_header(tmp / "settings.toml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASHBOARD_SETTINGS", str(chosen))  # deploy.render reads the header's name from them
        settings.load.cache_clear()
        env = {"DASHBOARD_AUTH": "on", "DASHBOARD_SETTINGS": str(chosen), "DASHBOARD_PROXY_SECRET": SECRET}
        try:
            with (
                serve_script(ROOT / "dashboard.py", db, env) as (url, _),
                run_nginx(
                    (int(url.rsplit(":", 1)[1]),),
                    htpasswd=_htpasswd_line("wangfang", PASSWORD) + _htpasswd_line("王芳", PASSWORD),
                    secret=SECRET,
                ) as (site, cert),
            ):
                yield Stack(f"https://{site.listen}", (url.removeprefix("http://"),), db, cert, site.run_dir)
        finally:
            settings.load.cache_clear()
    settings.load.cache_clear()


def test_nothing_passes_without_signing_in_to_nginx(signed_stack: Stack) -> None:
    status, _, body = signed_stack.get("/_stcore/health", headers={HEADER: "admin"})
    assert status == 401 and b"ok" not in body


def test_the_header_is_nginxs_not_the_clients(signed_stack: Stack, browser) -> None:
    context = browser.new_context(
        viewport=VIEWPORT,
        locale="zh-CN",
        ignore_https_errors=True,
        http_credentials={"username": "wangfang", "password": PASSWORD},
        extra_http_headers={HEADER: "admin", "X-Real-IP": "10.9.8.7"},  # a forged identity and address
    )
    page = context.new_page()
    page.goto(f"{signed_stack.url}/?kind=year&period=2020")
    wait_rendered(page)
    page.get_by_text("wangfang（查看）").wait_for(timeout=60_000)
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "总览" in nav and "系统管理" not in nav and "数据管理" not in nav
    context.close()
    signed_in = audit.entries(5, user="wangfang", action="sign_in", warehouse=signed_stack.db)
    assert signed_in["source"].tolist()[:1] == ["127.0.0.1（经本机代理）"]  # nginx's $remote_addr, not the header sent

    # a Chinese user name: nginx passes its UTF-8 bytes, the app reads them as such
    chinese = browser.new_context(
        viewport=VIEWPORT, locale="zh-CN", ignore_https_errors=True,
        http_credentials={"username": "王芳", "password": PASSWORD},
    )  # fmt: skip
    page = chinese.new_page()
    page.goto(f"{signed_stack.url}/?kind=year&period=2020")
    wait_rendered(page)
    page.get_by_text("王芳（经办）").wait_for(timeout=60_000)
    chinese.close()

    wrong = browser.new_context(
        ignore_https_errors=True, http_credentials={"username": "wangfang", "password": "wrong"}
    )
    response = wrong.new_page().goto(f"{signed_stack.url}/")
    assert response is not None and response.status == 401
    wrong.close()


def test_a_client_of_this_machine_that_goes_round_nginx_is_nobody(signed_stack: Stack, browser) -> None:
    """Any user of the server machine can reach the replica's port and send the sign-in header and an address;
    without nginx's secret neither counts, and the page says why."""
    context = browser.new_context(
        viewport=VIEWPORT, locale="zh-CN", extra_http_headers={HEADER: "admin", "X-Real-IP": "10.9.8.7",
                                                               "X-Dashboard-Proxy": "guessed"},
    )  # fmt: skip
    page = context.new_page()
    page.goto(f"http://{signed_stack.replicas[0]}/?kind=year&period=2020")
    wait_rendered(page)
    page.get_by_text("这个请求没有带反向代理的凭据").wait_for(timeout=60_000)
    assert page.get_by_text("admin（管理员）").count() == 0
    nav = page.locator("[data-testid='stSidebarNav']")
    assert nav.count() == 0 or "系统管理" not in nav.inner_text()
    context.close()
    assert audit.entries(20, user="admin", action="sign_in", warehouse=signed_stack.db).empty
