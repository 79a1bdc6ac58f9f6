"""The pivot reproduces the source report's figures from the fixture warehouse."""

from __future__ import annotations

import pytest

from analytics.adhoc import explore
from analytics.semantic.periods import parse

Y2020 = parse("2020")


def _records(frame) -> list[dict]:
    return frame.to_dict("records")


def test_2020_disputes_by_agreement_form(fixture_con) -> None:
    frame = explore.pivot(fixture_con, "disputes", Y2020, None, {}, ["agreement_form"])
    assert _records(frame) == [{"agreement_form": "oral", "value": 404}, {"agreement_form": "written", "value": 156}]


def test_no_grouping_is_the_total_and_town_filters(fixture_con) -> None:
    assert explore.pivot(fixture_con, "disputes", Y2020, None)["value"].tolist() == [560]
    assert explore.pivot(fixture_con, "disputes", Y2020, "珠龙镇")["value"].tolist() == [560]
    assert explore.pivot(fixture_con, "disputes", Y2020, "别的镇")["value"].tolist() == [0]
    assert explore.pivot(fixture_con, "disputes", None, None)["value"].tolist() == [1060]


def test_filters_and_two_groupings(fixture_con) -> None:
    joint = explore.pivot(fixture_con, "disputes", Y2020, None, {"joint": [True]}, ["agreement_form"])
    assert _records(joint) == [{"agreement_form": "written", "value": 3}]
    # URL values arrive as text
    assert explore.pivot(fixture_con, "disputes", Y2020, None, {"joint": ["true"]})["value"].tolist() == [3]
    two = explore.pivot(fixture_con, "disputes", Y2020, None, {}, ["agreement_form", "outcome"])
    assert _records(two) == [
        {"agreement_form": "oral", "outcome": "failed", "value": 5},
        {"agreement_form": "oral", "outcome": "success", "value": 399},
        {"agreement_form": "written", "outcome": "failed", "value": 3},
        {"agreement_form": "written", "outcome": "success", "value": 153},
    ]
    assert two["value"].sum() == 560
    villages = explore.pivot(fixture_con, "disputes", Y2020, None, {"village": ["石门村", "珠龙村"]}, ["village"])
    assert villages["village"].tolist() == ["珠龙村", "石门村"] and villages["value"].tolist() == [140, 140]


def test_rate_keeps_numerator_and_denominator(fixture_con) -> None:
    frame = explore.pivot(fixture_con, "disputes", Y2020, None, {}, [], ("rate", "success"))
    assert frame[["numerator", "denominator"]].values.tolist() == [[552, 560]]
    assert round(frame["value"][0], 4) == 0.9857
    empty = explore.pivot(fixture_con, "disputes", Y2020, "别的镇", {}, [], ("rate", "success"))
    assert empty["value"].tolist() == [None]  # 0/0 is no data, not 0%
    y2019 = explore.pivot(fixture_con, "disputes", parse("2019"), None, {}, [], ("rate", "success"))
    assert y2019["value"].tolist() == [0.96]


def test_sums_and_derived_groupings(fixture_con) -> None:
    by_kind = explore.pivot(fixture_con, "training", Y2020, None, {}, ["kind"], ("sum", "hours"))
    assert _records(by_kind) == [{"kind": "依法行政专题学习会", "value": 110.0}, {"kind": "调解员培训", "value": 8.0}]
    halves = explore.pivot(fixture_con, "disputes", Y2020, None, {}, ["half"])
    assert halves["half"].tolist() == ["2020H1", "2020H2"] and halves["value"].sum() == 560
    months = explore.pivot(fixture_con, "disputes", parse("2020Q1"), None, {}, ["month"])
    assert months["month"].tolist() == ["2020-01", "2020-02", "2020-03"]
    staff = explore.pivot(fixture_con, "staff", Y2020, None, {}, ["is_enforcement"], ("rate", "certified"))
    assert staff[staff["is_enforcement"]]["value"].tolist() == [1.0]


def test_identifiers_are_whitelisted(fixture_con) -> None:
    with pytest.raises(ValueError, match="不能按该列分组"):
        explore.pivot(fixture_con, "disputes", Y2020, None, {}, ["received_date; DROP TABLE disputes"])
    with pytest.raises(ValueError, match="不能按该列筛选"):
        explore.pivot(fixture_con, "disputes", Y2020, None, {"1=1 OR town": ["x"]})
    with pytest.raises(ValueError, match="统计方式"):
        explore.pivot(fixture_con, "disputes", Y2020, None, {}, [], ("sum", "excel_row"))
    with pytest.raises(ValueError, match="最多按 2 列分组"):
        explore.pivot(fixture_con, "disputes", Y2020, None, {}, ["village", "category", "outcome"])
    with pytest.raises(ValueError, match="未知的数据集"):
        explore.pivot(fixture_con, "nope", Y2020, None)
    # a quote in a filter value is just a value
    assert explore.pivot(fixture_con, "disputes", Y2020, None, {"village": ["x' OR '1'='1"]})["value"].tolist() == [0]


def test_personal_columns_are_not_groupable_unless_allowed() -> None:
    assert "parties" not in explore.get("disputes").columns
    assert "name" not in explore.get("training").dimensions(show_personal=False)
    assert "name" in explore.get("training").dimensions(show_personal=True)


def test_rows_are_filtered_and_masked(fixture_con) -> None:
    failed = explore.rows(fixture_con, "disputes", Y2020, None, {"outcome": ["failed"]})
    assert len(failed) == 8 and set(failed["outcome"]) == {"failed"}
    assert failed.attrs["truncated"] is False
    staff = explore.rows(fixture_con, "staff", Y2020, None, {}, show_personal=False)
    assert staff["name"].tolist() == ["张*", "李*", "王*"]
    assert explore.rows(fixture_con, "staff", Y2020, None, {}, show_personal=True)["name"].tolist() == [
        "张三",
        "李四",
        "王五",
    ]
    cut = explore.rows(fixture_con, "disputes", Y2020, None, {}, limit=10)
    assert len(cut) == 10 and cut.attrs["truncated"] is True


def test_options_and_labels(fixture_con) -> None:
    assert explore.options(fixture_con, "disputes", "agreement_form", Y2020, None) == ["oral", "written"]
    assert explore.options(fixture_con, "disputes", "joint", Y2020, None) == [False, True]
    labelled = explore.with_labels(
        explore.pivot(fixture_con, "disputes", Y2020, None, {}, ["agreement_form", "joint"]), "disputes"
    )
    assert list(labelled.columns) == ["调解协议形式", "联合调解", "value"]
    assert labelled.iloc[:, 0].tolist() == ["口头调解", "书面调解", "书面调解"]
    assert labelled.iloc[:, 1].tolist() == ["否", "否", "是"]


def test_measures_round_trip() -> None:
    for dataset in explore.datasets():
        for measure_id in explore.measures(dataset):
            assert explore.measure_id(explore.parse_measure(measure_id)) == measure_id
    assert explore.measures("disputes", "en")["rate:success"] == "Mediation success rate"
