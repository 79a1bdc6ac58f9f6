"""Words that say no, not yet or someone else, wherever they stand in a cell (an outside test's findings).

Each was read the other way without a word: 化解中 and 难以达成协议 as successes, 暂未公开 as published,
已调走 as on duty, a 执法证号 of 无 as a certificate, 太和村调委会 as two bodies (joint mediation),
不起诉 as a referral to court, 口头（未签书面协议） as written, 张村村委会 as a village besides 张村.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import normalise as n
from etl.datasets import staff
from etl.datasets.disputes import vocabulary as v
from etl.parse import parse_file
from tests.workbooks import write_xlsx


@pytest.mark.parametrize(
    ("raw", "outcome"),
    [("化解中", "pending"), ("协商中", "pending"), ("难以达成协议", "failed"), ("双方分歧大，难以达成协议", "failed"),
     ("难以化解", "failed"), ("化解不了", "failed"), ("调解不成", "failed"), ("调解成功", "success")],
)  # fmt: skip
def test_outcomes(raw: str, outcome: str) -> None:
    assert v.normalise_outcome(raw) == outcome


@pytest.mark.parametrize("raw", ["暂未公开", "尚未公开", "涉密不公开", "待公开", "拟公开"])
def test_a_publication_saying_no_or_not_yet_is_no_and_said(raw: str) -> None:
    value, reject, warning = n.parse_mark_or_text(raw)
    assert (value, reject) == (False, None) and warning is not None and raw in warning


@pytest.mark.parametrize(
    ("raw", "value"), [("政府网站", True), ("依申请公开", True), ("已公开", True), ("未公开", False)]
)
def test_a_publication_channel_is_yes(raw: str, value: bool) -> None:
    assert n.parse_mark_or_text(raw) == (value, None, None)


def test_a_review_not_yet_done_is_no_yes() -> None:
    assert n.to_bool("有待审查") is None and n.parse_mark_or_date("有待审查")[1] == "无法识别的是否标记：有待审查"


@pytest.mark.parametrize(
    "raw",
    ["已调走", "已转岗", "不在岗", "已去世", "退休", "调离", "已故", "已调任县司法局", "已辞退", "不再在岗", "已卸任"],
)
def test_off_duty(raw: str) -> None:
    assert staff.parse_on_duty(raw) == (False, None, None)


@pytest.mark.parametrize("raw", ["在岗", "在职", "在岗（驻村）", "正常", "是", "√"])
def test_on_duty(raw: str) -> None:
    assert staff.parse_on_duty(raw) == (True, None, None)


@pytest.mark.parametrize("raw", ["已借调", "有", "借调", "病休"])
def test_an_unplain_duty_word_is_said(raw: str) -> None:
    value, reject, warning = staff.parse_on_duty(raw)
    assert value is True and reject is None and (warning is None) == (raw == "有"), warning


def test_a_certificate_number_saying_none_is_none_and_any_other_text_is_said(tmp_path: Path) -> None:
    header = ["姓名", "单位", "执法证号", "证件有效期", "在岗状态"]
    numbers = ["皖A12345", "无", "/", "未取得", "-", "暂无", "等待考试", "已注销", "A009（已吊销）", "33010012"]
    rows = [[f"李{i}", "执法队", number, "2027-12-31", "在岗"] for i, number in enumerate(numbers)]
    path = write_xlsx(
        tmp_path / "珠龙镇2024年执法人员名册.xlsx", {"名册": [["珠龙镇2024年执法人员名册"], header, *rows]}
    )
    sheet = parse_file(path).sheets[0]
    assert sheet.table["is_enforcement"].tolist() == [True, *[False] * 8, True]
    said = {w[4]: w[5] for w in sheet.warning_rows}
    assert set(said) == {"等待考试", "已注销", "A009（已吊销）"}
    assert "不是证号" in said["等待考试"] and "写着「吊销」" in said["A009（已吊销）"]


@pytest.mark.parametrize(
    ("raw", "value", "said"),
    [("已审查", True, False), ("未备案", False, False), ("已于3月5日报备", True, False), ("无需备案", False, False),
     ("已备案（补报）", True, False), ("无异议", True, False), ("无问题", True, False), ("已故", True, True),
     ("无意见", False, True), ("未通过", False, True), ("是（经司法所审查）", True, False)],
)  # fmt: skip
def test_a_mark_read_from_its_first_character_alone_is_said(raw: str, value: bool, said: bool) -> None:
    """已审查 names the act; 已故 or 无意见 are read by 已 or 无 only and may mean otherwise: said."""
    assert n.read_mark(raw) == (value, said)
    outcome = n.parse_mark(raw)
    assert outcome[:2] == (value, None) and (outcome[2] is not None) == said
    if said:
        assert f"「{raw}」按开头的「{raw[0]}」读作{'是' if value else '否'}" in str(outcome[2])


def test_a_review_with_no_objection_is_a_review(tmp_path: Path) -> None:
    from analytics.semantic.periods import parse
    from analytics.semantic.scorecard import scorecard
    from etl.load import load_file

    header = ["文号", "文件名称", "印发日期", "审查情况", "是否公开", "是否备案"]
    rows = [[f"珠政〔2024〕{i}号", f"文件{i}", f"2024-03-0{i}", review, "已公开", "已备案"]
            for i, review in enumerate(["无异议", "无问题", "已审查", "未审查"], 1)]  # fmt: skip
    path = write_xlsx(
        tmp_path / "珠龙镇2024年规范性文件.xlsx", {"登记": [["珠龙镇2024年规范性文件登记台账"], header, *rows]}
    )
    load_file(path, path=tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rate = scorecard(con, parse("2024"))["metrics"]["document_review_rate"]
    assert (rate["numerator"], rate["denominator"]) == (3, 4)


@pytest.mark.parametrize(
    ("raw", "joint"),
    [("太和村调委会", False), ("永和村人民调解委员会", False), ("司法所和派出所", True), ("镇调委会、派出所", True)],
)
def test_bodies(raw: str, joint: bool) -> None:
    assert v.parse_joint_body(raw) == (joint, None, None)


@pytest.mark.parametrize(
    ("raw", "referred"),
    [("当事人表示不起诉", False), ("双方拒绝诉讼，申请信访", False), ("引导至法院起诉", True), ("不愿意到法院", False),
     # a no about the mediation, not the court: the usual way of writing this column
     ("调解不成，引导当事人向县法院起诉", True), ("当事人不服，已到法院起诉", True), ("无法调解，引导申请劳动仲裁", True)],
)  # fmt: skip
def test_referral(raw: str, referred: bool) -> None:
    assert v.parse_referred(raw) == (referred, None, None)


def test_a_referral_named_both_ways_is_read_by_its_last_mention_and_said() -> None:
    value, reject, warning = v.parse_referred("告知可向法院起诉，当事人未起诉")
    assert (value, reject) == (False, None) and "按最后写的「未引导」计" in str(warning)


def test_oral_without_a_written_agreement_is_oral() -> None:
    assert [v.normalise_agreement_form(t) for t in ("口头（未签书面协议）", "书面协议书", "口头")] == [
        "oral",
        "written",
        "oral",
    ]


def test_a_family_farm_is_business() -> None:
    assert v.normalise_category("家庭农场经营纠纷") == "生产经营"


@pytest.mark.parametrize("raw", ["法律顾问王某", "代理律师李某", "工作人员赵某"])
def test_whoever_appeared_in_court_is_not_always_a_head(raw: str) -> None:
    from etl.datasets import cases

    assert cases.parse_head_name(raw) == (None, None, f"「{raw}」不是机关负责人，不算负责人出庭，请核对")
    assert cases.parse_head_name("副镇长 李四") == ("副镇长李四", None, None)


def test_joint_mediation_written_in_the_form_cell_and_a_row_of_several_disputes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from etl.parse import parse_file
    from tests.workbooks import write_xlsx

    header = ["序号", "受理日期", "所属村(社区)", "纠纷类型", "调解方式", "调解结果", "件数"]
    rows = [
        [1, dt.datetime(2020, 1, 2), "龙村", "邻里纠纷", "书面（联合调解）", "调解成功", 1],
        [2, dt.datetime(2020, 1, 3), "龙村", "邻里纠纷", "口头", "调解成功", 3],
    ]
    path = write_xlsx(tmp_path / "台账.xlsx", {"Sheet1": [["东坪乡2020年矛盾纠纷排查调处台账"], header, *rows]})
    sheet = parse_file(path).sheets[0]
    assert sheet.table["joint"].tolist() == [True, False]
    assert [w[2:] for w in sheet.warning_rows] == [
        (4, "件数", "3", "此行的「件数」为 3，本台账每行按 1 件计入；请把这 3 件分行登记后重新导入")
    ]


@pytest.mark.parametrize(
    ("raw", "several"),
    [
        ("张三、李四、王五", True),
        ("张三,李四", True),
        ("王芳", False),
        ("王  芳", False),
        ("诸葛 秘名", False),
        ("阿卜杜·热合曼", False),
        ("王芳等5人", True),
        ("全体执法人员", True),
        ("执法队全体", True),
        ("王芳等人", True),
    ],
)
def test_several_names_in_one_cell_are_said(raw: str, several: bool) -> None:
    _, reject, warning = n.parse_person(raw)
    assert reject is None and (warning is not None) == several


@pytest.mark.parametrize(
    ("raw", "kind"),
    [("向县司法局汇报法治建设工作", "其他"), ("向镇党委会议汇报上半年依法行政工作", "向党委政府汇报依法行政工作"),
     ("开展政府合同清理", "其他"), ("开展规范性文件清理工作", "规范性文件清理"), ("安全生产督查", "其他"),
     ("第一季度依法行政督导", "季度督导")],
)  # fmt: skip
def test_a_work_events_kind_needs_its_subject(raw: str, kind: str) -> None:
    from etl.datasets.events import normalise_event_kind

    assert normalise_event_kind(raw) == kind


def test_a_village_group_is_its_village_and_said() -> None:
    assert v.parse_village("张村三组") == ("张村", None, "「张村三组」是村民小组，按「张村」计入")
    assert v.parse_village("张村村委会") == ("张村", None, None)


@pytest.mark.parametrize(
    ("raw", "until", "said"),
    [("2022.01.01-2027.12.31", "2027-12-31", "按截止日"), ("2022年1月1日至2027年12月31日", "2027-12-31", "按截止日"),
     ("2027年12月31日止", "2027-12-31", "按截止日"), ("长期", "2100-12-31", "按长期有效计"), ("2027-12-31", "2027-12-31", None),
     ("不详", None, "没有有效期的证件按未持有效证件计")],
)  # fmt: skip
def test_a_certificates_validity_as_it_is_printed(
    tmp_path: Path, raw: str, until: str | None, said: str | None
) -> None:
    header = ["姓名", "单位", "是否执法人员", "执法证号", "证件有效期", "在岗状态"]
    path = write_xlsx(tmp_path / "珠龙镇2024年执法人员名册.xlsx",
                      {"名册": [["珠龙镇2024年执法人员名册"], header, ["李一", "执法队", "是", "A001", raw, "在岗"]]})  # fmt: skip
    sheet = parse_file(path).sheets[0]
    valid = sheet.table["cert_valid_until"][0]
    assert (None if valid != valid else str(valid)[:10]) == until
    messages = " ".join(w[5] for w in sheet.warning_rows)
    assert (said in messages) if said else messages == ""


def test_a_roster_without_expiry_dates_says_why_nobody_is_certified(tmp_path: Path) -> None:
    header = ["姓名", "单位", "是否执法人员", "执法证号", "在岗状态"]
    rows = [[f"李{i}", "执法队", "是", f"B00{i}", "在岗"] for i in range(3)]
    path = write_xlsx(
        tmp_path / "珠龙镇2024年执法人员名册.xlsx", {"名册": [["珠龙镇2024年执法人员名册"], header, *rows]}
    )
    said = [w[5] for w in parse_file(path).sheets[0].warning_rows]
    assert (
        len(said) == 1
        and "名册没有证件有效期列" in said[0]
        and "本表 3 名有执法证号的执法人员都按未持有效证件计" in said[0]
    )


@pytest.mark.parametrize(
    ("raw", "category", "said"),
    [("房屋拆迁纠纷", "征地拆迁", False), ("土地征收补偿纠纷", "征地拆迁", False), ("工伤赔偿纠纷", "劳动争议", False),
     ("离婚纠纷", "婚姻家庭", False), ("房屋租赁合同纠纷", "合同", False), ("土地承包纠纷", "山林土地", False),
     ("房屋买卖合同纠纷", "房屋宅基地", True), ("医疗损害赔偿", "医疗", True)],
)  # fmt: skip
def test_a_category_by_its_deciding_word_and_a_text_naming_two_is_said(raw: str, category: str, said: bool) -> None:
    """房屋拆迁 was read as 房屋宅基地 and 工伤赔偿 as 损害赔偿, the first keyword in a list winning, unsaid."""
    value, reject, warning = v.parse_category(raw)
    assert (value, reject, warning is not None) == (category, None, said)


@pytest.mark.parametrize(("raw", "form"), [("人民调解协议书", "written"), ("调解书", "written"), ("口头", "oral")])
def test_an_agreement_named_by_its_paper_is_written(raw: str, form: str) -> None:
    """人民调解协议书 was an unknown 调解方式: counted neither written nor oral."""
    assert v.parse_agreement_form(raw) == (form, None, None)


def test_a_file_with_no_ledger_names_every_kind_it_could_have_been() -> None:
    from etl.errors import FileError

    message = str(FileError.no_sheet("通知.xlsx"))
    assert all(kind in message for kind in ("执法人员名册", "行政复议和行政应诉台账", "法治工作汇总表", "矛盾纠纷台账"))


@pytest.mark.parametrize(
    ("raw", "outcome"),
    [("调解未果", "failed"), ("已引导诉讼", "failed"), ("调解不成，已起诉", "failed"), ("调解终结", "failed"),
     ("双方自行和解", "success"), ("达成和解协议", "success"), ("未和解", "failed"), ("和解不成", "failed")],
)  # fmt: skip
def test_outcomes_a_person_reads_plainly(raw: str, outcome: str) -> None:
    """调解未果, 已引导诉讼, 自行和解 and 调解终结 were each refused as 「无法识别的调解结果」."""
    assert v.normalise_outcome(raw) == outcome
