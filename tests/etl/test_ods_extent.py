"""The scan of an .ods's content.xml counts the grid calamine will build, before calamine builds it.

Each case is a content.xml written here; where calamine can read it, the count is compared with the
grid calamine reports for the same file, so a change in calamine's reading shows up here first.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from etl.errors import FileError
from etl.ods_extent import OdsExtent
from tests.etl.workbooks import RecordingBudget

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def content(tables: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES} office:version="1.3">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    ).encode()


def write_ods(path: Path, tables: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content(tables))
    return path


def number(value: int, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="float" office:value="{value}"{repeated}><text:p>{value}</text:p></table:table-cell>'


def text(value: str) -> str:
    return f'<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>{value}</text:p></table:table-cell>'


EMPTY_TO_END = '<table:table-cell table:number-columns-repeated="{n}"/>'


def row(*cells: str, repeat: int = 1, width: int = 0) -> str:
    """A row as LibreOffice writes it: its cells, then one empty cell repeated to column XFD."""
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-row table:style-name="ro1"{repeated}>{"".join(cells)}{EMPTY_TO_END.format(n=16384 - width)}</table:table-row>'


def table(name: str, *rows: str, trailing: bool = True) -> str:
    """A sheet as LibreOffice writes it: its rows, then empty rows repeated to row 1,048,576."""
    end = f'<table:table-row table:number-rows-repeated="1048000">{EMPTY_TO_END.format(n=16384)}</table:table-row>'
    return f'<table:table table:name="{name}"><table:table-column table:number-columns-repeated="16384"/>{"".join(rows)}{end if trailing else ""}</table:table>'


def scan(data: bytes, chunk: int = 1 << 20, max_rows: int = 200_000) -> tuple[list[int], int]:
    """(cells charged per sheet, bytes the repeats copy) for content.xml ``data`` fed ``chunk`` bytes at a time."""
    budget = RecordingBudget("t.ods", limit=10**12)
    extent = OdsExtent("t.ods", max_rows, budget)
    for at in range(0, len(data), chunk):
        extent.feed(data[at : at + chunk])
    extent.close()
    return budget.charged, extent.expanded


def calamine_cells(path: Path) -> list[int]:
    import python_calamine as pc

    workbook = pc.CalamineWorkbook.from_path(str(path))
    ends = [workbook.get_sheet_by_name(name).end for name in workbook.sheet_names]
    return [(end[0] + 1) * (end[1] + 1) if end else 0 for end in ends]


AGREES = [
    ("a LibreOffice ledger", table("台账", row(text("受理日期"), text("当事人"), width=2), row(number(1), number(2), width=2))),
    ("repeated rows and cells with values", table("S", row(number(1, repeat=300), repeat=40, width=300))),
    ("empty cells before a value count", table("S", row(EMPTY_TO_END.format(n=50), number(1), width=51))),
    ("empty rows before a value count", table("S", '<table:table-row table:number-rows-repeated="70"><table:table-cell/></table:table-row>', row(number(1), width=1))),
    ("a formula without a value", table("S", row('<table:table-cell table:formula="of:=1"/>', width=1))),
    ("a string cell with no text", table("S", row('<table:table-cell office:value-type="string"/>' * 3, width=3))),
    ("two sheets", table("A", row(number(1), width=1)) + table("B", row(number(1, repeat=20), repeat=30, width=20))),
    ("a > inside an attribute", table("S", row('<table:table-cell table:style-name="a>b" office:value-type="float" office:value="1" table:number-columns-repeated="9"/>', width=9))),
    ("a quoted < hides no tag", table("S", row('<table:table-cell a="&lt;" office:value-type="float" office:value="1"/>', width=1))),
    ("a character reference in rows-repeated", table("S", '<table:table-row table:number-rows-repeated="&#52;">' + number(1, repeat=3) + "</table:table-row>")),
    ("an unnamed table", '<table:table><table:table-row>' + number(1) + "</table:table-row></table:table>" + table("S", row(number(1), width=1))),
    ("covered cells", table("S", row(number(1), '<table:covered-table-cell table:number-columns-repeated="4"/>', number(2), width=6))),
]  # fmt: skip


@pytest.mark.parametrize(("case", "tables"), AGREES, ids=[case for case, _ in AGREES])
def test_the_count_is_at_least_calamines_grid(tmp_path: Path, case: str, tables: str) -> None:
    path = write_ods(tmp_path / "t.ods", tables)
    counted, _ = scan(content(tables))
    real = calamine_cells(path)
    named = counted[-len(real) :] if real else []  # an unnamed table is counted, calamine skips it
    assert all(mine >= theirs for mine, theirs in zip(named, real, strict=True)), (counted, real)
    assert named == real or case in LOOSE, (counted, real)


LOOSE = {"a formula without a value"}  # calamine's grid holds values only; the count takes the formula's cell


def test_trailing_empty_repeats_are_not_counted() -> None:
    """What LibreOffice writes after every row and sheet is 16,369 empty cells and a million empty rows."""
    ledger = table(
        "台账",
        row(text("受理日期"), text("当事人"), width=2),
        *[row(number(i), number(i), width=2) for i in range(100)],
    )
    counted, expanded = scan(content(ledger))
    assert counted == [101 * 2]
    assert expanded == 0


def test_any_chunking_gives_the_same_count() -> None:
    tables = "".join(case for _, case in AGREES)
    whole = scan(content(tables))
    for size in (1, 7, 64, 333):
        assert scan(content(tables), chunk=size) == whole


def test_repeats_that_copy_text_are_counted_as_bytes() -> None:
    long = "长" * 1000
    counted, expanded = scan(
        content(
            table(
                "S",
                row(
                    f'<table:table-cell office:value-type="string" table:number-columns-repeated="10"><text:p>{long}</text:p></table:table-cell>',
                    repeat=5,
                    width=10,
                ),
            )
        )
    )
    assert counted == [5 * 10]
    assert expanded >= 5 * 9 * len(long.encode())
    _, spaces = scan(
        content(
            table(
                "S",
                row(
                    '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="100000000"/></text:p></table:table-cell>',
                    width=1,
                ),
            )
        )
    )
    assert spaces >= 100_000_000  # calamine would write a 100 MB string of spaces


REFUSED = [
    ("a table inside a cell", table("S", row('<table:table-cell office:value-type="string"><table:table table:name="x"/></table:table-cell>', width=1)), "已损坏"),
    ("a row ended inside a cell", table("S", row('<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-row><table:table-row>' + number(1) + "</table:table-cell>", width=1)), "已损坏"),
    ("a cell outside a row", table("S", number(1, repeat=1000)), "已损坏"),
    ("a table left open", '<table:table table:name="S"><table:table-row>' + number(1) + "</table:table-row>", "已损坏"),
    ("a DTD", '<!DOCTYPE x [<!ENTITY a "b">]>' + table("S", row(number(1), width=1)), "XML 实体声明"),
    ("columns-repeated that calamine can't parse", table("S", row('<table:table-cell office:value="1" table:number-columns-repeated="&#51;"/>', width=3)), "已损坏"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "tables", "message"), REFUSED, ids=[case for case, _, _ in REFUSED])
def test_what_calamine_reads_otherwise_is_refused(case: str, tables: str, message: str) -> None:
    with pytest.raises(FileError, match=message):
        scan(content(tables))


def test_fake_tags_in_quotes_and_comments_split_nothing() -> None:
    """A row split in two would halve its width: tags inside quotes and comments are not tags (quick-xml)."""
    hidden = (
        '<table:table-cell a="</table:table-row><table:table-row>" office:value="1" table:number-columns-repeated="9000"/>'
        "<!-- </table:table></table:table><table:table table:name='y'> -->"
    )
    counted, _ = scan(content(table("S", row(hidden, number(1, repeat=9000), repeat=100, width=18000))))
    assert counted[0] >= 100 * 18000


def test_a_sheet_over_the_limits_is_refused_as_it_is_read() -> None:
    bomb = content(table("S1", row(number(1), width=1), row(number(1, repeat=1000), repeat=99_000, width=1000)))
    with pytest.raises(FileError, match="表格展开后过大"):
        scan(bomb)
    with pytest.raises(FileError, match="「长表」有 250,000 行，超过了每张工作表 200,000 行的上限"):
        scan(content(table("长表", row(number(1), repeat=250_000, width=1), row(number(1), width=1))))


def test_hidden_rows_and_columns_are_found_as_the_table_is_counted() -> None:
    columns = (
        '<table:table-column table:number-columns-repeated="2"/>'
        '<table:table-column table:visibility="collapse"/><table:table-column table:number-columns-repeated="16381"/>'
    )
    hidden = row(number(1), repeat=2, width=1).replace(
        'style-name="ro1"', 'style-name="ro1" table:visibility="filter"', 1
    )
    padding = '<table:table-row table:visibility="collapse" table:number-rows-repeated="9999"><table:table-cell/></table:table-row>'
    tables = f'<table:table table:name="A">{columns}{row(number(1), width=1)}{hidden}{padding}</table:table>'
    tables += table("B", row(number(1), width=1))
    extent = OdsExtent("t.ods", 200_000, RecordingBudget("t.ods", limit=10**12))
    data = content(tables)
    for at in range(0, len(data), 7):  # tags split across chunks anywhere
        extent.feed(data[at : at + 7])
    extent.close()
    assert extent.hidden == [([1, 2], [2]), ([], [])]  # the empty padding rows hide nothing


def test_a_hidden_row_of_an_ods_ledger_is_said(tmp_path: Path) -> None:
    from etl.parse import parse_file

    header = ["序号", "受理日期", "所属村(社区)", "纠纷类型", "当事人", "调解方式", "调解结果"]
    cells = [[1, "2020-01-02", "龙村", "邻里纠纷", "张三", "书面", "调解成功"], [2, "2020-01-03", "龙村", "邻里纠纷", "李四", "口头", "调解成功"]]  # fmt: skip

    def cell(value: object) -> str:
        return number(value) if isinstance(value, int) else text(str(value))

    rows = [row(text("东坪乡2020年矛盾纠纷排查调处台账"), width=1), row(*map(text, header), width=7)]
    rows += [row(*map(cell, values), width=7) for values in cells]
    rows[-1] = rows[-1].replace('style-name="ro1"', 'style-name="ro1" table:visibility="collapse"', 1)
    sheet = parse_file(write_ods(tmp_path / "台账.ods", table("2020年", *rows))).sheets[0]
    assert sheet.row_count == 2
    assert [w[2:] for w in sheet.warning_rows] == [
        (4, None, None, "此行在文件中被隐藏（打开文件时看不到），已照常计入；如不应计入，请删除该行后重新导入")
    ]
