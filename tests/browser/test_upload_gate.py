"""Streamlit's upload endpoint in the real app in Chromium: a session that hasn't signed in, or whose
person may not load files, has its upload refused before the body is read; a staff member's is taken.
The session id is the one the server gave this tab (its NewSession message on the WebSocket)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from analytics.access import store
from tests.browser.conftest import serve, wait_rendered

pytestmark = pytest.mark.browser

# The status of a PUT of a small file to this tab's session, sent by the page itself (its XSRF cookie).
PUT = """async (sid) => {
  const token = (document.cookie.match(/_streamlit_xsrf=([^;]+)/) || [])[1] || "";
  const form = new FormData();
  form.append("file", new Blob(["x".repeat(1000)]), "台账.csv");
  const answer = await fetch(`/_stcore/upload_file/${sid}/probe`, {method: "PUT", body: form,
    headers: {"X-Xsrftoken": decodeURIComponent(token)}, credentials: "same-origin"});
  return answer.status;
}"""


def _session_ids(page: object) -> list[str]:
    found: list[str] = []

    def frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if message.HasField("new_session") and message.new_session.initialize.session_id:
                found.append(message.new_session.initialize.session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", frame))  # type: ignore[attr-defined]
    return found


def _sign_in(page: object, name: str, password: str) -> None:
    page.get_by_label("用户名").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("密码").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]
    wait_rendered(page)


def test_only_a_signed_in_person_who_may_load_can_upload(fixture_db: Path, page, tmp_path: Path) -> None:
    db = Path(shutil.copyfile(fixture_db, tmp_path / "warehouse.duckdb"))
    store.add("韩梅", "staff password", "staff", ["珠龙镇"], db)
    store.add("李雷", "viewer password", "viewer", ["珠龙镇"], db)
    sessions = _session_ids(page)
    with serve(db, sign_in=True) as url:
        page.goto(f"{url}/")
        wait_rendered(page)
        assert page.get_by_text("法治政府建设看板 · 登录").count() == 1 and sessions
        assert page.evaluate(PUT, sessions[-1]) == 400  # before sign-in

        _sign_in(page, "李雷", "viewer password")
        page.get_by_text("李雷（查看）").wait_for()
        assert page.evaluate(PUT, sessions[-1]) == 400  # a viewer loads nothing

        page.goto(f"{url}/")  # a new session: signed out again
        wait_rendered(page)
        _sign_in(page, "韩梅", "staff password")
        page.get_by_text("韩梅（经办）").wait_for()
        assert page.evaluate(PUT, sessions[-1]) == 204
        assert page.evaluate(PUT, "not-a-session") == 400

        store.remove("韩梅", db)  # a removed person's session can't upload any more, before its next click
        assert page.evaluate(PUT, sessions[-1]) == 400
