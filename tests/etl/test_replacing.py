"""No silent replace: a new version that loses rows or years needs a confirmation; undo and redo go both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics import db
from analytics.semantic import periods
from analytics.semantic.scorecard import scorecard
from etl import load as etl_load
from etl import preview as pv
from etl.__main__ import main
from etl.parse import parse_file
from etl.replacing import Loss, ReplaceNotConfirmed, losses, year_spans
from tests.etl.workbooks import dispute_rows, workbook_bytes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = sorted((ROOT / "data" / "sample").glob("*.xlsx"))
SAMPLE_DISPUTES = ROOT / "data" / "sample" / "珠龙镇矛盾纠纷排查调处台账.xlsx"
TITLE = "东坪乡矛盾纠纷排查调处台账"


def ledger(path: Path, years: dict[int, int]) -> Path:
    """A dispute ledger with ``rows`` rows in each year, all in one sheet."""
    rows: list[list[object]] = []
    for year, n in years.items():
        rows += dispute_rows(n, year, start=len(rows))
    path.write_bytes(workbook_bytes(rows, title=TITLE, sheet="台账"))
    return path


def statuses(path: Path) -> dict[int, str]:
    return dict(etl_load.history(path)[["load_id", "status"]].itertuples(index=False))


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[Path, Path]:
    """A warehouse holding 东坪乡台账.xlsx: 30 rows in 2019, 30 in 2020 (load #1)."""
    path = tmp_path / "w.duckdb"
    source = ledger(tmp_path / "东坪乡台账.xlsx", {2019: 30, 2020: 30})
    etl_load.load_file(source, path)
    return path, source


def _losses(path: Path, source: Path) -> list[Loss]:
    result = parse_file(source)
    cur = db.reader(path).cursor()
    try:
        replaced = etl_load.earlier_versions(cur, result.file_name, [(s.dataset, s.town) for s in result.sheets])
        return losses(cur, result, replaced)
    finally:
        cur.close()


@pytest.mark.parametrize(
    ("case", "years", "expected"),
    [
        ("same years, a few more rows", {2019: 30, 2020: 34}, None),
        ("same years, a few rows fewer", {2019: 28, 2020: 29}, None),
        ("exactly half the rows", {2019: 15, 2020: 15}, None),
        ("fewer than half the rows", {2019: 14, 2020: 15}, (60, 29, ())),
        ("a year gone", {2020: 40}, (60, 40, (2019,))),
        ("four rows of another year", {2024: 4}, (60, 4, (2019, 2020))),
    ],
)
def test_which_new_versions_need_a_confirmation(
    loaded: tuple[Path, Path], case: str, years: dict[int, int], expected: tuple[int, int, tuple[int, ...]] | None
) -> None:
    path, source = loaded
    found = _losses(path, ledger(source, years))
    if expected is None:
        assert found == [], case
        report = etl_load.load_file(source, path)  # no confirmation asked
        assert report.status == "loaded" and report.replaced == [1]
        return
    assert [(f.old_rows, f.new_rows, f.lost_years) for f in found] == [expected], case
    assert found[0].load_id == 1 and found[0].old_years == (2019, 2020)
    before = db.data_version(path)
    with pytest.raises(ReplaceNotConfirmed) as refused:
        etl_load.load_file(source, path)
    assert "将替换导入 #1" in str(refused.value)
    assert db.data_version(path) == before and statuses(path) == {1: "active"}  # nothing written
    with pytest.raises(ReplaceNotConfirmed):
        etl_load.load_file(source, path, confirmed=[7])  # confirming another load confirms nothing here
    report = etl_load.load_file(source, path, confirmed=[1])
    assert report.replaced == [1] and statuses(path) == {1: "replaced", 2: "active"}


def test_the_message_names_the_load_its_rows_and_the_years_that_go() -> None:
    loss = Loss(15, "珠龙镇矛盾纠纷排查调处台账.xlsx", "disputes", "珠龙镇", 4417, tuple(range(2016, 2026)), 4, (2024,))
    assert loss.message() == (
        "将替换导入 #15「珠龙镇矛盾纠纷排查调处台账.xlsx」（矛盾纠纷台账，珠龙镇，2016–2025 年，4,417 行），"
        "新文件只有 2024 年 4 行；2016–2023、2025 年的数据将不再统计"
    )
    shrink = Loss(3, "a.xlsx", "disputes", "东坪乡", 100, (2020,), 10, (2020,))
    assert shrink.message().endswith("新文件只有 2020 年 10 行，将少统计 90 行")
    assert year_spans([2019, 2016, 2017, 2021]) == "2016–2017、2019、2021"


def test_the_preview_lists_what_would_go(loaded: tuple[Path, Path]) -> None:
    path, source = loaded
    ordinary = pv.preview_upload(ledger(source, {2019: 31, 2020: 30}).read_bytes(), source.name, path)
    assert ordinary.replaces and not ordinary.needs_confirmation
    shrunk = pv.preview_upload(ledger(source, {2020: 4}).read_bytes(), source.name, path)
    assert [loss.lost_years for loss in shrunk.losses] == [(2019,)]
    assert etl_load.store(shrunk.result, path, confirmed=[loss.load_id for loss in shrunk.losses]).replaced == [1]


def test_the_command_line_refuses_a_shrinking_version_unless_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "w.duckdb"
    assert main(["--db", str(path), "load", str(SAMPLE_DISPUTES)]) == 0
    four = tmp_path / SAMPLE_DISPUTES.name  # the town's main ledger's name, four rows of 2024
    four.write_bytes(workbook_bytes(dispute_rows(4, 2024), title="珠龙镇矛盾纠纷排查调处台账", sheet="2024年"))
    capsys.readouterr()
    assert main(["--db", str(path), "load", str(four)]) == 1
    err = capsys.readouterr().err
    assert "将替换导入 #1「珠龙镇矛盾纠纷排查调处台账.xlsx」（矛盾纠纷台账，珠龙镇，2018–2025 年，4,417 行）" in err
    assert "新文件只有 2024 年 4 行；2018–2023、2025 年的数据将不再统计" in err and "--replace" in err
    assert statuses(path) == {1: "active"}
    assert main(["--db", str(path), "load", "--replace", str(four)]) == 0
    assert statuses(path) == {1: "replaced", 2: "active"}


def _card(path: Path) -> str:
    cur = db.reader(path).cursor()
    try:
        return json.dumps(scorecard(cur, periods.parse("2020"), None, "zh"), ensure_ascii=False, sort_keys=True)
    finally:
        cur.close()


def test_undo_then_redo_gives_back_the_same_scorecard(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.duckdb"
    for source in SAMPLE:
        etl_load.load_file(source, path)
    original = _card(path)
    newer = tmp_path / SAMPLE_DISPUTES.name  # a new version of 2020 only: the rest would go, so confirmed
    newer.write_bytes(workbook_bytes(dispute_rows(600, 2020), title="珠龙镇矛盾纠纷排查调处台账", sheet="2020年"))
    old_id = next(
        i for i, f in etl_load.history(path)[["load_id", "file_name"]].itertuples(index=False) if f == newer.name
    )
    report = etl_load.load_file(newer, path, confirmed=True)
    replaced_card, replaced_statuses = _card(path), statuses(path)
    assert replaced_card != original and replaced_statuses[old_id] == "replaced"

    plan = etl_load.undo_plan(report.load_id, path)
    assert (plan.load.rows, [o.load_id for o in plan.others]) == (600, [old_id])
    assert etl_load.undo(report.load_id, path) == [old_id]
    assert _card(path) == original

    plan = etl_load.redo_plan(report.load_id, path)
    assert (plan.load.first_year, [o.load_id for o in plan.others]) == (2020, [old_id])
    assert main(["--db", str(path), "redo", str(report.load_id)]) == 0
    assert f"已重做导入 {report.load_id}，再次替换了导入 {old_id}" in capsys.readouterr().out
    assert _card(path) == replaced_card and statuses(path) == replaced_statuses

    with pytest.raises(ValueError, match="当前状态为「生效」，只有已撤销的导入可以重做"):
        etl_load.redo(report.load_id, path)
    assert main(["--db", str(path), "redo", str(report.load_id)]) == 1
    assert "只有已撤销的导入可以重做" in capsys.readouterr().err
    assert etl_load.undo(report.load_id, path) == [old_id] and _card(path) == original  # and back again


def test_redo_replaces_what_is_active_now(loaded: tuple[Path, Path]) -> None:
    path, source = loaded
    second = etl_load.load_file(ledger(source, {2019: 30, 2020: 31}), path)
    etl_load.undo(second.load_id, path)
    third = etl_load.load_file(ledger(source, {2019: 30, 2020: 32}), path)  # replaces #1 again, meanwhile
    assert statuses(path) == {1: "replaced", 2: "undone", 3: "active"}
    assert etl_load.redo(second.load_id, path) == [third.load_id]
    assert statuses(path) == {1: "replaced", 2: "active", 3: "replaced"}  # one active version of the source
    assert int(db.query("SELECT count(*) FROM v_disputes", path=path).iloc[0, 0]) == 61


@pytest.mark.parametrize(
    "variant", ["东坪乡台账.XLSX", " 东坪乡台账.xlsx", "东坪乡台账.csv", "ＤＰ东坪乡台账.xlsx", "dp东坪乡台账.xlsm"]
)
def test_the_same_source_under_another_case_width_or_format_is_a_new_version(tmp_path: Path, variant: str) -> None:
    path = tmp_path / "w.duckdb"
    first = tmp_path / ("DP东坪乡台账.xlsx" if "ＤＰ" in variant or "dp" in variant else "东坪乡台账.xlsx")
    first.write_bytes(workbook_bytes(dispute_rows(10, 2025), title="东坪乡2025年矛盾纠纷排查调处台账"))
    etl_load.load_file(first, path)
    newer = tmp_path / "newer" / variant.strip()  # the same rows and one more, under the other name
    newer.parent.mkdir()
    if not variant.endswith(".csv"):
        newer.write_bytes(workbook_bytes(dispute_rows(11, 2025), title="东坪乡2025年矛盾纠纷排查调处台账"))
    else:
        rows = [
            ["序号", "受理日期", "所属村(社区)", "纠纷类型", "当事人", "调解方式", "调解结果"],
            *dispute_rows(11, 2025),
        ]
        newer.write_text(
            "东坪乡2025年矛盾纠纷排查调处台账\n" + "\n".join(",".join(str(c) for c in r) for r in rows),
            encoding="utf-8",
        )
    report = etl_load.load_file(newer, path, file_name=variant)
    assert report.replaced == [1]  # not a second active copy: the figures count each case once
    assert int(db.query("SELECT count(*) FROM v_disputes", path=path).iloc[0, 0]) == 11


def test_the_command_line_says_when_a_load_repeats_another_files_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "w.duckdb"
    for name, rows in (("东坪乡台账.xlsx", 6), ("东坪乡台账（1）.xlsx", 7)):  # another name: its rows are compared
        (tmp_path / name).write_bytes(
            workbook_bytes(dispute_rows(rows, 2025), title="东坪乡2025年矛盾纠纷排查调处台账")
        )
    assert main(["--db", str(path), "load", str(tmp_path / "东坪乡台账.xlsx")]) == 0
    assert "重复计数" not in capsys.readouterr().out
    assert main(["--db", str(path), "load", str(tmp_path / "东坪乡台账（1）.xlsx")]) == 0
    assert "注意：矛盾纠纷台账有 6 行与其他文件已导入的记录相同，可能重复计数" in capsys.readouterr().out
