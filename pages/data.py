"""Data: upload exports (with column mapping, validation report and KPI impact), import history with
undo, templates and the column reference."""

import streamlit as st

import data_ui
import ui
from aiorg_metrics.ingest import ImportOptions
from aiorg_metrics.uploads import batch_rank, guess

state, filters = ui.view()
ui.page_header("Data", state, filters, subtitle="uploads, history, templates")
store = ui.store()
if message := st.session_state.pop("undo-message", None):
    st.success(message, icon=":material/undo:")
for line in st.session_state.pop("commit-messages", []):
    st.success(line, icon=":material/task_alt:")

upload_tab, history_tab, templates_tab = st.tabs(
    ["Upload", "Import history", "Templates & columns"], key="tab", on_change="rerun", bind="query-params"
)

if upload_tab.open:
    with upload_tab:
        limit = data_ui.upload_limit_mb(state.settings)
        files = st.file_uploader(
            "Drop one or several CSV exports", accept_multiple_files=True, max_upload_size=limit,
            key=f"uploader-{st.session_state.get('uploads-done', 0)}",
            help=f"Up to {limit} MB per file (the settings' file-size limit). Files are imported one after another "
                 "(teams, use cases, PoCs, adoption, then the rest; by file name within a dataset), each its own "
                 "undoable import.",
        )
        left, right = st.columns(2)
        mode = data_ui.MODES[left.radio("Mode", list(data_ui.MODES), key="mode")]
        valid_only = right.checkbox("Store the valid rows only (skip invalid rows)", key="valid-only",
                                    help="By default a file with any invalid row is rejected and nothing is stored.")
        if files and data_ui.sample_gate(store, state.holds_sample):
            options = ImportOptions(mode=mode, valid_only=valid_only, max_file_mb=limit)
            ordered = sorted(files, key=lambda f: batch_rank(guess(f.getvalue(), f.name).dataset, f.name))
            boxes, described = [], []
            for file in ordered:
                box = st.container(border=True)
                with box:
                    st.subheader(f":material/description: {file.name}", anchor=False)
                    described.append(data_ui.describe_file(file.name, file.getvalue(), state.db))
                boxes.append(box)
            ready = [(box, u) for box, u in zip(boxes, described, strict=True) if u.ready]
            quarter = str(filters.quarter) if filters else None
            previews = data_ui.cached_previews(state.db, state.version, data_ui.batch_files([u for _, u in ready],
                                               options), quarter, state.settings) if ready else []
            importable = []
            for (box, upload), preview in zip(ready, previews, strict=True):
                with box:
                    data_ui.show_preview(preview)
                if not preview.would_reject:
                    importable.append(upload)
            waiting = len(files) - len(importable)
            label = f"Import {len(importable)} file(s)" + (f" · {waiting} not ready" if waiting else "")
            if st.button(label, type="primary", disabled=not importable, key="commit", icon=":material/upload:"):
                reports = data_ui.commit(store, importable, options)
                data_ui.commit_messages(reports, len(importable))
                if reports and reports[-1].outcome.value != "rejected":
                    st.session_state["uploads-done"] = st.session_state.get("uploads-done", 0) + 1
                    st.session_state["commit-messages"] = data_ui.success_lines(reports)
                    st.rerun()
        elif not files:
            st.caption("Exports from HR, learning or ticketing tools with their own column names are fine: you map "
                       "their columns once and save the mapping for next month.")

if history_tab.open:  # only the open tab runs (the tabs track their state in the URL)
    with history_tab:
        data_ui.history_section(store)

if templates_tab.open:
    with templates_tab:
        data_ui.templates_section()
