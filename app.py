"""AI organization KPI dashboard: the router.

`streamlit run app.py` — page config, the navigation over the pages in `pages/` (each at
its own URL path), the shared sidebar filters (kept in the URL so a link reopens the same
view), then the selected page. The store is $AIORG_DB, else data/aiorg.duckdb; on first
start it is created from sample_data/ unless AIORG_NO_SAMPLE is set.
"""

import streamlit as st

import ui
from aiorg_metrics.store import StoreBusyError, StoreReadOnlyError, StoreVersionError

st.set_page_config(
    page_title="AI organization KPIs",
    page_icon=":material/hub:",
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = [
    st.Page("pages/review.py", title="Quarterly review", icon=":material/dashboard:", url_path="review",
            default=True),
    st.Page("pages/hub_spoke.py", title="Hub & spoke health", icon=":material/hub:", url_path="hub_spoke"),
    st.Page("pages/funnel.py", title="Use-case funnel", icon=":material/filter_alt:", url_path="funnel"),
    st.Page("pages/skills.py", title="Skills & training", icon=":material/school:", url_path="skills"),
    st.Page("pages/glossary.py", title="KPI glossary", icon=":material/menu_book:", url_path="glossary"),
    st.Page("pages/data.py", title="Data", icon=":material/upload_file:", url_path="data"),
    st.Page("pages/settings.py", title="Settings", icon=":material/settings:", url_path="settings"),
]

page = st.navigation(PAGES)
try:
    state = ui.data_state()
    filters = ui.sidebar(state)
    st.session_state["_view"] = (state, filters)
    page.run()
    if filters is not None:
        ui.warm_up(state, filters.quarter)
except StoreBusyError:
    ui.busy()
except (StoreVersionError, StoreReadOnlyError) as exc:  # cannot be upgraded, or read-only and not set up
    ui.store_refused(exc)
