"""Sign-in and the person signed in. Not a page: ``dashboard.py`` calls ``gate()`` before routing.

Where the identity comes from, in this order:

- ``DASHBOARD_AUTH=off``: no sign-in, everyone is an admin of every town. Refused unless the server
  listens on 127.0.0.1 only; every page then carries a banner saying so (demo, tests, local tries);
- an identity provider configured in ``.streamlit/secrets.toml`` (``[auth]``, OIDC): ``st.login``;
  the signed-in e-mail must be a user of ``python -m analytics users`` (their role and towns);
- a trusted reverse-proxy header, when ``[auth] proxy_header`` is set in settings.toml (the proxy
  signs people in and the app trusts only it). Refused, like ``off``, unless the server listens on
  127.0.0.1 only: bound elsewhere, anyone reaching the port could send the header;
- otherwise the app's own users, signed in with a password (Argon2id hashes, see
  ``analytics.access.store``); five wrong passwords in 15 minutes lock the name for 15 minutes, and
  twenty from one address lock that address.

A session keeps the user's name and credential stamp only, and every run reads the user again: a
removed or re-passworded user is signed out at once, a new role or towns apply at once.
Every sign-in, failure and sign-out is in the audit log.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics import access, settings
from analytics.access import ROLE_LABELS, Principal, audit, store
from analytics.present import safe

__all__ = ["ROLE_LABELS", "OutsideRun", "Principal", "gate", "later", "principal", "record", "require", "sign_in_page"]
from pages.view import t

SESSION_KEY = "_principal"
ENDED_KEY = "_session_ended"
UNMASK_KEY = "unmask"
UNMASK_LOGGED = "_unmask_logged"
AUTH_ENV = "DASHBOARD_AUTH"
# Set by deploy/start.sh for nginx and the replicas alike (a random secret in its run folder, readable by its
# owner only): nginx sends it in PROXY_SECRET_HEADER with every request it passes on, and only a request that
# carries it is one nginx vouches for. Its X-Real-IP and the proxy sign-in header count then, and only then: any
# user of the server machine can reach a replica's port directly and send those headers, not this one.
PROXY_SECRET_ENV = "DASHBOARD_PROXY_SECRET"
PROXY_SECRET_HEADER = "X-Dashboard-Proxy"
LOCAL_ADDRESSES = frozenset({"127.0.0.1", "localhost", "::1"})
USER_MAX_CHARS = 64  # the longest user name (analytics.access.USER_NAME)
PASSWORD_MAX_CHARS = 1024


@dataclass(frozen=True)
class SignedIn:
    """What a session keeps of its sign-in: the user's name and credential stamp (``store.signed_in``)."""

    name: str
    credential: str


def mode() -> str:
    """ "off", "oidc", "proxy" or "password"."""
    if os.environ.get(AUTH_ENV, "").lower() == "off":
        return "off"
    if _oidc_configured():
        return "oidc"
    if proxy_header():
        return "proxy"
    return "password"


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False


def proxy_header() -> str | None:
    value = settings.load().get("auth", {}).get("proxy_header")
    return str(value) if value else None


def source() -> str:
    """Where the request comes from, for the audit log: the browser's address, marked 经本机代理 when
    nginx on this machine passed it on, or localhost."""
    peer = st.context.ip_address
    if peer is None:
        forwarded = _forwarded()
        return f"{forwarded}（经本机代理）" if forwarded else "localhost"
    return peer if isinstance(peer, str) else ""


def address() -> str | None:
    """The browser's address, for the sign-in limits; None for a client on this machine."""
    peer = st.context.ip_address
    return _forwarded() if peer is None else str(peer)


def vouched() -> bool:
    """The request came through nginx: it carries the secret nginx and this replica were given
    (``DASHBOARD_PROXY_SECRET``). Without that secret set, no request is."""
    secret = os.environ.get(PROXY_SECRET_ENV, "")
    sent = str(st.context.headers.get(PROXY_SECRET_HEADER) or "")
    return bool(secret) and hmac.compare_digest(sent.encode("utf-8", "replace"), secret.encode("utf-8", "replace"))


def _forwarded() -> str | None:
    """nginx's X-Real-IP, only on a request nginx vouches for (``vouched``): Streamlit gives no address
    for a client on this machine, nginx or not, and any local client could send the header."""
    if not vouched():
        return None
    forwarded = st.context.headers.get("X-Real-IP")
    return store.printable_name(str(forwarded)) if forwarded else None


def _header_text(header: str) -> str:
    """A request header as text: HTTP hands it over as Latin-1, a proxy sends 王芳 as UTF-8 bytes."""
    value = str(st.context.headers.get(header) or "")
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def local_only() -> bool:
    return str(st.get_option("server.address") or "") in LOCAL_ADDRESSES


class OutsideRun(RuntimeError):
    """The session was asked for outside a script run: a download's data, which Streamlit builds on the
    click in a worker thread with no run and no session state. Drawn from there, the sign-in form would
    land in Streamlit's one main container of the process, and every later session's page would be
    "inside a form" (nobody could sign in until a restart): such code is given the person when its
    button is drawn (``later``), and this is raised instead of drawing anything."""


def in_run() -> bool:
    """Whether this thread is running a session's script (a page, a fragment, a callback)."""
    return get_script_run_ctx(suppress_warning=True) is not None


def principal() -> Principal:
    """The person signed in in this session, as the users' file says now, made the one acting in this
    thread (one SQLite read of one row, ≈ 0.25 ms).

    A page run without the router (Streamlit's folder mode, see ``pages.view``) signs them in here,
    or stops at the sign-in form: no page reads anything as nobody in particular. Outside a script run
    there is no session to ask and nothing may be drawn: ``OutsideRun``."""
    if not in_run():
        raise OutsideRun("auth.principal() outside a script run: take the person with auth.later() when drawing")
    found = _identify()
    if found is None:
        sign_in_page()
        st.stop()
    return _acting(found)


def later() -> Callable[[], Principal]:
    """The person signed in, for code this run leaves to run later outside it (a download's data, built
    on the click in Streamlit's worker thread). Their sign-in is taken from the session now; calling the
    result, in any thread, reads them again from the users' file, as every run does (with the unmask switch
    as it was when drawn): a user removed or re-passworded since gets ``store.UserError``, not the file."""
    who = principal()
    known = st.session_state.get(SESSION_KEY)
    if not isinstance(known, SignedIn):
        return lambda: who  # DASHBOARD_AUTH=off: the demo admin, nobody to read again

    def again() -> Principal:
        found = store.signed_in(known.name, known.credential, who.source)
        if found is None:
            raise store.UserError(f"用户 {known.name} 已退出登录（账号被删除或密码已修改）")
        return found.with_unmask(who.unmask)

    return again


def _acting(found: Principal) -> Principal:
    """``found`` with the unmask switch applied, set as the one acting; switching it is logged."""
    acting = found.with_unmask(bool(st.session_state.get(UNMASK_KEY)))
    if acting.unmask != st.session_state.get(UNMASK_LOGGED, False):
        st.session_state[UNMASK_LOGGED] = acting.unmask
        audit.record("unmask" if acting.unmask else "mask", who=acting)
    access.set_current(acting)
    return acting


def gate() -> Principal | None:
    """The person signed in, made the one acting; None when they must sign in first
    (``dashboard.py`` then routes to ``sign_in_page`` only)."""
    found = _identify()
    if found is None:
        return None
    if mode() == "off":
        st.warning(t("auth.off_banner", env=AUTH_ENV), icon=":material/lock_open:")
    return _acting(found)


def _identify() -> Principal | None:
    chosen = mode()
    if chosen in ("off", "proxy") and not local_only():
        return None  # sign_in_page says why
    if chosen == "off":
        return Principal(t("auth.demo_user"), "admin", None, source() or "127.0.0.1")
    known = st.session_state.get(SESSION_KEY)
    if isinstance(known, SignedIn):
        found = store.signed_in(known.name, known.credential, source())
        if found is not None:
            return found
        _end(known)
    if chosen == "proxy":
        name = _header_text(proxy_header() or "") if vouched() else ""
        return _welcome(store.account(name, source()), name, "proxy") if name else None
    if chosen == "oidc" and st.user.is_logged_in:
        name = str(st.user.get("email") or st.user.get("name") or "")
        return _welcome(store.account(name, source()), name, "oidc")
    return None


def guard_uploads() -> None:
    """Streamlit's upload endpoint (``/_stcore/upload_file/<session>/<file>``) takes a file from any open
    session, signed in or not, and holds it in memory while the session lasts. Once per server process
    the runtime's ``is_active_session``, which that endpoint alone asks before it reads a body, answers
    yes only for a session whose person may load files now: anyone else's upload is refused (400)
    before its body is read. With ``DASHBOARD_AUTH=off`` (this machine only) every session may."""
    from streamlit.runtime import Runtime

    if not Runtime.exists() or getattr(Runtime.instance(), "_uploads_guarded", False) or mode() == "off":
        return  # once per process: every later run returns at the attribute
    runtime = Runtime.instance()
    active = runtime.is_active_session

    def may_upload(session_id: str) -> bool:
        if not active(session_id):
            return False
        found = runtime._session_mgr.get_active_session_info(session_id)
        state = found.session.session_state if found is not None else None
        known = state[SESSION_KEY] if state is not None and SESSION_KEY in state else None
        if not isinstance(known, SignedIn):
            return False
        person = store.signed_in(known.name, known.credential)
        return person is not None and person.can("load")

    runtime.is_active_session = may_upload  # type: ignore[method-assign]
    runtime._uploads_guarded = True  # type: ignore[attr-defined]


def _end(known: SignedIn) -> None:
    """The user was removed or their password changed since this session signed in: sign it out."""
    audit.record("sign_out", {"reason": "account_changed"}, who=_nobody(), user=known.name)
    _forget()
    st.session_state[ENDED_KEY] = True


def _welcome(found: store.Account | None, name: str, how: str) -> Principal | None:
    """Log a sign-in by the identity provider or proxy (once per session: the session keeps it)."""
    if found is None:
        audit.record("sign_in_failed", {"how": how}, who=_nobody(), user=name)
        return None
    audit.record("sign_in", {"how": how}, who=found.principal)
    st.session_state[SESSION_KEY] = SignedIn(name, found.credential)
    st.session_state.pop(ENDED_KEY, None)
    return found.principal


def _nobody() -> Principal:
    """Who acts while nobody is signed in: the browser, by its address."""
    return Principal("", "viewer", None, source())


def sign_in_page() -> None:
    """What someone not signed in sees: the reason, and the way to sign in."""
    chosen = mode()
    st.title(t("auth.title"))
    if st.session_state.pop(ENDED_KEY, False):
        st.warning(t("auth.session_ended"))
    if chosen == "off":
        st.error(t("auth.off_refused", env=AUTH_ENV))
    elif chosen == "proxy" and not local_only():
        st.error(t("auth.proxy_refused", header=proxy_header() or ""))
    elif chosen == "proxy" and not vouched():
        st.error(t("auth.proxy_unvouched", header=proxy_header() or "", env=PROXY_SECRET_ENV))
    elif chosen == "proxy":
        header = proxy_header() or ""
        name = _header_text(header)
        st.error(t("auth.not_a_user", name=safe.markdown(name)) if name else t("auth.no_proxy_user", header=header))
    elif chosen == "oidc":
        if st.user.is_logged_in:
            st.error(t("auth.not_a_user", name=safe.markdown(st.user.get("email") or "")))
            st.button(t("auth.sign_out"), on_click=st.logout)
        else:
            st.button(t("auth.oidc_sign_in"), on_click=st.login, type="primary")
    elif not store.has_users():
        st.info(t("auth.no_users"))
    else:
        _password_form()


# A refused sign-in's reason (store.SignInRefused) -> its message
REFUSALS = {"locked": "auth.locked", "address": "auth.address_locked", "busy": "auth.busy"}


def _password_form() -> None:
    with st.form("sign_in"):
        name = st.text_input(t("auth.user"), key="sign_in_user", max_chars=USER_MAX_CHARS)
        password = st.text_input(
            t("auth.password"), type="password", key="sign_in_password", max_chars=PASSWORD_MAX_CHARS
        )
        submitted = st.form_submit_button(t("auth.sign_in"), type="primary")
    if not submitted:
        return
    name = name.strip()
    nobody = _nobody()
    try:
        found = store.sign_in(name, password, nobody.source, address())
    except store.SignInRefused as refused:
        audit.record("sign_in_refused", {"reason": refused.reason}, who=nobody, user=name)
        st.error(t(REFUSALS[refused.reason], minutes=store.LOCKOUT_MINUTES))
        return
    if found is None:
        audit.record("sign_in_failed", {"how": "password"}, who=nobody, user=name)
        st.error(t("auth.wrong"))
        return
    audit.record("sign_in", {"how": "password"}, who=found.principal)
    st.session_state[SESSION_KEY] = SignedIn(name, found.credential)
    st.rerun()


def _forget() -> None:
    for key in (SESSION_KEY, UNMASK_KEY, UNMASK_LOGGED):
        st.session_state.pop(key, None)


def sign_out() -> None:
    found = st.session_state.get(SESSION_KEY)
    if isinstance(found, SignedIn):
        now = store.signed_in(found.name, found.credential, source())
        audit.record("sign_out", who=now or _nobody(), user=None if now else found.name)
    _forget()
    if mode() == "oidc":
        st.logout()


def role_label(role: str) -> str:
    """查看 / 经办 / 管理员 in the user's language (``auth.role.*``)."""
    return t(f"auth.role.{role}")


def sidebar_box(who: Principal) -> None:
    """Who is signed in, their role and towns; sign out; an admin's switch to see personal data."""
    towns = t("common.list_separator").join(who.towns) if who.towns is not None else t("auth.all_towns")
    st.caption(
        t("auth.signed_in_as", name=safe.markdown(who.name), role=role_label(who.role), towns=safe.markdown(towns))
    )
    if who.can("unmask"):
        st.toggle(t("auth.unmask"), key=UNMASK_KEY, help=t("auth.unmask_help"))
    if mode() != "off":
        st.button(t("auth.sign_out"), key="sign_out", on_click=sign_out, icon=":material/logout:")


def require(action: str) -> Principal:
    """Stop the page with a plain message unless the person may take ``action``."""
    who = principal()
    if not who.can(action):
        st.error(t("auth.denied", role=role_label(who.role)))
        st.stop()
    return who


def record(action: str, detail: dict[str, Any] | None = None, who: Principal | None = None) -> None:
    """Append to the audit log as the person signed in (or ``who``, captured when a button was drawn)."""
    audit.record(action, detail, who=who or principal())
