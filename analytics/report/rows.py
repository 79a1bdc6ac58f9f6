"""The rows behind missed targets as the report names them: 《文件》（文号，印发日期）未经合法性审查,
王**（林业站，执法证有效期至2020年6月30日）, the request answered late and by how many days, …

Each phrase is a template in the text catalogues (``report.problems.*``) filled from the plain records of
``analytics.report.details``; at most ``details.LIST_LIMIT`` rows are named in one sentence, the rest
counted. ``todo`` writes the 【待填写：…】 prompts for what only people can write.
"""

from __future__ import annotations

from datetime import date

from analytics import settings
from analytics.present import fmt
from analytics.present.text import Language
from analytics.report.details import LIST_LIMIT, Details, Record


def date_text(day: date | None, say: Language) -> str:
    """2020年3月5日 / 2020-03-05."""
    if day is None:
        return ""
    return say("report.date", year=day.year, month=day.month, day=day.day, iso=day.isoformat())


def todo(what_key: str, say: Language, **fields: object) -> str:
    """A prompt for what only people can write: "【待填写：整改措施……】"."""
    return say("report.todo", what=say(what_key, **fields))


def _listing(items: list[str], unit: str, say: Language) -> str:
    """Items joined, at most ``details.LIST_LIMIT`` of them, the rest counted: "甲；乙等12件"."""
    shown = say("report.list_sep").join(items[:LIST_LIMIT])
    if len(items) <= LIST_LIMIT:
        return shown
    return say("report.list_more", items=shown, count=len(items), unit=say(f"report.unit.{unit}"))


def _town(record: Record, several: bool, say: Language) -> str:
    """The town before a row's description when the report covers several towns."""
    return say("report.row_town", town=record["town"]) if several and record.get("town") else ""


def _document_item(doc: Record, several: bool, say: Language) -> str:
    """《关于…的通知》（珠政〔2020〕3号，2020年10月1日印发）未经合法性审查、逾期50日备案."""
    missing = list(doc.get("missing") or [])
    what: list[str] = []
    for code in missing:
        if code == "timely_filing" and "filing" in missing:
            continue  # not filed at all says more than not filed in time
        if code == "timely_filing" and doc.get("days_late") is not None:
            days, kind = settings.filing_deadline()
            what.append(
                say(f"report.problems.doc.late_{'working' if kind == 'working' else 'calendar'}", days=doc["days_late"])
            )
        elif code == "filing" and doc.get("days_unfiled") is not None:
            what.append(say("report.problems.doc.unfiled_days", days=doc["days_unfiled"]))
        else:
            what.append(say(f"report.problems.doc.{code}"))
    number = say("report.problems.doc.number", doc_no=doc["doc_no"]) if doc.get("doc_no") else ""
    return say(
        "report.problems.doc",
        town=_town(doc, several, say),
        title=doc.get("title") or "",
        number=number,
        issued=date_text(doc.get("issued_date"), say),
        what=say("report.list_comma").join(what),
    )


def _officer_item(officer: Record, key: str, several: bool, say: Language) -> str:
    unit = say("report.problems.officer.unit", unit=officer["unit"]) if officer.get("unit") else ""
    return say(
        key,
        town=_town(officer, several, say),
        name=officer.get("name") or "",
        unit=unit,
        date=date_text(officer.get("cert_valid_until"), say),
        hours=fmt.hours(officer.get("hours"), say.code) if officer.get("hours") is not None else "",
    )


def _request_item(request: Record, key: str, several: bool, say: Language) -> str:
    return say(
        key,
        town=_town(request, several, say),
        received=date_text(request.get("received_date"), say),
        content=request.get("content") or "",
        replied=date_text(request.get("reply_date"), say),
        due=date_text(request.get("due_date"), say),
        days=request.get("days_late") if request.get("days_late") is not None else "",
    )


def _matter_item(matter: Record, several: bool, say: Language) -> str:
    kind = say.lookup(f"report.matter_kind.{matter.get('matter_kind')}", str(matter.get("matter_kind") or ""))
    what = say("report.problems.matter.late" if matter.get("reviewed") else "report.problems.matter.never")
    return say(
        "report.problems.matter",
        town=_town(matter, several, say),
        matter=matter.get("matter") or "",
        kind=kind,
        date=date_text(matter.get("matter_date"), say),
        what=what,
    )


def _case_item(case: Record, several: bool, say: Language) -> str:
    hearing = (
        say("report.problems.case.hearing", date=date_text(case["hearing_date"], say))
        if case.get("hearing_date")
        else ""
    )
    cause = case.get("cause") or ""
    about = cause + (hearing if cause else hearing.lstrip("，, "))  # no 案由: no stray comma
    text = say("report.problems.case", town=_town(case, several, say), case_no=case.get("case_no") or "", about=about)
    return text if about else text.replace("（）", "").replace(" ()", "")


def _dispute_item(case: Record, several: bool, say: Language) -> str:
    village = case.get("village") if case.get("village") not in (None, "未填") else ""
    return say(
        "report.problems.dispute",
        town=_town(case, several, say),
        date=date_text(case.get("received_date"), say),
        village=village or "",
        category=case.get("category") or "",
    )


def quarters(quarters: tuple[int, ...], say: Language) -> str:
    return say("report.list_comma").join(say("report.quarter", ordinal=say.ordinal(q)) for q in quarters)


def problem_details(details: Details, several: bool, say: Language) -> list[str]:
    """One paragraph per kind of row behind a missed target, naming each one."""
    groups: list[tuple[str, list[str], str]] = [
        ("report.problems.documents", [_document_item(d, several, say) for d in details.documents], "case"),
        (
            "report.problems.certificates",
            [_officer_item(o, f"report.problems.officer.{o['status']}", several, say) for o in details.certificates],
            "person",
        ),
        (
            "report.problems.untrained",
            [_officer_item(o, "report.problems.officer.plain", several, say) for o in details.untrained],
            "person",
        ),
        (
            "report.problems.below_hours",
            [_officer_item(o, "report.problems.officer.hours", several, say) for o in details.below_hours],
            "person",
        ),
        (
            "report.problems.late_requests",
            [_request_item(r, "report.problems.request.late", several, say) for r in details.late_requests],
            "case",
        ),
        (
            "report.problems.overdue_requests",
            [_request_item(r, "report.problems.request.overdue", several, say) for r in details.overdue_requests],
            "case",
        ),
        ("report.problems.unreviewed", [_matter_item(m, several, say) for m in details.unreviewed], "case"),
        ("report.problems.head_absent", [_case_item(c, several, say) for c in details.head_absent], "case"),
        ("report.problems.not_complied", [_case_item(c, several, say) for c in details.not_complied], "case"),
        ("report.problems.escalated", [_dispute_item(c, several, say) for c in details.escalated], "case"),
    ]
    return [say(key, items=_listing(items, unit, say)) for key, items, unit in groups if items]
