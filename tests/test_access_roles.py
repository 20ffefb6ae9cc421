"""The roles file: the example loads, emails match in any case, groups come from the configured claim,
a person's rights are the union of their entries, every problem is named, and an invalid file lets nobody in."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiorg_metrics.access.permissions import NOBODY, Permission, Rights, Role
from aiorg_metrics.access.roles import (
    MAX_ROLES_BYTES,
    ROLES_ENV,
    RolesError,
    load_roles,
    rights_or_nobody,
    roles_path,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "roles.example.toml"


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roles.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _roles(*names: Role) -> frozenset[Role]:
    return frozenset(names)


def test_the_example_file_loads() -> None:
    roles = load_roles(EXAMPLE)
    assert roles.contact == "the CAIO's office, caio-office@bank.example"
    assert roles.groups_claim == "groups"
    assert [(a.email or a.group, a.role.value) for a in roles.assign] == [
        ("aiorg-readers", "viewer"), ("nina.keller@bank.example", "champion"), ("marc.weber@bank.example", "champion"),
        ("data.office@bank.example", "analyst"), ("caio-office", "lead"), ("it.admin@bank.example", "admin"),
    ]


def test_an_email_matches_in_any_case() -> None:
    roles = load_roles(EXAMPLE)
    expected = Rights(_roles(Role.CHAMPION), champion_ids=frozenset({"CH-033"}))
    assert roles.rights_for("NINA.keller@Bank.Example", []) == expected
    assert roles.rights_for("  nina.keller@bank.example ", []) == expected
    assert roles.rights_for("nina.keller@bank.example.evil", []) == NOBODY


def test_a_persons_rights_are_the_union_of_their_entries() -> None:
    rights = load_roles(EXAMPLE).rights_for("marc.weber@bank.example", ["aiorg-readers", "caio-office", "other"])
    assert rights == Rights(_roles(Role.CHAMPION, Role.VIEWER, Role.LEAD), team_ids=frozenset({"RB-DIG"}))
    assert rights.can(Permission.DECISIONS_ADD) and rights.can(Permission.ANY_TEAM)
    assert not rights.can(Permission.DATA_PAGE)


def test_no_entry_no_email_no_rights() -> None:
    roles = load_roles(EXAMPLE)
    assert roles.rights_for("stranger@bank.example", ["other"]) == NOBODY
    assert roles.rights_for(None, []) == NOBODY
    assert roles.rights_for(None, ["aiorg-readers"]) == Rights(_roles(Role.VIEWER))


def test_groups_are_read_from_the_configured_claim(tmp_path: Path) -> None:
    roles = load_roles(_file(tmp_path, 'contact = "x"\ngroups_claim = "roles"\n'
                                       '[[assign]]\ngroup = "9f3c-analysts"\nrole = "analyst"\n'))
    analyst = Rights(_roles(Role.ANALYST))
    assert roles.rights_for_claims({"email": "a@b.example", "roles": ["9f3c-analysts"]}) == analyst
    assert roles.rights_for_claims({"roles": "9f3c-analysts"}) == analyst
    assert roles.rights_for_claims({"email": "a@b.example", "groups": ["9f3c-analysts"]}) == NOBODY
    assert roles.rights_for_claims({"roles": [3, None]}) == NOBODY


def test_the_email_claim_is_matched_in_any_case() -> None:
    rights = load_roles(EXAMPLE).rights_for_claims({"email": "IT.Admin@bank.example", "groups": []})
    assert rights.roles == {Role.ADMIN} and rights.can(Permission.SETTINGS_ROLES_AND_PATHS)


ENTRY_KEYS = "an entry holds email or group, role, and for a champion champion_id or team_id"
FILE_KEYS = "the file holds contact, groups_claim and [[assign]] entries"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[assign]]\nemail = "bob@x"\nrole = "owner"',
         "assign #1 (email bob@x): role 'owner' is not one of viewer, champion, analyst, lead, admin"),
        ('[[assign]]\ngroup = "g"\nrole = "champion"',
         "assign #1 (group g): a champion needs either a champion_id or a team_id"),
        ('[[assign]]\ngroup = "g"\nrole = "champion"\nchampion_id = "CH-1"\nteam_id = "T"',
         "assign #1 (group g): a champion needs either a champion_id or a team_id, not both"),
        ('[[assign]]\nemail = "a@b"\nrole = "lead"\nteam_id = "T"',
         "assign #1 (email a@b): team_id is only for the role 'champion', not 'lead'"),
        ('[[assign]]\nemail = "a@b"\nrole = "admin"\nchampion_id = "CH-1"',
         "assign #1 (email a@b): champion_id is only for the role 'champion', not 'admin'"),
        ('[[assign]]\nrole = "viewer"',
         "assign #1: give either an email or a group"),
        ('[[assign]]\nemail = "a@b"\ngroup = "g"\nrole = "viewer"',
         "assign #1 (email a@b): give either an email or a group, not both"),
        ('[[assign]]\nemail = "a@b"',
         "assign #1 (email a@b): 'role' is missing"),
        ('[[assign]]\nemail = "bob"\nrole = "viewer"',
         "assign #1 (email bob): email 'bob' is not an email address"),
        ('[[assign]]\nemail = "@"\nrole = "viewer"',
         "assign #1 (email @): email '@' is not an email address"),
        ('[[assign]]\nemail = "ana@"\nrole = "viewer"',
         "assign #1 (email ana@): email 'ana@' is not an email address"),
        ('[[assign]]\nemail = "@bank.example"\nrole = "viewer"',
         "assign #1 (email @bank.example): email '@bank.example' is not an email address"),
        ('[[assign]]\nemail = "ana lima@bank.example"\nrole = "viewer"',
         "assign #1 (email ana lima@bank.example): email 'ana lima@bank.example' is not an email address"),
        ('[[assign]]\nemail = "ana@bank@example"\nrole = "viewer"',
         "assign #1 (email ana@bank@example): email 'ana@bank@example' is not an email address"),
        ('[[assign]]\nemail = 3\nrole = "viewer"',
         "assign #1: 'email' must be text in quotes"),
        ('[[assign]]\ngroup = " "\nrole = "viewer"',
         "assign #1: 'group' is empty"),
        ('[[assign]]\nemail = "a@b"\nrole = "viewer"\nrol = "lead"',
         f"assign #1 (email a@b): 'rol' is not a known key ({ENTRY_KEYS})"),
        ('colour = "blue"', f"'colour' is not a known key ({FILE_KEYS})"),
        ('groups_claim = ""', "'groups_claim' is empty"),
        ("assign = 3", "assign: write each entry as an [[assign]] table"),
    ],
)
def test_each_problem_is_named(tmp_path: Path, text: str, problem: str) -> None:
    path = _file(tmp_path, f'contact = "the CAIO office"\n{text}\n')
    with pytest.raises(RolesError) as caught:
        load_roles(path)
    assert str(caught.value) == f"{path}: invalid roles file\n  {problem}"


def test_every_faulty_entry_is_named_with_its_number(tmp_path: Path) -> None:
    path = _file(tmp_path, '[[assign]]\nemail = "a@b"\nrole = "viewer"\n'
                           '[[assign]]\ngroup = "g"\nrole = "owner"\n'
                           '[[assign]]\nemail = "c@d"\nrole = "champion"\n')
    with pytest.raises(RolesError) as caught:
        load_roles(path)
    assert str(caught.value) == (
        f"{path}: invalid roles file\n"
        "  'contact' is missing\n"
        "  assign #2 (group g): role 'owner' is not one of viewer, champion, analyst, lead, admin\n"
        "  assign #3 (email c@d): a champion needs either a champion_id or a team_id"
    )


def test_a_file_that_cannot_be_read_is_a_roles_error(tmp_path: Path) -> None:
    with pytest.raises(RolesError, match="not valid TOML"):
        load_roles(_file(tmp_path, "contact = \n"))
    with pytest.raises(RolesError, match="cannot be read"):
        load_roles(tmp_path / "absent.toml")


def test_a_file_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "roles.toml"  # as Windows Notepad saves it
    path.write_bytes(b'\xef\xbb\xbfcontact = "ai-office@bank.example"\n[[assign]]\nemail = "Ana@bank.example"\n'
                     b'role = "admin"\n')
    roles = load_roles(path)
    assert roles.contact == "ai-office@bank.example"
    assert roles.rights_for("ana@bank.example", ()) == Rights(_roles(Role.ADMIN))


def test_a_large_organization_fits_and_a_file_over_the_cap_is_named_with_its_size(tmp_path: Path) -> None:
    assert MAX_ROLES_BYTES == 33_554_432  # 100,000 people one by one take about 7 MB
    path = tmp_path / "roles.toml"
    with path.open("wb") as sparse:  # sizes without writing the bytes
        sparse.truncate(MAX_ROLES_BYTES + 1)
    with pytest.raises(RolesError) as caught:
        load_roles(path)
    assert str(caught.value) == (f"{path}: the file is 33,554,433 bytes, more than the 33,554,432 allowed for a "
                                 "configuration file. Check that it is the right file.")
    path.write_bytes(b'contact = "x"' + b" " * (2 << 20))  # 2 MiB: over the old 1 MiB cap, still a roles file
    assert load_roles(path).contact == "x"


def test_an_invalid_file_lets_nobody_in(tmp_path: Path) -> None:
    path = _file(tmp_path, 'contact = "x"\n[[assign]]\nemail = "a@b"\nrole = "admin"\n'
                           '[[assign]]\nemail = "c@d"\nrole = "owner"\n')
    rights, reason = rights_or_nobody(path, {"email": "a@b"})
    assert rights == NOBODY
    assert reason == (f"{path}: invalid roles file\n"
                      "  assign #2 (email c@d): role 'owner' is not one of viewer, champion, analyst, lead, admin")


def test_no_roles_file_lets_nobody_in() -> None:
    assert rights_or_nobody(None, {"email": "a@b"}) == (
        NOBODY, "no roles file: set $AIORG_ROLES or roles_file under [aiorg] in the secrets")


def test_a_valid_file_gives_the_rights_and_no_reason() -> None:
    assert rights_or_nobody(EXAMPLE, {"email": "data.office@bank.example"}) == (Rights(_roles(Role.ANALYST)), None)


def test_the_roles_file_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ROLES_ENV, raising=False)
    assert roles_path() is None
    monkeypatch.setenv(ROLES_ENV, "/srv/aiorg/roles.toml")
    assert roles_path() == Path("/srv/aiorg/roles.toml")
    assert roles_path("/etc/aiorg/roles.toml") == Path("/etc/aiorg/roles.toml")


def test_the_file_is_parsed_once_until_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "roles.toml"
    path.write_text('contact = "ai-office@example.com"\n[[assign]]\nemail = "a@example.com"\nrole = "viewer"\n')
    first = load_roles(path)
    assert load_roles(path) is first  # asked again in the same run: not read again
    path.write_text('contact = "ai-office@example.com"\n[[assign]]\nemail = "a@example.com"\nrole = "admin"\n')
    assert load_roles(path).assign[0].role is Role.ADMIN  # an edit counts at once
