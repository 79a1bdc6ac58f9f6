"""A formula the file holds no value for is never read as blank, zero or data: the row is rejected
when the formula is in a column that counts, and every other such cell is a warning naming it."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from etl.parse import cell_ref, parse_file
from tests.workbooks import TRAINING_HEADER


@pytest.mark.parametrize(
    "row, col, ref", [(0, 0, "A1"), (11, 5, "F12"), (2, 25, "Z3"), (0, 26, "AA1"), (9, 701, "ZZ10")]
)
def test_cell_ref(row: int, col: int, ref: str) -> None:
    assert cell_ref(row, col) == ref


def test_formulas_without_values(tmp_path: Path) -> None:
    book = openpyxl.Workbook()  # openpyxl writes formulas without computing them, as many programs do
    sheet = book.active
    sheet.append(["郑集镇2021年学法培训台账"])
    sheet.append([*TRAINING_HEADER, "备注"])
    sheet.append([dt.datetime(2021, 3, 1), "民法典", "执法培训", 2, "王芳", "执法办", "是", "=1+1"])
    sheet.append([dt.datetime(2021, 3, 2), "民法典", "执法培训", "=1+2", "李明", "执法办", "是", ""])
    sheet.append([dt.datetime(2021, 3, 3), "民法典", "执法培训", 3, "张三", "执法办", "是", ""])
    sheet.append(["合计", "", "", "=SUM(D3:D5)", "", "", "", ""])
    book.save(tmp_path / "t.xlsx")
    parsed = parse_file(tmp_path / "t.xlsx").sheets[0]
    assert list(parsed.rows["name"]) == ["王芳", "张三"] and list(parsed.rows["hours"]) == [2.0, 3.0]
    [reject] = parsed.rejects.to_dict("records")
    assert (
        reject["excel_row"] == 4 and reject["reason"].startswith("单元格 D4 是公式") and "无法读取" in reject["reason"]
    )
    notes = parsed.warnings[["excel_row", "column_name"]].to_dict("records")
    assert notes == [{"excel_row": 3, "column_name": "备注"}, {"excel_row": 6, "column_name": "学时"}]
    assert all("没有它可用的计算结果" in m for m in parsed.warnings["message"])  # and no false 合计 warning


def _with_error_results(source: Path, target: Path) -> Path:
    """``source`` with each formula's result written as Excel writes an error: t="e" and <v>#N/A</v>."""
    import re
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode()
                text = re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>',
                              r'<c r="\1" t="e"><f>\3</f><v>#N/A</v></c>', text)  # fmt: skip
                data = text.encode()
            new.writestr(item, data)
    return target


def test_a_formula_whose_result_is_an_error_is_not_read_as_blank(tmp_path: Path) -> None:
    """A VLOOKUP that found nothing shows #N/A; calamine reads it as '', which made 张伟 silently no officer
    and 李强's hours 0 (an outside test's finding F23)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["郑集镇2021年学法培训台账"])
    sheet.append(TRAINING_HEADER)
    sheet.append([dt.datetime(2021, 3, 1), "民法典", "执法培训", 2, "王芳", "执法办", "是"])
    sheet.append([dt.datetime(2021, 3, 1), "民法典", "执法培训", 2, "张伟", "执法办", "=VLOOKUP(E4,名册!A:C,3,0)"])
    sheet.append([dt.datetime(2021, 3, 1), "民法典", "执法培训", "=VLOOKUP(E5,学时!A:B,2,0)", "李强", "执法办", "是"])
    book.save(tmp_path / "plain.xlsx")
    path = _with_error_results(tmp_path / "plain.xlsx", tmp_path / "t.xlsx")
    assert b't="e"' in __import__("zipfile").ZipFile(path).read("xl/worksheets/sheet1.xml")
    parsed = parse_file(path).sheets[0]
    assert list(parsed.rows["name"]) == ["王芳"]
    reasons = {r["excel_row"]: r["reason"] for r in parsed.rejects.to_dict("records")}
    assert sorted(reasons) == [4, 5]
    assert reasons[4].startswith("单元格 G4 是公式") and "#N/A" in reasons[4] and "修正出错的公式" in reasons[4]
