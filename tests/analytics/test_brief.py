"""The one-page A4 brief (简报): its figures and 需要关注 lines, text from data escaped, and — with
Debian's Chromium — a PDF of exactly one A4 page with its fonts embedded, a PNG of one A4 sheet,
and ``python -m analytics brief`` in a subprocess."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.brief import brief_bytes, page, render
from analytics.semantic.periods import parse

ROOT = Path(__file__).resolve().parents[2]
HAS_CHROMIUM = os.path.exists("/usr/bin/chromium") or bool(os.environ.get("BROWSER_PATH"))
needs_chromium = pytest.mark.skipif(not HAS_CHROMIUM, reason="the brief is rendered by Chromium (/usr/bin/chromium)")
TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def con(sample_db: Path):
    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


def test_the_brief_holds_the_2020_figures_and_the_data_coverage(con) -> None:
    brief = page.build(con, parse("2020"), None, "zh", today=TODAY, charts=False)
    html = page.document(brief)
    assert "珠龙镇2020年法治政府建设简报" in html
    assert "560件" in html and "98.6%" in html and "+2.6个百分点" in html
    assert "数据截至2020年12月31日" in html  # the period has ended and the data reach its end
    assert "本期所有有目标的指标均已达标" in html  # 2020 missed nothing
    assert html.count('class="kpi ') == len(page.HEADLINE)


def test_missed_targets_are_listed_with_their_figures(con) -> None:
    brief = page.build(con, parse("2025"), None, "zh", today=TODAY, charts=False)
    lines = page.attention(brief.card, "zh")
    assert "公开率：83.3%，目标≥100%（上年同期100%）" in lines
    assert all(re.search(r"\d", line) for line in lines)
    assert 'class="kpi s-box-missed"' in page.document(brief)  # 持证上岗率 95% against 100%


def test_english_brief_has_no_chinese_outside_data(con) -> None:
    brief = page.build(con, parse("2020H2"), None, "en", today=TODAY, charts=False)
    html = page.document(brief).replace(brief.town_label, "")
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    assert not re.findall(r"[\u3400-\u9fff，。：；（）]", body)
    assert "Rule-of-law brief" in body and "compared with 2019 H2" in body


def test_text_from_data_is_escaped(con) -> None:
    brief = page.build(con, parse("2020"), None, "zh", today=TODAY, charts=False)
    hostile = dataclasses.replace(brief, town_label='<script>alert(1)</script><img src=x onerror="x()">')
    html = page.document(hostile)
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@needs_chromium
@pytest.mark.parametrize(("period", "lang"), [("2025", "zh"), ("2020", "en")])
def test_the_pdf_is_one_a4_page_with_embedded_fonts(con, period: str, lang: str) -> None:
    brief = page.build(con, parse(period), None, lang, today=TODAY)
    assert [svg.lstrip().startswith("<svg") for _, svg in brief.charts] == [True, True, True]
    data = render.pdf(page.document(brief))
    assert data.startswith(b"%PDF")
    assert render.pdf_pages(data) == 1
    width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data).groups())  # type: ignore[union-attr]
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 portrait in points
    assert b"/FontFile" in data or b"/Type3" in data  # glyphs travel with the file


@needs_chromium
def test_the_png_is_one_a4_sheet(con) -> None:
    from PIL import Image

    data = brief_bytes(con, parse("2020"), None, "zh", "png", today=TODAY)
    image = Image.open(io.BytesIO(data))
    assert image.size == (1588, 2246)  # 210 × 297 mm at 96 dpi, twice the pixels
    assert len(image.convert("L").resize((40, 56)).getcolors(4096) or []) > 20  # drawn, not blank


def test_render_counts_pages() -> None:
    two = b"%PDF-1.4 1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] >> 2 0 obj << /Type /Page >> 3 0 obj <</Type/Page>>"
    assert render.pdf_pages(two) == 2


@needs_chromium
def test_cli(sample_db: Path, tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "analytics", "--db", str(sample_db), "brief", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )

    out = tmp_path / "简报.pdf"
    done = cli("--period", "2020H2", "--town", "珠龙镇", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert render.pdf_pages(out.read_bytes()) == 1
    png = tmp_path / "brief.png"
    assert cli("--period", "2020", "--lang", "en", "-o", str(png)).returncode == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    wrong = cli("--period", "2020", "-o", str(tmp_path / "brief.docx"))
    assert wrong.returncode == 1 and "pdf" in wrong.stderr and not (tmp_path / "brief.docx").exists()
    town = cli("--period", "2020", "--town", "无名镇", "-o", str(tmp_path / "x.pdf"))
    assert town.returncode == 1 and "无名镇" in town.stderr
    bad = cli("--period", "2020H3", "-o", str(tmp_path / "y.pdf"))
    assert bad.returncode == 1 and "无法识别的期间" in bad.stderr
