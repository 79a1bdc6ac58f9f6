"""The report's text, written from a scorecard in the seed report's style and in the structure the 2019
rules (法治政府建设与责任落实督察工作规定) give the annual report.

``write(card, period, ..., details=...)`` turns the JSON scorecard of ``analytics.semantic.scorecard``
(and the rows behind its missed targets, ``analytics.report.details``) into four parts:

一、主要举措和成效, with one sub-section （一）（二）… per area that has data (组织领导, 规范性文件,
    重大行政决策, 执法人员和学法培训, 行政复议和应诉, 政务公开, 法治宣传, 矛盾纠纷);
二、存在的不足和原因: every missed target with its figures and the document, officer, request or matter
    behind it, or in a clean year what the data shows; then prompts for the reasons and 整改措施;
三、党政主要负责人履行推进法治建设第一责任人职责情况 and 四、下一年度工作安排: prompts only, since only
    people can write them.

Every sentence is a template with named fields in the language's catalogue (``report.*`` keys in
``analytics/present/text/zh.py`` and ``en.py``); the writers here choose which sentence and fill it, and
never branch on the language. Rules the text keeps:

- a metric with no data is left out of the text; a missing previous period drops the 同比 clause;
- rates compare in percentage points (上升/下降/持平 by the sign of the rounded change), counts in
  absolute and percent ("同比增加60件、增长12.0%");
- "无一例矛盾纠纷激化升级" only when the escalated count is really 0; "自2013年以来未出现一起行政复议案件"
  only from the register's own streak;
- what only people know is a 【待填写：…】 prompt (``report.todo``), never an invented sentence.

Headings carry no numbers: renderers number them (一、/（一）) because sections with no data drop out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from analytics import settings
from analytics.present import fmt
from analytics.present.text import Language, language
from analytics.present.text import zh as _zh
from analytics.report.details import Details
from analytics.report.rows import date_text as _date
from analytics.report.rows import problem_details as _problem_details
from analytics.report.rows import quarters as _quarters
from analytics.report.rows import todo
from analytics.semantic.periods import Period

Row = dict[str, Any]


@dataclass(frozen=True)
class Section:
    """A heading without its number and paragraphs of plain text. ``level`` 1 is one of the four parts
    (measures, problems, duty, plans); level 2 an area of the first part (disputes, documents, …)."""

    id: str
    heading: str
    paragraphs: tuple[str, ...]
    level: int = 1


@dataclass(frozen=True)
class ReportText:
    title: str
    subtitle: str
    lang: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    intro: tuple[str, ...] = ()  # the paragraphs before the first heading

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "lang": self.lang,
            "intro": list(self.intro),
            "sections": [
                {"id": s.id, "level": s.level, "heading": s.heading, "paragraphs": list(s.paragraphs)}
                for s in self.sections
            ],
        }

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def numbered(self) -> list[tuple[Section, str]]:
        """Each section with its numbered heading: 一、 for a part, （一） for an area within it."""
        return numbered_sections(self.sections, self.lang)

    def plain(self) -> str:
        """The whole text, headings numbered, one paragraph per line."""
        lines = [self.title, *self.intro]
        for section, heading in self.numbered():
            lines.append(heading)
            lines.extend(section.paragraphs)
        return "\n".join(lines)


chinese_ordinal = _zh.ordinal  # 1 → 一, 12 → 十二


def numbered_heading(number: int, heading: str, lang: str = "zh", parent: int | None = None) -> str:
    """ "一、主要举措和成效" / "1. Main measures and results"; with ``parent``, a sub-heading:
    "（一）矛盾纠纷排查调处情况" / "1.8 Dispute screening and mediation"."""
    say = language(lang)
    if parent is None:
        return say("report.heading", ordinal=say.ordinal(number), heading=heading)
    return say("report.subheading", ordinal=say.ordinal(number), parent=say.ordinal(parent), heading=heading)


def numbered_sections(sections: tuple[Section, ...] | list[Section], lang: str) -> list[tuple[Section, str]]:
    """Number parts 一、二、… and the areas inside a part （一）（二）…, restarting in each part."""
    out: list[tuple[Section, str]] = []
    part = sub = 0
    for section in sections:
        if section.level == 1:
            part, sub = part + 1, 0
            out.append((section, numbered_heading(part, section.heading, lang)))
        else:
            sub += 1
            out.append((section, numbered_heading(sub, section.heading, lang, parent=max(part, 1))))
    return out


# ----- figures as the report writes them -----------------------------------------------------------


def _one(value: float) -> str:
    """One decimal, always: 2.6, 12.0."""
    return fmt.fixed(abs(value), 1)


def _n(value: float | None) -> str:
    """A count without unit: 560, 7.5."""
    assert value is not None
    return f"{value:,.0f}" if float(value).is_integer() else fmt.fixed(value, 1, separators=True)


def rate_text(value: float | None, lang: str = "zh") -> str:
    """A rate as the report writes it: 98.6%, 96.0%, 100% (one decimal except a clean 100%)."""
    if value is None:
        return fmt.no_data(lang)
    percent = value * 100
    return "100%" if abs(percent - 100) < 1e-9 else fmt.percent(value)


def _rate(row: Row, say: Language) -> str:
    return rate_text(row["value"], say.code)


def _ratio(row: Row, unit: str, say: Language) -> str:
    """ "（552/560件）" where the counts are known, else "". ``unit`` is case or person."""
    if row.get("numerator") is None or row.get("denominator") is None:
        return ""
    return say(f"report.ratio.{unit}", numerator=_n(row["numerator"]), denominator=_n(row["denominator"]))


def _reported(row: Row, say: Language) -> str:
    """A marker for a rate typed into a summary sheet without counts."""
    return say("report.reported") if row.get("source") == "reported" else ""


def rate_change(row: Row, lang: str = "zh") -> str:
    """ "同比上升2.6个百分点" / "up 2.6 percentage points year on year"; "" without a previous value."""
    points = row.get("change_pp")
    if points is None or row.get("value") is None:
        return ""
    rounded = fmt.half_up(points, 1)
    direction = "same" if rounded == 0 else ("up" if rounded > 0 else "down")
    return language(lang)(f"report.rate_change.{direction}", points=_one(rounded))


def count_change(row: Row, unit: str = "case", lang: str = "zh") -> str:
    """ "同比增加60件、增长12.0%" / "up 60 (+12.0%) year on year"; "" without a previous value."""
    absolute = row.get("change")
    if absolute is None or row.get("value") is None:
        return ""
    say = language(lang)
    if absolute == 0:
        return say("report.count_change.same")
    direction = "up" if absolute > 0 else "down"
    percent = row.get("change_pct")
    pct = say(f"report.count_change.{direction}_pct", percent=_one(percent * 100)) if percent is not None else ""
    return say(
        f"report.count_change.{direction}", count=_n(abs(absolute)), unit=say(f"report.unit.{unit}"), percent=pct
    )


def _with(say: Language, clause: str, change: str) -> str:
    """A clause with its year-on-year change attached: "调解率为98.6%，同比上升2.6个百分点"."""
    return say("report.with_change", clause=clause, change=change) if change else clause


def _has(row: Row) -> bool:
    return row.get("value") is not None


# ----- sections ------------------------------------------------------------------------------------


def _dispute_head(m: dict[str, Row], when: str, who: str, say: Language) -> str:
    """ "2020年全镇共排查出矛盾纠纷560件，其中书面调解156件，口头调解404件"."""
    total = m["disputes_total"]
    forms = say("report.disputes.forms_sep").join(
        say(f"report.disputes.form.{name}", count=_n(m[f"disputes_{name}"]["value"]))
        for name in ("written", "oral")
        if _has(m[f"disputes_{name}"])
    )
    if _has(total):
        head = say("report.disputes.total", when=when, who=who, count=_n(total["value"]))
        return say("report.disputes.with_forms", head=head, forms=forms) if forms else head
    if forms:
        return say("report.disputes.no_total_forms", when=when, who=who, forms=forms)
    return say("report.disputes.no_total", when=when, who=who)


def _disputes(m: dict[str, Row], when: str, who: str, say: Language) -> list[str]:
    total, joint, rate = (m[k] for k in ("disputes_total", "disputes_joint", "mediation_success_rate"))
    if not _has(total) and not _has(rate):
        return []
    parts = [_dispute_head(m, when, who, say)]
    if _has(joint) and joint["value"] > 0:
        parts.append(say("report.disputes.joint", count=_n(joint["value"])))
    if _has(rate):
        clause = say("report.disputes.rate", rate=_rate(rate, say), reported=_reported(rate, say))
        parts.append(_with(say, clause, rate_change(rate, say.code)))
    first = say.sentence(parts)
    change = count_change(total, "case", say.code)
    if change:
        first += say("report.disputes.count_change", change=change)
    paragraphs = first.split("\n")  # a template may start a new paragraph
    outcome = _outcome_sentence(m, when, say)
    if outcome:
        paragraphs.append(outcome)
    return paragraphs


def _outcome_sentence(m: dict[str, Row], when: str, say: Language) -> str:
    """Referrals to the courts, cases still pending, and escalation (only stated when known)."""
    escalated, referred, pending = (m[k] for k in ("disputes_escalated", "disputes_referred", "disputes_pending"))
    parts: list[str] = []
    if _has(pending) and pending["value"] > 0:
        parts.append(say("report.outcome.pending", count=_n(pending["value"])))
    if _has(referred) and referred["value"] > 0:
        parts.append(say("report.outcome.referred", count=_n(referred["value"])))
    if _has(escalated):
        if escalated["value"] == 0 and parts:
            parts.append(say("report.outcome.none_escalated_after"))
        elif escalated["value"] == 0:
            parts.append(say("report.outcome.none_escalated", when=when))
        else:
            parts.append(say("report.outcome.escalated", when=when, count=_n(escalated["value"])))
    return say.sentence(parts)


DOCUMENT_RATES = ("document_review_rate", "document_publication_rate", "document_filing_rate")


def _document_rates(m: dict[str, Row], say: Language) -> list[str]:
    """One clause when every rate is the same figure with the same change, else one clause per rate."""
    rates = [(k, m[k]) for k in DOCUMENT_RATES if _has(m[k])]
    labels = [say.mid_sentence(m[k]["label"]) for k, _ in rates]
    values = {round(r["value"], 4) for _, r in rates}
    changes = {rate_change(r, say.code) for _, r in rates}
    if len(rates) > 1 and len(values) == 1 and len(changes) == 1:
        rate = rates[0][1]
        names = say(
            "report.documents.names", first=say("report.documents.names_sep").join(labels[:-1]), last=labels[-1]
        )
        key = "report.documents.same_rates_full" if rate["value"] >= 1 else "report.documents.same_rates"
        clause = say(key, names=names, rate=_rate(rate, say), ratio=_ratio(rate, "case", say))
        return [_with(say, clause, rate_change(rate, say.code))]
    return [
        _with(
            say,
            say(
                "report.documents.rate",
                label=label,
                rate=_rate(rate, say),
                ratio=_ratio(rate, "case", say),
                reported=_reported(rate, say),
            ),
            rate_change(rate, say.code),
        )
        for label, (_, rate) in zip(labels, rates, strict=True)
    ]


def _documents(m: dict[str, Row], when: str, who: str, say: Language) -> list[str]:
    issued, timely = m["documents_issued"], m["document_timely_filing_rate"]
    if not _has(issued) and not any(_has(m[k]) for k in DOCUMENT_RATES) and not _has(timely):
        return []
    parts: list[str] = []
    if _has(issued):
        if issued["value"] == 0:
            parts.append(say("report.documents.none_issued", when=when, who=who))
        else:
            clause = say("report.documents.issued", when=when, who=who, count=_n(issued["value"]))
            parts.append(_with(say, clause, count_change(issued, "case", say.code)))
    parts.extend(_document_rates(m, say))
    if _has(timely):
        days, kind = settings.filing_deadline()
        deadline = say(f"report.deadline.{'working' if kind == 'working' else 'calendar'}", days=days)
        clause = say(
            "report.documents.timely", deadline=deadline, rate=_rate(timely, say), ratio=_ratio(timely, "case", say)
        )
        parts.append(_with(say, clause, rate_change(timely, say.code)))
    return [say.sentence(parts)]


def _hours_requirement(period: Period, say: Language) -> str:
    per_year = settings.study_hours_per_year()
    base = say("report.hours_requirement", per_year=f"{per_year:g}")
    if period.kind == "year":
        return base
    return say("report.hours_requirement.period", base=base, hours=f"{per_year * period.fraction_of_year:g}")


def _times_requirement(row: Row, period: Period, say: Language) -> str:
    target = row.get("target")
    if target is None:
        return ""
    base = say("report.times_requirement", annual=f"{target / period.fraction_of_year:g}")
    return base if period.kind == "year" else say("report.times_requirement.period", base=base, target=f"{target:g}")


def _staff_sentence(m: dict[str, Row], period: Period, when: str, who: str, say: Language) -> str:
    """Officers, their training rate, study hours, the hours requirement and certificates."""
    staff, rate, avg, compliance, cert = (
        m[k]
        for k in (
            "enforcement_staff",
            "training_rate",
            "study_hours_avg",
            "study_hours_compliance_rate",
            "certification_rate",
        )
    )
    parts: list[str] = []
    if _has(staff):
        parts.append(say("report.training.staff", when=when, who=who, count=_n(staff["value"])))
    if _has(rate):
        key = "report.training.rate_full" if rate["value"] >= 1 else "report.training.rate"
        parts.append(say(key, rate=_rate(rate, say), ratio=_ratio(rate, "person", say)))
    if _has(avg):
        parts.append(say("report.training.hours_avg", hours=fmt.hours(avg["value"], say.code)))
    if _has(compliance):
        requirement = _hours_requirement(period, say)
        if compliance["value"] >= 1:
            parts.append(say("report.training.compliance_full", requirement=requirement))
        else:
            ratio = _ratio(compliance, "person", say)
            parts.append(
                say("report.training.compliance", requirement=requirement, rate=_rate(compliance, say), ratio=ratio)
            )
    if _has(cert):
        if cert["value"] >= 1:
            parts.append(say("report.training.certified_full"))
        else:
            parts.append(say("report.training.certified", rate=_rate(cert, say), ratio=_ratio(cert, "person", say)))
    return say.sentence(parts)


def _sessions_sentence(m: dict[str, Row], period: Period, when: str, say: Language, several: bool = False) -> str:
    """Study meetings and mediator trainings held, against their yearly requirement (each town's: for several
    towns the sum is not judged, ``scorecard.per_town``)."""
    sessions: list[str] = []
    for key, name in (("study_meetings", "meetings"), ("mediator_trainings", "mediators")):
        row = m[key]
        if not _has(row):
            continue
        session = say("report.training.session", name=say(f"report.training.{name}"), count=_n(row["value"]))
        requirement = _times_requirement(row, period, say)
        if requirement and row.get("status") is None:
            # a half-year or quarter of an annual amount is not judged (README: 期间)
            annual = say("report.times_requirement", annual=f"{row['target'] / period.fraction_of_year:g}")
            key = "report.training.session_towns" if several else "report.training.session_open"
            session = say(key, session=session, requirement=annual)
        elif requirement:
            met = "met" if row.get("status") == "met" else "missed"
            session = say(f"report.training.session_{met}", session=session, requirement=requirement)
        sessions.append(session)
    if not sessions:
        return ""
    joined = say("report.training.sessions_sep").join(sessions)
    return say.sentence([say("report.training.sessions", when=when, sessions=joined)])


def _training(m: dict[str, Row], period: Period, when: str, who: str, say: Language, several: bool) -> list[str]:
    keys = (
        "enforcement_staff",
        "training_rate",
        "study_hours_avg",
        "study_hours_compliance_rate",
        "certification_rate",
        "study_meetings",
        "mediator_trainings",
    )
    if not any(_has(m[k]) for k in keys):
        return []
    return [_staff_sentence(m, period, when, who, say), _sessions_sentence(m, period, when, say, several)]


def _target_text(row: Row, period: Period, say: Language, metric_id: str) -> str:
    """The target in prose: "不低于95%", "100%", "每年不少于2次（本期折算1次）", "零发生"."""
    target, op, unit = row["target"], row["target_op"], row["unit"]
    if metric_id in ("study_meetings", "mediator_trainings"):
        return _times_requirement(row, period, say)
    if metric_id == "study_hours_compliance_rate":
        return say("report.target.all_officers", requirement=_hours_requirement(period, say))
    if op == "<=" and target == 0:
        return say("report.target.zero")
    text_value = fmt.value(unit, target, say.code, metric_id)
    if unit == "rate" and target >= 1:
        return text_value
    bound = "at_least" if op == ">=" else "at_most"
    return say(f"report.target.{bound}{'_rate' if unit == 'rate' else ''}", value=text_value)


UNIT_WORDS = {
    "training_rate": "person",
    "study_hours_compliance_rate": "person",
    "certification_rate": "person",
    "supervision_quarters_covered": "quarter",
}


def _problem(number: int, key: str, row: Row, period: Period, say: Language, details: Details) -> str:
    """One missed target with its figures: "一是调解率为92.0%（46/50件），未达到不低于95%的目标"."""
    rate = row["unit"] == "rate"
    if key == "document_cleanup_due":
        last = details.last_cleanup
        return say(
            "report.problems.item_cleanup",
            ordinal=say.ordinal(number),
            last=say("report.problems.last_cleanup", date=_date(last, say)) if last else "",
        )
    return say(
        "report.problems.item_escalated" if key == "disputes_escalated" else "report.problems.item",
        ordinal=say.ordinal(number),
        label=say.mid_sentence(row["label"]),
        value=_rate(row, say) if rate else fmt.value(row["unit"], row["value"], say.code, key),
        ratio=_ratio(row, UNIT_WORDS.get(key, "case"), say) if rate else "",
        target=_target_text(row, period, say, key),
        count=_n(row["value"]) if row["value"] is not None else "",
    )


def _declines(m: dict[str, Row], say: Language) -> list[str]:
    """Rates that met their target but fell year on year: "调解率同比下降1.1个百分点"."""
    found = []
    for row in m.values():
        if row.get("unit") != "rate" or row.get("status") != "met" or row.get("change_pp") is None:
            continue
        if fmt.half_up(row["change_pp"], 1) < 0:
            found.append(say("report.problems.decline", label=row["label"], change=rate_change(row, say.code)))
    return found


def _problems(
    m: dict[str, Row], period: Period, when: str, say: Language, details: Details, several: bool
) -> list[str]:
    missed = [(k, r) for k, r in m.items() if r.get("status") == "missed"]
    judged = any(r.get("status") in ("met", "missed") for r in m.values())
    paragraphs: list[str] = []
    if missed:
        items = [_problem(number, key, row, period, say, details) for number, (key, row) in enumerate(missed, 1)]
        count = say.ordinal(len(missed)) if len(missed) <= 10 else str(len(missed))
        count = say.lookup(f"report.count_word.{len(missed)}", count)  # 两项, not 二项
        paragraphs.append(
            say(
                "report.problems.missed_many" if len(missed) > 1 else "report.problems.missed_one",
                when=when,
                count=count,
                items=say("report.problems.items_sep").join(items),
            )
        )
        paragraphs.extend(_problem_details(details, several, say))
        if details.quarters_missed and any(k == "supervision_quarters_covered" for k, _ in missed):
            paragraphs.append(
                say("report.problems.quarters", when=when, quarters=_quarters(details.quarters_missed, say))
            )
    elif judged:
        paragraphs.append(say("report.problems.clean", when=when))
    notes = _declines(m, say)
    if details.expiring:
        days = settings.certificate_warning_days()
        notes.append(say("report.problems.expiring", count=details.expiring, days=days))
    if notes:
        paragraphs.append(say("report.problems.notes", notes=say("report.problems.notes_sep").join(notes)))
    paragraphs.append(todo("report.todo.reasons" if missed else "report.todo.shortcomings", say))
    if missed:
        paragraphs.append(say("report.problems.measures", todo=todo("report.todo.measures", say)))
    return paragraphs


# ----- the areas the seed report has data for -------------------------------------------------------


def _annual(row: Row, period: Period) -> str:
    """A pro-rated count target as its yearly figure: 2 for a half-year's 1."""
    return f"{row['target'] / period.fraction_of_year:g}"


def _leadership(m: dict[str, Row], period: Period, when: str, who: str, say: Language) -> list[str]:
    """Reports to the Party committee and government heads against the yearly requirement."""
    row = m["party_committee_reports"]
    if not _has(row):
        return []
    if row.get("target") is None:
        return [say.sentence([say("report.leadership.reports_plain", when=when, who=who, count=_n(row["value"]))])]
    key = "report.leadership.reports_missed" if row.get("status") == "missed" else "report.leadership.reports"
    return [say.sentence([say(key, when=when, who=who, count=_n(row["value"]), annual=_annual(row, period))])]


def _cleanup_sentence(m: dict[str, Row], say: Language, details: Details) -> str:
    """The two-yearly cleanup: the last one's date where the work register gives it, else the count."""
    row = m["document_cleanup_due"]
    if not _has(row):
        return ""
    missed = row.get("status") == "missed"
    if details.last_cleanup is not None:
        key = "report.documents.cleanup_missed" if missed else "report.documents.cleanup"
        return say.sentence([say(key, date=_date(details.last_cleanup, say))])
    if missed:
        return say.sentence([say("report.documents.cleanup_due")])
    return say.sentence([say("report.documents.cleanup_count", count=_n(row["value"]))])


def _decisions(m: dict[str, Row], when: str, who: str, say: Language, details: Details) -> list[str]:
    """Major decisions and contracts reviewed for legality beforehand, and the legal adviser's reviews."""
    parts: list[str] = []
    for key, name in (("major_decision_review_rate", "major"), ("contract_review_rate", "contract")):
        row = m[key]
        if not _has(row):
            continue
        lead = "" if parts else say("report.decisions.lead", when=when, who=who)
        full = "_full" if row["value"] >= 1 else ""
        parts.append(
            say(
                f"report.decisions.{name}{full}",
                lead=lead,
                count=_n(row["denominator"]),
                rate=_rate(row, say),
                ratio=_ratio(row, "case", say),
            )
        )
    paragraphs = [say.sentence([say("report.list_sep").join(parts)])] if parts else []
    if parts and details.adviser_reviews:
        paragraphs.append(say.sentence([say("report.decisions.adviser", when=when, count=details.adviser_reviews)]))
    return paragraphs


def _reconsideration(m: dict[str, Row], period: Period, when: str, who: str, our: str, say: Language) -> str:
    cases, streak, corrected = (
        m[k] for k in ("reconsideration_cases", "years_without_reconsideration", "reconsideration_corrected_rate")
    )
    if _has(cases) and cases["value"] > 0:
        parts = [say("report.cases.reconsideration", when=when, who=who, count=_n(cases["value"]))]
        if corrected.get("denominator"):
            parts.append(
                say(
                    "report.cases.corrected",
                    decided=_n(corrected["denominator"]),
                    corrected=_n(corrected["numerator"] or 0),
                )
            )
        return say.sentence(parts)
    if _has(streak) and streak["value"] >= 1:
        since = period.year - int(streak["value"]) + 1  # the streak counts calendar years up to the period's year
        return say.sentence([say("report.cases.no_reconsideration", since=since, our=our)])
    if _has(cases):
        return say.sentence([say("report.cases.no_reconsideration_period", when=when, who=who)])
    return ""


def _litigation(m: dict[str, Row], when: str, who: str, say: Language) -> str:
    cases, head, loss, comply = (
        m[k] for k in ("litigation_cases", "head_appearance_rate", "litigation_loss_rate", "judgment_compliance_rate")
    )
    parts: list[str] = []
    if _has(cases):
        if cases["value"] == 0:
            parts.append(say("report.cases.no_litigation", when=when, who=who))
        else:
            parts.append(say("report.cases.litigation", when=when, who=who, count=_n(cases["value"])))
    if _has(head):
        key = "report.cases.head_full" if head["value"] >= 1 else "report.cases.head"
        parts.append(say(key, rate=_rate(head, say), ratio=_ratio(head, "case", say)))
    if _has(loss) and loss.get("denominator"):
        parts.append(say("report.cases.loss", concluded=_n(loss["denominator"]), lost=_n(loss["numerator"] or 0)))
    if _has(comply):
        key = "report.cases.complied_full" if comply["value"] >= 1 else "report.cases.complied"
        parts.append(say(key, rate=_rate(comply, say), ratio=_ratio(comply, "case", say)))
    return say.sentence(parts)


def _cases(
    m: dict[str, Row], period: Period, when: str, who: str, our: str, say: Language, details: Details
) -> list[str]:
    return [
        _reconsideration(m, period, when, who, our, say),
        _litigation(m, when, who, say),
        _earlier(details, when, say),
    ]


def _earlier(details: Details, when: str, say: Language) -> str:
    """Lawsuits received earlier and concluded in the period: the figures above count cases received."""
    earlier = details.earlier_litigation
    if not earlier:
        return ""
    parts = [say("report.cases.earlier", when=when, concluded=earlier["concluded"], lost=earlier["lost"])]
    if earlier["not_complied"]:
        parts.append(say("report.cases.earlier_not_complied", count=earlier["not_complied"]))
    return say.sentence(parts)


def _disclosures(m: dict[str, Row], when: str, who: str, say: Language, details: Details) -> list[str]:
    requests, on_time, overdue = (
        m[k] for k in ("disclosure_requests", "disclosure_on_time_rate", "disclosure_overdue")
    )
    parts: list[str] = []
    if _has(requests):
        if requests["value"] == 0:
            parts.append(say("report.disclosures.none", when=when, who=who))
        else:
            parts.append(say("report.disclosures.requests", when=when, who=who, count=_n(requests["value"])))
    pending = _pending_requests(requests, on_time, details)
    if _has(on_time):
        # 均…予以答复 says every request received was answered in time: not while some are still open
        full = on_time["value"] >= 1 and not pending and not details.undated_replies
        key = "report.disclosures.on_time_full" if full else "report.disclosures.on_time"
        parts.append(say(key, rate=_rate(on_time, say), ratio=_ratio(on_time, "case", say)))
    if details.undated_replies:  # answered, but on a day not written down: outside the rate, said
        parts.append(say("report.disclosures.undated", count=_n(details.undated_replies)))
    if pending:
        parts.append(say("report.disclosures.pending", count=_n(pending)))
    if _has(overdue) and overdue["value"] > 0:
        parts.append(say("report.disclosures.overdue", count=_n(overdue["value"])))
    return [say.sentence(parts)]


def _pending_requests(requests: Row, on_time: Row, details: Details) -> float:
    """The period's requests outside the on-time rate because still open and not yet due at its end
    (received in its last weeks): the requests less those judged and those answered on an unknown
    day; 0 where the rate has no counts (a rate a summary sheet typed)."""
    if not (_has(requests) and _has(on_time)) or on_time.get("denominator") is None:
        return 0
    return max(float(requests["value"]) - float(on_time["denominator"]) - (details.undated_replies or 0), 0.0)


def _publicity(m: dict[str, Row], when: str, who: str, say: Language) -> list[str]:
    row = m["legal_publicity_events"]
    if not _has(row):
        return []
    key = "report.publicity.none" if row["value"] == 0 else "report.publicity.events"
    return [say.sentence([say(key, when=when, who=who, count=_n(row["value"]))])]


def _supervision(m: dict[str, Row], period: Period, when: str, say: Language, details: Details) -> str:
    row = m["supervision_quarters_covered"]
    if not _has(row):
        return ""
    if row["value"] >= 1:
        return say.sentence([say("report.disputes.supervision_full", when=when, quarters=_n(row["denominator"]))])
    missing = _quarters(details.quarters_missed, say) if details.quarters_missed else ""
    clause = say(
        "report.disputes.supervision",
        when=when,
        covered=_n(row["numerator"] or 0),
        quarters=_n(row["denominator"]),
        missing=say("report.disputes.supervision_missing", quarters=missing) if missing else "",
    )
    return say.sentence([clause])


# ----- the whole text -------------------------------------------------------------------------------

AREAS = ("leadership", "documents", "decisions", "training", "cases", "disclosures", "publicity", "disputes")
PARTS = ("measures", "problems", "duty", "plans")  # the four parts the 2019 rules give the report


def title(period: Period, town: str | None, lang: str = "zh") -> str:
    say = language(lang)
    label = say("report.title_year", year=period.year) if period.kind == "year" else period.label(lang)
    return say("report.title", town=say("report.title_town", town=town) if town else "", period=label)


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')  # not allowed in Windows file names


def file_stem(period: Period, town_label: str, lang: str = "zh") -> str:
    """The report's file name without extension: 珠龙镇2020年度法治政府建设情况报告, 全部乡镇2020年上半年…."""
    say = language(lang)
    label = say("report.title_year", year=period.year) if period.kind == "year" else period.label(lang)
    stem = say("report.file_stem", town=town_label, period=label)
    return _UNSAFE_IN_FILE_NAMES.sub("_", stem).strip(" .") or "report"


def _areas(
    m: dict[str, Row], period: Period, when: str, who: str, our: str, say: Language, details: Details, several: bool
) -> dict[str, list[str]]:
    writers: dict[str, Callable[[dict[str, Row]], list[str]]] = {
        "leadership": lambda r: _leadership(r, period, when, who, say),
        "documents": lambda r: [*_documents(r, when, who, say), _cleanup_sentence(r, say, details)],
        "decisions": lambda r: _decisions(r, when, who, say, details),
        "training": lambda r: _training(r, period, when, who, say, several),
        "cases": lambda r: _cases(r, period, when, who, our, say, details),
        "disclosures": lambda r: _disclosures(r, when, who, say, details),
        "publicity": lambda r: _publicity(r, when, who, say),
        "disputes": lambda r: [*_disputes(r, when, who, say), _supervision(r, period, when, say, details)],
    }
    areas: dict[str, list[str]] = {}
    for key, write_part in writers.items():
        rows = _Reads(m)
        paragraphs = [p for p in write_part(rows) if p]
        if paragraphs and any(_has(m[k]) and m[k].get("source") in FROM_SUMMARIES for k in rows.read):
            paragraphs.append(say("report.partly_summary"))
        areas[key] = paragraphs
    return areas


FROM_SUMMARIES = frozenset({"summary", "reported", "mixed"})  # a row's source when a summary sheet gave (part of) it


class _Reads(dict[str, Row]):
    """The scorecard's rows, noting which ones a part of the text read: where any of them comes from a
    summary sheet rather than a register, the part says so (（以上数据部分来自汇总表报表数。）)."""

    def __init__(self, rows: dict[str, Row]) -> None:
        super().__init__(rows)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Row:
        self.read.add(key)
        return super().__getitem__(key)


def town_kind(town: str | None) -> str:
    """The suffix of the catalogue keys that differ by the kind of town: "" for a 镇 (and a town of
    no known kind), ".xiang" for a 乡, ".jiedao" for a 街道 (a 街道办事处, no 人民政府)."""
    name = (town or "").removesuffix("办事处").removesuffix("人民政府")
    return ".jiedao" if name.endswith("街道") else ".xiang" if name.endswith("乡") else ""


def org(town: str, lang: str = "zh") -> str:
    """The report's signature: 珠龙镇人民政府, 东坪乡人民政府, 东街街道办事处."""
    return language(lang)("report.org.jiedao" if town_kind(town) == ".jiedao" else "report.org", town=town)


def write(
    card: dict[str, Any],
    period: Period,
    town: str | None = None,
    lang: str = "zh",
    several_towns: bool = False,
    details: Details | None = None,
) -> ReportText:
    """The report text for a scorecard (``analytics.semantic.scorecard.scorecard(con, period, town, lang)``).

    ``several_towns`` (no town chosen and the data covers more than one) writes 各乡镇 instead of 全镇;
    a 乡's report writes 全乡, 我乡, a 街道's 全街道, 本街道 (``town_kind``).
    ``details`` (``analytics.report.details.gather``) names the rows behind missed targets and the dated
    facts; without it the text gives the figures only.
    """
    say = language(lang)
    details = details or Details()
    m = card["metrics"]
    # a period whose data stop early is the scorecard's 2024年（截至11月26日）, in the text as on the pages
    when = str(card.get("period", {}).get("label") or period.label(lang))
    compare = str(card.get("compare_period", {}).get("label") or period.previous_year().label(lang))
    kind = town_kind(town)
    who = say("report.who.towns" if several_towns else f"report.who.town{kind}")
    our = say("report.who.our_towns" if several_towns else f"report.who.our_town{kind}")
    areas = _areas(m, period, when, who, our, say, details, several_towns)
    found = [
        Section(key, say(f"report.heading.{key}"), tuple(p for p in areas[key] if p), level=2)
        for key in AREAS
        if any(areas[key])
    ]
    report_title = title(period, town, lang)
    subtitle = say("report.subtitle", when=when, compare=compare)
    if not found:
        return ReportText(report_title, subtitle, lang)  # no data: no claim either way
    scope = say("report.title_year", year=period.year) if period.kind == "year" else when
    intro = (say("report.intro", todo=todo("report.todo.intro", say), our=our, when=scope),)
    next_period = say("report.next_year", year=period.year + 1) if period.kind == "year" else say("report.next_period")
    sections = [
        Section("measures", say("report.heading.measures"), ()),
        *found,
        Section(
            "problems", say("report.heading.problems"), tuple(_problems(m, period, when, say, details, several_towns))
        ),
        Section("duty", say("report.heading.duty"), (todo("report.todo.duty", say),)),
        Section(
            "plans",
            say(f"report.heading.plans.{period.kind}"),
            (todo("report.todo.plans", say, next=next_period),),
        ),
    ]
    return ReportText(report_title, subtitle, lang, tuple(sections), intro)
