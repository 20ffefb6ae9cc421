"""Hub & spoke health: statuses by business unit (by team under a unit filter), the AI teams' shape
and queues, the org-model advisor, and the org picture. The parts the review pack shows too are
assembled in `aiorg_metrics.display.hub_spoke`."""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from aiorg_metrics.display import scorecard
from aiorg_metrics.display.hub_spoke import HubParts, hub_parts
from aiorg_metrics.display.scorecard import Card
from aiorg_metrics.kpi import KpiResult, Page, kpis_on
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import CachedSource, cards
from dashboard.widgets import md

STRUCTURE_KPIS = kpis_on(Page.HUB_SPOKE)  # the shape of the AI organization
PICTURE_DEFAULT = "adoption_rate"  # the org picture's first colouring: do the teams use what is deployed?


@dataclass(frozen=True)
class HubHealth(HubParts):
    """What the page shows, at the sidebar's scope: the parts the review pack shows too (`HubParts`),
    the shape KPIs' cards, the AI spokes against the model's band and the teams of the org picture."""

    team_name: str | None
    structure_cards: list[Card]
    spokes: pd.DataFrame  # the unit's AI spokes (every spoke without a unit)
    spokes_in_org: int
    spoke_band: tuple[float, float] | None
    use_cases_loaded: bool
    team_results: list[KpiResult]


def hub_health(state: DataState, filters: Filters) -> HubHealth:
    """Statuses by business unit (by team under a unit or team filter), the AI teams' shape, the
    queue of each AI team over the quarters, the advisor's reading and the teams of the org picture."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    parts = hub_parts(CachedSource(state), filters)
    all_teams = cached.teams(db, version)
    by_unit = cached.kpi_results(db, version, quarter, "business_unit")
    return HubHealth(
        **{f.name: getattr(parts, f.name) for f in fields(HubParts)},
        team_name=filters.team_name,
        structure_cards=cards(state, filters, by_unit, [], STRUCTURE_KPIS),
        spokes=scorecard.spokes(all_teams, parts.unit), spokes_in_org=len(scorecard.spokes(all_teams)),
        spoke_band=cached.spoke_band(db, version),
        use_cases_loaded="use_cases" not in state.empty_datasets,
        team_results=cached.kpi_results(db, version, quarter, "team"),
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


def picture_choices() -> dict[str, str | None]:
    """The org picture's colourings: KPI label → KPI id, the default first; then the worst of all."""
    kpis = scorecard.picture_kpis()
    ordered = sorted(kpis, key=lambda k: k.id != PICTURE_DEFAULT)
    return {k.label: k.id for k in ordered} | {"Worst status among all team KPIs": None}


def picture(health: HubHealth, kpi_id: str | None) -> pd.DataFrame:
    """The org picture's teams, coloured by `kpi_id` (the worst of all team KPIs with None)."""
    return scorecard.org_picture(health.directory, health.team_results, kpi_id)

