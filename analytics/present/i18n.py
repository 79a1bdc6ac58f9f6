"""The one lookup for user-facing text: ``text(key, lang, **fields)`` over ``analytics.present.text``.

The catalogues themselves (one per language, same keys) live in ``analytics/text/zh.py`` and
``analytics/text/en.py``; see ``analytics.present.text`` for the convention. ``ZH`` and ``EN`` name them here
for callers that compare key sets.
"""

from __future__ import annotations

from analytics.present.text import LANGUAGES, bilingual, language, text
from analytics.present.text import en as _en
from analytics.present.text import zh as _zh

ZH: dict[str, str] = _zh.TEXT
EN: dict[str, str] = _en.TEXT
CATALOGUES: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}

__all__ = ["CATALOGUES", "EN", "LANGUAGES", "ZH", "bilingual", "language", "text"]
