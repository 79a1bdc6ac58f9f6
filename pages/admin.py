"""系统管理 Administration (admins only): users and their roles and towns, and the audit log.

Thin: ``analytics.access.store`` keeps the users, ``analytics.access.audit`` the log, and
``analytics.access.manage`` says which of them an admin may change and read (an admin limited to towns:
the users of their towns only, and their entries in the log); every change made here is itself in the
log. The same is possible from the command line (``python -m analytics users …``, ``python -m analytics audit``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.access import ROLES, AccessDenied, manage, store
from analytics.present import safe
from pages import auth, tables
from pages.view import t


def _towns(text: str) -> list[str] | None:
    names = [n.strip() for n in text.replace("，", ",").replace("、", ",").split(",") if n.strip()]
    return names or None


def users_section() -> None:
    st.subheader(t("admin.users"))
    who = auth.principal()
    if who.towns is not None:
        st.info(t("admin.town_admin", towns=safe.markdown(t("common.list_separator").join(who.towns))))
    rows = manage.users(who)
    frame = pd.DataFrame(
        {
            t("admin.col.name"): [u.name for u in rows],
            t("admin.col.role"): [auth.role_label(u.role) for u in rows],
            t("admin.col.towns"): [
                t("common.list_separator").join(u.towns) if u.towns is not None else t("auth.all_towns") for u in rows
            ],
            t("admin.col.updated"): [u.updated_at for u in rows],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch", key="admin_users")
    with st.form("admin_user", clear_on_submit=True):
        st.markdown(f"**{t('admin.edit')}**")
        left, middle, right = st.columns(3)
        name = left.text_input(t("admin.col.name"))
        role = middle.selectbox(t("admin.col.role"), ROLES, format_func=auth.role_label, index=1)
        towns = right.text_input(t("admin.col.towns"), placeholder=t("admin.towns_placeholder"))
        password = st.text_input(t("admin.password"), type="password", help=t("admin.password_help"))
        add, change, remove = st.columns(3)
        action = None
        if add.form_submit_button(t("admin.add"), type="primary"):
            action = "add"
        if change.form_submit_button(t("admin.change")):
            action = "change"
        if remove.form_submit_button(t("admin.remove")):
            action = "remove"
    if action:
        _apply(action, name.strip(), role, _towns(towns), password)


def _apply(action: str, name: str, role: str, towns: list[str] | None, password: str) -> None:
    who = auth.principal()
    try:
        if action == "add":
            manage.add(who, name, password, role, towns)
            auth.record("user_add", {"name": name, "role": role, "towns": towns})
        elif action == "change":
            manage.set_role(who, name, role, towns, password=password or None)  # all or nothing
            detail: dict[str, object] = {"name": name, "role": role, "towns": towns}
            if password:
                detail["password"] = "changed"
            auth.record("user_role", detail)
        else:
            if name == who.name:
                raise store.UserError(t("admin.not_yourself"))
            manage.remove(who, name)
            auth.record("user_remove", {"name": name})
    except (store.UserError, AccessDenied) as exc:
        st.error(safe.markdown(exc))
        return
    st.success(t(f"admin.done.{action}", name=safe.markdown(name)))


def audit_section() -> None:
    st.subheader(t("admin.audit"))
    left, middle, right = st.columns(3)
    user = left.text_input(t("admin.col.name"), key="admin_audit_user")
    action = middle.text_input(t("admin.audit_action"), key="admin_audit_action")
    limit = right.number_input(t("admin.audit_limit"), 10, 100_000, 500, step=100, key="admin_audit_limit")
    log = manage.audit_entries(auth.principal(), int(limit), user.strip() or None, action.strip() or None)
    log = log.rename(columns={c: t(f"admin.audit.{c}") for c in log.columns})
    st.dataframe(log, hide_index=True, width="stretch", key="admin_audit")
    tables.download_buttons(log, "admin_audit", "audit_log")


def main() -> None:
    auth.require("users")
    st.title(t("nav.admin"))
    users_section()
    audit_section()


main()
