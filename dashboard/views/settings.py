"""Settings: the organization's targets and bands (per KPI and per business unit), amber tolerance,
maturity, declared org model, self-service platform, working hours, file-size limit, skills thresholds, how CSV
downloads are written.

Every field's bounds are the settings model's (settings_form.field_bounds). A settings file that
cannot be used shows its problems (page header), then this form with the defaults and the reset.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from aiorg_metrics.access import roles
from aiorg_metrics.access.actor import AccessDenied
from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.display import roles_view
from aiorg_metrics.display.settings_form import (
    BU_COLUMNS,
    business_unit_rows,
    csv_dialect_choices,
    field_bounds,
    settings_from_form,
    shown_value,
    target_rows,
)
from aiorg_metrics.display.wording import declared_model_choices, model_name
from aiorg_metrics.kpi.catalog import KPIS
from aiorg_metrics.kpi.settings import Settings, SettingsError, locate_settings, reset_settings, save_settings
from dashboard import access, cached
from dashboard.state import DataState, upload_cap_mb
from dashboard.widgets import md

MODELS = declared_model_choices()  # name → settings value, from the one table of model names
MESSAGE = "settings-message"  # what the page says after the rerun that follows a save or a reset


def settings_path(state: DataState) -> Path:
    """The settings file of the store."""
    return locate_settings(state.db).path


def saved_line(state: DataState) -> None:
    """The message of the last save or reset, who saved last and when, the file, and what the form shows
    when the file cannot be used."""
    current = state.settings
    if message := st.session_state.pop(MESSAGE, None):
        st.success(message, icon=":material/check_circle:")
    if state.settings_error:  # the file exists but cannot be read: "no settings saved" would contradict the warning
        saved = ("The settings file has errors (see above): the guide's targets and the product defaults are in "
                 "force until it is fixed or saved here")
    elif current.saved:
        saved = f"Last saved by **{md(current.saved.by)}** on {current.saved.at:%d %b %Y at %H:%M} UTC"
    else:
        saved = "No settings saved yet: the guide's targets and the product defaults apply"
    st.caption(f":material/settings: {saved} · file {md(settings_path(state))}. Changes apply to every page at once.")
    if state.settings_error:
        st.info("The form below shows the defaults. **Save settings** writes them, with your changes, over the "
                "file; **Reset to defaults** (at the bottom) restores the defaults.", icon=":material/build:")


def _number(column, label: str, field: str, value: float, step: float, **extra):
    """A number input bounded as the settings model bounds `field`."""
    lowest, highest = field_bounds(field)
    return column.number_input(label, min_value=lowest, max_value=extra.pop("cap", highest),
                               value=shown_value(field, value), step=step, **extra)


def _organization_fields(current: Settings) -> tuple[dict, dict]:
    """The organization's fields and the skills thresholds, as the form holds them."""
    c1, c2, c3 = st.columns(3)
    lowest, highest = (int(b) for b in field_bounds("maturity"))
    levels = [None, *range(lowest, highest + 1)]
    maturity = c1.selectbox(f"AI maturity ({lowest}–{highest})", levels, index=levels.index(current.maturity),
                            format_func=lambda m: "Not set" if m is None else str(m),
                            help="The guide's maturity scale; the org-model advisor reads it.")
    model = c2.selectbox("Declared org model", list(MODELS), index=list(MODELS.values()).index(current.declared_model))
    self_service = c3.checkbox("Mature self-service AI platform", value=current.self_service_platform,
                               help="With maturity 4+, the guide's condition for the embedded model.")
    c4, c5, c6 = st.columns(3)
    hours = _number(c4, "Working hours per quarter", "hours_per_quarter", current.hours_per_quarter, 5.0,
                    help="Champion time allocation divides their hours by this (default 455).")
    tolerance = _number(c5, "Amber tolerance (%)", "amber_tolerance", current.amber_tolerance, 1.0,
                        help="How far short of a target, relative to it, is still amber (Watch).")
    cap = float(min(upload_cap_mb(), field_bounds("max_file_mb")[1]))
    max_mb = _number(c6, "File-size limit per upload (MB)", "max_file_mb", min(current.max_file_mb, cap), 10.0,
                     cap=cap, help=f"At most {cap:,.0f} MB (the server's hard limit is {upload_cap_mb()} MB).")
    c7, c8, c9 = st.columns(3)
    answers = _number(c7, "Fewest survey answers shown", "min_survey_answers", current.min_survey_answers, 1.0,
                      format="%.0f", help="Below the whole organization, a survey average of fewer answers is "
                      "withheld everywhere (app, command line, exports), so no one's answer can be read.")
    coverage_below = _number(c8, "Skills: large gap below coverage (%)", "coverage_below",
                             current.skills_gap.coverage_below, 5.0)
    spend_below = _number(c9, "Skills: low spend below (EUR per learner, 12 months)", "spend_per_learner_below",
                          current.skills_gap.spend_per_learner_below, 100.0)
    dialects = csv_dialect_choices()
    dialect = st.columns(3)[0].selectbox(
        "CSV downloads", list(dialects), index=list(dialects.values()).index(current.csv_dialect),
        help="How the app's table downloads are written. French Excel opens them in columns with a double "
             "click (UTF-8, ; between cells, decimal comma); Standard suits other tools. Shares are percents.")
    organization = {"maturity": maturity, "declared_model": MODELS[model], "self_service_platform": self_service,
                    "hours_per_quarter": float(hours), "amber_tolerance": tolerance / 100,
                    "max_file_mb": float(max_mb),
                    "min_survey_answers": int(answers), "csv_dialect": dialects[dialect]}
    gap = {"coverage_below": coverage_below / 100, "spend_per_learner_below": float(spend_below)}
    return organization, gap


def _target_editors(state: DataState) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets table (one row per KPI) and the business units' overrides (a row per override)."""
    current = state.settings
    model = cached.current_model(state.db, state.version)
    st.subheader("Targets", anchor=False)
    st.caption(f"The guide's target (or the product default) in force under the current organization model, "
               f"**{md(model_name(model))}**. Leave min and max empty to keep it. An override replaces the whole "
               "target. Percentages are written as percents (35 = 35%).")
    targets = st.data_editor(pd.DataFrame(target_rows(current, model)), hide_index=True, key="targets",
                             height="content", placeholder="",  # an empty bound reads empty, not "None"
                             disabled=["kpi", "label", "guide or default target"], width="stretch",
                             column_config={"kpi": None, "label": st.column_config.TextColumn("KPI")})
    st.subheader("Targets for one business unit", anchor=False)
    st.caption("A business unit's target also applies to its teams and champions. Add a row per override.")
    units = sorted(cached.teams(state.db, state.version)["business_unit"].unique()) if state.has_data else []
    by_unit = st.data_editor(
        pd.DataFrame(business_unit_rows(current), columns=BU_COLUMNS), hide_index=True, num_rows="dynamic",
        key="by-unit", width="stretch", placeholder="",
        column_config={"kpi": st.column_config.SelectboxColumn("KPI", options=[k.label for k in KPIS], required=True,
                                                               width="large"),
                       "business unit": st.column_config.SelectboxColumn(options=units, required=True)},
    )
    return targets, by_unit


def settings_form(state: DataState) -> None:
    """The form; on save, the settings it holds are checked and written (or their problems listed)."""
    with st.form("settings"):
        st.subheader("Organization", anchor=False)
        organization, gap = _organization_fields(state.settings)
        targets, by_unit = _target_editors(state)
        submitted = st.form_submit_button("Save settings", type="primary", icon=":material/save:")
    if not submitted or not access.change_allowed(Permission.SETTINGS_ROLES_AND_PATHS):
        return
    try:
        new = settings_from_form(organization, targets.to_dict("records"), by_unit.to_dict("records"), gap)
        save_settings(settings_path(state), new, actor=access.actor())
    except AccessDenied:
        access.refused()
        return
    except SettingsError as exc:
        lines = str(exc).splitlines()  # a heading, then one problem a line; or a single sentence
        st.error("The settings were not saved:\n\n" + "\n".join(f"- {md(line.strip())}" for line in lines[1:] or lines))
        return
    st.session_state[MESSAGE] = "Settings saved. Statuses across the app now use them."
    st.rerun()


def reset_section(state: DataState) -> None:
    """Reset to defaults, open at once when the settings file cannot be used."""
    with st.expander("Reset to defaults", expanded=bool(state.settings_error)):
        st.write("Restores the guide's targets, removes every override and resets the organization settings.")
        if st.button("Reset to defaults", key="reset"):
            if not access.change_allowed(Permission.SETTINGS_ROLES_AND_PATHS):
                return
            try:
                reset_settings(settings_path(state), actor=access.actor())
            except AccessDenied:
                access.refused()
                return
            except SettingsError as exc:  # a read-only settings file or folder
                st.error(md(exc), icon=":material/lock:")
                return
            st.session_state[MESSAGE] = "Settings reset to the defaults."
            st.rerun()


# --- roles (read-only: the roles file is edited on the server) --------------------------------------------

ROLES_EDITED = ("Roles are given in the roles file on the server, not on this page: edit the file there. It is read "
                "again at every click, so a change takes effect at once, whatever the age of a sign-in.")


def roles_section() -> None:
    """The roles file in use, whether it is valid (each faulty entry named), the contact and the assignments."""
    st.subheader("Roles", anchor=False)
    path = access.roles_file_in_use()
    if not access.auth_configured():
        st.caption(":material/computer: Sign-in is not configured: the dashboard runs in local mode (full rights "
                   "on this machine, read-only from another one unless `AIORG_LOCAL_MODE=trusted`). "
                   "README, *Deployment: sign-in and roles*, says how to configure it.")
    if path is None:
        st.info("No roles file: set `AIORG_ROLES` or `roles_file` under `[aiorg]` in the secrets. " + ROLES_EDITED,
                icon=":material/group:")
        return
    try:
        found = roles.load_roles(path)
    except roles.RolesError as exc:
        lines = str(exc).splitlines()
        st.error(f"**The roles file {md(path)} is not valid**, so nobody can sign in until it is fixed:\n\n"
                 + "\n".join(f"- {md(line.strip())}" for line in lines[1:] or lines), icon=":material/error:")
        st.caption(ROLES_EDITED)
        return
    st.caption(f":material/group: Roles file {md(path)} · valid · contact: {md(found.contact)} · groups are read "
               f"from the sign-in claim `{found.groups_claim}`")
    st.dataframe(roles_view.assignments_frame(found), hide_index=True)
    st.caption(ROLES_EDITED)
