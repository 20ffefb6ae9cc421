"""Hub & spoke health: statuses by business unit, the AI teams' shape and queues, the org-model advisor."""

import streamlit as st

from aiorg_metrics.display import figures
from aiorg_metrics.display.hub_spoke import queue_now
from aiorg_metrics.kpi import kpi
from dashboard import header, routing, widgets
from dashboard.views import advisor, hub_spoke
from dashboard.widgets import md

view = routing.guard()
header.page_header(view)

health = hub_spoke.hub_health(view.state, view.filters)
widgets.card_css()

shown, nothing = hub_spoke.matrix_text(health, view.filters.quarter)
st.subheader(f"Status by {health.matrix_level}")
if health.matrix.empty:
    st.info(nothing, icon=":material/filter_alt_off:")
else:
    st.caption(f"{shown} Each cell: status symbol (✓ on target, ! watch, ✕ off target, i no target, – no data) "
               f"and value. KPIs without a {health.matrix_level} view (such as hub size) are not in the grid. "
               "On a narrow screen, scroll the grid sideways.")
    with st.container(key="status-grid"):
        st.html(f"<style>.st-key-status-grid {{overflow-x:auto}} .st-key-status-grid "
                f"[data-testid='stFullScreenFrame'] {{min-width:{figures.status_heatmap_width(health.matrix)}px}}"
                "</style>")
        widgets.chart(figures.status_heatmap(health.matrix, health.team_name), "status-heatmap")

st.subheader("Shape of the AI organization")
widgets.card_grid(health.structure_cards, per_row=3, trend=False)
left, right = st.columns(2)
with left:
    st.markdown(f"**AI staff per spoke** against the model's band{widgets.scope_badge(health.unit_tag)}")
    if health.spokes.empty:
        st.info(hub_spoke.spokes_empty_text(health), icon=":material/filter_alt_off:")
    else:
        if health.unit:
            st.caption(f"The AI spokes of {md(health.unit)}.")
        widgets.chart(figures.spoke_staffing(health.spokes, health.spoke_band), "spokes")
with right:
    st.markdown(f"**Demand queue by AI team** in {view.filters.quarter}{widgets.scope_badge(health.org_tag)}")
    if health.queue.empty:
        st.info(hub_spoke.queue_empty_text(health))
    else:
        widgets.chart(figures.ai_team_queue(queue_now(health, view.filters.quarter),
                                            kpi("demand_queue_months"), health.queue_target), "queue")
        st.caption("Median months qualified use cases wait for a PoC, and how many wait, by the AI team serving "
                   "them (the hub and each spoke). A blank bar: nobody waits."
                   + (" The AI teams serve every business unit: their queues hold all units' requests."
                      if health.org_tag else ""))
if not health.queue.empty:
    st.markdown(f"**AI teams' queues, quarter by quarter**{widgets.scope_badge(health.org_tag)}")
    st.caption("For each AI team: the median wait of its queue against the guide's 3-month alert (top) and how "
               "many qualified use cases wait in it (bottom), at the end of each quarter. Click a team in the "
               "legend to hide it.")
    widgets.chart(figures.ai_team_queue_trend(health.queue, health.queue_target), "queue-trend")
st.markdown(f"**Shadow AI**: business teams that employ AI staff of their own{widgets.scope_badge(health.unit_tag)}")
if health.shadow_teams.empty:
    where = f" of {md(health.unit)}" if health.unit else ""
    st.success(f"No business team{where} employs AI staff of its own.", icon=":material/check_circle:")
else:
    st.dataframe(health.shadow_teams, hide_index=True, column_config={
        "team_name": "Team", "team_id": "Team id", "business_unit": "Business unit",
        "ai_staff": st.column_config.NumberColumn("AI staff", format="%d"),
        "headcount": st.column_config.NumberColumn("Headcount", format="%d"),
    })

if health.org_tag:
    st.caption(f"The advisor reads the whole organization{widgets.scope_badge(health.org_tag)}")
advisor.render_advice(health.advice)

st.subheader("Org picture")
choices = hub_spoke.picture_choices()
colour_by = st.selectbox("Colour the teams by", list(choices), key="picture_kpi",
                         help="A KPI with a team view; each team takes its status on it.")
picked = choices.get(colour_by or "", hub_spoke.PICTURE_DEFAULT)
teams = f"The teams of {md(health.unit)}" if health.unit else "Business units → teams"
meaning = (f"each team's status on “{colour_by}” in {view.filters.quarter}, with its value"
           if picked else "each team's worst status among its team KPIs")
st.caption(f"{teams}, sized by headcount. Colour: {meaning}. Light grey: not measured for the team "
           "(such as an AI team for a business KPI). Hover a team for its counts."
           + (f" The selected team, {md(health.team_name)}, is marked ▶ and in bold." if health.team_name else ""))
st.markdown(" ".join(widgets.badge(s) for s in figures.STATUS_ORDER[::-1]))
widgets.chart(figures.org_treemap(hub_spoke.picture(health, picked), view.filters.team_id), "org-picture")
