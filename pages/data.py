"""数据管理 Data: upload ledgers, preview them, map unknown columns, load, see the history, undo.

Thin: every decision lives in ``etl.preview`` (what a file would load), ``etl.load`` (the same
atomic load, history and undo as ``python -m etl``) and ``etl.templates``. A file that can't be
read shows its ``FileError`` message and changes nothing.
"""

from __future__ import annotations

import functools
import hashlib
import os
from typing import Any

import pandas as pd
import streamlit as st

from analytics import settings
from etl import load as etl_load
from etl import preview as pv
from etl.errors import FileError
from etl.parse import town_shown
from etl.templates import TEMPLATES
from pages.cache import data_version, db_path
from pages.view import context, t

# .et only to explain it can't be read; htm, html, txt, xml: what web systems export
UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "csv", "txt", "htm", "html", "xml", "ods", "et"]
PREVIEWS = "data_previews"  # session key: {(name, sha256, town, data version): FilePreview | error text}
NOTICE = "data_notice"  # session key: the last load/undo/mapping message, shown after the rerun
STATUS_KEYS = {"active": "data.status.active", "replaced": "data.status.replaced", "undone": "data.status.undone"}


def dataset_name(dataset: str) -> str:
    return t(f"data.dataset.{dataset}")


def _town_override() -> str | None:
    value = (st.session_state.get("data_town") or "").strip()
    return value or None


def _notice() -> None:
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        kind, text = notice
        getattr(st, kind)(text)


def _data_changed() -> None:
    """A load, undo or saved mapping swapped in a new database file: drop every cached result now."""
    st.cache_data.clear()
    st.session_state.pop(PREVIEWS, None)


def preview_of(name: str, data: bytes) -> pv.FilePreview | str:
    """The preview of an upload, parsed once per content, town and database version."""
    sha = hashlib.sha256(data).hexdigest()
    key = (name, sha, _town_override(), data_version())
    cache: dict[tuple[Any, ...], pv.FilePreview | str] = st.session_state.setdefault(PREVIEWS, {})
    if key not in cache:
        try:
            cache[key] = pv.preview_upload(data, name, db_path(), town=_town_override())
        except FileError as exc:
            cache[key] = str(exc)
    return cache[key]


# --- the upload tab -----------------------------------------------------------------------------


def upload_tab() -> None:
    limit_mb = settings.upload_max_bytes() // pv.MB
    left, right = st.columns([3, 1])
    with right:
        st.text_input(
            t("data.town"),
            key="data_town",
            placeholder=t("data.town_placeholder", town=settings.default_town()),
            help=t("data.town_help"),
        )
        st.text_input(t("data.operator"), key="data_operator", help=t("data.operator_help"))
    with left:
        files = st.file_uploader(
            t("data.upload"), type=UPLOAD_TYPES, accept_multiple_files=True, key="data_upload",
            help=t("data.upload_help", mb=limit_mb),
        )  # fmt: skip
        st.caption(t("data.upload_caption", mb=limit_mb))
    if not files:
        return
    previews: list[pv.FilePreview] = []
    for index, upload in enumerate(files):
        with st.container(border=True):
            st.markdown(f"#### {upload.name}")
            found = preview_of(upload.name, upload.getvalue())
            if isinstance(found, str):
                st.error(found, icon=":material/error:")
                continue
            file_preview(found, index)
            previews.append(found)
    loadable = [p for p in previews if p.loadable]
    if len(loadable) > 1 and st.button(t("data.load_all", n=len(loadable)), type="primary", key="data_load_all"):
        load(loadable)


def file_preview(preview: pv.FilePreview, index: int) -> None:
    if preview.error:
        st.error(preview.error, icon=":material/error:")
    if preview.already_loaded is not None:
        st.info(t("data.already_loaded", id=preview.already_loaded), icon=":material/check_circle:")
    if preview.replaces:
        items = "；".join(
            t("data.replace_item", id=r.load_id, time=f"{r.loaded_at:%Y-%m-%d %H:%M}" if r.loaded_at else "",
              rows=r.rows)
            for r in preview.replaces
        )  # fmt: skip
        st.warning(t("data.replaces", items=items), icon=":material/swap_horiz:")
    if preview.sheets:
        st.dataframe(sheet_table(preview), hide_index=True, width="stretch", key=f"data_sheets_{index}")
        duplicates = sum(s.duplicates for s in preview.sheets)
        if duplicates:
            st.warning(t("data.duplicates", n=duplicates), icon=":material/content_copy:")
        for sheet in preview.sheets:
            sheet_details(sheet, index)
        rejected = preview.rows_rejected
        if rejected:
            st.download_button(
                # Built on click (a callable), not on every rerun of the page
                t("data.rejects_download", n=rejected), functools.partial(pv.rejects_workbook, preview.result),
                file_name=f"{preview.file_name.rsplit('.', 1)[0]}_拒收行.xlsx", key=f"data_rejects_dl_{index}",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                icon=":material/download:", on_click="ignore",
            )  # fmt: skip
    for number, sheet in enumerate(preview.unrecognised):
        unrecognised(preview, sheet, index, number)
    if preview.loadable and st.button(
        t("data.load", rows=preview.rows_ok), type="primary", key=f"data_load_{index}", icon=":material/upload:"
    ):
        load([preview])


def sheet_table(preview: pv.FilePreview) -> pd.DataFrame:
    rows = []
    for s in preview.sheets:
        span = f"{s.first_date} – {s.last_date}" if s.first_date else "—"
        rows.append({
            t("data.col.sheet"): s.sheet, t("data.col.dataset"): dataset_name(s.dataset), t("data.col.town"): town_shown(s.town, s.town_source),
            t("data.col.period"): span, t("data.col.ok"): s.rows_ok, t("data.col.rejected"): s.rows_rejected,
            t("data.col.warned"): s.rows_warned, t("data.col.duplicates"): s.duplicates,
        })  # fmt: skip
    return pd.DataFrame(rows)


def sheet_details(sheet: pv.SheetPreview, index: int) -> None:
    label = t("data.sheet_details", sheet=sheet.sheet, dataset=dataset_name(sheet.dataset))
    with st.expander(label, expanded=sheet.rows_rejected > 0 or len(sheet.warnings) > 0):
        labels = dict(pv.field_choices(sheet.dataset))
        columns = pd.DataFrame(
            [(header, labels.get(f, f) if f else t("data.unmapped")) for header, f in sheet.columns],
            columns=[t("data.col.header"), t("data.col.field")],
        )
        st.dataframe(columns, hide_index=True, key=f"data_cols_{index}_{sheet.sheet}")
        if sheet.rows_rejected:
            st.markdown(f"**{t('data.rejects_title', n=sheet.rows_rejected)}**")
            st.dataframe(problem_table(sheet.rejects, "reason"), hide_index=True, width="stretch",
                         key=f"data_rej_{index}_{sheet.sheet}")  # fmt: skip
        if len(sheet.warnings):
            st.markdown(f"**{t('data.warnings_title', n=len(sheet.warnings))}**")
            st.dataframe(problem_table(sheet.warnings, "message"), hide_index=True, width="stretch",
                         key=f"data_warn_{index}_{sheet.sheet}")  # fmt: skip


def problem_table(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """Rejects or warnings with their Excel row numbers and Chinese reasons."""
    out = frame[["excel_row", "column_name", "value", what]].copy()
    # A note about the whole sheet (its town, a hidden sheet) has no row number.
    out["excel_row"] = [t("data.whole_sheet") if pd.isna(r) else str(int(r)) for r in out["excel_row"]]
    out.columns = [t("data.col.excel_row"), t("data.col.column"), t("data.col.value"), t("data.col.reason")]
    return out


def unrecognised(preview: pv.FilePreview, sheet: pv.UnrecognisedSheet, index: int, number: int) -> None:
    if not sheet.mappable:
        st.caption(t("data.skipped", sheet=sheet.sheet, reason=sheet.reason))
        return
    with st.expander(t("data.map_title", sheet=sheet.sheet), expanded=not preview.sheets):
        st.caption(t("data.map_help", sheet=sheet.sheet, row=sheet.header_row, reason=sheet.reason))
        if sheet.sample:
            width = len(sheet.headers)
            sample = [(r + [""] * width)[:width] for r in sheet.sample]
            st.dataframe(pd.DataFrame(sample, columns=_unique(sheet.headers)), hide_index=True,
                         key=f"data_sample_{index}_{number}")  # fmt: skip
        key = f"data_map_{index}_{number}"
        guessed, _ = pv.guess_mapping(sheet.headers)
        datasets = list(pv.DUPLICATE_KEYS)
        dataset = st.selectbox(t("data.map_dataset"), datasets, key=f"{key}_dataset", format_func=dataset_name,
                               index=datasets.index(guessed) if guessed in datasets else 0)  # fmt: skip
        _, guess = pv.guess_mapping(sheet.headers, dataset)
        choices = ["", *(name for name, _ in pv.field_choices(dataset))]
        labels = dict(pv.field_choices(dataset))
        mapping: dict[str, str] = {}
        columns = st.columns(4)
        for c, header in enumerate(sheet.headers):
            if not header:
                continue
            with columns[c % 4]:
                chosen = st.selectbox(
                    header, choices, key=f"{key}_{dataset}_{c}",
                    index=choices.index(guess[header]) if header in guess else 0,
                    format_func=lambda f, labels=labels: labels.get(f, t("data.unmapped")) if f else t("data.unmapped"),
                )  # fmt: skip
            if chosen:
                mapping[header] = chosen
        missing = pv.missing_required(dataset, mapping)
        if missing:
            st.warning(t("data.map_missing", fields="、".join(missing)))
        if st.button(t("data.map_save"), key=f"{key}_save", disabled=bool(missing), icon=":material/save:"):
            pv.save_mapping(sheet.signature or "", dataset, mapping, db_path())
            _data_changed()
            st.session_state[NOTICE] = ("success", t("data.map_saved", sheet=sheet.sheet))
            st.rerun()


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c, h in enumerate(headers):
        name = h or f"第{c + 1}列"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}({seen[name]})")
    return out


def load(previews: list[pv.FilePreview]) -> None:
    """The command line's atomic load of exactly what was previewed, then fresh caches everywhere."""
    operator = (st.session_state.get("data_operator") or "").strip() or os.environ.get("USER")
    lines = []
    for preview in previews:
        report = etl_load.store(preview.result, db_path(), operator)
        if report.status == "loaded":
            lines.append(t("data.loaded", file=report.file, id=report.load_id, rows=report.rows,
                           rejected=report.rejected, warnings=report.warnings))  # fmt: skip
            if report.replaced:
                lines.append(t("data.loaded_replaced", ids=", ".join(map(str, report.replaced))))
        else:
            lines.append(t("data.unchanged", file=report.file))
    _data_changed()
    st.session_state[NOTICE] = ("success", "\n\n".join(lines))
    st.rerun()


# --- history ------------------------------------------------------------------------------------


def history_tab() -> None:
    frame = etl_load.history(db_path())
    if frame.empty:
        st.info(t("data.history_empty"))
        return
    frame = frame.sort_values("load_id", ascending=False)
    shown = pd.DataFrame({
        t("data.col.load_id"): frame["load_id"],
        t("data.col.time"): frame["loaded_at"],
        t("data.col.file"): frame["file_name"],
        t("data.col.dataset"): frame["datasets"].fillna("").map(
            lambda v: "、".join(dataset_name(d) for d in v.split(",") if d)),
        t("data.col.town"): frame["towns"].fillna(""),
        t("data.col.ok"): frame["rows_loaded"],
        t("data.col.rejected"): frame["rows_rejected"],
        t("data.col.status"): frame.apply(status_text, axis=1),
        t("data.col.by"): frame["loaded_by"].fillna(""),
    })  # fmt: skip
    st.dataframe(shown, hide_index=True, width="stretch", key="data_history")
    active = frame[frame["status"] == "active"]
    if not active.empty:
        st.markdown(f"**{t('data.undo_title')}**")
        st.caption(t("data.undo_help"))
        for row in active.itertuples():
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.write(t("data.undo_row", id=row.load_id, file=row.file_name, rows=row.rows_loaded,
                         time=f"{row.loaded_at:%Y-%m-%d %H:%M}"))  # fmt: skip
            if right.button(t("data.undo"), key=f"data_undo_{row.load_id}", icon=":material/undo:"):
                undo(int(row.load_id))
    with_rejects = frame[frame["rows_rejected"] > 0]
    if not with_rejects.empty:
        st.markdown(f"**{t('data.history_rejects')}**")
        load_id = st.selectbox(t("data.col.load_id"), list(with_rejects["load_id"]), key="data_rejects_load",
                               format_func=lambda i: f"#{i} {frame.set_index('load_id').at[i, 'file_name']}")  # fmt: skip
        stored = pv.stored_rejects(int(load_id), db_path())
        st.dataframe(problem_table(stored, "reason"), hide_index=True, width="stretch", key="data_history_rej")
        st.download_button(t("data.rejects_download", n=len(stored)), pv.rejects_workbook(stored),
                           file_name=f"导入{load_id}_拒收行.xlsx", key="data_history_rej_dl",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", on_click="ignore")  # fmt: skip


def status_text(row: pd.Series) -> str:
    text = t(STATUS_KEYS.get(row["status"], "data.status.active"))
    if row["status"] == "replaced" and pd.notna(row["replaced_by"]):
        text += t("data.status.by", id=int(row["replaced_by"]))
    return text


def undo(load_id: int) -> None:
    try:
        restored = etl_load.undo(load_id, db_path())
    except ValueError as exc:
        st.session_state[NOTICE] = ("error", str(exc))
    else:
        message = t("data.undone", id=load_id)
        if restored:
            message += t("data.undone_restored", ids=", ".join(map(str, restored)))
        st.session_state[NOTICE] = ("success", message)
    _data_changed()
    st.rerun()


# --- templates ----------------------------------------------------------------------------------


def templates_tab() -> None:
    town = _town_override() or context().town or settings.default_town()
    st.caption(t("data.templates_help", town=town))
    columns = st.columns(len(TEMPLATES))
    for column, (dataset, template) in zip(columns, TEMPLATES.items(), strict=True):
        with column:
            st.download_button(
                dataset_name(dataset), _template(dataset, town), file_name=f"{town}{template.file_name}",
                key=f"data_template_{dataset}", icon=":material/download:", on_click="ignore",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch",
            )  # fmt: skip


@st.cache_data(show_spinner=False)
def _template(dataset: str, town: str) -> bytes:
    from etl.templates import template_bytes

    return template_bytes(dataset, town)


# --- the page -----------------------------------------------------------------------------------

st.title(t("data.title"))
st.caption(t("data.subtitle"))
_notice()
upload, history, templates = st.tabs([t("data.tab.upload"), t("data.tab.history"), t("data.tab.templates")])
with upload:
    upload_tab()
with history:
    history_tab()
with templates:
    templates_tab()
