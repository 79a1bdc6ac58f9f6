"""Document queries on the fixture warehouse plus three faulty documents: exact figures."""

from __future__ import annotations

import duckdb
import pytest

from analytics.queries import documents as q
from analytics.semantic import aggregates
from analytics.semantic.periods import parse


@pytest.fixture
def con(fixture_path):
    write = duckdb.connect(str(fixture_path))
    write.execute("""INSERT INTO documents (load_id, town, source_file, sheet, excel_row, doc_no, title, issued_date,
                     reviewed, published, filed, filed_date, filing_days, filing_working_days) VALUES
        (1, '珠龙镇', 'fixture.xlsx', '文件', 20, '珠政〔2020〕20号', '迟报文件', DATE '2020-03-02', true, true, true,
         DATE '2020-04-11', 40, 28),
        (1, '珠龙镇', 'fixture.xlsx', '文件', 21, '珠政〔2020〕21号', '未备案文件', DATE '2020-11-20', true, false, false,
         NULL, NULL, NULL),
        (1, '珠龙镇', 'fixture.xlsx', '文件', 22, NULL, '未审查文件', DATE '2020-06-01', false, true, true,
         DATE '2020-06-05', 4, 3)""")
    aggregates.refresh(write)  # rows added by SQL: rebuild what the ETL would
    write.close()
    reader = duckdb.connect(str(fixture_path), read_only=True)
    yield reader
    reader.close()


def test_rates_by_year(con):
    frame = q.rates_by_year(con, parse("2020"), None)
    values = frame.set_index("metric_id")["value"]
    assert values["documents_issued"] == 11
    assert values["document_review_rate"] == pytest.approx(10 / 11)
    assert values["document_publication_rate"] == pytest.approx(10 / 11)
    assert values["document_filing_rate"] == pytest.approx(10 / 11)
    assert values["document_timely_filing_rate"] == pytest.approx(9 / 11)
    assert set(frame.loc[frame["metric_id"] != "documents_issued", "target"]) == {1.0}


def test_shortfalls_say_what_is_missing_and_how_late(con):
    frame = q.shortfalls(con, parse("2020"), None).set_index("title")
    assert list(frame.index) == ["迟报文件", "未审查文件", "未备案文件"]
    assert frame.loc["迟报文件", "missing"] == ["timely_filing"]
    assert frame.loc["迟报文件", "days_late"] == 10  # 40 calendar days against 30
    assert frame.loc["未审查文件", "missing"] == ["review"]
    assert frame.loc["未审查文件", "days_late"] is None
    assert frame.loc["未备案文件", "missing"] == ["publication", "filing", "timely_filing"]
    assert frame.loc["未备案文件", "days_unfiled"] == 42  # 2020-11-20 to the period's end, 2021-01-01
    assert set(frame["deadline_days"]) == {30}


def test_counts_per_requirement(con):
    frame = q.counts(con, parse("2020"), None).set_index("requirement")
    assert frame["missing"].to_dict() == {"review": 1, "publication": 1, "filing": 1, "timely_filing": 2}
    assert set(frame["issued"]) == {11}


def test_working_day_deadline(con, monkeypatch):
    from analytics import settings

    monkeypatch.setattr(settings, "filing_deadline", lambda: (5, "working"))
    frame = q.shortfalls(con, parse("2020"), None).set_index("title")
    # 7 working days for the fixture's documents: all late by 2; the late one by 23.
    assert frame.loc["迟报文件", "days_late"] == 23
    assert frame.loc["文件0", "days_late"] == 2
    assert q.counts(con, parse("2020"), None).set_index("requirement").loc["timely_filing", "missing"] == 10


def test_counts_say_how_many_documents_the_shortfall_list_holds(con):
    for period_id in ("2020", "2020H1", "2019"):
        counts = q.counts(con, parse(period_id), None)
        assert set(counts["shortfalls"]) == {len(q.shortfalls(con, parse(period_id), None))}
