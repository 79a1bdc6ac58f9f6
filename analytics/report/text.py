"""The report's quantitative paragraphs, written from a scorecard in the seed report's style.

``write(card, period, ...)`` turns the JSON scorecard of ``analytics.semantic.scorecard`` into sections with
headings and paragraphs (Chinese by default, English available). Every sentence is a template with
named fields in the language's catalogue (``report.*`` keys in ``analytics/present/text/zh.py`` and
``en.py``); the writers here choose which sentence and fill it, and never branch on the language.
Rules the text keeps:

- a metric with no data is left out of the text; a missing previous period drops the 同比 clause;
- rates compare in percentage points (上升/下降/持平 by the sign of the rounded change), counts in
  absolute and percent ("同比增加60件、增长12.0%");
- "无一例矛盾纠纷激化升级" only when the escalated count is really 0;
- 存在的主要问题 names every missed target with its figures, or says none was missed.

Headings carry no numbers: renderers number them (一、二、…) because sections with no data drop out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analytics import settings
from analytics.present import fmt
from analytics.present.text import Language, language
from analytics.present.text import zh as _zh
from analytics.semantic.periods import Period

Row = dict[str, Any]


@dataclass(frozen=True)
class Section:
    """One numbered part of the report: an id (disputes, documents, training, problems), a heading
    without its number, and paragraphs of plain text."""

    id: str
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ReportText:
    title: str
    subtitle: str
    lang: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "lang": self.lang,
            "sections": [{"id": s.id, "heading": s.heading, "paragraphs": list(s.paragraphs)} for s in self.sections],
        }

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def plain(self) -> str:
        """The whole text, headings numbered, one paragraph per line."""
        lines = [self.title, self.subtitle]
        for number, section in enumerate(self.sections, 1):
            lines.append(numbered_heading(number, section.heading, self.lang))
            lines.extend(section.paragraphs)
        return "\n".join(lines)


chinese_ordinal = _zh.ordinal  # 1 → 一, 12 → 十二


def numbered_heading(number: int, heading: str, lang: str = "zh") -> str:
    """ "一、矛盾纠纷排查调处情况" / "1. Dispute screening and mediation"."""
    say = language(lang)
    return say("report.heading", ordinal=say.ordinal(number), heading=heading)


# ----- figures as the report writes them -----------------------------------------------------------


def _one(value: float) -> str:
    """One decimal, always: 2.6, 12.0."""
    return f"{abs(value):.1f}"


def _n(value: float | None) -> str:
    """A count without unit: 560, 7.5."""
    assert value is not None
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def rate_text(value: float | None, lang: str = "zh") -> str:
    """A rate as the report writes it: 98.6%, 96.0%, 100% (one decimal except a clean 100%)."""
    if value is None:
        return fmt.no_data(lang)
    percent = value * 100
    return "100%" if abs(percent - 100) < 1e-9 else f"{percent:.1f}%"


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
    rounded = round(points, 1)
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
    sources = {r.get("source") for r in (total, rate) if _has(r)}
    if sources & {"summary", "reported", "mixed"}:
        paragraphs.append(say("report.disputes.partly_summary"))
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


def _sessions_sentence(m: dict[str, Row], period: Period, when: str, say: Language) -> str:
    """Study meetings and mediator trainings held, against their yearly requirement."""
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
            session = say("report.training.session_open", session=session, requirement=annual)
        elif requirement:
            met = "met" if row.get("status") == "met" else "missed"
            session = say(f"report.training.session_{met}", session=session, requirement=requirement)
        sessions.append(session)
    if not sessions:
        return ""
    joined = say("report.training.sessions_sep").join(sessions)
    return say.sentence([say("report.training.sessions", when=when, sessions=joined)])


def _training(m: dict[str, Row], period: Period, when: str, who: str, say: Language) -> list[str]:
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
    return [_staff_sentence(m, period, when, who, say), _sessions_sentence(m, period, when, say)]


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


UNIT_WORDS = {"training_rate": "person", "study_hours_compliance_rate": "person", "certification_rate": "person"}


def _problem(number: int, key: str, row: Row, period: Period, say: Language) -> str:
    """One missed target with its figures: "一是调解率为92.0%（46/50件），未达到不低于95%的目标"."""
    rate = row["unit"] == "rate"
    return say(
        "report.problems.item_escalated" if key == "disputes_escalated" else "report.problems.item",
        ordinal=say.ordinal(number),
        label=row["label"],
        value=_rate(row, say) if rate else fmt.value(row["unit"], row["value"], say.code, key),
        ratio=_ratio(row, UNIT_WORDS.get(key, "case"), say) if rate else "",
        target=_target_text(row, period, say, key),
        count=_n(row["value"]) if row["value"] is not None else "",
    )


def _problems(m: dict[str, Row], period: Period, when: str, say: Language) -> list[str]:
    missed = [(k, r) for k, r in m.items() if r.get("status") == "missed"]
    if not any(r.get("status") in ("met", "missed") for r in m.values()):
        return []  # nothing with a target has data: no claim either way
    if not missed:
        return [say("report.problems.none", when=when)]
    items = [_problem(number, key, row, period, say) for number, (key, row) in enumerate(missed, 1)]
    count = say.ordinal(len(missed)) if len(missed) <= 10 else str(len(missed))
    return [
        say(
            "report.problems.missed_many" if len(missed) > 1 else "report.problems.missed_one",
            when=when,
            count=count,
            items=say("report.problems.items_sep").join(items),
        )
    ]


SECTIONS = ("disputes", "documents", "training", "problems")


def title(period: Period, town: str | None, lang: str = "zh") -> str:
    say = language(lang)
    label = say("report.title_year", year=period.year) if period.kind == "year" else period.label(lang)
    return say("report.title", town=say("report.title_town", town=town) if town else "", period=label)


def write(
    card: dict[str, Any], period: Period, town: str | None = None, lang: str = "zh", several_towns: bool = False
) -> ReportText:
    """The report text for a scorecard (``analytics.semantic.scorecard.scorecard(con, period, town, lang)``).

    ``several_towns`` (no town chosen and the data covers more than one) writes 各乡镇 instead of 全镇.
    """
    say = language(lang)
    m = card["metrics"]
    when = period.label(lang)
    who = say("report.who.towns" if several_towns else "report.who.town")
    built = {
        "disputes": _disputes(m, when, who, say),
        "documents": _documents(m, when, who, say),
        "training": _training(m, period, when, who, say),
        "problems": _problems(m, period, when, say),
    }
    sections = tuple(
        Section(key, say(f"report.heading.{key}"), tuple(p for p in built[key] if p)) for key in SECTIONS if built[key]
    )
    subtitle = say("report.subtitle", when=when, compare=period.previous_year().label(lang))
    return ReportText(title(period, town, lang), subtitle, lang, sections)
