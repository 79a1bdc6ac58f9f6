"""Attacks through the pages (issue 13): every download a page offers, on ledgers full of formulas,
holds no formula; Markdown from data (town, village, category, file and sheet names) is shown as
the text it is.

AppTest can't click a download button, so the test records what each button would serve where
Streamlit receives it (``streamlit.elements.widgets.button.marshall_file``: bytes, or the callable
a deferred download calls on click) and calls it. Every expander is opened (``st.expander`` is
made to start expanded) and every tab of the mediation breakdowns chosen, so no button is hidden.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.elements.widgets import button
from streamlit.testing.v1 import AppTest

from analytics.semantic import aggregates
from etl.templates import TEMPLATES
from tests import hostile
from tests.fixture_db import build as build_fixture

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BREAKDOWN_TABS = ("纠纷类型", "月份", "上半年 / 下半年")  # the first tab (村) is open by default
SQL = "SELECT village, parties, mediator, summary, case_no, source_file, sheet, -1 AS minus_one FROM v_disputes"
# Every download the pages offer on this data (PNGs aside), by page. 2 = a frame's CSV and XLSX.
FRAMES = {
    "overview": ["scorecard_2020"],
    "mediation": ["disputes_by_form_2020", "mediation_rate_2020", "villages_2020", "categories_2020", "monthly_2020",
                  "half_years_2020", "flagged_cases_2020", "cases_2020"],
    "documents": ["document_rates_2020", "document_shortfalls_2020"],
    "training": ["training_rates_2020", "study_hours_2020", "below_target_2020", "certificates_2020",
                 "study_meetings_2020", "mediator_trainings_2020", "training_sessions_2020"],
    "explore": ["explore_disputes_2020", "explore_disputes_2020_rows", "data_dictionary", "query_result"],
}  # fmt: skip
FILES = {
    "report": [f"珠龙镇2020年度法治政府建设情况报告.{kind}" for kind in ("docx", "xlsx", "md")],
    "data": ["=cmd|' calc'!A0 矛盾纠纷台账_拒收行.xlsx", "导入1_拒收行.xlsx"]
    + [f"珠龙镇{template.file_name}" for template in TEMPLATES.values()],  # one blank template per dataset
}
# Pages and images rendered by Chromium (no cells to hold a formula; the brief's escaping of text from
# data is tested in tests/analytics/test_brief.py): seen, not opened. Chart PNGs aside.
RENDERED = {"overview": ["brief_2020_all_zh.pdf", "brief_2020_all_zh.png"]}
DOWNLOADS = [f"{stem}.{kind}" for stems in FRAMES.values() for stem in stems for kind in ("csv", "xlsx")] + [
    name for names in FILES.values() for name in names
]
# Downloads that hold ledger text, so an inert payload must be found in them (else the test proved nothing).
WITH_PAYLOADS = ("cases_2020", "flagged_cases_2020", "villages_2020", "explore_disputes_2020_rows", "query_result",
                 "document_shortfalls_2020", "training_sessions_2020", "珠龙镇2020年度法治政府建设情况报告", "拒收行")  # fmt: skip


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile.build(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """file name -> the bytes or callable of every download button drawn while the test runs."""
    found: dict[str, object] = {}
    marshall = button.marshall_file

    def record(coordinates, data, proto, mimetype, file_name=None, **kwargs):  # type: ignore[no-untyped-def]
        found[file_name or coordinates] = data
        return marshall(coordinates, data, proto, mimetype, file_name, **kwargs)

    monkeypatch.setattr(button, "marshall_file", record)
    expander = st.expander
    monkeypatch.setattr(st, "expander", lambda *a, **k: expander(*a, **{**k, "expanded": True}))
    return found


def _page(monkeypatch: pytest.MonkeyPatch, db: Path, page: str, **state: object) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["kind"] = "year"
    at.session_state["period"] = "2020"
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _bytes(data: object) -> bytes:
    value = data() if callable(data) else data
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)  # type: ignore[arg-type]


def _walk_pages(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    _page(monkeypatch, db, "overview")
    _page(monkeypatch, db, "mediation")
    for tab in BREAKDOWN_TABS:
        _page(monkeypatch, db, "mediation", mediation_breakdown=tab)
    _page(monkeypatch, db, "documents")
    _page(monkeypatch, db, "training")
    _page(monkeypatch, db, "report")
    _page(monkeypatch, db, "explore", ex_group=["village"], ex_sql=SQL, ex_run=True)
    data = _page(monkeypatch, db, "data")  # the history's stored rejects and the templates
    again = db.parent / "again"
    again.mkdir(exist_ok=True)
    source = hostile.files(again)[0]
    data.file_uploader(key="data_upload").set_value((source.name, source.read_bytes(), XLSX)).run()
    assert not data.exception, [e.message for e in data.exception]


def test_every_download_is_free_of_formulas(monkeypatch, hostile_db, downloads):
    _walk_pages(monkeypatch, hostile_db)
    checked: dict[str, int] = {}
    for name, data in sorted(downloads.items()):
        if name.endswith((".png", ".pdf")):
            continue  # an image or the brief: no cells (rendering needs Chromium, tested in tests/browser)
        content = _bytes(data)
        if name.endswith(".xlsx"):
            checked[name] = hostile.inert_xlsx(content, name)
        elif name.endswith(".csv"):
            checked[name] = hostile.inert_csv(content.decode("utf-8-sig"), name)
        elif name.endswith(".md"):
            checked[name] = _inert_markdown(content.decode("utf-8"), name)
        elif name.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                body = z.read("word/document.xml").decode("utf-8")
            assert "<w:fldSimple" not in body and "<w:instrText" not in body, name  # no field codes
            checked[name] = body.count("&lt;script&gt;")
        else:
            pytest.fail(f"a download of an unknown kind: {name}")
    # Every download a page offers was seen and checked: a new one fails here until it is listed.
    assert sorted(checked) == sorted(DOWNLOADS)
    assert {name for names in RENDERED.values() for name in names} <= set(downloads)
    empty = [name for name in checked if any(part in name for part in WITH_PAYLOADS) and not checked[name]]
    assert not empty, f"no payload found in {empty}, so the test proved nothing there"
    print(f"{len(checked)} downloads checked (+ PNGs): {sorted(checked)}")


MARKDOWN_ESCAPED = re.compile(r"(?<!\\)!\[|(?<!\\)<script|(?<!\\)\]\(")


def _inert_markdown(text: str, where: str) -> int:
    found = MARKDOWN_ESCAPED.search(text)
    assert found is None, f"{where}: raw markdown at {text[max(0, found.start() - 40) : found.end() + 40]!r}"
    return text.count("\\<script")


# --- Markdown from data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def markdown_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture warehouse with a town, villages and categories that are Markdown payloads, as a
    warehouse loaded before towns were checked would hold them."""
    path = build_fixture(tmp_path_factory.mktemp("markdown") / "warehouse.duckdb")
    con = duckdb.connect(str(path))
    try:
        for table in ("disputes", "dispute_summaries", "documents", "document_summaries", "staff", "training"):
            con.execute(f"UPDATE {table} SET town = ?", [hostile.IMAGE])
        con.execute(
            "UPDATE disputes SET village = CASE WHEN excel_row % 2 = 0 THEN ? ELSE ? END, category = ?",
            [hostile.SCRIPT, hostile.IMAGE, hostile.IMAGE],
        )
        con.execute("UPDATE loads SET file_name = ?", [hostile.SCRIPT + ".xlsx"])
        con.execute("UPDATE dispute_summaries SET source_file = ?, sheet = ?", [hostile.SCRIPT, hostile.IMAGE])
        aggregates.refresh(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def _shown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(kind, text) of every element whose text Streamlit renders as Markdown."""
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        for element in at.get(kind):
            yield kind, str(element.value)
    for element in at.get("expander"):
        yield "expander", element.label
    for element in at.metric:
        yield "metric", element.label
    for kind in ("selectbox", "multiselect", "text_input", "radio", "button", "checkbox"):
        for element in at.get(kind):
            yield kind, str(getattr(element, "label", ""))


def _assert_escaped(at: AppTest, page: str) -> int:
    escaped = 0
    for kind, text in _shown_texts(at):
        found = MARKDOWN_ESCAPED.search(text)
        assert found is None, f"{page} {kind}: {text!r}"
        escaped += "\\!\\[t\\]" in text or "\\<script" in text
    return escaped


@pytest.mark.parametrize("page", ["overview", "mediation", "documents", "training", "report", "explore"])
def test_markdown_from_data_is_shown_as_text(monkeypatch, markdown_db, page):
    state: dict[str, object] = {"town": hostile.IMAGE}
    if page == "mediation":
        state["village"] = hostile.IMAGE  # the drill-down's caption names it
    at = _page(monkeypatch, markdown_db, page, **state)
    assert _assert_escaped(at, page) > 0, "the payload was not shown anywhere, so nothing was tested"


def test_report_page_lists_categories_from_the_ledgers_as_text(monkeypatch, hostile_db):
    """The consistency findings name each unknown category and its file and sheet, from the ledgers."""
    at = _page(monkeypatch, hostile_db, "report")
    findings = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any("\\<script\\>alert(1)\\</script\\>" in f for f in findings), findings[:3]
    assert _assert_escaped(at, "report findings") > 0


def test_markdown_report_carries_no_markup_from_data(markdown_db):
    from analytics import db
    from analytics.report import md
    from analytics.report.pack import build_pack
    from analytics.semantic.periods import parse

    cur = db.reader(markdown_db).cursor()
    try:
        text = md.to_markdown(build_pack(cur, parse("2020"), hostile.IMAGE, "zh"))
    finally:
        cur.close()
    assert text.startswith("# \\!\\[t\\](http\\://host/x.png)镇2020年度法治政府建设情况报告")
    _inert_markdown(text, "report.md")


def test_data_page_shows_file_names_and_refuses_markup_towns(monkeypatch, markdown_db, tmp_path):
    at = _page(monkeypatch, markdown_db, "data")
    assert _assert_escaped(at, "data history") > 0  # the stored file name in the undo list
    source = hostile.files(tmp_path)[0]
    name = "![t](x.png)镇<script>.xlsx"
    at.file_uploader(key="data_upload").set_value((name, source.read_bytes(), XLSX)).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("\\!\\[t\\](x.png)镇\\<script\\>.xlsx" in m.value for m in at.markdown), [m.value for m in at.markdown]
    _assert_escaped(at, "data preview")
    at.text_input(key="data_town").set_value(hostile.IMAGE).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("不是有效的地名" in e for e in errors), errors
    assert not any(b.key == "data_load_0" for b in at.button)  # nothing to load with that town
    _assert_escaped(at, "data town")


@pytest.mark.parametrize("name", ["纠" * 90 + ".xlsx", "../../x.xlsx", "..\\..\\x.xlsx", "\u202exslx.xlsx"])
def test_data_page_previews_an_upload_with_a_bad_name(monkeypatch, tmp_path, name):
    from etl.names import shown_file_name
    from tests.workbooks import disputes_sheet, write_xlsx

    db = tmp_path / "warehouse.duckdb"
    at = _page(monkeypatch, db, "data")
    data = write_xlsx(tmp_path / "a.xlsx", {"2020年": disputes_sheet()}).read_bytes()
    at.file_uploader(key="data_upload").set_value((name, data, XLSX)).run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert f"#### {shown_file_name(name)}" in [m.value for m in at.markdown]
    at.button(key="data_load_0").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(shown_file_name(name) in s.value for s in at.success)


@pytest.mark.parametrize("name", ["a\x00b.xlsx", "..", "x.xlsx\x00.exe"])
def test_a_name_no_browser_sends_shows_no_traceback(monkeypatch, tmp_path, name):
    """Streamlit itself refuses a NUL or a missing extension, before any page code runs; what the
    viewer sees is a generic message (``client.showErrorDetails = "type"``), no trace, no paths."""
    at = _page(monkeypatch, tmp_path / "warehouse.duckdb", "data")
    at.file_uploader(key="data_upload").set_value((name, b"PK", XLSX)).run()
    assert [e.stack_trace for e in at.exception] == [[]]
    assert "redacted" in at.exception[0].message and str(ROOT) not in at.exception[0].message
