"""Blank ledger templates, one per dataset, that load with no rejects once filled in.

Each template has a title row naming the town (the parser reads the town from it), one header
row of canonical Chinese headers (aliases ``etl.specs`` recognises), drop-down lists for coded
columns, date formats, column widths, a frozen header and a 填写说明 sheet. Formats and
validations are set on columns and ranges, never by writing empty styled cells, so a blank
template holds no phantom rows.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from analytics.present import safe
from etl.datasets import DATASETS
from etl.fields import Column, Template

HEADER_ROW = 2
FIRST_DATA_ROW = 3
VALIDATED_ROWS = 2000  # drop-downs and date checks cover this many data rows
DATE_FORMAT = "yyyy-mm-dd"


TEMPLATES: dict[str, Template] = {name: d.template for name, d in DATASETS.items() if d.template is not None}


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FONT = Font(bold=True, color="C00000")


def template_names() -> list[str]:
    """Datasets that have a template, in display order."""
    return list(TEMPLATES)


def template_workbook(dataset: str, town: str = "（乡镇名称）") -> Workbook:
    """The blank template of ``dataset`` as an openpyxl workbook (sheet 1: ledger, sheet 2: 填写说明)."""
    template = TEMPLATES[dataset]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = template.title[:31]
    _title(ws, f"{town}{template.title}", len(template.columns))
    for c, column in enumerate(template.columns, start=1):
        _header_cell(ws, c, column)
        _column_format(ws, c, column)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    _instructions(wb.create_sheet("填写说明"), template, town)
    return wb


def template_bytes(dataset: str, town: str = "（乡镇名称）") -> bytes:
    """The blank template of ``dataset`` as .xlsx bytes, ready for a download button."""
    buffer = io.BytesIO()
    template_workbook(dataset, town).save(buffer)
    return buffer.getvalue()


def _title(ws: Worksheet, text: str, width: int) -> None:
    safe.put(ws.cell(row=1, column=1), text)  # it names the town the user typed
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30


def _header_cell(ws: Worksheet, c: int, column: Column) -> None:
    cell = ws.cell(row=HEADER_ROW, column=c, value=column.header)
    cell.font = _REQUIRED_FONT if column.required else Font(bold=True)
    cell.fill = _HEADER_FILL
    cell.border = _BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 22


def _column_format(ws: Worksheet, c: int, column: Column) -> None:
    letter = get_column_letter(c)
    ws.column_dimensions[letter].width = column.width
    cells = f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + VALIDATED_ROWS - 1}"
    validation: DataValidation | None = None
    if column.kind == "date":
        ws.column_dimensions[letter].number_format = DATE_FORMAT
        validation = DataValidation(type="date", operator="greaterThan", formula1="DATE(1990,1,1)")
        validation.error = "请填写日期，如 2020-03-05"
    elif column.kind == "number":
        validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        validation.error = "请填写数字"
    elif column.kind == "list":
        validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"')
        validation.error = "请从下拉列表中选择：" + "、".join(column.choices)
    if validation is None:
        return
    validation.errorTitle = "输入有误"
    validation.showErrorMessage = True
    validation.allow_blank = not column.required
    validation.prompt = column.note
    validation.showInputMessage = True
    ws.add_data_validation(validation)
    validation.add(cells)


def _instructions(ws: Worksheet, template: Template, town: str) -> None:
    # Column names are quoted 「」 here so the parser never mistakes this sheet for a ledger.
    ws.append([f"{template.title}填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"1. 第 1 行标题请写明乡镇名称（如「{town}{template.title}」），系统据此识别乡镇。"])
    ws.append([f"2. 第 {HEADER_ROW} 行是表头，请勿修改、删除或合并；数据从第 {FIRST_DATA_ROW} 行开始填写。"])
    ws.append(["3. 红色表头为必填项；带下拉箭头的列请从列表中选择。"])
    for i, note in enumerate(template.notes, start=4):
        ws.append([f"{i}. {note}"])
    ws.append([])
    ws.append(["列", "说明", "是否必填"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for column in template.columns:
        ws.append([f"「{column.header}」", column.note, "必填" if column.required else ""])
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 10
