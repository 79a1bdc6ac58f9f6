"""The report's quantitative paragraphs, written from a scorecard in the seed report's style.

``write(card, period, ...)`` turns the JSON scorecard of ``analytics.scorecard`` into sections with
headings and paragraphs (Chinese by default, English available). Rules the text keeps:

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

from analytics import fmt, settings
from analytics.periods import Period

CHINESE_NUMERALS = "一二三四五六七八九十"


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


def chinese_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (enough for a report's sections)."""
    if number <= 10:
        return CHINESE_NUMERALS[number - 1]
    tens, units = divmod(number, 10)
    return ("" if tens == 1 else CHINESE_NUMERALS[tens - 1]) + "十" + (CHINESE_NUMERALS[units - 1] if units else "")


def numbered_heading(number: int, heading: str, lang: str = "zh") -> str:
    return f"{number}. {heading}" if lang == "en" else f"{chinese_ordinal(number)}、{heading}"


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


def _rate(row: dict[str, Any], lang: str) -> str:
    return rate_text(row["value"], lang)


def _ratio(row: dict[str, Any], unit_zh: str, lang: str) -> str:
    """ "（552/560件）" where the counts are known, else ""."""
    if row.get("numerator") is None or row.get("denominator") is None:
        return ""
    inner = f"{_n(row['numerator'])}/{_n(row['denominator'])}"
    return f" ({inner})" if lang == "en" else f"（{inner}{unit_zh}）"


def _reported(row: dict[str, Any], lang: str) -> str:
    """A marker for a rate typed into a summary sheet without counts."""
    if row.get("source") != "reported":
        return ""
    return " (as reported)" if lang == "en" else "（报表数）"


def rate_change(row: dict[str, Any], lang: str = "zh") -> str:
    """ "同比上升2.6个百分点" / "up 2.6 percentage points year on year"; "" without a previous value."""
    points = row.get("change_pp")
    if points is None or row.get("value") is None:
        return ""
    rounded = round(points, 1)
    if lang == "en":
        if rounded == 0:
            return "unchanged year on year"
        return f"{'up' if rounded > 0 else 'down'} {_one(rounded)} percentage points year on year"
    if rounded == 0:
        return "同比持平"
    return f"同比{'上升' if rounded > 0 else '下降'}{_one(rounded)}个百分点"


def count_change(row: dict[str, Any], unit_zh: str = "件", lang: str = "zh") -> str:
    """ "同比增加60件、增长12.0%" / "up 60 (+12.0%) year on year"; "" without a previous value."""
    absolute = row.get("change")
    if absolute is None or row.get("value") is None:
        return ""
    percent = row.get("change_pct")
    if lang == "en":
        if absolute == 0:
            return "unchanged year on year"
        pct = f" ({'+' if absolute > 0 else '-'}{_one(percent * 100)}%)" if percent is not None else ""
        return f"{'up' if absolute > 0 else 'down'} {_n(abs(absolute))}{pct} year on year"
    if absolute == 0:
        return "与上年同期持平"
    verb, growth = ("增加", "增长") if absolute > 0 else ("减少", "下降")
    pct = f"、{growth}{_one(percent * 100)}%" if percent is not None else ""
    return f"同比{verb}{_n(abs(absolute))}{unit_zh}{pct}"


def _join_zh(parts: list[str]) -> str:
    """Clauses joined by "，" and closed with "。"; empty clauses dropped."""
    kept = [p for p in parts if p]
    return "，".join(kept) + "。" if kept else ""


def _join_en(parts: list[str]) -> str:
    kept = [p for p in parts if p]
    if not kept:
        return ""
    sentence = "; ".join(kept)
    return sentence[0].upper() + sentence[1:] + "."


def _with(clause: str, change: str) -> str:
    """An English clause with its year-on-year change attached: "… 98.6%, up 2.6 points …"."""
    return f"{clause}, {change}" if change else clause


def _has(row: dict[str, Any]) -> bool:
    return row.get("value") is not None


# ----- sections ------------------------------------------------------------------------------------


def _disputes(m: dict[str, dict[str, Any]], when: str, who: str, lang: str) -> list[str]:
    total, written, oral, joint = (
        m[k] for k in ("disputes_total", "disputes_written", "disputes_oral", "disputes_joint")
    )
    rate, escalated, referred, pending = (
        m[k] for k in ("mediation_success_rate", "disputes_escalated", "disputes_referred", "disputes_pending")
    )
    if not _has(total) and not _has(rate):
        return []
    paragraphs: list[str] = []
    if lang == "en":
        head = f"in {when} {who} screened {_n(total['value'])} disputes" if _has(total) else f"in {when} {who}"
        forms = [
            f"{_n(r['value'])} with {name} agreements" for r, name in ((written, "written"), (oral, "oral")) if _has(r)
        ]
        parts = [head + (": " + " and ".join(forms) if forms else "")]
        if _has(joint) and joint["value"] > 0:
            parts.append(f"{_n(joint['value'])} of them by joint mediation")
        if _has(rate):
            parts.append(
                _with(
                    f"the mediation success rate was {_rate(rate, lang)}{_reported(rate, lang)}",
                    rate_change(rate, lang),
                )
            )
        paragraphs.append(_join_en(parts))
        if count_change(total, lang=lang):
            paragraphs.append(f"The number of disputes screened was {count_change(total, lang=lang)}.")
    else:
        parts = [f"{when}{who}共排查出矛盾纠纷{_n(total['value'])}件" if _has(total) else ""]
        forms = [f"{name}{_n(r['value'])}件" for r, name in ((written, "书面调解"), (oral, "口头调解")) if _has(r)]
        if forms:
            forms[0] = "其中" + forms[0]
        parts.extend(forms)
        if _has(joint) and joint["value"] > 0:
            parts.append(f"其中联合调解{_n(joint['value'])}件")
        if _has(rate):
            parts.append(f"调解率为{_rate(rate, lang)}{_reported(rate, lang)}")
            parts.append(rate_change(rate, lang))
        first = _join_zh(parts)
        change = count_change(total, "件", lang)
        if change:
            first += f"矛盾纠纷排查数{change}。"
        paragraphs.append(first)
    outcome = _outcome_sentence(escalated, referred, pending, when, lang)
    if outcome:
        paragraphs.append(outcome)
    sources = {r.get("source") for r in (total, rate) if _has(r)}
    if sources & {"summary", "reported", "mixed"}:
        paragraphs.append(
            "(Figures partly from summary sheets.)" if lang == "en" else "（以上数据部分来自汇总表报表数。）"
        )
    return paragraphs


def _outcome_sentence(
    escalated: dict[str, Any], referred: dict[str, Any], pending: dict[str, Any], when: str, lang: str
) -> str:
    """Referrals to the courts, cases still pending, and escalation (only stated when known)."""
    en = lang == "en"
    parts: list[str] = []
    if _has(pending) and pending["value"] > 0:
        parts.append(
            f"{_n(pending['value'])} disputes were still being mediated at the end of the period"
            if en
            else f"截至期末尚有{_n(pending['value'])}件纠纷正在调解中"
        )
    if _has(referred) and referred["value"] > 0:
        parts.append(
            f"failed mediations were guided to litigation and other legal channels ({_n(referred['value'])} cases)"
            if en
            else f"对于调解失败的纠纷，及时引导当事人走司法程序等合法途径，共引导诉讼{_n(referred['value'])}件"
        )
    if _has(escalated):
        if escalated["value"] == 0 and parts:
            parts.append("and not a single dispute escalated" if en else "确保了无一例矛盾纠纷激化升级")
        elif escalated["value"] == 0:
            parts.append(f"in {when} not a single dispute escalated" if en else f"{when}无一例矛盾纠纷激化升级")
        else:
            parts.append(
                f"{_n(escalated['value'])} disputes escalated in {when}"
                if en
                else f"{when}发生矛盾纠纷激化升级{_n(escalated['value'])}件"
            )
    return _join_en(parts) if en else _join_zh(parts)


DOCUMENT_RATES = ("document_review_rate", "document_publication_rate", "document_filing_rate")


def _documents(m: dict[str, dict[str, Any]], when: str, who: str, lang: str) -> list[str]:
    issued = m["documents_issued"]
    rates = [(k, m[k]) for k in DOCUMENT_RATES if _has(m[k])]
    timely = m["document_timely_filing_rate"]
    if not _has(issued) and not rates and not _has(timely):
        return []
    en = lang == "en"
    parts: list[str] = []
    if _has(issued):
        if issued["value"] == 0:
            parts.append(f"no normative documents were issued in {when}" if en else f"{when}{who}未制发规范性文件")
        else:
            if en:
                parts.append(
                    _with(
                        f"in {when} {who} issued {_n(issued['value'])} normative documents",
                        count_change(issued, "件", lang),
                    )
                )
            else:
                parts.append(f"{when}{who}共制发规范性文件{_n(issued['value'])}件")
                parts.append(count_change(issued, "件", lang))
    labels = {k: m[k]["label"] for k, _ in rates}
    values = {round(r["value"], 4) for _, r in rates}
    changes = {rate_change(r, lang) for _, r in rates}
    if len(rates) > 1 and len(values) == 1 and len(changes) == 1:
        rate = rates[0][1]
        names = (
            ", ".join(v.lower() for v in labels.values())
            if en
            else "、".join(list(labels.values())[:-1]) + "以及" + list(labels.values())[-1]
        )
        verb = "all reached" if en else ("均达" if rate["value"] >= 1 else "均为")
        if en:
            parts.append(
                _with(f"{names} {verb} {_rate(rate, lang)}{_ratio(rate, '件', lang)}", rate_change(rate, lang))
            )
        else:
            parts.append(f"{names}{verb}{_rate(rate, lang)}{_ratio(rate, '件', lang)}")
            parts.append(rate_change(rate, lang))
    else:
        for key, rate in rates:
            clause = (
                f"the {labels[key].lower()} was {_rate(rate, lang)}{_ratio(rate, '件', lang)}{_reported(rate, lang)}"
                if en
                else f"{labels[key]}为{_rate(rate, lang)}{_ratio(rate, '件', lang)}{_reported(rate, lang)}"
            )
            change = rate_change(rate, lang)
            parts.append(clause + ((", " if en else "，") + change if change else ""))
    if _has(timely):
        days, kind = settings.filing_deadline()
        deadline = (
            f"{days} {'working ' if kind == 'working' else ''}days"
            if en
            else f"{days}{'个工作日' if kind == 'working' else '日'}"
        )
        if en:
            parts.append(
                _with(
                    f"the timely filing rate (within {deadline}) was {_rate(timely, lang)}{_ratio(timely, '件', lang)}",
                    rate_change(timely, lang),
                )
            )
        else:
            parts.append(f"及时备案率（{deadline}内报备）为{_rate(timely, lang)}{_ratio(timely, '件', lang)}")
            parts.append(rate_change(timely, lang))
    return [_join_en(parts) if en else _join_zh(parts)]


def _hours_requirement(period: Period, lang: str) -> str:
    per_year = settings.study_hours_per_year()
    if lang == "en":
        base = f"at least {per_year:g} hours a year"
        return base if period.kind == "year" else f"{base}, {per_year * period.fraction_of_year:g} for the period"
    base = f"每年不少于{per_year:g}学时"
    return base if period.kind == "year" else f"{base}（本期折算{per_year * period.fraction_of_year:g}学时）"


def _times_requirement(row: dict[str, Any], period: Period, lang: str) -> str:
    target = row.get("target")
    if target is None:
        return ""
    annual = target / period.fraction_of_year
    if lang == "en":
        return f"at least {annual:g} a year" + ("" if period.kind == "year" else f", {target:g} for the period")
    return f"每年不少于{annual:g}次" + ("" if period.kind == "year" else f"（本期折算{target:g}次）")


def _training(m: dict[str, dict[str, Any]], period: Period, when: str, who: str, lang: str) -> list[str]:
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
    meetings, mediators = m["study_meetings"], m["mediator_trainings"]
    if not any(_has(r) for r in (staff, rate, avg, compliance, cert, meetings, mediators)):
        return []
    en = lang == "en"
    paragraphs: list[str] = []
    parts: list[str] = []
    if _has(staff):
        parts.append(
            f"in {when} {who} had {_n(staff['value'])} administrative enforcement officers"
            if en
            else f"{when}{who}共有行政执法人员{_n(staff['value'])}人"
        )
    if _has(rate):
        verb = "reached" if rate["value"] >= 1 else "was"
        parts.append(
            f"the enforcement staff training rate {verb} {_rate(rate, lang)}{_ratio(rate, '人', lang)}"
            if en
            else f"行政执法人员培训率{'达' if rate['value'] >= 1 else '为'}{_rate(rate, lang)}{_ratio(rate, '人', lang)}"
        )
    if _has(avg):
        parts.append(
            f"officers studied law for {fmt.hours(avg['value'], lang)} on average"
            if en
            else f"执法人员人均学法{fmt.hours(avg['value'], lang)}"
        )
    if _has(compliance):
        requirement = _hours_requirement(period, lang)
        if compliance["value"] >= 1:
            parts.append(f"every officer met the requirement of {requirement}" if en else f"均达到{requirement}的要求")
        else:
            parts.append(
                f"{_rate(compliance, lang)}{_ratio(compliance, '人', lang)} met the requirement of {requirement}"
                if en
                else f"达到{requirement}要求的占{_rate(compliance, lang)}{_ratio(compliance, '人', lang)}"
            )
    if _has(cert):
        if cert["value"] >= 1:
            parts.append("all of them hold enforcement certificates" if en else "执法人员全部持证上岗")
        else:
            parts.append(
                f"the certification rate was {_rate(cert, lang)}{_ratio(cert, '人', lang)}"
                if en
                else f"持证上岗率为{_rate(cert, lang)}{_ratio(cert, '人', lang)}"
            )
    if parts:
        paragraphs.append(_join_en(parts) if en else _join_zh(parts))
    sessions: list[str] = []
    for row, name_zh, name_en in (
        (meetings, "依法行政专题学习会", "rule-of-law study meetings"),
        (mediators, "村级调解员培训", "village mediator trainings"),
    ):
        if not _has(row):
            continue
        requirement = _times_requirement(row, period, lang)
        met = row.get("status") == "met"
        if en:
            clause = f"{name_en} held: {_n(row['value'])}"
            if requirement:
                clause += f" ({'meeting' if met else 'short of'} the requirement of {requirement})"
        else:
            clause = f"举办{name_zh}{_n(row['value'])}次"
            if requirement:
                clause += f"，{'达到' if met else '未达到'}{requirement}的要求"
        sessions.append(clause)
    if sessions:
        paragraphs.append(
            _join_en([f"in {when} " + "; ".join(sessions)]) if en else _join_zh([f"{when}" + "；".join(sessions)])
        )
    return paragraphs


def _target_text(row: dict[str, Any], period: Period, lang: str, metric_id: str) -> str:
    """The target in prose: "不低于95%", "100%", "每年不少于2次（本期折算1次）", "零激化"."""
    target, op, unit = row["target"], row["target_op"], row["unit"]
    if metric_id in ("study_meetings", "mediator_trainings"):
        return _times_requirement(row, period, lang)
    if metric_id == "study_hours_compliance_rate":
        return (
            ("all officers studying " + _hours_requirement(period, lang))
            if lang == "en"
            else f"全部执法人员{_hours_requirement(period, lang)}"
        )
    if op == "<=" and target == 0:
        return "zero" if lang == "en" else "零发生"
    text_value = fmt.value(unit, target, lang, metric_id)
    if unit == "rate" and target >= 1:
        return text_value
    if lang == "en":
        return f"{'at least' if op == '>=' else 'at most'} {text_value}"
    return (
        f"{'不低于' if op == '>=' else '不高于'}{text_value}"
        if unit == "rate"
        else f"{'不少于' if op == '>=' else '不多于'}{text_value}"
    )


UNIT_WORDS = {"training_rate": "人", "study_hours_compliance_rate": "人", "certification_rate": "人"}


def _problems(m: dict[str, dict[str, Any]], period: Period, when: str, lang: str) -> list[str]:
    missed = [(k, r) for k, r in m.items() if r.get("status") == "missed"]
    en = lang == "en"
    if not any(r.get("status") in ("met", "missed") for r in m.values()):
        return []  # nothing with a target has data: no claim either way
    if not missed:
        return [
            "Every metric with a target met it in " + when + "."
            if en
            else f"{when}各项设有目标的指标均已达到目标要求，未发现未达标事项。"
        ]
    items: list[str] = []
    for number, (key, row) in enumerate(missed, 1):
        value = fmt.value(row["unit"], row["value"], lang, key) if row["unit"] != "rate" else _rate(row, lang)
        ratio = _ratio(row, UNIT_WORDS.get(key, "件"), lang) if row["unit"] == "rate" else ""
        target = _target_text(row, period, lang, key)
        if en:
            items.append(f"{row['label']} was {value}{ratio}, short of the target of {target}")
        else:
            ordinal = chinese_ordinal(number) + "是"
            if key == "disputes_escalated":
                items.append(f"{ordinal}发生矛盾纠纷激化升级{_n(row['value'])}件，未实现激化升级{target}的目标")
            else:
                items.append(f"{ordinal}{row['label']}为{value}{ratio}，未达到{target}的目标")
    if en:
        return [
            f"In {when} {len(missed)} target{'s were' if len(missed) > 1 else ' was'} missed: " + "; ".join(items) + "."
        ]
    return [
        f"{when}有{chinese_ordinal(len(missed)) if len(missed) <= 10 else len(missed)}项指标未达到目标要求："
        + "；".join(items)
        + "。下一阶段将针对上述问题逐项整改。"
    ]


HEADINGS = {
    "zh": {
        "disputes": "矛盾纠纷排查调处情况",
        "documents": "规范性文件管理情况",
        "training": "学法培训和执法人员管理情况",
        "problems": "存在的主要问题",
    },
    "en": {
        "disputes": "Dispute screening and mediation",
        "documents": "Normative documents",
        "training": "Law study, training and enforcement staff",
        "problems": "Main problems",
    },
}


def title(period: Period, town: str | None, lang: str = "zh") -> str:
    if lang == "en":
        return f"{town + ' ' if town else ''}Rule-of-law Government Report, {period.label('en')}"
    label = f"{period.year}年度" if period.kind == "year" else period.label("zh")
    return f"{town or ''}{label}法治政府建设情况报告"


def write(
    card: dict[str, Any], period: Period, town: str | None = None, lang: str = "zh", several_towns: bool = False
) -> ReportText:
    """The report text for a scorecard (``analytics.scorecard.scorecard(con, period, town, lang)``).

    ``several_towns`` (no town chosen and the data covers more than one) writes 各乡镇 instead of 全镇.
    """
    m = card["metrics"]
    when = period.label(lang)
    towns_word = {"en": ("the town", "the towns")}.get(lang, ("全镇", "各乡镇"))
    who = towns_word[1 if several_towns else 0]
    built = [
        ("disputes", _disputes(m, when, who, lang)),
        ("documents", _documents(m, when, who, lang)),
        ("training", _training(m, period, when, who, lang)),
        ("problems", _problems(m, period, when, lang)),
    ]
    sections = tuple(
        Section(key, HEADINGS["en" if lang == "en" else "zh"][key], tuple(p for p in paras if p))
        for key, paras in built
        if paras
    )
    compare = period.previous_year().label(lang)
    subtitle = f"{when}, compared with {compare}" if lang == "en" else f"（统计期间：{when}，同比对照：{compare}）"
    return ReportText(title(period, town, lang), subtitle, lang, sections)
