"""Who may see and change what: roles, the person acting, and the towns and fields they may read.

Three roles, each allowed what the one before is, and more:

- 查看 ``viewer``: the pages, the report and downloads, personal data masked;
- 经办 ``staff``: also 自助分析 (explore and SQL), uploads, loads and undoing their own loads, in
  their own towns;
- 管理员 ``admin``: also undoing anyone's load, users, the audit log, and unmasking personal data
  (audited).

A user's towns are a list, or every town (a county user). The person acting is a
:class:`Principal`; the code that reads data asks :func:`current` (a context variable set by the
dashboard for each script run and by the command line for each command), so the town scope and
the masking apply where the data is read, whatever page or command asks.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

ROLES = ("viewer", "staff", "admin")
ROLE_LABELS = {"viewer": "查看", "staff": "经办", "admin": "管理员"}

# action -> the lowest role allowed to take it
ACTIONS = {
    "view": "viewer",
    "download": "viewer",
    "explore": "staff",
    "sql": "staff",
    "load": "staff",
    "map_headers": "staff",
    "undo_own": "staff",
    "save_query": "staff",
    "undo_any": "admin",
    "unmask": "admin",
    "users": "admin",
    "audit": "admin",
    "settings": "admin",
}

USER_NAME = re.compile(r"[\w.@\-\u4e00-\u9fff]{1,64}")


class AccessDenied(PermissionError):
    """An action the acting person's role or towns do not allow (the message is for the user)."""


@dataclass(frozen=True)
class Principal:
    """The person acting: name, role, towns (None = every town), where from, and whether an admin
    has chosen to see personal data unmasked."""

    name: str
    role: str
    towns: tuple[str, ...] | None = None
    source: str = ""
    unmask: bool = False

    def can(self, action: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(ACTIONS[action])

    def require(self, action: str) -> None:
        if not self.can(action):
            raise AccessDenied(f"当前账号（{ROLE_LABELS[self.role]}）无权执行此操作")

    def sees_town(self, town: str | None) -> bool:
        return self.towns is None or town in self.towns

    def require_town(self, town: str) -> None:
        if not self.sees_town(town):
            raise AccessDenied(f"当前账号只能操作{'、'.join(self.towns or ())}的数据，不能操作{town}")

    @property
    def personal_visible(self) -> bool:
        return self.unmask and self.can("unmask")

    @property
    def scope(self) -> tuple[tuple[str, ...] | None, bool]:
        """What the person may read: (towns or None for all, personal data visible)."""
        return self.towns, self.personal_visible

    def with_unmask(self, unmask: bool) -> Principal:
        return replace(self, unmask=unmask and self.can("unmask"))


# Code that runs outside any sign-in (tests, library use) acts as nobody in particular: every town,
# personal data masked. The dashboard and the command line set the real person for each run.
NOBODY = Principal("", "admin", None, "", False)
_current: contextvars.ContextVar[Principal] = contextvars.ContextVar("principal", default=NOBODY)


def current() -> Principal:
    return _current.get()


def named() -> Principal | None:
    """The person set in this context (``set_current``, ``acting``), or None where nobody was: code that
    must not read as ``NOBODY`` when nobody was named (a download built on a click, in a worker thread
    outside any script run) asks this instead of ``current``."""
    return _current.get(None)


def set_current(principal: Principal) -> None:
    """Set the person acting for the rest of this thread's run (the dashboard, once per script run)."""
    _current.set(principal)


@contextmanager
def acting(principal: Principal) -> Iterator[Principal]:
    token = _current.set(principal)
    try:
        yield principal
    finally:
        _current.reset(token)


def personal_visible() -> bool:
    """Whether personal fields are shown unmasked to the person acting (an admin who chose to)."""
    return current().personal_visible
