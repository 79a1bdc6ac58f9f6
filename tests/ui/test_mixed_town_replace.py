"""A county workbook holds several towns in one load; a load is replaced whole. Staff of one town who
upload a file of the same name must not replace it, and so wipe another town's rows they can't see.
Tried in the real app with sign-in on, on a real DuckDB file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics import db
from analytics.access import store
from etl import load as etl_load
from etl.parse import parse_file
from etl.replacing import ReplaceNotConfirmed
from tests.etl.workbooks import DISPUTE_HEADERS, dispute_rows
from tests.ui.test_roles import PASSWORD, open_dashboard
from tests.workbooks import write_xlsx

COUNTY_FILE = "县级矛盾纠纷汇总.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def county_workbook(folder: Path, **towns: int) -> Path:
    """One sheet per town, ``towns[name]`` rows each, under the county's one file name (in ``folder``, made)."""
    folder.mkdir(parents=True, exist_ok=True)
    sheets = {
        town: [[f"{town}2019年矛盾纠纷排查调处台账"], DISPUTE_HEADERS, *dispute_rows(n, 2019)]
        for town, n in towns.items()
    }
    return write_xlsx(folder / COUNTY_FILE, sheets)


def rows_of(path: Path, town: str) -> int:
    return int(db.query("SELECT count(*) FROM v_disputes WHERE town = ?", [town], path=path).iloc[0, 0])


@pytest.fixture
def warehouse(sample_db: Path, tmp_path: Path) -> Path:
    path = Path(shutil.copyfile(sample_db, tmp_path / "warehouse.duckdb"))
    report = etl_load.load_file(county_workbook(tmp_path / "old", 珠龙镇=40, 东坪乡=40), path, loaded_by="admin")
    (tmp_path / "county_load").write_text(str(report.load_id))
    store.add("zl", PASSWORD, "staff", ["珠龙镇"], path)
    store.add("admin", PASSWORD, "admin", None, path)
    return path


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, warehouse: Path) -> Callable[[str], AppTest]:
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    monkeypatch.setenv("DASHBOARD_DB", str(warehouse))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")

    def _make(user: str) -> AppTest:
        return open_dashboard(user, page="data")

    return _make


def upload(at: AppTest, data: bytes) -> AppTest:
    at.file_uploader(key="data_upload").set_value((COUNTY_FILE, data, XLSX))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_staff_cannot_replace_a_load_holding_another_town(app, warehouse: Path, tmp_path: Path) -> None:
    at = upload(app("zl"), county_workbook(tmp_path / "new", 珠龙镇=3).read_bytes())
    errors = "\n".join(e.value for e in at.error)
    assert "还有你无权导入的乡镇的数据" in errors
    assert "东坪乡" not in errors and "40" not in errors  # what the other town holds is not told either
    assert not any(
        "将替换" in w.value for w in at.warning
    )  # nor the whole load's size (80 rows, half of them 东坪乡's)
    assert at.button(key="data_load_0").disabled
    assert rows_of(warehouse, "东坪乡") == 40


def test_a_confirmation_covers_only_the_parts_it_named(warehouse: Path, tmp_path: Path) -> None:
    county = int((tmp_path / "county_load").read_text())
    smaller = parse_file(county_workbook(tmp_path / "new", 珠龙镇=3))
    # the 珠龙镇 part was shown and ticked; the 东坪乡 part of the same load was not
    with pytest.raises(ReplaceNotConfirmed, match="东坪乡"):
        etl_load.store(smaller, warehouse, "zl", [(county, "disputes", "珠龙镇")])
    assert rows_of(warehouse, "东坪乡") == 40


def test_an_admin_is_asked_about_every_town_that_goes(app, warehouse: Path, tmp_path: Path) -> None:
    at = upload(app("admin"), county_workbook(tmp_path / "new", 珠龙镇=3).read_bytes())
    asked = "\n".join(e.value for e in at.error)
    assert "珠龙镇" in asked and "东坪乡" in asked  # both towns' parts of the county load are named
    assert at.button(key="data_load_0").disabled  # until the box is ticked
    at.checkbox(key="data_confirm_0").check().run()
    at.button(key="data_load_0").click().run()
    assert not at.exception
    assert rows_of(warehouse, "东坪乡") == 0 and rows_of(warehouse, "珠龙镇") >= 3


def one_sheet_with_a_town_column(folder: Path, **towns: int) -> Path:
    """The county's file as one sheet with a 乡镇 column: ``towns[name]`` rows each, the first town the most."""
    folder.mkdir(parents=True, exist_ok=True)
    body = [[town, *row] for town, n in towns.items() for row in dispute_rows(n, 2019)]
    return write_xlsx(
        folder / COUNTY_FILE, {"2019年": [["全县2019年矛盾纠纷排查调处台账"], ["乡镇", *DISPUTE_HEADERS], *body]}
    )


def test_a_sheet_of_several_towns_is_every_towns_load(sample_db: Path, tmp_path: Path) -> None:
    """One sheet, a 乡镇 column: it was filed under its most frequent town only, so staff of that town could
    replace it (and wipe the other town's rows), and a file of the other town's didn't replace its part."""
    path = Path(shutil.copyfile(sample_db, tmp_path / "warehouse.duckdb"))
    county = etl_load.load_file(one_sheet_with_a_town_column(tmp_path / "old", 东坪乡=30, 珠龙镇=20), path).load_id
    store.add("dp", PASSWORD, "staff", ["东坪乡"], path)
    ours = parse_file(county_workbook(tmp_path / "dp", 东坪乡=5))
    theirs = parse_file(county_workbook(tmp_path / "zl", 珠龙镇=5))
    assert etl_load.towns_replaced(ours, path) == {"东坪乡", "珠龙镇"}  # refused to dp on the page
    with db.reader(path).cursor(towns=None) as cur:
        assert etl_load.earlier_versions(cur, COUNTY_FILE, etl_load.result_keys(theirs)) == [county]


def test_staff_of_the_main_town_of_a_county_sheet_cannot_replace_it(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(shutil.copyfile(sample_db, tmp_path / "warehouse.duckdb"))
    etl_load.load_file(one_sheet_with_a_town_column(tmp_path / "old", 东坪乡=30, 珠龙镇=20), path, loaded_by="admin")
    store.add("dp", PASSWORD, "staff", ["东坪乡"], path)
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")
    at = upload(open_dashboard("dp", page="data"), county_workbook(tmp_path / "new", 东坪乡=3).read_bytes())
    assert "还有你无权导入的乡镇的数据" in "\n".join(e.value for e in at.error)
    assert at.button(key="data_load_0").disabled
    assert rows_of(path, "珠龙镇") == 20 + rows_of(sample_db, "珠龙镇")


def test_staff_cannot_redo_their_load_over_a_county_load_holding_another_town(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dp's own load, undone; the county then loads its file under the same name with 珠龙镇's rows too.
    Redoing dp's load replaced the county's, and 珠龙镇's rows left every figure (an outside test's finding)."""
    path = Path(shutil.copyfile(sample_db, tmp_path / "warehouse.duckdb"))
    own = etl_load.load_file(county_workbook(tmp_path / "dp", 东坪乡=5), path, loaded_by="dp").load_id
    assert own is not None
    etl_load.undo(own, path)
    etl_load.load_file(one_sheet_with_a_town_column(tmp_path / "county", 东坪乡=30, 珠龙镇=20), path, loaded_by="admin")
    store.add("dp", PASSWORD, "staff", ["东坪乡"], path)
    before = rows_of(path, "珠龙镇")
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")
    at = open_dashboard("dp", page="data")
    at.button(key=f"data_redo_{own}").click().run()
    assert not at.exception
    refused = "\n".join(e.value for e in at.error)
    assert f"撤销或重做导入 #{own} 会让你无权导入的乡镇的数据" in refused and "珠龙镇" not in refused
    assert "data_redo_confirm" not in [b.key for b in at.button]
    assert rows_of(path, "珠龙镇") == before


def test_the_rejects_of_a_sheet_of_several_towns_go_to_who_reads_them_all(sample_db: Path, tmp_path: Path) -> None:
    """A rejected 珠龙镇 row of a county sheet was shown to 东坪乡's staff (the sheet was filed under 东坪乡)."""
    from analytics.access import Principal, masked

    path = Path(shutil.copyfile(sample_db, tmp_path / "warehouse.duckdb"))
    body = [[town, *row] for town, n in (("东坪乡", 3), ("珠龙镇", 2)) for row in dispute_rows(n, 2019)]
    body[-1][2] = "日期不详"  # the last 珠龙镇 row: rejected
    title = ["全县2019年矛盾纠纷排查调处台账"]
    workbook = write_xlsx(tmp_path / COUNTY_FILE, {"2019年": [title, ["乡镇", *DISPUTE_HEADERS], *body]})
    load_id = etl_load.load_file(workbook, path).load_id

    def rejects(towns: tuple[str, ...] | None) -> int:
        with db.reader(path).cursor(towns=towns) as cur:
            return int(cur.execute("SELECT count(*) FROM v_rejects WHERE load_id = ?", [load_id]).fetchone()[0])

    assert (rejects(None), rejects(("东坪乡",)), rejects(("珠龙镇",)), rejects(("东坪乡", "珠龙镇"))) == (1, 0, 0, 1)
    for towns, seen in ((("东坪乡",), 0), (("东坪乡", "珠龙镇"), 1)):
        with masked.cursor(path, Principal("x", "staff", towns)) as cur:
            count = cur.execute("SELECT count(*) FROM v_rejects WHERE load_id = ?", [load_id]).fetchone()
        assert count == (seen,)


def test_a_warehouse_written_before_sheets_recorded_their_towns_still_reads_scoped(
    sample_db: Path, tmp_path: Path
) -> None:
    path = Path(shutil.copyfile(sample_db, tmp_path / "warehouse.duckdb"))
    with duckdb.connect(str(path)) as con:
        con.execute("ALTER TABLE load_sheets DROP COLUMN other_towns")
    with db.reader(path).cursor(towns=("珠龙镇",)) as cur:
        assert cur.execute("SELECT count(*) FROM v_rejects").fetchone() is not None
