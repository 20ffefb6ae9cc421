"""Skills & training: skill gaps by role, single points of failure, training spend and practice share
against the guide, reconversion paths against the guide's durations, and skills coverage against spend."""

import streamlit as st

from aiorg_metrics.display import figures, tables
from aiorg_metrics.kpi import kpi
from dashboard import ui, views

state, filters = ui.view()
ui.page_header("Skills & training", state, filters)
ui.require_data(state)

view = views.skills_view(state, filters)
ui.card_css()
ui.card_grid(view.cards, per_row=4, key="skills-card")

st.subheader("Skill gaps by role")
roles, seniorities = views.role_options(state)
left, right, _ = st.columns([1, 1, 2])
with left:
    role = st.selectbox("Role", roles, key="role", bind="query-params")
with right:
    seniority = st.selectbox("Seniority", seniorities, key="seniority", bind="query-params")
gaps = views.gap_cells(state, filters, role, seniority)
if gaps.empty:
    st.info("No skills assessment matches these filters (or `skills.csv` is not loaded yet).",
            icon=":material/person_search:")
else:
    st.caption("Mean gap between the level each person's seniority requires and their assessed level, per skill "
               "the role needs (red: below the requirement, blue: above; a missing assessment counts as level 0; "
               "blank: the role does not need the skill). Required levels are a product default: junior 1, mid 2, "
               "senior 3, staff and principal 4.")
    ui.chart(figures.gap_heatmap(gaps), "gaps")

st.subheader("Single points of failure")
if view.spof.empty:
    st.success("Every skill of the framework has at least two experts (level 3 or more).",
               icon=":material/check_circle:")
else:
    st.caption("Skills of the competency framework held at expert level (3 or more) by fewer than two people, "
               "organization-wide: losing one person loses the skill.")
    st.dataframe(tables.single_points_of_failure(view.spof), hide_index=True)

left, right = st.columns(2)
with left:
    st.markdown(f"**Training spend per learner** by {view.level}, last 12 months")
    if view.spend.empty:
        st.info("No training records in the 12 months ending this quarter.")
    else:
        ui.chart(figures.unit_bars(view.spend, kpi("training_spend_per_learner"), view.spend_target,
                                   "EUR per learner (12 months)"), "spend")
with right:
    st.markdown(f"**Practice share of training hours** by {view.level}, last 12 months")
    if view.practice.empty:
        st.info("No training hours in the 12 months ending this quarter.")
    else:
        ui.chart(figures.unit_bars(view.practice, kpi("practice_share"), view.practice_target,
                                   "practice hours (% of training hours)"), "practice")

st.subheader("Reconversion paths")
if view.paths.empty:
    st.info("No reconversion path in the training records (the `path` column of `training_spend.csv`).",
            icon=":material/route:")
else:
    st.caption("Each path from its start to its completion (or to the end of the quarter while ongoing), over the "
               "guide's duration for that path (green band, min to max months). ✕: beyond the guide's maximum.")
    ui.chart(figures.paths_timeline(view.paths, filters.quarter.last_day), "paths")
    with st.expander("Paths as a table"):
        st.dataframe(tables.reconversion_paths(view.paths, view.team_names), hide_index=True,
                     column_config={"Months": st.column_config.NumberColumn(format="%.1f")})

st.subheader("Skills coverage against training spend, per team")
if view.coverage.dropna(subset=["coverage"]).empty:
    st.info("No team has assessed employees yet (`skills.csv`).", icon=":material/person_search:")
else:
    st.caption(f"Teams with assessed AI staff. ✕ red: large gap and low spend (coverage below "
               f"{view.coverage_below:.0%} and under {view.spend_below:,.0f} EUR per learner; thresholds in the "
               "settings). Dot size: people assessed; hover a dot for the team.")
    ui.chart(figures.coverage_vs_spend(view.coverage, view.spend_target, view.coverage_below, view.spend_below),
             "coverage")
