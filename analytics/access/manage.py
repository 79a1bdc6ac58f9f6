"""Which users an admin may change, and which audit entries they read: the one door for 系统管理 and
``python -m analytics users`` (``analytics.access.store`` keeps the users and does what it is told).

An admin of every town (and the operator at the command line) manages every user and reads the whole
log. An admin limited to towns is a town's admin, and the town scope every read honours holds here too:

- they manage (change, re-password, remove) only users whose towns all lie within theirs, themselves
  included, and not a user of every town;
- the towns they give, to a new user or a changed one, lie within theirs: never every town (an empty
  乡镇), never another town, so they can't widen their own either;
- the users list and the audit log show them those users only (the log: entries in those users'
  names, their own included). Entries of users since removed, of the command line and of names typed
  at a failed sign-in that are nobody's are the county's.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analytics.access import AccessDenied, Principal, audit, store
from analytics.access.store import DbPath, User


def manages(who: Principal, towns: Iterable[str] | None) -> bool:
    """Whether ``who`` manages a user of ``towns`` (None = every town)."""
    if who.towns is None:
        return True
    return towns is not None and set(towns) <= set(who.towns)


def users(who: Principal, warehouse: DbPath = None) -> list[User]:
    """The users ``who`` manages, by name."""
    who.require("users")
    return [user for user in store.users(warehouse) if manages(who, user.towns)]


def add(
    who: Principal, name: str, password: str | None, role: str, towns: list[str] | None, warehouse: DbPath = None
) -> None:
    _give(who, towns)
    store.add(name, password, role, towns, warehouse)


def set_role(
    who: Principal,
    name: str,
    role: str,
    towns: list[str] | None,
    warehouse: DbPath = None,
    password: str | None = None,
) -> None:
    _change(who, name, warehouse)
    _give(who, towns)
    store.set_role(name, role, towns, warehouse, password=password)


def set_password(who: Principal, name: str, password: str, warehouse: DbPath = None) -> None:
    _change(who, name, warehouse)
    store.set_password(name, password, warehouse)


def remove(who: Principal, name: str, warehouse: DbPath = None) -> None:
    _change(who, name, warehouse)
    store.remove(name, warehouse)


def audit_entries(
    who: Principal, limit: int = 1000, user: str | None = None, action: str | None = None, warehouse: DbPath = None
) -> pd.DataFrame:
    """The newest entries first: all of them for an admin of every town, else those in the names of the
    users ``who`` manages (``users``)."""
    who.require("audit")
    among = None if who.towns is None else {u.name for u in users(who, warehouse)} | {who.name}
    return audit.entries(limit, user, action, warehouse, among=among)


def _scope(who: Principal) -> str:
    return "、".join(who.towns or ())


def _change(who: Principal, name: str, warehouse: DbPath) -> None:
    """``who`` may change the user ``name``: an admin, and the user's towns within theirs."""
    who.require("users")
    found = next((user for user in store.users(warehouse) if user.name == name), None)
    if found is None:
        raise store.UserError(f"没有用户 {name}")
    if not manages(who, found.towns):
        raise AccessDenied(f"用户 {name} 不归当前账号管理：当前账号只能管理乡镇都在{_scope(who)}之内的账号")


def _give(who: Principal, towns: list[str] | None) -> None:
    """``who`` may give a user ``towns``: an admin, and the towns within theirs."""
    who.require("users")
    if manages(who, towns):
        return
    if towns is None:
        raise AccessDenied(
            f"当前账号只能管理{_scope(who)}的账号：乡镇不能留空（留空为全部乡镇），请填写{_scope(who)}中的乡镇"
        )
    outside = "、".join(town for town in towns if town not in (who.towns or ()))
    raise AccessDenied(f"当前账号只能管理{_scope(who)}的账号，不能给账号{outside}")
