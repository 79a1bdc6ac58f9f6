"""Small workbooks written in code for the tests: .xlsx (openpyxl), .xls (xlwt) and CSV."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

Rows = list[list[object]]

TITLE = "珠龙镇2020年矛盾纠纷排查调处台账"
DISPUTE_HEADER = ["序号", "受理日期", "所属村（社区）", "纠纷类型", "调解方式", "调解结果", "备注"]
DISPUTE_ROWS: Rows = [
    [1, dt.datetime(2020, 3, 5), "龙村村民委员会", "婚姻家庭纠纷", "书面", "调解成功", ""],
    [2, "2020/3/6", "东街社区居委会", "邻里纠纷", "口头协议", "调解不成", "转诉讼"],
    [3, "2020年4月1日", "", "拖欠农民工工资", "口头", "调解中", ""],
]


def write_xlsx(path: Path, sheets: dict[str, Rows], merges: dict[str, list[str]] | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for area in (merges or {}).get(name, []):
            sheet.merge_cells(area)
    book.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, Rows]) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, (dt.date, dt.datetime)):
                    sheet.write(r, c, value, date_style)
                elif value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row])
    return path


def disputes_sheet(header: list[str] | None = None, rows: Rows | None = None, title: bool = True) -> Rows:
    """A one-row-header disputes ledger with an optional title row above it."""
    body = [list(r) for r in (rows if rows is not None else DISPUTE_ROWS)]
    return ([[TITLE]] if title else []) + [list(header or DISPUTE_HEADER)] + body


def two_row_disputes() -> tuple[Rows, list[str]]:
    """Title, a two-row header (调解方式 over 书面|口头, 调解结果 over 成功|失败), a 合计 row, a footer."""
    rows: Rows = [
        [TITLE, None, None, None, None, None, None],
        ["序号", "受理日期", "所属村", "调解方式", None, "调解结果", None],
        [None, None, None, "书面", "口头", "成功", "失败"],
        [1, dt.datetime(2020, 1, 2), "龙村", "√", None, "√", None],
        [2, dt.datetime(2020, 1, 3), "龙村", None, "✓", "是", None],
        [3, dt.datetime(2020, 1, 4), "虎村", None, 1, None, "√"],
        [None, None, None, None, None, None, None],
        ["合计", None, None, 1, 2, 3, 1],
        ["填表人：张三", None, None, "审核人：李四", None, "填表日期：2021年1月5日", None],
    ]
    merges = ["A1:G1", "D2:E2", "F2:G2", "A2:A3", "B2:B3", "C2:C3"]
    return rows, merges


DOCUMENT_HEADER = ["文号", "文件名称", "印发日期", "合法性审查", "公开途径", "是否备案", "备案日期", "效力状态"]
DOCUMENT_ROWS: Rows = [
    [
        "珠政发〔2020〕1号",
        "关于甲的通知",
        dt.datetime(2020, 9, 30),
        "是",
        "政府网站",
        "是",
        dt.datetime(2020, 10, 9),
        "有效",
    ],
    ["珠政发〔2020〕2号", "关于乙的通知", "2020.3.5", "√", "", "否", None, "有效"],
]

TRAINING_HEADER = ["培训日期", "培训内容", "形式", "学时", "姓名", "单位/岗位", "是否执法人员"]
STAFF_HEADER = ["姓名", "单位/岗位", "是否执法人员", "执法证号", "有效期至", "在岗状态"]
