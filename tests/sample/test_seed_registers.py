"""The seed report's statements about the registers of issue 14, each checked against the sample
workbooks loaded through the real ETL (``sample_db``), and the sample's figures of every new metric
through the JSON scorecard.

``SEED_STATEMENTS`` lists what the seed (珠龙镇2020年度法治政府建设情况报告) says about them; each has
its test below, named after it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from sample.figures import MEDIATOR_TRAINING_MONTHS, STUDY_MEETING_MONTHS


@pytest.fixture(scope="module")
def con(sample_db: Path):
    connection = duckdb.connect(str(sample_db), read_only=True)
    yield connection
    connection.close()


def card(con: duckdb.DuckDBPyConnection, period: str) -> dict[str, Any]:
    return scorecard(con, parse(period))["metrics"]


def value(con: duckdb.DuckDBPyConnection, period: str, metric_id: str) -> Any:
    return card(con, period)[metric_id]["value"]


# (the seed's words, what they mean in the sample's figures)
SEED_STATEMENTS = [
    "自2013年以来我镇未出现一起行政复议案件",
    "建立了行政机关负责人出庭应诉制度",
    "切实履行法院作出的相关生效文书",
    "对人民群众申请公开政府信息的，依法在规定时限内予以答复",
    "确立了每年至少向党委、政府主要负责人汇报2次依法行政工作制度",
    "制定了每两年进行一次规范性文件清理的制度",
    "重大决策…合法性审查；建立了乡镇政府法律顾问制度",
    "每季度对各村（社区）进行工作督查",
    "每年定期对村级调解员进行两次以上的法律知识培训",
    "每年至少开展了2期依法行政专题学习会议",
    "依托“法律六进”活动全面深入开展依法行政宣传工作，举办形式多样的法律宣传活动",
]


def test_no_reconsideration_case_since_2013(con) -> None:
    """自2013年以来我镇未出现一起行政复议案件."""
    assert value(con, "2020", "years_without_reconsideration") == 8  # 2013–2020
    assert parse("2020").year - value(con, "2020", "years_without_reconsideration") + 1 == 2013
    rows = con.execute(
        "SELECT count(*) FROM v_cases WHERE case_type = 'reconsideration' AND received_date >= DATE '2013-01-01'"
    )
    assert rows.fetchone() == (0,)
    for year in range(2016, 2026):
        assert value(con, str(year), "reconsideration_cases") == 0
        assert value(con, str(year), "years_without_reconsideration") == year - 2012
    row = card(con, "2020")["reconsideration_corrected_rate"]
    assert (row["value"], row["numerator"], row["denominator"]) == (None, 0, 0)  # 无案件, not 0% or 100%


def test_heads_appear_in_court(con) -> None:
    """建立了行政机关负责人出庭应诉制度: 2020's lawsuits each had a head in court."""
    row = card(con, "2020")["head_appearance_rate"]
    assert value(con, "2020", "litigation_cases") == 3
    assert (row["value"], row["numerator"], row["denominator"], row["status"]) == (1.0, 3, 3, "met")


def test_effective_judgments_are_complied_with(con) -> None:
    """切实履行法院作出的相关生效文书."""
    row = card(con, "2020")["judgment_compliance_rate"]
    assert (row["value"], row["numerator"], row["denominator"], row["status"]) == (1.0, 1, 1, "met")


def test_disclosure_requests_answered_within_the_limit(con) -> None:
    """依法在规定时限内予以答复: every 2020 request in time; some late in other years, so red shows."""
    row = card(con, "2020")["disclosure_on_time_rate"]
    assert (row["value"], row["numerator"], row["denominator"], row["status"]) == (1.0, 8, 8, "met")
    assert value(con, "2020", "disclosure_overdue") == 0
    late_years = [y for y in range(2016, 2026) if card(con, str(y))["disclosure_on_time_rate"]["status"] == "missed"]
    assert late_years == [2018, 2021, 2023, 2025]


def test_two_reports_to_the_party_committee(con) -> None:
    """每年至少向党委、政府主要负责人汇报2次依法行政工作."""
    row = card(con, "2020")["party_committee_reports"]
    assert (row["value"], row["target"], row["status"]) == (2, 2, "met")


def test_normative_documents_cleaned_up_every_two_years(con) -> None:
    """每两年进行一次规范性文件清理: one in 2020; none after 2022, so 2024 and 2025 show it due."""
    assert card(con, "2020")["document_cleanup_due"]["status"] == "met"
    assert [y for y in range(2016, 2026) if card(con, str(y))["document_cleanup_due"]["status"] == "missed"] == [
        2024,
        2025,
    ]


def test_major_decisions_reviewed_by_the_legal_adviser(con) -> None:
    """重大决策…合法性审查; 乡镇政府法律顾问制度."""
    metrics = card(con, "2020")
    assert metrics["major_decision_review_rate"]["value"] == 1.0
    assert metrics["contract_review_rate"]["value"] == 1.0
    reviewers = con.execute(
        "SELECT DISTINCT reviewer FROM v_legality_reviews WHERE year(matter_date) = 2020 AND reviewer IS NOT NULL"
    ).fetchall()
    assert ("法律顾问",) in reviewers


def test_every_quarter_supervised(con) -> None:
    """每季度对各村（社区）进行工作督查: four supervisions in 2020, one a quarter."""
    row = card(con, "2020")["supervision_quarters_covered"]
    assert (row["value"], row["numerator"], row["denominator"]) == (1.0, 4, 4)
    supervisions = con.execute("SELECT count(*) FROM v_events WHERE kind = '季度督导' AND year(event_date) = 2020")
    assert supervisions.fetchone() == (4,)


def test_mediators_trained_twice_and_two_study_meetings_not_counted_twice(con) -> None:
    """每年定期对村级调解员进行两次以上的法律知识培训; 每年至少开展了2期依法行政专题学习会议.

    The work register repeats the training register's sessions from 2018; each counts once.
    """
    assert (value(con, "2020", "mediator_trainings"), value(con, "2020", "study_meetings")) == (2, 2)
    for year in range(2018, 2026):
        assert value(con, str(year), "study_meetings") == len(STUDY_MEETING_MONTHS[year])
        assert value(con, str(year), "mediator_trainings") == len(MEDIATOR_TRAINING_MONTHS[year])
    repeated = con.execute("SELECT count(*) FROM v_events WHERE kind = '调解员培训' AND year(event_date) = 2020")
    assert repeated.fetchone() == (2,)


def test_legal_publicity_events(con) -> None:
    """依托“法律六进”活动…举办形式多样的法律宣传活动."""
    assert value(con, "2020", "legal_publicity_events") == 8


# The sample's 2020 figures of every metric of issue 14, through the JSON scorecard.
FIGURES_2020 = {
    "reconsideration_cases": (0, None, None),
    "reconsideration_corrected_rate": (None, 0, 0),
    "years_without_reconsideration": (8, None, None),
    "litigation_cases": (3, None, None),
    "head_appearance_rate": (1.0, 3, 3),
    "litigation_loss_rate": (pytest.approx(1 / 3), 1, 3),
    "judgment_compliance_rate": (1.0, 1, 1),
    "disclosure_requests": (8, None, None),
    "disclosure_on_time_rate": (1.0, 8, 8),
    "disclosure_overdue": (0, None, None),
    "major_decision_review_rate": (1.0, 3, 3),
    "contract_review_rate": (1.0, 6, 6),
    "party_committee_reports": (2, None, None),
    "supervision_quarters_covered": (1.0, 4, 4),
    "document_cleanup_due": (1, None, None),
    "legal_publicity_events": (8, None, None),
}


@pytest.mark.parametrize("metric_id", FIGURES_2020)
def test_2020_figures(con, metric_id: str) -> None:
    row = card(con, "2020")[metric_id]
    assert (row["value"], row["numerator"], row["denominator"]) == FIGURES_2020[metric_id]


def test_other_years_show_red_where_the_sample_misses(con) -> None:
    assert card(con, "2018")["head_appearance_rate"]["status"] == "missed"  # 1 of 2 hearings
    assert card(con, "2019")["party_committee_reports"]["status"] == "missed"  # one report
    assert card(con, "2022")["judgment_compliance_rate"]["status"] == "missed"
    assert card(con, "2022")["major_decision_review_rate"]["status"] == "missed"
    assert card(con, "2022")["supervision_quarters_covered"]["value"] == 0.75
    assert card(con, "2017")["contract_review_rate"]["status"] == "missed"  # signed before its review
    metrics = card(con, "2025")
    assert (metrics["disclosure_overdue"]["value"], metrics["disclosure_overdue"]["status"]) == (1, "missed")
    no_case = card(con, "2024")["head_appearance_rate"]
    assert (no_case["value"], no_case["denominator"], no_case["status"]) == (None, 0, "no_data")


def test_half_years_show_amounts_without_a_status(con) -> None:
    """Reports to the Party committee are judged for whole years only (README: amount targets)."""
    first = card(con, "2020H1")
    assert (first["party_committee_reports"]["value"], first["party_committee_reports"]["status"]) == (1, None)
    assert first["supervision_quarters_covered"]["denominator"] == 2
