"""The pack as a Word document in the conventions of a Chinese government report.

A4, margins 上37mm 下35mm 左28mm 右26mm; title in 方正小标宋简体 (2号, 22pt), body in 仿宋_GB2312
(3号, 16pt) at a fixed 28pt line spacing with a two-character first-line indent, section headings
一、二、… in 黑体; page numbers "— 1 —" centred in the footer. Each run names its Chinese font through
``w:eastAsia`` (the ``name`` python-docx sets covers only Latin text) and a Latin font beside it, so
Word and WPS use the Chinese font for CJK characters and substitute their own 仿宋/黑体 where the
GB2312 fonts are not installed.

Then the scorecard table (指标, 本期, 上年同期, 同比, 目标, 状态), the key charts as images and the
consistency section.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from analytics.present import fmt
from analytics.present.text import language
from analytics.report.pack import Pack
from analytics.report.text import numbered_heading, rate_text
from analytics.semantic.catalogue import METRICS

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四
LINE = Pt(28)
MISSED_RED = RGBColor(0xC6, 0x28, 0x28)


def _fonts(run_or_style: Any, east_asia: str, size: Pt | None = None, bold: bool = False) -> None:
    """Latin and East Asian fonts of a run or style (python-docx's ``font.name`` sets only Latin)."""
    font = run_or_style.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)


def _page(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    _page_number_footer(section.footer.paragraphs[0])


def _page_number_footer(paragraph: Paragraph) -> None:
    """ "— 1 —" centred: a PAGE field between two dashes."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run("— "), BODY_FONT, Pt(14))
    run = paragraph.add_run()
    _fonts(run, BODY_FONT, Pt(14))
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)  # noqa: SLF001 - python-docx has no field API
    _fonts(paragraph.add_run(" —"), BODY_FONT, Pt(14))


def _para(
    doc: DocumentType,
    text: str,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    bold: bool = False,
    align: int | None = None,
    indent: bool = True,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align  # type: ignore[assignment]
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
    run = paragraph.add_run(text)
    _fonts(run, font, size, bold)
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def _heading(doc: DocumentType, text: str) -> Paragraph:
    return _para(doc, text, HEADING_FONT, BODY_SIZE)


class _Numbers:
    """一、二、… across the text's own sections and the appended ones."""

    def __init__(self) -> None:
        self.n = 0

    def next(self, heading: str, lang: str) -> str:
        self.n += 1
        return numbered_heading(self.n, heading, lang)


TABLE_COLUMNS = ("metric", "value", "previous", "change", "target", "status")  # common.* keys


def table_header(lang: str) -> list[str]:
    """指标, 本期, 上年同期, 同比, 目标, 状态 (shared by the docx and md renderers)."""
    say = language(lang)
    return [say(f"common.{k}") for k in TABLE_COLUMNS]


def _value(row: dict[str, Any], key: str, lang: str, metric_id: str) -> str:
    """A value as the report text writes it (rates with one decimal: 96.0%)."""
    if row["unit"] == "rate":
        return rate_text(row[key], lang)
    return fmt.value(row["unit"], row[key], lang, metric_id)


def scorecard_rows(pack: Pack) -> list[list[str]]:
    """The scorecard as text rows (指标, 本期, 上年同期, 同比, 目标, 状态), metrics with no data on
    either side left out. Shared by the docx and md renderers."""
    lang = pack.lang
    reported = language(lang)("report.table.reported")
    rows = []
    for metric in METRICS:
        row = pack.card["metrics"][metric.id]
        if row["value"] is None and row["previous"] is None:
            continue
        value = _value(row, "value", lang, metric.id)
        if row["source"] in ("summary", "reported"):
            value += reported
        change = ""
        if row["value"] is not None and row["previous"] is not None:
            change = fmt.change(row["unit"], row["change"], row["change_pct"], row["change_pp"], lang, metric.id)
        rows.append(
            [
                row["label"],
                value,
                _value(row, "previous", lang, metric.id),
                change or "—",
                fmt.target(row["unit"], row["target_op"], row["target"], lang, metric.id),
                fmt.status_label(row["status"], lang),
            ]
        )
    return rows


def _table(doc: DocumentType, pack: Pack) -> None:
    caption = language(pack.lang)(
        "report.table_caption",
        period=pack.period.label(pack.lang),
        previous=pack.period.previous_year().label(pack.lang),
    )
    _para(doc, caption, HEADING_FONT, Pt(14), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    header = table_header(pack.lang)
    rows = scorecard_rows(pack)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    missed = fmt.status_label("missed", pack.lang)
    for cells, values, bold in [(table.rows[0].cells, header, True)] + [
        (table.add_row().cells, r, False) for r in rows
    ]:
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(value)
            _fonts(run, HEADING_FONT if bold else BODY_FONT, TABLE_SIZE, bold)
            if not bold and index == 5 and value == missed:
                run.font.color.rgb = MISSED_RED
    widths = (Mm(42), Mm(24), Mm(24), Mm(30), Mm(18), Mm(16))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _charts(doc: DocumentType, images: list[tuple[str, bytes]], lang: str) -> None:
    say = language(lang)
    for number, (title, png) in enumerate(images, 1):
        doc.add_picture(io.BytesIO(png), width=Mm(150))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.paragraphs[-1].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        doc.paragraphs[-1].paragraph_format.first_line_indent = Pt(0)
        _para(
            doc,
            say("report.figure", n=number, title=title),
            SUBHEADING_FONT,
            Pt(14),
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )


def _signature(doc: DocumentType, pack: Pack) -> None:
    say = language(pack.lang)
    doc.add_paragraph()
    if pack.town or len(pack.towns) == 1:
        _para(doc, say("report.org", town=pack.town_label), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    day = pack.generated
    date_text = say("report.date", year=day.year, month=day.month, day=day.day, iso=day.isoformat())
    _para(doc, date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def build_document(pack: Pack, images: list[tuple[str, bytes]] | None = None) -> DocumentType:
    """The Word document of a pack; ``images`` are (title, PNG bytes) in order, None for none."""
    lang = pack.lang
    say = language(lang)
    doc = Document()
    _page(doc)
    _para(doc, pack.text.title, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, pack.text.subtitle, SUBHEADING_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    doc.add_paragraph()
    numbers = _Numbers()
    for section in pack.text.sections:
        _heading(doc, numbers.next(section.heading, lang))
        for paragraph in section.paragraphs:
            _para(doc, paragraph)
    _heading(doc, numbers.next(say("report.section.table"), lang))
    _table(doc, pack)
    if images:
        _heading(doc, numbers.next(say("report.section.charts"), lang))
        _charts(doc, images, lang)
    _heading(doc, numbers.next(say("report.section.consistency"), lang))
    if pack.findings:
        _para(doc, say("report.findings_intro", n=len(pack.findings)))
        for number, finding in enumerate(pack.findings, 1):
            _para(doc, say("report.finding", number=number, message=finding.message(lang)))
    else:
        _para(doc, say("report.no_findings"))
    _signature(doc, pack)
    return doc


def write_docx(pack: Pack, target: str | Path | IO[bytes], images: list[tuple[str, bytes]] | None = None) -> None:
    build_document(pack, images).save(target)  # type: ignore[arg-type]


def docx_bytes(pack: Pack, images: list[tuple[str, bytes]] | None = None) -> bytes:
    buffer = io.BytesIO()
    write_docx(pack, buffer, images)
    return buffer.getvalue()


def pack_images(pack: Pack) -> list[tuple[str, bytes]]:
    """The pack's key charts rendered to PNG (one browser for all), as (title, bytes)."""
    from analytics.report.images import chart_pngs, pack_charts

    charts = pack_charts(pack)
    pngs = chart_pngs(charts)
    return [(c.title, pngs[c.key]) for c in charts]
