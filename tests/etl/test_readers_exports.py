"""Reading what other systems export, and formulas saved without their values (etl.readers).

Every file is written here, in tmp_path, and read through ``read_sheets`` (and, end to end,
through ``parse_file``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from etl import xlsx_formulas
from etl.readers import read_sheets
from etl.xlsx_formulas import cell_position, uncached_cells
from tests.workbooks import disputes_sheet, write_csv, write_xls

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
        ('<c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c>', False),
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
