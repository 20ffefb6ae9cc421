"""Use-case funnel: the cohort's funnel, the two conversion KPIs at the same scope, and the champion view."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics import kpi
from aiorg_metrics.analysis.funnel import Funnel, FunnelFilters
from aiorg_metrics.display.scorecard import Card, Selection
from aiorg_metrics.display.tables import champion_label, champion_labels
from aiorg_metrics.kpi import Page, Scope, kpis_on
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import cards, not_loaded, scoped_results, team_names
from dashboard.widgets import md

CONVERSION_KPIS = kpis_on(Page.FUNNEL)
ALL_CHAMPIONS = "All champions"
COHORTS = {
    "last 12 months": "use cases identified in the 12 months ending {q}",
    "this quarter only": "use cases identified in {q}",
    "all quarters": "every use case identified up to the end of {q}",
}


def _label(row) -> str:
    return champion_label(row.champion_id, row.champion_name)


def _in_selection(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The champions whose team at the end of the quarter lies in the sidebar's unit and team."""
    if filters.team_id:
        return frame[frame["team_id"] == filters.team_id]
    if filters.business_unit:
        return frame[frame["business_unit"] == filters.business_unit]
    return frame


def champion_options(state: DataState, filters: Filters) -> dict[str, str]:
    """Champion label → champion id, for the champions seen by the end of the quarter whose team
    (at the end of the quarter) is in the sidebar's business unit and team."""
    frame = _in_selection(cached.champions(state.db, state.version, str(filters.quarter)), filters)
    return {_label(row): row.champion_id for row in frame.itertuples(index=False)}


def option_for(options: dict[str, str], asked: str | None) -> str | None:
    """The label of `options` that `asked` names: the label itself, or the bare champion id (what a
    user copies from `champion_activity.csv`); None when it names no offered champion."""
    if asked in options:
        return asked
    by_id = {champion_id: label for label, champion_id in options.items()}
    return by_id.get((asked or "").strip())


def champion_outside(state: DataState, filters: Filters, asked: str) -> str:
    """Why the champion `asked` (a label or a bare id, from a link or an earlier pick) is not offered:
    where they are, against the sidebar's selection (markdown)."""
    frame = cached.champions(state.db, state.version, str(filters.quarter))
    known = {_label(row): row for row in frame.itertuples(index=False)}
    known |= {row.champion_id: row for row in frame.itertuples(index=False)}
    row = known.get(asked.strip())
    if row is None:
        return (f"The link names the champion “{md(asked)}”, who is not seen in the data by the end of "
                f"{filters.quarter}: pick a champion in the list.")
    label = _label(row)
    if not isinstance(row.team_id, str):
        where = "a team that is not in `teams.csv`"
    else:
        where = f"{md(team_names(state).get(row.team_id, row.team_id))} ({md(row.business_unit)})"
    return (f"**{md(label)}** represents {where} at the end of {filters.quarter}, outside this selection "
            f"({md(filters.scope_text)}). Clear the business unit and team filters to open their view.")


@dataclass(frozen=True)
class FunnelView:
    funnel: Funnel
    cohort_text: str
    scope_text: str  # markdown: whose use cases the funnel and the waiting list follow
    empty_text: str  # markdown: what to say when the cohort holds no use case
    conversion_cards: list[Card]
    champion: str | None  # the picked champion's label
    champion_cards: list[Card]
    champion_use_cases: pd.DataFrame | None
    team_names: dict[str, str]
    champion_names: dict[str, str]  # champion id → "Chloé Weber (CH-013)"


def _first_quarter(state: DataState, filters: Filters, cohort: str) -> str | None:
    if cohort == "this quarter only":
        return str(filters.quarter)
    if cohort == "all quarters":
        return str(state.quarters[0])
    return None  # the engine's default: the four quarters ending with the quarter


def _empty_text(state: DataState, filters: Filters, champion: str | None) -> str:
    loaded = not_loaded(state, "use_cases", "use case")
    if loaded:
        return loaded
    if champion:
        return f"{md(champion)} identified no use case in this cohort. Widen the cohort."
    if filters.business_unit or filters.team_id:
        return (f"No use case of the {md(filters.scope_text)} was identified in this cohort. Widen the cohort "
                "or clear a filter.")
    return "No use case was identified in this cohort. Widen the cohort."


def funnel_view(state: DataState, filters: Filters, picked: str, cohort: str) -> FunnelView:
    """The cohort's funnel, the two conversion KPIs at the same scope, and the view of the champion
    `picked` (a label of `champion_options`, or ALL_CHAMPIONS)."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    champion = champion_options(state, filters).get(picked)
    label = picked if champion else None
    # A champion's funnel holds all their use cases, whatever the team, as their conversion cards count them.
    chosen = FunnelFilters(champion_id=champion) if champion else FunnelFilters(filters.business_unit,
                                                                                 filters.team_id)
    result = cached.funnel(db, version, quarter, _first_quarter(state, filters, cohort), chosen)
    results, trend = scoped_results(state, filters, ("champion",) if champion else ())
    selection = Selection(filters.business_unit, filters.team_id, filters.team_business_unit, champion)
    conversion = cards(state, filters, results, trend, CONVERSION_KPIS, selection)
    champion_cards, use_cases = [], None
    if champion:
        own = [k for k in kpi.KPIS if Scope.CHAMPION in k.scopes]
        champion_cards = cards(state, filters, results, trend, own, Selection(champion=champion))
        use_cases = cached.champion_use_cases(db, version, champion, quarter)
    scope = (f"raised by **{md(label)}** (in any team)" if label
             else f"of the {md(filters.scope_text)}")
    return FunnelView(result, COHORTS[cohort].format(q=quarter), scope, _empty_text(state, filters, label),
                      conversion, label, champion_cards, use_cases, team_names(state),
                      champion_labels(cached.champions(db, version, quarter)))
