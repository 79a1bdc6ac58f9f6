"""Users and the audit log, kept in one SQLite file beside the warehouse.

Not in the warehouse itself: a load swaps in a new warehouse file, and a sign-in or a query must be
recorded without copying it. SQLite lets the dashboard and the command line write at once.
The file is ``<warehouse>.access.sqlite`` (``data/warehouse.access.sqlite``), or ``DASHBOARD_ACCESS_DB``.

Passwords are hashed with Argon2id (``argon2-cffi``, its recommended parameters); nothing here
handles a password otherwise.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics import db
from analytics.access import ROLES, USER_NAME, Principal

DbPath = str | os.PathLike[str] | None
MIN_PASSWORD = 8
_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT,                -- NULL: signs in only through the identity provider or proxy
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'staff', 'admin')),
    towns         TEXT,                -- JSON list; NULL = every town
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
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
    with closing(sqlite3.connect(path, timeout=30)) as con:
        con.executescript(SCHEMA)
        with con:
            yield con


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


def add(name: str, password: str | None, role: str, towns: list[str] | None = None, warehouse: DbPath = None) -> None:
    """Add a user; ``towns`` None means every town (a county user)."""
    _check(name, role, password)
    with connect(warehouse) as con:
        if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise UserError(f"用户 {name} 已存在")
        hashed = _hasher.hash(password) if password is not None else None
        con.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)", (name, hashed, role, _towns_json(towns), now(), now())
        )


def set_password(name: str, password: str, warehouse: DbPath = None) -> None:
    _check(name, password=password)
    with connect(warehouse) as con:
        changed = con.execute(
            "UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?", (_hasher.hash(password), now(), name)
        ).rowcount
    if not changed:
        raise UserError(f"没有用户 {name}")


def set_role(name: str, role: str, towns: list[str] | None, warehouse: DbPath = None) -> None:
    _check(name, role)
    with connect(warehouse) as con:
        changed = con.execute(
            "UPDATE users SET role = ?, towns = ?, updated_at = ? WHERE name = ?",
            (role, _towns_json(towns), now(), name),
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
    return [User(n, r, None if t is None else tuple(json.loads(t)), c, u) for n, r, t, c, u in rows]


def principal(name: str, source: str = "", warehouse: DbPath = None) -> Principal | None:
    """The user of this name as a principal, or None when there is none."""
    with connect(warehouse) as con:
        row = con.execute("SELECT role, towns FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        return None
    towns = None if row[1] is None else tuple(json.loads(row[1]))
    return Principal(name, row[0], towns, source)


def verify(name: str, password: str, source: str = "", warehouse: DbPath = None) -> Principal | None:
    """The user when the password is theirs, else None (a wrong name costs the same time)."""
    with connect(warehouse) as con:
        row = con.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
    stored = row[0] if row and row[0] else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    if _hasher.check_needs_rehash(stored):
        with connect(warehouse) as con:
            con.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_hasher.hash(password), name))
    return principal(name, source, warehouse)


def has_users(warehouse: DbPath = None) -> bool:
    with connect(warehouse) as con:
        return con.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None
