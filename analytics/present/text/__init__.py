"""User-facing text: one catalogue per language, ``zh`` (the reference) and ``en``, with the same keys.

Each language module holds ``TEXT`` (key → template with ``{named}`` fields, formatted with
``str.format``) and the few habits of its prose that are not words: how a number is said as an
ordinal (一 / 1), how a label reads inside a sentence, and how clauses make a sentence (joined by "，" and closed with "。", or joined by
"; ", capitalised and closed with "."). ``language(lang)`` returns them as one ``Language``,
chosen once by a writer, so prose code never branches on ``lang``.

Why Python modules rather than TOML: the templates are read at import with no parser or file
lookup, ruff and mypy check them, comments can say where a key is used, and a language's
ordinal and sentence rules sit next to its words.

Keys are grouped by prefix: ``common.*``, ``nav.*``, ``sidebar.*``, ``status.*`` and one prefix per
page (``overview.*``, ``mediation.*`` …); ``fmt.*`` and ``chart.*`` for numbers and charts;
``report.*`` for the report's prose, headings, tables and sheets. Metric labels are not here: they
live once in ``analytics.semantic.catalogue`` (``metric.label(lang)``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from analytics.present.text import en, zh

LANGUAGES: tuple[str, ...] = ("zh", "en")


@dataclass(frozen=True)
class Language:
    """One language's catalogue and prose habits."""

    code: str
    catalogue: Mapping[str, str]
    ordinal: Callable[[int], str]
    sentence: Callable[[list[str]], str]
    mid_sentence: Callable[[str], str]  # a label inside a sentence: as is in Chinese, lower case in English

    def __call__(self, key: str, **fields: object) -> str:
        """The text of ``key`` with ``fields`` filled in; falls back to Chinese, then to the key."""
        template = self.catalogue.get(key)
        if template is None:  # an empty template is a real value ("" for a word English leaves out)
            template = zh.TEXT.get(key, key)
        return template.format(**fields) if fields else template

    def lookup(self, key: str, default: str) -> str:
        """The text of ``key`` if the catalogue has it, else ``default`` (a code shown as is)."""
        return self.catalogue.get(key, default)


_LANGUAGES = {
    "zh": Language("zh", zh.TEXT, zh.ordinal, zh.sentence, zh.mid_sentence),
    "en": Language("en", en.TEXT, en.ordinal, en.sentence, en.mid_sentence),
}


def language(lang: str) -> Language:
    """The ``Language`` for a code; Chinese for anything unknown."""
    return _LANGUAGES.get(lang, _LANGUAGES["zh"])


def bilingual(zh: str, en: str, lang: str) -> str:
    """One of a declaration's two labels (a metric's, a column's…): the declaration holds both as data."""
    return {"zh": zh, "en": en}[language(lang).code]


def text(key: str, lang: str = "zh", **fields: object) -> str:
    """The text of ``key`` in ``lang``; falls back to Chinese, then to the key itself."""
    return language(lang)(key, **fields)
