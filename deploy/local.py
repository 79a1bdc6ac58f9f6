"""nginx from ``deploy/nginx.conf.template`` as a child process in the foreground (tests, bench).

``deploy/start.sh`` runs nginx as a daemon for people; the tests and the bench want a process they own, stop by its
pid and whose config and logs sit in a folder of theirs, so nothing here touches the system's nginx or its paths.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deploy import render


def nginx_binary() -> str:
    """nginx on PATH, or Debian's /usr/sbin/nginx (not on a normal user's PATH)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise FileNotFoundError("没有 nginx：make system-deps（Debian: apt-get install nginx）")
    return found


def stop(process: subprocess.Popen[bytes], grace: float = 10) -> None:
    """Ask ``process`` to end, and kill it when it has not within ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _chown_tree(root: Path, user: str) -> None:
    for folder, dirs, files in os.walk(root):
        for name in [folder, *(os.path.join(folder, d) for d in dirs), *(os.path.join(folder, f) for f in files)]:
            shutil.chown(name, user)


def _wait_listening(address: str, process: subprocess.Popen[bytes], error_log: Path, timeout: float = 30) -> None:
    host, _, port = address.rpartition(":")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = error_log.read_text(errors="replace") if error_log.exists() else ""
            raise RuntimeError(f"nginx exited with {process.returncode}: {detail[-2000:]}")
        with socket.socket() as sock:
            sock.settimeout(1)
            if sock.connect_ex((host or "127.0.0.1", int(port))) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nginx did not listen on {address} in {timeout}s")


@contextmanager
def nginx(site: render.Site, user: str | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Write the config for ``site`` into its run folder and run nginx on it until the block ends.

    ``user``: run nginx as this user (the run folder, with any certificate in it, is handed to them);
    a root test run passes ``"nobody"`` so that the config is proved to need no root-only path.
    """
    conf = render.write(site)
    error_log = site.run_dir / "logs" / "error.log"
    if user is not None:
        _chown_tree(site.run_dir, user)
    process = subprocess.Popen(
        [nginx_binary(), "-e", str(error_log), "-c", str(conf), "-p", str(site.run_dir), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        user=user,
    )
    try:
        _wait_listening(site.listen, process, error_log)
        yield process
    finally:
        stop(process)
