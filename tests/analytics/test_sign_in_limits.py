"""The limits on password sign-ins (analytics.access.store): a name's lockout counted atomically, so parallel
attempts can't pass it; a limit per address; at most two Argon2 hashes at once in a process; the credential stamp
that ends a session when its user's password changes; and what a typed name becomes in the audit log."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from analytics.access import Principal, audit, store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    store.add("guest", PASSWORD, "viewer", None, path)
    return path


def _outcome(name: str, password: str, warehouse: Path, address: str | None = None) -> str:
    try:
        found = store.sign_in(name, password, "", address, warehouse)
    except store.SignInRefused as refused:
        return refused.reason
    return "ok" if found else "wrong"


# Each process starts its threads at the same moment and prints their outcomes.
_RACE = """
import json, sys, threading, time
from pathlib import Path
from analytics.access import store
warehouse, start, threads = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
outcomes = []
def attempt(i):
    time.sleep(max(0.0, start - time.time()))
    try:
        found = store.sign_in("guest", f"wrong password {i}", "", "10.0.0.7", warehouse)
        outcomes.append("ok" if found else "wrong")
    except store.SignInRefused as refused:
        outcomes.append(refused.reason)
workers = [threading.Thread(target=attempt, args=(i,)) for i in range(threads)]
for w in workers: w.start()
for w in workers: w.join()
print(json.dumps(outcomes))
"""


def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(warehouse: Path) -> None:
    """4 processes × 8 threads submit a wrong password for one name at the same moment: exactly five are checked
    against the hash (was 17 of 30 when the failures were counted before the check and written after it)."""
    processes, threads = 4, 8
    start = time.time() + 6  # every process has imported the store by then
    running = [
        subprocess.Popen(
            [sys.executable, "-c", _RACE, str(warehouse), str(start), str(threads)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    outcomes = [o for p in running for o in json.loads(p.communicate(timeout=180)[0])]
    assert sorted(set(outcomes)) == ["locked", "wrong"], outcomes
    assert outcomes.count("wrong") == store.LOCKOUT_FAILURES
    assert outcomes.count("locked") == processes * threads - store.LOCKOUT_FAILURES
    assert _outcome("guest", PASSWORD, warehouse) == "locked"  # the right password too, while locked


def test_a_sign_in_resets_the_names_count_not_the_addresss(warehouse: Path) -> None:
    for _ in range(store.LOCKOUT_FAILURES - 1):
        assert _outcome("guest", "wrong", warehouse, "10.0.0.1") == "wrong"
    assert _outcome("guest", PASSWORD, warehouse, "10.0.0.1") == "ok"
    for _ in range(store.LOCKOUT_FAILURES):
        assert _outcome("guest", "wrong", warehouse, "10.0.0.1") == "wrong"
    assert _outcome("guest", PASSWORD, warehouse, "10.0.0.1") == "locked"


def test_one_address_is_limited_whatever_the_names(warehouse: Path) -> None:
    """Spraying names (each below its own lockout) from one address stops at ADDRESS_FAILURES; other addresses,
    and clients of this machine (no address), are not held up by it."""
    for i in range(store.ADDRESS_FAILURES):
        assert _outcome(f"nobody{i}", "wrong", warehouse, "10.0.0.9") == "wrong"
    assert _outcome("guest", PASSWORD, warehouse, "10.0.0.9") == "address"
    assert _outcome("guest", PASSWORD, warehouse, "10.0.0.10") == "ok"
    assert _outcome("someone", "wrong", warehouse, None) == "wrong"


def test_old_attempts_stop_counting(warehouse: Path) -> None:
    for _ in range(store.LOCKOUT_FAILURES):
        assert _outcome("guest", "wrong", warehouse) == "wrong"
    assert _outcome("guest", PASSWORD, warehouse) == "locked"
    old = "2000-01-01T00:00:00+00:00"
    with sqlite3.connect(store.path_for(warehouse)) as con:
        con.execute("UPDATE sign_in_attempts SET at = ?", (old,))
    assert _outcome("guest", PASSWORD, warehouse) == "ok"
    with sqlite3.connect(store.path_for(warehouse)) as con:
        assert con.execute("SELECT count(*) FROM sign_in_attempts WHERE at = ?", (old,)).fetchone() == (0,)


class _CountingHasher:
    """The Argon2 hasher, counting how many hashes run at once."""

    def __init__(self, real: Any) -> None:
        self.real, self.now, self.most, self.lock = real, 0, 0, threading.Lock()

    def _counted(self, method: str, *args: Any) -> Any:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            time.sleep(0.05)  # long enough for every thread to be waiting
            return getattr(self.real, method)(*args)
        finally:
            with self.lock:
                self.now -= 1

    def verify(self, *args: Any) -> Any:
        return self._counted("verify", *args)

    def hash(self, *args: Any) -> Any:
        return self._counted("hash", *args)

    def check_needs_rehash(self, *args: Any) -> Any:
        return self.real.check_needs_rehash(*args)


def test_at_most_two_hashes_at_once(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _CountingHasher(store._hasher)
    monkeypatch.setattr(store, "_hasher", counting)
    outcomes: list[str] = []
    workers = [
        threading.Thread(target=lambda i=i: outcomes.append(_outcome(f"nobody{i}", "wrong", warehouse)))
        for i in range(12)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert outcomes == ["wrong"] * 12
    assert counting.most == store.ARGON_CONCURRENT


def test_a_sign_in_without_a_turn_in_time_is_refused_and_not_counted(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "ARGON_WAIT_SECONDS", 0.1)
    for _ in range(store.ARGON_CONCURRENT):
        store._argon_turns.acquire()
    try:
        assert _outcome("guest", PASSWORD, warehouse, "10.0.0.1") == "busy"
    finally:
        for _ in range(store.ARGON_CONCURRENT):
            store._argon_turns.release()
    with sqlite3.connect(store.path_for(warehouse)) as con:
        assert con.execute("SELECT count(*) FROM sign_in_attempts").fetchone() == (0,)
    assert _outcome("guest", PASSWORD, warehouse, "10.0.0.1") == "ok"


# Peak memory of a process in which 16 threads sign in with 16 unknown names at once (64 MiB per Argon2 hash).
_MEMORY = """
import sys, threading
from pathlib import Path
from analytics.access import store
def peak():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) // 1024
warehouse = Path(sys.argv[1])
store.sign_in("warm", "up", "", None, warehouse)
before = peak()
workers = [threading.Thread(target=store.sign_in, args=(f"nobody{i}", "wrong", "", None, warehouse)) for i in range(16)]
for w in workers: w.start()
for w in workers: w.join()
print(before, peak())
"""


def test_parallel_anonymous_sign_ins_hold_the_memory_of_two_hashes(warehouse: Path) -> None:
    """Measured: the peak grows by ≈ 64 MiB (one hash beyond the warm-up's); ≈ 1 GB when all 16 hashed at once."""
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY, str(warehouse)], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    before, after = map(int, done.stdout.split())
    assert after - before < (store.ARGON_CONCURRENT + 1) * 64, (before, after)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("王芳", "王芳"),
        ("wang.fang@example.cn", "wang.fang@example.cn"),
        ("ａｄｍｉｎ", "admin"),  # full-width letters are the letters
        ("admin\u202e", "admin\\u202e"),  # a right-to-left override, shown
        ("ad\u200bmin", "ad\\u200bmin"),  # a zero-width space
        ('=HYPERLINK("x")\n伪造行,admin', '=HYPERLINK("x")\\u000a伪造行,admin'),
        ("a\\u000ab", "a\\u005cu000ab"),  # a typed backslash can't pass for an escape
        ("x" * 64, "x" * 64),
        ("x" * 65, "x" * 64 + "…"),
        ("\n" * 20, "\\u000a" * 10 + "…"),  # an escape is never cut in two
    ],
)
def test_a_typed_name_is_written_down_short_and_visible(typed: str, written: str) -> None:
    assert store.printable_name(typed) == written


def test_a_failed_sign_in_logs_the_name_cleaned(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    typed = '=HYPERLINK("http://x")\n伪造行,admin,sign_in' + "A" * 2_000_000
    audit.record("sign_in_failed", who=Principal("", "viewer", None, "10.0.0.1"), user=typed, warehouse=warehouse)
    audit.record("sign_in_failed", who=Principal("", "viewer", None, "10.0.0.1"), user="王芳", warehouse=warehouse)
    newest, first = audit.entries(warehouse=warehouse).to_dict("records")
    assert newest["user"] == "王芳" and json.loads(newest["detail"]) == {}
    assert first["user"].startswith('=HYPERLINK("http://x")\\u000a伪造行') and len(first["user"]) <= 65
    assert json.loads(first["detail"]) == {"typed_length": len(typed)}


def test_the_credential_stamp_changes_with_the_password_only(warehouse: Path) -> None:
    first = store.account("guest", "", warehouse)
    assert first is not None and len(first.credential) == 32
    assert store.signed_in("guest", first.credential, "10.0.0.1", warehouse) == Principal(
        "guest", "viewer", None, "10.0.0.1"
    )
    store.set_role("guest", "staff", ["珠龙镇"], warehouse)  # applies at once, the session stays
    assert store.signed_in("guest", first.credential, "", warehouse) == Principal("guest", "staff", ("珠龙镇",), "")
    store.set_password("guest", "a brand new password", warehouse)
    assert store.signed_in("guest", first.credential, "", warehouse) is None
    second = store.account("guest", "", warehouse)
    assert second is not None and store.signed_in("guest", second.credential, "", warehouse) is not None
    store.remove("guest", warehouse)
    assert store.signed_in("guest", second.credential, "", warehouse) is None
    store.add("guest", "a brand new password", "viewer", None, warehouse)  # the same name and password again
    assert store.signed_in("guest", second.credential, "", warehouse) is None
    assert store.signed_in("guest", "", "", warehouse) is None


def test_a_file_from_before_the_stamps_gets_one_per_user(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with sqlite3.connect(store.path_for(warehouse)) as con:
        con.executescript(
            textwrap.dedent("""
            CREATE TABLE users (name TEXT PRIMARY KEY, password_hash TEXT, role TEXT NOT NULL, towns TEXT,
                                created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
            INSERT INTO users VALUES ('a', NULL, 'viewer', NULL, 'then', 'then'), ('b', NULL, 'admin', NULL, 't', 't');
            """)
        )
    stamps = {name: store.account(name, "", warehouse) for name in ("a", "b")}
    assert all(found and len(found.credential) == 32 for found in stamps.values())
    assert stamps["a"].credential != stamps["b"].credential  # type: ignore[union-attr]
    assert store.account("a", "", warehouse) == stamps["a"]  # made once, kept


def test_the_command_line_says_what_happens_to_open_sessions(warehouse: Path) -> None:
    before = store.account("guest", "", warehouse)
    changed = subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(warehouse), "users", "passwd", "guest", "--password-stdin"],
        cwd=ROOT, input="a brand new password\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert changed.returncode == 0 and "会话在下一次操作时退出" in changed.stdout, changed.stderr
    assert before is not None and store.signed_in("guest", before.credential, "", warehouse) is None
