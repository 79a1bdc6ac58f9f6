"""An empty SQL result names the filter value its column never holds, and the column in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.access import Principal, masked
from analytics.adhoc import sqlhints

STAFF = Principal("zl", "staff", ("珠龙镇",))


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT * FROM v_disputes WHERE outcome = '成功'", [("outcome", "成功")]),
        (
            "SELECT * FROM v_disputes WHERE \"village\" IN ('石门村', '无此村')",
            [("village", "石门村"), ("village", "无此村")],
        ),
        (
            "SELECT * FROM v_disputes WHERE 调解结果='调解成功' AND note = 'it''s'",
            [("调解结果", "调解成功"), ("note", "it's")],
        ),
        ("SELECT count(*) FROM v_disputes", []),
        (
            "SELECT * FROM v_disputes WHERE town IN ('珠龙镇','东坪乡') -- AND outcome = '成功'",
            [("town", "珠龙镇"), ("town", "东坪乡")],
        ),
        # a comparison in a comment, or an IN list left open, is no comparison
        ("SELECT 1 AS n FROM v_disputes WHERE false -- village IN (" + "''" * 40, []),
        ("SELECT 1 FROM v_disputes WHERE village IN (" + "'', " * 40, [("village", "")]),
    ],
)
def test_comparisons_are_read_from_the_text(sql: str, expected: list[tuple[str, str]]) -> None:
    assert sqlhints.comparisons(sql) == expected


def test_missing_values_name_the_codes_and_the_column_in_words(fixture_path: Path) -> None:
    cur = masked.cursor(fixture_path, STAFF)
    found = sqlhints.missing_values(cur, "SELECT * FROM v_disputes WHERE outcome = '成功' AND village = '石门村'")
    assert len(found) == 1
    miss = found[0]
    assert (miss.view, miss.column, miss.value) == ("v_disputes", "outcome", "成功")
    assert "success（调解成功）" in miss.values
    assert (miss.word_column, miss.word) == ("调解结果", "调解成功")
    assert cur.execute("SELECT count(*) FROM v_disputes WHERE 调解结果 = '调解成功'").fetchone() == (1032,)
    assert sqlhints.missing_values(cur, "SELECT * FROM v_disputes WHERE outcome = 'success'") == []
    assert sqlhints.missing_values(cur, "SELECT * FROM nowhere WHERE outcome = 'x'") == []


def test_a_list_of_empty_literals_is_read_in_one_pass() -> None:
    """An outside test's query: a regular expression over ``IN ('' '' …`` backtracked for years and froze the
    server's process (the hints run there, not in the query's sandbox). Read in a child, so a hang fails."""
    import subprocess
    import sys

    sql = "SELECT 1 AS n FROM v_disputes WHERE village IN (" + "''" * 5_000 + " AND 1"
    code = f"from analytics.adhoc import sqlhints; print(len(sqlhints.comparisons({sql!r})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "1"), done.stderr
