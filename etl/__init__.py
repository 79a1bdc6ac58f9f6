"""Spreadsheet parsing: read workbooks and CSV files, recognise ledgers by their headers, and
normalise their rows into DataFrames shaped like the tables in ``analytics/schema.sql``."""
