"""The metric catalogue of DOMAIN.md §5: every metric id defined once, with its labels and target.

The ids are a contract shared by the JSON scorecard, the pages and the report text.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics import settings
from analytics.present.text import bilingual
from analytics.semantic.measures import Count, Formula, Mean, Ratio


@dataclass(frozen=True)
class Metric:
    id: str
    label_zh: str
    label_en: str
    unit: str  # "count" | "rate" | "hours"
    dataset: str  # "disputes" | "documents" | "training"
    definition_zh: str
    definition_en: str
    target_op: str | None = None  # ">=" | "<=" | None
    prorated: bool = False  # annual amount target scaled to the period's length
    higher_is_better: bool = True
    formula: Formula | None = None  # how it is computed from measures (analytics.semantic.measures); required

    def __post_init__(self) -> None:
        if self.formula is None:
            raise ValueError(f"metric {self.id} declares no formula")

    def label(self, lang: str = "zh") -> str:
        return bilingual(self.label_zh, self.label_en, lang)

    def definition(self, lang: str = "zh") -> str:
        return bilingual(self.definition_zh, self.definition_en, lang)

    @property
    def is_rate(self) -> bool:
        return self.unit == "rate"

    def target(self, fraction_of_year: float = 1.0) -> float | None:
        """The target for a period; amount targets are pro-rated for half-years and quarters."""
        if self.target_op is None:
            return None
        value = settings.target(self.id)
        if value is None:
            return None
        if not self.prorated:
            return value
        share = value * fraction_of_year
        # "2 meetings a year" says nothing about a single quarter: less than one is no target.
        return share if share >= 1 or self.unit != "count" else None


METRICS: tuple[Metric, ...] = (
    Metric(
        "disputes_total",
        "矛盾纠纷排查数",
        "Disputes screened",
        "count",
        "disputes",
        "期间内受理（排查）的矛盾纠纷件数",
        "Disputes received in the period",
        formula=Count("total"),
    ),
    Metric(
        "disputes_written",
        "书面调解",
        "Written agreements",
        "count",
        "disputes",
        "以书面协议调解的纠纷件数",
        "Disputes mediated with a written agreement",
        formula=Count("written"),
    ),
    Metric(
        "disputes_oral",
        "口头调解",
        "Oral agreements",
        "count",
        "disputes",
        "以口头协议调解的纠纷件数",
        "Disputes mediated with an oral agreement",
        formula=Count("oral"),
    ),
    Metric(
        "disputes_joint",
        "联合调解",
        "Joint mediation",
        "count",
        "disputes",
        "标记为联合调解的纠纷件数（包含在排查总数内）",
        "Disputes flagged as joint mediation (inside the total)",
        formula=Count("joint"),
    ),
    Metric(
        "disputes_pending",
        "在办纠纷",
        "Pending disputes",
        "count",
        "disputes",
        "调解结果为调解中、未结的纠纷件数",
        "Disputes whose mediation is still pending",
        higher_is_better=False,
        formula=Count("pending"),
    ),
    Metric(
        "mediation_success_rate",
        "调解率",
        "Mediation success rate",
        "rate",
        "disputes",
        "调解成功件数 ÷（调解成功 + 调解失败）件数",
        "Successes ÷ (successes + failures)",
        ">=",
        formula=Ratio("success", ("success", "failed"), "reported_rate", ("success", "disputes_total")),
    ),
    Metric(
        "disputes_escalated",
        "激化纠纷",
        "Escalated disputes",
        "count",
        "disputes",
        "激化升级的纠纷件数",
        "Disputes that escalated",
        "<=",
        higher_is_better=False,
        formula=Count("escalated"),
    ),
    Metric(
        "disputes_referred",
        "引导诉讼",
        "Referred to litigation",
        "count",
        "disputes",
        "调解失败并引导诉讼、仲裁等途径的纠纷件数",
        "Failed mediations guided to litigation or arbitration",
        formula=Count("referred"),
    ),
    Metric(
        "documents_issued",
        "规范性文件制发数",
        "Normative documents issued",
        "count",
        "documents",
        "期间内印发的规范性文件件数",
        "Normative documents issued in the period",
        formula=Count("issued"),
    ),
    Metric(
        "document_review_rate",
        "合法性审查率",
        "Legality review rate",
        "rate",
        "documents",
        "经合法性审查的件数 ÷ 制发件数",
        "Reviewed ÷ issued",
        ">=",
        formula=Ratio("reviewed", ("issued",), "reported_review_rate", ("reviewed", "issued")),
    ),
    Metric(
        "document_publication_rate",
        "公开率",
        "Publication rate",
        "rate",
        "documents",
        "已公开的件数 ÷ 制发件数",
        "Published ÷ issued",
        ">=",
        formula=Ratio("published", ("issued",), "reported_publication_rate", ("published", "issued")),
    ),
    Metric(
        "document_filing_rate",
        "备案率",
        "Filing rate",
        "rate",
        "documents",
        "已报送备案的件数 ÷ 制发件数",
        "Filed ÷ issued",
        ">=",
        formula=Ratio("filed", ("issued",), "reported_filing_rate", ("filed", "issued")),
    ),
    Metric(
        "document_timely_filing_rate",
        "及时备案率",
        "Timely filing rate",
        "rate",
        "documents",
        "在备案期限内报备的件数 ÷ 制发件数",
        "Filed within the deadline ÷ issued",
        ">=",
        formula=Ratio("timely", ("issued",)),
    ),
    Metric(
        "enforcement_staff",
        "行政执法人员",
        "Enforcement staff",
        "count",
        "training",
        "名册中在岗的行政执法人员人数",
        "Enforcement officers on the roster in the period",
        formula=Count("staff", zero_is_no_data=True),
    ),
    Metric(
        "training_rate",
        "行政执法人员培训率",
        "Enforcement staff training rate",
        "rate",
        "training",
        "期间内至少参加1次培训的执法人员 ÷ 执法人员",
        "Officers with at least one training ÷ officers",
        ">=",
        formula=Ratio("trained", ("staff",)),
    ),
    Metric(
        "study_hours_avg",
        "人均学法学时",
        "Study hours per officer",
        "hours",
        "training",
        "执法人员学法学时之和 ÷ 执法人员人数",
        "Mean study hours per enforcement officer",
        formula=Mean("hours", "staff"),
    ),
    Metric(
        "study_hours_compliance_rate",
        "学法学时达标率",
        "Study hours compliance",
        "rate",
        "training",
        "学法学时达到要求（每年50学时，按期间折算）的执法人员 ÷ 执法人员",
        "Officers meeting the study-hours target (50 h a year, pro-rated) ÷ officers",
        ">=",
        formula=Ratio("compliant", ("staff",)),
    ),
    Metric(
        "certification_rate",
        "持证上岗率",
        "Certification rate",
        "rate",
        "training",
        "期末持有效执法证件的执法人员 ÷ 执法人员",
        "Officers holding a certificate valid at period end ÷ officers",
        ">=",
        formula=Ratio("certified", ("rostered",)),
    ),
    Metric(
        "study_meetings",
        "依法行政专题学习会",
        "Rule-of-law study meetings",
        "count",
        "training",
        "举办依法行政专题学习会的次数",
        "Rule-of-law study meetings held",
        ">=",
        prorated=True,
        formula=Count("study_meetings"),
    ),
    Metric(
        "mediator_trainings",
        "调解员培训",
        "Mediator trainings",
        "count",
        "training",
        "举办村级调解员培训的次数",
        "Village mediator training sessions held",
        ">=",
        prorated=True,
        formula=Count("mediator_trainings"),
    ),
)

BY_ID: dict[str, Metric] = {m.id: m for m in METRICS}


def get(metric_id: str) -> Metric:
    return BY_ID[metric_id]
