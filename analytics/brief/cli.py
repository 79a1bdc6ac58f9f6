"""``python -m analytics brief --period 2020 [--town 珠龙镇] [--lang en] -o brief.pdf|brief.png``.

The format follows the output's extension (or ``--format``). A bad period, an unknown town, an
unwritable path or a missing browser is a plain Chinese error on stderr and exit status 1; the file
is written whole or not at all.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics import db
from analytics.brief import FORMATS
from analytics.semantic import periods


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    brief = commands.add_parser("brief", help="生成一页 A4 简报（PDF 或 PNG）")
    brief.add_argument("--period", required=True, help="2020、2020H1 或 2020Q1")
    brief.add_argument("--town", help="乡镇；缺省为全部乡镇")
    brief.add_argument("--lang", choices=("zh", "en"), default="zh")
    brief.add_argument("--format", choices=FORMATS, default=None, help="缺省按输出文件的扩展名判断")
    brief.add_argument("-o", "--output", required=True, help="输出文件（.pdf 或 .png）")
    brief.add_argument("--db", dest="db", default=argparse.SUPPRESS)
    brief.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from analytics.brief import make_brief, render
    from analytics.report.cli import _fail, _writable, _write_atomically

    try:
        period = periods.parse(args.period)
    except ValueError as exc:
        return _fail(str(exc))
    output = Path(args.output)
    fmt = args.format or output.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        return _fail("请用 --format 指定 pdf 或 png（或使用 .pdf、.png 的输出文件）")
    problem = _writable(output)
    if problem:
        return _fail(problem)
    from analytics.semantic import coverage

    con = db.reader(args.db).cursor()
    try:
        towns = coverage.coverage(con).towns
    finally:
        con.close()
    if args.town and args.town not in towns:
        known = "、".join(towns) or "（数据库中还没有数据）"
        return _fail(f"数据中没有乡镇「{args.town}」；已有：{known}")
    try:
        data = make_brief(args.db, period, args.town, args.lang, fmt)
    except render.RenderError as exc:
        return _fail(str(exc))
    from analytics.access import audit

    audit.record("export", {"brief": fmt, "period": period.id, "town": args.town, "file": str(output)},
                 warehouse=args.db)  # fmt: skip
    try:
        _write_atomically(output, data)
    except OSError as exc:
        return _fail(f"无法写入 {output}：{exc.strerror or exc}")
    print(f"已生成 {output}（{period.label('zh')}，{args.town or '全部乡镇'}）", file=sys.stderr)
    return 0
