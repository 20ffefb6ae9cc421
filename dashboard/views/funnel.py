"""Use-case funnel: the cohort's funnel, the two conversion KPIs at the same scope, and the champion view."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics import kpi
from aiorg_metrics.analysis.funnel import Funnel, FunnelFilters
from aiorg_metrics.display.scorecard import Card, Selection
from aiorg_metrics.kpi import Page, Scope, kpis_on
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import cards, scoped_results, team_names

CONVERSION_KPIS = kpis_on(Page.FUNNEL)
ALL_CHAMPIONS = "All champions"
COHORTS = {
    "last 12 months": "use cases identified in the 12 months ending {q}",
    "this quarter only": "use cases identified in {q}",
    "all quarters": "every use case identified up to the end of {q}",
}


def champion_options(state: DataState, filters: Filters) -> dict[str, str]:
    """Champion label → champion id, for the champions seen by the end of the quarter."""
    frame = cached.champions(state.db, state.version, str(filters.quarter))
    return {
        (f"{row.champion_name} ({row.champion_id})" if isinstance(row.champion_name, str) else row.champion_id):
            row.champion_id
        for row in frame.itertuples(index=False)
    }


@dataclass(frozen=True)
class FunnelView:
    funnel: Funnel
    cohort_text: str
    conversion_cards: list[Card]
    champion_cards: list[Card]
    champion_use_cases: pd.DataFrame | None
    team_names: dict[str, str]


def _first_quarter(state: DataState, filters: Filters, cohort: str) -> str | None:
    if cohort == "this quarter only":
        return str(filters.quarter)
    if cohort == "all quarters":
        return str(state.quarters[0])
    return None  # the engine's default: the four quarters ending with the quarter


def funnel_view(state: DataState, filters: Filters, champion: str | None, cohort: str) -> FunnelView:
    """The cohort's funnel, the two conversion KPIs at the same scope, and the champion's view."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    chosen = FunnelFilters(filters.business_unit, filters.team_id, champion)
    result = cached.funnel(db, version, quarter, _first_quarter(state, filters, cohort), chosen)
    results, trend = scoped_results(state, filters, ("champion",) if champion else ())
    selection = Selection(filters.business_unit, filters.team_id, filters.team_business_unit, champion)
    conversion = cards(state, filters, results, trend, CONVERSION_KPIS, selection)
    champion_cards, use_cases = [], None
    if champion:
        own = [k for k in kpi.KPIS if Scope.CHAMPION in k.scopes]
        champion_cards = cards(state, filters, results, trend, own, Selection(champion=champion))
        use_cases = cached.champion_use_cases(db, version, champion, quarter)
    return FunnelView(result, COHORTS[cohort].format(q=quarter), conversion, champion_cards, use_cases,
                      team_names(state))
