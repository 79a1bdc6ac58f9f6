"""Users and the audit log, kept in one SQLite file beside the warehouse.

Not in the warehouse itself: a load swaps in a new warehouse file, and a sign-in or a query must be
recorded without copying it. SQLite lets the dashboard and the command line write at once.
The file is ``<warehouse>.access.sqlite`` (``data/warehouse.access.sqlite``), or ``DASHBOARD_ACCESS_DB``.

Passwords are hashed with Argon2id (``argon2-cffi``, its recommended parameters); nothing here
handles a password otherwise. Each hash takes 64 MiB for a moment, so at most ``ARGON_CONCURRENT`` are
computed at once in a process: anonymous sign-ins can't add up the server's memory.

Every user has a credential stamp, new with every password set (and with every add), which a signed-in
session keeps and compares on every run (``signed_in``): a removed or re-passworded user is signed out
at once, and a new role or towns apply at once.

Password sign-ins take a turn first (``sign_in``): in one write transaction, the recent failures of the
name and of the address are counted and the attempt is written, before the password is checked, so
sign-ins sent at the same moment can't all pass the count before any failure is written.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics import db, private
from analytics.access import ROLES, USER_NAME, Principal

DbPath = str | os.PathLike[str] | None
MIN_PASSWORD = 8
LOCKOUT_FAILURES = 5  # wrong passwords for one name within LOCKOUT_MINUTES (since its last sign-in) lock it
LOCKOUT_MINUTES = 15
ADDRESS_FAILURES = 20  # wrong passwords from one address within LOCKOUT_MINUTES, whatever the names
ARGON_CONCURRENT = 2  # Argon2 hashes computed at once in one process (64 MiB each)
ARGON_WAIT_SECONDS = 10.0  # how long a sign-in waits for its turn before "try again shortly"
NAME_SHOWN = 64  # characters of a typed name written down (USER_NAME allows no more)
_hasher = PasswordHasher()
_argon_turns = threading.BoundedSemaphore(ARGON_CONCURRENT)
# Verified against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT,                -- NULL: signs in only through the identity provider or proxy
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'staff', 'admin')),
    towns         TEXT,                -- JSON list; NULL = every town
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    credential    TEXT                 -- random, new with every password set and add: sessions compare it
);
CREATE TABLE IF NOT EXISTS audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,             -- UTC, ISO 8601
    user    TEXT NOT NULL,
    role    TEXT,
    action  TEXT NOT NULL,
    detail  TEXT,                      -- JSON
    source  TEXT                       -- browser address or cli:<os user>
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS sign_in_attempts (  -- the lockout's counter; the audit log keeps the record
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,             -- UTC, ISO 8601; rows older than the lockout window are dropped
    user    TEXT NOT NULL,             -- the name typed, as written down (printable_name)
    address TEXT,                      -- the browser's address; NULL when not known (this machine)
    outcome TEXT                       -- NULL while the password is checked, then 'ok' or 'wrong'
);
CREATE INDEX IF NOT EXISTS sign_in_attempts_user ON sign_in_attempts (user);
"""


class UserError(ValueError):
    """A user could not be added or changed (the message is for the user, in Chinese)."""


def path_for(warehouse: DbPath = None) -> Path:
    explicit = os.environ.get("DASHBOARD_ACCESS_DB")
    if explicit:
        return Path(explicit).resolve()
    target = db.db_path(warehouse)
    return target.with_name(f"{target.stem}.access.sqlite")


@contextmanager
def connect(warehouse: DbPath = None) -> Iterator[sqlite3.Connection]:
    """A connection to the access file (created on first use), committed when the block succeeds."""
    path = path_for(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    private.create(path)  # password hashes and the audit log: the owner's only (SQLite's journals take its mode)
    with closing(sqlite3.connect(path, timeout=30)) as con:
        _ensure_schema(con, path)
        with con:
            yield con


# Access files whose tables this process has made sure of, by inode (a file made again is checked again):
# a session reads its user on every run, and the schema script took half of that read (0.32 → 0.15 ms).
_ready: dict[Path, int] = {}


def _ensure_schema(con: sqlite3.Connection, path: Path) -> None:
    inode = path.stat().st_ino
    if _ready.get(path) == inode:
        return
    private.narrow(path)  # a file made before that rule: no longer other users'
    con.executescript(SCHEMA)
    _add_credentials(con)
    _ready[path] = inode


def _add_credentials(con: sqlite3.Connection) -> None:
    """A file made before credential stamps gets the column, and every user a stamp."""
    if any(column[1] == "credential" for column in con.execute("PRAGMA table_info(users)")):
        return
    try:
        con.execute("ALTER TABLE users ADD COLUMN credential TEXT")
    except sqlite3.OperationalError as exc:  # another process added it a moment ago
        if "duplicate column" not in str(exc):
            raise
    with con:
        con.execute("UPDATE users SET credential = lower(hex(randomblob(16))) WHERE credential IS NULL")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ----- users --------------------------------------------------------------------------------------


def _check(name: str, role: str | None = None, password: str | None = None) -> None:
    if not USER_NAME.fullmatch(name):
        raise UserError("用户名只能由 1–64 个汉字、字母、数字或 . _ - @ 组成")
    if role is not None and role not in ROLES:
        raise UserError(f"角色只能是 {'、'.join(ROLES)} 之一")
    if password is not None and len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符")


def _towns_json(towns: list[str] | tuple[str, ...] | None) -> str | None:
    return None if towns is None else json.dumps(list(towns), ensure_ascii=False)


def _towns(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(json.loads(text))


def _stamp() -> str:
    return secrets.token_hex(16)


@contextmanager
def _argon_turn(wait: float | None = None) -> Iterator[None]:
    """One of the ``ARGON_CONCURRENT`` turns to compute a hash; ``SignInRefused("busy")`` after ``wait`` s."""
    if not _argon_turns.acquire(timeout=wait):
        raise SignInRefused("busy")
    try:
        yield
    finally:
        _argon_turns.release()


def _hash(password: str) -> str:
    with _argon_turn():
        return _hasher.hash(password)


def add(name: str, password: str | None, role: str, towns: list[str] | None = None, warehouse: DbPath = None) -> None:
    """Add a user; ``towns`` None means every town (a county user)."""
    _check(name, role, password)
    with connect(warehouse) as con:
        if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise UserError(f"用户 {name} 已存在")
        hashed = _hash(password) if password is not None else None
        con.execute(
            "INSERT INTO users (name, password_hash, role, towns, created_at, updated_at, credential) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, hashed, role, _towns_json(towns), now(), now(), _stamp()),
        )


def set_password(name: str, password: str, warehouse: DbPath = None) -> None:
    """A new password, and a new credential stamp: every session signed in before ends."""
    _check(name, password=password)
    hashed = _hash(password)
    with connect(warehouse) as con:
        changed = con.execute(
            "UPDATE users SET password_hash = ?, credential = ?, updated_at = ? WHERE name = ?",
            (hashed, _stamp(), now(), name),
        ).rowcount
    if not changed:
        raise UserError(f"没有用户 {name}")


def set_role(
    name: str, role: str, towns: list[str] | None, warehouse: DbPath = None, password: str | None = None
) -> None:
    """A new role and towns, and with ``password`` a new password too (and stamp), in one write: every value
    is checked first, so a refused password changes nothing (the role was saved before it was refused)."""
    _check(name, role, password)
    hashed = _hash(password) if password is not None else None
    with connect(warehouse) as con:
        if hashed is None:
            changed = con.execute(
                "UPDATE users SET role = ?, towns = ?, updated_at = ? WHERE name = ?",
                (role, _towns_json(towns), now(), name),
            ).rowcount
        else:
            changed = con.execute(
                "UPDATE users SET role = ?, towns = ?, password_hash = ?, credential = ?, updated_at = ? WHERE name = ?",
                (role, _towns_json(towns), hashed, _stamp(), now(), name),
            ).rowcount
    if not changed:
        raise UserError(f"没有用户 {name}")


def remove(name: str, warehouse: DbPath = None) -> None:
    with connect(warehouse) as con:
        if not con.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount:
            raise UserError(f"没有用户 {name}")


@dataclass(frozen=True)
class User:
    """A user as listed (never the password hash); towns None = every town."""

    name: str
    role: str
    towns: tuple[str, ...] | None
    created_at: str
    updated_at: str


def users(warehouse: DbPath = None) -> list[User]:
    with connect(warehouse) as con:
        rows = con.execute("SELECT name, role, towns, created_at, updated_at FROM users ORDER BY name").fetchall()
    return [User(n, r, _towns(t), c, u) for n, r, t, c, u in rows]


@dataclass(frozen=True)
class Account:
    """A user as signed in: who they are now, and the credential stamp a session keeps (``signed_in``)."""

    principal: Principal
    credential: str


def account(name: str, source: str = "", warehouse: DbPath = None) -> Account | None:
    """The user of this name with their credential stamp, or None when there is none."""
    with connect(warehouse) as con:
        row = con.execute("SELECT role, towns, credential FROM users WHERE name = ?", (name,)).fetchone()
    return None if row is None else Account(Principal(name, row[0], _towns(row[1]), source), row[2] or "")


def principal(name: str, source: str = "", warehouse: DbPath = None) -> Principal | None:
    """The user of this name as a principal, or None when there is none."""
    found = account(name, source, warehouse)
    return found.principal if found else None


def signed_in(name: str, credential: str, source: str = "", warehouse: DbPath = None) -> Principal | None:
    """The user a session signed in as, as they are now (role, towns), while ``credential`` is still their
    stamp; None once they were removed, or their password changed (or they were removed and added again).
    One read of one row: sessions call it on every run."""
    found = account(name, source, warehouse)
    if found is None or not secrets.compare_digest(found.credential, credential):
        return None
    return found.principal


def check_password(name: str, password: str, source: str = "", warehouse: DbPath = None) -> Account | None:
    """The user and their stamp when the password is theirs, else None (a wrong name costs the same time).
    Waits up to ``ARGON_WAIT_SECONDS`` for a turn to hash, then raises ``SignInRefused("busy")``."""
    with connect(warehouse) as con:
        row = con.execute("SELECT password_hash, role, towns, credential FROM users WHERE name = ?", (name,)).fetchone()
    stored = row[0] if row and row[0] else None
    with _argon_turn(ARGON_WAIT_SECONDS):
        try:
            _hasher.verify(stored or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if stored is None:
            return None
        rehashed = _hasher.hash(password) if _hasher.check_needs_rehash(stored) else None
    if rehashed is not None:  # the same password: the stamp stays, and so do the user's sessions
        with connect(warehouse) as con:
            con.execute("UPDATE users SET password_hash = ? WHERE name = ?", (rehashed, name))
    return Account(Principal(name, row[1], _towns(row[2]), source), row[3] or "")


def verify(name: str, password: str, source: str = "", warehouse: DbPath = None) -> Principal | None:
    """The user when the password is theirs, else None (``check_password`` without the stamp)."""
    found = check_password(name, password, source, warehouse)
    return found.principal if found else None


def has_users(warehouse: DbPath = None) -> bool:
    with connect(warehouse) as con:
        return con.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None


# ----- password sign-ins --------------------------------------------------------------------------


class SignInRefused(Exception):
    """A sign-in refused before its password was checked: ``reason`` is "locked" (the name),
    "address" (too many failures from the browser's address) or "busy" (no turn to hash in time)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def printable_name(typed: str) -> str:
    """A name someone typed, as it may be written down (audit log, lockout): NFKC-normalised (ａｄｍｉｎ is
    admin), control, format (bidi, zero-width) and separator characters and the backslash escaped
    (``\\u202e``), and cut to ``NAME_SHOWN`` characters with "…" after a longer one."""
    parts: list[str] = []
    length = 0
    for char in unicodedata.normalize("NFKC", typed):
        part = f"\\u{ord(char):04x}" if char == "\\" or unicodedata.category(char) in _ESCAPED else char
        if length + len(part) > NAME_SHOWN:
            return "".join(parts) + "…"
        parts.append(part)
        length += len(part)
    return "".join(parts)


_ESCAPED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def sign_in(name: str, password: str, source: str = "", address: str | None = None,
            warehouse: DbPath = None) -> Account | None:  # fmt: skip
    """A password sign-in within the limits: the user and their stamp, None for a wrong name or password,
    ``SignInRefused`` when the name is locked, the address has failed too often, or no turn to hash came.

    ``address`` is the browser's (None when not known: it then has no limit of its own)."""
    turn = _take_turn(printable_name(name), address, warehouse)
    try:
        found = check_password(name, password, source, warehouse)
    except BaseException:
        _settle(turn, None, warehouse)  # not checked: it counts for nothing
        raise
    _settle(turn, "ok" if found else "wrong", warehouse)
    return found


def _take_turn(name: str, address: str | None, warehouse: DbPath) -> int:
    """Count the recent failures and write this attempt in one write transaction (BEGIN IMMEDIATE: one
    process at a time), so parallel attempts are counted one after another; an attempt still being
    checked counts as a failure. The attempt's id, or ``SignInRefused``."""
    since = (datetime.now(UTC) - timedelta(minutes=LOCKOUT_MINUTES)).isoformat(timespec="seconds")
    with connect(warehouse) as con:
        con.execute("BEGIN IMMEDIATE")
        con.execute("DELETE FROM sign_in_attempts WHERE at < ?", (since,))
        (failures,) = con.execute(
            "SELECT count(*) FROM sign_in_attempts WHERE user = ? AND outcome IS NOT 'ok' AND id > "
            "coalesce((SELECT max(id) FROM sign_in_attempts WHERE user = ? AND outcome = 'ok'), 0)",
            (name, name),
        ).fetchone()
        if failures >= LOCKOUT_FAILURES:
            raise SignInRefused("locked")
        if address is not None:
            (from_there,) = con.execute(
                "SELECT count(*) FROM sign_in_attempts WHERE address = ? AND outcome IS NOT 'ok'", (address,)
            ).fetchone()
            if from_there >= ADDRESS_FAILURES:
                raise SignInRefused("address")
        cursor = con.execute(
            "INSERT INTO sign_in_attempts (at, user, address) VALUES (?, ?, ?)", (now(), name, address)
        )
        return int(cursor.lastrowid or 0)


def _settle(turn: int, outcome: str | None, warehouse: DbPath) -> None:
    with connect(warehouse) as con:
        if outcome is None:
            con.execute("DELETE FROM sign_in_attempts WHERE id = ?", (turn,))
        else:
            con.execute("UPDATE sign_in_attempts SET outcome = ? WHERE id = ?", (outcome, turn))
