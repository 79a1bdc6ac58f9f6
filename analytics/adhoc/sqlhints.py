"""Why a query found nothing: a filter value that is not in its column.

``WHERE outcome = '成功'`` runs, returns 0 rows and looks like an answer. When a query comes back
empty, ``missing_values`` reads the text comparisons it makes (``column = 'text'``,
``column IN ('a', 'b')``) on the views it names and, for each value its column never holds, says so
with the values that are there in the words users know (success → 调解成功) and, where the copy has
one, the column in words to use instead (调解结果 = '调解成功').

Identifiers are checked against the database's own catalogue before they are written into SQL;
values are bound parameters. The queries run on the person's masked, town-scoped copy, as the SQL
itself did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from analytics.adhoc import dictionary
from analytics.present.text import text

MAX_VALUES = 12

_VIEW = re.compile(r'\b"?(v_[A-Za-z_]+)"?\b')


@dataclass(frozen=True)
class Missing:
    """A compared value that the column holds nowhere in the named view."""

    view: str
    column: str
    value: str
    values: list[str]  # what the column does hold, in words where it is coded: success（调解成功）
    word_column: str | None  # the copy's column in words, e.g. 调解结果
    word: str | None  # the value in words to compare it with, e.g. 调解成功


def _tokens(sql: str) -> list[tuple[str, str]]:
    """(kind, text) of each token of ``sql`` by DuckDB's own tokenizer, comments left out: one pass,
    however the text is made (a regular expression over ``'' '' ''…`` took exponential time in the
    server's own process). Its offsets count UTF-8 bytes."""
    raw = sql.encode("utf-8")
    found = duckdb.tokenize(sql)
    ends = [start for start, _ in found[1:]] + [len(raw)]
    return [
        (kind.name, raw[start:end].decode("utf-8", "replace").strip())
        for (start, kind), end in zip(found, ends, strict=True)
        if kind.name != "comment"
    ]


def _literal(token: tuple[str, str]) -> str | None:
    kind, text = token
    if kind != "string_const" or len(text) < 2 or not (text.startswith("'") and text.endswith("'")):
        return None
    return text[1:-1].replace("''", "'")


def _column(token: tuple[str, str]) -> str | None:
    kind, text = token
    return text.strip('"').replace('""', '"') if kind == "identifier" else None


def comparisons(sql: str) -> list[tuple[str, str]]:
    """(column, text) pairs the query compares for equality (``column = 'text'``, ``column IN ('a', 'b')``),
    in order, each once."""
    tokens = _tokens(sql)
    found: list[tuple[str, str]] = []
    for i, token in enumerate(tokens[:-2]):
        column = _column(token)
        if column is None:
            continue
        if tokens[i + 1] == ("operator", "=") and (value := _literal(tokens[i + 2])) is not None:
            found.append((column, value))
        elif tokens[i + 1][1].upper() == "IN" and tokens[i + 2] == ("operator", "("):
            for j in range(i + 3, len(tokens), 2):
                value = _literal(tokens[j])
                if value is None:
                    break
                found.append((column, value))
                if j + 1 >= len(tokens) or tokens[j + 1] != ("operator", ","):
                    break
    return list(dict.fromkeys(found))


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def missing_values(con: duckdb.DuckDBPyConnection, sql: str, lang: str = "zh") -> list[Missing]:
    """Every compared value of ``sql`` that its column holds in none of the views ``sql`` names
    (the values there listed with their words in ``lang``; the column in words is Chinese, as stored)."""
    available = set(dictionary.views(con))
    named = [v for v in dict.fromkeys(_VIEW.findall(sql)) if v in available]
    columns = {view: {name for name, _ in dictionary.columns(con, view)} for view in named}
    found = []
    for column, value in comparisons(sql):
        holders = [view for view in named if column in columns[view]]
        if not holders:
            continue
        present = any(
            con.execute(
                f"SELECT EXISTS (SELECT 1 FROM {_quote(view)} WHERE CAST({_quote(column)} AS VARCHAR) = ?)", [value]
            ).fetchone()
            == (True,)
            for view in holders
        )
        if present:
            continue
        view = holders[0]
        rows = con.execute(
            f"SELECT DISTINCT CAST({_quote(column)} AS VARCHAR) AS v FROM {_quote(view)} "
            f"WHERE {_quote(column)} IS NOT NULL ORDER BY v LIMIT {MAX_VALUES}"
        ).fetchall()
        values = [str(v) for (v,) in rows]
        words = {v: dictionary.value_label(column, v) for v in values}  # as the Chinese column holds them
        shown = [
            text("dictionary.code_word", lang, code=v, word=dictionary.value_label(column, v, lang))
            if words[v] != v
            else v
            for v in values
        ]
        word_column = None
        if column in dictionary.VALUE_LABELS and dictionary.label(column, "zh", view) in columns[view]:
            word_column = dictionary.label(column, "zh", view)
        near = [words[v] for v in values if value and value in words[v]]
        word = (near or [words[v] for v in values])[0] if word_column and values else None
        found.append(Missing(view, column, value, shown, word_column, word))
    return found
