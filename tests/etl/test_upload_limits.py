"""Uploads are limited before they are parsed: bytes unpacked, rows per sheet, rejects and warnings per file.

Issue 13: a 30 MB .xlsx whose sheet XML unpacked to 500 MB (compression ratio 17) passed the 50 MB cap
and the ratio check, then took 6.6 GB and 104 s and stored 2.1 million reject rows. The workbooks here
are written by the tests, streamed through zipfile so that writing them stays cheap.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from analytics import settings
from etl import preview as pv
from etl.errors import FileError
from etl.parse import parse_file
from etl.readers import read_sheets
from tests.etl.workbooks import DISPUTE_HEADERS, dispute_rows, disputes_bytes, workbook_bytes

ROOT = Path(__file__).resolve().parents[2]
SHEET_PART = "xl/worksheets/sheet1.xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def streamed_xlsx(path: Path, rows: Iterable[bytes], dimension: str | None = None) -> Path:
    """A minimal .xlsx with one sheet 台账 whose <sheetData> is ``rows`` (row XML), written as a stream."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open(SHEET_PART, "w") as sheet:
            sheet.write(f'<worksheet xmlns="{_MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for block in rows:
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def _text_cells(values: Iterable[object]) -> bytes:
    return b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % str(v).encode() for v in values)


def ledger_rows(rows: int, block: int = 2000) -> Iterator[bytes]:
    """A dispute ledger's header, then ``rows`` rows whose outcome 待定 is unreadable (each a reject).

    One block of rows is written over and over: it is longer than deflate's 32 KB window, so the
    file compresses like a real ledger (ratio ≈ 40), and writing it costs little but the deflate.
    """
    yield b"<row>" + _text_cells(DISPUTE_HEADERS) + b"</row>"
    one = [b"<row>" + _text_cells([i, "2020-03-05", "第1村", "邻里纠纷", f"当事人{i}", "书面", "待定"]) + b"</row>"
           for i in range(min(block, rows))]  # fmt: skip
    whole, rest = divmod(rows, block)
    joined = b"".join(one)
    for _ in range(whole):
        yield joined
    yield b"".join(one[:rest])


def _limits(monkeypatch: pytest.MonkeyPatch, **values: int) -> None:
    """Set some ``[limits]`` for the test; the others keep their settings."""
    real = settings.limit
    monkeypatch.setattr(settings, "limit", lambda name: values.get(name, real(name)))


# --- bytes unpacked ------------------------------------------------------------------------------

BOMB_ROWS = 1_800_000  # ≈ 250 MB of sheet XML in a ≈ 8 MB file


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return streamed_xlsx(tmp_path_factory.mktemp("bomb") / "台账.xlsx", ledger_rows(BOMB_ROWS))


def test_the_bomb_passes_the_old_checks(bomb: Path) -> None:
    """What made it dangerous: small on disk, an ordinary compression ratio, large unpacked."""
    info = zipfile.ZipFile(bomb).getinfo(SHEET_PART)
    assert bomb.stat().st_size < settings.upload_max_bytes()
    assert info.file_size / info.compress_size < 200  # readers.MAX_RATIO
    assert info.file_size > settings.upload_max_uncompressed_bytes()


PROBE = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from etl.errors import FileError
from etl.readers import read_sheets
started = time.monotonic()
try:
    read_sheets(sys.argv[2])
    outcome = "read"
except FileError as exc:
    outcome = str(exc)
seconds = time.monotonic() - started
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"seconds": seconds, "outcome": outcome, "peak_mb": peak / 1024}))
"""
# A fresh interpreter with the readers imported peaks near 100 MB; reading the bomb took gigabytes.
READ_PEAK_MB = 300
SAFETY_AS = 4 * 1024**3  # the probe's own cap, in case the limits ever fail


def _probe(path: Path) -> dict[str, object]:
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (SAFETY_AS, SAFETY_AS))

    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_a_zip_bomb_is_refused_quickly_with_little_memory(bomb: Path) -> None:
    got = _probe(bomb)
    assert got["outcome"] == (
        "文件「台账.xlsx」解压后超过 200 MB 的上限（疑似压缩炸弹，或工作簿过大），已拒绝读取；请拆分成几个文件后再导入"
    )
    assert float(got["seconds"]) < 30  # generous: stopped, not parsed (before: 104 s at 500 MB)
    assert float(got["peak_mb"]) < READ_PEAK_MB, got


def test_the_upload_preview_and_the_command_line_refuse_the_bomb(bomb: Path, tmp_path: Path) -> None:
    with pytest.raises(FileError, match="解压后超过 200 MB 的上限"):
        pv.preview_upload(bomb.read_bytes(), bomb.name, tmp_path / "w.duckdb")
    for command in ("check", "load"):
        done = subprocess.run(
            [sys.executable, "-m", "etl", command, str(bomb)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            env={**os.environ, "DASHBOARD_DB": str(tmp_path / "w.duckdb")},
        )
        assert done.returncode == 1, done.stderr
        assert "「台账.xlsx」解压后超过 200 MB 的上限" in done.stderr
    assert not (tmp_path / "w.duckdb").exists() or _loads(tmp_path / "w.duckdb") == 0


def _loads(path: Path) -> int:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM loads").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def _lie_about_size(path: Path, member: str, claimed: int) -> None:
    """Rewrite the zip's central directory so that ``member`` claims ``claimed`` bytes unpacked."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length].decode() == member:
            data[at + 24 : at + 28] = claimed.to_bytes(4, "little")
            break
        at = data.find(b"PK\x01\x02", at + 46)
    path.write_bytes(bytes(data))


def test_a_directory_that_lies_is_measured_by_what_it_unpacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _limits(monkeypatch, upload_max_uncompressed_mb=20)
    path = streamed_xlsx(tmp_path / "小文件.xlsx", ledger_rows(250_000))
    _lie_about_size(path, SHEET_PART, 1000)
    assert sum(m.file_size for m in zipfile.ZipFile(path).infolist()) < 20 * 1024 * 1024  # the directory says so
    with pytest.raises(FileError) as caught:
        read_sheets(path)
    assert str(caught.value).startswith("文件「小文件.xlsx」解压后超过 20 MB 的上限")


# --- rows per sheet ------------------------------------------------------------------------------

ROW_LIMIT_MESSAGE = (
    "的工作表「{sheet}」有 {rows} 行，超过了每张工作表 100 行的上限，已拒绝读取；请拆分成几个文件后再导入"
)


def _refused_for_rows(path: Path, sheet: str, rows: int) -> None:
    with pytest.raises(FileError) as caught:
        read_sheets(path)
    assert str(caught.value) == f"文件「{path.name}」" + ROW_LIMIT_MESSAGE.format(sheet=sheet, rows=f"{rows:,}")


def test_a_sheet_over_the_row_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _limits(monkeypatch, sheet_max_rows=100)
    # Excel-style references (openpyxl writes r="A1"): found before calamine reads the sheet
    path = tmp_path / "长台账.xlsx"
    path.write_bytes(workbook_bytes(dispute_rows(150)))
    _refused_for_rows(path, "2020年", 152)  # title, header, 150 rows
    # rows without references: calamine numbers them, and its grid is checked before it becomes Python rows
    _refused_for_rows(streamed_xlsx(tmp_path / "无引用.xlsx", ledger_rows(150)), "台账", 151)
    # a delimited text file
    csv = tmp_path / "台账.csv"
    csv.write_text("\n".join(",".join(map(str, r)) for r in [DISPUTE_HEADERS, *dispute_rows(150)]), encoding="utf-8")
    _refused_for_rows(csv, "台账", 101)  # reading stops one row past the limit


def test_a_sheet_at_the_row_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _limits(monkeypatch, sheet_max_rows=100)
    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook_bytes(dispute_rows(98)))
    assert len(read_sheets(path)[0].rows) == 100


def test_a_dimension_over_the_limit_refuses_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _limits(monkeypatch, sheet_max_rows=100)
    path = streamed_xlsx(tmp_path / "台账.xlsx", ledger_rows(3), dimension="A1:G5000000")
    _refused_for_rows(path, "台账", 5_000_000)


def test_a_reference_far_out_is_refused_not_allocated(tmp_path: Path) -> None:
    """Two cells, A1 and XFD200000: calamine would ask for 100 GB for the grid and abort the process."""
    far = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="200000"><c r="XFD200000"><v>1</v></c></row>'
    got = _probe(streamed_xlsx(tmp_path / "稀疏.xlsx", [far]))  # a fresh process: an abort would not take pytest
    assert (
        got["outcome"]
        == "文件「稀疏.xlsx」中的表格展开后过大（超出工作表的行列范围或单元格数上限，疑似损坏），已拒绝读取"
    )
    shifted = b"<row r='9'><c\tr = '$A$300000'><v>1</v></c></row>"  # odd quoting and spacing are found too
    with pytest.raises(FileError, match="有 300,000 行"):
        read_sheets(streamed_xlsx(tmp_path / "引号.xlsx", [shifted]))


# --- rejects and warnings per file ---------------------------------------------------------------


def test_a_file_with_too_many_rejects_is_refused_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _limits(monkeypatch, file_max_rejects=10)
    path = tmp_path / "坏台账.xlsx"
    path.write_bytes(disputes_bytes(5, bad=11))
    message = "文件「坏台账.xlsx」中无法读取的行已超过 10 行（至少 11 行），整个文件未导入；请确认选对了文件，或按模板整理后再导入"
    with pytest.raises(FileError) as caught:
        parse_file(path)
    assert str(caught.value) == message
    with pytest.raises(FileError) as caught:
        pv.preview_upload(path.read_bytes(), path.name, tmp_path / "w.duckdb")
    assert str(caught.value) == message
    path.write_bytes(disputes_bytes(5, bad=10))  # at the limit: read, with its rejects
    assert len(parse_file(path).sheets[0].rejects) == 10


def test_warnings_past_the_cap_are_counted_not_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _limits(monkeypatch, sheet_max_warnings=3)
    rows = [[i + 1, f"2020年{i % 12 + 1}月", "第1村", "邻里纠纷", f"当事人{i}", "书面", "调解成功"] for i in range(8)]
    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook_bytes(rows))
    sheet = parse_file(path).sheets[0]
    assert len(sheet.rows) == 8
    assert len(sheet.warnings) == 4
    assert sheet.warnings["message"].iloc[-1] == "另有 5 条警告未逐条保存（每张工作表最多保存 3 条）"


def test_the_grid_calamine_reports_is_checked_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Behind the scan before parsing: the grid calamine reports, before it becomes Python rows."""
    from etl import unpacked

    monkeypatch.setattr(unpacked, "check", lambda *args: (set(), set(), []))
    _limits(monkeypatch, sheet_max_rows=100)
    _refused_for_rows(streamed_xlsx(tmp_path / "无引用.xlsx", ledger_rows(150)), "台账", 151)


# --- cells per file, and grids that calamine builds before anything reads them ------------------
# Each bomb is a few KB: what it costs is the grid it names. The probe reads it in a fresh process
# with an address-space cap, so that a check that fails costs the test, not the machine.

FILE_LIMIT = (
    "超过了每个文件 20,000,000 个单元格的上限，已拒绝读取；请删去多余的工作表或远处零散的内容，或拆分成几个文件后再导入"
)
TOO_LARGE = "中的表格展开后过大（超出工作表的行列范围或单元格数上限，疑似损坏），已拒绝读取"


def _file_limit(cells: int) -> str:
    return f"的各工作表合计至少有 {cells:,} 个单元格（每张表从 A1 算到最远的有内容的单元格），{FILE_LIMIT}"


def _xls_far_cells(path: Path, sheets: int) -> None:
    """``sheets`` sheets that each hold A1 and IV65536: 16.8M cells each, under every limit on one sheet."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for i in range(sheets):
        sheet = book.add_sheet(f"S{i}")
        sheet.write(0, 0, "受理日期")
        sheet.write(65535, 255, "x")
    book.save(str(path))


def _xlsx_far_cells(path: Path, sheets: int) -> None:
    """``sheets`` sheets that each hold A1 and XFD1200: 19.7M cells each."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for i in range(sheets):
        sheet = book.create_sheet(f"S{i}")
        sheet["A1"] = "受理日期"
        sheet.cell(row=1200, column=16384, value="x")
    book.save(path)


def _spreadsheetml_far_cells(path: Path, sheets: int) -> None:
    """``sheets`` worksheets whose ss:Index jumps to row 1,000 and column 16,384."""
    worksheets = "".join(
        f'<Worksheet ss:Name="S{i}"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row>'
        '<Row ss:Index="1000"><Cell ss:Index="16384"><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet>'
        for i in range(sheets)
    )
    path.write_text(
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        f'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">{worksheets}</Workbook>',
        encoding="utf-8",
    )


def _ods_repeats(path: Path, sheets: int, rows: int, columns: int) -> None:
    """``sheets`` sheets of one header row and ``rows`` × ``columns`` non-empty cells, spelled as repeats."""
    from tests.etl.test_ods_extent import number, row, table, text, write_ods

    one = table("S", row(text("受理日期"), width=1), row(number(1, repeat=columns), repeat=rows, width=columns))
    write_ods(path, "".join(one.replace('table:name="S"', f'table:name="S{i}"') for i in range(sheets)))


def _csv_one_line(path: Path, commas: int) -> None:
    path.write_bytes("受理日期,当事人\n".encode() + b"," * commas + b"\n")


BOMBS = [
    # F3: 850 bytes whose repeats make calamine build 99M cells (6 GB, 20 s) before it could be refused
    ("ods_99m.ods", lambda p: _ods_repeats(p, 1, 99_000, 1000), TOO_LARGE),
    ("ods_sheets.ods", lambda p: _ods_repeats(p, 4, 1000, 16_000), _file_limit(32_032_000)),
    # F4: every sheet within the limits of one sheet, the file not (3.5 GB, 1.5 GB, 1.5 GB)
    ("sheets.xls", lambda p: _xls_far_cells(p, 4), _file_limit(33_554_432)),
    ("sheets.xlsx", lambda p: _xlsx_far_cells(p, 3), _file_limit(39_321_600)),
    ("sheets.xml", lambda p: _spreadsheetml_far_cells(p, 12), _file_limit(32_768_000)),
    # F5: one line of commas, split into 20 million cells before (1.1 GB, and 50 s in the parse)
    ("一行.csv", lambda p: _csv_one_line(p, 20_000_001), _file_limit(20_000_005)),
]


@pytest.mark.parametrize(("name", "write", "message"), BOMBS, ids=[name for name, _, _ in BOMBS])
def test_a_grid_bomb_is_refused_before_it_is_built(tmp_path: Path, name: str, write: object, message: str) -> None:
    path = tmp_path / name
    write(path)  # type: ignore[operator]
    got = _probe(path)
    assert got["outcome"] == f"文件「{name}」{message}"
    assert float(got["peak_mb"]) < READ_PEAK_MB, got
    assert float(got["seconds"]) < 10, got


def _xls_patched(path: Path, find: bytes, offset: int, new: bytes) -> None:
    _xls_far_cells(path, 1)
    data = bytearray(path.read_bytes())
    at = data.find(find)
    assert at > 0
    data[at + offset : at + offset + len(new)] = new
    path.write_bytes(bytes(data))


CRASHES = [
    # calamine aborts the whole process (signal 6): room reserved for 4 billion rows, a 65536-column grid
    ("dimensions.xls", lambda p: _xls_patched(p, b"\x00\x02\x0e\x00", 8, b"\xff\xff\xff\xff\x00\x00\xff\xff"), TOO_LARGE),
    ("column.xls", lambda p: _xls_patched(p, b"\xfd\x00\x0a\x00\xff\xff\xff\x00", 6, b"\xff\xff"), TOO_LARGE),
]  # fmt: skip


@pytest.mark.parametrize(("name", "write", "message"), CRASHES, ids=[name for name, _, _ in CRASHES])
def test_an_xls_that_would_abort_calamine_is_refused(tmp_path: Path, name: str, write: object, message: str) -> None:
    path = tmp_path / name
    write(path)  # type: ignore[operator]
    assert _probe(path)["outcome"] == f"文件「{name}」{message}"


def test_an_ods_left_open_is_refused_not_read_for_ever(tmp_path: Path) -> None:
    """calamine reads a content.xml that ends inside a table in an endless loop (one CPU, for ever)."""
    from tests.etl.test_ods_extent import number, row, table, write_ods

    path = write_ods(tmp_path / "未完.ods", table("S", row(number(1), width=1)).removesuffix("</table:table>"))
    with pytest.raises(FileError) as caught:
        read_sheets(path)
    assert str(caught.value) == "文件「未完.ods」已损坏或不是有效的 Excel 文件"


# The file budget at a small size (etl.sheet.MAX_CELLS is what each file's budget defaults to; the
# limits of one sheet keep their own): every format charges all its sheets.

SMALL_BUDGET = 150


def _two_ledgers(path: Path) -> None:
    """Two sheets of a title, a header and 9 rows of 7 columns: 77 cells each, 154 together."""
    from tests.workbooks import write_csv, write_xls, write_xlsx

    sheet = [["东坪乡2020年矛盾纠纷排查调处台账"], DISPUTE_HEADERS, *dispute_rows(9)]
    if path.suffix == ".xlsx":
        write_xlsx(path, {"2020年": sheet, "2021年": sheet})
    elif path.suffix == ".xls":
        write_xls(path, {"2020年": sheet, "2021年": sheet})
    elif path.suffix == ".csv":  # one sheet: 11 lines of 7 cells and 6 commas each, line ends counted
        write_csv(path, [[str(v) for v in r] + [""] * 7 for r in sheet])
    elif path.suffix == ".htm":
        tables = "".join(
            "<table>" + "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in sheet) + "</table>"
            for _ in range(2)
        )
        path.write_text(f"<html><body>{tables}</body></html>", encoding="utf-8")
    else:
        from tests.etl.test_ods_extent import number, row, table, write_ods

        cells = [number(v) for v in range(7)]
        one = table("S", *[row(*cells, width=7) for _ in range(11)], trailing=False)
        write_ods(path, one + one.replace('table:name="S"', 'table:name="T"'))


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".csv", ".htm", ".ods"])
def test_every_format_charges_all_sheets_to_one_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    from etl import sheet

    path = tmp_path / f"两张表{suffix}"
    _two_ledgers(path)
    monkeypatch.setattr(sheet, "MAX_CELLS", 1000)
    assert len(read_sheets(path)) in (1, 2)
    monkeypatch.setattr(sheet, "MAX_CELLS", SMALL_BUDGET)
    with pytest.raises(FileError) as caught:
        read_sheets(path)
    assert str(caught.value).startswith(f"文件「{path.name}」的各工作表合计至少有 ")
    assert str(caught.value).endswith(
        f"超过了每个文件 {SMALL_BUDGET} 个单元格的上限，已拒绝读取；请删去多余的工作表或远处零散的内容，或拆分成几个文件后再导入"
    )


def test_a_row_of_delimited_text_wider_than_a_worksheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "宽.csv"
    _csv_one_line(path, 16_384)
    with pytest.raises(FileError) as caught:
        read_sheets(path)
    assert str(caught.value) == f"文件「宽.csv」{TOO_LARGE}"


# --- what real files carry is read as before ---------------------------------------------------


def test_a_libreoffice_ods_with_its_trailing_empty_repeats_is_read(tmp_path: Path) -> None:
    """LibreOffice pads each row with one empty cell repeated to column XFD and the sheet with empty
    rows repeated to row 1,048,576: 17 billion cells if they counted. calamine drops them, the scan too."""
    from tests.etl.test_ods_extent import number, row, table, text, write_ods

    header = row(*[text(h) for h in DISPUTE_HEADERS], width=7)
    body = [row(number(i), *[text(f"值{i}")] * 6, width=7) for i in range(1, 51)]
    same = row(number(0), *[text("同")] * 6, repeat=5, width=7)  # identical rows: LibreOffice repeats them
    path = write_ods(tmp_path / "台账.ods", table("2020年", header, *body, same))
    assert b'number-rows-repeated="1048000"' in zipfile.ZipFile(path).read("content.xml")
    sheets = read_sheets(path)
    assert [(s.name, len(s.rows), len(s.rows[0])) for s in sheets] == [("2020年", 56, 7)]
    assert sheets[0].rows[0] == DISPUTE_HEADERS
    assert sheets[0].rows[-1] == [0.0, *["同"] * 6]


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="needs LibreOffice (soffice)")
def test_an_ods_saved_by_libreoffice_is_read(tmp_path: Path) -> None:
    xlsx = tmp_path / "台账.xlsx"
    xlsx.write_bytes(workbook_bytes(dispute_rows(30)))
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(xlsx)],
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},  # a profile of its own: no lock shared with another soffice
    )
    ods = tmp_path / "台账.ods"
    assert ods.exists(), done.stderr
    assert b"number-columns-repeated" in zipfile.ZipFile(ods).read("content.xml")
    got, want = read_sheets(ods), read_sheets(xlsx)
    assert [(s.name, len(s.rows), len(s.rows[0])) for s in got] == [(s.name, len(s.rows), len(s.rows[0])) for s in want]


def test_an_xlsb_is_refused_with_a_way_out(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    with pytest.raises(FileError) as caught:
        read_sheets(path)
    assert (
        str(caught.value)
        == "文件「台账.xlsb」是 Excel 二进制工作簿（.xlsb），无法读取，请在 Excel 中另存为 .xlsx 后再导入"
    )


# --- shared strings spelled out in every cell ----------------------------------------------------


def _shared_strings_xlsx(path: Path, strings: list[str], cells: Iterable[int]) -> Path:
    """An .xlsx of one sheet 台账 whose cells (ten a row) reference ``strings`` by index, the shared
    strings stored after the sheet (parts may come in any order)."""
    rows, row = [], []
    for index in cells:
        row.append(b'<c t="s"><v>%d</v></c>' % index)
        if len(row) == 10:
            rows.append(b"<row>" + b"".join(row) + b"</row>")
            row = []
    rows.append(b"<row>" + b"".join(row) + b"</row>")
    streamed_xlsx(path, rows)
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}" count="1">{items}</sst>')
    _name_shared_strings(path)
    return path


def _name_shared_strings(path: Path) -> None:
    """Add the workbook's relationship to its shared strings (zipfile can't replace a member: copy)."""
    rels = "xl/_rels/workbook.xml.rels"
    source = zipfile.ZipFile(path)
    copy = path.with_suffix(".tmp")
    with source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == rels:
                data = data.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rId2" Type="{_DOC_RELS}/sharedStrings" '
                    f'Target="sharedStrings.xml"/></Relationships>'.encode(),
                )
            target.writestr(info.filename, data)
    copy.replace(path)


def _shared_strings_xls(path: Path, strings: list[str], cells: Iterable[int]) -> Path:
    """An .xls (xlwt keeps text in its shared-string table) whose cells, ten a row, hold ``strings``."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    for i, index in enumerate(cells):
        sheet.write(i // 10, i % 10, strings[index])
    book.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_one_long_string_in_every_cell_is_refused_with_little_memory(tmp_path: Path, suffix: str) -> None:
    """One string of 30,000+ characters named by 20,000 cells: a 42 KB .xlsx took 3.3 GB, a 389 KB .xls
    4.6 GB (calamine copies the string into each cell, then each becomes a str)."""
    write, length, size = (
        (_shared_strings_xlsx, 34_000, 100_000) if suffix == ".xlsx" else (_shared_strings_xls, 30_000, 500_000)
    )
    path = write(tmp_path / f"台账{suffix}", ["纠" * length], [0] * 20_000)
    assert path.stat().st_size < size
    got = _probe(path)
    assert got["outcome"] == (
        f"文件「台账{suffix}」中的文字被大量单元格重复引用，展开后超过 100 MB 的上限（疑似压缩炸弹），已拒绝读取；"
        "请删去重复的长文字，或拆分成几个文件后再导入"
    )
    assert float(got["peak_mb"]) < READ_PEAK_MB, got


def test_long_distinct_strings_in_an_xls_are_read_within_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """600 strings of 3,402 characters used once each, 20,000 cells of one short one: ≈ 6.1 MB as UTF-8."""
    long = [f"{i}号" + "调解经过" * 850 for i in range(600)]
    path = _shared_strings_xls(tmp_path / "卷宗.xls", ["是", *long], [*range(1, 601), *[0] * 20_000])
    _limits(monkeypatch, upload_max_uncompressed_mb=20)  # 10 MB of text
    rows = read_sheets(path)[0].rows
    assert rows[0][0] == "0号" + "调解经过" * 850 and rows[-1][-1] == "是"
    _limits(monkeypatch, upload_max_uncompressed_mb=10)  # 5 MB of text: the same file is refused
    with pytest.raises(FileError, match="展开后超过 5 MB 的上限"):
        read_sheets(path)


def _long_distinct_strings(path: Path) -> Path:
    """600 distinct strings of 10 KB each, each used once, and 20,000 cells of one short string: 6 MB of text."""
    long = [f"{i}号" + "调解经过" * 850 for i in range(600)]
    return _shared_strings_xlsx(path, ["是", *long], [*range(1, 601), *[0] * 20_000])


def test_long_distinct_strings_are_read_after_counting_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """count × longest (20,600 × 10 KB) passes the limit, so the strings the cells spell out are summed: 6 MB."""
    from etl import unpacked

    _limits(monkeypatch, upload_max_uncompressed_mb=20)  # 10 MB of text
    reckoned = []
    spelled_out = unpacked.spelled_out
    monkeypatch.setattr(unpacked, "spelled_out", lambda *a: reckoned.append(spelled_out(*a)) or reckoned[-1])
    path = _long_distinct_strings(tmp_path / "卷宗.xlsx")
    rows = read_sheets(path)[0].rows
    assert rows[0][1] == "1号" + "调解经过" * 850 and rows[-1][0] == "是"
    assert 6_000_000 < reckoned[0] < 6_300_000
    _limits(monkeypatch, upload_max_uncompressed_mb=10)  # 5 MB of text: the same file is refused
    with pytest.raises(FileError, match="展开后超过 5 MB 的上限"):
        read_sheets(path)


def test_an_ordinary_ledger_is_inflated_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel keeps a ledger's text as shared strings: 20,000 cells × the longest string is far within
    the limit, so no part is inflated twice."""
    from etl import unpacked

    inflated: list[str] = []
    parts = unpacked._parts
    monkeypatch.setattr(unpacked, "_parts", lambda archive, name: (inflated.append(name), parts(archive, name))[1])
    strings = [*DISPUTE_HEADERS, *(f"当事人{i}，因宅基地边界发生争执" for i in range(2000))]
    cells = [*range(7), *(j for i in range(2000) for j in (7 + i, 2, 3, 7 + i, 5, 6, 7 + (i + 1) % 2000))]
    path = _shared_strings_xlsx(tmp_path / "台账.xlsx", strings, cells)
    assert len(read_sheets(path)[0].rows) == 1401
    assert "xl/sharedStrings.xml" in inflated
    assert len(inflated) == len(set(inflated))
