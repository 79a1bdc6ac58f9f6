"""The pack as a Word document in the conventions of a Chinese government report (GB/T 9704 habits).

A4, margins 上37mm 下35mm 左28mm 右26mm; title in 方正小标宋简体 (2号, 22pt), body in 仿宋_GB2312
(3号, 16pt) at a fixed 28pt line spacing with a two-character first-line indent; the parts 一、二、…
in 黑体 and the areas （一）（二）… in 楷体_GB2312, as Word's own "Heading 1" and "Heading 2" styles so
the navigation pane and a table of contents work; page numbers "— 1 —" centred in the footer; the
signature (珠龙镇人民政府) and the report date the user set. 【待填写】 prompts are highlighted.

Fonts: each run and style names its Chinese font through ``w:eastAsia`` (python-docx's ``font.name``
sets only the Latin slots) beside a Latin font; the document defaults (``w:docDefaults``) name them
too, so nothing falls back to the template's theme fonts. A PC without the _GB2312 fonts (most
Windows installs since Vista) substitutes from the font table (``word/fontTable.xml``): each Chinese
font is declared there with ``w:altName`` (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 →
宋体), GB2312's charset (86) and its PANOSE class, which is what Word and WPS read to pick a substitute.

After the signature, on a new page, the annexes: 附件1 the scorecard table (指标, 本期, 上年同期, 同比,
目标, 状态) and 附件2 the key charts as images, each with one caption (the image carries no title of
its own). The data-consistency findings are for staff and are not part of the published document
(they are in the .xlsx and on the 报告 page).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from analytics.present import fmt, safe
from analytics.present.text import language
from analytics.report.pack import Pack
from analytics.report.text import org, rate_text
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
BLACK = RGBColor(0, 0, 0)
HEADING_STYLES = {1: ("Heading 1", HEADING_FONT), 2: ("Heading 2", SUBHEADING_FONT)}
# Substitutes declared in the font table for PCs without a font: (altName, PANOSE-1, family, pitch).
# PANOSE family 2 (Latin text), serif style 1, weight 6, proportion 9 (monospaced: CJK) is how Windows
# describes 仿宋/楷体/黑体; GB2312's charset is 0x86.
FONT_FALLBACKS = {
    BODY_FONT: ("仿宋", "02010609060101010101", "modern", "fixed"),
    SUBHEADING_FONT: ("楷体", "02010609060101010101", "modern", "fixed"),
    HEADING_FONT: ("SimHei", "02010609060101010101", "modern", "fixed"),
    TITLE_FONT: ("宋体", "02010600030101010101", "auto", "variable"),
    "仿宋": ("FangSong", "02010609060101010101", "modern", "fixed"),
    "楷体": ("KaiTi", "02010609060101010101", "modern", "fixed"),
}
THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")


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
    _name_fonts(rfonts, east_asia)


def _name_fonts(rfonts: Any, east_asia: str) -> None:
    """An ``w:rFonts`` naming the Chinese and Latin fonts, with the theme's fonts taken off (a theme
    attribute wins over a named font in Word)."""
    for attribute in THEME_FONT_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:cs"), LATIN_FONT)


def _document_defaults(doc: DocumentType) -> None:
    """``w:docDefaults``: body fonts, 16pt, Chinese as the East Asian language, fixed 28pt lines."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _name_fonts(rpr.find(qn("w:rFonts")), BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), str(int(LINE.pt * 20)))
        spacing.set(qn("w:lineRule"), "exact")


def _font_table(doc: DocumentType) -> None:
    """Declare each Chinese font with its substitute (``w:altName``), charset and PANOSE class."""
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    fonts = parse_xml(part.blob)
    for name, (alt, panose, family, pitch) in FONT_FALLBACKS.items():
        for old in fonts.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                fonts.remove(old)
        font = OxmlElement("w:font", {qn("w:name"): name})
        for tag, value in (
            ("w:altName", alt),
            ("w:panose1", panose),
            ("w:charset", "86"),
            ("w:family", family),
            ("w:pitch", pitch),
        ):
            font.append(OxmlElement(tag, {qn("w:val"): value}))
        fonts.append(font)
    from lxml import etree

    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)  # noqa: SLF001 - python-docx keeps the font table as an opaque part


def _heading_styles(doc: DocumentType) -> None:
    """Word's Heading 1/2 restyled as an official document's 一、(黑体) and （一）(楷体) headings."""
    for level, (name, font) in HEADING_STYLES.items():
        style = doc.styles[name]
        _fonts(style, font, BODY_SIZE)
        style.font.color.rgb = BLACK
        style.font.italic = False
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:bCs", "w:color"):
            for element in rpr.findall(qn(tag)):
                if tag == "w:bCs":
                    rpr.remove(element)
                else:
                    for attribute in ("w:themeColor", "w:themeShade"):
                        element.attrib.pop(qn(attribute), None)
        fmt_ = style.paragraph_format
        fmt_.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt_.line_spacing = LINE
        fmt_.space_before = Pt(0)
        fmt_.space_after = Pt(0)
        fmt_.first_line_indent = Pt(BODY_SIZE.pt * 2)
        fmt_.keep_with_next = True
        assert level in (1, 2)


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
    _document_defaults(doc)
    _heading_styles(doc)
    _font_table(doc)
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
    run = paragraph.add_run(safe.plain(text))
    _fonts(run, font, size, bold)
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def _heading(doc: DocumentType, text: str, level: int = 1) -> Paragraph:
    """A heading in Word's heading style (the style carries the font, size and spacing)."""
    name, font = HEADING_STYLES[level]
    paragraph = doc.add_paragraph(style=name)
    _fonts(paragraph.add_run(safe.plain(text)), font, BODY_SIZE)
    return paragraph


def _body(doc: DocumentType, text: str, todo_mark: str) -> Paragraph:
    """A body paragraph; a 【待填写】 prompt is highlighted so it is not sent as it is."""
    paragraph = _para(doc, text)
    if todo_mark in text:
        for run in paragraph.runs:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return paragraph


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
            run = paragraph.add_run(safe.plain(value))
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
        _para(doc, org(pack.town_label, pack.lang), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    day = pack.report_date
    date_text = say("report.date", year=day.year, month=day.month, day=day.day, iso=day.isoformat())
    _para(doc, date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def _annex(doc: DocumentType, number: int, heading: str, lang: str, new_page: bool) -> None:
    """ "附件1　主要指标情况" on a new page, as a Heading 1 (so it shows in the navigation pane)."""
    if new_page:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    paragraph = _heading(doc, language(lang)("report.annex", n=number, heading=heading))
    paragraph.paragraph_format.first_line_indent = Pt(0)


def build_document(pack: Pack, images: list[tuple[str, bytes]] | None = None) -> DocumentType:
    """The Word document of a pack; ``images`` are (title, PNG bytes) in order, None for none."""
    lang = pack.lang
    say = language(lang)
    todo_mark = say("report.todo_mark")
    doc = Document()
    _page(doc)
    _para(doc, pack.text.title, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    doc.add_paragraph()
    for paragraph in pack.text.intro:
        _body(doc, paragraph, todo_mark)
    for section, heading in pack.text.numbered():
        _heading(doc, heading, section.level)
        for paragraph in section.paragraphs:
            _body(doc, paragraph, todo_mark)
    _signature(doc, pack)
    _annex(doc, 1, say("report.section.table"), lang, new_page=True)
    _table(doc, pack)
    if images:
        _annex(doc, 2, say("report.section.charts"), lang, new_page=True)
        _charts(doc, images, lang)
    return doc


def write_docx(pack: Pack, target: str | Path | IO[bytes], images: list[tuple[str, bytes]] | None = None) -> None:
    build_document(pack, images).save(target)  # type: ignore[arg-type]


def docx_bytes(pack: Pack, images: list[tuple[str, bytes]] | None = None) -> bytes:
    buffer = io.BytesIO()
    write_docx(pack, buffer, images)
    return buffer.getvalue()


def pack_images(pack: Pack) -> list[tuple[str, bytes]]:
    """The pack's key charts rendered to PNG (one browser for all), as (title, bytes). The images
    carry no title: the document's caption (图1　…) says it once."""
    from analytics.report.images import chart_pngs, pack_charts, untitled

    charts = [untitled(c) for c in pack_charts(pack)]
    pngs = chart_pngs(charts)
    return [(c.title, pngs[c.key]) for c in charts]
