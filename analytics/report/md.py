"""The pack as Markdown (the published text and the scorecard as 附件1) and as JSON (text + scorecard +
findings). The Markdown, like the .docx, leaves out the data-consistency findings: they are for staff
(the .xlsx's 数据核对 sheet and the 报告 page), not part of the published report.

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
from analytics.report.text import org


def _cell(text: str) -> str:
    """A scorecard cell (the catalogue's labels and figures as the report writes them)."""
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(pack: Pack) -> str:
    lang = pack.lang
    say = language(lang)
    lines = [f"# {markdown(pack.text.title)}", ""]
    for paragraph in pack.text.intro:
        lines += [markdown(paragraph), ""]
    for section, heading in pack.text.numbered():
        lines += [f"{'#' * (section.level + 1)} {markdown(heading)}", ""]
        for paragraph in section.paragraphs:
            lines += [markdown(paragraph), ""]
    day = pack.report_date
    if pack.town or len(pack.towns) == 1:
        lines += [markdown(org(pack.town_label, pack.lang)), ""]
    lines += [say("report.date", year=day.year, month=day.month, day=day.day, iso=day.isoformat()), ""]
    lines += [f"## {say('report.annex', n=1, heading=say('report.section.table'))}", ""]
    header = table_header(lang)
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * 4 + [":---:"]) + "|")
    for row in scorecard_rows(pack):
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    lines.append("")
    return "\n".join(lines)


def to_json(pack: Pack) -> str:
    return json.dumps(pack.as_dict(), ensure_ascii=False, indent=2, default=str)
