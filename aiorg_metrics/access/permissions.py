"""Who may do what: the permissions table of the sign-in issue, as data, in one place.

`TABLE` holds every row and cell as the table in the README reads (`markdown_table` writes
it), and what each cell grants. A person's `Rights` are the union of the grants of the roles
they hold; an admin holds every role.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Role(StrEnum):
    """The roles of the roles file, in the table's column order."""

    VIEWER = "viewer"
    CHAMPION = "champion"
    ANALYST = "analyst"
    LEAD = "lead"  # the CAIO's office
    ADMIN = "admin"


class Permission(StrEnum):
    """One thing a role may see or do; the comment names the table row it comes from."""

    READ_DASHBOARDS = "read_dashboards"  # review, hub & spoke, funnel, skills summary, glossary
    ANY_TEAM = "any_team"  # same row: the team filter is not locked to the champion's own team
    INDIVIDUAL_SKILLS = "individual_skills"  # individual skills assessments
    EMPLOYEE_IDS = "employee_ids"  # employee ids in single points of failure
    SURVEY_ANSWERS_OWN = "survey_answers_own"  # individual survey answers: a champion's own
    SURVEY_ANSWERS_ABOVE_FLOOR = "survey_answers_above_floor"  # of groups with enough answers
    SURVEY_ANSWERS_ALL = "survey_answers_all"  # every one
    CHAMPION_NAMES_OWN = "champion_names_own"  # champion names in champion views: a champion's own
    CHAMPION_NAMES_ALL = "champion_names_all"  # every one
    DATA_PAGE = "data_page"  # Data page: upload, mappings, undo, previews of rows
    DECISIONS_ADD = "decisions_add"  # decisions: add
    DECISIONS_EDIT_OWN = "decisions_edit_own"  # decisions: edit the ones the person recorded
    DECISIONS_EDIT_ANY = "decisions_edit_any"  # decisions: edit any
    PACK_ORG_LEVEL = "pack_org_level"  # review mode, packs and exports: the organization's pack
    PACK_OWN_TEAM = "pack_own_team"  # the pack of the champion's own team
    REVIEW_MODE_PACKS_AND_EXPORTS = "review_mode_packs_and_exports"  # review mode, every pack, exports
    SETTINGS_ROLES_AND_PATHS = "settings_roles_and_paths"  # settings, roles, server paths


@dataclass(frozen=True)
class Cell:
    """A cell of the table: its text as the issue writes it, and what it grants."""

    text: str
    grants: frozenset[Permission] = frozenset()


@dataclass(frozen=True)
class Row:
    """A row of the table: what it is about, and one cell per role."""

    subject: str
    cells: Mapping[Role, Cell]


def _cell(text: str, *grants: Permission) -> Cell:
    return Cell(text, frozenset(grants))


P = Permission
NO = _cell("—")
TABLE: tuple[Row, ...] = (
    Row("review, hub & spoke, funnel, skills summary, glossary", {
        Role.VIEWER: _cell("✓", P.READ_DASHBOARDS, P.ANY_TEAM),
        Role.CHAMPION: _cell("✓ (lands on own team, team filter locked to it; organization scorecard visible)",
                             P.READ_DASHBOARDS),
        Role.ANALYST: _cell("✓", P.READ_DASHBOARDS, P.ANY_TEAM),
        Role.LEAD: _cell("✓", P.READ_DASHBOARDS, P.ANY_TEAM),
        Role.ADMIN: _cell("✓", P.READ_DASHBOARDS, P.ANY_TEAM),
    }),
    Row("individual skills assessments, employee ids in single points of failure", {
        Role.VIEWER: NO, Role.CHAMPION: NO, Role.ANALYST: NO,
        Role.LEAD: _cell("✓", P.INDIVIDUAL_SKILLS, P.EMPLOYEE_IDS),
        Role.ADMIN: _cell("✓", P.INDIVIDUAL_SKILLS, P.EMPLOYEE_IDS),
    }),
    Row("individual survey answers, champion names in champion views", {
        Role.VIEWER: NO,
        Role.CHAMPION: _cell("own only", P.SURVEY_ANSWERS_OWN, P.CHAMPION_NAMES_OWN),
        Role.ANALYST: NO,
        Role.LEAD: _cell("✓ (above the survey floor)", P.SURVEY_ANSWERS_ABOVE_FLOOR, P.CHAMPION_NAMES_ALL),
        Role.ADMIN: _cell("✓", P.SURVEY_ANSWERS_ALL, P.CHAMPION_NAMES_ALL),
    }),
    Row("Data page: upload, mappings, undo, previews of rows", {
        Role.VIEWER: NO, Role.CHAMPION: NO,
        Role.ANALYST: _cell("✓", P.DATA_PAGE),
        Role.LEAD: NO,
        Role.ADMIN: _cell("✓", P.DATA_PAGE),
    }),
    Row("decisions: add, edit own", {
        Role.VIEWER: NO, Role.CHAMPION: NO, Role.ANALYST: NO,
        Role.LEAD: _cell("✓", P.DECISIONS_ADD, P.DECISIONS_EDIT_OWN),
        Role.ADMIN: _cell("✓ (any)", P.DECISIONS_ADD, P.DECISIONS_EDIT_OWN, P.DECISIONS_EDIT_ANY),
    }),
    Row("review mode, packs and exports", {
        Role.VIEWER: _cell("org-level pack", P.PACK_ORG_LEVEL),
        Role.CHAMPION: _cell("own team's pack", P.PACK_OWN_TEAM),
        Role.ANALYST: _cell("✓", P.PACK_ORG_LEVEL, P.PACK_OWN_TEAM, P.REVIEW_MODE_PACKS_AND_EXPORTS),
        Role.LEAD: _cell("✓", P.PACK_ORG_LEVEL, P.PACK_OWN_TEAM, P.REVIEW_MODE_PACKS_AND_EXPORTS),
        Role.ADMIN: _cell("✓", P.PACK_ORG_LEVEL, P.PACK_OWN_TEAM, P.REVIEW_MODE_PACKS_AND_EXPORTS),
    }),
    Row("settings, roles, server paths", {
        Role.VIEWER: NO, Role.CHAMPION: NO, Role.ANALYST: NO, Role.LEAD: NO,
        Role.ADMIN: _cell("✓", P.SETTINGS_ROLES_AND_PATHS),
    }),
)


def grants_of(role: Role) -> frozenset[Permission]:
    """What the role's own column grants (an admin's rights also include every other role's: see `Rights`)."""
    return frozenset().union(*(row.cells[role].grants for row in TABLE))


def markdown_table() -> str:
    """The table as the README shows it."""
    lines = ["| | " + " | ".join(Role) + " |", "|---|" + "---|" * len(Role)]
    lines += [f"| {row.subject} | " + " | ".join(row.cells[role].text for role in Role) + " |" for row in TABLE]
    return "\n".join(lines)


# What changes something (and records its author): imports, undo, mappings, settings, decisions. The Data
# page's previews and the server paths go with them: a read-only person is sent neither.
CHANGES = frozenset({Permission.DATA_PAGE, Permission.SETTINGS_ROLES_AND_PATHS, Permission.DECISIONS_ADD,
                     Permission.DECISIONS_EDIT_OWN, Permission.DECISIONS_EDIT_ANY})


@dataclass(frozen=True)
class Rights:
    """What one person may see and do: the roles they hold and, for a champion, whom they represent.

    `champion_ids` and `team_ids` scope the champion role (its own team, its own answers). `read_only`
    withholds every change (`CHANGES`) whatever the roles: a sign-in that names nobody could not be
    recorded as the author of a change.
    """

    roles: frozenset[Role] = frozenset()
    champion_ids: frozenset[str] = field(default_factory=frozenset)
    team_ids: frozenset[str] = field(default_factory=frozenset)
    read_only: bool = False

    @property
    def has_access(self) -> bool:
        """Whether the person holds any role (else: the no-access page)."""
        return bool(self.roles)

    @property
    def effective_roles(self) -> frozenset[Role]:
        """The roles held, an admin holding every role."""
        return frozenset(Role) if Role.ADMIN in self.roles else self.roles

    @property
    def permissions(self) -> frozenset[Permission]:
        """The union of the grants of every role held (without the changes when `read_only`)."""
        granted = frozenset().union(*(grants_of(role) for role in self.effective_roles))
        return granted - CHANGES if self.read_only else granted

    def without_changes(self) -> Rights:
        """The same rights, read only: every change (`CHANGES`) withheld."""
        return replace(self, read_only=True)

    def can(self, permission: Permission) -> bool:
        """Whether the person may do or see `permission`."""
        return permission in self.permissions

    def champion_teams(self, team_of_champion: Mapping[str, str] | None = None) -> frozenset[str]:
        """The teams a champion's views are locked to: the team ids assigned, plus the teams of the
        champion ids assigned as `team_of_champion` (the directory's champion → team) gives them."""
        teams = team_of_champion or {}
        return self.team_ids | {teams[c] for c in self.champion_ids if c in teams}

    def __or__(self, other: Rights) -> Rights:
        return Rights(self.roles | other.roles, self.champion_ids | other.champion_ids, self.team_ids | other.team_ids,
                      self.read_only or other.read_only)


def union(rights: Iterable[Rights]) -> Rights:
    """The rights of several entries together."""
    total = NOBODY
    for one in rights:
        total = total | one
    return total


NOBODY = Rights()
VIEWER = Rights(frozenset({Role.VIEWER}))
LOCAL_TRUSTED = Rights(frozenset({Role.ADMIN}))  # local mode on the same machine, and the CLI
