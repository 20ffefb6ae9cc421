"""Hub & spoke health: statuses by business unit (by team under a unit filter), the AI teams' shape
and queues, the org-model advisor, and the org picture."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from aiorg_metrics.analysis import advisor
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.scorecard import Card, Selection
from aiorg_metrics.display.wording import model_name
from aiorg_metrics.kpi import Page, Scope, kpis_on
from aiorg_metrics.kpi.status import Target
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import cards, team_names, team_rows, unit_teams
from dashboard.widgets import badge_text, md

STRUCTURE_KPIS = kpis_on(Page.HUB_SPOKE)  # the shape of the AI organization


@dataclass(frozen=True)
class HubHealth:
    matrix: pd.DataFrame  # unit × KPI statuses
    matrix_level: str  # "business unit" or "team"
    structure_cards: list[Card]
    spokes: pd.DataFrame
    spoke_band: tuple[float, float] | None
    shadow_teams: pd.DataFrame
    queue: pd.DataFrame
    queue_target: Target | None
    advice: advisor.Advice
    picture: pd.DataFrame


def hub_health(state: DataState, filters: Filters) -> HubHealth:
    """Statuses by business unit (by team under a unit filter), the AI teams' shape, the queue by AI
    team, the advisor's reading and the org picture."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    all_teams = cached.teams(db, version)
    names = team_names(state)
    by_unit = cached.kpi_results(db, version, quarter, "business_unit")
    by_team = cached.kpi_results(db, version, quarter, "team")
    if filters.business_unit:
        directory = unit_teams(state, filters.business_unit)
        rows = team_rows(by_team, set(directory["team_id"]))
        matrix = scorecard.status_matrix(rows, Scope.TEAM).assign(unit=lambda f: f["unit"].map(names))
        level = "team"
    else:
        directory = all_teams
        matrix, level = scorecard.status_matrix(by_unit), "business unit"
    by_ai_team = cached.kpi_results(db, version, quarter, "ai_team")
    queue_org = scorecard.index_results(by_ai_team).get(("demand_queue_months", "org"))
    return HubHealth(
        matrix=matrix, matrix_level=level,
        structure_cards=cards(state, filters, by_unit, [], STRUCTURE_KPIS, Selection(filters.business_unit)),
        spokes=scorecard.spokes(all_teams), spoke_band=cached.spoke_band(db, version),
        shadow_teams=scorecard.shadow_ai_teams(directory),
        queue=scorecard.unit_rows(by_ai_team, "demand_queue_months", Scope.AI_TEAM, names),
        queue_target=queue_org.target if queue_org else None,
        advice=cached.advice(db, version, quarter),
        picture=scorecard.org_picture(directory, by_team),
    )


SIGNAL_BADGES = {
    "lit": ("red", ":material/error:", "Lit"),
    "not_lit": ("green", ":material/check_circle:", "Not lit"),
    "greyed": ("gray", ":material/block:", "Not applicable (greyed)"),
    "no_data": ("gray", ":material/remove:", "No data"),
}


def _signal(signal: advisor.Signal) -> None:
    colour, icon, word = SIGNAL_BADGES[signal.state.value]
    figure = signal.figure_text()
    text = f":{colour}-badge[{icon} {word}] **{md(signal.label)}**: {md(figure)} :gray[(rule {md(signal.rule)})]"
    if signal.state.value == "greyed":
        text = f":gray[{text}]"
    st.markdown(text)
    st.caption(f"{md(signal.explanation)} *Why it matters:* {md(signal.reasoning)} "
               f"*Source:* {md(signal.source)}.")


def render_advice(advice: advisor.Advice) -> None:
    """The org-model advisor: recommended vs current model, maturity reading, transition indicators."""
    with st.container(border=True, key="advisor"):
        st.markdown("##### :material/explore: Org-model advisor")
        left, right = st.columns(2)
        recommended = model_name(advice.recommended) if advice.recommended else "No recommendation"
        with left:
            st.markdown(f"Recommended: **{md(recommended)}**")
            st.caption(md(advice.recommended_reason))
        with right:
            st.markdown(f"Current: **{md(model_name(advice.current))}** ({md(advice.current_source)})")
            st.caption(md(advice.current_reason))
        reading = ", ".join(model_name(m) for m in advice.maturity_reading) or "–"
        agree = {True: badge_text("green", ":material/check:", "Agrees with the size"),
                 False: badge_text("orange", ":material/warning:", "Differs from the size"),
                 None: badge_text("gray", ":material/help:", "Cannot tell")}[advice.agree]
        st.markdown(f"Maturity reading: **{md(reading)}** {agree}")
        st.caption(f"{md(advice.maturity_reason)} {md(advice.agree_reason)}")
        st.markdown("**Transition indicators** (the guide's signs that a centralized organization should move on)")
        for signal in advice.transition_indicators:
            _signal(signal)
        st.markdown("**Separate signal** (from the centralized model's drawbacks)")
        _signal(advice.hub_size_signal)
        with st.expander("Criteria of the guide the data does not capture"):
            st.markdown("\n".join(f"- **{md(model_name(c.model))}**: {md(c.criterion)}. {md(c.reasoning)}"
                                   for c in advice.uncaptured_criteria))
