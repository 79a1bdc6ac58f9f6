"""Blank templates: well-formed, and a template filled in as a person would loads with no rejects."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from etl import load as etl_load
from etl.datasets.disputes.vocabulary import CATEGORIES
from etl.datasets.training import TRAINING_KINDS
from etl.templates import TEMPLATES, template_bytes, template_workbook

FILLED: dict[str, list[list[object]]] = {
    "disputes": [
        ["A-1", date(2020, 3, 5), "东山村", "邻里", "张某、李某", "宅基地边界", "书面", "否", "成功", "否", "否", "王调解", date(2020, 3, 9), None],
        ["A-2", date(2020, 4, 1), "城南社区", "婚姻家庭", "赵某", None, "口头", "是", "失败", "否", "是", "王调解", None, "已告知诉讼途径"],
        ["A-3", date(2020, 7, 2), "西山村", "其他", "钱某", None, None, None, "调解中", None, None, None, None, None],
    ],
    "documents": [
        ["珠政发〔2020〕1号", "关于村规民约备案的规定", date(2020, 2, 1), "是", "是", "是", date(2020, 2, 20), "有效", None],
        ["珠政发〔2020〕2号", "关于农村建房管理的办法", date(2020, 5, 1), "是", "否", "否", None, "有效", "待公开"],
    ],
    "training": [
        [date(2020, 5, 6), "宪法学习", "依法行政专题学习会", 2, "张三", "综合执法队", "是", None],
        [date(2020, 6, 6), "民法典", "线上学法", 1.5, "李四", "党政办", "否", None],
    ],
    "staff": [
        [2020, "张三", "综合执法队", "是", "33000012345", date(2022, 12, 31), "在岗", None],
        [None, "李四", "党政办", "否", None, None, "调离", None],
    ],
    "cases": [
        ["（2020）皖1102行初12号", "行政诉讼", "一审", date(2020, 3, 5), "王某", "东坪乡人民政府", "土地登记", "区人民法院",
         date(2020, 5, 6), "是", "乡长 张三", "驳回", date(2020, 6, 1), None, None],
        ["滁复〔2020〕3号", "行政复议", None, date(2020, 8, 1), "赵某", "东坪乡人民政府", "信息公开", "县人民政府",
         None, None, None, "未结", None, None, None],
    ],
    "disclosures": [
        ["2020-1", date(2020, 3, 2), "自然人", "王某", "征地补偿方案", None, "否", date(2020, 3, 20), "予以公开", None],
        ["2020-2", date(2020, 9, 1), "法人", "某公司", "招标文件", date(2020, 9, 8), "是", None, None, None],
    ],
    "legality_reviews": [
        ["2020年度财政预算安排", "重大行政决策", date(2020, 1, 6), date(2020, 1, 9), date(2020, 1, 20), "法律顾问", "合法", "是", None],
        ["垃圾清运服务外包合同", "合同", date(2020, 4, 1), date(2020, 4, 3), None, "司法所", "同意", "是", None],
    ],
    "events": [
        [date(2020, 6, 20), "向党委政府汇报依法行政工作", "向乡党委会议汇报上半年依法行政工作", "乡党委会议", None],
        [date(2020, 3, 20), "季度督导", "第一季度人民调解工作督导", "东山村", None],
        [date(2020, 4, 2), "其他", "聘任乡政府法律顾问", None, None],
    ],
    "work_summaries": [  # 年度, then the 22 figures in the template's order; blanks are not reported
        ["2014", 0, 0, 0, 2, 2, 2, 2, 0, 1, 1, 3, 3, 0, 0, 2, 2, 1, 1, 2, 4, 1, 6],
        ["2015上半年", 0, None, None, 1, 1, 1, None, None, None, None, 1, 1, 0, None, None, None, None, None, 1, 2, None, 3],
    ],
}  # fmt: skip


@pytest.mark.parametrize("dataset", list(TEMPLATES))
def test_filled_template_loads_without_rejects(dataset: str, tmp_path: Path) -> None:
    wb = template_workbook(dataset, "东坪乡")
    ws = wb.worksheets[0]
    for row in FILLED[dataset]:
        ws.append(row)
    source = tmp_path / f"{dataset}.xlsx"
    wb.save(source)
    report = etl_load.load_file(source, tmp_path / "w.duckdb")
    assert [(s.dataset, s.town, s.rows, s.rejected, s.warnings) for s in report.sheets] == [
        (dataset, "东坪乡", len(FILLED[dataset]), 0, 0)
    ]
    assert [sheet for sheet, _ in report.skipped] == ["填写说明"]


@pytest.mark.parametrize("dataset", list(TEMPLATES))
def test_template_is_well_formed(dataset: str, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_bytes(dataset, "东坪乡"))
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    template = TEMPLATES[dataset]
    assert wb.sheetnames == [template.title, "填写说明"]
    assert ws["A1"].value == f"东坪乡{template.title}" and "A1" in str(ws.merged_cells)
    assert [c.value for c in ws[2]] == [c.header for c in template.columns]
    assert ws.freeze_panes == "A3"
    assert ws.max_row == 2  # no phantom styled rows under the header
    assert all(ws.column_dimensions[chr(65 + i)].width == c.width for i, c in enumerate(template.columns))
    lists = {dv.formula1.strip('"') for dv in ws.data_validations.dataValidation if dv.type == "list"}
    expected = {",".join(c.choices) for c in template.columns if c.kind == "list"}
    assert lists == expected
    dates = [c for c in template.columns if c.kind == "date"]
    assert sum(1 for dv in ws.data_validations.dataValidation if dv.type == "date") == len(dates)


def test_drop_downs_use_the_domain_lists() -> None:
    disputes = {c.header: c.choices for c in TEMPLATES["disputes"].columns}
    assert disputes["纠纷类型"] == CATEGORIES
    assert disputes["调解结果"] == ("成功", "失败", "调解中")
    assert {c.header: c.choices for c in TEMPLATES["training"].columns}["培训形式"] == TRAINING_KINDS
