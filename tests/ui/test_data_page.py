"""The 数据管理 page in AppTest: upload real workbooks, preview, map, load, undo, and refuse bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import db, settings
from etl import load as etl_load
from tests.etl.workbooks import (
    BAD_FILES,
    UNKNOWN_HEADERS,
    dispute_rows,
    disputes_bytes,
    unknown_layout_bytes,
    workbook_bytes,
)

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "data.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "warehouse.duckdb"
    source = tmp_path / "台账.xlsx"
    source.write_bytes(disputes_bytes(5))
    etl_load.load_file(source, path)
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    return path


def _disputes(path: Path) -> int:
    return int(db.query("SELECT count(*) FROM v_disputes", path=path).iloc[0, 0])


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="data_upload").set_value((name, data, XLSX))
    at.run()
    assert not at.exception
    return at


def _frame(at: AppTest, column: str):
    """The first table with ``column`` (AppTest's dataframes carry no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_preview_shows_dataset_counts_and_rejects(db_file: Path) -> None:
    at = _upload(_app(), "新台账.xlsx", disputes_bytes(6, start=20, bad=2))
    sheets = _frame(at, "可导入行")
    assert list(sheets["台账类型"]) == ["矛盾纠纷台账"] and list(sheets["乡镇"]) == ["东坪乡"]
    assert (int(sheets["可导入行"][0]), int(sheets["拒收行"][0])) == (6, 2)
    rejects = _frame(at, "Excel 行号")
    assert list(rejects["Excel 行号"]) == ["9", "10"]
    assert all("无法识别的调解结果：待定" in r for r in rejects["原因"])
    assert at.button(key="data_load_0").label == "导入（6 行）"
    assert _disputes(db_file) == 5  # previewing changes nothing


def test_rejects_workbook_is_built_only_when_downloaded(db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from etl import preview as pv

    built: list[object] = []
    real = pv.rejects_workbook
    monkeypatch.setattr(pv, "rejects_workbook", lambda source: built.append(source) or real(source))
    at = _upload(_app(), "新台账.xlsx", disputes_bytes(6, start=20, bad=2))
    at.run()  # a rerun (any widget) builds nothing either
    buttons = [b for b in at.get("download_button") if "拒收" in b.proto.label]
    assert len(buttons) == 1 and buttons[0].proto.deferred_file_id  # the bytes come from a callable, on click
    assert built == []


def test_preview_says_where_a_guessed_town_came_from(db_file: Path) -> None:
    at = _upload(_app(), "台账.xlsx", workbook_bytes(dispute_rows(3), title=None))
    sheets = _frame(at, "可导入行")
    assert list(sheets["乡镇"]) == ["珠龙镇（取自默认乡镇）"] and int(sheets["有警告的行"][0]) == 1
    warnings = _frame(at, "原因")  # the only problem table: no rejects
    assert list(warnings["Excel 行号"]) == ["整表"]
    assert "已按默认乡镇「珠龙镇」计入" in warnings["原因"][0]


def test_load_replace_and_undo(db_file: Path) -> None:
    at = _upload(_app(), "台账.xlsx", disputes_bytes(8))
    assert "将替换" in _texts(at.warning)
    at.button(key="data_load_0").click().run()
    assert not at.exception
    assert "已导入「台账.xlsx」" in _texts(at.success) and "导入 8 行" in _texts(at.success)
    assert _disputes(db_file) == 8
    history = _frame(at, "导入编号")
    assert list(history["状态"])[:2] == ["生效", "已被替换（被 #2 替换）"]
    at.button(key="data_undo_2").click().run()
    assert not at.exception
    asked = _texts(at.warning)  # asked first, naming the load, its file and rows, and what comes back
    assert "撤销导入 #2「台账.xlsx」（2020 年，8 行）：它的数据将不再统计" in asked
    assert "被它替换的导入 #1「台账.xlsx」（2020 年，5 行）将恢复生效" in asked
    assert _disputes(db_file) == 8  # nothing happens before the confirmation
    at.button(key="data_undo_confirm").click().run()
    assert not at.exception
    assert "已撤销导入 #2，并恢复了导入 #1" in _texts(at.success)
    history = _frame(at, "导入编号")
    assert list(history["状态"])[:2] == ["已撤销", "生效"]
    assert _disputes(db_file) == 5  # the figures return


def test_undo_can_be_cancelled_and_redone(db_file: Path) -> None:
    at = _upload(_app(), "台账.xlsx", disputes_bytes(8))
    at.button(key="data_load_0").click().run()
    at.button(key="data_undo_2").click().run()
    at.button(key="data_pending_cancel").click().run()
    assert not at.exception and "data_undo_confirm" not in [b.key for b in at.button]
    assert _disputes(db_file) == 8  # cancelled: nothing changed
    at.button(key="data_undo_2").click().run()
    at.button(key="data_undo_confirm").click().run()
    assert _disputes(db_file) == 5
    at.button(key="data_redo_2").click().run()
    asked = _texts(at.warning)
    assert (
        "重做导入 #2「台账.xlsx」（2020 年，8 行）" in asked
        and "导入 #1「台账.xlsx」（2020 年，5 行）将再次被替换" in asked
    )
    at.button(key="data_redo_confirm").click().run()
    assert not at.exception
    assert "已重做导入 #2，并再次替换了导入 #1" in _texts(at.success)
    assert list(_frame(at, "导入编号")["状态"])[:2] == ["生效", "已被替换（被 #2 替换）"]
    assert _disputes(db_file) == 8


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (disputes_bytes(2), "新文件只有 2020 年 2 行，将少统计 3 行"),
        (disputes_bytes(6, year=2021), "新文件只有 2021 年 6 行；2020 年的数据将不再统计"),
    ],
    ids=["shrinks", "loses a year"],
)
def test_a_replacement_that_loses_much_waits_for_a_tick(db_file: Path, data: bytes, words: str) -> None:
    at = _upload(_app(), "台账.xlsx", data)
    said = _texts(at.error)
    assert "将替换导入 #1「台账.xlsx」（矛盾纠纷台账，东坪乡，2020 年，5 行）" in said and words in said
    assert at.button(key="data_load_0").disabled
    at.checkbox(key="data_confirm_0").check().run()
    assert not at.button(key="data_load_0").disabled
    at.button(key="data_load_0").click().run()
    assert not at.exception and "已导入「台账.xlsx」" in _texts(at.success)
    assert list(_frame(at, "导入编号")["状态"])[:2] == ["生效", "已被替换（被 #2 替换）"]


def test_an_ordinary_new_version_needs_no_tick(db_file: Path) -> None:
    at = _upload(_app(), "台账.xlsx", disputes_bytes(6))
    assert "将替换" in _texts(at.warning) and not _texts(at.error) and not at.checkbox
    assert not at.button(key="data_load_0").disabled


def test_map_an_unknown_layout_then_load(db_file: Path) -> None:
    at = _upload(_app(), "登记.xlsx", unknown_layout_bytes(3))
    assert "没有可识别的工作表" in _texts(at.error)
    assert "data_load_0" not in [b.key for b in at.button]
    at.selectbox(key="data_map_0_0_dataset").set_value("disputes").run()
    fields = ["received_date", "village", "category", "outcome"]
    for c, field in enumerate(fields):
        at.selectbox(key=f"data_map_0_0_disputes_{c}").set_value(field)
    at.run()
    at.button(key="data_map_0_0_save").click().run()
    assert not at.exception
    assert "已保存" in _texts(at.success)
    assert etl_load.saved_mappings(db_file)["|".join(UNKNOWN_HEADERS)][0] == "disputes"
    sheets = _frame(at, "可导入行")
    assert int(sheets["可导入行"][0]) == 3
    at.button(key="data_load_0").click().run()
    assert _disputes(db_file) == 8


def test_required_columns_must_be_mapped_before_saving(db_file: Path) -> None:
    at = _upload(_app(), "登记.xlsx", unknown_layout_bytes(3))
    at.selectbox(key="data_map_0_0_dataset").set_value("disputes").run()
    assert "还缺少必需的列" in _texts(at.warning)
    assert at.button(key="data_map_0_0_save").disabled


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_shows_its_message_and_changes_nothing(
    case: str, db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, data, words = BAD_FILES[case]
    if data is None:  # over the size cap
        data = disputes_bytes(3, start=50)
        monkeypatch.setattr(settings, "upload_max_bytes", lambda: len(data) - 1)
    before = (db.data_version(db_file), len(etl_load.history(db_file)))
    at = _upload(_app(), name, data)
    assert words in _texts(at.error)
    assert not [b for b in at.button if (b.key or "").startswith("data_load")]
    assert (db.data_version(db_file), len(etl_load.history(db_file))) == before


def test_a_sheet_of_thousands_of_columns_offers_the_first_hundred(db_file: Path) -> None:
    headers = [f"第{i}项" for i in range(1, 1501)]
    at = _upload(_app(), "宽表.xlsx", workbook_bytes([[str(i) for i in range(1500)]], headers=headers, title=None))
    assert "这张表有 1,500 列，只列出前 100 列供对应" in _texts(at.warning)
    mapping = [
        s for s in at.selectbox if s.key and s.key.startswith("data_map_0_0_") and not s.key.endswith("_dataset")
    ]
    assert len(mapping) == 100
