"""Every role against every page and action, in the real app (AppTest) with sign-in on: nothing
without signing in, viewers see pages but not 自助分析/数据管理/系统管理, staff only their towns, admins
the users and the audit log; every sign-in, failure and SQL run is in the log."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import audit, store
from etl.load import load_file
from tests.etl.workbooks import disputes_bytes

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["overview", "mediation", "documents", "training", "report", "explore", "data", "admin"]
PASSWORD = "correct horse battery"


def two_towns(sample_db: Path, folder: Path) -> Path:
    """The sample (珠龙镇) and a 12-case ledger of 东坪乡, in a warehouse of ``folder``."""
    path = Path(shutil.copyfile(sample_db, folder / "warehouse.duckdb"))
    ledger = folder / "东坪乡2020年矛盾纠纷排查调处台账.xlsx"
    ledger.write_bytes(disputes_bytes(12, town="东坪乡"))
    load_file(ledger, path)
    return path


@pytest.fixture(scope="module")
def warehouse(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = two_towns(sample_db, tmp_path_factory.mktemp("roles"))
    for name, role, towns in (
        ("viewer", "viewer", None),
        ("staff", "staff", ["东坪乡"]),
        ("admin", "admin", None),
        ("guest", "viewer", None),
    ):
        store.add(name, PASSWORD, role, towns, path)
    return path


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, warehouse: Path) -> Callable[..., AppTest]:
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    monkeypatch.setenv("DASHBOARD_DB", str(warehouse))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")

    return open_dashboard


def open_dashboard(user: str | None = None, password: str = PASSWORD, page: str | None = None) -> AppTest:
    """The dashboard on 2020, signed in as ``user`` (if any) and on ``page`` (if any), without an exception."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.session_state["kind"] = "year"
    at.session_state["period"] = "2020"
    at.run()
    if user is not None:
        sign_in(at, user, password)
    if page is not None:
        visit(at, page)
    assert not at.exception, [e.message for e in at.exception]
    return at


def visit(at: AppTest, page: str) -> bool:
    """Open a page; False when the router doesn't offer it to this person (not registered at all)."""
    try:
        at.switch_page(f"pages/{page}.py")
    except ValueError as exc:
        assert "Could not find a navigation page" in str(exc)
        return False
    at.run()
    return True


def sign_in(at: AppTest, user: str, password: str) -> AppTest:
    at.text_input(key="sign_in_user").input(user)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def denied(at: AppTest) -> bool:
    """The page's content is not there: the sign-in form, a refusal, or no such page for this role."""
    return not at.dataframe and not at.get("plotly_chart")


@pytest.mark.parametrize("page", PAGES)
def test_no_page_without_signing_in(app: Callable[..., AppTest], page: str) -> None:
    at = app()
    assert not visit(at, page)  # the router offers no page but the sign-in form
    assert titles(at) == ["法治政府建设看板 · 登录"]
    assert denied(at)


def test_wrong_passwords_are_refused_logged_and_lock_the_name(app: Callable[..., AppTest], warehouse: Path) -> None:
    at = app()
    for _ in range(5):
        sign_in(at, "guest", "wrong password")
        assert "用户名或密码不正确" in [e.value for e in at.error]
    sign_in(at, "guest", PASSWORD)
    assert any("暂停登录" in e.value for e in at.error) and denied(at)
    log = audit.entries(20, user="guest", warehouse=warehouse)
    assert log["action"].tolist()[:6] == ["sign_in_refused", *["sign_in_failed"] * 5]


@pytest.mark.parametrize(
    "user, allowed",
    [
        ("viewer", {"overview", "mediation", "documents", "training", "report"}),
        ("staff", {"overview", "mediation", "documents", "training", "report", "explore", "data"}),
        ("admin", set(PAGES)),
    ],
)
def test_each_role_reaches_its_pages_only(app: Callable[..., AppTest], user: str, allowed: set[str]) -> None:
    at = app(user)
    assert "法治政府建设看板 · 登录" not in titles(at)
    for page in PAGES:
        reachable = visit(at, page)
        assert not at.exception, (page, [e.message for e in at.exception])
        refused = any("无权" in e.value for e in at.error)
        if page in allowed:
            assert reachable and not refused, page
            assert "法治政府建设看板 · 登录" not in titles(at) and (at.title or at.markdown), page
        else:
            # not offered by the router; a page file run directly (AppTest registers every file of
            # pages/, as Streamlit's folder mode does) refuses itself
            assert not reachable or (refused and denied(at) and not at.text_area), page


def test_staff_see_their_town_only_and_their_sql_is_logged(app: Callable[..., AppTest], warehouse: Path) -> None:
    at = app("staff", page="explore")
    # AppTest runs the page file without the router's sidebar, so the town widget's own key is
    # forgotten; the view the router last kept (pages.links) is what the page reads.
    assert at.session_state["_view_remembered"]["town"] in ("all", "东坪乡")
    at.text_area(key="ex_sql").input("SELECT DISTINCT town, count(*) AS n FROM v_disputes GROUP BY 1").run()
    at.button(key="ex_run_button").click().run()
    result = at.session_state["ex_result"]
    assert result["town"].tolist() == ["东坪乡"] and result["n"].tolist() == [12]
    entry = audit.entries(5, user="staff", action="sql", warehouse=warehouse).iloc[0]
    assert "v_disputes" in entry["detail"] and '"rows": 1' in entry["detail"]


def test_admin_manages_users_and_reads_the_log(app: Callable[..., AppTest], warehouse: Path) -> None:
    at = app("admin", page="admin")
    frames = [d.value for d in at.dataframe]
    users = next(f for f in frames if "用户名" in f.columns)
    assert {"viewer", "staff", "admin"} <= set(users["用户名"])
    log = next(f for f in frames if "操作" in f.columns)
    assert "sign_in" in set(log["操作"])
    at.session_state["unmask"] = True  # the sidebar's switch (AppTest loses sidebar widgets after a rerun)
    at.run()
    assert audit.entries(1, user="admin", warehouse=warehouse)["action"].tolist() == ["unmask"]


def test_a_town_admin_manages_their_towns_users_and_reads_their_log(
    app: Callable[..., AppTest], warehouse: Path
) -> None:
    """An admin limited to 东坪乡 typed their own name, left 乡镇 empty and became an admin of every town;
    the audit log showed them every town's users' SQL (an outside test's finding)."""
    store.add("dp_admin", PASSWORD, "admin", ["东坪乡"], warehouse)
    store.add("zl_viewer", PASSWORD, "viewer", ["珠龙镇"], warehouse)
    try:
        open_dashboard("zl_viewer")  # a 珠龙镇 user's sign-in: in the log, not theirs to read
        at = app("dp_admin", page="admin")
        assert any("东坪乡的管理员" in i.value for i in at.info)
        frames = [d.value for d in at.dataframe]
        assert set(next(f for f in frames if "用户名" in f.columns)["用户名"]) == {"dp_admin", "staff"}
        log = next(f for f in frames if "操作" in f.columns)
        assert set(log["用户"]) <= {"dp_admin", "staff"} and "dp_admin" in set(log["用户"])

        for name, towns in (
            ("dp_admin", ""),
            ("dp_admin", "东坪乡,珠龙镇"),
            ("zl_viewer", "东坪乡"),
            ("admin", "东坪乡"),
        ):
            at.text_input[0].input(name)
            at.text_input[1].input(towns)
            next(box for box in at.selectbox if "管理员" in box.options).set_value("admin")
            next(b for b in at.button if "修改" in str(b.label)).click().run()
            assert [e.value for e in at.error] and "东坪乡" in at.error[0].value and not at.success
        assert {(u.name, u.role, u.towns) for u in store.users(warehouse) if u.name in ("dp_admin", "zl_viewer", "admin")} == {
            ("dp_admin", "admin", ("东坪乡",)), ("zl_viewer", "viewer", ("珠龙镇",)), ("admin", "admin", None),
        }  # fmt: skip
        at.text_input[0].input("zl_viewer")
        next(b for b in at.button if "删除" in str(b.label)).click().run()
        assert at.error and any(u.name == "zl_viewer" for u in store.users(warehouse))
    finally:
        store.remove("dp_admin", warehouse)
        store.remove("zl_viewer", warehouse)


def test_a_change_refused_for_its_password_changes_nothing(app: Callable[..., AppTest], warehouse: Path) -> None:
    """修改 with a new role and a password too short: it said only 密码至少 8 个字符, and the viewer had already
    become an admin of every town, with nothing in the audit log (an outside test's finding)."""
    store.add("viewer2", PASSWORD, "viewer", ["珠龙镇"], warehouse)
    at = app("admin", page="admin")
    name, towns, password = at.text_input[0], at.text_input[1], at.text_input[2]
    name.input("viewer2")
    towns.input("")
    next(box for box in at.selectbox if "管理员" in box.options).set_value("admin")
    password.input("short")
    next(b for b in at.button if "修改" in str(b.label)).click().run()
    assert [e.value for e in at.error] == ["密码至少 8 个字符"]
    viewer = next(u for u in store.users(warehouse) if u.name == "viewer2")
    assert (viewer.role, viewer.towns) == ("viewer", ("珠龙镇",))
    assert audit.entries(20, action="user_role", warehouse=warehouse).empty
    at.text_input[0].input("viewer2")
    at.text_input[1].input("")
    next(box for box in at.selectbox if "管理员" in box.options).set_value("admin")
    at.text_input[2].input("a long enough password")
    next(b for b in at.button if "修改" in str(b.label)).click().run()
    assert not at.error
    viewer = next(u for u in store.users(warehouse) if u.name == "viewer2")
    assert (viewer.role, viewer.towns) == ("admin", None)
    assert audit.entries(1, action="user_role", warehouse=warehouse)["detail"].str.contains("changed").all()
    assert store.check_password("viewer2", "a long enough password", warehouse=warehouse) is not None
    store.remove("viewer2", warehouse)


def test_sign_in_off_is_refused_off_loopback(app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch) -> None:
    from pages import auth

    monkeypatch.setenv("DASHBOARD_AUTH", "off")
    monkeypatch.setattr(auth, "local_only", lambda: False)
    at = app(page="overview")
    assert any("127.0.0.1" in e.value for e in at.error) and denied(at)
    monkeypatch.setattr(auth, "local_only", lambda: True)
    at = app()  # the router's run, which draws the banner above every page
    assert any("演示模式" in w.value for w in at.warning) and not denied(at)
