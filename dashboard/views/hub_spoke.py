"""Hub & spoke health: statuses by business unit (by team under a unit filter), the AI teams' shape
and queues, the org-model advisor, and the org picture."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics.analysis import advisor
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.review import team_rows
from aiorg_metrics.display.scorecard import ORG_WIDE, UNIT_WIDE, Card
from aiorg_metrics.kpi import KpiResult, Page, Scope, kpis_on
from aiorg_metrics.kpi.status import Target
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import cards, team_names, unit_teams
from dashboard.widgets import md

STRUCTURE_KPIS = kpis_on(Page.HUB_SPOKE)  # the shape of the AI organization
PICTURE_DEFAULT = "adoption_rate"  # the org picture's first colouring: do the teams use what is deployed?


@dataclass(frozen=True)
class HubHealth:
    """What the page shows, at the sidebar's scope. `unit` is the business unit the page narrows to
    (the selected one, or the selected team's); sections broader than the selection carry a tag."""

    unit: str | None
    team_name: str | None
    matrix: pd.DataFrame  # unit × KPI statuses
    matrix_level: str  # "business unit" or "team"
    structure_cards: list[Card]
    spokes: pd.DataFrame  # the unit's AI spokes (every spoke without a unit)
    spokes_in_org: int
    spoke_band: tuple[float, float] | None
    shadow_teams: pd.DataFrame
    queue: pd.DataFrame  # per AI team and quarter, up to the sidebar's quarter
    queue_target: Target | None
    use_cases_loaded: bool
    advice: advisor.Advice
    directory: pd.DataFrame  # the teams of the org picture
    team_results: list[KpiResult]
    unit_tag: str | None  # on sections showing the unit while a team is selected
    org_tag: str | None  # on sections showing the whole organization under a filter


def hub_health(state: DataState, filters: Filters) -> HubHealth:
    """Statuses by business unit (by team under a unit or team filter), the AI teams' shape, the
    queue of each AI team over the quarters, the advisor's reading and the teams of the org picture."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    all_teams = cached.teams(db, version)
    unit = filters.business_unit or filters.team_business_unit
    by_unit = cached.kpi_results(db, version, quarter, "business_unit")
    by_team = cached.kpi_results(db, version, quarter, "team")
    directory = unit_teams(state, unit) if unit else all_teams
    if unit:
        names = team_names(state)
        rows = team_rows(by_team, set(directory["team_id"]))
        matrix = scorecard.status_matrix(rows, Scope.TEAM).assign(unit=lambda f: f["unit"].map(names))
        level = "team"
    else:
        matrix, level = scorecard.status_matrix(by_unit), "business unit"
    trend = cached.kpi_trend(db, version, "ai_team")
    queue_org = scorecard.index_results(r for r in trend if r.period == quarter).get(("demand_queue_months", "org"))
    return HubHealth(
        unit=unit, team_name=filters.team_name, matrix=matrix, matrix_level=level,
        structure_cards=cards(state, filters, by_unit, [], STRUCTURE_KPIS),
        spokes=scorecard.spokes(all_teams, unit), spokes_in_org=len(scorecard.spokes(all_teams)),
        spoke_band=cached.spoke_band(db, version),
        shadow_teams=scorecard.shadow_ai_teams(directory),
        queue=scorecard.ai_team_queue(trend, all_teams, quarter),
        queue_target=queue_org.target if queue_org else None,
        use_cases_loaded="use_cases" not in state.empty_datasets,
        advice=cached.advice(db, version, quarter),
        directory=directory, team_results=by_team,
        unit_tag=UNIT_WIDE if filters.team_id else None,
        org_tag=ORG_WIDE if unit else None,
    )


def matrix_text(health: HubHealth, quarter: object) -> tuple[str, str]:
    """What the status grid shows (caption), and what to say when it is empty."""
    if health.unit is None:
        return (f"The business units side by side in {quarter}.",
                f"No business unit has a KPI value in {quarter}.")
    shown = f"The teams of {md(health.unit)} side by side in {quarter}"
    if health.team_name:
        shown += f"; the selected team, {md(health.team_name)}, is marked ▼ and in bold"
    return shown + ".", f"No team of {md(health.unit)} has a KPI value in {quarter}: nothing matches this selection."


def spokes_empty_text(health: HubHealth) -> str:
    """Why the spoke chart is empty: no spoke in the data at all, or none in the selected unit."""
    if health.spokes_in_org == 0:
        return "teams.csv lists no AI spoke (a team whose `team_kind` is `ai_spoke`)."
    return (f"{md(health.unit)} has no AI spoke of its own; the organization has {health.spokes_in_org}. "
            "Choose all business units to see them.")


def queue_empty_text(health: HubHealth) -> str:
    """Why the AI teams' queue is empty: no use case loaded, or none naming an AI team."""
    if not health.use_cases_loaded:
        return "No use case is loaded yet (use_cases.csv)."
    return "No use case names the AI team serving it yet (column `ai_team_id` of use_cases.csv)."


def queue_now(health: HubHealth, quarter: object) -> pd.DataFrame:
    """The AI teams' queues in the sidebar's quarter (the last of the trend)."""
    return health.queue[health.queue["period"] == str(quarter)]


def picture_choices() -> dict[str, str | None]:
    """The org picture's colourings: KPI label → KPI id, the default first; then the worst of all."""
    kpis = scorecard.picture_kpis()
    ordered = sorted(kpis, key=lambda k: k.id != PICTURE_DEFAULT)
    return {k.label: k.id for k in ordered} | {"Worst status among all team KPIs": None}


def picture(health: HubHealth, kpi_id: str | None) -> pd.DataFrame:
    """The org picture's teams, coloured by `kpi_id` (the worst of all team KPIs with None)."""
    return scorecard.org_picture(health.directory, health.team_results, kpi_id)

