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
    dataset: str  # "disputes" | "documents" | "training" | "cases" | "disclosures" | "legality_reviews" | "events"
    definition_zh: str
    definition_en: str
    target_op: str | None = None  # ">=" | "<=" | None
    prorated: bool = False  # annual amount target scaled to the period's length
    # An annual amount (study hours, meetings, reports) that comes in lumps: a half-year, a quarter
    # or a period in progress shows its figure and pro-rated target but no status (README: 期间).
    judged_yearly: bool = False
    # Reached by the period's end (every officer trained once, every quarter supervised): a period
    # still in progress shows its figure so far but no status, since what is not yet done is not missed.
    accumulates: bool = False
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
        accumulates=True,
        formula=Ratio("trained", ("known",)),
    ),
    Metric(
        "study_hours_avg",
        "人均学法学时",
        "Study hours per officer",
        "hours",
        "training",
        "执法人员学法学时之和 ÷ 执法人员人数",
        "Mean study hours per enforcement officer",
        formula=Mean("hours", "known"),
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
        judged_yearly=True,
        formula=Ratio("compliant", ("known",)),
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
        judged_yearly=True,
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
        judged_yearly=True,
        formula=Count("mediator_trainings"),
    ),
    Metric(
        "reconsideration_cases",
        "行政复议案件",
        "Reconsideration cases",
        "count",
        "cases",
        "期间内收到的以本镇为被申请人的行政复议案件件数",
        "Administrative reconsideration cases against the town received in the period",
        higher_is_better=False,
        formula=Count("reconsideration"),
    ),
    Metric(
        "reconsideration_corrected_rate",
        "行政复议纠错率",
        "Reconsideration correction rate",
        "rate",
        "cases",
        "期间内收案的复议案件中被撤销、变更、确认违法、责令履行的件数 ÷ 已审结件数；无案件时不计",
        "Cases received in the period decided revoked, altered, unlawful or ordered to act ÷ cases concluded",
        higher_is_better=False,
        formula=Ratio("reconsideration_corrected", ("reconsideration_decided",), no_cases=True),
    ),
    Metric(
        "years_without_reconsideration",
        "连续未发生行政复议年数",
        "Years without reconsideration",
        "count",
        "cases",
        "截至期末连续未发生行政复议案件的年数：上一件复议案件的次年起算（台账中从未有过时自台账首年起算），如“自2013年以来未发生”；"
        "只算台账覆盖（首行到末行所在年份，标题写明的年份）或汇总表填了全年复议数的年份，中间有一年无数据则从其次年起算，"
        "期末所在年份无数据时不给数；全部乡镇取各乡镇中最短的",
        "Calendar years up to the period's end since the last reconsideration case (or since the register's "
        "first year when it holds none), as in 'none since 2013'; only years a register covers or the summary "
        "sheet gives whole count, an unknown year restarts it, none when the period's own year is unknown; "
        "all towns take the shortest town's",
        formula=Count("streak"),
    ),
    Metric(
        "litigation_cases",
        "行政诉讼案件",
        "Litigation cases",
        "count",
        "cases",
        "期间内收到的以本镇为被告的行政诉讼案件件数（一审、二审、再审各算一件）",
        "Administrative lawsuits against the town received in the period (each instance a case)",
        higher_is_better=False,
        formula=Count("litigation"),
    ),
    Metric(
        "head_appearance_rate",
        "负责人出庭应诉率",
        "Head appearance rate",
        "rate",
        "cases",
        "期间内收案的诉讼案件中行政机关负责人出庭的开庭件数 ÷ 开庭件数",
        "Hearings a head of the agency attended ÷ hearings held (lawsuits received in the period)",
        ">=",
        formula=Ratio("head_appeared", ("hearings",), no_cases=True),
    ),
    Metric(
        "litigation_loss_rate",
        "行政诉讼败诉率",
        "Litigation loss rate",
        "rate",
        "cases",
        "期间内收案的一审诉讼中判决撤销、变更、确认违法、责令履行的件数 ÷ 一审已审结件数",
        "First-instance lawsuits lost (revoked, altered, unlawful, ordered to act) ÷ first-instance cases concluded",
        higher_is_better=False,
        formula=Ratio("lost", ("first_instance_concluded",), no_cases=True),
    ),
    Metric(
        "judgment_compliance_rate",
        "生效文书履行率",
        "Judgment compliance rate",
        "rate",
        "cases",
        "期间内收案的案件中已履行生效判决、裁定、复议决定的件数 ÷ 应履行的件数",
        "Effective judgments and decisions complied with ÷ those due (cases received in the period)",
        ">=",
        formula=Ratio("judgments_complied", ("judgments_due",), no_cases=True),
    ),
    Metric(
        "disclosure_requests",
        "依申请公开申请",
        "Disclosure requests",
        "count",
        "disclosures",
        "期间内收到的政府信息公开申请件数",
        "Requests for government information received in the period",
        formula=Count("requests"),
    ),
    Metric(
        "disclosure_on_time_rate",
        "依申请公开按时答复率",
        "Disclosure requests answered in time",
        "rate",
        "disclosures",
        "期间内收到的申请中在法定期限内答复的件数 ÷（按时答复 + 逾期答复 + 期末已过期限仍未答复）件数；期限为20个工作日，"
        "延期的40个工作日，按国家法定节假日和调休计算；已答复但答复日期未填或有误的无法判断，不计入",
        "Requests received in the period answered within the limit ÷ those answered or past the limit "
        "(20 working days, 40 when extended, on the official calendar); those answered without a usable "
        "reply date cannot be judged and are left out",
        ">=",
        formula=Ratio("on_time", ("on_time", "late"), no_cases=True),
    ),
    Metric(
        "disclosure_overdue",
        "逾期未答复申请",
        "Overdue disclosure requests",
        "count",
        "disclosures",
        "期末（进行中的期间为今天）已过答复期限仍未答复的申请件数",
        "Requests open past the limit at the period's end (today for a running period)",
        "<=",
        higher_is_better=False,
        formula=Count("overdue"),
    ),
    Metric(
        "major_decision_review_rate",
        "重大行政决策合法性审查率",
        "Major decision review rate",
        "rate",
        "legality_reviews",
        "经合法性审查且审查不晚于决策的重大行政决策件数 ÷ 重大行政决策件数",
        "Major decisions reviewed before adoption ÷ major decisions",
        ">=",
        formula=Ratio("major_reviewed", ("major_decisions",), no_cases=True),
    ),
    Metric(
        "contract_review_rate",
        "合同合法性审查率",
        "Contract review rate",
        "rate",
        "legality_reviews",
        "签订前经合法性审查的合同件数 ÷ 合同件数",
        "Contracts reviewed before signing ÷ contracts",
        ">=",
        formula=Ratio("contracts_reviewed", ("contracts",), no_cases=True),
    ),
    Metric(
        "party_committee_reports",
        "向党委政府汇报依法行政工作",
        "Reports to the Party committee",
        "count",
        "events",
        "向党委、政府主要负责人汇报依法行政（法治建设）工作的次数（工作台账）",
        "Reports on rule-of-law work to the Party committee and government heads (work register)",
        ">=",
        prorated=True,
        judged_yearly=True,
        formula=Count("reports"),
    ),
    Metric(
        "supervision_quarters_covered",
        "季度督导覆盖率",
        "Quarters with supervision",
        "rate",
        "events",
        "开展了季度督导的季度数 ÷ 期间内的季度数（全部乡镇时按乡镇分别计）",
        "Quarters with a supervision of the villages ÷ quarters in the period (per town)",
        ">=",
        accumulates=True,
        formula=Ratio("supervised_quarters", ("quarters",)),
    ),
    Metric(
        "document_cleanup_due",
        "规范性文件清理（近两年）",
        "Document cleanups (last two years)",
        "count",
        "events",
        "截至期末两年内开展规范性文件清理的次数；为0即到期未清理（每两年清理一次）",
        "Cleanups of normative documents in the two years up to the period's end; 0 means one is overdue",
        ">=",
        formula=Count("cleanups"),
    ),
    Metric(
        "legal_publicity_events",
        "法治宣传活动",
        "Legal publicity events",
        "count",
        "events",
        "开展法治宣传（普法、法律六进）活动的次数",
        'Legal publicity activities held (law popularisation, the "law in six places" campaign)',
        formula=Count("publicity"),
    ),
)

BY_ID: dict[str, Metric] = {m.id: m for m in METRICS}


def get(metric_id: str) -> Metric:
    return BY_ID[metric_id]
