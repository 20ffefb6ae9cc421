"""Who a signed-in person is (the tester's findings on issue 12): their claims alone name them, never the
server's OS user; an email the provider says is not verified names nobody and matches no roles-file entry;
emails are recorded in lower case and "edit own" compares them in any case; a sign-in naming nobody may
read but not change."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiorg_metrics.access.actor import Actor
from aiorg_metrics.access.identity import identity_of, same_author, verified_email
from aiorg_metrics.access.permissions import NOBODY, Permission, Rights, Role
from aiorg_metrics.access.roles import load_roles
from aiorg_metrics.ingestion.import_log import current_user

LEAD = Rights(frozenset({Role.LEAD}))
ROLES = """contact = "caio-office@bank.example"
[[assign]]
email = "Lea.Dubois@bank.example"
role = "lead"
[[assign]]
group = "0b6f1c2e-caio-office"
role = "lead"
"""


@pytest.mark.parametrize(("claims", "identity"), [
    ({"email": "Lea.Dubois@Bank.Example", "preferred_username": "ldubois", "sub": "AAA-1"}, "lea.dubois@bank.example"),
    ({"email": " lea.dubois@bank.example ", "email_verified": True}, "lea.dubois@bank.example"),
    ({"email": "lea.dubois@bank.example", "email_verified": False, "preferred_username": "mallory@evil.example",
      "sub": "AAA-2"}, "mallory@evil.example (not a verified email)"),
    ({"email": "lea.dubois@bank.example", "email_verified": "false", "sub": "AAA-3"}, "AAA-3"),
    ({"preferred_username": "Lea.Dubois@bank.example", "sub": "AAA-4"},
     "Lea.Dubois@bank.example (not a verified email)"),
    ({"preferred_username": "ldubois", "sub": "AAA-7"}, "ldubois"),
    ({"sub": "x9Tq-Entra-Subject", "groups": ["0b6f1c2e-caio-office"]}, "x9Tq-Entra-Subject"),
    ({"email": "  ", "preferred_username": "", "sub": " AAA-5 "}, "AAA-5"),
    ({"email": None, "preferred_username": 7, "sub": "AAA-6"}, "AAA-6"),
    ({"is_logged_in": True, "groups": ["0b6f1c2e-caio-office"]}, None),
    ({}, None),
])
def test_the_identity_comes_from_the_claims_only(claims: dict, identity: str | None) -> None:
    assert identity_of(claims) == identity


def test_a_username_named_after_a_colleague_does_not_edit_their_decisions() -> None:
    impostor = identity_of({"email": "lea.dubois@bank.example", "email_verified": False,
                            "preferred_username": "lea.dubois@bank.example", "sub": "AAA-8"})
    assert impostor == "lea.dubois@bank.example (not a verified email)"
    assert not same_author("lea.dubois@bank.example", impostor)
    assert not same_author("Lea.Dubois@bank.example", impostor)


def test_an_unverified_email_is_no_email() -> None:
    assert verified_email({"email": "Lea.Dubois@bank.example"}) == "lea.dubois@bank.example"
    assert verified_email({"email": "lea.dubois@bank.example", "email_verified": False}) is None
    assert verified_email({"email": "lea.dubois@bank.example", "email_verified": " False "}) is None
    assert verified_email({"email": "lea.dubois@bank.example", "email_verified": "true"}) == "lea.dubois@bank.example"


def test_an_unverified_email_gets_no_role_but_groups_still_count(tmp_path: Path) -> None:
    path = tmp_path / "roles.toml"
    path.write_text(ROLES, encoding="utf-8")
    roles = load_roles(path)
    assert roles.rights_for_claims({"email": "lea.dubois@bank.example", "email_verified": False}) == NOBODY
    assert roles.rights_for_claims({"email": "lea.dubois@bank.example", "email_verified": "false"}) == NOBODY
    assert roles.rights_for_claims({"email": "lea.dubois@bank.example", "email_verified": True}) == LEAD
    assert roles.rights_for_claims({"email": "lea.dubois@bank.example"}) == LEAD  # Entra sends no email_verified
    assert roles.rights_for_claims({"email": "lea.dubois@bank.example", "email_verified": False,
                                    "groups": ["0b6f1c2e-caio-office"]}) == LEAD
    assert roles.rights_for_claims({"preferred_username": "lea.dubois@bank.example"}) == NOBODY  # emails only


def test_edit_own_compares_emails_in_any_case() -> None:
    lea = Actor("Lea.Dubois@bank.example", LEAD)
    assert lea.may_edit("lea.dubois@bank.example")
    assert Actor("lea.dubois@bank.example", LEAD).may_edit("LEA.DUBOIS@BANK.EXAMPLE")  # recorded before
    assert not lea.may_edit("leo.martin@bank.example")
    assert not lea.may_edit(current_user())
    assert not Actor("x9Tq-Entra-Subject", LEAD).may_edit(current_user())
    assert same_author("AAA-1", "AAA-1")
    assert not same_author("aaa-1", "AAA-1")  # a subject id is not an email: compared exactly


def test_read_only_rights_keep_reading_and_lose_every_change() -> None:
    admin = Rights(frozenset({Role.ADMIN})).without_changes()
    assert admin.read_only and admin.roles == {Role.ADMIN}
    assert admin.can(Permission.READ_DASHBOARDS) and admin.can(Permission.INDIVIDUAL_SKILLS)
    changes = (Permission.DATA_PAGE, Permission.SETTINGS_ROLES_AND_PATHS, Permission.DECISIONS_ADD,
               Permission.DECISIONS_EDIT_OWN, Permission.DECISIONS_EDIT_ANY)
    assert [admin.can(p) for p in changes] == [False] * 5
    assert not Actor("an unnamed account", LEAD.without_changes()).may_edit("an unnamed account")
    assert (LEAD | admin).read_only
