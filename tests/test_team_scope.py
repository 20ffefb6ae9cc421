"""The champion's locked scope and the review pack's scope (issue 12, item 4), on literal rows of the sample:
CH-009 represents INS-CLM (Claims Management), CH-001 CIB-CLD (Corporate Lending)."""

from __future__ import annotations

import pandas as pd

from aiorg_metrics.access.permissions import LOCAL_TRUSTED, VIEWER, Rights, Role
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display.review import ReviewScope
from aiorg_metrics.display.team_scope import (
    ORGANIZATION,
    OwnTeam,
    champion_scoped,
    lock_scope,
    own_teams,
    pack_scope,
)

TEAMS = pd.DataFrame({
    "team_id": ["INS-CLM", "INS-UW", "CIB-CLD", "RB-DIG"],
    "team_name": ["Claims Management", "Underwriting", "Corporate Lending", "Digital Channels"],
    "business_unit": ["Insurance", "Insurance", "Corporate & Investment Banking", "Retail Banking"],
})
CHAMPIONS = pd.DataFrame({"champion_id": ["CH-001", "CH-009", "CH-040"], "team_id": ["CIB-CLD", "INS-CLM", None]})
CLAIMS = OwnTeam("INS-CLM", "Claims Management", "Insurance")
LENDING = OwnTeam("CIB-CLD", "Corporate Lending", "Corporate & Investment Banking")
Q3 = Quarter.parse("2026-Q3")


def _champion(*champion_ids: str, teams: tuple[str, ...] = ()) -> Rights:
    return Rights(frozenset({Role.CHAMPION}), frozenset(champion_ids), frozenset(teams))


def test_only_a_champion_is_scoped() -> None:
    assert champion_scoped(_champion("CH-009"))
    assert not champion_scoped(VIEWER)
    assert not champion_scoped(LOCAL_TRUSTED)
    assert not champion_scoped(_champion("CH-009") | VIEWER)  # a viewer's rights open every team


def test_own_teams_from_champion_ids_and_team_ids_sorted_by_name() -> None:
    assert own_teams(_champion("CH-009"), CHAMPIONS, TEAMS) == (CLAIMS,)
    assert own_teams(_champion("CH-009", teams=("CIB-CLD",)), CHAMPIONS, TEAMS) == (CLAIMS, LENDING)
    assert own_teams(_champion("CH-040"), CHAMPIONS, TEAMS) == ()  # no team known for CH-040
    assert own_teams(_champion("CH-999", teams=("XX-NONE",)), CHAMPIONS, TEAMS) == ()


def test_a_champion_lands_on_their_own_team() -> None:
    locked = lock_scope((CLAIMS,), None, None)
    assert (locked.options, locked.label, locked.team_id, locked.notice) == (
        ("Claims Management", ORGANIZATION), "Claims Management", "INS-CLM", None)


def test_the_organization_and_their_own_team_are_open() -> None:
    assert lock_scope((CLAIMS,), ORGANIZATION, None).team_id is None
    assert lock_scope((CLAIMS,), ORGANIZATION, None).notice is None
    both = lock_scope((CLAIMS, LENDING), "Corporate Lending", None)
    assert (both.label, both.team_id, both.notice) == ("Corporate Lending", "CIB-CLD", None)


def test_a_link_to_another_team_shows_their_own_team_and_says_so() -> None:
    locked = lock_scope((CLAIMS,), "Underwriting", None)
    assert (locked.label, locked.team_id) == ("Claims Management", "INS-CLM")
    assert locked.notice == ("You can open your own team's views (Claims Management) and the organization's; "
                             "the link named another team.")


def test_a_link_to_a_business_unit_is_refused_even_their_own() -> None:
    locked = lock_scope((CLAIMS,), None, "Insurance")
    assert (locked.label, locked.team_id) == ("Claims Management", "INS-CLM")
    assert locked.notice == ("You can open your own team's views (Claims Management) and the organization's; "
                             "the link named a business unit.")


def test_a_champion_not_in_the_data_sees_the_organization_and_whom_to_ask() -> None:
    locked = lock_scope((), "Underwriting", None, "caio-office@bank.example")
    assert (locked.options, locked.label, locked.team_id) == ((ORGANIZATION,), ORGANIZATION, None)
    assert locked.notice == ("Your team is not in the data yet, so you can open the organization's views only. "
                             "If your team should be here, ask caio-office@bank.example.")


def test_pack_scope_by_role() -> None:
    org = ReviewScope(Q3)
    unit = ReviewScope(Q3, "Insurance")
    claims = ReviewScope(Q3, None, "INS-CLM", "Claims Management", "Insurance")
    other = ReviewScope(Q3, None, "INS-UW", "Underwriting", "Insurance")
    analyst = Rights(frozenset({Role.ANALYST}))
    assert [pack_scope(analyst, s, ()) for s in (org, unit, other)] == [org, unit, other]
    assert [pack_scope(VIEWER, s, ()) for s in (org, unit, other)] == [org, org, org]
    champion = _champion("CH-009")
    assert [pack_scope(champion, s, (CLAIMS,)) for s in (org, claims, other)] == [claims, claims, claims]
    assert pack_scope(champion, org, ()) is None  # their team is not in the data: no pack
    both = champion | VIEWER
    assert [pack_scope(both, s, (CLAIMS,)) for s in (org, claims, unit)] == [org, claims, org]
