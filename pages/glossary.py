"""KPI glossary, generated from the KPI registry: what each KPI measures, how to read it, the choices
made, its target and where that target comes from, and its scopes."""

import streamlit as st

from aiorg_metrics.display.scorecard import by_theme
from aiorg_metrics.display.wording import STATUS_STYLES, model_name
from dashboard import header, routing
from dashboard.views import glossary
from dashboard.widgets import badge, md

view = routing.guard()
header.page_header(view, scoped=False)
state = view.state
entries, model = glossary.glossary_entries(state)

st.markdown(
    "Every KPI of the dashboard, generated from the same registry that computes them. Targets come from the "
    "reference guide unless marked as a **product default** (the guide gives no number) or as **your "
    "organization's setting** (an override in the settings file). Targets shown are those that apply under the "
    f"current organization model: **{md(model_name(model))}**."
)
legend = " ".join(f"{badge(status)}" for status in STATUS_STYLES)
st.markdown(
    f"Statuses: {legend}. A value short of its target by at most {state.settings.amber_tolerance:.0%} of the "
    "target bound is *Watch*; further away it is *Off target*. *No target*: read for information; *Partial year*: "
    "the 12-month window starts before the data does. Values are compared unrounded."
)
groups = by_theme(entries)  # entries carry .kpi like cards do
for theme, items in groups.items():
    st.subheader(theme.value.capitalize())
    for e in items:
        with st.container(border=True, key=f"glossary-{e.kpi.id}"):
            st.markdown(f"#### {md(e.kpi.label)}\n`{e.kpi.id}` · unit: {md(e.kpi.unit.value)}")
            st.markdown(glossary.with_code(e.kpi.description))
            st.markdown(
                f"**How to read it.** {md(e.how_to_read)}  \n"
                f"**Target:** {md(e.target)} — {glossary.with_code(e.source)}"
                + "".join(f"  \n- {md(line)}" for line in e.model_targets)
            )
            if e.overrides:
                st.markdown("**Business-unit overrides (settings):** " + "; ".join(md(o) for o in e.overrides))
            st.caption(f"Scopes: {md(e.scopes)} · Period read: {md(e.period)} · Dated by: {md(e.dated_by)}")
