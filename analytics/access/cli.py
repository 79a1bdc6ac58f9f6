"""``python -m analytics users add|passwd|role|remove|list|init`` and ``python -m analytics audit``.

Whoever runs these commands is the machine's operator (they can read the database files anyway):
they act as an admin, named ``cli:<os user>`` in the audit log. A change of a user takes effect in their
open sessions at their next click (``store.signed_in``): removed or re-passworded, they are signed out. Passwords are read with
``getpass`` (asked twice) or, for scripts, one line from standard input (``--password-stdin``);
never from the command line, where other users of the machine could see them.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import socket
import sys

from analytics.access import ROLES, AccessDenied, Principal, audit, manage, store


def operator() -> Principal:
    """The person at the command line."""
    user = getpass.getuser()
    return Principal(f"cli:{user}", "admin", None, f"cli:{user}@{socket.gethostname()}")


def _towns(text: str | None) -> list[str] | None:
    """Every town (None) only when --towns is left out or says * / 全部: an empty value (an unset shell
    variable) or one naming no town is refused, never read as every town."""
    if text is None or text.strip() in ("*", "全部"):
        return None
    towns = [t.strip() for t in text.replace("，", ",").replace("、", ",").split(",") if t.strip()]
    if not towns:
        raise store.UserError(f"--towns「{text}」没有写任何乡镇；全部乡镇请写 --towns '*' 或不写 --towns")
    return towns


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码：")
    if first != getpass.getpass("再输入一次：") or not first:
        raise store.UserError("两次输入的密码不一致")
    return first


def _run(args: argparse.Namespace) -> int:
    who = operator()
    try:
        if args.action == "add":
            towns = _towns(args.towns)
            manage.add(who, args.name, _password(args), args.role, towns, args.db)
            audit.record("user_add", {"name": args.name, "role": args.role, "towns": towns}, who=who, warehouse=args.db)
            print(
                f"已添加用户 {args.name}（{args.role}，{'、'.join(towns) if towns else '全部乡镇'}）{_town_admin(args.role, towns)}"
            )
        elif args.action == "passwd":
            manage.set_password(who, args.name, _password(args), args.db)
            audit.record("user_password", {"name": args.name}, who=who, warehouse=args.db)
            print(f"已修改 {args.name} 的密码（用旧密码登录的会话在下一次操作时退出）")
        elif args.action == "role":
            towns = _towns(args.towns)
            manage.set_role(who, args.name, args.role, towns, args.db)
            audit.record(
                "user_role", {"name": args.name, "role": args.role, "towns": towns}, who=who, warehouse=args.db
            )
            print(
                f"已将 {args.name} 设为 {args.role}（{'、'.join(towns) if towns else '全部乡镇'}；已登录的会话下一次操作时生效）"
                + _town_admin(args.role, towns)
            )
        elif args.action == "remove":
            manage.remove(who, args.name, args.db)
            audit.record("user_remove", {"name": args.name}, who=who, warehouse=args.db)
            print(f"已删除用户 {args.name}（已登录的会话在下一次操作时退出）")
        elif args.action == "init":
            return _init(args, who)
        else:
            for user in store.users(args.db):
                listed = "、".join(user.towns) if user.towns is not None else "全部乡镇"
                print(f"{user.name}	{user.role}	{listed}	{user.updated_at}")
    except (store.UserError, AccessDenied) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


def _town_admin(role: str, towns: list[str] | None) -> str:
    """What an admin limited to towns may do, said when one is made (``analytics.access.manage``)."""
    if role != "admin" or towns is None:
        return ""
    listed = "、".join(towns)
    return f"\n该管理员只能管理乡镇都在{listed}之内的账号，只看到这些账号的审计日志"


def _init(args: argparse.Namespace, who: Principal) -> int:
    """First run: when there is no user, add ``admin`` with a random password and print it once."""
    if store.has_users(args.db):
        return 0
    password = secrets.token_urlsafe(12)
    store.add("admin", password, "admin", None, args.db)
    audit.record("user_add", {"name": "admin", "role": "admin", "first_run": True}, who=who, warehouse=args.db)
    print(f"首次运行：已创建管理员账号 admin，密码 {password}（只显示这一次；登录后可用 users passwd admin 修改）")
    return 0


def _audit(args: argparse.Namespace) -> int:
    frame = manage.audit_entries(operator(), args.limit, args.user, args.action, args.db)
    from analytics.present import safe

    safe.write_csv(frame, sys.stdout)
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    users = commands.add_parser("users", help="用户和角色：add、passwd、role、remove、list、init")
    users.add_argument("--db", dest="db", default=argparse.SUPPRESS)
    actions = users.add_subparsers(dest="action", required=True)
    for name, text in (("add", "添加用户"), ("role", "修改角色和乡镇")):
        sub = actions.add_parser(name, help=text)
        sub.add_argument("name")
        sub.add_argument("--role", choices=ROLES, required=True, help="viewer 查看、staff 经办、admin 管理员")
        sub.add_argument("--towns", help="可查看和导入的乡镇，逗号分隔；不写或写 * 为全部乡镇（县级用户）；空值拒绝")
        if name == "add":
            sub.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码")
    passwd = actions.add_parser("passwd", help="修改密码")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码")
    actions.add_parser("remove", help="删除用户").add_argument("name")
    actions.add_parser("list", help="列出用户")
    actions.add_parser("init", help="没有任何用户时创建 admin 并显示一次随机密码")
    users.set_defaults(run=_run)
    log = commands.add_parser("audit", help="审计日志（CSV，最新的在前）")
    log.add_argument("--limit", type=int, default=1000)
    log.add_argument("--user")
    log.add_argument("--action")
    log.add_argument("--db", dest="db", default=argparse.SUPPRESS)
    log.set_defaults(run=_audit)
