"""The sample workbooks: files and sheets exist, the report's 2020 figures are in the rows
(counted here from the cells, not taken from FIGURES), 合计 rows match their data, runs repeat."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import sample

YEAR_SHEETS = [f"{y}年" for y in range(2018, 2026)]
LEDGERS = [sample.DISPUTES_FILE, sample.DOCUMENTS_FILE, sample.TRAINING_FILE, sample.ROSTER_FILE]
REGISTERS = [sample.CASES_FILE, sample.DISCLOSURES_FILE, sample.LEGALITY_REVIEWS_FILE, sample.EVENTS_FILE]

WRITTEN = {"书面", "书面协议", "书面调解"}
ORAL = {"口头", "口头协议", "口头调解"}
SUCCESS = {"成功", "调解成功", "达成协议", "已化解"}
FAILED = {"失败", "调解不成", "未成功", "未化解"}
PENDING = {"调解中", "在办", "未结", "正在调解"}


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    sample.generate(out)
    return out


@pytest.fixture(scope="module")
def disputes(out_dir: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(out_dir / sample.DISPUTES_FILE)


class Table:
    """A ledger sheet read back: header labels (sub-header wins under a merged group), data rows
    (those with an integer 序号), and the 合计 row."""

    def __init__(self, ws: Any) -> None:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        top = next(i for i, r in enumerate(rows) if r[0] == "序号")
        sub = rows[top + 1]
        two_row = sub[0] is None and any(isinstance(v, str) for v in sub)
        group = None
        self.headers: list[str] = []
        for i, head in enumerate(rows[top]):
            group = head or group
            label = sub[i] if two_row and sub[i] else head
            self.headers.append(f"{group}/{label}" if two_row and sub[i] else label)
        start = top + (2 if two_row else 1)
        self.data = [r for r in rows[start:] if isinstance(r[0], int)]
        totals = [r for r in rows[start:] if r[0] == "合计"]
        assert len(totals) == 1, "exactly one 合计 row"
        self.total = totals[0]
        assert [i for i, r in enumerate(rows) if r[0] == "合计"][0] > max(
            i for i, r in enumerate(rows) if isinstance(r[0], int)
        ), "合计 comes after the data"
        assert str(rows[-1][0]).startswith("填表人："), "footer row last"

    def col(self, *names: str) -> list[Any]:
        for name in names:
            if name in self.headers:
                i = self.headers.index(name)
                return [r[i] for r in self.data]
        raise KeyError(f"none of {names} in {self.headers}")


def test_files_and_sheets(out_dir: Path) -> None:
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == sorted([*LEDGERS, *REGISTERS, sample.DISPUTE_SUMMARY_FILE, sample.DOCUMENT_SUMMARY_FILE])
    for name in LEDGERS:
        assert openpyxl.load_workbook(out_dir / name, read_only=True).sheetnames == YEAR_SHEETS
    for name in (sample.DISCLOSURES_FILE, sample.EVENTS_FILE):
        assert openpyxl.load_workbook(out_dir / name, read_only=True).sheetnames == [
            f"{y}年" for y in range(2016, 2026)
        ]


def test_2020_disputes_are_the_reports_figures(disputes: openpyxl.Workbook) -> None:
    ws = disputes["2020年"]
    assert ws["A1"].value == "珠龙镇2020年矛盾纠纷排查调处台账"
    assert "A1:" in " ".join(str(r) for r in ws.merged_cells.ranges)
    table = Table(ws)
    forms = Counter(table.col("调解方式", "协议形式", "调解形式"))
    outcomes = Counter(table.col("调解结果", "调处结果", "调解情况"))
    joint = Counter(table.col("是否联合调解"))
    escalated = Counter(table.col("是否激化"))
    referred = Counter(table.col("引导诉讼"))
    assert len(table.data) == 560
    assert sum(forms[v] for v in WRITTEN) == 156
    assert sum(forms[v] for v in ORAL) == 404
    assert joint["是"] == 3
    assert sum(outcomes[v] for v in SUCCESS) == 552
    assert sum(outcomes[v] for v in FAILED) == 8
    assert round(552 / 560 * 100, 1) == 98.6
    assert escalated["是"] == 0
    assert referred["是"] == 8
    dates = table.col("受理日期")
    assert all(isinstance(d, datetime) and d.year == 2020 for d in dates)
    first_half = sum(d.month <= 6 for d in dates)
    assert first_half == sample.FIGURES["2020H1"]["disputes_total"]
    assert len(dates) - first_half == sample.FIGURES["2020H2"]["disputes_total"]


def test_2019_two_row_header_gives_96_percent(disputes: openpyxl.Workbook) -> None:
    ws = disputes["2019年"]
    assert ws.cell(3, 1).value is None, "two-row header: 序号 is merged down"
    table = Table(ws)
    success = sum(v == "√" for v in table.col("调解结果/成功"))
    failed = sum(v == "√" for v in table.col("调解结果/失败"))
    assert (len(table.data), success, failed) == (500, 480, 20)
    assert success / (success + failed) == 0.96
    written = sum(v == "√" for v in table.col("调解方式/书面"))
    oral = sum(v == "√" for v in table.col("调解方式/口头"))
    assert written + oral == 500


@pytest.mark.parametrize("sheet", YEAR_SHEETS)
def test_dispute_years_match_figures(disputes: openpyxl.Workbook, sheet: str) -> None:
    year = sheet[:4]
    table = Table(disputes[sheet])
    expected = sample.FIGURES[year]
    assert len(table.data) == expected["disputes_total"]
    if "调解结果/成功" in table.headers:
        success = sum(v == "√" for v in table.col("调解结果/成功"))
        pending = sum(v == "√" for v in table.col("调解结果/调解中"))
    else:
        outcomes = Counter(table.col("调解结果", "调处结果", "调解情况"))
        success = sum(outcomes[v] for v in SUCCESS)
        pending = sum(outcomes[v] for v in PENDING)
        assert set(outcomes) <= SUCCESS | FAILED | PENDING
    assert success == expected["disputes_success"]
    assert pending == expected["disputes_pending"]


def test_rates_and_missed_targets_in_figures() -> None:
    def rate(pid: str) -> float:
        f = sample.FIGURES[pid]
        return f["disputes_success"] / (f["disputes_success"] + f["disputes_failed"])

    assert round(rate("2020") - rate("2019"), 3) == 0.026
    assert 0.935 < rate("2022") < 0.945
    f16 = sample.FIGURES["2016"]
    assert f16["disputes_success"] / f16["disputes_total"] < 0.95
    assert sample.FIGURES["2024"]["disputes_escalated"] == 1
    assert sample.FIGURES["2025H2"]["disputes_pending"] > 0
    f20 = sample.FIGURES["2020"]
    assert f20["documents_issued"] == f20["documents_reviewed"] == f20["documents_published"]
    assert f20["documents_issued"] == f20["documents_filed"] == f20["documents_filed_timely"]
    staff = f20["enforcement_staff"]
    assert staff == f20["staff_trained"] == f20["staff_hours_compliant"] == f20["staff_certified"]
    assert f20["study_meetings"] >= 2 and f20["mediator_trainings"] >= 2
    assert sample.FIGURES["2023"]["documents_filed_timely"] == sample.FIGURES["2023"]["documents_issued"] - 2
    assert sample.FIGURES["2021"]["staff_hours_compliant"] == sample.FIGURES["2021"]["enforcement_staff"] - 2
    assert sample.FIGURES["2025"]["staff_certified"] == sample.FIGURES["2025"]["enforcement_staff"] - 1
    assert sample.FIGURES["2025"]["study_meetings"] == 1
    for pid, f in sample.FIGURES.items():
        if "H" in pid or "disputes_failed" not in f:
            continue
        assert 400 <= f["disputes_total"] <= 650
        assert f["disputes_total"] == f["disputes_success"] + f["disputes_failed"] + f["disputes_pending"]
        halves = (sample.FIGURES[f"{pid}H1"], sample.FIGURES[f"{pid}H2"])
        for key in sample.DISPUTE_KEYS:
            assert f[key] == halves[0][key] + halves[1][key], (pid, key)


@pytest.mark.parametrize("name", LEDGERS)
def test_totals_rows_equal_their_data(out_dir: Path, name: str) -> None:
    wb = openpyxl.load_workbook(out_dir / name)
    for sheet in YEAR_SHEETS:
        table = Table(wb[sheet])
        assert [r[0] for r in table.data] == list(range(1, len(table.data) + 1))
        checked = 0
        for i, total in enumerate(table.total[1:], start=1):
            column = [r[i] for r in table.data]
            if isinstance(total, str):
                assert int(re.match(r"\d+", total).group()) == len(table.data), (sheet, table.headers[i])
            elif total is not None and all(v in (None, "√") for v in column):
                assert total == sum(v == "√" for v in column), (sheet, table.headers[i])
            elif total is not None:
                assert total == pytest.approx(sum(v for v in column if isinstance(v, (int, float)))), sheet
            checked += total is not None
        assert checked >= 1, f"{name} {sheet}: 合计 row has figures"


def test_summary_2018_differs_from_ledger(out_dir: Path, disputes: openpyxl.Workbook) -> None:
    ws = openpyxl.load_workbook(out_dir / sample.DISPUTE_SUMMARY_FILE).active
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0] in ("2016年", "2017年", "2018年")}
    assert set(rows) == {"2016年", "2017年", "2018年"}
    assert rows["2018年"][1] == 487
    assert len(Table(disputes["2018年"]).data) == 486
    assert rows["2016年"][5] / rows["2016年"][1] < 0.95


def test_document_summary_2017_rate_disagrees_with_counts(out_dir: Path) -> None:
    ws = openpyxl.load_workbook(out_dir / sample.DOCUMENT_SUMMARY_FILE).active
    rows = [r for r in ws.iter_rows(values_only=True) if r[0] in (2016, 2017)]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "年度")
    row = dict(zip(header, rows[1], strict=True))
    assert abs(row["审查件数"] / row["制发件数"] - row["审查率"]) > 0.005


def test_2020_training_and_roster(out_dir: Path) -> None:
    roster = Table(openpyxl.load_workbook(out_dir / sample.ROSTER_FILE)["2020年"])
    officers = {
        name: valid
        for name, flag, valid in zip(
            roster.col("姓名"), roster.col("是否执法人员"), roster.col("证件有效期至"), strict=True
        )
        if flag == "是"
    }
    assert 15 <= len(officers) <= 20
    assert all(v is not None and v.date() >= date(2020, 12, 31) for v in officers.values())
    training = Table(openpyxl.load_workbook(out_dir / sample.TRAINING_FILE)["2020年"])
    hours: Counter[str] = Counter()
    for name, h in zip(training.col("姓名"), training.col("学时"), strict=True):
        hours[name] += h
    assert all(hours[name] >= 50 for name in officers)
    sessions = {(d, k) for d, k in zip(training.col("培训日期"), training.col("形式"), strict=True)}
    kinds = Counter(k for _, k in sessions)
    assert kinds["依法行政专题学习会"] >= 2 and kinds["调解员培训"] >= 2
    mediator_rows = [
        (flag, name)
        for kind, flag, name in zip(
            training.col("形式"), training.col("是否执法人员"), training.col("姓名"), strict=True
        )
        if kind == "调解员培训"
    ]
    assert all(flag == "否" and name not in officers for flag, name in mediator_rows)


def _cells(directory: Path) -> dict[tuple[str, str], list[tuple[Any, ...]]]:
    out = {}
    for path in sorted(directory.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            out[(path.name, ws.title)] = list(ws.iter_rows(values_only=True))
    return out


def test_two_runs_are_identical(out_dir: Path, tmp_path: Path) -> None:
    paths = sample.generate(tmp_path)
    assert _cells(tmp_path) == _cells(out_dir)
    for path in paths:
        assert path.read_bytes() == (out_dir / path.name).read_bytes(), path.name
    props = openpyxl.load_workbook(paths[0], read_only=True).properties
    assert props.created == props.modified == sample.FIXED_TIMESTAMP
