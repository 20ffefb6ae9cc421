"""Use-case funnel: the cohort's funnel, the two conversion KPIs at the same scope, and the champion view.

Champions are named as the request's `Disclosure` allows (their id only for a reader who may not see their
name), and a champion's survey answer is withheld from readers who may not see it, before anything is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from aiorg_metrics import kpi
from aiorg_metrics.access.disclosure import Disclosure
from aiorg_metrics.analysis.funnel import Funnel, FunnelFilters
from aiorg_metrics.display import team_scope
from aiorg_metrics.display.disclosed import survey_results
from aiorg_metrics.display.scorecard import Card, Selection
from aiorg_metrics.display.tables import champion_labels
from aiorg_metrics.kpi import Page, Scope, kpis_on
from dashboard import access, cached
from dashboard.filters import Filters, own_teams
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


LABELLED_ID = re.compile(r"\(([^()]+)\)\s*$")  # "Chloé Weber (CH-013)" → CH-013


def _label(row, disclosure: Disclosure) -> str:
    return disclosure.champion_label(row.champion_id, row.champion_name)


def _in_selection(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The champions whose team at the end of the quarter lies in the sidebar's unit and team."""
    if filters.team_id:
        return frame[frame["team_id"] == filters.team_id]
    if filters.business_unit:
        return frame[frame["business_unit"] == filters.business_unit]
    return frame


def _own_only(state: DataState, filters: Filters, frame: pd.DataFrame) -> pd.DataFrame:
    """For a champion-scoped reader, only the champions of their own teams, whatever the sidebar's scope."""
    rights = access.current_rights()
    if not team_scope.champion_scoped(rights):
        return frame
    return frame[frame["team_id"].isin([t.team_id for t in own_teams(state, filters.quarter, rights)])]


def champion_options(state: DataState, filters: Filters) -> dict[str, str]:
    """Champion label → champion id, for the champions seen by the end of the quarter whose team
    (at the end of the quarter) is in the sidebar's business unit and team."""
    frame = _own_only(state, filters, _in_selection(cached.champions(state.db, state.version, str(filters.quarter)),
                                                    filters))
    disclosure = access.disclosure()
    return {_label(row, disclosure): row.champion_id for row in frame.itertuples(index=False)}


def option_for(options: dict[str, str], asked: str | None) -> str | None:
    """The label of `options` that `asked` names: the label itself, the bare champion id (what a user
    copies from `champion_activity.csv`) or a label naming the id in brackets (a link from a reader who
    sees the name, opened by one who sees the id); None when it names no offered champion."""
    if asked in options:
        return asked
    by_id = {champion_id: label for label, champion_id in options.items()}
    text = (asked or "").strip()
    labelled = LABELLED_ID.search(text)
    return by_id.get(text) or (by_id.get(labelled.group(1).strip()) if labelled else None)


def champion_outside(state: DataState, filters: Filters, asked: str) -> str:
    """Why the champion `asked` (a label or a bare id, from a link or an earlier pick) is not offered:
    where they are, against the sidebar's selection (markdown)."""
    frame = cached.champions(state.db, state.version, str(filters.quarter))
    disclosure = access.disclosure()
    known = {_label(row, disclosure): row for row in frame.itertuples(index=False)}
    known |= {row.champion_id: row for row in frame.itertuples(index=False)}
    labelled = LABELLED_ID.search(asked.strip())
    row = known.get(asked.strip()) or (known.get(labelled.group(1).strip()) if labelled else None)
    if row is None:
        return (f"The link names the champion “{md(asked)}”, who is not seen in the data by the end of "
                f"{filters.quarter}: pick a champion in the list.")
    label = _label(row, disclosure)
    if team_scope.champion_scoped(access.current_rights()):
        return "The link names a champion of another team: you can open the champions of your own team."
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
    results, trend = _disclosed(state, filters, champion)
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
                      champion_labels(cached.champions(db, version, quarter), access.disclosure()))


def _disclosed(state: DataState, filters: Filters, champion: str | None) -> tuple[list, list]:
    """The results and trend at the funnel's scopes, a champion's survey answer as this request may see it
    (their own even below the survey floor; withheld for a reader who may not see it)."""
    results, trend = scoped_results(state, filters, ("champion",) if champion else ())
    disclosure = access.disclosure()
    own_results, own_trend = ([], [])
    if champion and disclosure.waives_floor_for(champion):
        own_results, own_trend = cached.unfloored_survey(state.db, state.version, str(filters.quarter))
    return survey_results(results, disclosure, own_results), survey_results(trend, disclosure, own_trend)
