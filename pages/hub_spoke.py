"""Hub & spoke health: statuses by business unit, the AI teams' shape and queues, the org-model advisor."""

import streamlit as st

from aiorg_metrics.display import figures
from aiorg_metrics.kpi import kpi
from dashboard import header, routing, widgets
from dashboard.views import advisor, hub_spoke

view = routing.guard()
header.page_header(view)

health = hub_spoke.hub_health(view.state, view.filters)
widgets.card_css()

st.subheader(f"Status by {health.matrix_level}")
if health.matrix.empty:
    st.info(f"No {health.matrix_level} results for {view.filters.quarter}.")
else:
    widgets.chart(figures.status_heatmap(health.matrix), "status-heatmap")
    st.caption("Each cell: status symbol (✓ on target, ! watch, ✕ off target, i no target, – no data) and value. "
               "KPIs without a business-unit view (hub size) are not in the grid.")

st.subheader("Shape of the AI organization")
widgets.card_grid(health.structure_cards, per_row=3, trend=False)
left, right = st.columns(2)
with left:
    st.markdown("**AI staff per spoke** against the model's band")
    if health.spokes.empty:
        st.info("No `ai_spoke` team in teams.csv.")
    else:
        widgets.chart(figures.spoke_staffing(health.spokes, health.spoke_band), "spokes")
with right:
    st.markdown("**Demand queue by AI team** (hub and each spoke)")
    if health.queue.empty:
        st.info("No use case is assigned to an AI team yet.")
    else:
        widgets.chart(figures.ai_team_queue(health.queue, kpi("demand_queue_months"), health.queue_target), "queue")
        st.caption("Median months qualified use cases wait for a PoC, by the AI team serving them "
                   "(`unassigned`: no AI team given). A blank bar: nobody waits.")
st.markdown("**Shadow AI**: business teams that employ AI staff of their own")
if health.shadow_teams.empty:
    st.success("No business team employs AI staff of its own.", icon=":material/check_circle:")
else:
    st.dataframe(health.shadow_teams, hide_index=True, column_config={
        "team_name": "Team", "team_id": "Team id", "business_unit": "Business unit",
        "ai_staff": st.column_config.NumberColumn("AI staff", format="%d"),
        "headcount": st.column_config.NumberColumn("Headcount", format="%d"),
    })

advisor.render_advice(health.advice)

st.subheader("Org picture")
st.caption("Business units → teams, sized by headcount, coloured by the worst status among each team's KPIs "
           "(grey: no graded team KPI). Hover a team for its counts.")
widgets.chart(figures.org_treemap(health.picture), "org-picture")
