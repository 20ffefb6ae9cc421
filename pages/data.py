"""Data: upload exports (with column mapping, validation report and KPI impact), import history with
undo, templates and the column reference."""

import streamlit as st

from aiorg_metrics.store.connection import read_only_message
from dashboard import access, header, routing, state, widgets
from dashboard.views import data

view = routing.guard()
header.page_header(view, subtitle="uploads, history, templates")
store = state.store()
if store.read_only:  # pages read it; uploads and undo are off
    st.error(widgets.md(access.server_text(read_only_message(store.path))), icon=":material/lock:")
if message := st.session_state.pop("undo-message", None):
    st.success(widgets.md(message), icon=":material/undo:")  # names a file: user text
for line in st.session_state.pop("commit-messages", []):
    st.success(line, icon=":material/task_alt:")

upload_tab, history_tab, templates_tab = st.tabs(
    ["Upload", "Import history", "Templates & columns"], key="tab", on_change="rerun", bind="query-params"
)

if upload_tab.open:
    with upload_tab:
        data.upload_section(view.state, view.filters, store)

if history_tab.open:  # only the open tab runs (the tabs track their state in the URL)
    with history_tab:
        data.history_section(store)

if templates_tab.open:
    with templates_tab:
        data.templates_section()
