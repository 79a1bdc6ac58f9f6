"""The files that hold data are their owner's only, whatever the umask: the warehouse (and a load keeps an
operator's ``chmod``), its scratch copy, the masked per-scope copies and the users/audit database. Any
other account on the machine could read every town's unmasked rows and every password hash from a 0644
file, masking, town scope and audit bypassed."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics import db
from analytics.access import Principal, masked, store
from etl.load import load_file
from tests.etl.workbooks import disputes_bytes

STAFF_DONGPING = Principal("dp", "staff", ("东坪乡",))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def default_umask() -> Iterator[None]:
    """The umask a replica or a command is started with by default (and start.sh left them before)."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def load_a_ledger(folder: Path, warehouse: Path, year: int = 2021) -> None:
    ledger = folder / f"东坪乡{year}年矛盾纠纷排查调处台账.xlsx"
    ledger.write_bytes(disputes_bytes(3, town="东坪乡", year=year))
    load_file(ledger, warehouse)


@pytest.mark.parametrize(("before", "after"), [(0o600, 0o600), (0o640, 0o640), (0o644, 0o640), (0o400, 0o400)])
def test_a_load_keeps_the_warehouses_mode_less_other_users(
    sample_db: Path, tmp_path: Path, before: int, after: int
) -> None:
    warehouse = Path(shutil.copyfile(sample_db, tmp_path / "warehouse.duckdb"))
    os.chmod(warehouse, before)  # what a careful operator does (0644: a file made before this rule)
    load_a_ledger(tmp_path, warehouse)
    assert db.query("SELECT count(*) AS n FROM v_disputes WHERE town = '东坪乡'", path=warehouse)["n"][0] == 3
    assert oct(mode(warehouse)) == oct(after)  # was 0o644 after any load: the copy took the umask's mode
    assert os.umask(0o022) == 0o022  # the load gave the process its umask back


def test_a_fresh_warehouse_its_folder_and_the_scratch_copy_are_private(tmp_path: Path) -> None:
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    load_a_ledger(tmp_path, warehouse)
    assert oct(mode(warehouse)) == oct(0o600)
    assert oct(mode(warehouse.parent)) == oct(0o700)
    with db.writing(warehouse) as con:
        con.execute("CREATE TABLE probe AS SELECT 1 AS x")
        (scratch,) = warehouse.parent.glob(f".{warehouse.name}.*{db.SCRATCH}")
        assert oct(mode(scratch)) == oct(0o600)
        probe = tmp_path / "made-during-a-write"
        probe.touch()  # what DuckDB makes meanwhile (its WAL, spill files) gets the same
        assert oct(mode(probe)) == oct(0o600)
    assert oct(mode(warehouse)) == oct(0o600)


def test_masked_copies_and_their_folder_are_private(sample_db: Path, tmp_path: Path) -> None:
    warehouse = Path(shutil.copyfile(sample_db, tmp_path / "warehouse.duckdb"))
    load_a_ledger(tmp_path, warehouse)
    copy = masked.readable_file(warehouse, STAFF_DONGPING)
    assert copy != warehouse
    assert oct(mode(copy)) == oct(0o600)
    assert oct(mode(copy.parent)) == oct(0o700)


def test_the_users_database_is_private(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    store.add("王芳", "correct horse battery", "staff", ["东坪乡"], warehouse)
    assert oct(mode(store.path_for(warehouse))) == oct(0o600)


def test_a_users_database_made_before_is_narrowed(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    access_db = store.path_for(warehouse)
    access_db.touch(mode=0o644)
    store.add("王芳", "correct horse battery", "staff", ["东坪乡"], warehouse)
    assert oct(mode(access_db)) == oct(0o640)
