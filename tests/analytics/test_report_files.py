"""The briefing pack's files, generated from the fixture warehouse and read back with python-docx and
openpyxl: figures, headings, sheets, number formats, chart images, formula-like text kept as text,
consistency findings with both figures, and the command line in a subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from analytics.report import docx as report_docx
from analytics.report import md as report_md
from analytics.report import xlsx as report_xlsx
from analytics.report.pack import build_pack
from analytics.semantic import aggregates
from analytics.semantic.periods import parse
from tests import fixture_db

ROOT = Path(__file__).resolve().parents[2]
HAS_CHROMIUM = os.path.exists("/usr/bin/chromium") or bool(os.environ.get("BROWSER_PATH"))
needs_chromium = pytest.mark.skipif(not HAS_CHROMIUM, reason="chart images need a Chrome (/usr/bin/chromium)")

FORMULA_TITLE = "=1+1"
FORMULA_DOC_NO = "@SUM(A1)"


@pytest.fixture(scope="module")
def pack_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture plus formula-like text, a named party, a disagreeing summary row and a mistyped rate."""
    path = fixture_db.build(tmp_path_factory.mktemp("pack") / "pack.duckdb")
    con = duckdb.connect(str(path))
    con.execute(f"""INSERT INTO documents (load_id, town, source_file, sheet, excel_row, doc_no, title, issued_date,
                    reviewed, published, filed, filed_date, filing_days, filing_working_days) VALUES
        (1, '珠龙镇', 'fixture.xlsx', '文件', 50, '{FORMULA_DOC_NO}', '{FORMULA_TITLE}', DATE '2020-12-01', true, true,
         true, DATE '2020-12-05', 4, 4)""")
    con.execute("UPDATE disputes SET parties = '王小明、-李四' WHERE sheet = '2020年' AND excel_row = 4")
    # summary says 561 disputes for 2020 where the ledger has 560
    con.execute("""INSERT INTO dispute_summaries VALUES
        (1, '珠龙镇', 'fixture.xlsx', '汇总', 5, '2020', DATE '2020-01-01', DATE '2021-01-01', 561, 156, 404, 3, 552, NULL, NULL, NULL)""")
    # 2019 document summary: 2,784/2,872 typed as 96.7% (really 96.94%)
    con.execute("""INSERT INTO document_summaries VALUES
        (1, '珠龙镇', 'fixture.xlsx', '文件汇总', 4, '2019', DATE '2019-01-01', DATE '2020-01-01',
         2872, 2784, 2872, 2872, 2872, 0.967, 1.0, 1.0)""")
    aggregates.refresh(con)  # rows changed by SQL: rebuild what the ETL would
    con.close()
    return path


@pytest.fixture(scope="module")
def pack(pack_db: Path):
    con = duckdb.connect(str(pack_db), read_only=True)
    yield build_pack(con, parse("2020"), "珠龙镇", "zh"), con
    con.close()


def _docx_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_consistency_lists_both_figures(pack):
    built, _ = pack
    messages = [f.message("zh") for f in built.findings]
    ledger = [f for f in built.findings if f.kind == "summary_vs_ledger"]
    assert [(f.item, f.reported, f.computed) for f in ledger] == [("排查数", 561.0, 560.0)]
    assert any("汇总表561，台账560" in m for m in messages)
    rate = [f for f in built.findings if f.kind == "rate_vs_counts"]
    assert [(f.item, f.reported, round(f.computed, 4)) for f in rate] == [("合法性审查率", 0.967, 0.9694)]
    assert any("汇总表填报96.7%" in m and "2,784/2,872" in m and "96.94%" in m for m in messages)


def test_docx_without_charts(pack, tmp_path: Path):
    built, _ = pack
    target = tmp_path / "report.docx"
    report_docx.write_docx(built, target)
    document = Document(str(target))
    text = _docx_text(document)
    assert (
        "2020年全镇共排查出矛盾纠纷560件，其中书面调解156件，口头调解404件，其中联合调解3件，调解率为98.6%，同比上升2.6个百分点。"
        in text
    )
    # issue 14: the four parts of the 2019 rules in Word's heading styles, the table as an annex after
    # the signature, and no data-consistency section in the published document
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "一、主要举措和成效"),
        ("Heading 2", "（一）规范性文件管理情况"),
        ("Heading 2", "（二）学法培训和执法人员管理情况"),
        ("Heading 2", "（三）矛盾纠纷排查调处情况"),
        ("Heading 1", "二、存在的不足和原因"),
        ("Heading 1", "三、党政主要负责人履行推进法治建设第一责任人职责情况"),
        ("Heading 1", "四、下一年度工作安排"),
        ("Heading 1", "附件1　主要指标情况"),
    ]
    assert document.paragraphs[0].text == "珠龙镇2020年度法治政府建设情况报告"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [37, 35, 28, 26]
    title_fonts = document.paragraphs[0].runs[0]._r.rPr.rFonts
    assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("2020年全镇共排查出"))
    assert body.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "本期", "上年同期", "同比", "目标", "状态"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["调解率"] == ["调解率", "98.6%", "96.0%", "+2.6个百分点", "≥95%", "达标"]
    assert rows["矛盾纠纷排查数"][1:4] == ["560件", "500件", "+12%（+60件）"]
    assert "汇总表561" not in text and "96.94%" not in text and "数据核对" not in text  # for staff: xlsx, page
    assert len(document.inline_shapes) == 0


@needs_chromium
def test_docx_with_chart_images(pack, tmp_path: Path):
    built, _ = pack
    images = report_docx.pack_images(built)
    assert [title[:3] for title, _ in images] == ["矛盾纠", "调解率", "规范性", "执法人"]
    for _, png in images:
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    target = tmp_path / "report.docx"
    report_docx.write_docx(built, target, images)
    document = Document(str(target))
    assert len(document.inline_shapes) == 4
    media = [n for n in zipfile.ZipFile(target).namelist() if n.startswith("word/media/")]
    assert len(media) == 4 and all(n.endswith(".png") for n in media)
    assert "图1　矛盾纠纷调解方式（2020年共560件）" in _docx_text(document)
    assert "数据核对" not in _docx_text(document)
    assert "附件2　主要指标图表" in _docx_text(document)


@needs_chromium
def test_figure_png_for_pages():
    import plotly.graph_objects as go

    from analytics.report.images import figure_png

    fig = go.Figure(go.Bar(x=["2019", "2020"], y=[500, 560]))
    fig.update_layout(title="矛盾纠纷排查数", width=400, height=300)
    png = figure_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # scale 2: the PNG is twice the layout size (width at bytes 16-20, height at 20-24)
    assert int.from_bytes(png[16:20], "big") == 800 and int.from_bytes(png[20:24], "big") == 600


def test_xlsx(pack, tmp_path: Path):
    built, con = pack
    target = tmp_path / "report.xlsx"
    report_xlsx.write_xlsx(built, con, target)
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == [
        "指标",
        "年度趋势-矛盾纠纷",
        "年度趋势-规范性文件",
        "年度趋势-学法培训",
        "明细-矛盾纠纷",
        "明细-规范性文件",
        "明细-学法培训",
        "数据核对",
    ]
    card = wb["指标"]
    assert card.freeze_panes == "B2"
    rows = {r[1].value: r for r in card.iter_rows(min_row=2)}
    rate = rows["mediation_success_rate"]
    assert rate[0].value == "调解率"
    assert rate[3].value == pytest.approx(552 / 560) and rate[3].number_format == "0.0%"
    assert (rate[4].value, rate[5].value) == (552, 560)
    assert rate[6].value == pytest.approx(0.96) and rate[6].number_format == "0.0%"
    assert rate[9].value == pytest.approx(2.5714, abs=1e-4)
    assert rate[11].value == "达标"
    total = rows["disputes_total"]
    assert (total[3].value, total[6].value, total[7].value) == (560, 500, 60)
    assert total[8].value == pytest.approx(0.12) and total[8].number_format == "0.0%"
    trend = list(wb["年度趋势-矛盾纠纷"].iter_rows(values_only=True))
    assert trend[0][:2] == ("期间", "矛盾纠纷排查数")
    assert [r[0] for r in trend[1:]] == ["2017", "2018", "2019", "2020"]
    assert trend[-1][1] == 560 and wb["年度趋势-矛盾纠纷"]["G5"].number_format == "0.0%"
    disputes = wb["明细-矛盾纠纷"]
    assert disputes.max_row == 561 and disputes.freeze_panes == "B2"
    header = [c.value for c in disputes[1]]
    parties = [r[header.index("当事人")] for r in disputes.iter_rows(min_row=2, values_only=True)]
    assert "王**、-**" in parties and not any("王小明" in str(p) for p in parties)
    assert wb["明细-规范性文件"].max_row == 10
    assert wb["数据核对"].max_row == 3


def test_formula_like_text_stays_text(pack, tmp_path: Path):
    built, con = pack
    target = tmp_path / "report.xlsx"
    report_xlsx.write_xlsx(built, con, target)
    wb = openpyxl.load_workbook(target)
    sheet = wb["明细-规范性文件"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("文件名称")].value == "'" + FORMULA_TITLE)
    for cell, expected in ((row[header.index("文件名称")], FORMULA_TITLE), (row[header.index("文号")], FORMULA_DOC_NO)):
        assert cell.data_type == "s" and cell.value == "'" + expected
    masked = next(r for r in wb["明细-矛盾纠纷"].iter_rows(min_row=2) if str(r[10].value).startswith("王"))
    assert masked[10].data_type == "s"
    with zipfile.ZipFile(target) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any("<f>" in z.read(n).decode("utf-8") for n in sheets)


def test_markdown_and_json(pack):
    built, _ = pack
    markdown = report_md.to_markdown(built)
    assert markdown.startswith("# 珠龙镇2020年度法治政府建设情况报告")
    assert "## 一、主要举措和成效" in markdown and "### （三）矛盾纠纷排查调处情况" in markdown
    assert "数据核对" not in markdown and "汇总表561" not in markdown
    assert "| 调解率 | 98.6% | 96.0% | +2.6个百分点 | ≥95% | 达标 |" in markdown
    data = json.loads(report_md.to_json(built))
    assert data["period"]["id"] == "2020" and data["town"] == "珠龙镇"
    assert data["scorecard"]["mediation_success_rate"]["numerator"] == 552
    disputes = next(s for s in data["sections"] if s["id"] == "disputes")
    assert disputes["paragraphs"][0].startswith("2020年全镇共排查出矛盾纠纷560件")
    assert any(f["kind"] == "rate_vs_counts" for f in data["consistency"])


def _cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DASHBOARD_DB": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "analytics", "report", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli(pack_db: Path, tmp_path: Path):
    out = tmp_path / "pack.docx"
    done = _cli("--period", "2020H2", "--town", "珠龙镇", "--format", "docx", "--no-charts", "-o", str(out), db=pack_db)
    assert done.returncode == 0, done.stderr
    assert "2020年下半年全镇共排查出矛盾纠纷281件" in _docx_text(Document(str(out)))
    xlsx = tmp_path / "pack.xlsx"
    assert _cli("--period", "2020", "-o", str(xlsx), db=pack_db).returncode == 0
    assert openpyxl.load_workbook(xlsx)["指标"]["A2"].value == "矛盾纠纷排查数"
    shown = _cli("--period", "2020", "--format", "json", db=pack_db)
    assert json.loads(shown.stdout)["scorecard"]["disputes_total"]["value"] == 560
    bad = _cli("--period", "2020H3", "--format", "md", "-o", str(tmp_path / "x.md"), db=pack_db)
    assert bad.returncode == 1 and "无法识别的期间" in bad.stderr and not (tmp_path / "x.md").exists()
    unwritable = _cli("--period", "2020", "--format", "md", "-o", str(tmp_path / "missing" / "x.md"), db=pack_db)
    assert unwritable.returncode == 1 and "不存在" in unwritable.stderr
    town = _cli("--period", "2020", "--town", "无名镇", "--format", "md", db=pack_db)
    assert town.returncode == 1 and "无名镇" in town.stderr


def test_docx_bytes_open(pack):
    built, _ = pack
    document = Document(io.BytesIO(report_docx.docx_bytes(built)))
    texts = [p.text for p in document.paragraphs]
    # issue 14: signed with the report date (default the end of January after the year), not the day it was made
    signature = texts.index("珠龙镇人民政府")
    assert texts[signature + 1] == "2021年1月31日"
