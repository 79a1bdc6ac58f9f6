"""The 2020 report from the sample, as a word processor renders it: the .docx opened by LibreOffice
(Debian's ``libreoffice-writer-nogui``, installed by ``make test`` when missing), exported to PDF and
to HTML, and read back with poppler.

What it proves beyond python-docx reading its own XML: a real word processor opens the file, takes
its 「一、」 and 「（一）」 headings as heading levels (the navigation pane and a table of contents
work), lays out A4 pages with the seed's statements and the 【待填写】 prompts as text, and has a CJK
font for every glyph (on a PC without the _GB2312 fonts it takes the declared fallbacks; here,
fontconfig's CJK font): nothing is drawn as a missing-glyph box.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from analytics.report import docx as report_docx
from analytics.report.pack import build_pack
from analytics.semantic.periods import parse
from tests.analytics.test_report_whole import PROMPTS, SEED_STATEMENTS

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is installed by make test")


def convert(source: Path, target: str, folder: Path) -> Path:
    """``source`` converted by LibreOffice (headless, its own profile) into ``folder``."""
    profile = folder / "profile"
    subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
         "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    (out,) = folder.glob(f"{source.stem}.{target.split(':')[0]}")
    return out


@pytest.fixture(scope="module")
def rendered(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("word")
    with duckdb.connect(str(sample_db), read_only=True) as con:
        pack = build_pack(con, parse("2020"), "珠龙镇", "zh")
    source = folder / "report.docx"
    report_docx.write_docx(pack, source)
    return source, convert(source, "pdf", folder), convert(source, "html:HTML (StarWriter)", folder)


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", text)  # lines wrap anywhere in Chinese


def test_the_word_processor_lays_out_the_report_with_every_statement(rendered) -> None:
    _, pdf, _ = rendered
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None and (round(float(size.group(1))), round(float(size.group(2)))) == (595, 842)  # A4
    assert 3 <= pages <= 20, pages
    text = pdf_text(pdf)
    assert "珠龙镇2020年度法治政府建设情况报告" in text
    for statement in SEED_STATEMENTS.values():
        assert re.sub(r"\s+", "", statement) in text, statement
    for prompt in PROMPTS.values():
        assert prompt in text, prompt
    assert "数据核对" not in text  # the staff's checks stay out of the published text


def test_headings_are_heading_levels_to_the_word_processor(rendered) -> None:
    _, _, html = rendered
    page = html.read_text(encoding="utf-8", errors="replace")
    level1 = [re.sub(r"<[^>]+>|\s+", "", h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)]
    level2 = [re.sub(r"<[^>]+>|\s+", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)]
    parts = ["主要举措和成效", "存在的不足和原因", "党政主要负责人履行推进法治建设第一责任人职责情况", "工作安排"]
    for part in parts:
        assert any(part in h for h in level1), (part, level1)
    assert level2 and all(h.startswith("（") for h in level2), level2


def test_every_glyph_has_a_cjk_font(rendered) -> None:
    _, pdf, _ = rendered
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    assert any(re.search(r"CJK|Song|Hei|Kai|Fang|Ming|GB", row, re.I) for row in rows), fonts
    # a glyph no font had would come out as U+FFFD or nothing: every Chinese character of the
    # statements came back as itself above, and no replacement character is in the text
    assert "\ufffd" not in pdf_text(pdf)
