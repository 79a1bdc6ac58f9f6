"""The whole report (issue 14): the four parts of the 2019 rules written from the sample loaded through the
real ETL, each of the seed's statements as a data-backed sentence or the right 【待填写】 prompt; bad years
naming the document (文号), the officer (masked) and the late request; the Word layout (heading styles,
28 pt exact lines, East Asian fonts with fallbacks); no data check in the published body; the report
date and file name; and an English report without Chinese outside the data's own values."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from analytics import access
from analytics.present.safe import markdown
from analytics.present.text import text
from analytics.report import docx as report_docx
from analytics.report import md as report_md
from analytics.report.pack import Pack, build_pack, default_report_date
from analytics.report.text import ReportText, file_stem, write
from analytics.semantic import aggregates
from analytics.semantic.periods import parse
from tests import fixture_db

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

# The seed's statements (issue 14) as the 2020 report from the sample writes them.
SEED_STATEMENTS = {
    "行政复议": "自2013年以来我镇未出现一起行政复议案件。",
    "负责人出庭应诉": "行政机关负责人出庭应诉率达100%（3/3件）",
    "生效文书": "切实履行法院作出的生效文书（1/1件）",
    "依申请公开": "2020年全镇共收到政府信息公开申请8件，均依法在规定时限内予以答复（8/8件）。",
    "汇报": "按照每年至少向党委、政府主要负责人汇报2次依法行政工作的要求，2020年共汇报2次。",
    "清理": "按照每两年进行一次规范性文件清理的要求，最近一次清理于2020年11月3日开展。",
    "重大决策": "2020年全镇作出重大行政决策3件，均在决策前经合法性审查（3/3件）",
    "法律顾问": "2020年政府法律顾问共审查涉法事项7件。",
    "季度督导": "每季度对各村（社区）进行工作督查，2020年4个季度均开展了督导。",
    "调解员培训": "举办村级调解员培训2次，达到每年不少于2次的要求",
    "学习会": "举办依法行政专题学习会2次，达到每年不少于2次的要求",
    "法治宣传": "2020年全镇共开展法治宣传活动8次。",
    "规范性文件": "合法性审查率、公开率以及备案率均达100%（10/10件）",
    "培训率": "行政执法人员培训率达100%（18/18人）",
    "学时": "均达到每年不少于50学时的要求",
    "持证上岗": "执法人员全部持证上岗",
    "调解": "2020年全镇共排查出矛盾纠纷560件，其中书面调解156件，口头调解404件，其中联合调解3件，"
    "调解率为98.6%，同比上升2.6个百分点。",
    "激化": "确保了无一例矛盾纠纷激化升级",
}
# What only people can write: prompts, never invented sentences.
PROMPTS = {
    "intro": "【待填写：总体情况概述",
    "problems": "【待填写：数据未能反映的不足及其原因",
    "duty": "【待填写：党政主要负责人履行推进法治建设第一责任人职责的情况",
    "plans": "【待填写：2021年法治政府建设工作安排",
}


@pytest.fixture(scope="module")
def sample(sample_db: Path):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()


def pack_of(con: duckdb.DuckDBPyConnection, period_id: str, lang: str = "zh", **kwargs: object) -> Pack:
    return build_pack(con, parse(period_id), "珠龙镇", lang, **kwargs)  # type: ignore[arg-type]


def section_text(report: ReportText, section_id: str) -> str:
    section = report.section(section_id)
    return "\n".join(section.paragraphs) if section else ""


def test_2020_report_has_the_four_parts_of_the_2019_rules(sample):
    report = pack_of(sample, "2020").text
    parts = [heading for section, heading in report.numbered() if section.level == 1]
    assert parts == [
        "一、主要举措和成效",
        "二、存在的不足和原因",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "四、下一年度工作安排",
    ]
    areas = [heading for section, heading in report.numbered() if section.level == 2]
    assert areas == [
        "（一）依法行政组织领导情况",
        "（二）规范性文件管理情况",
        "（三）重大行政决策合法性审查情况",
        "（四）学法培训和执法人员管理情况",
        "（五）行政复议和行政应诉情况",
        "（六）政府信息公开情况",
        "（七）法治宣传情况",
        "（八）矛盾纠纷排查调处情况",
    ]


@pytest.mark.parametrize("name", sorted(SEED_STATEMENTS))
def test_2020_report_states_the_seeds_statement(sample, name: str):
    assert SEED_STATEMENTS[name] in pack_of(sample, "2020").text.plain()


def test_2020_report_prompts_for_what_only_people_can_write(sample):
    report = pack_of(sample, "2020").text
    assert report.intro[0].startswith(PROMPTS["intro"]) and report.intro[0].endswith(
        "现将我镇2020年度法治政府建设情况报告如下："
    )
    for section_id in ("problems", "duty", "plans"):
        assert PROMPTS[section_id] in section_text(report, section_id)
    duty, plans = report.section("duty"), report.section("plans")
    assert duty is not None and plans is not None
    assert all(p.startswith("【待填写：") for p in duty.paragraphs + plans.paragraphs)  # nothing invented there
    problems = section_text(report, "problems")
    assert problems.startswith("从统计数据看，2020年各项设有目标的指标均已达到目标要求。")
    assert "未发现未达标事项" not in report.plain()


def test_no_data_no_sentence(fixture_con):
    """The fixture holds no case, disclosure, legality-review or work register: nothing is said of them."""
    plain = build_pack(fixture_con, parse("2020"), "珠龙镇").text.plain()
    absent = ("行政复议", "行政诉讼", "信息公开", "法律顾问", "重大行政决策", "汇报", "季度督导", "清理", "法治宣传")
    for word in absent:
        assert word not in plain, word
    assert not re.search(r"(?<![\d.,])0[件次]", plain)  # no zero made up for a register that isn't there


def test_2021_names_the_late_request_and_the_officers_short_of_hours(sample):
    problems = section_text(pack_of(sample, "2021").text, "problems")
    assert problems.startswith("2021年有两项指标未达到目标要求：")
    assert "依申请公开按时答复率为88.9%（8/9件），未达到100%的目标" in problems
    assert (
        "逾期答复的政府信息公开申请：2021年10月22日收到的“宅基地审批文件”申请于2021年11月23日答复，"
        "超过答复期限（2021年11月19日）4日。"
    ) in problems
    assert "学法学时未达到要求的执法人员：李*（安全生产监督管理站，学法20学时）" in problems
    assert "需要关注的是：调解率同比下降1.1个百分点。" in problems
    assert "整改措施：【待填写：针对上述问题的整改措施" in problems


def test_2025_second_half_names_the_document_and_the_expired_certificate(sample):
    report = pack_of(sample, "2025H2").text
    problems = section_text(report, "problems")
    assert "《关于禁止在河道内非法采砂的通告》（珠政〔2025〕20号，2025年11月24日印发）未公开" in problems
    assert "执法证件已过期或未登记有效期的执法人员：许**（林业站，执法证有效期至2025年9月30日）" in problems
    assert "“村级公益事业一事一议筹资方案”申请，答复期限为2025年12月8日，尚未答复" in problems
    assert "近两年未开展规范性文件清理（最近一次清理于2022年11月15日）" in problems
    assert "许春梅" not in report.plain()
    assert report.section("plans") is not None and "下一阶段工作安排" in report.plain()


@pytest.fixture
def bad_year(tmp_path: Path):
    """The fixture with two documents short of review, publication and timely filing, an officer whose
    certificate expired in 2020 and an escalated dispute."""
    path = fixture_db.build(tmp_path / "bad.duckdb")
    con = duckdb.connect(str(path))
    con.execute("""INSERT INTO documents (load_id, town, source_file, sheet, excel_row, doc_no, title, issued_date,
                   reviewed, published, filed, filed_date, filing_days, filing_working_days) VALUES
        (1, '珠龙镇', 'fixture.xlsx', '文件', 40, '珠政〔2020〕21号', '关于规范农村建房的通知', DATE '2020-10-01',
         false, false, true, DATE '2020-12-20', 80, 55),
        (1, '珠龙镇', 'fixture.xlsx', '文件', 41, NULL, '关于禁烧秸秆的通告', DATE '2020-10-02',
         true, true, false, NULL, NULL, NULL)""")
    con.execute("UPDATE staff SET cert_valid_until = DATE '2020-06-30' WHERE name = '李四'")
    con.execute("UPDATE disputes SET escalated = true WHERE sheet = '2020年' AND excel_row = 10")
    aggregates.refresh(con)
    con.close()
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_bad_year_names_document_number_and_masked_officer(bad_year):
    report = build_pack(bad_year, parse("2020"), "珠龙镇").text
    problems = section_text(report, "problems")
    assert (
        "《关于规范农村建房的通知》（珠政〔2020〕21号，2020年10月1日印发）未经合法性审查、未公开、逾期50日备案"
        in problems
    )
    assert "《关于禁烧秸秆的通告》（2020年10月2日印发）截至期末未备案（印发已91日）" in problems
    assert "执法证件已过期或未登记有效期的执法人员：李*（综合执法队，执法证有效期至2020年6月30日）" in problems
    assert "激化升级的矛盾纠纷：2020年1月4日受理的" in problems
    assert "李四" not in report.plain()
    assert "整改措施：【待填写：" in problems and "【待填写：上述问题的原因分析" in problems
    # an admin who chose to see personal data sees the name, as on the pages
    admin = access.Principal("管理员", "admin", None, "", True)
    with access.acting(admin):
        unmasked = build_pack(bad_year, parse("2020"), "珠龙镇").text
    assert "李四（综合执法队" in section_text(unmasked, "problems")


def test_problems_without_details_give_figures_only(bad_year):
    """``write`` without the rows (a caller with only the scorecard) names figures and claims nothing else."""
    from analytics.semantic.scorecard import scorecard

    card = scorecard(bad_year, parse("2020"), "珠龙镇", "zh")
    problems = section_text(write(card, parse("2020"), "珠龙镇"), "problems")
    assert "合法性审查率为90.0%（9/10件）" in problems and "《" not in problems


# ----- Word layout ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_2020(sample) -> Document:
    return Document(io.BytesIO(report_docx.docx_bytes(pack_of(sample, "2020"))))


def test_docx_headings_use_word_heading_styles_as_official_headings(docx_2020):
    headings = [p for p in docx_2020.paragraphs if p.style.name.startswith("Heading")]
    assert [p.text for p in headings if p.style.name == "Heading 1"][:4] == [
        "一、主要举措和成效",
        "二、存在的不足和原因",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "四、下一年度工作安排",
    ]
    assert len([p for p in headings if p.style.name == "Heading 2"]) == 8
    for name, font in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312")):
        style = docx_2020.styles[name]
        rfonts = style.element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsia")) == font
        assert rfonts.get(qn("w:eastAsiaTheme")) is None and rfonts.get(qn("w:asciiTheme")) is None
        assert style.font.size.pt == 16 and style.font.color.rgb == (0, 0, 0)
        assert style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert style.paragraph_format.line_spacing.pt == 28
        assert style.element.pPr.find(qn("w:outlineLvl")) is not None  # the navigation pane reads this


def test_docx_body_has_exact_28pt_lines_and_east_asian_fonts_with_fallbacks(docx_2020):
    normal = docx_2020.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY and normal.line_spacing.pt == 28
    defaults = docx_2020.styles.element.find(qn("w:docDefaults"))
    rfonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and rfonts.get(qn("w:eastAsiaTheme")) is None
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("560", "exact")
    table = next(p for p in docx_2020.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    fonts = {f.get(qn("w:name")): f for f in parse_xml(table.blob).findall(qn("w:font"))}
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert fonts[name].find(qn("w:altName")).get(qn("w:val")) == alt
        assert fonts[name].find(qn("w:charset")).get(qn("w:val")) == "86"


def test_docx_highlights_prompts_and_keeps_the_data_check_out(docx_2020):
    prompts = [p for p in docx_2020.paragraphs if "【待填写" in p.text]
    assert len(prompts) == 4 and all(r.font.highlight_color is not None for p in prompts for r in p.runs)
    text = "\n".join(p.text for p in docx_2020.paragraphs)
    assert "数据核对" not in text and "统计期间" not in text
    assert text.index("2021年1月31日") < text.index("附件1　主要指标情况")


def test_chart_images_carry_no_title_of_their_own(sample):
    from analytics.report.images import pack_charts, untitled

    charts = pack_charts(pack_of(sample, "2020"))
    assert charts and all(c.figure.layout.title.text for c in charts)
    assert not any(untitled(c).figure.layout.title.text for c in charts)


def test_markdown_body_has_no_data_check(sample):
    markdown = report_md.to_markdown(pack_of(sample, "2020"))
    assert "数据核对" not in markdown and "一致" not in markdown
    assert "## 二、存在的不足和原因" in markdown and "### （五）行政复议和行政应诉情况" in markdown
    assert "\n2021年1月31日\n" in markdown


# ----- date and file name -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_id", "expected"),
    [("2020", date(2021, 1, 31)), ("2020H1", date(2020, 7, 31)), ("2020H2", date(2021, 1, 31)),
     ("2020Q1", date(2020, 4, 30)), ("2019Q4", date(2020, 1, 31))],
)  # fmt: skip
def test_default_report_date_is_the_end_of_the_month_after(period_id: str, expected: date):
    assert default_report_date(parse(period_id)) == expected


def test_report_date_is_the_users(sample):
    pack = pack_of(sample, "2020", report_date=date(2021, 2, 5))
    document = Document(io.BytesIO(report_docx.docx_bytes(pack)))
    assert "2021年2月5日" in [p.text for p in document.paragraphs]


@pytest.mark.parametrize(
    ("period_id", "town", "lang", "expected"),
    [
        ("2020", "珠龙镇", "zh", "珠龙镇2020年度法治政府建设情况报告"),
        ("2020H1", "珠龙镇", "zh", "珠龙镇2020年上半年法治政府建设情况报告"),
        ("2020", "全部乡镇", "zh", "全部乡镇2020年度法治政府建设情况报告"),
        ("2020", "a/b:镇", "zh", "a_b_镇2020年度法治政府建设情况报告"),
        ("2020", "珠龙镇", "en", "珠龙镇 Rule-of-law Government Report 2020"),
    ],
)
def test_file_names(period_id: str, town: str, lang: str, expected: str):
    assert file_stem(parse(period_id), town, lang) == expected


def test_cli_date_and_default_file_name(sample_db: Path, tmp_path: Path):
    env = {**os.environ, "DASHBOARD_DB": str(sample_db), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "report", "--period", "2020", "--town", "珠龙镇", "--date", "2021-02-05",
         "--format", "docx", "--no-charts", "-o", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    made = tmp_path / "珠龙镇2020年度法治政府建设情况报告.docx"
    assert made.exists()
    assert "2021年2月5日" in [p.text for p in Document(str(made)).paragraphs]
    bad = subprocess.run(
        [sys.executable, "-m", "analytics", "report", "--period", "2020", "--date", "2021-13-01", "--format", "md"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert bad.returncode == 1 and "无法识别的日期" in bad.stderr


# ----- English ----------------------------------------------------------------------------------------


def test_english_report_has_no_chinese_outside_data_values(sample):
    for period_id in ("2020", "2021", "2025H2"):
        pack = pack_of(sample, period_id, "en")
        body = report_md.to_markdown(pack)
        values = ["珠龙镇", *_data_values(pack)]
        for value in sorted(values, key=len, reverse=True):
            body = body.replace(markdown(value), "")
        assert not CJK.findall(body), (period_id, sorted(set(CJK.findall(body))))


def _data_values(pack: Pack) -> list[str]:
    """The ledgers' own text the report names: titles, numbers, names, units, contents, villages."""
    values: list[str] = []
    for group in vars(pack.details).values():
        if isinstance(group, tuple):
            for record in group:
                if isinstance(record, dict):
                    values += [str(v) for v in record.values() if isinstance(v, str)]
    return values


def test_english_findings_count_is_singular_for_one():
    assert text("report.page.findings.one", "en", n=1) == "1 disagreement found; please check and correct it:"
    assert "disagreements" in text("report.page.findings.many", "en", n=2)
