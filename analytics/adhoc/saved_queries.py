"""Saved queries of 自助分析: named read queries kept in the warehouse's ``saved_queries`` table.

Every query has an owner, the person who saved it: only they or an admin may replace or delete it (an
admin limited to towns: the queries of the users of their towns).
Writes go through ``analytics.db.writing`` (copy, write, swap), reads through the shared reader.
A query is checked by ``analytics.adhoc.sqlguard.check`` before it is saved, so only runnable reads are
kept; running it still goes through ``sqlguard.run``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from analytics import access, db
from analytics.adhoc.sqlguard import SqlError, check

MAX_NAME_CHARS = 60
MSG_NO_NAME = "请为查询起一个名称"
MSG_NAME_TOO_LONG = "查询名称过长（上限 {limit} 字符）"
MSG_NOT_OWNER = "查询「{name}」是 {owner} 保存的，只有本人或管理员可以修改或删除；请换一个名称"
MSG_NAME_TAKEN = "名称「{name}」已被使用，请换一个名称"


@dataclass(frozen=True)
class SavedQuery:
    name: str
    sql: str
    saved_at: datetime
    owner: str | None = None


def _check_owner(existing: SavedQuery | None, path: str | os.PathLike[str] | None = None) -> None:
    """Only its owner or an admin who manages them (``analytics.access.manage``: an admin limited to towns,
    the users of their towns) replaces or deletes a query; one saved before queries had owners is a
    county admin's. A query the person may not see is not named to them, nor its owner: the name is just
    taken."""
    who = access.current()
    if existing is None or existing.owner == who.name or (who.can("users") and _manages(who, existing, path)):
        return
    if not visible([existing], path):
        raise SqlError(MSG_NAME_TAKEN.format(name=existing.name))
    raise SqlError(MSG_NOT_OWNER.format(name=existing.name, owner=existing.owner or "管理员"))


def _manages(who: access.Principal, query: SavedQuery, path: str | os.PathLike[str] | None) -> bool:
    from analytics.access import manage, store

    if who.towns is None:
        return True
    owner = next((u for u in store.users(path) if u.name == query.owner), None)
    return owner is not None and manage.manages(who, owner.towns)


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
    _check_owner(_find(clean_name, path), path)
    saved_at = datetime.now().replace(microsecond=0)
    owner = access.current().name or None
    with db.writing(path) as con:
        con.execute(
            "INSERT OR REPLACE INTO saved_queries (name, sql, saved_at, owner) VALUES (?, ?, ?, ?)",
            [clean_name, text, saved_at, owner],
        )
    return SavedQuery(clean_name, text, saved_at, owner)


def delete_query(name: str, path: str | os.PathLike[str] | None = None) -> bool:
    """Delete a saved query; returns whether it existed.

    Raises:
        SqlError: someone else's query, and the person acting is no admin.
    """
    found = _find(name, path)
    existed = found is not None
    _check_owner(found, path)
    if existed:
        with db.writing(path) as con:
            con.execute("DELETE FROM saved_queries WHERE name = ?", [name])
    return existed


def list_queries(path: str | os.PathLike[str] | None = None) -> list[SavedQuery]:
    """The saved queries the person acting may see, by name (``visible``)."""
    return visible(_all_queries(path), path)


def visible(queries: list[SavedQuery], path: str | os.PathLike[str] | None = None) -> list[SavedQuery]:
    """A person of every town sees every query; a person of some towns their own, an admin's, and those
    of people whose towns are among theirs. A query's name and text may name people and places of the
    towns its owner works on (``WHERE mediator LIKE '王%'``)."""
    from analytics.access import store

    who = access.current()
    if who.towns is None:
        return queries
    owners = {u.name: u for u in store.users(path)}
    mine = set(who.towns)

    def shown(query: SavedQuery) -> bool:
        owner = owners.get(query.owner or "")
        if query.owner == who.name or (owner is not None and owner.role == "admin"):
            return True
        return owner is not None and owner.towns is not None and set(owner.towns) <= mine

    return [q for q in queries if shown(q)]


def _all_queries(path: str | os.PathLike[str] | None = None) -> list[SavedQuery]:
    cur = db.reader(path).cursor()
    try:
        # ``*``: a warehouse written before queries had owners has no owner column until its next write
        found = cur.execute("SELECT * FROM saved_queries ORDER BY name")
        names = [d[0] for d in found.description]
        rows = [dict(zip(names, row, strict=True)) for row in found.fetchall()]
    finally:
        cur.close()
    return [SavedQuery(r["name"], r["sql"], r["saved_at"], r.get("owner")) for r in rows]


def get_query(name: str, path: str | os.PathLike[str] | None = None) -> SavedQuery | None:
    """The query of that name, if the person acting may see it."""
    return next((q for q in list_queries(path) if q.name == name), None)


def _find(name: str, path: str | os.PathLike[str] | None = None) -> SavedQuery | None:
    """The query of that name, whoever may see it: a name is taken even if its query is not shown."""
    return next((q for q in _all_queries(path) if q.name == name), None)
