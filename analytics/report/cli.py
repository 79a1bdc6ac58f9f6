"""``python -m analytics report --period 2020H2 [--town 珠龙镇] [--lang zh|en] [--date 2021-01-31]
--format docx|xlsx|md|json [-o FILE|DIR]``.

``--date`` is the report's date (落款日期), by default the last day of the month after the period
(2021-01-31 for 2020). A .docx or .xlsx without ``-o``, or with ``-o`` naming a folder, is written
under the report's own name, 珠龙镇2020年度法治政府建设情况报告.docx. A bad period or date, an unknown
town or an unwritable output path is a plain Chinese error on stderr and exit status 1; nothing
half-written is left behind (the file is written whole or not at all).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from analytics import db
from analytics.semantic import periods

FORMATS = ("docx", "xlsx", "md", "json")


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = commands.add_parser("report", help="生成报告材料（Word、Excel、Markdown 或 JSON）")
    report.add_argument("--period", required=True, help="2020、2020H1 或 2020Q1")
    report.add_argument("--town", help="乡镇；缺省为全部乡镇")
    report.add_argument("--lang", choices=("zh", "en"), default="zh")
    report.add_argument("--format", choices=FORMATS, default=None, help="缺省按输出文件的扩展名判断")
    report.add_argument("--date", help="报告落款日期，如 2021-01-31；缺省为期间结束后次月的最后一天")
    report.add_argument(
        "-o", "--output", help="输出文件或目录；docx/xlsx 缺省时以报告名称保存在当前目录，md/json 缺省时输出到屏幕"
    )
    report.add_argument("--no-charts", action="store_true", help="Word 中不插入图表（不需要浏览器，更快）")
    report.add_argument("--db", dest="db", default=argparse.SUPPRESS)
    report.set_defaults(run=run)


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 1


def _writable(path: Path) -> str | None:
    """Why ``path`` can't be written, or None."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        return f"输出路径是一个目录：{path}"
    if not parent.is_dir():
        return f"无法写入 {path}：目录 {parent} 不存在"
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"无法写入 {path}：没有写权限"
    return None


def _write_atomically(path: Path, data: bytes) -> None:
    handle, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def render(fmt: str, pack: object, con: object, charts: bool = True) -> bytes:
    """One format of a pack as bytes."""
    from analytics.report import docx, md, xlsx
    from analytics.report.pack import Pack

    assert isinstance(pack, Pack)
    if fmt == "docx":
        return docx.docx_bytes(pack, docx.pack_images(pack) if charts else None)
    if fmt == "xlsx":
        return xlsx.xlsx_bytes(pack, con)
    if fmt == "md":
        return md.to_markdown(pack).encode("utf-8")
    return md.to_json(pack).encode("utf-8")


def _report_date(text: str | None) -> date | None:
    """``--date``: an ISO date, or None for the default."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"无法识别的日期：{text}（请写成 2021-01-31）") from None


def run(args: argparse.Namespace) -> int:
    try:
        period = periods.parse(args.period)
        signed = _report_date(getattr(args, "date", None))
    except ValueError as exc:
        return _fail(str(exc))
    output = Path(args.output) if args.output and args.output != "-" else None
    folder = output if output is not None and output.is_dir() else None
    fmt = args.format or (output.suffix.lstrip(".").lower() if output and not folder else None)
    if fmt not in FORMATS:
        return _fail("请用 --format 指定 docx、xlsx、md 或 json（或使用这些扩展名的输出文件）")
    if output is None and fmt in ("docx", "xlsx"):
        folder = Path(".")  # a Word or Excel file is never written to the screen: use the report's name
    if output is not None and folder is None:
        problem = _writable(output)
        if problem:
            return _fail(problem)
    from analytics.report.pack import build_pack
    from analytics.semantic import coverage

    con = db.reader(args.db).cursor()
    try:
        towns = coverage.coverage(con).towns
        if args.town and args.town not in towns:
            known = "、".join(towns) or "（数据库中还没有数据）"
            return _fail(f"数据中没有乡镇「{args.town}」；已有：{known}")
        pack = build_pack(con, period, args.town, args.lang, report_date=signed)
        if folder is not None:
            output = folder / f"{pack.file_stem}.{fmt}"
            problem = _writable(output)
            if problem:
                return _fail(problem)
        data = render(fmt, pack, con, charts=not args.no_charts)
    finally:
        con.close()
    from analytics.access import audit

    audit.record("export", {"report": fmt, "period": period.id, "town": args.town, "file": str(output or "-")},
                 warehouse=args.db)  # fmt: skip
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    try:
        _write_atomically(output, data)
    except OSError as exc:
        return _fail(f"无法写入 {output}：{exc.strerror or exc}")
    print(f"已生成 {output}（{period.label('zh')}，{args.town or '全部乡镇'}）", file=sys.stderr)
    return 0
