"""One known ledger, rendered in random layouts, always parses to the same figures, rejects and warnings.

The figures are stated from the ledger's logical rows (``layouts.figures``); the layouts vary what a
township clerk varies: titles, column order, header aliases, date styles cell by cell, marks, two-row
headers, 是否书面协议, blank, subtotal and footer rows, a county's merged 乡镇/村 columns, an unknown
column, a sheet per period, and the file format (.xlsx, .xls, CSV; HTML and UTF-16 text exports named .xls).
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from etl.parse import FileResult, parse_file
from tests.etl.layouts import (
    ATTENDANCE_2021,
    DATE_STYLES,
    DISPUTES_2021,
    DOCUMENTS_2021,
    MARKS,
    ROSTER_2021,
    Layout,
    Record,
    county_disputes,
    figures,
    file_name,
    messages,
    parsed_figures,
    render,
)

EXAMPLES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text for the unknown 督办人 column: anything but what marks a total or footer row (计, a colon).
_EXTRA = st.text(st.sampled_from("张李王刘督办负责人科长主任已阅同意AbcZ 0123456789"), max_size=6)


def layouts(rows: int) -> st.SearchStrategy[Layout]:
    return st.builds(
        Layout,
        fmt=st.sampled_from(["xlsx", "xls", "csv", "html", "utf16"]),  # html, utf16: exports named .xls
        encoding=st.sampled_from(["utf-8-sig", "gb18030"]),
        titles=st.integers(0, 2),
        shuffle=st.integers(0, 10_000),
        aliases=st.integers(0, 10_000),
        header_noise=st.booleans(),
        dates=st.lists(st.sampled_from(sorted(DATE_STYLES)), min_size=1, max_size=5, unique=True).map(tuple),
        marks=st.lists(st.sampled_from(MARKS), min_size=1, max_size=3, unique=True).map(tuple),
        noes=st.lists(st.sampled_from(["", "否", "×"]), min_size=1, max_size=2, unique=True).map(tuple),
        form=st.sampled_from(["words", "marks", "yes_no"]),
        outcome=st.sampled_from(["words", "marks"]),
        village=st.sampled_from(["plain", "committee"]),
        blanks=st.lists(st.integers(0, rows), max_size=4).map(tuple),
        sheets=st.sampled_from(["one", "half", "quarter", "month"]),
        subtotals=st.sampled_from(["none", "total", "quarter", "month", "half"]),
        label_at=st.sampled_from(["first", "middle", "last"]),
        footer=st.booleans(),
        county=st.booleans(),
        extra=st.lists(_EXTRA, max_size=3).map(tuple),
        seed=st.integers(0, 2**16),
    )


def parse(records: list[Record], layout: Layout) -> tuple[FileResult, str]:
    """Render and parse in a fresh directory (a hypothesis example can't use ``tmp_path``)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = render(records, layout, Path(tmp) / file_name(records, layout))
        return parse_file(path), path.name


def outcome(records: list[Record], layout: Layout, dataset: str) -> dict[str, object]:
    result, name = parse(records, layout)
    note(f"file {name}")
    rejects, warnings = messages(result)
    # A number in a date column is read as Excel's day number, and said (tests/etl/test_dates.py)
    serials = [w for w in warnings if w.startswith("日期栏里的数字") and "按 Excel 的日期序号读作" in w]
    assert not serials or "serial" in layout.dates, serials
    warnings = [w for w in warnings if w not in serials]
    return {
        "figures": parsed_figures(result, dataset),
        "rejects": rejects,
        "warnings": warnings,
        "skipped": result.skipped,
    }


def clean(records: list[Record]) -> dict[str, object]:
    return {"figures": figures(records), "rejects": [], "warnings": [], "skipped": []}


def test_the_known_ledgers_figures() -> None:
    """The generator's own arithmetic, stated once by hand."""
    disputes = figures(DISPUTES_2021)
    assert {k: v for k, v in disputes.items() if k not in ("dates", "villages")} == {
        "total": 30, "written": 11, "oral": 17, "joint": 3, "success": 24, "failed": 3, "pending": 3,
        "escalated": 1, "rate": Fraction(24, 27), "towns": {"郑集镇": 30},
        "categories": {"婚姻家庭": 6, "邻里": 8, "合同": 4, "房屋宅基地": 3, "劳动争议": 3, "山林土地": 2,
                       "损害赔偿": 2, "道路交通事故": 1, "其他": 1},
    }  # fmt: skip
    assert figures(county_disputes())["towns"] == {"郑集镇": 20, "东坪乡": 10}
    documents = figures(DOCUMENTS_2021)
    assert [documents[k] for k in ("issued", "reviewed", "published", "filed", "timely")] == [12, 11, 10, 10, 8]
    training = figures(ATTENDANCE_2021)
    assert [training[k] for k in ("rows", "hours", "attendees", "enforcement", "trained")] == [18, 47, 7, 5, 5]
    assert figures(ATTENDANCE_2021 + ROSTER_2021)["enforcement"] == 6


@EXAMPLES
@given(layout=layouts(len(DISPUTES_2021)))
def test_disputes_in_any_layout(layout: Layout) -> None:
    records = county_disputes() if layout.county else DISPUTES_2021
    assert outcome(records, layout, "disputes") == clean(records)


@EXAMPLES
@given(layout=layouts(len(DOCUMENTS_2021)))
def test_documents_in_any_layout(layout: Layout) -> None:
    assert outcome(DOCUMENTS_2021, layout, "documents") == clean(DOCUMENTS_2021)


@EXAMPLES
@given(layout=layouts(len(ATTENDANCE_2021)), with_roster=st.booleans())
def test_training_in_any_layout(layout: Layout, with_roster: bool) -> None:
    records: list[Record] = [*ATTENDANCE_2021, *(ROSTER_2021 if with_roster and layout.fmt in ("xlsx", "xls") else [])]
    assert outcome(records, layout, "training") == clean(records)


@EXAMPLES
@given(
    layout=layouts(len(DISPUTES_2021)),
    spoilt=st.dictionaries(st.integers(0, len(DISPUTES_2021) - 1), st.sampled_from(["outcome", "date", "both"]), min_size=1, max_size=6),
)  # fmt: skip
def test_rows_made_bad_are_each_one_reject(layout: Layout, spoilt: dict[int, str]) -> None:
    """k rows with outcome 待定 and/or a blank 受理日期: exactly k rejects, the figures of the other rows."""
    base = county_disputes() if layout.county else DISPUTES_2021
    records = [
        replace(r, outcome="待定" if spoilt[i] != "date" else r.outcome, received=None if spoilt[i] != "outcome" else r.received)
        if i in spoilt else r
        for i, r in enumerate(base)
    ]  # fmt: skip
    got = outcome(records, layout, "disputes")
    undecided = sum(1 for reason in got["rejects"] if "待定" in reason)  # type: ignore[attr-defined]
    got["rejects"] = len(got["rejects"])  # type: ignore[arg-type]
    assert got == {**clean(records), "rejects": len(spoilt)}
    if layout.outcome == "words":  # with 调解结果 over 成功|失败|调解中 a 待定 row is just unmarked
        assert undecided == sum(1 for how in spoilt.values() if how != "date")
