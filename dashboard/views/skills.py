"""Skills & training: the training and skills KPIs, skill gaps by role, single points of failure,
spend and practice by unit, reconversion paths, and coverage against spend.

Person-level parts follow the request's `Disclosure` before anything is sent: the single points of failure
name employees and the reconversion paths are shown per employee only to the roles that see individual
skills assessments (the CAIO's office); the others get the same lists without the people.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics.analysis import skills
from aiorg_metrics.datasets.registry import Seniority
from aiorg_metrics.display.scorecard import Card
from aiorg_metrics.display.skills_view import gap_filters, paths_to_draw, training_parts
from aiorg_metrics.display.tables import reconversion_path_counts, single_points_of_failure
from aiorg_metrics.kpi import Page, kpis_on
from aiorg_metrics.kpi.status import Target
from dashboard import access, cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import CachedSource, cards, not_loaded, scoped_results, team_names
from dashboard.widgets import md

SKILLS_KPIS = kpis_on(Page.SKILLS)
ALL_ROLES = "All roles"
ALL_SENIORITIES = "All seniorities"
NAMES_WITHHELD = "Who holds each skill is shown to the CAIO's office."
PATHS_COUNTED = ("People on each reconversion path: how many completed it by the end of the quarter and how many "
                 "are beyond the guide's maximum duration. Each person's path is shown to the CAIO's office.")


@dataclass(frozen=True)
class SkillsView:
    cards: list[Card]
    spof: pd.DataFrame  # tables.single_points_of_failure as this request may see it (employee ids or not)
    level: str  # "business unit" or "team": what the spend and practice bars compare
    spend: pd.DataFrame
    spend_target: Target | None
    practice: pd.DataFrame
    practice_target: Target | None
    paths: pd.DataFrame  # one row per employee and path: empty unless `paths_individual`
    paths_drawn: pd.DataFrame  # the paths the timeline draws (skills_view.paths_to_draw)
    paths_note: str | None  # plain words when the timeline draws only part of `paths`
    path_counts: pd.DataFrame  # tables.reconversion_path_counts: the same paths without the people
    paths_individual: bool  # whether this request sees each person's path
    coverage: pd.DataFrame
    coverage_below: float
    spend_below: float
    team_names: dict[str, str]
    skills_loaded: bool
    org_tag: str | None  # "organization-wide" on sections that ignore the sidebar's unit and team
    nobody_assessed: str  # the empty states, markdown
    no_spend: str
    no_practice: str
    no_paths: str


def _selected(filters: Filters) -> skills.SkillsFilters | None:
    """The sidebar's unit or team as employee filters (None: the whole organization)."""
    if filters.team_id or filters.business_unit:
        return skills.SkillsFilters(filters.team_id, filters.business_unit)
    return None


def role_options(state: DataState, filters: Filters) -> tuple[list[str], list[str]]:
    """The roles and seniorities of the employees assessed in the sidebar's unit or team, each list led
    by its "all" option."""
    profiles = cached.skill_profiles(state.db, state.version, _selected(filters))
    return ([ALL_ROLES, *sorted(profiles["role"].dropna().unique())],
            [ALL_SENIORITIES, *[s.value for s in Seniority if s.value in set(profiles["seniority"])]])


def role_label(role: str) -> str:
    """A role as a reader says it: "data scientist", not data_scientist."""
    return role.replace("_", " ")


def where_text(state: DataState, filters: Filters) -> str:
    """The selection as a place: the team's name, the business unit, or "the organization"."""
    if filters.team_id:
        return md(team_names(state).get(filters.team_id, filters.team_id))
    return md(filters.business_unit) if filters.business_unit else "the organization"


def nobody_assessed_text(state: DataState, filters: Filters, role: str = ALL_ROLES,
                         seniority: str = ALL_SENIORITIES) -> str:
    """The empty state of the skills sections: nothing loaded, or nobody of the selection assessed."""
    loaded = not_loaded(state, "skills", "skills assessment")
    if loaded:
        return loaded
    who = " ".join(w for w in (seniority if seniority != ALL_SENIORITIES else "",
                               role_label(role) if role != ALL_ROLES else "employee") if w)
    return f"No {who} of {where_text(state, filters)} is assessed."


def no_training_text(state: DataState, filters: Filters, what: str) -> str:
    """The empty state of the training sections: nothing loaded, or nothing for the selection."""
    loaded = not_loaded(state, "training_spend", "training record")
    if loaded:
        return loaded
    return f"No {what} for {where_text(state, filters)} in the 12 months ending {filters.quarter}."


def gap_cells(state: DataState, filters: Filters, role: str, seniority: str) -> pd.DataFrame:
    """Skill-gap cells for the sidebar's unit or team and the page's role and seniority."""
    chosen = gap_filters(filters, None if role == ALL_ROLES else role,
                         None if seniority == ALL_SENIORITIES else seniority)
    return CachedSource(state).skill_gaps(chosen)


def skills_view(state: DataState, filters: Filters) -> SkillsView:
    """The training and skills KPIs, spend and practice by unit (by team under a unit filter),
    single points of failure, reconversion paths and coverage against spend."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    results, trend = scoped_results(state, filters)
    training = training_parts(CachedSource(state), filters)
    members = training.members
    thresholds = state.settings.skills_gap
    paths = cached.reconversion_paths(db, version, quarter)
    coverage = cached.coverage_vs_spend(db, version, quarter)
    paths_in_data = not paths.empty
    if members:  # paths and teams of the selected unit or team only
        paths = paths[paths["team_id"].isin(members)]
        coverage = coverage[coverage["team_id"].isin(members)]
    disclosure = access.disclosure()
    individual = disclosure.shows_individual_skills
    spof = training.single_points
    shown_paths = paths.reset_index(drop=True) if individual else paths.iloc[0:0]
    drawn = paths_to_draw(shown_paths)
    return SkillsView(
        cards=cards(state, filters, results, trend, SKILLS_KPIS),
        spof=single_points_of_failure(spof, disclosure) if not spof.empty else spof.iloc[0:0, 0:0],
        level=training.level,
        spend=training.spend, spend_target=training.spend_target,
        practice=training.practice, practice_target=training.practice_target,
        paths=shown_paths, paths_drawn=drawn.paths, paths_note=drawn.note,
        path_counts=reconversion_path_counts(paths), paths_individual=individual,
        coverage=coverage.reset_index(drop=True),
        coverage_below=thresholds.coverage_below, spend_below=thresholds.spend_per_learner_below,
        team_names=team_names(state), skills_loaded="skills" not in state.empty_datasets, org_tag=training.org_tag,
        nobody_assessed=nobody_assessed_text(state, filters),
        no_spend=no_training_text(state, filters, "training record"),
        no_practice=no_training_text(state, filters, "training hours"),
        no_paths=_no_paths_text(state, filters, paths_in_data),
    )


def _no_paths_text(state: DataState, filters: Filters, in_data: bool) -> str:
    if in_data:
        return f"No reconversion path for {where_text(state, filters)}."
    return (not_loaded(state, "training_spend", "training record")
            or "No reconversion path in the training records (the `path` column of `training_spend.csv`).")
