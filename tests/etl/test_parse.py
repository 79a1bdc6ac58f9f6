import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from etl.datasets import DATASETS
from etl.datasets.base import PROVENANCE_SQL
from etl.errors import FileError
from etl.parse import REJECT_COLUMNS, WARNING_COLUMNS, layout_signature, parse_file
from etl.specs import SPECS
from tests.workbooks import (
    DISPUTE_HEADER,
    DISPUTE_ROWS,
    DOCUMENT_HEADER,
    DOCUMENT_ROWS,
    STAFF_HEADER,
    TITLE,
    TRAINING_HEADER,
    disputes_sheet,
    two_row_disputes,
    write_csv,
    write_xls,
    write_xlsx,
)  # fmt: skip


def schema_columns(table: str) -> list[str]:
    body = PROVENANCE_SQL + DATASETS[table].table_sql
    names = [line.split()[0] for line in body.splitlines() if line.strip() and not line.strip().startswith("--")]
    return [x for x in names if x != "load_id"]


@pytest.mark.parametrize("dataset", list(SPECS))
def test_spec_columns_match_schema(dataset: str) -> None:
    assert list(SPECS[dataset].columns) == schema_columns(dataset)


def one(path: Path, **kwargs: object):
    result = parse_file(path, **kwargs)
    assert len(result.sheets) == 1, result.skipped
    return result.sheets[0]


def test_disputes_ledger_values(tmp_path: Path) -> None:
    sheet = one(write_xlsx(tmp_path / "d.xlsx", {"2020": disputes_sheet()}, {"2020": ["A1:G1"]}))
    assert sheet.dataset == "disputes" and sheet.town == "珠龙镇"
    rows = sheet.rows
    assert list(rows.columns) == schema_columns("disputes")
    assert list(rows["excel_row"]) == [3, 4, 5]
    assert list(rows["received_date"].dt.date) == [dt.date(2020, 3, 5), dt.date(2020, 3, 6), dt.date(2020, 4, 1)]
    assert list(rows["village"]) == ["龙村", "东街社区", "未填"]
    assert list(rows["category"]) == ["婚姻家庭", "邻里", "劳动争议"]
    assert list(rows["category_raw"]) == ["婚姻家庭纠纷", "邻里纠纷", "拖欠农民工工资"]
    assert list(rows["agreement_form"]) == ["written", "oral", "oral"]
    assert list(rows["outcome"]) == ["success", "failed", "pending"]
    assert list(rows["note"]) == [None, "转诉讼", None]
    assert json.loads(rows["extra"][0]) == {"序号": "1"}
    assert sheet.header_map["受理日期"] == "received_date"
    assert sheet.rejects.empty and sheet.warnings.empty


ALIASES = [
    (f.name, alias)
    for f in SPECS["disputes"].fields
    if f.name in ("received_date", "village", "category", "agreement_form", "outcome")
    for alias in f.aliases
]


@pytest.mark.parametrize("field, alias", ALIASES)
def test_every_dispute_header_variant(tmp_path: Path, field: str, alias: str) -> None:
    index = {"received_date": 1, "village": 2, "category": 3, "agreement_form": 4, "outcome": 5}[field]
    header = list(DISPUTE_HEADER)
    header[index] = alias
    sheet = one(write_xlsx(tmp_path / "d.xlsx", {"S": disputes_sheet(header)}))
    assert sheet.header_map[alias] == field
    assert len(sheet.rows) == 3


@pytest.mark.parametrize(
    "dataset, aliases",
    [
        (name, [(f.name, a) for f in spec.fields for a in f.aliases])
        for name, spec in SPECS.items()
        if name != "disputes"
    ],
)
def test_every_alias_maps_to_its_field(dataset: str, aliases: list[tuple[str, str]]) -> None:
    from etl.specs import field_for

    for name, alias in aliases:
        assert field_for(SPECS[dataset], alias) == name, alias


def test_two_row_header_with_marks_totals_and_footer(tmp_path: Path) -> None:
    rows, merges = two_row_disputes()
    sheet = one(write_xlsx(tmp_path / "d.xlsx", {"S": rows}, {"S": merges}))
    assert sheet.header_map["调解方式/书面"] == "agreement_form:written"
    assert sheet.header_map["调解结果/失败"] == "outcome:failed"
    assert list(sheet.rows["agreement_form"]) == ["written", "oral", "oral"]
    assert list(sheet.rows["outcome"]) == ["success", "success", "failed"]
    assert list(sheet.rows["excel_row"]) == [4, 5, 6]
    assert sheet.rejects.empty  # blank row, 合计 and footer are not data
    assert list(sheet.warnings["message"]) == ["合计行与明细不符：调解结果/成功 合计 3，明细 2"]
    assert list(sheet.warnings["excel_row"]) == [8]


def test_total_matching_details_gives_no_warning(tmp_path: Path) -> None:
    rows, merges = two_row_disputes()
    rows[7] = ["合计", None, None, 1, 2, 2, 1]
    assert one(write_xlsx(tmp_path / "d.xlsx", {"S": rows}, {"S": merges})).warnings.empty


def test_rejects_have_row_numbers_and_chinese_reasons(tmp_path: Path) -> None:
    body = [
        [1, "", "龙村", "邻里", "书面", "成功", ""],
        [2, "2020-13-45", "龙村", "邻里", "书面", "成功", ""],
        [3, "2020-01-02", "龙村", "邻里", "书面", "待定", ""],
        [4, "2020-01-03", "龙村", "外星", "书面", "成功", ""],
    ]
    sheet = one(write_xlsx(tmp_path / "d.xlsx", {"S": disputes_sheet(rows=body)}))
    rejects = sheet.rejects
    assert list(rejects.columns) == REJECT_COLUMNS
    assert list(rejects["excel_row"]) == [3, 4, 5]
    assert list(rejects["reason"]) == ["受理日期为空", "无法识别的日期：2020-13-45", "无法识别的调解结果：待定"]
    assert list(rejects["column_name"]) == ["受理日期", "受理日期", "调解结果"]
    assert json.loads(rejects["raw_row"][2])["调解结果"] == "待定"
    assert list(sheet.rows["excel_row"]) == [6]
    assert sheet.rows["category"][0] == "其他"
    assert list(sheet.warnings.columns) == WARNING_COLUMNS
    assert list(sheet.warnings["message"]) == ["无法识别的纠纷类型：外星，已归入其他"]
    assert list(sheet.warnings["excel_row"]) == [6]


def test_town_from_column_argument_title_default(tmp_path: Path) -> None:
    header = [*DISPUTE_HEADER, "乡镇"]
    body = [[*r, t] for r, t in zip(disputes_sheet(title=False)[1:], ["黄田乡", "", "黄田乡"], strict=True)]
    with_column = write_xlsx(tmp_path / "a.xlsx", {"S": disputes_sheet(header, body)})
    assert list(one(with_column, town="别的镇").rows["town"]) == ["黄田乡", "别的镇", "黄田乡"]
    titled = write_xlsx(tmp_path / "b.xlsx", {"S": disputes_sheet()})
    assert one(titled, town="参数镇").town == "参数镇"
    assert set(one(titled).rows["town"]) == {"珠龙镇"}
    untitled = write_xlsx(tmp_path / "c.xlsx", {"S": disputes_sheet(title=False)})
    guessed = one(untitled, default_town="默认镇")
    assert (guessed.town, guessed.town_source) == ("默认镇", "默认乡镇")
    [note] = guessed.warnings.to_dict("records")  # the default is always said, once for the sheet
    assert pd.isna(note["excel_row"]) and "默认乡镇「默认镇」" in note["message"]
    blank_cell = one(
        write_xlsx(tmp_path / "e.xlsx", {"S": disputes_sheet(header, body, title=False)}), default_town="默认镇"
    )
    assert list(blank_cell.rows["town"]) == ["黄田乡", "默认镇", "黄田乡"]
    assert list(blank_cell.warnings["excel_row"]) == [3]
    assert list(blank_cell.warnings["message"]) == ["乡镇为空，已按默认乡镇「默认镇」计入"]
    other = write_xlsx(tmp_path / "d.xlsx", {"S": [["城关街道2020年台账"], *disputes_sheet(title=False)]})
    assert one(other).town == "城关街道"


def test_every_sheet_read_and_unrecognised_skipped(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx", {"一月": disputes_sheet(), "说明": [["本表说明"]], "空": [], "二月": disputes_sheet()}
    )
    result = parse_file(path)
    assert [s.sheet for s in result.sheets] == ["一月", "二月"]
    assert [name for name, _ in result.skipped] == ["说明", "空"]
    assert result.skipped[1][1] == "空工作表"
    assert result.file_name == "d.xlsx" and len(result.sha256) == 64 and result.size == path.stat().st_size


def test_no_recognisable_sheet(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="没有可识别的工作表"):
        parse_file(write_xlsx(tmp_path / "x.xlsx", {"S": [["a", "b"], [1, 2]]}))


def test_xls_and_csv_encodings(tmp_path: Path) -> None:
    xls = one(write_xls(tmp_path / "d.xls", {"S": disputes_sheet()}))
    assert list(xls.rows["outcome"]) == ["success", "failed", "pending"]
    assert xls.rows["received_date"][0].date() == dt.date(2020, 3, 5)
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        sheet = one(write_csv(tmp_path / f"{encoding}.csv", disputes_sheet(), encoding))
        assert list(sheet.rows["village"]) == ["龙村", "东街社区", "未填"], encoding
        assert sheet.town == "珠龙镇"


def test_manual_mapping_overrides_recognition(tmp_path: Path) -> None:
    header = ["时候", "地方", "结局"]
    path = write_xlsx(tmp_path / "m.xlsx", {"S": [header, ["2020-01-01", "龙村", "成功"]]})
    with pytest.raises(FileError):
        parse_file(path)
    signature = layout_signature(header)
    assert signature == "时候|地方|结局"
    mapping = {signature: ("disputes", {"时候": "received_date", "地方": "village", "结局": "outcome"})}
    sheet = one(path, mappings=mapping)
    assert sheet.dataset == "disputes" and sheet.rows["outcome"][0] == "success"


def test_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chinese_calendar

    real = chinese_calendar.get_workdays

    def calendar_to_2025(start: dt.date, end: dt.date) -> list[dt.date]:
        if end.year > 2025:  # as the package does past the last year it ships
            raise NotImplementedError
        return real(start, end)

    monkeypatch.setattr(chinese_calendar, "get_workdays", calendar_to_2025)
    rows = [["珠龙镇规范性文件登记表"], DOCUMENT_HEADER, *DOCUMENT_ROWS]
    rows.append(["珠政发〔2026〕1号", "明年备案的文件", "2026-01-02", "是", "", "", "2026-01-10", ""])
    rows.append(["珠政发〔2090〕1号", "年份写错的文件", "2090-01-02", "是", "", "", "", ""])
    sheet = one(write_xlsx(tmp_path / "doc.xlsx", {"S": rows}))
    assert sheet.dataset == "documents"
    r = sheet.rows
    assert list(r.columns) == schema_columns("documents")
    assert list(r["reviewed"]) == [True, True, True]
    assert list(r["published"]) == [True, False, False]
    assert list(r["filed"]) == [True, False, True]
    assert r["filing_days"][0] == 9
    # 2020-09-30 -> 2020-10-09: National Day holiday 1-8 Oct, 10-09 a workday; 9-30 itself excluded
    assert r["filing_working_days"][0] == 1
    assert pd.isna(r["filing_working_days"][1]) and pd.isna(r["filing_working_days"][2])
    assert r["filing_days"][2] == 8
    assert any("备案工作日无法计算" in m for m in sheet.warnings["message"])
    [reason] = sheet.rejects["reason"]
    assert "超出合理范围" in reason and "2090-01-02" in reason


def test_documents_review_date_column(tmp_path: Path) -> None:
    header = ["文件名称", "发文日期", "审查日期", "是否公开", "报备日期"]
    path = write_xlsx(
        tmp_path / "doc.xlsx",
        {"S": [header, ["甲", "2020-01-02", "2020-01-01", "否", ""], ["乙", "2020-01-02", "", "是", "2020-01-20"]]},
    )
    r = one(path).rows
    assert list(r["reviewed"]) == [True, False]
    assert list(r["filed"]) == [False, True]
    assert list(r["published"]) == [False, True]


def test_document_summary_rate_mismatch(tmp_path: Path) -> None:
    rows = [
        ["年度", "制发件数", "审查件数", "审查率", "公开率"],
        ["2018年", 2872, 2784, "96.7%", "100%"],
        ["2019年上半年", 10, 10, 1, ""],
    ]
    sheet = one(write_xlsx(tmp_path / "黄田乡汇总.xlsx", {"S": rows}))
    assert sheet.dataset == "document_summaries" and (sheet.town, sheet.town_source) == ("黄田乡", "文件名")
    r = sheet.rows
    assert list(r["period_id"]) == ["2018", "2019H1"]
    assert r["period_end"][1].date() == dt.date(2019, 7, 1)
    assert r["reported_review_rate"][0] == pytest.approx(0.967)
    assert r["reported_publication_rate"][0] == pytest.approx(1.0)
    assert len(sheet.warnings) == 1
    message = sheet.warnings["message"][0]
    assert "96.7%" in message and "2784" in message and "2872" in message and "96.94%" in message


def test_dispute_summary_rate_and_total_rows(tmp_path: Path) -> None:
    rows = [
        ["年度", "排查数", "书面调解", "口头调解", "联合调解", "调解成功数", "调解率"],
        [2019, 300, 100, 200, 1, 288, "96.0%"],
        ["2020", 261, 56, 205, 2, 264, 0.986],
        ["合计", 562, 156, 405, 3, 552, ""],
    ]
    sheet = one(write_xlsx(tmp_path / "s.xlsx", {"S": rows}))
    assert sheet.dataset == "dispute_summaries"
    assert list(sheet.rows["period_id"]) == ["2019", "2020"]
    assert list(sheet.rows["disputes_total"]) == [300, 261]
    messages = list(sheet.warnings["message"])
    assert "合计行与明细不符：排查数 合计 562，明细 561" in messages
    assert "合计行与明细不符：口头调解 合计 405，明细 405" not in messages
    assert any(m.startswith("调解率与件数不符") for m in messages)
    assert sheet.rejects.empty


def test_training_attendance_and_sessions(tmp_path: Path) -> None:
    attendance = [
        TRAINING_HEADER,
        ["2020-05-06", "民法典", "会前学法", 2, "张三", "综治办", "是"],
        ["2020-05-07", "依法行政专题学习", "", 3, "李四", "", "否"],
    ]
    sessions = [["日期", "主题", "类型", "参加人数"], ["2020-06-01", "人民调解员培训", "调解员培训", 35]]
    result = parse_file(write_xlsx(tmp_path / "t.xlsx", {"人员": attendance, "场次": sessions}))
    people, meetings = result.sheets
    assert people.dataset == meetings.dataset == "training"
    assert list(people.rows["kind"]) == ["会前学法", "依法行政专题学习会"]
    assert list(people.rows["is_enforcement"]) == [True, False]
    assert list(people.rows["hours"]) == [2.0, 3.0]
    assert meetings.rows["attendees"][0] == 35 and meetings.rows["name"][0] is None
    assert list(meetings.rows.columns) == schema_columns("training")


def test_staff_roster(tmp_path: Path) -> None:
    rows = [
        ["珠龙镇2021年执法人员名册"],
        STAFF_HEADER,
        ["张三", "综治办", "是", "A001", "2023-12-31", ""],
        ["李四", "", "", "", "", "调离"],
    ]
    sheet = one(write_xlsx(tmp_path / "r.xlsx", {"S": rows}))
    assert sheet.dataset == "staff"
    r = sheet.rows
    assert list(r["roster_year"]) == [2021, 2021]
    assert list(r["is_enforcement"]) == [True, False]
    assert list(r["on_duty"]) == [True, False]
    assert r["cert_valid_until"][0].date() == dt.date(2023, 12, 31)
    assert list(r.columns) == schema_columns("staff")


def test_agreement_form_as_a_yes_no_column(tmp_path: Path) -> None:
    header = ["受理日期", "所属村", "是否书面协议", "调解结果"]
    body = [
        ["2020-03-01", "龙村", "是", "成功"],
        ["2020-03-02", "龙村", "否", "成功"],
        ["2020-03-03", "龙村", "", "成功"],
    ]
    sheet = one(write_xlsx(tmp_path / "d.xlsx", {"S": [[TITLE], header, *body]}))
    assert list(sheet.rows["agreement_form"]) == ["written", "oral", None]
    assert sheet.rejects.empty and sheet.warnings.empty


def test_filed_before_issue_is_not_timely(tmp_path: Path) -> None:
    header = ["文件名称", "印发日期", "合法性审查", "是否公开", "备案日期"]
    body = [["甲", "2021-03-10", "是", "是", "2021-03-01"], ["乙", "2021-03-10", "是", "是", "2021-03-20"]]
    sheet = one(write_xlsx(tmp_path / "珠龙镇文件.xlsx", {"S": [header, *body]}))
    assert list(sheet.rows["filed"]) == [True, True]
    assert pd.isna(sheet.rows["filing_days"][0]) and sheet.rows["filing_days"][1] == 10
    assert list(sheet.warnings["message"]) == ["备案日期早于印发日期，不计为及时备案"]


def test_hidden_sheet_and_a_field_read_from_two_columns_are_said(tmp_path: Path) -> None:
    import openpyxl

    header = ["受理日期", "登记日期", "所属村", "调解结果"]
    book = openpyxl.Workbook()
    shown = book.active
    shown.title = "台账"
    for row in [[TITLE], header, ["2020-03-01", "2020-03-02", "龙村", "成功"]]:
        shown.append(row)
    hidden = book.create_sheet("旧表")
    for row in [[TITLE], DISPUTE_HEADER[1:], ["2019-03-01", "龙村", "邻里", "书面", "成功", ""]]:
        hidden.append(row)
    hidden.sheet_state = "hidden"
    book.save(tmp_path / "d.xlsx")
    first, second = parse_file(tmp_path / "d.xlsx").sheets
    assert list(first.warnings["message"]) == [
        "「受理日期」和「登记日期」都读作受理日期，以「受理日期」为准，它空白时用「登记日期」"
    ]
    assert len(second.rows) == 1 and "隐藏" in second.warnings["message"][0]


def test_a_row_typed_twice_is_counted_and_said(tmp_path: Path) -> None:
    body = [list(r) for r in DISPUTE_ROWS] + [list(DISPUTE_ROWS[1])]
    sheet = one(write_xlsx(tmp_path / "d.xlsx", {"S": disputes_sheet(rows=body)}))
    assert len(sheet.rows) == 4 and sheet.rejects.empty
    assert list(sheet.warnings["excel_row"]) == [6]
    assert list(sheet.warnings["message"]) == [
        "与第4行的内容完全相同（序号等未读取的列除外），可能重复录入；已按两行计入，请核对"
    ]


def test_a_filing_date_that_is_no_date_says_how_it_was_counted(tmp_path: Path) -> None:
    header = ["文件名称", "印发日期", "合法性审查", "是否公开", "备案日期"]
    body = [["甲", "2021-03-10", "是", "是", "已报县司法局"], ["乙", "2021-03-10", "是", "是", "未备案"]]
    sheet = one(write_xlsx(tmp_path / "珠龙镇文件.xlsx", {"S": [header, *body]}))
    assert list(sheet.rows["filed"]) == [True, False]
    assert list(sheet.warnings["message"]) == [
        "无法识别的日期：已报县司法局，按已备案、备案日期不明计（不计为及时备案）"
    ]


def test_a_case_is_dated_by_its_receipt_not_by_the_day_it_was_typed(tmp_path: Path) -> None:
    """登记日期 left of 受理日期: the case is received on its 受理日期; 登记日期 is the day the row was typed
    (a back-filled half-year: before, every case was dated 2020-07-05 and the first half had none)."""
    header = ["登记日期", "受理日期", "所属村", "调解结果"]
    body = [["2020-07-05", "2020-03-01", "龙村", "成功"], ["2020-07-05", "2020-07-02", "龙村", "成功"]]
    sheet = one(write_xlsx(tmp_path / "d.xlsx", {"S": [[TITLE], header, *body]}))
    assert [str(d)[:10] for d in sheet.rows["received_date"]] == ["2020-03-01", "2020-07-02"]
    assert list(sheet.warnings["message"]) == [
        "「受理日期」和「登记日期」都读作受理日期，以「受理日期」为准，它空白时用「登记日期」",
        "「受理日期」是2020-03-01，「登记日期」是2020-07-05，不在同一季度；已按「受理日期」计入，请核对",
    ]
    assert list(sheet.warnings["excel_row"].fillna(0)) == [0, 3]
