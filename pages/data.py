"""数据管理 Data: upload ledgers, preview them, map unknown columns, load, see the history, undo, redo.

Thin: every decision lives in ``etl.preview`` (what a file would load), ``etl.load`` (the same
atomic load, history, undo and redo as ``python -m etl``), ``etl.replacing`` (when a replacement
needs a confirmation) and ``etl.templates``. A file that can't be read shows its ``FileError``
message and changes nothing. Undo and redo, and a replacement that would lose much, happen only
after a confirmation that names what goes and what comes back.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from analytics import access, settings
from analytics.access import lineage
from analytics.present import safe
from etl import load as etl_load
from etl import preview as pv
from etl.errors import FileError
from etl.names import check_town, shown_file_name
from etl.parse import FileResult, town_shown
from etl.replacing import Loss, ReplaceNotConfirmed, year_spans
from etl.templates import TEMPLATES
from pages import auth, tables
from pages.cache import data_version, db_path
from pages.view import context, t

# .et only to explain it can't be read; htm, html, txt, xml: what web systems export
PREVIEWS = "data_previews"  # session key: {(name, sha256, town, data version): FilePreview | error text}
NOTICE = "data_notice"  # session key: the last load/undo/mapping message, shown after the rerun
PENDING = "data_pending"  # session key: ("undo" | "redo", load id) waiting for its confirmation
STATUS_KEYS = {"active": "data.status.active", "replaced": "data.status.replaced", "undone": "data.status.undone"}


def dataset_name(dataset: str) -> str:
    return t(f"data.dataset.{dataset}")


def _town_override() -> str | None:
    """The town typed in the box (checked by ``etl.names.check_town``; ``ValueError`` if no town name)."""
    value = (st.session_state.get("data_town") or "").strip()
    return check_town(value) if value else None


def _town_refused() -> str | None:
    """Why the typed town or the default town setting can't be used, or None."""
    try:
        _town_override()
        settings.default_town()
    except ValueError as exc:
        return str(exc)
    return None


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


def uploader_css(limit_mb: int) -> str:
    """The upload box's own words (Streamlit writes them in English, with its server's size limit)
    replaced by the user's language and this dashboard's limit (``[limits] upload_max_mb``)."""

    def css_text(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    button, limit = t("data.uploader_button"), t("data.uploader_limit", mb=limit_mb)
    return f"""<style>
[data-testid="stFileUploaderDropzone"] > span button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] > span button [data-testid="stMarkdownContainer"] p::after {{
  content: {css_text(button)}; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: {css_text(limit)}; font-size: 0.875rem; }}
</style>"""


def upload_tab() -> None:
    limit_mb = settings.upload_max_bytes() // pv.MB
    st.html(uploader_css(limit_mb))
    refused = _town_refused()
    left, right = st.columns([3, 1])
    with right:
        st.text_input(
            t("data.town"),
            key="data_town",
            placeholder=t("data.town_placeholder", town="" if refused else settings.default_town()),
            help=t("data.town_help"),
        )
    with left:
        files = st.file_uploader(
            t("data.upload"), type=list(etl_load.UPLOAD_TYPES), accept_multiple_files=True, key="data_upload",
            help=t("data.upload_help", mb=limit_mb),
        )  # fmt: skip
        st.caption(t("data.upload_caption", mb=limit_mb))
    if refused:
        st.error(safe.markdown(refused), icon=":material/error:")
    if not files or refused:
        return
    previews: list[tuple[int, pv.FilePreview]] = []
    for index, upload in enumerate(files):
        with st.container(border=True):
            st.markdown(f"#### {safe.markdown(shown_file_name(upload.name))}")
            found = preview_of(upload.name, upload.getvalue())
            if isinstance(found, str):
                st.error(safe.markdown(found), icon=":material/error:")
                continue
            file_preview(found, index)
            previews.append((index, found))
    ready = [p for index, p in previews if p.loadable and confirmed(p, index)]
    if len(ready) > 1 and st.button(t("data.load_all", n=len(ready)), type="primary", key="data_load_all"):
        load(ready)


def file_preview(preview: pv.FilePreview, index: int) -> None:
    if preview.error:
        st.error(safe.markdown(preview.error), icon=":material/error:")
    if preview.already_loaded is not None:
        st.info(t("data.already_loaded", id=preview.already_loaded), icon=":material/check_circle:")
    foreign = foreign_replaced(preview)  # refused below: what it would replace is not this person's to see
    if preview.replaces and not foreign:
        items = t("common.semicolon").join(
            t("data.replace_item", id=r.load_id, time=f"{r.loaded_at:%Y-%m-%d %H:%M}" if r.loaded_at else "",
              rows=r.rows)
            for r in preview.replaces
        )  # fmt: skip
        st.warning(t("data.replaces", items=items), icon=":material/swap_horiz:")
    if foreign:
        st.error(t("data.replace_foreign", file=safe.markdown(preview.file_name)), icon=":material/block:")
    elif preview.needs_confirmation:
        lines = "\n".join(f"- {loss_text(loss)}" for loss in preview.losses)
        st.error(f"{t('data.replace_confirm_title')}\n\n{lines}", icon=":material/warning:")
        st.checkbox(t("data.replace_confirm"), key=f"data_confirm_{index}")
    if preview.sheets:
        st.dataframe(sheet_table(preview), hide_index=True, width="stretch", key=f"data_sheets_{index}")
        duplicates = sum(s.duplicates for s in preview.sheets)
        if duplicates:
            st.warning(t("data.duplicates", n=duplicates), icon=":material/content_copy:")
        for sheet in preview.sheets:
            sheet_details(sheet, index)
        rejected = preview.rows_rejected
        if rejected:
            file_name = f"{preview.file_name.rsplit('.', 1)[0]}_拒收行.xlsx"
            st.download_button(
                # Built on click (a callable), not on every rerun of the page
                t("data.rejects_download", n=rejected),
                tables.audited(functools.partial(pv.rejects_workbook, preview.result), file_name),
                file_name=file_name, key=f"data_rejects_dl_{index}",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                icon=":material/download:", on_click="ignore",
            )  # fmt: skip
    for number, sheet in enumerate(preview.unrecognised):
        unrecognised(preview, sheet, index, number)
    if preview.loadable and st.button(
        t("data.load", rows=preview.rows_ok), type="primary", key=f"data_load_{index}", icon=":material/upload:",
        disabled=not confirmed(preview, index),
    ):  # fmt: skip
        load([preview])


def confirmed(preview: pv.FilePreview, index: int) -> bool:
    """A replacement that would lose much loads only once its box is ticked; one of another town's data
    never (by this person); any other at once."""
    if foreign_replaced(preview):
        return False
    return not preview.needs_confirmation or bool(st.session_state.get(f"data_confirm_{index}"))


def years_text(years: tuple[int, ...] | range, key: str = "data.years_span") -> str:
    """「2016–2023、2025 年，」 (or ``data.years_of``: 「2024 年 」) by a row count; nothing without years."""
    return t(key, years=year_spans(years, t("data.years_separator"))) if years else ""


def loss_text(loss: Loss) -> str:
    """What replacing ``loss.load_id`` would take away, in the page's language."""
    text = t("data.replace_loss", id=loss.load_id, file=safe.markdown(loss.file_name), dataset=dataset_name(loss.dataset),
             town=safe.markdown(loss.town), span=years_text(loss.old_years), rows=f"{loss.old_rows:,}")  # fmt: skip
    if loss.new_rows:
        text += t("data.replace_loss_new", span=years_text(loss.new_years, "data.years_of"), rows=f"{loss.new_rows:,}")
    else:
        text += t("data.replace_loss_none")
    if loss.lost_years:
        return text + t("data.replace_loss_years", years=year_spans(loss.lost_years, t("data.years_separator")))
    return text + t("data.replace_loss_rows", n=f"{loss.old_rows - loss.new_rows:,}")


def sheet_table(preview: pv.FilePreview) -> pd.DataFrame:
    rows = []
    for s in preview.sheets:
        span = f"{s.first_date} – {s.last_date}" if s.first_date else "—"
        rows.append({
            t("data.col.sheet"): s.sheet, t("data.col.dataset"): dataset_name(s.dataset), t("data.col.town"): town_shown(s.town, s.town_source, s.towns),
            t("data.col.period"): span, t("data.col.ok"): s.rows_ok, t("data.col.rejected"): s.rows_rejected,
            t("data.col.warned"): s.rows_warned, t("data.col.duplicates"): s.duplicates,
        })  # fmt: skip
    return pd.DataFrame(rows)


def sheet_details(sheet: pv.SheetPreview, index: int) -> None:
    label = t("data.sheet_details", sheet=safe.markdown(sheet.sheet), dataset=dataset_name(sheet.dataset))
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
    out["value"] = ["" if pd.isna(v) else v for v in out["value"]]  # a note about the whole sheet has none
    out.columns = [t("data.col.excel_row"), t("data.col.column"), t("data.col.value"), t("data.col.reason")]
    return out


def unrecognised(preview: pv.FilePreview, sheet: pv.UnrecognisedSheet, index: int, number: int) -> None:
    if not sheet.mappable:
        st.caption(t("data.skipped", sheet=safe.markdown(sheet.sheet), reason=safe.markdown(sheet.reason)))
        return
    with st.expander(t("data.map_title", sheet=safe.markdown(sheet.sheet)), expanded=not preview.sheets):
        st.caption(t("data.map_help", sheet=safe.markdown(sheet.sheet), row=sheet.header_row,
                     reason=safe.markdown(sheet.reason)))  # fmt: skip
        headers = sheet.headers[:MAX_MAPPED_COLUMNS]
        if len(sheet.headers) > MAX_MAPPED_COLUMNS:
            st.warning(t("data.map_too_wide", n=f"{len(sheet.headers):,}", shown=MAX_MAPPED_COLUMNS))
        if sheet.sample:
            width = len(headers)
            sample = [(r + [""] * width)[:width] for r in sheet.sample]
            st.dataframe(pd.DataFrame(sample, columns=_unique(headers)), hide_index=True,
                         key=f"data_sample_{index}_{number}")  # fmt: skip
        key = f"data_map_{index}_{number}"
        guessed, _ = pv.guess_mapping(headers)
        datasets = list(pv.DUPLICATE_KEYS)
        dataset = st.selectbox(t("data.map_dataset"), datasets, key=f"{key}_dataset", format_func=dataset_name,
                               index=datasets.index(guessed) if guessed in datasets else 0)  # fmt: skip
        _, guess = pv.guess_mapping(headers, dataset)
        choices = ["", *(name for name, _ in pv.field_choices(dataset))]
        labels = dict(pv.field_choices(dataset))
        mapping: dict[str, str] = {}
        columns = st.columns(4)
        for c, header in enumerate(headers):
            if not header:
                continue
            with columns[c % 4]:
                chosen = st.selectbox(
                    safe.markdown(header), choices, key=f"{key}_{dataset}_{c}",
                    index=choices.index(guess[header]) if header in guess else 0,
                    format_func=lambda f, labels=labels: labels.get(f, t("data.unmapped")) if f else t("data.unmapped"),
                )  # fmt: skip
            if chosen:
                mapping[header] = chosen
        missing = pv.missing_required(dataset, mapping)
        if missing:
            st.warning(t("data.map_missing", fields=t("common.list_separator").join(missing)))
        if st.button(t("data.map_save"), key=f"{key}_save", disabled=bool(missing), icon=":material/save:"):
            pv.save_mapping(sheet.signature or "", dataset, mapping, db_path())
            auth.record("map_headers", {"sheet": sheet.sheet, "dataset": dataset, "mapping": mapping})
            _data_changed()
            st.session_state[NOTICE] = ("success", t("data.map_saved", sheet=safe.markdown(sheet.sheet)))
            st.rerun()


# A ledger has a few dozen columns; a sheet of thousands is no ledger, and a selector per column would
# take minutes to draw (10,000 columns: 180 s a run). Columns past these are not offered (not loaded).
MAX_MAPPED_COLUMNS = 100


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c, h in enumerate(headers):
        name = h or f"第{c + 1}列"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}({seen[name]})")
    return out


def load(previews: list[pv.FilePreview]) -> None:
    """The command line's atomic load of exactly what was previewed, then fresh caches everywhere.

    A replacement is confirmed for the loads the preview named and ticked, no others: if the
    warehouse changed since, ``store`` refuses and says what would go.
    """
    who = auth.principal()
    lines = []
    for preview in previews:
        outside = sorted(town for town in towns_of(preview.result) if not who.sees_town(town))
        if outside:
            lines.append(t("auth.town_denied", towns=safe.markdown(t("common.list_separator").join(who.towns or ())), file=safe.markdown(preview.file_name),
                           town=safe.markdown(t("common.list_separator").join(outside))))  # fmt: skip
            auth.record("load_refused", {"file": preview.file_name, "towns": outside})
            continue
        if foreign_replaced(preview):
            lines.append(t("data.replace_foreign", file=safe.markdown(preview.file_name)))
            auth.record("load_refused", {"file": preview.file_name, "replaces_other_towns": True})
            continue
        try:
            report = etl_load.store(preview.result, db_path(), who.name, [loss.key for loss in preview.losses])
        except ReplaceNotConfirmed as exc:
            lines.append(str(exc))
            continue
        auth.record("load", {"file": report.file, "load_id": report.load_id, "status": report.status,
                             "rows": report.rows, "rejected": report.rejected, "replaced": report.replaced,
                             "towns": sorted(towns_of(preview.result))})  # fmt: skip
        if report.status == "loaded":
            lines.append(t("data.loaded", file=safe.markdown(report.file), id=report.load_id, rows=report.rows,
                           rejected=report.rejected, warnings=report.warnings))  # fmt: skip
            if report.replaced:
                lines.append(t("data.loaded_replaced", ids=", ".join(map(str, report.replaced))))
        else:
            lines.append(t("data.unchanged", file=safe.markdown(report.file)))
    _data_changed()
    st.session_state[NOTICE] = ("success", "\n\n".join(lines))
    st.rerun()


def foreign_replaced(preview: pv.FilePreview) -> bool:
    """Whether loading the file would replace a load holding a town the person may not load (their
    preview shows only their towns' part of it, so they could not see what would go)."""
    who = auth.principal()
    return who.towns is not None and any(not who.sees_town(town) for town in preview.replaced_towns)


def foreign_change(change: etl_load.Change) -> bool:
    """Whether an undo or redo would bring back or put away rows of a town the person may not load: the
    loads it replaces or restores can be a county's, holding other towns' rows (refused, as a load is)."""
    who = auth.principal()
    return who.towns is not None and any(not who.sees_town(town) for town in change.towns)


def towns_of(result: FileResult) -> set[str]:
    """Every town a file would load rows for: its sheets' towns and any 乡镇 column's values."""
    towns = {sheet.town for sheet in result.sheets}
    for sheet in result.sheets:
        if "town" in sheet.rows.columns:
            towns |= {str(town) for town in sheet.rows["town"].dropna().unique()}
    return towns


def may_change(loaded_by: object) -> bool:
    """Admins undo and redo any load; staff their own."""
    who = auth.principal()
    return who.can("undo_any") or (who.can("undo_own") and loaded_by == who.name)


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
            lambda v: t("common.list_separator").join(dataset_name(d) for d in v.split(",") if d)),
        t("data.col.town"): frame["towns"].fillna(""),
        t("data.col.ok"): frame["rows_loaded"],
        t("data.col.rejected"): frame["rows_rejected"],
        t("data.col.status"): frame.apply(status_text, axis=1),
        t("data.col.by"): frame["loaded_by"].fillna(""),
    })  # fmt: skip
    st.dataframe(shown, hide_index=True, width="stretch", key="data_history")
    confirm_change()
    for action, status, icon in (("undo", "active", ":material/undo:"), ("redo", "undone", ":material/redo:")):
        rows = frame[(frame["status"] == status) & frame["loaded_by"].map(may_change)]
        if rows.empty:
            continue
        st.markdown(f"**{t(f'data.{action}_title')}**")
        st.caption(t(f"data.{action}_help"))
        for row in rows.itertuples():
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.write(t("data.undo_row", id=row.load_id, file=safe.markdown(row.file_name), rows=row.rows_loaded,
                         time=f"{row.loaded_at:%Y-%m-%d %H:%M}"))  # fmt: skip
            if right.button(t(f"data.{action}"), key=f"data_{action}_{row.load_id}", icon=icon):
                st.session_state[PENDING] = (action, int(row.load_id))  # asked first, done on confirmation
                st.rerun()
    with_rejects = frame[frame["rows_rejected"] > 0]
    if not with_rejects.empty:
        st.markdown(f"**{t('data.history_rejects')}**")
        load_id = st.selectbox(t("data.col.load_id"), list(with_rejects["load_id"]), key="data_rejects_load",
                               format_func=lambda i: f"#{i} {frame.set_index('load_id').at[i, 'file_name']}")  # fmt: skip
        stored = pv.stored_rejects(int(load_id), db_path())
        owner = frame.set_index("load_id").at[load_id, "loaded_by"]
        if owner != auth.principal().name and not access.personal_visible():  # the loader holds the file anyway
            stored = lineage.mask_problems(stored)
        st.dataframe(problem_table(stored, "reason"), hide_index=True, width="stretch", key="data_history_rej")
        file_name = f"导入{load_id}_拒收行.xlsx"
        st.download_button(t("data.rejects_download", n=len(stored)),
                           tables.audited(functools.partial(pv.rejects_workbook, stored), file_name),
                           file_name=file_name, key="data_history_rej_dl",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", on_click="ignore")  # fmt: skip


def status_text(row: pd.Series) -> str:
    text = t(STATUS_KEYS.get(row["status"], "data.status.active"))
    if row["status"] == "replaced" and pd.notna(row["replaced_by"]):
        text += t("data.status.by", id=int(row["replaced_by"]))
    return text


def summary_text(load: etl_load.LoadSummary) -> str:
    years = range(load.first_year, (load.last_year or load.first_year) + 1) if load.first_year else ()
    return t("data.load_summary", id=load.load_id, file=safe.markdown(load.file_name), span=years_text(years),
             rows=f"{load.rows:,}")  # fmt: skip


def confirm_change() -> None:
    """The undo or redo a button asked for: what goes and what comes back, then confirm or cancel."""
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    action, load_id = pending
    plan = etl_load.undo_plan if action == "undo" else etl_load.redo_plan
    try:
        change = plan(load_id, db_path())
    except ValueError as exc:  # undone or redone elsewhere meanwhile
        st.session_state.pop(PENDING, None)
        st.error(str(exc))
        return
    if foreign_change(change):
        st.session_state.pop(PENDING, None)
        st.error(t("data.change_foreign", id=load_id), icon=":material/block:")
        return
    others = t("common.list_separator").join(summary_text(o) for o in change.others)
    follows = ("restores" if action == "undo" else "replaces") if change.others else "nothing"
    with st.container(border=True):
        st.warning(
            f"{t(f'data.{action}_confirm', load=summary_text(change.load))}\n\n"
            f"{t(f'data.{action}_confirm_{follows}', loads=others)}",
            icon=":material/help:",
        )
        left, right, _ = st.columns([1, 1, 4])
        if left.button(t(f"data.{action}_confirm_button"), key=f"data_{action}_confirm", type="primary"):
            st.session_state.pop(PENDING, None)
            change_load(action, load_id)
        if right.button(t("data.cancel"), key="data_pending_cancel"):
            st.session_state.pop(PENDING, None)
            st.rerun()


def change_load(action: str, load_id: int) -> None:
    """Undo or redo ``load_id`` (atomic, through ``etl.load``), then fresh caches everywhere."""
    run, done, others = (
        (etl_load.undo, "data.undone", "data.undone_restored")
        if action == "undo"
        else (etl_load.redo, "data.redone", "data.redone_replaced")
    )
    owner = etl_load.history(db_path()).set_index("load_id")["loaded_by"].get(load_id)
    if not may_change(owner):
        st.session_state[NOTICE] = ("error", t("auth.denied", role=auth.role_label(auth.principal().role)))
        st.rerun()
    plan = etl_load.undo_plan if action == "undo" else etl_load.redo_plan
    try:
        foreign = foreign_change(plan(load_id, db_path()))
    except ValueError:
        foreign = False  # no longer in that state: the change itself says so
    if foreign:
        st.session_state[NOTICE] = ("error", t("data.change_foreign", id=load_id))
        st.rerun()
    try:
        ids = run(load_id, db_path(), actor=auth.principal().name)
    except ValueError as exc:
        st.session_state[NOTICE] = ("error", safe.markdown(exc))
    else:
        auth.record(action, {"load_id": load_id, "others": ids})
        message = t(done, id=load_id)
        if ids:
            message += t(others, ids=", ".join(map(str, ids)))
        st.session_state[NOTICE] = ("success", message)
    _data_changed()
    st.rerun()


# --- templates ----------------------------------------------------------------------------------


def templates_tab() -> None:
    refused = _town_refused()
    if refused:
        st.error(safe.markdown(refused), icon=":material/error:")
        return
    town = _town_override() or context().town or settings.default_town()
    st.caption(t("data.templates_help", town=safe.markdown(town)))
    columns = st.columns(len(TEMPLATES))
    for column, (dataset, template) in zip(columns, TEMPLATES.items(), strict=True):
        with column:
            st.download_button(
                dataset_name(dataset), tables.audited(lambda d=dataset: _template(d, town), f"{town}{template.file_name}"),
                file_name=f"{town}{template.file_name}",
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
auth.require("load")
_notice()
upload, history, templates = st.tabs([t("data.tab.upload"), t("data.tab.history"), t("data.tab.templates")])
with upload:
    upload_tab()
with history:
    history_tab()
with templates:
    templates_tab()
