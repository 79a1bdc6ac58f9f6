"""How a training ledger's rows make sessions, kinds and hours when the ledger says a thing once: the
topic or hours on a session's first attendee row only, the form in the sheet's name or in no column,
an hours column under another name, an absence written beside a name (an outside test's findings
F04, F05, F11, F12, F13, F20: a meeting counted twice, topics read as forms, attendees given 0 hours,
absentees counted as trained)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.datasets import training
from etl.load import load_file
from etl.parse import parse_file
from tests.workbooks import Rows, write_xlsx

ROSTER = ["姓名", "单位", "是否执法人员", "执法证号", "在岗状态"]
TITLE = "珠龙镇2024年学法培训台账"
FIGURES = ("training_rate", "study_hours_avg", "study_hours_compliance_rate", "study_meetings", "mediator_trainings")


def _load(tmp_path: Path, sheets: dict[str, Rows], people: int = 0) -> dict[str, tuple[object, ...]]:
    files = []
    if people:
        roster = [[f"钱{i}", "执法队", "是", f"A00{i}", "在岗"] for i in range(1, people + 1)]
        files.append(write_xlsx(tmp_path / "名册.xlsx", {"名册": [["珠龙镇2024年执法人员名册"], ROSTER, *roster]}))
    files.append(write_xlsx(tmp_path / "珠龙镇2024年学法培训台账.xlsx", sheets))
    for path in files:
        load_file(path, path=tmp_path / "w.duckdb", town="珠龙镇")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        found = scorecard(con, parse("2024"))["metrics"]
    return {k: (found[k]["value"], found[k]["numerator"], found[k]["denominator"]) for k in FIGURES}


def _warnings(tmp_path: Path) -> list[str]:
    return [w[5] for s in parse_file(tmp_path / "珠龙镇2024年学法培训台账.xlsx").sheets for w in s.warning_rows]


def test_a_topic_typed_on_the_first_attendee_row_only_is_one_session(tmp_path: Path) -> None:
    header = ["序号", "培训日期", "培训形式", "培训内容", "学时", "姓名"]
    rows: Rows = [[i, "2024-03-12", "依法行政专题学习会", "学习《行政处罚法》" if i == 1 else None, 3, f"钱{i}"]
                  for i in range(1, 4)]  # fmt: skip
    rows.append([4, None, None, None, 3, "钱4"])  # the date and form once too: the same session
    rows.append([5, "2024-10-08", "依法行政专题学习会", "学习民法典", 3, "钱1"])
    figures = _load(tmp_path, {"2024年": [[TITLE], header, *rows]}, 4)
    assert figures["study_meetings"][0] == 2  # was 3: the blank topic made a second meeting on 3-12
    assert figures["study_hours_avg"] == (3.75, 15.0, 4)  # 钱4 included: his row was the same session
    said = _warnings(tmp_path)
    assert sum("按上一行（第" in w and "的同一次学习计，已照上一行补齐" in w for w in said) == 3
    assert any(w.startswith("培训日期、培训内容、培训形式空白") for w in said)


def test_a_blank_topic_under_another_days_session_is_not_filled(tmp_path: Path) -> None:
    header = ["培训日期", "培训形式", "培训内容", "学时", "姓名"]
    rows: Rows = [["2024-03-12", "依法行政专题学习会", "学习《行政处罚法》", 3, "钱1"],
                  ["2024-10-08", "依法行政专题学习会", None, 3, "钱1"]]  # fmt: skip
    assert _load(tmp_path, {"2024年": [[TITLE], header, *rows]})["study_meetings"][0] == 2
    assert not any("同一次学习计" in w for w in _warnings(tmp_path))


@pytest.mark.parametrize(
    ("topic", "kind"),
    [("党委会会前学法：依法行政基本知识", "会前学法"), ("理论学习中心组学习：全面推进依法行政", "中心组学法"),
     ("学习强国线上学习《依法行政概论》", "线上学法"), ("会前学法：行政执法公示制度", "会前学法"),
     ("依法行政", None), ("行政执法公示制度", None), ("依法行政专题学习会：规范性文件管理", "依法行政专题学习会"),
     ("行政执法人员综合法律知识培训", "执法培训"), ("人民调解员业务培训", "调解员培训")],
)  # fmt: skip
def test_a_topic_names_its_form_not_its_subject(topic: str, kind: str | None) -> None:
    assert training.kind_in_topic(topic) == kind


def test_without_a_form_column_a_topic_on_the_rule_of_law_is_no_study_meeting(tmp_path: Path) -> None:
    header = ["学习日期", "学习内容", "学时", "姓名"]
    topics = ["党委会会前学法：依法行政基本知识", "理论学习中心组学习：全面推进依法行政", "学习强国线上学习《依法行政概论》",
              "依法行政专题学习会：行政复议法"]  # fmt: skip
    rows: Rows = [[f"2024-0{m}-10", topic, 2, "钱1"] for m, topic in enumerate(topics, 3)]
    figures = _load(tmp_path, {"2024年": [[TITLE], header, *rows]})
    assert figures["study_meetings"][0] == 1  # was 4: every topic with 依法行政 was a 专题学习会
    said = _warnings(tmp_path)
    assert any(
        w.startswith("本表没有学习形式列，学习形式按学习内容中的字样") and "依法行政专题学习会 1 行" in w for w in said
    )


def test_a_sheet_per_kind_gives_the_kind(tmp_path: Path) -> None:
    header = ["序号", "日期", "学习内容", "学时", "姓名"]

    def sheet(kind: str, dates: list[str]) -> Rows:
        return [[f"珠龙镇2024年{kind}台账"], header, *[[i, d, "学习民法典", 2, "钱1"] for i, d in enumerate(dates, 1)]]

    figures = _load(tmp_path, {"依法行政专题学习会": sheet("依法行政专题学习会", ["2024-03-10", "2024-10-10"]),
                               "调解员培训": sheet("调解员培训", ["2024-05-10", "2024-11-10"]),
                               "会前学法": sheet("会前学法", ["2024-04-10"])})  # fmt: skip
    assert (figures["study_meetings"][0], figures["mediator_trainings"][0]) == (2, 2)  # was (0, 0)
    said = _warnings(tmp_path)
    assert any("按工作表名称或标题「调解员培训」把本表的学习都计为调解员培训" in w for w in said)


def test_a_sheet_name_naming_no_kind_gives_none() -> None:
    assert training.kind_of_sheet(("2024年", TITLE)) is None
    assert training.kind_of_sheet(("学法", "珠龙镇2024年行政执法人员学法培训台账")) is None
    assert training.kind_of_sheet(("Sheet1", "珠龙镇2024年依法行政专题学习会台账")) == (
        "依法行政专题学习会",
        TITLE[:8] + "依法行政专题学习会台账",
    )


def test_hours_typed_on_a_sessions_first_row_are_its_attendees_hours(tmp_path: Path) -> None:
    header = ["培训日期", "培训形式", "培训内容", "学时", "姓名"]
    rows: Rows = [[f"2024-{m:02d}-15", "会前学法", f"{m}月会前学法", 5 if i == 1 else None, f"钱{i}"]
                  for m in range(1, 13) for i in range(1, 4)]  # fmt: skip
    rows.append(["2024-12-20", "执法培训", "执法证考试辅导", None, "钱1"])  # no figure of its session anywhere
    figures = _load(tmp_path, {"2024年": [[TITLE], header, *rows]}, 3)
    assert figures["study_hours_avg"] == (60.0, 180.0, 3)  # was 20: two of three attendees had 0 hours
    assert figures["study_hours_compliance_rate"][:2] == (1.0, 3)
    said = _warnings(tmp_path)
    assert sum("学时空白，按同一次学习（日期、形式、内容相同）其他行的5学时计" in w for w in said) == 24
    assert "学时空白，按0学时计，请填写" in said


@pytest.mark.parametrize(
    "label", ["学法学时", "培训学时", "学习时长", "学习时长(小时)", "学习时长（小时）", "参学学时"]
)
def test_an_hours_column_under_another_name_is_read(tmp_path: Path, label: str) -> None:
    header = ["培训日期", "培训形式", "培训内容", label, "姓名"]
    rows: Rows = [[f"2024-{m:02d}-15", "会前学法", "民法典", 5, f"钱{i}"] for m in range(1, 13) for i in (1, 2)]
    assert _load(tmp_path, {"2024年": [[TITLE], header, *rows]}, 2)["study_hours_avg"] == (60.0, 120.0, 2)


def test_an_hours_column_no_alias_names_is_read_and_said(tmp_path: Path) -> None:
    header = ["培训日期", "培训形式", "培训内容", "本次计入学时", "姓名"]
    rows: Rows = [["2024-03-15", "执法培训", "民法典", 50, "钱1"]]
    assert _load(tmp_path, {"2024年": [[TITLE], header, *rows]}, 1)["study_hours_avg"] == (50.0, 50.0, 1)
    assert "「本次计入学时」按每次学习的学时读入，请核对" in _warnings(tmp_path)


def test_a_ledger_without_hours_says_its_officers_get_none(tmp_path: Path) -> None:
    header = ["培训日期", "培训形式", "培训内容", "累计学时", "姓名"]
    rows: Rows = [["2024-03-15", "执法培训", "民法典", 50, "钱1"]]
    assert _load(tmp_path, {"2024年": [[TITLE], header, *rows]}, 1)["study_hours_avg"] == (0.0, 0.0, 1)
    said = _warnings(tmp_path)
    assert "「累计学时」像是累计或要求的学时，不是每次学习的学时，没有读入" in said
    assert any(w.startswith("本表没有学时列，参训人员的学时按0计入") for w in said)


def test_an_absence_written_beside_a_name_is_no_attendance(tmp_path: Path) -> None:
    header = ["培训日期", "培训形式", "培训内容", "学时", "姓名"]
    names = ["钱1", "钱2（请假）", "钱3(缺席)", "钱4（队长）"]
    rows: Rows = [["2024-03-15", "执法培训", "行政处罚法", 50, name] for name in names]
    figures = _load(tmp_path, {"学法": [[TITLE], header, *rows]}, 4)
    assert figures["training_rate"] == (0.5, 2, 4)  # was 4/4: the absentees counted as trained
    assert figures["study_hours_avg"] == (25.0, 100.0, 4)
    rejects = parse_file(tmp_path / "珠龙镇2024年学法培训台账.xlsx").sheets[0].reject_rows
    assert [r[4] for r in rejects] == ["钱2（请假）", "钱3(缺席)"]
    assert all("没有参加这次学习，不计入参训记录；这不是错误，无需修改" in r[5] for r in rejects)


@pytest.mark.parametrize(
    ("cell", "word"),
    [("张伟（请假）", "请假"), ("赵敏(缺席)", "缺席"), ("王芳【病假】", "病假"), ("李强未参加", "未参加"),
     ("张伟（队长）", None), ("李旷", None), ("王芳", None), ("刘洋（综合办）", None)],
)  # fmt: skip
def test_absence_words_beside_a_name(cell: str, word: str | None) -> None:
    assert training.absence_in_name(cell) == word


def test_a_topic_spelt_two_ways_on_one_days_meeting_is_said(tmp_path: Path) -> None:
    header = ["培训日期", "培训形式", "培训内容", "学时", "姓名"]
    rows: Rows = [["2024-03-12", "依法行政专题学习会", topic, 3, name]
                  for topic, name in (("学习《行政处罚法》", "钱1"), ("学习行政处罚法", "钱2"))]  # fmt: skip
    assert _load(tmp_path, {"2024年": [[TITLE], header, *rows]})["study_meetings"][0] == 2
    assert any(w.startswith("2024-03-12 的依法行政专题学习会有2种培训内容") for w in _warnings(tmp_path))
