"""The data dictionary describes every column of every v_* view, with masked example values."""

from __future__ import annotations

import duckdb
import pytest

from analytics.adhoc import dictionary
from analytics.db import ensure_schema


def test_every_view_and_column_of_the_schema_is_described() -> None:
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    views = dictionary.views(con)
    assert "v_disputes" in views and "v_staff" in views and all(v.startswith("v_") for v in views)
    assert dictionary.undescribed(con) == []


def test_an_undescribed_column_is_caught() -> None:
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    con.execute("CREATE VIEW v_new AS SELECT 1 AS mystery_column, 'x' AS town")
    assert dictionary.undescribed(con) == ["v_new", "v_new.mystery_column"]


def test_the_dictionary_lists_columns_in_order_with_types_and_descriptions(fixture_con) -> None:
    docs = {doc.name: doc for doc in dictionary.dictionary(fixture_con, "zh", show_personal=False)}
    assert set(docs) == set(dictionary.VIEWS)
    disputes = {c.name: c for c in docs["v_disputes"].columns}
    assert list(disputes)[:6] == ["load_id", "town", "source_file", "sheet", "excel_row", "received_date"]
    assert disputes["received_date"].type == "DATE" and disputes["received_date"].label == "受理日期"
    assert disputes["agreement_form"].examples == ["oral", "written"]
    assert disputes["village"].examples == ["新田村", "桃源村", "珠龙村"]  # three, sorted
    assert disputes["case_no"].examples == []  # all empty in the fixture
    # the same column name means a count in a summary view
    summary_joint = next(c for c in docs["v_dispute_summaries"].columns if c.name == "joint")
    assert summary_joint.description == "联合调解件数"
    english = {doc.name: doc for doc in dictionary.dictionary(fixture_con, "en", with_examples=False)}
    assert next(c for c in english["v_disputes"].columns if c.name == "outcome").label == "Outcome"


def test_personal_examples_are_masked_unless_allowed(fixture_con) -> None:
    masked = {
        c.name: c
        for c in next(d for d in dictionary.dictionary(fixture_con, show_personal=False) if d.name == "v_staff").columns
    }
    assert masked["name"].examples == ["张*", "李*", "王*"]
    assert masked["cert_no"].examples == [dictionary.HIDDEN]
    assert dictionary.examples(fixture_con, "v_staff", "name", show_personal=True) == ["张三", "李四", "王五"]
    with pytest.raises(ValueError):
        dictionary.examples(fixture_con, "v_staff", "nope")


def test_mask_personal_frame() -> None:
    import pandas as pd

    frame = pd.DataFrame({"parties": ["王小明、欧阳小红", None], "summary": ["王小明借款", None], "town": ["a", "b"]})
    masked = dictionary.mask_personal(frame, show=False)
    assert masked["parties"].tolist() == ["王**、欧阳**", None]
    assert masked["summary"].tolist() == [dictionary.HIDDEN, None]
    assert masked["town"].tolist() == ["a", "b"]
    assert frame["parties"][0] == "王小明、欧阳小红"  # the original is untouched
    assert dictionary.mask_personal(frame, show=True) is frame


def test_as_frame_has_one_row_per_column(fixture_con) -> None:
    docs = dictionary.dictionary(fixture_con, with_examples=False)
    frame = dictionary.as_frame(docs)
    assert list(frame.columns) == ["视图", "列", "类型", "名称", "说明", "示例值"]
    assert len(frame) == sum(len(d.columns) for d in docs)
    assert frame["说明"].str.len().min() > 0
