"""A corpus of ledgers as real township clerks keep them, one case per behaviour, as a table.

Each case is a ledger of logical records, the layout it is written in, the figures the generator states
for it, and the key phrases a warning or reject reason must contain (never the full wording).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from analytics import settings
from etl.parse import FileResult, parse_file
from tests.etl.layouts import (
    ATTENDANCE_2021,
    DISPUTES_2021,
    DOCUMENTS_2021,
    MARKS,
    ROSTER_2021,
    Attendance,
    Dispute,
    Document,
    Layout,
    Officer,
    Record,
    county_disputes,
    dataset_of,
    figures,
    file_name,
    messages,
    parsed_figures,
    render,
)


@dataclass(frozen=True)
class Case:
    records: list[Record]
    layout: Layout = Layout()
    name: str = ""  # the file's name; by default 郑集镇2021年矛盾纠纷排查调处台账.xlsx and the like
    warn: tuple[str, ...] = ()  # each is in some warning message
    reject: tuple[str, ...] = ()  # each is in some reject reason
    either: tuple[str, ...] = ()  # each is in some warning message or reject reason
    only: str = ""  # every warning message holds this (and there is at least one)
    rejects: int | None = 0  # how many rejects (None: not checked)
    warnings: int | None = 0  # how many warnings (None: not checked)
    deadline: tuple[int, str] = (30, "calendar")  # settings [filing] deadline_days, deadline_kind
    check: Callable[[FileResult], None] | None = None


def _d(day: str, village: str = "张庄村", outcome: str = "success", form: str | None = "oral", **kw: object) -> Dispute:
    return Dispute(date.fromisoformat(day), village, "邻里", form, outcome, **kw)  # type: ignore[arg-type]


# --- town --------------------------------------------------------------------------------------


def _towns_from_file_name(result: FileResult) -> None:
    assert {s.dataset: s.town for s in result.sheets} == {"training": "郑集镇", "staff": "郑集镇"}
    assert {t for s in result.sheets for t in s.rows["town"]} == {"郑集镇"}


NO_TOWN = [replace(r, town="珠龙镇") for r in DISPUTES_2021[:10]]

# --- dates -------------------------------------------------------------------------------------

TIMES_OF_DAY = [
    _d("2024-01-08"),
    Dispute(date(2024, 3, 2), "李集村", "邻里", "written", typed={"received_date": "2024/3/2 10:15"}),
    Dispute(date(2024, 7, 4), "王楼村", "合同", "oral", "failed", typed={"received_date": "2024-7-4 11:20:00"}),
    Dispute(date(2024, 9, 9), "王楼村", "合同", "oral", typed={"received_date": datetime(2024, 9, 9, 16, 45)}),
]
CHINESE_DATES = [
    _d("2024-01-08"),
    Dispute(date(2024, 3, 5), "李集村", "邻里", "written", typed={"received_date": "二〇二四年三月五日"}),
    Dispute(date(2024, 3, 5), "王楼村", "合同", "oral", typed={"received_date": "2024年3月5号"}),
    Dispute(date(2024, 3, 5), "王楼村", "合同", "oral", typed={"received_date": "２０２４年３月５日"}),
    Dispute(date(2024, 12, 31), "张庄村", "合同", "oral", typed={"received_date": "二〇二四年十二月三十一日"}),
]
NO_DAY = [  # a received date with no day: never 1905-07-16 (serial 2024.3), never silently the 1st;
    # the month puts it in its quarter, half-year and year without doubt, so it counts, with a warning
    _d("2024-01-08"),
    _d("2024-02-08"),
    _d("2024-03-01", "李集村", typed={"received_date": 2024.3}),
    _d("2024-03-01", "王楼村", typed={"received_date": "2024年3月"}),
]
NO_MONTH = [  # a number 2024.1 may be 2024.10 with its 0 lost, a year alone has no month: refused
    _d("2024-01-08"),
    _d("2024-02-08"),
    Dispute(None, "李集村", "邻里", "oral", typed={"received_date": 2024.1}),
    Dispute(None, "王楼村", "邻里", "oral", typed={"received_date": 2024}),
]
OUT_OF_RANGE = [
    _d("2024-01-08"),
    _d("2024-02-08"),
    Dispute(None, "李集村", "邻里", "oral", typed={"received_date": datetime(1989, 12, 31)}),
    Dispute(None, "王楼村", "邻里", "oral", typed={"received_date": (date.today() + timedelta(days=400)).isoformat()}),
]

# --- marks and words ---------------------------------------------------------------------------

_FAILED_AS = iter(["终止调解", "调解不成功", "终止调解"])
FAILURE_WORDS = [replace(r, outcome=next(_FAILED_AS)) if r.outcome == "failed" else r for r in DISPUTES_2021]
UNDECIDED = [*DISPUTES_2021[:12], _d("2021-06-30", outcome="待定"), *DISPUTES_2021[12:]]

# --- documents ---------------------------------------------------------------------------------

FILED_EARLY = [*DOCUMENTS_2021, Document("关于调整村级组织运转经费的通知", date(2021, 6, 10), filed=date(2021, 6, 1))]

# Working days after issue up to and including the filing day, by the State Council's 2023 holiday
# notice (国办发明电〔2022〕16号): Spring Festival 1/21-1/27 off, 1/28 (Sat) and 1/29 (Sun) worked;
# Labour Day 4/29-5/3 off, 4/23 (Sun) and 5/6 (Sat) worked; Mid-Autumn and National Day 9/29-10/6 off,
# 10/7 (Sat) and 10/8 (Sun) worked.
#   1/20 -> 1/30: 1/21-1/27 off; 1/28, 1/29 worked; 1/30 (Mon)         = 3 (10 calendar days)
#   9/28 -> 10/9: 9/29-10/6 off; 10/7, 10/8 worked; 10/9 (Mon)         = 3 (11 calendar days)
#   4/28 -> 5/6:  4/29-5/3 off; 5/4 (Thu), 5/5 (Fri), 5/6 (Sat, worked) = 3 (8 calendar days)
#   3/1 -> 3/10:  3/2, 3/3, 3/6, 3/7, 3/8, 3/9, 3/10 (no holiday)       = 7 (9 calendar days)
WORKING_2023 = [
    Document("关于做好春节期间安全生产工作的通知", date(2023, 1, 20), filed=date(2023, 1, 30), working_days=3),
    Document("关于规范农村建房审批的通知", date(2023, 3, 1), filed=date(2023, 3, 10), working_days=7),
    Document("关于做好五一期间值班工作的通知", date(2023, 4, 28), filed=date(2023, 5, 6), working_days=3),
    Document("关于印发郑集镇防汛应急预案的通知", date(2023, 6, 12), published=False),  # not filed
    Document("关于做好国庆期间值班工作的通知", date(2023, 9, 28), filed=date(2023, 10, 9), working_days=3),
]


def _working_days(result: FileResult) -> None:
    rows = pd.concat([s.rows for s in result.sheets if s.dataset == "documents"])
    counted = dict(zip(rows["title"], rows["filing_working_days"], strict=True))
    assert pd.api.types.is_integer_dtype(rows["filing_working_days"].dtype), rows["filing_working_days"].dtype
    expected = {d.title: d.working_days for d in WORKING_2023}
    assert {t: None if pd.isna(v) else int(v) for t, v in counted.items()} == expected


# --- people ------------------------------------------------------------------------------------


def _spelt(records: list[Record], name: str, *spellings: str) -> list[Record]:
    """The person ``name`` typed as ``spellings`` in turn wherever they appear."""
    out: list[Record] = []
    k = 0
    for r in records:
        if isinstance(r, Attendance | Officer) and r.name == name:
            r = replace(r, written=spellings[k % len(spellings)])
            k += 1
        out.append(r)
    return out


# 王芳: "王  芳" in the roster (two spaces), "王　芳" (a full-width space) and "王芳" in the attendance rows.
SPACED = _spelt([*ROSTER_2021, *ATTENDANCE_2021], "王芳", "王  芳", "王　芳", "王芳")
_FULL = [
    Officer("刘AB", cert="13010021008", written="刘ＡＢ"),
    Officer("张伟2", cert="13010021009", unit="派出所", written="张伟２"),
    Attendance(date(2021, 12, 8), "刘AB", 2, "执法培训", "行政执法证件管理", written="刘AB"),
    Attendance(date(2021, 12, 8), "张伟2", 2, "执法培训", "行政执法证件管理", unit="派出所", written="张伟2"),
]
FULL_WIDTH = [*ROSTER_2021, *ATTENDANCE_2021, *_FULL]
SAME_NAME = [
    *_spelt(ROSTER_2021, "李明", "李 明"),
    Officer("李明", cert="13010029999", unit="自然资源所"),  # another row, another certificate
    *ATTENDANCE_2021,
]

# --- formulas ----------------------------------------------------------------------------------

# A cell holding a formula that openpyxl saved without its value: nobody can read the row, so it is not data.
FORMULA_DATE = [
    *DISPUTES_2021[:5],
    Dispute(date(2021, 3, 5), "李集村", "邻里", "oral", typed={"received_date": "=DATE(2021,3,5)"}),
    *DISPUTES_2021[5:],
]
FORMULA_MARK = [
    *DISPUTES_2021[:5],
    Dispute(date(2021, 3, 5), "李集村", "邻里", "written", typed={"agreement_form:written": '=IF(1,"√","")'}),
    *DISPUTES_2021[5:],
]
FORMULA_HOURS = [*ATTENDANCE_2021, Attendance(date(2021, 12, 8), "张伟", 3, "执法培训", typed={"hours": "=1+2"})]

TWO_ROW = Layout(form="marks", outcome="marks")

CASES = [
    # town
    pytest.param(Case(county_disputes(), Layout(county=True)), id="county-merged-town-and-village"),
    pytest.param(
        Case(county_disputes(), Layout(county=True, titles=2, village="committee", marks=MARKS, seed=4)),
        id="county-merged-town-and-village-two-titles",
    ),
    pytest.param(
        Case([*ATTENDANCE_2021, *ROSTER_2021], name="郑集镇2021年学法培训台账.xlsx", check=_towns_from_file_name),
        id="town-from-file-name-for-untitled-roster",
    ),
    pytest.param(
        Case(NO_TOWN, Layout(titles=0), "台账.xlsx", warn=("默认乡镇",), warnings=1), id="no-town-default-warned"
    ),
    # dates
    pytest.param(Case(TIMES_OF_DAY), id="date-with-time-of-day"),
    pytest.param(Case(CHINESE_DATES), id="date-chinese-numerals-hao-full-width"),
    pytest.param(Case(NO_DAY, only="缺少日", warnings=2), id="date-without-day-counted-in-its-month-warned"),
    pytest.param(Case(NO_MONTH, reject=("无法区分1月和10月", "只有年份"), rejects=2), id="date-without-month-rejected"),
    pytest.param(Case(OUT_OF_RANGE, reject=("范围",), rejects=2), id="date-out-of-range-rejected"),
    # marks and words
    pytest.param(Case(DISPUTES_2021, Layout(form="yes_no", marks=("是",), noes=("否",))), id="yes-no-written-column"),
    pytest.param(Case(DISPUTES_2021, replace(TWO_ROW, marks=MARKS, seed=1)), id="two-row-marks-every-style"),
    pytest.param(Case(FAILURE_WORDS), id="terminated-and-unsuccessful-are-failures"),
    pytest.param(Case(UNDECIDED, reject=("待定",), rejects=1), id="unknown-outcome-rejected"),
    # documents
    pytest.param(Case(FILED_EARLY, warn=("早于",), warnings=1), id="filed-before-issue-not-timely"),
    pytest.param(
        Case(WORKING_2023, Layout(dates=("iso", "datetime")), deadline=(5, "working"), check=_working_days),
        id="working-days-over-2023-holidays",
    ),
    # subtotals
    pytest.param(
        Case(DISPUTES_2021, Layout(subtotals="quarter", label_at="first")), id="subtotal-quarter-first-column"
    ),
    pytest.param(Case(DISPUTES_2021, Layout(subtotals="month", label_at="middle")), id="subtotal-month-village-column"),
    pytest.param(Case(DISPUTES_2021, Layout(subtotals="half", label_at="last")), id="subtotal-half-last-column"),
    pytest.param(
        Case(DISPUTES_2021, replace(TWO_ROW, subtotals="month", label_at="last", shuffle=5, footer=True)),
        id="subtotal-month-two-row-marks-last-column",
    ),
    pytest.param(
        Case(DISPUTES_2021, replace(TWO_ROW, subtotals="quarter", label_at="middle", blanks=(7, 15))),
        id="subtotal-quarter-two-row-marks-village-column",
    ),
    pytest.param(Case(DOCUMENTS_2021, Layout(subtotals="half", label_at="last", footer=True)), id="subtotal-documents"),
    pytest.param(
        Case(ATTENDANCE_2021, Layout(subtotals="quarter", label_at="middle", footer=True)), id="subtotal-training"
    ),
    pytest.param(
        Case(DISPUTES_2021, replace(TWO_ROW, subtotals="total", total_error=1), warn=("合计",), warnings=1),
        id="wrong-total-warned",
    ),
    # people
    pytest.param(Case(SPACED), id="names-with-spaces-are-one-person"),
    pytest.param(Case(FULL_WIDTH), id="full-width-latin-and-digits-in-names"),
    pytest.param(Case(SAME_NAME, warn=("同名",), warnings=None), id="same-name-twice-in-roster"),
    # formulas with no cached value
    pytest.param(
        Case(DISPUTES_2021, replace(TWO_ROW, subtotals="total", formula_totals=True), only="公式", warnings=None),
        id="total-row-formulas-uncached",
    ),
    pytest.param(Case(FORMULA_DATE, either=("公式",), rejects=None, warnings=None), id="date-cell-formula-uncached"),
    pytest.param(
        Case(FORMULA_MARK, TWO_ROW, either=("公式",), rejects=None, warnings=None), id="mark-cell-formula-uncached"
    ),
    pytest.param(Case(FORMULA_HOURS, either=("公式",), rejects=None, warnings=None), id="hours-cell-formula-uncached"),
    # exports from other systems
    pytest.param(Case(DISPUTES_2021, Layout(fmt="html")), id="html-table-named-xls"),
    pytest.param(Case(DISPUTES_2021, Layout(fmt="utf16", titles=2)), id="utf16-tab-text-named-xls"),
]


def _settings_file(tmp_path: Path, deadline: tuple[int, str]) -> Path:
    """settings.toml with the case's ``[filing] deadline_days`` and ``deadline_kind``."""
    text = settings.DEFAULT_SETTINGS.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^deadline_days\s*=.*$", f"deadline_days = {deadline[0]}", text)
    text = re.sub(r"(?m)^deadline_kind\s*=.*$", f'deadline_kind = "{deadline[1]}"', text)
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES)
def test_ledger(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(_settings_file(tmp_path, case.deadline)))
    settings.load.cache_clear()
    try:
        assert settings.filing_deadline() == case.deadline
        path = render(case.records, case.layout, tmp_path / (case.name or file_name(case.records, case.layout)))
        result = parse_file(path)
        rejects, warnings = messages(result)
        got = _outcome(case, result, rejects, warnings)
    finally:
        settings.load.cache_clear()  # the next reader reads the default file again
    want = {
        "figures": figures(case.records, case.deadline),
        "rejects": case.rejects,
        "warnings": case.warnings,
        "warned": dict.fromkeys(case.warn, True),
        "rejected": dict.fromkeys(case.reject, True),
        "said": dict.fromkeys(case.either, True),
        "only": True if case.only else None,
        "skipped": [],
    }
    assert got == want, f"rejects: {rejects}\nwarnings: {warnings}"
    if case.check:
        case.check(result)


def _outcome(case: Case, result: FileResult, rejects: list[str], warnings: list[str]) -> dict[str, object]:
    """What the parse gave, in the shape of the case's expectations (figures with the case's deadline)."""
    return {
        "figures": parsed_figures(result, dataset_of(case.records)),
        "rejects": len(rejects) if case.rejects is not None else None,
        "warnings": len(warnings) if case.warnings is not None else None,
        "warned": {p: any(p in m for m in warnings) for p in case.warn},
        "rejected": {p: any(p in r for r in rejects) for p in case.reject},
        "said": {p: any(p in m for m in rejects + warnings) for p in case.either},
        "only": bool(warnings) and all(case.only in m for m in warnings) if case.only else None,
        "skipped": result.skipped,
    }
