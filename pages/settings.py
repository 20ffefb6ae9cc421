"""Settings: the organization's targets and bands (per KPI and per business unit), amber tolerance,
maturity, declared org model, self-service platform, working hours, file-size limit."""

import pandas as pd
import streamlit as st

import ui
from aiorg_metrics.importlog import current_user
from aiorg_metrics.kpi.catalog import KPIS
from aiorg_metrics.settings import SettingsError, locate_settings, reset_settings, save_settings
from aiorg_metrics.settings_form import BU_COLUMNS, business_unit_rows, settings_from_form, target_rows

MODELS = {"Inferred from the teams": None, "Centralized (CoE)": "centralized", "Hub & spoke": "hub_spoke",
          "Federated": "federated", "Embedded (AI-native)": "embedded"}

state, filters = ui.view()
ui.page_header("Settings", state, None)
path = locate_settings(state.db).path
current = state.settings
if message := st.session_state.pop("settings-message", None):
    st.success(message, icon=":material/check_circle:")
saved = f"Last saved by **{ui.md(current.saved.by)}** on {current.saved.at:%d %b %Y at %H:%M} UTC" if current.saved \
    else "No settings saved yet: the guide's targets and the product defaults apply"
st.caption(f":material/settings: {saved} · file `{path}`. Changes apply to every page at once.")

with st.form("settings"):
    st.subheader("Organization", anchor=False)
    c1, c2, c3 = st.columns(3)
    maturity = c1.selectbox("AI maturity (1–5)", [None, 1, 2, 3, 4, 5], index=[None, 1, 2, 3, 4, 5].index(
        current.maturity), format_func=lambda m: "Not set" if m is None else str(m),
        help="The guide's maturity scale; the org-model advisor reads it.")
    model_labels = list(MODELS)
    model = c2.selectbox("Declared org model", model_labels,
                         index=list(MODELS.values()).index(current.declared_model))
    self_service = c3.checkbox("Mature self-service AI platform", value=current.self_service_platform,
                               help="With maturity 4+, the guide's condition for the embedded model.")
    c4, c5, c6 = st.columns(3)
    hours = c4.number_input("Working hours per quarter", min_value=1.0, value=float(current.hours_per_quarter),
                            step=5.0, help="Champion time allocation divides their hours by this (default 455).")
    tolerance = c5.number_input("Amber tolerance (%)", min_value=0.0, max_value=99.0,
                                value=round(current.amber_tolerance * 100, 2), step=1.0,
                                help="How far short of a target, relative to it, is still amber (Watch).")
    max_mb = c6.number_input("File-size limit per upload (MB)", min_value=1.0, max_value=float(ui.upload_cap_mb()),
                             value=min(float(current.max_file_mb), float(ui.upload_cap_mb())), step=10.0,
                             help=f"At most {ui.upload_cap_mb()} MB, the server's hard limit.")
    c7, c8 = st.columns(2)
    coverage_below = c7.number_input("Skills: large gap below coverage (%)", 0.0, 100.0,
                                     current.skills_gap.coverage_below * 100, 5.0)
    spend_below = c8.number_input("Skills: low spend below (EUR per learner, 12 months)", 0.0, None,
                                  current.skills_gap.spend_per_learner_below, 100.0)

    st.subheader("Targets", anchor=False)
    st.caption("Leave min and max empty to keep the guide's target (or the product default). An override replaces "
               "the whole target. Percentages are written as percents (35 = 35%).")
    targets = st.data_editor(pd.DataFrame(target_rows(current)), hide_index=True, key="targets", height=40 + 35 * 20,
                             disabled=["kpi", "label", "guide or default target"], width="stretch",
                             column_config={"kpi": None})
    st.subheader("Targets for one business unit", anchor=False)
    st.caption("A business unit's target also applies to its teams and champions. Add a row per override.")
    units = sorted(ui.teams(state.db, state.version)["business_unit"].unique()) if state.has_data else []
    by_unit = st.data_editor(
        pd.DataFrame(business_unit_rows(current), columns=BU_COLUMNS), hide_index=True, num_rows="dynamic",
        key="by-unit", width="stretch",
        column_config={"kpi": st.column_config.SelectboxColumn(options=[k.id for k in KPIS], required=True),
                       "business unit": st.column_config.SelectboxColumn(options=units, required=True)},
    )
    submitted = st.form_submit_button("Save settings", type="primary", icon=":material/save:")

if submitted:
    organization = {"maturity": maturity, "declared_model": MODELS[model], "self_service_platform": self_service,
                    "hours_per_quarter": float(hours), "amber_tolerance": tolerance / 100,
                    "max_file_mb": float(max_mb)}
    gap = {"coverage_below": coverage_below / 100, "spend_per_learner_below": float(spend_below)}
    try:
        new = settings_from_form(organization, targets.to_dict("records"), by_unit.to_dict("records"), gap)
        save_settings(path, new, current_user())
        st.session_state["settings-message"] = "Settings saved. Statuses across the app now use them."
        st.rerun()
    except SettingsError as exc:
        st.error("The settings were not saved:\n\n" + "\n".join(f"- {ui.md(line.strip())}"
                                                                for line in str(exc).splitlines()[1:]))

with st.expander("Reset to defaults"):
    st.write("Restores the guide's targets, removes every override and resets the organization settings.")
    if st.button("Reset to defaults", key="reset"):
        reset_settings(path, current_user())
        st.session_state["settings-message"] = "Settings reset to the defaults."
        st.rerun()
