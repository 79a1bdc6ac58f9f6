"""Deterministic sample workbooks for 珠龙镇, laid out the way township staff really keep them.

This package owns the sample data: ten workbooks (dispute ledger and summary, normative-document
ledger and summary, training attendance, enforcement-staff roster, and the registers of issue 14:
reconsideration and litigation cases, disclosure requests, legality reviews, work events) and
``FIGURES``, the table of figures the first six are built to produce. One module per dataset
builds its rows and sheets (``disputes``, ``documents``, ``training``, ``roster``, ``cases``,
``disclosures``, ``legality_reviews``, ``events``); ``people`` is the cast they share,
``workbook`` the sheet writer, ``figures`` the plan and the figures, ``days`` the calendar helpers.

Everything comes from one ``random.Random(SEED)``, drawn in the order ``generate`` calls the
datasets (the four registers each draw from their own ``Random(SEED + n)``, so adding them moved
no byte of the first six workbooks), and fixed timestamps (workbook properties and zip entries), so two runs write
byte-identical files. ``generate`` checks the rows it built against ``FIGURES`` before writing
anything and raises if they disagree.
"""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

from sample import cases, disclosures, disputes, documents, events, legality_reviews, roster, training
from sample.figures import (
    DISPUTE_KEYS,
    DOCUMENT_KEYS,
    FIGURES,
    FILING_DEADLINE_DAYS,
    LEDGER_YEARS,
    STUDY_HOURS_TARGET,
    SUMMARY_YEARS,
    TOWN,
    TRAINING_KEYS,
)
from sample.people import make_cast
from sample.workbook import FIXED_TIMESTAMP, save

__all__ = [
    "CASES_FILE",
    "DEFAULT_OUT_DIR",
    "DISCLOSURES_FILE",
    "DISPUTES_FILE",
    "DISPUTE_KEYS",
    "DISPUTE_SUMMARY_FILE",
    "DOCUMENTS_FILE",
    "DOCUMENT_KEYS",
    "DOCUMENT_SUMMARY_FILE",
    "EVENTS_FILE",
    "FIGURES",
    "FILING_DEADLINE_DAYS",
    "FIXED_TIMESTAMP",
    "LEGALITY_REVIEWS_FILE",
    "LEDGER_YEARS",
    "ROSTER_FILE",
    "SEED",
    "STUDY_HOURS_TARGET",
    "SUMMARY_YEARS",
    "TOWN",
    "TRAINING_FILE",
    "TRAINING_KEYS",
    "generate",
]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR = ROOT / "data" / "sample"
SEED = 20201219

DISPUTES_FILE = f"{TOWN}矛盾纠纷排查调处台账.xlsx"
DISPUTE_SUMMARY_FILE = f"{TOWN}矛盾纠纷统计汇总.xlsx"
DOCUMENTS_FILE = f"{TOWN}规范性文件登记备案台账.xlsx"
DOCUMENT_SUMMARY_FILE = f"{TOWN}规范性文件审查备案汇总.xlsx"
TRAINING_FILE = f"{TOWN}学法培训台账.xlsx"
ROSTER_FILE = f"{TOWN}行政执法人员名册.xlsx"
CASES_FILE = f"{TOWN}行政复议和行政应诉台账.xlsx"
DISCLOSURES_FILE = f"{TOWN}政府信息公开申请台账.xlsx"
LEGALITY_REVIEWS_FILE = f"{TOWN}合法性审查台账.xlsx"
EVENTS_FILE = f"{TOWN}依法行政工作台账.xlsx"


def _check(pid: str, built: dict[str, int]) -> None:
    expected = {k: FIGURES[pid][k] for k in built}
    if built != expected:
        raise AssertionError(f"sample {pid}: built {built}, FIGURES say {expected}")


def registers(attendance: dict[int, list[training.Attendance]]) -> dict[str, Workbook]:
    """The four registers of issue 14, each from its own random stream; the work register repeats
    the training register's 学习会 and 调解员培训 from 2018 (they must not count twice)."""
    rng = random.Random(SEED + 1)
    books = {CASES_FILE: cases.ledger_workbook(rng, cases.lawsuits(rng))}
    rng = random.Random(SEED + 2)
    requests = {year: disclosures.year_requests(rng, year) for year in disclosures.YEARS}
    books[DISCLOSURES_FILE] = disclosures.ledger_workbook(rng, requests)
    rng = random.Random(SEED + 3)
    matters = {year: legality_reviews.year_matters(rng, year) for year in legality_reviews.PLAN}
    books[LEGALITY_REVIEWS_FILE] = legality_reviews.ledger_workbook(rng, matters)
    rng = random.Random(SEED + 4)
    work = {}
    for year in events.YEARS:
        rows = attendance.get(year, [])
        study = sorted({r.day for r in rows if r.kind == "依法行政专题学习会"})
        mediator = sorted({r.day for r in rows if r.kind == "调解员培训"})
        work[year] = events.year_events(rng, year, study, mediator)
    books[EVENTS_FILE] = events.ledger_workbook(rng, work)
    return books


def generate(out_dir: Path = DEFAULT_OUT_DIR) -> list[Path]:
    """Write the ten sample workbooks into ``out_dir`` and return their paths.

    Raises:
        AssertionError: if the rows built disagree with ``FIGURES`` (a bug in this package).
    """
    rng = random.Random(SEED)
    cast = make_cast(rng)
    cases: dict[int, list[disputes.Dispute]] = {}
    docs: dict[int, list[documents.Document]] = {}
    attendance: dict[int, list[training.Attendance]] = {}
    for year in LEDGER_YEARS:
        halves = [disputes.half_year(rng, cast, year, h, FIGURES[f"{year}H{h}"]) for h in (1, 2)]
        for h, half in enumerate(halves, start=1):
            _check(f"{year}H{h}", disputes.counts(half))
        cases[year] = halves[0] + halves[1]
        _check(f"{year}", disputes.counts(cases[year]))
        docs[year] = documents.year_documents(rng, year)
        _check(f"{year}", documents.counts(docs[year]))
        for h, months in ((1, range(1, 7)), (2, range(7, 13))):
            _check(f"{year}H{h}", documents.counts(d for d in docs[year] if d.issued.month in months))
        attendance[year] = training.year_attendance(rng, cast, year)
        _check(f"{year}", training.counts(cast, year, attendance[year]))

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Dict order is the order the workbooks draw from ``rng``: keep it.
    books: dict[str, Workbook] = {
        DISPUTES_FILE: disputes.ledger_workbook(rng, cases),
        DISPUTE_SUMMARY_FILE: disputes.summary_workbook(),
        DOCUMENTS_FILE: documents.ledger_workbook(rng, docs),
        DOCUMENT_SUMMARY_FILE: documents.summary_workbook(),
        TRAINING_FILE: training.ledger_workbook(rng, attendance),
        ROSTER_FILE: roster.ledger_workbook(rng, cast),
        **registers(attendance),
    }
    paths = []
    for name, wb in books.items():
        path = out_dir / name
        save(wb, path)
        paths.append(path)
    return paths
