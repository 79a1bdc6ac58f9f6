"""Reading what other systems export, and formulas saved without their values (etl.readers).

Every file is written here, in tmp_path, and read through ``read_sheets`` (and, end to end,
through ``parse_file``).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from etl import xlsx_formulas
from etl.errors import FileError
from etl.parse import SheetResult, parse_file
from etl.readers import read_sheets
from etl.xlsx_formulas import cell_position, uncached_cells
from tests.workbooks import disputes_sheet, two_row_disputes, write_csv, write_xls, write_xlsx

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


# --- formulas without a cached value (.xlsx) ---------------------------------------------------


def raw_xlsx(path: Path, sheets: dict[str, str], root: str = "worksheet", ns: str = "") -> Path:
    """A minimal .xlsx whose sheets' <sheetData> content is given as XML text.

    Sheet i's part is named in reverse order (the first sheet is the last part) so a reader that
    guesses parts from the sheet order, not the relationships, is caught.
    """
    n = len(sheets)
    prefix = f"{ns}:" if ns else ""
    xmlns = f'xmlns:{ns}="{MAIN_NS}"' if ns else f'xmlns="{MAIN_NS}"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, name in enumerate(sheets)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n - i}.xml"/>'
            for i in range(n)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}">{rels}</Relationships>',
        )
        for i, body in enumerate(sheets.values()):
            archive.writestr(
                f"xl/worksheets/sheet{n - i}.xml",
                f'<?xml version="1.0"?><{prefix}{root} {xmlns}><{prefix}sheetData>{body}'
                f"</{prefix}sheetData></{prefix}{root}>",
            )
    return path


def with_cached_values(source: Path, target: Path, value: str = "45") -> Path:
    """``source`` with every empty <v> of a formula cell filled in, as Excel would save it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(</f>)<v\s*/>|(</f>)<v></v>", rb"\1\2<v>" + value.encode() + rb"</v>", data)
            new.writestr(item, data)
    return target


def formula_workbook(path: Path) -> Path:
    """A small ledger whose F12 holds =SUM(F3:F11), written by openpyxl (no value is computed)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "汇总"
    sheet.append(["东坪乡2023年调解经费"])
    sheet.append(["序号", "村", "件数", "书面", "口头", "经费"])
    for i in range(9):
        sheet.append([i + 1, f"第{i + 1}村", 5, 2, 3, 5])
    sheet["F12"] = "=SUM(F3:F11)"
    book.save(path)
    return path


def test_openpyxl_formula_is_uncached(tmp_path: Path) -> None:
    sheet = read_sheets(formula_workbook(tmp_path / "a.xlsx"))[0]
    assert sheet.uncached == [(11, 5)]
    assert sheet.rows[2][5] == 5  # calamine's values are as before


def test_saved_with_values_lists_none(tmp_path: Path) -> None:
    path = with_cached_values(formula_workbook(tmp_path / "a.xlsx"), tmp_path / "b.xlsx")
    sheet = read_sheets(path)[0]
    assert sheet.uncached == []
    assert sheet.rows[11][5] == 45


@pytest.mark.parametrize(
    ("cell", "uncached"),
    [
        ('<c r="B1"><f>A1*2</f><v>2</v></c>', False),
        ('<c r="B1"><f>A1*2</f><v>0</v></c>', False),
        ('<c r="B1"><f>A1*2</f></c>', True),
        ('<c r="B1"><f>A1*2</f><v/></c>', True),
        ('<c r="B1"><f>A1*2</f><v></v></c>', True),
        ('<c r="B1" s="3"><f>A1*2</f><v> </v></c>', True),
        ('<c r="B1" t="str"><f>IF(A1="","",A1)</f><v/></c>', False),  # Excel's empty-string result
        ('<c r="B1" t="str"><f>A1&amp;"x"</f></c>', True),
        ('<c r="B1" t="b"><f>A1&gt;0</f><v>1</v></c>', False),
        ('<c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c>', True),  # an error is no usable value
        ('<c r="B1" t="inlineStr"><f>A1</f><is><t>x</t></is></c>', False),
        ('<c r="B1" t="shared"><f t="shared" si="0"/></c>', True),
        ('<c r="B1"><f t="shared" si="0"/><v>3</v></c>', False),
        ('<c r="B1" t="n"><v>2</v></c>', False),
    ],
)
def test_which_formula_cells_count(tmp_path: Path, cell: str, uncached: bool) -> None:
    path = raw_xlsx(tmp_path / "a.xlsx", {"S": f'<row r="1"><c r="A1"><v>1</v></c>{cell}</row>'})
    assert read_sheets(path)[0].uncached == ([(0, 1)] if uncached else [])


def test_shared_formula_followers_and_sheet_mapping(tmp_path: Path) -> None:
    first = '<row r="1"><c r="A1"><v>1</v></c></row>'
    second = (
        '<row r="3"><c r="AB3"><f t="shared" ref="AB3:AB5" si="0">A3*2</f></c></row>'
        '<row r="4"><c r="AB4"><f t="shared" si="0"/></c></row>'
        '<row r="5"><c r="AB5"><f t="shared" si="0"/><v>8</v></c></row>'
    )
    sheets = read_sheets(raw_xlsx(tmp_path / "a.xlsx", {"一月": first, "二月": second}))
    assert [(s.name, s.uncached) for s in sheets] == [("一月", []), ("二月", [(2, 27), (3, 27)])]


def test_cells_without_references_and_prefixed_xml(tmp_path: Path) -> None:
    # r is optional: a cell then follows the one before it (the sheet is parsed, not searched)
    no_refs = '<row><c><v>1</v></c><c><f>A1</f></c></row><row r="4"><c r="C4"><v>2</v></c><c><f>C4</f></c></row>'
    prefixed = '<x:row r="2"><x:c r="B2"><x:f>1+1</x:f><x:v/></x:c><x:c r="C2"><x:f>B2</x:f><x:v>2</x:v></x:c></x:row>'
    assert read_sheets(raw_xlsx(tmp_path / "a.xlsx", {"S": no_refs}))[0].uncached == [(0, 1), (3, 3)]
    assert uncached_cells(raw_xlsx(tmp_path / "b.xlsx", {"S": prefixed}, ns="x")) == {"S": [(1, 1)]}


def test_formula_like_names_are_not_formulas(tmp_path: Path) -> None:
    body = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;f&gt; 公式</t></is></c></row>'
    extra = (
        '<dataValidations><dataValidation sqref="A1"><formula1>"是,否"</formula1></dataValidation></dataValidations>'
    )
    path = raw_xlsx(tmp_path / "a.xlsx", {"S": body})
    data = (
        zipfile.ZipFile(path)
        .read("xl/worksheets/sheet1.xml")
        .replace(b"</sheetData>", b"</sheetData>" + extra.encode())
    )
    assert xlsx_formulas._uncached_in(data, b"") == []


def test_dtd_in_a_sheet_is_not_parsed(tmp_path: Path) -> None:
    bomb = (
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1"><f>&b;</f></c></row></sheetData></worksheet>'
    )
    path = raw_xlsx(tmp_path / "a.xlsx", {"S": ""})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/worksheets/bomb.xml", bomb)
        parts = xlsx_formulas.sheet_parts(archive)
        assert xlsx_formulas._scan_part(archive, "xl/worksheets/bomb.xml") == []
    assert parts == {"S": "xl/worksheets/sheet1.xml"}


def test_large_sheet_without_formulas_is_only_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["受理日期", "所属村", "纠纷类型", "调解方式", "调解结果"])
    for i in range(20_000):
        sheet.append([f"2023-{i % 12 + 1:02d}-01", f"第{i % 9}村", "邻里纠纷", "口头", "调解成功"])
    book.save(tmp_path / "big.xlsx")

    def never(*_args: object) -> list[tuple[int, int]]:
        raise AssertionError("a sheet without formulas was parsed")

    monkeypatch.setattr(xlsx_formulas, "_uncached_in", never)
    sheets = read_sheets(tmp_path / "big.xlsx")
    assert [(len(s.rows), s.uncached) for s in sheets] == [(20_001, [])]


@pytest.mark.parametrize(
    ("ref", "position"), [("A1", (0, 0)), ("F12", (11, 5)), ("AB12", (11, 27)), ("XFD3", (2, 16383))]
)
def test_cell_position(ref: str, position: tuple[int, int]) -> None:
    assert cell_position(ref) == position


def test_other_formats_report_no_uncached_cells(tmp_path: Path) -> None:
    for path in (
        write_xls(tmp_path / "a.xls", {"S": disputes_sheet()}),
        write_csv(tmp_path / "a.csv", disputes_sheet()),
    ):
        assert [s.uncached for s in read_sheets(path)] == [[]]


# --- exports from other systems: HTML, UTF-16 text, SpreadsheetML -------------------------------

TOWN_TITLE = "东坪乡2023年矛盾纠纷排查调处台账"
HEADER = ["受理日期", "所属村", "纠纷类型", "调解方式", "调解结果"]
LEDGER = [
    ["2023-01-05", "东山村", "邻里纠纷", "书面", "调解成功"],
    ["2023/2/10", "西岭村", "婚姻家庭纠纷", "口头", "调解成功"],
    ["2023年3月1日", "东山村", "拖欠农民工工资", "口头", "调解不成"],
    ["2023-04-12", "南坪村", "邻里纠纷", "书面", "调解成功"],
    ["2023-05-20", "西岭村", "邻里纠纷", "口头", "调解成功"],
]
FIGURES = ["received_date", "village", "category", "agreement_form", "outcome"]


def html_page(body: str, charset: str | None = "utf-8") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}<title>导出</title><style>td {{ mso-number-format:'\\@'; }}</style></head><body>{body}</body></html>"


def ledger_table(two_row_header: bool = False) -> str:
    """The ledger as a web system exports it: a title cell spanning the table, then the header."""
    if two_row_header:
        head = (
            "<tr><th rowspan=2>受理日期</th><th rowspan=2>所属村</th><th rowspan=2>纠纷类型</th>"
            '<th colspan="2">调解方式</th><th rowspan=2>调解结果</th></tr><tr><th>书面</th><th>口头</th></tr>'
        )
        body = "".join(
            f"<tr><td>{d}</td><td>{v}</td><td>{k}</td><td>{'√' if m == '书面' else ''}</td>"
            f"<td>{'√' if m == '口头' else '&nbsp;'}</td><td>{o}</td></tr>"
            for d, v, k, m, o in LEDGER
        )
        width = 6
    else:
        head = "<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"
        body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>\n" for row in LEDGER)
        width = 5
    return f'<table border="1"><tr><td colspan="{width}">{TOWN_TITLE}</td></tr>{head}{body}</table>'


def even(data: bytes) -> bytes:
    """``data`` padded to an even length, so decoding it as UTF-16 would not fail on its own."""
    return data + b" " * (len(data) % 2)


def tab_text(rows: list[list[str]]) -> str:
    return "".join("\t".join(row) + "\r\n" for row in rows)


def one_disputes(path: Path) -> SheetResult:
    result = parse_file(path)
    assert [s.dataset for s in result.sheets] == ["disputes"], result.skipped
    return result.sheets[0]


def figures(sheet: SheetResult) -> list[list[object]]:
    return sheet.rows[FIGURES].astype(str).values.tolist()


@pytest.fixture(scope="module")
def xlsx_figures(tmp_path_factory: pytest.TempPathFactory) -> list[list[object]]:
    """The same ledger as an .xlsx: what every export must come out as."""
    path = tmp_path_factory.mktemp("xlsx") / "ledger.xlsx"
    sheet = one_disputes(write_xlsx(path, {"台账": [[TOWN_TITLE], list(HEADER), *[list(r) for r in LEDGER]]}))
    return figures(sheet)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("utf8.xls", html_page(ledger_table()).encode("utf-8")),
        ("gb2312.xls", html_page(ledger_table(), "gb2312").encode("gb18030")),
        ("gbk-no-meta.xls", html_page(ledger_table(), None).encode("gb18030")),
        ("bom.htm", b"\xef\xbb\xbf" + html_page(ledger_table(), "gbk").encode("utf-8")),  # the BOM wins
        ("latin1-lie.xls", html_page(ledger_table(), "iso-8859-1").encode("gb18030")),
        ("utf16.xls", html_page(ledger_table(), "utf-16").encode("utf-16")),
        ("utf16-lie.xls", even(html_page(ledger_table(), "utf-16").encode("utf-8"))),  # would decode, as garbage
        ("bare-table", ledger_table().encode("utf-8")),
        ("two-row.xls", html_page(ledger_table(two_row_header=True)).encode("utf-8")),
    ],
)
def test_html_xls_parses_as_the_ledger(
    tmp_path: Path, xlsx_figures: list[list[object]], name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    sheet = one_disputes(path)
    assert (sheet.town, len(sheet.rows)) == ("东坪乡", len(LEDGER))
    assert sheet.rejects.empty
    assert figures(sheet) == xlsx_figures


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bom-le.xls", tab_text([[TOWN_TITLE], HEADER, *LEDGER]).encode("utf-16")),  # Excel's "Unicode text"
        ("bom-be.xls", b"\xfe\xff" + tab_text([[TOWN_TITLE], HEADER, *LEDGER]).encode("utf-16-be")),
        ("no-bom.txt", tab_text([[TOWN_TITLE], HEADER, *LEDGER]).encode("utf-16-le")),
        ("no-bom-be.csv", tab_text([[TOWN_TITLE], HEADER, *LEDGER]).encode("utf-16-be")),
        ("comma.xls", "\r\n".join(",".join(r) for r in [[TOWN_TITLE], HEADER, *LEDGER]).encode("utf-16")),
    ],
)
def test_utf16_text_parses_as_the_ledger(
    tmp_path: Path, xlsx_figures: list[list[object]], name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    sheet = one_disputes(path)
    assert (sheet.town, len(sheet.rows)) == ("东坪乡", len(LEDGER))
    assert sheet.rejects.empty
    assert figures(sheet) == xlsx_figures


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_and_mostly_chinese(tmp_path: Path, codec: str) -> None:
    # few ASCII characters, and 一 (U+4E00) puts a NUL byte on the other side of its pair
    rows = [["所属村名称", "纠纷类型", "调解结果"]] + [["第一村一组", "统一征地", "一致同意"] for _ in range(40)]
    path = tmp_path / "a.xls"
    path.write_bytes(tab_text(rows).encode(codec))
    assert read_sheets(path)[0].rows[:2] == rows[:2]


def test_delimited_text_with_lone_carriage_returns(tmp_path: Path) -> None:
    # old Mac line ends: csv.Error ("new-line character seen in unquoted field") before
    path = tmp_path / "a.txt"
    path.write_bytes("受理日期\t所属村\r2023-01-05\t东山村\r".encode("utf-16"))
    assert read_sheets(path)[0].rows == [["受理日期", "所属村"], ["2023-01-05", "东山村"]]


def test_html_spans_are_merged_like_calamine(tmp_path: Path) -> None:
    rows, merges = two_row_disputes()
    xlsx = read_sheets(write_xlsx(tmp_path / "d.xlsx", {"S": rows}, {"S": merges}))[0]
    html = (
        f"<table><tr><td colspan=7>{rows[0][0]}</td></tr>"
        "<tr><th rowspan=2>序号</th><th rowspan=2>受理日期</th><th rowspan=2>所属村</th>"
        "<th colspan=2>调解方式</th><th colspan=2>调解结果</th></tr>"
        "<tr><th>书面</th><th>口头</th><th>成功</th><th>失败</th></tr>"
        "<tr><td>1</td><td>2020-01-02</td><td>龙村</td><td>√</td><td></td><td>√</td><td></td></tr></table>"
    )
    (tmp_path / "d.xls").write_text(html, encoding="utf-8")
    sheet = read_sheets(tmp_path / "d.xls")[0]
    assert sorted(sheet.merged) == sorted(xlsx.merged)
    assert sheet.rows[:3] == xlsx.rows[:3]
    assert sheet.rows[3] == ["1", "2020-01-02", "龙村", "√", "", "√", ""]


def test_html_cell_text(tmp_path: Path) -> None:
    cells = [
        "  调解\n   成功 ",
        "&nbsp;东山村&nbsp;",
        "第一行<br>第二行<br/><br>第四行",
        "<p>甲</p><p>乙</p>",
        "<span>王</span><b>某某</b>",
        "&lt;无&gt; &amp; 其他",
        "<div><table><tr><td>里</td></tr></table></div>外",
    ]
    html = "<table><tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr><tr><td>x<td>y</tr></table>"
    (tmp_path / "a.htm").write_text(html, encoding="utf-8")
    sheet = read_sheets(tmp_path / "a.htm")[0]
    assert sheet.rows[0] == ["调解 成功", "东山村", "第一行\n第二行\n\n第四行", "甲\n乙", "王某某", "<无> & 其他", "外"]
    assert sheet.rows[1] == ["x", "y", "", "", "", "", ""]


def test_excel_web_page_export(tmp_path: Path) -> None:
    """Excel's "Save as web page": conditional comments, x: attributes, mso number formats."""
    html = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
        "<head><meta name=ProgId content=Excel.Sheet><!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets>"
        "<x:ExcelWorksheet><x:Name>台账</x:Name></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml>"
        '<![endif]--><style>.xl65 {mso-number-format:"yyyy\\/m\\/d";}</style></head><body>'
        "<table x:str border=0 cellpadding=0 cellspacing=0 width=300><col width=72 span=2>"
        '<tr height=19><td height=19 class=xl65 x:num="44931">2023/1/5</td><td x:num>12</td></tr>'
        "<![if supportMisalignedColumns]><tr height=0 style='display:none'><td width=72></td></tr><![endif]>"
        "<![weird section]>"
        "</table></body></html>"
    )
    (tmp_path / "a.xls").write_text(html, encoding="utf-8")
    sheets = read_sheets(tmp_path / "a.xls")
    assert [(s.name, s.rows[0]) for s in sheets] == [("a", ["2023/1/5", "12"])]


def test_several_tables_captions_titles_and_nesting(tmp_path: Path) -> None:
    html = html_page(
        "<h2>东坪乡2023年台账</h2><p>导出时间：2024-01-02</p>"
        "<table><caption>矛盾纠纷</caption><tr><td>受理日期</td><td>所属村</td></tr><tr><td>2023-1-5</td><td>东山村</td></tr></table>"
        "<table><tr><td>a</td><td>b</td></tr></table>"
        "<table><tr><td>无表头</td></tr></table>"
        # a layout table: its title cell goes above the data table inside it; it is no sheet itself
        "<table><tr><td>西岭乡2023年学法培训台账</td></tr><tr><td>"
        "<table><tr><td>培训日期</td><td>姓名</td></tr><tr><td>2023-3-1</td><td>张三</td></tr></table>"
        "</td></tr></table>"
        "<table><caption>矛盾纠纷</caption><tr><td>c</td><td>d</td></tr></table>"
        "<table><tr><td>  </td></tr></table>"  # nothing in it: no sheet
    )
    (tmp_path / "导出.xls").write_text(html, encoding="utf-8")
    sheets = read_sheets(tmp_path / "导出.xls")
    assert [s.name for s in sheets] == ["矛盾纠纷", "导出_2", "导出_3", "导出_4", "矛盾纠纷_2"]
    first = sheets[0]
    assert first.rows == [
        ["东坪乡2023年台账", ""],
        ["导出时间：2024-01-02", ""],
        ["矛盾纠纷", ""],
        ["受理日期", "所属村"],
        ["2023-1-5", "东山村"],
    ]
    assert first.merged == [((2, 0), (2, 1))]
    assert sheets[3].rows == [["西岭乡2023年学法培训台账", ""], ["培训日期", "姓名"], ["2023-3-1", "张三"]]


def test_nested_data_table_inside_a_data_table(tmp_path: Path) -> None:
    inner = "<table><tr><td>i1</td><td>i2</td></tr><tr><td>i3</td><td>i4</td></tr></table>"
    html = f"<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d{inner}e</td></tr><tr><td>f</td><td>g</td></tr>"
    (tmp_path / "n.xls").write_text(html + "</table>", encoding="utf-8")  # and never closed: no crash
    sheets = read_sheets(tmp_path / "n.xls")
    assert [s.rows for s in sheets] == [[["a", "b"], ["c", "de"], ["f", "g"]], [["i1", "i2"], ["i3", "i4"]]]


def test_unclosed_caption_ends_at_the_cells(tmp_path: Path) -> None:
    (tmp_path / "c.xls").write_text("<table><caption>台账<tr><td>a</td> 间 <td>b</td></tr></table>", encoding="utf-8")
    sheet = read_sheets(tmp_path / "c.xls")[0]
    assert (sheet.name, sheet.rows) == ("台账", [["台账", ""], ["a", "b"]])


def test_spans_are_clamped(tmp_path: Path) -> None:
    html = (
        "<table><tr><td rowspan=99>a</td><td colspan=0>b</td><td rowspan=0>c</td><td colspan='2x'>d</td></tr>"
        "<tr><td>e</td><td>f</td><td>g</td></tr></table>"
    )
    (tmp_path / "s.xls").write_text(html, encoding="utf-8")
    sheet = read_sheets(tmp_path / "s.xls")[0]
    assert sheet.rows == [["a", "b", "c", "d", ""], ["", "e", "", "f", "g"]]
    assert sheet.merged == [((0, 0), (1, 0)), ((0, 2), (1, 2)), ((0, 3), (0, 4))]


def _layout_by_sets(table: list[list[tuple[int, int]]]) -> list[list[int]]:
    """Where each cell of ``table`` ((rowspan, colspan) per cell) lands, the plain way: a set of taken columns per row."""
    covered: dict[int, set[int]] = {}
    placed = []
    for r, raw in enumerate(table):
        taken, c, row = covered.pop(r, set()), 0, []
        for rowspan, colspan in raw:
            while c in taken:
                c += 1
            row.append(c)
            for below in range(r + 1, min(r + rowspan, len(table))):
                covered.setdefault(below, set()).update(range(c, c + colspan))
            c += colspan
        placed.append(row)
    return placed


@pytest.mark.parametrize("seed", range(40))
def test_spans_land_where_the_plain_layout_puts_them(tmp_path: Path, seed: int) -> None:
    """Random rowspans and colspans, overlapping ones too: each cell's text where taking columns one by one puts it."""
    import random

    rng = random.Random(seed)
    table = [
        [(rng.choice([1, 1, 2, 3, 9]), rng.choice([1, 1, 2, 4])) for _ in range(rng.randint(1, 5))]
        for _ in range(rng.randint(1, 8))
    ]
    table[0].append((1, 2))  # at least one span, so the spanned layout runs
    html = "<table>" + "".join(
        "<tr>" + "".join(f"<td rowspan={rs} colspan={cs}>{r}-{i}</td>" for i, (rs, cs) in enumerate(row)) + "</tr>"
        for r, row in enumerate(table)
    )
    (tmp_path / "r.xls").write_text(html + "</table>", encoding="utf-8")
    rows = read_sheets(tmp_path / "r.xls")[0].rows
    for r, columns in enumerate(_layout_by_sets(table)):
        for i, c in enumerate(columns):
            if f"{r}-{i}" not in [v for later in rows[r + 1 :] for v in later]:  # not written over by a later cell
                assert rows[r][c] == f"{r}-{i}", (table, rows)


SPAN_PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from etl.errors import FileError
from etl.readers import read_sheets
try:
    rows = read_sheets(Path(sys.argv[2]))[0].rows
    print(len(rows), len(rows[0]), end=" ")
except FileError as exc:
    print(exc, end=" ")
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) // 1024)
"""


def test_spans_cost_the_grid_not_a_set_per_row(tmp_path: Path) -> None:
    """24 KB of HTML: 16 cells spanning 1,000 columns and 1,240 rows, then 1,239 one-cell rows. The grid (19.8 M
    cells, within ``MAX_CELLS``) is ≈ 160 MB of row lists; a set of covered columns per row took 1.24 GB more."""
    import subprocess
    import sys

    rows = 1240
    head = "<tr>" + f'<td rowspan="{rows}" colspan="1000">受理日期</td>' * 16 + "</tr>"
    path = tmp_path / "东坪乡2020年矛盾纠纷排查调处台账.xls"
    path.write_text(f"<html><body><table>{head}{'<tr><td>1</td></tr>' * (rows - 1)}</table></body></html>")
    assert path.stat().st_size < 25_000
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", SPAN_PROBE, str(root), str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    height, width, peak_mb = done.stdout.split()
    assert (height, width) == ("1240", "16001")
    assert int(peak_mb) < 400  # 1,238 MB before (the probe's peak resident set, VmHWM)


SPREADSHEETML = """<?xml version="1.0" encoding="{encoding}"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">
 <Styles><Style ss:ID="d"><NumberFormat ss:Format="yyyy/m/d"/></Style></Styles>
 <Worksheet ss:Name="台账">
  <Table ss:ExpandedColumnCount="6">
   <Column ss:Width="80"/>
   <Row><Cell ss:MergeAcross="5"><Data ss:Type="String">{title}</Data></Cell></Row>
   <Row>
    <Cell ss:MergeDown="1"><Data ss:Type="String">受理日期</Data></Cell>
    <Cell ss:MergeDown="1"><Data ss:Type="String">所属村</Data></Cell>
    <Cell ss:MergeDown="1"><Data ss:Type="String">纠纷类型</Data></Cell>
    <Cell ss:MergeAcross="1"><Data ss:Type="String">调解方式</Data></Cell>
    <Cell ss:MergeDown="1"><Data ss:Type="String">调解结果</Data></Cell>
   </Row>
   <Row><Cell ss:Index="4"><Data ss:Type="String">书面</Data></Cell><Cell><Data ss:Type="String">口头</Data></Cell></Row>
   {rows}
   <Row ss:Index="{total_row}"><Cell><Data ss:Type="String">合计</Data></Cell>
    <Cell ss:Index="4" ss:Formula="=COUNTA(R[-6]C:R[-2]C)"><Data ss:Type="Number">2</Data></Cell>
    <Cell ss:Formula="=COUNTA(R[-6]C:R[-2]C)"/></Row>
  </Table>
 </Worksheet>
 <Worksheet ss:Name="说明"><Table><Row><Cell><ss:Data ss:Type="String"
   xmlns="http://www.w3.org/TR/REC-html40"><B>注</B>：本表<Font>每月</Font>报送</ss:Data><Comment><ss:Data>批注</ss:Data></Comment></Cell>
   <Cell><Data ss:Type="Boolean">1</Data></Cell><Cell><Data ss:Type="Number">3.5</Data></Cell>
   <Cell><Data ss:Type="DateTime">2023-01-05T08:30:00.000</Data></Cell><Cell><Data ss:Type="Error">#N/A</Data></Cell>
   <Cell><Data ss:Type="Number">不是数字</Data></Cell></Row></Table></Worksheet>
</Workbook>
"""


def spreadsheetml(encoding: str = "UTF-8") -> str:
    rows = "".join(
        f'<Row><Cell ss:StyleID="d"><Data ss:Type="DateTime">{dt.datetime(2023, 1 + i, 5).isoformat()}.000</Data></Cell>'
        f'<Cell><Data ss:Type="String">{v}</Data></Cell><Cell><Data ss:Type="String">{k}</Data></Cell>'
        + (
            '<Cell><Data ss:Type="String">√</Data></Cell><Cell ss:Index="6">'
            if m == "书面"
            else '<Cell ss:Index="5"><Data ss:Type="String">√</Data></Cell><Cell>'
        )
        + f'<Data ss:Type="String">{o}</Data></Cell></Row>'
        for i, (_d, v, k, m, o) in enumerate(LEDGER)
    )
    return SPREADSHEETML.format(encoding=encoding, title=TOWN_TITLE, rows=rows, total_row=3 + len(LEDGER) + 2)


def test_spreadsheetml_cells_types_and_merges(tmp_path: Path) -> None:
    (tmp_path / "a.xls").write_text(spreadsheetml(), encoding="utf-8")
    ledger, notes = read_sheets(tmp_path / "a.xls")
    assert (ledger.name, notes.name) == ("台账", "说明")
    assert ledger.rows[0] == [TOWN_TITLE, "", "", "", "", ""]
    assert ledger.rows[1] == ["受理日期", "所属村", "纠纷类型", "调解方式", "", "调解结果"]
    assert ledger.rows[2] == ["", "", "", "书面", "口头", ""]
    assert ledger.rows[3] == [dt.datetime(2023, 1, 5), "东山村", "邻里纠纷", "√", "", "调解成功"]
    assert ledger.rows[4][3:] == ["", "√", "调解成功"]
    assert ledger.merged == [
        ((0, 0), (0, 5)),
        ((1, 0), (2, 0)),
        ((1, 1), (2, 1)),
        ((1, 2), (2, 2)),
        ((1, 3), (1, 4)),
        ((1, 5), (2, 5)),
    ]
    total = 3 + len(LEDGER) + 1  # ss:Index="10" left a blank row before it
    assert ledger.rows[total - 1] == [""] * 6
    assert ledger.rows[total][:4] == ["合计", "", "", 2.0]
    assert ledger.uncached == [(total, 4)]
    assert notes.rows == [["注：本表每月报送", True, 3.5, dt.datetime(2023, 1, 5, 8, 30), "#N/A", "不是数字"]]


@pytest.mark.parametrize(("encoding", "codec"), [("UTF-8", "utf-8"), ("GB2312", "gb18030"), ("UTF-16", "utf-16")])
def test_spreadsheetml_parses_as_the_ledger(
    tmp_path: Path, xlsx_figures: list[list[object]], encoding: str, codec: str
) -> None:
    path = tmp_path / "导出.xml.xls"
    path.write_bytes(spreadsheetml(encoding).encode(codec))
    result = parse_file(path)
    sheet = result.sheets[0]
    assert [s.dataset for s in result.sheets] == ["disputes"]
    assert (sheet.town, len(sheet.rows)) == ("东坪乡", len(LEDGER))
    assert sheet.rejects.empty
    assert [r[1:] for r in figures(sheet)] == [r[1:] for r in xlsx_figures]
    assert [r[0][:7] for r in figures(sheet)] == [f"2023-0{m}" for m in range(1, 6)]


@pytest.mark.parametrize("extension", [".xls", ".xlsx", ".csv", ".txt", ".htm", ".html", ".xml", ""])
def test_extension_does_not_matter(tmp_path: Path, extension: str) -> None:
    contents = {
        "html": html_page(ledger_table()).encode("utf-8"),
        "utf16": tab_text([HEADER, *LEDGER]).encode("utf-16"),
        "spreadsheetml": spreadsheetml().encode("utf-8"),
    }
    for kind, content in contents.items():
        path = tmp_path / f"{kind}{extension}"
        path.write_bytes(content)
        assert "受理日期" in read_sheets(path)[0].rows[1 if kind != "utf16" else 0], kind


# --- files that can't be read --------------------------------------------------------------------

UNSAFE = '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.xls", html_page("<p>没有数据</p>").encode("utf-8"), "是网页文件，但其中没有表格"),
        ("empty-tables.xls", b"<table><tr><td> </td></tr></table>", "是网页文件，但其中没有表格"),
        ("wide.xls", ("<table><tr>" + "<td colspan=1000>x</td>" * 17 + "</tr></table>").encode(), "展开后过大"),
        (
            "bomb.xls",
            (UNSAFE + '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">&b;</Workbook>').encode(),
            "XML 实体声明",
        ),
        (
            "broken.xls",
            spreadsheetml().replace("</Table>", "", 1).encode("utf-8"),
            "已损坏或不是有效的 Excel 文件",
        ),
        (
            "far.xls",
            spreadsheetml().replace('<Cell ss:Index="4">', '<Cell ss:Index="99999">').encode("utf-8"),
            "展开后过大",
        ),
        (
            "bad-index.xls",
            spreadsheetml().replace('<Cell ss:Index="4">', '<Cell ss:Index="four">').encode("utf-8"),
            "已损坏或不是有效的 Excel 文件",
        ),
        ("other.xml", b'<?xml version="1.0"?><catalog><book>x</book></catalog>', "已损坏或不是有效的 Excel 文件"),
        ("nul.xls", b"a,b\r\n\x00\x01\x00\x02,\x00c" * 40, "已损坏或不是有效的 Excel 文件"),
        ("surrogate.xls", b"\xff\xfe" + "a\tb\r\n".encode("utf-16-le") + b"\x00\xd8", "已损坏或不是有效的 Excel 文件"),
        ("nul-text.xls", b"\xff\xfe" + "a\tb\x00\r\n".encode("utf-16-le"), "已损坏或不是有效的 Excel 文件"),
        ("one-column.txt", "甲\r\n乙\r\n".encode("utf-16"), "已损坏或不是有效的 Excel 文件"),
        ("bom-only.xls", b"\xff\xfe", "为空"),
        ("bad-utf8.htm", b"\xef\xbb\xbf<table><tr><td>\xd6\xd0</td></tr></table>", "已损坏或不是有效的 Excel 文件"),
        ("台账.et", "a\tb\r\n".encode("utf-16"), "WPS 表格格式"),
    ],
)
def test_unreadable_exports(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileError) as info:
        read_sheets(path)
    assert f"「{name}」" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("limit", "content", "message"),
    [
        ("MAX_MARKUP", html_page(ledger_table()).encode("utf-8"), "超过 0 MB"),
        ("MAX_MARKUP", spreadsheetml().encode("utf-8"), "超过 0 MB"),
        ("MAX_UNCOMPRESSED", tab_text([HEADER, *LEDGER]).encode("utf-16"), "超过 0 MB"),
        ("MAX_CELLS", ledger_table().encode("utf-8"), "展开后过大"),
    ],
)
def test_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, content: bytes, message: str) -> None:
    from etl import html_table, readers

    if limit == "MAX_CELLS":
        monkeypatch.setattr(html_table, limit, 10)
    else:
        monkeypatch.setattr(readers, limit, 100)
    path = tmp_path / "big.xls"
    path.write_bytes(content)
    with pytest.raises(FileError, match=message):
        read_sheets(path)
