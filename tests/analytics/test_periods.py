from datetime import date

import pytest

from analytics.semantic import periods


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2020", date(2020, 1, 1), date(2021, 1, 1), "2020年"),
        ("2020H1", date(2020, 1, 1), date(2020, 7, 1), "2020年上半年"),
        ("2020h2", date(2020, 7, 1), date(2021, 1, 1), "2020年下半年"),
        ("2020Q3", date(2020, 7, 1), date(2020, 10, 1), "2020年第三季度"),
        ("2020Q4", date(2020, 10, 1), date(2021, 1, 1), "2020年第四季度"),
    ],
)
def test_parse_bounds_and_label(text: str, start: date, end: date, label: str) -> None:
    period = periods.parse(text)
    assert (period.start, period.end, period.label()) == (start, end, label)


@pytest.mark.parametrize("text", ["20", "2020H3", "2020Q5", "二〇二〇", ""])
def test_parse_rejects_with_chinese_message(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别的期间"):
        periods.parse(text)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (2018, "2018"),
        ("2018", "2018"),
        ("2018年", "2018"),
        ("2018年度", "2018"),
        ("2018.0", "2018"),
        ("2018年上半年", "2018H1"),
        ("2018年下半年", "2018H2"),
        ("2018H2", "2018H2"),
        ("2018年第一季度", "2018Q1"),
        ("2018年3季度", "2018Q3"),
        ("合计", None),
        (None, None),
    ],
)
def test_parse_loose_reads_summary_periods(typed: object, expected: str | None) -> None:
    found = periods.parse_loose(typed)
    assert (found.id if found else None) == expected


def test_previous_year_and_prorating() -> None:
    half = periods.parse("2020H2")
    assert half.previous_year().id == "2019H2"
    assert half.fraction_of_year == 0.5
    assert periods.parse("2020Q1").fraction_of_year == 0.25
