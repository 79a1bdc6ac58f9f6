"""Loads are atomic, idempotent and versioned: tested on real workbooks and a real DuckDB file."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from analytics.db import query
from etl import load

ROOT = Path(__file__).resolve().parents[2]


def write_ledger(path: Path, rows: int, failed_every: int = 10) -> Path:
    """A disputes ledger as town staff make one: title row, header, data, 合计 row, footer."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2020年"
    ws.append(["珠龙镇2020年矛盾纠纷排查调处台账"])
    ws.merge_cells("A1:G1")
    ws.append(["序号", "受理日期", "所属村(社区)", "纠纷类型", "调解方式", "调解结果", "当事人"])
    for i in range(rows):
        outcome = "调解不成" if i % failed_every == 0 else "调解成功"
        ws.append(
            [
                i + 1,
                date(2020, 1 + i % 12, 1 + i % 28),
                "石门村民委员会",
                "邻里纠纷",
                "书面" if i % 3 else "口头",
                outcome,
                "王某某",
            ]
        )
    ws.append(["合计", None, None, None, None, None, None])
    ws.append(["填表人：张某某", None, None, "审核人：李某某"])
    wb.save(path)
    return path


def count(db: Path, sql: str = "SELECT count(*) FROM v_disputes") -> int:
    # Through the project's reader: a second duckdb.connect() on the same path in this process
    # would get DuckDB's cached instance of the file as it was before the last swap.
    return int(query(sql, path=db).iloc[0, 0])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_load_then_same_content_again_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ledger = write_ledger(tmp_path / "台账.xlsx", 30)
    first = load.load_file(ledger, db)
    assert first.status == "loaded" and first.rows == 30 and first.rejected == 0
    assert first.sheets[0].town == "珠龙镇" and first.sheets[0].dataset == "disputes"
    before = digest(db)
    again = load.load_file(ledger, db)
    assert again.status == "unchanged"
    assert digest(db) == before
    assert count(db) == 30


def test_a_new_version_replaces_the_old_and_undo_restores_it(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ledger = tmp_path / "台账.xlsx"
    first = load.load_file(write_ledger(ledger, 30), db)
    second = load.load_file(write_ledger(ledger, 45), db)
    assert second.replaced == [first.load_id]
    assert count(db) == 45
    assert count(db, "SELECT count(*) FROM disputes") == 75  # history kept
    statuses = dict(load.history(db)[["load_id", "status"]].itertuples(index=False))
    assert statuses == {first.load_id: "replaced", second.load_id: "active"}
    assert load.undo(second.load_id, db) == [first.load_id]
    assert count(db) == 30


def test_rows_know_their_file_sheet_and_excel_row(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.load_file(write_ledger(tmp_path / "台账.xlsx", 5), db)
    frame = query(
        "SELECT source_file, sheet, excel_row, village, category, outcome FROM v_disputes ORDER BY excel_row", path=db
    )
    rows = list(frame.itertuples(index=False, name=None))
    assert rows[0] == ("台账.xlsx", "2020年", 3, "石门村", "邻里", "failed")
    assert [r[2] for r in rows] == [3, 4, 5, 6, 7]


def test_a_crash_mid_load_leaves_the_database_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "w.duckdb"
    load.load_file(write_ledger(tmp_path / "a.xlsx", 10), db)
    before = digest(db)

    def boom(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "_insert_sheet", boom)
    with pytest.raises(RuntimeError):
        load.load_file(write_ledger(tmp_path / "b.xlsx", 20), db)
    assert digest(db) == before
    assert count(db) == 10
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_load_killed_midway_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.load_file(write_ledger(tmp_path / "a.xlsx", 10), db)
    before = digest(db)
    marker = tmp_path / "inserted"
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from etl import load
        original = load._insert_rows
        def slow(*args):
            original(*args)
            open({str(marker)!r}, "w").close()
            time.sleep(60)
        load._insert_rows = slow
        load.load_file({str(write_ledger(tmp_path / "b.xlsx", 200))!r}, {str(db)!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the loader ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert digest(db) == before
    assert count(db) == 10
    # the next load goes through (the lock died with the process)
    assert load.load_file(tmp_path / "b.xlsx", db).status == "loaded"
    assert count(db) == 210


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_cli_load_prints_per_sheet_and_exits_0(tmp_path: Path) -> None:
    out = run_cli("--db", str(tmp_path / "w.duckdb"), "load", str(write_ledger(tmp_path / "台账.xlsx", 12)))
    assert out.returncode == 0, out.stderr
    assert "工作表「2020年」" in out.stdout and "导入 12 行" in out.stdout and "拒收 0 行" in out.stdout


def test_cli_corrupt_file_exits_1_with_a_chinese_message(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a workbook")
    out = run_cli("--db", str(db), "load", str(bad))
    assert out.returncode == 1
    assert "坏文件.xlsx" in out.stderr and "Traceback" not in out.stderr
    assert not db.exists()


def test_cli_check_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    out = run_cli("--db", str(db), "check", str(write_ledger(tmp_path / "台账.xlsx", 12)))
    assert out.returncode == 0 and "未写入" in out.stdout
    assert not db.exists()


def test_cli_rejects_lists_rows_with_reasons(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ledger = write_ledger(tmp_path / "台账.xlsx", 5)
    wb = openpyxl.load_workbook(ledger)
    wb.active["F4"] = "待定"
    wb.active["B5"] = None
    wb.save(ledger)
    assert run_cli("--db", str(db), "load", str(ledger)).returncode == 0
    out = run_cli("--db", str(db), "rejects")
    assert "第4行" in out.stdout and "待定" in out.stdout
    assert "第5行" in out.stdout and "为空" in out.stdout


def test_cli_shows_warnings_in_the_report_and_in_rejects(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ledger = write_ledger(tmp_path / "台账.xlsx", 5)
    wb = openpyxl.load_workbook(ledger)
    wb.active.delete_rows(1)  # no title: the town is a guess
    wb.save(ledger)
    checked = run_cli("--db", str(db), "check", str(ledger))
    assert "珠龙镇（取自默认乡镇）" in checked.stdout and "警告 1 条" in checked.stdout
    assert "警告 整表 乡镇：没有乡镇列，标题和文件名都没有写乡镇" in checked.stdout
    assert run_cli("--db", str(db), "load", str(ledger)).returncode == 0
    out = run_cli("--db", str(db), "rejects")
    assert "没有被拒收的行" in out.stdout and "警告 1 条" in out.stdout and "整表" in out.stdout
