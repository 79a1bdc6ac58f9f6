"""The semantic layer: every measure declared once, and the shapes a metric's formula can take.

A ``Measure`` is a count of a ledger's rows, declared as the SQL condition those rows meet in its
``v_*`` view (a measure with no condition counts every row). The monthly aggregates, the
consistency checks, the pivot's rates and the page queries all take a measure's SQL from here;
none writes ``outcome = 'success'`` again (a test scans for it).

A metric (``analytics.semantic.catalogue``) declares its formula over measures: a ``Count`` of one, a
``Ratio`` of one to the sum of others (with, where summary sheets take another route to the same
figure, that route in the same declaration), or a ``Mean``.
"""

from __future__ import annotations

from dataclasses import dataclass

RATE_TOLERANCE = 0.0005  # a typed rate agrees with its own counts within 0.05 percentage points

# Results of a case that correct the town's act (复议纠错) or lose its lawsuit (诉讼败诉).
CORRECTED_RESULTS = ("revoked", "altered", "declared_unlawful", "ordered_to_act", "corrected")
_CORRECTED = "result IN (" + ", ".join(f"'{code}'" for code in CORRECTED_RESULTS) + ")"
# A hearing held: one dated after today is only scheduled (it is counted once its day has come).
_HELD = "hearing_held AND (hearing_date IS NULL OR hearing_date <= current_date)"


@dataclass(frozen=True)
class Measure:
    name: str
    condition: str | None  # the rows counted, as SQL over the dataset's view; None: every row
    zh: str
    en: str
    # An aggregate condition saying the rows record what is counted at all (a ledger with no 激化 or
    # 调解方式 column does not): where it fails the count is NULL, no data, never a made-up 0.
    known: str | None = None

    @property
    def sql(self) -> str:
        """The aggregate expression: ``count(*) FILTER (WHERE <condition>)``, NULL unless ``known``."""
        counted = "count(*)" if self.condition is None else f"count(*) FILTER (WHERE {self.condition})"
        return counted if self.known is None else f"CASE WHEN {self.known} THEN {counted} END"


_FORM_KNOWN = "count(agreement_form) > 0"

MEASURES: dict[str, dict[str, Measure]] = {
    dataset: {m.name: m for m in measures}
    for dataset, measures in {
        "disputes": (
            Measure("total", None, "排查数", "disputes screened"),
            # a month none of whose rows states a form (no 调解方式 column read) has no form counts
            Measure("written", "agreement_form = 'written'", "书面调解", "written agreements", _FORM_KNOWN),
            Measure("oral", "agreement_form = 'oral'", "口头调解", "oral agreements", _FORM_KNOWN),
            Measure("joint", "joint", "联合调解", "joint mediation"),
            Measure("pending", "outcome = 'pending'", "在办", "pending"),
            Measure("success", "outcome = 'success'", "调解成功数", "successful mediations"),
            Measure("failed", "outcome = 'failed'", "调解失败数", "failed mediations"),
            # NULL escalated: the row's sheet had no 激化 column; a month with such a row has no count
            Measure("escalated", "escalated", "激化", "escalated", "bool_and(escalated IS NOT NULL)"),
            Measure("referred", "referred AND outcome = 'failed'", "引导诉讼", "referred to court"),
        ),
        "documents": (
            Measure("issued", None, "制发件数", "documents issued"),
            Measure("reviewed", "reviewed", "审查件数", "reviewed"),
            Measure("published", "published", "公开件数", "published"),
            Measure("filed", "filed", "备案件数", "filed"),
            # {days}: the stored day count the deadline is measured in (a setting, see metrics)
            Measure("timely", "filed AND {days} BETWEEN 0 AND $deadline", "及时备案件数", "filed in time"),
        ),
        # cases received in the period (v_cases)
        "cases": (
            Measure("reconsideration", "case_type = 'reconsideration'", "行政复议案件", "reconsideration cases"),
            Measure(
                "reconsideration_decided",
                "case_type = 'reconsideration' AND result <> 'pending'",
                "复议审结",
                "reconsideration cases concluded",
            ),
            Measure(
                "reconsideration_corrected",
                f"case_type = 'reconsideration' AND {_CORRECTED}",
                "复议纠错",
                "reconsideration decisions correcting the town",
            ),
            Measure("litigation", "case_type = 'litigation'", "行政诉讼案件", "litigation cases"),
            Measure("hearings", f"case_type = 'litigation' AND {_HELD}", "开庭审理", "hearings held"),
            Measure(
                "head_appeared",
                f"case_type = 'litigation' AND {_HELD} AND head_appeared",
                "负责人出庭",
                "hearings a head attended",
            ),
            Measure(
                "first_instance_concluded",
                "case_type = 'litigation' AND instance = 'first' AND result <> 'pending'",
                "一审审结",
                "first-instance cases concluded",
            ),
            Measure(
                "lost",
                f"case_type = 'litigation' AND instance = 'first' AND {_CORRECTED}",
                "一审败诉",
                "first-instance cases lost",
            ),
            Measure("judgments_due", "complied IS NOT NULL", "应履行生效文书", "effective judgments due"),
            Measure("judgments_complied", "complied", "已履行生效文书", "effective judgments complied with"),
        ),
        # requests received in the period (v_disclosures, with its due date and the period's as_of
        # day: its last day, or today while it runs), see analytics.semantic.disclosures. A request
        # is open while it has no reply type: one with a type but no (usable) reply date was answered
        # on a day nobody wrote down, so it is neither open nor judged in time or late.
        "disclosures": (
            Measure("requests", None, "依申请公开申请", "disclosure requests"),
            Measure("on_time", "reply_date <= due_date", "按时答复", "answered in time"),
            Measure(
                "late",
                "reply_date > due_date OR (reply_type IS NULL AND due_date < p.as_of)",
                "逾期答复或逾期未答复",
                "answered late or overdue",
            ),
            Measure(
                "overdue",
                "(reply_type IS NULL OR reply_date > p.as_of) AND due_date < p.as_of",
                "逾期未答复",
                "open past the limit",
            ),
            Measure("open", "reply_type IS NULL OR reply_date > p.as_of", "未答复", "not answered by the day judged"),
            Measure(
                "undated_reply",
                "reply_type IS NOT NULL AND reply_date IS NULL",
                "已答复但答复日期不明",
                "answered on an unknown day (not judged)",
            ),
        ),
        # matters dated in the period (v_legality_reviews)
        "legality_reviews": (
            Measure(
                "major_decisions", "matter_kind = 'major_decision' AND NOT pending", "重大行政决策", "major decisions"
            ),
            Measure(
                "major_reviewed",
                "matter_kind = 'major_decision' AND reviewed_before",
                "事前审查的重大行政决策",
                "major decisions reviewed beforehand",
            ),
            Measure("contracts", "matter_kind = 'contract' AND NOT pending", "合同", "contracts"),
            Measure(
                "contracts_reviewed",
                "matter_kind = 'contract' AND reviewed_before",
                "签订前审查的合同",
                "contracts reviewed before signing",
            ),
        ),
        # events of the work register (v_events); the two training kinds also select the training
        # register's sessions (agg_sessions_month): each month the larger of the two registers' counts
        "events": (
            Measure(
                "reports", "kind = '向党委政府汇报依法行政工作'", "向党委政府汇报", "reports to the Party committee"
            ),
            Measure("supervisions", "kind = '季度督导'", "季度督导", "quarterly supervisions"),
            Measure("cleanups", "kind = '规范性文件清理'", "规范性文件清理", "normative document cleanups"),
            Measure("publicity", "kind = '法治宣传活动'", "法治宣传活动", "legal publicity events"),
            Measure(
                "study_meetings", "kind = '依法行政专题学习会'", "依法行政专题学习会", "rule-of-law study meetings"
            ),
            Measure("mediator_trainings", "kind = '调解员培训'", "调解员培训", "mediator trainings"),
        ),
        # enforcement officers of a period (officers.OFFICER_ROWS as o, the period as p)
        "officers": (
            Measure("staff", None, "执法人员", "enforcement officers"),
            Measure("trained", "o.trained", "参加培训", "trained"),
            # whose training the ledgers can tell (not a town's sessions with head counts only)
            Measure("known", "o.trained IS NOT NULL", "培训情况可知", "training known"),
            Measure("compliant", "o.hours >= $hours_per_year * p.months / 12", "学时达标", "enough study hours"),
            Measure("rostered", "o.from_roster", "名册人员", "on the roster"),
            Measure(
                "certified",
                "o.from_roster AND o.cert_valid_until >= p.end_d - INTERVAL 1 DAY",
                "持有效证件",
                "certified at period end",
            ),
        ),
    }.items()
}


def measure(dataset: str, name: str) -> Measure:
    return MEASURES[dataset][name]


def select_list(dataset: str, names: tuple[str, ...]) -> str:
    """``count(*) FILTER (WHERE …) AS <name>, …`` for the named measures, in that order."""
    return ",\n".join(f"{measure(dataset, name).sql} AS {name}" for name in names)


def condition(dataset: str, name: str) -> str:
    """The measure's row condition (``true`` for a measure that counts every row)."""
    return measure(dataset, name).condition or "true"


def any_of(dataset: str, *names: str) -> str:
    """Rows counted by any of the measures, as one SQL condition."""
    return " OR ".join(f"({condition(dataset, name)})" for name in names)


# --- the shapes of a metric's formula ---------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """The value of one measure; ``zero_is_no_data``: a zero count means nothing was recorded."""

    measure: str
    zero_is_no_data: bool = False


@dataclass(frozen=True)
class Ratio:
    """``numerator`` ÷ the sum of ``denominator``; a zero base is no data.

    ``reported``: the column of a rate typed on a summary sheet without its counts, shown as
    reported. ``summary``: the summary sheet's own counts for the same rate (a summary row has no
    pending disputes, so its decided disputes are its total), against which a typed rate is checked.
    """

    numerator: str
    denominator: tuple[str, ...]
    reported: str | None = None
    summary: tuple[str, str] | None = None  # (numerator column, denominator column) on the summary sheet
    no_cases: bool = False  # a zero base in a register that was kept is 无案件 (n/N kept as 0/0)

    def sql(self) -> str:
        """The rate over summed aggregate rows: ``sum(a) / nullif(sum(b) + sum(c), 0)``."""
        base = " + ".join(f"sum({name})" for name in self.denominator)
        return f"sum({self.numerator}) / nullif({base}, 0)"


@dataclass(frozen=True)
class Mean:
    """``total`` ÷ ``count`` (study hours per officer)."""

    total: str
    count: str


Formula = Count | Ratio | Mean
