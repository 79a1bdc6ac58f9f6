"""Bad characters and names on the way in (issue 13): control characters in cells, client file
names, and town names that are no place names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analytics import settings
from etl import names
from etl import preview as pv
from etl.load import load_file
from etl.parse import parse_file
from etl.readers import read_sheets
from tests import hostile
from tests.workbooks import DISPUTE_HEADER, TITLE, disputes_sheet, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


# --- control characters ------------------------------------------------------------------------


def _csv_with_late_nul(path: Path) -> Path:
    body = [[i + 1, "2020-03-05", "龙村村民委员会", "邻里纠纷", "书面", "调解成功", "备注" * 5] for i in range(200)]
    body.append([999, "2020-03-06", "石\x00门村", "婚姻家庭纠纷", "口头", "调解成功", "x\x01y\x1f"])
    path = write_csv(path, [[TITLE], DISPUTE_HEADER, *body])
    raw = path.read_bytes()
    assert b"\x00" not in raw[:4096] and b"\x00" in raw  # past the binary check's first 4 KB
    return path


def test_csv_with_a_nul_past_4kb_loads_and_its_report_xlsx_builds(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    report = load_file(_csv_with_late_nul(tmp_path / "台账.csv"), db)
    sheet = report.sheets[0]
    assert (sheet.rows, sheet.rejected) == (201, 0)
    cells = [line for line in sheet.details if "控制字符" in line]
    assert [c.split("：")[1].split(" ")[1] for c in cells] == ["C203", "G203"]
    out = _run("-m", "analytics", "--db", str(db), "report", "--period", "2020", "--format", "xlsx",
               "-o", str(tmp_path / "r.xlsx"))  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and (tmp_path / "r.xlsx").stat().st_size > 0
    assert hostile.inert_xlsx((tmp_path / "r.xlsx").read_bytes(), "report") == 0


def test_xlsx_control_characters_are_removed_and_named(tmp_path: Path) -> None:
    import openpyxl

    rows = disputes_sheet()
    path = write_xlsx(tmp_path / "a.xlsx", {"S": rows})
    book = openpyxl.load_workbook(path)
    book["S"]["C3"] = "龙村_x0000_村委会"  # how an .xlsx carries a NUL; calamine turns it back into one
    book["S"]["D4"] = "邻里_x0007_纠纷"
    book.save(path)
    sheet = read_sheets(path)[0]
    assert sheet.rows[2][2] == "龙村村委会" and sheet.rows[3][3] == "邻里纠纷"
    assert sheet.cleaned == [(2, 2), (3, 3)]
    warnings = parse_file(path).sheets[0].warnings
    assert list(warnings.loc[warnings["message"].str.contains("控制字符"), "excel_row"]) == [3, 4]


def test_binary_is_still_refused(tmp_path: Path) -> None:
    from etl.errors import FileError

    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n\x00\x01\x02" * 100)
    with pytest.raises(FileError):
        read_sheets(path)


# --- client file names -------------------------------------------------------------------------

BAD_NAMES = ["纠" * 90 + ".xlsx", "../../x.xlsx", "..\\..\\x.xlsx", "a\x00b.xlsx", "..", "/etc/passwd", "\u202eslx.exe"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_shown_file_name_is_one_harmless_part(name: str) -> None:
    shown = names.shown_file_name(name)
    assert shown and "/" not in shown and "\\" not in shown and shown not in (".", "..")
    assert not any(ord(ch) < 32 or 0x202A <= ord(ch) <= 0x202E for ch in shown)
    assert len(shown) <= names.FILE_NAME_MAX and len(shown.encode()) <= names.FILE_NAME_BYTES


def test_a_long_name_keeps_its_extension() -> None:
    shown = names.shown_file_name("纠" * 90 + ".xlsx")
    assert shown.endswith("….xlsx") and shown.startswith("纠纠")


@pytest.mark.parametrize("name", BAD_NAMES)
def test_upload_with_a_bad_name_previews_and_loads(tmp_path: Path, name: str) -> None:
    from etl.load import store

    data = write_xlsx(tmp_path / "a.xlsx", {"2020年": disputes_sheet()}).read_bytes()
    preview = pv.preview_upload(data, name, tmp_path / "w.duckdb")
    assert preview.rows_ok == 3 and preview.file_name == names.shown_file_name(name)
    assert store(preview.result, tmp_path / "w.duckdb", "test").status == "loaded"


# --- town names --------------------------------------------------------------------------------


@pytest.mark.parametrize("town", ["珠龙镇", "郑集镇", "城关镇（街道）", "Xinyi", "阿拉·沟乡", "第2镇"])
def test_plausible_towns_pass(town: str) -> None:
    assert names.town_problem(town) is None and names.check_town(f" {town} ") == town


@pytest.mark.parametrize(
    "town", [hostile.IMAGE, hostile.SCRIPT, "镇", "珠" * 21, "珠龙\x00镇", "珠龙 镇", "=1+1镇", "[x](y)", "珠龙镇\n#"]
)
def test_implausible_towns_are_refused_in_chinese(town: str) -> None:
    problem = names.town_problem(town)
    assert problem and "不是有效的地名" in problem and "\x00" not in problem
    with pytest.raises(ValueError, match="不是有效的地名"):
        names.check_town(town)


def test_an_invisible_character_in_a_town_is_shown_by_its_code_point() -> None:
    assert "「珠<U+200B>龙镇」" in (names.town_problem("珠\u200b龙镇") or "")  # it looks right otherwise


def test_cli_refuses_a_markup_town(tmp_path: Path) -> None:
    ledger = write_xlsx(tmp_path / "a.xlsx", {"2020年": disputes_sheet()})
    for command in ("load", "check"):
        out = _run("-m", "etl", "--db", str(tmp_path / "w.duckdb"), command, str(ledger), "--town", hostile.IMAGE)
        assert out.returncode == 1 and "不是有效的地名" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_default_town_setting_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "settings.toml").read_text(encoding="utf-8")
    bad = tmp_path / "settings.toml"
    bad.write_text(text.replace(f'default_town = "{settings.load()["default_town"]}"', 'default_town = "<b>镇</b>"'))
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(bad))
    settings.load.cache_clear()
    try:
        with pytest.raises(ValueError, match="不是有效的地名"):
            settings.default_town()
    finally:
        settings.load.cache_clear()


def test_a_town_cell_that_is_no_town_rejects_its_row(tmp_path: Path) -> None:
    header = ["乡镇", *DISPUTE_HEADER]
    rows = [["珠龙镇", 1, "2020-03-05", "龙村", "邻里纠纷", "书面", "调解成功", ""],
            [hostile.IMAGE, 2, "2020-03-06", "龙村", "邻里纠纷", "书面", "调解成功", ""],
            ["<script>镇", 3, "2020-03-07", "龙村", "邻里纠纷", "书面", "调解成功", ""]]  # fmt: skip
    sheet = parse_file(write_xlsx(tmp_path / "a.xlsx", {"2020年": [header, *rows]})).sheets[0]
    assert list(sheet.rows["town"]) == ["珠龙镇"]
    assert list(sheet.rejects["excel_row"]) == [3, 4]
    assert all("不是有效的地名" in r for r in sheet.rejects["reason"])


def test_a_title_or_file_name_gives_only_a_plausible_town(tmp_path: Path) -> None:
    sheet = disputes_sheet()
    sheet[0] = ["<script>镇2020年矛盾纠纷排查调处台账"]
    result = parse_file(write_xlsx(tmp_path / "<b>镇台账.xlsx", {"2020年": sheet}), default_town="默认镇")
    assert result.sheets[0].town == "默认镇"


def test_the_command_line_prints_what_a_terminal_would_act_on_as_text(tmp_path: Path) -> None:
    rows = disputes_sheet()
    rows[2][2] = "东山村\u009b31m"  # an 8-bit control: a terminal command
    path = write_csv(tmp_path / "\u202e台账.csv", rows)
    out = subprocess.run(
        [sys.executable, "-m", "etl", "--db", str(tmp_path / "w.duckdb"), "check", str(path)],
        capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "\u202e" not in out.stdout and "\\u202e台账.csv" in out.stdout  # the override written out, not obeyed
    assert "\u009b" not in out.stdout  # removed from the cell, with a warning naming it
    assert "控制字符" in out.stdout
