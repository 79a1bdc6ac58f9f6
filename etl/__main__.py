"""Command line: ``python -m etl load|check|rejects|history|undo|redo|sample``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from etl.errors import FileError

if TYPE_CHECKING:
    from analytics.access import Principal


# Characters a terminal acts on rather than shows: direction overrides and isolates (the rest of the line
# would read backwards) and the 8-bit controls (U+009B starts a terminal command). Printed as \u202e.
_TERMINAL = re.compile(r"[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _shown(text: object) -> str:
    """``text`` as the terminal should print it: what it would act on, written out as ``\\uXXXX``."""
    return _TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", str(text))


def _line(*fields: object) -> str:
    """One tab-separated line, each field on one line and safe in a spreadsheet: this output is
    often saved as a .csv or .tsv and opened in Excel, where a ledger's "=HYPERLINK(…)" would run."""
    from analytics.present import safe

    return "\t".join(safe.text(_shown(" ".join(str(f).replace("\t", " ").splitlines()))) for f in fields)


def _print_report(report: object) -> None:
    from etl.datasets import DATASETS
    from etl.load import LoadReport
    from etl.parse import town_shown

    assert isinstance(report, LoadReport)
    status = {
        "loaded": f"已导入（导入编号 {report.load_id}）",
        "unchanged": "内容未变化，未重复导入",
        "checked": "检查完成，未写入",
    }
    print(f"{_shown(report.file)}：{status[report.status]}")
    if report.replaced:
        print(f"  替换了此前的版本：导入编号 {', '.join(map(str, report.replaced))}")
    for s in report.sheets:
        print(
            f"  工作表「{_shown(s.sheet)}」 {DATASETS[s.dataset].name if s.dataset in DATASETS else s.dataset} {town_shown(s.town, s.town_source, s.towns)}：导入 {s.rows} 行，拒收 {s.rejected} 行，警告 {s.warnings} 条"
        )
        for line in s.details:
            print(f"    {_shown(line)}")
    for sheet, reason in report.skipped:
        print(f"  工作表「{_shown(sheet)}」未导入：{_shown(reason)}")


def _operator() -> Principal:
    """Who runs the command line: the machine's operator, an admin of every town (see README)."""
    from analytics.access.cli import operator

    return operator()


def _record(action: str, detail: dict[str, object], args: argparse.Namespace) -> None:
    """The audit log's entry for a load, undo or redo made here (imported only when one is made)."""
    from analytics.access import audit

    audit.record(action, detail, who=_operator(), warehouse=args.db)


def _load(args: argparse.Namespace, write: bool) -> int:
    from etl.load import load_file, report_of
    from etl.parse import parse_file
    from etl.replacing import ReplaceNotConfirmed

    if args.town is not None:
        from etl.names import check_town

        try:
            args.town = check_town(args.town)
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
    failed = 0
    for name in args.files:
        try:
            if write:
                report = load_file(name, args.db, town=args.town, confirmed=args.replace, loaded_by=_operator().name)
                _record("load", {"file": report.file, "load_id": report.load_id, "status": report.status,
                                 "rows": report.rows, "rejected": report.rejected, "replaced": report.replaced}, args)  # fmt: skip
            else:
                report = report_of(parse_file(Path(name), town=args.town))
        except FileError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            failed += 1
            continue
        except ReplaceNotConfirmed as exc:
            print(f"未导入「{Path(name).name}」：{exc}。确认要替换，请加 --replace 再导入一次。", file=sys.stderr)
            failed += 1
            continue
        _print_report(report)
        if write and report.status == "loaded" and report.load_id is not None:
            _print_duplicates(report.load_id, args.db)
    return 1 if failed else 0


def _print_duplicates(load_id: int, db_file: str | None) -> None:
    from etl.datasets import DATASETS
    from etl.load import duplicate_rows

    for dataset, count in duplicate_rows(load_id, db_file).items():
        print(
            f"  注意：{DATASETS[dataset].name}有 {count} 行与其他文件已导入的记录相同，可能重复计数，请核对（可用 undo 撤销本次导入）"
        )


def _rejects(args: argparse.Namespace) -> int:
    from etl.load import rejects, warnings, where

    frame = rejects(args.load, args.db)
    if frame.empty:
        print("没有被拒收的行")
    for row in frame.itertuples():
        print(
            _line(row.source_file, row.sheet, where(row.excel_row), row.column_name or "", row.value or "", row.reason)
        )
    notes = warnings(args.load, args.db)
    if not notes.empty:
        print(f"警告 {len(notes)} 条（已导入，但请核对）：")
    for row in notes.itertuples():
        print(
            _line(row.source_file, row.sheet, where(row.excel_row), row.column_name or "", row.value or "", row.message)
        )
    return 0


def _history(args: argparse.Namespace) -> int:
    from etl.load import history

    frame = history(args.db)
    if frame.empty:
        print("还没有导入记录")
    status = {"active": "生效", "replaced": "已被替换", "undone": "已撤销"}
    for row in frame.itertuples():
        print(
            _line(row.load_id, row.loaded_at, row.file_name, status.get(row.status, row.status), row.datasets or "",
                  row.towns or "", f"{row.rows_loaded}行", f"拒收{row.rows_rejected}行")
        )  # fmt: skip
    return 0


def _change(args: argparse.Namespace) -> int:
    """``undo N`` or ``redo N``: atomic, in the history and the audit log."""
    from etl import load

    action = args.command
    try:
        others = getattr(load, action)(args.load_id, args.db, actor=_operator().name)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    _record(action, {"load_id": args.load_id, "others": others}, args)
    done, follows = {"undo": ("已撤销", "恢复了"), "redo": ("已重做", "再次替换了")}[action]
    print(f"{done}导入 {args.load_id}" + (f"，{follows}导入 {', '.join(map(str, others))}" if others else ""))
    return 0


def _sample(args: argparse.Namespace) -> int:
    from sample import generate

    for path in generate():
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="导入矛盾纠纷、规范性文件、学法培训台账")
    parser.add_argument("--db", help="DuckDB 文件（默认 DASHBOARD_DB 或 data/warehouse.duckdb）")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, helptext in (("load", "导入文件"), ("check", "只检查，不写入")):
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("files", nargs="+")
        sub.add_argument("--town", help="表中没有乡镇列、标题也没写乡镇时使用的乡镇")
        if name == "load":
            sub.add_argument(
                "--replace", "--yes", action="store_true",
                help="确认替换：同名文件的新版本比旧版本少一半以上的行、或缺少旧版本有的年份时，不加此项不导入",
            )  # fmt: skip
        sub.set_defaults(run=lambda a, write=(name == "load"): _load(a, write))
    sub = commands.add_parser("rejects", help="列出被拒收的行")
    sub.add_argument("--load", type=int, help="导入编号；缺省为全部生效的导入")
    sub.set_defaults(run=_rejects)
    commands.add_parser("history", help="导入历史").set_defaults(run=_history)
    sub = commands.add_parser("undo", help="撤销一次导入（恢复被它替换的版本）")
    sub.add_argument("load_id", type=int)
    sub.set_defaults(run=_change)
    sub = commands.add_parser("redo", help="重做一次已撤销的导入（再次替换同名文件的旧版本）")
    sub.add_argument("load_id", type=int)
    sub.set_defaults(run=_change)
    commands.add_parser("sample", help="重新生成示例台账 data/sample/*.xlsx").set_defaults(run=_sample)
    for sub in commands.choices.values():
        sub.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
