"""Blank ledger templates, one per dataset, that load with no rejects once filled in.

Each template has a title row naming the town (the parser reads the town from it), one header
row of canonical Chinese headers (aliases ``etl.specs`` recognises), drop-down lists for coded
columns, date formats, column widths, a frozen header and a 填写说明 sheet. Formats and
validations are set on columns and ranges, never by writing empty styled cells, so a blank
template holds no phantom rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl.normalise import CATEGORIES, TRAINING_KINDS

HEADER_ROW = 2
FIRST_DATA_ROW = 3
VALIDATED_ROWS = 2000  # drop-downs and date checks cover this many data rows
DATE_FORMAT = "yyyy-mm-dd"
YES_NO = ("是", "否")


@dataclass(frozen=True)
class Column:
    header: str  # canonical header, an alias in etl.specs
    width: int
    note: str  # one line for the 填写说明 sheet
    kind: str = "text"  # text | date | number | list
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Template:
    dataset: str
    title: str  # after the town: "{town}矛盾纠纷排查调处台账"
    file_name: str
    columns: tuple[Column, ...]
    notes: tuple[str, ...] = ()


DATE_NOTE = "日期，格式 2020-03-05（也可写 2020/3/5、2020年3月5日）"

TEMPLATES: dict[str, Template] = {
    t.dataset: t
    for t in (
        Template(
            "disputes",
            "矛盾纠纷排查调处台账",
            "矛盾纠纷排查调处台账模板.xlsx",
            (
                Column("编号", 12, "案件编号，可不填"),
                Column("受理日期", 13, DATE_NOTE, "date", required=True),
                Column("所属村(社区)", 14, "如 东山村、城南社区"),
                Column("纠纷类型", 14, "从下拉列表中选择", "list", CATEGORIES),
                Column("当事人", 16, "双方当事人姓名"),
                Column("纠纷简要情况", 30, "简要说明纠纷事实"),
                Column("调解方式", 11, "书面 或 口头", "list", ("书面", "口头")),
                Column("联合调解", 10, "是否联合调解：是 或 否", "list", YES_NO),
                Column("调解结果", 11, "成功、失败 或 调解中", "list", ("成功", "失败", "调解中"), required=True),
                Column("是否激化", 10, "是否激化升级：是 或 否", "list", YES_NO),
                Column("引导诉讼", 10, "调解不成后是否引导当事人诉讼：是 或 否", "list", YES_NO),
                Column("调解员", 10, "承办调解员"),
                Column("结案日期", 13, DATE_NOTE, "date"),
                Column("备注", 20, "其他说明"),
            ),
            ("一行填写一件纠纷，不要合并单元格。", "纠纷类型不确定时选「其他」。"),
        ),
        Template(
            "documents",
            "规范性文件登记备案台账",
            "规范性文件登记备案台账模板.xlsx",
            (
                Column("文号", 18, "发文字号，如 珠政发〔2020〕3号"),
                Column("文件名称", 36, "规范性文件全称", required=True),
                Column("印发日期", 13, DATE_NOTE, "date", required=True),
                Column("合法性审查", 11, "是否经合法性审查：是 或 否", "list", YES_NO, required=True),
                Column("是否公开", 10, "是否向社会公开：是 或 否", "list", YES_NO, required=True),
                Column("是否备案", 10, "是否报送备案：是 或 否", "list", YES_NO, required=True),
                Column("备案日期", 13, "报送备案的日期（用于判断是否及时备案）；" + DATE_NOTE, "date"),
                Column("效力状态", 10, "有效、废止、失效 或 已修改", "list", ("有效", "废止", "失效", "已修改")),
                Column("备注", 20, "其他说明"),
            ),
            ("一行填写一件规范性文件。",),
        ),
        Template(
            "training",
            "学法培训台账",
            "学法培训台账模板.xlsx",
            (
                Column("培训日期", 13, DATE_NOTE, "date", required=True),
                Column("培训内容", 30, "学习主题或培训内容"),
                Column("培训形式", 18, "从下拉列表中选择", "list", TRAINING_KINDS),
                Column("学时", 8, "本次学习的学时数，如 2 或 1.5", "number"),
                Column("姓名", 10, "参加人姓名", required=True),
                Column("单位/岗位", 16, "所在单位或岗位"),
                Column("是否执法人员", 12, "是否行政执法人员：是 或 否", "list", YES_NO),
                Column("备注", 20, "其他说明"),
            ),
            ("一行填写一人参加的一次学习；同一次学习有几人参加就填几行。",),
        ),
        Template(
            "staff",
            "行政执法人员名册",
            "行政执法人员名册模板.xlsx",
            (
                Column("年度", 8, "名册所属年度，如 2020；各年通用可不填", "number"),
                Column("姓名", 10, "人员姓名", required=True),
                Column("单位/岗位", 16, "所在单位或岗位"),
                Column("是否执法人员", 12, "是否行政执法人员：是 或 否", "list", YES_NO, required=True),
                Column("执法证号", 18, "行政执法证件号码"),
                Column("证件有效期至", 13, DATE_NOTE, "date"),
                Column("在岗状态", 10, "在岗、离岗、调离 或 退休", "list", ("在岗", "离岗", "调离", "退休")),
                Column("备注", 20, "其他说明"),
            ),
            ("一行填写一名人员。",),
        ),
    )
}

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
    ws.cell(row=1, column=1, value=text)
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
