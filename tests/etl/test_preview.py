"""etl.preview on real workbooks and a real DuckDB file: what a load would do, before it does it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analytics import db, settings
from etl import load as etl_load
from etl import preview as pv
from etl.errors import FileError
from tests.etl.workbooks import BAD_FILES, UNKNOWN_HEADERS, disputes_bytes, unknown_layout_bytes


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def _load_bytes(data: bytes, name: str, path: Path) -> etl_load.LoadReport:
    preview = pv.preview_upload(data, name, path)
    return etl_load.store(preview.result, path)


def test_preview_describes_each_sheet(db_file: Path) -> None:
    preview = pv.preview_upload(disputes_bytes(5, bad=2), "东坪乡台账.xlsx", db_file)
    [sheet] = preview.sheets
    assert (sheet.dataset, sheet.town, sheet.rows_ok, sheet.rows_rejected) == ("disputes", "东坪乡", 5, 2)
    assert str(sheet.first_date) == "2020-01-01" and str(sheet.last_date) == "2020-05-05"  # rejected rows don't count
    assert ("受理日期", "received_date") in sheet.columns and ("调解结果", "outcome") in sheet.columns
    assert list(sheet.rejects["excel_row"]) == [8, 9]
    assert all("无法识别的调解结果：待定" in r for r in sheet.rejects["reason"])
    assert preview.loadable and preview.already_loaded is None and preview.replaces == []
    assert not db_file.exists()  # a preview writes nothing


def test_preview_announces_replacement_and_identical_content(db_file: Path) -> None:
    data = disputes_bytes(5)  # built once: openpyxl stamps the save time into the file
    first = _load_bytes(data, "台账.xlsx", db_file)
    same = pv.preview_upload(data, "台账.xlsx", db_file)
    assert same.already_loaded == first.load_id and not same.loadable
    newer = pv.preview_upload(disputes_bytes(6), "台账.xlsx", db_file)
    assert [r.load_id for r in newer.replaces] == [first.load_id]
    assert newer.replaces[0].rows == 5
    # what the preview announced is what the load does
    assert etl_load.store(newer.result, db_file).replaced == [first.load_id]
    other_town = pv.preview_upload(disputes_bytes(6, town="西岭镇"), "台账.xlsx", db_file)
    assert other_town.replaces == []


def test_duplicates_count_rows_loaded_from_another_file(db_file: Path) -> None:
    _load_bytes(disputes_bytes(10), "一月台账.xlsx", db_file)
    overlapping = pv.preview_upload(disputes_bytes(10, start=6), "汇总台账.xlsx", db_file)
    assert overlapping.sheets[0].duplicates == 4  # rows 6..9 are in both files
    same_name = pv.preview_upload(disputes_bytes(10, start=6), "一月台账.xlsx", db_file)
    assert same_name.sheets[0].duplicates == 0  # a new version of the same file replaces, not duplicates


@pytest.mark.parametrize("case", [c for c, (_, data, _) in BAD_FILES.items() if data is not None])
def test_unreadable_files_raise_a_chinese_message(case: str, db_file: Path) -> None:
    name, data, words = BAD_FILES[case]
    assert data is not None
    with pytest.raises(FileError, match=words):
        pv.preview_upload(data, name, db_file)


def test_size_cap(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = disputes_bytes(3)
    monkeypatch.setattr(settings, "upload_max_bytes", lambda: len(data) - 1)
    with pytest.raises(FileError, match="上传上限"):
        pv.preview_upload(data, "台账.xlsx", db_file)


def test_unknown_layout_is_mapped_saved_and_reused(db_file: Path) -> None:
    preview = pv.preview_upload(unknown_layout_bytes(), "登记.xlsx", db_file)
    assert preview.sheets == [] and "没有可识别的工作表" in (preview.error or "")
    [sheet] = preview.unrecognised
    assert sheet.mappable and sheet.headers == UNKNOWN_HEADERS and sheet.header_row == 2
    mapping = dict(zip(UNKNOWN_HEADERS, ["received_date", "village", "category", "outcome"], strict=True))
    pv.save_mapping(sheet.signature or "", "disputes", mapping, db_file)
    again = pv.preview_upload(unknown_layout_bytes(5), "另一个登记.xlsx", db_file)
    assert [(s.dataset, s.town, s.rows_ok) for s in again.sheets] == [("disputes", "东坪乡", 5)]
    # the command line's load_file uses the saved mapping too
    source = db_file.parent / "cli.xlsx"
    source.write_bytes(unknown_layout_bytes(4))
    assert etl_load.load_file(source, db_file).rows == 4


def test_missing_required_fields_are_named() -> None:
    assert pv.missing_required("disputes", {"收到": "received_date"}) == [
        "调解结果或调解结果/成功或调解结果/失败或是否调解成功"
    ]
    assert pv.missing_required("disputes", {"a": "received_date", "b": "outcome"}) == []


def test_save_mapping_refuses_unknown_fields(db_file: Path) -> None:
    with pytest.raises(ValueError):
        pv.save_mapping("a|b", "disputes", {"a": "no_such_field"}, db_file)
    assert not db_file.exists()


def test_rejects_workbook_hands_back_the_original_rows(db_file: Path) -> None:
    preview = pv.preview_upload(disputes_bytes(3, bad=2), "台账.xlsx", db_file)
    wb = load_workbook(io.BytesIO(pv.rejects_workbook(preview.result)))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert "东坪乡" in rows[0][0]
    assert rows[1][-2:] == (pv.ROW_COLUMN, pv.REASON_COLUMN) and "受理日期" in rows[1]
    assert [r[-2] for r in rows[2:]] == [6, 7]
    assert all("待定" in r[-1] for r in rows[2:])
    # fixed by a person and uploaded again, the rows load
    ws = wb.worksheets[0]
    outcome = rows[1].index("调解结果") + 1
    for r in range(3, ws.max_row + 1):
        ws.cell(row=r, column=outcome, value="调解成功")
    buffer = io.BytesIO()
    wb.save(buffer)
    fixed = pv.preview_upload(buffer.getvalue(), "台账_修改.xlsx", db_file)
    assert [(s.town, s.rows_ok, s.rows_rejected) for s in fixed.sheets] == [("东坪乡", 2, 0)]


def test_rejects_workbook_of_a_stored_load(db_file: Path) -> None:
    report = _load_bytes(disputes_bytes(3, bad=1), "台账.xlsx", db_file)
    stored = pv.stored_rejects(report.load_id or 0, db_file)
    assert len(stored) == 1 and json.loads(stored["raw_row"][0])["调解结果"] == "待定"
    wb = load_workbook(io.BytesIO(pv.rejects_workbook(stored)))
    assert list(wb.worksheets[0].iter_rows(values_only=True))[2][-1].startswith("无法识别的调解结果")


def test_preview_reads_while_the_database_is_open(db_file: Path) -> None:
    _load_bytes(disputes_bytes(3), "台账.xlsx", db_file)
    cur = db.reader(db_file).cursor()  # a dashboard holding the file open
    try:
        assert _load_bytes(disputes_bytes(4), "台账2.xlsx", db_file).status == "loaded"
    finally:
        cur.close()
    assert int(db.query("SELECT count(*) FROM v_disputes", path=db_file).iloc[0, 0]) == 7
