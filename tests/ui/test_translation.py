"""Translation completeness (issue 15): every page rendered in English holds no Chinese character and
no Chinese punctuation (，。：；（）、「」 and the full-width space) outside data values.

Each page of the sample warehouse (all eight ledgers, through the real ETL) runs in AppTest with
``lang=en`` and every expander open; every string of every element is read from its protobuf (labels,
options, help, captions, Markdown, alerts, metric deltas, a plotly figure's titles, axes, legend and
hover templates), and every column name and text cell of every table. A run of CJK characters or
Chinese punctuation passes only when the warehouse itself holds it (a town, a village, a category, a
file or sheet name, a stored ETL reason) or it is a masked name (王**).

Left as they are, on purpose: the language switch (its label 语言 / Language and the option 中文 name
the language in its own words), <style>/<script> blocks, and the SQL box's example query (code).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("overview", "mediation", "documents", "training", "cases", "disclosures", "work", "report", "explore",
         "data", "admin")  # fmt: skip
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
MASKED = re.compile(r"[\u4e00-\u9fff]{1,3}\*+")
LANGUAGE_SWITCH = {"语言 / Language", "中文"}
SKIPPED_FIELDS = {"arrowData", "data", "id", "formId", "key", "style", "body"}  # bytes, ids, CSS and HTML blocks
DATA_ELEMENTS = ("arrow_data_frame", "dataframe", "table")


@pytest.fixture(scope="module")
def data_runs(sample_db: Path) -> set[str]:
    """Every run of Chinese text stored in the warehouse (any text column of any table)."""
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        columns = con.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE data_type = 'VARCHAR' AND table_schema = 'main'"""
        ).fetchall()
        runs: set[str] = set()
        for table, column in columns:
            sql = f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
            for (value,) in con.execute(sql).fetchall():
                runs.update(CHINESE.findall(str(value)))
        return runs
    finally:
        con.close()


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "spec" and isinstance(item, str):  # a plotly figure, as JSON
                yield from _strings(json.loads(item))
            elif key not in SKIPPED_FIELDS or isinstance(item, (dict, list)):
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _elements(node: object) -> Iterator[object]:
    if getattr(node, "proto", None) is not None:
        yield node
    children = getattr(node, "children", None)
    if children:
        for child in children.values() if isinstance(children, dict) else children:
            yield from _elements(child)


def page_strings(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) for every string an English reader would see on the page."""
    for element in _elements(at._tree):  # noqa: SLF001 - AppTest offers no walk over every element
        kind = type(element).__name__
        if type(element.proto).__name__ == "Html":  # type: ignore[attr-defined]
            continue  # <style> and <script> blocks
        fields = MessageToDict(element.proto)  # type: ignore[attr-defined]
        if kind == "TextArea":
            fields.pop("placeholder", None)  # the SQL box's example query is code
            fields.pop("default", None)
        for text in _strings(fields):
            yield kind, text
    for name in DATA_ELEMENTS:
        for table in at.get(name):
            frame = table.value  # type: ignore[attr-defined]
            for column in frame.columns:
                yield f"{name} column", str(column)
                if frame[column].dtype == object:
                    for cell in {c for c in frame[column] if isinstance(c, str)}:
                        yield f"{name} cell", cell


def untranslated(text: str, data: set[str]) -> list[str]:
    """The runs of Chinese in ``text`` that are not data values."""
    if text in LANGUAGE_SWITCH:
        return []
    text = MASKED.sub("", text)
    return [run for run in CHINESE.findall(text) if run not in data and run.strip("　") not in data]


def english_page(monkeypatch: pytest.MonkeyPatch, db: Path, page: str) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_TODAY", "2026-11-28")
    expander = st.expander
    monkeypatch.setattr(st, "expander", lambda *a, **k: expander(*a, **{**k, "expanded": True}))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.session_state["kind"] = "year"
    at.session_state["period"] = "2020"
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_english_has_no_chinese_outside_data(monkeypatch, sample_db: Path, data_runs, page: str) -> None:
    at = english_page(monkeypatch, sample_db, page)
    found = sorted(
        {(where, text[:160]) for where, text in page_strings(at) if untranslated(text, data_runs)},
    )
    assert not found, "\n".join(f"{where}: {text}" for where, text in found)


def test_the_check_finds_chinese_text_and_punctuation() -> None:
    data = {"珠龙镇", "石门村"}
    assert untranslated("2020: most disputes in 石门村 (85)", data) == []
    assert untranslated("Publication rate83.3%，target 100%", data) == ["，"]
    assert untranslated("Overview　·　2020", data) == ["　", "　"]
    assert untranslated("local demo (管理员)", data) == ["管理员"]
    assert untranslated("王** and 李*", data) == []


def test_the_upload_limit_shown_is_the_one_enforced() -> None:
    """Streamlit's upload box states its server's limit: the config and the setting agree."""
    import tomllib

    from analytics import settings

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == settings.LIMIT_DEFAULTS["upload_max_mb"]
    assert config["client"]["disableDataExport"] is True  # downloads only through the audited, formula-safe buttons
    assert "--server.maxUploadSize $(UPLOAD_MB)" in (ROOT / "Makefile").read_text(encoding="utf-8")
