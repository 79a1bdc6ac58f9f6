"""The text catalogues: the same keys in zh and en, every key the code asks for exists, the fields of
a template agree across languages (or differ where a language leaves a word out), the writers do not
branch on the language, and the prose rules of each ``Language``."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from analytics.present import i18n
from analytics.present.text import en, language, text, zh

ROOT = Path(__file__).resolve().parents[2]
CODE = [
    *sorted((ROOT / "analytics").rglob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
    ROOT / "dashboard.py",
]
LOOKUPS = {"text", "t", "say", "text_of"}  # names whose first argument is a catalogue key
# The files that write user-facing text from the catalogue: none may choose words by language.
NO_BRANCHES = [
    "analytics/present/i18n.py",
    "analytics/present/fmt.py",
    "analytics/present/charts.py",
    "analytics/report/text.py",
    "analytics/report/docx.py",
    "analytics/report/xlsx.py",
    "analytics/report/md.py",
    "analytics/report/pack.py",
    "analytics/report/images.py",
    "pages/report.py",
]
# Where one language's template uses fewer or other fields than the other's, and why.
FIELD_DIFFERENCES = {
    "report.count_change.up": "English counts carry no measure word (件/人)",
    "report.count_change.down": "English counts carry no measure word (件/人)",
    "fmt.count": "English counts carry no measure word (件/人)",
    "chart.suffix.count_word": "English counts carry no measure word (次/人)",
    "report.disputes.no_total": "Chinese drops the empty clause; English keeps 'in 2020 the town'",
    "report.disputes.no_total_forms": "English repeats when and who before the forms",
    "report.documents.none_issued": "English says 'no documents were issued', without who",
    "report.problems.item": "English lists problems without 一是、二是",
    "report.problems.item_escalated": "Chinese names escalations with their count; English uses the general sentence",
    "report.date": "Chinese writes 2026年1月1日, English the ISO date",
    "report.problems.item_cleanup": "English lists problems without 一是、二是",
    "report.subheading": "Chinese numbers an area （一） within its part, English 1.1 with the part's number",
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _key_pattern(node: ast.expr) -> str | None:
    """A regex for the key an argument names: exact for a literal, with wildcards for an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        parts = [
            re.escape(v.value) if isinstance(v, ast.Constant) and isinstance(v.value, str) else "[^ ]+"
            for v in node.values
        ]
        return "".join(parts)
    return None


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "language":
        return "say"  # language(lang)("key")
    return None


def _keys_used() -> list[tuple[str, int, str]]:
    used = []
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and _called_name(node) in LOOKUPS:
                pattern = _key_pattern(node.args[0])
                if pattern and "." in pattern:  # keys are dotted; text("abc") elsewhere is not a lookup
                    used.append((str(path.relative_to(ROOT)), node.lineno, pattern))
    return used


def test_both_catalogues_hold_the_same_keys_in_the_same_order():
    assert set(zh.TEXT) ^ set(en.TEXT) == set()
    assert list(zh.TEXT) == list(en.TEXT)
    assert i18n.ZH is zh.TEXT and i18n.EN is en.TEXT


def test_every_key_the_code_asks_for_exists():
    used = _keys_used()
    assert len(used) > 150  # the scan finds the pages', the report's and the charts' lookups
    missing = [(path, line, key) for path, line, key in used if not any(re.fullmatch(key, k) for k in zh.TEXT)]
    assert missing == []


def test_templates_use_the_same_fields_in_both_languages():
    differing = {key for key in zh.TEXT if _fields(zh.TEXT[key]) != _fields(en.TEXT[key])}
    assert differing == set(FIELD_DIFFERENCES)


@pytest.mark.parametrize("path", NO_BRANCHES)
def test_text_writers_do_not_branch_on_language(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    assert re.findall(r"""(?:==|!=)\s*["'](?:en|zh)["']|["'](?:en|zh)["']\s*(?:==|!=)""", source) == []


def test_lookup_falls_back_to_chinese_then_to_the_key():
    assert text("nav.overview", "en") == "Overview"
    assert text("nav.overview", "fr") == "总览"
    assert text("no.such.key", "en") == "no.such.key"
    assert text("report.disputes.no_total", "zh", when="2020年", who="全镇") == ""  # empty is a value
    assert language("en").lookup("report.column.no_such_column", "no_such_column") == "no_such_column"


@pytest.mark.parametrize(
    ("lang", "parts", "expected"),
    [
        ("zh", ["调解率为98.6%", "", "同比上升2.6个百分点"], "调解率为98.6%，同比上升2.6个百分点。"),
        (
            "en",
            ["in 2020 the town screened 560 disputes", "", "2 of them by joint mediation"],
            "In 2020 the town screened 560 disputes; 2 of them by joint mediation.",
        ),
        ("zh", ["", ""], ""),
        ("en", [], ""),
    ],
)
def test_sentences(lang, parts, expected):
    assert language(lang).sentence(parts) == expected


def test_ordinals_and_headings():
    assert [language("zh").ordinal(n) for n in (1, 4, 10, 12, 20)] == ["一", "四", "十", "十二", "二十"]
    assert [language("en").ordinal(n) for n in (1, 12)] == ["1", "12"]
    assert text("report.heading", "zh", ordinal="三", heading="存在的主要问题") == "三、存在的主要问题"
    assert language("en").mid_sentence("Review rate") == "review rate"
    assert language("zh").mid_sentence("合法性审查率") == "合法性审查率"
