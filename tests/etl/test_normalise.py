import datetime as dt

import pandas as pd
import pytest

from etl import normalise as n
from etl.datasets import staff, training
from etl.datasets.disputes import vocabulary as v

D = dt.date(2020, 3, 5)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (dt.datetime(2020, 3, 5), D), (D, D), (dt.datetime(2020, 3, 5, 14, 30), D),
        ("2020-03-05", D), ("2020-3-5", D), ("2020/3/5", D), ("2020.3.5", D), ("2020年3月5日", D),
        ("2020 年 3 月 5 日", D), ("20200305", D), (20200305, D), (43895, D), (43895.0, D),
        ("43895", D), ("2020-03-05 00:00:00", D),
        ("2020-13-45", None), ("明天", None), ("", None), (None, None), (True, None),
    ],
)  # fmt: skip
def test_to_date(raw: object, expected: dt.date | None) -> None:
    assert n.to_date(raw) == expected


def test_date_column_errors_and_dtype() -> None:
    parsed = n.date_column(pd.Series(["2020.3.5", "2020-13-45", "", 43895.0], dtype=object))
    assert list(parsed.values.dt.date[[0, 3]]) == [D, D]
    assert pd.isna(parsed.values[1]) and pd.isna(parsed.values[2])
    assert list(parsed.errors) == [None, "无法识别的日期：2020-13-45", None, None]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("√", True), ("✓", True), ("✔", True), ("是", True), ("有", True), ("已", True), ("Y", True),
        ("y", True), ("yes", True), (1, True), (1.0, True), ("1", True), (True, True), ("已审查", True),
        ("×", False), ("否", False), ("无", False), ("未", False), ("N", False), (0, False), ("0", False),
        (False, False), ("未备案", False), ("不公开", False),
        ("", None), (None, None), ("待定", None), (2, None),
        ("●", True), ("✔️", True), ("☑", True), ("Ｙ", True), ("１", True), ("V", True), (" √ ", True), ("\u3000是", True),
    ],
)  # fmt: skip
def test_to_bool(raw: object, expected: bool | None) -> None:
    assert n.to_bool(raw) is expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("婚姻家庭", "婚姻家庭"), ("婚姻家庭纠纷", "婚姻家庭"), ("邻里纠纷", "邻里"), ("邻里", "邻里"),
        ("房屋宅基地纠纷", "房屋宅基地"), ("合同纠纷", "合同"), ("生产经营纠纷", "生产经营"),
        ("损害赔偿纠纷", "损害赔偿"), ("山林土地纠纷", "山林土地"), ("土地承包", "山林土地"),
        ("土地承包纠纷", "山林土地"), ("征地拆迁纠纷", "征地拆迁"), ("环境污染纠纷", "环境污染"),
        ("劳动争议纠纷", "劳动争议"), ("劳动争议", "劳动争议"), ("拖欠农民工工资", "劳动争议"),
        ("医疗纠纷", "医疗"), ("道路交通事故纠纷", "道路交通事故"), ("物业纠纷", "物业"),
        ("村务管理纠纷", "村务管理"), ("其他纠纷", "其他"), ("其他", "其他"), ("", "其他"),
        (" 邻里 纠纷 ", "邻里"), ("外星人入侵", None),
    ],
)  # fmt: skip
def test_normalise_category(raw: str, expected: str | None) -> None:
    assert v.normalise_category(raw) == expected


def test_unknown_category_is_other_with_warning() -> None:
    assert v.parse_category("外星人入侵") == ("其他", None, "无法识别的纠纷类型：外星人入侵，已归入其他")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("龙村村民委员会", "龙村"), ("龙村村委会", "龙村"), ("龙村村", "龙村"), ("龙村", "龙村"), ("龙头村民委员会", "龙头村"),
        ("龙村三组", "龙村"), ("龙村村民小组", "龙村"), ("龙头村12组", "龙头村"),  # a village's groups are the village
        ("东街社区居民委员会", "东街社区"), ("东街社区居委会", "东街社区"), ("东街社区", "东街社区"),
        ("", "未填"), (None, "未填"), ("  ", "未填"), (" 龙头村 ", "龙头村"),
    ],
)  # fmt: skip
def test_normalise_village(raw: object, expected: str) -> None:
    assert v.normalise_village(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("成功", "success"), ("调解成功", "success"), ("达成协议", "success"), ("已化解", "success"),
        ("失败", "failed"), ("调解不成", "failed"), ("未成功", "failed"), ("未化解", "failed"),
        ("调解中", "pending"), ("在办", "pending"), ("未结", "pending"), ("正在调解", "pending"),
        ("终止调解", "failed"), ("调解终止", "failed"), ("调解不成功", "failed"), ("未调解成功", "failed"),
        ("没有达成协议", "failed"), ("无法达成协议", "failed"), ("未能化解", "failed"), ("调解失败，引导诉讼", "failed"),
        ("尚未达成协议", "pending"), ("暂未化解", "pending"), ("成功调解", "success"), ("调解成功，已履行", "success"),
        ("调 解 成 功", "success"), ("待定", None), ("撤回", None), ("不予受理", None),
    ],
)  # fmt: skip
def test_normalise_outcome(raw: str, expected: str | None) -> None:
    assert v.normalise_outcome(raw) == expected


@pytest.mark.parametrize(
    "raw, hedge",
    [("部分成功", "部分"), ("成功（部分）", "部分"), ("基本达成一致", "基本"), ("初步化解", "初步"), ("成功？", "?")],
)
def test_a_doubtful_success_counts_and_is_said(raw: str, hedge: str) -> None:
    assert v.parse_outcome(raw) == (
        "success", None, f"调解结果「{raw}」含有「{hedge}」，不是明确的成功，已按调解成功计入，请核对"
    )  # fmt: skip


@pytest.mark.parametrize("raw", ["调解成功", "调解成功，待履行", "部分未成功", "暂未化解"])
def test_a_plain_result_says_nothing(raw: str) -> None:
    assert v.parse_outcome(raw)[2] is None


def test_outcome_rejects() -> None:
    assert v.parse_outcome("待定") == (None, "无法识别的调解结果：待定", None)
    assert v.parse_outcome("") == (None, "调解结果为空", None)


@pytest.mark.parametrize(
    "raw, expected",
    [("书面", "written"), ("书面协议", "written"), ("书面调解", "written"), ("口头", "oral"),
     ("口头协议", "oral"), ("口头调解", "oral"), ("电话", None)],
)  # fmt: skip
def test_agreement_form(raw: str, expected: str | None) -> None:
    assert v.normalise_agreement_form(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [(k, k) for k in training.TRAINING_KINDS]
    + [("理论学习中心组", "中心组学法"), ("法治专题讲座", "专题讲座"), ("人民调解员培训", "调解员培训"),
       ("学习强国", "线上学法"), ("依法行政专题学习", "依法行政专题学习会"), ("聚餐", None)],
)  # fmt: skip
def test_training_kind(raw: str, expected: str | None) -> None:
    assert training.normalise_training_kind(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("96.7%", 0.967), ("96.7％", 0.967), (0.967, 0.967), (96.7, 0.967), ("96.7", 0.967), ("100%", 1.0), (1, 1.0)],
)
def test_to_rate(raw: object, expected: float) -> None:
    assert n.to_rate(raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw, expected", [("1,234", 1234.0), ("12件", 12.0), (3, 3.0), ("2020年", 2020.0), ("abc", None)]
)
def test_to_number(raw: object, expected: float | None) -> None:
    assert n.to_number(raw) == expected


@pytest.mark.parametrize(
    "raw, expected", [("", True), ("在岗", True), ("离岗", False), ("调离", False), ("退休", False), ("否", False)]
)
def test_on_duty(raw: str, expected: bool) -> None:
    assert staff.parse_on_duty(raw)[0] is expected


def test_column_parses_each_distinct_value_once() -> None:
    calls: list[object] = []

    def parser(value: object) -> n.Outcome:
        calls.append(value)
        return (str(value).upper(), None, None)

    parsed = n.column(pd.Series(["a", "b", "a", "a", "b"], dtype=object), parser)
    assert sorted(calls) == ["a", "b"]
    assert list(parsed.values) == ["A", "B", "A", "A", "B"]


def test_text_column() -> None:
    assert list(n.text_column(pd.Series([" 张三 ", "", "李四"], dtype=object)).values) == ["张三", None, "李四"]
    assert list(n.text_column(pd.Series([1.0, 2.0], dtype=object)).values) == ["1", "2"]
    assert list(n.text_column(pd.Series([1.5, "x", ""], dtype=object)).values) == ["1.5", "x", None]


@pytest.mark.parametrize(
    "raw, joint, warned",
    [("√", True, False), ("是", True, False), ("联合调解", True, False), ("否", False, False), ("", False, False),
     ("司法所", False, True)],
)  # fmt: skip
def test_joint_flag(raw: str, joint: bool, warned: bool) -> None:
    value, error, warning = v.parse_joint(raw)
    assert (value, error, warning is not None) == (joint, None, warned)


@pytest.mark.parametrize(
    "raw, joint",
    [("司法所", False), ("村调委会", False), ("司法所、派出所", True), ("司法所和村委会", True), ("联合调解", True), ("", False)],
)  # fmt: skip
def test_joint_body(raw: str, joint: bool) -> None:
    assert v.parse_joint_body(raw) == (joint, None, None)
