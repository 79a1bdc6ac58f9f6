"""The pack as Markdown (text, scorecard table, findings) and as JSON (text + scorecard + findings).

The title, the text and the findings are written from the data (towns, villages, categories, file
names), so they pass through ``analytics.present.safe.markdown``: a village called ``![t](http://…)``
or ``<script>`` reads as that text in any Markdown viewer, never as an image or HTML.
"""

from __future__ import annotations

import json

from analytics.present.safe import markdown
from analytics.present.text import language
from analytics.report.docx import scorecard_rows, table_header
from analytics.report.pack import Pack
from analytics.report.text import numbered_heading


def _cell(text: str) -> str:
    """A scorecard cell (the catalogue's labels and figures as the report writes them)."""
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(pack: Pack) -> str:
    lang = pack.lang
    say = language(lang)
    lines = [f"# {markdown(pack.text.title)}", "", markdown(pack.text.subtitle), ""]
    number = 0
    for section in pack.text.sections:
        number += 1
        lines += [f"## {markdown(numbered_heading(number, section.heading, lang))}", ""]
        for paragraph in section.paragraphs:
            lines += [markdown(paragraph), ""]
    number += 1
    lines += [f"## {numbered_heading(number, say('report.section.table'), lang)}", ""]
    header = table_header(lang)
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * 4 + [":---:"]) + "|")
    for row in scorecard_rows(pack):
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    lines.append("")
    number += 1
    lines += [f"## {numbered_heading(number, say('report.section.consistency'), lang)}", ""]
    if pack.findings:
        lines += [say("report.findings_intro", n=len(pack.findings)), ""]
        lines += [f"{i}. {markdown(f.message(lang))}" for i, f in enumerate(pack.findings, 1)]
    else:
        lines.append(say("report.no_findings"))
    lines.append("")
    return "\n".join(lines)


def to_json(pack: Pack) -> str:
    return json.dumps(pack.as_dict(), ensure_ascii=False, indent=2, default=str)
