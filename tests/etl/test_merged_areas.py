"""Merged areas as files list them: below the table, far past it, a million times, or broken.

A merged area is only a claim in the file: an empty one left under the table crashed the parse
(IndexError), one reaching row 4,294,967,295 or listed 2,000 times over a column made the fill
loop for hours, and a million of them took 650 MB in calamine before anything was checked.
"""

from __future__ import annotations

import re
import signal
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import xlwt

from etl import readers, unpacked, xls_extent
from etl.errors import FileError
from etl.headers import _horizontal_spans
from etl.parse import fill_merged_down, parse_file
from etl.readers import read_sheets
from tests.workbooks import disputes_sheet, write_xlsx


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail the test, instead of hanging it, when the block runs longer than ``seconds``."""

    def expire(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_an_area_fills_the_rows_it_spans_in_its_first_column() -> None:
    body = [["东坪乡", "a"], ["", "b"], ["", ""], ["x", "c"]]
    fill_merged_down(body, [((5, 0), (7, 1))], first_row=5)
    assert body == [["东坪乡", "a"], ["东坪乡", "b"], ["东坪乡", ""], ["x", "c"]]


def test_areas_past_the_table_or_listed_again_and_again_cost_one_pass() -> None:
    body = [["东坪乡"], [""], [""]]
    merged = [((2, 0), (4_294_967_294, 0))] * 2_000 + [((40, 0), (90, 0)), ((3, 0), (1_048_575, 0))]
    with deadline(10):  # before: 2,000 × 4 billion rows
        fill_merged_down(body, merged, first_row=2)
    assert body == [["东坪乡"], ["东坪乡"], ["东坪乡"]]


def test_an_overlapping_area_fills_only_below_the_one_above_it() -> None:
    """Excel refuses such a file; the reading is still one value per row, the upper area's first."""
    body = [["甲"], [""], ["乙"], [""], [""]]
    fill_merged_down(body, [((2, 0), (6, 0)), ((0, 0), (3, 0))], first_row=0)
    assert body == [["甲"], ["甲"], ["乙"], ["甲"], ["乙"]]


def test_header_spans_are_cut_to_the_row_and_listed_once() -> None:
    merged = [((1, 0), (2, 16_383))] * 5_000 + [((1, 2), (1, 5)), ((1, 20), (1, 321_272_405)), ((0, 0), (0, 9))]
    with deadline(10):
        spans = _horizontal_spans(merged, 1, width=30)
    assert spans == [(0, 29)]
    assert _horizontal_spans([((1, 2), (1, 5)), ((1, 7), (1, 99))], 1, width=30) == [(2, 5), (7, 29)]


def test_an_empty_merged_area_below_the_table_is_read(tmp_path: Path) -> None:
    """Formatting left under a ledger (a merged, empty block) made the parse fail with IndexError."""
    path = write_xlsx(tmp_path / "台账.xlsx", {"台账": disputes_sheet()}, merges={"台账": ["A20:C22"]})
    sheet = parse_file(path).sheets[0]
    assert (sheet.dataset, sheet.row_count, sheet.reject_rows) == ("disputes", len(disputes_sheet()) - 2, [])


def _with_merges(source: Path, target: Path, areas: list[str]) -> Path:
    """``source`` with its sheet's merged areas replaced by ``areas``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                listed = "".join(f'<mergeCell ref="{area}"/>' for area in areas)
                block = f'<mergeCells count="{len(areas)}">{listed}</mergeCells>'.encode()
                data = re.sub(rb"<mergeCells.*?</mergeCells>", b"", data).replace(
                    b"</sheetData>", b"</sheetData>" + block
                )
            new.writestr(info, data)
    return target


def test_an_xlsx_listing_too_many_merged_areas_is_refused_before_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unpacked, "MAX_MERGED", 50)
    monkeypatch.setattr(readers, "_read_calamine", lambda path: pytest.fail("calamine was reached"))
    source = write_xlsx(tmp_path / "源.xlsx", {"台账": disputes_sheet()})
    path = _with_merges(source, tmp_path / "台账.xlsx", [f"A{4 + 2 * i}:B{5 + 2 * i}" for i in range(49)])
    with pytest.raises(FileError, match="列出了至少 51 处合并单元格，超过每个文件 50 处的上限"):
        read_sheets(path)  # 49 areas and the list's two tags: a mark split across chunks is counted too


def test_an_xlsx_within_the_merged_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unpacked, "MAX_MERGED", 50)
    source = write_xlsx(tmp_path / "源.xlsx", {"台账": disputes_sheet()})
    path = _with_merges(source, tmp_path / "台账.xlsx", [f"A{4 + 2 * i}:B{5 + 2 * i}" for i in range(48)])
    assert len(read_sheets(path)[0].merged) == 48


def _merged_xls(path: Path, areas: int) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("S")
    sheet.write(0, 0, "x")
    for i in range(areas):
        sheet.write_merge(1 + 2 * i, 2 + 2 * i, 0, 1, f"m{i}")
    book.save(str(path))
    return path.read_bytes()


def test_an_xls_listing_too_many_merged_areas_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xls_extent, "MAX_MERGED", 5)
    path = tmp_path / "t.xls"
    _merged_xls(path, 6)
    with pytest.raises(FileError, match="列出了至少 6 处合并单元格"):
        read_sheets(path)
    _merged_xls(path, 5)
    assert len(read_sheets(path)[0].merged) == 5


def test_an_xls_mergedcells_record_naming_more_areas_than_it_holds_is_corrupt(tmp_path: Path) -> None:
    """calamine reads past the record and panics (a PanicException, which is no Exception)."""
    path = tmp_path / "t.xls"
    data = bytearray(_merged_xls(path, 1))
    at = data.find(b"\xe5\x00\x0a\x00\x01\x00")  # MERGEDCELLS of 10 bytes: one area
    data[at + 4 : at + 6] = struct.pack("<H", 5000)
    path.write_bytes(bytes(data))
    with pytest.raises(FileError, match="已损坏"):
        read_sheets(path)
    with pytest.raises(FileError, match="已损坏"):  # and calamine's panic, were the scan to let it through
        readers._read_calamine(path)


def _two_line_cases() -> list[list[object]]:
    header = ["序号", "受理日期", "所属村", "当事人", "调解方式", "调解结果"]
    return [
        ["珠龙镇2024年矛盾纠纷排查调处台账"],
        header,
        [1, "2024-03-05", "张庄村", "张三", "书面", "调解成功"],
        ["", "", "", "李四", "", ""],
        [2, "2024-04-10", "李庄村", "王五", "口头", "调解不成"],
        ["", "", "", "赵六", "", ""],
        [3, "2024-06-01", "李庄村", "钱七", "书面", "调解成功"],
    ]


def test_a_case_written_over_two_lines_with_its_serial_merged_is_one_case(tmp_path: Path) -> None:
    """序号 and the case's cells merged over two lines, one party a line: one case (before: two, unsaid)."""
    merges = [f"{c}{r}:{c}{r + 1}" for c in "ABCEF" for r in (3, 5)]
    path = write_xlsx(tmp_path / "d.xlsx", {"S": _two_line_cases()}, {"S": merges})
    sheet = parse_file(path).sheets[0]
    assert list(sheet.rows["excel_row"]) == [3, 5, 7]
    assert list(sheet.rows["parties"]) == ["张三、李四", "王五、赵六", "钱七"]
    assert list(sheet.rows["outcome"]) == ["success", "failed", "success"]
    assert sheet.rejects.empty
    assert list(sheet.warnings["message"]) == [
        "序号合并了第3–4行，按一条记录计入，当事人「张三、李四」；如是几条记录，请取消合并、每行填写序号",
        "序号合并了第5–6行，按一条记录计入，当事人「王五、赵六」；如是几条记录，请取消合并、每行填写序号",
    ]


def test_a_village_merged_over_its_cases_still_fills_each_case(tmp_path: Path) -> None:
    """A 村 merged over two cases, each with its own 序号: two cases, as before."""
    rows = _two_line_cases()
    rows[3] = [9, "2024-03-09", "", "李四", "口头", "调解成功"]
    del rows[5]  # 赵六's line
    path = write_xlsx(tmp_path / "d.xlsx", {"S": rows}, {"S": ["C3:C4"]})
    sheet = parse_file(path).sheets[0]
    assert list(sheet.rows["village"])[:2] == ["张庄村", "张庄村"]
    assert len(sheet.rows) == 4 and sheet.warnings.empty and sheet.rejects.empty
