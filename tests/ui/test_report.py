"""AppTest of the report page: the pack drawn from the fixture warehouse in both languages, its
downloads built through ``pages.cache``, and the empty state on a database with no data."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def report(make_app: Callable[..., AppTest], db: Path | None = None, **params: str) -> AppTest:
    app = make_app(db, **params)
    app.switch_page("pages/report.py")
    return app.run()


@pytest.mark.parametrize(("lang", "title"), [("zh", "2020年"), ("en", "2020")])
def test_report_page_draws_the_pack(make_app, lang: str, title: str) -> None:
    app = report(make_app, lang=lang, kind="year", period="2020")
    assert not app.exception, [e.message for e in app.exception]
    assert title in app.markdown[0].value  # the pack's title
    assert len(app.get("plotly_chart")) >= 1
    assert len(app.dataframe) == 1
    assert len(app.get("download_button")) >= 3 + len(app.get("plotly_chart"))  # docx, xlsx, md, and a PNG per chart


def test_report_page_sets_the_report_date_and_names_the_files(make_app, monkeypatch) -> None:
    """Issue 14: the date the report is signed is the user's (default 2021-01-31 for 2020), the downloads
    carry the report's own name, and the data check sits apart from the report's text."""
    from datetime import date

    from streamlit.elements.widgets import button

    names: list[str] = []
    marshall = button.marshall_file

    def record(coordinates, data, proto, mimetype, file_name=None, **kwargs):  # type: ignore[no-untyped-def]
        names.append(file_name or coordinates)
        return marshall(coordinates, data, proto, mimetype, file_name, **kwargs)

    monkeypatch.setattr(button, "marshall_file", record)
    app = report(make_app, kind="year", period="2020")
    assert not app.exception, [e.message for e in app.exception]
    assert app.date_input[0].value == date(2021, 1, 31)
    assert {"珠龙镇2020年度法治政府建设情况报告.docx", "珠龙镇2020年度法治政府建设情况报告.md"} <= set(names)
    text = [m.value for m in app.markdown]
    assert any("【待填写：" in v for v in text)
    assert any("数据核对（供工作人员核实，不属于报告正文）" in v for v in text)
    app.date_input[0].set_value(date(2021, 2, 5)).run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.date_input[0].value == date(2021, 2, 5)


def test_report_page_explains_an_empty_database(make_app, tmp_path: Path) -> None:
    app = report(make_app, tmp_path / "nothing-loaded.duckdb")
    assert not app.exception, [e.message for e in app.exception]
    assert any("数据库中还没有数据" in info.value for info in app.info)
    assert not app.get("plotly_chart")
    assert not app.get("download_button")


def _calls(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "pages").glob("*.py") if p.name != "cache.py"), ids=str)
def test_no_page_opens_a_cursor(path: Path) -> None:
    """Pages read through ``pages.cache.cached``; only that module opens cursors."""
    calls = _calls(path)
    assert not {c for c in calls if c.endswith(".cursor") or c.endswith("reader")}, path.name


def test_pages_do_not_branch_on_the_language() -> None:
    """Words that differ by language come from the text catalogues, not from ``lang == "en"``."""
    for path in sorted((ROOT / "pages").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for pattern in ('lang == "en"', 'lang != "en"', 'lang == "zh"', 'lang != "zh"'):
            assert pattern not in source, f"{path.name}: {pattern}"
