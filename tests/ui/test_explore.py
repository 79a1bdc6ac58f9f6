"""AppTest of 自助分析 on the fixture warehouse: pivot counts, URL choices, the guarded SQL box."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.adhoc import saved_queries
from tests.fixture_db import build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("ui_explore") / "warehouse.duckdb")


@pytest.fixture
def writable_db(tmp_path: Path, db_file: Path) -> Path:
    return Path(shutil.copyfile(db_file, tmp_path / "warehouse.duckdb"))


def open_page(monkeypatch: pytest.MonkeyPatch, db: Path, period: str = "2020", **params: str | list[str]) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["kind"] = "year"
    at.session_state["period"] = period
    params.setdefault("ex_from", period[:4])  # the pivot's own years (it ignores the sidebar's period)
    params.setdefault("ex_to", period[:4])
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/explore.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def frame_with(at: AppTest, column: str, containing: object = None):
    """The first table on the page with ``column`` (holding ``containing``, if given)."""
    for element in at.dataframe:
        frame = element.value
        if column in frame.columns and (containing is None or containing in frame[column].tolist()):
            return frame
    raise AssertionError(f"no table with column {column!r}")


def pivot_table(at: AppTest):
    return at.dataframe[0].value  # the pivot is the first table on the page


def test_default_is_the_disputes_total(monkeypatch, db_file) -> None:
    at = open_page(monkeypatch, db_file)
    assert at.title[0].value == "自助分析"
    assert at.selectbox(key="ex_ds").value == "disputes"
    assert at.dataframe[0].value.iloc[0].tolist() == ["560件"]


def test_the_pivot_counts_its_own_years_not_the_sidebar_period(monkeypatch, db_file) -> None:
    at = open_page(monkeypatch, db_file, period="2020", ex_from="2019", ex_to="2020")
    assert at.dataframe[0].value.iloc[0].tolist() == ["1,060件"]  # 500 in 2019 + 560 in 2020


def test_village_by_year_is_a_crosstab_with_totals(monkeypatch, db_file) -> None:
    at = open_page(monkeypatch, db_file, ex_from="2019", ex_to="2020", ex_group=["village", "year"])
    table = frame_with(at, "村（社区）")
    assert list(table.columns) == ["村（社区）", "2019", "2020", "合计"]
    totals = table[table["村（社区）"] == "合计"].iloc[0].tolist()
    assert totals == ["合计", "500件", "560件", "1,060件"]
    assert len(table) == 5  # four villages and the total row
    assert any(b.label == "下载 Excel" or "xlsx" in str(b.proto).lower() for b in at.get("download_button"))


def test_a_rate_by_two_groupings_is_a_heatmap_with_counts(monkeypatch, db_file) -> None:
    import json

    at = open_page(
        monkeypatch, db_file, ex_from="2019", ex_to="2020", ex_group=["village", "year"], ex_measure="rate:success"
    )
    heat = next(json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    trace = heat["data"][0]
    assert trace["type"] == "heatmap" and trace["zmin"] > 0.5  # the scale spans the rates, not 0–1
    assert all("<br>" in cell and "/" in cell for row in trace["text"] for cell in row)  # rate and counts
    table = frame_with(at, "村（社区）")
    assert table[table["村（社区）"] == "合计"]["2020"].iloc[0] == "98.6%（552/560）"


def test_grouping_by_agreement_form_shows_156_and_404(monkeypatch, db_file) -> None:
    at = open_page(monkeypatch, db_file)
    at.multiselect(key="ex_group").set_value(["agreement_form"]).run()
    table = pivot_table(at)
    assert dict(zip(table["调解协议形式"], table["件数（行数）"], strict=True)) == {
        "口头调解": "404件",
        "书面调解": "156件",
    }
    assert len(at.get("plotly_chart")) == 1
    # the choice is in the URL, as the displayed label
    assert at.query_params["ex_group"] in ("调解协议形式", ["调解协议形式"])


def test_two_groupings_and_a_filter(monkeypatch, db_file) -> None:
    at = open_page(monkeypatch, db_file)
    at.multiselect(key="ex_group").set_value(["agreement_form", "outcome"])
    at.multiselect(key="ex_filter").set_value(["joint"]).run()
    at.multiselect(key="ex_f_joint").set_value(["true"]).run()
    table = pivot_table(at)
    # a crosstab: 调解协议形式 down, 调解结果 across, with totals
    assert table.values.tolist() == [["书面调解", "3件", "3件"], ["合计", "3件", "3件"]]
    assert list(table.columns) == ["调解协议形式", "调解成功", "合计"]


def test_query_params_restore_the_choices(monkeypatch, db_file) -> None:
    # labels, as the page writes them into the URL
    at = open_page(monkeypatch, db_file, ex_ds="矛盾纠纷", ex_group=["调解协议形式"], ex_measure="调解率")
    assert at.multiselect(key="ex_group").value == ["agreement_form"]
    assert at.selectbox(key="ex_measure").value == "rate:success"
    table = pivot_table(at)
    assert table[["调解协议形式", "分子", "分母", "调解率"]].values.tolist() == [
        ["口头调解", 399, 404, "98.8%"],
        ["书面调解", 153, 156, "98.1%"],
    ]
    # ids, as a hand-written link would have them
    at = open_page(monkeypatch, db_file, ex_ds="training", ex_group=["kind"], ex_measure="sum:hours")
    assert at.selectbox(key="ex_ds").value == "training"
    table = pivot_table(at)
    assert dict(zip(table["形式"], table["合计：学时"], strict=True)) == {
        "依法行政专题学习会": "110学时",
        "调解员培训": "8学时",
    }


def test_detail_rows_are_masked(monkeypatch, db_file) -> None:
    at = open_page(monkeypatch, db_file, ex_ds="staff")
    rows = frame_with(at, "姓名")
    assert rows["姓名"].tolist() == ["张*", "李*", "王*"]


def test_sql_box_refuses_a_write(monkeypatch, db_file) -> None:
    at = open_page(monkeypatch, db_file)
    at.text_area(key="ex_sql").set_value("DELETE FROM disputes")
    at.button(key="ex_run_button").click().run()
    assert [e.value for e in at.error] == ["只允许查询（SELECT），不能修改数据"]


def test_sql_box_runs_a_read_and_shows_the_dictionary(monkeypatch, db_file) -> None:
    at = open_page(monkeypatch, db_file)
    at.text_area(key="ex_sql").set_value(
        "SELECT agreement_form, count(*) AS n FROM v_disputes WHERE year(received_date) = 2020 GROUP BY 1 ORDER BY 1"
    )
    at.button(key="ex_run_button").click().run()
    assert not at.error
    assert frame_with(at, "n")["n"].tolist() == [404, 156]
    assert frame_with(at, "列", "village")["列"].tolist()[5] == "received_date"  # v_disputes (v_cases sorts first)


def test_a_filter_value_the_column_never_holds_is_named(monkeypatch, db_file) -> None:
    at = open_page(monkeypatch, db_file)
    at.text_area(key="ex_sql").set_value("SELECT count(*) AS n FROM v_disputes WHERE outcome = '成功'")
    at.button(key="ex_run_button").click().run()
    assert frame_with(at, "n")["n"].tolist() == [0]
    warning = " ".join(w.value for w in at.warning)
    assert "「成功」不是 v_disputes.outcome 列中的值" in warning and "success（调解成功）" in warning
    assert "调解结果 = '调解成功'" in warning
    # the column in words works as the hint says
    at.text_area(key="ex_sql").set_value(
        "SELECT count(*) AS n FROM v_disputes WHERE 调解结果 = '调解成功' AND year(received_date) = 2020"
    )
    at.button(key="ex_run_button").click().run()
    assert frame_with(at, "n")["n"].tolist() == [552]
    assert not at.warning


def test_saving_running_and_deleting_a_query(monkeypatch, writable_db) -> None:
    at = open_page(monkeypatch, writable_db)
    at.text_area(key="ex_sql").set_value("SELECT count(*) AS n FROM v_documents")
    at.text_input(key="ex_save_name").set_value("文件件数")
    at.button(key="ex_save").click().run()
    assert [s.value for s in at.success] == ["已保存查询：文件件数"]
    assert [q.name for q in saved_queries.list_queries(writable_db)] == ["文件件数"]
    at = open_page(monkeypatch, writable_db)
    at.selectbox(key="ex_saved").set_value("文件件数")
    at.button(key="ex_load").click().run()
    assert at.text_area(key="ex_sql").value == "SELECT count(*) AS n FROM v_documents"
    assert frame_with(at, "n")["n"].tolist() == [8]
    at.button(key="ex_delete").click().run()
    assert saved_queries.list_queries(writable_db) == []


def test_sql_box_shows_lists_as_text_and_keeps_no_large_result(monkeypatch, db_file) -> None:
    """A list per cell comes as text, cut and said so; a result over ``KEPT_BYTES`` is shown, not kept per tab."""
    at = open_page(monkeypatch, db_file)
    at.text_area(key="ex_sql").set_value("SELECT list_transform(range(650), lambda x: ['a']) AS s FROM range(3)")
    at.button(key="ex_run_button").click().run()
    assert not at.error
    assert frame_with(at, "s")["s"].str.endswith("…").tolist() == [True] * 3
    assert [w.value for w in at.warning] == [
        "有 3 个单元格（列表、结构或二进制值，已转为文字）超过 1,000 字，只显示前 1,000 字（以“…”结尾）。"
    ]
    assert at.session_state["ex_result"] is not None
    at.text_area(key="ex_sql").set_value("SELECT repeat('x', 4000) AS s FROM range(10000)")  # ≈ 40 MB in pandas
    at.button(key="ex_run_button").click().run()
    assert not at.error
    assert len(frame_with(at, "s")) == 10_000
    assert "ex_result" not in at.session_state
    assert any(c.value.startswith("结果较大（约 3") for c in at.caption), [c.value for c in at.caption]
