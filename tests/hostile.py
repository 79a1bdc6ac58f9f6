"""Hostile ledgers for the attack tests: every text a person types into a cell, a file or a sheet
name is a spreadsheet formula, a CSV-injection payload or Markdown that fetches an image.

``build`` writes real .xlsx files (the payloads stored as text cells, as Excel saves what someone
typed) and loads them through the real ETL into a DuckDB file: disputes with payloads as village,
category, parties, mediator, summary, case number and note (one row rejected for its outcome, a
payload too), documents, training and a roster with payloads in their text columns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

FORMULAS = ('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1)", "+1", "-1", "\t=1", "\r=1")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
IMAGE = "![t](http://host/x.png)镇"
SCRIPT = "<script>alert(1)</script>"
MARKDOWN = (IMAGE, SCRIPT)
TOWN = "珠龙镇"
DISPUTES_FILE = "=cmd|' calc'!A0 矛盾纠纷台账.xlsx"
DISPUTES_SHEET = "@SUM(1)"

DISPUTE_HEADER = ["序号", "受理日期", "所属村(社区)", "纠纷类型", "当事人", "调解员", "纠纷简要情况", "编号",
                  "调解方式", "调解结果", "引导诉讼", "备注"]  # fmt: skip
DOCUMENT_HEADER = ["文号", "文件名称", "印发日期", "合法性审查", "公开途径", "是否备案", "备案日期", "效力状态"]
TRAINING_HEADER = ["培训日期", "培训内容", "形式", "学时", "姓名", "单位/岗位", "是否执法人员"]
STAFF_HEADER = ["年度", "姓名", "单位/岗位", "是否执法人员", "执法证号", "有效期至", "在岗状态"]


def payloads() -> tuple[str, ...]:
    return FORMULAS + MARKDOWN


def write_text_xlsx(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    """An .xlsx whose string cells are text cells, even those starting with "=" (as typed in Excel
    after a leading apostrophe, or as another program exports them)."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    book.save(path)
    return path


def dispute_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    texts = payloads()
    for i in range(28):
        text = texts[i % len(texts)]
        outcome, referred = ("调解不成", "是") if i % 7 == 3 else ("调解中", "") if i % 7 == 5 else ("调解成功", "")
        day = dt.datetime(2020, 1 + i % 12, 1 + i % 27)
        rows.append(
            [i + 1, day, text, text, text, text, text, text, "书面" if i % 2 else "口头", outcome, referred, text]
        )
    rows.append([99, dt.datetime(2020, 5, 5), FORMULAS[0], FORMULAS[1], "", "", "", "", "书面", FORMULAS[2], "", ""])
    return rows


def document_rows() -> list[list[object]]:
    texts = payloads()
    return [
        [text, text, dt.datetime(2020, 1 + i, 10), "否" if i % 2 else "是", "政府网站", "是", dt.datetime(2020, 2 + i, 28), text]
        for i, text in enumerate(texts)
    ]  # fmt: skip


def training_rows() -> list[list[object]]:
    texts = payloads()
    return [
        [dt.datetime(2020, 1 + i, 5), text, "依法行政专题学习会", 4, "张三" if i % 2 else "李四", text, "是"]
        for i, text in enumerate(texts)
    ]


def staff_rows() -> list[list[object]]:
    return [
        [2020, "张三", FORMULAS[0], "是", FORMULAS[1], dt.datetime(2020, 12, 31), "在岗"],
        [2020, "李四", IMAGE, "是", SCRIPT, dt.datetime(2021, 1, 31), "在岗"],
        [2020, "王五", FORMULAS[5], "是", FORMULAS[3], dt.datetime(2022, 6, 30), "在岗"],
    ]


def files(folder: Path) -> list[Path]:
    """The hostile ledgers, written into ``folder``."""
    return [
        write_text_xlsx(folder / DISPUTES_FILE, DISPUTES_SHEET,
                        [[f"{TOWN}2020年矛盾纠纷排查调处台账"], DISPUTE_HEADER, *dispute_rows()]),
        write_text_xlsx(folder / "+1 规范性文件.xlsx", "-1",
                        [[f"{TOWN}规范性文件登记备案台账"], DOCUMENT_HEADER, *document_rows()]),
        write_text_xlsx(folder / "@SUM(1) 学法培训.xlsx", "=1",
                        [[f"{TOWN}2020年学法培训台账"], TRAINING_HEADER, *training_rows()]),
        write_text_xlsx(folder / "-1 执法人员名册.xlsx", "+1",
                        [[f"{TOWN}行政执法人员名册"], STAFF_HEADER, *staff_rows()]),
    ]  # fmt: skip


def build(folder: Path) -> Path:
    """The hostile ledgers loaded through the real ETL into ``folder``/hostile.duckdb."""
    from etl.load import load_file

    path = folder / "hostile.duckdb"
    for source in files(folder):
        report = load_file(source, path)
        assert report.status == "loaded", report
    return path


# --- checking what came out ----------------------------------------------------------------------


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def formula_like(text: str) -> bool:
    """Text a spreadsheet would evaluate: it starts (after spaces) with = + - @, a tab or a CR."""
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def inert_xlsx(data: bytes, where: str) -> int:
    """Assert no cell of the workbook is a formula or formula-like text; the cells made inert."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    inert = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: {ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not formula_like(cell.value), f"{where}: {ws.title}!{cell.coordinate} = {cell.value!r}"
                    inert += cell.value.startswith("'") and formula_like(cell.value[1:])
    return inert


def inert_csv(text: str, where: str, delimiter: str = ",") -> int:
    """Assert no field of the CSV starts like a formula, unless it is a number; the fields made inert."""
    import csv
    import io

    inert = 0
    for r, row in enumerate(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter)):
        for field in row:
            assert not formula_like(field) or _is_number(field), f"{where}: row {r + 1} field {field!r}"
            inert += field.startswith("'") and formula_like(field[1:])
    return inert
