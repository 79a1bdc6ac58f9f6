"""``make screenshots``: every page, zh and en, at 1440 and 390 px wide and printed on A4, and the A4 brief.

    python -m tests.browser.screenshots [--out artifacts/screenshots] [--period 2020] [--only overview,report]

Loads the bundled sample ledgers (``data/sample``, through the real ETL) into a scratch warehouse,
serves the dashboard as the local demo (``DASHBOARD_AUTH=off`` on 127.0.0.1, today pinned), and
drives Debian's Chromium through Playwright:

- ``<page>_<lang>_1440.png`` and ``<page>_<lang>_390.png``: the whole page (the window is made as tall
  as the page, since Streamlit scrolls inside its own container);
- ``print/<page>_<lang>.pdf`` (and ``print/<page>_<lang>-<n>.png`` per sheet when poppler's
  ``pdftoppm`` is installed): the page printed with print media on A4 portrait;
- ``brief_<period>_<lang>.pdf`` / ``.png``: ``python -m analytics brief``.

Not a test: a set of pictures to look at (the review of issue 15). Pages that raise are listed at the end
and make the exit status 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("overview", "mediation", "documents", "training", "cases", "disclosures", "work", "report", "explore",
         "data", "admin")  # fmt: skip
WIDTHS = (1440, 390)
LANGS = ("zh", "en")
MAX_HEIGHT = 12_000  # px: a page taller than this is cut (the table pages of a province would be)


def build_warehouse(folder: Path) -> Path:
    """The sample ledgers loaded through the real ETL into a scratch warehouse."""
    from etl.load import load_file

    path = folder / "warehouse.duckdb"
    for workbook in sorted((ROOT / "data" / "sample").glob("*.xlsx")):
        load_file(workbook, path)
    return path


def wait_rendered(page: object, timeout: float = 120_000) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0", timeout=timeout
    )
    page.wait_for_timeout(1200)  # type: ignore[attr-defined]  # plotly's last layout pass


def whole_page(page: object, width: int) -> None:
    """Make the window as tall as the page's content, so one screenshot holds all of it."""
    height = page.evaluate(  # type: ignore[attr-defined]
        """() => Math.max(...['stMain', 'stAppViewContainer', 'stMainBlockContainer'].map(
             id => (document.querySelector(`[data-testid='${id}']`) || {scrollHeight: 0}).scrollHeight))"""
    )
    page.set_viewport_size({"width": width, "height": int(min(max(height, 700), MAX_HEIGHT))})  # type: ignore[attr-defined]
    page.wait_for_timeout(800)  # type: ignore[attr-defined]


def pdf_pictures(pdf: Path) -> None:
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(pdf.with_suffix(""))], check=False)


def shoot(url: str, out: Path, pages: tuple[str, ...], period: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    from bench.pages import CHROMIUM, CHROMIUM_ARGS

    problems: list[str] = []
    (out / "print").mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for name in pages:
                for lang in LANGS:
                    link = f"{url}/{name}?lang={lang}&kind={'half' if 'H' in period else 'year'}&period={period}"
                    for width in WIDTHS:
                        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
                        tab = context.new_page()
                        tab.goto(link)
                        # the router has run the whole script once it has written the view into the address
                        # (a fresh server's first page reruns through the router: pages/view.py)
                        tab.wait_for_function("() => location.search.includes('town=')", timeout=120_000)
                        wait_rendered(tab)
                        if tab.locator("[data-testid='stException']").count():
                            problems.append(f"{name} {lang} {width}: exception on the page")
                        whole_page(tab, width)
                        tab.screenshot(path=str(out / f"{name}_{lang}_{width}.png"))
                        if width == WIDTHS[0]:
                            # print as a browser does: laid out at the paper's width (A4 at 96 dpi)
                            tab.set_viewport_size({"width": 794, "height": 1123})
                            tab.emulate_media(media="print")
                            tab.wait_for_timeout(1500)  # charts and grids redraw and are fitted again
                            pdf = out / "print" / f"{name}_{lang}.pdf"
                            tab.pdf(path=str(pdf), format="A4", print_background=True)
                            pdf_pictures(pdf)
                        context.close()
                        print(f"  {name} {lang} {width}", flush=True)
        finally:
            browser.close()
    return problems


def briefs(db: Path, out: Path, period: str) -> list[str]:
    problems = []
    for lang in LANGS:
        for kind in ("pdf", "png"):
            target = out / f"brief_{period}_{lang}.{kind}"
            done = subprocess.run(
                [sys.executable, "-m", "analytics", "--db", str(db), "brief", "--period", period, "--lang", lang,
                 "-o", str(target)],
                cwd=ROOT, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                problems.append(f"brief {lang} {kind}: {done.stderr.strip()[-300:]}")
        if (out / f"brief_{period}_{lang}.pdf").exists():
            pdf_pictures(out / f"brief_{period}_{lang}.pdf")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.browser.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "artifacts" / "screenshots"))
    parser.add_argument("--period", default="2020")
    parser.add_argument("--only", help="comma-separated pages (default: every page)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = tuple(args.only.split(",")) if args.only else PAGES
    os.environ.setdefault("DASHBOARD_TODAY", "2026-11-28")
    from bench.pages import serve

    with tempfile.TemporaryDirectory(prefix="screenshots-") as scratch:
        db = build_warehouse(Path(scratch))
        print(f"briefs and pages of {args.period} into {out}", flush=True)
        problems = briefs(db, out, args.period)
        with serve(ROOT / "dashboard.py", db) as (url, _process):
            problems += shoot(url, out, pages, args.period)
    for problem in problems:
        print(f"PROBLEM {problem}", file=sys.stderr)
    print(f"{len(list(out.rglob('*.png')))} pictures and {len(list(out.rglob('*.pdf')))} PDFs in {out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
