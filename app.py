"""AI organization KPI dashboard: the router.

`streamlit run app.py` — page config, the navigation over the page records of `dashboard.pages`
(each at its own URL path), the shared sidebar filters (kept in the URL so a link reopens the same
view), then the selected page. The store is $AIORG_DB, else data/aiorg.duckdb; on first start it
is created from sample_data/ unless AIORG_NO_SAMPLE is set.
"""

import streamlit as st

from aiorg_metrics.store.connection import StoreBusyError, StoreReadOnlyError, StoreVersionError
from aiorg_metrics.store.snapshot import StoreModeError
from dashboard import cached, filters, routing, state, widgets

st.set_page_config(
    page_title="AI organization KPIs",
    page_icon=":material/hub:",
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on a phone, where an open sidebar covers the page
)

with cached.page_run():  # the background warm-up starts no step while a page runs
    routing.sign_in_gate()  # with sign-in configured: nothing below runs for someone without a role
    page = routing.navigation()
    try:
        data = state.data_state()
        chosen = filters.sidebar(data)
        routing.run(page, data, chosen)
        if chosen is not None:
            cached.warm_up(data, chosen.quarter)
    except StoreBusyError:
        widgets.busy()
    except (StoreVersionError, StoreReadOnlyError, StoreModeError) as exc:  # cannot be upgraded, read-only, mis-set
        widgets.store_refused(exc)
