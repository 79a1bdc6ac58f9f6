"""deploy/render.py fills the nginx template from the app's settings and refuses a config that would be unsafe."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics import settings
from deploy import local, render


@pytest.fixture
def use_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """``use_settings(upload_max_mb=…, proxy_header=…)``: the app's settings with those two changed."""

    def choose(upload_max_mb: int = 50, proxy_header: str = "") -> None:
        text = settings.DEFAULT_SETTINGS.read_text(encoding="utf-8")
        text = text.replace('proxy_header = ""', f'proxy_header = "{proxy_header}"')
        text = text.replace("upload_max_mb = 50", f"upload_max_mb = {upload_max_mb}")
        path = tmp_path / "settings.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("DASHBOARD_SETTINGS", str(path))
        settings.load.cache_clear()

    yield choose
    settings.load.cache_clear()


def _site(tmp_path: Path, **changes: object) -> render.Site:
    fields: dict[str, object] = {
        "ports": (8601, 8602),
        "run_dir": tmp_path / "run",
        "listen": "127.0.0.1:18443",
        "cert": tmp_path / "tls" / "selfsigned.crt",
        "key": tmp_path / "tls" / "selfsigned.key",
    }
    return render.Site(**{**fields, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(("upload_max_mb", "body"), [(50, "60m"), (10, "12m"), (1, "2m")])
def test_body_size_follows_the_upload_limit(use_settings, tmp_path: Path, upload_max_mb: int, body: str) -> None:
    use_settings(upload_max_mb=upload_max_mb)
    assert f"client_max_body_size {body};" in render.render(_site(tmp_path))


def test_every_replica_is_an_upstream_server_hashed_on_the_cookie(use_settings, tmp_path: Path) -> None:
    use_settings()
    text = render.render(_site(tmp_path, ports=(8601, 8602, 8603)))
    assert text.count("server 127.0.0.1:86") == 3
    assert "hash $affinity consistent;" in text and f"$cookie_{render.COOKIE}" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "proxy_read_timeout 86400s;" in text
    assert not re.search(r"@[A-Z_]+@", text)  # no placeholder left


def test_the_cookie_is_secure_only_with_tls(use_settings, tmp_path: Path) -> None:
    use_settings()
    assert "SameSite=Lax; Secure" in render.render(_site(tmp_path))
    plain = render.render(_site(tmp_path, cert=None, key=None))
    assert "Secure" not in plain and " ssl;" not in plain and "ssl_certificate" not in plain


def test_a_trusted_header_needs_nginx_to_sign_people_in(use_settings, tmp_path: Path) -> None:
    use_settings(proxy_header="X-Remote-User")
    with pytest.raises(ValueError, match="proxy_header"):
        render.render(_site(tmp_path))
    text = render.render(_site(tmp_path, htpasswd=tmp_path / "htpasswd"))
    assert "auth_basic_user_file" in text and "proxy_set_header X-Remote-User $remote_user;" in text


def test_nginx_sign_in_needs_the_app_to_trust_a_header(use_settings, tmp_path: Path) -> None:
    use_settings()
    with pytest.raises(ValueError, match="proxy_header"):
        render.render(_site(tmp_path, htpasswd=tmp_path / "htpasswd"))


def test_a_header_name_that_is_no_header_name_is_refused(use_settings, tmp_path: Path) -> None:
    use_settings(proxy_header="X-User; add_header")
    with pytest.raises(ValueError, match="不是合法的请求头名"):
        render.render(_site(tmp_path, htpasswd=tmp_path / "htpasswd"))


def test_the_workers_user_is_rendered_and_checked(use_settings, tmp_path: Path) -> None:
    """Started by root, the workers hold the proxy secret in memory as nobody, whom other services share."""
    use_settings()
    assert "\nuser nobody nogroup;\n" in render.render(_site(tmp_path, worker_user="nobody"))
    assert "\nuser " not in render.render(_site(tmp_path))
    with pytest.raises(ValueError, match="不是合法的用户名"):
        render.render(_site(tmp_path, worker_user="root; include /etc/passwd"))
    with pytest.raises(ValueError, match="本机没有用户"):
        render.render(_site(tmp_path, worker_user="no-such-user"))


@pytest.mark.parametrize("variant", ["tls", "tls_redirect", "plain", "proxy_sign_in", "worker_user"])
def test_nginx_accepts_every_variant(use_settings, tmp_path: Path, variant: str) -> None:
    use_settings(proxy_header="X-Remote-User" if variant == "proxy_sign_in" else "")
    subprocess.run(
        [str(render.TEMPLATE.parent / "selfsigned.sh"), str(tmp_path / "tls")], check=True, capture_output=True
    )
    (tmp_path / "htpasswd").write_text("wangfang:$apr1$x$y\n", encoding="utf-8")
    site = {
        "tls": _site(tmp_path),
        "tls_redirect": _site(tmp_path, redirect_from="127.0.0.1:18080"),
        "plain": _site(tmp_path, cert=None, key=None),
        "proxy_sign_in": _site(tmp_path, htpasswd=tmp_path / "htpasswd"),
        "worker_user": _site(tmp_path, worker_user="nobody"),
    }[variant]
    conf = render.write(site)
    checked = subprocess.run(
        [
            local.nginx_binary(),
            "-t",
            "-e",
            str(site.run_dir / "logs" / "error.log"),
            "-c",
            str(conf),
            "-p",
            str(site.run_dir),
        ],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_only_uploads_carry_a_body_and_unused_endpoints_are_closed(use_settings, tmp_path: Path) -> None:
    use_settings(upload_max_mb=10)
    text = render.render(_site(tmp_path))
    server, upload = text.split("location /_stcore/upload_file/ {")
    assert "client_max_body_size 1m;" in server and "client_max_body_size 12m;" not in server
    assert upload.split("}")[0].split() == ["client_max_body_size", "12m;", "proxy_pass", "http://dashboard;"]
    assert "location = /_stcore/metrics {\n            deny all;" in text
    assert "location ^~ /_stcore/agent/ {\n            deny all;" in text
