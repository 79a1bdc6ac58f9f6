"""A warehouse written by an older version lacks the columns added since (legality_reviews.pending,
load_sheets.other_towns): every read of them failed until the next load. A process's first reader now
adds them by a write that changes nothing else, and the figures read as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from analytics import db
from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard


def test_an_older_warehouse_gets_the_new_columns_on_first_read(sample_db: Path, tmp_path: Path) -> None:
    path = Path(shutil.copyfile(sample_db, tmp_path / "w.duckdb"))
    with duckdb.connect(str(path)) as con:
        before = scorecard(con, parse("2020"))["metrics"]
        con.execute("DROP VIEW v_legality_reviews")
        con.execute("ALTER TABLE legality_reviews DROP COLUMN pending")
        con.execute("ALTER TABLE load_sheets DROP COLUMN other_towns")
        con.execute(
            "CREATE VIEW v_legality_reviews AS SELECT t.* FROM legality_reviews t JOIN active_loads USING (load_id)"
        )
    assert db.upgrade(path) is True
    assert db.upgrade(path) is False  # once
    cursor = db.reader(path).cursor()
    try:
        assert scorecard(cursor, parse("2020"))["metrics"] == before
    finally:
        cursor.close()
