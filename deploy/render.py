"""Fill ``deploy/nginx.conf.template`` for N replicas on this machine and write the nginx config.

``python -m deploy.render --ports 8601,8602 --run-dir /srv/fazhi/run --listen 443 --server-name fazhi.example.gov.cn
--cert /etc/ssl/fazhi.crt --key /etc/ssl/fazhi.key [--redirect-from 80] [--htpasswd /etc/nginx/fazhi.htpasswd]``

What the template needs from the app comes from its settings (``DASHBOARD_SETTINGS`` or settings.toml):
``[limits] upload_max_mb`` sizes ``client_max_body_size``, and ``[auth] proxy_header`` names the header nginx
sets to the signed-in user when ``--htpasswd`` turns on its sign-in. ``DASHBOARD_PROXY_SECRET`` (deploy/start.sh makes
it) is sent to the replicas with every request, the mark by which they trust nginx's X-Real-IP and sign-in header;
the config holding it is written readable by its owner only. Placeholders are ``@NAME@`` (nginx's own
``$variables`` stay as they are); one left unfilled is an error, not a broken config.
"""

from __future__ import annotations

import argparse
import grp
import math
import os
import pwd
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from analytics import settings

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
COOKIE = "fazhi_replica"
# Multipart wrapping is a few hundred bytes; a fifth more keeps nginx's 413 for files well over the
# limit and lets the app refuse those just over it with its own message (50 MB -> 60m).
BODY_HEADROOM = 1.2
HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")
SECRET = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
SECRET_ENV = "DASHBOARD_PROXY_SECRET"  # pages/auth.PROXY_SECRET_ENV
USER_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Site:
    """One deployment: where nginx listens and which replicas it spreads browsers over."""

    ports: tuple[int, ...]
    run_dir: Path
    listen: str = "443"
    server_name: str = "_"
    cert: Path | None = None
    key: Path | None = None
    redirect_from: str | None = None
    htpasswd: Path | None = None
    replica_host: str = "127.0.0.1"
    # sent to the replicas in every request (pages/auth.vouched): the one mark of a request nginx passed on
    secret: str = ""
    # who nginx's workers run as when root starts it (default nobody): they hold the secret in memory, and
    # any other process of their user could read it
    worker_user: str | None = None


def body_mb() -> int:
    """``client_max_body_size`` in MB for the configured upload limit."""
    return math.ceil(settings.limit("upload_max_mb") * BODY_HEADROOM)


def proxy_header() -> str | None:
    """The header the app trusts for the signed-in user (``[auth] proxy_header``), if any."""
    value = str(settings.load().get("auth", {}).get("proxy_header") or "")
    if value and not HEADER_NAME.match(value):
        raise ValueError(f"[auth] proxy_header 「{value}」 不是合法的请求头名（只能有字母、数字和 -）")
    return value or None


def _servers(site: Site) -> str:
    # max_fails/fail_timeout: a replica that stops answering is skipped for 10 s, and its browsers are
    # hashed onto the others (they start a new session there).
    return "\n".join(f"        server {site.replica_host}:{port} max_fails=1 fail_timeout=10s;" for port in site.ports)


def _tls(site: Site) -> str:
    if site.cert is None:
        return "        # No TLS here: only behind something that terminates TLS, or on loopback for a try.\n"
    return (
        f"        ssl_certificate     {site.cert};\n"
        f"        ssl_certificate_key {site.key};\n"
        "        ssl_protocols TLSv1.2 TLSv1.3;\n"
        "        ssl_session_cache shared:fazhi_tls:10m;\n"
    )


def _redirect(site: Site) -> str:
    if site.redirect_from is None or site.cert is None:
        return ""
    return (
        "\n    server {\n"
        f"        listen {site.redirect_from};\n"
        f"        server_name {site.server_name};\n"
        "        return 301 https://$host$request_uri;\n"
        "    }\n"
    )


def _proxy_auth(site: Site) -> str:
    header = proxy_header()
    if site.htpasswd is None:
        if header:
            raise ValueError(
                f"settings 的 [auth] proxy_header = 「{header}」：看板信任这个请求头，"
                "nginx 必须登录用户并设置它（--htpasswd），否则谁都能冒充"
            )
        return "            # Sign-in is the app's own (password or OIDC); nginx sets no identity header."
    if not header:
        raise ValueError(
            "--htpasswd 需要 settings 的 [auth] proxy_header（如 X-Remote-User），看板才会信任 nginx 登录的用户"
        )
    return (
        "            # nginx signs people in (HTTP basic auth) and names them to the app in one header, set here\n"
        "            # only: proxy_set_header replaces whatever a client sent under that name, and it is empty\n"
        "            # (so not sent) when nobody signed in. [auth] proxy_header in settings.toml names it.\n"
        '            auth_basic "法治政府建设看板";\n'
        f"            auth_basic_user_file {site.htpasswd};\n"
        f"            proxy_set_header {header} $remote_user;"
    )


def _proxy_secret(site: Site) -> str:
    """The header that marks a request as nginx's: the secret, or empty, so that one a client sends is dropped."""
    if site.secret and not SECRET.match(site.secret):
        raise ValueError(f"{SECRET_ENV} 须是 32–256 个字母、数字、_ 或 -（deploy/start.sh 自动生成）")
    return f'proxy_set_header X-Dashboard-Proxy "{site.secret}";'


def _user(site: Site) -> str:
    if site.worker_user is None:
        return "# Started by root, the workers run as nobody unless NGINX_USER (deploy/start.sh) names a user."
    if not USER_NAME.match(site.worker_user):
        raise ValueError(f"NGINX_USER 「{site.worker_user}」 不是合法的用户名")
    try:  # nginx takes a group of the user's name unless told: Debian's nobody is in nogroup
        group = grp.getgrgid(pwd.getpwnam(site.worker_user).pw_gid).gr_name
    except KeyError:
        raise ValueError(f"NGINX_USER：本机没有用户 {site.worker_user}") from None
    return f"# The workers run as {site.worker_user}: no process of another service shares their user (and memory).\nuser {site.worker_user} {group};"


def render(site: Site) -> str:
    """The nginx config for ``site``, every placeholder filled."""
    if not site.ports:
        raise ValueError("至少需要一个副本端口")
    if (site.cert is None) != (site.key is None):
        raise ValueError("--cert 和 --key 要一起给")
    tls = site.cert is not None
    values = {
        "RUN_DIR": str(site.run_dir),
        "COOKIE": COOKIE,
        "SECURE": "; Secure" if tls else "",
        "SERVERS": _servers(site),
        "REDIRECT": _redirect(site),
        "LISTEN": site.listen,
        "SSL": " ssl" if tls else "",
        "SERVER_NAME": site.server_name,
        "TLS": _tls(site),
        "BODY_MB": str(body_mb()),
        "PROXY_AUTH": _proxy_auth(site),
        "PROXY_SECRET": _proxy_secret(site),
        "USER": _user(site),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = sorted(set(re.findall(r"@[A-Z_]+@", text)))
    if left:
        raise ValueError(f"模板里还有没填的占位符：{', '.join(left)}")
    return text


def write(site: Site) -> Path:
    """Write ``nginx.conf`` into the run folder with the folders nginx needs; return its path."""
    for sub in ("logs", "tmp"):
        (site.run_dir / sub).mkdir(parents=True, exist_ok=True)
    path = site.run_dir / "nginx.conf"
    text = render(site)
    path.unlink(missing_ok=True)  # written anew, readable by its owner only: it holds the secret
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as out:
        out.write(text)
    return path


def _ports(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.replace(" ", "").split(",") if p)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.render", description=__doc__.splitlines()[0])
    parser.add_argument("--ports", type=_ports, required=True, help="replica ports on 127.0.0.1, e.g. 8601,8602")
    parser.add_argument("--run-dir", type=Path, required=True, help="folder for nginx.conf, its pid, logs, temp files")
    parser.add_argument("--listen", default="443", help="nginx's listen address:port (default 443)")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--cert", type=Path, help="TLS certificate (full chain); without it nginx serves plain HTTP")
    parser.add_argument("--key", type=Path, help="TLS private key")
    parser.add_argument("--redirect-from", help="also listen here (e.g. 80) and redirect to https")
    parser.add_argument("--htpasswd", type=Path, help="nginx signs people in against this file ([auth] proxy_header)")
    parser.add_argument(
        "--worker-user", default=os.environ.get("NGINX_USER", ""), help="who the workers run as (root only)"
    )
    args = parser.parse_args(argv)
    site = Site(
        ports=args.ports,
        run_dir=args.run_dir.resolve(),
        listen=args.listen,
        server_name=args.server_name,
        cert=args.cert.resolve() if args.cert else None,
        key=args.key.resolve() if args.key else None,
        redirect_from=args.redirect_from,
        htpasswd=args.htpasswd.resolve() if args.htpasswd else None,
        secret=os.environ.get(SECRET_ENV, ""),
        worker_user=args.worker_user or None,
    )
    try:
        print(write(site))
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
