"""Hub & spoke health: statuses by business unit (by team under a unit filter), the AI teams' shape
and queues, the org-model advisor, and the org picture."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics.analysis import advisor
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.scorecard import Card, Selection
from aiorg_metrics.kpi import Page, Scope, kpis_on
from aiorg_metrics.kpi.status import Target
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import cards, team_names, team_rows, unit_teams

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

