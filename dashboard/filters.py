"""The shared sidebar: quarter, business unit and team, kept in the URL so a link reopens the same view.

`sidebar()` runs once per run in app.py and returns the `Filters` every page reads; the data-freshness
line closes it. `quarter_notice` tells on the page when the link named a quarter that could not be shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from aiorg_metrics.access.permissions import Rights
from aiorg_metrics.common.periods import Quarter, QuarterError
from aiorg_metrics.display import team_scope
from aiorg_metrics.display.review import ReviewScope
from aiorg_metrics.display.wording import data_to_text
from dashboard import access, cached
from dashboard.state import DataState
from dashboard.widgets import md

ALL_UNITS = "All business units"
ALL_TEAMS = "All teams"
_SCOPE_NOTICE = "_scope_notice"


# The view the sidebar selects (quarter, business unit, team): a review's scope, which the review page,
# review mode and the review pack read alike.
Filters = ReviewScope


def _keep_in_url(key: str, options: Sequence[str], fallback: str) -> None:
    """Make the bound widget `key` hold a valid value that the URL names.

    A widget bound to the URL drops a value equal to its default from the URL; the
    quarter's widget has no default (index=None), and when the URL names no valid
    quarter we put the current (or default) one in both the state and the URL, so a
    copied link always names its quarter, even when it is the default. A link naming an
    unknown quarter is corrected, then the run restarts on the corrected URL (the widget
    would otherwise seed itself from the bad value and drop the parameter); the refused
    value is kept in `_refused_<key>` for the page to say so.
    """
    in_url = st.query_params.get(key)
    if in_url in options:
        return
    if in_url is not None:
        st.session_state[f"_refused_{key}"] = in_url
    current = st.session_state.get(key)
    value = current if current in options else fallback
    try:
        st.query_params[key] = value
        bound = False
    except StreamlitAPIException:  # bound already: the state assignment below syncs the URL
        bound = True
    st.session_state[key] = value
    guard = f"_corrected_{key}"
    if in_url is not None and not bound and st.session_state.get(guard) != in_url:
        st.session_state[guard] = in_url  # restart at most once per bad value
        st.rerun()


def _team_labels(directory: pd.DataFrame) -> dict[str, str]:
    """Team label → team_id; the name alone unless two teams share it."""
    counts = directory["team_name"].value_counts()
    return {
        (row.team_name if counts[row.team_name] == 1 else f"{row.team_name} ({row.team_id})"): row.team_id
        for row in directory.itertuples(index=False)
    }


def part_quarters_line(state: DataState, options: Sequence[str]) -> str | None:
    """The quarters whose data stops before their end, "2026-Q4 · data to 13 Nov", for the line under
    the quarter select. Not a `format_func`: a bound select would put that label in the URL."""
    parts = [f"{q} · {data_to_text(day)}" for q in options
             if (day := cached.quarter_data_to(state.db, state.version, q))]
    return f"Part quarter: {', '.join(parts)}" if parts else None


def sidebar(state: DataState) -> Filters | None:
    """Quarter, business unit and team filters (in the URL), then the data-freshness line."""
    with st.sidebar:
        if not state.has_data:
            freshness_line(state)
            access.sign_out_button()
            return None
        options = [str(q) for q in reversed(state.quarters)]
        _keep_in_url("quarter", options, str(state.default_quarter))
        quarter = st.selectbox("Quarter", options, index=None, key="quarter", bind="query-params",
                               help="The reporting quarter. Opens on the latest quarter the data fully covers.")
        q = Quarter.parse(quarter or str(state.default_quarter))
        directory = cached.teams(state.db, state.version)
        rights = access.current_rights()
        if team_scope.champion_scoped(rights):
            unit, team_id, team_label = None, *_locked_team(state, q, directory, rights)
        else:
            unit, team_id, team_label = _unit_and_team(directory)
        team_bu = directory.loc[directory["team_id"] == team_id, "business_unit"].iloc[0] if team_id else None
        if part := part_quarters_line(state, options):
            st.caption(f":material/schedule: {part}")
        freshness_line(state)
        access.sign_out_button()
    return Filters(q, unit, team_id, team_label if team_id else None, team_bu)


def _unit_and_team(directory: pd.DataFrame) -> tuple[str | None, str | None, str | None]:
    """The business unit and team selects: the unit (None: all), the team's id and label (None: all)."""
    units = [ALL_UNITS, *sorted(directory["business_unit"].unique())]
    unit = st.selectbox("Business unit", units, key="business_unit", bind="query-params")
    unit = None if unit in (None, ALL_UNITS) else unit
    scoped = directory if unit is None else directory[directory["business_unit"] == unit]
    labels = _team_labels(scoped)
    team_options = [ALL_TEAMS, *labels]
    if st.session_state.get("team") not in (None, *team_options):
        st.session_state["team"] = ALL_TEAMS
    team_label = st.selectbox("Team", team_options, key="team", bind="query-params",
                              help="Teams of the selected business unit. KPIs without a team view show "
                                   "the business unit's or the organization's value, tagged as such.")
    team_id = labels.get(team_label) if team_label not in (None, ALL_TEAMS) else None
    return unit, team_id, team_label if team_id else None


def _asked(key: str, ignored: str) -> str | None:
    """What the URL, else the session, asks for `key` (None for nothing, or for `ignored`: "all")."""
    value = st.query_params.get(key) or st.session_state.get(key)
    return None if value in (None, "", ignored) else str(value)


def own_teams(state: DataState, quarter: Quarter, rights: Rights) -> tuple[team_scope.OwnTeam, ...]:
    """The teams of a champion's rights in the quarter's data (`team_scope.own_teams`)."""
    if not rights.team_ids and not rights.champion_ids:
        return ()  # not a champion: no team to find, so the quarter's champions are not read (first page sooner)
    champions = cached.champions(state.db, state.version, str(quarter))
    return team_scope.own_teams(rights, champions, cached.teams(state.db, state.version))


def _locked_team(state: DataState, quarter: Quarter, directory: pd.DataFrame,
                 rights: Rights) -> tuple[str | None, str | None]:
    """A champion's sidebar (`team_scope.lock_scope`): their own teams and the organization, no business
    unit. A link or an earlier pick naming anything else is replaced here, before any page reads data,
    and the page says so (`scope_notice`). The team's id and label (None: the organization)."""
    own = own_teams(state, quarter, rights)
    locked = team_scope.lock_scope(own, _asked("team", ALL_TEAMS), _asked("business_unit", ALL_UNITS),
                                   access.contact())
    st.session_state[_SCOPE_NOTICE] = locked.notice
    st.session_state.pop("business_unit", None)
    with suppress(KeyError):
        del st.query_params["business_unit"]
    if st.query_params.get("team") not in (None, locked.label):
        with suppress(StreamlitAPIException):  # bound already: the state below syncs the URL
            st.query_params["team"] = locked.label
    st.session_state["team"] = locked.label
    label = st.selectbox("Team", locked.options, key="team", bind="query-params",
                         help="Your own team, or the organization's totals. Other teams and business units "
                              "are not open to you.")
    team_id = team_scope.team_labels(own).get(label or "")
    return team_id, label if team_id else None


def scope_notice() -> None:
    """Say so on the page when a champion's link named another team or unit, or their team is not in the data."""
    notice = st.session_state.get(_SCOPE_NOTICE)
    if notice:
        st.warning(md(notice), icon=":material/lock:")


def freshness_line(state: DataState) -> None:
    """How fresh the data is: the last day it covers and the last import; then who is acting (local mode)."""
    f = state.freshness
    if f.last_day is None:
        st.caption(":material/database: No data loaded yet.")
    else:
        imported = f"{f.last_import_at:%d %b %Y, %H:%M}" if f.last_import_at else "–"
        what = f" ({md(f.last_import_file)})" if f.last_import_file else ""
        st.caption(f":material/update: Data up to **{f.last_day:%d %b %Y}** · last import {imported}{what}")
    st.caption(f":material/computer: {md(access.identity_text())}")


def quarter_notice(state: DataState) -> None:
    """Say so when the link asked for a quarter that is malformed or outside the data, and which one is shown."""
    refused = st.session_state.pop("_refused_quarter", None)
    if refused is None or not state.has_data:
        return
    shown = st.session_state.get("quarter") or state.default_quarter
    text = md(refused if len(refused) <= 40 else refused[:40] + "…")
    try:
        asked = f"The link asks for {Quarter.parse(refused)}, a quarter outside the data"
    except QuarterError:
        asked = f"The link asks for quarter “{text}”, which is not a quarter (write it as 2026-Q3)"
    st.warning(f"{asked}. The data covers {state.covered_text}: showing {shown} instead.",
               icon=":material/event_busy:")
