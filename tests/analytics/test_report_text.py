"""The report text written from the fixture warehouse: the seed's sentence figure for figure, half-years,
missed targets named with their figures, and no sentence about data that isn't there."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.report.pack import build_pack
from analytics.report.text import ReportText, chinese_ordinal, count_change, rate_change
from analytics.semantic import aggregates
from analytics.semantic.periods import parse

SEED_2020 = (
    "2020年全镇共排查出矛盾纠纷560件，其中书面调解156件，口头调解404件，其中联合调解3件，"
    "调解率为98.6%，同比上升2.6个百分点。"
)


def text_for(
    con: duckdb.DuckDBPyConnection, period_id: str, lang: str = "zh", town: str | None = "珠龙镇"
) -> ReportText:
    return build_pack(con, parse(period_id), town, lang).text


def paragraphs(report: ReportText, section_id: str) -> str:
    section = report.section(section_id)
    return "\n".join(section.paragraphs) if section else ""


def test_2020_dispute_sentence_is_the_seed_sentence(fixture_con):
    report = text_for(fixture_con, "2020")
    disputes = paragraphs(report, "disputes")
    assert disputes.startswith(SEED_2020)
    assert "矛盾纠纷排查数同比增加60件、增长12.0%。" in disputes
    assert "共引导诉讼8件" in disputes
    assert "确保了无一例矛盾纠纷激化升级" in disputes
    assert report.title == "珠龙镇2020年度法治政府建设情况报告"
    # the four parts of the 2019 rules; the fixture has only the first three registers' areas
    assert [(s.level, s.heading) for s in report.sections] == [
        (1, "主要举措和成效"),
        (2, "规范性文件管理情况"),
        (2, "学法培训和执法人员管理情况"),
        (2, "矛盾纠纷排查调处情况"),
        (1, "存在的不足和原因"),
        (1, "党政主要负责人履行推进法治建设第一责任人职责情况"),
        (1, "下一年度工作安排"),
    ]
    assert [heading for _, heading in report.numbered()][:3] == [
        "一、主要举措和成效",
        "（一）规范性文件管理情况",
        "（二）学法培训和执法人员管理情况",
    ]


def test_2020_documents_and_training_paragraphs(fixture_con):
    report = text_for(fixture_con, "2020")
    documents = paragraphs(report, "documents")
    assert "2020年全镇共制发规范性文件8件" in documents
    assert "合法性审查率、公开率以及备案率均达100%（8/8件）" in documents
    assert "及时备案率（30日内报备）为100%（8/8件）" in documents
    assert "同比" not in documents  # no documents in 2019: no comparison
    training = paragraphs(report, "training")
    assert "行政执法人员培训率达100%（2/2人）" in training
    assert "执法人员人均学法55学时，均达到每年不少于50学时的要求" in training
    assert "执法人员全部持证上岗" in training
    assert "举办依法行政专题学习会2次，达到每年不少于2次的要求" in training
    assert "举办村级调解员培训2次，达到每年不少于2次的要求" in training
    # a clean year: what the data shows, then a prompt for the rest (never "未发现未达标事项")
    problems = paragraphs(report, "problems")
    assert problems.startswith("从统计数据看，2020年各项设有目标的指标均已达到目标要求。")
    assert "未发现未达标事项" not in problems
    assert "【待填写：数据未能反映的不足及其原因" in problems


def test_first_half_of_2020(fixture_con):
    report = text_for(fixture_con, "2020H1")
    disputes = paragraphs(report, "disputes")
    # 275/279 = 98.57%; 2019H1 238/248 = 95.97% → +2.6 points; 279 vs 248 → +31, +12.5%
    assert disputes.startswith(
        "2020年上半年全镇共排查出矛盾纠纷279件，其中书面调解156件，口头调解123件，"
        "其中联合调解3件，调解率为98.6%，同比上升2.6个百分点。"
    )
    assert "矛盾纠纷排查数同比增加31件、增长12.5%。" in disputes
    training = paragraphs(report, "training")
    assert "执法人员人均学法30学时，均达到每年不少于50学时（本期折算25学时）的要求" in training
    # an annual amount is judged by the year: a half-year says neither met nor missed
    assert "举办依法行政专题学习会1次（每年不少于2次，按全年评价）" in training
    assert report.title == "珠龙镇2020年上半年法治政府建设情况报告"


def test_second_half_of_2020(fixture_con):
    report = text_for(fixture_con, "2020H2")
    disputes = paragraphs(report, "disputes")
    # 277/281 = 98.58%; 2019H2 242/252 = 96.03% → +2.5 points; 281 vs 252 → +29, +11.5%; no joint mediation
    assert disputes.startswith(
        "2020年下半年全镇共排查出矛盾纠纷281件，其中书面调解0件，口头调解281件，调解率为98.6%，同比上升2.5个百分点。"
    )
    assert "联合调解" not in disputes
    assert "矛盾纠纷排查数同比增加29件、增长11.5%。" in disputes
    assert "共制发规范性文件2件" in paragraphs(report, "documents")


def test_english_text(fixture_con):
    report = text_for(fixture_con, "2020", lang="en")
    disputes = paragraphs(report, "disputes")
    assert disputes.startswith(
        "In 2020 the town screened 560 disputes: 156 with written agreements and 404 with "
        "oral agreements; 3 of them by joint mediation; the mediation success rate was 98.6%, "
        "up 2.6 percentage points year on year."
    )
    assert "up 60 (+12.0%) year on year" in disputes
    problems = report.section("problems")
    assert problems is not None and problems.heading == "Shortcomings and their causes"


def test_no_sentence_about_missing_data(fixture_con):
    # 2019: disputes only (no documents, no training, no 2018 to compare with)
    report = text_for(fixture_con, "2019")
    assert [s.id for s in report.sections] == ["measures", "disputes", "problems", "duty", "plans"]
    plain = report.plain()
    assert "同比" not in plain
    assert "规范性文件" not in plain and "执法人员" not in plain and "培训" not in plain
    assert "2019年全镇共排查出矛盾纠纷500件，其中书面调解130件，口头调解370件，调解率为96.0%。" in plain
    # 2017 comes from a summary sheet: no escalation or referral figures there, so no such sentence
    summary_year = text_for(fixture_con, "2017")
    disputes = paragraphs(summary_year, "disputes")
    assert disputes.startswith(
        "2017年全镇共排查出矛盾纠纷455件，其中书面调解110件，口头调解345件，其中联合调解2件，调解率为95.4%。"
    )
    assert "激化" not in disputes and "引导诉讼" not in disputes
    assert "汇总表" in disputes
    # a year with no data at all: no section claims anything
    assert text_for(fixture_con, "2015").sections == ()


@pytest.fixture
def missed_con(tmp_path: Path):
    """The fixture with two unreviewed, unpublished 2020 documents and one escalated 2020 dispute."""
    from tests import fixture_db

    path = fixture_db.build(tmp_path / "missed.duckdb")
    con = duckdb.connect(str(path))
    con.execute("""INSERT INTO documents (load_id, town, source_file, sheet, excel_row, doc_no, title, issued_date,
                   reviewed, published, filed, filed_date, filing_days, filing_working_days) VALUES
        (1, '珠龙镇', 'fixture.xlsx', '文件', 40, 'X1', '未审查文件一', DATE '2020-10-01', false, false, true, DATE '2020-12-20', 80, 55),
        (1, '珠龙镇', 'fixture.xlsx', '文件', 41, 'X2', '未审查文件二', DATE '2020-10-02', false, true, true, DATE '2020-10-10', 8, 6)""")
    con.execute("UPDATE disputes SET escalated = true WHERE sheet = '2020年' AND excel_row = 10")
    aggregates.refresh(con)  # rows changed by SQL: rebuild what the ETL would
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_missed_targets_are_named_with_their_figures(missed_con):
    report = text_for(missed_con, "2020")
    problems = paragraphs(report, "problems")
    assert problems.startswith("2020年有四项指标未达到目标要求：")
    assert "一是发生矛盾纠纷激化升级1件，未实现激化升级零发生的目标" in problems
    assert "合法性审查率为80.0%（8/10件），未达到100%的目标" in problems
    assert "公开率为90.0%（9/10件），未达到100%的目标" in problems
    assert "及时备案率为90.0%（9/10件），未达到100%的目标" in problems
    assert "备案率为100%" not in problems  # filing itself was met
    disputes = paragraphs(report, "disputes")
    assert "无一例" not in disputes
    assert "2020年发生矛盾纠纷激化升级1件" in disputes
    documents = paragraphs(report, "documents")
    assert "合法性审查率为80.0%（8/10件）" in documents and "均达" not in documents


def test_change_wording_follows_the_sign():
    assert (
        rate_change({"value": 0.9, "change_pp": -1.25}) == "同比下降1.2个百分点"
        or rate_change({"value": 0.9, "change_pp": -1.25}) == "同比下降1.3个百分点"
    )
    assert rate_change({"value": 0.9, "change_pp": 0.04}) == "同比持平"
    assert rate_change({"value": 0.9, "change_pp": None}) == ""
    assert count_change({"value": 450, "change": -50, "change_pct": -0.1}) == "同比减少50件、下降10.0%"
    assert count_change({"value": 3, "change": 3, "change_pct": None}) == "同比增加3件"
    assert count_change({"value": 3, "change": 0, "change_pct": 0.0}) == "与上年同期持平"
    assert [chinese_ordinal(n) for n in (1, 4, 10, 12)] == ["一", "四", "十", "十二"]


@pytest.mark.parametrize(
    ("row", "rate_en", "count_en"),
    [
        (
            {"value": 0.9, "change_pp": 2.57, "change": 60, "change_pct": 0.12},
            "up 2.6 percentage points year on year",
            "up 60 (+12.0%) year on year",
        ),
        (
            {"value": 0.9, "change_pp": -0.5, "change": -3, "change_pct": None},
            "down 0.5 percentage points year on year",
            "down 3 year on year",
        ),
        (
            {"value": 0.9, "change_pp": 0.04, "change": 0, "change_pct": 0.0},
            "unchanged year on year",
            "unchanged year on year",
        ),
        ({"value": None, "change_pp": 1.0, "change": 1, "change_pct": 0.1}, "", ""),
    ],
)
def test_english_changes_come_from_the_same_templates(row, rate_en, count_en):
    assert rate_change(row, "en") == rate_en
    assert count_change(row, "case", "en") == count_en


def test_english_count_change_is_its_own_paragraph(fixture_con):
    disputes = text_for(fixture_con, "2020", lang="en").section("disputes")
    assert disputes is not None
    assert disputes.paragraphs[1] == "The number of disputes screened was up 60 (+12.0%) year on year."
    chinese = text_for(fixture_con, "2020").section("disputes")
    assert chinese is not None and chinese.paragraphs[0].endswith("矛盾纠纷排查数同比增加60件、增长12.0%。")
