"""Use-case funnel: identified → qualified → PoC → production → adopted, the conversion KPIs
beside it, the use cases waiting longest, and a champion view (pick a champion or open a link with one)."""

import streamlit as st

from aiorg_metrics.display import figures, tables
from aiorg_metrics.display.wording import first_sentence
from dashboard import header, routing, widgets
from dashboard.views import funnel

view = routing.guard()
header.page_header(view)
state, filters = view.state, view.filters

options = funnel.champion_options(state, filters)
asked = st.query_params.get("champion") or st.session_state.get("champion")
if (label := funnel.option_for(options, asked)) not in (None, asked):  # a bare id: show the champion's label
    st.query_params["champion"] = st.session_state["champion"] = label
    if st.session_state.get("_champion_id_link") != asked:  # restart once on the corrected URL, which
        st.session_state["_champion_id_link"] = asked  # the bound select then keeps (it drops unknown values)
        st.rerun()
elif asked not in (None, funnel.ALL_CHAMPIONS, *options):  # a link or an earlier pick outside the selection
    st.info(funnel.champion_outside(state, filters, asked), icon=":material/person_off:")
    st.session_state["champion"] = funnel.ALL_CHAMPIONS
left, right = st.columns(2)
with left:
    picked = st.selectbox("Champion", [funnel.ALL_CHAMPIONS, *options], key="champion", bind="query-params",
                          help="Pick a champion to see their use cases, their funnel and their own KPIs. The "
                               "list holds the champions of the selected business unit and team (the team they "
                               "represent at the end of the quarter). The link in the address bar reopens this "
                               "view.")
with right:
    cohort = st.selectbox("Cohort", list(funnel.COHORTS), key="cohort", bind="query-params",
                          help="Which use cases the funnel follows, by identification date. Each is shown as "
                               "it stands at the end of the quarter.")
shown = funnel.funnel_view(state, filters, picked, cohort)
widgets.card_css()

st.caption(f"Cohort: {widgets.md(shown.cohort_text)}, {shown.scope_text}; state at {shown.funnel.as_of:%d %b %Y}. "
           "The funnel steps carry no status: the targets belong to the two conversion KPIs beside it.")
chart_col, kpi_col = st.columns([3, 2])
with chart_col:
    if shown.funnel.stages[0].reached == 0:
        st.info(shown.empty_text, icon=":material/filter_alt_off:")
    else:
        widgets.chart(figures.funnel(shown.funnel.stages_frame()), "funnel")
        st.caption("Adopted: in production, with at least 70% of the target users active in the latest month "
                   "reported. Median and p90 days: from reaching the previous stage to reaching this one.")
        st.dataframe(tables.funnel_stages(shown.funnel), hide_index=True)
with kpi_col:
    for card in shown.conversion_cards:
        widgets.render_card(card, key="conversion-card")
        st.caption(widgets.md(first_sentence(card.kpi.description)))

st.subheader("Waiting longest")
waiting = tables.waiting_longest(shown.funnel, shown.team_names, shown.champion_names)
if waiting.empty and shown.funnel.stages[0].reached:
    st.success("No live use case is waiting in this cohort.", icon=":material/check_circle:")
elif waiting.empty:
    st.caption("The cohort holds no use case, so none is waiting.")
else:
    st.caption(f"Per stage, the live (not rejected) use cases {shown.scope_text} that have been there longest at "
               f"the end of {filters.quarter}. {tables.OVER_3_MONTHS}: qualified and still waiting for a PoC after "
               "more than three months, the guide's alert for demand waiting.")
    st.dataframe(widgets.flag_rows(waiting, "Flag"), hide_index=True, height="content", column_config={
        "Months waiting": st.column_config.NumberColumn(format="%.1f"),
        "Flag": st.column_config.TextColumn(width="medium"),
    })

if shown.champion:
    st.subheader(f"Champion view: {widgets.md(shown.champion)}")
    widgets.card_grid(shown.champion_cards, per_row=3, key="champion-card")
    st.markdown("**Their use cases**")
    if shown.champion_use_cases is None or shown.champion_use_cases.empty:
        st.info(f"{widgets.md(shown.champion)} identified no use case by the end of {filters.quarter}.")
    else:
        st.dataframe(tables.champion_use_cases(shown.champion_use_cases), hide_index=True)
