"""Hub & spoke health at a selection, assembled once for the app's hub & spoke page and the review pack:
the status grid (business units side by side, or the teams of the selection's unit), the AI teams'
queues and their target, the business teams with AI staff of their own (shadow AI), the org-model
advisor, and the tags of the parts broader than the selection. Read through a `review.ReviewSource`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics.analysis import advisor
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.review import ReviewScope, ReviewSource, team_names, team_rows, unit_teams
from aiorg_metrics.display.scorecard import ORG_WIDE, UNIT_WIDE
from aiorg_metrics.kpi import Scope
from aiorg_metrics.kpi.status import Target

QUEUE = "demand_queue_months"


@dataclass(frozen=True)
class HubParts:
    """What both faces show of hub & spoke health. `unit` is the business unit the selection lies in
    (the selected one, or the selected team's); parts broader than the selection carry a tag."""

    unit: str | None
    directory: pd.DataFrame  # the teams of `unit` (every team without one)
    matrix: pd.DataFrame  # unit × KPI statuses (team × KPI under a unit)
    matrix_level: str  # "business unit" or "team"
    queue: pd.DataFrame  # per AI team and quarter, up to the selection's quarter (scorecard.ai_team_queue)
    queue_target: Target | None  # the organization's target for the queue
    shadow_teams: pd.DataFrame  # scorecard.shadow_ai_teams of `directory`
    advice: advisor.Advice  # always organization-wide
    unit_tag: str | None  # on the parts showing the unit while a team is selected
    org_tag: str | None  # on the parts showing the whole organization under a filter


def status_grid(source: ReviewSource, view: ReviewScope) -> tuple[pd.DataFrame, str]:
    """The status grid and what its rows are: the business units side by side, or under a unit (or a
    team) the unit's teams, their unit column holding team names."""
    quarter, unit = str(view.quarter), view.unit
    if not unit:
        return scorecard.status_matrix(source.results(quarter, "business_unit")), "business unit"
    rows = team_rows(source.results(quarter, "team"), set(unit_teams(source, unit)["team_id"]))
    names = team_names(source)
    return scorecard.status_matrix(rows, Scope.TEAM).assign(unit=lambda f: f["unit"].map(names)), "team"


def hub_parts(source: ReviewSource, view: ReviewScope) -> HubParts:
    """Hub & spoke health at `view`'s selection, as the hub & spoke page and the review pack show it."""
    quarter, unit = str(view.quarter), view.unit
    directory = unit_teams(source, unit) if unit else source.teams()
    matrix, level = status_grid(source, view)
    trend = source.trend("ai_team")
    queue_org = scorecard.index_results(r for r in trend if r.period == quarter).get((QUEUE, "org"))
    return HubParts(
        unit=unit, directory=directory, matrix=matrix, matrix_level=level,
        queue=scorecard.ai_team_queue(trend, source.teams(), quarter),
        queue_target=queue_org.target if queue_org else None,
        shadow_teams=scorecard.shadow_ai_teams(directory),
        advice=source.advice(quarter),
        unit_tag=UNIT_WIDE if view.team_id else None,
        org_tag=ORG_WIDE if unit else None,
    )


def queue_now(parts: HubParts, quarter: object) -> pd.DataFrame:
    """The AI teams' queues in the selection's quarter (the last of the trend)."""
    return parts.queue[parts.queue["period"] == str(quarter)]
