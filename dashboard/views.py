"""What each page shows, assembled from the cached engine calls of `ui` for the sidebar's filters.

One function per page (plus the small look-ups its widgets need); the pages render the result.
Everything here is plain data: cards, frames, figures' inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics import kpi
from aiorg_metrics.analysis import advisor as orgmodel
from aiorg_metrics.analysis import skills
from aiorg_metrics.analysis.funnel import Funnel, FunnelFilters
from aiorg_metrics.datasets.registry import Seniority
from aiorg_metrics.display import glossary, scorecard
from aiorg_metrics.display.scorecard import Card, Selection
from aiorg_metrics.kpi import KpiResult, Scope
from aiorg_metrics.kpi.status import Target
from dashboard import ui
from dashboard.ui import DataState, Filters

STRUCTURE_KPIS = ("hub_size", "spoke_staffing", "shadow_ai_teams")
CONVERSION_KPIS = ("use_case_to_poc_rate", "poc_to_production_rate")
SKILLS_KPIS = ("training_spend_per_learner", "practice_share", "upskilling_on_track", "skills_coverage")
ALL_CHAMPIONS = "All champions"
ALL_ROLES = "All roles"
ALL_SENIORITIES = "All seniorities"
COHORTS = {
    "last 12 months": "use cases identified in the 12 months ending {q}",
    "this quarter only": "use cases identified in {q}",
    "all quarters": "every use case identified up to the end of {q}",
}


# --- shared pieces ---------------------------------------------------------------------------------


def team_names(state: DataState) -> dict[str, str]:
    directory = ui.teams(state.db, state.version)
    return dict(zip(directory["team_id"], directory["team_name"], strict=True))


def _unit_teams(state: DataState, business_unit: str) -> pd.DataFrame:
    directory = ui.teams(state.db, state.version)
    return directory[directory["business_unit"] == business_unit]


def _team_rows(results: list[KpiResult], team_ids: set[str]) -> list[KpiResult]:
    """The team-scope results of the teams `team_ids`."""
    return [r for r in results if r.scope_type is Scope.TEAM and r.scope_value in team_ids]


def _scoped(state: DataState, filters: Filters, extra: tuple[str, ...] = ()) -> tuple[list[KpiResult], list]:
    """This quarter's results and the trend at the scopes the filters need (org and business units
    always; teams under a unit or team filter; `extra` breakdowns such as champions)."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    results = list(ui.kpi_results(db, version, quarter, "business_unit"))
    trend = list(ui.kpi_trend(db, version, "business_unit"))
    if filters.team_id or filters.business_unit:
        results += ui.kpi_results(db, version, quarter, "team")
    for by in (("team",) if filters.team_id else ()) + extra:
        trend += ui.kpi_trend(db, version, by)
        if by != "team":
            results += ui.kpi_results(db, version, quarter, by)
    return results, trend


def _cards(state: DataState, filters: Filters, results, trend, kpi_ids=None, selection=None) -> list[Card]:
    kpis = [kpi.kpi(k) for k in kpi_ids] if kpi_ids else kpi.KPIS
    return scorecard.build_cards(results, trend, filters.quarter, selection or filters.selection, kpis,
                                 state.empty_datasets)


# --- quarterly review ------------------------------------------------------------------------------


def review(state: DataState, filters: Filters) -> tuple[list[Card], list[scorecard.Attention], str]:
    """Cards at the filters' scope, the needs-attention list, and what its contributors are: the
    business units under the organization, the teams under a business unit."""
    results, trend = _scoped(state, filters)
    cards = _cards(state, filters, results, trend)
    if filters.team_id:
        below, level = [], "teams"
    elif filters.business_unit:
        below, level = _team_rows(results, set(_unit_teams(state, filters.business_unit)["team_id"])), "teams"
    else:
        below, level = [r for r in results if r.scope_type is Scope.BUSINESS_UNIT], "business units"
    return cards, scorecard.needs_attention(cards, below, team_names(state)), level


# --- hub & spoke -----------------------------------------------------------------------------------


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
    advice: orgmodel.Advice
    picture: pd.DataFrame


def hub_health(state: DataState, filters: Filters) -> HubHealth:
    """Statuses by business unit (by team under a unit filter), the AI teams' shape, the queue by AI
    team, the advisor's reading and the org picture."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    all_teams = ui.teams(db, version)
    names = team_names(state)
    by_unit = ui.kpi_results(db, version, quarter, "business_unit")
    by_team = ui.kpi_results(db, version, quarter, "team")
    if filters.business_unit:
        directory = _unit_teams(state, filters.business_unit)
        rows = _team_rows(by_team, set(directory["team_id"]))
        matrix = scorecard.status_matrix(rows, Scope.TEAM).assign(unit=lambda f: f["unit"].map(names))
        level = "team"
    else:
        directory = all_teams
        matrix, level = scorecard.status_matrix(by_unit), "business unit"
    by_ai_team = ui.kpi_results(db, version, quarter, "ai_team")
    queue_org = scorecard.index_results(by_ai_team).get(("demand_queue_months", "org"))
    return HubHealth(
        matrix=matrix, matrix_level=level,
        structure_cards=_cards(state, filters, by_unit, [], STRUCTURE_KPIS, Selection(filters.business_unit)),
        spokes=scorecard.spokes(all_teams), spoke_band=ui.spoke_band(db, version),
        shadow_teams=scorecard.shadow_ai_teams(directory),
        queue=scorecard.unit_rows(by_ai_team, "demand_queue_months", Scope.AI_TEAM, names),
        queue_target=queue_org.target if queue_org else None,
        advice=ui.advice(db, version, quarter),
        picture=scorecard.org_picture(directory, by_team),
    )


# --- funnel ----------------------------------------------------------------------------------------


def champion_options(state: DataState, filters: Filters) -> dict[str, str]:
    """Champion label → champion id, for the champions seen by the end of the quarter."""
    frame = ui.champions(state.db, state.version, str(filters.quarter))
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
    result = ui.funnel(db, version, quarter, _first_quarter(state, filters, cohort), chosen)
    results, trend = _scoped(state, filters, ("champion",) if champion else ())
    selection = Selection(filters.business_unit, filters.team_id, filters.team_business_unit, champion)
    conversion = _cards(state, filters, results, trend, CONVERSION_KPIS, selection)
    champion_cards, use_cases = [], None
    if champion:
        own = [k.id for k in kpi.KPIS if Scope.CHAMPION in k.scopes]
        champion_cards = _cards(state, filters, results, trend, own, Selection(champion=champion))
        use_cases = ui.champion_use_cases(db, version, champion, quarter)
    return FunnelView(result, COHORTS[cohort].format(q=quarter), conversion, champion_cards, use_cases,
                      team_names(state))


# --- skills & training -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillsView:
    cards: list[Card]
    spof: pd.DataFrame
    level: str  # "business unit" or "team": what the spend and practice bars compare
    spend: pd.DataFrame
    spend_target: Target | None
    practice: pd.DataFrame
    practice_target: Target | None
    paths: pd.DataFrame
    coverage: pd.DataFrame
    coverage_below: float
    spend_below: float
    team_names: dict[str, str]


def role_options(state: DataState) -> tuple[list[str], list[str]]:
    """The roles and seniorities present in the assessments, each list led by its "all" option."""
    profiles = ui.skill_profiles(state.db, state.version)
    return ([ALL_ROLES, *sorted(profiles["role"].dropna().unique())],
            [ALL_SENIORITIES, *[s.value for s in Seniority if s.value in set(profiles["seniority"])]])


def gap_cells(state: DataState, filters: Filters, role: str, seniority: str) -> pd.DataFrame:
    """Skill-gap cells for the sidebar's unit or team and the page's role and seniority."""
    chosen = skills.SkillsFilters(filters.team_id, filters.business_unit, None if role == ALL_ROLES else role,
                                  None if seniority == ALL_SENIORITIES else seniority)
    return ui.skill_gaps(state.db, state.version, chosen)


def skills_view(state: DataState, filters: Filters) -> SkillsView:
    """The training and skills KPIs, spend and practice by unit (by team under a unit filter),
    single points of failure, reconversion paths and coverage against spend."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    results, trend = _scoped(state, filters)
    names = team_names(state)
    members: set[str] = set()
    if filters.business_unit:
        members = set(_unit_teams(state, filters.business_unit)["team_id"])
        rows = _team_rows(results, members)
        level, scope = "team", Scope.TEAM
    else:
        rows, level, scope = results, "business unit", Scope.BUSINESS_UNIT
    org = scorecard.index_results(results)
    thresholds = state.settings.skills_gap
    paths = ui.reconversion_paths(db, version, quarter)
    coverage = ui.coverage_vs_spend(db, version, quarter)
    if filters.team_id or filters.business_unit:  # paths and teams of the selected unit or team only
        chosen = {filters.team_id} if filters.team_id else members
        paths = paths[paths["team_id"].isin(chosen)]
        coverage = coverage[coverage["team_id"].isin(chosen)]
    return SkillsView(
        cards=_cards(state, filters, results, trend, SKILLS_KPIS),
        spof=ui.single_points_of_failure(db, version), level=level,
        spend=scorecard.unit_rows(rows, "training_spend_per_learner", scope, names),
        spend_target=org[("training_spend_per_learner", "org")].target,
        practice=scorecard.unit_rows(rows, "practice_share", scope, names),
        practice_target=org[("practice_share", "org")].target,
        paths=paths.reset_index(drop=True), coverage=coverage.reset_index(drop=True),
        coverage_below=thresholds.coverage_below, spend_below=thresholds.spend_per_learner_below,
        team_names=names,
    )


# --- glossary --------------------------------------------------------------------------------------


def glossary_entries(state: DataState) -> tuple[list[glossary.Entry], orgmodel.OrgModel]:
    """The glossary under the current model and settings, and that model."""
    model = ui.current_model(state.db, state.version)
    return glossary.glossary(model, state.settings), model
