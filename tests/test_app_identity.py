"""Who a signed-in person is, in the app (the tester's findings on issue 12): someone signed in without an
email is named by their claims (here `sub`), not the server's OS user, in the sidebar and in what they
record; an email the provider says is not verified gets no role; a sign-in naming nobody reads, not changes."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from app_support import all_text, open_signed_in, popover_labels, sign_in_as, use_sample_store, write_roles

from aiorg_metrics.analysis import decisions as engine
from aiorg_metrics.ingestion.import_log import current_user, os_user
from aiorg_metrics.store.connection import Store
from dashboard import access, state

SUBJECT = "x9Tq-Entra-Subject"
ROLES = """contact = "caio-office@bank.example"
[[assign]]
email = "lea.dubois@bank.example"
role = "lead"
[[assign]]
group = "0b6f1c2e-caio-office"
role = "lead"
"""


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(engine, "_now", lambda: datetime(2026, 11, 29, 10, 0))
    return use_sample_store(tmp_path, monkeypatch)


@pytest.fixture()
def roles_file(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return write_roles(tmp_path / "roles.toml", ROLES, monkeypatch)


def _identity_line(at) -> str:
    captions = [re.sub(r"\\(.)", r"\1", str(c.value)).replace("\u2060", "") for c in at.sidebar.caption]
    return next(c for c in captions if "Signed in as" in c)


def test_a_lead_signed_in_without_email_is_named_by_sub_and_records_as_it(
        db: Path, roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, {"is_logged_in": True, "sub": SUBJECT, "groups": ["0b6f1c2e-caio-office"]})
    at = open_signed_in(roles_file)
    assert not at.exception
    line = _identity_line(at)
    assert line == f":material/computer: Signed in as {SUBJECT} · lead"
    assert os_user() not in line and "local mode" not in line
    at.text_area(key="attention-shadow_ai_teams-text").input("Freeze AI hiring in business teams")
    at.text_input(key="attention-shadow_ai_teams-owner").input("COO")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:attention-shadow_ai_teams-form")).click()
    at.run()
    assert [s.value for s in at.success] == ["Decision \\#1 recorded\\."]
    stored = engine.get(Store(db), 1)
    assert (stored.created_by, stored.current.changed_by) == (SUBJECT, SUBJECT)
    assert stored.created_by != current_user()


def test_a_lead_by_an_unverified_email_gets_no_role(roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, {"is_logged_in": True, "email": "lea.dubois@bank.example", "email_verified": False,
                             "sub": "mallory"})
    monkeypatch.setattr(state, "data_state", lambda: pytest.fail("data read without a role"))
    at = open_signed_in(roles_file)
    assert not at.exception
    assert "no role on this dashboard" in at.info[0].value
    assert [b.label for b in at.button] == ["Sign out"]


def test_a_sign_in_naming_nobody_reads_but_may_not_change(roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, {"is_logged_in": True, "groups": ["0b6f1c2e-caio-office"]})
    at = open_signed_in(roles_file)
    assert not at.exception
    assert at.title[0].value == "Quarterly review"
    assert _identity_line(at) == f":material/computer: Signed in as {access.UNNAMED} · lead · read only"
    assert access.UNNAMED_BANNER in all_text(at)
    assert "Record a decision" not in popover_labels(at)
    assert not any(b.key and b.key.startswith("FormSubmitter:attention-") for b in at.button)
