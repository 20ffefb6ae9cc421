"""The permissions table (issue 12, item 4), each cell checked against a literal copy of the issue's table,
what each role may do, the union of roles, and local mode's rights by the request's address."""

from __future__ import annotations

import pytest

from aiorg_metrics.access.local import local_rights
from aiorg_metrics.access.permissions import (
    LOCAL_TRUSTED,
    NOBODY,
    TABLE,
    VIEWER,
    Permission,
    Rights,
    Role,
    markdown_table,
    union,
)

# Copied from the issue, not from the code.
ISSUE_TABLE = """\
| | viewer | champion | analyst | lead | admin |
|---|---|---|---|---|---|
| review, hub & spoke, funnel, skills summary, glossary | ✓ | ✓ (lands on own team, team filter locked to it; organization scorecard visible) | ✓ | ✓ | ✓ |
| individual skills assessments, employee ids in single points of failure | — | — | — | ✓ | ✓ |
| individual survey answers, champion names in champion views | — | own only | — | ✓ (above the survey floor) | ✓ |
| Data page: upload, mappings, undo, previews of rows | — | — | ✓ | — | ✓ |
| decisions: add, edit own | — | — | — | ✓ | ✓ (any) |
| review mode, packs and exports | org-level pack | own team's pack | ✓ | ✓ | ✓ |
| settings, roles, server paths | — | — | — | — | ✓ |"""  # noqa: E501 (the issue's rows, verbatim)


def _issue_cells() -> list[tuple[str, str, str]]:
    """(row subject, role, cell text) for every cell of the literal table."""
    lines = ISSUE_TABLE.splitlines()
    roles = [part.strip() for part in lines[0].strip("|").split("|")][1:]
    cells = []
    for line in lines[2:]:
        subject, *texts = (part.strip() for part in line.strip("|").split("|"))
        cells += [(subject, role, text) for role, text in zip(roles, texts, strict=True)]
    return cells


# What each role's column grants, written out from the table.
GRANTS = {
    "viewer": {"read_dashboards", "any_team", "pack_org_level"},
    "champion": {"read_dashboards", "survey_answers_own", "champion_names_own", "pack_own_team"},
    "analyst": {"read_dashboards", "any_team", "data_page", "pack_org_level", "pack_own_team",
                "review_mode_packs_and_exports"},
    "lead": {"read_dashboards", "any_team", "individual_skills", "employee_ids", "survey_answers_above_floor",
             "champion_names_all", "decisions_add", "decisions_edit_own", "pack_org_level", "pack_own_team",
             "review_mode_packs_and_exports"},
    "admin": {"read_dashboards", "any_team", "individual_skills", "employee_ids", "survey_answers_all",
              "champion_names_all", "data_page", "decisions_add", "decisions_edit_own", "decisions_edit_any",
              "pack_org_level", "pack_own_team", "review_mode_packs_and_exports", "settings_roles_and_paths"},
}
# An admin holds every role: its column plus what only another role's column grants.
HOLDS = {**GRANTS, "admin": GRANTS["admin"] | {"survey_answers_own", "champion_names_own",
                                                "survey_answers_above_floor"}}


def test_the_literal_table_has_seven_rows_of_five_cells() -> None:
    assert len(_issue_cells()) == 35


@pytest.mark.parametrize(("subject", "role", "text"), _issue_cells())
def test_each_cell_reads_as_the_issue_writes_it(subject: str, role: str, text: str) -> None:
    row = next(row for row in TABLE if row.subject == subject)
    assert row.cells[Role(role)].text == text


def test_the_readme_table_is_the_issue_table() -> None:
    assert markdown_table() == ISSUE_TABLE


@pytest.mark.parametrize("role", list(GRANTS))
@pytest.mark.parametrize("permission", sorted(set().union(*GRANTS.values())))
def test_what_each_role_may_do(permission: str, role: str) -> None:
    assert Rights(frozenset({Role(role)})).can(Permission(permission)) is (permission in HOLDS[role])


def test_every_permission_is_granted_by_some_cell() -> None:
    assert {p.value for p in Permission} == set().union(*GRANTS.values())


def test_a_cell_marked_no_grants_nothing() -> None:
    assert all(not cell.grants for row in TABLE for cell in row.cells.values() if cell.text == "—")


def test_rights_are_the_union_of_the_roles_held() -> None:
    champion = Rights(frozenset({Role.CHAMPION}), champion_ids=frozenset({"CH-033"}))
    analyst = Rights(frozenset({Role.ANALYST}))
    both = union([champion, analyst])
    assert both.roles == {Role.CHAMPION, Role.ANALYST}
    assert both.champion_ids == {"CH-033"}
    assert both.can(Permission.DATA_PAGE) and both.can(Permission.SURVEY_ANSWERS_OWN)
    assert not both.can(Permission.DECISIONS_ADD)


def test_a_champion_is_locked_to_the_teams_assigned_and_those_of_the_champion_ids() -> None:
    rights = Rights(frozenset({Role.CHAMPION}), frozenset({"CH-033", "CH-999"}), frozenset({"RB-DIG"}))
    assert rights.champion_teams({"CH-033": "CIB-CSH", "CH-001": "RB-BRN"}) == {"RB-DIG", "CIB-CSH"}
    assert rights.champion_teams() == {"RB-DIG"}
    assert not rights.can(Permission.ANY_TEAM)


def test_nobody_viewer_and_local_trusted() -> None:
    assert not NOBODY.has_access and NOBODY.permissions == frozenset()
    assert VIEWER.has_access and {p.value for p in VIEWER.permissions} == GRANTS["viewer"]
    assert LOCAL_TRUSTED.permissions == frozenset(Permission)


@pytest.mark.parametrize(
    ("address", "trusted", "expected"),
    [
        ("127.0.0.1", None, LOCAL_TRUSTED),
        ("127.8.9.10", None, LOCAL_TRUSTED),
        ("::1", None, LOCAL_TRUSTED),
        ("::ffff:127.0.0.1", None, LOCAL_TRUSTED),
        (None, None, LOCAL_TRUSTED),
        ("10.0.0.5", None, VIEWER),
        ("2001:db8::5", None, VIEWER),
        ("not an address", None, VIEWER),
        ("10.0.0.5", "trusted", LOCAL_TRUSTED),
        ("10.0.0.5", " Trusted ", LOCAL_TRUSTED),
        ("10.0.0.5", "yes", VIEWER),
        ("10.0.0.5", "", VIEWER),
        ("127.0.0.1", "trusted", LOCAL_TRUSTED),
    ],
)
def test_local_mode_gives_full_rights_on_this_machine_only(address: str | None, trusted: str | None,
                                                           expected: Rights) -> None:
    assert local_rights(address, trusted) == expected


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-For": "203.0.113.7"},
        {"X-Real-IP": "203.0.113.9"},  # nginx's usual choice
        {"Forwarded": "for=203.0.113.9"},  # RFC 7239
        {"X-Forwarded-Host": "kpi.bank.example"},
        {"x-real-ip": "203.0.113.9"},  # header names have no case
        {"X-Forwarded-For": ""},  # a proxy added it, even empty
    ],
)
def test_local_mode_behind_a_proxy_on_this_machine_is_not_local(headers: dict[str, str]) -> None:
    assert local_rights("127.0.0.1", None, headers=headers) == VIEWER
    assert local_rights(None, None, headers=headers) == VIEWER
    assert local_rights("::1", None, headers=headers) == VIEWER
    assert local_rights("127.0.0.1", "trusted", headers=headers) == LOCAL_TRUSTED


def test_local_mode_ignores_headers_no_proxy_adds() -> None:
    headers = {"Host": "localhost:8501", "User-Agent": "Mozilla/5.0", "X-Forwarded-Proto-Version": "1"}
    assert local_rights("127.0.0.1", None, headers=headers) == LOCAL_TRUSTED
    assert local_rights("127.0.0.1", None, headers={}) == LOCAL_TRUSTED
