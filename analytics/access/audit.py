"""The audit log: every sign-in, load, undo, export, SQL run, unmasking and change of users or
settings, with who, when, what and from where. Append-only (the table refuses UPDATE and DELETE);
admins read and download it on the 系统管理 page or with ``python -m analytics audit``.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from analytics.access import Principal, current
from analytics.access.store import DbPath, connect, now, printable_name

COLUMNS = ("id", "at", "user", "role", "action", "detail", "source")


def record(action: str, detail: dict[str, Any] | None = None, *, who: Principal | None = None,
           user: str | None = None, warehouse: DbPath = None) -> None:  # fmt: skip
    """Append one entry; ``who`` defaults to the person acting, ``user`` names someone not signed in
    (a failed sign-in), written down as ``store.printable_name`` makes it: whatever was typed or sent,
    the log gets a short line of visible characters, with the length typed when it had to change it."""
    person = who or current()
    if user is not None and printable_name(user) != user:
        detail = {**(detail or {}), "typed_length": len(user)}
        user = printable_name(user)
    with connect(warehouse) as con:
        con.execute(
            "INSERT INTO audit (at, user, role, action, detail, source) VALUES (?, ?, ?, ?, ?, ?)",
            (
                now(),
                user if user is not None else person.name,
                None if user is not None else person.role,
                action,
                json.dumps(detail or {}, ensure_ascii=False, default=str),
                person.source,
            ),
        )


def entries(limit: int = 1000, user: str | None = None, action: str | None = None,
            warehouse: DbPath = None, among: Collection[str] | None = None) -> pd.DataFrame:  # fmt: skip
    """The newest entries first; with ``among``, only those in these users' names (a town's admin reads
    their users' entries: ``analytics.access.manage.audit_entries``)."""
    where: list[str] = []
    params: list[object] = []
    if user:
        where.append("user = ?")
        params.append(user)
    if action:
        where.append("action = ?")
        params.append(action)
    if among is not None:
        where.append("user IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(among), ensure_ascii=False))
    sql = f"SELECT {', '.join(COLUMNS)} FROM audit{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id DESC LIMIT ?"
    with connect(warehouse) as con:
        rows = con.execute(sql, [*params, int(limit)]).fetchall()
    return pd.DataFrame(rows, columns=list(COLUMNS))


def recent_failures(user: str, minutes: int, warehouse: DbPath = None) -> int:
    """Failed sign-ins of a user name in the last ``minutes`` since their last success."""
    since = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat(timespec="seconds")
    with connect(warehouse) as con:
        row = con.execute(
            "SELECT count(*) FROM audit WHERE user = ? AND action = 'sign_in_failed' AND at >= ? AND id > "
            "coalesce((SELECT max(id) FROM audit WHERE user = ? AND action = 'sign_in'), 0)",
            (user, since, user),
        ).fetchone()
    return int(row[0])
