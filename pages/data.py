"""Data: upload exports (with column mapping, validation report and KPI impact), import history with
undo, templates and the column reference."""

import streamlit as st

import data_ui
import ui
from aiorg_metrics.store import read_only_message

state, filters = ui.view()
ui.page_header("Data", state, filters, subtitle="uploads, history, templates")
store = ui.store()
if store.read_only:  # pages read it; uploads and undo are off
    st.error(ui.md(read_only_message(store.path)), icon=":material/lock:")
if message := st.session_state.pop("undo-message", None):
    st.success(ui.md(message), icon=":material/undo:")  # names a file: user text
for line in st.session_state.pop("commit-messages", []):
    st.success(line, icon=":material/task_alt:")

upload_tab, history_tab, templates_tab = st.tabs(
    ["Upload", "Import history", "Templates & columns"], key="tab", on_change="rerun", bind="query-params"
)

if upload_tab.open:
    with upload_tab:
        data_ui.upload_section(state, filters, store)

if history_tab.open:  # only the open tab runs (the tabs track their state in the URL)
    with history_tab:
        data_ui.history_section(store)

if templates_tab.open:
    with templates_tab:
        data_ui.templates_section()
