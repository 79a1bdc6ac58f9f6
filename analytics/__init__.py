"""UI-free core of the rule-of-law dashboard: periods, metrics, queries, charts, report text.

Nothing in this package imports streamlit; ``tests/test_architecture.py`` proves it.
"""
