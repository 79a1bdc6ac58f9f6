"""Presentation: charts, number formats and the text catalogues (one per language)."""
