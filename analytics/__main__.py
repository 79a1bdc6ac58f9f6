"""Command line: ``python -m analytics scorecard --period 2020 [--town 珠龙镇] --json``;
``python -m analytics sql "SELECT ..." [--db PATH]`` (guarded read query, CSV on stdout, every field
made safe by ``analytics.present.safe``); ``python -m analytics brief --period 2020 -o brief.pdf`` (the
one-page A4 brief, ``analytics.brief``); ``report`` and the user commands."""

from __future__ import annotations

import argparse
import json
import sys

from analytics import access, db
from analytics.access import audit
from analytics.access import cli as access_cli
from analytics.present import fmt
from analytics.semantic import periods
from analytics.semantic.catalogue import METRICS
from analytics.semantic.scorecard import scorecard


def _format(metric_unit: str, value: float | None) -> str:
    if value is None:
        return "无数据"
    if metric_unit == "rate":
        return fmt.percent(value)
    return f"{value:g}"


def _scorecard(args: argparse.Namespace) -> int:
    try:
        period = periods.parse(args.period)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    cur = db.reader(args.db).cursor()
    card = scorecard(cur, period, args.town, args.lang)
    if args.json:
        print(json.dumps(card, ensure_ascii=False, indent=2))
        return 0
    print(f"{card['period']['label']}（对比 {card['compare_period']['label']}）{args.town or '全部乡镇'}")
    for metric in METRICS:
        row = card["metrics"][metric.id]
        print(
            f"  {row['label']:<16} {_format(metric.unit, row['value']):>10}  上年 {_format(metric.unit, row['previous']):>10}  {row['status'] or ''}"
        )
    return 0


def _sql(args: argparse.Namespace) -> int:
    """Run one guarded read query and print CSV; a refusal goes to stderr in plain Chinese.

    Personal fields are masked unless ``--unmask``; the run is in the audit log."""
    from analytics.adhoc import sqlguard

    try:
        frame = sqlguard.run(args.query, args.db, timeout=args.timeout, row_limit=args.limit)
    except sqlguard.SqlError as exc:
        audit.record("sql", {"sql": args.query, "error": str(exc), "unmask": args.unmask}, warehouse=args.db)
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    audit.record("sql", {"sql": args.query, "rows": len(frame), "unmask": args.unmask}, warehouse=args.db)
    from analytics.present import safe

    safe.write_csv(frame, sys.stdout)
    limit = frame.attrs["row_limit"]
    if frame.attrs.get("truncated") and frame.attrs.get("cells_limited"):
        print(
            f"注意：结果有 {len(frame.columns)} 列，每次最多返回 {sqlguard.MAX_RESULT_CELLS:,} 个单元格，"
            f"只输出了前 {limit} 行",
            file=sys.stderr,
        )
    elif frame.attrs.get("truncated"):
        print(f"注意：结果超过 {limit} 行，只输出了前 {limit} 行", file=sys.stderr)
    if frame.attrs.get("cut_cells"):
        print(
            f"注意：有 {frame.attrs['cut_cells']} 个单元格（列表、结构或二进制值，已转为文字）超过 "
            f"{sqlguard.MAX_CELL_CHARS} 字，只输出了前 {sqlguard.MAX_CELL_CHARS} 字（以“…”结尾）",
            file=sys.stderr,
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="法治政府建设看板：指标与报告")
    parser.add_argument("--db", help="DuckDB 文件（默认 DASHBOARD_DB 或 data/warehouse.duckdb）")
    commands = parser.add_subparsers(dest="command", required=True)
    card = commands.add_parser("scorecard", help="某期间的全部指标（同比、目标、达标情况）")
    card.add_argument("--period", required=True, help="2020、2020H1 或 2020Q1")
    card.add_argument("--town", help="乡镇；缺省为全部乡镇")
    card.add_argument("--json", action="store_true", help="输出 JSON")
    card.add_argument("--lang", choices=("zh", "en"), default="zh")
    card.add_argument("--db", dest="db", default=argparse.SUPPRESS)
    card.set_defaults(run=_scorecard)
    sql = commands.add_parser("sql", help="执行一条只读查询（SELECT），以 CSV 输出")
    sql.add_argument("query", help='查询语句，例如 "SELECT category, count(*) FROM v_disputes GROUP BY 1"')
    sql.add_argument("--timeout", type=float, default=10.0, help="时间上限（秒），默认 10")
    sql.add_argument("--limit", type=int, default=10_000, help="最多输出的行数，默认 10000")
    sql.add_argument("--unmask", action="store_true", help="显示个人信息（姓名、证件号等），记入审计日志")
    sql.add_argument("--db", dest="db", default=argparse.SUPPRESS)
    sql.set_defaults(run=_sql)
    access_cli.add_parsers(commands)
    from analytics.report import cli as report_cli

    report_cli.add_parser(commands)
    from analytics.brief import cli as brief_cli

    brief_cli.add_parser(commands)
    args = parser.parse_args(argv)
    who = access_cli.operator().with_unmask(bool(getattr(args, "unmask", False)))
    with access.acting(who):
        return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
