"""Saved queries of 自助分析: named read queries kept in the warehouse's ``saved_queries`` table.

Writes go through ``analytics.db.writing`` (copy, write, swap), reads through the shared reader.
A query is checked by ``analytics.adhoc.sqlguard.check`` before it is saved, so only runnable reads are
kept; running it still goes through ``sqlguard.run``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from analytics import db
from analytics.adhoc.sqlguard import SqlError, check

MAX_NAME_CHARS = 60
MSG_NO_NAME = "请为查询起一个名称"
MSG_NAME_TOO_LONG = "查询名称过长（上限 {limit} 字符）"


@dataclass(frozen=True)
class SavedQuery:
    name: str
    sql: str
    saved_at: datetime


def save_query(name: str, sql: str, path: str | os.PathLike[str] | None = None) -> SavedQuery:
    """Save (or replace) a named query.

    Raises:
        SqlError: no name, name too long, or the query would be refused by the guard.
    """
    clean_name = (name or "").strip()
    if not clean_name:
        raise SqlError(MSG_NO_NAME)
    if len(clean_name) > MAX_NAME_CHARS:
        raise SqlError(MSG_NAME_TOO_LONG.format(limit=MAX_NAME_CHARS))
    text = check(sql)
    saved_at = datetime.now().replace(microsecond=0)
    with db.writing(path) as con:
        con.execute(
            "INSERT OR REPLACE INTO saved_queries (name, sql, saved_at) VALUES (?, ?, ?)",
            [clean_name, text, saved_at],
        )
    return SavedQuery(clean_name, text, saved_at)


def delete_query(name: str, path: str | os.PathLike[str] | None = None) -> bool:
    """Delete a saved query; returns whether it existed."""
    existed = any(q.name == name for q in list_queries(path))
    if existed:
        with db.writing(path) as con:
            con.execute("DELETE FROM saved_queries WHERE name = ?", [name])
    return existed


def list_queries(path: str | os.PathLike[str] | None = None) -> list[SavedQuery]:
    """Every saved query, by name."""
    cur = db.reader(path).cursor()
    try:
        rows = cur.execute("SELECT name, sql, saved_at FROM saved_queries ORDER BY name").fetchall()
    finally:
        cur.close()
    return [SavedQuery(name, sql, saved_at) for name, sql, saved_at in rows]


def get_query(name: str, path: str | os.PathLike[str] | None = None) -> SavedQuery | None:
    return next((q for q in list_queries(path) if q.name == name), None)
