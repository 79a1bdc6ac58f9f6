"""Sign-ins sent at the same moment to the real app (``streamlit run``, sign-in on), by bare WebSocket clients as an
attacker would send them, no browser: a name's lockout holds (five password checks, not seventeen of thirty as
when the failures were counted before the check and written after it), and anonymous sign-ins with unknown names
don't add up the server's memory (two 64 MiB Argon2 hashes at a time, not one per sign-in)."""

from __future__ import annotations

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from streamlit.proto import BackMsg_pb2, ForwardMsg_pb2
from websockets.asyncio.client import ClientConnection, connect

from analytics.access import audit, store
from bench.pages import serve as serve_script
from tests.browser.conftest import ROOT

SESSIONS = 16


class Session:
    """One browser tab's WebSocket: runs the script, and submits the sign-in form."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket, self.widgets, self.alerts = socket, dict[str, str](), list[str]()

    async def run(self, fields: dict[str, str] | None = None) -> list[str]:
        """One run of the script (with the form submitted when ``fields`` are given); the alerts it drew."""
        back = BackMsg_pb2.BackMsg()
        back.rerun_script.query_string = ""
        for label, value in (fields or {}).items():
            widget = back.rerun_script.widget_states.widgets.add()
            widget.id, widget.string_value = self.widgets[label], value
        if fields:
            submit = back.rerun_script.widget_states.widgets.add()
            submit.id, submit.trigger_value = self.widgets["登录"], True
        self.alerts = []
        await self.socket.send(back.SerializeToString())
        while True:
            message = ForwardMsg_pb2.ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(self.socket.recv(), timeout=300))
            if message.WhichOneof("type") == "script_finished":
                if message.script_finished != ForwardMsg_pb2.ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return self.alerts
                continue  # the first run leaves Streamlit's folder mode and reruns (pages.view)
            if message.WhichOneof("type") == "delta" and message.delta.HasField("new_element"):
                element = message.delta.new_element
                kind = element.WhichOneof("type")
                if kind in ("text_input", "button"):
                    self.widgets[getattr(element, kind).label] = getattr(element, kind).id
                elif kind == "alert":
                    self.alerts.append(element.alert.body)


def _peak_mib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) // 1024


async def _burst(url: str, pid: int) -> tuple[list[list[str]], list[list[str]], int, int]:
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    sockets = [
        await connect(stream, subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"], max_size=2**26)  # type: ignore[list-item]
        for _ in range(SESSIONS)
    ]
    try:
        sessions = [Session(socket) for socket in sockets]
        for session in sessions:
            await session.run()  # the sign-in form, its widgets' ids
        before = _peak_mib(pid)
        one_name = await asyncio.gather(
            *(s.run({"用户名": "guest", "密码": f"wrong password {i}"}) for i, s in enumerate(sessions))
        )
        many_names = await asyncio.gather(
            *(s.run({"用户名": f"nobody{i}", "密码": "wrong password"}) for i, s in enumerate(sessions))
        )
        return list(one_name), list(many_names), before, _peak_mib(pid)
    finally:
        for socket in sockets:
            await socket.close()


def test_parallel_sign_ins_keep_the_lockout_and_bounded_memory(fixture_db: Path, tmp_path: Path) -> None:
    db = Path(shutil.copyfile(fixture_db, tmp_path / "warehouse.duckdb"))
    store.add("guest", "correct horse battery", "viewer", None, db)
    # the clients in a thread of their own: Playwright's sync API, once started in this process, holds its loop
    with (
        serve_script(ROOT / "dashboard.py", db, {"DASHBOARD_AUTH": "on"}) as (url, process),
        ThreadPoolExecutor(1) as thread,
    ):
        one_name, many_names, before, after = thread.submit(asyncio.run, _burst(url, process.pid)).result()
    checked = sum(any("不正确" in a for a in alerts) for alerts in one_name)
    locked = sum(any("暂停登录" in a for a in alerts) for alerts in one_name)
    assert (checked, locked) == (store.LOCKOUT_FAILURES, SESSIONS - store.LOCKOUT_FAILURES)
    actions = audit.entries(100, user="guest", warehouse=db)["action"].value_counts().to_dict()
    assert actions == {"sign_in_failed": store.LOCKOUT_FAILURES, "sign_in_refused": SESSIONS - store.LOCKOUT_FAILURES}
    # every unknown name was checked (as long as a real one), none waited past its turn
    assert all(alerts == ["用户名或密码不正确"] for alerts in many_names), many_names
    # 32 hashes asked for, at most two at a time: the peak grows by two hashes' memory at most
    assert after - before < store.ARGON_CONCURRENT * 64 + 64, (before, after)
