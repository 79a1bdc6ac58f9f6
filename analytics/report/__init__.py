"""The briefing pack: report text, consistency findings, chart images and the .docx/.xlsx/.md/.json files.

``build_pack(con, period, town, lang)`` gathers everything once (``pack.Pack``); every format renders
that same object. Nothing here imports streamlit.
"""

from analytics.report.pack import Pack, build_pack

__all__ = ["Pack", "build_pack"]
