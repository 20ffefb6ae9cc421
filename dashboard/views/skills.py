"""Skills & training: the training and skills KPIs, skill gaps by role, single points of failure,
spend and practice by unit, reconversion paths, and coverage against spend."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics.analysis import skills
from aiorg_metrics.datasets.registry import Seniority
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.scorecard import Card
from aiorg_metrics.kpi import Page, Scope, kpis_on
from aiorg_metrics.kpi.status import Target
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import cards, scoped_results, team_names, team_rows, unit_teams

SKILLS_KPIS = kpis_on(Page.SKILLS)
ALL_ROLES = "All roles"
ALL_SENIORITIES = "All seniorities"


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
    profiles = cached.skill_profiles(state.db, state.version)
    return ([ALL_ROLES, *sorted(profiles["role"].dropna().unique())],
            [ALL_SENIORITIES, *[s.value for s in Seniority if s.value in set(profiles["seniority"])]])


def gap_cells(state: DataState, filters: Filters, role: str, seniority: str) -> pd.DataFrame:
    """Skill-gap cells for the sidebar's unit or team and the page's role and seniority."""
    chosen = skills.SkillsFilters(filters.team_id, filters.business_unit, None if role == ALL_ROLES else role,
                                  None if seniority == ALL_SENIORITIES else seniority)
    return cached.skill_gaps(state.db, state.version, chosen)


def skills_view(state: DataState, filters: Filters) -> SkillsView:
    """The training and skills KPIs, spend and practice by unit (by team under a unit filter),
    single points of failure, reconversion paths and coverage against spend."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    results, trend = scoped_results(state, filters)
    names = team_names(state)
    members: set[str] = set()
    if filters.business_unit:
        members = set(unit_teams(state, filters.business_unit)["team_id"])
        rows = team_rows(results, members)
        level, scope = "team", Scope.TEAM
    else:
        rows, level, scope = results, "business unit", Scope.BUSINESS_UNIT
    org = scorecard.index_results(results)
    thresholds = state.settings.skills_gap
    paths = cached.reconversion_paths(db, version, quarter)
    coverage = cached.coverage_vs_spend(db, version, quarter)
    if filters.team_id or filters.business_unit:  # paths and teams of the selected unit or team only
        chosen = {filters.team_id} if filters.team_id else members
        paths = paths[paths["team_id"].isin(chosen)]
        coverage = coverage[coverage["team_id"].isin(chosen)]
    return SkillsView(
        cards=cards(state, filters, results, trend, SKILLS_KPIS),
        spof=cached.single_points_of_failure(db, version), level=level,
        spend=scorecard.unit_rows(rows, "training_spend_per_learner", scope, names),
        spend_target=org[("training_spend_per_learner", "org")].target,
        practice=scorecard.unit_rows(rows, "practice_share", scope, names),
        practice_target=org[("practice_share", "org")].target,
        paths=paths.reset_index(drop=True), coverage=coverage.reset_index(drop=True),
        coverage_below=thresholds.coverage_below, spend_below=thresholds.spend_per_learner_below,
        team_names=names,
    )
