"""The pack as Markdown (text, scorecard table, findings) and as JSON (text + scorecard + findings)."""

from __future__ import annotations

import json

from analytics.report.docx import LABELS, scorecard_rows
from analytics.report.pack import Pack
from analytics.report.text import numbered_heading


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(pack: Pack) -> str:
    lang = pack.lang
    words = LABELS["en" if lang == "en" else "zh"]
    lines = [f"# {pack.text.title}", "", pack.text.subtitle, ""]
    number = 0
    for section in pack.text.sections:
        number += 1
        lines += [f"## {numbered_heading(number, section.heading, lang)}", ""]
        for paragraph in section.paragraphs:
            lines += [paragraph, ""]
    number += 1
    lines += [f"## {numbered_heading(number, words['table'], lang)}", ""]
    header = [words[k] for k in ("metric", "value", "previous", "change", "target", "status")]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * 4 + [":---:"]) + "|")
    for row in scorecard_rows(pack):
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    lines.append("")
    number += 1
    lines += [f"## {numbered_heading(number, words['consistency'], lang)}", ""]
    if pack.findings:
        lines += [words["findings_intro"].format(n=len(pack.findings)), ""]
        lines += [f"{i}. {f.message(lang)}" for i, f in enumerate(pack.findings, 1)]
    else:
        lines.append(words["no_findings"])
    lines.append("")
    return "\n".join(lines)


def to_json(pack: Pack) -> str:
    return json.dumps(pack.as_dict(), ensure_ascii=False, indent=2, default=str)
