"""Who may read the files that hold data: their owner (and a group the operator grants), never every user.

The warehouse, its scratch copy and WAL, the masked per-scope copies and the users/audit database hold
every town's unmasked rows and every password hash. Made with the process's umask (022 by default) they
were readable by any account on the machine, and a load made an operator's ``chmod 600`` 644 again. So
these files are created 0600 and their folders 0700 whatever the umask, and a file written again keeps
at most the permission bits it had (never any for other users).
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

FILE = 0o600
FOLDER = 0o700
# Bits a file holding data may keep from before: its owner's and group's read and write, never other users'.
KEPT = 0o660

_lock = threading.Lock()
_holders = 0
_before = 0


@contextmanager
def umask() -> Iterator[None]:
    """While held, every file this process creates is its owner's only (umask 077).

    For what DuckDB creates on its own (a write's WAL, spill files), whose mode no call can choose.
    The umask is the process's: other threads' new files are private meanwhile too, which only
    narrows them; the first holder sets it and the last restores it, so threads don't undo each other.
    """
    global _holders, _before
    with _lock:
        if _holders == 0:
            _before = os.umask(0o077)
            os.umask(_before | 0o077)
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                os.umask(_before)


def kept_mode(path: Path) -> int:
    """The mode a new version of ``path`` gets: the old one's, less other users' bits; 0600 for a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode) & KEPT
    except FileNotFoundError:
        return FILE


def folder(path: Path) -> None:
    """Make ``path`` a folder only its owner may enter (an existing one of ours is narrowed to that)."""
    path.mkdir(mode=FOLDER, exist_ok=True)
    narrow(path, FOLDER)


def create(path: Path) -> None:
    """Create ``path`` empty and 0600 if it does not exist (before a library opens it with the umask)."""
    if path.exists():
        return
    with suppress(FileExistsError):  # made by another process a moment ago
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE))


def narrow(path: Path, allowed: int = KEPT) -> None:
    """Take away the bits of ``path`` beyond ``allowed`` (a file made before this rule; someone else's is left)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & ~allowed:
            os.chmod(path, mode & allowed)
    except (FileNotFoundError, PermissionError):
        pass
