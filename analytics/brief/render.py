"""An HTML page to an A4 PDF or PNG with headless Chromium (Debian's ``chromium``, as kaleido uses).

The command-line browser needs no Python package: ``--print-to-pdf`` prints with the page's own
``@page`` rule (A4 portrait, no margins, no header or footer) and embeds the fonts it used, so the
Chinese is in the file; ``--screenshot`` at 794 × 1123 CSS px (A4 at 96 dpi), twice the pixel
density, gives the PNG. Each run gets its own profile folder, so it never collides with kaleido's
browser or another export.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

A4_CSS_PX = (794, 1123)
TIMEOUT_S = 60
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--run-all-compositor-stages-before-draw",
)


class RenderError(RuntimeError):
    """The browser is missing or could not render the page (message in Chinese)."""


def chromium() -> str:
    """The browser: ``BROWSER_PATH`` if set, else chromium on PATH (Debian's /usr/bin/chromium)."""
    named = os.environ.get("BROWSER_PATH")
    found = named if named and Path(named).exists() else None
    found = found or shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        raise RenderError("找不到 Chromium 浏览器（Debian：apt-get install chromium fonts-noto-cjk），无法生成简报")
    return found


def _run(html: str, output_flag: str, extra: tuple[str, ...], suffix: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="brief-") as folder:
        page = Path(folder) / "brief.html"
        page.write_text(html, encoding="utf-8")
        out = Path(folder) / f"brief.{suffix}"
        command = [
            chromium(),
            *FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            *extra,
            f"{output_flag}={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RenderError(f"浏览器在 {TIMEOUT_S} 秒内没有完成简报") from exc
        if not out.exists() or out.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise RenderError(f"浏览器没有生成简报（退出码 {done.returncode}）：{detail[0]}")
        return out.read_bytes()


def pdf(html: str) -> bytes:
    """The page printed as PDF (its ``@page`` rule sets A4 portrait)."""
    return _run(html, "--print-to-pdf", ("--no-pdf-header-footer", "--print-to-pdf-no-header"), "pdf")


def png(html: str) -> bytes:
    """The page as a PNG of one A4 sheet at 2× (1588 × 2246 px)."""
    width, height = A4_CSS_PX
    return _run(html, "--screenshot", (f"--window-size={width},{height}", "--force-device-scale-factor=2"), "png")


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF has: its ``/Type /Page`` objects (Chromium writes no object streams)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
