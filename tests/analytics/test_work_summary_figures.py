"""Two figures of the work summary sheet (法治工作汇总表) read as a person reads them, through a real
.xlsx, the real ETL, a real DuckDB file and the scorecard (an outside test's findings F01, F02).

- 逾期未答复数 is counted on a period's last day (期末已过答复期限仍未答复): a year of halves or
  quarters has its last part's figure, not their sum; read into a register's year, the figure of
  whichever speaks for 31 December (the register, or a summary row ending then).
- Each case figure stands on its own: a sheet with 行政诉讼 figures and no 行政复议 column keeps them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from analytics.semantic.periods import parse
from analytics.semantic.scorecard import scorecard
from etl.load import load_file
from tests.workbooks import write_xlsx

DISCLOSURE_HEADER = ["年度", "信息公开申请数", "按时答复数", "逾期答复数", "逾期未答复数"]
REGISTER_HEADER = ["编号", "收到日期", "申请人", "申请内容", "是否延期", "答复日期", "答复类型", "备注"]
D = dt.datetime


def _summary(folder: Path, header: list[str], rows: list[list[Any]]) -> Path:
    return write_xlsx(folder / "珠龙镇法治工作汇总表.xlsx", {"汇总": [["珠龙镇法治工作汇总表"], header, *rows]})


def _metrics(path: Path, period: str) -> dict[str, Any]:
    with duckdb.connect(str(path), read_only=True) as con:
        return scorecard(con, parse(period))["metrics"]


def _overdue(path: Path, period: str) -> Any:
    return _metrics(path, period)["disclosure_overdue"]["value"]


def test_overdue_is_the_last_parts_figure_not_their_sum(tmp_path: Path) -> None:
    rows = [
        ["2023年上半年", 4, 3, 1, 1],  # one open past its limit on 30 June …
        ["2023年下半年", 3, 3, 0, 0],  # … answered by 31 December
        ["2022年第一季度", 2, 1, 1, 1],
        ["2022年第二季度", 2, 1, 1, 2],
        ["2022年第三季度", 1, 1, 0, 0],
        ["2022年第四季度", 2, 1, 1, 3],
        ["2021年上半年", 2, 1, 1, 1],
        ["2021年下半年", 2, 2, 0, None],  # the year's end left blank: no figure, not the first half's
    ]
    path = tmp_path / "w.duckdb"
    load_file(_summary(tmp_path, DISCLOSURE_HEADER, rows), path)
    year = _metrics(path, "2023")
    assert year["disclosure_requests"]["value"] == 7  # requests still add up
    assert (year["disclosure_overdue"]["value"], year["disclosure_overdue"]["status"]) == (0, "met")  # was 1, missed
    assert _overdue(path, "2022") == 3 and _overdue(path, "2022H1") == 2  # were 6 and 3
    assert _overdue(path, "2021") is None


def test_overdue_read_into_a_registers_year_is_the_year_ends(tmp_path: Path) -> None:
    # 珠龙镇: a 上半年 summary row with 1 overdue, a register kept from July with none open at year end
    # 龙山镇: a register kept to June with a request left open, and a 下半年 row saying 0 at year end
    summary = _summary(
        tmp_path,
        [*DISCLOSURE_HEADER, "镇街"],
        [["2023年上半年", 4, 3, 1, 1, "珠龙镇"], ["2023年下半年", 2, 2, 0, 0, "龙山镇"]],
    )
    kept_from_july = write_xlsx(
        tmp_path / "zhulong.xlsx",
        {"Sheet1": [["珠龙镇2023年政府信息公开申请台账"], REGISTER_HEADER,
                    ["1", D(2023, 8, 1), "张某", "征地补偿方案", "否", D(2023, 8, 20), "予以公开", ""],
                    ["2", D(2023, 12, 4), "王某", "财政预算", "否", D(2023, 12, 8), "予以公开", ""]]},
    )  # fmt: skip
    kept_to_june = write_xlsx(
        tmp_path / "longshan.xlsx",
        {"Sheet1": [["龙山镇2023年政府信息公开申请台账"], REGISTER_HEADER,
                    ["1", D(2023, 3, 1), "李某", "拆迁协议", "否", None, None, ""]]},
    )  # fmt: skip
    path = tmp_path / "w.duckdb"
    load_file(summary, path)
    load_file(kept_from_july, path, town="珠龙镇")
    load_file(kept_to_june, path, town="龙山镇")
    with duckdb.connect(str(path), read_only=True) as con:
        zhulong = scorecard(con, parse("2023"), "珠龙镇")["metrics"]
        longshan = scorecard(con, parse("2023"), "龙山镇")["metrics"]
        both = scorecard(con, parse("2023"))["metrics"]
    assert zhulong["disclosure_requests"]["value"] == 6  # 4 from the summary's half, 2 from the register
    # the summary's half ends with 1 overdue request the register from July does not hold: whether it was
    # answered by 31 December is unknown, so no figure (was 0, 达标; before that 1 + 0)
    assert zhulong["disclosure_overdue"]["value"] is None
    assert longshan["disclosure_overdue"]["value"] == 0  # the 下半年 row on 31 December; was 1 + 0
    assert both["disclosure_overdue"]["value"] is None


def test_litigation_figures_stand_without_a_reconsideration_column(tmp_path: Path) -> None:
    header = ["年度", "行政诉讼案件数", "开庭数", "负责人出庭数", "一审审结数", "败诉数", "应履行生效文书数",
              "已履行生效文书数"]  # fmt: skip
    path = tmp_path / "w.duckdb"
    load_file(_summary(tmp_path, header, [["2023年", 3, 2, 1, 2, 1, 1, 1]]), path)
    card = _metrics(path, "2023")
    assert card["litigation_cases"]["value"] == 3  # was None
    appearance = card["head_appearance_rate"]
    assert (appearance["numerator"], appearance["denominator"], appearance["status"]) == (1, 2, "missed")
    assert (card["litigation_loss_rate"]["numerator"], card["litigation_loss_rate"]["denominator"]) == (1, 2)
    assert card["judgment_compliance_rate"]["value"] == 1.0
    assert card["reconsideration_cases"]["value"] is None  # not given: no data, not 0
    assert card["years_without_reconsideration"]["value"] is None
