"""The one lookup for user-facing text: ``text(key, lang, **fields)`` over ``analytics.text``.

The catalogues themselves (one per language, same keys) live in ``analytics/text/zh.py`` and
``analytics/text/en.py``; see ``analytics.text`` for the convention. ``ZH`` and ``EN`` name them here
for callers that compare key sets.
"""

from __future__ import annotations

from analytics.text import LANGUAGES, language, text
from analytics.text import en as _en
from analytics.text import zh as _zh

ZH: dict[str, str] = _zh.TEXT
EN: dict[str, str] = _en.TEXT
CATALOGUES: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}

__all__ = ["CATALOGUES", "EN", "LANGUAGES", "ZH", "language", "text"]
