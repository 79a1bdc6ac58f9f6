"""``analytics.present.safe``: cells and Markdown made inert, the command lines' exports on hostile
ledgers, and a scan that keeps every export going through it (issue 13)."""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from analytics.present import safe
from tests import hostile

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),  # text: prefixed
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),  # leading spaces don't hide a formula
        ("\u00a0=1+1", "'\u00a0=1+1"),  # nor a no-break, ideographic or zero-width space, a BOM or a line break
        ("\u3000=1+1", "'\u3000=1+1"),
        ("\u200b=1+1", "'\u200b=1+1"),
        ("\ufeff=1+1", "'\ufeff=1+1"),
        ("\n=2+2", "'\n=2+2"),
        ("＝1+1", "'＝1+1"),  # full-width forms, as an input method types them
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠SUM(1)", "'＠SUM(1)"),
        ("　珠龙镇", "　珠龙镇"),  # an ideographic space before text is only a space
        ("\u202egpj.exe汇总", "gpj.exe汇总"),  # a direction override would show the cell backwards
        ("a\x00b\x1fc", "abc"),  # XML can't hold them
        ("=\x00x", "'=x"),
        ("第1行\n第2行\t备注", "第1行\n第2行\t备注"),  # tab and newline inside text are fine
        ("珠龙镇", "珠龙镇"),
        ("", ""),
        (-1, -1),  # a number stays a number
        (2.5, 2.5),
        (True, True),
        (Decimal("1.5"), Decimal("1.5")),
        (np.int64(-3), -3),
        (float("nan"), None),
        (None, None),
        (pd.NA, None),
        (pd.NaT, None),
        (pd.Timestamp("2020-03-05"), dt.date(2020, 3, 5)),
        (dt.datetime(2020, 3, 5, 10, 15, tzinfo=dt.UTC), dt.datetime(2020, 3, 5, 10, 15)),
        (np.datetime64("2020-03-05T10:15"), dt.datetime(2020, 3, 5, 10, 15)),
        (["=1", 2], "['=1', 2]"),  # a query's list: text, and this one doesn't start like a formula
        ({"a": 1}, "{'a': 1}"),
        (b"=1", "'=1"),
    ],
)
def test_cell(value, expected):
    assert safe.cell(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (hostile.IMAGE, "\\!\\[t\\](http\\://host/x.png)镇"),
        (hostile.SCRIPT, "\\<script\\>alert(1)\\</script\\>"),
        ("# 标题", "\\# 标题"),
        ("www.evil.example/login 村", "www\\.evil.example/login 村"),  # no autolink
        ("a@evil.example", "a\\@evil.example"),
        ("\u202e镇龙珠", "镇龙珠"),  # a direction override dropped
        ("- 列表", "\\- 列表"),
        ("1. 第一", "1\\. 第一"),
        (
            ":red[红] $x$ **粗** _斜_ `码` ~~删~~ a|b",
            "\\:red\\[红\\] \\$x\\$ \\*\\*粗\\*\\* \\_斜\\_ \\`码\\` \\~\\~删\\~\\~ a\\|b",
        ),
        ("一行\n# 二行", "一行 # 二行"),  # one line: no heading starts inside
        ("98.6%，2020-03-05，（552/560）", "98.6%，2020-03-05，（552/560）"),  # figures read as written
        ("\\", "\\\\"),
    ],
)
def test_markdown(text, expected):
    assert safe.markdown(text) == expected


def test_frame_csv_and_xlsx_keep_numbers_and_neutralise_text():
    frame = pd.DataFrame({"=h": ["=1", "+1", None], "n": [-1, 2, 3], "when": pd.to_datetime(["2020-01-01"] * 3)})
    text = safe.csv_text(frame)
    assert text.splitlines()[:2] == ["'=h,n,when", "'=1,-1,2020-01-01"]
    assert hostile.inert_csv(text, "csv") == 3
    assert safe.csv_bytes(frame).startswith(b"\xef\xbb\xbf")
    data = safe.xlsx_bytes(frame, "a[b]:c*d?/e\\f" + "x" * 40)
    assert hostile.inert_xlsx(data, "xlsx") == 3
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.title == "a_b__c_d__e_f" + "x" * 18 and len(ws.title) == 31
    assert [c.value for c in ws[2]] == ["'=1", -1, dt.datetime(2020, 1, 1)] and ws["B2"].data_type == "n"


def test_sheet_title_is_unique_and_never_empty():
    assert safe.sheet_title("", []) == "Sheet"
    assert safe.sheet_title("2020年", ["2020年"]) == "2020年(2)"
    assert safe.sheet_title("'x'") == "x"


# --- the command lines -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile.build(tmp_path_factory.mktemp("hostile_cli"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_sql_command_writes_safe_csv(hostile_db):
    query = "SELECT village, parties, summary, source_file, sheet, -1 AS minus_one FROM v_disputes"
    out = _run("-m", "analytics", "--db", str(hostile_db), "sql", query)
    assert out.returncode == 0, out.stderr
    assert hostile.inert_csv(out.stdout, "analytics sql") > 0
    assert ",-1\n" in out.stdout.replace("\r\n", "\n")  # the number is still a number


@pytest.mark.parametrize("kind", ["xlsx", "md"])
def test_report_command_files_are_inert(hostile_db, tmp_path, kind):
    target = tmp_path / f"report.{kind}"
    out = _run(
        "-m", "analytics", "--db", str(hostile_db), "report", "--period", "2020", "--format", kind, "-o", str(target)
    )
    assert out.returncode == 0, out.stderr
    if kind == "xlsx":
        assert hostile.inert_xlsx(target.read_bytes(), "report.xlsx") > 0
    else:
        text = target.read_text(encoding="utf-8")
        assert "<script" not in text.replace("\\<script", "") and "![" not in text


@pytest.mark.parametrize("command", ["rejects", "history"])
def test_etl_listings_are_safe_in_a_spreadsheet(hostile_db, command):
    out = _run("-m", "etl", "--db", str(hostile_db), command)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if "\t" in line]
    assert lines
    assert hostile.inert_csv("\n".join(lines), f"etl {command}", delimiter="\t") > 0


# --- every export goes through the one module --------------------------------------------------

# Where a download button may be drawn, and how many: every frame through ``pages.tables``; the
# data page's rejects workbooks and templates and the report page's files are built by functions
# that write each cell through ``safe`` (tests/ui/test_hostile_pages.py opens every one of them).
# pages/overview.py: the A4 brief (PDF/PNG rendered by Chromium from escaped HTML, no cells), audited
DOWNLOAD_BUTTONS = {"pages/tables.py": 3, "pages/data.py": 3, "pages/report.py": 2, "pages/overview.py": 1}
# Modules that build a workbook with openpyxl, each writing its cells through ``safe``.
WORKBOOK_WRITERS = {"analytics/present/safe.py", "analytics/report/xlsx.py", "etl/preview.py", "etl/templates.py"}
ONLY_IN_SAFE = {"to_csv", "to_excel", "ExcelWriter", "writer"}  # ``writer``: csv.writer


def _calls(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            names.append(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


SOURCES = sorted(p for package in ("analytics", "etl", "pages") for p in (ROOT / package).rglob("*.py")) + [
    ROOT / "dashboard.py"
]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_exports_go_through_the_safe_module(path: Path):
    name = str(path.relative_to(ROOT))
    calls = _calls(path)
    if name != "analytics/present/safe.py":
        assert not ONLY_IN_SAFE & set(calls), f"{name} writes CSV or Excel itself: use analytics.present.safe"
    assert calls.count("download_button") == DOWNLOAD_BUTTONS.get(name, 0), (
        f"{name}: a new download button; serve a frame through pages.tables.download_buttons, or build the "
        "file with analytics.present.safe, list it here and in tests/ui/test_hostile_pages.py"
    )
    if "Workbook" in calls:
        assert name in WORKBOOK_WRITERS, f"{name} builds a workbook: write its cells with analytics.present.safe"
        assert "safe" in path.read_text(encoding="utf-8"), name


def test_plain_text_for_documents_drops_direction_overrides_and_controls():
    assert safe.plain("\u202e2025年12月31日 超期999日\x00") == "2025年12月31日 超期999日"
    assert safe.plain("第1行\n第2行") == "第1行\n第2行"


def test_the_word_report_writes_its_text_as_plain():
    """Every run of text the Word report adds goes through ``safe.plain`` (a ledger's title can hold U+202E)."""
    source = (ROOT / "analytics" / "report" / "docx.py").read_text(encoding="utf-8")
    runs = re.findall(r"add_run\(([^)]*)\)", source)
    assert runs and all(r in ("", '"— "', '" —"') or r.startswith("safe.plain(") for r in runs), runs
