"""Skills & training: skill gaps by role, single points of failure, training spend and practice share
against the guide, reconversion paths against the guide's durations, and skills coverage against spend."""

import streamlit as st

from aiorg_metrics.display import figures, tables
from aiorg_metrics.kpi import kpi
from dashboard import cached, header, routing, widgets
from dashboard.views import skills

view = routing.guard()
header.page_header(view)
state, filters = view.state, view.filters

shown = skills.skills_view(state, filters)
widgets.card_css()
widgets.card_grid(shown.cards, per_row=4, key="skills-card")

st.subheader("Skill gaps by role")
roles, seniorities = skills.role_options(state, filters)
left, right, _ = st.columns([1, 1, 2])
with left:
    role = st.selectbox("Role", roles, key="role", bind="query-params", format_func=skills.role_label,
                        help="The roles of the employees assessed in the selected business unit and team.")
with right:
    seniority = st.selectbox("Seniority", seniorities, key="seniority", bind="query-params")
gaps = skills.gap_cells(state, filters, role, seniority)
if widgets.notice_or_caption(
    gaps.empty, skills.nobody_assessed_text(state, filters, role, seniority),
    f"Employees of {skills.where_text(state, filters)}. Mean gap between the level each person's seniority "
    "requires and their assessed level, per skill the role "
    "needs (red: below the requirement, blue: above; a missing assessment counts as level 0; blank: the role does "
    "not need the skill). Required levels are a product default: junior 1, mid 2, senior 3, staff and principal 4.",
    icon=":material/person_search:",
):
    widgets.chart(figures.gap_heatmap(gaps), "gaps")

st.subheader("Single points of failure")
if shown.org_tag:
    st.markdown(widgets.scope_badge(shown.org_tag).strip())
if not shown.skills_loaded:
    st.info(shown.nobody_assessed, icon=":material/person_search:")
elif widgets.notice_or_caption(
    shown.spof.empty, "Every skill of the framework has at least two experts (level 3 or more).",
    "Skills of the competency framework held at expert level (3 or more) by fewer than two people, "
    "organization-wide: losing one person loses the skill, whichever team they work in.",
    icon=":material/check_circle:", good=True,
):
    st.dataframe(shown.spof, hide_index=True)
    if "Who" not in shown.spof.columns:
        st.caption(skills.NAMES_WITHHELD)

TRAINING_CHARTS = (  # (title, frame, KPI, its target, axis, empty state, chart key)
    ("Training spend per learner", shown.spend, "training_spend_per_learner", shown.spend_target,
     "EUR per learner (12 months)", shown.no_spend, "spend"),
    ("Practice share of training hours", shown.practice, "practice_share", shown.practice_target,
     "practice hours (% of training hours)", shown.no_practice, "practice"),
)
for column, (title, frame, kpi_id, target, axis, empty, key) in zip(st.columns(2), TRAINING_CHARTS, strict=True):
    with column:
        st.markdown(f"**{title}** by {shown.level}, last 12 months")
        if frame.dropna(subset=["value"]).empty:
            st.info(empty)
        else:
            widgets.chart(figures.unit_bars(frame, kpi(kpi_id), target, axis), key)

st.subheader("Reconversion paths")
if not shown.paths_individual:
    if widgets.notice_or_caption(shown.path_counts.empty, shown.no_paths, skills.PATHS_COUNTED,
                                 icon=":material/route:"):
        st.dataframe(shown.path_counts, hide_index=True)
elif widgets.notice_or_caption(
    shown.paths.empty, shown.no_paths,
    "Each path from its start to its completion (or to the end of the quarter while ongoing), over the guide's "
    "duration for that path (green band, min to max months). ✕: beyond the guide's maximum.",
    icon=":material/route:",
):
    as_of = cached.quarter_as_of(state.db, state.version, filters.quarter) or filters.quarter.last_day
    if shown.paths_note:
        st.caption(shown.paths_note)
    widgets.chart(figures.paths_timeline(shown.paths_drawn, as_of), "paths")
    with st.expander("Paths as a table"):
        st.dataframe(tables.reconversion_paths(shown.paths, shown.team_names), hide_index=True,
                     column_config={"Months": st.column_config.NumberColumn(format="%.1f")})

st.subheader("Skills coverage against training spend, per team")
if widgets.notice_or_caption(
    shown.coverage.dropna(subset=["coverage"]).empty, shown.nobody_assessed,
    f"Teams of {skills.where_text(state, filters)} with assessed AI staff. ✕ red: large gap and low spend "
    f"(coverage below {shown.coverage_below:.0%} "
    f"and under {shown.spend_below:,.0f} EUR per learner; thresholds in the settings). Dot size: people assessed; "
    "hover a dot for the team.",
    icon=":material/person_search:",
):
    widgets.chart(figures.coverage_vs_spend(shown.coverage, shown.spend_target, shown.coverage_below,
                                            shown.spend_below), "coverage")
