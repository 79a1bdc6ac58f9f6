"""A signed-in session follows the users' file on every run (AppTest, sign-in on): a removed or re-passworded
user is signed out at their next click, a new role or towns apply at once. Also the sign-in page's other
guards: proxy-header mode refused off loopback, the form's length limits and the name it logs, and the
address it records (nginx's X-Real-IP only when the start script says nginx is in front)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from analytics import settings
from analytics.access import audit, store
from tests.ui.test_roles import PASSWORD, denied, open_dashboard, sign_in, titles, two_towns, visit

SIGN_IN = "法治政府建设看板 · 登录"


@pytest.fixture(scope="module")
def warehouse(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_towns(sample_db, tmp_path_factory.mktemp("live_sessions"))


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, warehouse: Path, tmp_path: Path) -> Callable[..., AppTest]:
    """``app(user=None)``: the dashboard, signed in as ``user``; each test has its own users' file."""
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    monkeypatch.setenv("DASHBOARD_DB", str(warehouse))
    monkeypatch.setenv("DASHBOARD_ACCESS_DB", str(tmp_path / "access.sqlite"))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")
    for name, role, towns in (("staff", "staff", ["东坪乡"]), ("guest", "viewer", None), ("admin", "admin", None)):
        store.add(name, PASSWORD, role, towns)

    def _make(user: str | None = None) -> AppTest:
        at = open_dashboard(user)
        assert user is None or SIGN_IN not in titles(at)
        return at

    return _make


def _ended(at: AppTest) -> bool:
    return SIGN_IN in titles(at) and any("请重新登录" in w.value for w in at.warning) and denied(at)


def test_a_removed_user_is_signed_out_at_their_next_click(app: Callable[..., AppTest]) -> None:
    at = app("staff")
    store.remove("staff")
    visit(at, "explore")
    assert _ended(at) and not at.text_area
    entry = audit.entries(1, user="staff").iloc[0]
    assert entry["action"] == "sign_out" and json.loads(entry["detail"]) == {"reason": "account_changed"}
    visit(at, "overview")
    assert SIGN_IN in titles(at)  # and stays out


def test_a_new_password_signs_out_the_sessions_opened_with_the_old_one(app: Callable[..., AppTest]) -> None:
    at = app("guest")
    store.set_password("guest", "a brand new password")
    visit(at, "mediation")
    assert _ended(at)


def test_a_user_removed_and_added_again_is_signed_out(app: Callable[..., AppTest]) -> None:
    at = app("guest")
    store.remove("guest")
    store.add("guest", PASSWORD, "admin", None)  # same name and password, more rights: a new account
    visit(at, "mediation")
    assert _ended(at)


def test_a_demoted_user_loses_the_pages_at_once(app: Callable[..., AppTest]) -> None:
    at = app("staff")
    store.set_role("staff", "viewer", ["东坪乡"])
    visit(at, "data")
    assert any("无权" in e.value for e in at.error) and denied(at)


def test_new_towns_apply_at_once(app: Callable[..., AppTest]) -> None:
    at = app("staff")
    store.set_role("staff", "staff", ["珠龙镇"])
    visit(at, "explore")
    at.text_area(key="ex_sql").input("SELECT DISTINCT town FROM v_disputes").run()
    at.button(key="ex_run_button").click().run()
    assert at.session_state["ex_result"]["town"].tolist() == ["珠龙镇"]


@pytest.fixture
def proxy_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """settings.toml with ``[auth] proxy_header = "X-Remote-User"``, and a request whose header says admin."""
    from pages import auth

    text = settings.DEFAULT_SETTINGS.read_text(encoding="utf-8")
    chosen = tmp_path / "settings.toml"
    chosen.write_text(text.replace('proxy_header = ""', 'proxy_header = "X-Remote-User"'), encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(chosen))
    settings.load.cache_clear()
    monkeypatch.setattr(auth, "_header_text", lambda header: "admin" if header == "X-Remote-User" else "")
    monkeypatch.setattr(auth, "vouched", lambda: True)  # the request came through the proxy (its secret)
    yield
    settings.load.cache_clear()


def test_the_proxy_header_is_refused_unless_the_server_listens_on_loopback(
    app: Callable[..., AppTest], proxy_mode: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pages import auth

    monkeypatch.setattr(auth, "local_only", lambda: False)  # e.g. --server.address 0.0.0.0
    at = app()
    assert SIGN_IN in titles(at) and denied(at)
    assert any("proxy_header" in e.value and "127.0.0.1" in e.value for e in at.error)
    assert not visit(at, "admin")
    assert audit.entries(5, user="admin").empty
    monkeypatch.setattr(auth, "local_only", lambda: True)  # behind nginx on this machine: the header counts
    at = app()
    assert SIGN_IN not in titles(at) and visit(at, "admin") and not denied(at)


def test_the_proxy_header_without_the_proxys_secret_is_nobody(
    app: Callable[..., AppTest], proxy_mode: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user of this machine who connects to the app's port directly can send the header, not the secret."""
    from pages import auth

    monkeypatch.setattr(auth, "vouched", lambda: False)
    at = app()
    assert SIGN_IN in titles(at) and denied(at)
    assert any("X-Dashboard-Proxy" in e.value and auth.PROXY_SECRET_ENV in e.value for e in at.error)
    assert not visit(at, "admin")
    assert audit.entries(5, user="admin").empty


def test_the_form_takes_a_short_name_and_logs_it_visible(app: Callable[..., AppTest]) -> None:
    at = app()
    assert at.text_input(key="sign_in_user").max_chars == 64
    assert at.text_input(key="sign_in_password").max_chars == 1024
    # a browser types no more than max_chars; a bare WebSocket client sends what it likes, and the server cuts it
    at.text_input(key="sign_in_user").set_value('=HYPERLINK("http://x")\n伪造行,admin,sign_in' + "A" * 200_000)
    at.text_input(key="sign_in_password").input("wrong password")
    at.button[0].click().run()
    sign_in(at, "ａｄｍｉｎ\u202e", "wrong password")
    typed = audit.entries(2, action="sign_in_failed")["user"].tolist()
    assert typed[0] == "admin\\u202e"
    assert typed[1].startswith('=HYPERLINK("http://x")\\u000a伪造行,admin,sign_in') and len(typed[1]) <= 65


@pytest.mark.parametrize(
    ("secret", "sent", "peer", "recorded", "address"),
    [
        (None, None, None, "localhost", None),  # any client of this machine could send X-Real-IP
        (None, "s" * 40, None, "localhost", None),  # no secret set: no request is nginx's
        ("s" * 40, None, None, "localhost", None),  # a local client going round nginx
        ("s" * 40, "t" * 40, None, "localhost", None),  # one guessing the secret
        ("s" * 40, "s" * 40, None, "10.9.8.7（经本机代理）", "10.9.8.7"),  # deploy/start.sh: nginx in front
        ("s" * 40, "s" * 40, "192.0.2.2", "192.0.2.2", "192.0.2.2"),  # not from this machine: its own address
        (None, None, "192.0.2.2", "192.0.2.2", "192.0.2.2"),
    ],
)
def test_x_real_ip_counts_only_on_a_request_nginx_vouches_for(
    monkeypatch: pytest.MonkeyPatch,
    secret: str | None,
    sent: str | None,
    peer: str | None,
    recorded: str,
    address: str | None,
) -> None:
    from pages import auth

    if secret is None:
        monkeypatch.delenv(auth.PROXY_SECRET_ENV, raising=False)
    else:
        monkeypatch.setenv(auth.PROXY_SECRET_ENV, secret)
    headers = {"X-Real-IP": "10.9.8.7", **({auth.PROXY_SECRET_HEADER: sent} if sent else {})}
    monkeypatch.setattr(auth.st, "context", SimpleNamespace(ip_address=peer, headers=headers))
    assert (auth.source(), auth.address()) == (recorded, address)
