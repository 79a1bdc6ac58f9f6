"""Warehouses at three scales, generated straight into DuckDB files with SQL (no workbooks).

Each town gets one active load per dataset, so the ``v_*`` views (which join ``active_loads``)
see every row. Ten years of data, 2016-2025:

- town:     1 town,      ≈ 6,000 disputes
- county:   20 towns,    ≈ 200,000 disputes
- province: 1,500 towns, ≈ 10,000,000 disputes

Documents (≈ 20 a year per town), training attendance (≈ half as many rows as disputes) and a
roster of ≈ 30 enforcement officers per town scale with the towns; the monthly aggregates
(``analytics.semantic.aggregates``) are built from them as a load would. Files are cached under the
temp dir by scale and schema hash, so repeated runs don't regenerate them (``fresh=True`` does).
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.db import SCHEMA, ensure_schema
from analytics.semantic import aggregates

FIRST_YEAR, YEARS = 2016, 10
DAYS = 3653  # 2016-01-01 .. 2025-12-31


@dataclass(frozen=True)
class Scale:
    name: str
    towns: int
    disputes: int

    @property
    def documents(self) -> int:
        return self.towns * 20 * YEARS

    @property
    def training(self) -> int:
        return self.disputes // 2

    @property
    def staff(self) -> int:
        return self.towns * 30


SCALES = {
    "town": Scale("town", 1, 6_000),
    "county": Scale("county", 20, 200_000),
    "province": Scale("province", 1_500, 10_000_000),
}

GENERATOR_VERSION = "3"  # bump when populate() changes, so cached files are rebuilt
CACHE = Path(tempfile.gettempdir()) / "dashboard-bench"
CATEGORIES = [
    "婚姻家庭",
    "邻里",
    "房屋宅基地",
    "合同",
    "生产经营",
    "损害赔偿",
    "山林土地",
    "征地拆迁",
    "环境污染",
    "劳动争议",
    "医疗",
    "道路交通事故",
    "物业",
    "村务管理",
    "其他",
]
KINDS = ["会前学法", "中心组学法", "依法行政专题学习会", "专题讲座", "执法培训", "调解员培训", "线上学法"]


def _list(items: list[str]) -> str:
    return "[" + ", ".join(f"'{x}'" for x in items) + "]"


def _town(expr: str) -> str:
    """Town name of town number ``expr`` (0-based): 第0001镇 ..."""
    return f"printf('第%04d镇', {expr})"


def _hash(expr: str, salt: int) -> str:
    """A deterministic pseudo-random integer in [0, 2^31) from a row number."""
    return f"(hash({expr} * 7919 + {salt}) % 2147483647)::BIGINT"


def populate(con: duckdb.DuckDBPyConnection, scale: Scale) -> None:
    """Fill an empty warehouse with a scale's rows (loads first, so the views see them)."""
    con.execute("SET enable_progress_bar = false")
    ensure_schema(con)
    t = scale.towns
    # Loads: one per town and dataset; ids town*4 + {1 disputes, 2 documents, 3 training, 4 staff}.
    con.execute(f"""
        INSERT INTO loads
        SELECT k.id, printf('%s_%s.xlsx', {_town("i")}, k.ds), md5(k.id::VARCHAR), 1000000,
               TIMESTAMP '2026-01-10 09:00', 'bench', 'active', NULL, 0, 0, 0
        FROM range({t}) r(i), LATERAL (SELECT i * 4 + d AS id, ['disputes','documents','training','staff'][d] AS ds
                                        FROM range(1, 5) s(d)) k""")
    con.execute(f"""
        INSERT INTO load_sheets BY NAME
        SELECT i * 4 + d AS load_id, 'Sheet1' AS sheet, ['disputes','documents','training','staff'][d] AS dataset,
               {_town("i")} AS town, '{{}}' AS header_map, 0 AS rows_loaded, 0 AS rows_rejected, 0 AS warnings,
               DATE '{FIRST_YEAR}-01-01' AS first_date, DATE '{FIRST_YEAR + YEARS - 1}-12-31' AS last_date
        FROM range({t}) r(i), range(1, 5) s(d)""")
    h = lambda salt: _hash("i", salt)  # noqa: E731
    con.execute(f"""
        INSERT INTO disputes
        SELECT (i % {t}) * 4 + 1, {_town(f"i % {t}")}, printf('%s_disputes.xlsx', {_town(f"i % {t}")}), 'Sheet1',
               (i // {t}) + 3,
               DATE '{FIRST_YEAR}-01-01' + ({h(1)} % {DAYS})::INT,
               printf('%s村', ['东风','红星','石门','桃源','新田','珠龙','白沙','清水','青山','长岭','高桥','龙泉','三江','和平','向阳'][{h(2)} % 15 + 1]),
               NULL,
               {_list(CATEGORIES)}[{h(3)} % 15 + 1], NULL,
               CASE WHEN {h(4)} % 100 < 28 THEN 'written' ELSE 'oral' END,
               {h(5)} % 200 = 0,
               CASE WHEN {h(6)} % 1000 < 975 THEN 'success' WHEN {h(6)} % 1000 < 990 THEN 'failed' ELSE 'pending' END,
               NULL, {h(7)} % 5000 = 0, {h(6)} % 1000 BETWEEN 975 AND 985,
               printf('（%d）调字第%d号', {FIRST_YEAR} + ({h(1)} % {DAYS}) // 366, i // {t} + 1),
               '王某某、李某某', '张调解员', '邻里间因排水问题发生纠纷，经调解达成协议',
               ({h(8)} % 50000)::DOUBLE, ({h(9)} % 6 + 2)::INTEGER,
               DATE '{FIRST_YEAR}-01-01' + ({h(1)} % {DAYS} + {h(10)} % 30)::INT, NULL, NULL, NULL
        FROM range({scale.disputes}) r(i)""")
    con.execute(f"""
        INSERT INTO documents (load_id, town, source_file, sheet, excel_row, doc_no, title, issued_date,
                               reviewed, published, filed, filed_date, filing_days, filing_working_days, status)
        SELECT (i % {t}) * 4 + 2, {_town(f"i % {t}")}, 'documents.xlsx', 'Sheet1', (i // {t}) + 3,
               printf('镇政发〔%d〕%d号', {FIRST_YEAR} + (i // {t}) // 20, (i // {t}) % 20 + 1),
               printf('关于加强第%d项工作的通知', i // {t} + 1),
               DATE '{FIRST_YEAR}-01-01' + (((i // {t}) // 20) * 365.25 + ((i // {t}) % 20) * 18)::INT,
               {h(11)} % 100 < 98, {h(12)} % 100 < 97, {h(13)} % 100 < 96,
               CASE WHEN {h(13)} % 100 < 96 THEN DATE '{FIRST_YEAR}-01-01' + (((i // {t}) // 20) * 365.25 + ((i // {t}) % 20) * 18 + {h(14)} % 40)::INT END,
               CASE WHEN {h(13)} % 100 < 96 THEN ({h(14)} % 40)::INT END,
               CASE WHEN {h(13)} % 100 < 96 THEN ({h(14)} % 40 * 5 // 7)::INT END,
               '有效'
        FROM range({scale.documents}) r(i)""")
    # Staff: 30 per town, 25 of them enforcement officers with a certificate.
    con.execute(f"""
        INSERT INTO staff (load_id, town, source_file, sheet, excel_row, roster_year, name, unit, is_enforcement,
                           cert_no, cert_valid_until, on_duty)
        SELECT (i % {t}) * 4 + 4, {_town(f"i % {t}")}, 'staff.xlsx', 'Sheet1', (i // {t}) + 3, NULL,
               printf('职工%02d', i // {t}), '综合行政执法队', (i // {t}) < 25,
               CASE WHEN (i // {t}) < 25 THEN printf('E%06d', i) END,
               CASE WHEN (i // {t}) < 25 THEN DATE '2024-01-01' + ({h(15)} % 1400)::INT END, true
        FROM range({scale.staff}) r(i)""")
    # Training: attendance rows, one person at one session; sessions every ~2 weeks per town.
    per_town = scale.training // t
    con.execute(f"""
        INSERT INTO training (load_id, town, source_file, sheet, excel_row, session_date, topic, kind, hours, name,
                              unit, is_enforcement)
        SELECT (i % {t}) * 4 + 3, {_town(f"i % {t}")}, 'training.xlsx', 'Sheet1', (i // {t}) + 3,
               DATE '{FIRST_YEAR}-01-01' + (((i // {t}) // 12) * {DAYS} // {max(per_town // 12, 1)})::INT,
               printf('专题%d', (i // {t}) // 12), {_list(KINDS)}[((i // {t}) // 12) % 7 + 1],
               3.0, printf('职工%02d', ({h(16)} % 30)), '综合行政执法队', ({h(16)} % 30) < 25
        FROM range({t * per_town}) r(i)""")
    # The monthly aggregates, as etl.load.store keeps them for real loads.
    aggregates.refresh(con)


def cache_path(scale: Scale) -> Path:
    digest = hashlib.sha1(SCHEMA.read_bytes() + GENERATOR_VERSION.encode()).hexdigest()[:10]
    return CACHE / f"{scale.name}-{digest}.duckdb"


def build(scale: Scale, fresh: bool = False) -> tuple[Path, float | None]:
    """The scale's warehouse file and the seconds it took to build (None when cached)."""
    path = cache_path(scale)
    if path.exists() and not fresh:
        return path, None
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp")
    scratch.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(scratch))
    try:
        populate(con, scale)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    scratch.replace(path)
    return path, time.perf_counter() - started


def counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: int(con.execute(f"SELECT count(*) FROM v_{t}").fetchone()[0])  # type: ignore[index]
            for t in ("disputes", "documents", "training", "staff")
        }
    finally:
        con.close()
