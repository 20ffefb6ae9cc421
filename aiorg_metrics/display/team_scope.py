"""What a champion may look at: their own team(s) and the whole organization, nothing in between.

A person whose rights lack `Permission.ANY_TEAM` (a champion) is *champion-scoped*: the sidebar offers
their own teams and the organization only, lands on their own team, and a link or an earlier pick naming
another team or a business unit is refused here, before any data of it is read. Which review pack the
pack box may build follows the table's "review mode, packs and exports" row (`pack_scope`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from aiorg_metrics.access.permissions import Permission, Rights
from aiorg_metrics.display.review import ReviewScope

ORGANIZATION = "Whole organization"  # the sidebar's choice of the organization's aggregates


@dataclass(frozen=True)
class OwnTeam:
    """One of a champion's teams, as the team directory names it."""

    team_id: str
    team_name: str
    business_unit: str


def champion_scoped(rights: Rights) -> bool:
    """Whether these rights lock the views to the person's own teams (and the organization)."""
    return not rights.can(Permission.ANY_TEAM)


def own_teams(rights: Rights, champions: pd.DataFrame, teams: pd.DataFrame) -> tuple[OwnTeam, ...]:
    """The champion's teams found in the team directory `teams` (team_id, team_name, business_unit), by
    name: the team ids assigned, plus the team each assigned champion id represents in `champions`
    (champion_id → team_id at the end of the selected quarter)."""
    wanted = rights.champion_teams(team_of_champions(champions))
    found = teams[teams["team_id"].isin(wanted)].sort_values(["team_name", "team_id"])
    return tuple(OwnTeam(r.team_id, r.team_name, r.business_unit) for r in found.itertuples(index=False))


def team_labels(own: tuple[OwnTeam, ...]) -> dict[str, str]:
    """Team label → team id for the champion's teams (the name alone unless two of them share it)."""
    names = [t.team_name for t in own]
    return {(t.team_name if names.count(t.team_name) == 1 else f"{t.team_name} ({t.team_id})"): t.team_id
            for t in own}


@dataclass(frozen=True)
class LockedScope:
    """The sidebar of a champion-scoped person: the choices offered, the one shown, and a sentence for the
    page when the link (or an earlier pick) named something else, or when their team is not in the data."""

    options: tuple[str, ...]
    label: str
    team_id: str | None
    notice: str | None = None


def not_in_data_text(contact: str | None) -> str:
    """Why a champion sees only the organization: their team is not in the data yet, and whom to ask."""
    ask = f"ask {contact}" if contact else "ask the person who runs this dashboard"
    return ("Your team is not in the data yet, so you can open the organization's views only. If your team "
            f"should be here, {ask}.")


def refused_text(own: tuple[OwnTeam, ...], named_unit: bool) -> str:
    """The sentence when a link named another team or a business unit: what the person may open instead."""
    names = " and ".join(t.team_name for t in own)
    named = "a business unit" if named_unit else "another team"
    return f"You can open your own team's views ({names}) and the organization's; the link named {named}."


def lock_scope(own: tuple[OwnTeam, ...], asked_team: str | None, asked_unit: str | None,
               contact: str | None = None) -> LockedScope:
    """The scope a champion-scoped person sees, from what the URL or the session asks (`asked_team`: a
    team label, `asked_unit`: a business unit): their own team unless they chose one of theirs or the
    organization; anything else is refused with a sentence. Without a team in the data: the organization."""
    if not own:
        return LockedScope((ORGANIZATION,), ORGANIZATION, None, not_in_data_text(contact))
    labels = team_labels(own)
    options = (*labels, ORGANIZATION)
    first = next(iter(labels))
    if asked_unit is not None:
        return LockedScope(options, first, labels[first], refused_text(own, named_unit=True))
    if asked_team is None:
        return LockedScope(options, first, labels[first])
    if asked_team in options:
        return LockedScope(options, asked_team, labels.get(asked_team))
    return LockedScope(options, first, labels[first], refused_text(own, named_unit=False))


def pack_scope(rights: Rights, scope: ReviewScope, own: tuple[OwnTeam, ...]) -> ReviewScope | None:
    """The review pack these rights may build for the sidebar's `scope`: any scope with every pack; else
    the sidebar's scope when it is allowed (the organization with the org-level pack, one of the
    champion's teams with their own team's pack), else the first allowed one; None when none is."""
    if rights.can(Permission.REVIEW_MODE_PACKS_AND_EXPORTS):
        return scope
    allowed: list[ReviewScope] = []
    if rights.can(Permission.PACK_ORG_LEVEL):
        allowed.append(ReviewScope(scope.quarter))
    if rights.can(Permission.PACK_OWN_TEAM):
        allowed += [ReviewScope(scope.quarter, None, t.team_id, t.team_name, t.business_unit) for t in own]
    same = [a for a in allowed if (a.business_unit, a.team_id) == (scope.business_unit, scope.team_id)]
    return scope if same else next(iter(allowed), None)


def team_of_champions(champions: pd.DataFrame) -> Mapping[str, str]:
    """Champion id → the team they represent (the rows of the champions directory with a team)."""
    return {c: t for c, t in zip(champions["champion_id"], champions["team_id"], strict=True) if isinstance(t, str)}
