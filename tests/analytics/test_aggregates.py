"""The monthly aggregates agree with the rows after every write, and metrics read through them are
the same as metrics aggregated from the rows on the fly."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.db import query, writing
from analytics.semantic import aggregates, metrics
from analytics.semantic.coverage import coverage, default_period, periods_with_data
from analytics.semantic.metrics import compute
from analytics.semantic.periods import periods_between
from etl import load
from tests.etl.workbooks import disputes_bytes

_ORDER = {
    "disputes": "town, month",
    "documents": "town, month, filing_days NULLS FIRST, filing_working_days NULLS FIRST",
    "training": "town, quarter, name",
    "sessions": "town, month, kind",
    "villages": "town, quarter, village NULLS FIRST",
    "categories": "town, quarter, category NULLS FIRST",
    "town_months": "town, month",
}


def _rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in frame.itertuples(index=False)]


def _stored(name: str, path: Path) -> list[tuple[object, ...]]:
    return _rows(query(f"SELECT * FROM {aggregates.TABLES[name]} ORDER BY {_ORDER[name]}", path=path))


def _from_rows(name: str, path: Path) -> list[tuple[object, ...]]:
    columns = ", ".join(query(f"SELECT * FROM {aggregates.TABLES[name]} LIMIT 0", path=path).columns)
    return _rows(query(f"SELECT {columns} FROM ({aggregates.definition(name)}) ORDER BY {_ORDER[name]}", path=path))


def _officers(path: Path, stored: bool) -> list[tuple[object, ...]]:
    """Every stored period's officers, from ``agg_officers`` or computed from the rows."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        span = con.execute("SELECT first_year, last_year FROM agg_officers_span").fetchone()
        assert span is not None
        periods = [p for kind in ("year", "half", "quarter") for p in periods_between(span[0], span[1], kind)]
        assert aggregates.officers_cover(con, periods)
        relation = metrics.officer_rows(con, periods) if stored else f"({metrics.OFFICER_ROWS_SQL})"
        sql = metrics.render(con, f"SELECT * FROM {relation} ORDER BY ALL", periods)
        return _rows(con.execute(sql, {"town": None}).df())
    finally:
        con.close()


def assert_aggregates_agree(path: Path) -> None:
    assert query("SELECT max(version) AS v FROM aggregates_state", path=path)["v"].iloc[0] == aggregates.VERSION
    for name in aggregates.TABLES:
        assert _stored(name, path) == _from_rows(name, path), name
    stored = _officers(path, stored=True)
    assert stored and stored == _officers(path, stored=False)


def _write(path: Path, name: str, data: bytes) -> Path:
    path.joinpath(name).write_bytes(data)
    return path / name


def test_aggregates_follow_load_replace_and_undo(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copyfile(sample_db, db)
    assert_aggregates_agree(db)  # every sample workbook, loaded through the ETL

    before = query("SELECT sum(total) AS n FROM agg_disputes_month", path=db)["n"].iloc[0]
    first = load.load_file(_write(tmp_path, "东坪乡台账.xlsx", disputes_bytes(40, "东坪乡", 2021)), db)
    assert_aggregates_agree(db)
    # 2021 goes: a replacement that needs (and gets) a confirmation
    second = load.load_file(_write(tmp_path, "东坪乡台账.xlsx", disputes_bytes(25, "东坪乡", 2022)), db, confirmed=True)
    assert second.replaced == [first.load_id]
    assert_aggregates_agree(db)
    assert query("SELECT sum(total) AS n FROM agg_disputes_month", path=db)["n"].iloc[0] == before + 25

    assert load.undo(second.load_id, db) == [first.load_id]
    assert_aggregates_agree(db)
    assert query("SELECT sum(total) AS n FROM agg_disputes_month", path=db)["n"].iloc[0] == before + 40
    assert load.redo(second.load_id, db) == [first.load_id]
    assert_aggregates_agree(db)
    assert query("SELECT sum(total) AS n FROM agg_disputes_month", path=db)["n"].iloc[0] == before + 25
    assert load.undo(second.load_id, db) == [first.load_id]
    load.undo(first.load_id, db)
    assert_aggregates_agree(db)
    span = query("SELECT first_year FROM agg_officers_span", path=db)["first_year"].iloc[0]
    earlier = load.load_file(_write(tmp_path, "东坪乡2010.xlsx", disputes_bytes(5, "东坪乡", span - 2)), db)
    assert query("SELECT first_year FROM agg_officers_span", path=db)["first_year"].iloc[0] == span - 2
    assert_aggregates_agree(db)  # a new year: every town's officers stored for it
    load.undo(earlier.load_id, db)
    assert query("SELECT sum(total) AS n FROM agg_disputes_month", path=db)["n"].iloc[0] == before
    assert query("SELECT count(*) AS n FROM agg_disputes_month WHERE town = '东坪乡'", path=db)["n"].iloc[0] == 0


def test_a_warehouse_without_aggregates_gets_them_at_its_next_write(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    shutil.copyfile(sample_db, db)
    with writing(db) as con:  # as a warehouse written before the aggregates existed
        con.execute("DELETE FROM aggregates_state")
        for table in [*aggregates.TABLES.values(), "agg_officers", "agg_officers_span"]:
            con.execute(f"DELETE FROM {table}")
    load.load_file(_write(tmp_path, "东坪乡台账.xlsx", disputes_bytes(10, "东坪乡", 2021)), db)
    assert_aggregates_agree(db)
    assert query("SELECT count(DISTINCT town) AS n FROM agg_disputes_month", path=db)["n"].iloc[0] > 1


def _every_figure(con: duckdb.DuckDBPyConnection, town: str | None) -> dict[str, object]:
    cover = coverage(con)
    periods = [p for kind in ("year", "half", "quarter") for p in periods_between(2015, 2026, kind)]
    return {
        "compute": compute(con, periods, town),
        "coverage": cover,
        "periods": {kind: periods_with_data(con, kind, town) for kind in ("year", "half", "quarter")},
        "default": default_period(con, date(2026, 11, 28), None, town),
    }


@pytest.mark.parametrize("source", ["sample", "fixture"])
def test_metrics_through_aggregates_equal_metrics_from_the_rows(
    source: str, sample_db: Path, fixture_path: Path, tmp_path: Path
) -> None:
    db = tmp_path / "m.duckdb"
    shutil.copyfile(sample_db if source == "sample" else fixture_path, db)
    con = duckdb.connect(str(db))
    try:
        towns: list[str | None] = [None, *coverage(con).towns]
        assert aggregates.ready(con)
        through = {town: _every_figure(con, town) for town in towns}
        con.execute("DELETE FROM aggregates_state")  # readers now aggregate the views on the fly
        assert not aggregates.ready(con)
        from_rows = {town: _every_figure(con, town) for town in towns}
    finally:
        con.close()
    assert through == from_rows
    assert any(v.value is not None for v in through[None]["compute"]["2020"].values())  # type: ignore[index]


def test_without_summary_sheets_the_ledger_only_query_gives_the_same_figures(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ledgers.duckdb"
    shutil.copyfile(sample_db, db)
    con = duckdb.connect(str(db))
    try:
        con.execute("DELETE FROM dispute_summaries")
        con.execute("DELETE FROM document_summaries")
        periods = [p for kind in ("year", "half") for p in periods_between(2016, 2025, kind)]
        for query, view in (
            (metrics.DISPUTES, "v_dispute_summaries"),
            (metrics.DOCUMENTS, "v_document_summaries"),
        ):
            full = query.text()
            short = metrics._without_summaries(con, query, view)
            assert "ledger_towns" not in short  # the summary part is left out…
            both = [sql.replace("{days_column}", "d.filing_days") for sql in (full, short)]
            params = {"town": None, **({"deadline": 15} if "$deadline" in full else {})}
            got = [metrics._run(con, sql, periods, params) for sql in both]
            assert got[0] and got[0].keys() == got[1].keys()  # …and the figures are the same
            for period_id, row in got[0].items():
                assert {k: _num(v) for k, v in row.items()} == {k: _num(v) for k, v in got[1][period_id].items()}
    finally:
        con.close()


def _num(value: object) -> object:
    return value if isinstance(value, str) else metrics._num(value)
