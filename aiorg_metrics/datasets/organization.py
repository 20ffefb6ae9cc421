"""The organization's shape as teams.csv describes it, and the AI organization model it shows.

The four models of the guide (centralized, hub & spoke, federated, embedded) are the
vocabulary the KPI targets (spoke staffing bands, shadow AI, hub size) and the advisor share;
`infer_model` applies SPEC §2.9's rules to the current team structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import duckdb

from aiorg_metrics.common.words import count_of
from aiorg_metrics.datasets.registry import TeamKind


class OrgModel(StrEnum):
    CENTRALIZED = "centralized"
    HUB_SPOKE = "hub_spoke"
    FEDERATED = "federated"
    EMBEDDED = "embedded"
    NONE = "none"  # no AI staff at all: only ever inferred, never declared

    @property
    def phrase(self) -> str:
        """The model's name inside a sentence ("hub & spoke"); display.wording.model_name gives its title."""
        return _PHRASES[self]


_PHRASES: dict[OrgModel, str] = {
    OrgModel.CENTRALIZED: "centralized",
    OrgModel.HUB_SPOKE: "hub & spoke",
    OrgModel.FEDERATED: "federated",
    OrgModel.EMBEDDED: "embedded",
    OrgModel.NONE: "no model (no AI staff)",
}


@dataclass(frozen=True)
class TeamStructure:
    """What teams.csv says about the organization's shape (current structure, undated)."""

    teams: int
    total_headcount: int
    hub_headcount: int
    staffed_hubs: int
    spokes: int
    staffed_spokes: int
    business_ai_staff: int
    shadow_ai_teams: int
    total_ai_staff: int


def fetch_team_structure(cur: duckdb.DuckDBPyConnection) -> TeamStructure:
    """Read the organization's shape from the `teams` table (one aggregate query)."""
    row = cur.execute(
        """
        SELECT count(*),
               coalesce(sum(headcount), 0),
               coalesce(sum(headcount) FILTER (WHERE team_kind = $hub), 0),
               count(*) FILTER (WHERE team_kind = $hub AND ai_staff > 0),
               count(*) FILTER (WHERE team_kind = $spoke),
               count(*) FILTER (WHERE team_kind = $spoke AND ai_staff > 0),
               coalesce(sum(ai_staff) FILTER (WHERE team_kind = $business), 0),
               count(*) FILTER (WHERE team_kind = $business AND ai_staff > 0),
               coalesce(sum(ai_staff), 0)
        FROM teams
        """,
        {"hub": TeamKind.AI_HUB.value, "spoke": TeamKind.AI_SPOKE.value, "business": TeamKind.BUSINESS.value},
    ).fetchone()
    return TeamStructure(*(int(v) for v in row))


def infer_model(structure: TeamStructure) -> tuple[OrgModel, str]:
    """The model the teams data shows (SPEC §2.9, first matching rule), with the reason."""
    s = structure
    if s.staffed_hubs and s.spokes:
        return OrgModel.HUB_SPOKE, f"a staffed AI hub and {count_of(s.spokes, 'AI spoke team')}"
    if s.staffed_hubs:
        return OrgModel.CENTRALIZED, "a staffed AI hub and no AI spoke team"
    if s.staffed_spokes:
        return OrgModel.FEDERATED, f"{count_of(s.staffed_spokes, 'staffed AI spoke team')} and no staffed AI hub"
    if s.business_ai_staff:
        return OrgModel.EMBEDDED, f"AI staff only in business teams ({s.business_ai_staff} people)"
    if not s.teams:
        return OrgModel.NONE, "no teams loaded yet"
    return OrgModel.NONE, "no AI staff in any team"
