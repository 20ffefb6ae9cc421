"""Skills and training at a selection, assembled once for the app's skills page and the review pack:
training spend and practice by business unit (by team under a unit or team, with the organization's
targets), the skill-gap filters of the selection, single points of failure (organization-wide), the
tag of the parts broader than the selection, and the reconversion paths a timeline can draw. Read through a
`review.ReviewSource`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics.analysis import skills
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.review import ReviewScope, ReviewSource, members, team_names, team_rows
from aiorg_metrics.display.scorecard import ORG_WIDE
from aiorg_metrics.kpi import KpiResult, Scope
from aiorg_metrics.kpi.status import Target

SPEND = "training_spend_per_learner"
PRACTICE = "practice_share"
# One bar per path: past ~50 the chart outgrows a screen (26 px a path) and a browser takes seconds to draw it
# (7 s for the 2,075 paths of a 10^6-row organization, 0.06 s for 50).
PATHS_DRAWN = 50


@dataclass(frozen=True)
class TrainingParts:
    """What both faces show of skills and training. `members` are the teams of the selection (empty for
    the organization); parts broader than the selection carry `org_tag`."""

    members: set[str]
    level: str  # "business unit" or "team": what the spend and practice bars compare
    spend: pd.DataFrame  # scorecard.unit_rows of the training spend per learner
    spend_target: Target | None
    practice: pd.DataFrame  # scorecard.unit_rows of the practice share
    practice_target: Target | None
    single_points: pd.DataFrame  # skills.single_points_of_failure, organization-wide
    org_tag: str | None


def gap_filters(view: ReviewScope, role: str | None = None, seniority: str | None = None) -> skills.SkillsFilters:
    """The employees whose skill gaps the selection shows: its team or business unit, and a role and a
    seniority when chosen."""
    return skills.SkillsFilters(view.team_id, view.business_unit, role, seniority)


def _org_target(results: list[KpiResult], kpi_id: str) -> Target | None:
    return next((r.target for r in results if r.kpi == kpi_id and r.scope_type is Scope.ORG), None)


def training_parts(source: ReviewSource, view: ReviewScope) -> TrainingParts:
    """Spend and practice by unit (by team under a unit or team filter), single points of failure and
    the organization-wide tag, as the skills page and the review pack show them."""
    quarter = str(view.quarter)
    results = list(source.results(quarter, "business_unit"))
    teams = members(source, view)
    if teams:
        rows, level, scope = team_rows(source.results(quarter, "team"), teams), "team", Scope.TEAM
    else:
        rows, level, scope = results, "business unit", Scope.BUSINESS_UNIT
    names = team_names(source)
    return TrainingParts(
        members=teams, level=level,
        spend=scorecard.unit_rows(rows, SPEND, scope, names), spend_target=_org_target(results, SPEND),
        practice=scorecard.unit_rows(rows, PRACTICE, scope, names), practice_target=_org_target(results, PRACTICE),
        single_points=source.single_points_of_failure(),
        org_tag=ORG_WIDE if teams else None,
    )


@dataclass(frozen=True)
class DrawnPaths:
    """The reconversion paths the timeline draws, and the plain words saying so when it draws only part of them."""

    paths: pd.DataFrame  # skills.path_pairs rows, at most `PATHS_DRAWN`
    note: str | None  # None: every path is drawn


def _attention_order(paths: pd.DataFrame) -> pd.DataFrame:
    """Paths most in need of attention first: beyond the guide's maximum before the others, ongoing before
    completed, then the longest; ties by employee and path so the choice never varies."""
    ranked = paths.assign(
        _within=paths["on_track"].ne(False), _finished=paths["status"].ne("in_progress"),
        _months=paths["elapsed_months"].fillna(-1.0),
    )
    ranked = ranked.sort_values(["_within", "_finished", "_months", "employee_id", "path"],
                                ascending=[True, True, False, True, True], kind="stable")
    return ranked.drop(columns=["_within", "_finished", "_months"])


def paths_to_draw(paths: pd.DataFrame, limit: int = PATHS_DRAWN) -> DrawnPaths:
    """The paths the timeline draws: all of them up to `limit`, else the `limit` most in need of attention,
    with a note giving the exact totals of all the paths."""
    if len(paths) <= limit:
        return DrawnPaths(paths, None)
    status = paths["status"].value_counts()
    totals = [f"{status.get('in_progress', 0):,} still in progress at the end of the quarter",
              f"{status.get('completed', 0):,} completed by then"]
    if status.get("not_started", 0):
        totals.append(f"{status['not_started']:,} not started by then")
    totals.append(f"{int(paths['on_track'].eq(False).sum()):,} beyond the guide's maximum")
    note = (f"{len(paths):,} paths in all: {', '.join(totals)}. "
            f"Too many to draw one bar each: the chart shows the {limit} most in need of attention "
            "(beyond the guide's maximum first, ongoing before completed, the longest first); the table below "
            "lists every path.")
    return DrawnPaths(_attention_order(paths).head(limit).reset_index(drop=True), note)
