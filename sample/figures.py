"""The figures the sample is built to have, and the plan it is built from.

This module owns the town, its years and its targets, the per-year plans (dispute counts by half
year, documents, training sessions, staff) and ``FIGURES``, those plans turned into expected
figures by period id. The 2020 figures are the seed report's (DOMAIN.md §1); other years vary and
miss a target now and then so the charts have something to show.
"""

from __future__ import annotations

TOWN = "珠龙镇"
LEDGER_YEARS: tuple[int, ...] = tuple(range(2018, 2026))
SUMMARY_YEARS: tuple[int, ...] = (2016, 2017)
FILING_DEADLINE_DAYS = 30
STUDY_HOURS_TARGET = 50

DISPUTE_KEYS = (
    "disputes_total",
    "disputes_written",
    "disputes_oral",
    "disputes_joint",
    "disputes_success",
    "disputes_failed",
    "disputes_pending",
    "disputes_escalated",
    "disputes_referred",
)
DOCUMENT_KEYS = (
    "documents_issued",
    "documents_reviewed",
    "documents_published",
    "documents_filed",
    "documents_filed_timely",
)
TRAINING_KEYS = (
    "enforcement_staff",
    "staff_trained",
    "staff_hours_compliant",
    "staff_certified",
    "study_meetings",
    "mediator_trainings",
)

# year: (full year, first half); the second half is the difference. Pending cases carry no
# agreement form, so written + oral + pending = total.
_DISPUTE_PLAN: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {
    #      total wr  oral jt  succ fail pend esc ref
    2018: ((486, 128, 358, 2, 466, 20, 0, 0, 17), (221, 58, 163, 1, 212, 9, 0, 0, 8)),
    2019: ((500, 137, 363, 2, 480, 20, 0, 0, 20), (232, 63, 169, 1, 222, 10, 0, 0, 10)),
    2020: ((560, 156, 404, 3, 552, 8, 0, 0, 8), (251, 70, 181, 1, 247, 4, 0, 0, 4)),
    2021: ((603, 171, 432, 4, 588, 15, 0, 0, 13), (280, 80, 200, 2, 273, 7, 0, 0, 6)),
    2022: ((618, 160, 458, 3, 581, 37, 0, 0, 30), (296, 77, 219, 1, 277, 19, 0, 0, 15)),
    2023: ((574, 165, 409, 5, 560, 14, 0, 0, 14), (268, 77, 191, 2, 262, 6, 0, 0, 6)),
    2024: ((547, 158, 389, 4, 534, 13, 0, 1, 11), (255, 74, 181, 2, 249, 6, 0, 0, 5)),
    2025: ((529, 148, 368, 3, 507, 9, 13, 0, 9), (247, 71, 176, 1, 242, 5, 0, 0, 5)),
}

# Summary-only years (typed from old reports: no failed/pending columns).
_DISPUTE_SUMMARY_PLAN: dict[int, tuple[int, int, int, int, int]] = {
    #     total wr  oral jt  succ
    2016: (512, 130, 382, 2, 481),  # 93.9%: below the 95% target
    2017: (538, 141, 397, 2, 516),  # 95.9%
}

# year: (issued, reviewed, published, filed, filed within the deadline, issued in H1).
# Documents issued in H1 are all in order; every shortfall falls in H2.
DOCUMENT_PLAN: dict[int, tuple[int, int, int, int, int, int]] = {
    2018: (8, 8, 7, 8, 8, 4),  # one not published
    2019: (9, 9, 9, 9, 8, 4),  # one filed late
    2020: (10, 10, 10, 10, 10, 5),  # the report: 100% across the board
    2021: (11, 11, 11, 11, 11, 5),
    2022: (7, 7, 7, 7, 7, 3),
    2023: (12, 12, 12, 11, 10, 6),  # one filed late (> 30 days), one never filed
    2024: (9, 9, 9, 9, 9, 4),
    2025: (6, 6, 5, 6, 6, 3),  # one not yet published
}
_DOCUMENT_SUMMARY_PLAN: dict[int, tuple[int, int, int, int, int]] = {
    2016: (11, 10, 11, 10, 9),
    2017: (12, 11, 12, 12, 11),
}

# Study meetings (依法行政专题学习会) and village mediator trainings (调解员培训), by month.
STUDY_MEETING_MONTHS: dict[int, tuple[int, ...]] = {
    2018: (4, 11),
    2019: (3, 9),
    2020: (4, 10),
    2021: (3, 7, 11),
    2022: (5, 10),
    2023: (4, 9),
    2024: (3, 10),
    2025: (10,),  # only one, late in the year
}
MEDIATOR_TRAINING_MONTHS: dict[int, tuple[int, ...]] = {
    2018: (6,),  # only one: target missed
    2019: (4, 10),
    2020: (3, 9),
    2021: (5, 11),
    2022: (3, 7, 11),
    2023: (4, 10),
    2024: (5, 9),
    2025: (8, 11),
}

# year: (enforcement staff, trained, >= 50 hours, certificate valid at year end)
_TRAINING_PLAN: dict[int, tuple[int, int, int, int]] = {
    2018: (16, 16, 15, 15),  # a new officer: certificate pending, short of hours
    2019: (17, 17, 17, 17),
    2020: (18, 18, 18, 18),
    2021: (18, 18, 16, 18),  # two officers under 50 hours
    2022: (19, 19, 19, 19),
    2023: (19, 19, 19, 19),
    2024: (20, 19, 19, 20),  # an officer who joined in December had no training yet
    2025: (20, 20, 20, 19),  # one certificate expired in September
}


def _build_figures() -> dict[str, dict[str, int]]:
    figures: dict[str, dict[str, int]] = {}
    for year, (full, first) in _DISPUTE_PLAN.items():
        second = tuple(a - b for a, b in zip(full, first, strict=True))
        for pid, values in ((f"{year}", full), (f"{year}H1", first), (f"{year}H2", second)):
            figures.setdefault(pid, {}).update(zip(DISPUTE_KEYS, values, strict=True))
    for year, (total, written, oral, joint, success) in _DISPUTE_SUMMARY_PLAN.items():
        figures.setdefault(f"{year}", {}).update(
            disputes_total=total,
            disputes_written=written,
            disputes_oral=oral,
            disputes_joint=joint,
            disputes_success=success,
        )
    for year, (*counts, first_half) in DOCUMENT_PLAN.items():
        figures[f"{year}"].update(zip(DOCUMENT_KEYS, counts, strict=True))
        figures[f"{year}H1"].update(dict.fromkeys(DOCUMENT_KEYS, first_half))
        h2 = [c - first_half for c in counts]
        figures[f"{year}H2"].update(zip(DOCUMENT_KEYS, h2, strict=True))
    for year, counts5 in _DOCUMENT_SUMMARY_PLAN.items():
        figures[f"{year}"].update(zip(DOCUMENT_KEYS, counts5, strict=True))
    for year, (staff, trained, compliant, certified) in _TRAINING_PLAN.items():
        meetings = STUDY_MEETING_MONTHS[year]
        mediators = MEDIATOR_TRAINING_MONTHS[year]
        figures[f"{year}"].update(
            enforcement_staff=staff,
            staff_trained=trained,
            staff_hours_compliant=compliant,
            staff_certified=certified,
            study_meetings=len(meetings),
            mediator_trainings=len(mediators),
        )
        for half, months in (("H1", range(1, 7)), ("H2", range(7, 13))):
            figures[f"{year}{half}"].update(
                study_meetings=sum(m in months for m in meetings),
                mediator_trainings=sum(m in months for m in mediators),
            )
    return dict(sorted(figures.items()))


FIGURES: dict[str, dict[str, int]] = _build_figures()
"""Expected figures by period id ("2020", "2020H1", "2020H2"; 2016–2017 from the summaries).

Dispute keys count ledger rows by received date; document keys count documents by issue date
(timely = filed within 30 calendar days). Training keys are annual (staff, trained, hours,
certificates) except the session counts, which are also given per half year.
"""
