"""A small warehouse built by code, for tests that need figures without going through the ETL.

2019: 500 disputes, 480 success / 20 failed (96.0%). 2020: 560 disputes, 156 written, 404 oral,
3 joint, 552 success / 8 failed (98.6%), all documents reviewed, published and filed in time,
two enforcement officers with 55 study hours each. 2017 comes from a summary sheet.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.db import ensure_schema
from analytics.semantic import aggregates

DISPUTE_COLUMNS = "load_id, town, source_file, sheet, excel_row, received_date, village, category, agreement_form, joint, outcome, escalated, referred, parties"


def populate(con: duckdb.DuckDBPyConnection) -> None:
    ensure_schema(con)
    con.execute(
        "INSERT INTO loads VALUES (1, 'fixture.xlsx', 'x', 1, TIMESTAMP '2021-01-05 09:00', 'test', 'active', NULL, 0, 0, 0)"
    )
    villages = "['珠龙村', '石门村', '桃源村', '新田村'][i % 4 + 1]"
    categories = "['婚姻家庭', '邻里', '房屋宅基地', '山林土地', '合同'][i % 5 + 1]"
    con.execute(f"""INSERT INTO disputes ({DISPUTE_COLUMNS})
        SELECT 1, '珠龙镇', 'fixture.xlsx', '2020年', i + 4, DATE '2020-01-01' + (i * 366 // 560)::INT,
               {villages}, {categories}, CASE WHEN i % 560 < 156 THEN 'written' ELSE 'oral' END, i < 3,
               CASE WHEN i % 70 = 5 THEN 'failed' ELSE 'success' END, false, i % 70 = 5, '王某某、李某某'
        FROM range(560) t(i)""")
    con.execute(f"""INSERT INTO disputes ({DISPUTE_COLUMNS})
        SELECT 1, '珠龙镇', 'fixture.xlsx', '2019年', i + 4, DATE '2019-01-01' + (i * 365 // 500)::INT,
               {villages}, {categories}, CASE WHEN i < 130 THEN 'written' ELSE 'oral' END, false,
               CASE WHEN i % 25 = 7 THEN 'failed' ELSE 'success' END, false, false, '张某某、赵某某'
        FROM range(500) t(i)""")
    con.execute("""INSERT INTO dispute_summaries VALUES
        (1, '珠龙镇', 'fixture.xlsx', '汇总', 4, '2017', DATE '2017-01-01', DATE '2018-01-01', 455, 110, 345, 2, 434, 0.954, NULL, NULL)""")
    con.execute("""INSERT INTO documents (load_id, town, source_file, sheet, excel_row, doc_no, title, issued_date,
                   reviewed, published, filed, filed_date, filing_days, filing_working_days)
        SELECT 1, '珠龙镇', 'fixture.xlsx', '文件', i + 4, '珠政〔2020〕' || i || '号', '文件' || i,
               DATE '2020-02-01' + (i * 30)::INT, true, true, true, DATE '2020-02-11' + (i * 30)::INT, 10, 7
        FROM range(8) t(i)""")
    con.execute("""INSERT INTO staff (load_id, town, source_file, sheet, excel_row, roster_year, name, unit,
                   is_enforcement, cert_no, cert_valid_until, on_duty) VALUES
        (1, '珠龙镇', 'fixture.xlsx', '名册', 4, 2020, '张三', '综合执法队', true, 'A001', DATE '2023-06-30', true),
        (1, '珠龙镇', 'fixture.xlsx', '名册', 5, 2020, '李四', '综合执法队', true, 'A002', DATE '2023-06-30', true),
        (1, '珠龙镇', 'fixture.xlsx', '名册', 6, 2020, '王五', '党政办', false, NULL, NULL, true)""")
    con.execute("""INSERT INTO training (load_id, town, source_file, sheet, excel_row, session_date, topic, kind,
                   hours, name, unit, is_enforcement) VALUES
        (1, '珠龙镇', 'fixture.xlsx', '培训', 4, DATE '2020-03-10', '宪法', '依法行政专题学习会', 30, '张三', '综合执法队', true),
        (1, '珠龙镇', 'fixture.xlsx', '培训', 5, DATE '2020-03-10', '宪法', '依法行政专题学习会', 30, '李四', '综合执法队', true),
        (1, '珠龙镇', 'fixture.xlsx', '培训', 6, DATE '2020-09-10', '民法典', '依法行政专题学习会', 25, '张三', '综合执法队', true),
        (1, '珠龙镇', 'fixture.xlsx', '培训', 7, DATE '2020-09-10', '民法典', '依法行政专题学习会', 25, '李四', '综合执法队', true),
        (1, '珠龙镇', 'fixture.xlsx', '培训', 8, DATE '2020-05-10', '人民调解法', '调解员培训', 4, '刘调解', '石门村', false),
        (1, '珠龙镇', 'fixture.xlsx', '培训', 9, DATE '2020-11-10', '人民调解法', '调解员培训', 4, '刘调解', '石门村', false)""")
    aggregates.refresh(con)  # rows went in by SQL, not through etl.load, so build the aggregates here


def build(path: Path) -> Path:
    """Write the fixture warehouse to a DuckDB file and return its path."""
    con = duckdb.connect(str(path))
    try:
        populate(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path
